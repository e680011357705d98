import type { EffectivePlacement, WorkerEnvironment, WranglerConfig } from "../config/model";
import { findRegion, regionId } from "../data/regions";
import type { Estimate } from "../estimate/estimate";
import { greatCircleKm, roundTripMs } from "../estimate/geo";
import { nearestRegion } from "../estimate/places";
import { singleFileFix, type Finding } from "../findings";
import { replaceWithString } from "../fixes/configEdits";
import type { WorkerAnalysis } from "../worker/types";

/** A hint or region more than this round trip away from the back end puts the Worker far from it. */
export const FAR_TARGET_MS = 20;

/**
 * `placement-target-far`: the config's `hint` or `region` is far from the back end the Worker
 * talks to most (located by the setting or its host name, not by the hint itself), with a quick
 * fix to the region nearest that back end.
 */
export function checkTargetDistance(
  config: WranglerConfig,
  env: WorkerEnvironment,
  placement: EffectivePlacement | null,
  analysis: WorkerAnalysis,
  estimate: Estimate | undefined,
): Finding[] {
  if (!estimate || !placement) return [];
  const key = placement.mode === "smart" ? "hint" : placement.region ? "region" : undefined;
  const value = placement.mode === "smart" ? placement.hint : placement.region;
  const target = value ? findRegion(value) : undefined;
  const table = env.placement?.entry.value;
  const node = key && table?.kind === "table" ? table.entries.get(key)?.value : undefined;
  if (!key || !target || !node || node.kind !== "string") return [];
  const trips = new Map(analysis.backends.map((b) => [b.host, b.roundTrips]));
  const located = estimate.backends
    .filter((b) => b.place && (b.source === "setting" || b.source === "host name"))
    .sort((a, b) => (trips.get(b.host) ?? 0) - (trips.get(a.host) ?? 0));
  const main = located[0];
  if (!main?.place) return [];
  const rtt = Math.round(roundTripMs(target, main.place));
  if (rtt <= FAR_TARGET_MS) return [];
  const nearest =
    findRegion(main.place.id)?.provider === target.provider ? findRegion(main.place.id)! : nearestRegion(main.place, target.provider);
  const suggestion = regionId(nearest);
  const km = Math.round(greatCircleKm(target, main.place) / 100) * 100;
  const message = `"${key}" is "${value}", about ${km.toLocaleString("en-US")} km from ${main.host} (${main.place.label}, from ${main.source}): each round trip to it takes ~${rtt} ms from there. The region nearest that back end is "${suggestion}".`;
  return [
    {
      code: "placement-target-far",
      file: config.file,
      span: node.span,
      message: message + (env.name ? ` (env "${env.name}")` : ""),
      fixes:
        suggestion === value
          ? []
          : [singleFileFix(`Change ${key} to "${suggestion}"`, config.file, replaceWithString(node, suggestion), true)],
    },
  ];
}
