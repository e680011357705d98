import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

const D1 = { bindings: { d1: ["DB"] } };
const query = (sql: string): string => `await this.db.prepare("${sql}").first();`;

describe("names a module imports and exports again, package middleware made by a destructured factory", () => {
  it("a Hono app imported by default and exported again under another name is mounted (TypeScript)", () => {
    const a = analyse(
      {
        "src/index.ts": `import { Hono } from "hono";\nimport { admin } from "./admin";\nconst app = new Hono();\napp.route("/admin", admin);\nexport default app;`,
        "src/admin/index.ts": `import routes from "./routes";\nexport { routes as admin };`,
        "src/admin/routes.ts": `import { Hono } from "hono";\nconst r = new Hono();\nr.get("/stats", async (c) => { await fetch("https://a.example.com/1"); await fetch("https://a.example.com/2"); return c.text(""); });\nexport default r;`,
      },
      {},
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("a class of a workspace package, imported and exported again by its barrel, given the D1 binding: its methods are walked (JavaScript)", () => {
    const a = analyse(
      {
        "package.json": `{ "name": "root", "private": true, "workspaces": ["packages/*"] }`,
        "src/index.js": `import { Store } from "@acme/db";\nexport default { async fetch(request, env) { const s = new Store(env.DB); await s.one(); await s.two(); return new Response(); } };`,
        "packages/db/package.json": `{ "name": "@acme/db", "module": "index.js" }`,
        "packages/db/index.js": `import { Store } from "./store";\nexport { Store };`,
        "packages/db/store.js": `export class Store {\n  constructor(db) { this.db = db; }\n  async one() { ${query("SELECT 1")} }\n  async two() { ${query("SELECT 2")} }\n}`,
      },
      { main: "src/index.js", ...D1 },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target]),
      [
        ["d1", "DB"],
        ["d1", "DB"],
      ],
    );
  });

  it("a namespace imported and exported again is still a namespace: its functions are followed", () => {
    const a = analyse({
      "src/index.ts": `import { api } from "./lib";\nexport default { async fetch() { await api.load(); return new Response(); } };`,
      "src/lib/index.ts": `import * as api from "./api";\nexport { api };`,
      "src/lib/api.ts": `export async function load() { await fetch("https://b.example.com/x"); await fetch("https://b.example.com/y"); }`,
    });
    assert.equal(a.roundTrips, 2);
  });

  it("itty-router's `const { preflight, corsify } = createCors()`: the package's own handlers, no unresolved route", () => {
    const a = analyse({
      "src/index.ts": `import { Router, createCors } from "itty-router";
const { preflight, corsify } = createCors();
const router = Router();
router.all("*", preflight);
router.get("/x", async () => { await fetch("https://c.example.com/x"); return new Response(); });
export default { fetch: (req: Request, env: unknown) => router.handle(req, env).then(corsify) };`,
    });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.unknowns, []);
  });
});
