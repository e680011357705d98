import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { effectiveSeverity } from "../../server/src/core/rules/catalogue";
import { checkConfig } from "../../server/src/core/rules/config";

/**
 * Agreement with Wrangler itself: every fixture's verdict was produced by Wrangler 4.164's own
 * config validation (see the folder's README). An error-severity finding must appear for a deploy
 * exactly when Wrangler rejects that deploy.
 */
const DIR = path.resolve(__dirname, "../fixtures/wrangler-oracle");
interface Verdict {
  errors: string[];
  warnings: string[];
  upload: Record<string, unknown>;
}
const verdicts = JSON.parse(readFileSync(path.join(DIR, "verdicts.json"), "utf8")) as Record<string, Verdict>;
const ASSETS_WARNING = "Turning on Smart Placement in a Worker that is using assets and run_worker_first set to true";

describe("agreement with Wrangler 4.164 on the fixture set", () => {
  const files = readdirSync(DIR).filter((f) => /\.(toml|jsonc?)$/.test(f) && f !== "verdicts.json");
  it("covers at least 60 configs, TOML and JSON(C), each with a verdict", () => {
    assert.ok(files.length >= 60, String(files.length));
    assert.ok(files.some((f) => f.endsWith(".toml")) && files.some((f) => f.endsWith(".jsonc")));
    for (const file of files) assert.ok(verdicts[file], `no verdict for ${file}`);
  });

  for (const file of files.sort()) {
    it(file, () => {
      const text = readFileSync(path.join(DIR, file), "utf8");
      const abs = `/fixtures/${file.replace(/\.(toml|jsonc?)$/, "")}/wrangler.${file.slice(file.lastIndexOf(".") + 1)}`;
      const config = loadWranglerConfig(abs, text);
      const fs = new MemoryFileSystem({ [abs]: text });
      const verdict = verdicts[file]!;
      const runs = Object.keys(verdict.upload).filter((key) => !key.endsWith(" previews"));
      if (runs.length === 0) {
        // Wrangler could not read the file at all.
        assert.deepEqual(
          checkConfig(config, fs).map((f) => f.code),
          ["config-syntax"],
        );
        return;
      }
      for (const run of runs) {
        const env = run === "(top level)" ? null : run.slice("env.".length);
        const findings = checkConfig(config, fs, env);
        const errors = findings.filter((f) => effectiveSeverity(f.code, undefined) === "error");
        const rejected = verdict.upload[run] === "NOT UPLOADED (errors)";
        assert.equal(
          errors.length > 0,
          rejected,
          `${run}: Wrangler ${rejected ? "rejects" : "accepts"}; we found ${JSON.stringify(errors.map((e) => e.message))}; Wrangler said ${JSON.stringify(verdict.errors)}`,
        );
      }
      const warnsAssets = verdict.warnings.some((w) => w.startsWith(ASSETS_WARNING));
      assert.equal(
        checkConfig(config, fs).some((f) => f.code === "placement-assets-first"),
        warnsAssets,
      );
    });
  }
});
