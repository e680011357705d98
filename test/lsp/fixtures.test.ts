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
 * No fixture can change the outcome of another:
 * - The shared server (the whole fixtures folder is its workspace) never has its settings changed.
 *   A fixture with settings (`platformRules`, `assume`) gets a server of its own, on its own folder,
 *   that reads them at start-up (a `workspace/configuration` round trip before its scan) and is
 *   stopped afterwards. Changing the shared server's settings instead re-analysed every fixture
 *   twice per such fixture (minutes on a loaded machine), and a timeout left the setting in place
 *   for the fixtures after it.
 * - A fixture closes what it opened whatever happens (`finally`); if that fails, or the shared
 *   server died, the next fixture gets a fresh one rather than a server in an unknown state.
 * - Waits are for events (diagnostics published), with a generous limit, never a fixed short one.
 */
describe("fixture Workers through the language server", () => {
  let shared: LspTestClient;

  const startShared = async (): Promise<void> => {
    shared = new LspTestClient();
    await shared.initialize(FIXTURES);
  };
  const restartShared = async (): Promise<void> => {
    await shared.stop();
    await startShared();
  };

  before(startShared);
  after(async () => {
    await shared.stop();
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
      const own = Object.keys(settings).length > 0;
      let client: LspTestClient;
      if (own) {
        client = new LspTestClient();
        client.settings = settings;
      } else {
        if (!shared.alive) await restartShared();
        client = shared;
      }
      const opened: string[] = [];
      let failed = false;
      try {
        if (own) {
          await client.initialize(dir);
          await client.untilScanned();
        }
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
        if (own) await client.stop();
        else {
          try {
            for (const file of opened) await client.close(file);
          } catch (error) {
            // The shared server's state is unknown: the next fixture gets a fresh one.
            await restartShared();
            // A failure of the fixture itself is the one reported; otherwise this one is.
            if (!failed) throw error;
          }
        }
      }
    });
  }
});
