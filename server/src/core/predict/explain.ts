import { relativePath } from "../fs";
import { markdownText as md } from "../strings";
import type { LineIndex } from "../text";
import type { Handler, WorkerAnalysis } from "../worker/types";
import { roundTripCount } from "./words";

/**
 * Hover evidence for a fetch handler (Markdown): a route's own count, the Worker's round trips in
 * order with their lines, the calls that do not count, with why, and what could not be followed.
 */
export function describeHandler(analysis: WorkerAnalysis, handler: Handler, linesOf: (file: string) => LineIndex | undefined): string {
  const root = handler.file.slice(0, handler.file.lastIndexOf("/"));
  const where = (file: string, offset: number): string => {
    const line = (linesOf(file)?.positionAt(offset).line ?? 0) + 1;
    return file === handler.file ? `line ${line}` : `${md(relativePath(root, file))}:${line}`;
  };
  const lines: string[] = [];
  // A route's own count; the Worker's is in the headline above.
  if (handler.route)
    lines.push(`**${md(handler.route)}** (${md(handler.form)}): ${roundTripCount(handler.roundTrips ?? 0)} on its longest path.`);
  const steps = analysis.criticalSteps.filter((s) => s.backend > 0);
  if (steps.length > 0) {
    if (lines.length) lines.push("");
    lines.push("Round trips of the Worker's longest path, in order:");
    steps.forEach((step, i) => {
      // A helper's call counts the host its caller gives (one listed call, several hosts): the step's own.
      const only = step.subrequests.length === 1 && step.hosts.size === 1 ? [...step.hosts.keys()][0] : undefined;
      const calls = step.subrequests
        .map(
          (s) =>
            `${s.kind} → ${md(only ?? s.target ?? (s.assumed !== undefined ? "an assumed back end" : "?"))} (${where(s.file, s.span.start)})`,
        )
        .join(", ");
      lines.push(`${i + 1}. ${calls}${step.note ? ` — ${md(step.note)}` : ""}`);
    });
  }
  // Calls counted as back ends by assumption count: said under "Assumed" instead.
  const ignored = analysis.subrequests.filter(
    (s) => s.category !== "backend" && (s.criticalPath || s.waitUntil) && !(s.criticalPath && s.assumed !== undefined),
  );
  if (ignored.length > 0) {
    if (lines.length) lines.push("");
    lines.push("Not counted:");
    for (const s of ignored.slice(0, 12))
      lines.push(
        `- ${s.kind} → ${md(s.target ?? "?")} (${where(s.file, s.span.start)}): ${s.waitUntil ? "inside waitUntil, off the response path" : md(s.note ?? s.category)}`,
      );
  }
  const assumed = [...new Set(analysis.subrequests.filter((s) => s.criticalPath && s.assumed !== undefined).map((s) => s.assumed!))];
  if (assumed.length > 0) {
    if (lines.length) lines.push("");
    lines.push("Assumed:");
    for (const a of assumed.slice(0, 8)) lines.push(`- ${md(a)}`);
  }
  if (analysis.unknowns.length > 0) {
    if (lines.length) lines.push("");
    lines.push("Cannot tell:");
    for (const u of analysis.unknowns.slice(0, 8)) lines.push(`- ${md(u)}`);
  }
  return lines.join("\n");
}
