import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { run } from "../../server/src/cli/main";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { ModuleResolver, workspaceRootsAbove } from "../../server/src/core/worker/resolve";
import { NodeFileSystem } from "../../server/src/host/nodeFileSystem";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

/** Elysia plugins and groups, itty-router's trailing options, Express behind httpServerHandler, subpath imports, dead code, workspace roots. */

const routes = (a: WorkerAnalysis): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
const call = (host: string): string => `await fetch("https://${host}/x");`;
/** Elysia on Workers (its Cloudflare adapter) may be the default export itself: each route is a handler path. */
const ENTRY = `import { app } from "./app";\nexport default app;\n`;

describe("Elysia", () => {
  it("use(instance) mounts an instance's routes under its prefix and the app's own; the app's local hooks run first", () => {
    const a = analyse({
      "src/index.ts": ENTRY,
      "src/app.ts": `import { Elysia } from "elysia";
import { users } from "./users";
export const app = new Elysia({ prefix: "/api" }).derive(async () => { ${call("auth.example.com")} return {}; }).use(users).get("/ping", () => "pong");`,
      "src/users.ts": `import { Elysia } from "elysia";
export const users = new Elysia({ prefix: "/users" }).get("/:id", async () => { ${call("db.example.com")} ${call("db.example.com")} return "x"; });`,
    });
    assert.deepEqual(routes(a), [
      ["GET /api/users/:id", 3],
      ["GET /api/ping", 1],
    ]);
  });

  it("a hook scoped with { as: 'scoped' } reaches the app that mounts its instance; a local one does not", () => {
    const plugin = (as: string): Record<string, string> => ({
      "src/index.ts": ENTRY,
      "src/app.ts": `import { Elysia } from "elysia";
const guard = new Elysia().onBeforeHandle(${as}async () => { ${call("auth.example.com")} });
export const app = new Elysia().use(guard).get("/me", async () => { ${call("db.example.com")} return "x"; });`,
    });
    assert.deepEqual(routes(analyse(plugin(`{ as: "scoped" }, `))), [["GET /me", 2]]);
    assert.deepEqual(routes(analyse(plugin(""))), [["GET /me", 1]]);
  });

  it("group(prefix, fn), guard(hooks, fn), a plugin function, and route hook objects", () => {
    const a = analyse({
      "src/index.ts": ENTRY,
      "src/app.ts": `import { Elysia, t } from "elysia";
const admin = (app: Elysia) => app.get("/stats", async () => { ${call("stats.example.com")} return "s"; });
export const app = new Elysia()
  .use(admin)
  .group("/v1", (v1) => v1.post("/orders", async () => { ${call("orders.example.com")} return "o"; }, { body: t.Object({}), beforeHandle: [async () => { ${call("stock.example.com")} }] }))
  .guard({ beforeHandle: async () => { ${call("auth.example.com")} } }, (g) => g.get("/private", async () => { ${call("db.example.com")} return "p"; }))
  .get("/static", "hello");`,
    });
    assert.deepEqual(routes(a), [
      ["GET /stats", 1],
      ["POST /v1/orders", 2],
      ["GET /private", 2],
      ["GET /static", 0],
    ]);
    assert.deepEqual(a.unknowns, []);
  });
});

describe("Elysia plugins loaded or awaited", () => {
  it("use(import('./lazy')) gives the app to the module's default export; use(await pkgPlugin()) is a package's", () => {
    const a = analyse({
      "src/index.ts": `import { Elysia } from "elysia";\nimport { staticPlugin } from "@elysiajs/static";\nexport default new Elysia().use(await staticPlugin({ prefix: "/" })).use(import("./lazy")).use(import("./reports"));`,
      "src/lazy.ts": `import type { Elysia } from "elysia";\nexport default function lazy(app: Elysia) { return app.get("/lazy", async () => { ${call("db.example.com")} return "l"; }); }`,
      "src/reports.ts": `import { Elysia } from "elysia";\nconst reports = new Elysia({ prefix: "/reports" }).get("/", async () => { ${call("db.example.com")} ${call("db.example.com")} return "r"; });\nexport default reports;`,
    });
    assert.deepEqual(routes(a), [
      ["GET /lazy", 1],
      ["GET /reports", 2],
    ]);
    assert.deepEqual(a.unknowns, []);
  });
});

describe("what use(...) is given that cannot be read", () => {
  it("an Elysia plugin from an alias that resolves nowhere is unknown, never nothing", () => {
    const a = analyse({
      "src/index.ts": `import { Elysia } from "elysia";\nimport { cors } from "@elysiajs/cors";\nimport { things } from "#gone/things";\nexport default new Elysia({ prefix: "/v1" }).use(cors()).use(things);`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, ["what use(...) is given at /v1 (things) could not be resolved"]);
  });

  it("Express routers from CommonJS modules (`module.exports = router`, `require(...)` held or inline); a require of a file that is missing is unknown at its mount point", () => {
    const files = {
      "src/index.ts": `import { httpServerHandler } from "cloudflare:node";\nimport express from "express";\nconst users = require("./users");\nconst app = express();\napp.use(express.json());\napp.use("/users", users);\napp.use("/orders", require("./orders"));\napp.listen(3000);\nexport default httpServerHandler({ port: 3000 });`,
      "src/users.js": `const router = require("express").Router();\nrouter.get("/", async (req, res) => { await fetch("https://db.example.com/u"); res.send(""); });\nmodule.exports = router;`,
      "src/orders.js": `const { Router } = require("express");\nconst orders = Router();\norders.get("/:id", async (req, res) => { await fetch("https://db.example.com/o"); await fetch("https://db.example.com/i"); res.send(""); });\nmodule.exports = orders;`,
    };
    const a = analyse(files);
    assert.deepEqual(routes(a), [
      ["GET /users", 1],
      ["GET /orders/:id", 2],
    ]);
    assert.equal(statusOf(a), "SUCCESS");
    const missing = analyse({ ...files, "src/index.ts": files["src/index.ts"].replace('require("./orders")', 'require("./billing")') });
    assert.deepEqual(routes(missing), [
      ["GET /users", 1],
      ["ALL /orders/*", 0],
    ]);
    assert.equal(statusOf(missing), "UNKNOWN");
  });
});

describe("itty-router and other routers' trailing arguments", () => {
  it("a plain object after the handlers is data, not a handler that could not be resolved", () => {
    const a = analyse({
      "src/index.ts": `import { Router, text } from "itty-router";
const router = Router({ base: "/api" });
router.get("/items", async () => { ${call("db.example.com")} return text("ok"); });
router.all("*", () => text("Not Found"), { status: 404 });
export default { fetch: router.fetch };`,
    });
    assert.deepEqual(routes(a), [
      ["GET /api/items", 1],
      ["ALL /api/*", 0],
    ]);
    assert.deepEqual(a.unknowns, []);
  });
});

describe("Express behind httpServerHandler (cloudflare:node)", () => {
  const app = `import express from "express";
const app = express();
const api = express.Router();
api.get("/orders/:id", async (req, res) => { ${call("db.example.com")} ${call("db.example.com")} res.json({}); });
app.use("/api", api);
`;
  for (const [shape, tail] of [
    ["{ port } with app.listen(port)", `app.listen(3000);\nexport default httpServerHandler({ port: 3000 });`],
    ["app.listen(port) given directly", `export default httpServerHandler(app.listen(3000));`],
    [
      "createServer(app) in a variable",
      `import { createServer } from "node:http";\nconst server = createServer(app);\nserver.listen(3000);\nexport default { fetch: httpServerHandler(server).fetch };`,
    ],
    ["the app itself", `export default httpServerHandler(app);`],
  ] as const)
    it(`serves the app's routes: ${shape}`, () => {
      const a = analyse({ "src/index.ts": `import { httpServerHandler } from "cloudflare:node";\n${app}${tail}` });
      assert.deepEqual(routes(a), [["GET /api/orders/:id", 2]]);
      assert.equal(statusOf(a), "SUCCESS");
    });

  it("a handler made on first use: the app from a project factory, app.listen(port), httpServerHandler({ port })", () => {
    const a = analyse({
      "src/index.ts": `import { httpServerHandler } from "cloudflare:node";
import { createApp } from "./app";
let handler: ExportedHandler | undefined;
function initialize(env: unknown): ExportedHandler {
  if (handler) return handler;
  const app = createApp(env);
  app.listen(3000);
  handler = httpServerHandler({ port: 3000 });
  return handler;
}
export default { fetch: (request: Request, env: unknown, ctx: ExecutionContext) => initialize(env).fetch!(request, env, ctx) };`,
      "src/app.ts": `import express from "express";
export function createApp(env: unknown) {
  const app = express();
  app.post("/jobs", async (_req, res) => { ${call("queue.example.com")} ${call("queue.example.com")} res.sendStatus(202); });
  return app;
}`,
    });
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
    assert.deepEqual(a.unknowns, []);
  });

  it("Apollo Server behind expressMiddleware(server): each resolver a path at the mount point", () => {
    const a = analyse({
      "src/index.ts": `import { httpServerHandler } from "cloudflare:node";
import express from "express";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@apollo/server/express4";
const resolvers = { Query: { a: async () => { ${call("a.example.com")} }, b: async () => { ${call("b.example.com")} ${call("b.example.com")} } } };
const server = new ApolloServer({ typeDefs: "", resolvers });
await server.start();
const app = express();
app.use("/gql", express.json(), expressMiddleware(server));
app.listen(4000);
export default httpServerHandler({ port: 4000 });`,
    });
    assert.deepEqual(routes(a), [
      ["POST /gql Query.a", 1],
      ["POST /gql Query.b", 2],
    ]);
    // `server.start()` is Apollo's own work in the Worker, not a round trip to an unknown client.
    assert.deepEqual(
      a.subrequests.map((s) => s.target),
      ["a.example.com", "b.example.com", "b.example.com"],
    );
  });
});

describe("package.json subpath imports", () => {
  const files = {
    "package.json": JSON.stringify({
      name: "w",
      imports: { "#lib/*": "./src/lib/*.ts", "#config": { workerd: "./src/config.edge.ts", default: "./src/config.node.ts" } },
    }),
    "src/lib/api.ts": "export const x = 1;",
    "src/config.edge.ts": "export const c = 1;",
    "src/config.node.ts": "export const c = 2;",
  };
  const resolver = new ModuleResolver(new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [`/w/${p}`, t]))));

  it("a pattern, and conditions in the order a Worker's bundler takes them", () => {
    assert.equal(resolver.resolve("#lib/api", "/w/src/index.ts"), "/w/src/lib/api.ts");
    assert.equal(resolver.resolve("#config", "/w/src/index.ts"), "/w/src/config.edge.ts");
    assert.equal(resolver.resolve("#nothing", "/w/src/index.ts"), undefined);
  });

  it("a call into code that cannot be found, where no handler reaches, keeps nothing-on-the-path UNKNOWN", () => {
    const a = analyse({
      "src/index.ts": `import { later } from "./later";\nregister(later);\nexport default { async fetch() { return new Response("ok"); } };\ndeclare function register(x: unknown): void;`,
      "src/later.ts": `import { twoCalls } from "#gone/api";\nexport async function later() { await twoCalls(); }`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, [
      'no round trip to a back end was seen on the fetch path, yet code no handler was seen to reach calls modules the analyser could not find in the project (later.ts:2 "#gone/api")',
    ]);
  });
});

describe("virtual modules of frameworks", () => {
  it("an awaited goto() of SvelteKit's $app/navigation where no handler reaches is no hidden code of the project's", () => {
    const a = analyse({
      "src/index.ts": `import { later } from "./later";\nregister(later);\nexport default { async fetch() { return new Response("ok"); } };\ndeclare function register(x: unknown): void;`,
      "src/later.ts": `import { goto } from "$app/navigation";\nexport async function later() { await goto("/done"); }`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
});

describe("back-end calls no handler reaches", () => {
  const fetchOnly = `export default { async fetch() { return new Response("ok"); } };`;

  it("in an export nothing imports: no hedge (NO_VALID_HOSTS)", () => {
    const a = analyse({
      "src/index.ts": `import { used } from "./lib";\n${fetchOnly.replace('"ok"', "used()")}`,
      "src/lib.ts": `export function used() { return "ok"; }\nexport async function unused() { ${call("api.example.com")} }`,
    });
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(a.unknowns, []);
  });

  it("in an export of a package behind `export *` barrels that no module imports: not counted, no hedge (NO_VALID_HOSTS)", () => {
    const a = analyse({
      "src/index.ts": `import { used } from "./db";\n${fetchOnly.replace('"ok"', "used()")}`,
      "src/db/index.ts": `export * from "./queries";\nexport * from "./schema";`,
      "src/db/queries.ts": `export function used() { return "ok"; }\nexport async function stats() { ${call("api.example.com")} }`,
      "src/db/schema/index.ts": `export * from "./rows";`,
      "src/db/schema/rows.ts": `export async function removeRow() { ${call("api.example.com")} }`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(
      (a.notes ?? []).filter((n) => n.startsWith("not counted")),
      [
        "not counted: 2 calls to back ends where no request of the Worker runs them (queries.ts:2: nothing a request runs refers to it; rows.ts:1: nothing a request runs refers to it)",
      ],
    );
  });

  it("behind an `export *` barrel, an export an unfollowed function receives stays UNKNOWN", () => {
    const a = analyse({
      "src/index.ts": `import { stats } from "./db";\nregister(stats);\n${fetchOnly}\ndeclare function register(f: unknown): void;`,
      "src/db/index.ts": `export * from "./queries";`,
      "src/db/queries.ts": `export async function stats() { ${call("api.example.com")} }`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    const entry = analyse({
      "src/index.ts": `export * from "./queries";\n${fetchOnly}`,
      "src/queries.ts": `export async function stats() { ${call("api.example.com")} }`,
    });
    assert.equal(statusOf(entry), "UNKNOWN");
  });

  it("in a function referenced where the walk did not follow (passed to an unknown function, re-exported from the entry): UNKNOWN", () => {
    const passed = analyse({
      "src/index.ts": `import { refresh } from "./lib";\nschedule(refresh);\n${fetchOnly}\ndeclare function schedule(f: unknown): void;`,
      "src/lib.ts": `export async function refresh() { ${call("api.example.com")} }`,
    });
    assert.equal(statusOf(passed), "UNKNOWN");
    const reexported = analyse({
      "src/index.ts": `export { refresh } from "./lib";\nimport "./lib";\n${fetchOnly}`,
      "src/lib.ts": `export async function refresh() { ${call("api.example.com")} }`,
    });
    assert.equal(statusOf(reexported), "UNKNOWN");
    const throughBarrel = analyse({
      "src/index.ts": `import { refresh } from "./barrel";\nschedule(refresh);\n${fetchOnly}\ndeclare function schedule(f: unknown): void;`,
      "src/barrel.ts": `export * from "./lib";`,
      "src/lib.ts": `export async function refresh() { ${call("api.example.com")} }`,
    });
    assert.equal(statusOf(throughBarrel), "UNKNOWN");
  });
});

describe("the CLI run inside a workspace package", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-ws-"));
    mkdirSync(path.join(dir, "packages/worker/src"), { recursive: true });
    mkdirSync(path.join(dir, "packages/core/src"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }));
    writeFileSync(path.join(dir, "packages/core/package.json"), JSON.stringify({ name: "@demo/core", main: "src/index.ts" }));
    writeFileSync(
      path.join(dir, "packages/core/src/index.ts"),
      `export async function twoCalls() { ${call("api.example.com")} ${call("api.example.com")} }\n`,
    );
    writeFileSync(
      path.join(dir, "packages/worker/package.json"),
      JSON.stringify({ name: "@demo/worker", dependencies: { "@demo/core": "*" } }),
    );
    writeFileSync(path.join(dir, "packages/worker/wrangler.toml"), 'name = "w"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\n');
    writeFileSync(
      path.join(dir, "packages/worker/src/index.ts"),
      `import { twoCalls } from "@demo/core";\nexport default { async fetch() { await twoCalls(); return new Response("ok"); } };\n`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the workspace root above, so a sibling package is the Worker's code", () => {
    let out = "";
    const code = run(
      ["check", "wrangler.toml", "--format", "json"],
      path.join(dir, "packages/worker"),
      (s) => (out += s),
      () => {},
    );
    assert.equal(code, 0);
    const worker = JSON.parse(out).workers[0];
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
    assert.deepEqual(
      worker.subrequests.map((s: { file: string; line: number }) => `${s.file}:${s.line}`),
      ["../core/src/index.ts:1", "../core/src/index.ts:1"],
    );
  });

  it("only a workspace that lists the folder's package", () => {
    const real = path.join(dir, "packages/worker");
    const disk = new NodeFileSystem();
    assert.deepEqual(workspaceRootsAbove(disk, [real]), [dir]);
    mkdirSync(path.join(dir, "tools"), { recursive: true });
    assert.deepEqual(workspaceRootsAbove(disk, [path.join(dir, "tools")]), []);
  });
});
