import { fileURLToPath, pathToFileURL } from "node:url";
import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Range } from "vscode-languageserver";
import { normalizePath } from "../core/fs";
import type { Finding } from "../core/findings";
import { ruleDocsUrl, type Severity } from "../core/rules/catalogue";
import { LineIndex, type Span } from "../core/text";

/** The edge: core offsets and paths become LSP positions (UTF-16, which JS string offsets are) and URIs. */

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return normalizePath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).toString();
}

export function spanToRange(lines: LineIndex, span: Span): Range {
  return Range.create(lines.positionAt(span.start), lines.positionAt(span.end));
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(
  finding: Finding,
  severity: Severity,
  lines: LineIndex,
  linesOf: (file: string) => LineIndex | undefined,
): Diagnostic {
  const diagnostic = Diagnostic.create(
    spanToRange(lines, finding.span),
    finding.message,
    LSP_SEVERITY[severity],
    finding.code,
    "smart-placement",
  );
  diagnostic.codeDescription = { href: ruleDocsUrl(finding.code) };
  const related = (finding.related ?? []).flatMap((r) => {
    const index = linesOf(r.file);
    return index ? [DiagnosticRelatedInformation.create({ uri: pathToUri(r.file), range: spanToRange(index, r.span) }, r.message)] : [];
  });
  if (related.length > 0) diagnostic.relatedInformation = related;
  if (finding.code === "placement-unknown-key") diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}
