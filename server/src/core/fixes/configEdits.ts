import { createScanner, findNodeAtLocation, modify, parseTree, SyntaxKind, type FormattingOptions } from "jsonc-parser";
import type { ParsedConfig, TableNode, ConfigEntry, ConfigNode } from "../config/tree";
import { getEntryAt } from "../config/tree";
import { LineIndex, type TextEdit } from "../text";

/**
 * Text edits on a parsed config that keep everything else as written: comments, other keys,
 * indentation and trailing commas. JSON(C) goes through jsonc-parser's own edit functions; TOML
 * edits are computed from the tree's source ranges. A function returns undefined when it cannot
 * make the change safely; callers then offer no fix rather than a destructive one.
 */

/** A TOML or JSON literal for a string value. JSON's escaping is also valid in a TOML basic string. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}

/** Replaces a scalar value (e.g. a mode typo) with a string. Same text in both formats. */
export function replaceWithString(node: ConfigNode, value: string): TextEdit[] {
  return [{ start: node.span.start, end: node.span.end, newText: stringLiteral(value) }];
}

/** A key as it must be written: bare in TOML when possible, quoted otherwise and in JSON. */
export function keyLiteral(config: ParsedConfig, key: string): string {
  if (config.format === "toml" && key.length > 0 && [...key].every(isBareKeyChar)) return key;
  return stringLiteral(key);
}

function isBareKeyChar(char: string): boolean {
  return (char >= "a" && char <= "z") || (char >= "A" && char <= "Z") || (char >= "0" && char <= "9") || char === "_" || char === "-";
}

export function renameKey(config: ParsedConfig, entry: ConfigEntry, newKey: string): TextEdit[] {
  return [{ start: entry.keySpan.start, end: entry.keySpan.end, newText: keyLiteral(config, newKey) }];
}

/** Removes `path` (the entry's full path from the root) from the document. */
export function removeEntry(config: ParsedConfig, path: readonly string[]): TextEdit[] | undefined {
  const entry = getEntryAt(config.root, path);
  const parent = path.length > 1 ? getEntryAt(config.root, path.slice(0, -1))?.value : config.root;
  if (config.format !== "toml") {
    if (!entry || parent?.kind !== "table") return undefined;
    // A one-line object keeps its spacing; otherwise remove the property and one comma, never a comment.
    const oneLine = !config.text.slice(parent.span.start, parent.span.end).includes("\n");
    return oneLine ? removeInlineEntry(config.text, parent, entry) : removeJsonProperty(config.text, parent, entry);
  }
  if (!entry || parent?.kind !== "table") return undefined;
  if (entry.value.kind === "table" && entry.value.style === "header") return undefined; // would orphan its body
  return parent.style === "inline" ? removeInlineEntry(config.text, parent, entry) : removeEntryLine(config.text, entry);
}

function removeInlineEntry(text: string, table: TableNode, entry: ConfigEntry): TextEdit[] {
  const siblings = [...table.entries.values()].sort((a, b) => a.entrySpan.start - b.entrySpan.start);
  const index = siblings.indexOf(entry);
  const next = siblings[index + 1];
  const previous = siblings[index - 1];
  // `a = 1, b = 2`: take the entry with the separator after it, or before it when it is last.
  if (next) return [{ start: entry.entrySpan.start, end: next.entrySpan.start, newText: "" }];
  if (previous) return [{ start: previous.entrySpan.end, end: entry.entrySpan.end, newText: "" }];
  // The only entry: take a trailing comma with it (`{ "a": 1, }` must not become `{ , }`).
  let end = entry.entrySpan.end;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
  return [{ start: entry.entrySpan.start, end: text[end] === "," ? end + 1 : entry.entrySpan.end, newText: "" }];
}

/**
 * Removes a property from a multi-line JSON object with the comma that separates it (the one after
 * it, or before it when it is the last), found with jsonc-parser's scanner so comments are skipped
 * as comments. The property's line goes too when nothing else is left on it.
 */
function removeJsonProperty(text: string, table: TableNode, entry: ConfigEntry): TextEdit[] {
  const siblings = [...table.entries.values()].sort((a, b) => a.entrySpan.start - b.entrySpan.start);
  const index = siblings.indexOf(entry);
  const edits: TextEdit[] = [];
  const commaAfter = findComma(
    text,
    entry.entrySpan.end,
    index + 1 < siblings.length ? siblings[index + 1]!.entrySpan.start : table.span.end,
  );
  let removeEnd = entry.entrySpan.end;
  if (commaAfter !== undefined) removeEnd = commaAfter + 1;
  else if (index > 0) {
    const commaBefore = findComma(text, siblings[index - 1]!.entrySpan.end, entry.entrySpan.start);
    if (commaBefore !== undefined) edits.push({ start: commaBefore, end: commaBefore + 1, newText: "" });
  }
  const lineStart = lineStartOf(text, entry.entrySpan.start);
  const lineEnd = lineEndOf(text, removeEnd);
  const aloneOnLine = text.slice(lineStart, entry.entrySpan.start).trim() === "" && text.slice(removeEnd, lineEnd).trim() === "";
  if (aloneOnLine) {
    const next = lineEnd < text.length ? lineEnd + (text.startsWith("\r\n", lineEnd) ? 2 : 1) : lineEnd;
    edits.push({ start: lineStart, end: next, newText: "" });
  } else edits.push({ start: entry.entrySpan.start, end: removeEnd, newText: "" });
  return edits;
}

/** Offset of the first comma token in [from, to), comments and whitespace skipped. */
function findComma(text: string, from: number, to: number): number | undefined {
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF && scanner.getTokenOffset() < to; token = scanner.scan()) {
    if (token === SyntaxKind.CommaToken) return scanner.getTokenOffset();
    if (
      token !== SyntaxKind.Trivia &&
      token !== SyntaxKind.LineBreakTrivia &&
      token !== SyntaxKind.LineCommentTrivia &&
      token !== SyntaxKind.BlockCommentTrivia
    )
      return undefined;
  }
  return undefined;
}

/** Removes a `key = value` line; a comment after it on the same line stays, on its own. */
function removeEntryLine(text: string, entry: ConfigEntry): TextEdit[] | undefined {
  const lines = new LineIndex(text);
  const startLine = lines.positionAt(entry.entrySpan.start).line;
  const lineStart = lines.lineStart(startLine);
  if (text.slice(lineStart, entry.entrySpan.start).trim() !== "") return undefined;
  let after = entry.entrySpan.end;
  while (after < text.length && (text[after] === " " || text[after] === "\t")) after++;
  const atLineEnd = after >= text.length || text[after] === "\n" || text[after] === "\r";
  if (atLineEnd) {
    const endLine = lines.positionAt(entry.entrySpan.end).line;
    const nextLineStart = endLine + 1 < lines.lineCount ? lines.lineStart(endLine + 1) : text.length;
    return [{ start: lineStart, end: nextLineStart, newText: "" }];
  }
  if (text[after] !== "#") return undefined;
  return [{ start: entry.entrySpan.start, end: after, newText: "" }];
}

/**
 * Sets `key` in the table at `tablePath` to a string value: replaces an existing value, or adds the
 * key in the table's own style.
 */
export function setStringInTable(config: ParsedConfig, tablePath: readonly string[], key: string, value: string): TextEdit[] | undefined {
  const table = tablePath.length === 0 ? config.root : getEntryAt(config.root, tablePath)?.value;
  if (config.format !== "toml") {
    // An existing value is replaced where the tree has it: the copy in effect among duplicate keys.
    const existing = table?.kind === "table" ? table.entries.get(key) : undefined;
    if (existing && existing.value.kind !== "table" && existing.value.kind !== "array") return replaceWithString(existing.value, value);
    return jsonEdit(config, [...tablePath, key], value);
  }
  if (table?.kind !== "table") return undefined;
  const existing = table.entries.get(key);
  if (existing)
    return existing.value.kind === "table" || existing.value.kind === "array" ? undefined : replaceWithString(existing.value, value);
  return addTomlEntry(config, table, `${keyLiteral(config, key)} = ${stringLiteral(value)}`);
}

function addTomlEntry(config: ParsedConfig, table: TableNode, line: string): TextEdit[] | undefined {
  const text = config.text;
  const entries = [...table.entries.values()].sort((a, b) => a.entrySpan.start - b.entrySpan.start);
  const last = entries[entries.length - 1];
  switch (table.style) {
    case "inline":
      if (last) return [{ start: last.entrySpan.end, end: last.entrySpan.end, newText: `, ${line}` }];
      return [{ start: table.span.start, end: table.span.end, newText: `{ ${line} }` }];
    case "implicit": {
      // `placement.hint = "x"`: add `placement.mode = ...` below, with the same dotted prefix.
      if (!last || last.value.kind === "table") return undefined;
      const prefix = text.slice(lineStartOf(text, last.entrySpan.start), last.keySpan.start);
      return [
        { start: lineEndOf(text, last.entrySpan.end), end: lineEndOf(text, last.entrySpan.end), newText: `${eol(text)}${prefix}${line}` },
      ];
    }
    default: {
      // Root and header tables: after the table's own last `key = value`, never after a sub-table
      // header that happens to be stored in it (`[env.x.placement]` lives inside `[env.x]`).
      const own = entries.filter((entry) => entry.entrySpan.start >= table.span.start && entry.entrySpan.end <= table.bodyEnd);
      const lastOwn = own[own.length - 1];
      const indent = lastOwn ? text.slice(lineStartOf(text, lastOwn.entrySpan.start), lastOwn.entrySpan.start) : "";
      const at = lineEndOf(text, table.bodyEnd);
      return [{ start: at, end: at, newText: `${eol(text)}${indent}${line}` }];
    }
  }
}

/**
 * Adds `[placement]` with `mode = "smart"` to the top level, or `placement = { mode = "smart" }` to
 * an environment; when placement exists, sets its mode to "smart".
 */
export function enableSmartPlacement(config: ParsedConfig, envPath: readonly string[]): TextEdit[] | undefined {
  const placementPath = [...envPath, "placement"];
  const existing = getEntryAt(config.root, placementPath);
  if (existing) {
    if (existing.value.kind !== "table") return undefined;
    // A targeted placement with mode "smart" beside its target is a Wrangler error: the target
    // must go first, and that is the developer's call.
    if (["region", "host", "hostname"].some((key) => existing.value.kind === "table" && existing.value.entries.has(key))) return undefined;
    return setStringInTable(config, placementPath, "mode", "smart");
  }
  if (config.format !== "toml") return jsonEdit(config, placementPath, { mode: "smart" });
  const root = config.root;
  if (!root) return undefined;
  if (envPath.length > 0) {
    const envTable = getEntryAt(root, envPath)?.value;
    if (envTable?.kind !== "table") return undefined;
    return addTomlEntry(config, envTable, `placement = { mode = "smart" }`);
  }
  // A header table right after the top-level keys: it cannot end up inside [env.*] or an array
  // table, and comments above the next table stay with that table.
  const text = config.text;
  const nl = eol(text);
  if (root.bodyEnd === 0) {
    return [{ start: 0, end: 0, newText: `[placement]${nl}mode = "smart"${nl}${nl}` }];
  }
  const at = lineEndOf(text, root.bodyEnd);
  const atEnd = at >= text.length;
  return [{ start: at, end: at, newText: `${nl}${nl}[placement]${nl}mode = "smart"${atEnd ? nl : ""}` }];
}

function jsonEdit(config: ParsedConfig, path: readonly string[], value: unknown): TextEdit[] | undefined {
  // jsonc-parser edits the first of duplicate keys; the last one is the one in effect (as in
  // JSON.parse and Wrangler). Where they differ along the path, an edit would change nothing.
  const tree = parseTree(config.text, [], { allowTrailingComma: true });
  for (let depth = 1; depth <= path.length; depth++) {
    const ours = getEntryAt(config.root, path.slice(0, depth));
    const theirs = tree && findNodeAtLocation(tree, [...path.slice(0, depth)]);
    if (!ours || !theirs) break;
    if (theirs.offset !== ours.value.span.start) return undefined;
  }
  // Removals stay raw (a one-line object stays on one line); insertions follow the file's indentation.
  const options = value === undefined ? {} : { formattingOptions: jsonFormatting(config) };
  return modify(config.text, [...path], value, options).map((edit) => ({
    start: edit.offset,
    end: edit.offset + edit.length,
    newText: edit.content,
  }));
}

/** Indentation and line ends as the document already uses them. */
function jsonFormatting(config: ParsedConfig): FormattingOptions {
  const text = config.text;
  const first = config.root ? [...config.root.entries.values()][0] : undefined;
  let insertSpaces = true;
  let tabSize = 2;
  if (first) {
    const indent = text.slice(lineStartOf(text, first.entrySpan.start), first.entrySpan.start);
    if (indent.startsWith("\t")) insertSpaces = false;
    else if (indent.length > 0 && indent.trim() === "") tabSize = indent.length;
  }
  return { insertSpaces, tabSize, eol: eol(text) };
}

function eol(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== "\n" && text[i - 1] !== "\r") i--;
  return i;
}

/** End of the line holding `offset`, before its line break (a trailing comment stays on the line). */
function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}
