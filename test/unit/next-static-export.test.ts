import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { nextStaticExportConfig } from "../../server/src/core/worker/handlers/nextConfig";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * A Next.js app built as a static export (`output: "export"`) is static files with no server: the
 * Pages Functions beside it are the Worker, and without them the project is static only.
 */

const nextPackage = `{ "dependencies": { "next": "^15.5.0", "react": "^19.0.0" } }`;
const routeWithTwoFetches = `export async function GET() { await fetch("https://api.example.com/a"); await fetch("https://api.example.com/b"); return new Response(); }`;
const syncFunction = `export const onRequestPost = async ({ env }: any) => {
  const row = await env.DB.prepare("SELECT 1").first();
  await env.DB.prepare("INSERT INTO t VALUES (1)").run();
  await fetch("https://hooks.example.com/synced");
  return Response.json(row);
};`;
const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

function configFile(files: Record<string, string>): string | undefined {
  return nextStaticExportConfig(new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/p/${k}`, v]))), "/p");
}

describe('nextStaticExportConfig: output: "export" read from next.config, never run', () => {
  it("finds the literal on the exported object in TypeScript, ESM, CommonJS and wrapper shapes", () => {
    assert.equal(
      configFile({
        "next.config.ts": `import type { NextConfig } from "next";\nconst c: NextConfig = { output: "export", distDir: "out" };\nexport default c;`,
      }),
      "/p/next.config.ts",
    );
    assert.equal(
      configFile({ "next.config.ts": `export default { output: "export" } satisfies import("next").NextConfig;` }),
      "/p/next.config.ts",
    );
    assert.equal(
      configFile({ "next.config.mjs": `const c = { output: 'export' };\nexport default withMDX(withAnalyzer(c));` }),
      "/p/next.config.mjs",
    );
    assert.equal(configFile({ "next.config.js": `module.exports = { reactStrictMode: true, "output": "export" };` }), "/p/next.config.js");
    assert.equal(
      configFile({ "next.config.cjs": `const nextConfig = { output: "export" };\nmodule.exports = nextConfig;` }),
      "/p/next.config.cjs",
    );
  });

  it("is undefined for a server build, a computed value, a config function, a parse failure or no config", () => {
    assert.equal(configFile({ "next.config.ts": `export default { output: "standalone" };` }), undefined);
    assert.equal(configFile({ "next.config.mjs": `export default { output: process.env.STATIC ? "export" : undefined };` }), undefined);
    assert.equal(configFile({ "next.config.js": `module.exports = (phase) => ({ output: "export" });` }), undefined);
    // Only the exported object counts, not another object that happens to say "export".
    assert.equal(configFile({ "next.config.js": `const other = { output: "export" };\nmodule.exports = { images: {} };` }), undefined);
    assert.equal(configFile({ "next.config.ts": `export default {{{ output: "export"` }), undefined);
    assert.equal(configFile({ "package.json": nextPackage }), undefined);
  });
});

describe("a Next.js static export as a Pages project", () => {
  it("no main, no pages_build_output_dir, functions/ with handlers: the Pages Functions are the Worker, not the Next routes (TypeScript, D1)", () => {
    const a = analyse(
      {
        "package.json": nextPackage,
        "next.config.ts": `const nextConfig = { output: "export", distDir: "out" };\nexport default nextConfig;`,
        "app/api/rates/route.ts": routeWithTwoFetches,
        "functions/api/sync.ts": syncFunction,
      },
      { main: null, bindings: { d1: ["DB"] } },
    );
    assert.equal(a.entryProblem, null);
    assert.deepEqual(routes(a), [["POST /api/sync", 3]]);
    assert.deepEqual(a.backends, [
      { host: "DB", roundTrips: 2 },
      { host: "hooks.example.com", roundTrips: 1 },
    ]);
    assert.equal(statusOf(a), "SUCCESS");
    assert.ok(!a.files.some((f) => f.includes("/app/")));
    assert.deepEqual(a.notes, [
      'the config has no "main" and no pages_build_output_dir, and functions/ holds Pages handlers (onRequest*): read as a Pages project (wrangler pages deploy) whose Worker is the Pages Functions bundle',
      'the Next.js app is a static export (output: "export" in next.config.ts): its build is static files, with no server code',
    ]);
  });

  it("no main and no functions/: static only, NO_FETCH_HANDLER with the reason (JavaScript)", () => {
    const a = analyse(
      {
        "package.json": nextPackage,
        "next.config.mjs": `export default { output: "export" };`,
        "app/api/rates/route.js": routeWithTwoFetches,
      },
      { main: null },
    );
    assert.equal(a.entryProblem, null);
    assert.deepEqual(routes(a), []);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
    assert.deepEqual(a.notes, [
      'the Next.js app is a static export (output: "export" in next.config.mjs): its build is static files, with no server code, and there is no functions/ folder of Pages handlers',
    ]);
  });

  it("no main and a functions/ folder with no onRequest handler: static only too", () => {
    const a = analyse(
      {
        "package.json": nextPackage,
        "next.config.js": `module.exports = { output: "export" };`,
        "functions/seed.ts": `export const rows = [1, 2, 3];`,
        "app/api/rates/route.ts": routeWithTwoFetches,
      },
      { main: null },
    );
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
    assert.equal(a.entryProblem, null);
  });

  it("the export's public/_worker.js is copied into the output and is the Worker", () => {
    const a = analyse(
      {
        "package.json": nextPackage,
        "next.config.js": `module.exports = { output: "export" };`,
        "public/_worker.js": `export default { async fetch(request, env) { await fetch("https://edge.example.com/a"); return env.ASSETS.fetch(request); } };`,
        "app/api/rates/route.ts": routeWithTwoFetches,
      },
      { main: null },
    );
    assert.deepEqual(a.backends, [{ host: "edge.example.com", roundTrips: 1 }]);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.deepEqual(a.notes, [
      'the Next.js app is a static export (output: "export" in next.config.js): its build is static files, with no server code; public/_worker.js is copied into its output and is the Worker (Pages then ignores functions/)',
    ]);
    // Pages ignores functions/ when the output has a _worker.js, with or without pages_build_output_dir.
    for (const pages of [undefined, "out"]) {
      const both = analyse(
        {
          "package.json": nextPackage,
          "next.config.js": `module.exports = { output: "export" };`,
          "public/_worker.js": `export default { async fetch(request, env) { await fetch("https://edge.example.com/a"); return env.ASSETS.fetch(request); } };`,
          "functions/api/sync.ts": syncFunction,
        },
        { main: null, bindings: { d1: ["DB"] }, ...(pages ? { pages } : {}) },
      );
      assert.deepEqual(both.backends, [{ host: "edge.example.com", roundTrips: 1 }]);
    }
  });

  it("pages_build_output_dir with no functions/: static only, not the Next routes", () => {
    const a = analyse(
      {
        "package.json": nextPackage,
        "next.config.ts": `export default { output: "export" };`,
        "app/api/rates/route.ts": routeWithTwoFetches,
      },
      { main: null, pages: "out" },
    );
    assert.deepEqual(routes(a), []);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
    assert.deepEqual(a.notes, [
      'the Next.js app is a static export (output: "export" in next.config.ts): its build is static files, with no server code',
    ]);
  });

  it("a Next app that is not a static export keeps today's reading: its routes are the request paths", () => {
    const files = { "package.json": nextPackage, "app/api/rates/route.ts": routeWithTwoFetches, "functions/api/sync.ts": syncFunction };
    const computed = analyse(
      { ...files, "next.config.mjs": `export default { output: process.env.STATIC ? "export" : undefined };` },
      { main: null, bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(routes(computed), [["GET /api/rates", 2]]);
    const withoutConfig = analyse(
      { "package.json": nextPackage, "app/api/rates/route.ts": routeWithTwoFetches },
      { main: null, pages: "out" },
    );
    assert.deepEqual(routes(withoutConfig), [["GET /api/rates", 2]]);
  });
});
