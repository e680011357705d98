import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import {
  ConfigLimitError,
  MAX_TREE_DEPTH,
  overLimit,
  TOO_DEEP,
  TOO_DEEP_OR_LONG,
  withoutBom,
  type ConfigFormat,
  type ConfigNode,
  type ParsedConfig,
  type TableNode,
} from "./tree";

/**
 * Parses wrangler.json / wrangler.jsonc into the shared value tree. Wrangler reads both with a
 * JSON-with-comments parser that accepts trailing commas, so both formats are parsed alike.
 * Never throws: a parse failure becomes `syntaxError`.
 */
export function parseJsonConfig(text: string, format: Extract<ConfigFormat, "json" | "jsonc">): ParsedConfig {
  const errors: ParseError[] = [];
  let tree: JsonNode | undefined;
  try {
    tree = parseTree(withoutBom(text), errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  } catch (error) {
    if (error instanceof RangeError) return overLimit(format, text, TOO_DEEP_OR_LONG);
    const message = String(error);
    return { format, text, root: undefined, syntaxError: { message: `JSON syntax error: ${message}`, span: { start: 0, end: 0 } } };
  }
  const first = errors[0];
  if (first) {
    const start = Math.min(first.offset, text.length);
    const end = Math.min(text.length, start + Math.max(first.length, start < text.length ? 1 : 0));
    return {
      format,
      text,
      root: undefined,
      syntaxError: { message: `JSON syntax error: ${describeJsonError(first)}`, span: { start, end } },
    };
  }
  if (!tree || tree.type !== "object") {
    const span = tree ? { start: tree.offset, end: tree.offset + tree.length } : { start: 0, end: 0 };
    return { format, text, root: undefined, syntaxError: { message: "The top level of a Wrangler config must be an object.", span } };
  }
  let converted: ConfigNode;
  try {
    converted = convert(tree, 0);
  } catch (error) {
    if (error instanceof ConfigLimitError) return overLimit(format, text, error.message);
    throw error;
  }
  if (converted.kind !== "table") throw new Error("unreachable: object converts to a table");
  return { format, text, root: { ...converted, style: "root" }, syntaxError: undefined };
}

function describeJsonError(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  // "PropertyNameExpected" -> "property name expected"
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function convert(node: JsonNode, depth: number): ConfigNode {
  const span = { start: node.offset, end: node.offset + node.length };
  // As in TOML: nesting the model does not follow is reported, never silently cut.
  if (depth > MAX_TREE_DEPTH) throw new ConfigLimitError(TOO_DEEP);
  switch (node.type) {
    case "object": {
      const table: TableNode = { kind: "table", style: "object", span, entries: new Map(), bodyEnd: span.end - 1 };
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        const key = String(keyNode.value);
        // Duplicate keys: the last one wins, as in JSON.parse.
        table.entries.set(key, {
          key,
          keySpan: { start: keyNode.offset, end: keyNode.offset + keyNode.length },
          entrySpan: { start: property.offset, end: property.offset + property.length },
          value: convert(valueNode, depth + 1),
        });
      }
      return table;
    }
    case "array":
      return { kind: "array", span, items: (node.children ?? []).map((child) => convert(child, depth + 1)) };
    case "string":
      return { kind: "string", span, value: node.value as string };
    case "number":
      return { kind: "number", span, value: node.value as number };
    case "boolean":
      return { kind: "boolean", span, value: node.value as boolean };
    default:
      return { kind: "null", span, value: null };
  }
}
