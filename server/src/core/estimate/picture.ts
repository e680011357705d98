import type { JsonEstimate, JsonPlace } from "./json";
import { citiesHeadline, headlinePath } from "./present";
import type { TraceJsonWorker } from "../trace/report";
import { traceWaterfallHtml, WATERFALL_STYLE } from "../trace/waterfall";
import { WORLD_OUTLINE } from "./worldOutline";

/** One Worker's estimate, as the picture shows it. */
export interface PictureWorker {
  readonly name: string | null;
  readonly env: string | null;
  readonly status: string;
  readonly estimate: JsonEstimate;
}

/** What the webview needs from the editor: a nonce for the one style block, the webview's CSP source. */
export interface PictureOptions {
  readonly nonce: string;
  readonly cspSource: string;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// An equirectangular map, 2 units per degree, from 84° N to 60° S (the inhabited latitudes).
const SCALE = 2;
const TOP = 84;
const BOTTOM = -60;
const x = (lng: number): number => Math.round((lng + 180) * SCALE * 10) / 10;
const y = (lat: number): number => Math.round((TOP - lat) * SCALE * 10) / 10;

function landPath(): string {
  return WORLD_OUTLINE.map((ring) => `M${ring.map(([lng, lat]) => `${x(lng)} ${y(Math.max(BOTTOM, lat))}`).join("L")}Z`).join("");
}

function mapSvg(estimate: JsonEstimate): string {
  const width = 360 * SCALE;
  const height = (TOP - BOTTOM) * SCALE;
  const parts: string[] = [
    `<svg class="map" viewBox="0 0 ${width} ${height}" role="img" aria-label="Map of the user cities, the back ends and the placed location">`,
    `<rect class="sea" x="0" y="0" width="${width}" height="${height}"/>`,
    `<path class="land" d="${landPath()}"/>`,
  ];
  const placed = estimate.placedAt;
  for (const user of estimate.users) {
    if (placed) parts.push(`<line class="route" x1="${x(user.lng)}" y1="${y(user.lat)}" x2="${x(placed.lng)}" y2="${y(placed.lat)}"/>`);
  }
  const located = estimate.backends.filter((b): b is { host: string; location: JsonPlace; source: string | null } => b.location !== null);
  for (const b of located) {
    const bx = x(b.location.lng);
    const by = y(b.location.lat);
    parts.push(
      `<rect class="backend" x="${bx - 4}" y="${by - 4}" width="8" height="8"><title>${escape(`${b.host}: ${b.location.label}`)}</title></rect>`,
    );
  }
  if (placed)
    parts.push(
      `<circle class="placed" cx="${x(placed.lng)}" cy="${y(placed.lat)}" r="7"><title>${escape(`Placed: ${placed.label}`)}</title></circle>`,
    );
  for (const user of estimate.users) {
    const ux = x(user.lng);
    const uy = y(user.lat);
    parts.push(
      `<circle class="city" cx="${ux}" cy="${uy}" r="3.5"/>`,
      `<text class="label" x="${ux + 5}" y="${uy - 4}">${escape(user.label)}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}

function barChart(path: NonNullable<JsonEstimate["paths"][number]>): string {
  const cities = path.cities ?? [];
  const max = Math.max(1, ...cities.flatMap((c) => [c.defaultMs, c.placedMs]));
  const labelWidth = 110;
  const barWidth = 420;
  const row = 34;
  const height = cities.length * row + 8;
  const parts = [
    `<svg class="bars" viewBox="0 0 ${labelWidth + barWidth + 150} ${height}" role="img" aria-label="Request duration per city, without and with placement">`,
  ];
  cities.forEach((c, i) => {
    const top = i * row + 4;
    const change = c.placedMs - c.defaultMs;
    const wDefault = Math.max(1, Math.round((c.defaultMs / max) * barWidth));
    const wPlaced = Math.max(1, Math.round((c.placedMs / max) * barWidth));
    const sign = change < 0 ? `\u2212${-change}` : change > 0 ? `+${change}` : "±0";
    parts.push(
      `<text class="label" x="0" y="${top + 17}">${escape(c.city)}</text>`,
      `<rect class="bar-default" x="${labelWidth}" y="${top}" width="${wDefault}" height="12"/>`,
      `<text class="value" x="${labelWidth + wDefault + 4}" y="${top + 10}">${c.defaultMs} ms</text>`,
      `<rect class="bar-placed" x="${labelWidth}" y="${top + 14}" width="${wPlaced}" height="12"/>`,
      `<text class="value" x="${labelWidth + wPlaced + 4}" y="${top + 24}">${c.placedMs} ms</text>`,
      `<text class="${change > 0 ? "change slower" : "change"}" x="${labelWidth + barWidth + 146}" y="${top + 17}" text-anchor="end">${sign} ms</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}

const STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
h1 { font-size: 1.3em; font-weight: 600; } h2 { font-size: 1.1em; font-weight: 600; margin-top: 1.4em; }
.headline { font-size: 1.15em; }
svg { width: 100%; max-width: 900px; display: block; }
.sea { fill: var(--vscode-editor-background); stroke: var(--vscode-panel-border, var(--vscode-foreground)); stroke-width: 0.5; }
.land { fill: var(--vscode-foreground); fill-opacity: 0.14; stroke: var(--vscode-descriptionForeground); stroke-width: 0.6; }
.route { stroke: var(--vscode-charts-orange); stroke-width: 1; stroke-dasharray: 3 3; opacity: 0.8; }
.city { fill: var(--vscode-charts-blue); }
.backend { fill: var(--vscode-charts-purple); }
.placed { fill: none; stroke: var(--vscode-charts-orange); stroke-width: 2.5; }
.label, .value, .change { fill: var(--vscode-foreground); font-size: 11px; }
.value { fill: var(--vscode-descriptionForeground); }
.bar-default { fill: var(--vscode-charts-blue); } .bar-placed { fill: var(--vscode-charts-orange); }
.change { font-weight: 600; fill: var(--vscode-charts-green); } .change.slower { fill: var(--vscode-charts-red); }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
.legend .l-city { background: var(--vscode-charts-blue); border-radius: 5px; } .legend .l-backend { background: var(--vscode-charts-purple); }
.legend .l-placed { border: 2px solid var(--vscode-charts-orange); border-radius: 6px; width: 8px; height: 8px; }
.legend .l-default { background: var(--vscode-charts-blue); } .legend .l-placed-bar { background: var(--vscode-charts-orange); }
.notes { color: var(--vscode-descriptionForeground); }
`;

/**
 * The estimate as a self-contained page for a webview: an SVG world map of the user cities, the
 * back ends and the placed location, and a bar chart of request duration without and with
 * placement per city. No script, no network: the one style block is allowed by its nonce, and
 * the colours are the editor theme's. After Trace Locally, each traced Worker's waterfall follows
 * (see traceWaterfallHtml).
 */
export function estimatePictureHtml(
  workers: readonly PictureWorker[],
  options: PictureOptions,
  traces: readonly TraceJsonWorker[] = [],
): string {
  const nonce = escape(options.nonce);
  const body: string[] = [];
  if (workers.length === 0 && traces.length === 0)
    body.push("<h1>Smart Placement estimate</h1><p>No Worker with a fetch handler was found for this file.</p>");
  for (const worker of workers) {
    const { estimate } = worker;
    const title = `${worker.name ?? "Worker"}${worker.env ? ` (env ${worker.env})` : ""}`;
    const path = headlinePath(estimate.paths);
    const headline = path ? citiesHeadline(path) : undefined;
    body.push(`<h1>Estimated request duration: ${escape(title)}</h1>`);
    body.push(
      `<p class="headline">${headline ? `With placement: ${escape(headline)}` : "No numbers: a back end's location is unknown (setting smartPlacement.backends)."}</p>`,
    );
    body.push(
      `<p>${escape(
        `${path?.route ?? "Fetch handler"}: ${path?.roundTrips ?? 0} sequential round trip${path?.roundTrips === 1 ? "" : "s"} to back ends. Placed at ${estimate.placedAt?.label ?? "an unknown location"} (${estimate.placedBy}); prediction ${worker.status}.`,
      )}</p>`,
    );
    body.push(mapSvg(estimate));
    body.push(
      `<p class="legend"><span class="l-city"></span>user city<span class="l-backend"></span>back end<span class="l-placed"></span>placed Worker</p>`,
    );
    if (path?.cities) {
      body.push(`<h2>Default (at the user's location) and placed, per city</h2>`, barChart(path));
      body.push(`<p class="legend"><span class="l-default"></span>default<span class="l-placed-bar"></span>placed</p>`);
    }
    const backends = estimate.backends.map(
      (b) => `${b.host}: ${b.location ? `${b.location.label} (from ${b.source})` : "unknown location"}`,
    );
    if (backends.length > 0) body.push(`<h2>Back ends</h2><ul>${backends.map((b) => `<li>${escape(b)}</li>`).join("")}</ul>`);
    if (estimate.notes.length > 0) body.push(`<ul class="notes">${estimate.notes.map((n) => `<li>${escape(n)}</li>`).join("")}</ul>`);
  }
  for (const trace of traces) body.push(traceWaterfallHtml(trace));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${escape(options.cspSource)} data:; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Smart Placement estimate</title>
<style nonce="${nonce}">${STYLE}${WATERFALL_STYLE}</style>
</head>
<body>
${body.join("\n")}
</body>
</html>
`;
}
