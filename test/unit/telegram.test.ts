import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** Telegram bots (grammY, Telegraf) served by a webhook: each handler is a request path after the middleware. */

const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

describe("Telegram bots behind a webhook", () => {
  it("a registrar of another module given the bot, in a Hono route: the route names the handler; ctx handed to a helper still sends", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";
import { Bot, webhookCallback } from "grammy";
import { register } from "./handlers";
const app = new Hono<{ Bindings: { TOKEN: string } }>();
app.post("/tg", (c) => {
  const bot = new Bot(c.env.TOKEN);
  register(bot);
  const handle = webhookCallback(bot, "std/http");
  return handle(c.req.raw);
});
export default app;`,
      "src/handlers.ts": `import type { Bot, Context } from "grammy";
async function answer(ctx: Context, text: string) { await ctx.reply(text); }
export function register(bot: Bot) {
  bot.hears(/ping/i, async (ctx) => { await fetch("https://status.example.com/ping"); await answer(ctx, "pong"); });
}`,
    });
    assert.deepEqual(a.unknowns, []);
    // The bot is made per request without botInfo: getMe, then the status fetch and the reply.
    assert.deepEqual(routes(a), [["POST /tg telegram hears /ping/i", 3]]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("the webhook callback exported by the bot's module and called where grammY is not imported", () => {
    const a = analyse({
      "src/index.ts": `import { handle } from "./bot";
export default { fetch(request: Request) { return handle(request); } };`,
      "src/bot.ts": `import { Bot, webhookCallback } from "grammy";
const bot = new Bot("token", { botInfo: {} as never });
bot.command("stats", async (ctx) => { const r = await fetch("https://stats.example.com/today"); await ctx.reply(await r.text()); });
export const handle = webhookCallback(bot, "cloudflare-mod");`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [['POST telegram command "stats"', 2]]);
  });

  it("a bot the analyser cannot resolve is UNKNOWN, never zero; reading the update sends nothing", () => {
    const a = analyse(
      {
        "src/index.js": `import { webhookCallback } from "grammy";
import { makeBot } from "some-bot-kit";
export default { fetch(request, env) { return webhookCallback(makeBot(env), "cloudflare-mod")(request); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join("; "), /Telegram bot given to webhookCallback/);
    const b = analyse(
      {
        "src/index.js": `import { Bot, webhookCallback } from "grammy";
export default { fetch(request, env) {
  const bot = new Bot(env.TOKEN);
  bot.on("message", async (ctx) => { const words = ctx.message.text.split(" "); if (ctx.has("::bot_command")) return; await ctx.api.sendChatAction(ctx.chat.id, "typing").catch(() => {}); await ctx.reply(words[0]); });
  return webhookCallback(bot, "cloudflare-mod")(request);
} };`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(b.unknowns, []);
    // getMe (a bot made per request without botInfo), the chat action, the reply.
    assert.equal(b.roundTrips, 3);
  });

  describe("getMe: a grammY bot asks for its identity before its first update", () => {
    const perRequest = (options: string) => `import { Bot, webhookCallback } from "grammy";
export default { async fetch(request: Request, env: { BOT_TOKEN: string; CHAT: string }) {
  const bot = new Bot(env.BOT_TOKEN${options});
  bot.on("message", async (ctx) => { await ctx.api.deleteMessage(ctx.chat.id, ctx.message.message_id); });
  return webhookCallback(bot, "cloudflare-mod")(request);
} };`;
    const telegram = (a: ReturnType<typeof analyse>) =>
      a.subrequests.filter((s) => s.target === "api.telegram.org").map((s) => [s.roundTripIndex, /getMe/.test(s.note ?? "")]);

    it("a bot made in the fetch handler without botInfo pays getMe on every request: one more round trip, before the handler", () => {
      const a = analyse({ "src/index.ts": perRequest("") });
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(routes(a), [['POST telegram on "message"', 2]]);
      // getMe (at the bot given to webhookCallback, line 5) runs first, then the handler's call (line 4).
      assert.deepEqual(telegram(a), [
        [2, false],
        [1, true],
      ]);
    });

    it("with botInfo in the options (here or through a name) it never asks: +0", () => {
      assert.equal(analyse({ "src/index.ts": perRequest(", { botInfo: JSON.parse(env.CHAT) }") }).roundTrips, 1);
      const b = analyse({
        "src/index.ts": perRequest(", options").replace("export default", "const options = { botInfo: {} as never };\nexport default"),
      });
      assert.equal(b.roundTrips, 1);
      // Options whose botInfo is not stated: only a literal without it counts.
      assert.equal(analyse({ "src/index.ts": perRequest(", { client: { timeoutSeconds: 5 } }") }).roundTrips, 2);
    });

    it("a bot at module scope, or kept in a module variable by a lazy factory, asks once per isolate: +0", () => {
      const a = analyse({
        "src/index.ts": `import { Bot, webhookCallback } from "grammy";
const bot = new Bot("token");
bot.on("message", async (ctx) => { await ctx.reply("hi"); });
export default { fetch(request: Request) { return webhookCallback(bot, "cloudflare-mod")(request); } };`,
      });
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 1);
      const b = analyse({
        "src/index.ts": `import { Bot, webhookCallback } from "grammy";
let bot: Bot | undefined;
function getBot(token: string): Bot {
  if (!bot) { bot = new Bot(token); bot.on("message", async (ctx) => { await ctx.reply("hi"); }); }
  return bot;
}
export default { fetch(request: Request, env: { TOKEN: string }) { return webhookCallback(getBot(env.TOKEN), "cloudflare-mod")(request); } };`,
      });
      assert.deepEqual(b.unknowns, []);
      assert.equal(b.roundTrips, 1);
    });
  });
});
