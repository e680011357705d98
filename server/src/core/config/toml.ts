import { parseTOML } from "toml-eslint-parser";
import type { AST } from "toml-eslint-parser";
import type { Span } from "../text";
import {
  ConfigLimitError,
  MAX_TREE_DEPTH,
  overLimit,
  TOO_DEEP,
  TOO_DEEP_OR_LONG,
  withoutBom,
  type ArrayNode,
  type ConfigNode,
  type ParsedConfig,
  type TableNode,
} from "./tree";

type KeyPart = AST.TOMLBare | AST.TOMLQuoted;

/** Parses TOML into the shared value tree. Never throws: a parse failure becomes `syntaxError`. */
export function parseTomlConfig(text: string): ParsedConfig {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(withoutBom(text), { tomlVersion: "1.0" });
  } catch (error) {
    // The parser recurses per nesting level and spreads a string's characters into one call:
    // either can exhaust the stack on a file Wrangler accepts.
    if (error instanceof RangeError) return overLimit("toml", text, TOO_DEEP_OR_LONG);
    return { format: "toml", text, root: undefined, syntaxError: tomlSyntaxError(text, error) };
  }
  const root: TableNode = { kind: "table", style: "root", span: { start: 0, end: text.length }, entries: new Map(), bodyEnd: 0 };
  const top = ast.body[0];
  if (!top) return { format: "toml", text, root, syntaxError: undefined };
  try {
    let previousHeader: TableNode | undefined;
    for (const item of top.body) {
      if (item.type === "TOMLKeyValue") {
        addKeyValue(root, item, 0);
        root.bodyEnd = item.range[1];
      } else {
        if (previousHeader) previousHeader.sectionEnd = item.range[0];
        previousHeader = addHeaderTable(root, item);
      }
    }
    if (previousHeader) previousHeader.sectionEnd = text.length;
  } catch (error) {
    if (error instanceof ConfigLimitError) return overLimit("toml", text, error.message);
    // The parser accepted the text but it cannot be modelled (a conflict the parser let through):
    // report it like a syntax error.
    return { format: "toml", text, root: undefined, syntaxError: { message: errorMessage(error), span: { start: 0, end: 0 } } };
  }
  return { format: "toml", text, root, syntaxError: undefined };
}

function tomlSyntaxError(text: string, error: unknown): { message: string; span: Span } {
  const index = typeof (error as { index?: unknown }).index === "number" ? (error as { index: number }).index : 0;
  const start = Math.max(0, Math.min(index, text.length));
  // Underline the rest of the offending line (at least one character) so the squiggle is visible.
  let end = start;
  while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
  if (end === start && start < text.length) end = start + 1;
  return { message: `TOML syntax error: ${errorMessage(error)}`, span: { start, end } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function keyName(part: KeyPart): string {
  return part.type === "TOMLBare" ? part.name : part.value;
}

function span(node: { range: [number, number] }): Span {
  return { start: node.range[0], end: node.range[1] };
}

/** Walks (creating) implicit tables along `parts`, returning the table that owns the last part. */
function descend(table: TableNode, parts: readonly KeyPart[], depth: number): TableNode {
  let current = table;
  for (const part of parts) {
    if (depth + 1 > MAX_TREE_DEPTH) throw new ConfigLimitError(TOO_DEEP);
    const name = keyName(part);
    const existing = current.entries.get(name);
    if (existing) {
      const value = existing.value;
      if (value.kind === "table") current = value;
      else if (value.kind === "array" && value.items.at(-1)?.kind === "table") current = value.items.at(-1) as TableNode;
      else throw new Error(`Key "${name}" is already defined as a value.`);
    } else {
      const created: TableNode = { kind: "table", style: "implicit", span: span(part), entries: new Map(), bodyEnd: part.range[1] };
      current.entries.set(name, { key: name, keySpan: span(part), entrySpan: span(part), value: created });
      current = created;
    }
    depth++;
  }
  return current;
}

function addKeyValue(table: TableNode, kv: AST.TOMLKeyValue, depth: number): void {
  const parts = kv.key.keys;
  const owner = descend(table, parts.slice(0, -1), depth);
  const last = parts[parts.length - 1]!;
  const name = keyName(last);
  owner.entries.set(name, {
    key: name,
    keySpan: span(last),
    entrySpan: span(kv),
    value: convertValue(kv.value, depth + parts.length),
  });
}

function addHeaderTable(root: TableNode, table: AST.TOMLTable): TableNode {
  const parts = table.key.keys;
  const parent = descend(root, parts.slice(0, -1), 0);
  const last = parts[parts.length - 1]!;
  const name = keyName(last);
  const bodyEnd = table.body.length > 0 ? table.body[table.body.length - 1]!.range[1] : table.key.range[1] + 1;
  const headerEnd = Math.min(bodyEnd, headerCloseOffset(table));
  const node: TableNode = {
    kind: "table",
    style: "header",
    span: { start: table.range[0], end: headerEnd },
    entries: new Map(),
    bodyEnd,
  };
  for (const kv of table.body) addKeyValue(node, kv, parts.length);
  if (table.kind === "array") {
    const existing = parent.entries.get(name);
    if (existing?.value.kind === "array") {
      existing.value.items.push(node);
      return node;
    }
    const array: ArrayNode = { kind: "array", span: span(last), items: [node] };
    parent.entries.set(name, { key: name, keySpan: span(last), entrySpan: span(table), value: array });
    return node;
  }
  const existing = parent.entries.get(name);
  if (existing?.value.kind === "table" && existing.value.style === "implicit") {
    // `[a.b]` after `[a.b.c]` defines the table that was implied before: keep what it holds.
    for (const [key, entry] of existing.value.entries) node.entries.set(key, entry);
  }
  parent.entries.set(name, { key: name, keySpan: span(last), entrySpan: span(table), value: node });
  return node;
}

/** End of the `[...]` / `[[...]]` header: the key's end plus the closing bracket(s). */
function headerCloseOffset(table: AST.TOMLTable): number {
  return table.key.range[1] + (table.kind === "array" ? 2 : 1);
}

function convertValue(value: AST.TOMLContentNode, depth: number): ConfigNode {
  if (depth > MAX_TREE_DEPTH) throw new ConfigLimitError(TOO_DEEP);
  switch (value.type) {
    case "TOMLArray":
      return { kind: "array", span: span(value), items: value.elements.map((element) => convertValue(element, depth + 1)) };
    case "TOMLInlineTable": {
      const node: TableNode = { kind: "table", style: "inline", span: span(value), entries: new Map(), bodyEnd: value.range[1] - 1 };
      // Its entries sit one level below it, as a JSON object's do: addKeyValue adds that level.
      for (const kv of value.body) addKeyValue(node, kv, depth);
      return node;
    }
    case "TOMLValue":
      switch (value.kind) {
        case "string":
          return { kind: "string", span: span(value), value: value.value };
        case "integer":
        case "float":
          return { kind: "number", span: span(value), value: Number(value.value) };
        case "boolean":
          return { kind: "boolean", span: span(value), value: value.value };
        default:
          return { kind: "datetime", span: span(value), value: value.datetime ?? String(value.value) };
      }
  }
}
