import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { analyzeWorker, createAnalysisCache } from "../../server/src/core/worker/analyze";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, NO_BINDINGS, statusOf } from "./helpers/analyse";
import { FIXTURES } from "./helpers/fixtures";

/** Route handlers and middleware that are parameters of the function registering them. */

const TWO_CALLS = `await fetch("https://auth.example.com/1"); await fetch("https://auth.example.com/2");`;
const ONE_CALL = `await fetch("https://api.example.com/x");`;

/** Each fetch route with its round trips. */
const routes = (a: WorkerAnalysis): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

describe("a registrar's parameter used as a route's handler or middleware", () => {
  it("TypeScript Hono: register(app, guard) with the guard imported, before the route's own handler", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nimport { register } from "./routes";\nimport { guard } from "./guard";\nconst app = new Hono();\nregister(app, guard);\nexport default app;`,
      "src/routes.ts": `import type { Hono, MiddlewareHandler } from "hono";\nexport function register(app: Hono, check: MiddlewareHandler) {\n  app.get("/x", check, async (c) => { ${ONE_CALL} return c.text("ok"); });\n}`,
      "src/guard.ts": `import type { MiddlewareHandler } from "hono";\nexport const guard: MiddlewareHandler = async (c, next) => { ${TWO_CALLS} await next(); };`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [["GET /x", 3]]);
  });

  it("JavaScript Hono: `const mount = (app, mw) => app.use(path, mw)` and a registrar handing its parameter on to another", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\nimport { mount, registerAll } from "./routes.js";\nconst app = new Hono();\nmount(app, async (c, next) => { ${TWO_CALLS} await next(); });\nregisterAll(app, async (c, next) => { ${ONE_CALL} await next(); });\nexport default app;`,
        "src/routes.js": `export const mount = (app, mw) => app.use("/api/*", mw);\nfunction registerItems(app, guard) { app.get("/api/items", guard, (c) => c.text("items")); }\nexport function registerAll(app, guard) { registerItems(app, guard); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [["GET /api/items", 3]]);
  });

  it("JavaScript itty-router: the middleware in an options object, destructured in the parameter list or read as a property", () => {
    const a = analyse(
      {
        "src/index.js": `import { AutoRouter } from "itty-router";\nimport { registerA, registerB } from "./routes.js";\nconst auth = async (request) => { ${TWO_CALLS} };\nconst router = AutoRouter();\nregisterA(router, { auth });\nregisterB(router, { auth });\nexport default router;`,
        "src/routes.js": `export function registerA(router, { auth: check }) { router.get("/a", check, async () => { ${ONE_CALL} return new Response(); }); }\nexport function registerB(router, deps) { const { auth } = deps; router.get("/b", auth, () => new Response()); }`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [
      ["GET /a", 3],
      ["GET /b", 2],
    ]);
  });

  it("each call of the registrar gives its own routes what it passes, whichever is met first", () => {
    const files = (first: string, second: string): Record<string, string> => ({
      "src/index.ts": `import { Hono } from "hono";\nconst heavy = async (c: any, next: any) => { ${TWO_CALLS} await next(); };\nconst light = async (c: any, next: any) => { await next(); };\nfunction register(app: Hono, guard: any) { app.get("/x", guard, async (c) => { ${ONE_CALL} return c.text(""); }); }\nconst app = new Hono();\n${first}\n${second}\nexport default app;`,
    });
    const one = analyse(files(`register(app, light);`, `register(app, heavy);`));
    const other = analyse(files(`register(app, heavy);`, `register(app, light);`));
    assert.deepEqual(routes(one), [
      ["GET /x", 1],
      ["GET /x", 3],
    ]);
    assert.deepEqual(routes(other), [
      ["GET /x", 3],
      ["GET /x", 1],
    ]);
    assert.equal(one.roundTrips, 3);
    assert.equal(other.roundTrips, 3);
  });

  it("an app made by a factory given its guard: what every call passes, each a path, the worst counts, in either order", () => {
    const files = (calls: string): Record<string, string> => ({
      "src/index.ts": `import { build } from "./app";\nimport { heavy, light } from "./guards";\n${calls}\nexport default { fetch(request: Request, env: unknown, ctx: ExecutionContext) { return a.fetch(request, env, ctx); } };`,
      "src/app.ts": `import { Hono } from "hono";\nexport function build(guard: any) { return new Hono().get("/r", guard, async (c) => { ${ONE_CALL} return c.text(""); }); }`,
      "src/guards.ts": `export const heavy = async (c: any, next: any) => { ${TWO_CALLS} await next(); };\nexport const light = async (c: any, next: any) => { await next(); };`,
    });
    for (const calls of [`const a = build(light);\nconst b = build(heavy);`, `const b = build(heavy);\nconst a = build(light);`]) {
      const a = analyse(files(calls));
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 3, calls);
      assert.equal(statusOf(a), "SUCCESS");
    }
  });

  it("a parameter whose call passes what cannot be resolved stays unknown, naming it", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nexport function register(app: Hono, guard: any) { app.get("/x", guard, async (c) => { ${ONE_CALL} return c.text(""); }); }\nconst app = new Hono();\nregister(app, (globalThis as any).guard);\nexport default app;`,
    });
    assert.deepEqual(a.unknowns, ["the handler guard of GET /x could not be resolved"]);
    assert.equal(a.roundTrips, 1);
  });
});

describe("kept summaries and a registrar's parameters", () => {
  const input = (fs: MemoryFileSystem) => ({
    fs,
    projectRoot: "/w",
    main: "src/index.ts",
    pagesBuildOutputDir: null,
    vars: {},
    bindings: NO_BINDINGS,
  });
  const GUARDS = `export const heavy = async (c: any, next: any) => { ${TWO_CALLS} await next(); };\nexport const light = async (c: any, next: any) => { await next(); };`;

  /** Analysed until summaries are kept, edited, analysed again: the same as a fresh analysis. */
  function editedAsFresh(files: Record<string, string>, file: string, edit: (text: string) => string): WorkerAnalysis {
    const fs = new MemoryFileSystem(files);
    const cache = createAnalysisCache();
    // (Trees are kept from the second analysis, summaries from the third.)
    for (let n = 0; n < 3; n++) analyzeWorker(input(fs), cache);
    fs.set(file, edit(files[file]!));
    const again = analyzeWorker(input(fs), cache);
    const fresh = analyzeWorker(input(fs), createAnalysisCache());
    assert.equal(JSON.stringify(again), JSON.stringify(fresh));
    return again;
  }

  it("the call that hands the registrar the app passes another guard: the hand-off's walk sees it", () => {
    const files = {
      "/w/src/index.ts": `import { app } from "./app";\nexport default { fetch(request: Request, env: unknown, ctx: ExecutionContext) { return app.fetch(request, env, ctx); } };`,
      "/w/src/app.ts": `import { Hono } from "hono";\nimport { register } from "./routes";\nimport { heavy, light } from "./guards";\nexport const app = new Hono();\nregister(app, light);`,
      "/w/src/routes.ts": `import type { Hono } from "hono";\nexport function register(app: Hono, guard: any) { app.get("/x", guard, async (c) => { ${ONE_CALL} return c.text(""); }); }`,
      "/w/src/guards.ts": GUARDS,
    };
    const again = editedAsFresh(files, "/w/src/app.ts", (text) => text.replace("register(app, light)", "register(app, heavy)"));
    assert.equal(again.roundTrips, 3);
  });

  it("a caller of the app's factory in a module the hand-off does not import passes another guard: that walk read every call, so it was not kept", () => {
    const files = {
      "/w/src/index.ts": `import { handle } from "./handler";\nimport { admin } from "./other";\nexport default { fetch: handle, admin };`,
      "/w/src/handler.ts": `import { build } from "./app";\nimport { light } from "./guards";\nconst app = build(light);\nexport function handle(request: Request, env: unknown, ctx: ExecutionContext) { return app.fetch(request, env, ctx); }`,
      "/w/src/other.ts": `import { build } from "./app";\nimport { heavy, light } from "./guards";\nexport const admin = build(light);`,
      "/w/src/app.ts": `import { Hono } from "hono";\nexport function build(guard: any) { return new Hono().get("/r", guard, async (c) => { ${ONE_CALL} return c.text(""); }); }`,
      "/w/src/guards.ts": GUARDS,
    };
    const again = editedAsFresh(files, "/w/src/other.ts", (text) => text.replace("build(light)", "build(heavy)"));
    assert.equal(again.roundTrips, 3);
  });
});

describe("fixtures 626, 710-712 analysed again after an edit (kept summaries) as fresh", () => {
  const plain = (value: unknown): string => JSON.stringify(value);
  let replayed = 0;
  for (const name of [
    "626-route-partly-resolved",
    "710-hono-registrar-parameters",
    "711-itty-registrar-options-js",
    "712-hono-factory-guard-callers",
  ]) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      const files: Record<string, string> = {};
      const read = (at: string): void => {
        for (const entry of readdirSync(path.join(dir, at), { withFileTypes: true })) {
          const relative = at ? `${at}/${entry.name}` : entry.name;
          if (entry.isDirectory()) read(relative);
          else files[`/f/${relative}`] = readFileSync(path.join(dir, relative), "utf8");
        }
      };
      read("");
      const fs = new MemoryFileSystem(files);
      const config = "/f/wrangler.toml";
      const cache = createAnalysisCache();
      const analyse = (using: ReturnType<typeof createAnalysisCache>) => analyzeConfig(fs, config, files[config]!, { cache: using });
      for (let n = 0; n < 3; n++) analyse(cache);
      const sources = Object.keys(files).filter((f) => f.includes("/src/"));
      assert.ok(sources.length >= 1);
      for (const source of sources) {
        fs.set(source, files[source] + "\n// edited\n");
        const again = analyse(cache);
        assert.equal(plain(again.workers), plain(analyse(createAnalysisCache()).workers), source);
        analyse(cache);
      }
      replayed += cache.summaryStats.replayed;
    });
  }
  // (Not in each: with one source file every edit changes the module, and not every walk is kept.)
  it("replays kept summaries in some of them", () => assert.ok(replayed > 0, String(replayed)));
});
