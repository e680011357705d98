import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { predict } from "../../server/src/core/predict/predict";
import { analyse, statusOf } from "./helpers/analyse";

const ONE = `await fetch("https://a.example.com/1");`;
const TWO = `await fetch("https://a.example.com/1"); await fetch("https://b.example.net/2");`;
const THREE = `${TWO} await fetch("https://c.example.org/3");`;

const reasons = (a: ReturnType<typeof analyse>): string =>
  predict(a, { targeted: false, d1Bindings: [], platformRules: "current" }).reasons.join(" | ");

describe("route tables read with a fallback", () => {
  it("`routes[path] ?? fallback` in a router factory given its table and fallback: each is a path", () => {
    const a = analyse({
      "src/routes.ts": `type H = (r: Request) => Promise<Response>;
export const trigger: H = async () => { ${TWO} return new Response(); };
export const status: H = async () => { ${ONE} return new Response(); };
export const route = (routes: Record<string, H>, fallback: H): H => (request) => {
  const handler = routes[new URL(request.url).pathname] ?? fallback;
  return handler(request);
};`,
      "src/index.ts": `import { route, status, trigger } from "./routes";
const router = route({ "/trigger": trigger }, status);
export default { async fetch(request: Request) { return router(request); } };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
    assert.match(
      reasons(a),
      /handler\(\.\.\.\) \(routes\.ts:6\) runs one of 2 entries of a route table, each a path: the worst is \/trigger \(2 round trips\)/,
    );
    assert.doesNotMatch(reasons(a), /cannot resolve to a function/);
  });

  it("the factory's fallback can be the worst path", () => {
    const a = analyse({
      "src/index.ts": `type H = (r: Request) => Promise<Response>;
const small: H = async () => { ${ONE} return new Response(); };
const notFound: H = async () => { ${THREE} return new Response(); };
const route = (routes: Record<string, H>, fallback: H): H => (request) => (routes[new URL(request.url).pathname] || fallback)(request);
const router = route({ "/s": small }, notFound);
export default { async fetch(request: Request) { return router(request); } };`,
    });
    assert.equal(a.roundTrips, 3);
  });

  it("`(routes[path] || notFound)(request)` called in place, TS and JS: the entries and the fallback", () => {
    for (const [main, types] of [
      ["src/index.ts", ": Request"],
      ["src/index.js", ""],
    ] as const) {
      const a = analyse(
        {
          [main]: `const routes = { "/a": async () => { ${ONE} return new Response(); }, "/b": async () => { ${TWO} return new Response(); } };
async function notFound() { return new Response("", { status: 404 }); }
export default { async fetch(request${types}) { return (routes[new URL(request.url).pathname] || notFound)(request); } };`,
        },
        { main },
      );
      assert.equal(a.roundTrips, 2, main);
      assert.equal(statusOf(a), "SUCCESS", main);
      assert.match(
        reasons(a),
        /\(routes\[new URL\(request\.url\)\.pathname\] \|\| notFound\)\(\.\.\.\) \(index\.[jt]s:3\) runs one of 3 entries/,
      );
    }
  });

  it("a fallback the analyser cannot read keeps the call unknown", () => {
    const a = analyse({
      "src/index.ts": `type H = (r: Request) => Promise<Response>;
const small: H = async () => { ${ONE} return new Response(); };
export function route(routes: Record<string, H>, fallback: H): H { return (request) => { const handler = routes[new URL(request.url).pathname] ?? fallback; return handler(request); }; }
export default { async fetch(request: Request, env: { PICK: H }) { return route({ "/s": small }, env.PICK)(request); } };`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
  });
});
