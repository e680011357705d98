// The path walk, the shared part: what PathWalker (walk.ts) is made of. The walker follows the
// paths through a fetch handler; each job has its own part, layered into one class only because
// TypeScript composes a class that way:
//   walkRecords.ts     what the walk finds: subrequests recorded and marked, unknowns, findings,
//                      the sweep of calls no handler reached
//   walkFunctions.ts   functions: a handler's outcome, each function's outcome once per marking,
//                      walks again for one call, kept summaries replayed, hand-offs
//   walkCalls.ts       one call: a subrequest, a project function, callbacks, promise combinators,
//                      waitUntil, dispatch through route tables, batches
//   walkStatements.ts  statements and expressions: order, branches, loops, early returns,
//                      once-only work, what waits
// Each part calls the others through `this`. This file holds what more than one part uses: the
// walk's state, the helpers they share, and the declarations of what a part calls in a part
// layered above it.
import ts from "typescript";
import { type AnalysisContext } from "./context";
import { concat, EMPTY, parallel, type Outcome, type Seq } from "./flow";
import { type HandlerSite } from "./handlers/types";
import { unwrapExpression, type ModuleFacts } from "./module";
import { DispatchResolver } from "./dispatch";
import { NitroAutoImports } from "./autoImports";
import { ComponentTree } from "./components";
import { type SummaryEvent } from "./summaries";
import { type Subrequest } from "./types";
import { declarationOf } from "./syntax";
import { DeferringHelpers } from "./deferringHelpers";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const { SyntaxKind, forEachChild, isBinaryExpression, isFunctionLike, isIdentifier, isPropertyAccessExpression, isVariableStatement } = ts;

export type SubrequestRecord = { -readonly [K in keyof Subrequest]: Subrequest[K] };

/** How the steps of calls started without waiting are described (see startsOnly). */
export const STARTED_TOGETHER = "started without waiting for each other: they overlap";

/**
 * Values evaluated in order (a literal's, a call's arguments): those that wait for nothing start
 * their calls and go on, so each run of them counts as calls started together; one that waits
 * comes after what was started before it.
 */
export function startedInOrder(parts: readonly Seq[], waiting: readonly boolean[]): Seq {
  const out: Seq[] = [];
  let run: Seq[] = [];
  const flush = (): void => {
    if (run.length) out.push(run.length > 1 ? parallel(run, STARTED_TOGETHER) : run[0]!);
    run = [];
  };
  parts.forEach((part, i) => {
    if (waiting[i]) {
      flush();
      out.push(part);
    } else run.push(part);
  });
  flush();
  return out.length ? concat(...out) : EMPTY;
}

/**
 * The flag of once-only work: a value held at module level (or on `globalThis`), read as written
 * (`ready`, `state.ready`, `globalThis.__READY__`). Undefined for anything else.
 */
export function moduleFlag(expression: ts.Expression): ts.Expression | undefined {
  const flag = unwrapExpression(expression);
  let root: ts.Expression = flag;
  while (isPropertyAccessExpression(root)) root = unwrapExpression(root.expression);
  if (!isIdentifier(root)) return undefined;
  if (root.text === "globalThis" || root.text === "self") return root === flag ? undefined : flag;
  const declaration = declarationOf(root);
  if (!declaration || !ts.isVariableDeclaration(declaration)) return undefined;
  const statement = declaration.parent.parent;
  return isVariableStatement(statement) && ts.isSourceFile(statement.parent) ? flag : undefined;
}

/** Whether code (outside the functions written in it) assigns the flag: `ready = true`, `db ??= connect()`. */
export function assignsFlag(node: ts.Node, flag: ts.Expression): boolean {
  const text = flag.getText();
  const visit = (n: ts.Node): boolean => {
    if (isFunctionLike(n)) return false;
    if (
      isBinaryExpression(n) &&
      (n.operatorToken.kind === SyntaxKind.EqualsToken ||
        n.operatorToken.kind === SyntaxKind.QuestionQuestionEqualsToken ||
        n.operatorToken.kind === SyntaxKind.BarBarEqualsToken) &&
      unwrapExpression(n.left).getText() === text
    )
      return true;
    return forEachChild(n, visit) === true;
  };
  return forEachChild(node, visit) === true;
}

export abstract class PathWalkerCore {
  readonly subrequests = new Map<ts.Node, SubrequestRecord>();
  /** The call each record was made for: kept summaries name subrequests by their calls. */
  protected readonly callOfRecord = new Map<Subrequest, ts.Node>();
  /** Calls already classified by the walk from a handler: the final sweep skips them. */
  protected readonly classified = new Set<ts.Node>();
  protected readonly inProgress = new Set<ts.Node>();
  /** The effects of the walk in progress, when it is to be kept (see summaries.ts). */
  protected recorder: SummaryEvent[] | null = null;
  /** How many waitUntil calls deep the walk in progress is, within its own function. */
  protected deferredLevel = 0;
  /** Whether the fetch path serves the assets binding. */
  servesAssets = false;
  /** While a fetch handler is analysed: marks what it reaches as on the response path. */
  protected marking: "critical" | "waitUntil" | "none" = "none";
  protected currentHandler: HandlerSite | undefined;

  /** Statements and calls walked so far: the walk's budget, counted in work rather than time so that the answer does not depend on the machine's load. */
  protected steps = 0;
  /** The call a function is being walked again for (see calledOutcome). */
  protected callSite: { call: ts.Node; module: ModuleFacts } | undefined;

  /** Calls through route tables and interfaces (dispatch.ts). */
  protected readonly dispatch: DispatchResolver;
  /** Nitro's auto-imported server utilities (autoImports.ts). */
  readonly nitro: NitroAutoImports;
  protected readonly components: ComponentTree;
  /** The project's helpers that hand a promise they are given to waitUntil (deferringHelpers.ts). */
  protected readonly deferring: DeferringHelpers;
  /** Inside a JSX tree being walked: its nested elements render with it (see renderOutcome). */
  protected inJsx = false;

  constructor(protected readonly ctx: AnalysisContext) {
    this.dispatch = new DispatchResolver(ctx);
    this.nitro = new NitroAutoImports(ctx);
    this.components = new ComponentTree(ctx);
    this.deferring = new DeferringHelpers(ctx);
  }

  // What a part calls in a part layered above it (see the note at the top).
  protected abstract statements(statements: readonly ts.Statement[], module: ModuleFacts, depth: number): Outcome;

  protected abstract expression(node: ts.Expression, module: ModuleFacts, depth: number, awaited: boolean): Seq;
  /** A call of `callee` with no arguments, located at `node` (a library function a framework calls: `mount(auth.handler)`). */
  protected abstract callOf(node: ts.CallExpression, callee: ts.Expression, module: ModuleFacts, depth: number): Seq;

  protected abstract pauses(node: ts.Node): boolean;
}
