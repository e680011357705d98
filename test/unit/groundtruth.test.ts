import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { build } from "esbuild";
import { Miniflare, Response as MiniflareResponse } from "miniflare";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { classifyHost } from "../../server/src/core/worker/hosts";
import { configOf, expectedOf, FIXTURES, fixtureDirs } from "./helpers/fixtures";

/**
 * Ground truth: run fixture Workers in local workerd (Miniflare, no network: every outbound fetch
 * lands in `outboundService`, which answers after a fixed latency) and count the sequential waves
 * of back-end requests that finish before the response. That count must equal the static one.
 */
const LATENCY_MS = 30;

interface Outbound {
  host: string;
  start: number;
  end: number;
}

/** Requests that overlap in time run in parallel: one wave. */
export function countWaves(requests: readonly Outbound[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  let waves = 0;
  let waveEnd = -Infinity;
  for (const request of sorted) {
    if (request.start >= waveEnd - 1) {
      waves++;
      waveEnd = request.end;
    } else waveEnd = Math.max(waveEnd, request.end);
  }
  return waves;
}

async function run(dir: string, expected: ReturnType<typeof expectedOf>): Promise<number> {
  const configFile = configOf(dir)!;
  const config = loadWranglerConfig(configFile, readFileSync(configFile, "utf8"));
  const top = config.environments[0]!;
  const serviceWorker = expected.groundTruth?.serviceWorker === true;
  const bundle = await build({
    entryPoints: [path.join(dir, top.main!.value)],
    bundle: true,
    write: false,
    format: serviceWorker ? "iife" : "esm",
    platform: "neutral",
    target: "es2022",
    external: ["cloudflare:*"],
    logLevel: "silent",
  });
  const seen: Outbound[] = [];
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: !serviceWorker,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: "2025-01-01",
    bindings: { ...top.vars },
    outboundService: async (request: { url: string }) => {
      const start = performance.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      seen.push({ host: new URL(request.url).hostname, start, end: performance.now() - t0 });
      return new MiniflareResponse("{}", { headers: { "content-type": "application/json" } });
    },
  });
  try {
    await mf.ready;
    const response = await mf.dispatchFetch(`http://example.com${expected.groundTruth?.path ?? "/"}`);
    await response.text();
    const responded = performance.now() - t0;
    const onPath = seen.filter((r) => r.end <= responded && classifyHost(r.host).category === "backend");
    return countWaves(onPath);
  } finally {
    await mf.dispose();
  }
}

describe("ground truth: static round trips equal what workerd does", () => {
  const cases = fixtureDirs()
    .map((name) => ({ name, dir: path.join(FIXTURES, name), expected: expectedOf(path.join(FIXTURES, name)) }))
    .filter((c) => c.expected.groundTruth !== undefined);

  it("runs at least 15 fixtures", () => {
    assert.ok(cases.filter((c) => c.expected.groundTruth?.roundTrips !== undefined).length >= 15);
  });

  it("counts parallel requests as one wave", () => {
    assert.equal(
      countWaves([
        { host: "a", start: 0, end: 30 },
        { host: "a", start: 1, end: 31 },
        { host: "a", start: 32, end: 62 },
      ]),
      2,
    );
  });

  for (const { name, dir, expected } of cases) {
    const truth = expected.groundTruth!;
    it(name, { skip: truth.skip }, async () => {
      const observed = await run(dir, expected);
      assert.equal(observed, truth.roundTrips, `workerd made ${observed} sequential back-end round trips`);
      assert.equal(expected.prediction.roundTrips, truth.roundTrips, "the static expectation and the ground truth differ");
    });
  }
});
