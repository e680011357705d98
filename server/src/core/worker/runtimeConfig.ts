import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, parseConfigFile } from "./syntax";

const {
  isBindingElement,
  isCallExpression,
  isExportAssignment,
  isIdentifier,
  isNoSubstitutionTemplateLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isStringLiteral,
  isVariableDeclaration,
} = ts;

/** Where `useRuntimeConfig` comes from when it is imported rather than auto-imported. */
const RUNTIME_CONFIG_MODULES = new Set(["#imports", "#app", "nitropack/runtime", "nitro/runtime", "#nitro"]);

/** The project files that declare Nuxt's or Nitro's `runtimeConfig`, in the order Nuxt and Nitro look. */
const CONFIG_FILES = [
  "nuxt.config.ts",
  "nuxt.config.mts",
  "nuxt.config.js",
  "nuxt.config.mjs",
  "nitro.config.ts",
  "nitro.config.mts",
  "nitro.config.js",
  "nitro.config.mjs",
];

const MAX_DEPTH = 8;

/**
 * The key path of a Nuxt / Nitro runtime config value an expression reads: `["dohUrl"]` for
 * `useRuntimeConfig(event).dohUrl`, `const { dohUrl } = useRuntimeConfig(event)` or `config.dohUrl`
 * with `const config = useRuntimeConfig()`; `["public", "apiBase"]` for `useRuntimeConfig().public.apiBase`.
 * Undefined for anything else (a `useRuntimeConfig` the project defines itself is not Nitro's).
 */
export function runtimeConfigPath(expression: ts.Expression, module: ModuleFacts, depth = 0): readonly string[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const value = unwrapExpression(expression);
  if (isPropertyAccessExpression(value)) {
    const base = runtimeConfigPath(value.expression, module, depth + 1);
    return base && [...base, value.name.text];
  }
  if (isCallExpression(value)) return isRuntimeConfigCall(value, module) ? [] : undefined;
  if (!isIdentifier(value)) return undefined;
  const declaration = declarationOf(value);
  if (declaration && isVariableDeclaration(declaration) && declaration.initializer && isConst(declaration))
    return runtimeConfigPath(declaration.initializer, module, depth + 1);
  if (declaration && isBindingElement(declaration)) return bindingPath(declaration, module, depth + 1);
  return undefined;
}

/** `const { dohUrl } = useRuntimeConfig(event)`, `const { public: { apiBase } } = useRuntimeConfig()`. */
function bindingPath(element: ts.BindingElement, module: ModuleFacts, depth: number): readonly string[] | undefined {
  if (depth > MAX_DEPTH || element.dotDotDotToken) return undefined;
  const pattern = element.parent;
  const key = element.propertyName ?? element.name;
  if (!isObjectBindingPattern(pattern) || !(isIdentifier(key) || isStringLiteral(key))) return undefined;
  const holder = pattern.parent;
  let base: readonly string[] | undefined;
  if (isBindingElement(holder)) base = bindingPath(holder, module, depth + 1);
  else if (isVariableDeclaration(holder) && holder.initializer && isConst(holder))
    base = runtimeConfigPath(holder.initializer, module, depth + 1);
  return base && [...base, key.text];
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** `useRuntimeConfig(...)`: Nitro's auto-import (no declaration in the project) or imported from Nuxt / Nitro. */
function isRuntimeConfigCall(call: ts.CallExpression, module: ModuleFacts): boolean {
  const callee = unwrapExpression(call.expression);
  if (!isIdentifier(callee) || callee.text !== "useRuntimeConfig") return false;
  const imported = module.imports.get(callee.text);
  if (imported) return RUNTIME_CONFIG_MODULES.has(imported.module) && imported.name === "useRuntimeConfig";
  return declarationOf(callee) === undefined;
}

/**
 * What `runtimeConfig` in the project's nuxt.config (or nitro.config) gives for a key path: the
 * string when it is a non-empty literal; null when it is empty, missing or not a literal, as Nitro
 * then takes it from a `NUXT_*` / `NITRO_*` environment variable at run time (a host from
 * configuration). The config file is parsed, never run.
 */
export function runtimeConfigValue(ctx: AnalysisContext, path: readonly string[]): string | null {
  let node: ts.Expression | undefined = runtimeConfigObject(ctx);
  for (const key of path) {
    const object: ts.Expression | undefined = node && unwrapExpression(node);
    if (!object || !isObjectLiteralExpression(object)) return null;
    const property = object.properties.find(
      (p): p is ts.PropertyAssignment =>
        isPropertyAssignment(p) && (isIdentifier(p.name) || isStringLiteral(p.name)) && p.name.text === key,
    );
    node = property?.initializer;
  }
  const leaf = node && unwrapExpression(node);
  return leaf && (isStringLiteral(leaf) || isNoSubstitutionTemplateLiteral(leaf)) && leaf.text !== "" ? leaf.text : null;
}

const configObjects = new WeakMap<AnalysisContext, ts.Expression | null>();

/** The `runtimeConfig` object literal of `export default defineNuxtConfig({ ... })` (or a plain object). */
function runtimeConfigObject(ctx: AnalysisContext): ts.Expression | undefined {
  const cached = configObjects.get(ctx);
  if (cached !== undefined) return cached ?? undefined;
  let found: ts.Expression | null = null;
  const source = parseConfigFile(ctx.fs, ctx.input.projectRoot, CONFIG_FILES);
  if (source) {
    for (const statement of source.statements) {
      if (!isExportAssignment(statement) || statement.isExportEquals) continue;
      let config = unwrapExpression(statement.expression);
      if (isCallExpression(config) && config.arguments[0]) config = unwrapExpression(config.arguments[0]);
      if (!isObjectLiteralExpression(config)) continue;
      const property = config.properties.find(
        (p): p is ts.PropertyAssignment => isPropertyAssignment(p) && isIdentifier(p.name) && p.name.text === "runtimeConfig",
      );
      if (property) found = property.initializer;
    }
  }
  configObjects.set(ctx, found);
  return found ?? undefined;
}
