import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { ContainedFileSystem, MemoryFileSystem, type FileSystem } from "../../server/src/core/fs";
import { HANDLER_PACKAGES, handlerPackage } from "../../server/src/core/worker/handlers/handlerPackages";

function top(files: Record<string, string>, config: string, fs: FileSystem = new MemoryFileSystem(files)) {
  const result = analyzeConfig(fs, config, fs.readFile(config)!, {});
  return { worker: result.workers[0]!, codes: result.findings.map((f) => f.code).sort() };
}

const R2_CONFIG = (buckets: string[]) =>
  `name = "files"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\n${buckets.map((b) => `\n[[r2_buckets]]\nbinding = "${b}"\nbucket_name = "${b.toLowerCase()}"\n`).join("")}`;

describe("fetch handlers made by a handler-making package", () => {
  it("the table has r2-explorer's R2Explorer, and nothing else of that package", () => {
    assert.equal(handlerPackage("r2-explorer", "R2Explorer")?.binding.section, "r2");
    assert.equal(handlerPackage("r2-explorer", "default"), undefined);
    assert.equal(handlerPackage("some-kit", "R2Explorer"), undefined);
    assert.deepEqual(
      HANDLER_PACKAGES.map((p) => p.module),
      ["r2-explorer"],
    );
  });

  for (const ext of ["ts", "js"] as const)
    it(`export default R2Explorer({ readonly: true }) (.${ext}): one R2 binding call per request, NO_VALID_HOSTS`, () => {
      const { worker, codes } = top(
        {
          "/w/wrangler.toml": R2_CONFIG(["FILES"]).replace("src/index.ts", `src/index.${ext}`),
          [`/w/src/index.${ext}`]: `import { R2Explorer } from "r2-explorer";\n\nexport default R2Explorer({ readonly: true, basicAuth: { username: "a", password: "b" } });\n`,
        },
        "/w/wrangler.toml",
      );
      assert.equal(worker.prediction.status, "NO_VALID_HOSTS");
      assert.deepEqual(
        worker.analysis.subrequests.map((s) => [s.kind, s.target, s.category, s.criticalPath]),
        [["r2", "FILES", "binding", true]],
      );
      assert.equal(
        worker.analysis.subrequests[0]!.note,
        `R2Explorer(...) from "r2-explorer" serves a file manager (a dashboard and an API) over the Worker's R2 bucket bindings: each request is a call on an R2 bucket binding`,
      );
      assert.deepEqual(worker.analysis.unknowns, []);
      assert.deepEqual(codes, ["placement-no-valid-hosts"]);
    });

  it("several buckets: one call on one of them, named in the note", () => {
    const { worker } = top(
      {
        "/w/wrangler.toml": R2_CONFIG(["PHOTOS", "BACKUPS"]),
        "/w/src/index.ts": `import { R2Explorer } from "r2-explorer";\nexport default R2Explorer();\n`,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.status, "NO_VALID_HOSTS");
    assert.deepEqual(
      worker.analysis.subrequests.map((s) => [s.kind, s.target, s.category]),
      [["r2", null, "binding"]],
    );
    assert.match(worker.analysis.subrequests[0]!.note!, /\(one of PHOTOS, BACKUPS\)$/);
  });

  it("with cfAccessTeamName it is UNKNOWN, naming the package and the option", () => {
    const { worker } = top(
      {
        "/w/wrangler.toml": R2_CONFIG(["FILES"]),
        "/w/src/index.ts": `import { R2Explorer } from "r2-explorer";\nexport default R2Explorer({ cfAccessTeamName: "team" });\n`,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.ok(
      worker.prediction.reasons.includes(
        `the fetch handler is made by R2Explorer(...) from "r2-explorer", which with cfAccessTeamName checks Cloudflare Access tokens against the team's certificates, fetched at run time: its subrequests cannot be seen`,
      ),
      worker.prediction.reasons.join("\n"),
    );
  });

  it("options held in a name cannot be read: UNKNOWN naming the package", () => {
    const { worker } = top(
      {
        "/w/wrangler.toml": R2_CONFIG(["FILES"]),
        "/w/src/index.ts": `import { R2Explorer } from "r2-explorer";\nimport { options } from "./options";\nexport default R2Explorer(options);\n`,
        "/w/src/options.ts": `export const options = { readonly: true };\n`,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.ok(
      worker.prediction.reasons.some((r) => r.includes(`from "r2-explorer", which is given options the analyser cannot read`)),
      worker.prediction.reasons.join("\n"),
    );
  });

  it("a package not in the table stays UNKNOWN naming the package", () => {
    const { worker } = top(
      {
        "/w/wrangler.toml": R2_CONFIG(["FILES"]),
        "/w/src/index.ts": `import { makeFileServer } from "bucket-kit";\nexport default makeFileServer({ readonly: true });\n`,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.ok(
      worker.prediction.reasons.includes(
        `the fetch handler is made by makeFileServer(...) from "bucket-kit", whose subrequests the analyser cannot see`,
      ),
      worker.prediction.reasons.join("\n"),
    );
  });
});

describe("a framework's build output in another folder than the config's", () => {
  const ROUTE = `export async function GET() {\n  await fetch("https://reports.example.com/a");\n  return fetch("https://reports.example.com/b");\n}\n`;
  const APP = {
    "/repo/package.json": JSON.stringify({ private: true, workspaces: ["apps/*", "infra/*"] }),
    "/repo/apps/dashboard/package.json": JSON.stringify({ dependencies: { next: "15.0.0", "@opennextjs/cloudflare": "1.0.0" } }),
    "/repo/apps/dashboard/next.config.mjs": "export default {};\n",
    "/repo/apps/dashboard/app/api/reports/route.ts": ROUTE,
  };
  const CONFIG = (main: string) => JSON.stringify({ name: "dashboard", main, placement: { mode: "smart" } });

  it("main ../../apps/dashboard/.open-next/worker.js from infra/worker: the Next app's routes", () => {
    const { worker, codes } = top(
      { ...APP, "/repo/infra/worker/wrangler.jsonc": CONFIG("../../apps/dashboard/.open-next/worker.js") },
      "/repo/infra/worker/wrangler.jsonc",
    );
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
    assert.ok(
      worker.prediction.reasons.includes(
        `main "../../apps/dashboard/.open-next/worker.js" is Next.js build output of the app in ../../apps/dashboard: the request paths are read from the Next.js app's own routes`,
      ),
      worker.prediction.reasons.join("\n"),
    );
    assert.deepEqual(
      worker.analysis.subrequests.map((s) => s.file),
      ["/repo/apps/dashboard/app/api/reports/route.ts", "/repo/apps/dashboard/app/api/reports/route.ts"],
    );
    assert.deepEqual(codes, []);
  });

  it("three levels up, with ./ and a folder name in between", () => {
    const { worker } = top(
      { ...APP, "/repo/deploy/cf/prod/wrangler.jsonc": CONFIG("./../../../apps/dashboard/.open-next/worker.js") },
      "/repo/deploy/cf/prod/wrangler.jsonc",
    );
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
  });

  it("an app outside the folders the analysis may read is not read", () => {
    const files = { ...APP, "/repo/infra/worker/wrangler.jsonc": CONFIG("../../apps/dashboard/.open-next/worker.js") };
    const fs = new ContainedFileSystem(new MemoryFileSystem(files), ["/repo/infra"]);
    const { worker } = top(files, "/repo/infra/worker/wrangler.jsonc", fs);
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.deepEqual(worker.analysis.subrequests, []);
    assert.match(worker.prediction.reasons[0]!, /^main "\.\.\/\.\.\/apps\/dashboard\/\.open-next\/worker\.js" was not found/);
  });

  it("a folder without its own package.json is not taken for the app (the root's is another package's)", () => {
    const { worker } = top(
      {
        "/repo/package.json": JSON.stringify({ dependencies: { next: "15.0.0" } }),
        "/repo/apps/dashboard/app/api/reports/route.ts": ROUTE,
        "/repo/infra/worker/wrangler.jsonc": CONFIG("../../apps/dashboard/.open-next/worker.js"),
      },
      "/repo/infra/worker/wrangler.jsonc",
    );
    assert.equal(worker.prediction.status, "UNKNOWN");
  });
});

describe("Wrangler v1 type = javascript", () => {
  const TOML = `name = "v1"\ntype = "javascript"\nworkers_dev = true\n`;
  const SW = `addEventListener("fetch", (event) => event.respondWith(handle()));\nasync function handle() {\n  await fetch("https://a.example.com/1");\n  return fetch("https://b.example.com/2");\n}\n`;
  const lost = (why: string, where = "the config's folder") =>
    `The file is a Wrangler v1 config (type = "javascript"), whose entry cannot be found: Wrangler v1 uploaded the file named by the "main" of the package.json in ${where}, and ${why}.`;

  it("the package.json main of the config's folder is the entry", () => {
    const { worker } = top(
      { "/w/wrangler.toml": TOML, "/w/package.json": JSON.stringify({ main: "src/worker.js" }), "/w/src/worker.js": SW },
      "/w/wrangler.toml",
    );
    assert.equal(worker.analysis.entry, "/w/src/worker.js");
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
  });

  it("no package.json in the config's folder: a monorepo root's main is not the Worker's", () => {
    const { worker, codes } = top(
      {
        "/m/package.json": JSON.stringify({ main: "dist/app.js", workspaces: ["workers/*"] }),
        "/m/dist/app.js": SW,
        "/m/workers/legacy/wrangler.toml": TOML,
        "/m/workers/legacy/index.js": SW,
      },
      "/m/workers/legacy/wrangler.toml",
    );
    assert.equal(worker.analysis.entry, null);
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.deepEqual(worker.prediction.reasons, [lost("there is no package.json there")]);
    assert.deepEqual(codes, ["worker-entry"]);
  });

  it("a package.json without main: no guessed index.js", () => {
    const { worker } = top({ "/w/wrangler.toml": TOML, "/w/package.json": "{}", "/w/index.js": SW }, "/w/wrangler.toml");
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.deepEqual(worker.prediction.reasons, [lost('that package.json has no "main"')]);
  });

  it("a main that does not exist, with no source it is built from, says the v1 entry cannot be found", () => {
    const { worker } = top({ "/w/wrangler.toml": TOML, "/w/package.json": JSON.stringify({ main: "worker.js" }) }, "/w/wrangler.toml");
    assert.deepEqual(worker.prediction.reasons, [
      `The file is a Wrangler v1 config (type = "javascript"), whose entry cannot be found: its entry, package.json's main "worker.js", was not found, nor a source it is built from.`,
    ]);
  });

  it("[site] without entry-point: workers-site/package.json names the entry", () => {
    const { worker } = top(
      {
        "/w/wrangler.toml": `${TOML}\n[site]\nbucket = "./public"\n`,
        "/w/package.json": JSON.stringify({ main: "index.js" }),
        "/w/index.js": `addEventListener("fetch", (e) => e.respondWith(new Response("top")));\n`,
        "/w/workers-site/package.json": JSON.stringify({ main: "index.js" }),
        "/w/workers-site/index.js": SW,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.analysis.entry, "/w/workers-site/index.js");
    assert.equal(worker.prediction.roundTrips, 2);
  });

  it("[site] entry-point without a package.json there names that folder", () => {
    const { worker } = top(
      {
        "/w/wrangler.toml": `${TOML}\n[site]\nbucket = "./public"\nentry-point = "edge"\n`,
        "/w/package.json": JSON.stringify({ main: "index.js" }),
        "/w/index.js": SW,
      },
      "/w/wrangler.toml",
    );
    assert.deepEqual(worker.prediction.reasons, [lost("there is no package.json there", '[site] entry-point "edge"')]);
  });

  it("no package.json main, but a _worker.js in the entry-point folder: read, and said to be assumed", () => {
    const { worker, codes } = top(
      {
        "/w/wrangler.toml": `${TOML}\n[site]\nbucket = "./public"\nentry-point = "./"\n`,
        "/w/_worker.js": `export default { async fetch() { await fetch("https://a.example.com/1"); return fetch("https://b.example.com/2"); } };\n`,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.analysis.entry, "/w/_worker.js");
    assert.equal(worker.prediction.status, "SUCCESS");
    assert.equal(worker.prediction.roundTrips, 2);
    assert.equal(
      worker.prediction.reasons[worker.prediction.reasons.length - 1],
      `read as a Wrangler v1 config (type = "javascript"): Wrangler v1 uploaded the file named by the "main" of the package.json in [site] entry-point "./", and there is no package.json there; the prediction is made from _worker.js there, assumed to be the Worker`,
    );
    assert.ok(!codes.includes("worker-entry"));
    // A package.json without "main" there: the same.
    const noMain = top(
      { "/w/wrangler.toml": TOML, "/w/package.json": JSON.stringify({ name: "v1" }), "/w/_worker.js": SW },
      "/w/wrangler.toml",
    );
    assert.equal(noMain.worker.analysis.entry, "/w/_worker.js");
    assert.match(
      noMain.worker.prediction.reasons.at(-1)!,
      /and that package\.json has no "main"; the prediction is made from _worker\.js there/,
    );
  });

  it("a _worker.js elsewhere (not in the folder v1 read) is not taken: still UNKNOWN", () => {
    const { worker } = top(
      {
        "/w/wrangler.toml": `${TOML}\n[site]\nbucket = "./public"\nentry-point = "edge"\n`,
        "/w/_worker.js": SW,
        "/w/public/_worker.js": SW,
      },
      "/w/wrangler.toml",
    );
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.deepEqual(worker.prediction.reasons, [lost("there is no package.json there", '[site] entry-point "edge"')]);
  });
});
