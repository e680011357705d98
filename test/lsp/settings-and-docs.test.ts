import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CodeActionRequest,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  ShowDocumentRequest,
  type CodeAction,
  type CreateFile,
  type Diagnostic,
  type InitializeResult,
  type ShowDocumentParams,
  type TextDocumentEdit,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { LspTestClient, uriOf } from "./client";

const CONFIG =
  'name = "api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[placement]\nregion = "aws:us-east1"\nmdoe = "targeted"\n';
const SOURCE = `export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const a = await fetch("https://db.example.com/a");
    const b = await fetch("https://db.example.com/b");
    await fetch("https://api.honeycomb.io/1/events/x", { method: "POST" });
    // smart-placement-ignore subrequest-blocking-analytics -- the audit trail must be written first
    await fetch("https://api.honeycomb.io/1/events/audit", { method: "POST" });
    return new Response(String(a.status + b.status));
  },
};
`;
const SETTINGS = '{\n  // shared with CI\n  "severity": {\n    "placement-unknown-key": "error"\n  }\n}\n';

describe("shared settings, rule documentation and fix-all over stdio", () => {
  let root: string;
  let client: LspTestClient;
  let config: string;
  let source: string;
  let settings: string;
  let capabilities: InitializeResult["capabilities"];
  const shown: ShowDocumentParams[] = [];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-lsp-settings-"));
    mkdirSync(path.join(root, "api/src"), { recursive: true });
    mkdirSync(path.join(root, "bare/src"), { recursive: true });
    config = path.join(root, "api/wrangler.toml");
    source = path.join(root, "api/src/index.ts");
    settings = path.join(root, "api/.smart-placement.jsonc");
    writeFileSync(config, CONFIG);
    writeFileSync(source, SOURCE);
    writeFileSync(settings, SETTINGS);
    writeFileSync(
      path.join(root, "bare/wrangler.toml"),
      'name = "bare"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\nregion = "x"\n',
    );
    writeFileSync(path.join(root, "bare/src/index.ts"), 'export default { async fetch() { return new Response("ok"); } };\n');
    client = new LspTestClient();
    client.connection.onRequest(ShowDocumentRequest.type, (params) => {
      shown.push(params);
      return { success: true };
    });
    const result = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: "test" }],
      capabilities: {
        workspace: {
          configuration: true,
          applyEdit: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ["create"] },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        window: { showDocument: { support: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    capabilities = result.capabilities;
    await client.connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const actionsAt = async (
    file: string,
    diagnostics: Diagnostic[],
    range = diagnostics[0]!.range,
    only?: string[],
  ): Promise<CodeAction[]> =>
    (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(file) },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    })) as CodeAction[];

  it("declares the fix-all kind beside quick fixes", () => {
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ["quickfix", "source.fixAll.smartPlacement"] });
  });

  it("severity comes from the shared settings file; each diagnostic links its rule's page", async () => {
    await client.open(config, CONFIG, "toml");
    const diagnostics = await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-unknown-key"));
    const unknown = diagnostics.find((d) => d.code === "placement-unknown-key")!;
    assert.equal(unknown.severity, 1, "error, as .smart-placement.jsonc says (the default is warning)");
    assert.deepEqual(unknown.codeDescription, {
      href: "https://github.com/smart-placement/smart-placement/blob/main/docs/rules/placement-unknown-key.md",
    });
  });

  it("an inline comment suppresses one source finding, not the other", async () => {
    await client.open(source, SOURCE, "typescript");
    const diagnostics = await client.diagnostics(source, (d) => d.some((x) => x.code === "subrequest-blocking-analytics"));
    assert.deepEqual(
      diagnostics.filter((d) => d.code === "subrequest-blocking-analytics").map((d) => d.range.start.line),
      [4],
    );
  });

  it("quick fixes, then disable and show documentation, per code under the cursor", async () => {
    const diagnostics = await client.diagnostics(config);
    const region = diagnostics.find((d) => d.code === "placement-region")!;
    const actions = await actionsAt(config, diagnostics, region.range);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Change region to "aws:us-east-1"', "Disable placement-region for this Worker", "Show documentation for placement-region"],
    );
    const show = actions[2]!;
    assert.deepEqual(show.command, {
      title: "Show documentation for placement-region",
      command: "smartPlacement.showDocumentation",
      arguments: ["placement-region"],
    });
    const answer = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: show.command!.command,
      arguments: show.command!.arguments!,
    });
    assert.equal(answer, "Opened the documentation for placement-region.");
    assert.deepEqual(shown, [
      { uri: "https://github.com/smart-placement/smart-placement/blob/main/docs/rules/placement-region.md", external: true },
    ]);
  });

  it("disable writes the shared settings file, keeping its comment, and the diagnostic goes", async () => {
    const diagnostics = await client.diagnostics(config);
    const region = diagnostics.find((d) => d.code === "placement-region")!;
    const disable = (await actionsAt(config, diagnostics, region.range)).find((a) => a.title.startsWith("Disable"))!;
    assert.deepEqual(
      disable.diagnostics?.map((d) => d.code),
      ["placement-region"],
    );
    await client.open(settings, SETTINGS, "jsonc");
    // Closed whatever happens: while it is open its buffer wins over the disk the later tests write.
    try {
      await client.applyAndSync(disable.edit!);
      assert.equal(
        client.text(settings),
        '{\n  // shared with CI\n  "severity": {\n    "placement-unknown-key": "error",\n    "placement-region": "off"\n  }\n}\n',
      );
      await client.diagnostics(config, (d) => !d.some((x) => x.code === "placement-region"));
      writeFileSync(settings, client.text(settings));
    } finally {
      await client.close(settings);
    }
  });

  it("a settings file changed on disk is picked up", async () => {
    writeFileSync(settings, '{ "severity": { "placement-unknown-key": "off" } }\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(settings), type: FileChangeType.Changed }],
    });
    const diagnostics = await client.diagnostics(
      config,
      (d) => !d.some((x) => x.code === "placement-unknown-key") && d.some((x) => x.code === "placement-region"),
    );
    assert.equal(diagnostics.find((d) => d.code === "placement-region")!.severity, 2);
  });

  it("a broken settings file is a diagnostic in that file, and its settings no longer apply", async () => {
    const broken = '{ "severity": { "placement-unknown-key": "off" ';
    writeFileSync(settings, broken);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(settings), type: FileChangeType.Changed }],
    });
    await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-unknown-key"));
    await client.open(settings, broken, "jsonc");
    try {
      const inSettings = await client.diagnostics(settings, (d) => d.length > 0);
      assert.deepEqual(
        inSettings.map((d) => d.code),
        ["settings-file"],
      );
      assert.match(String(inSettings[0]!.message), /^\.smart-placement\.jsonc does not parse/);
    } finally {
      await client.close(settings);
    }
  });

  it("without a settings file, disable creates one beside the Worker's config", async () => {
    const bare = path.join(root, "bare/wrangler.toml");
    await client.open(bare, readFileSync(bare, "utf8"), "toml");
    const diagnostics = await client.diagnostics(bare, (d) => d.some((x) => x.code === "placement-region"));
    const region = diagnostics.find((d) => d.code === "placement-region")!;
    const disable = (await actionsAt(bare, diagnostics, region.range)).find((a) => a.title.startsWith("Disable"))!;
    assert.equal(disable.title, "Disable placement-region for this Worker");
    const [create, write] = disable.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
    const created = uriOf(path.join(root, "bare/.smart-placement.jsonc"));
    assert.deepEqual(create, { kind: "create", uri: created, options: { ignoreIfExists: true } });
    assert.equal(write.textDocument.uri, created);
    assert.match((write.edits[0] as TextEdit).newText, /"severity": \{\n {4}"placement-region": "off"\n {2}\}/);
  });

  it("fix-all applies the safe fixes of the file in one edit, only when asked for", async () => {
    writeFileSync(settings, "{}\n");
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(settings), type: FileChangeType.Changed }],
    });
    const diagnostics = await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-unknown-key"));
    const whole = { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } };
    const plain = await actionsAt(config, diagnostics, whole);
    assert.ok(!plain.some((a) => a.kind === "source.fixAll.smartPlacement"));
    const [fixAll, ...rest] = await actionsAt(config, diagnostics, whole, ["source.fixAll"]);
    assert.equal(rest.length, 0);
    assert.equal(fixAll!.kind, "source.fixAll.smartPlacement");
    await client.applyAndSync(fixAll!.edit!);
    assert.equal(client.text(config), CONFIG.replace("aws:us-east1", "aws:us-east-1").replace("mdoe", "mode"));
    await client.diagnostics(config, (d) => !d.some((x) => x.code === "placement-region" || x.code === "placement-unknown-key"));
  });
});
