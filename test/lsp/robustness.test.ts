import assert from "node:assert/strict";
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
    for (const name of ["vanish", "huge", "deep", "loop"]) mkdirSync(path.join(root, name, "src"), { recursive: true });
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
    client = new LspTestClient();
    scanned = new Promise((resolve) => client.connection.onNotification(SCAN_COMPLETE, resolve));
    await client.initialize(root);
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("scans a workspace with a symlink loop, a 10 MB file and 10,000-deep nesting", async () => {
    const summary = await scanned;
    assert.equal(summary.configs, 4);
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
