import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, criticalTargets, statusOf } from "./helpers/analyse";

/** Values assigned or returned in a branch `[vars]` decides: only the branch the deployed Worker takes. */

const stores = `interface Store { save: (key: string) => Promise<void> }
class MemoryStore implements Store { private keys = new Set<string>(); save = async (key: string) => { this.keys.add(key); } }
class D1Store implements Store {
  constructor(private readonly db: D1Database) {}
  save = async (key: string) => { await this.db.prepare("INSERT INTO k VALUES (?)").bind(key).run(); };
}`;

const lazy = `${stores}
let store: Store | undefined;
export const getStore = (env: { MODE: string; DB: D1Database }): Store => {
  if (store == null) {
    if (env.MODE === "development") {
      store = new MemoryStore();
    } else {
      store = new D1Store(env.DB);
    }
  }
  return store;
};
export default { async fetch(request: Request, env: any) { await getStore(env).save(request.url); return new Response("ok"); } };`;

const returning = `${stores}
function storeFor(env: { MODE: string; DB: D1Database }): Store {
  if (env.MODE === "memory") return new MemoryStore();
  return new D1Store(env.DB);
}
export default { async fetch(request: Request, env: any) { await storeFor(env).save(request.url); return new Response("ok"); } };`;

describe("values in a branch [vars] decides", () => {
  it("a lazy module-level let set in the else of a development check: the D1 store in production", () => {
    const a = analyse({ "src/index.ts": lazy }, { vars: { MODE: "production" }, bindings: { d1: ["DB"] } });
    assert.deepEqual(criticalTargets(a), ["DB"]);
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a, ["DB"]), "INSUFFICIENT_SUBREQUESTS");
  });

  it("a factory's return under a check the vars rule out is left out", () => {
    const a = analyse({ "src/index.ts": returning }, { vars: { MODE: "d1" }, bindings: { d1: ["DB"] } });
    assert.deepEqual(criticalTargets(a), ["DB"]);
    assert.equal(a.roundTrips, 1);
  });

  it("without the var the branch is undecided: the D1 call stays unreached, UNKNOWN, never 'will not help'", () => {
    const a = analyse({ "src/index.ts": lazy }, { bindings: { d1: ["DB"] } });
    assert.deepEqual(criticalTargets(a), []);
    assert.equal(statusOf(a, ["DB"]), "UNKNOWN");
  });

  it("with the development value the memory store is the one used, and the answer stays UNKNOWN", () => {
    const a = analyse({ "src/index.ts": lazy }, { vars: { MODE: "development" }, bindings: { d1: ["DB"] } });
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a, ["DB"]), "UNKNOWN");
  });
});
