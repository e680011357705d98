// Bundles the client, the language server and the CLI with esbuild (tsc only type-checks).
import { build } from "esbuild";
import { chmodSync, readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const production = process.argv.includes("--production");
const common = {
  bundle: true,
  platform: "node",
  target: "node18",
  format: "cjs",
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
  define: { PACKAGE_VERSION: JSON.stringify(pkg.version) },
  // jsonc-parser's "main" is a UMD build with dynamic requires esbuild cannot follow; its "module"
  // build bundles cleanly.
  mainFields: ["module", "main"],
};

await Promise.all([
  build({ ...common, entryPoints: ["client/src/extension.ts"], outfile: "dist/extension.js", external: ["vscode"] }),
  build({ ...common, entryPoints: ["server/src/serverMain.ts"], outfile: "dist/server.js" }),
  build({ ...common, entryPoints: ["server/src/cli/main.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } }),
  // `trace` runs the Worker in this separate process (it loads the project's own Miniflare).
  build({ ...common, entryPoints: ["server/src/cli/traceChild.ts"], outfile: "dist/trace-child.js" }),
  build({
    ...common,
    entryPoints: ["server/src/languageServerBin.ts"],
    outfile: "dist/language-server.js",
    banner: { js: "#!/usr/bin/env node" },
  }),
]);
// `--bench`: the benchmark too, bundled the way the server and CLI ship. Run from per-file modules
// (tsx), every call from one of our modules into another goes through an export getter the
// shipped bundles do not have, which made the analysis look 10-15% slower than it is. Two levels
// down, like test/lsp/, so that paths relative to the file still reach dist/.
if (process.argv.includes("--bench")) await build({ ...common, entryPoints: ["bench/bench.ts"], outfile: "out/bench/bench.js" });
chmodSync("dist/cli.js", 0o755);
chmodSync("dist/language-server.js", 0o755);
