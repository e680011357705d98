import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one, statusOf } from "./helpers/analyse";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";

/** Shapes of real Workers a second hand-judged evaluation found the analysis missing; each in TS and JS. */

const onPath = (a: WorkerAnalysis): Array<[string | null, boolean]> =>
  a.subrequests.map((s) => [s.target, s.criticalPath] as [string | null, boolean]);

describe("re-exports through a barrel", () => {
  const files = (ext: "ts" | "js"): Record<string, string> => ({
    [`src/index.${ext}`]: `import { handler, accounts } from "./http";
export default { async fetch(request) { const user = await accounts.load("u"); return handler(request, user); } };`,
    [`src/http/index.${ext}`]: `export { default as handler } from "./orders";\nexport * as accounts from "./accounts";`,
    [`src/http/orders.${ext}`]: `export default async function (request, user) { return fetch("https://orders.example.com/" + user); }`,
    [`src/http/accounts.${ext}`]: `export async function load(id) { const r = await fetch("https://accounts.example.net/" + id); return r.text(); }`,
  });
  for (const ext of ["ts", "js"] as const) {
    it(`export { default as handler } from and export * as ns from are followed (${ext})`, () => {
      const a = analyse(files(ext), { main: `src/index.${ext}` });
      assert.deepEqual(onPath(a), [
        ["accounts.example.net", true],
        ["orders.example.com", true],
      ]);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.unknowns, []);
    });
  }

  it("a default export renamed twice, through `export *` and an imported handler object", () => {
    const a = analyse({
      "src/index.ts": `import { worker } from "./barrel";\nexport default worker;`,
      "src/barrel.ts": `export * from "./inner";`,
      "src/inner.ts": `export { default as worker } from "./worker";`,
      "src/worker.ts": `export default { async fetch() { await fetch("https://a.example.com/"); return fetch("https://b.example.com/"); } };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("`export *` does not re-export a default: the name stays unresolved, and says so", () => {
    const a = analyse({
      "src/index.ts": `import { handler } from "./barrel";\nexport default { fetch(r: Request) { return handler(r); } };`,
      "src/barrel.ts": `export * from "./h";`,
      "src/h.ts": `export default async function handler(r: Request) { await fetch("https://a.example.com/"); return fetch("https://b.example.com/"); }`,
    });
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("class fields holding functions", () => {
  const source = `class Store {
  read = async (key) => { const r = await fetch("https://kv.example.com/" + key); return r.ok ? r.text() : null; };
  cached = async (key) => this.read(key);
  static warm = async () => { await fetch("https://kv.example.com/warm"); };
}
export default {
  async fetch(request) {
    await Store.warm();
    const store = new Store();
    if (await store.cached("k")) return new Response("hit");
    return fetch("https://origin.example.org/");
  },
};`;
  for (const ext of ["ts", "js"] as const) {
    it(`an arrow-function field is called like a method, through this and statically (${ext})`, () => {
      const a = analyse({ [`src/index.${ext}`]: source }, { main: `src/index.${ext}` });
      assert.deepEqual(onPath(a), [
        ["kv.example.com", true],
        ["kv.example.com", true],
        ["origin.example.org", true],
      ]);
      assert.equal(a.roundTrips, 3);
    });
  }

  it("an object literal's arrow property is followed too", () => {
    const a = one(`const api = { load: async (id: string) => fetch("https://a.example.com/" + id) };
export default { async fetch() { await api.load("x"); return fetch("https://b.example.com/"); } };`);
    assert.equal(a.roundTrips, 2);
  });
});

describe("event listeners run after the response", () => {
  const source = `import { connect } from "cloudflare:sockets";
export default {
  async fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", async (event) => {
      const socket = connect({ hostname: String(event.data), port: 443 });
      await socket.opened;
      await fetch("https://relay.example.com/log");
    });
    server.onclose = async () => { await fetch("https://relay.example.com/closed"); };
    return new Response(null, { status: 101, webSocket: client });
  },
};`;
  for (const ext of ["ts", "js"] as const) {
    it(`a WebSocket accepted in the fetch handler: its message listener is a path of the route, onclose is off it (${ext})`, () => {
      const a = analyse({ [`src/index.${ext}`]: source }, { main: `src/index.${ext}` });
      assert.deepEqual(
        a.subrequests.map((s) => [s.kind, s.target, s.criticalPath, s.waitUntil]),
        [
          ["socket", null, true, false],
          ["fetch", "relay.example.com", true, false],
          ["fetch", "relay.example.com", false, false],
        ],
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.unknowns, []);
      assert.equal(statusOf(a), "SUCCESS");
    });
  }

  it("server.onmessage = ... on an accepted pair is a path too, after the work before the upgrade", () => {
    const a = one(`export default { async fetch(request: Request) {
  await fetch("https://auth.example.com/");
  const pair = new WebSocketPair();
  const [client, server] = Object.values(pair);
  server.accept();
  server.onmessage = async () => {
    await fetch("https://a.example.com/");
    await fetch("https://b.example.com/");
  };
  return new Response(null, { status: 101, webSocket: client });
} };`);
    assert.deepEqual(onPath(a), [
      ["auth.example.com", true],
      ["a.example.com", true],
      ["b.example.com", true],
    ]);
    assert.equal(a.roundTrips, 3);
  });

  it("a socket the Worker opens itself (new WebSocket(url)), or a pair never accepted here: listeners stay off the path", () => {
    const a = one(`export default { async fetch(request: Request) {
  const upstream = new WebSocket("wss://feed.example.com/");
  upstream.addEventListener("message", async () => { await fetch("https://a.example.com/"); });
  const [client, server] = Object.values(new WebSocketPair());
  server.addEventListener("message", async () => { await fetch("https://b.example.com/"); });
  return new Response(null, { status: 101, webSocket: client });
} };`);
    assert.deepEqual(onPath(a), [
      ["a.example.com", false],
      ["b.example.com", false],
    ]);
    assert.equal(a.roundTrips, 0);
  });

  it("an abort signal's listener too; the work before the response still counts", () => {
    const a = one(`export default { async fetch(request: Request) {
  request.signal.addEventListener("abort", async () => { await fetch("https://audit.example.com/aborted"); });
  await fetch("https://a.example.com/");
  return fetch("https://b.example.com/");
} };`);
    assert.deepEqual(onPath(a), [
      ["audit.example.com", false],
      ["a.example.com", true],
      ["b.example.com", true],
    ]);
    assert.equal(a.roundTrips, 2);
  });
});

describe("a promise only handed to waitUntil", () => {
  const source = (use: string): string => `class Cache {
  write = async (key) => { await fetch("https://cache.example.com/set/" + key); };
}
export default {
  async fetch(request, env, ctx) {
    const response = await fetch("https://api.example.org/");
    const cache = new Cache();
    const pending = cache.write("k");
    ${use}
    return response;
  },
};`;
  for (const ext of ["ts", "js"] as const) {
    it(`const p = work(); ctx.waitUntil(p): the work is off the response path (${ext})`, () => {
      const a = analyse({ [`src/index.${ext}`]: source("ctx.waitUntil(pending);") }, { main: `src/index.${ext}` });
      assert.deepEqual(
        a.subrequests.map((s) => [s.target, s.criticalPath, s.waitUntil]),
        [
          ["cache.example.com", false, true],
          ["api.example.org", true, false],
        ],
      );
      assert.equal(a.roundTrips, 1);
    });
  }

  it("awaited as well: on the response path", () => {
    const a = analyse({ "src/index.ts": source("ctx.waitUntil(pending);\n    await pending;") });
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath]),
      [
        ["cache.example.com", true],
        ["api.example.org", true],
      ],
    );
    assert.equal(a.roundTrips, 2);
  });
});

describe("files that do not parse", () => {
  it("a stray Markdown fence around the entry: UNKNOWN with source-syntax at the fence, never NO_FETCH_HANDLER (js)", () => {
    const text = '```js\nexport default { async fetch() { return fetch("https://a.example.com/"); } };\n```\n';
    const a = analyse({ "src/index.js": text }, { main: "src/index.js" });
    assert.deepEqual(
      a.findings.map((f) => [f.code, f.file, f.span.start, f.span.end]),
      [["source-syntax", "/w/src/index.js", 0, 2]],
    );
    assert.match(a.findings[0]!.message, /^index\.js has a stray Markdown code fence at line 1, column 1 /);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a syntax error in a module on the path: its position in the finding and the reason (ts)", () => {
    const a = analyse({
      "src/index.ts": `import { go } from "./go";\nexport default { fetch(r: Request) { return go(r); } };`,
      "src/go.ts": `export async function go(r: Request) {\n  return fetch("https://a.example.com/";\n}\n`,
    });
    assert.equal(a.findings.length, 1);
    assert.equal(a.findings[0]!.code, "source-syntax");
    assert.equal(a.findings[0]!.file, "/w/src/go.ts");
    assert.equal(
      a.findings[0]!.message,
      "go.ts has a syntax error at line 2, column 40 (')' expected). What the file does cannot be read until it parses.",
    );
    assert.deepEqual(a.unknowns, ["go.ts has a syntax error at line 2, column 40 (')' expected): what the file does cannot be read"]);
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a template literal used as a tag deeper in the code is not taken for a fence", () => {
    const a = one(
      `const t = (s: TemplateStringsArray) => s.join("");\nexport default { async fetch() { t\`x\`; return fetch("https://a.example.com/"); } };`,
    );
    assert.deepEqual(a.findings, []);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });
});

describe("Auth.js framework integrations", () => {
  const auth = (config: string): string => `import NextAuth from "next-auth";
import GitHub from "next-auth/providers/github";
import Credentials from "next-auth/providers/credentials";
import PostgresAdapter from "@auth/pg-adapter";
import { Pool } from "pg";
const pool = new Pool({ connectionString: "postgres://app@auth-db.example.com/app" });
export const { handlers, auth, signIn } = NextAuth(${config});`;
  const entry = `import { auth } from "./auth";
export default { async fetch(request: Request) {
  const session = await auth();
  return fetch("https://api.example.com/" + (session?.user?.email ?? ""));
} };`;

  it("NextAuth with an adapter: database sessions, auth() is one round trip to its database; the callback three to GitHub, then the adapter's user lookup and session insert", () => {
    const a = analyse({ "src/index.ts": entry, "src/auth.ts": auth("{ adapter: PostgresAdapter(pool), providers: [GitHub] }") });
    assert.deepEqual(
      a.subrequests.map((s) => [s.file, s.target, s.criticalPath]),
      [
        ["/w/src/auth.ts", "github.com", true],
        ["/w/src/auth.ts", "auth-db.example.com", true],
        ["/w/src/index.ts", "auth-db.example.com", true],
        ["/w/src/index.ts", "api.example.com", true],
      ],
    );
    // getUserByAccount, then createSession, after the provider's three (a first sign-in's writes are not counted).
    assert.deepEqual(
      a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route ?? null, h.roundTrips]),
      [
        [null, 2],
        ["GET /api/auth/callback/[provider]", 5],
      ],
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("JWT sessions (no adapter, or strategy jwt) read the cookie in the Worker: auth() is no round trip", () => {
    for (const [config, targets, callback] of [
      // GitHub: the token, the user, then the user's e-mail addresses when the profile shows none.
      ["{ providers: [GitHub] }", ["github.com", "api.example.com"], 3],
      // The adapter still keeps users and accounts: the user is looked up by the account (no session row).
      [
        `{ adapter: PostgresAdapter(pool), session: { strategy: "jwt" }, providers: [GitHub] }`,
        ["github.com", "auth-db.example.com", "api.example.com"],
        4,
      ],
    ] as const) {
      const a = analyse({ "src/index.ts": entry, "src/auth.ts": auth(config) });
      assert.deepEqual(
        a.subrequests.map((s) => s.target),
        targets,
        config,
      );
      assert.equal(a.handlers.find((h) => h.route === "GET /api/auth/callback/[provider]")?.roundTrips, callback, config);
      assert.deepEqual(a.unknowns, [], config);
    }
  });

  it("a provider the table does not know: unknown, naming Auth.js, never dropped", () => {
    const a = analyse({ "src/index.ts": entry, "src/auth.ts": auth("{ providers: [Credentials({ authorize: async () => null })] }") });
    const callback = a.subrequests.find((s) => s.file === "/w/src/auth.ts")!;
    assert.deepEqual([callback.target, callback.category, callback.criticalPath], [null, "unknown", true]);
    assert.equal(a.unknowns.length, 1);
    assert.match(
      a.unknowns[0]!,
      /^Auth\.js NextAuth\(\.\.\.\): the OAuth callback route \(\/api\/auth\/callback\/\.\.\.\) .* the provider credentials is not known/,
    );
  });

  it("@hono/auth-js: initAuthConfig's config is read for getAuthUser(c); with a D1 adapter it is two D1 queries (the session, then its user) (js)", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";
import { initAuthConfig, authHandler, getAuthUser } from "@hono/auth-js";
import Discord from "@auth/core/providers/discord";
import { D1Adapter } from "@auth/d1-adapter";
const app = new Hono();
app.use("*", initAuthConfig((c) => ({ adapter: D1Adapter(c.env.DB), providers: [Discord], secret: c.env.AUTH_SECRET })));
app.use("/api/auth/*", authHandler());
app.get("/me", async (c) => { const user = await getAuthUser(c); return c.json(user); });
export default app;`,
      },
      { main: "src/index.js", bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.criticalPath]),
      [
        ["sdk", "discord.com", true],
        ["d1", "DB", true],
        ["d1", "DB", true],
      ],
    );
    // The callback: Discord's two, then the D1 adapter's getUserByAccount and createSession (INSERT, SELECT).
    assert.deepEqual(
      a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route ?? null, h.roundTrips]),
      [
        ["GET /me", 2],
        ["GET /api/auth/callback/[provider]", 5],
      ],
    );
  });

  it("getSession(request, config) of @auth/solid-start with database sessions: one round trip to the adapter's database", () => {
    const solid = one(`import { getSession } from "@auth/solid-start";
import PostgresAdapter from "@auth/pg-adapter";
import { Pool } from "pg";
const options = { adapter: PostgresAdapter(new Pool({ connectionString: "postgres://u@sessions.example.com/a" })), providers: [] };
export default { async fetch(request: Request) { const s = await getSession(request, options); return fetch("https://api.example.com/" + s); } };`);
    assert.deepEqual(
      solid.subrequests.map((s) => [s.target, s.criticalPath]),
      [
        ["sessions.example.com", true],
        ["api.example.com", true],
      ],
    );
    assert.equal(solid.roundTrips, 2);
  });
});
