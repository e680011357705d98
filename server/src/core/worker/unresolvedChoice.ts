// A function called through a name that holds a choice the analyser cannot resolve:
// `const fetcher = deps.fetcher ?? makeFetcher()` or `const run = flag ? a : b` where no part is a
// function of the project it can read. Awaited, such a call may make round trips: said, never
// taken for nothing.

import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { isPackageSpecifier } from "./resolve";
import { declarationOf, isConstDeclaration, printNode, rootImport, truncate } from "./syntax";

const { isBinaryExpression, isConditionalExpression, isIdentifier, isVariableDeclaration, SyntaxKind } = ts;

/** The parts a choice may give: `a ?? b`, `a || b`, `c ? a : b`, nested; undefined for anything else. */
function choiceParts(expression: ts.Expression, depth = 0): ts.Expression[] | undefined {
  const value = unwrapExpression(expression);
  if (depth > 6) return undefined;
  if (
    isBinaryExpression(value) &&
    (value.operatorToken.kind === SyntaxKind.QuestionQuestionToken || value.operatorToken.kind === SyntaxKind.BarBarToken)
  )
    return [...(choiceParts(value.left, depth + 1) ?? [value.left]), ...(choiceParts(value.right, depth + 1) ?? [value.right])];
  if (isConditionalExpression(value))
    return [
      ...(choiceParts(value.whenTrue, depth + 1) ?? [value.whenTrue]),
      ...(choiceParts(value.whenFalse, depth + 1) ?? [value.whenFalse]),
    ];
  return undefined;
}

/**
 * When `callee` is a local constant holding a choice (see above) none of whose parts is a
 * package's (a library's function is the classifier's, or known to do its work in the Worker), the
 * choice as written; else undefined. Asked only once the callee resolved to no function.
 */
export function unresolvedChoice(callee: ts.Expression, module: ModuleFacts): string | undefined {
  if (!isIdentifier(callee)) return undefined;
  const declaration = declarationOf(callee);
  if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer || !isConstDeclaration(declaration)) return undefined;
  const parts = choiceParts(declaration.initializer);
  if (!parts) return undefined;
  for (const part of parts) {
    const value = unwrapExpression(part);
    // `method === "GET" ? handlers[path] : undefined`: the nullish side is no function (the call is
    // guarded against it), so the choice is the other side's, not a global's.
    if (isNullish(value)) continue;
    // `deps.fetch ?? fetch`, `opts.now ?? Date.now`: a global of the platform (the global fetch is the classifier's).
    if (isIdentifier(value) && !declarationOf(value) && !module.imports.has(value.text)) return undefined;
    const root = rootImport(value, module);
    if (root && isPackageSpecifier(root.module)) return undefined;
  }
  return truncate(printNode(declaration.initializer));
}

/** `null`, the global `undefined` or `void 0`. */
function isNullish(value: ts.Expression): boolean {
  if (value.kind === SyntaxKind.NullKeyword) return true;
  if (isIdentifier(value) && value.text === "undefined" && !declarationOf(value)) return true;
  return ts.isVoidExpression(value) && ts.isNumericLiteral(unwrapExpression(value.expression));
}
