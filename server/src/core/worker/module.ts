import { Parser } from "htmlparser2";
import ts from "typescript";
import { addDeclaration, createDeclarationIndex, type DeclarationIndex } from "./scopes";
import { generatedPrismaModule } from "./sdks";
import type { ClosureToken, ModuleSummaries } from "./summaries";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  forEachChild,
  canHaveModifiers,
  getModifiers,
  isArrowFunction,
  isAsExpression,
  isCallExpression,
  isClassDeclaration,
  isClassExpression,
  isExportAssignment,
  isExportDeclaration,
  isExpressionStatement,
  isExternalModuleReference,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isNamedExports,
  isNamespaceExport,
  isNamedImports,
  isNamespaceImport,
  isNonNullExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isSatisfiesExpression,
  isStringLiteral,
  isStringLiteralLike,
  isTypeAssertionExpression,
  isVariableStatement,
  SyntaxKind,
} = ts;

/**
 * CommonJS imports at the top of a module, read like the imports they stand for:
 * `const { Hono, Context: C } = require("hono")` binds `Hono` and `C` to those exports,
 * `const Hono = require("hono").Hono` binds `Hono`, and `const lib = require("lib")` binds the
 * module as a namespace (as `import lib = require("lib")` does).
 */
function requireBindings(declaration: ts.VariableDeclaration, imports: Map<string, ImportBinding>): void {
  let init = declaration.initializer && unwrapExpression(declaration.initializer);
  let property: string | undefined;
  if (init && isPropertyAccessExpression(init) && isIdentifier(init.name)) {
    property = init.name.text;
    init = unwrapExpression(init.expression);
  }
  if (!init || !isCallExpression(init) || !isIdentifier(init.expression) || init.expression.text !== "require") return;
  const specifier = init.arguments.length === 1 ? init.arguments[0] : undefined;
  if (!specifier || !isStringLiteralLike(specifier)) return;
  const module = generatedPrismaModule(specifier.text) ?? specifier.text;
  if (isIdentifier(declaration.name)) {
    imports.set(declaration.name.text, { module, name: property ?? "*" });
    return;
  }
  if (property || !ts.isObjectBindingPattern(declaration.name)) return;
  for (const element of declaration.name.elements) {
    if (element.dotDotDotToken || !isIdentifier(element.name)) continue;
    const exported = element.propertyName ?? element.name;
    if (isIdentifier(exported) || isStringLiteralLike(exported)) imports.set(element.name.text, { module, name: exported.text });
  }
}

/**
 * The slot of a per-request store an expression reads or writes: h3's `event.context.db` (Nitro,
 * Nuxt) as ".context.db", Astro's `context.locals.db`, `Astro.locals.db` and a destructured
 * `locals.db` as ".locals.db", and a property middleware puts on a handler's env (Hono's
 * `c.env.db = drizzle(c.env.DB)`, read as `c.env.db` by the routes) as ".env.db". Undefined for
 * anything else.
 */
export function requestStoreSlot(expression: ts.Expression): string | undefined {
  const value = unwrapExpression(expression);
  if (!isPropertyAccessExpression(value)) return undefined;
  const holder = unwrapExpression(value.expression);
  if (isPropertyAccessExpression(holder) && isIdentifier(unwrapExpression(holder.expression)))
    return holder.name.text === "context" || holder.name.text === "locals" || holder.name.text === "env"
      ? `.${holder.name.text}.${value.name.text}`
      : undefined;
  // SvelteKit's `locals` handed on to a Hono app as part of its env (`app.fetch(request, { ...platform.env,
  // locals })`), read by the routes as `c.env.locals.db`.
  if (
    isPropertyAccessExpression(holder) &&
    holder.name.text === "locals" &&
    isPropertyAccessExpression(unwrapExpression(holder.expression)) &&
    (unwrapExpression(holder.expression) as ts.PropertyAccessExpression).name.text === "env"
  )
    return `.locals.${value.name.text}`;
  return isIdentifier(holder) && holder.text === "locals" ? `.locals.${value.name.text}` : undefined;
}

/** The stores requestStoreSlot names. */
export const REQUEST_STORES = [".context.", ".locals.", ".env."];

/** Files above this size are not analysed (a note says so instead). */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
/** AST nesting beyond this is not analysed: it bounds every recursive walk. */
export const MAX_AST_DEPTH = 400;

export interface ImportBinding {
  readonly module: string;
  /** "default", "*" (namespace) or the exported name. */
  readonly name: string;
}

export interface ExportBinding {
  /** A local name in this module, or an expression (export default <expr>). */
  readonly local?: string;
  readonly expression?: ts.Expression;
  readonly declaration?: ts.ClassLikeDeclaration | ts.FunctionDeclaration;
  /** A name destructured in an exported declaration: `export const { trpc: api } = make()`. */
  readonly element?: ts.BindingElement;
  /** `export { x } from "./y"`. */
  readonly reexport?: ImportBinding;
}

/**
 * What one file says, collected in a single walk and cached by text: the parse, its imports,
 * top-level declarations, exports, `addEventListener` registrations, router route calls, and every
 * call/tagged template (so a sweep can list subrequests in code no handler reaches).
 */
export interface ModuleFacts {
  readonly path: string;
  readonly text: string;
  readonly sourceFile: ts.SourceFile;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  readonly functions: ReadonlyMap<string, ts.FunctionLikeDeclaration>;
  readonly variables: ReadonlyMap<string, ts.VariableDeclaration>;
  readonly classes: ReadonlyMap<string, ts.ClassLikeDeclaration>;
  readonly exports: ReadonlyMap<string, ExportBinding>;
  readonly starReexports: readonly string[];
  readonly listeners: ReadonlyArray<{ readonly event: string; readonly handler: ts.Expression; readonly call: ts.CallExpression }>;
  /** Top-level method calls on identifiers: `app.get("/x", h)`, chains included, in source order. */
  readonly receiverCalls: ReadonlyArray<{ readonly receiver: string; readonly method: string; readonly call: ts.CallExpression }>;
  readonly calls: ReadonlyArray<ts.CallExpression | ts.TaggedTemplateExpression>;
  readonly dynamicImports: readonly string[];
  /**
   * Assignments (`x = e`, `x ??= e`, `x ||= e`) by the name assigned, `this.x = e` as "this.x" and
   * `o.x = e` as "o.x": what a `let`, a class field or an object's property may hold (a lazily made
   * app or client, the host given to a URL object); `event.context.x = e` as ".context.x" and
   * `context.locals.x = e` as ".locals.x" (see requestStoreSlot). `x += e` is kept as "x +=".
   */
  readonly assignments: ReadonlyMap<string, readonly ts.BinaryExpression[]>;
  /** Every declaration, by the scope it is visible in: resolves identifiers (see lookupDeclaration). */
  readonly declarations: DeclarationIndex;
  /** Set when the file was not analysed: too large or too deeply nested. */
  readonly limit?: string;
  /**
   * An Astro component's frontmatter (its top-level statements but imports and types) as one
   * function, run on the server for each request of the page (see astroSource).
   */
  readonly frontmatter?: ts.FunctionDeclaration;
  /** Summaries of its functions kept for later analyses while the text is unchanged (see summaries.ts). */
  summaries?: ModuleSummaries;
  /** Its import closure as of the latest analysis that loaded it (see summaries.ts). */
  closureToken?: ClosureToken;
}

/** Whether a variable is declared by a statement of the file itself, not inside a function or block. */
function isModuleLevel(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent.parent;
  return isVariableStatement(statement) && statement.parent.kind === SyntaxKind.SourceFile;
}

/**
 * The module-level variable a name of the module means (`export default app`, `app.get(...)` at
 * the top of the file, an export's local): never a function's or block's own variable of the same
 * name, which only the code inside it sees.
 */
export function moduleVariable(module: ModuleFacts, name: string): ts.VariableDeclaration | undefined {
  const variable = module.variables.get(name);
  return variable && isModuleLevel(variable) ? variable : undefined;
}

export function scriptKindOf(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (path.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (path.endsWith(".js") || path.endsWith(".mjs") || path.endsWith(".cjs")) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * The edit that turns `before` into `after`, as TypeScript's incremental parser wants it: the
 * changed region between the common prefix and the common suffix.
 */
function changeRange(before: string, after: string): ts.TextChangeRange {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, endBefore - start), endAfter - start);
}

/**
 * Whether the parser recovered from errors in this tree. TypeScript's incremental parser does not
 * always rebuild such a tree as a fresh parse would (a template literal after an unterminated
 * string, undone, came back as different statements): a file with syntax errors is parsed afresh.
 */
function hasSyntaxErrors(sourceFile: ts.SourceFile): boolean {
  return ((sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics?.length ?? 0) > 0;
}

/**
 * Facts of a file. With the previous facts of the same file (an editor keystroke), TypeScript's
 * incremental parser reuses the unchanged parts of the old tree (which is consumed by it).
 */
export function collectFacts(path: string, text: string, previous?: ModuleFacts): ModuleFacts {
  const empty = (limit: string, sourceFile: ts.SourceFile): ModuleFacts => ({
    path,
    text,
    sourceFile,
    imports: new Map(),
    functions: new Map(),
    variables: new Map(),
    classes: new Map(),
    exports: new Map(),
    starReexports: [],
    listeners: [],
    receiverCalls: [],
    calls: [],
    dynamicImports: [],
    assignments: new Map(),
    declarations: createDeclarationIndex(),
    limit,
  });
  if (text.length > MAX_SOURCE_BYTES) {
    return empty(
      `${Math.round(text.length / 1024)} KB is over the ${MAX_SOURCE_BYTES / 1024 / 1024} MB analysis limit`,
      ts.createSourceFile(path, "", ts.ScriptTarget.Latest, true),
    );
  }
  let sourceFile: ts.SourceFile;
  try {
    sourceFile =
      previous && !previous.limit && previous.sourceFile.text === previous.text && !hasSyntaxErrors(previous.sourceFile)
        ? ts.updateSourceFile(previous.sourceFile, text, changeRange(previous.text, text))
        : // Parent pointers are set by the walk below, which visits every node anyway: asking the
          // parser for them would walk the whole tree a second time. JSDoc comments are not parsed
          // (nothing reads them; parsing them cost up to a third of the parse of documented code).
          // (Options made here, not at module level: the CLI loads the compiler at the first parse.)
          ts.createSourceFile(
            path,
            text,
            { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
            false,
            scriptKindOf(path),
          );
  } catch (error) {
    return empty(
      error instanceof RangeError ? "it is nested too deeply to parse" : `it could not be parsed (${String(error)})`,
      ts.createSourceFile(path, "", ts.ScriptTarget.Latest, true),
    );
  }

  const imports = new Map<string, ImportBinding>();
  const functions = new Map<string, ts.FunctionLikeDeclaration>();
  const variables = new Map<string, ts.VariableDeclaration>();
  const classes = new Map<string, ts.ClassLikeDeclaration>();
  const exports = new Map<string, ExportBinding>();
  const starReexports: string[] = [];
  const listeners: Array<{ event: string; handler: ts.Expression; call: ts.CallExpression }> = [];
  const receiverCalls: Array<{ receiver: string; method: string; call: ts.CallExpression }> = [];
  const calls: Array<ts.CallExpression | ts.TaggedTemplateExpression> = [];
  const dynamicImports: string[] = [];
  const assignments = new Map<string, ts.BinaryExpression[]>();
  const declarations = createDeclarationIndex();
  const isExported = (node: ts.Node): boolean =>
    canHaveModifiers(node) && (getModifiers(node) ?? []).some((m) => m.kind === SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node): boolean =>
    canHaveModifiers(node) && (getModifiers(node) ?? []).some((m) => m.kind === SyntaxKind.DefaultKeyword);

  // One walk over everything: parent pointers, variables at any depth, calls, dynamic imports
  // and require(). It runs for every node of every file, so it shares one callback and keeps
  // depth and parent in variables rather than allocating a closure per node.
  let tooDeep = false;
  let parent: ts.Node = sourceFile;
  let depth = 0;
  const visit = (node: ts.Node): void => {
    (node as { parent: ts.Node }).parent = parent;
    // A switch on the kind: the type guards one after another cost more on every node.
    switch (node.kind) {
      case SyntaxKind.VariableDeclaration: {
        const name = (node as ts.VariableDeclaration).name;
        if (isIdentifier(name)) {
          addDeclaration(declarations, name.text, node);
          // The first declaration of a name, unless a module-level one follows: a handler's local
          // `const app = await render()` must not stand for the module's `app` (see moduleVariable).
          const known = variables.get(name.text);
          if (!known || (!isModuleLevel(known) && isModuleLevel(node as ts.VariableDeclaration)))
            variables.set(name.text, node as ts.VariableDeclaration);
        }
        break;
      }
      case SyntaxKind.Parameter:
      case SyntaxKind.BindingElement:
      case SyntaxKind.FunctionDeclaration:
      case SyntaxKind.ClassDeclaration: {
        const name = (node as ts.NamedDeclaration).name;
        if (name && isIdentifier(name)) addDeclaration(declarations, name.text, node);
        break;
      }
      case SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        calls.push(call);
        const arg = call.arguments[0];
        if (
          arg &&
          isStringLiteralLike(arg) &&
          (call.expression.kind === SyntaxKind.ImportKeyword || (isIdentifier(call.expression) && call.expression.text === "require"))
        ) {
          dynamicImports.push(arg.text);
        }
        break;
      }
      case SyntaxKind.TaggedTemplateExpression:
        calls.push(node as ts.TaggedTemplateExpression);
        break;
      case SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        const operator = binary.operatorToken.kind;
        if (
          operator === SyntaxKind.EqualsToken ||
          operator === SyntaxKind.QuestionQuestionEqualsToken ||
          operator === SyntaxKind.BarBarEqualsToken
        ) {
          const left = binary.left;
          const name = isIdentifier(left)
            ? left.text
            : isPropertyAccessExpression(left) && left.expression.kind === SyntaxKind.ThisKeyword
              ? "this." + left.name.text
              : // `url.hostname = host`, `env.router = router`: a property of a named object.
                isPropertyAccessExpression(left) && isIdentifier(left.expression)
                ? left.expression.text + "." + left.name.text
                : // `event.context.db = drizzle(...)`, `context.locals.db = createDB(env.DB)`: a request store.
                  requestStoreSlot(left);
          if (name !== undefined) {
            const list = assignments.get(name);
            if (list) list.push(binary);
            else assignments.set(name, [binary]);
          }
        } else if (operator === SyntaxKind.PlusEqualsToken && isIdentifier(binary.left)) {
          // `url += "?page=2"`: kept apart, under "url +=" (the string it appends to changes, its start does not).
          const name = binary.left.text + " +=";
          const list = assignments.get(name);
          if (list) list.push(binary);
          else assignments.set(name, [binary]);
        }
        break;
      }
    }
    if (depth >= MAX_AST_DEPTH) {
      tooDeep = true;
      return;
    }
    const outer = parent;
    parent = node;
    depth++;
    forEachChild(node, visit);
    depth--;
    parent = outer;
  };
  forEachChild(sourceFile, visit);

  for (const statement of sourceFile.statements) {
    if (isImportDeclaration(statement) && isStringLiteral(statement.moduleSpecifier)) {
      // A Prisma client generated into the project is read as the package it is a build of.
      const module = generatedPrismaModule(statement.moduleSpecifier.text) ?? statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) imports.set(clause.name.text, { module, name: "default" });
      const bindings = clause?.namedBindings;
      if (bindings && isNamespaceImport(bindings)) imports.set(bindings.name.text, { module, name: "*" });
      if (bindings && isNamedImports(bindings)) {
        for (const element of bindings.elements)
          imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      }
      if (!clause) dynamicImports.push(module); // side-effect import: still part of the graph
    } else if (
      isImportEqualsDeclaration(statement) &&
      isExternalModuleReference(statement.moduleReference) &&
      isStringLiteral(statement.moduleReference.expression)
    ) {
      imports.set(statement.name.text, { module: statement.moduleReference.expression.text, name: "*" });
    } else if (isExportDeclaration(statement)) {
      const specifier =
        statement.moduleSpecifier && isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const from = specifier === undefined ? undefined : (generatedPrismaModule(specifier) ?? specifier);
      if (!statement.exportClause) {
        if (from) starReexports.push(from);
      } else if (isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          const local = (element.propertyName ?? element.name).text;
          exports.set(element.name.text, from ? { reexport: { module: from, name: local } } : { local });
        }
      } else if (from && isNamespaceExport(statement.exportClause) && isIdentifier(statement.exportClause.name)) {
        // `export * as ns from "./m"`: the module itself, as a namespace (see ValueResolver.namespaceOf).
        exports.set(statement.exportClause.name.text, { reexport: { module: from, name: "*" } });
      }
    } else if (isExportAssignment(statement)) {
      exports.set("default", { expression: statement.expression });
    } else if (isFunctionDeclaration(statement)) {
      if (statement.name) functions.set(statement.name.text, statement);
      if (isExported(statement))
        exports.set(isDefault(statement) ? "default" : (statement.name?.text ?? "default"), { declaration: statement });
    } else if (isClassDeclaration(statement)) {
      if (statement.name) classes.set(statement.name.text, statement);
      if (isExported(statement))
        exports.set(isDefault(statement) ? "default" : (statement.name?.text ?? "default"), { declaration: statement });
    } else if (isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        requireBindings(declaration, imports);
        if (!isIdentifier(declaration.name)) {
          if (isExported(statement)) exportElements(declaration.name, exports);
          continue;
        }
        const name = declaration.name.text;
        if (isExported(statement)) exports.set(name, { local: name });
        const init = declaration.initializer && unwrapExpression(declaration.initializer);
        if (init && (isArrowFunction(init) || isFunctionExpression(init))) functions.set(name, init);
        if (init && isClassExpression(init)) classes.set(name, init);
      }
    } else if (isExpressionStatement(statement)) {
      collectTopLevelCalls(statement.expression, listeners, receiverCalls);
      commonJsExport(statement.expression, exports);
    }
  }

  if (tooDeep) return empty(`it is nested more than ${MAX_AST_DEPTH} levels deep`, sourceFile);
  const frontmatter = isAstroFile(path) || isVueFile(path) ? frontmatterFunction(sourceFile) : undefined;
  return {
    ...(frontmatter ? { frontmatter } : {}),
    path,
    text,
    sourceFile,
    imports,
    functions,
    variables,
    classes,
    exports,
    starReexports,
    listeners,
    receiverCalls,
    calls,
    dynamicImports,
    assignments,
    declarations,
  };
}

export function isAstroFile(path: string): boolean {
  return path.endsWith(".astro");
}

export function isVueFile(path: string): boolean {
  return path.endsWith(".vue");
}

/**
 * The text TypeScript parses for a Vue single-file component: the content of its `<script setup>`
 * block (else of its plain `<script>` block) kept where it is, everything else blanked to spaces
 * with line breaks kept, so offsets and lines are the .vue file's own. The blocks are found by an
 * HTML parser (a `<script>` body is raw text to it, so `a < b` or `</div>` in a string does not end
 * it); only top-level elements are blocks. No script block: all blank.
 */
export function vueSource(text: string): string {
  const blocks: Array<{ setup: boolean; start: number; end: number }> = [];
  let depth = 0;
  let open: { setup: boolean; start: number } | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (depth === 0 && name === "script") open = { setup: "setup" in attributes, start: parser.endIndex + 1 };
        depth++;
      },
      onclosetag(name) {
        depth = Math.max(0, depth - 1);
        if (depth === 0 && name === "script" && open) {
          // A block left open at the end of the file runs to the end.
          const end = parser.startIndex >= open.start && text.startsWith("</", parser.startIndex) ? parser.startIndex : text.length;
          blocks.push({ ...open, end });
          open = undefined;
        }
      },
    },
    { recognizeSelfClosing: true, lowerCaseTags: false, lowerCaseAttributeNames: false, decodeEntities: false },
  );
  parser.end(text);
  const block = blocks.find((b) => b.setup) ?? blocks[0];
  const blank = (from: number, to: number): string => text.slice(from, to).replace(/[^\r\n]/g, " ");
  if (!block) return blank(0, text.length);
  return blank(0, block.start) + text.slice(block.start, block.end) + blank(block.end, text.length);
}

/**
 * The text TypeScript parses for an Astro component: its frontmatter (between the `---` fences at
 * the top) kept where it is, everything else (the fences, the template) blanked to spaces with line
 * breaks kept, so every offset and line is the .astro file's own. No frontmatter: all blank.
 */
export function astroSource(text: string): string {
  const blank = (from: number, to: number): string => text.slice(from, to).replace(/[^\r\n]/g, " ");
  let lineStart = 0;
  // The opening fence: the first line that is not blank.
  while (lineStart < text.length) {
    const end = lineEnd(text, lineStart);
    const line = text.slice(lineStart, end).trim();
    if (line === "---") break;
    if (line !== "") return blank(0, text.length);
    lineStart = nextLine(text, end);
  }
  if (lineStart >= text.length) return blank(0, text.length);
  const bodyStart = nextLine(text, lineEnd(text, lineStart));
  for (let start = bodyStart; start < text.length;) {
    const end = lineEnd(text, start);
    if (text.slice(start, end).trim() === "---") return blank(0, bodyStart) + text.slice(bodyStart, start) + blank(start, text.length);
    start = nextLine(text, end);
  }
  // An unclosed fence: Astro reads the rest as frontmatter.
  return blank(0, bodyStart) + text.slice(bodyStart);
}

/** An Astro component's template: the text after its frontmatter (all of it when there is none). */
export function astroTemplateSource(text: string): string {
  const code = astroSource(text);
  // The frontmatter is what astroSource kept; the template starts after the last line it kept.
  const kept = code.trimEnd().length;
  if (kept === 0) return text;
  const closing = text.indexOf("---", kept);
  return closing === -1 ? "" : text.slice(closing + 3);
}

function lineEnd(text: string, from: number): number {
  const at = text.indexOf("\n", from);
  return at === -1 ? text.length : at;
}

function nextLine(text: string, end: number): number {
  return Math.min(text.length, end + 1);
}

/** The frontmatter's statements, imports and type declarations left out, as a function over their span. */
function frontmatterFunction(sourceFile: ts.SourceFile): ts.FunctionDeclaration | undefined {
  const statements = sourceFile.statements.filter(
    (s) =>
      !isImportDeclaration(s) &&
      !isImportEqualsDeclaration(s) &&
      !ts.isInterfaceDeclaration(s) &&
      !ts.isTypeAliasDeclaration(s) &&
      !ts.isExportDeclaration(s),
  );
  if (statements.length === 0) return undefined;
  const range = { pos: statements[0]!.pos, end: statements[statements.length - 1]!.end };
  const block = ts.setTextRange(ts.factory.createBlock(statements, true), range);
  const fn = ts.setTextRange(
    ts.factory.createFunctionDeclaration(
      [ts.factory.createModifier(SyntaxKind.AsyncKeyword)],
      undefined,
      undefined,
      undefined,
      [],
      undefined,
      block,
    ),
    range,
  );
  (block as { parent: ts.Node }).parent = fn;
  (fn as { parent: ts.Node }).parent = sourceFile;
  return fn;
}

/**
 * CommonJS exports at the top level: `module.exports = value` is the default export (what
 * `require()` and an ES default import give), `exports.name = value` and `module.exports.name =
 * value` named ones. ES exports of the same name win.
 */
function commonJsExport(expression: ts.Expression, exports: Map<string, ExportBinding>): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== SyntaxKind.EqualsToken) return;
  const left = expression.left;
  if (!isPropertyAccessExpression(left)) return;
  const isModuleExports = (node: ts.Expression): boolean =>
    isPropertyAccessExpression(node) && isIdentifier(node.expression) && node.expression.text === "module" && node.name.text === "exports";
  let name: string | undefined;
  if (isModuleExports(left)) name = "default";
  else if ((isIdentifier(left.expression) && left.expression.text === "exports") || isModuleExports(left.expression)) name = left.name.text;
  if (name !== undefined && !exports.has(name)) exports.set(name, { expression: expression.right });
  // `module.exports = { getLinks, render: renderPage }`: a bundler gives `import { getLinks } from
  // "./links"` and `const { getLinks } = require("./links")` the object's properties.
  const value = unwrapExpression(expression.right);
  if (name !== "default" || !ts.isObjectLiteralExpression(value)) return;
  for (const property of value.properties) {
    if (ts.isShorthandPropertyAssignment(property)) {
      if (!exports.has(property.name.text)) exports.set(property.name.text, { local: property.name.text });
    } else if (ts.isPropertyAssignment(property) && (isIdentifier(property.name) || isStringLiteralLike(property.name))) {
      if (!exports.has(property.name.text)) exports.set(property.name.text, { expression: property.initializer });
    }
  }
}

function collectTopLevelCalls(
  expression: ts.Expression,
  listeners: Array<{ event: string; handler: ts.Expression; call: ts.CallExpression }>,
  receiverCalls: Array<{ receiver: string; method: string; call: ts.CallExpression }>,
): void {
  if (!isCallExpression(expression)) return;
  const callee = expression.expression;
  if (isIdentifier(callee) && callee.text === "addEventListener") {
    const [event, handler] = expression.arguments;
    if (event && handler && isStringLiteralLike(event)) listeners.push({ event: event.text, handler, call: expression });
    return;
  }
  // `app.get(...).post(...)`: collect every link of the chain, innermost first.
  const chain: Array<{ method: string; call: ts.CallExpression }> = [];
  let current: ts.Expression = expression;
  while (isCallExpression(current) && isPropertyAccessExpression(current.expression)) {
    chain.unshift({ method: current.expression.name.text, call: current });
    current = current.expression.expression;
  }
  if (isIdentifier(current)) for (const link of chain) receiverCalls.push({ receiver: current.text, ...link });
}

/** Strips parentheses, `as`, `satisfies`, `<T>x` and `x!`. */
export function unwrapExpression(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (
      isParenthesizedExpression(current) ||
      isAsExpression(current) ||
      isSatisfiesExpression(current) ||
      isNonNullExpression(current) ||
      isTypeAssertionExpression(current)
    ) {
      current = current.expression;
    } else return current;
  }
}

/** The names an exported destructuring declares (`export const { trpc: api, HydrateClient } = ...`), nested patterns too. */
function exportElements(pattern: ts.BindingName, exports: Map<string, ExportBinding>): void {
  if (isIdentifier(pattern)) return;
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (isIdentifier(element.name)) exports.set(element.name.text, { local: element.name.text, element });
    else exportElements(element.name, exports);
  }
}
