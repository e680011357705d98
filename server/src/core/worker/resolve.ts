import ts from "typescript";
import { parse as parseYaml } from "yaml";
import { dirname, joinPath, normalizePath, type FileSystem } from "../fs";

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** Generated declarations (worker-configuration.d.ts, *.d.ts) are types, never code. */
export function isDeclarationFile(path: string): boolean {
  return /\.d\.[cm]?ts$/.test(path);
}

export function isSourceFile(path: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext)) && !isDeclarationFile(path);
}

/** `path` itself, with a source extension, or its index file. */
export function resolveFile(fs: FileSystem, path: string, viaManifest = true): string | undefined {
  if (isSourceFile(path) && fs.stat(path) === "file") return path;
  // `./util.js` written in TypeScript sources means `./util.ts`.
  const withoutJs = path.replace(/\.(c|m)?jsx?$/, "");
  for (const base of withoutJs !== path ? [withoutJs, path] : [path]) {
    for (const ext of SOURCE_EXTENSIONS) if (fs.stat(base + ext) === "file") return base + ext;
  }
  if (fs.stat(path) === "directory") {
    // A package folder's manifest, once: a manifest pointing at its own folder ("main": ".") must end.
    const fromManifest = viaManifest ? packageEntry(fs, path) : undefined;
    if (fromManifest) return fromManifest;
    for (const ext of SOURCE_EXTENSIONS) if (fs.stat(joinPath(path, "index" + ext)) === "file") return joinPath(path, "index" + ext);
  }
  return caseInsensitiveFile(fs, withoutJs);
}

/**
 * `import { Logger } from "./logger"` next to `Logger.ts`: macOS and Windows find the file whatever
 * the case of its name, and so does a build there. The one file of the folder whose name differs
 * only in case (with a source extension), when there is exactly one.
 */
function caseInsensitiveFile(fs: FileSystem, base: string): string | undefined {
  const normal = normalizePath(base);
  const dir = dirname(normal);
  const name = normal.slice(normal.lastIndexOf("/") + 1).toLowerCase();
  if (!name || name === "." || name === "..") return undefined;
  const wanted = new Set([name, ...SOURCE_EXTENSIONS.map((ext) => name + ext)]);
  const matches = (fs.readDirectory(dir) ?? []).filter((entry) => wanted.has(entry.toLowerCase()));
  if (matches.length !== 1) return undefined;
  const found = joinPath(dir, matches[0]!);
  return isSourceFile(found) && fs.stat(found) === "file" ? found : undefined;
}

/** The source entry of a package folder: exports["."], module, main, then source-ish fallbacks. */
function packageEntry(fs: FileSystem, dir: string): string | undefined {
  return packageTarget(fs, dir, ".");
}

/**
 * A package's file for `subpath` ("." or "./x"), as a Worker's bundler resolves it: the `exports`
 * map (conditions workerd, worker, import, module, default, require, types, in that order, and
 * `./*` patterns), then for "." `source`, `module`, `main`, `types`; a target that does not exist
 * yet (unbuilt `dist/`) is passed over for the next, which in workspaces is often TypeScript source.
 */
function packageTarget(fs: FileSystem, dir: string, subpath: string): string | undefined {
  const manifest = readManifest(fs, dir);
  if (!manifest) return undefined;
  const candidates: string[] = [];
  const pick = (value: unknown, star?: string): void => {
    if (typeof value === "string") candidates.push(star === undefined ? value : value.split("*").join(star));
    else if (Array.isArray(value)) for (const item of value) pick(item, star);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      for (const condition of EXPORT_CONDITIONS) if (condition in record) pick(record[condition], star);
    }
  };
  const exportsField = manifest["exports"];
  const keyed =
    exportsField && typeof exportsField === "object" && !Array.isArray(exportsField)
      ? Object.keys(exportsField).some((k) => k.startsWith("."))
      : false;
  if (keyed) {
    const map = exportsField as Record<string, unknown>;
    if (subpath in map) pick(map[subpath]);
    else
      for (const [key, value] of Object.entries(map)) {
        const star = key.indexOf("*");
        if (star < 0) continue;
        const before = key.slice(0, star);
        const after = key.slice(star + 1);
        if (subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= before.length + after.length)
          pick(value, subpath.slice(before.length, subpath.length - after.length));
      }
  } else if (subpath === ".") pick(exportsField);
  if (subpath === ".") {
    for (const field of ["source", "module", "main", "types", "typings"])
      if (typeof manifest[field] === "string") candidates.push(manifest[field] as string);
  } else candidates.push(subpath);
  for (const candidate of candidates) {
    const resolved = resolveFile(fs, joinPath(dir, candidate), false);
    if (resolved) return resolved;
    // `types: "./dist/index.d.ts"` next to `src/index.ts`: nothing to read in a declaration file.
  }
  // Unbuilt output of a workspace package (`./dist/client.js` for `"./client"`): its source, the
  // same path under `src/` (a declaration file's too: `dist/index.d.ts` -> `src/index.ts`).
  for (const candidate of candidates) {
    const [first, ...rest] = normalizePath(candidate).replace(/^\.\//, "").split("/");
    if (!first || !BUILT_DIRS.includes(first) || rest.length === 0) continue;
    const source = rest.join("/").replace(/\.d\.[cm]?ts$/, ".js");
    const resolved = resolveFile(fs, joinPath(dir, joinPath("src", source)), false);
    if (resolved) return resolved;
  }
  if (subpath === ".") {
    for (const fallback of ["src/index", "index"]) {
      const resolved = resolveFile(fs, joinPath(dir, fallback), false);
      if (resolved) return resolved;
    }
  }
  return undefined;
}

/** The targets of an `exports`/`imports` entry in condition order, `*` replaced by what it matched. */
function conditionTargets(value: unknown, star?: string): string[] {
  if (typeof value === "string") return [star === undefined ? value : value.split("*").join(star)];
  if (Array.isArray(value)) return value.flatMap((item) => conditionTargets(item, star));
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return EXPORT_CONDITIONS.filter((condition) => condition in record).flatMap((condition) => conditionTargets(record[condition], star));
  }
  return [];
}

/** A target in a package's unbuilt output folder (`./dist/db.js`): the same path under `src/`. */
function unbuiltSource(fs: FileSystem, dir: string, target: string): string | undefined {
  const [first, ...rest] = normalizePath(target).replace(/^\.\//, "").split("/");
  if (!first || !BUILT_DIRS.includes(first) || rest.length === 0) return undefined;
  return resolveFile(fs, joinPath(dir, joinPath("src", rest.join("/").replace(/\.d\.[cm]?ts$/, ".js"))), false);
}

/** Folders a package's build writes to: a missing target there is read from `src/`. */
const BUILT_DIRS = ["dist", "build", "out", "lib"];

const EXPORT_CONDITIONS = ["workerd", "worker", "import", "module", "default", "require", "types"];

function readManifest(fs: FileSystem, dir: string): Record<string, unknown> | undefined {
  const text = fs.readFile(joinPath(dir, "package.json"));
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

interface PathMapping {
  readonly baseUrl: string;
  readonly paths: Readonly<Record<string, readonly string[]>>;
  /** `baseUrl` was set: a bare specifier is also looked up under it (`sdk/zones` -> `<baseUrl>/sdk/zones`). */
  readonly bare?: true;
}

/**
 * What a tsconfig.json says about resolving a file: its own mapping, or, for a solution-style
 * config (`"files": []` with `references`, as React Router's Cloudflare template writes it), the
 * projects it refers to, each with the files it covers (`include`/`files`/`exclude`).
 */
interface TsconfigMappings {
  readonly own: PathMapping | undefined;
  readonly projects: ReadonlyArray<{ readonly covers: (file: string) => boolean; readonly mapping: PathMapping | undefined }>;
}

/**
 * Resolves import specifiers the way a Worker's bundler would: relative paths, tsconfig `paths`
 * (nearest tsconfig.json or jsconfig.json), and packages under node_modules. Third-party packages resolve to
 * undefined (they are recognised by name instead); workspace packages (symlinked or outside any
 * node_modules once their real path is known) resolve to their source.
 */
export class ModuleResolver {
  /** The nearest tsconfig.json (or jsconfig.json) by folder, and what each one says. */
  private readonly nearestTsconfigs = new Map<string, string | undefined>();
  private readonly tsconfigs = new Map<string, TsconfigMappings>();
  private readonly resolved = new Map<string, string | undefined>();
  private readonly workspaces = new Map<string, ReadonlyMap<string, string>>();
  private readonly nuxtRoots = new Map<string, string | undefined>();
  private readonly manifestNames = new Map<string, string | undefined>();
  private readonly nuxtConfigs = new Map<string, { srcDir: string; aliases: ReadonlyArray<readonly [string, string]> }>();

  constructor(private readonly fs: FileSystem) {}

  /** Memoised per directory and specifier: resolution touches the disk many times. */
  resolve(specifier: string, fromFile: string): string | undefined {
    // Under a solution-style tsconfig two files of one folder may belong to different projects.
    const bare = !specifier.startsWith(".") && !specifier.startsWith("/");
    const config = bare ? this.nearestTsconfig(dirname(fromFile)) : undefined;
    const perFile = config !== undefined && this.mappingsOf(config).projects.length > 0;
    const key = `${perFile ? fromFile : dirname(fromFile)}\u0000${specifier}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const result = this.resolveUncached(specifier, fromFile);
    this.resolved.set(key, result);
    return result;
  }

  private resolveUncached(specifier: string, fromFile: string): string | undefined {
    if (specifier.startsWith(".") || specifier.startsWith("/")) return resolveFile(this.fs, joinPath(dirname(fromFile), specifier));
    if (specifier.startsWith("cloudflare:") || specifier.startsWith("node:")) return undefined;
    const mapped = this.resolveThroughPaths(specifier, fromFile);
    if (mapped) return mapped;
    const subpath = specifier.startsWith("#") ? this.resolveSubpathImport(specifier, fromFile) : undefined;
    if (subpath) return subpath;
    if (specifier === "$lib" || specifier.startsWith("$lib/")) return this.resolveSvelteLib(specifier.slice(4), fromFile);
    const nuxt = this.resolveNuxtAlias(specifier, fromFile);
    if (nuxt) return nuxt;
    const found = this.resolvePackage(specifier, fromFile);
    if (found) return found;
    // `import bundle from "index.js"` in an uploaded `.mjs` module (a Wrangler v1 modules shim): the
    // Workers runtime names uploaded modules by their path beside the main module, so a bare name of
    // a script file that no package answers is the file next to it.
    if (fromFile.endsWith(".mjs") && /^[\w.-]+\.(?:mjs|cjs|js)$/.test(specifier))
      return resolveFile(this.fs, joinPath(dirname(fromFile), specifier));
    return undefined;
  }

  /**
   * A package's own subpath imports (`"imports": { "#app/*": "./src/*" }` in the nearest
   * package.json, as Node, Wrangler's esbuild and Vite resolve them): exact keys, then `*` patterns
   * (the longest prefix first), with the export conditions; a target that is a package is resolved
   * as one.
   */
  private resolveSubpathImport(specifier: string, fromFile: string): string | undefined {
    let dir = dirname(fromFile);
    let manifest: Record<string, unknown> | undefined;
    for (let i = 0; i < 32; i++) {
      manifest = readManifest(this.fs, dir);
      if (manifest) break;
      const parent = dirname(dir);
      if (parent === dir || dir.endsWith("/node_modules")) return undefined;
      dir = parent;
    }
    const imports = manifest?.["imports"];
    if (!imports || typeof imports !== "object" || Array.isArray(imports)) return undefined;
    const map = imports as Record<string, unknown>;
    let targets: string[] = [];
    if (specifier in map) targets = conditionTargets(map[specifier]);
    else {
      const patterns = Object.keys(map)
        .filter((key) => key.includes("*"))
        .sort((a, b) => b.indexOf("*") - a.indexOf("*"));
      for (const key of patterns) {
        const star = key.indexOf("*");
        const before = key.slice(0, star);
        const after = key.slice(star + 1);
        if (!specifier.startsWith(before) || !specifier.endsWith(after) || specifier.length < before.length + after.length) continue;
        targets = conditionTargets(map[key], specifier.slice(before.length, specifier.length - after.length));
        break;
      }
    }
    for (const target of targets) {
      const resolved = target.startsWith("./")
        ? (resolveFile(this.fs, joinPath(dir, target)) ?? unbuiltSource(this.fs, dir, target))
        : isPackageSpecifier(target)
          ? this.resolvePackage(target, fromFile)
          : undefined;
      if (resolved) return resolved;
    }
    return undefined;
  }

  /**
   * Nuxt's aliases (and a standalone Nitro app's, from nitro.config.*), which it writes into a
   * generated `.nuxt/tsconfig.json` a fresh clone does not have: `~` and `@` for the source folder (`srcDir`: `app/` in Nuxt 4, else the root), `~~` and
   * `@@` for the root (the folder with nuxt.config.*), and the literal entries of `alias` in
   * nuxt.config. A path under the source folder that is not there is looked for under the root
   * (server code lives at the root in Nuxt 4).
   */
  private resolveNuxtAlias(specifier: string, fromFile: string): string | undefined {
    const root = this.nuxtRoot(dirname(fromFile));
    if (!root) return undefined;
    const config = this.nuxtConfig(root);
    for (const [key, target] of config.aliases)
      if (specifier === key || specifier.startsWith(key + "/"))
        return resolveFile(this.fs, joinPath(target, "." + specifier.slice(key.length)));
    const slash = specifier.indexOf("/");
    const head = slash === -1 ? specifier : specifier.slice(0, slash);
    const rest = slash === -1 ? "" : specifier.slice(slash);
    if (head === "~~" || head === "@@") return resolveFile(this.fs, joinPath(root, "." + rest));
    if (head !== "~" && head !== "@") return undefined;
    return (
      resolveFile(this.fs, joinPath(config.srcDir, "." + rest)) ??
      (config.srcDir !== root ? resolveFile(this.fs, joinPath(root, "." + rest)) : undefined)
    );
  }

  /** The nearest folder at or above `dir` with a nuxt.config.* or nitro.config.*, or undefined. */
  private nuxtRoot(dir: string): string | undefined {
    if (this.nuxtRoots.has(dir)) return this.nuxtRoots.get(dir);
    let found: string | undefined;
    if (APP_CONFIGS.some((name) => this.fs.stat(joinPath(dir, name)) === "file")) found = dir;
    else {
      const parent = dirname(dir);
      if (parent !== dir && !dir.endsWith("/node_modules")) found = this.nuxtRoot(parent);
    }
    this.nuxtRoots.set(dir, found);
    return found;
  }

  /** `srcDir` and the literal `alias` entries of a Nuxt app's config (parsed, never run). */
  private nuxtConfig(root: string): { srcDir: string; aliases: ReadonlyArray<readonly [string, string]> } {
    const cached = this.nuxtConfigs.get(root);
    if (cached) return cached;
    let srcDir: string | undefined;
    const aliases: Array<readonly [string, string]> = [];
    let nitro = false;
    for (const name of APP_CONFIGS) {
      const file = joinPath(root, name);
      const text = this.fs.readFile(file);
      if (text === undefined) continue;
      nitro = NITRO_CONFIGS.includes(name);
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
      for (const statement of source.statements) {
        if (!ts.isExportAssignment(statement)) continue;
        let config: ts.Expression = statement.expression;
        while (ts.isParenthesizedExpression(config) || ts.isAsExpression(config) || ts.isSatisfiesExpression(config))
          config = config.expression;
        if (ts.isCallExpression(config) && config.arguments[0]) config = config.arguments[0];
        if (!ts.isObjectLiteralExpression(config)) continue;
        for (const property of config.properties) {
          if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
          const value = property.initializer;
          if (property.name.text === "srcDir" && ts.isStringLiteralLike(value)) srcDir = joinPath(root, value.text);
          if (property.name.text !== "alias" || !ts.isObjectLiteralExpression(value)) continue;
          for (const entry of value.properties) {
            if (!ts.isPropertyAssignment(entry) || !(ts.isIdentifier(entry.name) || ts.isStringLiteralLike(entry.name))) continue;
            if (ts.isStringLiteralLike(entry.initializer)) aliases.push([entry.name.text, joinPath(root, entry.initializer.text)]);
          }
        }
      }
      break;
    }
    // Longer keys first: `@db/schema` before `@db`.
    aliases.sort((a, b) => b[0].length - a[0].length);
    // Nitro's source folder is the root unless its config says otherwise.
    const appDir = !nitro && this.fs.stat(joinPath(root, "app")) === "directory";
    const result = { srcDir: srcDir ?? (appDir ? joinPath(root, "app") : root), aliases };
    this.nuxtConfigs.set(root, result);
    return result;
  }

  /**
   * SvelteKit's `$lib` alias: `src/lib` of the app (the folder with svelte.config.*). SvelteKit
   * writes it into a generated tsconfig that a fresh clone does not have.
   */
  private resolveSvelteLib(rest: string, fromFile: string): string | undefined {
    for (let dir = dirname(fromFile), i = 0; i < 32; i++) {
      if (SVELTE_CONFIGS.some((name) => this.fs.stat(joinPath(dir, name)) === "file"))
        return resolveFile(this.fs, joinPath(joinPath(dir, "src/lib"), "." + rest));
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
    return undefined;
  }

  private resolvePackage(specifier: string, fromFile: string): string | undefined {
    const { packageName, subpath } = splitSpecifier(specifier);
    const installed = this.installed(packageName, fromFile);
    if (installed) {
      const real = this.fs.realPath(installed);
      // Only workspace packages are analysed: a symlink out of node_modules, or a package that
      // ships TypeScript sources. Published libraries are recognised by name instead.
      const isWorkspace = real !== installed && !real.includes("/node_modules/");
      return isWorkspace ? packageTarget(this.fs, real, subpath ? "./" + subpath : ".") : undefined;
    }
    // Not installed (a fresh clone): a package of the workspace the file belongs to, or the
    // package the file sits inside (a library's own `example/` Worker importing the library by name).
    const packageDir = this.workspacePackages(dirname(fromFile)).get(packageName) ?? this.enclosingPackage(packageName, dirname(fromFile));
    return packageDir ? packageTarget(this.fs, packageDir, subpath ? "./" + subpath : ".") : undefined;
  }

  /**
   * The folder above (or at) `dir` whose package.json is named `packageName`: a package importing
   * itself by name, or an example inside a library's repository importing that library (its
   * installed copy would be the published build of the same source).
   */
  private enclosingPackage(packageName: string, dir: string): string | undefined {
    for (let current = dir, depth = 0; depth < 64; depth++) {
      if (current.endsWith("/node_modules")) return undefined;
      if (this.manifestName(current) === packageName) return current;
      const parent = dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
    return undefined;
  }

  /**
   * The name a folder's package.json publishes under: only a library's (one that says what it
   * exports), so an app that merely calls itself "astro" or "hono" never stands for the framework.
   */
  private manifestName(dir: string): string | undefined {
    if (this.manifestNames.has(dir)) return this.manifestNames.get(dir);
    const manifest = readManifest(this.fs, dir);
    const name = manifest?.["name"];
    const publishes = manifest !== undefined && ["exports", "main", "module"].some((field) => manifest[field] !== undefined);
    const result = typeof name === "string" && publishes ? name : undefined;
    this.manifestNames.set(dir, result);
    return result;
  }

  /**
   * The packages of the npm/yarn/pnpm workspace a folder is in, by name: the nearest folder above
   * with `pnpm-workspace.yaml` or a package.json with `workspaces`, its patterns expanded.
   */
  workspacePackages(dir: string): ReadonlyMap<string, string> {
    const cached = this.workspaces.get(dir);
    if (cached) return cached;
    let result: ReadonlyMap<string, string> = new Map();
    const patterns = workspacePatterns(this.fs, dir);
    if (patterns) result = this.expandWorkspace(dir, patterns);
    else {
      const parent = dirname(dir);
      if (parent !== dir) result = this.workspacePackages(parent);
    }
    this.workspaces.set(dir, result);
    return result;
  }

  private expandWorkspace(root: string, patterns: readonly string[]): Map<string, string> {
    const packages = new Map<string, string>();
    const visit = (dir: string, segments: readonly string[], depth: number): void => {
      if (packages.size >= MAX_WORKSPACE_PACKAGES || depth > 8) return;
      if (segments.length === 0) {
        const name = readManifest(this.fs, dir)?.["name"];
        if (typeof name === "string" && !packages.has(name)) packages.set(name, dir);
        return;
      }
      const [segment, ...rest] = segments as [string, ...string[]];
      if (segment === "**") {
        visit(dir, rest, depth + 1);
        for (const child of this.childDirectories(dir)) visit(joinPath(dir, child), segments, depth + 1);
      } else if (segment.includes("*")) {
        for (const child of this.childDirectories(dir)) if (wildcardMatch(segment, child)) visit(joinPath(dir, child), rest, depth + 1);
      } else if (this.fs.stat(joinPath(dir, segment)) === "directory") visit(joinPath(dir, segment), rest, depth + 1);
    };
    for (const pattern of patterns) {
      if (pattern.startsWith("!")) continue; // exclusions only narrow the set: a name is found once either way
      visit(
        root,
        pattern.split("/").filter((s) => s !== "" && s !== "."),
        0,
      );
    }
    return packages;
  }

  private childDirectories(dir: string): string[] {
    return (this.fs.readDirectory(dir) ?? []).filter(
      (name) => name !== "node_modules" && !name.startsWith(".") && this.fs.stat(joinPath(dir, name)) === "directory",
    );
  }

  private resolveThroughPaths(specifier: string, fromFile: string): string | undefined {
    const mapping = this.mappingFor(fromFile);
    if (!mapping) return undefined;
    for (const [pattern, targets] of Object.entries(mapping.paths)) {
      const star = pattern.indexOf("*");
      let captured: string | undefined;
      if (star < 0) captured = pattern === specifier ? "" : undefined;
      else {
        const prefix = pattern.slice(0, star);
        const suffix = pattern.slice(star + 1);
        if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
          captured = specifier.slice(prefix.length, specifier.length - suffix.length);
        }
      }
      if (captured === undefined) continue;
      for (const target of targets) {
        const resolved = resolveFile(this.fs, joinPath(mapping.baseUrl, target.replace("*", captured)));
        if (resolved) return resolved;
      }
    }
    // With a `baseUrl`, TypeScript also looks a bare specifier up under it (`sdk/zones.js`).
    return mapping.bare ? resolveFile(this.fs, joinPath(mapping.baseUrl, specifier)) : undefined;
  }

  /**
   * The path mapping that applies to a file: the nearest tsconfig.json's (following its `extends`
   * chain); for a solution-style config, that of the first referenced project whose
   * `include`/`files` cover the file (then the config's own, then the first referenced project's).
   */
  private mappingFor(fromFile: string): PathMapping | undefined {
    const config = this.nearestTsconfig(dirname(fromFile));
    if (!config) return undefined;
    const { own, projects } = this.mappingsOf(config);
    const covering = projects.find((project) => project.covers(fromFile));
    return covering?.mapping ?? own ?? projects.find((project) => project.mapping)?.mapping;
  }

  private nearestTsconfig(dir: string): string | undefined {
    if (this.nearestTsconfigs.has(dir)) return this.nearestTsconfigs.get(dir);
    let result: string | undefined;
    // A JavaScript project's `jsconfig.json` says the same (its `paths`, `baseUrl`, `extends`);
    // a tsconfig.json next to it wins, as for TypeScript, Next.js and esbuild.
    const file = ["tsconfig.json", "jsconfig.json"].map((name) => joinPath(dir, name)).find((f) => this.fs.stat(f) === "file");
    if (file) result = file;
    else {
      const parent = dirname(dir);
      result = parent !== dir ? this.nearestTsconfig(parent) : undefined;
    }
    this.nearestTsconfigs.set(dir, result);
    return result;
  }

  private mappingsOf(file: string): TsconfigMappings {
    const cached = this.tsconfigs.get(file);
    if (cached) return cached;
    const own = this.readMapping(file, 0);
    const references = readTsconfig(this.fs, file)?.["references"];
    const projects: Array<TsconfigMappings["projects"][number]> = [];
    if (Array.isArray(references))
      for (const reference of references.slice(0, 16)) {
        const path = reference && typeof reference === "object" ? (reference as Record<string, unknown>)["path"] : undefined;
        if (typeof path !== "string") continue;
        let target = joinPath(dirname(file), path);
        if (this.fs.stat(target) === "directory") target = joinPath(target, "tsconfig.json");
        if (target === file || this.fs.stat(target) !== "file") continue;
        const covered = this.projectFiles(target, 0);
        projects.push({ covers: (f) => covers(covered, dirname(target), f), mapping: this.readMapping(target, 0) });
      }
    const result: TsconfigMappings = { own, projects };
    this.tsconfigs.set(file, result);
    return result;
  }

  /** A project's `files`, `include` and `exclude`, each from the nearest config of its `extends` chain that sets it. */
  private projectFiles(file: string, depth: number): ProjectFiles {
    const config = depth > 8 ? undefined : readTsconfig(this.fs, file);
    if (!config) return {};
    const dir = dirname(file);
    const list = (key: string): { dir: string; patterns: string[] } | undefined => {
      const value = config[key];
      return Array.isArray(value) ? { dir, patterns: value.filter((v): v is string => typeof v === "string") } : undefined;
    };
    const own: ProjectFiles = { files: list("files"), include: list("include"), exclude: list("exclude") };
    if (own.files && own.include && own.exclude) return own;
    const extendsField = config["extends"];
    const parents = typeof extendsField === "string" ? [extendsField] : Array.isArray(extendsField) ? extendsField : [];
    let inherited: ProjectFiles = {};
    for (const parent of parents) {
      const parentFile = typeof parent === "string" ? this.extendedConfig(parent, file) : undefined;
      if (parentFile && parentFile !== file) inherited = { ...inherited, ...definedOnly(this.projectFiles(parentFile, depth + 1)) };
    }
    return { ...inherited, ...definedOnly(own) };
  }

  private readMapping(file: string, depth: number): PathMapping | undefined {
    if (depth > 8) return undefined;
    const config = readTsconfig(this.fs, file);
    if (!config) return undefined;
    const options = (config["compilerOptions"] ?? {}) as Record<string, unknown>;
    const paths = options["paths"];
    const baseUrl = typeof options["baseUrl"] === "string" ? joinPath(dirname(file), options["baseUrl"]) : undefined;
    if (paths && typeof paths === "object")
      return { baseUrl: baseUrl ?? dirname(file), paths: paths as Record<string, string[]>, ...(baseUrl ? { bare: true as const } : {}) };
    // `extends` (one or a list, later ones win): a relative file or a package's tsconfig.
    const extendsField = config["extends"];
    const parents = typeof extendsField === "string" ? [extendsField] : Array.isArray(extendsField) ? extendsField : [];
    for (const parent of [...parents].reverse()) {
      if (typeof parent !== "string") continue;
      const parentFile = this.extendedConfig(parent, file);
      const inherited = parentFile ? this.readMapping(parentFile, depth + 1) : undefined;
      // A baseUrl set here is the one inherited paths are resolved against.
      if (inherited) return baseUrl ? { ...inherited, baseUrl, bare: true } : inherited;
    }
    return baseUrl ? { baseUrl, paths: {}, bare: true } : undefined;
  }

  /** The nearest `node_modules/<name>` folder above a file, if the package is installed. */
  private installed(packageName: string, fromFile: string): string | undefined {
    let dir = dirname(fromFile);
    for (let depth = 0; depth < 64; depth++) {
      const candidate = joinPath(dir, "node_modules", packageName);
      if (this.fs.stat(candidate) === "directory") return candidate;
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
    return undefined;
  }

  private extendedConfig(specifier: string, fromFile: string): string | undefined {
    const withJson = specifier.endsWith(".json") ? specifier : specifier + ".json";
    if (specifier.startsWith(".") || specifier.startsWith("/")) return joinPath(dirname(fromFile), withJson);
    const { packageName, subpath } = splitSpecifier(specifier);
    const installed = this.installed(packageName, fromFile);
    if (installed) return joinPath(installed, subpath ? withJsonSubpath(subpath) : "tsconfig.json");
    const packageDir = this.workspacePackages(dirname(fromFile)).get(packageName);
    return packageDir ? joinPath(packageDir, subpath ? withJsonSubpath(subpath) : "tsconfig.json") : undefined;
  }
}

/** Where a project's files are: each list with the folder its patterns are relative to. */
interface ProjectFiles {
  readonly files?: { dir: string; patterns: string[] } | undefined;
  readonly include?: { dir: string; patterns: string[] } | undefined;
  readonly exclude?: { dir: string; patterns: string[] } | undefined;
}

function definedOnly(files: ProjectFiles): ProjectFiles {
  return Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)) as ProjectFiles;
}

function readTsconfig(fs: FileSystem, file: string): Record<string, unknown> | undefined {
  const text = fs.readFile(file);
  if (text === undefined) return undefined;
  const { config } = ts.parseConfigFileTextToJson(file, text) as { config?: unknown };
  return config && typeof config === "object" && !Array.isArray(config) ? (config as Record<string, unknown>) : undefined;
}

/**
 * Whether a project covers a file, as TypeScript decides it: listed in `files`, or matched by an
 * `include` pattern (its own folder when neither is given) and by no `exclude` pattern.
 */
function covers(project: ProjectFiles, root: string, file: string): boolean {
  if (project.files?.patterns.some((entry) => joinPath(project.files!.dir, entry) === file)) return true;
  const include = project.include ?? (project.files ? undefined : { dir: root, patterns: ["**/*"] });
  if (!include?.patterns.some((pattern) => globMatch(joinPath(include.dir, pattern), file, false))) return false;
  return !project.exclude?.patterns.some((pattern) => globMatch(joinPath(project.exclude!.dir, pattern), file, true));
}

/**
 * A tsconfig pattern (absolute, with `*`, `?` and `**`) against a file. A last segment without a
 * wildcard or an extension is a folder: everything under it matches; `underFolder` makes any
 * pattern match the files under what it names (excludes).
 */
function globMatch(pattern: string, file: string, underFolder: boolean): boolean {
  const parts = pattern.split("/");
  const last = parts[parts.length - 1] ?? "";
  if (!/[*?]/.test(last) && !last.includes(".")) parts.push("**", "*");
  const names = file.split("/");
  const match = (p: number, n: number, steps: number): boolean => {
    if (steps > 10_000) return false;
    if (p === parts.length) return n === names.length || underFolder;
    const part = parts[p]!;
    if (part === "**") {
      for (let k = n; k <= names.length; k++) if (match(p + 1, k, steps + 1)) return true;
      return false;
    }
    return n < names.length && segmentMatch(part, names[n]!) && match(p + 1, n + 1, steps + 1);
  };
  return match(0, 0, 0);
}

/** One path segment against a pattern segment with `*` (any run) and `?` (any one character). */
function segmentMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const at = (p: number, n: number): boolean => {
    if (p === pattern.length) return n === name.length;
    const c = pattern[p];
    if (c === "*") {
      for (let k = n; k <= name.length; k++) if (at(p + 1, k)) return true;
      return false;
    }
    return n < name.length && (c === "?" || c === name[n]) && at(p + 1, n + 1);
  };
  return at(0, 0);
}

const SVELTE_CONFIGS = ["svelte.config.js", "svelte.config.ts", "svelte.config.mjs"];
const NUXT_CONFIGS = ["nuxt.config.ts", "nuxt.config.mts", "nuxt.config.js", "nuxt.config.mjs"];
/** A standalone Nitro app's config: the same aliases, written into `.nitro/types/tsconfig.json`. */
const NITRO_CONFIGS = ["nitro.config.ts", "nitro.config.mts", "nitro.config.js", "nitro.config.mjs"];
const APP_CONFIGS = [...NUXT_CONFIGS, ...NITRO_CONFIGS];

/**
 * Whether an import specifier names a package (`zod`, `@acme/db/client`, `node:fs`) rather than a
 * file of the project: a relative path, or an alias (`$lib/api`, `~/utils`, `@/lib/db`, `#imports`).
 * An alias the resolver cannot follow hides code of the project's own.
 */
export function isPackageSpecifier(specifier: string): boolean {
  if (specifier.includes(":")) return true;
  return /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(\/|$)/i.test(specifier);
}

/** `@acme/db/client` -> the package `@acme/db` and its subpath `client`. */
export function splitSpecifier(specifier: string): { packageName: string; subpath: string } {
  const parts = specifier.split("/");
  const scoped = specifier.startsWith("@");
  return { packageName: (scoped ? parts.slice(0, 2) : parts.slice(0, 1)).join("/"), subpath: parts.slice(scoped ? 2 : 1).join("/") };
}

function withJsonSubpath(subpath: string): string {
  return subpath.endsWith(".json") ? subpath : subpath + ".json";
}

/**
 * The npm/yarn/pnpm workspace roots above folders a run was asked about (`check` run inside
 * `packages/worker`): the nearest folder above each with `pnpm-workspace.yaml` or a package.json with
 * `workspaces`, when its patterns list a package that holds the folder. The Worker's sibling packages
 * live there; without it they would silently be taken for published libraries.
 */
export function workspaceRootsAbove(fs: FileSystem, dirs: readonly string[]): string[] {
  const roots: string[] = [];
  const resolver = new ModuleResolver(fs);
  for (const dir of dirs) {
    let current = dirname(normalizePath(dir));
    for (let i = 0; i < 32; i++) {
      if (workspacePatterns(fs, current)) {
        const packages = [...resolver.workspacePackages(current).values()];
        const member = packages.some((p) => dir === p || dir.startsWith(p.endsWith("/") ? p : p + "/"));
        if (member && !roots.includes(current)) roots.push(current);
        break;
      }
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  return roots;
}

/** Most workspace packages one analysis reads manifests of: a monorepo's own packages, never a whole disk. */
const MAX_WORKSPACE_PACKAGES = 2000;

/** The workspace patterns declared in a folder (`pnpm-workspace.yaml`, package.json `workspaces`), if any. */
function workspacePatterns(fs: FileSystem, dir: string): readonly string[] | undefined {
  const pnpm = fs.readFile(joinPath(dir, "pnpm-workspace.yaml"));
  if (pnpm !== undefined) {
    try {
      const document = parseYaml(pnpm) as { packages?: unknown } | null;
      const packages = document?.packages;
      return Array.isArray(packages) ? packages.filter((p): p is string => typeof p === "string") : [];
    } catch {
      return [];
    }
  }
  const field = readManifest(fs, dir)?.["workspaces"];
  const list = Array.isArray(field) ? field : field && typeof field === "object" ? (field as { packages?: unknown }).packages : undefined;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === "string") : undefined;
}

/** A path segment against a pattern with `*` wildcards (`*`, `app-*`, `*-worker`). */
function wildcardMatch(pattern: string, name: string): boolean {
  const parts = pattern.split("*");
  if (!name.startsWith(parts[0]!) || !name.endsWith(parts[parts.length - 1]!)) return false;
  let at = parts[0]!.length;
  for (const part of parts.slice(1, -1)) {
    const found = name.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return at <= name.length - parts[parts.length - 1]!.length;
}
