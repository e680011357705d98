import { parser } from "@lezer/python";
import type { SyntaxNode } from "@lezer/common";

/** A parsed Python module: its text, its tree's top node and the places its text does not parse. */
export interface PythonSource {
  readonly path: string;
  readonly text: string;
  readonly top: SyntaxNode;
  /** Offsets of the parser's error nodes (it recovers and goes on, so the rest of the tree is usable). */
  readonly errors: readonly number[];
}

/** Files past this size are not parsed (as the TypeScript side's module limit, a huge file is not a Worker's own code). */
const MAX_SOURCE_CHARS = 2_000_000;

export function parsePython(path: string, text: string): PythonSource | undefined {
  if (text.length > MAX_SOURCE_CHARS) return undefined;
  const tree = parser.parse(text);
  const errors: number[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return { path, text, top: tree.topNode, errors };
}

/** The node's children, punctuation and keywords included, in order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

export function textOf(source: PythonSource, node: SyntaxNode): string {
  return source.text.slice(node.from, node.to);
}

/** 1-based line of an offset. */
export function lineOf(source: PythonSource, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.text.length; i++) if (source.text.charCodeAt(i) === 10) line++;
  return line;
}

/** An expression's text for messages, cut short. */
export function shortText(source: PythonSource, node: SyntaxNode): string {
  const text = textOf(source, node).replace(/\s+/g, " ");
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

/** Nodes that are punctuation or keywords, not operands. */
const PUNCTUATION = new Set(["(", ")", "[", "]", "{", "}", ",", ":", ".", "=", "AssignOp", "Comment"]);

/** The children that are expressions or statements (no brackets, commas, keywords). */
export function operandsOf(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((c) => !PUNCTUATION.has(c.name) && !isKeyword(c));
}

/** Keyword tokens are named after their text in this grammar (`await`, `async`, `if`, `for`, `in`). */
export function isKeyword(node: SyntaxNode): boolean {
  return /^[a-z]+$/.test(node.name) && node.firstChild === null;
}

/**
 * The value of a string literal (`"a"`, `'b'`, `"""c"""`, `r"d"`), or undefined for one whose
 * value is not its text (escapes, bytes). Adjacent literals (`"a" "b"`) are one ContinuedString.
 */
export function stringLiteral(source: PythonSource, node: SyntaxNode): string | undefined {
  if (node.name === "ContinuedString") {
    let out = "";
    for (const part of childrenOf(node)) {
      const value = part.name === "String" ? stringLiteral(source, part) : undefined;
      if (value === undefined) return undefined;
      out += value;
    }
    return out;
  }
  if (node.name !== "String") return undefined;
  const raw = textOf(source, node);
  const quoteAt = raw.search(/['"]/);
  if (quoteAt === -1) return undefined;
  const prefix = raw.slice(0, quoteAt).toLowerCase();
  if (prefix.includes("b")) return undefined;
  const quote = raw.startsWith(raw[quoteAt]!.repeat(3), quoteAt) ? raw[quoteAt]!.repeat(3) : raw[quoteAt]!;
  if (raw.length < quoteAt + quote.length * 2) return undefined;
  const body = raw.slice(quoteAt + quote.length, raw.length - quote.length);
  if (!prefix.includes("r") && body.includes("\\")) return undefined;
  return body;
}

/**
 * The parts of an f-string in order: literal text, and the expression nodes of its replacement
 * fields (`f"https://{host}/x"` is "https://", host, "/x"). Undefined when it is not one.
 */
export function formatStringParts(source: PythonSource, node: SyntaxNode): Array<string | SyntaxNode> | undefined {
  if (node.name !== "FormatString") return undefined;
  const raw = textOf(source, node);
  const quoteAt = raw.search(/['"]/);
  if (quoteAt === -1) return undefined;
  const prefix = raw.slice(0, quoteAt).toLowerCase();
  const quote = raw.startsWith(raw[quoteAt]!.repeat(3), quoteAt) ? raw[quoteAt]!.repeat(3) : raw[quoteAt]!;
  const start = node.from + quoteAt + quote.length;
  const end = node.to - quote.length;
  if (end < start) return undefined;
  const parts: Array<string | SyntaxNode> = [];
  let at = start;
  const literal = (from: number, to: number): string | undefined => {
    const text = source.text.slice(from, to).replace(/\{\{/g, "{").replace(/\}\}/g, "}");
    return !prefix.includes("r") && text.includes("\\") ? undefined : text;
  };
  for (const child of childrenOf(node)) {
    if (child.name !== "FormatReplacement") continue;
    const text = literal(at, child.from);
    if (text === undefined) return undefined;
    if (text) parts.push(text);
    const inner = operandsOf(child).find((c) => c.name !== "FormatConversion" && c.name !== "FormatSpec");
    if (!inner) return undefined;
    parts.push(inner);
    at = child.to;
  }
  const rest = literal(at, end);
  if (rest === undefined) return undefined;
  if (rest) parts.push(rest);
  return parts;
}

/** The dotted name of `a.b.c` (VariableName and MemberExpression only), or undefined. */
export function dottedName(source: PythonSource, node: SyntaxNode): string | undefined {
  if (node.name === "VariableName") return textOf(source, node);
  if (node.name !== "MemberExpression") return undefined;
  const [object, , property] = childrenOf(node);
  if (!object || property?.name !== "PropertyName") return undefined;
  const left = dottedName(source, object);
  return left === undefined ? undefined : `${left}.${textOf(source, property)}`;
}
