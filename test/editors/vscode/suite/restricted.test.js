// Restricted Mode: the folder is not trusted. The analysis executes nothing, so it runs there too.
const assert = require("node:assert/strict");
const vscode = require("vscode");
const { diagnostics, codeOf, hasCode, open, EXTENSION_ID } = require("./helpers");

suite("smart-placement in Restricted Mode", () => {
  test("the folder is not trusted and the extension is enabled", async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, "extension not installed or disabled");
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test("wrangler.toml and the Worker's source get their diagnostics", async () => {
    const config = await open("api/wrangler.toml");
    assert.equal(config.languageId, "wrangler-toml");
    const list = await diagnostics(config.uri, hasCode("placement-mode"));
    assert.equal(list.find((d) => codeOf(d) === "placement-mode").severity, vscode.DiagnosticSeverity.Error);
    const source = await open("api/src/index.ts");
    await diagnostics(source.uri, hasCode("subrequest-blocking-analytics"));
  });

  test("Trace Locally runs nothing: it answers that it needs a trusted workspace", async () => {
    const report = await vscode.commands.executeCommand(
      "smartPlacement.traceLocally",
      vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, "api/wrangler.toml"),
    );
    assert.equal(report, undefined);
  });
});
