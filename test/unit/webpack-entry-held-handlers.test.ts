import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { isWebpackBuild, webpackSource } from "../../server/src/core/worker/webpackEntry";

function top(files: Record<string, string>, config: string) {
  const fs = new MemoryFileSystem(files);
  const result = analyzeConfig(fs, config, fs.readFile(config)!, {});
  return result.workers[0]!;
}

/** The source webpackSource finds in /p for a webpack config text (and the files given), relative to /p. */
function sourceFor(config: string | undefined, files: Record<string, string> = {}, name = "webpack.config.js") {
  const fs = new MemoryFileSystem({ ...(config === undefined ? {} : { [`/p/${name}`]: config }), ...files });
  const found = webpackSource(fs, ["/p"]);
  return found && { path: found.path.replace(/^\/p\//, ""), via: found.via };
}

const SRC = { "/p/src/index.ts": "export {};\n", "/p/src/worker.ts": "export {};\n", "/p/app/main.js": "export {};\n" };

describe("webpack's entry, read from its config without running it", () => {
  it("reads entry as a string, path.resolve/join over __dirname, require.resolve, a one-element array, a one-entry object and { import }", () => {
    const cases: Array<[string, string]> = [
      [`module.exports = { entry: "./src/worker.ts" };`, "src/worker.ts"],
      [`const path = require("path");\nmodule.exports = { entry: path.resolve(__dirname, "src/worker.ts") };`, "src/worker.ts"],
      [`const path = require("path");\nmodule.exports = { entry: path.join(__dirname, "src", "worker") };`, "src/worker.ts"],
      [`module.exports = { entry: require.resolve("./app/main.js") };`, "app/main.js"],
      [`module.exports = { entry: ["./src/worker.ts"] };`, "src/worker.ts"],
      [`module.exports = { entry: { worker: "./src/worker.ts" } };`, "src/worker.ts"],
      [`module.exports = { entry: { main: { import: "./app/main.js", filename: "w.js" } } };`, "app/main.js"],
      [`const config = { mode: "production", entry: "./app/main.js" };\nmodule.exports = config;`, "app/main.js"],
      [`const entry = "./app/main.js";\nmodule.exports = { entry };`, "app/main.js"],
      [`module.exports = (env, argv) => ({ entry: "./app/main.js" });`, "app/main.js"],
      [`module.exports = function (env) { return { entry: "./app/main.js" }; };`, "app/main.js"],
      [`export default { context: __dirname + "", entry: "./src/worker.ts" } satisfies object;`, "src/worker.ts"],
      [`module.exports = { context: "app", entry: "./main.js" };`, "app/main.js"],
    ];
    for (const [config, expected] of cases) {
      const found = sourceFor(config, SRC);
      assert.deepEqual(found, { path: expected, via: "the entry of webpack.config.js" }, config);
    }
  });

  it("falls back to webpack's default entry src/index, then index beside the config, when the entry cannot be read", () => {
    const unreadable = [
      `module.exports = { mode: "production" };`, // no entry: webpack's default
      `module.exports = { entry: ["./src/polyfill.ts", "./src/worker.ts"] };`, // several: not one source
      `module.exports = { entry: { a: "./src/worker.ts", b: "./app/main.js" } };`,
      `module.exports = { entry: computeEntry() };`,
      `module.exports = { entry: path.resolve("/abs/worker.ts") };`,
      `module.exports = { entry: "./src/missing.ts" };`, // names a file that is not there
      `this is not ( valid javascript`,
    ];
    for (const config of unreadable)
      assert.deepEqual(sourceFor(config, SRC), { path: "src/index.ts", via: "webpack's default entry, src/index" }, config);
    assert.deepEqual(sourceFor(undefined, { "/p/index.js": "export {};\n" }), { path: "index.js", via: "webpack's default entry, index" });
    assert.equal(sourceFor(`module.exports = {};`, {}), undefined);
  });

  it("reads webpack.config.ts and .cjs too", () => {
    assert.deepEqual(sourceFor(`export default { entry: "./app/main.js" };`, SRC, "webpack.config.ts")?.path, "app/main.js");
    assert.deepEqual(sourceFor(`module.exports = { entry: "./app/main.js" };`, SRC, "webpack.config.cjs")?.path, "app/main.js");
  });

  it("knows a webpack build by type = webpack, a config file, the dependency or the build command", () => {
    const fs = new MemoryFileSystem({ "/p/webpack.config.js": "module.exports = {};", "/q/x.js": "" });
    const manifest = (deps: string[], scripts: Record<string, string> = {}) => ({
      file: "/q/package.json",
      dependencies: new Set(deps),
      localDependencies: new Set<string>(),
      scripts: new Map(Object.entries(scripts)),
      main: null,
    });
    assert.equal(isWebpackBuild(fs, ["/p"], undefined, null, "javascript"), true);
    assert.equal(isWebpackBuild(fs, ["/q"], undefined, null, "webpack"), true);
    assert.equal(isWebpackBuild(fs, ["/q"], manifest(["webpack"]), null, "javascript"), true);
    assert.equal(isWebpackBuild(fs, ["/q"], undefined, "npx webpack --mode production", "javascript"), true);
    assert.equal(isWebpackBuild(fs, ["/q"], manifest([], { build: "webpack" }), "npm run build", "javascript"), true);
    assert.equal(isWebpackBuild(fs, ["/q"], manifest(["esbuild"], { build: "esbuild src/x.ts" }), "npm run build", "javascript"), false);
  });
});

describe("Wrangler v1 projects built by webpack, not built yet", () => {
  const TOML = (extra = "") =>
    `name = "v1"\ntype = "javascript"\nworkers_dev = true\n\n[build]\ncommand = "npm run build"\n\n[build.upload]\nformat = "service-worker"\n${extra}`;
  const SW = `addEventListener("fetch", (event) => event.respondWith(handle(event.request)));\nasync function handle(request) {\n  await fetch("https://a.example.com/1");\n  return fetch("https://b.example.com/2");\n}\n`;

  it("package.json main dist/worker.js from webpack.config.js's entry: that source, saying so", () => {
    const worker = top(
      {
        "/w/wrangler.toml": TOML(),
        "/w/package.json": JSON.stringify({ main: "dist/worker.js", scripts: { build: "webpack" } }),
        "/w/webpack.config.js": `module.exports = { entry: "./lib/handler.js" };`,
        "/w/lib/handler.js": SW,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
    assert.ok(
      worker.prediction.reasons.includes(
        `read as a Wrangler v1 config (type = "javascript", format = "service-worker"): its entry, package.json's main "dist/worker.js", is webpack build output that does not exist yet: the prediction is made from its source, lib/handler.js (the entry of webpack.config.js)`,
      ),
      worker.prediction.reasons.join("\n"),
    );
  });

  it("without webpack in the build, the missing main stays a problem (no guessed source)", () => {
    const worker = top(
      {
        "/w/wrangler.toml": TOML(),
        "/w/package.json": JSON.stringify({ main: "dist/worker.js", scripts: { build: "rollup -c" } }),
        "/w/lib/handler.js": SW,
        "/w/index.js": SW,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.match(worker.prediction.reasons[0]!, /package\.json's main "dist\/worker\.js", was not found/);
  });

  it("a built dist/worker.js is still what is read", () => {
    const worker = top(
      {
        "/w/wrangler.toml": TOML(),
        "/w/package.json": JSON.stringify({ main: "dist/worker.js", scripts: { build: "webpack" } }),
        "/w/webpack.config.js": `module.exports = { entry: "./lib/handler.js" };`,
        "/w/lib/handler.js": `addEventListener("fetch", (e) => e.respondWith(new Response("source")));\n`,
        "/w/dist/worker.js": SW,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.roundTrips, 2);
    assert.ok(worker.prediction.reasons.some((r) => r.includes("the entry is package.json's main, as Wrangler v1 built it")));
  });
});

describe("a handler's fetch held in a name and called with the request", () => {
  const PACKAGE = JSON.stringify({ dependencies: { "@tanstack/react-start": "1.0.0", "@tanstack/react-router": "1.0.0" } });
  const ROUTES = {
    "/w/src/routes/__root.tsx": `import { createRootRoute } from "@tanstack/react-router";\nexport const Route = createRootRoute({});\n`,
    "/w/src/server/fns.ts": `import { createMiddleware, createServerFn } from "@tanstack/react-start";
const auth = createMiddleware({ type: "function" }).server(async ({ next }) => { await fetch("https://auth.example.com/me"); return next(); });
export const save = createServerFn({ method: "POST" }).middleware([auth]).handler(async () => {
  await fetch("https://api.example.com/a");
  await fetch("https://api.example.com/b");
});
`,
    "/w/src/routes/index.tsx": `import { createFileRoute } from "@tanstack/react-router";\nimport { save } from "../server/fns";\nexport const Route = createFileRoute("/")({ component: () => save });\n`,
  };
  const CONFIG = JSON.stringify({ name: "x", main: "src/server.ts", placement: { mode: "smart" } });
  const run = (server: string) =>
    top({ "/w/wrangler.jsonc": CONFIG, "/w/package.json": PACKAGE, "/w/src/server.ts": server, ...ROUTES }, "/w/wrangler.jsonc");

  it("a parameter filled with handler.fetch at the module's top level (makeFetch(handler.fetch))", () => {
    const worker = run(`import handler from "@tanstack/react-start/server-entry";
function makeFetch(inner: typeof handler.fetch) {
  return async (request: Request, env: unknown) => inner(request, { context: { env } });
}
const serve = makeFetch(handler.fetch);
export default { fetch: serve };
`);
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 3);
    assert.match(worker.prediction.reasons[0]!, /\(POST server function save \(src\/server\/fns\.ts\)\)$/);
  });

  it("a constant holding handler.fetch, and a factory called in the export itself", () => {
    const constant = run(`import handler from "@tanstack/react-start/server-entry";
const serve = handler.fetch;
export default { async fetch(request: Request) { await fetch("https://gate.example.com/"); return serve(request); } };
`);
    assert.equal(constant.prediction.roundTrips, 4);
    const inline = run(`import handler from "@tanstack/react-start/server-entry";
function wrap(next: (r: Request) => Promise<Response>) { return async function (request: Request) { return next(request); }; }
export default { fetch: wrap(handler.fetch) };
`);
    assert.equal(inline.prediction.roundTrips, 3);
  });

  it("counted once: a wrapper calling its parameter in its own body, and a factory made and called on the path", () => {
    const direct = run(`import handler from "@tanstack/react-start/server-entry";
function wrap(request: Request, next: (r: Request) => Promise<Response>) { return next(request); }
export default { fetch(request: Request) { return wrap(request, handler.fetch); } };
`);
    assert.equal(direct.prediction.roundTrips, 3);
    const made = run(`import handler from "@tanstack/react-start/server-entry";
const makeFetch = (inner: (r: Request) => Promise<Response>) => async (request: Request) => inner(request);
export default { fetch(request: Request) { return makeFetch(handler.fetch)(request); } };
`);
    assert.equal(made.prediction.roundTrips, 3);
  });

  it("a held function that is given something else than the request is not a hand-off", () => {
    const worker = run(`import handler from "@tanstack/react-start/server-entry";
const serve = handler.fetch;
export default { async fetch(request: Request) { void serve; await fetch("https://gate.example.com/"); return new Response("ok"); } };
`);
    assert.equal(worker.prediction.status, "INSUFFICIENT_SUBREQUESTS");
    assert.equal(worker.prediction.roundTrips, 1);
  });
});
