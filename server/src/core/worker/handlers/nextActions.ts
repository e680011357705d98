import ts from "typescript";
import type { ModuleFacts } from "../module";

/**
 * Next.js server actions beyond the `"use server"` files of the folders the app's routes are read
 * from: a `"use server"` module the app imports from anywhere in the project
 * (`features/billing/actions.ts`), and a function that starts with the directive itself inside a
 * server component (`async function add(formData) { "use server"; ... }` given to `<form action>`).
 * Next calls each with a POST request of its own.
 */

/** The module starts with the `"use server"` directive. */
export function isUseServerModule(module: ModuleFacts): boolean {
  return startsWithDirective(module.sourceFile.statements, "use server");
}

/** The module starts with `"use client"`: its functions run in the browser. */
export function isUseClientModule(module: ModuleFacts): boolean {
  return startsWithDirective(module.sourceFile.statements, "use client");
}

function startsWithDirective(statements: ts.NodeArray<ts.Statement>, directive: string): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === directive) return true;
  }
  return false;
}

/**
 * Loaded modules of the app (below `root`, not in node_modules) that start with `"use server"` and
 * are not among `known` (the route files already read).
 */
export function importedActionModules(modules: Iterable<ModuleFacts>, root: string, known: ReadonlySet<string>): ModuleFacts[] {
  const result: ModuleFacts[] = [];
  for (const module of modules)
    if (
      !known.has(module.path) &&
      module.path.startsWith(root + "/") &&
      !module.path.includes("/node_modules/") &&
      isUseServerModule(module)
    )
      result.push(module);
  return result.sort((a, b) => a.path.localeCompare(b.path));
}

/** A function in a server module whose body starts with `"use server"`, with the name it is known by. */
export interface InlineAction {
  readonly fn: ts.FunctionLikeDeclaration;
  readonly name: string;
}

/**
 * The functions of a module (not a `"use server"` or `"use client"` one) whose bodies start with
 * the `"use server"` directive: inline server actions.
 */
export function inlineServerActions(module: ModuleFacts): InlineAction[] {
  if (isUseServerModule(module) || isUseClientModule(module)) return [];
  // Most modules have none: only a module whose text holds the directive is walked.
  if (!module.sourceFile.text.includes("use server")) return [];
  const found: InlineAction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body && ts.isBlock(node.body)) {
      const fn = node as ts.FunctionLikeDeclaration;
      if (startsWithDirective((node.body as ts.Block).statements, "use server")) found.push({ fn, name: nameOf(fn) });
    }
    ts.forEachChild(node, visit);
  };
  visit(module.sourceFile);
  return found;
}

function nameOf(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return parent.name.text;
  const line = fn.getSourceFile().getLineAndCharacterOfPosition(fn.getStart()).line + 1;
  return `at line ${line}`;
}

/** What a server action does that makes Next render a page into the action's own response. */
export interface ActionRerender {
  /** It revalidates (`revalidatePath`, `revalidateTag`, `updateTag`, `refresh`) or sets a cookie. */
  readonly rerenders: boolean;
  /** The literal paths it gives `revalidatePath`. */
  readonly paths: readonly string[];
}

const RERENDERING_CACHE_CALLS = new Set(["revalidatePath", "revalidateTag", "updateTag", "refresh"]);

/**
 * Whether the action's body revalidates: Next then renders the page the action was called from (its
 * whole tree, every server component and its data) and sends the RSC payload back with the action's
 * result, in the same response. Setting or deleting a cookie (`(await cookies()).set(...)`) does the
 * same. Only calls in the action's own body are read, through the names `next/cache` and
 * `next/headers` export.
 */
export function actionRerender(fn: ts.FunctionLikeDeclaration, module: ModuleFacts): ActionRerender {
  const importedAs = (node: ts.Expression, from: string): string | undefined => {
    if (!ts.isIdentifier(node)) return undefined;
    const binding = module.imports.get(node.text);
    return binding && binding.module === from ? binding.name : undefined;
  };
  const unwrap = (node: ts.Expression): ts.Expression => {
    let current = node;
    while (ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current)) current = current.expression;
    return current;
  };
  const isCookiesCall = (node: ts.Expression): boolean => {
    const value = unwrap(node);
    return ts.isCallExpression(value) && importedAs(value.expression, "next/headers") === "cookies";
  };
  // `const store = await cookies()` in the action: `store.set(...)` writes a cookie.
  const cookieStores = new Set<string>();
  let rerenders = false;
  const paths: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isCookiesCall(node.initializer))
      cookieStores.add(node.name.text);
    if (ts.isCallExpression(node)) {
      const name = importedAs(node.expression, "next/cache");
      if (name && RERENDERING_CACHE_CALLS.has(name)) {
        rerenders = true;
        const first = node.arguments[0];
        if (name === "revalidatePath" && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)))
          paths.push(first.text);
      }
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "set" || callee.name.text === "delete")) {
        const store = unwrap(callee.expression);
        if (isCookiesCall(store) || (ts.isIdentifier(store) && cookieStores.has(store.text))) rerenders = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return { rerenders, paths };
}
