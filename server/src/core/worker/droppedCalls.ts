import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { findAncestor, isAsync } from "./syntax";
import { handsResponseBodyWriter } from "./streamProducers";

const { SyntaxKind, forEachChild, isCallExpression, isIdentifier } = ts;

/**
 * `markAsRead(token, id);` (or `void markAsRead(...)`) as a statement of its own in an async function, where the call
 * runs one of the project's `async` functions: its promise is dropped, so nothing on the response
 * path waits for it. The function's requests start and the response goes out without them:
 * fire-and-forget, walked off the path like waitUntil's argument. Not when the function may answer
 * the request itself (`event.respondWith` inside it) or the call is a middleware's `next()`.
 */
export function isDroppedAsyncCall(ctx: AnalysisContext, statement: ts.ExpressionStatement, module: ModuleFacts): boolean {
  let value = unwrapExpression(statement.expression);
  if (value.kind === SyntaxKind.VoidExpression) value = unwrapExpression((value as ts.VoidExpression).expression);
  if (!isCallExpression(value)) return false;
  // Only where the caller could have awaited it (an async function): a call dropped in a synchronous
  // callback (`useEffect(() => { save(); })`) is left as it was counted.
  const caller = findAncestor(statement, ts.isFunctionLike);
  if (!caller || !("body" in caller) || !isAsync(caller as ts.FunctionLikeDeclaration)) return false;
  // A function of the project called by its name. Not a method (`ctx.waitUntil(...)`, `console.log(...)`)
  // nor a parameter (`next()`, a callback): asking what a parameter holds reads the callers'
  // arguments, which would stop the walk's summary from being kept and shared.
  const callee = unwrapExpression(value.expression);
  if (!isIdentifier(callee) || callee.text === "next" || isParameterName(callee)) return false;
  // `pump(writer);` writing the body of the streamed response: the client waits for it (see streamProducers.ts).
  if (handsResponseBodyWriter(value.arguments)) return false;
  const called = ctx.values.calledFunction(callee, module);
  if (!called || !isAsync(called.fn) || !called.fn.body) return false;
  return !mentionsRespondWith(called.fn.body);
}

/** Whether a name is a parameter of a function around it. */
function isParameterName(name: ts.Identifier): boolean {
  for (let node: ts.Node | undefined = name.parent; node; node = node.parent)
    if (ts.isFunctionLike(node) && node.parameters.some((p) => isIdentifier(p.name) && p.name.text === name.text)) return true;
  return false;
}

function mentionsRespondWith(node: ts.Node): boolean {
  if (isIdentifier(node) && node.text === "respondWith") return true;
  return forEachChild(node, mentionsRespondWith) ?? false;
}
