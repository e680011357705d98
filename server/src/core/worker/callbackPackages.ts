// Utility packages whose functions run the callback (or await the promise) they are given before
// the promise they return settles: retries, timeouts, concurrency limiters, Effect's runners. What
// a call of one of them runs, and how often it counts, for the path walk (see walkCalls.ts).
// A package that returns the function it is given, wrapped (React's `cache`, lodash's `memoize`),
// is a wrapper instead: see PACKAGE_FUNCTION_WRAPPERS in valuesNames.ts.
import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf } from "./syntax";

const {
  isArrayLiteralExpression,
  isCallExpression,
  isIdentifier,
  isNewExpression,
  isNumericLiteral,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isVariableDeclaration,
} = ts;

/**
 * How a package function runs what it is given:
 * - `once`: the callback at `callback` runs once. A retry (p-retry, async-retry, exponential-backoff,
 *   ts-retry-promise's `retry`) runs it again only after a failure: its usual run is one attempt,
 *   so it counts once, as a loop whose usual run is one iteration would.
 * - `promise`: the promise at `callback` is awaited (p-timeout's `pTimeout(promise, options)`).
 * - `items`: the callback runs once per item of a list of unknown length, at most `limit` at a
 *   time (the argument at `limit`, a number or an options object's `concurrency`; `sequential`:
 *   one at a time). One at a time is a loop (counts twice); more overlap, counted as
 *   `Promise.all(items.map(fn))` is (once).
 * - `tasks`: an array of functions at `callback`, run like `items` (p-all, async's `parallel`/`series`).
 * - `limiter`: makes a function (`pLimit(n)`) or an object (`new PQueue(options)`) that runs the
 *   callbacks it is given, at most `limit` at a time (see limiterCall).
 */
type PackageRun =
  | { readonly kind: "once" | "promise"; readonly callback: number }
  | { readonly kind: "items" | "tasks"; readonly callback: number; readonly limit?: number; readonly sequential?: boolean }
  | { readonly kind: "limiter"; readonly limit: number };

const ONCE: PackageRun = { kind: "once", callback: 0 };
/** async's collection functions (`async.mapLimit(items, 2, fn)`, `import mapLimit from "async/mapLimit"`). */
const ASYNC_COLLECTIONS: Readonly<Record<string, PackageRun>> = {
  map: { kind: "items", callback: 1 },
  each: { kind: "items", callback: 1 },
  forEach: { kind: "items", callback: 1 },
  mapLimit: { kind: "items", callback: 2, limit: 1 },
  eachLimit: { kind: "items", callback: 2, limit: 1 },
  forEachLimit: { kind: "items", callback: 2, limit: 1 },
  mapSeries: { kind: "items", callback: 1, sequential: true },
  eachSeries: { kind: "items", callback: 1, sequential: true },
  forEachSeries: { kind: "items", callback: 1, sequential: true },
  parallel: { kind: "tasks", callback: 0 },
  parallelLimit: { kind: "tasks", callback: 0, limit: 1 },
  series: { kind: "tasks", callback: 0, sequential: true },
  retry: { kind: "once", callback: 1 },
};

/** By package, then exported name (`default` for a default export). */
const PACKAGE_RUNS: Readonly<Record<string, Readonly<Record<string, PackageRun>>>> = {
  "p-retry": { default: ONCE, pRetry: ONCE },
  "async-retry": { default: ONCE },
  "exponential-backoff": { backOff: ONCE },
  "ts-retry-promise": { retry: ONCE },
  "p-timeout": { default: { kind: "promise", callback: 0 } },
  "p-map": { default: { kind: "items", callback: 1, limit: 2 } },
  "p-all": { default: { kind: "tasks", callback: 0, limit: 1 } },
  "p-limit": { default: { kind: "limiter", limit: 0 }, pLimit: { kind: "limiter", limit: 0 } },
  "p-queue": { default: { kind: "limiter", limit: 0 } },
  async: ASYNC_COLLECTIONS,
  ...Object.fromEntries(Object.entries(ASYNC_COLLECTIONS).map(([name, run]) => [`async/${name}`, { default: run }])),
};

/** Whether a module imports one of the packages above, or Effect (asked once per module). */
const runnerImports = new WeakMap<ModuleFacts, boolean>();
function importsRunner(module: ModuleFacts): boolean {
  let known = runnerImports.get(module);
  if (known === undefined) {
    known = [...module.imports.values()].some(
      (i) => own(PACKAGE_RUNS, i.module) !== undefined || i.module === "effect" || i.module === "effect/Effect",
    );
    runnerImports.set(module, known);
  }
  return known;
}

/** What a package function call runs (see PackageRun), resolved. */
export interface PackageCallbackRun {
  readonly kind: "once" | "promise" | "items" | "tasks";
  /** The callback, the promise or the array of tasks. */
  readonly run: ts.Expression;
  /**
   * One at a time: items or tasks run in a loop; a `once` callback given to a limiter of one
   * (`pLimit(1)`) waits for the ones given before it, when it is given in a loop or a map.
   */
  readonly sequential?: boolean;
  readonly package: string;
}

/** The package and exported name a callee reads: `pRetry` (default import), `async.mapLimit`, `pMap`. */
function packageMember(callee: ts.Expression, module: ModuleFacts): { module: string; name: string } | undefined {
  const value = unwrapExpression(callee);
  if (isIdentifier(value)) {
    const imported = module.imports.get(value.text);
    return imported ? { module: imported.module, name: imported.name === "*" ? "default" : imported.name } : undefined;
  }
  if (isPropertyAccessExpression(value) && isIdentifier(value.expression)) {
    const imported = module.imports.get(value.expression.text);
    if (imported && (imported.name === "default" || imported.name === "*")) return { module: imported.module, name: value.name.text };
  }
  return undefined;
}

/** An own entry of a table (a package named `constructor` finds nothing). */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function runOf(member: { module: string; name: string } | undefined): PackageRun | undefined {
  return member ? own(own(PACKAGE_RUNS, member.module), member.name) : undefined;
}

/** A literal number, or a `const` holding one: `pLimit(1)`, `const CONCURRENCY = 1`. */
function numberOf(expression: ts.Expression | undefined): number | undefined {
  const value = expression ? unwrapExpression(expression) : undefined;
  if (!value) return undefined;
  if (isNumericLiteral(value)) return Number(value.text);
  if (isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (
      declaration &&
      isVariableDeclaration(declaration) &&
      declaration.initializer &&
      ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const
    )
      return numberOf(declaration.initializer);
  }
  return undefined;
}

/**
 * The concurrency an argument gives: a number, or an options object's `concurrency`. Unknown (not
 * given, or not a constant) is taken as more than one: the libraries' defaults (p-map, p-all,
 * p-queue: unlimited) let items overlap.
 */
function concurrencyOf(argument: ts.Expression | undefined): number | undefined {
  const value = argument ? unwrapExpression(argument) : undefined;
  if (!value) return undefined;
  if (isObjectLiteralExpression(value)) {
    const option = value.properties.find(
      (p): p is ts.PropertyAssignment => isPropertyAssignment(p) && isIdentifier(p.name) && p.name.text === "concurrency",
    );
    return option ? numberOf(option.initializer) : undefined;
  }
  return numberOf(value);
}

/**
 * What a call of a package function that runs its callback runs (`pRetry(() => api.get(id))`,
 * `pMap(ids, fn, { concurrency: 1 })`, `limit(() => fetch(u))` of a `pLimit(2)`,
 * `queue.add(() => ...)` of a `new PQueue()`), or undefined.
 */
export function packageCallbackRun(call: ts.CallExpression, module: ModuleFacts): PackageCallbackRun | undefined {
  const callee = unwrapExpression(call.expression);
  const asyncData = nuxtAsyncDataHandler(call, callee, module);
  if (asyncData) return { kind: "once", run: asyncData, package: "nuxt" };
  // Asked of every call the walk meets: a module that imports none of these packages has none.
  if (!importsRunner(module)) return undefined;
  const member = packageMember(callee, module);
  const run = runOf(member);
  if (member && run && run.kind !== "limiter") {
    const argument = call.arguments[run.callback];
    if (!argument) return undefined;
    if (run.kind !== "items" && run.kind !== "tasks") return { kind: run.kind, run: argument, package: member.module };
    const limit = run.limit !== undefined ? concurrencyOf(call.arguments[run.limit]) : undefined;
    return { kind: run.kind, run: argument, sequential: run.sequential === true || limit === 1, package: member.module };
  }
  return limiterCall(call, callee, module) ?? effectRun(call, callee, module);
}

/** Where Nuxt's composables are imported from, when they are not auto-imported. */
const NUXT_MODULES = new Set(["#app", "#imports", "nuxt/app"]);

/**
 * The handler of Nuxt's `useAsyncData([key,] handler, options?)`: during server rendering the
 * composable runs it once and its promise settles with the handler's.
 */
function nuxtAsyncDataHandler(call: ts.CallExpression, callee: ts.Expression, module: ModuleFacts): ts.Expression | undefined {
  if (!isIdentifier(callee) || callee.text !== "useAsyncData") return undefined;
  const imported = module.imports.get(callee.text);
  if (imported ? !NUXT_MODULES.has(imported.module) || imported.name !== callee.text : declarationOf(callee) !== undefined)
    return undefined;
  // The key is optional: the handler is the first argument that is not a key (a string).
  const [first, second] = call.arguments;
  if (!first) return undefined;
  const value = unwrapExpression(first);
  const isKey = ts.isStringLiteralLike(value) || ts.isTemplateExpression(value) || (isIdentifier(value) && second !== undefined);
  const handler = isKey ? second : first;
  // `{ server: false }` after the handler: it runs in the browser after hydration, not while the server renders.
  const options = call.arguments[call.arguments.indexOf(handler!) + 1];
  const literal = options && unwrapExpression(options);
  if (literal && ts.isObjectLiteralExpression(literal))
    for (const property of literal.properties)
      if (
        ts.isPropertyAssignment(property) &&
        isIdentifier(property.name) &&
        property.name.text === "server" &&
        unwrapExpression(property.initializer).kind === ts.SyntaxKind.FalseKeyword
      )
        return undefined;
  return handler;
}

/** `Effect` imported from "effect" (`import { Effect } from "effect"`, `import * as Effect from "effect/Effect"`). */
function isEffect(expression: ts.Expression, module: ModuleFacts): boolean {
  const value = unwrapExpression(expression);
  const imported = isIdentifier(value) ? module.imports.get(value.text) : undefined;
  return (
    !!imported &&
    ((imported.module === "effect" && imported.name === "Effect") || (imported.module === "effect/Effect" && imported.name === "*"))
  );
}

/**
 * `Effect.runPromise(Effect.tryPromise(() => ...))` (or `Effect.promise(fn)`, `Effect.tryPromise({
 * try, catch })`, held in a constant or not): the function runs once. Any other program (`Effect.gen`,
 * `pipe`, layers and services) is not followed here.
 */
function effectRun(call: ts.CallExpression, callee: ts.Expression, module: ModuleFacts): PackageCallbackRun | undefined {
  if (!isPropertyAccessExpression(callee) || !["runPromise", "runPromiseExit"].includes(callee.name.text)) return undefined;
  if (!isEffect(callee.expression, module) || !call.arguments[0]) return undefined;
  let program = unwrapExpression(call.arguments[0]);
  if (isIdentifier(program)) {
    const declaration = declarationOf(program);
    const constant =
      declaration &&
      isVariableDeclaration(declaration) &&
      declaration.initializer &&
      ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const;
    if (!constant) return undefined;
    program = unwrapExpression(declaration.initializer!);
  }
  if (!isCallExpression(program)) return undefined;
  const made = unwrapExpression(program.expression);
  if (!isPropertyAccessExpression(made) || !["tryPromise", "promise"].includes(made.name.text) || !isEffect(made.expression, module))
    return undefined;
  const given = program.arguments[0] ? unwrapExpression(program.arguments[0]) : undefined;
  const fn =
    given && isObjectLiteralExpression(given)
      ? given.properties.find((p): p is ts.PropertyAssignment => isPropertyAssignment(p) && isIdentifier(p.name) && p.name.text === "try")
          ?.initializer
      : given;
  return fn ? { kind: "once", run: fn, package: "effect" } : undefined;
}

/**
 * `limit(fn)` where `const limit = pLimit(n)`, `queue.add(fn)` / `queue.addAll(fns)` where `const
 * queue = new PQueue(options)`: the callback runs once, after the ones before it when the limit is one.
 */
function limiterCall(call: ts.CallExpression, callee: ts.Expression, module: ModuleFacts): PackageCallbackRun | undefined {
  const holder = isIdentifier(callee)
    ? callee
    : isPropertyAccessExpression(callee) && (callee.name.text === "add" || callee.name.text === "addAll")
      ? unwrapExpression(callee.expression)
      : undefined;
  if (!holder || !isIdentifier(holder) || !call.arguments[0]) return undefined;
  const declaration = declarationOf(holder);
  const made =
    declaration && isVariableDeclaration(declaration) && declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
  if (!made || !(isCallExpression(made) || isNewExpression(made))) return undefined;
  // `pLimit(n)` is called; `new PQueue()` is constructed: the holder is called, or its methods are.
  if (isCallExpression(made) !== isIdentifier(callee)) return undefined;
  const member = packageMember(made.expression, module);
  const run = runOf(member);
  if (!member || run?.kind !== "limiter") return undefined;
  const sequential = concurrencyOf(made.arguments?.[run.limit]) === 1;
  const tasks = isPropertyAccessExpression(callee) && callee.name.text === "addAll";
  return { kind: tasks ? "tasks" : "once", run: call.arguments[0], sequential, package: member.module };
}

/** The functions of an array literal of tasks (`pAll([() => a(), () => b()])`), or undefined. */
export function taskList(expression: ts.Expression): readonly ts.Expression[] | undefined {
  const value = unwrapExpression(expression);
  return isArrayLiteralExpression(value) ? value.elements : undefined;
}
