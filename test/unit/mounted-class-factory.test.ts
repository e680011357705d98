import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ts from "typescript";
import { requestStoreSlot } from "../../server/src/core/worker/module";
import { analyse, criticalTargets, statusOf } from "./helpers/analyse";

/**
 * Sub-apps made by a project factory given a class (`app.route("/notes", getRoutes(Notes))` where
 * `getRoutes = (Class) => container.resolve(Class).routes()`), and SvelteKit's `locals` handed on to
 * a Hono app in its env.
 */

const controllers = `import { Hono } from "hono";
export abstract class Controller {
  protected readonly controller: Hono;
  constructor() { this.controller = new Hono(); }
  abstract routes(): Hono;
}
export class Health extends Controller {
  routes() { return this.controller.get("/", (c) => c.text("ok")); }
}
export class Notes extends Controller {
  routes() {
    return this.controller.post("/", async (c) => {
      await fetch("https://notes.example.com/check");
      await fetch("https://notes.example.com/save");
      return c.text("saved");
    });
  }
}
export class Users extends Controller {
  routes() {
    return this.controller.get("/", async (c) => c.json(await (await fetch("https://users.example.com/list")).json()));
  }
}`;

const withFactory = (factory: string, mounts: string): Record<string, string> => ({
  "src/controllers.ts": controllers,
  "src/index.ts": `import { Hono } from "hono";
import { Controller, Health, Notes, Users } from "./controllers";
const container = { resolve<T>(Class: new () => T): T { return new Class(); } };
${factory}
const app = new Hono();
${mounts}
export default app;`,
});

describe("sub-apps made by a factory given a class", () => {
  it("container.resolve(Class).routes(): each mount gets the routes of the class it passes", () => {
    const a = analyse(
      withFactory(
        "function getRoutes<T extends Controller>(Class: new () => T) { return container.resolve(Class).routes(); }",
        `app.route("/health", getRoutes(Health)).route("/notes", getRoutes(Notes)).route("/users", getRoutes(Users));`,
      ),
    );
    assert.equal(statusOf(a), "SUCCESS");
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["notes.example.com", "notes.example.com", "users.example.com"]);
    assert.deepEqual(a.unknowns, []);
  });

  it("new Class().routes() in an arrow function: the same, the class's own routes per call", () => {
    const a = analyse(
      withFactory(`const mount = (Module: new () => Controller) => new Module().routes();`, `app.route("/users", mount(Users));`),
    );
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(criticalTargets(a), ["users.example.com"]);
  });

  it("a class picked at run time is not followed: UNKNOWN naming the mount", () => {
    const a = analyse(
      withFactory(
        `const byName: Record<string, new () => Controller> = { notes: Notes, users: Users };
const mount = (Module: new () => Controller) => new Module().routes();`,
        `app.route("/items", mount(byName[String(Date.now())]!));`,
      ),
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.ok(
      a.unknowns.some((u) => u.startsWith("the app mounted at /items (mount(byName[String(Date.now())]!)) could not be resolved")),
      a.unknowns.join("; "),
    );
  });

  it("a method the class does not have: not followed, UNKNOWN", () => {
    const a = analyse(
      withFactory(`const mount = (Module: new () => any) => new Module().handlers();`, `app.route("/notes", mount(Notes));`),
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.equal(a.roundTrips, 0);
  });
});

describe("SvelteKit: locals in a Hono app's env, a hook from a class instance", () => {
  const slotOf = (source: string): string | undefined => {
    const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest, true);
    const statement = file.statements[0] as ts.ExpressionStatement;
    return requestStoreSlot(statement.expression);
  };

  it("c.env.locals.db is the .locals.db slot the handle hook sets; other holders are not", () => {
    assert.equal(slotOf("c.env.locals.db"), ".locals.db");
    assert.equal(slotOf("event.locals.db"), ".locals.db");
    assert.equal(slotOf("c.env.store.db"), undefined);
    assert.equal(slotOf("c.var.locals.db"), undefined);
  });

  it("a route reading c.env.locals.db through a helper counts the D1 queries the hook's client makes", () => {
    const a = analyse(
      {
        "svelte.config.js": `import adapter from "@sveltejs/adapter-cloudflare";\nexport default { kit: { adapter: adapter() } };`,
        "package.json": `{ "devDependencies": { "@sveltejs/kit": "^2.0.0", "@sveltejs/adapter-cloudflare": "^4.0.0" } }`,
        "src/hooks.server.ts": `import { drizzle } from "drizzle-orm/d1";
export const handle = async ({ event, resolve }: any) => { event.locals.db = drizzle(event.platform.env.DB); return resolve(event); };`,
        "src/lib/queries.ts": `import { items } from "./schema";
export async function listItems(db: App.Locals["db"]) { return db.select().from(items); }`,
        "src/lib/schema.ts": `import { sqliteTable, integer } from "drizzle-orm/sqlite-core";
export const items = sqliteTable("items", { id: integer("id") });`,
        "src/lib/api.ts": `import { Hono } from "hono";
import { listItems } from "./queries";
export const api = new Hono<{ Bindings: { locals: App.Locals } }>();
api.get("/api/items", async (c) => c.json(await listItems(c.env.locals.db)));`,
        "src/routes/api/[...path]/+server.ts": `import { api } from "$lib/api";
export const GET = ({ request, platform, locals }: any) => api.fetch(request, { ...platform?.env, locals });`,
      },
      { main: null, pages: ".svelte-kit/cloudflare", bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(criticalTargets(a), ["DB"]);
    assert.equal(a.roundTrips, 1);
  });

  it("a hook that is a getter of getInstance(Guard) (a function given the class) runs in sequence(...)", () => {
    const files = (hook: string): Record<string, string> => ({
      "svelte.config.js": `import adapter from "@sveltejs/adapter-cloudflare";\nexport default { kit: { adapter: adapter() } };`,
      "package.json": `{ "devDependencies": { "@sveltejs/kit": "^2.0.0", "@sveltejs/adapter-cloudflare": "^4.0.0" } }`,
      "src/lib/guard.ts": `export class Guard {
  get check() {
    return async ({ event, resolve }: any) => {
      await event.platform.env.DB.prepare("SELECT 1 FROM sessions").first();
      return resolve(event);
    };
  }
}`,
      "src/lib/instances.ts": `const container = { resolve<T>(Class: new () => T): T { return new Class(); } };
export function getInstance<T>(Class: new () => T): T { return container.resolve(Class); }`,
      "src/hooks.server.ts": `import { sequence } from "@sveltejs/kit/hooks";
import { Guard } from "$lib/guard";
import { getInstance } from "$lib/instances";
const first = async ({ event, resolve }: any) => resolve(event);
export const handle = sequence(first, ${hook});`,
      "src/routes/+server.ts": `export const GET = async () => new Response("ok");`,
    });
    const options = { main: null, pages: ".svelte-kit/cloudflare", bindings: { d1: ["DB"] } };
    const a = analyse(files("getInstance(Guard).check"), options);
    assert.deepEqual(criticalTargets(a), ["DB"]);
    assert.equal(a.roundTrips, 1);
    // A getter the class does not have: nothing is made up.
    const b = analyse(files("getInstance(Guard).other"), options);
    assert.deepEqual(criticalTargets(b), []);
    assert.equal(statusOf(b, ["DB"]), "UNKNOWN");
  });
});
