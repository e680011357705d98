import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "../..");

describe("the bundled examples", () => {
  it("type-check with the Workers runtime types (the demo opens without unrelated errors)", () => {
    const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "examples/tsconfig.json")], {
      encoding: "utf8",
    });
    assert.equal(result.stdout + result.stderr, "");
    assert.equal(result.status, 0);
  });
});
