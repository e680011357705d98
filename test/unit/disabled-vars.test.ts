import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { disabledVarsOf } from "../../server/src/core/config/disabledVars";
import { parseConfigText } from "../../server/src/core/config/model";
import { MemoryFileSystem } from "../../server/src/core/fs";

const TOML = `name = "w"
main = "src/index.ts"

[placement]
mode = "smart"
# NOT_A_VAR = "placement's comment, not a var"

[vars]
STAGE = "production"
# LOCAL_URL = "http://localhost:4173"
# SHARED = "commented here, set in an environment"
# Secrets: API_KEY (wrangler secret put)

[env.staging.vars]
STAGE = "staging"
SHARED = "x"
`;

const JSONC = `{
  "name": "w",
  "main": "src/index.ts",
  // "OUTSIDE": "a comment outside vars",
  "vars": {
    "STAGE": "production",
    // "LOCAL_URL": "http://localhost:4173",
    /* "OTHER": "1", "MORE": "2" */
    // the local origin, when developing
  },
}
`;

/** Status and round trips of the top-level Worker for a handler whose body is `guard`, over `config`. */
function top(guard: string, config = TOML, configName = "wrangler.toml"): [string, number | null] {
  const source = `interface Env { STAGE: string; LOCAL_URL?: string; AUDIT_URL?: string }
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    ${guard}
    return new Response("ok");
  },
};
`;
  const fs = new MemoryFileSystem({ [`/w/${configName}`]: config, "/w/src/index.ts": source });
  const worker = analyzeConfig(fs, `/w/${configName}`, config, { settingsFs: false }).workers[0]!;
  return [worker.prediction.status, worker.prediction.roundTrips];
}

const TWO = `await fetch("https://db.example.com/a"); await fetch("https://db.example.com/b");`;

describe("vars the config disables (commented out in vars, set by no environment)", () => {
  it("TOML: a commented-out key = value under a vars table, not one an environment sets, not prose or another table's", () => {
    assert.deepEqual(disabledVarsOf(parseConfigText(TOML, "toml")), ["LOCAL_URL"]);
  });

  it("JSONC: line and block comments inside vars that parse as properties, not a comment outside vars", () => {
    assert.deepEqual(disabledVarsOf(parseConfigText(JSONC, "jsonc")), ["LOCAL_URL", "MORE", "OTHER"]);
  });

  it("`if (env.LOCAL_URL)` takes its else branch in a deploy; in JSONC too", () => {
    assert.deepEqual(top(`if (env.LOCAL_URL) { ${TWO} }`), ["NO_VALID_HOSTS", 0]);
    assert.deepEqual(top(`if (!env.LOCAL_URL) { ${TWO} }`), ["SUCCESS", 2]);
    assert.deepEqual(top(`if (env.LOCAL_URL) { ${TWO} }`, JSONC, "wrangler.jsonc"), ["NO_VALID_HOSTS", 0]);
  });

  it("compared with a string, undefined or null, directly or through a const", () => {
    assert.deepEqual(top(`const local = env.LOCAL_URL; if (local !== undefined) { ${TWO} }`), ["NO_VALID_HOSTS", 0]);
    assert.deepEqual(top(`if (env.LOCAL_URL === "http://localhost:4173") { ${TWO} }`), ["NO_VALID_HOSTS", 0]);
    assert.deepEqual(top(`if (env.LOCAL_URL != null) { ${TWO} }`), ["NO_VALID_HOSTS", 0]);
    // `=== null` is false for undefined, so `!== null` is always taken.
    assert.deepEqual(top(`if (env.LOCAL_URL !== null) { ${TWO} }`), ["SUCCESS", 2]);
  });

  it("a var the config never mentions may be a secret: its branch stays undecided", () => {
    assert.deepEqual(top(`if (env.AUDIT_URL) { ${TWO} }`), ["SUCCESS", 2]);
  });

  it("a var set by the shared settings is not disabled", () => {
    const source = `export default { async fetch(r: Request, env: { LOCAL_URL?: string }) { if (env.LOCAL_URL) { ${TWO} } return new Response(""); } };\n`;
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": TOML, "/w/src/index.ts": source });
    const worker = analyzeConfig(fs, "/w/wrangler.toml", TOML, { settingsFs: false, extraVars: { LOCAL_URL: "https://dev.example.com" } })
      .workers[0]!;
    assert.equal(worker.prediction.roundTrips, 2);
  });
});
