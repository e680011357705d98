import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { runAsync } from "../../server/src/cli/main";
import {
  assignWaves,
  findRuntime,
  parseRequest,
  requestForRoute,
  routeMatches,
  traceVars,
  type TraceJsonReport,
} from "../../server/src/cli/trace";
import { FIXTURES } from "./helpers/fixtures";
import { bundleTraceChild } from "./helpers/traceChild";

const ROOT = path.resolve(__dirname, "../..");

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runAsync(
    args,
    cwd,
    (s) => (out += s),
    (s) => (err += s),
  )!;
  return { code, out, err };
}

describe("trace: waves and routes", () => {
  it("overlapping requests are one wave; one that starts after the wave ends is the next", () => {
    assert.deepEqual(
      assignWaves([
        { startMs: 0, endMs: 30 },
        { startMs: 1, endMs: 31 },
        { startMs: 32, endMs: 62 },
        { startMs: 62.5, endMs: 90 },
      ]),
      [1, 1, 2, 3],
    );
  });

  it("matches a request to the routes the analysis found", () => {
    assert.equal(routeMatches("GET /api/users/:id", "GET", "/api/users/1"), true);
    assert.equal(routeMatches("GET /api/users/:id", "GET", "/api/users"), false);
    assert.equal(routeMatches("GET /api/users/:id", "POST", "/api/users/1"), false);
    assert.equal(routeMatches("ALL /*", "POST", "/anything/at/all"), true);
    assert.equal(routeMatches("GET /items", "GET", "/items?page=2"), true);
    assert.equal(routeMatches("POST server action subscribe (app/actions.ts)", "POST", "/"), false);
  });

  it("fills path parameters with a placeholder", () => {
    assert.deepEqual(requestForRoute("GET /api/users/:id"), { method: "GET", path: "/api/users/1" });
    assert.deepEqual(requestForRoute("ALL /*"), { method: "GET", path: "/" });
    assert.deepEqual(requestForRoute("POST /?/subscribe"), { method: "POST", path: "/?/subscribe" });
    assert.equal(requestForRoute("POST server action subscribe (app/actions.ts)"), undefined);
  });

  it("reads --request values", () => {
    assert.deepEqual(parseRequest("post /orders"), { method: "POST", path: "/orders" });
    assert.deepEqual(parseRequest("/x"), { method: "GET", path: "/x" });
    assert.equal(parseRequest("GET x"), undefined);
    assert.equal(parseRequest("FETCH /x"), undefined);
  });

  it("gives the Worker [vars] as Wrangler does: text as strings, tables, arrays, numbers and booleans as JSON values", () => {
    const structured = Object.create(null) as Record<string, unknown>;
    const limits = Object.create(null) as Record<string, unknown>;
    limits.max = 50;
    structured.LIMITS = limits;
    structured.REGIONS = ["eu", "us"];
    structured.RETRIES = 3;
    structured.DEBUG = false;
    Object.defineProperty(structured, "__proto__", { value: { odd: true }, enumerable: true });
    const vars = traceVars({ vars: { API_HOST: "api.example.com" }, structuredVars: structured });
    assert.deepEqual(JSON.parse(JSON.stringify(vars)), {
      API_HOST: "api.example.com",
      LIMITS: { max: 50 },
      REGIONS: ["eu", "us"],
      RETRIES: 3,
      DEBUG: false,
      ["__proto__"]: { odd: true },
    });
    // An own var, not the object's prototype.
    assert.equal(Object.getPrototypeOf(vars), Object.prototype);
    assert.deepEqual(Object.keys(vars), ["API_HOST", "LIMITS", "REGIONS", "RETRIES", "DEBUG", "__proto__"]);
  });

  it("finds the project's own Miniflare and esbuild, and says what to install when there are none", () => {
    const found = findRuntime(path.join(FIXTURES, "01-seq3-object"));
    assert.ok(typeof found !== "string");
    assert.equal(found.via, "miniflare");
    assert.match(found.miniflareVersion, /^4\./);
    const dir = mkdtempSync(path.join(tmpdir(), "sp-no-runtime-"));
    try {
      const missing = findRuntime(dir);
      assert.equal(typeof missing, "string");
      assert.match(missing as string, /cannot find miniflare and esbuild .*npm install --save-dev wrangler/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("smart-placement trace", () => {
  let dir: string;
  let cleanUp: () => void;
  const worker = (name: string, source: string, config = ""): string => {
    const folder = path.join(dir, name);
    mkdirSync(path.join(folder, "src"), { recursive: true });
    writeFileSync(path.join(folder, "src/index.js"), source);
    writeFileSync(
      path.join(folder, "wrangler.toml"),
      `name = "${name}"\nmain = "src/index.js"\ncompatibility_date = "2025-01-01"\n${config}`,
    );
    return folder;
  };
  before(() => {
    cleanUp = bundleTraceChild();
    dir = mkdtempSync(path.join(tmpdir(), "sp-trace-"));
    // The Workers below use this project's Miniflare, as a Worker project uses its own.
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    worker("throws", `export default { async fetch() { await fetch("https://db.example.com/a"); throw new TypeError("no such user"); } };`);
    worker(
      "hangs",
      `export default { async fetch() { await new Promise((resolve) => setTimeout(resolve, 600000)); return new Response("late"); } };`,
    );
    worker("stuck", `export default { fetch() { return new Promise(() => {}); } };`);
    worker("broken", `export default { async fetch( { return new Response("x"); } };`);
    worker(
      "socket",
      `import { connect } from "cloudflare:sockets";
export default { async fetch(request) {
  if (new URL(request.url).pathname === "/db") { const s = connect("db.example.com:5432"); await s.close(); }
  const a = await fetch("https://api.example.com/one");
  const b = await fetch("https://api.example.com/two?status=" + a.status);
  return new Response(String(b.status));
} };`,
    );
    worker(
      "hidden",
      // The analysis does not follow a call through an array element: it predicts no back end, workerd makes two.
      `const steps = [(url) => fetch(url)];
export default { async fetch(request, env, ctx) {
  await steps[0]("https://db.example.com/one");
  await steps[0]("https://db.example.com/two");
  ctx.waitUntil(fetch("https://http-intake.logs.datadoghq.com/api/v2/logs", { method: "POST", body: "x" }));
  return new Response("ok");
} };`,
    );
    worker(
      "structured-vars",
      // Each structured var as the Worker sees it, in the URL it fetches: a table's field, an array, a number, a boolean.
      `export default { async fetch(request, env) {
  const url = "https://" + env.ORIGINS.api + "/v1?max=" + (env.LIMITS.max + 1) + "&regions=" + env.REGIONS.join("+") + "&debug=" + (env.DEBUG === false) + "&host=" + env.API_HOST;
  const res = await fetch(url);
  return new Response(String(res.status));
} };`,
      `[vars]\nAPI_HOST = "edge"\nREGIONS = ["eu", "us"]\nDEBUG = false\n[vars.ORIGINS]\napi = "api.example.com"\n[vars.LIMITS]\nmax = 49\n`,
    );
    writeFileSync(path.join(dir, "stubs.json"), JSON.stringify({ "api.example.com": { status: 404, body: "gone" } }));
    // The log call answers long after the response, however busy the machine is.
    writeFileSync(path.join(dir, "slow-logs.json"), JSON.stringify({ "datadoghq.com": { delayMs: 1500 }, "*": { delayMs: 100 } }));
    writeFileSync(path.join(dir, "bad-stubs.json"), JSON.stringify({ "api.example.com": { status: "teapot" } }));
  });
  after(() => {
    cleanUp();
    rmSync(dir, { recursive: true, force: true });
  });

  it("text: the waterfall, the waves and the agreement, for the routes the analysis found", async () => {
    const { code, out } = await cli(["trace", "59-hono-chain-middleware"], FIXTURES);
    assert.equal(code, 0, out);
    assert.match(out, /^59-hono-chain-middleware\/wrangler\.toml: chain — predicted SUCCESS, 3 round trips$/m);
    assert.match(out, /^ {2}GET \/api\/users\/1 → 200 in \d+ ms$/m);
    assert.match(out, /^ {4}wave 3 \|.*GET https:\/\/db\.example\.com\/roles\?user=1 \(backend\)$/m);
    assert.match(out, /✓ observed 3 sequential waves to back ends, predicted 3 for GET \/api\/users\/:id: agree/);
    assert.match(out, /✓ observed 2 sequential waves to back ends, predicted 2 for POST \/api\/orders: agree/);
    assert.match(out, /^1 Worker traced, 4 requests: 4 agree, 0 disagree\.$/m);
  });

  it("a planted disagreement: calls the analysis cannot see are found, and waitUntil work is after the response", async () => {
    const { code, out } = await cli(["trace", "hidden", "--stubs", "slow-logs.json", "--format", "json"], dir);
    assert.equal(code, 1);
    const report = JSON.parse(out) as TraceJsonReport;
    const request = report.workers[0]!.requests[0]!;
    assert.equal(request.agreement, "disagree");
    assert.equal(request.observed?.waves, 2);
    assert.equal(request.predicted.roundTrips, 0);
    assert.deepEqual(
      request.subrequests.map((s) => [s.target, s.category, s.wave, s.afterResponse]),
      [
        ["db.example.com", "backend", 1, false],
        ["db.example.com", "backend", 2, false],
        ["http-intake.logs.datadoghq.com", "analytics", null, true],
      ],
    );
  });

  it("--request and per-host stubs: the answer the Worker sees is the stub's", async () => {
    const { code, out } = await cli(
      ["trace", "socket", "--request", "GET /", "--request", "/db", "--stubs", "stubs.json", "--format", "json"],
      dir,
    );
    const report = JSON.parse(out) as TraceJsonReport;
    const [plain, db] = report.workers[0]!.requests;
    assert.deepEqual(
      plain!.subrequests.map((s) => [s.url, s.status]),
      [
        ["https://api.example.com/one", 404],
        ["https://api.example.com/two?status=404", 404],
      ],
    );
    assert.equal(plain!.status, 200);
    // The static count includes the socket's round trip, which the trace cannot time: not compared.
    assert.equal(plain!.agreement, "not-compared");
    assert.match(
      plain!.explanation,
      /observed 2 sequential waves of fetches; the prediction \(3 on the Worker's longest path\) also counts calls the trace cannot time/,
    );
    assert.equal(db!.path, "/db");
    assert.equal(db!.agreement, "error");
    assert.match(db!.explanation, /^the Worker opened a TCP socket \(connect\(\)\), which the trace cannot serve/);
    // The TCP socket is never silently missed: it is listed as not traced.
    assert.deepEqual(
      report.workers[0]!.notTraced.map((n) => [n.kind, n.line]),
      [["socket", 3]],
    );
    assert.equal(code, 2);
  });

  it("structured [vars] reach the Worker as JSON values, as Wrangler gives them", async () => {
    const { out } = await cli(["trace", "structured-vars", "--format", "json"], dir);
    const report = JSON.parse(out) as TraceJsonReport;
    const request = report.workers[0]!.requests[0]!;
    assert.equal(request.error, null, out);
    assert.equal(request.status, 200);
    assert.deepEqual(
      request.subrequests.map((s) => s.url),
      ["https://api.example.com/v1?max=50&regions=eu+us&debug=true&host=edge"],
    );
  });

  it("a Worker that throws: workerd's error, exit 2", async () => {
    const { code, out } = await cli(["trace", "throws"], dir);
    assert.equal(code, 2);
    assert.match(out, /! the Worker threw: TypeError: no such user/);
    assert.match(out, /wave 1 .*GET https:\/\/db\.example\.com\/a/);
  });

  it("a Worker that never answers: stopped at the time limit, the next request still runs", async () => {
    const { code, out } = await cli(["trace", "hangs", "--timeout", "300", "--request", "/a", "--request", "/b", "--format", "json"], dir);
    assert.equal(code, 2);
    const report = JSON.parse(out) as TraceJsonReport;
    assert.deepEqual(
      report.workers[0]!.requests.map((r) => [r.path, r.agreement, r.explanation]),
      [
        ["/a", "error", "the Worker did not answer: no response within 300 ms"],
        ["/b", "error", "the Worker did not answer: no response within 300 ms"],
      ],
    );
  });

  it("a Worker whose promise can never settle: workerd's own verdict", async () => {
    const { code, out } = await cli(["trace", "stuck", "--format", "json"], dir);
    assert.equal(code, 2);
    const request = (JSON.parse(out) as TraceJsonReport).workers[0]!.requests[0]!;
    assert.equal(request.agreement, "error");
    assert.match(
      request.explanation,
      /^the Worker threw: Error: The Workers runtime canceled this request because it detected that your Worker's code had hung/,
    );
  });

  it("a Worker that does not build: the bundler's error with its place, exit 2", async () => {
    const { code, out, err } = await cli(["trace", "broken/wrangler.toml"], dir);
    assert.equal(code, 2);
    assert.match(out, /error: the Worker does not build:\n\s+.*src\/index\.js:1:\d+: Expected/);
    assert.match(err, /broken\/wrangler\.toml: the Worker does not build:/);
  });

  it("usage errors: exit 2, one line, nothing run", async () => {
    for (const [args, message] of [
      [["trace", "hidden", "--request", "GET nothing"], /--request must look like "GET \/path", not "GET nothing"/],
      [["trace", "hidden", "--format", "sarif"], /--format must be text or json/],
      [["trace", "hidden", "--timeout", "soon"], /--timeout must be a whole number of milliseconds/],
      [["trace", "hidden", "--stubs", "bad-stubs.json"], /"api\.example\.com"\.status must be a whole number from 200 to 599/],
      [["trace", "hidden", "--stubs", "missing.json"], /--stubs missing\.json: cannot read it/],
      [["trace", "nowhere"], /cannot read nowhere: no such file or directory/],
      [
        ["trace", "hidden/src/index.js"],
        /hidden\/src\/index\.js is not a wrangler config \(wrangler\.toml, wrangler\.json or wrangler\.jsonc\)/,
      ],
      [["trace", "hidden", "socket"], /trace takes one PATH/],
    ] as const) {
      const { code, out, err } = await cli([...args], dir);
      assert.equal(code, 2, args.join(" "));
      assert.equal(out, "");
      assert.match(err, message);
    }
  });
});
