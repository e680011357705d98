import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  ExecuteCommandRequest,
  HoverRequest,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type MarkupContent,
} from "vscode-languageserver-protocol/node";
import { LspTestClient, uriOf } from "./client";

const TOML = 'name = "api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[placement]\nmode = "smrt"\n';
const JSONC =
  '{\n  // the storefront\n  "name": "shop",\n  "main": "src/index.ts",\n  "placement": { "region": "aws:us-east-1", "host": "db.example.com:5432" },\n}\n';
const SOURCE = `export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const a = await fetch("https://db.example.com/a");
    const b = await fetch("https://db.example.com/b");
    await fetch("https://api.honeycomb.io/1/events/x", { method: "POST" });
    return new Response(String(a.status + b.status));
  },
};
`;

describe("language server over stdio", () => {
  let root: string;
  let client: LspTestClient;
  let toml: string;
  let jsonc: string;
  let source: string;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-lsp-"));
    mkdirSync(path.join(root, "api/src"), { recursive: true });
    mkdirSync(path.join(root, "shop/src"), { recursive: true });
    toml = path.join(root, "api/wrangler.toml");
    jsonc = path.join(root, "shop/wrangler.jsonc");
    source = path.join(root, "shop/src/index.ts");
    writeFileSync(toml, TOML);
    writeFileSync(path.join(root, "api/src/index.ts"), 'export default { async fetch() { return new Response("ok"); } };\n');
    writeFileSync(jsonc, JSONC);
    writeFileSync(source, SOURCE);
    client = new LspTestClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("publishes config diagnostics on open (TOML)", async () => {
    await client.open(toml, TOML, "toml");
    const diagnostics = await client.diagnostics(toml, (d) => d.some((x) => x.code === "placement-mode"));
    const mode = diagnostics.find((d) => d.code === "placement-mode")!;
    assert.equal(mode.severity, 1);
    assert.deepEqual(mode.range, { start: { line: 5, character: 7 }, end: { line: 5, character: 13 } });
    assert.equal(mode.source, "smart-placement");
  });

  it("hovers placement keys and values", async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(toml) },
      position: { line: 5, character: 1 },
    });
    assert.match((hover?.contents as MarkupContent).value, /\*\*mode\*\* — how the Worker is placed/);
    const onKey = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(toml) },
      position: { line: 4, character: 3 },
    });
    assert.match((onKey?.contents as MarkupContent).value, /^\*\*Smart Placement\*\*: Invalid config · /);
  });

  it("completes mode values inside placement", async () => {
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: uriOf(toml) },
      position: { line: 5, character: 9 },
    })) as CompletionItem[];
    assert.deepEqual(
      items.map((i) => i.label),
      ["smart", "off", "targeted"],
    );
  });

  it("applies the mode quick fix and the diagnostic clears", async () => {
    const diagnostics = await client.diagnostics(toml);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(toml) },
      range: { start: { line: 5, character: 8 }, end: { line: 5, character: 8 } },
      context: { diagnostics },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Change mode to "smart"');
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(", ")}`);
    assert.equal(fix.isPreferred, true);
    assert.equal((fix.diagnostics as Diagnostic[])[0]?.code, "placement-mode");
    await client.applyAndSync(fix.edit!);
    assert.equal(client.text(toml), TOML.replace('"smrt"', '"smart"'));
    await client.diagnostics(toml, (d) => !d.some((x) => x.severity === 1));
  });

  it("JSONC: conflict diagnostics and a keep-one fix that keeps comments", async () => {
    await client.open(jsonc, JSONC, "jsonc");
    const diagnostics = await client.diagnostics(jsonc, (d) => d.some((x) => x.code === "placement-conflict"));
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(jsonc) },
      range: diagnostics.find((d) => d.code === "placement-conflict")!.range,
      context: { diagnostics },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Keep only region", "Keep only host", "Show documentation for placement-conflict"],
    );
    await client.applyAndSync(actions[1]!.edit!);
    assert.equal(client.text(jsonc), JSONC.replace('"region": "aws:us-east-1", ', ""));
    await client.diagnostics(jsonc, (d) => !d.some((x) => x.code === "placement-conflict"));
  });

  it("source: blocking analytics call with a waitUntil fix, and a code lens", async () => {
    await client.open(source, SOURCE, "typescript");
    const diagnostics = await client.diagnostics(source, (d) => d.some((x) => x.code === "subrequest-blocking-analytics"));
    const blocking = diagnostics.find((d) => d.code === "subrequest-blocking-analytics")!;
    assert.equal(blocking.range.start.line, 4);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(source) } });
    assert.ok(lenses && lenses.length > 0);
    assert.equal(
      lenses[0]!.command!.title,
      "Smart Placement: Targeted: host db.example.com:5432 · runs near the target: the code is not considered (2 sequential round trips to db.example.com)",
    );
    // A target is configured: no "Enable Smart Placement" beside it; the estimate asks where the back end is.
    assert.deepEqual(
      lenses.slice(1).map((lens) => lens.command?.title),
      ["Estimate: where is db.example.com?"],
    );
  });

  it("a config edit changes the source's code lens", async () => {
    // Replace the targeted placement with smart mode: the Worker's prediction becomes SUCCESS.
    const text = client.text(jsonc);
    const start = text.indexOf('{ "host"');
    const end = text.indexOf("}", start) + 1;
    const lines = text.slice(0, start).split("\n");
    const range = {
      start: { line: lines.length - 1, character: lines[lines.length - 1]!.length },
      end: { line: lines.length - 1, character: lines[lines.length - 1]!.length + (end - start) },
    };
    await client.edit(jsonc, [{ range, newText: '{ "mode": "smart" }' }]);
    await client.diagnostics(jsonc, (d) => d.length === 0);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(source) } });
    assert.equal(lenses![0]!.command!.title, "Smart Placement: Smart · would help: 2 sequential round trips to db.example.com");
  });

  it("the enable command adds [placement] to a config without one", async () => {
    const bare = path.join(root, "api/wrangler.toml");
    const text = 'name = "api"\nmain = "src/index.ts"\n\n[vars]\nX = "1"\n';
    await client.edit(bare, [{ range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } }, newText: text }]);
    const answer = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: "smartPlacement.enable",
      arguments: [uriOf(bare)],
    });
    assert.match(String(answer), /Smart Placement enabled/);
    assert.equal(client.text(bare), 'name = "api"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\n\n[vars]\nX = "1"\n');
  });

  it("completes placement keys and region codes, with the region's location", async () => {
    const file = path.join(root, "regions/wrangler.toml");
    mkdirSync(path.dirname(file), { recursive: true });
    const text = 'name = "r"\n\n[placement]\nregion = ""\n\n';
    writeFileSync(file, text);
    await client.open(file, text, "toml");
    const regions = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: uriOf(file) },
      position: { line: 3, character: 10 },
    })) as CompletionItem[];
    const aws = regions.find((i) => i.label === "aws:eu-central-1");
    assert.ok(aws, `${regions.length} items`);
    assert.match(String(aws.detail), /Frankfurt/);
    const keys = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: uriOf(file) },
      position: { line: 4, character: 0 },
    })) as CompletionItem[];
    assert.deepEqual(
      keys.map((i) => i.label),
      ["mode", "hint", "host", "hostname"],
    );
  });

  it("hovers a subrequest in a helper no handler calls", async () => {
    const helper = path.join(root, "shop/src/unused.ts");
    const text = 'import "./index";\nexport async function audit() {\n  await fetch("https://audit.example.com/log");\n}\n';
    writeFileSync(helper, text);
    await client.edit(source, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import "./unused";\n' },
    ]);
    await client.open(helper, text, "typescript");
    await client.diagnostics(helper);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(helper) },
      position: { line: 2, character: 10 },
    });
    assert.match((hover?.contents as MarkupContent).value, /not on the fetch handler's response path/);
  });

  it("clears diagnostics when a file closes", async () => {
    await client.close(toml);
    await client.diagnostics(toml, (d) => d.length === 0);
  });

  it("survives a hover on a position far outside the document", async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(jsonc) },
      position: { line: 9999, character: 9999 },
    });
    assert.equal(hover, null);
  });
});
