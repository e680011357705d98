import type { CodeLens, CodeLensParams, Range } from "vscode-languageserver";
import { anchorSpan } from "../core/rules/prediction";
import type { ConfigAnalysis, WorkerResult } from "../core/analysis";
import { describeWorker, roundTripsTo } from "../core/predict/words";
import { pathToUri, spanToRange } from "./convert";
import { ENABLE_COMMAND } from "./commands";
import { estimateLens, SHOW_ESTIMATE_COMMAND } from "./estimate";
import type { Workspace } from "./workspace";

const SHOW_PREDICTION = "smartPlacement.showPrediction";

/**
 * The Worker's status line ("Smart Placement: Off · would help: 2 sequential round trips to
 * db.example.com") with one "Enable Smart Placement" beside it, on the config's placement (or
 * `main`) and once in each source file (its fetch handler, or a router's first route); each route
 * also gets its own round trips ("GET /users: 2 sequential round trips to back ends").
 */
export function provideCodeLenses(workspace: Workspace, params: CodeLensParams): CodeLens[] {
  if (!workspace.settings.codeLens.enabled) return [];
  const path = workspace.documentPath(params.textDocument.uri);
  const lines = path ? workspace.lines(path) : undefined;
  if (!path || !lines) return [];
  const lenses: CodeLens[] = [];
  const seen = new Set<string>();
  for (const { analysis, worker } of workspace.workersFor(path)) {
    const configUri = pathToUri(analysis.config.file);
    // The lens opens the config where the Worker's placement is (or would go).
    const configLines = workspace.lines(analysis.config.file);
    const at = configLines ? spanToRange(configLines, anchorSpan(worker.env)) : undefined;
    const show = { command: SHOW_PREDICTION, arguments: [configUri, worker.env.name, ...(at ? [at] : [])] };
    const workerLens = (range: Range, offerEnable: boolean): void => {
      lenses.push({ range, command: { title: workerTitle(analysis, worker), ...show } });
      // Said once per file: the same headline (or the same "where is" question) in each environment adds nothing.
      const estimate = estimateLens(worker, undefined, range, configUri);
      if (estimate?.command && !seen.has(`estimate:${estimate.command.title}`)) {
        seen.add(`estimate:${estimate.command.title}`);
        lenses.push(estimate);
      }
      if (offerEnable && !worker.effectivePlacement && !worker.env.legacy) {
        lenses.push({
          range,
          command: {
            title: worker.env.name ? `Enable Smart Placement (env ${worker.env.name})` : "Enable Smart Placement",
            command: ENABLE_COMMAND,
            arguments: [configUri, worker.env.name],
          },
        });
      }
    };
    if (path === analysis.config.file) {
      workerLens(spanToRange(lines, anchorSpan(worker.env)), true);
      continue;
    }
    const handlers = worker.analysis.handlers.filter((h) => h.file === path && h.kind === "fetch");
    // The Worker's own line once per file: on its fetch handler, or on the first route of a router.
    const main = handlers.find((h) => !h.route) ?? handlers[0];
    const workerKey = `worker:${analysis.config.file}:${worker.env.name ?? ""}`;
    if (main && !seen.has(workerKey)) {
      seen.add(workerKey);
      // In a source shared by several environments, one Enable (the first listed); the config offers each.
      const configKey = `enable:${analysis.config.file}`;
      workerLens(spanToRange(lines, main.span), !seen.has(configKey));
      seen.add(configKey);
    }
    // A route's round trips are the same in every environment: one lens per route.
    for (const route of handlers.filter((h) => h.route)) {
      const key = `route:${route.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const range = spanToRange(lines, route.span);
      lenses.push({ range, command: { title: `${route.route}: ${roundTripsTo(route.roundTrips ?? 0, [])}`, ...show } });
      // A route's own estimate, when it reaches a back end whose location is known (the question is the Worker's).
      const estimate = route.roundTrips ? estimateLens(worker, route.route, range, configUri) : undefined;
      if (estimate?.command?.command === SHOW_ESTIMATE_COMMAND) lenses.push(estimate);
    }
  }
  return lenses;
}

/** "Smart Placement (env staging): Smart · would help: 2 sequential round trips to db.example.com". */
export function workerTitle(analysis: ConfigAnalysis, worker: WorkerResult): string {
  return `Smart Placement${worker.env.name ? ` (env ${worker.env.name})` : ""}: ${describeWorker(analysis, worker).headline}`;
}
