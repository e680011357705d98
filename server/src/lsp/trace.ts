import { RequestType } from "vscode-languageserver";
import { readTraceReport, type TraceJsonWorker } from "../core/trace/report";
import type { Workspace } from "./workspace";

export interface TraceResultsParams {
  /** The wrangler config that was traced. */
  readonly uri: string;
  /** The JSON of `smart-placement trace --format json` (read defensively: see readTraceReport). */
  readonly report: unknown;
}

/**
 * `smartPlacement/traceResults`: the editor hands the server what Trace Locally observed for a
 * config. The server keeps it (replacing the last one), shows each disagreement as a
 * `trace-disagrees` finding on the handler and the waterfall in the estimate picture, and answers
 * with how many Workers it read and how many findings they make.
 */
export const TRACE_RESULTS_REQUEST = new RequestType<TraceResultsParams, { workers: number; findings: number }, void>(
  "smartPlacement/traceResults",
);

export function acceptTraceResults(workspace: Workspace, params: TraceResultsParams): { workers: number; findings: number } {
  const path = typeof params?.uri === "string" ? workspace.documentPath(params.uri) : undefined;
  if (!path || !workspace.isConfig(path)) return { workers: 0, findings: 0 };
  if (!workspace.analysis(path)) workspace.refresh([path]);
  const workers = readTraceReport(params.report);
  return { workers: workers.length, findings: workspace.setTrace(path, workers) };
}

/** The kept trace results for the Workers of a config or source file (for the picture). */
export function tracesFor(workspace: Workspace, path: string, env?: string | null): TraceJsonWorker[] {
  const configs = new Set(workspace.workersFor(path).map(({ analysis }) => analysis.config.file));
  return [...configs].flatMap((config) => workspace.traceOf(config)).filter((t) => env === undefined || t.env === env);
}
