import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from "vscode-textmate";

const ROOT = path.resolve(__dirname, "../..");
const GRAMMAR = path.join(ROOT, "syntaxes/wrangler-toml.tmLanguage.json");
const CONFIGURATION = path.join(ROOT, "syntaxes/wrangler-toml.language-configuration.json");

/** Its own scope name: Even Better TOML (or another TOML extension) owns `source.toml`. */
const SCOPE = "source.toml.wrangler";

let grammar: IGrammar;

type Token = [text: string, scopes: string[]];

/** Tokenizes `text` line by line, carrying the state across lines; blank pieces are left out. */
function tokenize(text: string): Token[] {
  const result: Token[] = [];
  let state = INITIAL;
  for (const line of text.split("\n")) {
    const { tokens, ruleStack } = grammar.tokenizeLine(line, state);
    for (const token of tokens) {
      const piece = line.slice(token.startIndex, token.endIndex);
      if (piece.trim() !== "") result.push([piece.trim(), token.scopes]);
    }
    state = ruleStack;
  }
  return result;
}

/** All scopes of the `nth` token whose text is `piece`. */
function scopesOf(text: string, piece: string, nth = 0): string[] {
  const all = tokenize(text);
  const found = all.filter(([t]) => t === piece)[nth];
  assert.ok(found, `no token ${JSON.stringify(piece)} (#${nth}) in ${JSON.stringify(all.map(([t]) => t))}`);
  return found[1];
}

/** The innermost scope of the `nth` token whose text is `piece`. */
function scopeOf(text: string, piece: string, nth = 0): string {
  const scopes = scopesOf(text, piece, nth);
  return scopes[scopes.length - 1]!;
}

const KEY = "support.type.property-name.toml";
const QUOTED_KEY = "support.type.property-name.quoted.toml";
const TABLE = "entity.name.section.table.toml";
const ARRAY_TABLE = "entity.name.section.array-table.toml";
const BASIC = "string.quoted.double.basic.toml";
const LITERAL = "string.quoted.single.literal.toml";
const ML_BASIC = "string.quoted.triple.basic.block.toml";
const ML_LITERAL = "string.quoted.triple.literal.block.toml";
const COMMENT = "comment.line.number-sign.toml";
const ESCAPE = "constant.character.escape.toml";
const INTEGER = "constant.numeric.integer.decimal.toml";

const WRANGLER = `#:schema node_modules/wrangler/config-schema.json
name = "storefront-api"
main = "src/index.ts"
compatibility_date = 2025-04-01
compatibility_flags = ["nodejs_compat"]
workers_dev = false
limits.cpu_ms = 50

# Run near the database, not the visitor.
[placement]
mode = "smart" # Smart Placement
hint = 'aws:us-east-1'

[observability]
enabled = true
head_sampling_rate = 0.25

[[d1_databases]]
binding = "DB"
database_name = "shop"
database_id = "8f2c1a4e-0000-4000-8000-000000000000"

[[routes]] # one per zone
pattern = "shop.example.com/*"
zone_name = "example.com"

[env.staging]
vars = { API_URL = "https://staging.example.com/#v2", RETRIES = 3 }

[env."staging eu".placement]
region = "gcp:europe-west8"
`;

describe("TOML grammar", () => {
  before(async () => {
    const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
    await oniguruma.loadWASM(wasm);
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
        createOnigString: (text) => new oniguruma.OnigString(text),
      }),
      loadGrammar: (scopeName) => Promise.resolve(scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR, "utf8"), GRAMMAR) : null),
    });
    const loaded = await registry.loadGrammar(SCOPE);
    assert.ok(loaded, "grammar did not load");
    grammar = loaded;
  });

  describe("a wrangler.toml", () => {
    it("tells table headers, array tables, keys and values apart", () => {
      assert.equal(scopeOf(WRANGLER, "placement"), TABLE);
      assert.equal(scopeOf(WRANGLER, "d1_databases"), ARRAY_TABLE);
      assert.equal(scopeOf(WRANGLER, "routes"), ARRAY_TABLE);
      assert.equal(scopeOf(WRANGLER, "name"), KEY);
      assert.equal(scopeOf(WRANGLER, "database_id"), KEY);
      assert.equal(scopeOf(WRANGLER, "storefront-api"), BASIC);
      assert.equal(scopeOf(WRANGLER, "aws:us-east-1"), LITERAL);
      assert.equal(scopeOf(WRANGLER, "50"), INTEGER);
      assert.equal(scopeOf(WRANGLER, "0.25"), "constant.numeric.float.toml");
      assert.equal(scopeOf(WRANGLER, "false"), "constant.language.boolean.toml");
      assert.equal(scopeOf(WRANGLER, "true"), "constant.language.boolean.toml");
      assert.equal(scopeOf(WRANGLER, "2025-04-01"), "constant.other.datetime.date.toml");
      assert.equal(scopeOf(WRANGLER, "=", 0), "keyword.operator.assignment.toml");
    });

    it("scopes the brackets of headers", () => {
      // The first brackets are compatibility_flags' array; [placement] comes next.
      assert.equal(scopeOf(WRANGLER, "[", 1), "punctuation.definition.table.begin.toml");
      assert.equal(scopeOf(WRANGLER, "]", 1), "punctuation.definition.table.end.toml");
      assert.equal(scopeOf(WRANGLER, "[["), "punctuation.definition.array-table.begin.toml");
      assert.equal(scopeOf(WRANGLER, "]]"), "punctuation.definition.array-table.end.toml");
      assert.ok(scopesOf(WRANGLER, "placement").includes("meta.section.table.toml"));
      assert.ok(scopesOf(WRANGLER, "d1_databases").includes("meta.section.array-table.toml"));
    });

    it("finds comments on their own line, after values and after headers", () => {
      assert.equal(scopeOf(WRANGLER, ":schema node_modules/wrangler/config-schema.json"), COMMENT);
      assert.equal(scopeOf(WRANGLER, "Run near the database, not the visitor."), COMMENT);
      assert.equal(scopeOf(WRANGLER, "Smart Placement"), COMMENT);
      assert.equal(scopeOf(WRANGLER, "one per zone"), COMMENT);
      assert.equal(scopeOf(WRANGLER, "#", 0), "punctuation.definition.comment.toml");
    });

    it("scopes each part of a dotted or quoted header", () => {
      assert.deepEqual(
        tokenize(WRANGLER)
          .filter(([, scopes]) => scopes.some((s) => s === "meta.section.table.toml"))
          .slice(-9)
          .map(([text, scopes]) => [text, scopes[scopes.length - 1]]),
        [
          ["[", "punctuation.definition.table.begin.toml"],
          ["env", TABLE],
          [".", "punctuation.separator.dot.toml"],
          ['"', "punctuation.definition.key.begin.toml"],
          ["staging eu", "entity.name.section.table.quoted.toml"],
          ['"', "punctuation.definition.key.end.toml"],
          [".", "punctuation.separator.dot.toml"],
          ["placement", TABLE],
          ["]", "punctuation.definition.table.end.toml"],
        ],
      );
    });

    it("scopes keys inside an inline table and keeps a # in a string", () => {
      assert.equal(scopeOf(WRANGLER, "API_URL"), KEY);
      assert.equal(scopeOf(WRANGLER, "RETRIES"), KEY);
      assert.ok(scopesOf(WRANGLER, "API_URL").includes("meta.inline-table.toml"));
      assert.equal(scopeOf(WRANGLER, "https://staging.example.com/#v2"), BASIC);
      assert.equal(scopeOf(WRANGLER, "3"), INTEGER);
      assert.equal(scopeOf(WRANGLER, "{"), "punctuation.definition.inline-table.begin.toml");
      assert.equal(scopeOf(WRANGLER, "}"), "punctuation.definition.inline-table.end.toml");
    });

    it("scopes an array of strings", () => {
      assert.equal(scopeOf(WRANGLER, "nodejs_compat"), BASIC);
      assert.ok(scopesOf(WRANGLER, "nodejs_compat").includes("meta.array.toml"));
      assert.equal(scopeOf(WRANGLER, "[", 0), "punctuation.definition.array.begin.toml");
      assert.equal(scopeOf(WRANGLER, "]", 0), "punctuation.definition.array.end.toml");
    });
  });

  describe("keys", () => {
    it("dotted keys with quoted parts and spaces around the dots", () => {
      const text = `site."assets dir" . 'raw.part' = 1\n"" = 2\n`;
      assert.deepEqual(
        tokenize(text)
          .slice(0, 10)
          .map(([t, s]) => [t, s[s.length - 1]]),
        [
          ["site", KEY],
          [".", "punctuation.separator.dot.toml"],
          ['"', "punctuation.definition.key.begin.toml"],
          ["assets dir", QUOTED_KEY],
          ['"', "punctuation.definition.key.end.toml"],
          [".", "punctuation.separator.dot.toml"],
          ["'", "punctuation.definition.key.begin.toml"],
          ["raw.part", QUOTED_KEY],
          ["'", "punctuation.definition.key.end.toml"],
          ["=", "keyword.operator.assignment.toml"],
        ],
      );
      assert.equal(scopeOf(text, '"', 2), "punctuation.definition.key.begin.toml");
    });

    it("escapes in a quoted key", () => {
      assert.equal(scopeOf('"tab\\there" = 1\n', "\\t"), ESCAPE);
    });

    it("a header's quoted part may hold a bracket", () => {
      const text = '[a."b]c"]\nx = 1\n';
      assert.equal(scopeOf(text, "b]c"), "entity.name.section.table.quoted.toml");
      assert.equal(scopeOf(text, "]"), "punctuation.definition.table.end.toml");
      assert.equal(scopeOf(text, "x"), KEY);
    });

    it("a key being typed on its own line", () => {
      assert.equal(scopeOf("[placement]\nmod\n", "mod"), KEY);
    });
  });

  describe("strings", () => {
    it("a # in any kind of string is not a comment", () => {
      const text = `a = "x#1"\nb = 'y#2'\nc = """\nz#3\n"""\nd = '''w#4''' # real\n`;
      assert.equal(scopeOf(text, "x#1"), BASIC);
      assert.equal(scopeOf(text, "y#2"), LITERAL);
      assert.equal(scopeOf(text, "z#3"), ML_BASIC);
      assert.equal(scopeOf(text, "w#4"), ML_LITERAL);
      assert.equal(scopeOf(text, "real"), COMMENT);
    });

    it("escapes in basic strings; none in literal strings", () => {
      const text = String.raw`a = "q\" b\\ t\t u\u00E9 U\U0001F600 bad\x"` + "\n" + String.raw`b = 'C:\temp\n'` + "\n";
      assert.equal(scopeOf(text, '\\"'), ESCAPE);
      assert.equal(scopeOf(text, "\\\\"), ESCAPE);
      assert.equal(scopeOf(text, "\\t"), ESCAPE);
      assert.equal(scopeOf(text, "\\u00E9"), ESCAPE);
      assert.equal(scopeOf(text, "\\U0001F600"), ESCAPE);
      assert.equal(scopeOf(text, "\\x"), "invalid.illegal.escape.toml");
      assert.equal(scopeOf(text, "C:\\temp\\n"), LITERAL);
      assert.equal(scopeOf(text, '"', 1), "punctuation.definition.string.end.toml");
    });

    it("multi-line basic strings carry their state across lines", () => {
      const text = 'script = """\nline = "not a key"\n[not.a.table]\ntrailing \\\n  """\nafter = 1\n';
      assert.deepEqual(scopesOf(text, 'line = "not a key"').slice(-1), [ML_BASIC]);
      assert.deepEqual(scopesOf(text, "[not.a.table]").slice(-1), [ML_BASIC]);
      assert.equal(scopeOf(text, "\\"), "constant.character.escape.line-continuation.toml");
      assert.equal(scopeOf(text, '"""', 0), "punctuation.definition.string.begin.toml");
      assert.equal(scopeOf(text, '"""', 1), "punctuation.definition.string.end.toml");
      assert.equal(scopeOf(text, "after"), KEY);
      assert.equal(scopeOf(text, "1"), INTEGER);
    });

    it("multi-line literal strings keep backslashes and may end with extra quotes", () => {
      const text = "regex = '''\n\\d+ [a-z]\n'''\nquote = '''it''''\nnext = true\n";
      assert.equal(scopeOf(text, "\\d+ [a-z]"), ML_LITERAL);
      // A quote just before the closing delimiter is content: the value is "it'".
      assert.equal(scopeOf(text, "it"), ML_LITERAL);
      assert.equal(scopeOf(text, "'"), ML_LITERAL);
      assert.equal(scopeOf(text, "'''", 3), "punctuation.definition.string.end.toml");
      assert.equal(scopeOf(text, "next"), KEY);
    });

    it("quotes just inside a multi-line basic string's closing delimiter belong to the string", () => {
      const text = 'a = """say ""hi"""""\nb = 2\n';
      assert.equal(scopeOf(text, '""', 0), ML_BASIC);
      assert.equal(scopeOf(text, '"""', 1), "punctuation.definition.string.end.toml");
      assert.equal(scopeOf(text, "b"), KEY);
    });

    it("an unterminated basic string stops at the end of its line", () => {
      const text = 'a = "open\nb = 1\n';
      assert.equal(scopeOf(text, "open"), BASIC);
      assert.equal(scopeOf(text, "b"), KEY);
    });
  });

  describe("numbers, booleans and dates", () => {
    it("integers in every base, with underscores and signs", () => {
      const text = "a = 0xDEAD_beef\nb = 0o755\nc = 0b1101_0011\nd = +99\ne = -17\nf = 1_000\ng = 0\n";
      assert.equal(scopeOf(text, "0xDEAD_beef"), "constant.numeric.integer.hexadecimal.toml");
      assert.equal(scopeOf(text, "0o755"), "constant.numeric.integer.octal.toml");
      assert.equal(scopeOf(text, "0b1101_0011"), "constant.numeric.integer.binary.toml");
      assert.equal(scopeOf(text, "+99"), INTEGER);
      assert.equal(scopeOf(text, "-17"), INTEGER);
      assert.equal(scopeOf(text, "1_000"), INTEGER);
      assert.equal(scopeOf(text, "0"), INTEGER);
    });

    it("floats, exponents, inf and nan", () => {
      const text = "a = 3.1415\nb = -0.01\nc = 5e+22\nd = 6.626e-34\ne = 224_617.445_991\nf = +inf\ng = -inf\nh = nan\n";
      for (const float of ["3.1415", "-0.01", "5e+22", "6.626e-34", "224_617.445_991"]) {
        assert.equal(scopeOf(text, float), "constant.numeric.float.toml", float);
      }
      for (const special of ["+inf", "-inf", "nan"]) {
        assert.equal(scopeOf(text, special), "constant.numeric.float.special.toml", special);
      }
    });

    it("malformed numbers and bare words are invalid values", () => {
      const text = "a = 007\nb = 5.\nc = 1__0\nd = yes\ne = True\n";
      for (const bad of ["007", "5.", "1__0", "yes", "True"]) {
        assert.equal(scopeOf(text, bad), "invalid.illegal.value.toml", bad);
      }
    });

    it("offset and local date-times, dates and times", () => {
      const text =
        "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00.999999-07:00\nc = 1979-05-27 07:32:00\nd = 1979-05-27\ne = 00:32:00.5 # t\n";
      assert.equal(scopeOf(text, "1979-05-27T07:32:00Z"), "constant.other.datetime.offset.toml");
      assert.equal(scopeOf(text, "1979-05-27T00:32:00.999999-07:00"), "constant.other.datetime.offset.toml");
      assert.equal(scopeOf(text, "1979-05-27 07:32:00"), "constant.other.datetime.local.toml");
      assert.equal(scopeOf(text, "1979-05-27"), "constant.other.datetime.date.toml");
      assert.equal(scopeOf(text, "00:32:00.5"), "constant.other.datetime.time.toml");
      assert.equal(scopeOf(text, "t"), COMMENT);
    });
  });

  describe("arrays and inline tables", () => {
    it("a multi-line array of inline tables with comments inside", () => {
      const text = [
        "routes = [",
        "  # the shop",
        '  { pattern = "shop.example.com/*", zone_name = "example.com" },',
        '  { pattern = "api.example.com/*", custom_domain = true, tags = ["a", "b"] }, # api',
        "]",
        "after = 1",
        "",
      ].join("\n");
      assert.equal(scopeOf(text, "the shop"), COMMENT);
      assert.equal(scopeOf(text, "api"), COMMENT);
      assert.equal(scopeOf(text, "pattern", 1), KEY);
      assert.equal(scopeOf(text, "custom_domain"), KEY);
      assert.equal(scopeOf(text, "shop.example.com/*"), BASIC);
      assert.equal(scopeOf(text, "a"), BASIC);
      assert.ok(scopesOf(text, "a").filter((s) => s === "meta.array.toml").length === 2, "nested array");
      assert.ok(scopesOf(text, "custom_domain").includes("meta.inline-table.toml"));
      assert.equal(scopeOf(text, ",", 0), "punctuation.separator.inline-table.toml");
      assert.equal(scopeOf(text, ",", 1), "punctuation.separator.array.toml");
      assert.equal(scopeOf(text, "]", 1), "punctuation.definition.array.end.toml");
      assert.equal(scopeOf(text, "after"), KEY);
    });

    it("nested arrays and inline tables on one line", () => {
      const text = 'm = [[1, 2], ["]", \'[\'], { "a.b" = { c = [true] } }]\n';
      assert.equal(scopeOf(text, "1"), INTEGER);
      assert.equal(scopeOf(text, "]", 0), "punctuation.definition.array.end.toml");
      assert.equal(scopeOf(text, "]", 1), BASIC);
      assert.equal(scopeOf(text, "[", 3), LITERAL);
      assert.equal(scopeOf(text, "a.b"), QUOTED_KEY);
      assert.equal(scopeOf(text, "c"), KEY);
      assert.equal(scopeOf(text, "true"), "constant.language.boolean.toml");
      assert.equal(scopesOf(text, "true").filter((s) => s === "meta.inline-table.toml").length, 2);
    });

    it("a table header's brackets at the start of an array's line are still an array", () => {
      const text = "matrix = [\n  [1],\n  [2],\n]\n[next]\n";
      assert.equal(scopeOf(text, "[", 1), "punctuation.definition.array.begin.toml");
      assert.equal(scopeOf(text, "next"), TABLE);
    });
  });

  describe("invalid content", () => {
    it("after a header, after a value and without a key", () => {
      const text = "[placement] mode\n[[routes]]]\na = 1 }\n= 2\n";
      assert.equal(scopeOf(text, "mode"), "invalid.illegal.toml");
      assert.equal(scopeOf(text, "]", 1), "invalid.illegal.toml");
      assert.equal(scopeOf(text, "}"), "invalid.illegal.toml");
      assert.equal(scopeOf(text, "=", 1), "invalid.illegal.toml");
    });
  });

  describe("files", () => {
    it("the grammar is the one package.json contributes, for wrangler configs only", () => {
      const raw = JSON.parse(readFileSync(GRAMMAR, "utf8")) as { scopeName: string; name: string };
      assert.equal(raw.scopeName, SCOPE);
      const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        contributes: {
          grammars: Array<{ language: string; scopeName: string; path: string }>;
          languages: Array<{ id: string; configuration: string; extensions?: string[]; filenames?: string[]; filenamePatterns?: string[] }>;
        };
      };
      assert.deepEqual(
        manifest.contributes.grammars.map((g) => [g.language, g.scopeName]),
        [["wrangler-toml", SCOPE]],
      );
      assert.equal(path.resolve(ROOT, manifest.contributes.grammars[0]!.path), GRAMMAR);
      // One language, for wrangler configs by name: claiming `toml` would activate the extension on
      // every Cargo.toml and collide with the TOML extension's language and scope.
      assert.deepEqual(
        manifest.contributes.languages.map((l) => [l.id, l.extensions, l.filenames, l.filenamePatterns]),
        [["wrangler-toml", undefined, ["wrangler.toml"], ["wrangler.*.toml"]]],
      );
      assert.equal(path.resolve(ROOT, manifest.contributes.languages[0]!.configuration), CONFIGURATION);
    });

    it("the language configuration: # comments, brackets, quotes", () => {
      const config = JSON.parse(readFileSync(CONFIGURATION, "utf8")) as {
        comments: { lineComment: string };
        brackets: string[][];
        autoClosingPairs: Array<{ open: string; close: string }>;
        surroundingPairs: string[][];
      };
      assert.equal(config.comments.lineComment, "#");
      assert.deepEqual(config.brackets, [
        ["[", "]"],
        ["{", "}"],
      ]);
      for (const pair of ["[]", "{}", '""', "''"]) {
        assert.ok(
          config.autoClosingPairs.some((p) => p.open + p.close === pair),
          `autoClosingPairs ${pair}`,
        );
        assert.ok(
          config.surroundingPairs.some((p) => p.join("") === pair),
          `surroundingPairs ${pair}`,
        );
      }
    });
  });
});
