import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ts from "typescript";
import { collectFacts } from "../../server/src/core/worker/module";
import { isFileScoped, lookupDeclaration } from "../../server/src/core/worker/scopes";

/**
 * Resolves the identifier marked `/*use*\/` in `source` and returns the text of the line its
 * declaration starts on (trimmed), or undefined when it resolves to nothing.
 */
function resolve(source: string): string | undefined {
  const facts = collectFacts("/w/index.ts", source);
  const offset = source.indexOf("/*use*/");
  assert.ok(offset > 0, "the source marks the identifier with /*use*/");
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.end === offset) found = node;
    ts.forEachChild(node, visit);
  };
  visit(facts.sourceFile);
  assert.ok(found, "an identifier ends right before /*use*/");
  const declaration = lookupDeclaration(facts.declarations, found);
  if (!declaration) return undefined;
  const start = declaration.getStart(facts.sourceFile);
  const lineStart = source.lastIndexOf("\n", start) + 1;
  const lineEnd = source.indexOf("\n", start);
  return source.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim();
}

describe("lookupDeclaration", () => {
  it("finds the nearest scope's declaration: an inner block shadows the outer one", () => {
    const source = ["const host = 'a';", "function f() {", "  {", "    const host = 'b';", "    fetch(host/*use*/);", "  }", "}"].join(
      "\n",
    );
    assert.equal(resolve(source), "const host = 'b';");
  });

  it("outside the inner block, the outer declaration", () => {
    const source = ["const host = 'a';", "function f() {", "  { const host = 'b'; }", "  fetch(host/*use*/);", "}"].join("\n");
    assert.equal(resolve(source), "const host = 'a';");
  });

  it("parameters, destructured names and defaults", () => {
    assert.equal(resolve(["function f(", "  id: string,", ") {", "  return id/*use*/;", "}"].join("\n")), "id: string,");
    assert.equal(
      resolve(["function f({ env }: { env: unknown }) {", "  return env/*use*/;", "}"].join("\n")),
      "function f({ env }: { env: unknown }) {",
    );
    assert.equal(resolve(["const {", "  a: { b },", "} = source;", "b/*use*/;"].join("\n")), "a: { b },");
  });

  it("loop and catch variables are visible inside only", () => {
    assert.equal(resolve(["for (const url of urls) {", "  fetch(url/*use*/);", "}"].join("\n")), "for (const url of urls) {");
    assert.equal(resolve(["for (const url of urls) {}", "fetch(url/*use*/);"].join("\n")), undefined);
    assert.equal(resolve(["try {", "} catch (error) {", "  report(error/*use*/);", "}"].join("\n")), "} catch (error) {");
  });

  it("functions and classes used before their declaration (hoisted)", () => {
    assert.equal(resolve(["helper/*use*/();", "function helper() {}"].join("\n")), "function helper() {}");
    assert.equal(resolve(["new Client/*use*/();", "class Client {}"].join("\n")), "class Client {}");
  });

  it("the first of two declarations in one scope", () => {
    assert.equal(resolve(["var base = 'a';", "var base = 'b';", "fetch(base/*use*/);"].join("\n")), "var base = 'a';");
  });

  it("nothing for globals and for parameters of function types", () => {
    assert.equal(resolve("fetch/*use*/('https://example.com');"), undefined);
    assert.equal(resolve(["type Handler = (request: Request) => void;", "request/*use*/;"].join("\n")), undefined);
  });
});

describe("lookupDeclaration after an edit", () => {
  /** The identifier `name` that ends right before `marker` in the facts' tree. */
  function identifierBefore(facts: ReturnType<typeof collectFacts>, marker: string): ts.Identifier {
    const offset = facts.text.indexOf(marker);
    let found: ts.Identifier | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.end === offset) found = node;
      ts.forEachChild(node, visit);
    };
    visit(facts.sourceFile);
    assert.ok(found, `an identifier ends right before ${marker}`);
    return found;
  }

  it("a node the incremental parse reuses is looked up in the new file's declarations, not answered from the old", () => {
    const before = ["function f() {", "  return fetch(host/*use*/);", "}", ""].join("\n");
    const after = `const host = "https://api.example.com";\n${before}`;
    const old = collectFacts("/w/index.ts", before);
    const oldUse = identifierBefore(old, "/*use*/");
    assert.equal(lookupDeclaration(old.declarations, oldUse), undefined);
    const edited = collectFacts("/w/index.ts", after, old);
    const use = identifierBefore(edited, "/*use*/");
    // The edit is above the function: TypeScript reuses its nodes, the identifier among them.
    assert.equal(use, oldUse);
    const declaration = lookupDeclaration(edited.declarations, use);
    assert.ok(declaration && ts.isVariableDeclaration(declaration));
    assert.equal(declaration.name.getText(edited.sourceFile), "host");
    // And the old file's answer stays its own.
    assert.equal(lookupDeclaration(old.declarations, oldUse), undefined);
  });
});

describe("isFileScoped", () => {
  /** Whether the declaration the identifier marked `/*use*\/` resolves to is one of the file's own. */
  function fileScoped(source: string): boolean | undefined {
    const facts = collectFacts("/w/index.ts", source);
    const offset = source.indexOf("/*use*/");
    let found: ts.Identifier | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.end === offset) found = node;
      ts.forEachChild(node, visit);
    };
    visit(facts.sourceFile);
    assert.ok(found, "an identifier ends right before /*use*/");
    const declaration = lookupDeclaration(facts.declarations, found);
    return declaration ? isFileScoped(declaration) : undefined;
  }

  it("module-level variables, destructured names, functions and classes are the file's", () => {
    assert.equal(fileScoped("const query = make();\nquery/*use*/();"), true);
    assert.equal(fileScoped("const { query } = require('db');\nquery/*use*/();"), true);
    assert.equal(fileScoped("function query() {}\nquery/*use*/();"), true);
    assert.equal(fileScoped("class Client {}\nnew Client/*use*/();"), true);
  });

  it("a function's locals and parameters, a block's and a loop's names are not", () => {
    assert.equal(fileScoped("function f() {\n  const query = make();\n  query/*use*/();\n}"), false);
    assert.equal(fileScoped("function f(query: () => void) {\n  query/*use*/();\n}"), false);
    assert.equal(fileScoped("if (a) {\n  const query = make();\n  query/*use*/();\n}"), false);
    assert.equal(fileScoped("for (const query of list) query/*use*/();"), false);
    assert.equal(fileScoped("function f() {\n  function query() {}\n  query/*use*/();\n}"), false);
  });

  it("an import or a global resolves to no declaration at all", () => {
    assert.equal(fileScoped("import { query } from './db';\nquery/*use*/();"), undefined);
    assert.equal(fileScoped("fetch/*use*/('https://a.example.com');"), undefined);
  });
});
