import ts from "typescript";
import { joinPath, type FileSystem } from "../../fs";
import { unwrapExpression } from "../module";
import { parseConfigFile } from "../syntax";
import { NITRO_CONFIG_FILES, NUXT_CONFIG_FILES, nitroServerDirs } from "./nitroConfig";

/**
 * Options of a Nitro config that add request handlers (or proxy requests to a back end) without a
 * route module: `handlers`, `routeRules` (a proxy rule), `modules`, a `renderer`, `virtual` modules,
 * an `errorHandler`, `plugins` named in the config, more `scanDirs`, and `hooks`.
 */
const HANDLER_OPTIONS = new Set([
  "handlers",
  "routeRules",
  "modules",
  "renderer",
  "virtual",
  "errorHandler",
  "plugins",
  "scanDirs",
  "hooks",
]);

/** The folders where Nitro finds the app's request handlers (and its plugins, which hook requests). */
const HANDLER_FOLDERS = ["routes", "api", "middleware", "plugins"];

/**
 * A standalone Nitro app (a nitro.config, no nuxt.config) whose sources are there but hold no
 * request handler: no `routes/`, `api/`, `middleware/` or `plugins/` folder in any of the server
 * folders Nitro scans, and a config (`export default defineNitroConfig({ ... })`, read with
 * TypeScript's parser) that adds none (no `handlers`, `routeRules`, `modules`, ...). Its generated
 * fetch handler only serves the public assets and 404s: no code of the app's is on a request's
 * path (scheduled tasks run apart from requests). The config file's path, or undefined when any of
 * this is not certain (a config of another shape, a `srcDir` that is not there).
 */
export function routelessNitroApp(fs: FileSystem, root: string): string | undefined {
  if (NUXT_CONFIG_FILES.some((name) => fs.stat(joinPath(root, name)) !== undefined)) return undefined;
  const source = parseConfigFile(fs, root, NITRO_CONFIG_FILES);
  if (!source) return undefined;
  const config = exportedObject(source);
  if (!config) return undefined;
  for (const property of config.properties) {
    const name = optionName(property);
    if (name === undefined || HANDLER_OPTIONS.has(name) || !ts.isPropertyAssignment(property)) return undefined;
    const initializer = property.initializer;
    // Per-environment overrides (`$production: { ... }`): none of them may add handlers either.
    if (name.startsWith("$")) {
      const value = unwrapExpression(initializer);
      if (!ts.isObjectLiteralExpression(value)) return undefined;
      for (const inner of value.properties) {
        const innerName = optionName(inner);
        if (innerName === undefined || HANDLER_OPTIONS.has(innerName)) return undefined;
      }
    }
    if (name === "srcDir" || name === "serverDir") {
      const value = unwrapExpression(initializer);
      if (!ts.isStringLiteralLike(value) || fs.stat(joinPath(root, value.text)) !== "directory") return undefined;
    }
  }
  for (const dir of nitroServerDirs(fs, root))
    for (const folder of HANDLER_FOLDERS) if (fs.stat(joinPath(dir, folder)) !== undefined) return undefined;
  return source.fileName;
}

/** The name of a `name: value` option; undefined for a spread, a shorthand or a computed name. */
function optionName(property: ts.ObjectLiteralElementLike): string | undefined {
  if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name))) return undefined;
  return property.name.text;
}

/** The object literal of `export default defineNitroConfig({ ... })` (or of a plain `export default { ... }`). */
function exportedObject(source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  for (const statement of source.statements) {
    if (!ts.isExportAssignment(statement) || statement.isExportEquals) continue;
    let value = unwrapExpression(statement.expression);
    if (ts.isCallExpression(value) && value.arguments.length === 1) value = unwrapExpression(value.arguments[0]!);
    return ts.isObjectLiteralExpression(value) ? value : undefined;
  }
  return undefined;
}
