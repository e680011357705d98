import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Carbon's fetch adapter hands interactions to the context's waitUntil, but awaits the other routes
 * of the client before it answers: GET /deploy and the routes of its plugins (LinkedRoles).
 */

const ping = `class Ping extends Command { name = "ping"; async run(interaction) { await interaction.reply("Pong"); } }`;
const app = (options: string, extra = "", plugins = "") => ({
  "src/index.js": `import { Client, Command } from "@buape/carbon";
import { createHandler } from "@buape/carbon/adapters/fetch";
${extra}
${ping}
const client = new Client({ baseUrl: "https://bot.example.com", clientId: "1", publicKey: "k", token: "t", ${options} }, { commands: [new Ping()] }${plugins});
const handler = createHandler(client);
export default { fetch(request, env, ctx) { return handler(request, ctx); } };`,
});
const run = (files: Record<string, string>) => analyse(files, { main: "src/index.js" });
const routes = (a: ReturnType<typeof run>) =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => `${h.route ?? "?"}:${h.roundTrips ?? "?"}`);

describe("Carbon: routes the fetch adapter awaits", () => {
  it("GET /deploy with a deploy secret: reconcile reads the live commands, then three loops of requests", () => {
    const a = run(app(`deploySecret: "s"`));
    assert.equal(a.roundTrips, 7);
    assert.equal(statusOf(a), "SUCCESS");
    assert.deepEqual(a.backends, [{ host: "discord.com", roundTrips: 7 }]);
  });

  it("without a deploy secret no request passes the route's check; disableDeployRoute turns it off", () => {
    for (const options of ["", `deploySecret: "s", disableDeployRoute: true`]) {
      const a = run(app(options));
      assert.equal(a.roundTrips, 0, options);
      assert.equal(statusOf(a), "NO_VALID_HOSTS", options);
    }
  });

  it("options spread from elsewhere may hold the secret: the route is kept", () => {
    const a = run(app(`...settings`, `import { settings } from "./settings.js";`));
    assert.equal(a.roundTrips, 7);
  });

  it("with devGuilds, one PUT per development guild", () => {
    const a = run(app(`deploySecret: "s", devGuilds: ["1", "2"]`));
    assert.equal(a.roundTrips, 2);
  });

  it("LinkedRoles: its callback's three requests around the project's checkers", () => {
    const a = run(
      app(
        `deploySecret: "s", disableDeployRoute: true`,
        `import { LinkedRoles } from "@buape/carbon/linked-roles";
const roles = new LinkedRoles({ metadata: [], metadataCheckers: { staff: async (id) => (await fetch("https://staff.example.com/" + id)).ok } });`,
        ", [roles]",
      ),
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.backends, [
      { host: "discord.com", roundTrips: 3 },
      { host: "staff.example.com", roundTrips: 1 },
    ]);
    // The worst route is the one the Worker's fetch handler names.
    assert.deepEqual(routes(a), ["GET /linked-roles/verify-user/callback:4"]);
  });

  it("LinkedRoles with its callback route disabled, and a client without the deploy secret: no route makes a request", () => {
    const a = run(
      app(
        "",
        `import { LinkedRoles } from "@buape/carbon/linked-roles";
const roles = new LinkedRoles({ metadata: [], metadataCheckers: {}, disableVerifyUserCallbackRoute: true });`,
        ", [roles]",
      ),
    );
    assert.equal(a.roundTrips, 0);
  });
});
