import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchHandler, one, statusOf } from "./helpers/analyse";

/**
 * An awaited call of a function looked up by a key held in data in a table the analysis cannot read
 * whole (a framework running declarative definitions over a method table its classes merge:
 * `const entry = this.methods[step.method]; await entry.function(key)`) is UNKNOWN naming the
 * lookup, once per lookup. A constant table is still followed: the worst of its entries.
 */

const CONSTANT_TABLE = `const table: Record<string, { fn: (id: string) => Promise<unknown> }> = {
  users: { fn: async (id) => (await fetch("https://db.example.com/users/" + id)).json() },
  posts: { fn: async (id) => (await fetch("https://db.example.com/posts/" + id)).json() },
};`;

const MERGED_TABLE = `type Entry = { fn: (id: string) => Promise<unknown> };
class Runner {
  protected methods: Record<string, Entry> = { users: { fn: async (id) => (await fetch("https://db.example.com/users/" + id)).json() } };
  constructor() { this.add({ posts: { fn: async (id) => (await fetch("https://db.example.com/posts/" + id)).json() } }); }
  protected add(more: Record<string, Entry>): void { this.methods = { ...this.methods, ...more }; }
  async run(steps: { action: string; id: string }[]): Promise<void> {
    for (const step of steps) {
      const entry = this.methods[step.action];
      await entry.fn(step.id);
      await entry.fn(step.id + "/more");
    }
  }
  async runOne(def: { action: string; id: string }): Promise<unknown> { return await this.methods[def.action].fn(def.id); }
}`;

const lookupReasons = (unknowns: readonly string[]): string[] =>
  unknowns.filter((u) => u.startsWith("a function looked up by a key held in data"));

describe("a function looked up by a key held in data", () => {
  it("a merged method table read through a local constant in a loop: said once, naming the lookup", () => {
    const a = one(fetchHandler(`await new Runner().run((await request.json()) as { action: string; id: string }[]);`, MERGED_TABLE));
    assert.deepEqual(lookupReasons(a.unknowns), [
      "a function looked up by a key held in data (`this.methods[step.action]`) is called and awaited; the analyser cannot tell which function runs, so its round trips cannot be seen (index.ts:8)",
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("read straight off the lookup (`this.methods[def.action].fn(id)`)", () => {
    const a = one(fetchHandler(`await new Runner().runOne((await request.json()) as { action: string; id: string });`, MERGED_TABLE));
    assert.deepEqual(lookupReasons(a.unknowns), [
      "a function looked up by a key held in data (`this.methods[def.action]`) is called and awaited; the analyser cannot tell which function runs, so its round trips cannot be seen (index.ts:13)",
    ]);
  });

  it("a constant table is followed: in a loop, the worst entry counts two", () => {
    const a = one(
      fetchHandler(
        `const steps = (await request.json()) as { action: string; id: string }[];
for (const step of steps) {
  const entry = table[step.action];
  await entry.fn(step.id);
}`,
        CONSTANT_TABLE,
      ),
    );
    assert.deepEqual(lookupReasons(a.unknowns), []);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a call not awaited is not said", () => {
    const a = one(
      fetchHandler(
        `const def = (await request.json()) as { action: string; id: string };\nvoid new Runner();\nconst r = new Runner() as any;\nvoid r.methods[def.action].fn(def.id);`,
        MERGED_TABLE,
      ),
    );
    assert.deepEqual(lookupReasons(a.unknowns), []);
  });
});
