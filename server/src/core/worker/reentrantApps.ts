// A request handed again to the app that is handling it: a middleware of the app that rewrites the
// URL and calls `app.fetch(new Request(url, c.req.raw))` (a legacy path mapped to the current one),
// or a route that dispatches a sub-request through the app. The rewritten request runs the app's
// routes once more, so the path is the middleware's, then the worst route's. Walked naively, every
// route's middleware hands the request to every route again, down to the depth limit: exponential
// in the routes, which used up the walk's budget on a large API.
import type { Seq } from "./flow";
import { EMPTY } from "./flow";
import type { HandlerSite } from "./handlers/types";

/** How many times a hand-off may be walked inside itself: the rewritten request, then recursion. */
const MAX_NESTING = 2;

/**
 * What makes two handler sites the same one: its route and the functions it runs. The same app
 * reached through two names (`app` where it is made, and imported elsewhere) gives sites that are
 * different objects.
 */
function siteKey(site: HandlerSite): string {
  return `${site.route ?? ""}\0${site.functions.map((f) => `${f.module.path}#${f.fn.pos}`).join(",")}`;
}

export class ReentrantHandOffs {
  /** Handler sites being walked (a route of the Worker's own, or one handed the request), by siteKey, with how deep inside themselves. */
  private readonly inProgress = new Map<string, number>();
  /** Hand-offs met inside themselves (by their sites' keys): their outcome, once had, stands for every later one (per marking). */
  private readonly reentrant = new Set<string>();
  private readonly known = new Map<string, Seq>();
  private readonly keys = new Map<readonly HandlerSite[], string[]>();

  /** A handler site of the Worker's own walked as such (analyseFetchHandler): a hand-off to its app inside it re-enters it. */
  walking<T>(site: HandlerSite, walk: () => T): T {
    const keys = [siteKey(site)];
    this.enter(keys);
    try {
      return walk();
    } finally {
      this.leave(keys);
    }
  }

  /**
   * The outcome of handing the request to `sites`: `walk()` for the first hand-off; for one met
   * while one of the same sites is being walked, a second walk, then nothing (recursion); once a
   * hand-off has been met inside itself, its outcome is reused for every later one in the same
   * marking. `cut()` is called whenever the outcome is not a walk of its own (a walk that reuses or
   * stops here must not be kept as a summary: it did not record the hand-off's calls).
   */
  handOff(sites: readonly HandlerSite[], marking: string, cut: () => void, walk: () => Seq): Seq {
    let keys = this.keys.get(sites);
    // (Distinct: an app may list the same route twice, and each would count as one more level.)
    if (!keys) this.keys.set(sites, (keys = [...new Set(sites.map(siteKey))]));
    let nesting = 0;
    for (const key of keys) nesting = Math.max(nesting, this.inProgress.get(key) ?? 0);
    const all = keys.join("\n");
    if (nesting > 0) this.reentrant.add(all);
    const memo = `${marking}\n${all}`;
    if (this.reentrant.has(all)) {
      const known = this.known.get(memo);
      if (known) {
        cut();
        return known;
      }
    }
    if (nesting >= MAX_NESTING) {
      cut();
      return EMPTY;
    }
    this.enter(keys);
    let seq: Seq;
    try {
      seq = walk();
    } finally {
      this.leave(keys);
    }
    if (this.reentrant.has(all)) this.known.set(memo, seq);
    return seq;
  }

  private enter(keys: readonly string[]): void {
    for (const key of keys) this.inProgress.set(key, (this.inProgress.get(key) ?? 0) + 1);
  }

  private leave(keys: readonly string[]): void {
    for (const key of keys) {
      const count = (this.inProgress.get(key) ?? 1) - 1;
      if (count > 0) this.inProgress.set(key, count);
      else this.inProgress.delete(key);
    }
  }
}
