import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { joinRoute, printNode, propertyInitializer, rootImport, spanOf, truncate, type FunctionRef } from "../syntax";
import { firstAnswer, type ValueRef } from "../values";
import type { HandlerAdapter, HandlerSite } from "./types";

const { isCallExpression, isIdentifier, isNewExpression, isObjectLiteralExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

const MAX_DEPTH = 12;
/** The request handlers of oRPC's fetch adapters, by the module they are imported from. */
const HANDLER_CLASSES: Readonly<Record<string, string>> = {
  "@orpc/server/fetch": "RPCHandler",
  "@orpc/openapi/fetch": "OpenAPIHandler",
};

interface Procedure {
  readonly middleware: FunctionRef[];
  readonly resolver?: FunctionRef;
  /** `.route({ method, path })`: how the OpenAPI handler serves it. */
  readonly method?: string;
  readonly path?: string;
  readonly opaque?: string;
}

/**
 * oRPC: `handler.handle(request, { prefix, context })` on `new RPCHandler(router)` (`@orpc/server/fetch`)
 * or `new OpenAPIHandler(router)` (`@orpc/openapi/fetch`) runs one procedure of the router. A router is
 * an object tree of procedures (or `os.router({...})`, `implement(contract).router({...})`); a procedure
 * is a builder chain ending in `.handler(fn)`, whose `.use(mw)` middleware (those of a reusable builder
 * it starts from first) run before it. The `context` given to `handle` is the procedures' and
 * middleware's `context`, with what a middleware adds through `next({ context })`.
 */
export class OrpcAdapter implements HandlerAdapter {
  readonly name = "oRPC: RPCHandler, OpenAPIHandler";

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(): HandlerSite[] | undefined {
    return undefined;
  }

  /** `handler.handle(request, { prefix, context })`: the procedures the request may reach. */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "handle" || call.arguments.length === 0) return undefined;
    if (!this.projectUsesOrpc()) return undefined;
    const made = this.handlerOf(callee.expression, module, 0);
    if (!made) return undefined;
    const opaque = (why: string): HandlerSite[] => [
      { kind: "fetch", form: `oRPC ${made.kind}`, module, span: spanOf(call), functions: [], opaque: `oRPC: ${why}` },
    ];
    const routerValue = made.call.arguments?.[0];
    if (!routerValue) return opaque(`new ${made.kind}(...) is given no router`);
    const options = call.arguments[1] ? this.ctx.values.heldObjectLiteral(call.arguments[1], module, 0, 4) : undefined;
    const option = (name: string): ts.Expression | undefined => {
      for (const property of options?.object.properties ?? []) {
        if (!property.name || !(isIdentifier(property.name) || isStringLiteralLike(property.name)) || property.name.text !== name) continue;
        return propertyInitializer(property);
      }
      return undefined;
    };
    const prefixValue = option("prefix");
    const prefix = prefixValue ? (this.ctx.values.evaluateString(prefixValue, 0) ?? "*") : "/";
    const contextValue = option("context");
    const context: ValueRef[] = contextValue && options ? [{ expression: contextValue, module: options.module }] : [];
    const procedures: HandlerSite[] = [];
    if (!this.routerProcedures(routerValue, made.module, [], 0, procedures, made.kind, prefix, context))
      return opaque(`the router ${truncate(printNode(routerValue))} could not be resolved: its procedures are the request paths`);
    if (procedures.length === 0) return opaque(`the router ${truncate(printNode(routerValue))} has no procedures the analyser can see`);
    return procedures;
  }

  private usesOrpc: boolean | undefined;

  /** Whether a module of the Worker imports one of oRPC's fetch adapters (most `handle` calls are not oRPC's). */
  private projectUsesOrpc(): boolean {
    // Only a yes is kept: modules are loaded as the walk reaches them.
    if (!this.usesOrpc)
      this.usesOrpc = [...this.ctx.loader.modules.values()].some((m) =>
        [...m.imports.values()].some((i) => Object.hasOwn(HANDLER_CLASSES, i.module)),
      );
    return this.usesOrpc;
  }

  /** `new RPCHandler(router)` held by the receiver of `handle`. */
  private handlerOf(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { call: ts.NewExpression; module: ModuleFacts; kind: string } | undefined {
    if (depth > 6) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      return root && HANDLER_CLASSES[root.module] === root.name ? { call: value, module, kind: root.name } : undefined;
    }
    if (!isIdentifier(value) && !isPropertyAccessExpression(value)) return undefined;
    const sources = isIdentifier(value) ? this.ctx.values.valuesOf(value, module) : this.ctx.values.fieldValues(value, module);
    return firstAnswer(sources, (source) => this.handlerOf(source.expression, source.module, depth + 1));
  }

  /** A function: inline, named, or made by `os.middleware(fn)`. */
  private functionOf(expression: ts.Expression, module: ModuleFacts, depth: number): FunctionRef | undefined {
    if (depth > 4) return undefined;
    const value = unwrapExpression(expression);
    const direct = this.ctx.values.functionFrom(value, module);
    if (direct) return direct;
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      if (isPropertyAccessExpression(callee) && callee.name.text === "middleware" && value.arguments[0])
        return this.functionOf(value.arguments[0], module, depth + 1);
      return undefined;
    }
    if (isIdentifier(value))
      return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.functionOf(source.expression, source.module, depth + 1));
    return undefined;
  }

  /**
   * Adds the procedures of a router to `out`; false when the value is not a router the analyser can
   * read: an object of procedures and routers, `os.router({...})` (any call given one), or a name holding one.
   */
  private routerProcedures(
    expression: ts.Expression,
    module: ModuleFacts,
    path: readonly string[],
    depth: number,
    out: HandlerSite[],
    kind: string,
    prefix: string,
    context: readonly ValueRef[],
  ): boolean {
    if (depth > MAX_DEPTH) return false;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      for (const source of this.ctx.values.valuesOf(value, module))
        if (this.routerProcedures(source.expression, source.module, path, depth + 1, out, kind, prefix, context)) return true;
      return false;
    }
    if (isObjectLiteralExpression(value)) {
      this.record(value, module, path, depth, out, kind, prefix, context);
      return true;
    }
    if (!isCallExpression(value)) return false;
    const first = value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
    if (first && (isObjectLiteralExpression(first) || isIdentifier(first)))
      return this.routerProcedures(first, module, path, depth + 1, out, kind, prefix, context);
    return false;
  }

  private record(
    object: ts.ObjectLiteralExpression,
    module: ModuleFacts,
    path: readonly string[],
    depth: number,
    out: HandlerSite[],
    kind: string,
    prefix: string,
    context: readonly ValueRef[],
  ): void {
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property)) {
        this.routerProcedures(property.expression, module, path, depth + 1, out, kind, prefix, context);
        continue;
      }
      const key = property.name;
      const name = key && (isIdentifier(key) || isStringLiteralLike(key)) ? key.text : undefined;
      const value = propertyInitializer(property);
      if (name === undefined || !value) continue;
      const at = [...path, name];
      const procedure = this.procedureOf(value, module, 0);
      if (procedure) {
        this.noteContext(context, procedure);
        const route =
          kind === "OpenAPIHandler" && procedure.path
            ? `${procedure.method ?? "POST"} ${joinRoute(prefix, procedure.path)}`
            : `POST ${joinRoute(prefix, at.join("/"))}`;
        out.push({
          kind: "fetch",
          form: `oRPC procedure`,
          module,
          span: spanOf(key),
          functions: [...procedure.middleware, ...(procedure.resolver ? [procedure.resolver] : [])],
          route,
          ...(procedure.resolver ? {} : { opaque: `oRPC: the handler of procedure ${at.join(".")} could not be resolved` }),
          ...(procedure.opaque ? { opaque: procedure.opaque } : {}),
        });
        continue;
      }
      if (!this.routerProcedures(value, module, at, depth + 1, out, kind, prefix, context))
        out.push({
          kind: "fetch",
          form: "oRPC",
          module,
          span: spanOf(key),
          functions: [],
          route: `ALL ${joinRoute(prefix, at.join("/"))}/*`,
          opaque: `oRPC: ${at.join(".")} (${truncate(printNode(value))}) is neither a procedure nor a router the analyser can read`,
        });
    }
  }

  /** What the middleware and the handler receive as `context`: what `handle` is given, and what middleware pass `next`. */
  private noteContext(context: readonly ValueRef[], procedure: Procedure): void {
    const values: ValueRef[] = [...context];
    const functions = [...procedure.middleware, ...(procedure.resolver ? [procedure.resolver] : [])];
    for (const fn of functions) {
      const parameter = fn.fn.parameters[0];
      if (parameter && ts.isObjectBindingPattern(parameter.name)) this.ctx.values.noteFrameworkArgument(parameter, "context", [...values]);
      values.push(...nextContexts(fn));
    }
  }

  /** `os.use(mw).input(schema).handler(fn)`, here or through a name. */
  private procedureOf(expression: ts.Expression, module: ModuleFacts, depth: number): Procedure | undefined {
    if (depth > 4) return undefined;
    const value = unwrapExpression(expression);
    if (isIdentifier(value))
      return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.procedureOf(source.expression, source.module, depth + 1),
      );
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "handler" || !value.arguments[0]) return undefined;
    if (!this.fromOrpc(callee.expression, module, 0)) return undefined;
    const resolver = this.functionOf(value.arguments[0], module, 0);
    const chain = this.chainOf(callee.expression, module, 0);
    return { ...chain, ...(resolver ? { resolver } : {}) };
  }

  /** Whether a builder chain starts from an import of an `@orpc/` package (`os`, `implement(contract)`), through names. */
  private fromOrpc(expression: ts.Expression, module: ModuleFacts, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const root = rootImport(expression, module);
    if (root) return root.module.startsWith("@orpc/");
    let value = unwrapExpression(expression);
    while (isCallExpression(value) || isPropertyAccessExpression(value)) value = unwrapExpression(value.expression);
    if (!isIdentifier(value)) return false;
    return this.ctx.values.valuesOf(value, module).some((source) => this.fromOrpc(source.expression, source.module, depth + 1));
  }

  /** The middleware of a builder chain, outermost first, and its `.route({ method, path })`. */
  private chainOf(expression: ts.Expression, module: ModuleFacts, depth: number): Omit<Procedure, "resolver"> {
    if (depth > MAX_DEPTH) return { middleware: [] };
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      for (const source of this.ctx.values.valuesOf(value, module)) {
        const inner = unwrapExpression(source.expression);
        if (isCallExpression(inner) || isPropertyAccessExpression(inner) || isIdentifier(inner))
          return this.chainOf(inner, source.module, depth + 1);
      }
      return { middleware: [] };
    }
    if (isPropertyAccessExpression(value)) return this.chainOf(value.expression, module, depth + 1);
    if (!isCallExpression(value)) return { middleware: [] };
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee)) return { middleware: [] };
    const earlier = this.chainOf(callee.expression, module, depth + 1);
    const arg = value.arguments[0];
    if (callee.name.text === "route" && arg) {
      const route = this.ctx.values.heldObjectLiteral(arg, module, 0, 4);
      const read = (name: string): string | undefined => {
        for (const p of route?.object.properties ?? []) {
          if (!p.name || !isIdentifier(p.name) || p.name.text !== name) continue;
          const held = propertyInitializer(p);
          return held ? this.ctx.values.evaluateString(held, 0) : undefined;
        }
        return undefined;
      };
      const method = read("method");
      const path = read("path");
      return { ...earlier, ...(method ? { method } : {}), ...(path ? { path } : {}) };
    }
    if (callee.name.text !== "use") return earlier;
    const fn = arg ? this.functionOf(arg, module, 0) : undefined;
    if (fn) return { ...earlier, middleware: [...earlier.middleware, fn] };
    return { ...earlier, opaque: earlier.opaque ?? `oRPC: the middleware ${arg ? truncate(printNode(arg)) : "?"} could not be resolved` };
  }
}

/** `next({ context: { user } })` inside a middleware: the objects it adds to the context. */
function nextContexts(ref: FunctionRef): ValueRef[] {
  const found: ValueRef[] = [];
  const visit = (node: ts.Node): void => {
    if (isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
      const arg = node.arguments[0] ? unwrapExpression(node.arguments[0]) : undefined;
      if (name === "next" && arg && isObjectLiteralExpression(arg))
        for (const p of arg.properties)
          if (ts.isPropertyAssignment(p) && isIdentifier(p.name) && p.name.text === "context")
            found.push({ expression: p.initializer, module: ref.module });
    }
    ts.forEachChild(node, visit);
  };
  if (ref.fn.body) visit(ref.fn.body);
  return found;
}
