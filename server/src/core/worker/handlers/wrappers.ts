import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { calleeText, printNode, rootImport, spanOf, truncate, propertyInitializer } from "../syntax";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const { isCallExpression, isIdentifier, isNewExpression, isObjectLiteralExpression } = ts;

/**
 * Wrappers that are fetch handlers: a call or `new` of a library that is given the Worker's
 * handler(s) and returns a handler. `Sentry.withSentry(options, handler)`, OpenTelemetry's
 * `instrument(handler, config)`, `new OAuthProvider({ apiHandler, defaultHandler })`, and any
 * `withX(handler)`: the handlers it is given (directly, or as values of an options object) are the
 * fetch paths. A wrapper given nothing the analyser can read is a fetch handler whose round trips
 * cannot be seen, said as such. Calls of the project's own functions are not wrappers: discovery
 * follows what they return.
 */
export class WrapperAdapter implements HandlerAdapter {
  readonly name = "wrappers: withSentry, instrument, new OAuthProvider, withX(handler)";

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value) && !isNewExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (isCallExpression(value) && this.ctx.values.calledFunction(callee, module)) return undefined;
    // A binding's method (`env.DISPATCHER.get(name)`, a dispatch namespace's user Worker) makes no
    // handler of this Worker: the call on what it returns is a binding call, classified where it is made.
    if (isCallExpression(value) && this.ctx.values.bindingStubOf(value)) return undefined;
    if (isNewExpression(value) && isIdentifier(callee) && this.ctx.values.classNamed(callee.text, module)) return undefined;
    const text = isCallExpression(value) ? `${calleeText(value)}(...)` : `new ${truncate(printNode(callee))}(...)`;
    const form = `${context.form} wrapped by ${text}`;
    const found: HandlerSite[] = [];
    for (const arg of value.arguments ?? []) {
      const inner = unwrapExpression(arg);
      // An options object: the handlers are among its values (`apiHandler`, `defaultHandler`, ...).
      if (isObjectLiteralExpression(inner) && !hasHandlerMethod(inner)) {
        for (const property of inner.properties) {
          const option = propertyInitializer(property);
          if (!option || isCallExpression(unwrapExpression(option))) continue;
          const name = property.name && isIdentifier(property.name) ? property.name.text : "option";
          found.push(...this.handlerSites(option, module, `${form}, ${name}`, context));
        }
        continue;
      }
      found.push(...this.handlerSites(arg, module, form, context));
    }
    if (found.length > 0) return found;
    const from = rootImport(value.expression, module);
    return [
      {
        kind: "fetch",
        form: `${context.form} ${text}`,
        module,
        span: spanOf(value),
        functions: [],
        opaque: `the fetch handler is made by ${text}${from ? ` from "${from.module}"` : ""}, whose subrequests the analyser cannot see`,
      },
    ];
  }

  /**
   * The handlers a wrapper is given. A wrapped handler without fetch (`withSentry(options, { queue })`)
   * stays one: the wrapper does not make it a fetch handler.
   */
  private handlerSites(expression: ts.Expression, module: ModuleFacts, form: string, context: AdapterContext): HandlerSite[] {
    const value = unwrapExpression(expression);
    if (isCallExpression(value) && !this.ctx.values.calledFunction(unwrapExpression(value.expression), module)) return [];
    return context.discovery.valueSites(value, module, form, context.depth + 1).filter((s) => s.kind !== "durable-object");
  }
}

const HANDLER_KEYS = new Set(["fetch", "scheduled", "queue", "email", "tail", "trace"]);

/** `{ fetch() {...} }`, `{ async queue() {...} }`: a handler object itself, not an options object. */
function hasHandlerMethod(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((p) => p.name !== undefined && isIdentifier(p.name) && HANDLER_KEYS.has(p.name.text));
}
