import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { dirname } from "../fs";
import { nearestManifest } from "./handlers/frameworks";
import { isKnownLibraryModule } from "./sdks";
import { chainRoot, declarationOf, isEnvLike, localFunction } from "./syntax";

const {
  SyntaxKind,
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isBinaryExpression,
  isCallExpression,
  isConditionalExpression,
  isElementAccessExpression,
  isFunctionExpression,
  isIdentifier,
  isNoSubstitutionTemplateLiteral,
  isNumericLiteral,
  isObjectLiteralExpression,
  isParameter,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteral,
  isTemplateExpression,
  isVariableDeclaration,
  isNewExpression,
} = ts;

/**
 * Globals that do their work in the Worker: a call on them, computed or not (`console[level](...)`,
 * `Math[op](a, b)`), is never a subrequest. `crypto.subtle` works locally too.
 */
export const NON_NETWORK_GLOBALS: ReadonlySet<string> = new Set([
  "console",
  "Math",
  "JSON",
  "Object",
  "Array",
  "String",
  "Number",
  "Boolean",
  "BigInt",
  "Symbol",
  "Date",
  "Intl",
  "Reflect",
  "Atomics",
  "crypto",
  "performance",
  "structuredClone",
  "encodeURIComponent",
  "decodeURIComponent",
  "parseInt",
  "parseFloat",
  "atob",
  "btoa",
]);

/** Whether a callee's root is one of the non-network globals, not shadowed by a name of the module. */
export function isNonNetworkGlobalCall(callee: ts.Expression, module: ModuleFacts): boolean {
  const root = chainRoot(unwrapExpression(callee));
  if (!root || !isIdentifier(root) || !NON_NETWORK_GLOBALS.has(root.text)) return false;
  return !declarationOf(root) && !localFunction(root) && !module.imports.has(root.text);
}

/** Names that hold the request or its context in handlers (`c` in Hono, `ctx`, `event`). */
const REQUEST_LIKE_NAMES = /^(req|request|r|c|ctx|context|event|evt|e|args|env|bindings|platform|locals)$/i;

/** Names of parameters that hold a client, a binding or a connection rather than data. */
const CLIENT_LIKE_NAMES =
  /^(db|database|client|sql|pool|prisma|supabase|redis|kv|cache|bucket|stub|api|sdk|conn|connection|tx|session|store|storage|fetcher|http)$/i;

const MAX_DEPTH = 6;

/** Objects made with `new` that are data, not clients. */
const DATA_CLASSES: ReadonlySet<string> = new Set([
  "URL",
  "URLSearchParams",
  "Date",
  "Map",
  "Set",
  "Headers",
  "TextEncoder",
  "TextDecoder",
]);

/** The root of a chain of member accesses and method calls: `url` in `url.searchParams.get("q").trim()`. */
function accessRoot(expression: ts.Expression): ts.Expression {
  let current = unwrapExpression(expression);
  for (let i = 0; i < 64; i++) {
    if (isPropertyAccessExpression(current) || isElementAccessExpression(current)) current = unwrapExpression(current.expression);
    else if (isCallExpression(current)) {
      const callee = unwrapExpression(current.expression);
      if (!isPropertyAccessExpression(callee) && !isElementAccessExpression(callee)) return current;
      current = unwrapExpression(callee.expression);
    } else return current;
  }
  return current;
}

/** A read of the incoming request: `request.url`, `request.headers.get("x")`, `request.json()`. */
function readsRequest(ctx: AnalysisContext, expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (!(isPropertyAccessExpression(value) || isElementAccessExpression(value) || isCallExpression(value))) return false;
  const root = accessRoot(value);
  return root !== value && ctx.values.isIncomingRequest(root);
}

/** A package of the repository: a Wrangler `alias` key, or one the workspace (or a `workspace:` dependency) names. */
function isRepositoryPackage(ctx: AnalysisContext, specifier: string, module: ModuleFacts): boolean {
  if (ctx.loader.aliasOf(specifier)) return true;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  const dir = dirname(module.path);
  return !!nearestManifest(ctx.input.fs, dir)?.localDependencies.has(name) || ctx.loader.resolver.workspacePackages(dir).has(name);
}

/** A response's plain fields: its status code, its success flag, its status text. */
const RESPONSE_FIELDS: ReadonlySet<string> = new Set(["status", "ok", "statusText"]);

/** The names of a body's readers: `res.json()`, `res.text()`, ... (a request's or a response's). */
const BODY_READS: ReadonlySet<string> = new Set(["json", "text", "formData", "arrayBuffer", "blob"]);

/** `x.json()` and the other body readers, with no arguments. */
function isBodyRead(value: ts.Expression): boolean {
  return (
    isCallExpression(value) &&
    value.arguments.length === 0 &&
    isPropertyAccessExpression(value.expression) &&
    BODY_READS.has(value.expression.name.text)
  );
}

/** A call of a project function every return of which is plain data (awaited, so an async function's result). */
function returnsPlainData(ctx: AnalysisContext, call: ts.CallExpression, module: ModuleFacts, depth: number): boolean {
  const fn = ctx.values.calledFunction(unwrapExpression(call.expression), module);
  if (!fn || !fn.fn.body) return false;
  const returned = ctx.values.returnedValues(fn.fn, fn.module);
  return returned.length > 0 && returned.every((r) => isPlainValue(ctx, r.expression, r.module, depth + 1));
}

/**
 * Whether values are plain data: literals, objects and arrays of them, strings that are not URLs,
 * and names that hold only such values (a parameter that is not the request or its context
 * counts as data). A URL, the request, an env binding, a function, an object made with `new` or
 * returned by a call (a client) are not plain: code given one of them may make round trips.
 */
export function arePlainValues(ctx: AnalysisContext, values: readonly ts.Expression[], module: ModuleFacts, depth = 0): boolean {
  return values.every((value) => isPlainValue(ctx, value, module, depth));
}

function isPlainValue(ctx: AnalysisContext, expression: ts.Expression, module: ModuleFacts, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const value = unwrapExpression(expression);
  if (isSpreadElement(value)) return isPlainValue(ctx, value.expression, module, depth + 1);
  if (
    isNumericLiteral(value) ||
    value.kind === SyntaxKind.TrueKeyword ||
    value.kind === SyntaxKind.FalseKeyword ||
    value.kind === SyntaxKind.NullKeyword ||
    value.kind === SyntaxKind.UndefinedKeyword ||
    (isIdentifier(value) && value.text === "undefined")
  )
    return true;
  if (isPrefixUnaryExpression(value)) return isPlainValue(ctx, value.operand, module, depth + 1);
  if (isStringLiteral(value) || isNoSubstitutionTemplateLiteral(value) || isTemplateExpression(value) || isBinaryExpression(value)) {
    if (isBinaryExpression(value) && value.operatorToken.kind !== SyntaxKind.PlusToken)
      return isPlainValue(ctx, value.left, module, depth + 1) && isPlainValue(ctx, value.right, module, depth + 1);
    const text = ctx.values.evaluateString(value, 0);
    if (text !== undefined && text.includes("://")) return false;
    if (isTemplateExpression(value)) return value.templateSpans.every((span) => isPlainValue(ctx, span.expression, module, depth + 1));
    if (isBinaryExpression(value))
      return isPlainValue(ctx, value.left, module, depth + 1) && isPlainValue(ctx, value.right, module, depth + 1);
    return true;
  }
  if (isConditionalExpression(value))
    return isPlainValue(ctx, value.whenTrue, module, depth + 1) && isPlainValue(ctx, value.whenFalse, module, depth + 1);
  if (isArrayLiteralExpression(value)) return value.elements.every((e) => isPlainValue(ctx, e, module, depth + 1));
  if (isObjectLiteralExpression(value))
    return value.properties.every((property) => {
      if (isPropertyAssignment(property)) return isPlainValue(ctx, property.initializer, module, depth + 1);
      if (isShorthandPropertyAssignment(property)) return isPlainValue(ctx, property.name, module, depth + 1);
      if (isSpreadAssignment(property)) return isPlainValue(ctx, property.expression, module, depth + 1);
      return false; // methods and accessors are functions
    });
  if (isArrowFunction(value) || isFunctionExpression(value)) return false;
  // `await request.json()`: what the request's body holds is data, as what a response's body holds
  // (`await res.json()`, `res.text()`: a body read, its data). What a project function gives back
  // when everything it returns is plain data (`return { ok: false, reason: "expired" }`) is data.
  // Anything else awaited may be a client.
  if (isAwaitExpression(value)) {
    const awaited = unwrapExpression(value.expression);
    if (readsRequest(ctx, awaited) || isBodyRead(awaited)) return true;
    return isCallExpression(awaited) && returnsPlainData(ctx, awaited, module, depth);
  }
  if (ctx.values.isIncomingRequest(value) || ctx.values.bindingOf(value) || isEnvLike(value)) return false;
  if (isNewExpression(value)) return isIdentifier(value.expression) && DATA_CLASSES.has(value.expression.text);
  if (isPropertyAccessExpression(value) || isElementAccessExpression(value) || isCallExpression(value)) {
    const callee = isCallExpression(value) ? unwrapExpression(value.expression) : undefined;
    // `String(x)`, `JSON.stringify(x)`: local work on plain values.
    if (isCallExpression(value) && callee && isNonNetworkGlobalCall(callee, module))
      return arePlainValues(ctx, value.arguments, module, depth + 1);
    // `validateJson(schema, body)` of a package of the repository that is not there to read (not a
    // library the analyser knows), given plain data: taken as local work (see unreadPackageCalls.ts), its result data.
    if (isCallExpression(value) && callee && isIdentifier(callee) && !declarationOf(callee)) {
      const imported = module.imports.get(callee.text);
      return (
        !!imported &&
        value.arguments.length > 0 &&
        !imported.module.startsWith(".") &&
        !isKnownLibraryModule(imported.module) &&
        isRepositoryPackage(ctx, imported.module, module) &&
        !ctx.loader.moduleFor(imported.module, module) &&
        arePlainValues(ctx, value.arguments, module, depth + 1)
      );
    }
    if (callee && !isPropertyAccessExpression(callee) && !isElementAccessExpression(callee)) return false;
    // `res.status`, `res.ok`, `res.statusText` of a response: a number, a flag, a text.
    if (isPropertyAccessExpression(value) && RESPONSE_FIELDS.has(value.name.text)) return true;
    // `user.name`, `body.items[0]`, `text.trim()`, `url.searchParams.get("q")`, `request.headers.get("x")`:
    // what plain data or the request holds is plain data.
    const root = accessRoot(value);
    if (readsRequest(ctx, value)) return true;
    if (isNewExpression(root)) return isPlainValue(ctx, root, module, depth + 1);
    if (!isIdentifier(root) || isEnvLike(root)) return false;
    return isPlainValue(ctx, root, module, depth + 1);
  }
  if (!isIdentifier(value)) return false;
  if (REQUEST_LIKE_NAMES.test(value.text)) return false;
  // Something a package exports (a dictionary, a constant); what the project exports may be a client.
  const imported = module.imports.get(value.text);
  if (imported) return !imported.module.startsWith(".") && !ctx.loader.moduleFor(imported.module, module);
  const declaration = declarationOf(value);
  if (!declaration) return false;
  // A parameter is data, unless its name says it holds a client or a binding.
  if (isParameter(declaration)) return !CLIENT_LIKE_NAMES.test(value.text);
  // `catch (error)`: what was thrown, an error.
  if (isVariableDeclaration(declaration) && ts.isCatchClause(declaration.parent)) return true;
  if (localFunction(value)) return false;
  if (!isVariableDeclaration(declaration)) return false;
  const sources = ctx.values.valuesOf(value, module, depth);
  return sources.length > 0 && sources.every((source) => isPlainValue(ctx, source.expression, source.module, depth + 1));
}
