import ts from "typescript";
import { basename, dirname, joinPath } from "../fs";
import { MAX_MODULES, MAX_SOURCE_BYTES_PER_ANALYSIS, type AnalysisContext } from "./context";
import { astroSource, collectFacts, isAstroFile, isVueFile, vueSource, type ModuleFacts } from "./module";
import { ModuleResolver, isDeclarationFile, isSourceFile, resolveFile } from "./resolve";
import { planEntries, type EntryPlan } from "./project";
import { PrismaSchemas, readGeneratedPrismaImports, type PrismaSchema } from "./prismaSchema";

/** What a module imports, re-exports and loads, each specifier once. */
export function specifiersOf(facts: ModuleFacts): string[] {
  return [
    ...new Set([
      ...[...facts.imports.values()].map((i) => i.module),
      ...[...facts.exports.values()].flatMap((e) => (e.reexport ? [e.reexport.module] : [])),
      ...facts.starReexports,
      ...facts.dynamicImports,
    ]),
  ];
}

/** A module's specifiers and where they resolve (before paths are made canonical per analysis). */
export interface ModuleImports {
  readonly specifiers: readonly string[];
  readonly resolved: ReadonlyArray<string | undefined>;
}

/** Where a Worker's code starts, and the modules it loads (parsed once, kept in the cache). */
export class ModuleLoader {
  readonly resolver: ModuleResolver;
  readonly modules = new Map<string, ModuleFacts>();
  /** The files loaded, by tree: helpers holding only a node find their file's facts here. */
  readonly moduleBySourceFile = new Map<ts.SourceFile, ModuleFacts>();
  private readonly pathByRealPath = new Map<string, string>();
  /** Paths resolved to their canonical one already: every import of a file asks again. */
  private readonly canonicalByPath = new Map<string, string>();
  /** Prisma schemas of the project, read when an import under a generator's output is missing. */
  private prismaSchemas: PrismaSchemas | undefined;
  /** Source read so far, in characters, against the analysis budget. */
  private bytes = 0;
  /** Whether the budget ran out (said once among the unknowns). */
  exhausted = false;

  /** Where each loaded module's imports lead in this analysis (canonical paths), by specifier. */
  private readonly targetsByModule = new Map<ModuleFacts, Map<string, string | undefined>>();
  /** Where modules' imports resolve, shared by a run's analyses (see targetsOf). */
  private readonly sharedTargets: WeakMap<ModuleFacts, ModuleImports> | undefined;

  constructor(private readonly ctx: AnalysisContext) {
    const shared = ctx.cache.oneRun;
    this.resolver = shared?.resolvers.get(ctx.fs) ?? new ModuleResolver(ctx.fs);
    shared?.resolvers.set(ctx.fs, this.resolver);
    this.sharedTargets = shared?.targets.get(ctx.fs) ?? (shared ? new WeakMap() : undefined);
    if (shared && this.sharedTargets) shared.targets.set(ctx.fs, this.sharedTargets);
  }

  findEntries(): EntryPlan {
    return planEntries(this.ctx.input, {
      resolvePackage: (specifier) => this.resolvePackageEntry(specifier),
      listSources: (dir) => this.listSources(dir),
    });
  }

  private resolvePackageEntry(specifier: string): string | undefined {
    // `main = "@acme/worker"`: resolve like an import from the project folder (workspace or not).
    const fake = joinPath(this.ctx.input.projectRoot, "__entry__.ts");
    const resolved = this.resolver.resolve(specifier, fake);
    if (resolved) return resolved;
    let dir = this.ctx.input.projectRoot;
    for (let depth = 0; depth < 64; depth++) {
      const candidate = resolveFile(this.ctx.fs, joinPath(dir, "node_modules", specifier));
      if (candidate) return candidate;
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
    return undefined;
  }

  private listSources(dir: string): string[] {
    const result: string[] = [];
    const visited = new Set<string>();
    const pending = [dir];
    while (pending.length > 0 && result.length < MAX_MODULES) {
      const current = pending.pop()!;
      const real = this.ctx.fs.realPath(current);
      if (visited.has(real)) continue;
      visited.add(real);
      for (const name of this.ctx.fs.readDirectory(current) ?? []) {
        const path = joinPath(current, name);
        const kind = this.ctx.fs.stat(path);
        if (kind === "directory" && name !== "node_modules" && !name.startsWith(".")) pending.push(path);
        else if (kind === "file" && isSourceFile(path)) result.push(path);
      }
    }
    return result.sort();
  }

  /**
   * The path a file is known by in this analysis: the first path it was reached by. Symlinked
   * folders (`src/link -> .`) give one file many paths; it is loaded and reported once.
   */
  private canonical(path: string): string {
    const known = this.canonicalByPath.get(path);
    if (known !== undefined) return known;
    const canonical = this.canonicalOf(path);
    this.canonicalByPath.set(path, canonical);
    return canonical;
  }

  private canonicalOf(path: string): string {
    const real = this.ctx.fs.realPath(path);
    const known = this.pathByRealPath.get(real);
    if (known !== undefined) return known;
    this.pathByRealPath.set(real, path);
    return path;
  }

  private resolve(specifier: string, fromFile: string): string | undefined {
    const resolved = this.resolveAliased(specifier, fromFile);
    return resolved === undefined ? undefined : this.canonical(resolved);
  }

  /**
   * Wrangler's `alias` first (as its bundler applies it to every import of the Worker): a key
   * names the specifier itself and those under it (`key/sub`); the path it maps to is resolved as
   * a file or folder, a package name as a package. Then the ordinary resolution.
   */
  private resolveAliased(specifier: string, fromFile: string): string | undefined {
    const alias = this.aliasOf(specifier);
    if (!alias) return this.resolver.resolve(specifier, fromFile);
    const target = alias.target + specifier.slice(alias.key.length);
    return target.startsWith("/") ? resolveFile(this.ctx.fs, target) : this.resolver.resolve(target, fromFile);
  }

  /** The `alias` entry of the Worker's config that applies to a specifier (the longest key), if any. */
  aliasOf(specifier: string): { readonly key: string; readonly target: string } | undefined {
    const alias = this.ctx.input.alias;
    if (!alias) return undefined;
    let best: { key: string; target: string } | undefined;
    for (const [key, target] of Object.entries(alias))
      if ((specifier === key || specifier.startsWith(key + "/")) && (!best || key.length > best.key.length)) best = { key, target };
    return best;
  }

  /** Loads a module and, breadth first, everything it imports that resolves to source. */
  load(entry: string): void {
    const queue = [this.canonical(entry)];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (this.modules.has(path) || isDeclarationFile(path)) continue;
      if (this.modules.size >= MAX_MODULES || this.bytes >= MAX_SOURCE_BYTES_PER_ANALYSIS) {
        this.overBudget(path);
        break;
      }
      const facts = this.facts(path);
      if (!facts) continue;
      this.bytes += facts.text.length;
      this.modules.set(path, facts);
      this.moduleBySourceFile.set(facts.sourceFile, facts);
      if (facts.limit) {
        this.ctx.findings.push({
          code: "analysis-limit",
          file: path,
          span: { start: 0, end: 0 },
          message: `${basename(path)} was not analysed: ${facts.limit}.`,
          fixes: [],
        });
        this.ctx.unknowns.push(`${basename(path)} was not analysed (${facts.limit})`);
        continue;
      }
      this.syntaxErrors(facts);
      // `import { PrismaClient } from "../output/edge"` where the schema's generator writes `../output`.
      // (Once per file in a run over files that do not change: an earlier Worker's load of it, which
      // resolved its imports for all (see targetsOf), rewrote them already, and would find the same.)
      if (facts.path !== path || !this.sharedTargets?.has(facts)) {
        this.prismaSchemas ??= new PrismaSchemas(this.ctx.fs);
        readGeneratedPrismaImports(facts, this.prismaSchemas, (specifier) => this.resolver.resolve(specifier, path));
      }
      const targets = this.targetsOf(facts, path);
      this.ctx.kept?.loaded(facts, targets);
      for (const resolved of targets) if (resolved && !this.modules.has(resolved)) queue.push(resolved);
    }
  }

  /** Where the module's imports lead (canonical paths; undefined: not resolved), in the order of specifiersOf. */
  private targetsOf(facts: ModuleFacts, path: string): Array<string | undefined> {
    // A run over files that do not change resolves a module's imports once for all its Workers.
    // (A Worker whose config has an `alias` resolves some specifiers its own way: not shared.)
    const shared = facts.path === path && !this.ctx.input.alias ? this.sharedTargets : undefined;
    let imports = shared?.get(facts);
    if (!imports) {
      const specifiers = specifiersOf(facts);
      imports = { specifiers, resolved: specifiers.map((specifier) => this.resolveAliased(specifier, path)) };
      shared?.set(facts, imports);
    }
    const targets = imports.resolved.map((target) => (target === undefined ? undefined : this.canonical(target)));
    const bySpecifier = new Map<string, string | undefined>();
    imports.specifiers.forEach((specifier, i) => bySpecifier.set(specifier, targets[i]));
    this.targetsByModule.set(facts, bySpecifier);
    return targets;
  }

  /**
   * Drops the least recently used trees beyond the cache's capacity, but never this analysis'
   * own (used last): a Worker larger than the cache would be parsed in full at every keystroke.
   */
  trimCache(): void {
    const { modules, capacity } = this.ctx.cache;
    const keep = Math.max(capacity, this.modules.size);
    for (const path of modules.keys()) {
      if (modules.size <= keep) break;
      modules.delete(path);
    }
  }

  private facts(path: string): ModuleFacts | undefined {
    const raw = this.ctx.fs.readFile(path);
    if (raw === undefined) return undefined;
    // An Astro component: its frontmatter is the code (see astroSource); a Vue component: its script block (see vueSource).
    const text = isAstroFile(path) ? astroSource(raw) : isVueFile(path) ? vueSource(raw) : raw;
    const { modules, seen, capacity } = this.ctx.cache;
    const cached = modules.get(path);
    const facts = cached?.text === text ? cached : collectFacts(path, text, cached);
    // Kept already, or asked for a second time: keep it, most recently used last.
    if (cached || seen.delete(path) || this.ctx.cache.oneRun) {
      modules.delete(path);
      modules.set(path, facts);
    } else {
      // Paths only, and bounded too: a huge workspace must not grow this for ever.
      if (seen.size >= capacity * 25) seen.clear();
      seen.add(path);
    }
    return facts;
  }

  /**
   * A file that does not parse: the parser recovered, but what it made of the file may not be what
   * the file means (a stray Markdown fence before `export default`), so nothing it says (no handler,
   * no call) can be trusted. Said once per file, at the first error.
   */
  private syntaxErrors(facts: ModuleFacts): void {
    const errors = (facts.sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
    const error = errors[0];
    const fence = error ? undefined : markdownFence(facts.sourceFile);
    const start = error ? (error.start ?? 0) : fence?.start;
    if (start === undefined) return;
    const length = error ? (error.length ?? 0) : (fence?.length ?? 0);
    const { line, character } = facts.sourceFile.getLineAndCharacterOfPosition(start);
    const name = basename(facts.path);
    const at = `at line ${line + 1}, column ${character + 1}`;
    const said = error ? ts.flattenDiagnosticMessageText(error.messageText, " ").replace(/\.$/, "") : "";
    const what = error
      ? `a syntax error ${at} (${said})${errors.length > 1 ? `, and ${errors.length - 1} more` : ""}`
      : `a stray Markdown code fence ${at} (three backticks read as template literals turn the code after them into a string, and the module throws when it loads)`;
    this.ctx.findings.push({
      code: "source-syntax",
      file: facts.path,
      span: { start, end: start + length },
      message: `${name} has ${what}. What the file does cannot be read until it parses.`,
      fixes: [],
    });
    this.ctx.unknowns.push(
      `${name} has ${error ? `a syntax error ${at} (${said})` : `a stray Markdown code fence ${at}`}: what the file does cannot be read`,
    );
  }

  /** Past the budget, once: the rest of the code is not read, and the prediction says so. */
  private overBudget(path: string): void {
    if (this.exhausted) return;
    this.exhausted = true;
    this.ctx.unknowns.push(
      `the Worker's code is larger than one analysis reads (${MAX_MODULES} modules, ${MAX_SOURCE_BYTES_PER_ANALYSIS / 1024 / 1024} MB of source): ${basename(path)} and what it imports were not read`,
    );
  }

  /** The modules `from` imports that were loaded, without loading any: for reading an import graph already read. */
  loadedImports(from: ModuleFacts): ModuleFacts[] {
    const result: ModuleFacts[] = [];
    for (const target of this.targetsByModule.get(from)?.values() ?? []) {
      const module = target === undefined ? undefined : this.modules.get(target);
      if (module) result.push(module);
    }
    return result;
  }

  /** The Prisma schemas nearest a file (see PrismaSchemas.nearest). */
  prismaSchemasNear(path: string): readonly PrismaSchema[] {
    this.prismaSchemas ??= new PrismaSchemas(this.ctx.fs);
    return this.prismaSchemas.nearest(path);
  }

  moduleFor(specifier: string, from: ModuleFacts): ModuleFacts | undefined {
    // The walk asks at every use of an import: a loaded module's imports were resolved by load().
    const known = this.targetsByModule.get(from);
    const resolved = known?.has(specifier) ? known.get(specifier) : this.resolve(specifier, from.path);
    if (!resolved) return undefined;
    if (!this.modules.has(resolved)) {
      const before = this.modules.size;
      this.load(resolved);
      // Not in the closure of the function being walked: its summary must not be kept.
      if (this.modules.size !== before) this.ctx.walker.cutWalk();
    }
    return this.modules.get(resolved);
  }
}

/**
 * A Markdown code fence left in a file (a line of three backticks, then `js`): JavaScript reads it
 * as a template literal used as the tag of the next one, which parses, yet calls a string and
 * throws when the module loads, and swallows the code after it into a string. Only a top-level
 * statement is looked at: a tagged template whose tag is itself a template literal.
 */
function markdownFence(sourceFile: ts.SourceFile): { start: number; length: number } | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    let expression: ts.Expression = statement.expression;
    while (ts.isTaggedTemplateExpression(expression) && ts.isTaggedTemplateExpression(expression.tag)) expression = expression.tag;
    if (ts.isTaggedTemplateExpression(expression) && ts.isNoSubstitutionTemplateLiteral(expression.tag)) {
      const start = expression.tag.getStart(sourceFile);
      return { start, length: expression.tag.end - start };
    }
  }
  return undefined;
}
