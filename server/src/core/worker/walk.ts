import ts from "typescript";
import { basename, dirname } from "../fs";
import { LineIndex } from "../text";
import { MAX_CALL_DEPTH, MAX_WALK_STEPS, WALK_BUDGET_REASON, type AnalysisContext } from "./context";
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
  routed,
  seqOf,
  sequence,
  stepOf,
  total,
  worst,
  type Outcome,
  type Seq,
  type Step,
  startedTogether,
  once,
} from "./flow";
import { isRouteRegistration } from "./handlers/apps";
import { nearestManifest } from "./handlers/frameworks";
import type { HandlerSite } from "./handlers/types";
import { unwrapExpression, type ModuleFacts } from "./module";
import { isClientFactory, opaqueLibrary } from "./sdks";
import { exclusiveIfRun, insideDroppedPromiseChain, isDroppedPromiseChain, literalIterations, runsAtMostOnce } from "./flowShapes";
import { arePlainValues } from "./plainValues";
import { isPackageSpecifier } from "./resolve";
import { CATEGORY_WORDS, RUNS_CALLBACKS } from "./classify";
import { DispatchResolver, type Dispatch } from "./dispatch";
import { NitroAutoImports } from "./autoImports";
import { ComponentTree, type RenderedComponent } from "./components";
import type { ClassifiedSubrequest, KeptSummary, SummaryEvent } from "./summaries";
import type { Subrequest, SubrequestCategory } from "./types";
import { waitUntilFix } from "./waitUntilFix";
import {
  printNode,
  truncate,
  rootImport,
  isWaitUntilCall,
  isInsideWaitUntil,
  isEventListenerCall,
  isInsideEventListener,
  LISTENER_PROPERTIES,
  isDirectlyAwaitedStatement,
  isLikelySubrequest,
  isAsync,
  findAncestor,
  heritageName,
  isDurableObjectShaped,
  declarationOf,
  waitsInside,
  localFunction,
  type FunctionRef,
} from "./syntax";
import { missingExport, missingExportReason } from "./missingExport";

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
  isElementAccessExpression,
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

const PROMISE_COMBINATORS = new Set(["all", "allSettled", "race", "any"]);
/** Methods that make a response: `Response.json(...)`, Hono's `c.json(...)`, `c.text(...)`, ... */
const RESPONSE_MAKERS = new Set(["json", "text", "html", "body", "redirect", "newResponse", "error"]);
/** Classes whose code runs elsewhere than the Worker's fetch handler: a Durable Object, an agent, a Workflow. */
const DURABLE_BASES = new Set(["DurableObject", "Agent", "McpAgent", "AIChatAgent", "WorkflowEntrypoint"]);
/** Methods that hand a request to an app or handler: Hono's fetch and request, itty's and Elysia's handle. */
const HANDOFF_METHODS = new Set(["fetch", "handle", "request"]);
/**
 * Library functions known to run the callback they are given, once, before they return: tracing
 * spans (OpenTelemetry, Sentry), scopes, AsyncLocalStorage.run.
 */
const CALLBACK_RUNNERS = new Set(["startActiveSpan", "startSpan", "startSpanManual", "withScope", "withIsolationScope", "run"]);

type SubrequestRecord = { -readonly [K in keyof Subrequest]: Subrequest[K] };

/** A function's outcome, and whether recursion or the depth limit cut it short. */
interface FunctionOutcome {
  readonly outcome: Outcome;
  readonly cut: boolean;
}

const CUT_SHORT: FunctionOutcome = { outcome: FALL_EMPTY, cut: true };

/** The node itself, or the first ancestor that is not a parenthesis around it. */
function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current) && current.parent) current = current.parent;
  return current;
}

/** How many times an analysis walks a function again for one call whose URL it reads (see calledOutcome). */
const MAX_CALL_WALKS = 512;

/**
 * The paths through a fetch handler: round trips in order, what runs in parallel, in loops, in
 * branches and in waitUntil. Each function's outcome is had once per marking (see outcomeOf), and
 * kept across analyses through summaries.ts.
 */
export class PathWalker {
  readonly subrequests = new Map<ts.Node, SubrequestRecord>();
  /** The call each record was made for: kept summaries name subrequests by their calls. */
  private readonly callOfRecord = new Map<Subrequest, ts.Node>();
  /** The first outcome had for each function, in any marking: what a walk that marks nothing uses. */
  private readonly summaries = new Map<ts.Node, FunctionOutcome>();
  /**
   * Functions walked while marking the response path / waitUntil work, with the outcome that
   * walk had: a second call in the same marking gets exactly what the first got.
   */
  private readonly walked = new Map<"critical" | "waitUntil", Map<ts.Node, FunctionOutcome>>([
    ["critical", new Map()],
    ["waitUntil", new Map()],
  ]);
  /** Calls already classified by the walk from a handler: the final sweep skips them. */
  private readonly classified = new Set<ts.Node>();
  /** The repository's own packages a folder's package.json depends on, by folder. */
  private readonly localPackages = new Map<string, ReadonlySet<string>>();
  private readonly inProgress = new Set<ts.Node>();
  /** The effects of the walk in progress, when it is to be kept (see summaries.ts). */
  private recorder: SummaryEvent[] | null = null;
  /** How many waitUntil calls deep the walk in progress is, within its own function. */
  private deferredLevel = 0;
  /** Whether the walk in progress met recursion or the depth limit. */
  private walkCut = false;
  /** While the paths on which this function returns nothing are walked: its other returns end their path (see returnedIfSet). */
  private nothingFrom: ts.FunctionLikeDeclaration | undefined;
  /** Whether the fetch path serves the assets binding. */
  servesAssets = false;
  /** While a fetch handler is analysed: marks what it reaches as on the response path. */
  private marking: "critical" | "waitUntil" | "none" = "none";
  private currentHandler: HandlerSite | undefined;

  /** Statements and calls walked so far: the walk's budget, counted in work rather than time so that the answer does not depend on the machine's load. */
  private steps = 0;
  private outOfSteps = false;
  /** Functions walked again for one call (see calledOutcome). */
  private callWalks = 0;
  /** The call a function is being walked again for (see calledOutcome). */
  private callSite: { call: ts.Node; module: ModuleFacts } | undefined;

  /** Calls through route tables and interfaces (dispatch.ts). */
  private readonly dispatch: DispatchResolver;
  /** What the fetch path dispatched through (route tables, implementations), said with the prediction. */
  readonly dispatchNotes = new Set<string>();

  /** Per node: whether it waits or leaves (see pauses). */
  private readonly pausing = new Map<ts.Node, boolean>();
  /** Per function body: the variables whose every use is an element of a batch (see sentOnlyInBatch). */
  private readonly batchOnly = new Map<ts.Node, ReadonlySet<ts.Node>>();

  /** Nitro's auto-imported server utilities (autoImports.ts). */
  readonly nitro: NitroAutoImports;
  private readonly components: ComponentTree;
  /** Inside a JSX tree being walked: its nested elements render with it (see renderOutcome). */
  private inJsx = false;

  constructor(private readonly ctx: AnalysisContext) {
    this.dispatch = new DispatchResolver(ctx);
    this.nitro = new NitroAutoImports(ctx);
    this.components = new ComponentTree(ctx);
  }

  /** Whether the walk has used up its budget (said once, as an unknown: the paths past it were not followed). */
  private outOfBudget(): boolean {
    if (this.outOfSteps) return true;
    if (this.steps <= (this.ctx.input.walkBudget ?? MAX_WALK_STEPS)) return false;
    this.outOfSteps = true;
    this.ctx.unknowns.push(WALK_BUDGET_REASON);
    return true;
  }

  /**
   * The walk in progress read something outside its function's import closure (a module loaded
   * only now): it must not be kept.
   */
  cutWalk(): void {
    this.walkCut = true;
  }

  /** The route of the handler being walked (`POST /api/mcp`), when it has one. */
  currentRoute(): string | undefined {
    return this.currentHandler?.route;
  }

  analyseFetchHandler(site: HandlerSite): Seq {
    if (site.opaque) {
      this.ctx.unknowns.push(site.opaque);
      return EMPTY;
    }
    const previous = this.marking;
    const previousHandler = this.currentHandler;
    this.marking = "critical";
    this.currentHandler = site;
    try {
      const seqs = site.functions.map(({ fn, module }) => total(this.functionOutcome(fn, module, 0)));
      for (const { call, module } of site.calls ?? []) seqs.push(this.expression(call, module, 0, true));
      if (site.concurrent && site.concurrent.length > 0)
        seqs.push(
          parallel(
            site.concurrent.map(({ fn, module }) => total(this.functionOutcome(fn, module, 0))),
            "rendered concurrently",
          ),
        );
      return concat(...(seqs.length ? seqs : [EMPTY]));
    } finally {
      this.marking = previous;
      this.currentHandler = previousHandler;
    }
  }

  /**
   * The outcome of calling a function. Summaries are cached per function node; while a fetch
   * handler is being analysed the walk is repeated so that everything it reaches gets marked.
   */
  functionOutcome(fn: ts.FunctionLikeDeclaration, module: ModuleFacts, depth: number): Outcome {
    this.recorder?.push({ kind: "call", fn, module, deferred: this.deferredLevel > 0 });
    const { outcome, cut } = this.outcomeOf(fn, module, depth);
    if (cut) this.walkCut = true;
    return outcome;
  }

  /**
   * The outcome, and whether recursion or the depth limit cut it short (then it is not kept).
   * Calling again in the same state gets the same answer: a replay that gives up and walks
   * instead (see replay) relies on it.
   */
  private outcomeOf(fn: ts.FunctionLikeDeclaration, module: ModuleFacts, depth: number): FunctionOutcome {
    // A function already walked in this marking has its subrequests marked: its outcome suffices.
    // (Walking it again for every call would be quadratic in call chains.)
    const walked = this.marking === "none" ? undefined : this.walked.get(this.marking)!;
    const known = walked ? walked.get(fn) : this.summaries.get(fn);
    if (known) return known;
    // Recursion (a module cycle calling back) is counted once: the first pass already holds its calls.
    if (this.inProgress.has(fn) || depth > MAX_CALL_DEPTH || this.outOfBudget()) return CUT_SHORT;
    this.inProgress.add(fn);
    const { recorder, deferredLevel, walkCut, inJsx } = this;
    let result: FunctionOutcome | undefined;
    this.inJsx = false;
    try {
      const kept = this.ctx.kept?.find(fn, module);
      const replayed = kept && this.replay(kept, module, depth);
      if (replayed) result = { outcome: replayed, cut: false };
      else {
        const events = this.ctx.kept?.shouldKeep(module) ? [] : null;
        this.recorder = events;
        this.deferredLevel = 0;
        this.walkCut = false;
        const body = fn.body;
        let outcome: Outcome;
        if (!body) outcome = FALL_EMPTY;
        else if (isBlock(body)) outcome = this.statements(body.statements, module, depth);
        else outcome = { ret: this.expression(body, module, depth, true) };
        const normalised: Outcome = { fall: total(outcome) };
        const cut = this.walkCut;
        if (events && !cut) this.ctx.kept!.keep(fn, module, events, normalised.fall!, (record) => this.callOfRecord.get(record)!);
        result = { outcome: normalised, cut };
      }
    } finally {
      this.inProgress.delete(fn);
      this.recorder = recorder;
      this.deferredLevel = deferredLevel;
      this.walkCut = walkCut;
      this.inJsx = inJsx;
    }
    walked?.set(fn, result);
    if (!this.summaries.has(fn)) this.summaries.set(fn, result);
    return result;
  }

  /**
   * The round trips of a call into the project's code, its parameters holding what this call passes
   * while URLs are read. A function whose URLs were read from a parameter that way (`httpGet(url)`)
   * is walked again for each call, so that each call's round trip goes to the host that call names
   * (bounded by MAX_CALL_WALKS; past it, the first call's walk stands for all).
   */
  private calledOutcome(target: FunctionRef, args: readonly ts.Expression[], depth: number, call: ts.Node, module: ModuleFacts): Seq {
    const seq = this.calledSeq(target, args, depth, call, module);
    // `if (schemaReady) return; ...; schemaReady = true`: the second call on a path does nothing.
    return onceGuarded(target.fn) ? once(seq, `${target.module.path}#${target.fn.pos}`) : seq;
  }

  private calledSeq(target: FunctionRef, args: readonly ts.Expression[], depth: number, call: ts.Node, module: ModuleFacts): Seq {
    const values = this.ctx.values;
    if (!values.readThroughCall.has(target.fn) || this.callWalks >= MAX_CALL_WALKS)
      return values.withCallArguments(target, args, () => total(this.functionOutcome(target.fn, target.module, depth)));
    this.callWalks++;
    const outer = this.callSite;
    this.callSite = { call, module };
    try {
      return values.withCallArguments(target, args, () => this.walkForCall(target, depth));
    } finally {
      this.callSite = outer;
    }
  }

  /** A function walked for one call (see calledOutcome): not cached, not kept, and its caller's walk not kept either. */
  private walkForCall(target: FunctionRef, depth: number): Seq {
    this.walkCut = true;
    const { fn, module } = target;
    if (this.inProgress.has(fn) || depth > MAX_CALL_DEPTH || this.outOfBudget()) return EMPTY;
    this.inProgress.add(fn);
    const { recorder, deferredLevel, walkCut } = this;
    try {
      this.recorder = null;
      this.deferredLevel = 0;
      const body = fn.body;
      if (!body) return EMPTY;
      return total(isBlock(body) ? this.statements(body.statements, module, depth) : { ret: this.expression(body, module, depth, true) });
    } finally {
      this.inProgress.delete(fn);
      this.recorder = recorder;
      this.deferredLevel = deferredLevel;
      this.walkCut = walkCut;
    }
  }

  /**
   * Has a kept summary's effects again, in order, relative to the marking the function is entered
   * with; its calls are made again (they replay or walk in turn). Undefined if a call was cut short
   * by recursion or the depth limit: then the caller walks the function (every effect had so far
   * is one that walk has too, and having one twice changes nothing).
   */
  private replay(summary: KeptSummary, module: ModuleFacts, depth: number): Outcome | undefined {
    const entryMarking = this.marking;
    const deferredMarking = entryMarking === "critical" ? "waitUntil" : entryMarking;
    this.recorder = null;
    try {
      for (const event of summary.events) {
        if ("deferred" in event) this.marking = event.deferred ? deferredMarking : entryMarking;
        switch (event.kind) {
          case "classified":
            this.classified.add(event.node);
            break;
          case "unknown":
            if (this.marking !== "none") this.ctx.unknowns.push(event.text);
            break;
          case "assets":
            if (this.marking === "critical") this.servesAssets = true;
            break;
          case "record":
            this.noteSubrequest(event.node, event.subrequest, module);
            break;
          case "call":
            if (this.ctx.loader.modules.get(event.module.path) !== event.module) return undefined;
            if (this.outcomeOf(event.fn, event.module, depth + 1).cut) return undefined;
            break;
        }
      }
    } finally {
      this.marking = entryMarking;
    }
    const fall = this.ctx.kept!.replayed(summary, (call) => this.subrequests.get(call));
    return fall && { fall };
  }

  private statements(statements: readonly ts.Statement[], module: ModuleFacts, depth: number): Outcome {
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
        let j = i;
        // (Such a statement neither returns nor throws: its outcome only falls through.)
        for (; j < statements.length && this.startsOnly(statements[j]!); j++)
          started.push(this.statement(statements[j]!, module, depth).fall ?? EMPTY);
        outcome = sequence(outcome, { fall: started.length > 1 ? parallel(started, STARTED_TOGETHER) : started[0]! });
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
    if (!call || !isCallExpression(call) || call.arguments.some((a) => this.ctx.values.functionFrom(a, module))) return undefined;
    const target = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
    if (!target || !target.fn.body || !isBlock(target.fn.body) || this.inProgress.has(target.fn)) return undefined;
    const handled = this.statement(statement, module, depth);
    if (!handled.fall) return undefined;
    // The same call again, this time only along the paths on which it returns nothing.
    const args = concat(...call.arguments.map((a) => this.expression(a, module, depth, false)));
    const { recorder, nothingFrom } = this;
    this.recorder = null;
    this.nothingFrom = target.fn;
    this.inProgress.add(target.fn);
    let unhandled: Seq;
    try {
      unhandled = total(this.statements(target.fn.body.statements, target.module, depth + 1));
    } finally {
      this.inProgress.delete(target.fn);
      this.recorder = recorder;
      this.nothingFrom = nothingFrom;
    }
    return { fall: concat(args, unhandled), ret: handled.fall };
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
      if (isDroppedPromiseChain(node)) {
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
            if (givenOnlyToWaitUntil(d, module)) {
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
      if (
        this.nothingFrom &&
        findAncestor(node, isFunctionLike) === this.nothingFrom &&
        (returnedWhenSet(node) || !this.mayBeNothing(node.expression, module, 0))
      )
        return {};
      return { ret: node.expression ? this.expression(node.expression, module, depth, true) : EMPTY };
    }
    if (isThrowStatement(node)) {
      if (this.nothingFrom && findAncestor(node, isFunctionLike) === this.nothingFrom) return {};
      return { ret: this.expression(node.expression, module, depth, false) };
    }
    if (isIfStatement(node)) {
      const condition = this.expression(node.expression, module, depth, false);
      let then = this.statement(node.thenStatement, module, depth);
      // `if (!db) { db = connect(env); await db.init(); }`: runs once per isolate, so once on a path.
      if (then.fall && !then.ret && !then.next && !then.exit && initialisesOnce(node))
        then = { fall: once(then.fall, `${module.path}#${node.pos}`) };
      const otherwise = node.elseStatement ? this.statement(node.elseStatement, module, depth) : FALL_EMPTY;
      return prefix(condition, branch(then, otherwise));
    }
    if (isSwitchStatement(node)) {
      const subject = this.expression(node.expression, module, depth, false);
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
      // `for (const u of ["a", "b", "c"])`: as many times as the literal list has elements (capped).
      const items = waits && isForOfStatement(node) ? literalIterations(node) : undefined;
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
  private expression(node: ts.Expression, module: ModuleFacts, depth: number, awaited: boolean): Seq {
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
    // `ws.onmessage = async (event) => ...`: a listener set by assignment runs when its event fires.
    if (
      isBinaryExpression(value) &&
      value.operatorToken.kind === SyntaxKind.EqualsToken &&
      isPropertyAccessExpression(value.left) &&
      LISTENER_PROPERTIES.has(value.left.name.text)
    ) {
      this.offThePath([value.right], module, depth);
      return this.expression(value.left.expression, module, depth, false);
    }
    if (isNewExpression(value)) {
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
    if (!parts.length) return EMPTY;
    // `{ zones: listZones(), user: getUser() }`: the values of a literal that wait for nothing are started together.
    return literal ? startedInOrder(parts, waiting) : concat(...parts);
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

  private call(node: ts.CallExpression | ts.TaggedTemplateExpression, module: ModuleFacts, depth: number, awaited: boolean): Seq {
    this.steps++;
    const args: readonly ts.Expression[] = isCallExpression(node)
      ? node.arguments
      : node.template.kind === SyntaxKind.TemplateExpression
        ? node.template.templateSpans.map((s) => s.expression)
        : [];
    const callee = unwrapExpression(isCallExpression(node) ? node.expression : node.tag);

    // waitUntil(...) in any form: its arguments are off the response path.
    if (isWaitUntilCall(callee, module)) {
      this.offThePath(args, module, depth);
      return EMPTY;
    }

    // `server.addEventListener("message", fn)` on a WebSocket (or any object): the listener runs when
    // the event fires, after this call and, for a WebSocket, after the 101 response. Walked like
    // waitUntil work: its calls are listed, off the response path.
    if (isEventListenerCall(callee, args)) {
      const receiver = this.expression((callee as ts.PropertyAccessExpression).expression, module, depth, false);
      this.offThePath(args.slice(1), module, depth);
      return receiver;
    }

    // Promise.all([...]) and friends: one round trip made of parallel branches.
    if (
      isPropertyAccessExpression(callee) &&
      isIdentifier(callee.expression) &&
      callee.expression.text === "Promise" &&
      PROMISE_COMBINATORS.has(callee.name.text)
    ) {
      const list = args[0] ? unwrapExpression(args[0]) : undefined;
      if (list && isArrayLiteralExpression(list))
        return parallel(
          list.elements.map((e) => this.expression(isSpreadElement(e) ? e.expression : e, module, depth, true)),
          `Promise.${callee.name.text}`,
        );
      return parallel([list ? this.expression(list, module, depth, true) : EMPTY], `Promise.${callee.name.text}`);
    }

    // `.map(async x => ...)` runs its callback for each element, concurrently when collected by Promise.all.
    if (isPropertyAccessExpression(callee) && (callee.name.text === "map" || callee.name.text === "flatMap") && args[0]) {
      const fn = this.ctx.values.functionFrom(args[0], module);
      const receiver = this.expression(callee.expression, module, depth, false);
      // `items.map(async (i) => ...);` with its promises dropped: like forEach, nothing waits for them.
      if (fn && isAsync(fn.fn) && isExpressionStatement(node.parent)) return receiver;
      return concat(receiver, fn ? total(this.functionOutcome(fn.fn, fn.module, depth + 1)) : EMPTY);
    }
    if (isPropertyAccessExpression(callee) && callee.name.text === "forEach" && args[0]) {
      const fn = this.ctx.values.functionFrom(args[0], module);
      const receiver = this.expression(callee.expression, module, depth, false);
      // forEach does not wait for async callbacks: they run concurrently, and nothing on the response
      // path waits for them. A synchronous callback runs in a loop; it waits for nothing (its calls
      // overlap) unless it carries a promise chain on (`p = p.then(...)`).
      if (!fn || isAsync(fn.fn)) return receiver;
      const body = total(this.functionOutcome(fn.fn, fn.module, depth + 1));
      return concat(receiver, fn.fn.body && waitsInside(fn.fn.body) ? repeated(body) : startedTogether(body));
    }
    // `ids.reduce(async (previous, id) => { await previous; ... }, Promise.resolve())`: each callback
    // waits for the one before, a loop (a synchronous callback only when it chains `.then`).
    if (isPropertyAccessExpression(callee) && (callee.name.text === "reduce" || callee.name.text === "reduceRight") && args[0]) {
      const fn = this.ctx.values.functionFrom(args[0], module);
      if (fn) {
        const receiver = this.expression(callee.expression, module, depth, false);
        const initial = args[1] ? this.expression(args[1], module, depth, false) : EMPTY;
        const body = total(this.functionOutcome(fn.fn, fn.module, depth + 1));
        const chained = isAsync(fn.fn) || (fn.fn.body !== undefined && waitsInside(fn.fn.body, true));
        return concat(receiver, initial, chained ? repeated(body) : startedTogether(body));
      }
    }

    // `.then(cb)` / `.catch(cb)` / `.finally(cb)`: the callback runs after the receiver settles.
    if (
      isPropertyAccessExpression(callee) &&
      (callee.name.text === "then" || callee.name.text === "catch" || callee.name.text === "finally")
    ) {
      const receiver = this.expression(callee.expression, module, depth, awaited);
      const callbacks = args
        .map((a) => this.ctx.values.functionFrom(a, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined);
      return concat(receiver, worst(...callbacks.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))));
    }

    // A batch (`prisma.$transaction([...])`, `db.batch([...])`): the queries in it are sent with it.
    const batched = this.ctx.classifier.batchedElements(node, module);
    if (batched) for (const element of batched) this.markClassified(element);
    // Arguments that wait for nothing are started one after another without waiting: they overlap.
    const argumentSeq = batched
      ? EMPTY
      : startedInOrder(
          args.map((a) => this.expression(a, module, depth, false)),
          args.map((a) => this.pauses(a)),
        );
    const receiverSeq =
      isPropertyAccessExpression(callee) || isElementAccessExpression(callee)
        ? this.expression(callee.expression, module, depth, false)
        : EMPTY;
    const before = concat(receiverSeq, argumentSeq);

    // `handlers[name](request)` over a constant table of functions: whichever runs, the worst of them.
    if (isElementAccessExpression(callee)) {
      const candidates = this.ctx.values.tableFunctions(callee, module);
      if (candidates) return concat(before, worst(...candidates.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))));
    }

    // `fetch(request);` as a statement: nothing waits for its promise (fire-and-forget), so neither
    // does the response. Not classified here: the final sweep lists it, off the response path.
    if (!awaited && isExpressionStatement(node.parent) && isGlobalFetch(callee, module)) return before;
    this.markClassified(node);
    const subrequest = this.ctx.classifier.classify(node, callee, args, module);
    if (subrequest === "skip") return before;
    // A transaction's callback runs now, its calls on the transaction client counted one by one.
    if (subrequest === RUNS_CALLBACKS) {
      const callbacks = args
        .map((a) => this.ctx.values.functionFrom(a, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined);
      return concat(before, ...callbacks.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1))));
    }
    if (subrequest) {
      if (subrequest.servesAssets) {
        if (this.marking === "critical") this.servesAssets = true;
        this.recorder?.push({ kind: "assets", deferred: this.deferredLevel > 0 });
      }
      this.recorder?.push({ kind: "record", node, subrequest, deferred: this.deferredLevel > 0 });
      if (subrequest.unresolved && !this.assumes(subrequest)) this.unknown(`${subrequest.note} (${this.locate(module, node)})`);
      const step = this.pathStep(this.noteSubrequest(node, subrequest, module), subrequest, node, module);
      const steps = Array.from({ length: Math.max(1, Math.min(subrequest.roundTrips ?? 1, 8)) }, () => seqOf(step));
      // `generateText({ tools })`: after the model answers, the tool it picks runs (the worst counts),
      // and with more steps allowed the model is asked again.
      const tools = isCallExpression(node) ? this.ctx.classifier.toolsRunBy(node, module) : undefined;
      if (tools && tools.tools.length > 0)
        return concat(
          before,
          ...steps,
          worst(...tools.tools.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))),
          ...(tools.followUp ? steps : []),
        );
      return concat(before, ...steps);
    }

    // A call through a route table or on an interface: each entry or implementation is a path.
    const dispatch = this.dispatchOf(callee, module);
    if (dispatch) return concat(before, this.dispatched(dispatch, node, callee, args, module, depth));

    // A hand-off to an app or handler of the Worker's own: `app.fetch(request, env, ctx)`, or the
    // request given to any method of an app (`router.handleRequest(request, env)` of a project router).
    if (
      isPropertyAccessExpression(callee) &&
      // (`handler.handle()` with no arguments hands nothing on: a method of an object, walked as one.)
      ((HANDOFF_METHODS.has(callee.name.text) && args.length > 0) ||
        (args[0] !== undefined && this.ctx.values.isIncomingRequest(args[0]) && this.ctx.handlers.apps.isApp(callee.expression, module)))
    ) {
      const sites = this.ctx.handlers.fetchSitesOf(callee.expression, module);
      if (sites) return concat(before, this.handOff(sites, depth));
      // `handler.fetch(request, ...)` on something that is neither a binding nor readable code.
      if (
        callee.name.text !== "request" &&
        args[0] &&
        this.ctx.values.isIncomingRequest(args[0]) &&
        !this.ctx.values.calledFunction(callee, module) &&
        // A binding's stub (`env.DISPATCHER.get(name).fetch(request)`): another Worker, a binding call.
        !this.ctx.values.bindingStubOf(callee.expression)
      ) {
        const missing = missingExport(this.ctx, callee.expression, module);
        this.unknown(
          missing
            ? missingExportReason(missing, truncate(printNode(callee)), this.locate(module, node))
            : `${truncate(printNode(callee))}(...) hands the request to something the analyser cannot resolve (${this.locate(module, node)})`,
        );
        return before;
      }
    }

    // A framework running the project's code for this call (a tRPC procedure, a TanStack server function).
    const framework = isCallExpression(node) ? this.ctx.handlers.callSitesOf(node, module) : undefined;
    if (framework) return concat(before, this.handOff(framework, depth));

    // `createRequestHandler(env)(request)`: the function a project factory returns, called at once.
    if (isCallExpression(callee)) {
      const factory = this.ctx.values.calledFunction(unwrapExpression(callee.expression), module);
      const made = factory
        ? this.ctx.values
            .returnedValues(factory.fn, factory.module)
            .map((r) => this.ctx.values.functionFrom(r.expression, r.module))
            .filter((f): f is FunctionRef => f !== undefined)
        : [];
      if (factory && made.length > 0) {
        this.ctx.values.noteArguments(factory, callee.arguments, module);
        return concat(
          before,
          this.expression(callee, module, depth, false),
          worst(...made.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))),
        );
      }
    }

    // `(async () => { ... })()`, a function called where it is written, when the request waits for
    // it: awaited, returned, or handed to `event.respondWith(...)`. A promise started and kept for
    // later (a memoised initialisation assigned to a module variable, one pushed to a list) is not
    // followed here.
    if ((isArrowFunction(callee) || isFunctionExpression(callee)) && (awaited || isRespondWithArgument(node)))
      return concat(before, total(this.functionOutcome(callee, module, depth + 1)));

    // A call into code the analyser can read: its own round trips, then those of the callbacks it runs.
    const target = this.ctx.values.calledFunction(callee, module);
    if (target) {
      // What it is given is what its parameters hold: a client, a URL (`getJson(url)`).
      this.ctx.values.noteArguments(target, args, module);
      let callbacks = this.ctx.values.callbacksRunBy(target, args, module);
      // `routes.add("/x", handler)` on a project router keeps the handler for a request: it runs nothing now.
      if (callbacks.length > 0 && this.ctx.handlers.apps.isRouteRegistrationOn(callee, module)) callbacks = [];
      return concat(
        before,
        this.calledOutcome(target, args, depth + 1, node, module),
        // `asyncForEach(items, async (x) => ...)` whose loop awaits each call: a loop's round trips.
        ...callbacks.map((f) => {
          const seq = total(this.functionOutcome(f.fn, f.module, depth + 1));
          return f.inLoop ? repeated(seq) : seq;
        }),
        // `withLogging(router.fetch)`: the app's fetch it is given and calls.
        ...this.ctx.handlers.appsRunBy(target, args, module).map((sites) => this.handOff(sites, depth)),
      );
    }

    // A free name in a Nitro server module (no declaration, no import): an auto-imported export of
    // `server/utils`, or, when awaited and not one of Nitro's own, an unknown call (never nothing).
    if (isIdentifier(callee) && !declarationOf(callee) && !module.imports.has(callee.text) && !this.nitro.isFrameworkGlobal(callee.text)) {
      const server = this.nitro.serverDirOf(module);
      const auto = server ? this.nitro.functionNamed(callee.text, module) : undefined;
      if (auto) {
        this.ctx.values.noteArguments(auto, args, module);
        return concat(before, total(this.functionOutcome(auto.fn, auto.module, depth + 1)));
      }
      if (server && awaited && !(callee.text in globalThis)) {
        this.unknown(
          `${callee.text}(...) is neither declared nor imported, and no export of the Nitro server's utils/ has that name (an auto-import the analyser could not find): its round trips cannot be seen (${this.locate(module, node)})`,
        );
        return before;
      }
    }

    // A function received as a parameter (`render(user)` in a route a helper registers): whichever
    // function the calls met so far pass for it, the worst of them.
    const parameter = isIdentifier(callee) ? declarationOf(callee) : undefined;
    if (parameter && ts.isParameter(parameter)) {
      const candidates = this.registrarFunctions(parameter, 0);
      if (candidates.length > 0)
        return concat(before, worst(...candidates.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))));
    }

    // A callee the analyser cannot read that is given async functions: they most likely run. A
    // known callback runner runs the one it is given whether async or not
    // (`storage.run(id, () => source.load(url))` returns the promise the callback makes).
    const runner = isPropertyAccessExpression(callee) && CALLBACK_RUNNERS.has(callee.name.text);
    const asyncCallbacks: Array<ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration> = args
      .map((a) => unwrapExpression(a))
      .filter(
        (a): a is ts.ArrowFunction | ts.FunctionExpression => (isArrowFunction(a) || isFunctionExpression(a)) && (runner || isAsync(a)),
      );
    // `await run({ onEvent: async () => ... })`: async functions in an options object given to a
    // callee the analyser cannot read, when the call itself is awaited (one level deep; a factory's
    // `return tool({ execute })` only makes the object).
    if (awaited && isAwaitExpression(skipParentheses(node.parent)) && !this.ctx.values.calledFunction(callee, module))
      for (const arg of args) {
        const options = unwrapExpression(arg);
        if (!ts.isObjectLiteralExpression(options)) continue;
        for (const property of options.properties) {
          const value = ts.isMethodDeclaration(property)
            ? property
            : isPropertyAssignment(property)
              ? unwrapExpression(property.initializer)
              : undefined;
          if (value && (isArrowFunction(value) || isFunctionExpression(value) || ts.isMethodDeclaration(value)) && isAsync(value))
            asyncCallbacks.push(value);
        }
      }
    // Registering a route on an app runs nothing now (`app.get("/", async (c) => ...)` in a factory).
    if (
      asyncCallbacks.length > 0 &&
      !(
        isPropertyAccessExpression(callee) &&
        ((isCallExpression(node) && (isRouteRegistration(node) || this.ctx.handlers.mcp.isRegistration(node, module))) ||
          this.ctx.handlers.apps.isApp(callee.expression, module))
      )
    ) {
      const seqs = asyncCallbacks.map((fn) => total(this.functionOutcome(fn, module, depth + 1)));
      const method = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : "";
      if (awaited && !CALLBACK_RUNNERS.has(method) && seqs.some((s) => s.possible > 0)) {
        const root = rootImport(callee, module);
        this.unknown(
          `${truncate(printNode(callee))}(...)${root ? ` from "${root.module}"` : ""} is given an async function: its round trips are counted as if it ran once, in order (${this.locate(module, node)})`,
        );
      }
      return concat(before, ...seqs);
    }

    // `const auth = bearerAuth({...}); return auth(c, next)`: run as `app.use(bearerAuth({...}))` is.
    const delegated = isIdentifier(callee) ? this.ctx.handlers.apps.delegatedMiddleware(callee, args, module) : undefined;
    if (delegated) return concat(before, ...delegated.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1))));
    const made = isIdentifier(callee) ? this.ctx.values.madeByPackage(callee, module) : undefined;
    // A handler a framework generates (`createRequestHandler(build)`): the app's own routes, when known.
    if (made && args[0] && this.ctx.values.isIncomingRequest(args[0])) {
      const sites = this.ctx.handlers.fetchSitesOf(callee, module);
      if (sites) return concat(before, this.handOff(sites, depth));
    }
    // A function a package made that is given only plain data (a text converter made by
    // `ConverterFactory(dict)`, called with a string) and whose factory was given only plain data
    // does its work in the Worker; anything else it is given (the request, a URL, a binding, a
    // client, a callback) may be a round trip the analysis cannot see.
    if (made && awaited && !this.givenOnlyPlainValues(callee as ts.Identifier, args, module)) {
      this.unknown(
        `${printNode(callee)}(...) was made by ${made.call}(...) from "${made.module}", which handles the request in code the analyser does not read (${this.locate(module, node)})`,
      );
    } else {
      const root = rootImport(callee, module);
      // Making a client of a known library (`betterAuth(options)`) is no round trip: its calls are counted.
      const opaque = root && !(isIdentifier(callee) && isClientFactory(root.module, root.name)) && opaqueLibrary(root.module);
      if (opaque && awaited)
        this.unknown(
          `${printNode(callee)}(...) calls ${opaque}, which makes round trips the analyser cannot count (${this.locate(module, node)})`,
        );
      else if (root && awaited && this.isUnreadLocalPackage(root.module, module))
        this.unknown(
          `${truncate(printNode(callee))}(...) calls "${root.module}", a package of this repository whose source the analyser could not read (not installed, or outside the folders it was asked to read) (${this.locate(module, node)})`,
        );
      // Code of the project's own that the resolver could not find (an alias, a missing file): what
      // it does is unknown, never nothing.
      else if (root && awaited && !isPackageSpecifier(root.module) && !this.ctx.loader.moduleFor(root.module, module))
        this.unknown(
          `${truncate(printNode(callee))}(...) comes from "${root.module}", which the analyser could not find in the project (${this.locate(module, node)})`,
        );
    }
    return before;
  }

  /**
   * What a call may run when its callee is read from a collection (a route table walked in a loop,
   * a router's `routes`) or called on an interface or a base class whose subclasses override it
   * (see dispatch.ts); undefined for a call resolved otherwise.
   */
  private dispatchOf(callee: ts.Expression, module: ModuleFacts): Dispatch | undefined {
    if (isPropertyAccessExpression(callee)) {
      if (callee.expression.kind !== SyntaxKind.ThisKeyword && this.ctx.values.calledFunction(callee, module)) return undefined;
    } else if (!isIdentifier(callee) || this.ctx.values.calledFunction(callee, module)) return undefined;
    return this.dispatch.resolve(callee, module);
  }

  /** The worst of a dispatch's alternatives, said with the prediction when it is on the fetch path. */
  private dispatched(
    dispatch: Dispatch,
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    callee: ts.Expression,
    args: readonly ts.Expression[],
    module: ModuleFacts,
    depth: number,
  ): Seq {
    // The alternatives may be anywhere in the Worker, and the note is not replayed: never kept.
    this.cutWalk();
    const call = truncate(printNode(callee));
    if (dispatch.tooMany) {
      this.unknown(`${call}(...) may run any of ${dispatch.tooMany}: too many to follow (${this.locate(module, node)})`);
      return EMPTY;
    }
    let worstIndex = -1;
    let worstSeq: Seq = EMPTY;
    const seqs: Seq[] = [];
    dispatch.alternatives.forEach((alternative, index) => {
      this.ctx.values.noteArguments(alternative, args, module);
      const seq = total(this.functionOutcome(alternative.fn, alternative.module, depth + 1));
      seqs.push(seq);
      if (worstIndex < 0 || seq.backend > worstSeq.backend || (seq.backend === worstSeq.backend && seq.possible > worstSeq.possible)) {
        worstIndex = index;
        worstSeq = seq;
      }
    });
    const result = worst(...seqs);
    if (this.marking === "critical" && dispatch.alternatives.length > 1 && worstSeq.possible > 0) {
      const chosen = dispatch.alternatives[worstIndex];
      const n = dispatch.alternatives.length;
      const where = this.locate(module, node);
      const worstPart = chosen?.label
        ? `: the worst is ${chosen.label} (${worstSeq.backend} round trip${worstSeq.backend === 1 ? "" : "s"})`
        : "";
      this.dispatchNotes.add(
        dispatch.how === "table"
          ? `${call}(...) (${where}) runs one of ${n} entries of a route table, each a path${worstPart}`
          : dispatch.how === "chosen"
            ? `${call}(...) (${where}) runs one of the ${n} functions an immediately-invoked function picks, each a path${worstPart}`
            : `${call}(...) (${where}) runs a method the analyser cannot tie to one class: each of the ${n} project classes that implement it (${dispatch.alternatives
                .map((a) => a.label)
                .filter(Boolean)
                .slice(0, 6)
                .join(", ")}${n > 6 ? ", ..." : ""}) is a path${worstPart}`,
      );
    }
    return result;
  }

  /**
   * A variable holding a call not awaited (`const q = db.select().from(t)`) whose every use is as an
   * element of the list a client's batch call sends (`db.batch([q, other])`).
   */
  private sentOnlyInBatch(declaration: ts.VariableDeclaration, module: ModuleFacts): boolean {
    const init = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
    if (!init || !isCallExpression(init) || !isIdentifier(declaration.name)) return false;
    const body = (findAncestor(declaration, isFunctionLike) as ts.FunctionLikeDeclaration | undefined)?.body;
    if (!body) return false;
    let batched = this.batchOnly.get(body);
    if (!batched) {
      // One pass over the function: for each local name, whether every use is a batch's element.
      const only = new Map<ts.Node, boolean>();
      const visit = (node: ts.Node): void => {
        if (isIdentifier(node)) {
          const held = declarationOf(node);
          if (!held || !ts.isVariableDeclaration(held) || held.name === node) return;
          const list = node.parent;
          const call = list.parent;
          const inBatch =
            isArrayLiteralExpression(list) &&
            isCallExpression(call) &&
            call.arguments[0] === list &&
            this.ctx.classifier.batchedElements(call, module) !== undefined;
          only.set(held, (only.get(held) ?? true) && inBatch);
          return;
        }
        forEachChild(node, visit);
      };
      visit(body);
      batched = new Set([...only].filter(([, all]) => all).map(([held]) => held));
      this.batchOnly.set(body, batched);
    }
    return batched.has(declaration);
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
  private pauses(node: ts.Node): boolean {
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
    else found = forEachChild(node, (child) => this.pauses(child) || undefined) === true;
    this.pausing.set(node, found);
    return found;
  }

  /** Whether a function a package made, and the call that made it, were given only plain data (plainValues.ts). */
  private givenOnlyPlainValues(callee: ts.Identifier, args: readonly ts.Expression[], module: ModuleFacts): boolean {
    const declaration = declarationOf(callee);
    const init =
      declaration && ts.isVariableDeclaration(declaration) && declaration.initializer
        ? unwrapExpression(declaration.initializer)
        : undefined;
    const factoryArgs = init && (isCallExpression(init) || isNewExpression(init)) ? (init.arguments ?? []) : undefined;
    return !!factoryArgs && arePlainValues(this.ctx, args, module) && arePlainValues(this.ctx, factoryArgs, module);
  }

  /**
   * A package the module's package.json takes from the same repository (`"@acme/db": "workspace:*"`,
   * or any package the workspace's globs list, whatever version it is asked for) that did not resolve to source: its calls may be round trips the analysis cannot see.
   */
  private isUnreadLocalPackage(specifier: string, module: ModuleFacts): boolean {
    if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.includes(":")) return false;
    const parts = specifier.split("/");
    const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
    const dir = dirname(module.path);
    let local = this.localPackages.get(dir);
    if (!local) {
      local = nearestManifest(this.ctx.input.fs, dir)?.localDependencies ?? new Set();
      this.localPackages.set(dir, local);
    }
    // A package of the workspace taken by version (`"@acme/db": "*"`, as npm, yarn and bun
    // workspaces allow) is the repository's own code just as `workspace:*` is.
    const own = local.has(name) || this.ctx.loader.resolver.workspacePackages(dir).has(name);
    return own && !this.ctx.loader.moduleFor(specifier, module);
  }

  /**
   * The functions a route registrar was given for a parameter, also when handed on through other
   * parameters (`generate(c, render)` inside the route). Functions given directly are the callers'
   * callbacks (see callbacksRunBy): they are counted where they are given, not here.
   */
  private registrarFunctions(parameter: ts.ParameterDeclaration, depth: number): FunctionRef[] {
    if (depth > 4) return [];
    const found: FunctionRef[] = [];
    const registrar = this.ctx.values.isRegistrarParameter(parameter);
    for (const passed of this.ctx.values.argumentsPassedFor(parameter)) {
      if (registrar) {
        const fn = this.ctx.values.functionFrom(passed.expression, passed.module);
        if (fn) found.push(fn);
        continue;
      }
      const value = unwrapExpression(passed.expression);
      const next = isIdentifier(value) ? declarationOf(value) : undefined;
      if (next && ts.isParameter(next)) found.push(...this.registrarFunctions(next, depth + 1));
    }
    return found;
  }

  /**
   * The fetch paths of an app or handler the request is handed to: the worst route (its
   * middleware, then its handlers), or why the paths cannot be seen.
   */
  private handOff(sites: readonly HandlerSite[], depth: number): Seq {
    const seqs: Seq[] = [];
    for (const site of sites) {
      if (site.opaque) this.unknown(site.opaque);
      // As for a handler of the Worker's own (analyseFetchHandler): its functions, the library calls
      // that stand for it (`toNextJsHandler(auth)`), then what renders concurrently.
      const parts = site.functions.map(({ fn, module }) => total(this.functionOutcome(fn, module, depth + 1)));
      for (const { call, module } of site.calls ?? []) parts.push(this.expression(call, module, depth + 1, true));
      if (site.concurrent && site.concurrent.length > 0)
        parts.push(
          parallel(
            site.concurrent.map(({ fn, module }) => total(this.functionOutcome(fn, module, depth + 1))),
            "rendered concurrently",
          ),
        );
      const seq = concat(EMPTY, ...parts);
      seqs.push(site.route === undefined ? seq : routed(seq, site.route));
    }
    return worst(...seqs);
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
    if (!isCallExpression(value)) return true;
    const callee = unwrapExpression(value.expression);
    if (isPropertyAccessExpression(callee) && RESPONSE_MAKERS.has(callee.name.text)) return false;
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

  /** A call the walk has classified (or that a batch sends): the final sweep skips it. */
  private markClassified(node: ts.Node): void {
    this.classified.add(node);
    this.recorder?.push({ kind: "classified", node });
  }

  /** A subrequest the walk reached, marked as the walk is marking. */
  private noteSubrequest(node: ts.Node, subrequest: ClassifiedSubrequest, module: ModuleFacts): Subrequest {
    const record = this.record(node, subrequest);
    if (this.currentHandler && subrequest.category === "analytics" && this.marking === "critical" && isAwaitExpression(node.parent)) {
      this.reportBlockingAnalytics(node as ts.CallExpression | ts.TaggedTemplateExpression, record, module);
    }
    return record;
  }

  /**
   * The step a subrequest makes on this path. A helper walked for each of its calls (see
   * calledOutcome) classifies its call again each time: the step counts the host this call path
   * names, and the one listed subrequest names every host its call paths gave.
   */
  private pathStep(record: SubrequestRecord, here: ClassifiedSubrequest, node: ts.Node, module: ModuleFacts): Step {
    if (record.target === here.target && record.category === here.category) return stepOf(record, this.assumes(here));
    // One call path's URL is unknown: said as an unknown, with where (the listed call keeps its hosts).
    const site = this.callSite ? `, called from ${this.locate(this.callSite.module, this.callSite.call)}` : "";
    if (here.category === "unknown" && this.marking === "critical" && !this.assumes(here))
      this.unknown(`${here.note} (${this.locate(module, node)}${site})`);
    if (record.category === "unknown" && here.category !== "unknown") {
      // The listed call was unknown on an earlier path: that stays said; the call lists this path's host.
      if (record.criticalPath && record.note && record.assumed === undefined) this.unknown(`${record.note} (${this.locate(module, node)})`);
      record.target = here.target;
      record.category = here.category;
      record.note = here.note;
      if (here.candidates) record.candidates = here.candidates;
      return stepOf(record);
    }
    if (record.target !== null && here.target !== null) {
      const hosts = new Map<string, SubrequestCategory>();
      for (const c of [
        ...(record.candidates ?? [{ host: record.target, category: record.category }]),
        ...(here.candidates ?? [{ host: here.target, category: here.category }]),
      ])
        if (!hosts.has(c.host)) hosts.set(c.host, c.category);
      if (hosts.size > 1) {
        const candidates = [...hosts].map(([host, category]) => ({ host, category }));
        const listed = candidates.find((c) => c.category === "backend") ?? candidates[0]!;
        record.candidates = candidates;
        record.target = listed.host;
        record.category = listed.category;
        const named = candidates.slice(0, 8).map((c) => `${c.host} (${CATEGORY_WORDS[c.category]})`);
        const more = candidates.length > 8 ? ` and ${candidates.length - 8} more` : "";
        record.note = `the URL is given by the caller: ${named.join(", ")}${more}; each call counts the host it gives`;
      }
    }
    const step = stepOf({ ...record, target: here.target, category: here.category }, this.assumes(here));
    return { ...step, subrequests: [record] };
  }

  /**
   * Whether a call whose target is unknown is counted as a round trip to a back end by assumption
   * (an unresolved host, an awaited call on a client of an unknown library: see AssumeMode). Then
   * it is not an unknown: the prediction's reasons say what was assumed.
   */
  private assumes(subrequest: ClassifiedSubrequest): boolean {
    return subrequest.category === "unknown" && subrequest.assumption !== undefined && this.ctx.input.assume !== "strict";
  }

  /** Round trips the analyser cannot count, said once each in the result. */
  private unknown(text: string): void {
    // Code only another handler runs (a cron's, a queue's: walked marking nothing) says nothing of the fetch path.
    if (this.marking !== "none") this.ctx.unknowns.push(text);
    this.recorder?.push({ kind: "unknown", text });
  }

  /**
   * Work off the response path: waitUntil's arguments, event listeners (see isEventListenerCall),
   * a promise only handed to waitUntil (see givenOnlyToWaitUntil).
   */
  private offThePath(args: readonly ts.Expression[], module: ModuleFacts, depth: number): void {
    const previous = this.marking;
    if (this.marking === "critical") this.marking = "waitUntil";
    this.deferredLevel++;
    try {
      for (const arg of args) this.deferred(arg, module, depth);
    } finally {
      this.marking = previous;
      this.deferredLevel--;
    }
  }

  /** An argument of waitUntil: walked for marking, contributes nothing to the response path. */
  private deferred(arg: ts.Expression, module: ModuleFacts, depth: number): void {
    const value = unwrapExpression(arg);
    if (isArrowFunction(value) || isFunctionExpression(value)) {
      this.functionOutcome(value, module, depth + 1);
      return;
    }
    if (isCallExpression(value)) {
      const fn = this.ctx.values.functionFrom(value.expression, module);
      if (fn && (isArrowFunction(unwrapExpression(value.expression)) || isFunctionExpression(unwrapExpression(value.expression)))) {
        this.functionOutcome(fn.fn, fn.module, depth + 1);
        return;
      }
    }
    this.expression(arg, module, depth, true);
  }

  private record(node: ts.Node, subrequest: ClassifiedSubrequest): SubrequestRecord {
    let record = this.subrequests.get(node);
    if (!record) {
      // Spelled out rather than spread: this runs for every subrequest, and spreading is slower.
      const { file, span, kind, target, category, note } = subrequest;
      record = { file, span, kind, target, category, note, criticalPath: false, waitUntil: isInsideWaitUntil(node) };
      if (subrequest.candidates) record.candidates = subrequest.candidates;
      this.subrequests.set(node, record);
      this.callOfRecord.set(record, node);
    }
    // Counted by assumption on this call path (see assumes): the listed call says so.
    if (record.assumed === undefined && this.assumes(subrequest)) record.assumed = subrequest.assumption!;
    if (this.marking === "critical") {
      record.criticalPath = true;
      record.waitUntil = false;
    } else if (this.marking === "waitUntil" && !record.criticalPath && !isInsideEventListener(node) && !insideDroppedPromiseChain(node))
      record.waitUntil = true;
    return record;
  }

  /** Subrequests in code no handler reached are still listed (off the fetch path). */
  /** Whether a function was walked only for another handler (a cron's, a queue's): never on a fetch path, nor in its waitUntil. */
  walkedOffFetchPath(fn: ts.Node): boolean {
    return this.summaries.has(fn) && !this.walked.get("critical")!.has(fn) && !this.walked.get("waitUntil")!.has(fn);
  }

  sweepUnreached(): Array<{
    subrequest: Subrequest;
    where: () => string;
    inDurableObject: boolean;
    unknownClient: boolean;
    node: ts.Node;
    module: ModuleFacts;
  }> {
    const previous = this.marking;
    this.marking = "none";
    const unreached: Array<{
      subrequest: Subrequest;
      where: () => string;
      inDurableObject: boolean;
      unknownClient: boolean;
      node: ts.Node;
      module: ModuleFacts;
    }> = [];
    try {
      for (const module of this.ctx.loader.modules.values()) {
        for (const node of module.calls) {
          if (this.classified.has(node)) continue;
          // An awaited method call of any name may be on a client of a library the analyser does not
          // know (`await agent.login()`): only those are taken from beyond the usual names.
          const likely = isLikelySubrequest(node);
          if (!likely && !(isCallExpression(node) && isPropertyAccessExpression(node.expression) && isAwaitExpression(node.parent)))
            continue;
          const callee = unwrapExpression(isCallExpression(node) ? node.expression : node.tag);
          const args = isCallExpression(node) ? node.arguments : [];
          const found = this.ctx.classifier.classify(node, callee, args, module);
          if (!found || found === "skip" || found === RUNS_CALLBACKS) continue;
          if (!likely && !found.unknownClient) continue;
          const subrequest = this.record(node, found);
          // Only calls known to reach a back end are evidence of lost wiring: an unreached call whose
          // target is unknown may as well go to a service Smart Placement ignores. An HTTP client's
          // request is a round trip to somewhere, though: never let it vanish; nor an awaited call on
          // a client of a library the analyser does not know (an SDK of a remote service).
          if (subrequest.category !== "backend" && !found.httpClient && !found.unknownClient) continue;
          const cls = findAncestor(node, isClassLike);
          const inDurableObject = cls !== undefined && (DURABLE_BASES.has(heritageName(cls) ?? "") || isDurableObjectShaped(cls));
          unreached.push({
            subrequest,
            where: () => this.locate(module, node),
            inDurableObject,
            unknownClient: !!found.unknownClient,
            node,
            module,
          });
        }
      }
    } finally {
      this.marking = previous;
    }
    return unreached;
  }

  private reportBlockingAnalytics(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    subrequest: Subrequest,
    module: ModuleFacts,
  ): void {
    if (
      this.ctx.findings.some(
        (f) => f.code === "subrequest-blocking-analytics" && f.span.start === subrequest.span.start && f.file === module.path,
      )
    )
      return;
    const enclosing = findAncestor(node, isFunctionLike) as ts.FunctionLikeDeclaration | undefined;
    const site = this.currentHandler;
    // The fix needs the handler's own context; inside a helper function it has none to use.
    const isHandlerBody =
      enclosing !== undefined &&
      site !== undefined &&
      (site.functions.some((f) => f.fn === enclosing) || site.concurrent?.some((f) => f.fn === enclosing) === true);
    // Only `await call();` as a statement can move: when the value is used, the code needs it.
    const statement = isDirectlyAwaitedStatement(node) ? (node.parent.parent as ts.ExpressionStatement) : undefined;
    const fix = isHandlerBody && statement ? waitUntilFix(statement, enclosing, site.form, module.path) : undefined;
    this.ctx.findings.push({
      code: "subrequest-blocking-analytics",
      file: module.path,
      span: subrequest.span,
      message: `${subrequest.target ?? "This analytics call"} is awaited on the response path: the response waits for it, and Smart Placement ignores it. Run it in ctx.waitUntil(...) instead.`,
      fixes: fix ? [fix] : [],
    });
  }

  private locate(module: ModuleFacts, node: ts.Node): string {
    const line = new LineIndex(module.text).positionAt(node.getStart(module.sourceFile)).line + 1;
    return `${basename(module.path)}:${line}`;
  }
}

/** The global `fetch` (also `globalThis.fetch`), not a function of the project's or an import. */
function isGlobalFetch(callee: ts.Expression, module: ModuleFacts): boolean {
  if (isIdentifier(callee)) return callee.text === "fetch" && !localFunction(callee) && !module.imports.has("fetch");
  return (
    isPropertyAccessExpression(callee) &&
    callee.name.text === "fetch" &&
    isIdentifier(callee.expression) &&
    ["globalThis", "self"].includes(callee.expression.text)
  );
}

/** `if (r) return r;` (also `r !== null`, `r != null`, `r !== undefined`, `r instanceof Response`, in a block). */
function returnsWhenSet(statement: ts.IfStatement, name: string): boolean {
  const isName = (node: ts.Node): boolean => isIdentifier(node) && node.text === name;
  const condition = unwrapExpression(statement.expression);
  const tests =
    isName(condition) ||
    (isBinaryExpression(condition) &&
      isName(unwrapExpression(condition.left)) &&
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

/** `return r` inside `if (r) ...`: what it returns is something. */
/** Whether a call is the argument of `event.respondWith(...)` (parentheses aside). */
function isRespondWithArgument(node: ts.Node): boolean {
  let current = node;
  while (current.parent && ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return (
    parent !== undefined &&
    isCallExpression(parent) &&
    parent.arguments[0] === current &&
    isPropertyAccessExpression(parent.expression) &&
    parent.expression.name.text === "respondWith"
  );
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

/**
 * `const p = cache.write(key, response)` (a call not awaited) whose every use is as an argument of
 * waitUntil (`ctx.waitUntil(p)`): the response does not wait for it.
 */
function givenOnlyToWaitUntil(declaration: ts.VariableDeclaration, module: ModuleFacts): boolean {
  const init = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
  if (!init || !isCallExpression(init) || !isIdentifier(declaration.name)) return false;
  const scope = findAncestor(declaration, isFunctionLike);
  const body = scope && (scope as ts.FunctionLikeDeclaration).body;
  if (!body || !body.getText().includes("waitUntil")) return false;
  const name = declaration.name.text;
  let uses = 0;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (isIdentifier(node) && node.text === name && node !== declaration.name && declarationOf(node) === declaration) {
      const call = node.parent;
      if (isCallExpression(call) && call.arguments.includes(node) && isWaitUntilCall(unwrapExpression(call.expression), module)) uses++;
      else other = true;
      return;
    }
    forEachChild(node, visit);
  };
  visit(body);
  return uses > 0 && !other;
}

/** How the steps of calls started without waiting are described (see startsOnly). */
const STARTED_TOGETHER = "started without waiting for each other: they overlap";

/**
 * Values evaluated in order (a literal's, a call's arguments): those that wait for nothing start
 * their calls and go on, so each run of them counts as calls started together; one that waits
 * comes after what was started before it.
 */
function startedInOrder(parts: readonly Seq[], waiting: readonly boolean[]): Seq {
  const out: Seq[] = [];
  let run: Seq[] = [];
  const flush = (): void => {
    if (run.length) out.push(run.length > 1 ? parallel(run, STARTED_TOGETHER) : run[0]!);
    run = [];
  };
  parts.forEach((part, i) => {
    if (waiting[i]) {
      flush();
      out.push(part);
    } else run.push(part);
  });
  flush();
  return out.length ? concat(...out) : EMPTY;
}

/**
 * The flag of once-only work: a value held at module level (or on `globalThis`), read as written
 * (`ready`, `state.ready`, `globalThis.__READY__`). Undefined for anything else.
 */
function moduleFlag(expression: ts.Expression): ts.Expression | undefined {
  const flag = unwrapExpression(expression);
  let root: ts.Expression = flag;
  while (isPropertyAccessExpression(root)) root = unwrapExpression(root.expression);
  if (!isIdentifier(root)) return undefined;
  if (root.text === "globalThis" || root.text === "self") return root === flag ? undefined : flag;
  const declaration = declarationOf(root);
  if (!declaration || !ts.isVariableDeclaration(declaration)) return undefined;
  const statement = declaration.parent.parent;
  return isVariableStatement(statement) && ts.isSourceFile(statement.parent) ? flag : undefined;
}

/** Whether code (outside the functions written in it) assigns the flag: `ready = true`, `db ??= connect()`. */
function assignsFlag(node: ts.Node, flag: ts.Expression): boolean {
  const text = flag.getText();
  const visit = (n: ts.Node): boolean => {
    if (isFunctionLike(n)) return false;
    if (
      isBinaryExpression(n) &&
      (n.operatorToken.kind === SyntaxKind.EqualsToken ||
        n.operatorToken.kind === SyntaxKind.QuestionQuestionEqualsToken ||
        n.operatorToken.kind === SyntaxKind.BarBarEqualsToken) &&
      unwrapExpression(n.left).getText() === text
    )
      return true;
    return forEachChild(n, visit) === true;
  };
  return forEachChild(node, visit) === true;
}

/**
 * A function that runs its work once per isolate: its first statement returns when a module-level
 * flag is set (`if (schemaReady) return;`), and it sets that flag itself.
 */
function onceGuarded(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  const first = body && isBlock(body) ? body.statements[0] : undefined;
  if (!first || !isIfStatement(first) || first.elseStatement) return false;
  const then =
    isBlock(first.thenStatement) && first.thenStatement.statements.length === 1 ? first.thenStatement.statements[0]! : first.thenStatement;
  if (!isReturnStatement(then)) return false;
  const flag = moduleFlag(first.expression);
  return flag !== undefined && assignsFlag(body!, flag);
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
