import { editDistance } from "../strings";
import data from "./regions.json";

/** The clouds a placement `region` can name: `"<provider>:<code>"`. */
export type CloudProvider = "aws" | "gcp" | "azure";

export interface CloudRegion {
  readonly provider: CloudProvider;
  /** The provider's own region code, e.g. `us-east-1`, `europe-west8`, `westeurope`. */
  readonly code: string;
  /** The provider's display name, e.g. `Europe (Frankfurt)`. */
  readonly name: string;
  /** Where it is, city or area and country, e.g. `Frankfurt, Germany`. */
  readonly location: string;
  /** Approximate coordinates of the region's metro area (degrees), for the latency estimate. */
  readonly lat: number;
  readonly lng: number;
}

export const CLOUD_PROVIDERS: readonly CloudProvider[] = ["aws", "gcp", "azure"];

/** Other spellings people write before the colon. */
const PROVIDER_ALIASES: ReadonlyMap<string, CloudProvider> = new Map<string, CloudProvider>([
  ["aws", "aws"],
  ["amazon", "aws"],
  ["amazonaws", "aws"],
  ["gcp", "gcp"],
  ["gce", "gcp"],
  ["gcloud", "gcp"],
  ["google", "gcp"],
  ["googlecloud", "gcp"],
  ["azure", "azure"],
  ["az", "azure"],
  ["microsoft", "azure"],
  ["msazure", "azure"],
]);

const REGIONS: readonly CloudRegion[] = CLOUD_PROVIDERS.flatMap((provider) =>
  data.providers[provider].regions.map((r): CloudRegion => ({
    provider,
    code: r.code,
    name: r.name,
    location: r.location,
    lat: r.lat,
    lng: r.lng,
  })),
);
const BY_ID: ReadonlyMap<string, CloudRegion> = new Map(REGIONS.map((r) => [regionId(r), r]));
/** Codes without separators, in REGIONS order: `us-east-1` -> `useast1`. */
const COMPACT_CODES: readonly string[] = REGIONS.map((r) => compact(r.code));

/** `aws:us-east-1` */
export function regionId(region: CloudRegion): string {
  return `${region.provider}:${region.code}`;
}

/** `"Amazon Web Services"`, `"Google Cloud"`, `"Microsoft Azure"`. */
export function providerLabel(provider: CloudProvider): string {
  return data.providers[provider].label;
}

export function allRegions(): readonly CloudRegion[] {
  return REGIONS;
}

/** `"aws:us-east-1"` -> the region. Exact: lower case, as Cloudflare documents it. */
export function findRegion(value: string): CloudRegion | undefined {
  return BY_ID.get(value);
}

/**
 * Likely meant regions for a value that is not one, best first, as `"<provider>:<code>"`:
 * case and separators (`"AWS:US-EAST-1"`, `"azure:west-europe"`, `"gcp:europe-west-8"`,
 * `"aws:us-east1"`), a missing or misspelt provider (`"us-east-1"`, `"amazon:us-east-1"`,
 * `"gpc:us-east4"`), a code under the wrong provider (`"aws:europe-west8"`), or a small typo
 * (edit distance, at most one edit per four characters of the code).
 * Nothing when nothing is that close.
 */
export function closestRegions(value: string, max = 3): string[] {
  const query = value.trim().toLowerCase();
  if (query === "" || max <= 0) return [];
  if (BY_ID.has(query)) return [query];

  const { provider, code: rawCode } = splitQuery(query);
  const code = compact(rawCode);
  if (code === "") return [];
  const limit = Math.max(1, Math.floor(code.length / 4));

  const candidates: Array<{ index: number; distance: number; rawDistance: number; sameProvider: boolean }> = [];
  REGIONS.forEach((region, index) => {
    const distance = editDistance(code, COMPACT_CODES[index]!);
    const sameProvider = provider === undefined || region.provider === provider;
    // Under another provider than the one written, only the very same code counts.
    if (sameProvider ? distance > limit : distance !== 0) return;
    candidates.push({ index, distance, rawDistance: editDistance(rawCode, region.code), sameProvider });
  });

  // The provider written wins when it has anything close; a code that differs only in case or
  // separators makes the looser matches noise.
  const ofProvider = candidates.some((c) => c.sameProvider) ? candidates.filter((c) => c.sameProvider) : candidates;
  const best = Math.min(...ofProvider.map((c) => c.distance));
  const kept = best === 0 ? ofProvider.filter((c) => c.distance === 0) : ofProvider;
  kept.sort((x, y) => x.distance - y.distance || x.rawDistance - y.rawDistance || x.index - y.index);
  return kept.slice(0, max).map((c) => regionId(REGIONS[c.index]!));
}

/** `"aws:us-east-1"`, `"aws/us-east-1"`, `"us-east-1"` -> provider (if recognisable) and code. */
function splitQuery(query: string): { provider: CloudProvider | undefined; code: string } {
  const colon = query.indexOf(":");
  if (colon >= 0) return { provider: resolveProvider(query.slice(0, colon)), code: stripEdges(query.slice(colon + 1)) };
  const prefixed = /^([a-z]+)[\s/._-]+(.+)$/.exec(query);
  const provider = prefixed ? PROVIDER_ALIASES.get(prefixed[1]!) : undefined;
  if (prefixed && provider) return { provider, code: stripEdges(prefixed[2]!) };
  return { provider: undefined, code: stripEdges(query) };
}

/** An alias, or a provider name one edit away (`"gpc"`, `"azrue"`); otherwise unknown. */
function resolveProvider(raw: string): CloudProvider | undefined {
  const name = compact(raw);
  const alias = PROVIDER_ALIASES.get(name);
  if (alias) return alias;
  const near = CLOUD_PROVIDERS.filter((p) => editDistance(name, p) <= 1);
  return near.length === 1 ? near[0] : undefined;
}

function compact(s: string): string {
  return s.replace(/[^a-z0-9]/g, "");
}

function stripEdges(s: string): string {
  return s.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
}
