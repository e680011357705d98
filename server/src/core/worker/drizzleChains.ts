// An awaited Drizzle query (`await c.db.select().from(users).where(...)`) on a value the analysis
// could not resolve to a client: a parameter of a function the analysis never saw called with one
// (an operation's handler looked up in a registry, given a context object). Its round trip is
// unknown, never nothing. Pure syntax: the query builder's shape, on a parameter, in a module that
// imports from Drizzle (so `await cache.delete(key)` or a `select()` of some other library is not one).
import ts from "typescript";
import { ownEntry } from "../tables";
import { unwrapExpression, type ModuleFacts } from "./module";
import { DRIZZLE_MODULE_PREFIX } from "./sdks";
import { declarationOf } from "./syntax";

/** Query builders and the step each needs after it to be a query (`db.delete(key)` alone is no proof). */
const QUERY_STARTS: Readonly<Record<string, ReadonlySet<string>>> = {
  select: new Set(["from"]),
  selectDistinct: new Set(["from"]),
  selectDistinctOn: new Set(["from"]),
  insert: new Set(["values"]),
  update: new Set(["set"]),
  delete: new Set(["where", "returning"]),
};

/** Drizzle's relational queries: `db.query.users.findMany(...)`. */
const RELATIONAL_FINDERS = new Set(["findMany", "findFirst"]);

/** The receiver of an awaited Drizzle query on a parameter (`c.db`), as written; undefined for anything else. */
export function unresolvedDrizzleQuery(node: ts.CallExpression, module: ModuleFacts): string | undefined {
  const receiver = drizzleQueryReceiver(node, module);
  return receiver && onParameter(receiver) ? receiver.getText() : undefined;
}

/**
 * The receiver of an awaited call shaped as a Drizzle query (`db` of `await db.select().from(t)`), in a
 * module that imports Drizzle; not `tx` of a transaction's callback (see isTransactionCallback).
 */
export function drizzleQueryReceiver(
  node: ts.CallExpression | ts.TaggedTemplateExpression,
  module: ModuleFacts,
): ts.Expression | undefined {
  if (!ts.isCallExpression(node) || !isAwaited(node) || !importsDrizzle(module)) return undefined;
  const methods: string[] = [];
  let current: ts.Expression = node;
  while (ts.isCallExpression(current)) {
    const callee = unwrapExpression(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    methods.unshift(callee.name.text);
    current = unwrapExpression(callee.expression);
  }
  const [first, ...rest] = methods;
  if (first === undefined) return undefined;
  let receiver = current;
  if (RELATIONAL_FINDERS.has(first) && methods.length === 1) {
    // `db.query.users.findMany()`: the receiver is `db`, before `.query.<table>`.
    const table = receiver;
    if (!ts.isPropertyAccessExpression(table)) return undefined;
    const query = unwrapExpression(table.expression);
    if (!ts.isPropertyAccessExpression(query) || query.name.text !== "query") return undefined;
    receiver = unwrapExpression(query.expression);
  } else {
    const needed = ownEntry(QUERY_STARTS, first);
    if (!needed || !rest.some((m) => needed.has(m))) return undefined;
  }
  const parameter = rootParameter(receiver);
  return parameter && isTransactionCallback(parameter.parent) ? undefined : receiver;
}

/** `db`, `c.db`, `ctx.store.db` where the name at the root is a parameter (or taken apart from one). */
function onParameter(expression: ts.Expression): boolean {
  return rootParameter(expression) !== undefined;
}

/** The parameter a receiver (`tx`, `c.db`) is read from, if it is one. */
function rootParameter(expression: ts.Expression): ts.ParameterDeclaration | undefined {
  let root = expression;
  for (let depth = 0; depth < 6 && ts.isPropertyAccessExpression(root); depth++) root = unwrapExpression(root.expression);
  if (!ts.isIdentifier(root)) return undefined;
  let declaration: ts.Node | undefined = declarationOf(root);
  while (declaration && ts.isBindingElement(declaration)) declaration = declaration.parent.parent;
  return declaration && ts.isParameter(declaration) ? declaration : undefined;
}

/**
 * `db.transaction(async (tx) => ...)`: the library table decides what the driver does with the
 * callback (runs it between BEGIN and COMMIT, or throws at once over neon-http and D1), so a query on
 * its `tx` is accounted for: no unresolved client, and no sign of lost wiring when it never runs.
 */
function isTransactionCallback(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.some((a) => unwrapExpression(a) === fn)) return false;
  const callee = unwrapExpression(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === "transaction";
}

function importsDrizzle(module: ModuleFacts): boolean {
  for (const imported of module.imports.values())
    if (imported.module === DRIZZLE_MODULE_PREFIX || imported.module.startsWith(DRIZZLE_MODULE_PREFIX + "/")) return true;
  return false;
}

/** `await q`, or `Promise.all([q, ...])` awaited or not: a value the code waits for. */
function isAwaited(node: ts.Node): boolean {
  let current: ts.Node = node;
  while (
    current.parent &&
    (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent))
  )
    current = current.parent;
  const parent = current.parent;
  if (!parent) return false;
  if (ts.isAwaitExpression(parent)) return true;
  const call = ts.isArrayLiteralExpression(parent) ? parent.parent : undefined;
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = unwrapExpression(call.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === "Promise" &&
    ["all", "allSettled"].includes(callee.name.text)
  );
}
