import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { configOf, expectedOf, FIXTURES, fixtureDirs } from "../unit/helpers/fixtures";
import { LspTestClient } from "./client";

/** The fixture Workers' diagnostics as an editor receives them: config and entry opened, codes compared. */
describe("fixture Workers through the language server", () => {
  let client: LspTestClient;

  before(async () => {
    client = new LspTestClient();
    await client.initialize(FIXTURES);
  });
  after(async () => {
    await client.stop();
  });

  for (const name of fixtureDirs()) {
    it(name, async () => {
      const dir = path.join(FIXTURES, name);
      const expected = expectedOf(dir);
      const config = configOf(dir);
      // A Pages project without a config: its sources alone (the server found the project in its scan).
      const files = [
        ...(config ? [config] : []),
        ...new Set([...expected.subrequests.map((s) => path.join(dir, s.file)), ...(expected.open ?? []).map((f) => path.join(dir, f))]),
      ];
      const settings = {
        ...(expected.platformRules ? { platformRules: expected.platformRules } : {}),
        ...(expected.assume ? { assume: expected.assume } : {}),
      };
      const configured = Object.keys(settings).length > 0;
      if (configured) await client.configure(settings);
      for (const file of files) {
        const languageId = file.endsWith(".toml")
          ? "toml"
          : file.endsWith(".json")
            ? "json"
            : file.endsWith(".jsonc")
              ? "jsonc"
              : "typescript";
        await client.open(file, readFileSync(file, "utf8"), languageId);
      }
      const codes = new Set<string>();
      for (const file of files) for (const d of await client.diagnostics(file)) codes.add(String(d.code));
      assert.deepEqual([...codes].sort(), expected.diagnostics);
      for (const file of files) await client.close(file);
      if (configured) await client.configure({});
    });
  }
});
