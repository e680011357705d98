import { setOwn } from "../strings";
import type { Span } from "../text";

/**
 * One value tree for every config format, with source ranges. TOML and JSON(C) parsers build it;
 * the Wrangler model, the rules and the fixes read only this.
 */
export type ConfigNode = TableNode | ArrayNode | ScalarNode;

export interface ConfigEntry {
  readonly key: string;
  /** The key as written (for dotted TOML keys and headers: the last segment). */
  readonly keySpan: Span;
  /** `key = value` / `"key": value`; for a TOML header table, the header and its body. */
  readonly entrySpan: Span;
  readonly value: ConfigNode;
}

export type TableStyle =
  /** The document itself. */
  | "root"
  /** TOML `[a.b]` or `[[a.b]]` element. */
  | "header"
  /** TOML `{ ... }`. */
  | "inline"
  /** TOML table created by a dotted key (`a.b = 1`) or a header path (`[a.b.c]` creates `a` and `b`). */
  | "implicit"
  /** JSON object. */
  | "object";

export interface TableNode {
  readonly kind: "table";
  readonly style: TableStyle;
  /** The value; for a header table, the header line; for an implicit table, the key segment. */
  readonly span: Span;
  readonly entries: Map<string, ConfigEntry>;
  /** Where a new `key = value` line would go (TOML root/header tables): after the last entry. */
  bodyEnd: number;
  /** TOML header tables: where the section ends (the next header, or the end of the file). */
  sectionEnd?: number;
}

export interface ArrayNode {
  readonly kind: "array";
  readonly span: Span;
  readonly items: ConfigNode[];
}

export type ScalarKind = "string" | "number" | "boolean" | "datetime" | "null";

export interface ScalarNode {
  readonly kind: ScalarKind;
  readonly span: Span;
  readonly value: string | number | boolean | null;
}

export type ConfigFormat = "toml" | "json" | "jsonc";

export interface ParsedConfig {
  readonly format: ConfigFormat;
  readonly text: string;
  /** Undefined when the file does not parse (or its top level is not a table). */
  readonly root: TableNode | undefined;
  readonly syntaxError: { readonly message: string; readonly span: Span } | undefined;
  /** TOML: the comments the parser found, each without its `#` (JSON's are read where needed: disabledVars.ts). */
  readonly comments?: ReadonlyArray<{ readonly span: Span; readonly text: string }>;
  /**
   * Set when the file was not analysed because it is over a limit of the analyser (size, depth,
   * a string too long for the parser): Wrangler may well accept it, so it is no syntax error.
   */
  readonly limit?: { readonly message: string; readonly span: Span };
}

/** Nesting beyond this is not modelled (Wrangler configs are shallow; this bounds recursion). */
export const MAX_TREE_DEPTH = 64;

/** Configs longer than this (in UTF-16 code units, about bytes) are not analysed. Real ones are a few KB. */
export const MAX_CONFIG_CHARS = 1024 * 1024;

/** Thrown while building the tree when the file is over a limit; becomes `ParsedConfig.limit`. */
export class ConfigLimitError extends Error {}

export const TOO_DEEP = `it is nested more than ${MAX_TREE_DEPTH} levels deep`;
export const TOO_DEEP_OR_LONG = "it is nested too deeply, or holds a string too long, for the parser";

/** A parse result for a file over a limit. */
export function overLimit(format: ConfigFormat, text: string, message: string): ParsedConfig {
  return { format, text, root: undefined, syntaxError: undefined, limit: { message, span: { start: 0, end: 0 } } };
}

/**
 * The text with a leading byte order mark turned into a space: Wrangler strips it, and a space
 * keeps every offset where it was.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? " " + text.slice(1) : text;
}

export function getEntry(node: ConfigNode | undefined, key: string): ConfigEntry | undefined {
  return node?.kind === "table" ? node.entries.get(key) : undefined;
}

/** Follows `path` through tables; undefined when any step is missing or not a table. */
export function getEntryAt(root: TableNode | undefined, path: readonly string[]): ConfigEntry | undefined {
  let node: ConfigNode | undefined = root;
  let entry: ConfigEntry | undefined;
  for (const key of path) {
    entry = getEntry(node, key);
    if (!entry) return undefined;
    node = entry.value;
  }
  return entry;
}

export function stringValue(node: ConfigNode | undefined): string | undefined {
  return node?.kind === "string" ? (node.value as string) : undefined;
}

/** The plain JavaScript value of a node (what Wrangler's validator sees). */
export function toPlainValue(node: ConfigNode, depth = 0): unknown {
  if (depth > MAX_TREE_DEPTH) return undefined;
  switch (node.kind) {
    case "table": {
      const result: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) setOwn(result, key, toPlainValue(entry.value, depth + 1));
      return result;
    }
    case "array":
      return node.items.map((item) => toPlainValue(item, depth + 1));
    default:
      return node.value;
  }
}

/** A short human description of a value's type, for messages ("a string", "a number", "an array"). */
export function describeKind(node: ConfigNode): string {
  switch (node.kind) {
    case "table":
      return "a table";
    case "array":
      return "an array";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "datetime":
      return "a date";
    case "null":
      return "null";
  }
}
