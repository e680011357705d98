import { AstroActionsAdapter } from "./astro";
import ts from "typescript";
import type { AnalysisContext } from "../context";
import { moduleVariable, unwrapExpression, type ExportBinding, type ModuleFacts } from "../module";
import { declarationOf, heritageName, isDurableObjectShaped, printNode, spanOf, type FunctionRef, propertyInitializer } from "../syntax";
import type { HandlerKind } from "../types";
import { AgentAdapter } from "./agents";
import { AppAdapter } from "./apps";
import { CarbonAdapter } from "./carbon";
import { DiscordHonoAdapter } from "./discordHono";
import { SlackEdgeAdapter } from "./slackEdge";
import { FrameworkAdapter } from "./frameworks";
import { NitroLocalFetch } from "./nitroLocalFetch";
import { GraphqlAdapter } from "./graphql";
import { RestateAdapter } from "./restate";
import { MastraAdapter } from "./mastra";
import { KoaAdapter } from "./koa";
import { TelegramBotAdapter } from "./telegram";
import { McpAdapter } from "./mcp";
import { pagesHandlers } from "./pages";
import { RedwoodAdapter } from "./redwood";
import { TanStackAdapter } from "./tanstack";
import { TrpcAdapter } from "./trpc";
import { OrpcAdapter } from "./orpc";
import type { HandlerAdapter, HandlerSite } from "./types";
import { WrapperAdapter } from "./wrappers";
import { WorktopAdapter } from "./worktop";
import { ownEntry } from "../../tables";
import { mayHoldGlobalFetch } from "../fetchHolders";

const {
  SyntaxKind,
  getModifiers,
  isArrayLiteralExpression,
  isAwaitExpression,
  isCallExpression,
  isClassExpression,
  isClassLike,
  isFunctionDeclaration,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isObjectLiteralExpression,
  isParameter,
  isPropertyDeclaration,
  isPropertyAccessExpression,
  isSpreadAssignment,
  isStringLiteral,
  isVariableDeclaration,
} = ts;

const HANDLER_NAMES: Readonly<Record<string, HandlerKind>> = {
  fetch: "fetch",
  scheduled: "scheduled",
  queue: "queue",
  email: "email",
  tail: "tail",
  trace: "trace",
};
const MAX_DEPTH = 12;
/** Methods that take a request and answer it: Hono's fetch, itty's and Elysia's handle. */
const HANDOFF_METHODS = new Set(["fetch", "handle"]);

/**
 * The Worker's handlers in every form it can be written in: what runs for a request, an event, a
 * route. Plain objects, classes, functions and the values that hold them are followed here
 * (variables, imports, lazily assigned variables, factories of the project); frameworks and
 * wrappers are recognised by the adapters (`apps.ts`, `wrappers.ts`).
 */
export class HandlerDiscovery {
  readonly apps: AppAdapter;
  readonly trpc: TrpcAdapter;
  readonly orpc: OrpcAdapter;
  readonly tanstack: TanStackAdapter;
  readonly astroActions: AstroActionsAdapter;
  readonly mcp: McpAdapter;
  readonly graphql: GraphqlAdapter;
  readonly koa: KoaAdapter;
  readonly telegram: TelegramBotAdapter;
  readonly discordHono: DiscordHonoAdapter;
  readonly slackEdge: SlackEdgeAdapter;
  readonly mastra: MastraAdapter;
  readonly worktop: WorktopAdapter;
  readonly nitroLocalFetch: NitroLocalFetch;
  private readonly adapters: readonly HandlerAdapter[];
  /** Adapters that recognise calls met on a request path (see `callSitesOf`). */
  private readonly callAdapters: readonly HandlerAdapter[];
  private readonly byCall = new Map<ts.Node, HandlerSite[] | null>();
  /** Fetch paths of values the request is handed to (`app.fetch(...)`), by the value's node. */
  private readonly handOffs = new Map<ts.Node, HandlerSite[] | null>();

  constructor(private readonly ctx: AnalysisContext) {
    this.apps = new AppAdapter(ctx);
    this.trpc = new TrpcAdapter(ctx);
    this.orpc = new OrpcAdapter(ctx);
    this.tanstack = new TanStackAdapter(ctx);
    this.astroActions = new AstroActionsAdapter(ctx);
    this.mcp = new McpAdapter(ctx);
    this.graphql = new GraphqlAdapter(ctx);
    this.koa = new KoaAdapter(ctx);
    this.telegram = new TelegramBotAdapter(ctx);
    this.discordHono = new DiscordHonoAdapter(ctx);
    this.slackEdge = new SlackEdgeAdapter(ctx);
    this.mastra = new MastraAdapter(ctx);
    this.worktop = new WorktopAdapter();
    this.nitroLocalFetch = new NitroLocalFetch(ctx);
    this.adapters = [
      this.discordHono,
      this.slackEdge,
      this.apps,
      new AgentAdapter(ctx),
      new FrameworkAdapter(ctx),
      this.tanstack,
      new RedwoodAdapter(ctx),
      this.trpc,
      this.astroActions,
      this.graphql,
      this.mcp,
      new CarbonAdapter(ctx),
      this.koa,
      this.telegram,
      new RestateAdapter(ctx),
      this.mastra,
      this.worktop,
      new WrapperAdapter(ctx),
    ];
    this.callAdapters = this.adapters.filter((a) => a.callSitesOf !== undefined);
  }

  /**
   * The paths a call met on a request path runs in the project's code the way a framework does
   * (`fetchRequestHandler({ req, router })`, a TanStack server function), or undefined.
   */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const cached = this.byCall.get(call);
    if (cached !== undefined) return cached ?? undefined;
    // A call reached again while its paths are read finds nothing more. Kept apart from byCall: most
    // calls find nothing, and adding then deleting each in that large map made V8 rehash it again
    // and again (a tenth of what a large repository's walk allocated).
    if (this.asking.has(call)) return undefined;
    this.asking.add(call);
    try {
      for (const adapter of this.callAdapters) {
        const sites = adapter.callSitesOf!(call, module);
        if (sites) {
          this.byCall.set(call, sites);
          return sites;
        }
      }
    } finally {
      this.asking.delete(call);
    }
    return undefined;
  }

  /** Calls whose paths are being read (see callSitesOf). */
  private readonly asking = new Set<ts.CallExpression>();

  handlersOf(module: ModuleFacts): HandlerSite[] {
    const sites: HandlerSite[] = [];
    const byDefault = module.exports.get("default");
    if (byDefault) sites.push(...this.exportSites(byDefault, module, "export default", 0));
    else sites.push(...this.createExportsSites(module));
    // worktop's `listen(API.run)`: a fetch listener added by the framework (service-worker syntax).
    sites.push(...this.worktop.listenerSites(module, { discovery: this, form: "worktop listen(...)", depth: 0 }));
    for (const listener of module.listeners) {
      const fn = this.ctx.values.functionFrom(listener.handler, module);
      const kind = HANDLER_NAMES[listener.event];
      if (!kind) continue;
      // worktop 0.7's `addEventListener("fetch", reply(API.run))`: the Router's routes.
      const made =
        !fn && kind === "fetch"
          ? this.worktop.sitesOf(unwrapExpression(listener.handler), module, {
              discovery: this,
              form: `addEventListener("fetch")`,
              depth: 0,
            })
          : undefined;
      if (made) {
        sites.push(...made);
        continue;
      }
      sites.push({
        kind,
        form: `addEventListener("${listener.event}")`,
        module,
        span: spanOf(listener.call),
        functions: fn ? [fn] : [],
        ...(fn ? {} : { opaque: "the listener could not be resolved" }),
      });
    }
    for (const [name, binding] of module.exports) {
      if (name === "default") continue;
      const cls =
        binding.declaration && isClassLike(binding.declaration)
          ? { cls: binding.declaration, module }
          : binding.local
            ? this.ctx.values.classNamed(binding.local, module)
            : undefined;
      if (!cls) continue;
      const base = heritageName(cls.cls);
      if (base === "DurableObject" || isDurableObjectShaped(cls.cls)) {
        sites.push({
          kind: "durable-object",
          form: `Durable Object class ${name}`,
          module: cls.module,
          span: spanOf(cls.cls.name ?? cls.cls),
          functions: [],
        });
      } else if (base === "WorkerEntrypoint") {
        sites.push(...this.classHandlers(cls.cls, cls.module, `named entrypoint ${name}`, false));
      }
    }
    return sites;
  }

  /**
   * The Astro Cloudflare adapter's `workerEntryPoint` (v12): the entry exports
   * `createExports(manifest)`, and the adapter's generated module exports what its returned object
   * holds, `default` being the Worker's handlers.
   */
  private createExportsSites(module: ModuleFacts): HandlerSite[] {
    const binding = module.exports.get("createExports");
    if (!binding) return [];
    const variable = binding.local ? moduleVariable(module, binding.local)?.initializer : undefined;
    const init = variable ? unwrapExpression(variable) : undefined;
    const declaration =
      binding.declaration && ts.isFunctionDeclaration(binding.declaration)
        ? binding.declaration
        : init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
          ? init
          : undefined;
    if (!declaration?.body || !ts.isBlock(declaration.body)) return [];
    for (const statement of declaration.body.statements) {
      if (!ts.isReturnStatement(statement) || !statement.expression) continue;
      const returned = unwrapExpression(statement.expression);
      if (!isObjectLiteralExpression(returned)) continue;
      for (const property of returned.properties)
        if (
          ts.isPropertyAssignment(property) &&
          (ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name)) &&
          property.name.text === "default"
        )
          return this.valueSites(property.initializer, module, "createExports() default", 1);
    }
    return [];
  }

  /**
   * The apps whose handler a project function is given and calls: `logger.withLogging(router(app).fetch)`
   * over `withLogging(handler) { return handler(this.request) }`, `instrument(app.fetch)`. Each is
   * the fetch paths of that app, as `app.fetch(request)` written in place would be.
   */
  appsRunBy(target: FunctionRef, args: readonly ts.Expression[], module: ModuleFacts): HandlerSite[][] {
    const found: HandlerSite[][] = [];
    args.forEach((arg, index) => {
      const value = unwrapExpression(arg);
      if (!isIdentifier(value) && !(isPropertyAccessExpression(value) && HANDOFF_METHODS.has(value.name.text))) return;
      // (Asked first: reading what callers pass for a parameter ties the walk to those calls.)
      const parameter = target.fn.parameters[index];
      if (!parameter || !isIdentifier(parameter.name) || !callsParameter(target.fn, parameter)) return;
      // Given directly, or handed on from the caller's parameter (`wrap(request, h)` calling `log.run(h)`).
      const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
      if (isIdentifier(value) && !(declaration && isParameter(declaration))) return;
      const given =
        declaration && isParameter(declaration)
          ? this.ctx.values.argumentsPassedFor(declaration).map((v) => ({ expression: unwrapExpression(v.expression), module: v.module }))
          : [{ expression: value, module }];
      for (const { expression, module: at } of given) {
        if (!isPropertyAccessExpression(expression) || !HANDOFF_METHODS.has(expression.name.text)) continue;
        const sites = this.fetchSitesOf(expression.expression, at);
        if (sites) found.push(sites);
      }
    });
    return found;
  }

  /**
   * The handlers whose `fetch` a name called with the request holds: a parameter the callers fill with
   * `handler.fetch` (`makeFetch(handler.fetch)` returning `(request, env) => inner(request, ...)`,
   * TanStack Start's `server-entry` imported statically), or a constant holding it
   * (`const serve = handler.fetch`). The fetch paths of those handlers, as `handler.fetch(request)`
   * written in place would be; undefined when the name holds no such member.
   */
  heldHandlerSites(callee: ts.Identifier, module: ModuleFacts): HandlerSite[] | undefined {
    const declaration = declarationOf(callee);
    if (!declaration || !(isParameter(declaration) || isVariableDeclaration(declaration))) return undefined;
    // A parameter called in its own function's body (`wrap(request, app.fetch)` over `wrap(r, h) { return h(r) }`)
    // is the hand-off of the call that passes it (see appsRunBy): only a function made inside, which
    // keeps the parameter (`makeFetch(inner)` returning `(request) => inner(request)`), is read here.
    if (isParameter(declaration) && enclosingFunction(callee) === declaration.parent) return undefined;
    // A parameter: what the calls met so far pass, else what every call of its function passes
    // (`makeFetch(handler.fetch)` written at the module's top level is never walked).
    const passed = isParameter(declaration) ? this.ctx.values.argumentsPassedFor(declaration) : [];
    const given = !isParameter(declaration)
      ? this.ctx.values.valuesOf(callee, module)
      : passed.length > 0
        ? passed
        : this.ctx.values.argumentsAtCallSites(declaration);
    const found: HandlerSite[] = [];
    for (const { expression, module: at } of given.slice(0, 8)) {
      const value = unwrapExpression(expression);
      if (!isPropertyAccessExpression(value) || !HANDOFF_METHODS.has(value.name.text)) continue;
      found.push(...(this.fetchSitesOf(value.expression, at) ?? []));
    }
    return found.length > 0 ? found : undefined;
  }

  pagesHandlers(files: readonly string[]): HandlerSite[] {
    return pagesHandlers(this.ctx, this, files);
  }

  /**
   * The fetch paths of a value a request is handed to (`app.fetch(request, env, ctx)`,
   * `router.handle(request)`, `handler.fetch(...)`), or undefined when it is not one of the Worker's
   * own apps or handlers.
   */
  fetchSitesOf(expression: ts.Expression, module: ModuleFacts): HandlerSite[] | undefined {
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    const key = isIdentifier(value) ? (declarationOf(value) ?? value) : value;
    const cached = this.handOffs.get(key);
    if (cached !== undefined) return cached ?? undefined;
    this.handOffs.set(key, null); // a hand-off that reaches itself again finds nothing more
    const sites = this.valueSites(value, module, "handed the request", 0).filter((s) => s.kind === "fetch");
    const result = sites.length > 0 ? sites : undefined;
    this.handOffs.set(key, result ?? null);
    return result;
  }

  private exportSites(binding: ExportBinding, module: ModuleFacts, form: string, depth: number): HandlerSite[] {
    if (depth > MAX_DEPTH) return [];
    if (binding.reexport) {
      // `export { default } from "vinext/server/fetch-handler"` (or from "./.open-next/worker.js"):
      // a framework's handler or build output, as when imported and exported.
      for (const adapter of this.adapters) {
        const sites = adapter.importSites?.(binding.reexport, module, { discovery: this, form, depth });
        if (sites) return sites;
      }
      const target = this.ctx.loader.moduleFor(binding.reexport.module, module);
      const exported = target?.exports.get(binding.reexport.name);
      return target && exported ? this.exportSites(exported, target, form, depth + 1) : [];
    }
    if (binding.declaration && isClassLike(binding.declaration))
      return this.classHandlers(binding.declaration, module, `${form} class`, true);
    if (binding.expression) return this.valueSites(binding.expression, module, form, depth);
    return binding.local ? this.namedSites(binding.local, module, form, depth) : [];
  }

  /** A module-level name (`export { app as default }`): a class, a variable, or an import. */
  private namedSites(name: string, module: ModuleFacts, form: string, depth: number): HandlerSite[] {
    const cls = module.classes.get(name);
    if (cls) return this.classHandlers(cls, module, `${form} class`, true);
    const variable = moduleVariable(module, name);
    if (variable) return this.variableSites(variable, module, form, depth);
    const imported = module.imports.get(name);
    if (!imported) return [];
    // A handler a framework package makes (`import handler from "@tanstack/react-start/server-entry"`).
    for (const adapter of this.adapters) {
      const sites = adapter.importSites?.(imported, module, { discovery: this, form, depth });
      if (sites) return sites;
    }
    const target = this.ctx.loader.moduleFor(imported.module, module);
    // Through re-exports, `export *` included (a barrel's `export { default as worker } from "./w"`).
    const exported = target ? this.ctx.values.exportOf(imported.name, target) : undefined;
    return exported ? this.exportSites(exported.binding, exported.module, `${form} (imported)`, depth + 1) : [];
  }

  /** What a variable holds: an app (with the routes registered on it) or whatever its values are. */
  private variableSites(declaration: ts.VariableDeclaration, module: ModuleFacts, form: string, depth: number): HandlerSite[] {
    const value = declaration.initializer ?? declaration.name;
    const app = this.apps.sitesOf(value as ts.Expression, module, { discovery: this, form, depth, binding: declaration });
    if (app) return app;
    for (const source of this.ctx.values.variableValues(declaration, module)) {
      const sites = this.valueSites(source.expression, source.module, form, depth + 1);
      if (sites.length > 0) return sites;
    }
    return [];
  }

  /**
   * The handler sites of a value: an object with handler methods, a class or an instance of one, a
   * variable or import holding one, what a project factory returns, or what an adapter recognises.
   */
  valueSites(expression: ts.Expression, module: ModuleFacts, form: string, depth: number): HandlerSite[] {
    if (depth > MAX_DEPTH) return [];
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    // `handler.bind(thisArg, ...)`: the same handler (a wrapper of no package).
    if (value !== unbound(value)) return this.valueSites(unbound(value), module, form, depth + 1);
    // `const { default: h } = await import("./h")`, `mod.default` of `const mod = await import("./h")`:
    // the export, as a static import reaches it.
    const dynamic = this.ctx.values.dynamicImportMember(value, module);
    if (dynamic) return this.exportSites(dynamic.binding, dynamic.module, `${form} (imported)`, depth + 1);
    // `ns.handlers` of `import * as ns from "./w"`, or of `import bundle from "index.js"` where the
    // module is CommonJS (`exports.handlers = { fetch }`, a Wrangler v1 modules shim's bundle).
    if (isPropertyAccessExpression(value) && isIdentifier(value.expression) && module.imports.has(value.expression.text)) {
      const namespace = this.ctx.values.namespaceOf(value.expression.text, module);
      const exported = namespace ? this.ctx.values.exportOf(value.name.text, namespace) : undefined;
      if (exported) return this.exportSites(exported.binding, exported.module, `${form} (imported)`, depth + 1);
    }
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isVariableDeclaration(declaration)) return this.variableSites(declaration, module, form, depth + 1);
      if (declaration && isClassLike(declaration)) return this.classHandlers(declaration, module, `${form} class`, true);
      if (declaration) {
        // A parameter: the values the project passes for it.
        const passed = isParameter(declaration) ? this.ctx.values.argumentsPassedFor(declaration) : [];
        for (const source of [...this.ctx.values.valuesOf(value, module), ...passed]) {
          const sites = this.valueSites(source.expression, source.module, form, depth + 1);
          if (sites.length > 0) return sites;
        }
        return [];
      }
      return this.namedSites(value.text, module, form, depth + 1);
    }
    if (isObjectLiteralExpression(value)) return this.objectHandlers(value, module, `${form} object`, depth);
    if (isClassExpression(value)) return this.classHandlers(value, module, `${form} class`, true);
    // `export default new Gateway()`: an instance of a project class with handler methods.
    if (isNewExpression(value)) {
      const cls = this.ctx.values.classOfInstance(value, module);
      if (cls) return this.classHandlers(cls.cls, cls.module, `${form} instance of a class`, false);
    }
    // `createApp(env)` where `createApp` is a parameter (`makeHandler((env) => new Hono()...)`): the
    // functions the project passes for it make the handler.
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      const passed = isIdentifier(callee) ? this.ctx.values.passedFunctions(callee) : [];
      for (const factory of passed) {
        this.ctx.values.noteArguments(factory, value.arguments, module);
        for (const returned of this.ctx.values.returnedValues(factory.fn, factory.module)) {
          const sites = this.valueSites(returned.expression, returned.module, form, depth + 1);
          if (sites.length > 0) return sites;
        }
      }
    }
    for (const adapter of this.adapters) {
      const sites = adapter.sitesOf(value, module, { discovery: this, form, depth });
      if (sites) return sites;
    }
    // `this.handler` of a class that keeps its handler in a field (`this.handler = createRequestHandler(build)`
    // in the constructor): what the field holds.
    if (isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword) {
      for (const source of this.ctx.values.thisMemberValues(value, module)) {
        const sites = this.valueSites(source.expression, source.module, form, depth + 1);
        if (sites.length > 0) return sites;
      }
      return [];
    }
    // A project function that makes the handler: `export default createWorker(config)`.
    if (isCallExpression(value)) {
      const factory = this.ctx.values.calledFunction(unwrapExpression(value.expression), module);
      if (factory) {
        this.ctx.values.noteArguments(factory, value.arguments, module);
        for (const returned of this.ctx.values.returnedValues(factory.fn, factory.module)) {
          const sites = this.valueSites(returned.expression, returned.module, form, depth + 1);
          if (sites.length > 0) return sites;
        }
      }
    }
    return [];
  }

  private objectHandlers(object: ts.ObjectLiteralExpression, module: ModuleFacts, form: string, depth: number): HandlerSite[] {
    const sites: HandlerSite[] = [];
    for (const property of object.properties) {
      const name = property.name && (isIdentifier(property.name) || isStringLiteral(property.name)) ? property.name.text : undefined;
      const kind = name ? ownEntry(HANDLER_NAMES, name) : undefined;
      if (isSpreadAssignment(property)) {
        sites.push(...this.valueSites(property.expression, module, form, depth + 1));
        continue;
      }
      if (!kind || !name) continue;
      const span = spanOf(property.name!);
      if (isMethodDeclaration(property)) {
        sites.push({ kind, form, module, span, functions: [{ fn: property, module }] });
        continue;
      }
      const value = propertyInitializer(property);
      const initializer = value && unwrapExpression(value);
      if (!initializer) continue;
      sites.push(...this.propertySites(kind, name, initializer, span, module, form, depth));
    }
    return sites;
  }

  /** The sites of a handler property's value (`fetch: app.fetch`, `fetch: handler`, `queue: consume`). */
  private propertySites(
    kind: HandlerKind,
    name: string,
    initializer: ts.Expression,
    span: { start: number; end: number },
    module: ModuleFacts,
    form: string,
    depth: number,
  ): HandlerSite[] {
    // `fetch: handleRequest.bind(null, deps)`, `fetch: app.fetch.bind(app)`: the function bound,
    // whose leading parameters hold the arguments bound after `this`.
    const bound = isCallExpression(initializer) && initializer !== unbound(initializer) ? initializer.arguments.slice(1) : [];
    initializer = unbound(initializer);
    // `{ fetch: fetch.bind(globalThis) }`, `{ fetch: globalThis.fetch }`: the global fetch handed to
    // code as a dependency (`deps.fetch(url)`), not a handler.
    if (kind === "fetch" && mayHoldGlobalFetch(this.ctx, initializer, module)) return [];
    // `fetch: app.fetch` (also `router.handle`) delegates to an app or another handler.
    if (kind === "fetch" && isPropertyAccessExpression(initializer) && HANDOFF_METHODS.has(initializer.name.text)) {
      const delegated = this.valueSites(initializer.expression, module, `${form}, fetch: ${printNode(initializer)}`, depth + 1).filter(
        (s) => s.kind === "fetch",
      );
      if (delegated.length > 0) return delegated;
    }
    const fn = this.ctx.values.functionFrom(initializer, module);
    if (fn && bound.length > 0) this.ctx.values.noteArguments(fn, bound, module);
    // `fetch: createStartHandler(...)`, `{ fetch }` holding what a framework makes: its paths.
    if (!fn && kind === "fetch" && (isIdentifier(initializer) || isCallExpression(initializer))) {
      const made = this.valueSites(initializer, module, `${form}, fetch`, depth + 1).filter((s) => s.kind === "fetch");
      if (made.length > 0) return made;
    }
    return [
      {
        kind,
        form,
        module,
        span,
        functions: fn ? [fn] : [],
        ...(fn ? {} : { opaque: `the ${name} handler ${printNode(initializer)} could not be resolved` }),
      },
    ];
  }

  private classHandlers(cls: ts.ClassLikeDeclaration, module: ModuleFacts, form: string, isDefault: boolean): HandlerSite[] {
    const base = heritageName(cls);
    if (base === "DurableObject")
      return [{ kind: "durable-object", form: `Durable Object class`, module, span: spanOf(cls.name ?? cls), functions: [] }];
    const sites: HandlerSite[] = [];
    for (const member of cls.members) {
      // `fetch = async (request, env) => {...}`, `fetch = this.handle.bind(this)`: a field of the
      // instance holding the handler (only the handler names: a field is no RPC method).
      if (isPropertyDeclaration(member) && member.initializer && member.name && isIdentifier(member.name)) {
        const kind = ownEntry(HANDLER_NAMES, member.name.text);
        const isStatic = (getModifiers(member) ?? []).some((m) => m.kind === SyntaxKind.StaticKeyword);
        if (kind && !isStatic) sites.push(...this.fieldSites(kind, member, module, `${form}${base ? ` extends ${base}` : ""}, field`));
        continue;
      }
      if (!isMethodDeclaration(member) || !member.name || !isIdentifier(member.name) || !member.body) continue;
      const name = member.name.text;
      const kind =
        ownEntry(HANDLER_NAMES, name) ??
        (isDefault || base === "WorkerEntrypoint" ? (name === "constructor" ? undefined : "rpc") : undefined);
      if (!kind) continue;
      if (
        kind === "rpc" &&
        (getModifiers(member) ?? []).some((m) => m.kind === SyntaxKind.PrivateKeyword || m.kind === SyntaxKind.ProtectedKeyword)
      )
        continue;
      sites.push({
        kind,
        form: `${form}${base ? ` extends ${base}` : ""}`,
        module,
        span: spanOf(member.name),
        functions: [{ fn: member, module }],
      });
    }
    return sites;
  }

  /**
   * A class field holding a handler: a function written there, a method of the class
   * (`this.handle`, `this.handle.bind(this)`), or any value an object's handler property may hold.
   */
  private fieldSites(kind: HandlerKind, field: ts.PropertyDeclaration, module: ModuleFacts, form: string): HandlerSite[] {
    const name = (field.name as ts.Identifier).text;
    let value = unwrapExpression(field.initializer!);
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "bind")
      value = unwrapExpression(value.expression.expression);
    const span = spanOf(field.name);
    if (isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword) {
      const method = this.ctx.values.calledFunction(value, module);
      return [
        {
          kind,
          form,
          module,
          span,
          functions: method ? [method] : [],
          ...(method ? {} : { opaque: `the ${name} handler ${printNode(value)} could not be resolved` }),
        },
      ];
    }
    return this.propertySites(kind, name, value, span, module, form, 0);
  }

  /** The functions a Pages handler export runs (an array of them for `_middleware`). */
  exportedFunctions(binding: ExportBinding, module: ModuleFacts): FunctionRef[] {
    if (binding.declaration && isFunctionDeclaration(binding.declaration)) return [{ fn: binding.declaration, module }];
    const local = binding.local;
    if (!local) return [];
    const fn = module.functions.get(local);
    if (fn) return [{ fn, module }];
    const init = moduleVariable(module, local)?.initializer;
    if (init && isArrayLiteralExpression(unwrapExpression(init))) {
      return (unwrapExpression(init) as ts.ArrayLiteralExpression).elements
        .map((e) => this.ctx.values.functionFrom(e, module))
        .filter((f): f is FunctionRef => f !== undefined);
    }
    const resolved = init ? this.ctx.values.functionFrom(init, module) : undefined;
    return resolved ? [resolved] : [];
  }

  exportSpan(binding: ExportBinding, module: ModuleFacts): { start: number; end: number } {
    if (binding.declaration) {
      const name = (binding.declaration as ts.FunctionDeclaration).name;
      return spanOf(name ?? binding.declaration);
    }
    const variable = binding.local ? moduleVariable(module, binding.local) : undefined;
    return variable ? spanOf(variable.name) : { start: 0, end: 0 };
  }
}

/** The function a node is written in (the nearest one around it), or undefined at a module's top level. */
function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/** callsParameter's answers by parameter: read from the function's tree alone (see syntaxMemo.ts). */
const callsByParameter = new WeakMap<ts.ParameterDeclaration, boolean>();

/**
 * Whether a function calls its parameter itself (`handler(request)`, `handler(request).then(...)`),
 * not in a nested function. Asked for every call of the function that passes a name: kept per parameter.
 */
function callsParameter(fn: ts.FunctionLikeDeclaration, parameter: ts.ParameterDeclaration): boolean {
  if (parameter.parent !== fn) return callsParameterOf(fn, parameter);
  let found = callsByParameter.get(parameter);
  if (found === undefined) {
    found = callsParameterOf(fn, parameter);
    callsByParameter.set(parameter, found);
  }
  return found;
}

function callsParameterOf(fn: ts.FunctionLikeDeclaration, parameter: ts.ParameterDeclaration): boolean {
  const visit = (node: ts.Node): boolean => {
    if (node !== fn && ts.isFunctionLike(node)) return false;
    if (isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      if (isIdentifier(callee) && declarationOf(callee) === parameter) return true;
    }
    return ts.forEachChild(node, visit) ?? false;
  };
  return fn.body !== undefined && visit(fn.body);
}

/** `f.bind(thisArg, ...)` (through nested binds): `f`; anything else: itself. */
function unbound(value: ts.Expression): ts.Expression {
  let current = value;
  for (let i = 0; i < 4; i++) {
    if (!isCallExpression(current) || !isPropertyAccessExpression(current.expression) || current.expression.name.text !== "bind") break;
    current = unwrapExpression(current.expression.expression);
  }
  return current;
}
