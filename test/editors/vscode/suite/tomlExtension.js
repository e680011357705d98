// Entry of the run next to a TOML extension (test/editors/vscode/toml-extension).
exports.run = require("./mocha").runFiles("tomlExtension.test.js");
