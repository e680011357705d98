import ts from "typescript";
import { MAX_VALUE_DEPTH, type AnalysisContext } from "./context";
import { REQUEST_STORES, requestStoreSlot, unwrapExpression, type ExportBinding, type ModuleFacts } from "./module";
import { runtimeConfigPath, runtimeConfigValue } from "./runtimeConfig";
import { isKnownLibraryModule, packageUrlConstant } from "./sdks";
import { returnExpressions } from "./syntaxMemo";
import type { BindingNames } from "./types";
import {
  type FunctionRef,
  HOLE,
  hostOf,
  isPlainHost,
  truncate,
  printNode,
  isEnvLike,
  rootImport,
  isConstDeclaration,
  findAncestor,
  localFunction,
  declarationOf,
  inWaitingLoop,
} from "./syntax";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  getModifiers,
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isBinaryExpression,
  isBindingElement,
  isBlock,
  isCallExpression,
  isClassLike,
  isConditionalExpression,
  isConstructSignatureDeclaration,
  isConstructorDeclaration,
  isConstructorTypeNode,
  isElementAccessExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isFunctionTypeNode,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteral,
  isStringLiteralLike,
  isTemplateExpression,
  isTypeLiteralNode,
  isTypeReferenceNode,
  isVariableDeclaration,
} = ts;

/** Framework helpers that return the function they are given, wrapped: `createMiddleware(fn)`. */
const FUNCTION_WRAPPERS = new Set(["createMiddleware", "defineEventHandler", "eventHandler", "defineMiddleware"]);

/** Call sites noted per parameter: enough to see what a helper is given, bounded for helpers called everywhere. */
const MAX_NOTED_ARGUMENTS = 16;

/** The text of a property name written as an identifier or a string. */
function getNameText(name: ts.PropertyName): string | undefined {
  return isIdentifier(name) || isStringLiteralLike(name) ? name.text : undefined;
}

/** The object literal whose method (or function-valued property) `this.x` is read in, when it is one. */
function objectOfMethod(access: ts.Node): ts.ObjectLiteralExpression | undefined {
  const fn = findAncestor(access, (n) => isFunctionLike(n) && !isArrowFunction(n));
  if (!fn) return undefined;
  if (isMethodDeclaration(fn) && isObjectLiteralExpression(fn.parent)) return fn.parent;
  if (isFunctionExpression(fn) && isPropertyAssignment(fn.parent) && isObjectLiteralExpression(fn.parent.parent)) return fn.parent.parent;
  return undefined;
}

/** How many strings a value may be before it counts as unknown (`a ? b : c` in each part of a template multiplies them). */
const MAX_CANDIDATES = 8;

/** Each of `lefts` followed by each of `rights`, then `tail`; undefined past MAX_CANDIDATES. */
function joined(lefts: readonly string[] | undefined, rights: readonly string[], tail: string): readonly string[] | undefined {
  if (!lefts || lefts.length * rights.length > MAX_CANDIDATES) return undefined;
  const out = new Set<string>();
  for (const left of lefts) for (const right of rights) out.add(left + right + tail);
  return [...out];
}

/** The strings any of the parts may be, in order; undefined when a part is unknown or past MAX_CANDIDATES. */
function unionOf(parts: ReadonlyArray<readonly string[] | undefined>): readonly string[] | undefined {
  const out = new Set<string>();
  for (const part of parts) {
    if (!part) return undefined;
    for (const text of part) out.add(text);
  }
  return out.size > 0 && out.size <= MAX_CANDIDATES ? [...out] : undefined;
}

/**
 * The distinct hosts of URLs, undefined when one has none. A candidate known in full that is not an
 * absolute URL (`"" + "/v2/"` where a lookup's fallback is the empty string) cannot be fetched: a
 * Worker has no base URL, so `fetch` throws there and that path makes no subrequest. It is dropped
 * when another candidate has a host; a candidate with an unknown part is never dropped.
 */
function hostsOf(texts: readonly string[] | undefined): readonly string[] | undefined {
  if (!texts) return undefined;
  const hosts = new Set<string>();
  for (const text of texts) {
    const host = hostOf(text);
    if (host) hosts.add(host);
    // A path (`"" + url.pathname`) is no URL, whatever follows its first "/".
    else if ((text.includes(HOLE) || text.includes(":")) && !(text.startsWith("/") && !text.startsWith("//"))) return undefined;
  }
  return hosts.size > 0 ? [...hosts] : undefined;
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  return unionOf([a, b]);
}

/** An expression and the module it is written in. */
export interface ValueRef {
  readonly expression: ts.Expression;
  readonly module: ModuleFacts;
}

/** A class and the module it is written in. */
export interface ClassRef {
  readonly cls: ts.ClassLikeDeclaration;
  readonly module: ModuleFacts;
}

/** What names and expressions stand for: functions, bindings, strings and hosts, the incoming request. */
export class ValueResolver {
  /** Arguments given to project functions that make handlers (`withErrors(handler)`), by parameter. */
  private readonly callArguments = new Map<ts.ParameterDeclaration, ValueRef[]>();
  /** Functions that register routes, met with the arguments they were given. */
  private readonly registrars = new Set<ts.FunctionLikeDeclaration>();
  /** Whether evaluateString may use the arguments passed for parameters (see urlHosts). */
  private readingArguments = false;
  /** Parameters evaluateString met without reading their arguments: a second look may help. */
  private parameterHoles = 0;
  /** While evaluating what a function returns for one call (see returnedStrings): its parameters' arguments. */
  private readonly boundArguments = new Map<ts.ParameterDeclaration, ts.Expression>();
  /** What the call being walked passes for its callee's parameters (see withCallArguments). */
  private readonly callBindings = new Map<ts.ParameterDeclaration, ts.Expression>();
  /** Functions a URL read a parameter of through the call being walked: their round trips depend on the call. */
  readonly readThroughCall = new Set<ts.Node>();
  /** Whether parameters read what the call being walked passes (see urlHosts). */
  private readingCallArguments = false;
  /** The method of an object literal each callee names, or null (see calledFunction). */
  private readonly literalMethods = new Map<ts.Node, FunctionRef | null>();
  /** Parameters read by objectLiterals so far (see parameterLiterals): an answer that read one is not cached. */
  private parameterReads = 0;
  /** How deep objectLiterals is, across calledFunction (see objectLiterals). */
  private literalDepth = 0;
  /** Variables and functions whose strings are being worked out (see evaluateStrings): not followed round again. */
  private readonly evaluating = new Set<ts.Node>();
  /** The same for class fields, by class and name. */
  private readonly evaluatingFields = new Set<string>();
  /** Calls inside each function asked about, and whether it calls a given parameter (per analysis). */
  private readonly callsByFunction = new Map<ts.Node, readonly ts.CallExpression[]>();
  private readonly calledParameters = new Map<ts.Node, boolean>();
  /** Calls whose instance is being worked out (see callInstance). */
  private readonly instanceCalls = new Set<ts.Node>();
  /** Instances by declaration (see classOfInstance), per analysis. */
  private readonly instances = new Map<ts.Node, ClassRef | null>();
  /** Classes whose module-level instances were looked for (see noteModuleInstances). */
  private readonly instancesNoted = new Set<ts.ClassLikeDeclaration>();
  /** What frameworks pass functions they run, by parameter (see noteFrameworkArgument), per analysis. */
  private readonly frameworkArguments = new Map<ts.ParameterDeclaration, Map<string, ValueRef[]>>();
  /** Context variables by key (`c.set(key, value)`), per analysis. */
  private readonly contextCache = new Map<string, ValueRef[]>();

  constructor(private readonly ctx: AnalysisContext) {}

  classNamed(name: string, module: ModuleFacts, depth = 0): { cls: ts.ClassLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const cls = module.classes.get(name);
    if (cls) return { cls, module };
    const imported = module.imports.get(name);
    if (!imported) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const found = target ? this.exportOf(imported.name, target) : undefined;
    if (!found) return undefined;
    const exported = found.binding;
    if (exported.declaration && isClassLike(exported.declaration)) return { cls: exported.declaration, module: found.module };
    if (exported.local) return this.classNamed(exported.local, found.module, depth + 1);
    // `export default Store;` after `class Store {}`.
    const named = exported.expression ? unwrapExpression(exported.expression) : undefined;
    return named && isIdentifier(named) && (named.text !== name || found.module !== module)
      ? this.classNamed(named.text, found.module, depth + 1)
      : undefined;
  }

  /**
   * What a module exports under a name, through re-exports: `export { default as handler } from
   * "./handler"`, `export { x } from "./y"` chains and `export * from "./z"`. The binding returned
   * is never a re-export itself (a namespace re-export, `export * as ns from`, is kept as one: its
   * `reexport.name` is "*").
   */
  exportOf(name: string, module: ModuleFacts, depth = 0): { binding: ExportBinding; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const exported = module.exports.get(name);
    if (exported?.reexport && exported.reexport.name !== "*") {
      const next = this.ctx.loader.moduleFor(exported.reexport.module, module);
      return next ? this.exportOf(exported.reexport.name, next, depth + 1) : undefined;
    }
    if (exported) return { binding: exported, module };
    if (name === "default") return undefined; // `export *` never re-exports a default
    for (const star of module.starReexports) {
      const next = this.ctx.loader.moduleFor(star, module);
      const found = next && this.exportOf(name, next, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * `import("./m")` (awaited or not), or a `const` holding one: the module it loads, when the
   * specifier is a string the project resolves.
   */
  dynamicImportOf(expression: ts.Expression, module: ModuleFacts, depth = 0): ModuleFacts | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isCallExpression(value) && value.expression.kind === SyntaxKind.ImportKeyword) {
      const specifier = value.arguments[0];
      return specifier && isStringLiteralLike(specifier) ? this.ctx.loader.moduleFor(specifier.text, module) : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    return declaration && isVariableDeclaration(declaration) && isConstDeclaration(declaration) && declaration.initializer
      ? this.dynamicImportOf(declaration.initializer, module, depth + 1)
      : undefined;
  }

  /**
   * An export reached through a dynamic import, as a static import would reach it:
   * `const { default: h } = await import("./h")` (the name `h`), `mod.default` where `mod` holds
   * `await import("./h")`, `(await import("./h")).default`.
   */
  dynamicImportMember(expression: ts.Expression, module: ModuleFacts): { binding: ExportBinding; module: ModuleFacts } | undefined {
    const value = unwrapExpression(expression);
    let target: ModuleFacts | undefined;
    let name: string | undefined;
    if (isPropertyAccessExpression(value)) {
      target = this.dynamicImportOf(value.expression, module);
      name = value.name.text;
    } else if (isIdentifier(value)) {
      const element = declarationOf(value);
      if (!element || !isBindingElement(element) || !isObjectBindingPattern(element.parent)) return undefined;
      const holder = element.parent.parent;
      const key = element.propertyName ?? element.name;
      if (!isVariableDeclaration(holder) || !holder.initializer || !isIdentifier(key)) return undefined;
      target = this.dynamicImportOf(holder.initializer, module);
      name = key.text;
    }
    return target && name !== undefined ? this.exportOf(name, target) : undefined;
  }

  /** What an export holds, as values: its expression, or its variable's. */
  private exportValues(found: { binding: ExportBinding; module: ModuleFacts }): ValueRef[] {
    const { binding, module } = found;
    if (binding.expression) return [{ expression: binding.expression, module }];
    const variable = binding.local ? module.variables.get(binding.local) : undefined;
    return variable ? this.variableValues(variable, module) : [];
  }

  /**
   * The module a name stands for as a namespace: `import * as ns from "./m"`, or a name imported
   * from a barrel that says `export * as ns from "./m"`.
   */
  namespaceOf(name: string, module: ModuleFacts): ModuleFacts | undefined {
    const imported = module.imports.get(name);
    if (!imported) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    if (!target || imported.name === "*") return target;
    const found = this.exportOf(imported.name, target);
    const reexport = found?.binding.reexport;
    return found && reexport?.name === "*" ? this.ctx.loader.moduleFor(reexport.module, found.module) : undefined;
  }

  /** A function value: inline, a local function, or one imported from an analysed module. */
  functionFrom(
    expression: ts.Expression,
    module: ModuleFacts,
    depth = 0,
    members = true,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const value = unwrapExpression(expression);
    if (isArrowFunction(value) || isFunctionExpression(value)) return { fn: value, module };
    if (isIdentifier(value)) return this.functionNamed(value.text, module, depth);
    // `handlers.create` with `import * as handlers from "./handlers"`; `MODEL.run` of an object literal.
    if (isPropertyAccessExpression(value)) {
      const receiver = unwrapExpression(value.expression);
      if (isIdentifier(receiver) && module.imports.get(receiver.text)?.name === "*") return this.calledFunction(value, module);
      if (members && (isIdentifier(receiver) || isPropertyAccessExpression(receiver) || isElementAccessExpression(receiver)))
        return this.nested(value, () => this.calledFunction(value, module));
    }
    if (isCallExpression(value)) {
      // `createFactory(...)(...)`, `handler.bind(x)`: the function inside, when there is one.
      if (isPropertyAccessExpression(value.expression) && value.expression.name.text === "bind")
        return this.functionFrom(value.expression.expression, module, depth + 1);
      // (An argument's member, `normalize(action.url)`, is not read for a function: a value, most often.)
      for (const arg of value.arguments) {
        const fn = this.functionFrom(arg, module, depth + 1, false);
        if (fn) return fn;
      }
      return this.nested(value, () => this.returnedFunction(value, module, depth + 1));
    }
    return undefined;
  }

  /** Values being read for the function they hold (see functionFrom), and how deep: a value defined through itself ends. */
  private readonly readingFunctions = new Set<ts.Node>();

  private nested<T>(node: ts.Node, read: () => T | undefined): T | undefined {
    if (this.readingFunctions.has(node) || this.readingFunctions.size > 8) return undefined;
    this.readingFunctions.add(node);
    try {
      return read();
    } finally {
      this.readingFunctions.delete(node);
    }
  }

  /**
   * The function a project function returns when called (`const embed = viaHost("m")` over
   * `const viaHost = (model) => async (input) => ...`): a curried helper's inner function.
   */
  private returnedFunction(call: ts.CallExpression, module: ModuleFacts, depth: number): FunctionRef | undefined {
    if (depth > 12) return undefined;
    const factory = this.calledFunction(unwrapExpression(call.expression), module);
    if (!factory) return undefined;
    for (const returned of this.returnedValues(factory.fn, factory.module)) {
      const value = unwrapExpression(returned.expression);
      if (isCallExpression(value) && value === call) continue;
      const fn = this.functionFrom(value, returned.module, depth + 1);
      if (fn) return fn;
    }
    return undefined;
  }

  private functionNamed(name: string, module: ModuleFacts, depth = 0): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const local = module.functions.get(name);
    if (local) return { fn: local, module };
    const imported = module.imports.get(name);
    if (!imported) {
      // `const auth = createMiddleware(async (c, next) => ...)`: a framework's wrapper that runs the
      // function it is given. (Other calls make functions of their own: `createRequestHandler(build)`.)
      const initializer = module.variables.get(name)?.initializer;
      const call = initializer ? unwrapExpression(initializer) : undefined;
      if (!call || !isCallExpression(call)) return undefined;
      const callee = unwrapExpression(call.expression);
      const wrapper = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
      return FUNCTION_WRAPPERS.has(wrapper)
        ? this.functionFrom(call, module, depth + 1)
        : this.nested(call, () => this.returnedFunction(call, module, depth + 1));
    }
    if (imported.name === "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    return target ? this.exportedFunction(imported.name, target, depth) : undefined;
  }

  /** The function a module exports under a name (through re-exports). */
  private exportedFunction(
    name: string,
    target: ModuleFacts,
    depth: number,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    const found = this.exportOf(name, target);
    return found ? this.functionOfExport(found, depth) : undefined;
  }

  private functionOfExport(
    found: { binding: ExportBinding; module: ModuleFacts },
    depth: number,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    const exported = found.binding;
    if (exported.reexport) return undefined;
    if (exported.declaration && isFunctionDeclaration(exported.declaration)) return { fn: exported.declaration, module: found.module };
    if (exported.local) return this.functionNamed(exported.local, found.module, depth + 1);
    if (exported.expression) return this.functionFrom(exported.expression, found.module, depth + 1);
    return undefined;
  }

  calledFunction(callee: ts.Expression, module: ModuleFacts): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (isIdentifier(callee)) {
      const local = localFunction(callee);
      if (local) return { fn: local, module };
      const dynamic = this.dynamicImportMember(callee, module);
      if (dynamic) return this.functionOfExport(dynamic, 0);
      return this.functionNamed(callee.text, module);
    }
    // `mod.load()` with `const mod = await import("./data")`.
    const dynamic = isPropertyAccessExpression(callee) ? this.dynamicImportMember(callee, module) : undefined;
    if (dynamic) return this.functionOfExport(dynamic, 0);
    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      // this.helper() inside a class, or inside a method of an object literal (an exported handler
      // object, `export default { async fetch(r, e) { return this.handle(r, e) }, async handle() {} }`)
      if (receiver.kind === SyntaxKind.ThisKeyword) {
        const literal = objectOfMethod(callee);
        if (literal) {
          for (const property of literal.properties) {
            if (!property.name || !(isIdentifier(property.name) || isStringLiteralLike(property.name)) || property.name.text !== method)
              continue;
            if (isMethodDeclaration(property)) return { fn: property, module };
            if (isPropertyAssignment(property)) return this.functionFrom(property.initializer, module);
          }
          return undefined;
        }
        const cls = findAncestor(callee, isClassLike);
        const member = cls ? memberFunction(cls, method) : undefined;
        if (member) return { fn: member, module };
        return cls ? this.methodOf({ cls, module }, method) : undefined;
      }
      // namespace import: utils.helper() (`import * as utils`, or `export * as utils from` in a barrel)
      if (isIdentifier(receiver)) {
        const namespace = module.imports.has(receiver.text) ? this.namespaceOf(receiver.text, module) : undefined;
        if (namespace) return this.exportedFunction(method, namespace, 0);
        // a module-level object of functions: const api = { load() {...} }
        const variable = module.variables.get(receiver.text);
        const init = variable?.initializer && unwrapExpression(variable.initializer);
        if (init && isObjectLiteralExpression(init)) {
          for (const property of init.properties) {
            if (!property.name || !isIdentifier(property.name) || property.name.text !== method) continue;
            if (isMethodDeclaration(property)) return { fn: property, module };
            if (isPropertyAssignment(property)) return this.functionFrom(property.initializer, module);
          }
        }
      }
      // A static method of a project class: `Cache.probe()`.
      if (isIdentifier(receiver)) {
        const declaration = declarationOf(receiver);
        const cls = declaration && isClassLike(declaration) ? { cls: declaration, module } : undefined;
        const found = cls ?? (!declaration ? this.classNamed(receiver.text, module) : undefined);
        const member = found ? memberFunction(found.cls, method, true) : undefined;
        if (found && member) return { fn: member, module: found.module };
      }
      // A method of a project class instance: `repo.load()`, `this.users.find()`, `repo.users().find()`.
      if (isIdentifier(receiver) || isPropertyAccessExpression(receiver) || isNewExpression(receiver) || isCallExpression(receiver)) {
        const instance = this.classOfInstance(receiver, module);
        if (instance) return this.methodOf(instance, method);
      }
      // A method of an object literal reached through a chain: `api.products.getByHandle(h)` over
      // `const api = { products: { getByHandle(h) {...} } }` (also spread in, `as const`, or returned
      // by a factory of the project's, `createApi(env).orders.get(id)`).
      if (
        isIdentifier(receiver) ||
        isPropertyAccessExpression(receiver) ||
        isCallExpression(receiver) ||
        isElementAccessExpression(receiver)
      ) {
        // Asked again and again for the same call (walk, classifier, dispatcher checks): once each.
        // (Kept only when asked from the top: deeper, the depth bound or a value being evaluated may cut the answer short.)
        const known = this.literalMethods.get(callee);
        if (known !== undefined) return known ?? undefined;
        const top = this.literalDepth === 0 && this.evaluating.size === 0;
        const reads = this.parameterReads;
        let found: FunctionRef | undefined;
        for (const member of this.objectMembers(receiver, method, module, 0)) {
          found = member.method ?? this.functionFrom(member.value!.expression, member.value!.module);
          if (found) break;
        }
        // What a parameter holds depends on the call: not kept for the callee.
        if (top && reads === this.parameterReads) this.literalMethods.set(callee, found ?? null);
        if (found) return found;
      }
    }
    return undefined;
  }

  /**
   * The object literals an expression may hold: a literal (through `as const`, `satisfies`), a
   * variable or an imported constant holding one, a property of one, or what a project function
   * returns. Only values written in the Worker's own code: parameters and fields are not followed.
   */
  objectLiterals(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    // Nested through calledFunction too (`db.get()` in the value of `db`): bounded across both.
    if (depth > 6 || this.literalDepth > 12) return [];
    // Bounded in breadth too: a recursive function given nested rule tables by several callers
    // (`parse(rules[key])`, `parse(this.baseRules)`) fans out at each level. One question from the
    // top reads at most LITERAL_STEPS values.
    if (this.literalDepth === 0) this.literalSteps = 0;
    else if (++this.literalSteps > LITERAL_STEPS) return [];
    this.literalDepth++;
    try {
      return this.objectLiteralsOf(expression, module, depth);
    } finally {
      this.literalDepth--;
    }
  }

  private literalSteps = 0;

  private objectLiteralsOf(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isObjectLiteralExpression(value)) return [{ literal: value, module }];
    // `c.get("services")`, `c.var.services`: what middleware put in the request context.
    const key = this.contextKey(value);
    if (key !== undefined) return this.contextValues(key).flatMap((v) => this.objectLiterals(v.expression, v.module, depth + 1));
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      // A parameter holds what the call being walked passes, or what the calls met so far pass
      // (`one(client(token))` then `c.post()` inside `one`; `makeHandler({ createApp })` then
      // `opts.createApp(env)`): reading it ties the walk to its callers, so it is not kept.
      if (declaration && isParameter(declaration)) return this.parameterLiterals(declaration, depth);
      // `async ({ slackCli }) => slackCli.postMessage(...)`: that property of what the calls pass.
      if (declaration && isBindingElement(declaration) && isParameter(declaration.parent.parent) && !this.evaluating.has(declaration)) {
        const module0 = module;
        const sources = this.withArguments(() => this.destructuredValues(declaration, module0, depth));
        if (sources.length === 0) return [];
        this.parameterReads++;
        this.evaluating.add(declaration);
        try {
          return sources.flatMap((s) => this.objectLiterals(s.expression, s.module, depth + 1));
        } finally {
          this.evaluating.delete(declaration);
        }
      }
      if (declaration && !isVariableDeclaration(declaration)) return [];
      if (declaration && !isConstDeclaration(declaration)) return [];
      // A value defined through itself (`const db = await db.open()`) is not followed round again.
      const key = declaration ?? value;
      if (this.evaluating.has(key)) return [];
      this.evaluating.add(key);
      try {
        return this.valuesOf(value, module, depth).flatMap((v) => this.objectLiterals(v.expression, v.module, depth + 1));
      } finally {
        this.evaluating.delete(key);
      }
    }
    if (isPropertyAccessExpression(value)) {
      const members = this.objectMembers(value.expression, value.name.text, module, depth + 1).flatMap((m) =>
        m.value ? this.objectLiterals(m.value.expression, m.value.module, depth + 1) : [],
      );
      if (members.length > 0) return members;
      // A field holding an object literal (`this.deps = { db }`, `service.deps.db`): what it is assigned.
      const receiver = unwrapExpression(value.expression);
      const instance = receiver.kind === SyntaxKind.ThisKeyword ? undefined : this.classOfInstance(receiver, module, depth + 1);
      const fields =
        receiver.kind === SyntaxKind.ThisKeyword
          ? this.thisMemberValues(value, module)
          : instance
            ? this.classMemberValues(instance, value.name.text)
            : [];
      return fields.flatMap((f) => this.objectLiterals(f.expression, f.module, depth + 1).concat(this.constructorArguments(f, depth)));
    }
    // `MODELS["large"]`: a property of a table named by a literal or a constant.
    if (isElementAccessExpression(value)) {
      const argument = unwrapExpression(value.argumentExpression);
      const key = isStringLiteralLike(argument) ? argument.text : this.constantKey(argument, depth);
      if (key === undefined) return [];
      return this.objectMembers(value.expression, key, module, depth + 1).flatMap((m) =>
        m.value ? this.objectLiterals(m.value.expression, m.value.module, depth + 1) : [],
      );
    }
    if (isCallExpression(value)) {
      const fn = this.calledFunction(unwrapExpression(value.expression), module);
      if (!fn || this.evaluating.has(fn.fn)) return [];
      this.evaluating.add(fn.fn);
      try {
        return this.returnedValues(fn.fn, fn.module).flatMap((v) => this.objectLiterals(v.expression, v.module, depth + 1));
      } finally {
        this.evaluating.delete(fn.fn);
      }
    }
    return [];
  }

  /**
   * The object literals a parameter may hold: what the call being walked passes for it (the function
   * is then walked again for each call, see calledOutcome), else what every call met so far passes.
   * A destructured or rest parameter holds no literal of its own.
   */
  private parameterLiterals(
    parameter: ts.ParameterDeclaration,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    if (!isIdentifier(parameter.name) || parameter.dotDotDotToken || this.evaluating.has(parameter)) return [];
    const here = this.callBindings.get(parameter);
    let sources: ValueRef[];
    if (here) {
      const module = this.ctx.loader.moduleBySourceFile.get(here.getSourceFile());
      this.ctx.walker.cutWalk();
      sources = module ? [{ expression: here, module }] : [];
    } else sources = this.argumentsPassedFor(parameter);
    if (sources.length === 0) return [];
    this.parameterReads++;
    this.evaluating.add(parameter);
    try {
      const found = sources.flatMap((s) => this.objectLiterals(s.expression, s.module, depth + 1));
      // The function is walked again for each call only when what this call passes told something
      // (a client handed in as `db` holds no literal: one walk serves every call).
      if (here && found.length > 0) this.readThroughCall.add(parameter.parent);
      return found;
    } finally {
      this.evaluating.delete(parameter);
    }
  }

  /**
   * The functions a parameter used as a callee may hold (`createApp(env)` inside `makeHandler(createApp)`):
   * what the calls met so far pass for it. Empty for anything but a parameter. For the walk, a
   * function given directly is counted where it is given (see callbacksRunBy): this is for
   * handler discovery, which follows what the call returns.
   */
  passedFunctions(callee: ts.Identifier): FunctionRef[] {
    const declaration = declarationOf(callee);
    if (!declaration || !isParameter(declaration)) return [];
    const out: FunctionRef[] = [];
    for (const passed of this.argumentsPassedFor(declaration)) {
      const fn = this.functionFrom(passed.expression, passed.module);
      if (fn && !out.some((f) => f.fn === fn.fn)) out.push(fn);
    }
    return out;
  }

  /**
   * The `[Symbol.asyncIterator]()` method `for await (const x of value)` runs: of a project class the
   * value is an instance of (or its base), or of an object literal it holds.
   */
  asyncIteratorOf(expression: ts.Expression, module: ModuleFacts): FunctionRef | undefined {
    const isIterator = (member: ts.ClassElement | ts.ObjectLiteralElementLike): member is ts.MethodDeclaration =>
      isMethodDeclaration(member) &&
      !!member.body &&
      ts.isComputedPropertyName(member.name) &&
      isPropertyAccessExpression(member.name.expression) &&
      isIdentifier(member.name.expression.expression) &&
      member.name.expression.expression.text === "Symbol" &&
      member.name.expression.name.text === "asyncIterator";
    let ref = this.classOfInstance(expression, module);
    for (let depth = 0; ref && depth <= 8; depth++) {
      const member = ref.cls.members.find(isIterator);
      if (member) return { fn: member, module: ref.module };
      ref = this.baseClassOf(ref);
    }
    for (const { literal, module: at } of this.objectLiterals(expression, module, 0)) {
      const member = literal.properties.find(isIterator);
      if (member) return { fn: member, module: at };
    }
    return undefined;
  }

  /** Property `name` of the object literals an expression may hold: a method, or the value of a property (spreads followed). */
  private objectMembers(
    expression: ts.Expression,
    name: string,
    module: ModuleFacts,
    depth: number,
  ): Array<{ method?: FunctionRef; value?: ValueRef }> {
    const found: Array<{ method?: FunctionRef; value?: ValueRef }> = [];
    for (const { literal, module: at } of this.objectLiterals(expression, module, depth)) {
      // The last property of that name wins, as at run time: read from the end.
      for (let i = literal.properties.length - 1; i >= 0; i--) {
        const property = literal.properties[i]!;
        if (isSpreadAssignment(property)) {
          const spread = this.objectMembers(property.expression, name, at, depth + 1);
          if (spread.length > 0) {
            found.push(...spread);
            break;
          }
          continue;
        }
        if (!property.name || getNameText(property.name) !== name) continue;
        if (isMethodDeclaration(property)) found.push({ method: { fn: property, module: at } });
        else if (isPropertyAssignment(property)) found.push({ value: { expression: property.initializer, module: at } });
        else if (isShorthandPropertyAssignment(property)) found.push({ value: { expression: property.name, module: at } });
        break;
      }
    }
    return found;
  }

  /** `env.NAME`, `c.env.NAME`, `this.env.NAME`, `context.env.NAME`, or `NAME` destructured from one. */
  bindingOf(expression: ts.Expression, depth = 0): { name: string; kind: keyof BindingNames } | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    let name: string | undefined;
    if (isPropertyAccessExpression(value) && isEnvLike(value.expression)) name = value.name.text;
    else if (isElementAccessExpression(value) && isEnvLike(value.expression) && isStringLiteralLike(value.argumentExpression))
      name = value.argumentExpression.text;
    else if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isBindingElement(declaration)) {
        const pattern = declaration.parent;
        const source = isVariableDeclaration(pattern.parent) ? pattern.parent.initializer : undefined;
        const fromParam = isParameter(pattern.parent);
        if ((source && isEnvLike(source)) || (fromParam && isObjectBindingPattern(pattern)))
          name = (
            declaration.propertyName && isIdentifier(declaration.propertyName)
              ? declaration.propertyName
              : (declaration.name as ts.Identifier)
          ).text;
      } else if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
        return this.bindingOf(declaration.initializer, depth + 1);
      } else if (!declaration && !this.ctx.loader.moduleBySourceFile.get(value.getSourceFile())?.imports.has(value.text)) {
        // Service-worker syntax: bindings are globals (`MY_KV.get(key)`).
        name = value.text;
      }
    }
    if (!name) return undefined;
    const kind = this.ctx.bindingKinds.get(name);
    return kind ? { name, kind } : undefined;
  }

  /**
   * The binding whose method made a value, through variables: `env.DISPATCHER.get(name)` (a
   * dispatch namespace's user Worker), `env.ROOM.get(id)` (a Durable Object stub).
   */
  bindingStubOf(expression: ts.Expression, depth = 0): { name: string; kind: keyof BindingNames } | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression)) return this.bindingOf(value.expression.expression);
    if (!isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    return declaration && isVariableDeclaration(declaration) && declaration.initializer
      ? this.bindingStubOf(declaration.initializer, depth + 1)
      : undefined;
  }

  isIncomingRequest(expression: ts.Expression, depth = 0): boolean {
    if (depth > MAX_VALUE_DEPTH) return false;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) {
        const fn = declaration.parent;
        return fn.parameters.indexOf(declaration) === 0 && /^(req|request|r)$/i.test(value.text);
      }
      if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
        const init = unwrapExpression(declaration.initializer);
        if (isNewExpression(init) && isIdentifier(init.expression) && init.expression.text === "Request" && init.arguments?.[0])
          return this.isIncomingRequest(init.arguments[0], depth + 1);
      }
      return false;
    }
    if (isPropertyAccessExpression(value))
      return (
        (value.name.text === "raw" && isPropertyAccessExpression(value.expression) && value.expression.name.text === "req") ||
        (value.name.text === "request" && isIdentifier(value.expression))
      );
    if (isNewExpression(value) && isIdentifier(value.expression) && value.expression.text === "Request" && value.arguments?.[0]) {
      const first = unwrapExpression(value.arguments[0]);
      return (
        this.isIncomingRequest(first, depth + 1) ||
        (isPropertyAccessExpression(first) && first.name.text === "url" && this.isIncomingRequest(first.expression, depth + 1))
      );
    }
    return false;
  }

  /** The host a database client connects to: a URL string, `{ url, host }`, or Hyperdrive. */
  connectionTarget(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    if (isPropertyAccessExpression(value) && value.name.text === "connectionString") {
      const binding = this.bindingOf(unwrapExpression(value.expression));
      if (binding?.kind === "hyperdrive") return `hyperdrive:${binding.name}`;
    }
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (!isPropertyAssignment(property) || !property.name || !isIdentifier(property.name)) continue;
        if (["url", "connectionString", "host", "hostname", "databaseUrl", "datasourceUrl"].includes(property.name.text)) {
          const found = this.connectionTarget(property.initializer);
          if (found) return found;
        }
      }
      return undefined;
    }
    const text = this.evaluateString(value, 0);
    if (text === undefined) return undefined;
    return hostOf(text) ?? (isPlainHost(text) ? text.toLowerCase() : undefined);
  }

  socketTarget(expression: ts.Expression | undefined): string | null {
    if (!expression) return null;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (isPropertyAssignment(property) && property.name && isIdentifier(property.name) && property.name.text === "hostname") {
          const host = this.evaluateString(property.initializer, 0);
          return host && !host.includes(HOLE) ? host.toLowerCase() : null;
        }
      }
      return null;
    }
    const text = this.evaluateString(value, 0);
    if (!text || text.includes(HOLE)) return null;
    return text.split(":")[0]!.toLowerCase() || null;
  }

  /**
   * The string an expression evaluates to, with HOLE where a part is unknown: literals, templates,
   * concatenation, constants, `[vars]` through `env.X`, `new URL(path, base)`, `url.href`. Undefined
   * when unknown, or when it may be one of several strings (see evaluateStrings).
   */
  evaluateString(expression: ts.Expression, depth: number): string | undefined {
    const texts = this.evaluateStrings(expression, depth);
    return texts && texts.length === 1 ? texts[0] : undefined;
  }

  /**
   * Every string an expression may evaluate to (at most MAX_CANDIDATES, each with HOLE where a part
   * is unknown), or undefined when one of them is unknown: besides what evaluateString follows,
   * both sides of `c ? a : b`, the entries of a constant table read with a key known at run time
   * (`HOSTS[region]`), every value a `let` is assigned, what a project function returns (its
   * parameters bound to the call's arguments) and every value a field is given.
   */
  evaluateStrings(expression: ts.Expression, depth: number): readonly string[] | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isStringLiteralLike(value)) return [value.text];
    if (isTemplateExpression(value)) {
      let texts: readonly string[] | undefined = [value.head.text];
      for (const span of value.templateSpans) {
        texts = joined(texts, this.evaluateStrings(span.expression, depth + 1) ?? [HOLE], span.literal.text);
        if (!texts) return undefined;
      }
      return texts;
    }
    if (isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (operator === SyntaxKind.PlusToken)
        return joined(this.evaluateStrings(value.left, depth + 1) ?? [HOLE], this.evaluateStrings(value.right, depth + 1) ?? [HOLE], "");
      // `env.API_BASE ?? "https://..."`: a string on the left is what it evaluates to (`||`: a non-empty one).
      if (operator === SyntaxKind.QuestionQuestionToken || operator === SyntaxKind.BarBarToken) {
        const left = this.evaluateStrings(value.left, depth + 1);
        if (left && left.every((t) => t !== "")) return left;
        // `env.TOKEN_URL || "https://..."` with `TOKEN_URL = ""` in [vars]: the empty string is falsy, the right side is used.
        if (left && operator === SyntaxKind.BarBarToken) {
          const set = left.filter((t) => t !== "");
          const right = this.evaluateStrings(value.right, depth + 1);
          return set.length === 0 ? right : union(set, right);
        }
        // `opts.baseUrl || DEFAULT_BASE` where no call gives `baseUrl`: the default.
        if (!left && this.neverGiven(value.left)) return this.evaluateStrings(value.right, depth + 1);
        return undefined;
      }
      return undefined;
    }
    if (isConditionalExpression(value)) {
      // `env.STAGE === "prod" ? A : B` with STAGE in [vars]: the branch it takes.
      const decided = this.comparison(value.condition, depth + 1);
      if (decided !== undefined) return this.evaluateStrings(decided ? value.whenTrue : value.whenFalse, depth + 1);
      return union(this.evaluateStrings(value.whenTrue, depth + 1), this.evaluateStrings(value.whenFalse, depth + 1));
    }
    if (isPropertyAccessExpression(value) || isElementAccessExpression(value)) {
      // Nuxt / Nitro `useRuntimeConfig().public.apiBase` given as a literal in nuxt.config.
      const runtimeConfig = this.runtimeConfigString(value);
      if (runtimeConfig !== undefined) return runtimeConfig ?? undefined;
      const name = isPropertyAccessExpression(value)
        ? value.name.text
        : isStringLiteralLike(value.argumentExpression)
          ? value.argumentExpression.text
          : undefined;
      if (name && isEnvLike(value.expression) && name in this.ctx.input.vars) return [this.ctx.input.vars[name]!];
      if (name === "href" || name === "toString") return this.evaluateStrings(value.expression, depth + 1);
      // A URL's path always starts with "/": a URL made from it (`upstream + url.pathname`) is a path when `upstream` is empty.
      if (name === "pathname" && !isEnvLike(value.expression)) return ["/" + HOLE];
      // `this.base` in a method of an object literal (`const api = { base: "...", url(p) { ... } }`): that property.
      const literal = name && value.expression.kind === SyntaxKind.ThisKeyword ? objectOfMethod(value) : undefined;
      if (literal && name) {
        const property = literal.properties.find(
          (p): p is ts.PropertyAssignment => isPropertyAssignment(p) && !!p.name && getNameText(p.name) === name,
        );
        return property ? this.evaluateStrings(property.initializer, depth + 1) : undefined;
      }
      // A field of the class it is read in (`this.baseUrl`): every value it is given.
      if (name && isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const cls = findAncestor(value, isClassLike);
        const key = cls && `${cls.pos}\u0000${name}\u0000${value.getSourceFile().fileName}`;
        if (!module || !key || this.evaluatingFields.has(key)) return undefined;
        const sources = this.thisMemberValues(value, module);
        this.evaluatingFields.add(key);
        try {
          return sources.length ? unionOf(sources.map((source) => this.evaluateStrings(source.expression, depth + 1))) : undefined;
        } finally {
          this.evaluatingFields.delete(key);
        }
      }
      // `this.opts.baseUrl`: that property of what the field holds (a constructor's parameter property, given by `new`).
      if (
        name &&
        isPropertyAccessExpression(value) &&
        isPropertyAccessExpression(value.expression) &&
        value.expression.expression.kind === SyntaxKind.ThisKeyword
      ) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const cls = findAncestor(value, isClassLike);
        const key = cls && `${cls.pos}\u0000${value.expression.name.text}.${name}\u0000${value.getSourceFile().fileName}`;
        if (!module || !key || this.evaluatingFields.has(key)) return undefined;
        this.evaluatingFields.add(key);
        try {
          const sources = this.thisMemberValues(value.expression, module).flatMap((s) => this.propertyValues(s, name, depth + 1));
          return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
        } finally {
          this.evaluatingFields.delete(key);
        }
      }
      // `loadEnv(env).apiUrl`: that property of what a project function returns, its parameters bound to the call's arguments.
      const holder = unwrapExpression(value.expression);
      if (name !== undefined && isCallExpression(holder)) {
        const returned = this.returnedStrings(holder, depth, name);
        if (returned) return returned;
        // `loadEnv(c.env).PHOTON_URL` where the helper validates the env (a schema's `parse`): a [vars] name read
        // from what a function given the env returns is that var.
        if (name in this.ctx.input.vars && holder.arguments.some((a) => isEnvLike(a))) return [this.ctx.input.vars[name]!];
        return undefined;
      }
      // `PROVIDERS[provider].tokenUrl`: that property of the constant table's entry the key names, or of every entry.
      if (name !== undefined && isElementAccessExpression(holder) && isIdentifier(holder.expression)) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const sources = module ? this.propertyValues({ expression: holder, module }, name, depth + 1) : [];
        return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
      }
      if (isIdentifier(value.expression)) {
        // A parameter bound to what the call being evaluated passes (`function loadEnv(e) { return { url: e.API_URL } }`).
        const parameter = declarationOf(value.expression);
        const bound = parameter && isParameter(parameter) ? this.boundArguments.get(parameter) : undefined;
        if (bound && name !== undefined) {
          if (isEnvLike(bound)) return name in this.ctx.input.vars ? [this.ctx.input.vars[name]!] : undefined;
          const module = this.ctx.loader.moduleBySourceFile.get(bound.getSourceFile());
          const sources = module ? this.propertyValues({ expression: bound, module }, name, depth + 1) : [];
          return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
        }
        // A constant object: CONFIG.API_BASE
        const declaration = declarationOf(value.expression);
        const variable = declaration && isVariableDeclaration(declaration) ? declaration : undefined;
        const init = variable?.initializer ? unwrapExpression(variable.initializer) : undefined;
        // A constant list: `URLS[0]` is that element, `URLS[i]` any of them.
        if (variable && init && isArrayLiteralExpression(init) && isElementAccessExpression(value) && isConstDeclaration(variable)) {
          const index = unwrapExpression(value.argumentExpression);
          const elements = init.elements;
          if (elements.length === 0 || elements.some((e) => isSpreadElement(e))) return undefined;
          if (ts.isNumericLiteral(index)) {
            const element = elements[Number(index.text)];
            return element ? this.evaluateStrings(element, depth + 1) : undefined;
          }
          return unionOf(elements.map((e) => this.evaluateStrings(e, depth + 1)));
        }
        if (init && isObjectLiteralExpression(init)) {
          if (name === undefined) return this.tableValues(init, depth);
          const property = init.properties.find(
            (p): p is ts.PropertyAssignment =>
              isPropertyAssignment(p) && !!p.name && (isIdentifier(p.name) || isStringLiteral(p.name)) && p.name.text === name,
          );
          if (property) return this.evaluateStrings(property.initializer, depth + 1);
        }
        // `RouteBases.api` imported from a well-known package (`discord-api-types/v10`): its documented value.
        if (name !== undefined && !declaration) {
          const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
          const imported = module?.imports.get(value.expression.text);
          const known = imported && imported.name !== "*" ? packageUrlConstant(imported.module, imported.name, name) : undefined;
          if (known) return [known];
        }
        // `cfg.API` where `const cfg = CONFIG[env.MODE]` (or a `let`, or what a function returns): every value it may hold there.
        if (name !== undefined && (!init || !isObjectLiteralExpression(init))) {
          const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
          const sources = module ? this.propertyValues({ expression: value.expression, module }, name, depth + 1) : [];
          if (sources.length) return unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1)));
        }
        // `opts.baseUrl` where `opts` is a parameter: that property of what the call passes (see urlHosts).
        if (name !== undefined && declaration && isParameter(declaration) && !isEnvLike(value.expression)) {
          const passed = this.passedFor(declaration);
          if (!passed) return undefined;
          const sources = passed.flatMap((s) => this.propertyValues(s, name, depth + 1));
          return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
        }
      }
      return undefined;
    }
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "toString")
      return this.evaluateStrings(value.expression.expression, depth + 1);
    // `[BASE, "v1", path].join("/")`, `BASE.concat(path)`.
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression)) {
      const method = value.expression.name.text;
      const receiver = unwrapExpression(value.expression.expression);
      if (method === "join" && isArrayLiteralExpression(receiver) && receiver.elements.every((e) => !isSpreadElement(e))) {
        const [separator] = value.arguments;
        const glue = separator ? this.evaluateStrings(separator, depth + 1) : [","];
        if (!glue || glue.length !== 1) return undefined;
        let texts: readonly string[] | undefined = [""];
        receiver.elements.forEach((element, i) => {
          texts = joined(texts, this.evaluateStrings(element, depth + 1) ?? [HOLE], i < receiver.elements.length - 1 ? glue[0]! : "");
        });
        return texts;
      }
      // \`template.replace("{z}", z)\` on a URL template from [vars]: the pattern's place becomes what replaces it.
      if ((method === "replace" || method === "replaceAll") && value.arguments.length === 2) {
        const [pattern, replacement] = value.arguments as unknown as [ts.Expression, ts.Expression];
        if (!isStringLiteralLike(pattern)) return undefined;
        const texts = this.evaluateStrings(receiver, depth + 1);
        const by = this.evaluateStrings(replacement, depth + 1);
        const glue = by && by.length === 1 ? by[0]! : HOLE;
        if (!texts || pattern.text === "") return texts;
        return texts.map((t) => (method === "replace" ? t.replace(pattern.text, () => glue) : t.split(pattern.text).join(glue)));
      }
      if (method === "concat" && !isArrayLiteralExpression(receiver)) {
        let texts = this.evaluateStrings(receiver, depth + 1);
        for (const argument of value.arguments) texts = joined(texts, this.evaluateStrings(argument, depth + 1) ?? [HOLE], "");
        return texts;
      }
    }
    if (
      isNewExpression(value) &&
      isIdentifier(value.expression) &&
      (value.expression.text === "URL" || value.expression.text === "Request")
    ) {
      const [first, second] = value.arguments ?? [];
      if (!first) return undefined;
      const paths = this.evaluateStrings(first, depth + 1);
      if (value.expression.text === "Request" || !second) return paths;
      // An absolute URL keeps its own host; a path takes the base's.
      if (paths && paths.every((p) => hostOf(p))) return paths;
      const bases = this.evaluateStrings(second, depth + 1);
      return paths ? unionOf(paths.map((p) => (hostOf(p) ? [p] : bases))) : bases;
    }
    // `apiUrl("/users")`: what a function of the project returns, its parameters bound to the call's arguments.
    if (isCallExpression(value)) return this.returnedStrings(value, depth);
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) {
        const bound = this.boundArguments.get(declaration);
        if (bound) return this.evaluateStrings(bound, depth + 1);
        // `httpGet(url)` walked for one of its calls: what that call passes. The walk then depends on
        // the call, and is neither kept nor reused for other calls (see PathWalker.call).
        const passedHere = this.readingCallArguments ? this.callBindings.get(declaration) : undefined;
        if (passedHere) {
          this.readThroughCall.add(declaration.parent);
          this.ctx.walker.cutWalk();
          return this.evaluateStrings(passedHere, depth + 1);
        }
        // A parameter: what the calls met so far pass for it (`getJson("https://api.github.com/user")`).
        if (!this.readingArguments) {
          this.parameterHoles++;
          return undefined;
        }
        const passed = this.argumentsPassedFor(declaration);
        return passed.length ? unionOf(passed.map((a) => this.evaluateStrings(a.expression, depth + 1))) : undefined;
      }
      // Destructured from Nuxt / Nitro's runtime config (`const { dohUrl } = useRuntimeConfig(event)`).
      if (declaration && isBindingElement(declaration)) {
        const runtimeConfig = this.runtimeConfigString(value);
        if (runtimeConfig !== undefined) return runtimeConfig ?? undefined;
      }
      // Destructured from the environment (`const { API_URL } = env`, `function load(r, { API_URL }: Env)`): `[vars]`.
      if (declaration && isBindingElement(declaration)) {
        const fromVars = this.destructuredVar(declaration);
        if (fromVars !== undefined) return [fromVars];
      }
      // Destructured (`const { url } = config`, `function load({ url })`): what the source holds there.
      if (declaration && isBindingElement(declaration)) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const sources = module ? this.destructuredValues(declaration, module, depth) : [];
        return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
      }
      // Declared in the file: a constant, or a `let` with every value assigned to it. Otherwise maybe imported.
      if (declaration) {
        if (!isVariableDeclaration(declaration)) return undefined;
        const host = this.reassignedHost(value, declaration, depth);
        if (host === null) return undefined;
        // A value defined through itself (`url = url + "/x"`) is not followed round again.
        if (this.evaluating.has(declaration)) return undefined;
        this.evaluating.add(declaration);
        let texts: readonly string[] | undefined;
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const elements = module && this.forOfElements(declaration, module);
        try {
          texts = elements
            ? elements.length
              ? unionOf(elements.map((e) => this.evaluateStrings(e.expression, depth + 1)))
              : undefined
            : isConstDeclaration(declaration)
              ? declaration.initializer && this.evaluateStrings(declaration.initializer, depth + 1)
              : this.assignedStrings(declaration, depth);
        } finally {
          this.evaluating.delete(declaration);
        }
        if (host === undefined) return texts;
        // The URL keeps its path; a URL made from the incoming request gets a scheme and the new host.
        if (texts === undefined) return [`https://${host}${HOLE}`];
        return texts.map((text) =>
          hostOf(text) ? text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*/i, `$1${host}`) : `https://${host}${HOLE}`,
        );
      }
      // Service-worker syntax: `[vars]` entries are globals (`TARGET_UPSTREAM`).
      const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
      if (module && !module.imports.has(value.text) && Object.hasOwn(this.ctx.input.vars, value.text))
        return [this.ctx.input.vars[value.text]!];
      return this.importedConstant(value, depth);
    }
    return undefined;
  }

  /** `a === b` (`!==`, `==`, `!=`) between two strings known for certain (a `[vars]` entry, a literal): its value. */
  private comparison(condition: ts.Expression, depth: number): boolean | undefined {
    const value = unwrapExpression(condition);
    if (!isBinaryExpression(value)) return undefined;
    const operator = value.operatorToken.kind;
    const equal = operator === SyntaxKind.EqualsEqualsEqualsToken || operator === SyntaxKind.EqualsEqualsToken;
    if (!equal && operator !== SyntaxKind.ExclamationEqualsEqualsToken && operator !== SyntaxKind.ExclamationEqualsToken) return undefined;
    const left = this.evaluateString(value.left, depth + 1);
    const right = this.evaluateString(value.right, depth + 1);
    if (left === undefined || right === undefined || left.includes(HOLE) || right.includes(HOLE)) return undefined;
    return (left === right) === equal;
  }

  /**
   * A `[vars]` entry destructured from the environment: `const { API_URL } = env` (or `c.env`), or a
   * parameter `{ API_URL }: Env` (typed as the environment, or given it by the calls met so far).
   */
  private destructuredVar(element: ts.BindingElement): string | undefined {
    const pattern = element.parent;
    const key = element.propertyName ?? element.name;
    if (!isObjectBindingPattern(pattern) || !isIdentifier(key) || !(key.text in this.ctx.input.vars)) return undefined;
    const holder = pattern.parent;
    const value = this.ctx.input.vars[key.text];
    if (isVariableDeclaration(holder)) return holder.initializer && isEnvLike(holder.initializer) ? value : undefined;
    if (!isParameter(holder)) return undefined;
    const type = holder.type;
    if (type && ts.isTypeReferenceNode(type) && isIdentifier(type.typeName) && /(^|[a-z])(Env|Bindings)$|^env$/i.test(type.typeName.text))
      return value;
    if (!this.readingArguments) {
      this.parameterHoles++;
      return undefined;
    }
    const passed = this.argumentsPassedFor(holder);
    return passed.length > 0 && passed.every((p) => isEnvLike(p.expression)) ? value : undefined;
  }

  /**
   * A Nuxt / Nitro runtime config value read through `useRuntimeConfig()`: the literal nuxt.config
   * gives it ([text]); null (unknown, a host from configuration: see configured.ts) when the config
   * leaves it to an environment variable; undefined when the expression is no such read.
   */
  private runtimeConfigString(value: ts.Expression): readonly string[] | null | undefined {
    if (!isIdentifier(value) && !isPropertyAccessExpression(value)) return undefined;
    const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
    const path = module && runtimeConfigPath(value, module);
    if (!path?.length) return undefined;
    const text = runtimeConfigValue(this.ctx, path);
    return text === null ? null : [text];
  }

  /** `ORIGINS[key]` with a key only known at run time: every value of the constant table. */
  private tableValues(table: ts.ObjectLiteralExpression, depth: number): readonly string[] | undefined {
    const all: Array<readonly string[] | undefined> = [];
    for (const property of table.properties) {
      if (!isPropertyAssignment(property)) return undefined;
      all.push(this.evaluateStrings(property.initializer, depth + 1));
    }
    return all.length ? unionOf(all) : undefined;
  }

  /**
   * A `let` (or `var`): its initializer and every value assigned to it in its file, in any order
   * (an empty initializer that assignments replace is no candidate); `x += e` appends an unknown
   * part to each. Undefined when one of them is unknown.
   */
  private assignedStrings(declaration: ts.VariableDeclaration, depth: number): readonly string[] | undefined {
    if (!isIdentifier(declaration.name)) return undefined;
    const module = this.ctx.loader.moduleBySourceFile.get(declaration.getSourceFile());
    if (!module) return undefined;
    const own = (assignments: readonly ts.BinaryExpression[] | undefined) =>
      (assignments ?? []).filter((a) => isIdentifier(a.left) && declarationOf(a.left) === declaration);
    const assigned = own(module.assignments.get(declaration.name.text));
    const init = declaration.initializer;
    const sources: ts.Expression[] = assigned.map((a) => a.right);
    if (
      init &&
      !(assigned.length > 0 && isStringLiteralLike(unwrapExpression(init)) && (unwrapExpression(init) as ts.StringLiteralLike).text === "")
    )
      sources.unshift(init);
    if (sources.length === 0) return undefined;
    const texts = unionOf(sources.map((source) => this.evaluateStrings(source, depth + 1)));
    if (!texts || own(module.assignments.get(declaration.name.text + " +=")).length === 0) return texts;
    return texts.map((text) => text + HOLE);
  }

  /** What a project function returns for this call, its parameters bound to the call's arguments. */
  private returnedStrings(call: ts.CallExpression, depth: number, property?: string): readonly string[] | undefined {
    const module = this.ctx.loader.moduleBySourceFile.get(call.getSourceFile());
    const fn = module && this.calledFunction(unwrapExpression(call.expression), module);
    // A recursive function's returns are not followed round again.
    if (!fn || !fn.fn.body || this.evaluating.has(fn.fn)) return undefined;
    // With a property: that property of the objects it returns (`loadEnv(env).apiUrl`).
    const returned =
      property === undefined
        ? this.returnedValues(fn.fn, fn.module)
        : this.returnedValues(fn.fn, fn.module).flatMap((r) => this.propertyValues(r, property, depth + 1));
    if (returned.length === 0) return undefined;
    const bound: Array<[ts.ParameterDeclaration, ts.Expression | undefined]> = fn.fn.parameters.map((parameter) => [
      parameter,
      this.boundArguments.get(parameter),
    ]);
    fn.fn.parameters.forEach((parameter, i) => {
      const argument = call.arguments[i] ?? parameter.initializer;
      if (argument && !parameter.dotDotDotToken) this.boundArguments.set(parameter, argument);
    });
    this.evaluating.add(fn.fn);
    try {
      return unionOf(returned.map((r) => this.evaluateStrings(r.expression, depth + 1)));
    } finally {
      this.evaluating.delete(fn.fn);
      for (const [parameter, previous] of bound) {
        if (previous) this.boundArguments.set(parameter, previous);
        else this.boundArguments.delete(parameter);
      }
    }
  }

  /**
   * `url.hostname = "api.example.com"` (or `url.host`) on a URL object before `use`, in a block
   * that holds the use: the host the URL then has. Undefined when no such assignment is seen, null
   * when one is and its host is unknown (the URL is then unknown, never the original host).
   */
  private reassignedHost(use: ts.Identifier, declaration: ts.VariableDeclaration, depth: number): string | null | undefined {
    if (!isIdentifier(declaration.name)) return undefined;
    const module = this.ctx.loader.moduleBySourceFile.get(use.getSourceFile());
    if (!module) return undefined;
    const name = declaration.name.text;
    const assigned = [...(module.assignments.get(name + ".hostname") ?? []), ...(module.assignments.get(name + ".host") ?? [])].filter(
      (assignment) => {
        const left = assignment.left as ts.PropertyAccessExpression;
        const block = assignment.parent.parent;
        return (
          isIdentifier(left.expression) &&
          declarationOf(left.expression) === declaration &&
          assignment.end <= use.getStart() &&
          !!block &&
          block.pos <= use.pos &&
          use.end <= block.end
        );
      },
    );
    if (assigned.length === 0) return undefined;
    const hosts = new Set(
      assigned.map((assignment) => {
        const text = this.evaluateString(assignment.right, depth + 1);
        return text !== undefined && isPlainHost(text.split(":")[0]!) ? text.split(":")[0]!.toLowerCase() : undefined;
      }),
    );
    const [only] = hosts;
    return hosts.size === 1 && only !== undefined ? only : null;
  }

  /** `API_BASE` imported from the module that declares `export const API_BASE = "https://..."`. */
  private importedConstant(identifier: ts.Identifier, depth: number): readonly string[] | undefined {
    const module = this.ctx.loader.moduleBySourceFile.get(identifier.getSourceFile());
    const imported = module?.imports.get(identifier.text);
    if (!module || !imported) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const exported = target?.exports.get(imported.name);
    const variable = exported?.local ? target?.variables.get(exported.local) : undefined;
    return variable?.initializer ? this.evaluateStrings(variable.initializer, depth + 1) : undefined;
  }

  /** A function value created by a package (`const handler = createRequestHandler(build)`). */
  madeByPackage(identifier: ts.Identifier, module: ModuleFacts): { call: string; module: string } | undefined {
    const declaration = declarationOf(identifier);
    const init =
      declaration && isVariableDeclaration(declaration) && declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
    if (!init || !(isCallExpression(init) || isNewExpression(init))) return undefined;
    const root = rootImport(init.expression, module);
    if (!root || root.module.startsWith(".") || root.module.startsWith("cloudflare:") || isKnownLibraryModule(root.module))
      return undefined;
    return { call: truncate(printNode(init.expression)), module: root.module };
  }

  // ---- values that travel: what a name, a field or a call may hold ----

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
      // While arguments are read (see urlHosts, fieldValues): what the calls met so far pass for it.
      return given.length > 0 || !this.readingArguments ? given : this.argumentsPassedFor(declaration);
    }
    if (declaration) return [];
    const imported = module.imports.get(identifier.text);
    if (!imported || imported.name === "*") return [];
    const imports = this.ctx.loader.moduleFor(imported.module, module);
    const found = imports ? this.exportOf(imported.name, imports) : undefined;
    if (!found) return [];
    const { binding: exported, module: target } = found;
    if (exported.expression) return [{ expression: exported.expression, module: target }];
    const variable = exported.local ? target.variables.get(exported.local) : undefined;
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
  private forOfElements(declaration: ts.VariableDeclaration, module: ModuleFacts): ValueRef[] | undefined {
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
      if (isIdentifier(assignment.left) && declarationOf(assignment.left) === declaration)
        values.push({ expression: assignment.right, module });
    }
    return values;
  }

  /** What a class field holds: its initializer and `this.name = e` anywhere in the class. */
  memberValues(cls: ts.ClassLikeDeclaration, name: string, module: ModuleFacts): ValueRef[] {
    const values: ValueRef[] = [];
    for (const member of cls.members) {
      if (isPropertyDeclaration(member) && member.initializer && member.name && isIdentifier(member.name) && member.name.text === name)
        values.push({ expression: member.initializer, module });
      // `constructor(private db = createDb())`: a parameter property.
      // `constructor(private db = createDb())`, `constructor(private db: Db)`: a parameter property,
      // holding its default or what `new` was given.
      if (isConstructorDeclaration(member))
        for (const parameter of member.parameters) {
          if (!isIdentifier(parameter.name) || parameter.name.text !== name || !getModifiers(parameter)?.length) continue;
          if (parameter.initializer) values.push({ expression: parameter.initializer, module });
          if (!this.callArguments.has(parameter)) this.noteModuleInstances(cls);
          values.push(...this.argumentsPassedFor(parameter));
        }
    }
    for (const assignment of module.assignments.get("this." + name) ?? []) {
      if (findAncestor(assignment, isClassLike) === cls) values.push({ expression: assignment.right, module });
    }
    return values;
  }

  /**
   * The module-level instances of a class in the modules read (`const users = new UserRepository(db)`):
   * what their `new` gives the constructor is noted, so that a method reached through a parameter
   * typed as the class (`createUser(repo: UserRepository)`), before any instance was met, sees its
   * fields. Once per class.
   */
  private noteModuleInstances(cls: ts.ClassLikeDeclaration): void {
    const name = cls.name?.text;
    if (!name || this.instancesNoted.has(cls)) return;
    this.instancesNoted.add(cls);
    for (const module of this.ctx.loader.modules.values())
      for (const declaration of module.variables.values()) {
        const value = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
        const callee = value && isNewExpression(value) ? unwrapExpression(value.expression) : undefined;
        if (callee && isIdentifier(callee) && callee.text === name) this.classOfInstance(value!, module);
      }
  }

  /** What a function returns: its `return` expressions (not those of functions inside it), or an arrow's body. */
  returnedValues(fn: ts.FunctionLikeDeclaration, module: ModuleFacts): ValueRef[] {
    const body = fn.body;
    if (!body) return [];
    if (!isBlock(body)) return [{ expression: body as ts.Expression, module }];
    return returnExpressions(body).map((expression) => ({ expression, module }));
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
   * `ctx.db` where `ctx` is what a framework passes (see noteFrameworkArgument): what `db` is in
   * the objects it passes; undefined for any other property access.
   */
  frameworkProperty(expression: ts.Expression): ValueRef[] | undefined {
    if (this.frameworkArguments.size === 0 || !isPropertyAccessExpression(expression)) return undefined;
    const receiver = unwrapExpression(expression.expression);
    const declaration = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
    if (!declaration || !isBindingElement(declaration) || !isParameter(declaration.parent.parent)) return undefined;
    const key = declaration.propertyName ?? declaration.name;
    const given = isIdentifier(key) ? this.frameworkArguments.get(declaration.parent.parent)?.get(key.text) : undefined;
    if (!given) return undefined;
    this.ctx.walker.cutWalk();
    return given.flatMap((s) => this.propertyValues(s, expression.name.text, 1));
  }

  /**
   * The key of a context read, `c.get("db")`, `c.var.db`, or h3's `event.context.db` and Astro's
   * `locals.db` when something sets them, when the expression is one.
   */
  contextKey(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    if (isPropertyAccessExpression(value)) {
      const holder = unwrapExpression(value.expression);
      const slot = requestStoreSlot(value);
      if (slot !== undefined && [...this.ctx.loader.modules.values()].some((m) => m.assignments.has(slot))) return value.name.text;
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

  /** The project class an expression is an instance of: `new Repo(env)`, held in a variable or a field. */
  classOfInstance(expression: ts.Expression, module: ModuleFacts, depth = 0): ClassRef | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    // Most receivers of method calls are plain values (`results.push`, `response.json`): asked once each.
    const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
    if (declaration) {
      const known = this.instances.get(declaration);
      if (known !== undefined) return known ?? undefined;
      this.instances.set(declaration, null);
      const found = this.instanceOf(value, module, depth);
      this.instances.set(declaration, found ?? null);
      return found;
    }
    return this.instanceOf(value, module, depth);
  }

  private instanceOf(value: ts.Expression, module: ModuleFacts, depth: number): ClassRef | undefined {
    if (isNewExpression(value)) {
      const callee = unwrapExpression(value.expression);
      if (!isIdentifier(callee)) return undefined;
      const declaration = declarationOf(callee);
      const found = declaration && isClassLike(declaration) ? { cls: declaration, module } : this.classNamed(callee.text, module);
      // What the constructor is given is what its fields hold: `new Store(c.get("db"))`.
      const constructor = found ? this.constructorOf(found) : undefined;
      if (constructor && value.arguments) this.noteArguments(constructor, value.arguments, module);
      // And what it passes on to its base class's: `super({ ...opts, baseUrl })`.
      let ref = constructor && found ? { fn: constructor, cls: findAncestor(constructor.fn, isClassLike) } : undefined;
      for (let depth = 0; ref?.cls && depth < 8; depth++) {
        const superCall = superCallIn(ref.fn.fn);
        const base = superCall ? this.baseClassOf({ cls: ref.cls, module: ref.fn.module }) : undefined;
        const baseConstructor = base ? this.constructorOf(base) : undefined;
        if (!superCall || !baseConstructor) break;
        this.noteArguments(baseConstructor, superCall.arguments, ref.fn.module);
        ref = { fn: baseConstructor, cls: findAncestor(baseConstructor.fn, isClassLike) };
      }
      return found;
    }
    // `c.get("repo")`, `c.var.repo`: what middleware put in the request context (`c.set("repo", new Repo(db))`).
    const key = this.contextKey(value);
    if (key !== undefined) {
      for (const source of this.contextValues(key)) {
        const found = this.classOfInstance(source.expression, source.module, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    // `const gateway = await getGateway(env)`: what the project's factory returns.
    const called = isAwaitExpression(value) ? unwrapExpression(value.expression) : value;
    if (isCallExpression(called)) return this.callInstance(called, module, depth);
    const sources = isIdentifier(value)
      ? this.valuesOf(value, module, depth)
      : isPropertyAccessExpression(value)
        ? // `ctx.store` where `ctx` is what a framework passes (tRPC's createContext value).
          (this.frameworkProperty(value) ?? this.accessValues(value, module, depth))
        : [];
    for (const source of sources) {
      const found = this.classOfInstance(source.expression, source.module, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * What `a.b` holds, level by level: a field of `this`, a field of the project class `a` is an
   * instance of (`this.api.hasher`, assigned in `Api`'s constructor), or a property of an object
   * literal `a` holds (`this.deps.db` over `this.deps = { db: new Db() }`).
   */
  private accessValues(access: ts.PropertyAccessExpression, module: ModuleFacts, depth: number): ValueRef[] {
    if (depth > MAX_VALUE_DEPTH) return [];
    const receiver = unwrapExpression(access.expression);
    if (receiver.kind === SyntaxKind.ThisKeyword) return this.thisMemberValues(access, module);
    const instance = this.classOfInstance(receiver, module, depth + 1);
    if (instance) {
      const fields = this.classMemberValues(instance, access.name.text);
      if (fields.length > 0) return fields;
    }
    const values: ValueRef[] = [];
    for (const member of this.objectMembers(receiver, access.name.text, module, depth + 1)) if (member.value) values.push(member.value);
    return values;
  }

  /**
   * A field set from a constructor's parameter (`constructor(deps) { this.deps = deps }`): the object
   * literals `new` was given for it (`new Service({ db: new Db() })`).
   */
  private constructorArguments(field: ValueRef, depth: number): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    const value = unwrapExpression(field.expression);
    const parameter = isIdentifier(value) ? declarationOf(value) : undefined;
    if (!parameter || !isParameter(parameter) || !isConstructorDeclaration(parameter.parent)) return [];
    return this.argumentsPassedFor(parameter).flatMap((a) => this.objectLiterals(a.expression, a.module, depth + 1));
  }

  /** What a field holds in a project class or the project classes it extends. */
  private classMemberValues(ref: ClassRef, name: string): ValueRef[] {
    let current: ClassRef | undefined = ref;
    for (let depth = 0; current && depth < 8; depth++) {
      const values = this.memberValues(current.cls, name, current.module);
      if (values.length > 0) return values;
      current = this.baseClassOf(current);
    }
    return [];
  }

  /** `this.name` inside a class: what the field holds (in the class, else in the project class it extends). */
  thisMemberValues(access: ts.PropertyAccessExpression, module: ModuleFacts): ValueRef[] {
    const cls = findAncestor(access, isClassLike);
    // A field the class does not set is its base class's (`this.api` assigned in the base's constructor).
    return cls ? this.classMemberValues({ cls, module }, access.name.text) : [];
  }

  /** A method of a project class, or of the project class it extends. */
  methodOf(ref: ClassRef, name: string, depth = 0): FunctionRef | undefined {
    const member = memberFunction(ref.cls, name);
    if (member) return { fn: member, module: ref.module };
    const parent = depth <= 8 ? this.baseClassOf(ref) : undefined;
    return parent ? this.methodOf(parent, name, depth + 1) : undefined;
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
      return isIdentifier(value) && declarationOf(value) === parameter && inWaitingLoop(call, callee.fn);
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
   * Handler discovery met `factory(args)` making the Worker's handler (`export default
   * withErrors(handler)`): what the factory's parameters hold, for the handler it returns.
   */
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

  /**
   * `table[key]` where `table` is a constant object literal whose every value is a function: the
   * functions a dynamic call on it may run. Undefined when any value is not a known function.
   */
  tableFunctions(access: ts.ElementAccessExpression, module: ModuleFacts): FunctionRef[] | undefined {
    const table = unwrapExpression(access.expression);
    if (!isIdentifier(table)) return undefined;
    const declaration = declarationOf(table);
    if (!declaration || !isVariableDeclaration(declaration) || !isConstDeclaration(declaration) || !declaration.initializer)
      return undefined;
    const object = unwrapExpression(declaration.initializer);
    if (!isObjectLiteralExpression(object) || object.properties.length === 0) return undefined;
    const functions: FunctionRef[] = [];
    for (const property of object.properties) {
      const fn = isMethodDeclaration(property)
        ? { fn: property, module }
        : isPropertyAssignment(property)
          ? this.functionFrom(property.initializer, module)
          : isShorthandPropertyAssignment(property)
            ? this.functionFrom(property.name, module)
            : undefined;
      if (!fn) return undefined;
      functions.push(fn);
    }
    return functions;
  }

  /** `const { db } = c.get("services")`: the `db` of the objects the source may hold. */
  private destructuredValues(element: ts.BindingElement, module: ModuleFacts, depth: number): ValueRef[] {
    const pattern = element.parent;
    const holder = pattern.parent;
    const key = element.propertyName ?? element.name;
    if (!isObjectBindingPattern(pattern) || !isIdentifier(key)) return [];
    // `async ({ ctx }) => ...` given by a framework that says what it passes (see noteFrameworkArgument).
    const given = isParameter(holder) ? this.frameworkArguments.get(holder)?.get(key.text) : undefined;
    if (given) {
      // What the framework passes comes from other functions (createContext): not kept.
      this.ctx.walker.cutWalk();
      return given;
    }
    // `function load({ url })`: the property of what the calls pass (read only when asked: see urlHosts).
    if (isParameter(holder)) {
      if (this.readingArguments) return this.argumentsPassedFor(holder).flatMap((s) => this.propertyValues(s, key.text, depth + 1));
      this.parameterHoles++;
      return [];
    }
    if (!isVariableDeclaration(holder)) return [];
    // `for (const { url } of [{ url: A }, { url: B }])`: that property of any element.
    const elements = this.forOfElements(holder, module);
    if (elements) return elements.flatMap((s) => this.propertyValues(s, key.text, depth + 1));
    if (!holder.initializer) return [];
    return this.propertyValues({ expression: holder.initializer, module }, key.text, depth + 1);
  }

  /**
   * `deps.sql` where `deps` is a parameter, or `this.deps.sql` in a class: what property `sql` holds
   * in the values the calls met so far pass for it (`handle({ sql }, id)`, `new Service({ sql })`).
   * The walk is then not kept.
   */
  fieldValues(access: ts.PropertyAccessExpression, module: ModuleFacts): ValueRef[] {
    const holder = unwrapExpression(access.expression);
    let sources: ValueRef[];
    if (isPropertyAccessExpression(holder) && holder.expression.kind === SyntaxKind.ThisKeyword)
      sources = this.thisMemberValues(holder, module);
    else {
      const declaration = isIdentifier(holder) ? declarationOf(holder) : undefined;
      // `holder.prisma = makeClient()` anywhere in the file, for a holder variable (the singleton
      // kept on `globalThis as unknown as { prisma?: ... }`): what is assigned there.
      if (declaration && isVariableDeclaration(declaration) && isIdentifier(holder))
        return (module.assignments.get(`${holder.text}.${access.name.text}`) ?? [])
          .filter(
            (a) =>
              isPropertyAccessExpression(a.left) && isIdentifier(a.left.expression) && declarationOf(a.left.expression) === declaration,
          )
          .map((a) => ({ expression: a.right, module }));
      if (!declaration || !isParameter(declaration)) return [];
      sources = this.argumentsPassedFor(declaration);
    }
    return this.withArguments(() => sources.flatMap((s) => this.propertyValues(s, access.name.text, 0)));
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

  /** What property `name` holds in the object literals a value may be. */
  private propertyValues(source: ValueRef, name: string, depth: number): ValueRef[] {
    if (depth > MAX_VALUE_DEPTH) return [];
    let value = unwrapExpression(source.expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    let sources: ValueRef[] = [];
    if (isObjectLiteralExpression(value)) {
      // The last property of that name wins, as at run time; a spread before it may hold it (`{ ...ctx, storage }`).
      for (let i = value.properties.length - 1; i >= 0; i--) {
        const property = value.properties[i]!;
        if (isPropertyAssignment(property) && isIdentifier(property.name) && property.name.text === name)
          return [{ expression: property.initializer, module: source.module }];
        if (isShorthandPropertyAssignment(property) && property.name.text === name)
          return [{ expression: property.name, module: source.module }];
        if (isSpreadAssignment(property)) {
          const spread = this.propertyValues({ expression: property.expression, module: source.module }, name, depth + 1);
          if (spread.length > 0) return spread;
        }
      }
      return [];
    }
    // `opts.extend ? opts.extend(base) : base`: either.
    if (ts.isConditionalExpression(value))
      return [value.whenTrue, value.whenFalse].flatMap((e) =>
        this.propertyValues({ expression: e, module: source.module }, name, depth + 1),
      );
    const key = this.contextKey(value);
    if (key !== undefined) sources = this.contextValues(key);
    else if (isIdentifier(value)) {
      // `for (const s of SOURCES) fetch(s.url)`: the property of any element (calls go through dispatch instead).
      const declaration = declarationOf(value);
      const elements = declaration && isVariableDeclaration(declaration) ? this.forOfElements(declaration, source.module) : undefined;
      sources = elements ?? this.valuesOf(value, source.module, depth + 1);
    } else if (isElementAccessExpression(value) && isIdentifier(value.expression)) {
      // `CONFIG[environment]`: the entry of a constant table the key names, or any entry when it is only known at run time.
      // A key that is a constant (`TABLE[PROVIDER_X]` with `[PROVIDER_X]: {...}` entries) names its entry too.
      const entry = isStringLiteralLike(value.argumentExpression)
        ? value.argumentExpression.text
        : this.constantKey(value.argumentExpression, depth);
      for (const table of this.valuesOf(value.expression, source.module, depth + 1)) {
        const literal = unwrapExpression(table.expression);
        if (!isObjectLiteralExpression(literal)) continue;
        for (const property of literal.properties)
          if (
            isPropertyAssignment(property) &&
            (entry === undefined ||
              (property.name &&
                (getNameText(property.name) ??
                  (ts.isComputedPropertyName(property.name) ? this.constantKey(property.name.expression, depth) : undefined)) === entry))
          )
            sources.push({ expression: property.initializer, module: table.module });
      }
    } else if (isCallExpression(value) && value.expression.kind === SyntaxKind.ImportKeyword) {
      // `const { handler } = await import("./h")`: that export of the module.
      const target = this.dynamicImportOf(value, source.module);
      const found = target && this.exportOf(name, target);
      return found ? this.exportValues(found) : [];
    } else if (isCallExpression(value)) {
      const fn = this.calledFunction(unwrapExpression(value.expression), source.module);
      if (fn) sources = this.returnedValues(fn.fn, fn.module);
    }
    return sources.flatMap((s) => this.propertyValues(s, name, depth + 1));
  }

  /**
   * The hosts a URL may have (one when it is known; several when it is one of a few, chosen at run
   * time), undefined when one of them is unknown: from the expression alone first, then, if that
   * leaves it unknown, with the arguments the Worker's calls pass for parameters it uses. Reading
   * those makes the walk not kept (see passedArguments), so it is done only when it decides something.
   */
  urlHosts(expression: ts.Expression): readonly string[] | undefined {
    const holes = this.parameterHoles;
    const hosts = hostsOf(this.evaluateStrings(expression, 0));
    // Only a parameter left unread can change the answer the second time.
    if (hosts || this.parameterHoles === holes) return hosts;
    // What the call being walked passes (see withCallArguments), read only when the host depends on it.
    if (this.callBindings.size > 0) {
      const before = this.parameterHoles;
      const bound = hostsOf(this.withCallBindings(() => this.evaluateStrings(expression, 0)));
      if (bound || this.parameterHoles === before) return bound;
      return hostsOf(this.withCallBindings(() => this.withArguments(() => this.evaluateStrings(expression, 0))));
    }
    return hostsOf(this.withArguments(() => this.evaluateStrings(expression, 0)));
  }

  private withCallBindings<T>(fn: () => T): T {
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
    const passed = this.callArguments.get(parameter);
    if (!passed) return [];
    this.ctx.walker.cutWalk();
    return passed;
  }

  /** A key known for certain: an identifier naming a constant string (`PROVIDER_X`), else undefined. */
  private constantKey(expression: ts.Expression, depth: number): string | undefined {
    const key = unwrapExpression(expression);
    if (!isIdentifier(key)) return undefined;
    const declaration = declarationOf(key);
    if (declaration && !(isVariableDeclaration(declaration) && isConstDeclaration(declaration))) return undefined;
    const text = this.evaluateString(key, depth + 1);
    return text !== undefined && !text.includes(HOLE) ? text : undefined;
  }

  /**
   * What a parameter holds: what the call being walked passes (see withCallArguments), or, while the
   * arguments are read (see urlHosts), what the calls met so far pass. Undefined (a hole counted)
   * otherwise.
   */
  private passedFor(parameter: ts.ParameterDeclaration): ValueRef[] | undefined {
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
   * `opts.baseUrl` on a parameter that every call gives an object literal without `baseUrl` (and
   * without spreads): undefined at run time, for certain.
   */
  private neverGiven(expression: ts.Expression): boolean {
    const value = unwrapExpression(expression);
    if (!isPropertyAccessExpression(value) || !isIdentifier(value.expression)) return false;
    const declaration = declarationOf(value.expression);
    if (!declaration || !isParameter(declaration)) return false;
    const passed = this.passedFor(declaration);
    if (!passed || passed.length === 0) return false;
    const name = value.name.text;
    return passed.every(({ expression: arg }) => {
      const literal = unwrapExpression(arg);
      return (
        isObjectLiteralExpression(literal) &&
        literal.properties.every((p) => !isSpreadAssignment(p) && !(p.name && getNameText(p.name) === name))
      );
    });
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

  /** A class's constructor, its own or the nearest project base class's. */
  private constructorOf(ref: ClassRef, depth = 0): FunctionRef | undefined {
    const own = ref.cls.members.find(isConstructorDeclaration);
    if (own) return { fn: own, module: ref.module };
    const parent = depth <= 8 ? this.baseClassOf(ref) : undefined;
    return parent ? this.constructorOf(parent, depth + 1) : undefined;
  }

  /** The project class a class extends, when it is one. */
  baseClassOf(ref: ClassRef): ClassRef | undefined {
    const base = ref.cls.heritageClauses?.find((c) => c.token === SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (base && isIdentifier(base)) return this.classNamed(base.text, ref.module);
    // A class a function of the project makes (`extends EntityCollection<Row>("users")`, a mixin).
    const value = base ? unwrapExpression(base) : undefined;
    if (!value || !isCallExpression(value)) return undefined;
    const factory = this.calledFunction(unwrapExpression(value.expression), ref.module);
    if (!factory || factory.fn === findAncestor(ref.cls, isFunctionLike)) return undefined;
    for (const returned of this.returnedValues(factory.fn, factory.module)) {
      const made = unwrapExpression(returned.expression);
      if (isClassLike(made) && made !== ref.cls) return { cls: made, module: returned.module };
      if (isIdentifier(made)) {
        const declaration = declarationOf(made);
        if (declaration && isClassLike(declaration) && declaration !== ref.cls) return { cls: declaration, module: returned.module };
      }
    }
    return undefined;
  }

  /**
   * The instance a call returns: what a project function returns (`new Store()` from a factory), or
   * the class its type parameter is bound to by a constructor it is given (`get<T>(type: new () => T): T`
   * called with `UserCollection`; also a function it returns that gives a T, as a field made by
   * `users = this.collection(UserCollection)` and called as `repo.users()`).
   */
  private callInstance(call: ts.CallExpression, module: ModuleFacts, depth: number): ClassRef | undefined {
    // `this.load = this.load.bind(this)` reads the call again through the field: once.
    if (this.instanceCalls.has(call)) return undefined;
    this.instanceCalls.add(call);
    try {
      return this.callInstanceOnce(call, module, depth);
    } finally {
      this.instanceCalls.delete(call);
    }
  }

  private callInstanceOnce(call: ts.CallExpression, module: ModuleFacts, depth: number): ClassRef | undefined {
    const callee = unwrapExpression(call.expression);
    const target = this.calledFunction(callee, module);
    if (target) {
      const bound = this.boundClass(target.fn, target.fn.type, call.arguments, module);
      if (bound) return bound;
      // (`return new Card()`, a variable holding one, or another factory's call.)
      for (const returned of this.returnedValues(target.fn, target.module)) {
        const found = this.classOfInstance(returned.expression, returned.module, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    // A field or name holding a function another call made: `users = this.collection(UserCollection)`.
    const held = isPropertyAccessExpression(callee)
      ? this.accessValues(callee, module, depth + 1)
      : isIdentifier(callee)
        ? this.valuesOf(callee, module, depth + 1)
        : [];
    for (const source of held) {
      const maker = unwrapExpression(source.expression);
      if (!isCallExpression(maker)) continue;
      const made = this.calledFunction(unwrapExpression(maker.expression), source.module);
      const type = made?.fn.type;
      if (made && type && isFunctionTypeNode(type)) {
        const bound = this.boundClass(made.fn, type.type, maker.arguments, source.module);
        if (bound) return bound;
      }
    }
    return undefined;
  }

  /** `T` declared by `fn` and bound by a parameter typed `new (...) => T` (or `{ new (...): T }`): the class the call passes there. */
  private boundClass(
    fn: ts.FunctionLikeDeclaration,
    type: ts.TypeNode | undefined,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): ClassRef | undefined {
    if (!type || !isTypeReferenceNode(type) || !isIdentifier(type.typeName)) return undefined;
    const name = type.typeName.text;
    if (!fn.typeParameters?.some((p) => p.name.text === name)) return undefined;
    const makes = (node: ts.TypeNode | undefined): boolean => {
      if (!node) return false;
      const made = isConstructorTypeNode(node)
        ? node.type
        : isTypeLiteralNode(node)
          ? node.members.find(isConstructSignatureDeclaration)?.type
          : undefined;
      return !!made && isTypeReferenceNode(made) && isIdentifier(made.typeName) && made.typeName.text === name;
    };
    const index = fn.parameters.findIndex((p) => makes(p.type));
    const arg = index >= 0 ? args[index] : undefined;
    const value = arg ? unwrapExpression(arg) : undefined;
    if (!value || !isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    if (declaration && isClassLike(declaration)) return { cls: declaration, module };
    return declaration ? undefined : this.classNamed(value.text, module);
  }
}

/**
 * A class's method with a body, or a field holding a function (`read = async (k) => {...}`, which
 * is called like a method); only static ones when `onlyStatic` (`Cache.probe()`).
 */
function memberFunction(cls: ts.ClassLikeDeclaration, name: string, onlyStatic = false): ts.FunctionLikeDeclaration | undefined {
  for (const member of cls.members) {
    if (!member.name || !isIdentifier(member.name) || member.name.text !== name) continue;
    const memberIsStatic = (getModifiers(member as ts.HasModifiers) ?? []).some((m) => m.kind === SyntaxKind.StaticKeyword);
    if (onlyStatic && !memberIsStatic) continue;
    if (isMethodDeclaration(member) && member.body) return member;
    if (isPropertyDeclaration(member) && member.initializer) {
      const init = unwrapExpression(member.initializer);
      if (isArrowFunction(init) || isFunctionExpression(init)) return init;
    }
  }
  return undefined;
}

/** The `super(...)` call a constructor makes, when it makes one as a statement of its body. */
function superCallIn(constructor: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const body = constructor.body;
  if (!body || !ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const call = unwrapExpression(statement.expression);
    if (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword) return call;
  }
  return undefined;
}

/**
 * The first answer `read` gives for one of several values a name may hold or a function may return
 * (`valuesOf`, `returnedValues`): the shape of most "follow the value" questions. Undefined when
 * none answers (a falsy answer is no answer).
 */
export function firstAnswer<T>(sources: readonly ValueRef[], read: (source: ValueRef) => T | undefined): T | undefined {
  for (const source of sources) {
    const found = read(source);
    if (found) return found;
  }
  return undefined;
}

/** How many values one question about the object literals an expression holds may read (see objectLiterals). */
const LITERAL_STEPS = 1000;

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
