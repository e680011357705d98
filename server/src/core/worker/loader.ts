import ts from "typescript";
import { basename, dirname, joinPath } from "../fs";
import { MAX_MODULES, MAX_SOURCE_BYTES_PER_ANALYSIS, type AnalysisContext } from "./context";
import { astroSource, collectFacts, isAstroFile, type ModuleFacts } from "./module";
import { ModuleResolver, isDeclarationFile, isSourceFile, resolveFile } from "./resolve";
import { planEntries, type EntryPlan } from "./project";

/** Where a Worker's code starts, and the modules it loads (parsed once, kept in the cache). */
export class ModuleLoader {
  readonly resolver: ModuleResolver;
  readonly modules = new Map<string, ModuleFacts>();
  /** The files loaded, by tree: helpers holding only a node find their file's facts here. */
  readonly moduleBySourceFile = new Map<ts.SourceFile, ModuleFacts>();
  private readonly pathByRealPath = new Map<string, string>();
  /** Paths resolved to their canonical one already: every import of a file asks again. */
  private readonly canonicalByPath = new Map<string, string>();
  /** Source read so far, in characters, against the analysis budget. */
  private bytes = 0;
  /** Whether the budget ran out (said once among the unknowns). */
  exhausted = false;

  constructor(private readonly ctx: AnalysisContext) {
    const shared = ctx.cache.oneRun?.resolvers;
    this.resolver = shared?.get(ctx.fs) ?? new ModuleResolver(ctx.fs);
    shared?.set(ctx.fs, this.resolver);
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
    const resolved = this.resolver.resolve(specifier, fromFile);
    return resolved === undefined ? undefined : this.canonical(resolved);
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
      const specifiers = [
        ...new Set([
          ...[...facts.imports.values()].map((i) => i.module),
          ...[...facts.exports.values()].flatMap((e) => (e.reexport ? [e.reexport.module] : [])),
          ...facts.starReexports,
          ...facts.dynamicImports,
        ]),
      ];
      const targets = specifiers.map((specifier) => this.resolve(specifier, path));
      this.ctx.kept?.loaded(facts, targets);
      for (const resolved of targets) if (resolved && !this.modules.has(resolved)) queue.push(resolved);
    }
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
    // An Astro component: its frontmatter is the code (see astroSource).
    const text = isAstroFile(path) ? astroSource(raw) : raw;
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

  /** Past the budget, once: the rest of the code is not read, and the prediction says so. */
  private overBudget(path: string): void {
    if (this.exhausted) return;
    this.exhausted = true;
    this.ctx.unknowns.push(
      `the Worker's code is larger than one analysis reads (${MAX_MODULES} modules, ${MAX_SOURCE_BYTES_PER_ANALYSIS / 1024 / 1024} MB of source): ${basename(path)} and what it imports were not read`,
    );
  }

  moduleFor(specifier: string, from: ModuleFacts): ModuleFacts | undefined {
    const resolved = this.resolve(specifier, from.path);
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
