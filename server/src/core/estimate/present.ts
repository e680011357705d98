import { markdownText as md } from "../strings";
import type { CityEstimate, Estimate } from "./estimate";

/** `−420 ms`, `+12 ms`, `±0 ms` (a true minus sign). */
export function signedMs(ms: number): string {
  return ms < 0 ? `\u2212${-ms} ms` : ms > 0 ? `+${ms} ms` : "±0 ms";
}

const change = (c: Pick<CityEstimate, "defaultMs" | "placedMs">): number => c.placedMs - c.defaultMs;

/** The shape of a path the headline needs (an estimate's, or the JSON report's). */
interface PathNumbers {
  readonly route: string | null;
  readonly roundTrips: number;
  readonly cities: ReadonlyArray<Pick<CityEstimate, "city" | "defaultMs" | "placedMs">> | null;
}

/** The path a headline speaks for: the given route's, else the one with most round trips that has numbers. */
export function headlinePath<P extends PathNumbers>(paths: readonly P[], route?: string | null): P | undefined {
  if (route !== undefined) return paths.find((p) => p.route === route);
  const known = paths.filter((p) => p.cities);
  return known.reduce<P | undefined>((a, b) => (!a || b.roundTrips > a.roundTrips ? b : a), undefined) ?? paths[0];
}

/** "−420 ms for users in Sydney, +12 ms in Frankfurt": the city that gains most and the one that gains least (or loses). */
export function citiesHeadline(path: PathNumbers): string | undefined {
  if (!path.cities || path.cities.length === 0) return undefined;
  const sorted = [...path.cities].sort((a, b) => change(a) - change(b));
  const best = sorted[0]!;
  const worst = sorted[sorted.length - 1]!;
  const first = `${signedMs(change(best))} for users in ${best.city}`;
  return worst === best ? first : `${first}, ${signedMs(change(worst))} in ${worst.city}`;
}

/** The headline for a route (or the Worker's longest path), or why there are no numbers. */
export function estimateHeadline(estimate: Estimate, route?: string | null): string {
  const path = headlinePath(estimate.paths, route);
  if (!path) return "no fetch path to estimate";
  return citiesHeadline(path) ?? whyNoNumbers(estimate);
}

function whyNoNumbers(estimate: Estimate): string {
  const unknown = estimate.backends.filter((b) => !b.place).map((b) => b.host);
  if (unknown.length > 0) return `location of ${unknown.slice(0, 2).join(", ")}${unknown.length > 2 ? ", …" : ""} unknown`;
  return estimate.placedAt ? "no estimate" : `location of ${estimate.placedBy} unknown`;
}

/** Where the placed Worker runs and where each back end is; `text` escapes the variable parts (Markdown). */
function whereLine(estimate: Estimate, text: (s: string) => string = (s) => s): string[] {
  const lines: string[] = [];
  lines.push(`Placed at ${estimate.placedAt ? text(estimate.placedAt.label) : "an unknown location"}: ${text(estimate.placedBy)}.`);
  const located = estimate.backends.map((b) =>
    b.place
      ? `${text(b.host)} → ${text(b.place.label)}, from ${b.source}${b.detail ? ` (${text(b.detail)})` : ""}`
      : `${text(b.host)} → unknown location`,
  );
  if (located.length > 0) lines.push(`Back ends: ${located.join("; ")}.`);
  return lines;
}

/** A Markdown table for one path (hover): user city, default ms, placed ms, change. */
export function estimateMarkdown(estimate: Estimate, route?: string | null): string {
  const path = headlinePath(estimate.paths, route);
  const lines = [
    `**Estimated request duration${path?.route ? ` of ${md(path.route)}` : ""}** (${path?.roundTrips ?? 0} round trip${path?.roundTrips === 1 ? "" : "s"} to back ends)`,
    "",
  ];
  if (path?.cities) {
    lines.push("| users in | default | placed | change |", "| --- | ---: | ---: | ---: |");
    for (const c of path.cities)
      lines.push(`| ${md(c.city)} | ${c.defaultMs} ms | ${c.placedMs} ms | ${signedMs(change(c))}${change(c) > 0 ? " (slower)" : ""} |`);
    lines.push("");
  } else lines.push(`No numbers: ${md(whyNoNumbers(estimate))}.`, "");
  lines.push(...whereLine(estimate, md).map((l) => `${l}  `));
  for (const note of estimate.notes) lines.push("", `_${md(note)}_`);
  return lines.join("\n").trimEnd();
}

/** The `smart-placement estimate` table of one Worker: every path, every city. */
export function estimateText(estimate: Estimate): string[] {
  const lines: string[] = [];
  const width = Math.max(8, ...estimate.cities.map((c) => c.label.length));
  for (const path of estimate.paths) {
    lines.push(`  ${path.route ?? "fetch handler"}: ${path.roundTrips} round trip${path.roundTrips === 1 ? "" : "s"} to back ends`);
    if (!path.cities) {
      lines.push(`    no estimate: ${whyNoNumbers(estimate)}`);
      continue;
    }
    lines.push(`    ${"users in".padEnd(width)}  default   placed   change`);
    for (const c of path.cities) {
      const delta = change(c);
      lines.push(
        `    ${c.city.padEnd(width)}  ${`${c.defaultMs} ms`.padStart(7)}  ${`${c.placedMs} ms`.padStart(7)}  ${signedMs(delta).padStart(7)}${delta > 0 ? "  placement is slower" : ""}`,
      );
    }
  }
  lines.push(...whereLine(estimate).map((l) => `  ${l}`));
  for (const note of estimate.notes) lines.push(`  Note: ${note}`);
  return lines;
}
