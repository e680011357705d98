// Helpers of the project that defer a promise they are given: `scheduleDbWrite(c, task)` whose body
// is `c.executionCtx.waitUntil(task)` (or, without a context, `task.catch(() => undefined)`). The
// promise handed to such a helper is off the response path, as if it had been handed to waitUntil
// itself: `scheduleDbWrite(c, recordUsage(db, row))`, or `const task = recordUsage(db, row);
// scheduleDbWrite(c, task);`.
import ts from "typescript";
import type { AnalysisContext } from "./context";
import { insideDroppedPromiseChain } from "./flowShapes";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, isWaitUntilCall, type FunctionRef } from "./syntax";

const { forEachChild, isCallExpression, isIdentifier } = ts;

/** How many helpers deep a promise may be handed on (`defer(c, p)` calling `schedule(c.ctx, p)`). */
const MAX_DEPTH = 3;

const NONE: ReadonlySet<number> = new Set();

/** Whether a callee is a parameter or read from one (`run`, `client.post`). */
function rootedInParameter(callee: ts.Expression): boolean {
  let root = callee;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrapExpression(root.expression);
  if (!isIdentifier(root)) return false;
  const declaration = declarationOf(root);
  return declaration !== undefined && ts.isParameter(declaration);
}

/** Per analysis: which parameters of each function only defer the promise they hold. */
export class DeferringHelpers {
  private readonly known = new Map<ts.Node, ReadonlySet<number>>();

  constructor(private readonly ctx: AnalysisContext) {}

  /**
   * The indexes of the arguments of a call that its callee, a function of the project, only hands
   * to waitUntil or drops (see deferredParameters); empty when it is not such a helper.
   */
  deferredArguments(call: ts.CallExpression, module: ModuleFacts): ReadonlySet<number> {
    if (call.arguments.length === 0) return NONE;
    const callee = unwrapExpression(call.expression);
    // A waitUntil call itself is walked as one (walkCalls.ts); here only the project's helpers.
    if (isWaitUntilCall(callee, module)) return NONE;
    const target = this.ctx.values.calledFunction(callee, module);
    return target ? this.deferredParameters(target, 0) : NONE;
  }

  /** Whether an argument of a call is only deferred by the helper called (see deferredArguments). */
  defersArgument(call: ts.CallExpression, argument: ts.Node, module: ModuleFacts): boolean {
    const index = call.arguments.indexOf(argument as ts.Expression);
    return index >= 0 && this.deferredArguments(call, module).has(index);
  }

  /**
   * The parameters of a function whose every use is as an argument of waitUntil, inside a promise
   * chain nobody waits for (`task.catch(() => undefined);`), or as an argument another such helper
   * defers, with at least one such use: what the function is given there is never waited for.
   */
  private deferredParameters(target: FunctionRef, depth: number): ReadonlySet<number> {
    const { fn, module } = target;
    const known = this.known.get(fn);
    if (known) return known;
    const body = fn.body;
    if (!body || depth > MAX_DEPTH) return NONE;
    // Asked again while working it out (a helper handing the promise back to itself): nothing.
    this.known.set(fn, NONE);
    const found = new Set<number>();
    fn.parameters.forEach((parameter, index) => {
      if (!isIdentifier(parameter.name) || parameter.dotDotDotToken) return;
      if (this.onlyDeferred(parameter, parameter.name.text, body, fn, module, depth)) found.add(index);
    });
    const answer = found.size > 0 ? found : NONE;
    this.known.set(fn, answer);
    return answer;
  }

  private onlyDeferred(
    parameter: ts.ParameterDeclaration,
    name: string,
    body: ts.Node,
    fn: ts.FunctionLikeDeclaration,
    module: ModuleFacts,
    depth: number,
  ): boolean {
    let uses = 0;
    let other = false;
    const visit = (node: ts.Node): void => {
      if (other) return;
      if (isIdentifier(node) && node.text === name && declarationOf(node) === parameter) {
        if (this.deferredUse(node, fn, module, depth)) uses++;
        else other = true;
        return;
      }
      forEachChild(node, visit);
    };
    visit(body);
    return uses > 0 && !other;
  }

  private deferredUse(use: ts.Identifier, fn: ts.FunctionLikeDeclaration, module: ModuleFacts, depth: number): boolean {
    const call = use.parent;
    if (isCallExpression(call) && call.arguments.includes(use)) {
      const callee = unwrapExpression(call.expression);
      if (isWaitUntilCall(callee, module)) return true;
      // Not a function the helper is given (`run(task)`, `client.post(task)`): what a parameter holds
      // is read from the callers' arguments, which are not noted yet, and the answer would be kept.
      if (rootedInParameter(callee)) return false;
      const next = this.ctx.values.calledFunction(callee, module);
      return next !== undefined && next.fn !== fn && this.deferredParameters(next, depth + 1).has(call.arguments.indexOf(use));
    }
    // `task.catch(() => undefined);`: a chain nobody waits for, in the helper itself.
    return insideDroppedPromiseChain(use) && ts.findAncestor(use.parent, ts.isFunctionLike) === fn;
  }
}
