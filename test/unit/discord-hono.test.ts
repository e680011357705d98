import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

const routesOf = (a: ReturnType<typeof analyse>) =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route ?? null, h.roundTrips]);

describe("discord-hono (Discord HTTP interactions)", () => {
  for (const ext of ["ts", "js"] as const) {
    const t = (type: string) => (ext === "ts" ? type : "");
    it(`each registration of a chained app is a path; c.rest is a round trip to discord.com, c.res is the response (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: `import { DiscordHono } from "discord-hono";
const app = new DiscordHono${t("<{ Bindings: { DB: D1Database } }>")}()
  .command("sync", async (c) => {
    const res = await fetch("https://api.example.com/state");
    await c.rest("POST", "/channels/{channel.id}/messages", ["1"], { content: await res.text() });
    return c.res("Synced");
  })
  .command("ping", (c) => c.ephemeral().res("Pong"))
  .component("open", (c) => c.update().res("Opened"))
  .modal("form", async (c) => { await c.followup("Thanks"); return c.res("Saved"); });
export default app;`,
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(statusOf(a), "SUCCESS");
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.backends, [
        { host: "api.example.com", roundTrips: 1 },
        { host: "discord.com", roundTrips: 1 },
      ]);
      assert.deepEqual(routesOf(a), [
        ["POST interactions command sync", 2],
        ["POST interactions command ping", 0],
        ["POST interactions component open", 0],
        ["POST interactions modal form", 1],
      ]);
    });
  }

  it("autocomplete(name, complete, handler): the suggestions and the command are two paths", () => {
    const a = analyse({
      "src/index.ts": `import { DiscordHono } from "discord-hono";
const app = new DiscordHono();
app.autocomplete(
  "city",
  async (c) => c.resAutocomplete(await (await fetch("https://geo.example.com/cities")).json()),
  async (c) => { await fetch("https://weather.example.com/1"); await fetch("https://weather.example.com/2"); return c.res("ok"); },
);
export default app;`,
    });
    assert.deepEqual(routesOf(a), [
      ["POST interactions autocomplete city", 1],
      ["POST interactions command city", 2],
    ]);
    assert.equal(a.roundTrips, 2);
  });

  it("c.resDefer(callback): the callback is off the response path", () => {
    const a = analyse({
      "src/index.ts": `import { DiscordHono } from "discord-hono";
export default new DiscordHono().command("report", (c) =>
  c.update().resDefer(async (c) => {
    await fetch("https://stats.example.com/a");
    await fetch("https://stats.example.com/b");
    await c.followup("done");
  }),
);`,
    });
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(routesOf(a), [["POST interactions command report", 0]]);
    assert.deepEqual(
      a.subrequests.map((s) => `${s.target}:${s.waitUntil ? "waitUntil" : "path"}`),
      ["stats.example.com:waitUntil", "stats.example.com:waitUntil", "discord.com:waitUntil"],
    );
  });

  it("createRest(token): calling the REST function it returns is a round trip to discord.com", () => {
    const a = analyse({
      "src/index.ts": `import { createRest } from "discord-hono";
export default {
  async fetch(request: Request, env: { DISCORD_TOKEN: string }) {
    const rest = createRest(env.DISCORD_TOKEN);
    await rest("GET", "/users/@me");
    await rest("POST", "/channels/{channel.id}/messages", ["1"], { content: "hi" });
    return new Response("ok");
  },
};`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.backends, [{ host: "discord.com", roundTrips: 2 }]);
  });

  it("an app whose handlers are registered where they cannot be found: UNKNOWN naming discord-hono, never nothing", () => {
    const a = analyse({
      "src/index.ts": `import { DiscordHono } from "discord-hono";
import { registerAll } from "bot-kit";
const app = new DiscordHono();
registerAll(app);
export default app;`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.ok(
      a.unknowns.some((u) => u.includes("the handlers of the discord-hono app new DiscordHono() could not be found")),
      a.unknowns.join("; "),
    );
  });
});
