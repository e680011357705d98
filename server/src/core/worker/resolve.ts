import ts from "typescript";
import { dirname, joinPath, type FileSystem } from "../fs";

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** Generated declarations (worker-configuration.d.ts, *.d.ts) are types, never code. */
export function isDeclarationFile(path: string): boolean {
  return /\.d\.[cm]?ts$/.test(path);
}

export function isSourceFile(path: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext)) && !isDeclarationFile(path);
}

/** `path` itself, with a source extension, or its index file. */
export function resolveFile(fs: FileSystem, path: string): string | undefined {
  if (isSourceFile(path) && fs.stat(path) === "file") return path;
  // `./util.js` written in TypeScript sources means `./util.ts`.
  const withoutJs = path.replace(/\.(c|m)?jsx?$/, "");
  for (const base of withoutJs !== path ? [withoutJs, path] : [path]) {
    for (const ext of SOURCE_EXTENSIONS) if (fs.stat(base + ext) === "file") return base + ext;
  }
  if (fs.stat(path) === "directory") {
    const fromManifest = packageEntry(fs, path);
    if (fromManifest) return fromManifest;
    for (const ext of SOURCE_EXTENSIONS) if (fs.stat(joinPath(path, "index" + ext)) === "file") return joinPath(path, "index" + ext);
  }
  return undefined;
}

/** The source entry of a package folder: exports["."], module, main, then source-ish fallbacks. */
function packageEntry(fs: FileSystem, dir: string): string | undefined {
  const text = fs.readFile(joinPath(dir, "package.json"));
  if (!text) return undefined;
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  const exportsField = manifest["exports"];
  const pick = (value: unknown): void => {
    if (typeof value === "string") candidates.push(value);
    else if (value && typeof value === "object" && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      for (const condition of ["workerd", "worker", "import", "module", "default", "require", "types"]) {
        if (condition in record) pick(record[condition]);
      }
    }
  };
  if (exportsField && typeof exportsField === "object" && !Array.isArray(exportsField) && "." in exportsField)
    pick((exportsField as Record<string, unknown>)["."]);
  else pick(exportsField);
  for (const field of ["source", "module", "main"]) if (typeof manifest[field] === "string") candidates.push(manifest[field] as string);
  for (const candidate of candidates) {
    const resolved = resolveFile(fs, joinPath(dir, candidate));
    if (resolved) return resolved;
  }
  return undefined;
}

interface PathMapping {
  readonly baseUrl: string;
  readonly paths: Readonly<Record<string, readonly string[]>>;
}

/**
 * Resolves import specifiers the way a Worker's bundler would: relative paths, tsconfig `paths`
 * (nearest tsconfig.json), and packages under node_modules. Third-party packages resolve to
 * undefined (they are recognised by name instead); workspace packages (symlinked or outside any
 * node_modules once their real path is known) resolve to their source.
 */
export class ModuleResolver {
  private readonly tsconfigs = new Map<string, PathMapping | undefined>();
  private readonly resolved = new Map<string, string | undefined>();

  constructor(private readonly fs: FileSystem) {}

  /** Memoised per directory and specifier: resolution touches the disk many times. */
  resolve(specifier: string, fromFile: string): string | undefined {
    const key = `${dirname(fromFile)}\u0000${specifier}`;
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
    return this.resolvePackage(specifier, fromFile);
  }

  private resolvePackage(specifier: string, fromFile: string): string | undefined {
    const parts = specifier.split("/");
    const packageName = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
    const subpath = parts.slice(specifier.startsWith("@") ? 2 : 1).join("/");
    let dir = dirname(fromFile);
    for (let depth = 0; depth < 64; depth++) {
      const candidate = joinPath(dir, "node_modules", packageName);
      if (this.fs.stat(candidate) === "directory") {
        const real = this.fs.realPath(candidate);
        // Only workspace packages are analysed: a symlink out of node_modules, or a package that
        // ships TypeScript sources. Published libraries are recognised by name instead.
        const isWorkspace = real !== candidate && !real.includes("/node_modules/");
        if (!isWorkspace) return undefined;
        return resolveFile(this.fs, subpath ? joinPath(real, subpath) : real);
      }
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
    return undefined;
  }

  private resolveThroughPaths(specifier: string, fromFile: string): string | undefined {
    const mapping = this.mappingFor(dirname(fromFile));
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
    return undefined;
  }

  /** `compilerOptions.paths` of the nearest tsconfig.json (following a relative `extends` chain). */
  private mappingFor(dir: string): PathMapping | undefined {
    if (this.tsconfigs.has(dir)) return this.tsconfigs.get(dir);
    let result: PathMapping | undefined;
    const file = joinPath(dir, "tsconfig.json");
    if (this.fs.stat(file) === "file") result = this.readMapping(file, 0);
    else {
      const parent = dirname(dir);
      result = parent !== dir ? this.mappingFor(parent) : undefined;
    }
    this.tsconfigs.set(dir, result);
    return result;
  }

  private readMapping(file: string, depth: number): PathMapping | undefined {
    if (depth > 8) return undefined;
    const text = this.fs.readFile(file);
    if (text === undefined) return undefined;
    const { config } = ts.parseConfigFileTextToJson(file, text) as { config?: Record<string, unknown> };
    if (!config) return undefined;
    const options = (config["compilerOptions"] ?? {}) as Record<string, unknown>;
    const paths = options["paths"];
    if (paths && typeof paths === "object") {
      const baseUrl = typeof options["baseUrl"] === "string" ? joinPath(dirname(file), options["baseUrl"]) : dirname(file);
      return { baseUrl, paths: paths as Record<string, string[]> };
    }
    const extendsField = config["extends"];
    if (typeof extendsField === "string" && extendsField.startsWith(".")) {
      const parentFile = joinPath(dirname(file), extendsField.endsWith(".json") ? extendsField : extendsField + ".json");
      return this.readMapping(parentFile, depth + 1);
    }
    return undefined;
  }
}
