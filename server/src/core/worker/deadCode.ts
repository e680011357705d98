import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, isDurableObjectClass, isBareSpecifier } from "./syntax";

const {
  forEachChild,
  isArrowFunction,
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
  /** Modules something refers to in a way not followed here (dynamic import, `export *`, a re-export). */
  private readonly opaque = new Set<ModuleFacts>();
  private readonly names = new Map<ModuleFacts, Map<string, ts.Identifier[]>>();
  private readonly verdicts = new Map<ts.Node, boolean>();
  /** What refers to each module-level function (see referrers), once known for good. */
  private readonly referrerVerdicts = new Map<ts.Node, "live" | "other" | "none">();
  /** Whether some import of the project's own code (a relative path, an alias) did not resolve. */
  private unreadImports = false;

  constructor(private readonly ctx: AnalysisContext) {}

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
      // Re-exported or imported dynamically: its users are not all indexed.
      if (this.opaque.has(module)) return "live";
      for (const { importer, local, name: imported } of this.importersOf!.get(module) ?? []) {
        if (imported !== "*" && !exported.includes(imported)) continue;
        const required = importer.variables.has(local);
        for (const use of this.identifiers(importer).get(local) ?? []) {
          if (isImportName(use)) continue;
          if (!required && declarationOf(use) !== undefined) continue;
          if (imported === "*" && isPropertyAccessExpression(use.parent) && use.parent.expression === use) {
            if (!exported.includes(use.parent.name.text)) continue;
          }
          if (!judge(use, importer)) return "live";
        }
      }
    }
    return other ? "other" : "none";
  }

  /** Whether `node` (a call) sits where no request can run it. */
  isDead(node: ts.Node, module: ModuleFacts): boolean {
    // Module top level: runs once when the isolate starts, where the runtime refuses I/O.
    if (!outermostFunction(node)) return true;
    return this.deadAt(node, module, 0, new Set());
  }

  /** Whether code that refers to a function (or makes a call) can never run for a request. */
  private deadAt(node: ts.Node, module: ModuleFacts, depth: number, inProgress: Set<ts.Node>): boolean {
    const fn = outermostFunction(node);
    // Named by module-level code (`export default { fetch: handle }`, `app.get("/", handle)`, a table): live.
    if (!fn) return false;
    // Code of a Durable Object runs in the object, not in the Worker's request (a stub call is a
    // binding call): what only its methods call is off the fetch path, as its own calls are.
    if (inDurableObjectClass(fn)) return true;
    const name = boundName(fn);
    if (!name) return false;
    const known = this.verdicts.get(fn);
    if (known !== undefined) return known;
    // A cycle of functions that only refer to each other: dead unless something else refers to one.
    if (inProgress.has(fn)) return true;
    if (depth > MAX_DEPTH) return false;
    inProgress.add(fn);
    let dead: boolean;
    try {
      dead = this.unreferenced(fn, name, module, depth, inProgress);
    } finally {
      inProgress.delete(fn);
    }
    // Only a verdict reached without assuming another function dead is final.
    if (!dead || inProgress.size === 0) this.verdicts.set(fn, dead);
    return dead;
  }

  private unreferenced(
    fn: ts.FunctionLikeDeclaration,
    name: ts.Identifier,
    module: ModuleFacts,
    depth: number,
    inProgress: Set<ts.Node>,
  ): boolean {
    const declared = declarationOf(name);
    // Named in its own module, outside itself, by live code.
    for (const use of this.identifiers(module).get(name.text) ?? []) {
      if (use === name || isInside(use, fn)) continue;
      if (isExportSpecifier(use.parent) || isExportAssignment(use.parent)) continue;
      if (declarationOf(use) !== declared) continue;
      if (!this.deadAt(use, module, depth + 1, inProgress)) return false;
    }
    const exported = exportedNames(module, name.text, fn);
    if (exported.length === 0) return true;
    this.indexImporters();
    // A module of the project that could not be read may import it: not known to be dead.
    if (this.opaque.has(module) || this.unreadImports) return false;
    const importers = this.importersOf!.get(module) ?? [];
    // A module no other module imports is loaded by the runtime or a framework: its exports are used.
    if (importers.length === 0) return false;
    for (const { importer, local, name: imported } of importers) {
      if (imported !== "*" && !exported.includes(imported)) continue;
      // `const { f } = require("./q")` declares its name as a variable; an ES import declares none.
      const required = importer.variables.has(local);
      for (const use of this.identifiers(importer).get(local) ?? []) {
        if (isImportName(use)) continue;
        if (!required && declarationOf(use) !== undefined) continue; // a local of the same name
        // `ns.other`: another export of a namespace import.
        if (imported === "*" && isPropertyAccessExpression(use.parent) && use.parent.expression === use) {
          if (!exported.includes(use.parent.name.text)) continue;
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
      for (const [local, binding] of importer.imports) {
        const target = this.ctx.loader.moduleFor(binding.module, importer);
        if (!target && isProjectSpecifier(binding.module)) this.unreadImports = true;
        if (!target || target === importer) continue;
        let list = index.get(target);
        if (!list) index.set(target, (list = []));
        list.push({ importer, local, name: binding.name });
      }
      for (const binding of importer.exports.values()) {
        const target = binding.reexport ? this.ctx.loader.moduleFor(binding.reexport.module, importer) : undefined;
        if (target) this.opaque.add(target);
      }
      for (const specifier of [...importer.starReexports, ...importer.dynamicImports]) {
        const target = this.ctx.loader.moduleFor(specifier, importer);
        if (target) this.opaque.add(target);
        else if (isProjectSpecifier(specifier)) this.unreadImports = true;
      }
    }
    this.importersOf = index;
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

/** The function at the top of the chain of functions `node` is in (a nested callback's outer function). */
function outermostFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let found: ts.FunctionLikeDeclaration | undefined;
  for (let current = node.parent; current && !isSourceFile(current); current = current.parent)
    if (isFunctionLike(current)) found = current as ts.FunctionLikeDeclaration;
  return found;
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
function exportedNames(module: ModuleFacts, local: string, fn: ts.FunctionLikeDeclaration): string[] {
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

/** A specifier of the project's own code: relative, absolute, or a common path alias (`@/`, `~/`, `#`). */
function isProjectSpecifier(specifier: string): boolean {
  return !isBareSpecifier(specifier) || specifier.startsWith("@/") || specifier.startsWith("~/") || specifier.startsWith("#");
}

/** Whether a function is a member of a Durable Object (or agent, Workflow) class. */
function inDurableObjectClass(fn: ts.FunctionLikeDeclaration): boolean {
  const cls = ts.findAncestor(fn, ts.isClassLike);
  return cls !== undefined && isDurableObjectClass(cls);
}
