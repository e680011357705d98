import ts from "typescript";
import type { FileSystem } from "../../fs";
import { unwrapExpression } from "../module";
import { parseConfigFile } from "../syntax";

const {
  isBinaryExpression,
  isCallExpression,
  isExportAssignment,
  isExpressionStatement,
  isIdentifier,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isStringLiteralLike,
  isVariableStatement,
} = ts;

export const NEXT_CONFIG_FILES = ["next.config.ts", "next.config.mts", "next.config.js", "next.config.mjs", "next.config.cjs"];

/**
 * The Next.js config file of an app whose exported config says `output: "export"` (a static
 * export: `next build` writes HTML, CSS and JavaScript files and no server code at all), or
 * undefined. Parsed with TypeScript's parser, never run. Only a literal `"export"` on the object
 * the file exports counts (`export default config`, `module.exports = {...}`, a plugin wrapper's
 * first argument such as `withMDX(config)`): a value computed at build time, or a config function,
 * may give a server build, so it is not taken as a static export.
 */
export function nextStaticExportConfig(fs: FileSystem, root: string): string | undefined {
  const source = parseConfigFile(fs, root, NEXT_CONFIG_FILES);
  if (!source) return undefined;
  for (const statement of source.statements) {
    let exported: ts.Expression | undefined;
    if (isExportAssignment(statement) && !statement.isExportEquals) exported = statement.expression;
    else if (isExpressionStatement(statement) && isBinaryExpression(statement.expression)) {
      const { left, operatorToken, right } = statement.expression;
      if (
        operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        isPropertyAccessExpression(left) &&
        isIdentifier(left.expression) &&
        left.expression.text === "module" &&
        left.name.text === "exports"
      )
        exported = right;
    }
    if (!exported) continue;
    const config = configObject(source, exported, 0);
    if (!config) continue;
    for (const property of config.properties) {
      if (!isPropertyAssignment(property) || !(isIdentifier(property.name) || isStringLiteralLike(property.name))) continue;
      if (property.name.text !== "output") continue;
      const value = unwrapExpression(property.initializer);
      if (isStringLiteralLike(value) && value.text === "export") return source.fileName;
    }
  }
  return undefined;
}

/** The object literal an exported expression is: itself, a module constant holding it, or a wrapper call's first argument. */
function configObject(source: ts.SourceFile, expression: ts.Expression, depth: number): ts.ObjectLiteralExpression | undefined {
  if (depth > 10) return undefined;
  const value = unwrapExpression(expression);
  if (isObjectLiteralExpression(value)) return value;
  if (isCallExpression(value) && value.arguments[0]) return configObject(source, value.arguments[0], depth + 1);
  if (isIdentifier(value)) {
    for (const statement of source.statements) {
      if (!isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations)
        if (isIdentifier(declaration.name) && declaration.name.text === value.text && declaration.initializer)
          return configObject(source, declaration.initializer, depth + 1);
    }
  }
  return undefined;
}
