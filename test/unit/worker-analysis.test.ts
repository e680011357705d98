import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ts from "typescript";
import { analyzeConfig, type ConfigCache } from "../../server/src/core/analysis";
import { analyse, NO_BINDINGS, one, statusOf } from "./helpers/analyse";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { applyEdits } from "../../server/src/core/text";
import { analyzeWorker, createAnalysisCache } from "../../server/src/core/worker/analyze";
import { collectFacts, type ModuleFacts } from "../../server/src/core/worker/module";
import type { BindingNames, WorkerAnalysis } from "../../server/src/core/worker/types";

// These tests are about what stays unknown: they predict with nothing assumed (see assume.test.ts for the default).
const strictOne = (source: string, options: Parameters<typeof one>[1] = {}) => one(source, { ...options, assume: "strict" });

describe("fetch handler forms", () => {
  it("default-export object with satisfies", () => {
    const a = one(
      `export default { async fetch(req, env, ctx) { await fetch("https://db.example.com/a"); await fetch("https://db.example.com/b"); return new Response(); } } satisfies ExportedHandler;`,
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.kind, h.form]),
      [["fetch", "export default object"]],
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.backends, [{ host: "db.example.com", roundTrips: 2 }]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("<ExportedHandler>{} cast, object defined elsewhere and imported", () => {
    const a = analyse({
      "src/index.ts": `import handler from "./handler";\nexport default handler;`,
      "src/handler.ts": `const handler = <ExportedHandler<Env>>{ fetch: async () => { await fetch("https://api.example.com/x"); return new Response(); }, scheduled() {} };\nexport default handler;`,
    });
    assert.deepEqual(a.handlers.map((h) => h.kind).sort(), ["fetch", "scheduled"]);
    assert.equal(a.roundTrips, 1);
    assert.equal(a.files.length, 2);
  });

  it("Hono app: each route is a path, the Worker takes the worst", () => {
    const a = one(`import { Hono } from "hono";
const app = new Hono();
app.use("*", async (c, next) => { await next(); });
app.get("/a", async (c) => { await fetch("https://db.example.com/1"); return c.text("a"); });
app.post("/b", async (c) => { const x = await fetch("https://db.example.com/1"); const y = await fetch("https://db.example.com/2"); const z = await fetch("https://db.example.com/3"); return c.json({}); });
export default app;`);
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /a", 1],
        ["POST /b", 3],
      ],
    );
    assert.equal(a.roundTrips, 3);
  });

  it("{ fetch: app.fetch } delegates to the router", () => {
    const a = one(
      `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", async (c) => { await fetch("https://x.example.com"); await fetch("https://x.example.com"); return c.text(""); });\nexport default { fetch: app.fetch, async scheduled() {} };`,
    );
    assert.deepEqual(a.handlers.map((h) => h.kind).sort(), ["fetch", "scheduled"]);
    assert.equal(a.roundTrips, 2);
  });

  it("WorkerEntrypoint class with RPC methods", () => {
    const a = one(
      `import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint { async fetch() { await fetch("https://db.example.com"); return new Response(); } async add(a: number) { return a; } }`,
    );
    assert.deepEqual(
      a.handlers.map((h) => h.kind),
      ["fetch", "rpc"],
    );
  });

  it('addEventListener("fetch")', () => {
    const a = one(
      `addEventListener("fetch", (event) => { event.respondWith(handle(event.request)); });\nasync function handle(request) { await fetch("https://db.example.com/1"); return fetch("https://db.example.com/2"); }`,
    );
    assert.equal(a.handlers[0]?.form, 'addEventListener("fetch")');
    assert.equal(a.roundTrips, 2);
  });

  it("cron-only Worker has no fetch handler", () => {
    const a = one(`export default { async scheduled() { await fetch("https://db.example.com"); } };`);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
    assert.equal(a.roundTrips, null);
    assert.equal(a.subrequests[0]?.criticalPath, false);
  });

  it("Durable Object classes are recognised and are not the fetch handler", () => {
    const a = one(
      `import { DurableObject } from "cloudflare:workers";\nexport class Counter extends DurableObject { async fetch() { return new Response(); } }\nexport default { async fetch(req, env) { return env.COUNTER.get(env.COUNTER.idFromName("a")).fetch(req); } };`,
      { bindings: { durableObjects: ["COUNTER"] } },
    );
    assert.deepEqual(a.handlers.map((h) => h.kind).sort(), ["durable-object", "fetch"]);
    assert.equal(a.subrequests[0]?.kind, "durable-object");
    assert.equal(a.roundTrips, 0);
  });

  it("Pages functions with a catch-all middleware", () => {
    const a = analyse(
      {
        "functions/_middleware.ts": `export const onRequest = [async (context) => context.next()];`,
        "functions/api/[id].ts": `export async function onRequestGet({ params }) { await fetch("https://db.example.com/" + params.id); return new Response(); }`,
      },
      { main: null, pages: "public" },
    );
    assert.deepEqual(a.handlers.map((h) => h.route).sort(), ["ALL /*", "GET /api/:id"]);
    assert.equal(a.pagesCatchAllMiddleware, true);
  });
});

describe("entries", () => {
  it("missing build output is UNKNOWN with a clear reason", () => {
    const a = analyse({}, { main: ".open-next/worker.js" });
    assert.match(a.entryProblem!.message, /build output that does not exist yet/);
    assert.equal(statusOf(a), "UNKNOWN");
  });
  it("extension-less main and index files resolve", () => {
    const a = analyse({ "src/index.ts": "export default { fetch() { return new Response(); } }" }, { main: "src" });
    assert.equal(a.entry, "/w/src/index.ts");
  });
  it("generated d.ts files are never analysed", () => {
    const a = analyse({
      "src/index.ts": `/// <reference path="../worker-configuration.d.ts" />\nimport "./types";\nexport default { fetch() { return new Response(); } };`,
      "src/types.d.ts": "declare function fetch(input: string): Promise<Response>;",
    });
    assert.ok(!a.files.some((f) => f.endsWith(".d.ts")));
    assert.equal(a.subrequests.length, 0);
  });
});

describe("subrequests", () => {
  it("fetch inside a string is not a call", () => {
    const a = one('export default { fetch() { return new Response("<script>fetch(\\"/api\\")</script>"); } };');
    assert.equal(a.subrequests.length, 0);
  });
  it("D1 queries and batch are round trips to the database today (D1 pinning ended 2025-02-13)", () => {
    const source = `export default { async fetch(req, env) { await env.DB.prepare("select 1").first(); await env.DB.batch([env.DB.prepare("a"), env.DB.prepare("b")]); return new Response(); } };`;
    const a = one(source, { bindings: { d1: ["DB"] } });
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.category]),
      [
        ["d1", "DB", "backend"],
        ["d1", "DB", "backend"],
      ],
    );
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a, ["DB"]), "SUCCESS");
    assert.match(a.subrequests[0]!.note ?? "", /D1 no longer pins Workers since 2025-02-13/);
  });
  it("under the 2024 rules D1 queries are bindings and a D1 binding pins the Worker", () => {
    const a = one(
      `export default { async fetch(req, env) { await env.DB.prepare("select 1").first(); await env.DB.batch([env.DB.prepare("a"), env.DB.prepare("b")]); return new Response(); } };`,
      { bindings: { d1: ["DB"] }, platformRules: "2024" },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.category]),
      [
        ["d1", "DB", "binding"],
        ["d1", "DB", "binding"],
      ],
    );
    assert.equal(statusOf(a, ["DB"], false, "2024"), "D1_PINNED");
  });
  it("KV, R2, queues, AI, services, assets are bindings", () => {
    const a = one(
      `export default { async fetch(req, env) { await env.KV.get("k"); await env.BUCKET.put("k", "v"); await env.Q.send({}); await env.AI.run("m", {}); await env.AUTH.fetch(req); return env.ASSETS.fetch(req); } };`,
      {
        bindings: { kv: ["KV"], r2: ["BUCKET"], queues: ["Q"], ai: ["AI"], services: ["AUTH"], assets: ["ASSETS"] },
      },
    );
    assert.deepEqual(
      a.subrequests.map((s) => s.kind),
      ["kv", "r2", "queue", "ai", "service", "other"],
    );
    assert.ok(a.subrequests.every((s) => s.category === "binding"));
    assert.equal(a.servesAssetsBinding, true);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
  it("database SDK clients: each awaited query is a round trip", () => {
    const a = one(
      `import { neon } from "@neondatabase/serverless";\nexport default { async fetch(req, env) { const sql = neon(env.DATABASE_URL); const a = await sql\`select 1\`; const b = await sql\`select 2\`; return Response.json({a, b}); } };`,
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.category]),
      [
        ["sdk", "backend"],
        ["sdk", "backend"],
      ],
    );
    assert.equal(a.roundTrips, 2);
  });
  it("Supabase chained query counts once", () => {
    const a = one(
      `import { createClient } from "@supabase/supabase-js";\nexport default { async fetch(req, env) { const supabase = createClient("https://abc.supabase.co", env.KEY); const { data } = await supabase.from("t").select("*").eq("id", 1); return Response.json(data); } };`,
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target]),
      [["sdk", "abc.supabase.co"]],
    );
  });
  it("connect() sockets and Hyperdrive", () => {
    const a = one(
      `import { connect } from "cloudflare:sockets";\nimport postgres from "postgres";\nexport default { async fetch(req, env) { const s = connect({ hostname: "db.example.com", port: 5432 }); const sql = postgres(env.HYPERDRIVE.connectionString); await sql\`select 1\`; return new Response(); } };`,
      { bindings: { hyperdrive: ["HYPERDRIVE"] } },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target]),
      [
        ["socket", "db.example.com"],
        ["sdk", "hyperdrive:HYPERDRIVE"],
      ],
    );
  });
});

describe("what cannot be followed is unknown, never nothing", () => {
  it("a string method on a variable read by a computed name is not a binding call", () => {
    const a = one(
      `export default { async fetch(req, env) { const host = env[req.headers.get("x") ?? "HOST"].trim(); await fetch("https://api.example.com/" + host); return new Response(); } };`,
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.category]),
      [["fetch", "backend"]],
    );
    assert.deepEqual(a.unknowns, []);
  });
  it("calls of an unknown package's client waited for together in Promise.all are unknown", () => {
    const a = strictOne(
      `import { StatsClient } from "acme-stats";\nexport default { async fetch(req, env) { const s = new StatsClient(env.KEY); const [a, b] = await Promise.all([s.latest(1), s.latest(2)]); return Response.json({ a, b }); } };`,
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.category, s.criticalPath]),
      [
        ["other", "unknown", true],
        ["other", "unknown", true],
      ],
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join("\n"), /StatsClient from "acme-stats"/);
  });
  it("a call through an import the project does not have is unknown and named", () => {
    const a = one(
      `import { load } from "~/data/load";\nexport default { async fetch(req) { const data = await load(req); return Response.json(data); } };`,
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join("\n"), /load\(\.\.\.\) comes from "~\/data\/load"/);
    // A package that is not installed is a package: a call of it is not taken for missing code.
    const b = one(
      `import { format } from "date-fns";\nexport default { async fetch(req) { await fetch("https://api.example.com/" + format(new Date(), "yyyy")); return new Response(); } };`,
    );
    assert.equal(statusOf(b), "INSUFFICIENT_SUBREQUESTS");
  });
});

describe("hosts", () => {
  it("literals, templates, concatenation, constants, new URL and [vars]", () => {
    const a = one(
      `const BASE = "https://const.example.com";
export default { async fetch(req, env) {
  await fetch(\`https://tpl.example.com/\${1}\`);
  await fetch("https://concat.example.com" + "/x");
  await fetch(BASE + "/y");
  await fetch(new URL("/z", "https://url.example.com"));
  await fetch(\`\${env.API_BASE}/users\`);
  return new Response();
} };`,
      { vars: { API_BASE: "https://vars.example.com" } },
    );
    assert.deepEqual(
      a.subrequests.map((s) => s.target),
      ["tpl.example.com", "concat.example.com", "const.example.com", "url.example.com", "vars.example.com"],
    );
  });
  it("constants imported into the file that uses them, not names that shadow them or imports of other files", () => {
    const a = analyse({
      "src/config.ts": `export const API_BASE = "https://imported.example.com";`,
      "src/index.ts": `import { API_BASE } from "./config";\nimport { load } from "./load";
export default { async fetch(req) {
  await fetch(API_BASE + "/a");
  await load("https://param.example.com");
  return new Response();
} };`,
      "src/load.ts": `export async function load(API_BASE: string) {\n  await fetch(API_BASE + "/b");\n}\nexport async function other() {\n  await fetch(\`\${API_BASE}/c\`);\n}`,
    });
    assert.deepEqual(
      a.subrequests.map((s) => [s.file.slice(3), s.target]),
      [
        ["src/index.ts", "imported.example.com"],
        ["src/load.ts", "param.example.com"], // a parameter: what the one call passes
        ["src/load.ts", null], // load.ts does not import API_BASE
      ],
    );
  });
  it("analytics and global hosts are ignored: NO_VALID_HOSTS", () => {
    const a = one(
      `export default { async fetch() { await fetch("https://api.honeycomb.io/x"); await fetch("https://www.googleapis.com/y"); return new Response(); } };`,
    );
    assert.deepEqual(
      a.subrequests.map((s) => s.category),
      ["analytics", "global"],
    );
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
  it("settings extend the host table", () => {
    const fs = new MemoryFileSystem({
      "/w/src/index.ts": `export default { async fetch() { await fetch("https://logs.acme.dev/x"); return new Response(); } };`,
    });
    const a = analyzeWorker({
      fs,
      projectRoot: "/w",
      main: "src/index.ts",
      pagesBuildOutputDir: null,
      vars: {},
      bindings: NO_BINDINGS,
      hostCategories: { analytics: ["acme.dev"] },
    });
    assert.equal(a.subrequests[0]?.category, "analytics");
  });
});

describe("round trips", () => {
  const trips = (body: string, extra = ""): number | null =>
    one(`${extra}\nexport default { async fetch(req, env, ctx) { ${body} return new Response(); } };`).roundTrips;
  const F = (n: number): string => `fetch("https://db.example.com/${n}")`;
  it("sequential awaits add up", () => assert.equal(trips(`await ${F(1)}; await ${F(2)}; await ${F(3)};`), 3));
  it("Promise.all is one round trip", () => assert.equal(trips(`await Promise.all([${F(1)}, ${F(2)}]);`), 1));
  it("a loop counts twice", () => assert.equal(trips(`for (const x of [1, 2]) { await ${F(1)}; }`), 2));
  it("branches take the larger", () => assert.equal(trips(`if (req.url) { await ${F(1)}; } else { await ${F(2)}; await ${F(3)}; }`), 2));
  it("an early return ends a path", () => assert.equal(trips(`await ${F(1)}; if (req.url) return new Response(); await ${F(2)};`), 2));
  it("a dispatcher chain takes the worst handler, not the sum of them", () => {
    const handlers = `
async function a(req) { if (!req.url) return null; await ${F(1)}; await ${F(2)}; return new Response("a"); }
async function b(req) { if (!req.url) return undefined; await ${F(3)}; await ${F(4)}; return Response.json({}); }`;
    assert.equal(trips(`let r = await a(req); if (r) return r; r = await b(req); if (r !== null) { return r; }`, handlers), 2);
  });
  it("a dispatcher chain still counts what a handler does before it returns nothing", () => {
    const handlers = `
async function a(req) { const s = await ${F(1)}; if (!s.ok) return null; await ${F(2)}; return new Response("a"); }
async function b(req) { await ${F(3)}; await ${F(4)}; return new Response("b"); }
async function c(req) { return await a(req); }`;
    // a: one round trip on the path that goes on to b (two).
    assert.equal(trips(`const r = await a(req); if (r) return r; const s = await b(req); if (s) return s;`, handlers), 3);
    // A function declared to return a response, and `return r` under `if (r)`, return something.
    const typed = `
async function render(): Promise<Response> { const x = await ${F(5)}; return x.ok ? Response.json(1) : await fallback(); }
async function fallback() { return null; }
async function d(req) { const r = await ${F(1)}; if (!req.url) return null; const blocked = await ${F(2)}; if (blocked) return blocked; return render(); }
async function b(req) { await ${F(3)}; await ${F(4)}; return new Response("b"); }`;
    assert.equal(trips(`const r = await d(req); if (r) return r; const s = await b(req); if (s) return s;`, typed), 3);
    // What c returns may be nothing (it is a's answer): c's every path goes on.
    assert.equal(trips(`const r = await c(req); if (r) return r; const s = await b(req); if (s) return s;`, handlers), 4);
  });
  it("awaited helpers contribute, across modules", () => {
    const a = analyse({
      "src/index.ts": `import { load } from "./db";\nexport default { async fetch() { await load(); await load(); return new Response(); } };`,
      "src/db.ts": `export async function load() { return (await fetch("https://db.example.com")).json(); }`,
    });
    assert.equal(a.roundTrips, 2);
  });
  it("module cycles are safe", () => {
    const a = analyse({
      "src/index.ts": `import { a } from "./a";\nexport default { async fetch() { await a(); return new Response(); } };`,
      "src/a.ts": `import { b } from "./b";\nexport async function a() { await fetch("https://db.example.com"); await b(); }`,
      "src/b.ts": `import { a } from "./a";\nexport async function b() { if (Math.random() > 2) await a(); }`,
    });
    assert.equal(a.roundTrips, 1);
  });
  it("waitUntil calls are off the response path, in every form", () => {
    const a = one(`import { waitUntil } from "cloudflare:workers";
export default { async fetch(req, env, ctx) {
  ctx.waitUntil(fetch("https://db.example.com/1"));
  waitUntil(fetch("https://db.example.com/2"));
  ctx.waitUntil((async () => { await fetch("https://db.example.com/3"); })());
  await fetch("https://db.example.com/4");
  return new Response();
} };`);
    assert.deepEqual(
      a.subrequests.map((s) => s.waitUntil),
      [true, true, true, false],
    );
    assert.equal(a.roundTrips, 1);
  });
  it("dynamic dispatch over a constant table of functions counts the worst of them", () => {
    const a = one(
      `const handlers = { a: async () => fetch("https://db.example.com"), b: async () => { await fetch("https://db.example.com/1"); return fetch("https://db.example.com/2"); } };\nexport default { async fetch(req) { const name = new URL(req.url).pathname; return handlers[name](req); } };`,
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("dynamic dispatch the analyser cannot resolve is unknown, and listed, never zero", () => {
    const a = one(
      `import { routes } from "some-registry";\nexport default { async fetch(req) { const name = new URL(req.url).pathname; return routes[name](req); } };`,
    );
    assert.match(a.unknowns[0] ?? "", /^routes\[name\]\(\.\.\.\) is a dynamic call whose target cannot be resolved \(index\.ts:2\)$/);
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.category, s.criticalPath]),
      [["other", null, "unknown", true]],
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("blocking analytics quick fix", () => {
  const check = (source: string, expected: string | undefined): void => {
    const a = one(source);
    const finding = a.findings.find((f) => f.code === "subrequest-blocking-analytics");
    assert.ok(finding, "finding expected");
    const fix = finding.fixes[0];
    if (expected === undefined) return assert.equal(fix, undefined);
    assert.ok(fix);
    const result = applyEdits(source, fix.edits[0]!.edits);
    assert.equal(result, expected);
    const parsed = ts.createSourceFile("x.ts", result, ts.ScriptTarget.Latest, true) as ts.SourceFile & {
      parseDiagnostics: ts.Diagnostic[];
    };
    assert.equal(parsed.parseDiagnostics.length, 0);
  };
  it("uses the handler's ctx", () =>
    check(
      `export default { async fetch(request, env, ctx) {\n  await fetch("https://api.honeycomb.io/1", { method: "POST" });\n  return new Response();\n} };`,
      `export default { async fetch(request, env, ctx) {\n  ctx.waitUntil(fetch("https://api.honeycomb.io/1", { method: "POST" }));\n  return new Response();\n} };`,
    ));
  it("adds the context parameter when missing", () =>
    check(
      `export default { async fetch(request) {\n  await fetch("https://api.honeycomb.io/1");\n  return new Response();\n} };`,
      `export default { async fetch(request, _env, ctx) {\n  ctx.waitUntil(fetch("https://api.honeycomb.io/1"));\n  return new Response();\n} };`,
    ));
  it("Hono: c.executionCtx", () =>
    check(
      `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", async (c) => {\n  await fetch("https://us.i.posthog.com/capture");\n  return c.text("ok");\n});\nexport default app;`,
      `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", async (c) => {\n  c.executionCtx.waitUntil(fetch("https://us.i.posthog.com/capture"));\n  return c.text("ok");\n});\nexport default app;`,
    ));
  it("classes: this.ctx", () =>
    check(
      `import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint {\n  async fetch() {\n    await fetch("https://http-intake.logs.datadoghq.com/x");\n    return new Response();\n  }\n}`,
      `import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint {\n  async fetch() {\n    this.ctx.waitUntil(fetch("https://http-intake.logs.datadoghq.com/x"));\n    return new Response();\n  }\n}`,
    ));
  it("reported without a fix when the value is used", () => {
    const a = one(`export default { async fetch() { const r = await fetch("https://api.honeycomb.io/1"); return r; } };`);
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.fixes.length]),
      [["subrequest-blocking-analytics", 0]],
    );
  });
  it("not reported when not awaited or inside waitUntil", () => {
    const a = one(
      `export default { async fetch(r, e, ctx) { fetch("https://api.honeycomb.io/1"); ctx.waitUntil(fetch("https://api.honeycomb.io/2")); return new Response(); } };`,
    );
    assert.equal(a.findings.length, 0);
  });
});

describe("limits", () => {
  it("a file over the size limit is reported, not analysed", () => {
    const big = "// x\n".repeat(600_000);
    const a = one(big + "export default { fetch() { return new Response(); } };");
    assert.equal(a.findings[0]?.code, "analysis-limit");
  });
  it("a variable initialised with itself (half-typed code) ends the lookup", () => {
    const a = one(
      `export default { async fetch(req, env) {
  const store = store;
  await store.get("k");
  const request = new Request(request);
  await fetch(request);
  return new Response();
} };`,
      { bindings: { kv: ["store"] } },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target]),
      [["fetch", null]],
    );
  });
  it("10,000-deep nesting is bounded", () => {
    const deep = "export default { fetch() { return " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + "; } };";
    const a = one(deep);
    assert.equal(a.findings[0]?.code, "analysis-limit");
  });
});

describe("incremental analysis", () => {
  it("a config is parsed again only when its text changes", () => {
    const toml = 'name = "api"\nmain = "src/index.ts"\n';
    const source = (n: number) =>
      `export default { async fetch() { ${'await fetch("https://db.example.com/x"); '.repeat(n)}return new Response(); } };\n`;
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": toml, "/w/src/index.ts": source(1) });
    const configCache: ConfigCache = new Map();
    const first = analyzeConfig(fs, "/w/wrangler.toml", toml, { configCache });
    fs.set("/w/src/index.ts", source(2));
    const afterSourceEdit = analyzeConfig(fs, "/w/wrangler.toml", toml, { configCache });
    assert.equal(afterSourceEdit.config, first.config, "the same parsed config");
    assert.equal(afterSourceEdit.workers[0]?.analysis.roundTrips, 2);
    const smart = `${toml}\n[placement]\nmode = "smart"\n`;
    const afterConfigEdit = analyzeConfig(fs, "/w/wrangler.toml", smart, { configCache });
    assert.notEqual(afterConfigEdit.config, first.config);
    assert.equal(afterConfigEdit.workers[0]?.effectivePlacement?.mode, "smart");
  });

  it("a file whose edit broke its syntax is parsed afresh when the edit is undone", () => {
    // Found by the multi-file fuzz property: from this broken tree, TypeScript's incremental
    // parser rebuilt the undone text with one call fewer than a fresh parse finds.
    const functions = [
      "export async function load0_0(id: string, env: { API: string }): Promise<unknown> {\n  if (id.length > 1) {\n  }",
      "  results.push(await (await fetch(`${BASE_0}/items/${id}?n=2`)).json());\n}",
      "export async function load0_1(id: string, env: { API: string }): Promise<unknown> {\n}",
      "export async function load0_2(id: string, env: { API: string }): Promise<unknown> {\n  results.push(a1, b1);\n  return results;\n}",
      "export async function relay0(id: string, env: any, ctx: ExecutionContext, request: Request): Promise<unknown> {\n}",
    ];
    const valid = ['const BASE_0 = "https://db.example.com";', ...functions.slice(0, 3), "", ...functions.slice(3)].join("\n");
    const broken = ["const // module 0\nc// module 0\nconst // module 0", `const BASE_0 = "${functions[0]}[`, ...functions.slice(1)].join(
      "\n",
    );
    const undone = collectFacts("/w/m.ts", valid, collectFacts("/w/m.ts", broken, collectFacts("/w/m.ts", valid)));
    const calls = (facts: ModuleFacts) => facts.calls.map((call) => [call.pos, call.end]);
    assert.equal(undone.calls.length, 4);
    assert.deepEqual(calls(undone), calls(collectFacts("/w/m.ts", valid)));
  });

  it("an edited file re-parsed incrementally gives the same result as a fresh parse", () => {
    const before = `export default { async fetch() { await fetch("https://db.example.com/1"); return new Response(); } };\nasync function unused() { return 1; }\n`;
    const after = before.replace("return new Response();", 'await fetch("https://db.example.com/2"); return new Response();');
    const fs = new MemoryFileSystem({ "/w/src/index.ts": before });
    const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO_BINDINGS };
    const cache = createAnalysisCache();
    assert.equal(analyzeWorker(input, cache).roundTrips, 1);
    assert.equal(cache.modules.has("/w/src/index.ts"), false, "a file asked for once is not kept");
    assert.equal(analyzeWorker(input, cache).roundTrips, 1);
    assert.equal(cache.modules.has("/w/src/index.ts"), true, "asked for again: kept for the next edit");
    fs.set("/w/src/index.ts", after);
    const incremental = analyzeWorker(input, cache);
    const fresh = analyzeWorker(input, createAnalysisCache());
    assert.equal(incremental.roundTrips, 2);
    assert.deepEqual(
      incremental.subrequests.map((s) => [s.span.start, s.span.end, s.target]),
      fresh.subrequests.map((s) => [s.span.start, s.span.end, s.target]),
    );
  });
});

describe("function summaries kept between analyses", () => {
  const files = {
    "/w/src/index.ts": `import { loadUser } from "./service";\nimport { track } from "./analytics";\nexport default {\n  async fetch(request: Request, env: Env, ctx: ExecutionContext) {\n    const user = await loadUser(env, ctx);\n    ctx.waitUntil(track("view"));\n    return Response.json(user);\n  },\n};\n`,
    "/w/src/service.ts": `import { query } from "./db";\nimport { track } from "./analytics";\nexport async function loadUser(env: Env, ctx: ExecutionContext) {\n  const profile = await query("profile");\n  ctx.waitUntil(track("load"));\n  return { profile, settings: await query("settings") };\n}\n`,
    "/w/src/db.ts": `import { DB_URL } from "./config";\nexport async function query(name: string) {\n  const response = await fetch(DB_URL + name);\n  return response.json();\n}\n`,
    "/w/src/config.ts": `export const DB_URL = "https://db.example.com/";\n`,
    "/w/src/analytics.ts": `export async function track(event: string) {\n  await fetch("https://api.segment.io/v1/track", { method: "POST", body: event });\n}\n`,
  };

  function worker(bindings: Partial<BindingNames> = {}) {
    const fs = new MemoryFileSystem(files);
    const cache = createAnalysisCache();
    const input = {
      fs,
      projectRoot: "/w",
      main: "src/index.ts",
      pagesBuildOutputDir: null,
      vars: {},
      bindings: { ...NO_BINDINGS, ...bindings },
    };
    /** Analyses with the shared cache and checks the result against a fresh analysis. */
    const analyseAgain = (): WorkerAnalysis => {
      const result = analyzeWorker(input, cache);
      assert.deepEqual(result, analyzeWorker(input, createAnalysisCache()));
      return result;
    };
    return { fs, cache, input, analyseAgain };
  }

  it("an edit to the entry replays the unchanged modules' summaries instead of walking them", () => {
    const { fs, cache, analyseAgain } = worker();
    analyseAgain();
    analyseAgain();
    assert.deepEqual(cache.summaryStats, { kept: 0, replayed: 0 }, "files read once or just re-read: nothing kept yet");
    analyseAgain();
    // loadUser, query and track: the entry's fetch handler is in the file that changes next.
    assert.deepEqual(cache.summaryStats, { kept: 4, replayed: 0 });
    fs.set(
      "/w/src/index.ts",
      files["/w/src/index.ts"].replace("return Response", 'await fetch("https://db.example.com/audit");\n    return Response'),
    );
    const edited = analyseAgain();
    assert.equal(edited.roundTrips, 3);
    assert.equal(cache.summaryStats.replayed, 3, "loadUser, track, and nothing below them walked again");
    assert.deepEqual(
      edited.subrequests.map((s) => [s.file.slice(7), s.target, s.criticalPath, s.waitUntil]),
      [
        ["analytics.ts", "api.segment.io", false, true],
        ["db.ts", "db.example.com", true, false],
        ["index.ts", "db.example.com", true, false],
      ],
    );
  });

  it("a summary replayed in another marking marks its subrequests as that walk would", () => {
    const { fs, cache, analyseAgain } = worker();
    for (let i = 0; i < 3; i++) analyseAgain();
    // track() was walked inside waitUntil; now it is awaited on the response path.
    fs.set("/w/src/index.ts", files["/w/src/index.ts"].replace("ctx.waitUntil(track", "await (track"));
    const awaited = analyseAgain();
    assert.equal(cache.summaryStats.replayed, 4, "loadUser, query, track in loadUser's waitUntil, and track awaited");
    const analytics = awaited.subrequests.find((s) => s.target === "api.segment.io");
    assert.deepEqual([analytics?.criticalPath, analytics?.waitUntil], [true, false]);
    assert.deepEqual(
      awaited.findings.map((f) => [f.code, f.file]),
      [["subrequest-blocking-analytics", "/w/src/analytics.ts"]],
    );
    // Now only loadUser's own waitUntil reaches it: replayed on the response path, still deferred.
    fs.set("/w/src/index.ts", files["/w/src/index.ts"].replace('ctx.waitUntil(track("view"));', ""));
    const deferred = analyseAgain().subrequests.find((s) => s.target === "api.segment.io");
    assert.equal(cache.summaryStats.replayed, 7, "loadUser, query and track again");
    assert.deepEqual([deferred?.criticalPath, deferred?.waitUntil], [false, true]);
  });

  it("a change to a module invalidates the summaries of everything that can reach it", () => {
    const { fs, cache, analyseAgain } = worker();
    for (let i = 0; i < 3; i++) analyseAgain();
    // query() reads the constant, nothing calls into config.ts: its closure says it can reach it.
    fs.set("/w/src/config.ts", files["/w/src/config.ts"].replace("db.example.com", "db2.example.com"));
    const edited = analyseAgain();
    assert.deepEqual(edited.backends, [{ host: "db2.example.com", roundTrips: 2 }]);
    assert.equal(cache.summaryStats.replayed, 1, "only track(), which cannot reach config.ts");
  });

  it("an import that resolves to a new file invalidates the summaries that went through it", () => {
    const { fs, analyseAgain } = worker();
    fs.set("/w/src/db.js", `export async function query(name) { return name; }\n`);
    fs.delete("/w/src/db.ts");
    for (let i = 0; i < 4; i++) assert.equal(analyseAgain().roundTrips, 0);
    fs.set("/w/src/db.ts", files["/w/src/db.ts"]); // "./db" now means db.ts, which bundlers try first
    assert.equal(analyseAgain().roundTrips, 2);
  });

  it("summaries are kept per input: other bindings mean other analyses", () => {
    const { cache, input, analyseAgain } = worker();
    for (let i = 0; i < 4; i++) analyseAgain();
    const replayed = cache.summaryStats.replayed;
    assert.ok(replayed > 0);
    const withDb = { ...input, bindings: { ...NO_BINDINGS, d1: ["DB"] } };
    assert.deepEqual(analyzeWorker(withDb, cache), analyzeWorker(withDb, createAnalysisCache()));
    assert.equal(cache.summaryStats.replayed, replayed);
  });

  it("a summary kept at one call depth is not replayed past the depth limit at another", () => {
    const chain = Array.from(
      { length: 45 },
      (_, i) =>
        `export async function a${i}() {\n  await fetch("https://db.example.com/${i}");\n${i < 44 ? `  return a${i + 1}();\n` : ""}}\n`,
    ).join("");
    const entry = (calls: string) =>
      `import { a0, a20, a40 } from "./chain";\nexport default { async fetch(request, env, ctx) { ${calls} return new Response(); } };\n`;
    const fs = new MemoryFileSystem({ "/w/src/index.ts": entry("await a20(); await a0();"), "/w/src/chain.ts": chain });
    const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO_BINDINGS };
    const cache = createAnalysisCache();
    // a20 is walked first, from the handler: its summary (a20 to a44) is whole and kept.
    for (let i = 0; i < 3; i++) assert.equal(analyzeWorker(input, cache).roundTrips, 25 + 45);
    // a40 in waitUntil first (its records exist), then a0: a39 is 40 calls deep and its call to
    // a40 is past the limit. A replay of a39's summary would count a40 to a44; a fresh walk does not.
    fs.set("/w/src/index.ts", entry("ctx.waitUntil(a40()); await a0();"));
    const deep = analyzeWorker(input, cache);
    assert.deepEqual(deep, analyzeWorker(input, createAnalysisCache()));
    assert.equal(deep.roundTrips, 40);
  });

  it("modules in an import cycle share their closure: a change below the cycle invalidates all of it", () => {
    const fs = new MemoryFileSystem({
      "/w/src/index.ts": `import { a } from "./a";\nexport default { async fetch() { await a(); return new Response(); } };\n`,
      "/w/src/a.ts": `import { b } from "./b";\nexport async function a() {\n  await fetch("https://db.example.com/a");\n  return b();\n}\n`,
      "/w/src/b.ts": `import { a } from "./a";\nimport { DB } from "./c";\nexport async function b() {\n  await fetch(DB + "/b");\n}\n`,
      "/w/src/c.ts": `export const DB = "https://db.example.com";\n`,
    });
    const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO_BINDINGS };
    const cache = createAnalysisCache();
    const analyseAgain = (): WorkerAnalysis => {
      const result = analyzeWorker(input, cache);
      assert.deepEqual(result, analyzeWorker(input, createAnalysisCache()));
      return result;
    };
    for (let i = 0; i < 3; i++) analyseAgain();
    fs.set("/w/src/index.ts", `${fs.readFile("/w/src/index.ts")}// edited\n`);
    assert.equal(analyseAgain().roundTrips, 2);
    assert.equal(cache.summaryStats.replayed, 2, "a and b");
    fs.set("/w/src/c.ts", fs.readFile("/w/src/c.ts")!.replace("db.example.com", "db2.example.com"));
    // b only reads a constant from c.ts: nothing but its closure says it depends on it.
    assert.deepEqual(analyseAgain().backends, [
      { host: "db.example.com", roundTrips: 1 },
      { host: "db2.example.com", roundTrips: 1 },
    ]);
    assert.equal(cache.summaryStats.replayed, 2, "nothing more: a and b can reach c, and c changed");
  });

  it("a Worker larger than the cache keeps its trees and summaries (other files make room)", () => {
    const fs = new MemoryFileSystem(files);
    const cache = createAnalysisCache(2);
    const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO_BINDINGS };
    for (let i = 0; i < 3; i++) analyzeWorker(input, cache);
    assert.equal(cache.modules.size, 5, "all five files of the Worker, over a capacity of 2");
    fs.set("/w/src/index.ts", `${files["/w/src/index.ts"]}// edited\n`);
    assert.deepEqual(analyzeWorker(input, cache), analyzeWorker(input, createAnalysisCache()));
    assert.equal(cache.summaryStats.replayed, 3);
    // Another Worker analysed with the same cache: the first one's files make room for it.
    const other = new MemoryFileSystem({ "/v/src/index.ts": "export default { fetch() { return new Response(); } };\n" });
    const otherInput = { ...input, fs: other, projectRoot: "/v" };
    analyzeWorker(otherInput, cache);
    analyzeWorker(otherInput, cache);
    assert.deepEqual([...cache.modules.keys()], ["/w/src/config.ts", "/v/src/index.ts"], "the most recently used, up to the capacity");
  });

  it("can be turned off", () => {
    const fs = new MemoryFileSystem(files);
    const cache = createAnalysisCache(400, { keepSummaries: false });
    const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO_BINDINGS };
    for (let i = 0; i < 4; i++) analyzeWorker(input, cache);
    assert.deepEqual(cache.summaryStats, { kept: 0, replayed: 0 });
  });
});
