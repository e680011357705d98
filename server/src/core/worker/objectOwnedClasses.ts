import ts from "typescript";
import type { AnalysisContext } from "./context";
import { isDurableObjectClass } from "./syntax";

const { findAncestor, forEachChild, isClassLike, isIdentifier, isNewExpression } = ts;

/**
 * The project's classes whose instances only code run by a Durable Object (or agent, Workflow)
 * makes: a `ConfigManager` or `MetricsCollector` the object's constructor builds with
 * `new ConfigManager(this.state.storage.sql)`, and the classes those build in turn. Their methods
 * run in the object, never in the Worker's fetch handler: a call to a back end there is not lost
 * wiring (the request reaches it through a stub, a binding call). A class also made anywhere
 * else (the fetch handler, a module's top level, a plain function) is not owned. Classes are
 * matched by name (an import's exported name), which is what `new` names.
 */
export class ObjectOwnedClasses {
  private owned: Set<string> | undefined;

  constructor(private readonly ctx: AnalysisContext) {}

  /** Whether `node` sits in a class only code run by a Durable Object makes (or in such an object's class). */
  has(node: ts.Node): boolean {
    const cls = findAncestor(node.parent, isClassLike);
    if (!cls) return false;
    if (isDurableObjectClass(cls)) return true;
    const name = cls.name?.text;
    return name !== undefined && this.names().has(name);
  }

  private names(): Set<string> {
    if (this.owned) return this.owned;
    const objects = new Set(this.ctx.input.ownClasses?.durableObjects ?? []);
    for (const name of this.ctx.input.ownClasses?.workflows ?? []) objects.add(name);
    // Where each class is made: the name of the class whose code makes it, or null outside any class.
    const madeIn = new Map<string, (string | null)[]>();
    for (const module of this.ctx.loader.modules.values()) {
      const visit = (node: ts.Node): void => {
        if (isClassLike(node) && node.name && isDurableObjectClass(node)) objects.add(node.name.text);
        if (isNewExpression(node) && isIdentifier(node.expression)) {
          const local = node.expression.text;
          const imported = module.imports.get(local)?.name;
          const name = imported && imported !== "default" && imported !== "*" ? imported : local;
          const inside = findAncestor(node.parent, isClassLike);
          const sites = madeIn.get(name) ?? [];
          sites.push(inside?.name?.text ?? (inside ? "" : null));
          madeIn.set(name, sites);
        }
        forEachChild(node, visit);
      };
      visit(module.sourceFile);
    }
    const owned = new Set(objects);
    for (let changed = true; changed;) {
      changed = false;
      for (const [name, sites] of madeIn) {
        if (owned.has(name)) continue;
        if (sites.every((site) => site !== null && owned.has(site))) {
          owned.add(name);
          changed = true;
        }
      }
    }
    this.owned = owned;
    return owned;
  }
}
