import { getLocation } from "jsonc-parser";
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  TextEdit,
  type CompletionItem,
  type CompletionParams,
} from "vscode-languageserver";
import { loadWranglerConfig } from "../core/config/model";
import { ownValue } from "../core/strings";
import { placementTableAt } from "../core/config/locate";
import { allRegions } from "../core/data/regions";
import { MODE_VALUE_DOCS, PLACEMENT_KEY_DOCS } from "../core/docs";
import { PLACEMENT_KEYS } from "../core/rules/placement";
import type { LineIndex, Span } from "../core/text";
import { spanToRange } from "./convert";
import type { Workspace } from "./workspace";

/** What the cursor is completing inside a `placement` table. */
type CompletionContext =
  | { readonly kind: "key"; readonly present: ReadonlySet<string>; readonly replace: Span }
  | { readonly kind: "value"; readonly key: string; readonly replace: Span };

export function provideCompletion(workspace: Workspace, params: CompletionParams): CompletionItem[] {
  const path = workspace.documentPath(params.textDocument.uri);
  if (!path || !workspace.isConfig(path)) return [];
  const text = workspace.text(path);
  const lines = workspace.lines(path);
  if (text === undefined || !lines) return [];
  const offset = lines.offsetAt(params.position);
  const context = path.endsWith(".toml") ? tomlContext(path, text, lines, offset) : jsonContext(text, offset);
  if (!context) return [];
  const range = spanToRange(lines, context.replace);
  const json = !path.endsWith(".toml");
  if (context.kind === "key") {
    return PLACEMENT_KEYS.filter((key) => !context.present.has(key)).map((key, index) => ({
      label: key,
      kind: CompletionItemKind.Property,
      documentation: { kind: MarkupKind.Markdown, value: ownValue(PLACEMENT_KEY_DOCS, key) ?? "" },
      sortText: String(index),
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: TextEdit.replace(range, json ? `"${key}": "$1"` : `${key} = "$1"`),
    }));
  }
  return valuesFor(context.key).map((value, index) => ({
    label: value.label,
    kind: CompletionItemKind.Value,
    ...(value.detail ? { detail: value.detail } : {}),
    ...(value.docs ? { documentation: { kind: MarkupKind.Markdown, value: value.docs } } : {}),
    sortText: String(index).padStart(4, "0"),
    filterText: `"${value.label}"`,
    textEdit: TextEdit.replace(range, JSON.stringify(value.label)),
  }));
}

function valuesFor(key: string): Array<{ label: string; detail?: string; docs?: string }> {
  if (key === "mode") return Object.entries(MODE_VALUE_DOCS).map(([label, docs]) => ({ label, docs }));
  if (key === "region") return allRegions().map((r) => ({ label: `${r.provider}:${r.code}`, detail: `${r.name} — ${r.location}` }));
  return [];
}

/**
 * TOML while typing often does not parse (`mode = `): find the table from the document with the
 * cursor's line blanked, then read the line up to the cursor (key or value position).
 */
function tomlContext(path: string, text: string, lines: LineIndex, offset: number): CompletionContext | undefined {
  const line = lines.positionAt(offset).line;
  const lineStart = lines.lineStart(line);
  let lineEnd = offset;
  while (lineEnd < text.length && text[lineEnd] !== "\n" && text[lineEnd] !== "\r") lineEnd++;
  const original = loadWranglerConfig(path, text, "toml");
  const config = original.root
    ? original
    : loadWranglerConfig(path, text.slice(0, lineStart) + " ".repeat(lineEnd - lineStart) + text.slice(lineEnd), "toml");
  const source = placementTableAt(config, offset);
  const table = source?.entry.value;
  if (!source || table?.kind !== "table") return undefined;
  const before = text.slice(lineStart, offset);
  const equals = before.indexOf("=");
  if (equals < 0) {
    const typed = before.trimStart();
    if ([...typed].some((c) => c === " " || c === '"' || c === "#")) return undefined;
    return { kind: "key", present: new Set(table.entries.keys()), replace: { start: offset - typed.length, end: offset } };
  }
  const key = before
    .slice(0, equals)
    .trim()
    .split(".")
    .pop()!
    .replace(/^["']|["']$/g, "");
  // Replace the whole value typed so far, quotes included, up to the end of the line's value.
  const valueStart = lineStart + equals + 1 + (before.slice(equals + 1).length - before.slice(equals + 1).trimStart().length);
  const existing = table.entries.get(key);
  const end = existing && existing.value.span.start === valueStart ? existing.value.span.end : offset;
  return { kind: "value", key, replace: { start: valueStart, end: Math.max(end, offset) } };
}

/** jsonc-parser's `getLocation` is made for this: it works on text that does not parse. */
function jsonContext(text: string, offset: number): CompletionContext | undefined {
  const location = getLocation(text, offset);
  const path = location.path;
  const placementIndex = path.lastIndexOf("placement");
  if (placementIndex < 0 || placementIndex !== path.length - 2) return undefined;
  const parent = path.slice(0, placementIndex);
  const valid = parent.length === 0 || (parent.length === 2 && parent[0] === "env") || parent[parent.length - 1] === "previews";
  if (!valid) return undefined;
  const node = location.previousNode;
  const replace = node && node.type === "string" ? { start: node.offset, end: node.offset + node.length } : { start: offset, end: offset };
  if (location.isAtPropertyKey) {
    const config = loadWranglerConfig("wrangler.jsonc", text, "jsonc");
    const env = config.environments.find(
      (e) => e.placement && !e.placement.inherited && e.placement.path.join("\u0000") === [...parent, "placement"].join("\u0000"),
    );
    const table = env?.placement?.entry.value;
    return { kind: "key", present: new Set(table?.kind === "table" ? table.entries.keys() : []), replace };
  }
  return { kind: "value", key: String(path[path.length - 1]), replace };
}
