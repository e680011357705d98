import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, criticalTargets, fetchHandler, statusOf } from "./helpers/analyse";

/** Wiring of real Workers: project router classes in workspace packages, member chains through fields, Next server components, tRPC callers. */

const routes = (a: WorkerAnalysis): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
const call = (host: string): string => `await fetch("https://${host}/x");`;

describe("a project's router class", () => {
  const ROUTER = `type H = (request: Request, env: unknown) => Promise<Response>;
export class PathRouter {
  private table: Record<string, Record<string, H>> = {};
  get = this.add("GET");
  post = this.add("POST");
  private add(method: string) {
    return (path: string, handler: H) => { (this.table[path] ??= {})[method] = handler; };
  }
  handleRequest(request: Request, env: unknown): Promise<Response> {
    const handler = this.table[new URL(request.url).pathname]?.[request.method];
    return handler ? handler(request, env) : Promise.resolve(new Response("", { status: 404 }));
  }
}`;

  it("in a workspace package whose exports map names an unbuilt dist/ (subpath and ./* exports): its registrations are the routes", () => {
    const a = analyse({
      "package.json": JSON.stringify({ name: "bot", workspaces: ["packages/*"] }),
      "packages/kit/package.json": JSON.stringify({
        name: "@acme/kit",
        exports: { ".": { import: "./dist/index.js" }, "./router": { import: "./dist/router/index.js" }, "./*": { import: "./dist/*" } },
      }),
      "packages/kit/src/router/index.ts": ROUTER,
      "packages/kit/src/geo/lookup.ts": `export async function lookup() { ${call("geo.example.com")} }`,
      "src/app.ts": `import { PathRouter } from "@acme/kit/router";\nexport const app = new PathRouter();`,
      "src/routes.ts": `import { lookup } from "@acme/kit/geo/lookup.js";
import { app } from "./app";
app.post("/signup", async () => { await lookup(); ${call("crm.example.com")} ${call("crm.example.com")} return new Response(""); });
app.get("/health", async () => new Response("ok"));`,
      "src/index.ts": `import "./routes";\nimport { app } from "./app";\nexport default { fetch(request: Request, env: unknown) { return app.handleRequest(request, env); } };`,
    });
    assert.deepEqual(a.handlers.find((h) => h.kind === "fetch")?.roundTrips, 3);
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(criticalTargets(a), ["geo.example.com", "crm.example.com", "crm.example.com"]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("JavaScript: the request handed to any method of it reaches its routes (the worst counts)", () => {
    const a = analyse(
      {
        "src/router.js": `export class Router {
  constructor() { this.routes = []; }
  get(path, fn) { this.routes.push({ path, method: "GET", fn }); }
  post(path, fn) { this.routes.push({ path, method: "POST", fn }); }
  async dispatch(request) { const r = this.routes.find((x) => x.path === new URL(request.url).pathname); return r ? r.fn(request) : null; }
}`,
        "src/index.js": `import { Router } from "./router.js";
const router = new Router();
router.get("/a", async () => { ${call("a.example.com")} return new Response(""); });
router.post("/b", async () => { ${call("b.example.com")} ${call("b.example.com")} return new Response(""); });
export default { async fetch(request) { return (await router.dispatch(request)) ?? new Response("", { status: 404 }); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("a class with route-like methods but no method given the request is not a router: an HTTP client's get() still runs", () => {
    const a = analyse({
      "src/index.ts": fetchHandler(
        `await api.get("/users"); await api.post("/audit", {});`,
        `class Api {
  async get(path: string) { return fetch("https://api.example.com" + path); }
  async post(path: string, body: unknown) { return fetch("https://api.example.com" + path, { method: "POST", body: JSON.stringify(body) }); }
}
const api = new Api();`,
      ),
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["api.example.com", "api.example.com"]);
  });

  it("an HTTP client class with get/post and a method given the request registers no handler: that method is followed", () => {
    const a = analyse({
      "src/index.ts": fetchHandler(
        `const api = new Api(); await api.get("/users"); return api.forward(request);`,
        `class Api {
  async get(path: string) { return fetch("https://api.example.com" + path); }
  async post(path: string, body: unknown) { return fetch("https://api.example.com" + path, { method: "POST", body: JSON.stringify(body) }); }
  async forward(request: Request) { return fetch(new Request("https://origin.example.com/", request)); }
}`,
      ),
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["api.example.com", "origin.example.com"]);
  });
});

describe("member chains through fields of fields", () => {
  const CLASSES = `class Hasher { async post(path: string) { return fetch("https://hash.example.com" + path); } }
class Db { async query(sql: string) { return fetch("https://db.example.net/q", { method: "POST", body: sql }); } }
class Api { hasher: Hasher; constructor() { this.hasher = new Hasher(); } }
class Service {
  api = new Api();
  deps: { db: Db };
  constructor() { this.deps = { db: new Db() }; }
  async run() { await this.api.hasher.post("/x"); await this.deps.db.query("select 1"); }
}`;

  it("this.api.hasher.post() and this.deps.db.query(): each level assigned in a constructor or a field", () => {
    const a = analyse({ "src/index.ts": fetchHandler(`await new Service().run();`, CLASSES) });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["hash.example.com", "db.example.net"]);
  });

  it("from outside the class: service.api.hasher.post() and service.deps.db.query()", () => {
    const a = analyse({
      "src/index.ts": fetchHandler(
        `const s = new Service(); await s.api.hasher.post("/y"); await s.deps.db.query("q"); await s.api.hasher.post("/z");`,
        CLASSES,
      ),
    });
    assert.equal(a.roundTrips, 3);
  });

  it("across modules, and registry.services.users.find() over nested object literals", () => {
    const a = analyse({
      "src/hasher.ts": `export class Hasher { async post() { ${call("hash.example.com")} } }`,
      "src/api.ts": `import { Hasher } from "./hasher";\nexport class Api { readonly hasher: Hasher; constructor() { this.hasher = new Hasher(); } }`,
      "src/registry.ts": `export const registry = { services: { users: { async find() { ${call("users.example.org")} } } } };`,
      "src/index.ts": fetchHandler(
        `await registry.services.users.find(); await app.api.hasher.post();`,
        `import { Api } from "./api";\nimport { registry } from "./registry";\nclass App { api = new Api(); }\nconst app = new App();`,
      ),
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["hash.example.com", "users.example.org"]);
  });

  it("a field the base class's constructor sets (this.api.hasher in a subclass, also through a const), with a host from a var", () => {
    const a = analyse(
      {
        "src/api.ts": `class Hasher { constructor(private base: string) {} async post() { return fetch(this.base + "/hash", { method: "POST" }); } }
export class AuthApi { hasher: Hasher; constructor(base: string) { this.hasher = new Hasher(base); } }`,
        "src/base.ts": `import { AuthApi } from "./api";\nexport class Authentication { protected api: AuthApi; constructor(protected env: { AUTH: string }) { this.api = new AuthApi(env.AUTH); } }`,
        "src/user.ts": `import { Authentication } from "./base";\nexport default class extends Authentication { async enrol() { const hasher = this.api.hasher; await hasher.post(); await this.api.hasher.post(); } }`,
        "src/index.ts": fetchHandler(`await new UserAuth(env).enrol();`, `import UserAuth from "./user";`),
      },
      { vars: { AUTH: "https://auth.example.com" } },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["auth.example.com"]);
  });

  it("JavaScript: this.deps.db where the constructor stores what new was given (an object literal, inline or in a const)", () => {
    const a = analyse(
      {
        "src/index.js": `class Db { async query() { return fetch("https://db.example.net/q", { method: "POST" }); } }
class Stock { async reserve() { return fetch("https://stock.example.com/r", { method: "POST" }); } }
class Orders { constructor(deps) { this.deps = deps; } async place() { await this.deps.stock.reserve(); await this.deps.db.query(); } }
const deps = { db: new Db(), stock: new Stock() };
export default { async fetch() { await new Orders(deps).place(); await new Orders({ db: new Db(), stock: new Stock() }).place(); return new Response(""); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(criticalTargets(a), ["db.example.net", "stock.example.com"]);
  });

  it("JavaScript: a field of a field that is a constructor's parameter property is followed to what new was given", () => {
    const a = analyse(
      {
        "src/index.js": `class Pay { constructor(base) { this.base = base; } async charge() { return fetch(this.base + "/charges", { method: "POST" }); } }
class Backends { constructor() { this.pay = new Pay("https://pay.example.net"); } }
class Orders { constructor() { this.backends = new Backends(); } async place() { await this.backends.pay.charge(); await this.backends.pay.charge(); } }
export default { async fetch() { await new Orders().place(); return new Response(""); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["pay.example.net"]);
  });
});

describe("instances made by calls, factories of classes and typed constructors", () => {
  const TABLE = `function Table(name: string) {
  return class {
    constructor(readonly db: D1Database) {}
    private select() { return this.db.prepare("select * from " + name); }
    async all() { return (await this.select().all()).results; }
  };
}
class Users extends Table("users") { admins() { return this.all(); } }`;

  it("a method of a class that extends what a factory returns (a mixin), on an instance a factory function returns", () => {
    const a = analyse(
      {
        "src/index.ts": fetchHandler(
          `await usersOf(env.DB).admins(); await usersOf(env.DB).admins();`,
          `${TABLE}\nfunction usersOf(db: D1Database) { return new Users(db); }`,
        ),
      },
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["DB"]);
  });

  it("get<T>(type: new (db) => T): T called with a class, and a field made by table<T>(type): () => T called as repo.users()", () => {
    const a = analyse(
      {
        "src/index.ts": fetchHandler(
          `const repo = new Repo(env.DB); await repo.get(Users).admins(); await repo.users().admins(); const u = repo.users(); await u.admins();`,
          `${TABLE}
class Repo {
  private made = new Map<unknown, unknown>();
  constructor(private db: D1Database) {}
  get<T>(type: new (db: D1Database) => T): T { return this.made.get(type) as T; }
  users = this.table(Users);
  private table<T>(type: { new (db: D1Database): T }): () => T { return () => this.made.get(type) as T; }
}`,
        ),
      },
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.unknowns, []);
  });

  it("JavaScript: a statement a helper prepares, run by the caller with .first()", () => {
    const a = analyse(
      {
        "src/index.js": `function byId(env, id) { return env.DB.prepare("select * from t where id = ?").bind(id); }
export default { async fetch(request, env) { const row = await byId(env, 1).first(); return Response.json(row); } };`,
      },
      { main: "src/index.js", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(criticalTargets(a), ["DB"]);
  });
});

describe("D1 bindings held by fields and parameters", () => {
  const REPO = `class Repo {
  constructor(private db: D1Database) {}
  one(id: string) { return this.db.prepare("select * from t where id = ?").bind(id).first(); }
  save(ids: string[]) { return this.db.batch(ids.map((id) => this.db.prepare("insert into t values (?)").bind(id))); }
  wipe() { return this.db.exec("delete from t"); }
}`;

  it("a repository class made with new Repo(env.DB): its queries, batch() and exec() are on DB", () => {
    const a = analyse(
      {
        "src/index.ts": fetchHandler(
          `const repo = new Repo(env.DB);\nawait repo.one("a");\nawait repo.save(["a"]);\nawait repo.wipe();`,
          REPO,
        ),
      },
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(criticalTargets(a), ["DB", "DB", "DB"]);
  });

  it("a helper's parameter given env.DB, and a session made on a field (this.db.withSession()) held in a variable", () => {
    const a = analyse(
      {
        "src/index.ts": fetchHandler(
          `await touch(env.DB, ["a"]);\nawait new Reader(env.DB).recent();`,
          `async function touch(db: D1Database, ids: string[]) { await db.batch(ids.map((id) => db.prepare("update t set n = n + 1 where id = ?").bind(id))); }
class Reader {
  private db: D1Database;
  constructor(db: D1Database) { this.db = db; }
  recent() { const session = this.db.withSession("first-unconstrained"); return session.prepare("select 1").all(); }
}`,
        ),
      },
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["DB", "DB"]);
  });

  it("a field whose database cannot be traced to one binding keeps its name", () => {
    const a = analyse(
      {
        "src/index.ts": fetchHandler(
          `await new Repo(pick(env, request)).one("a");`,
          `${REPO}\nfunction pick(env: any, request: Request): D1Database { return request.headers.has("x-eu") ? env.EU : env.US; }`,
        ),
      },
      { bindings: { d1: ["EU", "US"] } },
    );
    assert.deepEqual(criticalTargets(a), ["this.db"]);
  });

  it("Drizzle's batch on a field holding drizzle(env.DB) stays Drizzle's: not read as the binding's", () => {
    const a = analyse(
      {
        "src/index.ts": fetchHandler(
          `await new Store(env.DB).both();`,
          `import { drizzle } from "drizzle-orm/d1";
class Store {
  private db;
  constructor(d1: D1Database) { this.db = drizzle(d1); }
  both() { return this.db.batch([this.db.select().from(t), this.db.select().from(u)]); }
}
declare const t: any, u: any;`,
        ),
      },
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 1);
    assert.equal(a.subrequests.length, 1);
  });
});

describe("Next.js server components rendered by a page", () => {
  const NEXT = JSON.stringify({ name: "app", dependencies: { next: "^15.0.0" } });
  const page = (jsx: string, imports: string): string => `import { cookies } from "next/headers";
${imports}
export default async function Page() { (await cookies()).get("s"); ${call("session.example.com")} return ${jsx}; }`;

  it("siblings render concurrently (the longest counts), after the page's own awaits", () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "app/page.tsx": page(`<main><A /><B /></main>`, `import { A } from "../components/a";\nimport { B } from "../components/b";`),
        "components/a.tsx": `export async function A() { ${call("a.example.com")} return <p />; }`,
        "components/b.tsx": `export async function B() { ${call("b.example.com")} ${call("b.example.com")} return <p />; }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 3]]);
  });

  it("a component nested in another's JSX, or returned by it, renders after it; a sync component passes its children on", () => {
    // Children given to a component are counted after everything it does, what it renders
    // included: B after A and C, though React may start B beside C (an overcount of at most the
    // shorter of them).
    const a = analyse(
      {
        "package.json": NEXT,
        "app/page.tsx": page(`<Shell><A><B /></A></Shell>`, `import { A, B, C, Shell } from "../components/all";`),
        "components/all.tsx": `export function Shell({ children }: { children: unknown }) { return <div>{children}</div>; }
export async function A({ children }: { children: unknown }) { ${call("a.example.com")} return <section><C />{children}</section>; }
export async function B() { ${call("b.example.com")} return <p />; }
export async function C() { ${call("c.example.com")} ${call("c.example.com")} return <p />; }`,
      },
      { main: ".open-next/worker.js" },
    );
    // session, then A (1), its C (2), then B (1).
    assert.deepEqual(routes(a), [["GET /", 5]]);
  });

  it('components of a "use client" module are not run in the Worker; server components given to them still render', () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "app/page.tsx": page(
          `<Client><B /></Client>`,
          `import { Client } from "../components/client";\nimport { B } from "../components/b";`,
        ),
        "components/client.tsx": `"use client";\nexport function Client({ children }: { children: unknown }) { return <div onClick={async () => { ${call("client.example.com")} }}>{children}</div>; }`,
        "components/b.tsx": `export async function B() { ${call("b.example.com")} return <p />; }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 2]]);
    assert.deepEqual(criticalTargets(a), ["session.example.com", "b.example.com"]);
  });

  it("Hono JSX: c.html(<Page />) renders the async components after the route's own awaits", () => {
    const a = analyse(
      {
        "src/index.tsx": `import { Hono } from "hono";
async function Weather() { ${call("weather.example.com")} return <p />; }
async function News() { ${call("news.example.com")} ${call("news.example.com")} return <ul />; }
const app = new Hono();
app.get("/", async (c) => { ${call("session.example.com")} return c.html(<main><Weather /><News /></main>); });
export default app;`,
      },
      { main: "src/index.tsx" },
    );
    assert.deepEqual(routes(a), [["GET /", 3]]);
  });

  it("JavaScript: components rendered in a list (.map) count once, beside their siblings", () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "app/page.jsx": `import { headers } from "next/headers";
import { Item } from "../components/item.jsx";
export default async function Page() { await headers(); const ids = [1, 2]; return <ul>{ids.map((id) => <Item key={id} id={id} />)}</ul>; }`,
        "components/item.jsx": `export async function Item({ id }) { ${call("items.example.com")} ${call("items.example.com")} return <li>{id}</li>; }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 2]]);
  });
});

describe("tRPC server-side callers", () => {
  const ROUTER = `import { initTRPC } from "@trpc/server";
const t = initTRPC.context<{ token: string }>().create();
export const createCallerFactory = t.createCallerFactory;
const authed = t.procedure.use(async ({ next }) => { ${call("auth.example.com")} return next(); });
export const appRouter = t.router({
  user: t.router({
    get: authed.query(async () => { ${call("users.example.com")} ${call("users.example.com")} return 1; }),
    list: t.procedure.query(async () => { ${call("list.example.com")} return []; }),
  }),
});`;

  it("appRouter.createCaller(ctx): caller.user.get() runs its middleware then its resolver, in order with the handler's own calls", () => {
    const a = analyse({
      "src/router.ts": ROUTER,
      "src/index.ts": fetchHandler(
        `const caller = appRouter.createCaller({ token: "t" }); await caller.user.get(); ${call("after.example.com")}`,
        `import { appRouter } from "./router";`,
      ),
    });
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.unknowns, []);
  });

  it("createCallerFactory(appRouter)(ctx), and a caller a project function returns: only the procedure called runs", () => {
    const a = analyse({
      "src/router.ts": ROUTER,
      "src/index.ts": fetchHandler(
        `const api = await getCaller(); await api.user.list();`,
        `import { appRouter, createCallerFactory } from "./router";
const createCaller = createCallerFactory(appRouter);
async function getCaller() { return createCaller({ token: "t" }); }`,
      ),
    });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(criticalTargets(a), ["list.example.com"]);
  });

  it("a caller made with a context function (create-t3-app's createCaller(createContext)): it runs before the procedure", () => {
    const a = analyse({
      "src/router.ts": ROUTER,
      "src/index.ts": fetchHandler(
        `await caller.user.list();`,
        `import { appRouter, createCallerFactory } from "./router";
const createContext = async () => { ${call("session.example.com")} return { token: "t" }; };
const caller = createCallerFactory(appRouter)(createContext);`,
      ),
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["session.example.com", "list.example.com"]);
  });

  it("@trpc/react-query/rsc: `export const { trpc: api } = createHydrationHelpers(caller, ...)`, api imported by a server component", () => {
    const a = analyse(
      {
        "package.json": JSON.stringify({ name: "app", dependencies: { next: "^15.0.0" } }),
        "src/router.ts": ROUTER,
        "src/server.ts": `import { createHydrationHelpers } from "@trpc/react-query/rsc";
import { appRouter, createCallerFactory } from "./router";
const caller = createCallerFactory(appRouter)({ token: "t" });
export const { trpc: api, HydrateClient } = createHydrationHelpers(caller, () => null);`,
        "app/page.tsx": `import { headers } from "next/headers";
import { api } from "../src/server";
export default async function Page() { await headers(); const user = await api.user.get(); return <p>{user}</p>; }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 3]]);
  });

  it("an exported destructuring is followed to what it destructures (`export const { a: b } = { a: ... }`)", () => {
    const a = analyse({
      "src/clients.ts": `export const { users: userApi } = { users: { async load() { ${call("users.example.com")} } } };`,
      "src/index.ts": fetchHandler(`await userApi.load();`, `import { userApi } from "./clients";`),
    });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(criticalTargets(a), ["users.example.com"]);
  });

  it("the caller's ctx is what the resolver's ctx holds (a host from a var)", () => {
    const a = analyse(
      {
        "src/router.ts": `import { initTRPC } from "@trpc/server";
const t = initTRPC.context<{ base: string }>().create();
export const appRouter = t.router({ ping: t.procedure.query(async ({ ctx }) => fetch(ctx.base + "/ping")) });`,
        "src/index.ts": fetchHandler(`await appRouter.createCaller({ base: env.API }).ping();`, `import { appRouter } from "./router";`),
      },
      { vars: { API: "https://ping.example.com" } },
    );
    assert.deepEqual(criticalTargets(a), ["ping.example.com"]);
  });

  it("JavaScript: a procedure the router does not have is said, not taken for nothing", () => {
    const a = analyse(
      {
        "src/router.js": `import { initTRPC } from "@trpc/server";
const t = initTRPC.create();
export const appRouter = t.router({ a: t.procedure.query(async () => { ${call("a.example.com")} }) });`,
        "src/index.js": `import { appRouter } from "./router.js";
export default { async fetch() { await appRouter.createCaller({}).b(); return new Response(""); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 0);
    assert.match(a.unknowns.join("\n"), /tRPC: the caller's procedure b is not one the analyser can see in the router/);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("a project's class that wraps a framework router held in a field", () => {
  const wrapper = (field: string, typed: boolean): string => {
    const t = (s: string): string => (typed ? s : "");
    return `import { IttyRouter } from "itty-router";
export class Router {
  ${field.startsWith("#") ? `${field} = IttyRouter();` : `constructor() { this.${field} = IttyRouter(); }`}
  get(path${t(": string")}, ...steps${t(": any[]")})${t(": void")} { this.${field}.get(path, ...steps.map((s${t(": any")}) => (req${t(": Request")}, env${t(": unknown")}) => s.handle(req, env))); }
  post(path${t(": string")}, ...handlers${t(": any[]")}) { this.${field}.post(path, ...handlers); }
  fetch(request${t(": Request")}, env${t(": unknown")}) { return this.${field}.fetch(request, env); }
}`;
  };
  // `posts` sequential calls in the POST route's handler: the worst route is the one the handler reports.
  const entry = (posts: number): string => `import { Router } from "./router";
class Lookup { async handle() { ${call("geo.example.com")} } }
class Origin { async handle() { ${call("origin.example.com")} return new Response(""); } }
const router = new Router();
router.get("/files/*", new Lookup(), new Origin());
router.post("/orders", async () => { ${call("a.example.com").repeat(posts)} return new Response(""); });
export default { fetch: (request, env) => router.fetch(request, env) };`;
  for (const [ext, field] of [
    ["ts", "#itty"],
    ["ts", "itty"],
    ["js", "#itty"],
    ["js", "itty"],
  ] as const) {
    it(`registrations through the wrapper's methods are the routes of the router in its ${field.startsWith("#") ? "private" : "public"} field (${ext})`, () => {
      const run = (posts: number): WorkerAnalysis =>
        analyse({ [`src/router.${ext}`]: wrapper(field, ext === "ts"), [`src/index.${ext}`]: entry(posts) }, { main: `src/index.${ext}` });
      // Each step's class method, in order: the lookup, then the origin; every route's calls are on a request path.
      const steps = run(1);
      assert.deepEqual(routes(steps), [["GET /files/*", 2]]);
      assert.deepEqual(criticalTargets(steps), ["geo.example.com", "origin.example.com", "a.example.com"]);
      assert.deepEqual(steps.unknowns, []);
      // Handlers passed straight on (`...handlers`).
      const handlers = run(3);
      assert.deepEqual(routes(handlers), [["POST /orders", 3]]);
      assert.deepEqual(handlers.unknowns, []);
    });
  }
  it("a wrapper whose route method registers nothing on a framework router is not taken for one", () => {
    const a = analyse({
      "src/index.ts": `class Client { get(path: string) { return fetch("https://api.example.com" + path); } fetch(request: Request) { return fetch(request); } }
const client = new Client();
export default { async fetch(request: Request) { await client.get("/a"); return client.fetch(request); } };`,
    });
    assert.equal(a.roundTrips, 2);
  });
});
