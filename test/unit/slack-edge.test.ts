import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

describe("slack-edge (Slack apps on Workers)", () => {
  for (const ext of ["ts", "js"] as const) {
    const t = (type: string) => (ext === "ts" ? type : "");
    it(`auth.test before the ack, the ack handler on the path, lazy listeners in waitUntil (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: `import { SlackApp } from "slack-edge";
export default {
  async fetch(request${t(": Request")}, env${t(": any")}, ctx${t(": ExecutionContext")}) {
    const app = new SlackApp({ env })
      .command(
        "/report",
        async () => { const r = await fetch("https://api.example.com/summary"); return r.text(); },
        async ({ context }) => {
          await fetch("https://api.example.com/slow");
          await context.client.chat.postMessage({ channel: "C1", text: "done" });
          await context.respond({ text: "ok" });
        },
      )
      .event("app_home_opened", async ({ context }) => {
        await context.client.views.publish({ user_id: "U1", view: { type: "home", blocks: [] } });
        await context.client.chat.postMessage({ channel: "C1", text: "hi" });
      });
    return await app.run(request, ctx);
  },
};`,
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(statusOf(a), "SUCCESS");
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(a.backends, [
        { host: "api.example.com", roundTrips: 1 },
        { host: "slack.com", roundTrips: 1 },
      ]);
      // The lazy listeners' calls are listed in waitUntil, off the response path.
      assert.equal(a.subrequests.filter((s) => s.waitUntil).length, 5);
      assert.equal(a.subrequests.filter((s) => s.criticalPath).length, 2);
    });
  }

  it("an app's own authorize is walked instead of auth.test; a barrel re-exporting slack-edge is followed", () => {
    const a = analyse({
      "src/slack.ts": `export * from "slack-edge";\nexport const unused = 1;`,
      "src/index.ts": `import { SlackApp } from "./slack";
export default {
  async fetch(request: Request, env: any, ctx: ExecutionContext) {
    const app = new SlackApp({
      env,
      authorize: async () => {
        const r = await fetch("https://tokens.example.com/bot");
        return { botToken: await r.text(), botScopes: [], userScopes: [] };
      },
    });
    app.message("hello", async ({ context }) => { await context.say({ text: "hi" }); });
    return app.run(request, ctx);
  },
};`,
    });
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.backends, [{ host: "tokens.example.com", roundTrips: 1 }]);
  });

  it("registering listeners runs nothing: an event app with only lazy listeners is auth.test alone", () => {
    const a = analyse({
      "src/index.ts": `import { SlackApp } from "slack-cloudflare-workers";
export default {
  async fetch(request: Request, env: any, ctx: ExecutionContext) {
    const app = new SlackApp({ env });
    app.event("reaction_added", async () => {
      await fetch("https://a.example.com/1");
      await fetch("https://a.example.com/2");
      await fetch("https://a.example.com/3");
    });
    return app.run(request, ctx);
  },
};`,
    });
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.backends, [{ host: "slack.com", roundTrips: 1 }]);
  });

  it("an unrelated class named SlackApp is not slack-edge's", () => {
    const a = analyse({
      "src/index.ts": `class SlackApp { constructor(_o: unknown) {} event(_n: string, f: () => Promise<void>) { return f; } async run(_r: Request) { return new Response("x"); } }
export default {
  async fetch(request: Request) {
    const app = new SlackApp({});
    await app.event("x", async () => { await fetch("https://b.example.com/1"); })();
    return app.run(request);
  },
};`,
    });
    assert.equal(
      a.backends.some((b) => b.host === "slack.com"),
      false,
    );
  });
});

describe("slack-edge middleware and authorize-free events", () => {
  it("use() middleware runs before the ack; app_uninstalled skips the authorize (no auth.test)", () => {
    const a = analyse({
      "src/index.ts": `import { SlackApp } from "slack-edge";
export default {
  async fetch(request: Request, env: any, ctx: ExecutionContext) {
    const app = new SlackApp({ env })
      .use(async () => { await fetch("https://audit.example.com/log"); })
      .event("app_uninstalled", async () => {});
    return app.run(request, ctx);
  },
};`,
    });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.backends, [{ host: "audit.example.com", roundTrips: 1 }]);
  });
});
