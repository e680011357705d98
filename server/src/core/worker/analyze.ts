import ts from "typescript";
import type { Finding } from "../findings";
import { basename, dirname, joinPath, normalizePath, relativePath, type FileSystem } from "../fs";
import { LineIndex } from "../text";
import { classifyHost } from "./hosts";
import { collectFacts, unwrapExpression, type ModuleFacts } from "./module";
import { ModuleResolver, isDeclarationFile, isSourceFile, resolveFile } from "./resolve";
import { lookupDeclaration } from "./scopes";
import { DRIZZLE_MODULE_PREFIX, opaqueLibrary, sdkFor } from "./sdks";
import {
  branch,
  concat,
  EMPTY,
  FALL_EMPTY,
  parallel,
  prefix,
  repeated,
  seqOf,
  sequence,
  stepOf,
  total,
  worst,
  type Outcome,
  type Seq,
} from "./flow";
import { KeptSummaries, type ClassifiedSubrequest, type KeptSummary, type SummaryEvent, type SummaryStats } from "./summaries";
import { waitUntilFix } from "./waitUntilFix";
import type {
  BindingNames,
  Handler,
  HandlerKind,
  Subrequest,
  SubrequestCategory,
  SubrequestKind,
  WorkerAnalysis,
  WorkerAnalysisInput,
} from "./types";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  forEachChild,
  getModifiers,
  isArrayLiteralExpression,
  isArrowFunction,
  isAsExpression,
  isAwaitExpression,
  isBinaryExpression,
  isBindingElement,
  isBlock,
  isCallExpression,
  isClassExpression,
  isClassLike,
  isConditionalExpression,
  isConstructorDeclaration,
  isDefaultClause,
  isDoStatement,
  isElementAccessExpression,
  isExpression,
  isExpressionStatement,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isIfStatement,
  isLabeledStatement,
  isMethodDeclaration,
  isNewExpression,
  isNonNullExpression,
  isNumericLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isReturnStatement,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteral,
  isStringLiteralLike,
  isSwitchStatement,
  isTaggedTemplateExpression,
  isTemplateExpression,
  isTemplateSpan,
  isThrowStatement,
  isTryStatement,
  isVariableDeclaration,
  isVariableDeclarationList,
  isVariableStatement,
  isWhileStatement,
  NodeFlags,
  SyntaxKind,
} = ts;

/**
 * Parsed files and their facts, reused across analyses while a file's text is unchanged.
 *
 * A file's tree is kept only from the second time an analysis asks for it: the file an editor is
 * changing, the modules of the Worker being edited, a package shared by several Workers. A tree
 * used once (most files of a workspace scan or a CLI run) is dropped with its analysis. Keeping
 * it would be worse than reparsing: every kept tree survives into V8's old generation, and a
 * scan that kept them all took twice as long and twice the memory.
 */
export interface AnalysisCache {
  /** Least recently used first (a Map keeps insertion order; a hit moves the entry to the end). */
  readonly modules: Map<string, ModuleFacts>;
  /** Files asked for once, not kept yet. */
  readonly seen: Set<string>;
  /** How many trees to keep (more while one Worker needs more): each is the bulk of its file's memory. */
  readonly capacity: number;
  /** Keep function summaries of kept modules for later analyses (see summaries.ts). */
  readonly keepSummaries: boolean;
  /** How many summaries were kept and replayed, for tests and the benchmark. */
  readonly summaryStats: SummaryStats;
}

export function createAnalysisCache(capacity = 400, options: { keepSummaries?: boolean } = {}): AnalysisCache {
  return {
    modules: new Map(),
    seen: new Set(),
    capacity,
    keepSummaries: options.keepSummaries ?? true,
    summaryStats: { kept: 0, replayed: 0 },
  };
}

/** Limits that keep one analysis bounded whatever the workspace holds. */
const MAX_MODULES = 3000;
const MAX_CALL_DEPTH = 40;
/** How far a value is followed through variables (`const b = a`): `const a = a` must end. */
const MAX_VALUE_DEPTH = 12;

/** A fetch handler's function and how to reach its bindings and context. */
interface HandlerSite {
  readonly kind: HandlerKind;
  readonly form: string;
  readonly module: ModuleFacts;
  readonly span: { start: number; end: number };
  /** The function bodies run for this handler, in order (middleware, then the route's handlers). */
  readonly functions: ReadonlyArray<{ fn: ts.FunctionLikeDeclaration; module: ModuleFacts }>;
  readonly route?: string;
  /** Why its round trips cannot be seen, when they cannot. */
  readonly opaque?: string;
}

const HANDLER_NAMES: Readonly<Record<string, HandlerKind>> = {
  fetch: "fetch",
  scheduled: "scheduled",
  queue: "queue",
  email: "email",
  tail: "tail",
  trace: "trace",
};
const ROUTER_MODULES = ["hono", "hono/tiny", "hono/quick", "itty-router", "elysia", "@hono/zod-openapi", "chanfana"];
const ROUTER_CLASSES = new Set(["Hono", "OpenAPIHono", "Router", "AutoRouter", "IttyRouter", "Elysia"]);
const ROUTE_METHODS = new Set(["get", "post", "put", "delete", "patch", "head", "options", "all"]);
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
const BUILD_OUTPUT_DIRS = [
  ".open-next",
  ".svelte-kit",
  ".output",
  ".vercel",
  ".wrangler",
  ".next",
  "dist",
  "build",
  "out",
  ".nuxt",
  ".astro",
];
const KV_METHODS = new Set(["get", "getWithMetadata", "put", "delete", "list"]);
const R2_METHODS = new Set(["get", "put", "head", "list", "delete", "createMultipartUpload", "resumeMultipartUpload"]);
const D1_TERMINALS = new Set(["first", "all", "run", "raw"]);
const PROMISE_COMBINATORS = new Set(["all", "allSettled", "race", "any"]);

type SubrequestRecord = { -readonly [K in keyof Subrequest]: Subrequest[K] };
type MakeSubrequest = (kind: SubrequestKind, target: string | null, category: SubrequestCategory, note: string) => ClassifiedSubrequest;

/** A function's outcome, and whether recursion or the depth limit cut it short. */
interface FunctionOutcome {
  readonly outcome: Outcome;
  readonly cut: boolean;
}

const CUT_SHORT: FunctionOutcome = { outcome: FALL_EMPTY, cut: true };

/** A value that makes subrequests when called on: an SDK or Drizzle client, a D1 session, a DO stub. */
interface ClientKind {
  readonly kind: SubrequestKind;
  readonly target: string | null;
  readonly category: SubrequestCategory;
  readonly note: string;
}

export function analyzeWorker(input: WorkerAnalysisInput, cache: AnalysisCache = createAnalysisCache()): WorkerAnalysis {
  const analysis = new Analysis(input, cache);
  loadedModules = analysis.moduleBySourceFile;
  try {
    return analysis.run();
  } finally {
    loadedModules = new Map();
    analysis.trimCache();
  }
}

class Analysis {
  private readonly fs: FileSystem;
  private readonly resolver: ModuleResolver;
  private readonly modules = new Map<string, ModuleFacts>();
  /** The files loaded, by tree: helpers holding only a node find their file's facts here. */
  readonly moduleBySourceFile = new Map<ts.SourceFile, ModuleFacts>();
  private readonly subrequests = new Map<ts.Node, SubrequestRecord>();
  /** The call each record was made for: kept summaries name subrequests by their calls. */
  private readonly callOfRecord = new Map<Subrequest, ts.Node>();
  private readonly unknowns: string[] = [];
  private readonly findings: Finding[] = [];
  /** The first outcome had for each function, in any marking: what a walk that marks nothing uses. */
  private readonly summaries = new Map<ts.Node, FunctionOutcome>();
  /**
   * Functions walked while marking the response path / waitUntil work, with the outcome that
   * walk had: a second call in the same marking gets exactly what the first got.
   */
  private readonly walked = new Map<"critical" | "waitUntil", Map<ts.Node, FunctionOutcome>>([
    ["critical", new Map()],
    ["waitUntil", new Map()],
  ]);
  /** Calls already classified by the walk from a handler: the final sweep skips them. */
  private readonly classified = new Set<ts.Node>();
  /** Client kinds by declaration: most calls are on plain values, asked about again and again. */
  private readonly clients = new Map<ts.Node, ClientKind | null>();
  private readonly inProgress = new Set<ts.Node>();
  /** Summaries kept by earlier analyses; undefined when off. */
  private kept: KeptSummaries | undefined;
  /** The effects of the walk in progress, when it is to be kept (see summaries.ts). */
  private recorder: SummaryEvent[] | null = null;
  /** How many waitUntil calls deep the walk in progress is, within its own function. */
  private deferredLevel = 0;
  /** Whether the walk in progress met recursion or the depth limit. */
  private walkCut = false;
  private readonly bindingKinds = new Map<string, keyof BindingNames>();
  private servesAssets = false;
  /** While a fetch handler is analysed: marks what it reaches as on the response path. */
  private marking: "critical" | "waitUntil" | "none" = "none";
  private currentHandler: HandlerSite | undefined;

  constructor(
    private readonly input: WorkerAnalysisInput,
    private readonly cache: AnalysisCache,
  ) {
    this.fs = input.fs;
    this.resolver = new ModuleResolver(input.fs);
    if (cache.keepSummaries) {
      const { projectRoot, vars, bindings, hostCategories } = input;
      const key = JSON.stringify([projectRoot, vars, bindings, hostCategories ?? null]);
      this.kept = new KeptSummaries(key, this.modules, cache.summaryStats);
    }
    for (const [kind, names] of Object.entries(input.bindings) as Array<[keyof BindingNames, readonly string[]]>) {
      for (const name of names) this.bindingKinds.set(name, kind);
    }
  }

  run(): WorkerAnalysis {
    const { entries, problem, pages } = this.findEntries();
    if (problem) return this.result(null, problem, [], null, []);
    for (const entry of entries) this.load(entry);
    // Past the module limit, closures are cut off where the limit fell: no summaries then.
    if (this.modules.size >= MAX_MODULES) this.kept = undefined;
    const sites = pages ? this.pagesHandlers(entries) : this.handlersOf(this.modules.get(entries[0]!)!);
    const handlers: Handler[] = [];
    let worstSeq: Seq | null = null;
    for (const site of sites) {
      if (site.kind !== "fetch") {
        handlers.push({
          kind: site.kind,
          file: site.module.path,
          span: site.span,
          form: site.form,
          ...(site.route ? { route: site.route } : {}),
        });
        continue;
      }
      const seq = this.analyseFetchHandler(site);
      handlers.push({
        kind: "fetch",
        file: site.module.path,
        span: site.span,
        form: site.form,
        roundTrips: seq.backend,
        ...(site.route ? { route: site.route } : {}),
      });
      worstSeq = worstSeq ? worst(worstSeq, seq) : seq;
    }
    // Other handlers' code is walked too, so their subrequests are listed (off the fetch path).
    for (const site of sites) if (site.kind !== "fetch") for (const { fn, module } of site.functions) this.functionOutcome(fn, module, 0);
    if (this.input.listUnreached !== false) this.sweepUnreached();
    this.kept?.prune();
    if (worstSeq) {
      // Steps hold the records themselves: number the back-end round trips of the worst path.
      let index = 0;
      for (const step of worstSeq.steps) {
        if (step.backend === 0) continue;
        index++;
        for (const subrequest of step.subrequests) (subrequest as SubrequestRecord).roundTripIndex ??= index;
      }
    }
    return this.result(entries[0] ?? null, null, handlers, worstSeq, entries);
  }

  private result(
    entry: string | null,
    problem: string | null,
    handlers: Handler[],
    seq: Seq | null,
    entries: readonly string[],
  ): WorkerAnalysis {
    const hasFetch = handlers.some((h) => h.kind === "fetch");
    const backends = seq
      ? [...hostTotals(seq)]
          .map(([host, roundTrips]) => ({ host, roundTrips }))
          .sort((a, b) => b.roundTrips - a.roundTrips || a.host.localeCompare(b.host))
      : [];
    const subrequests = [...this.subrequests.values()].sort((a, b) =>
      a.file === b.file ? a.span.start - b.span.start : a.file.localeCompare(b.file),
    );
    return {
      entry,
      entryProblem: problem ? { message: problem } : null,
      handlers,
      subrequests,
      roundTrips: hasFetch && seq ? seq.backend : hasFetch ? 0 : null,
      possibleRoundTrips: hasFetch && seq ? seq.possible : hasFetch ? 0 : null,
      backends,
      unknowns: [...new Set(this.unknowns)],
      servesAssetsBinding: this.servesAssets,
      pagesCatchAllMiddleware: entries.some((e) => e === joinPath(this.input.projectRoot, "functions") + "/_middleware" + extensionOf(e)),
      findings: this.findings,
      files: [...this.modules.keys()],
      criticalSteps: seq ? seq.steps : [],
    };
  }

  // ---- entries and modules ----

  private findEntries(): { entries: string[]; problem: string | null; pages: boolean } {
    const root = this.input.projectRoot;
    const main = this.input.main;
    if (main) {
      const path = joinPath(root, main);
      const resolved = resolveFile(this.fs, path);
      const viaPackage = resolved ?? (isPackageSpecifier(main) ? this.resolvePackageEntry(main) : undefined);
      if (viaPackage) return { entries: [viaPackage], problem: null, pages: false };
      const firstSegment = normalizePath(main)
        .split("/")
        .find((s) => s !== "." && s !== "");
      if (firstSegment && BUILD_OUTPUT_DIRS.includes(firstSegment)) {
        return {
          entries: [],
          problem: `main "${main}" is build output that does not exist yet: build the project first, then the prediction can be made from its code.`,
          pages: false,
        };
      }
      return {
        entries: [],
        problem: `main "${main}" was not found (looked for ${relativePath(root, path)} with .ts/.js/.mjs/.cjs extensions and index files).`,
        pages: false,
      };
    }
    if (this.input.pagesBuildOutputDir !== null) {
      const functionsDir = joinPath(root, "functions");
      const files = this.fs.stat(functionsDir) === "directory" ? this.listSources(functionsDir) : [];
      if (files.length > 0) return { entries: files, problem: null, pages: true };
      const advanced = resolveFile(this.fs, joinPath(root, this.input.pagesBuildOutputDir, "_worker.js"));
      if (advanced) return { entries: [advanced], problem: null, pages: false };
      return { entries: [], problem: null, pages: true };
    }
    if (this.input.bindings.assets.length > 0) return { entries: [], problem: null, pages: true };
    return {
      entries: [],
      problem: 'The config has no "main" (and no pages_build_output_dir): the Worker\'s entry is unknown.',
      pages: false,
    };
  }

  private resolvePackageEntry(specifier: string): string | undefined {
    // `main = "@acme/worker"`: resolve like an import from the project folder (workspace or not).
    const fake = joinPath(this.input.projectRoot, "__entry__.ts");
    const resolved = this.resolver.resolve(specifier, fake);
    if (resolved) return resolved;
    let dir = this.input.projectRoot;
    for (let depth = 0; depth < 64; depth++) {
      const candidate = resolveFile(this.fs, joinPath(dir, "node_modules", specifier));
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
      const real = this.fs.realPath(current);
      if (visited.has(real)) continue;
      visited.add(real);
      for (const name of this.fs.readDirectory(current) ?? []) {
        const path = joinPath(current, name);
        const kind = this.fs.stat(path);
        if (kind === "directory" && name !== "node_modules" && !name.startsWith(".")) pending.push(path);
        else if (kind === "file" && isSourceFile(path)) result.push(path);
      }
    }
    return result.sort();
  }

  /** Loads a module and, breadth first, everything it imports that resolves to source. */
  private load(entry: string): void {
    const queue = [entry];
    while (queue.length > 0 && this.modules.size < MAX_MODULES) {
      const path = queue.shift()!;
      if (this.modules.has(path) || isDeclarationFile(path)) continue;
      const facts = this.facts(path);
      if (!facts) continue;
      this.modules.set(path, facts);
      this.moduleBySourceFile.set(facts.sourceFile, facts);
      if (facts.limit) {
        this.findings.push({
          code: "analysis-limit",
          file: path,
          span: { start: 0, end: 0 },
          message: `${basename(path)} was not analysed: ${facts.limit}.`,
          fixes: [],
        });
        this.unknowns.push(`${basename(path)} was not analysed (${facts.limit})`);
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
      const targets = specifiers.map((specifier) => this.resolver.resolve(specifier, path));
      this.kept?.loaded(facts, targets);
      for (const resolved of targets) if (resolved && !this.modules.has(resolved)) queue.push(resolved);
    }
  }

  /**
   * Drops the least recently used trees beyond the cache's capacity, but never this analysis'
   * own (used last): a Worker larger than the cache would be parsed in full at every keystroke.
   */
  trimCache(): void {
    const { modules, capacity } = this.cache;
    const keep = Math.max(capacity, this.modules.size);
    for (const path of modules.keys()) {
      if (modules.size <= keep) break;
      modules.delete(path);
    }
  }

  private facts(path: string): ModuleFacts | undefined {
    const text = this.fs.readFile(path);
    if (text === undefined) return undefined;
    const { modules, seen, capacity } = this.cache;
    const cached = modules.get(path);
    const facts = cached?.text === text ? cached : collectFacts(path, text, cached);
    // Kept already, or asked for a second time: keep it, most recently used last.
    if (cached || seen.delete(path)) {
      modules.delete(path);
      modules.set(path, facts);
    } else {
      // Paths only, and bounded too: a huge workspace must not grow this for ever.
      if (seen.size >= capacity * 25) seen.clear();
      seen.add(path);
    }
    return facts;
  }

  private moduleFor(specifier: string, from: ModuleFacts): ModuleFacts | undefined {
    const resolved = this.resolver.resolve(specifier, from.path);
    if (!resolved) return undefined;
    if (!this.modules.has(resolved)) {
      const before = this.modules.size;
      this.load(resolved);
      // Not in the closure of the function being walked: its summary must not be kept.
      if (this.modules.size !== before) this.walkCut = true;
    }
    return this.modules.get(resolved);
  }

  // ---- handlers ----

  private handlersOf(module: ModuleFacts): HandlerSite[] {
    const sites: HandlerSite[] = [];
    const byDefault = module.exports.get("default");
    if (byDefault) sites.push(...this.handlersFromExport(byDefault, module, "export default", 0));
    for (const listener of module.listeners) {
      const fn = this.functionFrom(listener.handler, module);
      const kind = HANDLER_NAMES[listener.event];
      if (!kind) continue;
      sites.push({
        kind,
        form: `addEventListener("${listener.event}")`,
        module,
        span: spanOf(listener.call),
        functions: fn ? [fn] : [],
        ...(fn ? {} : { opaque: "the listener could not be resolved" }),
      });
    }
    for (const [name, binding] of module.exports) {
      if (name === "default") continue;
      const cls =
        binding.declaration && isClassLike(binding.declaration)
          ? { cls: binding.declaration, module }
          : binding.local
            ? this.classNamed(binding.local, module)
            : undefined;
      if (!cls) continue;
      const base = heritageName(cls.cls);
      if (base === "DurableObject" || isDurableObjectShaped(cls.cls)) {
        sites.push({
          kind: "durable-object",
          form: `Durable Object class ${name}`,
          module: cls.module,
          span: spanOf(cls.cls.name ?? cls.cls),
          functions: [],
        });
      } else if (base === "WorkerEntrypoint") {
        sites.push(...this.classHandlers(cls.cls, cls.module, `named entrypoint ${name}`, false));
      }
    }
    return sites;
  }

  private handlersFromExport(
    binding: { local?: string; expression?: ts.Expression; declaration?: ts.Node; reexport?: { module: string; name: string } },
    module: ModuleFacts,
    form: string,
    depth: number,
  ): HandlerSite[] {
    if (depth > 12) return [];
    if (binding.reexport) {
      const target = this.moduleFor(binding.reexport.module, module);
      const exported = target?.exports.get(binding.reexport.name);
      return target && exported ? this.handlersFromExport(exported, target, form, depth + 1) : [];
    }
    if (binding.declaration && isClassLike(binding.declaration))
      return this.classHandlers(binding.declaration, module, `${form} class`, true);
    const expression = binding.expression ?? (binding.local ? ts.factory.createIdentifier(binding.local) : undefined);
    if (!expression) return [];
    return this.handlersFromExpression(binding.expression ?? undefined, binding.local, module, form, depth);
  }

  /** `export default <expr>` (or a local name): an object, a router, a class or a wrapper call. */
  private handlersFromExpression(
    expression: ts.Expression | undefined,
    localName: string | undefined,
    module: ModuleFacts,
    form: string,
    depth: number,
  ): HandlerSite[] {
    if (depth > 12) return [];
    if (!expression && localName) {
      const imported = module.imports.get(localName);
      if (imported) {
        const target = this.moduleFor(imported.module, module);
        const exported = target?.exports.get(imported.name);
        if (target && exported) return this.handlersFromExport(exported, target, `${form} (imported)`, depth + 1);
        return [];
      }
      const cls = module.classes.get(localName);
      if (cls) return this.classHandlers(cls, module, `${form} class`, true);
      const variable = module.variables.get(localName);
      if (variable?.initializer) {
        if (this.isRouter(variable.initializer, module))
          return this.routerHandlers(localName, module, "", `${form} ${localName} (router)`, variable.name, depth);
        return this.handlersFromExpression(variable.initializer, undefined, module, form, depth + 1);
      }
      return [];
    }
    if (!expression) return [];
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) return this.handlersFromExpression(undefined, value.text, module, form, depth + 1);
    if (isObjectLiteralExpression(value)) return this.objectHandlers(value, module, `${form} object`, depth);
    if (isClassExpression(value)) return this.classHandlers(value, module, `${form} class`, true);
    if (this.isRouter(value, module)) return [{ kind: "fetch", form: `${form} router`, module, span: spanOf(value), functions: [] }];
    if (isCallExpression(value)) {
      // A wrapper: `withSentry(env => ..., handler)`, `instrument(handler, config)`.
      for (const arg of value.arguments) {
        const inner = unwrapExpression(arg);
        if (isObjectLiteralExpression(inner) || isIdentifier(inner) || isClassExpression(inner)) {
          const found = this.handlersFromExpression(inner, undefined, module, `${form} wrapped by ${calleeText(value)}(...)`, depth + 1);
          if (found.some((s) => s.kind === "fetch")) return found;
        }
      }
      const from = rootImport(value.expression, module);
      return [
        {
          kind: "fetch",
          form: `${form} ${calleeText(value)}(...)`,
          module,
          span: spanOf(value),
          functions: [],
          opaque: `the fetch handler is made by ${calleeText(value)}(...)${from ? ` from "${from.module}"` : ""}, whose subrequests the analyser cannot see`,
        },
      ];
    }
    return [];
  }

  private objectHandlers(object: ts.ObjectLiteralExpression, module: ModuleFacts, form: string, depth: number): HandlerSite[] {
    const sites: HandlerSite[] = [];
    for (const property of object.properties) {
      const name = property.name && (isIdentifier(property.name) || isStringLiteral(property.name)) ? property.name.text : undefined;
      const kind = name ? HANDLER_NAMES[name] : undefined;
      if (isSpreadAssignment(property)) {
        sites.push(...this.handlersFromExpression(property.expression, undefined, module, form, depth + 1));
        continue;
      }
      if (!kind || !name) continue;
      const span = spanOf(property.name!);
      if (isMethodDeclaration(property)) {
        sites.push({ kind, form, module, span, functions: [{ fn: property, module }] });
        continue;
      }
      const initializer = isPropertyAssignment(property)
        ? unwrapExpression(property.initializer)
        : isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (!initializer) continue;
      // `fetch: app.fetch` delegates to a router.
      if (
        kind === "fetch" &&
        isPropertyAccessExpression(initializer) &&
        initializer.name.text === "fetch" &&
        isIdentifier(initializer.expression)
      ) {
        const delegated = this.handlersFromExpression(
          undefined,
          initializer.expression.text,
          module,
          `${form}, fetch: ${initializer.expression.text}.fetch`,
          depth + 1,
        );
        const fetches = delegated.filter((s) => s.kind === "fetch");
        if (fetches.length > 0) {
          sites.push(...fetches);
          continue;
        }
      }
      const fn = this.functionFrom(initializer, module);
      sites.push({
        kind,
        form,
        module,
        span,
        functions: fn ? [fn] : [],
        ...(fn ? {} : { opaque: `the ${name} handler ${printNode(initializer)} could not be resolved` }),
      });
    }
    return sites;
  }

  private classHandlers(cls: ts.ClassLikeDeclaration, module: ModuleFacts, form: string, isDefault: boolean): HandlerSite[] {
    const base = heritageName(cls);
    if (base === "DurableObject")
      return [{ kind: "durable-object", form: `Durable Object class`, module, span: spanOf(cls.name ?? cls), functions: [] }];
    const sites: HandlerSite[] = [];
    for (const member of cls.members) {
      if (!isMethodDeclaration(member) || !member.name || !isIdentifier(member.name) || !member.body) continue;
      const name = member.name.text;
      const kind =
        HANDLER_NAMES[name] ?? (isDefault || base === "WorkerEntrypoint" ? (name === "constructor" ? undefined : "rpc") : undefined);
      if (!kind) continue;
      if (
        kind === "rpc" &&
        (getModifiers(member) ?? []).some((m) => m.kind === SyntaxKind.PrivateKeyword || m.kind === SyntaxKind.ProtectedKeyword)
      )
        continue;
      sites.push({
        kind,
        form: `${form}${base ? ` extends ${base}` : ""}`,
        module,
        span: spanOf(member.name),
        functions: [{ fn: member, module }],
      });
    }
    return sites;
  }

  private isRouter(expression: ts.Expression, module: ModuleFacts): boolean {
    const value = unwrapExpression(expression);
    const callee = isNewExpression(value) || isCallExpression(value) ? unwrapExpression(value.expression) : undefined;
    if (!callee || !isIdentifier(callee)) return false;
    const imported = module.imports.get(callee.text);
    if (imported)
      return (
        ROUTER_MODULES.some((m) => imported.module === m || imported.module.startsWith(m + "/")) &&
        ROUTER_CLASSES.has(imported.name === "default" ? callee.text : imported.name)
      );
    return isNewExpression(value) && ROUTER_CLASSES.has(callee.text);
  }

  /** Each route of a Hono/itty router is a path through the fetch handler: middleware, then its handlers. */
  private routerHandlers(
    name: string,
    module: ModuleFacts,
    routePrefix: string,
    form: string,
    nameNode: ts.Node,
    depth: number,
  ): HandlerSite[] {
    const middleware: Array<{ fn: ts.FunctionLikeDeclaration; module: ModuleFacts }> = [];
    const sites: HandlerSite[] = [];
    for (const { receiver, method, call } of module.receiverCalls) {
      if (receiver !== name) continue;
      const args = call.arguments;
      if (method === "use") {
        for (const arg of args) {
          const fn = this.functionFrom(arg, module);
          if (fn) middleware.push(fn);
        }
        continue;
      }
      if (method === "route" && args.length >= 2 && isStringLiteralLike(args[0]!) && isIdentifier(unwrapExpression(args[1]!))) {
        const subName = (unwrapExpression(args[1]!) as ts.Identifier).text;
        const imported = module.imports.get(subName);
        const target = imported ? this.moduleFor(imported.module, module) : module;
        const exported = imported && target ? target.exports.get(imported.name) : undefined;
        const local =
          exported?.local ??
          (exported?.expression && isIdentifier(exported.expression) ? exported.expression.text : undefined) ??
          (imported ? undefined : subName);
        if (target && local && depth < 8)
          sites.push(
            ...this.routerHandlers(local, target, joinRoute(routePrefix, args[0].text), form, nameNode, depth + 1).map((s) => ({
              ...s,
              functions: [...middleware, ...s.functions],
            })),
          );
        continue;
      }
      const isOn = method === "on";
      if (!ROUTE_METHODS.has(method) && !isOn) continue;
      const pathArg = isOn ? args[1] : args[0];
      const routePath = pathArg && isStringLiteralLike(pathArg) ? pathArg.text : "*";
      const verb = isOn ? (args[0] && isStringLiteralLike(args[0]) ? args[0].text.toUpperCase() : "ON") : method.toUpperCase();
      const handlerArgs = args.slice(isOn ? 2 : pathArg && isStringLiteralLike(pathArg) ? 1 : 0);
      const functions = handlerArgs
        .map((arg) => this.functionFrom(arg, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined);
      sites.push({
        kind: "fetch",
        form,
        module,
        span: spanOf(call.expression),
        functions: [...middleware, ...functions],
        route: `${verb} ${joinRoute(routePrefix, routePath)}`,
      });
    }
    if (sites.length === 0) sites.push({ kind: "fetch", form, module, span: spanOf(nameNode), functions: middleware });
    return sites;
  }

  private pagesHandlers(files: readonly string[]): HandlerSite[] {
    const root = joinPath(this.input.projectRoot, "functions");
    const sites: HandlerSite[] = [];
    for (const file of files) {
      const module = this.modules.get(file);
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
        const fns = this.exportedFunctions(exported, module);
        const verb = name === "onRequest" ? "ALL" : name.slice("onRequest".length).toUpperCase();
        sites.push({
          kind: "fetch",
          form: basename(file).startsWith("_middleware") ? "Pages middleware" : `Pages ${name}`,
          module,
          span: this.exportSpan(exported, module),
          functions: fns,
          route: `${verb} ${route.replace(/\/_middleware$/, "/*") || "/"}`,
        });
      }
    }
    return sites;
  }

  private exportedFunctions(
    binding: { local?: string; expression?: ts.Expression; declaration?: ts.Node },
    module: ModuleFacts,
  ): Array<{ fn: ts.FunctionLikeDeclaration; module: ModuleFacts }> {
    if (binding.declaration && isFunctionDeclaration(binding.declaration)) return [{ fn: binding.declaration, module }];
    const local = binding.local;
    if (!local) return [];
    const fn = module.functions.get(local);
    if (fn) return [{ fn, module }];
    const init = module.variables.get(local)?.initializer;
    if (init && isArrayLiteralExpression(unwrapExpression(init))) {
      return (unwrapExpression(init) as ts.ArrayLiteralExpression).elements
        .map((e) => this.functionFrom(e, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined);
    }
    const resolved = init ? this.functionFrom(init, module) : undefined;
    return resolved ? [resolved] : [];
  }

  private exportSpan(binding: { local?: string; declaration?: ts.Node }, module: ModuleFacts): { start: number; end: number } {
    if (binding.declaration) {
      const name = (binding.declaration as ts.FunctionDeclaration).name;
      return spanOf(name ?? binding.declaration);
    }
    const variable = binding.local ? module.variables.get(binding.local) : undefined;
    return variable ? spanOf(variable.name) : { start: 0, end: 0 };
  }

  private classNamed(name: string, module: ModuleFacts): { cls: ts.ClassLikeDeclaration; module: ModuleFacts } | undefined {
    const cls = module.classes.get(name);
    if (cls) return { cls, module };
    const imported = module.imports.get(name);
    if (!imported) return undefined;
    const target = this.moduleFor(imported.module, module);
    const exported = target?.exports.get(imported.name);
    if (!target || !exported) return undefined;
    if (exported.declaration && isClassLike(exported.declaration)) return { cls: exported.declaration, module: target };
    return exported.local ? this.classNamed(exported.local, target) : undefined;
  }

  /** A function value: inline, a local function, or one imported from an analysed module. */
  private functionFrom(
    expression: ts.Expression,
    module: ModuleFacts,
    depth = 0,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const value = unwrapExpression(expression);
    if (isArrowFunction(value) || isFunctionExpression(value)) return { fn: value, module };
    if (isIdentifier(value)) return this.functionNamed(value.text, module, depth);
    if (isCallExpression(value)) {
      // `createFactory(...)(...)`, `handler.bind(x)`: the function inside, when there is one.
      if (isPropertyAccessExpression(value.expression) && value.expression.name.text === "bind")
        return this.functionFrom(value.expression.expression, module, depth + 1);
      for (const arg of value.arguments) {
        const fn = this.functionFrom(arg, module, depth + 1);
        if (fn) return fn;
      }
    }
    return undefined;
  }

  private functionNamed(name: string, module: ModuleFacts, depth = 0): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const local = module.functions.get(name);
    if (local) return { fn: local, module };
    const imported = module.imports.get(name);
    if (!imported || imported.name === "*") return undefined;
    const target = this.moduleFor(imported.module, module);
    if (!target) return undefined;
    const exported = target.exports.get(imported.name);
    if (exported?.declaration && isFunctionDeclaration(exported.declaration)) return { fn: exported.declaration, module: target };
    if (exported?.reexport) {
      const next = this.moduleFor(exported.reexport.module, target);
      return next ? this.functionNamed(exported.reexport.name, next, depth + 1) : undefined;
    }
    if (exported?.local) return this.functionNamed(exported.local, target, depth + 1);
    if (exported?.expression) return this.functionFrom(exported.expression, target, depth + 1);
    for (const star of target.starReexports) {
      const next = this.moduleFor(star, target);
      const found = next && this.functionNamed(imported.name, next, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  // ---- round trips ----

  private analyseFetchHandler(site: HandlerSite): Seq {
    if (site.opaque) {
      this.unknowns.push(site.opaque);
      return EMPTY;
    }
    const previous = this.marking;
    const previousHandler = this.currentHandler;
    this.marking = "critical";
    this.currentHandler = site;
    try {
      const seqs = site.functions.map(({ fn, module }) => total(this.functionOutcome(fn, module, 0)));
      return concat(...(seqs.length ? seqs : [EMPTY]));
    } finally {
      this.marking = previous;
      this.currentHandler = previousHandler;
    }
  }

  /**
   * The outcome of calling a function. Summaries are cached per function node; while a fetch
   * handler is being analysed the walk is repeated so that everything it reaches gets marked.
   */
  private functionOutcome(fn: ts.FunctionLikeDeclaration, module: ModuleFacts, depth: number): Outcome {
    this.recorder?.push({ kind: "call", fn, module, deferred: this.deferredLevel > 0 });
    const { outcome, cut } = this.outcomeOf(fn, module, depth);
    if (cut) this.walkCut = true;
    return outcome;
  }

  /**
   * The outcome, and whether recursion or the depth limit cut it short (then it is not kept).
   * Calling again in the same state gets the same answer: a replay that gives up and walks
   * instead (see replay) relies on it.
   */
  private outcomeOf(fn: ts.FunctionLikeDeclaration, module: ModuleFacts, depth: number): FunctionOutcome {
    // A function already walked in this marking has its subrequests marked: its outcome suffices.
    // (Walking it again for every call would be quadratic in call chains.)
    const walked = this.marking === "none" ? undefined : this.walked.get(this.marking)!;
    const known = walked ? walked.get(fn) : this.summaries.get(fn);
    if (known) return known;
    // Recursion (a module cycle calling back) is counted once: the first pass already holds its calls.
    if (this.inProgress.has(fn) || depth > MAX_CALL_DEPTH) return CUT_SHORT;
    this.inProgress.add(fn);
    const { recorder, deferredLevel, walkCut } = this;
    let result: FunctionOutcome | undefined;
    try {
      const kept = this.kept?.find(fn, module);
      const replayed = kept && this.replay(kept, module, depth);
      if (replayed) result = { outcome: replayed, cut: false };
      else {
        const events = this.kept?.shouldKeep(module) ? [] : null;
        this.recorder = events;
        this.deferredLevel = 0;
        this.walkCut = false;
        const body = fn.body;
        let outcome: Outcome;
        if (!body) outcome = FALL_EMPTY;
        else if (isBlock(body)) outcome = this.statements(body.statements, module, depth);
        else outcome = { ret: this.expression(body, module, depth, true) };
        const normalised: Outcome = { fall: total(outcome) };
        const cut = this.walkCut;
        if (events && !cut) this.kept!.keep(fn, module, events, normalised.fall!, (record) => this.callOfRecord.get(record)!);
        result = { outcome: normalised, cut };
      }
    } finally {
      this.inProgress.delete(fn);
      this.recorder = recorder;
      this.deferredLevel = deferredLevel;
      this.walkCut = walkCut;
    }
    walked?.set(fn, result);
    if (!this.summaries.has(fn)) this.summaries.set(fn, result);
    return result;
  }

  /**
   * Has a kept summary's effects again, in order, relative to the marking the function is entered
   * with; its calls are made again (they replay or walk in turn). Undefined if a call was cut short
   * by recursion or the depth limit: then the caller walks the function (every effect had so far
   * is one that walk has too, and having one twice changes nothing).
   */
  private replay(summary: KeptSummary, module: ModuleFacts, depth: number): Outcome | undefined {
    const entryMarking = this.marking;
    const deferredMarking = entryMarking === "critical" ? "waitUntil" : entryMarking;
    this.recorder = null;
    try {
      for (const event of summary.events) {
        if ("deferred" in event) this.marking = event.deferred ? deferredMarking : entryMarking;
        switch (event.kind) {
          case "classified":
            this.classified.add(event.node);
            break;
          case "unknown":
            this.unknowns.push(event.text);
            break;
          case "assets":
            if (this.marking === "critical") this.servesAssets = true;
            break;
          case "record":
            this.noteSubrequest(event.node, event.subrequest, module);
            break;
          case "call":
            if (this.modules.get(event.module.path) !== event.module) return undefined;
            if (this.outcomeOf(event.fn, event.module, depth + 1).cut) return undefined;
            break;
        }
      }
    } finally {
      this.marking = entryMarking;
    }
    const fall = this.kept!.replayed(summary, (call) => this.subrequests.get(call));
    return fall && { fall };
  }

  private statements(statements: readonly ts.Statement[], module: ModuleFacts, depth: number): Outcome {
    let outcome: Outcome = FALL_EMPTY;
    for (const statement of statements) {
      if (!outcome.fall) break; // after an unconditional return: unreachable
      outcome = sequence(outcome, this.statement(statement, module, depth));
    }
    return outcome;
  }

  private statement(node: ts.Statement, module: ModuleFacts, depth: number): Outcome {
    if (isBlock(node)) return this.statements(node.statements, module, depth);
    if (isExpressionStatement(node)) return { fall: this.expression(node.expression, module, depth, false) };
    if (isVariableStatement(node)) {
      return {
        fall: concat(
          ...node.declarationList.declarations.map((d) => (d.initializer ? this.expression(d.initializer, module, depth, false) : EMPTY)),
        ),
      };
    }
    if (isReturnStatement(node)) return { ret: node.expression ? this.expression(node.expression, module, depth, true) : EMPTY };
    if (isThrowStatement(node)) return { ret: this.expression(node.expression, module, depth, false) };
    if (isIfStatement(node)) {
      const condition = this.expression(node.expression, module, depth, false);
      const then = this.statement(node.thenStatement, module, depth);
      const otherwise = node.elseStatement ? this.statement(node.elseStatement, module, depth) : FALL_EMPTY;
      return prefix(condition, branch(then, otherwise));
    }
    if (isSwitchStatement(node)) {
      const subject = this.expression(node.expression, module, depth, false);
      const cases = node.caseBlock.clauses.map((clause) => this.statements(clause.statements, module, depth));
      const hasDefault = node.caseBlock.clauses.some((c) => isDefaultClause(c));
      const merged = branch(...cases, ...(hasDefault ? [] : [FALL_EMPTY]));
      // `break` falls through to what follows the switch; a case that returns stays returned.
      return prefix(subject, { fall: worst(merged.fall, ...cases.map((c) => c.fall)), ...(merged.ret ? { ret: merged.ret } : {}) });
    }
    if (isForStatement(node) || isForOfStatement(node) || isForInStatement(node) || isWhileStatement(node) || isDoStatement(node)) {
      const head =
        isForOfStatement(node) || isForInStatement(node)
          ? this.expression(node.expression, module, depth, false)
          : isForStatement(node) && node.initializer && !isVariableDeclarationList(node.initializer)
            ? this.expression(node.initializer, module, depth, false)
            : EMPTY;
      const body = this.statement(node.statement, module, depth);
      const once = worst(body.fall, body.ret);
      return { fall: concat(head, repeated(once)), ...(body.ret ? { ret: concat(head, body.ret) } : {}) };
    }
    if (isTryStatement(node)) {
      const attempt = this.statements(node.tryBlock.statements, module, depth);
      const recovery = node.catchClause ? this.statements(node.catchClause.block.statements, module, depth) : undefined;
      const main = recovery ? branch(attempt, recovery) : attempt;
      return node.finallyBlock ? sequence(main, this.statements(node.finallyBlock.statements, module, depth)) : main;
    }
    if (isLabeledStatement(node)) return this.statement(node.statement, module, depth);
    return FALL_EMPTY; // declarations, break/continue, empty statements
  }

  /**
   * Round trips of an expression, in evaluation order. `awaited` says whether the caller waits for
   * the value (awaited, returned); calls whose promises nobody waits for are fire-and-forget.
   */
  private expression(node: ts.Expression, module: ModuleFacts, depth: number, awaited: boolean): Seq {
    if (depth > MAX_CALL_DEPTH * 4) return EMPTY;
    const value = unwrapExpression(node);
    if (isAwaitExpression(value)) return this.expression(value.expression, module, depth, true);
    if (isArrowFunction(value) || isFunctionExpression(value) || isClassExpression(value)) return EMPTY; // not run here
    if (isConditionalExpression(value)) {
      return concat(
        this.expression(value.condition, module, depth, false),
        worst(this.expression(value.whenTrue, module, depth, awaited), this.expression(value.whenFalse, module, depth, awaited)),
      );
    }
    if (isCallExpression(value) || isTaggedTemplateExpression(value)) return this.call(value, module, depth, awaited);
    if (isNewExpression(value)) return concat(...(value.arguments ?? []).map((a) => this.expression(a, module, depth, false)));
    const parts: Seq[] = [];
    forEachChild(value, (child) => {
      if (isExpression(child))
        parts.push(this.expression(child, module, depth, awaited && (isArrayLiteralExpression(value) || isBinaryExpression(value))));
      else if (isPropertyAssignment(child) || isShorthandPropertyAssignment(child) || isSpreadAssignment(child) || isSpreadElement(child)) {
        const inner = isPropertyAssignment(child) ? child.initializer : isShorthandPropertyAssignment(child) ? undefined : child.expression;
        if (inner) parts.push(this.expression(inner, module, depth, false));
      } else if (isTemplateSpan(child)) parts.push(this.expression(child.expression, module, depth, false));
    });
    return parts.length ? concat(...parts) : EMPTY;
  }

  private call(node: ts.CallExpression | ts.TaggedTemplateExpression, module: ModuleFacts, depth: number, awaited: boolean): Seq {
    const args: readonly ts.Expression[] = isCallExpression(node)
      ? node.arguments
      : node.template.kind === SyntaxKind.TemplateExpression
        ? node.template.templateSpans.map((s) => s.expression)
        : [];
    const callee = unwrapExpression(isCallExpression(node) ? node.expression : node.tag);

    // waitUntil(...) in any form: its arguments are off the response path.
    if (isWaitUntilCall(callee, module)) {
      const previous = this.marking;
      if (this.marking === "critical") this.marking = "waitUntil";
      this.deferredLevel++;
      try {
        for (const arg of args) this.deferred(arg, module, depth);
      } finally {
        this.marking = previous;
        this.deferredLevel--;
      }
      return EMPTY;
    }

    // Promise.all([...]) and friends: one round trip made of parallel branches.
    if (
      isPropertyAccessExpression(callee) &&
      isIdentifier(callee.expression) &&
      callee.expression.text === "Promise" &&
      PROMISE_COMBINATORS.has(callee.name.text)
    ) {
      const list = args[0] ? unwrapExpression(args[0]) : undefined;
      if (list && isArrayLiteralExpression(list))
        return parallel(
          list.elements.map((e) => this.expression(isSpreadElement(e) ? e.expression : e, module, depth, true)),
          `Promise.${callee.name.text}`,
        );
      return parallel([list ? this.expression(list, module, depth, true) : EMPTY], `Promise.${callee.name.text}`);
    }

    // `.map(async x => ...)` runs its callback for each element, concurrently when collected by Promise.all.
    if (isPropertyAccessExpression(callee) && (callee.name.text === "map" || callee.name.text === "flatMap") && args[0]) {
      const fn = this.functionFrom(args[0], module);
      const receiver = this.expression(callee.expression, module, depth, false);
      return concat(receiver, fn ? total(this.functionOutcome(fn.fn, fn.module, depth + 1)) : EMPTY);
    }
    if (isPropertyAccessExpression(callee) && callee.name.text === "forEach" && args[0]) {
      const fn = this.functionFrom(args[0], module);
      const receiver = this.expression(callee.expression, module, depth, false);
      // forEach does not wait for async callbacks; a synchronous callback runs in a loop.
      return concat(receiver, fn ? (isAsync(fn.fn) ? EMPTY : repeated(total(this.functionOutcome(fn.fn, fn.module, depth + 1)))) : EMPTY);
    }

    // `.then(cb)` / `.catch(cb)` / `.finally(cb)`: the callback runs after the receiver settles.
    if (
      isPropertyAccessExpression(callee) &&
      (callee.name.text === "then" || callee.name.text === "catch" || callee.name.text === "finally")
    ) {
      const receiver = this.expression(callee.expression, module, depth, awaited);
      const callbacks = args
        .map((a) => this.functionFrom(a, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined);
      return concat(receiver, worst(...callbacks.map((f) => total(this.functionOutcome(f.fn, f.module, depth + 1)))));
    }

    const argumentSeq = concat(...args.map((a) => this.expression(a, module, depth, false)));
    const receiverSeq =
      isPropertyAccessExpression(callee) || isElementAccessExpression(callee)
        ? this.expression(callee.expression, module, depth, false)
        : EMPTY;
    const before = concat(receiverSeq, argumentSeq);

    this.classified.add(node);
    this.recorder?.push({ kind: "classified", node });
    const subrequest = this.classify(node, callee, args, module);
    if (subrequest === "skip") return before;
    if (subrequest) {
      this.recorder?.push({ kind: "record", node, subrequest, deferred: this.deferredLevel > 0 });
      return concat(before, seqOf(stepOf(this.noteSubrequest(node, subrequest, module))));
    }

    // A call into code the analyser can read: its own round trips.
    const target = this.calledFunction(callee, module);
    if (target) return concat(before, total(this.functionOutcome(target.fn, target.module, depth + 1)));

    const made = isIdentifier(callee) ? this.madeByPackage(callee, module) : undefined;
    if (made && awaited) {
      this.unknown(
        `${printNode(callee)}(...) was made by ${made.call}(...) from "${made.module}", which handles the request in code the analyser does not read (${this.locate(module, node)})`,
      );
    } else if (
      isElementAccessExpression(callee) &&
      !isStringLiteralLike(callee.argumentExpression) &&
      !isNumericLiteral(callee.argumentExpression)
    ) {
      this.unknown(`${printNode(callee)}(...) is a dynamic call whose target cannot be resolved (${this.locate(module, node)})`);
    } else {
      const root = rootImport(callee, module);
      const opaque = root && opaqueLibrary(root.module);
      if (opaque && awaited)
        this.unknown(
          `${printNode(callee)}(...) calls ${opaque}, which makes round trips the analyser cannot count (${this.locate(module, node)})`,
        );
    }
    return before;
  }

  /** A subrequest the walk reached, marked as the walk is marking. */
  private noteSubrequest(node: ts.Node, subrequest: ClassifiedSubrequest, module: ModuleFacts): Subrequest {
    const record = this.record(node, subrequest);
    if (this.currentHandler && subrequest.category === "analytics" && this.marking === "critical" && isAwaitExpression(node.parent)) {
      this.reportBlockingAnalytics(node as ts.CallExpression | ts.TaggedTemplateExpression, record, module);
    }
    return record;
  }

  /** Round trips the analyser cannot count, said once each in the result. */
  private unknown(text: string): void {
    this.unknowns.push(text);
    this.recorder?.push({ kind: "unknown", text });
  }

  /** A function value created by a package (`const handler = createRequestHandler(build)`). */
  private madeByPackage(identifier: ts.Identifier, module: ModuleFacts): { call: string; module: string } | undefined {
    const declaration = declarationOf(identifier);
    const init =
      declaration && isVariableDeclaration(declaration) && declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
    if (!init || !(isCallExpression(init) || isNewExpression(init))) return undefined;
    const root = rootImport(init.expression, module);
    if (!root || root.module.startsWith(".") || root.module.startsWith("cloudflare:") || sdkFor(root.module)) return undefined;
    return { call: truncate(printNode(init.expression)), module: root.module };
  }

  /** An argument of waitUntil: walked for marking, contributes nothing to the response path. */
  private deferred(arg: ts.Expression, module: ModuleFacts, depth: number): void {
    const value = unwrapExpression(arg);
    if (isArrowFunction(value) || isFunctionExpression(value)) {
      this.functionOutcome(value, module, depth + 1);
      return;
    }
    if (isCallExpression(value)) {
      const fn = this.functionFrom(value.expression, module);
      if (fn && (isArrowFunction(unwrapExpression(value.expression)) || isFunctionExpression(unwrapExpression(value.expression)))) {
        this.functionOutcome(fn.fn, fn.module, depth + 1);
        return;
      }
    }
    this.expression(arg, module, depth, true);
  }

  private calledFunction(callee: ts.Expression, module: ModuleFacts): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (isIdentifier(callee)) {
      const local = localFunction(callee);
      if (local) return { fn: local, module };
      return this.functionNamed(callee.text, module);
    }
    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      // this.helper() inside a class
      if (receiver.kind === SyntaxKind.ThisKeyword) {
        const cls = findAncestor(callee, isClassLike);
        const member = cls?.members.find(
          (m): m is ts.MethodDeclaration => isMethodDeclaration(m) && !!m.name && isIdentifier(m.name) && m.name.text === method,
        );
        return member ? { fn: member, module } : undefined;
      }
      // namespace import: utils.helper()
      if (isIdentifier(receiver)) {
        const imported = module.imports.get(receiver.text);
        if (imported?.name === "*") {
          const target = this.moduleFor(imported.module, module);
          return target ? this.functionNamed(method, target) : undefined;
        }
        // a module-level object of functions: const api = { load() {...} }
        const variable = module.variables.get(receiver.text);
        const init = variable?.initializer && unwrapExpression(variable.initializer);
        if (init && isObjectLiteralExpression(init)) {
          for (const property of init.properties) {
            if (!property.name || !isIdentifier(property.name) || property.name.text !== method) continue;
            if (isMethodDeclaration(property)) return { fn: property, module };
            if (isPropertyAssignment(property)) return this.functionFrom(property.initializer, module);
          }
        }
      }
    }
    return undefined;
  }

  // ---- classifying subrequests ----

  /** What a call is: a subrequest, "skip" (not one and nothing to follow), or undefined (look further). */
  private classify(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    callee: ts.Expression,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): ClassifiedSubrequest | "skip" | undefined {
    const file = module.path;
    const span = spanOf(node, module.sourceFile);
    const make: MakeSubrequest = (kind, target, category, note) => ({ file, span, kind, target, category, note });

    // Global fetch.
    if (
      (isIdentifier(callee) && callee.text === "fetch" && !localFunction(callee) && !module.imports.has("fetch")) ||
      (isPropertyAccessExpression(callee) &&
        callee.name.text === "fetch" &&
        isIdentifier(callee.expression) &&
        ["globalThis", "self", "window"].includes(callee.expression.text))
    ) {
      return this.classifyFetch(args[0], make);
    }

    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      const binding = this.bindingOf(receiver);
      if (binding) return this.classifyBindingCall(binding, method, make);

      // D1: env.DB.prepare(...).bind(...).first() and sessions.
      const database = D1_TERMINALS.has(method) && isCallExpression(receiver) ? preparedOn(receiver) : undefined;
      if (database) {
        const client = isIdentifier(database) ? this.clientKind(database, module, 0) : undefined;
        const name = this.bindingOf(database)?.name ?? client?.target ?? printNode(database);
        return make("d1", name, "binding", `D1 query on ${name ?? "a database"}: D1 pins the Worker near the database`);
      }

      // A Durable Object stub: env.NS.get(id).fetch() / .method(), or a stub held in a variable.
      if (
        isCallExpression(receiver) &&
        isPropertyAccessExpression(receiver.expression) &&
        ["get", "getByName", "idFromName"].includes(receiver.expression.name.text)
      ) {
        const ns = this.bindingOf(unwrapExpression(receiver.expression.expression));
        if (ns?.kind === "durableObjects")
          return make(
            "durable-object",
            ns.name,
            "binding",
            `Durable Object ${ns.name}: runs where the object lives, not a back-end round trip`,
          );
      }

      // Router dispatch (app.fetch(request, env, ctx)) stays inside the Worker.
      if (method === "fetch" && isIdentifier(receiver) && this.isRouterName(receiver.text, module)) return "skip";
    }

    // Clients: SDKs, Drizzle, DO stubs and D1 sessions held in variables.
    if (isChainTop(node)) {
      const root = isTaggedTemplateExpression(node) ? unwrapExpression(node.tag) : chainRoot(callee);
      if (root && isIdentifier(root)) {
        const client = this.clientKind(root, module, 0);
        if (client) return make(client.kind, client.target, client.category, client.note);
      }
      if (isCallExpression(node) && isIdentifier(callee)) {
        const imported = module.imports.get(callee.text);
        if (imported?.module === "cloudflare:sockets" && imported.name === "connect") {
          const target = this.socketTarget(args[0]);
          return make(
            "socket",
            target,
            target ? classifyHost(target, this.input.hostCategories).category : "unknown",
            `TCP socket to ${target ?? "an unresolved address"}`,
          );
        }
      }
    }
    return undefined;
  }

  private classifyFetch(url: ts.Expression | undefined, make: MakeSubrequest): ClassifiedSubrequest {
    if (!url) return make("fetch", null, "unknown", "fetch without a URL");
    if (this.isIncomingRequest(url)) return make("fetch", "origin", "backend", "passes the incoming request on to the origin server");
    const evaluated = this.evaluateString(url, 0);
    const host = evaluated === undefined ? undefined : hostOf(evaluated);
    if (!host) return make("fetch", null, "unknown", `the URL ${truncate(printNode(url))} cannot be resolved to a host`);
    const classification = classifyHost(host, this.input.hostCategories);
    return make("fetch", host, classification.category, classification.note);
  }

  private classifyBindingCall(
    binding: { name: string; kind: keyof BindingNames },
    method: string,
    make: MakeSubrequest,
  ): ClassifiedSubrequest | "skip" {
    const { name, kind } = binding;
    switch (kind) {
      case "d1":
        if (method === "batch") return make("d1", name, "binding", `D1 batch on ${name}: one round trip for all its statements`);
        if (method === "exec" || method === "dump") return make("d1", name, "binding", `D1 ${method} on ${name}`);
        return "skip"; // prepare(), withSession(): the query runs at first()/all()/run()/raw()
      case "kv":
        return KV_METHODS.has(method)
          ? make("kv", name, "binding", `Workers KV ${name}.${method}: a Cloudflare binding, not a back-end round trip`)
          : "skip";
      case "r2":
        return R2_METHODS.has(method)
          ? make("r2", name, "binding", `R2 ${name}.${method}: a Cloudflare binding, not a back-end round trip`)
          : "skip";
      case "services":
        return make("service", name, "binding", `service binding ${name}.${method}: another Worker, not a back-end round trip`);
      case "queues":
        return method === "send" || method === "sendBatch"
          ? make("queue", name, "binding", `queue ${name}.${method}: a Cloudflare binding`)
          : "skip";
      case "ai":
        return method === "run" ? make("ai", name, "binding", `Workers AI ${name}.run: runs on Cloudflare's network`) : "skip";
      case "assets":
        if (method !== "fetch") return "skip";
        if (this.marking === "critical") this.servesAssets = true;
        this.recorder?.push({ kind: "assets", deferred: this.deferredLevel > 0 });
        return make("other", name, "binding", `static assets through the ${name} binding: served from where the Worker runs`);
      case "hyperdrive":
        return method === "connect"
          ? make("socket", `hyperdrive:${name}`, "backend", `Hyperdrive ${name}: a connection to the database behind it`)
          : "skip";
      case "durableObjects":
        return "skip"; // get()/idFromName(): the stub's own calls are the round trips
      default:
        return make("other", name, "binding", `binding ${name}.${method}`);
    }
  }

  /** `env.NAME`, `c.env.NAME`, `this.env.NAME`, `context.env.NAME`, or `NAME` destructured from one. */
  private bindingOf(expression: ts.Expression, depth = 0): { name: string; kind: keyof BindingNames } | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    let name: string | undefined;
    if (isPropertyAccessExpression(value) && isEnvLike(value.expression)) name = value.name.text;
    else if (isElementAccessExpression(value) && isEnvLike(value.expression) && isStringLiteralLike(value.argumentExpression))
      name = value.argumentExpression.text;
    else if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isBindingElement(declaration)) {
        const pattern = declaration.parent;
        const source = isVariableDeclaration(pattern.parent) ? pattern.parent.initializer : undefined;
        const fromParam = isParameter(pattern.parent);
        if ((source && isEnvLike(source)) || (fromParam && isObjectBindingPattern(pattern)))
          name = (
            declaration.propertyName && isIdentifier(declaration.propertyName)
              ? declaration.propertyName
              : (declaration.name as ts.Identifier)
          ).text;
      } else if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
        return this.bindingOf(declaration.initializer, depth + 1);
      }
    }
    if (!name) return undefined;
    const kind = this.bindingKinds.get(name);
    return kind ? { name, kind } : undefined;
  }

  private isRouterName(name: string, module: ModuleFacts): boolean {
    const init = module.variables.get(name)?.initializer;
    return init !== undefined && this.isRouter(init, module);
  }

  private isIncomingRequest(expression: ts.Expression, depth = 0): boolean {
    if (depth > MAX_VALUE_DEPTH) return false;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) {
        const fn = declaration.parent;
        return fn.parameters.indexOf(declaration) === 0 && /^(req|request|r)$/i.test(value.text);
      }
      if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
        const init = unwrapExpression(declaration.initializer);
        if (isNewExpression(init) && isIdentifier(init.expression) && init.expression.text === "Request" && init.arguments?.[0])
          return this.isIncomingRequest(init.arguments[0], depth + 1);
      }
      return false;
    }
    if (isPropertyAccessExpression(value))
      return (
        (value.name.text === "raw" && isPropertyAccessExpression(value.expression) && value.expression.name.text === "req") ||
        (value.name.text === "request" && isIdentifier(value.expression))
      );
    if (isNewExpression(value) && isIdentifier(value.expression) && value.expression.text === "Request" && value.arguments?.[0]) {
      const first = unwrapExpression(value.arguments[0]);
      return (
        this.isIncomingRequest(first, depth + 1) ||
        (isPropertyAccessExpression(first) && first.name.text === "url" && this.isIncomingRequest(first.expression, depth + 1))
      );
    }
    return false;
  }

  /** A value known to make subrequests when used: SDK clients, Drizzle, D1 sessions, DO stubs. */
  private clientKind(identifier: ts.Identifier, module: ModuleFacts, depth: number): ClientKind | undefined {
    if (depth > 6) return undefined;
    const declaration = declarationOf(identifier);
    if (declaration && depth === 0) {
      const known = this.clients.get(declaration);
      if (known !== undefined) return known ?? undefined;
      const kind = this.clientKindOf(identifier, declaration, module, depth);
      this.clients.set(declaration, kind ?? null);
      return kind;
    }
    return this.clientKindOf(identifier, declaration, module, depth);
  }

  private clientKindOf(
    identifier: ts.Identifier,
    declaration: ts.Node | undefined,
    module: ModuleFacts,
    depth: number,
  ): ClientKind | undefined {
    const initializer =
      declaration && (isVariableDeclaration(declaration) || isPropertyDeclaration(declaration)) ? declaration.initializer : undefined;
    // An imported ready-made client (`import { sql } from "@vercel/postgres"`, `import db from "./db"`).
    if (!declaration || !initializer) {
      const imported = module.imports.get(identifier.text);
      if (!imported) return undefined;
      const sdk = sdkFor(imported.module);
      if (sdk && isFactory(sdk.factories, imported.name)) return undefined; // making a client is not a round trip
      if (sdk) return this.sdkClient(sdk.name, sdk.host, sdk.global === true, undefined);
      const target = this.moduleFor(imported.module, module);
      const exported = target?.exports.get(imported.name);
      const local = exported?.local ?? (exported?.expression && isIdentifier(exported.expression) ? exported.expression.text : undefined);
      const variable = local ? target?.variables.get(local) : undefined;
      return variable && target && isIdentifier(variable.name) ? this.clientKind(variable.name, target, depth + 1) : undefined;
    }
    let init = unwrapExpression(initializer);
    if (isAwaitExpression(init)) init = unwrapExpression(init.expression);
    if (isIdentifier(init)) return this.clientKind(init, module, depth + 1);
    if (!isCallExpression(init) && !isNewExpression(init)) return undefined;
    const callee = unwrapExpression(init.expression);
    const args = init.arguments ?? [];
    // env.DB.withSession() -> a D1 session; env.NS.get(id) -> a Durable Object stub.
    if (isPropertyAccessExpression(callee)) {
      const binding = this.bindingOf(unwrapExpression(callee.expression));
      if (binding?.kind === "d1" && callee.name.text === "withSession")
        return { kind: "d1", target: binding.name, category: "binding", note: `D1 session on ${binding.name}` };
      if (binding?.kind === "durableObjects" && ["get", "getByName"].includes(callee.name.text))
        return {
          kind: "durable-object",
          target: binding.name,
          category: "binding",
          note: `Durable Object ${binding.name}: not a back-end round trip`,
        };
      if (binding?.kind === "d1") return undefined;
    }
    const root = rootImport(callee, module);
    if (!root) return undefined;
    if (root.module.startsWith(DRIZZLE_MODULE_PREFIX)) {
      const driver = args[0] ? unwrapExpression(args[0]) : undefined;
      const binding = driver ? this.bindingOf(driver) : undefined;
      if (binding?.kind === "d1") return { kind: "d1", target: binding.name, category: "binding", note: `Drizzle over D1 ${binding.name}` };
      if (driver && isIdentifier(driver))
        return (
          this.clientKind(driver, module, depth + 1) ?? {
            kind: "sdk",
            target: null,
            category: "unknown",
            note: "Drizzle over a driver the analyser cannot resolve",
          }
        );
      if (driver && isObjectLiteralExpression(driver))
        return { kind: "sdk", target: null, category: "unknown", note: "Drizzle with a connection the analyser cannot resolve" };
      return { kind: "sdk", target: null, category: "unknown", note: "Drizzle over an unresolved driver" };
    }
    const sdk = sdkFor(root.module);
    if (!sdk) return undefined;
    return this.sdkClient(sdk.name, sdk.host, sdk.global === true, args[0]);
  }

  private sdkClient(name: string, fixedHost: string | null, global: boolean, urlArgument: ts.Expression | undefined): ClientKind {
    if (fixedHost) return { kind: "sdk", target: fixedHost, category: global ? "global" : "backend", note: `${name} API at ${fixedHost}` };
    const url = urlArgument ? this.connectionTarget(urlArgument) : undefined;
    if (url)
      return {
        kind: "sdk",
        target: url,
        category: classifyHost(url, this.input.hostCategories).category,
        note: `${name} client for ${url}`,
      };
    // A database client whose address is a secret: a single-homed back end, host unknown.
    return {
      kind: "sdk",
      target: name.toLowerCase().split(" ")[0]!,
      category: "backend",
      note: `${name} client: each query is a round trip to the database`,
    };
  }

  /** The host a database client connects to: a URL string, `{ url, host }`, or Hyperdrive. */
  private connectionTarget(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    if (isPropertyAccessExpression(value) && value.name.text === "connectionString") {
      const binding = this.bindingOf(unwrapExpression(value.expression));
      if (binding?.kind === "hyperdrive") return `hyperdrive:${binding.name}`;
    }
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (!isPropertyAssignment(property) || !property.name || !isIdentifier(property.name)) continue;
        if (["url", "connectionString", "host", "hostname", "databaseUrl", "datasourceUrl"].includes(property.name.text)) {
          const found = this.connectionTarget(property.initializer);
          if (found) return found;
        }
      }
      return undefined;
    }
    const text = this.evaluateString(value, 0);
    if (text === undefined) return undefined;
    return hostOf(text) ?? (isPlainHost(text) ? text.toLowerCase() : undefined);
  }

  private socketTarget(expression: ts.Expression | undefined): string | null {
    if (!expression) return null;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (isPropertyAssignment(property) && property.name && isIdentifier(property.name) && property.name.text === "hostname") {
          const host = this.evaluateString(property.initializer, 0);
          return host && !host.includes(HOLE) ? host.toLowerCase() : null;
        }
      }
      return null;
    }
    const text = this.evaluateString(value, 0);
    if (!text || text.includes(HOLE)) return null;
    return text.split(":")[0]!.toLowerCase() || null;
  }

  /**
   * The string an expression evaluates to, with HOLE where a part is unknown: literals, templates,
   * concatenation, constants, `[vars]` through `env.X`, `new URL(path, base)`, `url.href`.
   */
  private evaluateString(expression: ts.Expression, depth: number): string | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isStringLiteralLike(value)) return value.text;
    if (isTemplateExpression(value)) {
      let text = value.head.text;
      for (const span of value.templateSpans) text += (this.evaluateString(span.expression, depth + 1) ?? HOLE) + span.literal.text;
      return text;
    }
    if (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken) {
      return (this.evaluateString(value.left, depth + 1) ?? HOLE) + (this.evaluateString(value.right, depth + 1) ?? HOLE);
    }
    if (isPropertyAccessExpression(value) || isElementAccessExpression(value)) {
      const name = isPropertyAccessExpression(value)
        ? value.name.text
        : isStringLiteralLike(value.argumentExpression)
          ? value.argumentExpression.text
          : undefined;
      if (name && isEnvLike(value.expression) && name in this.input.vars) return this.input.vars[name];
      if (name === "href" || name === "toString") return this.evaluateString(value.expression, depth + 1);
      if (name && isIdentifier(value.expression)) {
        // A constant object: CONFIG.API_BASE
        const declaration = declarationOf(value.expression);
        const init =
          declaration && isVariableDeclaration(declaration) && declaration.initializer
            ? unwrapExpression(declaration.initializer)
            : undefined;
        if (init && isObjectLiteralExpression(init)) {
          const property = init.properties.find(
            (p): p is ts.PropertyAssignment =>
              isPropertyAssignment(p) && !!p.name && (isIdentifier(p.name) || isStringLiteral(p.name)) && p.name.text === name,
          );
          if (property) return this.evaluateString(property.initializer, depth + 1);
        }
      }
      return undefined;
    }
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "toString")
      return this.evaluateString(value.expression.expression, depth + 1);
    if (
      isNewExpression(value) &&
      isIdentifier(value.expression) &&
      (value.expression.text === "URL" || value.expression.text === "Request")
    ) {
      const [first, second] = value.arguments ?? [];
      if (!first) return undefined;
      const path = this.evaluateString(first, depth + 1);
      if (value.expression.text === "Request" || !second) return path;
      const base = this.evaluateString(second, depth + 1);
      if (path !== undefined && hostOf(path)) return path;
      return base;
    }
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      // Declared in the file: only a constant has a known value. Otherwise maybe imported.
      if (declaration)
        return isVariableDeclaration(declaration) && declaration.initializer && isConstDeclaration(declaration)
          ? this.evaluateString(declaration.initializer, depth + 1)
          : undefined;
      return this.importedConstant(value, depth);
    }
    return undefined;
  }

  /** `API_BASE` imported from the module that declares `export const API_BASE = "https://..."`. */
  private importedConstant(identifier: ts.Identifier, depth: number): string | undefined {
    const module = this.moduleBySourceFile.get(identifier.getSourceFile());
    const imported = module?.imports.get(identifier.text);
    if (!module || !imported) return undefined;
    const target = this.moduleFor(imported.module, module);
    const exported = target?.exports.get(imported.name);
    const variable = exported?.local ? target?.variables.get(exported.local) : undefined;
    return variable?.initializer ? this.evaluateString(variable.initializer, depth + 1) : undefined;
  }

  // ---- records, findings ----

  private record(node: ts.Node, subrequest: ClassifiedSubrequest): SubrequestRecord {
    let record = this.subrequests.get(node);
    if (!record) {
      // Spelled out rather than spread: this runs for every subrequest, and spreading is slower.
      const { file, span, kind, target, category, note } = subrequest;
      record = { file, span, kind, target, category, note, criticalPath: false, waitUntil: isInsideWaitUntil(node) };
      this.subrequests.set(node, record);
      this.callOfRecord.set(record, node);
    }
    if (this.marking === "critical") {
      record.criticalPath = true;
      record.waitUntil = false;
    } else if (this.marking === "waitUntil" && !record.criticalPath) record.waitUntil = true;
    return record;
  }

  /** Subrequests in code no handler reached are still listed (off the fetch path). */
  private sweepUnreached(): void {
    const previous = this.marking;
    this.marking = "none";
    try {
      for (const module of this.modules.values()) {
        for (const node of module.calls) {
          if (this.classified.has(node) || !isLikelySubrequest(node)) continue;
          const callee = unwrapExpression(isCallExpression(node) ? node.expression : node.tag);
          const args = isCallExpression(node) ? node.arguments : [];
          const found = this.classify(node, callee, args, module);
          if (found && found !== "skip") this.record(node, found);
        }
      }
    } finally {
      this.marking = previous;
    }
  }

  private reportBlockingAnalytics(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    subrequest: Subrequest,
    module: ModuleFacts,
  ): void {
    if (
      this.findings.some(
        (f) => f.code === "subrequest-blocking-analytics" && f.span.start === subrequest.span.start && f.file === module.path,
      )
    )
      return;
    const enclosing = findAncestor(node, isFunctionLike) as ts.FunctionLikeDeclaration | undefined;
    const site = this.currentHandler;
    // The fix needs the handler's own context; inside a helper function it has none to use.
    const isHandlerBody = enclosing !== undefined && site !== undefined && site.functions.some((f) => f.fn === enclosing);
    // Only `await call();` as a statement can move: when the value is used, the code needs it.
    const statement = isDirectlyAwaitedStatement(node) ? (node.parent.parent as ts.ExpressionStatement) : undefined;
    const fix = isHandlerBody && statement ? waitUntilFix(statement, enclosing, site.form, module.path) : undefined;
    this.findings.push({
      code: "subrequest-blocking-analytics",
      file: module.path,
      span: subrequest.span,
      message: `${subrequest.target ?? "This analytics call"} is awaited on the response path: the response waits for it, and Smart Placement ignores it. Run it in ctx.waitUntil(...) instead.`,
      fixes: fix ? [fix] : [],
    });
  }

  private locate(module: ModuleFacts, node: ts.Node): string {
    const line = new LineIndex(module.text).positionAt(node.getStart(module.sourceFile)).line + 1;
    return `${basename(module.path)}:${line}`;
  }
}

// ---- syntax helpers ----

const HOLE = "\u0000";

function hostTotals(seq: Seq): Map<string, number> {
  const totals = new Map<string, number>();
  for (const step of seq.steps) for (const [host, count] of step.hosts) totals.set(host, (totals.get(host) ?? 0) + count);
  return totals;
}

/** With the file at hand, TypeScript need not walk up the parents to find it. */
function spanOf(node: ts.Node, sourceFile?: ts.SourceFile): { start: number; end: number } {
  return { start: node.getStart(sourceFile), end: node.getEnd() };
}

function extensionOf(path: string): string {
  const name = basename(path);
  return name.includes(".") ? name.slice(name.lastIndexOf(".")) : "";
}

function isPackageSpecifier(main: string): boolean {
  return !main.startsWith(".") && !main.startsWith("/") && !isSourceFile(main);
}

/** Host of an absolute URL (HOLE-free up to the end of the host), lower-cased, without port. */
function hostOf(text: string): string | undefined {
  const scheme = text.indexOf("://");
  if (scheme <= 0) return undefined;
  const rest = text.slice(scheme + 3);
  let end = rest.length;
  for (const delimiter of ["/", "?", "#"]) {
    const index = rest.indexOf(delimiter);
    if (index >= 0 && index < end) end = index;
  }
  let authority = rest.slice(0, end);
  // `https://api.example.com${path}`: a hole right after a complete host name is where the path starts.
  const hole = authority.indexOf(HOLE);
  if (hole >= 0)
    authority =
      hole > 0 && authority.slice(0, hole).includes(".") && /[a-z0-9]$/i.test(authority.slice(0, hole)) ? authority.slice(0, hole) : "";
  if (authority === "") return undefined;
  const withoutCredentials = authority.slice(authority.lastIndexOf("@") + 1);
  const host = withoutCredentials.startsWith("[")
    ? withoutCredentials.slice(0, withoutCredentials.indexOf("]") + 1)
    : withoutCredentials.split(":")[0]!;
  return host ? host.toLowerCase() : undefined;
}

function isPlainHost(text: string): boolean {
  return !text.includes(HOLE) && !text.includes("/") && text.includes(".") && !text.includes(" ");
}

function truncate(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

function printNode(node: ts.Node): string {
  return node.getText().replace(/\s+/g, " ");
}

function calleeText(call: ts.CallExpression): string {
  return truncate(printNode(call.expression));
}

function joinRoute(prefixPath: string, path: string): string {
  const joined = `${prefixPath.replace(/\/$/, "")}/${path.replace(/^\//, "")}`;
  return joined === "/" || joined === "" ? "/" : joined.replace(/\/$/, "") || "/";
}

/** `env`, `c.env`, `this.env`, `context.env`, `ctx.env`, or any identifier named like an env. */
function isEnvLike(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (isIdentifier(value)) return /^_?env(ironment)?$/i.test(value.text) || value.text === "bindings";
  if (isPropertyAccessExpression(value)) return value.name.text === "env";
  return false;
}

function heritageName(cls: ts.ClassLikeDeclaration): string | undefined {
  const clause = cls.heritageClauses?.find((c) => c.token === SyntaxKind.ExtendsKeyword);
  const type = clause?.types[0]?.expression;
  if (!type) return undefined;
  return isIdentifier(type) ? type.text : isPropertyAccessExpression(type) ? type.name.text : undefined;
}

/** An older-style Durable Object: `constructor(state, env)` and a fetch method, not extending anything. */
function isDurableObjectShaped(cls: ts.ClassLikeDeclaration): boolean {
  const constructor = cls.members.find(isConstructorDeclaration);
  const firstParam = constructor?.parameters[0]?.name;
  return (
    !!firstParam &&
    isIdentifier(firstParam) &&
    /^(state|ctx|durableObjectState)$/.test(firstParam.text) &&
    cls.members.some((m) => isMethodDeclaration(m) && !!m.name && isIdentifier(m.name) && m.name.text === "fetch")
  );
}

function rootImport(expression: ts.Expression, module: ModuleFacts): { module: string; name: string } | undefined {
  const root = chainRoot(expression);
  return root && isIdentifier(root) ? module.imports.get(root.text) : undefined;
}

/** The identifier (or `this`, or a call) a property/call chain starts from: `a` in `a.b().c.d()`. */
function chainRoot(expression: ts.Expression): ts.Expression | undefined {
  let current = unwrapExpression(expression);
  for (let i = 0; i < 64; i++) {
    if (isPropertyAccessExpression(current) || isElementAccessExpression(current)) current = unwrapExpression(current.expression);
    else if (isCallExpression(current)) current = unwrapExpression(current.expression);
    else if (isTaggedTemplateExpression(current)) current = unwrapExpression(current.tag);
    else if (isNewExpression(current)) current = unwrapExpression(current.expression);
    else return current;
  }
  return undefined;
}

/** In `X.prepare(sql).bind(...)`, the database X the statement was prepared on. */
function preparedOn(expression: ts.Expression): ts.Expression | undefined {
  let current = unwrapExpression(expression);
  for (let i = 0; i < 64; i++) {
    if (isCallExpression(current)) {
      const callee = unwrapExpression(current.expression);
      if (isPropertyAccessExpression(callee) && callee.name.text === "prepare") return unwrapExpression(callee.expression);
      current = callee;
    } else if (isPropertyAccessExpression(current)) current = unwrapExpression(current.expression);
    else return undefined;
  }
  return undefined;
}

/** The outermost call of a chain (`a.b().c()` is one operation, counted once, at its end). */
function isChainTop(node: ts.Node): boolean {
  let parent = node.parent;
  while (parent && (isParenthesizedExpression(parent) || isNonNullExpression(parent) || isAsExpression(parent))) parent = parent.parent;
  if (!parent) return true;
  if ((isPropertyAccessExpression(parent) || isElementAccessExpression(parent)) && parent.expression === node) {
    const grand = parent.parent;
    // `.then(...)` and friends consume the result: the operation itself ends here.
    if (isPropertyAccessExpression(parent) && ["then", "catch", "finally"].includes(parent.name.text)) return true;
    return !(grand && isCallExpression(grand) && grand.expression === parent);
  }
  return true;
}

function isWaitUntilCall(callee: ts.Expression, module: ModuleFacts, depth = 0): boolean {
  if (isPropertyAccessExpression(callee) && callee.name.text === "waitUntil") return true;
  if (!isIdentifier(callee)) return false;
  if (callee.text === "waitUntil") return true;
  const imported = module.imports.get(callee.text);
  if (imported) return imported.module === "cloudflare:workers" && imported.name === "waitUntil";
  // waitUntil passed on as a value: `const defer = ctx.waitUntil.bind(ctx)`.
  const declaration = depth < 4 ? declarationOf(callee) : undefined;
  let init =
    declaration && isVariableDeclaration(declaration) && declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
  if (init && isCallExpression(init) && isPropertyAccessExpression(init.expression) && init.expression.name.text === "bind") {
    init = unwrapExpression(init.expression.expression);
  }
  return init !== undefined && isWaitUntilCall(init, module, depth + 1);
}

function isInsideWaitUntil(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (isCallExpression(current)) {
      const callee = unwrapExpression(current.expression);
      if ((isPropertyAccessExpression(callee) && callee.name.text === "waitUntil") || (isIdentifier(callee) && callee.text === "waitUntil"))
        return true;
    }
    if (isFunctionDeclaration(current) || isMethodDeclaration(current)) return false;
  }
  return false;
}

/** `await call(...);` as a statement of its own: the value is unused, so it can move to waitUntil. */
function isDirectlyAwaitedStatement(node: ts.Node): boolean {
  const parent = node.parent;
  return isAwaitExpression(parent) && isExpressionStatement(parent.parent);
}

/**
 * Calls in code no handler reaches are listed only when they look like subrequests by their own
 * syntax (fetch, connect, a binding or database method, a tagged template): classifying every call
 * would cost more than the parse.
 */
const SUBREQUEST_METHODS = new Set([
  "fetch",
  "get",
  "getWithMetadata",
  "put",
  "delete",
  "list",
  "head",
  "first",
  "all",
  "run",
  "raw",
  "batch",
  "exec",
  "send",
  "sendBatch",
  "query",
  "execute",
  "connect",
  "createMultipartUpload",
]);

function isLikelySubrequest(node: ts.CallExpression | ts.TaggedTemplateExpression): boolean {
  if (isTaggedTemplateExpression(node)) return true;
  const callee = node.expression;
  if (isIdentifier(callee)) return callee.text === "fetch" || callee.text === "connect";
  return isPropertyAccessExpression(callee) && SUBREQUEST_METHODS.has(callee.name.text);
}

function isFactory(factories: readonly string[], importedName: string): boolean {
  return factories.includes(importedName) || ((importedName === "default" || importedName === "*") && factories.includes("*"));
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (getModifiers(fn) ?? []).some((m) => m.kind === SyntaxKind.AsyncKeyword);
}

function isConstDeclaration(declaration: ts.VariableDeclaration): boolean {
  return isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & NodeFlags.Const) !== 0;
}

function findAncestor<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (test(current)) return current;
  return undefined;
}

/** A function declared in an enclosing scope (a nested helper), found by walking up the scopes. */
function localFunction(identifier: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  const declaration = declarationOf(identifier);
  if (!declaration) return undefined;
  if (isFunctionDeclaration(declaration)) return declaration;
  if (isVariableDeclaration(declaration) && declaration.initializer) {
    const init = unwrapExpression(declaration.initializer);
    if (isArrowFunction(init) || isFunctionExpression(init)) return init;
  }
  return undefined;
}

/**
 * The files the current analysis loaded, so that helpers holding only a node can resolve names.
 * Replaced, not cleared, after each analysis: entries in a long-lived map (even a cleared one)
 * keep trees alive through minor collections, which made the whole analysis several times
 * slower; so does a WeakMap whose values point back into the trees.
 */
let loadedModules = new Map<ts.SourceFile, ModuleFacts>();

function declarationOf(identifier: ts.Identifier): ts.Node | undefined {
  const module = loadedModules.get(identifier.getSourceFile());
  return module ? lookupDeclaration(module.declarations, identifier) : undefined;
}
