import {
  effectivePlacement,
  loadWranglerConfig,
  type EffectivePlacement,
  type WorkerEnvironment,
  type WranglerConfig,
} from "./config/model";
import { toPlainValue } from "./config/tree";
import { declaredBindings } from "./config/bindingSections";
import { basename, dirname, joinPath, type FileSystem } from "./fs";
import type { PagesProject } from "./pagesProject";
import { dedupeFindings, type Finding } from "./findings";
import { DEFAULT_ASSUME, DEFAULT_PLATFORM_RULES, type AssumeMode, type PlatformRules } from "./platform";
import { estimatePlacement, type Estimate, type EstimateOptions } from "./estimate/estimate";
import { predict } from "./predict/predict";
import { ignoredTargetReason } from "./predict/ignoredTarget";
import type { Prediction } from "./predict/types";
import { checkConfig, selectEnvironments } from "./rules/config";
import { findSettingsFile, mergeEstimateOptions, mergeHosts, type SettingsFile } from "./settingsFile";
import { withoutSuppressed } from "./suppressions";
import { checkTargetDistance } from "./rules/estimate";
import { checkPrediction } from "./rules/prediction";
import { analyzeWorker, type AnalysisCache } from "./worker/analyze";
import type { BindingNames, WorkerAnalysis, WorkerAnalysisInput } from "./worker/types";
import { recordingVars, sameVarsRead, type VarReads } from "./worker/varReads";

export interface AnalysisOptions {
  /** undefined: every environment; null: top level only; a name: that environment, as `--env NAME`. */
  readonly env?: string | null;
  /** Extra host patterns by category, from settings. */
  readonly hostCategories?: WorkerAnalysisInput["hostCategories"];
  /** Parsed sources and summaries reused across runs (the language server keeps one). */
  readonly cache?: AnalysisCache;
  /** Parsed configs reused while their text is unchanged (the language server keeps one). */
  readonly configCache?: ConfigCache;
  /** List subrequests in code no handler reaches (default true; the editor skips them). */
  readonly listUnreached?: boolean;
  /** Which platform rules to predict by (default: the shared settings', else "current"). */
  readonly platformRules?: PlatformRules;
  /** What to assume of calls whose target is unknown (default: the shared settings', else "likely"; see AssumeMode). */
  readonly assume?: AssumeMode;
  /**
   * Where to look for the shared settings file (see settingsFile.ts): default the analysis's own
   * file access; `false` to use none.
   */
  readonly settingsFs?: FileSystem | false;
  /** Where back ends are and whom to estimate for (settings, `--backends`, `--from`). */
  readonly estimate?: EstimateOptions;
  /** Values of variables and secrets `[vars]` does not hold (the shared settings' `vars`): `[vars]` wins. */
  readonly extraVars?: Readonly<Record<string, string>>;
}

/** Parsed configs by file: an edit to a Worker's source does not parse its config again. */
export type ConfigCache = Map<string, WranglerConfig>;

/** One Worker as deployed from one environment of a config. */
export interface WorkerResult {
  readonly env: WorkerEnvironment;
  readonly placement: unknown;
  readonly effectivePlacement: EffectivePlacement | null;
  readonly analysis: WorkerAnalysis;
  readonly prediction: Prediction;
  /** Request duration with and without placement, per path and user city; undefined without a fetch handler. */
  readonly estimate?: Estimate;
}

export interface ConfigAnalysis {
  readonly config: WranglerConfig;
  readonly workers: readonly WorkerResult[];
  /** Findings in the config and in the Worker's source files, deduplicated, inline suppressions applied. */
  readonly findings: readonly Finding[];
  /** The shared settings that applied (their severities are applied where findings are shown). */
  readonly settings?: SettingsFile;
}

/** The shared settings for a config in `directory`, and the options they change. */
function withSharedSettings(
  fs: FileSystem,
  directory: string,
  options: AnalysisOptions,
): { settings?: SettingsFile; options: AnalysisOptions } {
  const settingsFs = options.settingsFs === undefined ? fs : options.settingsFs;
  const settings = settingsFs ? findSettingsFile(settingsFs, directory) : undefined;
  if (!settings) return { options };
  const hostCategories = mergeHosts(options.hostCategories, settings.settings.hosts);
  const platformRules = options.platformRules ?? settings.settings.platformRules;
  const assume = options.assume ?? settings.settings.assume;
  const estimate = mergeEstimateOptions(options.estimate, settings.settings);
  const extraVars = settings.settings.vars ? { ...settings.settings.vars, ...options.extraVars } : options.extraVars;
  return {
    settings,
    options: {
      ...options,
      ...(extraVars ? { extraVars } : {}),
      ...(hostCategories ? { hostCategories } : {}),
      ...(platformRules ? { platformRules } : {}),
      ...(assume ? { assume } : {}),
      ...(estimate ? { estimate } : {}),
    },
  };
}

function finish(fs: FileSystem, findings: readonly Finding[], settings: SettingsFile | undefined): Finding[] {
  return dedupeFindings(withoutSuppressed(fs, [...(settings?.findings ?? []), ...findings]));
}

/**
 * A Pages project without a wrangler config (`functions/`, `_worker.js`, next-on-pages): analysed as
 * a config with only `pages_build_output_dir` would be. The result's `config.file` is the folder;
 * no finding is placed on a config, as there is none.
 */
export function analyzePagesProject(fs: FileSystem, project: PagesProject, given: AnalysisOptions = {}): ConfigAnalysis {
  const { settings, options } = withSharedSettings(fs, project.root, given);
  const empty = loadWranglerConfig(project.root, "", "toml");
  const config: WranglerConfig = {
    ...empty,
    project,
    // Pages gives every project's advanced-mode Worker its assets as `env.ASSETS`.
    environments: empty.environments.map((env) => ({
      ...env,
      pagesBuildOutputDir: project.outputDir,
      bindings: { ...env.bindings, assets: ["ASSETS"] },
    })),
  };
  const workers: WorkerResult[] = [];
  const findings: Finding[] = [];
  const shared = new SharedAnalyses();
  for (const env of config.environments) {
    const analysis = shared.analyze(workerInput(fs, config, env, options), options.cache);
    const prediction = predict(analysis, { targeted: false, d1Bindings: [], assume: options.assume ?? DEFAULT_ASSUME });
    const estimate = estimatePlacement(analysis, null, options.estimate);
    workers.push({ env, placement: null, effectivePlacement: null, analysis, prediction, ...(estimate ? { estimate } : {}) });
    findings.push(...analysis.findings);
  }
  return { config, workers, findings: finish(fs, findings, settings), ...(settings ? { settings } : {}) };
}

/** Everything the analyser knows about one wrangler config: the shared path of server, CLI and tests. */
export function analyzeConfig(fs: FileSystem, file: string, text: string, given: AnalysisOptions = {}): ConfigAnalysis {
  const { settings, options } = withSharedSettings(fs, dirname(file), given);
  const known = options.configCache?.get(file);
  const config = known?.text === text ? known : loadWranglerConfig(file, text);
  options.configCache?.set(file, config);
  const findings: Finding[] = [...checkConfig(config, fs, options.env)];
  const workers: WorkerResult[] = [];
  if (!config.syntaxError) {
    const shared = new SharedAnalyses();
    for (const env of selectEnvironments(config, options.env)) {
      const analysis = shared.analyze(workerInput(fs, config, env, options), options.cache);
      const placement = effectivePlacement(env);
      const predicted = predict(analysis, {
        targeted: placement?.mode === "targeted",
        d1Bindings: env.bindings.d1,
        platformRules: options.platformRules ?? DEFAULT_PLATFORM_RULES,
        assume: options.assume ?? DEFAULT_ASSUME,
      });
      // `mode = "smart"` with a region: say why the region does not make it TARGETED.
      const ignored = predicted.status === "NO_FETCH_HANDLER" ? undefined : ignoredTargetReason(env);
      const prediction = ignored ? { ...predicted, reasons: [...predicted.reasons, ignored] } : predicted;
      const estimate = estimatePlacement(analysis, placement, options.estimate);
      workers.push({
        env,
        placement: env.placement ? toPlainValue(env.placement.entry.value) : null,
        effectivePlacement: placement,
        analysis,
        prediction,
        ...(estimate ? { estimate } : {}),
      });
      findings.push(
        ...checkPrediction(config, env, placement, analysis, prediction),
        ...checkTargetDistance(config, env, placement, analysis, estimate),
        ...analysis.findings,
      );
    }
  }
  return { config, workers, findings: finish(fs, findings, settings), ...(settings ? { settings } : {}) };
}

/**
 * The analyses of one config's environments. The top level and each `[env.*]` are analysed once
 * per distinct input: an environment whose input equals an earlier one's in everything the
 * analysis depends on (entry, bindings, host settings, and the values of the vars the analysis
 * read) gets that analysis. Environments that differ in routes, or in vars the code never reads,
 * cost one analysis, not one each.
 */
class SharedAnalyses {
  private readonly byInput = new Map<string, Array<{ vars: WorkerAnalysisInput["vars"]; reads: VarReads; analysis: WorkerAnalysis }>>();

  analyze(input: WorkerAnalysisInput, cache: AnalysisCache | undefined): WorkerAnalysis {
    // Everything but the file system (one per run) and the vars (compared by what was read).
    const { vars } = input;
    const key = JSON.stringify(Object.entries(input).filter(([name]) => name !== "fs" && name !== "vars"));
    const earlier = this.byInput.get(key) ?? [];
    for (const known of earlier) if (sameVarsRead(known.reads, known.vars, vars)) return known.analysis;
    const recording = recordingVars(vars);
    // A replayed function summary reads again the vars its walk's analysis read (summaries.ts).
    const analysis = analyzeIsolated({ ...input, vars: recording.vars }, cache);
    earlier.push({ vars, reads: recording.reads, analysis });
    this.byInput.set(key, earlier);
    return analysis;
  }
}

/**
 * One Worker's analysis, never throwing: whatever goes wrong inside it (a file that cannot be
 * loaded, a resolution that recurses without end) becomes that Worker's UNKNOWN with the reason,
 * and the other Workers of the run are analysed as usual.
 */
function analyzeIsolated(input: WorkerAnalysisInput, cache: AnalysisCache | undefined): WorkerAnalysis {
  try {
    return analyzeWorker(input, cache);
  } catch (error) {
    const why =
      error instanceof RangeError
        ? "it recursed too deeply (a package or import that points back at itself?)"
        : error instanceof Error
          ? error.message.replace(/\.$/, "")
          : String(error);
    return failedAnalysis(`The Worker's source could not be analysed: ${why}.`);
  }
}

/** An analysis that found nothing because it could not run; predicts UNKNOWN with `message`. */
export function failedAnalysis(message: string): WorkerAnalysis {
  return {
    entry: null,
    entryProblem: { message },
    handlers: [],
    subrequests: [],
    roundTrips: null,
    possibleRoundTrips: null,
    criticalSteps: [],
    backends: [],
    unknowns: [],
    servesAssetsBinding: false,
    pagesCatchAllMiddleware: false,
    findings: [],
    files: [],
  };
}

/**
 * Bindings the other environments of the config declare and this one does not (a D1 database
 * declared only under `[env.dev]` and `[env.production]`, used by the top level's code too). A name
 * other environments give different kinds is left out.
 */
function otherEnvBindings(config: WranglerConfig, env: WorkerEnvironment): Pick<WorkerAnalysisInput, "otherEnvBindings"> {
  const own = new Set(Object.values(env.bindings).flat());
  const found = new Map<string, { kind: keyof BindingNames; envs: string[] } | null>();
  for (const other of config.environments) {
    if (other === env || other.name === null) continue;
    for (const [kind, names] of Object.entries(other.bindings) as Array<[keyof BindingNames, readonly string[]]>)
      for (const name of names) {
        if (own.has(name)) continue;
        const known = found.get(name);
        if (known === null) continue;
        if (known && known.kind !== kind) found.set(name, null);
        else if (known) known.envs.push(other.name);
        else found.set(name, { kind, envs: [other.name] });
      }
  }
  const list = [...found].flatMap(([name, v]) => (v ? [{ name, kind: v.kind, envs: v.envs }] : []));
  return list.length > 0 ? { otherEnvBindings: list } : {};
}

/** The config's disabled vars the shared settings do not give a value (see WorkerAnalysisInput.disabledVars). */
function disabledVarsOf(
  config: WranglerConfig,
  extraVars: Readonly<Record<string, string>> | undefined,
): { disabledVars?: readonly string[] } {
  const names = (config.disabledVars ?? []).filter((name) => !extraVars || !Object.hasOwn(extraVars, name));
  return names.length > 0 ? { disabledVars: names } : {};
}

/** The names the shared settings give a value that `[vars]` does not hold (see WorkerAnalysisInput.settingsVars). */
function settingsVarsOf(
  extraVars: Readonly<Record<string, string>> | undefined,
  vars: Readonly<Record<string, string>>,
): { settingsVars?: readonly string[] } {
  const names = Object.keys(extraVars ?? {}).filter((name) => !Object.hasOwn(vars, name));
  return names.length > 0 ? { settingsVars: names } : {};
}

function workerInput(fs: FileSystem, config: WranglerConfig, env: WorkerEnvironment, options: AnalysisOptions): WorkerAnalysisInput {
  return {
    fs,
    projectRoot: config.project ? config.project.root : dirname(config.file),
    main: env.main?.value ?? null,
    pagesBuildOutputDir: env.pagesBuildOutputDir,
    vars: options.extraVars ? (Object.assign(Object.create(null), options.extraVars, env.vars) as Record<string, string>) : env.vars,
    ...settingsVarsOf(options.extraVars, env.vars),
    ...disabledVarsOf(config, options.extraVars),
    // Pages gives every project's advanced-mode Worker its assets as `env.ASSETS`, config or not.
    bindings:
      env.pagesBuildOutputDir !== null && !env.bindings.assets.includes("ASSETS")
        ? { ...env.bindings, assets: [...env.bindings.assets, "ASSETS"] }
        : env.bindings,
    ...(Object.keys(env.structuredVars).length > 0 ? { structuredVars: env.structuredVars } : {}),
    ...otherEnvBindings(config, env),
    ...declaredBindingsOf(env),
    ownClasses: env.ownClasses,
    assets: env.assets !== undefined,
    buildCommand: env.buildCommand,
    ...aliasOf(config, env),
    legacy: env.legacy,
    configName: basename(config.file),
    ...(options.hostCategories ? { hostCategories: options.hostCategories } : {}),
    ...(options.listUnreached === false ? { listUnreached: false } : {}),
    ...(options.platformRules === "2024" ? { platformRules: "2024" as const } : {}),
    ...(options.assume === "strict" ? { assume: "strict" as const } : {}),
  };
}

/** Wrangler's `alias` entries, their targets made absolute (relative to the config's folder, as Wrangler reads them). */
function aliasOf(config: WranglerConfig, env: WorkerEnvironment): Pick<WorkerAnalysisInput, "alias"> {
  const entries = Object.entries(env.alias);
  if (entries.length === 0) return {};
  const alias = Object.create(null) as Record<string, string>;
  for (const [key, target] of entries) alias[key] = target.startsWith(".") ? joinPath(dirname(config.file), target) : target;
  return { alias };
}

/** The environment's bindings with their sections, when it declares any (see WorkerAnalysisInput.declaredBindings). */
function declaredBindingsOf(env: WorkerEnvironment): Pick<WorkerAnalysisInput, "declaredBindings"> {
  const declared = declaredBindings(env.table);
  return declared.length > 0 ? { declaredBindings: declared } : {};
}
