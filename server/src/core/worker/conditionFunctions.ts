// The project function a condition calls, for constantConditions.ts: found by name only (in the
// file, or through an import), never through a value the walk computes, so deciding a condition
// changes nothing the walk counts.
import ts from "typescript";
import type { AnalysisContext } from "./context";
import { declarationOf, moduleOfNode } from "./syntax";

/**
 * The function a callee names: a function or a function expression of its file (also a local),
 * or one a project module exports and the file imports by name. Undefined for anything else (a
 * method, a namespace import, a package's function).
 */
export function namedProjectFunction(callee: ts.Expression, ctx: AnalysisContext): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  const module = moduleOfNode(callee);
  if (!module) return undefined;
  const declaration = declarationOf(callee);
  if (declaration) {
    if (ts.isFunctionDeclaration(declaration)) return declaration;
    const initializer = ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
    return initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) ? initializer : undefined;
  }
  const imported = module.imports.get(callee.text);
  if (!imported || imported.name === "*" || imported.name === "default") return undefined;
  const target = ctx.loader.moduleFor(imported.module, module);
  return target ? ctx.values.exportedFunction(imported.name, target)?.fn : undefined;
}
