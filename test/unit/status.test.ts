import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { readPlacementHeader, runStatus, type ProbeJson, type StatusJsonReport } from "../../server/src/cli/status";

const TOKEN = "test-token-Zq7rW1xK";

/** A local server playing the Workers API or a deployed Worker; each test sets how it answers. */
let answer: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => response.end();
let server: Server;
let base: string;
let seen: IncomingMessage[] = [];

async function status(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let out = "";
  let err = "";
  const code = await runStatus(
    args,
    cwd,
    (s) => (out += s),
    (s) => (err += s),
    { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: "acc123", CLOUDFLARE_API_BASE_URL: base, ...env },
  );
  // Whatever happens, the token never reaches the output.
  assert.ok(!out.includes(TOKEN) && !err.includes(TOKEN), "the token was printed");
  return { code, out, err };
}

function json(statusCode: number, body: unknown): (request: IncomingMessage, response: ServerResponse) => void {
  return (_, response) => {
    response.writeHead(statusCode, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
}

const service = (placement: Record<string, string>) =>
  json(200, {
    success: true,
    errors: [],
    result: { id: "api", default_environment: { environment: "production", script: { id: "api", ...placement } } },
  });

describe("smart-placement status", () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-status-"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "wrangler.toml"), 'name = "api"\nmain = "src/index.js"\n\n[placement]\nmode = "smart"\n\n[env.staging]\n');
    writeFileSync(
      path.join(dir, "src/index.js"),
      `export default { async fetch() {
  const a = await fetch("https://db.example.com/a");
  const b = await fetch("https://db.example.com/b");
  return new Response(String(a.status + b.status));
} };\n`,
    );
    server = createServer((request, response) => {
      seen.push(request);
      answer(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("asks the documented endpoint with the token, and shows the platform's state beside the prediction", async () => {
    seen = [];
    answer = service({ placement_mode: "smart", placement_status: "SUCCESS" });
    const { code, out } = await status([], dir);
    assert.equal(code, 0);
    assert.equal(seen[0]!.url, "/client/v4/accounts/acc123/workers/services/api");
    assert.equal(seen[0]!.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(
      out,
      "wrangler.toml: api\n  ✓ predicted SUCCESS, platform SUCCESS: agree\n1 Worker: 1 agree, 0 differ, 0 waiting for the platform.\n",
    );
  });

  it("every platform state, and what it means next to the prediction", async () => {
    const cases: Array<[Record<string, string>, string, RegExp, number]> = [
      [{ placement_mode: "smart" }, "waiting", /platform not analysed yet: the platform decides minutes after a deploy/, 0],
      [{}, "waiting", /Smart Placement is not enabled for the deployed Worker \(placement mode off\)/, 0],
      [{ placement_mode: "smart", placement_status: "SUCCESS" }, "agree", /: agree$/, 0],
      [
        { placement_mode: "smart", placement_status: "INSUFFICIENT_INVOCATIONS" },
        "waiting",
        /too little traffic for a decision yet: this says nothing about the prediction/,
        0,
      ],
      [
        { placement_mode: "smart", placement_status: "NO_VALID_HOSTS" },
        "differ",
        /platform NO_VALID_HOSTS: the Worker does not send subrequests to back ends/,
        1,
      ],
      [
        { placement_mode: "smart", placement_status: "INSUFFICIENT_SUBREQUESTS" },
        "differ",
        /sequential round trips the platform did not see in real traffic/,
        1,
      ],
      [
        { placement_mode: "smart", placement_status: "UNSUPPORTED_APPLICATION" },
        "not-compared",
        /placement made the Worker slower, so the platform reverted it/,
        0,
      ],
    ];
    for (const [placement, agreement, explanation, exit] of cases) {
      answer = service(placement);
      const { code, out } = await status(["--format", "json"], dir);
      const worker = (JSON.parse(out) as StatusJsonReport).workers[0]!;
      assert.equal(worker.agreement, agreement, JSON.stringify(placement));
      assert.match(worker.explanation, explanation);
      assert.equal(worker.platform?.placementStatus ?? null, placement.placement_status ?? null);
      assert.equal(code, exit, JSON.stringify(placement));
    }
  });

  it("the nested placement object of newer API answers is read too", async () => {
    answer = json(200, { success: true, result: { default_environment: { script: { placement: { mode: "smart", status: "SUCCESS" } } } } });
    const worker = (JSON.parse((await status(["--format", "json"], dir)).out) as StatusJsonReport).workers[0]!;
    assert.deepEqual(worker.platform, { placementMode: "smart", placementStatus: "SUCCESS" });
  });

  it("--env looks up the environment's Worker, named as wrangler names it", async () => {
    seen = [];
    answer = service({ placement_mode: "smart", placement_status: "SUCCESS" });
    await status(["--env", "staging"], dir);
    assert.equal(seen[0]!.url, "/client/v4/accounts/acc123/workers/services/api-staging");
  });

  it("a missing token or account: a clear message, exit 2, no request", async () => {
    seen = [];
    let r = await status([], dir, { CLOUDFLARE_API_TOKEN: undefined });
    assert.equal(r.code, 2);
    assert.match(r.err, /^smart-placement: CLOUDFLARE_API_TOKEN is not set: create an API token with the Workers Scripts Read permission/);
    r = await status([], dir, { CLOUDFLARE_ACCOUNT_ID: undefined });
    assert.equal(r.code, 2);
    assert.match(r.err, /CLOUDFLARE_ACCOUNT_ID is not set and the config has no account_id/);
    assert.equal(seen.length, 0);
  });

  it("a path that is not a config, does not exist or holds no config: one line, exit 2, no request", async () => {
    seen = [];
    for (const [where, message] of [
      ["src/index.js", "smart-placement: src/index.js is not a wrangler config (wrangler.toml, wrangler.json or wrangler.jsonc)\n"],
      ["nowhere", "smart-placement: cannot read nowhere: no such file or directory\n"],
      ["src", "smart-placement: no wrangler.toml, wrangler.json or wrangler.jsonc found in src\n"],
    ] as const) {
      const r = await status([where], dir);
      assert.deepEqual([r.code, r.out, r.err], [2, "", message], where);
    }
    assert.equal(seen.length, 0);
  });

  it("a wrong token (401, 403, or the API's authentication error): exit 2, and an echoed token is not shown", async () => {
    for (const code of [401, 403, 400]) {
      answer = json(code, { success: false, errors: [{ code: 10000, message: `Authentication error for Bearer ${TOKEN}` }] });
      const r = await status([], dir);
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        new RegExp(
          `the API refused the token \\(HTTP ${code}: Authentication error for Bearer \\[token\\] \\(10000\\)\\): check that CLOUDFLARE_API_TOKEN is valid`,
        ),
      );
      assert.equal(r.out, "");
    }
  });

  it("404, 500, a body that is not JSON, a slow server: each a clear message and exit 2", async () => {
    answer = json(404, { success: false, errors: [{ code: 10090, message: "Service not found" }] });
    let r = await status([], dir);
    assert.equal(r.code, 2);
    assert.match(r.out, /! no Worker named api in account acc123 \(HTTP 404: Service not found \(10090\)\): deploy it first/);

    answer = json(500, { success: false, errors: [{ code: 10013, message: `internal error (saw ${TOKEN})` }] });
    r = await status([], dir);
    assert.equal(r.code, 2);
    assert.match(r.out, /! the API answered HTTP 500: internal error \(saw \[token\]\) \(10013\)/);

    answer = (_, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end("<html>Bad gateway</html>");
    };
    r = await status([], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /the API answered HTTP 502 with something that is not JSON \(127\.0\.0\.1:\d+\)/);

    answer = () => undefined; // never answers
    r = await status(["--timeout", "200"], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /no answer from the API within 200 ms \(127\.0\.0\.1:\d+\)/);
    server.closeAllConnections();
  });

  it("usage errors", async () => {
    for (const [args, message] of [
      [["--api-base", "ftp://x"], /--api-base must be an http\(s\) URL/],
      [["-n", "5"], /-n goes with --probe URL/],
      [["--probe", "http://127.0.0.1:1/", "-n", "0"], /-n must be a whole number from 1 to 500/],
      [["--probe", "https://u:p@example.com/"], /--probe must not carry a user name or password/],
      [["--format", "sarif"], /--format must be text or json/],
    ] as const) {
      const r = await status([...args], dir);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, message);
    }
  });
});

describe("smart-placement status --probe", () => {
  before(async () => {
    server = createServer((request, response) => answer(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("reads cf-placement values", () => {
    assert.deepEqual(readPlacementHeader("remote-LHR"), { kind: "remote", location: "LHR", city: "London, United Kingdom" });
    assert.deepEqual(readPlacementHeader("local-EWR"), { kind: "local", location: "EWR", city: "Newark, NJ" });
    assert.deepEqual(readPlacementHeader("remote-ZZZ"), { kind: "remote", location: "ZZZ", city: null });
    assert.deepEqual(readPlacementHeader(null), { kind: "absent", location: null, city: null });
    for (const bad of ["remote-lhr", "remote", "elsewhere-LHR", "remote-LHRX", ""])
      assert.equal(readPlacementHeader(bad).kind, "malformed", bad);
  });

  it("tallies the header over N requests, naming each location's city", async () => {
    const values = ["remote-LHR", "remote-LHR", "local-EWR", null, "remote-LHR", "remote-lhr"];
    let i = 0;
    answer = (_, response) => {
      const value = values[i++ % values.length];
      response.writeHead(200, value ? { "cf-placement": value } : {});
      response.end("ok");
    };
    const { code, out } = await status(["--probe", `${base}/api`, "-n", "6"], ".");
    assert.equal(code, 0);
    assert.equal(
      out,
      [
        `${base}/api: 6 requests, 6 answered`,
        "  remote-LHR    3  placed: ran near London, United Kingdom",
        "  local-EWR     1  not placed: ran where the request arrived, Newark, NJ",
        "  (absent)      1  no cf-placement header: Smart Placement is off, or has not decided yet",
        "  remote-lhr    1  not a cf-placement value this tool understands (expected remote-XXX or local-XXX)",
        "3 of 6 answered requests placed (50%; the platform leaves about 1% unplaced as a baseline).",
        "",
      ].join("\n"),
    );
    i = 0;
    const report = JSON.parse((await status(["--probe", `${base}/api`, "-n", "2", "--format", "json"], ".")).out) as ProbeJson;
    assert.deepEqual(report.probe.placements, [
      { value: "remote-LHR", kind: "remote", location: "LHR", city: "London, United Kingdom", count: 2 },
    ]);
  });

  it("a URL that never answers or refuses: each request bounded, exit 2", async () => {
    answer = () => undefined;
    let r = await status(["--probe", `${base}/slow`, "-n", "2", "--timeout", "150"], ".");
    assert.equal(r.code, 2);
    assert.match(r.out, /failed: 2 × no answer within 150 ms/);
    server.closeAllConnections();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    r = await status(["--probe", `http://127.0.0.1:${port}/`, "-n", "1"], ".");
    assert.equal(r.code, 2);
    assert.match(r.out, /failed: 1 × ECONNREFUSED/);
    assert.match(r.err, /did not answer any of 1 requests/);
  });
});
