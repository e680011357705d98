// A producer that writes a streamed response's body: `const { readable, writable } = new
// TransformStream(); const writer = writable.getWriter(); (async () => { ... await
// writer.write(...) ... })(); return new Response(readable)`. Nobody awaits the producer, but the
// client reads the body it writes until it closes it: what it does before the end is on the path of
// the request, as a ReadableStream's start() is (see streamSources.ts).

import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf, findAncestor, isConstDeclaration } from "./syntax";

const {
  forEachChild,
  isArrowFunction,
  isBindingElement,
  isCallExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isNewExpression,
  isObjectBindingPattern,
  isPropertyAccessExpression,
  isVariableDeclaration,
} = ts;

/** The declaration of a platform `new TransformStream(...)` an expression's name holds, if any. */
function transformStreamOf(expression: ts.Expression): ts.VariableDeclaration | undefined {
  const value = unwrapExpression(expression);
  if (!isIdentifier(value)) return undefined;
  const declaration = declarationOf(value);
  if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  return isPlatformTransformStream(declaration.initializer) ? declaration : undefined;
}

function isPlatformTransformStream(expression: ts.Expression): boolean {
  const made = unwrapExpression(expression);
  if (!isNewExpression(made)) return false;
  const callee = unwrapExpression(made.expression);
  return isIdentifier(callee) && callee.text === "TransformStream" && !declarationOf(callee);
}

/**
 * The TransformStream whose side `side` ("readable" or "writable") an expression is: `writable` of
 * `const { readable, writable } = new TransformStream()`, or `stream.writable` of `const stream =
 * new TransformStream()`. Undefined for anything else.
 */
function streamSide(expression: ts.Expression, side: string): ts.VariableDeclaration | undefined {
  const value = unwrapExpression(expression);
  if (isPropertyAccessExpression(value)) return value.name.text === side ? transformStreamOf(value.expression) : undefined;
  if (!isIdentifier(value)) return undefined;
  const element = declarationOf(value);
  if (!element || !isBindingElement(element) || !isObjectBindingPattern(element.parent)) return undefined;
  const key = element.propertyName ?? element.name;
  if (!isIdentifier(key) || key.text !== side) return undefined;
  const holder = element.parent.parent;
  return isVariableDeclaration(holder) && holder.initializer && isPlatformTransformStream(holder.initializer) ? holder : undefined;
}

/**
 * The TransformStream a name writes to: the writable side itself, or a writer got from it (`const
 * writer = writable.getWriter()`).
 */
function writtenStream(name: ts.Identifier): ts.VariableDeclaration | undefined {
  const direct = streamSide(name, "writable");
  if (direct) return direct;
  const declaration = declarationOf(name);
  if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const init = unwrapExpression(declaration.initializer);
  if (!isCallExpression(init) || !isPropertyAccessExpression(init.expression) || init.expression.name.text !== "getWriter")
    return undefined;
  return streamSide(init.expression.expression, "writable");
}

/**
 * The streams a function writes to, itself or through a local helper it calls by name (`sendEvent`,
 * a `const` arrow next to it that writes): one level of helpers.
 */
function streamsWritten(fn: ts.Node, depth: number, out: Set<ts.VariableDeclaration>, seen = new Set<ts.Node>([fn])): void {
  const visit = (node: ts.Node): void => {
    if (isIdentifier(node)) {
      const stream = writtenStream(node);
      if (stream) out.add(stream);
      else if (depth === 0) {
        const declaration = declarationOf(node);
        const helper =
          declaration && isFunctionDeclaration(declaration)
            ? declaration
            : declaration && isVariableDeclaration(declaration) && isConstDeclaration(declaration) && declaration.initializer
              ? unwrapExpression(declaration.initializer)
              : undefined;
        if (helper && (isArrowFunction(helper) || isFunctionExpression(helper) || isFunctionDeclaration(helper)) && !seen.has(helper)) {
          seen.add(helper);
          streamsWritten(helper, depth + 1, out, seen);
        }
      }
    }
    forEachChild(node, visit);
  };
  forEachChild(fn, visit);
}

/** Whether the function that makes a TransformStream answers with its readable side: `new Response(readable, ...)`. */
function answersWithReadable(stream: ts.VariableDeclaration): boolean {
  const scope = findAncestor(stream.parent, ts.isFunctionLike);
  if (!scope) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isNewExpression(node)) {
      const callee = unwrapExpression(node.expression);
      const body = node.arguments?.[0];
      if (isIdentifier(callee) && callee.text === "Response" && body && streamSide(body, "readable") === stream) {
        found = true;
        return;
      }
    }
    forEachChild(node, visit);
  };
  forEachChild(scope, visit);
  return found;
}

/**
 * Whether a function run without being awaited (an async IIFE, its promise dropped or kept) writes
 * the body of a streamed response the request answers with (see above).
 */
export function producesResponseBody(fn: ts.FunctionLikeDeclaration): boolean {
  const streams = new Set<ts.VariableDeclaration>();
  streamsWritten(fn, 0, streams);
  for (const stream of streams) if (answersWithReadable(stream)) return true;
  return false;
}

/**
 * Whether a call is given the writer (or writable side) of a streamed response's body: `pump(writer);`
 * with its promise dropped still writes what the client reads.
 */
export function handsResponseBodyWriter(args: readonly ts.Expression[]): boolean {
  return args.some((arg) => {
    const value = unwrapExpression(arg);
    const stream = isIdentifier(value) ? writtenStream(value) : streamSide(value, "writable");
    return stream !== undefined && answersWithReadable(stream);
  });
}
