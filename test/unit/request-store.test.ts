import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ts from "typescript";
import { requestStoreSlot } from "../../server/src/core/worker/module";

/** The slot of the expression in `source` (one expression statement). */
function slotOf(source: string): string | undefined {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest, true);
  const statement = file.statements[0];
  assert.ok(statement && ts.isExpressionStatement(statement));
  return requestStoreSlot(statement.expression);
}

describe("per-request stores a framework's middleware fills", () => {
  it("names h3's event.context and Astro's locals by key", () => {
    assert.equal(slotOf("event.context.db"), ".context.db");
    assert.equal(slotOf("e.context.user"), ".context.user");
    assert.equal(slotOf("context.locals.db"), ".locals.db");
    assert.equal(slotOf("Astro.locals.session"), ".locals.session");
    assert.equal(slotOf("locals.db"), ".locals.db");
    assert.equal(slotOf("(locals as any).db"), ".locals.db");
  });

  it("leaves other property reads alone", () => {
    assert.equal(slotOf("c.var.db"), undefined);
    assert.equal(slotOf("context.db"), undefined);
    assert.equal(slotOf("event.context"), undefined);
    assert.equal(slotOf("this.context.db"), undefined);
    assert.equal(slotOf("a.b.context.db"), undefined);
    assert.equal(slotOf("env.DB"), undefined);
  });
});
