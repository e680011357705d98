import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, criticalTargets, statusOf } from "./helpers/analyse";

/** Handler shapes of real Workers: class field handlers, wrapper factories, registrars, barrels, project routers. */

const call = (host: string): string => `await fetch("https://${host}/x");`;
const kinds = (a: WorkerAnalysis): string[] => a.handlers.map((h) => h.kind).sort();

describe("a default-exported instance with handler fields", () => {
  it("`fetch = async (request, env) => ...` is the fetch handler", () => {
    const a = analyse({
      "src/index.ts": `class Bot { fetch = async (request: Request, env: unknown) => { ${call("a.example.com")} ${call("b.example.com")} return new Response(""); }; }
export default new Bot();`,
    });
    assert.equal(statusOf(a), "SUCCESS");
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["a.example.com", "b.example.com"]);
  });

  it("JavaScript: `fetch = this.handle.bind(this)` and `queue = this.consume` are the class's methods; a static field is not the instance's", () => {
    const a = analyse(
      {
        "src/index.js": `class Service {
  static scheduled = async () => {};
  fetch = this.handle.bind(this);
  queue = this.consume;
  async handle(request) { ${call("api.example.com")} return new Response(""); }
  async consume(batch) { ${call("queue.example.com")} }
}
export default new Service();`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(kinds(a), ["fetch", "queue"]);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(criticalTargets(a), ["api.example.com"]);
  });
});

describe("a wrapper of an unread package given a function and options", () => {
  it("the function's returned handler is the fetch path; the options' scheduled stays a handler", () => {
    const a = analyse({
      "src/index.ts": `import { makeWorker } from "worker-kit";
const handler = { async fetch() { ${call("a.example.com")} ${call("a.example.com")} return new Response(""); } };
export default makeWorker(() => handler, { scheduled: async () => {} });`,
    });
    assert.deepEqual(kinds(a), ["fetch", "scheduled"]);
    assert.equal(statusOf(a), "SUCCESS");
    assert.equal(a.roundTrips, 2);
  });

  it("a function returning what cannot be read: UNKNOWN naming the wrapper, never NO_FETCH_HANDLER", () => {
    const a = analyse({
      "src/index.ts": `import { makeWorker } from "worker-kit";
import { build } from "other-kit";
export default makeWorker(() => build(), { scheduled: async () => {} });`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.ok(
      a.unknowns.includes('the fetch handler is made by makeWorker(...) from "worker-kit", whose subrequests the analyser cannot see'),
      a.unknowns.join("; "),
    );
  });

  it("a function that makes options (`(env) => ({ dsn })`) next to a handler without fetch does not make one", () => {
    const a = analyse({
      "src/index.ts": `import { withSentry } from "@sentry/cloudflare";
export default withSentry((env: { DSN: string }) => ({ dsn: env.DSN }), { async queue() { ${call("q.example.com")} } });`,
    });
    assert.deepEqual(kinds(a), ["queue"]);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
  });
});

describe("routes registered where the walk could not follow them", () => {
  it("itty: a registrar that returns `router.get(...)`, and an arrow registrar with an expression body", () => {
    const a = analyse({
      "src/routes.ts": `export function users(router: any) { return router.get("/users", async () => { ${call("u.example.com")} ${call("u.example.com")} return new Response(""); }); }
export const health = (router: any) => router.get("/health", async () => { ${call("h.example.com")} return new Response(""); });`,
      "src/index.ts": `import { Router } from "itty-router";
import { users, health } from "./routes";
const router = Router();
users(router);
health(router);
export default { fetch: router.handle };`,
    });
    assert.deepEqual(
      a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]),
      [
        ["GET /users", 2],
        ["GET /health", 1],
      ],
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("Hono: a sub-app through a barrel's `export { default as x }` and an `export *` barrel", () => {
    const a = analyse({
      "src/routes/items.ts": `import { Hono } from "hono";
const items = new Hono();
items.get("/", async (c) => { ${call("i.example.com")} ${call("i.example.com")} return c.text(""); });
export default items;`,
      "src/routes/tags.ts": `import { Hono } from "hono";
export const tags = new Hono().get("/", async (c) => { ${call("t.example.com")} return c.text(""); });`,
      "src/routes/index.ts": `export { default as items } from "./items";\nexport * from "./tags";`,
      "src/index.ts": `import { Hono } from "hono";
import { items, tags } from "./routes";
const app = new Hono();
app.route("/items", items);
app.route("/tags", tags);
export default app;`,
    });
    assert.deepEqual(
      a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]),
      [
        ["GET /items", 2],
        ["GET /tags", 1],
      ],
    );
    assert.deepEqual(a.unknowns, []);
  });

  it("a project router class: `new Routes().add(path, fn).add(...).handle(request, env)`; the registered function is not run by add()", () => {
    const a = analyse({
      "src/index.ts": `class Routes {
  private m = new Map<string, (r: Request, env: any) => Promise<Response>>();
  add(p: string, h: (r: Request, env: any) => Promise<Response>) { this.m.set(p, h); return this; }
  async handle(request: Request, env: any) { const h = this.m.get(new URL(request.url).pathname); return h ? h(request, env) : new Response("", { status: 404 }); }
}
async function two(r: Request) { ${call("a.example.com")} ${call("a.example.com")} return new Response(""); }
async function one(r: Request) { ${call("b.example.com")} return new Response(""); }
export default { fetch: (request: Request, env: any) => new Routes().add("/two", two).add("/one", one).handle(request, env) };`,
    });
    assert.equal(statusOf(a), "SUCCESS");
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("JavaScript: a class whose add(path, handler) is given a flag and whose run(req) is given the request", () => {
    const a = analyse(
      {
        "src/index.js": `class Table {
  constructor() { this.entries = {}; }
  add(path, handler, auth) { this.entries[path] = { handler, auth }; return this; }
  run(req) { const e = this.entries[new URL(req.url).pathname]; return e ? e.handler(req) : new Response(""); }
}
const table = new Table();
table.add("/x", async () => { ${call("x.example.com")} ${call("x.example.com")} ${call("x.example.com")} return new Response(""); }, true);
export default { fetch(req) { return table.run(req); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.unknowns, []);
  });
});

describe("Pinata", () => {
  it("a signed upload URL is one round trip to api.pinata.cloud; convert() makes a gateway URL locally", () => {
    const a = analyse({
      "src/index.ts": `import { PinataSDK } from "pinata";
export default {
  async fetch(request: Request, env: { PINATA_JWT: string }) {
    const pinata = new PinataSDK({ pinataJwt: env.PINATA_JWT, pinataGateway: "acme.mypinata.cloud" });
    const url = await pinata.upload.public.createSignedURL({ expires: 60 });
    const link = await pinata.gateways.public.convert("bafy");
    return Response.json({ url, link });
  },
};`,
    });
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(criticalTargets(a), ["api.pinata.cloud"]);
    assert.deepEqual(a.unknowns, []);
  });
});
