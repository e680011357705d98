import { Parser } from "htmlparser2";
import ts from "typescript";
import { joinPath, relativePath, type FileSystem } from "../../fs";
import { isVueFile, unwrapExpression, type ModuleFacts } from "../module";
import type { FunctionRef } from "../syntax";
import { bracketRoute, listFiles } from "./frameworks";
import { NUXT_CONFIG_FILES, nuxtServerRenderingOff, nuxtSourceDir } from "./nitroConfig";
import type { HandlerSite } from "./types";

/**
 * Pages a Nuxt app renders on the server. A request for a page renders `app.vue`, then the page's
 * layout, then the page; Vue's server renderer finishes a component's `<script setup>` (its
 * top-level awaits: `await useFetch(url)`, `await useAsyncData(...)`) before it renders the
 * children, so their awaits add up one after another.
 */
export class NuxtPages {
  private readonly sourceDir: string;

  constructor(
    private readonly fs: FileSystem,
    private readonly root: string,
  ) {
    this.sourceDir = nuxtSourceDir(fs, root);
  }

  /** The `.vue` files a page request renders: `app.vue`, the layouts and the pages. None when server rendering is off. */
  files(): string[] {
    const { fs, root, sourceDir } = this;
    if (!NUXT_CONFIG_FILES.some((name) => fs.stat(joinPath(root, name)) === "file") || nuxtServerRenderingOff(fs, root)) return [];
    const app = joinPath(sourceDir, "app.vue");
    return [
      ...(fs.stat(app) === "file" ? [app] : []),
      ...listFiles(fs, joinPath(sourceDir, "layouts"), isVueFile),
      // A client-only page's setup runs in the browser: not read (see sites).
      ...listFiles(fs, joinPath(sourceDir, "pages"), (p) => isVueFile(p) && !isClientOnlyPage(p)),
    ];
  }

  /** The client-only pages (`pages/new.client.vue`): Nuxt renders a placeholder for them on the server. */
  private clientOnlyPages(): string[] {
    return listFiles(this.fs, joinPath(this.sourceDir, "pages"), isClientOnlyPage);
  }

  /** One `GET` path per page, after the server middleware: app.vue's setup, the layout's, the page's. */
  sites(modules: readonly ModuleFacts[], middleware: readonly FunctionRef[], form: string): HandlerSite[] {
    const { sourceDir } = this;
    const pagesDir = joinPath(sourceDir, "pages");
    const layoutsDir = joinPath(sourceDir, "layouts");
    const app = modules.find((m) => m.path === joinPath(sourceDir, "app.vue"));
    const layouts = new Map<string, ModuleFacts>();
    for (const module of modules)
      if (module.path.startsWith(layoutsDir + "/")) layouts.set(layoutName(relativePath(layoutsDir, module.path)), module);
    // Layouts render only where app.vue has a `<NuxtLayout>`; without an app.vue Nuxt's own renders one.
    const appRendersLayouts = !app || this.rendersLayout(app.path);
    const setup = (module: ModuleFacts | undefined): FunctionRef[] => (module?.frontmatter ? [{ fn: module.frontmatter, module }] : []);
    const sites: HandlerSite[] = [];
    const pages = modules.filter((m) => m.path.startsWith(pagesDir + "/"));
    for (const page of pages) {
      const layout = appRendersLayouts ? pageLayout(page, layouts) : undefined;
      sites.push({
        kind: "fetch",
        form: `${form} page`,
        module: page,
        span: { start: 0, end: 0 },
        functions: [...middleware, ...setup(app), ...setup(layout), ...setup(page)],
        route: `GET ${pageRoute(relativePath(pagesDir, page.path))}`,
      });
    }
    // A client-only page: the server renders app.vue and the page's layout around a placeholder;
    // the page's own setup (its useFetch, $fetch) runs in the browser.
    const clientOnly = pages.length > 0 || app ? this.clientOnlyPages() : [];
    for (const path of clientOnly) {
      const layout = appRendersLayouts ? layouts.get("default") : undefined;
      const shell = app ?? layout;
      if (!shell) continue;
      sites.push({
        kind: "fetch",
        form: `${form} client-only page`,
        module: shell,
        span: { start: 0, end: 0 },
        functions: [...middleware, ...setup(app), ...setup(layout)],
        route: `GET ${pageRoute(relativePath(pagesDir, path))}`,
      });
    }
    // No pages: app.vue is the whole app, rendered for every path.
    if (pages.length === 0 && clientOnly.length === 0 && app)
      sites.push({
        kind: "fetch",
        form: `${form} app.vue`,
        module: app,
        span: { start: 0, end: 0 },
        functions: [...middleware, ...setup(app)],
        route: "GET /*",
      });
    return sites;
  }

  /** Whether a component's template has a `<NuxtLayout>` (or `<nuxt-layout>`), read with an HTML parser. */
  private rendersLayout(path: string): boolean {
    const text = this.fs.readFile(path);
    if (text === undefined) return true;
    let found = false;
    const parser = new Parser(
      {
        onopentag(name) {
          if (name === "NuxtLayout" || name.toLowerCase() === "nuxt-layout") found = true;
        },
      },
      { recognizeSelfClosing: true, lowerCaseTags: false, decodeEntities: false },
    );
    parser.end(text);
    return found;
  }
}

/** A layout's name from its path under `layouts/`: `default.vue` -> "default", `admin/panel.vue` -> "admin-panel". */
function layoutName(relative: string): string {
  return relative
    .replace(/\.vue$/, "")
    .split("/")
    .join("-");
}

/**
 * The layout a page renders in: the one its `definePageMeta({ layout })` names, none for
 * `layout: false`, else `default`.
 */
function pageLayout(page: ModuleFacts, layouts: ReadonlyMap<string, ModuleFacts>): ModuleFacts | undefined {
  for (const call of page.calls) {
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== "definePageMeta") continue;
    const meta = call.arguments[0] && unwrapExpression(call.arguments[0]);
    if (!meta || !ts.isObjectLiteralExpression(meta)) continue;
    for (const property of meta.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || property.name.text !== "layout") continue;
      const value = unwrapExpression(property.initializer);
      if (value.kind === ts.SyntaxKind.FalseKeyword) return undefined;
      if (ts.isStringLiteralLike(value)) return layouts.get(value.text);
    }
  }
  return layouts.get("default");
}

/** Whether a page is client-only: Nuxt's `.client.vue` suffix. */
function isClientOnlyPage(path: string): boolean {
  return path.endsWith(".client.vue");
}

/**
 * Nuxt's file-based route: `article/[articleId].vue` -> `/article/:articleId`, `index.vue` -> `/`,
 * `[...slug].vue` -> `/*`; the `.client` / `.server` suffix of a client-only or server-only page
 * is not part of it (`new.client.vue` -> `/new`).
 */
function pageRoute(relative: string): string {
  return bracketRoute(
    relative
      .replace(/\.vue$/, "")
      .replace(/\.(client|server)$/, "")
      .split("/")
      .filter((s) => s !== "index"),
  );
}
