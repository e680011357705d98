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
  const comments = ast.comments.map((comment) => ({ span: span(comment), text: comment.value }));
  return { format: "toml", text, root, syntaxError: undefined, ...(comments.length > 0 ? { comments } : {}) };
}

/**
 * The parser notices some mistakes only at the next token, which for these sits on a later line
 * (an unclosed `[placement` is noticed at the key below it): the mistake is on the line before.
 */
const NOTICED_ON_NEXT_LINE = new Set([
  "Unterminated table-key",
  "The key, equals sign, and value must be on the same line",
  "No newlines are allowed between the curly braces unless they are valid within a value",
  "Unspecified values are invalid",
  "Unterminated inline table",
  "Expected equal (=) token",
]);

/** The parser's messages (toml-eslint-parser's wording) in plain words. */
const PLAIN_MESSAGES: Readonly<Record<string, string>> = {
  "Unterminated string constant":
    "this string is not closed: add the closing quote on the same line (a string over several lines needs triple quotes).",
  "Unterminated array": 'this array is not closed: add "]" after its last value.',
  "Unterminated inline table": 'this inline table is not closed: add "}" on the same line.',
  "Empty bare keys are not allowed": "a key is missing here.",
  "Must be a newline": "only one key = value per line: start a new line here.",
  "Expected equal (=) token": 'expected "=" and a value after this key.',
  "Unspecified values are invalid": 'a value is missing (after "=", or after "," in an array that is not closed).',
  "Expected comma (,) token": 'expected "," between the values.',
  "Defining a key multiple times is invalid": "this key or table is defined twice; TOML allows each only once.",
  "Unexpected character": "unexpected character here.",
  "Unexpected token": "unexpected text here.",
  "The key, equals sign, and value must be on the same line": 'a key, its "=" and its value must be on one line.',
  "No newlines are allowed between the curly braces unless they are valid within a value":
    'an inline table ({ ... }) must be on one line: close it with "}" before the line ends.',
  "Trailing comma is not permitted in an inline table": 'remove the "," before "}": inline tables allow no trailing comma.',
  "Leading zeros are not allowed": "numbers cannot start with 0 (quote the value if it is a string).",
};

function tomlSyntaxError(text: string, error: unknown): { message: string; span: Span } {
  const index = typeof (error as { index?: unknown }).index === "number" ? (error as { index: number }).index : 0;
  const parserMessage = errorMessage(error);
  let start = Math.max(0, Math.min(index, text.length));
  const lineStart = startOfLine(text, start);
  const atLineStart = text.slice(lineStart, start).trim() === "";
  if (atLineStart && !NOTICED_ON_NEXT_LINE.has(parserMessage) && lineStart > 0) {
    // `main =` followed by a line with a key: the parser reads that key as the missing value and
    // finds it unexpected. Whether the text before this line is already unfinished tells.
    const before = unfinishedAtEnd(text.slice(0, lineStart));
    if (before) return tomlSyntaxError(text.slice(0, lineStart), before);
  }
  const late = NOTICED_ON_NEXT_LINE.has(parserMessage) && atLineStart;
  const previous = late ? previousContentLine(text, lineStart) : undefined;
  if (previous) {
    // Underline the line the mistake is on, without its indentation or trailing blanks.
    const line = text.slice(previous.start, previous.end);
    const from = previous.start + (line.length - line.trimStart().length);
    const to = previous.start + line.trimEnd().length;
    const header = parserMessage === "Unterminated table-key" || (text[from] === "[" && parserMessage.startsWith("The key, equals sign"));
    const message = header
      ? `TOML syntax error: the table header ${JSON.stringify(text.slice(from, to))} is not closed: end it with "]" on the same line.`
      : `TOML syntax error: ${PLAIN_MESSAGES[parserMessage] ?? parserMessage}`;
    return { message, span: { start: from, end: Math.max(to, from + 1) } };
  }
  // Underline the rest of the offending line (at least one character) so the squiggle is visible.
  let end = start;
  while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
  if (end === start && start < text.length) end = start + 1;
  if (end === start && start > 0) start--;
  const plain =
    parserMessage === "Unterminated table-key" ? 'a table header must end with "]" on the same line.' : PLAIN_MESSAGES[parserMessage];
  return { message: `TOML syntax error: ${plain ?? parserMessage}`, span: { start, end } };
}

/** The parse error of `prefix` when it is one noticed only after the end of the text (something left open). */
function unfinishedAtEnd(prefix: string): unknown {
  try {
    parseTOML(prefix, { tomlVersion: "1.0" });
    return undefined;
  } catch (error) {
    const index = (error as { index?: unknown }).index;
    if (!NOTICED_ON_NEXT_LINE.has(errorMessage(error)) || typeof index !== "number") return undefined;
    return prefix.slice(index).trim() === "" ? error : undefined;
  }
}

function startOfLine(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && text[at - 1] !== "\n" && text[at - 1] !== "\r") at--;
  return at;
}

/**
 * The nearest line before `lineStart` with something on it other than blanks or a whole-line
 * comment (which the parser skips between tokens), as [start, end) without its line break.
 */
function previousContentLine(text: string, lineStart: number): { start: number; end: number } | undefined {
  let end = lineStart;
  while (end > 0) {
    // Step over the line break ("\n", "\r\n" or "\r") that ends the previous line.
    end--;
    if (text[end] === "\n" && end > 0 && text[end - 1] === "\r") end--;
    const start = startOfLine(text, end);
    const content = text.slice(start, end).trim();
    if (content !== "" && !content.startsWith("#")) return { start, end };
    end = start;
  }
  return undefined;
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
