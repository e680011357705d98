import { basename, joinPath, relativePath } from "../../fs";
import type { AnalysisContext } from "../context";
import type { HandlerDiscovery } from "./discover";
import { moduleVariable } from "../module";
import type { HandlerSite } from "./types";

const PAGES_HANDLERS = [
  "onRequest",
  "onRequestGet",
  "onRequestPost",
  "onRequestPut",
  "onRequestPatch",
  "onRequestDelete",
  "onRequestHead",
  "onRequestOptions",
];

/** Pages Functions: each `functions/**` file's `onRequest*` exports are routes named by the file's path. */
export function pagesHandlers(ctx: AnalysisContext, discovery: HandlerDiscovery, files: readonly string[]): HandlerSite[] {
  const root = joinPath(ctx.input.projectRoot, "functions");
  const sites: HandlerSite[] = [];
  for (const file of files) {
    const module = ctx.loader.modules.get(file);
    if (!module) continue;
    const route =
      "/" +
      relativePath(root, file)
        .replace(/\.[^.]+$/, "")
        .replace(/(^|\/)index$/, "")
        .replace(/\[\[([^\]]+)\]\]/g, ":$1*")
        .replace(/\[([^\]]+)\]/g, ":$1");
    for (const name of PAGES_HANDLERS) {
      const exported = module.exports.get(name);
      if (!exported) continue;
      const verb = name === "onRequest" ? "ALL" : name.slice("onRequest".length).toUpperCase();
      const functions = discovery.exportedFunctions(exported, module);
      if (functions.length === 0) {
        // A generated handler (`createPagesFunctionHandler({ build })`): the framework's routes.
        const init = exported.local ? moduleVariable(module, exported.local)?.initializer : exported.expression;
        const generated = init ? discovery.valueSites(init, module, `Pages ${name}`, 0).filter((s) => s.kind === "fetch") : [];
        if (generated.length > 0) {
          sites.push(...generated);
          continue;
        }
      }
      sites.push({
        kind: "fetch",
        form: basename(file).startsWith("_middleware") ? "Pages middleware" : `Pages ${name}`,
        module,
        span: discovery.exportSpan(exported, module),
        functions,
        route: `${verb} ${route.replace(/\/_middleware$/, "/*") || "/"}`,
      });
    }
  }
  return sites;
}
