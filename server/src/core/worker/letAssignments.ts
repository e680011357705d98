import ts from "typescript";
import { declarationOf } from "./syntax";

const MAX_NODES = 5000;

/**
 * The values given by plain assignments (`target = env.ROOMS;`) to a variable declared without an
 * initializer (`let target: DurableObjectNamespace;`), read in the block that declares it. Undefined
 * when the variable is declared with a value, is written otherwise (`+=`, `??=`, destructuring), or
 * the block is too large to read.
 */
export function letAssignedValues(declaration: ts.VariableDeclaration): ts.Expression[] | undefined {
  if (declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Let)) return undefined;
  const scope = list.parent?.parent;
  if (!scope) return undefined;
  const values: ts.Expression[] = [];
  let nodes = 0;
  let unreadable = false;
  const visit = (node: ts.Node): void => {
    if (unreadable) return;
    if (++nodes > MAX_NODES) {
      unreadable = true;
      return;
    }
    if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && declarationOf(node.left) === declaration) {
      if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) {
        unreadable = true;
        return;
      }
      values.push(node.right);
    } else if (
      (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) &&
      ts.isBinaryExpression(node.parent) &&
      node.parent.left === node
    ) {
      // A destructuring assignment may write the variable: not read.
      if (node.getText().includes(declaration.name.getText())) unreadable = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return unreadable || values.length === 0 ? undefined : values;
}
