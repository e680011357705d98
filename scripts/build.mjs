// Bundles the client, the language server and the CLI with esbuild (tsc only type-checks).
import { build } from "esbuild";
import { chmodSync, copyFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { lazyTypeScriptPlugin } from "./lazyTypeScript.mjs";

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
  // The CLI in three files, for a fast start: a small launcher (the command) that turns on the
  // code cache, the CLI, and the TypeScript compiler the CLI reads only when it parses a Worker.
  build({
    ...common,
    entryPoints: ["server/src/cli/launch.ts"],
    outfile: "dist/cli.js",
    banner: { js: "#!/usr/bin/env node" },
    external: ["./cli-main.js"],
  }),
  build({ ...common, entryPoints: ["server/src/cli/main.ts"], outfile: "dist/cli-main.js", plugins: [lazyTypeScriptPlugin] }),
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
copyFileSync(createRequire(import.meta.url).resolve("typescript"), "dist/typescript.js");
chmodSync("dist/cli.js", 0o755);
chmodSync("dist/language-server.js", 0o755);
