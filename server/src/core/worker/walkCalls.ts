// The path walk: one call. A subrequest (classified by classify.ts), a project function (its
// outcome, with the callbacks it runs), promise combinators, waitUntil and other work off the
// path, dispatch through route tables and interfaces, batches. A pattern about what a call adds
// to the path goes here. Part of PathWalker (see walkCore.ts).
import ts from "typescript";
import { dirname, relativePath } from "../fs";
import { concat, countedWithFirst, EMPTY, parallel, repeated, routed, seqOf, total, worst, type Seq, startedTogether } from "./flow";
import { webSocketMessageListener } from "./webSocketMessages";
import { isRouteRegistration } from "./handlers/apps";
import { isPagesContextHandOff, nearestManifest } from "./handlers/frameworks";
import { MASTRA_RUN_METHODS } from "./handlers/mastra";
import { proxiedMethod, reflectApply } from "./proxyTraps";
import { unreadPackageAssumption } from "./unreadPackageCalls";
import { unwrapExpression, type ModuleFacts } from "./module";
import { isClientFactory, opaqueLibrary } from "./sdks";
import { arePlainValues } from "./plainValues";
import { isPackageSpecifier } from "./resolve";
import { RUNS_CALLBACKS } from "./classify";
import { isDeferringHook } from "./browserCode";
import { packageCallbackRun, taskList, type PackageCallbackRun } from "./callbackPackages";
import { type Alternative, type Dispatch } from "./dispatch";
import { computedMethodTargets } from "./computedMethods";
import {
  asyncOptionFunctions,
  printNode,
  truncate,
  rootImport,
  chainRoot,
  isWaitUntilCall,
  isEventListenerCall,
  isAsync,
  findAncestor,
  declarationOf,
  waitsInside,
  localFunction,
  isDataSpecifier,
  type FunctionRef,
} from "./syntax";
import { missingExport, missingExportReason } from "./missingExport";
import { packageMiddleware, unknownMiddlewareReason } from "./packageMiddleware";
import { describeWasm, isWasmSpecifier, wasmModuleOf, type WasmModule } from "./wasmHandoff";
import { startedInOrder } from "./walkCore";
import { retriedCall } from "./retries";
import { unresolvedChoice } from "./unresolvedChoice";
import { dataKeyedLookup } from "./dataKeyedMethods";
import { producesResponseBody } from "./streamProducers";
import { FunctionWalker } from "./walkFunctions";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  forEachChild,
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isCallExpression,
  isElementAccessExpression,
  isExpressionStatement,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isNewExpression,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadElement,
} = ts;

const PROMISE_COMBINATORS = new Set(["all", "allSettled", "race", "any"]);

/** Methods that hand a request to an app or handler: Hono's fetch and request, itty's and Elysia's handle. */
const HANDOFF_METHODS = new Set(["fetch", "handle", "request"]);

/**
 * Package functions that run the async function they are given once, in order (a streamed
 * response's writer): `stream(c, async (s) => ...)`, `streamText`, `streamSSE` of "hono/streaming"
 * start it right away and send what it writes as the body. Counted as it runs, with no note.
 */
const ONCE_RUNNERS: Readonly<Record<string, readonly string[]>> = {
  "hono/streaming": ["stream", "streamText", "streamSSE"],
};

function runsCallbackOnce(root: { module: string; name: string } | undefined): boolean {
  return !!root && (ONCE_RUNNERS[root.module]?.includes(root.name) ?? false);
}

/**
 * Library functions known to run the callback they are given, once, before they return: tracing
 * spans (OpenTelemetry, Sentry), scopes, AsyncLocalStorage.run.
 */
const CALLBACK_RUNNERS = new Set([
  "startActiveSpan",
  "startSpan",
  "startSpanManual",
  "withScope",
  "withIsolationScope",
  "run",
  // remult's `withRemult(async () => ...)` runs the callback once, with the request's remult.
  "withRemult",
]);

/** Methods that register a handler for an event on a webhooks object or an emitter: `on(event, fn)`, `onAny(fn)`. */
const EVENT_REGISTRATIONS = new Set(["on", "onAny"]);
/**
 * Methods that run the registered handlers for one event and settle when they have finished
 * (@octokit/webhooks' `receive` and `verifyAndReceive`; an async emitter's `emit`).
 */
const EVENT_RUNNERS = new Set(["receive", "verifyAndReceive", "emit"]);
/** Emitters whose `emit` calls the listeners without waiting for them: nothing they do is on the path. */
const SYNC_EMITTERS = new Set(["events", "node:events", "eventemitter3", "mitt", "tiny-emitter", "nanoevents"]);
/** What startedInOrder is given for a call of one argument or none: nothing to overlap with. */
const NONE_WAITING: readonly boolean[] = [];

/** `hooks` and `app.webhooks`: a receiver compared by its text and the declaration of its root name. */
function receiverKey(expression: ts.Expression): { text: string; root: ts.Node } | undefined {
  let current = unwrapExpression(expression);
  const parts: string[] = [];
  for (let i = 0; i < 8 && isPropertyAccessExpression(current); i++) {
    parts.unshift(current.name.text);
    current = unwrapExpression(current.expression);
  }
  if (!isIdentifier(current)) return undefined;
  const root = declarationOf(current);
  return root ? { text: [current.text, ...parts].join("."), root } : undefined;
}

/** The node itself, or the first ancestor that is not a parenthesis around it. */
function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current) && current.parent) current = current.parent;
  return current;
}

/** A callee rooted in a name the module never declares nor imports (`Response.json`, `JSON.stringify`): the platform's. */
function isUndeclaredGlobal(callee: ts.Expression): boolean {
  let root: ts.Expression = callee;
  while (isPropertyAccessExpression(root)) root = root.expression;
  return isIdentifier(root) && declarationOf(root) === undefined;
}

function isGlobalFetch(callee: ts.Expression, module: ModuleFacts): boolean {
  if (isIdentifier(callee)) return callee.text === "fetch" && !localFunction(callee) && !module.imports.has("fetch");
  return (
    isPropertyAccessExpression(callee) &&
    callee.name.text === "fetch" &&
    isIdentifier(callee.expression) &&
    ["globalThis", "self"].includes(callee.expression.text)
  );
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

/**
 * Whether a call runs once per item: inside a loop, or inside a function given to `map`, `flatMap`
 * or `forEach`, within the function it is written in.
 */
function inIteration(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
    if (isFunctionLike(current)) {
      const parent = current.parent;
      return (
        isCallExpression(parent) &&
        parent.arguments[0] === current &&
        isPropertyAccessExpression(parent.expression) &&
        ["map", "flatMap", "forEach"].includes(parent.expression.name.text)
      );
    }
  }
  return false;
}

export abstract class CallWalker extends FunctionWalker {
  /** The repository's own packages a folder's package.json depends on, by folder. */
  private readonly localPackages = new Map<string, ReadonlySet<string>>();
  /** What the fetch path dispatched through (route tables, implementations), said with the prediction. */
  readonly dispatchNotes = new Set<string>();

  /** Per function body: the variables whose every use is an element of a batch (see sentOnlyInBatch). */
  private readonly batchOnly = new Map<ts.Node, ReadonlySet<ts.Node>>();

  /**
   * Whether the module runs the handlers registered on `receiver` in an awaited call of a webhooks
   * object or an async emitter (`await hooks.receive(...)`), which is not the project's own code.
   */
  private eventRunnerOn(receiver: ts.Expression, module: ModuleFacts): boolean {
    const key = receiverKey(receiver);
    if (!key) return false;
    return module.calls.some((call) => {
      if (!isCallExpression(call)) return false;
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee) || !EVENT_RUNNERS.has(callee.name.text)) return false;
      const parent = skipParentheses(call.parent);
      if (!isAwaitExpression(parent) && !ts.isReturnStatement(parent)) return false;
      const other = receiverKey(callee.expression);
      return other?.text === key.text && other.root === key.root && this.runsEventHandlers(callee, module);
    });
  }

  /** `hooks.receive` / `emit` of a library, not a method the project defines (which the walk reads). */
  private runsEventHandlers(callee: ts.PropertyAccessExpression, module: ModuleFacts): boolean {
    if (this.ctx.values.calledFunction(callee, module)) return false;
    if (callee.name.text !== "emit") return true;
    // `emit` waits for the listeners only in an async emitter: one made by a package that is not a plain emitter.
    const root = chainRoot(callee.expression);
    const declaration = root && isIdentifier(root) ? declarationOf(root) : undefined;
    const init =
      declaration && ts.isVariableDeclaration(declaration) && declaration.initializer
        ? unwrapExpression(declaration.initializer)
        : undefined;
    const made = init && (isNewExpression(init) || isCallExpression(init)) ? rootImport(init.expression, module) : undefined;
    return made !== undefined && isPackageSpecifier(made.module) && !SYNC_EMITTERS.has(made.module);
  }

  /** The handlers registered in the module on the receiver of an awaited `receive(...)` call, when there are any. */
  private eventHandlersRunBy(node: ts.CallExpression, module: ModuleFacts): FunctionRef[] | undefined {
    const callee = unwrapExpression(node.expression);
    if (!isPropertyAccessExpression(callee) || !EVENT_RUNNERS.has(callee.name.text)) return undefined;
    const key = receiverKey(callee.expression);
    if (!key || !this.runsEventHandlers(callee, module)) return undefined;
    const handlers: FunctionRef[] = [];
    for (const call of module.calls) {
      if (!isCallExpression(call)) continue;
      const registration = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(registration) || !EVENT_REGISTRATIONS.has(registration.name.text)) continue;
      const other = receiverKey(registration.expression);
      if (other?.text !== key.text || other.root !== key.root) continue;
      const last = call.arguments[call.arguments.length - 1];
      const fn = last ? this.ctx.values.functionFrom(last, module) : undefined;
      if (fn) handlers.push(fn);
    }
    return handlers.length > 0 ? handlers : undefined;
  }

  /**
   * What a utility package's call runs (see packageCallbackRun): the callback once (a retry's usual
   * run is one attempt; a cache's first call), per item (one at a time: a loop, counted twice;
   * overlapping: once, as `Promise.all(items.map(fn))` is), or each of a list of tasks.
   */
  private packageCallbacks(run: PackageCallbackRun, node: ts.CallExpression, module: ModuleFacts, depth: number): Seq {
    const runOne = (expression: ts.Expression): Seq => {
      const fn = this.ctx.values.functionFrom(expression, module);
      // A promise, or a function the analyser cannot read: walked as a value that is waited for.
      return fn ? total(this.functionOutcome(fn.fn, fn.module, depth + 1)) : this.expression(expression, module, depth, true);
    };
    switch (run.kind) {
      case "promise":
        return this.expression(run.run, module, depth, true);
      case "once": {
        const seq = runOne(run.run);
        // `items.map((i) => limit(() => fetch(i)))` with `pLimit(1)`: one at a time, a loop.
        return run.sequential && inIteration(node) ? repeated(seq) : seq;
      }
      case "items": {
        const seq = runOne(run.run);
        return run.sequential ? repeated(seq) : seq;
      }
      case "tasks": {
        const tasks = taskList(run.run);
        if (!tasks) return this.expression(run.run, module, depth, false);
        const seqs = tasks.map((t) => runOne(isSpreadElement(t) ? t.expression : t));
        return run.sequential ? concat(...seqs) : parallel(seqs, run.package);
      }
    }
  }

  /**
   * What running the handlers costs: the worst of them, after the call itself when a known library
   * says it is a round trip (a GitHub App's `app.webhooks.receive`: the installation token the
   * `octokit` it hands the handlers fetches first). An unknown library's call is only the handlers.
   */
  private eventRun(
    node: ts.CallExpression,
    callee: ts.Expression,
    args: readonly ts.Expression[],
    handlers: readonly FunctionRef[],
    module: ModuleFacts,
    depth: number,
  ): Seq {
    this.markClassified(node);
    // `app.webhooks.on(event, async ({ octokit }) => ...)`: the client the App makes for the installation.
    const receiver = unwrapExpression((callee as ts.PropertyAccessExpression).expression);
    const app = isPropertyAccessExpression(receiver) && receiver.name.text === "webhooks" ? receiver.expression : undefined;
    if (app)
      for (const handler of handlers) {
        const parameter = handler.fn.parameters[0];
        if (parameter && ts.isObjectBindingPattern(parameter.name))
          this.ctx.values.noteFrameworkArgument(parameter, "octokit", [{ expression: app, module }]);
      }
    const run = worst(...handlers.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1))));
    const subrequest = this.ctx.classifier.classify(node, callee, args, module);
    if (typeof subrequest !== "object" || subrequest.unresolved || subrequest.unknownClient) return run;
    this.recorder?.push({ kind: "record", node, subrequest, deferred: this.deferredLevel > 0 });
    return concat(seqOf(this.pathStep(this.noteSubrequest(node, subrequest, module), subrequest, node, module)), run);
  }

  protected callOf(node: ts.CallExpression, callee: ts.Expression, module: ModuleFacts, depth: number): Seq {
    return this.call(node, module, depth, true, callee);
  }

  protected call(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    module: ModuleFacts,
    depth: number,
    awaited: boolean,
    /** The function called, when it is not the node's own callee (see callOf): called with no arguments. */
    calledValue?: ts.Expression,
  ): Seq {
    this.steps++;
    const args: readonly ts.Expression[] = calledValue
      ? []
      : isCallExpression(node)
        ? node.arguments
        : node.template.kind === SyntaxKind.TemplateExpression
          ? node.template.templateSpans.map((s) => s.expression)
          : [];
    const callee = calledValue ? unwrapExpression(calledValue) : unwrapExpression(isCallExpression(node) ? node.expression : node.tag);

    // `app.get("/auth", githubAuth({...}), h)` met where it is written (an app made per request):
    // the middleware runs for the route, where the route's walk counts it, not now.
    if (!awaited && this.ctx.classifier.routeMiddlewareCalls.has(node)) {
      this.markClassified(node);
      return EMPTY;
    }

    // waitUntil(...) in any form: its arguments are off the response path.
    if (isWaitUntilCall(callee, module)) {
      this.offThePath(args, module, depth);
      return EMPTY;
    }

    // discord-hono's `c.resDefer(callback)`: the callback runs in waitUntil after the answer.
    if (this.ctx.handlers.discordHono.isDeferCall(callee, args)) {
      this.offThePath(args, module, depth);
      return EMPTY;
    }

    // `await next()` in a middleware walked with the rest of its chain (see chainOf): that rest.
    const continued = this.continuationCalled(callee);
    if (continued) return continued;

    // `server.addEventListener("message", fn)` on a WebSocket (or any object): the listener runs when
    // the event fires, after this call and, for a WebSocket, after the 101 response. Walked like
    // waitUntil work: its calls are listed, off the response path.
    if (isEventListenerCall(callee, args)) {
      const receiver = this.expression((callee as ts.PropertyAccessExpression).expression, module, depth, false);
      // A WebSocket the fetch handler accepted (`server.accept()`, not hibernated): its "message"
      // listener runs in the same invocation, and the client waits for what it does. A path of the
      // route that accepted the socket, counted like it (see webSocketMessagePath).
      const heard = this.marking === "critical" ? webSocketMessageListener(callee, args) : undefined;
      if (heard) {
        const route = this.currentRoute();
        const seq = total(this.functionOutcome(heard, module, depth + 1));
        return concat(receiver, routed(seq, route !== undefined ? `${route} (WebSocket message)` : "WebSocket message"));
      }
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

    // A utility package that runs the callback it is given (`pRetry(() => api.get(id))`, `pMap(ids,
    // fn)`, a `pLimit(2)` limiter, `Effect.runPromise(Effect.tryPromise(fn))`): see callbackPackages.ts.
    const packageRun = isCallExpression(node) ? packageCallbackRun(node, module) : undefined;
    if (packageRun && isCallExpression(node)) {
      this.markClassified(node);
      const receiver =
        isPropertyAccessExpression(callee) && !isIdentifier(callee.expression)
          ? this.expression(callee.expression, module, depth, false)
          : EMPTY;
      const others = args.filter((a) => a !== packageRun.run).map((a) => this.expression(a, module, depth, false));
      return concat(receiver, ...others, this.packageCallbacks(packageRun, node, module, depth));
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
      const run = (f: { fn: ts.FunctionLikeDeclaration; module: ModuleFacts }): Seq =>
        total(this.functionOutcome(f.fn, f.module, depth + 1));
      // `.catch(fallback)` and the second callback of `.then(ok, failed)` run only when the receiver
      // failed: an alternative to it, as a `catch` block is to its `try`, not a round trip after it.
      if (callee.name.text === "catch") return worst(receiver, ...callbacks.map(run));
      const [fulfilled, rejected] = args.map((a) => this.ctx.values.functionFrom(a, module));
      if (callee.name.text === "then" && rejected) return worst(concat(receiver, fulfilled ? run(fulfilled) : EMPTY), run(rejected));
      return concat(receiver, worst(...callbacks.map(run)));
    }

    // A batch (`prisma.$transaction([...])`, `db.batch([...])`): the queries in it are sent with it.
    const batched = this.ctx.classifier.batchedElements(node, module);
    if (batched) for (const element of batched) this.markClassified(element);
    // `scheduleDbWrite(c, recordUsage(db, row))`: a promise handed to a helper of the project that
    // only gives it to waitUntil (deferringHelpers.ts) is off the response path, like waitUntil's own.
    const deferredAt =
      !batched && isCallExpression(node) && args.some((a) => isCallExpression(unwrapExpression(a)))
        ? this.deferring.deferredArguments(node, module)
        : undefined;
    const waited = deferredAt?.size ? args.filter((_, i) => !deferredAt.has(i)) : args;
    if (deferredAt?.size)
      this.offThePath(
        args.filter((_, i) => deferredAt.has(i)),
        module,
        depth,
      );
    // Arguments that wait for nothing are started one after another without waiting: they overlap.
    const argumentSeq = batched
      ? EMPTY
      : startedInOrder(
          waited.map((a) => this.expression(a, module, depth, false)),
          // One argument runs alone whether it waits or not: only two or more need to know.
          waited.length > 1 ? waited.map((a) => this.pauses(a)) : NONE_WAITING,
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
      // `routes[path][verb](...)`, `commands[name](...)` over a namespace import: each entry a path.
      const read = this.dispatch.readCallee(callee, module);
      if (read) return concat(before, this.dispatched(read, node, callee, args, module, depth));
      // `logger[level](...)` over an object or project class whose every method the key may name is known.
      const methods = computedMethodTargets(this.ctx.values, callee, module);
      if (methods) return concat(before, worst(...methods.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))));
    }
    // `ROUTES.get(path)(request)`, `new Map([...]).get(path)?.(request)`, and
    // `(routes[path] || notFound)(request)`: each entry and the fallback a path.
    if (
      (isCallExpression(callee) && isPropertyAccessExpression(callee.expression) && callee.expression.name.text === "get") ||
      (ts.isBinaryExpression(callee) &&
        (callee.operatorToken.kind === SyntaxKind.BarBarToken || callee.operatorToken.kind === SyntaxKind.QuestionQuestionToken))
    ) {
      const read = this.dispatch.readCallee(callee, module);
      if (read) return concat(before, this.dispatched(read, node, callee, args, module, depth));
    }

    // `hooks.on("push", async (event) => ...)` with `await hooks.receive(...)` on the same object in
    // the module: the handler runs inside that call (counted there), not now.
    if (isCallExpression(node) && isPropertyAccessExpression(callee) && EVENT_REGISTRATIONS.has(callee.name.text)) {
      const last = args[args.length - 1];
      if (last && this.ctx.values.functionFrom(last, module) && this.eventRunnerOn(callee.expression, module)) {
        this.markClassified(node);
        return before;
      }
    }
    // `await hooks.receive({ id, name, payload })`: the handlers registered for the event run inside
    // it, together; the longest of them counts.
    if (awaited && isCallExpression(node)) {
      const handlers = this.eventHandlersRunBy(node, module);
      if (handlers) return concat(before, this.eventRun(node, callee, args, handlers, module, depth));
    }

    // `fetch(request);` as a statement: nothing waits for its promise (fire-and-forget), so neither
    // does the response. Not classified here: the final sweep lists it, off the response path.
    if (!awaited && isExpressionStatement(node.parent) && isGlobalFetch(callee, module)) return before;
    // `bot.handleUpdate(update)`: the Telegram bot's handlers run now (a call on a bot client otherwise).
    if (isCallExpression(node) && isPropertyAccessExpression(callee) && callee.name.text === "handleUpdate") {
      const sites = this.ctx.handlers.telegram.callSitesOf(node, module);
      if (sites) return concat(before, this.handOff(sites, depth));
    }
    // `handler.handle(request, { prefix, context })` on oRPC's RPCHandler or OpenAPIHandler: a procedure of its router.
    if (isCallExpression(node) && isPropertyAccessExpression(callee) && callee.name.text === "handle") {
      const sites = this.ctx.handlers.orpc.callSitesOf(node, module);
      if (sites) {
        this.markClassified(node);
        return concat(before, this.handOff(sites, depth));
      }
    }
    // `agent.generate(prompt)` on a Mastra agent: its model calls and tools (a call on an unknown library's client otherwise).
    if (isCallExpression(node) && isPropertyAccessExpression(callee) && MASTRA_RUN_METHODS.has(callee.name.text)) {
      const sites = this.ctx.handlers.mastra.callSitesOf(node, module);
      if (sites) {
        this.markClassified(node);
        return concat(before, this.handOff(sites, depth));
      }
    }
    // `mcpHandler(request)` with mcp-lite's `mcpHandler = transport.bind(mcp)`: the server's tools run
    // (a call on an object of a package the table does not know otherwise; the package also has a client).
    if (isCallExpression(node) && args[0] !== undefined && this.ctx.values.isIncomingRequest(args[0])) {
      const sites = this.ctx.handlers.mcp.callSitesOf(node, module);
      if (sites) {
        this.markClassified(node);
        return concat(before, this.handOff(sites, depth, { args, module }));
      }
    }
    // `$fetch("/api/posts")` in a Nuxt or Nitro app: Nitro runs its own route in the same process.
    if (isCallExpression(node) && isIdentifier(callee) && (callee.text === "$fetch" || callee.text === "useFetch")) {
      const sites = this.ctx.handlers.nitroLocalFetch.callSitesOf(node, module);
      if (sites) {
        this.markClassified(node);
        return concat(before, this.handOff(sites, depth));
      }
    }
    this.markClassified(node);
    const subrequest = this.ctx.classifier.classify(node, callee, args, module);
    // What the library runs of the project's after its own round trips (remix-auth's verify function).
    const after = (): Seq[] => this.ctx.classifier.callbacksAfter(node).map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)));
    if (subrequest === "skip") return concat(before, ...after());
    // A transaction's callback runs now, its calls on the transaction client counted one by one.
    const runCallbacks = (): Seq[] =>
      args
        .map((a) => this.ctx.values.functionFrom(a, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined)
        .map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)));
    if (subrequest === RUNS_CALLBACKS) return concat(before, ...runCallbacks());
    if (subrequest) {
      if (subrequest.servesAssets) {
        if (this.marking === "critical") this.servesAssets = true;
        this.recorder?.push({ kind: "assets", deferred: this.deferredLevel > 0 });
      }
      this.recorder?.push({ kind: "record", node, subrequest, deferred: this.deferredLevel > 0 });
      if (subrequest.unresolved && (!this.assumes(subrequest) || subrequest.handsRequest))
        this.unknown(`${subrequest.note} (${this.locate(module, node)})`);
      const made = this.pathStep(this.noteSubrequest(node, subrequest, module), subrequest, node, module);
      // `if (res.ok) return res; return fetch(url, other)`: a retry after the same request failed is
      // not a round trip after it (see retries.ts); it is listed, with why it does not count.
      const retry = isCallExpression(node) ? retriedCall(node) : undefined;
      const step = retry
        ? {
            ...made,
            backend: 0,
            possible: 0,
            hosts: new Map<string, number>(),
            note: `a retry of the request at ${this.locate(module, retry)} after it failed: counted with it`,
          }
        : made;
      const steps = subrequest.loop
        ? [repeated(seqOf(step))]
        : Array.from({ length: Math.max(1, Math.min(subrequest.roundTrips ?? 1, 8)) }, () => seqOf(step));
      // `client.authorize(handle)` of @atproto/oauth-client: its round trips and the app's store
      // methods, one after another in the order the library awaits them.
      const storeSteps = this.ctx.classifier.storeStepsOf(node);
      if (storeSteps)
        return concat(
          before,
          ...storeSteps.flatMap((part) =>
            typeof part === "number"
              ? Array.from({ length: part }, () => seqOf(step))
              : [total(this.functionOutcome(part.fn, part.module, depth + 1))],
          ),
        );
      // An interactive transaction: BEGIN, then the callback's queries, then COMMIT, one after another.
      if (subrequest.aroundCallbacks) return concat(before, steps[0]!, ...runCallbacks(), ...steps.slice(1), ...after());
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
      return concat(before, ...steps, ...after());
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
      if (sites) return concat(before, this.handOff(sites, depth, { args, module }));
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
        const wasm = missing ? undefined : wasmModuleOf(this.ctx, module);
        this.unknown(
          missing
            ? missingExportReason(missing, truncate(printNode(callee)), this.locate(module, node))
            : wasm
              ? wasmHandoffReason(callee, wasm, this.locate(module, node))
              : `${truncate(printNode(callee))}(...) hands the request to something the analyser cannot resolve (${this.locate(module, node)})`,
        );
        return before;
      }
    }

    // A framework running the project's code for this call (a tRPC procedure, a TanStack server function).
    const framework = isCallExpression(node) ? this.ctx.handlers.callSitesOf(node, module) : undefined;
    if (framework) return concat(before, this.handOff(framework, depth, { args, module }));

    // `githubAuth({ ... })(c, next)`: a library's OAuth middleware made and run at once, its round trips now.
    if (isCallExpression(callee) && this.ctx.classifier.isRouteMiddlewareCall(callee, module))
      return concat(before, this.expression(callee, module, depth, true));

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
    // Not awaited but writing the body of the streamed response the request answers with: the
    // client reads until it ends (see streamProducers.ts).
    if (
      (isArrowFunction(callee) || isFunctionExpression(callee)) &&
      (awaited || isRespondWithArgument(node) || (isAsync(callee) && producesResponseBody(callee)))
    )
      return concat(before, total(this.functionOutcome(callee, module, depth + 1)));

    // `transport.onmessage(message)` on a transport given to an MCP server's `connect`: the server's
    // tools run, not the placeholder the object was written with.
    if (isCallExpression(node) && isPropertyAccessExpression(callee) && callee.name.text === "onmessage") {
      const sites = this.ctx.handlers.mcp.messageSitesOf(node, module);
      if (sites) {
        this.markClassified(node);
        return concat(before, this.handOff(sites, depth));
      }
    }
    // A call into code the analyser can read: its own round trips, then those of the callbacks it runs.
    const target = this.ctx.values.calledFunction(callee, module);
    if (target) {
      // What it is given is what its parameters hold: a client, a URL (`getJson(url)`).
      this.ctx.values.noteArguments(target, args, module);
      let callbacks = this.ctx.values.callbacksRunBy(target, args, module);
      // `routes.add("/x", handler)` on a project router keeps the handler for a request: it runs nothing now.
      if (callbacks.length > 0 && this.ctx.handlers.apps.isRouteRegistrationOn(callee, module)) callbacks = [];
      // `if (!res.ok) res = await fetchWithTimeout(fallbackUrl)`, `if (!result.response.ok) await
      // attempt(c, retryInput)`: a helper called again only after its first call's response failed
      // counts with that first call (see retriedCall).
      const retry = isCallExpression(node) ? retriedCall(node) : undefined;
      const outcome = this.calledOutcome(target, args, depth + 1, node, module);
      return concat(
        before,
        retry
          ? countedWithFirst(outcome, `a retry of the call at ${this.locate(module, retry)} after it failed: counted with it`)
          : outcome,
        // `asyncForEach(items, async (x) => ...)` whose loop awaits each call: a loop's round trips.
        ...callbacks.map((f) => {
          const seq = total(this.functionOutcome(f.fn, f.module, depth + 1));
          return f.inLoop ? repeated(seq) : seq;
        }),
        // `withLogging(router.fetch)`: the app's fetch it is given and calls.
        ...this.ctx.handlers.appsRunBy(target, args, module).map((sites) => this.handOff(sites, depth)),
      );
    }

    // `Reflect.apply(target.request, target, [method, ...args])`: a call of the function it is given.
    const applied = isCallExpression(node) ? reflectApply(node, module) : undefined;
    if (applied) {
      const fn = this.ctx.values.withArguments(() => this.ctx.values.calledFunction(unwrapExpression(applied.fn), module));
      if (fn) {
        this.ctx.values.noteArguments(fn, applied.args, module);
        return concat(before, this.calledOutcome(fn, applied.args, depth + 1, node, module));
      }
    }

    // `api.sendMessage(params)` on a `new Proxy(client, { get })` of the project: the target's method,
    // else what its `get` trap returns (see proxyTraps.ts); the worst of them.
    const proxied = isPropertyAccessExpression(callee) ? proxiedMethod(this.ctx, callee, module) : undefined;
    if (proxied) {
      this.cutWalk();
      if (proxied.trap) this.ctx.values.noteArguments(proxied.trap, [proxied.target.expression], proxied.target.module);
      for (const fn of proxied.functions) this.ctx.values.noteArguments(fn, args, module);
      return concat(before, worst(...proxied.functions.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))));
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

    // `inner(request, ...)` where `inner` holds a handler's `fetch` (`makeFetch(handler.fetch)`, a
    // framework's server entry imported statically): a hand-off to that handler's paths.
    if (isIdentifier(callee) && args[0] && this.ctx.values.isRequestFromIncoming(args[0], module)) {
      const held = this.ctx.handlers.heldHandlerSites(callee, module);
      if (held) return concat(before, this.handOff(held, depth, { args, module }));
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
        if (ts.isObjectLiteralExpression(options)) asyncCallbacks.push(...asyncOptionFunctions(options));
      }
    // A component's `useEffect(fn)`, `useCallback(fn)`: nothing runs while rendering (see browserCode.ts).
    if (asyncCallbacks.length > 0 && isCallExpression(node) && isDeferringHook(node, module)) return before;
    // Registering a route on an app runs nothing now (`app.get("/", async (c) => ...)` in a factory).
    if (
      asyncCallbacks.length > 0 &&
      !(
        isPropertyAccessExpression(callee) &&
        ((isCallExpression(node) &&
          (isRouteRegistration(node) ||
            this.ctx.handlers.mcp.isRegistration(node, module) ||
            this.ctx.handlers.slackEdge.isRegistration(node, module))) ||
          this.ctx.handlers.apps.isApp(callee.expression, module))
      )
    ) {
      const seqs = asyncCallbacks.map((fn) => total(this.functionOutcome(fn, module, depth + 1)));
      const method = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : "";
      const root = rootImport(callee, module);
      if (awaited && !CALLBACK_RUNNERS.has(method) && !runsCallbackOnce(root) && seqs.some((s) => s.possible > 0)) {
        this.unknown(
          `${truncate(printNode(callee))}(...)${root ? ` from "${root.module}"` : ""} is given an async function: its round trips are counted as if it ran once, in order (${this.locate(module, node)})`,
        );
      }
      return concat(before, ...seqs);
    }

    // `const auth = bearerAuth({...}); return auth(c, next)`: run as `app.use(bearerAuth({...}))` is.
    // `(c, next) => guard({ key })(c, next)` too: what the package's middleware costs, see packageMiddleware.ts.
    const delegated =
      isIdentifier(callee) || isCallExpression(callee) ? this.ctx.handlers.apps.delegatedMiddleware(callee, args, module) : undefined;
    if (delegated) {
      const callbacks = delegated.functions.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)));
      const root = rootImport(delegated.call.expression, module);
      const cost = root ? packageMiddleware(root.module) : { kind: "local" as const };
      // Made where it is run (`guard(opts)(c, next)`): the factory's call is walked now, as the route
      // runs it. Made in a name before (`const mw = guard(opts)`): walked where it was written already.
      if (cost.kind === "library" && isCallExpression(callee))
        return concat(before, this.expression(delegated.call, module, depth, true), ...callbacks);
      if (cost.kind === "unknown")
        this.unknown(
          unknownMiddlewareReason(
            `${truncate(printNode(callee))}(${args.map((a) => printNode(a)).join(", ")})`,
            truncate(printNode(delegated.call.expression)),
            cost.package,
            this.locate(module, delegated.call),
          ),
        );
      return concat(before, ...callbacks);
    }
    // `const fetcher = deps.fetcher ?? pick(); await fetcher(x)`: a choice no part of which could be read.
    const choice = awaited ? unresolvedChoice(callee, module) : undefined;
    if (choice) {
      this.unknown(
        `${truncate(printNode(callee))}(...) calls what \`${choice}\` gives, which the analyser cannot resolve to a function: its round trips cannot be seen (${this.locate(module, node)})`,
      );
      return before;
    }
    // `await this.methods[def.functionName].function(key)`: a method named by data, whichever it is.
    // Said once per lookup (where it is written), however many calls use what it gives.
    const keyed = awaited ? dataKeyedLookup(callee, module) : undefined;
    if (keyed) {
      this.unknown(
        `a function looked up by a key held in data (\`${keyed.text}\`) is called and awaited; the analyser cannot tell which function runs, so its round trips cannot be seen (${this.locate(module, keyed.lookup)})`,
      );
      return before;
    }
    const made = isIdentifier(callee) ? this.ctx.values.madeByPackage(callee, module) : undefined;
    // A handler a framework generates (`createRequestHandler(build)`): the app's own routes, when
    // known. Given the incoming request or one built from it (`handler(withOrigin(request), env)`),
    // or, made by `createPagesFunctionHandler`, the Pages Function's context (`handler(context)`).
    if (made && args[0] && (this.ctx.values.isRequestFromIncoming(args[0], module) || isPagesContextHandOff(callee, args[0], module))) {
      const sites = this.ctx.handlers.fetchSitesOf(callee, module);
      if (sites) return concat(before, this.handOff(sites, depth));
    }
    // `this.handler(request, ...)`: a handler the class keeps in a field (`this.handler = createRequestHandler(build)`).
    if (
      isPropertyAccessExpression(callee) &&
      callee.expression.kind === SyntaxKind.ThisKeyword &&
      args[0] &&
      this.ctx.values.isRequestFromIncoming(args[0], module)
    ) {
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
      else if (root && awaited && (this.isUnreadLocalPackage(root.module, module) || this.missingAlias(root.module, module)))
        this.unreadPackageCall(callee, root.module, args, node, module);
      // Code of the project's own that the resolver could not find (an alias, a missing file): what
      // it does is unknown, never nothing.
      // `binding.handleRequest(req)` in a Go shim, `wasm.fetch(addHeapObject(req))` in Rust's
      // wasm-bindgen glue: a function the WebAssembly module provides, which no JavaScript
      // declares, is given the request.
      else if (
        (!root || isWasmSpecifier(root.module) || (!isPackageSpecifier(root.module) && this.ctx.loader.moduleFor(root.module, module))) &&
        !made &&
        this.handsOnRequest(args, module)
      ) {
        const wasm = wasmModuleOf(this.ctx, module);
        if (wasm) this.unknown(wasmHandoffReason(callee, wasm, this.locate(module, node)));
      } else if (
        root &&
        awaited &&
        !isPackageSpecifier(root.module) &&
        // `fables.map(...)` over `import fables from "./fables.json"`: data, whose methods send nothing.
        !(isDataSpecifier(root.module) && !isWasmSpecifier(root.module)) &&
        !this.ctx.loader.moduleFor(root.module, module)
      )
        this.unknown(
          `${truncate(printNode(callee))}(...) comes from "${root.module}", which the analyser could not find in the project (${this.locate(module, node)})`,
        );
      // `await svc.register(db, data)` on a value the analyser cannot resolve, given a client or a
      // back-end binding: the queries it makes with them are unseen, never nothing.
      else if (awaited && (!root || !isPackageSpecifier(root.module))) {
        const given = this.backendHandedTo(args, module, isUndeclaredGlobal(callee));
        if (given)
          this.unknown(
            `${truncate(printNode(callee))}(...) is given ${given}, but the analyser cannot tell which function it calls: the round trips it makes with it cannot be seen (${this.locate(module, node)})`,
          );
      }
    }
    return before;
  }

  /** A client of a library that makes round trips, or a back end's binding, among a call's arguments: said in words. */
  private backendHandedTo(args: readonly ts.Expression[], module: ModuleFacts, calleeIsGlobal: boolean): string | undefined {
    for (const arg of args) {
      const value = unwrapExpression(arg);
      const binding = this.ctx.values.bindingOf(value);
      if (binding && HANDED_BINDINGS.has(binding.kind)) return `the ${binding.name} binding`;
      if (isIdentifier(value) && this.ctx.classifier.isLibraryClient(value, module))
        return `${value.text}, a client of a library that makes round trips`;
      // `op.handler({ db: conn.db, ... })`, `op.handler(c)` with `const c = { db, sql, ... }`: a
      // context object that carries a client to whatever runs. A platform global
      // (`Response.json({ inserted })`) runs none of the project's code: what it is given is data.
      if (calleeIsGlobal) continue;
      const literals = isObjectLiteralExpression(value)
        ? [{ expression: value, module }]
        : isIdentifier(value)
          ? this.ctx.values.valuesOf(value, module).filter((v) => isObjectLiteralExpression(unwrapExpression(v.expression)))
          : [];
      for (const literal of literals) {
        const carried = this.clientCarriedBy(unwrapExpression(literal.expression) as ts.ObjectLiteralExpression, literal.module);
        if (carried) return `an object carrying ${carried}, a client of a library that makes round trips`;
      }
    }
    return undefined;
  }

  /** The name of a property of an object literal that holds a library's client (`db` of `{ db: conn.db }`). */
  private clientCarriedBy(literal: ts.ObjectLiteralExpression, module: ModuleFacts): string | undefined {
    for (const property of literal.properties) {
      const value = isPropertyAssignment(property)
        ? property.initializer
        : isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (!value || !property.name || !isIdentifier(property.name)) continue;
      const held = unwrapExpression(value);
      if (this.ctx.values.bindingOf(held) || !(isIdentifier(held) || isPropertyAccessExpression(held))) continue;
      if (this.ctx.classifier.isLibraryClientValue(held, module)) return `\`${property.name.text}\``;
    }
    return undefined;
  }

  /**
   * Whether a call is given the incoming request: itself, one built from it, or wrapped by a call
   * (`addHeapObject(req)`, how wasm-bindgen's glue hands a JavaScript value to WebAssembly).
   */
  private handsOnRequest(args: readonly ts.Expression[], module: ModuleFacts): boolean {
    return args.some((a) => {
      if (this.ctx.values.isRequestFromIncoming(a, module)) return true;
      const value = unwrapExpression(a);
      return isCallExpression(value) && value.arguments.some((inner) => this.ctx.values.isIncomingRequest(inner));
    });
  }

  /**
   * What a call may run when its callee is read from a collection (a route table walked in a loop,
   * a router's `routes`) or called on an interface or a base class whose subclasses override it
   * (see dispatch.ts); undefined for a call resolved otherwise.
   */
  protected dispatchOf(callee: ts.Expression, module: ModuleFacts): Dispatch | undefined {
    if (isPropertyAccessExpression(callee)) {
      // (`p.run()` with `p` given instances of different classes by branch: each class's method.)
      const branches = this.dispatch.branchInstances(callee, module);
      if (branches) return branches;
      // (`backend.add(ev)` on a `let backend: Backend` reassigned elsewhere: each implementation it may hold, see reassignedTypedHolder.)
      if (
        callee.expression.kind !== SyntaxKind.ThisKeyword &&
        !this.dispatch.reassignedTypedHolder(callee.expression, module) &&
        this.ctx.values.calledFunction(callee, module)
      )
        return undefined;
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
    // (`(routes[path] || notFound)(...)` keeps its parentheses: without them it reads as a call of the fallback.)
    const call = truncate(ts.isBinaryExpression(callee) ? `(${printNode(callee)})` : printNode(callee));
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
            : dispatch.how === "literals"
              ? `${call}(...) (${where}) runs the ${isPropertyAccessExpression(callee) ? callee.name.text : "member"} of one of the ${n} object literals declared as ${dispatch.typeName ?? "its interface"}, each a path${worstPart}`
              : dispatch.how === "classes"
                ? `${call}(...) (${where}) runs the method of one of the ${n} classes a list holds (${labelList(dispatch.alternatives)}), each a path${worstPart}`
                : `${call}(...) (${where}) runs a method the analyser cannot tie to one class: each of the ${n} project classes that implement it (${labelList(dispatch.alternatives)}) is a path${worstPart}`,
      );
    }
    return result;
  }

  /**
   * A variable holding a call not awaited (`const q = db.select().from(t)`) whose every use is as an
   * element of the list a client's batch call sends (`db.batch([q, other])`).
   */
  protected sentOnlyInBatch(declaration: ts.VariableDeclaration, module: ModuleFacts): boolean {
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

  /** A specifier the config's `alias` maps to a file or folder that is not there (outside the checkout). */
  private missingAlias(specifier: string, module: ModuleFacts): boolean {
    return this.ctx.loader.aliasOf(specifier) !== undefined && !this.ctx.loader.moduleFor(specifier, module);
  }

  /**
   * A call into a package of the repository the analyser could not read: an unknown, unless what it
   * is given bounds what it can reach (see unreadPackageCalls.ts), which the reasons then say.
   */
  private unreadPackageCall(
    callee: ts.Expression,
    specifier: string,
    args: readonly ts.Expression[],
    node: ts.Node,
    module: ModuleFacts,
  ): void {
    const alias = this.ctx.loader.aliasOf(specifier);
    const where = alias
      ? `"${specifier}", which the config's alias maps to ${relativePath(this.ctx.input.projectRoot, alias.target + specifier.slice(alias.key.length))}, not in the checkout`
      : `"${specifier}", a package of this repository whose source the analyser could not read (not installed, or outside the folders it was asked to read)`;
    const assumed = unreadPackageAssumption(this.ctx, node, args, module);
    if (!assumed) {
      this.unknown(`${truncate(printNode(callee))}(...) calls ${where} (${this.locate(module, node)})`);
      return;
    }
    if (this.marking !== "critical") return;
    this.dispatchNotes.add(
      assumed.kind === "local"
        ? `calls into ${where}, given only plain data (no request, binding, client or URL) and not awaited, are taken to do their work in the Worker`
        : `${truncate(printNode(callee))}(...) calls ${where}; given the ${assumed.binding} service binding and plain data, it is taken to reach only that binding, another Worker (${this.locate(module, node)})`,
    );
  }

  /**
   * Work off the response path: waitUntil's arguments, event listeners (see isEventListenerCall),
   * a promise only handed to waitUntil (see givenOnlyToWaitUntil).
   */
  protected offThePath(args: readonly ts.Expression[], module: ModuleFacts, depth: number): void {
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
}

/** Bindings of back ends whose calls are round trips: handed to code that cannot be read, they may be used there. */
const HANDED_BINDINGS: ReadonlySet<string> = new Set(["d1", "hyperdrive", "durableObjects", "services"]);

/** Why a request handed to code compiled to WebAssembly cannot be followed. */
function wasmHandoffReason(callee: ts.Expression, wasm: WasmModule, where: string): string {
  return `${truncate(printNode(callee))}(...) hands the request to code compiled to WebAssembly, ${describeWasm(wasm)}, which the analyser cannot read: its round trips cannot be seen (${where})`;
}

/** The labels of a dispatch's alternatives, the first six. */
function labelList(alternatives: readonly Alternative[]): string {
  const labels = alternatives.map((a) => a.label).filter(Boolean);
  return labels.slice(0, 6).join(", ") + (alternatives.length > 6 ? ", ..." : "");
}
