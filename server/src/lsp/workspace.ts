import type { TextDocument } from "vscode-languageserver-textdocument";
import type { TextDocuments } from "vscode-languageserver";
import { analyzeConfig, analyzePagesProject, type ConfigAnalysis, type ConfigCache, type WorkerResult } from "../core/analysis";
import type { EstimateOptions } from "../core/estimate/estimate";
import { pagesProjectOf, type PagesProject } from "../core/pagesProject";
import { configFormatOf, isWranglerConfigName } from "../core/config/model";
import { discoverConfigs } from "../core/discovery";
import { basename, ContainedFileSystem, dirname, isInside, joinPath, normalizePath, relativePath, type FileSystem } from "../core/fs";
import type { Finding } from "../core/findings";
import { LineIndex } from "../core/text";
import { createAnalysisCache, type AnalysisCache } from "../core/worker/analyze";
import { workspaceRootsAbove } from "../core/worker/resolve";
import { NodeFileSystem } from "../host/nodeFileSystem";
import { pathToUri, uriToPath } from "./convert";
import { DEFAULT_ASSUME, DEFAULT_PLATFORM_RULES } from "../core/platform";
import { effectiveSeverity, type Severity } from "../core/rules/catalogue";
import { isSettingsFileName, mergeSeverity, type SettingsFile } from "../core/settingsFile";
import { DEFAULT_SETTINGS, type Settings } from "./settings";
import { checkTrace } from "../core/rules/trace";
import { withoutSuppressed } from "../core/suppressions";
import type { TraceJsonWorker } from "../core/trace/report";

/** `wrangler.<name>.toml|json|jsonc`: a named variant of a config, deployed with `wrangler deploy -c`. */
function isNamedConfig(path: string): boolean {
  const name = basename(path);
  const parts = name.split(".");
  return parts.length >= 3 && parts[0] === "wrangler" && configFormatOf(path) !== undefined && parts.slice(1, -1).every((p) => p !== "");
}

/** Open documents over the disk: what the editor shows wins over what is saved. */
export class OverlayFileSystem implements FileSystem {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    readonly disk: FileSystem = new NodeFileSystem(),
  ) {}

  private open(path: string): TextDocument | undefined {
    return this.documents.get(pathToUri(path));
  }

  readFile(path: string): string | undefined {
    return this.open(path)?.getText() ?? this.disk.readFile(path);
  }

  stat(path: string): "file" | "directory" | undefined {
    return this.open(path) ? "file" : this.disk.stat(path);
  }

  readDirectory(path: string): string[] | undefined {
    return this.disk.readDirectory(path);
  }

  realPath(path: string): string {
    return this.disk.realPath(path);
  }
}

/**
 * Everything the server knows: the wrangler configs of the workspace and their latest analyses.
 * Every capability reads from here; only `refresh` computes.
 */
export class Workspace {
  readonly fs: FileSystem;
  settings: Settings = DEFAULT_SETTINGS;
  /** Whether the editor applies workspace edits that create files (a new shared settings file). */
  canCreateFiles = false;
  private roots: string[] = [];
  private readonly configs = new Set<string>();
  /** Pages projects without a wrangler config, by folder (analysed like configs, keyed by the folder). */
  private readonly projects = new Set<string>();
  private readonly analyses = new Map<string, ConfigAnalysis>();
  private readonly completeAnalyses = new Map<string, ConfigAnalysis>();
  private readonly cache: AnalysisCache = createAnalysisCache();
  private readonly configCache: ConfigCache = new Map();
  private scanned = false;
  private readonly lineIndexes = new Map<string, { text: string; index: LineIndex }>();
  /**
   * The last Trace Locally results per config, with the texts of the config and the Worker's files
   * they were taken with: once any of those changes, the results no longer describe the code.
   */
  private readonly traces = new Map<string, { workers: readonly TraceJsonWorker[]; texts: ReadonlyMap<string, string | undefined> }>();

  /** The disk confined to the workspace folders: nothing outside them is read (see ContainedFileSystem). */
  private readonly contained: ContainedFileSystem | undefined;
  /** The disk itself, to find the workspace a folder belongs to above it (outside what is contained). */
  private readonly disk: FileSystem | undefined;

  /**
   * @param log lines every user sees in the output (problems, the scan's summary)
   * @param trace lines per file, shown only when the client asks for a trace (`trace.server`)
   */
  constructor(
    documents: TextDocuments<TextDocument>,
    private readonly log: (message: string) => void = () => undefined,
    fs?: FileSystem,
    private readonly trace: (message: string) => void = () => undefined,
  ) {
    if (fs) this.fs = fs;
    else {
      this.disk = new NodeFileSystem();
      this.contained = new ContainedFileSystem(this.disk);
      this.fs = new OverlayFileSystem(documents, this.contained);
    }
  }

  /**
   * A path as the developer knows it: relative to the workspace folder that holds it (prefixed
   * with the folder's name when there are several), else as it is.
   */
  displayPath(path: string): string {
    const root = this.roots.find((r) => isInside(path, r));
    if (root === undefined) return path;
    const relative = relativePath(root, path);
    if (this.roots.length === 1) return relative;
    return relative === "." ? basename(root) : `${basename(root)}/${relative}`;
  }

  setRoots(uris: readonly string[]): void {
    this.roots = [...new Set(uris.flatMap((uri) => uriToPath(uri) ?? []).map(normalizePath))];
    // A folder opened inside a workspace package (`packages/worker`): the workspace it belongs to is
    // read too, as the CLI does, since its sibling packages are the Worker's code. Only the opened
    // folders are scanned for configs.
    if (this.contained && this.disk) this.contained.setRoots([...this.roots, ...workspaceRootsAbove(this.disk, this.roots)]);
    this.scanned = false;
  }

  /** Workspace folders added and removed after start: the new ones are searched, the removed ones forgotten. */
  changeRoots(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed.flatMap((uri) => uriToPath(uri) ?? []).map(normalizePath));
    const kept = this.roots.filter((root) => !gone.has(root));
    this.setRoots([...kept, ...added.flatMap((uri) => uriToPath(uri) ?? [])].map((path) => pathToUri(path)));
    for (const config of [...this.configs]) {
      if (this.roots.some((root) => isInside(config, root))) continue;
      this.configs.delete(config);
      this.analyses.delete(config);
      this.completeAnalyses.delete(config);
      this.configCache.delete(config);
    }
  }

  /** Finds every config below the workspace roots, once; cheap to call again. */
  scanWorkspace(): void {
    if (this.scanned) return;
    this.scanned = true;
    for (const root of this.roots) {
      const found = discoverConfigs(this.fs, root);
      for (const file of found.files) this.configs.add(file);
      for (const dir of found.projects) {
        this.projects.add(dir);
        this.configs.add(dir);
      }
      for (const path of found.unreadable) this.log(`cannot read ${this.displayPath(path)}`);
      if (found.outside > 0) this.log(`${this.displayPath(root)}: ${found.outside} symlink(s) out of the folder not followed`);
    }
  }

  /**
   * Whether a file is a wrangler config: `wrangler.toml|json|jsonc`, and `wrangler.<name>.toml|json|jsonc`
   * (a variant deployed with `-c`), which is analysed when it is opened or known, but not looked for
   * by the workspace scan.
   */
  isConfig(path: string): boolean {
    return isWranglerConfigName(basename(path)) || isNamedConfig(path);
  }

  /** The configs whose analysis depends on `path` (the config itself, or a Worker source it reads). */
  configsAffectedBy(path: string): string[] {
    if (this.isConfig(path)) return [path];
    // package.json (wrangler version, shared settings) and the shared settings files apply below their folder.
    if (isSettingsFileName(path)) return [...this.configs].filter((config) => config.startsWith(dirname(path) + "/"));
    const users = [...this.analyses.values()]
      .filter((analysis) => analysis.workers.some((worker) => worker.analysis.files.includes(path)))
      .map((analysis) => analysis.config.file);
    if (users.length > 0) return users;
    const nearest = this.nearestConfig(path) ?? this.nearestProject(path);
    return nearest ? [nearest] : [];
  }

  /** The nearest wrangler config above a file, the same way every time (json, jsonc, then toml). */
  nearestConfig(path: string): string | undefined {
    let dir = dirname(path);
    for (let depth = 0; depth < 64; depth++) {
      for (const name of ["wrangler.json", "wrangler.jsonc", "wrangler.toml"]) {
        const candidate = joinPath(dir, name);
        if (this.fs.stat(candidate) === "file") return candidate;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  }

  /** The Pages project without a config that holds `path`, if one is known or the folder above it is one. */
  private nearestProject(path: string): string | undefined {
    let dir = dirname(path);
    for (let depth = 0; depth < 64; depth++) {
      if (this.projects.has(dir)) return dir;
      if (this.fs.stat(joinPath(dir, "package.json")) === "file") {
        if (pagesProjectOf(this.fs, dir) && this.roots.some((root) => isInside(dir, root))) {
          this.projects.add(dir);
          return dir;
        }
        return undefined;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  }

  /** Re-analyses the given configs (a deleted one is forgotten). Returns the configs analysed. */
  refresh(configFiles: readonly string[]): string[] {
    const done: string[] = [];
    for (const file of configFiles) {
      if (this.projects.has(file)) {
        const project = pagesProjectOf(this.fs, file);
        if (!project) {
          this.projects.delete(file);
          this.configs.delete(file);
          this.analyses.delete(file);
          continue;
        }
        this.configs.add(file);
        this.completeAnalyses.delete(file);
        this.analyses.set(file, this.analyseProject(project, false));
        done.push(file);
        continue;
      }
      const text = this.fs.readFile(file);
      if (text === undefined || !configFormatOf(file)) {
        this.configs.delete(file);
        this.analyses.delete(file);
        this.configCache.delete(file);
        continue;
      }
      this.configs.add(file);
      this.completeAnalyses.delete(file);
      const started = Date.now();
      this.analyses.set(file, this.analyse(file, text, false));
      this.trace(`analysed ${this.displayPath(file)} in ${Date.now() - started} ms`);
      done.push(file);
    }
    return done;
  }

  /** How many function summaries analyses kept for later ones, and how many were replayed. */
  summaryStats(): { kept: number; replayed: number } {
    return { ...this.cache.summaryStats };
  }

  private analyseProject(project: PagesProject, listUnreached: boolean): ConfigAnalysis {
    const { cache, configCache } = this;
    return analyzePagesProject(this.fs, project, {
      cache,
      configCache,
      listUnreached,
      ...this.editorOptions(),
      estimate: this.estimateOptions(),
    });
  }

  /** What the editor's settings add to (or, where set, override in) the shared settings file. */
  private editorOptions(): { hostCategories: Settings["hosts"]; platformRules?: Settings["platformRules"]; assume?: Settings["assume"] } {
    const { hosts, platformRules, assume } = this.settings;
    // The editor's defaults leave the choice to the shared settings file.
    return {
      hostCategories: hosts,
      ...(platformRules !== DEFAULT_PLATFORM_RULES ? { platformRules } : {}),
      ...(assume !== DEFAULT_ASSUME ? { assume } : {}),
    };
  }

  private analyse(file: string, text: string, listUnreached: boolean): ConfigAnalysis {
    const { cache, configCache } = this;
    return analyzeConfig(this.fs, file, text, {
      cache,
      configCache,
      listUnreached,
      ...this.editorOptions(),
      estimate: this.estimateOptions(),
    });
  }

  private estimateOptions(): EstimateOptions {
    return { backends: this.settings.backends, userLocations: this.settings.userLocations };
  }

  /**
   * The analysis with subrequests in code no handler reaches listed too. Keystrokes skip that part
   * (it costs more than the rest); a hover on such a call asks for it, once per version.
   */
  completeAnalysis(configFile: string): ConfigAnalysis | undefined {
    const known = this.completeAnalyses.get(configFile);
    if (known) return known;
    if (this.projects.has(configFile)) {
      const project = pagesProjectOf(this.fs, configFile);
      if (!project || !this.analyses.has(configFile)) return undefined;
      const complete = this.analyseProject(project, true);
      this.completeAnalyses.set(configFile, complete);
      return complete;
    }
    const text = this.fs.readFile(configFile);
    if (text === undefined || !this.analyses.has(configFile)) return undefined;
    const analysis = this.analyse(configFile, text, true);
    this.completeAnalyses.set(configFile, analysis);
    return analysis;
  }

  /** Known configs not analysed yet. */
  pendingConfigs(): string[] {
    return [...this.configs].filter((file) => !this.analyses.has(file));
  }

  analysis(configFile: string): ConfigAnalysis | undefined {
    return this.analyses.get(configFile);
  }

  allAnalyses(): ConfigAnalysis[] {
    return [...this.analyses.values()];
  }

  /**
   * Findings in `path` as shown: each with its severity from the editor's settings over the
   * shared settings file of its config; those turned off are left out.
   */
  shownFindingsIn(path: string): Array<{ finding: Finding; severity: Severity }> {
    const seen = new Set<string>();
    const result: Array<{ finding: Finding; severity: Severity }> = [];
    for (const analysis of this.analyses.values()) {
      const overrides = mergeSeverity(analysis.settings?.settings.severity, this.settings.severity);
      for (const finding of [...analysis.findings, ...this.traceFindings(analysis)]) {
        if (finding.file !== path) continue;
        const key = `${finding.code}:${finding.span.start}:${finding.span.end}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const severity = effectiveSeverity(finding.code, overrides);
        if (severity) result.push({ finding, severity });
      }
    }
    return result;
  }

  /**
   * Keeps a trace's results for a config (replacing the last ones): its Workers' disagreements are
   * shown as `trace-disagrees` findings until a file of the Worker changes or a new trace agrees.
   * Returns how many findings they make.
   */
  setTrace(configFile: string, workers: readonly TraceJsonWorker[]): number {
    const analysis = this.analyses.get(configFile);
    if (!analysis || workers.length === 0) {
      this.traces.delete(configFile);
      return 0;
    }
    const files = new Set([configFile, ...analysis.workers.flatMap((w) => w.analysis.files)]);
    this.traces.set(configFile, { workers, texts: new Map([...files].map((file) => [file, this.fs.readFile(file)])) });
    return this.traceFindings(analysis).length;
  }

  /** The kept trace results of a config while they still describe its files; stale ones are dropped. */
  traceOf(configFile: string): readonly TraceJsonWorker[] {
    const trace = this.traces.get(configFile);
    if (!trace) return [];
    for (const [file, text] of trace.texts)
      if (this.fs.readFile(file) !== text) {
        this.traces.delete(configFile);
        return [];
      }
    return trace.workers;
  }

  private traceFindings(analysis: ConfigAnalysis): Finding[] {
    const traced = this.traceOf(analysis.config.file);
    if (traced.length === 0) return [];
    const findings = analysis.workers.flatMap((worker) =>
      traced.filter((t) => t.env === worker.env.name).flatMap((t) => checkTrace(worker, t)),
    );
    return withoutSuppressed(this.fs, findings);
  }

  /** The shared settings file that applies to a config or source file (nearest config's), if any. */
  settingsFor(path: string): SettingsFile | undefined {
    const config = this.isConfig(path) ? path : this.configsAffectedBy(path)[0];
    return config ? this.analyses.get(config)?.settings : undefined;
  }

  /** The Workers whose analysis reads `path` (as config or as source). */
  workersFor(path: string): Array<{ analysis: ConfigAnalysis; worker: WorkerResult }> {
    const result: Array<{ analysis: ConfigAnalysis; worker: WorkerResult }> = [];
    for (const analysis of this.analyses.values()) {
      for (const worker of analysis.workers) {
        if (analysis.config.file === path || worker.analysis.files.includes(path)) result.push({ analysis, worker });
      }
    }
    return result;
  }

  text(path: string): string | undefined {
    return this.fs.readFile(path);
  }

  lines(path: string): LineIndex | undefined {
    const text = this.fs.readFile(path);
    if (text === undefined) return undefined;
    const cached = this.lineIndexes.get(path);
    if (cached?.text === text) return cached.index;
    const index = new LineIndex(text);
    this.lineIndexes.set(path, { text, index });
    return index;
  }

  documentPath(uri: string): string | undefined {
    const path = uriToPath(uri);
    return path ? normalizePath(path) : undefined;
  }
}
