import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { analyzeWorker, createAnalysisCache } from "../../server/src/core/worker/analyze";
import { describeHandler } from "../../server/src/core/predict/explain";
import { LineIndex } from "../../server/src/core/text";
import { packageUrlConstant } from "../../server/src/core/worker/sdks";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, NO_BINDINGS, one, statusOf, criticalTargets as targets, fetchHandler as handler } from "./helpers/analyse";

// These tests are about what stays unknown: they predict with nothing assumed (see assume.test.ts for the default).
const strictOne = (source: string, options: Parameters<typeof one>[1] = {}) => one(source, { ...options, assume: "strict" });

const hosts = (a: WorkerAnalysis): string[] => a.backends.map((b) => `${b.host}=${b.roundTrips}`).sort();

describe("methods of nested object literals", () => {
  it("a chain three objects deep, a method and an arrow property", () => {
    const a = one(
      handler(
        `await api.shop.products.byHandle("x"); await api.shop.products.list();`,
        `const api = { shop: { products: { async byHandle(h: string) { return fetch("https://a.x.com/p/" + h); }, list: () => fetch("https://b.x.com/l") } } };`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["a.x.com=1", "b.x.com=1"]);
    assert.deepEqual(a.unknowns, []);
  });

  it("`as const`, and an object exported from another module", () => {
    const a = analyse({
      "src/api.ts": `export const api = { users: { me: async () => fetch("https://users.x.com/me") } } as const;`,
      "src/index.ts": handler(`await api.users.me(); await api.users.me();`, `import { api } from "./api";`),
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["users.x.com=2"]);
  });

  it("a spread: its methods are the object's, and a later property of the same name wins", () => {
    const a = one(
      handler(
        `await api.ping(); await api.health();`,
        `const base = { ping: () => fetch("https://old.x.com"), health: () => fetch("https://h.x.com") };
const api = { ...base, ping() { return fetch("https://new.x.com"); } };`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["h.x.com=1", "new.x.com=1"]);
    // The overridden method is never reached from the handler.
    assert.equal(a.subrequests.find((s) => s.target === "old.x.com")?.criticalPath, false);
  });

  it("the object a factory returns, held in a variable or called on at once", () => {
    const a = one(
      handler(
        `const client = createApi(env.TOKEN); await client.orders.get("1"); await createApi("t").orders.get("2");`,
        `function createApi(token: string) { return { orders: { get: (id: string) => fetch(\`https://orders.x.com/\${id}?t=\${token}\`) } }; }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["orders.x.com=2"]);
  });

  it("an object defined through itself ends (no answer, no crash)", () => {
    const a = one(handler(`const db = await db.open(); await db.query();`));
    assert.equal(a.roundTrips, 0);
  });
});

describe("a helper called with different URLs", () => {
  it("each call counts the host it gives; the listed call names them all", () => {
    const a = one(
      handler(
        `await get("https://a.x.com/1"); await get("https://b.x.com/2"); await get("https://cdn.jsdelivr.net/npm/x");`,
        `async function get(url: string) { const r = await fetch(url); return r.json(); }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["a.x.com=1", "b.x.com=1"]);
    assert.deepEqual(targets(a), ["a.x.com a.x.com:backend b.x.com:backend cdn.jsdelivr.net:global"]);
    assert.deepEqual(a.unknowns, []);
  });

  it("the handler's hover names each call's own host, in order", () => {
    const source = handler(
      `await get("https://a.x.com/1"); await get("https://b.x.com/2");`,
      `async function get(url: string) { const r = await fetch(url); return r.json(); }`,
    );
    const a = one(source);
    const fetchHandler = a.handlers.find((h) => h.kind === "fetch")!;
    const text = describeHandler(a, fetchHandler, () => new LineIndex(source));
    assert.ok(text.includes("1. fetch → a\\.x\\.com (line 1)\n2. fetch → b\\.x\\.com (line 1)"), text);
  });

  it("through two helpers, and in Promise.all (one round trip, two hosts)", () => {
    const a = one(
      handler(
        `await user("7"); await Promise.all([get("https://c.x.com"), get("https://d.x.com")]);`,
        `async function get(url: string) { return (await fetch(url)).json(); }
function user(id: string) { return get(\`https://users.x.com/\${id}\`); }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["c.x.com=1", "d.x.com=1", "users.x.com=1"]);
  });

  it("a call whose URL is unknown makes that call path unknown, never none", () => {
    const a = strictOne(
      handler(
        `await get("https://a.x.com/1"); await get(lookup("billing"));`,
        `import { lookup } from "directory"; async function get(url: string) { return fetch(url); }`,
      ),
    );
    assert.equal(a.roundTrips, 1);
    assert.equal(a.possibleRoundTrips, 2);
    assert.equal(a.unknowns.length, 1);
    assert.equal(
      a.unknowns[0]!,
      'the URL url cannot be resolved to a host: it is what lookup(...) from "directory" returns (index.ts:1, called from index.ts:3)',
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("the first call unknown, the second known: still unknown", () => {
    const a = strictOne(
      handler(
        `await get(lookup("billing")); await get("https://a.x.com/1");`,
        `import { lookup } from "directory"; async function get(url: string) { return fetch(url); }`,
      ),
    );
    assert.equal(a.roundTrips, 1);
    assert.equal(a.possibleRoundTrips, 2);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a helper whose URL does not depend on its arguments is walked once (same answer as before)", () => {
    const a = one(
      handler(
        `await save("a"); await save("b");`,
        `async function save(body: string) { return fetch("https://s.x.com", { method: "POST", body }); }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["s.x.com"]);
  });

  it("analysed again after an edit elsewhere (kept summaries) equals a fresh analysis", () => {
    const files = {
      "/w/src/http.ts": `export async function get(url: string) { return (await fetch(url)).json(); }`,
      "/w/src/index.ts": handler(`await get("https://a.x.com"); await get("https://b.x.com");`, `import { get } from "./http";`),
    };
    const fs = new MemoryFileSystem(files);
    const input = {
      fs,
      projectRoot: "/w",
      main: "src/index.ts",
      pagesBuildOutputDir: null,
      vars: {},
      bindings: NO_BINDINGS,
    };
    const cache = createAnalysisCache();
    analyzeWorker(input, cache);
    analyzeWorker(input, cache);
    fs.set("/w/src/index.ts", files["/w/src/index.ts"] + "\n// edited\n");
    const again = analyzeWorker(input, cache);
    const fresh = analyzeWorker(input, createAnalysisCache());
    assert.equal(JSON.stringify(again), JSON.stringify(fresh));
    assert.deepEqual(hosts(again), ["a.x.com=1", "b.x.com=1"]);
  });
});

describe("for await over async iterables", () => {
  it("a class with [Symbol.asyncIterator], also inherited", () => {
    const a = one(
      handler(
        `for await (const x of new Feed()) {} for await (const y of new Child()) {}`,
        `class Base { async *[Symbol.asyncIterator]() { const r = await fetch("https://base.x.com"); yield r; } }
class Child extends Base {}
class Feed { async *[Symbol.asyncIterator]() { const r = await fetch("https://feed.x.com"); yield r; } }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["base.x.com=1", "feed.x.com=1"]);
  });

  it("an object literal with one, in a variable", () => {
    const a = one(
      handler(
        `for await (const page of pages) {}`,
        `const pages = { async *[Symbol.asyncIterator]() { yield await fetch("https://pages.x.com"); } };`,
      ),
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(hosts(a), ["pages.x.com=1"]);
  });

  it("an async generator method: its body runs on the path, a loop inside it counted as a loop", () => {
    const a = one(
      handler(
        `const s = new Stream(); for await (const c of s.chunks()) {}`,
        `class Stream { async *chunks() { const first = await fetch("https://one.x.com"); yield first; for (let i = 0; i < 3; i++) yield await fetch("https://many.x.com/" + i); } }`,
      ),
    );
    // The loop's bound is a literal 3: three round trips.
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(hosts(a), ["many.x.com=3", "one.x.com=1"]);
  });

  it("a plain for...of does not run [Symbol.asyncIterator]", () => {
    const a = one(
      handler(
        `for (const x of [1, 2]) {} for await (const y of [fetch("https://list.x.com")]) {}`,
        `class Feed { async *[Symbol.asyncIterator]() { yield await fetch("https://feed.x.com"); } }`,
      ),
    );
    assert.deepEqual(hosts(a), ["list.x.com=1"]);
  });
});

describe("options given to constructors and helpers", () => {
  const client = `class Base { constructor(readonly opts: { baseUrl?: string }) {} load() { return fetch(this.opts.baseUrl + "/x"); } }
class Api { base: string; constructor(opts: { baseUrl?: string }) { this.base = opts.baseUrl || "https://default.x.com"; } load() { return fetch(this.base + "/y"); } }`;

  it("`opts.baseUrl` of a parameter: what the calls pass", () => {
    const a = one(
      handler(
        `await get({ baseUrl: "https://a.x.com" }); await get({ baseUrl: "https://b.x.com" });`,
        `async function get(opts: { baseUrl: string }) { return fetch(opts.baseUrl + "/p"); }`,
      ),
    );
    assert.deepEqual(hosts(a), ["a.x.com=1", "b.x.com=1"]);
  });

  it("`opts.baseUrl || DEFAULT` where no call gives baseUrl is the default; one that gives it is that", () => {
    const none = one(handler(`await new Api({}).load();`, client));
    assert.deepEqual(hosts(none), ["default.x.com=1"]);
    const given = one(handler(`await new Api({ baseUrl: "https://given.x.com" }).load();`, client));
    assert.deepEqual(hosts(given), ["given.x.com=1"]);
  });

  it("a call that spreads an unknown object, or passes a variable, leaves the default unknown", () => {
    const spread = strictOne(
      handler(`const o = settings() as any; await new Api({ ...o }).load();`, `import { settings } from "directory";\n${client}`),
    );
    assert.equal(spread.roundTrips, 0);
    assert.equal(spread.possibleRoundTrips, 1);
    const passed = strictOne(
      handler(`const o = settings() as any; await new Api(o).load();`, `import { settings } from "directory";\n${client}`),
    );
    assert.equal(passed.possibleRoundTrips, 1);
    assert.equal(statusOf(passed), "UNKNOWN");
  });

  it("`super({ ...opts, baseUrl })`: what the subclass gives its base class's constructor", () => {
    const a = one(
      handler(
        `await new Child({}).load();`,
        `${client}\nclass Child extends Base { constructor(opts: { baseUrl?: string }) { const baseUrl = opts.baseUrl ?? "https://child.x.com"; super({ ...opts, baseUrl }); } }`,
      ),
    );
    assert.deepEqual(hosts(a), ["child.x.com=1"]);
  });

  it("a table with computed constant keys, read with a constant: that entry only", () => {
    const a = one(
      handler(
        `const b = TABLE[B]; await fetch(b.url); const any = TABLE[key]; await fetch(any.url);`,
        `const A = "a"; const B = "b"; const TABLE = { [A]: { url: "https://a.x.com" }, [B]: { url: "https://b.x.com" } };
declare const key: string;`,
      ),
    );
    assert.deepEqual(targets(a), ["b.x.com", "a.x.com a.x.com:backend b.x.com:backend"]);
  });
});

describe("callback runners", () => {
  it("`storage.run(id, () => source.load(url))`: a synchronous callback that returns the promise runs too", () => {
    const a = one(
      handler(
        `await storage.run("a", () => load("https://a.x.com")); await storage.run("b", function () { return load("https://b.x.com"); });`,
        `declare const storage: { run<T>(id: string, fn: () => T): T };
async function load(url: string) { return (await fetch(url)).json(); }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["a.x.com=1", "b.x.com=1"]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a synchronous callback given to another unknown function is not run", () => {
    const a = one(handler(`await lib.schedule(() => fetch("https://later.x.com"));`, `declare const lib: any;`));
    assert.equal(a.roundTrips, 0);
  });
});

describe("URL constants of well-known packages", () => {
  it("the table: Discord's RouteBases and OAuth2Routes, by module", () => {
    assert.equal(packageUrlConstant("discord-api-types/v10", "RouteBases", "api"), "https://discord.com/api/v10");
    assert.equal(packageUrlConstant("discord-api-types/rest/v9", "RouteBases", "api"), "https://discord.com/api/v9");
    assert.equal(packageUrlConstant("discord-api-types/v10", "OAuth2Routes", "tokenURL"), "https://discord.com/api/v10/oauth2/token");
    assert.equal(packageUrlConstant("discord-api-types/v10", "RouteBases", "toString"), undefined);
    assert.equal(packageUrlConstant("discord-api-types/v8", "RouteBases", "api"), undefined);
    assert.equal(packageUrlConstant("other-package", "RouteBases", "api"), undefined);
  });

  it("RouteBases.api + a route is discord.com, a back end; the CDN is global", () => {
    const a = one(
      handler(
        `await fetch(RouteBases.api + Routes.user()); await fetch(\`\${RouteBases.api}/x\`); await fetch(RouteBases.cdn + "/a.png");`,
        `import { RouteBases, Routes } from "discord-api-types/v10";`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(hosts(a), ["discord.com=2"]);
    assert.deepEqual(targets(a), ["discord.com", "discord.com", "cdn.discordapp.com"]);
    assert.equal(a.subrequests[2]!.category, "global");
  });

  it("a property the table does not have, or a namespace import, stays unknown", () => {
    const a = strictOne(
      handler(
        `await fetch(RouteBases.unknownBase + "/x"); await fetch(D.RouteBases.api + "/y");`,
        `import { RouteBases } from "discord-api-types/v10"; import * as D from "discord-api-types/v10";`,
      ),
    );
    assert.equal(a.roundTrips, 0);
    assert.equal(a.possibleRoundTrips, 2);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});
