import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { RULES } from "../../server/src/core/rules/catalogue";
import { configurationProperties, ruleTable } from "../../scripts/manifest";

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

  it("the README rule table matches the catalogue", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(ruleTable()), "README rule table is stale: run `npm run generate`");
  });
});
