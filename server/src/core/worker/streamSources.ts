// The functions a stream runs while its body is read: `new ReadableStream({ async start(c) { ... },
// async pull(c) { ... } })` and `new TransformStream({ async transform(chunk, c) { ... } })`. A
// response whose body is such a stream is not done until the body ends, and the client waits for
// it: what start() does (once, as the stream is made) and what pull() or transform() does (once per
// chunk, a loop) is on the path of the request that makes the stream.

import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, isConstDeclaration } from "./syntax";

const {
  isArrowFunction,
  isFunctionExpression,
  isIdentifier,
  isMethodDeclaration,
  isObjectLiteralExpression,
  isPropertyAssignment,
  isVariableDeclaration,
} = ts;

/** The platform's stream classes, and the methods of the source or transformer each runs. */
const STREAM_CLASSES: ReadonlyMap<string, { readonly once: readonly string[]; readonly perChunk: readonly string[] }> = new Map([
  ["ReadableStream", { once: ["start"], perChunk: ["pull"] }],
  ["TransformStream", { once: ["start", "flush"], perChunk: ["transform"] }],
]);

export interface StreamSource {
  /** `ReadableStream` or `TransformStream`. */
  readonly kind: string;
  /** Run once: start() as the stream is made (and a transformer's flush() at the end). */
  readonly once: readonly ts.FunctionLikeDeclaration[];
  /** Run once per chunk: pull() or transform(). */
  readonly perChunk: readonly ts.FunctionLikeDeclaration[];
  /** The object literal that holds them (its other values are walked as they are). */
  readonly literal: ts.ObjectLiteralExpression;
}

/**
 * `new ReadableStream({ start, pull })` or `new TransformStream({ transform })` of the platform
 * (not a class of the project's or a package's with that name), given an object literal written
 * there or held in a `const`: the functions it runs. Undefined for anything else.
 */
export function streamSource(made: ts.NewExpression, module: ModuleFacts): StreamSource | undefined {
  const callee = unwrapExpression(made.expression);
  if (!isIdentifier(callee) || declarationOf(callee) || module.imports.has(callee.text)) return undefined;
  const methods = STREAM_CLASSES.get(callee.text);
  const first = made.arguments?.[0];
  if (!methods || !first) return undefined;
  let literal = unwrapExpression(first);
  if (isIdentifier(literal)) {
    const declaration = declarationOf(literal);
    const init =
      declaration && isVariableDeclaration(declaration) && isConstDeclaration(declaration) && declaration.initializer
        ? unwrapExpression(declaration.initializer)
        : undefined;
    if (!init) return undefined;
    literal = init;
  }
  if (!isObjectLiteralExpression(literal)) return undefined;
  const source = literal;
  const named = (names: readonly string[]): ts.FunctionLikeDeclaration[] => {
    const out: ts.FunctionLikeDeclaration[] = [];
    for (const property of source.properties) {
      const name = property.name && (isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
      if (name === undefined || !names.includes(name)) continue;
      if (isMethodDeclaration(property) && property.body) out.push(property);
      else if (isPropertyAssignment(property)) {
        const value = unwrapExpression(property.initializer);
        if (isArrowFunction(value) || isFunctionExpression(value)) out.push(value);
      }
    }
    return out;
  };
  const once = named(methods.once);
  const perChunk = named(methods.perChunk);
  if (once.length === 0 && perChunk.length === 0) return undefined;
  return { kind: callee.text, once, perChunk, literal: source };
}
