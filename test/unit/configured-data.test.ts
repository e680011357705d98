import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { criticalTargets, fetchHandler, one, statusOf } from "./helpers/analyse";

const FEEDS = [
  { name: "a", url: "https://raw.githubusercontent.com/acme/a/main/list.txt" },
  { name: "b", url: "https://raw.githubusercontent.com/acme/b/main/list.txt" },
  { name: "c", url: "https://lists.example.org/c.txt" },
];

describe("data in [vars]: lists and tables, and JSON in a string var", () => {
  it("the config model keeps non-string vars as JSON values, from TOML and from JSONC", () => {
    const toml = loadWranglerConfig(
      "/w/wrangler.toml",
      `name = "w"\n[vars]\nAPI = "https://api.example.com"\nLIMIT = 3\nSUBS = [ { name = "a", url = "https://x.example.com/a" } ]\n[vars.REGION]\neu = "https://eu.example.com"\n`,
    ).environments[0]!;
    assert.deepEqual({ ...toml.vars }, { API: "https://api.example.com" });
    assert.deepEqual(JSON.parse(JSON.stringify(toml.structuredVars)), {
      LIMIT: 3,
      SUBS: [{ name: "a", url: "https://x.example.com/a" }],
      REGION: { eu: "https://eu.example.com" },
    });
    const jsonc = loadWranglerConfig(
      "/w/wrangler.jsonc",
      `{ "name": "w", // vars
  "vars": { "FLAGS": [true, false], "UP": { "base": "https://up.example.com" }, "NAME": "n" } }`,
    ).environments[0]!;
    assert.deepEqual({ ...jsonc.vars }, { NAME: "n" });
    assert.deepEqual(JSON.parse(JSON.stringify(jsonc.structuredVars)), { FLAGS: [true, false], UP: { base: "https://up.example.com" } });
  });

  it("`let item = null`, then `item = env.FEEDS[i]`: `fetch(item.url)` is one of the urls there; all global, no back end", () => {
    const a = one(
      fetchHandler(`let item = null;
const i = Number(new URL(request.url).searchParams.get("i"));
if (i >= 0) item = env.FEEDS[i];
await fetch(item.url);`),
      { structuredVars: { FEEDS: FEEDS.slice(0, 2) } },
    );
    assert.deepEqual(criticalTargets(a), ["raw.githubusercontent.com"]);
    assert.equal(a.subrequests[0]!.category, "global");
    assert.match(a.subrequests[0]!.note!, /^the URL is read from \[vars\] FEEDS, one of 2 values at that place: /);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a back end among the values: counted as that back end, the others listed as candidates", () => {
    const a = one(fetchHandler(`await fetch(env.FEEDS[Number(request.headers.get("x-feed"))].url);`), {
      structuredVars: { FEEDS },
    });
    assert.deepEqual(criticalTargets(a), ["lists.example.org raw.githubusercontent.com:global lists.example.org:backend"]);
    assert.equal(a.roundTrips, 1);
  });

  it("through find(...), destructuring, a map callback, for...of over a list of strings and a nested table", () => {
    const find = one(fetchHandler(`const f = env.FEEDS.find((x: any) => x.name === "b"); await fetch(f.url);`), {
      structuredVars: { FEEDS },
    });
    assert.deepEqual(criticalTargets(find), ["lists.example.org raw.githubusercontent.com:global lists.example.org:backend"]);
    const destructured = one(fetchHandler(`const { url } = env.FEEDS[2]; await fetch(url);`), { structuredVars: { FEEDS } });
    assert.deepEqual(criticalTargets(destructured), ["lists.example.org"]);
    assert.match(destructured.subrequests[0]!.note!, /^the URL is read from \[vars\] FEEDS: lists\.example\.org/);
    const mapped = one(fetchHandler(`await Promise.all(env.FEEDS.slice(0, 2).map((f: any) => fetch(f.url)));`), {
      structuredVars: { FEEDS: FEEDS.slice(0, 2) },
    });
    assert.equal(statusOf(mapped), "NO_VALID_HOSTS");
    const loop = one(fetchHandler(`for (const m of env.MIRRORS) { const r = await fetch(\`\${m}/ping\`); if (r.ok) break; }`), {
      structuredVars: { MIRRORS: ["https://m1.example.com", "https://cdn.jsdelivr.net/gh/acme/m"] },
    });
    assert.deepEqual(criticalTargets(loop)[0], "m1.example.com m1.example.com:backend cdn.jsdelivr.net:global");
    const nested = one(
      fetchHandler(`const region = request.headers.get("x-region") ?? "us";
await fetch(env.CONFIG.regions[region].endpoint + "/v1/q");`),
      {
        structuredVars: { CONFIG: { regions: { us: { endpoint: "https://us.example.com" }, eu: { endpoint: "https://eu.example.com" } } } },
      },
    );
    assert.deepEqual(criticalTargets(nested), ["us.example.com us.example.com:backend eu.example.com:backend"]);
  });

  it("JSON in a string var, parsed: the value at that place, named after the var", () => {
    const a = one(fetchHandler(`const cfg = JSON.parse(env.ROUTES); await fetch(cfg.upstreams[0].url);`), {
      vars: { ROUTES: '{"upstreams":[{"url":"https://origin.example.net/x"}]}' },
    });
    assert.deepEqual(criticalTargets(a), ["origin.example.net"]);
    assert.match(a.subrequests[0]!.note!, /^the URL is read from the JSON in ROUTES: /);
    // Text that is not JSON gives nothing: the host stays unresolved.
    const broken = one(fetchHandler(`const cfg = JSON.parse(env.ROUTES); await fetch(cfg.url);`), { vars: { ROUTES: "{not json" } });
    assert.deepEqual(criticalTargets(broken), ["?"]);
  });

  it("more than 8 URLs: their distinct hosts stand for them", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ url: `https://raw.githubusercontent.com/u${i}/list.txt` }));
    const a = one(fetchHandler(`await fetch(env.SUBS[Number(request.headers.get("x"))].url);`), { structuredVars: { SUBS: many } });
    assert.deepEqual(criticalTargets(a), ["raw.githubusercontent.com"]);
    assert.match(a.subrequests[0]!.note!, /one of 12 values at that place/);
  });

  it("a place that holds no string: an unknown host saying so, not a secret missing from [vars]", () => {
    const a = one(fetchHandler(`await fetch(env.FEEDS[0].endpoint);`), { structuredVars: { FEEDS } });
    assert.deepEqual(criticalTargets(a), ["?"]);
    assert.match(a.subrequests[0]!.note!, /read from \[vars\] FEEDS, a list that holds no string at that place/);
  });

  it("through the CLI's analysis of a TOML config: a list of tables, every url global, NO_VALID_HOSTS", () => {
    const toml = `name = "relay"\nmain = "src/index.ts"\n[placement]\nmode = "smart"\n[vars]\nSUBS = [\n  { url = "https://raw.githubusercontent.com/a/x.txt" },\n  { url = "https://raw.githubusercontent.com/b/y.txt" },\n]\n`;
    const fs = new MemoryFileSystem({
      "/w/wrangler.toml": toml,
      "/w/src/index.ts": fetchHandler(`const r = await fetch(env.SUBS[Number(new URL(request.url).searchParams.get("id"))].url);`),
    });
    const result = analyzeConfig(fs, "/w/wrangler.toml", toml);
    const prediction = result.workers[0]!.prediction;
    assert.equal(prediction.status, "NO_VALID_HOSTS");
    assert.deepEqual(prediction.reasons, [
      "every subrequest on the fetch path goes to a host Smart Placement ignores: raw.githubusercontent.com",
    ]);
  });
});
