import { createScanner, parseTree, SyntaxKind as JsonSyntax, type ParseError } from "jsonc-parser";
import { parseTOML } from "toml-eslint-parser";
import { getEntry, type ParsedConfig, type TableNode } from "./tree";

/**
 * Vars the config disables: a `KEY = "value"` line commented out inside a `[vars]` table (or a
 * `"KEY": "value"` in a JSON config's `vars`), of a name no environment's vars set. Such a line is
 * a value the author switched off (a local override, `LOCAL_ICONS_BASE_URL = "http://localhost..."`),
 * so a deploy does not have it and `if (env.KEY)` takes its other branch. A name the config merely
 * never mentions is not one: it may be a secret put with `wrangler secret put`.
 * The comment's text is read with the config's own parser (TOML, or JSONC inside `{ }`).
 */
export function disabledVarsOf(parsed: ParsedConfig): readonly string[] {
  const root = parsed.root;
  if (!root) return [];
  const tables = varsTables(root);
  if (tables.length === 0) return [];
  const set = new Set<string>();
  for (const vars of tables) for (const name of vars.entries.keys()) set.add(name);
  const commented = new Set<string>();
  const regions = tables.map((vars) => ({ start: vars.span.start, end: vars.sectionEnd ?? vars.span.end }));
  const inRegion = (offset: number) => regions.some((r) => offset >= r.start && offset < r.end);
  if (parsed.format === "toml") {
    for (const comment of parsed.comments ?? [])
      if (inRegion(comment.span.start)) for (const name of tomlKeys(comment.text)) commented.add(name);
  } else {
    for (const region of regions)
      for (const text of jsonComments(parsed.text, region)) for (const name of jsonKeys(text)) commented.add(name);
  }
  return [...commented].filter((name) => !set.has(name)).sort();
}

/** The `vars` tables of the top level and of every `[env.NAME]`. */
function varsTables(root: TableNode): TableNode[] {
  const tables: TableNode[] = [];
  const add = (table: TableNode | undefined) => {
    const vars = table ? getEntry(table, "vars")?.value : undefined;
    if (vars?.kind === "table") tables.push(vars);
  };
  add(root);
  const envs = getEntry(root, "env")?.value;
  if (envs?.kind === "table") for (const entry of envs.entries.values()) if (entry.value.kind === "table") add(entry.value);
  return tables;
}

/** The key of a comment that is one TOML `key = value` line (`# LOCAL_URL = "http://localhost:4173"`). */
function tomlKeys(text: string): string[] {
  try {
    const body = parseTOML(text.trim(), { tomlVersion: "1.0" }).body[0]?.body ?? [];
    const item = body[0];
    if (body.length !== 1 || item?.type !== "TOMLKeyValue" || item.key.keys.length !== 1) return [];
    const part = item.key.keys[0]!;
    return [part.type === "TOMLBare" ? part.name : part.value];
  } catch {
    return [];
  }
}

/** The texts of the comments inside a JSON config's span, without `//` or the `/* *\/` around them. */
function jsonComments(text: string, region: { start: number; end: number }): string[] {
  const scanner = createScanner(text, false);
  scanner.setPosition(region.start);
  const comments: string[] = [];
  for (let token = scanner.scan(); token !== JsonSyntax.EOF && scanner.getTokenOffset() < region.end; token = scanner.scan()) {
    // (The token's own text: the scanner's value of a comment token is not only the comment.)
    const value = text.slice(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength());
    if (token === JsonSyntax.LineCommentTrivia && value.startsWith("//")) comments.push(value.slice(2));
    else if (token === JsonSyntax.BlockCommentTrivia && value.startsWith("/*"))
      comments.push(value.slice(2, value.endsWith("*/") ? -2 : undefined));
  }
  return comments;
}

/** The keys of a comment that is JSON properties (`// "LOCAL_URL": "http://localhost:4173",`). */
function jsonKeys(text: string): string[] {
  const errors: ParseError[] = [];
  const tree = parseTree(`{${text}}`, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || tree?.type !== "object") return [];
  return (tree.children ?? []).flatMap((property) => {
    const key = property.children?.[0];
    return property.children?.length === 2 && typeof key?.value === "string" ? [key.value] : [];
  });
}
