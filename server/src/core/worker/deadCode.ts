import ts from "typescript";
import { BrowserCode } from "./browserCode";
import { namedProjectFunction } from "./conditionFunctions";
import { inUntakenCode } from "./constantConditions";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { ServerReach, dependenciesNear, mayBeUnreadCode, typeOnlySpecifiers, type ServerReachOptions } from "./serverReach";
import { declarationOf, isDurableObjectClass } from "./syntax";

const {
  findAncestor,
  forEachChild,
  isArrowFunction,
  isCallExpression,
  isExportAssignment,
  isExportSpecifier,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isPropertyAccessExpression,
  isSourceFile,
  isVariableDeclaration,
} = ts;

/** How many functions deep "called only from dead code" is followed (each a few lookups). */
const MAX_DEPTH = 6;

type Importer = { readonly importer: ModuleFacts; readonly local: string; readonly name: string };

/**
 * Code no request can run, told apart from code the analyser could not follow: a call at a
 * module's top level (I/O outside a handler is refused by the runtime, so it never runs on a
 * request path), or inside a function nothing in the Worker refers to (an exported helper no
 * module imports, a module-level function no code names), also when every reference to it sits
 * in such code. An unreached call there is not lost wiring: it must not make the prediction
 * UNKNOWN. Everything else is live: methods, functions passed around or exported from a module
 * that no other module imports (an entry, a route file a framework loads), a module imported
 * dynamically or re-exported.
 */
export class DeadCode {
  private importersOf: Map<ModuleFacts, Importer[]> | undefined;
  /** Modules something refers to in a way not followed here (a dynamic import, `export * as ns`). */
  private readonly opaque = new Set<ModuleFacts>();
  /** Named re-exports of each module: the barrel, the name re-exported, and the name the barrel exports it under. */
  private readonly reexportersOf = new Map<ModuleFacts, { barrel: ModuleFacts; from: string; name: string }[]>();
  /** Barrels that re-export every name of a module (`export * from "./queries"`): each name but `default`, unchanged. */
  private readonly starReexportersOf = new Map<ModuleFacts, ModuleFacts[]>();
  private readonly names = new Map<ModuleFacts, Map<string, ts.Identifier[]>>();
  private readonly literals = new Map<ModuleFacts, Set<string>>();
  private readonly verdicts = new Map<ts.Node, boolean>();
  /** What refers to each module-level function (see referrers), once known for good. */
  private readonly referrerVerdicts = new Map<ts.Node, "live" | "other" | "none">();
  /** Whether some import of the project's own code (a relative path, an alias) did not resolve. */
  private unreadImports = false;

  private readonly browser = new BrowserCode((module) => this.identifiers(module));
  /** Why the verdict being reached is dead, when a reason other than "nothing refers to it" was met; by verdict. */
  private why: string | undefined;
  private readonly reasons = new Map<ts.Node, string>();

  private readonly reach: ServerReach | undefined;

  /** Without `reach`, every module is taken as one the server may run (see ServerReach). */
  constructor(
    private readonly ctx: AnalysisContext,
    reach?: ServerReachOptions,
  ) {
    this.reach = reach && new ServerReach(ctx, reach);
  }

  /**
   * Whether `node` (a call) sits inside a function walked only for another handler (a callback a
   * cron's code hands to a library, `sync({ onEvent: async () => ... })` in `handleCron`): that
   * handler runs it, not a request.
   */
  inOtherHandler(node: ts.Node): boolean {
    for (let current = node.parent; current && !isSourceFile(current); current = current.parent)
      if (isFunctionLike(current) && this.ctx.walker.walkedOffFetchPath(current)) return true;
    return false;
  }

  /**
   * Whether `node` (a call no handler reached) sits in a module-level function that code walked
   * for another handler refers to (a cron's, a Workflow's, a Durable Object's), and nothing else
   * does but such code: a notifier a cron's code puts in a list it then runs
   * (`notifications.map((notify) => notify())`, which the walk does not follow). That handler runs
   * it, not a request. Unlike isDead, a module the analyser could not read does not make it live:
   * another handler was seen to refer to it, so its wiring is not lost.
   */
  reachedOnlyByOtherHandlers(node: ts.Node, module: ModuleFacts): boolean {
    return this.referrers(node, module, 0, new Set()) === "other";
  }

  /**
   * What code refers to the function `node` is in (or is `node`'s own code): "live" when a request
   * may run it, "other" when only other handlers' code does (some of it), "none" when nothing does.
   */
  private referrers(node: ts.Node, module: ModuleFacts, depth: number, inProgress: Set<ts.Node>): "live" | "other" | "none" {
    const { walker } = this.ctx;
    // The innermost function the walk took: on a fetch path (or in its waitUntil), or only for another handler.
    for (let current = node.parent; current && !isSourceFile(current); current = current.parent)
      if (isFunctionLike(current)) {
        if (walker.walkedOnFetchPath(current)) return "live";
        if (walker.walkedOffFetchPath(current)) return "other";
      }
    const fn = outermostFunction(node);
    if (!fn) return "live";
    if (inDurableObjectClass(fn)) return "other";
    const name = boundName(fn);
    if (!name || depth > MAX_DEPTH) return "live";
    const known = this.referrerVerdicts.get(fn);
    if (known) return known;
    if (inProgress.has(fn)) return "none";
    inProgress.add(fn);
    let verdict: "live" | "other" | "none" = "live";
    try {
      verdict = this.referrersOf(fn, name, module, depth, inProgress);
    } finally {
      inProgress.delete(fn);
    }
    // Only a verdict reached without assuming a function in progress is final.
    if (verdict === "live" || inProgress.size === 0) this.referrerVerdicts.set(fn, verdict);
    return verdict;
  }

  private referrersOf(
    fn: ts.FunctionLikeDeclaration,
    name: ts.Identifier,
    module: ModuleFacts,
    depth: number,
    inProgress: Set<ts.Node>,
  ): "live" | "other" | "none" {
    let other = false;
    const judge = (use: ts.Identifier, at: ModuleFacts): boolean => {
      const verdict = this.referrers(use, at, depth + 1, inProgress);
      if (verdict === "other") other = true;
      return verdict !== "live";
    };
    const declared = declarationOf(name);
    for (const use of this.identifiers(module).get(name.text) ?? []) {
      if (use === name || isInside(use, fn)) continue;
      if (isExportSpecifier(use.parent) || isExportAssignment(use.parent)) continue;
      if (declarationOf(use) !== declared) continue;
      if (!judge(use, module)) return "live";
    }
    const exported = exportedNames(module, name.text, fn);
    if (exported.length > 0) {
      this.indexImporters();
      // Imported dynamically or re-exported with `export *`: its users are not all indexed. A named
      // re-export (`export { f } from "./f"` in a barrel) is followed to the barrel's importers.
      const importers = this.importersThroughBarrels(module, exported);
      if (!importers) return "live";
      for (const { importer, local, name: imported, exported: names } of importers) {
        if (imported !== "*" && !names.includes(imported)) continue;
        const required = importer.variables.has(local);
        for (const use of this.identifiers(importer).get(local) ?? []) {
          if (isImportName(use)) continue;
          if (!required && declarationOf(use) !== undefined) continue;
          if (imported === "*" && isPropertyAccessExpression(use.parent) && use.parent.expression === use) {
            if (!names.includes(use.parent.name.text)) continue;
          }
          if (!judge(use, importer)) return "live";
        }
      }
    }
    return other ? "other" : "none";
  }

  /**
   * The importers of `exported` (names of `module`), also those that import them from a barrel that
   * re-exports them by name (`export { f } from "./f"`, followed a few barrels deep), each with the
   * names it would import them under; undefined when some users cannot all be known: the module (or a
   * barrel) is imported dynamically or re-exported with `export *`, or a barrel no module imports
   * (an entry: the runtime or a framework uses its exports) re-exports them.
   */
  private importersThroughBarrels(
    module: ModuleFacts,
    exported: readonly string[],
  ): (Importer & { readonly exported: readonly string[] })[] | undefined {
    const found: (Importer & { readonly exported: readonly string[] })[] = [];
    const seen = new Set<ModuleFacts>();
    const visit = (at: ModuleFacts, names: readonly string[], depth: number): boolean => {
      if (this.opaque.has(at) || seen.has(at) || depth > MAX_DEPTH) return false;
      seen.add(at);
      for (const importer of this.importersOf!.get(at) ?? []) found.push({ ...importer, exported: names });
      for (const { barrel, from, name } of this.reexportersOf.get(at) ?? []) {
        if (!names.includes(from)) continue;
        if (!this.hasUsers(barrel)) return false;
        if (!visit(barrel, [name], depth + 1)) return false;
      }
      // `export * from "./queries"`: the barrel exports each name but `default` as it is.
      // A default behind it is not re-exported: an import of it by name is wiring that did not resolve.
      for (const barrel of this.starReexportersOf.get(at) ?? []) {
        if (names.includes("default") || !this.hasUsers(barrel)) return false;
        if (!visit(barrel, names, depth + 1)) return false;
      }
      return true;
    };
    return visit(module, exported, 0) ? found : undefined;
  }

  /** Whether some module of the Worker imports `module` or re-exports from it (one none does is an entry). */
  private hasUsers(module: ModuleFacts): boolean {
    return (
      (this.importersOf!.get(module) ?? []).length > 0 ||
      (this.reexportersOf.get(module) ?? []).length > 0 ||
      (this.starReexportersOf.get(module) ?? []).length > 0
    );
  }

  /** Whether `node` (a call) sits where no request can run it. */
  isDead(node: ts.Node, module: ModuleFacts): boolean {
    return this.deadReason(node, module) !== undefined;
  }

  /** Why `node` (a call) sits where no request can run it, in a few words; undefined when it may run. */
  deadReason(node: ts.Node, module: ModuleFacts): string | undefined {
    // Module top level: runs once when the isolate starts, where the runtime refuses I/O.
    if (!outermostFunction(node)) return "module top level";
    const offServer = this.offServerReason(node, module);
    if (offServer) return offServer;
    this.why = undefined;
    if (!this.deadAt(node, module, 0, new Set())) return undefined;
    return this.why ?? "nothing a request runs refers to it";
  }

  /**
   * Why the server never runs `node` for a request, read from the modules that lead to its module:
   * only type imports (erased: no code of it is in the Worker), or only client components. On the
   * server a client component only renders: its event handlers, effects and data hooks' fetchers
   * wait for the browser, and nothing but a render runs the code of its modules. So a call is the
   * browser's unless it sits in a component's or hook's body (or a callback made there), which runs
   * while the page renders on the server too.
   */
  private offServerReason(node: ts.Node, module: ModuleFacts): string | undefined {
    const where = this.reach?.offServer(module);
    if (where === "types") return "only type imports lead to its module";
    if (where !== "client") return undefined;
    // A component's or hook's body may run on the server while it renders; an effect's callback or
    // an event handler is said as browser code (deadAt).
    if (inRenderCode(node) || this.browser.isBrowserOnly(node, module)) return undefined;
    return this.reach!.isClientModule(module)
      ? 'code of a client component\'s module ("use client") that no render runs'
      : 'only client components ("use client") lead to its module';
  }

  private dead(why: string): true {
    this.why ??= why;
    return true;
  }

  /** Whether code that refers to a function (or makes a call) can never run for a request. */
  private deadAt(node: ts.Node, module: ModuleFacts, depth: number, inProgress: Set<ts.Node>): boolean {
    // `if (url.pathname.startsWith("/")) return ...;` before it: no request gets there.
    // (A branch on a var the config disables is decided too: the deployed Worker never has it.)
    if (
      inUntakenCode(node, {
        isIncomingRequest: (e) => this.ctx.values.isIncomingRequest(e),
        unsetVar: (e) => this.ctx.values.configVarUnset(e),
        calledFunction: (callee) => namedProjectFunction(callee, this.ctx),
      })
    )
      return this.dead("a branch no request takes");
    // A component's event handler, an effect's callback: the browser runs them, never the Worker.
    if (this.browser.isBrowserOnly(node, module)) return this.dead("browser code");
    const fn = outermostFunction(node);
    // Code of a Durable Object runs in the object, not in the Worker's request (a stub call is a
    // binding call): what only its methods call is off the fetch path, as its own calls are.
    if (fn && inDurableObjectClass(fn)) return this.dead("only a Durable Object runs it");
    // `async getHourlyMetrics() { ...this.db.prepare(...) }` on a service class whose other methods
    // the Worker calls: a method no code names is never called.
    const method = enclosingMethod(node);
    if (method && this.methodNothingNames(method)) return this.dead("a method nothing calls");
    // Named by module-level code (`export default { fetch: handle }`, `app.get("/", handle)`, a
    // table): live, unless that code only registers routes on an app a variable holds.
    const bound = fn && boundName(fn);
    const holder: Holder | undefined = bound ? { name: bound, region: fn, app: false } : this.appHolder(fn ?? node, module);
    if (!holder) return false;
    const key = holder.region;
    const known = this.verdicts.get(key);
    if (known !== undefined) {
      if (known) this.why ??= this.reasons.get(key);
      return known;
    }
    // A cycle of functions that only refer to each other: dead unless something else refers to one.
    if (inProgress.has(key)) return true;
    if (depth > MAX_DEPTH) return false;
    inProgress.add(key);
    let dead: boolean;
    try {
      dead = this.unreferenced(holder, module, depth, inProgress);
    } finally {
      inProgress.delete(key);
    }
    // Only a verdict reached without assuming another function dead is final.
    if (!dead || inProgress.size === 0) {
      this.verdicts.set(key, dead);
      if (dead && this.why !== undefined) this.reasons.set(key, this.why);
    }
    return dead;
  }

  /**
   * The app variable a route handler (or a value handed to a route registration) at module level
   * belongs to: `export const prices = new Hono().get("/", async (c) => ...)` (the chain is the
   * variable's value), or `app.get("/", handler);` as a statement for `const app = new Hono()`.
   * The handler runs only when that app is given requests, so it is as dead as the variable.
   */
  private appHolder(node: ts.Node, module: ModuleFacts): Holder | undefined {
    let argument: ts.Node = node;
    while (isWrapper(argument.parent)) argument = argument.parent;
    const call = argument.parent;
    if (!call || !isCallExpression(call) || !call.arguments.some((a) => a === argument)) return undefined;
    if (outermostFunction(call)) return undefined;
    const top = registrationChainTop(call);
    if (!top) return undefined;
    const root = chainRoot(top);
    let holder: ts.Node = top.parent;
    while (isWrapper(holder)) holder = holder.parent;
    // `export const prices = new Hono().get(...)`: a fresh app, held by a module-level variable.
    if (isVariableDeclaration(holder) && isIdentifier(holder.name) && isModuleLevel(holder)) {
      if (!isCallExpression(root) && !ts.isNewExpression(root)) return undefined;
      if (!this.ctx.handlers.apps.isApp(root, module)) return undefined;
      return { name: holder.name, region: holder, app: true };
    }
    // `app.get("/", handler);` for `const app = new Hono()` at module level.
    if (ts.isExpressionStatement(holder) && isSourceFile(holder.parent) && isIdentifier(root)) {
      const declaration = declarationOf(root);
      if (!declaration || !isVariableDeclaration(declaration) || !isIdentifier(declaration.name) || !isModuleLevel(declaration))
        return undefined;
      if (!declaration.initializer || !this.ctx.handlers.apps.isApp(declaration.initializer, module)) return undefined;
      return { name: declaration.name, region: declaration, app: true };
    }
    return undefined;
  }

  private unreferenced(holder: Holder, module: ModuleFacts, depth: number, inProgress: Set<ts.Node>): boolean {
    const { name, region } = holder;
    const declared = declarationOf(name);
    // Named in its own module, outside itself, by live code.
    for (const use of this.identifiers(module).get(name.text) ?? []) {
      if (use === name || isInside(use, region)) continue;
      if (isExportSpecifier(use.parent) || isExportAssignment(use.parent)) continue;
      if (declarationOf(use) !== declared) continue;
      // `type Api = typeof app`: a type, no code.
      if (inTypeQuery(use)) continue;
      // `app.get("/x", other);`: another route on the same app, as dead as the app.
      if (holder.app && registers(use)) continue;
      if (!this.deadAt(use, module, depth + 1, inProgress)) return false;
    }
    const exported = exportedNames(module, name.text, region);
    if (exported.length === 0) return true;
    this.indexImporters();
    // A module of the project that could not be read may import it: not known to be dead.
    if (this.unreadImports) return false;
    // A module no other module imports is loaded by the runtime or a framework: its exports are used.
    if (!this.hasUsers(module)) return false;
    // Also the importers of barrels that re-export it (`export { f } from`, `export * from`); none
    // known when one is imported dynamically or is itself an entry.
    const importers = this.importersThroughBarrels(module, exported);
    if (!importers) return false;
    for (const { importer, local, name: imported, exported: names } of importers) {
      if (imported !== "*" && !names.includes(imported)) continue;
      // `const { f } = require("./q")` declares its name as a variable; an ES import declares none.
      const required = importer.variables.has(local);
      for (const use of this.identifiers(importer).get(local) ?? []) {
        if (isImportName(use) || inTypeQuery(use)) continue;
        if (!required && declarationOf(use) !== undefined) continue; // a local of the same name
        // `ns.other`: another export of a namespace import.
        if (imported === "*" && isPropertyAccessExpression(use.parent) && use.parent.expression === use) {
          if (!names.includes(use.parent.name.text)) continue;
        }
        if (!this.deadAt(use, importer, depth + 1, inProgress)) return false;
      }
    }
    return true;
  }

  /** Which loaded modules import which, once per analysis. */
  private indexImporters(): void {
    if (this.importersOf) return;
    const index = new Map<ModuleFacts, Importer[]>();
    const modules = [...this.ctx.loader.modules.values()];
    for (const importer of modules) {
      const typesOnly = typeOnlySpecifiers(importer);
      // Read only for an import that did not resolve: most do.
      let dependencies: ReadonlySet<string> | undefined | null = null;
      const mayBeUnread = (specifier: string): boolean =>
        mayBeUnreadCode(specifier, typesOnly, (dependencies ??= dependenciesNear(this.ctx.fs, importer.path)));
      for (const [local, binding] of importer.imports) {
        const target = this.ctx.loader.moduleFor(binding.module, importer);
        if (!target && mayBeUnread(binding.module)) this.unreadImports = true;
        if (!target || target === importer) continue;
        let list = index.get(target);
        if (!list) index.set(target, (list = []));
        list.push({ importer, local, name: binding.name });
      }
      for (const [name, binding] of importer.exports) {
        const target = binding.reexport ? this.ctx.loader.moduleFor(binding.reexport.module, importer) : undefined;
        if (!target) continue;
        if (binding.reexport!.name === "*") this.opaque.add(target);
        else {
          let list = this.reexportersOf.get(target);
          if (!list) this.reexportersOf.set(target, (list = []));
          list.push({ barrel: importer, from: binding.reexport!.name, name });
        }
      }
      for (const specifier of importer.starReexports) {
        const target = this.ctx.loader.moduleFor(specifier, importer);
        if (target && target !== importer) {
          let list = this.starReexportersOf.get(target);
          if (!list) this.starReexportersOf.set(target, (list = []));
          list.push(importer);
        } else if (!target && mayBeUnread(specifier)) this.unreadImports = true;
      }
      for (const specifier of importer.dynamicImports) {
        const target = this.ctx.loader.moduleFor(specifier, importer);
        if (target) this.opaque.add(target);
        else if (mayBeUnread(specifier)) this.unreadImports = true;
      }
    }
    this.importersOf = index;
  }

  /**
   * Whether no code of the Worker names `method`: no `x.name`, `{ name }` or other identifier, and no
   * string of that name (`service[action]` over a table of names). Only for a class of the project's
   * own with no base class and no decorators, and not for names the runtime or a standard protocol
   * calls by itself (an HTMLRewriter handler's `element`, a stream sink's `write`, `toJSON`): a
   * framework's base class or a decorator may call a method the code never names.
   */
  private methodNothingNames(method: ts.MethodDeclaration | ts.AccessorDeclaration): boolean {
    const cls = method.parent;
    if (!ts.isClassLike(cls) || cls.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) return false;
    if (ts.getDecorators(method)?.length || ts.getDecorators(cls)?.length) return false;
    const name = method.name;
    if (!isIdentifier(name) && !ts.isPrivateIdentifier(name) && !ts.isStringLiteral(name)) return false;
    if (CALLED_BY_NAME.has(name.text)) return false;
    if (!this.onlyConstructedHere(cls)) return false;
    this.indexImporters();
    // A module of the project that could not be read may call it.
    if (this.unreadImports) return false;
    for (const module of this.ctx.loader.modules.values()) {
      if ((this.identifiers(module).get(name.text) ?? []).some((use) => use !== name && mayNameMember(use))) return false;
      if (this.strings(module).has(name.text)) return false;
    }
    return true;
  }

  /**
   * Whether every reference to the class is `new Class(...)` kept by the project's own code: a class
   * (or a fresh instance) handed to a call, put in an object or a list, is an object a library may
   * call methods of by name (a store, a logger, a cache handler).
   */
  private onlyConstructedHere(cls: ts.ClassLikeDeclaration): boolean {
    const name = cls.name;
    if (!name) return false;
    for (const module of this.ctx.loader.modules.values())
      for (const use of this.identifiers(module).get(name.text) ?? []) {
        if (use === name || isImportName(use) || isExportSpecifier(use.parent) || inTypeQuery(use)) continue;
        if (ts.isTypeReferenceNode(use.parent)) continue;
        const created = use.parent;
        if (!ts.isNewExpression(created) || created.expression !== use) return false;
        let holder: ts.Node = created.parent;
        let value: ts.Node = created;
        while (isWrapper(holder)) [value, holder] = [holder, holder.parent];
        if ((isCallExpression(holder) || ts.isNewExpression(holder)) && holder.arguments?.includes(value as ts.Expression)) return false;
        if (ts.isPropertyAssignment(holder) || ts.isArrayLiteralExpression(holder) || ts.isJsxExpression(holder)) return false;
      }
    return true;
  }

  /** The string literals of a module, collected once per module when first asked. */
  private strings(module: ModuleFacts): Set<string> {
    let found = this.literals.get(module);
    if (found) return found;
    const set = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node)) set.add(node.text);
      forEachChild(node, visit);
    };
    visit(module.sourceFile);
    this.literals.set(module, (found = set));
    return found;
  }

  /** Identifiers of a module by name, collected once per module when first asked. */
  private identifiers(module: ModuleFacts): Map<string, ts.Identifier[]> {
    let found = this.names.get(module);
    if (found) return found;
    const map = new Map<string, ts.Identifier[]>();
    const visit = (node: ts.Node): void => {
      if (isIdentifier(node)) {
        let list = map.get(node.text);
        if (!list) map.set(node.text, (list = []));
        list.push(node);
        return;
      }
      forEachChild(node, visit);
    };
    visit(module.sourceFile);
    this.names.set(module, (found = map));
    return found;
  }
}

/** What a piece of code belongs to: a module-level function's name, or the variable of the app it is a route of. */
interface Holder {
  readonly name: ts.Identifier;
  /** The code that is the holder itself: references inside it are not uses. */
  readonly region: ts.Node;
  /** An app: statements that only register routes on it are no uses either. */
  readonly app: boolean;
}

/** Methods that register a route or middleware on an app and return the app: `get`, `use`, `route`. */
const REGISTRATIONS = new Set(["get", "post", "put", "delete", "patch", "head", "options", "all", "use", "route", "on"]);

function isWrapper(node: ts.Node | undefined): node is ts.Expression {
  return (
    node !== undefined &&
    (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node))
  );
}

/** The last call of a chain of route registrations `call` is a link of (`x.get(...).post(...)`), if every link registers. */
function registrationChainTop(call: ts.CallExpression): ts.CallExpression | undefined {
  let current: ts.CallExpression = call;
  for (;;) {
    const callee = unwrapExpression(current.expression);
    if (!isPropertyAccessExpression(callee) || !REGISTRATIONS.has(callee.name.text)) return undefined;
    const access = current.parent;
    if (
      access &&
      isPropertyAccessExpression(access) &&
      access.expression === current &&
      access.parent &&
      ts.isCallExpression(access.parent) &&
      access.parent.expression === access
    ) {
      current = access.parent;
      continue;
    }
    return current;
  }
}

/** The receiver a chain of method calls starts from (`new Hono()` of `new Hono().get(...).post(...)`). */
function chainRoot(top: ts.CallExpression): ts.Expression {
  let current: ts.Expression = top;
  for (;;) {
    const value = unwrapExpression(current);
    if (!ts.isCallExpression(value)) return value;
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee)) return value;
    const inner = unwrapExpression(callee.expression);
    // `new Hono()` or `Router()` itself is the root.
    if (!ts.isCallExpression(inner)) return inner;
    const innerCallee = unwrapExpression(inner.expression);
    if (!isPropertyAccessExpression(innerCallee) || !REGISTRATIONS.has(innerCallee.name.text)) return inner;
    current = inner;
  }
}

/** `app.get("/x", handler);` at module level: `use` is the app a statement only registers routes on. */
function registers(use: ts.Identifier): boolean {
  const access = use.parent;
  if (!access || !isPropertyAccessExpression(access) || access.expression !== use) return false;
  const call = access.parent;
  if (!call || !ts.isCallExpression(call) || call.expression !== access) return false;
  const top = registrationChainTop(call);
  if (!top) return false;
  let holder: ts.Node = top.parent;
  while (isWrapper(holder)) holder = holder.parent;
  return ts.isExpressionStatement(holder) && isSourceFile(holder.parent);
}

/** A declaration of a module-level variable: declaration list, statement, source file. */
function isModuleLevel(declaration: ts.VariableDeclaration): boolean {
  return isSourceFile(declaration.parent.parent.parent);
}

/** `typeof app` in a type: names a value's type, runs nothing. */
function inTypeQuery(use: ts.Identifier): boolean {
  return findAncestor(use, ts.isTypeQueryNode) !== undefined;
}

/** The function at the top of the chain of functions `node` is in (a nested callback's outer function). */
function outermostFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let found: ts.FunctionLikeDeclaration | undefined;
  for (let current = node.parent; current && !isSourceFile(current); current = current.parent)
    if (isFunctionLike(current)) found = current as ts.FunctionLikeDeclaration;
  return found;
}

/**
 * Whether `node` sits in a function React runs while rendering: a component (a capitalised name, a
 * default export, a class's `render`) or a hook (`useX`), or a callback made inside one (a `.map`
 * over items, a `useMemo`), which may run then too.
 */
function inRenderCode(node: ts.Node): boolean {
  for (let current = node.parent; current && !isSourceFile(current); current = current.parent) {
    if (!isFunctionLike(current)) continue;
    if (ts.isMethodDeclaration(current)) {
      if (isIdentifier(current.name) && current.name.text === "render") return true;
      continue;
    }
    const name = renderName(current);
    if (name === "default" || (name !== undefined && (/^[A-Z]/.test(name) || /^use[A-Z0-9]/.test(name)))) return true;
  }
  return false;
}

/**
 * The name a function is rendered or called by: its declared name, the variable that holds it (also
 * through `memo(...)`, `forwardRef(...)`), or "default" for an anonymous default export.
 */
function renderName(fn: ts.SignatureDeclaration): string | undefined {
  if (isFunctionDeclaration(fn)) return fn.name?.text ?? "default";
  if (!isArrowFunction(fn) && !isFunctionExpression(fn)) return undefined;
  let holder: ts.Node = fn.parent;
  while (isWrapper(holder) || isCallExpression(holder)) holder = holder.parent;
  if (isVariableDeclaration(holder) && isIdentifier(holder.name)) return holder.name.text;
  return isExportAssignment(holder) ? "default" : undefined;
}

/**
 * The name a module-level function is known by: `function f() {}`, `const f = () => {}`,
 * `const f = async function () {}`. Methods, callbacks and functions held in other ways have none
 * here (they are taken as live).
 */
function boundName(fn: ts.FunctionLikeDeclaration): ts.Identifier | undefined {
  if (isFunctionDeclaration(fn)) return fn.name && isSourceFile(fn.parent) ? fn.name : undefined;
  if (!isArrowFunction(fn) && !isFunctionExpression(fn)) return undefined;
  let holder: ts.Node = fn.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder)) holder = holder.parent;
  if (!isVariableDeclaration(holder) || !isIdentifier(holder.name) || !holder.initializer) return undefined;
  if (unwrapExpression(holder.initializer) !== fn) return undefined;
  // A module-level variable: declaration list, statement, source file.
  return isSourceFile(holder.parent.parent.parent) ? holder.name : undefined;
}

/** The names a module exports a function under. */
function exportedNames(module: ModuleFacts, local: string, fn: ts.Node): string[] {
  const names: string[] = [];
  for (const [name, binding] of module.exports) {
    if (binding.reexport) continue;
    const expression = binding.expression ? unwrapExpression(binding.expression) : undefined;
    if (
      binding.local === local ||
      binding.declaration === fn ||
      expression === fn ||
      (expression !== undefined && isIdentifier(expression) && expression.text === local)
    )
      names.push(name);
  }
  return names;
}

function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** The name in an import declaration itself (`import { f } from`, `import * as ns from`), not a use. */
function isImportName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isImportEqualsDeclaration(parent) ||
    (ts.isBindingElement(parent) && parent.name === identifier) ||
    (isVariableDeclaration(parent) && parent.name === identifier)
  );
}

/**
 * Method names code outside the project calls without naming them: the runtime's handlers (a class
 * exported as the Worker, an old-style Durable Object), HTMLRewriter's element and document
 * handlers, streams' underlying sources, sinks and transformers, EventTarget listener objects,
 * Proxy traps, and the language's own protocols.
 */
const CALLED_BY_NAME = new Set([
  "constructor",
  "fetch",
  "scheduled",
  "queue",
  "email",
  "tail",
  "trace",
  "test",
  "alarm",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
  "element",
  "comments",
  "text",
  "doctype",
  "end",
  "start",
  "pull",
  "cancel",
  "write",
  "close",
  "abort",
  "transform",
  "flush",
  "handleEvent",
  "get",
  "set",
  "has",
  "apply",
  "construct",
  "deleteProperty",
  "ownKeys",
  "defineProperty",
  "getOwnPropertyDescriptor",
  "then",
  "toJSON",
  "toString",
  "valueOf",
]);

/**
 * Whether an identifier may name a member of some object: `x.name`, `{ name } = x`, `{ name }`, or a
 * free name the analyser cannot place. A declaration's own name (another class's method, a function
 * of the same name) and a name that resolves to a variable, function or import are not.
 */
function mayNameMember(use: ts.Identifier): boolean {
  const parent = use.parent;
  if (isPropertyAccessExpression(parent)) return parent.name === use;
  if (ts.isBindingElement(parent) || ts.isShorthandPropertyAssignment(parent)) return true;
  // The name a declaration gives (`function name`, `name: value`, `name() {}` elsewhere).
  if ((parent as ts.NamedDeclaration).name === use) return false;
  return declarationOf(use) === undefined;
}

/** The method of a class `node` sits in (the nearest), if any. */
function enclosingMethod(node: ts.Node): ts.MethodDeclaration | ts.AccessorDeclaration | undefined {
  for (let current = node.parent; current && !isSourceFile(current); current = current.parent)
    if ((ts.isMethodDeclaration(current) || ts.isAccessor(current)) && ts.isClassLike(current.parent)) return current;
  return undefined;
}

/** Whether a function is a member of a Durable Object (or agent, Workflow) class. */
function inDurableObjectClass(fn: ts.FunctionLikeDeclaration): boolean {
  const cls = ts.findAncestor(fn, ts.isClassLike);
  return cls !== undefined && isDurableObjectClass(cls);
}
