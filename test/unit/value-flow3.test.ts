import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, one, statusOf, criticalTargets as targets, fetchHandler as handler } from "./helpers/analyse";

// These tests are about what stays unknown: they predict with nothing assumed (see assume.test.ts for the default).
const strictOne = (source: string, options: Parameters<typeof one>[1] = {}) => one(source, { ...options, assume: "strict" });

describe("a literal map read with a key behind an `in` guard", () => {
  const head = `const UP = { "a.mine": "https://reg-a.example.com", "b.mine": "https://reg-b.example.net" } as const;
function pick(h: string): string { return h in UP ? UP[h as keyof typeof UP] : ""; }`;

  it("the empty-string alternative is a failure path, not a host: the map's hosts are the candidates", () => {
    const a = one(handler(`const u = pick(new URL(request.url).hostname); await fetch(u + "/v2/"); await fetch(u + "/v2/x");`, head));
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), [
      "reg-a.example.com reg-a.example.com:backend reg-b.example.net:backend",
      "reg-a.example.com reg-a.example.com:backend reg-b.example.net:backend",
    ]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a base that is only ever empty is still no host", () => {
    const a = strictOne(handler(`const u = request.headers.get("x") ? "" : ""; await fetch(u + "/v2/");`));
    // An unresolved host: no round trip to a known back end, and the status says so.
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(targets(a), ["?"]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("an unknown alternative is not dropped: the URL stays unresolved", () => {
    const a = strictOne(
      handler(
        `const u = request.headers.get("x") ? "https://a.example.com" : lookup("y"); await fetch(u + "/v2/");`,
        `import { lookup } from "directory";`,
      ),
    );
    // An unresolved host: no round trip to a known back end, and the status says so.
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(targets(a), ["?"]);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("for…of over a local array literal of object literals", () => {
  it("the loop variable's property is any element's; the loop counts twice", () => {
    const a = one(
      handler(`const ip = request.headers.get("cf-connecting-ip") ?? "";
const sources = [{ url: \`https://geo-a.example.com/\${ip}\` }, { url: \`https://geo-b.example.net/\${ip}\` }];
for (const s of sources) { const r = await fetch(s.url); if (r.headers.has("x-geo")) return r; }`),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["geo-a.example.com geo-a.example.com:backend geo-b.example.net:backend"]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("an array literal written in the loop header, destructured loop variable", () => {
    const a = one(
      handler(`for (const { url } of [{ url: "https://one.example.com/a" }, { url: "https://two.example.com/b" }]) await fetch(url);`),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["one.example.com one.example.com:backend two.example.com:backend"]);
  });

  it("an array that is pushed to is not followed", () => {
    const a = strictOne(
      handler(`const sources = [{ url: "https://geo-a.example.com" }];
sources.push({ url: request.url });
for (const s of sources) await fetch(s.url);`),
    );
    assert.deepEqual(targets(a), ["?"]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("an array with an element assigned, or handed to a function, is not followed", () => {
    for (const change of [`sources[0] = { url: request.url };`, `register(sources);`]) {
      const a = one(
        handler(
          `const sources = [{ url: "https://geo-a.example.com" }];\n${change}\nfor (const s of sources) await fetch(s.url);`,
          `declare function register(list: unknown[]): void;`,
        ),
      );
      assert.deepEqual(targets(a), ["?"], change);
    }
  });

  it("a loop over an array of URL strings", () => {
    const a = one(
      handler(
        `const mirrors = ["https://m1.example.com/x", "https://m2.example.org/x"] as const; for (const m of mirrors) await fetch(m);`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["m1.example.com m1.example.com:backend m2.example.org:backend"]);
  });
});

describe("Nuxt / Nitro runtime config read through useRuntimeConfig()", () => {
  const nuxt = (api: string, config: string | undefined): WorkerAnalysis =>
    analyse(
      {
        "package.json": `{ "dependencies": { "nuxt": "^3.0.0" } }`,
        ...(config === undefined ? {} : { "nuxt.config.ts": config }),
        "server/api/s.get.ts": `export default defineEventHandler(async (event) => {\n${api}\nreturn "ok"; });`,
      },
      { main: ".output/server/index.mjs" },
    );
  const config = `export default defineNuxtConfig({ runtimeConfig: { dohUrl: "", apiKey: "", public: { apiBase: "https://api.shop-example.com/v1" } } });`;

  it("a value nuxt.config leaves empty is a host from configuration, destructured or read on the call", () => {
    const a = nuxt(
      `const { dohUrl } = useRuntimeConfig(event); await $fetch(\`\${dohUrl}?name=x\`); await $fetch(useRuntimeConfig(event).dohUrl + "?name=y");`,
      config,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["runtimeConfig.dohUrl", "runtimeConfig.dohUrl"]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a literal URL in nuxt.config gives its host, through a held config object and `public`", () => {
    const a = nuxt(`const config = useRuntimeConfig(); await $fetch(\`\${config.public.apiBase}/products\`);`, config);
    assert.deepEqual(targets(a), ["api.shop-example.com"]);
    assert.equal(a.roundTrips, 1);
  });

  it("a key missing from nuxt.config, and no nuxt.config at all: still from configuration", () => {
    for (const file of [config, undefined]) {
      const a = nuxt(`const { public: { searchUrl } } = useRuntimeConfig(); await $fetch(searchUrl);`, file);
      assert.deepEqual(targets(a), ["runtimeConfig.public.searchUrl"], String(file));
    }
  });

  it("a useRuntimeConfig the project defines itself is not Nitro's", () => {
    const a = nuxt(
      `const useRuntimeConfig = (e: unknown) => ({ dohUrl: String(e) }); const { dohUrl } = useRuntimeConfig(event); await $fetch(dohUrl);`,
      config,
    );
    assert.deepEqual(targets(a), ["?"]);
  });
});
