import type { Subrequest } from "./types";

/**
 * Round trips along paths. A `Seq` is the worst path through some code: how many sequential round
 * trips to valid back ends it makes (`backend`), how many it might make counting calls whose
 * target is unknown (`possible`), and the steps of the path that maximises `backend`.
 */
export interface Step {
  /** The subrequests made in this step (several when they run in parallel). */
  readonly subrequests: readonly Subrequest[];
  readonly backend: number;
  readonly possible: number;
  /** Back-end round trips per host in this step. */
  readonly hosts: ReadonlyMap<string, number>;
  /** Why the step counts more than once ("in a loop") or is grouped ("Promise.all"). */
  readonly note?: string;
  /** The route of the app the request was handed to (`app.fetch(request)`) when the step is on one of its paths. */
  readonly route?: string;
}

export interface Seq {
  readonly backend: number;
  readonly possible: number;
  readonly steps: readonly Step[];
}

export const EMPTY: Seq = { backend: 0, possible: 0, steps: [] };

/**
 * A Seq made by `concat`: its parts are shared, not copied, and its steps are laid out only when
 * asked for (once). A path through N statements is N concatenations of the path so far with one
 * more statement; copying the steps each time made that quadratic (100,000 sequential awaits never
 * finished). Laid out iteratively: a chain is as deep as the statements are many.
 */
class Chain implements Seq {
  private flat: readonly Step[] | undefined;

  constructor(
    readonly backend: number,
    readonly possible: number,
    /** How many steps, without laying them out. */
    readonly size: number,
    private parts: readonly Seq[] | undefined,
  ) {}

  get steps(): readonly Step[] {
    if (this.flat) return this.flat;
    const out: Step[] = [];
    const pending: Seq[] = [this];
    while (pending.length > 0) {
      const seq = pending.pop()!;
      if (seq instanceof Chain && !seq.flat) {
        for (let i = seq.parts!.length - 1; i >= 0; i--) pending.push(seq.parts![i]!);
      } else for (const step of seq.steps) out.push(step);
    }
    this.flat = out;
    this.parts = undefined;
    return out;
  }

  /** The same steps with another `possible` (see worst). */
  withPossible(possible: number): Chain {
    const copy = new Chain(this.backend, possible, this.size, this.parts);
    copy.flat = this.flat;
    return copy;
  }
}

function sizeOf(seq: Seq): number {
  return seq instanceof Chain ? seq.size : seq.steps.length;
}

export function stepOf(subrequest: Subrequest): Step {
  const backend = subrequest.category === "backend" ? 1 : 0;
  const possible = backend || subrequest.category === "unknown" ? 1 : 0;
  const hosts = new Map<string, number>();
  if (backend && subrequest.target) hosts.set(subrequest.target, 1);
  return { subrequests: [subrequest], backend, possible, hosts };
}

export function seqOf(step: Step): Seq {
  return { backend: step.backend, possible: step.possible, steps: [step] };
}

export function concat(...seqs: readonly Seq[]): Seq {
  if (seqs.length === 1) return seqs[0]!;
  let backend = 0;
  let possible = 0;
  let size = 0;
  const parts: Seq[] = [];
  for (const seq of seqs) {
    backend += seq.backend;
    possible += seq.possible;
    const n = sizeOf(seq);
    if (n === 0) continue;
    size += n;
    parts.push(seq);
  }
  return size === 0 ? { backend, possible, steps: [] } : new Chain(backend, possible, size, parts);
}

/** The worse of alternative paths (branches): the larger back-end count, then the larger possible. */
export function worst(...seqs: ReadonlyArray<Seq | undefined>): Seq {
  let best: Seq | undefined;
  let possible = 0;
  for (const seq of seqs) {
    if (!seq) continue;
    possible = Math.max(possible, seq.possible);
    if (!best || seq.backend > best.backend || (seq.backend === best.backend && seq.possible > best.possible)) best = seq;
  }
  if (!best) return EMPTY;
  return best instanceof Chain ? best.withPossible(possible) : { ...best, possible };
}

/** Paths run at the same time (Promise.all, D1 batch): one round trip per host, the longest branch. */
export function parallel(seqs: readonly Seq[], note = "in parallel"): Seq {
  const nonEmpty = seqs.filter((s) => sizeOf(s) > 0);
  if (nonEmpty.length === 0) return EMPTY;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const longest = worst(...nonEmpty);
  const hosts = new Map<string, number>();
  for (const seq of nonEmpty) {
    for (const [host, count] of hostCounts(seq)) hosts.set(host, Math.max(hosts.get(host) ?? 0, count));
  }
  // Keep the longest branch's shape, but record every parallel call in its first step.
  const others = nonEmpty.filter((s) => s !== longest).flatMap((s) => s.steps.flatMap((step) => step.subrequests));
  const [first, ...rest] = longest.steps;
  if (!first) return longest;
  const merged: Step = { ...first, subrequests: [...first.subrequests, ...others], hosts: mergeHosts(first.hosts, hosts, longest), note };
  return { backend: longest.backend, possible: longest.possible, steps: [merged, ...rest] };
}

function mergeHosts(first: ReadonlyMap<string, number>, all: ReadonlyMap<string, number>, longest: Seq): ReadonlyMap<string, number> {
  // Hosts of the parallel branches that the longest branch does not reach count in its first step.
  const inLongest = hostCounts(longest);
  const result = new Map(first);
  for (const [host, count] of all) {
    const missing = count - (inLongest.get(host) ?? 0);
    if (missing > 0) result.set(host, (result.get(host) ?? 0) + missing);
  }
  return result;
}

/** A loop may run more than once: its round trips count twice. */
export function repeated(seq: Seq): Seq {
  if (sizeOf(seq) === 0) return seq;
  const steps = seq.steps.map((step) => ({
    ...step,
    backend: step.backend * 2,
    possible: step.possible * 2,
    hosts: new Map([...step.hosts].map(([h, c]) => [h, c * 2])),
    note: "in a loop: counts twice",
  }));
  return { backend: seq.backend * 2, possible: seq.possible * 2, steps };
}

/**
 * A loop (or `forEach`) whose body waits for nothing: every iteration starts its calls without
 * waiting for the previous ones, so they overlap and count once.
 */
export function startedTogether(seq: Seq): Seq {
  if (sizeOf(seq) === 0) return seq;
  const steps = seq.steps.map((step) =>
    step.note ? step : { ...step, note: "started in a loop that waits for nothing: the iterations overlap" },
  );
  return { backend: seq.backend, possible: seq.possible, steps };
}

/** The steps of a route's path, marked with its route (steps already marked by an inner hand-off keep theirs). */
export function routed(seq: Seq, route: string): Seq {
  if (sizeOf(seq) === 0) return seq;
  const steps = seq.steps.map((step) => (step.route === undefined ? { ...step, route } : step));
  return { backend: seq.backend, possible: seq.possible, steps };
}

/** The route of the first step on a path that was handed to an app's route (see routed). */
export function routeOf(seq: Seq): string | undefined {
  for (const step of seq.steps) if (step.backend > 0 && step.route !== undefined) return step.route;
  return undefined;
}

export function hostCounts(seq: Seq): Map<string, number> {
  const counts = new Map<string, number>();
  for (const step of seq.steps) for (const [host, count] of step.hosts) counts.set(host, (counts.get(host) ?? 0) + count);
  return counts;
}

/** Paths through statements: those that fall through to what follows, and those that returned. */
export interface Outcome {
  readonly fall?: Seq;
  readonly ret?: Seq;
}

export const FALL_EMPTY: Outcome = { fall: EMPTY };

/** A then B. */
export function sequence(a: Outcome, b: Outcome): Outcome {
  if (!a.fall) return a;
  const ret = worstDefined(a.ret, b.ret && concat(a.fall, b.ret));
  const fall = b.fall && concat(a.fall, b.fall);
  return { ...(fall ? { fall } : {}), ...(ret ? { ret } : {}) };
}

export function branch(...outcomes: readonly Outcome[]): Outcome {
  const falls = outcomes.map((o) => o.fall).filter((s): s is Seq => s !== undefined);
  const rets = outcomes.map((o) => o.ret).filter((s): s is Seq => s !== undefined);
  return { ...(falls.length ? { fall: worst(...falls) } : {}), ...(rets.length ? { ret: worst(...rets) } : {}) };
}

export function prefix(seq: Seq, outcome: Outcome): Outcome {
  return sequence({ fall: seq }, outcome);
}

function worstDefined(a: Seq | undefined, b: Seq | undefined): Seq | undefined {
  if (!a) return b;
  if (!b) return a;
  return worst(a, b);
}

/** The function's worst path, whichever way it ends. */
export function total(outcome: Outcome): Seq {
  return worst(outcome.fall, outcome.ret);
}
