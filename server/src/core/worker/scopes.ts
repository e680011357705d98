import ts from "typescript";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  isBindingElement,
  isCatchClause,
  isClassDeclaration,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isFunctionDeclaration,
  isParameter,
  isVariableDeclaration,
  isVariableStatement,
  SyntaxKind,
} = ts;

/**
 * Every declaration of one file, by the scope it is visible in: a block, function, file, loop or
 * catch clause. Keyed by scope rather than by name: a name like `id` or `env` may be declared in
 * hundreds of functions of one file, and a lookup must not go through all of them.
 */
export interface DeclarationIndex {
  /** Every name declared anywhere: most names looked up (fetch, Response, imports) are not. */
  readonly names: Set<string>;
  /** Per scope, its declarations in source order. */
  readonly scopes: Map<ts.Node, Array<{ readonly name: string; readonly node: ts.Node }>>;
}

export function createDeclarationIndex(): DeclarationIndex {
  return { names: new Set(), scopes: new Map() };
}

/**
 * Records `node` (a VariableDeclaration, Parameter, BindingElement, FunctionDeclaration or
 * ClassDeclaration) as declaring `name`, if it declares anything lexically visible.
 */
export function addDeclaration(index: DeclarationIndex, name: string, node: ts.Node): void {
  const scope = scopeOf(node);
  if (!scope) return;
  index.names.add(name);
  const declared = index.scopes.get(scope);
  if (declared) declared.push({ name, node });
  else index.scopes.set(scope, [{ name, node }]);
}

const FUNCTION_SCOPES = new Set<ts.SyntaxKind>([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

const STATEMENT_SCOPES = new Set<ts.SyntaxKind>([
  SyntaxKind.Block,
  SyntaxKind.SourceFile,
  SyntaxKind.ModuleBlock,
  SyntaxKind.CaseClause,
  SyntaxKind.DefaultClause,
]);

/**
 * The scope a declaration is visible in, or undefined when it declares nothing lexically visible
 * (a parameter of a function type, a variable of a statement not directly in a block). Every
 * binding is scoped to its block: `var` hoisting is not modelled. Needs parent pointers.
 */
function scopeOf(declaration: ts.Node): ts.Node | undefined {
  let node = declaration;
  // A destructured name belongs to the variable or parameter the pattern is part of.
  while (isBindingElement(node)) node = node.parent.parent;
  const parent = node.parent;
  if (isParameter(node)) return FUNCTION_SCOPES.has(parent.kind) ? parent : undefined;
  if (isFunctionDeclaration(node) || isClassDeclaration(node)) return STATEMENT_SCOPES.has(parent.kind) ? parent : undefined;
  if (!isVariableDeclaration(node)) return undefined;
  if (isCatchClause(parent)) return parent;
  const holder = parent.parent;
  if (isVariableStatement(holder)) return STATEMENT_SCOPES.has(holder.parent.kind) ? holder.parent : undefined;
  if (isForOfStatement(holder) || isForInStatement(holder) || isForStatement(holder)) return holder;
  return undefined;
}

/**
 * Whether a declaration (as lookupDeclaration returns it) is one of the file's own, visible
 * throughout it: a module-level variable, function or class, not a function's or block's local.
 */
export function isFileScoped(declaration: ts.Node): boolean {
  return scopeOf(declaration)?.kind === SyntaxKind.SourceFile;
}

/**
 * The declaration an identifier refers to, found lexically: the nearest enclosing scope that
 * declares the name (the first declaration there, as for `var x; var x;`). Undefined for globals
 * and imports.
 */
export function lookupDeclaration(index: DeclarationIndex, identifier: ts.Identifier): ts.Node | undefined {
  const name = identifier.text;
  if (!index.names.has(name)) return undefined;
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    const declared = index.scopes.get(node);
    if (declared) for (const declaration of declared) if (declaration.name === name) return declaration.node;
  }
  return undefined;
}
