import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

/** Frameworks whose handler is generated or indirect: tRPC, TanStack Start, RedwoodSDK. Exact counts, TS and JS. */

const routes = (a: WorkerAnalysis): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
const call = (host: string): string => `await fetch("https://${host}/x");`;

describe("tRPC", () => {
  const TRPC = `import { initTRPC } from "@trpc/server";\nexport const t = initTRPC.create();\n`;

  it("fetchRequestHandler: createContext, then the procedure's middleware, then its resolver (the worst procedure)", () => {
    const a = analyse({
      "src/index.ts": `import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./router";
export default { fetch(req: Request) { return fetchRequestHandler({ endpoint: "/trpc", req, router: appRouter, createContext: async () => { ${call("session.example.com")} return {}; } }); } };`,
      "src/router.ts": `${TRPC}
const authed = t.procedure.use(async ({ next }) => { ${call("auth.example.com")} return next(); });
export const appRouter = t.router({
  ping: t.procedure.query(() => "pong"),
  orders: t.router({ create: authed.input((x: unknown) => x).mutation(async () => { ${call("db.example.com")} ${call("db.example.com")} return 1; }) }),
});`,
    });
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("JavaScript: @hono/trpc-server's trpcServer makes each procedure a route under the pattern, queries GET and mutations POST", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";
import { trpcServer } from "@hono/trpc-server";
import { initTRPC } from "@trpc/server";
const t = initTRPC.create();
const router = t.mergeRouters(
  t.router({ health: t.procedure.query(() => "ok") }),
  t.router({ users: { byId: t.procedure.query(async () => { ${call("users.example.com")} }), rename: t.procedure.mutation(async () => { ${call("users.example.com")} ${call("users.example.com")} }) } }),
);
const app = new Hono();
app.use("*", async (c, next) => { ${call("flags.example.com")} await next(); });
app.use("/api/trpc/*", trpcServer({ router }));
export default app;`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(routes(a), [
      ["GET /api/trpc/health", 1],
      ["GET /api/trpc/users.byId", 2],
      ["POST /api/trpc/users.rename", 3],
    ]);
    assert.equal(a.roundTrips, 3);
  });

  it("ctx values: a client createContext returns, and one a middleware adds with next({ ctx }), are the procedures' clients", () => {
    const a = analyse({
      "src/index.ts": `import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { initTRPC } from "@trpc/server";
import { neon } from "@neondatabase/serverless";
import { Redis } from "@upstash/redis/cloudflare";
type Env = { DATABASE_URL: string };
const createContextFactory = (env: Env) => () => ({ sql: neon(env.DATABASE_URL) });
const t = initTRPC.context<{ sql: ReturnType<typeof neon> }>().create();
const cached = t.procedure.use(({ ctx, next }) => next({ ctx: { ...ctx, redis: Redis.fromEnv({ UPSTASH_REDIS_REST_URL: "https://eu1-cache.upstash.io", UPSTASH_REDIS_REST_TOKEN: "t" }) } }));
const appRouter = t.router({
  stats: cached.query(async ({ ctx }) => { const hit = await ctx.redis.get("stats"); if (hit) return hit; return ctx.sql\`select count(*) from orders\`; }),
});
export default { fetch(req: Request, env: Env) { return fetchRequestHandler({ endpoint: "/trpc", req, router: appRouter, createContext: createContextFactory(env) }); } };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target]),
      [
        ["sdk", "upstash"],
        ["sdk", "neon"],
      ],
    );
  });

  it("a handler a project factory makes and the fetch handler calls at once: createRequestHandler(env)(request)", () => {
    const a = analyse({
      "src/handler.ts": `import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
${TRPC}const appRouter = t.router({ public: { cards: { random: t.procedure.query(async ({ ctx }) => { ${call("cards.example.com")} ${call("cards.example.com")} return ctx; }) } } });
export const createRequestHandler = (env: { KEY: string }) => (request: Request) =>
  fetchRequestHandler({ endpoint: "/trpc", req: request, router: appRouter, createContext: () => ({ key: env.KEY }) });`,
      "src/index.ts": `import { createRequestHandler } from "./handler";
export default { fetch: async (request: Request, env: { KEY: string }) => createRequestHandler(env)(request) };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("Hono middleware that serves a path no route serves (`app.use('/trpc/*', (c) => fetchRequestHandler(...))`) is a path", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
${TRPC}const appRouter = t.router({ me: t.procedure.query(async () => { ${call("users.example.com")} ${call("users.example.com")} }) });
const app = new Hono();
app.get("/health", (c) => c.text("ok"));
app.use("/trpc/*", (c) => fetchRequestHandler({ endpoint: "/trpc", req: c.req.raw, router: appRouter }));
export default app;`,
    });
    assert.deepEqual(routes(a), [
      ["GET /health", 0],
      ["ALL /trpc/*", 2],
    ]);
  });

  it("a router the analyser cannot read is UNKNOWN naming tRPC, never a count of zero", () => {
    const a = analyse({
      "src/index.ts": `import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@acme/api";
export default { fetch(req: Request) { return fetchRequestHandler({ endpoint: "/trpc", req, router: appRouter }); } };`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, ["tRPC: the router appRouter could not be resolved: its procedures are the request paths"]);
  });
});

describe("TanStack Start", () => {
  const PACKAGE = JSON.stringify({ dependencies: { "@tanstack/react-start": "1.0.0", "@tanstack/react-router": "1.0.0" } });

  it("main = the server entry package: loaders after the beforeLoad of the routes above them, server routes, server functions", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/routes/__root.tsx": `import { createRootRoute } from "@tanstack/react-router";
export const Route = createRootRoute({ beforeLoad: async () => { ${call("auth.example.com")} }, loader: async () => { ${call("nav.example.com")} } });`,
        "src/routes/_authed.tsx": `import { createFileRoute } from "@tanstack/react-router";
export const Route = createFileRoute("/_authed")({ beforeLoad: async () => { ${call("auth.example.com")} } });`,
        "src/routes/_authed/dashboard.$team.tsx": `import { createFileRoute } from "@tanstack/react-router";
import { loadTeam } from "../../server/teams";
export const Route = createFileRoute("/_authed/dashboard/$team")({ loader: ({ params }) => loadTeam({ data: params.team }) });`,
        "src/routes/api/ping.ts": `import { createFileRoute } from "@tanstack/react-router";
export const Route = createFileRoute("/api/ping")({ server: { handlers: { GET: async () => { ${call("db.example.com")} return new Response("ok"); } } } });`,
        "src/server/teams.ts": `import { createServerFn } from "@tanstack/react-start";
export const loadTeam = createServerFn({ method: "GET" }).validator((t: string) => t).handler(async ({ data }) => { ${call("db.example.com")} ${call("db.example.com")} return data; });`,
      },
      { main: "@tanstack/react-start/server-entry" },
    );
    assert.deepEqual(routes(a), [
      ["GET /*", 2],
      ["GET /dashboard/:team", 4],
      ["GET /api/ping", 1],
      ["GET server function loadTeam (src/server/teams.ts)", 2],
    ]);
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.unknowns, []);
  });

  it("JavaScript: a server entry of the project's own, createServerEntry({ fetch }) around createStartHandler; createAPIFileRoute", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/server.js": `import { createStartHandler, defaultStreamHandler } from "@tanstack/react-start/server";
import { createServerEntry } from "@tanstack/react-start/server-entry";
const fetch = createStartHandler({ createRouter: () => null })(defaultStreamHandler);
export default createServerEntry({ fetch });`,
        "src/routes/api/users.js": `import { createAPIFileRoute } from "@tanstack/react-start/api";
export const APIRoute = createAPIFileRoute("/api/users")({ POST: async ({ request }) => { ${call("users.example.com")} ${call("mail.example.com")} return new Response(); } });`,
      },
      { main: "src/server.js" },
    );
    assert.deepEqual(routes(a), [["POST /api/users", 2]]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a loader's queryClient.ensureQueryData(options) runs the query's queryFn (TanStack Query)", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/queries.ts": `import { queryOptions } from "@tanstack/react-query";
import { fetchPosts } from "./posts";
export const postsQuery = () => queryOptions({ queryKey: ["posts"], queryFn: () => fetchPosts() });`,
        "src/posts.ts": `import { createServerFn } from "@tanstack/react-start";
export const fetchPosts = createServerFn().handler(async () => { ${call("cms.example.com")} ${call("cms.example.com")} return []; });`,
        "src/routes/posts.tsx": `import { createFileRoute } from "@tanstack/react-router";
import { postsQuery } from "../queries";
export const Route = createFileRoute("/posts")({ loader: ({ context }) => context.queryClient.ensureQueryData(postsQuery()) });`,
      },
      { main: "@tanstack/react-start/server-entry" },
    );
    assert.deepEqual(routes(a), [
      ["GET /posts", 2],
      ["GET server function fetchPosts (src/posts.ts)", 2],
    ]);
  });

  it("a custom fetch that hands the request to the default server entry's handler", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/server.ts": `import handler from "@tanstack/react-start/server-entry";
export default { async fetch(request: Request) { ${call("geo.example.com")} return handler.fetch(request); } };`,
        "src/routes/index.tsx": `import { createFileRoute } from "@tanstack/react-router";
export const Route = createFileRoute("/")({ loader: async () => { ${call("db.example.com")} } });`,
      },
      { main: "src/server.ts" },
    );
    assert.equal(a.roundTrips, 2);
  });

  it("global request middleware of src/start.ts runs before server routes and server functions, not loaders", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/start.ts": `import { createMiddleware, createStart } from "@tanstack/react-start";
const audit = createMiddleware().server(async ({ next }) => { ${call("audit.example.com")} return next(); });
export const startInstance = createStart(() => ({ requestMiddleware: [audit] }));`,
        "src/routes/__root.tsx": `import { createRootRouteWithContext } from "@tanstack/react-router";
export const Route = createRootRouteWithContext<{}>()({ loader: async () => { ${call("nav.example.com")} } });`,
        "src/routes/api/items.ts": `import { createServerFileRoute } from "@tanstack/react-start/server";
export const ServerRoute = createServerFileRoute("/api/items").methods({ GET: async () => { ${call("db.example.com")} return new Response(); } });`,
      },
      { main: ".output/server/index.mjs" },
    );
    assert.deepEqual(routes(a), [
      ["GET /*", 1],
      ["GET /api/items", 2],
    ]);
  });

  it("a page without a loader runs the beforeLoad of the routes above it", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/routes/__root.tsx": `import { createRootRoute } from "@tanstack/react-router";\nexport const Route = createRootRoute({ beforeLoad: async () => { ${call("auth.example.com")} } });`,
        "src/routes/about.tsx": `import { createFileRoute } from "@tanstack/react-router";\nexport const Route = createFileRoute("/about")({ component: () => <p>about</p> });`,
      },
      { main: "@tanstack/react-start/server-entry" },
    );
    assert.deepEqual(routes(a), [["GET /about", 1]]);
  });

  it("pages without loaders still serve requests: a fetch path with no round trips, never no fetch handler", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/routes/index.tsx": `import { createFileRoute } from "@tanstack/react-router";\nexport const Route = createFileRoute("/")({ component: () => <p>hi</p> });`,
      },
      { main: "@tanstack/react-start/server-entry" },
    );
    assert.deepEqual(routes(a), [["GET /*", 0]]);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("route options kept in a constant are read; options that cannot be read are UNKNOWN naming TanStack Start", () => {
    const files = {
      "package.json": PACKAGE,
      "src/routes/a.tsx": `import { createFileRoute } from "@tanstack/react-router";\nconst options = { loader: async () => { ${call("db.example.com")} } };\nexport const Route = createFileRoute("/a")(options);`,
    };
    const a = analyse(files, { main: "@tanstack/react-start/server-entry" });
    assert.deepEqual(routes(a), [["GET /a", 1]]);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    const b = analyse(
      {
        ...files,
        "src/routes/b.tsx": `import { createFileRoute } from "@tanstack/react-router";\nimport { makeOptions } from "@acme/routes";\nexport const Route = createFileRoute("/b")(makeOptions());`,
      },
      { main: "@tanstack/react-start/server-entry" },
    );
    assert.equal(statusOf(b), "UNKNOWN");
    assert.deepEqual(b.unknowns, [
      "TanStack Start: the options of route /b (makeOptions()) could not be read: its loader and server handlers are unknown",
    ]);
  });

  it("server route handlers the analyser cannot read are UNKNOWN naming TanStack Start", () => {
    const a = analyse(
      {
        "package.json": PACKAGE,
        "src/routes/api/data.ts": `import { createFileRoute } from "@tanstack/react-router";
export const Route = createFileRoute("/api/data")({ server: { handlers: ({ createHandlers }) => createHandlers({ GET: async () => new Response() }) } });`,
      },
      { main: "@tanstack/react-start/server-entry" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join("\n"), /^TanStack Start: the ANY handler .* of \/api\/data could not be resolved$/m);
  });

  it("no route modules and nothing built: the config alone decides (a target), else UNKNOWN", () => {
    const a = analyse({ "package.json": PACKAGE }, { main: "@tanstack/react-start/server-entry" });
    assert.equal(a.entryProblem?.kind, "framework-output");
    assert.equal(
      a.entryProblem?.message,
      `main "@tanstack/react-start/server-entry" is TanStack Start's own server entry, and none of the app's route modules were found (src/routes): no prediction can be made from its code.`,
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.equal(statusOf(a, [], true), "TARGETED");
  });
});

describe("RedwoodSDK", () => {
  it("defineApp: middleware before the routes after it, interrupters, prefix, { get, post }, async server components, server actions", () => {
    const a = analyse(
      {
        "src/worker.tsx": `import { defineApp } from "rwsdk/worker";
import { route, render, prefix } from "rwsdk/router";
import { api } from "./api";
import { Page } from "./Page";
const Document = ({ children }: { children: unknown }) => <html>{children}</html>;
export default defineApp([
  async ({ ctx }: { ctx: { user?: unknown } }) => { ${call("auth.example.com")} ctx.user = {}; },
  render(Document, [route("/", Page), route("/admin", [({ ctx }: { ctx: { user?: unknown } }) => { if (!ctx.user) return new Response(null, { status: 401 }); }, Page])]),
  prefix("/api", api),
]);`,
        "src/Page.tsx": `import { save } from "./actions";
async function List() { ${call("db.example.com")} return <ul />; }
export async function Page() { ${call("db.example.com")} return <form action={save}><List /></form>; }`,
        "src/actions.ts": `"use server";\nexport async function save() { ${call("db.example.com")} }`,
        "src/api.ts": `import { route } from "rwsdk/router";
const health = route("/health", () => new Response("ok"));
export const api = [health, route("/items", { get: async () => { ${call("db.example.com")} return new Response(); }, post: async () => { ${call("db.example.com")} ${call("db.example.com")} ${call("db.example.com")} return new Response(); } })];`,
      },
      { main: "src/worker.tsx" },
    );
    assert.deepEqual(routes(a), [
      ["GET /", 3],
      ["GET /admin", 3],
      ["ALL /api/health", 1],
      ["GET /api/items", 2],
      ["POST /api/items", 4],
      ["POST server action save (src/actions.ts)", 2],
    ]);
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.unknowns, []);
  });

  it("a page querying a client made in another module (`import { db } from './db'`, env from cloudflare:workers)", () => {
    const a = analyse(
      {
        "src/db.ts": `import { drizzle } from "drizzle-orm/d1";\nimport { env } from "cloudflare:workers";\nexport const db = drizzle(env.DB);`,
        "src/worker.tsx": `import { defineApp } from "rwsdk/worker";
import { route } from "rwsdk/router";
import { db } from "./db";
async function Notes() { const notes = await db.select().from(table); const tags = await db.select().from(other); return <ul>{notes.length + tags.length}</ul>; }
export default defineApp([route("/notes", Notes)]);`,
      },
      { main: "src/worker.tsx", bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(routes(a), [["ALL /notes", 2]]);
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target]),
      [
        ["d1", "DB"],
        ["d1", "DB"],
      ],
    );
  });

  it("JavaScript: routes spread from another module, middleware a project factory makes", () => {
    const a = analyse(
      {
        "src/worker.jsx": `import { defineApp } from "rwsdk/worker";
import { route } from "rwsdk/router";
import { userRoutes } from "./users.js";
function withTiming() { return async () => { ${call("metrics.example.com")} }; }
export default defineApp([withTiming(), route("/", () => new Response("home")), ...userRoutes]);`,
        "src/users.js": `import { route } from "rwsdk/router";\nexport const userRoutes = [route("/users/:id", async ({ params }) => { ${call("users.example.com")} return new Response(params.id); })];`,
      },
      { main: "src/worker.jsx" },
    );
    assert.deepEqual(routes(a), [
      ["ALL /", 1],
      ["ALL /users/:id", 2],
    ]);
  });

  it("project middleware the analyser cannot read makes the routes after it UNKNOWN; a package's middleware runs nothing of ours", () => {
    const a = analyse(
      {
        "src/worker.tsx": `import { defineApp } from "rwsdk/worker";
import { route } from "rwsdk/router";
import { cors } from "some-cors-package";
import { loadSession } from "@/app/session";
export default defineApp([cors(), route("/a", async () => { ${call("db.example.com")} return new Response(); }), loadSession, route("/b", () => new Response())]);`,
      },
      { main: "src/worker.tsx" },
    );
    assert.deepEqual(routes(a), [
      ["ALL /a", 1],
      ["ALL /b", 0],
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, ["RedwoodSDK: the middleware loadSession could not be resolved, and it runs before the routes after it"]);
  });

  it("routes the analyser cannot read are UNKNOWN naming RedwoodSDK", () => {
    const a = analyse(
      {
        "src/worker.tsx": `import { defineApp } from "rwsdk/worker";
import { routes } from "@acme/routes";
export default defineApp(routes);`,
      },
      { main: "src/worker.tsx" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, ["RedwoodSDK: the routes given to defineApp (routes) could not be resolved"]);
  });
});

describe("build output that does not exist, no source: the config decides where the rules allow", () => {
  for (const main of ["dist/index.js", "build/worker.mjs"]) {
    it(`main ${main}: D1 decides under the 2024 rules, a target always, otherwise UNKNOWN`, () => {
      const a = analyse({ "package.json": "{}" }, { main });
      assert.equal(a.entryProblem?.kind, "build-output");
      assert.equal(statusOf(a, ["DB"], false, "2024"), "D1_PINNED");
      assert.equal(statusOf(a, ["DB"]), "UNKNOWN");
      assert.equal(statusOf(a, [], true), "TARGETED");
      assert.equal(statusOf(a), "UNKNOWN");
    });
  }
});
