/**
 * Distances on the globe and the round-trip time they cost: the physics the estimate rests on.
 *
 * The model: light in optical fibre covers about 200 km per millisecond (refractive index ~1.5);
 * real routes are longer than the great circle (cables follow coasts, cross at landing points,
 * meet at exchange points), by a factor fitted on measured round trips; and each round trip pays a
 * small fixed cost for switching and for the last kilometres inside the cities. Two fitted
 * constants, both physically meaningful; `test/unit/estimate.test.ts` measures the error on a
 * published table of round trips, part of it held out from the fit.
 */

export interface Point {
  /** Degrees north. */
  readonly lat: number;
  /** Degrees east. */
  readonly lng: number;
}

/** Light in fibre, km per ms (c / 1.5). */
export const FIBRE_KM_PER_MS = 200;
/** How much longer the route is than the great circle (fitted: 1.43 on the measured table). */
export const PATH_FACTOR = 1.45;
/** Switching and in-city hops per round trip, ms (fitted: 5.7 ms). */
export const FIXED_MS = 5;

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance (haversine). */
export function greatCircleKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Modelled round-trip time between two points, ms (unrounded). */
export function roundTripMs(a: Point, b: Point): number {
  return FIXED_MS + (2 * PATH_FACTOR * greatCircleKm(a, b)) / FIBRE_KM_PER_MS;
}

/**
 * Areas between which measured routes often take a third continent (Europe–Japan through North
 * America, South America–Europe/Asia/Oceania through North America): a distance model
 * underestimates those round trips, by up to ~100 ms on the measured table. Coarse boxes: they
 * only decide whether the estimate warns.
 */
type Area = "europe" | "east-asia" | "south-america" | "oceania" | "other";

function areaOf(p: Point): Area {
  if (p.lat >= 35 && p.lng >= -25 && p.lng <= 45) return "europe";
  if (p.lat >= 20 && p.lng >= 100 && p.lng <= 150) return "east-asia";
  if (p.lat <= 13 && p.lng >= -82 && p.lng <= -34) return "south-america";
  if (p.lat <= -10 && p.lng >= 110) return "oceania";
  return "other";
}

const DETOURS: ReadonlyArray<readonly [Area, Area]> = [
  ["europe", "east-asia"],
  ["south-america", "europe"],
  ["south-america", "east-asia"],
  ["south-america", "oceania"],
];

/** Whether measured routes between these points often detour through a third continent. */
export function mayDetour(a: Point, b: Point): boolean {
  const x = areaOf(a);
  const y = areaOf(b);
  return DETOURS.some(([p, q]) => (x === p && y === q) || (x === q && y === p));
}
