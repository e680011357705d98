// Next to a TOML extension that contributes the `toml` language and the `source.toml` grammar the
// way Even Better TOML does: wrangler configs are handed to it, our features still work on them.
const assert = require("node:assert/strict");
const vscode = require("vscode");
const { uriOf, diagnostics, codeOf, hasCode, applyFix, languageOf, EXTENSION_ID } = require("./helpers");

suite("smart-placement next to a TOML extension", () => {
  test("a wrangler.toml is handed to the TOML extension's language", async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uriOf("api/wrangler.toml")));
    const document = await languageOf(uriOf("api/wrangler.toml"), "toml");
    assert.equal(document.languageId, "toml");
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID).isActive, true);
  });

  test("diagnostics, hover and quick fix work on it", async () => {
    const document = await languageOf(uriOf("api/wrangler.toml"), "toml");
    const list = await diagnostics(document.uri, hasCode("placement-mode"));
    const mode = list.find((d) => codeOf(d) === "placement-mode");
    assert.equal(mode.range.start.line, 8);
    const hovers = await vscode.commands.executeCommand("vscode.executeHoverProvider", document.uri, new vscode.Position(8, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join("\n");
    assert.match(text, /\*\*mode\*\* — how the Worker is placed/);
    await vscode.window.showTextDocument(document);
    await applyFix(document, mode, 'Change mode to "smart"');
    assert.equal(document.lineAt(8).text, 'mode = "smart"');
    await diagnostics(document.uri, (l) => !hasCode("placement-mode")(l));
  });

  test("a wrangler config mapped to Wrangler TOML in files.associations keeps our language", async () => {
    await vscode.workspace
      .getConfiguration("files")
      .update("associations", { "**/orders/wrangler.toml": "wrangler-toml" }, vscode.ConfigurationTarget.Global);
    const document = await vscode.workspace.openTextDocument(uriOf("orders/wrangler.toml"));
    await vscode.window.showTextDocument(document);
    await diagnostics(document.uri, hasCode("placement-suggest-smart"));
    const now = vscode.workspace.textDocuments.find((d) => d.uri.toString() === document.uri.toString());
    assert.equal(now.languageId, "wrangler-toml");
  });
});
