import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";

function top(files: Record<string, string>, config = "/w/wrangler.toml") {
  const fs = new MemoryFileSystem(files);
  const result = analyzeConfig(fs, config, fs.readFile(config)!, {});
  return { worker: result.workers[0]!, codes: result.findings.map((f) => f.code).sort() };
}

const NUXT_ROUTE = `export default defineEventHandler(async () => {\n  await $fetch("https://one.example.com/a");\n  return $fetch("https://two.example.com/b");\n});\n`;

describe("configs without main in a framework's project", () => {
  it("a framework known but not followed is said to be one, not an unknown entry", () => {
    const { worker, codes } = top({
      "/w/wrangler.toml": 'name = "x"\n',
      "/w/package.json": JSON.stringify({ dependencies: { vike: "0.4.0" } }),
    });
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.match(
      worker.prediction.reasons[0]!,
      /^The config has no "main": the Worker is built by Vike, which the analyser does not follow/,
    );
    assert.deepEqual(codes, ["worker-entry"]);
  });

  it("[assets] without main stays an assets-only Worker in a framework's project (a static build)", () => {
    const { worker } = top(
      {
        "/w/wrangler.jsonc": '{ "name": "x", "assets": { "directory": "./dist" } }',
        "/w/package.json": JSON.stringify({ dependencies: { astro: "5.0.0" } }),
        "/w/src/pages/api/a.ts": `export const GET = async () => fetch("https://api.example.com/a");\n`,
      },
      "/w/wrangler.jsonc",
    );
    assert.equal(worker.prediction.status, "NO_FETCH_HANDLER");
    assert.match(worker.prediction.reasons[0]!, /^an assets-only Worker/);
  });

  it("a package.json script that names the entry still wins over the framework", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\n',
      "/w/package.json": JSON.stringify({ dependencies: { nitropack: "2" }, scripts: { deploy: "wrangler deploy src/worker.ts" } }),
      "/w/src/worker.ts": `export default { fetch: () => fetch("https://solo.example.com/") };\n`,
      "/w/routes/index.ts": NUXT_ROUTE,
    });
    assert.equal(worker.analysis.entry, "/w/src/worker.ts");
    assert.equal(worker.prediction.roundTrips, 1);
  });
});

describe("Nuxt / Nitro server folders from the config", () => {
  it("nuxt.config serverDir, given through a module constant, is the server folder", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = ".output/server/index.mjs"\n',
      "/w/package.json": JSON.stringify({ dependencies: { nuxt: "3" } }),
      "/w/nuxt.config.ts": `const config = defineNuxtConfig({ serverDir: "./backend/" });\nexport default config;\n`,
      "/w/backend/api/items.get.ts": NUXT_ROUTE,
      "/w/server/api/decoy.get.ts": `export default defineEventHandler(() => "no");\n`,
    });
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
    assert.deepEqual(
      worker.analysis.handlers.map((h) => h.route),
      ["GET /api/items"],
    );
  });

  it("Nuxt 4 with srcDir app/ keeps server/ at the root", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = ".output/server/index.mjs"\n',
      "/w/package.json": JSON.stringify({ dependencies: { nuxt: "4" } }),
      "/w/nuxt.config.ts": `export default defineNuxtConfig({ srcDir: "app/" });\n`,
      "/w/server/routes/feed.ts": NUXT_ROUTE,
    });
    assert.deepEqual(
      worker.analysis.handlers.map((h) => h.route),
      ["ALL /feed"],
    );
    assert.equal(worker.prediction.roundTrips, 2);
  });

  it("a free name in a Vue module of a Nuxt app is not taken for a server util", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = ".output/server/index.mjs"\n',
      "/w/package.json": JSON.stringify({ dependencies: { nuxt: "3" } }),
      "/w/nuxt.config.ts": `export default defineNuxtConfig({});\n`,
      "/w/server/utils/api.ts": `export const useApi = () => fetch("https://utils.example.com/");\n`,
      "/w/server/api/ping.get.ts": `import { helper } from "../../composables/helper";\nexport default defineEventHandler(async () => helper());\n`,
      "/w/composables/helper.ts": `export async function helper() { const r = useApi(); return r; }\n`,
    });
    assert.equal(worker.prediction.roundTrips, 0);
  });
});

describe("calls started and held", () => {
  it("a started call awaited before the next call stays sequential with it", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = "src/index.ts"\n',
      "/w/src/index.ts": `export default {\n  async fetch() {\n    const user = fetch("https://users.example.com/me");\n    if (!(await user).ok) return new Response("no");\n    await fetch("https://orders.example.com/");\n    return new Response("ok");\n  },\n};\n`,
    });
    assert.equal(worker.prediction.roundTrips, 2);
  });

  it("a query never awaited overlaps the fetch after an early return check: one wave", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = "src/index.ts"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "d"\ndatabase_id = "d"\n',
      "/w/src/index.ts": `export default {\n  async fetch(request: Request, env: { DB: D1Database }) {\n    const seen = env.DB.prepare("INSERT INTO hits VALUES (1)").run();\n    if (request.method !== "GET") return new Response("no", { status: 405 });\n    return fetch("https://origin.example.com/");\n  },\n};\n`,
    });
    assert.equal(worker.prediction.status, "INSUFFICIENT_SUBREQUESTS");
    assert.equal(worker.prediction.roundTrips, 1);
  });
});
