import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";
import {
  applySettingsEdits,
  disableRuleEdits,
  findSettingsFile,
  mergeHosts,
  parsePackageJsonSettings,
  parseSettingsFile,
} from "../../server/src/core/settingsFile";
import { parseSuppressions } from "../../server/src/core/suppressions";

const CONFIG = 'name = "api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n';
const SOURCE = `export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const a = await fetch("https://db.example.com/a");
    const b = await fetch("https://db.example.com/b");
    await fetch("https://logs.acme.dev/events", { method: "POST" });
    return new Response(String(a.status + b.status));
  },
};
`;

describe("shared settings file", () => {
  it("the nearest of .smart-placement.jsonc, .smart-placement.json and package.json's smartPlacement applies", () => {
    const fs = new MemoryFileSystem({
      "/repo/package.json": '{ "name": "repo", "smartPlacement": { "severity": { "placement-fetch-only": "off" } } }',
      "/repo/apps/api/package.json": '{ "name": "api" }',
      "/repo/apps/api/wrangler.toml": CONFIG,
      "/repo/apps/web/.smart-placement.json": '{ "severity": { "placement-region": "error" } }',
      "/repo/apps/web/.smart-placement.jsonc": '// wins over .json\n{ "severity": { "placement-region": "hint" } }',
    });
    const api = findSettingsFile(fs, "/repo/apps/api");
    assert.equal(api?.file, "/repo/package.json");
    assert.equal(api?.kind, "package.json");
    assert.deepEqual(api?.settings.severity, { "placement-fetch-only": "off" });
    const web = findSettingsFile(fs, "/repo/apps/web");
    assert.equal(web?.file, "/repo/apps/web/.smart-placement.jsonc");
    assert.deepEqual(web?.settings.severity, { "placement-region": "hint" });
    assert.equal(findSettingsFile(new MemoryFileSystem({ "/x/wrangler.toml": CONFIG }), "/x"), undefined);
  });

  it("reads severities, host lists and platform rules; comments and trailing commas are fine", () => {
    const file = parseSettingsFile(
      "/w/.smart-placement.jsonc",
      '{\n  // CI and editor\n  "severity": { "placement-region": "off", "placement-host": "error", },\n  "hosts": { "analytics": ["logs.acme.dev"], "backend": ["api.acme.dev"] },\n  "platformRules": "2024",\n}\n',
    );
    assert.deepEqual(file.findings, []);
    assert.deepEqual(file.settings, {
      severity: { "placement-region": "off", "placement-host": "error" },
      hosts: { analytics: ["logs.acme.dev"], global: [], backend: ["api.acme.dev"] },
      platformRules: "2024",
    });
  });

  it("a file that does not parse applies nothing and says so where the mistake is", () => {
    const text = '{ "severity": { "placement-region": "off" ';
    const file = parseSettingsFile("/w/.smart-placement.json", text);
    assert.deepEqual(file.settings.severity, {});
    assert.equal(file.findings.length, 1);
    assert.equal(file.findings[0]!.code, "settings-file");
    assert.equal(file.findings[0]!.file, "/w/.smart-placement.json");
    assert.match(file.findings[0]!.message, /^\.smart-placement\.json does not parse \(.+\); its settings are not used\.$/);
  });

  it("what is not understood is reported and skipped; the rest applies", () => {
    const text =
      '{ "severity": { "placement-regoin": "off", "placement-host": "warn", "placement-mode": "warning" }, "hots": {}, "platformRules": 2024 }';
    const file = parseSettingsFile("/w/.smart-placement.json", text);
    assert.deepEqual(file.settings.severity, { "placement-mode": "warning" });
    assert.equal(file.settings.platformRules, undefined);
    assert.deepEqual(
      file.findings.map((f) => [text.slice(f.span.start, f.span.end), f.message]),
      [
        ['"placement-regoin"', '"placement-regoin" is not a rule code (did you mean "placement-region"?); it is ignored.'],
        [
          '"warn"',
          'The severity of "placement-host" must be "error", "warning", "information", "hint" or "off", not "warn"; it is ignored.',
        ],
        [
          '"hots"',
          'Unknown setting "hots" (did you mean "hosts"?); known settings are "severity", "hosts", "platformRules", "assume", "backends", "userLocations" and "vars".',
        ],
        ["2024", '"platformRules" must be "current" or "2024", not a number; it is ignored.'],
      ],
    );
  });

  it("a package.json without the key, or that does not parse, holds no settings", () => {
    assert.equal(parsePackageJsonSettings("/w/package.json", '{ "name": "w" }'), undefined);
    assert.equal(parsePackageJsonSettings("/w/package.json", '{ "smartPlacement": '), undefined);
  });

  it("editor host lists add to the shared ones", () => {
    assert.deepEqual(mergeHosts({ analytics: ["a.dev"] }, { analytics: ["b.dev", "a.dev"], global: [], backend: ["c.dev"] }), {
      analytics: ["a.dev", "b.dev"],
      global: [],
      backend: ["c.dev"],
    });
  });

  it("disabling a rule keeps comments and layout (settings file and package.json)", () => {
    const text = '{\n    // why these\n    "severity": {\n        "placement-region": "off" // not yet\n    }\n}\n';
    const file = parseSettingsFile("/w/.smart-placement.jsonc", text);
    const edited = applySettingsEdits(text, disableRuleEdits(file, text, "placement-fetch-only"));
    assert.equal(
      edited,
      '{\n    // why these\n    "severity": {\n        "placement-region": "off", // not yet\n        "placement-fetch-only": "off"\n    }\n}\n',
    );
    assert.deepEqual(parseSettingsFile("/w/.smart-placement.jsonc", edited).settings.severity, {
      "placement-region": "off",
      "placement-fetch-only": "off",
    });

    const pkg = '{\n  "name": "w",\n  "smartPlacement": {}\n}\n';
    const inPackage = parsePackageJsonSettings("/w/package.json", pkg)!;
    const editedPackage = applySettingsEdits(pkg, disableRuleEdits(inPackage, pkg, "placement-region"));
    assert.deepEqual(JSON.parse(editedPackage), { name: "w", smartPlacement: { severity: { "placement-region": "off" } } });
  });

  it("a new settings file disabling a rule parses to exactly that", () => {
    const [edit] = disableRuleEdits(undefined, undefined, "placement-suggest-smart");
    const file = parseSettingsFile("/w/.smart-placement.jsonc", edit!.newText);
    assert.deepEqual(file.findings, []);
    assert.deepEqual(file.settings.severity, { "placement-suggest-smart": "off" });
  });

  it("the analysis uses the shared hosts and platform rules and reports the file's problems", () => {
    const files = { "/w/wrangler.toml": CONFIG, "/w/src/index.ts": SOURCE };
    const without = analyzeConfig(new MemoryFileSystem(files), "/w/wrangler.toml", CONFIG);
    assert.equal(without.settings, undefined);
    assert.ok(!without.findings.some((f) => f.code === "subrequest-blocking-analytics"));
    const settings = '{ "hosts": { "analytics": ["logs.acme.dev"] }, "platformRules": "2024", "severity": { "nope": "off" } }';
    const fs = new MemoryFileSystem({ ...files, "/w/.smart-placement.json": settings });
    const withShared = analyzeConfig(fs, "/w/wrangler.toml", CONFIG);
    assert.equal(withShared.settings?.file, "/w/.smart-placement.json");
    assert.equal(withShared.workers[0]!.prediction.platformRules, "2024");
    const codes = withShared.findings.map((f) => `${f.code}@${f.file}`);
    assert.ok(codes.includes("subrequest-blocking-analytics@/w/src/index.ts"), codes.join(", "));
    assert.ok(codes.includes("settings-file@/w/.smart-placement.json"), codes.join(", "));
    // Options given by the caller (the editor's settings, --platform-rules) win.
    assert.equal(
      analyzeConfig(fs, "/w/wrangler.toml", CONFIG, { platformRules: "current" }).workers[0]!.prediction.platformRules,
      "current",
    );
    assert.equal(analyzeConfig(fs, "/w/wrangler.toml", CONFIG, { settingsFs: false }).settings, undefined);
  });
});

describe("configured hosts and the shared file's vars", () => {
  const config = 'name = "api"\nmain = "src/index.ts"\n\n[vars]\nREGION_API = "https://eu.api.example.com"\n';
  const source = `export default {
  async fetch(request: Request, env: { API_BASE: string; REGION_API: string; CDN: string }): Promise<Response> {
    await fetch(\`\${env.API_BASE}/me\`);
    await fetch(\`\${env.REGION_API}/data\`);
    await fetch(\`\${env.CDN}/app.js\`);
    return new Response("ok");
  },
};
`;
  const targets = (settings?: string) => {
    const files: Record<string, string> = { "/w/wrangler.toml": config, "/w/src/index.ts": source };
    if (settings !== undefined) files["/w/.smart-placement.jsonc"] = settings;
    const result = analyzeConfig(new MemoryFileSystem(files), "/w/wrangler.toml", config);
    return {
      subrequests: result.workers[0]!.analysis.subrequests.map((s) => `${s.target}:${s.category}`),
      findings: result.findings.filter((f) => f.code === "settings-file").map((f) => f.message),
    };
  };

  it("without settings, a host from a secret is a back end named after it; [vars] resolves its own", () => {
    assert.deepEqual(targets().subrequests, ["env.API_BASE:backend", "eu.api.example.com:backend", "env.CDN:backend"]);
  });

  it("vars give the real value (the config's [vars] wins); hosts name a configured host by its source", () => {
    const { subrequests, findings } = targets(`{
      // values of secrets, as deployed
      "vars": { "API_BASE": "https://api.example.com", "REGION_API": "https://ignored.example.com", "BAD": 3 },
      "hosts": { "global": ["env.CDN"] },
    }`);
    assert.deepEqual(subrequests, ["api.example.com:backend", "eu.api.example.com:backend", "env.CDN:global"]);
    assert.deepEqual(findings, ['The value of "BAD" in "vars" must be a string, not a number; it is ignored.']);
  });

  it("vars that are not an object are reported and ignored", () => {
    const { findings } = targets(`{ "vars": ["API_BASE"] }`);
    assert.deepEqual(findings, [
      '"vars" must be an object of variable name to value, like { "API_BASE": "https://api.example.com" }; it is ignored.',
    ]);
  });
});

describe("estimate settings in the shared file", () => {
  const analyze = (settings: string, estimate?: { backends?: Record<string, string>; userLocations?: string[] }) => {
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": CONFIG, "/w/src/index.ts": SOURCE, "/w/.smart-placement.jsonc": settings });
    return analyzeConfig(fs, "/w/wrangler.toml", CONFIG, estimate ? { estimate } : {});
  };

  it("backends and userLocations locate back ends and pick the cities, as the editor settings and flags do", () => {
    const result = analyze('{ "backends": { "db.example.com": "aws:eu-west-1" }, "userLocations": ["London", "SIN"] }');
    const estimate = result.workers[0]!.estimate!;
    assert.deepEqual(
      estimate.backends.map((b) => [b.host, b.place?.id, b.source]),
      [
        ["db.example.com", "aws:eu-west-1", "setting"],
        ["logs.acme.dev", undefined, null],
      ],
    );
    assert.deepEqual(
      estimate.cities.map((c) => c.id),
      ["London", "Singapore"],
    );
    assert.deepEqual(
      result.findings.filter((f) => f.code === "settings-file"),
      [],
    );
  });

  it("the editor's or the flag's location of a host wins; their cities win when given", () => {
    const result = analyze('{ "backends": { "db.example.com": "aws:eu-west-1" }, "userLocations": ["London"] }', {
      backends: { "db.example.com": "aws:us-east-1" },
      userLocations: ["Tokyo"],
    });
    const estimate = result.workers[0]!.estimate!;
    assert.equal(estimate.backends[0]!.place?.id, "aws:us-east-1");
    assert.deepEqual(
      estimate.cities.map((c) => c.id),
      ["Tokyo"],
    );
    // An editor with no cities set leaves the file's.
    assert.deepEqual(
      analyze('{ "userLocations": ["London"] }', { backends: {}, userLocations: [] }).workers[0]!.estimate!.cities.map((c) => c.id),
      ["London"],
    );
  });

  it("a location or city it does not know is a settings-file finding, and the rest applies", () => {
    const result = analyze(
      '{ "backends": { "db.example.com": "moon", "cache.example.com": "FRA" }, "userLocations": ["Atlantis", "SIN", 3] }',
    );
    assert.deepEqual(
      result.findings.filter((f) => f.code === "settings-file").map((f) => f.message),
      [
        'The location of "db.example.com" in "backends" must be a cloud region ("aws:us-east-1"), a Cloudflare location code ("FRA") or a city, not "moon"; it is ignored.',
        '"Atlantis" in "userLocations" is not a known city or Cloudflare location code; it is ignored.',
        'A city in "userLocations" must be a string, not a number; it is ignored.',
      ],
    );
    assert.deepEqual(
      result.workers[0]!.estimate!.cities.map((c) => c.id),
      ["Singapore"],
    );
    assert.equal(
      analyze('{ "backends": ["db.example.com"] }').findings.find((f) => f.code === "settings-file")?.message,
      '"backends" must be an object of host name to location, like { "db.example.com": "aws:us-east-1" }; it is ignored.',
    );
  });
});

describe("inline suppression (// smart-placement-ignore)", () => {
  const withComment = (comment: string, sameLine = false): string =>
    SOURCE.replace(
      '    await fetch("https://logs.acme.dev/events", { method: "POST" });\n',
      sameLine
        ? `    await fetch("https://logs.acme.dev/events", { method: "POST" }); ${comment}\n`
        : `    ${comment}\n    await fetch("https://logs.acme.dev/events", { method: "POST" });\n`,
    );
  const blocking = (source: string): number => {
    const fs = new MemoryFileSystem({
      "/w/wrangler.toml": CONFIG,
      "/w/src/index.ts": source,
      "/w/.smart-placement.json": '{ "hosts": { "analytics": ["logs.acme.dev"] } }',
    });
    return analyzeConfig(fs, "/w/wrangler.toml", CONFIG).findings.filter((f) => f.code === "subrequest-blocking-analytics").length;
  };

  it("a comment on the line before, or at the end of the line, suppresses that code there", () => {
    assert.equal(blocking(SOURCE), 1);
    assert.equal(blocking(withComment("// smart-placement-ignore subrequest-blocking-analytics -- audit log must finish")), 0);
    assert.equal(blocking(withComment("// smart-placement-ignore subrequest-blocking-analytics", true)), 0);
    assert.equal(blocking(withComment("/* smart-placement-ignore analysis-limit, subrequest-blocking-analytics */")), 0);
    assert.equal(blocking(withComment("// smart-placement-ignore")), 0);
  });

  it("another code, another line, or the words inside a string suppress nothing", () => {
    assert.equal(blocking(withComment("// smart-placement-ignore placement-region")), 1);
    assert.equal(blocking(withComment("// smart-placement-ignored subrequest-blocking-analytics")), 1);
    assert.equal(blocking(withComment('const note = "// smart-placement-ignore subrequest-blocking-analytics";')), 1);
    assert.equal(
      blocking(SOURCE.replace("export default {", "// smart-placement-ignore subrequest-blocking-analytics\nexport default {")),
      1,
    );
  });

  it("a comment alone on its line points at the next line; after code, at its own", () => {
    const text = "// smart-placement-ignore a\nfoo(); // smart-placement-ignore b c\n/* smart-placement-ignore\n   d */\nbar();\n";
    assert.deepEqual(
      [...parseSuppressions(text).entries()].map(([line, codes]) => [line, codes === "all" ? "all" : [...codes]]),
      [
        [1, ["a", "b", "c"]],
        [4, ["d"]],
      ],
    );
  });
});
