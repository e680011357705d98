import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

// These tests are about what stays unknown: they predict with nothing assumed (see assume.test.ts for the default).
const strictAnalyse = (files: Record<string, string>, options: Parameters<typeof analyse>[1] = {}) =>
  analyse(files, { ...options, assume: "strict" });

/** Frameworks and project shapes found on the eighth evaluation set, each with exact values. */

const TWO_CALLS = `await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2");`;
const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

describe("GraphQL Yoga: each resolver is a request path", () => {
  it("createSchema's resolver map through yoga.handleRequest: functions, methods and { resolve } objects", () => {
    const a = analyse({
      "src/index.ts": `import { createYoga, createSchema } from "graphql-yoga";
const schema = createSchema({ typeDefs: "", resolvers: {
  Query: { one: async () => { await fetch("https://db.example.com/q"); return 1; }, async none() { return 0; } },
  Mutation: { two: { resolve: async () => { ${TWO_CALLS} return 2; } } },
} });
const yoga = createYoga({ schema });
export default { fetch(request: Request, env: unknown, ctx: ExecutionContext) { return yoga.handleRequest(request, { env, ctx }); } };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
    assert.deepEqual(a.unknowns, []);
  });

  it("export default yoga, makeExecutableSchema with merged resolver maps (an array, a spread) and a custom endpoint (JavaScript)", () => {
    const a = analyse(
      {
        "src/index.js": `import { createYoga } from "graphql-yoga";\nimport { makeExecutableSchema } from "@graphql-tools/schema";\nimport { mergeResolvers } from "@graphql-tools/merge";
const users = { Query: { user: async () => (await fetch("https://db.example.com/u")).json() } };
const orders = { Mutation: { order: async () => { ${TWO_CALLS} } } };
export default createYoga({ graphqlEndpoint: "/gql", schema: makeExecutableSchema({ typeDefs: "", resolvers: mergeResolvers([users, { ...orders }]) }) });`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(routes(a), [
      ["POST /gql Query.user", 1],
      ["POST /gql Mutation.order", 2],
    ]);
    assert.equal(a.roundTrips, 2);
  });

  it("Pothos: resolve functions of fields registered on the builder, named by their field", () => {
    const a = analyse({
      "src/index.ts": `import { createYoga } from "graphql-yoga";\nimport { schema } from "./schema";\nconst yoga = createYoga({ schema });\nexport default { fetch: (r: Request) => yoga.fetch(r) };`,
      "src/schema.ts": `import SchemaBuilder from "@pothos/core";\nexport const builder = new SchemaBuilder({});\nimport "./fields";\nexport const schema = builder.toSchema();`,
      "src/fields.ts": `import { builder } from "./schema";
builder.mutationFields((t) => ({ save: t.boolean({ resolve: async () => { ${TWO_CALLS} return true; } }) }));
builder.objectField("User", "avatar", (t) => t.string({ resolve: async () => (await fetch("https://cdn.example.com/a")).text() }));`,
    });
    // One fetch handler that hands the request to yoga: its path is the worst resolver's, and says so.
    assert.deepEqual(routes(a), [["POST /graphql Mutation.save", 2]]);
    assert.equal(a.roundTrips, 2);
  });

  it("a resolver using a library the analyser does not know is unknown, naming the library", () => {
    const a = strictAnalyse({
      "src/index.ts": `import { createYoga, createSchema } from "graphql-yoga";\nimport { SocialAgent } from "@example/social-agent";
const schema = createSchema({ typeDefs: "", resolvers: { Mutation: { sync: async () => {
  const agent = new SocialAgent({ service: "https://social.example.com" }); await agent.login({}); await agent.getTimeline({}); return 1; } } } });
const yoga = createYoga({ schema });
export default { fetch(request: Request) { return yoga.handleRequest(request, {}); } };`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, [
      'SocialAgent from "@example/social-agent" is a client of a library the analyser does not know: its awaited calls may be round trips (index.ts:4)',
    ]);
  });

  it("a client of an unknown library made for a URL and handed on (an Effect program, a context) is unknown, naming it; kept in a variable and never awaited, it is not", () => {
    const a = analyse({
      "src/index.ts": `import { createYoga, createSchema } from "graphql-yoga";\nimport { Agent } from "@example/agent";\nimport { run } from "./jobs";
const schema = createSchema({ typeDefs: "", resolvers: { Mutation: { crawl: (_: unknown, __: unknown, ctx: any) => run({ agent: new Agent({ service: "https://agent.example.com" }) }) } } });
const yoga = createYoga({ schema });
export default { fetch(request: Request) { return yoga.handleRequest(request, {}); } };`,
      "src/jobs.ts": `export function run(options: { agent: unknown }) { return options; }`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, [
      'Agent from "@example/agent" is a client of a library the analyser does not know, made for https://agent.example.com and handed on: its round trips cannot be seen (index.ts:4)',
    ]);
    const kept = analyse({
      "src/index.ts": `import { Agent } from "@example/agent";\nexport default { async fetch() { const agent = new Agent({ service: "https://agent.example.com" }); return new Response(String(agent)); } };`,
    });
    assert.deepEqual(kept.unknowns, []);
  });

  it("a schema the analyser cannot read is unknown, never zero", () => {
    const a = analyse({
      "src/index.ts": `import { createYoga } from "graphql-yoga";\nimport { buildSchema } from "some-schema-kit";\nconst yoga = createYoga({ schema: buildSchema() });\nexport default yoga;`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, ["GraphQL Yoga: the schema buildSchema() could not be resolved: its resolvers are the request paths"]);
  });
});

describe("the route of the counted path", () => {
  it("a fetch handler that hands the request to a Hono app names the app's worst route (JavaScript)", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";
const app = new Hono().basePath("/api");
app.get("/one", async (c) => { await fetch("https://db.example.com/1"); return c.text(""); });
app.post("/two", async (c) => { ${TWO_CALLS} return c.text(""); });
export default { async fetch(request, env, ctx) { const url = new URL(request.url); if (url.pathname.startsWith("/api/")) return app.fetch(request, env, ctx); return new Response("", { status: 404 }); } };`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(routes(a), [["POST /api/two", 2]]);
  });

  it("round trips of the handler itself before the hand-off keep the route of the app's path", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";
const app = new Hono();
app.get("/x", async (c) => { await fetch("https://db.example.com/x"); return c.text(""); });
export default { async fetch(request: Request, env: unknown, ctx: ExecutionContext) { await fetch("https://auth.example.com/check"); return app.fetch(request, env, ctx); } };`,
    });
    assert.deepEqual(routes(a), [["GET /x", 2]]);
  });

  it("a handler with no hand-off has no route", () => {
    const a = analyse({ "src/index.ts": `export default { async fetch() { ${TWO_CALLS} return new Response(); } };` });
    assert.deepEqual(routes(a), [[undefined, 2]]);
  });
});

describe("React Router / Remix: what the server entry passes as the load context", () => {
  const route = `export async function action({ context }: any) { await context.db.select().from(t); await context.db.insert(t).values({}); return null; }`;
  const routeFiles = {
    "package.json": `{ "dependencies": { "react-router": "^7", "drizzle-orm": "^0.40" }, "devDependencies": { "@react-router/dev": "^7" } }`,
    "app/routes/_index.tsx": `const t = {} as any;\n${route}`,
  };
  it("handler(request, { db: drizzle(env.DB) }) in the Worker entry", () => {
    const a = analyse(
      {
        ...routeFiles,
        "workers/app.ts": `import { createRequestHandler } from "react-router";\nimport { drizzle } from "drizzle-orm/d1";\nconst handler = createRequestHandler(() => import("virtual:react-router/server-build"));\nexport default { fetch(request: Request, env: any, ctx: any) { return handler(request, { cloudflare: { env, ctx }, db: drizzle(env.DB) }); } };`,
      },
      { main: "workers/app.ts", bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(routes(a), [["POST /", 2]]);
    assert.deepEqual(a.backends, [{ host: "DB", roundTrips: 2 }]);
  });

  it("createPagesFunctionHandler({ build, getLoadContext }) in a Pages function (JavaScript)", () => {
    const a = analyse(
      {
        ...routeFiles,
        "functions/[[path]].js": `import { createPagesFunctionHandler } from "@remix-run/cloudflare-pages";\nimport { drizzle } from "drizzle-orm/d1";\nimport * as build from "../build/server";\nexport const onRequest = createPagesFunctionHandler({ build, getLoadContext: ({ context }) => ({ db: drizzle(context.cloudflare.env.DB) }) });`,
      },
      { main: null, pages: "build/client", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.backends, [{ host: "DB", roundTrips: 2 }]);
  });

  it("without a load context that names it, context.db is not taken for a client", () => {
    const a = analyse(
      {
        ...routeFiles,
        "workers/app.ts": `import { createRequestHandler } from "react-router";\nconst handler = createRequestHandler(() => import("virtual:react-router/server-build"));\nexport default { fetch(request: Request, env: any, ctx: any) { return handler(request, { cloudflare: { env, ctx } }); } };`,
      },
      { main: "workers/app.ts", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 0);
  });
});

describe("project shapes", () => {
  it("a function called where it is written is walked: respondWith of an async IIFE, an IIFE returned by fetch (TypeScript)", () => {
    const listener = analyse({
      "src/index.ts": `addEventListener("fetch", (event: any) => { event.respondWith((async () => { ${TWO_CALLS} return new Response(); })()); });`,
    });
    assert.equal(listener.roundTrips, 2);
    assert.deepEqual(listener.unknowns, []);
    const returned = analyse({
      "src/index.ts": `export default { fetch() { return (async function () { ${TWO_CALLS} return new Response(); })(); } };`,
    });
    assert.equal(returned.roundTrips, 2);
  });

  it("an IIFE whose promise is kept for later (a memoised initialisation) is not on each request's path", () => {
    const a = analyse({
      "src/index.ts": `let ready: Promise<void> | null = null;
function init() { if (!ready) ready = (async () => { ${TWO_CALLS} })().catch(() => {}); return ready; }
export default { async fetch() { await init(); await fetch("https://api.example.com/x"); return new Response(); } };`,
    });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 1 }]);
  });

  it("main .cloudflare/worker.js with SvelteKit in the dependencies: the SvelteKit routes (JavaScript)", () => {
    const a = analyse(
      {
        "package.json": `{ "devDependencies": { "@sveltejs/kit": "^1" } }`,
        "src/routes/+page.server.js": `export async function load() { ${TWO_CALLS} return {}; }`,
      },
      { main: "./.cloudflare/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 2]]);
    assert.equal(a.entryProblem, null);
  });

  it("main .cloudflare/worker.js without a framework, not built: build output, said so", () => {
    const a = analyse({ "package.json": `{ "devDependencies": {} }` }, { main: "./.cloudflare/worker.js" });
    assert.equal(a.entryProblem?.kind, "framework-output");
  });
});

describe("tRPC routers built from function results", () => {
  const head = `import { initTRPC } from "@trpc/server";\nimport { fetchRequestHandler } from "@trpc/server/adapters/fetch";\nconst t = initTRPC.create();`;
  const serve = (router: string): string =>
    `export default { fetch: (req: Request) => fetchRequestHandler({ endpoint: "/trpc", req, router: ${router}, createContext: () => ({}) }) };`;

  it("a spread the analyser cannot read is unknown, naming it", () => {
    const a = analyse({
      "src/index.ts": `${head}\nimport { routes } from "some-routes";\nconst appRouter = t.router({ ...routes() });\n${serve("appRouter")}`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, ["tRPC: the procedures spread in by ...routes() could not be resolved"]);
  });

  it("a computed key from a constant, and a procedure returned by a factory", () => {
    const a = analyse({
      "src/index.ts": `${head}\nconst NAME = "save";\nfunction make() { return t.procedure.mutation(async () => { ${TWO_CALLS} }); }\nconst appRouter = t.router({ [NAME]: make() });\n${serve("appRouter")}`,
    });
    assert.deepEqual(routes(a), [["POST /trpc/save", 2]]);
  });

  it("a client kept in a class field, reached through the tRPC context: the class is a default export by name, its getter declares PrismaClient", () => {
    const a = analyse({
      "src/index.ts": `${head}\nimport { createContext } from "./context";\nconst appRouter = t.router({ add: t.procedure.mutation(async ({ ctx }) => { const db = ctx.store.client(); await db.item.create({ data: {} }); await db.item.count(); }) });\nexport default { fetch: (req: Request, env: any) => fetchRequestHandler({ endpoint: "/trpc", req, router: appRouter, createContext: () => createContext(env) }) };`,
      "src/context.ts": `import { PrismaClient } from "@prisma/client/edge";\nimport Store from "./store";\nexport function createContext(env: any) { const store = new Store(new PrismaClient({ datasourceUrl: env.URL })); return { store }; }`,
      "src/store.ts": `import { PrismaClient } from "@prisma/client/edge";\nclass Store { private db: PrismaClient; constructor(db: PrismaClient) { this.db = db; } client(): PrismaClient { return this.db; } }\nexport default Store;`,
    });
    assert.deepEqual(routes(a), [["POST /trpc/add", 2]]);
    assert.deepEqual(a.backends, [{ host: "accelerate.prisma-data.net", roundTrips: 2 }]);
  });
});

describe("Nuxt / Nitro", () => {
  const nuxt3 = { "package.json": `{ "dependencies": { "nuxt": "^3.16.0" } }`, "nuxt.config.ts": `export default defineNuxtConfig({});` };
  const main = { main: "./.output/server/index.mjs" };

  it("~/ and @/ are the source folder (the root in Nuxt 3), ~~/ the root", () => {
    const a = analyse(
      {
        ...nuxt3,
        "server/api/a.get.ts": `import { one } from "~/server/lib/one";\nimport { two } from "@/server/lib/two";\nexport default defineEventHandler(async () => { await one(); await two(); return {}; });`,
        "server/api/b.get.ts": `import { one } from "~~/server/lib/one";\nexport default defineEventHandler(async () => { await one(); return {}; });`,
        "server/lib/one.ts": `export async function one() { await fetch("https://db.example.com/1"); }`,
        "server/lib/two.ts": `export async function two() { await fetch("https://db.example.com/2"); }`,
      },
      main,
    );
    assert.deepEqual(routes(a), [
      ["GET /api/a", 2],
      ["GET /api/b", 1],
    ]);
  });

  it("a literal srcDir and alias of nuxt.config; an alias that resolves nowhere is not guessed", () => {
    const a = analyse(
      {
        "package.json": `{ "dependencies": { "nuxt": "^3.16.0" } }`,
        "nuxt.config.ts": `export default defineNuxtConfig({ srcDir: "client/", alias: { "#db": "./server/database" } });`,
        "client/utils/hosts.ts": `export const API = "https://api.example.com";`,
        "server/database/index.ts": `import { API } from "~/utils/hosts";\nexport async function load() { ${TWO_CALLS} return fetch(API); }`,
        "server/api/x.get.ts": `import { load } from "#db";\nimport { missing } from "~/nowhere";\nexport default defineEventHandler(async () => { await load(); return missing; });`,
      },
      main,
    );
    assert.deepEqual(routes(a), [["GET /api/x", 3]]);
    assert.deepEqual(a.backends, [
      { host: "db.example.com", roundTrips: 2 },
      { host: "api.example.com", roundTrips: 1 },
    ]);
  });

  it("$fetch.create({ baseURL }) in a server util: each call on it is a round trip to the base URL's host; a local $fetch is not Nitro's", () => {
    const a = analyse(
      {
        ...nuxt3,
        "server/utils/api.ts": `export const api = $fetch.create({ baseURL: "https://api.example.com" });`,
        "server/api/x.post.ts": `export default defineEventHandler(async () => { await api("/a"); await api.raw("/b"); return {}; });`,
      },
      main,
    );
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 2 }]);
    const local = analyse({
      "src/index.ts": `const $fetch = { create: (o: object) => async (p: string) => p };\nconst api = $fetch.create({ baseURL: "https://api.example.com" });\nexport default { async fetch() { await api("/a"); return new Response(); } };`,
    });
    assert.equal(local.roundTrips, 0);
  });

  it("NuxtHub: db imported from hub:db and the auto-imported db are Drizzle over D1; without @nuxthub/core a free db is nothing known", () => {
    const files = {
      "server/api/x.post.ts": `import { db } from "hub:db";\nexport default defineEventHandler(async () => { await db.select().from(t); await db.insert(t).values({}); return {}; });`,
      "server/api/y.post.ts": `export default defineEventHandler(async () => { await db.select().from(t); return {}; });`,
    };
    const hub = analyse(
      {
        "package.json": `{ "dependencies": { "nuxt": "^4.0.0", "@nuxthub/core": "^0.10.0" } }`,
        "nuxt.config.ts": "export default {};",
        ...files,
      },
      { ...main, bindings: { d1: ["DB", "OTHER"] } },
    );
    assert.deepEqual(routes(hub), [
      ["POST /api/x", 2],
      ["POST /api/y", 1],
    ]);
    assert.deepEqual(hub.backends, [{ host: "DB", roundTrips: 2 }]);
    const plain = analyse({ ...nuxt3, ...files }, { ...main, bindings: { d1: ["DB"] } });
    assert.deepEqual(routes(plain), [
      ["POST /api/x", 2],
      ["POST /api/y", 0],
    ]);
  });
});
