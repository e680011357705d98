import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";

const routes = (a: WorkerAnalysis): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
const targets = (a: WorkerAnalysis): Array<string | null> => a.subrequests.filter((s) => s.criticalPath).map((s) => s.target);

describe("nuxt-auth-utils: defineOAuth<Provider>EventHandler", () => {
  const nuxt = {
    "package.json": `{ "dependencies": { "nuxt": "^4.2.0", "nuxt-auth-utils": "^0.5.25" } }`,
    "nuxt.config.ts": `export default defineNuxtConfig({ modules: ["nuxt-auth-utils"] });`,
  };
  const main = { main: "./.output/server/index.mjs" };

  it("the callback: the provider's token and user requests, then the app's onSuccess (a method), its session cookie no I/O", () => {
    const a = analyse(
      {
        ...nuxt,
        "server/api/auth/line.get.ts": `export default defineOAuthLineEventHandler({
  async onSuccess(event, { user }) {
    await fetch("https://db.example.com/members/" + user.userId);
    await setUserSession(event, { user });
    return sendRedirect(event, "/");
  },
});`,
        "server/api/me.get.ts": `export default defineEventHandler(async (event) => (await requireUserSession(event)).user);`,
      },
      main,
    );
    assert.deepEqual(routes(a), [
      ["GET /api/auth/line", 3],
      ["GET /api/me", 0],
    ]);
    assert.deepEqual(targets(a), ["api.line.me", "api.line.me", "db.example.com"]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("GitHub reads the e-mail addresses too only with config.emailRequired: true (JavaScript, onSuccess an arrow)", () => {
    const handler = (config: string) => `export default defineOAuthGitHubEventHandler({
  ${config}
  onSuccess: async (event, { user }) => { await setUserSession(event, { user }); return sendRedirect(event, "/"); },
});`;
    const withEmails = analyse({ ...nuxt, "server/api/auth/github.get.js": handler("config: { emailRequired: true },") }, main);
    assert.deepEqual(routes(withEmails), [["GET /api/auth/github", 3]]);
    assert.deepEqual(targets(withEmails), ["github.com", "api.github.com", "api.github.com"]);
    const plain = analyse({ ...nuxt, "server/api/auth/github.get.js": handler("config: { emailRequired: false },") }, main);
    assert.deepEqual(routes(plain), [["GET /api/auth/github", 2]]);
  });

  it("Google's hosts are globally distributed; an onSuccess held in a name, the handler imported from #imports", () => {
    const a = analyse(
      {
        ...nuxt,
        "server/api/auth/google.get.ts": `import { defineOAuthGoogleEventHandler } from "#imports";
const done = async (event: any) => { await fetch("https://crm.example.com/login"); return sendRedirect(event, "/"); };
export default defineOAuthGoogleEventHandler({ onSuccess: done });`,
      },
      main,
    );
    const google = a.subrequests.filter((s) => s.target?.endsWith("googleapis.com")).map((s) => [s.target, s.category]);
    assert.deepEqual(google, [
      ["oauth2.googleapis.com", "global"],
      ["www.googleapis.com", "global"],
    ]);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("a provider whose hosts the app configures is unknown, naming the handler; a project function of the same name is not the library's", () => {
    const a = analyse(
      {
        ...nuxt,
        "server/api/auth/kc.get.ts": `export default defineOAuthKeycloakEventHandler({ async onSuccess(event) { return sendRedirect(event, "/"); } });`,
      },
      main,
    );
    assert.equal(statusOf(a), "UNKNOWN");
    const unresolved = a.subrequests.filter((s) => s.category === "unknown");
    assert.equal(unresolved.length, 1);
    assert.match(unresolved[0]!.note ?? "", /defineOAuthKeycloakEventHandler: .* a provider the analyser does not know/);
    const own = analyse(
      {
        ...nuxt,
        "server/api/auth/x.get.ts": `function defineOAuthLineEventHandler(o: { onSuccess: () => Promise<void> }) { return defineEventHandler(o.onSuccess); }
export default defineOAuthLineEventHandler({ async onSuccess() {} });`,
      },
      main,
    );
    assert.ok(!own.subrequests.some((s) => s.target === "api.line.me"));
  });
});

describe("realm-web (Atlas App Services)", () => {
  it("logIn is three round trips (location, login, profile); a collection's find() through builders one more", () => {
    const a = analyse({
      "src/index.ts": `import * as Realm from "realm-web";
export default { async fetch(request: Request, env: { APP_ID: string }) {
  const app = new Realm.App({ id: env.APP_ID });
  const user = await app.logIn(Realm.Credentials.anonymous());
  const rows = await user.mongoClient("mongodb-atlas").db("shop").collection("orders").find({});
  return Response.json(rows);
} };`,
    });
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.backends, [{ host: "services.cloud.mongodb.com", roundTrips: 4 }]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("currentUser is no round trip; user.functions.X() one; named imports (JavaScript)", () => {
    const source = `import { App, Credentials } from "realm-web";
const app = new App("stats-abcde");
export default { async fetch(request, env) {
  const user = app.currentUser;
  if (user) return Response.json(await user.functions.totals());
  const fresh = await app.logIn(Credentials.apiKey(env.KEY));
  return Response.json(await fresh.callFunction("totals"));
} };`;
    const a = analyse({ "src/index.js": source }, { main: "src/index.js" });
    const lineOf = (offset: number) => source.slice(0, offset).split("\n").length;
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(
      a.subrequests.map((s) => [lineOf(s.span.start), s.target]),
      [
        [5, "services.cloud.mongodb.com"],
        [6, "services.cloud.mongodb.com"],
        [7, "services.cloud.mongodb.com"],
      ],
    );
  });
});
