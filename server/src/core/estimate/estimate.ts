import type { EffectivePlacement } from "../config/model";
import { findRegion } from "../data/regions";
import { parseEndpoint } from "../rules/placement";
import { ownValue } from "../strings";
import type { BackendStep, WorkerAnalysis } from "../worker/types";
import { mayDetour, roundTripMs, type Point } from "./geo";
import { locateHostName } from "./hostRegions";
import {
  DEFAULT_USER_CITIES,
  edgeLocations,
  type EdgeLocation,
  edgePlace,
  findCity,
  nearestEdge,
  parsePlace,
  regionPlace,
  type Place,
} from "./places";

/** Where a back end's location came from, most specific first. */
export type LocationSource = "setting" | "host name" | "placement region" | "placement hint";

export interface BackendLocation {
  readonly host: string;
  /** null: unknown location. */
  readonly place: Place | null;
  readonly source: LocationSource | null;
  /** `smartPlacement.backends`, the provider whose host names carry the region, the config value. */
  readonly detail?: string;
}

export interface CityEstimate {
  readonly city: string;
  /** Request duration on the path without placement: the Worker runs at the user's location. */
  readonly defaultMs: number;
  /** With the Worker placed: the extra hop to the placed location, then short round trips. */
  readonly placedMs: number;
}

export interface PathEstimate {
  /** The route (`GET /users/:id`), or null for a fetch handler without routes. */
  readonly route: string | null;
  readonly roundTrips: number;
  /** null when a back end on the path, or where the Worker is placed, is not known. */
  readonly cities: readonly CityEstimate[] | null;
}

export interface Estimate {
  /** The Cloudflare location the placed Worker runs at, or null when that cannot be told. */
  readonly placedAt: Place | null;
  /** Why there: "nearest the back ends", `placement hint "aws:us-east-1"`. */
  readonly placedBy: string;
  readonly backends: readonly BackendLocation[];
  /** The user cities, in order. */
  readonly cities: readonly Place[];
  readonly paths: readonly PathEstimate[];
  /** What the numbers do not show (detours, unknown locations, unknown cities). */
  readonly notes: readonly string[];
}

export interface EstimateOptions {
  /** `smartPlacement.backends`: host -> region id, Cloudflare location code or city. */
  readonly backends?: Readonly<Record<string, string>>;
  /** `smartPlacement.userLocations` / `--from`: city names or location codes (default DEFAULT_USER_CITIES). */
  readonly userLocations?: readonly string[];
}

/**
 * How long a request takes with and without placement, per path and user city, from the Worker's
 * back-end round trips and where its back ends are. Undefined when the Worker has no fetch handler
 * or could not be analysed.
 */
export function estimatePlacement(
  analysis: WorkerAnalysis,
  placement: EffectivePlacement | null,
  options: EstimateOptions = {},
): Estimate | undefined {
  const fetchHandlers = analysis.handlers.filter((h) => h.kind === "fetch");
  if (analysis.entryProblem || fetchHandlers.length === 0) return undefined;
  const notes: string[] = [];

  const cities: Place[] = [];
  for (const name of options.userLocations?.length ? options.userLocations : DEFAULT_USER_CITIES) {
    const city = findCity(name);
    if (city) {
      if (!cities.some((c) => c.id === city.id)) cities.push(city);
    } else notes.push(`"${name}" is not a known city or Cloudflare location code; it is left out.`);
  }

  const hosts = new Set<string>();
  for (const handler of fetchHandlers) for (const step of handler.backendSteps ?? []) for (const host of step.hosts) hosts.add(host);
  for (const b of analysis.backends) hosts.add(b.host);
  const backends = [...hosts].map((host) => locateBackend(host, placement, options.backends));
  const placeOf = new Map(backends.map((b) => [b.host, b.place]));

  const { placedAt, placedBy } = placedLocation(analysis, placement, placeOf, options.backends);
  const unknown = backends.filter((b) => !b.place).map((b) => b.host);
  if (unknown.length > 0)
    notes.push(
      `Unknown location of ${unknown.join(", ")}: paths that reach ${unknown.length === 1 ? "it" : "them"} have no estimate; say where in the setting smartPlacement.backends (e.g. {"${unknown[0]}": "aws:us-east-1"}).`,
    );
  if (!placedAt && unknown.length === 0 && placement?.mode === "targeted")
    notes.push(`The placement target ${placedBy} has no known location: say where in the setting smartPlacement.backends.`);

  // Each city's Cloudflare location, found once (a Worker may have many routes).
  const edgeOf = new Map(cities.map((city) => [city, nearestEdge(city)]));
  const paths: PathEstimate[] = fetchHandlers.map((handler) => {
    const steps = handler.backendSteps ?? [];
    const roundTrips = handler.roundTrips ?? 0;
    const known = steps.every((s) => s.hosts.length > 0 && s.hosts.every((h) => placeOf.get(h)));
    if (!known || !placedAt) return { route: handler.route ?? null, roundTrips, cities: null };
    return {
      route: handler.route ?? null,
      roundTrips,
      cities: cities.map((city) => cityEstimate(city, edgeOf.get(city)!, steps, placedAt, placeOf)),
    };
  });

  const detoured = cities.filter((city) => {
    const edge = edgeOf.get(city)!;
    return [...placeOf.values()].some((p) => p && mayDetour(edge, p)) || (placedAt && mayDetour(edge, placedAt));
  });
  if (detoured.length > 0)
    notes.push(
      `Routes from ${detoured.map((c) => c.label).join(", ")} to the back end${placedAt ? " or the placed location" : ""} often detour through a third continent: real round trips there may be up to ~100 ms longer than estimated.`,
    );
  if (analysis.unknowns.length > 0)
    notes.push("Part of the Worker could not be followed: the estimate counts the round trips that were found.");
  return { placedAt, placedBy, backends, cities, paths, notes };
}

function cityEstimate(
  city: Place,
  edge: EdgeLocation,
  steps: readonly BackendStep[],
  placedAt: Place,
  placeOf: ReadonlyMap<string, Place | null>,
): CityEstimate {
  const toEdge = roundTripMs(city, edge);
  const hop = edge.code === placedAt.id ? 0 : roundTripMs(edge, placedAt);
  return {
    city: city.label,
    defaultMs: Math.round(toEdge + stepsMs(edge, steps, placeOf)),
    placedMs: Math.round(toEdge + hop + stepsMs(placedAt, steps, placeOf)),
  };
}

/** The path's round trips from `from`: each step as long as its slowest host, times its count. */
function stepsMs(from: Point, steps: readonly BackendStep[], placeOf: ReadonlyMap<string, Place | null>): number {
  let total = 0;
  for (const step of steps) total += step.count * Math.max(...step.hosts.map((h) => roundTripMs(from, placeOf.get(h)!)));
  return total;
}

/**
 * A back end's location: the setting (the user said so, for this host), then the host name (the
 * provider says so), then the config's region or hint (said for the Worker as a whole, so it
 * locates only back ends nothing else does).
 */
export function locateBackend(
  host: string,
  placement: EffectivePlacement | null,
  setting?: Readonly<Record<string, string>>,
): BackendLocation {
  const configured = setting ? ownValue(setting, host) : undefined;
  const fromSetting = configured !== undefined ? parsePlace(configured) : undefined;
  if (fromSetting) return { host, place: fromSetting, source: "setting", detail: `smartPlacement.backends: "${configured}"` };
  const named = locateHostName(host);
  if (named) return { host, place: named.place, source: "host name", detail: named.provider };
  const region = placement?.mode === "targeted" ? placement.region : placement?.mode === "smart" ? placement.hint : undefined;
  const found = region ? findRegion(region) : undefined;
  if (found)
    return {
      host,
      place: regionPlace(found),
      source: placement?.mode === "targeted" ? "placement region" : "placement hint",
      detail: `"${region}"`,
    };
  return { host, place: null, source: null };
}

/** Where the placed Worker runs: the config's target, else the location nearest its back ends. */
function placedLocation(
  analysis: WorkerAnalysis,
  placement: EffectivePlacement | null,
  placeOf: ReadonlyMap<string, Place | null>,
  setting: Readonly<Record<string, string>> | undefined,
): { placedAt: Place | null; placedBy: string } {
  if (placement?.mode === "targeted" || (placement?.mode === "smart" && placement.hint)) {
    const value = placement.mode === "targeted" ? (placement.region ?? placement.host ?? placement.hostname) : placement.hint;
    const key = placement.mode === "smart" ? "hint" : placement.region ? "region" : placement.host ? "host" : "hostname";
    const placedBy = `placement ${key} "${value}"`;
    if (key === "region" || key === "hint") {
      const region = value ? findRegion(value) : undefined;
      return { placedAt: region ? edgePlace(nearestEdge(region)) : null, placedBy };
    }
    const host = value ? (parseEndpoint(value)?.host ?? value) : "";
    const target = placeOf.get(host) ?? locateBackend(host, null, setting).place;
    return { placedAt: target ? edgePlace(nearestEdge(target)) : null, placedBy };
  }
  // Smart Placement runs the Worker where the back-end round trips take least.
  const fetchHandlers = analysis.handlers.filter((h) => h.kind === "fetch");
  const longest = fetchHandlers.reduce((a, b) => ((b.roundTrips ?? 0) > (a.roundTrips ?? 0) ? b : a), fetchHandlers[0]!);
  const steps = (longest.backendSteps ?? []).filter((s) => s.hosts.length > 0 && s.hosts.every((h) => placeOf.get(h)));
  if (steps.length === 0) return { placedAt: null, placedBy: "the location nearest the back ends" };
  const edges = edgeLocations();
  // stepsMs at every location, with each back end's round trip to every location worked out once.
  const rtts = steps.map((step) => step.hosts.map((h) => roundTripsFromEdges(placeOf.get(h)!)));
  let best = edges[0]!;
  let bestMs = Infinity;
  for (let e = 0; e < edges.length; e++) {
    let ms = 0;
    for (let s = 0; s < steps.length; s++) ms += steps[s]!.count * Math.max(...rtts[s]!.map((fromEdges) => fromEdges[e]!));
    if (ms < bestMs) {
      best = edges[e]!;
      bestMs = ms;
    }
  }
  return { placedAt: edgePlace(best), placedBy: "the location nearest the back ends" };
}

/** Round trips from every Cloudflare location to a place, by where the place is (a few places recur in every Worker). */
const roundTripsByPoint = new Map<string, Float64Array>();

function roundTripsFromEdges(place: Point): Float64Array {
  const key = `${place.lat},${place.lng}`;
  let times = roundTripsByPoint.get(key);
  if (!times) {
    const edges = edgeLocations();
    times = new Float64Array(edges.length);
    for (let e = 0; e < edges.length; e++) times[e] = roundTripMs(edges[e]!, place);
    if (roundTripsByPoint.size >= 1000) roundTripsByPoint.clear();
    roundTripsByPoint.set(key, times);
  }
  return times;
}
