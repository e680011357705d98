// Loops over a list split into batches of a size limit (the most bindings one SQL statement takes,
// the most items an API accepts per call): `for (const chunk of chunkArray(ids, 100))`,
// `for (let i = 0; i < ids.length; i += BATCH) { ... ids.slice(i, i + BATCH) ... }`. The list a
// request usually carries fits in one batch, so a careful reader counts one pass (for a size of at
// least MIN_LIMIT_SIZE or one not written here; small batches against rate limits, `BATCH_SIZE = 5`,
// are several per request and count twice, as any loop does); a loop over the
// items themselves, or over pieces of a text (a report cut to a message size: `for (const part of
// chunkText(report, 4000))`, used as a string, not a list), still counts twice.
import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf } from "./syntax";

/**
 * The smallest batch size read as a size limit (bindings per statement, items per API call): a
 * smaller one (`BATCH_SIZE = 5` against rate limits) cuts a list of usual length into several
 * batches, and the loop counts twice as any loop does.
 */
const MIN_LIMIT_SIZE = 25;

/** The number a size is, when written in the code (`100`, a `const` of one, `MAX - 2`), or undefined. */
function sizeValue(node: ts.Expression, depth = 0): number | undefined {
  const value = unwrapExpression(node);
  if (ts.isNumericLiteral(value)) return Number(value.text);
  if (depth > 4) return undefined;
  if (ts.isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (
      declaration &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      ts.isVariableDeclarationList(declaration.parent) &&
      (declaration.parent.flags & ts.NodeFlags.Const) !== 0
    )
      return sizeValue(declaration.initializer, depth + 1);
    // `const { concurrency = 5 } = options`, `function run(items, size = 5)`: the size its author
    // wrote as the default is the one a usual request runs with (a caller that passes more is the
    // exception), so a small default is read as small batches, not as an unknown limit.
    const defaulted = declaration && defaultOf(declaration);
    return defaulted ? sizeValue(defaulted, depth + 1) : undefined;
  }
  if (ts.isBinaryExpression(value)) {
    const left = sizeValue(value.left, depth + 1);
    const right = sizeValue(value.right, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    if (value.operatorToken.kind === ts.SyntaxKind.MinusToken) return left - right;
    if (value.operatorToken.kind === ts.SyntaxKind.PlusToken) return left + right;
    if (value.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return left * right;
  }
  return undefined;
}

/**
 * The default written for a name that is not reassigned where it is declared: a parameter's
 * (`size = 5`), or a destructured name's in a `const` or a parameter (`{ concurrency = 5 }`).
 */
function defaultOf(declaration: ts.Node): ts.Expression | undefined {
  if (ts.isParameter(declaration)) return declaration.initializer;
  if (!ts.isBindingElement(declaration) || !declaration.initializer) return undefined;
  let holder: ts.Node = declaration.parent;
  while (ts.isObjectBindingPattern(holder) || ts.isArrayBindingPattern(holder) || ts.isBindingElement(holder)) holder = holder.parent;
  if (ts.isParameter(holder)) return declaration.initializer;
  return ts.isVariableDeclaration(holder) && ts.isVariableDeclarationList(holder.parent) && (holder.parent.flags & ts.NodeFlags.Const) !== 0
    ? declaration.initializer
    : undefined;
}

/** Whether a batch size can be a size limit: unknown here, or at least MIN_LIMIT_SIZE. */
function limitSized(size: ts.Expression): boolean {
  const n = sizeValue(size);
  return n === undefined || n >= MIN_LIMIT_SIZE;
}

/** The name of a call's function (`chunk`, `chunkStrings`, `_.chunk`, `utils.toBatches`). */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = unwrapExpression(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** A function that splits a list into batches of a given size, by its name. */
function isBatchingName(name: string): boolean {
  return /^(chunk|chunks|chunked|chunkify|batch|batches|batched|toChunks|toBatches|splitIntoChunks|splitIntoBatches|inChunks|inBatches)([A-Z_]|$)/.test(
    name,
  );
}

/** Methods of a list that a string does not have: a value read with one is a list, not a text. */
const LIST_METHODS: ReadonlySet<string> = new Set(["map", "join", "forEach", "filter", "flatMap", "reduce", "some", "every"]);

/** Whether an expression is used as a list: `x.map(...)`, `x.join(",")`, `...x`. */
function usedAsList(node: ts.Node): boolean {
  let use: ts.Node = node;
  while (ts.isParenthesizedExpression(use.parent) || ts.isNonNullExpression(use.parent) || ts.isAsExpression(use.parent)) use = use.parent;
  const parent = use.parent;
  if (ts.isSpreadElement(parent)) return true;
  return (
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === use &&
    LIST_METHODS.has(parent.name.text) &&
    ts.isCallExpression(parent.parent) &&
    parent.parent.expression === parent
  );
}

/** Whether the variable `name` is used as a list somewhere in `body` (not inside a nested function's own scope rules: any reading). */
function nameUsedAsList(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name && usedAsList(node)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** `for (const chunk of chunkArray(list, SIZE))`: a list split into batches (two arguments: the list and the size), each used as a list. */
function overBatches(loop: ts.ForOfStatement): boolean {
  const iterated = unwrapExpression(loop.expression);
  if (!ts.isCallExpression(iterated) || iterated.arguments.length !== 2) return false;
  const name = calleeName(iterated);
  if (name === undefined || !isBatchingName(name) || !limitSized(iterated.arguments[1]!)) return false;
  const declarations = ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations : [];
  const batch = declarations.length === 1 ? declarations[0]!.name : undefined;
  return batch !== undefined && ts.isIdentifier(batch) && nameUsedAsList(loop.statement, batch.text);
}

/** The counter a `for` loop steps by more than one (`i += BATCH`, `i = i + 100`), or undefined. */
function steppedCounter(loop: ts.ForStatement): string | undefined {
  const step = loop.incrementor && unwrapExpression(loop.incrementor);
  if (!step || !ts.isBinaryExpression(step) || !ts.isIdentifier(step.left)) return undefined;
  const by =
    step.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken
      ? unwrapExpression(step.right)
      : step.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isBinaryExpression(unwrapExpression(step.right)) &&
          (unwrapExpression(step.right) as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.PlusToken
        ? unwrapExpression((unwrapExpression(step.right) as ts.BinaryExpression).right)
        : undefined;
  if (!by) return undefined;
  if (!limitSized(by)) return undefined;
  return ts.isNumericLiteral(by) || ts.isIdentifier(by) || ts.isPropertyAccessExpression(by) ? step.left.text : undefined;
}

/** Whether the body takes a batch of the list at the counter and uses it as a list: `list.slice(i, i + SIZE).map(...)`. */
function slicesAt(body: ts.Node, counter: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "slice" &&
      node.arguments.length === 2
    ) {
      const first = unwrapExpression(node.arguments[0]!);
      // The batch used as a list: read with a list's method or spread, or held in a variable that is.
      let held: ts.Node = node;
      while (ts.isParenthesizedExpression(held.parent) || ts.isAsExpression(held.parent)) held = held.parent;
      const asList =
        usedAsList(node) ||
        (ts.isVariableDeclaration(held.parent) && ts.isIdentifier(held.parent.name) && nameUsedAsList(body, held.parent.name.text));
      if (ts.isIdentifier(first) && first.text === counter && asList) {
        found = true;
        return;
      }
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** A loop over batches of a list (see the top of this file): one pass on the usual path. */
export function isBatchLoop(loop: ts.IterationStatement): boolean {
  if (ts.isForOfStatement(loop)) return !loop.awaitModifier && overBatches(loop);
  if (ts.isForStatement(loop)) {
    const counter = steppedCounter(loop);
    return counter !== undefined && slicesAt(loop.statement, counter);
  }
  return false;
}
