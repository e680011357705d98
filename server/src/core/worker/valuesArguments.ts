// Value resolution: what a name, a parameter or a call holds. Variables (initializer and every
// assignment), what a function returns, a callback's parameter (what its runner passes), context
// variables (`c.set`), and the arguments the calls met so far pass for parameters (noted by
// handler discovery and the walk), with what the call being walked passes. A pattern about where
// a value comes from through a call or a name goes here. Part of ValueResolver (see valuesCore.ts).
import { onlyRetriedIn } from "./retries";
import { inUntakenCode } from "./constantConditions";
import ts from "typescript";
import { MAX_VALUE_DEPTH } from "./context";
import { moduleVariable, REQUEST_STORES, requestStoreSlot, unwrapExpression, type ModuleFacts } from "./module";
import { returnExpressions } from "./syntaxMemo";
import { type FunctionRef, isConstDeclaration, declarationOf, inWaitingLoop } from "./syntax";
import { ValueResolverCore, type ValueRef } from "./valuesCore";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  isArrayLiteralExpression,
  isArrowFunction,
  isBinaryExpression,
  isBindingElement,
  isBlock,
  isCallExpression,
  isElementAccessExpression,
  isFunctionExpression,
  isIdentifier,
  isParameter,
  isPropertyAccessExpression,
  isSpreadElement,
  isStringLiteralLike,
  isVariableDeclaration,
} = ts;

/** Call sites noted per parameter: enough to see what a helper is given, bounded for helpers called everywhere. */
const MAX_NOTED_ARGUMENTS = 16;

/** Array methods that change the array they are called on. */
const ARRAY_MUTATORS = new Set(["push", "unshift", "splice", "pop", "shift", "fill", "copyWithin", "reverse", "sort"]);

/**
 * Whether the array a `const` holds may change in its file: a mutating method called on it, an
 * element assigned, or the array used as anything but `for…of`'s subject or a read of an element or
 * of `length` (handed to a function, stored elsewhere: unknown, so changed).
 */
export function arrayChanged(declaration: ts.VariableDeclaration): boolean {
  const name = declaration.name;
  if (!isIdentifier(name)) return true;
  let changed = false;
  const visit = (node: ts.Node): void => {
    if (changed) return;
    if (isIdentifier(node) && node !== name && node.text === name.text && declarationOf(node) === declaration) {
      const parent = node.parent;
      if (ts.isForOfStatement(parent) && parent.expression === node) return;
      if (isPropertyAccessExpression(parent) && parent.expression === node) {
        if (ARRAY_MUTATORS.has(parent.name.text)) changed = true;
        return;
      }
      if (isElementAccessExpression(parent) && parent.expression === node) {
        const outer = parent.parent;
        if (
          isBinaryExpression(outer) &&
          outer.left === parent &&
          outer.operatorToken.kind >= SyntaxKind.FirstAssignment &&
          outer.operatorToken.kind <= SyntaxKind.LastAssignment
        )
          changed = true;
        return;
      }
      changed = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration.getSourceFile());
  return changed;
}

export abstract class ArgumentValues extends ValueResolverCore {
  /** Arguments given to project functions that make handlers (`withErrors(handler)`), by parameter. */
  protected readonly callArguments = new Map<ts.ParameterDeclaration, ValueRef[]>();
  /** Functions that register routes, met with the arguments they were given. */
  private readonly registrars = new Set<ts.FunctionLikeDeclaration>();
  /** Calls inside each function asked about, and whether it calls a given parameter (per analysis). */
  private readonly callsByFunction = new Map<ts.Node, readonly ts.CallExpression[]>();
  private readonly calledParameters = new Map<ts.Node, boolean>();
  /** Context variables by key (`c.set(key, value)`), per analysis. */
  private readonly contextCache = new Map<string, ValueRef[]>();
  /** Writes to a property of a handler's parameter (`env.db = ...`), by "name.property", per analysis. */
  private readonly parameterWrites = new Map<string, ValueRef[]>();

  /**
   * The expressions a name may hold, each with its module: a variable's initializer and every value
   * assigned to it (`cached ??= createApp(env)`), the argument a callee passes to a callback's
   * parameter, or what an imported name holds in its own module.
   */
  valuesOf(identifier: ts.Identifier, module: ModuleFacts, depth = 0): ValueRef[] {
    if (depth > MAX_VALUE_DEPTH) return [];
    const declaration = declarationOf(identifier);
    if (declaration && isVariableDeclaration(declaration)) return this.variableValues(declaration, module);
    if (declaration && isBindingElement(declaration)) return this.destructuredValues(declaration, module, depth);
    if (declaration && isParameter(declaration)) {
      const given = this.parameterValues(declaration, module);
      if (given.length > 0) return given;
      // While arguments are read (see urlHosts, fieldValues): what the calls met so far pass for it.
      // A constructor's parameter read in its body (`constructor(db) { this.repo = new Repo(db) }`,
      // also a parameter property) holds what `new` was given, as `this.db = db` does.
      if (this.readingArguments || ts.isConstructorDeclaration(declaration.parent)) return this.argumentsPassedFor(declaration);
      return given;
    }
    if (declaration) return [];
    const imported = module.imports.get(identifier.text);
    if (!imported || imported.name === "*") return [];
    const imports = this.ctx.loader.moduleFor(imported.module, module);
    const found = imports ? this.exportOf(imported.name, imports) : undefined;
    if (!found) return [];
    const { binding: exported, module: target } = found;
    if (exported.expression) return [{ expression: exported.expression, module: target }];
    const variable = exported.local ? moduleVariable(target, exported.local) : undefined;
    if (variable) return this.variableValues(variable, target);
    if (exported.element) return this.destructuredValues(exported.element, target, depth + 1);
    return [];
  }

  /**
   * The variable of `for (const x of ARRAY)`, where ARRAY is an array literal written there or a
   * `const` holding one that is never changed in its file (no `ARRAY.push(…)`, no `ARRAY[i] = …`,
   * never handed on): each element, since the loop runs with every one of them. Undefined for any
   * other variable, and when the array cannot be read that way (a spread element, a mutation).
   */
  protected forOfElements(declaration: ts.VariableDeclaration, module: ModuleFacts): ValueRef[] | undefined {
    const list = declaration.parent;
    const loop = list.parent;
    if (declaration.initializer || !ts.isForOfStatement(loop) || loop.initializer !== list) return undefined;
    let array = unwrapExpression(loop.expression);
    if (isIdentifier(array)) {
      const held = declarationOf(array);
      if (!held || !isVariableDeclaration(held) || !isConstDeclaration(held) || !held.initializer) return [];
      if (!isArrayLiteralExpression(unwrapExpression(held.initializer)) || arrayChanged(held)) return [];
      array = unwrapExpression(held.initializer);
    }
    if (!isArrayLiteralExpression(array) || array.elements.some(isSpreadElement)) return [];
    return array.elements.map((expression) => ({ expression, module }));
  }

  /** A variable's initializer, then what is assigned to it anywhere in its file. */
  variableValues(declaration: ts.VariableDeclaration, module: ModuleFacts): ValueRef[] {
    const values: ValueRef[] = [];
    if (declaration.initializer) values.push({ expression: declaration.initializer, module });
    if (!isIdentifier(declaration.name) || isConstDeclaration(declaration)) return values;
    for (const assignment of module.assignments.get(declaration.name.text) ?? []) {
      if (isIdentifier(assignment.left) && declarationOf(assignment.left) === declaration && !this.inUntakenBranch(assignment))
        values.push({ expression: assignment.right, module });
    }
    return values;
  }

  /**
   * What a function returns: its `return` expressions (not those of functions inside it), or an
   * arrow's body. A return in a branch the analysed environment never takes is left out.
   */
  returnedValues(fn: ts.FunctionLikeDeclaration, module: ModuleFacts): ValueRef[] {
    const body = fn.body;
    if (!body) return [];
    if (!isBlock(body)) return [{ expression: body as ts.Expression, module }];
    return returnExpressions(body)
      .filter((expression) => !this.inUntakenBranch(expression))
      .map((expression) => ({ expression, module }));
  }

  /**
   * Whether code sits in a branch no request takes in the analysed environment (`if
   * (env.ENVIRONMENT === "development") svc = new MemoryStore()` with ENVIRONMENT = "production" in
   * `[vars]`, see constantConditions.ts): what it assigns or returns is never the value.
   */
  protected inUntakenBranch(node: ts.Node): boolean {
    const values = this.ctx.values;
    return inUntakenCode(node, {
      isIncomingRequest: (e) => values.isIncomingRequest(e),
      configVar: (e) => values.configVarValue(e),
      unsetVar: (e) => values.configVarUnset(e),
    });
  }

  /**
   * A callback's parameter, `withDb(env, async (db) => ...)`: the argument the callee passes when
   * it calls the callback (`fn(createClient(...))`), when the callee is code the analyser reads.
   */
  private parameterValues(parameter: ts.ParameterDeclaration, module: ModuleFacts): ValueRef[] {
    const callback = parameter.parent;
    const call = callback.parent;
    if (!isCallExpression(call) || !(isArrowFunction(callback) || isFunctionExpression(callback))) return [];
    const position = call.arguments.indexOf(callback as ts.Expression);
    const index = callback.parameters.indexOf(parameter);
    const callee = this.calledFunction(unwrapExpression(call.expression), module);
    const received = callee?.fn.parameters[position];
    if (!callee || !received || !isIdentifier(received.name)) return [];
    const values: ValueRef[] = [];
    for (const inner of this.callsInside(callee)) {
      const innerCallee = unwrapExpression(inner.expression);
      const argument = inner.arguments[index];
      if (argument && isIdentifier(innerCallee) && declarationOf(innerCallee) === received)
        values.push({ expression: argument, module: callee.module });
    }
    return values;
  }

  /**
   * What a request context holds under `key`: `c.set(key, value)` anywhere in the Worker (Hono's
   * context variables, read back with `c.get(key)` or `c.var.key`). Middleware that sets it may be
   * in a module the reader does not import, so the walk that asks is not kept (see summaries.ts).
   */
  contextValues(key: string): ValueRef[] {
    this.ctx.walker.cutWalk();
    let values = this.contextCache.get(key);
    if (values) return values;
    values = [];
    for (const module of this.ctx.loader.modules.values()) {
      for (const call of module.calls) {
        if (!isCallExpression(call) || call.arguments.length < 2) continue;
        const callee = unwrapExpression(call.expression);
        const first = call.arguments[0]!;
        if (isPropertyAccessExpression(callee) && callee.name.text === "set" && isStringLiteralLike(first) && first.text === key)
          values.push({ expression: call.arguments[1]!, module });
      }
      // h3's `event.context.db = ...`, Astro's `context.locals.db = ...`, in a plugin or middleware.
      for (const store of REQUEST_STORES)
        for (const assignment of module.assignments.get(store + key) ?? []) values.push({ expression: assignment.right, module });
    }
    this.contextCache.set(key, values);
    return values;
  }

  /**
   * What middleware puts on the object a router hands each of its functions in turn: `env.db =
   * store.openSession()` in one, `env.db.load(id)` in the next (itty-router's `request` and `env`).
   * The values assigned anywhere in the Worker to that property of a parameter of the same name;
   * empty when nothing writes it. The middleware may be in a module the reader does not import,
   * so the walk that asks is not kept.
   */
  parameterPropertyValues(access: ts.Expression): ValueRef[] {
    const value = unwrapExpression(access);
    if (!isPropertyAccessExpression(value)) return [];
    const holder = unwrapExpression(value.expression);
    if (!isIdentifier(holder)) return [];
    const declaration = declarationOf(holder);
    if (!declaration || !isParameter(declaration)) return [];
    const slot = `${holder.text}.${value.name.text}`;
    let values = this.parameterWrites.get(slot);
    if (!values) {
      values = [];
      for (const module of this.ctx.loader.modules.values())
        for (const assignment of module.assignments.get(slot) ?? []) {
          const left = assignment.left;
          const written = isPropertyAccessExpression(left) ? unwrapExpression(left.expression) : undefined;
          const writtenDeclaration = written && isIdentifier(written) ? declarationOf(written) : undefined;
          if (writtenDeclaration && isParameter(writtenDeclaration)) values.push({ expression: assignment.right, module });
        }
      this.parameterWrites.set(slot, values);
    }
    if (values.length > 0) this.ctx.walker.cutWalk();
    return values;
  }

  /**
   * `ctx.db` where `ctx` is what a framework passes (see noteFrameworkArgument): what `db` is in
   * the objects it passes; undefined for any other property access.
   */
  frameworkProperty(expression: ts.Expression): ValueRef[] | undefined {
    if (this.frameworkArguments.size === 0 || !isPropertyAccessExpression(expression)) return undefined;
    const given = this.frameworkGiven(expression.expression);
    return given?.flatMap((s) => this.propertyValues(s, expression.name.text, 1));
  }

  /**
   * What a framework passes for a name of a function it runs (see noteFrameworkArgument): one
   * destructured from its parameter (`({ context }) => context...`), or read from the parameter's
   * object itself (`(call) => call.context...`); undefined for any other expression.
   */
  frameworkGiven(expression: ts.Expression): ValueRef[] | undefined {
    if (this.frameworkArguments.size === 0) return undefined;
    const receiver = unwrapExpression(expression);
    let given: ValueRef[] | undefined;
    if (isPropertyAccessExpression(receiver)) {
      const holder = unwrapExpression(receiver.expression);
      const parameter = isIdentifier(holder) ? declarationOf(holder) : undefined;
      given = parameter && isParameter(parameter) ? this.frameworkArguments.get(parameter)?.get(receiver.name.text) : undefined;
    } else {
      const declaration = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
      if (!declaration || !isBindingElement(declaration) || !isParameter(declaration.parent.parent)) return undefined;
      const key = declaration.propertyName ?? declaration.name;
      given = isIdentifier(key) ? this.frameworkArguments.get(declaration.parent.parent)?.get(key.text) : undefined;
    }
    if (!given) return undefined;
    this.ctx.walker.cutWalk();
    return given;
  }

  /**
   * Whether a module loaded so far sets a request store's slot (`event.context.db = ...`). Asked
   * for every `c.env.X` read: a scan over all modules each time was a hot spot of large APIs. Kept
   * per slot: true stays true (modules are only added to an analysis), false until more are loaded.
   */
  private slotAssigned(slot: string): boolean {
    const modules = this.ctx.loader.modules;
    const known = this.assignedSlots.get(slot);
    if (known === true || known === modules.size) return known === true;
    let found = false;
    for (const m of modules.values())
      if (m.assignments.has(slot)) {
        found = true;
        break;
      }
    this.assignedSlots.set(slot, found || modules.size);
    return found;
  }

  /** slotAssigned's answers: true, or how many modules were loaded when none set the slot. */
  private readonly assignedSlots = new Map<string, true | number>();

  /**
   * The key of a context read, `c.get("db")`, `c.var.db`, or h3's `event.context.db` and Astro's
   * `locals.db` when something sets them, when the expression is one.
   */
  contextKey(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    if (isPropertyAccessExpression(value)) {
      const holder = unwrapExpression(value.expression);
      const slot = requestStoreSlot(value);
      if (slot !== undefined && this.slotAssigned(slot)) return value.name.text;
      return isPropertyAccessExpression(holder) && holder.name.text === "var" ? value.name.text : undefined;
    }
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "get") {
      const [first] = value.arguments;
      const receiver = unwrapExpression(value.expression.expression);
      // Only on a handler's own context parameter: `headers.get("x")` and `map.get(k)` are not.
      const declaration = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
      if (
        first &&
        isStringLiteralLike(first) &&
        declaration &&
        isParameter(declaration) &&
        declaration.parent.parameters[0] === declaration
      )
        return first.text;
    }
    return undefined;
  }

  /**
   * The functions given to a callee that it runs: arguments that are functions, whose parameter
   * the callee calls or passes on (`handleErrors(request, async () => ...)`, `withDb(env, fn)`).
   */
  callbacksRunBy(
    callee: FunctionRef,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): Array<FunctionRef & { readonly inLoop: boolean }> {
    const callbacks: Array<FunctionRef & { readonly inLoop: boolean }> = [];
    args.forEach((arg, index) => {
      const value = unwrapExpression(arg);
      const fn =
        isArrowFunction(value) || isFunctionExpression(value)
          ? { fn: value, module }
          : isIdentifier(value)
            ? this.functionFrom(value, module)
            : undefined;
      const parameter = callee.fn.parameters[index];
      if (fn && parameter && isIdentifier(parameter.name) && this.usesAsFunction(callee, parameter))
        callbacks.push({ ...fn, inLoop: this.calledInWaitingLoop(callee, parameter) });
    });
    return callbacks;
  }

  /** Whether the callee calls its parameter in a loop that waits for each call (`for (...) await cb(x)`). */
  private calledInWaitingLoop(callee: FunctionRef, parameter: ts.ParameterDeclaration): boolean {
    return this.callsInside(callee).some((call) => {
      const value = unwrapExpression(call.expression);
      // (A retry helper's loop, `for (...) { try { return await fn(); } catch {} }`, runs it once: see retries.ts.)
      return isIdentifier(value) && declarationOf(value) === parameter && inWaitingLoop(call, callee.fn) && !onlyRetriedIn(call, callee.fn);
    });
  }

  /** Whether a function calls its parameter, or hands it to another call (asked once per parameter). */
  private usesAsFunction(callee: FunctionRef, parameter: ts.ParameterDeclaration): boolean {
    const known = this.calledParameters.get(parameter);
    if (known !== undefined) return known;
    const isParameter = (node: ts.Expression): boolean => {
      const value = unwrapExpression(node);
      return isIdentifier(value) && declarationOf(value) === parameter;
    };
    const used = this.callsInside(callee).some((call) => isParameter(call.expression) || call.arguments.some(isParameter));
    this.calledParameters.set(parameter, used);
    return used;
  }

  /** The calls written inside a function (its module's calls within its span), kept per function. */
  private callsInside(ref: FunctionRef): readonly ts.CallExpression[] {
    let calls = this.callsByFunction.get(ref.fn);
    if (!calls) {
      const { pos, end } = ref.fn;
      calls = ref.module.calls.filter((c): c is ts.CallExpression => isCallExpression(c) && c.pos >= pos && c.end <= end);
      this.callsByFunction.set(ref.fn, calls);
    }
    return calls;
  }

  /**
   * What a function that registers routes is given (`cardEndpoint(app, "/cards", render)`): its
   * routes' handlers call its parameters, and nothing else runs it to say what they hold.
   */
  noteRegistrarArguments(registrar: FunctionRef, args: readonly ts.Expression[], module: ModuleFacts): void {
    this.registrars.add(registrar.fn);
    this.noteArguments(registrar, args, module);
  }

  /** Whether a parameter is one of a route registrar's (see noteRegistrarArguments). */
  isRegistrarParameter(parameter: ts.ParameterDeclaration): boolean {
    return this.registrars.has(parameter.parent as ts.FunctionLikeDeclaration);
  }

  /**
   * What a framework passes a function it runs under a name of its first parameter's object (tRPC
   * gives a procedure `{ ctx }`, ctx being what createContext returns): `({ ctx }) => ctx.db...`
   * reads it.
   */
  noteFrameworkArgument(parameter: ts.ParameterDeclaration, name: string, values: readonly ValueRef[]): void {
    let byName = this.frameworkArguments.get(parameter);
    if (!byName) this.frameworkArguments.set(parameter, (byName = new Map()));
    const list = byName.get(name) ?? [];
    for (const value of values) if (!list.some((v) => v.expression === value.expression)) list.push(value);
    byName.set(name, list);
  }

  /**
   * Handler discovery met `factory(args)` making the Worker's handler (`export default
   * withErrors(handler)`): what the factory's parameters hold, for the handler it returns.
   */
  noteArguments(factory: FunctionRef, args: readonly ts.Expression[], module: ModuleFacts): void {
    factory.fn.parameters.forEach((parameter, index) => {
      const arg = args[index];
      if (!arg) return;
      let list = this.callArguments.get(parameter);
      if (!list) this.callArguments.set(parameter, (list = []));
      // Calls are met again and again (each marking, each hand-off): one entry per argument node.
      if (list.length < MAX_NOTED_ARGUMENTS && !list.some((v) => v.expression === arg)) list.push({ expression: arg, module });
    });
  }

  /** `fn` with the arguments passed for parameters readable (see urlHosts): the walk is then not kept. */
  withArguments<T>(fn: () => T): T {
    const previous = this.readingArguments;
    this.readingArguments = true;
    try {
      return fn();
    } finally {
      this.readingArguments = previous;
    }
  }

  protected withCallBindings<T>(fn: () => T): T {
    const previous = this.readingCallArguments;
    this.readingCallArguments = true;
    try {
      return fn();
    } finally {
      this.readingCallArguments = previous;
    }
  }

  /**
   * What a function was given for a parameter at the calls the analysis has met so far (`new
   * Store(db)`, `export default withErrors(handler)`). Those calls may be in modules the function's
   * module does not import: a walk that reads them is not kept.
   */
  argumentsPassedFor(parameter: ts.ParameterDeclaration): ValueRef[] {
    this.argumentLookups++;
    const passed = this.callArguments.get(parameter);
    if (!passed) return [];
    this.ctx.walker.cutWalk();
    return passed;
  }

  /**
   * What an expression that reads a function's parameter holds (`guard`, `auth` destructured from
   * it in the parameter list or later, `deps.auth`): at the call `bound` names for the parameter
   * when it names one (the call being followed), else at every call of the function (see
   * callSitesOf; the worst of them counts where they are used). Undefined when the expression reads
   * no parameter.
   */
  parameterArguments(
    expression: ts.Expression,
    bound?: (parameter: ts.ParameterDeclaration) => ValueRef | undefined,
  ): ValueRef[] | undefined {
    const path: string[] = [];
    let value = unwrapExpression(expression);
    let parameter: ts.ParameterDeclaration | undefined;
    for (let depth = 0; depth < 8 && !parameter; depth++) {
      if (isPropertyAccessExpression(value)) {
        path.unshift(value.name.text);
        value = unwrapExpression(value.expression);
        continue;
      }
      if (!isIdentifier(value)) return undefined;
      let declaration: ts.Node | undefined = declarationOf(value);
      // `{ auth }` (also nested, renamed) taken apart in the parameter list: that property of what is passed.
      while (declaration && isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent)) {
        const key = declaration.propertyName ?? declaration.name;
        if (!isIdentifier(key) && !isStringLiteralLike(key)) return undefined;
        path.unshift(key.text);
        declaration = declaration.parent.parent;
      }
      if (declaration && isParameter(declaration)) parameter = declaration;
      // `const { auth } = deps`, `const guard = deps.auth` in the function's body: what `deps` holds.
      else if (declaration && isVariableDeclaration(declaration) && declaration.initializer && isConstDeclaration(declaration))
        value = unwrapExpression(declaration.initializer);
      else return undefined;
    }
    if (!parameter) return undefined;
    const here = bound?.(parameter);
    const sources: ValueRef[] = here ? [here] : this.argumentsAtCallSites(parameter);
    return path.reduce<ValueRef[]>((held, key) => held.flatMap((source) => this.propertyValues(source, key, 1)), sources);
  }

  /** What every call of a parameter's function passes for it (see callSitesOf): the walk is then not kept. */
  argumentsAtCallSites(parameter: ts.ParameterDeclaration): ValueRef[] {
    if (parameter.dotDotDotToken) return [];
    const fn = parameter.parent as ts.FunctionLikeDeclaration;
    const index = fn.parameters.indexOf(parameter);
    const module = this.ctx.loader.moduleBySourceFile.get(fn.getSourceFile());
    if (!module || index < 0) return [];
    return this.callSitesOf({ fn, module }).flatMap(({ call, module: at }) => {
      if (call.arguments.slice(0, index + 1).some(isSpreadElement)) return [];
      const argument = call.arguments[index];
      return argument ? [{ expression: argument, module: at }] : [];
    });
  }

  /** Calls of each function found by callSitesOf, per analysis. */
  private readonly callSites = new Map<ts.Node, ReadonlyArray<{ call: ts.CallExpression; module: ModuleFacts }>>();

  /**
   * Every call of a project function written in the Worker's loaded modules (`register(app, guard)`,
   * `routes.register(...)` over a namespace import, an imported alias), found by name and confirmed
   * by resolving the callee: the same whichever calls the walk has met so far. Those calls may be in
   * modules the function's module does not import: a walk that reads them is not kept. Calls that
   * reach the function some other way (it is handed on as a value and called there) are not found.
   */
  callSitesOf(target: FunctionRef): ReadonlyArray<{ call: ts.CallExpression; module: ModuleFacts }> {
    this.ctx.walker.cutWalk();
    const known = this.callSites.get(target.fn);
    if (known) return known;
    const found: Array<{ call: ts.CallExpression; module: ModuleFacts }> = [];
    this.callSites.set(target.fn, found);
    const fn = target.fn;
    const holder = (isArrowFunction(fn) || isFunctionExpression(fn)) && isVariableDeclaration(fn.parent) ? fn.parent : undefined;
    const own = fn.name && isIdentifier(fn.name) ? fn.name.text : holder && isIdentifier(holder.name) ? holder.name.text : undefined;
    const exported = new Set<string>();
    for (const [name, binding] of target.module.exports)
      if ((own !== undefined && binding.local === own) || binding.declaration === fn) exported.add(name);
    if (own === undefined && exported.size === 0) return found;
    for (const module of this.ctx.loader.modules.values()) {
      const names = new Set<string>(module === target.module && own !== undefined ? [own] : []);
      for (const [local, imported] of module.imports) if (exported.has(imported.name)) names.add(local);
      const members = new Set([...exported, ...(own !== undefined ? [own] : [])]);
      for (const call of module.calls) {
        if (!isCallExpression(call)) continue;
        const callee = unwrapExpression(call.expression);
        const named = isIdentifier(callee) ? names.has(callee.text) : isPropertyAccessExpression(callee) && members.has(callee.name.text);
        if (named && this.calledFunction(callee, module)?.fn === fn) found.push({ call, module });
      }
    }
    return found;
  }

  /**
   * What a parameter holds: what the call being walked passes (see withCallArguments), or, while the
   * arguments are read (see urlHosts), what the calls met so far pass. Undefined (a hole counted)
   * otherwise.
   */
  protected passedFor(parameter: ts.ParameterDeclaration): ValueRef[] | undefined {
    const here = this.readingCallArguments ? this.callBindings.get(parameter) : undefined;
    if (here) {
      this.readThroughCall.add(parameter.parent);
      this.ctx.walker.cutWalk();
      const module = this.ctx.loader.moduleBySourceFile.get(here.getSourceFile());
      return module ? [{ expression: here, module }] : [];
    }
    if (!this.readingArguments) {
      this.parameterHoles++;
      return undefined;
    }
    return this.argumentsPassedFor(parameter);
  }

  /**
   * What the call being walked passes for a parameter (see withCallArguments), when it passes one.
   * The walk then depends on the call: it is neither kept nor reused for other calls.
   */
  passedHere(parameter: ts.ParameterDeclaration): ValueRef | undefined {
    const here = this.callBindings.get(parameter);
    if (!here) return undefined;
    this.readThroughCall.add(parameter.parent);
    this.ctx.walker.cutWalk();
    const module = this.ctx.loader.moduleBySourceFile.get(here.getSourceFile());
    return module ? { expression: here, module } : undefined;
  }

  /**
   * `run` with the callee's parameters holding what this call passes (`httpGet("https://a/x")`), for
   * the URLs read while it runs. Calls with a spread argument bind nothing.
   */
  withCallArguments<T>(callee: FunctionRef, args: readonly ts.Expression[], run: () => T): T {
    if (args.length === 0 || args.some((a) => isSpreadElement(a))) return run();
    const previous: Array<[ts.ParameterDeclaration, ts.Expression | undefined]> = [];
    callee.fn.parameters.forEach((parameter, i) => {
      const argument = args[i];
      if (!argument || parameter.dotDotDotToken || !isIdentifier(parameter.name)) return;
      previous.push([parameter, this.callBindings.get(parameter)]);
      this.callBindings.set(parameter, argument);
    });
    try {
      return run();
    } finally {
      for (const [parameter, before] of previous) {
        if (before) this.callBindings.set(parameter, before);
        else this.callBindings.delete(parameter);
      }
    }
  }
}
