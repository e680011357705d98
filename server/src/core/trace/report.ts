/**
 * The JSON of `smart-placement trace --format json` (CONTRACT: version 1), and a reader that takes
 * such a report from outside (the editor hands the command's output to the language server) and
 * keeps only what has the documented shape: a malformed report is read as far as it is sound,
 * never trusted and never thrown over.
 */

export interface TraceJsonSubrequest {
  via: "fetch" | "service";
  method: string;
  url: string | null;
  target: string;
  category: string;
  startMs: number;
  endMs: number;
  status: number;
  /** Finished after the Worker answered: waitUntil work (or work nobody awaited). */
  afterResponse: boolean;
  /** Its sequential wave among back-end requests on the response path; null when not counted. */
  wave: number | null;
}

export interface TraceJsonRequest {
  method: string;
  path: string;
  status: number | null;
  error: string | null;
  responseMs: number | null;
  subrequests: TraceJsonSubrequest[];
  observed: { waves: number; backends: Array<{ host: string; requests: number }> } | null;
  predicted: { roundTrips: number | null; routes: string[] };
  agreement: "agree" | "disagree" | "not-compared" | "error";
  explanation: string;
}

export interface TraceJsonWorker {
  config: string;
  env: string | null;
  name: string | null;
  entry: string | null;
  prediction: { status: string; roundTrips: number | null };
  runtime: { miniflare: string; via: string; buildMs: number | null; startMs: number | null } | null;
  /** Calls the trace cannot see: TCP sockets, bindings workerd serves itself that the prediction counts. */
  notTraced: Array<{ file: string; line: number; column: number; kind: string; target: string | null; reason: string }>;
  error: string | null;
  requests: TraceJsonRequest[];
}

export interface TraceJsonReport {
  version: 1;
  workers: TraceJsonWorker[];
  summary: { requests: number; agree: number; disagree: number; notCompared: number; errors: number };
}

// Bounds on what is kept from a report read from outside: far above any real trace.
const MAX_WORKERS = 64;
const MAX_REQUESTS = 256;
const MAX_SUBREQUESTS = 1000;
const MAX_TEXT = 4000;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" ? v.slice(0, MAX_TEXT) : undefined);
const textOrNull = (v: unknown): string | null => text(v) ?? null;
const finite = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const count = (v: unknown): number | undefined => {
  const n = finite(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
};
const list = (v: unknown, max: number): unknown[] => (Array.isArray(v) ? v.slice(0, max) : []);
const AGREEMENTS = new Set(["agree", "disagree", "not-compared", "error"]);

function readSubrequest(v: unknown): TraceJsonSubrequest | undefined {
  if (!isObject(v)) return undefined;
  const method = text(v.method);
  const target = text(v.target);
  const startMs = finite(v.startMs);
  const endMs = finite(v.endMs);
  if (method === undefined || target === undefined || startMs === undefined || endMs === undefined || startMs < 0 || endMs < startMs)
    return undefined;
  const wave = count(v.wave);
  return {
    via: v.via === "service" ? "service" : "fetch",
    method,
    url: textOrNull(v.url),
    target,
    category: text(v.category) ?? "unknown",
    startMs,
    endMs,
    status: count(v.status) ?? 0,
    afterResponse: v.afterResponse === true,
    wave: wave !== undefined && wave > 0 ? wave : null,
  };
}

function readRequest(v: unknown): TraceJsonRequest | undefined {
  if (!isObject(v)) return undefined;
  const method = text(v.method);
  const path = text(v.path);
  const agreement = text(v.agreement);
  if (method === undefined || path === undefined || agreement === undefined || !AGREEMENTS.has(agreement)) return undefined;
  const observed = isObject(v.observed) ? v.observed : undefined;
  const waves = count(observed?.waves);
  const predicted = isObject(v.predicted) ? v.predicted : {};
  return {
    method,
    path,
    status: count(v.status) ?? null,
    error: textOrNull(v.error),
    responseMs: finite(v.responseMs) ?? null,
    subrequests: list(v.subrequests, MAX_SUBREQUESTS).flatMap((s) => readSubrequest(s) ?? []),
    observed:
      waves === undefined
        ? null
        : {
            waves,
            backends: list(observed!.backends, MAX_SUBREQUESTS).flatMap((b) => {
              const host = isObject(b) ? text(b.host) : undefined;
              const requests = isObject(b) ? count(b.requests) : undefined;
              return host !== undefined && requests !== undefined ? [{ host, requests }] : [];
            }),
          },
    predicted: {
      roundTrips: count(predicted.roundTrips) ?? null,
      routes: list(predicted.routes, MAX_REQUESTS).flatMap((r) => text(r) ?? []),
    },
    agreement: agreement as TraceJsonRequest["agreement"],
    explanation: text(v.explanation) ?? "",
  };
}

function readWorker(v: unknown): TraceJsonWorker | undefined {
  if (!isObject(v)) return undefined;
  const config = text(v.config);
  if (config === undefined) return undefined;
  const prediction = isObject(v.prediction) ? v.prediction : {};
  const runtime = isObject(v.runtime) ? v.runtime : undefined;
  return {
    config,
    env: textOrNull(v.env),
    name: textOrNull(v.name),
    entry: textOrNull(v.entry),
    prediction: { status: text(prediction.status) ?? "UNKNOWN", roundTrips: count(prediction.roundTrips) ?? null },
    runtime: runtime
      ? {
          miniflare: text(runtime.miniflare) ?? "unknown",
          via: text(runtime.via) ?? "miniflare",
          buildMs: finite(runtime.buildMs) ?? null,
          startMs: finite(runtime.startMs) ?? null,
        }
      : null,
    notTraced: list(v.notTraced, MAX_REQUESTS).flatMap((n) => {
      if (!isObject(n)) return [];
      const file = text(n.file);
      const kind = text(n.kind);
      const reason = text(n.reason);
      if (file === undefined || kind === undefined || reason === undefined) return [];
      return [{ file, line: count(n.line) ?? 1, column: count(n.column) ?? 1, kind, target: textOrNull(n.target), reason }];
    }),
    error: textOrNull(v.error),
    requests: list(v.requests, MAX_REQUESTS).flatMap((r) => readRequest(r) ?? []),
  };
}

/** The Workers of a trace report read from outside; [] when it is not a version 1 report. */
export function readTraceReport(value: unknown): TraceJsonWorker[] {
  if (!isObject(value) || value.version !== 1) return [];
  return list(value.workers, MAX_WORKERS).flatMap((w) => readWorker(w) ?? []);
}
