import ts from "typescript";
import type { AnalysisContext } from "../context";
import { moduleVariable, unwrapExpression, type ModuleFacts } from "../module";
import {
  asyncOptionFunctions,
  declarationOf,
  isBareSpecifier,
  joinRoute,
  printNode,
  propertyInitializer,
  spanOf,
  truncate,
  type FunctionRef,
} from "../syntax";
// A package's name (`zod`, `@acme/db`), not an alias of the project's own (`#app/x`, `~/x`).
import { isPackageSpecifier } from "../resolve";
import { ownEntry } from "../../tables";
import { ittyMatches, mayAnswerNothing } from "./itty";
import { resolvedClassArgument } from "../diContainer";
import { isHonoTrpcServer } from "./trpc";
import type { ClassRef, ValueRef } from "../valuesCore";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const {
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isBlock,
  isCallExpression,
  isClassLike,
  isExpressionStatement,
  isForOfStatement,
  isFunctionExpression,
  isIdentifier,
  isNewExpression,
  isNoSubstitutionTemplateLiteral,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isSourceFile,
  isSpreadElement,
  isStatement,
  isStringLiteralLike,
  isTemplateExpression,
  isVariableDeclaration,
  isVariableDeclarationList,
  isVariableStatement,
} = ts;

/** Packages whose app or router objects route requests, and the exports that make one. */
const APP_MODULES = ["hono", "hono/tiny", "hono/quick", "itty-router", "elysia", "@hono/zod-openapi", "chanfana", "worktop"];
const APP_FACTORIES = new Set(["Hono", "OpenAPIHono", "Router", "AutoRouter", "IttyRouter", "Elysia"]);
/**
 * Library functions that make and return a Hono app of their own routes, on which the project adds
 * its middleware and routes: OpenAuth's `issuer({ storage, providers, subjects, success })`.
 */
const HONO_APP_MAKERS: Readonly<Record<string, readonly string[]>> = {
  "@openauthjs/openauth": ["issuer"],
  "@openauthjs/openauth/issuer": ["issuer"],
};
/** chanfana's `fromHono(app)` / `fromIttyRouter(router)` return the same app with OpenAPI docs. */
const PASS_THROUGH = new Set(["fromHono", "fromIttyRouter"]);

/** `import { Hono } from "hono"`, `import { OpenAPIHono } from "@hono/zod-openapi"`: a name bound to an app framework's app maker. */
function isAppFactoryImport(local: string, imported: { module: string; name: string }): boolean {
  return (
    APP_MODULES.some((m) => imported.module === m || imported.module.startsWith(m + "/")) &&
    APP_FACTORIES.has(imported.name === "default" ? local : imported.name)
  );
}
const ROUTE_METHODS = new Set(["get", "post", "put", "delete", "patch", "head", "options", "all"]);
/** Methods of an app that register on it and return the app itself (Hono, OpenAPIHono): a chain of them is the app. */
const REGISTERING_LINKS = new Set([...ROUTE_METHODS, "use", "on", "route", "basePath", "openapi", "doc", "doc31", "notFound", "onError"]);
/** Elysia's lifecycle hooks on an instance that run on the request path before the response. */
const ELYSIA_HOOKS = new Set([
  "derive",
  "resolve",
  "onBeforeHandle",
  "onTransform",
  "onRequest",
  "onParse",
  "onAfterHandle",
  "mapResponse",
  "onMapResponse",
]);
/** Elysia's per-route lifecycle hooks that run before or with the handler, in the order they run. */
const ROUTE_HOOKS = ["parse", "transform", "derive", "resolve", "beforeHandle", "afterHandle", "mapResponse"];

/**
 * `router.get("/orders/:id", handler)`: registering a route on what is most likely an app (a route
 * method given a path), even when the app itself is not known here (a registrar's parameter). It
 * runs nothing now.
 */
export function isRouteRegistration(call: ts.CallExpression): boolean {
  const callee = unwrapExpression(call.expression);
  const path = call.arguments[0] && unwrapExpression(call.arguments[0]);
  return (
    isPropertyAccessExpression(callee) &&
    (ROUTE_METHODS.has(callee.name.text) || callee.name.text === "use") &&
    !!path &&
    ts.isStringLiteralLike(path) &&
    (path.text.startsWith("/") || path.text === "*")
  );
}

interface Middleware {
  /** The full path pattern it is registered for; null for every path. */
  readonly pattern: string | null;
  readonly functions: readonly FunctionRef[];
  /** Library middleware that does round trips itself (`githubAuth({...})`): walked for the routes it runs for. */
  readonly calls?: readonly LibraryCall[];
  /** An Elysia hook registered `{ as: "scoped" }` or `{ as: "global" }`: it applies to the app that mounts its instance too. */
  readonly scope?: "scoped" | "global";
  /**
   * An itty-router route that may answer nothing (see mayAnswerNothing): it runs before the later
   * routes of this method (ALL: every method) whose paths it matches as itty matches.
   */
  readonly verb?: string;
}

interface Route {
  readonly verb: string;
  readonly path: string;
  readonly module: ModuleFacts;
  readonly span: { start: number; end: number };
  /** Middleware registered before it that matches its path, then its own handlers. */
  readonly functions: readonly FunctionRef[];
  /**
   * Library calls walked after `functions` (see HandlerSite.calls): middleware of a library that
   * does round trips itself (see Middleware.calls), a library's handler mounted as it is (`mount(auth.handler)`).
   */
  readonly calls?: HandlerSite["calls"];
  readonly opaque?: string;
  /** Its functions were found at every call of a registrar (see HandlerSite.readsCallers). */
  readonly readsCallers?: true;
}

type LibraryCall = { readonly call: ts.CallExpression; readonly module: ModuleFacts };

/** The functions handler arguments run (see handlerFunctions). */
interface HandlerFunctions {
  readonly functions: FunctionRef[];
  /** The first argument that could not be resolved, as written. */
  readonly unresolved?: string;
  readonly calls?: LibraryCall[];
  /** When an argument may be one of several functions: every list of functions a request may run (then `functions` is none of them). */
  readonly variants?: FunctionRef[][];
  /** A parameter was read at every call of its function (see ValueResolver.callSitesOf): the routes depend on those calls. */
  readonly readsCallers?: true;
}

/** Paths one route registration makes at most when its handlers are parameters given different functions. */
const MAX_VARIANTS = 8;

/**
 * One app as the analyser sees it. Apps are mutable objects in the frameworks (`app.get(...)`
 * registers on the same app), so a state is shared by everything that reads the same app; only
 * `basePath` makes a view with another prefix over the same routes.
 */
interface AppState {
  readonly prefix: string;
  readonly middleware: Middleware[];
  readonly routes: Route[];
  readonly module: ModuleFacts;
  readonly span: { start: number; end: number };
  /** A router class of the project's (see isProjectRouter): without routes found, its own code is followed instead. */
  readonly project?: boolean;
  /** A project router's methods that register a route given a path and a function (`add(path, handler)`). */
  readonly registers?: ReadonlySet<string>;
  /** A project router class that wraps a framework's app held in a field (see wrappedRoute). */
  readonly wrapper?: ClassRef;
  /** An Elysia instance: `use(plugin)` mounts another instance's routes, `group` and hooks register. */
  readonly elysia?: true;
  /** An Express app or router: `use(path, router)` mounts a router, `route(path)` starts a chain of handlers for one path. */
  readonly express?: true;
  /** Express's `route(path)`: the chain's `get(h)`, `post(h)` are given no path of their own. */
  readonly pathOnly?: true;
  /** A worktop Router: `add(method, path, handler)` registers, `mount(prefix, router)` mounts, `prepare` runs first. */
  readonly worktop?: true;
  /** An itty-router router: a route that may answer nothing lets the next matching route run (see ittyFallThrough). */
  readonly itty?: true;
  /** itty-router's `finally: [...]` option: run after the handlers of every route. */
  readonly after?: readonly FunctionRef[];
}

/**
 * Apps of routing frameworks (Hono, OpenAPIHono, itty-router, Elysia, chanfana): each route is a
 * path through the fetch handler, made of the middleware registered before it and its handlers.
 * Routes are found however the app is built: method chains (`new Hono().use(mw).get(...)`),
 * statements on the variable that holds it, functions that receive it (`registerUsers(app)`, also
 * in a loop over such functions), sub-apps mounted with `route(path, sub)`, factories that return
 * it, and lazily assigned variables (`app ??= createApp(env)`).
 */
export class AppAdapter implements HandlerAdapter {
  readonly name = "framework apps: Hono, OpenAPIHono, itty-router, Elysia, chanfana";
  private readonly states = new Map<ts.Node, AppState | null>();
  private readonly inProgress = new Set<ts.Node>();
  /** What the parameters of the registrars being read hold: what the call that hands them the app passes (see registrar). */
  private readonly bound = new Map<ts.ParameterDeclaration, ValueRef>();
  /** Functions read as closure registrars now (see closureRegistrar): one that calls itself is read once. */
  private readonly inClosureRegistrar = new Set<ts.Node>();
  /** Apps (by their routes) whose middleware was found at every call of a registrar: all their paths depend on those calls. */
  private readonly readingCallers = new Set<readonly Route[]>();
  /** Apps held in fields of classes (see fieldState), by class and field name, per analysis. */
  private readonly fieldStates = new Map<ts.ClassLikeDeclaration, Map<string, AppState | null>>();
  /** Project classes asked about (see isProjectRouter), per analysis. */
  private readonly routerClasses = new Map<ts.ClassLikeDeclaration, ProjectRouter | null>();
  /** Calls read as registrars of the app they are given (`registerUsers(app)`): what they return is that app, already read. */
  private readonly registrarCalls = new Set<ts.Node>();

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    const state = context.binding ? this.variableState(context.binding, module, context.depth) : this.stateOf(value, module, context.depth);
    // A project class with `get`/`post` methods whose calls register no function (an HTTP client's
    // `api.get("/users")`) is not routing: its own methods are followed instead.
    if (!state || (state.project && !state.routes.some((r) => r.functions.length > 0))) return undefined;
    const form = `${context.form}${context.binding && isIdentifier(context.binding.name) ? " " + context.binding.name.text : ""} (router)`;
    if (state.routes.length === 0)
      return [{ kind: "fetch", form, module: state.module, span: state.span, functions: state.middleware.flatMap((m) => m.functions) }];
    if (state.elysia) this.noteElysiaDecorations(state);
    const sites: HandlerSite[] = state.routes.map((route) => ({
      kind: "fetch",
      form,
      module: route.module,
      span: route.span,
      functions: route.functions,
      ...(route.calls && route.calls.length > 0 ? { calls: route.calls } : {}),
      route: `${route.verb} ${route.path}`,
      ...(route.opaque ? { opaque: route.opaque } : {}),
      ...(route.readsCallers || this.readingCallers.has(state.routes) ? { readsCallers: true as const } : {}),
    }));
    // Middleware for a path no route serves answers those requests itself
    // (`app.use("/trpc/*", (c) => fetchRequestHandler({ ... }))`): a path of its own.
    state.middleware.forEach((m, index) => {
      const pattern = m.pattern;
      if (pattern === null || pattern === "*" || pattern === "/*" || (m.functions.length === 0 && !m.calls)) return;
      if (state.routes.some((r) => matches(pattern, r.path))) return;
      const before = state.middleware.slice(0, index).filter((o) => o.pattern === null || matches(o.pattern, pattern));
      const calls = [...before.flatMap((o) => o.calls ?? []), ...(m.calls ?? [])];
      sites.push({
        kind: "fetch",
        form,
        module: state.module,
        span: state.span,
        functions: [...before.flatMap((o) => o.functions), ...m.functions],
        ...(calls.length > 0 ? { calls } : {}),
        route: `ALL ${pattern}`,
        ...(this.readingCallers.has(state.routes) ? { readsCallers: true as const } : {}),
      });
    });
    return sites;
  }

  /** Whether an expression is an app: calls on it register routes, they do not run them. */
  isApp(expression: ts.Expression, module: ModuleFacts): boolean {
    return this.stateOf(expression, module, 0) !== undefined;
  }

  /**
   * `this.router[method](path, handler)` where `method` is a parameter every call gives a route
   * method's name (`register("get", ...)`): a route registered on an app, not a dynamic call.
   */
  isComputedRegistration(callee: ts.ElementAccessExpression, module: ModuleFacts): boolean {
    const key = unwrapExpression(callee.argumentExpression);
    const declaration = isIdentifier(key) ? declarationOf(key) : undefined;
    if (!declaration || !isParameter(declaration) || declaration.dotDotDotToken) return false;
    const given = this.ctx.values.argumentsAtCallSites(declaration);
    return (
      given.length > 0 &&
      given.every((g) => {
        const text = this.ctx.values.evaluateString(g.expression, 0);
        return text !== undefined && (ROUTE_METHODS.has(text) || text === "use");
      }) &&
      this.isApp(callee.expression, module)
    );
  }

  /** Whether `callee` is a project router's method that registers a route (`routes.add`, see projectRouter). */
  isRouteRegistrationOn(callee: ts.Expression, module: ModuleFacts): boolean {
    const value = unwrapExpression(callee);
    return isPropertyAccessExpression(value) && !!this.stateOf(value.expression, module, 0)?.registers?.has(value.name.text);
  }

  private stateOf(expression: ts.Expression, module: ModuleFacts, depth: number): AppState | undefined {
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (depth > 16) return undefined;
    const cached = this.states.get(value);
    if (cached !== undefined) return cached ?? undefined;
    if (this.inProgress.has(value)) return undefined;
    this.inProgress.add(value);
    let state: AppState | undefined;
    try {
      state = this.computeState(value, module, depth);
    } finally {
      this.inProgress.delete(value);
    }
    this.states.set(value, state ?? null);
    return state;
  }

  private computeState(value: ts.Expression, module: ModuleFacts, depth: number): AppState | undefined {
    const factory = this.honoFactoryOf(value, module);
    if (factory) {
      // `factory.createApp()` of `createFactory({ initApp: (app) => { app.use(mw) } })`: a new Hono
      // app on which initApp registers first.
      const state: AppState = { prefix: "", middleware: [], routes: [], module: factory.module, span: spanOf(value) };
      const options = factory.call.arguments[0] ? unwrapExpression(factory.call.arguments[0]) : undefined;
      const initApp =
        options && isObjectLiteralExpression(options)
          ? options.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === "initApp")
          : undefined;
      if (initApp && isPropertyAssignment(initApp)) this.registrar(unwrapExpression(initApp.initializer), 0, factory.module, state, depth);
      else if (initApp && ts.isMethodDeclaration(initApp) && initApp.body && initApp.parameters[0])
        this.registrations(initApp.parameters[0], initApp.body.statements, factory.module, state, depth + 1);
      return state;
    }
    if (this.isFrameworkCreation(value, module)) {
      const options = creationOptions(value, module);
      const lifecycle = options.itty ? this.ittyLifecycle(value as ts.CallExpression | ts.NewExpression, module, depth) : undefined;
      const state: AppState = {
        ...options,
        middleware: lifecycle && lifecycle.before.length > 0 ? [{ pattern: null, functions: lifecycle.before }] : [],
        routes: [],
        module,
        span: spanOf(value),
        ...(lifecycle && lifecycle.after.length > 0 ? { after: lifecycle.after } : {}),
      };
      this.givenRoutes(state, value as ts.CallExpression | ts.NewExpression, module, depth);
      return state;
    }
    const router = this.projectRouterOf(value, module);
    if (router)
      return {
        prefix: "",
        middleware: [],
        routes: [],
        module,
        span: spanOf(value),
        project: true,
        ...(router.registers.size > 0 ? { registers: router.registers } : {}),
        ...(router.wraps ? { wrapper: router.wraps } : {}),
      };
    if (isCallExpression(value)) {
      // A chain, `new Hono().use(mw).get(path, h)...`: its links in order on the app it starts from.
      const { base, links } = chainOf(value, (link) => this.isCreation(link, module));
      const callee = unwrapExpression(value.expression);
      if (links.length > 0) {
        let state = this.stateOf(base, module, depth + 1) ?? this.packageRouterChain(base, links, module);
        // `controller.setUpRoutes()` on an instance of the project's class: not a chain on an app but
        // a method that makes one (read below as a factory).
        if (!state && !(links.length === 1 && isPropertyAccessExpression(callee) && this.ctx.values.calledFunction(callee, module)))
          return undefined;
        if (state) {
          for (const link of links) state = this.applyLink(state, linkName(link), link, module, depth);
          return state;
        }
      }
      if (isIdentifier(callee) && PASS_THROUGH.has(callee.text) && value.arguments[0])
        return this.stateOf(value.arguments[0], module, depth + 1);
      // `require("./users")`: what the module exports (`module.exports = router`).
      if (requiredSpecifier(value) !== undefined) {
        const loaded = this.loadedDefault(value, module);
        if (!loaded) return undefined;
        const variable = isIdentifier(loaded.expression) ? moduleVariable(loaded.module, loaded.expression.text) : undefined;
        if (variable) return this.variableState(variable, loaded.module, depth + 1);
        return this.stateOf(loaded.expression, loaded.module, depth + 1);
      }
      // A factory of the project that returns an app: a new app at each call (`createRouter()`
      // makes the root app and each sub-app), so what it returns is copied, never shared.
      const factory = this.ctx.values.calledFunction(callee, module);
      if (factory) {
        for (const returned of this.ctx.values.returnedValues(factory.fn, factory.module)) {
          // `const app = withRoutes(issuer({...}))` where `withRoutes = (app) => { app.get(...); return app }`:
          // the app it is given, whose routes include those the function registers on it.
          const given = unwrapExpression(returned.expression);
          const parameter = isIdentifier(given) ? declarationOf(given) : undefined;
          const index = parameter && ts.isParameter(parameter) ? factory.fn.parameters.indexOf(parameter) : -1;
          if (index >= 0) {
            const argument = value.arguments[index];
            const passed = argument ? this.stateOf(argument, module, depth + 1) : undefined;
            if (passed) return passed;
            continue;
          }
          // `static applyRoutes(app) { return app.route("/", users(app)).get(...) }`: the app it is
          // given, with what it registers on it (unless the statements on the app's variable read
          // this call already).
          const givenAt = this.givenAppIndex(factory.fn, returned.expression);
          if (givenAt >= 0) {
            const argument = value.arguments[givenAt];
            const passed = argument && !value.arguments.some(isSpreadElement) ? this.stateOf(argument, module, depth + 1) : undefined;
            if (!passed) continue;
            if (!this.registrarCalls.has(value)) {
              this.registrarCalls.add(value);
              this.registrar(callee, givenAt, module, passed, depth + 1, value.arguments);
            }
            return passed;
          }
          // `getRoutes(Health)` where `getRoutes = (Class) => container.resolve(Class).routes()` (or
          // `new Class().routes()`): the app that method of the class this call gives returns.
          const method = this.givenClassMethod(factory.fn, returned, value, module);
          for (const made of method ? this.ctx.values.returnedValues(method.fn, method.module) : []) {
            const found = this.stateOf(made.expression, made.module, depth + 1);
            if (found) return { ...found, middleware: [...found.middleware], routes: [...found.routes] };
          }
          if (method) continue;
          const found = this.stateOf(returned.expression, returned.module, depth + 1);
          if (found) return { ...found, middleware: [...found.middleware], routes: [...found.routes] };
        }
      }
      return undefined;
    }
    // `this.app` in a class that makes its app in the constructor (`this.app = new Hono()`).
    if (isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword)
      return this.fieldState(value, module, depth);
    if (isPropertyAccessExpression(value) && isIdentifier(value.expression)) {
      // `api.auth` over `import * as api from "./api"`: that export of the module.
      const namespace =
        !declarationOf(value.expression) && module.imports.has(value.expression.text)
          ? this.ctx.values.namespaceOf(value.expression.text, module)
          : undefined;
      if (namespace) return this.exportedState(value.name.text, namespace, depth);
      // `Routes.auth` over `export default { auth }`: that property of the object literal.
      for (const { literal, module: at } of this.ctx.values.objectLiterals(value.expression, module, 0)) {
        const property = literal.properties.find(
          (p) => p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) && p.name.text === value.name.text,
        );
        const held = property && propertyInitializer(property);
        const state = held ? this.stateOf(held, at, depth + 1) : undefined;
        if (state) return state;
      }
      // An app cached on an object (`env.router ??= createRouter()`, `if (!env.router) env.router = router`):
      // what is assigned to that property of the same object in this module.
      const holder = declarationOf(value.expression);
      for (const assignment of module.assignments.get(value.expression.text + "." + value.name.text) ?? []) {
        const left = assignment.left as ts.PropertyAccessExpression;
        if (!isIdentifier(left.expression) || declarationOf(left.expression) !== holder) continue;
        const state = this.stateOf(assignment.right, module, depth + 1);
        if (state) return state;
      }
      return undefined;
    }
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isVariableDeclaration(declaration)) return this.variableState(declaration, module, depth);
      if (declaration) return undefined;
      // Imported: the exported variable, with the routes registered on it in its own module.
      const imported = module.imports.get(value.text);
      if (!imported) return undefined;
      const importedFrom = this.ctx.loader.moduleFor(imported.module, module);
      return importedFrom ? this.exportedState(imported.name, importedFrom, depth) : undefined;
    }
    return undefined;
  }

  /**
   * `this.app` in a class whose field holds a framework's app (`this.app = new Hono()` in the
   * constructor, or `app = new Hono()` as the field's initializer): that app, with what the
   * constructor registers on `this.app`, also under an `if` and in the methods of the class it calls
   * on `this` (`this.bootstrap()`), in order.
   */
  private fieldState(access: ts.PropertyAccessExpression, module: ModuleFacts, depth: number): AppState | undefined {
    const cls = ts.findAncestor(access, isClassLike);
    if (!cls || depth > 16) return undefined;
    const name = access.name.text;
    let fields = this.fieldStates.get(cls);
    if (!fields) this.fieldStates.set(cls, (fields = new Map()));
    const cached = fields.get(name);
    if (cached !== undefined) return cached ?? undefined;
    fields.set(name, null); // an app that reaches itself again finds nothing more
    let state: AppState | undefined;
    for (const source of this.ctx.values.thisMemberValues(access, module)) {
      state = this.stateOf(source.expression, source.module, depth + 1);
      if (state) break;
    }
    if (state) {
      const refers = (node: ts.Expression): boolean => {
        const value = unwrapExpression(node);
        return (
          isPropertyAccessExpression(value) &&
          value.expression.kind === ts.SyntaxKind.ThisKeyword &&
          value.name.text === name &&
          ts.findAncestor(value, isClassLike) === cls
        );
      };
      const constructor = cls.members.find(ts.isConstructorDeclaration);
      const statements = constructor?.body ? constructorStatements(cls, constructor.body.statements) : [];
      this.registrations(access, statements, module, state, depth + 1, refers);
      this.methodRegistrations(cls, refers, module, state, depth + 1);
    }
    fields.set(name, state ?? null);
    return state;
  }

  /**
   * An adapter class's method that registers on the app it holds with the method chosen by a
   * parameter (`on(method, path, ...handlers) { this.router[method](path, ...) }`): at every call of
   * the method (`http.on("post", "/users", create)`), the route that call makes, its key, path and
   * handlers read with the method's parameters holding what the call passes (a rest parameter: its
   * arguments from there on).
   */
  private methodRegistrations(
    cls: ts.ClassLikeDeclaration,
    refers: (node: ts.Expression) => boolean,
    module: ModuleFacts,
    state: AppState,
    depth: number,
  ): void {
    for (const member of cls.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      const registrations: ts.CallExpression[] = [];
      const visit = (node: ts.Node): void => {
        if (node !== member && ts.isFunctionLike(node)) return;
        if (isCallExpression(node)) {
          const callee = unwrapExpression(node.expression);
          if (ts.isElementAccessExpression(callee) && refers(callee.expression) && parameterKey(callee, member)) registrations.push(node);
        }
        ts.forEachChild(node, visit);
      };
      visit(member.body);
      if (registrations.length === 0) continue;
      for (const site of this.ctx.values.callSitesOf({ fn: member, module })) {
        if (site.call.arguments.some(isSpreadElement)) continue;
        const previous: Array<[ts.ParameterDeclaration, ValueRef | undefined]> = [];
        member.parameters.forEach((p, i) => {
          const argument = site.call.arguments[i];
          if (!argument || p.dotDotDotToken) return;
          previous.push([p, this.bound.get(p)]);
          this.bound.set(p, { expression: argument, module: site.module });
        });
        try {
          for (const registration of registrations) this.computedRegistration(state, member, registration, site, module, depth);
        } finally {
          for (const [p, before] of previous) {
            if (before) this.bound.set(p, before);
            else this.bound.delete(p);
          }
        }
      }
    }
  }

  /** One call's registration through `this.router[method](...)` (see methodRegistrations). */
  private computedRegistration(
    state: AppState,
    method: ts.MethodDeclaration,
    registration: ts.CallExpression,
    site: { call: ts.CallExpression; module: ModuleFacts },
    module: ModuleFacts,
    depth: number,
  ): void {
    const key = parameterKey(unwrapExpression(registration.expression) as ts.ElementAccessExpression, method)!;
    const keyArgument = site.call.arguments[method.parameters.indexOf(key)];
    const verb = keyArgument && this.ctx.values.evaluateString(keyArgument, 0);
    if (!verb || !(ROUTE_METHODS.has(verb) || verb === "use")) return;
    // The registration's arguments as this call gives them: parameters bound, a rest parameter spread.
    const args: ts.Expression[] = [];
    let argsModule = module;
    for (const arg of registration.arguments) {
      const inner = isSpreadElement(arg) ? unwrapExpression(arg.expression) : unwrapExpression(arg);
      const declaration = isIdentifier(inner) ? declarationOf(inner) : undefined;
      const at = declaration && isParameter(declaration) ? method.parameters.indexOf(declaration) : -1;
      if (at >= 0 && method.parameters[at]!.dotDotDotToken && isSpreadElement(arg)) {
        args.push(...site.call.arguments.slice(at));
        argsModule = site.module;
      } else if (at >= 0 && !method.parameters[at]!.dotDotDotToken && site.call.arguments[at]) {
        const given = site.call.arguments[at]!;
        // A path given by the call: its text there.
        const text = args.length === 0 ? this.ctx.values.evaluateString(given, 0) : undefined;
        args.push(text !== undefined ? ts.factory.createStringLiteral(text) : given);
      } else args.push(arg);
    }
    const span = spanOf(site.call);
    if (verb === "use") {
      const hasPath = args[0] !== undefined && isStringLiteralLike(args[0]);
      const pattern = hasPath ? joinRoute(state.prefix, (args[0] as ts.StringLiteralLike).text) : null;
      const { functions } = this.handlerFunctions(args.slice(hasPath ? 1 : 0), argsModule);
      state.middleware.push({ pattern, functions });
      return;
    }
    const first = args[0];
    const path = first && isStringLiteralLike(first) ? first.text : "*";
    const full = joinRoute(state.prefix, path);
    // The handlers written in the method are read in its module; those the call gives, in the call's.
    const functions: FunctionRef[] = [];
    let unresolved: string | undefined;
    for (const handler of args.slice(1)) {
      const home = site.call.arguments.includes(handler) ? site.module : module;
      const found = this.handlerFunctions([handler], home, false, depth);
      functions.push(...found.functions);
      unresolved ??= found.unresolved;
    }
    state.routes.push({
      verb: verb.toUpperCase(),
      path: full,
      module: site.module,
      span,
      functions: [...this.middlewareFor(state, full), ...functions],
      ...(unresolved ? { opaque: `the handler ${unresolved} of ${verb.toUpperCase()} ${full} could not be resolved` } : {}),
      readsCallers: true,
    });
  }

  /** The app a module exports under `name`, through re-exports (a barrel's `export { default as items } from "./items"`, `export *`). */
  private exportedState(name: string, from: ModuleFacts, depth: number): AppState | undefined {
    const found = this.ctx.values.exportOf(name, from);
    if (!found || found.binding.reexport) return undefined;
    const { binding: exported, module: target } = found;
    const local = exported.local ?? (exported.expression && isIdentifier(exported.expression) ? exported.expression.text : undefined);
    const variable = local ? moduleVariable(target, local) : undefined;
    if (variable) return this.variableState(variable, target, depth + 1);
    if (exported.expression) return this.stateOf(exported.expression, target, depth + 1);
    return undefined;
  }

  /** The variable a module exports under `name` (`export const routes = [...]`), when it is one. */
  private exportedVariable(name: string, from: ModuleFacts): { declaration: ts.VariableDeclaration; module: ModuleFacts } | undefined {
    const found = this.ctx.values.exportOf(name, from);
    if (!found || found.binding.reexport) return undefined;
    const { binding: exported, module: target } = found;
    const local = exported.local ?? (exported.expression && isIdentifier(exported.expression) ? exported.expression.text : undefined);
    const declaration = local ? moduleVariable(target, local) : undefined;
    return declaration ? { declaration, module: target } : undefined;
  }

  /** The app a variable holds (initializer or assignments), with the routes registered on the variable. */
  private variableState(declaration: ts.VariableDeclaration, module: ModuleFacts, depth: number): AppState | undefined {
    const cached = this.states.get(declaration);
    if (cached !== undefined) return cached ?? undefined;
    if (this.inProgress.has(declaration) || depth > 16) return undefined;
    this.inProgress.add(declaration);
    let state: AppState | undefined;
    try {
      for (const source of this.ctx.values.variableValues(declaration, module)) {
        state = this.stateOf(source.expression, source.module, depth + 1);
        if (state) break;
      }
      state ??= this.packageRouterVariable(declaration, module);
      if (state) {
        const statements = scopeStatements(declaration);
        if (statements) this.registrations(declaration, statements, module, state, depth);
        this.importerRegistrations(declaration, module, state, depth);
      }
    } finally {
      this.inProgress.delete(declaration);
    }
    this.states.set(declaration, state ?? null);
    return state;
  }

  /**
   * Routes registered on an app held by `holder` (a variable, or a registrar's parameter) in the
   * given statements: chains on it, registrar functions it is passed to, loops over registrars.
   */
  private registrations(
    holder: ts.VariableDeclaration | ts.ParameterDeclaration | ts.PropertyAccessExpression,
    statements: ReadonlyArray<ts.Statement | ts.Expression>,
    module: ModuleFacts,
    state: AppState,
    depth: number,
    refers?: (node: ts.Expression) => boolean,
  ): void {
    if (depth > 16) return;
    const refersToHolder =
      refers ??
      ((node: ts.Expression): boolean => {
        const value = unwrapExpression(node);
        return isIdentifier(value) && declarationOf(value) === holder;
      });
    for (const statement of statements) {
      if (isVariableStatement(statement)) {
        for (const alias of statement.declarationList.declarations) this.alias(alias, refersToHolder, statements, module, state, depth);
        continue;
      }
      if (isForOfStatement(statement)) {
        this.registrarLoop(statement, refersToHolder, module, state, depth);
        continue;
      }
      // `return router.get(...)` (a registrar that returns the app), an arrow's expression body.
      const written = isExpressionStatement(statement)
        ? statement.expression
        : isReturnStatement(statement)
          ? statement.expression
          : isStatement(statement)
            ? undefined
            : (statement as ts.Expression);
      if (!written) continue;
      let expression = unwrapExpression(written);
      if (isAwaitExpression(expression)) expression = unwrapExpression(expression.expression);
      if (
        state.worktop &&
        ts.isBinaryExpression(expression) &&
        expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        isPropertyAccessExpression(expression.left) &&
        expression.left.name.text === "prepare" &&
        refersToHolder(expression.left.expression)
      ) {
        this.worktopPrepare(state, expression.right, module);
        continue;
      }
      if (!isCallExpression(expression)) continue;
      // `routers.forEach((r) => app.route("/", r))`: the loop's body for each element of the list.
      const eachCallee = unwrapExpression(expression.expression);
      const callback = expression.arguments[0] ? unwrapExpression(expression.arguments[0]) : undefined;
      if (
        isPropertyAccessExpression(eachCallee) &&
        eachCallee.name.text === "forEach" &&
        callback &&
        (isArrowFunction(callback) || isFunctionExpression(callback)) &&
        callback.parameters[0]
      ) {
        const body = isBlock(callback.body) ? callback.body.statements : [callback.body];
        this.eachElement(callback.parameters[0], body, eachCallee.expression, refersToHolder, module, state, depth);
        continue;
      }
      // `app.get(...).post(...)`: the links of the chain, innermost first.
      const { base, links } = chainOf(expression);
      if (links.length > 0 && refersToHolder(base)) {
        // A basePath inside one statement's chain applies to the rest of that chain only.
        let view = state;
        for (const link of links) {
          if (view === state && this.selfMount(link, refersToHolder, module, state, depth)) continue;
          view = this.applyLink(view, linkName(link), link, module, depth);
        }
        continue;
      }
      // `registerUsers(app)`: the app handed to a function that registers routes on it.
      const position = expression.arguments.findIndex(refersToHolder);
      if (position >= 0) {
        this.registrarCalls.add(expression);
        this.registrar(unwrapExpression(expression.expression), position, module, state, depth, expression.arguments);
      }
      // `cachedRoute("/list", handler)`: a module function that registers on the app it closes over.
      else this.closureRegistrar(expression, refersToHolder, holder, module, state, depth);
    }
  }

  /**
   * A call of a project function that registers routes on the app it closes over, not on one it is
   * given (`function cachedRoute(path, handler) { return app.get(path, cacheHeaders, handler) }`,
   * called as `cachedRoute("/", async (c) => ...)`): its body's registrations, with its parameters
   * holding what this call passes.
   */
  private closureRegistrar(
    call: ts.CallExpression,
    refersToHolder: (node: ts.Expression) => boolean,
    holder: ts.VariableDeclaration | ts.ParameterDeclaration | ts.PropertyAccessExpression,
    module: ModuleFacts,
    state: AppState,
    depth: number,
  ): void {
    const callee = unwrapExpression(call.expression);
    if (!isIdentifier(callee) || call.arguments.some(isSpreadElement)) return;
    const fn = this.ctx.values.calledFunction(callee, module);
    const body = fn?.fn.body;
    if (!fn || !body || fn.module !== module || this.inClosureRegistrar.has(fn.fn)) return;
    let refers = false;
    let visited = 0;
    const visit = (node: ts.Node): void => {
      if (refers || ++visited > 4000) return;
      if (isIdentifier(node) && refersToHolder(node)) refers = true;
      else ts.forEachChild(node, visit);
    };
    visit(body);
    if (!refers) return;
    const previous: Array<[ts.ParameterDeclaration, ValueRef | undefined]> = [];
    fn.fn.parameters.forEach((p, i) => {
      const argument = call.arguments[i];
      if (!argument || p.dotDotDotToken) return;
      previous.push([p, this.bound.get(p)]);
      this.bound.set(p, { expression: argument, module });
    });
    this.inClosureRegistrar.add(fn.fn);
    try {
      this.registrations(holder, isBlock(body) ? body.statements : [body], fn.module, state, depth + 1, refersToHolder);
    } finally {
      this.inClosureRegistrar.delete(fn.fn);
      for (const [p, before] of previous) {
        if (before) this.bound.set(p, before);
        else this.bound.delete(p);
      }
    }
  }

  /**
   * Another name for the same app (`const openapi = fromHono(app)`, `const api = app.basePath("/api")`):
   * routes registered on it are the app's too.
   */
  private alias(
    declaration: ts.VariableDeclaration,
    refersToHolder: (node: ts.Expression) => boolean,
    statements: ReadonlyArray<ts.Statement | ts.Expression>,
    module: ModuleFacts,
    state: AppState,
    depth: number,
  ): void {
    let value = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
    // `const app = withRoutes(authApp)`: the app handed to a function that registers routes on it
    // (and returns it, read as the new name's app where that is asked, see computeState).
    const callee = value && isCallExpression(value) ? unwrapExpression(value.expression) : undefined;
    if (
      value &&
      isCallExpression(value) &&
      callee &&
      !isPropertyAccessExpression(callee) &&
      !(isIdentifier(callee) && PASS_THROUGH.has(callee.text))
    ) {
      const position = value.arguments.findIndex(refersToHolder);
      if (position >= 0) {
        this.registrar(unwrapExpression(value.expression), position, module, state, depth, value.arguments);
        return;
      }
    }
    const links: ts.CallExpression[] = [];
    while (value && isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      if (isIdentifier(callee) && PASS_THROUGH.has(callee.text) && value.arguments[0]) value = unwrapExpression(value.arguments[0]);
      else if (isPropertyAccessExpression(callee)) {
        links.unshift(value);
        value = unwrapExpression(callee.expression);
      } else break;
    }
    if (!value || !refersToHolder(value) || this.states.has(declaration)) return;
    let view = state;
    for (const link of links) view = this.applyLink(view, linkName(link), link, module, depth);
    this.states.set(declaration, view);
    this.registrations(declaration, statements, module, view, depth + 1);
  }

  /**
   * Routes registered on an exported app by the modules that import it (`import { app } from
   * "./app"; app.get(...)` in the entry). Those modules are not in the app module's imports: a walk
   * that reads them is not kept.
   */
  private importerRegistrations(declaration: ts.VariableDeclaration, module: ModuleFacts, state: AppState, depth: number): void {
    if (!isIdentifier(declaration.name) || !isSourceFile(declaration.parent.parent.parent)) return;
    const local = declaration.name.text;
    const exportedAs = [...module.exports]
      .filter(([, b]) => b.local === local || (b.expression !== undefined && isIdentifier(b.expression) && b.expression.text === local))
      .map(([name]) => name);
    if (exportedAs.length === 0) return;
    // The modules loaded when asked (moduleFor may load more: they are not read), without a copy of
    // the list: asked for every exported app, the copies were a large part of what a walk allocated.
    let left = this.ctx.loader.modules.size;
    for (const importer of this.ctx.loader.modules.values()) {
      if (left-- === 0) break;
      if (importer === module) continue;
      for (const [name, binding] of importer.imports) {
        if (!exportedAs.includes(binding.name) || this.ctx.loader.moduleFor(binding.module, importer) !== module) continue;
        this.ctx.walker.cutWalk();
        const refersToImport = (node: ts.Expression): boolean => {
          const value = unwrapExpression(node);
          return isIdentifier(value) && value.text === name && declarationOf(value) === undefined;
        };
        this.registrations(declaration, importer.sourceFile.statements, importer, state, depth + 1, refersToImport);
      }
    }
  }

  /**
   * `app.route("/", PostHandler.apply(app))` where `apply` registers its routes on the app it is
   * given and returns that app: the routes are the app's own (mounting an app into itself at its
   * root adds copies of the same routes), so the function is read as a registrar of the app.
   */
  private selfMount(
    link: ts.CallExpression,
    refersToHolder: (node: ts.Expression) => boolean,
    module: ModuleFacts,
    state: AppState,
    depth: number,
  ): boolean {
    if (linkName(link) !== "route" || link.arguments.length !== 2) return false;
    const [path, mounted] = link.arguments as unknown as [ts.Expression, ts.Expression];
    if (!isStringLiteralLike(path) || (path.text !== "/" && path.text !== "")) return false;
    const call = unwrapExpression(mounted);
    if (!isCallExpression(call) || call.arguments.some(isSpreadElement)) return false;
    const position = call.arguments.findIndex(refersToHolder);
    if (position < 0) return false;
    const callee = unwrapExpression(call.expression);
    const fn = this.ctx.values.calledFunction(callee, module);
    if (!fn || this.givenAppIndex(fn.fn, undefined, fn.module) !== position) return false;
    this.registrarCalls.add(call);
    this.registrar(callee, position, module, state, depth, call.arguments);
    return true;
  }

  /**
   * Which parameter of `fn` holds the app it returns, when every value it returns is that
   * parameter or a chain of calls on it (`return app.get(...).post(...)`); -1 otherwise. With
   * `returned`, only that returned value is asked about.
   */
  private givenAppIndex(fn: ts.FunctionLikeDeclaration, returned: ts.Expression | undefined, module?: ModuleFacts): number {
    const indexOf = (expression: ts.Expression): number => {
      let value = unwrapExpression(expression);
      if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
      const { base: chainBase, links } = chainOf(value);
      // `return app.fetch(request)` returns a response, not the app: only registrations keep it the app.
      if (!links.every((link) => REGISTERING_LINKS.has(linkName(link)))) return -1;
      const base = unwrapExpression(chainBase);
      const parameter = isIdentifier(base) ? declarationOf(base) : undefined;
      return parameter && ts.isParameter(parameter) && !parameter.dotDotDotToken ? fn.parameters.indexOf(parameter) : -1;
    };
    if (returned) return indexOf(returned);
    if (!module) return -1;
    const values = this.ctx.values.returnedValues(fn, module);
    const indexes = new Set(values.map((v) => indexOf(v.expression)));
    return values.length > 0 && indexes.size === 1 ? [...indexes][0]! : -1;
  }

  /**
   * A factory's returned `X.method()` where X is an instance of a class the factory is given
   * (`container.resolve(Class)`, `new Class()`, `Class` a parameter): that method of the class the
   * call passes (an identifier naming a project class), else undefined.
   */
  private givenClassMethod(
    fn: ts.FunctionLikeDeclaration,
    returned: ValueRef,
    call: ts.CallExpression,
    module: ModuleFacts,
  ): FunctionRef | undefined {
    let value = unwrapExpression(returned.expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee)) return undefined;
    const receiver = unwrapExpression(callee.expression);
    const made = isNewExpression(receiver) ? unwrapExpression(receiver.expression) : undefined;
    const given = made ?? (isCallExpression(receiver) ? resolvedClassArgument(receiver) : undefined);
    const parameter = given && isIdentifier(given) ? declarationOf(given) : undefined;
    if (!parameter || !isParameter(parameter) || parameter.dotDotDotToken || parameter.parent !== fn) return undefined;
    const index = fn.parameters.indexOf(parameter);
    if (call.arguments.slice(0, index + 1).some(isSpreadElement)) return undefined;
    const argument = call.arguments[index] ? unwrapExpression(call.arguments[index]) : undefined;
    if (!argument || !isIdentifier(argument)) return undefined;
    const declaration = declarationOf(argument);
    const cls: ClassRef | undefined =
      declaration && isClassLike(declaration)
        ? { cls: declaration, module }
        : declaration
          ? undefined
          : this.ctx.values.classNamed(argument.text, module);
    return cls ? this.ctx.values.methodOf(cls, callee.name.text) : undefined;
  }

  private registrar(
    callee: ts.Expression,
    position: number,
    module: ModuleFacts,
    state: AppState,
    depth: number,
    args?: readonly ts.Expression[],
  ): void {
    const fn = this.ctx.values.calledFunction(callee, module) ?? this.ctx.values.functionFrom(callee, module);
    // What it is given (`cardEndpoint(app, "/cards", render)`) is what its routes' handlers call.
    if (fn && args) this.ctx.values.noteRegistrarArguments(fn, args, module);
    const parameter = fn?.fn.parameters[position];
    const body = fn?.fn.body;
    if (!fn || !parameter || !body) return;
    // While its routes are read, its parameters hold what this call passes (`register(app, guard)`).
    const previous: Array<[ts.ParameterDeclaration, ValueRef | undefined]> = [];
    if (args && !args.some(isSpreadElement))
      fn.fn.parameters.forEach((p, i) => {
        const argument = args[i];
        if (!argument || p.dotDotDotToken) return;
        previous.push([p, this.bound.get(p)]);
        this.bound.set(p, { expression: argument, module });
      });
    try {
      this.registrations(parameter, isBlock(body) ? body.statements : [body], fn.module, state, depth + 1);
    } finally {
      for (const [p, before] of previous) {
        if (before) this.bound.set(p, before);
        else this.bound.delete(p);
      }
    }
  }

  /** `for (const register of routes) register(app)`, `for (const sub of routers) app.route("/", sub)`: each element of the list. */
  private registrarLoop(
    loop: ts.ForOfStatement,
    refersToHolder: (node: ts.Expression) => boolean,
    module: ModuleFacts,
    state: AppState,
    depth: number,
  ): void {
    const variable = isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0] : undefined;
    const body = isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
    if (variable) this.eachElement(variable, body, loop.expression, refersToHolder, module, state, depth);
  }

  /**
   * A loop over a list (for-of or forEach) whose body hands each element the app (`register(app)`)
   * or mounts each element on it (`app.route("/", sub)`): what each element registers.
   */
  private eachElement(
    variable: ts.VariableDeclaration | ts.ParameterDeclaration,
    body: readonly ts.Node[],
    list: ts.Expression,
    refersToHolder: (node: ts.Expression) => boolean,
    module: ModuleFacts,
    state: AppState,
    depth: number,
  ): void {
    const isElement = (node: ts.Expression): boolean => {
      const value = unwrapExpression(node);
      return isIdentifier(value) && declarationOf(value) === variable;
    };
    for (const statement of body) {
      let call = isExpressionStatement(statement)
        ? unwrapExpression(statement.expression)
        : isCallExpression(statement)
          ? statement
          : undefined;
      if (call && isAwaitExpression(call)) call = unwrapExpression(call.expression);
      if (!call || !isCallExpression(call)) continue;
      const callee = unwrapExpression(call.expression);
      const position = call.arguments.findIndex(refersToHolder);
      if (position >= 0 && isElement(callee)) {
        for (const element of this.listElements(list, module)) this.registrar(element.expression, position, element.module, state, depth);
        continue;
      }
      const mounted = call.arguments[1];
      if (
        isPropertyAccessExpression(callee) &&
        callee.name.text === "route" &&
        refersToHolder(callee.expression) &&
        mounted &&
        isElement(mounted)
      ) {
        const span = spanOf(callee.name);
        for (const element of this.listElements(list, module))
          this.mount(state, call.arguments[0], element.expression, element.module, module, span, depth);
      }
    }
  }

  private listElements(expression: ts.Expression, module: ModuleFacts): Array<{ expression: ts.Expression; module: ModuleFacts }> {
    const value = unwrapExpression(expression);
    if (isArrayLiteralExpression(value)) return value.elements.map((e) => ({ expression: e, module }));
    if (!isIdentifier(value)) return [];
    for (const source of this.ctx.values.valuesOf(value, module)) {
      const list = unwrapExpression(source.expression);
      if (isArrayLiteralExpression(list)) return list.elements.map((e) => ({ expression: e, module: source.module }));
    }
    return [];
  }

  /** One registration on an app: middleware, a route, a mounted sub-app, a base path. */
  private applyLink(state: AppState, method: string, call: ts.CallExpression, module: ModuleFacts, depth: number): AppState {
    const args = call.arguments;
    const span = spanOf((unwrapExpression(call.expression) as ts.PropertyAccessExpression).name);
    if (method === "basePath") {
      const path = args[0] && isStringLiteralLike(args[0]) ? args[0].text : "";
      return { ...state, prefix: joinRoute(state.prefix, path) };
    }
    if (state.elysia) {
      const handled = this.elysiaLink(state, method, call, module, depth);
      if (handled) return handled;
    }
    if (state.express) {
      const handled = this.expressLink(state, method, call, module, span, depth);
      if (handled) return handled;
    }
    if (state.worktop) return this.worktopLink(state, method, call, module, span, depth);
    if (method === "use") {
      const hasPath = args[0] !== undefined && isStringLiteralLike(args[0]);
      const pattern = hasPath ? joinRoute(state.prefix, (args[0] as ts.StringLiteralLike).text) : null;
      // `use("/trpc/*", trpcServer({ router }))`: the router's procedures are routes under the pattern.
      const served = args
        .slice(hasPath ? 1 : 0)
        .map((a) => unwrapExpression(a))
        .find((a): a is ts.CallExpression => isCallExpression(a) && isHonoTrpcServer(a, module));
      const procedures = served ? this.ctx.handlers.trpc.middlewareSites(served, module, pattern ?? state.prefix + "/*") : undefined;
      if (procedures) {
        for (const site of procedures) {
          const [verb = "ALL", path = pattern ?? "*"] = site.route?.split(" ") ?? [];
          state.routes.push({
            verb,
            path,
            module: site.module,
            span: site.span,
            functions: [...this.middlewareFor(state, path), ...site.functions],
            ...(site.opaque ? { opaque: site.opaque } : {}),
          });
        }
        return state;
      }
      const { functions, calls, readsCallers } = this.handlerFunctions(args.slice(hasPath ? 1 : 0), module);
      if (readsCallers) this.readingCallers.add(state.routes);
      state.middleware.push({ pattern, functions, ...(calls ? { calls } : {}) });
      return state;
    }
    if (method === "mount") {
      // `mount(path, (request, env) => ...)`: a fetch function for everything under the path.
      const hasPath = args[0] !== undefined && isStringLiteralLike(args[0]);
      const path = hasPath ? joinRoute(state.prefix, (args[0] as ts.StringLiteralLike).text) : state.prefix || "/";
      // Elysia's `mount(handler)` takes no path.
      const mountedValue = hasPath ? args[1] : args.length === 1 ? args[0] : args[1];
      const target = mountedValue ? unwrapExpression(mountedValue) : undefined;
      const fn = target && !isCallExpression(target) ? this.ctx.values.functionFrom(target, module) : undefined;
      // A library's handler as it is (`mount(auth.handler)` of better-auth): a call of it for each request.
      const library =
        !fn &&
        target &&
        isPropertyAccessExpression(target) &&
        isIdentifier(target.expression) &&
        this.ctx.classifier.isLibraryClient(target.expression, module)
          ? target
          : undefined;
      if (library) {
        const full = joinRoute(path, "*");
        state.routes.push({
          verb: "ALL",
          path: full,
          module,
          span,
          functions: this.middlewareFor(state, full),
          calls: [...this.middlewareCallsFor(state, full), { call, module, callee: library }],
        });
        return state;
      }
      const handedTo =
        !fn && target
          ? this.ctx.handlers
              .valueSites(
                isPropertyAccessExpression(target) && target.name.text === "fetch" ? target.expression : target,
                module,
                "mounted",
                depth + 1,
              )
              .filter((s) => s.kind === "fetch")
          : [];
      const full = joinRoute(path, "*");
      if (fn || handedTo.length === 0)
        state.routes.push({
          verb: "ALL",
          path: full,
          module,
          span,
          functions: [...this.middlewareFor(state, full), ...(fn ? [fn] : [])],
          ...(fn ? {} : { opaque: `what is mounted at ${path} (${target ? truncate(printNode(target)) : "?"}) could not be resolved` }),
        });
      for (const site of handedTo)
        state.routes.push({
          verb: "ALL",
          path: full,
          module: site.module,
          span,
          functions: [...this.middlewareFor(state, full), ...site.functions],
          ...(site.opaque ? { opaque: site.opaque } : {}),
        });
      return state;
    }
    if (method === "route") return this.mount(state, args[0], args[1], module, module, span, depth);
    if (state.wrapper && this.wrappedRoute(state, state.wrapper, method, call, module, span)) return state;
    const route = state.registers?.has(method) ? this.registeredRoute(args, module) : this.routeOf(method, args, module);
    if (!route) return state;
    // `router.all("/api/*", apiRouter.handle)`: another app's handler, given the whole request (its
    // routes carry their own base): that app's routes, mounted where this app's are.
    const handedOn = this.handedToApp(route.handlers, module, depth);
    if (handedOn) {
      // Handlers before it (`router.all("/api/*", requireAuth, apiRouter.handle)`) run first, on every route it has.
      const leading = route.handlers.length > 1 ? this.handlerFunctions(route.handlers.slice(0, -1), module, false, depth) : undefined;
      return this.mount(state, undefined, handedOn, module, module, span, depth, leading);
    }
    const full = joinRoute(state.prefix, state.pathOnly && !(args[0] && isStringLiteralLike(args[0])) ? "" : route.path);
    const { functions, unresolved, calls, variants, readsCallers } = this.handlerFunctions(route.handlers, module, true);
    const libraryCalls = [...this.middlewareCallsFor(state, full), ...(calls ?? [])];
    // A handler that may be one of several functions: a path for each.
    for (const handlers of variants ?? [functions])
      state.routes.push({
        verb: route.verb,
        path: full,
        module,
        span,
        functions: [...this.middlewareFor(state, full, route.verb), ...handlers, ...(state.after ?? [])],
        ...(libraryCalls.length > 0 ? { calls: libraryCalls } : {}),
        ...(unresolved ? { opaque: `the handler ${unresolved} of ${route.verb} ${full} could not be resolved` } : {}),
        ...(readsCallers ? { readsCallers } : {}),
      });
    if (state.itty && !variants && !unresolved && !calls) this.ittyFallThrough(state, route.verb, full, functions);
    return state;
  }

  /**
   * An itty-router route whose handlers may all answer nothing (`router.all("*", withUser)`, also
   * `router.get("/orders", requireAdmin)`) goes on to the later routes it matches: their middleware.
   */
  private ittyFallThrough(state: AppState, verb: string, path: string, functions: readonly FunctionRef[]): void {
    if (functions.length === 0) return;
    const lookup = (expression: ts.Expression, module: ModuleFacts): FunctionRef | undefined =>
      this.ctx.values.functionFrom(expression, module);
    if (!functions.every((f) => mayAnswerNothing(f, lookup))) return;
    state.middleware.push({ pattern: path, verb, functions });
  }

  /**
   * Elysia's `decorate("db", db)` (or `decorate({ db })`) on any instance: the context every
   * handler and hook is given holds it (`({ db }) => ...`, `const { db } = ctx`). Read from every
   * module that imports Elysia (a plugin instance is often in a module of its own), once per
   * analysis; what the routes' functions are given is told to the values.
   */
  private noteElysiaDecorations(state: AppState): void {
    if (!this.decorations) {
      const found = new Map<string, Array<{ expression: ts.Expression; module: ModuleFacts }>>();
      const add = (name: string, expression: ts.Expression, module: ModuleFacts): void => {
        const list = found.get(name) ?? [];
        list.push({ expression, module });
        found.set(name, list);
      };
      for (const module of this.ctx.loader.modules.values()) {
        if (![...module.imports.values()].some((i) => i.module === "elysia")) continue;
        for (const call of module.calls) {
          if (!isCallExpression(call) || !isPropertyAccessExpression(call.expression) || call.expression.name.text !== "decorate") continue;
          const [first, second] = call.arguments.map((a) => unwrapExpression(a));
          if (first && second && isStringLiteralLike(first)) add(first.text, second, module);
          else if (first && !second && isObjectLiteralExpression(first))
            for (const property of first.properties) {
              if (isPropertyAssignment(property) && (isIdentifier(property.name) || isStringLiteralLike(property.name)))
                add(property.name.text, property.initializer, module);
              else if (ts.isShorthandPropertyAssignment(property)) add(property.name.text, property.name, module);
            }
        }
      }
      this.decorations = found;
    }
    if (this.decorations.size === 0) return;
    for (const route of state.routes)
      for (const { fn } of route.functions) {
        const parameter = fn.parameters[0];
        if (!parameter) continue;
        for (const [name, values] of this.decorations) this.ctx.values.noteFrameworkArgument(parameter, name, values);
      }
  }

  /** Elysia's decorations by name, per analysis (see noteElysiaDecorations). */
  private decorations: Map<string, Array<{ expression: ts.Expression; module: ModuleFacts }>> | undefined;

  /**
   * Elysia's own registrations: `use(instance)` mounts another instance's routes (each under its
   * own `prefix`), `use((app) => app.get(...))` is a plugin function given the app, `group(prefix,
   * fn)` and `guard(hooks, fn)` register under a prefix or hooks, and the lifecycle hooks (`derive`,
   * `resolve`, `onBeforeHandle`, ...) run for the routes registered after them on the same instance
   * (and, `{ as: "scoped" | "global" }`, on the instance that mounts it). Undefined: not one of them.
   */
  private elysiaLink(state: AppState, method: string, call: ts.CallExpression, module: ModuleFacts, depth: number): AppState | undefined {
    // `use(await staticPlugin({ ... }))`: what is awaited.
    const args = call.arguments.map((a) => {
      const value = unwrapExpression(a);
      return isAwaitExpression(value) ? unwrapExpression(value.expression) : value;
    });
    if (method === "use") {
      const rest: ts.Expression[] = [];
      for (const arg of args) {
        const sub = this.stateOf(arg, module, depth + 1);
        if (!sub) {
          // A plugin function (`use((app) => app.get(...))`, also by name, or a module's default
          // export loaded with `use(import("./lazy"))`) is given the app.
          const loaded = isCallExpression(arg) ? this.loadedDefault(arg, module) : undefined;
          const plugin = loaded ? this.ctx.values.functionFrom(loaded.expression, loaded.module) : undefined;
          if (plugin && loaded) this.registrar(loaded.expression, 0, loaded.module, state, depth);
          else if (!isCallExpression(arg) && this.ctx.values.functionFrom(arg, module)) this.registrar(arg, 0, module, state, depth);
          else rest.push(arg);
          continue;
        }
        if (sub.routes === state.routes) continue;
        for (const route of [...sub.routes]) {
          const full = joinRoute(state.prefix, route.path);
          state.routes.push({ ...route, path: full, functions: [...this.middlewareFor(state, full), ...route.functions] });
        }
        for (const m of sub.middleware)
          if (m.scope)
            state.middleware.push({ pattern: null, functions: m.functions, ...(m.scope === "global" ? { scope: m.scope } : {}) });
      }
      if (rest.length > 0) {
        const { functions, unresolved, readsCallers } = this.handlerFunctions(rest, module);
        if (readsCallers) this.readingCallers.add(state.routes);
        state.middleware.push({ pattern: null, functions });
        // A plugin of the project's that cannot be read may hold routes: unknown, never nothing.
        if (unresolved) this.unresolvedMount(state, state.prefix || "/", unresolved, call, module);
      }
      return state;
    }
    if (method === "group" || method === "guard") {
      const path = method === "group" && args[0] && isStringLiteralLike(args[0]) ? args[0].text : undefined;
      if (method === "group" && path === undefined) return undefined;
      const fromIndex = method === "group" ? 1 : 0;
      const hooks = args.slice(fromIndex).find((a) => isObjectLiteralExpression(a) || isCallExpression(a));
      const callback = args.slice(fromIndex).find((a) => isArrowFunction(a) || isFunctionExpression(a));
      // The hooks written there, or the object a project function returns (`guard(roleGuard(["admin"]), ...)`).
      const hookFns = !hooks
        ? []
        : isObjectLiteralExpression(hooks)
          ? this.hookFunctions(hooks, module)
          : this.ctx.values.objectLiterals(hooks, module, 0).flatMap((h) => this.hookFunctions(h.literal, h.module));
      if (!callback) {
        // `guard({ beforeHandle })` alone: its hooks run for the routes registered after it.
        if (hookFns.length > 0) state.middleware.push({ pattern: null, functions: hookFns });
        return state;
      }
      // Hooks registered inside stay inside; routes are the app's.
      const view: AppState = {
        ...state,
        prefix: path !== undefined ? joinRoute(state.prefix, path) : state.prefix,
        middleware: [...state.middleware, ...(hookFns.length > 0 ? [{ pattern: null, functions: hookFns }] : [])],
      };
      this.registrar(callback, 0, module, view, depth);
      return state;
    }
    if (ELYSIA_HOOKS.has(method)) {
      const options = args.find(isObjectLiteralExpression);
      const scope = options ? scopeOf(options) : undefined;
      const { functions, readsCallers } = this.handlerFunctions(
        args.filter((a) => !isObjectLiteralExpression(a)),
        module,
      );
      if (readsCallers) this.readingCallers.add(state.routes);
      if (functions.length > 0) state.middleware.push({ pattern: null, functions, ...(scope ? { scope } : {}) });
      return state;
    }
    return undefined;
  }

  /**
   * Express's own registrations: `use([path], ...handlers)` where a handler may be a router (its
   * routes under the path) or Apollo's `expressMiddleware(server)` (the server's resolvers under the
   * path); `route(path)` returns a chain whose `get(h)`, `post(h)` register at that path.
   */
  private expressLink(
    state: AppState,
    method: string,
    call: ts.CallExpression,
    module: ModuleFacts,
    span: Route["span"],
    depth: number,
  ): AppState | undefined {
    const args = call.arguments.map((a) => unwrapExpression(a));
    if (method === "route") {
      const path = args[0] && isStringLiteralLike(args[0]) ? args[0].text : "*";
      return { ...state, prefix: joinRoute(state.prefix, path), express: true, pathOnly: true };
    }
    if (method !== "use") return undefined;
    const hasPath = args[0] !== undefined && isStringLiteralLike(args[0]);
    const path = hasPath ? joinRoute(state.prefix, (args[0] as ts.StringLiteralLike).text) : state.prefix || "/";
    const before: ts.Expression[] = [];
    let mounted = false;
    for (const arg of args.slice(hasPath ? 1 : 0)) {
      const graphql = isCallExpression(arg) ? this.ctx.handlers.graphql.expressMiddlewareSites(arg, module, path) : undefined;
      if (graphql) {
        for (const site of graphql) {
          const [verb = "POST", ...words] = site.route?.split(" ") ?? [];
          const route = words.length > 0 ? words.join(" ") : path;
          state.routes.push({
            verb,
            path: route,
            module: site.module,
            span: site.span,
            functions: [...this.middlewareFor(state, route), ...this.handlerFunctions(before, module).functions, ...site.functions],
            ...(site.opaque ? { opaque: site.opaque } : {}),
          });
        }
        mounted = true;
        continue;
      }
      const sub =
        isCallExpression(arg) &&
        requiredSpecifier(arg) === undefined &&
        !this.ctx.values.calledFunction(unwrapExpression(arg.expression), module)
          ? undefined
          : this.stateOf(arg, module, depth + 1);
      if (sub) {
        this.mount(state, hasPath ? args[0] : undefined, arg, module, module, span, depth);
        mounted = true;
        continue;
      }
      // `require("./billing")` of a file of the project's that is not there: unknown, never nothing.
      const required = isCallExpression(arg) ? requiredSpecifier(arg) : undefined;
      if (required !== undefined && !isPackageSpecifier(required) && !this.ctx.loader.moduleFor(required, module)) {
        this.unresolvedMount(state, path, truncate(printNode(arg)), call, module);
        mounted = true;
        continue;
      }
      before.push(arg);
    }
    if (!mounted || before.length > 0) {
      const { functions, unresolved, readsCallers } = this.handlerFunctions(before, module);
      if (readsCallers) this.readingCallers.add(state.routes);
      state.middleware.push({ pattern: hasPath ? joinRoute(path, "*") : null, functions });
      // A router or middleware of the project's that cannot be read: unknown, never nothing.
      if (unresolved) this.unresolvedMount(state, path, unresolved, call, module);
    }
    return state;
  }

  /**
   * worktop's own registrations (its Router has no `get`/`use`): `add(method, path, handler)`, a
   * route for one method; `mount(prefix, router)`, another Router's routes under the prefix. A
   * handler is given `(req, context)` (`(req, res)` before 0.8) and answers with a Response or
   * `res.send(...)`; `compose(a, b)` runs its functions in order.
   */
  private worktopLink(
    state: AppState,
    method: string,
    call: ts.CallExpression,
    module: ModuleFacts,
    span: Route["span"],
    depth: number,
  ): AppState {
    const args = call.arguments;
    if (method === "mount") return this.mount(state, args[0], args[1], module, module, span, depth);
    if (method !== "add" || args.length < 3) return state;
    const verbValue = unwrapExpression(args[0]!);
    const verb = isStringLiteralLike(verbValue) ? verbValue.text.toUpperCase() : "ALL";
    const pathValue = unwrapExpression(args[1]!);
    // A RegExp route matches what it matches: any path as far as the analyser can tell.
    const path = isStringLiteralLike(pathValue) ? pathValue.text : (this.ctx.values.evaluateString(pathValue, 0) ?? "*");
    const full = joinRoute(state.prefix, path);
    const { functions, unresolved, calls, variants, readsCallers } = this.handlerFunctions(
      this.worktopComposed(args.slice(2), module),
      module,
      true,
    );
    const libraryCalls = [...this.middlewareCallsFor(state, full), ...(calls ?? [])];
    for (const handlers of variants ?? [functions])
      state.routes.push({
        verb,
        path: full,
        module,
        span,
        functions: [...this.middlewareFor(state, full), ...handlers],
        ...(libraryCalls.length > 0 ? { calls: libraryCalls } : {}),
        ...(unresolved ? { opaque: `the handler ${unresolved} of ${verb} ${full} could not be resolved` } : {}),
        ...(readsCallers ? { readsCallers } : {}),
      });
    return state;
  }

  /** worktop's `compose(a, b, ...)` (imported from "worktop"): its functions in order; other handlers as they are. */
  private worktopComposed(args: readonly ts.Expression[], module: ModuleFacts, depth = 0): ts.Expression[] {
    return args.flatMap((arg) => {
      let value = unwrapExpression(arg);
      // `const guarded = compose(auth, handler)`: what a constant of the module holds.
      if (isIdentifier(value) && depth < 4) {
        const declaration = declarationOf(value);
        const initializer =
          declaration && isVariableDeclaration(declaration) && isVariableDeclarationList(declaration.parent) && declaration.initializer;
        if (initializer && isWorktopCompose(unwrapExpression(initializer), module)) value = unwrapExpression(initializer);
      }
      return isWorktopCompose(value, module) ? this.worktopComposed((value as ts.CallExpression).arguments, module, depth + 1) : [arg];
    });
  }

  /** `API.prepare = compose(...)` or `API.prepare = fn`: worktop runs it before every route (a Response it returns answers). */
  private worktopPrepare(state: AppState, value: ts.Expression, module: ModuleFacts): void {
    const { functions, calls, readsCallers } = this.handlerFunctions(this.worktopComposed([value], module), module);
    if (readsCallers) this.readingCallers.add(state.routes);
    state.middleware.push({ pattern: null, functions, ...(calls ? { calls } : {}) });
  }

  /**
   * What `require("./users")` or `import("./lazy")` gives: the module's default export (its
   * `module.exports`), as an expression (a name for a local declaration), or undefined.
   */
  private loadedDefault(call: ts.CallExpression, module: ModuleFacts): { expression: ts.Expression; module: ModuleFacts } | undefined {
    const specifier = requiredSpecifier(call);
    const target = specifier !== undefined ? this.ctx.loader.moduleFor(specifier, module) : undefined;
    const found = target ? this.ctx.values.exportOf("default", target) : undefined;
    if (!found || found.binding.reexport) return undefined;
    const { binding } = found;
    if (binding.expression) return { expression: binding.expression, module: found.module };
    const name = binding.local ?? binding.declaration?.name;
    if (typeof name === "string") {
      const variable = moduleVariable(found.module, name);
      return variable ? { expression: variable.name as ts.Identifier, module: found.module } : undefined;
    }
    return name ? { expression: name, module: found.module } : undefined;
  }

  /** A route for everything under `path` that what `use(...)` was given, which could not be resolved, may serve. */
  private unresolvedMount(state: AppState, path: string, what: string, call: ts.CallExpression, module: ModuleFacts): void {
    const full = joinRoute(path, "*");
    state.routes.push({
      verb: "ALL",
      path: full,
      module,
      span: spanOf(call),
      functions: this.middlewareFor(state, full),
      opaque: `what use(...) is given at ${path} (${what}) could not be resolved`,
    });
  }

  /**
   * itty-router's `Router({ routes: [...users.routes, ...orders.routes] })` (also `AutoRouter`): the
   * router starts with those routes, run before any registered on it. Each was matched against the
   * path it was registered with (its own router's base is in it; this router's is not), with its
   * handlers, middleware registered before it included.
   */
  private givenRoutes(state: AppState, creation: ts.CallExpression | ts.NewExpression, module: ModuleFacts, depth: number): void {
    const callee = unwrapExpression(creation.expression);
    const imported = isIdentifier(callee) ? module.imports.get(callee.text) : undefined;
    if (!imported || !(imported.module === "itty-router" || imported.module.startsWith("itty-router/"))) return;
    const options = creation.arguments?.[0] ? unwrapExpression(creation.arguments[0]) : undefined;
    if (!options || !isObjectLiteralExpression(options)) return;
    const property = options.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === "routes");
    const given = property && propertyInitializer(property);
    if (!given) return;
    const from = state.routes.length;
    this.routeList(given, module, state, depth + 1, new Set());
    // `before` and `finally` run around these routes too.
    const before = this.middlewareFor(state, "*");
    for (let i = from; i < state.routes.length; i++) {
      const route = state.routes[i]!;
      state.routes[i] = { ...route, functions: [...before, ...route.functions, ...(state.after ?? [])] };
    }
  }

  /** itty-router v5's `Router({ before: [...], finally: [...] })`: handlers run before and after every route. */
  private ittyLifecycle(
    creation: ts.CallExpression | ts.NewExpression,
    module: ModuleFacts,
    depth: number,
  ): { before: FunctionRef[]; after: FunctionRef[] } {
    const options = creation.arguments?.[0] ? unwrapExpression(creation.arguments[0]) : undefined;
    const read = (name: string): FunctionRef[] => {
      if (!options || !isObjectLiteralExpression(options)) return [];
      const property = options.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === name);
      const value =
        property && isPropertyAssignment(property)
          ? unwrapExpression(property.initializer)
          : property && ts.isShorthandPropertyAssignment(property)
            ? property.name
            : undefined;
      if (!value) return [];
      const list = isArrayLiteralExpression(value) ? value.elements : [value];
      return this.handlerFunctions(list, module, false, depth + 1).functions;
    };
    return { before: read("before"), after: read("finally") };
  }

  /**
   * The routes a list given as `routes` holds, onto `state`: `sub.routes`, spreads and `concat` of
   * such lists, a constant holding one, and itty-router's own tuples (`["GET", regex, [handler], "/x"]`).
   * A list that cannot be read is a route for every path whose code was not seen.
   */
  private routeList(list: ts.Expression, module: ModuleFacts, state: AppState, depth: number, seen: Set<ts.Node>): void {
    const value = unwrapExpression(list);
    const unreadable = (): void => {
      state.routes.push({
        verb: "ALL",
        path: "*",
        module,
        span: spanOf(value),
        functions: [],
        opaque: `the routes given to the router (${truncate(printNode(value))}) could not be resolved`,
      });
    };
    if (depth > 16 || seen.has(value)) return unreadable();
    seen.add(value);
    if (isArrayLiteralExpression(value)) {
      for (const element of value.elements) {
        if (isSpreadElement(element)) this.routeList(element.expression, module, state, depth + 1, seen);
        else this.routeTuple(unwrapExpression(element), module, state, depth, unreadable);
      }
      return;
    }
    // `users.routes`: the routes registered on that router.
    if (isPropertyAccessExpression(value) && value.name.text === "routes") {
      const sub = this.stateOf(value.expression, module, depth + 1);
      if (!sub) return unreadable();
      if (sub.routes !== state.routes) state.routes.push(...sub.routes);
      return;
    }
    // `users.routes.concat(orders.routes, [...])`: the receiver's, then each argument's.
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      if (!isPropertyAccessExpression(callee) || callee.name.text !== "concat") return unreadable();
      for (const part of [callee.expression, ...value.arguments]) this.routeList(part, module, state, depth + 1, seen);
      return;
    }
    // `const routes = [...users.routes]` (or imported): what the constant holds.
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isVariableDeclaration(declaration)) {
        const constant = isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
        if (constant && declaration.initializer) return this.routeList(declaration.initializer, module, state, depth + 1, seen);
        return unreadable();
      }
      const imported = declaration ? undefined : module.imports.get(value.text);
      const from = imported ? this.ctx.loader.moduleFor(imported.module, module) : undefined;
      const variable = from && imported ? this.exportedVariable(imported.name, from) : undefined;
      if (variable?.declaration.initializer && (variable.declaration.parent.flags & ts.NodeFlags.Const) !== 0)
        return this.routeList(variable.declaration.initializer, variable.module, state, depth + 1, seen);
    }
    unreadable();
  }

  /** One of itty-router's route tuples written out: `[method, regex, handlers, path]`. */
  private routeTuple(element: ts.Expression, module: ModuleFacts, state: AppState, depth: number, unreadable: () => void): void {
    if (!isArrayLiteralExpression(element)) return unreadable();
    const [method, , handlers, path] = element.elements.map((e) => unwrapExpression(e));
    if (!method || !isStringLiteralLike(method) || !handlers || !isArrayLiteralExpression(handlers)) return unreadable();
    const { functions, unresolved, calls } = this.handlerFunctions(handlers.elements, module, false, depth);
    const full = path && isStringLiteralLike(path) ? path.text : "*";
    const verb = method.text.toUpperCase();
    state.routes.push({
      verb,
      path: full,
      module,
      span: spanOf(element),
      functions,
      ...(calls && calls.length > 0 ? { calls } : {}),
      ...(unresolved ? { opaque: `the handler ${unresolved} of ${verb} ${full} could not be resolved` } : {}),
    });
  }

  /** The app whose `handle` or `fetch` is a route's only handler (`apiRouter.handle`), when it is an app of the project. */
  private handedToApp(handlers: readonly ts.Expression[], module: ModuleFacts, depth: number): ts.Expression | undefined {
    if (handlers.length === 0) return undefined;
    // The last handler: those before it are middleware (itty-router runs them in order until one answers).
    const value = unwrapExpression(handlers[handlers.length - 1]!);
    if (!isPropertyAccessExpression(value) || (value.name.text !== "handle" && value.name.text !== "fetch")) return undefined;
    if (!isIdentifier(value.expression) || depth > 8) return undefined;
    return this.stateOf(value.expression, module, depth + 1) ? value.expression : undefined;
  }

  /** `route(path, sub)`: the sub-app's routes under the path, after the app's middleware for them. */
  private mount(
    state: AppState,
    pathArgument: ts.Expression | undefined,
    subApp: ts.Expression | undefined,
    subModule: ModuleFacts,
    module: ModuleFacts,
    span: Route["span"],
    depth: number,
    leading?: HandlerFunctions,
  ): AppState {
    const path = pathArgument && isStringLiteralLike(pathArgument) ? joinRoute(state.prefix, pathArgument.text) : state.prefix || "/";
    const sub = subApp ? this.stateOf(subApp, subModule, depth + 1) : undefined;
    if (!sub) {
      state.routes.push({
        verb: "ALL",
        path: joinRoute(path, "*"),
        module,
        span,
        functions: this.middlewareFor(state, path),
        opaque: `the app mounted at ${path} (${subApp ? truncate(printNode(subApp)) : "?"}) could not be resolved`,
      });
      return state;
    }
    // A snapshot: an app mounted into itself (through an alias) must not grow while it is read.
    if (sub.routes === state.routes) return state;
    const subRoutes =
      sub.routes.length > 0 ? [...sub.routes] : [{ verb: "ALL", path: "/*", module: sub.module, span: sub.span, functions: [] }];
    const before = leading?.functions ?? [];
    const leadingOpaque = leading?.unresolved
      ? `the handler ${leading.unresolved} before the app mounted at ${path} could not be resolved`
      : undefined;
    for (const route of subRoutes) {
      const full = joinRoute(path, route.path);
      const opaque = route.opaque ?? leadingOpaque;
      state.routes.push({
        ...route,
        path: full,
        functions: [...this.middlewareFor(state, full, route.verb), ...before, ...route.functions, ...(state.after ?? [])],
        ...(opaque ? { opaque } : {}),
      });
    }
    return state;
  }

  /** `get(path, ...handlers)`, `on(method, path, ...handlers)`, `openapi(route, handler)`. */
  private routeOf(
    method: string,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): { verb: string; path: string; handlers: readonly ts.Expression[] } | undefined {
    if (ROUTE_METHODS.has(method)) {
      const first = args[0];
      const literal = first !== undefined && isStringLiteralLike(first);
      // A path in a variable or parameter (`router.get(path, handler)` in a helper that registers
      // routes): not a handler. Its text when it is known, else any path.
      const computed = !literal && first !== undefined && args.length > 1 && this.isPathValue(first, module);
      const path = literal ? (first as ts.StringLiteralLike).text : computed ? (this.computedPath(first) ?? "*") : "*";
      return { verb: method.toUpperCase(), path, handlers: args.slice(literal || computed ? 1 : 0) };
    }
    if (method === "on") {
      const first = args[0] ? unwrapExpression(args[0]) : undefined;
      // `on("GET", path, h)` or `on(["GET", "POST"], path, h)` (better-auth's handler is mounted so).
      const verbs =
        first && isStringLiteralLike(first)
          ? [first.text]
          : first && isArrayLiteralExpression(first)
            ? first.elements.filter(isStringLiteralLike).map((e) => e.text)
            : [];
      const verb = verbs.length > 0 ? verbs.map((v) => v.toUpperCase()).join("|") : "ON";
      const path = args[1] && isStringLiteralLike(args[1]) ? args[1].text : "*";
      return { verb, path, handlers: args.slice(2) };
    }
    if (method === "openapi" && args[0]) {
      const config = this.routeConfig(args[0], module);
      return { verb: config.method?.toUpperCase() ?? "ALL", path: config.path ?? "*", handlers: args.slice(1) };
    }
    return undefined;
  }

  /**
   * `add("/x", handler, true)` on a project router: a route for every method at the path, run by the
   * functions among the arguments (flags and options are not handlers).
   */
  private registeredRoute(
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): { verb: string; path: string; handlers: readonly ts.Expression[] } | undefined {
    const first = args[0];
    if (!first || !(isStringLiteralLike(first) || this.isPathValue(first, module))) return undefined;
    const path = isStringLiteralLike(first) ? first.text : (this.computedPath(first) ?? "*");
    const handlers = args.slice(1).filter((a) => {
      const value = unwrapExpression(a);
      return !isLiteralValue(value) && !isObjectLiteralExpression(value);
    });
    return { verb: "ALL", path, handlers };
  }

  /** A route's path written as a value: a registrar's parameter is what the call being read passes (see registrar). */
  private computedPath(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
    const given = declaration && isParameter(declaration) ? this.bound.get(declaration) : undefined;
    if (given) {
      const passed = unwrapExpression(given.expression);
      return isStringLiteralLike(passed) ? passed.text : this.ctx.values.evaluateString(passed, 0);
    }
    return this.ctx.values.evaluateString(expression, 0);
  }

  /** Whether a route's first argument is its path rather than a handler: a string, or a name that holds no function. */
  private isPathValue(expression: ts.Expression, module: ModuleFacts): boolean {
    const value = unwrapExpression(expression);
    if (isTemplateExpression(value) || isNoSubstitutionTemplateLiteral(value)) return true;
    if (!isIdentifier(value) && !isPropertyAccessExpression(value)) return false;
    if (this.ctx.values.functionFrom(value, module) || this.fromPackage(value, module)) return false;
    // A registrar's parameter (`path: P`) given a path by the call being read.
    const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
    const given = declaration && isParameter(declaration) ? this.bound.get(declaration) : undefined;
    if (given && isStringLiteralLike(unwrapExpression(given.expression))) return true;
    return this.ctx.values.evaluateString(value, 0) !== undefined || isParameterName(value);
  }

  /** `createRoute({ method: "get", path: "/users/{id}" })`, inline or in a constant. */
  private routeConfig(expression: ts.Expression, module: ModuleFacts, depth = 0): { method?: string; path?: string } {
    let value = unwrapExpression(expression);
    if (isIdentifier(value) && depth < 4) {
      const source = this.ctx.values.valuesOf(value, module)[0];
      return source ? this.routeConfig(source.expression, source.module, depth + 1) : {};
    }
    if (isCallExpression(value) && value.arguments[0]) value = unwrapExpression(value.arguments[0]);
    if (!isObjectLiteralExpression(value)) return {};
    const text = (name: string): string | undefined => {
      const property = value.properties.find((p) => isPropertyAssignment(p) && isIdentifier(p.name) && p.name.text === name);
      return property && isPropertyAssignment(property) && isStringLiteralLike(property.initializer)
        ? property.initializer.text
        : undefined;
    };
    const method = text("method");
    const path = text("path")?.replace(/\{([^}]+)\}/g, ":$1");
    return { ...(method ? { method } : {}), ...(path ? { path } : {}) };
  }

  /**
   * The functions run for handler arguments: functions, function names, and endpoint classes
   * (chanfana's `handle` method). Middleware factories (`cors()`) run nothing of the project's.
   */
  private handlerFunctions(args: readonly ts.Expression[], module: ModuleFacts, paths = false, depth = 0): HandlerFunctions {
    const functions: FunctionRef[] = [];
    let unresolved: string | undefined;
    let calls: LibraryCall[] | undefined;
    let readsCallers = false;
    // Arguments that may be one of several functions (a parameter its callers give different ones),
    // at their place among the functions.
    const choices: Array<{ at: number; options: FunctionRef[][] }> = [];
    for (const arg of args) {
      const value = unwrapExpression(arg);
      // Options after the handlers: Elysia's route hooks (`{ body: schema, beforeHandle }`) run
      // their lifecycle functions around the handler; a plain object (itty-router's `{ status: 404 }`,
      // never called: the handler before it answers) runs nothing.
      if (isObjectLiteralExpression(value)) {
        functions.push(...this.hookFunctions(value, module));
        continue;
      }
      if (isLiteralValue(value)) continue;
      const fn = isCallExpression(value) ? undefined : this.ctx.values.functionFrom(value, module);
      if (fn) {
        functions.push(fn);
        continue;
      }
      const cls = isIdentifier(value) ? this.endpointClass(value, module) : undefined;
      const handle = cls ? this.ctx.values.methodOf(cls, "handle") : undefined;
      const factoryCall = isCallExpression(value) ? value : this.middlewareMadeByPackage(value, module);
      // `import { enforce } from "./middleware"`, there `createMiddleware(bearerAuth({...}))`.
      const imported = !handle && !factoryCall ? this.importedMiddlewareMadeByPackage(value, module) : undefined;
      if (imported) {
        functions.push(...optionCallbacks(imported.call, imported.module));
        continue;
      }
      if (handle) functions.push(handle);
      else if (isCallExpression(value) && this.ctx.classifier.isRouteMiddlewareCall(value, module)) {
        // `githubAuth({ scope })`: the library's own round trips, walked as the route runs it.
        this.ctx.classifier.routeMiddlewareCalls.add(value);
        (calls ??= []).push({ call: value, module });
      } else if (factoryCall) {
        // `zValidator("json", schema)`, `cors()`, `describeRoute({...})` (also kept in a constant):
        // middleware factories; a function inside one is run, and so are the async callbacks of its
        // options (`bearerAuth({ verifyToken: async (token, c) => ... })` runs on every request). A factory of the project (`withUser()`): the function it returns is the
        // middleware.
        const inner = this.ctx.values.functionFrom(factoryCall, module) ?? this.returnedFunction(factoryCall, module);
        if (inner) functions.push(inner);
        else functions.push(...optionCallbacks(factoryCall, module));
      } else if (this.fromPackage(value, module)) continue;
      else {
        // A parameter of a function that registers routes (`register(app, guard)`): what the call
        // being followed passes, else what every call of the function passes (the worst counts).
        let fromCallers = false;
        const held =
          depth < 8
            ? this.ctx.values.parameterArguments(value, (parameter) => {
                const here = this.bound.get(parameter);
                if (!here) fromCallers = true;
                return here;
              })
            : undefined;
        const options: HandlerFunctions[] = [];
        for (const source of held ?? []) {
          const found = this.handlerFunctions([source.expression], source.module, false, depth + 1);
          const same = (o: HandlerFunctions): boolean =>
            o.functions.length === found.functions.length && o.functions.every((f, i) => f.fn === found.functions[i]!.fn);
          if (!options.some(same)) options.push(found);
        }
        // (Several, where they cannot be paths of their own (middleware): not resolved.)
        if (
          options.length === 0 ||
          (options.length > 1 && !paths) ||
          options.some((o) => o.unresolved !== undefined || o.calls || o.variants)
        ) {
          unresolved ??= truncate(printNode(value));
          continue;
        }
        readsCallers ||= fromCallers || options.some((o) => o.readsCallers);
        if (options.length === 1) functions.push(...options[0]!.functions);
        else choices.push({ at: functions.length, options: options.map((o) => o.functions) });
      }
    }
    // Each choice of functions a path of its own (bounded: past it, the first ones stand for all).
    let variants: FunctionRef[][] | undefined;
    if (choices.length > 0) {
      variants = [[]];
      let from = 0;
      for (const { at, options } of choices) {
        const between = functions.slice(from, at);
        variants = variants.flatMap((list) => options.map((option) => [...list, ...between, ...option])).slice(0, MAX_VARIANTS);
        from = at;
      }
      const rest = functions.slice(from);
      variants = variants.map((list) => [...list, ...rest]);
    }
    return {
      functions,
      ...(unresolved ? { unresolved } : {}),
      ...(calls ? { calls } : {}),
      ...(variants ? { variants } : {}),
      ...(readsCallers ? { readsCallers: true as const } : {}),
    };
  }

  /**
   * The lifecycle functions of an Elysia route's hook object that run on every request to it, in
   * their order (`transform`, `beforeHandle`, ... also as arrays); schemas and other options are data.
   */
  private hookFunctions(options: ts.ObjectLiteralExpression, module: ModuleFacts): FunctionRef[] {
    const found: FunctionRef[] = [];
    for (const hook of ROUTE_HOOKS) {
      const property = options.properties.find(
        (p) => p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) && p.name.text === hook,
      );
      if (!property) continue;
      if (ts.isMethodDeclaration(property)) {
        found.push({ fn: property, module });
        continue;
      }
      const value = isPropertyAssignment(property) ? unwrapExpression(property.initializer) : undefined;
      const values = value && isArrayLiteralExpression(value) ? value.elements : value ? [value] : [];
      for (const element of values) {
        const entry = unwrapExpression(element);
        const fn = isCallExpression(entry) ? this.returnedFunction(entry, module) : this.ctx.values.functionFrom(entry, module);
        if (fn) found.push(fn);
      }
    }
    return found;
  }

  /** The function a project function returns when called (`withUser()` returning `async (c, next) => ...`). */
  private returnedFunction(call: ts.CallExpression, module: ModuleFacts): FunctionRef | undefined {
    const factory = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
    if (!factory) return undefined;
    for (const returned of this.ctx.values.returnedValues(factory.fn, factory.module)) {
      const value = unwrapExpression(returned.expression);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return { fn: value, module: returned.module };
    }
    return undefined;
  }

  /**
   * A handler a package exports (itty-router's `withContent`, `withParams`): the framework's own
   * middleware, which parses and checks the request and makes no round trip of the project's.
   */
  private fromPackage(value: ts.Expression, module: ModuleFacts): boolean {
    const root = isIdentifier(value) ? value : isPropertyAccessExpression(value) ? unwrapExpression(value.expression) : undefined;
    if (!root || !isIdentifier(root) || declarationOf(root)) return false;
    const imported = module.imports.get(root.text);
    // An alias of the project's own that could not be resolved (`#app/handlers`, `~/routes`) is not a package.
    return (
      imported !== undefined && isPackageSpecifier(imported.module) && this.ctx.loader.moduleFor(imported.module, module) === undefined
    );
  }

  /**
   * Middleware a package's factory made, run by a middleware of the project with its own context and
   * `next`: kept in a name (`const auth = bearerAuth({ token: c.env.API_KEY }); return auth(c, next)`,
   * how a secret of the request's env is given to it) or called where it is made (`(c, next) =>
   * cors({ origin: c.env.ORIGIN })(c, next)`). The factory's call, and what `app.use(bearerAuth(...))`
   * runs of the project's: the async callbacks of its options. Undefined for any other call.
   */
  delegatedMiddleware(
    callee: ts.Expression,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): { call: ts.CallExpression; functions: FunctionRef[] } | undefined {
    if (args.length !== 2) return undefined;
    const [context, next] = args.map((a) => unwrapExpression(a));
    if (!context || !next || !isIdentifier(context) || !isIdentifier(next)) return undefined;
    const contextParameter = declarationOf(context);
    const nextParameter = declarationOf(next);
    if (!contextParameter || !nextParameter || !ts.isParameter(contextParameter) || !ts.isParameter(nextParameter)) return undefined;
    const parameters = nextParameter.parent.parameters;
    if (parameters[0] !== contextParameter || parameters[1] !== nextParameter) return undefined;
    const value = unwrapExpression(callee);
    const factoryCall = isCallExpression(value)
      ? this.fromPackage(unwrapExpression(value.expression), module)
        ? value
        : undefined
      : this.middlewareMadeByPackage(value, module);
    return factoryCall ? { call: factoryCall, functions: optionCallbacks(factoryCall, module) } : undefined;
  }

  /**
   * `const docs = describeRoute({...})`: a name for middleware a package's factory made, in this module;
   * also one of several it makes at once (itty-router's `const { preflight, corsify } = createCors()`).
   */
  private middlewareMadeByPackage(value: ts.Expression, module: ModuleFacts): ts.CallExpression | undefined {
    if (!isIdentifier(value)) return undefined;
    let declaration = declarationOf(value) ?? moduleVariable(module, value.text);
    if (declaration && ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent))
      declaration = declaration.parent.parent;
    const initializer = declaration && isVariableDeclaration(declaration) && declaration.initializer;
    const call = initializer ? unwrapExpression(initializer) : undefined;
    if (!call || !isCallExpression(call)) return undefined;
    const callee = unwrapExpression(call.expression);
    return this.fromPackage(callee, module) ? call : undefined;
  }

  /** Middleware a package's factory made in another module, imported by name: that call and its module. */
  private importedMiddlewareMadeByPackage(
    value: ts.Expression,
    module: ModuleFacts,
  ): { call: ts.CallExpression; module: ModuleFacts } | undefined {
    if (!isIdentifier(value) || declarationOf(value) || !module.imports.has(value.text)) return undefined;
    for (const found of this.ctx.values.valuesOf(value, module)) {
      const call = unwrapExpression(found.expression);
      if (isCallExpression(call) && this.fromPackage(unwrapExpression(call.expression), found.module))
        return { call, module: found.module };
    }
    return undefined;
  }

  private endpointClass(identifier: ts.Identifier, module: ModuleFacts): { cls: ts.ClassLikeDeclaration; module: ModuleFacts } | undefined {
    const declaration = declarationOf(identifier);
    if (declaration && isClassLike(declaration)) return { cls: declaration, module };
    return declaration ? undefined : this.ctx.values.classNamed(identifier.text, module);
  }

  private middlewareFor(state: AppState, path: string, verb?: string): FunctionRef[] {
    return state.middleware.filter((m) => appliesTo(m, path, verb)).flatMap((m) => m.functions);
  }

  private middlewareCallsFor(state: AppState, path: string): LibraryCall[] {
    return state.middleware.filter((m) => m.calls && appliesTo(m, path)).flatMap((m) => m.calls ?? []);
  }

  /**
   * A router of a package not listed here (`router().use(cors(...)).get("/", h).route("/files", files)`
   * of a small framework): a chain on what a package call makes that registers a route, a path and
   * a function, is read as an app of the frameworks above (route methods, `use`, `route` to mount).
   */
  private packageRouterChain(base: ts.Expression, links: readonly ts.CallExpression[], module: ModuleFacts): AppState | undefined {
    if (!this.isPackageCreation(base, module)) return undefined;
    if (!links.some((link) => this.registersFunction(link, module))) return undefined;
    return { prefix: "", middleware: [], routes: [], module, span: spanOf(base) };
  }

  /** The same held in a variable: `const router = Router(); router.get("/", h)` in the same scope. */
  private packageRouterVariable(declaration: ts.VariableDeclaration, module: ModuleFacts): AppState | undefined {
    if (!declaration.initializer || !this.isPackageCreation(unwrapExpression(declaration.initializer), module)) return undefined;
    const statements = scopeStatements(declaration);
    if (!statements) return undefined;
    const registers = statements.some((statement) => {
      if (!isExpressionStatement(statement)) return false;
      const { base, links } = chainOf(unwrapExpression(statement.expression));
      const start = unwrapExpression(base);
      return isIdentifier(start) && declarationOf(start) === declaration && links.some((link) => this.registersFunction(link, module));
    });
    return registers ? { prefix: "", middleware: [], routes: [], module, span: spanOf(declaration.initializer) } : undefined;
  }

  /** `router()`, `new Router()`, `createApp()` of a package (not of the project, not a known app framework). */
  private isPackageCreation(value: ts.Expression, module: ModuleFacts): boolean {
    if (!isCallExpression(value) && !isNewExpression(value)) return false;
    const callee = unwrapExpression(value.expression);
    if (!isIdentifier(callee) || declarationOf(callee)) return false;
    const imported = module.imports.get(callee.text);
    return !!imported && isBareSpecifier(imported.module) && !this.ctx.loader.moduleFor(imported.module, module);
  }

  /** `get("/files/*", handler)`: a route method given a path and a function; `route("/files", files)` mounting an app. */
  private registersFunction(link: ts.CallExpression, module: ModuleFacts): boolean {
    const [path, mounted] = link.arguments;
    if (linkName(link) === "route" && path && isStringLiteralLike(path) && mounted) return this.isApp(mounted, module);
    if (!isRouteRegistration(link) || linkName(link) === "use") return false;
    return link.arguments.slice(1).some((arg) => {
      const value = unwrapExpression(arg);
      return isArrowFunction(value) || isFunctionExpression(value) || this.ctx.values.functionFrom(value, module) !== undefined;
    });
  }

  /** `new Hono()`, `Router()`, `AutoRouter()`, `new Elysia()`, `new OpenAPIHono()`. */
  private isCreation(value: ts.Expression, module: ModuleFacts): boolean {
    if (this.isFrameworkCreation(value, module) || this.honoFactoryOf(value, module)) return true;
    return this.projectRouterOf(value, module) !== undefined;
  }

  /** `new Routes()` of a project router class (see projectRouter). */
  private projectRouterOf(value: ts.Expression, module: ModuleFacts): ProjectRouter | undefined {
    const callee = isNewExpression(value) ? unwrapExpression(value.expression) : undefined;
    return callee && isIdentifier(callee) ? this.projectRouter(callee, module) : undefined;
  }

  /**
   * `factory.createApp()` where `const factory = createFactory<Env>(options)` from "hono/factory"
   * (also `createFactory().createApp()`): the `createFactory` call, or undefined.
   */
  private honoFactoryOf(value: ts.Expression, module: ModuleFacts): { call: ts.CallExpression; module: ModuleFacts } | undefined {
    const callee = isCallExpression(value) ? unwrapExpression(value.expression) : undefined;
    if (!callee || !isPropertyAccessExpression(callee) || callee.name.text !== "createApp") return undefined;
    const receiver = unwrapExpression(callee.expression);
    const sources: ValueRef[] = isCallExpression(receiver) ? [{ expression: receiver, module }] : [];
    if (isIdentifier(receiver)) sources.push(...this.ctx.values.valuesOf(receiver, module));
    for (const source of sources) {
      const made = unwrapExpression(source.expression);
      const maker = isCallExpression(made) ? unwrapExpression(made.expression) : undefined;
      const imported = maker && isIdentifier(maker) ? source.module.imports.get(maker.text) : undefined;
      if (imported && (imported.module === "hono/factory" || imported.module === "hono") && imported.name === "createFactory")
        return { call: made as ts.CallExpression, module: source.module };
    }
    return undefined;
  }

  /** `new Hono()`, `Router()`, `new Elysia()`: an app of a routing framework. */
  private isFrameworkCreation(value: ts.Expression, module: ModuleFacts): boolean {
    const callee = isNewExpression(value) || isCallExpression(value) ? unwrapExpression(value.expression) : undefined;
    if (callee && isExpressCreation(callee, module)) return true;
    if (!callee || !isIdentifier(callee)) return false;
    const imported = module.imports.get(callee.text);
    if (imported && isAppFactoryImport(callee.text, imported)) return true;
    if (imported && isCallExpression(value) && ownEntry(HONO_APP_MAKERS, imported.module)?.includes(imported.name)) return true;
    if (!imported && isNewExpression(value) && APP_FACTORIES.has(callee.text) && !declarationOf(callee)) return true;
    return isNewExpression(value) && this.isFrameworkAppClass(callee.text, module, 0);
  }

  /**
   * `new CustomHono()` where the project's `class CustomHono extends Hono<{ Bindings: Env }> {}`
   * (imported through an alias or a re-export), or `export const App = OpenAPIHono`: a name that
   * stands for a framework's app class, so `new` of it makes that framework's app.
   */
  private isFrameworkAppClass(name: string, module: ModuleFacts, depth: number): boolean {
    if (depth > 8) return false;
    const imported = module.imports.get(name);
    if (imported && isAppFactoryImport(name, imported)) return true;
    const ref = this.ctx.values.classNamed(name, module);
    if (ref) {
      const base = ref.cls.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      return !!base && isIdentifier(base) && this.isFrameworkAppClass(base.text, ref.module, depth + 1);
    }
    // An alias: `const App = Hono` here, or one exported by another module of the project.
    const local = moduleVariable(module, name)?.initializer;
    if (local) {
      const value = unwrapExpression(local);
      return isIdentifier(value) && value.text !== name && this.isFrameworkAppClass(value.text, module, depth + 1);
    }
    const target = imported ? this.ctx.loader.moduleFor(imported.module, module) : undefined;
    if (!imported || !target) return false;
    // `export { Hono as App } from "hono"` in the project's module.
    const reexport = target.exports.get(imported.name)?.reexport;
    if (reexport && isAppFactoryImport(imported.name, reexport)) return true;
    const found = this.ctx.values.exportOf(imported.name, target);
    if (!found) return false;
    if (found.binding.local) return this.isFrameworkAppClass(found.binding.local, found.module, depth + 1);
    const expression = found.binding.expression ? unwrapExpression(found.binding.expression) : undefined;
    return !!expression && isIdentifier(expression) && this.isFrameworkAppClass(expression.text, found.module, depth + 1);
  }

  /**
   * `get(path, ...mws) { this.#itty.get(path, ...mws.map(toHandler)) }`: the registration a project
   * router's method makes on a framework's app held in a field of the class (`#itty = IttyRouter()`,
   * a public field too), or undefined.
   */
  private fieldRegistration(method: ts.MethodDeclaration, module: ModuleFacts): { call: ts.CallExpression; prefix: string } | undefined {
    let found: { call: ts.CallExpression; prefix: string } | undefined;
    const visit = (node: ts.Node): void => {
      if (found || (node !== method && ts.isFunctionLike(node))) return;
      if (isCallExpression(node)) {
        const { base, links } = chainOf(node);
        const field = unwrapExpression(base);
        const app =
          links.length > 0 &&
          (ROUTE_METHODS.has(linkName(links[0]!)) || linkName(links[0]!) === "use") &&
          isPropertyAccessExpression(field) &&
          field.expression.kind === ts.SyntaxKind.ThisKeyword
            ? this.ctx.values
                .thisMemberValues(field, module)
                .find((v) => this.isFrameworkCreation(unwrapExpression(v.expression), v.module))
            : undefined;
        if (app) {
          // `Router({ base: "/v1" })`: its routes are under the base.
          found = { call: links[0]!, prefix: creationOptions(unwrapExpression(app.expression), app.module).prefix };
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    if (method.body) visit(method.body);
    return found;
  }

  /**
   * `router.get("/dist/*", r2, origin)` on a project router whose `get` registers on the framework's
   * app it wraps (see fieldRegistration): the route that registration makes, its path and handlers
   * read with the method's parameters holding what this call passes. A handler made per element of
   * a rest parameter (`...mws.map((m) => (req, env) => m.handle(req, env))`) is the method of each
   * element's class that the made function calls. False when the method registers nothing so.
   */
  private wrappedRoute(
    state: AppState,
    wrapper: ClassRef,
    method: string,
    call: ts.CallExpression,
    module: ModuleFacts,
    span: Route["span"],
  ): boolean {
    const wrapping = this.ctx.values.methodOf(wrapper, method);
    if (!wrapping || !ts.isMethodDeclaration(wrapping.fn)) return false;
    const registration = this.fieldRegistration(wrapping.fn, wrapping.module);
    if (!registration) return false;
    const inner = registration.call;
    const parameters = wrapping.fn.parameters;
    const outer = call.arguments;
    const parameterAt = (expression: ts.Expression): number => {
      const value = unwrapExpression(expression);
      const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
      return declaration && isParameter(declaration) ? parameters.indexOf(declaration) : -1;
    };
    const functions: FunctionRef[] = [];
    let unresolved: string | undefined;
    const add = (found: { functions: FunctionRef[]; unresolved?: string }): void => {
      functions.push(...found.functions);
      unresolved ??= found.unresolved;
    };
    let path = "*";
    inner.arguments.forEach((arg, index) => {
      if (index === 0 && !isSpreadElement(arg)) {
        const at = parameterAt(arg);
        const given = at >= 0 ? outer[at] : arg;
        const text = given && (isStringLiteralLike(given) ? given.text : this.ctx.values.evaluateString(given, 0));
        if (text !== undefined) path = text;
        return;
      }
      if (!isSpreadElement(arg)) {
        const at = parameterAt(arg);
        if (at >= 0 && !parameters[at]!.dotDotDotToken) add(this.handlerFunctions(outer[at] ? [outer[at]!] : [], module));
        else if (at < 0) add(this.handlerFunctions([arg], wrapping.module));
        return;
      }
      // `...mws`: what the call passes from there on.
      const spread = unwrapExpression(arg.expression);
      const direct = parameterAt(spread);
      if (direct >= 0 && parameters[direct]!.dotDotDotToken) {
        add(this.handlerFunctions(outer.slice(direct), module));
        return;
      }
      // `...mws.map(toHandler)`: the function each element is made into.
      const callee = isCallExpression(spread) ? unwrapExpression(spread.expression) : undefined;
      const list = callee && isPropertyAccessExpression(callee) && callee.name.text === "map" ? parameterAt(callee.expression) : -1;
      const mapper =
        list >= 0 && parameters[list]!.dotDotDotToken && isCallExpression(spread) && spread.arguments[0]
          ? this.ctx.values.functionFrom(spread.arguments[0], wrapping.module)
          : undefined;
      if (!mapper) {
        unresolved ??= truncate(printNode(arg));
        return;
      }
      for (const element of outer.slice(list)) {
        const handler = this.elementHandler(mapper, element, module);
        if (handler) functions.push(handler);
        else unresolved ??= truncate(printNode(element));
      }
    });
    const verb = linkName(inner);
    const full = joinRoute(joinRoute(state.prefix, registration.prefix), path);
    if (verb === "use") {
      state.middleware.push({ pattern: path === "*" ? null : full, functions });
      return true;
    }
    state.routes.push({
      verb: verb.toUpperCase(),
      path: full,
      module,
      span,
      functions: [...this.middlewareFor(state, full), ...functions],
      ...(unresolved ? { opaque: `the handler ${unresolved} of ${verb.toUpperCase()} ${full} could not be resolved` } : {}),
    });
    return true;
  }

  /**
   * What a function made from `element` by `mapper` runs: `(m) => (req, env) => m.handle(req, env)`
   * given an instance of a project class runs that class's `handle`; given a function, that function.
   */
  private elementHandler(mapper: FunctionRef, element: ts.Expression, module: ModuleFacts): FunctionRef | undefined {
    const parameter = mapper.fn.parameters[0];
    if (!parameter) return undefined;
    const made = this.ctx.values
      .returnedValues(mapper.fn, mapper.module)
      .map((r) => unwrapExpression(r.expression))
      .find((r): r is ts.ArrowFunction | ts.FunctionExpression => isArrowFunction(r) || isFunctionExpression(r));
    if (!made) return undefined;
    let called: string | undefined;
    let direct = false;
    const visit = (node: ts.Node): void => {
      if (called || direct) return;
      if (isCallExpression(node)) {
        const callee = unwrapExpression(node.expression);
        const receiver = isPropertyAccessExpression(callee) ? unwrapExpression(callee.expression) : callee;
        if (isIdentifier(receiver) && declarationOf(receiver) === parameter) {
          if (isPropertyAccessExpression(callee)) called = callee.name.text;
          else direct = true;
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(made.body);
    if (direct) return this.ctx.values.functionFrom(element, module);
    const cls = called ? this.ctx.values.classOfInstance(element, module) : undefined;
    return cls && called ? this.ctx.values.methodOf(cls, called) : undefined;
  }

  /**
   * `new ParamRouter()` of a class the project writes (often in a workspace package): a router when
   * it has route methods (`get`, `post`, ...: methods or fields) and a method that is given the
   * request (`handleRequest(request, env)`), which looks the registered handler up at run time in a
   * structure the analyser does not follow. Its routes are then read from the registrations, as for
   * the frameworks' apps. A method given a path and a function (`add(path: string, handler: Handler)`,
   * often returning `this` for a chain) registers a route as well.
   */
  private projectRouter(callee: ts.Identifier, module: ModuleFacts): ProjectRouter | undefined {
    const declaration = declarationOf(callee);
    const ref = declaration
      ? isClassLike(declaration)
        ? { cls: declaration, module }
        : undefined
      : this.ctx.values.classNamed(callee.text, module);
    if (!ref) return undefined;
    const known = this.routerClasses.get(ref.cls);
    if (known !== undefined) return known ?? undefined;
    let verbs = 0;
    const registers = new Set<string>();
    let takesRequest = false;
    let wraps = false;
    let current: { cls: ts.ClassLikeDeclaration; module: ModuleFacts } | undefined = ref;
    for (let depth = 0; current && depth < 8; depth++) {
      for (const member of current.cls.members) {
        const name = member.name && (isIdentifier(member.name) || isStringLiteralLike(member.name)) ? member.name.text : undefined;
        if (name && ROUTE_METHODS.has(name) && (ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member))) verbs++;
        if (name && ROUTE_METHODS.has(name) && ts.isMethodDeclaration(member) && this.fieldRegistration(member, current.module))
          wraps = true;
        if (ts.isMethodDeclaration(member) && member.parameters[0] && isRequestParameter(member.parameters[0])) takesRequest = true;
        if (name && !ROUTE_METHODS.has(name) && ts.isMethodDeclaration(member) && isRegistrationMethod(member)) registers.add(name);
      }
      current = this.ctx.values.baseClassOf(current);
    }
    const router =
      (verbs >= 2 || registers.size > 0 || wraps) && takesRequest ? { registers, ...(wraps ? { wraps: ref } : {}) } : undefined;
    this.routerClasses.set(ref.cls, router ?? null);
    return router;
  }
}

interface ProjectRouter {
  readonly registers: ReadonlySet<string>;
  /** Its route methods register on a framework's app it holds in a field (see wrappedRoute). */
  readonly wraps?: ClassRef;
}

const PATH_PARAMETER = /^(path|pathname|route|pattern|endpoint|url)$/i;
const HANDLER_PARAMETER = /^(h|fn|cb|handler|callback|action|controller|endpoint)$|handler$/i;
const HANDLER_TYPE = /handler|handle|route|endpoint|controller|action|callback|fn$|func/i;

/**
 * `add(path: string, handler: (r: Request) => Promise<Response>)`, `append(endpoint: string, handler:
 * Handler)`: a method given a path, then a function (typed so, or named so in JavaScript).
 */
function isRegistrationMethod(method: ts.MethodDeclaration): boolean {
  const [path, handler] = method.parameters;
  if (!path || !handler || !method.body || !isIdentifier(path.name) || !isIdentifier(handler.name)) return false;
  const isPath = path.type ? path.type.kind === ts.SyntaxKind.StringKeyword : PATH_PARAMETER.test(path.name.text);
  const type = handler.type;
  const isHandler = type
    ? ts.isFunctionTypeNode(type) || (ts.isTypeReferenceNode(type) && isIdentifier(type.typeName) && HANDLER_TYPE.test(type.typeName.text))
    : HANDLER_PARAMETER.test(handler.name.text);
  return isPath && isHandler;
}

/** `true`, `3`, `"x"`, `null`, `undefined`: a value, never a handler. */
function isLiteralValue(value: ts.Expression): boolean {
  return (
    value.kind === ts.SyntaxKind.TrueKeyword ||
    value.kind === ts.SyntaxKind.FalseKeyword ||
    value.kind === ts.SyntaxKind.NullKeyword ||
    ts.isNumericLiteral(value) ||
    isStringLiteralLike(value) ||
    (isIdentifier(value) && value.text === "undefined")
  );
}

/** Whether a middleware pattern (`*`, `/api/*`, `/health`) covers a route path. */
/** Whether middleware runs for a route at `path` (registered for `verb`, when it is known). */
function appliesTo(middleware: Middleware, path: string, verb?: string): boolean {
  if (middleware.pattern === null) return true;
  if (middleware.verb === undefined) return matches(middleware.pattern, path);
  const methods = verb?.split("|");
  const method = middleware.verb === "ALL" || !methods || methods.includes("ALL") || methods.includes(middleware.verb);
  return method && ittyMatches(middleware.pattern, path);
}

function matches(pattern: string, path: string): boolean {
  if (pattern === "*" || pattern === "/*" || pattern === "/") return pattern !== "/" || path === "/";
  if (pattern.endsWith("/*")) return path === pattern.slice(0, -2) || path.startsWith(pattern.slice(0, -1));
  if (pattern.endsWith("*")) return path.startsWith(pattern.slice(0, -1));
  return path === pattern;
}

/** The statements of the block (or file) a variable is declared in: where routes are registered on it. */
/**
 * A constructor's statements as they run once: the branches of an `if` (either may run) and the
 * bodies of the class's own methods it calls on `this` (`this.bootstrap()`) in place of the call.
 */
function constructorStatements(cls: ts.ClassLikeDeclaration, statements: readonly ts.Statement[]): ts.Statement[] {
  const out: ts.Statement[] = [];
  const seen = new Set<ts.Node>();
  const add = (list: readonly ts.Statement[], depth: number): void => {
    for (const statement of list) {
      if (ts.isIfStatement(statement)) {
        for (const branch of [statement.thenStatement, statement.elseStatement])
          if (branch) add(isBlock(branch) ? branch.statements : [branch], depth);
        continue;
      }
      const call = isExpressionStatement(statement) ? unwrapExpression(statement.expression) : undefined;
      const callee = call && isCallExpression(call) ? unwrapExpression(call.expression) : undefined;
      if (callee && isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword && depth < 4) {
        const method = cls.members.find(
          (m): m is ts.MethodDeclaration =>
            ts.isMethodDeclaration(m) && !!m.body && isIdentifier(m.name) && m.name.text === callee.name.text,
        );
        if (method?.body && !seen.has(method)) {
          seen.add(method);
          add(method.body.statements, depth + 1);
          continue;
        }
      }
      out.push(statement);
    }
  };
  add(statements, 0);
  return out;
}

function scopeStatements(declaration: ts.VariableDeclaration): readonly ts.Statement[] | undefined {
  const statement = declaration.parent.parent;
  if (!isVariableStatement(statement)) return undefined;
  const scope = statement.parent;
  return isSourceFile(scope) || isBlock(scope) ? scope.statements : undefined;
}

/**
 * A method chain `a.use(m).get(p, h)`, peeled: what it starts from and its calls, innermost first.
 * Iterated, not recursed: RPC-style apps chain dozens of routes in one expression.
 */
function chainOf(
  expression: ts.Expression,
  stop?: (link: ts.CallExpression) => boolean,
): { base: ts.Expression; links: ts.CallExpression[] } {
  const links: ts.CallExpression[] = [];
  let base = expression;
  while (isCallExpression(base) && isPropertyAccessExpression(unwrapExpression(base.expression)) && !stop?.(base)) {
    links.unshift(base);
    base = unwrapExpression((unwrapExpression(base.expression) as ts.PropertyAccessExpression).expression);
  }
  return { base, links };
}

/** The method of a chain link: `get` in `app.get(...)`. */
function linkName(link: ts.CallExpression): string {
  return (unwrapExpression(link.expression) as ts.PropertyAccessExpression).name.text;
}

/** A parameter's name (`path` in `function register(app, path, handler)`), typed as a string or not typed. */
function isParameterName(value: ts.Expression): boolean {
  if (!isIdentifier(value)) return false;
  const declaration = declarationOf(value);
  if (!declaration || !ts.isParameter(declaration)) return false;
  return !declaration.type || declaration.type.kind === ts.SyntaxKind.StringKeyword;
}

/**
 * The async functions in a middleware factory's options object (`{ async verifyToken(token, c) {...} }`),
 * also through a wrapper that is given the factory's middleware (`createMiddleware(bearerAuth({...}))`).
 */
function optionCallbacks(call: ts.CallExpression, module: ModuleFacts, depth = 0): FunctionRef[] {
  const found: FunctionRef[] = [];
  for (const arg of call.arguments) {
    const options = unwrapExpression(arg);
    if (isCallExpression(options) && depth < 4) found.push(...optionCallbacks(options, module, depth + 1));
    if (isObjectLiteralExpression(options)) found.push(...asyncOptionFunctions(options).map((fn) => ({ fn, module })));
  }
  return found;
}

/** A parameter that receives the request: named so, or typed `Request`. */
function isRequestParameter(parameter: ts.ParameterDeclaration): boolean {
  if (isIdentifier(parameter.name) && (parameter.name.text === "request" || parameter.name.text === "req")) return true;
  const type = parameter.type;
  return !!type && ts.isTypeReferenceNode(type) && isIdentifier(type.typeName) && type.typeName.text === "Request";
}

/**
 * What an app's creation says about it: Elysia's `new Elysia({ prefix: "/api" })` and itty-router's
 * `Router({ base: "/api" })` put every route under a prefix.
 */
function creationOptions(
  value: ts.Expression,
  module: ModuleFacts,
): { prefix: string; elysia?: true; express?: true; worktop?: true; itty?: true } {
  const call = value as ts.NewExpression | ts.CallExpression;
  const callee = unwrapExpression(call.expression);
  if (isExpressCreation(callee, module)) return { prefix: "", express: true };
  const imported = isIdentifier(callee) ? module.imports.get(callee.text) : undefined;
  if (imported?.module === "worktop") return { prefix: "", worktop: true };
  const elysia = imported
    ? imported.module === "elysia" || imported.module.startsWith("elysia/")
    : isIdentifier(callee) && callee.text === "Elysia";
  const options = call.arguments?.[0] ? unwrapExpression(call.arguments[0]) : undefined;
  let prefix = "";
  if (options && isObjectLiteralExpression(options))
    for (const property of options.properties)
      if (
        isPropertyAssignment(property) &&
        isIdentifier(property.name) &&
        property.name.text === (elysia ? "prefix" : "base") &&
        isStringLiteralLike(property.initializer)
      )
        prefix = joinRoute("", property.initializer.text);
  if (elysia) return { prefix, elysia: true };
  return imported && (imported.module === "itty-router" || imported.module.startsWith("itty-router/"))
    ? { prefix, itty: true }
    : { prefix };
}

/** The scope of an Elysia hook's options (`{ as: "scoped" }`); local (undefined) by default. */
function scopeOf(options: ts.ObjectLiteralExpression): "scoped" | "global" | undefined {
  for (const property of options.properties)
    if (
      isPropertyAssignment(property) &&
      isIdentifier(property.name) &&
      property.name.text === "as" &&
      isStringLiteralLike(property.initializer)
    ) {
      const text = property.initializer.text;
      return text === "scoped" || text === "global" ? text : undefined;
    }
  return undefined;
}

/** `this.router[method]` in a method whose parameter `method` is the key: that parameter. */
function parameterKey(access: ts.ElementAccessExpression, method: ts.MethodDeclaration): ts.ParameterDeclaration | undefined {
  const key = unwrapExpression(access.argumentExpression);
  const declaration = isIdentifier(key) ? declarationOf(key) : undefined;
  return declaration && isParameter(declaration) && declaration.parent === method && !declaration.dotDotDotToken ? declaration : undefined;
}

/** `compose(...)` imported from "worktop": a handler that runs its functions in order. */
function isWorktopCompose(value: ts.Expression, module: ModuleFacts): boolean {
  if (!isCallExpression(value)) return false;
  const callee = unwrapExpression(value.expression);
  const imported = isIdentifier(callee) ? module.imports.get(callee.text) : undefined;
  return imported?.module === "worktop" && imported.name === "compose";
}

/** `require("x")` (not a function of the project's named so) or `import("x")`: its specifier. */
function requiredSpecifier(call: ts.CallExpression): string | undefined {
  const callee = unwrapExpression(call.expression);
  const first = call.arguments[0];
  const loads =
    (isIdentifier(callee) && callee.text === "require" && !declarationOf(callee)) || callee.kind === ts.SyntaxKind.ImportKeyword;
  return loads && first && isStringLiteralLike(first) ? first.text : undefined;
}

/** Express: `express()`, `express.Router()`, `Router()` imported from "express" (any local name), `require("express").Router()`. */
function isExpressCreation(callee: ts.Expression, module: ModuleFacts): boolean {
  const target = isPropertyAccessExpression(callee) && callee.name.text === "Router" ? unwrapExpression(callee.expression) : callee;
  if (target !== callee && isCallExpression(target) && requiredSpecifier(target) === "express") return true;
  if (!isIdentifier(target)) return false;
  const imported = module.imports.get(target.text);
  if (!imported || imported.module !== "express") return false;
  return target === callee
    ? imported.name === "default" || imported.name === "*" || imported.name === "Router"
    : imported.name === "default" || imported.name === "*";
}
