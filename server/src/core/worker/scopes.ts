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

/** A declared name and the scope it is visible in: a block, function, file, loop or catch clause. */
export interface ScopedDeclaration {
  /** The VariableDeclaration, Parameter, BindingElement, FunctionDeclaration or ClassDeclaration. */
  readonly node: ts.Node;
  readonly scope: ts.Node;
}

/** Every declaration of one file by name, in source order. */
export type DeclarationIndex = ReadonlyMap<string, readonly ScopedDeclaration[]>;

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
export function scopeOf(declaration: ts.Node): ts.Node | undefined {
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
 * The declaration an identifier refers to, found lexically: the nearest enclosing scope that
 * declares the name (the first declaration there, as for `var x; var x;`). Walking up the
 * parents and comparing with the few declarations of that name costs far less than collecting
 * each scope's names. Undefined for globals and imports.
 */
export function lookupDeclaration(index: DeclarationIndex, identifier: ts.Identifier): ts.Node | undefined {
  const candidates = index.get(identifier.text);
  if (!candidates) return undefined;
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    for (const candidate of candidates) if (candidate.scope === node) return candidate.node;
  }
  return undefined;
}
