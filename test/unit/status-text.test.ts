import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  answersFromStatus,
  platformLine,
  PlatformAnswers,
  statusContent,
  type PredictionSummary,
  type WorkerSummary,
} from "../../client/src/statusText";

const RANGE = { start: { line: 3, character: 0 }, end: { line: 3, character: 11 } };

function worker(env: string | null, overrides: Partial<WorkerSummary> = {}): WorkerSummary {
  return {
    config: "file:///w/api/wrangler.toml",
    env,
    name: "api",
    status: "SUCCESS",
    configured: "Smart",
    verdict: "would help",
    prediction: "would help: 2 sequential round trips to db.example.com",
    headline: "would help",
    severity: "information",
    range: RANGE,
    ...overrides,
  };
}

const summary = (workers: WorkerSummary[]): PredictionSummary => ({ ...workers[0]!, workers });
const at = (hours: number, minutes: number): Date => new Date(2026, 11, 1, hours, minutes);

describe("the status item's text (client, pure)", () => {
  it("says what the platform answered, when it was asked, and the prediction it was compared with", () => {
    assert.equal(
      platformLine({ placementStatus: "SUCCESS", read: true, predicted: "SUCCESS", checkedAt: at(10, 42) }),
      "Platform (checked 10:42): SUCCESS — predicted SUCCESS",
    );
    assert.equal(
      platformLine({ placementStatus: null, read: true, predicted: "SUCCESS", checkedAt: at(9, 5) }),
      "Platform (checked 09:05): not analysed yet — predicted SUCCESS",
    );
    assert.equal(
      platformLine({ placementStatus: null, read: false, predicted: "NO_VALID_HOSTS", checkedAt: at(23, 0) }),
      "Platform (checked 23:00): no answer — predicted NO_VALID_HOSTS",
    );
  });

  it("the tooltip (detail) carries the last answer of each Worker, and nothing before one", () => {
    const answers = new PlatformAnswers();
    const one = summary([worker(null)]);
    const shown = () => statusContent(one, (w) => answers.get(w.config, w.env));
    assert.equal(shown().detail, "would help: 2 sequential round trips to db.example.com (SUCCESS)");
    let changes = 0;
    answers.onDidChange(() => changes++);
    answers.set("file:///w/api/wrangler.toml", null, {
      placementStatus: "SUCCESS",
      read: true,
      predicted: "SUCCESS",
      checkedAt: at(10, 42),
    });
    assert.equal(changes, 1);
    assert.deepEqual(shown(), {
      text: "Smart · would help",
      detail: "would help: 2 sequential round trips to db.example.com (SUCCESS) · Platform (checked 10:42): SUCCESS — predicted SUCCESS",
      severity: "information",
    });
    // Another environment of the same config has its own answer.
    const two = summary([worker(null), worker("staging", { headline: "stays near the user", status: "INSUFFICIENT_SUBREQUESTS" })]);
    assert.equal(
      statusContent(two, (w) => answers.get(w.config, w.env)).detail,
      "api: would help (SUCCESS) · Platform (checked 10:42): SUCCESS — predicted SUCCESS; api (env staging): stays near the user (INSUFFICIENT_SUBREQUESTS)",
    );
  });

  it("the config's URI is compared as the editor spells it", () => {
    const answers = new PlatformAnswers((uri) => uri.replace("%3A", ":"));
    answers.set("file:///c%3A/w/wrangler.toml", null, {
      placementStatus: "SUCCESS",
      read: true,
      predicted: "SUCCESS",
      checkedAt: at(1, 2),
    });
    assert.equal(answers.get("file:///c:/w/wrangler.toml", null)?.placementStatus, "SUCCESS");
    assert.equal(answers.get("file:///c:/w/wrangler.toml", "staging"), undefined);
  });

  it("reads status --format json: each Worker's environment and placement status, nothing else", () => {
    const output = {
      version: 1,
      workers: [
        {
          config: "api/wrangler.toml",
          env: null,
          name: "api",
          prediction: { status: "SUCCESS", roundTrips: 2 },
          platform: { placementMode: "smart", placementStatus: "SUCCESS" },
          agreement: "agree",
          explanation: "predicted SUCCESS, platform SUCCESS: agree",
        },
        { config: "api/wrangler.toml", env: "staging", prediction: { status: "SUCCESS" }, platform: null, agreement: "error" },
        { config: "x", prediction: "not an object" },
      ],
    };
    assert.deepEqual(answersFromStatus(output, at(10, 42)), [
      { env: null, answer: { placementStatus: "SUCCESS", read: true, predicted: "SUCCESS", checkedAt: at(10, 42) } },
      { env: "staging", answer: { placementStatus: null, read: false, predicted: "SUCCESS", checkedAt: at(10, 42) } },
    ]);
    assert.deepEqual(answersFromStatus("garbage", at(0, 0)), []);
    assert.deepEqual(answersFromStatus(null, at(0, 0)), []);
  });
});
