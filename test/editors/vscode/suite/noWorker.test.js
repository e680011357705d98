// A workspace without a Worker (a Rust crate), next to a TOML extension: Cargo.toml belongs to the
// TOML extension and does not start us; a wrangler.toml created later does.
const assert = require("node:assert/strict");
const { writeFileSync } = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");
const { root, uriOf, diagnostics, hasCode, languageOf, EXTENSION_ID } = require("./helpers");

const STAND_IN = "smart-placement-tests.toml-stand-in";

/** Resolves once `id` is active (activation has no event; checked on each turn of a short poll). */
async function activeSoon(id, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (!vscode.extensions.getExtension(id).isActive) {
    if (Date.now() > deadline) throw new Error(`${id} never activated`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

suite("smart-placement in a workspace without a Worker", () => {
  test("opening Cargo.toml activates the TOML extension, not smart-placement", async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uriOf("Cargo.toml")));
    await languageOf(uriOf("Cargo.toml"), "toml");
    await activeSoon(STAND_IN);
    // Both would be activated by the same `onLanguage:toml` event; give ours the time its
    // activation would take (a bound on a negative check, not a wait for a result).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID).isActive, false);
  });

  test("a wrangler.toml created and opened later activates it and is checked", async () => {
    const file = path.join(root(), "wrangler.toml");
    writeFileSync(file, 'name = "late"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[placement]\nmode = "smrt"\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    await activeSoon(EXTENSION_ID);
    const document = await languageOf(uriOf("wrangler.toml"), "toml");
    await diagnostics(document.uri, hasCode("placement-mode"));
  });
});
