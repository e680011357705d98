// Once-only work guarded by a flag on an object rather than at module level: a method that returns
// at once when its instance has done the work (`if (this.ensured.schema) return; ...;
// this.ensured.schema = true`), and a helper that keeps its result on the object it is given (`if
// (ctx.scope) return ctx.scope; ctx.scope = await resolveScope(ctx)`). On one object the work runs
// the first time only, so on a path that reaches it twice through the same object it counts once
// (see flow.ts `once`). Only syntax is read here; walkFunctions.ts and walkStatements.ts apply it.
import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf } from "./syntax";

const { SyntaxKind, isIdentifier, isPropertyAccessExpression } = ts;

/** Where a function's once-only flag lives: on its instance (`this.x`) or on one of its parameters (`ctx.x`). */
export type ObjectFlag =
  | { readonly on: "this"; readonly flag: ts.Expression }
  | { readonly on: "parameter"; readonly flag: ts.Expression; readonly index: number };

/** The root of a chain of property reads (`this` of `this.a.b`, `ctx` of `ctx.scope`), and whether there was at least one read. */
function chainRoot(expression: ts.Expression): { root: ts.Expression; read: boolean } {
  let root = unwrapExpression(expression);
  let read = false;
  while (isPropertyAccessExpression(root)) {
    root = unwrapExpression(root.expression);
    read = true;
  }
  return { root, read };
}

/** The class member a `this` belongs to: arrow functions keep their outer `this`; another function has its own. */
function thisOwner(node: ts.Node): ts.Node | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isArrowFunction(at)) continue;
    if (ts.isFunctionLike(at) || ts.isPropertyDeclaration(at) || ts.isClassStaticBlockDeclaration(at)) return at;
    if (ts.isSourceFile(at)) return undefined;
  }
  return undefined;
}

/**
 * A flag read on an object: `this.ready`, `this.ensured.schema` in a class's method (not in a
 * `function` of its own, whose `this` is another), or `ctx.cached` read on a parameter of `fn`.
 * Undefined for anything else (a bare `this` or parameter is not a flag).
 */
export function objectFlag(expression: ts.Expression, fn: ts.FunctionLikeDeclaration): ObjectFlag | undefined {
  const flag = unwrapExpression(expression);
  const { root, read } = chainRoot(flag);
  if (!read) return undefined;
  if (root.kind === SyntaxKind.ThisKeyword) {
    const owner = thisOwner(root);
    const member = owner && (ts.isMethodDeclaration(owner) || ts.isGetAccessorDeclaration(owner) || ts.isPropertyDeclaration(owner));
    return member && ts.isClassLike(owner.parent) ? { on: "this", flag } : undefined;
  }
  if (!isIdentifier(root)) return undefined;
  const declaration = declarationOf(root);
  if (!declaration || !ts.isParameter(declaration) || declaration.parent !== fn) return undefined;
  return { on: "parameter", flag, index: fn.parameters.indexOf(declaration) };
}

/**
 * The object a call's once-only work is keyed on, as text (`db`, `ctx`; `this` for a call from
 * another method of the same instance), or undefined when each call may be given another object:
 * a value made there (`new Client().init()`), or a name that holds a new one on each iteration of
 * a loop or each call of a callback (`for (const c of clients) await c.init()`,
 * `items.map((item) => load(item))`).
 */
export function onceObject(object: ts.Expression | undefined, call: ts.Node): string | undefined {
  if (!object) return undefined;
  const value = unwrapExpression(object);
  const { root } = chainRoot(value);
  if (root.kind === SyntaxKind.ThisKeyword) return value.getText();
  if (!isIdentifier(root)) return undefined;
  const declaration = declarationOf(root);
  if (!declaration) return undefined;
  for (let at: ts.Node | undefined = declaration.parent; at; at = at.parent) {
    // Declared by a loop or inside one that the call is in too: a new object each time round.
    if (ts.isIterationStatement(at, false) && isWithin(call, at)) return undefined;
    if (ts.isFunctionLike(at)) {
      // A parameter of a callback (`(item) => ...` given to a call): each call may pass another object.
      const given = ts.isParameter(declaration) && declaration.parent === at && at.parent && ts.isCallOrNewExpression(at.parent);
      if (given) return undefined;
      break;
    }
  }
  return value.getText();
}

function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let at: ts.Node | undefined = node; at; at = at.parent) if (at === ancestor) return true;
  return false;
}
