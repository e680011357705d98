import type ts from "typescript";
import type { Seq, Step } from "./flow";
import type { ModuleFacts } from "./module";
import type { Subrequest } from "./types";

/**
 * Function summaries kept from one analysis to the next.
 *
 * Walking a function does two things: it computes the function's outcome (its round trips) and it
 * has effects on the analysis (subrequests recorded and marked as on the response path or in
 * waitUntil, unknowns, findings). A kept summary is the outcome plus the effects, in the order the
 * walk had them, so that a later analysis can have the same effects without walking the function.
 *
 * Replaying is exact only when everything the walk read is as it was: the function's module and
 * every module it can reach (its static import closure, the same objects, resolved the same way)
 * and the analysis input (bindings, vars, host settings). The walk's context matters too: effects
 * are kept relative to the marking the function was entered with, and calls are replayed as calls
 * (each callee replays or walks), so recursion and the depth limit are met again as a fresh walk
 * would meet them. A walk that met one (its outcome was cut short) is not kept, and a replay that
 * meets one gives up and walks the function instead.
 */
export type SummaryEvent =
  | { readonly kind: "classified"; readonly node: ts.Node }
  | { readonly kind: "record"; readonly node: ts.Node; readonly subrequest: ClassifiedSubrequest; readonly deferred: boolean }
  | { readonly kind: "assets"; readonly deferred: boolean }
  | { readonly kind: "unknown"; readonly text: string }
  | { readonly kind: "call"; readonly fn: ts.FunctionLikeDeclaration; readonly module: ModuleFacts; readonly deferred: boolean };

/** A call classified as a subrequest, before the walk decides whether it is on the response path. */
export type ClassifiedSubrequest = Omit<Subrequest, "criticalPath" | "waitUntil">;

export interface KeptSummary {
  readonly events: readonly SummaryEvent[];
  /** The outcome, its subrequests named by their calls: records belong to one analysis. */
  readonly outcome: SeqTemplate;
  readonly closure: ModuleClosure;
}

/** The summaries kept for one module, valid for analyses with this input key. */
export interface ModuleSummaries {
  readonly key: string;
  readonly byFunction: Map<ts.Node, KeptSummary>;
}

/** A module's static import closure when a summary was kept: each module and where its imports led. */
export interface ModuleClosure {
  readonly modules: readonly ModuleFacts[];
  readonly targets: ReadonlyArray<readonly (string | undefined)[]>;
  /** Imports that resolved to files no module was loaded for (declaration files, unreadable files). */
  readonly unloaded: readonly string[];
}

interface StepTemplate extends Omit<Step, "subrequests"> {
  readonly calls: readonly ts.Node[];
}

interface SeqTemplate extends Omit<Seq, "steps"> {
  readonly steps: readonly StepTemplate[];
}

export interface SummaryStats {
  kept: number;
  replayed: number;
}

/**
 * One analysis' view of the kept summaries: which may be replayed, which new ones to keep. Only
 * modules whose whole closure was unchanged since the previous analysis get summaries kept: the
 * file being edited, and what imports it, would only have them thrown away at the next keystroke.
 */
export class KeptSummaries {
  private readonly unchanged = new Set<ModuleFacts>();
  private readonly targets = new Map<ModuleFacts, readonly (string | undefined)[]>();
  private readonly closures = new Map<ModuleFacts, ModuleClosure | null>();
  private readonly valid = new Map<ModuleClosure, boolean>();
  private readonly used = new Set<KeptSummary>();
  // Paths share their steps (a caller's path holds its callees' steps): so do kept outcomes and
  // replayed ones, or a chain of calls would cost a copy of every step per caller.
  private readonly stepTemplates = new Map<Step, StepTemplate>();
  private readonly replayedSteps = new Map<StepTemplate, Step | null>();

  constructor(
    private readonly key: string,
    private readonly modules: ReadonlyMap<string, ModuleFacts>,
    private readonly stats: SummaryStats,
  ) {}

  /** A module was loaded: whether its facts are the ones an earlier analysis had, and where its imports lead. */
  loaded(facts: ModuleFacts, unchanged: boolean, targets: readonly (string | undefined)[]): void {
    if (unchanged) this.unchanged.add(facts);
    this.targets.set(facts, targets);
  }

  /** The kept summary of `fn`, when everything its walk read is as it was. */
  find(fn: ts.Node, module: ModuleFacts): KeptSummary | undefined {
    const kept = module.summaries;
    if (kept?.key !== this.key) return undefined;
    const summary = kept.byFunction.get(fn);
    return summary && this.isValid(summary.closure) ? summary : undefined;
  }

  /** The kept outcome over this analysis' records; undefined if one is missing (then the function is walked). */
  replayed(summary: KeptSummary, recordOf: (call: ts.Node) => Subrequest | undefined): Seq | undefined {
    const steps: Step[] = [];
    for (const template of summary.outcome.steps) {
      let step = this.replayedSteps.get(template);
      if (step === undefined) {
        const { calls, ...rest } = template;
        const subrequests = calls.map(recordOf);
        // Keys in the order a walk gives them: the CLI prints steps as JSON.
        step = subrequests.every((s) => s !== undefined) ? { subrequests, ...rest } : null;
        this.replayedSteps.set(template, step);
      }
      if (!step) return undefined;
      steps.push(step);
    }
    this.used.add(summary);
    this.stats.replayed++;
    return { backend: summary.outcome.backend, possible: summary.outcome.possible, steps };
  }

  /** Whether a walk of a function in this module is worth keeping: its closure did not just change. */
  shouldKeep(module: ModuleFacts): boolean {
    return this.closureOf(module) !== null;
  }

  keep(fn: ts.Node, module: ModuleFacts, events: readonly SummaryEvent[], outcome: Seq, callOf: (s: Subrequest) => ts.Node): void {
    const closure = this.closureOf(module);
    if (!closure) return;
    if (module.summaries?.key !== this.key) module.summaries = { key: this.key, byFunction: new Map() };
    const steps = outcome.steps.map((step) => {
      let template = this.stepTemplates.get(step);
      if (!template) {
        const { subrequests, ...rest } = step;
        template = { ...rest, calls: subrequests.map(callOf) };
        this.stepTemplates.set(step, template);
      }
      return template;
    });
    const summary: KeptSummary = { events, outcome: { backend: outcome.backend, possible: outcome.possible, steps }, closure };
    module.summaries.byFunction.set(fn, summary);
    this.used.add(summary);
    this.stats.kept++;
  }

  /** Summaries this analysis neither replayed nor kept are dropped: they may point at old trees. */
  prune(): void {
    for (const module of this.modules.values()) {
      const kept = module.summaries;
      if (kept?.key !== this.key) continue;
      for (const [fn, summary] of kept.byFunction) if (!this.used.has(summary)) kept.byFunction.delete(fn);
    }
  }

  private closureOf(module: ModuleFacts): ModuleClosure | null {
    const known = this.closures.get(module);
    if (known !== undefined) return known;
    const modules: ModuleFacts[] = [];
    const targets: Array<readonly (string | undefined)[]> = [];
    const unloaded: string[] = [];
    const seen = new Set<ModuleFacts>([module]);
    let closure: ModuleClosure | null = { modules, targets, unloaded };
    for (let i = 0, queue = [module]; i < queue.length; i++) {
      const facts = queue[i]!;
      const resolved = this.targets.get(facts);
      if (!resolved || !this.unchanged.has(facts)) {
        closure = null;
        break;
      }
      modules.push(facts);
      targets.push(resolved);
      for (const path of resolved) {
        if (path === undefined) continue;
        const target = this.modules.get(path);
        if (!target) unloaded.push(path);
        else if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    this.closures.set(module, closure);
    return closure;
  }

  private isValid(closure: ModuleClosure): boolean {
    let valid = this.valid.get(closure);
    if (valid === undefined) {
      valid =
        closure.modules.every(
          (facts, i) => this.modules.get(facts.path) === facts && sameTargets(this.targets.get(facts), closure.targets[i]!),
        ) && closure.unloaded.every((path) => !this.modules.has(path));
      this.valid.set(closure, valid);
    }
    return valid;
  }
}

function sameTargets(a: readonly (string | undefined)[] | undefined, b: readonly (string | undefined)[]): boolean {
  return a !== undefined && a.length === b.length && a.every((path, i) => path === b[i]);
}
