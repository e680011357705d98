import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Apps wired through classes and builders: a subclass of a framework's app, an app or handler kept
 * in a class field, a TanStack Start server function finished from a builder with the context its
 * middleware hands on, better-auth options spread in by a wrapper. TypeScript and JavaScript.
 */

const TWO_CALLS = `await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2");`;
const TSCONFIG = JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"] } } });

describe("a subclass of a framework's app class", () => {
  it("new CustomHono().basePath(...) where CustomHono extends Hono, imported through a tsconfig path alias", () => {
    const a = analyse({
      "tsconfig.json": TSCONFIG,
      "src/types/hono.ts": `import { Hono } from "hono";\nexport class CustomHono extends Hono<{ Bindings: Env }> {}`,
      "src/index.ts": `import { CustomHono } from "@/types/hono";\nconst app = new CustomHono().basePath("/api");\napp.post("/items", async (c) => { ${TWO_CALLS} return c.json({}); });\nexport default app;`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["POST /api/items", 2]],
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a sub-app made by the subclass and mounted with route(): its routes under the mount path", () => {
    const a = analyse({
      "tsconfig.json": TSCONFIG,
      "src/types/hono.ts": `import { Hono } from "hono";\nexport class CustomHono extends Hono<{ Bindings: Env }> {}`,
      "src/features/items.ts": `import { CustomHono } from "@/types/hono";\nexport default new CustomHono().get("/", async (c) => { ${TWO_CALLS} return c.json([]); });`,
      "src/index.ts": `import { CustomHono } from "@/types/hono";\nimport items from "@/features/items";\nconst app = new CustomHono();\napp.route("/items", items);\nexport default app;`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /items", 2]],
    );
  });

  it("JavaScript: an alias of the app class re-exported through a barrel, and a subclass of the subclass", () => {
    const a = analyse(
      {
        "src/base.js": `import { Hono } from "hono";\nexport const App = Hono;`,
        "src/barrel.js": `export { App } from "./base.js";`,
        "src/api.js": `import { App } from "./barrel.js";\nexport class Api extends App {}\nexport class AdminApi extends Api {}`,
        "src/index.js": `import { AdminApi } from "./api.js";\nconst app = new AdminApi();\napp.get("/a", async (c) => { ${TWO_CALLS} return c.text(""); });\nexport default app;`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /a", 2]],
    );
  });

  it("the framework's class re-exported by a module of the project (export { Hono as Base } from 'hono')", () => {
    const a = analyse({
      "src/framework.ts": `export { Hono as Base } from "hono";`,
      "src/index.ts": `import { Base } from "./framework";\nclass Api extends Base {}\nconst app = new Api();\napp.get("/a", async (c) => { ${TWO_CALLS} return c.text(""); });\nexport default app;`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("a typed alias (`export const AppHono = Hono as new () => Hono<AppEnv>`) and a typed factory", () => {
    for (const made of [
      {
        "src/types/hono.ts": `import { Hono } from "hono";\ntype AppEnv = { Bindings: Env };\nexport const AppHono = Hono as unknown as new () => Hono<AppEnv>;`,
        use: "new AppHono()",
      },
      {
        "src/types/hono.ts": `import { Hono } from "hono";\ntype AppEnv = { Bindings: Env };\nexport const createApp = () => new Hono<AppEnv>();`,
        use: "createApp()",
      },
    ]) {
      const name = made.use.startsWith("new") ? "AppHono" : "createApp";
      const a = analyse({
        "tsconfig.json": TSCONFIG,
        "src/types/hono.ts": made["src/types/hono.ts"],
        "src/index.ts": `import { ${name} } from "@/types/hono";\nconst app = ${made.use}.basePath("/v1");\napp.get("/a", async (c) => { ${TWO_CALLS} return c.text(""); });\nexport default app;`,
      });
      assert.deepEqual(
        a.handlers.map((h) => [h.route, h.roundTrips]),
        [["GET /v1/a", 2]],
        made.use,
      );
    }
  });

  it("a subclass of an unknown package's class is not taken for an app: still unknown", () => {
    const a = analyse({
      "src/index.ts": `import { Server } from "some-server";\nclass Api extends Server {}\nexport default new Api().basePath("/api");`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.equal(a.roundTrips, 0);
  });
});

describe("an app or handler kept in a class field", () => {
  const ROUTES = {
    "package.json": JSON.stringify({ dependencies: { "react-router": "^7.6.0" }, devDependencies: { "@react-router/dev": "^7.6.0" } }),
    "app/routes.ts": `import { route, type RouteConfig } from "@react-router/dev/routes";\nexport default [route("notes/:id", "routes/note.tsx")] satisfies RouteConfig;`,
    "app/routes/note.tsx": `export async function action() { ${TWO_CALLS} await fetch("https://db.example.com/3"); return null; }\nexport default function Note() { return null; }`,
  };

  it("this.handler = createRequestHandler(...) in the constructor, called as this.handler(request, ...)", () => {
    const a = analyse(
      {
        ...ROUTES,
        "workers/app.ts": `import { WorkerEntrypoint } from "cloudflare:workers";\nimport { createRequestHandler } from "react-router";\nexport default class App extends WorkerEntrypoint<Env> {\n  private handler: ReturnType<typeof createRequestHandler>;\n  constructor(ctx: ExecutionContext, env: Env) { super(ctx, env); this.handler = createRequestHandler(() => import("virtual:react-router/server-build"), "production"); }\n  override async fetch(request: Request) { return this.handler(request, { cloudflare: { env: this.env, ctx: this.ctx } }); }\n}`,
      },
      { main: "workers/app.ts" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["POST /notes/:id", 3]],
    );
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("JavaScript: a field initializer holding the handler, reached through this.app.fetch-less call", () => {
    const a = analyse(
      {
        ...ROUTES,
        "workers/app.js": `import { createRequestHandler } from "react-router";\nclass Gateway {\n  app = createRequestHandler(() => import("virtual:react-router/server-build"));\n  fetch(request, env, ctx) { return this.app(request, { cloudflare: { env, ctx } }); }\n}\nexport default new Gateway();`,
      },
      { main: "workers/app.js" },
    );
    assert.equal(a.roundTrips, 3);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a Hono app made in the constructor, middleware registered there (also under an if) and in a method it calls, then this.app.fetch", () => {
    const a = analyse({
      "src/index.ts": `import { WorkerEntrypoint } from "cloudflare:workers";\nimport { Hono } from "hono";\nexport default class Handler extends WorkerEntrypoint<Env> {\n  private app: Hono<{ Bindings: Env }>;\n  constructor(ctx: ExecutionContext, env: Env) {\n    super(ctx, env);\n    this.app = new Hono();\n    if (env.AUDIT) { this.app.use(async (c, next) => { await fetch("https://audit.example.com/log"); await next(); }); }\n    this.routes();\n  }\n  override async fetch(request: Request) { return await this.app.fetch(request, this.env, this.ctx); }\n  private routes() { this.app.get("/a", async (c) => { ${TWO_CALLS} return c.text(""); }); }\n}`,
    });
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["GET /a", 3]],
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("JavaScript: the app as a field initializer, routes registered in the constructor", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\nclass Handler {\n  app = new Hono();\n  constructor() { this.app.post("/b", async (c) => { ${TWO_CALLS} return c.text(""); }); }\n  fetch(request, env, ctx) { return this.app.fetch(request, env, ctx); }\n}\nexport default new Handler();`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.route, h.roundTrips]),
      [["POST /b", 2]],
    );
  });

  it("a handler in a field made by a package the analysis does not read: unknown, never nothing", () => {
    const a = analyse({
      "src/index.ts": `import { makeHandler } from "some-framework";\nexport default class W {\n  private serve = makeHandler({ mode: "production" });\n  async fetch(request: Request) { return this.serve(request); }\n}`,
    });
    assert.deepEqual(a.unknowns, [
      'the fetch handler is made by makeHandler(...) from "some-framework", whose subrequests the analyser cannot see',
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("TanStack Start: server functions and the context their middleware hands on", () => {
  const APP = {
    "src/entry.ts": `import handler from "@tanstack/react-start/server-entry";\nexport default { fetch(request: Request) { return handler.fetch(request); } };`,
    "src/routes/__root.tsx": `import { createRootRoute } from "@tanstack/react-router";\nexport const Route = createRootRoute({});`,
    "src/routes/index.tsx": `import { createFileRoute } from "@tanstack/react-router";\nimport { save } from "../server/save";\nexport const Route = createFileRoute("/")({ component: () => <button onClick={() => save({ data: 1 })} /> });`,
    "src/server/db.ts": `import { drizzle } from "drizzle-orm/d1";\nexport const openDb = (d1: D1Database) => drizzle(d1);`,
  };
  const MIDDLEWARE = `import { createMiddleware } from "@tanstack/react-start";\nimport { env } from "cloudflare:workers";\nimport { openDb } from "./db";\nexport const withDb = createMiddleware({ type: "function" }).server(async ({ context, next }) => next({ context: { ...context, db: openDb(env.DB) } }));`;

  it("a builder kept in a constant, finished with .handler((call) => call.context.db...): one D1 round trip", () => {
    const a = analyse(
      {
        ...APP,
        "src/server/middleware.ts": MIDDLEWARE,
        "src/server/save.ts": `import { createServerFn } from "@tanstack/react-start";\nimport { withDb } from "./middleware";\nconst base = createServerFn({ method: "POST" }).middleware([withDb]);\nexport const save = base.inputValidator((n: number) => n).handler(async (call) => { const db = call.context.db; await db.insert(items).values({ n: call.data }); return true; });`,
      },
      { main: "src/entry.ts", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      a.subrequests.filter((s) => s.criticalPath).map((s) => [s.kind, s.target]),
      [["d1", "DB"]],
    );
    assert.equal(statusOf(a, ["DB"]), "INSUFFICIENT_SUBREQUESTS");
  });

  it("JavaScript: the handler destructures { context } and the middleware calls options.next(...)", () => {
    const a = analyse(
      {
        ...Object.fromEntries(Object.entries(APP).map(([k, v]) => [k.replace(/\.ts$/, ".js"), v.replace(": Request", "")])),
        "src/server/db.js": `import { drizzle } from "drizzle-orm/d1";\nexport const openDb = (d1) => drizzle(d1);`,
        "src/server/middleware.js": `import { createMiddleware } from "@tanstack/react-start";\nimport { env } from "cloudflare:workers";\nimport { openDb } from "./db.js";\nexport const withDb = createMiddleware().server((options) => options.next({ context: { db: openDb(env.DB) } }));`,
        "src/server/save.js": `import { createServerFn } from "@tanstack/react-start";\nimport { withDb } from "./middleware.js";\nconst base = createServerFn({ method: "POST" }).middleware([withDb]);\nexport const save = base.handler(async ({ context }) => { await context.db.insert(items).values({}); await context.db.select().from(items); return true; });`,
        "src/routes/index.tsx": APP["src/routes/index.tsx"].replace("../server/save", "../server/save.js"),
      },
      { main: "src/entry.js", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a, ["DB"]), "SUCCESS");
  });
});

describe("better-auth options spread in by a wrapper", () => {
  const APP = `import { Hono } from "hono";\nimport { createAuth } from "./auth";\nconst app = new Hono<{ Bindings: Env }>();\napp.on(["GET", "POST"], "/api/auth/*", (c) => createAuth(c.env).handler(c.req.raw));\nexport default app;`;

  it("betterAuth({ ...withCloudflare({ d1: { db: drizzle(env.DB) } }, options) }): the sign-up's four round trips to D1", () => {
    const a = analyse(
      {
        "src/index.ts": APP,
        "src/auth.ts": `import { betterAuth } from "better-auth";\nimport { withCloudflare } from "better-auth-cloudflare";\nimport { drizzle } from "drizzle-orm/d1";\nexport function createAuth(env: Env) {\n  const db = drizzle(env.DB);\n  return betterAuth({ ...withCloudflare({ autoDetectIpAddress: true, d1: env ? { db, options: { usePlural: true } } : undefined, kv: env.KV }, { emailAndPassword: { enabled: true } }) });\n}`,
      },
      { bindings: { d1: ["DB"], kv: ["KV"] } },
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual([...new Set(a.subrequests.filter((s) => s.criticalPath).map((s) => `${s.kind} ${s.target}`))], ["d1 DB"]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a, ["DB"]), "SUCCESS");
  });

  it("JavaScript: d1Native, the options built in a constant and spread", () => {
    const a = analyse(
      {
        "src/index.js": APP.replace("<{ Bindings: Env }>", "").replace('"./auth"', '"./auth.js"'),
        "src/auth.js": `import { betterAuth } from "better-auth";\nimport { withCloudflare } from "better-auth-cloudflare";\nexport function createAuth(env) {\n  const options = withCloudflare({ d1Native: env.DB }, { emailAndPassword: { enabled: true } });\n  return betterAuth({ baseURL: env.BASE_URL, ...options });\n}`,
      },
      { main: "src/index.js", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.unknowns, []);
  });
});
