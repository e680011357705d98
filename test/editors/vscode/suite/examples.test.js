// The bundled examples as `npm run demo` opens them: TypeScript finds the Workers runtime types and
// Hono, so the only problems shown are Smart Placement's.
const assert = require("node:assert/strict");
const vscode = require("vscode");
const { open, diagnostics, hasCode } = require("./helpers");

/**
 * TypeScript's hover on the first `name` in the document (an unresolved type shows as `any`). While
 * tsserver is still loading the project it answers "(loading...)" with the type unresolved: on a busy
 * machine that can last seconds, and VS Code has no event for its end, so the hover is asked again.
 */
async function typeHover(document, name, timeoutMs = 60000) {
  const position = document.positionAt(document.getText().indexOf(name) + 1);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hovers = await vscode.commands.executeCommand("vscode.executeHoverProvider", document.uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join("\n");
    if (!text.includes("(loading...)") || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

suite("the bundled examples in VS Code", () => {
  for (const [file, name, declaration] of [
    ["orders-api/src/index.ts", "ExecutionContext", /interface ExecutionContext/],
    ["nightly-sync/src/index.ts", "ScheduledController", /interface ScheduledController/],
    ["reports-d1/src/index.ts", "D1Database", /class D1Database|interface D1Database/],
    ["storefront/src/index.ts", "Hono", /class Hono/],
  ]) {
    test(`${file}: ${name} resolves to its declaration`, async () => {
      const document = await open(file);
      const text = await typeHover(document, name);
      assert.match(text, declaration);
      assert.doesNotMatch(text, /unresolved/);
    });
  }

  test("storefront: Smart Placement's findings are there, and no TypeScript error", async () => {
    const document = await open("storefront/src/index.ts");
    const list = await diagnostics(document.uri, hasCode("subrequest-blocking-analytics"));
    assert.deepEqual(
      list.filter((d) => d.source === "ts" && d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message),
      [],
    );
  });
});
