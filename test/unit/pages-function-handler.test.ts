import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** React Router / Remix on Pages, where the Pages Function makes the framework's handler and calls it itself. */

const THREE = `await fetch("https://api.example.com/1"); await fetch("https://api.example.com/2"); await fetch("https://api.example.com/3");`;
const rrPackage = `{ "dependencies": { "@react-router/cloudflare": "^7", "react-router": "^7" }, "devDependencies": { "@react-router/dev": "^7" } }`;
const remixPackage = `{ "dependencies": { "@remix-run/cloudflare": "^2", "@remix-run/cloudflare-pages": "^2" } }`;
const app = {
  "app/root.tsx": `export async function loader() { await fetch("https://api.example.com/session"); return null; }\nexport default function App() { return null; }`,
  "app/routes/reports.$id.tsx": `export async function loader() { ${THREE} return null; }\nexport default function Report() { return null; }`,
};
const pages = { main: null, pages: "build/client" } as const;
const fetchRoutes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

describe("Pages Functions calling createPagesFunctionHandler's handler", () => {
  it("a module-level handler awaited with the context in onRequest (TypeScript, @react-router/cloudflare)", () => {
    const a = analyse(
      {
        ...app,
        "package.json": rrPackage,
        "functions/[[path]].ts": `import { createPagesFunctionHandler } from "@react-router/cloudflare";
// @ts-expect-error built later
import * as build from "../build/server";
const handler = createPagesFunctionHandler({ build });
export async function onRequest(context: EventContext<unknown, string, unknown>): Promise<Response> {
  if (context.request.method === "OPTIONS") return new Response(null);
  const response = await handler(context);
  return new Response(response.body, { status: response.status });
}`,
      },
      pages,
    );
    assert.deepEqual(a.unknowns, []);
    // The longest loader (three calls); root's loader runs beside it, a path of its own.
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 3 }]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a handler made inside onRequest and given the context, getLoadContext's db reaching the action (JavaScript, Remix)", () => {
    const a = analyse(
      {
        "package.json": remixPackage,
        "app/routes/notes.tsx": `const notes = {} as any;
export async function loader({ context }: any) { return context.db.select().from(notes); }
export async function action({ context }: any) { await context.db.select().from(notes); await context.db.insert(notes).values({}); return null; }`,
        "functions/[[path]].js": `import { createPagesFunctionHandler } from "@remix-run/cloudflare-pages";
import { drizzle } from "drizzle-orm/d1";
import * as build from "../build/server";
export const onRequest = async (ctx) => {
  if (ctx.request.headers.get("Authorization") !== "Bearer x") return new Response("no", { status: 401 });
  const handler = createPagesFunctionHandler({ build, getLoadContext: ({ context }) => ({ ...context, db: drizzle(context.cloudflare.env.DB) }) });
  return handler(ctx);
};`,
      },
      { ...pages, bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(a.unknowns, []);
    // The action, then its loader: a form posted without JavaScript renders the page in the same request.
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.backends, [{ host: "DB", roundTrips: 3 }]);
  });

  it("the context spread into an object with a rewritten request", () => {
    const a = analyse(
      {
        ...app,
        "package.json": remixPackage,
        "functions/[[path]].ts": `import { createPagesFunctionHandler } from "@remix-run/cloudflare-pages";
// @ts-expect-error built later
import * as build from "../build/server";
const handler = createPagesFunctionHandler({ build });
export const onRequest: PagesFunction = async (context) => {
  const url = new URL(context.request.url);
  url.pathname = url.pathname.replace(/^\\/app/, "");
  return handler({ ...context, request: new Request(url, context.request) });
};`,
      },
      pages,
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 3);
  });

  it("getLoadContext giving the env itself (Remix 1's Pages template): context.DB is the D1 binding (JavaScript)", () => {
    const a = analyse(
      {
        "package.json": remixPackage,
        "app/routes/index.jsx": `export async function loader({ context }) {
  const a = await context.DB.prepare("select 1").first();
  const b = await context.NOT_BOUND.prepare("select 2").first();
  return [a, b];
}`,
        "functions/[[path]].js": `import { createPagesFunctionHandler } from "@remix-run/cloudflare-pages";
import * as build from "@remix-run/dev/server-build";
const handleRequest = createPagesFunctionHandler({ build, mode: process.env.NODE_ENV, getLoadContext: (context) => context.env });
export function onRequest(context) { return handleRequest(context); }`,
      },
      { ...pages, bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
    // A property that is no binding keeps the name it is written with.
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target]),
      [
        ["d1", "DB"],
        ["d1", "context.NOT_BOUND"],
      ],
    );
  });

  it("a handler given something other than the Pages context stays unknown", () => {
    const a = analyse(
      {
        ...app,
        "package.json": remixPackage,
        "functions/[[path]].ts": `import { createPagesFunctionHandler } from "@remix-run/cloudflare-pages";
// @ts-expect-error built later
import * as build from "../build/server";
const handler = createPagesFunctionHandler({ build });
const warmup = { env: {} } as any;
export async function onRequest(context: any): Promise<Response> {
  await handler(warmup);
  return new Response("ok");
}`,
      },
      pages,
    );
    assert.equal(a.roundTrips, 0);
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0]!, /^handler\(\.\.\.\) was made by createPagesFunctionHandler\(\.\.\.\) from "@remix-run\/cloudflare-pages"/);
  });
});

describe("the React Router / Remix app folder from the framework's config", () => {
  const entry = {
    "workers/app.ts": `import { createRequestHandler } from "react-router";
const handler = createRequestHandler(() => import("virtual:react-router/server-build"), "production");
export default { fetch(request: Request, env: any, ctx: any) { return handler(request, { cloudflare: { env, ctx } }); } };`,
  };
  const moved = {
    "src/app/root.tsx": `export default function App() { return null; }`,
    "src/app/routes/orders.tsx": `export async function loader() { ${THREE} return null; }`,
    "app/routes/old.tsx": `export async function loader() { await fetch("https://old.example.com/x"); return null; }`,
  };

  it("appDirectory in react-router.config.ts", () => {
    const a = analyse(
      {
        ...entry,
        ...moved,
        "package.json": rrPackage,
        "react-router.config.ts": `import type { Config } from "@react-router/dev/config";\nexport default { appDirectory: "src/app", ssr: true } satisfies Config;`,
      },
      { main: "workers/app.ts" },
    );
    assert.deepEqual(fetchRoutes(a), [["GET /orders", 3]]);
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 3 }]);
  });

  it("appDirectory in remix.config.js (module.exports), and a configured folder that does not exist falls back to app/", () => {
    const configured = analyse(
      {
        ...entry,
        ...moved,
        "package.json": remixPackage,
        "remix.config.js": `/** @type {import('@remix-run/dev').AppConfig} */\nmodule.exports = { ignoredRouteFiles: ["**/.*"], appDirectory: "./src/app" };`,
      },
      { main: "workers/app.ts" },
    );
    assert.deepEqual(fetchRoutes(configured), [["GET /orders", 3]]);
    const missing = analyse(
      {
        ...entry,
        ...moved,
        "package.json": remixPackage,
        "remix.config.js": `module.exports = { appDirectory: "web" };`,
      },
      { main: "workers/app.ts" },
    );
    assert.deepEqual(fetchRoutes(missing), [["GET /old", 1]]);
  });
});
