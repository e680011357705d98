import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, one } from "./helpers/analyse";

/** The hosts of the worst path's steps, in order. */
const order = (a: WorkerAnalysis): string[] =>
  a.criticalSteps.filter((s) => s.possible > 0).map((s) => s.subrequests.map((r) => r.target ?? "?").join("+"));

const hono = (
  middleware: string,
  handler = `async (c) => { await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2"); return c.text(""); }`,
) => `import { Hono } from "hono";\nconst app = new Hono();\napp.use("*", ${middleware});\napp.get("/x", ${handler});\nexport default app;`;

describe("a middleware's next() runs the rest of the route's chain", () => {
  it("Hono: a path that answers without calling next() does not add the handler", () => {
    const a = one(
      hono(`async (c, next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) { await fetch("https://audit.example.com/denied"); return c.json({}, 401); }
  await next();
}`),
    );
    // Passing: auth, then the handler's two; refusing: auth, audit. Not auth + audit + the handler (4).
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(order(a), ["auth.example.com", "db.example.com", "db.example.com"]);
  });

  it("Hono: the refusing path counts when it is the longer one", () => {
    const a = one(
      hono(
        `async (c, next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) { await fetch("https://audit.example.com/1"); await fetch("https://audit.example.com/2"); throw new Error("no"); }
  return next();
}`,
        `async (c) => { await fetch("https://db.example.com/1"); return c.text(""); }`,
      ),
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(order(a), ["auth.example.com", "audit.example.com", "audit.example.com"]);
  });

  it("Hono: work after `await next()` follows the handler's round trips", () => {
    const a = one(
      hono(`async (c, next) => {
  await fetch("https://auth.example.com/s");
  await next();
  await fetch("https://log.example.com/done");
}`),
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(order(a), ["auth.example.com", "db.example.com", "db.example.com", "log.example.com"]);
  });

  it("two middleware nest: the outer one's work after next() comes after the inner one's and the handler's", () => {
    const a = one(`import { Hono } from "hono";
const app = new Hono();
app.use("*", async (c, next) => { await next(); await fetch("https://log.example.com/after"); });
app.use("*", async (c, next) => { const u = await fetch("https://auth.example.com/u"); if (!u.ok) return c.text("no", 401); await next(); });
app.get("/x", async (c) => { await fetch("https://db.example.com/1"); return c.text(""); });
export default app;`);
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(order(a), ["auth.example.com", "db.example.com", "log.example.com"]);
  });

  it("a route's own middleware, and one registered twice, each run the rest where they call next()", () => {
    const a = one(`import { Hono } from "hono";
const app = new Hono();
const touch = async (c: any, next: any) => { await fetch("https://stats.example.com/hit"); await next(); };
const admin = async (c: any, next: any) => { const r = await fetch("https://auth.example.com/role"); if (!r.ok) return c.text("forbidden", 403); return next(); };
app.use("*", touch);
app.use("/x", touch);
app.get("/x", admin, async (c) => { await fetch("https://db.example.com/1"); return c.text(""); });
export default app;`);
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(order(a), ["stats.example.com", "stats.example.com", "auth.example.com", "db.example.com"]);
  });

  it("a next parameter of another name is known by its type (Next, NextFunction)", () => {
    const a = one(
      `import type { Next } from "hono";\n` +
        hono(`async (c: any, proceed: Next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) { await fetch("https://audit.example.com/denied"); return c.json({}, 401); }
  await proceed();
}`),
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(order(a), ["auth.example.com", "db.example.com", "db.example.com"]);
    // Handed on, it is not read: the handler follows every path of the middleware, as before.
    const handed = one(
      `import type { Next } from "hono";\n` +
        hono(`async (c: any, proceed: Next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) { await fetch("https://audit.example.com/denied"); return c.json({}, 401); }
  await timed(proceed);
}`) +
        `\nasync function timed(run: () => Promise<void>) { await run(); }`,
    );
    assert.equal(handed.roundTrips, 4);
  });

  it("a middleware that never calls next() ends every path there", () => {
    const a = one(
      hono(`async (c, next) => {
  await fetch("https://maintenance.example.com/status");
  return c.text("down for maintenance", 503);
}`),
    );
    assert.equal(a.roundTrips, 1);
    // The handler's calls are still listed as on the response path, as they were.
    assert.equal(a.subrequests.filter((s) => s.criticalPath).length, 3);
  });

  it("next handed on or called from a nested function: the rest follows the middleware, as before", () => {
    const passed = one(
      hono(`async (c, next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) return c.json({}, 401);
  await withTiming(next);
}`) + `\nasync function withTiming(run: () => Promise<void>) { await run(); }`,
    );
    assert.equal(passed.roundTrips, 3);
    const nested = one(
      hono(`async (c, next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) { await fetch("https://audit.example.com/x"); return c.json({}, 401); }
  await Promise.resolve().then(() => next());
}`),
    );
    // auth + audit, then the handler's two: today's sequencing.
    assert.equal(nested.roundTrips, 4);
  });

  it("Express: (req, res, next) — a refusal that sends a response ends the path", () => {
    const a = analyse({
      "src/index.ts": `import { httpServerHandler } from "cloudflare:node";
import express from "express";
const app = express();
app.use(async (req, res, next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) { await fetch("https://audit.example.com/denied"); res.status(401).send("no"); return; }
  next();
});
app.get("/x", async (req, res) => { await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2"); res.send(""); });
app.listen(3000);
export default httpServerHandler({ port: 3000 });`,
    });
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(order(a), ["auth.example.com", "db.example.com", "db.example.com"]);
  });

  it("Koa: (ctx, next) — a refusal that sets the status and returns ends the path", () => {
    const a = one(`import { httpServerHandler } from "cloudflare:node";
import { createServer } from "node:http";
import Koa from "koa";
const app = new Koa();
app.use(async (ctx, next) => {
  const s = await fetch("https://auth.example.com/s");
  if (!s.ok) { await fetch("https://audit.example.com/denied"); ctx.status = 401; return; }
  await next();
  await fetch("https://log.example.com/done");
});
app.use(async (ctx) => { await fetch("https://db.example.com/1"); ctx.body = "ok"; });
createServer(app.callback()).listen(8787);
export default httpServerHandler({ port: 8787 });`);
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(order(a), ["auth.example.com", "db.example.com", "log.example.com"]);
  });

  it("itty-router: route middleware has no next (its parameters are request, env, ctx): the handler still follows it", () => {
    const a = one(`import { AutoRouter } from "itty-router";
const router = AutoRouter();
const withUser = async (request: Request, env: any, ctx: any) => { await fetch("https://auth.example.com/s"); };
router.get("/x", withUser, async () => { await fetch("https://db.example.com/1"); return new Response(""); });
export default router;`);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(order(a), ["auth.example.com", "db.example.com"]);
  });

  it("grammY: a banned user is answered by the middleware and no command handler runs", () => {
    const a = one(`import { Bot, webhookCallback } from "grammy";
export default {
  async fetch(request: Request, env: { TOKEN: string }) {
    const bot = new Bot(env.TOKEN);
    bot.use(async (ctx, next) => {
      const u = await fetch("https://users.example.com/u");
      if ((await u.json()).banned) { await ctx.reply("no"); return; }
      await next();
    });
    bot.command("start", async (ctx) => { await fetch("https://db.example.com/1"); await ctx.reply("hi"); });
    return webhookCallback(bot, "cloudflare-mod")(request);
  },
};`);
    // getMe first (the bot is made per request without botInfo), then the lookup, the command's fetch and reply.
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(order(a), ["api.telegram.org", "users.example.com", "db.example.com", "api.telegram.org"]);
  });
});
