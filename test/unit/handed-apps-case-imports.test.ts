import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { resolveFile } from "../../server/src/core/worker/resolve";
import { analyse, statusOf } from "./helpers/analyse";

/** An app's fetch handed to a wrapper, imports differing in case, GitHub App clients, Durable Object helpers. */

const ROUTES = `IttyRouter().get("/a", async () => { await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2"); return new Response("ok"); })`;

describe("an app's fetch handed to a project function", () => {
  it("followed when the function calls what it is given (a method, and a plain function)", () => {
    for (const wrapper of [
      `class Log { constructor(private r: Request) {} run(h: (r: Request) => Promise<Response>) { return h(this.r).then((x) => x); } }\nconst wrap = (r: Request, h: (r: Request) => Promise<Response>) => new Log(r).run(h);`,
      `function wrap(r: Request, h: (r: Request) => Promise<Response>) { return h(r); }`,
    ]) {
      const a = analyse({
        "src/index.ts": `import { IttyRouter } from "itty-router";\n${wrapper}\nconst router = ${ROUTES};\nexport default { fetch(request: Request) { return wrap(request, router.fetch); } };`,
      });
      assert.equal(a.roundTrips, 2, wrapper);
      assert.equal(statusOf(a), "SUCCESS");
    }
  });

  it("not run when the function only keeps it: the routes' calls are unfollowed, never 0", () => {
    const a = analyse({
      "src/index.ts": `import { IttyRouter } from "itty-router";\nconst kept: unknown[] = [];\nfunction keep(h: unknown) { kept.push(h); }\nconst router = ${ROUTES};\nexport default { fetch(request: Request) { keep(router.fetch); return new Response("queued"); } };`,
    });
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("imports whose file name differs only in case", () => {
  it("resolve to the one file that matches, the exact name first, nothing when two match", () => {
    const fs = new MemoryFileSystem({
      "/w/src/Logger.ts": "",
      "/w/src/Util.ts": "",
      "/w/src/UTIL.js": "",
      "/w/src/db.ts": "",
      "/w/src/DB.ts": "",
    });
    assert.equal(resolveFile(fs, "/w/src/logger"), "/w/src/Logger.ts");
    assert.equal(resolveFile(fs, "/w/src/logger.js"), "/w/src/Logger.ts");
    assert.equal(resolveFile(fs, "/w/src/util"), undefined);
    assert.equal(resolveFile(fs, "/w/src/db"), "/w/src/db.ts");
    assert.equal(resolveFile(fs, "/w/src/missing"), undefined);
  });
});

describe("octokit GitHub App installation clients", () => {
  it("getInstallationOctokit is the token's round trip, then each call on its client one more", () => {
    const a = analyse({
      "src/index.ts": `import { App } from "octokit";\nexport default { async fetch(request: Request, env: { ID: string; KEY: string }) {\n  const app = new App({ appId: env.ID, privateKey: env.KEY });\n  const octokit = await app.getInstallationOctokit(1);\n  await octokit.rest.issues.get({ owner: "a", repo: "b", issue_number: 1 });\n  await octokit.request("POST /repos/a/b/issues", { title: "t" });\n  return new Response("ok");\n} };`,
    });
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(
      a.subrequests.filter((s) => s.criticalPath).map((s) => `${s.kind} ${s.target}`),
      ["sdk api.github.com", "sdk api.github.com", "sdk api.github.com"],
    );
  });
});

describe("helpers a Durable Object calls", () => {
  const notify = `export async function notify(m: string) { await fetch("https://chat.example.com/m", { method: "POST", body: m }); }`;
  const room = `import { DurableObject } from "cloudflare:workers";\nimport { notify } from "./notify";\nexport class Room extends DurableObject { async fetch(r: Request) { await notify(r.url); return new Response("ok"); } }`;

  it("off the fetch path when only the object calls them: NO_VALID_HOSTS", () => {
    const a = analyse(
      {
        "src/index.ts": `export { Room } from "./room";\nexport default { async fetch() { return new Response("ok"); } };`,
        "src/room.ts": room,
        "src/notify.ts": notify,
      },
      { bindings: { durableObjects: ["ROOM"] } },
    );
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("on the fetch path when the Worker calls them too", () => {
    const a = analyse(
      {
        "src/index.ts": `import { notify } from "./notify";\nexport { Room } from "./room";\nexport default { async fetch(r: Request) { await notify(r.url); return new Response("ok"); } };`,
        "src/room.ts": room,
        "src/notify.ts": notify,
      },
      { bindings: { durableObjects: ["ROOM"] } },
    );
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });
});

describe("the Astro adapter's own server entry as main", () => {
  const page = `---\nconst a = await fetch("https://cms.example.com/a");\nconst b = await fetch("https://cms.example.com/b");\n---\n<p>{a.status}{b.status}</p>`;
  it("reads the Astro app's pages when the project depends on Astro", () => {
    const a = analyse(
      {
        "package.json": `{ "dependencies": { "astro": "^6.0.0", "@astrojs/cloudflare": "^13.0.0" } }`,
        "astro.config.mjs": `export default { output: "server" };`,
        "src/pages/index.astro": page,
      },
      { main: "@astrojs/cloudflare/entrypoints/server" },
    );
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("is an entry not found without Astro in the project: UNKNOWN, never 0", () => {
    const a = analyse(
      { "package.json": `{ "dependencies": {} }`, "src/pages/index.astro": page },
      { main: "@astrojs/cloudflare/entrypoints/server" },
    );
    assert.equal(a.roundTrips, null);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});
