// Entry of the run on the bundled examples, as `npm run demo` opens them.
exports.run = require("./mocha").runFiles("examples.test.js");
