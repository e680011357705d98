import ts from "typescript";
import { basename } from "../fs";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf } from "./syntax";

const { isBindingElement, isIdentifier, isObjectBindingPattern, isPropertyAccessExpression, isVariableDeclaration } = ts;

/**
 * A name imported from a module of the Worker's that does not export it: `const { default: h } =
 * await import("./h")` or `import h from "./h"` when `h.ts` has no default export. The import gives
 * undefined, so a request handed to it fails at run time. Only said of ES modules whose every
 * `export *` the analyser reads (a CommonJS module's exports are not modelled).
 */
export function missingExport(
  ctx: AnalysisContext,
  expression: ts.Expression,
  module: ModuleFacts,
): { name: string; file: string; exported: string[] } | undefined {
  const value = unwrapExpression(expression);
  let target: ModuleFacts | undefined;
  let name: string | undefined;
  if (isPropertyAccessExpression(value)) {
    // `mod.default` of `const mod = await import("./h")`.
    target = ctx.values.dynamicImportOf(value.expression, module);
    name = value.name.text;
  } else if (isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (declaration && isBindingElement(declaration) && isObjectBindingPattern(declaration.parent)) {
      const holder = declaration.parent.parent;
      const key = declaration.propertyName ?? declaration.name;
      if (isVariableDeclaration(holder) && holder.initializer && isIdentifier(key)) {
        target = ctx.values.dynamicImportOf(holder.initializer, module);
        name = key.text;
      }
    } else if (!declaration) {
      const imported = module.imports.get(value.text);
      if (imported && imported.name !== "*") {
        target = ctx.loader.moduleFor(imported.module, module);
        name = imported.name;
      }
    }
  }
  if (!target || name === undefined || target.exports.size === 0) return undefined;
  if (target.starReexports.some((star) => !ctx.loader.moduleFor(star, target))) return undefined;
  if (ctx.values.exportOf(name, target)) return undefined;
  return { name, file: basename(target.path), exported: [...target.exports.keys()] };
}

/** The reason given for a request handed to a missing export, with what the user can do. */
export function missingExportReason(missing: { name: string; file: string; exported: string[] }, callee: string, where: string): string {
  const what = missing.name === "default" ? "the default export" : `the export ${missing.name}`;
  const others = missing.exported.filter((n) => n !== missing.name).slice(0, 3);
  return `${callee}(...) hands the request to ${what} of ${missing.file}, which that module does not have: the import gives undefined, so the call fails at run time (${where}); export the handler as ${missing.name === "default" ? "default" : missing.name}${others.length > 0 ? ` or import one of the names it exports (${others.join(", ")})` : ""} to have its paths followed`;
}
