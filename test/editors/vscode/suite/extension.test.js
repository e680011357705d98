// The extension as a user gets it (installed from the .vsix), inside a real VS Code extension host.
// Every wait is on an event (diagnostics changing, a document changing), never a fixed sleep.
const assert = require("node:assert/strict");
const { writeFileSync, mkdirSync, symlinkSync } = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const vscode = require("vscode");
const {
  root,
  uriOf,
  diagnostics,
  documentText,
  codeOf,
  hasCode,
  open,
  nextDiagnosticsChange,
  applyFix,
  EXTENSION_ID,
} = require("./helpers");

/** This repository (the suite runs from it): its node_modules has Miniflare, as a Worker project with wrangler does. */
const REPOSITORY = path.resolve(__dirname, "../../../..");

/** The webview tabs of the estimate picture, once the workbench has opened one (announced by an event). */
async function estimateTabs() {
  const find = () =>
    vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes("smartPlacement.estimate"));
  for (let i = 0; i < 20 && find().length === 0; i++) {
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        listener.dispose();
        resolve();
      }, 500);
      const listener = vscode.window.tabGroups.onDidChangeTabs(() => {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      });
    });
  }
  return find();
}

/** Resolves when the language status item satisfies `accept` (now or after a change). */
function statusItem(accept, timeoutMs = 30000) {
  const api = vscode.extensions.getExtension(EXTENSION_ID).exports;
  if (accept(api.status())) return Promise.resolve(api.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`the status item never matched; last: ${JSON.stringify(api.status())}`));
    }, timeoutMs);
    const listener = api.onDidChangeStatus(() => {
      if (!accept(api.status())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(api.status());
    });
  });
}

suite("smart-placement in VS Code (code-server)", () => {
  test("is installed from the .vsix and activates", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, "extension not installed");
    assert.ok(!extension.extensionPath.includes("runner-extension"));
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test("wrangler.toml: diagnostic and hover", async () => {
    const document = await open("api/wrangler.toml");
    // No TOML extension in this run: our own language and grammar.
    assert.equal(document.languageId, "wrangler-toml");
    const list = await diagnostics(document.uri, hasCode("placement-mode"));
    const mode = list.find((d) => codeOf(d) === "placement-mode");
    assert.equal(mode.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(mode.range.start.line, 8);
    const hovers = await vscode.commands.executeCommand("vscode.executeHoverProvider", document.uri, new vscode.Position(8, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join("\n");
    assert.match(text, /\*\*mode\*\* — how the Worker is placed/);
    // The language status item: never a success headline for an invalid config.
    const status = await statusItem((s) => s !== undefined && s.uri === document.uri.toString() && s.text.startsWith("Invalid config"));
    assert.equal(status.text, "Invalid config · would help");
    assert.equal(status.severity, "error");
    assert.equal(status.detail, "would help: 2 sequential round trips to db.example.com (SUCCESS)");
  });

  test("completion inside placement offers the mode values", async () => {
    const document = await open("api/wrangler.toml");
    const list = await vscode.commands.executeCommand("vscode.executeCompletionItemProvider", document.uri, new vscode.Position(8, 9));
    const labels = list.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
    for (const value of ["smart", "off", "targeted"]) assert.ok(labels.includes(value), JSON.stringify(labels));
  });

  test("quick fix: mode typo becomes smart", async () => {
    const document = await open("api/wrangler.toml");
    const list = await diagnostics(document.uri, hasCode("placement-mode"));
    await applyFix(
      document,
      list.find((d) => codeOf(d) === "placement-mode"),
      'Change mode to "smart"',
    );
    assert.equal(document.lineAt(8).text, 'mode = "smart"');
    await diagnostics(document.uri, (l) => !hasCode("placement-mode")(l));
  });

  test("wrangler.jsonc: conflicting targets, keep only region (comments kept)", async () => {
    const document = await open("shop/wrangler.jsonc");
    assert.equal(document.languageId, "jsonc");
    const list = await diagnostics(document.uri, hasCode("placement-conflict"));
    await applyFix(
      document,
      list.find((d) => codeOf(d) === "placement-conflict"),
      "Keep only region",
    );
    const text = document.getText();
    assert.ok(text.includes("// near the catalogue database"));
    assert.ok(text.includes('"region": "aws:us-east-1"'));
    assert.ok(!text.includes('"hostname"'));
    await diagnostics(document.uri, (l) => !hasCode("placement-conflict")(l));
  });

  test("source: blocking analytics call moves into ctx.waitUntil", async () => {
    const document = await open("api/src/index.ts");
    const list = await diagnostics(document.uri, hasCode("subrequest-blocking-analytics"));
    const blocking = list.find((d) => codeOf(d) === "subrequest-blocking-analytics");
    assert.equal(blocking.range.start.line, 8);
    await applyFix(document, blocking, "Move into ctx.waitUntil(...)");
    assert.equal(document.lineAt(8).text.trim(), 'ctx.waitUntil(fetch("https://api.honeycomb.io/1/events/api", { method: "POST" }));');
    await diagnostics(document.uri, (l) => !hasCode("subrequest-blocking-analytics")(l));
  });

  test("code lens above the fetch handler shows the prediction", async () => {
    const document = await open("api/src/index.ts");
    const lenses = await vscode.commands.executeCommand("vscode.executeCodeLensProvider", document.uri, 10);
    const titles = lenses.map((l) => l.command && l.command.title);
    assert.ok(titles.includes("Smart Placement: Smart · would help: 2 sequential round trips to db.example.com"), JSON.stringify(titles));
    // Smart Placement is on (the quick fix above): no Enable action.
    assert.ok(!titles.some((t) => t.startsWith("Enable")), JSON.stringify(titles));
    const status = await statusItem((s) => s !== undefined && s.uri === document.uri.toString() && s.text.startsWith("Smart"));
    assert.deepEqual([status.text, status.severity], ["Smart · would help", "information"]);
  });

  test("a config edit changes the source file's findings", async () => {
    const source = await open("api/src/index.ts");
    const config = await open("api/wrangler.toml");
    const line = config
      .getText()
      .split("\n")
      .findIndex((l) => l.startsWith("DB_API"));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(config.uri, config.lineAt(line).range, 'DB_API = "https://api.honeycomb.io"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const list = await diagnostics(source.uri, (l) => l.filter((d) => codeOf(d) === "subrequest-blocking-analytics").length === 2);
    assert.equal(list.filter((d) => codeOf(d) === "subrequest-blocking-analytics").length, 2);
  });

  test("the Enable Smart Placement command adds [placement]", async () => {
    const document = await open("orders/wrangler.toml");
    await diagnostics(document.uri, hasCode("placement-suggest-smart"));
    await vscode.commands.executeCommand("smartPlacement.enableSmartPlacement", document.uri);
    const text = await documentText(document, (t) => t.includes("[placement]"));
    assert.equal(
      text,
      'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[placement]\nmode = "smart"\n\n[vars]\nAPI = "https://orders-db.example.com"\n',
    );
    await diagnostics(document.uri, (l) => !hasCode("placement-suggest-smart")(l));
  });

  test("the quick fix Enable Smart Placement on a source-driven hint", async () => {
    const document = await open("orders/wrangler.toml");
    // The previous test enabled it; the hint is gone and the prediction is visible on hover.
    const hovers = await vscode.commands.executeCommand("vscode.executeHoverProvider", document.uri, new vscode.Position(4, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join("\n");
    // Markdown escapes aside, the Worker's line as every surface says it.
    assert.ok(
      text.split("\\").join("").includes("**Smart Placement**: Smart · would help: 2 sequential round trips to orders-db.example.com"),
      text,
    );
  });

  test("a wrangler config created after start-up is picked up (file watcher)", async () => {
    // The Worker's source is open before its config exists, as after `git checkout` or `wrangler init`.
    mkdirSync(path.join(root(), "late/src"), { recursive: true });
    writeFileSync(
      path.join(root(), "late/src/index.ts"),
      'export default {\n  async fetch(request: Request, env: { DB: string }) {\n    const user = await fetch(`${env.DB}/user`);\n    await fetch("https://api.honeycomb.io/1/events/late", { method: "POST" });\n    return new Response(String(user.status));\n  },\n};\n',
    );
    const source = await open("late/src/index.ts");
    const ours = (list) => list.filter((d) => d.source === "smart-placement");
    assert.deepEqual(ours(vscode.languages.getDiagnostics(source.uri)), []);
    // Written behind the editor's back (no open document, no edit): only the watcher can tell.
    writeFileSync(
      path.join(root(), "late/wrangler.toml"),
      'name = "late"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nDB = "https://db.example.com"\n',
    );
    const list = await diagnostics(source.uri, hasCode("subrequest-blocking-analytics"));
    assert.deepEqual(
      ours(list).map((d) => [codeOf(d), d.range.start.line]),
      [["subrequest-blocking-analytics", 3]],
    );
  });

  test("the shared settings file: VS Code's JSON checks it against the shipped schema, and so do we", async () => {
    mkdirSync(path.join(root(), "late"), { recursive: true });
    writeFileSync(
      path.join(root(), "late/.smart-placement.jsonc"),
      '{\n  // severities per rule\n  "severity": { "placement-regoin": "off" }\n}\n',
    );
    const settings = await open("late/.smart-placement.jsonc");
    const list = await diagnostics(settings.uri, (all) => hasCode("settings-file")(all) && all.some((d) => d.source !== "smart-placement"));
    // The JSON language's own finding comes from the schema (no such property); ours names the closest rule.
    assert.ok(
      list.some((d) => d.source !== "smart-placement" && d.range.start.line === 2 && /placement-regoin/.test(d.message)),
      JSON.stringify(list.map((d) => [d.source, d.message])),
    );
    assert.match(list.find((d) => codeOf(d) === "settings-file").message, /did you mean "placement-region"/);
  });

  test("a named variant, wrangler.<name>.toml, is checked too", async () => {
    writeFileSync(
      path.join(root(), "api/wrangler.preview.toml"),
      'name = "api-preview"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[placement]\nmode = "smrt"\n',
    );
    const document = await open("api/wrangler.preview.toml");
    assert.equal(document.languageId, "wrangler-toml");
    const list = await diagnostics(document.uri, hasCode("placement-mode"));
    assert.equal(list.find((d) => codeOf(d) === "placement-mode").range.start.line, 5);
  });

  test("the estimate: a code lens with the headline, and Show Estimate opens the picture", async () => {
    const document = await open("orders/src/index.ts");
    let titles = [];
    for (let i = 0; i < 100 && !titles.some((t) => t && t.startsWith("Estimate: ")); i++) {
      const lenses = await vscode.commands.executeCommand("vscode.executeCodeLensProvider", document.uri, 10);
      titles = lenses.map((l) => l.command && l.command.title);
      if (!titles.some((t) => t && t.startsWith("Estimate: "))) await nextDiagnosticsChange(document.uri, 300);
    }
    assert.ok(titles.includes("Estimate: \u2212234 ms for users in Sydney, \u00b10 ms in Frankfurt"), JSON.stringify(titles));
    await vscode.commands.executeCommand("smartPlacement.showEstimate", document.uri.toString());
    const webviews = await estimateTabs();
    const labels = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => `${t.label}:${t.input && t.input.viewType}`));
    assert.equal(webviews.length, 1, JSON.stringify(labels));
    assert.equal(webviews[0].label, "Smart Placement Estimate");
  });

  test("Trace Locally runs the bundled command line; without wrangler in the project it says what to install", async () => {
    // The workspace is a copy outside this repository: no Miniflare can be found from it.
    const report = await vscode.commands.executeCommand("smartPlacement.traceLocally", uriOf("api/wrangler.toml"));
    assert.equal(report.workers[0].name, "api");
    assert.match(
      report.workers[0].error,
      /cannot find miniflare and esbuild from .*: install wrangler there \(npm install --save-dev wrangler\)/,
    );
  });

  test("Trace Locally: a planted disagreement is a warning on the fetch handler and a waterfall in the picture; an edit clears it", async () => {
    const dir = path.join(root(), "traced");
    mkdirSync(path.join(dir, "src"), { recursive: true });
    symlinkSync(path.join(REPOSITORY, "node_modules"), path.join(dir, "node_modules"), "dir");
    writeFileSync(path.join(dir, "wrangler.toml"), 'name = "traced"\nmain = "src/index.js"\ncompatibility_date = "2025-01-01"\n');
    // GET / makes one round trip; the longest path (GET /deep) two: the trace of GET / disagrees.
    writeFileSync(
      path.join(dir, "src/index.js"),
      'export default {\n  async fetch(request) {\n    if (new URL(request.url).pathname === "/deep") await fetch("https://db.example.com/a");\n    const b = await fetch("https://db.example.com/b");\n    return new Response(String(b.status));\n  },\n};\n',
    );
    const document = await open("traced/src/index.js");
    const report = await vscode.commands.executeCommand("smartPlacement.traceLocally", uriOf("traced/wrangler.toml"));
    assert.equal(report.workers[0].error, null);
    assert.deepEqual([report.summary.requests, report.summary.disagree], [1, 1]);
    const list = await diagnostics(document.uri, hasCode("trace-disagrees"));
    const finding = list.find((d) => codeOf(d) === "trace-disagrees");
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual([finding.range.start.line, finding.range.start.character, finding.range.end.character], [1, 8, 13]);
    assert.match(finding.message, /^Trace Locally: GET \/: observed 1 sequential wave to back ends \(db\.example\.com ×1\), predicted 2 /);
    // The waterfall is drawn in the estimate picture (its content is checked over stdio: test/lsp/trace.test.ts).
    assert.equal((await estimateTabs()).length, 1);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), "// edited\n");
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnostics(document.uri, (now) => !hasCode("trace-disagrees")(now));
  });

  test("Check Deployed Worker: the status item's tooltip says what the platform answered; the token is nowhere", async () => {
    const token = "test-token-5f0c2a9e";
    const seen = [];
    const api = http.createServer((request, response) => {
      seen.push([request.url, request.headers.authorization]);
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({
          success: true,
          errors: [],
          result: { default_environment: { script: { placement_mode: "smart", placement_status: "SUCCESS" } } },
        }),
      );
    });
    await new Promise((resolve) => api.listen(0, "127.0.0.1", resolve));
    // The command line reads what Wrangler reads; the token is not stored anywhere but the environment it came from.
    const saved = { ...process.env };
    process.env.CLOUDFLARE_API_TOKEN = token;
    process.env.CLOUDFLARE_ACCOUNT_ID = "acc123";
    process.env.CLOUDFLARE_API_BASE_URL = `http://127.0.0.1:${api.address().port}/client/v4`;
    try {
      // A Worker of its own, saved as the command line reads it from disk.
      mkdirSync(path.join(root(), "deployed/src"), { recursive: true });
      writeFileSync(
        path.join(root(), "deployed/wrangler.toml"),
        'name = "deployed"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[placement]\nmode = "smart"\n',
      );
      writeFileSync(
        path.join(root(), "deployed/src/index.ts"),
        'export default {\n  async fetch() {\n    const a = await fetch("https://db.example.com/a");\n    const b = await fetch("https://db.example.com/b?" + a.status);\n    return new Response(String(b.status));\n  },\n};\n',
      );
      const document = await open("deployed/wrangler.toml");
      await statusItem((s) => s !== undefined && s.uri === document.uri.toString());
      await vscode.commands.executeCommand("smartPlacement.checkDeployedWorker", document.uri);
      const status = await statusItem((s) => s !== undefined && s.uri === document.uri.toString() && s.detail.includes("Platform ("));
      assert.match(
        status.detail,
        /^would help: 2 sequential round trips to db\.example\.com \(SUCCESS\) · Platform \(checked \d\d:\d\d\): SUCCESS — predicted SUCCESS$/,
      );
      assert.deepEqual(seen, [["/client/v4/accounts/acc123/workers/services/deployed", `Bearer ${token}`]]);
      assert.ok(!JSON.stringify(status).includes(token));
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration("smartPlacement")).includes(token));
    } finally {
      for (const key of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_BASE_URL"])
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      await new Promise((resolve) => api.close(resolve));
    }
  });
});
