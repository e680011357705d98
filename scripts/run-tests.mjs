// Runs the unit and server test suites with Node's own test runner (its summary is what CI reads).
// Node 20's runner does not expand globs or pick up .ts files, so the file list is built here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ["test/unit", "test/lsp"];

function collect(entry) {
  if (statSync(entry).isFile()) return [entry];
  return readdirSync(entry, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(entry, d.name);
    if (d.isDirectory()) return d.name === "fixtures" || d.name === "node_modules" ? [] : collect(full);
    return d.name.endsWith(".test.ts") ? [full] : [];
  });
}

const files = roots.flatMap(collect).sort();
if (files.length === 0) {
  console.error("no test files found under " + roots.join(", "));
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
