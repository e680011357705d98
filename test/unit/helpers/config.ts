import { loadWranglerConfig } from "../../../server/src/core/config/model";
import type { ConfigFormat } from "../../../server/src/core/config/tree";
import type { Finding, Fix } from "../../../server/src/core/findings";
import { MemoryFileSystem } from "../../../server/src/core/fs";
import { checkConfig } from "../../../server/src/core/rules/config";
import { applyEdits } from "../../../server/src/core/text";

export const FILE_BY_FORMAT: Record<ConfigFormat, string> = {
  toml: "/project/wrangler.toml",
  json: "/project/wrangler.json",
  jsonc: "/project/wrangler.jsonc",
};

/** Config findings for a text, as the editor would show them. */
export function checkText(text: string, format: ConfigFormat = "toml", files: Record<string, string> = {}): Finding[] {
  const file = FILE_BY_FORMAT[format];
  const config = loadWranglerConfig(file, text, format);
  return checkConfig(config, new MemoryFileSystem({ [file]: text, ...files }));
}

export function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

/** The text a finding points at. */
export function spanText(text: string, finding: Finding): string {
  return text.slice(finding.span.start, finding.span.end);
}

export function fixNamed(finding: Finding | undefined, title: string): Fix {
  const fix = finding?.fixes.find((f) => f.title === title);
  if (!fix) throw new Error(`no fix "${title}" (have: ${finding?.fixes.map((f) => f.title).join(", ") ?? "no finding"})`);
  return fix;
}

/** Applies a single-file fix to `text`. */
export function applyFix(text: string, fix: Fix): string {
  if (fix.edits.length !== 1) throw new Error("expected a single-file fix");
  return applyEdits(text, fix.edits[0]!.edits);
}
