import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { toPlainValue } from "../../server/src/core/config/tree";
import { describePrediction } from "../../server/src/core/docs";
import { enableSmartPlacement } from "../../server/src/core/fixes/configEdits";
import { applyEdits } from "../../server/src/core/text";
import { checkConfig } from "../../server/src/core/rules/config";
import { markdownCode, markdownText } from "../../server/src/core/strings";
import { MemoryFileSystem, normalizePath } from "../../server/src/core/fs";
import { NodeFileSystem } from "../../server/src/host/nodeFileSystem";
import { concat, EMPTY, seqOf, stepOf, worst } from "../../server/src/core/worker/flow";
import { analyzeWorker } from "../../server/src/core/worker/analyze";
import { MAX_WALK_STEPS, WALK_BUDGET_REASON } from "../../server/src/core/worker/context";
import { predict } from "../../server/src/core/predict/predict";
import { NO_BINDINGS } from "./helpers/analyse";
import type { Subrequest } from "../../server/src/core/worker/types";

const CONFIG = 'name = "w"\nmain = "src/index.ts"\n';

describe("hostile inputs: the core", () => {
  it("100,000 sequential awaits are analysed in linear time, every round trip in order", () => {
    const n = 100_000;
    const source =
      'export default { async fetch() {\n  const u = "https://db.example.com/";\n' +
      "  await fetch(u);\n".repeat(n) +
      "  return new Response();\n} };\n";
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": CONFIG, "/w/src/index.ts": source });
    const started = Date.now();
    const [worker] = analyzeConfig(fs, "/w/wrangler.toml", CONFIG).workers;
    const ms = Date.now() - started;
    assert.equal(worker!.prediction.status, "SUCCESS");
    assert.equal(worker!.prediction.roundTrips, n);
    assert.deepEqual(worker!.prediction.backends, [{ host: "db.example.com", roundTrips: n }]);
    const steps = worker!.analysis.criticalSteps;
    assert.equal(steps.length, n);
    assert.equal(steps[0]!.subrequests[0]!.span.start, source.indexOf("fetch(u)"));
    assert.equal(steps[n - 1]!.subrequests[0]!.span.start, source.lastIndexOf("fetch(u)"));
    // Quadratic, this took minutes; linear, a few seconds on the slowest machine it runs on.
    assert.ok(ms < 30_000, `${ms} ms`);
  });

  it("10,000 requests of one URL kept in variables are analysed in linear time: retries are not looked for in a function that large", () => {
    const n = 10_000;
    const source =
      'export default { async fetch() {\n  const u = "https://db.example.com/";\n  let r;\n' +
      "  r = await fetch(u);\n  if (!r.ok) throw new Error();\n".repeat(n) +
      "  return new Response();\n} };\n";
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": CONFIG, "/w/src/index.ts": source });
    const started = Date.now();
    const [worker] = analyzeConfig(fs, "/w/wrangler.toml", CONFIG).workers;
    const ms = Date.now() - started;
    assert.equal(worker!.prediction.status, "SUCCESS");
    assert.equal(worker!.prediction.roundTrips, n);
    // Looking back from each request over every earlier one was quadratic (minutes).
    assert.ok(ms < 30_000, `${ms} ms`);
  });

  it("the walk's budget is counted in steps: the same answer on any machine, and said whatever the status", () => {
    // 40 helpers of two round trips each, called one after the other: far past a budget of 200 steps.
    const helpers = Array.from(
      { length: 40 },
      (_, i) => `async function h${i}() { await fetch("https://db.example.com/${i}"); await fetch("https://db.example.com/${i}b"); }`,
    ).join("\n");
    const calls = Array.from({ length: 40 }, (_, i) => `await h${i}();`).join(" ");
    const fs = new MemoryFileSystem({
      "/w/src/index.ts": `${helpers}\nexport default { async fetch() { ${calls} return new Response(); } };`,
    });
    const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO_BINDINGS };
    const limited = analyzeWorker({ ...input, walkBudget: 200 });
    const again = analyzeWorker({ ...input, walkBudget: 200 });
    assert.deepEqual(limited.unknowns, [WALK_BUDGET_REASON]);
    assert.equal(limited.roundTrips, again.roundTrips);
    assert.deepEqual(
      limited.subrequests.map((s) => s.criticalPath),
      again.subrequests.map((s) => s.criticalPath),
    );
    assert.ok(limited.roundTrips! >= 2 && limited.roundTrips! < 80, String(limited.roundTrips));
    const prediction = predict(limited, { targeted: false, d1Bindings: [] });
    assert.equal(prediction.status, "SUCCESS");
    assert.ok(prediction.reasons.includes(WALK_BUDGET_REASON), prediction.reasons.join("; "));
    // With the default budget the same Worker is walked to the end.
    const full = analyzeWorker(input);
    assert.equal(full.roundTrips, 80);
    assert.deepEqual(full.unknowns, []);
    assert.ok(MAX_WALK_STEPS >= 1_000_000);
  });

  it("concat shares its parts and lays the steps out in order, as copying did", () => {
    const sub = (i: number): Subrequest => ({
      file: "/w/a.ts",
      span: { start: i, end: i + 1 },
      kind: "fetch",
      target: "db.example.com",
      category: "backend",
      waitUntil: false,
      criticalPath: true,
    });
    let seq = EMPTY;
    for (let i = 0; i < 5; i++) seq = concat(seq, seqOf(stepOf(sub(i))), EMPTY);
    const chained = concat(seq, seq);
    assert.equal(chained.backend, 10);
    assert.deepEqual(
      chained.steps.map((s) => s.subrequests[0]!.span.start),
      [0, 1, 2, 3, 4, 0, 1, 2, 3, 4],
    );
    const widened = worst(chained, { backend: 0, possible: 12, steps: [] });
    assert.equal(widened.possible, 12);
    assert.equal(widened.steps.length, 10);
  });
});

const findingsOf = (file: string, text: string): Array<{ code: string; message: string }> =>
  checkConfig(loadWranglerConfig(file, text)).map(({ code, message }) => ({ code, message }));

describe("hostile inputs: configs", () => {
  it("a UTF-8 byte order mark is ignored, as Wrangler does, and offsets stay where they were", () => {
    const toml = '\ufeffname = "w"\n[placement]\nmode = "smrt"\n';
    const config = loadWranglerConfig("/w/wrangler.toml", toml);
    assert.equal(config.syntaxError, undefined);
    const [mode] = checkConfig(config);
    assert.equal(mode!.code, "placement-mode");
    assert.equal(toml.slice(mode!.span.start, mode!.span.end), '"smrt"');
    const json = '\ufeff{ "name": "w", "placement": { "mode": "smart" } }';
    assert.deepEqual(findingsOf("/w/wrangler.json", json), []);
    assert.deepEqual(toPlainValue(loadWranglerConfig("/w/wrangler.json", json).root!), { name: "w", placement: { mode: "smart" } });
  });

  it("a string too long for the TOML parser is an analysis limit, not a syntax error", () => {
    const text = `name = "w"\n[vars]\nBIG = "${"x".repeat(200_000)}"\n`;
    assert.deepEqual(findingsOf("/w/wrangler.toml", text), [
      {
        code: "analysis-limit",
        message: "wrangler.toml was not analysed: it is nested too deeply, or holds a string too long, for the parser.",
      },
    ]);
    // Below that, a long string is just a string.
    const fine = loadWranglerConfig("/w/wrangler.toml", `name = "w"\n[vars]\nBIG = "${"x".repeat(90_000)}"\n`);
    assert.equal(fine.environments[0]!.vars["BIG"]!.length, 90_000);
  });

  it("TOML and JSON agree on depth: 64 levels are read, 65 are an analysis limit in both", () => {
    const json = (n: number): string => '{ "name": "w", "vars": ' + '{ "a": '.repeat(n - 1) + "1" + " }".repeat(n - 1) + " }";
    const dotted = (n: number): string => 'name = "w"\nvars.' + Array.from({ length: n - 1 }, () => "a").join(".") + " = 1\n";
    const inline = (n: number): string => 'name = "w"\nvars = ' + "{ a = ".repeat(n - 1) + "1" + " }".repeat(n - 1) + "\n";
    const arrays = (n: number): string => 'name = "w"\nvars = ' + "[".repeat(n - 1) + "1" + "]".repeat(n - 1) + "\n";
    const tooDeep = [{ code: "analysis-limit", message: "wrangler.toml was not analysed: it is nested more than 64 levels deep." }];
    for (const make of [dotted, inline, arrays]) {
      assert.deepEqual(findingsOf("/w/wrangler.toml", make(64)), [], make.name);
      assert.deepEqual(findingsOf("/w/wrangler.toml", make(65)), tooDeep, make.name);
    }
    assert.deepEqual(findingsOf("/w/wrangler.json", json(64)), []);
    assert.deepEqual(findingsOf("/w/wrangler.json", json(65)), [
      { code: "analysis-limit", message: "wrangler.json was not analysed: it is nested more than 64 levels deep." },
    ]);
  });

  it("configs over 1 MB or with more than 256 environments are not analysed, and say so", () => {
    const big = 'name = "w"\n' + "# filler\n".repeat(120_000);
    assert.deepEqual(findingsOf("/w/wrangler.toml", big), [
      { code: "analysis-limit", message: "wrangler.toml was not analysed: 1055 KB is over the 1 MB limit for configs." },
    ]);
    const envs = (n: number): string => 'name = "w"\n' + Array.from({ length: n }, (_, i) => `[env.e${i}]\n`).join("");
    assert.equal(loadWranglerConfig("/w/wrangler.toml", envs(256)).environments.length, 257);
    assert.deepEqual(findingsOf("/w/wrangler.toml", envs(257)), [
      { code: "analysis-limit", message: "wrangler.toml was not analysed: it has 257 environments, over the limit of 256." },
    ]);
    const started = Date.now();
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": envs(100_000) });
    const analysis = analyzeConfig(fs, "/w/wrangler.toml", envs(100_000));
    assert.deepEqual(analysis.workers, []);
    assert.ok(Date.now() - started < 5_000);
  });

  it("keys like constructor and __proto__ are plain keys", () => {
    const text = 'name = "w"\n[vars]\n__proto__ = "p"\nconstructor = "c"\n[placement]\n__proto__ = { mode = "smart" }\n';
    const config = loadWranglerConfig("/w/wrangler.toml", text);
    const placement = toPlainValue(getPlacement(config)) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(placement), Object.prototype);
    assert.deepEqual(Object.keys(placement), ["__proto__"]);
    assert.equal((placement as { mode?: unknown }).mode, undefined);
    assert.deepEqual(Object.entries(config.environments[0]!.vars), [
      ["__proto__", "p"],
      ["constructor", "c"],
    ]);
    assert.deepEqual(
      checkConfig(config).map((f) => f.code),
      ["placement-mode", "placement-unknown-key"],
    );
  });
});

function getPlacement(config: ReturnType<typeof loadWranglerConfig>) {
  return config.root!.entries.get("placement")!.value;
}

describe("hostile inputs: Workers that cannot be analysed", () => {
  it("an entry over the size limit predicts UNKNOWN, not NO_FETCH_HANDLER", () => {
    const entry = "// filler\n".repeat(220_000) + "export default { fetch() { return new Response(); } };\n";
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": CONFIG, "/w/src/index.ts": entry });
    const [worker] = analyzeConfig(fs, "/w/wrangler.toml", CONFIG).workers;
    assert.equal(worker!.prediction.status, "UNKNOWN");
    assert.deepEqual(worker!.prediction.reasons, [
      "no fetch handler found, but part of the Worker was not analysed",
      "index.ts was not analysed (2148 KB is over the 2 MB analysis limit)",
    ]);
  });

  it("a Worker whose analysis fails is UNKNOWN with the reason; the other environments are analysed", () => {
    const text = 'name = "w"\nmain = "src/index.d"\n[env.ok]\nmain = "src/ok.ts"\n';
    const fs = new MemoryFileSystem({
      "/w/wrangler.toml": text,
      "/w/src/index.d.ts": "export declare const x: number;\n",
      "/w/src/ok.ts":
        'export default { async fetch() { await fetch("https://db.example.com"); return fetch("https://db.example.com"); } };\n',
    });
    const analysis = analyzeConfig(fs, "/w/wrangler.toml", text);
    assert.deepEqual(
      analysis.workers.map((w) => w.prediction.status),
      ["UNKNOWN", "SUCCESS"],
    );
    assert.match(analysis.workers[0]!.prediction.reasons[0]!, /^The Worker's source could not be analysed: /);
    assert.ok(
      analysis.findings.some((f) => f.code === "worker-entry" && f.message.startsWith("The Worker's source could not be analysed")),
    );
  });

  it("names of Object's own members (packages, handlers, methods called constructor or toString) are ordinary names", () => {
    const source = `import { toString as named } from "toString";
import * as lib from "constructor";
import { constructor as verb } from "@auth/sveltekit";
export default {
  toString() { return "w"; },
  valueOf: 1,
  async fetch(request: Request) {
    const a = await fetch("https://db.example.com/a");
    await lib.constructor(named, verb);
    return fetch("https://db.example.com/b", { body: await a.text() });
  },
};
`;
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": CONFIG, "/w/src/index.ts": source });
    const [worker] = analyzeConfig(fs, "/w/wrangler.toml", CONFIG).workers;
    assert.equal(worker!.prediction.status, "SUCCESS");
    assert.equal(worker!.prediction.roundTrips, 2);
    assert.deepEqual(
      worker!.analysis?.handlers.map((h) => h.kind),
      ["fetch"],
    );
  });
});

describe("hostile inputs: hover Markdown", () => {
  it("workspace text is literal Markdown", () => {
    assert.equal(markdownText("*x* [a](http://e) <b>\n# h"), "\\*x\\* \\[a\\]\\(http\\:\\/\\/e\\) \\<b\\> \\# h");
    assert.equal(markdownCode('{"a":"`b`"}'), '``{"a":"`b`"}``');
    assert.equal(markdownCode("`"), "`` ` ``");
  });

  it("an environment name cannot format the prediction hover", () => {
    const text = 'name = "w"\nmain = "src/index.ts"\n[env."**x**](http://e)"]\n';
    const fs = new MemoryFileSystem({
      "/w/wrangler.toml": text,
      "/w/src/index.ts": "export default { fetch() { return new Response(); } };\n",
    });
    const analysis = analyzeConfig(fs, "/w/wrangler.toml", text);
    assert.equal(
      describePrediction(analysis, analysis.workers[1]!).split("\n")[0],
      "**Smart Placement** (env \\*\\*x\\*\\*\\]\\(http\\:\\/\\/e\\)): Off · would not help\\: no subrequests to back ends",
    );
  });
});

describe("hostile inputs: quick fixes", () => {
  const fixTitles = (text: string, code: string, file = "/w/wrangler.toml"): string[] =>
    checkConfig(loadWranglerConfig(file, text))
      .filter((f) => f.code === code)
      .flatMap((f) => f.fixes.map((fix) => fix.title));

  it("Enable Smart Placement is not offered on a targeted placement (mode smart beside region is a Wrangler error)", () => {
    for (const text of [
      'name = "w"\n[placement]\nregion = "aws:us-east-1"\n',
      'name = "w"\n[placement]\nmode = "targeted"\nhost = "db.example.com:5432"\n',
    ]) {
      assert.equal(enableSmartPlacement(loadWranglerConfig("/w/wrangler.toml", text), []), undefined, text);
    }
    const off = 'name = "w"\n[placement]\nmode = "off"\n';
    assert.equal(
      applyEdits(off, enableSmartPlacement(loadWranglerConfig("/w/wrangler.toml", off), [])!),
      'name = "w"\n[placement]\nmode = "smart"\n',
    );
  });

  it("a removal that would delete a comment inside what it removes is not offered", () => {
    const commented = 'name = "w"\n[placement]\nmode = "smart"\nbogus = [ # why this is here\n  1,\n]\n';
    assert.deepEqual(fixTitles(commented, "placement-unknown-key"), []);
    assert.deepEqual(fixTitles('name = "w"\n[placement]\nmode = "smart"\nbogus = [\n  1,\n]\n', "placement-unknown-key"), [
      'Remove "bogus"',
    ]);
    const json = '{ "name": "w", "placement": { "mode": "smart", "bogus": /* keep me */ 1 } }';
    assert.deepEqual(fixTitles(json, "placement-unknown-key", "/w/wrangler.jsonc"), []);
  });

  it('"Rename to mode" is not offered where it would make a Wrangler error', () => {
    assert.deepEqual(fixTitles('name = "w"\n[placement]\nregion = "aws:us-east-1"\nmdoe = "smart"\n', "placement-unknown-key"), [
      'Remove "mdoe"',
    ]);
    assert.deepEqual(fixTitles('name = "w"\n[placement]\nmdoe = "smart"\n', "placement-unknown-key").sort(), [
      'Remove "mdoe"',
      'Rename to "mode"',
    ]);
  });

  it("Enable Smart Placement on duplicate JSON keys edits the copy in effect (the last)", () => {
    const text = '{\n  "name": "w",\n  "placement": { "mode": "off" },\n  "placement": { "mode": "off" }\n}\n';
    const edits = enableSmartPlacement(loadWranglerConfig("/w/wrangler.json", text), []);
    assert.equal(applyEdits(text, edits!), '{\n  "name": "w",\n  "placement": { "mode": "off" },\n  "placement": { "mode": "smart" }\n}\n');
    const noMode = '{ "name": "w", "placement": { "mode": "off" }, "placement": { "hint": "aws:us-east-1" } }';
    assert.equal(enableSmartPlacement(loadWranglerConfig("/w/wrangler.json", noMode), []), undefined);
  });
});

describe("hostile inputs: module loading", () => {
  const project = (files: Record<string, string>, links: Record<string, string> = {}): string => {
    const root = mkdtempSync(path.join(tmpdir(), "sp-hostile-"));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    for (const [link, target] of Object.entries(links)) symlinkSync(target, path.join(root, link));
    return normalizePath(root);
  };
  const analyseDir = (root: string) => {
    const fs = new NodeFileSystem();
    const text = readFileSync(path.join(root, "wrangler.toml"), "utf8");
    return analyzeConfig(fs, `${root}/wrangler.toml`, text).workers[0]!;
  };

  it("a folder symlinked into itself does not multiply modules: each file is loaded once", () => {
    const imports = Array.from({ length: 6 }, (_, i) => `import { a as a${i} } from "./${"loop/".repeat(i)}lib";`).join("\n");
    const root = project(
      {
        "wrangler.toml": CONFIG,
        "src/index.ts": `${imports}\nexport default { async fetch() { await a0(); return new Response(); } };`,
        "src/lib.ts": `export async function a() { await fetch("https://db.example.com/x"); }`,
      },
      { "src/loop": "." },
    );
    const worker = analyseDir(root);
    assert.deepEqual(
      worker.analysis.files.map((f) => path.basename(f)),
      ["index.ts", "lib.ts"],
    );
    assert.equal(worker.prediction.roundTrips, 1);
  });

  it('a package whose manifest points at itself ("main": ".") or two packages pointing at each other end', () => {
    const root = project({
      "wrangler.toml": CONFIG,
      "package.json": JSON.stringify({ private: true, workspaces: ["packages/*"] }),
      "packages/self/package.json": JSON.stringify({ name: "self", main: "." }),
      "packages/a/package.json": JSON.stringify({ name: "a", main: "../b" }),
      "packages/b/package.json": JSON.stringify({ name: "b", main: "../a" }),
      "src/index.ts": `import s from "self";\nimport a from "a";\nexport default { async fetch() { await s(); await a(); return new Response(); } };`,
    });
    const started = Date.now();
    const worker = analyseDir(root);
    // Packages of the workspace with no source to read: their calls are unknown, never nothing.
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.match(worker.analysis.unknowns.join("\n"), /"self", a package of this repository/);
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });

  it("code past the module budget is not read, and the prediction says so", () => {
    const files: Record<string, string> = { "wrangler.toml": CONFIG };
    const modules = 3005;
    for (let i = 0; i < modules; i++) files[`src/m${i}.ts`] = i + 1 < modules ? `export { x } from "./m${i + 1}";` : `export const x = 1;`;
    files["src/index.ts"] = `import { x } from "./m0";\nexport default { async fetch() { return new Response(String(x)); } };`;
    const worker = analyseDir(project(files));
    assert.equal(worker.prediction.status, "UNKNOWN");
    assert.match(
      worker.prediction.reasons.join("\n"),
      /the Worker's code is larger than one analysis reads \(3000 modules, 64 MB of source\): m2999\.ts and what it imports were not read/,
    );
  });
});
