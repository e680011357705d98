// Runs mocha test files of this folder inside the extension host; resolves on success.
const path = require("node:path");
const Mocha = require("mocha");

exports.runFiles = (...files) =>
  function run() {
    const mocha = new Mocha({ ui: "tdd", color: false, timeout: 60000, reporter: "spec" });
    for (const file of files) mocha.addFile(path.join(__dirname, file));
    return new Promise((resolve, reject) => {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    });
  };
