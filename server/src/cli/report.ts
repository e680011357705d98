import type { ConfigAnalysis } from "../core/analysis";
import { jsonEstimate, type JsonEstimate } from "../core/estimate/json";
import { citiesHeadline, estimateText, headlinePath } from "../core/estimate/present";
import { relativePath, type FileSystem } from "../core/fs";
import { effectiveSeverity, ruleDocsUrl, RULES, type Severity, type SeverityOverride } from "../core/rules/catalogue";
import { mergeSeverity } from "../core/settingsFile";
import { LineIndex, type Span } from "../core/text";
import { describeWorker, placementInConfigSyntax, type PlacementWords } from "../core/predict/words";

/** `--format json`, version 1 (see CONTRACT.md). */
export interface JsonReport {
  version: 1;
  workers: JsonWorker[];
  diagnostics: JsonDiagnostic[];
}

export interface JsonWorker {
  config: string;
  env: string | null;
  name: string | null;
  entry: string | null;
  placement: unknown;
  prediction: {
    status: string;
    roundTrips: number | null;
    backends: Array<{ host: string; roundTrips: number }>;
    reasons: string[];
    /** Added in version 1: "current" or "2024" (which platform rules the prediction follows). */
    platformRules: string;
    /** Added in version 1: "likely" or "strict" (what the prediction assumes of calls whose target is unknown). */
    assume: string;
    /** Added in version 1: request duration with and without placement; null without a fetch handler. */
    estimate: JsonEstimate | null;
  };
  subrequests: Array<{
    file: string;
    line: number;
    column: number;
    kind: string;
    target: string | null;
    category: string;
    waitUntil: boolean;
    criticalPath: boolean;
    /** Added in version 1, only when the URL is one of several hosts chosen at run time: `target` is the one counted. */
    candidates?: string[];
    /**
     * Added in version 1, only when the call is counted as a round trip to a back end by assumption
     * (`assume` "likely"): its `category` stays "unknown"; the reasons say what was assumed.
     */
    assumed?: true;
  }>;
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

/** Turns offsets into 1-based lines/columns, reading each file once. */
class Locator {
  private readonly indexes = new Map<string, LineIndex | undefined>();

  constructor(private readonly fs: FileSystem) {}

  locate(file: string, span: Span): { line: number; column: number; endLine: number; endColumn: number } {
    if (!this.indexes.has(file)) {
      const text = this.fs.readFile(file);
      this.indexes.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    const index = this.indexes.get(file);
    if (!index) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const start = index.positionAt(span.start);
    const end = index.positionAt(span.end);
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }
}

export function buildReport(
  analyses: readonly ConfigAnalysis[],
  fs: FileSystem,
  cwd: string,
  overrides?: Readonly<Record<string, SeverityOverride>>,
): JsonReport {
  const locator = new Locator(fs);
  const rel = (file: string): string => relativePath(cwd, file);
  const workers: JsonWorker[] = [];
  const diagnostics: JsonDiagnostic[] = [];
  const seen = new Set<string>();
  for (const { config, workers: results, findings, settings } of analyses) {
    const severities = mergeSeverity(settings?.settings.severity, overrides);
    for (const result of results) {
      const { analysis, prediction, env } = result;
      workers.push({
        config: rel(config.file),
        env: env.name,
        name: env.workerName,
        entry: analysis.entry ? rel(analysis.entry) : null,
        placement: result.placement ?? null,
        prediction: {
          status: prediction.status,
          roundTrips: prediction.roundTrips,
          backends: prediction.backends.map((b) => ({ host: b.host, roundTrips: b.roundTrips })),
          reasons: [...prediction.reasons],
          platformRules: prediction.platformRules,
          assume: prediction.assume,
          estimate: result.estimate ? jsonEstimate(result.estimate) : null,
        },
        subrequests: analysis.subrequests.map((s) => {
          const at = locator.locate(s.file, s.span);
          return {
            file: rel(s.file),
            line: at.line,
            column: at.column,
            kind: s.kind,
            target: s.target,
            category: s.category,
            waitUntil: s.waitUntil,
            criticalPath: s.criticalPath,
            // Only when the URL is one of several hosts chosen at run time; `target` is the one counted.
            ...(s.candidates ? { candidates: s.candidates.map((c) => c.host) } : {}),
            ...(s.assumed !== undefined && s.criticalPath ? { assumed: true as const } : {}),
          };
        }),
      });
    }
    for (const finding of findings) {
      const severity = effectiveSeverity(finding.code, severities);
      if (!severity) continue;
      // A finding in a file several configs share (a settings file, a common module) is listed once.
      const key = `${finding.code}\u0000${finding.file}\u0000${finding.span.start}\u0000${finding.span.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push({
        file: rel(finding.file),
        ...locator.locate(finding.file, finding.span),
        severity,
        code: finding.code,
        message: finding.message,
      });
    }
  }
  return { version: 1, workers, diagnostics };
}

/**
 * Text safe to print on one terminal line: control characters (newlines, ANSI escapes, C1
 * controls) and line/paragraph separators become visible escapes, so a file or Worker name cannot
 * forge a diagnostic line, colour the terminal, or start a CI workflow command.
 */
export function escapeText(text: string): string {
  let result = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      result += code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
    } else result += char;
  }
  return result;
}

/** A path at the start of a line: escaped, and never starting with `::` (a CI workflow command). */
function linePath(file: string): string {
  const escaped = escapeText(file);
  return escaped.startsWith("::") ? `./${escaped}` : escaped;
}

/** A relative '/' path as a URI reference (RFC 3986): each segment percent-encoded. */
export function pathToUriReference(file: string): string {
  return file
    .split("/")
    .map((segment) => (segment === "." || segment === ".." ? segment : encodeURIComponent(segment)))
    .join("/");
}

/** What the text output says about each Worker, in the order of the report's `workers`. */
export interface TextWorker {
  readonly words: PlacementWords;
  /** The placement as the config writes it (one line), or null when there is none. */
  readonly placement: string | null;
}

/** The words for each Worker of `analyses`, in the order buildReport lists them. */
export function describeWorkers(analyses: readonly ConfigAnalysis[]): TextWorker[] {
  return analyses.flatMap((analysis) =>
    analysis.workers.map((worker) => ({
      words: describeWorker(analysis, worker),
      placement:
        worker.placement === null || worker.placement === undefined
          ? null
          : placementInConfigSyntax(analysis.config.project ? "toml" : analysis.config.format, worker.placement),
    })),
  );
}

/** ANSI styles for a terminal; every style is the identity when colour is off. */
export interface Styles {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly green: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOUR: Styles = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  green: sgr(32, 39),
  cyan: sgr(36, 39),
};
const plain = (s: string): string => s;
export const NO_COLOUR: Styles = { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };

/**
 * Whether to colour the output: FORCE_COLOR (other than "0" or "false") forces it on, as Node's
 * own does, even over NO_COLOR; otherwise NO_COLOR (any non-empty value) turns it off
 * (https://no-color.org); otherwise a terminal other than TERM=dumb gets colour.
 */
export function wantsColour(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  return isTTY && env["TERM"] !== "dumb";
}

export function formatText(report: JsonReport, details: readonly TextWorker[], styles: Styles = NO_COLOUR): string {
  const lines: string[] = [];
  const byConfig = new Map<string, JsonDiagnostic[]>();
  for (const d of report.diagnostics) {
    const list = byConfig.get(d.file) ?? [];
    list.push(d);
    byConfig.set(d.file, list);
  }
  const severityStyle = (severity: Severity): ((s: string) => string) =>
    severity === "error" ? styles.red : severity === "warning" ? styles.yellow : styles.cyan;
  const printed = new Set<string>();
  const printFile = (file: string): void => {
    if (printed.has(file)) return;
    printed.add(file);
    for (const d of byConfig.get(file) ?? [])
      lines.push(
        `${styles.bold(`${linePath(d.file)}:${d.line}:${d.column}:`)} ${severityStyle(d.severity)(d.severity)} ${styles.dim(d.code)}: ${escapeText(d.message)}`,
      );
  };
  const verdictStyle = (words: PlacementWords): ((s: string) => string) =>
    words.verdict === "would help" ? styles.green : words.verdict === "cannot tell" ? styles.yellow : plain;
  const configs = [...new Set(report.workers.map((w) => w.config))];
  for (const config of configs) {
    printFile(config);
    const indexes = report.workers.flatMap((w, i) => (w.config === config ? [i] : []));
    const workers = indexes.map((i) => report.workers[i]!);
    // Source findings belong with the Worker whose files they are in.
    for (const worker of workers) for (const s of worker.subrequests) printFile(s.file);
    if (workers[0]?.entry) printFile(workers[0].entry);
    for (const index of indexes) {
      const worker = report.workers[index]!;
      const name = escapeText(`${worker.name ?? "(unnamed)"}${worker.env ? ` [env ${worker.env}]` : ""}`);
      const detail = details[index]!;
      const { words } = detail;
      const configured = (words.severity === "error" ? styles.red : styles.bold)(escapeText(words.configured));
      const placement = detail.placement ? ` ${styles.dim(`(${escapeText(detail.placement)})`)}` : "";
      lines.push(`  ${styles.bold(name)}: ${configured}${placement} · ${verdictStyle(words)(words.verdict)}: ${escapeText(words.detail)}`);
      for (const unknown of words.unknowns) lines.push(`    - ${escapeText(unknown)}`);
      const headline = textHeadline(worker);
      if (headline) lines.push(`    estimate: ${escapeText(headline)}`);
    }
    lines.push("");
  }
  for (const file of byConfig.keys()) printFile(file);
  const count = (severity: Severity): number => report.diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    styles.bold(
      `${plural(report.workers.length, "Worker")} analysed: ${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ${plural(count("information") + count("hint"), "note")}.`,
    ),
  );
  return lines.join("\n") + "\n";
}

/** The estimate's headline for a Worker that reaches a back end (placement has nothing to move otherwise). */
function textHeadline(worker: JsonWorker): string | undefined {
  const estimate = worker.prediction.estimate;
  if (!estimate || !worker.prediction.roundTrips) return undefined;
  const path = headlinePath(estimate.paths);
  const headline = path && citiesHeadline(path);
  if (!path || !headline) {
    const unknown = estimate.backends.filter((b) => !b.location).map((b) => b.host);
    return unknown.length ? `location of ${unknown.join(", ")} unknown (see --backends)` : undefined;
  }
  return `${headline}${path.route ? ` (${path.route})` : ""}${estimate.placedAt ? `; placed at ${estimate.placedAt.label}` : ""}`;
}

/** `smart-placement estimate`: per Worker, the table of every path and city. */
export function formatEstimates(analyses: readonly ConfigAnalysis[], cwd: string): string {
  const lines: string[] = [];
  for (const { config, workers } of analyses) {
    for (const worker of workers) {
      const name = `${relativePath(cwd, config.file)}: ${worker.env.workerName ?? "(unnamed)"}${worker.env.name ? ` [env ${worker.env.name}]` : ""}`;
      lines.push(escapeText(`${name} (${worker.prediction.status})`));
      if (!worker.estimate) lines.push("  no estimate: the Worker has no fetch handler or could not be analysed");
      else lines.push(...estimateText(worker.estimate).map(escapeText));
      lines.push("");
    }
  }
  return lines.join("\n");
}

const SARIF_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", information: "note", hint: "note" };

export function formatSarif(report: JsonReport, version: string): string {
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "smart-placement",
            version,
            informationUri: "https://developers.cloudflare.com/workers/configuration/placement/",
            rules: RULES.map((rule) => ({
              id: rule.code,
              shortDescription: { text: rule.summary },
              fullDescription: { text: rule.docs },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
              helpUri: ruleDocsUrl(rule.code),
              help: {
                text: `${rule.summary} ${rule.docs} Documentation: ${ruleDocsUrl(rule.code)}`,
                markdown: `${rule.summary}\n\n${rule.docs}\n\n[Documentation for ${rule.code}](${ruleDocsUrl(rule.code)})`,
              },
            })),
          },
        },
        results: report.diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: RULES.findIndex((rule) => rule.code === d.code),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: pathToUriReference(d.file) },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}

export function hasErrors(report: JsonReport): boolean {
  return report.diagnostics.some((d) => d.severity === "error");
}
