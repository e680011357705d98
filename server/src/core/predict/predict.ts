import type { WorkerAnalysis } from "../worker/types";
import { WALK_BUDGET_REASON } from "../worker/context";
import { D1_PINNING_ENDED, DEFAULT_ASSUME, DEFAULT_PLATFORM_RULES, type AssumeMode, type PlatformRules } from "../platform";
import type { Prediction } from "./types";

export interface PredictionConfig {
  /** region, host or hostname is set. */
  readonly targeted: boolean;
  /** D1 binding names of the environment. */
  readonly d1Bindings: readonly string[];
  /** Default "current". */
  readonly platformRules?: PlatformRules;
  /**
   * Default "likely". The analysis made with the same setting (its input's `assume`) is what
   * counts the assumed calls; the prediction names the mode and says what was assumed.
   */
  readonly assume?: AssumeMode;
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const count = (n: number): string => NUMBER_WORDS[n] ?? String(n);

/**
 * What Smart Placement would do with the Worker, in the platform's order: no fetch handler means
 * it is ignored; a target decides by itself; under the 2024 rules a D1 binding pins it to the
 * database; then the sequential round trips to back ends it considers decide (more than one helps).
 * Whatever the analysis could not follow makes the answer UNKNOWN rather than a guess.
 */
export function predict(analysis: WorkerAnalysis, config: PredictionConfig): Prediction {
  const prediction = predictStatus(analysis, config);
  const notes = [...(analysis.notes ?? []), ...chosenHosts(analysis, prediction)];
  if (notes.length === 0 || prediction.status === "NO_FETCH_HANDLER") return prediction;
  return { ...prediction, reasons: [...prediction.reasons, ...notes.filter((n) => !prediction.reasons.includes(n))] };
}

function predictStatus(analysis: WorkerAnalysis, config: PredictionConfig): Prediction {
  const platformRules = config.platformRules ?? DEFAULT_PLATFORM_RULES;
  const assume = config.assume ?? DEFAULT_ASSUME;
  const none = { platformRules, assume, roundTrips: null, backends: [] as Prediction["backends"] };
  if (analysis.entryProblem) {
    // No code to read, but build output (a web framework's or a bundler's) serves requests: a target
    // or (2024 rules) a D1 binding decides without it.
    const kind = analysis.entryProblem.kind;
    const decided = kind === "framework-output" || kind === "build-output" ? decidedByConfig(config, platformRules) : undefined;
    if (decided)
      return { status: decided.status, ...none, reasons: [`${decided.reason} (its code was not read)`, analysis.entryProblem.message] };
    return { status: "UNKNOWN", ...none, reasons: [analysis.entryProblem.message] };
  }
  const fetchHandlers = analysis.handlers.filter((h) => h.kind === "fetch");
  const notAnalysed = analysis.findings.filter((f) => f.code === "analysis-limit" || f.code === "source-syntax");
  if (fetchHandlers.length === 0 && notAnalysed.length > 0) {
    // A file over a limit, or one that does not parse, may hold the fetch handler: its absence proves nothing.
    return {
      status: "UNKNOWN",
      ...none,
      reasons: [
        notAnalysed.some((f) => f.code === "analysis-limit")
          ? "no fetch handler found, but part of the Worker was not analysed"
          : "no fetch handler found, but part of the Worker does not parse",
        ...new Set(analysis.unknowns),
      ],
    };
  }
  if (fetchHandlers.length === 0) {
    const others = [...new Set(analysis.handlers.filter((h) => h.kind !== "durable-object").map((h) => h.kind))];
    return {
      status: "NO_FETCH_HANDLER",
      ...none,
      reasons: [
        analysis.notes?.length && analysis.handlers.length === 0
          ? analysis.notes[0]!
          : others.length
            ? `the Worker has only ${others.join(", ")} handler${others.length > 1 ? "s" : ""} and no fetch handler`
            : "the Worker has no fetch handler",
      ],
    };
  }
  const roundTrips = analysis.roundTrips ?? 0;
  const backends = analysis.backends.map((b) => ({ host: b.host, roundTrips: b.roundTrips }));
  const base = { platformRules, assume, roundTrips, backends };
  const decided = decidedByConfig(config, platformRules);
  if (decided) return { status: decided.status, ...base, reasons: [decided.reason] };
  const onPath = analysis.subrequests.filter((s) => s.criticalPath);
  const ignored = onPath.filter((s) => s.category === "analytics" || s.category === "global");
  // Calls counted by assumption (an unresolved host, an unknown library's client) are not unknowns:
  // what was assumed is said once per cause.
  const unknownCalls = onPath.filter((s) => s.category === "unknown" && s.assumed === undefined);
  const assumed = [...new Set(onPath.map((s) => s.assumed).filter((a): a is string => a !== undefined))];
  if (roundTrips >= 2)
    return {
      status: "SUCCESS",
      ...base,
      reasons: [
        describeTrips(analysis),
        ...assumed,
        ...(platformRules === "current" ? [CURRENT_SUCCESS_NOTE] : []),
        // Past the budget there may be more: the count is a lower bound, and the reader is told.
        ...(analysis.unknowns.includes(WALK_BUDGET_REASON) ? [WALK_BUDGET_REASON] : []),
      ],
    };
  // A call on the path whose target is unknown may be a back end: never counted as none.
  if (analysis.unknowns.length > 0 || unknownCalls.length > 0) {
    // Unresolved calls are among the unknowns already, with where they are.
    const unsaid = unknownCalls.filter((s) => !analysis.unknowns.some((u) => s.note !== undefined && u.startsWith(s.note)));
    const reasons = [...analysis.unknowns, ...unsaid.map((s) => s.note ?? `a ${s.kind} call whose target is unknown`)];
    return {
      status: "UNKNOWN",
      ...base,
      reasons: [
        `${count(roundTrips)} round trip${roundTrips === 1 ? "" : "s"} to ${assumed.length > 0 ? "back ends (some assumed, as said below)" : "known back ends"}, but the analyser cannot tell the rest`,
        ...new Set(reasons),
        ...assumed,
      ],
    };
  }
  const backendCalls = onPath.filter((s) => s.category === "backend" || s.category === "unknown");
  if (backendCalls.length === 0) {
    // A URL chosen at run time among several ignored hosts names them all.
    const hosts = [...new Set(ignored.flatMap((s) => (s.candidates?.length ? s.candidates.map((c) => c.host) : [s.target ?? "unknown"])))];
    return {
      status: "NO_VALID_HOSTS",
      ...base,
      reasons: [
        hosts.length > 0
          ? `every subrequest on the fetch path goes to a host Smart Placement ignores: ${hosts.join(", ")}`
          : "the fetch handler does not send subrequests to back-end services",
        ...afterResponse(analysis),
      ],
    };
  }
  return { status: "INSUFFICIENT_SUBREQUESTS", ...base, reasons: [describeTrips(analysis), ...assumed, ...afterResponse(analysis)] };
}

/**
 * Back-end work handed to `ctx.waitUntil`: it runs after the response is sent, so it does not
 * delay it and is not counted; said, so that a Worker whose real work is there is not left
 * with a bare "no back ends".
 */
function afterResponse(analysis: WorkerAnalysis): string[] {
  const later = analysis.subrequests.filter((s) => s.waitUntil && !s.criticalPath && s.category === "backend");
  if (later.length === 0) return [];
  const hosts = [...new Set(later.map((s) => s.target ?? "unknown"))];
  const n = later.length;
  return [
    `${count(n)} round trip${n === 1 ? "" : "s"} to ${hosts.join(", ")} run${n === 1 ? "s" : ""} in waitUntil after the response: ${n === 1 ? "it does" : "they do"} not delay it, so placement is not predicted to help`,
  ];
}

/**
 * Whether the prediction's first reason restates its round-trip count (SUCCESS and
 * INSUFFICIENT_SUBREQUESTS open with the trips, UNKNOWN with the trips to known back ends before
 * what could not be followed): surfaces that show the count already leave that reason out.
 */
export function restatesRoundTrips(prediction: Prediction): boolean {
  if (prediction.status === "SUCCESS" || prediction.status === "INSUFFICIENT_SUBREQUESTS") return true;
  return prediction.status === "UNKNOWN" && prediction.roundTrips !== null && prediction.reasons.length > 1;
}

/**
 * A call on the response path whose URL is one of several hosts of different kinds (a back end in
 * production, a globally distributed one in staging): counted as the worst of them, and said.
 */
function chosenHosts(analysis: WorkerAnalysis, prediction: Prediction): string[] {
  if (prediction.roundTrips === null || prediction.status === "TARGETED" || prediction.status === "D1_PINNED") return [];
  const said = new Set<string>();
  for (const s of analysis.subrequests)
    if (s.criticalPath && s.candidates && s.note && new Set(s.candidates.map((c) => c.category)).size > 1) said.add(s.note);
  return [...said];
}

/** What the config decides whatever the code does: a target, or (2024 rules) a D1 binding. */
function decidedByConfig(
  config: PredictionConfig,
  platformRules: PlatformRules,
): { status: "TARGETED" | "D1_PINNED"; reason: string } | undefined {
  if (config.targeted)
    return {
      status: "TARGETED",
      reason: "placement names a region, host or hostname: the Worker runs near that target, whatever its code does",
    };
  if (platformRules === "2024" && config.d1Bindings.length > 0)
    return {
      status: "D1_PINNED",
      reason: `the Worker has a D1 binding (${config.d1Bindings.join(", ")}): it is placed near the D1 database and its other subrequests are ignored (2024 rules; Cloudflare ended D1 pinning on ${D1_PINNING_ENDED})`,
    };
  return undefined;
}

/** What SUCCESS means on today's platform, said once with the prediction. */
const CURRENT_SUCCESS_NOTE =
  "today's platform then runs the Worker where expected request duration is lowest, which may still be near the user; after deploy it may instead report INSUFFICIENT_INVOCATIONS (too little traffic to decide) or UNSUPPORTED_APPLICATION (placement measured slower)";

function describeTrips(analysis: WorkerAnalysis): string {
  const hosts = analysis.backends.map((b) => b.host);
  // Calls counted by assumption have no host to name (the reasons after this one say what was assumed).
  const assumed = analysis.subrequests.filter((s) => s.criticalPath && s.assumed !== undefined && s.target === null).length;
  const n = analysis.roundTrips ?? 0;
  const some = assumed === 1 ? "an assumed back end" : "assumed back ends";
  const to =
    assumed > 0
      ? hosts.length === 0
        ? some
        : [...hosts, some].join(hosts.length > 1 ? ", " : " and ")
      : hosts.length
        ? hosts.join(", ")
        : "back ends";
  const where = analysis.handlers
    .filter((h) => h.kind === "fetch" && h.roundTrips === n)
    .map((h) => h.route)
    .find(Boolean);
  return `${count(n)} sequential round trip${n === 1 ? "" : "s"} to ${to} in the fetch handler${where ? ` (${where})` : ""}`;
}
