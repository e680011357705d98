import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf, isConstDeclaration } from "./syntax";

const { isCallExpression, isIdentifier, isNewExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

/** What a condition may be decided from besides its syntax. */
export interface ConditionFacts {
  /** Whether an expression is the incoming request. */
  readonly isIncomingRequest: (expression: ts.Expression) => boolean;
  /**
   * The value `[vars]` of the analysed environment gives a var read through the Worker's
   * environment (`env.STAGE`, `const { STAGE } = env`); undefined for anything else. Without it,
   * conditions on vars stay undecided.
   */
  readonly configVar?: (expression: ts.Expression) => string | undefined;
  /** Whether an expression reads a var the config disables, unset in the deployed Worker (see WorkerAnalysisInput.disabledVars). */
  readonly unsetVar?: (expression: ts.Expression) => boolean;
  /** What a name imports (`dev` from "$app/environment"); undefined when it is not an import. */
  readonly importOf?: (name: ts.Identifier) => { readonly module: string; readonly name: string } | undefined;
  /**
   * The project function a call's callee names (in its own file or imported); undefined when it
   * cannot be told. Without it, conditions on what a function returns stay undecided.
   */
  readonly calledFunction?: (callee: ts.Expression) => ts.FunctionLikeDeclaration | undefined;
}

/**
 * What a condition always is, when the language, the analysed environment's `[vars]` or the
 * framework's production build say so whatever the request: the path of a URL always starts with
 * "/" (`new URL(request.url).pathname.startsWith("/")`; a request's URL is http or https, whose path
 * is never empty); `env.ENVIRONMENT === "production"` when `[vars]` says so; `import.meta.dev` is
 * false in the build that is deployed. So a branch under the opposite is never taken: a guard that
 * answers 403 outside development ends the path before the development-only work.
 * Undefined when the condition may go either way.
 */
export function constantCondition(expression: ts.Expression, facts: ConditionFacts, depth = 0): boolean | undefined {
  if (depth > 4) return undefined;
  const value = unwrapExpression(expression);
  if (isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = constantCondition(value.operand, facts, depth + 1);
    return inner === undefined ? undefined : !inner;
  }
  // `!import.meta.dev && !isStaging`: decided when one side decides it (false for `&&`, true for `||`) or both are known.
  if (ts.isBinaryExpression(value)) {
    const operator = value.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
      const decisive = operator === ts.SyntaxKind.BarBarToken;
      const left = constantCondition(value.left, facts, depth + 1);
      if (left === decisive) return decisive;
      const right = constantCondition(value.right, facts, depth + 1);
      if (right === decisive) return decisive;
      return left === undefined || right === undefined ? undefined : !decisive;
    }
  }
  const configured = configuredCondition(value, facts, depth);
  if (configured !== undefined) return configured;
  const built = buildFlag(value, facts);
  if (built !== undefined) return built;
  // `if (PULL_ZONE)`, `if (PULL_ZONE.length > 0)` on a `const` that holds a literal.
  const constant = constantLiteralCondition(value);
  if (constant !== undefined) return constant;
  // `const isStaging = env.ENV === "staging"; if (!isStaging) ...`: what the constant was given.
  const initializer = constInitializer(value);
  if (initializer) return constantCondition(initializer, facts, depth + 1);
  // `getMode() === "mock"`, `isMock()`: a project function that always returns the same value.
  const returned = returnedConstantCondition(value, facts, depth);
  if (returned !== undefined) return returned;
  // `url.pathname.startsWith("/")`
  if (!isCallExpression(value) || value.arguments.length !== 1) return undefined;
  const callee = unwrapExpression(value.expression);
  const argument = unwrapExpression(value.arguments[0]!);
  if (!isPropertyAccessExpression(callee) || callee.name.text !== "startsWith") return undefined;
  if (!isStringLiteralLike(argument) || argument.text !== "/") return undefined;
  const pathname = unwrapExpression(callee.expression);
  if (!isPropertyAccessExpression(pathname) || pathname.name.text !== "pathname") return undefined;
  return isRequestUrl(pathname.expression, facts.isIncomingRequest, 0) ? true : undefined;
}

/**
 * A condition on what a project function always returns: the call alone (`if (isMock())`, a
 * function whose every `return` gives a condition decided the same way) or its value compared
 * with a literal (`getMode() === "mock"` where `getMode` only ever returns "mock", a hard-coded
 * switch-off kept while a key is revoked). See constantReturn for what counts as always.
 */
function returnedConstantCondition(value: ts.Expression, facts: ConditionFacts, depth: number): boolean | undefined {
  if (!facts.calledFunction) return undefined;
  if (isCallExpression(value)) {
    const returned = constantReturn(value, facts, depth);
    if (returned === undefined) return undefined;
    if (typeof returned === "boolean") return returned;
    // A non-empty string or a number other than 0 is true; a falsy value decides nothing here (as for a `const`).
    return (typeof returned === "string" && returned.length > 0) ||
      (typeof returned === "number" && returned !== 0 && !Number.isNaN(returned))
      ? true
      : undefined;
  }
  if (!ts.isBinaryExpression(value)) return undefined;
  const operator = value.operatorToken.kind;
  const strictEqual = operator === ts.SyntaxKind.EqualsEqualsEqualsToken;
  const strictUnequal = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  // Only the strict comparisons: `==` converts, and a literal of another type may still be equal.
  if (!strictEqual && !strictUnequal) return undefined;
  const left = unwrapExpression(value.left);
  const right = unwrapExpression(value.right);
  const [call, other] = isCallExpression(left) ? [left, right] : isCallExpression(right) ? [right, left] : [];
  if (!call || !other) return undefined;
  const returned = constantReturn(call, facts, depth);
  const compared = literalValue(other);
  if (returned === undefined || compared === undefined) return undefined;
  return (returned === compared) === strictEqual;
}

/**
 * Where a `switch` on a constant starts (`switch (getMode())` where getMode always returns
 * "mock", `switch (MODE)` on a `const` holding a literal): the index of the clause whose case
 * equals it, else of `default`, else the number of clauses (none runs). Undefined unless the
 * subject is constant and every case is a literal.
 */
export function constantSwitchStart(statement: ts.SwitchStatement, facts: ConditionFacts): number | undefined {
  const subject = unwrapExpression(statement.expression);
  const value = isCallExpression(subject) ? constantReturn(subject, facts, 0) : isIdentifier(subject) ? constLiteral(subject) : undefined;
  if (value === undefined) return undefined;
  const clauses = statement.caseBlock.clauses;
  let fallback = clauses.length;
  for (const [index, clause] of clauses.entries()) {
    if (ts.isDefaultClause(clause)) {
      fallback = index;
      continue;
    }
    const test = literalValue(clause.expression);
    if (test === undefined) return undefined;
    if (test === value) return index;
  }
  return fallback;
}

/** A string, number or boolean literal (a `-1` too); undefined for anything else. */
export function literalValue(value: ts.Expression): string | number | boolean | undefined {
  const literal = unwrapExpression(value);
  if (isStringLiteralLike(literal)) return literal.text;
  if (ts.isNumericLiteral(literal)) return Number(literal.text);
  if (isPrefixUnaryExpression(literal) && literal.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(literal.operand))
    return -Number(literal.operand.text);
  if (literal.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (literal.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/**
 * The value a call of a project function always gives, whatever it is passed: a function of the
 * project (a declaration, or an arrow or function expression a `const` holds; not async, not a
 * generator, never assigned another function) that reads none of its parameters, whose body ends
 * in a `return` and whose every `return` gives the same literal, the same `const` holding one, or
 * a condition decided the same way (`return getMode() !== "mock"`). Undefined on any doubt.
 */
export function constantReturn(call: ts.Expression, facts: ConditionFacts, depth: number): string | number | boolean | undefined {
  if (depth > 4 || !facts.calledFunction || !isCallExpression(call)) return undefined;
  const fn = facts.calledFunction(unwrapExpression(call.expression));
  if (!fn || !fn.body || fn.asteriskToken) return undefined;
  if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  if (!fixedFunction(fn)) return undefined;
  if (fn.parameters.some((parameter) => parameterRead(parameter, fn))) return undefined;
  const results: ts.Expression[] = [];
  if (ts.isBlock(fn.body)) {
    const last = fn.body.statements[fn.body.statements.length - 1];
    if (!last || !ts.isReturnStatement(last)) return undefined;
    let doubtful = false;
    const visit = (node: ts.Node): void => {
      if (doubtful || (node !== fn && (ts.isFunctionLike(node) || ts.isClassLike(node)))) return;
      if (ts.isReturnStatement(node)) {
        if (node.expression) results.push(node.expression);
        else doubtful = true;
      }
      // A `yield` makes a generator; a `try` may return from its `finally` what the analysis does not read.
      if (ts.isYieldExpression(node) || ts.isTryStatement(node)) doubtful = true;
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    if (doubtful) return undefined;
  } else results.push(fn.body);
  let value: string | number | boolean | undefined;
  for (const result of results) {
    const one = returnedValue(result, facts, depth + 1);
    if (one === undefined || (value !== undefined && one !== value)) return undefined;
    value = one;
  }
  return value;
}

/** What a `return` gives when it is constant: a literal, a `const` holding one, or a decided condition. */
function returnedValue(result: ts.Expression, facts: ConditionFacts, depth: number): string | number | boolean | undefined {
  const value = unwrapExpression(result);
  const literal = literalValue(value);
  if (literal !== undefined) return literal;
  if (isIdentifier(value)) return constLiteral(value);
  if (isCallExpression(value)) return constantReturn(value, facts, depth);
  // Only a condition: anything else is decided as true or false but may be another value.
  const condition =
    (isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) ||
    (ts.isBinaryExpression(value) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(value.operatorToken.kind));
  return condition ? constantCondition(value, { isIncomingRequest: () => false, calledFunction: facts.calledFunction }, depth) : undefined;
}

/**
 * A function that stays what it is written as: a declaration no code of its file assigns again
 * (an import cannot be assigned), or a function expression a `const` holds.
 */
function fixedFunction(fn: ts.FunctionLikeDeclaration): boolean {
  if (ts.isFunctionDeclaration(fn)) return fn.name !== undefined && !assignedIn(fn.getSourceFile(), fn.name.text);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  const holder = fn.parent;
  return ts.isVariableDeclaration(holder) && holder.initializer === fn && isIdentifier(holder.name) && isConstDeclaration(holder);
}

/** Whether a function's body reads a parameter (any name it binds, also `arguments`). */
function parameterRead(parameter: ts.ParameterDeclaration, fn: ts.FunctionLikeDeclaration): boolean {
  const names = new Set<string>(["arguments"]);
  const bind = (name: ts.BindingName): void => {
    if (isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  bind(parameter.name);
  let read = false;
  const visit = (node: ts.Node): void => {
    if (read) return;
    if (isIdentifier(node) && names.has(node.text)) read = true;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return read;
}

/**
 * A condition on a `[vars]` entry of the analysed environment: compared with a string literal
 * (`===`, `!==`, `==`, `!=`), or the var alone, true when its string is not empty. An empty var
 * decides nothing: it is a template's placeholder as often as a value (`"BUCKET_URL": ""` above
 * `if (!env.BUCKET_URL) return error(500)`), filled in before a real deploy.
 */
function configuredCondition(value: ts.Expression, facts: ConditionFacts, depth: number): boolean | undefined {
  if (!facts.configVar && !facts.unsetVar) return undefined;
  if (!ts.isBinaryExpression(value)) {
    // A disabled var is undefined in the deployed Worker: the var alone is false.
    if (isUnsetVar(value, facts, depth)) return false;
    const text = configString(value, facts, depth);
    return text === undefined || text === "" ? undefined : true;
  }
  const operator = value.operatorToken.kind;
  const equal = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
  if (!equal && operator !== ts.SyntaxKind.ExclamationEqualsEqualsToken && operator !== ts.SyntaxKind.ExclamationEqualsToken)
    return undefined;
  const left = unwrapExpression(value.left);
  const right = unwrapExpression(value.right);
  // `origin !== undefined`, `env.X == null` on a disabled var, which is undefined: `===` null is false, `==` null true.
  const nullish = nullishKind(right) ?? nullishKind(left);
  const compared = nullishKind(right) ? left : right;
  if (nullish && isUnsetVar(compared, facts, depth)) {
    const strict = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken;
    return (nullish === "undefined" || !strict) === equal;
  }
  const [configured, literal] = isStringLiteralLike(right) ? [left, right] : isStringLiteralLike(left) ? [right, left] : [];
  if (!configured || !literal) return undefined;
  if (isUnsetVar(configured, facts, depth)) return !equal;
  const text = configString(configured, facts, depth);
  return text === undefined || text === "" ? undefined : (text === literal.text) === equal;
}

/** The `[vars]` string an expression reads: the var itself, or a `const` holding it (`const stage = env.STAGE`). */
function configString(value: ts.Expression, facts: ConditionFacts, depth: number): string | undefined {
  if (depth > 4 || !facts.configVar) return undefined;
  const direct = facts.configVar(value);
  if (direct !== undefined) return direct;
  const initializer = constInitializer(value);
  return initializer ? configString(unwrapExpression(initializer), facts, depth + 1) : undefined;
}

/** `undefined` (the global, or `void 0`) or `null`; undefined for anything else. */
function nullishKind(value: ts.Expression): "undefined" | "null" | undefined {
  if (value.kind === ts.SyntaxKind.NullKeyword) return "null";
  if (isIdentifier(value) && value.text === "undefined" && !declarationOf(value)) return "undefined";
  if (ts.isVoidExpression(value) && ts.isNumericLiteral(unwrapExpression(value.expression))) return "undefined";
  return undefined;
}

/** Whether an expression reads a disabled var: the var itself, or a `const` holding it. */
function isUnsetVar(value: ts.Expression, facts: ConditionFacts, depth: number): boolean {
  if (depth > 4 || !facts.unsetVar) return false;
  if (facts.unsetVar(value)) return true;
  const initializer = constInitializer(value);
  return initializer ? isUnsetVar(unwrapExpression(initializer), facts, depth + 1) : false;
}

/**
 * What the framework's production build makes of its development flags: `import.meta.dev` (Nuxt)
 * and `import.meta.env.DEV` (Vite, Astro, SvelteKit, Remix) are false, `import.meta.env.PROD` true,
 * and SvelteKit's `dev` from "$app/environment" false. The deployed Worker is that build.
 */
function buildFlag(value: ts.Expression, facts: ConditionFacts): boolean | undefined {
  if (isPropertyAccessExpression(value)) {
    const owner = unwrapExpression(value.expression);
    if (isImportMeta(owner)) return value.name.text === "dev" ? false : undefined;
    if (isPropertyAccessExpression(owner) && owner.name.text === "env" && isImportMeta(unwrapExpression(owner.expression)))
      return value.name.text === "DEV" ? false : value.name.text === "PROD" ? true : undefined;
    return undefined;
  }
  if (!isIdentifier(value) || !facts.importOf || declarationOf(value)) return undefined;
  const imported = facts.importOf(value);
  return imported?.module === "$app/environment" && imported.name === "dev" ? false : undefined;
}

function isImportMeta(value: ts.Expression): boolean {
  return ts.isMetaProperty(value) && value.keywordToken === ts.SyntaxKind.ImportKeyword && value.name.text === "meta";
}

/** The initializer of the `const` a name is (undefined for anything else: a `let`, a parameter, a destructured name). */
function constInitializer(value: ts.Expression): ts.Expression | undefined {
  if (!isIdentifier(value)) return undefined;
  const declaration = declarationOf(value);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !isIdentifier(declaration.name) || !declaration.initializer)
    return undefined;
  return isConstDeclaration(declaration) ? declaration.initializer : undefined;
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
  return !scope || !assignedIn(scope, name.text);
}

/** Whether code under `scope` assigns the name itself (`name = ...`, `name += ...`), not a field of it. */
function assignedIn(scope: ts.Node, name: string): boolean {
  let assigned = false;
  const visit = (node: ts.Node): void => {
    if (assigned) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      isIdentifier(unwrapExpression(node.left)) &&
      (unwrapExpression(node.left) as ts.Identifier).text === name
    )
      assigned = true;
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return assigned;
}

/**
 * Whether `node` sits where no request gets: in the branch of an `if` whose condition is constant
 * the other way, or after an always-taken `if` whose branch always leaves (ends in `return` or
 * `throw`).
 */
export function inUntakenCode(node: ts.Node, facts: ConditionFacts): boolean {
  for (let child = node, parent = node.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return false;
    if (ts.isIfStatement(parent) && child !== parent.expression) {
      const always = constantCondition(parent.expression, facts);
      if (always === true && child === parent.elseStatement) return true;
      if (always === false && child === parent.thenStatement) return true;
    }
    if (ts.isBlock(parent)) {
      const index = parent.statements.indexOf(child as ts.Statement);
      for (const earlier of parent.statements.slice(0, Math.max(0, index))) {
        if (!ts.isIfStatement(earlier) || earlier.elseStatement) continue;
        if (constantCondition(earlier.expression, facts) === true && alwaysLeaves(earlier.thenStatement)) return true;
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
