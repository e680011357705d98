// Entry of the run on a workspace without a Worker, next to a TOML extension.
exports.run = require("./mocha").runFiles("noWorker.test.js");
