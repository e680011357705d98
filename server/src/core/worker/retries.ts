// Retries: requests made again only because a request failed. On the path a request usually takes
// the first attempt succeeds, so a retry is not a round trip after it (as a `catch` block is not
// counted after the `try` that failed): a retry loop counts one attempt, a request repeated once
// after a failed response counts once. Only syntax is read here (the loop, its exits and the tests
// of a response on their way); how the walk counts them is in walkStatements.ts and walkCalls.ts.
import ts from "typescript";
import { unwrapExpression } from "./module";
import { HOLE, hostOf } from "./syntax";

const { SyntaxKind } = ts;

/** The names of a response's status code (`res.status`, Node's `res.statusCode`). */
const STATUS_NAMES = new Set(["status", "statusCode"]);
/** The name of a response's success flag (`res.ok`). */
const OK_NAMES: ReadonlySet<string> = new Set(["ok"]);
/**
 * Also a result's success flag (`result.success` of an SDK's or a provider wrapper's `{ success,
 * data, error }`): read so only in loops over a list, where the next entry is a fallback. In a
 * loop on a condition `if (job.success) break;` is as often a poll waiting for a job to succeed.
 */
const SUCCESS_FLAG_NAMES: ReadonlySet<string> = new Set(["ok", "success"]);

/** A number a status is compared with (`200`), or undefined. */
function statusNumber(node: ts.Expression): number | undefined {
  const value = unwrapExpression(node);
  return ts.isNumericLiteral(value) ? Number(value.text) : undefined;
}

function isStatusRead(node: ts.Expression): boolean {
  const value = unwrapExpression(node);
  return ts.isPropertyAccessExpression(value) && STATUS_NAMES.has(value.name.text);
}

/** How a comparison of a status with a number reads: "success" when it holds for 2xx, "failure" when only for errors. */
function statusComparison(operator: ts.SyntaxKind, n: number): "success" | "failure" | undefined {
  switch (operator) {
    case SyntaxKind.EqualsEqualsEqualsToken:
    case SyntaxKind.EqualsEqualsToken:
      return n >= 200 && n < 300 ? "success" : n >= 400 ? "failure" : undefined;
    case SyntaxKind.ExclamationEqualsEqualsToken:
    case SyntaxKind.ExclamationEqualsToken:
      return n >= 200 && n < 300 ? "failure" : n >= 400 ? "success" : undefined;
    case SyntaxKind.LessThanToken:
      return n >= 300 && n <= 500 ? "success" : undefined;
    case SyntaxKind.LessThanEqualsToken:
      return n >= 299 && n < 500 ? "success" : undefined;
    case SyntaxKind.GreaterThanEqualsToken:
      return n >= 400 ? "failure" : undefined;
    case SyntaxKind.GreaterThanToken:
      return n >= 399 ? "failure" : undefined;
    default:
      return undefined;
  }
}

/** The operator of `n OP status` read as `status OP' n`. */
function flipped(operator: ts.SyntaxKind): ts.SyntaxKind {
  switch (operator) {
    case SyntaxKind.LessThanToken:
      return SyntaxKind.GreaterThanToken;
    case SyntaxKind.LessThanEqualsToken:
      return SyntaxKind.GreaterThanEqualsToken;
    case SyntaxKind.GreaterThanToken:
      return SyntaxKind.LessThanToken;
    case SyntaxKind.GreaterThanEqualsToken:
      return SyntaxKind.LessThanEqualsToken;
    default:
      return operator;
  }
}

/**
 * Whether a condition holds whenever the response it tests succeeded (`res.ok`, `res.status ===
 * 200`, `res.ok || attempt >= max`): "success"; whether it holds only when it failed (`!res.ok`,
 * `res.status >= 500`, `res.status === 429 && attempt < max`): "failure"; otherwise undefined.
 */
export function responseTest(node: ts.Expression, flags: ReadonlySet<string> = OK_NAMES): "success" | "failure" | undefined {
  const value = unwrapExpression(node);
  if (ts.isPropertyAccessExpression(value) && flags.has(value.name.text)) return "success";
  // `isRetryable(result)`, `opts.shouldRetry(err)`, `isTransientFailure(r)`: holds only when it failed.
  if (ts.isCallExpression(value) && failurePredicate(value.expression)) return "failure";
  if (ts.isPrefixUnaryExpression(value) && value.operator === SyntaxKind.ExclamationToken) {
    const inner = responseTest(value.operand, flags);
    return inner === "success" ? "failure" : inner === "failure" ? "success" : undefined;
  }
  if (!ts.isBinaryExpression(value)) return undefined;
  const operator = value.operatorToken.kind;
  if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.AmpersandAmpersandToken) {
    const left = responseTest(value.left, flags);
    const right = responseTest(value.right, flags);
    // `a || b` holds whenever either holds; `a && b` only when both do.
    if (operator === SyntaxKind.BarBarToken) {
      if (left === "success" || right === "success") return "success";
      return left === "failure" && right === "failure" ? "failure" : undefined;
    }
    if (left === "failure" || right === "failure") return "failure";
    return left === "success" && right === "success" ? "success" : undefined;
  }
  if (isStatusRead(value.left)) {
    const n = statusNumber(value.right);
    return n === undefined ? undefined : statusComparison(operator, n);
  }
  if (isStatusRead(value.right)) {
    const n = statusNumber(value.left);
    return n === undefined ? undefined : statusComparison(flipped(operator), n);
  }
  return undefined;
}

/**
 * A function named for telling that a request should be made again (`isRetryable`, `shouldRetry`,
 * `isRetriableError`, `isTransientOcrFailure`, also as a method or an option): true of a failed
 * result only.
 */
function failurePredicate(callee: ts.Expression): boolean {
  const value = unwrapExpression(callee);
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  return name !== undefined && /^(?:is(?:Retryable|Retriable|Transient)|shouldRetry)(?:[A-Z_]|$)/.test(name);
}

/** Whether a statement always leaves the code after it (`continue`, `throw`, `return`, `break`, or a block ending in one). */
function alwaysLeaves(statement: ts.Statement): boolean {
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && alwaysLeaves(last);
  }
  return (
    statement.kind === SyntaxKind.ContinueStatement ||
    statement.kind === SyntaxKind.ThrowStatement ||
    statement.kind === SyntaxKind.ReturnStatement ||
    statement.kind === SyntaxKind.BreakStatement
  );
}

/**
 * Whether an exit of a loop is taken whenever the request before it succeeded: it is the branch of
 * an `if` on the response's success (`if (res.ok) return res;`, `else return` after `if (!res.ok)`),
 * comes after an `if` that leaves only on failure (`if (res.status === 429) { ...; continue; }
 * return res;`), or is a `return` written in a `try` (`try { return await fn(); } catch {}`: it
 * returns unless the call threw).
 */
function exitOnSuccess(exit: ts.Statement, flags: ReadonlySet<string> = OK_NAMES): boolean {
  const parent = exit.parent;
  // `if (res.ok) return res;` / `if (!res.ok) {...} else return res;`
  if (ts.isIfStatement(parent)) return onSuccessSide(parent, exit, flags);
  if (!ts.isBlock(parent)) return false;
  // `if (res.status === 429) { await sleep(ms); continue; } return res;`: only a failure goes round again.
  const index = parent.statements.indexOf(exit);
  for (let i = 0; i < index; i++) {
    const before = parent.statements[i]!;
    if (
      ts.isIfStatement(before) &&
      !before.elseStatement &&
      responseTest(before.expression, flags) === "failure" &&
      alwaysLeaves(before.thenStatement)
    )
      return true;
  }
  const holder = parent.parent;
  if (ts.isIfStatement(holder)) return onSuccessSide(holder, parent, flags);
  // `try { return await fn(); } catch (e) { last = e; }`: it returns unless the call threw.
  return ts.isTryStatement(holder) && holder.tryBlock === parent && ts.isReturnStatement(exit);
}

/** Whether a branch of an `if` runs whenever the response it tests succeeded. */
function onSuccessSide(statement: ts.IfStatement, branch: ts.Node, flags: ReadonlySet<string>): boolean {
  const test = responseTest(statement.expression, flags);
  return (statement.thenStatement === branch && test === "success") || (statement.elseStatement === branch && test === "failure");
}

/** The `return` and `break` statements that leave a loop (not those of nested functions, nor breaks of nested loops or switches). */
function exitsOf(loop: ts.IterationStatement): ts.Statement[] {
  const exits: ts.Statement[] = [];
  const visit = (node: ts.Node, nested: boolean): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) exits.push(node);
    else if (ts.isBreakStatement(node) && !node.label && !nested) exits.push(node);
    const inner = nested || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (c) => visit(c, inner));
  };
  visit(loop.statement, false);
  return exits;
}

/**
 * Whether a counting loop reads a list by its counter (`for (let i = 0; i < urls.length; i++)
 * fetch(urls[i])`): it tries sources in turn, each a different request, as `for (const url of urls)` does.
 */
export function indexesList(loop: ts.IterationStatement): boolean {
  if (!ts.isForStatement(loop) || !loop.initializer || !ts.isVariableDeclarationList(loop.initializer)) return false;
  const counters = new Set(loop.initializer.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : "")));
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isElementAccessExpression(node)) {
      const index = unwrapExpression(node.argumentExpression);
      const mentions = (n: ts.Node): boolean => (ts.isIdentifier(n) && counters.has(n.text)) || ts.forEachChild(n, mentions) === true;
      if (mentions(index)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return found;
}

/**
 * Whether every loop around a call within its function that waits is a retry loop (see
 * isRetryLoop): a callback a retry helper calls (`for (...) { try { return await fn(); } catch {} }`)
 * runs once on the usual path. False when no loop is around it.
 */
export function onlyRetriedIn(call: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  let loops = 0;
  for (let node = call.parent; node && node !== fn; node = node.parent) {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isIterationStatement(node, false)) {
      if (!isRetryLoop(node)) return false;
      loops++;
    }
  }
  return loops > 0;
}

const retryLoops = new WeakMap<ts.IterationStatement, boolean>();

/**
 * A retry loop: a loop on a counter or a condition (`for (let i = 0; i < 3; i++)`, `while (attempt
 * < max)`, `while (true)`) that it leaves when its request succeeds (see exitOnSuccess). It goes
 * round again only after a failure, so one attempt is its usual run. So is a failover loop over a
 * list of providers, keys or mirrors (`for (const key of keys) { const r = await fetch(u, key); if
 * (r.ok) return r; }`, `for (const p of providers) { try { return await call(p); } catch {} }`,
 * `MIRRORS[i]` read by a counter): the next entry is tried only when one failed. A loop that goes
 * on after a success (collecting results), pages of a list (`if (!next) break;`) and polls (`if
 * (job.done) return job;`) leave on what the response says, not on its success, and are loops.
 */
export function isRetryLoop(loop: ts.IterationStatement): boolean {
  let known = retryLoops.get(loop);
  if (known !== undefined) return known;
  const overList = ts.isForOfStatement(loop) || ts.isForInStatement(loop) || indexesList(loop);
  const flags = overList ? SUCCESS_FLAG_NAMES : OK_NAMES;
  known = exitsOf(loop).some((exit) => exitOnSuccess(exit, flags) || exitOnFound(exit, loop));
  retryLoops.set(loop, known);
  return known;
}

/**
 * Whether an exit of a loop that tries candidates in turn is taken once one has what was looked
 * for (`for (let back = 1; back <= 5; back++) { const res = await fetch(url(dayBefore(back))); const
 * items = (await res.json()).items; if (items && items.length > 0) { found = items; break; } }`):
 * the exit is the branch of an `if` on data being there (a value, a non-empty `.length`), that
 * data comes from a request whose arguments change with the loop (its counter or entry, directly
 * or through names the body derives from it), and the branch keeps or returns it. The next
 * candidate is tried only when one had nothing, as with failover. A poll asks the same request
 * again, a pager that stops at the last page (`if (page.done) break`, `if (!items.length)
 * break`) does not keep what it tested in the branch that leaves, and a search computes what it
 * tests from the response (`page.result.find(...)`): all stay loops.
 */
function exitOnFound(exit: ts.Statement, loop: ts.IterationStatement): boolean {
  const parent = exit.parent;
  const branch = ts.isBlock(parent) ? parent : exit;
  const test = branch.parent;
  if (!ts.isIfStatement(test) || test.thenStatement !== branch) return false;
  const tested = new Set<string>();
  if (!presenceTest(test.expression, tested)) return false;
  const derived = loopDerivedNames(loop);
  if (derived.size === 0) return false;
  const declared = bodyDeclarations(loop);
  return [...tested].some((name) => mentions(branch, new Set([name])) && fromChangingRequest(name, declared, derived, 0));
}

/**
 * Whether a condition holds only when data is there: a value (`items`, `data?.items`), a length
 * that is not 0 (`items.length`, `items.length > 0`), those joined by `&&`, or a choice of them
 * (`Array.isArray(items) ? items.length > 0 : true`). Collects the names the data is read from.
 */
function presenceTest(node: ts.Expression, names: Set<string>): boolean {
  const value = unwrapExpression(node);
  // A name alone: the data itself. (A field alone, `item.match`, may be a flag a search looks for.)
  if (ts.isIdentifier(value)) {
    names.add(value.text);
    return true;
  }
  // `items.length`: not empty.
  if (ts.isPropertyAccessExpression(value) && value.name.text === "length") {
    const root = rootName(value.expression);
    if (root) names.add(root);
    return root !== undefined;
  }
  if (ts.isConditionalExpression(value)) {
    const side = (branch: ts.Expression): boolean =>
      unwrapExpression(branch).kind === SyntaxKind.TrueKeyword || presenceTest(branch, names);
    return isArrayCheck(value.condition) && side(value.whenTrue) && side(value.whenFalse);
  }
  if (!ts.isBinaryExpression(value)) return false;
  const operator = value.operatorToken.kind;
  if (operator === SyntaxKind.AmpersandAmpersandToken) {
    // `data.items && data.items.length > 0`: a field read alone only guards the test beside it.
    const guard = (side: ts.Expression): boolean => {
      const part = unwrapExpression(side);
      return (
        isArrayCheck(part) || ((ts.isPropertyAccessExpression(part) || ts.isElementAccessExpression(part)) && rootName(part) !== undefined)
      );
    };
    const left = guard(value.left) || presenceTest(value.left, names);
    const right = guard(value.right) || presenceTest(value.right, names);
    return left && right && names.size > 0;
  }
  const left = unwrapExpression(value.left);
  const right = unwrapExpression(value.right);
  const lengthOf = (side: ts.Expression): boolean => {
    const root = ts.isPropertyAccessExpression(side) && side.name.text === "length" ? rootName(side.expression) : undefined;
    if (root) names.add(root);
    return root !== undefined;
  };
  const number = (side: ts.Expression): number | undefined => (ts.isNumericLiteral(side) ? Number(side.text) : undefined);
  if (number(right) !== undefined && ts.isPropertyAccessExpression(left) && left.name.text === "length") {
    const n = number(right)!;
    const nonEmpty =
      (operator === SyntaxKind.GreaterThanToken && n === 0) ||
      (operator === SyntaxKind.GreaterThanEqualsToken && n === 1) ||
      ((operator === SyntaxKind.ExclamationEqualsEqualsToken || operator === SyntaxKind.ExclamationEqualsToken) && n === 0);
    return nonEmpty && lengthOf(left);
  }
  if (number(left) === 0 && operator === SyntaxKind.LessThanToken) return lengthOf(right);
  return false;
}

/** `Array.isArray(x)`: a check of the data's shape, not of its presence. */
function isArrayCheck(node: ts.Expression): boolean {
  const value = unwrapExpression(node);
  if (!ts.isCallExpression(value)) return false;
  const callee = unwrapExpression(value.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === "isArray" &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === "Array"
  );
}

/** The name a chain of property reads starts from (`data` of `data?.items[0]`). */
function rootName(node: ts.Expression): string | undefined {
  let value = unwrapExpression(node);
  while (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) value = unwrapExpression(value.expression);
  return ts.isIdentifier(value) ? value.text : undefined;
}

/** Whether a node mentions one of the names (outside nested functions). */
function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node)) return names.has(node.text);
  if (ts.isFunctionLike(node)) return false;
  // `data.items` reads the field items, not a name items.
  if (ts.isPropertyAccessExpression(node)) return mentions(node.expression, names);
  return ts.forEachChild(node, (child) => mentions(child, names) || undefined) === true;
}

/** The variables a loop's body declares (outside nested functions), by name, with what each is given. */
function bodyDeclarations(loop: ts.IterationStatement): Map<string, ts.Expression> {
  const declared = new Map<string, ts.Expression>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const initializer = node.initializer;
      const bind = (name: ts.BindingName): void => {
        if (ts.isIdentifier(name)) declared.set(name.text, initializer);
        else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
      };
      bind(node.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return declared;
}

/**
 * The names that change with each round of a loop: its counters (`for (let i ...)`), its entry
 * (`for (const url of urls)`), and the body's variables given a value that reads one of them
 * (`const day = dayBefore(i)`, then `const url = \`...${day}\``), in the order written.
 */
function loopDerivedNames(loop: ts.IterationStatement): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  if ((ts.isForStatement(loop) || ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && loop.initializer) {
    if (ts.isVariableDeclarationList(loop.initializer)) for (const d of loop.initializer.declarations) bind(d.name);
  }
  if (names.size === 0) return names;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclaration(node) && node.initializer && mentions(node.initializer, names)) bind(node.name);
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return names;
}

/**
 * Whether a name of the loop's body holds what an awaited call returned whose arguments change
 * with the loop (`const res = await fetch(url)` with `url` from the counter), directly or through
 * the body's names read from it (`const data = await res.json()`, `const items = data.items`).
 */
function fromChangingRequest(
  name: string,
  declared: ReadonlyMap<string, ts.Expression>,
  derived: ReadonlySet<string>,
  depth: number,
): boolean {
  if (depth > 6) return false;
  const initializer = declared.get(name);
  if (!initializer || !readOnly(initializer)) return false;
  let changing = false;
  const visit = (node: ts.Node): void => {
    if (changing || ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) {
      const call = unwrapExpression(node.expression);
      if (ts.isCallExpression(call) && call.arguments.some((argument) => mentions(argument, derived))) changing = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(initializer);
  if (changing) return true;
  const read = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isIdentifier(node) && node.text !== name && declared.has(node.text)) read.add(node.text);
    ts.forEachChild(node, collect);
  };
  collect(initializer);
  return [...read].some((other) => fromChangingRequest(other, declared, derived, depth + 1));
}

/**
 * Whether a value only reads what a request answered: awaited calls (the request, `res.json()`)
 * and fields, no call computed from it (`body.result.find((a) => a.email === email)` searches the
 * page for something, and the next page is asked when it is not there: a search, not a fallback).
 */
function readOnly(initializer: ts.Expression): boolean {
  let computed = false;
  const visit = (node: ts.Node): void => {
    if (computed) return;
    if (ts.isFunctionLike(node)) {
      computed = true;
      return;
    }
    if (ts.isCallExpression(node)) {
      let holder: ts.Node = node.parent;
      while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isNonNullExpression(holder)) holder = holder.parent;
      if (!ts.isAwaitExpression(holder)) {
        computed = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(initializer);
  return !computed;
}

/** The innermost loop a node is in within its function, or undefined. */
export function enclosingLoop(node: ts.Node): ts.IterationStatement | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return undefined;
    if (ts.isIterationStatement(n, false)) return n;
  }
  return undefined;
}

function functionOf(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return n;
  return undefined;
}

/** The text of a call's `method` option (`""` when it gives none), or undefined when it cannot be read. */
function methodOf(call: ts.CallExpression): string | undefined {
  const init = call.arguments[1];
  if (!init) return "";
  const value = unwrapExpression(init);
  if (!ts.isObjectLiteralExpression(value)) return undefined;
  let method = "";
  for (const property of value.properties) {
    if (ts.isSpreadAssignment(property)) return undefined;
    if (property.name && ts.isIdentifier(property.name) && property.name.text === "method") {
      if (!ts.isPropertyAssignment(property)) return undefined;
      method = property.initializer.getText();
    }
  }
  return method;
}

/** The variable an awaited call's result is put in (`const res = await fetch(url)`, `res = await fetch(url)`). */
function heldIn(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) return parent.name.text;
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === SyntaxKind.EqualsToken &&
    parent.right === node &&
    ts.isIdentifier(parent.left)
  )
    return parent.left.text;
  return undefined;
}

/** Whether a call's answer is what its function returns (`return fetch(url)`, `return await fetch(url)`). */
function returned(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent)) node = node.parent;
  return ts.isReturnStatement(node.parent) || (ts.isArrowFunction(node.parent) && node.parent.body === node);
}

/** Whether a condition reads the success of the response held in `name` (`name.ok`, `name.status`). */
function testsResponse(condition: ts.Expression, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (
      ts.isPropertyAccessExpression(node) &&
      (node.name.text === "ok" || STATUS_NAMES.has(node.name.text)) &&
      ts.isIdentifier(unwrapExpression(node.expression)) &&
      (unwrapExpression(node.expression) as ts.Identifier).text === name
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(condition);
  return found && responseTest(condition) !== undefined;
}

const retryCalls = new WeakMap<ts.CallExpression, ts.CallExpression | null>();

/** Past this many calls in one function, retries are not looked for there (a retry then counts, as any call does). */
const MAX_CALLS_FOR_RETRIES = 2_000;
/** How many earlier requests of the same kind a call may be the retry of: the nearest ones. */
const MAX_RETRY_CANDIDATES = 8;

/** What makes two requests the same for retriedCall: callee, first argument and `method`. */
function requestKey(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  const method = methodOf(call);
  if (!first || method === undefined) return undefined;
  return `${call.expression.getText()}\0${first.getText()}\0${method}`;
}

/**
 * What makes a request the fallback of another for retriedCall: the same callee and `method` to
 * another address (`fetch(input.target)`, then `fetch(input.fallbackTarget)` when it failed).
 */
function fallbackKey(call: ts.CallExpression): string | undefined {
  const method = methodOf(call);
  if (!call.arguments[0] || method === undefined) return undefined;
  return `fallback\0${call.expression.getText()}\0${method}`;
}

/**
 * Where a request goes, read from its first argument alone: the host of a URL written out
 * (`"https://auth.example.com/token"`, `` `https://auth.example.com/${path}` ``), or the variable
 * a template starts with (`` `${base}/token` ``); undefined when it cannot be told this way.
 */
function targetOf(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  if (!first) return undefined;
  const value = unwrapExpression(first);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) {
    const host = hostOf(value.text);
    return host === undefined ? undefined : `host\0${host}`;
  }
  if (!ts.isTemplateExpression(value)) return undefined;
  if (value.head.text !== "") {
    const host = hostOf(value.head.text + HOLE);
    return host === undefined ? undefined : `host\0${host}`;
  }
  // `${base}/token`: the same base, another path on it.
  const base = unwrapExpression(value.templateSpans[0]!.expression);
  return (ts.isIdentifier(base) || ts.isPropertyAccessExpression(base)) && value.templateSpans[0]!.literal.text.startsWith("/")
    ? `base\0${base.getText()}`
    : undefined;
}

/** Whether a branch returns somewhere (`if (res.ok) { const body = await res.json(); if (body.access_token) return body; }`), outside nested functions. */
function returnsIn(branch: ts.Statement): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (ts.isReturnStatement(node)) return true;
    return ts.forEachChild(node, visit) === true;
  };
  return visit(branch);
}

/**
 * The names a held response is read through in a function: its own, and those destructured from
 * it or read off it (`const { response } = result`, `const response = result.response`), as a
 * helper that returns a result object gives its response.
 */
function namesOf(fn: ts.Node, held: string): Set<string> {
  const names = new Set([held]);
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const value = unwrapExpression(node.initializer);
      if (ts.isIdentifier(value) && value.text === held && ts.isObjectBindingPattern(node.name)) {
        for (const element of node.name.elements) if (ts.isIdentifier(element.name)) names.add(element.name.text);
      } else if (
        ts.isIdentifier(node.name) &&
        ts.isPropertyAccessExpression(value) &&
        ts.isIdentifier(value.expression) &&
        value.expression.text === held
      )
        names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return names;
}

/**
 * The requests of a function whose response is held in a variable, by requestKey, in source
 * order; built once per function, so looking up each call stays linear in the function's size.
 * Undefined for a function with more than MAX_CALLS_FOR_RETRIES calls.
 */
const heldRequestsByFunction = new WeakMap<ts.Node, Map<string, ts.CallExpression[]> | null>();
function heldRequestsOf(fn: ts.Node): Map<string, ts.CallExpression[]> | undefined {
  const known = heldRequestsByFunction.get(fn);
  if (known !== undefined) return known ?? undefined;
  const held = new Map<string, ts.CallExpression[]>();
  let calls = 0;
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      calls++;
      if (heldIn(node))
        for (const key of [requestKey(node), fallbackKey(node)]) {
          if (key === undefined) continue;
          const same = held.get(key);
          if (same) same.push(node);
          else held.set(key, [node]);
        }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  const index = calls > MAX_CALLS_FOR_RETRIES ? undefined : held;
  heldRequestsByFunction.set(fn, index ?? null);
  return index;
}

/**
 * The request a call repeats after it failed, when it is one: the same call (same callee, same
 * first argument, same `method`) written earlier in the function, whose response is held in a
 * variable that an `if` between them tests for success (`const res = await fetch(url, a); if
 * (res.ok) return res; return fetch(url, b);`, or the retry inside `if (!res.ok) { ... }`).
 */
export function retriedCall(call: ts.CallExpression): ts.CallExpression | undefined {
  const known = retryCalls.get(call);
  if (known !== undefined) return known ?? undefined;
  let found: ts.CallExpression | undefined;
  const fn = functionOf(call);
  const index = fn && heldRequestsOf(fn);
  const key = requestKey(call);
  const fallback = fallbackKey(call);
  // The same request again, or the same callee to another address (a fallback), nearest first.
  const exact = new Set(index && key !== undefined ? (index.get(key) ?? []) : []);
  const sameRequests = index
    ? [...new Set([...(key !== undefined ? (index.get(key) ?? []) : []), ...(fallback !== undefined ? (index.get(fallback) ?? []) : [])])]
    : undefined;
  if (fn && sameRequests?.length) {
    const earlier = sameRequests
      .filter((candidate) => candidate.end <= call.pos)
      .sort((a, b) => a.pos - b.pos)
      .slice(-MAX_RETRY_CANDIDATES);
    for (const candidate of earlier) {
      const held = heldIn(candidate);
      if (!held) continue;
      // A call to another address is a fallback only when its answer takes the first one's place
      // (`res = await fetch(backupUrl)`, `return fetch(backupUrl)`); a call made before refusing
      // (`if (!s.ok) { await fetch(auditUrl); return deny(); }`) is the refusing path's own.
      // The same target (the same URL, or the same host or base another way) is the same request
      // tried again (a token endpoint asked with the credentials in a header after the body failed).
      const sameTarget = exact.has(candidate) || (targetOf(candidate) !== undefined && targetOf(candidate) === targetOf(call));
      if (!sameTarget && heldIn(call) !== held && !returned(call)) continue;
      const names = namesOf(fn, held);
      // An `if` after the first request, around or before the retry, testing its response.
      const tested = (node: ts.Node): boolean => {
        // Only what lies between the first request and the retry can test the response.
        if (node.end <= candidate.end || node.pos >= call.pos) return false;
        if (
          ts.isIfStatement(node) &&
          node.pos >= candidate.end &&
          node.pos < call.pos &&
          [...names].some((name) => testsResponse(node.expression, name))
        ) {
          const around = call.pos >= node.thenStatement.pos && call.end <= node.thenStatement.end;
          const inElse = node.elseStatement !== undefined && call.pos >= node.elseStatement.pos && call.end <= node.elseStatement.end;
          const test = responseTest(node.expression);
          if ((around && test === "failure") || (inElse && test === "success")) return true;
          // After `if (res.ok) return res;`, or `if (res.ok) { ...; if (body.token) return body.token; }`
          // (reached when the success branch did not return), only a request to the same target: one
          // to another host there may be an origin after a cache miss, a usual path, not a fallback.
          if (
            sameTarget &&
            node.end <= call.pos &&
            test === "success" &&
            !node.elseStatement &&
            (alwaysLeaves(node.thenStatement) || returnsIn(node.thenStatement))
          )
            return true;
        }
        if (node !== fn && ts.isFunctionLike(node)) return false;
        return ts.forEachChild(node, tested) === true;
      };
      if (tested(fn)) {
        found = candidate;
        break;
      }
    }
  }
  retryCalls.set(call, found ?? null);
  return found;
}
