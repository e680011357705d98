import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { buildReport } from "../../server/src/cli/report";
import { analyzeConfig, analyzePagesProject } from "../../server/src/core/analysis";
import { discoverConfigs } from "../../server/src/core/discovery";
import { pagesProjectOf } from "../../server/src/core/pagesProject";
import { normalizePath } from "../../server/src/core/fs";
import { NodeFileSystem } from "../../server/src/host/nodeFileSystem";
import { configOf, expectedOf, FIXTURES, fixtureDirs } from "./helpers/fixtures";

describe("fixture Workers (through the CLI's JSON report)", () => {
  const dirs = fixtureDirs();
  it("has at least 40 fixtures covering every status", () => {
    assert.ok(dirs.length >= 40, String(dirs.length));
    const statuses = new Set(dirs.map((d) => expectedOf(path.join(FIXTURES, d)).prediction.status));
    for (const s of ["NO_FETCH_HANDLER", "TARGETED", "D1_PINNED", "NO_VALID_HOSTS", "INSUFFICIENT_SUBREQUESTS", "SUCCESS", "UNKNOWN"])
      assert.ok(statuses.has(s), s);
  });

  const fs = new NodeFileSystem();
  for (const name of dirs) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      const expected = expectedOf(dir);
      const config = configOf(dir);
      const options = {
        ...(expected.platformRules ? { platformRules: expected.platformRules } : {}),
        ...(expected.assume ? { assume: expected.assume } : {}),
      };
      let analysis;
      if (config) {
        const file = normalizePath(config);
        analysis = analyzeConfig(fs, file, fs.readFile(file)!, options);
      } else {
        // A Pages project without a wrangler config: found as `check DIR` finds it.
        const found = discoverConfigs(fs, normalizePath(dir));
        assert.deepEqual(found.files, []);
        assert.deepEqual(found.projects, [normalizePath(dir)]);
        analysis = analyzePagesProject(fs, pagesProjectOf(fs, normalizePath(dir))!, options);
      }
      const report = buildReport([analysis], fs, normalizePath(dir));
      const top = report.workers.find((w) => w.env === null)!;
      assert.equal(top.prediction.status, expected.prediction.status, top.prediction.reasons.join("; "));
      assert.equal(top.prediction.platformRules, expected.platformRules ?? "current");
      assert.equal(top.prediction.assume, expected.assume ?? "likely");
      if (expected.prediction.reasons) assert.deepEqual(top.prediction.reasons, expected.prediction.reasons);
      assert.equal(top.prediction.roundTrips, expected.prediction.roundTrips);
      if (expected.prediction.backends) {
        const sort = (b: Array<{ host: string; roundTrips: number }>) => [...b].sort((x, y) => x.host.localeCompare(y.host));
        assert.deepEqual(sort(top.prediction.backends), sort(expected.prediction.backends));
      }
      const key = (s: { file: string; line: number; column: number }) => `${s.file}:${s.line}:${s.column}`;
      const actual = new Map(top.subrequests.map((s) => [key(s), s]));
      for (const want of expected.subrequests) {
        const got = actual.get(key(want));
        assert.ok(got, `missing subrequest at ${key(want)}; found ${[...actual.keys()].join(", ")}`);
        assert.deepEqual(got, want);
      }
      assert.equal(top.subrequests.length, expected.subrequests.length, `subrequests: ${[...actual.keys()].join(", ")}`);
      const codes = [...new Set(report.diagnostics.map((d) => d.code))].sort();
      assert.deepEqual(codes, expected.diagnostics);
    });
  }
});
