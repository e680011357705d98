import ts from "typescript";
import type { AnalysisContext } from "./context";
import { specifiersOf } from "./loader";
import { isUseClientModule } from "./handlers/nextActions";
import { nearestManifest } from "./handlers/frameworks";
import { dirname, type FileSystem } from "../fs";
import type { ModuleFacts } from "./module";
import { isBareSpecifier, isDataSpecifier } from "./syntax";

const { isExportDeclaration, isImportDeclaration, isNamedExports, isNamedImports, isStringLiteral } = ts;

/** How many rounds of newly loaded modules the import graph is read for (a module's imports may load more). */
const MAX_ROUNDS = 4;

/** Where a module's code can run, when no module that runs on the server imports it for its code. */
export type OffServer =
  /** Only type imports lead to it (`import type { AppType } from "@acme/api"`): TypeScript erases them, no code of it is bundled. */
  | "types"
  /** Only client components ("use client") lead to it: its code runs in the browser, and on the server only while one renders. */
  | "client";

export interface ServerReachOptions {
  /** The modules the Worker or its framework loads first (its entry, the route files). */
  readonly entries: readonly string[];
  /** Whether "use client" marks where code leaves the server (React Server Components: Next.js' app router). */
  readonly clientBoundary: boolean;
}

/**
 * Which modules' code the Worker runs outside a client component, read from the import graph: from
 * the entries (and modules nothing imports: a framework loads them) along the imports that load
 * code, not into a "use client" module. A module reached otherwise is only a type (or, in an app with
 * server components, only code of the browser bundle); calls there are no lost wiring of the Worker.
 */
export class ServerReach {
  private reach:
    | {
        readonly runtime: ReadonlySet<ModuleFacts>;
        readonly server: ReadonlySet<ModuleFacts>;
        readonly unread: { readonly server: boolean; readonly browser: boolean };
      }
    | undefined;

  constructor(
    private readonly ctx: AnalysisContext,
    private readonly options: ServerReachOptions,
  ) {}

  /** Why no code the server runs for a request leads to `module`; undefined when some may. */
  offServer(module: ModuleFacts): OffServer | undefined {
    const { runtime, server, unread } = (this.reach ??= this.compute());
    if (server.has(module)) return undefined;
    // Server code that imports a module of the project the analyser could not read may import this one.
    if (unread.server) return undefined;
    // Nitro's server utilities are used without an import: no graph tells who calls them.
    if (this.ctx.walker.nitro.serverDirOf(module) !== undefined) return undefined;
    // Only code of the browser bundle could have imported it so (the imports it could not read are there).
    if (!runtime.has(module)) return unread.browser && this.options.clientBoundary ? "client" : "types";
    return this.options.clientBoundary ? "client" : undefined;
  }

  /** Whether a module starts with the "use client" directive. */
  isClientModule(module: ModuleFacts): boolean {
    return isUseClientModule(module);
  }

  private compute(): { runtime: Set<ModuleFacts>; server: Set<ModuleFacts>; unread: { server: boolean; browser: boolean } } {
    const { loader } = this.ctx;
    const codeEdges = new Map<ModuleFacts, ModuleFacts[]>();
    const imported = new Set<ModuleFacts>();
    /** Modules with an import of the project's own code that did not resolve. */
    const unread = new Set<ModuleFacts>();
    // Resolving an import may load a module no walk asked for: its own imports are read in the next round.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const pending = [...loader.modules.values()].filter((m) => !codeEdges.has(m));
      if (pending.length === 0) break;
      for (const importer of pending) {
        const typesOnly = typeOnlySpecifiers(importer);
        const targets: ModuleFacts[] = [];
        for (const specifier of specifiersOf(importer)) {
          const target = loader.moduleFor(specifier, importer);
          if (!target && mayBeUnreadCode(specifier, typesOnly, dependenciesNear(this.ctx.fs, importer.path))) unread.add(importer);
          if (!target || target === importer) continue;
          imported.add(target);
          if (!typesOnly.has(specifier)) targets.push(target);
        }
        codeEdges.set(importer, targets);
      }
    }
    const roots = [...loader.modules.values()].filter((m) => !imported.has(m));
    for (const path of this.options.entries) {
      const entry = loader.modules.get(path);
      if (entry) roots.push(entry);
    }
    const follow = (start: readonly ModuleFacts[], enters: (m: ModuleFacts) => boolean): Set<ModuleFacts> => {
      const seen = new Set<ModuleFacts>();
      const queue = start.filter(enters);
      for (const m of queue) seen.add(m);
      for (let i = 0; i < queue.length; i++)
        for (const target of codeEdges.get(queue[i]!) ?? [])
          if (!seen.has(target) && enters(target)) {
            seen.add(target);
            queue.push(target);
          }
      return seen;
    };
    const runtime = follow(roots, () => true);
    const server = this.options.clientBoundary ? follow(roots, (m) => !this.isClientModule(m)) : runtime;
    const anyUnread = (modules: ReadonlySet<ModuleFacts>): boolean => [...modules].some((m) => unread.has(m));
    return { runtime, server, unread: { server: anyUnread(server), browser: anyUnread(runtime) } };
  }
}

/**
 * The specifiers a module imports (or re-exports) only types from: `import type`, `export type { } from`,
 * or every name marked `type`. Any import of a value from it elsewhere in the module makes it code.
 */
export function typeOnlySpecifiers(module: ModuleFacts): Set<string> {
  const types = new Set<string>();
  const values = new Set<string>();
  for (const statement of module.sourceFile.statements) {
    if (isImportDeclaration(statement) && isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            named !== undefined &&
            isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      (onlyTypes ? types : values).add(statement.moduleSpecifier.text);
    } else if (isExportDeclaration(statement) && statement.moduleSpecifier && isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.exportClause;
      const onlyTypes =
        statement.isTypeOnly ||
        (clause !== undefined && isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      (onlyTypes ? types : values).add(statement.moduleSpecifier.text);
    }
  }
  for (const specifier of values) types.delete(specifier);
  return types;
}

/**
 * An import that did not resolve and may be code of the project's that refers to anything: not one
 * only of types (`import type { Route } from "./+types/root"`, React Router's generated types), a
 * stylesheet or an asset.
 */
export function mayBeUnreadCode(specifier: string, typesOnly: ReadonlySet<string>, dependencies?: ReadonlySet<string>): boolean {
  if (!isProjectSpecifier(specifier) || typesOnly.has(specifier) || specifier.includes("/+types/")) return false;
  // `@modelcontextprotocol/sdk/server/mcp.js`: a file of a package the project depends on, not the project's own code.
  const name = packageNameOf(specifier);
  if (name !== undefined && dependencies?.has(name)) return false;
  const last = specifier.split("/").pop() ?? "";
  const dot = last.lastIndexOf(".");
  return dot <= 0 || /^\.(?:[cm]?[jt]sx?)$/.test(last.slice(dot));
}

/** The package a bare specifier names (`@scope/name` or `name`, before any subpath); undefined for a relative or absolute one. */
function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return undefined;
  const parts = specifier.split("/");
  if (specifier.startsWith("@")) return parts.length >= 2 && parts[0]!.length > 1 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] || undefined;
}

/**
 * The published packages the nearest package.json of a module lists (dependencies of any kind). Not
 * the repository's own packages (`"workspace:*"`, `"file:../db"`): their files are project code.
 */
export function dependenciesNear(fs: FileSystem, modulePath: string): ReadonlySet<string> | undefined {
  const manifest = nearestManifest(fs, dirname(modulePath));
  if (!manifest) return undefined;
  if (manifest.localDependencies.size === 0) return manifest.dependencies;
  return new Set([...manifest.dependencies].filter((name) => !manifest.localDependencies.has(name)));
}

/** A specifier of the project's own code: relative, absolute, or a common path alias (`@/`, `~/`, `#`). */
function isProjectSpecifier(specifier: string): boolean {
  // `import animals from "./data/animals.json"`, a stylesheet, a wasm module: data, which imports nothing.
  if (isDataSpecifier(specifier)) return false;
  return !isBareSpecifier(specifier) || specifier.startsWith("@/") || specifier.startsWith("~/") || specifier.startsWith("#");
}
