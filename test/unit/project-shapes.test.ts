import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";

const TWO_TRIPS = `export default { async fetch() { await fetch("https://api.example.com/a"); return fetch("https://api.example.com/b"); } };\n`;

function top(files: Record<string, string>, config = "/w/wrangler.toml") {
  const fs = new MemoryFileSystem(files);
  const result = analyzeConfig(fs, config, fs.readFile(config)!, {});
  return { worker: result.workers[0]!, codes: result.findings.map((f) => f.code).sort() };
}

describe("project shapes", () => {
  it("takes the entry from a package.json wrangler script, skipping flags and their values", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\n',
      "/w/package.json": JSON.stringify({ scripts: { dev: "wrangler dev --port 8787 --env dev src/worker.js" } }),
      "/w/src/worker.js": TWO_TRIPS,
    });
    assert.equal(worker.analysis.entry, "/w/src/worker.js");
    assert.equal(worker.prediction.status, "SUCCESS");
  });

  it("skips a script that deploys another config", () => {
    const { worker, codes } = top({
      "/w/wrangler.toml": 'name = "x"\n',
      "/w/package.json": JSON.stringify({ scripts: { deploy: "wrangler deploy -c wrangler.admin.toml src/admin.ts" } }),
      "/w/src/admin.ts": TWO_TRIPS,
    });
    assert.equal(worker.analysis.entry, null);
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.deepEqual(codes, ["worker-entry"]);
  });

  it("a current config whose build runs webpack reads an unbuilt main from the webpack config's entry, else webpack's default", () => {
    const config = 'name = "x"\nmain = "dist/main.js"\n[build]\ncommand = "npm run build"\n';
    const manifest = JSON.stringify({ scripts: { build: "webpack" } });
    const byDefault = top({
      "/w/wrangler.toml": config,
      "/w/package.json": manifest,
      "/w/webpack.config.js": 'module.exports = { mode: "production", target: "webworker" };\n',
      "/w/src/index.js": TWO_TRIPS,
    });
    assert.equal(byDefault.worker.analysis.entry, "/w/src/index.js");
    assert.equal(byDefault.worker.prediction.status, "SUCCESS");
    assert.deepEqual(byDefault.codes, ["placement-suggest-smart"]);
    const named = top({
      "/w/wrangler.toml": config,
      "/w/package.json": manifest,
      "/w/webpack.config.js": 'module.exports = { entry: "./lib/worker.js" };\n',
      "/w/lib/worker.js": TWO_TRIPS,
      "/w/src/index.js": "export default {};\n",
    });
    assert.equal(named.worker.analysis.entry, "/w/lib/worker.js");
    // Without a bundler the missing output is still a missing build.
    const none = top({ "/w/wrangler.toml": config, "/w/src/index.js": TWO_TRIPS });
    assert.equal(none.worker.prediction.status, "UNKNOWN");
  });

  it("an assets-only Worker without a binding has no fetch handler and no entry warning", () => {
    const { worker, codes } = top({ "/w/wrangler.jsonc": '{ "name": "x", "assets": { "directory": "./public" } }' }, "/w/wrangler.jsonc");
    assert.equal(worker.prediction.status, "NO_FETCH_HANDLER");
    assert.match(worker.prediction.reasons[0]!, /^an assets-only Worker/);
    assert.deepEqual(codes, []);
  });

  it("a Go Worker (main build/worker.mjs beside go.mod, or a TinyGo build) is said to be one, not a missing build", () => {
    for (const [config, language] of [
      ['name = "x"\nmain = "./build/worker.mjs"\n[build]\ncommand = "make build"\n', /^a Go Worker \(syumai\/workers/],
      [
        'name = "x"\nmain = "./dist/worker.mjs"\n[build]\ncommand = "tinygo build -o ./dist/app.wasm -target wasm ./..."\n',
        /^a Go Worker \(compiled/,
      ],
    ] as const) {
      const { worker, codes } = top({ "/w/wrangler.toml": config, "/w/go.mod": "module example.com/x\n", "/w/main.go": "package main\n" });
      assert.equal(worker.prediction.status, "UNKNOWN");
      assert.match(worker.prediction.reasons[0]!, language);
      assert.deepEqual(codes, ["worker-language"]);
    }
    // The same main without a go.mod is a build not made yet.
    const { worker } = top({ "/w/wrangler.toml": 'name = "x"\nmain = "./build/worker.mjs"\n' });
    assert.match(worker.prediction.reasons[0]!, /build output that does not exist yet/);
  });

  it("a Wrangler v1 type = rust config is a Rust Worker", () => {
    const { worker, codes } = top({ "/w/wrangler.toml": 'name = "x"\ntype = "rust"\n' });
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.deepEqual(codes, ["worker-language"]);
  });

  for (const [ext, reexport] of [
    ["tsx", `export { loader, default } from "./beans";\n`],
    ["jsx", `import { loader } from "./beans.jsx";\nexport { loader };\nexport default function Granos() { return null; }\n`],
  ] as const)
    it(`a React Router route module that re-exports another's loader (.${ext}) runs that loader`, () => {
      const { worker } = top({
        "/w/wrangler.toml": 'name = "x"\nmain = "server.js"\n',
        "/w/package.json": JSON.stringify({ dependencies: { "react-router": "7" } }),
        "/w/server.js": `import { createRequestHandler } from "react-router";\nconst handle = createRequestHandler(() => import("virtual:react-router/server-build"), "production");\nexport default { fetch(request, env) { return handle(request, { env }); } };\n`,
        "/w/app/routes.ts": `import { route } from "@react-router/dev/routes";\nexport default [route("granos", "routes/granos.${ext}")];\n`,
        [`/w/app/routes/beans.${ext}`]: `export async function loader() { await fetch("https://catalog.example.com/a"); return fetch("https://prices.example.com/b"); }\nexport default function Beans() { return null; }\n`,
        [`/w/app/routes/granos.${ext}`]: reexport,
      });
      assert.equal(worker.prediction.status, "SUCCESS", worker.prediction.reasons.join("\n"));
      assert.equal(worker.prediction.roundTrips, 2);
    });

  it("follows createRequestHandler from @remix-run/cloudflare in JavaScript to the app's loaders", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = "server.js"\n',
      "/w/package.json": JSON.stringify({ dependencies: { "@remix-run/cloudflare": "2" } }),
      "/w/server.js": `import { createRequestHandler } from "@remix-run/cloudflare";\nconst handle = createRequestHandler(build, "production");\nexport default { fetch(request, env) { return handle(request, { env }); } };\n`,
      "/w/app/routes/users.$id.jsx": `export async function loader() { const a = await fetch("https://db.example.com/a"); return fetch("https://db.example.com/b"); }\n`,
    });
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
    // One fetch handler; it hands the request to the app, whose worst route is the path counted.
    assert.deepEqual(
      worker.analysis.handlers.map((h) => h.route ?? null),
      ["GET /users/:id"],
    );
  });
});
