// A function looked up in a table by a key held in data: `await handlers[def.method](input)`, or
// `const entry = this.methods[step.name]; await entry.function(key)` in a framework that runs a
// list of declarative definitions. Where the key resolves to no known names and the table to no
// readable functions, which function runs is not known: said, naming the lookup, never taken for
// nothing. Asked only once the callee resolved to no function.

import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { isPackageSpecifier } from "./resolve";
import { declarationOf, isConstDeclaration, printNode, rootImport, truncate } from "./syntax";

const { isElementAccessExpression, isIdentifier, isPropertyAccessExpression, isStringLiteralLike, isVariableDeclaration } = ts;

/** The lookup `table[key]` a callee is, or reads a property of (directly or through a local constant). */
function lookupOf(callee: ts.Expression): ts.ElementAccessExpression | undefined {
  const value = unwrapExpression(callee);
  if (isElementAccessExpression(value)) return value;
  if (!isPropertyAccessExpression(value)) return undefined;
  const holder = unwrapExpression(value.expression);
  if (isElementAccessExpression(holder)) return holder;
  if (!isIdentifier(holder)) return undefined;
  const declaration = declarationOf(holder);
  if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer || !isConstDeclaration(declaration)) return undefined;
  const initializer = unwrapExpression(declaration.initializer);
  return isElementAccessExpression(initializer) ? initializer : undefined;
}

/**
 * When `callee` calls what a lookup keyed by a value read from data gives (the key no literal, the
 * table the project's own, not a package's), the lookup and its text; else undefined.
 */
export function dataKeyedLookup(
  callee: ts.Expression,
  module: ModuleFacts,
): { lookup: ts.ElementAccessExpression; text: string } | undefined {
  const lookup = lookupOf(callee);
  if (!lookup) return undefined;
  const key = unwrapExpression(lookup.argumentExpression);
  // `table["send"]`, `items[0]`: a fixed key is no data.
  if (isStringLiteralLike(key) || key.kind === ts.SyntaxKind.NumericLiteral) return undefined;
  // An index into a list (`steps[i]`), not a name: no method table.
  if (!isPropertyAccessExpression(key) && !isElementAccessExpression(key)) return undefined;
  const root = rootImport(lookup.expression, module);
  if (root && isPackageSpecifier(root.module)) return undefined;
  return { lookup, text: truncate(printNode(lookup)) };
}
