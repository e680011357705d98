// The functions a stream runs while its body is read: `new ReadableStream({ async start(c) { ... },
// async pull(c) { ... } })` and `new TransformStream({ async transform(chunk, c) { ... } })`. A
// response whose body is such a stream is not done until the body ends, and the client waits for
// it: what start() does (once, as the stream is made) and what pull() or transform() does (once per
// chunk, a loop) is on the path of the request that makes the stream. The same holds for a
// `new WritableStream({ async write(chunk) { ... } })` a request's body is piped into before the
// response (`await request.body.pipeTo(sink)`), and for a project class extending one of them
// whose constructor hands the source or sink to `super({ ... })`.

import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import type { ClassRef } from "./valuesCore";
import { declarationOf, isConstDeclaration, printNode, truncate } from "./syntax";

const {
  isArrowFunction,
  isCallExpression,
  isConstructorDeclaration,
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
  ["WritableStream", { once: ["start", "close"], perChunk: ["write"] }],
]);

export interface StreamSource {
  /** `ReadableStream`, `TransformStream` or `WritableStream`. */
  readonly kind: string;
  /** Run once: start() as the stream is made (and a transformer's flush() at the end). */
  readonly once: readonly ts.FunctionLikeDeclaration[];
  /** Run once per chunk: pull() or transform(). */
  readonly perChunk: readonly ts.FunctionLikeDeclaration[];
  /** The module the literal is written in (a subclass's, when it is handed to `super`). */
  readonly module: ModuleFacts;
  /**
   * A project subclass handed `super(...)` something that is not such a literal (`super(env.SINKS[name])`):
   * its callbacks run on the path but cannot be seen. The expression as written; no functions then.
   */
  readonly unresolved?: string;
}

/** Finds the project class a name stands for (see ValueResolver.classNamed). */
export type ClassFinder = (name: string, module: ModuleFacts) => ClassRef | undefined;

/**
 * `new ReadableStream({ start, pull })`, `new TransformStream({ transform })` or `new
 * WritableStream({ write })` of the platform (not a class of a package's with that name), given an
 * object literal written there or held in a `const`; or `new EventSink(env)` of a project class
 * extending one of them (through project base classes too) whose constructor passes such a literal
 * to `super(...)`: the functions it runs. Undefined for anything else.
 */
export function streamSource(made: ts.NewExpression, module: ModuleFacts, findClass?: ClassFinder): StreamSource | undefined {
  const callee = unwrapExpression(made.expression);
  if (!isIdentifier(callee)) return undefined;
  if (!declarationOf(callee) && !module.imports.has(callee.text)) {
    const methods = STREAM_CLASSES.get(callee.text);
    const first = made.arguments?.[0];
    return methods && first ? sourceLiteral(callee.text, methods, first, module) : undefined;
  }
  // The classes from the one made up to the one extending the platform's stream.
  const chain: ClassRef[] = [];
  let ref = findClass?.(callee.text, module);
  for (let depth = 0; ref && depth < 8; depth++) {
    chain.push(ref);
    const base = ref.cls.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base || !isIdentifier(base)) return undefined;
    const methods = STREAM_CLASSES.get(base.text);
    if (methods && !declarationOf(base) && !ref.module.imports.has(base.text)) {
      const handed = handedToSuper(chain, made, module);
      if (!handed) return undefined; // `super()`: the platform's default, which runs no code of the project's
      return (
        sourceLiteral(base.text, methods, handed.expression, handed.module) ?? {
          kind: base.text,
          once: [],
          perChunk: [],
          module: handed.module,
          unresolved: truncate(printNode(handed.expression)),
        }
      );
    }
    ref = findClass?.(base.text, ref.module);
  }
  return undefined;
}

/**
 * What the top class of `chain` hands to the platform stream's constructor: its `super(...)`'s first
 * argument, followed down through constructor parameters (`constructor(sink) { super(sink) }` in a
 * base class, the subclass's `super({ write })`; a class without a constructor passes its
 * arguments on) to the `new` expression itself.
 */
function handedToSuper(
  chain: readonly ClassRef[],
  made: ts.NewExpression,
  module: ModuleFacts,
): { expression: ts.Expression; module: ModuleFacts } | undefined {
  let index = 0; // the argument position, while it is passed on unchanged
  for (let level = chain.length - 1; level >= 0; level--) {
    const ref = chain[level]!;
    const constructor = ref.cls.members.find(isConstructorDeclaration);
    if (!constructor) continue;
    const handed = constructor.body ? superArguments(constructor.body)?.[index] : undefined;
    if (!handed) return undefined;
    const value = unwrapExpression(handed);
    const parameter = isIdentifier(value) ? declarationOf(value) : undefined;
    const position = parameter && ts.isParameter(parameter) ? constructor.parameters.indexOf(parameter) : -1;
    if (position < 0) return { expression: handed, module: ref.module };
    index = position;
  }
  const given = made.arguments?.[index];
  return given ? { expression: given, module } : undefined;
}

/** The arguments of the `super(...)` call among a constructor's statements. */
function superArguments(body: ts.Block): readonly ts.Expression[] | undefined {
  for (const statement of body.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const call = unwrapExpression(statement.expression);
    if (isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword) return call.arguments;
  }
  return undefined;
}

function sourceLiteral(
  kind: string,
  methods: { readonly once: readonly string[]; readonly perChunk: readonly string[] },
  first: ts.Expression,
  module: ModuleFacts,
): StreamSource | undefined {
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
  return { kind, once, perChunk, module };
}

/**
 * Whether a sink carries a single chunk: `const writer = new Sink(env).getWriter()` (or the sink
 * held in a `const` and asked for its writer once) whose writer is written once, outside any loop
 * and any nested function, and otherwise only closed, released or waited on. Its write() then
 * runs once, not once per chunk of unknown count.
 */
export function writtenOnce(made: ts.NewExpression): boolean {
  let node: ts.Node = made;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  // `const sink = new Sink(env); const writer = sink.getWriter();`: the one reference to the sink.
  if (isVariableDeclaration(node.parent) && node.parent.initializer === node && isConstDeclaration(node.parent)) {
    const uses = references(node.parent);
    if (!uses || uses.length !== 1) return false;
    node = uses[0]!;
  }
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== node || access.name.text !== "getWriter") return false;
  const call = access.parent;
  if (!isCallExpression(call) || call.expression !== access) return false;
  const holder = call.parent;
  if (!isVariableDeclaration(holder) || holder.initializer !== call || !isConstDeclaration(holder)) return false;
  const uses = references(holder);
  if (!uses) return false;
  let writes = 0;
  for (const use of uses) {
    const member = use.parent;
    if (!ts.isPropertyAccessExpression(member) || member.expression !== use) return false;
    const name = member.name.text;
    if (name === "ready" || name === "closed" || name === "desiredSize") continue;
    if (!isCallExpression(member.parent) || member.parent.expression !== member) return false;
    if (name === "close" || name === "releaseLock") continue;
    if (name !== "write" || repeats(member.parent, holder)) return false;
    writes++;
  }
  return writes === 1;
}

/** The identifiers in the declaring function that name `declaration`; undefined when it is not in a function. */
function references(declaration: ts.VariableDeclaration): ts.Identifier[] | undefined {
  const scope = ts.findAncestor(declaration, ts.isFunctionLike);
  if (!scope || !isIdentifier(declaration.name)) return undefined;
  const name = declaration.name.text;
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (isIdentifier(node) && node.text === name && node !== declaration.name && declarationOf(node) === declaration) out.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return out;
}

/** Whether a call may run more than once per run of the function that declares `holder`: in a loop or a nested function. */
function repeats(call: ts.Node, holder: ts.Node): boolean {
  const scope = ts.findAncestor(holder, ts.isFunctionLike);
  for (let node = call.parent; node && node !== scope; node = node.parent)
    if (ts.isIterationStatement(node, false) || ts.isFunctionLike(node)) return true;
  return false;
}
