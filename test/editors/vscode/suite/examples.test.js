// The bundled examples as `npm run demo` opens them: TypeScript finds the Workers runtime types and
// Hono, so the only problems shown are Smart Placement's.
const assert = require("node:assert/strict");
const vscode = require("vscode");
const { open, diagnostics, hasCode } = require("./helpers");

/** TypeScript's hover on the first `name` in the document (an unresolved type shows as `any`). */
async function typeHover(document, name) {
  const position = document.positionAt(document.getText().indexOf(name) + 1);
  const hovers = await vscode.commands.executeCommand("vscode.executeHoverProvider", document.uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join("\n");
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
