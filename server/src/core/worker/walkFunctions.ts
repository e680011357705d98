// The path walk: functions. A fetch handler's outcome, each function's outcome once per marking
// (kept across analyses as summaries, replayed when its imports did not change), a function
// walked again for one call whose URL it reads, registrars, and hand-offs to other handlers. A
// pattern about when a function is walked goes here. Part of PathWalker (see walkCore.ts).
import ts from "typescript";
import { MAX_CALL_DEPTH, MAX_WALK_STEPS, WALK_BUDGET_REASON } from "./context";
import { ReentrantHandOffs } from "./reentrantApps";
import {
  concat,
  EMPTY,
  FALL_EMPTY,
  parallel,
  repeated,
  routed,
  seqOf,
  total,
  worst,
  type Outcome,
  type Seq,
  once,
  renameOnces,
} from "./flow";
import { type HandlerSite, type LibraryTrip } from "./handlers/types";
import { unwrapExpression, type ModuleFacts } from "./module";
import { type KeptSummary } from "./summaries";
import { declarationOf, givesWaitUntil, type FunctionRef } from "./syntax";
import { moduleFlag, assignsFlag } from "./walkCore";
import { objectFlag, onceObject, type ObjectFlag } from "./onceFlags";
import { WalkRecords } from "./walkRecords";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const { isBlock, isIdentifier, isIfStatement, isReturnStatement } = ts;

/** A function's outcome, and whether recursion or the depth limit cut it short. */
interface FunctionOutcome {
  readonly outcome: Outcome;
  readonly cut: boolean;
}

const CUT_SHORT: FunctionOutcome = { outcome: FALL_EMPTY, cut: true };

/** How many times an analysis walks a function again for one call whose URL it reads (see calledOutcome). */
const MAX_CALL_WALKS = 512;

/**
 * A function that runs its work once: its first statement returns when a flag is set (`if
 * (schemaReady) return;`), and it sets that flag itself. The flag is held at module level (once
 * per isolate: "module"), or on the object the work is done for (see onceFlags.ts): its instance
 * (`if (this.ensured.schema) return;`) or a parameter (`if (ctx.scope) return ctx.scope;`).
 */
function onceGuard(fn: ts.FunctionLikeDeclaration): ObjectFlag | "module" | undefined {
  const body = fn.body;
  const first = body && isBlock(body) ? body.statements[0] : undefined;
  if (!first || !isIfStatement(first) || first.elseStatement) return undefined;
  const then =
    isBlock(first.thenStatement) && first.thenStatement.statements.length === 1 ? first.thenStatement.statements[0]! : first.thenStatement;
  if (!isReturnStatement(then)) return undefined;
  const flag = moduleFlag(first.expression);
  if (flag !== undefined) return assignsFlag(body!, flag) ? "module" : undefined;
  const onObject = objectFlag(first.expression, fn);
  return onObject && assignsFlag(body!, onObject.flag) ? onObject : undefined;
}

/** The object a call of a function guarded by an object's flag runs on (its receiver) or is given (that parameter's argument). */
function flagObject(guard: ObjectFlag, call: ts.Node, args: readonly ts.Expression[]): ts.Expression | undefined {
  if (guard.on === "parameter") return args[guard.index];
  if (!ts.isCallExpression(call)) return undefined;
  const callee = unwrapExpression(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
}

/**
 * A called function's once-only work keyed on its own `this` or on one of its parameters (see
 * onceFlags.ts), named for the caller: by the object this call runs on or passes (`store.count()`:
 * the work on `this` is the work on `store`), or made ordinary when that object may be another on
 * each call (`new Client().report()`, a loop's variable): then it runs each time.
 */
function handedOn(seq: Seq, fn: ts.FunctionLikeDeclaration, call: ts.Node, args: readonly ts.Expression[]): Seq {
  if (!seq.onces) return seq;
  return renameOnces(seq, (key) => {
    // `file#offset@object`: the offset's digits, then the object (a path may hold "@" itself).
    const match = /#\d+@/.exec(key);
    if (!match) return key;
    const at = match.index + match[0].length - 1;
    const object = key.slice(at + 1);
    const dot = object.indexOf(".");
    const root = dot < 0 ? object : object.slice(0, dot);
    let given: ts.Expression | undefined;
    if (root === "this") {
      const callee = ts.isCallExpression(call) ? unwrapExpression(call.expression) : undefined;
      if (!callee || !ts.isPropertyAccessExpression(callee)) return key;
      given = callee.expression;
      if (unwrapExpression(given).kind === ts.SyntaxKind.ThisKeyword) return key;
    } else {
      const index = fn.parameters.findIndex((p) => isIdentifier(p.name) && p.name.text === root);
      if (index < 0) return key;
      given = args[index];
    }
    const text = onceObject(given, call);
    return text === undefined ? null : `${key.slice(0, at)}@${text}${dot < 0 ? "" : object.slice(dot)}`;
  });
}

/**
 * The once-only key of a call of a memoised function (see memoisedFunction): with no argument, the
 * function's; with one that names the same value wherever the path reaches it (a literal, a name,
 * see onceObject), keyed on it as work on an object is. Undefined otherwise: each call counts.
 */
function memoKey(target: FunctionRef, args: readonly ts.Expression[], call: ts.Node): string | undefined {
  const base = `${target.module.path}#${target.fn.pos}`;
  if (args.length === 0) return `${base}@()`;
  if (args.length > 1) return undefined;
  const arg = unwrapExpression(args[0]!);
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) || ts.isNumericLiteral(arg))
    return `${base}@${JSON.stringify(arg.text)}`;
  const object = onceObject(arg, call);
  return object === undefined ? undefined : `${base}@${object}`;
}

/** `Next` (Hono, Koa), `NextFunction` (Express, grammY), also qualified (`Koa.Next`): the type of a middleware's next. */
function isNextType(type: ts.TypeNode | undefined): boolean {
  if (!type || !ts.isTypeReferenceNode(type)) return false;
  const name = ts.isQualifiedName(type.typeName) ? type.typeName.right.text : type.typeName.text;
  return name === "Next" || name === "NextFunction";
}

/**
 * The parameter through which a middleware is given the rest of its route's chain: `next` (or
 * another name typed `Next` or `NextFunction`), last, second (`(c, next)` in Hono, Koa, grammY, Astro) or third (`(req, res, next)` in Express), and
 * only ever called directly in the function's own body (`await next()`, `return next()`). Handed
 * on or called inside another function (`run(next)`, `() => next()`), whether and when it runs
 * cannot be read: undefined, and the rest follows the middleware as it would without one.
 */
export function nextParameter(fn: ts.FunctionLikeDeclaration): ts.ParameterDeclaration | undefined {
  // Asked for each route a middleware runs for: read once per function.
  if (nextParameters.has(fn)) return nextParameters.get(fn);
  const found = readNextParameter(fn);
  nextParameters.set(fn, found);
  return found;
}

const nextParameters = new WeakMap<ts.FunctionLikeDeclaration, ts.ParameterDeclaration | undefined>();

function readNextParameter(fn: ts.FunctionLikeDeclaration): ts.ParameterDeclaration | undefined {
  const parameters = fn.parameters;
  const last = parameters[parameters.length - 1];
  if (!last || (parameters.length !== 2 && parameters.length !== 3) || !isIdentifier(last.name)) return undefined;
  if (last.name.text !== "next" && !isNextType(last.type)) return undefined;
  if (last.dotDotDotToken || !fn.body) return undefined;
  const name = last.name.text;
  let direct = true;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (!direct) return;
    if (isIdentifier(node) && node.text === name) {
      const parent = node.parent;
      // `c.next`, `{ next: 1 }`: a name, not the parameter.
      if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node))
        return;
      // Another variable of the same name (a shadowing one); unresolved, it is taken for the parameter.
      const declaration = declarationOf(node);
      if (declaration && declaration !== last) return;
      let callee: ts.Node = node;
      while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
      if (nested || !ts.isCallExpression(callee.parent) || callee.parent.expression !== callee) direct = false;
      return;
    }
    const inner = nested || (node !== fn.body && ts.isFunctionLike(node));
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(fn.body, false);
  return direct ? last : undefined;
}

export abstract class FunctionWalker extends WalkRecords {
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
  /** Whether the walk in progress met recursion or the depth limit. */
  private walkCut = false;
  /**
   * The functions in progress whose calls the walk in progress met and counted nothing for
   * (recursion, see outcomeOf). The outcome of a function whose walk met one counts its cycle from
   * where the cycle was entered, and a call from elsewhere would count it differently: it is not
   * cached (a later call walks it again), so a count does not depend on which route is read first.
   */
  private recursionCuts = new Set<ts.Node>();
  private outOfSteps = false;
  /** Functions walked again for one call (see calledOutcome). */
  private callWalks = 0;
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
    this.cuts++;
  }

  /** How many times cutWalk was called: a cached answer that called it calls it again (see ValueResolver.calledFunction). */
  cuts = 0;

  /** The route of the handler being walked (`POST /api/mcp`), when it has one. */
  currentRoute(): string | undefined {
    return this.currentHandler?.route;
  }

  analyseFetchHandler(site: HandlerSite): Seq {
    // What could not be resolved is said; what could (a route's other handlers, its middleware) is
    // still walked, as for a hand-off (see handOff).
    if (site.opaque) this.ctx.unknowns.push(site.opaque);
    const previous = this.marking;
    const previousHandler = this.currentHandler;
    this.marking = "critical";
    this.currentHandler = site;
    try {
      return this.reentries.walking(site, () => concat(...this.siteParts(site, 0)));
    } finally {
      this.marking = previous;
      this.currentHandler = previousHandler;
    }
  }

  /**
   * A handler site's parts, in the order they run: the library calls before its functions
   * (`callsBefore`), the chain of its functions, the library calls that stand for it (`calls`), then
   * what renders concurrently, then its `steps`.
   */
  private siteParts(site: HandlerSite, depth: number): Seq[] {
    const calls = (list: HandlerSite["calls"]) =>
      (list ?? []).map(({ call, module, callee }) =>
        callee ? this.callOf(call, callee, module, depth) : this.expression(call, module, depth, true),
      );
    const concurrent = site.concurrent ?? [];
    return [
      ...calls(site.callsBefore),
      ...this.libraryTrips(site.tripsBefore),
      this.chainOf(site.functions, depth),
      ...calls(site.calls),
      ...this.libraryTrips(site.tripsAfter),
      ...(concurrent.length > 0
        ? [
            parallel(
              concurrent.map(({ fn, module }) => total(this.functionOutcome(fn, module, depth))),
              "rendered concurrently",
            ),
          ]
        : []),
      ...(site.steps ?? []).flatMap((step) => this.siteParts(step, depth)),
    ];
  }

  /** Round trips a framework makes itself for a route (HandlerSite.tripsBefore/tripsAfter), recorded as a classified call is. */
  private libraryTrips(trips: readonly LibraryTrip[] | undefined): Seq[] {
    return (trips ?? []).map(({ node, module, subrequest, steps }) => {
      this.markClassified(node);
      this.recorder?.push({ kind: "record", node, subrequest, deferred: this.deferredLevel > 0 });
      const step = this.pathStep(this.noteSubrequest(node, subrequest, module), subrequest, node, module);
      return concat(...steps.map((kind) => (kind === "loop" ? repeated(seqOf(step)) : seqOf(step))));
    });
  }

  /**
   * The `next` parameters of the middleware being walked (see chainOf), each with the rest of its
   * chain: a call of one is that rest, run there.
   */
  private readonly continuations = new Map<ts.Node, () => Seq>();

  /** The rest of a route's chain when `callee` is the `next` of the middleware being walked (see chainOf). */
  protected continuationCalled(callee: ts.Expression): Seq | undefined {
    if (this.continuations.size === 0 || !isIdentifier(callee)) return undefined;
    const declaration = declarationOf(callee);
    return declaration ? this.continuations.get(declaration)?.() : undefined;
  }

  /**
   * A handler's functions run one after another: middleware, then the route's handlers. A
   * middleware given the rest of the chain as `next` (see nextParameter) runs it where it calls
   * `next()`: work after `await next()` follows the rest, and a path that answers or throws without
   * calling it ends there (`if (!user) return c.json(401)`). Without one, the rest follows it.
   */
  private chainOf(functions: readonly FunctionRef[], depth: number): Seq {
    const from = (i: number): Seq => {
      const ref = functions[i];
      if (!ref) return EMPTY;
      const next = i < functions.length - 1 ? nextParameter(ref.fn) : undefined;
      const own = next && this.withContinuation(ref, next, depth, () => from(i + 1));
      return own ?? concat(total(this.functionOutcome(ref.fn, ref.module, depth)), from(i + 1));
    };
    return from(0);
  }

  /**
   * A middleware walked with the rest of its chain behind its `next` parameter (see chainOf): not
   * cached (the rest differs per route), nor kept; the call is recorded, so a replay of the
   * function that handed the request on walks it as a plain function, marking the same calls.
   * The rest is walked once, where `next()` is first met, or after the middleware when no path
   * calls it (its calls are still listed, as today; they are not counted on these paths).
   * Undefined when it cannot be walked now (the depth limit, the budget).
   */
  private withContinuation(ref: FunctionRef, next: ts.ParameterDeclaration, depth: number, rest: () => Seq): Seq | undefined {
    const { fn, module } = ref;
    const body = fn.body;
    // Not recursion when it is in progress: the same middleware registered twice in one chain runs twice.
    if (!body || depth > MAX_CALL_DEPTH || this.outOfBudget()) return undefined;
    this.recorder?.push({ kind: "call", fn, module, deferred: this.deferredLevel > 0 });
    const { recorder, deferredLevel, inJsx } = this;
    let continued: Seq | undefined;
    const continuation = (): Seq => {
      if (continued) return continued;
      // The rest is walked as the chain's own: its calls recorded where the chain's are.
      const inner = { recorder: this.recorder, deferredLevel: this.deferredLevel, inJsx: this.inJsx };
      this.recorder = recorder;
      this.deferredLevel = deferredLevel;
      this.inJsx = inJsx;
      try {
        return (continued = rest());
      } finally {
        this.recorder = inner.recorder;
        this.deferredLevel = inner.deferredLevel;
        this.inJsx = inner.inJsx;
      }
    };
    const outer = this.continuations.get(next);
    this.continuations.set(next, continuation);
    let seq: Seq;
    try {
      this.recorder = null;
      this.inJsx = false;
      seq = total(isBlock(body) ? this.statements(body.statements, module, depth) : { ret: this.expression(body, module, depth, true) });
    } finally {
      if (outer) this.continuations.set(next, outer);
      else this.continuations.delete(next);
      this.recorder = recorder;
      this.deferredLevel = deferredLevel;
      this.inJsx = inJsx;
    }
    if (!continued) continuation();
    return seq;
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
    if (this.inProgress.has(fn)) this.recursionCuts.add(fn);
    if (this.inProgress.has(fn) || depth > MAX_CALL_DEPTH || this.outOfBudget()) return CUT_SHORT;
    this.inProgress.add(fn);
    const { recorder, deferredLevel, walkCut, inJsx, recursionCuts } = this;
    this.recursionCuts = new Set();
    let partOfCycle = false;
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
      // Its outcome counts the cycle from where it was entered: from another entry, it differs.
      partOfCycle = this.recursionCuts.size > 0;
      this.recursionCuts.delete(fn);
      for (const cut of this.recursionCuts) recursionCuts.add(cut);
      this.recursionCuts = recursionCuts;
    }
    if (partOfCycle) return { outcome: result.outcome, cut: true };
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
  protected calledOutcome(target: FunctionRef, args: readonly ts.Expression[], depth: number, call: ts.Node, module: ModuleFacts): Seq {
    const seq = handedOn(this.calledSeq(target, args, depth, call, module), target.fn, call, args);
    // `if (schemaReady) return; ...; schemaReady = true`: the second call on a path does nothing.
    // `const getSession = cache(async () => ...)`: a later call with the same argument on the path is answered from the cache.
    if (this.ctx.values.memoisedFunction(target.fn, target.module)) {
      const key = memoKey(target, args, call);
      return key === undefined ? seq : once(seq, key);
    }
    const guard = onceGuard(target.fn);
    if (!guard) return seq;
    const key = `${target.module.path}#${target.fn.pos}`;
    if (guard === "module") return once(seq, key);
    // On an object's flag: the second call on the same object (`db`, `this`) does nothing.
    const object = onceObject(flagObject(guard, call, args), call);
    return object === undefined ? seq : once(seq, `${key}@${object}`);
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
    if (this.inProgress.has(fn)) this.recursionCuts.add(fn);
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

  /**
   * The functions a route registrar was given for a parameter, also when handed on through other
   * parameters (`generate(c, render)` inside the route). Functions given directly are the callers'
   * callbacks (see callbacksRunBy): they are counted where they are given, not here.
   */
  protected registrarFunctions(parameter: ts.ParameterDeclaration, depth: number): FunctionRef[] {
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

  /** Whether a function was walked only for another handler (a cron's, a queue's): never on a fetch path, nor in its waitUntil. */
  walkedOffFetchPath(fn: ts.Node): boolean {
    return this.summaries.has(fn) && !this.walked.get("critical")!.has(fn) && !this.walked.get("waitUntil")!.has(fn);
  }

  /** Whether a function was walked on a fetch path or in its waitUntil. */
  walkedOnFetchPath(fn: ts.Node): boolean {
    return this.walked.get("critical")!.has(fn) || this.walked.get("waitUntil")!.has(fn);
  }

  /**
   * The fetch paths of an app or handler the request is handed to: the worst route (its
   * middleware, then its handlers), or why the paths cannot be seen.
   */
  protected handOff(sites: readonly HandlerSite[], depth: number, call?: { args: readonly ts.Expression[]; module: ModuleFacts }): Seq {
    // A request handed again to an app whose routes are being walked (a middleware that rewrites the
    // URL and calls `app.fetch(new Request(url, c.req.raw))`): the rewritten request runs one of the
    // app's routes, walked once more; a hand-off met inside that walk is recursion, counted once.
    // Walked for every route it would be exponential in the routes.
    return this.reentries.handOff(
      sites,
      this.marking,
      () => this.cutWalk(),
      () => this.sitesOutcome(sites, depth, call),
    );
  }

  /** Hand-offs to apps whose routes hand the request back to them (see handOff and reentrantApps.ts). */
  private readonly reentries = new ReentrantHandOffs();

  private sitesOutcome(sites: readonly HandlerSite[], depth: number, call?: { args: readonly ts.Expression[]; module: ModuleFacts }): Seq {
    const seqs: Seq[] = [];
    for (const site of sites) {
      if (site.opaque) this.unknown(site.opaque);
      if (site.readsCallers) this.cutWalk();
      // A framework that runs the handler in the waitUntil of the context it is given (Carbon): off the response path.
      const context = site.contextArgument === undefined ? undefined : call?.args[site.contextArgument];
      if (context && givesWaitUntil(context, call!.module)) {
        const previous = this.marking;
        if (this.marking === "critical") this.marking = "waitUntil";
        this.deferredLevel++;
        try {
          for (const { fn, module } of site.functions) this.functionOutcome(fn, module, depth + 1);
        } finally {
          this.marking = previous;
          this.deferredLevel--;
        }
        seqs.push(EMPTY);
        continue;
      }
      // As for a handler of the Worker's own (analyseFetchHandler): its functions, the library calls
      // that stand for it (`toNextJsHandler(auth)`), then what renders concurrently.
      const seq = concat(EMPTY, ...this.siteParts(site, depth + 1));
      seqs.push(site.route === undefined ? seq : routed(seq, site.route));
    }
    return worst(...seqs);
  }
}
