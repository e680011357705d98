// Entry of the run in Restricted Mode (workspace trust on, folder not trusted).
exports.run = require("./mocha").runFiles("restricted.test.js");
