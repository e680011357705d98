import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { estimatePictureHtml } from "../../server/src/core/estimate/picture";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { ruleInfo } from "../../server/src/core/rules/catalogue";
import { checkTrace } from "../../server/src/core/rules/trace";
import { readTraceReport, type TraceJsonReport, type TraceJsonRequest, type TraceJsonWorker } from "../../server/src/core/trace/report";
import { tickStep, traceWaterfallHtml, waterfallSvg } from "../../server/src/core/trace/waterfall";

const CONFIG = "/p/wrangler.toml";
const SOURCE = "/p/src/index.ts";

function workerOf(source: string): ReturnType<typeof analyzeConfig>["workers"][number] {
  const files = { [CONFIG]: 'name = "shop"\nmain = "src/index.ts"\n', [SOURCE]: source };
  return analyzeConfig(new MemoryFileSystem(files), CONFIG, files[CONFIG]!, {}).workers[0]!;
}

const OBJECT_WORKER = `export default {
  async fetch(request: Request) {
    const url = new URL(request.url);
    if (url.pathname === "/deep") await fetch("https://db.example.com/a");
    await fetch("https://db.example.com/b");
    return new Response("ok");
  },
};
`;

const HONO_WORKER = `import { Hono } from "hono";
const app = new Hono();
app.get("/products/:id", async (c) => {
  await fetch("https://db.example.com/a");
  await fetch("https://db.example.com/b");
  return c.json({});
});
app.get("/", (c) => c.text("hi"));
export default app;
`;

function request(overrides: Partial<TraceJsonRequest>): TraceJsonRequest {
  return {
    method: "GET",
    path: "/",
    status: 200,
    error: null,
    responseMs: 120,
    subrequests: [
      {
        via: "fetch",
        method: "GET",
        url: "https://db.example.com/b",
        target: "db.example.com",
        category: "backend",
        startMs: 2,
        endMs: 54,
        status: 200,
        afterResponse: false,
        wave: 1,
      },
      {
        via: "fetch",
        method: "POST",
        url: "https://api.honeycomb.io/1/events/x",
        target: "api.honeycomb.io",
        category: "analytics",
        startMs: 60,
        endMs: 170,
        status: 200,
        afterResponse: true,
        wave: null,
      },
    ],
    observed: { waves: 1, backends: [{ host: "db.example.com", requests: 1 }] },
    predicted: { roundTrips: 2, routes: [] },
    agreement: "disagree",
    explanation:
      "observed 1 sequential wave to back ends (db.example.com ×1), predicted 2 on the Worker's longest path: this request may not take the longest path the prediction describes: send one that does with --request",
    ...overrides,
  };
}

function traceWorker(requests: TraceJsonRequest[], env: string | null = null): TraceJsonWorker {
  return {
    config: "wrangler.toml",
    env,
    name: "shop",
    entry: "src/index.ts",
    prediction: { status: "SUCCESS", roundTrips: 2 },
    runtime: { miniflare: "4.20250906.0", via: "miniflare", buildMs: 40, startMs: 900 },
    notTraced: [],
    error: null,
    requests,
  };
}

const report = (workers: TraceJsonWorker[]): TraceJsonReport => ({
  version: 1,
  workers,
  summary: { requests: 1, agree: 0, disagree: 1, notCompared: 0, errors: 0 },
});

describe("trace results: reading a report handed over by the editor", () => {
  it("reads a version 1 report as it is", () => {
    const worker = traceWorker([request({})]);
    assert.deepEqual(readTraceReport(JSON.parse(JSON.stringify(report([worker])))), [worker]);
  });

  it("keeps what is sound and drops the rest, never throws", () => {
    assert.deepEqual(readTraceReport(null), []);
    assert.deepEqual(readTraceReport("{}"), []);
    assert.deepEqual(readTraceReport({ version: 2, workers: [traceWorker([])] }), []);
    assert.deepEqual(readTraceReport({ version: 1, workers: "no" }), []);
    const bad = JSON.parse(JSON.stringify(report([traceWorker([request({})])]))) as { workers: Array<Record<string, unknown>> };
    const requests = bad.workers[0]!.requests as Array<Record<string, unknown>>;
    const subs = requests[0]!.subrequests as Array<Record<string, unknown>>;
    subs[0]!.startMs = "soon"; // not a number: the subrequest goes
    subs[1]!.endMs = -1; // ends before it starts: goes
    requests.push({ method: "GET", path: "/x", agreement: "maybe" }); // an agreement that does not exist: goes
    bad.workers.push({ name: "no config" }); // a Worker without its config: goes
    const read = readTraceReport(bad);
    assert.equal(read.length, 1);
    assert.equal(read[0]!.requests.length, 1);
    assert.deepEqual(read[0]!.requests[0]!.subrequests, []);
    assert.equal(read[0]!.requests[0]!.agreement, "disagree");
  });
});

describe("trace-disagrees", () => {
  it("is in the catalogue as a source warning", () => {
    assert.equal(ruleInfo("trace-disagrees").severity, "warning");
    assert.equal(ruleInfo("trace-disagrees").group, "source");
  });

  it("puts a disagreeing request on the fetch handler, with the request and both counts", () => {
    const worker = workerOf(OBJECT_WORKER);
    const findings = checkTrace(worker, traceWorker([request({})]));
    assert.equal(findings.length, 1);
    const finding = findings[0]!;
    assert.equal(finding.code, "trace-disagrees");
    assert.equal(finding.file, SOURCE);
    assert.equal(OBJECT_WORKER.slice(finding.span.start, finding.span.end), "fetch");
    assert.equal(
      finding.message,
      "Trace Locally: GET /: observed 1 sequential wave to back ends (db.example.com ×1), predicted 2 on the Worker's longest path: this request may not take the longest path the prediction describes: send one that does with --request.",
    );
  });

  it("none when every request agrees, is not compared or failed", () => {
    const worker = workerOf(OBJECT_WORKER);
    const requests = (["agree", "not-compared", "error"] as const).map((agreement) => request({ agreement }));
    assert.deepEqual(checkTrace(worker, traceWorker(requests)), []);
  });

  it("on a router, goes on the route the request took; two requests on one route make one finding", () => {
    const worker = workerOf(HONO_WORKER);
    const routed = (path: string): TraceJsonRequest =>
      request({
        path,
        predicted: { roundTrips: 2, routes: ["GET /products/:id"] },
        explanation:
          "observed 3 sequential waves to back ends (db.example.com ×3), predicted 2 for GET /products/:id: the Worker made more",
      });
    const findings = checkTrace(worker, traceWorker([routed("/products/1"), routed("/products/2")]));
    assert.equal(findings.length, 1);
    const at = HONO_WORKER.indexOf('get("/products');
    assert.deepEqual(findings[0]!.span, { start: at, end: at + 3 });
    assert.equal(
      findings[0]!.message,
      "Trace Locally: GET /products/1: observed 3 sequential waves to back ends (db.example.com ×3), predicted 2 for GET /products/:id: the Worker made more; GET /products/2: observed 3 sequential waves to back ends (db.example.com ×3), predicted 2 for GET /products/:id: the Worker made more.",
    );
  });
});

describe("the trace's waterfall (webview)", () => {
  it("picks at most six ticks", () => {
    assert.deepEqual([1, 6, 7, 30, 170, 1200, 45000].map(tickStep), [1, 1, 2, 5, 50, 200, 10000]);
  });

  it("draws each subrequest as a bar from its start to its end, coloured by wave, waitUntil outlined and marked", () => {
    const svg = waterfallSvg(request({}));
    // 170 ms on a 440-unit axis that starts at x = 320.
    assert.ok(svg.startsWith('<svg class="waterfall" viewBox="0 0 830 74" role="img" aria-label="Subrequests of GET / on a time axis">'));
    assert.ok(svg.includes('<text class="kind" x="0" y="34">wave 1</text>'));
    assert.ok(svg.includes('<text class="label" x="70" y="34">GET db.example.com/b</text>'));
    assert.ok(
      svg.includes(
        '<rect class="sub wave-1" x="325.2" y="24" width="134.6" height="14"><title>GET https://db.example.com/b: 2 ms–54 ms, 200 (backend)</title></rect>',
      ),
    );
    assert.ok(svg.includes('<text class="kind kind-after" x="0" y="56">waitUntil</text>'));
    assert.ok(
      svg.includes(
        '<rect class="sub after" x="475.3" y="46" width="284.7" height="14"><title>POST https://api.honeycomb.io/1/events/x: 60 ms–170 ms, 200 (analytics, after the response: waitUntil)</title></rect>',
      ),
    );
    assert.ok(svg.includes('<line class="response" x1="630.6" y1="18" x2="630.6" y2="70"><title>response sent at 120 ms</title></line>'));
    assert.ok(svg.includes('<text class="axis" x="449.4" y="14" text-anchor="middle">50 ms</text>'));
  });

  it("shows the observed waves beside the static count, with the agreement", () => {
    const html = traceWaterfallHtml(traceWorker([request({}), request({ path: "/deep", agreement: "agree" })]));
    assert.ok(html.startsWith('<h1 class="trace">Trace Locally: shop</h1>'));
    assert.ok(html.includes("<h2>GET / → 200 in 120 ms</h2>"));
    assert.ok(
      html.includes(
        '<p class="counts"><span class="verdict disagree">✗ disagree</span> Observed 1 sequential wave to back ends · predicted 2</p>',
      ),
    );
    assert.ok(html.includes('<p class="counts"><span class="verdict agree">✓ agree</span>'));
    assert.ok(html.includes("Prediction: SUCCESS, 2 sequential round trips on its longest path."));
  });

  it("joins the estimate picture under the same strict CSP: no script, no remote content", () => {
    const html = estimatePictureHtml([], { nonce: "n0nce", cspSource: "vscode-webview://x" }, [
      traceWorker([request({ path: "/<script>" })]),
    ]);
    assert.ok(
      html.includes(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src vscode-webview://x data:; style-src 'nonce-n0nce';">`,
      ),
    );
    assert.equal((html.match(/<style nonce="n0nce">/g) ?? []).length, 1);
    assert.ok(html.includes(".sub.after { fill: none;"));
    assert.doesNotMatch(html, /<script|\ssrc=|\shref=| style="/);
    assert.ok(html.includes("<h2>GET /&lt;script&gt; → 200 in 120 ms</h2>"));
    assert.ok(!html.includes("No Worker with a fetch handler"));
  });
});
