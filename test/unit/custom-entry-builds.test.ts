import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { isVinextEntry } from "../../server/src/core/worker/handlers/frameworks";

function top(files: Record<string, string>, config = "/w/wrangler.jsonc") {
  const fs = new MemoryFileSystem(files);
  const result = analyzeConfig(fs, config, fs.readFile(config)!, {});
  return result.workers[0]!;
}

const CONFIG = (main: string) => JSON.stringify({ name: "x", main, placement: { mode: "smart" } });
const HANDS_OFF = (specifier: string) =>
  `// @ts-ignore\nimport app from "${specifier}";\nexport default { async fetch(request, env, ctx) { await fetch("https://gate.example.com/check"); return app.fetch(request, env, ctx); } };\n`;
const TWO_TRIPS_ROUTE = `export async function POST() { await fetch("https://a.example.com/1"); return fetch("https://b.example.com/2"); }\n`;

describe("custom entries that hand requests to a framework's handler or build", () => {
  it("knows vinext's request handlers and nothing else of the package", () => {
    for (const specifier of [
      "vinext",
      "vinext/server/fetch-handler",
      "vinext/server/fetch-handler.js",
      "vinext/server/app-router-entry",
      "vinext/server/pages-router-entry",
    ])
      assert.equal(isVinextEntry(specifier), true, specifier);
    for (const specifier of [
      "vinext/server/image-optimization",
      "vinext/shims/headers",
      "vinext-extra/server/fetch-handler",
      "./vinext/server/fetch-handler",
    ])
      assert.equal(isVinextEntry(specifier), false, specifier);
  });

  it("vinext/server/fetch-handler from the project's entry runs the Next app's routes after the entry's own code", () => {
    const worker = top({
      "/w/wrangler.jsonc": CONFIG("./worker.ts"),
      "/w/package.json": JSON.stringify({ dependencies: { vinext: "1" } }),
      "/w/worker.ts": HANDS_OFF("vinext/server/fetch-handler"),
      "/w/app/api/orders/route.ts": TWO_TRIPS_ROUTE,
    });
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 3);
    assert.match(worker.prediction.reasons[0]!, /\(POST \/api\/orders\)$/);
  });

  it("an entry that re-exports vinext's handler as its default (`export { default } from ...`) is the Next app", () => {
    const worker = top({
      "/w/wrangler.jsonc": CONFIG("./worker.ts"),
      "/w/package.json": JSON.stringify({ dependencies: { vinext: "1" } }),
      "/w/worker.ts": `export { default } from "vinext/server/fetch-handler";\nexport class Room {}\n`,
      "/w/app/api/orders/route.ts": TWO_TRIPS_ROUTE,
    });
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
  });

  it("main = vinext's pages-router entry: pages/api routes are the paths", () => {
    const worker = top({
      "/w/wrangler.jsonc": CONFIG("vinext/server/pages-router-entry"),
      "/w/package.json": JSON.stringify({ dependencies: { vinext: "1" } }),
      "/w/pages/api/orders.ts": `export default async function handler() { await fetch("https://a.example.com/1"); return fetch("https://b.example.com/2"); }\n`,
    });
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
    assert.ok(
      worker.prediction.reasons.includes(
        `main "vinext/server/pages-router-entry" is vinext's own request handler: the request paths are read from the Next app's own routes`,
      ),
    );
  });

  it("main = vinext/server/fetch-handler without any route of the app is UNKNOWN, saying where it looked", () => {
    const worker = top({
      "/w/wrangler.jsonc": CONFIG("vinext/server/fetch-handler"),
      "/w/package.json": JSON.stringify({ dependencies: { vinext: "1" } }),
    });
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.ok(
      worker.prediction.reasons.some((r) => r.includes("none of the app's route modules were found")),
      worker.prediction.reasons.join("; "),
    );
  });

  it("./dist/_worker.js is the Astro app in an Astro project, and stays unresolved in any other", () => {
    const files = {
      "/w/wrangler.jsonc": CONFIG("./worker.ts"),
      "/w/worker.ts": HANDS_OFF("./dist/_worker.js/index.js"),
      "/w/src/pages/api/orders.ts": `export const prerender = false;\n${TWO_TRIPS_ROUTE}`,
    };
    const astro = top({ ...files, "/w/package.json": JSON.stringify({ dependencies: { astro: "5", "@astrojs/cloudflare": "12" } }) });
    assert.equal(astro.prediction.status, "SUCCESS");
    assert.equal(astro.prediction.roundTrips, 3);
    const bundled = top({ ...files, "/w/package.json": JSON.stringify({ devDependencies: { esbuild: "0.25" } }) });
    assert.equal(bundled.prediction.status, "UNKNOWN");
    assert.ok(
      bundled.prediction.reasons.some((r) => r.startsWith("app.fetch(...) hands the request to something the analyser cannot resolve")),
      bundled.prediction.reasons.join("; "),
    );
  });

  it("./dist/other.js in an Astro project is not the adapter's build", () => {
    const worker = top({
      "/w/wrangler.jsonc": CONFIG("./worker.ts"),
      "/w/package.json": JSON.stringify({ dependencies: { astro: "5" } }),
      "/w/worker.ts": HANDS_OFF("./dist/server.js"),
      "/w/src/pages/api/orders.ts": `export const prerender = false;\n${TWO_TRIPS_ROUTE}`,
    });
    assert.equal(worker.prediction.status, "UNKNOWN");
  });

  describe("Next.js server actions outside the folders read for routes", () => {
    const NEXT = {
      "/w/wrangler.jsonc": CONFIG(".open-next/worker.js"),
      "/w/package.json": JSON.stringify({ dependencies: { next: "15", "@opennextjs/cloudflare": "1" } }),
    };

    it('an inline action (an arrow that starts with "use server") in a layout is a POST of its own, named by its variable', () => {
      const worker = top({
        ...NEXT,
        "/w/app/layout.tsx": `export default function Root({ children }) {\n  const logout = async () => {\n    "use server";\n    await fetch("https://auth.example.com/logout", { method: "POST" });\n    await fetch("https://audit.example.com/events", { method: "POST" });\n  };\n  return <html><body><form action={logout} />{children}</body></html>;\n}\n`,
        "/w/app/page.tsx": `export default function Home() { return <main />; }\n`,
      });
      assert.equal(worker.prediction.status, "SUCCESS");
      assert.equal(worker.prediction.roundTrips, 2);
      assert.match(worker.prediction.reasons[0]!, /\(POST server action logout \(app\/layout\.tsx\)\)$/);
    });

    it('a "use server" module nothing of the app imports is not a path', () => {
      const worker = top({
        ...NEXT,
        "/w/app/api/ping/route.ts": `export async function GET() { return fetch("https://status.example.com/ping"); }\n`,
        "/w/features/unused/actions.ts": `"use server";\nexport async function purge() { await fetch("https://a.example.com/1"); await fetch("https://a.example.com/2"); }\n`,
      });
      assert.equal(worker.prediction.status, "INSUFFICIENT_SUBREQUESTS");
      assert.equal(worker.prediction.roundTrips, 1);
    });

    it('a "use server" module after "use strict" imported by a page is a path', () => {
      const worker = top({
        ...NEXT,
        "/w/app/page.tsx": `import { save } from "../modules/save";\nexport default function Home() { return <form action={save} />; }\n`,
        "/w/modules/save.ts": `"use strict";\n"use server";\nexport async function save() { await fetch("https://a.example.com/1"); await fetch("https://a.example.com/2"); }\n`,
      });
      assert.equal(worker.prediction.status, "SUCCESS");
      assert.equal(worker.prediction.roundTrips, 2);
      assert.match(worker.prediction.reasons[0]!, /\(POST server action save \(modules\/save\.ts\)\)$/);
    });
  });

  it("a D1 binding a project function returns (`db = () => getCloudflareContext().env.DB`) is named by the binding", () => {
    const fs = new MemoryFileSystem({
      "/w/wrangler.jsonc": JSON.stringify({
        name: "x",
        main: ".open-next/worker.js",
        placement: { mode: "smart" },
        d1_databases: [{ binding: "SHOP_DB", database_name: "shop", database_id: "1" }],
      }),
      "/w/package.json": JSON.stringify({ dependencies: { next: "15", "@opennextjs/cloudflare": "1" } }),
      "/w/lib/db.ts": `import { getCloudflareContext } from "@opennextjs/cloudflare";\nexport const db = () => getCloudflareContext().env.SHOP_DB;\n`,
      "/w/app/api/carts/route.ts": `import { db } from "../../../lib/db";\nexport async function POST() { await db().prepare("a").run(); return Response.json(await db().prepare("b").first()); }\n`,
    });
    const result = analyzeConfig(fs, "/w/wrangler.jsonc", fs.readFile("/w/wrangler.jsonc")!, {});
    const worker = result.workers[0]!;
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.deepEqual(worker.prediction.backends, [{ host: "SHOP_DB", roundTrips: 2 }]);
  });
});
