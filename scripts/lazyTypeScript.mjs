// esbuild plugin for the CLI bundle: the TypeScript compiler is loaded when the first source file
// is parsed, not at start-up. A config-only check never loads it (it is most of the CLI's start).
//
// The analyser's modules `import ts from "typescript"` and take the functions they call often
// into locals at module level (`const { isIdentifier, ... } = ts;`), which would load the compiler
// as soon as the module is. For the CLI, each such module is rewritten at build time, using the
// TypeScript parser on our own sources:
// - `import ts from "typescript"` reads a live binding that starts as a stand-in and becomes the
//   real compiler on first use (server/src/cli/lazyTypeScript.ts);
// - `const { a, b } = ts;` becomes `let a, b;` filled in when the compiler loads. Those functions
//   take syntax nodes, and a node exists only after a parse, which loads the compiler first.
// The compiler itself is a separate file (dist/typescript.js) that only that first use reads.
// The language server keeps the plain bundle: it parses at once anyway.
import { readFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";

const LAZY_MODULE = path.resolve("server/src/cli/lazyTypeScript.ts");
/** The specifier by which lazyTypeScript.ts asks for the compiler; kept external, next to the bundle. */
export const TYPESCRIPT_CHUNK = "./typescript.js";

const ENUMS_MODULE = "lazy-typescript:enums";

/** Whether a value of the compiler's namespace is an enumeration: an object of numbers (and their names). */
function isEnumeration(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    Object.values(value).every((v) => typeof v === "number" || typeof v === "string") &&
    Object.values(value).some((v) => typeof v === "number")
  );
}

/** The enumerations the analyser's modules take, as data: `export const SyntaxKind = {...};`. */
function enumerationsModule() {
  return Object.keys(ts)
    .filter((key) => isEnumeration(ts[key]))
    .map((key) => `export const ${key} = ${JSON.stringify(ts[key])};`)
    .join("\n");
}

/** Rewrites one module's top-level uses of the compiler as described above; the text unchanged if it has none. */
export function rewriteForLazyTypeScript(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits = [];
  let binding;
  for (const statement of source.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text === "typescript" &&
      statement.importClause &&
      !statement.importClause.isTypeOnly &&
      statement.importClause.name &&
      !statement.importClause.namedBindings
    ) {
      binding = statement.importClause.name.text;
      const relative = path.relative(path.dirname(file), LAZY_MODULE).replace(/\\/g, "/").replace(/\.ts$/, "");
      edits.push({
        start: statement.getStart(source),
        end: statement.end,
        text: `import { typescript as ${binding}, whenTypeScriptLoads as __whenTypeScriptLoads } from "${relative.startsWith(".") ? relative : `./${relative}`}";`,
      });
    }
  }
  if (binding === undefined) return text;
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    if (list.declarations.length !== 1) continue;
    const [declaration] = list.declarations;
    if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
    if (!ts.isIdentifier(declaration.initializer) || declaration.initializer.text !== binding) continue;
    // Enumerations (`SyntaxKind`) are plain numbers, used at module level too: copied in as data.
    const enums = [];
    const functions = [];
    for (const element of declaration.name.elements) {
      const key = (element.propertyName ?? element.name).getText(source);
      (isEnumeration(ts[key]) ? enums : functions).push(element.getText(source));
    }
    const lines = [];
    if (enums.length > 0) lines.push(`import { ${enums.map((e) => e.replace(/:/, " as")).join(", ")} } from "${ENUMS_MODULE}";`);
    if (functions.length > 0) {
      const locals = declaration.name.elements.filter((e) => functions.includes(e.getText(source))).map((e) => e.name.getText(source));
      lines.push(`let ${locals.join(", ")};`, `__whenTypeScriptLoads((loaded) => {\n  ({ ${functions.join(", ")} } = loaded);\n});`);
    }
    edits.push({ start: statement.getStart(source), end: statement.end, text: lines.join("\n") });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

export const lazyTypeScriptPlugin = {
  name: "lazy-typescript",
  setup(build) {
    build.onResolve({ filter: /^\.\/typescript\.js$/ }, (args) =>
      args.importer === LAZY_MODULE ? { path: TYPESCRIPT_CHUNK, external: true } : undefined,
    );
    build.onResolve({ filter: /^lazy-typescript:enums$/ }, () => ({ path: "enums", namespace: "lazy-typescript" }));
    build.onLoad({ filter: /.*/, namespace: "lazy-typescript" }, () => ({ contents: enumerationsModule(), loader: "js" }));
    build.onLoad({ filter: /[\\/]server[\\/]src[\\/]core[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      return { contents: rewriteForLazyTypeScript(args.path, text), loader: "ts" };
    });
  },
};
