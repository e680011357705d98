import ts from "typescript";
import { singleFileFix, type Fix } from "../findings";
import type { TextEdit } from "../text";

/**
 * `await fetch(analytics);` -> `ctx.waitUntil(fetch(analytics));`, with the handler's own context:
 * the third parameter of a module fetch handler (added when missing), `c.executionCtx` in a
 * router handler, `event` in a service-worker listener, `this.ctx` in a class, `context` in Pages.
 * Undefined when the handler's shape gives no context to use.
 */
export function waitUntilFix(
  statement: ts.ExpressionStatement,
  handler: ts.FunctionLikeDeclaration,
  form: string,
  file: string,
): Fix | undefined {
  const awaited = statement.expression;
  if (!ts.isAwaitExpression(awaited)) return undefined;
  const sourceFile = statement.getSourceFile();
  // Code that does not parse is being typed: an edit computed from its broken tree could make it worse.
  const parseErrors = (sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  if (parseErrors && parseErrors.length > 0) return undefined;
  const context = contextFor(handler, form);
  if (!context) return undefined;
  const callText = awaited.expression.getText(sourceFile);
  const hasSemicolon = statement.getText(sourceFile).endsWith(";");
  const call = `${context.expression ? context.expression + "." : ""}waitUntil`;
  const edits: TextEdit[] = [
    { start: statement.getStart(sourceFile), end: statement.getEnd(), newText: `${call}(${callText})${hasSemicolon ? ";" : ""}` },
  ];
  if (context.addParameters) edits.push(context.addParameters);
  return singleFileFix(`Move into ${call}(...)`, file, edits, true);
}

function contextFor(handler: ts.FunctionLikeDeclaration, form: string): { expression: string; addParameters?: TextEdit } | undefined {
  const params = handler.parameters;
  const nameOf = (index: number): string | undefined => {
    const p = params[index]?.name;
    return p && ts.isIdentifier(p) ? p.text : undefined;
  };
  if (ts.isMethodDeclaration(handler) && ts.isClassLike(handler.parent)) return { expression: "this.ctx" };
  if (form.startsWith("addEventListener")) {
    const event = nameOf(0);
    return event ? { expression: event } : undefined;
  }
  if (form.startsWith("Pages")) {
    const first = params[0]?.name;
    if (first && ts.isIdentifier(first)) return { expression: first.text };
    if (first && ts.isObjectBindingPattern(first) && first.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === "waitUntil"))
      return { expression: "" };
    return undefined;
  }
  if (form.includes("router")) {
    const c = nameOf(0);
    return c ? { expression: `${c}.executionCtx` } : undefined;
  }
  // A module Worker's fetch(request, env, ctx).
  const ctx = nameOf(2);
  if (ctx) return { expression: ctx };
  if (params[2]) return undefined; // destructured: no single name to use
  const missing = ["request", "env", "ctx"].slice(params.length);
  const names = missing.map((n, i) => (i < missing.length - 1 ? `_${n}` : n));
  const at = params.end;
  return { expression: "ctx", addParameters: { start: at, end: at, newText: `${params.length > 0 ? ", " : ""}${names.join(", ")}` } };
}
