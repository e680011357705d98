import type { Estimate } from "./estimate";

/** The estimate in the JSON report (`prediction.estimate`, see CONTRACT.md) and for the picture. */
export interface JsonPlace {
  id: string;
  label: string;
  lat: number;
  lng: number;
}

export interface JsonEstimate {
  placedAt: JsonPlace | null;
  placedBy: string;
  /** The user cities, in the order of each path's `cities`. */
  users: JsonPlace[];
  backends: Array<{ host: string; location: JsonPlace | null; source: string | null }>;
  paths: Array<{ route: string | null; roundTrips: number; cities: Array<{ city: string; defaultMs: number; placedMs: number }> | null }>;
  notes: string[];
}

const jsonPlace = (p: { id: string; label: string; lat: number; lng: number }): JsonPlace => ({
  id: p.id,
  label: p.label,
  lat: p.lat,
  lng: p.lng,
});

/** Plain data: places without methods, numbers in ms. */
export function jsonEstimate(estimate: Estimate): JsonEstimate {
  return {
    placedAt: estimate.placedAt ? jsonPlace(estimate.placedAt) : null,
    placedBy: estimate.placedBy,
    users: estimate.cities.map(jsonPlace),
    backends: estimate.backends.map((b) => ({ host: b.host, location: b.place ? jsonPlace(b.place) : null, source: b.source })),
    paths: estimate.paths.map((p) => ({
      route: p.route,
      roundTrips: p.roundTrips,
      cities: p.cities ? p.cities.map((c) => ({ city: c.city, defaultMs: c.defaultMs, placedMs: c.placedMs })) : null,
    })),
    notes: [...estimate.notes],
  };
}
