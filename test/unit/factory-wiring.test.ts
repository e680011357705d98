import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Handlers and library back ends reached through factories: a route table whose entries hold a
 * per-method object, a library factory that takes its options apart in its parameter list, a
 * library client held in a variable before it is handed on. Each in TypeScript and JavaScript.
 */

const D1 = { bindings: { d1: ["DB"] } };

/** A service factory returning an object whose method makes `count` sequential D1 queries. */
const service = (count: number): string =>
  `export function makeService() {\n  return {\n    async run(db) {\n${Array.from(
    { length: count },
    (_, i) => `      await db.prepare("SELECT ${i}").first();\n`,
  ).join("")}      return ${count};\n    },\n  };\n}\n`;

/** A router over a table of `{ path, methods: { GET: makeHandler() } }`, the entry found with `find`, the handler read by `read`. */
const router = (read: string, ext: string): string =>
  `import { makeShortHandler, makeLongHandler } from "./handlers${ext}";
export function makeRouter() {
  const table = [
    { path: "/short", methods: { GET: makeShortHandler() } },
    { path: "/long", methods: { GET: makeLongHandler(), POST: makeShortHandler() } },
  ];
  return {
    async dispatch(request, env) {
      const url = new URL(request.url);
      const entry = table.find((e) => e.path === url.pathname);
      if (!entry) return new Response("", { status: 404 });
      ${read}
    },
  };
}
`;

const handlers = (ext: string): string =>
  `import { makeService as makeShort } from "./short${ext}";
import { makeService as makeLong } from "./long${ext}";
export function makeShortHandler() { const s = makeShort(); return async (request, context) => Response.json(await s.run(context.env.DB)); }
export function makeLongHandler() { const s = makeLong(); return async (request, context) => Response.json(await s.run(context.env.DB)); }
`;

function routeTable(read: string, ext: ".ts" | ".js") {
  const files: Record<string, string> = {
    [`src/index${ext}`]: `import { makeRouter } from "./router${ext}";\nfunction makeEntry() { return { async fetch(request, env) { return makeRouter().dispatch(request, env); } }; }\nconst entry = makeEntry();\nexport default entry;\n`,
    [`src/router${ext}`]: router(read, ext),
    [`src/handlers${ext}`]: handlers(ext),
    [`src/short${ext}`]: service(1),
    [`src/long${ext}`]: service(3),
  };
  return analyse(files, { main: `src/index${ext}`, ...D1 });
}

describe("route tables whose entries hold a per-method object", () => {
  for (const ext of [".ts", ".js"] as const) {
    it(`entry.methods[request.method](...) runs each entry's handlers, the worst counts (${ext})`, () => {
      const a = routeTable(
        `const handler = entry.methods[request.method];\n      if (!handler) return new Response("", { status: 405 });\n      return handler(request, { env, url });`,
        ext,
      );
      assert.equal(a.roundTrips, 3);
      assert.equal(statusOf(a), "SUCCESS");
      assert.deepEqual(a.unknowns, []);
      assert.ok(
        (a.notes ?? []).some((n) => n.includes("the worst is GET /long (3 round trips)")),
        (a.notes ?? []).join("\n"),
      );
    });

    it(`entry.methods[request.method](...) written where it is called (${ext})`, () => {
      const a = routeTable(`return entry.methods[request.method](request, { env, url });`, ext);
      assert.equal(a.roundTrips, 3);
      assert.deepEqual(a.unknowns, []);
    });

    it(`entry.methods.POST(...) runs that member of every entry that has it (${ext})`, () => {
      const a = routeTable(`return entry.methods.POST(request, { env, url });`, ext);
      assert.equal(a.roundTrips, 1);
      assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
      assert.deepEqual(a.unknowns, []);
    });
  }

  it("an entry whose member cannot be read leaves the call unknown", () => {
    const a = analyse(
      {
        "src/index.ts": `import { loadMethods } from "some-plugin-host";
import { makeService } from "./long";
const table = [{ path: "/a", methods: loadMethods() }];
const s = makeService();
export default { async fetch(request: Request, env: { DB: D1Database }) {
  const entry = table.find((e) => e.path === new URL(request.url).pathname);
  if (!entry) return new Response("", { status: 404 });
  const handler = entry.methods[request.method];
  return handler(request, env);
} };
export async function unused(env: { DB: D1Database }) { return s.run(env.DB); }
`,
        "src/long.ts": service(3),
      },
      D1,
    );
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

const AUTH_FACTORY = (params: string, orm: string, ext: string): string =>
  `import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
export const buildAuth = (${params}) =>
  betterAuth({ database: drizzleAdapter(${orm}, { provider: "sqlite" }), emailAndPassword: { enabled: true } });
// ${ext}
`;

describe("a library's back end given to a factory through a destructured parameter", () => {
  for (const ext of [".ts", ".js"] as const) {
    for (const [params, call, orm] of [
      ["{ secret, orm }", `buildAuth({ secret: c.env.SECRET, orm: c.get("orm") })`, "orm"],
      ["{ secret, database: orm }", `buildAuth({ secret: c.env.SECRET, database: c.get("orm") })`, "orm"],
      ["{ db: { orm } }", `buildAuth({ db: { orm: c.get("orm") } })`, "orm"],
    ] as const) {
      it(`(${params}) => betterAuth({ database: drizzleAdapter(${orm}) }) called from Hono middleware (${ext})`, () => {
        const a = analyse(
          {
            [`src/index${ext}`]: `import { Hono } from "hono";
import { drizzle } from "drizzle-orm/d1";
import { buildAuth } from "./auth${ext}";
const app = new Hono();
app.use("*", async (c, next) => {
  c.set("orm", drizzle(c.env.DB));
  c.set("auth", ${call});
  await next();
});
app.on(["GET", "POST"], "/api/auth/*", (c) => c.get("auth").handler(c.req.raw));
export default { fetch: app.fetch };
`,
            [`src/auth${ext}`]: AUTH_FACTORY(params, orm, ext),
          },
          { main: `src/index${ext}`, ...D1 },
        );
        assert.equal(a.roundTrips, 4);
        assert.deepEqual(a.backends, [{ host: "DB", roundTrips: 4 }]);
        assert.deepEqual(a.unknowns, []);
      });
    }
  }

  it("a destructured parameter no call passes a back end for stays unknown", () => {
    const a = analyse(
      {
        "src/index.ts": `import { buildAuth } from "./auth";
import { connectSomewhere } from "mystery-db";
const auth = buildAuth({ orm: connectSomewhere() });
export default { fetch: (request: Request) => auth.handler(request) };
`,
        "src/auth.ts": AUTH_FACTORY("{ orm }: { orm: any }", "orm", ".ts"),
      },
      D1,
    );
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.category, s.note]),
      [
        [
          "sdk",
          "unknown",
          "better-auth handler(): 4 sequential round trips to its back end, which the analyser cannot find in what it is given",
        ],
      ],
    );
  });
});

describe("a library client held in a variable before it is handed to the library", () => {
  for (const ext of [".ts", ".js"] as const) {
    it(`const dialect = new D1Dialect({ database: env.DB }); betterAuth({ database: { dialect } }) (${ext})`, () => {
      const a = analyse(
        {
          [`src/index${ext}`]: `import { betterAuth } from "better-auth";
import { D1Dialect } from "@atinux/kysely-d1";
export default {
  async fetch(request, env) {
    const dialect = new D1Dialect({ database: env.DB });
    const auth = betterAuth({ database: { dialect, type: "sqlite" } });
    return auth.handler(request);
  },
};
`,
        },
        { main: `src/index${ext}`, ...D1 },
      );
      assert.equal(a.roundTrips, 4);
      assert.deepEqual(a.backends, [{ host: "DB", roundTrips: 4 }]);
    });
  }
});
