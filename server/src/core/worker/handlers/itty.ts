import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "../module";
import type { FunctionRef } from "../syntax";

/**
 * itty-router runs every route whose method and path match, in the order they were registered,
 * until a handler returns something other than `undefined` or `null`. A registration whose handlers
 * may all return nothing (`router.all("*", withUser)` that only sets `request.user`) is middleware
 * of the later routes it matches; one that always answers (`router.all("*", () => error(404))`) is not.
 */

/** Finds the function a callee names, when it is the project's (see ValueResolver.functionFrom). */
export type FunctionLookup = (expression: ts.Expression, module: ModuleFacts) => FunctionRef | undefined;

const MAX_DEPTH = 6;

/** Whether a handler may finish without an answer, so that itty goes on to the next matching route. */
export function mayAnswerNothing(ref: FunctionRef, lookup: FunctionLookup, depth = 0): boolean {
  const body = ref.fn.body;
  // A declaration without a body, or too deep to follow: it may return nothing.
  if (!body || depth > MAX_DEPTH) return true;
  if (!ts.isBlock(body)) return valueMayBeNothing(body, ref.module, lookup, depth);
  if (completesNormally(body.statements)) return true;
  let nothing = false;
  const visit = (node: ts.Node): void => {
    if (nothing) return;
    // Returns of nested functions are theirs.
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) nothing = !node.expression || valueMayBeNothing(node.expression, ref.module, lookup, depth);
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return nothing;
}

/**
 * Whether a returned value may be `undefined` or `null`. Calls of a package's functions
 * (`error(404)`, `json(data)`, `new Response(...)`) answer; a call of the project's function is as
 * its returns are.
 */
function valueMayBeNothing(expression: ts.Expression, module: ModuleFacts, lookup: FunctionLookup, depth: number): boolean {
  const value = unwrapExpression(expression);
  if (ts.isAwaitExpression(value)) return valueMayBeNothing(value.expression, module, lookup, depth);
  if (ts.isVoidExpression(value) || value.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(value) && value.text === "undefined") return true;
  if (ts.isConditionalExpression(value))
    return valueMayBeNothing(value.whenTrue, module, lookup, depth) || valueMayBeNothing(value.whenFalse, module, lookup, depth);
  if (ts.isBinaryExpression(value)) {
    const operator = value.operatorToken.kind;
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken)
      return valueMayBeNothing(value.right, module, lookup, depth);
    // `ok && error(401)`: `ok` itself when it is falsy.
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return true;
    // `request.user = user`: the value assigned, which is seldom a Response.
    if (operator === ts.SyntaxKind.EqualsToken) return valueMayBeNothing(value.right, module, lookup, depth);
    if (operator === ts.SyntaxKind.CommaToken) return valueMayBeNothing(value.right, module, lookup, depth);
    return false;
  }
  if (ts.isCallExpression(value)) {
    // `fetch(url).then((r) => { request.flags = ... })`: the promise holds what the callback returns.
    const target = unwrapExpression(value.expression);
    if (ts.isPropertyAccessExpression(target) && (target.name.text === "then" || target.name.text === "catch")) {
      const callback = value.arguments[0] && lookup(value.arguments[0], module);
      if (callback && mayAnswerNothing(callback, lookup, depth + 1)) return true;
      return target.name.text === "catch" && valueMayBeNothing(target.expression, module, lookup, depth);
    }
    const callee = lookup(value.expression, module);
    return callee ? mayAnswerNothing(callee, lookup, depth + 1) : false;
  }
  // A variable or a property (`return response`): handlers return what they answer with.
  return false;
}

/** Whether running the statements may reach their end (a conservative reading: loops and labels may). */
function completesNormally(statements: readonly ts.Statement[]): boolean {
  return statements.every((statement) => statementCompletes(statement));
}

function statementCompletes(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return false;
  if (ts.isBlock(statement)) return completesNormally(statement.statements);
  if (ts.isIfStatement(statement))
    return !statement.elseStatement || statementCompletes(statement.thenStatement) || statementCompletes(statement.elseStatement);
  if (ts.isTryStatement(statement)) {
    if (statement.finallyBlock && !completesNormally(statement.finallyBlock.statements)) return false;
    return (
      completesNormally(statement.tryBlock.statements) ||
      (!!statement.catchClause && completesNormally(statement.catchClause.block.statements))
    );
  }
  if (ts.isSwitchStatement(statement)) {
    const clauses = statement.caseBlock.clauses;
    if (!clauses.some((c) => ts.isDefaultClause(c))) return true;
    // A clause that falls into the next one ends as the next one does; only the last one's end, or a break, completes.
    const last = clauses[clauses.length - 1]!;
    return completesNormally(last.statements) || clauses.some((c) => c.statements.some((s) => containsBreak(s)));
  }
  return true;
}

function containsBreak(node: ts.Node): boolean {
  if (ts.isBreakStatement(node)) return true;
  if (ts.isFunctionLike(node) || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node)) return false;
  return ts.forEachChild(node, (child) => containsBreak(child) || undefined) ?? false;
}

/**
 * Whether a route registered at `pattern` runs for requests to `path`, as itty-router matches:
 * `:name` is any one segment, `*` anything after (also nothing), other segments as written.
 */
export function ittyMatches(pattern: string, path: string): boolean {
  const want = pattern.split("/").filter((s) => s !== "");
  const have = path.split("/").filter((s) => s !== "");
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === "*") return true;
    const given = have[i];
    if (given === undefined) return segment.startsWith(":") && segment.endsWith("?") && i === want.length - 1;
    if (segment.startsWith(":")) {
      // A wildcard of the later route covers more than one segment: not all of its requests match.
      if (given === "*") return false;
      continue;
    }
    if (segment !== given) return false;
  }
  return want.length === have.length;
}
