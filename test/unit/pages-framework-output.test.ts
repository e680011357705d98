import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Pages projects whose output folder is where a framework's Cloudflare adapter writes `_worker.js`
 * (Pages then ignores `functions/`), and `functions/` folders that hold no Pages route.
 */

const svelteKit = `{ "devDependencies": { "@sveltejs/kit": "^2", "@sveltejs/adapter-cloudflare": "^4" } }`;
const seedScript = `import { writeFileSync } from "node:fs";\nwriteFileSync("seed.sql", "INSERT INTO t VALUES (1);");`;
const threeCalls = `export async function onRequestGet() { await fetch("https://fn.example.com/1"); await fetch("https://fn.example.com/2"); await fetch("https://fn.example.com/3"); return new Response(); }`;
const oneCall = `export const onRequest = async () => { await fetch("https://fn.example.com/1"); return new Response(); };`;
const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

describe("Pages output written by a framework's adapter", () => {
  it("SvelteKit's .svelte-kit/cloudflare with a functions/ seeding script: the routes, not NO_FETCH_HANDLER (TypeScript, D1)", () => {
    const a = analyse(
      {
        "package.json": svelteKit,
        "functions/seed.ts": seedScript,
        "src/routes/products/+page.server.ts": `export async function load({ platform }: any) { return { rows: (await platform.env.DB.prepare("SELECT 1").all()).results }; }`,
      },
      { main: null, pages: ".svelte-kit/cloudflare", bindings: { d1: ["DB"] } },
    );
    assert.equal(a.entryProblem, null);
    assert.deepEqual(routes(a), [["GET /products", 1]]);
    assert.deepEqual(a.backends, [{ host: "DB", roundTrips: 1 }]);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.ok(!a.files.some((f) => f.includes("/functions/")));
    assert.deepEqual(a.notes, [
      `pages_build_output_dir ".svelte-kit/cloudflare" is where the SvelteKit adapter writes its _worker.js, which replaces functions/ (Pages ignores functions/ when the output has a _worker.js): the request paths are read from the SvelteKit app's own routes`,
    ]);
  });

  it("SvelteKit's output replaces a functions/ folder that has routes (JavaScript, adapter-auto, ./ prefix)", () => {
    const a = analyse(
      {
        "package.json": `{ "devDependencies": { "@sveltejs/kit": "^2", "@sveltejs/adapter-auto": "^3" } }`,
        "functions/api/legacy.js": threeCalls,
        "src/routes/api/quote/+server.js": `export async function GET() { await fetch("https://quotes.example.com/q"); return new Response(); }`,
      },
      { main: null, pages: "./.svelte-kit/cloudflare" },
    );
    assert.deepEqual(routes(a), [["GET /api/quote", 1]]);
    assert.deepEqual(a.backends, [{ host: "quotes.example.com", roundTrips: 1 }]);
  });

  it("Astro with output server and @astrojs/cloudflare on dist replaces functions/; static Astro on dist does not", () => {
    const files = {
      "package.json": `{ "dependencies": { "astro": "^4", "@astrojs/cloudflare": "^11" } }`,
      "functions/ping.ts": oneCall,
      "src/pages/api/me.ts": `export async function GET() { await fetch("https://users.example.com/me"); await fetch("https://orders.example.com/o"); return new Response(); }`,
    };
    const server = analyse(
      {
        ...files,
        "astro.config.mjs": `import cloudflare from "@astrojs/cloudflare";\nexport default { output: "server", adapter: cloudflare() };`,
      },
      { main: null, pages: "dist" },
    );
    assert.deepEqual(routes(server), [["GET /api/me", 2]]);
    assert.equal(statusOf(server), "SUCCESS");
    // Static output writes no _worker.js of Astro's: functions/ is the Worker.
    const staticSite = analyse({ ...files, "astro.config.mjs": `export default { output: "static" };` }, { main: null, pages: "dist" });
    assert.equal(staticSite.roundTrips, 1);
    assert.deepEqual(staticSite.backends, [{ host: "fn.example.com", roundTrips: 1 }]);
  });

  it("Nuxt on dist is not taken from the output folder alone (nuxt generate writes a static dist): functions/ routes stay", () => {
    const a = analyse(
      {
        "package.json": `{ "dependencies": { "nuxt": "^3" } }`,
        "functions/ping.ts": oneCall,
        "server/api/items.get.ts": `export default defineEventHandler(async () => { await fetch("https://a.example.com/1"); await fetch("https://a.example.com/2"); });`,
      },
      { main: null, pages: "dist" },
    );
    assert.deepEqual(a.backends, [{ host: "fn.example.com", roundTrips: 1 }]);
  });
});

describe("functions/ with no Pages route", () => {
  it("a framework the analyser does not read: UNKNOWN naming it, not NO_FETCH_HANDLER", () => {
    const a = analyse(
      { "package.json": `{ "dependencies": { "@solidjs/start": "^1" } }`, "functions/sitemap.js": seedScript },
      { main: null, pages: "dist" },
    );
    assert.equal(a.entryProblem?.kind, "framework-output");
    assert.match(a.entryProblem?.message ?? "", /built by SolidStart/);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("an `export *` may re-export an onRequest: functions/ is still read as the Worker", () => {
    const a = analyse(
      {
        "package.json": `{ "dependencies": { "@solidjs/start": "^1" } }`,
        "functions/api.ts": `export * from "../lib/handlers";`,
        "lib/handlers.ts": oneCall,
      },
      { main: null, pages: "dist" },
    );
    assert.equal(a.entryProblem, null);
    assert.ok(a.files.some((f) => f.endsWith("/functions/api.ts")));
  });

  it("no framework: a script-only functions/ is still a static site with no fetch handler", () => {
    const a = analyse({ "package.json": `{ "name": "site" }`, "functions/seed.js": seedScript }, { main: null, pages: "public" });
    assert.equal(a.entryProblem, null);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
  });
});
