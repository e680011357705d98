import ts from "typescript";
import { dirname, joinPath, relativePath, type FileSystem } from "../../fs";
import type { AnalysisContext } from "../context";
import { astroTemplateSource, isAstroFile, moduleVariable, unwrapExpression, type ModuleFacts } from "../module";
import { resolveFile } from "../resolve";
import { printNode, spanOf, truncate, type FunctionRef, propertyInitializer, parseConfigFile } from "../syntax";
import { nearestManifest } from "./frameworks";
import type { HandlerAdapter, HandlerSite } from "./types";

const {
  isCallExpression,
  isIdentifier,
  isMethodDeclaration,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isStringLiteralLike,
} = ts;

const ACTIONS_MODULE = "astro:actions";

/**
 * How an Astro project renders its pages: `output: "server"` in astro.config (every page on demand
 * unless it says `export const prerender = true`), else static (a page is rendered on demand only
 * when it says `export const prerender = false`). Read with TypeScript's parser: the `output`
 * property of the object given to `defineConfig(...)` or exported by default.
 */
export function astroOutput(fs: FileSystem, root: string): "server" | "static" {
  const sourceFile = parseConfigFile(fs, root, [
    "astro.config.mjs",
    "astro.config.ts",
    "astro.config.js",
    "astro.config.mts",
    "astro.config.cjs",
  ]);
  if (!sourceFile) return "static";
  let output: string | undefined;
  const visit = (node: ts.Node, depth: number): void => {
    if (output !== undefined || depth > 50) return;
    if (isObjectLiteralExpression(node)) {
      for (const p of node.properties)
        if (isPropertyAssignment(p) && p.name && isIdentifier(p.name) && p.name.text === "output") {
          const value = unwrapExpression(p.initializer);
          if (isStringLiteralLike(value)) output = value.text;
        }
      if (output !== undefined) return;
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(sourceFile, 0);
  return output === "server" ? "server" : "static";
}

/** Whether an Astro page (.astro or an endpoint) is rendered per request: its `prerender` export, else the project's output. */
export function astroOnDemand(module: ModuleFacts, output: "server" | "static"): boolean {
  const binding = module.exports.get("prerender");
  const init = binding?.local ? moduleVariable(module, binding.local)?.initializer : binding?.expression;
  const value = init ? unwrapExpression(init) : undefined;
  if (value?.kind === ts.SyntaxKind.TrueKeyword) return false;
  if (value?.kind === ts.SyntaxKind.FalseKeyword) return true;
  return output === "server";
}

/** The actions module of an Astro project (`src/actions/index.ts`, or `src/actions.ts`). */
export function astroActionsFile(fs: FileSystem, root: string): string | undefined {
  return resolveFile(fs, joinPath(root, "src", "actions", "index"), false) ?? resolveFile(fs, joinPath(root, "src", "actions"), false);
}

/**
 * Astro Actions: `export const server = { name: defineAction({ handler }) }` in `src/actions`
 * (objects nest: `{ user: { get: defineAction(...) } }`). Called on the server as
 * `Astro.callAction(actions.name, input)` or `actions.name(input)` (also `.orThrow(input)`), an
 * action runs its handler there; the browser calls it as `POST /_actions/name`.
 */
export class AstroActionsAdapter implements HandlerAdapter {
  readonly name = "Astro Actions: Astro.callAction(actions.x, input), actions.x(input)";

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(): HandlerSite[] | undefined {
    return undefined;
  }

  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    if (!importsActions(module)) return undefined;
    const callee = unwrapExpression(call.expression);
    let reference: ts.Expression | undefined;
    // `Astro.callAction(actions.x, input)` (in a page) or `context.callAction(actions.x, input)` (middleware, endpoints).
    if (isPropertyAccessExpression(callee) && callee.name.text === "callAction") reference = call.arguments[0];
    else reference = callee;
    if (!reference) return undefined;
    const path = actionPath(reference, module);
    // `actions.x.orThrow(input)`: the same action, throwing instead of returning an error.
    if (path && path.length > 1 && path[path.length - 1] === "orThrow" && reference === callee) path.pop();
    if (!path || path.length === 0) return undefined;
    const found = this.action(path, module);
    const name = path.join(".");
    return [
      {
        kind: "fetch",
        form: "Astro action",
        module: found.fn?.module ?? module,
        span: spanOf(call),
        functions: found.fn ? [found.fn] : [],
        ...(found.fn ? {} : { opaque: found.why ?? `Astro: the action ${name} could not be resolved` }),
      },
    ];
  }

  /** Every action of the project as its own endpoint (`POST /_actions/name`), after the middleware. */
  endpoints(root: string, middleware: readonly FunctionRef[]): HandlerSite[] {
    const file = astroActionsFile(this.ctx.fs, root);
    if (!file) return [];
    this.ctx.loader.load(file);
    const module = this.ctx.loader.modules.get(file);
    const server = module ? this.serverObject(module) : undefined;
    if (!module || !server) return [];
    const sites: HandlerSite[] = [];
    const visit = (object: ts.ObjectLiteralExpression, objectModule: ModuleFacts, prefix: string[], depth: number): void => {
      if (depth > 6) return;
      for (const p of object.properties) {
        const key = p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) ? p.name.text : undefined;
        if (!key) continue;
        const path = [...prefix, key];
        const value = this.propertyValue(p, objectModule);
        if (!value) continue;
        const inner = unwrapExpression(value.expression);
        if (isObjectLiteralExpression(inner)) {
          visit(inner, value.module, path, depth + 1);
          continue;
        }
        const fn = this.handlerOf(value.expression, value.module);
        sites.push({
          kind: "fetch",
          form: "Astro action",
          module: value.module,
          span: spanOf(p.name!),
          functions: [...middleware, ...(fn ? [fn] : [])],
          route: `POST /_actions/${path.join(".")}`,
          ...(fn
            ? {}
            : { opaque: `Astro: the handler of action ${path.join(".")} (${truncate(printNode(value.expression))}) could not be read` }),
        });
      }
    };
    visit(server.object, server.module, [], 0);
    return sites;
  }

  /**
   * The actions a page's forms submit, read from the page's template and the components it imports
   * (`.astro` templates and JSX): Astro 5's `<form method="POST" action={actions.x}>` and Astro 4's
   * `<input {...getActionProps(actions.x)} />`. Such a form posts to the page itself, where Astro
   * runs the action's handler and then renders the page.
   */
  formActions(page: ModuleFacts): string[][] {
    const found = new Map<string, string[]>();
    const seen = new Set<ModuleFacts>();
    const visitModule = (module: ModuleFacts, depth: number): void => {
      if (seen.has(module) || seen.size > 60 || depth > 4) return;
      seen.add(module);
      if (importsActions(module)) for (const source of templateSources(module, this.ctx.fs)) collectFormActions(source, module, found);
      for (const binding of module.imports.values()) {
        // Components are the project's own files: packages are neither read nor walked here.
        if (!binding.module.startsWith(".") && !binding.module.startsWith("/") && !this.ctx.loader.aliasOf(binding.module)) continue;
        const imported = isAstroFile(binding.module)
          ? this.astroComponent(binding.module, module)
          : this.ctx.loader.moduleFor(binding.module, module);
        if (imported && !imported.path.includes("/node_modules/")) visitModule(imported, depth + 1);
      }
    };
    visitModule(page, 0);
    return [...found.values()];
  }

  /** An imported `.astro` component (relative paths): the module resolver reads only script files. */
  private astroComponent(specifier: string, from: ModuleFacts): ModuleFacts | undefined {
    if (!specifier.startsWith(".")) return undefined;
    const path = joinPath(dirname(from.path), specifier);
    if (this.ctx.fs.stat(path) !== "file") return undefined;
    this.ctx.loader.load(path);
    return this.ctx.loader.modules.get(path);
  }

  /** A page's POST for a form's action: the action's handler, then the page rendered again. */
  formActionSite(page: ModuleFacts, route: string, path: readonly string[], before: readonly FunctionRef[]): HandlerSite {
    const found = this.action(path, page);
    const name = path.join(".");
    return {
      kind: "fetch",
      form: "Astro page form action",
      module: page,
      span: { start: 0, end: 0 },
      functions: [...before, ...(found.fn ? [found.fn] : []), ...(page.frontmatter ? [{ fn: page.frontmatter, module: page }] : [])],
      route: `POST ${route}?_action=${name}`,
      ...(found.fn ? {} : { opaque: found.why ?? `Astro: the action ${name} could not be resolved` }),
    };
  }

  /** The handler an action path names, from the project's `src/actions` `server` export. */
  private action(path: readonly string[], from: ModuleFacts): { fn?: FunctionRef; why?: string } {
    // Action modules are found on disk, not through imports: a walk that reads them must not be kept.
    this.ctx.walker.cutWalk();
    const manifest = nearestManifest(this.ctx.fs, dirname(from.path));
    const roots = [...(manifest ? [dirname(manifest.file)] : []), this.ctx.input.projectRoot];
    const file = roots.map((r) => astroActionsFile(this.ctx.fs, r)).find((f) => f !== undefined);
    const name = path.join(".");
    if (!file) return { why: `Astro: the action ${name} is called, but no src/actions module was found` };
    this.ctx.loader.load(file);
    const module = this.ctx.loader.modules.get(file);
    const server = module ? this.serverObject(module) : undefined;
    if (!module || !server)
      return {
        why: `Astro: the action ${name} is called, but ${relativePath(this.ctx.input.projectRoot, file)} exports no readable \`server\` object`,
      };
    let object = server.object;
    let objectModule = server.module;
    for (let i = 0; i < path.length; i++) {
      const property = object.properties.find(
        (p) => p.name !== undefined && (isIdentifier(p.name) || isStringLiteralLike(p.name)) && p.name.text === path[i],
      );
      const value = property ? this.propertyValue(property, objectModule) : undefined;
      if (!value) return { why: `Astro: the action ${name} was not found in the \`server\` object of the actions module` };
      const inner = unwrapExpression(value.expression);
      if (i < path.length - 1) {
        if (!isObjectLiteralExpression(inner)) return { why: `Astro: the action ${name} could not be read` };
        object = inner;
        objectModule = value.module;
        continue;
      }
      const fn = this.handlerOf(value.expression, value.module);
      return fn ? { fn } : { why: `Astro: the handler of action ${name} (${truncate(printNode(value.expression))}) could not be read` };
    }
    return { why: `Astro: the action ${name} could not be read` };
  }

  /** `export const server = {...}` (or a constant it names). */
  private serverObject(module: ModuleFacts): { object: ts.ObjectLiteralExpression; module: ModuleFacts } | undefined {
    const binding = module.exports.get("server");
    const init = binding?.local ? moduleVariable(module, binding.local)?.initializer : binding?.expression;
    if (!init) return undefined;
    const value = unwrapExpression(init);
    if (isObjectLiteralExpression(value)) return { object: value, module };
    if (isIdentifier(value))
      for (const source of this.ctx.values.valuesOf(value, module)) {
        const object = unwrapExpression(source.expression);
        if (isObjectLiteralExpression(object)) return { object, module: source.module };
      }
    return undefined;
  }

  /** What a property of the actions object holds: inline, or a name (imported from another module). */
  private propertyValue(
    property: ts.ObjectLiteralElementLike,
    module: ModuleFacts,
  ): { expression: ts.Expression; module: ModuleFacts } | undefined {
    if (isPropertyAssignment(property)) {
      const value = unwrapExpression(property.initializer);
      if (isIdentifier(value)) return this.ctx.values.valuesOf(value, module)[0];
      return { expression: property.initializer, module };
    }
    if (isShorthandPropertyAssignment(property)) return this.ctx.values.valuesOf(property.name, module)[0];
    return undefined;
  }

  /** `defineAction({ input, handler })`: its handler. */
  private handlerOf(expression: ts.Expression, module: ModuleFacts): FunctionRef | undefined {
    const value = unwrapExpression(expression);
    if (!isCallExpression(value)) return undefined;
    const options = value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
    if (!options || !isObjectLiteralExpression(options)) return undefined;
    for (const p of options.properties) {
      if (!p.name || !isIdentifier(p.name) || p.name.text !== "handler") continue;
      if (isMethodDeclaration(p)) return { fn: p, module };
      const init = propertyInitializer(p);
      return init ? this.ctx.values.functionFrom(init, module) : undefined;
    }
    return undefined;
  }
}

/** `actions.x` / `actions.ns.x` with `actions` imported from "astro:actions": the names after it. */
function actionPath(expression: ts.Expression, module: ModuleFacts): string[] | undefined {
  const names: string[] = [];
  let current = unwrapExpression(expression);
  for (let i = 0; i < 8 && isPropertyAccessExpression(current); i++) {
    names.unshift(current.name.text);
    current = unwrapExpression(current.expression);
  }
  if (!isIdentifier(current)) return undefined;
  const imported = module.imports.get(current.text);
  if (!imported || imported.module !== ACTIONS_MODULE || imported.name !== "actions") return undefined;
  return names;
}

/**
 * `.astro` templates parsed, by the facts of their file: a file's facts are made anew when its text
 * changes, so an edit elsewhere (each keystroke analyses again) does not parse the template again.
 */
const templates = new WeakMap<ModuleFacts, ts.SourceFile[]>();

/** The syntax a module's forms are written in: a JSX module's own, or an `.astro` template parsed as JSX. */
function templateSources(module: ModuleFacts, fs: FileSystem): ts.SourceFile[] {
  if (!isAstroFile(module.path)) return [module.sourceFile];
  const known = templates.get(module);
  if (known) return known;
  // A module's text is its frontmatter alone (see astroSource): the template is read from the file.
  const raw = fs.readFile(module.path);
  if (raw === undefined) return [];
  // The template is HTML with JSX expressions: TypeScript's JSX parser reads its elements and
  // attributes (and recovers past what is not JSX, such as a <style> body).
  const text = `<>${astroTemplateSource(raw)}</>`;
  const parsed = [ts.createSourceFile(`${module.path}.tsx`, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)];
  templates.set(module, parsed);
  return parsed;
}

/** `action={actions.x}` on a `<form>`, and `{...getActionProps(actions.x)}` (Astro 4), anywhere in a source. */
function collectFormActions(source: ts.SourceFile, module: ModuleFacts, found: Map<string, string[]>): void {
  const add = (expression: ts.Expression | undefined): void => {
    const path = expression ? actionPath(expression, module) : undefined;
    if (path && path.length > 0) found.set(path.join("."), path);
  };
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 200) return;
    if (ts.isJsxAttribute(node) && isIdentifier(node.name) && node.name.text === "action") {
      const element = node.parent.parent;
      const tag = ts.isJsxOpeningElement(element) || ts.isJsxSelfClosingElement(element) ? element.tagName : undefined;
      if (tag && isIdentifier(tag) && tag.text === "form" && node.initializer && ts.isJsxExpression(node.initializer))
        add(node.initializer.expression);
    } else if (isCallExpression(node) && isIdentifier(node.expression)) {
      const imported = module.imports.get(node.expression.text);
      if (imported?.module === ACTIONS_MODULE && imported.name === "getActionProps") add(node.arguments[0]);
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(source, 0);
}

/** Whether a module imports `astro:actions` (asked of every call the walk meets: no array made). */
function importsActions(module: ModuleFacts): boolean {
  for (const i of module.imports.values()) if (i.module === ACTIONS_MODULE) return true;
  return false;
}
