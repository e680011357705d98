import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import {
  calleeText,
  declarationOf,
  isEnvLike,
  printNode,
  rootImport,
  spanOf,
  truncate,
  propertyInitializer,
  type FunctionRef,
} from "../syntax";
import type { AdapterContext, HandlerAdapter, HandlerSite, LibraryTrip } from "./types";
import { handlerPackage, type HandlerPackage } from "./handlerPackages";

const {
  isCallExpression,
  isElementAccessExpression,
  isIdentifier,
  isNewExpression,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
} = ts;

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

  /** Functions given to wrappers, read (see madeSites), per analysis. */
  private readonly made = new Map<ts.Node, { sites: HandlerSite[]; mayMakeHandler: boolean }>();
  private making = 0;

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value) && !isNewExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (isCallExpression(value) && this.ctx.values.calledFunction(callee, module)) return undefined;
    // A binding's method (`env.DISPATCHER.get(name)`, a dispatch namespace's user Worker) makes no
    // handler of this Worker: the call on what it returns is a binding call, classified where it is made.
    if (isCallExpression(value) && this.ctx.values.bindingStubOf(value)) return undefined;
    // So does any method of a value of the env, configured or not (`env.COUNTER.idFromName(name)`
    // with the binding commented out in the config): env values are bindings or vars, never wrappers.
    if (isCallExpression(value) && isPropertyAccessExpression(callee) && isEnvMember(callee.expression)) return undefined;
    if (isNewExpression(value) && isIdentifier(callee) && this.ctx.values.classNamed(callee.text, module)) return undefined;
    const text = isCallExpression(value) ? `${calleeText(value)}(...)` : `new ${truncate(printNode(callee))}(...)`;
    const known = isCallExpression(value) ? this.packageHandlerSite(value, callee, text, module, context) : undefined;
    if (known) return [known];
    const form = `${context.form} wrapped by ${text}`;
    const found: HandlerSite[] = [];
    // A function it is given (`makeWorker(() => app, { scheduled })`) may make the fetch handler.
    let givenFunction = false;
    for (const arg of value.arguments ?? []) {
      const inner = unwrapExpression(arg);
      // An app it is given (`build(routes, adapter)`) is not a function, whatever its routes' handlers are.
      const fn =
        isCallExpression(inner) || this.ctx.handlers.apps.isApp(inner, module) ? undefined : this.ctx.values.functionFrom(inner, module);
      if (fn) {
        const made = this.madeSites(fn, form, context);
        found.push(...made.sites);
        givenFunction ||= made.mayMakeHandler;
        continue;
      }
      // An options object: the handlers are among its values (`apiHandler`, `defaultHandler`, ...).
      if (isObjectLiteralExpression(inner) && !hasHandlerMethod(inner)) {
        found.push(...this.optionSites(inner, module, form, context, true));
        continue;
      }
      found.push(...this.handlerSites(arg, module, form, context));
    }
    // Handlers given next to a function the analyser cannot read (an options object's
    // `scheduled`): the function may make the fetch handler, so there is one, unseen.
    if (found.length > 0 && (!givenFunction || found.some((s) => s.kind === "fetch"))) return found;
    const from = rootImport(value.expression, module);
    return [
      ...found,
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
   * The handlers among an options object's values. A call written in place is a handler only when
   * it is read as one completely: an app built there (`defaultHandler: new Hono().get("/authorize",
   * a).get("/callback", b) as any`), an agent's `MyMcp.serve("/mcp")`. Anything else made by a call
   * (`storage: CloudflareStorage({...})`, a store or a schema) is no handler. OAuthProvider's
   * `apiHandlers` maps routes to handlers: each is one.
   */
  private optionSites(
    options: ts.ObjectLiteralExpression,
    module: ModuleFacts,
    form: string,
    context: AdapterContext,
    top: boolean,
  ): HandlerSite[] {
    const found: HandlerSite[] = [];
    for (const property of options.properties) {
      const option = propertyInitializer(property);
      if (!option || this.namesHelperResult(option, module)) continue;
      const name = property.name && (isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : "option";
      const value = unwrapExpression(option);
      if (top && name === "apiHandlers" && isObjectLiteralExpression(value)) {
        found.push(...this.optionSites(value, module, `${form}, apiHandlers`, context, false));
        continue;
      }
      if (isCallExpression(value) && !this.ctx.values.calledFunction(unwrapExpression(value.expression), module)) {
        const sites = context.discovery.valueSites(value, module, `${form}, ${name}`, context.depth + 1);
        found.push(...sites.filter((s) => s.kind === "fetch" && s.opaque === undefined));
        continue;
      }
      if (isCallExpression(value)) continue;
      found.push(...this.handlerSites(option, module, `${form}, ${name}`, context));
    }
    return found;
  }

  /**
   * `R2Explorer({ readonly: true })` of a package in the table of handler-making packages
   * (handlerPackages.ts): the handler does what the package documents, one call on a binding of
   * the config per request. An option the table does not cover, or options that cannot be read,
   * leave it to the generic wrapper (UNKNOWN naming the package), with the option said.
   */
  private packageHandlerSite(
    call: ts.CallExpression,
    callee: ts.Expression,
    text: string,
    module: ModuleFacts,
    context: AdapterContext,
  ): HandlerSite | undefined {
    if (!isIdentifier(callee)) return undefined;
    const imported = module.imports.get(callee.text);
    const entry = imported ? handlerPackage(imported.module, imported.name) : undefined;
    if (!entry) return undefined;
    const unread = unreadOption(entry, call);
    const site = { kind: "fetch" as const, form: `${context.form} ${text}`, module, span: spanOf(call), functions: [] };
    if (unread)
      return {
        ...site,
        opaque: `the fetch handler is made by ${text} from "${entry.module}", which ${unread}: its subrequests cannot be seen`,
      };
    const names = this.ctx.input.bindings[entry.binding.section];
    const note = `${text} from "${entry.module}" ${entry.does}: each request is a call on ${entry.binding.what}${names.length > 1 ? ` (one of ${names.join(", ")})` : ""}`;
    const trip: LibraryTrip = {
      node: call,
      module,
      subrequest: {
        file: module.path,
        span: spanOf(call, module.sourceFile),
        kind: entry.binding.section,
        target: names.length === 1 ? names[0]! : null,
        category: "binding",
        note,
      },
      steps: ["once"],
    };
    return { ...site, ...(names.length > 0 ? { tripsBefore: [trip] } : {}) };
  }

  /**
   * A function a wrapper is given that returns the handler (`() => app`, `(env) => ({ fetch })`): the
   * fetch paths of what it returns when they can be read (a handler function itself, whose returned
   * values are responses, gives none).
   */
  private madeSites(fn: FunctionRef, form: string, context: AdapterContext): { sites: HandlerSite[]; mayMakeHandler: boolean } {
    // Read once per function, and not again inside what it returns (a handler's returned calls
    // would otherwise be read as wrappers given functions, and so on).
    const known = this.made.get(fn.fn);
    if (known) return known;
    if (this.making > 0) return { sites: [], mayMakeHandler: true };
    this.made.set(fn.fn, { sites: [], mayMakeHandler: true });
    this.making++;
    try {
      const found = this.readMade(fn, form, context);
      this.made.set(fn.fn, found);
      return found;
    } finally {
      this.making--;
    }
  }

  private readMade(fn: FunctionRef, form: string, context: AdapterContext): { sites: HandlerSite[]; mayMakeHandler: boolean } {
    let mayMakeHandler = false;
    for (const returned of this.ctx.values.returnedValues(fn.fn, fn.module)) {
      const value = unwrapExpression(returned.expression);
      // `withSentry((env) => ({ dsn: env.DSN }), handler)`: a function that makes options.
      if (isObjectLiteralExpression(value) && !hasHandlerMethod(value)) continue;
      mayMakeHandler = true;
      const sites = context.discovery
        .valueSites(value, returned.module, `${form}, made by the function it is given`, context.depth + 1)
        .filter((s) => s.kind === "fetch" && s.opaque === undefined);
      if (sites.length > 0) return { sites, mayMakeHandler };
    }
    return { sites: [], mayMakeHandler };
  }

  /**
   * `issuer({ storage, subjects })` with `const storage = CloudflareStorage({...})`, `const subjects
   * = createSubjects({...})`: a name for what a package's helper returned (a store, a schema) is
   * no handler, as the call written in place is not (above). An app (`const router = AutoRouter()`)
   * and what a function of the project returns are still read.
   */
  private namesHelperResult(option: ts.Expression, module: ModuleFacts, depth = 0): boolean {
    const name = unwrapExpression(option);
    if (!isIdentifier(name) || depth > 4) return false;
    // A parameter of the function that makes the wrapper (`(storage) => issuer({ storage })`): what its callers pass.
    const declaration = declarationOf(name);
    const passed = declaration && isParameter(declaration) ? this.ctx.values.argumentsPassedFor(declaration) : undefined;
    const values = passed
      ? passed.length > 0
        ? passed
        : this.ctx.values.argumentsAtCallSites(declaration as ts.ParameterDeclaration)
      : this.ctx.values.valuesOf(name, module);
    return (
      values.length > 0 &&
      values.every(({ expression, module: at }) => {
        const value = unwrapExpression(expression);
        if (isIdentifier(value)) return this.namesHelperResult(value, at, depth + 1);
        return (
          isCallExpression(value) &&
          !this.ctx.values.calledFunction(unwrapExpression(value.expression), at) &&
          !this.ctx.handlers.apps.isApp(value, at)
        );
      })
    );
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

/** `env.NAME`, `c.env.NAME`, `env["NAME"]`: a value of the Worker's env. */
function isEnvMember(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  return (isPropertyAccessExpression(value) || isElementAccessExpression(value)) && isEnvLike(value.expression);
}

/** Why a table package's options make it do what the table does not cover: an unread option's sentence, or options not written out. */
function unreadOption(entry: HandlerPackage, call: ts.CallExpression): string | undefined {
  if (call.arguments.length === 0) return undefined;
  const options = unwrapExpression(call.arguments[0]!);
  if (call.arguments.length > 1 || !isObjectLiteralExpression(options)) return "is given options the analyser cannot read";
  for (const property of options.properties) {
    if (!property.name || !(isIdentifier(property.name) || ts.isStringLiteral(property.name)))
      return "is given options the analyser cannot read";
    const why = Object.hasOwn(entry.unreadOptions, property.name.text) ? entry.unreadOptions[property.name.text] : undefined;
    if (why) return `with ${property.name.text} ${why}`;
  }
  return undefined;
}
