import { allRegions, findRegion, regionId, type CloudRegion } from "../data/regions";
import data from "../data/cloudflare-locations.json";
import { greatCircleKm, type Point } from "./geo";

/** A Cloudflare data centre: where a Worker runs. */
export interface EdgeLocation extends Point {
  /** IATA code, as `cf-placement` headers name it: `FRA`. */
  readonly code: string;
  readonly city: string;
  readonly country: string;
}

/** A place the estimate reasons about: a cloud region, a Cloudflare location or a city. */
export interface Place extends Point {
  /** `aws:eu-central-1`, `FRA`, or the city's name. */
  readonly id: string;
  /** For people: `aws:eu-central-1 (Frankfurt, Germany)`, `Frankfurt, Germany (FRA)`. */
  readonly label: string;
}

const EDGES: readonly EdgeLocation[] = data.locations.map((l) => ({
  code: l.iata,
  city: l.city,
  country: l.country,
  lat: l.lat,
  lng: l.lng,
}));
const EDGE_BY_CODE = new Map(EDGES.map((e) => [e.code, e]));

export function edgeLocations(): readonly EdgeLocation[] {
  return EDGES;
}

/** The Cloudflare location nearest a point (where a request from there lands). */
export function nearestEdge(p: Point): EdgeLocation {
  let best = EDGES[0]!;
  let bestKm = Infinity;
  for (const edge of EDGES) {
    const km = greatCircleKm(p, edge);
    if (km < bestKm) {
      best = edge;
      bestKm = km;
    }
  }
  return best;
}

export function edgePlace(edge: EdgeLocation): Place {
  return { id: edge.code, label: `${edge.city} (${edge.code})`, lat: edge.lat, lng: edge.lng };
}

export function regionPlace(region: CloudRegion): Place {
  return { id: regionId(region), label: `${regionId(region)} (${region.location})`, lat: region.lat, lng: region.lng };
}

/** The cloud region nearest a point, among one provider's when given. */
export function nearestRegion(p: Point, provider?: CloudRegion["provider"]): CloudRegion {
  let best: CloudRegion | undefined;
  let bestKm = Infinity;
  for (const region of allRegions()) {
    if (provider && region.provider !== provider) continue;
    const km = greatCircleKm(p, region);
    if (km < bestKm) {
      best = region;
      bestKm = km;
    }
  }
  return best!;
}

/** Large cities across the continents: whom the estimate is for, unless told otherwise. */
export const DEFAULT_USER_CITIES: readonly string[] = [
  "New York",
  "São Paulo",
  "London",
  "Frankfurt",
  "Johannesburg",
  "Mumbai",
  "Singapore",
  "Tokyo",
  "Sydney",
];

/** Cities without a Cloudflare location of that name (New York's is in Newark). */
const OTHER_CITIES: ReadonlyArray<{ name: string; lat: number; lng: number }> = [{ name: "New York", lat: 40.71, lng: -74.01 }];

/** Case, accents and punctuation do not matter: `sao paulo` is São Paulo. */
function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

let folded: { others: Map<string, (typeof OTHER_CITIES)[number]>; edges: Map<string, EdgeLocation> } | undefined;

/** The cities by their folded names, the first of a name winning (folded once: every Worker's estimate asks). */
function foldedNames(): NonNullable<typeof folded> {
  if (!folded) {
    folded = { others: new Map(), edges: new Map() };
    for (const city of OTHER_CITIES) if (!folded.others.has(fold(city.name))) folded.others.set(fold(city.name), city);
    for (const edge of EDGES) if (!folded.edges.has(fold(edge.city))) folded.edges.set(fold(edge.city), edge);
  }
  return folded;
}

/**
 * A user's city: a city named here or by a Cloudflare location (`Sydney`, `sao paulo`), or a
 * Cloudflare location's code (`SYD`). Undefined when unknown.
 */
export function findCity(query: string): Place | undefined {
  const folded = fold(query);
  if (folded === "") return undefined;
  const other = foldedNames().others.get(folded);
  if (other) return { id: other.name, label: other.name, lat: other.lat, lng: other.lng };
  const byCode = EDGE_BY_CODE.get(query.trim().toUpperCase());
  const edge = byCode ?? foldedNames().edges.get(folded);
  return edge ? { id: edge.city, label: edge.city, lat: edge.lat, lng: edge.lng } : undefined;
}

/**
 * Where a back end is, as a user writes it in `smartPlacement.backends`: a placement region
 * (`aws:us-east-1`), a Cloudflare location's code (`FRA`) or a city (`Frankfurt`).
 */
export function parsePlace(value: string): Place | undefined {
  const trimmed = value.trim();
  const region = findRegion(trimmed.toLowerCase());
  if (region) return regionPlace(region);
  const edge = EDGE_BY_CODE.get(trimmed.toUpperCase());
  if (edge) return edgePlace(edge);
  const city = findCity(trimmed);
  return city ? { ...city, id: city.label } : undefined;
}

/** A Cloudflare location by code. */
export function edgeByCode(code: string): EdgeLocation | undefined {
  return EDGE_BY_CODE.get(code.toUpperCase());
}
