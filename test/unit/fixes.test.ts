import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { enableSmartPlacement } from "../../server/src/core/fixes/configEdits";
import { applyEdits } from "../../server/src/core/text";

const enable = (file: string, text: string, envPath: string[] = []): string => {
  const edits = enableSmartPlacement(loadWranglerConfig(file, text), envPath);
  assert.ok(edits, "no edits");
  return applyEdits(text, edits);
};

describe("Enable Smart Placement", () => {
  it("TOML: a [placement] table after the top-level keys, before [env.*] and array tables", () => {
    const text =
      'name = "w" # the name\nmain = "src/index.ts"\n\n# databases\n[[d1_databases]]\nbinding = "DB"\n\n[env.staging]\nname = "w-staging"\n';
    assert.equal(
      enable("/p/wrangler.toml", text),
      'name = "w" # the name\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\n\n# databases\n[[d1_databases]]\nbinding = "DB"\n\n[env.staging]\nname = "w-staging"\n',
    );
  });
  it("TOML: a file with only tables gets it at the top", () => {
    assert.equal(enable("/p/wrangler.toml", '[vars]\nA = "1"\n'), '[placement]\nmode = "smart"\n\n[vars]\nA = "1"\n');
  });
  it("TOML: an environment gets an inline placement in its own table", () => {
    const text = 'name = "w"\n\n[env.staging]\nname = "w-staging"\n\n[env.staging.vars]\nA = "1"\n';
    assert.equal(
      enable("/p/wrangler.toml", text, ["env", "staging"]),
      'name = "w"\n\n[env.staging]\nname = "w-staging"\nplacement = { mode = "smart" }\n\n[env.staging.vars]\nA = "1"\n',
    );
  });
  it("TOML: mode off becomes smart, keeping the comment", () => {
    assert.equal(enable("/p/wrangler.toml", '[placement]\nmode = "off" # for now\n'), '[placement]\nmode = "smart" # for now\n');
  });
  it("JSONC: inserted with the file's indentation, comments and trailing commas kept", () => {
    const text = '{\n    // worker\n    "name": "w",\n    "main": "src/index.ts", // entry\n}\n';
    const result = enable("/p/wrangler.jsonc", text);
    assert.ok(result.includes("// worker") && result.includes("// entry"));
    assert.match(result, /\n {4}"placement": \{\n {8}"mode": "smart"\n {4}\}/);
    assert.equal(loadWranglerConfig("/p/wrangler.jsonc", result).syntaxError, undefined);
  });
  it("JSONC: an environment's placement goes inside that environment", () => {
    const text = '{\n  "name": "w",\n  "env": { "prod": { "name": "w-prod" } }\n}\n';
    const result = enable("/p/wrangler.jsonc", text, ["env", "prod"]);
    const config = loadWranglerConfig("/p/wrangler.jsonc", result);
    assert.deepEqual(config.environments[1]?.placement?.path, ["env", "prod", "placement"]);
    assert.equal(config.environments[0]?.placement, undefined);
  });
});
