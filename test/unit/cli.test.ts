import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
    assert.match(out, /^  bad: Invalid config \(placement = \{ mode = "smrt" \}\) · cannot tell: main "src\/index\.ts" was not found/m);
    assert.doesNotMatch(out, /UNKNOWN|SUCCESS/);
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

describe("smart-placement check on a hostile repository", () => {
  let dir: string;
  const worker = (name: string, main = "src/index.ts"): string => `name = "${name}"\nmain = "${main}"\n`;
  const TWO_TRIPS =
    'export default { async fetch() { await fetch("https://db.example.com"); return fetch("https://db.example.com"); } };\n';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-cli-hostile-"));
    for (const name of ["good", "dts", "proc", "pagemap", "huge"]) mkdirSync(path.join(dir, name, "src"), { recursive: true });
    writeFileSync(path.join(dir, "good/wrangler.toml"), worker("good"));
    writeFileSync(path.join(dir, "good/src/index.ts"), TWO_TRIPS);
    // `main` resolving to a declaration file, and to a /proc file that never ends.
    writeFileSync(path.join(dir, "dts/wrangler.toml"), worker("dts", "src/index.d"));
    writeFileSync(path.join(dir, "dts/src/index.d.ts"), "export declare const x: number;\n");
    writeFileSync(path.join(dir, "proc/wrangler.toml"), worker("proc", "src/index.ts"));
    symlinkSync("/proc/self/pagemap", path.join(dir, "proc/src/index.ts"));
    // A config that is a /proc file (stat says 0 bytes, reading never ends), and one that is a pipe.
    symlinkSync("/proc/self/pagemap", path.join(dir, "pagemap/wrangler.toml"));
    mkdirSync(path.join(dir, "fifo"));
    execFileSync("mkfifo", [path.join(dir, "fifo/wrangler.toml")]);
    // A symlink out of the folder, to a project that must stay unseen.
    const elsewhere = mkdtempSync(path.join(tmpdir(), "sp-cli-elsewhere-"));
    writeFileSync(path.join(elsewhere, "wrangler.toml"), worker("secret-project"));
    symlinkSync(elsewhere, path.join(dir, "good/escape"));
    // A file name that would forge a line, colour the terminal and start a CI workflow command.
    const forged = path.join(dir, "::error file=x::forged\n\u001b[31m");
    mkdirSync(forged);
    writeFileSync(path.join(forged, "wrangler.toml"), 'name = "n\\nx"\n[placement]\nmode = "smrt"\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("one Worker that cannot be analysed or read never hides the others; the exit status says 2", () => {
    const { code, out, err } = cli(["check", ".", "--format", "json"], dir);
    assert.equal(code, 2);
    // The /proc link points out of the folder: not followed, not shown. The pipe cannot be read.
    assert.equal(err, "smart-placement: cannot read fifo/wrangler.toml\n");
    const report = JSON.parse(out);
    assert.deepEqual(
      report.workers.map((w: { name: string; prediction: { status: string } }) => [w.name, w.prediction.status]),
      [
        ["n\nx", "UNKNOWN"],
        ["dts", "UNKNOWN"],
        ["good", "SUCCESS"],
        ["proc", "UNKNOWN"],
      ],
    );
    assert.match(report.workers[1].prediction.reasons[0], /^The Worker's source could not be analysed: /);
    assert.doesNotMatch(out, /secret-project/);
  });

  it("a config given by name that never ends is unreadable: exit 2, one line", () => {
    const { code, out, err } = cli(["check", "pagemap/wrangler.toml"], dir);
    assert.equal(code, 2);
    assert.equal(out, "");
    assert.equal(err, "smart-placement: cannot read pagemap/wrangler.toml: permission denied or too large\n");
  });

  it("text output escapes control characters and never starts a line with a workflow command", () => {
    const { out } = cli(["check", "."], dir);
    const lines = out.split("\n");
    assert.ok(lines.every((line) => !line.startsWith("::") && !line.includes("\u001b")));
    assert.ok(
      lines.includes(
        "./::error file=x::forged\\x0a\\x1b[31m/wrangler.toml:3:8: error placement-mode: " +
          lines.find((l) => l.includes("placement-mode"))!.split("placement-mode: ")[1],
      ),
    );
    assert.ok(
      lines.includes(
        '  n\\x0ax: Invalid config (placement = { mode = "smrt" }) · cannot tell: the config has no "main" (and no pages_build_output_dir): the Worker\'s entry is unknown',
      ),
      out,
    );
  });

  it("sarif URIs are percent-encoded relative references", () => {
    const sarif = JSON.parse(cli(["check", ".", "--format", "sarif"], dir).out);
    const uris = sarif.runs[0].results.map(
      (r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
        r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    assert.ok(uris.includes("%3A%3Aerror%20file%3Dx%3A%3Aforged%0A%1B%5B31m/wrangler.toml"), uris.join(" "));
  });

  it("a closed pipe ends the run quietly", () => {
    const result = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${path.join(ROOT, "dist/cli.js")}" check examples --format json | head -c 1`],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    assert.equal(result.stdout, "{");
    assert.equal(result.stderr, "");
  });
});

describe("smart-placement check --platform-rules", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-rules-"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(
      path.join(dir, "wrangler.toml"),
      'name = "d1"\nmain = "src/index.ts"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "m"\ndatabase_id = "x"\n',
    );
    writeFileSync(
      path.join(dir, "src/index.ts"),
      'export default { async fetch(r: Request, env: any) { await env.DB.prepare("a").first(); await env.DB.prepare("b").first(); return new Response(); } };\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const prediction = (args: string[]) => {
    const { code, out, err } = cli(["check", dir, "--format", "json", ...args]);
    assert.equal(code, 0, err);
    return JSON.parse(out).workers[0].prediction as { status: string; roundTrips: number; platformRules: string };
  };

  it("current by default: D1 queries are round trips to the database", () => {
    const p = prediction([]);
    assert.deepEqual([p.status, p.roundTrips, p.platformRules], ["SUCCESS", 2, "current"]);
  });

  it("2024: a D1 binding pins the Worker", () => {
    const p = prediction(["--platform-rules", "2024"]);
    assert.deepEqual([p.status, p.platformRules], ["D1_PINNED", "2024"]);
    assert.deepEqual(prediction(["--platform-rules=2024"]).status, "D1_PINNED");
  });

  it("an unknown value is a usage error", () => {
    const { code, out, err } = cli(["check", dir, "--platform-rules", "2023"]);
    assert.equal(code, 2);
    assert.equal(out, "");
    assert.equal(err, 'smart-placement: --platform-rules must be current or 2024, not "2023"\n');
  });
});

describe("smart-placement check: text output in the vocabulary of every surface", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-words-"));
    for (const name of ["toml", "json", "unknown"]) mkdirSync(path.join(dir, name, "src"), { recursive: true });
    const twoTrips =
      'export default { async fetch() { await fetch("https://db.example.com/a"); return fetch("https://db.example.com/b"); } };\n';
    writeFileSync(path.join(dir, "toml/wrangler.toml"), 'name = "t"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\n');
    writeFileSync(path.join(dir, "toml/src/index.ts"), twoTrips);
    writeFileSync(
      path.join(dir, "json/wrangler.jsonc"),
      '{\n  // comment\n  "name": "j",\n  "main": "src/index.ts",\n  "placement": { "region": "aws:us-east-1" }\n}\n',
    );
    writeFileSync(path.join(dir, "json/src/index.ts"), twoTrips);
    writeFileSync(path.join(dir, "unknown/wrangler.toml"), 'name = "u"\nmain = "src/index.ts"\n');
    writeFileSync(
      path.join(dir, "unknown/src/index.ts"),
      'import { endpoint } from "directory";\nexport default { async fetch(request: Request, env: any) { await fetch(endpoint.url); await fetch(String(endpoint["x-target"])); return new Response(); } };\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("what is configured, in the config's own syntax, then what the analysis predicts; no status enum", () => {
    const { out } = cli(["check", "."], dir);
    const lines = out.split("\n");
    assert.ok(lines.includes('  t: Smart (placement = { mode = "smart" }) · would help: 2 sequential round trips to db.example.com'), out);
    assert.ok(
      lines.includes(
        '  j: Targeted: aws:us-east-1 ("placement": { "region": "aws:us-east-1" }) · runs near the target: the code is not considered (2 sequential round trips to db.example.com)',
      ),
      out,
    );
    assert.doesNotMatch(out, /SUCCESS|TARGETED|UNKNOWN/);
  });

  it("cannot tell: the first reason on the Worker's line, the others below it", () => {
    // Nothing assumed: by default the unresolved hosts would be counted as back ends.
    const { out } = cli(["check", "unknown", "--assume", "strict"], dir);
    const lines = out.split("\n");
    const at = lines.indexOf("  u: Off · cannot tell: the URL endpoint.url cannot be resolved to a host");
    assert.ok(at >= 0, out);
    assert.match(lines[at + 1]!, /^ {4}- .*x-target/);
  });

  const spawnCli = (env: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(ROOT, "dist/cli.js"), "check", "toml"], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env["PATH"] ?? "", ...env },
    });

  it("colour: on with FORCE_COLOR=1 even through a pipe, off with NO_COLOR and when stdout is not a terminal", () => {
    const forced = spawnCli({ FORCE_COLOR: "1" }).stdout;
    assert.ok(forced.includes("\u001b[32mwould help\u001b[39m"), JSON.stringify(forced));
    assert.ok(forced.includes("\u001b[1mt\u001b[22m"), JSON.stringify(forced));
    assert.ok(!spawnCli({ NO_COLOR: "1" }).stdout.includes("\u001b"));
    assert.ok(!spawnCli({}).stdout.includes("\u001b"));
    assert.ok(!spawnCli({ FORCE_COLOR: "0" }).stdout.includes("\u001b"));
  });

  it("colour on a terminal, unless NO_COLOR is set or TERM is dumb", () => {
    const onTerminal = (env: Record<string, string>): string => {
      let out = "";
      run(
        ["check", "toml"],
        dir,
        (s) => (out += s),
        () => undefined,
        { isTTY: true, env },
      );
      return out;
    };
    assert.ok(onTerminal({}).includes("\u001b[32mwould help\u001b[39m"));
    assert.ok(!onTerminal({ NO_COLOR: "1" }).includes("\u001b"));
    assert.ok(!onTerminal({ TERM: "dumb" }).includes("\u001b"));
    assert.ok(onTerminal({ NO_COLOR: "1", FORCE_COLOR: "1" }).includes("\u001b["));
  });

  it("JSON output keeps the status enum and stays uncoloured, whatever FORCE_COLOR says", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "dist/cli.js"), "check", "toml", "--format", "json"], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env["PATH"] ?? "", FORCE_COLOR: "1" },
    });
    assert.equal(JSON.parse(result.stdout).workers[0].prediction.status, "SUCCESS");
  });
});

describe("smart-placement check: failing the run, shared settings, environments", () => {
  let dir: string;
  // One warning (placement-region) and one note (placement-fetch-only): no error.
  const WARNING_AND_NOTE =
    'name = "api"\nmain = "src/index.ts"\n\n[placement]\nregion = "aws:us-east1"\n\n[env.staging]\nname = "api-staging"\n';
  const SOURCE =
    'export default { async fetch() { return new Response("ok"); }, async scheduled() { await fetch("https://db.example.com"); } };\n';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-cli-fail-"));
    mkdirSync(path.join(dir, "api/src"), { recursive: true });
    writeFileSync(path.join(dir, "api/wrangler.toml"), WARNING_AND_NOTE);
    writeFileSync(path.join(dir, "api/src/index.ts"), SOURCE);
    mkdirSync(path.join(dir, "bad/src"), { recursive: true });
    writeFileSync(path.join(dir, "bad/wrangler.toml"), 'name = "bad"\nmain = "src/index.ts"\n\n[placement]\nmode = "smrt"\n');
    writeFileSync(path.join(dir, "bad/src/index.ts"), SOURCE);
    mkdirSync(path.join(dir, "empty"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const severities = (args: string[]): { code: number; found: string[] } => {
    const { code, out } = cli(["check", "api", "--format", "json", ...args], dir);
    return { code, found: JSON.parse(out).diagnostics.map((d: { code: string; severity: string }) => `${d.severity} ${d.code}`) };
  };

  it("--fail-on decides which severity fails the run", () => {
    assert.deepEqual(severities([]), { code: 0, found: ["warning placement-region", "information placement-fetch-only"] });
    assert.equal(severities(["--fail-on", "error"]).code, 0);
    assert.equal(severities(["--fail-on", "warning"]).code, 1);
    assert.equal(severities(["--fail-on=information"]).code, 1);
    assert.equal(cli(["check", "bad", "--fail-on", "warning"], dir).code, 1);
  });

  it("--max-warnings N fails the run above N warnings", () => {
    assert.equal(severities(["--max-warnings", "1"]).code, 0);
    assert.equal(severities(["--max-warnings", "0"]).code, 1);
  });

  it("--quiet reports errors only, in every format, and decides on them alone", () => {
    assert.deepEqual(severities(["--quiet", "--fail-on", "warning"]), { code: 0, found: [] });
    const { code, out } = cli(["check", ".", "--quiet"], dir);
    assert.equal(code, 1);
    assert.match(out, /^bad\/wrangler\.toml:5:8: error placement-mode: /m);
    assert.doesNotMatch(out, /placement-region|placement-fetch-only/);
    const sarif = JSON.parse(cli(["check", ".", "--quiet", "--format", "sarif"], dir).out);
    assert.deepEqual(
      sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId),
      ["placement-mode"],
    );
  });

  it("bad values of the new flags are usage errors", () => {
    for (const [args, message] of [
      [["--fail-on", "hint"], '--fail-on must be error, warning or information, not "hint"'],
      [["--max-warnings", "-1"], '--max-warnings must be a whole number of 0 or more, not "-1"'],
      [["--max-warnings", "many"], '--max-warnings must be a whole number of 0 or more, not "many"'],
      [["--quiet=yes"], "--quiet takes no value"],
    ] as const) {
      const { code, out, err } = cli(["check", "api", ...args], dir);
      assert.deepEqual([code, out, err], [2, "", `smart-placement: ${message}\n`]);
    }
  });

  it("exit 2 when no config is found under the given paths", () => {
    const { code, out, err } = cli(["check", "empty"], dir);
    assert.deepEqual([code, out, err], [2, "", "smart-placement: no wrangler.toml, wrangler.json or wrangler.jsonc found in empty\n"]);
  });

  it("exit 2 when --env names an environment no config defines; a note for configs without it", () => {
    const missing = cli(["check", "api", "--env", "stagign"], dir);
    assert.deepEqual(
      [missing.code, missing.out, missing.err],
      [2, "", 'smart-placement: no environment "stagign" in api/wrangler.toml (environments: staging)\n'],
    );
    const partly = cli(["check", ".", "--env", "staging", "--format", "json"], dir);
    assert.equal(partly.code, 1);
    assert.equal(
      partly.err,
      'smart-placement: bad/wrangler.toml has no environment "staging": its top level is analysed, as Wrangler would deploy it\n',
    );
    assert.deepEqual(
      JSON.parse(partly.out).workers.map((w: { name: string; env: string | null }) => [w.name, w.env]),
      [
        ["api-staging", "staging"],
        ["bad", null],
      ],
    );
  });

  it("reads severities from the shared settings file, as the editor does; its problems are findings", () => {
    writeFileSync(
      path.join(dir, ".smart-placement.jsonc"),
      '{\n  // CI and editor alike\n  "severity": { "placement-mode": "warning", "placement-fetch-only": "off", "placement-regoin": "off" }\n}\n',
    );
    try {
      const { code, out } = cli(["check", ".", "--format", "json"], dir);
      assert.equal(code, 0);
      const found = JSON.parse(out).diagnostics.map(
        (d: { file: string; severity: string; code: string }) => `${d.file} ${d.severity} ${d.code}`,
      );
      assert.deepEqual(found, [
        ".smart-placement.jsonc warning settings-file",
        "api/wrangler.toml warning placement-region",
        "bad/wrangler.toml warning placement-mode",
      ]);
    } finally {
      rmSync(path.join(dir, ".smart-placement.jsonc"));
    }
  });

  it("sarif rules carry their page, and help as text and Markdown", () => {
    const sarif = JSON.parse(cli(["check", "bad", "--format", "sarif"], dir).out);
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === "placement-mode");
    assert.equal(rule.helpUri, "https://github.com/smart-placement/smart-placement/blob/main/docs/rules/placement-mode.md");
    assert.match(rule.help.text, /^`mode` missing where required.* Documentation: https:\/\/github\.com\/.+placement-mode\.md$/);
    assert.match(rule.help.markdown, /\[Documentation for placement-mode\]\(https:\/\/github\.com\/.+\/docs\/rules\/placement-mode\.md\)$/);
  });
});

describe("smart-placement check --format json keeps every key of CONTRACT.md, and documents its additions", () => {
  const FIXTURE = (name: string): string => `test/fixtures/workers/${name}`;
  // The contract's keys and their enums (CONTRACT.md, "--format json (version 1)").
  const WORKER_KEYS = ["config", "env", "name", "entry", "placement", "prediction", "subrequests"];
  const PREDICTION_KEYS = ["status", "roundTrips", "backends", "reasons"];
  const SUBREQUEST_KEYS = ["file", "line", "column", "kind", "target", "category", "waitUntil", "criticalPath"];
  const DIAGNOSTIC_KEYS = ["file", "line", "column", "endLine", "endColumn", "severity", "code", "message"];
  const STATUSES = ["NO_FETCH_HANDLER", "TARGETED", "D1_PINNED", "NO_VALID_HOSTS", "INSUFFICIENT_SUBREQUESTS", "SUCCESS", "UNKNOWN"];
  const KINDS = ["fetch", "d1", "kv", "r2", "durable-object", "service", "queue", "socket", "sdk", "ai", "other"];
  const CATEGORIES = ["backend", "analytics", "global", "binding", "unknown"];
  const SEVERITIES = ["error", "warning", "information", "hint"];
  // What version 1 added (README, "Command line"): nothing else may appear.
  const ADDED_PREDICTION_KEYS = ["platformRules", "assume", "estimate"];
  const ADDED_SUBREQUEST_KEYS = ["candidates", "assumed"];

  type Json = Record<string, unknown>;
  const report = (args: string[]): { version: number; workers: Json[]; diagnostics: Json[] } => {
    const { code, out, err } = cli(["check", ...args, "--format", "json"]);
    assert.ok(code === 0 || code === 1, err);
    return JSON.parse(out);
  };
  const subrequestsOf = (worker: Json): Json[] => worker["subrequests"] as Json[];
  const predictionOf = (worker: Json): Json => worker["prediction"] as Json;

  it("every Worker, prediction, subrequest and diagnostic has each contract key, with the contract's types and values", () => {
    const json = report([
      "examples",
      FIXTURE("450-assume-host-once"),
      FIXTURE("454-assume-strict-host-once"),
      FIXTURE("220-url-ternary-stage"),
      FIXTURE("11-cron-only"),
      FIXTURE("02-satisfies-no-placement"),
    ]);
    assert.deepEqual(Object.keys(json), ["version", "workers", "diagnostics"]);
    assert.equal(json.version, 1);
    assert.ok(json.workers.length >= 6, String(json.workers.length));
    for (const worker of json.workers) {
      assert.deepEqual(Object.keys(worker), WORKER_KEYS, String(worker["config"]));
      assert.equal(typeof worker["config"], "string");
      assert.ok(!String(worker["config"]).includes("\\"));
      for (const key of ["env", "name", "entry"]) assert.ok(worker[key] === null || typeof worker[key] === "string", key);
      assert.ok(worker["placement"] === null || typeof worker["placement"] === "object");
      const prediction = predictionOf(worker);
      assert.deepEqual(Object.keys(prediction), [...PREDICTION_KEYS, ...ADDED_PREDICTION_KEYS], String(worker["config"]));
      assert.ok(STATUSES.includes(String(prediction["status"])), String(prediction["status"]));
      if (prediction["status"] === "NO_FETCH_HANDLER") assert.equal(prediction["roundTrips"], null);
      else assert.equal(typeof prediction["roundTrips"], "number");
      for (const backend of prediction["backends"] as Json[]) {
        assert.deepEqual(Object.keys(backend), ["host", "roundTrips"]);
        assert.equal(typeof backend["host"], "string");
        assert.equal(typeof backend["roundTrips"], "number");
      }
      assert.ok((prediction["reasons"] as unknown[]).every((r) => typeof r === "string"));
      for (const s of subrequestsOf(worker)) {
        assert.deepEqual(
          Object.keys(s).filter((k) => !ADDED_SUBREQUEST_KEYS.includes(k)),
          SUBREQUEST_KEYS,
        );
        assert.ok(KINDS.includes(String(s["kind"])), String(s["kind"]));
        assert.ok(CATEGORIES.includes(String(s["category"])), String(s["category"]));
        assert.ok(s["target"] === null || typeof s["target"] === "string");
        for (const key of ["line", "column"]) assert.ok(Number.isInteger(s[key]) && (s[key] as number) >= 1, key);
        for (const key of ["waitUntil", "criticalPath"]) assert.equal(typeof s[key], "boolean", key);
      }
    }
    assert.ok(json.diagnostics.length > 0);
    for (const d of json.diagnostics) {
      assert.deepEqual(Object.keys(d), DIAGNOSTIC_KEYS);
      assert.ok(SEVERITIES.includes(String(d["severity"])), String(d["severity"]));
    }
  });

  it("prediction.platformRules and prediction.assume: always there, the flag's value or the default", () => {
    const at = (args: string[]): unknown[] => {
      const prediction = predictionOf(report([FIXTURE("450-assume-host-once"), ...args]).workers[0]!);
      return [prediction["platformRules"], prediction["assume"]];
    };
    assert.deepEqual(at([]), ["current", "likely"]);
    assert.deepEqual(at(["--platform-rules", "2024"]), ["2024", "likely"]);
    assert.deepEqual(at(["--assume", "strict"]), ["current", "strict"]);
  });

  it('subrequests[].assumed: true on a response-path call counted by assumption, absent otherwise and under "strict"', () => {
    const likely = report([FIXTURE("450-assume-host-once")]).workers[0]!;
    assert.deepEqual(subrequestsOf(likely), [
      {
        file: "test/fixtures/workers/450-assume-host-once/src/index.ts",
        line: 6,
        column: 26,
        kind: "fetch",
        target: null,
        category: "unknown",
        waitUntil: false,
        criticalPath: true,
        assumed: true,
      },
    ]);
    const strict = report([FIXTURE("450-assume-host-once"), "--assume", "strict"]).workers[0]!;
    assert.equal(predictionOf(strict)["status"], "UNKNOWN");
    assert.deepEqual(
      subrequestsOf(strict).map((s) => "assumed" in s),
      [false],
    );
    // Never false: where it is present, it is true, on the response path, and the category stays unknown.
    for (const worker of report(["examples", FIXTURE("450-assume-host-once"), FIXTURE("220-url-ternary-stage")]).workers)
      for (const s of subrequestsOf(worker).filter((s) => "assumed" in s))
        assert.deepEqual([s["assumed"], s["criticalPath"], s["category"]], [true, true, "unknown"]);
  });

  it("subrequests[].candidates: the hosts of a URL chosen at run time, target the one counted; absent otherwise", () => {
    const worker = report([FIXTURE("220-url-ternary-stage")]).workers[0]!;
    const withCandidates = subrequestsOf(worker).filter((s) => "candidates" in s);
    assert.deepEqual(
      withCandidates.map((s) => [s["target"], s["category"], s["candidates"]]),
      [["api.shop.example", "backend", ["api.shop.example", "api-staging.shop.example"]]],
    );
    assert.deepEqual(
      subrequestsOf(report([FIXTURE("450-assume-host-once")]).workers[0]!).map((s) => "candidates" in s),
      [false],
    );
  });

  it("prediction.estimate: an object with a fetch handler, null without one", () => {
    const json = report([FIXTURE("11-cron-only"), FIXTURE("02-satisfies-no-placement")]);
    const byStatus = json.workers
      .map((w) => [predictionOf(w)["status"], typeof predictionOf(w)["estimate"], predictionOf(w)["estimate"] === null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(byStatus, [
      ["NO_FETCH_HANDLER", "object", true],
      ["SUCCESS", "object", false],
    ]);
  });
});
