import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

/** A context made once and kept as a ready promise, and names destructured from a parameter. */

const STORE = `export class Store {\n  async load(id: string) { const r = await fetch("https://db.example.com/rows/" + id); return r.json(); }\n  async save(id: string) { await fetch("https://db.example.com/rows/" + id, { method: "PUT" }); }\n}`;
const MAILER = `export class Mailer {\n  async send(to: string) { await fetch("https://mail.example.com/send", { method: "POST", body: to }); }\n}`;

const backends = (a: WorkerAnalysis): Array<[string, number]> => a.backends.map((b) => [b.host, b.roundTrips]);

describe("Promise.resolve(x) read as the x it gives", () => {
  it("TypeScript: a module-level promise set once, returned by an async function, awaited into a let set inside try", () => {
    const a = analyse({
      "src/store.ts": STORE,
      "src/index.ts": `import { Store } from "./store";
let contextPromise: Promise<{ store: Store }> | undefined;
async function appContext() {
  if (!contextPromise) contextPromise = Promise.resolve({ store: new Store() });
  return contextPromise;
}
export default {
  async fetch(request: Request) {
    let ctx: { store: Store };
    try { ctx = await appContext(); } catch { return new Response("", { status: 503 }); }
    await ctx.store.load("a");
    await ctx.store.save("a");
    return new Response();
  },
};`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(backends(a), [["db.example.com", 2]]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("JavaScript: `??=` of a ready promise of an instance, and one nested in another", () => {
    const a = analyse(
      {
        "src/store.js": `export class Store {\n  async load(id) { const r = await fetch("https://db.example.com/rows/" + id); return r.json(); }\n}`,
        "src/index.js": `import { Store } from "./store.js";
let cached;
const store = () => (cached ??= Promise.resolve(Promise.resolve(new Store())));
export default {
  async fetch(request) {
    const s = await store();
    await s.load("a");
    await s.load("b");
    await s.load("c");
    return new Response();
  },
};`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(backends(a), [["db.example.com", 3]]);
  });

  it("a Promise the module declares is not the global one: its resolve is followed as the project's own function", () => {
    const a = analyse({
      "src/store.ts": STORE,
      "src/mailer.ts": MAILER,
      "src/index.ts": `import { Store } from "./store";
import { Mailer } from "./mailer";
const Promise = { resolve: (_value: unknown) => ({ client: new Mailer() }) };
export default {
  async fetch(request: Request) {
    const { client } = Promise.resolve({ client: new Store() });
    await client.send("a");
    return new Response();
  },
};`,
    });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(backends(a), [["mail.example.com", 1]]);
  });
});

describe("names destructured in a function's body from its parameter", () => {
  it("TypeScript: `const { store, mailer: outbox } = services` reads what the call passes, renamed too", () => {
    const a = analyse({
      "src/store.ts": STORE,
      "src/mailer.ts": MAILER,
      "src/index.ts": `import { Store } from "./store";
import { Mailer } from "./mailer";
interface Services { store: Store; mailer: Mailer }
async function handle(request: Request, services: Services) {
  const { store, mailer: outbox } = services;
  await store.load("a");
  await outbox.send("a");
  return new Response();
}
export default {
  async fetch(request: Request) {
    return handle(request, { store: new Store(), mailer: new Mailer() });
  },
};`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(backends(a), [
      ["db.example.com", 1],
      ["mail.example.com", 1],
    ]);
  });

  it("JavaScript: the parameter is a variable holding the literal, handed on through a second function", () => {
    const a = analyse(
      {
        "src/store.js": `export class Store {\n  async load(id) { const r = await fetch("https://db.example.com/rows/" + id); return r.json(); }\n}`,
        "src/index.js": `import { Store } from "./store.js";
async function inner(deps) {
  const { store } = deps;
  await store.load("a");
  await store.load("b");
}
async function outer(request, deps) {
  await inner(deps);
  return new Response();
}
export default {
  async fetch(request) {
    const deps = { store: new Store() };
    return outer(request, deps);
  },
};`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(backends(a), [["db.example.com", 2]]);
  });

  it("a parameter no call gives an object literal for stays unresolved: no round trips are made up", () => {
    const a = analyse({
      "src/index.ts": `import { makeServices } from "services-kit";
async function handle(request: Request, services: any) {
  const { store } = services;
  await store.load("a");
  return new Response();
}
export default {
  async fetch(request: Request) {
    return handle(request, makeServices());
  },
};`,
    });
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(backends(a), []);
    assert.notEqual(statusOf(a), "SUCCESS");
  });
});
