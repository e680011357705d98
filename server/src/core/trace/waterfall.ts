import type { TraceJsonRequest, TraceJsonSubrequest, TraceJsonWorker } from "./report";

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const ms = (n: number): string => `${Math.round(n)} ms`;

// The waterfall's columns: what the row is (wave, waitUntil), the request, the time axis.
const KIND_WIDTH = 70;
const LABEL_WIDTH = 250;
const AXIS_X = KIND_WIDTH + LABEL_WIDTH;
const AXIS_WIDTH = 440;
const ROW = 22;
const TOP = 22;
const WIDTH = AXIS_X + AXIS_WIDTH + 70;

/** A tick step that gives at most six ticks over `total` ms: 1, 2, 5, 10, 20, 50 … */
export function tickStep(total: number): number {
  for (let magnitude = 1; ; magnitude *= 10) for (const step of [1, 2, 5]) if (total / (step * magnitude) <= 6) return step * magnitude;
}

const at = (time: number, total: number): number => Math.round((AXIS_X + (time / total) * AXIS_WIDTH) * 10) / 10;

/** "db.example.com/users/1" from the URL (no scheme, no query), or the service binding's name. */
function shortTarget(s: TraceJsonSubrequest): string {
  if (s.url === null) return `service binding ${s.target}`;
  let shown = s.url;
  try {
    const url = new URL(s.url);
    shown = url.host + url.pathname;
  } catch {
    // shown as given
  }
  return shown.length > 34 ? `${shown.slice(0, 33)}…` : shown;
}

function rowClass(s: TraceJsonSubrequest): string {
  if (s.afterResponse) return "sub after";
  if (s.wave === null) return "sub other";
  return `sub wave-${((s.wave - 1) % 4) + 1}`;
}

function rowKind(s: TraceJsonSubrequest): string {
  if (s.afterResponse) return "waitUntil";
  return s.wave === null ? "not counted" : `wave ${s.wave}`;
}

/** One request's subrequests as bars on a time axis from 0 to the last end (or the response). */
export function waterfallSvg(request: TraceJsonRequest): string {
  const subs = request.subrequests;
  const total = Math.max(1, request.responseMs ?? 0, ...subs.map((s) => s.endMs));
  const height = TOP + Math.max(1, subs.length) * ROW + 8;
  const parts = [
    `<svg class="waterfall" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escape(`Subrequests of ${request.method} ${request.path} on a time axis`)}">`,
  ];
  const step = tickStep(total);
  for (let t = 0; t <= total; t += step) {
    const tx = at(t, total);
    parts.push(
      `<line class="tick" x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${height - 4}"/>`,
      `<text class="axis" x="${tx}" y="${TOP - 8}" text-anchor="middle">${t} ms</text>`,
    );
  }
  subs.forEach((s, i) => {
    const top = TOP + i * ROW;
    const x1 = at(s.startMs, total);
    const width = Math.max(2, Math.round((at(s.endMs, total) - x1) * 10) / 10);
    const detail = `${s.method} ${s.url ?? s.target}: ${ms(s.startMs)}–${ms(s.endMs)}, ${s.status || "no status"} (${s.category}${s.afterResponse ? ", after the response: waitUntil" : ""})`;
    parts.push(
      `<text class="kind${s.afterResponse ? " kind-after" : ""}" x="0" y="${top + 12}">${escape(rowKind(s))}</text>`,
      `<text class="label" x="${KIND_WIDTH}" y="${top + 12}">${escape(`${s.method} ${shortTarget(s)}`)}</text>`,
      `<rect class="${rowClass(s)}" x="${x1}" y="${top + 2}" width="${width}" height="14"><title>${escape(detail)}</title></rect>`,
      `<text class="value" x="${Math.round((x1 + width + 4) * 10) / 10}" y="${top + 13}">${ms(s.endMs - s.startMs)}</text>`,
    );
  });
  if (subs.length === 0) parts.push(`<text class="label" x="${KIND_WIDTH}" y="${TOP + 12}">no subrequests</text>`);
  if (request.responseMs !== null) {
    const rx = at(request.responseMs, total);
    parts.push(
      `<line class="response" x1="${rx}" y1="${TOP - 4}" x2="${rx}" y2="${height - 4}"><title>${escape(`response sent at ${ms(request.responseMs)}`)}</title></line>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}

/** The counts side by side and whether they agree: "Observed 2 sequential waves to back ends · predicted 2". */
function countsLine(request: TraceJsonRequest): string {
  const observed = request.observed ? plural(request.observed.waves, "sequential wave") + " to back ends" : "nothing compared";
  const predicted =
    request.predicted.roundTrips === null
      ? "no static count"
      : `predicted ${request.predicted.roundTrips}${request.predicted.routes.length ? ` (${request.predicted.routes.join(", ")})` : ""}`;
  const mark =
    request.agreement === "agree"
      ? "✓ agree"
      : request.agreement === "disagree"
        ? "✗ disagree"
        : request.agreement === "error"
          ? "! error"
          : "– not compared";
  return `<p class="counts"><span class="verdict ${request.agreement}">${escape(mark)}</span> Observed ${escape(observed)} · ${escape(predicted)}</p>`;
}

/**
 * A trace's results for a webview (a fragment; the page, its CSP and style are the estimate
 * picture's): per request, its subrequests as bars on a time axis (start to end, coloured by
 * sequential wave, waitUntil work outlined and marked), the moment the response was sent, the
 * observed waves beside the static count and the explanation.
 */
export function traceWaterfallHtml(trace: TraceJsonWorker): string {
  const title = `${trace.name ?? "Worker"}${trace.env ? ` (env ${trace.env})` : ""}`;
  const body = [`<h1 class="trace">Trace Locally: ${escape(title)}</h1>`];
  const predicted =
    trace.prediction.roundTrips === null
      ? trace.prediction.status
      : `${trace.prediction.status}, ${plural(trace.prediction.roundTrips, "sequential round trip")} on its longest path`;
  const runtime = trace.runtime
    ? `Ran in local workerd (miniflare ${trace.runtime.miniflare}); every outbound fetch was answered by a stub. `
    : "";
  body.push(`<p>${escape(`${runtime}Prediction: ${predicted}.`)}</p>`);
  for (const request of trace.requests) {
    const answered =
      request.status === null ? "no answer" : `${request.status}${request.responseMs !== null ? ` in ${ms(request.responseMs)}` : ""}`;
    body.push(`<h2>${escape(`${request.method} ${request.path} → ${answered}`)}</h2>`);
    body.push(countsLine(request));
    body.push(waterfallSvg(request));
    body.push(`<p class="notes">${escape(request.explanation)}</p>`);
  }
  if (trace.requests.some((r) => r.subrequests.length > 0))
    body.push(
      `<p class="legend"><span class="l-wave"></span>a sequential wave to back ends<span class="l-other"></span>not a back end Smart Placement counts<span class="l-after"></span>after the response (waitUntil)<span class="l-response"></span>response sent</p>`,
    );
  if (trace.notTraced.length > 0)
    body.push(
      `<h2>Not traced</h2><ul class="notes">${trace.notTraced
        .map((n) => `<li>${escape(`${n.file}:${n.line}:${n.column} ${n.kind}${n.target ? ` ${n.target}` : ""}: ${n.reason}`)}</li>`)
        .join("")}</ul>`,
    );
  if (trace.error) body.push(`<p class="error">${escape(trace.error)}</p>`);
  return body.join("\n");
}

/** The waterfall's part of the page's one style block. */
export const WATERFALL_STYLE = `
.waterfall .tick { stroke: var(--vscode-panel-border, var(--vscode-descriptionForeground)); stroke-width: 0.5; }
.waterfall .axis, .waterfall .kind { fill: var(--vscode-descriptionForeground); font-size: 10px; }
.waterfall .kind-after { font-style: italic; }
.sub { stroke-width: 1.5; }
.sub.wave-1 { fill: var(--vscode-charts-blue); } .sub.wave-2 { fill: var(--vscode-charts-purple); }
.sub.wave-3 { fill: var(--vscode-charts-green); } .sub.wave-4 { fill: var(--vscode-charts-yellow); }
.sub.other { fill: var(--vscode-descriptionForeground); fill-opacity: 0.5; }
.sub.after { fill: none; stroke: var(--vscode-charts-orange); stroke-dasharray: 3 2; }
.waterfall .response { stroke: var(--vscode-charts-red); stroke-width: 1.5; stroke-dasharray: 4 3; }
.verdict { font-weight: 600; } .verdict.agree { color: var(--vscode-charts-green); } .verdict.disagree, .verdict.error { color: var(--vscode-charts-red); }
.error { color: var(--vscode-errorForeground); white-space: pre-wrap; }
.legend .l-wave { background: var(--vscode-charts-blue); } .legend .l-other { background: var(--vscode-descriptionForeground); opacity: 0.5; }
.legend .l-after { border: 1.5px dashed var(--vscode-charts-orange); width: 8px; height: 8px; }
.legend .l-response { width: 2px; background: var(--vscode-charts-red); }
`;
