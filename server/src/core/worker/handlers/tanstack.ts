import ts from "typescript";
import { dirname, joinPath, relativePath } from "../../fs";
import type { AnalysisContext } from "../context";
import { moduleVariable, unwrapExpression, type ModuleFacts } from "../module";
import { isSourceFile } from "../resolve";
import {
  chainRoot,
  declarationOf,
  joinRoute,
  printNode,
  rootImport,
  spanOf,
  truncate,
  type FunctionRef,
  propertyInitializer,
} from "../syntax";
import { listFiles, nearestManifest } from "./frameworks";
import { firstAnswer } from "../values";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";
import type { ValueRef } from "../valuesCore";

const {
  isArrayLiteralExpression,
  isCallExpression,
  isIdentifier,
  isMethodDeclaration,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isStringLiteralLike,
  isVariableDeclaration,
} = ts;

export const TANSTACK_START = "TanStack Start";
/** TanStack Query's client methods that run a query's `queryFn` now (in a loader, on the server). */
const QUERY_RUNNERS = new Set(["ensureQueryData", "fetchQuery", "prefetchQuery", "ensureInfiniteQueryData", "fetchInfiniteQuery"]);
const HTTP_VERBS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]);

/** `@tanstack/react-start`, `@tanstack/solid-start`, `@tanstack/start` and their subpaths (`/server`, `/server-entry`). */
export function isTanStackStartModule(specifier: string): boolean {
  return /^@tanstack\/(react-|solid-)?start(\/|$)/.test(specifier);
}

/** The package TanStack Start's default server entry is (`main = "@tanstack/react-start/server-entry"`). */
export function isTanStackServerEntry(specifier: string): boolean {
  return /^@tanstack\/(react-|solid-)?start\/server-entry$/.test(specifier);
}

/** Router packages whose `createFileRoute` makes a TanStack Start route. */
function isRouterModule(specifier: string): boolean {
  return /^@tanstack\/(react-|solid-)?router(\/|$)/.test(specifier) || isTanStackStartModule(specifier);
}

/** Where the app's routes are: `src/routes` (Start 1.x), else `app/routes` (the Vinxi-based betas). */
export function tanstackRoutesDir(ctx: AnalysisContext, root: string): string {
  const src = joinPath(root, "src", "routes");
  return ctx.fs.stat(src) === "directory" ? src : joinPath(root, "app", "routes");
}

/** The route modules of a TanStack Start app (generated route trees are not read). */
export function tanstackSourceFiles(ctx: AnalysisContext, root: string): string[] {
  const dir = tanstackRoutesDir(ctx, root);
  const files = listFiles(ctx.fs, dir, (p) => isSourceFile(p) && !/\.gen\.[cm]?[jt]sx?$/.test(p) && !p.endsWith(".d.ts"));
  if (files.length === 0) return [];
  // `src/start.ts`: global request middleware (`createStart(() => ({ requestMiddleware }))`).
  for (const name of ["start.ts", "start.tsx", "start.js"]) {
    const path = joinPath(dirname(dir), name);
    if (ctx.fs.stat(path) === "file") {
      files.push(path);
      break;
    }
  }
  return files;
}

interface FileRoute {
  readonly id: string;
  readonly module: ModuleFacts;
  readonly span: { start: number; end: number };
  readonly beforeLoad?: FunctionRef;
  readonly loader?: FunctionRef;
  /** Server route handlers by verb, with the route's server middleware. */
  readonly handlers: ReadonlyArray<{ verb: string; fn?: FunctionRef; span: { start: number; end: number }; text: string }>;
  readonly serverMiddleware: readonly FunctionRef[];
  /** Why the route's options could not be read, when they could not. */
  readonly opaque?: string;
}

/**
 * The request paths of a TanStack Start app, from its route modules:
 * - a route's `loader` (`createFileRoute("/posts/$id")({ loader })`) is `GET /posts/:id`, after the
 *   `beforeLoad` of the routes above it (the root first) and its own; loaders of nested routes run
 *   in parallel, so each is its own path and the worst counts;
 * - a server route's handlers (`server: { handlers: { GET } }`, `createServerFileRoute(id).methods({...})`,
 *   `createAPIFileRoute(id)({...})`) are `VERB path`, after the route's server middleware and the
 *   app's global request middleware (`src/start.ts`);
 * - each server function (`createServerFn({ method }).handler(fn)`) in the modules read is its own
 *   RPC endpoint (the browser calls it directly); called from a loader, it runs there (see `callSitesOf`).
 */
export function tanstackSites(ctx: AnalysisContext, root: string, files: readonly string[]): HandlerSite[] {
  const modules = files.map((f) => ctx.loader.modules.get(f)).filter((m): m is ModuleFacts => m !== undefined);
  const dir = tanstackRoutesDir(ctx, root);
  const reader = new RouteReader(ctx);
  const global: FunctionRef[] = [];
  const routes: FileRoute[] = [];
  for (const module of modules) {
    if (!module.path.startsWith(dir + "/")) {
      global.push(...reader.startMiddleware(module));
      continue;
    }
    const fallback = fileRouteId(relativePath(dir, module.path));
    for (const [, binding] of module.exports) {
      const value = binding.expression ?? (binding.local ? moduleVariable(module, binding.local)?.initializer : undefined);
      const route = value ? reader.route(value, module, fallback) : undefined;
      if (route) routes.push(route);
    }
  }
  const sites: HandlerSite[] = [];
  const ancestors = (route: FileRoute): FileRoute[] =>
    routes
      .filter((r) => r !== route && isAncestor(r.id, route.id))
      .sort((a, b) => segments(a.id).length - segments(b.id).length || (a.id === "__root__" ? -1 : 1));
  for (const route of routes) {
    const path = routePath(route.id);
    if (route.opaque) {
      sites.push({
        kind: "fetch",
        form: `${TANSTACK_START} route`,
        module: route.module,
        span: route.span,
        functions: [],
        route: `GET ${path}`,
        opaque: route.opaque,
      });
      continue;
    }
    // A page: its loader, or the beforeLoad chain it runs (a pathless layout or the root is a page
    // of its own only through a loader, which runs beside its children's).
    const layout = route.id === "__root__" || segments(route.id).at(-1)?.startsWith("_") === true;
    const ownWork = route.loader !== undefined || route.beforeLoad !== undefined;
    const chainWork = ancestors(route).some((r) => r.beforeLoad);
    if (route.loader || (!layout && (route.handlers.length === 0 ? ownWork || chainWork : ownWork))) {
      const chain = [
        ...ancestors(route).flatMap((r) => (r.beforeLoad ? [r.beforeLoad] : [])),
        ...(route.beforeLoad ? [route.beforeLoad] : []),
      ];
      sites.push({
        kind: "fetch",
        form: `${TANSTACK_START} ${route.loader ? "loader" : route.beforeLoad ? "beforeLoad" : "page"}`,
        module: route.module,
        span: route.span,
        functions: [...chain, ...(route.loader ? [route.loader] : [])],
        route: `GET ${path}`,
      });
    }
    for (const handler of route.handlers)
      sites.push({
        kind: "fetch",
        form: `${TANSTACK_START} server route`,
        module: route.module,
        span: handler.span,
        functions: [...global, ...route.serverMiddleware, ...(handler.fn ? [handler.fn] : [])],
        route: `${handler.verb === "ANY" ? "ALL" : handler.verb} ${path}`,
        ...(handler.fn
          ? {}
          : { opaque: `${TANSTACK_START}: the ${handler.verb} handler (${handler.text}) of ${path} could not be resolved` }),
      });
  }
  // Pages without loaders still answer requests (server rendering): a path with nothing of its own.
  if (sites.length === 0 && routes.length > 0)
    sites.push({
      kind: "fetch",
      form: `${TANSTACK_START} pages`,
      module: routes[0]!.module,
      span: routes[0]!.span,
      functions: [],
      route: "GET /*",
    });
  // Server functions: their own endpoints, in every module read for the app.
  const seen = new Set<ts.Node>();
  for (const module of [...ctx.loader.modules.values()]) {
    if (![...module.imports.values()].some((i) => isTanStackStartModule(i.module))) continue;
    for (const [name, declaration] of module.variables) {
      if (!declaration.initializer || seen.has(declaration)) continue;
      const fn = reader.serverFunction(declaration.initializer, module);
      if (!fn) continue;
      seen.add(declaration);
      sites.push({
        kind: "fetch",
        form: `${TANSTACK_START} server function`,
        module,
        span: spanOf(declaration.name),
        functions: [...global, ...fn.functions],
        route: `${fn.method} server function ${name} (${relativePath(root, module.path)})`,
        ...(fn.opaque ? { opaque: fn.opaque } : {}),
      });
    }
  }
  return sites;
}

/** `posts.$postId.tsx` / `posts/$postId.tsx` -> `/posts/$postId`; `__root` -> `__root__`; `index` -> `/`. */
function fileRouteId(relative: string): string {
  const withoutExt = relative.replace(/\.[^./]+$/, "");
  if (withoutExt === "__root") return "__root__";
  const parts = withoutExt
    .split("/")
    .flatMap((p) => p.split("."))
    .filter((p) => p !== "index" && p !== "route");
  return "/" + parts.join("/");
}

function segments(id: string): string[] {
  return id === "__root__" ? [] : id.split("/").filter((s) => s !== "");
}

/** Whether route `a` contains route `b` (the root contains all; `/_authed` contains `/_authed/posts`). */
function isAncestor(a: string, b: string): boolean {
  if (a === "__root__") return true;
  const outer = segments(a);
  const inner = segments(b);
  return outer.length < inner.length && outer.every((s, i) => s === inner[i]);
}

/** A route id as a request path: pathless (`_layout`) and group (`(app)`) segments dropped, `$id` -> `:id`, `$` -> `*`. */
function routePath(id: string): string {
  if (id === "__root__") return "/*";
  const parts = segments(id)
    .filter((s) => !(s.startsWith("_") || (s.startsWith("(") && s.endsWith(")"))))
    .map((s) => s.replace(/_$/, ""))
    .map((s) =>
      s === "$" ? "*" : s.startsWith("{-$") && s.endsWith("}") ? `:${s.slice(3, -1)}?` : s.startsWith("$") ? `:${s.slice(1)}` : s,
    );
  return joinRoute("/", parts.join("/"));
}

/** Reads TanStack Start's builders: routes, server functions, middleware. */
class RouteReader {
  constructor(private readonly ctx: AnalysisContext) {}

  /**
   * `createFileRoute(id)({...})`, `createRootRoute({...})`, `createRootRouteWithContext<T>()({...})`,
   * `createServerFileRoute(id).methods({...})`, `createAPIFileRoute(id)({...})`.
   */
  route(expression: ts.Expression, module: ModuleFacts, fallbackId: string): FileRoute | undefined {
    const value = unwrapExpression(expression);
    if (!isCallExpression(value)) return undefined;
    const base = chainRoot(value.expression);
    if (!base || !isIdentifier(base)) return undefined;
    const imported = module.imports.get(base.text);
    if (!imported || !isRouterModule(imported.module)) return undefined;
    const maker = imported.name;
    const calls = callChain(value);
    const first = calls[0];
    const idArg = first?.arguments[0] ? unwrapExpression(first.arguments[0]) : undefined;
    const id = maker.startsWith("createRoot") ? "__root__" : idArg && isStringLiteralLike(idArg) ? idArg.text : fallbackId;
    const span = spanOf(base);
    if (maker === "createServerFileRoute") {
      const middleware: FunctionRef[] = [];
      let methods: ts.Expression | undefined;
      for (const call of calls.slice(1)) {
        const name = linkName(call);
        if (name === "middleware" && call.arguments[0]) middleware.push(...this.middlewareList(call.arguments[0], module));
        if (name === "methods") methods = call.arguments[0];
      }
      return { id, module, span, handlers: methods ? this.handlers(methods, module) : [], serverMiddleware: middleware };
    }
    if (maker === "createAPIFileRoute") {
      const methods = calls[1]?.arguments[0];
      return { id, module, span, handlers: methods ? this.handlers(methods, module) : [], serverMiddleware: [] };
    }
    if (maker !== "createFileRoute" && maker !== "createRootRoute" && maker !== "createRootRouteWithContext") return undefined;
    // The options: the argument of the last call (`createFileRoute(id)(options)`, `createRootRoute(options)`).
    const last = calls[calls.length - 1]!;
    let options = last.arguments[0] ? unwrapExpression(last.arguments[0]) : undefined;
    // Options kept in a constant: `createFileRoute("/x")(routeOptions)`.
    if (options && isIdentifier(options))
      options = this.ctx.values
        .valuesOf(options, module)
        .map((v) => unwrapExpression(v.expression))
        .find((v) => isObjectLiteralExpression(v));
    if (!options || !isObjectLiteralExpression(options)) {
      const given = last.arguments[0];
      // No options (`createRootRoute()`) is a route with nothing of its own; options that cannot be read are unknown.
      return {
        id,
        module,
        span,
        handlers: [],
        serverMiddleware: [],
        ...(given
          ? {
              opaque: `${TANSTACK_START}: the options of route ${id} (${truncate(printNode(given))}) could not be read: its loader and server handlers are unknown`,
            }
          : {}),
      };
    }
    const beforeLoad = this.optionFunction(options, "beforeLoad", module);
    const loaderOption = this.optionFunction(options, "loader", module);
    const server = property(options, "server");
    const serverObject = server ? unwrapExpression(server) : undefined;
    let handlers: FileRoute["handlers"] = [];
    const serverMiddleware: FunctionRef[] = [];
    if (serverObject && isObjectLiteralExpression(serverObject)) {
      const list = property(serverObject, "middleware");
      if (list) serverMiddleware.push(...this.middlewareList(list, module));
      const handlerObject = property(serverObject, "handlers");
      if (handlerObject) handlers = this.handlers(handlerObject, module);
    }
    return {
      id,
      module,
      span,
      ...(beforeLoad ? { beforeLoad } : {}),
      ...(loaderOption ? { loader: loaderOption } : {}),
      handlers,
      serverMiddleware,
    };
  }

  /** `loader: async () => ...`, `async loader() {...}`, `loader: fetchPosts`, `loader: { handler }`. */
  private optionFunction(options: ts.ObjectLiteralExpression, name: string, module: ModuleFacts): FunctionRef | undefined {
    for (const p of options.properties) {
      if (!p.name || !(isIdentifier(p.name) || isStringLiteralLike(p.name)) || p.name.text !== name) continue;
      if (isMethodDeclaration(p)) return { fn: p, module };
      const value = propertyInitializer(p);
      if (!value) return undefined;
      const inner = unwrapExpression(value);
      if (isObjectLiteralExpression(inner)) return this.optionFunction(inner, "handler", module);
      return this.ctx.values.functionFrom(value, module);
    }
    return undefined;
  }

  /** `{ GET: fn, POST: ({ request }) => ... }`: each verb's function. */
  private handlers(expression: ts.Expression, module: ModuleFacts): FileRoute["handlers"] {
    const value = unwrapExpression(expression);
    if (!isObjectLiteralExpression(value)) return [{ verb: "ANY", span: spanOf(value), text: truncate(printNode(value)) }]; // `({ createHandlers }) => ...`: not followed
    const result: Array<FileRoute["handlers"][number]> = [];
    for (const p of value.properties) {
      if (!p.name || !(isIdentifier(p.name) || isStringLiteralLike(p.name))) continue;
      const verb = p.name.text.toUpperCase();
      if (!HTTP_VERBS.has(verb)) continue;
      const span = spanOf(p.name);
      if (isMethodDeclaration(p)) {
        result.push({ verb, fn: { fn: p, module }, span, text: p.name.text });
        continue;
      }
      const init = propertyInitializer(p);
      if (!init) continue;
      const inner = unwrapExpression(init);
      // `GET: { middleware: [...], handler }` or `api.middleware([...]).handler(fn)`.
      const fn = isObjectLiteralExpression(inner)
        ? this.optionFunction(inner, "handler", module)
        : isCallExpression(inner)
          ? this.ctx.values.functionFrom(inner, module)
          : this.ctx.values.functionFrom(init, module);
      result.push({ verb, ...(fn ? { fn } : {}), span, text: truncate(printNode(init)) });
    }
    return result;
  }

  /** `[authMiddleware, logMiddleware]`: the `.server(fn)` of each (and of the middleware each depends on, first). */
  middlewareList(expression: ts.Expression, module: ModuleFacts, depth = 0): FunctionRef[] {
    if (depth > 6) return [];
    const value = unwrapExpression(expression);
    let elements: Array<{ expression: ts.Expression; module: ModuleFacts }> = [];
    if (isArrayLiteralExpression(value)) elements = value.elements.map((e) => ({ expression: e, module }));
    else if (isIdentifier(value))
      for (const source of this.ctx.values.valuesOf(value, module)) {
        const list = unwrapExpression(source.expression);
        if (isArrayLiteralExpression(list)) elements = list.elements.map((e) => ({ expression: e, module: source.module }));
      }
    return elements.flatMap((e) => this.middleware(e.expression, e.module, depth + 1));
  }

  /** `createMiddleware().middleware([...]).server(fn)`, inline or in a constant. */
  private middleware(expression: ts.Expression, module: ModuleFacts, depth: number): FunctionRef[] {
    if (depth > 6) return [];
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      for (const source of this.ctx.values.valuesOf(value, module)) {
        const found = this.middleware(source.expression, source.module, depth + 1);
        if (found.length > 0) return found;
      }
      return [];
    }
    if (!isCallExpression(value)) return [];
    const found: FunctionRef[] = [];
    for (const call of callChain(value)) {
      const name = isPropertyAccessExpression(unwrapExpression(call.expression)) ? linkName(call) : "";
      if (name === "middleware" && call.arguments[0]) found.push(...this.middlewareList(call.arguments[0], module, depth + 1));
      if (name === "server" && call.arguments[0]) {
        const fn = this.ctx.values.functionFrom(call.arguments[0], module);
        if (fn) found.push(fn);
      }
    }
    return found;
  }

  /**
   * A server function: `createServerFn({ method: "POST" }).middleware([...]).validator(v).handler(fn)`.
   * Its method, and the functions one call runs: its middleware's `.server` functions, then the handler.
   */
  serverFunction(
    expression: ts.Expression,
    module: ModuleFacts,
  ): { method: string; functions: FunctionRef[]; opaque?: string; span: { start: number; end: number } } | undefined {
    const value = unwrapExpression(expression);
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    // The early API: `createServerFn("POST", async (input) => ...)`.
    if (isIdentifier(callee) && value.arguments.length >= 2) {
      const imported = module.imports.get(callee.text);
      if (!imported || imported.name !== "createServerFn" || !isTanStackStartModule(imported.module)) return undefined;
      const verb = unwrapExpression(value.arguments[0]!);
      const fn = this.ctx.values.functionFrom(value.arguments[1]!, module);
      return {
        method: isStringLiteralLike(verb) ? verb.text.toUpperCase() : "GET",
        functions: fn ? [fn] : [],
        span: spanOf(callee),
        ...(fn
          ? {}
          : {
              opaque: `${TANSTACK_START}: the handler of a server function (${truncate(printNode(value.arguments[1]!))}) could not be resolved`,
            }),
      };
    }
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "handler") return undefined;
    const calls = this.serverFnLinks(value, module, 0);
    if (!calls) return undefined;
    const first = calls[0]!;
    const options = first.call.arguments[0] ? unwrapExpression(first.call.arguments[0]) : undefined;
    const methodValue = options && isObjectLiteralExpression(options) ? property(options, "method") : undefined;
    const method =
      methodValue && isStringLiteralLike(unwrapExpression(methodValue))
        ? (unwrapExpression(methodValue) as ts.StringLiteralLike).text
        : "GET";
    const functions: FunctionRef[] = [];
    for (const link of calls.slice(1, -1))
      if (linkName(link.call) === "middleware" && link.call.arguments[0])
        functions.push(...this.middlewareList(link.call.arguments[0], link.module));
    const handler = value.arguments[0] ? this.ctx.values.functionFrom(value.arguments[0], module) : undefined;
    // What the middleware hands on with `next({ context: { db } })` is the handler's `context` (and
    // the next middleware's): `({ context }) => context.db`, `(ctx) => ctx.context.db`.
    const passed = functions.flatMap((f) => nextContexts(f));
    if (passed.length > 0)
      for (const fn of [...functions, ...(handler ? [handler] : [])]) {
        const parameter = fn.fn.parameters[0];
        if (parameter) this.ctx.values.noteFrameworkArgument(parameter, "context", passed);
      }
    return {
      method: method.toUpperCase(),
      functions: [...functions, ...(handler ? [handler] : [])],
      span: spanOf(callee.name),
      ...(handler
        ? {}
        : {
            opaque: `${TANSTACK_START}: the handler of a server function (${value.arguments[0] ? truncate(printNode(value.arguments[0])) : "?"}) could not be resolved`,
          }),
    };
  }

  /**
   * The calls of a server function's builder chain, `createServerFn(options)` first, each with its
   * module, also when the chain starts from a builder kept in a constant
   * (`const withDb = createServerFn().middleware([db]); export const save = withDb.handler(fn)`).
   */
  private serverFnLinks(
    value: ts.CallExpression,
    module: ModuleFacts,
    depth: number,
  ): Array<{ call: ts.CallExpression; module: ModuleFacts }> | undefined {
    if (depth > 6) return undefined;
    const base = chainRoot(value.expression);
    if (!base || !isIdentifier(base)) return undefined;
    const calls = callChain(value).map((call) => ({ call, module }));
    const imported = module.imports.get(base.text);
    if (imported?.name === "createServerFn" && isTanStackStartModule(imported.module)) return calls;
    if (imported && isTanStackStartModule(imported.module)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(base, module), (source) => {
      const builder = unwrapExpression(source.expression);
      const before = isCallExpression(builder) ? this.serverFnLinks(builder, source.module, depth + 1) : undefined;
      return before ? [...before, ...calls] : undefined;
    });
  }

  /** `createStart(() => ({ requestMiddleware: [...] }))` in `src/start.ts`: run before every server route and server function. */
  startMiddleware(module: ModuleFacts): FunctionRef[] {
    const found: FunctionRef[] = [];
    for (const call of module.calls) {
      if (!isCallExpression(call)) continue;
      const root = rootImport(call.expression, module);
      if (!root || !isTanStackStartModule(root.module) || root.name !== "createStart") continue;
      const fn = call.arguments[0] ? this.ctx.values.functionFrom(call.arguments[0], module) : undefined;
      const options = fn ? this.ctx.values.returnedValues(fn.fn, fn.module) : [];
      for (const returned of options) {
        const object = unwrapExpression(returned.expression);
        const list = isObjectLiteralExpression(object) ? property(object, "requestMiddleware") : undefined;
        if (list) found.push(...this.middlewareList(list, returned.module));
      }
    }
    return found;
  }
}

/**
 * The contexts a TanStack middleware's server function hands on: the `context` of each object it
 * calls `next` with (`next({ context: { db } })`, `options.next({ context })`).
 */
function nextContexts(ref: FunctionRef): ValueRef[] {
  const found: ValueRef[] = [];
  const visit = (node: ts.Node): void => {
    if (isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      const named = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
      const argument = node.arguments[0] ? unwrapExpression(node.arguments[0]) : undefined;
      if (named === "next" && argument && isObjectLiteralExpression(argument)) {
        const context = property(argument, "context");
        if (context) found.push({ expression: context, module: ref.module });
      }
    }
    if (found.length < 8) ts.forEachChild(node, visit);
  };
  if (ref.fn.body) visit(ref.fn.body);
  return found;
}

/** The calls of a chain, innermost first: `a(x)(y).b(z)` -> `a(x)`, `a(x)(y)`, `a(x)(y).b(z)`. */
function callChain(call: ts.CallExpression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  let current: ts.Expression = call;
  for (let i = 0; i < 64; i++) {
    const value = unwrapExpression(current);
    if (isCallExpression(value)) {
      calls.unshift(value);
      current = value.expression;
    } else if (isPropertyAccessExpression(value)) current = value.expression;
    else break;
  }
  return calls;
}

function linkName(call: ts.CallExpression): string {
  const callee = unwrapExpression(call.expression);
  return isPropertyAccessExpression(callee) ? callee.name.text : "";
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (!p.name || !(isIdentifier(p.name) || isStringLiteralLike(p.name)) || p.name.text !== name) continue;
    return propertyInitializer(p);
  }
  return undefined;
}

/**
 * TanStack Start in the Worker's own source: `createStartHandler(defaultStreamHandler)` (also curried,
 * `createStartHandler({ createRouter })(defaultStreamHandler)`) and the default export of
 * `@tanstack/react-start/server-entry` run the app's routes (read from `src/routes`); a call of a
 * server function (`await getPosts({ data })`, from a loader) runs its middleware and handler.
 */
export class TanStackAdapter implements HandlerAdapter {
  readonly name = "TanStack Start: createStartHandler, server-entry, createServerFn";
  private routes: HandlerSite[] | undefined;
  private readonly reader: RouteReader;
  private checkedModules = -1;
  private startImported = false;

  constructor(private readonly ctx: AnalysisContext) {
    this.reader = new RouteReader(ctx);
  }

  sitesOf(value: ts.Expression, module: ModuleFacts): HandlerSite[] | undefined {
    if (!isCallExpression(value)) return undefined;
    const root = rootImport(value.expression, module);
    if (!root || !isTanStackStartModule(root.module) || root.name !== "createStartHandler") return undefined;
    return this.appSites(module, value);
  }

  importSites(imported: { module: string; name: string }, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isTanStackServerEntry(imported.module) || imported.name !== "default") return undefined;
    void context;
    return this.appSites(module, undefined);
  }

  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!this.anyStartImport()) return undefined;
    // `context.queryClient.ensureQueryData(postsQueryOptions())` in a loader runs the query's `queryFn`.
    if (isPropertyAccessExpression(callee) && QUERY_RUNNERS.has(callee.name.text) && call.arguments[0]) {
      const queryFn = this.queryFunction(call.arguments[0], module, 0);
      return queryFn
        ? [
            {
              kind: "fetch",
              form: `TanStack Query ${callee.name.text}`,
              module: queryFn.module,
              span: spanOf(callee.name),
              functions: [queryFn],
            },
          ]
        : undefined;
    }
    if (!isIdentifier(callee)) return undefined;
    const source = this.declarationOf(callee, module);
    if (!source?.declaration.initializer) return undefined;
    const fn = this.reader.serverFunction(source.declaration.initializer, source.module);
    if (!fn) return undefined;
    return [
      {
        kind: "fetch",
        form: `${TANSTACK_START} server function`,
        module: source.module,
        span: spanOf(source.declaration.name),
        functions: fn.functions,
        ...(fn.opaque ? { opaque: fn.opaque } : {}),
      },
    ];
  }

  /** The `queryFn` of query options: inline, `queryOptions({...})`, a constant, or what a project function returns. */
  private queryFunction(expression: ts.Expression, module: ModuleFacts, depth: number): FunctionRef | undefined {
    if (depth > 4) return undefined;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) {
      for (const p of value.properties) {
        if (!p.name || !isIdentifier(p.name) || p.name.text !== "queryFn") continue;
        if (isMethodDeclaration(p)) return { fn: p, module };
        const init = propertyInitializer(p);
        return init ? this.ctx.values.functionFrom(init, module) : undefined;
      }
      return undefined;
    }
    if (isIdentifier(value)) {
      return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.queryFunction(source.expression, source.module, depth + 1),
      );
    }
    if (!isCallExpression(value)) return undefined;
    const factory = this.ctx.values.calledFunction(unwrapExpression(value.expression), module);
    if (factory) {
      return firstAnswer(this.ctx.values.returnedValues(factory.fn, factory.module), (returned) =>
        this.queryFunction(returned.expression, returned.module, depth + 1),
      );
    }
    // `queryOptions({ queryKey, queryFn })` from TanStack Query: its options.
    return value.arguments[0] ? this.queryFunction(value.arguments[0], module, depth + 1) : undefined;
  }

  /** Whether a module read so far imports TanStack Start (server functions exist only then). */
  private anyStartImport(): boolean {
    const modules = this.ctx.loader.modules;
    if (this.checkedModules !== modules.size) {
      this.checkedModules = modules.size;
      this.startImported = [...modules.values()].some((m) => [...m.imports.values()].some((i) => isTanStackStartModule(i.module)));
    }
    return this.startImported;
  }

  /** The variable a called name stands for: local, or exported by the module it is imported from. */
  private declarationOf(
    callee: ts.Identifier,
    module: ModuleFacts,
  ): { declaration: ts.VariableDeclaration; module: ModuleFacts } | undefined {
    const local = declarationOf(callee);
    if (local) return isVariableDeclaration(local) ? { declaration: local, module } : undefined;
    const imported = module.imports.get(callee.text);
    if (!imported || imported.name === "*" || imported.name === "default") return undefined;
    if (isTanStackStartModule(imported.module)) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const exported = target?.exports.get(imported.name);
    const name = exported?.local;
    const declaration = name ? (target ? moduleVariable(target, name) : undefined) : undefined;
    return target && declaration ? { declaration, module: target } : undefined;
  }

  private appSites(module: ModuleFacts, at: ts.Node | undefined): HandlerSite[] {
    // Route modules are found on disk, not through imports: a walk that reads them must not be kept.
    this.ctx.walker.cutWalk();
    if (this.routes) return this.routes;
    const own = this.ctx.input.projectRoot;
    const manifest = nearestManifest(this.ctx.fs, dirname(module.path));
    const candidates = [own, ...(manifest ? [dirname(manifest.file)] : [])];
    const root = candidates.find((r) => this.ctx.fs.stat(tanstackRoutesDir(this.ctx, r)) === "directory") ?? own;
    const files = tanstackSourceFiles(this.ctx, root);
    for (const file of files) this.ctx.loader.load(file);
    const sites = tanstackSites(this.ctx, root, files);
    this.routes =
      sites.length > 0
        ? sites
        : [
            {
              kind: "fetch",
              form: `${TANSTACK_START} app`,
              module,
              span: at ? spanOf(at) : { start: 0, end: 0 },
              functions: [],
              opaque: `${TANSTACK_START}: none of the app's route modules were found below ${relativePath(own, tanstackRoutesDir(this.ctx, root)) || "."}`,
            },
          ];
    return this.routes;
  }
}
