import type ts from "typescript";
import type { Seq, Step } from "./flow";
import type { ModuleFacts } from "./module";
import type { Subrequest } from "./types";
import { readAgain, readsOf, type VarReads } from "./varReads";

/**
 * Function summaries kept from one analysis to the next.
 *
 * Walking a function does two things: it computes the function's outcome (its round trips) and it
 * has effects on the analysis (subrequests recorded and marked as on the response path or in
 * waitUntil, unknowns, findings). A kept summary is the outcome plus the effects, in the order the
 * walk had them, so that a later analysis can have the same effects without walking the function.
 *
 * Replaying is exact only when everything the walk read is as it was: the function's module and
 * every module it can reach (its static import closure, the same objects, resolved the same way:
 * see ClosureToken) and the analysis input (bindings, vars, host settings, project root). The walk's context matters too: effects
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
export type ClassifiedSubrequest = Omit<Subrequest, "criticalPath" | "waitUntil"> & {
  /** Static assets through the assets binding: the walk notes whether the fetch path serves them. */
  readonly servesAssets?: true;
  /** A call the analyser cannot resolve (dynamic dispatch): the walk also says so among the unknowns. */
  readonly unresolved?: true;
  /** Sequential round trips the one call makes, when more than one (better-auth's getSession: two). */
  readonly roundTrips?: number;
  /** The call makes a loop of round trips of unknown length (a paginator): counted as a loop, twice. */
  readonly loop?: true;
  /**
   * An interactive transaction (`sql.begin(async (tx) => ...)`): the call runs the functions it is
   * given between its own round trips, its first (BEGIN) before them and the rest (COMMIT) after.
   */
  readonly aroundCallbacks?: true;
  /** The HTTP client library that sends it (ky, axios), when its URL could not be resolved: still evidence of a round trip. */
  readonly httpClient?: string;
  /** A call on a client of a library the analyser does not know (`new BskyAgent(...)`): evidence of a round trip it cannot count. */
  readonly unknownClient?: true;
  /**
   * What the "likely" assumption counts this call as, when its target is unknown: an unresolved host
   * (a back end) or an awaited call on a client of an unknown library (a round trip to its service).
   * The sentence the prediction's reasons give; set whatever the mode (the walk decides).
   */
  readonly assumption?: string;
  /**
   * The call hands the incoming request to an object of a package the analyser does not read (which
   * then does the request handling): the reason said among the unknowns, even when the call is
   * counted by assumption, so that the path is never a confident answer below two round trips.
   */
  readonly handsRequest?: string;
};

export interface KeptSummary {
  readonly events: readonly SummaryEvent[];
  /** The outcome, its subrequests named by their calls: records belong to one analysis. */
  readonly outcome: SeqTemplate;
  /** The module's closure when the summary was kept: valid while the module still has this token. */
  readonly closure: ClosureToken;
  /**
   * The vars the analysis that walked the function read (by the end of it): the walk may have used
   * any of them, read earlier and remembered, so an analysis that replays it reads them all again.
   */
  readonly reads: VarReads | undefined;
}

/** The summaries kept for one module, valid for analyses with this input key. */
export interface ModuleSummaries {
  readonly key: string;
  readonly byFunction: Map<ts.Node, KeptSummary>;
}

/**
 * A module's static import closure, as one object that stays the same from analysis to analysis
 * while the closure does: the modules of one import cycle (a strongly connected component) share
 * it, with where each member's imports led and the tokens of the components they import. Each
 * analysis gives every loaded module its token again, reusing the old one when nothing in it
 * changed (the same facts objects, imports resolved to the same files, the same tokens below).
 */
export interface ClosureToken {
  readonly members: ReadonlyMap<ModuleFacts, readonly (string | undefined)[]>;
  readonly imports: ReadonlySet<ClosureToken>;
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
 * modules whose closure is as it was in the previous analysis get summaries kept: the file being
 * edited, and what imports it, would only have them thrown away at the next keystroke.
 */
export class KeptSummaries {
  private readonly targets = new Map<ModuleFacts, readonly (string | undefined)[]>();
  /** Modules given their token by this analysis, and whether the token is an earlier analysis'. */
  private tokens: Map<ModuleFacts, boolean> | undefined;
  private readonly used = new Set<KeptSummary>();
  // Paths share their steps (a caller's path holds its callees' steps): so do kept outcomes and
  // replayed ones, or a chain of calls would cost a copy of every step per caller.
  private readonly stepTemplates = new Map<Step, StepTemplate>();
  private readonly replayedSteps = new Map<StepTemplate, Step | null>();
  private readonly reads: VarReads | undefined;
  /** The analyses whose reads were read again already (most summaries come from a few). */
  private readonly readFrom = new Set<VarReads | undefined>();

  constructor(
    private readonly key: string,
    private readonly modules: ReadonlyMap<string, ModuleFacts>,
    private readonly stats: SummaryStats,
    /** The analysis' vars: what a replayed walk read is read again through them. */
    private readonly vars: Readonly<Record<string, string>>,
    /** Files do not change while the run lasts (the CLI): every walk is kept, none is dropped. */
    private readonly oneRun = false,
  ) {
    this.reads = readsOf(vars);
  }

  /** A module was loaded, and its imports resolved to these files (undefined: not resolved). */
  loaded(facts: ModuleFacts, targets: readonly (string | undefined)[]): void {
    this.targets.set(facts, targets);
  }

  /** The kept summary of `fn`, when everything its walk read is as it was. */
  find(fn: ts.Node, module: ModuleFacts): KeptSummary | undefined {
    const kept = module.summaries;
    if (kept?.key !== this.key || !this.tokensGiven().has(module)) return undefined;
    const summary = kept.byFunction.get(fn);
    return summary?.closure === module.closureToken ? summary : undefined;
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
    if (!this.readFrom.has(summary.reads)) {
      this.readFrom.add(summary.reads);
      readAgain(this.vars, summary.reads);
    }
    const { onces } = summary.outcome;
    return { backend: summary.outcome.backend, possible: summary.outcome.possible, steps, ...(onces ? { onces } : {}) };
  }

  /** Whether a walk of a function in this module is worth keeping: its closure did not just change. */
  shouldKeep(module: ModuleFacts): boolean {
    const same = this.tokensGiven().get(module);
    return this.oneRun ? same !== undefined : same === true;
  }

  keep(fn: ts.Node, module: ModuleFacts, events: readonly SummaryEvent[], outcome: Seq, callOf: (s: Subrequest) => ts.Node): void {
    const closure = module.closureToken;
    if (!closure || !this.shouldKeep(module)) return;
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
    const summary: KeptSummary = {
      events,
      outcome: { backend: outcome.backend, possible: outcome.possible, steps, ...(outcome.onces ? { onces: outcome.onces } : {}) },
      closure,
      reads: this.reads,
    };
    module.summaries.byFunction.set(fn, summary);
    this.used.add(summary);
    this.stats.kept++;
  }

  /** Summaries this analysis neither replayed nor kept are dropped: they may point at old trees. */
  prune(): void {
    if (this.oneRun) return;
    for (const module of this.modules.values()) {
      const kept = module.summaries;
      if (kept?.key !== this.key) continue;
      for (const [fn, summary] of kept.byFunction) if (!this.used.has(summary)) kept.byFunction.delete(fn);
    }
  }

  /**
   * Gives every loaded module its closure token, once per analysis (when first asked: the modules
   * are all loaded by then). Tarjan's algorithm finds the import cycles, and gives them in an order
   * where what a component imports comes before it.
   */
  private tokensGiven(): Map<ModuleFacts, boolean> {
    if (this.tokens) return this.tokens;
    const tokens = new Map<ModuleFacts, boolean>();
    this.tokens = tokens;
    const index = new Map<ModuleFacts, number>();
    const lowLink = new Map<ModuleFacts, number>();
    const stack: ModuleFacts[] = [];
    const onStack = new Set<ModuleFacts>();
    const edges = new Map<ModuleFacts, ModuleFacts[]>();
    const importsOf = (facts: ModuleFacts): ModuleFacts[] => {
      let targets = edges.get(facts);
      if (!targets) {
        targets = (this.targets.get(facts) ?? []).flatMap((path) => (path === undefined ? [] : (this.modules.get(path) ?? [])));
        edges.set(facts, targets);
      }
      return targets;
    };
    // Iterative, so that a long chain of imports cannot overflow the stack.
    for (const root of this.modules.values()) {
      if (index.has(root)) continue;
      const work: Array<{ facts: ModuleFacts; next: ModuleFacts[]; at: number }> = [];
      const enter = (facts: ModuleFacts): void => {
        index.set(facts, index.size);
        lowLink.set(facts, index.get(facts)!);
        stack.push(facts);
        onStack.add(facts);
        work.push({ facts, next: importsOf(facts), at: 0 });
      };
      enter(root);
      while (work.length > 0) {
        const frame = work[work.length - 1]!;
        if (frame.at < frame.next.length) {
          const target = frame.next[frame.at++]!;
          if (!index.has(target)) enter(target);
          else if (onStack.has(target)) lowLink.set(frame.facts, Math.min(lowLink.get(frame.facts)!, index.get(target)!));
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent) lowLink.set(parent.facts, Math.min(lowLink.get(parent.facts)!, lowLink.get(frame.facts)!));
        if (lowLink.get(frame.facts) !== index.get(frame.facts)) continue;
        const component: ModuleFacts[] = [];
        let member: ModuleFacts;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.facts);
        this.giveToken(component, importsOf, tokens);
      }
    }
    return tokens;
  }

  /** The component's old token if nothing in it changed, else a new one. */
  private giveToken(
    component: readonly ModuleFacts[],
    importsOf: (facts: ModuleFacts) => ModuleFacts[],
    tokens: Map<ModuleFacts, boolean>,
  ): void {
    const members = new Map(component.map((facts) => [facts, this.targets.get(facts) ?? []]));
    const imports = new Set<ClosureToken>();
    for (const facts of component) for (const target of importsOf(facts)) if (!members.has(target)) imports.add(target.closureToken!);
    const old = component[0]!.closureToken;
    const same =
      old !== undefined &&
      old.members.size === members.size &&
      old.imports.size === imports.size &&
      component.every((facts) => facts.closureToken === old && sameTargets(old.members.get(facts), members.get(facts)!)) &&
      [...imports].every((token) => old.imports.has(token));
    const token = same ? old : { members, imports };
    for (const facts of component) {
      facts.closureToken = token;
      tokens.set(facts, same);
    }
  }
}

function sameTargets(a: readonly (string | undefined)[] | undefined, b: readonly (string | undefined)[]): boolean {
  return a !== undefined && a.length === b.length && a.every((path, i) => path === b[i]);
}
