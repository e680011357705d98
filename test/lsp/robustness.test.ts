import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  NotificationType,
  type MarkupContent,
} from "vscode-languageserver-protocol/node";
import { LspTestClient, uriOf } from "./client";

const SCAN_COMPLETE = new NotificationType<{ configs: number; files: number; ms: number }>("smartPlacement/scanComplete");
const CONFIG = (main: string): string => `name = "w"\nmain = "${main}"\ncompatibility_date = "2025-01-01"\n\n[placement]\nmode = "smart"\n`;

describe("the server never falls over", () => {
  let root: string;
  let client: LspTestClient;
  let scanned: Promise<{ configs: number; files: number }>;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-robust-"));
    for (const name of ["vanish", "huge", "deep", "loop", "pipe", "folder"]) mkdirSync(path.join(root, name, "src"), { recursive: true });
    writeFileSync(path.join(root, "vanish/wrangler.toml"), CONFIG("src/index.ts"));
    writeFileSync(
      path.join(root, "vanish/src/index.ts"),
      'export default { async fetch() { return fetch("https://db.example.com"); } };\n',
    );
    writeFileSync(path.join(root, "huge/wrangler.toml"), CONFIG("src/index.ts"));
    writeFileSync(
      path.join(root, "huge/src/index.ts"),
      "// filler\n".repeat(1_100_000) + "export default { fetch() { return new Response(); } };\n",
    );
    writeFileSync(path.join(root, "deep/wrangler.toml"), CONFIG("src/index.ts"));
    writeFileSync(
      path.join(root, "deep/src/index.ts"),
      "export default { fetch() { return " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + "; } };\n",
    );
    writeFileSync(path.join(root, "loop/wrangler.toml"), CONFIG("src/index.ts"));
    writeFileSync(path.join(root, "loop/src/index.ts"), "export default { fetch() { return new Response(); } };\n");
    symlinkSync(path.join(root, "loop"), path.join(root, "loop/src/back"));
    // Sources that cannot be read as files: a named pipe (reading it would block for ever) and a folder.
    writeFileSync(path.join(root, "pipe/wrangler.toml"), CONFIG("src/index.ts"));
    execFileSync("mkfifo", [path.join(root, "pipe/src/index.ts")]);
    writeFileSync(path.join(root, "folder/wrangler.toml"), CONFIG("src/index.ts"));
    mkdirSync(path.join(root, "folder/src/index.ts"));
    client = new LspTestClient();
    scanned = new Promise((resolve) => client.connection.onNotification(SCAN_COMPLETE, resolve));
    await client.initialize(root);
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("scans a workspace with a symlink loop, a 10 MB file, 10,000-deep nesting and unreadable sources", async () => {
    const summary = await scanned;
    assert.equal(summary.configs, 6);
  });

  it("a Worker source that is a named pipe or a folder becomes a clear finding", async () => {
    for (const name of ["pipe", "folder"]) {
      const config = path.join(root, name, "wrangler.toml");
      await client.open(config, CONFIG("src/index.ts"), "toml");
      const diagnostics = await client.diagnostics(config, (d) => d.some((x) => x.code === "worker-entry"));
      assert.match(String(diagnostics.find((d) => d.code === "worker-entry")!.message), /main "src\/index\.ts" was not found/);
      await client.close(config);
    }
  });

  it("reports a 10 MB source file instead of analysing it", async () => {
    const source = path.join(root, "huge/src/index.ts");
    await client.open(source, "// edited\n" + "// filler\n".repeat(1_100_000), "typescript");
    const diagnostics = await client.diagnostics(source, (d) => d.some((x) => x.code === "analysis-limit"), 30_000);
    assert.match(String(diagnostics[0]!.message), /over the 2 MB analysis limit/);
    await client.close(source);
  });

  it("reports 10,000-deep nesting instead of overflowing the stack", async () => {
    const source = path.join(root, "deep/src/index.ts");
    await client.open(source, "export default { fetch() { return " + "[".repeat(10_000) + "]".repeat(10_000) + "; } };\n", "typescript");
    const diagnostics = await client.diagnostics(source, (d) => d.some((x) => x.code === "analysis-limit"), 30_000);
    assert.match(String(diagnostics[0]!.message), /not analysed/);
  });

  it("a feature handler that throws answers empty and the server goes on", async () => {
    const config = path.join(root, "vanish/wrangler.toml");
    await client.open(config, CONFIG("src/index.ts"), "toml");
    // No position: the hover handler throws inside; the guard logs it and answers null.
    const broken = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(config) } } as never);
    assert.equal(broken, null);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(config) },
      position: { line: 5, character: 1 },
    });
    assert.match((hover?.contents as MarkupContent).value, /mode/);
  });

  it("a Worker source that vanishes from disk becomes a clear finding", async () => {
    const config = path.join(root, "vanish/wrangler.toml");
    unlinkSync(path.join(root, "vanish/src/index.ts"));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(path.join(root, "vanish/src/index.ts")), type: FileChangeType.Deleted }],
    });
    const diagnostics = await client.diagnostics(config, (d) => d.some((x) => x.code === "worker-entry"));
    assert.match(String(diagnostics.find((d) => d.code === "worker-entry")!.message), /was not found/);
  });
});
