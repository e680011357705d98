import type { WorkerAnalysis } from "../worker/types";
import type { Prediction } from "./types";

export interface PredictionConfig {
  /** region, host or hostname is set. */
  readonly targeted: boolean;
  /** D1 binding names of the environment. */
  readonly d1Bindings: readonly string[];
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const count = (n: number): string => NUMBER_WORDS[n] ?? String(n);

/**
 * What Smart Placement would do with the Worker, in the platform's order: no fetch handler means
 * it is ignored; a target decides by itself; a D1 binding pins it to the database (seed rule); then
 * the sequential round trips to back ends it considers decide (more than one helps).
 */
export function predict(analysis: WorkerAnalysis, config: PredictionConfig): Prediction {
  const prediction = predictStatus(analysis, config);
  const notes = analysis.notes ?? [];
  if (notes.length === 0 || prediction.status === "NO_FETCH_HANDLER") return prediction;
  return { ...prediction, reasons: [...prediction.reasons, ...notes.filter((n) => !prediction.reasons.includes(n))] };
}

function predictStatus(analysis: WorkerAnalysis, config: PredictionConfig): Prediction {
  const none = { roundTrips: null, backends: [] as Prediction["backends"] };
  if (analysis.entryProblem) return { status: "UNKNOWN", ...none, reasons: [analysis.entryProblem.message] };
  const fetchHandlers = analysis.handlers.filter((h) => h.kind === "fetch");
  const notAnalysed = analysis.findings.filter((f) => f.code === "analysis-limit");
  if (fetchHandlers.length === 0 && notAnalysed.length > 0) {
    // A file over a limit may hold the fetch handler: its absence proves nothing.
    return {
      status: "UNKNOWN",
      ...none,
      reasons: ["no fetch handler found, but part of the Worker was not analysed", ...new Set(analysis.unknowns)],
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
  const base = { roundTrips, backends };
  if (config.targeted)
    return {
      status: "TARGETED",
      ...base,
      reasons: ["placement names a region, host or hostname: the Worker runs near that target, whatever its code does"],
    };
  if (config.d1Bindings.length > 0) {
    return {
      status: "D1_PINNED",
      ...base,
      reasons: [
        `the Worker has a D1 binding (${config.d1Bindings.join(", ")}): it is placed near the D1 database and its other subrequests are ignored`,
      ],
    };
  }
  const onPath = analysis.subrequests.filter((s) => s.criticalPath);
  const ignored = onPath.filter((s) => s.category === "analytics" || s.category === "global");
  const unknownCalls = onPath.filter((s) => s.category === "unknown");
  const possible = analysis.possibleRoundTrips ?? roundTrips;
  if (roundTrips >= 2) return { status: "SUCCESS", ...base, reasons: [describeTrips(analysis)] };
  if (analysis.unknowns.length > 0 || (possible >= 2 && unknownCalls.length > 0)) {
    // Unresolved calls are among the unknowns already, with where they are.
    const unsaid = unknownCalls.filter((s) => !analysis.unknowns.some((u) => s.note !== undefined && u.startsWith(s.note)));
    const reasons = [...analysis.unknowns, ...unsaid.map((s) => s.note ?? `a ${s.kind} call whose target is unknown`)];
    return {
      status: "UNKNOWN",
      ...base,
      reasons: [
        `${count(roundTrips)} round trip${roundTrips === 1 ? "" : "s"} to known back ends, but the analyser cannot tell the rest`,
        ...new Set(reasons),
      ],
    };
  }
  const backendCalls = onPath.filter((s) => s.category === "backend");
  if (backendCalls.length === 0 && ignored.length > 0) {
    const hosts = [...new Set(ignored.map((s) => s.target ?? "unknown"))];
    return {
      status: "NO_VALID_HOSTS",
      ...base,
      reasons: [`every subrequest on the fetch path goes to a host Smart Placement ignores: ${hosts.join(", ")}`],
    };
  }
  return {
    status: "INSUFFICIENT_SUBREQUESTS",
    ...base,
    reasons: [roundTrips === 0 ? "the fetch handler makes no round trip to a back end" : describeTrips(analysis)],
  };
}

function describeTrips(analysis: WorkerAnalysis): string {
  const hosts = analysis.backends.map((b) => b.host);
  const n = analysis.roundTrips ?? 0;
  const where = analysis.handlers
    .filter((h) => h.kind === "fetch" && h.roundTrips === n)
    .map((h) => h.route)
    .find(Boolean);
  return `${count(n)} sequential round trip${n === 1 ? "" : "s"} to ${hosts.length ? hosts.join(", ") : "back ends"} in the fetch handler${where ? ` (${where})` : ""}`;
}
