// Types that name what a project function returns: `type Db = ReturnType<typeof createDb>` (often
// in another file), `ReturnType<typeof createDb>` written in place, `Awaited<ReturnType<...>>`. A
// field or parameter declared with one (`constructor(private readonly db: Db)`) holds what that
// function returns, even where the `new` that gave it cannot be followed. Pure syntax over the
// modules read: the caller asks the function's returned values.
import ts from "typescript";
import type { ModuleFacts } from "./module";

/** How a type alias's own module is found from an import (the loader's `moduleFor`). */
export type ModuleOf = (specifier: string, from: ModuleFacts) => ModuleFacts | undefined;

/** The function a type reads the return of (`typeof createDb` in `ReturnType<...>`), through aliases; undefined otherwise. */
export function returnTypeSource(
  type: ts.TypeNode | undefined,
  module: ModuleFacts,
  moduleOf: ModuleOf,
  depth = 0,
): { readonly name: ts.Identifier; readonly module: ModuleFacts } | undefined {
  if (!type || depth > 6) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return returnTypeSource(type.type, module, moduleOf, depth + 1);
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const name = type.typeName.text;
  const first = type.typeArguments?.[0];
  if ((name === "Awaited" || name === "NonNullable") && type.typeArguments?.length === 1)
    return returnTypeSource(first, module, moduleOf, depth + 1);
  if (name === "ReturnType" && type.typeArguments?.length === 1) {
    if (first && ts.isTypeQueryNode(first) && ts.isIdentifier(first.exprName)) return { name: first.exprName, module };
    return undefined;
  }
  if (type.typeArguments?.length) return undefined;
  // A type alias of this module, or one imported from a project module.
  const own = aliasNamed(module, name);
  if (own) return returnTypeSource(own.type, module, moduleOf, depth + 1);
  const imported = module.imports.get(name);
  if (!imported || imported.name === "*" || imported.name === "default") return undefined;
  const target = moduleOf(imported.module, module);
  const alias = target ? aliasNamed(target, imported.name) : undefined;
  return alias && target ? returnTypeSource(alias.type, target, moduleOf, depth + 1) : undefined;
}

/**
 * The type a project type alias stands for (`type StoreDb = PostgresJsDatabase<typeof schema>`,
 * here or imported from a project module), with the module it is written in: a parameter declared
 * with the alias is declared with that type. Undefined for anything else.
 */
export function aliasedType(
  type: ts.TypeReferenceNode,
  module: ModuleFacts,
  moduleOf: ModuleOf,
): { readonly type: ts.TypeNode; readonly module: ModuleFacts } | undefined {
  if (!ts.isIdentifier(type.typeName) || type.typeArguments?.length) return undefined;
  const name = type.typeName.text;
  const own = aliasNamed(module, name);
  if (own) return { type: own.type, module };
  const imported = module.imports.get(name);
  if (!imported || imported.name === "*" || imported.name === "default") return undefined;
  const target = moduleOf(imported.module, module);
  const alias = target ? aliasNamed(target, imported.name) : undefined;
  return alias && target ? { type: alias.type, module: target } : undefined;
}

/**
 * The type a property is declared with in a parameter's declared type: `db` of `c: OperationContext`
 * with `interface OperationContext { db: StoreDb }` (here or imported from a project module), or of
 * an inline `{ db: StoreDb }`. Undefined when the type declares no such property.
 */
export function declaredPropertyType(
  type: ts.TypeNode | undefined,
  name: string,
  module: ModuleFacts,
  moduleOf: ModuleOf,
  depth = 0,
): { readonly type: ts.TypeNode; readonly module: ModuleFacts } | undefined {
  if (!type || depth > 6) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return declaredPropertyType(type.type, name, module, moduleOf, depth + 1);
  if (ts.isTypeLiteralNode(type)) return memberType(type.members, name, module);
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || type.typeArguments?.length) return undefined;
  const local = typeNamed(module, type.typeName.text);
  let found = local ? { declaration: local, module } : undefined;
  if (!found) {
    const imported = module.imports.get(type.typeName.text);
    if (!imported || imported.name === "*" || imported.name === "default") return undefined;
    const target = moduleOf(imported.module, module);
    const declaration = target ? typeNamed(target, imported.name) : undefined;
    found = declaration && target ? { declaration, module: target } : undefined;
  }
  if (!found) return undefined;
  return ts.isInterfaceDeclaration(found.declaration)
    ? memberType(found.declaration.members, name, found.module)
    : declaredPropertyType(found.declaration.type, name, found.module, moduleOf, depth + 1);
}

function memberType(
  members: ts.NodeArray<ts.TypeElement>,
  name: string,
  module: ModuleFacts,
): { readonly type: ts.TypeNode; readonly module: ModuleFacts } | undefined {
  for (const member of members)
    if (ts.isPropertySignature(member) && member.type && ts.isIdentifier(member.name) && member.name.text === name)
      return { type: member.type, module };
  return undefined;
}

function typeNamed(module: ModuleFacts, name: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
  for (const statement of module.sourceFile.statements)
    if (
      (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
      statement.name.text === name &&
      !statement.typeParameters
    )
      return statement;
  return undefined;
}

function aliasNamed(module: ModuleFacts, name: string): ts.TypeAliasDeclaration | undefined {
  for (const statement of module.sourceFile.statements)
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name && !statement.typeParameters) return statement;
  return undefined;
}

/** The type the field `this.name` reads is declared with, in the class around it: a property or a constructor's parameter property. */
export function declaredFieldType(access: ts.PropertyAccessExpression): ts.TypeNode | undefined {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let cls: ts.Node | undefined = access.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls) return undefined;
  const name = access.name.text;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name) return member.type;
    if (ts.isConstructorDeclaration(member))
      for (const parameter of member.parameters)
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length) return parameter.type;
  }
  return undefined;
}
