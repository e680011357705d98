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
  /** Already counted twice for a loop: a loop around that loop does not double it again. */
  readonly looped?: true;
  /** Part of work that runs once per isolate (see once): a later occurrence on the same path is dropped. */
  readonly once?: OnceMark;
  /** The route of the app the request was handed to (`app.fetch(request)`) when the step is on one of its paths. */
  readonly route?: string;
}

/**
 * Which once-only work a step belongs to (`key`: where it is written, `file#offset`, the same in
 * every analysis while the file is unchanged, as kept summaries need), and how many steps it has.
 */
export interface OnceMark {
  readonly key: string;
  readonly size: number;
}

/** What once-only work costs where it first runs on a path. */
export interface OnceCost {
  readonly backend: number;
  readonly possible: number;
}

export interface Seq {
  readonly backend: number;
  readonly possible: number;
  readonly steps: readonly Step[];
  /** The once-only work on this path (see once), each counted where it first runs. */
  readonly onces?: ReadonlyMap<string, OnceCost>;
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
    readonly onces?: ReadonlyMap<string, OnceCost>,
  ) {}

  get steps(): readonly Step[] {
    if (this.flat) return this.flat;
    const out: Step[] = [];
    const pending: Seq[] = [this];
    // Once-only work keeps the steps of its first occurrence on the path only (they are laid out
    // together, in order: the first `size` steps of the work).
    const laid = this.onces ? new Map<string, number>() : undefined;
    while (pending.length > 0) {
      const seq = pending.pop()!;
      if (seq instanceof Chain && !seq.flat) {
        for (let i = seq.parts!.length - 1; i >= 0; i--) pending.push(seq.parts![i]!);
      } else
        for (const step of seq.steps) {
          if (laid && step.once) {
            const count = laid.get(step.once.key) ?? 0;
            if (count >= step.once.size) continue;
            laid.set(step.once.key, count + 1);
          }
          out.push(step);
        }
    }
    this.flat = out;
    this.parts = undefined;
    return out;
  }

  /** The same steps with another `possible` (see worst). */
  withPossible(possible: number): Chain {
    const copy = new Chain(this.backend, possible, this.size, this.parts, this.onces);
    copy.flat = this.flat;
    return copy;
  }
}

function sizeOf(seq: Seq): number {
  return seq instanceof Chain ? seq.size : seq.steps.length;
}

/** The step of one subrequest; `assumed`: counted as a back end although its target is unknown (see AssumeMode). */
export function stepOf(subrequest: Subrequest, assumed = false): Step {
  const backend = subrequest.category === "backend" || assumed ? 1 : 0;
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
  let onces: Map<string, OnceCost> | undefined;
  const parts: Seq[] = [];
  for (const seq of seqs) {
    backend += seq.backend;
    possible += seq.possible;
    // Once-only work already on the path runs no more: a later occurrence counts nothing.
    if (seq.onces)
      for (const [key, cost] of seq.onces) {
        onces ??= new Map();
        if (onces.has(key)) {
          backend -= cost.backend;
          possible -= cost.possible;
        } else onces.set(key, cost);
      }
    const n = sizeOf(seq);
    if (n === 0) continue;
    size += n;
    parts.push(seq);
  }
  return size === 0 ? { backend, possible, steps: [] } : new Chain(backend, possible, size, parts, onces);
}

/**
 * Work that runs once per isolate: behind a module-level flag the work sets (`if (ready) return;
 * ...; ready = true`, `if (!db) { db = connect(); await db.init(); }`). On one path it runs where
 * it is first met; later occurrences of the same work (`key`) count nothing.
 */
export function once(seq: Seq, key: string): Seq {
  if (sizeOf(seq) === 0) return seq;
  const mark: OnceMark = { key, size: seq.steps.length };
  const steps = seq.steps.map((step): Step => ({ ...step, once: mark }));
  return { backend: seq.backend, possible: seq.possible, steps, onces: new Map([[key, { backend: seq.backend, possible: seq.possible }]]) };
}

/**
 * The same path with its once-only work renamed (see once): `rename` gives a key its new name, null
 * to make that work ordinary again (it runs each time: a loop around it repeats it), or the key
 * itself to keep it. Work keyed on an object is renamed where a call hands that object on.
 */
export function renameOnces(seq: Seq, rename: (key: string) => string | null): Seq {
  if (!seq.onces) return seq;
  const names = new Map<string, string | null>();
  for (const key of seq.onces.keys()) names.set(key, rename(key));
  if ([...names].every(([key, name]) => key === name)) return seq;
  const onces = new Map<string, OnceCost>();
  for (const [key, cost] of seq.onces) {
    const name = names.get(key)!;
    if (name !== null && !onces.has(name)) onces.set(name, cost);
  }
  const steps = seq.steps.map((step): Step => {
    if (!step.once) return step;
    const name = names.get(step.once.key);
    if (name === undefined || name === step.once.key) return step;
    if (name === null) {
      const plain: { -readonly [K in keyof Step]: Step[K] } = { ...step };
      delete plain.once;
      return plain;
    }
    return { ...step, once: { key: name, size: step.once.size } };
  });
  return { backend: seq.backend, possible: seq.possible, steps, ...(onces.size > 0 ? { onces } : {}) };
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
  return {
    backend: longest.backend,
    possible: longest.possible,
    steps: [merged, ...rest],
    ...(longest.onces ? { onces: longest.onces } : {}),
  };
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

/**
 * A loop may run more than once: its round trips count twice. A loop inside it already counts
 * twice and is not doubled again (a loop of unknown length is two waves, however deeply nested).
 */
export function repeated(seq: Seq): Seq {
  return times(seq, 2, "in a loop: counts twice");
}

/** The most iterations a loop over a literal array counts: a longer list counts this many. */
export const MAX_LITERAL_ITERATIONS = 10;

/**
 * A loop over a literal array of `items` elements (`for (const u of ["a", "b", "c"])`, or a `const`
 * holding one): its round trips count once per element, at most MAX_LITERAL_ITERATIONS times. A
 * loop inside it is not multiplied again, as with `repeated`; an empty list runs nothing.
 */
export function repeatedOver(seq: Seq, items: number): Seq {
  if (items <= 0) return EMPTY;
  if (items === 1) return seq;
  const count = Math.min(items, MAX_LITERAL_ITERATIONS);
  const note =
    items > MAX_LITERAL_ITERATIONS
      ? `in a loop over ${items} items: counts ${count} times (at most ${MAX_LITERAL_ITERATIONS} are counted)`
      : `in a loop over ${items} items: counts ${count} times`;
  return times(seq, count, note);
}

function times(seq: Seq, count: number, note: string): Seq {
  if (sizeOf(seq) === 0) return seq;
  let backend = seq.backend * count;
  let possible = seq.possible * count;
  const steps = seq.steps.map((step): Step => {
    // A loop already counted, and once-only work, are not multiplied.
    if (step.looped || step.once) {
      backend -= step.backend * (count - 1);
      possible -= step.possible * (count - 1);
      return step;
    }
    return {
      ...step,
      backend: step.backend * count,
      possible: step.possible * count,
      hosts: new Map([...step.hosts].map(([h, c]) => [h, c * count])),
      note,
      looped: true,
    };
  });
  return { backend, possible: Math.max(possible, backend), steps, ...(seq.onces ? { onces: seq.onces } : {}) };
}

/**
 * The path of a loop that returns from an iteration after a whole one (`for (...) { const r = await
 * get(); if (r.ok) return r; }`: one iteration, then the one that returns): the loop's two waves,
 * already, so a loop around it does not multiply them again (see repeated).
 */
export function loopedAlready(seq: Seq): Seq {
  if (sizeOf(seq) === 0) return seq;
  const steps = seq.steps.map((step): Step =>
    step.looped ? step : { ...step, looped: true, note: step.note ?? "in a loop: an iteration, then one that returns or throws" },
  );
  return { backend: seq.backend, possible: seq.possible, steps, ...(seq.onces ? { onces: seq.onces } : {}) };
}

/**
 * The part of a loop's iteration that comes before the one that returns, for the return path: its
 * calls in inner loops, already counted as those loops' waves (see repeated), are not counted again
 * (a return from inside nested loops would otherwise add a whole iteration per level).
 */
export function withoutLooped(seq: Seq): Seq {
  if (sizeOf(seq) === 0) return seq;
  let backend = seq.backend;
  let possible = seq.possible;
  const steps = seq.steps.filter((step) => {
    if (!step.looped || step.once) return true;
    backend -= step.backend;
    possible -= step.possible;
    return false;
  });
  if (steps.length === seq.steps.length) return seq;
  return { backend, possible, steps, ...(seq.onces ? { onces: seq.onces } : {}) };
}

/**
 * One attempt of a retry loop (see retries.ts): it goes round again only when a request failed, so
 * its round trips count once, and a loop around it still repeats them.
 */
export function retried(seq: Seq): Seq {
  if (sizeOf(seq) === 0) return seq;
  const steps = seq.steps.map((step) =>
    step.note ? step : { ...step, note: "in a retry loop: one attempt counts (it goes round again only when a request fails)" },
  );
  return { backend: seq.backend, possible: seq.possible, steps, ...(seq.onces ? { onces: seq.onces } : {}) };
}

/**
 * A call made again only after the same call failed (a project helper's retry or fallback, see
 * retriedCall): its round trips are listed on the path but count with the first call's.
 */
export function countedWithFirst(seq: Seq, note: string): Seq {
  if (seq.steps.length === 0) return seq;
  const steps = seq.steps.map((step) => ({ ...step, backend: 0, possible: 0, hosts: new Map<string, number>(), note }));
  return { backend: 0, possible: 0, steps };
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
  return { backend: seq.backend, possible: seq.possible, steps, ...(seq.onces ? { onces: seq.onces } : {}) };
}

/** The steps of a route's path, marked with its route (steps already marked by an inner hand-off keep theirs). */
export function routed(seq: Seq, route: string): Seq {
  if (sizeOf(seq) === 0) return seq;
  const steps = seq.steps.map((step) => (step.route === undefined ? { ...step, route } : step));
  return { ...seq, steps };
}

/**
 * Numbers the back-end round trips of a path on the subrequests that make them (`roundTripIndex`,
 * 1 for the first): the records are the analysis's own, filled in once the worst path is known.
 */
export function numberRoundTrips(seq: Seq): void {
  let index = 0;
  for (const step of seq.steps) {
    if (step.backend === 0) continue;
    index++;
    for (const subrequest of step.subrequests) (subrequest as { roundTripIndex?: number }).roundTripIndex ??= index;
  }
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

/**
 * Paths through statements: those that fall through to what follows, those that returned, and,
 * inside a loop, those that went on to the next iteration (`continue`) or left the loop (`break`).
 */
export interface Outcome {
  readonly fall?: Seq;
  readonly ret?: Seq;
  readonly next?: Seq;
  readonly exit?: Seq;
}

export const FALL_EMPTY: Outcome = { fall: EMPTY };

/** A then B. */
export function sequence(a: Outcome, b: Outcome): Outcome {
  if (!a.fall) return a;
  const after = (x: Seq | undefined, y: Seq | undefined): Seq | undefined => worstDefined(x, y && concat(a.fall!, y));
  const ret = after(a.ret, b.ret);
  const next = after(a.next, b.next);
  const exit = after(a.exit, b.exit);
  const fall = b.fall && concat(a.fall, b.fall);
  return { ...(fall ? { fall } : {}), ...(ret ? { ret } : {}), ...(next ? { next } : {}), ...(exit ? { exit } : {}) };
}

export function branch(...outcomes: readonly Outcome[]): Outcome {
  const of = (key: keyof Outcome): Seq | undefined => {
    const seqs = outcomes.map((o) => o[key]).filter((s): s is Seq => s !== undefined);
    return seqs.length ? worst(...seqs) : undefined;
  };
  const [fall, ret, next, exit] = [of("fall"), of("ret"), of("next"), of("exit")];
  return { ...(fall ? { fall } : {}), ...(ret ? { ret } : {}), ...(next ? { next } : {}), ...(exit ? { exit } : {}) };
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
  return worst(outcome.fall, outcome.ret, outcome.next, outcome.exit);
}
