import ts from "typescript";
import { basename, dirname, joinPath, relativePath, type FileSystem } from "../fs";
import { isPackageSpecifier, resolveFile, type ModuleResolver } from "./resolve";
import { CallClassifier } from "./classify";
import { DeadCode } from "./deadCode";
import { ObjectOwnedClasses } from "./objectOwnedClasses";
import { offFetchClassFunctions } from "./offFetchClasses";
import { AnalysisContext } from "./context";
import { numberRoundTrips, routeOf, worst, type Seq } from "./flow";
import { HandlerDiscovery } from "./handlers/discover";
import { detectFramework, FRAMEWORK_NAMES, FrameworkRoutes, nearestManifest } from "./handlers/frameworks";
import { routelessNitroApp } from "./handlers/nitroEmpty";
import { isTanStackServerEntry } from "./handlers/tanstack";
import { ModuleLoader, type ModuleImports } from "./loader";
import type { ModuleFacts } from "./module";
import { KeptSummaries, type SummaryStats } from "./summaries";
import { extensionOf, findAncestor, rootImport, setLoadedModules, spanOf } from "./syntax";
import { AUTHJS_FRAMEWORKS } from "./sdks";
import type { HandlerSite } from "./handlers/types";
import type { BackendStep, EntryProblemKind, Handler, WorkerAnalysis, WorkerAnalysisInput } from "./types";
import { ValueResolver } from "./values";
import { unrecorded } from "./varReads";
import { PathWalker } from "./walk";
import { analyzePythonWorker } from "./python/analyze";
import { ownEntry } from "../tables";

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
  /**
   * One run over files that do not change while it lasts (the CLI): every tree is kept from its
   * first read, and module resolutions are shared by all the run's Workers. Workers of a monorepo
   * share packages, and a file parsed once per Worker made a large repository's run several times
   * its parse time. Undefined where files change (the editor).
   */
  readonly oneRun?: {
    readonly resolvers: WeakMap<FileSystem, ModuleResolver>;
    /** Where each module's imports resolve, by file system (before paths are made canonical per analysis). */
    readonly targets: WeakMap<FileSystem, WeakMap<ModuleFacts, ModuleImports>>;
    /** Whether a node waits or leaves (see StatementWalker.pauses): read from the tree alone, kept for the run. */
    readonly pausing: Map<ts.Node, boolean>;
  };
}

export function createAnalysisCache(capacity = 400, options: { keepSummaries?: boolean; oneRun?: boolean } = {}): AnalysisCache {
  return {
    modules: new Map(),
    seen: new Set(),
    capacity: options.oneRun ? Number.POSITIVE_INFINITY : capacity,
    keepSummaries: options.keepSummaries ?? true,
    summaryStats: { kept: 0, replayed: 0 },
    ...(options.oneRun ? { oneRun: { resolvers: new WeakMap(), targets: new WeakMap(), pausing: new Map() } } : {}),
  };
}

/**
 * Analyses one Worker: finds its entry and handlers, walks every path through its fetch handler(s)
 * and reports the round trips of the worst one. The work is done by the parts of AnalysisContext.
 */
export function analyzeWorker(input: WorkerAnalysisInput, cache: AnalysisCache = createAnalysisCache()): WorkerAnalysis {
  const analysis = new Analysis(input, cache);
  setLoadedModules(analysis.ctx.loader.moduleBySourceFile);
  try {
    return analysis.run();
  } finally {
    setLoadedModules(new Map());
    analysis.ctx.loader.trimCache();
  }
}

/**
 * Why a `main` with no Worker handler exports is not read as a Worker without a fetch handler: the
 * project's package.json names a web framework the analysis follows and the framework's route
 * modules exist, so requests are likely served by the framework's build, which `main` does not
 * name. Undefined when `main` is not the entry, or no such framework is there.
 */
function frameworkBesideHandlerlessMain(ctx: AnalysisContext, entry: string | undefined): string | undefined {
  const { main, projectRoot } = ctx.input;
  if (!main || entry === undefined || resolveFile(ctx.fs, joinPath(projectRoot, main)) !== entry) return undefined;
  const manifest = nearestManifest(ctx.fs, projectRoot);
  const detected = manifest ? detectFramework(manifest, null) : undefined;
  if (!manifest || !detected || !("kind" in detected)) return undefined;
  const project = { kind: detected.kind, root: dirname(manifest.file) };
  const routeFiles = new FrameworkRoutes(ctx, project).sourceFiles().filter((file) => file !== entry);
  if (routeFiles.length === 0) return undefined;
  const name = FRAMEWORK_NAMES[detected.kind];
  return `main "${main}" exports no Worker handler (no fetch, scheduled or queue handler, no Durable Object), yet the project is a ${name} app with route modules (${relativePath(projectRoot, routeFiles[0]!)}${routeFiles.length > 1 ? ", ..." : ""}): requests are likely served by the ${name} build, which this main does not name, so which code runs cannot be told.`;
}

class Analysis {
  readonly ctx: AnalysisContext;
  private notes: readonly string[] = [];
  private entryWarning: string | undefined;

  /** `env.DB` used by the code, declared only in other environments: counted as their binding is (said so). */
  private otherEnvNotes(): string[] {
    return [...this.ctx.usedOtherEnvBindings].sort().map((name) => {
      const other = this.ctx.otherEnvBindings.get(name)!;
      const where = other.envs.map((e) => `[env.${e}]`).join(", ");
      return `${name} is declared only under ${where}, not for this environment: its calls are counted as that ${other.kind} binding's (the code is the same; deployed without it, they fail)`;
    });
  }

  constructor(input: WorkerAnalysisInput, cache: AnalysisCache) {
    const ctx = new AnalysisContext(input, cache);
    ctx.loader = new ModuleLoader(ctx);
    ctx.handlers = new HandlerDiscovery(ctx);
    ctx.values = new ValueResolver(ctx);
    ctx.classifier = new CallClassifier(ctx);
    ctx.walker = new PathWalker(ctx);
    if (cache.keepSummaries) {
      // What a walk reads of the input: Workers of one repository that share a package and agree
      // on these share the package's summaries (the project folder is not read by a kept walk).
      const { vars, settingsVars, disabledVars, structuredVars, bindings, otherEnvBindings, hostCategories, platformRules, assume, alias } =
        input;
      const key = JSON.stringify([
        alias ?? null,
        unrecorded(vars),
        settingsVars ?? null,
        disabledVars ?? null,
        structuredVars ?? null,
        bindings,
        otherEnvBindings ?? null,
        hostCategories ?? null,
        platformRules ?? null,
        assume ?? null,
      ]);
      ctx.kept = new KeptSummaries(key, ctx.loader.modules, cache.summaryStats, vars, cache.oneRun !== undefined);
    }
    this.ctx = ctx;
  }

  run(): WorkerAnalysis {
    const { ctx } = this;
    const { loader, walker } = ctx;
    const plan = loader.findEntries();
    this.notes = plan.notes;
    this.entryWarning = plan.warning;
    if (plan.problem) return this.result(null, plan.problem, [], null, [], plan.problemKind);
    if (plan.python) return analyzePythonWorker(ctx.input, plan.entries[0]!, plan.notes);
    let routes = plan.framework ? new FrameworkRoutes(ctx, plan.framework) : undefined;
    let entries = routes ? routes.sourceFiles() : plan.entries;
    if (routes && entries.length === 0) {
      // No route modules in the sources: the build output, when it exists, is what runs.
      const { main } = ctx.input;
      const built = main ? resolveFile(ctx.fs, joinPath(ctx.input.projectRoot, main)) : undefined;
      const name = FRAMEWORK_NAMES[plan.framework!.kind];
      if (!built && main && isTanStackServerEntry(main))
        return this.result(
          null,
          `main "${main}" is ${name}'s own server entry, and none of the app's route modules were found (src/routes): no prediction can be made from its code.`,
          [],
          null,
          [],
          "framework-output",
        );
      // A standalone Nitro app with no route, API, middleware or plugin folder and a config that adds
      // no handler: the generated fetch handler only serves assets and 404s, with no code of the app's.
      const routeless = !built && plan.framework!.kind === "nuxt" ? routelessNitroApp(ctx.fs, plan.framework!.root) : undefined;
      if (routeless) {
        this.notes = [
          `the Nitro app has no request handlers (no routes/, api/, middleware/ or plugins/ folder, and its config adds none): its fetch handler only serves static assets and 404s`,
        ];
        const handler: Handler = {
          kind: "fetch",
          file: routeless,
          span: { start: 0, end: 0 },
          form: `${name} app (no routes)`,
          roundTrips: 0,
        };
        return this.result(routeless, null, [handler], null, []);
      }
      if (!built)
        return this.result(
          null,
          `${main ? `main "${main}" is ${name} build output that does not exist yet` : `the ${name} app has no build output`}, and none of the app's route modules were found: build the project first, then the prediction can be made from its code.`,
          [],
          null,
          [],
          "framework-output",
        );
      routes = undefined;
      this.notes = [];
      entries = [built];
    }
    for (const entry of entries) loader.load(entry);
    // Past the module limit, closures are cut off where the limit fell: no summaries then.
    if (loader.exhausted) ctx.kept = undefined;
    const sites = routes
      ? routes.sites(ctx.handlers)
      : plan.pages
        ? ctx.handlers.pagesHandlers(entries)
        : entries[0] !== undefined
          ? loader.modules.get(entries[0])
            ? ctx.handlers.handlersOf(loader.modules.get(entries[0])!)
            : undefined
          : [];
    if (!sites)
      return this.result(
        null,
        `The Worker's source could not be analysed: its entry ${relativePath(ctx.input.projectRoot, entries[0]!)} is a declaration file or cannot be read.`,
        [],
        null,
        [],
      );
    // A `main` that exports no Worker handler at all, in the project of a web framework whose routes
    // exist: the config may name a module of the app by mistake while the framework's build is what
    // is deployed. Not a silent "no fetch handler": which Worker runs cannot be told.
    const framework = sites.length === 0 && !routes && !plan.pages ? frameworkBesideHandlerlessMain(ctx, entries[0]) : undefined;
    if (framework) return this.result(null, framework, [], null, [], "framework-output");
    // Auth.js made by a framework integration serves its own routes (the OAuth callback) next to the app's.
    if (sites.some((s) => s.kind === "fetch")) sites.push(...authJsSites(ctx));
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
      const seq = walker.analyseFetchHandler(site);
      handlers.push({
        kind: "fetch",
        file: site.module.path,
        span: site.span,
        form: site.form,
        roundTrips: seq.backend,
        backendSteps: backendStepsOf(seq),
        // A handler that hands the request to an app (`app.fetch(request)`) counts that app's worst route;
        // a route whose path names a part of it (`POST /api/mcp tool add` of an MCP server) is named so.
        ...((site.route ?? routeOf(seq)) ? { route: refinedRoute(site.route, routeOf(seq)) } : {}),
      });
      worstSeq = worstSeq ? worst(worstSeq, seq) : seq;
    }
    // Other handlers' code is walked too, so their subrequests are listed (off the fetch path).
    for (const site of sites) if (site.kind !== "fetch") for (const { fn, module } of site.functions) walker.functionOutcome(fn, module, 0);
    // So is what a framework runs at build time (prerendered pages).
    for (const { fn, module } of routes?.buildTime ?? []) walker.functionOutcome(fn, module, 0);
    // The editor skips the sweep for speed, except where it decides something: a fetch path with no
    // back-end round trip, while calls to back ends sit in code no handler was seen to reach.
    const nothingOnPath = worstSeq !== null && worstSeq.possible === 0;
    if (ctx.input.listUnreached !== false || nothingOnPath) {
      // The code of classes the runtime runs apart from requests (a Workflow's run, a Durable
      // Object's methods) is walked as other handlers' is: what it calls is theirs, not lost wiring.
      for (const { fn, module } of offFetchClassFunctions(ctx)) walker.functionOutcome(fn, module, 0);
      // Calls in code no request can run (a helper nothing calls, module top level) are not lost wiring.
      // Modules only types or (in an app of server components) only client components lead to are no server code.
      const dead = new DeadCode(ctx, { entries, clientBoundary: routes?.project.kind === "next" });
      const owned = new ObjectOwnedClasses(ctx);
      const notCounted: string[] = [];
      const lost = walker.sweepUnreached().filter((u) => {
        // Code a Durable Object runs (its methods, and the classes only it makes) is not lost wiring.
        if (u.inDurableObject || owned.has(u.node)) return false;
        if (!nothingOnPath) return true;
        if (dead.inOtherHandler(u.node) || dead.reachedOnlyByOtherHandlers(u.node, u.module)) return false;
        const why = dead.deadReason(u.node, u.module);
        if (why !== undefined && why !== "module top level") notCounted.push(`${u.where()}: ${why}`);
        return why === undefined;
      });
      // Said, so a reader can check it: calls dropped because no request can run them.
      if (notCounted.length > 0)
        this.notes = [
          ...this.notes,
          `not counted: ${notCounted.length === 1 ? "a call" : `${notCounted.length} calls`} to back ends where no request of the Worker runs ${notCounted.length === 1 ? "it" : "them"} (${notCounted.slice(0, 3).join("; ")}${notCounted.length > 3 ? "; ..." : ""})`,
        ];
      // Calls on clients of libraries the analyser does not know count too: their round trips are unknown, never 0.
      const what = lost.every((u) => u.unknownClient)
        ? "on clients of libraries the analyser does not know"
        : lost.some((u) => u.unknownClient)
          ? "to back ends or on clients of libraries the analyser does not know"
          : "to back ends";
      if (nothingOnPath && lost.length > 0)
        ctx.unknowns.push(
          `no round trip to a back end was seen on the fetch path, yet ${lost.length === 1 ? "a call" : `${lost.length} calls`} ${what} ${lost.length === 1 ? "is" : "are"} in code no handler was seen to reach (${lost
            .slice(0, 3)
            .map((u) => u.where())
            .join(", ")}${lost.length > 3 ? ", ..." : ""}): how ${lost.length === 1 ? "it is" : "they are"} called could not be followed`,
        );
      // Code of the project's own that could not be found (an alias the resolver does not follow),
      // called where no handler was seen to reach: what it does is unknown, never nothing.
      const hidden = nothingOnPath && ctx.unknowns.length === 0 ? unfoundProjectCalls(ctx) : [];
      if (hidden.length > 0)
        ctx.unknowns.push(
          `no round trip to a back end was seen on the fetch path, yet code no handler was seen to reach calls modules the analyser could not find in the project (${hidden.slice(0, 3).join(", ")}${hidden.length > 3 ? ", ..." : ""})`,
        );
    }
    ctx.kept?.prune();
    if (worstSeq) numberRoundTrips(worstSeq);
    return this.result(entries[0] ?? null, null, handlers, worstSeq, entries);
  }

  private result(
    entry: string | null,
    problem: string | null,
    handlers: Handler[],
    seq: Seq | null,
    entries: readonly string[],
    problemKind?: EntryProblemKind,
  ): WorkerAnalysis {
    const hasFetch = handlers.some((h) => h.kind === "fetch");
    const backends = seq
      ? [...hostTotals(seq)]
          .map(([host, roundTrips]) => ({ host, roundTrips }))
          .sort((a, b) => b.roundTrips - a.roundTrips || a.host.localeCompare(b.host))
      : [];
    const subrequests = [...this.ctx.walker.subrequests.values()].sort((a, b) =>
      a.file === b.file ? a.span.start - b.span.start : a.file.localeCompare(b.file),
    );
    return {
      entry,
      entryProblem: problem ? { message: problem, ...(problemKind ? { kind: problemKind } : {}) } : null,
      ...(this.entryWarning && !problem ? { entryWarning: this.entryWarning } : {}),
      ...(this.notes.length > 0 || this.ctx.walker.dispatchNotes.size > 0 || this.ctx.usedOtherEnvBindings.size > 0
        ? { notes: [...this.notes, ...this.ctx.walker.dispatchNotes, ...this.otherEnvNotes()] }
        : {}),
      handlers,
      subrequests,
      roundTrips: hasFetch && seq ? seq.backend : hasFetch ? 0 : null,
      possibleRoundTrips: hasFetch && seq ? seq.possible : hasFetch ? 0 : null,
      backends,
      unknowns: [...new Set(this.ctx.unknowns)],
      servesAssetsBinding: this.ctx.walker.servesAssets,
      pagesCatchAllMiddleware: entries.some(
        (e) => e === joinPath(this.ctx.input.projectRoot, "functions") + "/_middleware" + extensionOf(e),
      ),
      findings: this.ctx.findings,
      files: [...this.ctx.loader.modules.keys()],
      criticalSteps: seq ? seq.steps : [],
    };
  }
}

function backendStepsOf(seq: Seq): BackendStep[] {
  return seq.steps.filter((step) => step.backend > 0).map((step) => ({ count: step.backend, hosts: [...step.hosts.keys()] }));
}

function hostTotals(seq: Seq): Map<string, number> {
  const totals = new Map<string, number>();
  for (const step of seq.steps) for (const [host, count] of step.hosts) totals.set(host, (totals.get(host) ?? 0) + count);
  return totals;
}

/**
 * The OAuth callback route of each Auth.js handler a framework integration makes
 * (`export const { handle } = SvelteKitAuth(config)`, `NextAuth(config)`): the factory call stands
 * for it (CallClassifier.authCallbacks counts the provider's round trips).
 */
function authJsSites(ctx: AnalysisContext): HandlerSite[] {
  return ctx.classifier.authJsSetups().map(({ call, module, name, facts }) => {
    const basePath = ownEntry(AUTHJS_FRAMEWORKS, module)!.basePath;
    ctx.classifier.authCallbacks.set(call, basePath);
    const adapterTrip = ctx.classifier.authJsAdapterTrip(call, facts);
    return {
      kind: "fetch",
      form: `Auth.js ${name === "default" ? "NextAuth" : name}(...) from "${module}", OAuth callback`,
      module: facts,
      span: spanOf(call, facts.sourceFile),
      functions: [],
      calls: [{ call, module: facts }],
      ...(adapterTrip ? { tripsAfter: [adapterTrip] } : {}),
      route: `GET ${basePath}/callback/[provider]`,
    };
  });
}

/** A site's route, or the route of its counted path when the site has none or that one refines it. */
function refinedRoute(site: string | undefined, counted: string | undefined): string | undefined {
  if (site === undefined) return counted;
  return counted !== undefined && counted.startsWith(site + " ") ? counted : site;
}

/** Awaited calls (at most a few) of functions imported from the project's own modules that could not be found: `file:line "specifier"`. */
function unfoundProjectCalls(ctx: AnalysisContext): string[] {
  const found: string[] = [];
  for (const module of ctx.loader.modules.values()) {
    for (const call of module.calls) {
      if (found.length >= 4) return found;
      // Awaited (as the walk asks of a reached call), or run at module level, where what it returns
      // may be the app's routes (`for (const r of routeTable()) app.get(r.path, r.handler)`).
      if (!ts.isCallExpression(call) || !(ts.isAwaitExpression(call.parent) || !findAncestor(call, ts.isFunctionLike))) continue;
      const root = rootImport(call.expression, module);
      if (!root || isPackageSpecifier(root.module) || !isSourceLike(root.module) || ctx.loader.moduleFor(root.module, module)) continue;
      // A framework's virtual modules (SvelteKit's `$app/navigation`, Nuxt's `#imports`) are no code of the project's.
      if (VIRTUAL_MODULES.some((prefix) => root.module === prefix || root.module.startsWith(prefix + "/"))) continue;
      const line = module.sourceFile.getLineAndCharacterOfPosition(call.getStart(module.sourceFile)).line + 1;
      found.push(`${basename(module.path)}:${line} "${root.module}"`);
    }
  }
  return found;
}

const VIRTUAL_MODULES = ["$app", "$env", "$service-worker", "#imports", "#app", "#build", "#components", "#internal", "~icons"];

/** A specifier that may name source code (not a stylesheet, an image or data). */
function isSourceLike(specifier: string): boolean {
  const last = specifier.split("/").pop() ?? "";
  const dot = last.lastIndexOf(".");
  return dot <= 0 || /^\.(?:[cm]?[jt]sx?)$/.test(last.slice(dot));
}
