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
