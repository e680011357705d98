import { CodeAction, CodeActionKind, RequestType, type CodeLens, type Range } from "vscode-languageserver";
import type { WorkerResult } from "../core/analysis";
import { estimatePictureHtml } from "../core/estimate/picture";
import { estimateHeadline, estimateMarkdown } from "../core/estimate/present";
import { spanContains } from "../core/text";
import type { Handler } from "../core/worker/types";
import { jsonEstimate, type JsonEstimate } from "../core/estimate/json";
import { pathToUri } from "./convert";
import { tracesFor } from "./trace";
import type { Workspace } from "./workspace";

/** Opens the estimate's picture (client command). */
export const SHOW_ESTIMATE_COMMAND = "smartPlacement.showEstimate";
/** Asks where a back end is and writes it to `smartPlacement.backends` (client command). */
export const SET_BACKEND_COMMAND = "smartPlacement.setBackendLocation";

/** The estimate section of a fetch handler's or route's hover, or undefined when there is none. */
export function estimateHover(worker: WorkerResult, handler: Handler): string | undefined {
  if (!worker.estimate || handler.kind !== "fetch") return undefined;
  return estimateMarkdown(worker.estimate, handler.route ?? null);
}

/**
 * The estimate's code lens for a fetch handler, route or config: the headline ("Estimate: −420 ms
 * for users in Sydney, +12 ms in Frankfurt"), opening the picture; when a back end's location is
 * unknown, it asks for it instead. None for Workers with no back end to be placed near.
 */
export function estimateLens(worker: WorkerResult, route: string | undefined, range: Range, configUri: string): CodeLens | undefined {
  const estimate = worker.estimate;
  if (!estimate || !worker.prediction.roundTrips) return undefined;
  const unknown = estimate.backends.find((b) => !b.place);
  if (unknown)
    return {
      range,
      command: { title: `Estimate: where is ${unknown.host}?`, command: SET_BACKEND_COMMAND, arguments: [unknown.host] },
    };
  const headline = estimateHeadline(estimate, route ?? (estimate.paths.length === 1 ? estimate.paths[0]!.route : undefined));
  return { range, command: { title: `Estimate: ${headline}`, command: SHOW_ESTIMATE_COMMAND, arguments: [configUri, worker.env.name] } };
}

/** On a call to a back end whose location is unknown: an action that adds it to `smartPlacement.backends`. */
export function estimateCodeActions(workspace: Workspace, path: string, start: number, end: number): CodeAction[] {
  const actions: CodeAction[] = [];
  const offered = new Set<string>();
  for (const { worker } of workspace.workersFor(path)) {
    const unknown = new Set(worker.estimate?.backends.filter((b) => !b.place).map((b) => b.host) ?? []);
    for (const s of worker.analysis.subrequests) {
      if (s.file !== path || !s.target || !unknown.has(s.target) || offered.has(s.target)) continue;
      if (!spanContains(s.span, start) && !spanContains(s.span, end) && !(s.span.start >= start && s.span.end <= end)) continue;
      offered.add(s.target);
      actions.push(
        CodeAction.create(
          `Say where ${s.target} is (smartPlacement.backends)`,
          { title: "Set back-end location", command: SET_BACKEND_COMMAND, arguments: [s.target] },
          CodeActionKind.QuickFix,
        ),
      );
    }
  }
  return actions;
}

export interface EstimateView {
  readonly config: string;
  readonly env: string | null;
  readonly name: string | null;
  readonly status: string;
  readonly estimate: JsonEstimate;
}

/** `smartPlacement/estimate`: the estimates of the Workers of a config or source file (the picture's data). */
export const ESTIMATE_REQUEST = new RequestType<{ uri: string; env?: string | null }, EstimateView[], void>("smartPlacement/estimate");

export function provideEstimate(workspace: Workspace, params: { uri: string; env?: string | null }): EstimateView[] {
  const path = workspace.documentPath(params.uri);
  if (!path) return [];
  const views: EstimateView[] = [];
  for (const { analysis, worker } of workspace.workersFor(path)) {
    if (!worker.estimate || (params.env !== undefined && worker.env.name !== params.env)) continue;
    views.push({
      config: pathToUri(analysis.config.file),
      env: worker.env.name,
      name: worker.env.workerName,
      status: worker.prediction.status,
      estimate: jsonEstimate(worker.estimate),
    });
  }
  return views;
}

/** `smartPlacement/estimatePicture`: the picture's page for the Workers of a file, with their last trace's waterfall (see estimatePictureHtml). */
export const ESTIMATE_PICTURE_REQUEST = new RequestType<
  { uri: string; env?: string | null; nonce: string; cspSource: string },
  string,
  void
>("smartPlacement/estimatePicture");

export function provideEstimatePicture(
  workspace: Workspace,
  params: { uri: string; env?: string | null; nonce: string; cspSource: string },
): string {
  const path = workspace.documentPath(params.uri);
  const traces = path ? tracesFor(workspace, path, params.env) : [];
  return estimatePictureHtml(provideEstimate(workspace, params), { nonce: params.nonce, cspSource: params.cspSource }, traces);
}
