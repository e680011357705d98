import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";

/**
 * Requests started and kept in a new array (`push`, `unshift`, `list[i] = p`, an array literal),
 * with awaited local work between them, then awaited together: they are in flight together, one
 * wave. An awaited back-end call between them splits them; a use of the array ends the run.
 */

const handler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request, env, ctx) {\n${body}\nreturn new Response("ok"); } };`;
const SIGN = `const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("k"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(request.url));`;

for (const ext of ["ts", "js"] as const) {
  const count = (body: string, head = ""): WorkerAnalysis =>
    analyse({ [`src/index.${ext}`]: handler(body, head) }, { main: `src/index.${ext}`, bindings: { kv: ["KV"] } });

  describe(`promises kept in an array overlap across awaited local work (${ext})`, () => {
    it("push, an awaited HMAC signature, a push behind an if, then Promise.all: one wave", () => {
      const a = count(`const checks = [];
checks.push(fetch("https://api.example.com/a"));
${SIGN}
if (request.method === "POST") { checks.push(fetch("https://api.example.com/b", { headers: { sig: String(sig) } })); }
const results = await Promise.all(checks);`);
      assert.equal(a.roundTrips, 1);
      assert.equal(a.subrequests.filter((s) => s.criticalPath).length, 2);
    });

    it("an if whose block awaits local work before it pushes: still one wave", () => {
      const a = count(`const checks = [];
checks.push(fetch("https://api.example.com/a"));
if (request.method === "POST") {
  ${SIGN}
  checks.push(fetch("https://api.example.com/b", { headers: { sig: String(sig) } }));
}
await Promise.all(checks);`);
      assert.equal(a.roundTrips, 1);
    });

    it("a KV read between the starts is no back end: one wave, then a later call: two", () => {
      const a = count(`const tasks = [];
tasks[0] = fetch("https://api.example.com/a");
const cached = await env.KV.get("k");
tasks.unshift(fetch("https://api.example.com/b?" + cached));
await Promise.allSettled(tasks);
await fetch("https://api.example.com/c");`);
      assert.equal(a.roundTrips, 2);
    });

    it("awaited one by one in a loop, or by for await, after they are all started: one wave", () => {
      for (const join of ["for (const t of tasks) await t;", "for await (const r of tasks) r.status;"]) {
        const a = count(`const tasks = [];
tasks.push(fetch("https://api.example.com/a"));
const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(request.url));
tasks.push(fetch("https://api.example.com/b"));
${join}`);
        assert.equal(a.roundTrips, 1, join);
      }
    });

    it("an array literal of started calls, local work awaited, then a push and Promise.all: one wave", () => {
      const a = count(`const lookups = [fetch("https://api.example.com/a"), fetch("https://api.example.com/b")];
${SIGN}
lookups.push(fetch("https://api.example.com/c"));
await Promise.all(lookups);`);
      assert.equal(a.roundTrips, 1);
    });
  });

  describe(`what still splits the requests kept in an array (${ext})`, () => {
    it("an awaited back-end call between the starts: the one started after it is a later wave", () => {
      const a = count(`const checks = [];
checks.push(fetch("https://api.example.com/a"));
const token = await fetch("https://auth.example.com/token");
checks.push(fetch("https://api.example.com/b", { headers: { t: token.status } }));
await Promise.all(checks);`);
      assert.equal(a.roundTrips, 2);
    });

    it("a request started after an awaited round trip follows it, local work or not", () => {
      const a = count(`const session = await fetch("https://auth.example.com/session");
const checks = [];
checks.push(fetch("https://api.example.com/a"));
${SIGN}
checks.push(fetch("https://api.example.com/b"));
await Promise.all(checks);`);
      assert.equal(a.roundTrips, 2);
    });

    it("the array awaited before the next push: two waves", () => {
      const a = count(`const checks = [];
checks.push(fetch("https://api.example.com/a"));
await Promise.all(checks);
${SIGN}
checks.push(fetch("https://api.example.com/b"));
await Promise.all(checks);`);
      assert.equal(a.roundTrips, 2);
    });

    it("an array named under another name before the push: the wait may be there, the runs stay apart", () => {
      const a = count(`const checks = [];
const same = checks;
checks.push(fetch("https://api.example.com/a"));
await same[0];
checks.push(fetch("https://api.example.com/b"));
await Promise.all(checks);`);
      assert.equal(a.roundTrips, 2);
    });

    it("promises kept on an object's field, or in a list the function did not make, are not followed: the runs stay apart", () => {
      const field = count(`const state = { pending: [] };
state.pending.push(fetch("https://api.example.com/a"));
${SIGN}
state.pending.push(fetch("https://api.example.com/b"));
await Promise.all(state.pending);`);
      assert.equal(field.roundTrips, 2);
      const given = count(
        `const list = [];
await start(list);
await Promise.all(list);`,
        `async function start(list) {
  list.push(fetch("https://api.example.com/a"));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("x"));
  list.push(fetch("https://api.example.com/b"));
}`,
      );
      assert.equal(given.roundTrips, 2);
    });

    it("a test that calls a project function before a push ends the run there", () => {
      const a = count(
        `const checks = [];
checks.push(fetch("https://api.example.com/a"));
if (ready()) checks.push(fetch("https://api.example.com/b"));
${SIGN}
checks.push(fetch("https://api.example.com/c"));
await Promise.all(checks);`,
        `function ready() { return true; }`,
      );
      assert.equal(a.roundTrips, 2);
    });
  });
}
