import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one, statusOf } from "./helpers/analyse";

/** How real apps are wired: each shape the analysis follows, in TypeScript and JavaScript, with exact counts. */

const TWO_CALLS = `await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2");`;

describe("hand-off to an app's fetch", () => {
  for (const [method, app] of [
    ["fetch", `new Hono()`],
    ["request", `new Hono()`],
    ["handle", `Router()`],
  ] as const) {
    it(`app.${method}(request, env, ctx) follows the app's routes`, () => {
      const a = analyse(
        {
          "src/index.js": `import { app } from "./app.js";\nexport default { fetch(request, env, ctx) { return app.${method}(request, env, ctx); } };`,
          "src/app.js": `import { Hono } from "hono";\nimport { Router } from "itty-router";\nexport const app = ${app};\napp.get("/a", async (c) => { ${TWO_CALLS} return c.text("ok"); });`,
        },
        { main: "src/index.js" },
      );
      assert.equal(a.roundTrips, 2);
      assert.equal(statusOf(a), "SUCCESS");
    });
  }

  it("a handler object's fetch, imported from another module", () => {
    const a = analyse({
      "src/index.ts": `import worker from "./worker";\nexport default { fetch(request: Request, env: unknown, ctx: ExecutionContext) { return worker.fetch(request, env, ctx); } };`,
      "src/worker.ts": `export default { async fetch(request: Request) { ${TWO_CALLS} return new Response(); } };`,
    });
    assert.equal(a.roundTrips, 2);
  });

  it("an app made per request by a factory: createApp(env).fetch(...)", () => {
    const a = analyse({
      "src/index.ts": `import { createApp } from "./app";\nexport default { fetch(request: Request, env: Env, ctx: ExecutionContext) { return createApp(env).fetch(request, env, ctx); } };`,
      "src/app.ts": `import { Hono } from "hono";\nexport function createApp(env: Env) { const app = new Hono(); app.post("/x", async (c) => { ${TWO_CALLS} return c.json({}); }); return app; }`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("a lazily cached app in a module-level let", () => {
    const a = one(
      `import { Hono } from "hono";\nlet app;\nfunction build() { return new Hono().get("/", async (c) => { ${TWO_CALLS} return c.text(""); }); }\nexport default { fetch(r, e, c) { if (!app) app = build(); return app.fetch(r, e, c); } };`,
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a hand-off to something the analyser cannot resolve is unknown, not zero", () => {
    const a = one(
      `import { makeWorker } from "some-framework";\nexport default { fetch(request, env, ctx) { const w = makeWorker(env); return w.fetch(request, env, ctx); } };`,
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, [
      'the fetch handler is made by makeWorker(...) from "some-framework", whose subrequests the analyser cannot see',
    ]);
  });
});

describe("a hand-off the analyser cannot follow", () => {
  it("handing the incoming request to an unresolved value's fetch is unknown, with where", () => {
    const a = one(`export default { fetch(request, env, ctx) { return ctx.props.upstream.fetch(request); } };`);
    assert.deepEqual(a.unknowns, ["ctx.props.upstream.fetch(...) hands the request to something the analyser cannot resolve (index.ts:1)"]);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("how apps are built", () => {
  it("a chain with middleware before a route: the middleware's round trips add to the route's", () => {
    const a = one(
      `import { Hono } from "hono";\nconst auth = async (c, next) => { await fetch("https://auth.example.com/s"); await next(); };\nexport default new Hono().use("*", auth).get("/a", async (c) => { ${TWO_CALLS} return c.text(""); });`,
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /a", 3]],
    );
  });

  it("middleware only for the paths it is registered for, and only before the route", () => {
    const a = one(
      `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/early", async (c) => { await fetch("https://db.example.com/e"); return c.text(""); });\napp.use("/admin/*", async (c, next) => { await fetch("https://auth.example.com/s"); await next(); });\napp.get("/admin/users", async (c) => { await fetch("https://db.example.com/u"); return c.text(""); });\napp.get("/public", async (c) => { await fetch("https://db.example.com/p"); return c.text(""); });\nexport default app;`,
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /early", 1],
        ["GET /admin/users", 2],
        ["GET /public", 1],
      ],
    );
  });

  it("routes registered by functions that receive the app, directly and in a loop", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nimport { registerUsers } from "./users";\nimport { registerOrders } from "./orders";\nconst app = new Hono().basePath("/api");\nconst registrars = [registerUsers, registerOrders];\nfor (const register of registrars) register(app);\nexport default app;`,
      "src/users.ts": `import type { Hono } from "hono";\nexport function registerUsers(app: Hono) { app.get("/users", async (c) => { ${TWO_CALLS} return c.json([]); }); }`,
      "src/orders.ts": `import type { Hono } from "hono";\nexport const registerOrders = (app: Hono) => { app.on(["GET", "POST"], "/orders", async (c) => { await fetch("https://db.example.com/o"); return c.json([]); }); };`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /api/users", 2],
        ["GET|POST /api/orders", 1],
      ],
    );
  });

  for (const ext of ["ts", "js"])
    it(`an app handed to a function that registers routes and returns it (const app = withRoutes(base)), made by a library wrapper given helper results (${ext})`, () => {
      const typed = ext === "ts" ? ": any" : "";
      const a = analyse(
        {
          [`src/index.${ext}`]: `import { issuer } from "@openauthjs/openauth";\nimport { CloudflareStorage } from "@openauthjs/openauth/storage/cloudflare";\nimport { createSubjects } from "@openauthjs/openauth/subject";\nimport { withRoutes } from "./routes";\nconst storage = CloudflareStorage({ namespace: {} });\nconst subjects = createSubjects({});\nconst base = issuer({ storage, subjects, providers: {} });\nbase.use(async (c${typed}, next${typed}) => { await fetch("https://auth.example.com/s"); await next(); });\nconst app = withRoutes(base);\nexport default app;`,
          [`src/routes.${ext}`]: `export const withRoutes = (app${typed}) => {\n  app.get("/a", async (c${typed}) => { ${TWO_CALLS} return c.text(""); });\n  return app;\n};`,
        },
        { main: `src/index.${ext}` },
      );
      assert.deepEqual(
        a.handlers.map((h) => [h.route, h.roundTrips]),
        [["GET /a", 3]],
      );
      assert.deepEqual(a.unknowns, []);
    });

  for (const ext of ["ts", "js"])
    it(`a client made by a function called where it is written (export const db = (() => {...})()) (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: `import { db } from "./db";\nexport default { async fetch() { await db.query("select 1"); await db.query("select 2"); return new Response(""); } };`,
          [`src/db.${ext}`]: `import { Pool } from "pg";\nlet pool = null;\nexport const db = (() => {\n  if (!pool) pool = new Pool({ connectionString: "postgres://u@pg.example.com/app" });\n  return pool;\n})();`,
        },
        { main: `src/index.${ext}` },
      );
      assert.deepEqual(
        a.handlers.map((h) => h.roundTrips),
        [2],
      );
      assert.deepEqual(
        a.subrequests.map((s) => s.target),
        ["pg.example.com", "pg.example.com"],
      );
    });

  it("a sub-app from a factory in another module, mounted with route()", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nimport { usersApp } from "./users";\nconst app = new Hono();\napp.route("/users", usersApp());\nexport default app;`,
      "src/users.ts": `import { Hono } from "hono";\nexport function usersApp() { return new Hono().get("/:id", async (c) => { ${TWO_CALLS} return c.json({}); }); }`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /users/:id", 2]],
    );
  });

  it("sub-apps mounted from a namespace import (`routes.users`), directly and through a barrel's `export *`", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\nimport * as routes from "./routes/index.js";\nimport * as admin from "./admin.js";\nconst app = new Hono();\napp.route("/users", routes.users);\napp.route("/admin", admin.default);\nexport default app;`,
        "src/routes/index.js": `export * from "./users.js";`,
        "src/routes/users.js": `import { Hono } from "hono";\nconst users = new Hono();\nusers.get("/:id", async (c) => { ${TWO_CALLS} return c.json({}); });\nexport { users };`,
        "src/admin.js": `import { Hono } from "hono";\nexport default new Hono().post("/purge", async (c) => { await fetch("https://cache.example.com/purge"); return c.text("ok"); });`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /users/:id", 2],
        ["POST /admin/purge", 1],
      ],
    );
  });

  it("a sub-app that is a property of an imported object (`Routes.auth` over `export default { auth }`)", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nimport Routes from "./routes";\nconst app = new Hono();\napp.route("/auth", Routes.auth);\nexport default app;`,
      "src/routes.ts": `import { Hono } from "hono";\nconst auth = new Hono().post("/login", async (c) => { ${TWO_CALLS} return c.json({}); });\nexport default { auth, "health-check": new Hono() };`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["POST /auth/login", 2]],
    );
  });

  it("OpenAPIHono .openapi(createRoute({...}), handler) and chanfana endpoint classes", () => {
    const a = one(
      `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";\nimport { fromHono, OpenAPIRoute } from "chanfana";\nconst getUser = createRoute({ method: "get", path: "/users/{id}" });\nclass ListTasks extends OpenAPIRoute { async handle(c) { ${TWO_CALLS} return c.json([]); } }\nconst app = new OpenAPIHono();\napp.openapi(getUser, async (c) => { await fetch("https://db.example.com/u"); return c.json({}); });\nconst openapi = fromHono(app);\nopenapi.get("/tasks", ListTasks);\nexport default app;`,
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /users/:id", 1],
        ["GET /tasks", 2],
      ],
    );
  });

  it("a mounted fetch function", () => {
    const a = one(
      `import { Hono } from "hono";\nexport default new Hono().mount("/legacy", async (request, env) => { ${TWO_CALLS} return new Response(); });`,
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["ALL /legacy/*", 2]],
    );
  });
});

describe("routes the analysis finds elsewhere, and wiring it cannot follow", () => {
  it("routes added to an imported app by the module that imports it", () => {
    const a = analyse({
      "src/app.ts": `import { Hono } from "hono";\nexport const app = new Hono();`,
      "src/index.ts": `import { app } from "./app";\napp.get("/orders", async (c) => { ${TWO_CALLS} return c.json([]); });\nexport default app;`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /orders", 2]],
    );
  });

  it("{ fetch: router.handle } delegates like { fetch: app.fetch }", () => {
    const a = one(
      `import { Router } from "itty-router";\nconst router = Router();\nrouter.get("/x", async () => { ${TWO_CALLS} return new Response(); });\nexport default { fetch: router.handle };`,
    );
    assert.equal(a.roundTrips, 2);
  });

  it("no round trip seen on the fetch path while back-end calls sit in code no handler was seen to reach: UNKNOWN", () => {
    const a = one(
      `import { Hono } from "hono";\nimport { routeTable } from "./routes";\nconst app = new Hono();\nfor (const r of routeTable()) app.get(r.path, r.handler);\nexport async function listOrders(c) { ${TWO_CALLS} return c.json([]); }\nexport default app;`,
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(
      a.unknowns.join("\n"),
      /^no round trip to a back end was seen on the fetch path, yet 2 calls to back ends are in code no handler was seen to reach \(index\.ts:5, index\.ts:5\): how they are called could not be followed$/m,
    );
    // A function nothing names cannot run: what stays unknown is the route table of a module not found.
    const dead = one(
      `import { Hono } from "hono";\nimport { routeTable } from "./routes";\nconst app = new Hono();\nfor (const r of routeTable()) app.get(r.path, r.handler);\nasync function listOrders(c) { ${TWO_CALLS} return c.json([]); }\nexport default app;`,
    );
    assert.equal(statusOf(dead), "UNKNOWN");
    assert.deepEqual(dead.unknowns, [
      'no round trip to a back end was seen on the fetch path, yet code no handler was seen to reach calls modules the analyser could not find in the project (index.ts:4 "./routes")',
    ]);
  });

  it("unreached calls to URLs the analysis cannot resolve are not taken for lost wiring", () => {
    const a = one(
      `async function trends(url) { return fetch(url); }\nexport default { async fetch(request, env) { await env.KV.get("k"); return new Response(); } };`,
      { bindings: { kv: ["KV"] } },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a Durable Object's own calls are not lost wiring", () => {
    const a = one(
      `import { DurableObject } from "cloudflare:workers";\nexport class Room extends DurableObject { async fetch() { ${TWO_CALLS} return new Response(); } }\nexport default { async fetch(request, env) { return env.ROOMS.get(env.ROOMS.idFromName("a")).fetch(request); } };`,
      { bindings: { durableObjects: ["ROOMS"] } },
    );
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
});

describe("middleware of a package made per request inside the project's middleware", () => {
  const app = (middleware: string) =>
    `import { Hono } from "hono";\nimport { basicAuth } from "hono/basic-auth";\nconst app = new Hono();\napp.use("*", async (c, next) => { ${middleware} });\napp.get("/a", async (c) => { ${TWO_CALLS} return c.text("ok"); });\nexport default app;`;

  it("`const auth = basicAuth({...}); return auth(c, next)` runs as app.use(basicAuth(...)): its async option callbacks, then the route", () => {
    const a = analyse(
      {
        "src/index.js": app(
          `const auth = basicAuth({ verifyUser: async (user, pass, ctx) => (await fetch("https://users.example.com/" + user)).ok }); return auth(c, next);`,
        ),
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.backends, [
      { host: "db.example.com", roundTrips: 2 },
      { host: "users.example.com", roundTrips: 1 },
    ]);
    assert.deepEqual(a.unknowns, []);
  });

  it("given something other than the middleware's own context and next, it is still code the analyser does not read", () => {
    const a = analyse(
      {
        "src/index.js": app(
          `const auth = basicAuth({ username: "u", password: c.env.PASS }); const done = () => next(); await auth(c, done);`,
        ),
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, [
      'auth(...) was made by basicAuth(...) from "hono/basic-auth", which handles the request in code the analyser does not read (index.js:4)',
    ]);
  });
});

describe("values that travel", () => {
  it("a client set on the context by middleware and read back, destructured from a bag of services", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nimport { withServices } from "./services";\nimport { feed } from "./feed";\nconst app = new Hono();\napp.use("*", withServices);\napp.get("/feed", feed);\nexport default app;`,
      "src/services.ts": `import { neon } from "@neondatabase/serverless";\nexport const withServices = async (c, next) => { const sql = neon(c.env.DATABASE_URL); c.set("services", { sql }); await next(); };`,
      "src/feed.ts": `export async function feed(c) { const { sql } = c.get("services"); const a = await sql\`select 1\`; const b = await sql\`select 2\`; return c.json({ a, b }); }`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.backends, [{ host: "neon", roundTrips: 2 }]);
  });

  const REPO_CLASS = `class Repo { constructor(db) { this.db = db; }\n async find(id) { return this.db.prepare("select 1 where ?").bind(id).first(); }\n async save(id) { await this.db.prepare("insert into t values (?)").bind(id).run(); } }`;
  for (const [label, middleware, handler] of [
    [
      "c.get(key) held in a local",
      `c.set("repo", new Repo(c.env.DB));`,
      `const repo = c.get("repo"); if (!(await repo.find(1))) await repo.save(1);`,
    ],
    [
      "c.var.key, set from a local",
      `const repo = new Repo(c.env.DB); c.set("repo", repo);`,
      `if (!(await c.var.repo.find(1))) await c.var.repo.save(1);`,
    ],
    [
      "a property of a factory's object of services",
      `c.set("services", makeServices(c.env));`,
      `const services = c.get("services"); await services.repo.find(1); await c.var.services.repo.save(1);`,
    ],
  ] as const)
    it(`a class instance middleware keeps in the context, its methods followed: ${label}`, () => {
      const a = analyse(
        {
          "src/index.js": `import { Hono } from "hono";\n${REPO_CLASS}\nconst makeServices = (env) => ({ repo: new Repo(env.DB) });\nconst app = new Hono();\napp.use("*", async (c, next) => { ${middleware} await next(); });\napp.post("/x", async (c) => { ${handler} return c.json({}); });\nexport default app;`,
        },
        { main: "src/index.js", bindings: { d1: ["DB"] } },
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.backends, [{ host: "DB", roundTrips: 2 }]);
      assert.deepEqual(a.unknowns, []);
    });

  it("only the value set under the key read is the instance: another key's class is not followed", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\n${REPO_CLASS}\nconst app = new Hono();\napp.use("*", async (c, next) => { c.set("archive", new Repo(c.env.DB)); await next(); });\napp.post("/x", async (c) => { await c.get("repo").find(1); return c.json({}); });\nexport default app;`,
      },
      { main: "src/index.js", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(a.backends, []);
  });

  it("a client in a class field, through a constructor parameter property", () => {
    const a = one(
      `import { Pool } from "pg";\nclass Users { constructor(private pool = new Pool({ connectionString: "postgres://db.example.com/app" })) {}\n async load() { await this.pool.query("a"); await this.pool.query("b"); } }\nexport default { async fetch() { const users = new Users(); await users.load(); return new Response(); } };`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.backends, [{ host: "db.example.com", roundTrips: 2 }]);
  });

  it("a method inherited from a project base class", () => {
    const a = one(
      `class Base { async twice() { ${TWO_CALLS} } }\nclass Service extends Base {}\nexport default { async fetch() { const s = new Service(); await s.twice(); return new Response(); } };`,
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a callback passed to a project helper runs where the helper calls it", () => {
    const a = one(
      `async function handleErrors(request, fn) { try { return await fn(); } catch { return new Response("", { status: 500 }); } }\nexport default { fetch(request) { return handleErrors(request, async () => { ${TWO_CALLS} return new Response(); }); } };`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("a route helper's function parameter, handed on to another helper, runs what the helper was given", () => {
    const a = one(`import { Hono } from "hono";
const app = new Hono();
async function one() { await fetch("https://api.example.com/1"); return "a"; }
async function two() { await fetch("https://api.example.com/2"); await fetch("https://api.example.com/3"); return "b"; }
async function produce(c, make) { const run = () => make(c.req.query("q")); return run(); }
function endpoint(router, path, make) { router.get(path, async (c) => c.text(await produce(c, make))); }
endpoint(app, "/one", one);
endpoint(app, "/two", two);
export default app;`);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(
      a.subrequests.map((s) => s.criticalPath),
      [true, true, true],
    );
  });

  it("a known callback runner (tracing span) runs its callback without making the count unknown", () => {
    const a = one(
      `import { trace } from "@opentelemetry/api";\nconst tracer = trace.getTracer("w");\nexport default { fetch() { return tracer.startActiveSpan("x", { attributes: {} }, async (span) => { ${TWO_CALLS} span.end(); return new Response(); }); } };`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("an unknown library given an async function: counted, and said to be unknown", () => {
    const a = one(
      `import runTask from "task-runner-x";\nexport default { fetch() { return runTask(async () => { await fetch("https://db.example.com/1"); return new Response(); }); } };`,
    );
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns[0] ?? "", /^runTask\(\.\.\.\) from "task-runner-x" is given an async function/);
  });
});

describe("utility packages that run the callback they are given", () => {
  const RUN = (body: string) => `export default { async fetch() { ${body} return new Response(); } };`;

  it("p-retry given a plain arrow: the callback runs once, nothing unknown", () => {
    const a = one(`import pRetry from "p-retry";\n${RUN(`await pRetry(() => fetch("https://db.example.com/1"), { retries: 3 });`)}`);
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.unknowns, []);
  });

  it("p-retry through require, in JavaScript", () => {
    const a = analyse(
      {
        "src/index.js": `const pRetry = require("p-retry");\n${RUN(`await pRetry(() => fetch("https://db.example.com/1")); await pRetry(() => fetch("https://db.example.com/2"));`)}`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a limiter of one called once, not per item: counts once", () => {
    const a = one(
      `import pLimit from "p-limit";\nconst limit = pLimit(1);\n${RUN(`await limit(() => fetch("https://db.example.com/1"));`)}`,
    );
    assert.equal(a.roundTrips, 1);
  });

  it("a limiter of one fed in a loop that waits for nothing: a loop, twice", () => {
    const a = one(
      `import pLimit from "p-limit";\nconst ONE = 1;\nconst limit = pLimit(ONE);\n${RUN(
        `const ids: string[] = []; const all: Promise<Response>[] = []; for (const id of ids) all.push(limit(() => fetch("https://db.example.com/" + id))); await Promise.all(all);`,
      )}`,
    );
    assert.equal(a.roundTrips, 2);
  });

  it("p-map with a concurrency that is not a constant: items overlap, once", () => {
    const a = one(
      `import pMap from "p-map";\n${RUN(`const n = Number("2"); await pMap(["a", "b"], (x) => fetch("https://db.example.com/" + x), { concurrency: n });`)}`,
    );
    assert.equal(a.roundTrips, 1);
  });

  it("p-all with concurrency 1: the tasks one after another", () => {
    const a = one(
      `import pAll from "p-all";\n${RUN(`await pAll([() => fetch("https://a.example.com/"), () => fetch("https://b.example.com/")], { concurrency: 1 });`)}`,
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a p-queue of one fed in a loop, then onIdle(): a loop, and onIdle sends nothing", () => {
    const a = one(
      `import PQueue from "p-queue";\nconst queue = new PQueue({ concurrency: 1 });\n${RUN(
        `const ids: string[] = []; for (const id of ids) queue.add(() => fetch("https://db.example.com/" + id)); await queue.onIdle();`,
      )}`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("ts-retry-promise's retryDecorator(fn): the decorated function runs fn once", () => {
    const a = one(
      `import { retryDecorator } from "ts-retry-promise";\nconst load = retryDecorator(async (id: string) => fetch("https://db.example.com/" + id), { retries: 2 });\n${RUN(`await load("a"); await load("b");`)}`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("Effect.gen is not followed: left as before", () => {
    const a = one(
      `import { Effect } from "effect";\n${RUN(`await Effect.runPromise(Effect.gen(function* () { yield* Effect.promise(() => fetch("https://db.example.com/1")); }));`)}`,
    );
    assert.equal(a.roundTrips, 0);
  });
});

describe("wrappers that are fetch handlers", () => {
  it("a project wrapper around the handler: withErrors(handler)", () => {
    const a = analyse({
      "src/index.ts": `import { withErrors } from "./errors";\nconst handler = { async fetch(request: Request) { ${TWO_CALLS} return new Response(); } };\nexport default withErrors(handler);`,
      "src/errors.ts": `export function withErrors(inner: ExportedHandler) { return { async fetch(request: Request, env: unknown, ctx: ExecutionContext) { try { return await inner.fetch!(request, env, ctx); } catch { return new Response("", { status: 500 }); } } }; }`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("McpAgent.serve(path) hands requests to the agent's Durable Object", () => {
    const a = one(
      `import { McpAgent } from "agents/mcp";\nexport class MyMCP extends McpAgent { async init() {} }\nexport default MyMCP.serve("/mcp");`,
    );
    assert.deepEqual(
      a.handlers.filter((h) => h.kind === "fetch").map((h) => h.roundTrips),
      [0],
    );
    assert.deepEqual(a.unknowns, []);
  });
});

describe("dynamic dispatch and bindings", () => {
  it("env[name].fetch(): a service binding when every binding is one", () => {
    const a = one(`export default { fetch(request, env) { return env[new URL(request.url).hostname].fetch(request); } };`, {
      bindings: { services: ["A", "B"] },
    });
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.category]),
      [["service", null, "binding"]],
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("a D1 statement held in a variable, a Durable Object stub held in a variable", () => {
    const a = one(
      `export default { async fetch(request, env) { const stmt = env.DB.prepare("select 1"); await stmt.all(); const stub = env.ROOMS.get(env.ROOMS.idFromName("x")); return stub.fetch(request); } };`,
      { bindings: { d1: ["DB"], durableObjects: ["ROOMS"] } },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.criticalPath]),
      [
        ["d1", "DB", true],
        ["durable-object", "ROOMS", true],
      ],
    );
  });

  it("a `let` set from the env in each branch of a switch: the binding, not a handler factory", () => {
    const source = (other: string): string =>
      `export default { async fetch(request, env) { let ns; switch (new URL(request.url).pathname) { case "/a": ns = env.ROOMS; break; case "/b": ns = ${other}; break; default: return new Response("no", { status: 404 }); } const stub = ns.get(ns.idFromName("x")); return stub.fetch(request); } };`;
    const a = one(source("env.PLAYERS"), { bindings: { durableObjects: ["ROOMS", "PLAYERS"] } });
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.category, s.criticalPath]),
      [["durable-object", "ROOMS", "binding", true]],
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    // One branch gives a value that is not a binding of the same kind: not read as the binding.
    const b = one(source("env.CACHE"), { bindings: { durableObjects: ["ROOMS"], kv: ["CACHE"] } });
    assert.equal(
      b.subrequests.some((s) => s.kind === "durable-object"),
      false,
    );
  });

  it("hono/streaming's stream() runs its writer once, in order: counted with no unknown note; an unknown runner keeps it", () => {
    const source = (from: string): string =>
      `import { Hono } from "hono";\nimport { stream } from "${from}";\nconst app = new Hono();\napp.post("/chat", async (c) => { const body = await c.req.json(); return stream(c, async (out) => { const r = await fetch("https://llm.example.com/v1", { method: "POST", body: JSON.stringify(body) }); await out.pipe(r.body); }); });\nexport default app;`;
    const a = one(source("hono/streaming"));
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    const b = one(source("some-streamer"));
    assert.equal(b.unknowns.length, 1);
    assert.match(b.unknowns[0]!, /stream\(\.\.\.\) from "some-streamer" is given an async function/);
  });
});

describe("libraries met in real Workers", () => {
  it("Prisma from @prisma/client/wasm: each model call is a round trip; $connect and $disconnect are not", () => {
    const a = one(
      `import { PrismaClient } from "@prisma/client/wasm";\nimport { PrismaPg } from "@prisma/adapter-pg";\nexport default { async fetch(request, env) { const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DATABASE_URL }) }); await prisma.$connect(); const user = await prisma.user.findFirst(); const posts = await prisma.post.findMany(); await prisma.$disconnect(); return Response.json({ user, posts }); } };`,
    );
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });
});

describe("values passed in objects and middleware from packages", () => {
  it("a URL given in an object to a helper that destructures it", () => {
    const a = one(
      `async function getJson({ url, token }) { const r = await fetch(url, { headers: { authorization: token } }); return r.json(); }\nexport default { async fetch() { await getJson({ url: "https://api.github.com/user", token: "t" }); await getJson({ url: "https://api.github.com/user", token: "u" }); return new Response(); } };`,
    );
    assert.deepEqual(a.backends, [{ host: "api.github.com", roundTrips: 2 }]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a client destructured from what a helper is given", () => {
    const a = analyse({
      "src/index.ts": `import { neon } from "@neondatabase/serverless";\nimport { listPosts } from "./posts";\nexport default { async fetch(request, env) { const sql = neon(env.DATABASE_URL); return Response.json(await listPosts({ sql, limit: 10 })); } };`,
      "src/posts.ts": `export async function listPosts({ sql, limit }) { const posts = await sql\`select * from posts limit \${limit}\`; const tags = await sql\`select * from tags\`; return { posts, tags }; }`,
    });
    assert.deepEqual(a.backends, [{ host: "neon", roundTrips: 2 }]);
  });

  it("itty-router's own middleware (withContent) is the framework's, not a handler the analysis lost", () => {
    const a = one(
      `import { AutoRouter, withContent } from "itty-router";\nconst router = AutoRouter();\nrouter.post("/items", withContent, async ({ content }) => { await fetch("https://db.example.com/items"); return { ok: true }; });\nexport default router;`,
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });
});

describe("clients made where they are used", () => {
  it("new Octokit({ auth }).rest.users.getAuthenticated(), then another call: two round trips to GitHub", () => {
    const a = one(
      `import { Octokit } from "@octokit/rest";\nexport default { async fetch(request, env) { const me = await new Octokit({ auth: env.TOKEN }).rest.users.getAuthenticated(); const repos = await new Octokit({ auth: env.TOKEN }).rest.repos.listForAuthenticatedUser(); return Response.json({ me, repos }); } };`,
    );
    assert.deepEqual(a.backends, [{ host: "api.github.com", roundTrips: 2 }]);
  });
});

describe("Carbon (Discord HTTP interactions)", () => {
  const COMMANDS = `import { Command } from "@buape/carbon";
export class Announce extends Command {
  name = "announce";
  async run(interaction) {
    await fetch("https://hooks.example.com/releases", { method: "POST" });
    await interaction.reply("Announced");
  }
}
export class Ping extends Command {
  name = "ping";
  async run(interaction) { await interaction.reply("Pong"); }
}`;
  const APP = `import { Client } from "@buape/carbon";
import { createHandler } from "@buape/carbon/adapters/fetch";
import { Announce, Ping } from "./commands.js";
const client = new Client({ baseUrl: "https://bot.example.com", clientId: "1", publicKey: "k", token: "t" }, { commands: [new Announce(), new Ping()] });
export const handler = createHandler(client);`;
  const run = (entry: string) =>
    analyse({ "src/index.js": entry, "src/app.js": APP, "src/commands.js": COMMANDS }, { main: "src/index.js" });
  const waits = (a: ReturnType<typeof run>) => a.subrequests.map((s) => `${s.target}:${s.waitUntil ? "waitUntil" : "path"}`);

  for (const [label, entry] of [
    ["{ waitUntil: ctx.waitUntil.bind(ctx), env }", `handler(request, { waitUntil: ctx.waitUntil.bind(ctx), env })`],
    ["the ExecutionContext", `handler(request, ctx)`],
  ] as const)
    it(`given ${label}, the command runs in waitUntil: its webhook POST and its reply do not delay the 202`, () => {
      const a = run(`import { handler } from "./app.js";\nexport default { fetch(request, env, ctx) { return ${entry}; } };`);
      assert.equal(a.roundTrips, 0);
      assert.equal(statusOf(a), "NO_VALID_HOSTS");
      assert.deepEqual(waits(a), ["hooks.example.com:waitUntil", "discord.com:waitUntil", "discord.com:waitUntil"]);
    });

  for (const [label, entry] of [
    ["env (its fetch given to the runtime)", `export default { fetch: handler };`],
    ["an object without waitUntil", `export default { fetch(request, env) { return handler(request, { env }); } };`],
  ] as const)
    it(`given ${label}, Carbon awaits the command: the webhook POST, then the reply to discord.com`, () => {
      const a = run(`import { handler } from "./app.js";\n${entry}`);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.backends, [
        { host: "discord.com", roundTrips: 1 },
        { host: "hooks.example.com", roundTrips: 1 },
      ]);
      // Each command is a path; the worst is the handler's.
      const routes = a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
      if (entry.startsWith("export default { fetch: handler }"))
        assert.deepEqual(routes, [
          ["POST /interactions command announce", 2],
          ["POST /interactions command ping", 1],
        ]);
      else assert.deepEqual(routes, [["POST /interactions command announce", 2]]);
    });

  it("an entry that hands its ExecutionContext to the module's fetch (`mod.default.fetch(req, ctx)`): waitUntil", () => {
    const a = analyse(
      {
        "src/entry.ts": `export default { async fetch(req: Request, env: unknown, ctx: ExecutionContext) { const mod = await import("./index"); return mod.default.fetch(req, ctx); } };`,
        "src/index.ts": `import { handler } from "./app.js";\nexport default { fetch: handler };`,
        "src/app.js": APP,
        "src/commands.js": COMMANDS,
      },
      { main: "src/entry.ts" },
    );
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(waits(a), ["hooks.example.com:waitUntil", "discord.com:waitUntil", "discord.com:waitUntil"]);
  });

  it("a typed interaction in TypeScript (`interaction: CommandInteraction`) in a helper, and client.rest calls", () => {
    const a = analyse({
      "src/index.ts": `import { Client, Command, type CommandInteraction } from "@buape/carbon";
import { createHandler } from "@buape/carbon/adapters/fetch";
async function answer(interaction: CommandInteraction, text: string) { await interaction.defer(); await interaction.followUp({ content: text }); }
class Stats extends Command {
  name = "stats";
  async run(interaction: CommandInteraction) {
    const guild = await client.rest.get("/guilds/1");
    await answer(interaction, JSON.stringify(guild));
  }
}
const client = new Client({ baseUrl: "https://bot.example.com", clientId: "1", publicKey: "k", token: "t" }, { commands: [new Stats()] });
export default { fetch: createHandler(client) };`,
    });
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.backends, [{ host: "discord.com", roundTrips: 3 }]);
  });

  it("a client that cannot be resolved: UNKNOWN, naming Carbon, never nothing", () => {
    const a = analyse({
      "src/index.ts": `import { createHandler } from "@buape/carbon/adapters/fetch";\nimport { makeClient } from "bot-kit";\nexport default { fetch: createHandler(makeClient()) };`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.ok(
      a.unknowns.some((u) => u.includes("Carbon: the client given to createHandler(...) could not be resolved")),
      a.unknowns.join("; "),
    );
  });
});

describe("Koa apps on Node compatibility", () => {
  const routesOf = (a: ReturnType<typeof analyse>) =>
    a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route ?? null, h.roundTrips]);
  for (const ext of ["ts", "js"] as const)
    it(`koa-router routes under the app's middleware, served by httpServerHandler(createServer(app.callback())) (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: `import { httpServerHandler } from "cloudflare:node";
import { createServer } from "node:http";
import Koa from "koa";
import Router from "@koa/router";
const app = new Koa();
const router = new Router({ prefix: "/v1" });
router.get("/items/:id", async (ctx) => { await fetch("https://items.example.com/" + ctx.params.id); await fetch("https://prices.example.com/" + ctx.params.id); });
router.post("/items", async (ctx) => { await fetch("https://items.example.com/", { method: "POST" }); });
app.use(async (ctx, next) => { await fetch("https://auth.example.com/check"); await next(); });
app.use(router.routes());
app.use(router.allowedMethods());
export default httpServerHandler(createServer(app.callback()));`,
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 3);
      assert.deepEqual(routesOf(a), [
        ["GET /v1/items/:id", 3],
        ["POST /v1/items", 2],
      ]);
    });

  it("a Koa app of middleware only, served through app.listen(port) and httpServerHandler({ port }): one path", () => {
    const a = analyse(
      {
        "src/index.js": `import { httpServerHandler } from "cloudflare:node";
import Koa from "koa";
const app = new Koa();
app.use(async (ctx, next) => { ctx.state.user = await (await fetch("https://auth.example.com/me")).json(); await next(); });
app.use(async (ctx) => { ctx.body = await (await fetch("https://feed.example.com/for/" + ctx.state.user.id)).text(); });
app.listen(8080);
export default httpServerHandler({ port: 8080 });`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(routesOf(a), [[null, 2]]);
  });
});

describe("services a container builds, taken apart by the routes", () => {
  const container = (lang: "ts" | "js") => {
    const t = (type: string) => (lang === "ts" ? type : "");
    return {
      [`src/container.${lang}`]: `function memory() { return { async get(id${t(": string")}) { return id; } }; }
function remote(base${t(": string")}) { return { async get(id${t(": string")}) { return (await fetch(base + "/items/" + id)).json(); } }; }
class Scorer { async score(x${t(": unknown")}) { return (await fetch("https://score.example.com/", { method: "POST", body: String(x) })).json(); } }
export function makeContainer(env${t(": { DB?: string; KEY?: string }")}) {
  let repo = memory();
  if (env.DB) repo = remote(env.DB);
  const scorer = env.KEY ? new Scorer() : undefined;
  return { usecases: { rate: scorer ? async (id${t(": string")}) => scorer.score(await repo.get(id)) : undefined } };
}`,
      [`src/index.${lang}`]: `import { Hono } from "hono";
import { makeContainer } from "./container${lang === "js" ? ".js" : ""}";
function wire(container${t(": any")}) { const { usecases } = container; return { rate: usecases.rate }; }
function routes(deps${t(": any")}) { const r = new Hono(); r.post("/rate/:id", async (c) => c.json(await deps.rate(c.req.param("id")))); return r; }
let app${t(": Hono | null")} = null;
let built${t(": any")} = null;
export default { fetch(request${t(": Request")}, env${t(": any")}) {
  if (!app) { built = makeContainer({ DB: env.DB, KEY: env.KEY }); app = new Hono().route("/", routes(wire(built))); }
  return app.fetch(request, env);
} };`,
    };
  };
  for (const lang of ["ts", "js"] as const)
    it(`a destructured container, a conditional use case and instance, a configured let, a lazy module let (${lang})`, () => {
      const a = analyse(container(lang), { main: `src/index.${lang}`, vars: { DB: "https://db.example.com" } });
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.subrequests.filter((s) => s.criticalPath).map((s) => s.target),
        ["db.example.com", "score.example.com"],
      );
    });

  for (const lang of ["ts", "js"] as const)
    it(`a tRPC createContext wrapped in React's cache() is walked (${lang})`, () => {
      const a = analyse(
        {
          [`src/trpc.${lang}`]: `import { initTRPC } from "@trpc/server";
import { cache } from "react";
export const createContext = cache(async () => { await fetch("https://auth.example.com/session"); return {}; });
const t = initTRPC.create();
export const appRouter = t.router({ hello: t.procedure.query(async () => { await fetch("https://db.example.com/q"); return 1; }) });`,
          [`src/index.${lang}`]: `import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "./trpc${lang === "js" ? ".js" : ""}";
export default { fetch(req${lang === "ts" ? ": Request" : ""}) { return fetchRequestHandler({ endpoint: "/trpc", req, router: appRouter, createContext: () => createContext() }); } };`,
        },
        { main: `src/index.${lang}` },
      );
      assert.equal(a.roundTrips, 2);
    });
});

describe("values passed on through bind and constructors", () => {
  for (const lang of ["ts", "js"] as const) {
    const t = (type: string) => (lang === "ts" ? type : "");
    it(`a field assigned from a constructor parameter (this.client = client) holds what \`new\` was given (${lang})`, () => {
      const a = analyse(
        {
          [`src/index.${lang}`]: `class Client {
  constructor(base${t(": string")}) { this.base = base; }
  async get(path${t(": string")}) { return (await fetch(this.base + path)).json(); }
}
class Runner {
  ${lang === "ts" ? "private client: Client;\n  " : ""}constructor(client${t(": Client")}) { this.client = client; }
  async run() { const a = await this.client.get("/a"); return this.client.get("/b/" + a.id); }
}
export default { async fetch(request${t(": Request")}, env${t(": any")}) { return Response.json(await new Runner(new Client(env.API)).run()); } };`,
        },
        { main: `src/index.${lang}`, vars: { API: "https://api.example.com" } },
      );
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.subrequests.map((s) => [s.target, s.criticalPath]),
        [["api.example.com", true]],
      );
    });

    it(`the global fetch bound and injected (deps.fetch) is a fetch; a handler bound with arguments runs with them (${lang})`, () => {
      const a = analyse(
        {
          [`src/index.${lang}`]: `async function serve(base${t(": string")}, request${t(": Request")}, env${t(": any")}, deps${t(": { fetch: typeof fetch }")} = { fetch: fetch.bind(globalThis) }) {
  const first = await deps.fetch(base + "/a");
  return deps.fetch(base + "/b", { method: "POST", body: await first.text() });
}
export default { fetch: serve.bind(null, "https://bound.example.com") };`,
        },
        { main: `src/index.${lang}` },
      );
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.subrequests.map((s) => s.target),
        ["bound.example.com", "bound.example.com"],
      );
    });
    it(`a private method (\`this.#send()\`) is the class's method (${lang})`, () => {
      const a = analyse(
        {
          [`src/index.${lang}`]: `class Relay {
  #base${t(": string")} = "https://relay.example.com";
  async ping() { return this.#send("/ping"); }
  async push(x${t(": string")}) { await this.ping(); return this.#send("/push/" + x); }
  async #send(path${t(": string")}) { return (await fetch(this.#base + path)).json(); }
}
export default { async fetch(request${t(": Request")}) { return Response.json(await new Relay().push("a")); } };`,
        },
        { main: `src/index.${lang}` },
      );
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.subrequests.map((s) => [s.target, s.criticalPath]),
        [["relay.example.com", true]],
      );
    });
  }
});

describe("tRPC served by @hono/trpc-server made inside a middleware", () => {
  for (const lang of ["ts", "js"] as const)
    it(`trpcServer({ router, createContext })(c, next) in app.use: the procedures run with createContext's ctx (${lang})`, () => {
      const a = analyse(
        {
          [`src/index.${lang}`]: `import { Hono } from "hono";
import { trpcServer } from "@hono/trpc-server";
import { initTRPC } from "@trpc/server";
const t = initTRPC.create();
const appRouter = t.router({
  one: t.procedure.query(async ({ ctx }) => ctx.db.prepare("select 1").first()),
  two: t.procedure.mutation(async ({ ctx }) => { await ctx.db.prepare("insert").run(); return ctx.db.prepare("select").first(); }),
});
const app = new Hono();
app.use("/trpc/*", async (c${lang === "ts" ? ": any" : ""}, next${lang === "ts" ? ": any" : ""}) => {
  return trpcServer({ router: appRouter, createContext: async () => ({ db: c.env.DB }) })(c, next);
});
export default app;`,
        },
        { main: `src/index.${lang}`, bindings: { d1: ["DB"] } },
      );
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 2);
      assert.equal(statusOf(a), "SUCCESS");
    });
});

describe("worktop apps", () => {
  for (const lang of ["ts", "js"] as const)
    it(`start(API.run) of worktop/cfw: add(method, path, h) and mount(prefix, router) are routes; prepare runs first; reply() is no subrequest (${lang})`, () => {
      const a = analyse(
        {
          [`src/index.${lang}`]: `import { start } from "worktop/cfw";\nimport { Router, compose } from "worktop";\nimport { reply } from "worktop/response";\nimport sub from "./sub";\nconst API = new Router();\nAPI.prepare = compose(async (req, context) => { await fetch("https://auth.example.com/s"); });\nAPI.add("GET", "/", () => reply(200, "ok"));\nAPI.mount("/v1/", sub);\nexport default start(API.run);`,
          [`src/sub.${lang}`]: `import { Router } from "worktop";\nconst sub = new Router();\nsub.add("POST", "/items/:id", async (req, context) => { ${TWO_CALLS} return new Response(); });\nexport default sub;`,
        },
        { main: `src/index.${lang}` },
      );
      assert.deepEqual(a.unknowns, []);
      assert.deepEqual(
        a.handlers.map((h) => [h.route, h.roundTrips]),
        [
          ["GET /", 1],
          ["POST /v1/items/:id", 3],
        ],
      );
      assert.equal(statusOf(a), "SUCCESS");
    });

  it("listen(API.run) in service-worker syntax: the routes; context.bindings is the env (a service binding's fetch is no back end)", () => {
    const a = analyse(
      {
        "src/index.js": `import { Router, listen } from "worktop";\nconst API = new Router();\nAPI.add("GET", "/a", async (req, context) => { await fetch("https://api.example.com/a"); return context.bindings.ASSETS.fetch(req); });\nlisten(API.run);`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /a", 1]],
    );
  });

  it('addEventListener("fetch", reply(API.run)) of worktop 0.7: the routes, a handler (req, res) answering with res.send', () => {
    const a = analyse(
      {
        "src/index.js": `import { Router, reply } from "worktop";\nconst API = new Router();\nAPI.add("GET", "/a", async (req, res) => { ${TWO_CALLS} res.send(200, "ok"); });\naddEventListener("fetch", reply(API.run));`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /a", 2]],
    );
  });
});

describe("an adapter class that registers with this.router[method](...)", () => {
  for (const lang of ["ts", "js"] as const)
    it(`the method's key is given a route method's name at every call: each call a route; pop() of the rest parameter is a handler a call gives (${lang})`, () => {
      const any = lang === "ts" ? ": any" : "";
      const a = analyse(
        {
          [`src/http.${lang}`]: `import { Hono } from "hono";\nexport class Http {\n  router${any};\n  constructor() { this.router = new Hono(); }\n  on(method${any}, path${any}, ...handlers${any}) {\n    const last = handlers.pop();\n    return this.router[method](path, async (c${any}, next${any}) => { for (const h of handlers) await h(c.req); await next(); }, async (c${any}) => c.json(await last(c.req)));\n  }\n  start(request${any}) { return this.router.fetch(request); }\n}`,
          [`src/index.${lang}`]: `import { Http } from "./http";\nasync function guard(req${any}) { console.log("checked"); }\nexport default { async fetch(request${any}) {\n  const http = new Http();\n  http.on("get", "/a", async () => { await fetch("https://api.example.com/a"); return {}; });\n  http.on("post", "/b", guard, async () => { ${TWO_CALLS} return {}; });\n  return http.start(request);\n} };`,
        },
        { main: `src/index.${lang}` },
      );
      assert.deepEqual(a.unknowns, []);
      // (The handler taken from the rest parameter is any call's last argument: the worst of them counts.)
      assert.equal(a.roundTrips, 2);
      assert.equal(statusOf(a), "SUCCESS");
    });

  it("handlers[handlers.length - 1] of the rest parameter is the last argument of each call", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\nclass Api {\n  constructor() { this.app = new Hono(); }\n  add(method, path, ...handlers) { this.app[method](path, async (c) => c.json(await handlers[handlers.length - 1](c))); }\n  fetch(request) { return this.app.fetch(request); }\n}\nconst api = new Api();\napi.add("get", "/x", async () => { ${TWO_CALLS} return 1; });\nexport default { fetch: (request) => api.fetch(request) };`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
  });

  it("a key some call gives as a variable stays a dynamic call", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\nclass Api {\n  constructor() { this.app = new Hono(); }\n  add(method, path, handler) { this.app[method](path, handler); }\n  fetch(request) { return this.app.fetch(request); }\n}\nexport default { fetch(request) { const api = new Api(); api.add(request.method.toLowerCase(), "/x", async () => new Response()); return api.fetch(request); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("itty-router's routes option", () => {
  const USERS = (t: (s: string) => string) => `import { Router } from "itty-router";
export const users = Router({ base: "/users" });
async function requireKey(request${t(": any")}) { const r = await fetch("https://auth.example.com/check"); if (!r.ok) return new Response("no", { status: 401 }); }
users.get("/:id", requireKey, async (request${t(": any")}) => { await fetch("https://users.example.com/u"); return new Response("ok"); });`;
  const ORDERS = `import { AutoRouter } from "itty-router";\nconst orders = AutoRouter({ base: "/orders" });\norders.get("/:id", async () => { await fetch("https://shop.example.com/o"); return { ok: true }; });\nexport default orders;`;
  for (const lang of ["ts", "js"] as const) {
    const t = (s: string): string => (lang === "ts" ? s : "");
    const files = (routes: string, head = ""): Record<string, string> => ({
      [`src/users.${lang}`]: USERS(t),
      [`src/orders.${lang}`]: ORDERS,
      [`src/index.${lang}`]: `import { Router, AutoRouter } from "itty-router";\nimport { users } from "./users${lang === "js" ? ".js" : ""}";\nimport orders from "./orders${lang === "js" ? ".js" : ""}";\n${head}\nconst api = Router({ base: "/api", routes: ${routes} });\nexport default { fetch: (request${t(": Request")}, env${t(": any")}, ctx${t(": any")}) => api.fetch(request, env, ctx) };`,
    });
    for (const routes of ["[...users.routes, ...orders.routes]", "users.routes.concat(orders.routes)", "ROUTES"])
      it(`${lang}: Router({ routes: ${routes} }) carries the routes, middleware included`, () => {
        const a = analyse(files(routes, "const ROUTES = [...orders.routes, ...users.routes];"), { main: `src/index.${lang}` });
        assert.deepEqual(a.unknowns, []);
        assert.deepEqual(a.backends, [
          { host: "auth.example.com", roundTrips: 1 },
          { host: "users.example.com", roundTrips: 1 },
        ]);
        assert.equal(statusOf(a), "SUCCESS");
      });
    it(`${lang}: one router's routes given directly: only those`, () => {
      const a = analyse(files("orders.routes"), { main: `src/index.${lang}` });
      assert.deepEqual(a.backends, [{ host: "shop.example.com", roundTrips: 1 }]);
    });
  }
  it("routes the analysis cannot read make the prediction UNKNOWN, naming them", () => {
    const a = one(
      `import { Router } from "itty-router";\ndeclare function loadRoutes(): any[];\nconst core = Router();\ncore.get("/a", async () => { await fetch("https://a.example.com/"); return new Response(); });\nconst api = Router({ routes: [...core.routes, ...loadRoutes()] });\nexport default { fetch: (r: Request) => api.fetch(r) };`,
    );
    assert.ok(a.unknowns.includes("the routes given to the router (loadRoutes()) could not be resolved"), a.unknowns.join("; "));
    assert.equal(statusOf(a), "UNKNOWN");
  });
  it("route entries written out as [method, regex, handlers, path]", () => {
    const a = one(
      `import { AutoRouter } from "itty-router";\nasync function report() { ${TWO_CALLS} return new Response(); }\nconst router = AutoRouter({ routes: [["GET", /^\\/report$/, [report], "/report"]] });\nexport default router;`,
    );
    assert.deepEqual(a.backends, [{ host: "db.example.com", roundTrips: 2 }]);
  });
});

describe("stream subclasses and sinks", () => {
  const COMMANDS = (t: (s: string) => string) => `export class Weather {
  static matches(text${t(": string")}) { return text.startsWith("/weather"); }
  constructor(env${t(": any")}) { this.env = env; }
  ${t("env: any;")}
  async run() { await fetch("https://weather.example.com/now"); await fetch("https://chat.example.com/reply"); }
}
export class Echo {
  static matches() { return true; }
  constructor(env${t(": any")}) { this.env = env; }
  ${t("env: any;")}
  async run() { await fetch("https://chat.example.com/reply"); }
}
export const commands = [Weather, Echo];`;
  for (const lang of ["ts", "js"] as const) {
    const t = (s: string): string => (lang === "ts" ? s : "");
    const worker = (index: string): Record<string, string> => ({
      [`src/commands.${lang}`]: COMMANDS(t),
      [`src/index.${lang}`]: `import { commands } from "./commands${lang === "js" ? ".js" : ""}";\n${index}`,
    });
    it(`${lang}: request.body.pipeTo(new EventSink(env)): write() per event (a loop) runs the worst listed command`, () => {
      const a = analyse(
        worker(`class EventSink extends WritableStream${t("<any>")} {
  constructor(env${t(": any")}) {
    super({ write: async (ev) => { const Cmd = commands.find((c) => c.matches(ev.text)); if (Cmd) await new Cmd(env).run(ev); } });
  }
}
export default { async fetch(request${t(": Request")}, env${t(": any")}) { await request.body${t("!")}.pipeTo(new EventSink(env)); return new Response("ok"); } };`),
        { main: `src/index.${lang}` },
      );
      assert.deepEqual(a.unknowns, []);
      assert.deepEqual(a.backends, [
        { host: "chat.example.com", roundTrips: 2 },
        { host: "weather.example.com", roundTrips: 2 },
      ]);
    });
    it(`${lang}: a command class picked from a list, called directly: the worst class's run, once`, () => {
      const a = analyse(
        worker(
          `export default { async fetch(request${t(": Request")}, env${t(": any")}) { const ev = await request.json(); const Cmd = commands.find((c) => c.matches(ev.text)); const cmd = new Cmd${t("!")}(env); await cmd.run(); return new Response("ok"); } };`,
        ),
        { main: `src/index.${lang}` },
      );
      assert.deepEqual(a.backends, [
        { host: "chat.example.com", roundTrips: 1 },
        { host: "weather.example.com", roundTrips: 1 },
      ]);
    });
  }
  it("new Response(new Feed()) of a ReadableStream subclass: start() once, pull() per chunk", () => {
    const a = one(
      `class Feed extends ReadableStream<Uint8Array> {\n  constructor() {\n    super({\n      async start(c) { await fetch("https://feed.example.com/head"); },\n      async pull(c) { await fetch("https://feed.example.com/next"); },\n    });\n  }\n}\nexport default { async fetch() { return new Response(new Feed()); } };`,
    );
    assert.deepEqual(a.backends, [{ host: "feed.example.com", roundTrips: 3 }]);
  });
  it("the sink reaches WritableStream through a base class's constructor parameter", () => {
    const a = one(
      `class Base extends WritableStream<string> { constructor(sink: UnderlyingSink<string>) { super(sink); } }\nclass Audit extends Base { constructor() { super({ async write(r) { await fetch("https://audit.example.com/r"); } }); } }\nexport default { async fetch(request: Request) { const sink = new Audit(); await request.body!.pipeThrough(new TextDecoderStream()).pipeTo(sink); return new Response(); } };`,
    );
    assert.deepEqual(a.backends, [{ host: "audit.example.com", roundTrips: 2 }]);
  });
  for (const [body, trips] of [
    [`const writer = new Audit().getWriter(); await writer.ready; await writer.write("a"); await writer.close();`, 1],
    [`const sink = new Audit(); const writer = sink.getWriter(); await writer.write("a"); writer.releaseLock();`, 1],
    [`const writer = new Audit().getWriter(); for (const x of ["a", "b"]) await writer.write(x);`, 2],
    [`const writer = new Audit().getWriter(); await writer.write("a"); await writer.write("b");`, 2],
  ] as const)
    it(`a sink written through its writer: ${trips === 1 ? "one chunk, write() once" : "write() per chunk"} (${body})`, () => {
      const a = one(
        `class Audit extends WritableStream<string> { constructor() { super({ async write() { await fetch("https://audit.example.com/r"); } }); } }\nexport default { async fetch() { ${body} return new Response(); } };`,
      );
      assert.deepEqual(a.backends, [{ host: "audit.example.com", roundTrips: trips }]);
    });
  it("the platform's new WritableStream({ write }): write() per chunk", () => {
    const a = one(
      `export default { async fetch(request: Request) { await request.body!.pipeTo(new WritableStream({ async write() { await fetch("https://log.example.com/"); } })); return new Response(); } };`,
    );
    assert.deepEqual(a.backends, [{ host: "log.example.com", roundTrips: 2 }]);
  });
  it("a subclass handing super a sink that cannot be read is UNKNOWN, naming it", () => {
    const a = one(
      `declare const sinks: Map<string, UnderlyingSink>;\nclass Named extends WritableStream { constructor(n: string) { super(sinks.get(n)); } }\nexport default { async fetch(request: Request) { await request.body!.pipeTo(new Named("a")); return new Response(); } };`,
    );
    assert.deepEqual(a.unknowns, [
      "Named extends WritableStream with what its constructor hands to super (sinks.get(n)), which cannot be resolved: the callbacks it runs on the path cannot be seen (index.ts:3)",
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
  });
  it("a subclass calling super() with nothing runs no code of the project's", () => {
    const a = one(
      `class Counting extends WritableStream { count = 0; constructor() { super(); } }\nexport default { async fetch(request: Request) { await request.body!.pipeTo(new Counting()); await fetch("https://one.example.com/"); return new Response(); } };`,
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(a.backends, [{ host: "one.example.com", roundTrips: 1 }]);
  });
});

describe("functions that return the app they are given", () => {
  it("a static factory returning this.applyRoutes(app), whose static handlers return openapi chains on the app", () => {
    const a = analyse({
      "src/index.ts": `import { App } from "./app";\nconst app = App.init();\nexport default app;`,
      "src/app.ts": `import { OpenAPIHono } from "@hono/zod-openapi";\nimport { PostHandler } from "./posts";\nimport { HealthHandler } from "./health";\nexport class App {\n  static init() {\n    const app = new OpenAPIHono();\n    return this.applyRoutes(app);\n  }\n  static applyRoutes(app: OpenAPIHono) {\n    return app.route("/", HealthHandler.apply(app)).route("/", PostHandler.apply(app));\n  }\n}`,
      "src/health.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";\nexport class HealthHandler {\n  static apply(app: OpenAPIHono) {\n    return app.openapi(createRoute({ method: "get", path: "/health", responses: {} }), (c) => c.text("ok"));\n  }\n}`,
      "src/posts.ts": `import { OpenAPIHono, createRoute } from "@hono/zod-openapi";\nimport { PostService } from "./service";\nexport class PostHandler {\n  static apply(app: OpenAPIHono) {\n    return app\n      .openapi(createRoute({ method: "get", path: "/posts", responses: {} }), async (c) => c.json(await PostService.list()))\n      .openapi(createRoute({ method: "post", path: "/posts", responses: {} }), async (c) => { await PostService.create(); await PostService.notify(); return c.json({}, 201); });\n  }\n}`,
      "src/service.ts": `export class PostService {\n  static async list() { return (await fetch("https://db.example.com/posts")).json(); }\n  static async create() { await fetch("https://db.example.com/posts", { method: "POST" }); }\n  static async notify() { await fetch("https://hooks.example.com/posts", { method: "POST" }); }\n}`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /health", 0],
        ["GET /posts", 1],
        ["POST /posts", 2],
      ],
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("JavaScript: app.route('/', users(app)) in a statement, next to a sub-app made afresh", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\nimport { users } from "./users.js";\nconst app = new Hono();\napp.route("/", users(app));\napp.route("/", admin(app));\nfunction admin(parent) { const sub = new Hono(); sub.get("/admin", async (c) => { await fetch("https://stats.example.com/"); return c.text(""); }); return sub; }\nexport default app;`,
        "src/users.js": `export const users = (app) => app.get("/users", async (c) => { ${TWO_CALLS} return c.json([]); });`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /users", 2],
        ["GET /admin", 1],
      ],
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("a function returning app.fetch(...) is not the app: what it mounts stays unresolved", () => {
    const a = one(
      `import { Hono } from "hono";\nconst app = new Hono();\nfunction serve(app: Hono) { return app.fetch(new Request("https://x.example.com/")); }\napp.get("/a", async (c) => { ${TWO_CALLS} return c.text(""); });\napp.route("/", serve(app) as any);\nexport default app;`,
    );
    assert.deepEqual(a.unknowns, ["the app mounted at / (serve(app) as any) could not be resolved"]);
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /a", 2],
        ["ALL /*", 0],
      ],
    );
  });
});

describe("Orange: app(serverBuild) of @orange-js/orange/server", () => {
  const entry = `import { app } from "@orange-js/orange/server";\nimport * as serverBuild from "virtual:orange/server-bundle";\nexport * from "virtual:orange/entrypoints";\nexport default app(serverBuild);`;
  const manifest = JSON.stringify({ dependencies: { "@orange-js/orange": "0.0.8", hono: "^4.6.0", "react-router": "^7.1.5" } });

  it("an API route's Hono app is mounted at its route; the other routes' loaders are React Router's", () => {
    const a = analyse(
      {
        "package.json": manifest,
        "app/entry.server.ts": entry,
        "app/root.tsx": `export default function App() { return null; }`,
        "app/routes/_index.tsx": `export async function loader() { return (await fetch("https://cms.example.com/home")).json(); }\nexport default function Home() { return null; }`,
        "app/routes/api.ts": `import { Hono } from "hono";\nconst app = new Hono().get("/", (c) => c.text("")).post("/orders", async (c) => { ${TWO_CALLS} return c.text(""); });\nexport default app;`,
        "app/routes/admin.ts": `import { Hono } from "hono";\nexport default new Hono().get("/", async (c) => { await fetch("https://admin.example.com/"); return c.text(""); });`,
      },
      { main: "app/entry.server.ts" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [
        ["GET /api", 0],
        ["POST /api/orders", 2],
        ["GET /", 1],
      ],
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("JavaScript: an API route of text responses and a page with no loader send nothing", () => {
    const a = analyse(
      {
        "package.json": manifest,
        "app/entry.server.js": entry,
        "app/root.jsx": `export default function App() { return null; }`,
        "app/routes/_index.jsx": `export default function Home() { return null; }`,
        "app/routes/api.js": `import { Hono } from "hono";\nconst app = new Hono().get("/", (c) => c.text("hello")).get("/foo", (c) => c.text("foo"));\nexport default app;`,
      },
      { main: "app/entry.server.js" },
    );
    assert.deepEqual(
      a.handlers.map((h) => h.route),
      ["GET /api", "GET /api/foo", "GET /*"],
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("an API route whose default export cannot be resolved is unknown, named", () => {
    const a = analyse(
      {
        "package.json": manifest,
        "app/entry.server.ts": entry,
        "app/root.tsx": `export default function App() { return null; }`,
        "app/routes/api.ts": `import { makeApi } from "some-api-kit";\nexport default makeApi();`,
      },
      { main: "app/entry.server.ts" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, [
      'the fetch handler is made by makeApi(...) from "some-api-kit", whose subrequests the analyser cannot see',
    ]);
    assert.deepEqual(
      a.handlers.map((h) => h.route),
      ["ALL /api/*", "GET /*"],
    );
  });
});
