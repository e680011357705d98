import { closestMatches } from "../strings";
import data from "./regions.json";

export type CloudProvider = "aws" | "gcp" | "azure";

export interface CloudRegion {
  readonly provider: CloudProvider;
  readonly code: string;
  readonly name: string;
  readonly location: string;
  readonly providerLabel: string;
}

const PROVIDERS: readonly CloudProvider[] = ["aws", "gcp", "azure"];

const REGIONS: readonly CloudRegion[] = PROVIDERS.flatMap((provider) =>
  data.providers[provider].regions.map((r) => ({
    provider,
    code: r.code,
    name: r.name,
    location: r.location,
    providerLabel: data.providers[provider].label,
  })),
);
const BY_ID = new Map(REGIONS.map((r) => [`${r.provider}:${r.code}`, r]));
const IDS = [...BY_ID.keys()];

export function allRegions(): readonly CloudRegion[] {
  return REGIONS;
}

/** `"aws:us-east-1"` -> the region, exactly as Cloudflare expects it (lower case). */
export function findRegion(value: string): CloudRegion | undefined {
  return BY_ID.get(value);
}

/**
 * Likely meant regions for a value that is not one: case and separators ("AWS:US-EAST-1",
 * "azure:west-europe"), a missing provider ("us-east-1"), or a small typo ("aws:us-east1").
 */
export function closestRegions(value: string, max = 3): string[] {
  const lower = value.trim().toLowerCase();
  if (BY_ID.has(lower)) return [lower];
  const colon = lower.indexOf(":");
  const provider = colon >= 0 ? lower.slice(0, colon) : undefined;
  const code = colon >= 0 ? lower.slice(colon + 1) : lower;
  const compact = (s: string): string => s.replace(/[-_\s]/g, "");
  // Same letters once separators are ignored: "west-europe" is "westeurope".
  const sameLetters = REGIONS.filter((r) => compact(r.code) === compact(code) && (!provider || r.provider === provider)).map(
    (r) => `${r.provider}:${r.code}`,
  );
  if (sameLetters.length > 0) return sameLetters.slice(0, max);
  const candidates =
    provider && (PROVIDERS as readonly string[]).includes(provider) ? IDS.filter((id) => id.startsWith(provider + ":")) : IDS;
  const query = provider ? lower : undefined;
  const byDistance = query
    ? closestMatches(query, candidates, 2)
    : closestMatches(
        code,
        REGIONS.map((r) => r.code),
        2,
      ).flatMap((c) => REGIONS.filter((r) => r.code === c).map((r) => `${r.provider}:${r.code}`));
  return [...new Set(byDistance)].slice(0, max);
}
