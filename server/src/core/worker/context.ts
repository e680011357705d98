import type { Finding } from "../findings";
import type { FileSystem } from "../fs";
import type { AnalysisCache } from "./analyze";
import type { CallClassifier } from "./classify";
import type { HandlerDiscovery } from "./handlers/discover";
import type { ModuleLoader } from "./loader";
import type { KeptSummaries } from "./summaries";
import type { BindingNames, WorkerAnalysisInput } from "./types";
import type { ValueResolver } from "./values";
import type { PathWalker } from "./walk";

/** Limits that keep one analysis bounded whatever the workspace holds (past them: UNKNOWN, with why). */
export const MAX_MODULES = 3000;
export const MAX_SOURCE_BYTES_PER_ANALYSIS = 64 * 1024 * 1024;
/**
 * Statements and calls walked for one Worker: past it the walk stops and the prediction is UNKNOWN.
 * Counted in steps, not time, so the answer is the same on a busy machine.
 */
export const MAX_WALK_STEPS = 1_000_000;
/** Said when the walk used up its budget: the prediction always carries it, whatever the status. */
export const WALK_BUDGET_REASON =
  "the walk through the Worker's code used up its budget (a fixed number of steps, the same on any machine): the paths past that point were not followed";
export const MAX_CALL_DEPTH = 40;
/** How far a value is followed through variables (`const b = a`): `const a = a` must end. */
export const MAX_VALUE_DEPTH = 12;

/**
 * The name of the static assets binding when the config names none: Pages gives every advanced-mode
 * Worker its assets as `env.ASSETS`, and a Worker without that binding fails the call. Either way
 * `env.ASSETS.fetch(request)` is no back end, and never a hand-off the analysis cannot follow.
 */
export const IMPLICIT_ASSETS = "ASSETS";

/**
 * One analysis of one Worker: its input, what it found so far, and its parts, each with one job:
 * loading modules (`loader.ts`), finding handlers (`handlers/`), resolving values (`values.ts`),
 * classifying calls (`classify.ts`) and walking the paths through handlers (`walk.ts`). The parts
 * reach each other through this object; it lives exactly as long as the analysis.
 */
export class AnalysisContext {
  readonly fs: FileSystem;
  readonly unknowns: string[] = [];
  readonly findings: Finding[] = [];
  readonly bindingKinds = new Map<string, keyof BindingNames>();
  /** Bindings only other environments declare (see WorkerAnalysisInput.otherEnvBindings), by name. */
  readonly otherEnvBindings = new Map<string, { readonly kind: keyof BindingNames; readonly envs: readonly string[] }>();
  /** Those of them the code was seen to use, for the note said with the prediction. */
  readonly usedOtherEnvBindings = new Set<string>();
  /** Summaries kept by earlier analyses; undefined when off. */
  kept: KeptSummaries | undefined;
  loader!: ModuleLoader;
  handlers!: HandlerDiscovery;
  values!: ValueResolver;
  classifier!: CallClassifier;
  walker!: PathWalker;

  constructor(
    readonly input: WorkerAnalysisInput,
    readonly cache: AnalysisCache,
  ) {
    this.fs = input.fs;
    for (const [kind, names] of Object.entries(input.bindings) as Array<[keyof BindingNames, readonly string[]]>) {
      for (const name of names) this.bindingKinds.set(name, kind);
    }
    for (const other of input.otherEnvBindings ?? [])
      if (!this.bindingKinds.has(other.name)) this.otherEnvBindings.set(other.name, { kind: other.kind, envs: other.envs });
  }
}
