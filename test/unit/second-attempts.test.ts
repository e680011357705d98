import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";

/**
 * A request written out a second time, reached only when the first one's response was found
 * unsuccessful, to the same target (the same URL, the same host, or the same base): another
 * attempt of the first request, listed but not counted after it (see retries.ts). Requests on a
 * usual path (after a success, after a cache miss, after a response nobody tests) still count.
 */

const handler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request, env, ctx) {\n${body}\nreturn new Response("ok"); } };`;
const hosts = (a: WorkerAnalysis): Record<string, number> => Object.fromEntries(a.backends.map((b) => [b.host, b.roundTrips]));
const steps = (a: WorkerAnalysis): string[] => a.criticalSteps.filter((s) => s.possible > 0).map((s) => [...s.hosts.keys()].join(" "));

function run(ext: "ts" | "js", body: string, head = ""): WorkerAnalysis {
  return analyse({ [`src/index.${ext}`]: handler(body, head) }, { main: `src/index.${ext}` });
}

describe("a second attempt after a failed response counts with the first", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`falls through a success branch that returns only when the body has a token: one exchange (${ext})`, () => {
      const a = run(
        ext,
        `const token = await exchange("https://login.example.com/token", "c");
await fetch("https://api.example.com/me", { headers: { authorization: "Bearer " + token } });`,
        `async function exchange(url, code) {
  const first = await fetch(url, { method: "POST", body: "code=" + code });
  if (first.ok) {
    const granted = await first.json();
    if (granted.access_token) return granted.access_token;
  }
  const second = await fetch(url, { method: "POST", headers: { authorization: "Basic x" }, body: "code=" + code });
  return (await second.json()).access_token;
}`,
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(hosts(a), { "login.example.com": 1, "api.example.com": 1 });
      assert.equal(a.subrequests.length, 3);
      // Both attempts are listed; the path is the exchange, then the profile.
      assert.deepEqual(steps(a), ["login.example.com", "api.example.com"]);
    });

    it(`another path of the same host written out, after a success branch that returns: one attempt (${ext})`, () => {
      const a = run(
        ext,
        `const byId = await fetch("https://dir.example.com/users/1");
if (byId.ok) {
  const user = await byId.json();
  if (user.active) return Response.json(user);
}
const archived = await fetch("https://dir.example.com/archive/1");
return new Response(archived.body);`,
      );
      assert.equal(a.roundTrips, 1);
      assert.deepEqual(hosts(a), { "dir.example.com": 1 });
    });

    it(`another path on the same base variable inside if (!res.ok): one attempt (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(`const current = await fetch(\`\${env.AUTH_BASE}/oauth2/token\`, { method: "POST", body: "a" });
if (!current.ok) {
  const legacy = await fetch(\`\${env.AUTH_BASE}/oauth/token\`, { method: "POST", body: "a" });
  return new Response(legacy.body);
}`),
        },
        { main: `src/index.${ext}`, vars: { AUTH_BASE: "https://auth.example.net" } },
      );
      assert.equal(a.roundTrips, 1);
      assert.deepEqual(hosts(a), { "auth.example.net": 1 });
    });

    it(`the same URL inside if (res.status !== 200): one attempt (${ext})`, () => {
      const a = run(
        ext,
        `const first = await fetch("https://rates.example.com/latest");
if (first.status !== 200) {
  const again = await fetch("https://rates.example.com/latest", { headers: { "cache-control": "no-cache" } });
  return new Response(again.body);
}`,
      );
      assert.equal(a.roundTrips, 1);
    });

    it(`after a try whose success returns, another path of the same host: one attempt (${ext})`, () => {
      const a = run(
        ext,
        `try {
  const sent = await fetch("https://events.example.com/ingest", { method: "POST", body: "e" });
  if (sent.ok) return new Response("sent");
} catch (error) {
  console.warn(error);
}
await fetch("https://events.example.com/ingest/v2", { method: "POST", body: "e" });`,
      );
      assert.equal(a.roundTrips, 1);
    });
  }
});

describe("a second request on a usual path still counts", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`inside the success branch (${ext})`, () => {
      const a = run(
        ext,
        `const repo = await fetch("https://git.example.com/repos/a");
if (repo.ok) await fetch("https://git.example.com/repos/a/readme");`,
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(steps(a), ["git.example.com", "git.example.com"]);
    });

    it(`another host after a cache miss: the success branch returns, but a miss is usual (${ext})`, () => {
      const a = run(
        ext,
        `const cached = await fetch("https://cache.example.com/page");
if (cached.ok) {
  const body = await cached.text();
  if (body) return new Response(body);
}
const origin = await fetch("https://origin.example.com/page");
return new Response(origin.body);`,
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(hosts(a), { "cache.example.com": 1, "origin.example.com": 1 });
    });

    it(`the first response's status is not tested (${ext})`, () => {
      const a = run(
        ext,
        `const summary = await fetch("https://stats.example.com/items/1");
const detail = await fetch("https://stats.example.com/items/1", { headers: { accept: "application/x-detail" } });
return new Response(String(summary.status + detail.status));`,
      );
      assert.equal(a.roundTrips, 2);
    });

    it(`a success branch that does not return: the second request runs after a success too (${ext})`, () => {
      const a = run(
        ext,
        `let data = null;
const first = await fetch("https://api.example.com/a");
if (first.ok) {
  data = await first.json();
}
const second = await fetch("https://api.example.com/b");
return Response.json({ data, more: await second.json() });`,
      );
      assert.equal(a.roundTrips, 2);
    });
  }
});
