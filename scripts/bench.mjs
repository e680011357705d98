// `npm run bench`: bundles the benchmark the way the server and CLI are shipped (esbuild, with
// TypeScript inside), then runs it. Run from per-file modules instead (tsx), every call from one
// of our modules into another goes through an export getter the shipped bundles do not have,
// which made the analysis look 10-15% slower than it is.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";

await build({
  entryPoints: ["bench/bench.ts"],
  // Two levels down, like test/lsp/, so that paths relative to the file still reach dist/.
  outfile: "out/bench/bench.js",
  bundle: true,
  platform: "node",
  target: "node18",
  format: "cjs",
  sourcemap: true,
  logLevel: "warning",
  mainFields: ["module", "main"],
});
const run = spawnSync(process.execPath, ["--enable-source-maps", "out/bench/bench.js"], { stdio: "inherit" });
process.exit(run.status ?? 1);
