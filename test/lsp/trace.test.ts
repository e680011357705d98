import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { CodeActionRequest, DiagnosticSeverity, type CodeAction, type Diagnostic } from "vscode-languageserver-protocol/node";
import { LspTestClient, uriOf } from "./client";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist/cli.js");

const TOML = 'name = "planted"\nmain = "src/index.js"\ncompatibility_date = "2025-01-01"\n';
// The longest path (GET /deep) makes two round trips; GET / makes one: a trace of GET / disagrees.
const SOURCE = `export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/deep") await fetch("https://db.example.com/a");
    const b = await fetch("https://db.example.com/b");
    return new Response(String(b.status));
  },
};
`;

const traced = (list: Diagnostic[]): Diagnostic[] => list.filter((d) => d.code === "trace-disagrees");

describe("Trace Locally's results in the editor (server over stdio)", () => {
  let root: string;
  let client: LspTestClient;
  let toml: string;
  let source: string;

  /** What the editor does: runs the bundled command line and hands its JSON to the server. */
  const trace = (...args: string[]): unknown => {
    const run = spawnSync(process.execPath, [CLI, "trace", toml, "--format", "json", "--delay", "20", ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
    });
    return JSON.parse(run.stdout);
  };
  const handOver = (report: unknown): Promise<{ workers: number; findings: number }> =>
    client.connection.sendRequest("smartPlacement/traceResults", { uri: uriOf(toml), report });
  const picture = (): Promise<string> =>
    client.connection.sendRequest("smartPlacement/estimatePicture", { uri: uriOf(source), nonce: "n", cspSource: "vscode-webview://x" });

  let disagreeing: unknown;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-lsp-trace-"));
    mkdirSync(path.join(root, "src"), { recursive: true });
    // The Worker's project has Miniflare, as a project with wrangler does.
    symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
    toml = path.join(root, "wrangler.toml");
    source = path.join(root, "src/index.js");
    writeFileSync(toml, TOML);
    writeFileSync(source, SOURCE);
    client = new LspTestClient();
    await client.initialize(root);
    await client.open(source, SOURCE, "javascript");
    disagreeing = trace();
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("a disagreement is a trace-disagrees warning on the fetch handler, with the request and both counts", async () => {
    await client.diagnostics(source); // the first analysis is published
    assert.deepEqual(await handOver(disagreeing), { workers: 1, findings: 1 });
    const [finding] = traced(await client.diagnostics(source, (list) => traced(list).length === 1));
    assert.equal(finding!.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(finding!.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 13 } });
    assert.match(
      String(finding!.message),
      /^Trace Locally: GET \/: observed 1 sequential wave to back ends \(db\.example\.com ×1\), predicted 2 on the Worker's longest path: this request may not take the longest path the prediction describes: send one that does with --request\.$/,
    );
  });

  it("has its documentation, and is turned off by its setting like any rule", async () => {
    const [finding] = traced(await client.diagnostics(source, (list) => traced(list).length === 1));
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(source) },
      range: finding!.range,
      context: { diagnostics: [finding!] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.title).filter((t) => t.includes("trace-disagrees")),
      // This client cannot create files, so "Disable … for this Worker" (which writes a new shared settings file) is not offered.
      ["Show documentation for trace-disagrees"],
    );
    // Undone whatever happens, so the tests after this one see the default settings.
    try {
      await client.configure({ severity: { "trace-disagrees": "off" } });
      await client.diagnostics(source, (list) => traced(list).length === 0);
    } finally {
      await client.configure({});
    }
    await client.diagnostics(source, (list) => traced(list).length === 1);
  });

  it("the estimate picture shows the trace's waterfall", async () => {
    const html = await picture();
    assert.ok(html.includes('<h1 class="trace">Trace Locally: planted</h1>'), html);
    assert.ok(html.includes('<span class="verdict disagree">✗ disagree</span> Observed 1 sequential wave to back ends · predicted 2'));
    assert.match(html, /<rect class="sub wave-1" x="[\d.]+" y="24" width="[\d.]+" height="14"><title>GET https:\/\/db\.example\.com\/b: /);
  });

  it("a new trace that agrees clears it", async () => {
    assert.deepEqual(await handOver(trace("--request", "GET /deep")), { workers: 1, findings: 0 });
    await client.diagnostics(source, (list) => traced(list).length === 0);
    assert.ok(
      (await picture()).includes('<span class="verdict agree">✓ agree</span> Observed 2 sequential waves to back ends · predicted 2'),
    );
  });

  it("an edit to the Worker clears it, and the picture forgets the trace", async () => {
    assert.deepEqual(await handOver(disagreeing), { workers: 1, findings: 1 });
    await client.diagnostics(source, (list) => traced(list).length === 1);
    await client.edit(source, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: "// edited\n" }]);
    await client.diagnostics(source, (list) => traced(list).length === 0);
    assert.ok(!(await picture()).includes("Trace Locally"));
  });

  it("a report that is not one, or for a file that is not a config, changes nothing and the server goes on", async () => {
    assert.deepEqual(await handOver({ version: 1, workers: [{ config: 3 }] }), { workers: 0, findings: 0 });
    assert.deepEqual(await handOver("not json at all"), { workers: 0, findings: 0 });
    assert.deepEqual(await client.connection.sendRequest("smartPlacement/traceResults", { uri: uriOf(source), report: disagreeing }), {
      workers: 0,
      findings: 0,
    });
    assert.deepEqual(traced(await client.diagnostics(source)), []);
  });
});
