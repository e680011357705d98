import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { buildReport } from "../../server/src/cli/report";
import { analyzeConfig, analyzePagesProject } from "../../server/src/core/analysis";
import { discoverConfigs } from "../../server/src/core/discovery";
import { pagesProjectOf } from "../../server/src/core/pagesProject";
import { normalizePath } from "../../server/src/core/fs";
import { NodeFileSystem } from "../../server/src/host/nodeFileSystem";
import { configOf, expectedOf, type Expected, FIXTURES, fixtureDirs } from "./helpers/fixtures";

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
      const check = (
        worker: (typeof report.workers)[number],
        prediction: Expected["prediction"],
        subrequests: Expected["subrequests"] | undefined,
      ) => {
        const where = worker.env === null ? "" : `[env ${worker.env}] `;
        assert.equal(worker.prediction.status, prediction.status, where + worker.prediction.reasons.join("; "));
        assert.equal(worker.prediction.platformRules, expected.platformRules ?? "current");
        assert.equal(worker.prediction.assume, expected.assume ?? "likely");
        if (prediction.reasons) assert.deepEqual(worker.prediction.reasons, prediction.reasons);
        assert.equal(worker.prediction.roundTrips, prediction.roundTrips, where);
        if (prediction.backends) {
          const sort = (b: Array<{ host: string; roundTrips: number }>) => [...b].sort((x, y) => x.host.localeCompare(y.host));
          assert.deepEqual(sort(worker.prediction.backends), sort(prediction.backends));
        }
        if (!subrequests) return;
        const key = (s: { file: string; line: number; column: number }) => `${s.file}:${s.line}:${s.column}`;
        const actual = new Map(worker.subrequests.map((s) => [key(s), s]));
        for (const want of subrequests) {
          const got = actual.get(key(want));
          assert.ok(got, `${where}missing subrequest at ${key(want)}; found ${[...actual.keys()].join(", ")}`);
          assert.deepEqual(got, want);
        }
        assert.equal(worker.subrequests.length, subrequests.length, `${where}subrequests: ${[...actual.keys()].join(", ")}`);
      };
      check(
        report.workers.find((w) => w.env === null)!,
        expected.prediction,
        expected.subrequests,
      );
      for (const [env, want] of Object.entries(expected.environments ?? {})) {
        const worker = report.workers.find((w) => w.env === env);
        assert.ok(worker, `no Worker for [env.${env}]`);
        check(worker, want.prediction, want.subrequests);
      }
      const codes = [...new Set(report.diagnostics.map((d) => d.code))].sort();
      assert.deepEqual(codes, expected.diagnostics);
    });
  }
});
