import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { configOf, expectedOf, FIXTURES, fixtureDirs } from "../unit/helpers/fixtures";
import { LspTestClient, SETTLE_TIMEOUT_MS } from "./client";

const languageOf = (file: string): string =>
  file.endsWith(".toml") ? "toml" : file.endsWith(".json") ? "json" : file.endsWith(".jsonc") ? "jsonc" : "typescript";

/**
 * The fixture Workers' diagnostics as an editor receives them: config and entry opened, codes compared.
 *
 * One server serves every fixture, so each fixture leaves it as it found it, whatever happens: its
 * files are closed and a settings change is undone (in `finally`), and the next fixture starts only
 * once the server has re-analysed under the restored settings. If that cannot be confirmed (or the
 * server died), the next fixture gets a fresh server rather than one in an unknown state.
 */
describe("fixture Workers through the language server", () => {
  let client: LspTestClient;

  const start = async (): Promise<void> => {
    client = new LspTestClient();
    await client.initialize(FIXTURES);
  };
  const restart = async (): Promise<void> => {
    await client.stop();
    await start();
  };

  before(start);
  after(async () => {
    await client.stop();
  });

  for (const name of fixtureDirs()) {
    it(name, async () => {
      if (!client.alive) await restart();
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
      const opened: string[] = [];
      let failed = false;
      try {
        if (configured) await client.configure(settings);
        for (const file of files) {
          await client.open(file, readFileSync(file, "utf8"), languageOf(file));
          opened.push(file);
        }
        const codes = new Set<string>();
        for (const file of files) for (const d of await client.diagnostics(file, undefined, SETTLE_TIMEOUT_MS)) codes.add(String(d.code));
        assert.deepEqual([...codes].sort(), expected.diagnostics);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        try {
          for (const file of opened) await client.close(file);
          if (configured) await client.configure({});
        } catch (error) {
          // The server's state is unknown: the next fixture gets a fresh one.
          await restart();
          // A failure of the fixture itself is the one reported; otherwise this one is.
          if (!failed) throw error;
        }
      }
    });
  }
});
