import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Code only other handlers reach (a cron's, a Workflow's run, a Durable Object's methods) is
 * theirs: listed off the fetch path, not lost wiring that would make the prediction UNKNOWN.
 */

const NOTIFY = `export async function notifySlack(text) { await fetch("https://hooks.example-chat.com/notify", { method: "POST", body: text }); }
export function notifiers(text) { return [() => notifySlack(text)]; }`;
const LOST =
  "no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (notify.js:1): how it is called could not be followed";

const cronEntry = (fetchBody: string, from = "./notify.js", head = ""): string =>
  `import { notifiers } from "${from}";\n${head}
export default {
  async fetch(request, env, ctx) { ${fetchBody} return new Response(await env.KV.get("status")); },
  async scheduled(controller, env, ctx) { const jobs = notifiers("changed"); ctx.waitUntil(Promise.all(jobs.map((job) => job()))); },
};`;

describe("code only other handlers reach", () => {
  it("a notifier a cron's code puts in a list it runs is the cron's, even with a module that cannot be read", () => {
    const a = analyse(
      { "src/index.js": cronEntry("", "./notify.js", `import { files } from "./generated/files.js";`), "src/notify.js": NOTIFY },
      { main: "src/index.js", bindings: { kv: ["KV"] } },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    const notify = a.subrequests.find((s) => s.target === "hooks.example-chat.com");
    assert.ok(notify);
    assert.equal(notify.criticalPath, false);
    assert.equal(notify.waitUntil, false);
  });

  it("when the fetch handler refers to the same list too, the notifier stays unfollowed wiring", () => {
    const a = analyse(
      {
        "src/index.js": cronEntry(`const jobs = notifiers("seen"); ctx.waitUntil(Promise.all(jobs.map((job) => job())));`),
        "src/notify.js": NOTIFY,
      },
      { main: "src/index.js", bindings: { kv: ["KV"] } },
    );
    assert.deepEqual(a.unknowns, [LOST]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("an `export *` barrel is followed to its importers: the notifier is the cron's", () => {
    const a = analyse(
      { "src/index.js": cronEntry("", "./lib.js"), "src/lib.js": `export * from "./notify.js";`, "src/notify.js": NOTIFY },
      { main: "src/index.js", bindings: { kv: ["KV"] } },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a barrel imported dynamically may have users not indexed: not taken for the cron's", () => {
    const a = analyse(
      {
        "src/index.js": cronEntry("", "./lib.js", `export const later = () => import("./lib.js");`),
        "src/lib.js": `export * from "./notify.js";`,
        "src/notify.js": NOTIFY,
      },
      { main: "src/index.js", bindings: { kv: ["KV"] } },
    );
    assert.deepEqual(a.unknowns, [LOST]);
  });

  it("a helper the fetch path and a Durable Object both call: the object's unresolved host does not make the fetch path's call assumed", () => {
    const a = analyse({
      "src/index.ts": `import { DurableObject } from "cloudflare:workers";
async function probe(name: string) { return fetch(\`https://\${name}.example-probe.com/ping\`); }
export class Prober extends DurableObject { async check(name: string) { return (await probe(name)).ok; } }
export default { async fetch(request: Request, env: any) { await probe("eu"); return new Response("ok"); } };`,
    });
    const call = a.subrequests.find((s) => s.criticalPath);
    assert.ok(call);
    assert.equal(call.target, "eu.example-probe.com");
    assert.equal(call.assumed, undefined);
  });

  it("a Workflow's run() is walked: the clients it uses are listed off the fetch path", () => {
    const a = analyse(
      {
        "src/index.ts": `export { Relay } from "./relay";
export default { async fetch(request: Request, env: any) { await env.RELAY.create({ params: { q: 1 } }); return new Response(null, { status: 202 }); } };`,
        "src/relay.ts": `import { WorkflowEntrypoint } from "cloudflare:workers";
import { Model } from "./model";
export class Relay extends WorkflowEntrypoint<any, { q: number }> {
  async run(event: any, step: any) { await step.do("ask", async () => new Model("k").ask(event.payload.q)); }
}`,
        "src/model.ts": `export class Model {
  constructor(private key: string) {}
  async ask(q: number) { const r = await fetch("https://api.example-llm.com/v1/ask", { method: "POST", body: String(q) }); return r.json(); }
}`,
      },
      { bindings: { other: ["RELAY"] } },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    const ask = a.subrequests.find((s) => s.target === "api.example-llm.com");
    assert.ok(ask);
    assert.equal(ask.criticalPath, false);
  });
});
