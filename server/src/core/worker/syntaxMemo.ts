import ts from "typescript";

/**
 * Answers read from a tree alone, kept per node for as long as the node lives.
 *
 * Safe to keep across analyses: each answer depends on nothing but the node's own subtree, and a
 * subtree never changes once parsed (an edit makes a new tree; TypeScript's incremental parse
 * reuses a node only where the edit left its whole text alone, and then with the same children).
 * Keyed weakly, so a tree an analysis drops takes its answers with it.
 */

const { forEachChild, isClassLike, isFunctionLike, isReturnStatement } = ts;

const returnsByBody = new WeakMap<ts.Block, readonly ts.Expression[]>();

/**
 * The expressions a function body's `return` statements give (not those of the functions and
 * classes inside it), in source order. The walk, the classifier and the value resolver ask for
 * the same helper's returns once per caller: a shared database helper was visited again for every
 * module that calls it.
 */
export function returnExpressions(body: ts.Block): readonly ts.Expression[] {
  let found = returnsByBody.get(body);
  if (found === undefined) {
    const expressions: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (isFunctionLike(node) || isClassLike(node)) return;
      if (isReturnStatement(node) && node.expression) expressions.push(node.expression);
      forEachChild(node, visit);
    };
    forEachChild(body, visit);
    found = expressions;
    returnsByBody.set(body, found);
  }
  return found;
}
