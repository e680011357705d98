import assert from "node:assert/strict";
import { describe, it } from "node:test";
import TOML from "@iarna/toml";
import { parse as parseJsonc } from "jsonc-parser";
import { effectivePlacement, loadWranglerConfig } from "../../server/src/core/config/model";
import { getEntryAt, toPlainValue } from "../../server/src/core/config/tree";
import { checkText, codes } from "./helpers/config";

const SAMPLE = `# A realistic wrangler.toml
name = "api"
main = "src/index.ts"
compatibility_date = 2025-01-01
"quoted key" = 'literal'
dotted.inner.value = 0x1F

[vars]
API_BASE = "https://api.example.com"
MULTI = """
two
lines"""

[[d1_databases]]
binding = "DB"
database_name = "main"

[[d1_databases]]
binding = "LOGS"
database_name = "logs"

[placement]
mode = "smart" # comment

[env.staging]
name = "api-staging"
vars = { API_BASE = "https://staging.example.com", N = 1.5e3, ON = true }

[env.staging.placement]
region = "aws:us-east-1"

[env.prod]
placement = { hostname = "api.example.com" }
routes = [ { pattern = "example.com/*", zone_name = "example.com" } ]
`;

/** Dates differ in representation only (@iarna/toml gives Date objects). */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return "date";
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

describe("config model", () => {
  it("TOML values agree with @iarna/toml", () => {
    const config = loadWranglerConfig("/p/wrangler.toml", SAMPLE);
    assert.equal(config.syntaxError, undefined);
    const ours = toPlainValue(config.root!) as Record<string, unknown>;
    const reference = normalise(TOML.parse(SAMPLE)) as Record<string, unknown>;
    ours["compatibility_date"] = "date";
    assert.deepEqual(ours, reference);
  });

  it("JSONC values agree with jsonc-parser's own parse", () => {
    const text = '{\n  // c\n  "name": "x", "env": { "a": { "placement": { "mode": "smart", }, }, },\n  "vars": { "A": "b" }, /* c */\n}';
    const config = loadWranglerConfig("/p/wrangler.jsonc", text);
    assert.deepEqual(toPlainValue(config.root!), parseJsonc(text, [], { allowTrailingComma: true }));
  });

  it("keeps source ranges of keys, values and header tables", () => {
    const config = loadWranglerConfig("/p/wrangler.toml", SAMPLE);
    const mode = getEntryAt(config.root, ["placement", "mode"])!;
    assert.equal(SAMPLE.slice(mode.keySpan.start, mode.keySpan.end), "mode");
    assert.equal(SAMPLE.slice(mode.value.span.start, mode.value.span.end), '"smart"');
    assert.equal(SAMPLE.slice(mode.entrySpan.start, mode.entrySpan.end), 'mode = "smart"');
    const placement = getEntryAt(config.root, ["placement"])!;
    assert.equal(SAMPLE.slice(placement.value.span.start, placement.value.span.end), "[placement]");
    const region = getEntryAt(config.root, ["env", "staging", "placement", "region"])!;
    assert.equal(SAMPLE.slice(region.value.span.start, region.value.span.end), '"aws:us-east-1"');
  });

  it("models environments with Wrangler's inheritance", () => {
    const config = loadWranglerConfig("/p/wrangler.toml", SAMPLE);
    const names = config.environments.map((e) => e.name);
    assert.deepEqual(names, [null, "staging", "prod"]);
    const [top, staging, prod] = config.environments;
    assert.equal(top!.main?.value, "src/index.ts");
    assert.equal(staging!.main?.value, "src/index.ts", "main is inherited");
    assert.deepEqual(top!.bindings.d1, ["DB", "LOGS"]);
    assert.deepEqual(staging!.bindings.d1, [], "bindings are not inherited");
    assert.deepEqual({ ...staging!.vars }, { API_BASE: "https://staging.example.com" });
    assert.equal(staging!.workerName, "api-staging");
    assert.equal(prod!.workerName, "api-prod");
    assert.deepEqual(effectivePlacement(top!), { mode: "smart" });
    assert.deepEqual(effectivePlacement(staging!), { mode: "targeted", region: "aws:us-east-1" });
    assert.deepEqual(effectivePlacement(prod!), { mode: "targeted", hostname: "api.example.com" });
  });

  it("lists the Worker's own Durable Object and Workflow classes (not another Worker's)", () => {
    const config = loadWranglerConfig(
      "/p/wrangler.jsonc",
      `{
        "name": "jobs",
        "durable_objects": { "bindings": [
          { "name": "ROOMS", "class_name": "ChatRoom" },
          { "name": "REMOTE", "class_name": "Counter", "script_name": "counter-worker" }
        ] },
        "workflows": [
          { "name": "report", "binding": "REPORT", "class_name": "ReportWorkflow" },
          { "name": "billing", "binding": "BILLING", "class_name": "BillingWorkflow", "script_name": "billing" }
        ],
        "env": { "staging": { "workflows": [{ "name": "r", "binding": "R", "class_name": "StagingWorkflow" }] } }
      }`,
    );
    const [top, staging] = config.environments;
    assert.deepEqual(top!.ownClasses, { durableObjects: ["ChatRoom"], workflows: ["ReportWorkflow"] });
    assert.deepEqual(staging!.ownClasses, { durableObjects: [], workflows: ["StagingWorkflow"] }, "not inherited");
  });

  it("mode off and hint follow Wrangler's upload rules", () => {
    const off = loadWranglerConfig("/p/wrangler.toml", '[placement]\nmode = "off"\n');
    assert.equal(effectivePlacement(off.environments[0]!), null);
    const hinted = loadWranglerConfig("/p/wrangler.toml", '[placement]\nmode = "smart"\nhint = "aws:us-east-1"\n');
    assert.deepEqual(effectivePlacement(hinted.environments[0]!), { mode: "smart", hint: "aws:us-east-1" });
  });
});

describe("bad input never crashes", () => {
  const cases: Array<[string, string]> = [
    ["empty", ""],
    ["only whitespace", "  \n\n\t"],
    ["binary bytes", "\u0000\u0001\u0002\u00ff\ufffd[placement]\u0000"],
    ["invalid UTF-8 decoded", Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x20, 0x3d, 0x20, 0x22, 0xc3, 0x28, 0x22, 0x0a]).toString("utf8")],
    ["placement as an array of tables", "[[placement]]\nmode = 1\n"],
    ["deeply nested inline tables", "a = " + "{ b = ".repeat(2000) + "1" + " }".repeat(2000) + "\n"],
    ["deeply nested arrays", "a = " + "[".repeat(5000) + "]".repeat(5000) + "\n"],
  ];
  for (const [name, text] of cases) {
    it(`TOML: ${name}`, () => {
      // Deeper than the model follows: a limit of the analyser, not an error in the file.
      const findings = checkText(text, "toml");
      assert.ok(findings.every((f) => f.code === "analysis-limit" || f.code === "config-syntax" || f.code.startsWith("placement-")));
    });
    it(`JSONC: ${name}`, () => {
      assert.doesNotThrow(() => checkText(text, "jsonc"));
    });
  }

  it("an empty TOML file is valid and has no findings", () => {
    assert.deepEqual(codes(checkText("", "toml")), []);
  });

  it("an empty JSONC file is a syntax error", () => {
    assert.deepEqual(codes(checkText("", "jsonc")), ["config-syntax"]);
  });

  it("deep JSON nesting is a clear analysis-limit finding, not a stack overflow", () => {
    const text = '{ "a": ' + "[".repeat(20000) + "]".repeat(20000) + " }";
    assert.deepEqual(
      checkText(text, "jsonc").map((f) => f.message),
      ["wrangler.jsonc was not analysed: it is nested too deeply, or holds a string too long, for the parser."],
    );
  });

  it("a 5 MB config is not analysed, and says so", () => {
    const filler = Array.from({ length: 120_000 }, (_, i) => `VAR_${i} = "value number ${i} ................"`).join("\n");
    const text = `name = "big"\n[placement]\nmode = "smrt"\n[vars]\n${filler}\n`;
    assert.ok(text.length > 5_000_000);
    assert.deepEqual(
      checkText(text, "toml").map((f) => f.message),
      [`wrangler.toml was not analysed: ${Math.round(text.length / 1024)} KB is over the 1 MB limit for configs.`],
    );
  });

  it("a config just under 1 MB is checked", () => {
    const filler = Array.from({ length: 20_000 }, (_, i) => `VAR_${i} = "value number ${i} ................"`).join("\n");
    const text = `name = "big"\n[placement]\nmode = "smrt"\n[vars]\n${filler}\n`;
    assert.ok(text.length > 900_000 && text.length < 1024 * 1024);
    assert.deepEqual(codes(checkText(text, "toml")), ["placement-mode"]);
  });
});
