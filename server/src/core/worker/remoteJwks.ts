import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, findAncestor } from "./syntax";

const {
  SyntaxKind,
  isBinaryExpression,
  isCallExpression,
  isConditionalExpression,
  isIdentifier,
  isParameter,
  isPropertyAccessExpression,
  isVariableDeclaration,
} = ts;

/** jose's functions that take a key or a key resolver second (`jwtVerify(token, jwks)`). */
const VERIFIERS = new Set(["jwtVerify", "jwtDecrypt", "compactVerify", "flattenedVerify", "generalVerify"]);

/** How many values one question follows. */
const MAX_STEPS = 40;

/**
 * A jose verification whose key is a remote key set (`jwtVerify(token, createRemoteJWKSet(url))`):
 * the set fetches its JWKS at its first use and keeps it in that instance (jose's cache: ten minutes
 * by default). Made inside a function (per request), the verification fetches: `url` is the JWKS
 * URL, in `module`. Made at module level, or kept in a module-level variable (`jwks ??=
 * createRemoteJWKSet(url)`), the set outlives the request and its fetch is the isolate's first
 * request's only: `cached`. Undefined for any other call (a local key: `importJWK`, a secret).
 */
export function remoteKeySetOf(
  ctx: AnalysisContext,
  call: ts.CallExpression,
  module: ModuleFacts,
): { readonly url: ts.Expression | undefined; readonly module: ModuleFacts; readonly cached: boolean } | undefined {
  if (!isJoseFunction(unwrapExpression(call.expression), module, VERIFIERS) || call.arguments.length < 2) return undefined;
  const seen = new Set<ts.Node>();
  let steps = 0;

  type Found = { url: ts.Expression | undefined; module: ModuleFacts; cached: boolean } | undefined;
  const find = (expression: ts.Expression, module: ModuleFacts, cached: boolean): Found => {
    const value = unwrapExpression(expression);
    if (seen.has(value) || ++steps > MAX_STEPS) return undefined;
    seen.add(value);
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      if (isJoseFunction(callee, module, CREATE_REMOTE))
        return { url: value.arguments[0], module, cached: cached || findAncestor(value, ts.isFunctionLike) === undefined };
      const helper = ctx.values.calledFunction(callee, module);
      if (!helper) return undefined;
      return firstOf(ctx.values.returnedValues(helper.fn, helper.module), cached);
    }
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) return firstOf(ctx.values.argumentsPassedFor(declaration), cached);
      // A variable of the module (not of a function) outlives the request: what it holds is cached.
      const atModuleLevel =
        !!declaration && isVariableDeclaration(declaration) && findAncestor(declaration, ts.isFunctionLike) === undefined;
      return firstOf(ctx.values.valuesOf(value, module), cached || atModuleLevel);
    }
    if (isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword)
      return firstOf(ctx.values.thisMemberValues(value, module), cached);
    // `cached ??= createRemoteJWKSet(url)`, `jwks = ...`: the value assigned, kept where the left side lives.
    if (isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (
        operator === SyntaxKind.EqualsToken ||
        operator === SyntaxKind.QuestionQuestionEqualsToken ||
        operator === SyntaxKind.BarBarEqualsToken
      ) {
        const left = unwrapExpression(value.left);
        const declaration = isIdentifier(left) ? declarationOf(left) : undefined;
        const kept = !!declaration && isVariableDeclaration(declaration) && findAncestor(declaration, ts.isFunctionLike) === undefined;
        return find(value.right, module, cached || kept);
      }
      if (operator === SyntaxKind.QuestionQuestionToken || operator === SyntaxKind.BarBarToken)
        return find(value.left, module, cached) ?? find(value.right, module, cached);
      return undefined;
    }
    if (isConditionalExpression(value)) return find(value.whenTrue, module, cached) ?? find(value.whenFalse, module, cached);
    return undefined;
  };
  const firstOf = (values: ReadonlyArray<{ expression: ts.Expression; module: ModuleFacts }>, cached: boolean): Found => {
    for (const v of values) {
      const found = find(v.expression, v.module, cached);
      if (found) return found;
    }
    return undefined;
  };
  return find(call.arguments[1]!, module, false);
}

const CREATE_REMOTE = new Set(["createRemoteJWKSet"]);

/** `jwtVerify` imported from jose, or `jose.jwtVerify` on its namespace (`import * as jose from "jose"`). */
function isJoseFunction(callee: ts.Expression, module: ModuleFacts, names: ReadonlySet<string>): boolean {
  if (isIdentifier(callee)) {
    const imported = module.imports.get(callee.text);
    return imported?.module === "jose" && names.has(imported.name) && !declarationOf(callee);
  }
  if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && names.has(callee.name.text)) {
    const imported = module.imports.get(callee.expression.text);
    return imported?.module === "jose" && imported.name === "*";
  }
  return false;
}
