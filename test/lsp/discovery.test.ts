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

describe("a folder opened inside a workspace package", () => {
  let dir: string;
  let client: LspTestClient;
  const worker = () => path.join(dir, "packages/worker");

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-ws-lsp-"));
    mkdirSync(path.join(dir, "packages/worker/src"), { recursive: true });
    mkdirSync(path.join(dir, "packages/core/src"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }));
    writeFileSync(path.join(dir, "packages/core/package.json"), JSON.stringify({ name: "@demo/core", main: "src/index.ts" }));
    writeFileSync(
      path.join(dir, "packages/core/src/index.ts"),
      'export async function twoCalls() {\n  await fetch("https://api.example.com/a");\n  await fetch("https://api.example.com/b");\n}\n',
    );
    writeFileSync(path.join(worker(), "package.json"), JSON.stringify({ name: "@demo/worker", dependencies: { "@demo/core": "*" } }));
    writeFileSync(
      path.join(worker(), "src/index.ts"),
      'import { twoCalls } from "@demo/core";\nexport default { async fetch() { await twoCalls(); return new Response("ok"); } };\n',
    );
    client = new LspTestClient();
    await client.initialize(worker());
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the workspace above like the CLI: the sibling package's two round trips make placement worth suggesting", async () => {
    const config = path.join(worker(), "wrangler.toml");
    const text = 'name = "w"\nmain = "src/index.ts"\n';
    writeFileSync(config, text);
    await client.open(config, text, "toml");
    const diagnostics = await client.diagnostics(config, (d) => d.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["placement-suggest-smart"],
    );
  });
});
