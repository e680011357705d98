import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from "vscode-textmate";

const ROOT = path.resolve(__dirname, "../..");
let grammar: IGrammar;

/** Tokenizes `text` line by line (state carried across lines): [token text, innermost scope, all scopes]. */
function tokens(text: string): Array<{ text: string; scope: string; scopes: string[] }> {
  const result: Array<{ text: string; scope: string; scopes: string[] }> = [];
  let state = INITIAL;
  for (const line of text.split("\n")) {
    const tokenized = grammar.tokenizeLine(line, state);
    for (const token of tokenized.tokens) {
      const piece = line.slice(token.startIndex, token.endIndex);
      if (piece.trim() !== "") result.push({ text: piece, scope: token.scopes[token.scopes.length - 1]!, scopes: token.scopes });
    }
    state = tokenized.ruleStack;
  }
  return result;
}

function scopeOf(text: string, piece: string, nth = 0): string {
  const found = tokens(text).filter((t) => t.text.trim() === piece)[nth];
  assert.ok(found, `no token "${piece}" in ${JSON.stringify(tokens(text).map((t) => t.text))}`);
  return found.scope;
}

describe("TOML grammar", () => {
  before(async () => {
    const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
    await oniguruma.loadWASM(wasm);
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (s) => new oniguruma.OnigScanner(s),
        createOnigString: (s) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async () =>
        parseRawGrammar(readFileSync(path.join(ROOT, "syntaxes/toml.tmLanguage.json"), "utf8"), "toml.tmLanguage.json"),
    });
    grammar = (await registry.loadGrammar("source.toml"))!;
  });

  const WRANGLER = `# Worker config
name = "api"
compatibility_date = 2025-01-01
workers_dev = true
limits.cpu_ms = 50

[placement]
mode = "smart" # why

[[d1_databases]]
binding = 'DB'

[env."staging 2".vars]
API = "https://x#not-a-comment"
`;

  it("distinguishes table headers, array tables, keys, strings, dates, booleans, numbers, comments", () => {
    assert.equal(scopeOf(WRANGLER, "placement"), "entity.name.section.table.toml");
    assert.equal(scopeOf(WRANGLER, "d1_databases"), "entity.name.section.array-table.toml");
    assert.equal(scopeOf(WRANGLER, "[["), "punctuation.definition.array-table.begin.toml");
    assert.equal(scopeOf(WRANGLER, "name"), "support.type.property-name.toml");
    assert.equal(scopeOf(WRANGLER, "api"), "string.quoted.double.basic.toml");
    assert.equal(scopeOf(WRANGLER, "2025-01-01"), "constant.other.datetime.toml");
    assert.equal(scopeOf(WRANGLER, "true"), "constant.language.boolean.toml");
    assert.equal(scopeOf(WRANGLER, "50"), "constant.numeric.decimal.toml");
    assert.equal(scopeOf(WRANGLER, "Worker config"), "comment.line.number-sign.toml");
    assert.equal(scopeOf(WRANGLER, "why"), "comment.line.number-sign.toml");
    assert.equal(scopeOf(WRANGLER, "DB"), "string.quoted.single.literal.toml");
  });

  it("dotted and quoted keys", () => {
    assert.equal(scopeOf(WRANGLER, "limits"), "support.type.property-name.toml");
    assert.equal(scopeOf(WRANGLER, "cpu_ms"), "support.type.property-name.toml");
    assert.equal(scopeOf(WRANGLER, '"staging 2"'), "entity.name.section.table.quoted.toml");
  });

  it("a # inside a string is not a comment", () => {
    assert.equal(scopeOf(WRANGLER, "https://x#not-a-comment"), "string.quoted.double.basic.toml");
  });

  it("escapes in basic strings", () => {
    const text = 'a = "tab\\tquote\\" \\u00e9"\n';
    assert.equal(scopeOf(text, "\\t"), "constant.character.escape.toml");
    assert.equal(scopeOf(text, "\\u00e9"), "constant.character.escape.toml");
  });

  it("multi-line strings carry state across lines", () => {
    const text = 'a = """\nline = "not a key"\n[not.a.table]\n"""\nb = 1\n';
    assert.ok(
      tokens(text)
        .find((t) => t.text === "[not.a.table]")!
        .scopes.includes("string.quoted.triple.basic.block.toml"),
    );
    assert.equal(scopeOf(text, "b"), "support.type.property-name.toml");
    const literal = "c = '''\nraw \\n\n'''\n";
    assert.ok(
      tokens(literal)
        .find((t) => t.text.includes("raw"))!
        .scopes.includes("string.quoted.triple.literal.block.toml"),
    );
  });

  it("numbers in every form", () => {
    const text = "a = 0xDEAD_beef\nb = 0o755\nc = 0b1101\nd = -3.5e-2\ne = +inf\nf = 1_000\ng = nan\n";
    assert.equal(scopeOf(text, "0xDEAD_beef"), "constant.numeric.integer.hexadecimal.toml");
    assert.equal(scopeOf(text, "0o755"), "constant.numeric.integer.octal.toml");
    assert.equal(scopeOf(text, "0b1101"), "constant.numeric.integer.binary.toml");
    assert.equal(scopeOf(text, "-3.5e-2"), "constant.numeric.decimal.toml");
    assert.equal(scopeOf(text, "+inf"), "constant.numeric.float.special.toml");
    assert.equal(scopeOf(text, "1_000"), "constant.numeric.decimal.toml");
  });

  it("date-times and times", () => {
    const text = "a = 1979-05-27T07:32:00Z\nb = 1979-05-27 07:32:00.999-07:00\nc = 07:32:00\n";
    assert.equal(scopeOf(text, "1979-05-27T07:32:00Z"), "constant.other.datetime.toml");
    assert.equal(scopeOf(text, "1979-05-27 07:32:00.999-07:00"), "constant.other.datetime.toml");
    assert.equal(scopeOf(text, "07:32:00"), "constant.other.time.toml");
  });

  it("inline tables and multi-line arrays with comments and nested tables", () => {
    const text =
      'placement = { mode = "smart", region = "aws:us-east-1" }\nroutes = [\n  # first\n  { pattern = "a/*", zone_name = "a.com" },\n  "b",\n]\n';
    assert.equal(scopeOf(text, "mode"), "support.type.property-name.toml");
    assert.equal(scopeOf(text, "smart"), "string.quoted.double.basic.toml");
    assert.equal(scopeOf(text, "zone_name"), "support.type.property-name.toml");
    assert.equal(scopeOf(text, "first"), "comment.line.number-sign.toml");
    assert.equal(scopeOf(text, "b"), "string.quoted.double.basic.toml");
    assert.equal(scopeOf(text, "{"), "punctuation.definition.inline-table.begin.toml");
  });
});
