import { NotificationType, RequestType0, RequestType } from "vscode-languageserver";
import type { PredictionStatus } from "../core/predict/types";
import { pathToUri } from "./convert";
import type { Workspace } from "./workspace";

export interface PredictionSummary {
  readonly config: string;
  readonly env: string | null;
  readonly name: string | null;
  readonly status: PredictionStatus;
  readonly roundTrips: number | null;
  readonly backends: ReadonlyArray<{ host: string; roundTrips: number }>;
  readonly placement: string;
}

/** `smartPlacement/prediction`: the top-level Worker's prediction for a config or source file (status item). */
export const PREDICTION_REQUEST = new RequestType<{ uri: string }, PredictionSummary | null, void>("smartPlacement/prediction");

export function providePrediction(workspace: Workspace, params: { uri: string }): PredictionSummary | null {
  const path = workspace.documentPath(params.uri);
  if (!path) return null;
  const found = workspace.workersFor(path);
  const chosen = found.find((f) => f.worker.env.name === null) ?? found[0];
  if (!chosen) return null;
  const { worker, analysis } = chosen;
  return {
    config: pathToUri(analysis.config.file),
    env: worker.env.name,
    name: worker.env.workerName,
    status: worker.prediction.status,
    roundTrips: worker.prediction.roundTrips,
    backends: worker.prediction.backends.map((b) => ({ ...b })),
    placement: worker.effectivePlacement ? worker.effectivePlacement.mode : "off",
  };
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
