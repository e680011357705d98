// Object literals a project interface types: `const op: Operation = {...}`, the elements of an
// `Operation[]` array (spread from other files too), `{...} satisfies Operation`. An operation
// registry keeps its endpoints so (`{ method, path, handler }`), and the request runs one of them
// through a value the walk cannot follow to one element (`const { op } = router.match(...)` then
// `op.handler(c)`): each literal's member is then a path. The literals are found by every place
// the project writes the interface's name; a place where a value of it may be made in a way not
// read here (a class implementing it, a generic container, an untyped factory) leaves the set
// unknown, and so the call. Pure syntax over the loaded modules.
import ts from "typescript";
import type { AnalysisContext } from "./context";
import { moduleVariable, unwrapExpression, type ModuleFacts } from "./module";
import type { ValueRef } from "./values";
import { declarationOf, isConstDeclaration } from "./syntax";
import { declaredFieldType } from "./returnTypes";

/** A type as written, with the module it is written in (where its names are resolved). */
interface TypeRef {
  readonly type: ts.TypeNode;
  readonly module: ModuleFacts;
}

/** A project interface or object type alias, with the module that declares it. */
export interface DeclaredType {
  readonly declaration: ts.InterfaceDeclaration | ts.TypeAliasDeclaration;
  readonly module: ModuleFacts;
}

/** How deep a type or a value is followed (aliases, variables holding variables, re-exports). */
const MAX_DEPTH = 8;
/** Array methods that return one element of the list they are called on. */
const ELEMENT_GETTERS = new Set(["find", "findLast", "at", "pop", "shift"]);
/** Array methods that return a list of some of the elements of the list they are called on. */
const LIST_COPIES = new Set(["filter", "slice", "concat", "toSorted", "toReversed"]);
/** Array methods that add elements to the list they are called on. */
const LIST_ADDERS = new Set(["push", "unshift", "splice"]);
const ARRAY_TYPES = new Set(["Array", "ReadonlyArray"]);
const PROMISE_TYPES = new Set(["Promise", "PromiseLike"]);

export class InterfaceLiterals {
  /** The object literals of each interface asked (null: a place that may make one could not be read). */
  private readonly cache = new Map<ts.Node, ValueRef[] | null>();

  constructor(private readonly ctx: AnalysisContext) {}

  /**
   * The project interface a value is declared with, found through what it is read from: a
   * variable's or parameter's declared type, the declared return type of the project function
   * that gave it (`opForTool(...): Operation | undefined`), a property of a declared type
   * (`const { op } = router.match(...)` with `match(...): MatchedRoute | null` and
   * `interface MatchedRoute { op: Operation }`). Undefined when any step is not written as a type.
   */
  interfaceOf(value: ts.Expression, module: ModuleFacts): DeclaredType | undefined {
    const type = this.typeOf(value, module, 0);
    const found = type && this.declared(type, 0);
    return found && ts.isInterfaceDeclaration(found.declaration) ? found : undefined;
  }

  /** Whether the interface declares a member `name` (a function-typed property or a method). */
  declaresMember(type: DeclaredType, name: string): boolean {
    return memberNamed(type.declaration, name) !== undefined;
  }

  /**
   * Every object literal of the loaded modules typed by the interface, or undefined when a place
   * that writes its name may make a value of it in a way this does not read.
   */
  literalsOf(type: DeclaredType): ValueRef[] | undefined {
    const known = this.cache.get(type.declaration);
    if (known !== undefined) return known ?? undefined;
    const found = this.collect(type);
    this.cache.set(type.declaration, found ?? null);
    return found;
  }

  private collect(target: DeclaredType): ValueRef[] | undefined {
    const name = target.declaration.name.text;
    const out: ValueRef[] = [];
    const seen = new Set<ts.Node>();
    for (const module of this.ctx.loader.modules.values()) {
      if (!module.text.includes(name)) continue;
      // A file not analysed may make one.
      if (module.limit) return undefined;
      let readable = true;
      const visit = (node: ts.Node): void => {
        if (!readable) return;
        if (ts.isTypeReferenceNode(node) && lastName(node.typeName) === name) {
          const resolved = this.declared({ type: node, module }, 0);
          if (resolved?.declaration === target.declaration && !this.readPlace(node, module, target, out, seen)) readable = false;
        } else if (ts.isExpressionWithTypeArguments(node) && ts.isHeritageClause(node.parent)) {
          // `class Op implements Operation`, `interface AdminOperation extends Operation`: values of it made elsewhere.
          const base = node.expression;
          const written = ts.isIdentifier(base) ? base.text : ts.isPropertyAccessExpression(base) ? base.name.text : undefined;
          if (written === name) readable = false;
        }
        ts.forEachChild(node, visit);
      };
      visit(module.sourceFile);
      if (!readable) return undefined;
    }
    // `operations.push({ ... })` on a list declared with the interface: the element is one of it,
    // though the call names no type (in any module: the list may be imported).
    for (const module of this.ctx.loader.modules.values())
      for (const call of module.calls) {
        if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) continue;
        const method = call.expression.name.text;
        if (!LIST_ADDERS.has(method) || call.arguments.length === 0) continue;
        if (!this.declaredAs(unwrapExpression(call.expression.expression), module, target, 1)) continue;
        const added = method === "splice" ? call.arguments.slice(2) : call.arguments;
        for (const argument of added) {
          const read = ts.isSpreadElement(argument)
            ? this.readValue({ expression: argument.expression, module }, 1, target, out, seen, 0)
            : this.readValue({ expression: argument, module }, 0, target, out, seen, 0);
          if (!read) return undefined;
        }
      }
    return out;
  }

  /**
   * One place the interface's name is written: where it types a value made there (a variable's
   * initializer, what a function returns, an argument given for a parameter, a cast), each object
   * literal is one of it. A place that only reads a value of it (a property of another interface,
   * a parameter of a callback) adds nothing. False when the place is none of those.
   */
  private readPlace(
    reference: ts.TypeReferenceNode,
    module: ModuleFacts,
    target: DeclaredType,
    out: ValueRef[],
    seen: Set<ts.Node>,
  ): boolean {
    let node: ts.TypeNode = reference;
    let lists = 0;
    for (;;) {
      const parent: ts.Node = node.parent;
      if (ts.isArrayTypeNode(parent)) lists++;
      else if (ts.isTypeReferenceNode(parent) && parent.typeArguments?.length === 1 && ts.isIdentifier(parent.typeName)) {
        const wrapper = parent.typeName.text;
        if (ARRAY_TYPES.has(wrapper)) lists++;
        else if (!PROMISE_TYPES.has(wrapper)) return false;
      } else if (ts.isUnionTypeNode(parent)) {
        if (parent.types.some((t) => t !== node && !isNothingType(t))) return false;
      } else if (
        !ts.isParenthesizedTypeNode(parent) &&
        !(ts.isTypeOperatorNode(parent) && parent.operator === ts.SyntaxKind.ReadonlyKeyword)
      )
        break;
      node = parent as ts.TypeNode;
    }
    if (lists > 1) return false;
    const holder = node.parent;
    const values = (expressions: readonly ts.Expression[], at: ModuleFacts = module): boolean =>
      expressions.every((e) => this.readValue({ expression: e, module: at }, lists, target, out, seen, 0));
    if (ts.isVariableDeclaration(holder) && holder.type === node) {
      if (!ts.isIdentifier(holder.name)) return true;
      return values(this.ctx.values.variableValues(holder, module).map((v) => v.expression));
    }
    if (ts.isPropertyDeclaration(holder) && holder.type === node) {
      const assigned = (module.assignments.get("this." + holder.name.getText()) ?? []).map((a) => a.right);
      return values([...(holder.initializer ? [holder.initializer] : []), ...assigned]);
    }
    if (ts.isParameter(holder) && holder.type === node) {
      if (holder.dotDotDotToken) return false;
      if (holder.initializer && !values([holder.initializer])) return false;
      const fn = holder.parent;
      // A parameter of a signature or a constructor: what it is given is not read here.
      if (
        !(ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ||
        !fn.body
      )
        return false;
      const index = fn.parameters.indexOf(holder);
      // (A callback's parameter has no call sites of its own: it is given elements of a list read elsewhere.)
      for (const { call, module: at } of this.ctx.values.callSitesOf({ fn, module })) {
        if (call.arguments.slice(0, index + 1).some(ts.isSpreadElement)) return false;
        const given = call.arguments[index];
        if (given && !values([given], at)) return false;
      }
      return true;
    }
    if (
      (ts.isFunctionDeclaration(holder) ||
        ts.isMethodDeclaration(holder) ||
        ts.isArrowFunction(holder) ||
        ts.isFunctionExpression(holder) ||
        ts.isGetAccessorDeclaration(holder)) &&
      holder.type === node
    )
      return values(this.ctx.values.returnedValues(holder, module).map((v) => v.expression));
    if ((ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder) || ts.isTypeAssertionExpression(holder)) && holder.type === node)
      return values([holder.expression]);
    // Places that only describe or read a value made elsewhere.
    if (ts.isPropertySignature(holder) && holder.type === node) return true;
    if ((ts.isMethodSignature(holder) || ts.isFunctionTypeNode(holder) || ts.isCallSignatureDeclaration(holder)) && holder.type === node)
      return true;
    if (ts.isIndexedAccessTypeNode(holder) && holder.objectType === node) return true;
    return false;
  }

  /**
   * A value given where the interface (`lists` 0) or a list of it (`lists` 1) is expected: each
   * object literal it may be is added. True when where it comes from is read (a literal, a value
   * declared with the type, an element of such a list, a variable or function holding those).
   */
  private readValue(value: ValueRef, lists: number, target: DeclaredType, out: ValueRef[], seen: Set<ts.Node>, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const expression = unwrapExpression(value.expression);
    const next = (e: ts.Expression, l: number, at: ModuleFacts = value.module): boolean =>
      this.readValue({ expression: e, module: at }, l, target, out, seen, depth + 1);
    if (seen.has(expression)) return true;
    seen.add(expression);
    if (lists === 0 && ts.isObjectLiteralExpression(expression)) {
      out.push({ expression, module: value.module });
      return true;
    }
    if (lists === 1 && ts.isArrayLiteralExpression(expression))
      return expression.elements.every((e) => (ts.isSpreadElement(e) ? next(e.expression, 1) : next(e, 0)));
    if (expression.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(expression) && expression.text === "undefined")) return true;
    if (ts.isConditionalExpression(expression)) return next(expression.whenTrue, lists) && next(expression.whenFalse, lists);
    if (
      ts.isBinaryExpression(expression) &&
      (expression.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        expression.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    )
      return next(expression.left, lists) && next(expression.right, lists);
    if (ts.isAwaitExpression(expression)) return next(expression.expression, lists);
    // Declared with the type where it is (a typed variable, parameter or property): counted at that place.
    if (this.declaredAs(expression, value.module, target, lists)) return true;
    if (ts.isIdentifier(expression)) {
      const declaration = declarationOf(expression);
      if (declaration) {
        if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return false;
        const held = this.ctx.values.variableValues(declaration, value.module);
        return held.length > 0 && held.every((h) => next(h.expression, lists, h.module));
      }
      const imported = this.importedVariable(expression, value.module);
      if (!imported) return false;
      if (imported.expression) return next(imported.expression, lists, imported.module);
      const held = imported.declaration ? this.ctx.values.variableValues(imported.declaration, imported.module) : [];
      return held.length > 0 && held.every((h) => next(h.expression, lists, h.module));
    }
    if (ts.isCallExpression(expression)) {
      const callee = unwrapExpression(expression.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        if (lists === 0 && ELEMENT_GETTERS.has(method)) return next(callee.expression, 1);
        if (lists === 1 && LIST_COPIES.has(method))
          return next(callee.expression, 1) && (method !== "concat" || expression.arguments.every((a) => next(a, 1) || next(a, 0)));
      }
      // A project function with no declared type: what it returns.
      const fn = this.ctx.values.calledFunction(callee, value.module);
      if (!fn || !fn.fn.body) return false;
      const returned = this.ctx.values.returnedValues(fn.fn, fn.module);
      return returned.length > 0 && returned.every((r) => next(r.expression, lists, r.module));
    }
    return false;
  }

  /** Whether a value is declared (where it is read from) with the interface, or a list of it. */
  private declaredAs(value: ts.Expression, module: ModuleFacts, target: DeclaredType, lists: number): boolean {
    let type = this.typeOf(value, module, 0);
    for (let i = 0; type && i < lists; i++) type = elementType(type);
    const found = type && this.declared(type, 0);
    return found?.declaration === target.declaration;
  }

  /** An imported name's export: the variable it names, or the expression `export default` gives. */
  private importedVariable(
    identifier: ts.Identifier,
    module: ModuleFacts,
  ): { declaration?: ts.VariableDeclaration; expression?: ts.Expression; module: ModuleFacts } | undefined {
    const imported = module.imports.get(identifier.text);
    if (!imported || imported.name === "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const found = target ? this.ctx.values.exportOf(imported.name, target) : undefined;
    if (!found || found.binding.reexport || found.binding.element) return undefined;
    if (found.binding.expression) return { expression: found.binding.expression, module: found.module };
    const declaration = found.binding.local ? moduleVariable(found.module, found.binding.local) : undefined;
    return declaration ? { declaration, module: found.module } : undefined;
  }

  /** The type a value is declared with, where it comes from (see interfaceOf). */
  private typeOf(expression: ts.Expression, module: ModuleFacts, depth: number): TypeRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (ts.isAsExpression(expression) || ts.isTypeAssertionExpression(expression)) return { type: expression.type, module };
    if (ts.isParenthesizedExpression(expression) || ts.isNonNullExpression(expression) || ts.isSatisfiesExpression(expression))
      return this.typeOf(expression.expression, module, depth + 1);
    if (ts.isAwaitExpression(expression)) {
      const awaited = this.typeOf(expression.expression, module, depth + 1);
      return awaited && promised(awaited);
    }
    if (ts.isIdentifier(expression)) {
      const declaration = declarationOf(expression);
      if (!declaration) {
        const imported = this.importedVariable(expression, module);
        return imported?.declaration && this.variableType(imported.declaration, imported.module, depth + 1);
      }
      if (ts.isVariableDeclaration(declaration)) return this.variableType(declaration, module, depth + 1);
      if (ts.isParameter(declaration)) return declaration.type && { type: declaration.type, module };
      if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) && !declaration.dotDotDotToken) {
        const key = declaration.propertyName ?? declaration.name;
        if (!ts.isIdentifier(key)) return undefined;
        const holder = declaration.parent.parent;
        const holderType = ts.isVariableDeclaration(holder)
          ? this.variableType(holder, module, depth + 1)
          : ts.isParameter(holder) && holder.type
            ? { type: holder.type, module }
            : undefined;
        return holderType && this.propertyType(holderType, key.text, depth + 1);
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(expression)) {
      if (expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const field = declaredFieldType(expression);
        return field && { type: field, module };
      }
      const owner = this.typeOf(expression.expression, module, depth + 1);
      return owner && this.propertyType(owner, expression.name.text, depth + 1);
    }
    if (ts.isElementAccessExpression(expression)) {
      const list = this.typeOf(expression.expression, module, depth + 1);
      return list && elementType(list);
    }
    if (ts.isCallExpression(expression)) {
      const callee = unwrapExpression(expression.expression);
      const fn = this.ctx.values.calledFunction(callee, module);
      if (fn?.fn.type) return { type: fn.fn.type, module: fn.module };
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const method = callee.name.text;
      const receiver = this.typeOf(callee.expression, module, depth + 1);
      if (!receiver) return undefined;
      const list = elementType(receiver);
      if (list && ELEMENT_GETTERS.has(method)) return list;
      if (list && (method === "filter" || method === "slice")) return receiver;
      // `router.match(...)` with `interface Router { match(...): MatchedRoute | null }`.
      const declared = this.declared(receiver, depth + 1);
      const member = declared && memberNamed(declared.declaration, method);
      if (member && ts.isMethodSignature(member) && member.type) return { type: member.type, module: declared.module };
      if (member && ts.isPropertySignature(member) && member.type && ts.isFunctionTypeNode(member.type))
        return { type: member.type.type, module: declared.module };
    }
    return undefined;
  }

  private variableType(declaration: ts.VariableDeclaration, module: ModuleFacts, depth: number): TypeRef | undefined {
    if (declaration.type) return { type: declaration.type, module };
    const list = declaration.parent;
    if (ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent) && list.parent.initializer === list) {
      const iterated = this.typeOf(list.parent.expression, module, depth + 1);
      return iterated && elementType(iterated);
    }
    if (!isConstDeclaration(declaration) || !declaration.initializer) return undefined;
    return this.typeOf(declaration.initializer, module, depth + 1);
  }

  /** The declared type of property `name` of a project interface or object type. */
  private propertyType(owner: TypeRef, name: string, depth: number): TypeRef | undefined {
    const declared = this.declared(owner, depth + 1);
    const member = declared && memberNamed(declared.declaration, name);
    return member && ts.isPropertySignature(member) && member.type ? { type: member.type, module: declared.module } : undefined;
  }

  /**
   * The project interface or object type alias a type names (`Operation`, `Operation | undefined`,
   * `ns.Operation`), here or imported from a project module; undefined for anything else.
   */
  private declared(ref: TypeRef, depth: number): DeclaredType | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const type = withoutNothing(ref.type);
    if (!type || !ts.isTypeReferenceNode(type) || type.typeArguments?.length) return undefined;
    let module: ModuleFacts | undefined = ref.module;
    let name: string;
    if (ts.isQualifiedName(type.typeName)) {
      if (!ts.isIdentifier(type.typeName.left)) return undefined;
      const imported = module.imports.get(type.typeName.left.text);
      if (!imported || imported.name !== "*") return undefined;
      module = this.ctx.loader.moduleFor(imported.module, module);
      name = type.typeName.right.text;
      return module && this.exportedType(name, module, depth + 1);
    }
    name = type.typeName.text;
    const own = typeDeclaration(module, name);
    if (own) return own.typeParameters ? undefined : { declaration: own, module };
    const imported = module.imports.get(name);
    if (!imported || imported.name === "*" || imported.name === "default") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    return target && this.exportedType(imported.name, target, depth + 1);
  }

  /** A type a module declares or passes on (`export type { X } from`, `export *`). */
  private exportedType(name: string, module: ModuleFacts, depth: number): DeclaredType | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const own = typeDeclaration(module, name);
    if (own) return own.typeParameters ? undefined : { declaration: own, module };
    const exported = module.exports.get(name)?.reexport ?? module.imports.get(name);
    if (exported && exported.name !== "*" && exported.name !== "default") {
      const next = this.ctx.loader.moduleFor(exported.module, module);
      return next && this.exportedType(exported.name, next, depth + 1);
    }
    for (const star of module.starReexports) {
      const next = this.ctx.loader.moduleFor(star, module);
      const found = next && this.exportedType(name, next, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}

function lastName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : name.right.text;
}

function isNothingType(type: ts.TypeNode): boolean {
  return (
    type.kind === ts.SyntaxKind.UndefinedKeyword ||
    type.kind === ts.SyntaxKind.VoidKeyword ||
    (ts.isLiteralTypeNode(type) && type.literal.kind === ts.SyntaxKind.NullKeyword)
  );
}

/** `T | null | undefined` is `T`; parentheses and `readonly` dropped. */
function withoutNothing(type: ts.TypeNode): ts.TypeNode | undefined {
  let current = type;
  for (;;) {
    if (ts.isParenthesizedTypeNode(current)) current = current.type;
    else if (ts.isTypeOperatorNode(current) && current.operator === ts.SyntaxKind.ReadonlyKeyword) current = current.type;
    else if (ts.isUnionTypeNode(current)) {
      const rest = current.types.filter((t) => !isNothingType(t));
      if (rest.length !== 1) return undefined;
      current = rest[0]!;
    } else return current;
  }
}

/** The element type of `T[]`, `Array<T>`, `ReadonlyArray<T>`. */
function elementType(ref: TypeRef): TypeRef | undefined {
  const type = withoutNothing(ref.type);
  if (!type) return undefined;
  if (ts.isArrayTypeNode(type)) return { type: type.elementType, module: ref.module };
  const element = onlyTypeArgument(type, ARRAY_TYPES);
  return element && { type: element, module: ref.module };
}

/** `T` of `Name<T>` when Name is one of `names` (`Array`, `Promise`, ...). */
function onlyTypeArgument(type: ts.TypeNode | undefined, names: ReadonlySet<string>): ts.TypeNode | undefined {
  return type &&
    ts.isTypeReferenceNode(type) &&
    ts.isIdentifier(type.typeName) &&
    names.has(type.typeName.text) &&
    type.typeArguments?.length === 1
    ? type.typeArguments[0]
    : undefined;
}

/** What awaiting a value of the type gives: `T` of `Promise<T>`, the type itself otherwise. */
function promised(ref: TypeRef): TypeRef {
  const inner = onlyTypeArgument(withoutNothing(ref.type), PROMISE_TYPES);
  return inner ? { type: inner, module: ref.module } : ref;
}

function typeDeclaration(module: ModuleFacts, name: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
  for (const statement of module.sourceFile.statements)
    if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name.text === name) return statement;
  return undefined;
}

/** A member an interface (its own body) or an object type alias declares. */
function memberNamed(declaration: ts.InterfaceDeclaration | ts.TypeAliasDeclaration, name: string): ts.TypeElement | undefined {
  const members = ts.isInterfaceDeclaration(declaration)
    ? declaration.members
    : ts.isTypeLiteralNode(declaration.type)
      ? declaration.type.members
      : undefined;
  return members?.find((m) => m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === name);
}
