import ts from "typescript";
import type { AnalysisContext } from "./context";
import { moduleVariable, unwrapExpression, type ModuleFacts } from "./module";
import type { ClassRef, ValueRef } from "./values";
import { getNameText } from "./valuesCore";
import { type FunctionRef, declarationOf, findAncestor, isConstDeclaration, propertyInitializer } from "./syntax";
import { declaredFieldType } from "./returnTypes";
import { InterfaceLiterals } from "./interfaceLiterals";

const {
  SyntaxKind,
  isArrayBindingPattern,
  isArrayLiteralExpression,
  isArrowFunction,
  isBindingElement,
  isCallExpression,
  isClassDeclaration,
  isClassLike,
  isForOfStatement,
  isFunctionExpression,
  isIdentifier,
  isInterfaceDeclaration,
  isMethodDeclaration,
  isNewExpression,
  isNoSubstitutionTemplateLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isRegularExpressionLiteral,
  isShorthandPropertyAssignment,
  isSpreadElement,
  isStringLiteralLike,
  isTypeReferenceNode,
  isArrayTypeNode,
  isVariableDeclaration,
  isVariableDeclarationList,
} = ts;

/** How many alternatives a dispatch may have before it counts as unknown. */
export const MAX_DISPATCH = 32;
/**
 * How many entries a route or command table may have before a call through it counts as unknown.
 * Each entry is a path the walk follows once (its walk is cached), so a table of a few hundred
 * routes stays cheap; arbitrary dispatch (returned functions, overrides) keeps the lower caps.
 */
export const MAX_TABLE_DISPATCH = 256;
/** How many implementations of an interface method may stand in for a call on it. */
export const MAX_IMPLEMENTATIONS = 16;
/** How deep element values are followed (an element held in a variable, pushed through a callback). */
const MAX_DEPTH = 6;

/** Array methods whose callback is given each element. */
const ELEMENT_CALLBACKS = new Set(["find", "findLast", "some", "every", "forEach", "filter", "map", "flatMap"]);
/** Array and Map methods that return one element (or a value of a Map). */
const ELEMENT_GETTERS = new Set(["find", "findLast", "at", "get", "pop", "shift"]);
/** Array methods that return one element (never a Map's). */
const LIST_GETTERS = new Set(["find", "findLast", "at"]);
/** Property names that hold a route's path in a table entry. */
const PATH_KEYS = ["pattern", "path", "route", "url", "pathname", "match", "regex", "prefix"];
const METHOD_KEYS = ["method", "verb"];
/** Property names that name an entry of a table of procedures or commands (no path). */
const NAME_KEYS = ["name", "method", "procedure", "command", "action", "type"];

/** One entry of an object table: its key, its value, and the route it names when nested ("GET /a"). */
interface TableEntry {
  readonly key?: string;
  readonly value: ValueRef;
  readonly label?: string;
}

/** One alternative of a dispatch: a function and, when the table says it, the route it serves. */
export interface Alternative extends FunctionRef {
  readonly label?: string;
}

/** What a call through a collection or an interface may run. */
export interface Dispatch {
  readonly alternatives: readonly Alternative[];
  /** How the alternatives were found, for the note said with the prediction. */
  readonly how: "table" | "implementations" | "chosen" | "classes" | "literals";
  /** The interface the object literals are declared with (how "literals"). */
  readonly typeName?: string;
  /** Set when the alternatives were too many to follow: the call is then unknown. */
  readonly tooMany?: string;
}

/**
 * Calls the walk cannot resolve to one function because the callee is read from a collection or
 * typed as an interface: route tables walked in a loop (`for (const r of routes) if (...) return
 * r.handler(req)`), class-based routers (`for (const r of this.routes) if (r.accepts(req)) return
 * r.handle(req)`), and template methods (`this.work()` in a base class, overridden by subclasses).
 * Each alternative is a path; the walk counts the worst. Everything here may read modules outside
 * the caller's import closure, so the walk that asks is not kept.
 */
export class DispatchResolver {
  private readonly implementationCache = new Map<string, ClassRef[]>();
  private allClasses: ClassRef[] | undefined;
  private instantiated: Set<ts.ClassLikeDeclaration> | undefined;
  private readonly interfaces = new Map<ModuleFacts, Set<string>>();
  /** Concrete subclasses by class, per analysis (asked at every `this.method()` call). */
  private readonly subclassCache = new Map<ts.ClassLikeDeclaration, ClassRef[]>();
  /** `new X(...)` with arguments, found by instantiatedClasses; and the classes whose constructions were noted (see implementationsOf). */
  private readonly newSites: Array<{ node: ts.NewExpression; module: ModuleFacts }> = [];
  private readonly notedConstructions = new Set<ts.ClassLikeDeclaration>();
  /** A member read from a table entry (`{ pathname: "/a", methods: {...} }`'s `methods`): the entry's label ("/a"), for the note. */
  private readonly memberOwners = new Map<ts.Node, string>();

  private readonly interfaceLiterals: InterfaceLiterals;

  constructor(private readonly ctx: AnalysisContext) {
    this.interfaceLiterals = new InterfaceLiterals(ctx);
  }

  /** The alternatives of `receiver.method(...)` / `fn(...)` when the callee comes from a collection or an interface. */
  resolve(callee: ts.Expression, module: ModuleFacts): Dispatch | undefined {
    if (isPropertyAccessExpression(callee)) {
      const receiver = unwrapExpression(callee.expression);
      const method = callee.name.text;
      if (receiver.kind === SyntaxKind.ThisKeyword) return this.overrides(callee, method, module);
      const chosen = this.chosenClassMethods(receiver, method, module);
      if (chosen) return this.bounded(chosen, "classes");
      const elements = this.elementsOf(receiver, module, 0);
      if (elements) {
        const alternatives: Alternative[] = [];
        let complete = true;
        for (const element of elements) {
          // A plugin object without that member (`p.fetch?.(...)`, `if (p.fetch)`): nothing to call.
          if (this.lacksMember(element, method, 0)) continue;
          const found = this.memberFunctions(element, method, 0);
          if (!found) {
            complete = false;
            break;
          }
          alternatives.push(...found);
        }
        if (complete && alternatives.length > 0) return this.bounded(alternatives, "table");
      }
      const typed = this.typeNameOf(receiver, module);
      const implemented = typed && this.implementationsOf(typed.name, typed.module, method);
      if (implemented) return implemented;
      return this.literalMembers(receiver, method, module);
    }
    if (isIdentifier(callee)) {
      // `for (const { handler } of routes) ... handler(req)`, `const h = routes.get(path); h(req)`.
      const declaration = declarationOf(callee);
      if (!declaration) return undefined;
      let values: Alternative[] | undefined;
      let chosen = false;
      if (isBindingElement(declaration)) values = this.destructured(declaration, module);
      else if (isVariableDeclaration(declaration) && isForOfVariable(declaration) && isIdentifier(declaration.name)) {
        // `for (const handler of handlers) await handler(req)` over a rest parameter: each argument given for it.
        const loop = declaration.parent.parent as ts.ForOfStatement;
        const rest = restParameterOf(unwrapExpression(loop.expression));
        const given = rest ? this.restArguments(rest, "all") : undefined;
        values = given && this.restFunctions(given);
      } else if (isVariableDeclaration(declaration) && declaration.initializer && !isForOfVariable(declaration)) {
        const init = unwrapExpression(declaration.initializer);
        const fromRest = this.restElement(init);
        if (fromRest) values = this.restFunctions(fromRest);
        else if (isCallExpression(init) && isPropertyAccessExpression(init.expression) && init.expression.name.text === "get") {
          // `routes.get(path)` of a Map (one it was built by or a function returns).
          values = this.tableRead(init, module, 0);
        } else if (ts.isElementAccessExpression(init)) {
          const entries = this.tableEntries(init.expression, module, 0);
          values = entries ? this.functionsOf(entriesFor(entries, init.argumentExpression)) : this.tableRead(init, module, 0);
        } else if (ts.isBinaryExpression(init) || ts.isConditionalExpression(init) || isPropertyAccessExpression(init)) {
          // `route[`onRequest${verb}`] || route.onRequest` with `route = routes[path]`.
          values = this.tableRead(init, module, 0);
        } else if (isCallExpression(init) && init.arguments.length === 0) {
          // `const handler = (() => { switch (command) { case "a": return handleA; ... } })()`: any function it returns.
          const iife = unwrapExpression(init.expression);
          if ((isArrowFunction(iife) || isFunctionExpression(iife)) && isConstDeclaration(declaration)) {
            const returned = this.ctx.values.returnedValues(iife, module);
            const functions = returned.map((r) => this.ctx.values.functionFrom(r.expression, r.module));
            if (returned.length > 0 && functions.every((f) => f !== undefined)) {
              values = functions.map((f) => ({ ...f!, label: printLabel(f!) }));
              chosen = true;
            }
          }
        }
      }
      return values && values.length > 0 ? this.bounded(values, chosen ? "chosen" : "table") : undefined;
    }
    return undefined;
  }

  /**
   * `op.handler(c)` on a value declared (where it comes from) with a project interface whose values
   * are object literals typed by it (an operation registry: `Operation[]` arrays of `{ method, path,
   * handler }`): the member of each literal, the worst counts. Undefined when a literal's member is
   * not a function the analysis reads, or when the literals cannot all be found (interfaceLiterals.ts).
   */
  private literalMembers(receiver: ts.Expression, method: string, module: ModuleFacts): Dispatch | undefined {
    const type = this.interfaceLiterals.interfaceOf(receiver, module);
    if (!type || !this.interfaceLiterals.declaresMember(type, method)) return undefined;
    // The literals are in modules the caller may not import: a walk that uses them is not kept.
    this.ctx.walker.cutWalk();
    const literals = this.interfaceLiterals.literalsOf(type);
    if (!literals || literals.length === 0) return undefined;
    const alternatives: Alternative[] = [];
    for (const literal of literals) {
      // An optional member a literal leaves out: nothing to call.
      if (this.lacksMember(literal, method, 0)) continue;
      const found = this.memberFunctions(literal, method, 0);
      if (!found) return undefined;
      alternatives.push(...found);
    }
    if (alternatives.length === 0) return undefined;
    return { ...this.bounded(alternatives, "literals"), typeName: type.declaration.name.text };
  }

  /**
   * `new Cmd(env).run(ev)` (also through a constant holding the instance) where `Cmd` is read from a
   * list of classes (`const Cmd = commands.find((c) => c.matches(text))`): the method of each class
   * the list holds, which of them is made being known only at run time. Undefined unless every
   * element is a project class with that method.
   */
  private chosenClassMethods(receiver: ts.Expression, method: string, module: ModuleFacts): Alternative[] | undefined {
    let made = receiver;
    if (isIdentifier(made)) {
      const held = declarationOf(made);
      if (!held || !isVariableDeclaration(held) || !isConstDeclaration(held) || !held.initializer) return undefined;
      made = unwrapExpression(held.initializer);
    }
    if (!isNewExpression(made)) return undefined;
    const chosen = unwrapExpression(made.expression);
    const declaration = isIdentifier(chosen) ? declarationOf(chosen) : undefined;
    if (!declaration || isClassLike(declaration)) return undefined;
    const elements = this.elementsOf(chosen, module, 0);
    if (!elements || elements.length === 0) return undefined;
    const alternatives: Alternative[] = [];
    for (const element of elements) {
      const value = unwrapExpression(element.expression);
      const own = isIdentifier(value) ? declarationOf(value) : undefined;
      const ref =
        own && isClassLike(own)
          ? { cls: own, module: element.module }
          : isIdentifier(value)
            ? this.ctx.values.classNamed(value.text, element.module)
            : undefined;
      const fn = ref ? this.ctx.values.methodOf(ref, method) : undefined;
      if (!ref || !fn?.fn.body) return undefined;
      // What each candidate's constructor is given: `new Cmd(env)`'s arguments (its `this.env`).
      const constructor = this.ctx.values.constructorOf(ref);
      if (constructor && made.arguments) this.ctx.values.noteArguments(constructor, made.arguments, module);
      alternatives.push({ ...fn, label: classLabel(ref) });
    }
    return alternatives;
  }

  /**
   * The functions a value read from a table may be: `table[key]` (each entry when the key is known
   * only at run time, the entry it names when it is a constant), a member of such an entry
   * (`route[`onRequest${verb}`]` or `route.onRequest`, `route` being `routes[path]` whose entries
   * are namespace imports or object literals), and `a || b`, `a ?? b`, `c ? a : b` of those (a
   * part that is a plain function counts as itself). An empty list: no entry has that member;
   * undefined: not a read of a table, or one that cannot be followed.
   */
  private tableRead(expression: ts.Expression, module: ModuleFacts, depth: number): Alternative[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    const parts =
      ts.isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken)
        ? [value.left, value.right]
        : ts.isConditionalExpression(value)
          ? [value.whenTrue, value.whenFalse]
          : undefined;
    if (parts) {
      const out: Alternative[] = [];
      let read = false;
      for (const part of parts) {
        const found = this.tableRead(part, module, depth + 1);
        if (found) {
          read = true;
          out.push(...found);
          continue;
        }
        // `method === "GET" ? handlers[path] : undefined` guarded by `if (handler)`: the nullish side calls nothing.
        if (isNullishLiteral(part)) continue;
        const fn = this.ctx.values.functionFrom(part, module);
        if (fn) {
          out.push(fn);
          continue;
        }
        // A router factory's fallback parameter (`route(routes, fallback)`): each function it is given.
        const given = this.passedToParameter(part)?.map((v) => this.ctx.values.functionFrom(v.expression, v.module));
        if (!given || given.some((g) => g === undefined)) return undefined;
        out.push(...(given as FunctionRef[]));
      }
      return read ? out : undefined;
    }
    if (ts.isElementAccessExpression(value)) {
      const holder = unwrapExpression(value.expression);
      const key = constantKey(value.argumentExpression);
      // `commands[name]` over `import * as commands`: its exports.
      if (isIdentifier(holder) && !declarationOf(holder) && module.imports.get(holder.text)?.name === "*")
        return this.membersOf([{ expression: holder, module }], key, depth);
      const entries = this.tableEntries(holder, module, depth + 1);
      if (entries) return this.functionsOf(entriesFor(entries, value.argumentExpression));
      const elements = this.elementsOf(holder, module, depth + 1);
      return elements && this.membersOf(elements, key, depth);
    }
    if (isPropertyAccessExpression(value)) {
      const elements = this.elementsOf(unwrapExpression(value.expression), module, depth + 1);
      return elements && this.membersOf(elements, value.name.text, depth);
    }
    // `ROUTES.get(path)` of a Map.
    const got = this.mapRead(value, module, depth);
    return got && this.functionsOf(got);
  }

  /** The entries `ROUTES.get(key)` of a Map may give (the one a constant key names), or undefined when `value` is no such read. */
  private mapRead(value: ts.Expression, module: ModuleFacts, depth: number): Array<{ key?: string; value: ValueRef }> | undefined {
    if (
      !isCallExpression(value) ||
      !isPropertyAccessExpression(value.expression) ||
      value.expression.name.text !== "get" ||
      !value.arguments[0]
    )
      return undefined;
    const holder = unwrapExpression(value.expression.expression);
    const entries = this.mapEntries(holder, module) ?? this.heldMaps(holder, module, depth + 1, new Set());
    return entries && entriesFor(entries, value.arguments[0]);
  }

  /**
   * `element[name]` for each element of a table: a namespace import's export, an object literal's
   * property, or (the name known only at run time, `undefined`) every function among them. An
   * element without that member adds nothing; undefined when an element cannot be read.
   */
  private membersOf(elements: readonly ValueRef[], name: string | undefined, depth: number): Alternative[] | undefined {
    const out: Alternative[] = [];
    for (const element of elements) {
      const value = unwrapExpression(element.expression);
      const imported = isIdentifier(value) && !declarationOf(value) ? element.module.imports.get(value.text) : undefined;
      if (imported?.name === "*") {
        const target = this.ctx.loader.moduleFor(imported.module, element.module);
        if (!target) return undefined;
        const names = name !== undefined ? [name] : [...target.exports.keys()];
        for (const exported of names) {
          const fn = this.ctx.values.exportedFunction(exported, target);
          if (fn) out.push({ ...fn, label: exported });
        }
        continue;
      }
      if (isObjectLiteralExpression(value) && name === undefined) {
        for (const property of value.properties) {
          const fn = isMethodDeclaration(property)
            ? { fn: property, module: element.module }
            : isPropertyAssignment(property)
              ? this.ctx.values.functionFrom(property.initializer, element.module)
              : isShorthandPropertyAssignment(property)
                ? this.ctx.values.functionFrom(property.name, element.module)
                : undefined;
          const key = property.name && !ts.isComputedPropertyName(property.name) ? getNameText(property.name) : undefined;
          if (fn) out.push({ ...fn, ...(key !== undefined ? { label: ownedLabel(key, this.memberOwners.get(value)) } : {}) });
        }
        continue;
      }
      if (name === undefined) return undefined;
      if (isObjectLiteralExpression(value) && !value.properties.some((p) => p.name && getNameText(p.name) === name)) continue;
      const found = this.memberFunctions(element, name, depth + 1);
      if (!found) return undefined;
      out.push(...found);
    }
    return out;
  }

  /**
   * A callee read from a table where it is called (`routes[path][verb](...)`, `commands[name](...)`
   * over a namespace import, `new Map([...]).get(path)(...)`): each function it may be, or undefined.
   */
  readCallee(callee: ts.Expression, module: ModuleFacts): Dispatch | undefined {
    const value = unwrapExpression(callee);
    // (`(routes[pathname] || notFound)(request)`: the table's entries and the fallback, see tableRead.)
    const fallback =
      ts.isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken);
    if (!ts.isElementAccessExpression(value) && !isCallExpression(value) && !fallback) return undefined;
    // `handlers[handlers.length - 1](c)` of a rest parameter: what each call gives last.
    const fromRest = this.restElement(value);
    const given = fromRest && this.restFunctions(fromRest);
    if (given && given.length > 0) return this.bounded(given, "table");
    const found = this.tableRead(value, module, 0);
    return found && found.length > 0 ? this.bounded(found, "table") : undefined;
  }

  /**
   * `let p: Provider; switch (kind) { case "a": p = new A(); break; case "b": p = new B(); }` then
   * `p.run()` (or `const p = flag ? new A() : new B()`): a variable holding instances of different
   * project classes by branch. The method of each is a path and the worst counts; following the
   * first instance alone would miss the others. Undefined unless two or more classes, each with
   * the method, are found.
   */
  branchInstances(callee: ts.PropertyAccessExpression, module: ModuleFacts): Dispatch | undefined {
    const receiver = unwrapExpression(callee.expression);
    if (!isIdentifier(receiver)) return undefined;
    const declaration = declarationOf(receiver);
    if (!declaration || !isVariableDeclaration(declaration) || !isIdentifier(declaration.name)) return undefined;
    const init = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
    const conditional = init && ts.isConditionalExpression(init) ? init : undefined;
    if (isConstDeclaration(declaration) && !conditional) return undefined;
    const sources: ValueRef[] = conditional
      ? [
          { expression: conditional.whenTrue, module },
          { expression: conditional.whenFalse, module },
        ]
      : this.ctx.values.variableValues(declaration, module);
    if (sources.length < 2) return undefined;
    const classes: ClassRef[] = [];
    for (const source of sources) {
      if (!isNewExpression(unwrapExpression(source.expression))) continue;
      const found = this.ctx.values.classOfInstance(source.expression, source.module);
      if (found && !classes.some((c) => c.cls === found.cls)) classes.push(found);
    }
    if (classes.length < 2) return undefined;
    const alternatives: Alternative[] = [];
    for (const ref of classes) {
      const fn = this.ctx.values.methodOf(ref, callee.name.text);
      if (!fn?.fn.body) return undefined;
      if (!alternatives.some((a) => a.fn === fn.fn)) alternatives.push({ ...fn, label: classLabel(ref) });
    }
    return alternatives.length >= 2 ? this.bounded(alternatives, "implementations") : undefined;
  }

  private bounded(alternatives: Alternative[], how: Dispatch["how"]): Dispatch {
    const unique: Alternative[] = [];
    for (const a of alternatives) if (!unique.some((u) => u.fn === a.fn && u.label === a.label)) unique.push(a);
    // A list of command classes is a table too: each entry a path walked once.
    const cap = how === "table" || how === "classes" || how === "literals" ? MAX_TABLE_DISPATCH : MAX_DISPATCH;
    if (unique.length > cap) return { alternatives: [], how, tooMany: `${unique.length} alternatives` };
    return { alternatives: unique, how };
  }

  // ---- collections ----

  /** The values `value` may hold as an element of a collection, undefined when it is not read from one. */
  private elementsOf(value: ts.Expression, module: ModuleFacts, depth: number): ValueRef[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    // `routes[path]` and `ROUTES.get(path)` written where they are read (`routes[path][verb](...)`).
    // `commands.find((c) => c.name === name)?.execute(...)`: any element of the list.
    if (isCallExpression(value) && isListGetter(value))
      return this.collection(unwrapExpression(value.expression.expression), module, depth + 1);
    if (ts.isElementAccessExpression(value) || isCallExpression(value)) return this.readElements(value, module, depth);
    // `route.methods` of `const route = routes.find(...)` with entries `{ path, methods: { GET: h } }`:
    // that member of each element (read on as a table: `route.methods[request.method](...)`).
    if (isPropertyAccessExpression(value) && value.expression.kind !== SyntaxKind.ThisKeyword) {
      const owners = this.elementsOf(unwrapExpression(value.expression), module, depth + 1);
      if (!owners) return undefined;
      const out: ValueRef[] = [];
      for (const owner of owners) {
        const member = this.memberValues(owner, value.name.text, depth + 1);
        if (!member) return undefined;
        out.push(...member);
      }
      return out.length > 0 ? out : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    if (!declaration) return undefined;
    // `for (const route of routes)`
    if (isVariableDeclaration(declaration) && isForOfVariable(declaration) && isIdentifier(declaration.name)) {
      const loop = declaration.parent.parent as ts.ForOfStatement;
      return this.collection(unwrapExpression(loop.expression), module, depth + 1);
    }
    // `let route; for (const r of routes) if (...) { route = r; break; }`: what is assigned to it.
    if (isVariableDeclaration(declaration) && !declaration.initializer && isIdentifier(declaration.name)) {
      const assigned = (module.assignments.get(declaration.name.text) ?? []).filter(
        (a) => isIdentifier(a.left) && declarationOf(a.left) === declaration,
      );
      if (assigned.length === 0) return undefined;
      const out: ValueRef[] = [];
      for (const assignment of assigned) {
        const right = unwrapExpression(assignment.right);
        const inner = this.elementsOf(right, module, depth + 1);
        if (!inner) return undefined;
        out.push(...inner);
      }
      return out;
    }
    // `const route = routes.find((r) => ...)`
    if (isVariableDeclaration(declaration) && declaration.initializer) {
      const init = unwrapExpression(declaration.initializer);
      // `const callback = handlers.pop()` of a rest parameter `...handlers`: what each call gives last.
      const fromRest = this.restElement(init);
      if (fromRest) return fromRest;
      if (isCallExpression(init) && isPropertyAccessExpression(init.expression) && ELEMENT_GETTERS.has(init.expression.name.text))
        return this.collection(unwrapExpression(init.expression.expression), module, depth + 1);
      // `const route = routes[url.pathname]`: any entry of a constant table (the one a constant key names).
      if (ts.isElementAccessExpression(init)) return this.readElements(init, module, depth);
      // `const agent = pickAgent(config)` where the project function returns an entry of a list
      // (`for (const a of AGENTS) if (a.name === wanted) return a; return null;`): any entry.
      const called = ts.isAwaitExpression(init) ? unwrapExpression(init.expression) : init;
      if (isCallExpression(called)) return this.returnedElements(called, module, depth);
      return undefined;
    }
    // `routes.find((r) => r.match(url))?.handler(...)`, `[a, b].forEach((x) => router.routes.push(x))`
    if (isParameter(declaration)) {
      const fn = declaration.parent;
      const call = fn.parent;
      if (
        (isArrowFunction(fn) || isFunctionExpression(fn)) &&
        fn.parameters[0] === declaration &&
        isCallExpression(call) &&
        call.arguments[0] === fn &&
        isPropertyAccessExpression(call.expression) &&
        ELEMENT_CALLBACKS.has(call.expression.name.text)
      )
        return this.collection(unwrapExpression(call.expression.expression), module, depth + 1);
    }
    return undefined;
  }

  /**
   * The entries of lists a project function returns: every `return` gives an element of a collection
   * (a loop's variable, `list.find(...)`, `list[i]`) or nothing (`null`, `undefined`). Undefined otherwise.
   */
  private returnedElements(call: ts.CallExpression, module: ModuleFacts, depth: number): ValueRef[] | undefined {
    const fn = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
    if (!fn || !fn.fn.body) return undefined;
    const out: ValueRef[] = [];
    for (const returned of this.ctx.values.returnedValues(fn.fn, fn.module)) {
      const value = unwrapExpression(returned.expression);
      if (value.kind === SyntaxKind.NullKeyword || (isIdentifier(value) && value.text === "undefined")) continue;
      const elements = this.elementsOf(value, returned.module, depth + 1);
      if (!elements) return undefined;
      out.push(...elements);
    }
    return out.length > 0 ? out : undefined;
  }

  /**
   * What one read of a table gives: `routes[key]` (any entry of a constant object table, the one a
   * constant key names; any element of a list), `ROUTES.get(key)` of a Map. Undefined otherwise.
   */
  private readElements(value: ts.Expression, module: ModuleFacts, depth: number): ValueRef[] | undefined {
    if (ts.isElementAccessExpression(value)) {
      const holder = unwrapExpression(value.expression);
      const entries = this.objectEntries(holder, module);
      if (entries) return entriesFor(entries, value.argumentExpression).map((e) => e.value);
      // `list[i]`, and `list[0]` of a list (`commands.filter((c) => c.name === name)[0]`): any element.
      const key = unwrapExpression(value.argumentExpression);
      if (constantKey(key) === undefined || ts.isNumericLiteral(key)) return this.collection(holder, module, depth + 1);
      return undefined;
    }
    return this.mapRead(value, module, depth)?.map((e) => e.value);
  }

  /**
   * The elements of a collection: an array literal, a never-reassigned variable holding one (with
   * what is pushed into it anywhere), a class field filled by `push` (`this.routes`,
   * `router.routes.push(r)`), `Object.values(table)`, a Map's values.
   */
  private collection(expression: ts.Expression, module: ModuleFacts, depth: number): ValueRef[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (isArrayLiteralExpression(expression)) {
      const out: ValueRef[] = [];
      for (const element of expression.elements) {
        if (isSpreadElement(element)) {
          const inner = this.collection(unwrapExpression(element.expression), module, depth + 1);
          if (!inner) return undefined;
          out.push(...inner);
        } else out.push({ expression: element, module });
      }
      return out;
    }
    if (isCallExpression(expression) && isPropertyAccessExpression(expression.expression)) {
      const name = expression.expression.name.text;
      const target = unwrapExpression(expression.expression.expression);
      // `Object.values(table)`
      if (isIdentifier(target) && target.text === "Object" && name === "values" && expression.arguments[0])
        return this.objectEntries(unwrapExpression(expression.arguments[0]), module)?.map((e) => e.value);
      // `routes.filter(...)`, `map.values()`
      if (name === "filter" || name === "slice" || name === "concat") return this.collection(target, module, depth + 1);
      if (name === "values") return this.mapEntries(target, module)?.map((e) => e.value);
      return undefined;
    }
    if (isPropertyAccessExpression(expression)) return this.fieldCollection(expression, module, depth);
    if (!isIdentifier(expression)) return undefined;
    // `for (const handler of handlers)` over a rest parameter: what each call gives from there on.
    const rest = restParameterOf(expression);
    if (rest) return this.restArguments(rest, "all");
    const found = this.variableOf(expression, module);
    if (!found) {
      // `import commands from "./commands"` with `export default [invite, trivia]`: the exported list.
      const imported = this.importedValue(expression, module);
      return imported ? this.collection(unwrapExpression(imported.expression), imported.module, depth + 1) : undefined;
    }
    const { declaration, module: home } = found;
    if (!declaration.initializer) return undefined;
    const init = unwrapExpression(declaration.initializer);
    if (!isArrayLiteralExpression(init)) {
      // `const active = providers.filter((p) => p !== null)`: a copy of another collection, whose
      // elements are that collection's (what is pushed into the copy is looked for below).
      if (isCallExpression(init) && isConstDeclaration(declaration)) {
        const copied = this.collection(init, home, depth + 1);
        if (copied) return [...copied, ...this.pushedInto(expression, declaration, home)];
      }
      // `const handlers = Registry.shared().getHandlers()`: the values of the Map it returns.
      return this.heldMaps(expression, module, depth + 1, new Set())?.map((e) => e.value);
    }
    const out = this.collection(init, home, depth + 1);
    if (!out) return undefined;
    if (!isConstDeclaration(declaration) && (home.assignments.get(expression.text)?.length ?? 0) > 0) return undefined;
    out.push(...this.pushedInto(expression, declaration, home));
    return out;
  }

  /** What is pushed into the variable `name` declares anywhere in its module (a registration function, module scope). */
  private pushedInto(name: ts.Identifier, declaration: ts.VariableDeclaration, home: ModuleFacts): ValueRef[] {
    const out: ValueRef[] = [];
    for (const call of home.calls) {
      const pushed = pushedInto(call);
      if (!pushed) continue;
      const holder = unwrapExpression(pushed.receiver);
      if (!isIdentifier(holder) || holder.text !== name.text || declarationOf(holder) !== declaration) continue;
      for (const arg of pushed.args) out.push({ expression: arg, module: home });
    }
    return out;
  }

  /** `this.routes` in a class: its initializer and what is pushed into `<instance>.routes` anywhere. */
  private fieldCollection(access: ts.PropertyAccessExpression, module: ModuleFacts, depth: number): ValueRef[] | undefined {
    if (access.expression.kind !== SyntaxKind.ThisKeyword) return undefined;
    const cls = findAncestor(access, isClassLike);
    if (!cls) return undefined;
    const name = access.name.text;
    const out: ValueRef[] = [];
    let declared = false;
    for (const member of cls.members)
      if (isPropertyDeclaration(member) && isIdentifier(member.name) && member.name.text === name) {
        declared = true;
        if (member.initializer) {
          const init = this.collection(unwrapExpression(member.initializer), module, depth + 1);
          if (!init) return undefined;
          out.push(...init);
        }
      }
    for (const assignment of module.assignments.get("this." + name) ?? []) {
      if (findAncestor(assignment, isClassLike) !== cls) continue;
      declared = true;
      const right = unwrapExpression(assignment.right);
      // `constructor(handlers) { this.handlers = handlers }`: the list each `new Cls([...])` gives.
      const given = this.constructorArguments(right, cls, module);
      if (given) {
        for (const arg of given) {
          const elements = this.collection(unwrapExpression(arg.expression), arg.module, depth + 1);
          if (!elements) return undefined;
          out.push(...elements);
        }
        continue;
      }
      const init = this.collection(right, module, depth + 1);
      if (!init) return undefined;
      out.push(...init);
    }
    if (!declared) return undefined;
    // Pushes may be in any module (a registration function given the router).
    this.ctx.walker.cutWalk();
    for (const other of this.ctx.loader.modules.values()) {
      for (const call of other.calls) {
        const pushed = pushedInto(call);
        if (!pushed) continue;
        const field = unwrapExpression(pushed.receiver);
        if (!isPropertyAccessExpression(field) || field.name.text !== name) continue;
        const holder = unwrapExpression(field.expression);
        if (holder.kind === SyntaxKind.ThisKeyword ? findAncestor(field, isClassLike) !== cls : !this.mayBeInstanceOf(holder, cls, other))
          continue;
        for (const arg of pushed.args) out.push(...this.registered({ expression: arg, module: other }, cls));
      }
    }
    return out;
  }

  /**
   * What a parameter of the class's constructor is given: the argument at its place in each `new
   * Cls(...)` of the Worker. Undefined when `value` is no such parameter, when a subclass may be made
   * with other arguments, when a site spreads its arguments or leaves it out, or when no site is found.
   */
  private constructorArguments(value: ts.Expression, cls: ts.ClassLikeDeclaration, module: ModuleFacts): ValueRef[] | undefined {
    const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
    if (!declaration || !isParameter(declaration) || declaration.dotDotDotToken) return undefined;
    const constructor = declaration.parent;
    if (!ts.isConstructorDeclaration(constructor) || constructor.parent !== cls) return undefined;
    if (this.subclassesOf(cls, module).length > 0) return undefined;
    const index = constructor.parameters.indexOf(declaration);
    this.instantiatedClasses();
    const out: ValueRef[] = [];
    for (const site of this.newSites) {
      const callee = unwrapExpression(site.node.expression);
      if (!isIdentifier(callee)) continue;
      const named = declarationOf(callee);
      const made = named && isClassLike(named) ? named : named ? undefined : this.ctx.values.classNamed(callee.text, site.module)?.cls;
      if (made !== cls) continue;
      const arg = site.node.arguments?.[index];
      if (!arg || site.node.arguments!.slice(0, index + 1).some(isSpreadElement)) return undefined;
      out.push({ expression: arg, module: site.module });
    }
    return out.length > 0 && out.length <= MAX_TABLE_DISPATCH ? out : undefined;
  }

  /**
   * What a pushed value is: itself, or, when it is a parameter of one of the class's methods
   * (`register(plugin) { this.plugins.push(plugin) }`), each argument given for it where the method
   * is called on an instance of the class (`pm.register(nip01Plugin)`). The parameter itself when no
   * call is found (then it cannot be read, as before).
   */
  private registered(pushed: ValueRef, cls: ts.ClassLikeDeclaration): ValueRef[] {
    const value = unwrapExpression(pushed.expression);
    const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
    if (!declaration || !isParameter(declaration)) return [pushed];
    const method = declaration.parent;
    if (!isMethodDeclaration(method) || method.parent !== cls || !isIdentifier(method.name) || declaration.dotDotDotToken) return [pushed];
    const index = method.parameters.indexOf(declaration);
    const name = method.name.text;
    const out: ValueRef[] = [];
    for (const other of this.ctx.loader.modules.values())
      for (const call of other.calls) {
        if (!isCallExpression(call) || !isPropertyAccessExpression(call.expression) || call.expression.name.text !== name) continue;
        const holder = unwrapExpression(call.expression.expression);
        if (holder.kind === SyntaxKind.ThisKeyword ? findAncestor(call, isClassLike) !== cls : !this.mayBeInstanceOf(holder, cls, other))
          continue;
        const arg = call.arguments[index];
        if (!arg || isSpreadElement(arg)) return [pushed];
        out.push({ expression: arg, module: other });
      }
    return out.length > 0 && out.length <= MAX_TABLE_DISPATCH ? out : [pushed];
  }

  /**
   * What member `name` of one element holds: an object literal's property (the literal held by a
   * constant or imported too). Empty when the literal has no such member and nothing spread into
   * it; undefined when the element cannot be read.
   */
  private memberValues(element: ValueRef, name: string, depth: number): ValueRef[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(element.expression);
    if (isObjectLiteralExpression(value)) {
      const property = value.properties.find((p) => p.name && !ts.isComputedPropertyName(p.name) && getNameText(p.name) === name);
      if (!property) return value.properties.some((p) => ts.isSpreadAssignment(p)) ? undefined : [];
      if (isMethodDeclaration(property)) return [{ expression: property as unknown as ts.Expression, module: element.module }];
      const held = propertyInitializer(property);
      if (!held) return undefined;
      const owner = labelOf(value).label;
      if (owner !== undefined) this.memberOwners.set(unwrapExpression(held), owner);
      return [{ expression: held, module: element.module }];
    }
    if (!isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    if (declaration && isVariableDeclaration(declaration) && isConstDeclaration(declaration) && declaration.initializer)
      return this.memberValues({ expression: declaration.initializer, module: element.module }, name, depth + 1);
    const imported = declaration ? undefined : this.importedValue(value, element.module);
    return imported ? this.memberValues(imported, name, depth + 1) : undefined;
  }

  /** Whether an element is an object literal (held by a constant, imported) with no member `name` and nothing spread into it. */
  private lacksMember(element: ValueRef, name: string, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const value = unwrapExpression(element.expression);
    if (isObjectLiteralExpression(value))
      return value.properties.every((p) => !ts.isSpreadAssignment(p) && !(p.name && getNameText(p.name) === name));
    if (!isIdentifier(value)) return false;
    const declaration = declarationOf(value);
    if (declaration && isVariableDeclaration(declaration) && isConstDeclaration(declaration) && declaration.initializer)
      return this.lacksMember({ expression: declaration.initializer, module: element.module }, name, depth + 1);
    const imported = declaration ? undefined : this.importedValue(value, element.module);
    return imported ? this.lacksMember(imported, name, depth + 1) : false;
  }

  /** Whether a value may be an instance of `cls`: it is one, or nothing says it is another class. */
  private mayBeInstanceOf(holder: ts.Expression, cls: ts.ClassLikeDeclaration, module: ModuleFacts): boolean {
    const instance = this.ctx.values.classOfInstance(holder, module);
    if (instance) return instance.cls === cls;
    const typed = this.typeNameOf(holder, module);
    if (!typed) return true;
    const named = cls.name?.text;
    return typed.name === named || implementsName(cls, typed.name);
  }

  /** Entries of an object literal table, by key. */
  /**
   * The entries of an object table, nested ones included: `routes`, `routes[method]` of
   * `{ GET: { "/a": a }, POST: { ... } }` (the entries of each table the key may pick, labelled
   * "GET /a"), and `(routes[method] || {})` (the empty fallback adds nothing).
   */
  private tableEntries(expression: ts.Expression, module: ModuleFacts, depth: number): TableEntry[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (
      ts.isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken)
    ) {
      const fallback = unwrapExpression(value.right);
      if (!isObjectLiteralExpression(fallback) || fallback.properties.length > 0) return undefined;
      return this.tableEntries(value.left, module, depth + 1);
    }
    if (ts.isElementAccessExpression(value)) {
      const outer = this.tableEntries(value.expression, module, depth + 1);
      if (!outer) return undefined;
      const out: TableEntry[] = [];
      for (const entry of entriesFor(outer, value.argumentExpression)) {
        const inner = this.objectEntries(unwrapExpression(entry.value.expression), entry.value.module);
        if (!inner) return undefined;
        for (const e of inner)
          out.push({
            ...(e.key !== undefined ? { key: e.key } : {}),
            value: e.value,
            ...(entry.key && e.key ? { label: `${entry.key} ${e.key}` } : {}),
          });
      }
      return out;
    }
    return this.objectEntries(value, module);
  }

  private objectEntries(expression: ts.Expression, module: ModuleFacts, depth = 0): Array<{ key?: string; value: ValueRef }> | undefined {
    let object: ts.Expression = expression;
    let home = module;
    // `route(routes, fallback)` reading `routes[pathname]`: the entries of every table the factory is given.
    const given = depth < MAX_DEPTH ? this.passedToParameter(expression) : undefined;
    if (given) {
      const out: Array<{ key?: string; value: ValueRef }> = [];
      for (const table of given) {
        const entries = this.objectEntries(unwrapExpression(table.expression), table.module, depth + 1);
        if (!entries) return undefined;
        out.push(...entries);
      }
      return out;
    }
    if (isIdentifier(expression)) {
      const found = this.variableOf(expression, module);
      const imported = found ? undefined : this.importedValue(expression, module);
      if (imported) {
        object = unwrapExpression(imported.expression);
        home = imported.module;
      } else {
        if (!found?.declaration.initializer || !isConstDeclaration(found.declaration)) return undefined;
        object = unwrapExpression(found.declaration.initializer);
        home = found.module;
      }
    }
    if (!isObjectLiteralExpression(object)) return undefined;
    const out: Array<{ key?: string; value: ValueRef }> = [];
    for (const property of object.properties) {
      const key = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
      if (isPropertyAssignment(property)) out.push({ ...(key ? { key } : {}), value: { expression: property.initializer, module: home } });
      else if (isShorthandPropertyAssignment(property))
        out.push({ ...(key ? { key } : {}), value: { expression: property.name, module: home } });
      else if (isMethodDeclaration(property))
        out.push({ ...(key ? { key } : {}), value: { expression: property as unknown as ts.Expression, module: home } });
      else return undefined;
    }
    return out;
  }

  /**
   * What the calls met so far pass for a parameter `expression` names (`route({ "/a": a }, notFound)`
   * for `routes` and `fallback`); undefined when it names no parameter or none was seen given.
   */
  private passedToParameter(expression: ts.Expression): ValueRef[] | undefined {
    const value = unwrapExpression(expression);
    const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
    if (!declaration || !ts.isParameter(declaration) || declaration.dotDotDotToken || !isIdentifier(declaration.name)) return undefined;
    const passed = this.ctx.values.argumentsPassedFor(declaration);
    return passed.length > 0 ? passed : undefined;
  }

  /** Entries of a Map: `new Map([[k, v], ...])` and `map.set(k, v)` in its module. */
  private mapEntries(expression: ts.Expression, module: ModuleFacts): Array<{ key?: string; value: ValueRef }> | undefined {
    // `new Map([[k, v], ...]).get(key)`, written where it is read.
    if (isNewExpression(expression) && isIdentifier(expression.expression) && expression.expression.text === "Map") {
      const list = expression.arguments?.[0] ? unwrapExpression(expression.arguments[0]) : undefined;
      if (!list) return [];
      if (!isArrayLiteralExpression(list)) return undefined;
      const out: Array<{ key?: string; value: ValueRef }> = [];
      for (const pair of list.elements) {
        const p = unwrapExpression(pair);
        if (!isArrayLiteralExpression(p) || p.elements.length !== 2) return undefined;
        out.push({ ...keyOf(p.elements[0]!), value: { expression: p.elements[1]!, module } });
      }
      return out;
    }
    if (!isIdentifier(expression)) return undefined;
    const found = this.variableOf(expression, module);
    const initializer = found?.declaration.initializer;
    if (!found || !initializer) return undefined;
    const { declaration, module: home } = found;
    const init = unwrapExpression(initializer);
    if (!isNewExpression(init) || !isIdentifier(init.expression) || init.expression.text !== "Map")
      return this.objectEntries(expression, module);
    const out: Array<{ key?: string; value: ValueRef }> = [];
    const list = init.arguments?.[0] ? unwrapExpression(init.arguments[0]) : undefined;
    if (list) {
      if (!isArrayLiteralExpression(list)) return undefined;
      for (const pair of list.elements) {
        const p = unwrapExpression(pair);
        if (!isArrayLiteralExpression(p) || p.elements.length !== 2) return undefined;
        out.push({ ...keyOf(p.elements[0]!), value: { expression: p.elements[1]!, module: home } });
      }
    }
    for (const call of home.calls) {
      if (!isCallExpression(call) || !isPropertyAccessExpression(call.expression) || call.expression.name.text !== "set") continue;
      const holder = unwrapExpression(call.expression.expression);
      if (!isIdentifier(holder) || declarationOf(holder) !== declaration || call.arguments.length !== 2) continue;
      out.push({ ...keyOf(call.arguments[0]!), value: { expression: call.arguments[1]!, module: home } });
    }
    return out;
  }

  /**
   * The entries of the Maps an expression may hold when it is not one written there: a variable
   * holding a call of a project function or method that returns one (`getHandlers()` building it
   * lazily in a class field, `this.handlers ??= this.build()`), filled by `map.set(k, v)` (in a loop
   * over a list: `for (const p of LIST) map.set(p.name, p)`, each element). Undefined when any
   * value cannot be followed to a `new Map(...)`.
   */
  private heldMaps(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
    seen: Set<ts.Node>,
  ): Array<{ key?: string; value: ValueRef }> | undefined {
    if (depth > MAX_DEPTH * 2) return undefined;
    const value = unwrapExpression(expression);
    if (seen.has(value)) return [];
    seen.add(value);
    if (value.kind === SyntaxKind.NullKeyword || (isIdentifier(value) && value.text === "undefined")) return [];
    const union = (parts: readonly ValueRef[]): Array<{ key?: string; value: ValueRef }> | undefined => {
      if (parts.length === 0) return undefined;
      const out: Array<{ key?: string; value: ValueRef }> = [];
      for (const part of parts) {
        const inner = this.heldMaps(part.expression, part.module, depth + 1, seen);
        if (!inner) return undefined;
        out.push(...inner);
      }
      return out;
    };
    if (
      ts.isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.BarBarToken ||
        value.operatorToken.kind === SyntaxKind.QuestionQuestionToken ||
        value.operatorToken.kind === SyntaxKind.QuestionQuestionEqualsToken ||
        value.operatorToken.kind === SyntaxKind.EqualsToken)
    )
      return union(
        value.operatorToken.kind === SyntaxKind.EqualsToken
          ? [{ expression: value.right, module }]
          : [
              { expression: value.left, module },
              { expression: value.right, module },
            ],
      );
    if (ts.isConditionalExpression(value))
      return union([
        { expression: value.whenTrue, module },
        { expression: value.whenFalse, module },
      ]);
    if (isIdentifier(value)) {
      const found = this.variableOf(value, module);
      const init = found?.declaration.initializer && unwrapExpression(found.declaration.initializer);
      if (init && isNewExpression(init) && isIdentifier(init.expression) && init.expression.text === "Map")
        return this.mapEntries(value, module);
      if (!found) return undefined;
      return union(this.ctx.values.variableValues(found.declaration, found.module));
    }
    if (isCallExpression(value)) {
      const fn = this.ctx.values.calledFunction(unwrapExpression(value.expression), module);
      if (!fn) return undefined;
      // The function may be in a module the caller does not import: not kept.
      this.ctx.walker.cutWalk();
      return union(this.ctx.values.returnedValues(fn.fn, fn.module));
    }
    if (isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword) {
      // A class field: its initializer and what the class assigns to it.
      const cls = findAncestor(value, isClassLike);
      if (!cls) return undefined;
      const parts: ValueRef[] = [];
      for (const member of cls.members)
        if (isPropertyDeclaration(member) && isIdentifier(member.name) && member.name.text === value.name.text && member.initializer)
          parts.push({ expression: member.initializer, module });
      for (const assignment of module.assignments.get("this." + value.name.text) ?? [])
        if (findAncestor(assignment, isClassLike) === cls) parts.push({ expression: assignment.right, module });
      return union(parts);
    }
    return undefined;
  }

  /** `for (const { handler } of routes)`, `for (const [path, handler] of map)`, `const { handler } = routes.find(...)`. */
  private destructured(element: ts.BindingElement, module: ModuleFacts): Alternative[] | undefined {
    const pattern = element.parent;
    const holder = pattern.parent;
    if (!isVariableDeclaration(holder)) return undefined;
    const source = isForOfVariable(holder)
      ? unwrapExpression((holder.parent.parent as ts.ForOfStatement).expression)
      : holder.initializer && unwrapExpression(holder.initializer);
    if (!source) return undefined;
    if (isArrayBindingPattern(pattern)) {
      // `[path, handler]` of a Map or `Object.entries(table)`: the second is the value.
      if (pattern.elements.indexOf(element) !== 1 || !isForOfVariable(holder)) return undefined;
      let table: ts.Expression = source;
      if (isCallExpression(source) && isPropertyAccessExpression(source.expression)) {
        const target = unwrapExpression(source.expression.expression);
        if (isIdentifier(target) && target.text === "Object" && source.expression.name.text === "entries" && source.arguments[0]) {
          const entries = this.objectEntries(unwrapExpression(source.arguments[0]), module);
          return entries && this.functionsOf(entries);
        }
        if (source.expression.name.text === "entries") table = target;
      }
      const entries = this.mapEntries(table, module);
      return entries && this.functionsOf(entries);
    }
    if (!isObjectBindingPattern(pattern)) return undefined;
    const key = element.propertyName ?? element.name;
    if (!isIdentifier(key)) return undefined;
    let elements: ValueRef[] | undefined;
    if (isForOfVariable(holder)) elements = this.collection(source, module, 1);
    else if (isCallExpression(source) && isPropertyAccessExpression(source.expression) && ELEMENT_GETTERS.has(source.expression.name.text))
      elements = this.collection(unwrapExpression(source.expression.expression), module, 1);
    if (!elements) return undefined;
    const out: Alternative[] = [];
    for (const e of elements) {
      const found = this.memberFunctions(e, key.text, 0);
      if (!found) return undefined;
      out.push(...found);
    }
    return out;
  }

  private functionsOf(entries: readonly TableEntry[]): Alternative[] | undefined {
    const out: Alternative[] = [];
    for (const { key, value, label } of entries) {
      const fn = this.functionOf(value);
      if (!fn) return undefined;
      const shown = label ?? key;
      out.push({ ...fn, ...(shown ? { label: shown } : {}) });
    }
    return out;
  }

  private functionOf(value: ValueRef): FunctionRef | undefined {
    const expression = value.expression as ts.Node;
    if (isMethodDeclaration(expression)) return { fn: expression, module: value.module };
    return this.ctx.values.functionFrom(value.expression, value.module);
  }

  /**
   * What `element.name` runs for one element: an object literal's property (a function, or a
   * parameter of the registration function that built it, per call of that function), or a method
   * of the class the element is an instance of (its overrides counted, see classMethods).
   */
  private memberFunctions(element: ValueRef, name: string, depth: number): Alternative[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(element.expression);
    if (isObjectLiteralExpression(value)) {
      const property = value.properties.find(
        (p) => p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) && p.name.text === name,
      );
      if (!property) return undefined;
      const owner = this.memberOwners.get(value);
      const label = owner !== undefined ? { label: ownedLabel(name, owner) } : labelOf(value);
      if (isMethodDeclaration(property)) return [{ fn: property, module: element.module, ...label }];
      const held = propertyInitializer(property);
      if (!held) return undefined;
      const direct = this.ctx.values.functionFrom(held, element.module);
      if (direct) return [{ ...direct, ...label }];
      // `routes.push({ method, path, handler })` inside `function add(method, path, handler)`: per call of `add`.
      return this.perRegistration(value, unwrapExpression(held), element.module);
    }
    if (isIdentifier(value)) {
      // An element handed through a callback (`[a, b].forEach((r) => routes.push(r))`) or a variable.
      const elements = this.elementsOf(value, element.module, depth + 1);
      if (elements) {
        const out: Alternative[] = [];
        for (const e of elements) {
          const found = this.memberFunctions(e, name, depth + 1);
          if (!found) return undefined;
          out.push(...found);
        }
        return out;
      }
      const declaration = declarationOf(value);
      if (declaration && isVariableDeclaration(declaration) && isConstDeclaration(declaration) && declaration.initializer)
        return this.memberFunctions({ expression: declaration.initializer, module: element.module }, name, depth + 1);
      // An element imported from another module (`import speak from "./speak"`, `export default { name, run }`).
      const imported = declaration ? undefined : this.importedValue(value, element.module);
      if (imported) return this.memberFunctions(imported, name, depth + 1);
    }
    const instance = this.ctx.values.classOfInstance(value, element.module);
    if (instance) return this.classMethods(instance, name);
    // `Base.instance(EnrolRoute, env, ctx)`: a factory given the class it makes.
    if (isCallExpression(value)) {
      for (const arg of value.arguments) {
        const a = unwrapExpression(arg);
        const cls = isIdentifier(a) ? this.ctx.values.classNamed(a.text, element.module) : undefined;
        if (cls) return this.classMethods(cls, name);
      }
    }
    return undefined;
  }

  /** The object literal's property is a parameter of the function it is built in: what each call of it passes. */
  private perRegistration(object: ts.ObjectLiteralExpression, held: ts.Expression, module: ModuleFacts): Alternative[] | undefined {
    const parameter = isIdentifier(held) ? declarationOf(held) : undefined;
    if (!parameter || !isParameter(parameter)) return undefined;
    const registrar = parameter.parent;
    const index = registrar.parameters.indexOf(parameter);
    const out: Alternative[] = [];
    for (const call of module.calls) {
      if (!isCallExpression(call)) continue;
      const target = this.ctx.values.calledFunction(unwrapExpression(call.expression), module);
      if (target?.fn !== registrar) continue;
      const arg = call.arguments[index];
      const fn = arg && this.ctx.values.functionFrom(arg, module);
      if (!fn) return undefined;
      out.push({ ...fn, ...labelOf(object, registrar, call) });
      if (out.length > MAX_TABLE_DISPATCH) break;
    }
    return out.length > 0 ? out : undefined;
  }

  // ---- classes and interfaces ----

  /** A class's method and the overrides of its subclasses' (which of them the element is, is not known). */
  private classMethods(ref: ClassRef, name: string): Alternative[] | undefined {
    const own = this.ctx.values.methodOf(ref, name);
    if (!own) return undefined;
    return [{ ...own, label: classLabel(ref) }];
  }

  /**
   * `this.work()` in a class whose project subclasses override `work` (a template method): the
   * class's own body and each override, the worst counts. Undefined when nothing overrides it.
   */
  private overrides(callee: ts.PropertyAccessExpression, method: string, module: ModuleFacts): Dispatch | undefined {
    const cls = findAncestor(callee, isClassLike);
    if (!cls) return undefined;
    const all = this.subclassesOf(cls, module);
    if (all.length === 0) return undefined;
    // The subclasses the code makes, when that can be told: a class never made runs nothing.
    const made = this.instantiatedClasses();
    const subclasses = all.some((c) => made.has(c.cls)) ? all.filter((c) => made.has(c.cls)) : all;
    const alternatives: Alternative[] = [];
    const own = this.ctx.values.methodOf({ cls, module }, method);
    if (own && own.fn.body) alternatives.push({ ...own, label: classLabel({ cls, module }) });
    // Each class made runs the nearest definition above it (its own, or a class between).
    for (const sub of subclasses) {
      const member = this.ctx.values.methodOf(sub, method);
      if (member?.fn.body && !alternatives.some((a) => a.fn === member.fn)) alternatives.push({ ...member, label: classLabel(sub) });
    }
    if (alternatives.length <= (own?.fn.body ? 1 : 0)) return undefined;
    if (alternatives.length > MAX_IMPLEMENTATIONS)
      return { alternatives: [], how: "implementations", tooMany: `${alternatives.length} overrides of ${method}` };
    return { alternatives, how: "implementations" };
  }

  /**
   * `route.handle(req)` on a value typed as a project interface or base class: the method of
   * each project class implementing it (those the code makes, when that can be told), the worst counts.
   */
  private implementationsOf(typeName: string, module: ModuleFacts, method: string): Dispatch | undefined {
    const classes = this.implementers(typeName, module);
    if (classes.length === 0) return undefined;
    const made = this.instantiatedClasses();
    const chosen = classes.some((c) => made.has(c.cls)) ? classes.filter((c) => made.has(c.cls)) : classes;
    const alternatives: Alternative[] = [];
    for (const ref of chosen) {
      // What each `new Impl(env.DB)` gives its constructor is what the method's `this.db` holds.
      if (!this.notedConstructions.has(ref.cls)) {
        this.notedConstructions.add(ref.cls);
        for (const site of this.newSites) {
          const callee = unwrapExpression(site.node.expression);
          if (isIdentifier(callee) && callee.text === ref.cls.name?.text) this.ctx.values.classOfInstance(site.node, site.module);
        }
      }
      const fn = this.ctx.values.methodOf(ref, method);
      if (fn && fn.fn.body && !alternatives.some((a) => a.fn === fn.fn)) alternatives.push({ ...fn, label: classLabel(ref) });
    }
    if (alternatives.length === 0) return undefined;
    if (alternatives.length > MAX_IMPLEMENTATIONS)
      return { alternatives: [], how: "implementations", tooMany: `${alternatives.length} implementations of ${typeName}.${method}` };
    return { alternatives, how: "implementations" };
  }

  /** Non-abstract project classes that implement or extend `typeName`, directly or through their bases. */
  private implementers(typeName: string, module: ModuleFacts): ClassRef[] {
    void module;
    const cached = this.implementationCache.get(typeName);
    if (cached) return cached;
    this.ctx.walker.cutWalk();
    const all = this.classes();
    const matches = (ref: ClassRef, depth: number): boolean => {
      if (depth > 8) return false;
      if (ref.cls.name?.text === typeName && depth > 0) return true;
      if (implementsName(ref.cls, typeName)) return true;
      const base = baseName(ref.cls);
      if (!base) return false;
      if (base === typeName) return true;
      const parent = this.ctx.values.classNamed(base, ref.module);
      return parent ? matches(parent, depth + 1) : false;
    };
    const found = all.filter((ref) => !isAbstract(ref.cls) && (ref.cls.name?.text === typeName || matches(ref, 0)));
    this.implementationCache.set(typeName, found);
    return found;
  }

  /** Concrete project classes that extend `cls`, directly or not (by declaration: a default-exported class has no name). */
  private subclassesOf(cls: ts.ClassLikeDeclaration, module: ModuleFacts): ClassRef[] {
    void module;
    const known = this.subclassCache.get(cls);
    if (known) {
      if (known.length > 0) this.ctx.walker.cutWalk();
      return known;
    }
    const extendsIt = (ref: ClassRef, depth: number): boolean => {
      if (depth > 8) return false;
      const base = baseName(ref.cls);
      const parent = base ? this.ctx.values.classNamed(base, ref.module) : undefined;
      if (!parent) return false;
      return parent.cls === cls || extendsIt(parent, depth + 1);
    };
    const found = this.classes().filter((ref) => ref.cls !== cls && !isAbstract(ref.cls) && extendsIt(ref, 0));
    this.subclassCache.set(cls, found);
    // Subclasses live in modules the base class does not import: a walk that uses them is not kept.
    // (Most classes have none; their methods' walks stay kept.)
    if (found.length > 0) this.ctx.walker.cutWalk();
    return found;
  }

  private classes(): ClassRef[] {
    if (this.allClasses) return this.allClasses;
    const out: ClassRef[] = [];
    for (const module of this.ctx.loader.modules.values()) {
      for (const cls of module.classes.values()) if (isClassDeclaration(cls)) out.push({ cls, module });
      // `export default class extends RouteBase {}`: a class with no name of its own.
      const anonymous = module.exports.get("default")?.declaration;
      if (anonymous && isClassDeclaration(anonymous) && !anonymous.name) out.push({ cls: anonymous, module });
    }
    this.allClasses = out;
    return out;
  }

  /** Classes the code makes or hands on as values (`new X()`, `make(X, env)`), by declaration. */
  private instantiatedClasses(): Set<ts.ClassLikeDeclaration> {
    if (this.instantiated) return this.instantiated;
    const made = new Set<ts.ClassLikeDeclaration>();
    const add = (expression: ts.Expression, module: ModuleFacts): void => {
      const value = unwrapExpression(expression);
      if (!isIdentifier(value)) return;
      const declaration = declarationOf(value);
      if (declaration && isClassLike(declaration)) made.add(declaration);
      else if (!declaration) {
        const found = this.ctx.values.classNamed(value.text, module);
        if (found) made.add(found.cls);
      }
    };
    for (const module of this.ctx.loader.modules.values()) {
      for (const call of module.calls) if (isCallExpression(call)) for (const arg of call.arguments) add(arg, module);
      // `new X(...)` may sit outside any call: one pass over each module, once per analysis.
      const visit = (node: ts.Node): void => {
        if (isNewExpression(node)) {
          add(node.expression, module);
          if (node.arguments?.length) this.newSites.push({ node, module });
        }
        ts.forEachChild(node, visit);
      };
      visit(module.sourceFile);
    }
    this.instantiated = made;
    return made;
  }

  /**
   * A variable declared with `let` and typed by a type of the project (`let backend: EventStoreBackend
   * = new MemoryBackend()`) that is assigned again elsewhere in its module (`configure(b) { backend = b }`):
   * which implementation it holds when a method is called depends on what ran before, so a call on it
   * is a call on each implementation (the worst counts), not on its initial value's class.
   */
  reassignedTypedHolder(receiver: ts.Expression, module: ModuleFacts): boolean {
    const value = unwrapExpression(receiver);
    if (!isIdentifier(value)) return false;
    const declaration = declarationOf(value);
    if (!declaration || !isVariableDeclaration(declaration) || !declaration.type || !isIdentifier(declaration.name)) return false;
    const list = declaration.parent;
    if (!isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) !== 0) return false;
    const home = this.ctx.loader.moduleBySourceFile.get(declaration.getSourceFile()) ?? module;
    const assigned = home.assignments.get(declaration.name.text) ?? [];
    if (!assigned.some((a) => isIdentifier(a.left) && declarationOf(a.left) === declaration)) return false;
    return this.typeNameOf(value, module) !== undefined;
  }

  /** The interface or class name a value is declared with (`route: IRoute`, `routes: IRoute[]` read by `for…of`). */
  private typeNameOf(value: ts.Expression, module: ModuleFacts): { name: string; module: ModuleFacts } | undefined {
    // `this.repo` declared `private readonly repo: IRepo` (a field or a constructor's parameter
    // property) whose value the analysis could not follow: the type it is declared with.
    if (isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword)
      return this.namedType(declaredFieldType(value), module);
    if (!isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    if (!declaration) return undefined;
    let type: ts.TypeNode | undefined;
    if ((isParameter(declaration) || isVariableDeclaration(declaration)) && declaration.type) type = declaration.type;
    else if (isVariableDeclaration(declaration) && isForOfVariable(declaration)) {
      const source = unwrapExpression((declaration.parent.parent as ts.ForOfStatement).expression);
      const arrayType = this.declaredType(source, module);
      if (arrayType && isArrayTypeNode(arrayType)) type = arrayType.elementType;
      else if (arrayType && isTypeReferenceNode(arrayType) && arrayType.typeArguments?.length === 1) type = arrayType.typeArguments[0];
    } else if (isVariableDeclaration(declaration) && isConstDeclaration(declaration) && declaration.initializer) {
      // `const service = container.get<CloseOrders>("orders")`, `... as CloseOrders`: the type the
      // value is asked for or cast to (a container the analysis cannot read).
      let init: ts.Expression = declaration.initializer;
      while (ts.isParenthesizedExpression(init) || ts.isAwaitExpression(init)) init = init.expression;
      if (ts.isAsExpression(init) || ts.isTypeAssertionExpression(init)) type = init.type;
      else if (isCallExpression(init) && init.typeArguments?.length === 1) type = init.typeArguments[0];
    }
    return this.namedType(type, module);
  }

  /** A project interface or class a declared type names (`IRoute`, `IRoute | undefined`, `ns.IRoute`). */
  private namedType(declared: ts.TypeNode | undefined, module: ModuleFacts): { name: string; module: ModuleFacts } | undefined {
    let type = declared;
    // `IRoute | undefined`: the one type that is not nothing.
    if (type && ts.isUnionTypeNode(type)) {
      const named = type.types.filter(
        (t) => !(t.kind === SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(t) && t.literal.kind === SyntaxKind.NullKeyword)),
      );
      type = named.length === 1 ? named[0] : undefined;
    }
    if (!type || !isTypeReferenceNode(type)) return undefined;
    // `provider: providers.Provider`: an interface of a project module imported as a namespace.
    if (ts.isQualifiedName(type.typeName)) return this.namespacedType(type.typeName, module);
    if (!isIdentifier(type.typeName)) return undefined;
    const name = type.typeName.text;
    // Only a type the project declares: an interface or a class of its own.
    if (!this.declaresType(name, module)) return undefined;
    return { name: this.importedName(name, module), module };
  }

  /** `ns.Name` with `import * as ns from "./mod"`: the interface or class `Name` the project module declares. */
  private namespacedType(typeName: ts.QualifiedName, module: ModuleFacts): { name: string; module: ModuleFacts } | undefined {
    if (!isIdentifier(typeName.left)) return undefined;
    const imported = module.imports.get(typeName.left.text);
    if (!imported || imported.name !== "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const name = typeName.right.text;
    if (!target || !(target.classes.has(name) || this.interfacesOf(target).has(name))) return undefined;
    return { name, module: target };
  }

  private declaredType(source: ts.Expression, module: ModuleFacts): ts.TypeNode | undefined {
    if (isPropertyAccessExpression(source) && source.expression.kind === SyntaxKind.ThisKeyword) {
      const cls = findAncestor(source, isClassLike);
      const member = cls?.members.find(
        (m): m is ts.PropertyDeclaration => isPropertyDeclaration(m) && isIdentifier(m.name) && m.name.text === source.name.text,
      );
      return member?.type;
    }
    if (isIdentifier(source)) {
      const found = this.variableOf(source, module);
      return found?.declaration.type;
    }
    return undefined;
  }

  private declaresType(name: string, module: ModuleFacts): boolean {
    if (module.classes.has(name)) return true;
    if (this.interfacesOf(module).has(name)) return true;
    const imported = module.imports.get(name);
    if (!imported) return false;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    if (!target) return false;
    return target.classes.has(imported.name) || this.interfacesOf(target).has(imported.name);
  }

  /** The interfaces a module declares at its top level (asked once per module). */
  private interfacesOf(module: ModuleFacts): Set<string> {
    let names = this.interfaces.get(module);
    if (!names) {
      names = new Set();
      for (const s of module.sourceFile.statements) if (isInterfaceDeclaration(s)) names.add(s.name.text);
      this.interfaces.set(module, names);
    }
    return names;
  }

  private importedName(name: string, module: ModuleFacts): string {
    const imported = module.imports.get(name);
    return imported && imported.name !== "default" && imported.name !== "*" ? imported.name : name;
  }

  /** A variable declaration a name refers to, in this module or the one it is imported from. */
  /** What an imported name's export is written as (`export default { ... }`, an exported const's initializer). */
  private importedValue(identifier: ts.Identifier, module: ModuleFacts): ValueRef | undefined {
    if (declarationOf(identifier)) return undefined;
    const imported = module.imports.get(identifier.text);
    if (!imported || imported.name === "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const found = target ? this.ctx.values.exportOf(imported.name, target) : undefined;
    if (!found || found.binding.reexport) return undefined;
    if (found.binding.expression) return { expression: found.binding.expression, module: found.module };
    const variable = found.binding.local ? moduleVariable(found.module, found.binding.local) : undefined;
    return variable?.initializer && isConstDeclaration(variable) ? { expression: variable.initializer, module: found.module } : undefined;
  }

  /**
   * One element taken from a rest parameter: `handlers.pop()`, `handlers.at(-1)` and
   * `handlers[handlers.length - 1]` (the last argument of each call), `handlers.shift()` and
   * `handlers[0]` (the first). Undefined when `value` is none of those.
   */
  private restElement(value: ts.Expression): ValueRef[] | undefined {
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression)) {
      const rest = restParameterOf(unwrapExpression(value.expression.expression));
      if (!rest) return undefined;
      const name = value.expression.name.text;
      const argument = value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
      if (name === "pop" || (name === "at" && argument && isMinusOne(argument))) return this.restArguments(rest, "last");
      if (name === "shift" || (name === "at" && argument && argument.getText() === "0")) return this.restArguments(rest, "first");
      return undefined;
    }
    if (ts.isElementAccessExpression(value)) {
      const rest = restParameterOf(unwrapExpression(value.expression));
      if (!rest) return undefined;
      const key = unwrapExpression(value.argumentExpression);
      if (ts.isNumericLiteral(key) && key.text === "0") return this.restArguments(rest, "first");
      // `handlers[handlers.length - 1]`
      if (
        ts.isBinaryExpression(key) &&
        key.operatorToken.kind === SyntaxKind.MinusToken &&
        ts.isNumericLiteral(unwrapExpression(key.right)) &&
        (unwrapExpression(key.right) as ts.NumericLiteral).text === "1"
      ) {
        const left = unwrapExpression(key.left);
        if (isPropertyAccessExpression(left) && left.name.text === "length" && restParameterOf(unwrapExpression(left.expression)) === rest)
          return this.restArguments(rest, "last");
      }
    }
    return undefined;
  }

  /** The functions arguments given for a rest parameter are (a factory's call: the function it returns); undefined when one is not a function. */
  private restFunctions(given: readonly ValueRef[]): Alternative[] | undefined {
    const out: Alternative[] = [];
    for (const value of given) {
      const fn = this.ctx.values.functionFrom(value.expression, value.module);
      if (!fn) return undefined;
      out.push(fn);
    }
    return out;
  }

  /**
   * What the calls of a rest parameter's function give for it, found at every call (the walk is then
   * not kept): its first or last argument, or all of them (less the last when the function takes it
   * with `pop()`, the first with `shift()`). Undefined when no call is found or one spreads its arguments.
   */
  private restArguments(parameter: ts.ParameterDeclaration, which: "first" | "last" | "all"): ValueRef[] | undefined {
    const fn = parameter.parent as ts.FunctionLikeDeclaration;
    const index = fn.parameters.indexOf(parameter);
    const module = this.ctx.loader.moduleBySourceFile.get(fn.getSourceFile());
    if (!module || index < 0) return undefined;
    const sites = this.ctx.values.callSitesOf({ fn, module });
    if (sites.length === 0) return undefined;
    let popped = false;
    let shifted = false;
    if (which === "all" && fn.body) {
      const visit = (node: ts.Node): void => {
        if (
          isCallExpression(node) &&
          isPropertyAccessExpression(node.expression) &&
          restParameterOf(unwrapExpression(node.expression.expression)) === parameter
        ) {
          if (node.expression.name.text === "pop") popped = true;
          if (node.expression.name.text === "shift") shifted = true;
        }
        ts.forEachChild(node, visit);
      };
      visit(fn.body);
    }
    const out: ValueRef[] = [];
    for (const { call, module: at } of sites) {
      if (call.arguments.some(isSpreadElement)) return undefined;
      let given = call.arguments.slice(index);
      if (which === "first") given = given.slice(0, 1);
      else if (which === "last") given = given.slice(-1);
      else given = given.slice(shifted ? 1 : 0, popped ? -1 : undefined);
      for (const argument of given) out.push({ expression: argument, module: at });
    }
    return out;
  }

  private variableOf(
    identifier: ts.Identifier,
    module: ModuleFacts,
  ): { declaration: ts.VariableDeclaration; module: ModuleFacts } | undefined {
    const declaration = declarationOf(identifier);
    if (declaration && isVariableDeclaration(declaration)) return { declaration, module };
    if (declaration) return undefined;
    const imported = module.imports.get(identifier.text);
    if (!imported || imported.name === "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const local = target?.exports.get(imported.name)?.local;
    const variable = local ? (target ? moduleVariable(target, local) : undefined) : undefined;
    return target && variable ? { declaration: variable, module: target } : undefined;
  }
}

function isForOfVariable(declaration: ts.VariableDeclaration): boolean {
  return (
    isVariableDeclarationList(declaration.parent) &&
    isForOfStatement(declaration.parent.parent) &&
    declaration.parent.parent.initializer === declaration.parent
  );
}

/** `list.find(...)`, `list.findLast(...)`, `list.at(i)`: a call that returns one element of an array. */
/** The rest parameter (`...handlers`) a name refers to. */
function restParameterOf(value: ts.Expression): ts.ParameterDeclaration | undefined {
  const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
  return declaration && isParameter(declaration) && declaration.dotDotDotToken && isIdentifier(declaration.name) ? declaration : undefined;
}

/** `-1` as written. */
function isMinusOne(value: ts.Expression): boolean {
  return (
    ts.isPrefixUnaryExpression(value) &&
    value.operator === SyntaxKind.MinusToken &&
    ts.isNumericLiteral(value.operand) &&
    value.operand.text === "1"
  );
}

function isListGetter(call: ts.CallExpression): call is ts.CallExpression & { expression: ts.PropertyAccessExpression } {
  return isPropertyAccessExpression(call.expression) && LIST_GETTERS.has(call.expression.name.text);
}

/** `x.push(a, b)`: the receiver and what is pushed. */
function pushedInto(
  call: ts.CallExpression | ts.TaggedTemplateExpression,
): { receiver: ts.Expression; args: readonly ts.Expression[] } | undefined {
  if (!isCallExpression(call) || !isPropertyAccessExpression(call.expression)) return undefined;
  const name = call.expression.name.text;
  if (name !== "push" && name !== "unshift") return undefined;
  return { receiver: call.expression.expression, args: call.arguments.filter((a) => !isSpreadElement(a)) };
}

/** A key written as a constant (`table["ping"]`, `list[0]`), undefined when it is known only at run time. */
function constantKey(expression: ts.Expression): string | undefined {
  const value = unwrapExpression(expression);
  if (isStringLiteralLike(value) || ts.isNumericLiteral(value)) return value.text;
  return undefined;
}

/** The entries a read of a table may give: the one a constant key names, else every entry. */
function entriesFor<T extends { key?: string }>(entries: readonly T[], key: ts.Expression): T[] {
  const constant = constantKey(key);
  if (constant === undefined) return [...entries];
  // (An entry with a computed key may be the one named.)
  return entries.filter((e) => e.key === constant || e.key === undefined);
}

function keyOf(expression: ts.Expression): { key?: string } {
  const value = unwrapExpression(expression);
  return isStringLiteralLike(value) ? { key: value.text } : {};
}

/** The literal text a table entry's field holds: a string, or a regular expression's source. */
function literalText(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const value = unwrapExpression(expression);
  if (isStringLiteralLike(value) || isNoSubstitutionTemplateLiteral(value)) return value.text;
  if (isRegularExpressionLiteral(value)) return value.text;
  if (isNewExpression(value) && isIdentifier(value.expression) && value.expression.text === "URLPattern") {
    const arg = value.arguments?.[0] ? unwrapExpression(value.arguments[0]) : undefined;
    if (arg && isObjectLiteralExpression(arg)) return literalText(propertyValue(arg, ["pathname"]));
    return literalText(arg);
  }
  return undefined;
}

function propertyValue(object: ts.ObjectLiteralExpression, keys: readonly string[]): ts.Expression | undefined {
  for (const key of keys)
    for (const property of object.properties)
      if (property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) && property.name.text === key) {
        if (isPropertyAssignment(property)) return property.initializer;
        if (isShorthandPropertyAssignment(property)) return property.name;
      }
  return undefined;
}

const HTTP_METHOD_KEYS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "all"]);

/** The label of a member of a table entry's object (`GET` of `{ pathname: "/a", methods: { GET } }`): "GET /a". */
function ownedLabel(key: string, owner: string | undefined): string {
  if (owner === undefined) return key;
  return HTTP_METHOD_KEYS.has(key.toLowerCase()) ? `${key.toUpperCase()} ${owner}` : `${owner} ${key}`;
}

/**
 * The route a table entry serves, when its fields are literals: `{ method: "POST", pattern:
 * /^\/a$/ }` is "POST /^\/a$/". Built by a registration function, the fields may be its
 * parameters: then what the call passes.
 */
function labelOf(object: ts.ObjectLiteralExpression, registrar?: ts.SignatureDeclaration, call?: ts.CallExpression): { label?: string } {
  const read = (keys: readonly string[]): string | undefined => {
    const field = propertyValue(object, keys);
    const direct = literalText(field);
    if (direct !== undefined || !registrar || !call || !field) return direct;
    const value = unwrapExpression(field);
    const parameter = isIdentifier(value) ? declarationOf(value) : undefined;
    const index = parameter && isParameter(parameter) ? registrar.parameters.indexOf(parameter) : -1;
    return index >= 0 ? literalText(call.arguments[index]) : undefined;
  };
  const path = read(PATH_KEYS);
  // An entry of a table of procedures or commands (`{ method: "linkAccount", handler }`): its name.
  if (path === undefined) {
    const name = read(NAME_KEYS);
    return name !== undefined ? { label: name } : {};
  }
  const method = read(METHOD_KEYS);
  return { label: method ? `${method.toUpperCase()} ${path}` : path };
}

function implementsName(cls: ts.ClassLikeDeclaration, name: string): boolean {
  return !!cls.heritageClauses?.some(
    (c) =>
      c.token === SyntaxKind.ImplementsKeyword &&
      // `implements Provider`, or `implements providers.Provider` through a namespace import.
      c.types.some(
        (t) =>
          (isIdentifier(t.expression) && t.expression.text === name) ||
          (isPropertyAccessExpression(t.expression) && t.expression.name.text === name),
      ),
  );
}

function baseName(cls: ts.ClassLikeDeclaration): string | undefined {
  const base = cls.heritageClauses?.find((c) => c.token === SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  return base && isIdentifier(base) ? base.text : undefined;
}

function isAbstract(cls: ts.ClassLikeDeclaration): boolean {
  return !!ts.getModifiers(cls)?.some((m) => m.kind === SyntaxKind.AbstractKeyword);
}

/** A class's name, or for `export default class ...` the file it is in. */
function classLabel(ref: ClassRef): string {
  if (ref.cls.name) return ref.cls.name.text;
  const file = ref.module.path.slice(ref.module.path.lastIndexOf("/") + 1);
  return `the default class of ${file}`;
}

/** A function's name, for the note said when the worst of several is counted. */
function printLabel(ref: FunctionRef): string {
  const fn = ref.fn;
  if (fn.name && isIdentifier(fn.name)) return fn.name.text;
  const holder = fn.parent;
  return holder && isVariableDeclaration(holder) && isIdentifier(holder.name) ? holder.name.text : "a function";
}

/** `null` or the global `undefined` (or `void 0`): a value that is no function, so nothing a call through it could run. */
function isNullishLiteral(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (value.kind === SyntaxKind.NullKeyword) return true;
  if (isIdentifier(value) && value.text === "undefined" && !declarationOf(value)) return true;
  return ts.isVoidExpression(value) && ts.isNumericLiteral(unwrapExpression(value.expression));
}
