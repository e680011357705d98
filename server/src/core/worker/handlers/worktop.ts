import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, printNode, spanOf, truncate } from "../syntax";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const { isCallExpression, isExpressionStatement, isIdentifier, isPropertyAccessExpression } = ts;

/** worktop's modules that turn a Router's `run` into the Worker's handler, and the names that do it. */
const ENTRY_MODULES = new Set(["worktop", "worktop/cfw", "worktop/sw", "worktop/cache"]);
const ENTRY_NAMES = new Set(["start", "listen", "reply"]);

/**
 * worktop's entries: `export default start(API.run)` (from "worktop/cfw": a module Worker whose
 * fetch runs the Router) and, in service-worker syntax, `listen(API.run)` (from "worktop",
 * "worktop/cfw" or "worktop/cache": a fetch listener; the cache's one looks the request up in the
 * Cache first), or `addEventListener("fetch", reply(API.run))` (worktop 0.7's `reply` of "worktop"
 * or "worktop/cache"; the response helper of "worktop/response" is another function). The Router's routes are the request paths, read by the framework apps' adapter
 * (`add(method, path, handler)`, `mount(prefix, router)`, `prepare`).
 */
export class WorktopAdapter implements HandlerAdapter {
  readonly name = "worktop: start(API.run), listen(API.run)";

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    const router = this.routerOf(value, module);
    if (!router) return undefined;
    const form = `${context.form} start(${truncate(printNode(router))}.run) of worktop`;
    const sites = context.discovery.valueSites(router, module, form, context.depth + 1).filter((s) => s.kind === "fetch");
    if (sites.length > 0) return sites;
    return [
      {
        kind: "fetch",
        form,
        module,
        span: spanOf(value),
        functions: [],
        opaque: `the worktop Router ${truncate(printNode(router))} could not be resolved`,
      },
    ];
  }

  /** The fetch paths of the module's top-level `listen(API.run)` calls (service-worker syntax). */
  listenerSites(module: ModuleFacts, context: AdapterContext): HandlerSite[] {
    const sites: HandlerSite[] = [];
    for (const statement of module.sourceFile.statements) {
      if (!isExpressionStatement(statement)) continue;
      const call = unwrapExpression(statement.expression);
      if (!isCallExpression(call) || this.entryName(call, module) !== "listen") continue;
      sites.push(...(this.sitesOf(call, module, { ...context, form: "worktop listen(...)" }) ?? []));
    }
    return sites;
  }

  /** `start(API.run)` / `listen(API.run)` / `cfw.start(API.run)` of worktop: the Router (`API`). */
  private routerOf(value: ts.Expression, module: ModuleFacts): ts.Expression | undefined {
    if (!isCallExpression(value) || !this.entryName(value, module)) return undefined;
    const argument = value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
    if (!argument || !isPropertyAccessExpression(argument) || argument.name.text !== "run") return undefined;
    return unwrapExpression(argument.expression);
  }

  /** "start", "listen" or "reply" when the call's callee is that function of a worktop entry module (also through a namespace import). */
  private entryName(call: ts.CallExpression, module: ModuleFacts): string | undefined {
    const callee = unwrapExpression(call.expression);
    if (isIdentifier(callee)) {
      if (declarationOf(callee)) return undefined;
      const imported = module.imports.get(callee.text);
      return imported && ENTRY_MODULES.has(imported.module) && ENTRY_NAMES.has(imported.name) ? imported.name : undefined;
    }
    if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && ENTRY_NAMES.has(callee.name.text)) {
      const imported = module.imports.get(callee.expression.text);
      return imported && imported.name === "*" && ENTRY_MODULES.has(imported.module) ? callee.name.text : undefined;
    }
    return undefined;
  }
}
