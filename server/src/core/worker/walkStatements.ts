// The path walk: statements and expressions. Order, branches (if, switch, exclusive ifs, early
// returns), loops, once-only work, JSX trees, and what waits or leaves. A pattern about how the
// steps of a body combine goes here. Part of PathWalker (see walkCore.ts).
import ts from "typescript";
import { namedProjectFunction } from "./conditionFunctions";
import { constantCondition, constantSwitchStart } from "./constantConditions";
import { isDroppedAsyncCall } from "./droppedCalls";
import { MAX_CALL_DEPTH } from "./context";
import {
  branch,
  concat,
  EMPTY,
  FALL_EMPTY,
  parallel,
  prefix,
  repeated,
  repeatedOver,
  loopedAlready,
  withoutLooped,
  sequence,
  total,
  worst,
  type Outcome,
  type Seq,
  startedTogether,
  once,
  retried,
  routed,
} from "./flow";
import { webSocketMessageAssignment } from "./webSocketMessages";
import { unwrapExpression, type ModuleFacts } from "./module";
import { exclusiveIfRun, insideDroppedPromiseChain, isDroppedPromiseChain, literalIterations, runsAtMostOnce } from "./flowShapes";
import { type RenderedComponent } from "./components";
import { isAsync, isWaitUntilCall, LISTENER_PROPERTIES, findAncestor, declarationOf, waitsInside, printNode, truncate } from "./syntax";
import { STARTED_TOGETHER, startedInOrder, moduleFlag, assignsFlag } from "./walkCore";
import { CallWalker } from "./walkCalls";
import { indexesList, isRetryLoop } from "./retries";
import { streamSource, writtenOnce } from "./streamSources";
import { isBatchLoop } from "./chunkLoops";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  forEachChild,
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isBinaryExpression,
  isBlock,
  isCallExpression,
  isClassExpression,
  isClassLike,
  isConditionalExpression,
  isDefaultClause,
  isDoStatement,
  isExpression,
  isExpressionStatement,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isIfStatement,
  isLabeledStatement,
  isNewExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isSwitchStatement,
  isTaggedTemplateExpression,
  isTemplateSpan,
  isThrowStatement,
  isTryStatement,
  isVariableDeclarationList,
  isVariableStatement,
  isWhileStatement,
  isJsxElement,
  isJsxFragment,
  isJsxSelfClosingElement,
} = ts;

/** Methods that make a response: `Response.json(...)`, Hono's `c.json(...)`, `c.text(...)`, ... */
const RESPONSE_MAKERS = new Set(["json", "text", "html", "body", "redirect", "newResponse", "error"]);

/**
 * `if (r) return r;` (also `r !== null`, `r != null`, `r !== undefined`, `r instanceof Response`, in
 * a block, and with the value given in the test: `if ((r = await users(request))) return r;`).
 */
function returnsWhenSet(statement: ts.IfStatement, name: string): boolean {
  const isName = (node: ts.Node): boolean => isIdentifier(node) && node.text === name;
  const isTested = (node: ts.Node): boolean => isName(node) || isName(assignedName(node) ?? node);
  const condition = unwrapExpression(statement.expression);
  const tests =
    isTested(condition) ||
    (isBinaryExpression(condition) &&
      isTested(unwrapExpression(condition.left)) &&
      ((condition.operatorToken.kind === SyntaxKind.InstanceOfKeyword &&
        isIdentifier(condition.right) &&
        condition.right.text === "Response") ||
        ((condition.operatorToken.kind === SyntaxKind.ExclamationEqualsEqualsToken ||
          condition.operatorToken.kind === SyntaxKind.ExclamationEqualsToken) &&
          (condition.right.kind === SyntaxKind.NullKeyword || (isIdentifier(condition.right) && condition.right.text === "undefined")))));
  if (!tests) return false;
  const then =
    isBlock(statement.thenStatement) && statement.thenStatement.statements.length === 1
      ? statement.thenStatement.statements[0]!
      : statement.thenStatement;
  return isReturnStatement(then) && then.expression !== undefined && isName(unwrapExpression(then.expression));
}

/** The name given a value in `name = value`, or undefined. */
function assignedName(node: ts.Node): ts.Identifier | undefined {
  return isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(node.left) ? node.left : undefined;
}

/** `if ((r = await users(request))) return r;` (also `!== null`, ...): the assignment tested, or undefined. */
function assignedAndReturned(statement: ts.IfStatement): ts.BinaryExpression | undefined {
  if (statement.elseStatement) return undefined;
  const condition = unwrapExpression(statement.expression);
  const tested = isBinaryExpression(condition) && !assignedName(condition) ? unwrapExpression(condition.left) : condition;
  const name = assignedName(tested);
  return name && returnsWhenSet(statement, name.text) ? (tested as ts.BinaryExpression) : undefined;
}

/** The `then` function of an object literal written as a thenable (`{ then(onFulfilled, onRejected) { ... } }`). */
function thenMethod(literal: ts.ObjectLiteralExpression): ts.FunctionLikeDeclaration | undefined {
  for (const property of literal.properties) {
    if (!property.name || !isIdentifier(property.name) || property.name.text !== "then") continue;
    if (ts.isMethodDeclaration(property)) return property;
    if (isPropertyAssignment(property)) {
      const value = unwrapExpression(property.initializer);
      if (isArrowFunction(value) || isFunctionExpression(value)) return value;
    }
  }
  return undefined;
}

function returnedWhenSet(node: ts.ReturnStatement): boolean {
  const expression = node.expression && unwrapExpression(node.expression);
  if (!expression || !isIdentifier(expression)) return false;
  const parent = isBlock(node.parent) ? node.parent.parent : node.parent;
  return isIfStatement(parent) && !parent.elseStatement && returnsWhenSet(parent, expression.text);
}

/** Whether a declared return type lets the function return nothing (null, undefined, void, any). */
function typeMayBeNothing(type: ts.TypeNode): boolean {
  let node = type;
  if (ts.isTypeReferenceNode(node) && isIdentifier(node.typeName) && node.typeName.text === "Promise" && node.typeArguments?.[0])
    node = node.typeArguments[0];
  const parts = ts.isUnionTypeNode(node) ? node.types : [node];
  return parts.some(
    (part) =>
      part.kind === SyntaxKind.VoidKeyword ||
      part.kind === SyntaxKind.UndefinedKeyword ||
      part.kind === SyntaxKind.AnyKeyword ||
      part.kind === SyntaxKind.UnknownKeyword ||
      (ts.isLiteralTypeNode(part) && (part.literal.kind === SyntaxKind.NullKeyword || part.literal.kind === SyntaxKind.FalseKeyword)),
  );
}

/** The variables a statement declares (`const a = f(), b = g()`), or undefined when it is not only a declaration of names. */
function heldPromises(statement: ts.Statement): ts.VariableDeclaration[] | undefined {
  if (!ts.isVariableStatement(statement)) return undefined;
  const declarations = statement.declarationList.declarations;
  return declarations.every((d) => isIdentifier(d.name)) ? [...declarations] : undefined;
}

/** Methods that add to an array without reading what it holds. */
const ARRAY_ADDS = new Set(["push", "unshift"]);

/** `list.push(p)`, `list.unshift(p)`, `list[i] = p`: the name only receives another element there. */
function addsTo(name: ts.Identifier): boolean {
  const parent = name.parent;
  if (isPropertyAccessExpression(parent) && parent.expression === name && ARRAY_ADDS.has(parent.name.text))
    return isCallExpression(parent.parent) && parent.parent.expression === parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === name) {
    const assignment = parent.parent;
    return isBinaryExpression(assignment) && assignment.operatorToken.kind === SyntaxKind.EqualsToken && assignment.left === parent;
  }
  return false;
}

/**
 * The array a statement adds a started call's promise to (`checks.push(fetch(u))`, `tasks[0] = p`):
 * a variable of the same function given a new array (`const checks: Promise<Response>[] = []`), so
 * that nothing else holds it and every later read of it names it. Undefined for anything else.
 */
function addedToLocalArray(statement: ts.ExpressionStatement): ts.VariableDeclaration | undefined {
  const expression = unwrapExpression(statement.expression);
  let list: ts.Expression | undefined;
  if (isCallExpression(expression)) {
    const callee = unwrapExpression(expression.expression);
    if (isPropertyAccessExpression(callee) && ARRAY_ADDS.has(callee.name.text)) list = callee.expression;
  } else if (isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.EqualsToken) {
    const target = unwrapExpression(expression.left);
    if (ts.isElementAccessExpression(target)) list = target.expression;
  }
  const name = list && unwrapExpression(list);
  if (!name || !isIdentifier(name) || !addsTo(name)) return undefined;
  const declaration = declarationOf(name);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !isIdentifier(declaration.name)) return undefined;
  const initializer = declaration.initializer && unwrapExpression(declaration.initializer);
  if (!initializer || !isArrayLiteralExpression(initializer)) return undefined;
  const scope = findAncestor(declaration, isFunctionLike);
  if (scope !== findAncestor(statement, isFunctionLike)) return undefined;
  // `const later = checks;` or `const all = () => Promise.all(checks)` before it: the array may be
  // waited for under another name, which the uses after this statement would not show.
  const readBefore = (node: ts.Node): boolean => {
    if (node.end <= declaration.end || node.pos >= statement.pos) return false;
    if (isIdentifier(node)) return node.text === name.text && !addsTo(node) && declarationOf(node) === declaration;
    return forEachChild(node, readBefore) === true;
  };
  return readBefore(scope ?? statement.getSourceFile()) ? undefined : declaration;
}

/**
 * The index of the first statement from `from` that names one of the variables `held` (or the end).
 * Adding to a held array (`checks.push(p)`) is not a use: nothing waits there.
 */
function firstUse(statements: readonly ts.Statement[], from: number, held: ReadonlySet<ts.Node>): number {
  const names = new Set([...held].map((d) => ((d as ts.VariableDeclaration).name as ts.Identifier).text));
  const uses = (node: ts.Node): boolean =>
    (isIdentifier(node) &&
      names.has(node.text) &&
      (declarationOf(node) === undefined || held.has(declarationOf(node)!)) &&
      !addsTo(node)) ||
    forEachChild(node, uses) === true;
  for (let k = from; k < statements.length; k++) if (uses(statements[k]!)) return k;
  return statements.length;
}

/** Calls already started that run while `during` runs: each of its ways overlaps them. */
function alongside(started: Seq, during: Outcome): Outcome {
  const over = (seq: Seq | undefined): Seq | undefined => seq && parallel([started, seq], STARTED_TOGETHER);
  const fall = over(during.fall);
  const ret = over(during.ret);
  const next = over(during.next);
  const exit = over(during.exit);
  return { ...(fall ? { fall } : {}), ...(ret ? { ret } : {}), ...(next ? { next } : {}), ...(exit ? { exit } : {}) };
}

/**
 * `const p = cache.write(key, response)` (a call not awaited) whose every use is as an argument of
 * waitUntil (`ctx.waitUntil(p)`), or inside a promise chain nobody waits for
 * (`const jobs = ids.map(async (id) => ...); Promise.all(jobs).catch(log);`): the response does
 * not wait for it.
 */
function givenOnlyToWaitUntil(
  declaration: ts.VariableDeclaration,
  module: ModuleFacts,
  /** Whether a call is to a helper of the project that only defers the argument (see deferringHelpers.ts). */
  deferredBy: (call: ts.CallExpression, argument: ts.Node) => boolean,
  /** Whether the value may be a promise such a helper is given: a call of one of the project's async functions. */
  mayBePromise: (call: ts.CallExpression) => boolean,
): boolean {
  const init = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
  if (!init || !isCallExpression(init) || !isIdentifier(declaration.name)) return false;
  const scope = findAncestor(declaration, isFunctionLike);
  const body = scope && (scope as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  const text = body.getText();
  if (!["waitUntil", ".then(", ".catch(", ".finally("].some((word) => text.includes(word)) && !mayBePromise(init)) return false;
  const name = declaration.name.text;
  let uses = 0;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (isIdentifier(node) && node.text === name && node !== declaration.name && declarationOf(node) === declaration) {
      const call = node.parent;
      if (isCallExpression(call) && call.arguments.includes(node) && isWaitUntilCall(unwrapExpression(call.expression), module)) uses++;
      // `const task = recordUsage(db, row); scheduleDbWrite(c, task);` with a helper that defers it.
      else if (isCallExpression(call) && call.arguments.includes(node) && deferredBy(call, node)) uses++;
      else if (insideDroppedPromiseChain(node) && findAncestor(node, isFunctionLike) === scope) uses++;
      else other = true;
      return;
    }
    forEachChild(node, visit);
  };
  visit(body);
  return uses > 0 && !other;
}

/**
 * `if (!db) { db = connect(env); await db.init(); }`, `if (!globalThis.__READY__) { await init();
 * globalThis.__READY__ = true; }`: a block that sets the module-level flag it tests for unset.
 */
function initialisesOnce(statement: ts.IfStatement): boolean {
  if (statement.elseStatement) return false;
  const condition = unwrapExpression(statement.expression);
  let tested: ts.Expression | undefined;
  if (ts.isPrefixUnaryExpression(condition) && condition.operator === SyntaxKind.ExclamationToken) tested = condition.operand;
  else if (
    isBinaryExpression(condition) &&
    (condition.operatorToken.kind === SyntaxKind.EqualsEqualsToken ||
      condition.operatorToken.kind === SyntaxKind.EqualsEqualsEqualsToken) &&
    (condition.right.kind === SyntaxKind.NullKeyword || (isIdentifier(condition.right) && condition.right.text === "undefined"))
  )
    tested = condition.left;
  const flag = tested && moduleFlag(tested);
  return flag !== undefined && assignsFlag(statement.thenStatement, flag);
}

export abstract class StatementWalker extends CallWalker {
  /** While the paths on which this function returns nothing are walked: its other returns end their path (see returnedIfSet). */
  private nothingFrom: ts.FunctionLikeDeclaration | undefined;
  /** Per node: whether it waits or leaves (see pauses); shared by a run's analyses (the trees do not change). */
  private readonly pausing = this.ctx.cache.oneRun?.pausing ?? new Map<ts.Node, boolean>();
  protected statements(statements: readonly ts.Statement[], module: ModuleFacts, depth: number): Outcome {
    let outcome: Outcome = FALL_EMPTY;
    for (let i = 0; i < statements.length; i++) {
      if (!outcome.fall) break; // after an unconditional return: unreachable
      const statement = statements[i]!;
      const next = statements[i + 1];
      const guarded = next && this.returnedIfSet(statement, next, module, depth);
      if (guarded) {
        outcome = sequence(outcome, guarded);
        i++;
        continue;
      }
      // `if (mode === "a") {...}` then `if (mode === "b") {...}`: at most one runs.
      const exclusive = next ? exclusiveIfRun(statements, i) : 0;
      if (exclusive > 1) {
        outcome = sequence(outcome, this.exclusiveIfs(statements.slice(i, i + exclusive) as ts.IfStatement[], module, depth));
        i += exclusive - 1;
        continue;
      }
      // `ops.push(db.run(a)); if (old) ops.push(db.run(b)); await Promise.all(ops)`: statements that
      // wait for nothing start their calls one after another without waiting, so those calls
      // overlap; they end where a statement waits (or may return).
      if (this.startsOnly(statement)) {
        const started: Seq[] = [];
        // The variables the started calls' promises are held in (`const row = db.prepare(q).first()`).
        const held = new Set<ts.Node>();
        let loose = false;
        let j = i;
        // (Such a statement neither returns nor throws: its outcome only falls through.)
        for (; j < statements.length && this.startsOnly(statements[j]!); j++) {
          const seq = this.statement(statements[j]!, module, depth).fall ?? EMPTY;
          started.push(seq);
          if (seq.backend === 0 && seq.possible === 0) continue;
          const names = this.promiseHolders(statements[j]!, module);
          if (names) for (const name of names) held.add(name);
          else loose = true;
        }
        const startedSeq = started.length > 1 ? parallel(started, STARTED_TOGETHER) : started[0]!;
        // Calls started and held, not awaited yet: they run alongside what follows, up to the first
        // statement that uses what holds them (`const row = db.first(); await proxy(); return row`:
        // the query and the proxy overlap, one wave).
        const used = !loose && held.size > 0 ? firstUse(statements, j, held) : j;
        if (used > j) {
          outcome = sequence(outcome, alongside(startedSeq, this.statements(statements.slice(j, used), module, depth)));
          i = used - 1;
          continue;
        }
        outcome = sequence(outcome, { fall: startedSeq });
        i = j - 1;
        continue;
      }
      outcome = sequence(outcome, this.statement(statement, module, depth));
    }
    return outcome;
  }

  /**
   * A dispatcher chain: `let r = await users(request); if (r) return r; r = await mail(request); ...`.
   * Each handler returns a response when it handles the request and nothing when it does not: the
   * path that goes on to the next handler is the one where this handler returned nothing, so the
   * worst path is the worst handler, not their sum. Undefined when the two statements are not so.
   */
  private returnedIfSet(statement: ts.Statement, next: ts.Statement, module: ModuleFacts, depth: number): Outcome | undefined {
    let name: string | undefined;
    let value: ts.Expression | undefined;
    if (isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
      const declaration = statement.declarationList.declarations[0]!;
      if (isIdentifier(declaration.name) && declaration.initializer) [name, value] = [declaration.name.text, declaration.initializer];
    } else if (isExpressionStatement(statement)) {
      const assignment = unwrapExpression(statement.expression);
      if (isBinaryExpression(assignment) && assignment.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(assignment.left))
        [name, value] = [assignment.left.text, assignment.right];
    }
    if (!name || !value || !isIfStatement(next) || next.elseStatement || !returnsWhenSet(next, name)) return undefined;
    const awaitedCall = unwrapExpression(value);
    const call = isAwaitExpression(awaitedCall) ? unwrapExpression(awaitedCall.expression) : undefined;
    if (!call || !isCallExpression(call) || !this.nothingPathTarget(call, module)) return undefined;
    const handled = this.statement(statement, module, depth);
    if (!handled.fall) return undefined;
    const unhandled = this.nothingPath(call, module, depth);
    return unhandled && { fall: unhandled, ret: handled.fall };
  }

  /** The project's function a call runs, when its paths that return nothing can be walked apart (see nothingPath). */
  private nothingPathTarget(
    call: ts.CallExpression,
    module: ModuleFacts,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (call.arguments.some((a) => this.ctx.values.functionFrom(a, module))) return undefined;
    const target = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
    if (!target || !target.fn.body || !isBlock(target.fn.body) || this.inProgress.has(target.fn)) return undefined;
    return target;
  }

  /**
   * The worst path of a call of the project's function along only the paths on which it returns
   * nothing (null, undefined, false): a return of a response, and a throw, end theirs. Walked
   * again, after the call's own walk, without recording. Undefined when the function cannot be read.
   */
  private nothingPath(call: ts.CallExpression, module: ModuleFacts, depth: number): Seq | undefined {
    const target = this.nothingPathTarget(call, module);
    const body = target?.fn.body;
    if (!target || !body || !isBlock(body)) return undefined;
    const args = concat(...call.arguments.map((a) => this.expression(a, module, depth, false)));
    const { recorder, nothingFrom } = this;
    this.recorder = null;
    this.nothingFrom = target.fn;
    this.inProgress.add(target.fn);
    let unhandled: Seq;
    try {
      unhandled = total(this.statements(body.statements, target.module, depth + 1));
    } finally {
      this.inProgress.delete(target.fn);
      this.recorder = recorder;
      this.nothingFrom = nothingFrom;
    }
    return concat(args, unhandled);
  }

  /**
   * `(await api(req)) || (await assets(req)) || fetch(req)` (also `??`): each operand runs only
   * when the ones before it gave nothing. A path runs the operands before one along their paths
   * that return nothing (see nothingPath), then that one whole; the worst of those paths counts,
   * not the sum of the operands. An operand whose paths cannot be told apart (not a call of the
   * project's function) is taken whole on the way to the next.
   */
  private alternatives(value: ts.BinaryExpression, module: ModuleFacts, depth: number, awaited: boolean): Seq {
    const kind = value.operatorToken.kind;
    const operands: ts.Expression[] = [];
    let left: ts.Expression = value;
    for (;;) {
      const current = unwrapExpression(left);
      if (!isBinaryExpression(current) || current.operatorToken.kind !== kind) break;
      operands.unshift(current.right);
      left = current.left;
    }
    operands.unshift(left);
    const paths: Seq[] = [];
    let skipped = EMPTY;
    operands.forEach((operand, i) => {
      const whole = this.expression(operand, module, depth, awaited);
      paths.push(concat(skipped, whole));
      if (i === operands.length - 1) return;
      const inner = unwrapExpression(operand);
      const call = isAwaitExpression(inner) ? unwrapExpression(inner.expression) : inner;
      const nothing = isCallExpression(call) ? this.nothingPath(call, module, depth) : undefined;
      skipped = concat(skipped, nothing ?? whole);
    });
    return worst(...paths);
  }

  /**
   * A loop over a list of project handlers (a chain of responsibility): every await in its body is
   * of a call on the loop's variable (`await h.handle(x)`, `await h(x)`) that runs one of the list's
   * project functions (a route table, see dispatch.ts), nothing else waits, and it may return
   * (the answer of the handler that handled it).
   */
  private handlerChain(loop: ts.ForOfStatement, module: ModuleFacts): boolean {
    const declarations = isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations : [];
    const variable = declarations.length === 1 && isIdentifier(declarations[0]!.name) ? declarations[0]!.name : undefined;
    if (!variable) return false;
    let chained = 0;
    let other = false;
    let returns = false;
    const visit = (child: ts.Node): void => {
      if (other || ts.isFunctionLike(child)) return;
      if (child.kind === SyntaxKind.ReturnStatement) returns = true;
      if (isAwaitExpression(child)) {
        const call = unwrapExpression(child.expression);
        const callee = isCallExpression(call) ? unwrapExpression(call.expression) : undefined;
        const receiver = callee && isPropertyAccessExpression(callee) ? unwrapExpression(callee.expression) : callee;
        if (
          !callee ||
          !receiver ||
          !isIdentifier(receiver) ||
          receiver.text !== variable.text ||
          declarationOf(receiver) !== declarations[0]
        ) {
          other = true;
          return;
        }
        if (this.dispatchOf(callee, module)?.how !== "table") {
          other = true;
          return;
        }
        chained++;
      }
      forEachChild(child, visit);
    };
    visit(loop.statement);
    return returns && !other && chained > 0;
  }

  /** `if`s on one value compared with different constants (see exclusiveIfRun): the worst of them, or none. */
  private exclusiveIfs(ifs: readonly ts.IfStatement[], module: ModuleFacts, depth: number): Outcome {
    const conditions = concat(...ifs.map((s) => this.expression(s.expression, module, depth, false)));
    return prefix(conditions, branch(...ifs.map((s) => this.statement(s.thenStatement, module, depth)), FALL_EMPTY));
  }

  private statement(node: ts.Statement, module: ModuleFacts, depth: number): Outcome {
    this.steps++;
    if (isBlock(node)) return this.statements(node.statements, module, depth);
    if (isExpressionStatement(node)) {
      // `db.prepare(sql).run().catch(() => {})`: nothing waits for the chain (listed, off the path).
      // `markAsRead(id);`: an async function of the project whose promise nobody waits for.
      if (isDroppedPromiseChain(node) || isDroppedAsyncCall(this.ctx, node, module)) {
        this.offThePath([node.expression], module, depth);
        return FALL_EMPTY;
      }
      return { fall: this.expression(node.expression, module, depth, false) };
    }
    if (isVariableStatement(node)) {
      return {
        fall: concat(
          ...node.declarationList.declarations.map((d) => {
            if (!d.initializer) return EMPTY;
            // `const p = cache.write(...); ctx.waitUntil(p)`: the promise is only waited for after the response.
            if (
              givenOnlyToWaitUntil(
                d,
                module,
                (call, argument) => this.deferring.defersArgument(call, argument, module),
                (call) => {
                  const called = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
                  return called !== undefined && isAsync(called.fn);
                },
              )
            ) {
              this.offThePath([d.initializer], module, depth);
              return EMPTY;
            }
            // `const page = db.select()...; const total = db.select()...; await db.batch([page, total])`:
            // a query built here and only sent in a batch is one of the batch's, not a round trip of its own.
            if (this.sentOnlyInBatch(d, module)) {
              this.markClassified(unwrapExpression(d.initializer));
              return EMPTY;
            }
            return this.expression(d.initializer, module, depth, false);
          }),
        ),
      };
    }
    if (isReturnStatement(node)) {
      // Along the paths on which a dispatcher's handler returns nothing (see returnedIfSet), a
      // return of a response ends the path there.
      if (this.nothingFrom && findAncestor(node, isFunctionLike) === this.nothingFrom) {
        if (returnedWhenSet(node) || !this.mayBeNothing(node.expression, module, 0)) return {};
        return { ret: node.expression ? this.nothingReturned(node.expression, module, depth) : EMPTY };
      }
      return { ret: node.expression ? this.expression(node.expression, module, depth, true) : EMPTY };
    }
    if (isThrowStatement(node)) {
      if (this.nothingFrom && findAncestor(node, isFunctionLike) === this.nothingFrom) return {};
      return { ret: this.expression(node.expression, module, depth, false) };
    }
    if (isIfStatement(node)) {
      // `if ((r = await users(request))) return r;`: a dispatcher chain written in the tests (see returnedIfSet).
      const assignment = assignedAndReturned(node);
      const given = assignment && unwrapExpression(assignment.right);
      const call = given && isAwaitExpression(given) ? unwrapExpression(given.expression) : undefined;
      if (call && isCallExpression(call) && this.nothingPathTarget(call, module)) {
        const handled = this.expression(node.expression, module, depth, false);
        const unhandled = this.nothingPath(call, module, depth);
        if (unhandled) return { fall: unhandled, ret: handled };
      }
      const condition = this.expression(node.expression, module, depth, false);
      // `if (url.pathname.startsWith("/"))`, `if (env.ENVIRONMENT !== "development") return 403` with
      // ENVIRONMENT = "production" in [vars]: always taken (see constantConditions.ts); the other branch never is.
      const always = constantCondition(node.expression, {
        isIncomingRequest: (e) => this.ctx.values.isIncomingRequest(e),
        configVar: (e) => this.ctx.values.configVarValue(e),
        unsetVar: (e) => this.ctx.values.configVarUnset(e),
        importOf: (name) => module.imports.get(name.text),
        calledFunction: (callee) => namedProjectFunction(callee, this.ctx),
      });
      if (always !== undefined) {
        const taken = always ? node.thenStatement : node.elseStatement;
        return prefix(condition, taken ? this.statement(taken, module, depth) : FALL_EMPTY);
      }
      let then = this.statement(node.thenStatement, module, depth);
      // `if (!db) { db = connect(env); await db.init(); }`: runs once per isolate, so once on a path.
      if (then.fall && !then.ret && !then.next && !then.exit && initialisesOnce(node))
        then = { fall: once(then.fall, `${module.path}#${node.pos}`) };
      const otherwise = node.elseStatement ? this.statement(node.elseStatement, module, depth) : FALL_EMPTY;
      return prefix(condition, branch(then, otherwise));
    }
    if (isSwitchStatement(node)) {
      const subject = this.expression(node.expression, module, depth, false);
      // `switch (getMode())` on a function that always returns "mock": only its clause runs, and
      // those it falls into; `break` leaves the switch.
      const start = constantSwitchStart(node, {
        isIncomingRequest: (e) => this.ctx.values.isIncomingRequest(e),
        calledFunction: (callee) => namedProjectFunction(callee, this.ctx),
      });
      if (start !== undefined) {
        const { exit, ...rest } = this.statements(
          node.caseBlock.clauses.slice(start).flatMap((clause) => [...clause.statements]),
          module,
          depth,
        );
        return prefix(subject, exit ? { ...rest, fall: rest.fall ? worst(rest.fall, exit) : exit } : rest);
      }
      // `break` leaves the switch: what follows it comes next.
      const cases = node.caseBlock.clauses.map((clause) => {
        const { exit, ...rest } = this.statements(clause.statements, module, depth);
        return exit ? { ...rest, fall: rest.fall ? worst(rest.fall, exit) : exit } : rest;
      });
      const hasDefault = node.caseBlock.clauses.some((c) => isDefaultClause(c));
      const merged = branch(...cases, ...(hasDefault ? [] : [FALL_EMPTY]));
      // A case that returns stays returned (and one that continues a loop around the switch continues it).
      return prefix(subject, {
        fall: worst(merged.fall, ...cases.map((c) => c.fall)),
        ...(merged.ret ? { ret: merged.ret } : {}),
        ...(merged.next ? { next: merged.next } : {}),
      });
    }
    if (isForStatement(node) || isForOfStatement(node) || isForInStatement(node) || isWhileStatement(node) || isDoStatement(node)) {
      const head =
        isForOfStatement(node) || isForInStatement(node)
          ? this.expression(node.expression, module, depth, false)
          : isForStatement(node) && node.initializer && !isVariableDeclarationList(node.initializer)
            ? this.expression(node.initializer, module, depth, false)
            : isForStatement(node) && node.initializer && isVariableDeclarationList(node.initializer)
              ? // `for (let i = 0, results = await upload(files); ...)`: the declarations run once, first.
                concat(
                  ...node.initializer.declarations.map((d) =>
                    d.initializer ? this.expression(d.initializer, module, depth, false) : EMPTY,
                  ),
                )
              : EMPTY;
      // `for await (const x of feed)` over an object with `[Symbol.asyncIterator]()`: its body runs
      // on the path (walked once, like a generator's: up to each yield, its awaits in order).
      const iterator = isForOfStatement(node) && node.awaitModifier ? this.ctx.values.asyncIteratorOf(node.expression, module) : undefined;
      const iterated = iterator ? concat(head, total(this.functionOutcome(iterator.fn, iterator.module, depth + 1))) : head;
      const body = this.statement(node.statement, module, depth);
      // An iteration either goes on to the next (its `fall`) or leaves the loop by `return` (its
      // `ret`): a path that returns ran the body's falling part before, at most, and then the
      // returning part once (`for (const r of routes) if (match) return r.handler(req)` runs one
      // handler, not two).
      // An iteration that goes on to the next ends at the end of the body or at `continue`
      // (`for (attempt ...) { get; put; if (conflict) continue; ... }` retries both).
      const once = (body.fall && body.next ? worst(body.fall, body.next) : (body.fall ?? body.next)) ?? EMPTY;
      // `for (const id of ids) pending.push(fetch(url(id)))`: nothing waits, the iterations overlap.
      // A body that ends in `break` (or `return`, `throw`) runs once: it leaves by `break`, by a
      // return from that first iteration, or by the end of its body.
      if (runsAtMostOnce(node))
        return { fall: concat(iterated, worst(body.fall, body.next, body.exit)), ...(body.ret ? { ret: concat(iterated, body.ret) } : {}) };
      const waits = waitsInside(node.statement) || (isForOfStatement(node) && node.awaitModifier);
      // `for (const h of handlers) { const r = await h.handle(update); if (r) return r; }` over a list
      // of project handlers: each runs once, in turn, until one answers. The one that makes round
      // trips is taken to be the one that answers (the others are guards that pass): one handler's
      // path, not the worst one twice.
      // (Along the paths that answer nothing, see nothingPath, no handler answered: one pass.)
      if (waits && isForOfStatement(node) && this.handlerChain(node, module))
        return { fall: concat(iterated, once), ...(body.ret ? { ret: concat(iterated, body.ret) } : {}) };
      // `for (let attempt = 0; attempt < 3; attempt++) { const r = await fetch(u); if (r.ok) return r; }`:
      // it goes round again only when the request failed; one attempt is the usual run (see retries.ts).
      if (waits && isRetryLoop(node)) {
        const attempt = concat(iterated, retried(once));
        return {
          fall: body.exit ? worst(attempt, concat(iterated, body.exit)) : attempt,
          ...(body.ret ? { ret: concat(iterated, body.ret) } : {}),
        };
      }
      // `for (const u of ["a", "b", "c"])`, `for (let i = 0; i < LIST.length; i++)`, `i < 3`: as many
      // times as the literal list has elements, or the literal bound says (capped).
      let items = waits && (isForOfStatement(node) || isForStatement(node)) ? literalIterations(node) : undefined;
      // `for (const chunk of chunkArray(ids, 100))`: a list split into batches of a size limit; the
      // usual request's list fits in one (see chunkLoops.ts).
      if (waits && items === undefined && isBatchLoop(node)) items = 1;
      // `for (let page = 1; page <= 20; page++) { ...; if (page >= pages) break; }`: a counted loop it
      // may leave early is one whose bound is only a cap; it runs as often as what it reads says.
      // (One that reads a list by its counter tries each entry in turn: as many as the list has.)
      if (items !== undefined && items > 2 && isForStatement(node) && (body.exit || body.ret) && !indexesList(node)) items = undefined;
      const loop = !waits ? startedTogether(once) : items === undefined ? repeated(once) : repeatedOver(once, items);
      // `break` leaves the loop after the part of an iteration before it (counted as once, like a return).
      const fall = body.exit ? worst(concat(iterated, loop), concat(iterated, body.exit)) : concat(iterated, loop);
      // A return after a whole iteration is the loop's waves already: a loop around it does not multiply them again.
      // The calls of inner loops in that whole iteration are those loops' waves, already on the returning part's path.
      const prior = waits ? withoutLooped(once) : once;
      const returning =
        body.ret && (waits && prior.possible > 0 && items !== 1 ? loopedAlready(concat(prior, body.ret)) : concat(prior, body.ret));
      return { fall, ...(returning ? { ret: concat(iterated, returning) } : {}) };
    }
    if (isTryStatement(node)) {
      const attempt = this.statements(node.tryBlock.statements, module, depth);
      const recovery = node.catchClause ? this.statements(node.catchClause.block.statements, module, depth) : undefined;
      const main = recovery ? branch(attempt, recovery) : attempt;
      return node.finallyBlock ? sequence(main, this.statements(node.finallyBlock.statements, module, depth)) : main;
    }
    if (isLabeledStatement(node)) return this.statement(node.statement, module, depth);
    // (A labelled `continue outer` or `break outer` is taken as the innermost loop's.)
    if (node.kind === SyntaxKind.ContinueStatement) return { next: EMPTY };
    if (node.kind === SyntaxKind.BreakStatement) return { exit: EMPTY };
    return FALL_EMPTY; // declarations, empty statements
  }

  /**
   * Round trips of an expression, in evaluation order. `awaited` says whether the caller waits for
   * the value (awaited, returned); calls whose promises nobody waits for are fire-and-forget.
   */
  protected expression(node: ts.Expression, module: ModuleFacts, depth: number, awaited: boolean): Seq {
    if (depth > MAX_CALL_DEPTH * 4) return EMPTY;
    const value = unwrapExpression(node);
    if (isAwaitExpression(value)) return this.expression(value.expression, module, depth, true);
    if (isArrowFunction(value) || isFunctionExpression(value) || isClassExpression(value)) return EMPTY; // not run here
    if (isConditionalExpression(value)) {
      return concat(
        this.expression(value.condition, module, depth, false),
        worst(this.expression(value.whenTrue, module, depth, awaited), this.expression(value.whenFalse, module, depth, awaited)),
      );
    }
    if (isCallExpression(value) || isTaggedTemplateExpression(value)) return this.call(value, module, depth, awaited);
    if (
      isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken)
    )
      return this.alternatives(value, module, depth, awaited);
    // `ws.onmessage = async (event) => ...`: a listener set by assignment runs when its event fires.
    if (
      isBinaryExpression(value) &&
      value.operatorToken.kind === SyntaxKind.EqualsToken &&
      isPropertyAccessExpression(value.left) &&
      LISTENER_PROPERTIES.has(value.left.name.text)
    ) {
      // `server.onmessage = ...` on a WebSocket the handler accepted: a path of the route (see webSocketMessageListener).
      const heard = this.marking === "critical" ? webSocketMessageAssignment(value.left, value.right) : undefined;
      if (heard) {
        const route = this.currentRoute();
        const seq = total(this.functionOutcome(heard, module, depth + 1));
        return concat(
          this.expression(value.left.expression, module, depth, false),
          routed(seq, route !== undefined ? `${route} (WebSocket message)` : "WebSocket message"),
        );
      }
      this.offThePath([value.right], module, depth);
      return this.expression(value.left.expression, module, depth, false);
    }
    if (isNewExpression(value)) {
      // `await new Promise(async (resolve) => { ... })`, or the same handed to waitUntil: the
      // executor runs at once, and whoever waits for the promise waits for what it does before
      // resolving. Walked like an async function called where it is written (see call).
      const executor = awaited ? promiseExecutor(value, module) : undefined;
      if (executor) return total(this.functionOutcome(executor, module, depth + 1));
      // `new ReadableStream({ async start(c) { ... } })` for a response's body: see streamSources.ts.
      // A project subclass (`class EventSink extends WritableStream`) runs what its constructor hands to `super`.
      const stream = streamSource(value, module, (name, at) => this.ctx.values.classNamed(name, at));
      if (stream?.unresolved)
        this.unknown(
          `${truncate(printNode(value.expression))} extends ${stream.kind} with what its constructor hands to super (${stream.unresolved}), which cannot be resolved: the callbacks it runs on the path cannot be seen (${this.locate(module, value)})`,
        );
      if (stream)
        return concat(
          ...(value.arguments ?? []).map((a) => this.expression(a, module, depth, false)),
          ...stream.once.map((fn) => total(this.functionOutcome(fn, stream.module, depth + 1))),
          // A sink written once through its writer carries one chunk; otherwise each call is a loop.
          ...stream.perChunk.map((fn) => {
            const each = total(this.functionOutcome(fn, stream.module, depth + 1));
            return stream.kind === "WritableStream" && writtenOnce(value) ? each : repeated(each);
          }),
        );
      const handedOn = this.ctx.classifier.unknownClientHandedOn(value, module);
      if (handedOn) this.unknown(`${handedOn} (${this.locate(module, value)})`);
      return concat(...(value.arguments ?? []).map((a) => this.expression(a, module, depth, false)));
    }
    // JSX returned by a component: the expressions in it, then the components it renders.
    if (!this.inJsx && (isJsxElement(value) || isJsxSelfClosingElement(value) || isJsxFragment(value))) {
      this.inJsx = true;
      let own: Seq;
      try {
        own = this.expression(value, module, depth, awaited);
      } finally {
        this.inJsx = false;
      }
      return concat(own, this.renderOutcome(this.components.rendered(value, module), depth));
    }
    const parts: Seq[] = [];
    const literal = isArrayLiteralExpression(value) || ts.isObjectLiteralExpression(value);
    const waiting: boolean[] = [];
    forEachChild(value, (child) => {
      if (isExpression(child)) {
        parts.push(this.expression(child, module, depth, awaited && (isArrayLiteralExpression(value) || isBinaryExpression(value))));
        waiting.push(literal && this.pauses(child));
      } else if (
        isPropertyAssignment(child) ||
        isShorthandPropertyAssignment(child) ||
        isSpreadAssignment(child) ||
        isSpreadElement(child)
      ) {
        const inner = isPropertyAssignment(child) ? child.initializer : isShorthandPropertyAssignment(child) ? undefined : child.expression;
        if (inner) {
          parts.push(this.expression(inner, module, depth, false));
          waiting.push(this.pauses(inner));
        }
      } else if (isTemplateSpan(child)) parts.push(this.expression(child.expression, module, depth, false));
    });
    // `return { then(resolve, reject) { ps.run().then(resolve, reject) } }` (a query builder's thenable,
    // as sqlc's D1 generator writes): awaiting the object calls its `then`, so what `then` does is
    // on the path of the await, or of the caller that awaits what is returned.
    const thenable = awaited && ts.isObjectLiteralExpression(value) ? thenMethod(value) : undefined;
    if (thenable) parts.push(this.thenableRun(thenable, module, depth + 1));
    if (!parts.length) return EMPTY;
    // `{ zones: listZones(), user: getUser() }`: the values of a literal that wait for nothing are started together.
    return literal ? startedInOrder(parts, waiting) : concat(...parts);
  }

  /**
   * What awaiting a thenable waits for: its `then` runs, and the promise chains it starts end in the
   * `onFulfilled` it was given, so they are waited for as if awaited (`ps.run().then(onFulfilled)`).
   */
  private thenableRun(fn: ts.FunctionLikeDeclaration, module: ModuleFacts, depth: number): Seq {
    const body = fn.body;
    if (!body) return EMPTY;
    if (!ts.isBlock(body)) return this.expression(body, module, depth, true);
    return concat(
      ...body.statements.map((statement) =>
        ts.isExpressionStatement(statement)
          ? this.expression(statement.expression, module, depth, true)
          : total(this.statements([statement], module, depth)),
      ),
    );
  }

  /**
   * Components rendered side by side render concurrently (the longest counts); each one's own
   * round trips come before those of the components it is given as children.
   */
  private renderOutcome(components: readonly RenderedComponent[], depth: number): Seq {
    return parallel(
      components.map((c) =>
        concat(total(this.functionOutcome(c.fn.fn, c.fn.module, depth + 1)), this.renderOutcome(c.children, depth + 1)),
      ),
      "rendered concurrently",
    );
  }

  /**
   * The variables that hold the promises a statement that only starts work (see startsOnly) leaves
   * running: those it declares (`const row = db.first()`), the new arrays it adds them to
   * (`checks.push(fetch(u))`, `tasks[i] = p`), also in a block, behind an `if` or in a loop
   * (`if (signed) checks.push(...)`, `for (const id of ids) checks.push(...)`) whose test and head
   * start nothing. Undefined when a promise may be kept anywhere else (`state.p = fetch(u)`, a
   * list the function was given): the analysis cannot see where it is waited for.
   */
  private promiseHolders(statement: ts.Statement, module: ModuleFacts): Set<ts.Node> | undefined {
    const names = heldPromises(statement);
    if (names) return new Set(names);
    const holders = new Set<ts.Node>();
    const add = (...parts: readonly ts.Statement[]): boolean =>
      parts.every((part) => {
        const inner = this.promiseHolders(part, module);
        inner?.forEach((name) => holders.add(name));
        return inner !== undefined;
      });
    if (isExpressionStatement(statement)) {
      const list = addedToLocalArray(statement);
      return list ? new Set([list]) : undefined;
    }
    if (isBlock(statement)) return add(...statement.statements) ? holders : undefined;
    if (statement.kind === SyntaxKind.EmptyStatement) return holders;
    if (isIfStatement(statement))
      return this.startsNothing(statement.expression, module) &&
        add(statement.thenStatement, ...(statement.elseStatement ? [statement.elseStatement] : []))
        ? holders
        : undefined;
    if (isForOfStatement(statement) || isForInStatement(statement))
      return this.startsNothing(statement.expression, module) && add(statement.statement) ? holders : undefined;
    if (isForStatement(statement))
      return [statement.initializer, statement.condition, statement.incrementor].every(
        (part) => !part || this.startsNothing(part, module),
      ) && add(statement.statement)
        ? holders
        : undefined;
    return undefined;
  }

  /** Whether code (already walked) started no subrequest and calls none of the project's functions, outside the functions written in it. */
  private startsNothing(node: ts.Node, module: ModuleFacts): boolean {
    const starts = (n: ts.Node): boolean => {
      if (isFunctionLike(n) || isClassLike(n)) return false;
      if (this.subrequests.has(n)) return true;
      if ((isCallExpression(n) || isNewExpression(n)) && this.ctx.values.calledFunction(unwrapExpression(n.expression), module))
        return true;
      return forEachChild(n, starts) === true;
    };
    return !starts(node);
  }

  /**
   * Whether a statement only starts work: it awaits nothing (nor chains a promise on, nor yields)
   * and cannot leave its function or loop (no return, throw, break or continue). Its calls are
   * started and left running, so those of the statements next to it overlap with them.
   */
  private startsOnly(statement: ts.Statement): boolean {
    return statement.kind !== SyntaxKind.FunctionDeclaration && !this.pauses(statement);
  }

  /**
   * Whether code waits or leaves where it is, outside the functions written in it: an await, a
   * `for await`, a yield, `p = p.then(...)`, a return, throw, break or continue. Kept per node, so
   * that asking about nested statements and literals again and again stays linear.
   */
  /** pauses for forEachChild, made once rather than a closure per node. */
  private readonly pausingChild = (child: ts.Node): true | undefined => this.pauses(child) || undefined;

  protected pauses(node: ts.Node): boolean {
    // A token (a name, a literal, a keyword, punctuation) has no children and is none of the
    // statements and expressions above: it never pauses. Most nodes asked about are tokens; kept
    // out of the map, they cost neither a look-up nor an entry.
    if (node.kind <= SyntaxKind.LastToken) return false;
    const known = this.pausing.get(node);
    if (known !== undefined) return known;
    let found: boolean;
    if (isFunctionLike(node) || isClassLike(node)) found = false;
    else if (
      isAwaitExpression(node) ||
      (isForOfStatement(node) && node.awaitModifier !== undefined) ||
      node.kind === SyntaxKind.YieldExpression ||
      isReturnStatement(node) ||
      isThrowStatement(node) ||
      node.kind === SyntaxKind.BreakStatement ||
      node.kind === SyntaxKind.ContinueStatement ||
      (isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && waitsInside(node, false))
    )
      found = true;
    else found = forEachChild(node, this.pausingChild) === true;
    this.pausing.set(node, found);
    return found;
  }

  /**
   * The round trips of a returned value along the ways it gives nothing: `return route ? proxy(req)
   * : null` makes none (the proxy's response is something).
   */
  private nothingReturned(expression: ts.Expression, module: ModuleFacts, depth: number): Seq {
    const value = unwrapExpression(expression);
    if (isAwaitExpression(value)) return this.nothingReturned(value.expression, module, depth);
    if (!isConditionalExpression(value)) return this.expression(value, module, depth, true);
    const ways = [value.whenTrue, value.whenFalse].filter((way) => this.mayBeNothing(way, module, 0));
    return concat(
      this.expression(value.condition, module, depth, false),
      worst(...ways.map((way) => this.nothingReturned(way, module, depth))),
    );
  }

  /**
   * Whether a returned value may be nothing (null, undefined, false): anything but a response or
   * another value made on the spot (`new Response(...)`, `c.json(...)`, `Response.json(...)`, a
   * literal), or a call of a function of the project that only returns such values.
   */
  private mayBeNothing(expression: ts.Expression | undefined, module: ModuleFacts, depth: number): boolean {
    if (!expression) return true;
    const value = unwrapExpression(expression);
    if (isAwaitExpression(value)) return this.mayBeNothing(value.expression, module, depth);
    if (isConditionalExpression(value))
      return this.mayBeNothing(value.whenTrue, module, depth) || this.mayBeNothing(value.whenFalse, module, depth);
    if (isNewExpression(value) || ts.isObjectLiteralExpression(value) || isArrayLiteralExpression(value)) return false;
    if (ts.isStringLiteralLike(value)) return value.text === "";
    if (ts.isNumericLiteral(value)) return value.text === "0";
    if (ts.isTemplateExpression(value) || value.kind === SyntaxKind.TrueKeyword) return false;
    // `const response = await fetch(url); ...; return response`: what the constant was given.
    if (isIdentifier(value)) {
      const declaration = depth < 4 ? declarationOf(value) : undefined;
      return !(
        declaration &&
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer &&
        isVariableDeclarationList(declaration.parent) &&
        declaration.parent.flags & ts.NodeFlags.Const &&
        !this.mayBeNothing(declaration.initializer, module, depth + 1)
      );
    }
    if (!isCallExpression(value)) return true;
    const callee = unwrapExpression(value.expression);
    if (isPropertyAccessExpression(callee) && RESPONSE_MAKERS.has(callee.name.text)) return false;
    // The platform's `fetch` gives a response (or throws).
    if (isIdentifier(callee) && callee.text === "fetch" && !declarationOf(callee)) return false;
    const fn = depth < 4 ? this.ctx.values.calledFunction(callee, module) : undefined;
    const body = fn?.fn.body;
    if (!fn || !body) return true;
    // Its declared type says (`Promise<Response>`, `Response | null`), when it has one.
    if (fn.fn.type) return typeMayBeNothing(fn.fn.type);
    if (!isBlock(body)) return this.mayBeNothing(body, fn.module, depth + 1);
    const last = body.statements[body.statements.length - 1];
    if (!last || !(isReturnStatement(last) || isThrowStatement(last))) return true;
    let nothing = false;
    const visit = (node: ts.Node): void => {
      if (nothing || isFunctionLike(node)) return;
      if (isReturnStatement(node) && this.mayBeNothing(node.expression, fn.module, depth + 1)) nothing = true;
      else forEachChild(node, visit);
    };
    forEachChild(body, visit);
    return nothing;
  }
}

/** The function written as the executor of `new Promise(fn)` (the global Promise, not a local one). */
function promiseExecutor(value: ts.NewExpression, module: ModuleFacts): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const callee = unwrapExpression(value.expression);
  if (!isIdentifier(callee) || callee.text !== "Promise" || declarationOf(callee) || module.imports.has("Promise")) return undefined;
  const first = value.arguments?.[0] ? unwrapExpression(value.arguments[0]) : undefined;
  return first && (isArrowFunction(first) || isFunctionExpression(first)) ? first : undefined;
}
