import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf, isConstDeclaration } from "./syntax";
import { arrayChanged } from "./values";

/**
 * Shapes of code whose round trips are not what the statements' plain order says, recognised from
 * the syntax alone (so a walk and a replay of its kept summary agree): a promise chain nobody waits
 * for, a loop that leaves after its first iteration, and `if`s on one value compared with
 * different constants, of which at most one runs.
 */

const { SyntaxKind, forEachChild, isBinaryExpression, isBlock, isCallExpression, isIdentifier, isIfStatement, isPropertyAccessExpression } =
  ts;

const CHAIN_METHODS = new Set(["then", "catch", "finally"]);

/**
 * `db.prepare(sql).run().catch(() => {})` (or `.then(...)`, `.finally(...)`, also after `void`) as
 * a statement of its own: the chain's promise is dropped, nothing on the path waits for it. Its
 * calls start and overlap with what follows: fire-and-forget, not a sequential round trip.
 */
export function isDroppedPromiseChain(statement: ts.ExpressionStatement): boolean {
  let value = unwrapExpression(statement.expression);
  if (value.kind === SyntaxKind.VoidExpression) value = unwrapExpression((value as ts.VoidExpression).expression);
  return isCallExpression(value) && isPropertyAccessExpression(value.expression) && CHAIN_METHODS.has(value.expression.name.text);
}

/**
 * Whether a node is inside a dropped promise chain (see isDroppedPromiseChain), the callbacks
 * written in it included (`p.then(async (r) => { await fetch(b) })`).
 */
export function insideDroppedPromiseChain(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (current.kind === SyntaxKind.ExpressionStatement && isDroppedPromiseChain(current as ts.ExpressionStatement)) return true;
    if (ts.isFunctionLike(current) && !ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) return false;
    if (ts.isSourceFile(current)) return false;
  }
  return false;
}

/**
 * A loop whose body ends in an unconditional `break` (of this loop or of an enclosing statement),
 * `continue` to an enclosing loop, `return` or `throw`: it runs at most once
 * (`for (const f of files) { await fetch(f); break; }`), so its calls count once.
 */
export function runsAtMostOnce(loop: ts.IterationStatement): boolean {
  const body = loop.statement;
  const last = isBlock(body) ? body.statements[body.statements.length - 1] : body;
  // `if (!r.ok) continue;` before the break: that path goes round again (trying sources in turn).
  if (!last || continuesLoop(body, loop)) return false;
  if (last.kind === SyntaxKind.ReturnStatement || last.kind === SyntaxKind.ThrowStatement || last.kind === SyntaxKind.BreakStatement)
    return true;
  if (last.kind !== SyntaxKind.ContinueStatement) return false;
  // `continue outer` leaves this loop for the next iteration of an enclosing one.
  const label = (last as ts.ContinueStatement).label;
  return !!label && !(ts.isLabeledStatement(loop.parent) && loop.parent.label.text === label.text);
}

/** Whether code has a `continue` of this loop (unlabeled outside nested loops, or naming its label). */
function continuesLoop(node: ts.Node, loop: ts.IterationStatement): boolean {
  const label = ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined;
  let found = false;
  const visit = (child: ts.Node, nested: boolean): void => {
    if (found || ts.isFunctionLike(child)) return;
    if (child.kind === SyntaxKind.ContinueStatement) {
      const target = (child as ts.ContinueStatement).label;
      if (target ? target.text === label : !nested) found = true;
      return;
    }
    const inner = nested || ts.isIterationStatement(child, false);
    forEachChild(child, (c) => visit(c, inner));
  };
  forEachChild(node, (c) => visit(c, false));
  return found;
}

/**
 * How many statements from `start` are `if`s without `else` on one value compared with different
 * constants (`if (mode === "replace") {...}` then `if (mode === "merge") {...}`), the value not
 * reassigned in them: at most one of them runs, so they are alternatives, not a sequence. 0 or 1
 * when there is no such run.
 */
export function exclusiveIfRun(statements: readonly ts.Statement[], start: number): number {
  let subject: { text: string; root: ts.Node | undefined } | undefined;
  const constants = new Set<string>();
  let count = 0;
  for (let i = start; i < statements.length; i++) {
    const statement = statements[i]!;
    if (!isIfStatement(statement) || statement.elseStatement) break;
    const compared = comparedWithConstant(statement.expression);
    if (!compared || constants.has(compared.constant)) break;
    if (subject && (compared.subject.text !== subject.text || compared.subject.root !== subject.root)) break;
    subject ??= compared.subject;
    constants.add(compared.constant);
    count++;
    if (assigns(statement.thenStatement, rootName(subject.text))) break;
  }
  return count;
}

/** `x === "a"`, `"a" == x`, `input.mode === 1`: the value (a name or a chain of names) and the constant. */
function comparedWithConstant(
  condition: ts.Expression,
): { subject: { text: string; root: ts.Node | undefined }; constant: string } | undefined {
  const value = unwrapExpression(condition);
  if (!isBinaryExpression(value)) return undefined;
  const operator = value.operatorToken.kind;
  if (operator !== SyntaxKind.EqualsEqualsEqualsToken && operator !== SyntaxKind.EqualsEqualsToken) return undefined;
  const left = unwrapExpression(value.left);
  const right = unwrapExpression(value.right);
  const constant = constantText(right) ?? constantText(left);
  const other = constantText(right) !== undefined ? left : constantText(left) !== undefined ? right : undefined;
  const subject = other && nameChain(other);
  return constant !== undefined && subject ? { subject, constant } : undefined;
}

function constantText(expression: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(expression)) return `s:${expression.text}`;
  if (ts.isNumericLiteral(expression)) return `n:${expression.text}`;
  return undefined;
}

function nameChain(expression: ts.Expression): { text: string; root: ts.Node | undefined } | undefined {
  if (isIdentifier(expression)) return { text: expression.text, root: declarationOf(expression) };
  if (isPropertyAccessExpression(expression)) {
    const inner = nameChain(unwrapExpression(expression.expression));
    return inner && { text: `${inner.text}.${expression.name.text}`, root: inner.root };
  }
  return undefined;
}

function rootName(text: string): string {
  const dot = text.indexOf(".");
  return dot < 0 ? text : text.slice(0, dot);
}

/** Whether code assigns the name (or a property of it): `name = ...`, `name.x = ...`, `name++`. */
function assigns(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (
      isBinaryExpression(child) &&
      child.operatorToken.kind >= SyntaxKind.FirstAssignment &&
      child.operatorToken.kind <= SyntaxKind.LastAssignment
    ) {
      const target = nameChain(unwrapExpression(child.left));
      if (target && rootName(target.text) === name) found = true;
    } else if (
      (ts.isPrefixUnaryExpression(child) || ts.isPostfixUnaryExpression(child)) &&
      (child.operator === SyntaxKind.PlusPlusToken || child.operator === SyntaxKind.MinusMinusToken) &&
      isIdentifier(child.operand) &&
      child.operand.text === name
    )
      found = true;
    forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/**
 * How many times `for (const x of LIST)` runs when LIST is known: an array literal written there, or
 * a `const` of the same file holding one that is never changed (see arrayChanged), without spread
 * elements, or such a list's `.map(fn)`. Undefined for any other loop.
 */
export function literalIterations(loop: ts.ForOfStatement): number | undefined {
  if (loop.awaitModifier) return undefined;
  let array = unwrapExpression(loop.expression);
  // `for (const url of PATHS.map((p) => BASE + p))`: as many as the list mapped.
  if (
    ts.isCallExpression(array) &&
    ts.isPropertyAccessExpression(array.expression) &&
    array.expression.name.text === "map" &&
    array.arguments.length === 1
  )
    array = unwrapExpression(array.expression.expression);
  if (ts.isIdentifier(array)) {
    const held = declarationOf(array);
    if (!held || !ts.isVariableDeclaration(held) || !isConstDeclaration(held) || !held.initializer) return undefined;
    const literal = unwrapExpression(held.initializer);
    if (!ts.isArrayLiteralExpression(literal) || arrayChanged(held)) return undefined;
    array = literal;
  }
  if (!ts.isArrayLiteralExpression(array) || array.elements.some((e) => ts.isSpreadElement(e) || ts.isOmittedExpression(e)))
    return undefined;
  return array.elements.length;
}
