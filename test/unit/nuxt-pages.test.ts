import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { vueSource } from "../../server/src/core/worker/module";
import { analyse, statusOf } from "./helpers/analyse";

/** Nuxt pages rendered on the server: app.vue, then the page's layout, then the page, each `<script setup>` awaited in turn. */

const main = { main: "./.output/server/index.mjs" };
const nuxt3 = { "package.json": `{ "dependencies": { "nuxt": "^3.17.0" } }`, "nuxt.config.ts": `export default defineNuxtConfig({});` };
const nuxt4 = { "package.json": `{ "dependencies": { "nuxt": "^4.0.0" } }`, "nuxt.config.ts": `export default defineNuxtConfig({});` };
const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
const setup = (code: string, lang = ` lang="ts"`): string =>
  `<template>\n  <div><slot /></div>\n</template>\n<script setup${lang}>\n${code}\n</script>\n`;

describe("vueSource: the script block of a Vue component, found by an HTML parser", () => {
  it("keeps the <script setup> block where it is and blanks the rest (offsets and lines kept)", () => {
    const text = `<template>\n  <p :a="x < 2" @click="go()"><Comp /></p>\n</template>\n<script setup lang="ts">\nconst a = ref<string>("</div>");\n</script>\n<style>p{}</style>\n`;
    const code = vueSource(text);
    assert.equal(code.length, text.length);
    assert.equal(code.trim(), `const a = ref<string>("</div>");`);
    assert.equal(code.split("\n").length, text.split("\n").length);
    assert.equal(code.indexOf("const"), text.indexOf("const"));
  });

  it("prefers <script setup> over a plain <script>; a file with no script block is all blank", () => {
    const text = `<script>\nexport default { name: "A" };\n</script>\n<script setup>\nawait run();\n</script>`;
    assert.equal(vueSource(text).trim(), "await run();");
    assert.equal(vueSource(`<template><p>hi</p></template>`).trim(), "");
  });

  it("a script inside the template is not a block of the component", () => {
    const text = `<template>\n  <div><script>inner()</script></div>\n</template>\n`;
    assert.equal(vueSource(text).trim(), "");
  });
});

describe("Nuxt pages", () => {
  it("app.vue, the default layout and the page add up: one each, in order (Nuxt 4 app/ folder)", () => {
    const a = analyse(
      {
        ...nuxt4,
        "app/app.vue":
          `<template><NuxtLayout><NuxtPage /></NuxtLayout></template>\n` + setup(`await useFetch("https://cms.example.com/settings");`),
        "app/layouts/default.vue": setup(`await $fetch("https://cms.example.com/menu");`),
        "app/pages/posts/[id].vue": setup(
          `const route = useRoute();\nawait useFetch(\`https://db.example.com/posts/\${route.params.id}\`);`,
        ),
        "app/pages/index.vue": setup(`const x = 1;`),
      },
      main,
    );
    assert.deepEqual(routes(a), [
      ["GET /", 2],
      ["GET /posts/:id", 3],
    ]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("definePageMeta names the layout (or none with layout: false); a layout renders only when app.vue has <NuxtLayout>", () => {
    const files = {
      ...nuxt3,
      "layouts/default.vue": setup(`await $fetch("https://cms.example.com/menu");`),
      "layouts/admin-panel.vue": setup(`await $fetch("https://auth.example.com/me");\nawait $fetch("https://auth.example.com/roles");`),
      "pages/admin.vue": setup(`definePageMeta({ layout: "admin-panel" });`),
      "pages/bare.vue": setup(`definePageMeta({ layout: false });\nawait $fetch("https://db.example.com/x");`),
      "pages/home.vue": setup(`const a = 1;`),
    };
    assert.deepEqual(routes(analyse(files, main)), [
      ["GET /admin", 2],
      ["GET /bare", 1],
      ["GET /home", 1],
    ]);
    // An app.vue that renders the page straight (no <NuxtLayout>): no layout runs.
    const withApp = { ...files, "app.vue": `<template><main><NuxtPage /></main></template>` };
    assert.deepEqual(routes(analyse(withApp, main)), [
      ["GET /admin", 0],
      ["GET /bare", 1],
      ["GET /home", 0],
    ]);
  });

  it("useFetch with a path and a baseURL goes to the base URL's host, through a wrapper and spread options", () => {
    const a = analyse(
      {
        ...nuxt3,
        "utils/api.ts": `const defaults = () => ({ baseURL: "https://api.example.com", retry: 0 });\nexport const get = (path: string) => useFetch(path, { ...defaults(), method: "GET" });`,
        "pages/index.vue": setup(`import { get } from "~/utils/api";\nawait get("/a");\nawait get("/b");`),
      },
      main,
    );
    assert.deepEqual(routes(a), [["GET /", 2]]);
    assert.deepEqual(
      a.subrequests.map((s) => s.target),
      ["api.example.com"],
    );
  });

  it("useAsyncData runs its handler once, with or without a key", () => {
    const a = analyse(
      {
        ...nuxt3,
        "pages/index.vue": setup(
          `await useAsyncData("a", () => $fetch("https://db.example.com/a"));\nawait useAsyncData(async () => { await $fetch("https://db.example.com/b"); await $fetch("https://db.example.com/c"); });`,
        ),
      },
      main,
    );
    assert.deepEqual(routes(a), [["GET /", 3]]);
  });

  it("useFetch and useAsyncData with server: false run in the browser, not while the server renders", () => {
    const a = analyse(
      {
        ...nuxt3,
        "pages/index.vue": setup(
          `await useFetch("https://db.example.com/a", { server: false });\nawait useAsyncData("b", () => $fetch("https://db.example.com/b"), { server: false });\nawait useFetch("https://db.example.com/c");`,
        ),
      },
      main,
    );
    assert.deepEqual(routes(a), [["GET /", 1]]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a path on the app's own server is its route run in process: the route's round trips count, not one of its own", () => {
    const a = analyse(
      {
        ...nuxt3,
        "server/api/feed.get.ts": `export default defineEventHandler(async () => { await $fetch("https://db.example.com/1"); return $fetch("https://db.example.com/2"); });`,
        "server/api/items/[id].get.ts": `export default defineEventHandler(async () => $fetch("https://db.example.com/item"));`,
        "pages/index.vue": setup(`import { useFetch } from "#app";\nawait useFetch("/api/feed?limit=5");`),
        "pages/items/[id].vue": setup(`const id = useRoute().params.id;\nawait $fetch(\`/api/items/\${id}\`);`),
      },
      main,
    );
    assert.deepEqual(routes(a), [
      ["GET /api/feed", 2],
      ["GET /api/items/:id", 1],
      ["GET /", 2],
      ["GET /items/:id", 1],
    ]);
    assert.deepEqual([...new Set(a.subrequests.map((s) => s.target))], ["db.example.com"]);
  });

  it("ssr: false renders the pages in the browser: only the server routes are the Worker's", () => {
    const a = analyse(
      {
        "package.json": nuxt3["package.json"],
        "nuxt.config.ts": `export default defineNuxtConfig({ ssr: false });`,
        "server/api/ping.get.ts": `export default defineEventHandler(() => $fetch("https://db.example.com/ping"));`,
        "pages/index.vue": setup(`await useFetch("https://db.example.com/a");\nawait useFetch("https://db.example.com/b");`),
      },
      main,
    );
    assert.deepEqual(routes(a), [["GET /api/ping", 1]]);
  });

  it("app.vue without pages is rendered for every path (JavaScript)", () => {
    const a = analyse(
      {
        "package.json": nuxt3["package.json"],
        "nuxt.config.js": `export default defineNuxtConfig({});`,
        "app.vue": setup(`const { data } = await useFetch("https://db.example.com/a");`, ""),
      },
      main,
    );
    assert.deepEqual(routes(a), [["GET /*", 1]]);
  });
});
