import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf } from "../syntax";

/** The functions of React Router / Remix that make a redirect Response. */
const REDIRECTS = new Set(["redirect", "redirectDocument", "replace"]);

function isRouterPackage(specifier: string): boolean {
  return specifier.startsWith("@remix-run/") || specifier === "react-router" || specifier === "react-router-dom";
}

/** `redirect("/x")` (awaited or not) of a React Router / Remix package, by its import. */
function isRedirectCall(expression: ts.Expression, module: ModuleFacts): boolean {
  let value = unwrapExpression(expression);
  if (ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
  if (!ts.isCallExpression(value)) return false;
  const callee = unwrapExpression(value.expression);
  if (!ts.isIdentifier(callee) || declarationOf(callee)) return false;
  const imported = module.imports.get(callee.text);
  return imported !== undefined && REDIRECTS.has(imported.name) && isRouterPackage(imported.module);
}

/**
 * Whether every way out of a route action is a returned or thrown `redirect(...)`: then a document
 * POST answers with the redirect and runs no loaders in that request. Anything else (data, `null`,
 * a thrown error or non-redirect Response, an end that may be reached without a return, a redirect
 * made some other way) is taken as rendering the route's loaders after the action, as the
 * framework does for data and, up to the error boundary, for errors.
 */
export function actionAlwaysRedirects(fn: ts.FunctionLikeDeclaration, module: ModuleFacts): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isRedirectCall(body, module);
  const last = body.statements[body.statements.length - 1];
  if (!last || !(ts.isReturnStatement(last) || ts.isThrowStatement(last))) return false;
  let all = true;
  const visit = (node: ts.Node): void => {
    if (!all) return;
    // A nested function's returns and throws are its own.
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      if (!node.expression || !isRedirectCall(node.expression, module)) all = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return all;
}
