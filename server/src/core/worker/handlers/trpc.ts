import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, joinRoute, printNode, rootImport, spanOf, truncate, type FunctionRef, propertyInitializer } from "../syntax";
import { firstAnswer, type ValueRef } from "../values";
import type { HandlerAdapter, HandlerSite } from "./types";

const {
  isCallExpression,
  isIdentifier,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isSpreadAssignment,
  isStringLiteralLike,
} = ts;

const MAX_DEPTH = 12;
/** The calls that end a procedure, and the HTTP method tRPC's fetch adapter takes for each. */
const PROCEDURE_KINDS: Readonly<Record<string, string>> = { query: "GET", mutation: "POST", subscription: "GET" };

/** `fetchRequestHandler` of `@trpc/server/adapters/fetch` (also reached through `@trpc/server/adapters/fetch/...`). */
function isFetchRequestHandler(call: ts.CallExpression, module: ModuleFacts): boolean {
  const root = rootImport(call.expression, module);
  return !!root && root.module.startsWith("@trpc/server/adapters/fetch") && root.name === "fetchRequestHandler";
}

/** `trpcServer({ router, createContext })` of `@hono/trpc-server`: Hono middleware that serves the router. */
export function isHonoTrpcServer(call: ts.CallExpression, module: ModuleFacts): boolean {
  const root = rootImport(call.expression, module);
  return !!root && root.module === "@hono/trpc-server" && root.name === "trpcServer";
}

/**
 * tRPC: each procedure of the router is a request path. For one request, tRPC builds the context
 * (`createContext`), runs the procedure's middleware (`t.procedure.use(...)`, outermost first), then
 * its resolver (`.query(fn)`, `.mutation(fn)`). Routers are followed through nested routers, plain
 * objects of procedures, `mergeRouters(a, b)` and reusable procedures (`protectedProcedure =
 * t.procedure.use(isAuthed)`) in any module. A procedure is `GET endpoint/name` (a query) or
 * `POST endpoint/name` (a mutation), as tRPC's fetch adapter serves them.
 *
 * Met as `fetchRequestHandler({ req, router, createContext })` inside a handler (the walk asks
 * `callSitesOf`), and as Hono middleware `trpcServer({ router, createContext })` (apps.ts asks
 * `middlewareSites`).
 */
export class TrpcAdapter implements HandlerAdapter {
  readonly name = "tRPC: fetchRequestHandler, @hono/trpc-server";
  private readonly byCall = new Map<ts.Node, HandlerSite[]>();
  private readonly trpcModules = new WeakMap<ModuleFacts, boolean>();
  /** Server-side callers by the declaration of the name that holds them, or null (see callerOf), per analysis. */
  private readonly callers = new Map<ts.Node, { router: ValueRef; ctx?: ValueRef } | null>();

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(): HandlerSite[] | undefined {
    return undefined;
  }

  /**
   * `fetchRequestHandler({ ... })`: the procedures the request may reach; `caller.user.get(input)`
   * on a server-side caller: that procedure.
   */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    if (this.importsTrpc(module) && isFetchRequestHandler(call, module)) return this.served(call, module, undefined);
    // `trpcServer({ router, createContext })(c, next)` run inside a Hono middleware of the project
    // (to give createContext `c.env`): the middleware serves the router there.
    const made = unwrapExpression(call.expression);
    if (isCallExpression(made) && isHonoTrpcServer(made, module)) return this.served(made, module, undefined);
    return this.callerSites(call, module);
  }

  /**
   * A server-side caller's procedure: `appRouter.createCaller(ctx)` (tRPC 10), `createCallerFactory(appRouter)(ctx)`
   * or `t.createCallerFactory(appRouter)(ctx)` (10.45, 11) make an object whose `user.get(input)` runs
   * procedure `user.get` in the Worker, with no request: its middleware then its resolver, given
   * the caller's `ctx` (createContext does not run).
   */
  private callerSites(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const path: string[] = [];
    let root = unwrapExpression(call.expression);
    while (isPropertyAccessExpression(root)) {
      path.unshift(root.name.text);
      root = unwrapExpression(root.expression);
    }
    if (path.length === 0 || (!isIdentifier(root) && !isCallExpression(root) && !ts.isAwaitExpression(root))) return undefined;
    const caller = this.callerOf(root, module, 0);
    if (!caller) return undefined;
    const name = path.join(".");
    const opaque = (why: string): HandlerSite[] => [
      { kind: "fetch", form: "tRPC caller", module, span: spanOf(call), functions: [], opaque: `tRPC: ${why}` },
    ];
    const procedures: HandlerSite[] = [];
    const paths = new Map<HandlerSite, string>();
    if (!this.routerProcedures(caller.router.expression, caller.router.module, "", 0, procedures, [], "/", paths))
      return opaque(`the router of the caller ${truncate(printNode(root))} could not be resolved`);
    const site = procedures.find((p) => paths.get(p) === name);
    if (!site) return opaque(`the caller's procedure ${name} is not one the analyser can see in the router`);
    // What the caller was made with is the procedure's `ctx` (a function, as create-t3-app passes
    // `createContext`, runs first at each call and returns it); what it is given, its `input`.
    const factory = caller.ctx ? this.functionOf(caller.ctx.expression, caller.ctx.module, 0) : undefined;
    const ctxValues = factory ? this.ctx.values.returnedValues(factory.fn, factory.module) : caller.ctx ? [caller.ctx] : [];
    const input = call.arguments[0];
    for (const fn of site.functions) {
      const parameter = fn.fn.parameters[0];
      if (!parameter || !ts.isObjectBindingPattern(parameter.name)) continue;
      this.ctx.values.noteFrameworkArgument(parameter, "ctx", ctxValues);
      if (input && fn === site.functions[site.functions.length - 1])
        this.ctx.values.noteFrameworkArgument(parameter, "input", [{ expression: input, module }]);
    }
    return [{ ...site, functions: factory ? [factory, ...site.functions] : site.functions, form: "tRPC caller", route: `CALL ${name}` }];
  }

  /** The router and context a caller was made from: the caller itself, a name holding it, or what a project function returns. */
  private callerOf(expression: ts.Expression, module: ModuleFacts, depth: number): { router: ValueRef; ctx?: ValueRef } | undefined {
    if (depth > 6) return undefined;
    let value = unwrapExpression(expression);
    if (ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isIdentifier(value)) {
      const declaration = declarationOf(value) ?? value;
      const known = this.callers.get(declaration);
      if (known !== undefined) return known ?? undefined;
      this.callers.set(declaration, null);
      let found: { router: ValueRef; ctx?: ValueRef } | undefined;
      for (const source of this.ctx.values.valuesOf(value, module)) {
        found = this.callerOf(source.expression, source.module, depth + 1);
        if (found) break;
      }
      found ??= this.hydrationCaller(value, module, depth);
      this.callers.set(declaration, found ?? null);
      return found;
    }
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    const ctx = value.arguments[0] ? { ctx: { expression: value.arguments[0], module } } : {};
    // `appRouter.createCaller(ctx)`
    if (isPropertyAccessExpression(callee) && callee.name.text === "createCaller")
      return { router: { expression: callee.expression, module }, ...ctx };
    // `createCaller(ctx)` where `createCaller = createCallerFactory(appRouter)`, or the factory called at once.
    const router = this.factoryRouter(callee, module, depth + 1);
    if (router) return { router, ...ctx };
    // A project function that makes the caller (`getCaller()`).
    const factory = isIdentifier(callee) || isPropertyAccessExpression(callee) ? this.ctx.values.calledFunction(callee, module) : undefined;
    return factory
      ? firstAnswer(this.ctx.values.returnedValues(factory.fn, factory.module), (returned) =>
          this.callerOf(returned.expression, returned.module, depth + 1),
        )
      : undefined;
  }

  /**
   * `const { trpc: api } = createHydrationHelpers(caller, getQueryClient)` (`@trpc/react-query/rsc`,
   * as create-t3-app writes it): `api.post.latest()` in a server component calls `caller`.
   */
  private hydrationCaller(name: ts.Identifier, module: ModuleFacts, depth: number): { router: ValueRef; ctx?: ValueRef } | undefined {
    let element: ts.BindingElement | undefined;
    let at = module;
    const declaration = declarationOf(name);
    if (declaration && ts.isBindingElement(declaration)) element = declaration;
    else if (!declaration) {
      const imported = module.imports.get(name.text);
      const target = imported ? this.ctx.loader.moduleFor(imported.module, module) : undefined;
      const found = imported && target ? this.ctx.values.exportOf(imported.name, target) : undefined;
      element = found?.binding.element;
      if (found) at = found.module;
    }
    const key = element ? (element.propertyName ?? element.name) : undefined;
    const holder = element?.parent.parent;
    if (!key || !isIdentifier(key) || key.text !== "trpc" || !holder || !ts.isVariableDeclaration(holder) || !holder.initializer)
      return undefined;
    const call = unwrapExpression(holder.initializer);
    if (!isCallExpression(call) || !call.arguments[0]) return undefined;
    const root = rootImport(call.expression, at);
    if (!root || root.name !== "createHydrationHelpers") return undefined;
    return this.callerOf(call.arguments[0], at, depth + 1);
  }

  /** The router given to `createCallerFactory(router)` (`t.createCallerFactory`), inline or through a name. */
  private factoryRouter(expression: ts.Expression, module: ModuleFacts, depth: number): ValueRef | undefined {
    if (depth > 6) return undefined;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      // Only names of variables: a function declaration named createCaller is the project's own.
      const declaration = declarationOf(value);
      if (declaration && !ts.isVariableDeclaration(declaration)) return undefined;
      return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.factoryRouter(source.expression, source.module, depth + 1),
      );
    }
    if (!isCallExpression(value) || !value.arguments[0]) return undefined;
    const callee = unwrapExpression(value.expression);
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
    return name === "createCallerFactory" ? { expression: value.arguments[0], module } : undefined;
  }

  /** `trpcServer({ ... })` registered with `app.use(pattern, ...)`: the procedures under the pattern. */
  middlewareSites(call: ts.CallExpression, module: ModuleFacts, pattern: string | null): HandlerSite[] | undefined {
    if (!isHonoTrpcServer(call, module)) return undefined;
    return this.served(call, module, pattern === null ? undefined : pattern.replace(/\/?\*$/, "") || "/");
  }

  /** Whether a module imports tRPC's fetch adapter (most modules do not: asked once each). */
  private importsTrpc(module: ModuleFacts): boolean {
    let known = this.trpcModules.get(module);
    if (known === undefined) {
      known = [...module.imports.values()].some((i) => i.module.startsWith("@trpc/server/adapters/fetch"));
      this.trpcModules.set(module, known);
    }
    return known;
  }

  private served(call: ts.CallExpression, module: ModuleFacts, mountedAt: string | undefined): HandlerSite[] {
    const cached = this.byCall.get(call);
    if (cached) return cached;
    const sites = this.compute(call, module, mountedAt);
    this.byCall.set(call, sites);
    return sites;
  }

  private compute(call: ts.CallExpression, module: ModuleFacts, mountedAt: string | undefined): HandlerSite[] {
    const options = this.ctx.values.heldObjectLiteral(call.arguments[0], module, 0, 4);
    const opaque = (why: string): HandlerSite[] => [
      { kind: "fetch", form: "tRPC", module, span: spanOf(call), functions: [], opaque: `tRPC: ${why}` },
    ];
    if (!options) return opaque(`the options of ${truncate(printNode(call.expression))}(...) could not be resolved`);
    const option = (name: string): ts.Expression | undefined => {
      for (const property of options.object.properties) {
        if (!property.name || !(isIdentifier(property.name) || isStringLiteralLike(property.name)) || property.name.text !== name) continue;
        return propertyInitializer(property);
      }
      return undefined;
    };
    const endpointValue = option("endpoint");
    const endpoint =
      (endpointValue ? this.ctx.values.evaluateString(endpointValue, 0) : undefined) ?? mountedAt ?? (endpointValue ? "*" : "/trpc");
    const routerValue = option("router");
    if (!routerValue) return opaque(`${truncate(printNode(call.expression))}(...) is given no router`);
    // createContext runs first for every procedure: a function, or what a project factory returns.
    const contextProperty = options.object.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === "createContext");
    const contextFunctions: FunctionRef[] = [];
    let contextOpaque: string | undefined;
    if (contextProperty && ts.isMethodDeclaration(contextProperty)) contextFunctions.push({ fn: contextProperty, module: options.module });
    else {
      const value = option("createContext");
      if (value) {
        const fn = this.functionOf(value, options.module, 0);
        if (fn) contextFunctions.push(fn);
        else
          contextOpaque = `tRPC: createContext (${truncate(printNode(value))}) could not be resolved, and it runs before every procedure`;
      }
    }
    const procedures: HandlerSite[] = [];
    const found = this.routerProcedures(routerValue, options.module, "", 0, procedures, contextFunctions, endpoint);
    if (!found) return opaque(`the router ${truncate(printNode(routerValue))} could not be resolved: its procedures are the request paths`);
    if (procedures.length === 0) return opaque(`the router ${truncate(printNode(routerValue))} has no procedures the analyser can see`);
    return contextOpaque ? procedures.map((p) => ({ ...p, opaque: p.opaque ?? contextOpaque })) : procedures;
  }

  /** A function: inline, named, made by a wrapper call (`t.middleware(fn)`), or returned by a project factory. */
  private functionOf(expression: ts.Expression, module: ModuleFacts, depth: number): FunctionRef | undefined {
    if (depth > 4) return undefined;
    const value = unwrapExpression(expression);
    const direct = this.ctx.values.functionFrom(value, module);
    if (direct) return direct;
    if (isCallExpression(value)) {
      const factory = this.ctx.values.calledFunction(unwrapExpression(value.expression), module);
      if (factory) {
        this.ctx.values.noteArguments(factory, value.arguments, module);
        const fn = firstAnswer(this.ctx.values.returnedValues(factory.fn, factory.module), (returned) =>
          this.functionOf(returned.expression, returned.module, depth + 1),
        );
        if (fn) return fn;
      }
      return undefined;
    }
    if (isIdentifier(value)) {
      const fn = firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.functionOf(source.expression, source.module, depth + 1),
      );
      if (fn) return fn;
    }
    return undefined;
  }

  /**
   * Adds the procedures of a router to `out`; false when the value is not a router the analyser
   * can read. A router is `t.router({...})` (any callee given an object of procedures),
   * `mergeRouters(a, b)`, a plain object of procedures (tRPC v11), or a name holding one.
   */
  private routerProcedures(
    expression: ts.Expression,
    module: ModuleFacts,
    prefix: string,
    depth: number,
    out: HandlerSite[],
    context: readonly FunctionRef[],
    endpoint: string,
    paths?: Map<HandlerSite, string>,
  ): boolean {
    if (depth > MAX_DEPTH) return false;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      for (const source of this.ctx.values.valuesOf(value, module))
        if (this.routerProcedures(source.expression, source.module, prefix, depth + 1, out, context, endpoint, paths)) return true;
      return false;
    }
    if (isObjectLiteralExpression(value)) {
      this.record(value, module, prefix, depth, out, context, endpoint, paths);
      return true;
    }
    // `router: opts.router` in a helper the project calls with its router (`createBaseServer({ router })`).
    if (isPropertyAccessExpression(value)) {
      for (const source of this.ctx.values.fieldValues(value, module))
        if (this.routerProcedures(source.expression, source.module, prefix, depth + 1, out, context, endpoint)) return true;
      return false;
    }
    if (!isCallExpression(value)) return false;
    const callee = unwrapExpression(value.expression);
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
    if (name === "mergeRouters") {
      let any = false;
      for (const arg of value.arguments) any = this.routerProcedures(arg, module, prefix, depth + 1, out, context, endpoint, paths) || any;
      return any;
    }
    const first = value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
    if (first && isObjectLiteralExpression(first)) {
      this.record(first, module, prefix, depth, out, context, endpoint, paths);
      return true;
    }
    // A project function that returns a router (`createAppRouter()`).
    const factory = this.ctx.values.calledFunction(callee, module);
    if (factory) {
      for (const returned of this.ctx.values.returnedValues(factory.fn, factory.module))
        if (this.routerProcedures(returned.expression, returned.module, prefix, depth + 1, out, context, endpoint, paths)) return true;
    }
    return false;
  }

  private record(
    object: ts.ObjectLiteralExpression,
    module: ModuleFacts,
    prefix: string,
    depth: number,
    out: HandlerSite[],
    context: readonly FunctionRef[],
    endpoint: string,
    paths?: Map<HandlerSite, string>,
  ): void {
    for (const property of object.properties) {
      // `...procedures()`, `...userRoutes`: the procedures of the object spread in.
      if (isSpreadAssignment(property)) {
        if (!this.routerProcedures(property.expression, module, prefix, depth + 1, out, context, endpoint))
          out.push({
            kind: "fetch",
            form: "tRPC",
            module,
            span: spanOf(property),
            functions: [...context],
            route: `ALL ${joinRoute(endpoint, prefix ? `${prefix}.*` : "*")}`,
            opaque: `tRPC: the procedures spread in by ...${truncate(printNode(property.expression))} could not be resolved`,
          });
        continue;
      }
      const name = this.keyOf(property, module);
      if (name === undefined) continue;
      const value = propertyInitializer(property);
      if (!value) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      const procedure = this.procedureOf(value, module, 0);
      if (procedure) {
        this.noteContext(context, procedure.middleware, procedure.resolver);
        const site: HandlerSite = {
          kind: "fetch",
          form: `tRPC ${procedure.kind}`,
          module,
          span: spanOf(property.name),
          functions: [...context, ...procedure.middleware, ...(procedure.resolver ? [procedure.resolver] : [])],
          route: `${PROCEDURE_KINDS[procedure.kind]} ${joinRoute(endpoint, path)}`,
          ...(procedure.resolver ? {} : { opaque: `tRPC: the resolver of procedure ${path} could not be resolved` }),
          ...(procedure.opaque ? { opaque: procedure.opaque } : {}),
        };
        out.push(site);
        paths?.set(site, path);
        continue;
      }
      if (!this.routerProcedures(value, module, path, depth + 1, out, context, endpoint, paths))
        out.push({
          kind: "fetch",
          form: "tRPC",
          module,
          span: spanOf(property.name),
          functions: [...context],
          route: `ALL ${joinRoute(endpoint, path)}.*`,
          opaque: `tRPC: ${path} (${truncate(printNode(value))}) is neither a procedure nor a router the analyser can read`,
        });
    }
  }

  /** A property's key: a name, a string, or a computed key the analyser can evaluate (`[ping().name]`). */
  private keyOf(property: ts.ObjectLiteralElementLike, module: ModuleFacts): string | undefined {
    const key = property.name;
    if (!key) return undefined;
    if (isIdentifier(key) || isStringLiteralLike(key)) return key.text;
    if (!ts.isComputedPropertyName(key)) return undefined;
    const member = this.returnedMember(key.expression, module);
    const value = member ? unwrapExpression(member.expression) : unwrapExpression(key.expression);
    return isStringLiteralLike(value)
      ? value.text
      : (this.ctx.values.evaluateString(value, 0) ?? `[${truncate(printNode(key.expression))}]`);
  }

  /** `make().procedure`: that property of the object literal a project function returns. */
  private returnedMember(expression: ts.Expression, module: ModuleFacts): ValueRef | undefined {
    const access = unwrapExpression(expression);
    if (!isPropertyAccessExpression(access)) return undefined;
    const call = unwrapExpression(access.expression);
    if (!isCallExpression(call)) return undefined;
    const factory = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
    if (!factory) return undefined;
    for (const returned of this.ctx.values.returnedValues(factory.fn, factory.module)) {
      const literal = unwrapExpression(returned.expression);
      if (!isObjectLiteralExpression(literal)) continue;
      for (const property of literal.properties) {
        if (!property.name || !isIdentifier(property.name) || property.name.text !== access.name.text) continue;
        const held = propertyInitializer(property);
        if (held) return { expression: held, module: returned.module };
      }
    }
    return undefined;
  }

  /**
   * What a procedure's middleware and resolver receive as `ctx`: what createContext returns, and
   * what the middleware before them add with `next({ ctx: {...} })`.
   */
  private noteContext(context: readonly FunctionRef[], middleware: readonly FunctionRef[], resolver: FunctionRef | undefined): void {
    const values: ValueRef[] = context.flatMap((f) => this.ctx.values.returnedValues(f.fn, f.module));
    for (const fn of [...middleware, ...(resolver ? [resolver] : [])]) {
      const parameter = fn.fn.parameters[0];
      if (parameter && ts.isObjectBindingPattern(parameter.name)) this.ctx.values.noteFrameworkArgument(parameter, "ctx", [...values]);
      if (fn === resolver) break;
      values.push(...nextContexts(fn));
    }
  }

  /**
   * `t.procedure.use(mw).input(schema).query(fn)`: its kind, the middleware in the order they run
   * (those of a reusable procedure it starts from first), and its resolver.
   */
  private procedureOf(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { kind: string; middleware: FunctionRef[]; resolver?: FunctionRef; opaque?: string } | undefined {
    if (depth > 4) return undefined;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.procedureOf(source.expression, source.module, depth + 1),
      );
    }
    if (isPropertyAccessExpression(value)) {
      // `ping().procedure`: a procedure a project function returns in an object.
      const member = this.returnedMember(value, module);
      return member ? this.procedureOf(member.expression, member.module, depth + 1) : undefined;
    }
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee) || !Object.hasOwn(PROCEDURE_KINDS, callee.name.text)) {
      // `getProcedure()`: a project function that returns a procedure.
      const factory = this.ctx.values.calledFunction(callee, module);
      if (!factory) return undefined;
      return firstAnswer(this.ctx.values.returnedValues(factory.fn, factory.module), (returned) =>
        this.procedureOf(returned.expression, returned.module, depth + 1),
      );
    }
    const arg = value.arguments[0];
    const resolver = arg ? this.ctx.values.functionFrom(arg, module) : undefined;
    const chain = this.middlewareOf(callee.expression, module, 0);
    return {
      kind: callee.name.text,
      middleware: chain.functions,
      ...(resolver ? { resolver } : {}),
      ...(chain.opaque ? { opaque: chain.opaque } : {}),
    };
  }

  /** The middleware of a procedure builder chain, outermost first. */
  private middlewareOf(expression: ts.Expression, module: ModuleFacts, depth: number): { functions: FunctionRef[]; opaque?: string } {
    if (depth > MAX_DEPTH) return { functions: [] };
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      // A reusable procedure (`protectedProcedure`), here or in another module; `t.procedure` itself runs nothing.
      for (const source of this.ctx.values.valuesOf(value, module)) {
        const inner = unwrapExpression(source.expression);
        if (isCallExpression(inner) || isPropertyAccessExpression(inner) || isIdentifier(inner))
          return this.middlewareOf(inner, source.module, depth + 1);
      }
      return { functions: [] };
    }
    if (!isCallExpression(value)) return { functions: [] };
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee)) return { functions: [] };
    const earlier = this.middlewareOf(callee.expression, module, depth + 1);
    // Only `use` runs code of the project's; `input`, `output`, `meta` validate and describe.
    if (callee.name.text !== "use") return earlier;
    const arg = value.arguments[0];
    const fn = arg ? this.functionOf(arg, module, 0) : undefined;
    if (fn) return { ...earlier, functions: [...earlier.functions, fn] };
    return {
      functions: earlier.functions,
      opaque: earlier.opaque ?? `tRPC: the middleware ${arg ? truncate(printNode(arg)) : "?"} could not be resolved`,
    };
  }
}

/** `next({ ctx: { user } })` inside a middleware: the objects it adds to the context. */
function nextContexts(ref: FunctionRef): ValueRef[] {
  const found: ValueRef[] = [];
  const visit = (node: ts.Node): void => {
    if (isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
      const arg = node.arguments[0] ? unwrapExpression(node.arguments[0]) : undefined;
      if (name === "next" && arg && isObjectLiteralExpression(arg))
        for (const p of arg.properties)
          if (isPropertyAssignment(p) && isIdentifier(p.name) && p.name.text === "ctx")
            found.push({ expression: p.initializer, module: ref.module });
    }
    ts.forEachChild(node, visit);
  };
  if (ref.fn.body) visit(ref.fn.body);
  return found;
}
