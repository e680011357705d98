import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, rootImport, spanOf, type FunctionRef } from "../syntax";
import { firstAnswer } from "../values";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";
import { ownEntry } from "../../tables";

const { isCallExpression, isIdentifier, isNewExpression, isObjectLiteralExpression, isPropertyAccessExpression, isVariableDeclaration } =
  ts;

const MAX_DEPTH = 8;
/** koa-router's verbs (`del` is its alias of `delete`, `all` any method). */
const VERBS: Readonly<Record<string, string>> = {
  get: "GET",
  post: "POST",
  put: "PUT",
  patch: "PATCH",
  delete: "DELETE",
  del: "DELETE",
  head: "HEAD",
  options: "OPTIONS",
  all: "ALL",
};

type NodeRef<T extends ts.Node> = { readonly node: T; readonly module: ModuleFacts };

/** One route of a router, its path joined with the prefixes above it, with the functions that run for it. */
interface KoaRoute {
  readonly verb: string;
  readonly path: string;
  readonly functions: readonly FunctionRef[];
  readonly span: { start: number; end: number };
  readonly module: ModuleFacts;
}

/**
 * Koa apps (`new Koa()` of "koa"), as Workers run them on Node compatibility: served by
 * `httpServerHandler` (cloudflare:node) from `app.listen(port)` or `createServer(app.callback())`.
 * Koa has no routes of its own: every request runs the app's middleware in the order `app.use(fn)`
 * registered it (each `await next()` runs the rest, then returns to it). Routes come from
 * koa-router (`@koa/router`, `koa-router`): `app.use(router.routes())` runs the matching route's
 * handlers (`router.get(path, ...fns)`, named `router.get(name, path, fn)`, chains), after the
 * router's own `router.use(fn)` middleware; a router mounted in another (`router.use("/api",
 * api.routes())`) and the router's `prefix` give its routes their paths; `allowedMethods()` only
 * answers OPTIONS and 405s in the Worker. So each route is a path: the app middleware registered
 * before its router, the router's middleware, then its handlers; without routes, the middleware
 * alone is the one path. Registrations are read from the module-level statements on the app's and
 * the routers' variables, in the modules that declare them.
 */
export class KoaAdapter implements HandlerAdapter {
  readonly name = "Koa apps (koa), with koa-router / @koa/router";

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    const app = this.appOf(value, module, 0);
    return app ? this.appSites(app, `${context.form} Koa app`) : undefined;
  }

  /** Whether a value is a Koa app or its request listener (`app.callback()`): what a Node server given it serves. */
  isServed(expression: ts.Expression, module: ModuleFacts): boolean {
    return this.appOf(expression, module, 0) !== undefined;
  }

  /** The `new Koa()` an expression is, holds, or whose `callback()` it is. */
  private appOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.NewExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      return root && root.module === "koa" && (root.name === "default" || root.name === "Koa" || root.name === "*")
        ? { node: value, module }
        : undefined;
    }
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      return isPropertyAccessExpression(callee) && callee.name.text === "callback" && value.arguments.length === 0
        ? this.appOf(callee.expression, module, depth + 1)
        : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.appOf(source.expression, source.module, depth + 1));
  }

  /** The `new Router(...)` of koa-router an expression is or holds. */
  private routerOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.NewExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      return root &&
        (root.module === "@koa/router" || root.module === "koa-router") &&
        (root.name === "default" || root.name === "Router" || root.name === "*")
        ? { node: value, module }
        : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.routerOf(source.expression, source.module, depth + 1));
  }

  private appSites(app: NodeRef<ts.NewExpression>, form: string): HandlerSite[] {
    const before: FunctionRef[] = [];
    const routes: KoaRoute[] = [];
    for (const call of this.registrations(app.node, app.module, "use")) {
      for (const argument of call.arguments) {
        const mounted = this.mountedRouter(argument, app.module);
        if (mounted === "local") continue;
        if (mounted) {
          for (const route of this.routesOf(mounted, "", 0)) routes.push({ ...route, functions: [...before, ...route.functions] });
          continue;
        }
        const fn = this.ctx.values.functionFrom(argument, app.module);
        if (fn) before.push(fn);
      }
    }
    const span = spanOf(app.node);
    if (routes.length === 0) return [{ kind: "fetch", form, module: app.module, span, functions: before }];
    return routes.map((route) => ({
      kind: "fetch",
      form: `${form} ${route.verb} ${route.path}`,
      module: route.module,
      span: route.span,
      functions: route.functions,
      route: `${route.verb} ${route.path}`,
    }));
  }

  /**
   * `router.routes()` / `router.middleware()` given to `use`: the router; `router.allowedMethods()`:
   * "local" (it answers OPTIONS and 405 in the Worker); anything else: undefined.
   */
  private mountedRouter(argument: ts.Expression, module: ModuleFacts): NodeRef<ts.NewExpression> | "local" | undefined {
    const value = unwrapExpression(argument);
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    if (method !== "routes" && method !== "middleware" && method !== "allowedMethods") return undefined;
    const router = this.routerOf(callee.expression, module, 0);
    if (!router) return undefined;
    return method === "allowedMethods" ? "local" : router;
  }

  /** The routes of a router, under `prefix` (the mount path above it) and its own `prefix` option. */
  private routesOf(router: NodeRef<ts.NewExpression>, prefix: string, depth: number): KoaRoute[] {
    if (depth > MAX_DEPTH) return [];
    const own = this.prefixOption(router);
    const base = joinPaths(prefix, own);
    const middleware: FunctionRef[] = [];
    const routes: KoaRoute[] = [];
    for (const call of this.registrations(router.node, router.module)) {
      const method = (unwrapExpression(call.expression) as ts.PropertyAccessExpression).name.text;
      const args = call.arguments;
      if (method === "prefix") {
        // `router.prefix("/v1")`: the router's prefix from here on (koa-router applies it to routes already registered too).
        const text = args[0] ? this.ctx.values.evaluateString(args[0], 0) : undefined;
        if (text !== undefined) return this.routesOf(router, joinPaths(prefix, text), depth + 1);
        continue;
      }
      // Leading strings: a route's name and path (`get("user", "/users/:id", fn)`), or a `use` path.
      const strings: string[] = [];
      let index = 0;
      for (; index < args.length; index++) {
        const text = this.ctx.values.evaluateString(args[index]!, 0);
        if (text === undefined || this.ctx.values.functionFrom(args[index]!, router.module)) break;
        strings.push(text);
      }
      const path = strings.length > 0 ? strings[strings.length - 1]! : undefined;
      if (method === "use") {
        for (const argument of args.slice(index)) {
          const mounted = this.mountedRouter(argument, router.module);
          if (mounted === "local") continue;
          if (mounted) {
            for (const route of this.routesOf(mounted, joinPaths(base, path ?? ""), depth + 1))
              routes.push({ ...route, functions: [...middleware, ...route.functions] });
            continue;
          }
          const fn = this.ctx.values.functionFrom(argument, router.module);
          if (fn) middleware.push(fn);
        }
        continue;
      }
      const verb = ownEntry(VERBS, method);
      if (!verb || path === undefined) continue;
      const handlers = args
        .slice(index)
        .map((a) => this.ctx.values.functionFrom(a, router.module))
        .filter((f): f is FunctionRef => f !== undefined);
      routes.push({
        verb,
        path: joinPaths(base, path) || "/",
        functions: [...middleware, ...handlers],
        span: spanOf(call),
        module: router.module,
      });
    }
    return routes;
  }

  /** `new Router({ prefix: "/orders" })`: the prefix, or "". */
  private prefixOption(router: NodeRef<ts.NewExpression>): string {
    const options = router.node.arguments?.[0] ? unwrapExpression(router.node.arguments[0]) : undefined;
    if (!options || !isObjectLiteralExpression(options)) return "";
    for (const property of options.properties)
      if (ts.isPropertyAssignment(property) && isIdentifier(property.name) && property.name.text === "prefix")
        return this.ctx.values.evaluateString(property.initializer, 0) ?? "";
    return "";
  }

  /**
   * The module-level calls on the variable a `new` expression is held in (`app.use(...)`,
   * `router.get(...).post(...)`), in source order; only `method` when given.
   */
  private registrations(made: ts.NewExpression, module: ModuleFacts, method?: string): ts.CallExpression[] {
    let holder: ts.Node = made;
    while (holder.parent && (ts.isParenthesizedExpression(holder.parent) || ts.isAsExpression(holder.parent))) holder = holder.parent;
    const variable = holder.parent;
    if (!variable || !isVariableDeclaration(variable) || !isIdentifier(variable.name)) return [];
    const name = variable.name.text;
    const calls: ts.CallExpression[] = [];
    for (const entry of module.receiverCalls) {
      if (entry.receiver !== name || (method && entry.method !== method)) continue;
      if (!(entry.method in VERBS) && entry.method !== "use" && entry.method !== "prefix") continue;
      // The chain's root must be this variable (not a shadowing name of the same text).
      let root: ts.Expression = unwrapExpression(entry.call.expression);
      while (isPropertyAccessExpression(root) || isCallExpression(root)) root = unwrapExpression(root.expression);
      if (!isIdentifier(root) || declarationOf(root) !== variable) continue;
      calls.push(entry.call);
    }
    return calls;
  }
}

function joinPaths(prefix: string, path: string): string {
  if (!path || (path === "/" && prefix)) return prefix;
  if (!prefix) return path;
  return prefix.replace(/\/+$/, "") + (path.startsWith("/") ? path : `/${path}`);
}
