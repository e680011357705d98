import type { ConfigAnalysis, WorkerResult } from "../analysis";
import type { ConfigFormat } from "../config/tree";
import { ruleInfo } from "../rules/catalogue";
import { spanContains } from "../text";
import { restatesRoundTrips } from "./predict";
import type { Prediction, PredictionStatus } from "./types";

/**
 * The words every surface uses for one Worker (status item, code lens, hover, CLI text): what is
 * configured, then what the analysis predicts, in plain words. The status enum is for machines
 * (JSON, SARIF) and tooltips only.
 */
export interface PlacementWords {
  /** What the config says: "Off", "Smart", "Smart (hint: aws:us-east-1)", "Targeted: aws:us-east-1", "Invalid config". */
  readonly configured: string;
  /** How the prediction reads: "would help", "would not help", "cannot tell", "runs near the target", "would run near its D1 database". */
  readonly verdict: string;
  /** What the verdict rests on: "2 sequential round trips to db.example.com". */
  readonly detail: string;
  /** `verdict: detail` */
  readonly prediction: string;
  /** `configured · verdict: detail`, the one line a surface shows. */
  readonly headline: string;
  /** How much the developer should look: an invalid config is an error; placement on where it cannot help, a warning. */
  readonly severity: "information" | "warning" | "error";
  /** What the analysis could not follow (UNKNOWN), beyond the cause in the headline. */
  readonly unknowns: readonly string[];
  /** The reasons that add to the headline (none restate it). */
  readonly moreReasons: readonly string[];
  /** The API's status, for tooltips and machine output. */
  readonly status: PredictionStatus;
}

/** "1 round trip", "2 sequential round trips", "no round trips". */
export function roundTripCount(count: number): string {
  if (count === 0) return "no round trips";
  return count === 1 ? "1 round trip" : `${count} sequential round trips`;
}

/** "db.example.com", "a.com and b.com", "a.com, b.com and 2 more". */
export function hostList(hosts: readonly string[], shown = 2): string {
  if (hosts.length <= shown) return hosts.length === 2 ? `${hosts[0]} and ${hosts[1]}` : hosts.join(", ");
  return `${hosts.slice(0, shown).join(", ")} and ${hosts.length - shown} more`;
}

/** "2 sequential round trips to db.example.com", "1 round trip to api.example.com", "no round trips to back ends". */
export function roundTripsTo(count: number, hosts: readonly string[]): string {
  if (count === 0) return "no round trips to back ends";
  return `${roundTripCount(count)} to ${hosts.length ? hostList(hosts) : "back ends"}`;
}

/** Whether the config that places this Worker has an error Wrangler would refuse to deploy with. */
export function hasInvalidPlacement(analysis: ConfigAnalysis, worker: WorkerResult): boolean {
  const placement = worker.env.placement;
  if (!placement) return false;
  return analysis.findings.some(
    (finding) =>
      finding.file === analysis.config.file &&
      ruleInfo(finding.code).severity === "error" &&
      spanContains(placement.entry.entrySpan, finding.span.start),
  );
}

/** "Off", "Smart", "Smart (hint: aws:us-east-1)", "Targeted: aws:us-east-1", "Targeted: host db.example.com:5432", "Invalid config". */
export function configuredWords(worker: WorkerResult, invalid: boolean): string {
  if (invalid) return "Invalid config";
  const placement = worker.effectivePlacement;
  if (!placement) return "Off";
  if (placement.mode === "smart") return placement.hint ? `Smart (hint: ${placement.hint})` : "Smart";
  if (placement.region) return `Targeted: ${placement.region}`;
  if (placement.host) return `Targeted: host ${placement.host}`;
  return `Targeted: hostname ${placement.hostname ?? ""}`.trim();
}

/** The verdict and what it rests on, for one prediction. */
export function predictionWords(worker: WorkerResult): { verdict: string; detail: string; unknowns: string[]; moreReasons: string[] } {
  const { prediction, analysis } = worker;
  // Calls counted as back ends by assumption have no host to name: said as such (the reasons say what was assumed).
  const assumed = analysis.subrequests.filter((s) => s.criticalPath && s.assumed !== undefined && s.target === null).length;
  const hosts = [
    ...prediction.backends.map((b) => b.host),
    ...(assumed === 0 ? [] : [assumed === 1 ? "an assumed back end" : "assumed back ends"]),
  ];
  const trips = prediction.roundTrips ?? 0;
  const reasons = restatesRoundTrips(prediction) ? prediction.reasons.slice(1) : [...prediction.reasons];
  switch (prediction.status) {
    case "SUCCESS":
      return { verdict: "would help", detail: roundTripsTo(trips, hosts), unknowns: [], moreReasons: reasons };
    case "INSUFFICIENT_SUBREQUESTS":
      return {
        verdict: "would not help",
        detail: trips === 0 ? "no round trips to back ends" : `only ${roundTripsTo(trips, hosts)}`,
        unknowns: [],
        moreReasons: reasons,
      };
    case "NO_VALID_HOSTS": {
      const ignored = [
        ...new Set(
          analysis.subrequests
            .filter((s) => s.criticalPath && (s.category === "analytics" || s.category === "global"))
            .map((s) => s.target ?? "unknown"),
        ),
      ];
      return {
        verdict: "would not help",
        detail: ignored.length ? `only hosts Smart Placement ignores (${hostList(ignored)})` : "no subrequests to back ends",
        unknowns: [],
        moreReasons: reasons.slice(1),
      };
    }
    case "NO_FETCH_HANDLER":
      return { verdict: "would not help", detail: "no fetch handler", unknowns: [], moreReasons: reasons };
    case "TARGETED":
      return {
        verdict: "runs near the target",
        detail:
          prediction.roundTrips === null ? "the code is not considered" : `the code is not considered (${roundTripsTo(trips, hosts)})`,
        unknowns: [],
        moreReasons: [],
      };
    case "D1_PINNED":
      return {
        verdict: "would run near its D1 database",
        detail: `${worker.env.bindings.d1.join(", ")}, other subrequests ignored (2024 rules)`,
        unknowns: [],
        moreReasons: [],
      };
    case "UNKNOWN": {
      const [cause, ...rest] = reasons;
      return {
        verdict: "cannot tell",
        detail: cause ? asClause(cause) : "the analysis could not follow the Worker",
        unknowns: rest,
        moreReasons: [],
      };
    }
  }
}

/** A sentence as the end of another: "The config has no main." → "the config has no main" (an acronym keeps its capitals). */
export function asClause(sentence: string): string {
  const trimmed = sentence.endsWith(".") && !sentence.endsWith("..") ? sentence.slice(0, -1) : sentence;
  const [first, second] = [trimmed.charAt(0), trimmed.charAt(1)];
  return first !== first.toLowerCase() && second === second.toLowerCase() ? first.toLowerCase() + trimmed.slice(1) : trimmed;
}

/** Everything a surface says about one Worker of one config. */
export function describeWorker(analysis: ConfigAnalysis, worker: WorkerResult): PlacementWords {
  const invalid = hasInvalidPlacement(analysis, worker);
  const configured = configuredWords(worker, invalid);
  const words = predictionWords(worker);
  // A target in a placement Wrangler rejects places nothing: say so rather than "runs near the target".
  const { verdict, detail, unknowns, moreReasons } =
    invalid && worker.prediction.status === "TARGETED"
      ? {
          ...words,
          verdict: "cannot tell",
          detail: `the placement is invalid (${roundTripsTo(
            worker.prediction.roundTrips ?? 0,
            worker.prediction.backends.map((b) => b.host),
          )})`,
        }
      : words;
  const prediction = `${verdict}: ${detail}`;
  return {
    configured,
    verdict,
    detail,
    prediction,
    headline: `${configured} · ${prediction}`,
    severity: invalid ? "error" : placementSeverity(worker.effectivePlacement?.mode === "smart", worker.prediction),
    unknowns,
    moreReasons,
    status: worker.prediction.status,
  };
}

/** Smart Placement switched on where it cannot help is worth a look; everything else is information. */
function placementSeverity(smart: boolean, prediction: Prediction): PlacementWords["severity"] {
  if (!smart) return "information";
  return prediction.status === "NO_FETCH_HANDLER" || prediction.status === "NO_VALID_HOSTS" ? "warning" : "information";
}

/** A config that does not parse has no Workers to describe: this is what surfaces say instead. */
export const UNPARSED_CONFIG_WORDS = {
  configured: "Invalid config",
  prediction: "cannot tell: the config does not parse",
} as const;

/**
 * The Worker's `placement` as its config writes it, on one line: `placement = { mode = "smart" }`
 * for TOML, `"placement": { "mode": "smart" }` for JSON.
 */
export function placementInConfigSyntax(format: ConfigFormat, placement: unknown): string {
  return format === "toml" ? `placement = ${tomlValue(placement)}` : `"placement": ${jsonValue(placement)}`;
}

function tomlValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([key, v]) => `${tomlKey(key)} = ${tomlValue(v)}`).join(", ")} }` : "{}";
  }
  return JSON.stringify(value) ?? "";
}

/** A bare key when TOML allows one (letters, digits, `_`, `-`), else a quoted key. */
function tomlKey(key: string): string {
  const bare =
    key.length > 0 &&
    [...key].every((c) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "-");
  return bare ? key : JSON.stringify(key);
}

function jsonValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonValue).join(", ")}]`;
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([key, v]) => `${JSON.stringify(key)}: ${jsonValue(v)}`).join(", ")} }` : "{}";
  }
  return JSON.stringify(value) ?? "null";
}
