import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { runTrace, type TraceJsonReport } from "../../server/src/cli/trace";
import { expectedOf, FIXTURES, fixtureDirs } from "./helpers/fixtures";
import { bundleTraceChild } from "./helpers/traceChild";

/**
 * Ground truth: `smart-placement trace` runs each fixture Worker in local workerd (the project's
 * Miniflare, no network: every outbound fetch is answered by a stub) and counts the sequential waves
 * of back-end requests that finish before the response. That count must equal the static one.
 */
async function trace(args: string[]): Promise<{ code: number; report: TraceJsonReport; err: string }> {
  let out = "";
  let err = "";
  const code = await runTrace(
    // A generous delay: on a busy machine, requests the Worker sends together still overlap.
    [...args, "--format", "json", "--delay", "100"],
    FIXTURES,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, report: JSON.parse(out) as TraceJsonReport, err };
}

describe("ground truth: static round trips equal what workerd does", { concurrency: 4 }, () => {
  const cases = fixtureDirs()
    .map((name) => ({ name, expected: expectedOf(path.join(FIXTURES, name)) }))
    .filter((c) => c.expected.groundTruth !== undefined);
  let cleanUp: () => void;
  before(() => (cleanUp = bundleTraceChild()));
  after(() => cleanUp());

  it("runs at least 15 fixtures", () => {
    assert.ok(cases.filter((c) => c.expected.groundTruth?.roundTrips !== undefined).length >= 15);
  });

  for (const { name, expected } of cases) {
    const truth = expected.groundTruth!;
    it(name, { skip: truth.skip }, async () => {
      const { code, report, err } = await trace([name, "--request", `GET ${truth.path ?? "/"}`]);
      const request = report.workers[0]!.requests[0]!;
      // No request at all: the Worker could not be built or started (say why, rather than fail on undefined).
      assert.ok(request, `no request was traced: ${report.workers[0]?.error ?? err}`);
      assert.equal(request.observed?.waves, truth.roundTrips, `workerd made ${request.observed?.waves} sequential back-end round trips`);
      assert.equal(request.agreement, "agree", request.explanation);
      assert.equal(code, 0, err);
      assert.equal(expected.prediction.roundTrips, truth.roundTrips, "the static expectation and the ground truth differ");
    });
  }

  it("a loop that runs three times agrees with the static count, where a loop counts as two", async () => {
    const { code, report } = await trace(["22-loop"]);
    const request = report.workers[0]!.requests[0]!;
    assert.equal(request.observed?.waves, 3);
    assert.equal(request.predicted.roundTrips, 2);
    assert.equal(request.agreement, "agree");
    assert.match(
      request.explanation,
      /observed 3 sequential waves to back ends, predicted 2 on the Worker's longest path, where a loop counts as two/,
    );
    assert.equal(code, 0);
    assert.deepEqual(report.summary, { requests: 1, agree: 1, disagree: 0, notCompared: 0, errors: 0 });
  });
});
