import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/**
 * Failover loops: providers, API keys or mirrors tried in turn, the next only after one failed.
 * On the usual path the first attempt succeeds, so such a loop counts one attempt (as a retry
 * loop does); a loop that goes on after a success (collecting results) is still a loop.
 * Each case in TypeScript and JavaScript, counted after one fetch to a fixed host first.
 */

const handler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request, env, ctx) {\nawait fetch("https://first.example.com/check");\n${body}\nreturn new Response("ok"); } };`;

const count = (ext: "ts" | "js", body: string, head = ""): number | null =>
  analyse({ [`src/index.${ext}`]: handler(body, head) }, { main: `src/index.${ext}` }).roundTrips;

describe("failover loops count one attempt", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`for...of over keys: returns on res.ok, continues on 429/5xx (${ext})`, () => {
      const n = count(
        ext,
        `for (const key of env.KEYS.split(",")) {
  const r = await fetch("https://api.example.net/v1", { headers: { authorization: key } });
  if (r.ok) return r;
  if (r.status >= 500 || r.status === 429) continue;
  return r;
}`,
      );
      assert.equal(n, 2);
    });

    it(`for...of over providers: a bad status or a throw (catch) goes on, res.ok returns (${ext})`, () => {
      const n = count(
        ext,
        `let lastError;
for (const p of env.PROVIDERS.split(",")) {
  try {
    const r = await fetch(p);
    if (r.ok) return r;
    lastError = new Error("bad status " + r.status);
  } catch (e) {
    lastError = e;
    continue;
  }
}
throw lastError;`,
      );
      assert.equal(n, 2);
    });

    it(`a counter loop reading providers by index, leaving on result.success (${ext})`, () => {
      const n = count(
        ext,
        `const providers = JSON.parse(env.PROVIDERS);
for (let i = 0; i < providers.length; i++) {
  const result = await call(providers[i]);
  if (result.success) return new Response(result.body);
}`,
        `async function call(p) { const r = await fetch(p.url); return { success: r.ok, body: await r.text() }; }`,
      );
      assert.equal(n, 2);
    });

    it(`a loop that breaks on success after a failure continue (${ext})`, () => {
      const n = count(
        ext,
        `let body = null;
for (const mirror of env.MIRRORS.split(",")) {
  const r = await fetch(mirror);
  if (!r.ok) continue;
  body = await r.text();
  break;
}`,
      );
      assert.equal(n, 2);
    });
  }
});

describe("loops that go on after a success stay loops", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`collecting every feed, leaving early only on a failure (${ext})`, () => {
      const n = count(
        ext,
        `const items = [];
for (const feed of env.FEEDS.split(",")) {
  const r = await fetch(feed);
  if (!r.ok) return new Response("failed", { status: 502 });
  items.push(await r.json());
}`,
      );
      assert.equal(n, 3);
    });

    it(`collecting successes, leaving on a count, not on a success (${ext})`, () => {
      const n = count(
        ext,
        `const found = [];
for (const id of env.IDS.split(",")) {
  const r = await fetch("https://items.example.org/" + id);
  if (r.ok) {
    found.push(await r.json());
    if (found.length >= 3) return Response.json(found);
  }
}`,
      );
      assert.equal(n, 3);
    });

    it(`a poll on a condition that leaves on job.success (a flag read as success only over a list) (${ext})`, () => {
      const n = count(
        ext,
        `while (true) {
  const job = await (await fetch("https://jobs.example.org/status")).json();
  if (job.success) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}`,
      );
      assert.equal(n, 3);
    });

    it(`continue after a success, return on a failure (${ext})`, () => {
      const n = count(
        ext,
        `for (const url of env.URLS.split(",")) {
  const r = await fetch(url);
  if (r.ok) {
    ctx.passThroughOnException();
    continue;
  }
  return r;
}`,
      );
      assert.equal(n, 3);
    });
  }
});
