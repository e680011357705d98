import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { printNode, propertyInitializer, spanOf, truncate, type FunctionRef } from "../syntax";
import { firstAnswer } from "../values";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const { isArrayLiteralExpression, isCallExpression, isIdentifier, isPropertyAccessExpression, isStringLiteralLike } = ts;

const MAX_DEPTH = 8;
/** What makes a service definition: `restate.service({ name, handlers })`, `object(...)`, `workflow(...)`. */
const DEFINITIONS = new Set(["service", "object", "workflow"]);

/** Whether a module specifier is one of Restate's TypeScript SDKs (`@restatedev/restate-sdk-cloudflare-workers/fetch`, ...). */
export function isRestateModule(name: string): boolean {
  return name === "@restatedev/restate-sdk" || name.startsWith("@restatedev/restate-sdk/") || name.startsWith("@restatedev/restate-sdk-");
}

function nameOf(property: ts.ObjectLiteralElementLike): string | undefined {
  return property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
}

/** The Restate SDK member a callee names: `createEndpointHandler` imported by name, or `restate.service` on a namespace. */
export function restateMember(callee: ts.Expression, module: ModuleFacts): string | undefined {
  const value = unwrapExpression(callee);
  if (isIdentifier(value)) {
    const imported = module.imports.get(value.text);
    return imported && isRestateModule(imported.module) && imported.name !== "*" ? imported.name : undefined;
  }
  if (isPropertyAccessExpression(value)) {
    const holder = unwrapExpression(value.expression);
    if (!isIdentifier(holder)) return undefined;
    const imported = module.imports.get(holder.text);
    if (!imported || !isRestateModule(imported.module)) return undefined;
    // `restate.handlers.object.shared(...)`: the last name, under the namespace.
    return imported.name === "*" || imported.name === "default" ? value.name.text : undefined;
  }
  return undefined;
}

/**
 * Restate on Workers: `createEndpointHandler({ services: [...] })` (the SDK's `/fetch` entry) answers
 * the invocations the Restate server pushes to the Worker. Each handler of each service, virtual
 * object or workflow it is given (`restate.service({ name, handlers: { process: async (ctx, req) =>
 * ... } })`) is a request path, `POST /<name>/<handler>`. What the handlers do through their context
 * (`ctx.get`/`set` state, `ctx.sleep`, calls through `ctx.objectClient(...)`, the result of
 * `ctx.run`) are journal entries carried in the response, not subrequests: the context is a
 * parameter the SDK passes, whose calls the walk never counts, and a client made on it
 * (`ctx.objectClient(cart, id).lock()`) does not run the other handler here. Code inside
 * `ctx.run(name, fn)` runs in the Worker (the walk runs the callback on the spot), so its own
 * fetches count.
 */
export class RestateAdapter implements HandlerAdapter {
  readonly name = "Restate: createEndpointHandler, service, object, workflow";
  private readonly byCall = new Map<ts.Node, HandlerSite[]>();

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value) || restateMember(value.expression, module) !== "createEndpointHandler") return undefined;
    return this.served(value, module, `${context.form} Restate endpoint`);
  }

  /** `restateHandler(request, env, ctx)` inside the Worker's own fetch: the services of the endpoint it holds. */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isIdentifier(callee)) return undefined;
    const made = this.endpointCall(callee, module, 0);
    return made ? this.served(made.call, made.module, "Restate endpoint") : undefined;
  }

  private endpointCall(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { call: ts.CallExpression; module: ModuleFacts } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isCallExpression(value))
      return restateMember(value.expression, module) === "createEndpointHandler" ? { call: value, module } : undefined;
    if (!isIdentifier(value)) return undefined;
    // (Only a name of a module that imports the SDK can hold one: other calls are not looked into.)
    if (![...module.imports.values()].some((i) => isRestateModule(i.module)) && !module.imports.has(value.text)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (s) => this.endpointCall(s.expression, s.module, depth + 1));
  }

  private served(call: ts.CallExpression, module: ModuleFacts, form: string): HandlerSite[] {
    const cached = this.byCall.get(call);
    if (cached) return cached;
    const sites = this.compute(call, module, form);
    this.byCall.set(call, sites);
    return sites;
  }

  private compute(call: ts.CallExpression, module: ModuleFacts, form: string): HandlerSite[] {
    const opaque = (why: string): HandlerSite[] => [
      { kind: "fetch", form, module, span: spanOf(call), functions: [], route: "POST /*", opaque: `Restate: ${why}` },
    ];
    const options = this.ctx.values.heldObjectLiteral(call.arguments[0], module, 0, MAX_DEPTH);
    const services = options ? this.option(options.object, "services") : undefined;
    const list = services ? unwrapExpression(services) : undefined;
    if (!options || !list || !isArrayLiteralExpression(list))
      return opaque(
        `the services given to ${truncate(printNode(call.expression))}(...) could not be resolved: their handlers are the request paths`,
      );
    const sites: HandlerSite[] = [];
    for (const element of list.elements) {
      const definition = this.definitionOf(element, options.module, 0);
      if (!definition) return opaque(`the service ${truncate(printNode(element))} could not be resolved: its handlers are request paths`);
      const name = this.option(definition.object, "name");
      const serviceName = (name ? this.ctx.values.evaluateString(name, 0) : undefined) ?? "*";
      const handlers = this.option(definition.object, "handlers") ?? this.option(definition.object, "run");
      const table = handlers ? this.ctx.values.heldObjectLiteral(handlers, definition.module, 0, MAX_DEPTH) : undefined;
      if (!table) return opaque(`the handlers of the service ${serviceName} could not be resolved: they are request paths`);
      for (const property of table.object.properties) {
        const handlerName = nameOf(property) ?? "*";
        const fn = this.handlerFunction(property, table.module);
        if (!fn) return opaque(`the handler ${serviceName}/${handlerName} could not be resolved`);
        sites.push({
          kind: "fetch",
          form: `${form} handler`,
          module: fn.module,
          span: spanOf(property),
          functions: [fn],
          route: `POST /${serviceName}/${handlerName}`,
        });
      }
    }
    return sites.length > 0 ? sites : opaque("the endpoint is given no services the analyser can see");
  }

  /** A handler: a function, or one wrapped with its options (`restate.handlers.object.shared({...}, fn)`). */
  private handlerFunction(property: ts.ObjectLiteralElementLike, module: ModuleFacts): FunctionRef | undefined {
    if (ts.isMethodDeclaration(property)) return { fn: property, module };
    const value = propertyInitializer(property);
    if (!value) return undefined;
    const direct = this.ctx.values.functionFrom(value, module);
    if (direct) return direct;
    const inner = unwrapExpression(value);
    if (isCallExpression(inner) && restateMember(inner.expression, module) !== undefined) {
      const last = inner.arguments[inner.arguments.length - 1];
      return last ? this.ctx.values.functionFrom(last, module) : undefined;
    }
    return undefined;
  }

  /** The options of the `restate.service/object/workflow({...})` call a value holds. */
  private definitionOf(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { object: ts.ObjectLiteralExpression; module: ModuleFacts } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isCallExpression(value)) {
      const member = restateMember(value.expression, module);
      return member && DEFINITIONS.has(member)
        ? this.ctx.values.heldObjectLiteral(value.arguments[0], module, depth + 1, MAX_DEPTH)
        : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (s) => this.definitionOf(s.expression, s.module, depth + 1));
  }

  private option(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
    for (const property of object.properties) {
      if (nameOf(property) !== name) continue;
      if (ts.isShorthandPropertyAssignment(property)) return property.name;
      return propertyInitializer(property);
    }
    return undefined;
  }
}
