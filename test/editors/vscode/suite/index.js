// Entry of the main extension-host test run (extensionTestsPath).
exports.run = require("./mocha").runFiles("extension.test.js");
