import { relativePath } from "../fs";
import { markdownText as md } from "../strings";
import type { LineIndex } from "../text";
import type { Handler, WorkerAnalysis } from "../worker/types";

/**
 * Hover evidence for a fetch handler (Markdown): its round trips in order with their lines, and
 * the calls that do not count, with why.
 */
export function describeHandler(analysis: WorkerAnalysis, handler: Handler, linesOf: (file: string) => LineIndex | undefined): string {
  const root = handler.file.slice(0, handler.file.lastIndexOf("/"));
  const where = (file: string, offset: number): string => {
    const line = (linesOf(file)?.positionAt(offset).line ?? 0) + 1;
    return file === handler.file ? `line ${line}` : `${md(relativePath(root, file))}:${line}`;
  };
  const lines: string[] = [];
  const title = handler.route ? `**${md(handler.route)}** (${md(handler.form)})` : `**fetch handler** (${md(handler.form)})`;
  lines.push(
    `${title}: ${handler.roundTrips ?? 0} sequential round trip${handler.roundTrips === 1 ? "" : "s"} to back ends on its longest path.`,
  );
  const steps = analysis.criticalSteps.filter((s) => s.backend > 0);
  if (steps.length > 0) {
    lines.push("", "Round trips of the Worker's longest path, in order:");
    steps.forEach((step, i) => {
      const calls = step.subrequests.map((s) => `${s.kind} → ${md(s.target ?? "?")} (${where(s.file, s.span.start)})`).join(", ");
      lines.push(`${i + 1}. ${calls}${step.note ? ` — ${md(step.note)}` : ""}`);
    });
  }
  const ignored = analysis.subrequests.filter((s) => s.category !== "backend" && (s.criticalPath || s.waitUntil));
  if (ignored.length > 0) {
    lines.push("", "Not counted:");
    for (const s of ignored.slice(0, 12))
      lines.push(
        `- ${s.kind} → ${md(s.target ?? "?")} (${where(s.file, s.span.start)}): ${s.waitUntil ? "inside waitUntil, off the response path" : md(s.note ?? s.category)}`,
      );
  }
  if (analysis.unknowns.length > 0) {
    lines.push("", "Cannot tell:");
    for (const u of analysis.unknowns.slice(0, 8)) lines.push(`- ${md(u)}`);
  }
  return lines.join("\n");
}
