import ts from "typescript";
import { relativePath } from "../../fs";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { isBareSpecifier, joinRoute, printNode, rootImport, spanOf, truncate, type FunctionRef, propertyInitializer } from "../syntax";
import { useServerModule } from "./frameworks";
import { firstAnswer } from "../values";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const {
  isArrayLiteralExpression,
  isCallExpression,
  isIdentifier,
  isMethodDeclaration,
  isObjectLiteralExpression,
  isSpreadElement,
  isStringLiteralLike,
} = ts;

const REDWOOD = "RedwoodSDK";
/** The package's names over its history: `@redwoodjs/sdk`, then `redwoodsdk`, now `rwsdk`. */
const ROUTER_MODULES = new Set(["rwsdk/router", "@redwoodjs/sdk/router", "redwoodsdk/router"]);
const WORKER_MODULES = new Set(["rwsdk/worker", "@redwoodjs/sdk/worker", "redwoodsdk/worker"]);
const MAX_DEPTH = 10;

/** What runs before the routes after it: a function, or why a middleware entry could not be read. */
type Step = FunctionRef | { readonly unresolved: string };
const functionsOf = (steps: readonly Step[]): FunctionRef[] => steps.filter((s): s is FunctionRef => "fn" in s);
const unresolvedOf = (steps: readonly Step[]): string | undefined =>
  steps.map((s) => ("unresolved" in s ? s.unresolved : undefined)).find((u) => u !== undefined);

interface Entry {
  readonly expression: ts.Expression;
  readonly module: ModuleFacts;
}

/**
 * RedwoodSDK: `export default defineApp([middleware..., render(Document, [route("/", Page), prefix("/api",
 * apiRoutes)])])`. The array runs in order for each request: its functions are middleware, run
 * before the routes after them; each route is a path whose handler is a function, a React Server
 * Component page (the async components it renders are the walk's: see ComponentTree), a list
 * `[interrupter..., handler]` run in order, or `{ get, post }` by method. Every exported function
 * of a `"use server"` module the Worker reads is its own endpoint (a server action, after the
 * middleware).
 */
/** Where a route list is read: under which path prefix, as pages or not, after which middleware; the paths found go to `sites`. */
interface ListScope {
  readonly prefix: string;
  readonly page: boolean;
  /** Grows as the list is read: middleware runs before the routes after it. */
  readonly middleware: Step[];
  readonly sites: HandlerSite[];
  readonly form: string;
}

export class RedwoodAdapter implements HandlerAdapter {
  readonly name = "RedwoodSDK: defineApp, route, render, prefix, layout, server actions";

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value)) return undefined;
    const root = rootImport(value.expression, module);
    if (!root || !WORKER_MODULES.has(root.module) || root.name !== "defineApp") return undefined;
    const form = `${context.form} defineApp`;
    const sites: HandlerSite[] = [];
    const middleware: Step[] = [];
    const list = value.arguments[0];
    if (!list || !this.entries(list, module, 0, { prefix: "", page: false, middleware, sites, form }))
      return [
        {
          kind: "fetch",
          form,
          module,
          span: spanOf(value.expression),
          functions: [],
          opaque: `${REDWOOD}: the routes given to defineApp (${list ? truncate(printNode(list)) : "none"}) could not be resolved`,
        },
      ];
    // Server actions: each exported function of a "use server" module is reached by its own request.
    // Those modules are found among all the Worker's modules: a walk that reads them is not kept.
    this.ctx.walker.cutWalk();
    for (const actions of [...this.ctx.loader.modules.values()]) {
      if (!useServerModule(actions)) continue;
      for (const [name, binding] of actions.exports) {
        if (name === "default" || binding.reexport) continue;
        const fn =
          binding.declaration && ts.isFunctionDeclaration(binding.declaration)
            ? { fn: binding.declaration, module: actions }
            : binding.local
              ? this.ctx.values.functionFrom(ts.factory.createIdentifier(binding.local), actions)
              : undefined;
        if (!fn) continue;
        sites.push({
          kind: "fetch",
          form: `${REDWOOD} server action`,
          module: actions,
          span: fn.fn.name ? spanOf(fn.fn.name) : spanOf(fn.fn),
          functions: [...functionsOf(middleware), fn],
          route: `POST server action ${name} (${relativePath(this.ctx.input.projectRoot, actions.path)})`,
          ...(unresolvedOf(middleware) ? { opaque: unresolvedOf(middleware)! } : {}),
        });
      }
    }
    if (sites.length === 0)
      return [
        {
          kind: "fetch",
          form,
          module,
          span: spanOf(value.expression),
          functions: functionsOf(middleware),
          ...(unresolvedOf(middleware) ? { opaque: unresolvedOf(middleware)! } : {}),
        },
      ];
    return sites;
  }

  /**
   * The entries of a route list, in order: middleware functions (added to `middleware`, which the
   * routes after them run first), routes, and nested lists. False when the list cannot be read.
   */
  private entries(expression: ts.Expression, module: ModuleFacts, depth: number, scope: ListScope): boolean {
    if (depth > MAX_DEPTH) return false;
    const list = this.list(expression, module, 0);
    if (!list) return false;
    for (const entry of list) this.entry(entry, depth, scope);
    return true;
  }

  /** An array literal, inline or in a constant (`export const userRoutes = [...]`), with spreads flattened. */
  private list(expression: ts.Expression, module: ModuleFacts, depth: number): Entry[] | undefined {
    if (depth > 4) return undefined;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.list(source.expression, source.module, depth + 1));
    }
    if (!isArrayLiteralExpression(value)) return undefined;
    const entries: Entry[] = [];
    for (const element of value.elements) {
      if (isSpreadElement(element)) entries.push(...(this.list(element.expression, module, depth + 1) ?? []));
      else entries.push({ expression: element, module });
    }
    return entries;
  }

  private entry({ expression, module }: Entry, depth: number, scope: ListScope): void {
    const { prefix, middleware } = scope;
    const value = unwrapExpression(expression);
    // `const health = route("/health", ...)` listed by name: the route it holds.
    if (isIdentifier(value) && depth <= MAX_DEPTH)
      for (const source of this.ctx.values.valuesOf(value, module)) {
        const held = unwrapExpression(source.expression);
        const from = isCallExpression(held) ? rootImport(held.expression, source.module) : undefined;
        if (from && ROUTER_MODULES.has(from.module)) return this.entry({ expression: held, module: source.module }, depth + 1, scope);
      }
    const root = isCallExpression(value) ? rootImport(value.expression, module) : undefined;
    if (isCallExpression(value) && root && ROUTER_MODULES.has(root.module)) {
      const args = value.arguments;
      const text = (arg: ts.Expression | undefined): string | undefined => {
        const inner = arg ? unwrapExpression(arg) : undefined;
        return inner && isStringLiteralLike(inner) ? inner.text : undefined;
      };
      switch (root.name) {
        case "route":
          this.route(joinRoute(prefix || "/", text(args[0]) ?? "*"), args[1], module, scope, spanOf(value.expression));
          return;
        case "index":
          this.route(joinRoute(prefix || "/", "/"), args[0], module, scope, spanOf(value.expression));
          return;
        case "render":
        case "layout":
          // render(Document, routes) / layout(Layout, routes): the routes inside, rendered as pages.
          if (args[1]) this.nested(args[1], module, depth, { ...scope, page: true }, value);
          return;
        case "prefix":
          if (args[1]) this.nested(args[1], module, depth, { ...scope, prefix: joinRoute(prefix || "/", text(args[0]) ?? "*") }, value);
          return;
        default:
          return; // `except(...)` and the like: error handling, not a path
      }
    }
    // Middleware: a function, or what a project factory returns (`setCommonHeaders()`). A package's
    // middleware runs nothing of the project's; the project's own that cannot be read is unknown.
    const fn = isCallExpression(value) ? this.returnedFunction(value, module) : this.ctx.values.functionFrom(value, module);
    if (fn) middleware.push(fn);
    else if (!this.fromPackage(value, module))
      middleware.push({
        unresolved: `${REDWOOD}: the middleware ${truncate(printNode(value))} could not be resolved, and it runs before the routes after it`,
      });
  }

  private nested(list: ts.Expression, module: ModuleFacts, depth: number, scope: ListScope, at: ts.CallExpression): void {
    const { prefix, middleware, sites, form } = scope;
    // Middleware inside a nested list applies to the routes after it in that list only.
    if (!this.entries(list, module, depth + 1, { ...scope, middleware: [...middleware] }))
      sites.push({
        kind: "fetch",
        form,
        module,
        span: spanOf(at.expression),
        functions: functionsOf(middleware),
        route: `ALL ${joinRoute(prefix || "/", "*")}`,
        opaque: `${REDWOOD}: the routes ${truncate(printNode(list))} could not be resolved`,
      });
  }

  private route(
    path: string,
    handler: ts.Expression | undefined,
    module: ModuleFacts,
    { page, middleware, sites, form }: ListScope,
    span: { start: number; end: number },
  ): void {
    const verb = page ? "GET" : "ALL";
    const push = (routeVerb: string, functions: FunctionRef[], own?: string): void => {
      const opaque = own ?? unresolvedOf(middleware);
      sites.push({
        kind: "fetch",
        form: `${form}, ${page ? "page" : "route"}`,
        module,
        span,
        functions: [...functionsOf(middleware), ...functions],
        route: `${routeVerb} ${path}`,
        ...(opaque ? { opaque } : {}),
      });
    };
    if (!handler) return push(verb, [], `${REDWOOD}: route ${path} has no handler`);
    const value = unwrapExpression(handler);
    // `{ get: fn, post: fn }`: one path per method.
    const object = isObjectLiteralExpression(value) ? value : undefined;
    if (object) {
      for (const p of object.properties) {
        if (!p.name || !(isIdentifier(p.name) || isStringLiteralLike(p.name))) continue;
        const method = p.name.text.toUpperCase();
        if (method === "CONFIG") continue;
        const held = propertyInitializer(p);
        const fn = isMethodDeclaration(p)
          ? { fn: p as ts.FunctionLikeDeclaration, module }
          : held
            ? this.ctx.values.functionFrom(held, module)
            : undefined;
        push(method, fn ? [fn] : [], fn ? undefined : `${REDWOOD}: the ${method} handler of ${path} could not be resolved`);
      }
      return;
    }
    // `[interrupter..., handler]`: each in turn; an interrupter that returns a response ends the request.
    const list = this.list(value, module, 0);
    const parts = list ?? [{ expression: value, module }];
    const functions: FunctionRef[] = [];
    const unresolved: string[] = [];
    for (const part of parts) {
      const fn = this.ctx.values.functionFrom(part.expression, part.module);
      if (fn) functions.push(fn);
      else unresolved.push(truncate(printNode(part.expression)));
    }
    push(
      verb,
      functions,
      unresolved.length > 0 ? `${REDWOOD}: the handler ${unresolved.join(", ")} of ${path} could not be resolved` : undefined,
    );
  }

  /** Whether a value comes from a package the analyser does not read (`import { cors } from "some-lib"`). */
  private fromPackage(value: ts.Expression, module: ModuleFacts): boolean {
    const root = rootImport(value, module);
    // `@/app/...`, `~/...`, `#app/...` are the project's own aliases, not packages.
    const alias = root !== undefined && /^(@\/|~\/|#)/.test(root.module);
    return root !== undefined && !alias && isBareSpecifier(root.module) && this.ctx.loader.moduleFor(root.module, module) === undefined;
  }

  /** The function a project factory returns (`setCommonHeaders()` returning `({ headers }) => ...`). */
  private returnedFunction(call: ts.CallExpression, module: ModuleFacts): FunctionRef | undefined {
    const factory = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
    if (!factory) return undefined;
    return firstAnswer(this.ctx.values.returnedValues(factory.fn, factory.module), (returned) =>
      this.ctx.values.functionFrom(returned.expression, returned.module),
    );
  }
}
