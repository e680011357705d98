import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { createAnalysisCache } from "../../server/src/core/worker/analyze";

const SOURCE = `export default {
  async fetch(request: Request, env: { API: string; LOG_LEVEL: string }): Promise<Response> {
    const a = await fetch(env.API + "/a");
    const b = await fetch(env.API + "/b");
    return new Response(String(a.status + b.status));
  },
};
`;

const CONFIG = `name = "api"
main = "src/index.ts"
compatibility_date = "2025-01-01"
routes = ["api.example.com/*"]

[vars]
API = "https://db.example.com"
LOG_LEVEL = "debug"

[env.staging]
routes = ["staging.example.com/*"]
vars = { API = "https://db.example.com", LOG_LEVEL = "info" }

[env.eu]
routes = ["eu.example.com/*"]
vars = { API = "https://db.example.com", LOG_LEVEL = "warn" }

[env.other]
vars = { API = "https://other.example.net", LOG_LEVEL = "debug" }
`;

describe("environments share their analysis", () => {
  const fs = new MemoryFileSystem({ "/w/wrangler.toml": CONFIG, "/w/src/index.ts": SOURCE });

  it("environments that differ only in routes and in vars the code does not read get one analysis", () => {
    const result = analyzeConfig(fs, "/w/wrangler.toml", CONFIG, { cache: createAnalysisCache() });
    assert.deepEqual(
      result.workers.map((w) => w.env.name),
      [null, "staging", "eu", "other"],
    );
    const [top, staging, eu, other] = result.workers.map((w) => w.analysis);
    assert.equal(staging, top);
    assert.equal(eu, top);
    assert.deepEqual(
      top!.backends.map((b) => [b.host, b.roundTrips]),
      [["db.example.com", 2]],
    );
    // A var the code reads differs: analysed on its own, with its own host.
    assert.notEqual(other, top);
    assert.deepEqual(
      other!.backends.map((b) => [b.host, b.roundTrips]),
      [["other.example.net", 2]],
    );
  });

  it("gives every environment what analysing it alone gives", () => {
    const together = analyzeConfig(fs, "/w/wrangler.toml", CONFIG, { cache: createAnalysisCache() });
    for (const worker of together.workers) {
      const alone = analyzeConfig(fs, "/w/wrangler.toml", CONFIG, { env: worker.env.name, cache: createAnalysisCache() });
      assert.deepEqual(JSON.parse(JSON.stringify(alone.workers[0]!.analysis)), JSON.parse(JSON.stringify(worker.analysis)));
      assert.deepEqual(alone.workers[0]!.prediction, worker.prediction);
    }
  });

  it("a kept summary replayed from an earlier run does not hide which vars the code reads", () => {
    const cache = createAnalysisCache();
    analyzeConfig(fs, "/w/wrangler.toml", CONFIG, { cache });
    const again = analyzeConfig(fs, "/w/wrangler.toml", CONFIG, { cache });
    const other = again.workers.find((w) => w.env.name === "other")!;
    assert.deepEqual(
      other.analysis.backends.map((b) => b.host),
      ["other.example.net"],
    );
  });
});
