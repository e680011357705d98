import type { WorkerResult } from "../analysis";
import type { Finding } from "../findings";
import type { TraceJsonRequest, TraceJsonWorker } from "../trace/report";
import type { Handler } from "../worker/types";

/** The handler a traced request took: its route's handler when the trace matched one, else the Worker's fetch handler. */
export function handlerOfRequest(worker: WorkerResult, request: Pick<TraceJsonRequest, "predicted">): Handler | undefined {
  const fetchHandlers = worker.analysis.handlers.filter((h) => h.kind === "fetch");
  const routed = fetchHandlers.filter((h) => h.route !== undefined && request.predicted.routes.includes(h.route));
  // The route the count came from (the one with the most round trips), as the trace compared with it.
  const counted = routed.filter((h) => h.roundTrips !== undefined).sort((a, b) => b.roundTrips! - a.roundTrips!);
  return counted[0] ?? routed[0] ?? fetchHandlers.find((h) => h.route === undefined) ?? fetchHandlers[0];
}

/**
 * `trace-disagrees`: for each request of a trace whose observed sequential waves differ from the
 * static count, a finding on the handler it took, with the request and both counts. Requests on
 * the same handler share one finding. None when the Worker has no fetch handler to put it on.
 */
export function checkTrace(worker: WorkerResult, trace: TraceJsonWorker): Finding[] {
  const byHandler = new Map<Handler, string[]>();
  for (const request of trace.requests) {
    if (request.agreement !== "disagree") continue;
    const handler = handlerOfRequest(worker, request);
    if (!handler) continue;
    const lines = byHandler.get(handler) ?? [];
    lines.push(`${request.method} ${request.path}: ${request.explanation}`);
    byHandler.set(handler, lines);
  }
  const where = worker.env.name ? ` (env "${worker.env.name}")` : "";
  return [...byHandler].map(([handler, lines]) => ({
    code: "trace-disagrees",
    file: handler.file,
    span: handler.span,
    message: `Trace Locally${where}: ${lines.join("; ")}.`,
    fixes: [],
  }));
}
