import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { collectFacts, moduleVariable } from "../../server/src/core/worker/module";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * A name the module itself uses (`export default app`, `export { app as users }`, `router.get(...)`
 * at the top of the file) means its module-level variable or import, never a function's own
 * variable of the same name: handlers often say `const app = await render(...)`.
 */

const fetchRoutes = (files: Record<string, string>, main = Object.keys(files)[0]!): Array<[string | undefined, number | undefined]> =>
  analyse(files, { main })
    .handlers.filter((h) => h.kind === "fetch")
    .map((h) => [h.route, h.roundTrips]);

describe("moduleVariable: the module-level declaration of a name", () => {
  it("a module-level `const app` declared after a function's own `const app` is the module's", () => {
    const facts = collectFacts(
      "/w/src/index.ts",
      `function title() { const app = "x"; return app; }\nconst app = new Hono();\nexport default app;`,
    );
    const variable = moduleVariable(facts, "app");
    assert.equal(variable?.initializer?.getText(facts.sourceFile), "new Hono()");
    assert.equal(facts.variables.get("app"), variable);
  });

  it("an imported name is no variable of the module, whatever a handler declares inside", () => {
    const facts = collectFacts(
      "/w/src/index.ts",
      `import { app } from "./app";\napp.get("/a", async (c) => { const app = await fetch("https://a.example.com"); return c.text(""); });\nexport default app;`,
    );
    assert.equal(moduleVariable(facts, "app"), undefined);
    assert.equal(facts.imports.get("app")?.module, "./app");
  });
});

describe("apps whose handlers declare a local of the app's name", () => {
  const appModule = `import { Hono } from "hono";\nexport const app = new Hono();`;

  it("Hono: `const app = await fetch(...)` in the handler of an imported app: one round trip on GET /a", () => {
    const files = {
      "src/index.tsx": `import { app } from "./app";
app.get("/a", async (c) => { const app = await fetch("https://api.example.com/a"); return c.text(String(app.status)); });
export default app;`,
      "src/app.tsx": appModule,
    };
    assert.deepEqual(fetchRoutes(files), [["GET /a", 1]]);
    const a = analyse(files, { main: "src/index.tsx" });
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("Hono: `const app = await render(...)` returning a string still leaves the app's fetch handler: two round trips", () => {
    const files = {
      "src/index.ts": `import { app } from "./app";
import { render } from "./render";
app.get("/c", async (c) => { const app = await render(); return c.html(app); });
app.get("/b", async (app) => app.text("ok"));
export default app;`,
      "src/app.ts": appModule,
      "src/render.ts": `export async function render(): Promise<string> {
  const a = await fetch("https://api.example.com/1");
  const b = await fetch("https://api.example.com/2");
  return String(a.status + b.status);
}`,
    };
    assert.deepEqual(fetchRoutes(files), [
      ["GET /c", 2],
      ["GET /b", 0],
    ]);
    assert.equal(statusOf(analyse(files)), "SUCCESS");
  });

  it("a sub-app exported as `export { app as users }` after a helper's own `const app`: mounted at /users", () => {
    const files = {
      "src/index.ts": `import { Hono } from "hono";
import { users } from "./users";
const app = new Hono();
app.route("/users", users);
export default app;`,
      "src/users.ts": `import { Hono } from "hono";
function heading(name: string) { const app = "<h1>" + name + "</h1>"; return app; }
const app = new Hono();
app.get("/:id", async (c) => {
  const one = await fetch("https://api.example.com/u");
  const two = await fetch("https://api.example.com/o");
  return c.html(heading(String(one.status + two.status)));
});
export { app as users };`,
    };
    assert.deepEqual(fetchRoutes(files), [["GET /users/:id", 2]]);
    assert.equal(statusOf(analyse(files)), "SUCCESS");
  });

  it("itty-router: `const router = await fetch(...)` in a route of an imported router", () => {
    const files = {
      "src/index.ts": `import { router } from "./router";
router.get("/x", async () => {
  const router = await fetch("https://api.example.com/x");
  const again = await fetch("https://api.example.com/y");
  return router.json();
});
export default router;`,
      "src/router.ts": `import { AutoRouter } from "itty-router";\nexport const router = AutoRouter();`,
    };
    assert.deepEqual(fetchRoutes(files), [["GET /x", 2]]);
    assert.equal(statusOf(analyse(files)), "SUCCESS");
  });

  it("Elysia: `const app = await fetch(...)` in a route of an imported app", () => {
    const files = {
      "src/index.ts": `import { app } from "./app";
app.get("/x", async () => {
  const app = await fetch("https://api.example.com/x");
  const again = await fetch("https://api.example.com/y");
  return app.json();
});
export default app;`,
      "src/app.ts": `import { Elysia } from "elysia";\nexport const app = new Elysia({ aot: false });`,
    };
    assert.deepEqual(fetchRoutes(files), [["GET /x", 2]]);
    assert.equal(statusOf(analyse(files)), "SUCCESS");
  });
});
