import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { predict } from "../../server/src/core/predict/predict";
import { one, statusOf } from "./helpers/analyse";

describe("today's platform and the 2024 rules", () => {
  it("a fetch handler that sends no subrequest at all: NO_VALID_HOSTS, not INSUFFICIENT_SUBREQUESTS with 0", () => {
    const a = one(`export default { async fetch() { return new Response("hello"); } };`);
    assert.deepEqual(predict(a, { targeted: false, d1Bindings: [] }), {
      status: "NO_VALID_HOSTS",
      platformRules: "current",
      assume: "likely",
      roundTrips: 0,
      backends: [],
      reasons: ["the fetch handler does not send subrequests to back-end services"],
    });
  });

  it("INSUFFICIENT_SUBREQUESTS means a valid back end is reached, but not twice in sequence", () => {
    const a = one(`export default { async fetch() { await fetch("https://db.example.com/1"); return new Response(); } };`);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("SUCCESS today says the Worker runs where expected duration is lowest, which may be near the user", () => {
    const a = one(
      `export default { async fetch() { await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2"); return new Response(); } };`,
    );
    const today = predict(a, { targeted: false, d1Bindings: [] });
    assert.match(today.reasons[1] ?? "", /^today's platform then runs the Worker where expected request duration is lowest/);
    assert.deepEqual(predict(a, { targeted: false, d1Bindings: [], platformRules: "2024" }).reasons, [
      "two sequential round trips to db.example.com in the fetch handler",
    ]);
  });

  it("a rule that needs a fetch handler never fires without one: a queue-only Worker wrapped in withSentry with a D1 binding", () => {
    const a = one(
      `import * as Sentry from "@sentry/cloudflare";\nexport default Sentry.withSentry((env) => ({ dsn: env.DSN }), { async queue(batch, env) { await env.DB.prepare("x").run(); } });`,
      { bindings: { d1: ["DB"] }, platformRules: "2024" },
    );
    assert.deepEqual(
      a.handlers.map((h) => h.kind),
      ["queue"],
    );
    assert.equal(statusOf(a, ["DB"], false, "2024"), "NO_FETCH_HANDLER");
  });
});
