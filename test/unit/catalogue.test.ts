import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { REPOSITORY_URL, RULE_DOCS_DIR, ruleDocsUrl, RULES } from "../../server/src/core/rules/catalogue";
import {
  configurationProperties,
  packageJsonSchema,
  PACKAGE_JSON_SCHEMA_FILE,
  rulePage,
  rulePages,
  ruleTable,
  settingsFileSchema,
  SETTINGS_SCHEMA_FILE,
} from "../../scripts/manifest";
import { SETTINGS_KEYS } from "../../server/src/core/settingsFile";

const ROOT = path.resolve(__dirname, "../..");

describe("rule catalogue", () => {
  it("has every code named by the contract, each once", () => {
    const contract = [
      "config-syntax",
      "placement-type",
      "placement-mode",
      "placement-hint",
      "placement-conflict",
      "placement-target",
      "placement-unknown-key",
      "placement-region",
      "placement-host",
      "placement-assets-first",
      "placement-wrangler-version",
      "placement-no-fetch-handler",
      "placement-insufficient-subrequests",
      "placement-no-valid-hosts",
      "placement-d1-pinned",
      "placement-fetch-only",
      "placement-assets-binding",
      "placement-pages-middleware",
      "placement-suggest-smart",
      "subrequest-blocking-analytics",
    ];
    const codes = RULES.map((r) => r.code as string);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of contract) assert.ok(codes.includes(code), code);
  });

  it("keeps the contract's default severities", () => {
    const expected: Record<string, string> = {
      "config-syntax": "error",
      "placement-type": "error",
      "placement-mode": "error",
      "placement-hint": "error",
      "placement-conflict": "error",
      "placement-target": "error",
      "placement-unknown-key": "warning",
      "placement-region": "warning",
      "placement-host": "warning",
      "placement-assets-first": "warning",
      "placement-wrangler-version": "warning",
      "placement-no-fetch-handler": "warning",
      "placement-insufficient-subrequests": "information",
      "placement-no-valid-hosts": "warning",
      "placement-d1-pinned": "information",
      "placement-fetch-only": "information",
      "placement-assets-binding": "warning",
      "placement-pages-middleware": "warning",
      "placement-suggest-smart": "hint",
      "subrequest-blocking-analytics": "warning",
    };
    for (const rule of RULES) if (expected[rule.code]) assert.equal(rule.severity, expected[rule.code], rule.code);
  });

  it("package.json settings match the catalogue (run `npm run generate` after changing it)", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.deepEqual(pkg.contributes.configuration.properties, configurationProperties());
  });

  it("the shared settings file's schemas match the catalogue and the keys the file may hold", () => {
    const text = readFileSync(path.join(ROOT, SETTINGS_SCHEMA_FILE), "utf8");
    assert.deepEqual(JSON.parse(text), settingsFileSchema());
    const schema = JSON.parse(text) as {
      properties: { severity: { properties: Record<string, { enum: string[] }> } } & Record<string, unknown>;
    };
    assert.deepEqual(JSON.parse(readFileSync(path.join(ROOT, PACKAGE_JSON_SCHEMA_FILE), "utf8")), packageJsonSchema());
    assert.deepEqual(Object.keys(schema.properties), ["$schema", ...SETTINGS_KEYS]);
    assert.deepEqual(
      Object.keys(schema.properties.severity.properties),
      RULES.map((rule) => rule.code),
    );
    assert.deepEqual(schema.properties.severity.properties["placement-region"]!.enum, ["error", "warning", "information", "hint", "off"]);
  });

  it("docs/rules has one up-to-date page per rule and no other (run `npm run generate` after changing the catalogue)", () => {
    const dir = path.join(ROOT, RULE_DOCS_DIR);
    const expected = rulePages();
    assert.deepEqual(readdirSync(dir).sort(), [...expected.keys()].sort());
    for (const [name, text] of expected) assert.equal(readFileSync(path.join(dir, name), "utf8"), text, `${name} is stale`);
  });

  it("a rule page says when, why, the fixes and how to turn it off", () => {
    const page = rulePage(RULES.find((rule) => rule.code === "placement-region")!);
    assert.match(page, /^# `placement-region`$/m);
    assert.match(page, /Default severity: \*\*warning\*\*/);
    assert.match(page, /- Change region to the closest known region/);
    assert.match(page, /\{ "severity": \{ "placement-region": "off" \} \}/);
    assert.doesNotMatch(page, /smart-placement-ignore/);
    assert.match(
      rulePage(RULES.find((rule) => rule.code === "subrequest-blocking-analytics")!),
      /\/\/ smart-placement-ignore subrequest-blocking-analytics/,
    );
  });

  it("each rule's documentation link is its page in the package's repository", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.equal(REPOSITORY_URL, pkg.repository.url);
    assert.equal(ruleDocsUrl("placement-mode"), `${pkg.repository.url}/blob/main/docs/rules/placement-mode.md`);
    for (const rule of RULES) {
      const relative = ruleDocsUrl(rule.code).slice(`${REPOSITORY_URL}/blob/main/`.length);
      assert.ok(existsSync(path.join(ROOT, relative)), relative);
    }
  });

  it("the README rule table matches the catalogue", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(ruleTable()), "README rule table is stale: run `npm run generate`");
  });
});
