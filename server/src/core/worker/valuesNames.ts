// Value resolution: what a name or a callee refers to. Classes and exports by name (through
// re-exports, namespaces, dynamic imports), the function a callee calls (local, imported, a
// method of `this`, of an object literal or of a project class instance), env bindings and the
// incoming request. A pattern about which function or binding an expression is goes here. Part of
// ValueResolver (see valuesCore.ts).
import ts from "typescript";
import { letAssignedValues } from "./letAssignments";
import { IMPLICIT_ASSETS, MAX_VALUE_DEPTH } from "./context";
import { moduleVariable, unwrapExpression, type ExportBinding, type ModuleFacts } from "./module";
import { isKnownLibraryModule, libraryFor } from "./sdks";
import { type BindingNames } from "./types";
import {
  type FunctionRef,
  truncate,
  printNode,
  isEnvLike,
  rootImport,
  isConstDeclaration,
  findAncestor,
  localFunction,
  declarationOf,
} from "./syntax";
import { isFileScoped } from "./scopes";
import { getNameText, objectOfMethod, memberFunction, type ValueRef } from "./valuesCore";
import { InstanceValues } from "./valuesInstances";
import { ownEntry } from "../tables";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  isArrowFunction,
  isAwaitExpression,
  isBindingElement,
  isCallExpression,
  isClassLike,
  isElementAccessExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isStringLiteralLike,
  isVariableDeclaration,
} = ts;

/** Framework helpers that return the function they are given, wrapped: `createMiddleware(fn)`. */
const FUNCTION_WRAPPERS = new Set(["createMiddleware", "defineEventHandler", "eventHandler", "defineMiddleware"]);
/**
 * Functions of a package that return the function they are given, run as it is (by package, then
 * exported name; `default` for a default export): React's `cache(fn)` memoises per request (a tRPC
 * `createContext` is often made so). lodash's `memoize` and `once`, and Next.js's `unstable_cache`
 * (a data cache), run it on the first call and answer later ones from the cache: a call counts
 * once, as the first call does.
 */
const PACKAGE_FUNCTION_WRAPPERS: Readonly<Record<string, readonly string[]>> = {
  react: ["cache"],
  lodash: ["memoize", "once"],
  "lodash-es": ["memoize", "once"],
  "lodash/memoize": ["default"],
  "lodash/once": ["default"],
  "lodash.memoize": ["default"],
  "lodash.once": ["default"],
  "next/cache": ["unstable_cache"],
  // A retry around a function: its usual run is one attempt (see callbackPackages.ts).
  "ts-retry-promise": ["retryDecorator"],
};

/** The wrappers of a package (own entries only: a package named `constructor` has none). */
function packageWrappers(module: string): readonly string[] {
  return ownEntry(PACKAGE_FUNCTION_WRAPPERS, module) ?? [];
}

/** An answer of calledFunction within one question, and what working it out did (see calledFunction). */
interface CalleeAnswer {
  readonly state: number;
  readonly module: ModuleFacts;
  readonly found: FunctionRef | undefined;
  readonly reads: number;
  readonly holes: number;
  readonly cut: boolean;
}

export abstract class NameValues extends InstanceValues {
  /** The method of an object literal each callee names, or null (see calledFunction). */
  private readonly literalMethods = new Map<ts.Node, FunctionRef | null>();
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
    if (exported?.local !== undefined && !exported.element) {
      // `import app from "./auth"; export { app as auth }`: an import exported again is a re-export
      // (a barrel's usual shape). When its module cannot be read, the binding as it is.
      const through = this.importedExport(exported.local, module, depth);
      if (through) return through;
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

  /** The export an imported name of `module` stands for, when the name is not declared there too. */
  private importedExport(local: string, module: ModuleFacts, depth: number): { binding: ExportBinding; module: ModuleFacts } | undefined {
    if (module.variables.has(local) || module.functions.has(local) || module.classes.has(local)) return undefined;
    const imported = module.imports.get(local);
    if (!imported) return undefined;
    const next = this.ctx.loader.moduleFor(imported.module, module);
    if (!next) return undefined;
    // A namespace exported again (`import * as ns from "./m"; export { ns }`) is `export * as ns from "./m"`.
    if (imported.name === "*") return { binding: { reexport: imported }, module };
    return this.exportOf(imported.name, next, depth + 1);
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
  protected exportValues(found: { binding: ExportBinding; module: ModuleFacts }): ValueRef[] {
    const { binding, module } = found;
    if (binding.expression) return [{ expression: binding.expression, module }];
    const variable = binding.local ? moduleVariable(module, binding.local) : undefined;
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
    // `import bundle from "./index.js"` of a CommonJS module that sets only `exports.handlers = ...`:
    // its default import is its exports object (`bundle.handlers`), a namespace.
    if (imported.name === "default" && !target.exports.has("default") && target.exports.size > 0 && target.starReexports.length === 0)
      return target;
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
    if (isIdentifier(value)) return this.namedFunction(value, module, depth);
    // `enabled ? makeHandler(deps) : undefined`: the function of either branch.
    if (ts.isConditionalExpression(value))
      return (
        this.functionFrom(value.whenTrue, module, depth + 1, members) ?? this.functionFrom(value.whenFalse, module, depth + 1, members)
      );
    // `deps.fetcher ?? fetchSignal`, `opts.run || defaultRun`: an injectable override (most often
    // left out: a test's seam) or the default; the override when it is known, else the default.
    // (A lookup on the left, `ROUTES.get(path) ?? notFound` or `table[key] || fallback`, is a
    // dispatch over the table's entries and the fallback: not one function, see dispatch.ts.)
    // The default is asked first: most `a || b` hold data (`body.name || "guest"`), and following
    // the override of every one of them through what callers pass made a large API several times slower.
    if (isFallback(value) && isOverride(value.left)) {
      const fallback = this.functionFrom(value.right, module, depth + 1, members);
      return fallback && (this.functionFrom(value.left, module, depth + 1, members) ?? fallback);
    }
    // `handlers.create` with `import * as handlers from "./handlers"`; `MODEL.run` of an object literal.
    if (isPropertyAccessExpression(value)) {
      const receiver = unwrapExpression(value.expression);
      if (isIdentifier(receiver) && module.imports.get(receiver.text)?.name === "*") return this.calledFunction(value, module);
      if (members && (isIdentifier(receiver) || isPropertyAccessExpression(receiver) || isElementAccessExpression(receiver))) {
        const found = this.nested(value, () => this.calledFunction(value, module));
        if (found || !isIdentifier(receiver) || !/fetch/i.test(value.name.text)) return found;
        // `options.customFetch` of a parameter: the function the calls met so far pass for it (only a
        // property named for fetch, as fetchHolders.ts reads one: what a parameter was given keeps the
        // walk from being kept).
        const parameter = declarationOf(receiver);
        if (!parameter || !isParameter(parameter)) return undefined;
        return this.nested(value, () => {
          for (const field of this.fieldValues(value, module)) {
            const fn = this.functionFrom(field.expression, field.module, depth + 1);
            if (fn) return fn;
          }
          return undefined;
        });
      }
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

  protected override busy(): boolean {
    return this.readingFunctions.size > 0 || super.busy();
  }

  protected override askedFromTop(): boolean {
    return this.questionDepth === 0 && super.askedFromTop();
  }

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

  /**
   * The function a name holds, resolved lexically from where it is written: a function's or block's
   * own declaration of the name shadows a module-level one, an import and a global there (and only
   * there: in another function the same name is the module's, the import or the global).
   */
  private namedFunction(name: ts.Identifier, module: ModuleFacts, depth: number): FunctionRef | undefined {
    const declaration = declarationOf(name);
    // A local that holds no function it can follow is still the local: never the import or the
    // module-level function of the same name.
    if (declaration && !isFileScoped(declaration)) return this.scopedFunction(name, declaration, module, depth);
    return this.functionNamed(name.text, module, depth);
  }

  /**
   * The function a name declared inside a function or block holds: middleware or a handler kept
   * in a constant of the function that builds the app (`const guard = async (c, next) => ...` in a
   * fetch handler or a `buildApp()` helper), a wrapper's result there (`const auth =
   * createMiddleware(...)`), a project factory's (`const h = makeHandler()`) or another local name.
   * Module-level names are functionNamed's (through imports and exports).
   */
  private scopedFunction(name: ts.Identifier, declaration: ts.Node, module: ModuleFacts, depth: number): FunctionRef | undefined {
    if (isFunctionDeclaration(declaration)) return { fn: declaration, module };
    if (!isVariableDeclaration(declaration) || !declaration.initializer || !isIdentifier(declaration.name)) return undefined;
    const value = unwrapExpression(declaration.initializer);
    if (isArrowFunction(value) || isFunctionExpression(value)) return { fn: value, module };
    if (!isConstDeclaration(declaration)) return undefined;
    if (isIdentifier(value))
      return value.text === name.text ? undefined : this.nested(value, () => this.functionFrom(value, module, depth + 1));
    // `const fetcher = deps.fetcher ?? fetchSignal` (or a choice: `a ? f : g`).
    if (isFallback(value) || ts.isConditionalExpression(value))
      return this.nested(value, () => this.functionFrom(value, module, depth + 1));
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    const wrapper = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
    return FUNCTION_WRAPPERS.has(wrapper) || this.isPackageWrapper(callee, module)
      ? this.functionFrom(value, module, depth + 1)
      : this.nested(value, () => this.returnedFunction(value, module, depth + 1));
  }

  /**
   * The function a `const` of a function holds when it is chosen among alternatives (`options.fetch
   * ?? fetch`, `env.API ? (input) => env.API.fetch(input) : undefined`): the first side's that holds one.
   */
  private chosenFunction(name: ts.Identifier, module: ModuleFacts): FunctionRef | undefined {
    const declaration = declarationOf(name);
    if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer || !isConstDeclaration(declaration))
      return undefined;
    const value = unwrapExpression(declaration.initializer);
    if (!findAncestor(declaration.parent, isFunctionLike)) return undefined;
    if (ts.isConditionalExpression(value)) return this.nested(value, () => this.functionFrom(value, module, 1));
    // Only the chosen side of a default: `ROUTES.get(path) ?? notFound` picks among a table's entries
    // (the dispatcher's to follow), not the fallback alone.
    if (
      ts.isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.QuestionQuestionToken || value.operatorToken.kind === SyntaxKind.BarBarToken)
    )
      return this.nested(value, () => this.functionFrom(value.left, module, 1));
    return undefined;
  }

  /**
   * The function a module-level name holds: a function of the file, an import, or a module-level
   * variable (never a function's local of the same name: see namedFunction for a name in the code).
   */
  private functionNamed(name: string, module: ModuleFacts, depth = 0): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const local = module.functions.get(name);
    if (local) return { fn: local, module };
    const imported = module.imports.get(name);
    if (!imported) {
      // `const auth = createMiddleware(async (c, next) => ...)`: a framework's wrapper that runs the
      // function it is given. (Other calls make functions of their own: `createRequestHandler(build)`.)
      const initializer = moduleVariable(module, name)?.initializer;
      const call = initializer ? unwrapExpression(initializer) : undefined;
      // `const fetcher = deps.fetcher ?? fetchSignal`, `const f = flag ? a : b`.
      if (call && (isFallback(call) || ts.isConditionalExpression(call)))
        return this.nested(call, () => this.functionFrom(call, module, depth + 1));
      if (!call || !isCallExpression(call)) return undefined;
      const callee = unwrapExpression(call.expression);
      const wrapper = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
      return FUNCTION_WRAPPERS.has(wrapper) || this.isPackageWrapper(callee, module)
        ? this.functionFrom(call, module, depth + 1)
        : this.nested(call, () => this.returnedFunction(call, module, depth + 1));
    }
    if (imported.name === "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    return target ? this.exportedFunction(imported.name, target, depth) : undefined;
  }

  /**
   * Whether a function is the one a package's memoising wrapper was given (`cache(async () => ...)`
   * of React, lodash's `memoize` and `once`, Next.js's `unstable_cache`): a later call with the same
   * arguments is answered from its cache. (A retry wrapper is no cache.)
   */
  memoisedFunction(fn: ts.FunctionLikeDeclaration, module: ModuleFacts): boolean {
    const call = fn.parent;
    if (!call || !isCallExpression(call) || call.arguments[0] !== fn) return false;
    const callee = unwrapExpression(call.expression);
    if (!this.isPackageWrapper(callee, module)) return false;
    const root = isPropertyAccessExpression(callee) ? callee.expression : callee;
    return !isIdentifier(root) || module.imports.get(root.text)?.module !== "ts-retry-promise";
  }

  /** `cache` imported from "react", `_.memoize` of lodash (see PACKAGE_FUNCTION_WRAPPERS). */
  private isPackageWrapper(callee: ts.Expression, module: ModuleFacts): boolean {
    if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression)) {
      const imported = module.imports.get(callee.expression.text);
      return (
        !!imported &&
        (imported.name === "default" || imported.name === "*") &&
        !!packageWrappers(imported.module).includes(callee.name.text)
      );
    }
    if (!isIdentifier(callee)) return false;
    const imported = module.imports.get(callee.text);
    if (!imported) return false;
    const name = imported.name === "*" ? "default" : imported.name;
    return !!packageWrappers(imported.module).includes(name);
  }

  /** The function a module exports under a name (through re-exports). */
  exportedFunction(name: string, target: ModuleFacts, depth = 0): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
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

  /**
   * The function a callee calls. Within one question (the outermost calledFunction in progress)
   * the answer for a callee asked again in the same state is the one already worked out: a chain
   * of method calls (`lines(text).replace(a).replace(b)...`) asks each link for the one before it
   * twice, through the instance and through the object literals it may return, which is 2^n
   * questions for n links. The state is what the answer may depend on that changes within the
   * question (how deep objectLiterals is, how many values are being evaluated, whether arguments
   * are read); what working it out did to the walk and the counters is done again on reuse.
   */
  calledFunction(callee: ts.Expression, module: ModuleFacts): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    // A new question asked from the top, nothing in progress that may cut it short: the walk, the
    // classifier and the dispatcher each ask it of the same callee, which one answer serves for the
    // whole analysis when working it out read nothing that changes as the analysis goes on.
    const fromTop = this.questionDepth === 0 && !this.busy();
    const settled = this.settledCallees.get(callee);
    if (
      settled &&
      settled.module === module &&
      settled.readingArguments === this.readingArguments &&
      settled.readingCallArguments === this.readingCallArguments
    ) {
      if (fromTop) return settled.found;
      // Asked deeper, inside another question: a callee that calls no function of the project's when
      // asked from the top calls none here either, since the bounds and the values in progress here
      // only cut the same search shorter (as for classOfInstance's notInstances), and working it out
      // read nothing that changes (it is settled). A route registered on a package's app
      // (`new Hono().use(...).get(...)`), asked about for each handler's `c`, worked out every link
      // of the chain before it again, through the instance and through the literals, for each.
      if (settled.found === undefined) return undefined;
    }
    const lookups = this.argumentLookups;
    // One number, not a string: asked tens of thousands of times a run, the string was the largest
    // single allocation of the walk. Distinct states give distinct numbers (the depths are small).
    const state =
      (this.literalDepth * 2 ** 24 + this.evaluating.size) * 4 + (this.readingArguments ? 2 : 0) + (this.readingCallArguments ? 1 : 0);
    let answers = this.questionCallees.get(callee);
    let known: CalleeAnswer | undefined;
    for (const a of answers ?? []) if (a.state === state && a.module === module) known ??= a;
    if (known) {
      this.parameterReads += known.reads;
      this.parameterHoles += known.holes;
      if (known.cut) this.ctx.walker.cutWalk();
      return known.found;
    }
    const reads = this.parameterReads;
    const holes = this.parameterHoles;
    const cuts = this.ctx.walker.cuts;
    this.questionDepth++;
    try {
      const found = this.calledFunctionOf(callee, module);
      if (!answers) this.questionCallees.set(callee, (answers = []));
      answers.push({
        state,
        module,
        found,
        reads: this.parameterReads - reads,
        holes: this.parameterHoles - holes,
        cut: this.ctx.walker.cuts !== cuts,
      });
      // Settled: no parameter read (what it holds depends on the call), no hole, no cut (a module
      // loaded now, a context value), no arguments of calls met so far asked for (more may come).
      if (
        fromTop &&
        this.parameterReads === reads &&
        this.parameterHoles === holes &&
        this.ctx.walker.cuts === cuts &&
        this.argumentLookups === lookups
      )
        this.settledCallees.set(callee, {
          module,
          found,
          readingArguments: this.readingArguments,
          readingCallArguments: this.readingCallArguments,
        });
      return found;
    } finally {
      if (--this.questionDepth === 0) this.questionCallees.clear();
    }
  }

  /** Answers of calledFunction within the question in progress, by callee (see calledFunction). */
  private readonly questionCallees = new Map<ts.Node, CalleeAnswer[]>();
  private questionDepth = 0;
  /** Answers of calledFunction that hold for the rest of the analysis (see calledFunction), by callee. */
  private readonly settledCallees = new Map<
    ts.Node,
    { module: ModuleFacts; found: FunctionRef | undefined; readingArguments: boolean; readingCallArguments: boolean }
  >();

  /**
   * A free name called in a Nitro server module (no declaration, no import, not one of Nitro's or
   * the runtime's own): the function of that name a `server/utils` module exports, as Nitro
   * auto-imports it (`const db = useDb()` with `export const useDb = () => drizzle(...)`).
   */
  private autoImported(callee: ts.Identifier, module: ModuleFacts): FunctionRef | undefined {
    const name = callee.text;
    if (declarationOf(callee) || module.imports.has(name) || module.variables.has(name) || name in globalThis) return undefined;
    const nitro = this.ctx.walker.nitro;
    if (nitro.isFrameworkGlobal(name) || !nitro.serverDirOf(module)) return undefined;
    return nitro.functionNamed(name, module);
  }

  private calledFunctionOf(
    callee: ts.Expression,
    module: ModuleFacts,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (isIdentifier(callee)) {
      const local = localFunction(callee) ?? defaultedFunction(callee);
      if (local) return { fn: local, module };
      // `const send = options.customFetch ?? fetch; await send(input)`: a function chosen by a default.
      const chosen = this.chosenFunction(callee, module);
      if (chosen) return chosen;
      const dynamic = this.dynamicImportMember(callee, module);
      if (dynamic) return this.functionOfExport(dynamic, 0);
      return this.destructuredFunction(callee, module) ?? this.namedFunction(callee, module, 0) ?? this.autoImported(callee, module);
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
        const variable = moduleVariable(module, receiver.text);
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
   * A function taken out of an object by destructuring, then called: `const { load } = makeService(request)`
   * (a project factory returning `{ load, save }`), `const { load } = api` (an object literal): the member
   * of that name, as `makeService(request).load()` reads it. Parameters are not read here (see
   * destructuredValues). Undefined when the object is not one of the project's literals.
   */
  private destructuredFunction(callee: ts.Identifier, module: ModuleFacts): FunctionRef | undefined {
    const element = declarationOf(callee);
    if (!element || !isBindingElement(element) || !isObjectBindingPattern(element.parent) || element.dotDotDotToken) return undefined;
    const holder = element.parent.parent;
    const key = element.propertyName ?? element.name;
    if (!isVariableDeclaration(holder) || !holder.initializer || !isIdentifier(key)) return undefined;
    let source = unwrapExpression(holder.initializer);
    if (isAwaitExpression(source)) source = unwrapExpression(source.expression);
    if (!isCallExpression(source) && !isIdentifier(source) && !isPropertyAccessExpression(source)) return undefined;
    return this.nested(element, () => {
      for (const member of this.objectMembers(source, key.text, module, 0)) {
        const found = member.method ?? this.functionFrom(member.value!.expression, member.value!.module);
        if (found) return found;
      }
      return undefined;
    });
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

  /** A name a framework gives a function it runs, when what it gives is the env (`getLoadContext: (context) => context.env`). */
  private isFrameworkEnv(expression: ts.Expression): boolean {
    const given = this.frameworkGiven(expression);
    return !!given && given.length > 0 && given.every((g) => isEnvLike(g.expression));
  }

  /** `env.NAME`, `c.env.NAME`, `this.env.NAME`, `context.env.NAME`, or `NAME` destructured from one. */
  bindingOf(expression: ts.Expression, depth = 0): { name: string; kind: keyof BindingNames } | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    let name: string | undefined;
    if (isPropertyAccessExpression(value) && isEnvLike(value.expression)) name = value.name.text;
    // `context.DB` in a loader where the framework passes the env itself as the load context
    // (Remix on Pages: `getLoadContext: (context) => context.env`).
    else if (isPropertyAccessExpression(value) && this.isFrameworkEnv(value.expression)) name = value.name.text;
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
      } else if (declaration && isVariableDeclaration(declaration) && !isAmbientVariable(declaration)) {
        // `let ns: DurableObjectNamespace;` set from the env in each branch of a switch: a binding
        // when every value it is given is one of the same kind.
        const found = (letAssignedValues(declaration) ?? []).map((v) => this.bindingOf(v, depth + 1));
        const first = found[0];
        return first && found.every((b) => b?.kind === first.kind) ? first : undefined;
      } else if (declaration && isAmbientVariable(declaration)) {
        // `declare const CACHE: KVNamespace;` in the Worker's own file: a service-worker global, as from a .d.ts.
        name = value.text;
      } else if (!declaration && !this.ctx.loader.moduleBySourceFile.get(value.getSourceFile())?.imports.has(value.text)) {
        // Service-worker syntax: bindings are globals (`MY_KV.get(key)`).
        name = value.text;
      }
    }
    if (!name) return undefined;
    const kind = this.ctx.bindingKinds.get(name) ?? (name === IMPLICIT_ASSETS ? "assets" : undefined);
    if (kind) return { name, kind };
    // Declared only under other environments: the code is the same, so is the kind (said in a note).
    const other = this.ctx.otherEnvBindings.get(name);
    if (!other) return undefined;
    this.ctx.usedOtherEnvBindings.add(name);
    return { name, kind: other.kind };
  }

  /**
   * The binding whose method made a value, through variables: `env.DISPATCHER.get(name)` (a
   * dispatch namespace's user Worker), `env.ROOM.get(id)` (a Durable Object stub).
   */
  bindingStubOf(expression: ts.Expression, depth = 0): { name: string; kind: keyof BindingNames } | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression)) return this.bindingOf(value.expression.expression);
    // `getContainer(env.APP, "main")`, `await getRandom(env.APP, 3)`: a package function of the
    // library table that gives a stub of the binding it is given (bindingStubs in sdks.ts).
    if (isCallExpression(value) && isIdentifier(value.expression) && value.arguments[0]) {
      const sourceFile = value.getSourceFile();
      const imported = this.ctx.loader.moduleBySourceFile.get(sourceFile)?.imports.get(value.expression.text);
      const library = imported ? libraryFor(imported.module) : undefined;
      if (library?.bindingStubs && library.factories.includes(imported!.name)) return this.bindingOf(value.arguments[0]);
    }
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

  /**
   * A request handed to a framework's handler that is the incoming one for routing: the incoming
   * request itself, or one built from it (`new Request(url, request)`, `new Request(request.url.replace(...))`,
   * a project function returning one: `handler(withOrigin(request), env)`). Only for hand-offs:
   * its host may differ from the incoming request's, so provenance does not use this.
   */
  isRequestFromIncoming(expression: ts.Expression, module: ModuleFacts, depth = 0): boolean {
    if (depth > MAX_VALUE_DEPTH) return false;
    if (this.isIncomingRequest(expression)) return true;
    const value = unwrapExpression(expression);
    if (isNewExpression(value) && isIdentifier(value.expression) && value.expression.text === "Request")
      return (value.arguments ?? []).some((a) => this.isRequestFromIncoming(a, module, depth + 1) || this.isIncomingUrl(a));
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      return !!declaration && isVariableDeclaration(declaration) && !!declaration.initializer
        ? this.isRequestFromIncoming(declaration.initializer, module, depth + 1)
        : false;
    }
    if (isCallExpression(value)) {
      const fn = this.calledFunction(unwrapExpression(value.expression), module);
      const returned = fn ? this.returnedValues(fn.fn, fn.module) : [];
      return returned.length > 0 && returned.every((r) => this.isRequestFromIncoming(r.expression, r.module, depth + 1));
    }
    return false;
  }

  /** `request.url`, or a string made from it by methods (`request.url.replace("http:", "https:")`). */
  private isIncomingUrl(expression: ts.Expression): boolean {
    let value = unwrapExpression(expression);
    while (isCallExpression(value) && isPropertyAccessExpression(value.expression)) value = unwrapExpression(value.expression.expression);
    return isPropertyAccessExpression(value) && value.name.text === "url" && this.isIncomingRequest(value.expression);
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
    // `handlers["ping"](request)`: a constant key reaches only the entry it names.
    const key = unwrapExpression(access.argumentExpression);
    const constant = isStringLiteralLike(key) || ts.isNumericLiteral(key) ? key.text : undefined;
    const functions: FunctionRef[] = [];
    for (const property of object.properties) {
      if (constant !== undefined && property.name && getNameText(property.name) !== undefined && getNameText(property.name) !== constant)
        continue;
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
    return functions.length > 0 ? functions : undefined;
  }
}

/** `declare const NAME: Type;` (also `declare global { const NAME: Type }`): a global the runtime provides. */
function isAmbientVariable(declaration: ts.Node): boolean {
  if (!isVariableDeclaration(declaration) || declaration.initializer) return false;
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement)) return false;
  if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  // Inside `declare global { ... }` or `declare module`: ambient too.
  return ts.isModuleBlock(statement.parent);
}

/**
 * The default of a parameter that holds a function, when the callee is one:
 * `function createRoutes(makeRepo = (env) => new Repo(db(env)))` calling `makeRepo(c.env)` runs
 * that default when the app is built without one (`createRoutes()`: tests inject a fake, the
 * Worker does not). A function passed for it instead is what the Worker's calls give it, which
 * the walk reads where the call is made (see callbacksRunBy).
 */
function defaultedFunction(callee: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  const declaration = declarationOf(callee);
  if (!declaration || !isParameter(declaration) || !declaration.initializer) return undefined;
  const fallback = unwrapExpression(declaration.initializer);
  return isArrowFunction(fallback) || isFunctionExpression(fallback) ? fallback : undefined;
}

/** `a ?? b` or `a || b`: a value or its fallback. */
function isFallback(value: ts.Expression): value is ts.BinaryExpression {
  return (
    ts.isBinaryExpression(value) &&
    (value.operatorToken.kind === SyntaxKind.QuestionQuestionToken || value.operatorToken.kind === SyntaxKind.BarBarToken)
  );
}

/** `deps.fetcher`, `options.client`, `this.opts.run`, a name: a value that may have been given in (not a lookup or a call). */
function isOverride(expression: ts.Expression): boolean {
  let value = unwrapExpression(expression);
  while (isPropertyAccessExpression(value)) value = unwrapExpression(value.expression);
  return isIdentifier(value) || value.kind === SyntaxKind.ThisKeyword;
}
