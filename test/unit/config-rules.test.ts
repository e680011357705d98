import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { applyFix, checkText, codes, fixNamed, spanText } from "./helpers/config";

const HEAD = 'name = "api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n';
const JHEAD = '  "name": "api",\n  "main": "src/index.ts",\n  "compatibility_date": "2025-01-01",\n';
const toml = (body: string): string => HEAD + body;
const jsonc = (placement: string, extra = ""): string => `{\n${JHEAD}${extra}  "placement": ${placement}\n}\n`;

describe("placement: valid shapes give no findings", () => {
  const valid = [
    '[placement]\nmode = "smart"\n',
    '[placement]\nmode = "off"\n',
    'placement = { mode = "smart" }\n',
    'placement.mode = "smart"\n',
    '[placement]\nmode = "smart"\nhint = "aws:us-east-1"\n',
    '[placement]\nregion = "aws:us-east-1"\n',
    '[placement]\nmode = "targeted"\nregion = "gcp:europe-west8"\n',
    '[placement]\nhost = "db.example.com:5432"\n',
    '[placement]\nhostname = "api.example.com"\n',
    '[placement]\nregion = "azure:westeurope"\n',
  ];
  for (const body of valid) {
    it(`TOML ${JSON.stringify(body)}`, () => assert.deepEqual(codes(checkText(toml(body))), []));
  }
  it("JSONC with comments and trailing commas", () => {
    const text =
      '{\n  // the worker\n  "name": "api",\n  "main": "src/index.ts",\n  // "placement": { "mode": "off" },\n  "placement": { "mode": "smart", },\n}\n';
    assert.deepEqual(codes(checkText(text, "jsonc")), []);
  });
  it("no placement at all", () => assert.deepEqual(codes(checkText(HEAD)), []));
});

describe("placement-type", () => {
  for (const [value, kind] of [
    ['"smart"', "a string"],
    ["1", "a number"],
    ["true", "a boolean"],
    ['["smart"]', "an array"],
  ] as const) {
    it(`TOML placement = ${value}`, () => {
      const text = toml(`placement = ${value}\n`);
      const [finding, ...rest] = checkText(text);
      assert.equal(rest.length, 0);
      assert.equal(finding?.code, "placement-type");
      assert.equal(spanText(text, finding!), value);
      assert.match(finding!.message, new RegExp(`but got ${kind}`));
    });
    it(`JSONC "placement": ${value}`, () => {
      const text = jsonc(value);
      const findings = checkText(text, "jsonc");
      assert.deepEqual(codes(findings), ["placement-type"]);
      assert.equal(spanText(text, findings[0]!), value);
    });
  }
  it("JSON null is not an object either", () => {
    assert.deepEqual(codes(checkText(jsonc("null"), "jsonc")), ["placement-type"]);
  });
});

describe("placement-mode", () => {
  it("typo: error on the value with the closest value as the preferred fix (TOML)", () => {
    const text = toml('[placement]\nmode = "smrt"\n');
    const [finding] = checkText(text);
    assert.equal(finding?.code, "placement-mode");
    assert.equal(spanText(text, finding!), '"smrt"');
    assert.equal(finding!.message, '"placement.mode" must be "off", "smart" or "targeted", but got "smrt". Did you mean "smart"?');
    assert.equal(finding!.fixes[0]?.title, 'Change mode to "smart"');
    assert.equal(finding!.fixes[0]?.preferred, true);
    assert.equal(applyFix(text, finding!.fixes[0]!), toml('[placement]\nmode = "smart"\n'));
  });
  it("typo in JSONC keeps comments", () => {
    const text = jsonc('{ "mode": "Smart" /* sic */ }');
    const [finding] = checkText(text, "jsonc");
    assert.equal(finding?.code, "placement-mode");
    assert.equal(applyFix(text, fixNamed(finding, 'Change mode to "smart"')), jsonc('{ "mode": "smart" /* sic */ }'));
  });
  it("missing mode in an empty table: on the key, fix adds mode", () => {
    const text = toml("[placement]\n");
    const [finding, ...rest] = checkText(text);
    assert.equal(rest.length, 0);
    assert.equal(finding?.code, "placement-mode");
    assert.equal(spanText(text, finding!), "placement");
    assert.match(finding!.message, /"placement.mode" is required/);
    assert.equal(applyFix(text, finding!.fixes[0]!), toml('[placement]\nmode = "smart"\n'));
  });
  it("missing mode in JSONC adds it with jsonc-parser", () => {
    const text = jsonc("{}");
    const [finding] = checkText(text, "jsonc");
    assert.equal(finding?.code, "placement-mode");
    const fixed = applyFix(text, finding!.fixes[0]!);
    assert.deepEqual(codes(checkText(fixed, "jsonc")), []);
    assert.match(fixed, /"placement": \{\s*"mode": "smart"\s*\}/);
  });
  it("mode not a string", () => {
    const text = toml("[placement]\nmode = 1\n");
    const [finding] = checkText(text);
    assert.equal(finding?.code, "placement-mode");
    assert.equal(finding!.message, '"placement.mode" must be "off", "smart" or "targeted", but got a number.');
    assert.equal(spanText(text, finding!), "1");
  });
  it("mode = targeted with a target is fine, with smart it is not", () => {
    assert.deepEqual(codes(checkText(toml('[placement]\nmode = "targeted"\nhost = "db:5432"\n'))), []);
    const text = toml('[placement]\nmode = "smart"\nregion = "aws:us-east-1"\n');
    const [finding] = checkText(text);
    assert.equal(finding?.code, "placement-mode");
    assert.match(finding!.message, /"targeted" or left out/);
    assert.equal(applyFix(text, fixNamed(finding, "Remove mode")), toml('[placement]\nregion = "aws:us-east-1"\n'));
    assert.equal(
      applyFix(text, fixNamed(finding, 'Change mode to "targeted"')),
      toml('[placement]\nmode = "targeted"\nregion = "aws:us-east-1"\n'),
    );
  });
});

describe("placement-target", () => {
  it('mode = "targeted" without a target', () => {
    const text = toml('[placement]\nmode = "targeted"\n');
    const [finding, ...rest] = checkText(text);
    assert.equal(rest.length, 0);
    assert.equal(finding?.code, "placement-target");
    assert.equal(spanText(text, finding!), '"targeted"');
  });
  it("empty and non-string targets", () => {
    const empty = checkText(toml('[placement]\nregion = ""\n'));
    assert.deepEqual(codes(empty), ["placement-target"]);
    assert.match(empty[0]!.message, /non-empty string/);
    const number = checkText(jsonc('{ "host": 5432 }'), "jsonc");
    assert.deepEqual(codes(number), ["placement-target"]);
    assert.match(number[0]!.message, /must be a string, but got a number/);
  });
});

describe("placement-conflict", () => {
  it("two targets: one finding on the second, a keep-fix per field (TOML)", () => {
    const text = toml('[placement]\nregion = "aws:us-east-1"\nhost = "db.example.com:5432"\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-conflict"]);
    assert.equal(spanText(text, findings[0]!), "host");
    assert.deepEqual(
      findings[0]!.fixes.map((f) => f.title),
      ["Keep only region", "Keep only host"],
    );
    assert.equal(applyFix(text, fixNamed(findings[0], "Keep only region")), toml('[placement]\nregion = "aws:us-east-1"\n'));
    assert.equal(applyFix(text, fixNamed(findings[0], "Keep only host")), toml('[placement]\nhost = "db.example.com:5432"\n'));
  });
  it("three targets inline in TOML", () => {
    const text = toml('placement = { region = "aws:us-east-1", host = "db:5432", hostname = "api.example.com" }\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-conflict", "placement-conflict"]);
    assert.equal(applyFix(text, fixNamed(findings[0], "Keep only hostname")), toml('placement = { hostname = "api.example.com" }\n'));
    assert.equal(applyFix(text, fixNamed(findings[0], "Keep only region")), toml('placement = { region = "aws:us-east-1" }\n'));
  });
  it("JSONC keep-fix keeps comments and the other keys", () => {
    const text = jsonc('{\n    // where the db is\n    "region": "aws:us-east-1",\n    "hostname": "api.example.com"\n  }');
    const [finding] = checkText(text, "jsonc");
    const fixed = applyFix(text, fixNamed(finding, "Keep only region"));
    assert.equal(fixed, jsonc('{\n    // where the db is\n    "region": "aws:us-east-1"\n  }'));
  });
});

describe("placement-hint", () => {
  it("hint with a target: only that error (Wrangler stops there)", () => {
    const text = toml('[placement]\nhint = "aws:us-east-1"\nregion = "aws:us-east-1"\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-hint"]);
    assert.equal(applyFix(text, fixNamed(findings[0], "Remove hint")), toml('[placement]\nregion = "aws:us-east-1"\n'));
  });
  it("hint with a target: the other removal keeps the hint and sets smart mode", () => {
    const text = toml('[placement]\nhint = "aws:us-east-1"\nregion = "aws:us-east-1"\n');
    const [finding] = checkText(text);
    assert.deepEqual(
      finding!.fixes.map((f) => f.title),
      ["Remove hint", 'Remove region and set mode to "smart"'],
    );
    const fixed = applyFix(text, fixNamed(finding, 'Remove region and set mode to "smart"'));
    assert.equal(fixed, toml('[placement]\nhint = "aws:us-east-1"\nmode = "smart"\n'));
    assert.deepEqual(codes(checkText(fixed)), []);
  });
  it("hint with a target in smart mode: removing the target is enough (JSONC, comment kept)", () => {
    const text = jsonc('{\n    "mode": "smart",\n    // near the db\n    "hint": "aws:us-east-1",\n    "host": "db.example.com:5432"\n  }');
    const [finding] = checkText(text, "jsonc");
    const fixed = applyFix(text, fixNamed(finding, "Remove host"));
    assert.equal(fixed, jsonc('{\n    "mode": "smart",\n    // near the db\n    "hint": "aws:us-east-1"\n  }'));
    assert.deepEqual(codes(checkText(fixed, "jsonc")), []);
  });
  it("hint with mode off", () => {
    const text = toml('[placement]\nmode = "off"\nhint = "aws:us-east-1"\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-hint"]);
    assert.match(findings[0]!.message, /only be set when "placement.mode" is "smart"/);
    assert.equal(
      applyFix(text, fixNamed(findings[0], 'Set mode to "smart"')),
      toml('[placement]\nmode = "smart"\nhint = "aws:us-east-1"\n'),
    );
  });
  it("hint without mode: mode required and hint misplaced", () => {
    const text = toml('[placement]\nhint = "aws:us-east-1"\n');
    assert.deepEqual(codes(checkText(text)), ["placement-mode", "placement-hint"]);
  });
  it("hint not a string", () => {
    const text = jsonc('{ "mode": "smart", "hint": 3 }');
    const findings = checkText(text, "jsonc");
    assert.deepEqual(codes(findings), ["placement-hint"]);
    assert.match(findings[0]!.message, /must be a string/);
  });
  it("removing hint keeps a trailing comment on its line", () => {
    const text = toml('[placement]\nmode = "off"\nhint = "x" # why\n');
    const [finding] = checkText(text);
    assert.equal(applyFix(text, fixNamed(finding, "Remove hint")), toml('[placement]\nmode = "off"\n# why\n'));
  });
});

describe("beyond Wrangler", () => {
  it("unknown key: warning with a rename fix", () => {
    const text = toml('[placement]\nmdoe = "smart"\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-mode", "placement-unknown-key"]);
    const unknown = findings[1]!;
    assert.equal(spanText(text, unknown), "mdoe");
    assert.equal(applyFix(text, fixNamed(unknown, 'Rename to "mode"')), toml('[placement]\nmode = "smart"\n'));
  });
  it("region typo suggests the closest code", () => {
    const text = toml('[placement]\nregion = "aws:us-east1"\n');
    const [finding] = checkText(text);
    assert.equal(finding?.code, "placement-region");
    assert.equal(applyFix(text, finding!.fixes[0]!), toml('[placement]\nregion = "aws:us-east-1"\n'));
  });
  it("region without provider", () => {
    const [finding] = checkText(toml('[placement]\nregion = "us-east-1"\n'));
    assert.equal(finding?.code, "placement-region");
    assert.match(finding!.message, /"aws:us-east-1"/);
  });
  it("host without a port offers hostname", () => {
    const text = toml('[placement]\nhost = "api.example.com"\n');
    const [finding] = checkText(text);
    assert.equal(finding?.code, "placement-host");
    assert.match(finding!.message, /has no port/);
    assert.equal(applyFix(text, finding!.fixes[0]!), toml('[placement]\nhostname = "api.example.com"\n'));
  });
  it("hostname with scheme, path and port", () => {
    const text = jsonc('{ "hostname": "https://api.example.com:8443/v1" }');
    const [finding] = checkText(text, "jsonc");
    assert.equal(finding?.code, "placement-host");
    assert.match(finding!.message, /has a scheme, a path and a port/);
    assert.equal(applyFix(text, finding!.fixes[0]!), jsonc('{ "hostname": "api.example.com" }'));
  });
  it("smart mode with assets.run_worker_first = true", () => {
    const text = toml('[assets]\ndirectory = "public"\nrun_worker_first = true\n\n[placement]\nmode = "smart"\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-assets-first"]);
    assert.equal(spanText(text, findings[0]!), '"smart"');
    assert.deepEqual(codes(checkText(toml('[assets]\ndirectory = "public"\nrun_worker_first = false\n[placement]\nmode = "smart"\n'))), []);
  });
  it("wrangler range in package.json older than the feature", () => {
    const pkg = (range: string): Record<string, string> => ({
      "/project/package.json": JSON.stringify({ devDependencies: { wrangler: range } }),
    });
    const targeted = toml('[placement]\nregion = "aws:us-east-1"\n');
    const findings = checkText(targeted, "toml", pkg("^4.20.0"));
    assert.deepEqual(codes(findings), ["placement-wrangler-version"]);
    assert.match(findings[0]!.message, /needs Wrangler 4\.53\.0/);
    assert.deepEqual(codes(checkText(targeted, "toml", pkg("^4.60.0"))), []);
    assert.deepEqual(codes(checkText(toml('[placement]\nmode = "smart"\n'), "toml", pkg("^2.0.0"))), ["placement-wrangler-version"]);
    assert.deepEqual(codes(checkText(toml('[placement]\nmode = "smart"\n'), "toml", pkg("latest"))), []);
  });
});

describe("environments", () => {
  it("a bad env placement is reported though Wrangler only checks it with --env", () => {
    const text = toml('[placement]\nmode = "smart"\n\n[env.staging.placement]\nmode = "smrt"\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-mode"]);
    assert.equal(text.slice(findings[0]!.span.start, findings[0]!.span.end), '"smrt"');
  });
  it("inline env placement and inheritance", () => {
    const config = loadWranglerConfig(
      "/p/wrangler.toml",
      toml('[placement]\nmode = "smart"\n[env.a]\nname = "a"\n[env.b]\nplacement = { mode = "off" }\n'),
    );
    const [top, a, b] = config.environments;
    assert.equal(top?.placement?.inherited, false);
    assert.equal(a?.placement?.inherited, true);
    assert.deepEqual(a?.placement?.path, ["placement"]);
    assert.deepEqual(b?.placement?.path, ["env", "b", "placement"]);
  });
  it("a bad top-level placement is reported once, not per inheriting env", () => {
    const text = toml('[placement]\nmode = "smrt"\n[env.a]\nname = "a"\n[env.b]\nname = "b"\n');
    assert.deepEqual(codes(checkText(text)), ["placement-mode"]);
  });
  it("previews.placement is validated too", () => {
    const text = toml('[previews.placement]\nmode = "targeted"\n');
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["placement-target"]);
    assert.match(findings[0]!.message, /"previews.placement.mode"/);
  });
});

describe("config-syntax", () => {
  it("an unclosed [placement header: one finding on its own line, in plain words", () => {
    const text = 'name = "api"\n\n[placement\n# the mode\nmode = "smrt"\n';
    const findings = checkText(text);
    assert.deepEqual(codes(findings), ["config-syntax"]);
    // The parser notices it at `mode` two lines below; the finding is on the header's line.
    assert.equal(spanText(text, findings[0]!), "[placement");
    assert.equal(findings[0]!.message, 'TOML syntax error: the table header "[placement" is not closed: end it with "]" on the same line.');
  });
  it("an unclosed header at the end of the file, and a value left out, are on their own lines", () => {
    const header = checkText("[placement\r\n");
    assert.equal(header[0]!.span.start, 0);
    assert.match(header[0]!.message, /"\[placement" is not closed/);
    const text = 'name = "api"\nmain =\n\ncompatibility_date = "2025-01-01"\n';
    const [missing] = checkText(text);
    assert.equal(spanText(text, missing!), "main =");
    assert.equal(missing!.message, 'TOML syntax error: a value is missing (after "=", or after "," in an array that is not closed).');
  });
  it("a mistake the parser sees where it is stays there", () => {
    const text = 'name = "api" "x"\n';
    const [finding] = checkText(text);
    assert.equal(spanText(text, finding!), '"x"');
    assert.equal(finding!.message, "TOML syntax error: only one key = value per line: start a new line here.");
  });
  it("JSONC syntax error", () => {
    const findings = checkText('{ "placement": { "mode": "smart" }', "jsonc");
    assert.deepEqual(codes(findings), ["config-syntax"]);
  });
  it("JSON top level must be an object", () => {
    assert.deepEqual(codes(checkText("[1, 2]", "json")), ["config-syntax"]);
  });
});
