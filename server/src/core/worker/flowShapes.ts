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
  return (
    isCallExpression(value) &&
    isPropertyAccessExpression(value.expression) &&
    CHAIN_METHODS.has(value.expression.name.text) &&
    !settlesExecutor(statement)
  );
}

/**
 * `new Promise((resolve, reject) => { load(url).then(resolve, reject); })`: a chain in a promise's
 * executor that hands it `resolve` or `reject` settles that promise, so whoever waits for the
 * promise waits for the chain; it is not dropped.
 */
function settlesExecutor(statement: ts.ExpressionStatement): boolean {
  let fn: ts.Node | undefined = statement.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  const made = fn.parent;
  if (!ts.isNewExpression(made) || made.arguments?.[0] !== fn) return false;
  const callee = unwrapExpression(made.expression);
  if (!isIdentifier(callee) || callee.text !== "Promise") return false;
  const settlers = fn.parameters.slice(0, 2).flatMap((p) => (isIdentifier(p.name) ? [p.name.text] : []));
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isIdentifier(node) && settlers.includes(node.text)) found = true;
    else forEachChild(node, visit);
  };
  visit(statement.expression);
  return found;
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
 * How many statements from `start` are `if`s without `else` of which at most one can run, so they are
 * alternatives, not a sequence: each pair exclusive (see exclusive), the values they test not
 * reassigned in them. `if (mode === "replace") {...}` then `if (mode === "merge") {...}`;
 * `if (text.startsWith("/start"))` then `if (text === "/help")`; `if (update.message?.text === "/help")`
 * then `if (update.callback_query)` (a Telegram update carries one kind of event). 0 or 1 when there
 * is no such run.
 */
export function exclusiveIfRun(statements: readonly ts.Statement[], start: number): number {
  const seen: Condition[] = [];
  for (let i = start; i < statements.length; i++) {
    const statement = statements[i]!;
    if (!isIfStatement(statement) || statement.elseStatement) break;
    const condition = conditionOf(statement.expression);
    if (!condition || seen.some((other) => !exclusive(condition, other))) break;
    seen.push(condition);
    if (assigns(statement.thenStatement, rootName(condition.subject.text))) break;
  }
  return seen.length;
}

/**
 * What an `if` requires of a value: to equal a constant (`x === "a"`), to start with a string
 * (`x.startsWith("/a")`), or, for a Telegram update, the kind of event it carries (`update.callback_query`,
 * `update.message?.text === "/help"` requires `update.message`).
 */
interface Condition {
  readonly subject: { text: string; root: ts.Node | undefined };
  readonly constant?: string;
  readonly prefix?: string;
  /** The Telegram update and the event field the condition requires present (see UPDATE_KINDS). */
  readonly kind?: { readonly update: { text: string; root: ts.Node | undefined }; readonly field: string };
}

/**
 * The optional fields of a Telegram Bot API `Update`: "at most one of the optional parameters can be
 * present in any given update". Conditions requiring two different ones on one update exclude each other.
 */
const UPDATE_KINDS = new Set([
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "business_message",
  "edited_business_message",
  "inline_query",
  "chosen_inline_result",
  "callback_query",
  "shipping_query",
  "pre_checkout_query",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "message_reaction",
]);
/** Update fields whose names say the object is a Telegram update (not a plain `message`). */
const TELEGRAM_ONLY_KINDS = new Set([...UPDATE_KINDS].filter((k) => k !== "message"));

function conditionOf(expression: ts.Expression): Condition | undefined {
  const value = unwrapExpression(expression);
  const compared = comparedWithConstant(value);
  if (compared) return { ...compared, ...kindOf(compared.subject.text, compared.subject.root) };
  // `text.startsWith("/start")`, `update.message?.text?.startsWith("/start")`
  if (
    isCallExpression(value) &&
    isPropertyAccessExpression(value.expression) &&
    value.expression.name.text === "startsWith" &&
    value.arguments.length === 1 &&
    ts.isStringLiteralLike(value.arguments[0]!)
  ) {
    const subject = nameChain(unwrapExpression(value.expression.expression));
    return subject && { subject, prefix: value.arguments[0].text, ...kindOf(subject.text, subject.root) };
  }
  // `if (update.callback_query)`: only the kind of event.
  const chain = nameChain(value);
  const kind = chain && kindOf(chain.text, chain.root);
  return chain && kind?.kind ? { subject: chain, kind: kind.kind } : undefined;
}

/** The update kind a chain requires present: `update.message.text` requires `update.message`. */
function kindOf(text: string, root: ts.Node | undefined): Pick<Condition, "kind"> {
  const parts = text.split(".");
  for (let i = 1; i < parts.length; i++)
    if (UPDATE_KINDS.has(parts[i]!)) return { kind: { update: { text: parts.slice(0, i).join("."), root }, field: parts[i]! } };
  return {};
}

/** Whether two conditions cannot both hold. */
function exclusive(a: Condition, b: Condition): boolean {
  if (
    a.kind &&
    b.kind &&
    a.kind.update.text === b.kind.update.text &&
    a.kind.update.root === b.kind.update.root &&
    a.kind.field !== b.kind.field &&
    (TELEGRAM_ONLY_KINDS.has(a.kind.field) || TELEGRAM_ONLY_KINDS.has(b.kind.field))
  )
    return true;
  if (a.subject.text !== b.subject.text || a.subject.root !== b.subject.root) return false;
  if (a.constant !== undefined && b.constant !== undefined) return a.constant !== b.constant;
  const text = (c: Condition): string | undefined => (c.constant?.startsWith("s:") ? c.constant.slice(2) : undefined);
  if (a.prefix !== undefined && b.prefix !== undefined) return !a.prefix.startsWith(b.prefix) && !b.prefix.startsWith(a.prefix);
  const [prefixed, equal] = a.prefix !== undefined ? [a, b] : [b, a];
  const equalText = text(equal);
  return prefixed.prefix !== undefined && equalText !== undefined && !equalText.startsWith(prefixed.prefix);
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
 * How many times a loop runs when that is written in the code: `for (const x of LIST)` over a
 * known list (see literalList), or a counted `for (let i = 0; i < N; i++)` whose bound is a
 * number or a known list's `.length` (see countedIterations). Undefined for any other loop.
 */
export function literalIterations(loop: ts.ForOfStatement | ts.ForStatement): number | undefined {
  if (ts.isForStatement(loop)) return countedIterations(loop);
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
  return literalList(array)?.elements.length;
}

/**
 * The array literal a list is: one written there, or a `const` of the same file holding one that
 * is never changed (see arrayChanged), without spread elements or holes.
 */
function literalList(expression: ts.Expression): ts.ArrayLiteralExpression | undefined {
  let array = unwrapExpression(expression);
  if (ts.isIdentifier(array)) {
    const held = declarationOf(array);
    if (!held || !ts.isVariableDeclaration(held) || !isConstDeclaration(held) || !held.initializer) return undefined;
    const literal = unwrapExpression(held.initializer);
    if (!ts.isArrayLiteralExpression(literal) || arrayChanged(held)) return undefined;
    array = literal;
  }
  if (!ts.isArrayLiteralExpression(array) || array.elements.some((e) => ts.isSpreadElement(e) || ts.isOmittedExpression(e)))
    return undefined;
  return array;
}

/**
 * How many times a counted loop runs: `for (let i = 0; i < LIST.length; i++)` over a known list,
 * `for (let attempt = 1; attempt <= 3; attempt++)`, `i += 2` steps; the start and the bound
 * integers written in the code (or `const` names holding them) or a known list's `.length`
 * (see literalList), the counter never assigned in the body. Undefined for any other loop: a
 * bound known only at run time (`i < items.length`) leaves the count unfixed.
 */
function countedIterations(loop: ts.ForStatement): number | undefined {
  const init = loop.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
  const declaration = init.declarations[0]!;
  if (!isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const name = declaration.name.text;
  const start = knownInteger(declaration.initializer);
  const condition = loop.condition && unwrapExpression(loop.condition);
  if (start === undefined || !condition || !isBinaryExpression(condition)) return undefined;
  // `i < N`, `i <= N`, or the same written the other way round (`N > i`, `N >= i`).
  const left = unwrapExpression(condition.left);
  const right = unwrapExpression(condition.right);
  const kind = condition.operatorToken.kind;
  const counterLeft = isIdentifier(left) && left.text === name;
  const counterRight = isIdentifier(right) && right.text === name;
  let inclusive: boolean;
  if (counterLeft && (kind === SyntaxKind.LessThanToken || kind === SyntaxKind.LessThanEqualsToken))
    inclusive = kind === SyntaxKind.LessThanEqualsToken;
  else if (counterRight && (kind === SyntaxKind.GreaterThanToken || kind === SyntaxKind.GreaterThanEqualsToken))
    inclusive = kind === SyntaxKind.GreaterThanEqualsToken;
  else return undefined;
  const bound = knownInteger(counterLeft ? right : left);
  const step = loop.incrementor && counterStep(unwrapExpression(loop.incrementor), name);
  if (bound === undefined || !step || assigns(loop.statement, name)) return undefined;
  const span = bound + (inclusive ? 1 : 0) - start;
  return span <= 0 ? 0 : Math.ceil(span / step);
}

/** An integer written in the code: a literal, a `const` of the same file holding one, a known list's `.length`. */
function knownInteger(expression: ts.Expression): number | undefined {
  const value = unwrapExpression(expression);
  if (ts.isNumericLiteral(value)) {
    const number = Number(value.text);
    return Number.isSafeInteger(number) ? number : undefined;
  }
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.MinusToken) {
    const number = knownInteger(value.operand);
    return number === undefined ? undefined : -number;
  }
  if (isPropertyAccessExpression(value) && value.name.text === "length") return literalList(value.expression)?.elements.length;
  if (isIdentifier(value)) {
    const held = declarationOf(value);
    if (
      held &&
      ts.isVariableDeclaration(held) &&
      isConstDeclaration(held) &&
      held.initializer &&
      ts.isNumericLiteral(unwrapExpression(held.initializer))
    )
      return knownInteger(held.initializer);
  }
  return undefined;
}

/** How much `i++`, `++i`, `i += k`, `i = i + k` adds to the counter each time (a positive integer), or undefined. */
function counterStep(incrementor: ts.Expression, name: string): number | undefined {
  const isCounter = (e: ts.Expression): boolean => {
    const value = unwrapExpression(e);
    return isIdentifier(value) && value.text === name;
  };
  if (
    (ts.isPostfixUnaryExpression(incrementor) || ts.isPrefixUnaryExpression(incrementor)) &&
    incrementor.operator === SyntaxKind.PlusPlusToken &&
    isCounter(incrementor.operand)
  )
    return 1;
  if (!isBinaryExpression(incrementor) || !isCounter(incrementor.left)) return undefined;
  let added: ts.Expression | undefined;
  if (incrementor.operatorToken.kind === SyntaxKind.PlusEqualsToken) added = incrementor.right;
  else if (incrementor.operatorToken.kind === SyntaxKind.EqualsToken) {
    const sum = unwrapExpression(incrementor.right);
    if (isBinaryExpression(sum) && sum.operatorToken.kind === SyntaxKind.PlusToken && isCounter(sum.left)) added = sum.right;
  }
  const step = added && knownInteger(added);
  return step !== undefined && step > 0 ? step : undefined;
}
