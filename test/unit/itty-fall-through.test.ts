import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ts from "typescript";
import { ittyMatches, mayAnswerNothing } from "../../server/src/core/worker/handlers/itty";
import type { ModuleFacts } from "../../server/src/core/worker/module";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * itty-router runs every route whose method and path match, in registration order, until a handler
 * returns something: a route that may answer nothing is middleware of the later routes it matches.
 */

const call = (host: string): string => `await fetch("https://${host}/x");`;

function routes(files: Record<string, string>): Array<[string | undefined, number | undefined]> {
  const a = analyse(files, { main: Object.keys(files)[0]! });
  return a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
}

const worker = (body: string, factory = "Router", imports = "error, json"): Record<string, string> => ({
  "src/index.ts": `import { ${factory}, ${imports} } from "itty-router";\n${body}\nexport default router;`,
});

describe("itty-router: routes that answer nothing run before later matching routes", () => {
  it('router.all("*", withUser) before GET /orders: two round trips on GET /orders', () => {
    const files = worker(`const router = Router();
const withUser = async (request: any) => { const s = await fetch("https://auth.example.com/s"); request.user = await s.text(); };
router.all("*", withUser);
router.get("/orders", async () => { ${call("shop.example.com")} return json({}); });
router.all("*", () => error(404));`);
    assert.deepEqual(routes(files), [
      ["ALL /*", 1],
      ["GET /orders", 2],
      ["ALL /*", 1],
    ]);
    const a = analyse(files);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("middleware that answers only on failure goes on; a route that always answers is middleware of nothing", () => {
    assert.deepEqual(
      routes(
        worker(`const router = Router();
router.all("*", async (request: any) => { const ok = await fetch("https://auth.example.com/s"); if (!ok.ok) return error(401); });
router.get("/x", async () => { ${call("a.example.com")} return json({}); });
router.get("/x", async () => { ${call("b.example.com")} return json({}); });`),
      ),
      [
        ["ALL /*", 1],
        ["GET /x", 2],
        // After GET /x, which always answers: only the middleware before it.
        ["GET /x", 2],
      ],
    );
  });

  it("a catch-all that always answers, registered first, adds nothing to later routes", () => {
    assert.deepEqual(
      routes(
        worker(`const router = Router();
router.all("*", async () => { ${call("legacy.example.com")} return error(410); });
router.get("/x", async () => { ${call("a.example.com")} return json({}); });`),
      ),
      [
        ["ALL /*", 1],
        ["GET /x", 1],
      ],
    );
  });

  it("a path pattern and a method scope the middleware, as itty matches (`*` also matches nothing, `:id` one segment)", () => {
    assert.deepEqual(
      routes(
        worker(`const router = Router();
router.all("/api/*", async (request: any) => { ${call("keys.example.com")} });
router.get("/orders/:id", async (request: any) => { ${call("orders.example.com")} return undefined; });
router.get("/api", async () => { ${call("a.example.com")} return json({}); });
router.get("/status", async () => { ${call("s.example.com")} return json({}); });
router.get("/orders/latest", async () => { ${call("b.example.com")} return json({}); });
router.post("/orders/:id", async () => { ${call("c.example.com")} return json({}); });`),
      ),
      [
        ["ALL /api/*", 1],
        ["GET /orders/:id", 1],
        ["GET /api", 2],
        ["GET /status", 1],
        ["GET /orders/latest", 2],
        ["POST /orders/:id", 1],
      ],
    );
  });

  it("handlers before the last in one registration run first, as before: get(path, mw, handler)", () => {
    assert.deepEqual(
      routes(
        worker(`const router = Router();
const audit = async (request: any) => { ${call("audit.example.com")} };
router.get("/x", audit, async () => { ${call("a.example.com")} return json({}); });`),
      ),
      [["GET /x", 2]],
    );
  });

  it("AutoRouter({ before, finally }): before runs first on every route, finally's awaits after", () => {
    assert.deepEqual(
      routes(
        worker(
          `const withSession = async (request: any) => { ${call("sessions.example.com")} };
const record = async (response: Response) => { ${call("audit.example.com")} return response; };
const router = AutoRouter({ before: [withSession], finally: [record] });
router.get("/a", async () => { ${call("a.example.com")} return json({}); });
router.get("/b", () => json({}));`,
          "AutoRouter",
          "json",
        ),
      ),
      [
        ["GET /a", 3],
        ["GET /b", 2],
      ],
    );
  });

  it("before and finally also wrap the routes given as `routes`", () => {
    assert.deepEqual(
      routes({
        "src/index.ts": `import { Router, json } from "itty-router";
const sub = Router();
sub.get("/a", async () => { ${call("a.example.com")} return json({}); });
const router = Router({ before: [async (request: any) => { ${call("sessions.example.com")} }], routes: sub.routes });
export default router;`,
      }),
      [["GET /a", 2]],
    );
  });

  it('JavaScript, chained: Router().all("*", withFlags).get(...) where withFlags resolves to nothing', () => {
    assert.deepEqual(
      routes({
        "src/index.js": `import { Router, json } from "itty-router";
const withFlags = (request) => fetch("https://flags.example.com/").then((r) => { request.flags = r.status; });
const router = Router().all("*", withFlags).get("/a", async () => { ${call("a.example.com")} return json({}); });
export default router;`,
      }),
      [
        ["ALL /*", 1],
        ["GET /a", 2],
      ],
    );
  });

  it("Hono's app.all is a handler, not itty's fall-through: unchanged", () => {
    assert.deepEqual(
      routes({
        "src/index.ts": `import { Hono } from "hono";
const app = new Hono();
app.all("*", async (c) => { ${call("auth.example.com")} });
app.get("/orders", async (c) => { ${call("shop.example.com")} return c.json({}); });
export default app;`,
      }),
      [
        ["ALL /*", 1],
        ["GET /orders", 1],
      ],
    );
  });
});

describe("mayAnswerNothing", () => {
  const fnOf = (source: string): boolean => {
    const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest, true);
    const functions: ts.FunctionDeclaration[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node)) functions.push(node);
      ts.forEachChild(node, visit);
    };
    visit(file);
    const module = {} as ModuleFacts;
    // As the analysis's lookup: an inline function, or a function of the file by name.
    const lookup = (expression: ts.Expression) => {
      if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return { fn: expression, module };
      const found = ts.isIdentifier(expression) ? functions.find((f) => f.name?.text === expression.text) : undefined;
      return found ? { fn: found, module } : undefined;
    };
    return mayAnswerNothing({ fn: functions[0]!, module }, lookup);
  };

  for (const [source, expected] of [
    ["function f(r) { r.user = 1; }", true],
    ["function f(r) { if (!r.ok) return error(401); }", true],
    ["function f(r) { return; }", true],
    ["function f(r) { return undefined; }", true],
    ["function f(r) { return r.ok ? undefined : error(401); }", true],
    ["function f(r) { return g(r); } function g(r) { r.x = 1; }", true],
    ["function f(r) { return fetch(r).then((x) => { r.x = x; }); }", true],
    ["function f(r) { return error(404); }", false],
    ["function f(r) { if (r.ok) return json(1); else return error(401); }", false],
    ["function f(r) { try { return json(1); } catch { return error(500); } }", false],
    ["function f(r) { const response = json(1); return response; }", false],
    ["function f(r) { throw new Error(); }", false],
    ["function f(r) { return g(r); } function g(r) { return json(1); }", false],
  ] as const)
    it(`${source}: ${expected}`, () => assert.equal(fnOf(source), expected));
});

describe("ittyMatches", () => {
  for (const [pattern, path, expected] of [
    ["*", "/anything/at/all", true],
    ["/api/*", "/api", true],
    ["/api/*", "/api/orders/1", true],
    ["/api/*", "/apis", false],
    ["/orders/:id", "/orders/latest", true],
    ["/orders/:id", "/orders/:orderId", true],
    ["/orders/:id", "/orders", false],
    ["/orders/:id", "/orders/1/items", false],
    ["/orders/:id", "/orders/*", false],
    ["/orders/:id?", "/orders", true],
    ["/orders", "/orders", true],
  ] as const)
    it(`${pattern} ${path}: ${expected}`, () => assert.equal(ittyMatches(pattern, path), expected));
});
