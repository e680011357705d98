import { MarkupKind, type Hover, type HoverParams } from "vscode-languageserver";
import { locateInConfig } from "../core/config/locate";
import {
  describePrediction,
  describeSubrequest,
  predictionHeadline,
  MODE_VALUE_DOCS,
  PLACEMENT_DOC,
  PLACEMENT_KEY_DOCS,
  regionDocs,
} from "../core/docs";
import { d1RuleText } from "../core/platform";
import { describeHandler } from "../core/predict/explain";
import { ownValue } from "../core/strings";
import { spanContains, type Span } from "../core/text";
import { spanToRange } from "./convert";
import { estimateHover } from "./estimate";
import type { Workspace } from "./workspace";

export function provideHover(workspace: Workspace, params: HoverParams): Hover | null {
  const path = workspace.documentPath(params.textDocument.uri);
  const lines = path ? workspace.lines(path) : undefined;
  if (!path || !lines) return null;
  const offset = lines.offsetAt(params.position);
  const answer = workspace.isConfig(path) ? configHover(workspace, path, offset) : sourceHover(workspace, path, offset);
  if (!answer) return null;
  return { contents: { kind: MarkupKind.Markdown, value: answer.markdown }, range: spanToRange(lines, answer.span) };
}

function configHover(workspace: Workspace, path: string, offset: number): { markdown: string; span: Span } | undefined {
  const analysis = workspace.analysis(path);
  if (!analysis) return undefined;
  const location = locateInConfig(analysis.config, offset);
  if (!location) return undefined;
  const workerOf = (envName: string | null) => analysis.workers.find((w) => w.env.name === envName);
  switch (location.kind) {
    case "placement": {
      const worker = workerOf(location.env.name);
      const prediction = worker ? describePrediction(analysis, worker) : "";
      return { markdown: [prediction, PLACEMENT_DOC].filter(Boolean).join("\n\n---\n\n"), span: location.source.entry.keySpan };
    }
    case "main": {
      const worker = workerOf(location.env.name);
      return worker ? { markdown: describePrediction(analysis, worker), span: location.env.main!.entry.entrySpan } : undefined;
    }
    case "placement-key": {
      const docs = ownValue(PLACEMENT_KEY_DOCS, location.entry.key);
      return docs ? { markdown: docs, span: location.entry.keySpan } : undefined;
    }
    case "d1-database":
      return { markdown: d1RuleText(workspace.settings.platformRules, location.binding || "this database"), span: location.span };
    case "placement-value": {
      const { entry } = location;
      const value = entry.value.kind === "string" ? (entry.value.value as string) : undefined;
      let markdown: string | undefined;
      if (entry.key === "mode" && value !== undefined)
        markdown = ownValue(MODE_VALUE_DOCS, value) ? `**mode = "${value}"** — ${MODE_VALUE_DOCS[value]}` : undefined;
      else if (entry.key === "region" && value !== undefined) markdown = regionDocs(value);
      markdown ??= ownValue(PLACEMENT_KEY_DOCS, entry.key);
      return markdown ? { markdown, span: entry.value.span } : undefined;
    }
  }
}

function sourceHover(workspace: Workspace, path: string, offset: number): { markdown: string; span: Span } | undefined {
  const workers = workspace.workersFor(path);
  for (const { worker } of workers) {
    const subrequest = worker.analysis.subrequests.find((s) => s.file === path && spanContains(s.span, offset));
    if (subrequest) return { markdown: describeSubrequest(subrequest), span: subrequest.span };
  }
  // The handler's hover lists every Worker (environment) it serves, its status line once each.
  const serving = workers.flatMap(({ analysis, worker }) => {
    const handler = worker.analysis.handlers.find((h) => h.file === path && spanContains(h.span, offset));
    return handler ? [{ analysis, worker, handler }] : [];
  });
  const first = serving[0];
  if (first) {
    const headlines = serving.map(({ analysis, worker }) => predictionHeadline(analysis, worker));
    const evidence = describeHandler(first.worker.analysis, first.handler, (file) => workspace.lines(file));
    const estimate = estimateHover(first.worker, first.handler);
    return {
      markdown: [[...new Set(headlines)].join("\n\n"), evidence, estimate].filter(Boolean).join("\n\n---\n\n"),
      span: first.handler.span,
    };
  }
  // A call in code no handler reaches: only the complete analysis lists it.
  for (const configFile of new Set(workers.map((w) => w.analysis.config.file))) {
    for (const worker of workspace.completeAnalysis(configFile)?.workers ?? []) {
      const subrequest = worker.analysis.subrequests.find((s) => s.file === path && spanContains(s.span, offset));
      if (subrequest) return { markdown: describeSubrequest(subrequest), span: subrequest.span };
    }
  }
  return undefined;
}
