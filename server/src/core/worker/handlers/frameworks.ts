import ts from "typescript";
import { basename, dirname, joinPath, relativePath, type FileSystem } from "../../fs";
import type { AnalysisContext } from "../context";
import { moduleVariable, isAstroFile, isVueFile, unwrapExpression, type ExportBinding, type ModuleFacts } from "../module";
import { isSourceFile, resolveFile } from "../resolve";
import { declarationOf, joinRoute, printNode, rootImport, spanOf, truncate, type FunctionRef, propertyInitializer } from "../syntax";
import { firstAnswer, type ValueRef } from "../values";
import type { HandlerDiscovery } from "./discover";
import { astroOnDemand, astroOutput } from "./astro";
import { tanstackSites, tanstackSourceFiles } from "./tanstack";
import { mastraEntry } from "./mastra";
import { actionRerender, importedActionModules, inlineServerActions } from "./nextActions";
import { libraryFor } from "../sdks";
import { ownEntry } from "../../tables";
import { NUXT_CONFIG_FILES, nitroServerDirs } from "./nitroConfig";
import { NuxtPages } from "./nuxtPages";
import { actionAlwaysRedirects, type ActionFramework } from "./reactRouterActions";
import { reactRouterAppDirectory } from "./reactRouterConfig";
import { nuxtOAuthHandlerCall, nuxtOAuthHandlerOf, nuxtOAuthTrips, onSuccessOf } from "./nuxtAuthUtils";
import { remixBuildPackageRoot } from "./remixBuild";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const {
  isCallExpression,
  isIdentifier,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isMethodDeclaration,
  isStringLiteralLike,
} = ts;

/** Frameworks whose fetch handler is generated at build time: their request paths are the app's own route modules. */
export type FrameworkKind = "react-router" | "sveltekit" | "astro" | "nuxt" | "next" | "tanstack-start" | "mastra" | "honox";

export const FRAMEWORK_NAMES: Readonly<Record<FrameworkKind, string>> = {
  "react-router": "React Router / Remix",
  sveltekit: "SvelteKit",
  astro: "Astro",
  nuxt: "Nuxt / Nitro",
  next: "Next.js",
  "tanstack-start": "TanStack Start",
  mastra: "Mastra",
  honox: "HonoX",
};

/** Frameworks known by name that the analysis does not follow: said as such, never guessed. */
const UNFOLLOWED: ReadonlyArray<readonly [string, string]> = [
  ["@solidjs/start", "SolidStart"],
  ["@builder.io/qwik-city", "Qwik City"],
  ["@analogjs/platform", "Analog"],
  ["waku", "Waku"],
  ["vike", "Vike"],
  ["@redwoodjs/sdk", "RedwoodSDK"],
  ["rwsdk", "RedwoodSDK"],
  ["gatsby", "Gatsby"],
];

/** Output folders only web frameworks write (not `dist`, `build` or `out`, which any bundler may use). */
export const FRAMEWORK_OUTPUT_DIRS = [
  ".open-next",
  ".svelte-kit",
  ".output",
  ".vercel",
  ".next",
  ".nuxt",
  ".astro",
  ".cloudflare",
  ".mastra",
];

const HTTP_VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/** h3's (Nitro's) event handler factories, auto-imported in a Nitro server or imported from h3. */
const EVENT_HANDLER_FACTORIES = new Set(["defineEventHandler", "eventHandler", "defineCachedEventHandler", "cachedEventHandler"]);
const MAX_FILES = 2000;

/** The framework of a project as its package.json and `main` say, or a known framework the analysis does not follow. */
export interface FrameworkProject {
  readonly kind: FrameworkKind;
  /** Folder of the package.json that names it (the app's root). */
  readonly root: string;
}

export interface PackageManifest {
  readonly file: string;
  readonly dependencies: ReadonlySet<string>;
  /** Dependencies that are packages of the same repository (`"workspace:*"`, `"file:../db"`, `"link:"`). */
  readonly localDependencies: ReadonlySet<string>;
  readonly scripts: ReadonlyMap<string, string>;
  readonly main: string | null;
}

/** The nearest package.json at or above `dir` (parsed as JSON), or undefined. */
export function nearestManifest(fs: FileSystem, dir: string): PackageManifest | undefined {
  let current = dir;
  for (let depth = 0; depth < 8; depth++) {
    const file = joinPath(current, "package.json");
    const text = fs.readFile(file);
    if (text !== undefined) return parseManifest(file, text);
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** Manifests read, by file, with the text they were read from (see parseManifest). */
const manifests = new Map<string, { text: string; manifest: PackageManifest | undefined }>();

/**
 * A package.json's manifest, kept per file while its text stays the same: the nearest manifest is
 * asked for each call the classifier reads (is the callee the project's own code?), and a large
 * API's package.json was parsed again every time.
 */
function parseManifest(file: string, text: string): PackageManifest | undefined {
  const known = manifests.get(file);
  if (known && known.text === text) return known.manifest;
  const manifest = parseManifestText(file, text);
  manifests.set(file, { text, manifest });
  return manifest;
}

function parseManifestText(file: string, text: string): PackageManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== "object") return undefined;
  const record = json as Record<string, unknown>;
  const names = (key: string): string[] => {
    const value = record[key];
    return value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
  };
  const scripts = new Map<string, string>();
  const rawScripts = record["scripts"];
  if (rawScripts && typeof rawScripts === "object" && !Array.isArray(rawScripts)) {
    for (const [name, value] of Object.entries(rawScripts)) if (typeof value === "string") scripts.set(name, value);
  }
  const local = new Set<string>();
  for (const key of ["dependencies", "devDependencies", "peerDependencies"]) {
    const value = record[key];
    if (!value || typeof value !== "object" || Array.isArray(value)) continue;
    for (const [name, version] of Object.entries(value))
      if (typeof version === "string" && /^(workspace|file|link):/.test(version)) local.add(name);
  }
  return {
    file,
    dependencies: new Set([...names("dependencies"), ...names("devDependencies"), ...names("peerDependencies")]),
    localDependencies: local,
    scripts,
    main: typeof record["main"] === "string" ? record["main"] : null,
  };
}

/**
 * The framework a project is built with: from its dependencies, or from the build output `main`
 * points at. `unfollowed` names a framework the analysis knows but does not read.
 */
export function detectFramework(
  manifest: PackageManifest | undefined,
  main: string | null,
): { kind: FrameworkKind } | { unfollowed: string } | undefined {
  const deps = manifest?.dependencies ?? new Set<string>();
  const has = (name: string): boolean => deps.has(name);
  const first = main ? main.replace(/^\.\//, "").split("/")[0] : undefined;
  // `mastra build` writes the Worker to `.mastra/output` (CloudflareDeployer writes its config).
  if (first === ".mastra" || (main === null && has("@mastra/deployer-cloudflare"))) return { kind: "mastra" };
  if (first === ".svelte-kit" || has("@sveltejs/kit")) return { kind: "sveltekit" };
  if (first === ".open-next" || has("@opennextjs/cloudflare") || has("@cloudflare/next-on-pages") || has("next")) return { kind: "next" };
  if (has("nuxt") || has("nitropack") || has("nitro")) return { kind: "nuxt" };
  if (has("honox")) return { kind: "honox" };
  if (has("astro")) return { kind: "astro" };
  if (
    has("@react-router/dev") ||
    has("@react-router/cloudflare") ||
    [...deps].some((d) => d.startsWith("@remix-run/")) ||
    (has("react-router") && has("@cloudflare/vite-plugin"))
  )
    return { kind: "react-router" };
  if (has("@tanstack/react-start") || has("@tanstack/solid-start") || has("@tanstack/start")) return { kind: "tanstack-start" };
  for (const [dep, name] of UNFOLLOWED) if (has(dep)) return { unfollowed: name };
  return undefined;
}

/**
 * A HonoX route file: not a declaration, test or island file, and not one HonoX skips (`_`, `-` or
 * `$` first: islands, `_404`, `_error`), except each folder's `_middleware` and `_renderer`.
 */
function isHonoxRouteFile(path: string): boolean {
  const name = stem(path);
  if (path.endsWith(".d.ts") || /\.(test|spec)$/.test(name)) return false;
  if (name === "_middleware" || name === "_renderer") return true;
  return !/^[_$-]/.test(name);
}

/** Source files below `dir` (sorted), skipping node_modules and dot-folders; `accept` filters by path. */
export function listFiles(fs: FileSystem, dir: string, accept: (path: string) => boolean): string[] {
  if (fs.stat(dir) !== "directory") return [];
  const result: string[] = [];
  const visited = new Set<string>();
  const pending = [dir];
  while (pending.length > 0 && result.length < MAX_FILES) {
    const current = pending.pop()!;
    const real = fs.realPath(current);
    if (visited.has(real)) continue;
    visited.add(real);
    for (const name of fs.readDirectory(current) ?? []) {
      const path = joinPath(current, name);
      const kind = fs.stat(path);
      if (kind === "directory" && name !== "node_modules" && !name.startsWith(".")) pending.push(path);
      else if (kind === "file" && accept(path)) result.push(path);
    }
  }
  return result.sort();
}

/** The first of `names` (relative to `dir`, each tried with the source extensions) that exists. */
function firstSource(fs: FileSystem, dir: string, names: readonly string[]): string | undefined {
  for (const name of names)
    for (const ext of [".ts", ".js", ".tsx", ".jsx", ".mts", ".mjs"]) {
      const path = joinPath(dir, name + ext);
      if (fs.stat(path) === "file") return path;
    }
  return undefined;
}

const stem = (path: string): string => basename(path).replace(/\.[^.]+$/, "");

/** `[id]` -> `:id`, `[[id]]` -> `:id?`, `[...rest]`/`[[...rest]]` -> `*`, `(group)` and `@slot` segments dropped. */
export function bracketRoute(segments: readonly string[]): string {
  const parts = segments
    .filter((s) => s !== "" && !(s.startsWith("(") && s.endsWith(")")) && !s.startsWith("@"))
    .map((s) =>
      s.startsWith("[[...") || s.startsWith("[...")
        ? "*"
        : s.startsWith("[[") && s.endsWith("]]")
          ? `:${s.slice(2, -2)}?`
          : s.startsWith("[") && s.endsWith("]")
            ? ":" + s.slice(1, -1)
            : s,
    );
  return "/" + parts.join("/");
}

/**
 * Remix / React Router flat routes: `users.$id.tsx` -> `/users/:id`, `_index` -> `/`, `$` -> `*`;
 * a folder's `route.tsx` is the folder's route; any other file in folders is Remix v1's nested
 * form (`series/$id.season.tsx` -> `/series/:id/season`).
 */
function flatRoute(relative: string): string {
  const segments = relative.split("/");
  const last = stem(segments[segments.length - 1]!);
  const name = last === "route" && segments.length > 1 ? segments[segments.length - 2]! : [...segments.slice(0, -1), last].join(".");
  const parts = name
    .split(".")
    .filter((s) => s !== "_index" && s !== "index" && !(s.startsWith("_") && s !== "_"))
    .map((s) => s.replace(/_$/, ""))
    .map((s) => (s === "$" ? "*" : s.startsWith("$") ? ":" + s.slice(1) : s.startsWith("(") && s.endsWith(")") ? "" : s))
    .filter((s) => s !== "");
  return "/" + parts.join("/");
}

/** What a document POST renders after a form action, in the same request (see documentPostLoaders). */
type DocumentPostRender = Pick<HandlerSite, "concurrent" | "opaque" | "steps">;

/**
 * What a framework's route files make: one fetch path per exported request handler (a loader, an
 * action, an endpoint's verb), each after the framework's middleware for every request.
 */
export class FrameworkRoutes {
  /** Every module read for the project, for the loader. */
  readonly files: string[] = [];
  /**
   * Code the framework runs at build time, not per request (a prerendered Astro page's
   * frontmatter, a static Next page): walked off the fetch path, so its calls are listed as
   * such and not taken for code no handler reaches.
   */
  readonly buildTime: FunctionRef[] = [];
  /** The Nitro server folder the routes were found in (Nuxt / Nitro). */
  private nitroBase: string | undefined;
  /** Route modules named by React Router's `app/routes.ts`, with their paths. */
  private readonly declared = new Map<string, string>();

  constructor(
    private readonly ctx: AnalysisContext,
    readonly project: FrameworkProject,
  ) {}

  private get fs(): FileSystem {
    return this.ctx.fs;
  }

  /** The source files the framework's routes live in (loaded before discovery asks for their exports). */
  sourceFiles(): string[] {
    const { fs } = this;
    const root = this.project.root;
    const sources = (dir: string, accept: (p: string) => boolean = () => true): string[] =>
      listFiles(fs, dir, (p) => isSourceFile(p) && accept(p));
    const found: Array<string | undefined> = [];
    switch (this.project.kind) {
      case "react-router": {
        const app = reactRouterAppDirectory(fs, root);
        const config = firstSource(fs, app, ["routes"]);
        found.push(firstSource(fs, app, ["root"]), ...this.declaredRoutes(config, app));
        found.push(...sources(joinPath(app, "routes")));
        // The server entry and load context module, which say what loaders get as `context`
        // (loaded, not route modules: main may be build output built from them).
        for (const file of [...SERVER_ENTRIES.map((name) => firstSource(fs, root, [name])), firstSource(fs, app, ["load-context"])])
          if (file) this.ctx.loader.load(file);
        break;
      }
      case "sveltekit":
        found.push(firstSource(fs, joinPath(root, "src"), ["hooks.server", "hooks.server/index"]));
        found.push(
          ...sources(
            joinPath(root, "src", "routes"),
            (p) => /^\+(page|layout)(\.server)?$|^\+server$/.test(stem(p)) && !p.endsWith(".d.ts"),
          ),
        );
        break;
      case "astro":
        found.push(firstSource(fs, joinPath(root, "src"), ["middleware", "middleware/index"]));
        found.push(...sources(joinPath(root, "src", "pages")));
        // Pages: their frontmatter runs per request when the page is rendered on demand (see sites).
        found.push(...listFiles(fs, joinPath(root, "src", "pages"), (p) => p.endsWith(".astro")));
        break;
      case "nuxt": {
        // The server folder the config names (`srcDir`, `serverDir`), else `server/`, else the root.
        for (const base of nitroServerDirs(fs, root)) {
          for (const dir of ["middleware", "api", "routes"]) found.push(...sources(joinPath(base, dir)));
          this.nitroBase = base;
          if (found.some(Boolean)) break;
        }
        // Nitro plugins (`server/plugins`; in a standalone Nitro app also a root `plugins/`, which a
        // Nuxt app keeps for its Vue plugins): what their request hooks put in `event.context` is
        // what the routes read. They are not routes.
        const nuxtApp = NUXT_CONFIG_FILES.some((name) => fs.stat(joinPath(root, name)) === "file");
        const plugins = new Set([joinPath(root, "server", "plugins")]);
        if (this.nitroBase && !(nuxtApp && this.nitroBase === root)) plugins.add(joinPath(this.nitroBase, "plugins"));
        if (!nuxtApp) plugins.add(joinPath(root, "plugins"));
        for (const dir of plugins) found.push(...sources(dir));
        // The pages the app renders on the server (app.vue, layouts, pages), after the server's own routes.
        found.push(...new NuxtPages(fs, root).files());
        break;
      }
      case "next": {
        const src = fs.stat(joinPath(root, "src", "app")) === "directory" || fs.stat(joinPath(root, "src", "pages")) === "directory";
        const base = src ? joinPath(root, "src") : root;
        // Next 16 renamed middleware.ts to proxy.ts (`export function proxy`).
        found.push(firstSource(fs, base, ["middleware", "proxy"]));
        found.push(
          ...sources(
            joinPath(base, "app"),
            (p) =>
              stem(p) === "route" ||
              useServer(fs, p) ||
              ((stem(p) === "page" || stem(p) === "layout") && !p.endsWith(".d.ts") && directive(fs, p) !== "use client"),
          ),
        );
        found.push(...sources(joinPath(base, "pages", "api")));
        for (const dir of ["actions", "lib", "server"]) found.push(...sources(joinPath(base, dir), (p) => useServer(fs, p)));
        break;
      }
      case "tanstack-start":
        found.push(...tanstackSourceFiles(this.ctx, root));
        break;
      case "mastra":
        found.push(mastraEntry(fs, root));
        break;
      case "honox":
        // The server entry (`createApp()` of `honox/server`) first: it is what runs, and it names no routes itself.
        found.push(firstSource(fs, joinPath(root, "app"), ["server"]), ...sources(joinPath(root, "app", "routes"), isHonoxRouteFile));
        break;
    }
    const files = [...new Set(found.filter((f): f is string => f !== undefined))];
    this.files.push(...files);
    return files;
  }

  /** The fetch paths of the route modules loaded from `sourceFiles()`. */
  sites(discovery: HandlerDiscovery, fallback?: ModuleFacts): HandlerSite[] {
    const modules = this.files.map((f) => this.ctx.loader.modules.get(f)).filter((m): m is ModuleFacts => m !== undefined);
    const name = FRAMEWORK_NAMES[this.project.kind];
    const root = this.project.root;
    const sites: HandlerSite[] = [];
    const middleware: FunctionRef[] = [];
    const add = (
      module: ModuleFacts,
      binding: ExportBinding,
      verb: string,
      route: string,
      form: string,
      functions?: FunctionRef[],
      after: DocumentPostRender = {},
    ): void => {
      // `export const GET = handle(app)` of "hono/vercel" (or "hono/nextjs"): the Hono app's routes
      // for that verb, at the paths the app names (its basePath is the route file's folder).
      const honoApp = functions ? undefined : honoHandleApp(binding, module);
      if (honoApp && this.ctx.handlers.apps.isApp(honoApp, module)) {
        for (const site of discovery.valueSites(honoApp, module, `${name} ${form} (hono/vercel handle)`, 1)) {
          if (site.kind !== "fetch") continue;
          const method = (site.route ?? "ALL /*").split(" ")[0];
          if (method === verb || method === "ALL") sites.push({ ...site, functions: [...middleware, ...site.functions] });
        }
        return;
      }
      const own = functions ?? this.exportFunctions(binding, module);
      // `export const { GET, POST } = toNextJsHandler(auth)`: a library function that makes the handlers stands for them.
      const made = own.length === 0 ? libraryHandlerCall(binding, module) : undefined;
      // `export const action = createThemeAction(resolver)` (remix-themes): a handler a package makes
      // that does its work in the Worker (a cookie session): a route with no round trip.
      const inWorker = own.length === 0 && !made && inWorkerHandlerCall(binding, module);
      // nuxt-auth-utils' `defineOAuthXEventHandler({ onSuccess })`: the provider's round trips on the callback, then onSuccess.
      const oauth = functions ? undefined : nuxtOAuthHandlerOf(binding, module);
      sites.push({
        kind: "fetch",
        form: `${name} ${form}`,
        module,
        span: discovery.exportSpan(binding, module),
        functions: [...middleware, ...own],
        route: `${verb} ${route}`,
        ...(made ? { calls: [{ call: made, module }] } : {}),
        ...(oauth ? { tripsBefore: nuxtOAuthTrips(oauth, module, this.ctx.input.hostCategories) } : {}),
        ...(own.length > 0 && after.concurrent && after.concurrent.length > 0 ? { concurrent: after.concurrent } : {}),
        ...(own.length > 0 && after.steps && after.steps.length > 0 ? { steps: after.steps } : {}),
        ...(own.length === 0 && !made && !inWorker
          ? { opaque: `${name}: the ${form} in ${relativePath(root, module.path)} could not be resolved` }
          : own.length > 0 && after.opaque
            ? { opaque: after.opaque }
            : {}),
      });
    };
    const verbs = (module: ModuleFacts, route: string, form: string, extra: readonly string[] = []): void => {
      for (const verb of [...HTTP_VERBS, ...extra]) {
        const binding = module.exports.get(verb);
        if (binding) add(module, binding, verb === "ALL" || verb === "fallback" ? "ALL" : verb, route, form);
      }
    };
    switch (this.project.kind) {
      case "react-router": {
        const app = reactRouterAppDirectory(this.fs, root);
        const declared = this.declared;
        const isRootModule = (module: ModuleFacts): boolean => {
          const rel = relativePath(app, module.path);
          return stem(rel) === "root" && !rel.includes("/");
        };
        const rootModule = modules.find(isRootModule);
        for (const module of modules) {
          const rel = relativePath(app, module.path);
          const isRoot = isRootModule(module);
          const fromRoutes = rel.startsWith("routes/");
          const route = declared.get(module.path) ?? (isRoot ? "/*" : fromRoutes ? flatRoute(rel.slice("routes/".length)) : undefined);
          if (route === undefined) continue;
          const loader = module.exports.get("loader");
          if (loader) add(module, loader, "GET", route, "loader");
          const action = module.exports.get("action");
          if (action) add(module, action, "POST", route, "action", undefined, this.documentPostLoaders(action, module, rootModule));
        }
        // `({ context }) => context.db...`: what the server entry passes as the load context.
        const loadContext = this.loadContexts();
        if (loadContext.length > 0)
          for (const site of sites)
            for (const { fn } of site.functions) {
              const parameter = fn.parameters[0];
              if (parameter && ts.isObjectBindingPattern(parameter.name))
                this.ctx.values.noteFrameworkArgument(parameter, "context", loadContext);
            }
        break;
      }
      case "sveltekit": {
        const routes = joinPath(root, "src", "routes");
        const hooks = modules.find((m) => stem(m.path) === "hooks.server" || m.path.includes("/hooks.server/"));
        const handle = hooks?.exports.get("handle");
        if (hooks && handle) middleware.push(...this.exportFunctions(handle, hooks));
        // better-auth's `svelteKitHandler({ event, resolve, auth })` in the hook answers the auth
        // routes itself (its handler) and hands every other request to the app's route (resolve).
        const authHandler = hooks ? routeServingCall(hooks, SVELTEKIT_AUTH_HANDLERS) : undefined;
        if (hooks && authHandler)
          sites.push({
            kind: "fetch",
            form: `${name} hooks.server handle, ${printNode(authHandler.expression)}(...)`,
            module: hooks,
            span: spanOf(authHandler),
            functions: [],
            route: SVELTEKIT_AUTH_ROUTE,
            calls: [{ call: authHandler, module: hooks }],
          });
        for (const module of modules) {
          if (module === hooks) continue;
          const route = bracketRoute(
            relativePath(routes, dirname(module.path))
              .split("/")
              .filter((s) => s !== "."),
          );
          const kind = stem(module.path);
          if (kind === "+server") verbs(module, route, "endpoint", ["fallback"]);
          else {
            const load = module.exports.get("load");
            if (load) add(module, load, "GET", route, `${kind.replace(/\.server$/, "").slice(1)} load`);
            const actions = module.exports.get("actions");
            if (actions) {
              const render = (fn: FunctionRef): DocumentPostRender => this.svelteKitDocumentPostLoads(fn, module, modules, routes);
              for (const [action, fn] of this.objectFunctions(actions, module))
                add(module, actions, "POST", `${route}?/${action}`, `action ${action}`, [fn], render(fn));
            }
          }
        }
        break;
      }
      case "astro": {
        const pages = joinPath(root, "src", "pages");
        const mw = modules.find((m) => !m.path.startsWith(pages + "/"));
        const onRequest = mw?.exports.get("onRequest");
        if (mw && onRequest) middleware.push(...this.exportFunctions(onRequest, mw));
        const output = astroOutput(this.fs, root);
        for (const module of modules) {
          if (module === mw) continue;
          const rel = relativePath(pages, module.path).replace(/\.[^.]+$/, "");
          const route = bracketRoute(rel.split("/").filter((s) => s !== "index"));
          if (!isAstroFile(module.path)) {
            verbs(module, route, "endpoint", ["ALL", "DELETE"]);
            continue;
          }
          // A page rendered on demand runs its frontmatter for each request; a prerendered one was
          // rendered at build time and is served as a static file.
          if (!astroOnDemand(module, output)) {
            if (module.frontmatter) this.buildTime.push({ fn: module.frontmatter, module });
            continue;
          }
          sites.push({
            kind: "fetch",
            form: `${name} page`,
            module,
            span: { start: 0, end: 0 },
            functions: [...middleware, ...(module.frontmatter ? [{ fn: module.frontmatter, module }] : [])],
            route: `GET ${route}`,
          });
          // A form posting an action to the page: Astro runs the action's handler, then renders the page.
          for (const path of discovery.astroActions.formActions(module))
            sites.push(discovery.astroActions.formActionSite(module, route, path, middleware));
        }
        // Astro Actions: each callable from the browser as `POST /_actions/name`.
        sites.push(...discovery.astroActions.endpoints(root, middleware));
        break;
      }
      case "nuxt": {
        const isMiddleware = (m: ModuleFacts): boolean => !isVueFile(m.path) && m.path.includes("/middleware/");
        for (const module of modules.filter(isMiddleware)) {
          const binding = module.exports.get("default");
          if (binding) middleware.push(...this.exportFunctions(binding, module));
        }
        for (const module of modules) {
          if (isVueFile(module.path) || isMiddleware(module) || relativePath(root, module.path).split("/").slice(0, -1).includes("plugins"))
            continue;
          const binding = module.exports.get("default");
          const rel = relativePath(this.nitroBase ?? joinPath(root, "server"), module.path);
          if (!binding) {
            // No default export: the event handlers the module registers on an h3 router of its own
            // (`router.get("/", defineEventHandler(fn))`), each a request path.
            for (const { fn, verb, path } of this.registeredEventHandlers(module))
              sites.push({
                kind: "fetch",
                form: `${name} event handler`,
                module,
                span: spanOf(fn, module.sourceFile),
                functions: [...middleware, { fn, module }],
                route: `${verb} ${path}`,
              });
            continue;
          }
          const parts = basename(rel).split(".");
          const verb =
            parts.length > 2 && HTTP_VERBS.includes(parts[parts.length - 2]!.toUpperCase())
              ? parts[parts.length - 2]!.toUpperCase()
              : "ALL";
          const dirParts = dirname(rel) === "." ? [] : dirname(rel).split("/");
          const [top, ...rest] = [...dirParts, parts[0]!].filter((s) => s !== "index");
          const route = bracketRoute(top === "routes" ? rest : [top ?? "", ...rest]);
          add(module, binding, verb, route, "event handler");
        }
        sites.push(
          ...new NuxtPages(this.fs, root).sites(
            modules.filter((m) => isVueFile(m.path)),
            middleware,
            name,
          ),
        );
        break;
      }
      case "next": {
        const src = this.files.some((f) => f.startsWith(joinPath(root, "src") + "/"));
        const base = src ? joinPath(root, "src") : root;
        const mw = modules.find((m) => dirname(m.path) === base && (stem(m.path) === "middleware" || stem(m.path) === "proxy"));
        const mwBinding = mw ? (mw.exports.get(stem(mw.path)) ?? mw.exports.get("default")) : undefined;
        if (mw && mwBinding) middleware.push(...this.exportFunctions(mwBinding, mw));
        for (const module of modules) {
          if (module === mw) continue;
          const rel = relativePath(base, module.path);
          if (rel.startsWith("app/") && stem(module.path) === "route") {
            verbs(module, bracketRoute(dirname(rel).split("/").slice(1)), "route handler");
          } else if (rel.startsWith("app/") && stem(module.path) === "page") {
            const page = this.nextPage(module, modules, base, discovery, [...middleware]);
            if (page) sites.push(page);
          } else if (rel.startsWith("pages/api/")) {
            const binding = module.exports.get("default");
            const route = bracketRoute(
              rel
                .replace(/\.[^.]+$/, "")
                .split("/")
                .slice(1)
                .filter((s) => s !== "index"),
            );
            if (binding) add(module, binding, "ALL", route, "API route");
          } else if (useServerModule(module)) {
            for (const [exported, binding] of module.exports) {
              if (exported === "default" || binding.reexport) continue;
              const fns = this.exportFunctions(binding, module);
              if (fns.length > 0)
                add(module, binding, "POST", `server action ${exported} (${relativePath(root, module.path)})`, "server action", fns);
            }
          }
        }
        sites.push(...this.nextMoreActions(modules, discovery, middleware));
        sites.splice(0, sites.length, ...this.nextActionRenders(sites, middleware.length));
        break;
      }
      case "tanstack-start":
        sites.push(...tanstackSites(this.ctx, root, this.files));
        break;
      case "mastra":
        sites.push(...discovery.mastra.sites(this.files));
        break;
      case "honox":
        sites.push(...this.honoxSites(modules, discovery));
        break;
    }
    // Route modules with no request handler of their own (static pages, client pages): the app
    // still answers every request, with nothing of its own on the path but its middleware.
    if (
      sites.length === 0 &&
      this.files.length > 0 &&
      modules.length > 0 &&
      this.project.kind !== "tanstack-start" &&
      this.project.kind !== "mastra"
    )
      sites.push({
        kind: "fetch",
        form: `${name} pages`,
        module: modules[0]!,
        span: { start: 0, end: 0 },
        functions: [...middleware],
        route: "GET /*",
      });
    if (sites.length === 0 && this.files.length === 0 && fallback)
      return [
        {
          kind: "fetch",
          form: `${name} app`,
          module: fallback,
          span: { start: 0, end: 0 },
          functions: [],
          opaque: `${name}: none of the app's route modules were found below ${relativePath(this.ctx.input.projectRoot, root) || "."}`,
        },
      ];
    return sites;
  }

  /**
   * Server actions outside the folders read for routes: `"use server"` modules the app imports
   * from elsewhere (`features/billing/actions.ts`), and inline actions (a function of a server
   * component that starts with `"use server"`, given to `<form action>`). Each is a POST of its own.
   */
  private nextMoreActions(modules: readonly ModuleFacts[], discovery: HandlerDiscovery, middleware: readonly FunctionRef[]): HandlerSite[] {
    const root = this.project.root;
    const name = FRAMEWORK_NAMES.next;
    const known = new Set(modules.map((m) => m.path));
    const sites: HandlerSite[] = [];
    for (const module of importedActionModules(this.ctx.loader.modules.values(), root, known))
      for (const [exported, binding] of module.exports) {
        if (exported === "default" || binding.reexport) continue;
        const fns = this.exportFunctions(binding, module);
        if (fns.length === 0) continue;
        sites.push({
          kind: "fetch",
          form: `${name} server action`,
          module,
          span: discovery.exportSpan(binding, module),
          functions: [...middleware, ...fns],
          route: `POST server action ${exported} (${relativePath(root, module.path)})`,
        });
      }
    const app = [...this.ctx.loader.modules.values()].filter((m) => m.path.startsWith(root + "/") && !m.path.includes("/node_modules/"));
    for (const module of app)
      for (const { fn, name: action } of inlineServerActions(module))
        sites.push({
          kind: "fetch",
          form: `${name} inline server action`,
          module,
          span: spanOf(fn, module.sourceFile),
          functions: [...middleware, { fn, module }],
          route: `POST server action ${action} (${relativePath(root, module.path)})`,
        });
    return sites;
  }

  /**
   * A server action that revalidates (`revalidatePath`, `revalidateTag`) or sets a cookie is answered
   * with the page it was called from rendered again, in the same response: its request is the
   * action's round trips, then that page's render. The pages are those whose tree (layouts, page and
   * what they import) imports the action's module, or else the page a literal `revalidatePath("/path")`
   * names; each gives a request of its own (the worst counts). With no such page found the action
   * stays alone.
   */
  private nextActionRenders(sites: readonly HandlerSite[], middlewareCount: number): HandlerSite[] {
    const name = FRAMEWORK_NAMES.next;
    const pages = sites.filter((s) => s.form === `${name} page`);
    if (pages.length === 0) return [...sites];
    const closures = new Map<HandlerSite, Set<string>>();
    const closureOf = (page: HandlerSite): Set<string> => {
      let reached = closures.get(page);
      if (reached) return reached;
      reached = new Set<string>();
      const queue = [page.module, ...(page.concurrent ?? []).map((f) => f.module)];
      while (queue.length > 0) {
        const module = queue.pop()!;
        if (reached.has(module.path) || module.path.includes("/node_modules/")) continue;
        reached.add(module.path);
        queue.push(...this.ctx.loader.loadedImports(module));
      }
      closures.set(page, reached);
      return reached;
    };
    const pathOf = (route: string | undefined): string => (route ?? "").replace(/^GET /, "");
    return sites.flatMap((site): HandlerSite[] => {
      if (site.form !== `${name} server action` && site.form !== `${name} inline server action`) return [site];
      const found = site.functions.slice(middlewareCount).map(({ fn, module }) => actionRerender(fn, module));
      if (!found.some((r) => r.rerenders)) return [site];
      const named = new Set(found.flatMap((r) => r.paths.map((p) => (p.length > 1 ? p.replace(/\/+$/, "") : p))));
      // Next renders the page the action was posted from; the path given to revalidatePath is only
      // the likely one when no page's tree is seen importing the action.
      const callers = pages.filter((page) => closureOf(page).has(site.module.path));
      const rendered = callers.length > 0 ? callers : pages.filter((page) => named.has(pathOf(page.route)));
      return rendered.length === 0
        ? [site]
        : rendered.map((page) => ({
            ...site,
            route: `${site.route}, then ${page.route}`,
            // The middleware ran once, for the action's request.
            steps: [...(site.steps ?? []), { ...page, functions: [] }],
            ...((site.opaque ?? page.opaque) ? { opaque: site.opaque ?? page.opaque } : {}),
          }));
    });
  }

  /**
   * A Next.js app-router page (`app/<segments>/page.tsx`, a server component unless it says "use client"):
   * `GET path` when it renders per request. Next renders a route's layouts (each folder's
   * `layout.tsx` from the root down), their and the page's `generateMetadata`, and the page at the
   * same time, so the path is the longest of them; awaits inside one component stay sequential.
   * A page that nothing makes dynamic is rendered at build time (static) and is not a request
   * path: it is dynamic by `export const dynamic = "force-dynamic"`, `revalidate = 0`, a
   * `next/headers` import (`cookies()`, `headers()`), `connection()`, a `searchParams` parameter,
   * or a dynamic segment (`[id]`) without `generateStaticParams`; `dynamic = "force-static"` or
   * `revalidate = N` (regenerated in the background) keeps it off the request path.
   */
  private nextPage(
    module: ModuleFacts,
    modules: readonly ModuleFacts[],
    base: string,
    discovery: HandlerDiscovery,
    middleware: FunctionRef[],
  ): HandlerSite | undefined {
    const name = FRAMEWORK_NAMES.next;
    const app = joinPath(base, "app");
    const folder = dirname(module.path);
    const segmentsOf = (dir: string): string[] => (dir === app ? [] : relativePath(app, dir).split("/"));
    const layouts = modules
      .filter((m) => stem(m.path) === "layout" && (folder === dirname(m.path) || folder.startsWith(dirname(m.path) + "/")))
      .sort((a, b) => segmentsOf(dirname(a.path)).length - segmentsOf(dirname(b.path)).length);
    const chain = [...layouts, module];
    const concurrent: FunctionRef[] = [];
    for (const m of chain) {
      const metadata = m.exports.get("generateMetadata");
      if (metadata) concurrent.push(...this.exportFunctions(metadata, m));
      const component = m.exports.get("default");
      if (component) concurrent.push(...this.exportFunctions(component, m));
    }
    if (!nextDynamic(chain, segmentsOf(folder))) {
      this.buildTime.push(...concurrent);
      return undefined;
    }
    const binding = module.exports.get("default");
    const own = binding ? this.exportFunctions(binding, module) : [];
    return {
      kind: "fetch",
      form: `${name} page`,
      module,
      span: binding ? discovery.exportSpan(binding, module) : { start: 0, end: 0 },
      functions: middleware,
      concurrent,
      route: `GET ${bracketRoute(segmentsOf(folder))}`,
      ...(binding && own.length === 0
        ? { opaque: `${name}: the page component in ${relativePath(this.project.root, module.path)} could not be resolved` }
        : {}),
    };
  }

  /**
   * HonoX file routes (`app/routes`): a route module's default export answers GET (a
   * `createRoute(...handlers)` from `honox/factory`, or a page component rendered for the request)
   * and each named verb export (`export const POST = createRoute(...)`) its verb, at the path its
   * file names (`index` is the folder, `[id]` a parameter, `[...rest]` the rest, `(group)` none).
   * Each folder's `_middleware` (its default export's handlers) and `_renderer` run before the
   * routes in and below it, from the root folder down.
   */
  private honoxSites(modules: readonly ModuleFacts[], discovery: HandlerDiscovery): HandlerSite[] {
    const name = FRAMEWORK_NAMES.honox;
    const routes = joinPath(this.project.root, "app", "routes");
    const special = (m: ModuleFacts): boolean => stem(m.path) === "_middleware" || stem(m.path) === "_renderer";
    const handlers = (binding: ExportBinding, module: ModuleFacts): FunctionRef[] => {
      // `createRoute(middleware, handler)`: each in turn (the first argument alone is the usual form).
      const value = binding.expression ?? (binding.local ? (moduleVariable(module, binding.local)?.initializer ?? undefined) : undefined);
      const call = value ? unwrapExpression(value) : undefined;
      if (call && isCallExpression(call) && !binding.reexport && !(binding.local && module.imports.has(binding.local)))
        return call.arguments.flatMap((a) => this.functionsOf(a, module, 1));
      return this.exportFunctions(binding, module);
    };
    const before = (module: ModuleFacts): FunctionRef[] =>
      modules
        .filter((m) => special(m) && (dirname(module.path) === dirname(m.path) || dirname(module.path).startsWith(dirname(m.path) + "/")))
        .sort(
          (a, b) =>
            dirname(a.path).split("/").length - dirname(b.path).split("/").length ||
            Number(stem(a.path) === "_renderer") - Number(stem(b.path) === "_renderer"),
        )
        .flatMap((m) => {
          const binding = m.exports.get("default");
          return binding ? handlers(binding, m) : [];
        });
    const sites: HandlerSite[] = [];
    for (const module of modules) {
      if (special(module) || !module.path.startsWith(routes + "/")) continue;
      const rel = relativePath(routes, module.path).replace(/\.[^.]+$/, "");
      const route = bracketRoute(rel.split("/").filter((s) => s !== "index"));
      for (const verb of ["default", ...HTTP_VERBS]) {
        const binding = module.exports.get(verb);
        if (!binding) continue;
        // `export default app` of a `new Hono()`: the app is mounted at the file's path, its routes below it.
        const held = binding.local ? moduleVariable(module, binding.local)?.name : undefined;
        const app = binding.expression ?? (held && ts.isIdentifier(held) ? held : undefined);
        if (verb === "default" && app && this.ctx.handlers.apps.isApp(app, module)) {
          for (const site of discovery.valueSites(app, module, `${name} route app`, 1)) {
            if (site.kind !== "fetch") continue;
            const [method, path] = (site.route ?? "ALL /*").split(" ");
            const joined = (route === "/" ? "" : route) + (path === "/" || !path ? "" : path);
            sites.push({ ...site, functions: [...before(module), ...site.functions], route: `${method} ${joined || "/"}` });
          }
          continue;
        }
        const own = handlers(binding, module);
        const form = verb === "default" ? "route" : `${verb} route`;
        sites.push({
          kind: "fetch",
          form: `${name} ${form}`,
          module,
          span: discovery.exportSpan(binding, module),
          functions: [...before(module), ...own],
          route: `${verb === "default" ? "GET" : verb} ${route}`,
          ...(own.length === 0
            ? { opaque: `${name}: the ${form} in ${relativePath(this.project.root, module.path)} could not be resolved` }
            : {}),
        });
      }
    }
    return sites;
  }

  /**
   * Event handlers a route module registers on an h3 app or router (`router.get("/x",
   * defineEventHandler(async (event) => ...))`): the function, the verb and the path the
   * registration names (ALL and the module's own route when it names none).
   */
  private registeredEventHandlers(module: ModuleFacts): Array<{ fn: ts.FunctionLikeDeclaration; verb: string; path: string }> {
    const found: Array<{ fn: ts.FunctionLikeDeclaration; verb: string; path: string }> = [];
    for (const call of module.calls) {
      if (!isCallExpression(call)) continue;
      const callee = unwrapExpression(call.expression);
      if (!isIdentifier(callee) || !EVENT_HANDLER_FACTORIES.has(callee.text) || declarationOf(callee)) continue;
      const imported = module.imports.get(callee.text);
      if (imported && !/^(h3|nitro|nitropack|#imports)(\/|$)/.test(imported.module)) continue;
      const fn = call.arguments[0] ? this.ctx.values.functionFrom(call.arguments[0], module) : undefined;
      if (!fn) continue;
      const registration = call.parent;
      let verb = "ALL";
      let path = "/*";
      if (isCallExpression(registration) && isPropertyAccessExpression(registration.expression)) {
        const method = registration.expression.name.text.toUpperCase();
        const first = registration.arguments[0];
        if (HTTP_VERBS.includes(method)) verb = method;
        if (first && isStringLiteralLike(first)) path = first.text;
      }
      found.push({ fn: fn.fn, verb, path });
    }
    return found;
  }

  /**
   * The load context React Router / Remix gives loaders and actions, as the server entry makes it:
   * the second argument of the calls of the handler `createRequestHandler(...)` made
   * (`handler(request, { cloudflare: { env, ctx }, db: drizzle(env.DB) })`), what a
   * `getLoadContext` given to the factory returns, or what the project's `load-context` module's
   * `getLoadContext` returns. Read from every loaded module: the entry may be build output's source.
   */
  private loadContexts(): ValueRef[] {
    const values: ValueRef[] = [];
    const returnsOf = (expression: ts.Expression, module: ModuleFacts): void => {
      const fn = this.ctx.values.functionFrom(expression, module);
      if (fn) values.push(...this.ctx.values.returnedValues(fn.fn, fn.module));
    };
    for (const module of this.ctx.loader.modules.values()) {
      const handlers = new Set<ts.Node>();
      for (const declaration of module.variables.values()) {
        const init = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
        if (init && isCallExpression(init) && isRequestHandlerFactory(init, module)) handlers.add(declaration);
      }
      for (const call of module.calls) {
        if (!isCallExpression(call)) continue;
        const callee = unwrapExpression(call.expression);
        if (isIdentifier(callee) && handlers.size > 0 && call.arguments[1]) {
          const declaration = declarationOf(callee);
          if (declaration && handlers.has(declaration)) values.push({ expression: call.arguments[1], module });
          continue;
        }
        // `createPagesFunctionHandler({ build, getLoadContext })`
        const options = call.arguments[0] ? unwrapExpression(call.arguments[0]) : undefined;
        if (!options || !isObjectLiteralExpression(options) || !isRequestHandlerFactory(call, module)) continue;
        for (const property of options.properties) {
          if (!property.name || !isIdentifier(property.name) || property.name.text !== "getLoadContext") continue;
          if (isMethodDeclaration(property)) values.push(...this.ctx.values.returnedValues(property, module));
          else {
            const held = propertyInitializer(property);
            if (held) returnsOf(held, module);
          }
        }
      }
      if (stem(module.path) === "load-context") {
        const exported = module.exports.get("getLoadContext");
        if (exported) returnsOf(ts.factory.createIdentifier(exported.local ?? "getLoadContext"), module);
      }
    }
    return values;
  }

  /**
   * React Router v7 `app/routes.ts`: `route(path, file)`, `index(file)`, `layout(file, [...])`, by
   * the file they name (the config module is loaded here, before the routes it names).
   */
  private declaredRoutes(config: string | undefined, app: string): string[] {
    if (!config) return [];
    this.ctx.loader.load(config);
    const module = this.ctx.loader.modules.get(config);
    if (!module) return [];
    const files: string[] = [];
    for (const call of module.calls) {
      if (!isCallExpression(call) || !isIdentifier(call.expression)) continue;
      const name = call.expression.text;
      const [first, second] = call.arguments;
      const file = name === "route" ? second : name === "index" || name === "layout" ? first : undefined;
      if (!file || !isStringLiteralLike(file)) continue;
      const path =
        name === "route" && first && isStringLiteralLike(first) ? "/" + first.text.replace(/^\//, "") : name === "index" ? "/" : "/*";
      const resolved = resolveFile(this.ctx.fs, joinPath(app, file.text), false);
      if (!resolved) continue;
      this.declared.set(resolved, path);
      files.push(resolved);
    }
    return files;
  }

  /**
   * What a document POST (a form posted without the app's JavaScript) runs after a route's action
   * in the same request: unless every way out of the action is a `redirect(...)`, the framework
   * renders the page, running the loaders of the matched routes at the same time as each other
   * (the route's own and the root route's; the loaders of layouts between them are not added).
   * A loader that cannot be resolved leaves the path unknown rather than shorter.
   */
  private documentPostLoaders(action: ExportBinding, module: ModuleFacts, rootModule: ModuleFacts | undefined): DocumentPostRender {
    const matched = [...new Set([rootModule, module])].filter((m): m is ModuleFacts => m !== undefined);
    const { skipped, ...render } = this.renderAfterAction(this.exportFunctions(action, module), matched, "loader", "react-router");
    return skipped ? {} : render;
  }

  /**
   * SvelteKit's document POST (a form posted to `?/name` without the app's JavaScript): after the
   * action, unless every way out of it is a `redirect(...)`, the page is rendered in the same
   * request (after `fail(...)` too), which runs the server `load` of the page and of each layout
   * above it, at the same time as each other, then their universal `load` (`+page.ts`,
   * `+layout.ts`), which are given the server data, at the same time as each other.
   */
  private svelteKitDocumentPostLoads(
    action: FunctionRef,
    page: ModuleFacts,
    modules: readonly ModuleFacts[],
    routes: string,
  ): DocumentPostRender {
    const folders: string[] = [];
    for (let folder = dirname(page.path); ; folder = dirname(folder)) {
      folders.push(folder);
      if (folder === routes || !folder.startsWith(routes + "/")) break;
    }
    const inChain = (kind: string): ModuleFacts[] =>
      modules.filter((m) => {
        const own = stem(m.path);
        const folder = dirname(m.path);
        return folders.includes(folder) && (own === `+layout${kind}` || (own === `+page${kind}` && folder === dirname(page.path)));
      });
    const { skipped, ...server } = this.renderAfterAction([action], inChain(".server"), "load", "sveltekit");
    if (skipped) return {};
    const universal = this.renderAfterAction([action], inChain(""), "load", "sveltekit");
    const universalLoads = universal.concurrent ?? [];
    return {
      ...server,
      ...(universalLoads.length > 0
        ? {
            steps: [
              {
                kind: "fetch",
                form: `${FRAMEWORK_NAMES[this.project.kind]} universal load after an action`,
                module: page,
                span: { start: 0, end: 0 },
                functions: [],
                concurrent: universalLoads,
              },
            ],
          }
        : {}),
      ...(server.opaque || universal.opaque ? { opaque: server.opaque ?? universal.opaque } : {}),
    };
  }

  /**
   * The render a document POST runs after the action: the named export (`loader`, `load`) of each
   * module, at the same time as each other; nothing when every way out of the action is a
   * redirect. A loader that cannot be resolved leaves the path unknown rather than shorter.
   */
  private renderAfterAction(
    actions: readonly FunctionRef[],
    matched: readonly ModuleFacts[],
    exportName: string,
    framework: ActionFramework,
  ): DocumentPostRender & { skipped?: true } {
    if (actions.length > 0 && actions.every((a) => actionAlwaysRedirects(a.fn, a.module, framework))) return { skipped: true };
    const concurrent: FunctionRef[] = [];
    const unresolved: string[] = [];
    for (const module of matched) {
      const loader = module.exports.get(exportName);
      if (!loader) continue;
      const fns = this.exportFunctions(loader, module);
      if (fns.length === 0) unresolved.push(relativePath(this.project.root, module.path));
      concurrent.push(...fns);
    }
    const name = FRAMEWORK_NAMES[this.project.kind];
    return {
      concurrent,
      ...(unresolved.length > 0
        ? {
            opaque: `${name}: the ${exportName} in ${unresolved.join(", ")} (run after the action when a form posts without JavaScript) could not be resolved`,
          }
        : {}),
    };
  }

  /** The function(s) an export runs: a function, `defineEventHandler(fn)`, `defineMiddleware(fn)`, `sequence(a, b)`. */
  private exportFunctions(binding: ExportBinding, module: ModuleFacts, depth = 0): FunctionRef[] {
    // A route module that re-exports another's (`export { loader, default } from "./beans"`, or an
    // imported name exported again): the function is the other module's export, found through the
    // other module's own re-exports (a `handlers/index.ts` of `export * from "./loader"`).
    const imported = binding.reexport ?? (binding.local ? module.imports.get(binding.local) : undefined);
    if (imported && imported.name !== "*" && depth < 8) {
      const target = this.ctx.loader.moduleFor(imported.module, module);
      const next = target ? this.ctx.values.exportOf(imported.name, target) : undefined;
      return next ? this.exportFunctions(next.binding, next.module, depth + 1) : [];
    }
    if (binding.declaration && ts.isFunctionDeclaration(binding.declaration)) return [{ fn: binding.declaration, module }];
    // `export const { GET, POST } = makeHandlers()` (or of `const handlers = makeHandlers()`): the member
    // of the object the project's function returns, as a call of the destructured name reads it.
    // A package's maker (`toNextJsHandler(auth)`) is no project function: libraryHandlerCall reads it.
    if (binding.element && ts.isIdentifier(binding.element.name)) {
      const member = this.ctx.values.calledFunction(binding.element.name, module);
      if (member) return [member];
    }
    const value = binding.expression ?? (binding.local ? (moduleVariable(module, binding.local)?.initializer ?? undefined) : undefined);
    if (!value) {
      const fn = binding.local ? this.ctx.values.functionFrom(ts.factory.createIdentifier(binding.local), module) : undefined;
      return fn ? [fn] : [];
    }
    return this.functionsOf(value, module, 0);
  }

  private functionsOf(expression: ts.Expression, module: ModuleFacts, depth: number): FunctionRef[] {
    if (depth > 8) return [];
    const value = unwrapExpression(expression);
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      // `sequence(a, b)` (SvelteKit, Astro): each in turn.
      if (isIdentifier(callee) && callee.text === "sequence") return value.arguments.flatMap((a) => this.functionsOf(a, module, depth + 1));
      const oauth = nuxtOAuthHandlerCall(value, module);
      if (oauth) {
        const onSuccess = onSuccessOf(oauth, module, (e, m) => this.ctx.values.functionFrom(e, m));
        return onSuccess ? [onSuccess] : [];
      }
      for (const arg of value.arguments) {
        const inner = unwrapExpression(arg);
        // `defineEventHandler({ onRequest, handler })`
        if (isObjectLiteralExpression(inner)) {
          const handler = inner.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === "handler");
          if (handler && isPropertyAssignment(handler)) return this.functionsOf(handler.initializer, module, depth + 1);
          if (handler && isMethodDeclaration(handler)) return [{ fn: handler, module }];
          continue;
        }
        const fns = this.functionsOf(arg, module, depth + 1);
        if (fns.length > 0) return fns;
      }
      return [];
    }
    // `getInstance(LoginGuard).injectUser`: a getter of a project class that returns the handle.
    if (ts.isPropertyAccessExpression(value)) {
      const cls = this.ctx.values.classOfInstance(value.expression, module);
      const getter = cls ? getterOf(cls.cls, value.name.text) : undefined;
      if (cls && getter)
        return this.ctx.values
          .returnedValues(getter, cls.module)
          .flatMap((returned) => this.functionsOf(returned.expression, returned.module, depth + 1));
    }
    const fn = this.ctx.values.functionFrom(value, module);
    return fn ? [fn] : [];
  }

  /** `export const actions = { default: async () => ..., login }`: each action by name. */
  private objectFunctions(binding: ExportBinding, module: ModuleFacts): Array<[string, FunctionRef]> {
    const init = binding.local ? moduleVariable(module, binding.local)?.initializer : binding.expression;
    const value = init ? unwrapExpression(init) : undefined;
    if (!value || !isObjectLiteralExpression(value)) return [];
    const result: Array<[string, FunctionRef]> = [];
    for (const property of value.properties) {
      const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
      if (!name) continue;
      if (isMethodDeclaration(property)) result.push([name, { fn: property, module }]);
      else {
        const held = propertyInitializer(property);
        const fn = held ? this.ctx.values.functionFrom(held, module) : undefined;
        if (fn) result.push([name, fn]);
      }
    }
    return result;
  }
}

/** A class's own getter of that name, with a body. */
function getterOf(cls: ts.ClassLikeDeclaration, name: string): ts.GetAccessorDeclaration | undefined {
  return cls.members.find(
    (m): m is ts.GetAccessorDeclaration => ts.isGetAccessorDeclaration(m) && !!m.body && ts.isIdentifier(m.name) && m.name.text === name,
  );
}

/** Whether a file starts with the `"use server"` directive (read with TypeScript's scanner, not parsed). */
function useServer(fs: FileSystem, path: string): boolean {
  return directive(fs, path) === "use server";
}

/** The directive a file starts with (`"use client"`, `"use server"`), read with TypeScript's scanner. */
function directive(fs: FileSystem, path: string): string | undefined {
  const text = fs.readFile(path);
  if (text === undefined) return undefined;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.JSX, text.slice(0, 4096));
  const token = scanner.scan();
  return token === ts.SyntaxKind.StringLiteral ? scanner.getTokenValue() : undefined;
}

/** A constant a module exports (`export const dynamic = "force-dynamic"`), as a literal's value. */
function exportedLiteral(module: ModuleFacts, name: string): string | number | boolean | undefined {
  const binding = module.exports.get(name);
  const init = binding?.expression ?? (binding?.local ? moduleVariable(module, binding.local)?.initializer : undefined);
  const value = init ? unwrapExpression(init) : undefined;
  if (!value) return undefined;
  if (isStringLiteralLike(value)) return value.text;
  if (ts.isNumericLiteral(value)) return Number(value.text);
  if (value.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (value.kind === ts.SyntaxKind.TrueKeyword) return true;
  return undefined;
}

/** Whether a Next.js page (with its layouts, root first, page last) renders per request; see nextPage. */
function nextDynamic(chain: readonly ModuleFacts[], segments: readonly string[]): boolean {
  const page = chain[chain.length - 1]!;
  const dynamicOf = chain.map((m) => exportedLiteral(m, "dynamic"));
  if (dynamicOf.includes("force-dynamic")) return true;
  if (dynamicOf.includes("force-static") || dynamicOf.includes("error")) return false;
  const revalidate = chain.map((m) => exportedLiteral(m, "revalidate")).filter((v) => v !== undefined);
  if (revalidate.includes(0)) return true;
  if (revalidate.some((v) => v === false || (typeof v === "number" && v > 0))) return false;
  if (chain.some((m) => exportedLiteral(m, "fetchCache") === "force-no-store")) return true;
  const requestApis = chain.some((m) =>
    [...m.imports.values()].some((i) => i.module === "next/headers" || (i.module === "next/server" && i.name === "connection")),
  );
  if (requestApis) return true;
  // `export default async function Page({ searchParams })`: the query string is read per request.
  const binding = page.exports.get("default");
  const fn = binding?.declaration && ts.isFunctionDeclaration(binding.declaration) ? binding.declaration : undefined;
  const first = fn?.parameters[0]?.name;
  if (
    first &&
    ts.isObjectBindingPattern(first) &&
    first.elements.some((e) => {
      const key = e.propertyName ?? e.name;
      return isIdentifier(key) && key.text === "searchParams";
    })
  )
    return true;
  const dynamicSegment = segments.some((s) => s.startsWith("[") && s.endsWith("]"));
  return dynamicSegment && !chain.some((m) => m.exports.has("generateStaticParams"));
}

export function useServerModule(module: ModuleFacts): boolean {
  const first = module.sourceFile.statements[0];
  return (
    first !== undefined &&
    ts.isExpressionStatement(first) &&
    isStringLiteralLike(first.expression) &&
    first.expression.text === "use server"
  );
}

const ASTRO_HANDLER_MODULE = "@astrojs/cloudflare/handler";
/** The Astro Cloudflare adapter's own server entry, imported by a custom `main`. */
function isAstroServerEntry(specifier: string): boolean {
  return /^@astrojs\/cloudflare\/entrypoints\/server(\.[cm]?js)?$/.test(specifier);
}

const REQUEST_HANDLER_PACKAGES = new Set([
  "react-router",
  "@react-router/cloudflare",
  "@remix-run/cloudflare",
  "@remix-run/cloudflare-pages",
  "@remix-run/cloudflare-workers",
  "@remix-run/server-runtime",
]);
const REQUEST_HANDLER_FACTORIES = new Set(["createRequestHandler", "createPagesFunctionHandler"]);
/** Orange's server module, whose `app(serverBuild)` is the Worker's fetch handler (see orangeApp). */
const ORANGE_SERVER = "@orange-js/orange/server";
/** Where a React Router / Remix app's server entry and load context live, relative to its root (also `load-context` in the app folder). */
const SERVER_ENTRIES = ["workers/app", "server", "load-context", "functions/[[path]]"];

/** `createRequestHandler(...)` / `createPagesFunctionHandler(...)` of React Router or Remix. */
function isRequestHandlerFactory(call: ts.CallExpression, module: ModuleFacts): boolean {
  const root = rootImport(call.expression, module);
  return !!root && REQUEST_HANDLER_PACKAGES.has(root.module) && REQUEST_HANDLER_FACTORIES.has(root.name);
}
/**
 * `handler(context)` in a Pages Function, where `handler = createPagesFunctionHandler({ build })`:
 * the handler takes the Pages context, not a request. Given the function's own context parameter,
 * or an object made from it (`{ ...context, request }`), it serves the incoming request.
 */
export function isPagesContextHandOff(callee: ts.Expression, argument: ts.Expression, module: ModuleFacts): boolean {
  if (!isIdentifier(callee)) return false;
  const declaration = declarationOf(callee);
  const init =
    declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
  if (!init || !isCallExpression(init) || !isRequestHandlerFactory(init, module)) return false;
  const root = rootImport(init.expression, module);
  if (root?.name !== "createPagesFunctionHandler") return false;
  const isContextParameter = (expression: ts.Expression): boolean => {
    const value = unwrapExpression(expression);
    if (!isIdentifier(value)) return false;
    const parameter = declarationOf(value);
    return !!parameter && ts.isParameter(parameter) && parameter.parent.parameters.indexOf(parameter) === 0;
  };
  const value = unwrapExpression(argument);
  if (isContextParameter(value)) return true;
  // `handler({ ...context, request: rewritten })`, `handler({ request, env, next, ... })`.
  return (
    isObjectLiteralExpression(value) &&
    value.properties.some(
      (p) =>
        (ts.isSpreadAssignment(p) && isContextParameter(p.expression)) ||
        (p.name !== undefined && isIdentifier(p.name) && p.name.text === "request"),
    )
  );
}
const NODE_HTTP = new Set(["node:http", "http", "node:https", "https"]);

/**
 * Handlers generated by a framework or the Node compatibility layer, met in the Worker's own source:
 * `createRequestHandler(build)` / `createPagesFunctionHandler({ build })` (React Router, Remix) runs
 * the app's route modules; `httpServerHandler({ port })` from `cloudflare:node` runs the callback
 * given to `createServer(callback)`.
 */
export class FrameworkAdapter implements HandlerAdapter {
  readonly name = "generated handlers: createRequestHandler, createPagesFunctionHandler, httpServerHandler";
  private routes: HandlerSite[] | undefined;
  private nextRoutes: HandlerSite[] | undefined;
  private readonly outputRoutes = new Map<FrameworkKind, HandlerSite[]>();

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value)) return undefined;
    const root = rootImport(value.expression, module);
    if (!root) return undefined;
    if (REQUEST_HANDLER_PACKAGES.has(root.module) && REQUEST_HANDLER_FACTORIES.has(root.name))
      return this.requestHandler(value, module, context);
    if (root.module === "cloudflare:node" && root.name === "httpServerHandler") return this.nodeServer(value, module, context);
    if (root.module === ORANGE_SERVER && root.name === "app") return this.orangeApp(value, module, context);
    return undefined;
  }

  /**
   * Orange (`export default app(serverBuild)` of `@orange-js/orange/server`): a Hono app that mounts
   * each API route module (an `app/routes` file whose route is `api` or below it, or named `api*`
   * with a `.ts`/`.js` extension, the default pattern of later versions) at its route, its default
   * export a Hono app or a `{ fetch }` object, and hands every other request to React Router, whose
   * loaders and actions in the same `app/routes` (flat routes) and `app/root` are the other paths.
   */
  private orangeApp(call: ts.CallExpression, module: ModuleFacts, context: AdapterContext): HandlerSite[] {
    const name = "Orange";
    const { discovery } = context;
    const pages = this.requestHandler(call, module, context).map((site) => ({
      ...site,
      form: site.form.replace(FRAMEWORK_NAMES["react-router"], name),
    }));
    const manifest = nearestManifest(this.ctx.fs, dirname(module.path));
    const root = manifest ? dirname(manifest.file) : this.ctx.input.projectRoot;
    const routesDir = joinPath(reactRouterAppDirectory(this.ctx.fs, root), "routes");
    const api: HandlerSite[] = [];
    for (const file of listFiles(this.ctx.fs, routesDir, (p) => isSourceFile(p) && !p.endsWith(".d.ts"))) {
      const rel = relativePath(routesDir, file);
      const route = flatRoute(rel);
      const named = !rel.includes("/") && /^api[^/]*\.(ts|js)$/.test(rel);
      if (route !== "/api" && !route.startsWith("/api/") && !named) continue;
      this.ctx.loader.load(file);
      const routeModule = this.ctx.loader.modules.get(file);
      const binding = routeModule?.exports.get("default");
      if (!routeModule || !binding) continue;
      const held = binding.local ? moduleVariable(routeModule, binding.local)?.name : undefined;
      const value = binding.expression ?? (held && isIdentifier(held) ? held : undefined);
      const found = value ? discovery.valueSites(value, routeModule, `${name} API route`, 1).filter((s) => s.kind === "fetch") : [];
      if (found.length === 0) {
        api.push({
          kind: "fetch",
          form: `${name} API route`,
          module: routeModule,
          span: discovery.exportSpan(binding, routeModule),
          functions: [],
          route: `ALL ${joinRoute(route, "*")}`,
          opaque: `${name}: the API route in ${relativePath(root, file)} could not be resolved`,
        });
        continue;
      }
      // `app.route("/api", handler)` for a Hono app: its routes below the API route's path.
      for (const site of found) {
        const [method = "ALL", path = "/*"] = (site.route ?? "ALL /*").split(" ");
        api.push({ ...site, route: `${method} ${joinRoute(route, path)}` });
      }
    }
    return [...api, ...pages];
  }

  /**
   * vinext (Next.js's app router on Vite): `import handler from "vinext/server/app-router-entry"`
   * in the Worker's own entry, then `handler.fetch(request, env, ctx)`, runs the app's `app/`
   * routes and pages, read as a Next app's.
   */
  importSites(imported: { module: string; name: string }, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (isVinextEntry(imported.module)) return this.nextApp(module, context);
    // `import handler from "@astrojs/cloudflare/entrypoints/server"; export default handler` (a custom
    // `main` that adds Durable Objects or a cron next to the Astro adapter's own handler).
    if (isAstroServerEntry(imported.module) && imported.name === "default") return this.astroApp(module, context.discovery, context.form);
    return this.builtOutput(imported, module, context);
  }

  /**
   * `handle(request, env, ctx)` (Astro adapter v13) or `handle(manifest, app, request, env, ctx)`
   * (v12, in the `createExports` of a `workerEntryPoint`) from `@astrojs/cloudflare/handler`: the
   * Astro app answers the request, so its pages, endpoints and middleware are the paths.
   */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    if (!module.imports.size) return undefined;
    const root = rootImport(call.expression, module);
    if (!root || root.module !== ASTRO_HANDLER_MODULE || root.name !== "handle") return undefined;
    return this.astroApp(module, this.ctx.handlers, "Astro adapter handle(...)");
  }

  /** The Astro app's routes, read from its sources (pages, endpoints, middleware), as when `main` is the adapter's own entry. */
  private astroApp(module: ModuleFacts, discovery: HandlerDiscovery, form: string): HandlerSite[] | undefined {
    // Route modules are found on disk, not through imports: a walk that reads them must not be kept.
    this.ctx.walker.cutWalk();
    const known = this.outputRoutes.get("astro");
    if (known) return known;
    const manifest = nearestManifest(this.ctx.fs, dirname(module.path));
    const root = manifest ? dirname(manifest.file) : this.ctx.input.projectRoot;
    const routes = new FrameworkRoutes(this.ctx, { kind: "astro", root });
    const files = routes.sourceFiles();
    if (files.length === 0) return undefined;
    for (const file of files) this.ctx.loader.load(file);
    const sites = routes.sites(discovery, module).map((site) => ({ ...site, form: `${site.form} (through ${form})` }));
    this.outputRoutes.set("astro", sites);
    return sites;
  }

  /**
   * A custom entry that imports a framework's build output and hands it the requests
   * (`import handler from "./.open-next/worker.js"; export default { fetch: handler.fetch }`, the
   * way OpenNext adds Durable Objects or a cron to a Next app): the output runs the app's routes,
   * read from the framework's sources as when `main` names the output itself.
   */
  private builtOutput(imported: { module: string; name: string }, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (imported.name !== "default" && imported.name !== "*") return undefined;
    if (!imported.module.startsWith("./") && !imported.module.startsWith("../")) return undefined;
    const manifest = nearestManifest(this.ctx.fs, dirname(module.path));
    const root = manifest ? dirname(manifest.file) : this.ctx.input.projectRoot;
    const target = joinPath(dirname(module.path), imported.module);
    const relative = relativePath(root, target);
    const [first, second] = relative.split("/");
    const frameworkDir = FRAMEWORK_OUTPUT_DIRS.includes(first ?? "");
    // `dist/_worker.js` (or its `index.js`): what the Astro Cloudflare adapter (before v13) builds.
    // `dist` alone says nothing (any bundler writes there), so only an Astro project's counts.
    if (!frameworkDir && !(first === "dist" && second === "_worker.js")) return undefined;
    const detected = detectFramework(manifest, relative);
    if (!detected || !("kind" in detected) || (!frameworkDir && detected.kind !== "astro")) return undefined;
    if (detected.kind === "next") return this.nextApp(module, context, { relative, built: resolveFile(this.ctx.fs, target) !== undefined });
    this.ctx.walker.cutWalk();
    const known = this.outputRoutes.get(detected.kind);
    if (known) return known;
    const routes = new FrameworkRoutes(this.ctx, { kind: detected.kind, root });
    const files = routes.sourceFiles();
    // No sources of the app's routes: the built output, when it is there, is read as any module.
    if (files.length === 0) return undefined;
    for (const file of files) this.ctx.loader.load(file);
    const sites = routes.sites(context.discovery, module).map((site) => ({ ...site, form: `${site.form} (through ${relative})` }));
    this.outputRoutes.set(detected.kind, sites);
    return sites;
  }

  private nextApp(module: ModuleFacts, context: AdapterContext): HandlerSite[];
  private nextApp(module: ModuleFacts, context: AdapterContext, output: { relative: string; built: boolean }): HandlerSite[] | undefined;
  private nextApp(module: ModuleFacts, context: AdapterContext, output?: { relative: string; built: boolean }): HandlerSite[] | undefined {
    this.ctx.walker.cutWalk();
    if (this.nextRoutes) return this.nextRoutes;
    const own = this.ctx.input.projectRoot;
    const manifest = nearestManifest(this.ctx.fs, own);
    const packageRoot = manifest ? dirname(manifest.file) : own;
    const hasApp = (dir: string): boolean =>
      this.ctx.fs.stat(joinPath(dir, "app")) === "directory" || this.ctx.fs.stat(joinPath(dir, "src", "app")) === "directory";
    const root = !hasApp(own) && hasApp(packageRoot) ? packageRoot : own;
    const routes = new FrameworkRoutes(this.ctx, { kind: "next", root });
    for (const file of routes.sourceFiles()) this.ctx.loader.load(file);
    // Imported build output without the app's sources: the output itself, when built, is read as any module.
    if (output && routes.files.length === 0 && output.built) return undefined;
    const sites = routes.sites(context.discovery, module);
    this.nextRoutes =
      sites.length > 0 && !(output && routes.files.length === 0)
        ? sites
        : [
            {
              kind: "fetch",
              form: `${context.form} vinext app router`,
              module,
              span: spanOf(module.sourceFile),
              functions: [],
              opaque: output
                ? `${output.relative} is Next.js build output that does not exist yet, and none of the app's routes were found under app/ or pages/ (looked below ${[".", ""].includes(relativePath(this.ctx.input.projectRoot, root)) ? "the project folder" : relativePath(this.ctx.input.projectRoot, root)}): build the project first, or check the folder that holds the Next app`
                : "the vinext app router serves the app's routes, and none were found under app/",
            },
          ];
    return this.nextRoutes;
  }

  private requestHandler(call: ts.CallExpression, module: ModuleFacts, context: AdapterContext): HandlerSite[] {
    // Route modules are found on disk, not through imports: a walk that reads them must not be kept.
    this.ctx.walker.cutWalk();
    if (this.routes) return this.routes;
    // The app folder of the package the build is imported from (another package of a monorepo),
    // else next to the config, else next to the nearest package.json (a monorepo package).
    const own = this.ctx.input.projectRoot;
    const manifest = nearestManifest(this.ctx.fs, own);
    const packageRoot = manifest ? dirname(manifest.file) : own;
    const hasApp = (dir: string): boolean => this.ctx.fs.stat(reactRouterAppDirectory(this.ctx.fs, dir)) === "directory";
    const buildRoot = remixBuildPackageRoot(this.ctx, call, module);
    const root = buildRoot && hasApp(buildRoot) ? buildRoot : !hasApp(own) && hasApp(packageRoot) ? packageRoot : own;
    const project: FrameworkProject = { kind: "react-router", root };
    const routes = new FrameworkRoutes(this.ctx, project);
    for (const file of routes.sourceFiles()) this.ctx.loader.load(file);
    this.routes = routes.sites(context.discovery, module);
    return this.routes;
  }

  private nodeServer(value: ts.CallExpression, module: ModuleFacts, context: AdapterContext): HandlerSite[] {
    // `httpServerHandler(server)`, `httpServerHandler(app.listen(3000))`, `httpServerHandler(app)`: what it is given serves.
    const given = value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
    if (given && !isObjectLiteralExpression(given)) {
      const served = this.servedBy(given, module, context, 0);
      if (served && served.length > 0) return served;
    }
    const sites: HandlerSite[] = [];
    for (const call of module.calls) {
      if (!isCallExpression(call)) continue;
      // `app.listen(port)` of an app (Express): `httpServerHandler({ port })` serves its routes.
      const callee = unwrapExpression(call.expression);
      if (isPropertyAccessExpression(callee) && callee.name.text === "listen" && this.isServedApp(callee.expression, module)) {
        sites.push(...this.servedApp(callee.expression, module, context));
        continue;
      }
      const root = rootImport(call.expression, module);
      if (!root || !NODE_HTTP.has(root.module) || (root.name !== "createServer" && root.name !== "*" && root.name !== "default")) continue;
      const name = isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
      if (name !== "createServer") continue;
      const listener = call.arguments.find((a) => !isObjectLiteralExpression(unwrapExpression(a)));
      // `createServer(app)`: an Express app is the request listener.
      if (listener && this.isServedApp(listener, module)) {
        sites.push(...this.servedApp(listener, module, context));
        continue;
      }
      const fn = listener ? this.ctx.values.functionFrom(listener, module) : undefined;
      const from = listener ? rootImport(listener, module) : undefined;
      sites.push({
        kind: "fetch",
        form: `${context.form} httpServerHandler, createServer(callback)`,
        module,
        span: spanOf(call),
        functions: fn ? [fn] : [],
        ...(fn
          ? {}
          : {
              opaque: `httpServerHandler serves a Node server whose request listener${from ? ` (from "${from.module}")` : ""} the analyser cannot follow`,
            }),
      });
    }
    if (sites.length > 0) return sites;
    return [
      {
        kind: "fetch",
        form: `${context.form} httpServerHandler(...)`,
        module,
        span: spanOf(value),
        functions: [],
        opaque: "httpServerHandler serves a Node server whose createServer(...) call the analyser cannot find in this module",
      },
    ];
  }

  /** Whether a Node server given a value serves an app's routes: an Express app, a Koa app or its `callback()`. */
  private isServedApp(value: ts.Expression, module: ModuleFacts): boolean {
    return this.ctx.handlers.apps.isApp(value, module) || this.ctx.handlers.koa.isServed(value, module);
  }

  /** The routes of an app (Express, Koa) a Node server serves. */
  private servedApp(app: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] {
    return this.ctx.handlers
      .valueSites(app, module, `${context.form} httpServerHandler, ${truncate(printNode(app))}`, context.depth + 1)
      .filter((s) => s.kind === "fetch");
  }

  /**
   * What a server value given to `httpServerHandler` serves: an app, `app.listen(port)`,
   * `createServer(app | listener)`, or a name holding one. Undefined when it is none of these.
   */
  private servedBy(expression: ts.Expression, module: ModuleFacts, context: AdapterContext, depth: number): HandlerSite[] | undefined {
    if (depth > 8) return undefined;
    const value = unwrapExpression(expression);
    if (this.isServedApp(value, module)) return this.servedApp(value, module, context);
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      if (isPropertyAccessExpression(callee) && callee.name.text === "listen")
        return this.servedBy(callee.expression, module, context, depth + 1);
      const root = rootImport(callee, module);
      const listener = value.arguments.find((a) => !isObjectLiteralExpression(unwrapExpression(a)));
      if (root && NODE_HTTP.has(root.module) && listener) {
        const served = this.servedBy(listener, module, context, depth + 1);
        if (served) return served;
        const fn = this.ctx.values.functionFrom(listener, module);
        if (fn)
          return [
            {
              kind: "fetch",
              form: `${context.form} httpServerHandler, createServer(callback)`,
              module,
              span: spanOf(value),
              functions: [fn],
            },
          ];
      }
      return undefined;
    }
    if (isIdentifier(value))
      return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.servedBy(source.expression, source.module, context, depth + 1),
      );
    return undefined;
  }
}

/**
 * vinext's request handlers: `vinext/server/fetch-handler` (the built-in one, for either router,
 * and what `main` names when there is no entry of the project's own), `vinext/server/app-router-entry`,
 * `vinext/server/pages-router-entry` and the like.
 */
export function isVinextEntry(specifier: string): boolean {
  if (specifier === "vinext") return true;
  if (!specifier.startsWith("vinext/server/")) return false;
  const name = specifier.slice("vinext/server/".length).replace(/\.[cm]?js$/, "");
  return name === "fetch-handler" || name.includes("router");
}

/**
 * `export const { GET, POST } = toNextJsHandler(auth)`: route handlers destructured from a call of
 * a library function whose cost the library table gives (`functions`): that call, walked for the route.
 */
/** Functions of auth libraries that serve their routes from SvelteKit's handle hook, else resolve the app's route. */
const SVELTEKIT_AUTH_HANDLERS: Readonly<Record<string, readonly string[]>> = { "better-auth/svelte-kit": ["svelteKitHandler"] };

/** The path better-auth serves by default (its `basePath`, "/api/auth"), as a route of the app. */
export const SVELTEKIT_AUTH_ROUTE = "POST|GET /api/auth/*";

/** A call in `module` of one of the named package functions (`svelteKitHandler(...)`), if there is one. */
function routeServingCall(module: ModuleFacts, functions: Readonly<Record<string, readonly string[]>>): ts.CallExpression | undefined {
  for (const call of module.calls) {
    if (!isCallExpression(call)) continue;
    const root = rootImport(call.expression, module);
    if (root && Object.prototype.hasOwnProperty.call(functions, root.module) && functions[root.module]!.includes(root.name)) return call;
  }
  return undefined;
}

/**
 * Package functions that make a route handler doing its work in the Worker: remix-themes'
 * `createThemeAction(resolver)` reads the posted theme and answers with the cookie session's header.
 */
const IN_WORKER_HANDLER_MAKERS: Readonly<Record<string, readonly string[]>> = { "remix-themes": ["createThemeAction"] };

/** Whether an export is made by one of IN_WORKER_HANDLER_MAKERS (`export const action = createThemeAction(r)`). */
function inWorkerHandlerCall(binding: ExportBinding, module: ModuleFacts): boolean {
  const holder = binding.element || binding.local === undefined ? undefined : topLevelVariable(binding.local, module);
  const value = holder?.initializer ? unwrapExpression(holder.initializer) : undefined;
  if (!value || !isCallExpression(value)) return false;
  const root = rootImport(value.expression, module);
  return !!root && (ownEntry(IN_WORKER_HANDLER_MAKERS, root.module)?.includes(root.name) ?? false);
}

function libraryHandlerCall(binding: ExportBinding, module: ModuleFacts): ts.CallExpression | undefined {
  const element = binding.element;
  let holder: ts.Node | undefined;
  if (element) {
    holder = element.parent;
    while (ts.isObjectBindingPattern(holder) || ts.isArrayBindingPattern(holder) || ts.isBindingElement(holder)) holder = holder.parent;
  } else if (binding.local !== undefined) {
    // `export const GET = REST_GET(config)` (Payload's route factories): the handler made by the call.
    holder = topLevelVariable(binding.local, module);
  }
  if (!holder || !ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
  let value = unwrapExpression(holder.initializer);
  if (ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
  if (!isCallExpression(value)) return undefined;
  const root = rootImport(value.expression, module);
  return root && libraryFor(root.module)?.functions?.[root.name] !== undefined ? value : undefined;
}

/** The module-level variable declaration named `name`, if there is one. */
function topLevelVariable(name: string, module: ModuleFacts): ts.VariableDeclaration | undefined {
  for (const statement of module.sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations)
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration;
  }
  return undefined;
}

/** `export const GET = handle(app)` where `handle` is "hono/vercel"'s (or "hono/nextjs"'s): the app given, or undefined. */
function honoHandleApp(binding: ExportBinding, module: ModuleFacts): ts.Expression | undefined {
  if (binding.reexport) return undefined;
  const value = binding.expression ?? (binding.local ? (moduleVariable(module, binding.local)?.initializer ?? undefined) : undefined);
  const call = value ? unwrapExpression(value) : undefined;
  if (!call || !isCallExpression(call) || !call.arguments[0]) return undefined;
  const callee = unwrapExpression(call.expression);
  const imported = isIdentifier(callee) ? module.imports.get(callee.text) : undefined;
  return imported && (imported.module === "hono/vercel" || imported.module === "hono/nextjs") && imported.name === "handle"
    ? call.arguments[0]
    : undefined;
}
