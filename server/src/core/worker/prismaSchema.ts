import { dirname, joinPath, normalizeSegments, type FileSystem } from "../fs";
import type { ImportBinding, ModuleFacts } from "./module";

/**
 * Prisma schemas of a project, read for where their generator writes the client.
 *
 * `generator client { output = "../output" }` makes `prisma generate` write the client into the
 * project, and code imports it by path (`import { PrismaClient } from "../output/edge"`). That
 * folder is build output, most often not committed: read as a missing file, every query on the
 * client would go unseen. When a relative import that is not there lies under the output folder of
 * a schema of the project, it is read as the Prisma package it is a build of (`/edge` the edge
 * build, `/wasm` the Wasm build), as `generatedPrismaModule` does for the conventional folders.
 *
 * The schema is read with a small tokenizer (comments, strings, braces), not searched with patterns:
 * only `generator` and `datasource` blocks' `key = value` lines are kept.
 */

/** One schema's facts: where its client generators write, and its datasource. */
export interface PrismaSchema {
  readonly path: string;
  /** Absolute folders the `prisma-client-js` / `prisma-client` generators write to. */
  readonly outputs: readonly string[];
  /** `datasource db { provider = "postgresql" }`. */
  readonly provider?: string;
  /** `url = env("DATABASE_URL")`: the variable named. */
  readonly urlEnv?: string;
  /** A client generator enables `previewFeatures = ["relationJoins"]`: relations are joined by default. */
  readonly relationJoins?: true;
}

type Token = { kind: "word" | "string" | "punct"; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"') {
      let value = "";
      i++;
      while (i < n && text[i] !== '"' && text[i] !== "\n") {
        if (text[i] === "\\" && i + 1 < n) i++;
        value += text[i];
        i++;
      }
      i++;
      tokens.push({ kind: "string", text: value });
    } else if (isWordChar(c)) {
      const start = i;
      while (i < n && isWordChar(text[i]!)) i++;
      tokens.push({ kind: "word", text: text.slice(start, i) });
    } else {
      tokens.push({ kind: "punct", text: c });
      i++;
    }
  }
  return tokens;
}

function isWordChar(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "-" || c === ".";
}

/** The `key = value` lines of the top-level blocks, by block keyword (`generator`, `datasource`). */
function blocks(tokens: readonly Token[]): Array<{ keyword: string; fields: Map<string, Token[]> }> {
  const out: Array<{ keyword: string; fields: Map<string, Token[]> }> = [];
  let i = 0;
  while (i < tokens.length) {
    const keyword = tokens[i]!;
    // `keyword name {`: find the brace; anything else at top level is skipped.
    let open = i + 1;
    while (open < tokens.length && open < i + 3 && tokens[open]!.text !== "{") open++;
    if (keyword.kind !== "word" || tokens[open]?.text !== "{") {
      i++;
      continue;
    }
    const fields = new Map<string, Token[]>();
    let depth = 1;
    let j = open + 1;
    while (j < tokens.length && depth > 0) {
      const token = tokens[j]!;
      if (token.text === "{") depth++;
      else if (token.text === "}") depth--;
      else if (depth === 1 && token.kind === "word" && tokens[j + 1]?.text === "=") {
        // The value runs to the next field (`word =`) or the closing brace, parentheses balanced.
        const value: Token[] = [];
        let k = j + 2;
        let parens = 0;
        while (k < tokens.length) {
          const t = tokens[k]!;
          if (parens === 0 && (t.text === "}" || (t.kind === "word" && tokens[k + 1]?.text === "=" && value.length > 0))) break;
          if (t.text === "(" || t.text === "[") parens++;
          if (t.text === ")" || t.text === "]") parens--;
          value.push(t);
          k++;
        }
        if (!fields.has(token.text)) fields.set(token.text, value);
        j = k;
        continue;
      }
      j++;
    }
    out.push({ keyword: keyword.text, fields });
    i = j;
  }
  return out;
}

const CLIENT_GENERATORS = new Set(["prisma-client-js", "prisma-client"]);

/** Reads one schema file's generator outputs and datasource. */
export function parsePrismaSchema(path: string, text: string): PrismaSchema {
  const outputs: string[] = [];
  let provider: string | undefined;
  let urlEnv: string | undefined;
  let relationJoins = false;
  for (const block of blocks(tokenize(text))) {
    const single = (key: string): Token[] | undefined => block.fields.get(key);
    if (block.keyword === "generator") {
      const generator = single("provider");
      const output = single("output");
      if (generator?.[0]?.kind !== "string" || !CLIENT_GENERATORS.has(generator[0].text)) continue;
      if (single("previewFeatures")?.some((t) => t.kind === "string" && t.text === "relationJoins")) relationJoins = true;
      if (output?.length === 1 && output[0]!.kind === "string") outputs.push(normalizeSegments(joinPath(dirname(path), output[0]!.text)));
    } else if (block.keyword === "datasource") {
      const p = single("provider");
      if (p?.[0]?.kind === "string") provider = p[0].text;
      const url = single("url");
      // `url = env("DATABASE_URL")`
      if (url && url[0]?.text === "env" && url[1]?.text === "(" && url[2]?.kind === "string") urlEnv = url[2].text;
    }
  }
  return {
    path,
    outputs,
    ...(provider ? { provider } : {}),
    ...(urlEnv ? { urlEnv } : {}),
    ...(relationJoins ? { relationJoins: true as const } : {}),
  };
}

/** Where a schema usually sits relative to a folder: beside it, in `prisma/`, or split in `prisma/schema/`. */
function schemaFilesIn(fs: FileSystem, dir: string): string[] {
  const files: string[] = [];
  for (const candidate of [joinPath(dir, "schema.prisma"), joinPath(dir, "prisma", "schema.prisma")])
    if (fs.stat(candidate) === "file") files.push(candidate);
  const folder = joinPath(dir, "prisma", "schema");
  if (fs.stat(folder) === "directory")
    for (const name of fs.readDirectory(folder) ?? []) if (name.endsWith(".prisma")) files.push(joinPath(folder, name));
  return files;
}

/** How many folders above a missing import's target are looked at for a schema. */
const MAX_LEVELS = 6;

/** Schemas found, by folder, for one loader (one analysis). */
export class PrismaSchemas {
  private readonly byDir = new Map<string, readonly PrismaSchema[]>();

  constructor(private readonly fs: FileSystem) {}

  private schemasIn(dir: string): readonly PrismaSchema[] {
    let found = this.byDir.get(dir);
    if (!found) {
      found = schemaFilesIn(this.fs, dir).flatMap((file) => {
        const text = this.fs.readFile(file);
        return text === undefined ? [] : [parsePrismaSchema(file, text)];
      });
      this.byDir.set(dir, found);
    }
    return found;
  }

  /** The schemas of the nearest folder at or above `fromFile`'s that has one (`schema.prisma`, `prisma/`). */
  nearest(fromFile: string): readonly PrismaSchema[] {
    let dir = dirname(fromFile);
    for (let level = 0; level < MAX_LEVELS; level++) {
      const found = this.schemasIn(dir);
      if (found.length > 0) return found;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return [];
  }

  /**
   * The Prisma package a relative import stands for (`"../output/edge"` from a file whose folder's
   * schema writes to `../output`), when its target is under a schema's generator output; with the
   * schema that says so.
   */
  generatedModule(specifier: string, fromFile: string): { module: string; schema: PrismaSchema } | undefined {
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
    const target = normalizeSegments(joinPath(dirname(fromFile), specifier));
    let dir = dirname(target);
    for (let level = 0; level < MAX_LEVELS; level++) {
      for (const schema of this.schemasIn(dir))
        for (const output of schema.outputs) {
          if (target !== output && !target.startsWith(output + "/")) continue;
          const rest = target
            .slice(output.length)
            .split("/")
            .filter((s) => s !== "")
            .map((s) => s.replace(/\.(?:[cm]?js|[cm]?ts|d\.ts)$/, ""));
          // `output/edge`, `output/wasm`: those builds; the folder itself, `client`, `index`, `default`: the client.
          const last = rest[rest.length - 1];
          const build = last === "edge" || last === "wasm" ? "/" + last : "";
          if (rest.length > 1 || (rest.length === 1 && !build && !["client", "index", "default"].includes(last!))) continue;
          return { module: "@prisma/client" + build, schema };
        }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  }
}

/**
 * Rewrites, in a module's facts, the relative imports that are not there but lie under a Prisma
 * schema's generator output (see PrismaSchemas.generatedModule) to the Prisma package they stand
 * for. The rewrite is kept with the cached facts: what a file imports changes only with its text.
 */
export function readGeneratedPrismaImports(
  facts: ModuleFacts,
  schemas: PrismaSchemas,
  resolve: (specifier: string) => string | undefined,
): void {
  const imports = facts.imports as Map<string, ImportBinding>;
  for (const [local, binding] of imports) {
    if (!binding.module.startsWith("./") && !binding.module.startsWith("../")) continue;
    if (resolve(binding.module) !== undefined) continue;
    const generated = schemas.generatedModule(binding.module, facts.path);
    if (generated) imports.set(local, { module: generated.module, name: binding.name });
  }
}
