import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf, isConstDeclaration } from "./syntax";

const { isCallExpression, isIdentifier, isNewExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

/**
 * What a condition always is, when the language says so whatever the request: the path of a URL
 * always starts with "/" (`new URL(request.url).pathname.startsWith("/")`; a request's URL is
 * http or https, whose path is never empty), so a branch under the opposite is never taken.
 * Undefined when the condition may go either way.
 */
export function constantCondition(
  expression: ts.Expression,
  isIncomingRequest: (expression: ts.Expression) => boolean,
  depth = 0,
): boolean | undefined {
  if (depth > 4) return undefined;
  const value = unwrapExpression(expression);
  if (isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = constantCondition(value.operand, isIncomingRequest, depth + 1);
    return inner === undefined ? undefined : !inner;
  }
  // `if (PULL_ZONE)`, `if (PULL_ZONE.length > 0)` on a `const` that holds a literal.
  const constant = constantLiteralCondition(value);
  if (constant !== undefined) return constant;
  // `url.pathname.startsWith("/")`
  if (!isCallExpression(value) || value.arguments.length !== 1) return undefined;
  const callee = unwrapExpression(value.expression);
  const argument = unwrapExpression(value.arguments[0]!);
  if (!isPropertyAccessExpression(callee) || callee.name.text !== "startsWith") return undefined;
  if (!isStringLiteralLike(argument) || argument.text !== "/") return undefined;
  const pathname = unwrapExpression(callee.expression);
  if (!isPropertyAccessExpression(pathname) || pathname.name.text !== "pathname") return undefined;
  return isRequestUrl(pathname.expression, isIncomingRequest, 0) ? true : undefined;
}

/**
 * A condition on a `const` (of the module or a function) initialised with a literal: the name alone
 * when the literal is a non-empty string, `true` or a number other than 0 (always true; `!NAME`
 * always false), or the length of such a string compared with a number (`PULL_ZONE.length > 0`).
 * Nothing else: a falsy literal, a `let`, a value computed or imported stays undecided.
 */
function constantLiteralCondition(value: ts.Expression): boolean | undefined {
  if (isIdentifier(value)) {
    const literal = constLiteral(value);
    if (literal === undefined) return undefined;
    return literal === true ||
      (typeof literal === "string" && literal.length > 0) ||
      (typeof literal === "number" && literal !== 0 && !Number.isNaN(literal))
      ? true
      : undefined;
  }
  if (!ts.isBinaryExpression(value)) return undefined;
  const left = constLength(unwrapExpression(value.left)) ?? numberLiteral(unwrapExpression(value.left));
  const right = constLength(unwrapExpression(value.right)) ?? numberLiteral(unwrapExpression(value.right));
  const lengths = [value.left, value.right].filter((side) => constLength(unwrapExpression(side)) !== undefined).length;
  if (left === undefined || right === undefined || lengths === 0) return undefined;
  switch (value.operatorToken.kind) {
    case ts.SyntaxKind.GreaterThanToken:
      return left > right;
    case ts.SyntaxKind.GreaterThanEqualsToken:
      return left >= right;
    case ts.SyntaxKind.LessThanToken:
      return left < right;
    case ts.SyntaxKind.LessThanEqualsToken:
      return left <= right;
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken:
      return left === right;
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken:
      return left !== right;
    default:
      return undefined;
  }
}

/** The literal a `const NAME = <literal>` holds (a string, `true`/`false`, a number), read through the name. */
function constLiteral(name: ts.Identifier): string | number | boolean | undefined {
  const declaration = declarationOf(name);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !isIdentifier(declaration.name) || !declaration.initializer)
    return undefined;
  if (!isConstDeclaration(declaration)) return undefined;
  const initializer = unwrapExpression(declaration.initializer);
  if (isStringLiteralLike(initializer)) return initializer.text;
  if (ts.isNumericLiteral(initializer)) return Number(initializer.text);
  if (initializer.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (initializer.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** `NAME.length` where NAME is a `const` holding a string literal. */
function constLength(value: ts.Expression): number | undefined {
  if (!isPropertyAccessExpression(value) || value.name.text !== "length") return undefined;
  const target = unwrapExpression(value.expression);
  if (!isIdentifier(target)) return undefined;
  const literal = constLiteral(target);
  return typeof literal === "string" ? literal.length : undefined;
}

function numberLiteral(value: ts.Expression): number | undefined {
  return ts.isNumericLiteral(value) ? Number(value.text) : undefined;
}

/** `new URL(request.url)` of the incoming request (also with a base), directly or through a `const`/`let` that holds it. */
function isRequestUrl(expression: ts.Expression, isIncomingRequest: (expression: ts.Expression) => boolean, depth: number): boolean {
  if (depth > 4) return false;
  const value = unwrapExpression(expression);
  if (isNewExpression(value)) {
    const callee = unwrapExpression(value.expression);
    const first = value.arguments?.[0] && unwrapExpression(value.arguments[0]);
    return (
      isIdentifier(callee) &&
      callee.text === "URL" &&
      first !== undefined &&
      isPropertyAccessExpression(first) &&
      first.name.text === "url" &&
      isIncomingRequest(first.expression)
    );
  }
  if (!isIdentifier(value)) return false;
  const declaration = declarationOf(value);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  // A `let` may be given another URL later; any URL's path still starts with "/" only when it is http(s).
  if (!isConstDeclaration(declaration) && !onlyMutatedByFields(value, declaration)) return false;
  return isRequestUrl(declaration.initializer, isIncomingRequest, depth + 1);
}

/** A `let` that is never assigned again (`url.hostname = ...` changes a field, not the URL's kind). */
function onlyMutatedByFields(name: ts.Identifier, declaration: ts.VariableDeclaration): boolean {
  const scope = declaration.parent.parent.parent;
  let assigned = false;
  const visit = (node: ts.Node): void => {
    if (assigned) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      isIdentifier(unwrapExpression(node.left)) &&
      (unwrapExpression(node.left) as ts.Identifier).text === name.text
    )
      assigned = true;
    ts.forEachChild(node, visit);
  };
  if (scope) visit(scope);
  return !assigned;
}

/**
 * Whether `node` sits where no request gets: in the branch of an `if` whose condition is constant
 * the other way, or after an always-taken `if` whose branch always leaves (ends in `return` or
 * `throw`).
 */
export function inUntakenCode(node: ts.Node, isIncomingRequest: (expression: ts.Expression) => boolean): boolean {
  for (let child = node, parent = node.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return false;
    if (ts.isIfStatement(parent) && child !== parent.expression) {
      const always = constantCondition(parent.expression, isIncomingRequest);
      if (always === true && child === parent.elseStatement) return true;
      if (always === false && child === parent.thenStatement) return true;
    }
    if (ts.isBlock(parent)) {
      const index = parent.statements.indexOf(child as ts.Statement);
      for (const earlier of parent.statements.slice(0, Math.max(0, index))) {
        if (!ts.isIfStatement(earlier) || earlier.elseStatement) continue;
        if (constantCondition(earlier.expression, isIncomingRequest) === true && alwaysLeaves(earlier.thenStatement)) return true;
      }
    }
  }
  return false;
}

/** A statement whose every run ends in `return` or `throw` (a block whose last statement does, with no labelled `break`). */
function alwaysLeaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  if (!last || !(ts.isReturnStatement(last) || ts.isThrowStatement(last))) return false;
  let labelled = false;
  const visit = (n: ts.Node): void => {
    if (labelled || ts.isFunctionLike(n)) return;
    if ((ts.isBreakStatement(n) || ts.isContinueStatement(n)) && n.label) labelled = true;
    ts.forEachChild(n, visit);
  };
  visit(statement);
  return !labelled;
}
