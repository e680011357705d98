import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * SvelteKit form actions posted without JavaScript render the page after the action in the same
 * request; Nuxt's client-only pages (`.client.vue`) render nothing of their own on the server.
 */

const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
const fetches = (n: number, path: string): string =>
  Array.from({ length: n }, (_, i) => `await fetch("https://api.example.com/${path}/${i}");`).join(" ");

const svelteKit = (files: Record<string, string>) =>
  analyse(
    { "package.json": `{ "devDependencies": { "@sveltejs/kit": "^2", "@sveltejs/adapter-cloudflare": "^4" } }`, ...files },
    { main: ".svelte-kit/cloudflare/_worker.js" },
  );

describe("SvelteKit: a document POST to a form action renders the page after it", () => {
  it("the action, then the page's and every enclosing layout's server load side by side (the longest counts)", () => {
    const a = svelteKit({
      "src/routes/+layout.server.ts": `export const load = async () => { ${fetches(3, "root")} return {}; };`,
      "src/routes/shop/+layout.server.ts": `export const load = async () => { ${fetches(1, "shop")} return {}; };`,
      "src/routes/shop/cart/+page.server.ts": `export const load = async () => { ${fetches(2, "cart")} return {}; };\nexport const actions = { add: async () => { ${fetches(1, "add")} return { ok: true }; } };`,
      // A sibling folder's layout is not on the page's way up.
      "src/routes/blog/+layout.server.ts": `export const load = async () => { ${fetches(5, "blog")} return {}; };`,
    });
    const got = new Map(routes(a));
    // 1 (action) + max(3, 1, 2), not 1 + 3 + 1 + 2 nor the blog layout's 5.
    assert.equal(got.get("POST /shop/cart?/add"), 4);
    assert.equal(got.get("GET /shop/cart"), 2);
  });

  it("fail(...) renders the page again: the loads follow", () => {
    const a = svelteKit({
      "src/routes/+page.server.ts": `import { fail } from "@sveltejs/kit";\nexport const load = async () => { ${fetches(2, "l")} return {}; };\nexport const actions = { default: async ({ request }: any) => { ${fetches(1, "a")} if (request.headers.get("x")) return fail(400, { bad: true }); return { ok: true }; } };`,
    });
    assert.equal(new Map(routes(a)).get("POST /?/default"), 3);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("an action whose every way out is a redirect (thrown, or SvelteKit 2's bare call) runs no load", () => {
    const bodies = [
      `${fetches(2, "a")} redirect(303, "/");`,
      `${fetches(2, "a")} throw redirect(303, "/");`,
      `if (request.method === "PUT") throw redirect(303, "/x"); ${fetches(2, "a")} redirect(303, "/");`,
    ];
    for (const body of bodies) {
      const a = svelteKit({
        "src/routes/+page.server.ts": `import { redirect } from "@sveltejs/kit";\nexport const load = async () => { ${fetches(3, "l")} return {}; };\nexport const actions = { go: async ({ request }: any) => { ${body} } };`,
      });
      assert.equal(new Map(routes(a)).get("POST /?/go"), 2, body);
    }
  });

  it("a redirect on one path only, one made locally, or an end reached without one: the loads follow", () => {
    const bodies = [
      `import { redirect } from "@sveltejs/kit";\nexport const actions = { go: async ({ request }: any) => { ${fetches(1, "a")} if (request.method === "PUT") redirect(303, "/"); } };`,
      `const redirect = (s: number, to: string) => new Response(null, { status: s, headers: { Location: to } });\nexport const actions = { go: async () => { ${fetches(1, "a")} return redirect(303, "/"); } };`,
      `export const actions = { go: async () => { ${fetches(1, "a")} } };`,
    ];
    for (const body of bodies) {
      const a = svelteKit({ "src/routes/+page.server.ts": `export const load = async () => { ${fetches(1, "l")} return {}; };\n${body}` });
      assert.equal(new Map(routes(a)).get("POST /?/go"), 2, body);
    }
  });

  it("universal loads (+page.ts, +layout.ts) run after the server loads, beside each other", () => {
    const a = svelteKit({
      "src/routes/+layout.ts": `export const load = async () => { ${fetches(2, "ul")} return {}; };`,
      "src/routes/+page.ts": `export const load = async () => { ${fetches(1, "up")} return {}; };`,
      "src/routes/+page.server.ts": `export const load = async () => { ${fetches(1, "sp")} return {}; };\nexport const actions = { save: async () => { ${fetches(1, "a")} return null; } };`,
    });
    // action 1, server loads 1, then universal loads max(2, 1).
    assert.equal(new Map(routes(a)).get("POST /?/save"), 4);
  });

  it("a load that cannot be resolved leaves the action's POST unknown rather than shorter", () => {
    const a = svelteKit({
      "src/routes/+page.server.ts": `import { makeLoad } from "./missing";\nexport const load = makeLoad();\nexport const actions = { save: async () => { ${fetches(2, "a")} return null; } };`,
    });
    assert.ok(
      a.unknowns.includes(
        "SvelteKit: the load in src/routes/+page.server.ts (run after the action when a form posts without JavaScript) could not be resolved",
      ),
      a.unknowns.join("; "),
    );
  });
});

const nuxt = { "package.json": `{ "dependencies": { "nuxt": "^3.17.0" } }`, "nuxt.config.ts": `export default defineNuxtConfig({});` };
const setup = (code: string): string => `<template>\n  <div><slot /></div>\n</template>\n<script setup lang="ts">\n${code}\n</script>\n`;

describe("Nuxt: client-only pages (.client.vue)", () => {
  it("a client-only page's setup is not a server round trip; its route has no .client suffix", () => {
    const a = analyse(
      {
        ...nuxt,
        "app.vue": `<template><NuxtLayout><NuxtPage /></NuxtLayout></template>`,
        "layouts/default.vue": setup(`await $fetch("https://cms.example.com/menu");`),
        "pages/call.client.vue": setup(`${fetches(4, "rtc")}`),
        "pages/index.vue": setup(`await useFetch("https://db.example.com/rooms");`),
      },
      { main: "./.output/server/index.mjs" },
    );
    // The layout still renders on the server around the client-only page's placeholder.
    assert.deepEqual(routes(a), [
      ["GET /", 2],
      ["GET /call", 1],
    ]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a server-only page (.server.vue) renders on the server, at the path without the suffix", () => {
    const a = analyse(
      {
        ...nuxt,
        "pages/stats/daily.server.vue": setup(
          `await useFetch("https://stats.example.com/a");\nawait useFetch("https://stats.example.com/b");`,
        ),
      },
      { main: "./.output/server/index.mjs" },
    );
    assert.deepEqual(routes(a), [["GET /stats/daily", 2]]);
  });

  it("an app whose only page is client-only: app.vue renders for that page, not for every path", () => {
    const a = analyse(
      {
        ...nuxt,
        "app.vue": `<template><NuxtPage /></template>\n` + setup(`await useFetch("https://cms.example.com/site");`),
        "pages/index.client.vue": setup(`${fetches(3, "x")}`),
      },
      { main: "./.output/server/index.mjs" },
    );
    assert.deepEqual(routes(a), [["GET /", 1]]);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });
});
