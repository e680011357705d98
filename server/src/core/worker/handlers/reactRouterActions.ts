import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf } from "../syntax";

/** The frameworks whose form actions render the page after them in a document POST. */
export type ActionFramework = "react-router" | "sveltekit";

/** The functions of each framework that make a redirect, and whether a package is that framework's. */
const REDIRECTS: Readonly<Record<ActionFramework, { names: ReadonlySet<string>; isPackage: (specifier: string) => boolean }>> = {
  "react-router": {
    names: new Set(["redirect", "redirectDocument", "replace"]),
    isPackage: (specifier) => specifier.startsWith("@remix-run/") || specifier === "react-router" || specifier === "react-router-dom",
  },
  sveltekit: { names: new Set(["redirect"]), isPackage: (specifier) => specifier === "@sveltejs/kit" },
};

/** `redirect("/x")` (awaited or not) of the framework's package, by its import. */
function isRedirectCall(expression: ts.Expression, module: ModuleFacts, framework: ActionFramework): boolean {
  let value = unwrapExpression(expression);
  if (ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
  if (!ts.isCallExpression(value)) return false;
  const callee = unwrapExpression(value.expression);
  if (!ts.isIdentifier(callee) || declarationOf(callee)) return false;
  const imported = module.imports.get(callee.text);
  const { names, isPackage } = REDIRECTS[framework];
  return imported !== undefined && names.has(imported.name) && isPackage(imported.module);
}

/**
 * A statement that leaves the action with a redirect by itself: SvelteKit 2's `redirect(303, "/")`
 * throws, so the call alone, without `throw`, ends the action.
 */
function isRedirectStatement(statement: ts.Statement, module: ModuleFacts, framework: ActionFramework): boolean {
  return framework === "sveltekit" && ts.isExpressionStatement(statement) && isRedirectCall(statement.expression, module, framework);
}

/**
 * Whether every way out of a route action is a returned or thrown `redirect(...)`: then a document
 * POST answers with the redirect and runs no loaders in that request. Anything else (data, `null`,
 * a thrown error or non-redirect Response, an end that may be reached without a return, a redirect
 * made some other way) is taken as rendering the route's loaders after the action, as the
 * framework does for data and, up to the error boundary, for errors (SvelteKit's `fail(...)`
 * renders the page again too).
 */
export function actionAlwaysRedirects(
  fn: ts.FunctionLikeDeclaration,
  module: ModuleFacts,
  framework: ActionFramework = "react-router",
): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isRedirectCall(body, module, framework);
  const last = body.statements[body.statements.length - 1];
  if (!last || !(ts.isReturnStatement(last) || ts.isThrowStatement(last) || isRedirectStatement(last, module, framework))) return false;
  let all = true;
  const visit = (node: ts.Node): void => {
    if (!all) return;
    // A nested function's returns and throws are its own.
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      if (!node.expression || !isRedirectCall(node.expression, module, framework)) all = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return all;
}
