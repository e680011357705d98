import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { DidChangeWatchedFilesNotification, FileChangeType, NotificationType } from "vscode-languageserver-protocol/node";
import { LspTestClient, uriOf } from "./client";

const SCAN_COMPLETE = new NotificationType<{ configs: number; files: number; ms: number }>("smartPlacement/scanComplete");
const SOURCE =
  'export default {\n  async fetch(request: Request, env: { DB: string }) {\n    const user = await fetch(`${env.DB}/user`);\n    await fetch("https://api.honeycomb.io/1/events/api", { method: "POST" });\n    return new Response(String(user.status));\n  },\n};\n';

describe("a wrangler config created after start-up", () => {
  let root: string;
  let client: LspTestClient;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-late-"));
    mkdirSync(path.join(root, "late/src"), { recursive: true });
    writeFileSync(path.join(root, "late/src/index.ts"), SOURCE);
    client = new LspTestClient();
    const scanned = new Promise<{ configs: number }>((resolve) => client.connection.onNotification(SCAN_COMPLETE, resolve));
    await client.initialize(root);
    assert.equal((await scanned).configs, 0);
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("is picked up from the file watcher: the open Worker source gets its findings without an edit", async () => {
    const source = path.join(root, "late/src/index.ts");
    await client.open(source, SOURCE, "typescript");
    // No config yet: the source belongs to no Worker and has nothing to report.
    assert.deepEqual(await client.diagnostics(source), []);

    const config = path.join(root, "late/wrangler.toml");
    writeFileSync(
      config,
      'name = "late"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nDB = "https://db.example.com"\n',
    );
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(config), type: FileChangeType.Created }],
    });
    const diagnostics = await client.diagnostics(source, (d) => d.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [["subrequest-blocking-analytics", 3]],
    );
  });

  it("and forgotten when it is deleted again", async () => {
    const source = path.join(root, "late/src/index.ts");
    const config = path.join(root, "late/wrangler.toml");
    rmSync(config);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(config), type: FileChangeType.Deleted }],
    });
    assert.deepEqual(await client.diagnostics(source, (d) => d.length === 0), []);
  });
});
