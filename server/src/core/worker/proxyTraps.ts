import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, type FunctionRef } from "./syntax";
import type { ValueRef } from "./valuesCore";

const {
  SyntaxKind,
  isArrayLiteralExpression,
  isAwaitExpression,
  isCallExpression,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isSpreadElement,
  isVariableDeclaration,
} = ts;

const MAX_DEPTH = 6;

/**
 * What a method call on a JavaScript `Proxy` of the project runs. A client made as
 * `new Proxy(target, { get(target, prop) { if (prop in target) return Reflect.get(...); return (...args) => target.request(prop, ...args) } })`
 * (a Telegram Bot API wrapper whose every method name is an API method) answers `api.sendMessage(params)`
 * with the target's own method when its class has one, and otherwise with the functions its `get`
 * trap returns. The proxy is found through variables, fields (`this.api`) and what project
 * functions return (`createBotApi(token)`). Undefined when the receiver is no such proxy.
 */
export function proxiedMethod(
  ctx: AnalysisContext,
  callee: ts.PropertyAccessExpression,
  module: ModuleFacts,
): { readonly functions: readonly FunctionRef[]; readonly trap?: FunctionRef; readonly target: ValueRef } | undefined {
  const proxy = proxyHeld(ctx, unwrapExpression(callee.expression), module, 0, new Set());
  if (!proxy) return undefined;
  const { target, handler } = proxy;
  const method = callee.name.text;
  // `prop in target` / `Reflect.get(target, prop)`: the target's own method, when its class has one.
  const instance = ctx.values.classOfInstance(target.expression, target.module);
  const own = instance ? ctx.values.methodOf(instance, method) : undefined;
  if (own) return { functions: [own], target };
  const trap = getTrap(ctx, handler.expression as ts.ObjectLiteralExpression, handler.module);
  if (!trap) return undefined;
  const functions = ctx.values
    .returnedValues(trap.fn, trap.module)
    .map((r) => ctx.values.functionFrom(r.expression, r.module))
    .filter((f): f is FunctionRef => f !== undefined && f.fn.body !== undefined);
  return functions.length > 0 ? { functions, trap, target } : undefined;
}

/** The `new Proxy(target, handler)` an expression holds, with the handler an object literal. */
function proxyHeld(
  ctx: AnalysisContext,
  value: ts.Expression,
  module: ModuleFacts,
  depth: number,
  seen: Set<ts.Node>,
): { target: ValueRef; handler: ValueRef } | undefined {
  if (depth > MAX_DEPTH || seen.has(value)) return undefined;
  seen.add(value);
  if (isAwaitExpression(value)) return proxyHeld(ctx, unwrapExpression(value.expression), module, depth + 1, seen);
  if (isNewExpression(value)) {
    const callee = unwrapExpression(value.expression);
    if (!isIdentifier(callee) || callee.text !== "Proxy" || declarationOf(callee) || module.imports.has("Proxy")) return undefined;
    const [target, handler] = value.arguments ?? [];
    if (!target || !handler || isSpreadElement(target)) return undefined;
    const literal = objectLiteral(unwrapExpression(handler));
    return literal ? { target: { expression: target, module }, handler: { expression: literal, module } } : undefined;
  }
  let sources: readonly ValueRef[] = [];
  // (A parameter is not followed: what its calls pass is read only while arguments are, which would
  // keep the walk of every helper that calls a method on one from being shared.)
  if (isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (declaration && ts.isParameter(declaration)) return undefined;
    sources = ctx.values.valuesOf(value, module);
  } else if (isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword)
    sources = ctx.values.thisMemberValues(value, module);
  else if (isCallExpression(value)) {
    const called = ctx.values.calledFunction(unwrapExpression(value.expression), module);
    if (called) sources = ctx.values.returnedValues(called.fn, called.module);
  }
  for (const source of sources) {
    const found = proxyHeld(ctx, unwrapExpression(source.expression), source.module, depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}

/** An object literal written there or held by a `const`. */
function objectLiteral(value: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (isObjectLiteralExpression(value)) return value;
  const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
  if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
    const init = unwrapExpression(declaration.initializer);
    return isObjectLiteralExpression(init) ? init : undefined;
  }
  return undefined;
}

/** The handler's `get` trap: a method or a function-valued property. */
function getTrap(ctx: AnalysisContext, handler: ts.ObjectLiteralExpression, module: ModuleFacts): FunctionRef | undefined {
  for (const property of handler.properties) {
    if (!property.name || !isIdentifier(property.name) || property.name.text !== "get") continue;
    if (isMethodDeclaration(property)) return { fn: property, module };
    if (isPropertyAssignment(property)) return ctx.values.functionFrom(property.initializer, module);
  }
  return undefined;
}

/**
 * `Reflect.apply(fn, thisArg, [a, ...rest])`: the function called and the arguments it is given
 * (those written before any spread). Undefined for any other call.
 */
export function reflectApply(
  node: ts.CallExpression,
  module: ModuleFacts,
): { readonly fn: ts.Expression; readonly args: readonly ts.Expression[] } | undefined {
  const callee = unwrapExpression(node.expression);
  if (
    !isPropertyAccessExpression(callee) ||
    callee.name.text !== "apply" ||
    !isIdentifier(callee.expression) ||
    callee.expression.text !== "Reflect" ||
    declarationOf(callee.expression) ||
    module.imports.has("Reflect")
  )
    return undefined;
  const [fn, , list] = node.arguments;
  if (!fn || isSpreadElement(fn)) return undefined;
  const given = list ? unwrapExpression(list) : undefined;
  const args: ts.Expression[] = [];
  if (given && isArrayLiteralExpression(given))
    for (const element of given.elements) {
      if (isSpreadElement(element)) break;
      args.push(element);
    }
  return { fn, args };
}
