import type { RuleCode } from "./rules/catalogue";
import type { Span, TextEdit } from "./text";

/** A quick fix: text edits to one or more files. */
export interface Fix {
  readonly title: string;
  /** Edits by absolute file path. */
  readonly edits: ReadonlyArray<{ readonly file: string; readonly edits: readonly TextEdit[] }>;
  /** Shown first / applied by "fix all" style actions. */
  readonly preferred?: boolean;
}

/** One diagnostic, before severity settings are applied. */
export interface Finding {
  readonly code: RuleCode;
  /** Absolute path of the file the finding is in. */
  readonly file: string;
  readonly span: Span;
  readonly message: string;
  readonly fixes: readonly Fix[];
  /** Other places worth showing with it (e.g. the call that caused a prediction). */
  readonly related?: ReadonlyArray<{ readonly file: string; readonly span: Span; readonly message: string }>;
}

export function singleFileFix(title: string, file: string, edits: readonly TextEdit[], preferred = false): Fix {
  return { title, edits: [{ file, edits }], preferred };
}

/** The same finding reached through several environments is reported once. */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.code}\u0000${finding.file}\u0000${finding.span.start}\u0000${finding.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
