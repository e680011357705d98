import ts from "typescript";
import { basename, joinPath, type FileSystem } from "../fs";
import { unwrapExpression, type ModuleFacts } from "./module";
import { isSourceFile } from "./resolve";
import { lookupDeclaration } from "./scopes";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  NodeFlags,
  SyntaxKind,
  forEachChild,
  getModifiers,
  isArrowFunction,
  isAsExpression,
  isAwaitExpression,
  isBinaryExpression,
  isForOfStatement,
  isFunctionLike,
  isIterationStatement,
  isCallExpression,
  isConstructorDeclaration,
  isElementAccessExpression,
  isExpressionStatement,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isNonNullExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isStringLiteralLike,
  isTaggedTemplateExpression,
  isVariableDeclaration,
  isVariableDeclarationList,
  isPropertyAssignment,
} = ts;

/** A function and the module it is written in. */
export interface FunctionRef {
  readonly fn: ts.FunctionLikeDeclaration;
  readonly module: ModuleFacts;
}

export const HOLE = "\u0000";

/** With the file at hand, TypeScript need not walk up the parents to find it. */
export function spanOf(node: ts.Node, sourceFile?: ts.SourceFile): { start: number; end: number } {
  return { start: node.getStart(sourceFile), end: node.getEnd() };
}

export function extensionOf(path: string): string {
  const name = basename(path);
  return name.includes(".") ? name.slice(name.lastIndexOf(".")) : "";
}

/**
 * Whether a specifier or `main` is bare: neither a relative nor an absolute path nor a source file
 * name. A package (`zod`) or an alias (`@/lib/db`, `#app/x`); resolve.ts's isPackageSpecifier tells those apart.
 */
export function isBareSpecifier(main: string): boolean {
  return !main.startsWith(".") && !main.startsWith("/") && !isSourceFile(main);
}

/** Files that are data, never code: JSON, text, styles, images, WebAssembly. */
const DATA_MODULE =
  /\.(json|jsonc|txt|md|html|css|scss|sass|less|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|wasm|bin|sql|csv|ya?ml|toml)$/i;

/** Whether an import specifier names a data file (`./data/animals.json`, a stylesheet, a wasm module). */
export function isDataSpecifier(specifier: string): boolean {
  return DATA_MODULE.test(specifier.replace(/[?#].*$/, ""));
}

/** Host of an absolute URL (HOLE-free up to the end of the host), lower-cased, without port. */
export function hostOf(text: string): string | undefined {
  const scheme = text.indexOf("://");
  if (scheme <= 0) return undefined;
  const rest = text.slice(scheme + 3);
  let end = rest.length;
  for (const delimiter of ["/", "?", "#"]) {
    const index = rest.indexOf(delimiter);
    if (index >= 0 && index < end) end = index;
  }
  let authority = rest.slice(0, end);
  // `https://api.example.com${path}`: a hole right after a complete host name is where the path starts.
  const hole = authority.indexOf(HOLE);
  if (hole >= 0)
    authority =
      hole > 0 && authority.slice(0, hole).includes(".") && /[a-z0-9]$/i.test(authority.slice(0, hole)) ? authority.slice(0, hole) : "";
  if (authority === "") return undefined;
  const withoutCredentials = authority.slice(authority.lastIndexOf("@") + 1);
  const host = withoutCredentials.startsWith("[")
    ? withoutCredentials.slice(0, withoutCredentials.indexOf("]") + 1)
    : withoutCredentials.split(":")[0]!;
  return host ? host.toLowerCase() : undefined;
}

export function isPlainHost(text: string): boolean {
  return !text.includes(HOLE) && !text.includes("/") && text.includes(".") && !text.includes(" ");
}

export function truncate(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

export function printNode(node: ts.Node): string {
  return node.getText().replace(/\s+/g, " ");
}

export function calleeText(call: ts.CallExpression): string {
  return truncate(printNode(call.expression));
}

export function joinRoute(prefixPath: string, path: string): string {
  const joined = `${prefixPath.replace(/\/$/, "")}/${path.replace(/^\//, "")}`;
  return joined === "/" || joined === "" ? "/" : joined.replace(/\/$/, "") || "/";
}

/** `env`, `c.env`, `this.env`, `context.env`, `ctx.env`, or any identifier named like an env. */
export function isEnvLike(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (isIdentifier(value)) return /^_?env(ironment)?$/i.test(value.text) || value.text === "bindings";
  // `c.env`; `context.bindings` is worktop's name for the env.
  if (isPropertyAccessExpression(value)) return value.name.text === "env" || value.name.text === "bindings";
  return false;
}

export function heritageName(cls: ts.ClassLikeDeclaration): string | undefined {
  const clause = cls.heritageClauses?.find((c) => c.token === SyntaxKind.ExtendsKeyword);
  const type = clause?.types[0]?.expression;
  if (!type) return undefined;
  return isIdentifier(type) ? type.text : isPropertyAccessExpression(type) ? type.name.text : undefined;
}

/** An older-style Durable Object: `constructor(state, env)` and a fetch method, not extending anything. */
export function isDurableObjectShaped(cls: ts.ClassLikeDeclaration): boolean {
  const constructor = cls.members.find(isConstructorDeclaration);
  const firstParam = constructor?.parameters[0]?.name;
  return (
    !!firstParam &&
    isIdentifier(firstParam) &&
    /^(state|ctx|durableObjectState)$/.test(firstParam.text) &&
    cls.members.some((m) => isMethodDeclaration(m) && !!m.name && isIdentifier(m.name) && m.name.text === "fetch")
  );
}

/** Classes whose code runs elsewhere than the Worker's fetch handler: Durable Objects, agents, Workflows. */
const DURABLE_BASES = new Set(["DurableObject", "Agent", "McpAgent", "AIChatAgent", "WorkflowEntrypoint"]);

/** A Durable Object (or agent, Workflow) class: by what it extends, or by its older constructor-and-fetch shape. */
export function isDurableObjectClass(cls: ts.ClassLikeDeclaration): boolean {
  return DURABLE_BASES.has(heritageName(cls) ?? "") || isDurableObjectShaped(cls);
}

export function rootImport(expression: ts.Expression, module: ModuleFacts): { module: string; name: string } | undefined {
  const root = chainRoot(expression);
  return root && isIdentifier(root) ? module.imports.get(root.text) : undefined;
}

/** The identifier (or `this`, or a call) a property/call chain starts from: `a` in `a.b().c.d()`. */
export function chainRoot(expression: ts.Expression): ts.Expression | undefined {
  let current = unwrapExpression(expression);
  for (let i = 0; i < 64; i++) {
    if (isPropertyAccessExpression(current) || isElementAccessExpression(current)) current = unwrapExpression(current.expression);
    else if (isCallExpression(current)) current = unwrapExpression(current.expression);
    else if (isTaggedTemplateExpression(current)) current = unwrapExpression(current.tag);
    else if (isNewExpression(current)) current = unwrapExpression(current.expression);
    else return current;
  }
  return undefined;
}

/** In `X.prepare(sql).bind(...)`, the database X the statement was prepared on. */
export function preparedOn(expression: ts.Expression): ts.Expression | undefined {
  let current = unwrapExpression(expression);
  for (let i = 0; i < 64; i++) {
    if (isCallExpression(current)) {
      const callee = unwrapExpression(current.expression);
      if (isPropertyAccessExpression(callee) && callee.name.text === "prepare") return unwrapExpression(callee.expression);
      current = callee;
    } else if (isPropertyAccessExpression(current)) current = unwrapExpression(current.expression);
    else if (isIdentifier(current)) {
      // A statement held in a constant: `const stmt = env.DB.prepare(q); await stmt.bind(1).all()`.
      const declaration = declarationOf(current);
      if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
      current = unwrapExpression(declaration.initializer);
    } else if (
      isBinaryExpression(current) &&
      [SyntaxKind.QuestionQuestionEqualsToken, SyntaxKind.BarBarEqualsToken, SyntaxKind.EqualsToken].includes(current.operatorToken.kind)
    )
      // A statement prepared once and kept: `(statement ??= env.DB.prepare(sql)).bind(...args)`.
      current = unwrapExpression(current.right);
    else return undefined;
  }
  return undefined;
}

/** The outermost call of a chain (`a.b().c()` is one operation, counted once, at its end). */
export function isChainTop(node: ts.Node): boolean {
  let parent = node.parent;
  while (parent && (isParenthesizedExpression(parent) || isNonNullExpression(parent) || isAsExpression(parent))) parent = parent.parent;
  if (!parent) return true;
  if ((isPropertyAccessExpression(parent) || isElementAccessExpression(parent)) && parent.expression === node) {
    const grand = parent.parent;
    // `.then(...)` and friends consume the result: the operation itself ends here.
    if (isPropertyAccessExpression(parent) && ["then", "catch", "finally"].includes(parent.name.text)) return true;
    return !(grand && isCallExpression(grand) && grand.expression === parent);
  }
  return true;
}

export function isWaitUntilCall(callee: ts.Expression, module: ModuleFacts, depth = 0): boolean {
  if (isPropertyAccessExpression(callee) && callee.name.text === "waitUntil") return true;
  if (!isIdentifier(callee)) return false;
  if (callee.text === "waitUntil") return true;
  const imported = module.imports.get(callee.text);
  // Next.js's `after(() => ...)` (`unstable_after` before Next 15) runs its callback after the response.
  if (imported)
    return (
      (imported.module === "cloudflare:workers" && imported.name === "waitUntil") ||
      (imported.module === "next/server" && (imported.name === "after" || imported.name === "unstable_after"))
    );
  // waitUntil passed on as a value: `const defer = ctx.waitUntil.bind(ctx)`.
  const declaration = depth < 4 ? declarationOf(callee) : undefined;
  let init =
    declaration && isVariableDeclaration(declaration) && declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
  if (init && isCallExpression(init) && isPropertyAccessExpression(init.expression) && init.expression.name.text === "bind") {
    init = unwrapExpression(init.expression.expression);
  }
  return init !== undefined && isWaitUntilCall(init, module, depth + 1);
}

/**
 * Whether a value handed to a framework as its context has `waitUntil`: an object literal with a
 * `waitUntil` property (`{ waitUntil: ctx.waitUntil.bind(ctx), env }`), the third parameter of a
 * handler (`fetch(request, env, ctx)`) or a parameter typed `ExecutionContext`, Hono's
 * `c.executionCtx`.
 */
export function givesWaitUntil(expression: ts.Expression, module: ModuleFacts): boolean {
  const value = unwrapExpression(expression);
  if (ts.isObjectLiteralExpression(value))
    return value.properties.some((p) => p.name !== undefined && isIdentifier(p.name) && p.name.text === "waitUntil");
  if (isPropertyAccessExpression(value)) return value.name.text === "executionCtx";
  if (!isIdentifier(value)) return false;
  const declaration = declarationOf(value);
  if (declaration && isVariableDeclaration(declaration) && declaration.initializer && !module.imports.has(value.text))
    return givesWaitUntil(declaration.initializer, module);
  if (!declaration || !ts.isParameter(declaration)) return false;
  const type = declaration.type;
  if (type && ts.isTypeReferenceNode(type)) return getTypeName(type.typeName) === "ExecutionContext";
  return declaration.parent.parameters.indexOf(declaration) === 2;
}

function getTypeName(name: ts.EntityName): string {
  return isIdentifier(name) ? name.text : name.right.text;
}

export function isInsideWaitUntil(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (isCallExpression(current)) {
      const callee = unwrapExpression(current.expression);
      if ((isPropertyAccessExpression(callee) && callee.name.text === "waitUntil") || (isIdentifier(callee) && callee.text === "waitUntil"))
        return true;
    }
    if (isFunctionDeclaration(current) || isMethodDeclaration(current)) return false;
  }
  return false;
}

/** Events a Worker registers its handlers for in service-worker syntax (`addEventListener("fetch", ...)`). */
const HANDLER_EVENTS = new Set(["fetch", "scheduled", "queue", "tail", "email", "trace"]);
/** `ws.onmessage = fn` and friends (an MCP `Server`'s `oninitialized`): a listener set by assignment. */
export const LISTENER_PROPERTIES = new Set(["onmessage", "onclose", "onerror", "onopen", "onabort", "oninitialized"]);

/**
 * `server.addEventListener("message", fn)` on an object (a WebSocket, an abort signal): the listener
 * runs when the event fires, later than the call, never as part of it (a WebSocket's after the 101
 * response went out). Service-worker registrations (`addEventListener("fetch", ...)`, on `self` or
 * bare) are handlers, not this.
 */
export function isEventListenerCall(callee: ts.Expression, args: readonly ts.Expression[]): boolean {
  if (!isPropertyAccessExpression(callee) || callee.name.text !== "addEventListener" || args.length < 2) return false;
  const receiver = unwrapExpression(callee.expression);
  if (isIdentifier(receiver) && (receiver.text === "self" || receiver.text === "globalThis")) return false;
  const event = unwrapExpression(args[0]!);
  return !(isStringLiteralLike(event) && HANDLER_EVENTS.has(event.text));
}

/** Whether a node is inside a function given to an event listener (see isEventListenerCall) or set as one (`ws.onmessage = fn`). */
export function isInsideEventListener(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const parent = current.parent;
    if (isCallExpression(parent) && parent.arguments.includes(current as unknown as ts.Expression)) {
      if (isEventListenerCall(unwrapExpression(parent.expression), parent.arguments)) return true;
    } else if (
      isBinaryExpression(parent) &&
      parent.operatorToken.kind === SyntaxKind.EqualsToken &&
      parent.right === current &&
      isPropertyAccessExpression(parent.left) &&
      LISTENER_PROPERTIES.has(parent.left.name.text)
    )
      return true;
  }
  return false;
}

/** `await call(...);` as a statement of its own: the value is unused, so it can move to waitUntil. */
export function isDirectlyAwaitedStatement(node: ts.Node): boolean {
  const parent = node.parent;
  return isAwaitExpression(parent) && isExpressionStatement(parent.parent);
}

/**
 * Calls in code no handler reaches are listed only when they look like subrequests by their own
 * syntax (fetch, connect, a binding or database method, a tagged template): classifying every call
 * would cost more than the parse.
 */
const SUBREQUEST_METHODS = new Set([
  "fetch",
  "get",
  "post",
  "patch",
  "getWithMetadata",
  "put",
  "delete",
  "list",
  "head",
  "first",
  "all",
  "run",
  "raw",
  "batch",
  "exec",
  "send",
  "sendBatch",
  "query",
  "execute",
  "connect",
  "createMultipartUpload",
  // Query builders' and ORMs' last links (Drizzle, Prisma, Kysely): an unreached handler's queries
  // are the evidence that its wiring was lost.
  "findFirst",
  "findMany",
  "findUnique",
  "where",
  "returning",
  "executeTakeFirst",
]);

export function isLikelySubrequest(node: ts.CallExpression | ts.TaggedTemplateExpression): boolean {
  if (isTaggedTemplateExpression(node)) return true;
  const callee = node.expression;
  if (isIdentifier(callee)) return callee.text === "fetch" || callee.text === "connect";
  return isPropertyAccessExpression(callee) && SUBREQUEST_METHODS.has(callee.name.text);
}

export function isFactory(factories: readonly string[], importedName: string): boolean {
  return factories.includes(importedName) || ((importedName === "default" || importedName === "*") && factories.includes("*"));
}

export function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (getModifiers(fn) ?? []).some((m) => m.kind === SyntaxKind.AsyncKeyword);
}

/** The async functions an options object holds (`{ async onEvent() {...}, verify: async (t) => ... }`). */
export function asyncOptionFunctions(
  options: ts.ObjectLiteralExpression,
): Array<ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration> {
  const found: Array<ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration> = [];
  for (const property of options.properties) {
    const value = isMethodDeclaration(property)
      ? property
      : isPropertyAssignment(property)
        ? unwrapExpression(property.initializer)
        : undefined;
    if (value && (isArrowFunction(value) || isFunctionExpression(value) || isMethodDeclaration(value)) && isAsync(value)) found.push(value);
  }
  return found;
}

export function isConstDeclaration(declaration: ts.VariableDeclaration): boolean {
  return isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & NodeFlags.Const) !== 0;
}

export function findAncestor<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (test(current)) return current;
  return undefined;
}

/** A function declared in an enclosing scope (a nested helper), found by walking up the scopes. */
export function localFunction(identifier: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  const declaration = declarationOf(identifier);
  if (!declaration) return undefined;
  if (isFunctionDeclaration(declaration)) return declaration;
  if (isVariableDeclaration(declaration) && declaration.initializer) {
    const init = unwrapExpression(declaration.initializer);
    if (isArrowFunction(init) || isFunctionExpression(init)) return init;
  }
  return undefined;
}

/**
 * The files the current analysis loaded, so that helpers holding only a node can resolve names.
 * Replaced, not cleared, after each analysis: entries in a long-lived map (even a cleared one)
 * keep trees alive through minor collections, which made the whole analysis several times
 * slower; so does a WeakMap whose values point back into the trees.
 */
let loadedModules = new Map<ts.SourceFile, ModuleFacts>();

/** The files of the analysis in progress (an empty map once it ends). */
export function setLoadedModules(modules: Map<ts.SourceFile, ModuleFacts>): void {
  loadedModules = modules;
}

export function declarationOf(identifier: ts.Identifier): ts.Node | undefined {
  const module = loadedModules.get(identifier.getSourceFile());
  return module ? lookupDeclaration(module.declarations, identifier) : undefined;
}

/**
 * Whether code waits for a round trip before it goes on, outside the functions inside it: an
 * `await` (a `for await`), or a promise chain carried on (`p = p.then(...)`; with `anyThen`, any
 * `.then`, as a `reduce` callback returns `previous.then(...)`).
 */
export function waitsInside(node: ts.Node, anyThen = false): boolean {
  let found = false;
  const isThen = (n: ts.Node): boolean =>
    isCallExpression(n) && isPropertyAccessExpression(n.expression) && n.expression.name.text === "then";
  const hasThen = (n: ts.Node): boolean => {
    if (isThen(n)) return true;
    if (isFunctionLike(n)) return false;
    return forEachChild(n, hasThen) === true;
  };
  const visit = (n: ts.Node): void => {
    if (found || (n !== node && isFunctionLike(n))) return;
    if (
      isAwaitExpression(n) ||
      (isForOfStatement(n) && n.awaitModifier) ||
      (anyThen && isThen(n)) ||
      (isBinaryExpression(n) && n.operatorToken.kind === SyntaxKind.EqualsToken && hasThen(n.right))
    ) {
      found = true;
      return;
    }
    forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * Whether `call` runs in a loop of `fn` that waits for each iteration (`for (...) await cb(x)`):
 * what it runs then counts as a loop's round trips.
 */
export function inWaitingLoop(call: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let node = call.parent; node && node !== fn; node = node.parent) {
    if (isFunctionLike(node)) return false;
    if (isIterationStatement(node, false) && (waitsInside(node.statement) || (isForOfStatement(node) && !!node.awaitModifier))) return true;
  }
  return false;
}

/** The value a property of an object literal gives: `a: x` is x, shorthand `a` is `a`; undefined for methods, accessors and spreads. */
export function propertyInitializer(property: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  return ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
}

/**
 * A framework's config file (`astro.config.mjs`, `nuxt.config.ts`, ...): the first of `names` that
 * exists in `root`, parsed (never run), or undefined when there is none.
 */
export function parseConfigFile(fs: FileSystem, root: string, names: readonly string[]): ts.SourceFile | undefined {
  for (const name of names) {
    const path = joinPath(root, name);
    const text = fs.readFile(path);
    if (text !== undefined) return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  }
  return undefined;
}

/**
 * A type no object is of: `string`, `number | undefined`, `"a" | "b"`. A parameter declared so holds
 * no object literal and no client in code that type-checks, whatever its callers pass.
 */
export function isPrimitiveType(type: ts.TypeNode): boolean {
  switch (type.kind) {
    case SyntaxKind.StringKeyword:
    case SyntaxKind.NumberKeyword:
    case SyntaxKind.BooleanKeyword:
    case SyntaxKind.BigIntKeyword:
    case SyntaxKind.SymbolKeyword:
    case SyntaxKind.UndefinedKeyword:
    case SyntaxKind.LiteralType:
    case SyntaxKind.TemplateLiteralType:
      return true;
    case SyntaxKind.UnionType:
      return (type as ts.UnionTypeNode).types.every(isPrimitiveType);
    case SyntaxKind.ParenthesizedType:
      return isPrimitiveType((type as ts.ParenthesizedTypeNode).type);
    default:
      return false;
  }
}

/** The loaded module a node belongs to (undefined outside the analysis in progress). */
export function moduleOfNode(node: ts.Node): ModuleFacts | undefined {
  return loadedModules.get(node.getSourceFile());
}
