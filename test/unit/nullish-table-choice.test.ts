import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { predict } from "../../server/src/core/predict/predict";
import { analyse, statusOf } from "./helpers/analyse";

const ONE = `await fetch("https://a.example.com/1");`;
const TWO = `await fetch("https://a.example.com/1"); await fetch("https://b.example.net/2");`;

const reasons = (a: ReturnType<typeof analyse>): string =>
  predict(a, { targeted: false, d1Bindings: [], platformRules: "current" }).reasons.join(" | ");

describe("a table read chosen against a nullish value", () => {
  for (const nullish of ["undefined", "null", "void 0"]) {
    it(`\`c ? table[path] : ${nullish}\` guarded by \`if (handler)\`, in JavaScript: each entry a path`, () => {
      const a = analyse(
        {
          "src/index.js": `async function list() { ${TWO} return new Response(); }
async function one() { ${ONE} return new Response(); }
export default { async fetch(request) {
  const routes = { "/list": list, "/one": one };
  const handler = request.method === "GET" ? routes[new URL(request.url).pathname] : ${nullish};
  if (handler) return handler(request);
  return new Response("none");
} };`,
        },
        { main: "src/index.js" },
      );
      assert.equal(a.roundTrips, 2);
      assert.equal(statusOf(a), "SUCCESS");
      assert.match(
        reasons(a),
        /handler\(\.\.\.\) \(index\.js:6\) runs one of 2 entries of a route table, each a path: the worst is \/list \(2 round trips\)/,
      );
    });
  }

  it("the nullish side first (`c ? null : table[path]`) in TypeScript: the same", () => {
    const a = analyse({
      "src/index.ts": `type H = (r: Request) => Promise<Response>;
const routes: Record<string, H> = { "/a": async () => { ${TWO} return new Response(); } };
export default { async fetch(request: Request) {
  const handler = request.method !== "GET" ? null : routes[new URL(request.url).pathname];
  return handler ? handler(request) : new Response("none");
} };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a choice between an unresolved call and `undefined` is unresolved, never nothing", () => {
    const a = analyse(
      {
        "src/index.js": `function pick(table, key) { return table[key]; }
async function list(request, db) { return Response.json(await db.select().from("t")); }
export default { async fetch(request, env) {
  const handler = request.method === "GET" ? pick({ "/list": list }, new URL(request.url).pathname) : undefined;
  if (handler) return handler(request, env.CLIENT);
  return new Response("none");
} };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(reasons(a), /handler\(\.\.\.\) calls what `request\.method === "GET" \? pick\(/);
    assert.match(reasons(a), /cannot resolve to a function: its round trips cannot be seen \(index\.js:5\)/);
  });

  it("a platform global beside `undefined` (`deps.fetch ?? undefined ?? fetch`) stays the classifier's", () => {
    const a = analyse({
      "src/index.ts": `export default { async fetch(request: Request) {
  const get = (globalThis as { f?: typeof fetch }).f ?? undefined ?? fetch;
  await get("https://a.example.com/x");
  return new Response();
} };`,
    });
    assert.doesNotMatch(reasons(a), /cannot resolve to a function/);
  });
});
