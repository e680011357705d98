/**
 * Which of the platform's rules the prediction follows. Cloudflare changed Smart Placement after the
 * documents this project started from:
 *
 * - `"current"` (the default): today's platform. Since 2025-02-13 a D1 binding no longer pins the
 *   Worker near the database ("the same placement logic applies as for other Workers", Workers
 *   changelog): D1 queries are round trips to the database like any back end's. Placed Workers run
 *   where expected request duration is lowest, which may be near the user; after a deploy the
 *   platform may also report INSUFFICIENT_INVOCATIONS (too little traffic) or
 *   UNSUPPORTED_APPLICATION (placement measured slower and was undone), which no analysis of the
 *   code can predict.
 * - `"2024"`: the rules of the 2024 documentation, D1_PINNED included.
 */
export type PlatformRules = "current" | "2024";

export const PLATFORM_RULES: readonly PlatformRules[] = ["current", "2024"];

export const DEFAULT_PLATFORM_RULES: PlatformRules = "current";

/** The day D1 stopped pinning Workers (Cloudflare's Workers changelog). */
export const D1_PINNING_ENDED = "2025-02-13";

export function isPlatformRules(value: unknown): value is PlatformRules {
  return value === "current" || value === "2024";
}

/** What a D1 binding means for placement under these rules, in one sentence (hovers, notes). */
export function d1RuleText(rules: PlatformRules, binding: string): string {
  return rules === "2024"
    ? `Under the 2024 rules a D1 binding pins the Worker near its database (${binding}); its other subrequests are ignored. Cloudflare ended this on ${D1_PINNING_ENDED}.`
    : `Since ${D1_PINNING_ENDED} a D1 binding no longer pins the Worker: each query on ${binding} is a round trip to the database, counted like any back end's (the 2024 rules, with D1 pinning, are the setting "platformRules": "2024").`;
}

/**
 * What the prediction assumes where the analysis followed a path but cannot name what a call
 * reaches:
 *
 * - `"likely"` (the default): a fetch (or HTTP client call, or socket) whose host cannot be
 *   resolved is counted as a round trip to a back end (a computed host in a Worker is almost
 *   always configured, chosen per request or the origin), and each awaited method call on a
 *   client made from a package the library table does not know (`new PinataSDK(...)`) as one
 *   round trip to that library's service. The prediction's reasons say what was assumed.
 * - `"strict"`: neither is assumed: such a call on the response path makes the prediction UNKNOWN.
 */
export type AssumeMode = "likely" | "strict";

export const ASSUME_MODES: readonly AssumeMode[] = ["likely", "strict"];

export const DEFAULT_ASSUME: AssumeMode = "likely";

export function isAssumeMode(value: unknown): value is AssumeMode {
  return value === "likely" || value === "strict";
}
