import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { predict } from "../../server/src/core/predict/predict";
import { analyse, one, statusOf } from "./helpers/analyse";

const TWO = `await fetch("https://a.example.com/1"); await fetch("https://b.example.net/2");`;
const ONE = `await fetch("https://a.example.com/1");`;

const reasons = (a: ReturnType<typeof one>): string =>
  predict(a, { targeted: false, d1Bindings: [], platformRules: "current" }).reasons.join(" | ");

describe("route tables walked in a loop", () => {
  it("for...of over { method, pattern, handler } literals: the worst entry counts, once (TS and JS)", () => {
    for (const [main, types] of [
      ["src/index.ts", ": Request"],
      ["src/index.js", ""],
    ] as const) {
      const a = analyse(
        {
          [main]: `async function small(r${types}) { ${ONE} return new Response(); }
async function big(r${types}) { ${TWO} return new Response(); }
const routes = [{ method: "GET", pattern: /^\\/s$/, handler: small }, { method: "POST", pattern: "/b", handler: big }];
export default { async fetch(request${types}) { for (const route of routes) { if (route.method === request.method) return await route.handler(request); } return new Response("", { status: 404 }); } };`,
        },
        { main },
      );
      assert.equal(a.roundTrips, 2, main);
      assert.equal(statusOf(a), "SUCCESS");
      assert.match(
        reasons(a),
        /route\.handler\(\.\.\.\) \(index\.[jt]s:4\) runs one of 2 entries of a route table, each a path: the worst is POST \/b \(2 round trips\)/,
      );
    }
  });

  it("routes.find(...) then .handler, a Map of path to handler, and destructured for...of entries", () => {
    const shapes = [
      `const routes = [{ path: "/a", handler: small }, { path: "/b", handler: big }];
export default { async fetch(r: Request) { const hit = routes.find((x) => x.path === new URL(r.url).pathname); return hit ? hit.handler(r) : new Response(); } };`,
      `const routes = new Map([["/a", small]]); routes.set("/b", big);
export default { async fetch(r: Request) { const h = routes.get(new URL(r.url).pathname); if (h) return h(r); return new Response(); } };`,
      `const routes = [{ path: "/a", run: small }, { path: "/b", run: big }];
export default { async fetch(r: Request) { for (const { path, run } of routes) if (path === new URL(r.url).pathname) return run(r); return new Response(); } };`,
      `const routes = { "/a": small, "/b": big };
export default { async fetch(r: Request) { for (const [path, run] of Object.entries(routes)) if (path === new URL(r.url).pathname) return run(r); return new Response(); } };`,
    ];
    for (const shape of shapes) {
      const a = one(
        `async function small(r: Request) { ${ONE} return new Response(); }\nasync function big(r: Request) { ${TWO} return new Response(); }\n${shape}`,
      );
      assert.equal(a.roundTrips, 2, shape);
    }
  });

  it("a table filled by a registration function: each call is a route, labelled by its literal arguments", () => {
    const a = one(`const table: Array<{ method: string; path: string; fn: (r: Request) => Promise<Response> }> = [];
function on(method: string, path: string, fn: (r: Request) => Promise<Response>) { table.push({ method, path, fn }); }
on("get", "/one", async () => { ${ONE} return new Response(); });
on("put", "/two", async () => { ${TWO} return new Response(); });
export default { async fetch(r: Request) { for (const t of table) if (t.path === new URL(r.url).pathname) return t.fn(r); return new Response(); } };`);
    assert.equal(a.roundTrips, 2);
    assert.match(reasons(a), /the worst is PUT \/two \(2 round trips\)/);
  });

  it("a table whose entry cannot be read stays unresolved (no guess)", () => {
    const a = one(`import { external } from "some-router-lib";
const routes = [{ path: "/a", handler: external }];
export default { async fetch(r: Request) { for (const x of routes) return await x.handler(r); return new Response(); } };`);
    assert.equal(a.roundTrips, 0);
    assert.ok(!reasons(a).includes("route table"));
  });
});

describe("class-based routers and interface calls", () => {
  const base = `export interface Route { handle(r: Request): Promise<Response> }
export abstract class Base implements Route { async handle(r: Request) { return this.work(r); } protected abstract work(r: Request): Promise<Response>; }`;

  it("a router's routes pushed by a registration function, called through the interface: the worst subclass's override counts", () => {
    const a = analyse({
      "src/base.ts": base,
      "src/index.ts": `import { Base, type Route } from "./base";
class Small extends Base { protected async work() { ${ONE} return new Response(); } }
class Big extends Base { protected async work() { ${TWO} return new Response(); } }
class Router { routes: Route[] = []; async handle(r: Request) { for (const x of this.routes) return x.handle(r); return new Response(); } }
function register(router: Router) { router.routes.push(new Small()); router.routes.push(new Big()); }
export default { async fetch(r: Request) { const router = new Router(); register(router); return router.handle(r); } };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
    assert.match(
      reasons(a),
      /this\.work\(\.\.\.\) \(base\.ts:2\) runs a method the analyser cannot tie to one class: each of the 2 project classes that implement it \(Small, Big\) is a path: the worst is Big \(2 round trips\)/,
    );
  });

  it("a value typed as a project interface whose elements cannot be read: the implementations the code makes stand in", () => {
    const a = analyse({
      "src/base.ts": base,
      "src/index.ts": `import { Base, type Route } from "./base";
import { pick } from "./pick";
class Small extends Base { protected async work() { ${ONE} return new Response(); } }
class Big extends Base { protected async work() { ${TWO} return new Response(); } }
class Unused extends Base { protected async work() { ${TWO} ${TWO} return new Response(); } }
export const made = [new Small(), new Big()];
export default { async fetch(r: Request) { const route: Route = pick(r); return route.handle(r); } };`,
      "src/pick.ts": `export function pick(r: Request): any { return globalThis[r.url as never]; }`,
    });
    // Unused is never made: its four round trips do not count.
    assert.equal(a.roundTrips, 2);
  });

  it("default-exported anonymous route classes, a route kept in a let typed `Route | undefined`, a middle class's template method", () => {
    const a = analyse({
      "src/route.ts": `export interface Route { accepts(r: Request): boolean; handle(r: Request): Promise<Response> }`,
      "src/base.ts": `import type { Route } from "./route";
export default abstract class implements Route { static make(kind: any) { return new kind(); } accepts() { return true; } abstract handle(r: Request): Promise<Response>; }`,
      "src/form.ts": `import Base from "./base";
export default abstract class extends Base { async handle(r: Request) { const body = await r.formData(); return this.onForm(body); } protected abstract onForm(f: FormData): Promise<Response>; }`,
      "src/signup.ts": `import Form from "./form";
export default class extends Form { protected async onForm() { ${TWO} return new Response(); } }`,
      "src/ping.ts": `import Base from "./base";
export default class extends Base { async handle() { ${ONE} return new Response(); } }`,
      "src/index.ts": `import type { Route } from "./route";
import Base from "./base";
import signup from "./signup";
import ping from "./ping";
class Router { routes: Array<Route> = [];
  add(route: Route) { this.routes.push(route); }
  async handle(r: Request) { let route: Route | undefined; for (const x of this.routes) { if (x.accepts(r)) { route = x; break; } } if (route != undefined) return await route.handle(r); return new Response("", { status: 404 }); } }
export default { async fetch(r: Request) { const router = new Router(); [Base.make(signup), Base.make(ping)].forEach((x) => router.add(x)); return router.handle(r); } };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.match(reasons(a), /the worst is the default class of (signup|form)\.ts \(2 round trips\)/);
  });

  it("JavaScript: a router's routes made with new and pushed by a registration function", () => {
    const a = analyse(
      {
        "src/index.js": `class Small { async handle() { ${ONE} return new Response(); } }
class Big { async handle() { ${TWO} return new Response(); } }
class Router { constructor() { this.routes = []; } async handle(r) { for (const route of this.routes) return route.handle(r); return new Response(); } }
function setup(router) { router.routes.push(new Small(), new Big()); }
export default { fetch(r) { const router = new Router(); setup(router); return router.handle(r); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.match(
      reasons(a),
      /route\.handle\(\.\.\.\) \(index\.js:3\) runs one of 2 entries of a route table, each a path: the worst is Big \(2 round trips\)/,
    );
  });

  it("more implementations than the bound: unknown with a reason", () => {
    const classes = Array.from(
      { length: 18 },
      (_, i) => `class C${i} implements Route { async handle() { ${ONE} return new Response(); } }`,
    ).join("\n");
    const a = one(`interface Route { handle(r: Request): Promise<Response> }
${classes}
export default { async fetch(r: Request) { const route: Route = (globalThis as any).route; return route.handle(r); } };`);
    assert.equal(statusOf(a), "UNKNOWN");
    assert.ok(
      a.unknowns.some((u) => u.includes("route.handle(...) may run any of 18 implementations of Route.handle: too many to follow")),
      a.unknowns.join("; "),
    );
  });
});

describe("framework entries", () => {
  it("vinext: handler.fetch from vinext/server/app-router-entry runs the app router's route handlers", () => {
    const a = analyse(
      {
        "worker/index.ts": `import handler from "vinext/server/app-router-entry";\nexport default { fetch(r: Request, env: unknown, ctx: ExecutionContext) { return handler.fetch(r, env, ctx); } };`,
        "app/api/x/route.ts": `export async function POST() { ${TWO} return Response.json({}); }`,
        "package.json": `{ "dependencies": { "vinext": "1.0.0" } }`,
      },
      { main: "worker/index.ts" },
    );
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("vinext with no app/ routes: unknown, not nothing", () => {
    const a = analyse(
      {
        "worker/index.ts": `import handler from "vinext/server/app-router-entry";\nexport default { fetch(r: Request, e: unknown, c: ExecutionContext) { return handler.fetch(r, e, c); } };`,
      },
      { main: "worker/index.ts" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("Nitro auto-imports: a server/utils export used without an import in server/api, also as a const arrow (JS)", () => {
    for (const util of [
      `export async function callApi() { return await $fetch("https://api.example.com/x"); }`,
      `export const callApi = async () => { return await $fetch("https://api.example.com/x"); };`,
    ]) {
      const a = analyse(
        {
          "package.json": `{ "dependencies": { "nuxt": "^3.0.0" } }`,
          "server/utils/api.js": util,
          "server/api/s.get.js": `export default defineEventHandler(async (event) => { const q = getQuery(event); return await callApi(q); });`,
        },
        { main: ".output/server/index.mjs" },
      );
      assert.equal(a.roundTrips, 1, util);
      assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    }
  });

  it("Nitro: an awaited free name found nowhere is an unknown call with its name; Nitro's own helpers are not", () => {
    const a = analyse(
      {
        "package.json": `{ "dependencies": { "nuxt": "^3.0.0" } }`,
        "server/api/s.get.ts": `export default defineEventHandler(async (event) => { const body = await readBody(event); return await loadThing(body); });`,
      },
      { main: ".output/server/index.mjs" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.equal(a.unknowns.filter((u) => u.includes("is neither declared nor imported")).length, 1, a.unknowns.join("; "));
    assert.ok(a.unknowns[0]!.startsWith("loadThing(...)"), a.unknowns.join("; "));
  });
});
