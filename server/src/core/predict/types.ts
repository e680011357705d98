import type { AssumeMode, PlatformRules } from "../platform";

export type PredictionStatus =
  "NO_FETCH_HANDLER" | "TARGETED" | "D1_PINNED" | "NO_VALID_HOSTS" | "INSUFFICIENT_SUBREQUESTS" | "SUCCESS" | "UNKNOWN";

export interface Prediction {
  readonly status: PredictionStatus;
  /** The platform rules the prediction follows (see platform.ts). */
  readonly platformRules: PlatformRules;
  /** What the prediction assumes of calls whose target is unknown (see platform.ts, AssumeMode). */
  readonly assume: AssumeMode;
  /** null when status is NO_FETCH_HANDLER (and when nothing can be said: UNKNOWN without an entry). */
  readonly roundTrips: number | null;
  readonly backends: ReadonlyArray<{ readonly host: string; readonly roundTrips: number }>;
  readonly reasons: readonly string[];
}
