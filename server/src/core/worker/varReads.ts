/**
 * Which `[vars]` one analysis of a Worker read. Environments of one config often differ only in
 * vars the code never reads (a name, a log level) or in routes: their analyses are the same, and
 * the analysis made for one is used for the others (see analysis.ts).
 */
export interface VarReads {
  /** Each var asked for by name: whether it was there, and its value. */
  readonly byName: Map<string, { readonly present: boolean; readonly value: unknown }>;
  /** The vars were listed as a whole (not by name): every one of them matters. */
  all: boolean;
}

const originals = new WeakMap<object, Readonly<Record<string, string>>>();
const recordings = new WeakMap<object, VarReads>();

/** `vars` as the analysis sees them, recording into `reads` what it asks. */
export function recordingVars(vars: Readonly<Record<string, string>>): {
  vars: Readonly<Record<string, string>>;
  reads: VarReads;
} {
  const reads: VarReads = { byName: new Map(), all: false };
  const note = (key: string | symbol): void => {
    if (typeof key === "string" && !reads.byName.has(key))
      reads.byName.set(key, { present: Reflect.has(vars, key), value: Reflect.get(vars, key) as unknown });
  };
  const everything = (): void => {
    reads.all = true;
  };
  const proxy = new Proxy(vars, {
    get: (target, key) => {
      note(key);
      return Reflect.get(target, key) as unknown;
    },
    has: (target, key) => {
      note(key);
      return Reflect.has(target, key);
    },
    ownKeys: (target) => {
      everything();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor: (target, key) => {
      everything();
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  originals.set(proxy, vars);
  recordings.set(proxy, reads);
  return { vars: proxy, reads };
}

/** The vars themselves, without recording (for keys that hold every var anyway). */
export function unrecorded(vars: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return originals.get(vars) ?? vars;
}

/** What is recorded of `vars` (undefined: they are not recording, see recordingVars). */
export function readsOf(vars: Readonly<Record<string, string>>): VarReads | undefined {
  return recordings.get(vars);
}

/**
 * Has `vars` (recording) read again everything `earlier` read: an analysis that replays what an
 * earlier one walked depends on what that one read. Undefined `earlier` (an analysis that did
 * not record): every var counts as read.
 */
export function readAgain(vars: Readonly<Record<string, string>>, earlier: VarReads | undefined): void {
  const reads = recordings.get(vars);
  if (!reads || earlier === reads) return;
  if (!earlier || earlier.all) {
    reads.all = true;
    return;
  }
  for (const name of earlier.byName.keys()) Reflect.has(vars, name);
}

/** Whether an analysis that read `reads` from `before` would read the same from `after`. */
export function sameVarsRead(reads: VarReads, before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): boolean {
  if (reads.all) return JSON.stringify(Object.entries(before)) === JSON.stringify(Object.entries(after));
  for (const [name, seen] of reads.byName) {
    if (Reflect.has(after, name) !== seen.present || Reflect.get(after, name) !== seen.value) return false;
  }
  return true;
}
