import ts from "typescript";
import type { Finding } from "./findings";
import type { FileSystem } from "./fs";
import { LineIndex } from "./text";
import { scriptKindOf } from "./worker/module";

/**
 * Inline suppression in Worker source: `// smart-placement-ignore <code> [<code> ...]`.
 *
 * - A comment alone on its line applies to the line after it; a comment after code applies to
 *   its own line. A finding is suppressed when it starts on that line.
 * - Codes are separated by spaces or commas; text after ` -- ` is a reason and is ignored.
 *   Without a code, every smart-placement finding on that line is suppressed.
 * - Block comments (`/* smart-placement-ignore <code> *\/`) work the same way.
 * - Only JavaScript/TypeScript sources are read; config findings are turned off in the shared
 *   settings instead.
 */
export const SUPPRESSION_DIRECTIVE = "smart-placement-ignore";

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** What one file suppresses: line (0-based) → codes, or "all". */
type FileSuppressions = Map<number, Set<string> | "all">;

/** The findings without those an inline comment suppresses. */
export function withoutSuppressed(fs: FileSystem, findings: readonly Finding[]): Finding[] {
  const byFile = new Map<string, KnownSuppressions | undefined>();
  return findings.filter((finding) => {
    if (!SOURCE_FILE.test(finding.file)) return true;
    if (!byFile.has(finding.file)) byFile.set(finding.file, suppressionsOf(fs, finding.file));
    const known = byFile.get(finding.file);
    if (!known) return true;
    const codes = known.suppressions.get(known.lines.positionAt(finding.span.start).line);
    return !(codes === "all" || codes?.has(finding.code));
  });
}

interface KnownSuppressions {
  text: string;
  lines: LineIndex;
  suppressions: FileSuppressions;
}

/**
 * The last suppressions read per file, reused while its text is unchanged: the editor analyses
 * after every keystroke, usually in another file, and a parse per analysis would be wasted.
 */
const lastRead = new Map<string, KnownSuppressions>();
const LAST_READ_LIMIT = 256;

function suppressionsOf(fs: FileSystem, file: string): KnownSuppressions | undefined {
  const text = fs.readFile(file);
  // Parsing is needed only where the directive appears at all.
  if (text === undefined || !text.includes(SUPPRESSION_DIRECTIVE)) return undefined;
  let known = lastRead.get(file);
  if (known?.text !== text) {
    known = { text, lines: new LineIndex(text), suppressions: parseSuppressions(text, file) };
    if (lastRead.size >= LAST_READ_LIMIT) lastRead.clear();
    lastRead.set(file, known);
  }
  return known.suppressions.size > 0 ? known : undefined;
}

/** The suppression comments of a source text, found among its comments by the TypeScript parser. */
export function parseSuppressions(text: string, file = "index.ts"): FileSuppressions {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const lines = new LineIndex(text);
  const result: FileSuppressions = new Map();
  const seen = new Set<number>();
  const take = (ranges: readonly ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      const body =
        range.kind === ts.SyntaxKind.SingleLineCommentTrivia
          ? text.slice(range.pos + 2, range.end)
          : text.slice(range.pos + 2, range.end - 2);
      const directive = parseDirective(body);
      if (!directive) continue;
      const start = lines.positionAt(range.pos);
      const before = text.slice(range.pos - start.character, range.pos);
      const line = before.trim() === "" ? lines.positionAt(range.end).line + 1 : start.line;
      const existing = result.get(line);
      if (directive === "all" || existing === "all") result.set(line, "all");
      else result.set(line, new Set([...(existing ?? []), ...directive]));
    }
  };
  const visit = (node: ts.Node): void => {
    take(ts.getLeadingCommentRanges(text, node.pos));
    take(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return result;
}

/** `smart-placement-ignore a, b -- why` → ["a", "b"]; no codes → "all"; not a directive → undefined. */
function parseDirective(body: string): string[] | "all" | undefined {
  const trimmed = body.trim();
  if (!trimmed.startsWith(SUPPRESSION_DIRECTIVE)) return undefined;
  const rest = trimmed.slice(SUPPRESSION_DIRECTIVE.length);
  if (rest !== "" && !/^[\s,]/.test(rest)) return undefined;
  const reasonAt = rest.indexOf("--");
  const codes = (reasonAt >= 0 ? rest.slice(0, reasonAt) : rest).split(/[\s,]+/).filter((code) => code !== "");
  return codes.length > 0 ? codes : "all";
}
