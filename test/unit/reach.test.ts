import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Code a handler reaches: dead code told apart from lost wiring, entries that import a framework's
 * build output, routers of packages without an adapter, curried helpers, missing exports.
 */

const WAIT_UNTIL_ENTRY = `import { work } from "./work.js";\nexport default { async fetch(request, env, ctx) { ctx.waitUntil(work(env)); return new Response("ok"); } };`;
const WORK = `export async function work(env) { await fetch("https://api.example-chat.com/send"); }`;

describe("unreached calls in dead code", () => {
  it("an exported helper no module imports, and a function only it calls, do not make the Worker UNKNOWN", () => {
    const a = analyse(
      {
        "src/index.js": WAIT_UNTIL_ENTRY,
        "src/work.js": `${WORK}\nexport async function old(env) { await fetch("https://db.example-store.com/old"); return helper(); }\nasync function helper() { return fetch("https://db.example-store.com/helper"); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("while a module of the project cannot be read, an export nothing seen imports is not taken for dead", () => {
    const a = analyse(
      {
        "src/index.js": `import { work } from "./work.js";\nimport "./gone.js";\nexport default { async fetch(request, env, ctx) { ctx.waitUntil(work(env)); return new Response("ok"); } };`,
        "src/work.js": `${WORK}\nexport async function old() { await fetch("https://db.example-store.com/old"); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, [
      "no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (work.js:2): how it is called could not be followed",
    ]);
  });

  it("a fetch at module top level is not lost wiring", () => {
    const a = analyse(
      { "src/index.js": WAIT_UNTIL_ENTRY, "src/work.js": `${WORK}\nconst warm = fetch("https://db.example-store.com/warm");` },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("an export used only through another name of a namespace import is dead", () => {
    const a = analyse(
      {
        "src/index.js": `import * as W from "./work.js";\nexport default { async fetch(request, env, ctx) { ctx.waitUntil(W.work(env)); return new Response("ok"); } };`,
        "src/work.js": `${WORK}\nexport async function unused() { await fetch("https://db.example-store.com/unused"); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("a function handed to a library on a live path stays unknown: how it is called is not followed", () => {
    const a = analyse(
      {
        "src/index.js": `import { register } from "job-runner";\nimport { job } from "./job.js";\nexport default { async fetch(request, env, ctx) { register(job); return new Response("ok"); } };`,
        "src/job.js": `export async function job() { await fetch("https://db.example-store.com/job"); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, [
      "no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (job.js:1): how it is called could not be followed",
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a function held in a module-level table is live, even when the table is not followed", () => {
    const a = analyse(
      {
        "src/index.js": `import { run } from "task-kit";\nimport { tasks } from "./tasks.js";\nexport default { async fetch(request, env, ctx) { run(tasks); return new Response("ok"); } };`,
        "src/tasks.js": `async function sync() { await fetch("https://db.example-store.com/sync"); }\nexport const tasks = { sync };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0]!, /tasks\.js:1/);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("functions of a module nothing imports (an entry, a route file) are live", () => {
    const a = analyse(
      {
        "src/index.js": `export default { async fetch() { return new Response("ok"); } };\nexport async function exposed() { await fetch("https://db.example-store.com/exposed"); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, [
      "no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (index.js:2): how it is called could not be followed",
    ]);
  });
});

describe("code only another handler runs", () => {
  const FETCH = `export default { async fetch() { return new Response("ok"); }, async scheduled(controller, env) { await sweep(env); } };`;

  it("an unknown library given callbacks in a cron's code does not make the fetch prediction UNKNOWN", () => {
    const a = analyse(
      {
        "src/index.js": `import { sweep } from "./sweep.js";\n${FETCH}`,
        "src/sweep.js": `import { runAll } from "job-kit";\nexport async function sweep(env) { await runAll({ each: async (id) => { await fetch("https://jobs.example-cron.com/" + id); } }); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("the same library call on the fetch path stays unknown", () => {
    const a = analyse(
      {
        "src/index.js": `import { runAll } from "job-kit";\nexport default { async fetch() { await runAll({ each: async (id) => { await fetch("https://jobs.example-cron.com/" + id); } }); return new Response("ok"); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("a custom entry that imports a framework's build output", () => {
  const NEXT = `{ "name": "shop", "dependencies": { "next": "15.3.0", "@opennextjs/cloudflare": "1.3.0" } }`;
  const ROUTE = `export async function POST() { await fetch("https://api.example-shop.com/a"); await fetch("https://api.example-shop.com/b"); return new Response(); }`;

  it("TypeScript: `{ fetch: handler.fetch }` of ./.open-next/worker.js runs the Next app's routes", () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "worker.ts": `// @ts-ignore\nimport { default as handler } from "./.open-next/worker.js";\nexport default { fetch: handler.fetch } satisfies ExportedHandler;`,
        "app/api/cart/route.ts": ROUTE,
      },
      { main: "worker.ts" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.kind, h.route, h.roundTrips]),
      [["fetch", "POST /api/cart", 2]],
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("JavaScript: `openNextWorker.fetch(request, env, ctx)` inside a fetch handler", () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "custom-worker.js": `import openNextWorker from "./.open-next/worker.js";\nexport default { async fetch(request, env, ctx) { return openNextWorker.fetch(request, env, ctx); } };`,
        "src/app/api/cart/route.js": ROUTE,
      },
      { main: "custom-worker.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("without the app's routes, the output is unknown and said to be Next.js build output", () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "worker.ts": `// @ts-ignore\nimport handler from "./.open-next/worker.js";\nexport default { fetch: handler.fetch };`,
      },
      { main: "worker.ts" },
    );
    assert.deepEqual(a.unknowns, [
      ".open-next/worker.js is Next.js build output that does not exist yet, and none of the app's routes were found under app/ or pages/ (looked below the project folder): build the project first, or check the folder that holds the Next app",
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a relative import outside the frameworks' output folders is not taken for one", () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "worker.ts": `import handler from "./dist/worker.js";\nexport default { fetch: handler.fetch };`,
        "app/api/cart/route.ts": ROUTE,
      },
      { main: "worker.ts" },
    );
    assert.deepEqual(a.unknowns, ["the fetch handler handler.fetch could not be resolved"]);
  });
});

describe("routers of packages without an adapter", () => {
  it("a chain on a package call that registers a route, with a mounted sub-app of another module", () => {
    const a = analyse({
      "src/index.ts": `import router from "edge-kit";\nimport files from "./files";\nexport default router().get("/", (c) => c.send("hi")).route("/files", files);`,
      "src/files.ts": `import router from "edge-kit";\nexport default router().get("/*", async (params, c) => { await fetch("https://files.example-store.com/a"); return fetch("https://files.example-store.com/b"); });`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /", 0],
        ["GET /files/*", 2],
      ],
    );
  });

  it("a variable holding `new Router()`, routes registered on it, reached through router.handle(request)", () => {
    const a = analyse(
      {
        "src/index.js": `import { Router } from "tiny-edge-router";\nconst router = new Router();\nrouter.post("/pay", async (request) => { await fetch("https://pay.example-psp.com/a"); await fetch("https://pay.example-psp.com/b"); return new Response(); });\nexport default { fetch: (request, env, ctx) => router.handle(request, env, ctx) };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("an HTTP client's get(path, options) is not a route registration", () => {
    const a = analyse(
      {
        "src/index.js": `import { create } from "http-kit";\nconst api = create();\nexport default { async fetch() { const users = await api.get("/users", { retry: 2 }); return Response.json(users); } };`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.kind, h.route]),
      [["fetch", undefined]],
    );
  });
});

describe("curried helpers and tables of functions", () => {
  for (const [ext, typed] of [
    ["ts", ": string"],
    ["js", ""],
  ] as const) {
    it(`${ext}: a function a project function returns, held in a variable and called`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: `const getter = (base${typed}) => async (id${typed}) => fetch(\`https://\${base}.example-api.com/\${id}\`);\nconst getUser = getter("users");\nexport default { async fetch() { await getUser("1"); await getUser("2"); return new Response(); } };`,
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.unknowns, []);
    });
  }

  it('a table entry read with a literal key (`MODELS["large"].run`), exported as default and called', () => {
    const a = analyse(
      {
        "src/index.js": `import embed from "./embed.js";\nexport default { async fetch() { await embed("x"); return new Response(); } };`,
        "src/embed.js": `const via = (model) => async (input) => fetch("https://models.example-ml.com/embed", { method: "POST", body: model + input });\nconst MODELS = { large: { run: via("l") } };\nexport default MODELS["large"].run;`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.unknowns, []);
  });

  it("values normalised by helpers given members of their parameters (a page builder's links) stay values", () => {
    const a = analyse(
      {
        "src/index.js": `function link(value, fallback) { return value ? String(value) : fallback; }\nfunction normalize(action = {}, fallback = "#") { return { type: action?.type ?? "url", url: link(action?.url, link(fallback, "#")), file: link(action?.file, "") }; }\nfunction href(action = {}, fallback = "#") { const safe = normalize(action, fallback); if (safe.type === "file") return link(safe.file, "#"); return safe.url; }\nexport default { async fetch(request) { const page = await request.json(); const first = href(page.primary, page.link || "#"); const second = href(page.items?.[0]?.action, page.items?.[0]?.action?.url || "#"); await fetch("https://api.example-mail.com/send", { method: "POST", body: first + second }); return new Response("ok"); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.unknowns, []);
  });

  it("a D1 statement prepared once and kept with ??=, bound by a curried helper", () => {
    const a = analyse(
      {
        "src/index.ts": `import { env } from "cloudflare:workers";\nconst query = (sql: string) => { let s: D1PreparedStatement | undefined; return (...args: unknown[]) => (s ??= env.DB.prepare(sql)).bind(...args); };\nconst byId = query("SELECT 1");\nexport default { async fetch() { await byId(1).first(); return new Response(); } };`,
      },
      { bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.criticalPath]),
      [["d1", "DB", true]],
    );
  });

  it("an awaited call in a for-loop's declarations runs once, before the loop", () => {
    const a = analyse({
      "src/index.ts": `export default { async fetch() { for (let i = 0, all = await fetch("https://api.example-list.com/all"); i < 3; i++) { await fetch("https://api.example-list.com/item"); } return new Response(); } };`,
    });
    assert.equal(a.roundTrips, 3);
  });
});

describe("tables of commands in other modules", () => {
  it("Object.values(imported table).find(...).run(args): each imported entry is a path, the worst counts", () => {
    const a = analyse(
      {
        "src/index.js": `import commands from "./commands.js";\nexport default { async fetch(request) { const { name } = await request.json(); const c = Object.values(commands).find((x) => x.name === name); return new Response(await c.run()); } };`,
        "src/commands.js": `import ping from "./ping.js";\nimport sync from "./sync.js";\nexport default { ping, sync };`,
        "src/ping.js": `export default { name: "ping", run: async () => (await fetch("https://api.example-cmd.com/ping")).text() };`,
        "src/sync.js": `const run = async () => { await fetch("https://api.example-cmd.com/a"); await fetch("https://api.example-cmd.com/b"); return "ok"; };\nexport const sync = { name: "sync", run };\nexport default sync;`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });
});

describe("a request handed to an export its module does not have", () => {
  it("a dynamic import's missing default: said, with the names the module exports", () => {
    const a = analyse({
      "src/index.ts": `export default { async fetch(request: Request) { const { default: h } = await import("./h"); return h.fetch(request); } };`,
      "src/h.ts": `export class H { async fetch() { return fetch("https://api.example-login.com/x"); } }\nexport const handler = new H();`,
    });
    assert.equal(
      a.unknowns[0],
      "h.fetch(...) hands the request to the default export of h.ts, which that module does not have: the import gives undefined, so the call fails at run time (index.ts:1); export the handler as default or import one of the names it exports (H, handler) to have its paths followed",
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a static import of a missing name", () => {
    const a = analyse({
      "src/index.ts": `import { worker } from "./w";\nexport default { async fetch(request: Request) { return worker.fetch(request); } };`,
      "src/w.ts": `export const other = 1;`,
    });
    assert.equal(
      a.unknowns[0],
      "worker.fetch(...) hands the request to the export worker of w.ts, which that module does not have: the import gives undefined, so the call fails at run time (index.ts:2); export the handler as worker or import one of the names it exports (other) to have its paths followed",
    );
  });

  it("a CommonJS module (no ES exports) is not said to miss one", () => {
    const a = analyse(
      {
        "src/index.js": `export default { async fetch(request) { const { default: h } = await import("./h.cjs"); return h.fetch(request); } };`,
        "src/h.cjs": `module.exports = { fetch: async () => new Response() };`,
      },
      { main: "src/index.js" },
    );
    assert.ok(!a.unknowns.some((u) => u.includes("does not have")), a.unknowns.join("\n"));
  });
});
