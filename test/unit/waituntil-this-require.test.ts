import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one } from "./helpers/analyse";
import { predict } from "../../server/src/core/predict/predict";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";

/** Shapes of real Workers a third hand-judged evaluation found the analysis missing. */

const prediction = (a: WorkerAnalysis) => predict(a, { targeted: false, d1Bindings: [] });

describe("back-end work handed to waitUntil is said, not silent", () => {
  it("no back end on the response path, two in waitUntil: NO_VALID_HOSTS, and the reasons name them", () => {
    const a = one(`export default { async fetch(request: Request, env: any, ctx: any) {
  ctx.waitUntil((async () => {
    await fetch("https://api.example.com/answer", { method: "POST" });
    await fetch("https://chat.example.net/send", { method: "POST" });
  })());
  return new Response("ok");
} };`);
    const p = prediction(a);
    assert.equal(p.status, "NO_VALID_HOSTS");
    assert.equal(p.roundTrips, 0);
    assert.deepEqual(p.reasons, [
      "the fetch handler does not send subrequests to back-end services",
      "two round trips to api.example.com, chat.example.net run in waitUntil after the response: they do not delay it, so placement is not predicted to help",
    ]);
  });

  it("one back end on the path and one in waitUntil: INSUFFICIENT_SUBREQUESTS, the waitUntil one said", () => {
    const a = one(`export default { async fetch(request: Request, env: any, ctx: any) {
  const r = await fetch("https://api.example.com/item");
  ctx.waitUntil(fetch("https://audit.example.org/log", { method: "POST", body: "x" }));
  return r;
} };`);
    const p = prediction(a);
    assert.equal(p.status, "INSUFFICIENT_SUBREQUESTS");
    assert.deepEqual(p.reasons, [
      "one sequential round trip to api.example.com in the fetch handler",
      "one round trip to audit.example.org runs in waitUntil after the response: it does not delay it, so placement is not predicted to help",
    ]);
  });

  it("nothing in waitUntil: the reason stays alone", () => {
    const p = prediction(one(`export default { async fetch() { return new Response("ok"); } };`));
    assert.deepEqual(p.reasons, ["the fetch handler does not send subrequests to back-end services"]);
  });
});

describe("this.method() inside an exported handler object", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`the handler's helper method is walked (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: `export default {
  async fetch(request, env) {
    await this.handle(env);
    return new Response("ok");
  },
  async handle(env) {
    await fetch("https://api.example.com/a");
    await fetch("https://api.example.com/b");
  },
};`,
        },
        { main: `src/index.${ext}` },
      );
      assert.deepEqual(
        a.subrequests.map((s) => [s.target, s.criticalPath]),
        [
          ["api.example.com", true],
          ["api.example.com", true],
        ],
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.unknowns, []);
      assert.equal(prediction(a).status, "SUCCESS");
    });
  }
});

describe("CommonJS require() at the top of a module reads like an import", () => {
  it("const { Hono } = require('hono'): the app's routes are walked", () => {
    const a = analyse(
      {
        "src/index.js": `const { Hono } = require("hono");
const app = new Hono();
app.get("/", async (c) => {
  await fetch("https://api.example.com/a");
  await fetch("https://api.example.com/b");
  return c.json({});
});
export default app;`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
    assert.equal(prediction(a).status, "SUCCESS");
  });

  it("const Stripe = require('stripe') and require('stripe').Stripe make Stripe clients", () => {
    const a = analyse(
      {
        "src/index.js": `const Stripe = require("stripe");
const OpenAI = require("openai").OpenAI;
export default {
  async fetch(request, env) {
    const stripe = new Stripe(env.KEY);
    await stripe.customers.create({});
    await new OpenAI({ apiKey: env.OPENAI }).chat.completions.create({});
    return new Response("ok");
  },
};`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.category]),
      [
        ["api.stripe.com", "backend"],
        ["api.openai.com", "backend"],
      ],
    );
    assert.equal(a.roundTrips, 2);
  });
});

describe("a method called with no arguments is no request hand-off", () => {
  it("handler.handle() on an instance made from a parsed email is not taken for a fetch handler made by the parser", () => {
    const a = one(`import PostalMime from "postal-mime";
class Summary {
  constructor(private email: unknown) {}
  async handle() { await fetch("https://llm.example.com/summarize"); }
}
const handlers: Record<string, typeof Summary> = { summary: Summary };
async function dispatch(email: unknown, kind: string) {
  const Handler = handlers[kind] ?? Summary;
  const handler = new Handler(email);
  await handler.handle();
}
export default {
  async fetch(request: Request, env: any) { await this.answer(env); return new Response("ok"); },
  async answer(env: any) { await fetch("https://api.example.com/answer"); },
  async email(message: any, env: any) { const email = await PostalMime.parse(message.raw); await dispatch(email, "summary"); },
};`);
    const p = prediction(a);
    assert.equal(p.status, "INSUFFICIENT_SUBREQUESTS", p.reasons.join("; "));
    assert.deepEqual(p.reasons, ["one sequential round trip to api.example.com in the fetch handler"]);
  });
});
