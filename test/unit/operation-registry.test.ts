import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { predict } from "../../server/src/core/predict/predict";
import { analyse, statusOf } from "./helpers/analyse";

const reasons = (a: ReturnType<typeof analyse>): string =>
  predict(a, { targeted: false, d1Bindings: [], platformRules: "current" }).reasons.join(" | ");

const REGISTRY = `import type { PgDatabase } from "./db";
export interface Context { db: PgDatabase; }
export interface Operation { path: string; handler: (c: Context) => Promise<Response>; }
export interface MatchedRoute { op: Operation; }
export interface Router { match(pathname: string): MatchedRoute | null; }
export function buildRouter(operations: Operation[]): Router {
  return { match(pathname) { for (const op of operations) if (op.path === pathname) return { op }; return null; } };
}
`;

const DB = `import { drizzle } from "drizzle-orm/node-postgres";
export const open = (env: { HYPERDRIVE: Hyperdrive }) => drizzle(env.HYPERDRIVE.connectionString);
export type PgDatabase = ReturnType<typeof open>;
`;

const ENTRY = `import { open } from "./db";
import { operations } from "./operations";
import { buildRouter } from "./registry";
const router = buildRouter(operations);
export default { async fetch(request: Request, env: { HYPERDRIVE: Hyperdrive }) {
  const matched = router.match(new URL(request.url).pathname);
  if (!matched) return new Response("none", { status: 404 });
  const { op } = matched;
  const db = open(env);
  return op.handler({ db });
} };
`;

const ONE = `async (c) => Response.json(await c.db.execute("select 1"))`;
const TWO = `async (c) => { await c.db.execute("select 1"); return Response.json(await c.db.execute("select 2")); }`;

const registry = (operations: string, extra: Record<string, string> = {}) =>
  analyse(
    { "src/index.ts": ENTRY, "src/db.ts": DB, "src/registry.ts": REGISTRY, "src/operations.ts": operations, ...extra },
    { bindings: { hyperdrive: ["HYPERDRIVE"] } },
  );

describe("a call of an interface's member on a value declared with it runs the member of each object literal of that interface", () => {
  it("`const { op } = router.match(...)` with `match(...): MatchedRoute | null`: each literal of an `Operation[]` is a path, the worst counts", () => {
    const a = registry(`import type { Operation } from "./registry";
export const operations: Operation[] = [
  { path: "/a", handler: ${ONE} },
  { path: "/b", handler: ${TWO} },
];`);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
    assert.match(
      reasons(a),
      /op\.handler\(\.\.\.\) \(index\.ts:10\) runs the handler of one of the 2 object literals declared as Operation, each a path: the worst is \/b \(2 round trips\)/,
    );
  });

  it("an entry an untyped project function makes (`define(path, handler)` returning a literal) is read through what it returns", () => {
    const a = registry(`import type { Operation } from "./registry";
function define(path: string, handler: Operation["handler"]) { return { path, handler }; }
export const operations: Operation[] = [{ path: "/a", handler: ${ONE} }, define("/b", ${TWO})];`);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("an inline literal given for a parameter typed with the interface (`register({ ... })`) is one of them", () => {
    const a = registry(`import type { Operation } from "./registry";
export const operations: Operation[] = [{ path: "/a", handler: ${ONE} }];
function register(op: Operation) { operations.push(op); }
register({ path: "/b", handler: ${TWO} });`);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a literal pushed into the typed list from another module (`operations.push({ ... })`) is one of them", () => {
    const a = registry(
      `import type { Operation } from "./registry";
import "./extra";
export const operations: Operation[] = [{ path: "/a", handler: ${ONE} }];`,
      { "src/extra.ts": `import { operations } from "./operations";\noperations.push({ path: "/b", handler: ${TWO} });` },
    );
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  for (const [what, operations] of [
    [
      "an interface that extends it (its values are Operations the literals of Operation do not list)",
      `import type { Operation } from "./registry";
interface Admin extends Operation { role: string; }
const admin: Admin = { path: "/admin", role: "root", handler: ${TWO} };
export const operations: Operation[] = [{ path: "/a", handler: ${ONE} }, admin];`,
    ],
    [
      "a generic container of it (`Map<string, Operation>`)",
      `import type { Operation } from "./registry";
const extra = new Map<string, Operation>([["b", { path: "/b", handler: ${TWO} }]]);
export const operations: Operation[] = [{ path: "/a", handler: ${ONE} }, ...extra.values()];`,
    ],
    [
      "a list filled by a callback that makes literals (`defs.map((d) => ({ ... }))`)",
      `import type { Operation } from "./registry";
const defs = ["/a", "/b"];
export const operations: Operation[] = defs.map((path) => ({ path, handler: ${TWO} }));`,
    ],
    [
      "a literal whose handler is made by a package (`handler: wrap(...)`)",
      `import { wrap } from "some-router-kit";
import type { Operation } from "./registry";
export const operations: Operation[] = [{ path: "/a", handler: ${ONE} }, { path: "/b", handler: wrap("/b") }];`,
    ],
  ] as const) {
    it(`stays unknown when some of them cannot be found: ${what}`, () => {
      const a = registry(operations);
      assert.equal(statusOf(a), "UNKNOWN");
      assert.match(reasons(a), /op\.handler\(\.\.\.\) is given an object carrying `db`/);
    });
  }

  it("a value whose type is not written where it comes from (JavaScript) stays unknown", () => {
    const a = analyse(
      {
        "src/index.js": `import { drizzle } from "drizzle-orm/node-postgres";
import { operations } from "./operations.js";
const find = (path) => operations.get(path);
export default { async fetch(request, env) {
  const op = find(new URL(request.url).pathname);
  if (!op) return new Response("none");
  const db = drizzle(env.HYPERDRIVE.connectionString);
  return op.handler({ db });
} };`,
        "src/operations.js": `export const operations = globalThis.registry;`,
      },
      { main: "src/index.js", bindings: { hyperdrive: ["HYPERDRIVE"] } },
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });
});
