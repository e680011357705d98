import ts from "typescript";
import { dirname } from "../../fs";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf } from "../syntax";
import { FrameworkRoutes } from "./frameworks";
import { hasNitroConfig } from "./nitroConfig";
import type { HandlerSite } from "./types";

/**
 * `$fetch("/api/posts")` and `useFetch("/api/posts")` with a path and no `baseURL`, in a Nuxt or
 * Nitro app: Nitro answers them in the same process (its local fetch runs the app's own handler),
 * so what they cost is what the matching server route does, not a round trip.
 */
export class NitroLocalFetch {
  /** The app's server routes (pages left out), by the app's root. */
  private readonly routesByRoot = new Map<string, HandlerSite[]>();

  constructor(private readonly ctx: AnalysisContext) {}

  /** The server routes the call may reach (the worst counts), or undefined when it is not such a call or none matches. */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!ts.isIdentifier(callee) || (callee.text !== "$fetch" && callee.text !== "useFetch")) return undefined;
    // Nitro's global `$fetch` (ofetch's own, imported, does not reach the app), and Nuxt's `useFetch`, also imported from Nuxt.
    const imported = module.imports.get(callee.text);
    if (imported ? callee.text !== "useFetch" || !NUXT_MODULES.has(imported.module) : declarationOf(callee) !== undefined) return undefined;
    const [url, options] = call.arguments;
    if (!url) return undefined;
    if (options && this.ctx.values.optionValues(options, module, "baseURL").length > 0) return undefined;
    const path = this.pathOf(url);
    if (!path) return undefined;
    const root = nitroRoot(this.ctx, module);
    if (!root) return undefined;
    const method = options ? this.methodOf(options, module) : "GET";
    const sites = this.routes(root).filter((site) => matches(site.route, method, path));
    return sites.length > 0 ? sites : undefined;
  }

  /** The path a URL written in place asks for: whole (`/api/a?x=1` -> "/api/a") or a known start (`/api/${kind}` -> "/api/"). */
  private pathOf(url: ts.Expression): { text: string; whole: boolean } | undefined {
    const value = unwrapExpression(url);
    let text: string | undefined;
    let whole = false;
    if (ts.isStringLiteralLike(value)) {
      text = value.text;
      whole = true;
    } else if (ts.isTemplateExpression(value)) text = value.head.text;
    else if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken && ts.isStringLiteralLike(value.left))
      text = value.left.text;
    if (text === undefined || !text.startsWith("/") || text.startsWith("//")) return undefined;
    const query = text.search(/[?#]/);
    if (query !== -1) return { text: text.slice(0, query), whole: true };
    return { text, whole };
  }

  private methodOf(options: ts.Expression, module: ModuleFacts): string | undefined {
    const method = this.ctx.values.optionValues(options, module, "method")[0];
    if (!method) return "GET";
    const value = unwrapExpression(method.expression);
    return ts.isStringLiteralLike(value) ? value.text.toUpperCase() : undefined;
  }

  private routes(root: string): HandlerSite[] {
    // Route modules are found on disk, not through imports: a walk that reads them is not kept.
    this.ctx.walker.cutWalk();
    const known = this.routesByRoot.get(root);
    if (known) return known;
    // Read again while being read (a route that fetches another): nothing yet.
    this.routesByRoot.set(root, []);
    const routes = new FrameworkRoutes(this.ctx, { kind: "nuxt", root });
    for (const file of routes.sourceFiles()) this.ctx.loader.load(file);
    const sites = routes.sites(this.ctx.handlers).filter((site) => !isPage(site));
    this.routesByRoot.set(root, sites);
    return sites;
  }
}

function isPage(site: HandlerSite): boolean {
  return site.module.path.endsWith(".vue");
}

const NUXT_MODULES = new Set(["#app", "#imports", "nuxt/app"]);

/** The folder at or above a module with a Nuxt or Nitro config. */
function nitroRoot(ctx: AnalysisContext, module: ModuleFacts): string | undefined {
  for (let dir = dirname(module.path), i = 0; i < 12; i++) {
    if (hasNitroConfig(ctx.fs, dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * Whether a route (`GET /api/posts/:id`, `ALL /api/*`) answers a request for a path: each `:name`
 * takes one segment, `*` the rest. A path known only by its start matches every route it may be
 * the start of. An unknown method matches any.
 */
function matches(route: string | undefined, method: string | undefined, path: { text: string; whole: boolean }): boolean {
  if (!route) return false;
  const [verb, pattern] = route.split(" ");
  if (!pattern || (method !== undefined && verb !== "ALL" && verb !== method)) return false;
  const want = path.text.split("/").filter((s) => s !== "");
  const have = pattern.split("/").filter((s) => s !== "");
  // A path known by its start: its last segment may be cut short (`/api/hotSearch/` then `${type}`).
  const partial = !path.whole && !path.text.endsWith("/") ? want.pop() : undefined;
  for (let i = 0; i < want.length; i++) {
    const segment = have[i];
    if (segment === undefined) return false;
    if (segment === "*") return true;
    if (!segment.startsWith(":") && segment !== want[i]) return false;
  }
  if (path.whole) return have.length === want.length || have[want.length] === "*";
  const next = have[want.length];
  // `/api/posts/${id}`: a segment follows, so the folder's own route (`/api/posts`) is not it.
  if (next === undefined) return false;
  return partial === undefined || next === "*" || next.startsWith(":") || next.startsWith(partial);
}
