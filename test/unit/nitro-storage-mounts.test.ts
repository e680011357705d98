import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { nitroStorageMounts, normalizeStorageBase } from "../../server/src/core/worker/handlers/nitroConfig";
import { mountFor, storageDriverClass } from "../../server/src/core/worker/nitroStorage";

const WRANGLER = 'name = "x"\nmain = ".output/server/index.mjs"\n';
const NUXT = JSON.stringify({ dependencies: { nuxt: "4" } });

function nuxtApp(config: string, route: string) {
  const fs = new MemoryFileSystem({
    "/w/wrangler.toml": WRANGLER,
    "/w/package.json": NUXT,
    "/w/nuxt.config.ts": config,
    "/w/server/api/items.get.ts": route,
  });
  const result = analyzeConfig(fs, "/w/wrangler.toml", WRANGLER, {});
  const worker = result.workers[0]!;
  return {
    status: worker.prediction.status,
    roundTrips: worker.prediction.roundTrips,
    trips: worker.analysis.subrequests.map((s) => [s.kind, s.target, s.category]),
    notes: worker.analysis.subrequests.map((s) => s.note),
  };
}

const READ_TWICE = `import { prefixStorage } from "unstorage";
export default defineEventHandler(async () => {
  const items = prefixStorage(useStorage("db"), "item");
  const keys = await items.getKeys();
  return await items.getItems(keys);
});
`;

describe("Nitro storage mounts (useStorage, prefixStorage)", () => {
  it("a memory mount: no round trip, where the unknown-library assumption counted two", () => {
    const app = nuxtApp(`export default defineNuxtConfig({ nitro: { storage: { db: { driver: "memory" } } } });\n`, READ_TWICE);
    assert.equal(app.status, "NO_VALID_HOSTS");
    assert.equal(app.roundTrips, 0);
    assert.deepEqual(app.trips, []);
  });

  it("a redis mount without a literal URL: each storage call a round trip to `redis`", () => {
    const app = nuxtApp(
      `export default defineNuxtConfig({ nitro: { storage: { db: { driver: "redis", url: process.env.REDIS } } } });\n`,
      READ_TWICE,
    );
    assert.equal(app.status, "SUCCESS");
    assert.equal(app.roundTrips, 2);
    assert.deepEqual(app.trips, [
      ["sdk", "redis", "backend"],
      ["sdk", "redis", "backend"],
    ]);
    assert.equal(app.notes[0], 'useStorage("db:item"), mounted with the redis driver: each storage call is a round trip to redis');
  });

  it("devStorage is not what a deploy mounts: an upstash devStorage leaves the base in memory", () => {
    const app = nuxtApp(`export default defineNuxtConfig({ nitro: { devStorage: { db: { driver: "upstash" } } } });\n`, READ_TWICE);
    assert.equal(app.roundTrips, 0);
    assert.deepEqual(app.trips, []);
  });

  it("cloudflare-kv-http reaches Cloudflare's API host; R2 binding is a binding", () => {
    const config = `export default defineNuxtConfig({ nitro: { storage: {
      db: { driver: "cloudflare-kv-http", accountId: "a", namespaceId: "n" },
      files: { driver: "cloudflare-r2-binding" },
    } } });\n`;
    const kvHttp = nuxtApp(config, READ_TWICE);
    assert.deepEqual(kvHttp.trips, [
      ["sdk", "api.cloudflare.com", "backend"],
      ["sdk", "api.cloudflare.com", "backend"],
    ]);
    const r2 = nuxtApp(config, `export default defineEventHandler(() => useStorage("files").getItem("a"));\n`);
    assert.deepEqual(r2.trips, [["r2", "BUCKET", "binding"]]);
    assert.equal(r2.status, "NO_VALID_HOSTS");
  });

  it("a driver that is not a literal, or a base that cannot be resolved next to a network mount, is unknown and named", () => {
    const computed = nuxtApp(
      `const driver = pick();\nexport default defineNuxtConfig({ nitro: { storage: { db: { driver } } } });\n`,
      READ_TWICE,
    );
    assert.deepEqual(computed.trips[0], ["other", null, "unknown"]);
    assert.equal(computed.notes[0], `useStorage("db:item"): the config's driver for its mount is not a literal`);
    const base = nuxtApp(
      `export default defineNuxtConfig({ nitro: { storage: { db: { driver: "mongodb" } } } });\n`,
      `export default defineEventHandler((event) => useStorage(getQuery(event).name).getItem("a"));\n`,
    );
    assert.deepEqual(base.trips, [["other", null, "unknown"]]);
    assert.match(base.notes[0]!, /^a storage whose base cannot be resolved: which of the config's storage mounts it uses cannot be told/);
  });

  it("storage methods that stay in the Worker send nothing", () => {
    const app = nuxtApp(
      `export default defineNuxtConfig({ nitro: { storage: { db: { driver: "redis" } } } });\n`,
      `export default defineEventHandler(async () => { const s = useStorage("db"); s.getMount("db"); await s.unwatch(); return "ok"; });\n`,
    );
    assert.deepEqual(app.trips, []);
  });

  it("reads the mount table from nitro.config and normalises bases as unstorage does", () => {
    const fs = new MemoryFileSystem({
      "/a/nitro.config.ts": `export default defineNitroConfig({ storage: { "/kv/main/": { driver: "cloudflare-kv-binding", binding: "MAIN" }, ...more } });\n`,
    });
    const read = nitroStorageMounts(fs, "/a")!;
    assert.equal(read.complete, false);
    assert.deepEqual(
      read.mounts.map((m) => [m.base, m.driver, [...m.options]]),
      [["kv:main", "cloudflare-kv-binding", [["binding", "MAIN"]]]],
    );
    assert.equal(normalizeStorageBase("\\cache//db:"), "cache:db");
    assert.equal(mountFor(read.mounts, "kv:main:users")?.base, "kv:main");
    assert.equal(mountFor(read.mounts, "kv:mainly"), undefined);
    assert.deepEqual(storageDriverClass(read.mounts[0]!), { kind: "kv", driver: "cloudflare-kv-binding", binding: "MAIN" });
    assert.deepEqual(storageDriverClass({ base: "x", driver: "http", options: new Map([["base", "https://store.example.com/v1"]]) }), {
      kind: "remote",
      driver: "http",
      target: "store.example.com",
      host: "store.example.com",
    });
    assert.equal(nitroStorageMounts(new MemoryFileSystem({}), "/a"), undefined);
  });
});
