import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { run } from "../../server/src/cli/main";

const ROOT = path.resolve(__dirname, "../..");

function cli(args: string[], cwd = ROOT): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = run(
    args,
    cwd,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe("smart-placement check (CONTRACT.md)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-cli-"));
    writeFileSync(path.join(dir, "wrangler.toml"), 'name = "bad"\nmain = "src/index.ts"\n\n[placement]\nmode = "smrt"\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("json: version 1, one entry per Worker and environment, relative '/' paths", () => {
    const { code, out, err } = cli(["check", "examples", "--format", "json"]);
    assert.equal(code, 0, err);
    const report = JSON.parse(out);
    assert.equal(report.version, 1);
    const edge = report.workers.filter((w: { config: string }) => w.config === "examples/edge-proxy/wrangler.jsonc");
    assert.deepEqual(
      edge.map((w: { env: string | null }) => w.env),
      [null, "staging"],
    );
    const orders = report.workers.find((w: { name: string }) => w.name === "orders-api");
    assert.deepEqual(orders.placement, { mode: "smart" });
    assert.equal(orders.entry, "examples/orders-api/src/index.ts");
    assert.deepEqual(orders.prediction.backends, [{ host: "db.orders.example.com", roundTrips: 3 }]);
    assert.equal(orders.subrequests[0].line, 9);
    for (const d of report.diagnostics)
      for (const key of ["file", "line", "column", "endLine", "endColumn", "severity", "code", "message"]) assert.ok(key in d, key);
  });

  it("--env analyses one environment as wrangler deploy --env would", () => {
    const report = JSON.parse(cli(["check", "examples/edge-proxy", "--format=json", "--env", "staging"]).out);
    assert.deepEqual(
      report.workers.map((w: { env: string }) => w.env),
      ["staging"],
    );
    assert.deepEqual(report.workers[0].placement, { hostname: "https://staging-origin.example.com/" });
  });

  it("exit 1 when a finding is an error; text output like a compiler's", () => {
    const { code, out } = cli(["check", "."], dir);
    assert.equal(code, 1);
    assert.match(out, /^wrangler\.toml:5:8: error placement-mode: /m);
    assert.match(out, /bad: UNKNOWN/);
    assert.match(out, /1 Worker analysed: 1 error, 1 warning, 0 notes\./);
  });

  it("sarif: 2.1.0 with one result per diagnostic, ruleId = code", () => {
    const { code, out } = cli(["check", path.join(dir, "wrangler.toml"), "--format", "sarif"]);
    assert.equal(code, 1);
    const sarif = JSON.parse(out);
    assert.equal(sarif.version, "2.1.0");
    const ids = sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
    assert.ok(ids.includes("placement-mode"));
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 5);
  });

  it("exit 2 with one line on stderr and nothing on stdout for an unreadable path or a usage error", () => {
    for (const args of [["check", "no/such/dir"], ["check", "--format", "xml"], ["frobnicate"], ["check", "README.md"]]) {
      const { code, out, err } = cli(args);
      assert.equal(code, 2, args.join(" "));
      assert.equal(out, "");
      assert.equal(err.trim().split("\n").length, 1, err);
    }
  });
});
