import ts from "typescript";
import { joinPath, type FileSystem } from "../fs";
import type { PackageManifest } from "./handlers/frameworks";
import { unwrapExpression as skip } from "./module";
import { resolveFile } from "./resolve";

/**
 * The source a webpack build bundles into a Worker whose built script is not there yet (a Wrangler
 * v1 project: `type = "javascript"` with `[build] command = "npm run build"` running `webpack`, or
 * `type = "webpack"`). Read from the project's webpack config statically (parsed, never run): its
 * `entry` (a string, a one-element array or a one-entry object, also `path.resolve(__dirname, "src/index.ts")`
 * and a `context` folder); else webpack's default entry `src/index` and then `index` beside the config.
 */
export interface WebpackSource {
  readonly path: string;
  /** How it was found, for the reason: `the entry of webpack.config.js`, `webpack's default entry`. */
  readonly via: string;
}

const CONFIG_NAMES = ["webpack.config.js", "webpack.config.cjs", "webpack.config.mjs", "webpack.config.ts"];
/** Larger config files are not parsed (a config is a few hundred lines). */
const MAX_CONFIG_CHARS = 200_000;

/** Whether the project is built by webpack: Wrangler v1's `type = "webpack"`, a webpack config, or webpack in the build. */
export function isWebpackBuild(
  fs: FileSystem,
  dirs: readonly string[],
  manifest: PackageManifest | undefined,
  buildCommand: string | null,
  legacyType: string | null,
): boolean {
  if (legacyType === "webpack") return true;
  if (dirs.some((dir) => CONFIG_NAMES.some((name) => fs.stat(joinPath(dir, name)) === "file"))) return true;
  if (manifest?.dependencies.has("webpack")) return true;
  const words = [buildCommand ?? "", ...(manifest ? [...manifest.scripts.values()] : [])].flatMap((c) => c.split(/\s+/));
  return words.includes("webpack") || words.includes("webpack-cli");
}

/** The source entry of a webpack build in one of `dirs` (the package's folder, then the config's), or undefined. */
export function webpackSource(fs: FileSystem, dirs: readonly string[]): WebpackSource | undefined {
  for (const dir of dirs) {
    for (const name of CONFIG_NAMES) {
      const file = joinPath(dir, name);
      if (fs.stat(file) !== "file") continue;
      const entry = configEntry(fs, file);
      if (entry === undefined) continue;
      const found = resolveFile(fs, joinPath(entry.context ? joinPath(dir, entry.context) : dir, entry.entry), false);
      if (found && fs.stat(found) === "file") return { path: found, via: `the entry of ${name}` };
    }
  }
  // webpack's default entry (`./src/index`), then the script beside the config Wrangler v1 used.
  for (const dir of dirs)
    for (const candidate of ["src/index", "index"]) {
      const found = resolveFile(fs, joinPath(dir, candidate), false);
      if (found && fs.stat(found) === "file") return { path: found, via: `webpack's default entry, ${candidate}` };
    }
  return undefined;
}

/** The `entry` (and `context`) of a webpack config file's exported configuration, or undefined when it cannot be read. */
function configEntry(fs: FileSystem, file: string): { entry: string; context?: string } | undefined {
  const text = fs.readFile(file);
  if (text === undefined || text.length > MAX_CONFIG_CHARS) return undefined;
  let source: ts.SourceFile;
  try {
    source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  } catch {
    return undefined;
  }
  const exported = exportedConfig(source);
  const object = exported ? configObject(exported, source, 0) : undefined;
  if (!object) return undefined;
  const entryValue = property(object, "entry");
  const entry = entryValue ? entryPath(entryValue, source, 0) : undefined;
  if (entry === undefined) return undefined;
  const contextValue = property(object, "context");
  const context = contextValue ? pathOf(contextValue, source, 0) : undefined;
  return context !== undefined ? { entry, context } : { entry };
}

/** `module.exports = X`, `export default X`, `export = X`: X. */
function exportedConfig(source: ts.SourceFile): ts.Expression | undefined {
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement)) return statement.expression;
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = statement.expression;
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const target = expression.left;
    if (
      ts.isPropertyAccessExpression(target) &&
      ts.isIdentifier(target.expression) &&
      target.expression.text === "module" &&
      target.name.text === "exports"
    )
      return expression.right;
  }
  return undefined;
}

/** The configuration object an exported value is: written there, held in a top-level constant, or returned by a function (`(env) => ({...})`). */
function configObject(expression: ts.Expression, source: ts.SourceFile, depth: number): ts.ObjectLiteralExpression | undefined {
  if (depth > 4) return undefined;
  const value = skip(expression);
  if (ts.isObjectLiteralExpression(value)) return value;
  if (ts.isIdentifier(value)) {
    const init = topLevelConstant(value.text, source);
    return init ? configObject(init, source, depth + 1) : undefined;
  }
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
    if (!ts.isBlock(value.body)) return configObject(value.body, source, depth + 1);
    const returns = value.body.statements.filter((s): s is ts.ReturnStatement => ts.isReturnStatement(s) && s.expression !== undefined);
    return returns.length === 1 ? configObject(returns[0]!.expression!, source, depth + 1) : undefined;
  }
  return undefined;
}

/** The entry's one source path: `"./src/index.ts"`, `["./src/index.ts"]`, `{ worker: "./src/index.ts" }`, `{ main: { import: "./x" } }`. */
function entryPath(expression: ts.Expression, source: ts.SourceFile, depth: number): string | undefined {
  if (depth > 4) return undefined;
  const value = skip(expression);
  if (ts.isArrayLiteralExpression(value)) return value.elements.length === 1 ? entryPath(value.elements[0]!, source, depth + 1) : undefined;
  if (ts.isObjectLiteralExpression(value)) {
    const entries = value.properties.filter((p) => ts.isPropertyAssignment(p));
    if (entries.length !== 1 || entries.length !== value.properties.length) return undefined;
    const only = skip(entries[0]!.initializer);
    if (ts.isObjectLiteralExpression(only)) {
      const imported = property(only, "import");
      return imported ? entryPath(imported, source, depth + 1) : undefined;
    }
    return entryPath(only, source, depth + 1);
  }
  if (ts.isIdentifier(value)) {
    const init = topLevelConstant(value.text, source);
    return init ? entryPath(init, source, depth + 1) : undefined;
  }
  return pathOf(value, source, depth);
}

/** A path written as a string, or joined by `path.resolve(__dirname, "src", "index.ts")` / `path.join(...)` / `require.resolve("./x")`. */
function pathOf(expression: ts.Expression, source: ts.SourceFile, depth: number): string | undefined {
  if (depth > 4) return undefined;
  const value = skip(expression);
  if (ts.isStringLiteralLike(value)) return value.text;
  if (ts.isIdentifier(value)) {
    const init = topLevelConstant(value.text, source);
    return init ? pathOf(init, source, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression)) return undefined;
  const method = value.expression.name.text;
  if (method === "resolve" && ts.isIdentifier(value.expression.expression) && value.expression.expression.text === "require") {
    const only = value.arguments[0];
    return only && value.arguments.length === 1 ? pathOf(only, source, depth + 1) : undefined;
  }
  if (method !== "resolve" && method !== "join") return undefined;
  const parts: string[] = [];
  for (const [i, argument] of value.arguments.entries()) {
    const arg = skip(argument);
    // `__dirname` (or `process.cwd()`) first: the config's folder, where the path starts anyway.
    if (i === 0 && ts.isIdentifier(arg) && arg.text === "__dirname") continue;
    const part = ts.isStringLiteralLike(arg) ? arg.text : undefined;
    if (part === undefined) return undefined;
    // An absolute part restarts the path for `resolve`: not a project path then.
    if (part.startsWith("/")) return undefined;
    parts.push(part);
  }
  if (parts.length === 0) return undefined;
  return parts.join("/");
}

/** The initializer of a top-level `const NAME = ...` of the file. */
function topLevelConstant(name: string, source: ts.SourceFile): ts.Expression | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations)
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
  }
  return undefined;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) || p.name.text !== name) continue;
    if (ts.isPropertyAssignment(p)) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
  }
  return undefined;
}
