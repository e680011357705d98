import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, fetchHandler, one, statusOf } from "./helpers/analyse";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";

/** Shapes a third hand-judged evaluation found the analysis missing: parameters, options objects, vars, wrapped clients. */

const onPath = (a: WorkerAnalysis): Array<[string | null, boolean]> =>
  a.subrequests.map((s) => [s.target, s.criticalPath] as [string | null, boolean]);

describe("values that reach a call through a parameter or an options object", () => {
  const client = `const client = (token) => ({ async post(text) { await fetch("https://chat.example.com/post", { headers: { a: token }, body: text }); } });`;
  for (const ext of ["ts", "js"] as const) {
    it(`a factory-made client passed as an argument: each call on it counts (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: `${client}
const one = async (c, t) => { await c.post(t); await c.post(t + "!"); };
export default { async fetch(request, env) { await one(client(env.TOKEN), "hi"); return new Response("ok"); } };`,
        },
        { main: `src/index.${ext}` },
      );
      assert.deepEqual(onPath(a), [["chat.example.com", true]]);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.unknowns, []);
    });
  }

  it("a client inside a config object (`cfg.c.post()`) and a function as an option (`cfg.send()`)", () => {
    const a = one(
      `${client}
async function record(line: string) { await fetch("https://logs.example.com/", { body: line }); }
const viaField = async (cfg: { c: ReturnType<typeof client> }) => { await cfg.c.post("a"); };
const viaOption = async (cfg: { send: typeof record }) => { await cfg.send("b"); await cfg.send("c"); };
export default { async fetch(request: Request, env: { T: string }) {
  await viaField({ c: client(env.T) });
  await viaOption({ send: record });
  return new Response("ok");
} };`,
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(
      a.backends.map((b) => [b.host, b.roundTrips]),
      [
        ["logs.example.com", 2],
        ["chat.example.com", 1],
      ],
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("each call of a helper reads its own argument's methods (not the first call's)", () => {
    const a = one(
      `const a = { async go() { await fetch("https://a.example.com/"); } };
const b = { async go() { await fetch("https://b.example.com/"); await fetch("https://b.example.com/2"); } };
const run = async (x: { go(): Promise<void> }) => { await x.go(); };
export default { async fetch() { await run(a); await run(b); return new Response(); } };`,
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.unknowns, []);
  });

  it("`makeHandler({ createApp })` then `opts.createApp(env)`: the app's routes are the paths", () => {
    const a = one(
      `import { Hono } from "hono";
function makeHandler(opts: { createApp: (env: any) => Promise<Hono> }) {
  let app: Hono | null = null;
  return { async fetch(req: Request, env: any) { if (!app) app = await opts.createApp(env); return app.fetch(req); } };
}
export default makeHandler({ createApp: async () => {
  const app = new Hono();
  app.get("/x", async (c) => { await fetch("https://api.example.com/a"); await fetch("https://api.example.com/b"); return c.text(""); });
  return app;
} });`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("`makeHandler(createApp)` then `createApp(env).fetch(req)`: the factory given for the parameter", () => {
    const a = one(
      `import { Hono } from "hono";
function makeHandler(createApp: (env: any) => Hono) { return { fetch(req: Request, env: any) { return createApp(env).fetch(req); } }; }
export default makeHandler((env) => {
  const app = new Hono();
  app.get("/x", async (c) => { await fetch("https://api.example.com/a"); await fetch("https://api.example.com/b"); return c.text(""); });
  return app;
});`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("a database client handed on through `opts.db` to a helper", () => {
    const a = one(
      `import { drizzle } from "drizzle-orm/libsql";
import { createClient } from "@libsql/client/web";
declare const items: any;
async function check(db: any) { return db.select().from(items).limit(1); }
function routes(opts: { db: any }) { return { async fetch() { await check(opts.db); await opts.db.insert(items).values({}); return new Response(); } }; }
export default { async fetch(req: Request, env: any) {
  return routes({ db: drizzle(createClient({ url: env.TURSO_URL })) }).fetch();
} };`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(
      a.backends.map((b) => [b.host, b.roundTrips]),
      [["libsql", 2]],
    );
  });

  it("async functions in an options object given to an unread library, the call awaited: counted once, and unknown", () => {
    const a = one(
      fetchHandler(
        `await runFlow(request, { async onSuccess() { await fetch("https://api.example.com/u"); } });`,
        `import { runFlow } from "some-auth";`,
      ),
    );
    assert.equal(a.roundTrips, 1);
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0]!, /^runFlow\(\.\.\.\) from "some-auth" is given an async function/);
  });
});

describe("[vars] shapes", () => {
  it("an empty var before `||` a literal: the literal is the URL", () => {
    const a = one(fetchHandler(`await fetch(env.TOKEN_URL || "https://keys.example.com/jwks");`), { vars: { TOKEN_URL: "" } });
    assert.deepEqual(onPath(a), [["keys.example.com", true]]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a set var before `||` wins; `??` keeps an empty string", () => {
    const set = one(fetchHandler(`await fetch(env.TOKEN_URL || "https://keys.example.com/jwks");`), {
      vars: { TOKEN_URL: "https://auth.example.org/keys" },
    });
    assert.deepEqual(onPath(set), [["auth.example.org", true]]);
    const nullish = one(fetchHandler(`await fetch((env.BASE ?? "https://x.example.com") + "/a");`), { vars: { BASE: "" } });
    assert.deepEqual(onPath(nullish), [[null, true]]);
  });

  it("a var read through a helper that returns an object", () => {
    const a = one(
      `interface Env { API_URL: string }
function loadEnv(e: Env) { return { apiUrl: e.API_URL }; }
async function getJson(cfg: { url: string }) { return (await fetch(\`\${cfg.url}/search\`)).json(); }
export default { async fetch(request: Request, env: Env) { return Response.json(await getJson({ url: loadEnv(env).apiUrl })); } };`,
      { vars: { API_URL: "https://api.example.com" } },
    );
    assert.deepEqual(onPath(a), [["api.example.com", true]]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a [vars] name read from what a helper given the env returns (a schema's parse): that var", () => {
    const a = one(
      `import { z } from "zod";
const Schema = z.object({ PHOTON_URL: z.string().default("https://p.example.org") });
let cached: any = null;
function loadEnv(raw: unknown) { if (cached) return cached; cached = Schema.parse(raw); return cached; }
export default { async fetch(request: Request, env: any) { return fetch(\`\${loadEnv(env).PHOTON_URL}/api\`); } };`,
      { vars: { PHOTON_URL: "https://photon.example.com" } },
    );
    assert.deepEqual(onPath(a), [["photon.example.com", true]]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a URL template from [vars] with its placeholders replaced keeps its host", () => {
    const a = one(
      fetchHandler(
        `const url = env.TILES.replace("{z}", request.headers.get("z")).replaceAll("{x}", "1");
await fetch(url);`,
      ),
      { vars: { TILES: "https://tiles.example.com/{z}/{x}.mvt" } },
    );
    assert.deepEqual(onPath(a), [["tiles.example.com", true]]);
    const host = one(fetchHandler(`await fetch(env.TILES.replace("{host}", request.headers.get("h")));`), {
      vars: { TILES: "https://{host}/t" },
    });
    assert.deepEqual(onPath(host), [[null, true]]);
  });

  it("`(k && process.env[k]) || process.env.X`: named by the configured variable", () => {
    const a = one(
      fetchHandler(
        `const k = new URL(request.url).searchParams.get("k");
const hook = (k && process.env[k]) || process.env.SLACK_WEBHOOK_URL;
if (hook) await fetch(hook, { method: "POST" });`,
      ),
    );
    assert.deepEqual(onPath(a), [["env.SLACK_WEBHOOK_URL", true]]);
    assert.deepEqual(a.unknowns, []);
  });
});

describe("clients behind wrappers", () => {
  it("Octokit's `.rest` kept in a variable", () => {
    const a = one(
      fetchHandler(
        `const gh = new Octokit({ auth: env.T }).rest;
await gh.repos.get({ owner: "a", repo: "b" });
await gh.repos.listCommits({ owner: "a", repo: "b" });`,
        `import { Octokit } from "@octokit/rest";`,
      ),
    );
    assert.deepEqual(onPath(a), [
      ["api.github.com", true],
      ["api.github.com", true],
    ]);
    assert.equal(a.roundTrips, 2);
  });

  it("an HTTP client's property is not a client (`ky.defaults`)", () => {
    const a = one(fetchHandler(`const d = ky.stop; await d.whatever();`, `import ky from "ky";`));
    assert.deepEqual(a.subrequests, []);
  });

  it("Prisma over D1 behind a lazy Proxy: the client its handler reads", () => {
    const a = one(
      `import { PrismaClient } from "@prisma/client";
import { PrismaD1 } from "@prisma/adapter-d1";
import { env } from "cloudflare:workers";
let client: PrismaClient | undefined;
function getClient(): PrismaClient { if (!client) client = new PrismaClient({ adapter: new PrismaD1((env as any).DB) }); return client; }
export const prisma = new Proxy({} as PrismaClient, { get(_t, p) { const c = getClient(); return Reflect.get(c, p); } });
export default { async fetch() { await prisma.item.create({ data: {} }); await prisma.item.findMany(); return new Response(); } };`,
      { bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(onPath(a), [
      ["DB", true],
      ["DB", true],
    ]);
  });

  for (const ext of ["ts", "js"] as const) {
    it(`the singleton kept on globalThis: \`cache.prisma ?? new PrismaClient()\` (${ext})`, () => {
      const a = analyse(
        {
          [`src/db.${ext}`]: `import { PrismaClient } from "@prisma/client";
const cache = globalThis${ext === "ts" ? " as unknown as { prisma?: PrismaClient }" : ""};
export const prisma = cache.prisma ?? new PrismaClient();
cache.prisma = prisma;`,
          [`src/index.${ext}`]: `import { prisma } from "./db";
export default { async fetch() { const u = await prisma.user.findFirst(); await prisma.visit.create({ data: { u } }); return new Response("ok"); } };`,
        },
        { main: `src/index.${ext}` },
      );
      assert.deepEqual(onPath(a), [
        ["prisma", true],
        ["prisma", true],
      ]);
      assert.equal(a.roundTrips, 2);
    });

    it(`a client assigned to a holder's field on first use, extended by \`$extends\` in a helper given it (${ext})`, () => {
      const a = analyse(
        {
          [`src/db.${ext}`]: `import { PrismaClient } from "@prisma/client";
const extend = (base${ext === "ts" ? ": PrismaClient" : ""}) => base.$extends({ query: {} });
const holder = {};
function client() { if (!holder.db) holder.db = extend(new PrismaClient()); return holder.db; }
export const db = new Proxy({}, { get(_t, p) { return Reflect.get(client(), p); } });`,
          [`src/index.${ext}`]: `import { db } from "./db";
export default { async fetch() { await db.note.create({ data: {} }); return new Response("ok"); } };`,
        },
        { main: `src/index.${ext}` },
      );
      assert.deepEqual(onPath(a), [["prisma", true]]);
      assert.equal(a.roundTrips, 1);
    });
  }

  it("a Proxy cast to a known client whose handler cannot be read: that library's client", () => {
    const a = one(
      `import { PrismaClient } from "@prisma/client";
declare const make: () => any;
export const prisma = new Proxy({} as PrismaClient, make());
export default { async fetch() { await prisma.item.findMany(); return new Response(); } };`,
    );
    assert.equal(a.subrequests.length, 1);
    assert.equal(a.subrequests[0]!.kind, "sdk");
    assert.equal(a.subrequests[0]!.criticalPath, true);
  });
});

describe("calls on unknown SDK clients in code no handler reaches", () => {
  it("make the Worker UNKNOWN with a reason, never NO_VALID_HOSTS", () => {
    const a = one(
      `import { createServer } from "@acme/graph";
import { Agent } from "@acme/feed";
const server = createServer({ resolvers: { sync: async () => { const agent = new Agent({}); await agent.login({}); await agent.timeline({}); } } });
export default { fetch(request: Request) { return server.serve(request); } };`,
    );
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.category, s.criticalPath]),
      [
        ["other", "unknown", false],
        ["other", "unknown", false],
      ],
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.ok(
      a.unknowns.some((u) =>
        u.startsWith(
          "no round trip to a back end was seen on the fetch path, yet 2 calls on clients of libraries the analyser does not know are in code no handler was seen to reach (index.ts:3, index.ts:3)",
        ),
      ),
      a.unknowns.join("\n"),
    );
  });

  it("an awaited method of an ordinary value in unreached code is not one", () => {
    const a = one(
      `const store = { async load() { return 1; } };
async function unused() { await store.load(); }
export default { async fetch() { return new Response(); } };`,
    );
    assert.deepEqual(a.subrequests, []);
    assert.deepEqual(a.unknowns, []);
  });
});

describe("clients destructured from a parameter; a function picked by an immediately-invoked function", () => {
  const files = (ext: "ts" | "js"): Record<string, string> => ({
    [`src/index.${ext}`]: `import { Octokit } from "@octokit/rest";
const chat = (token) => ({ async say(text) { await fetch("https://chat.example.com/say", { headers: { a: token }, body: text }); } });
let cfg;
const help = async ({ talk }) => { await talk.say("usage"); };
const status = async ({ talk, gh }) => { await gh.repos.get({ owner: "a", repo: "b" }); await talk.say("ok"); };
async function run(config, name) {
  const command = (() => { switch (name) { case "status": return status; default: return help; } })();
  await command(config);
}
export default { async fetch(request, env) {
  if (!cfg) cfg = { talk: chat(env.CHAT), gh: new Octokit({ auth: env.GH }).rest };
  await run(cfg, await request.text());
  return new Response("ok");
} };`,
  });
  for (const ext of ["ts", "js"] as const) {
    it(`the worst command counts, its destructured clients resolved (${ext})`, () => {
      const a = analyse(files(ext), { main: `src/index.${ext}` });
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.backends.map((b) => [b.host, b.roundTrips]),
        [
          ["api.github.com", 1],
          ["chat.example.com", 1],
        ],
      );
      assert.deepEqual(a.unknowns, []);
      assert.deepEqual(a.notes, [
        `command(...) (index.${ext}:8) runs one of the 2 functions an immediately-invoked function picks, each a path: the worst is status (2 round trips)`,
      ]);
    });
  }
});
