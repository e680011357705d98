import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ts from "typescript";
import { collectFacts } from "../../server/src/core/worker/module";
import { returnExpressions } from "../../server/src/core/worker/syntaxMemo";

describe("returnExpressions", () => {
  const source = [
    "export async function load(id: string) {",
    "  if (!id) return null;",
    "  const pick = (row: { id: string }) => { return row.id; };",
    "  class Inner { get value() { return 1; } }",
    "  try { return await query(id); } finally { log(id); }",
    "  return fallback(id, pick, Inner);",
    "}",
  ].join("\n");

  it("gives the function's own returns in source order, not those of functions or classes inside it", () => {
    const facts = collectFacts("/w/load.ts", source);
    const body = facts.functions.get("load")!.body as ts.Block;
    const texts = returnExpressions(body).map((e) => e.getText(facts.sourceFile));
    assert.deepEqual(texts, ["null", "await query(id)", "fallback(id, pick, Inner)"]);
  });

  it("is read once per body: asked again, the same answer", () => {
    const facts = collectFacts("/w/load.ts", source);
    const body = facts.functions.get("load")!.body as ts.Block;
    assert.equal(returnExpressions(body), returnExpressions(body));
    // A new tree of the same text is a new body, read on its own.
    const again = collectFacts("/w/load.ts", source);
    const other = again.functions.get("load")!.body as ts.Block;
    assert.notEqual(returnExpressions(other), returnExpressions(body));
    assert.equal(returnExpressions(other)[1]!.getText(again.sourceFile), "await query(id)");
  });
});
