import { NotificationType, RequestType0, RequestType, type Range } from "vscode-languageserver";
import type { PredictionStatus } from "../core/predict/types";
import { describeWorker, UNPARSED_CONFIG_WORDS } from "../core/predict/words";
import { anchorSpan } from "../core/rules/prediction";
import type { Span } from "../core/text";
import { pathToUri, spanToRange } from "./convert";
import type { Workspace } from "./workspace";

/** One Worker (one environment of a config) as the status item shows it. */
export interface WorkerSummary {
  /** The config's URI. */
  readonly config: string;
  readonly env: string | null;
  readonly name: string | null;
  /** The API's status: for tooltips only. */
  readonly status: PredictionStatus | "INVALID_CONFIG";
  readonly roundTrips: number | null;
  readonly backends: ReadonlyArray<{ host: string; roundTrips: number }>;
  /** "off", "smart" or "targeted". */
  readonly placement: string;
  /** The shared words (see core/predict/words.ts): "Off", "would help", "2 sequential round trips to db.example.com". */
  readonly configured: string;
  readonly verdict: string;
  readonly prediction: string;
  readonly headline: string;
  readonly severity: "information" | "warning" | "error";
  /** Where the Worker's placement is configured (its `placement` key, else `main`): the status item opens the config there. */
  readonly range: Range;
}

/** The first Worker (the top level when the file has one), and every Worker the file belongs to. */
export interface PredictionSummary extends WorkerSummary {
  readonly workers: readonly WorkerSummary[];
}

/** `smartPlacement/prediction`: the Workers of a config or source file, in the shared words (status item). */
export const PREDICTION_REQUEST = new RequestType<{ uri: string }, PredictionSummary | null, void>("smartPlacement/prediction");

export function providePrediction(workspace: Workspace, params: { uri: string }): PredictionSummary | null {
  const path = workspace.documentPath(params.uri);
  if (!path) return null;
  const unparsed = workspace.isConfig(path) ? workspace.analysis(path) : undefined;
  if (unparsed?.config.syntaxError) {
    const invalid: WorkerSummary = {
      config: pathToUri(path),
      env: null,
      name: null,
      status: "INVALID_CONFIG",
      roundTrips: null,
      backends: [],
      placement: "off",
      configured: UNPARSED_CONFIG_WORDS.configured,
      verdict: "cannot tell",
      prediction: UNPARSED_CONFIG_WORDS.prediction,
      headline: `${UNPARSED_CONFIG_WORDS.configured} · ${UNPARSED_CONFIG_WORDS.prediction}`,
      severity: "error",
      range: rangeIn(workspace, path, unparsed.config.syntaxError.span),
    };
    return { ...invalid, workers: [invalid] };
  }
  const found = workspace.workersFor(path);
  const workers = found.map(({ analysis, worker }): WorkerSummary => {
    const words = describeWorker(analysis, worker);
    return {
      config: pathToUri(analysis.config.file),
      env: worker.env.name,
      name: worker.env.workerName,
      status: worker.prediction.status,
      roundTrips: worker.prediction.roundTrips,
      backends: worker.prediction.backends.map((b) => ({ ...b })),
      placement: worker.effectivePlacement ? worker.effectivePlacement.mode : "off",
      configured: words.configured,
      verdict: words.verdict,
      prediction: words.prediction,
      headline: words.headline,
      severity: words.severity,
      range: rangeIn(workspace, analysis.config.file, anchorSpan(worker.env)),
    };
  });
  const chosen = workers.find((w) => w.env === null) ?? workers[0];
  return chosen ? { ...chosen, workers } : null;
}

function rangeIn(workspace: Workspace, file: string, span: Span): Range {
  const lines = workspace.lines(file);
  return lines ? spanToRange(lines, span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** `smartPlacement/scanComplete`: the first full analysis of the workspace is done. */
export const SCAN_COMPLETE_NOTIFICATION = new NotificationType<{ configs: number; files: number; ms: number }>(
  "smartPlacement/scanComplete",
);

/** `smartPlacement/stats`: the server's memory and what it holds (benchmarks, troubleshooting, tests). */
export const STATS_REQUEST = new RequestType0<
  { rssBytes: number; heapUsedBytes: number; configs: number; summariesKept: number; summariesReplayed: number },
  void
>("smartPlacement/stats");
