import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";

function top(files: Record<string, string>, config = "/w/wrangler.toml") {
  const fs = new MemoryFileSystem(files);
  const result = analyzeConfig(fs, config, fs.readFile(config)!, {});
  const worker = result.workers[0]!;
  return {
    worker,
    status: worker.prediction.status,
    trips: worker.prediction.roundTrips,
    hosts: worker.analysis.subrequests.filter((s) => s.criticalPath).map((s) => s.target),
  };
}

const PAGES_FN = `export async function onRequestGet() { await fetch("https://api.example.com/a"); return fetch("https://api.example.com/b"); }\n`;

describe("main built from a Pages functions/ folder", () => {
  it("a script's --outfile names the main: the Pages Functions are the Worker", () => {
    const { status, trips } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = "out/worker.js"\n',
      "/w/package.json": JSON.stringify({ scripts: { build: "wrangler pages functions build --outfile out/worker.js && echo done" } }),
      "/w/functions/api/items.js": PAGES_FN,
    });
    assert.equal(status, "SUCCESS");
    assert.equal(trips, 2);
  });

  it("a script that builds another folder, or to another file, does not make an unbuilt dist/ main a Pages project", () => {
    for (const script of ["wrangler pages functions build api --outdir dist", "wrangler pages functions build --outfile dist/other.js"]) {
      const { status } = top({
        "/w/wrangler.toml": 'name = "x"\nmain = "dist/worker.js"\n',
        "/w/package.json": JSON.stringify({ scripts: { build: script } }),
        "/w/functions/api/items.js": PAGES_FN,
      });
      assert.equal(status, "UNKNOWN", script);
    }
  });

  it("without a script, only an unbuilt main under .wrangler/ is taken for the functions/ build", () => {
    const files = { "/w/functions/api/items.js": PAGES_FN };
    assert.equal(top({ ...files, "/w/wrangler.toml": 'name = "x"\nmain = ".wrangler/build/index.js"\n' }).status, "SUCCESS");
    assert.equal(top({ ...files, "/w/wrangler.toml": 'name = "x"\nmain = "build/index.js"\n' }).status, "UNKNOWN");
  });
});

const MASTRA_MAIN = 'name = "x"\nmain = ".mastra/output/index.mjs"\n';
const MASTRA_PKG = JSON.stringify({ dependencies: { "@mastra/core": "0.13.0", "@mastra/libsql": "0.13.0", "@mastra/memory": "0.12.0" } });

describe("Mastra", () => {
  it("an agent with a local file store for memory makes no memory round trips; its model is one", () => {
    const { status, trips, hosts } = top({
      "/w/wrangler.toml": MASTRA_MAIN,
      "/w/package.json": MASTRA_PKG,
      "/w/src/mastra/index.ts": `import { Mastra } from "@mastra/core/mastra";
import { Agent } from "@mastra/core/agent";
import { Memory } from "@mastra/memory";
import { LibSQLStore } from "@mastra/libsql";
import { groq } from "@ai-sdk/groq";
const notes = new Agent({ name: "n", instructions: "i", model: groq("llama-3.1-8b-instant"), memory: new Memory({ storage: new LibSQLStore({ url: "file:../mastra.db" }) }) });
export const mastra = new Mastra({ agents: { notes } });
`,
    });
    assert.equal(status, "INSUFFICIENT_SUBREQUESTS");
    assert.equal(trips, 1);
    assert.deepEqual(hosts, ["api.groq.com"]);
  });

  it("a workflow's .parallel([...]) steps and .then step run one after another", () => {
    const step = (id: string, host: string) =>
      `const ${id} = createStep({ id: "${id}", execute: async () => { const r = await fetch("https://${host}/x"); return { ok: r.ok }; } });\n`;
    const { status, trips } = top({
      "/w/wrangler.toml": MASTRA_MAIN,
      "/w/package.json": MASTRA_PKG,
      "/w/src/mastra/index.js": `import { Mastra } from "@mastra/core";
import { createStep, createWorkflow } from "@mastra/core/workflows";
${step("a", "one.example.com")}${step("b", "two.example.com")}${step("c", "three.example.com")}
const flow = createWorkflow({ id: "flow" }).parallel([a, b]).then(c).commit();
export const mastra = new Mastra({ workflows: { flow } });
`,
    });
    assert.equal(status, "SUCCESS");
    assert.equal(trips, 3);
  });

  it("a generate() call on something that is not a Mastra agent is left as it was", () => {
    const { worker } = top({
      "/w/wrangler.toml": 'name = "x"\nmain = "src/index.ts"\n',
      "/w/package.json": MASTRA_PKG,
      "/w/src/index.ts": `const report = { async generate(n: number) { return String(n); } };
export default { async fetch() { const text = await report.generate(2); await fetch("https://api.example.com/a"); return new Response(text); } };
`,
    });
    assert.equal(worker.prediction.status, "INSUFFICIENT_SUBREQUESTS");
    assert.equal(worker.prediction.roundTrips, 1);
  });
});
