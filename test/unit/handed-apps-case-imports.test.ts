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

describe("a client variable that may hold several clients", () => {
  const db = (fallbacks: string) =>
    `import Database from "better-sqlite3";\nimport { drizzle as sqlite } from "drizzle-orm/better-sqlite3";\nimport { drizzle as d1 } from "drizzle-orm/d1";\nimport { drizzle as turso } from "drizzle-orm/libsql";\nimport { createClient } from "@libsql/client";\nlet current: any = null;\nfunction node(kind: string): any {\n${fallbacks}\n}\nexport function getDb(): any { if (!current) current = node("x"); return current; }\nexport function setDb(db: any) { current = db; }\nexport const onD1 = (b: D1Database) => d1(b);`;
  const index = (setter: string) =>
    `import { getDb, setDb, onD1 } from "./db";\nconst t = {} as any;\nexport default { async fetch(r: Request, env: { DB: D1Database }) {\n${setter}\nconst db = getDb();\nawait db.select().from(t);\nawait db.select().from(t);\nreturn new Response("ok");\n} };`;
  const targets = (a: ReturnType<typeof analyse>) =>
    a.subrequests.filter((s) => s.criticalPath).map((s) => `${s.kind} ${s.target} ${s.category}`);
  const sqliteThenTurso = `if (kind === "a") return sqlite(new Database("f.db"));\nreturn turso(createClient({ url: "libsql://forum.example.turso.io" }));`;

  it("the one over the Worker's D1 binding, when the handler sets it", () => {
    const a = analyse({ "src/index.ts": index("setDb(onD1(env.DB));"), "src/db.ts": db(sqliteThenTurso) }, { bindings: { d1: ["DB"] } });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["d1 DB backend", "d1 DB backend"]);
  });

  it("else one whose back end is known before one over a SQLite file", () => {
    const a = analyse({ "src/index.ts": index(""), "src/db.ts": db(sqliteThenTurso) }, { bindings: { d1: ["DB"] } });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["sdk forum.example.turso.io backend", "sdk forum.example.turso.io backend"]);
  });

  it("a SQLite file alone stays unknown, never 0", () => {
    const a = analyse({ "src/index.ts": index(""), "src/db.ts": db(`return sqlite(new Database("f.db"));`) });
    assert.equal(statusOf(a), "UNKNOWN");
  });
});
