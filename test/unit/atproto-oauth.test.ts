import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { one } from "./helpers/analyse";

const handler = (body: string): string =>
  `export default { async fetch(request: Request, env: any, ctx: any) {\n${body}\nreturn new Response("ok");\n} };`;

/** A client whose stores are classes over D1 (each method one query), made in the handler. */
const client = `import { NodeOAuthClient } from "@atproto/oauth-client-node";
class Store {
  constructor(private readonly db: any, private readonly table: string) {}
  async get(key: string) { return await this.db.prepare("select v from " + this.table + " where k = ?").bind(key).first(); }
  async set(key: string, value: unknown) { await this.db.prepare("insert into " + this.table + " values (?, ?)").bind(key, JSON.stringify(value)).run(); }
  async del(key: string) { await this.db.prepare("delete from " + this.table + " where k = ?").bind(key).run(); }
}
`;
const made = `const client = new NodeOAuthClient({ clientMetadata: {} as any, stateStore: new Store(env.DB, "state"), sessionStore: new Store(env.DB, "session") });`;

describe("@atproto/oauth-client: the library's round trips and the app's stores, in order", () => {
  for (const [call, roundTrips, database] of [
    ["client.authorize(handle)", 6, 1],
    ["client.callback(new URL(request.url).searchParams)", 7, 3],
    ["client.restore(did)", 2, 1],
    ["client.revoke(did)", 4, 2],
  ] as const) {
    it(`${call}: ${roundTrips} round trips, ${database} of them the app's D1 stores`, () => {
      const a = one(`${client}${handler(`const handle = "alice.bsky.social";\nconst did = "did:plc:alice";\n${made}\nawait ${call};`)}`, {
        bindings: { d1: ["DB"] },
      });
      assert.equal(a.roundTrips, roundTrips);
      assert.deepEqual(
        a.backends.map((b) => [b.host, b.roundTrips]),
        [
          ["bsky.social", roundTrips - database],
          ["DB", database],
        ],
      );
      assert.deepEqual(a.unknowns, []);
    });
  }

  it("the core package's OAuthClient is the same client", () => {
    const a = one(
      `import { OAuthClient } from "@atproto/oauth-client";\n${client.split("\n").slice(1).join("\n")}${handler(`const did = "did:plc:alice";\n${made.replace("NodeOAuthClient", "OAuthClient")}\nawait client.restore(did);`)}`,
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a store that cannot be read is one round trip each time it is called, and unknown, named", () => {
    const a = one(
      `import { NodeOAuthClient } from "@atproto/oauth-client-node";\nimport { stores } from "./missing";\n${handler(`const client = new NodeOAuthClient({ clientMetadata: {} as any, stateStore: stores.state, sessionStore: stores.session });\nawait client.callback(new URL(request.url).searchParams);`)}`,
    );
    assert.equal(a.roundTrips, 7);
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0]!, /stateStore\.get, stateStore\.del, sessionStore\.set could not be read/);
  });
});
