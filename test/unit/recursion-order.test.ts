import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/**
 * A function walked inside a cycle (a -> b -> a) counts nothing for the call back to the function
 * in progress. That partial outcome must not be reused when another route calls it: the count of a
 * path is the same whichever route is walked first.
 */

const HELPERS = `export async function a(n: number): Promise<void> { await fetch("https://a.example.com/x"); if (n > 0) await b(n - 1); }
export async function b(n: number): Promise<void> { await fetch("https://b.example.com/x"); if (n > 0) await a(n - 1); }`;

const entry = (first: "a" | "b"): string => `import { a, b } from "./lib";
export default { async fetch(request: Request) { const url = new URL(request.url);
  if (url.pathname === "/first") { await ${first}(2); return new Response("1"); }
  await b(2); await fetch("https://c.example.com/1"); await fetch("https://c.example.com/2"); return new Response("2"); } };`;

const count = (first: "a" | "b"): number | null =>
  analyse({ "src/lib.ts": HELPERS, "src/index.ts": entry(first) }, { main: "src/index.ts" }).roundTrips;

describe("a function walked inside a cycle", () => {
  it("counts the cycle whole for a later route whichever helper the first route enters", () => {
    assert.equal(count("a"), 4);
    assert.equal(count("b"), 4);
  });

  it("a self-recursive helper still counts once per call", () => {
    const n = analyse(
      {
        "src/index.ts": `async function crawl(n: number): Promise<void> { await fetch("https://a.example.com/" + n); if (n > 0) await crawl(n - 1); }
export default { async fetch() { await crawl(3); await crawl(1); return new Response("ok"); } };`,
      },
      { main: "src/index.ts" },
    ).roundTrips;
    assert.equal(n, 2);
  });
});
