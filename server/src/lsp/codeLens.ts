import type { CodeLens, CodeLensParams } from "vscode-languageserver";
import { anchorSpan } from "../core/rules/prediction";
import type { WorkerResult } from "../core/analysis";
import { pathToUri, spanToRange } from "./convert";
import { ENABLE_COMMAND } from "./commands";
import { estimateLens } from "./estimate";
import type { Workspace } from "./workspace";

/** "Smart Placement: SUCCESS — 3 round trips to db.example.com" above each fetch handler and route. */
export function provideCodeLenses(workspace: Workspace, params: CodeLensParams): CodeLens[] {
  if (!workspace.settings.codeLens.enabled) return [];
  const path = workspace.documentPath(params.textDocument.uri);
  const lines = path ? workspace.lines(path) : undefined;
  if (!path || !lines) return [];
  const lenses: CodeLens[] = [];
  const seen = new Set<string>();
  for (const { analysis, worker } of workspace.workersFor(path)) {
    const configUri = pathToUri(analysis.config.file);
    const places =
      path === analysis.config.file
        ? [{ span: anchorSpan(worker.env), roundTrips: worker.prediction.roundTrips, route: undefined }]
        : worker.analysis.handlers
            .filter((h) => h.file === path && h.kind === "fetch")
            .map((h) => ({ span: h.span, roundTrips: h.roundTrips ?? worker.prediction.roundTrips, route: h.route }));
    for (const place of places) {
      const key = `${place.span.start}:${worker.env.name ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const range = spanToRange(lines, place.span);
      const title = lensTitle(worker, place.roundTrips, place.route);
      lenses.push({ range, command: { title, command: "smartPlacement.showPrediction", arguments: [configUri, worker.env.name] } });
      lenses.push(...[estimateLens(worker, place.route, range, configUri)].filter((lens) => lens !== undefined));
      if (!worker.effectivePlacement) {
        lenses.push({
          range,
          command: {
            title: worker.env.name ? `Enable Smart Placement (env ${worker.env.name})` : "Enable Smart Placement",
            command: ENABLE_COMMAND,
            arguments: [configUri, worker.env.name],
          },
        });
      }
    }
  }
  return lenses;
}

export function lensTitle(worker: WorkerResult, roundTrips: number | null | undefined, route?: string): string {
  const { prediction, env } = worker;
  const hosts = prediction.backends.map((b) => b.host);
  const trips =
    roundTrips === null || roundTrips === undefined
      ? ""
      : ` — ${roundTrips} round trip${roundTrips === 1 ? "" : "s"}${hosts.length ? ` to ${hosts.slice(0, 2).join(", ")}${hosts.length > 2 ? ", …" : ""}` : ""}`;
  const scope = [route, env.name ? `env ${env.name}` : undefined].filter(Boolean).join(", ");
  return `Smart Placement: ${prediction.status}${trips}${scope ? ` (${scope})` : ""}`;
}
