// The strings each element of a list may be, for a URL taken from a list in a callback of an array
// method: `resolvers.map((url) => fetch(url))` where `resolvers` is a constant list, a list in a var
// (`JSON.parse(env.RESOLVERS)`), a `let` holding one of those, a property of an object a function
// returns (`loadSettings(env).resolvers`), or the strings another `map` makes of one
// (`list.map((t) => t.replace("{ID}", id))`). Part of the string values (valuesStrings.ts).
import ts from "typescript";
import { MAX_VALUE_DEPTH } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, isConstDeclaration } from "./syntax";

const {
  SyntaxKind,
  forEachChild,
  isArrayLiteralExpression,
  isArrowFunction,
  isCallExpression,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isParameter,
  isPropertyAccessExpression,
  isReturnStatement,
  isSpreadElement,
  isVariableDeclaration,
} = ts;

/** Array methods that call their callback with each element as its first parameter. */
const CALLBACK_METHODS = new Set(["map", "flatMap", "forEach", "find", "findLast", "filter", "some", "every"]);
/** Array methods whose result holds (some of) the same elements. */
const SAME_ELEMENTS = new Set(["filter", "slice", "toSorted", "toReversed", "sort", "reverse", "concat"]);

/** The depth (of string values) a list is read at, whatever depth its callback's parameter was met at. */
const LIST_START_DEPTH = 4;
/** Most lists read one inside another. */
const MAX_NESTED_LISTS = 3;

export interface ElementReads {
  readonly ctx: { readonly loader: { readonly moduleBySourceFile: ReadonlyMap<ts.SourceFile, ModuleFacts> } };
  /** The strings an expression may be (valuesStrings' evaluateStrings). */
  strings(expression: ts.Expression, depth: number): readonly string[] | undefined;
  /** What a property of an object may hold (valuesObjects' propertyValues). */
  properties(holder: ts.Expression, module: ModuleFacts, name: string, depth: number): readonly ts.Expression[];
  /** The strings in a list read from configured data (configData.ts), or undefined. */
  configuredElements(list: ts.Expression, depth: number): readonly string[] | undefined;
  /** What calls pass for a parameter (bound by the call being read, or every call met), or undefined. */
  passed(parameter: ts.ParameterDeclaration): readonly ts.Expression[] | undefined;
  /** Union of candidate lists: undefined when one is unknown (or there are too many). */
  union(parts: ReadonlyArray<readonly string[] | undefined>): readonly string[] | undefined;
}

export class ListElements {
  private readonly visiting = new Set<ts.Node>();
  /** How many lists are being read, one inside another's element (a `map` of a `map`'s callback). */
  private nested = 0;

  constructor(private readonly reads: ElementReads) {}

  /**
   * The first parameter of a callback an array method runs on a list (`list.map((url) => ...)`):
   * every element it may be; undefined when `parameter` is no such parameter or the list is unknown.
   */
  callbackParameter(parameter: ts.ParameterDeclaration, depth: number): readonly string[] | undefined {
    const fn = parameter.parent;
    if (!(isArrowFunction(fn) || isFunctionExpression(fn)) || fn.parameters[0] !== parameter || parameter.dotDotDotToken) return undefined;
    if (!isIdentifier(parameter.name)) return undefined;
    const call = fn.parent;
    if (!isCallExpression(call) || call.arguments[0] !== fn) return undefined;
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || !CALLBACK_METHODS.has(callee.name.text)) return undefined;
    // The list is read with a fresh allowance of depth (the URL may be many steps from it: a
    // parameter of a helper, `new URL(...)` twice); lists read inside lists are few.
    if (this.nested >= MAX_NESTED_LISTS) return undefined;
    this.nested++;
    try {
      return this.elements(callee.expression, Math.min(depth, LIST_START_DEPTH));
    } finally {
      this.nested--;
    }
  }

  /**
   * The strings each element of `list` may be, or undefined when not all are known. Steps through
   * the list's own structure (a variable, a property, a `map`) count in `hops`, apart from the depth
   * of the string values, so a list a few names away is still read.
   */
  elements(list: ts.Expression, depth: number, hops = 0): readonly string[] | undefined {
    if (depth > MAX_VALUE_DEPTH || hops > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(list);
    if (isArrayLiteralExpression(value)) {
      if (value.elements.length === 0 || value.elements.some((e) => isSpreadElement(e))) return undefined;
      return this.reads.union(value.elements.map((e) => this.reads.strings(e, depth + 1)));
    }
    const configured = this.reads.configuredElements(value, depth);
    if (configured) return configured;
    if (isCallExpression(value)) {
      const callee = unwrapExpression(value.expression);
      if (!isPropertyAccessExpression(callee)) return undefined;
      const method = callee.name.text;
      if (SAME_ELEMENTS.has(method) && (method !== "concat" || value.arguments.length === 0))
        return this.elements(callee.expression, depth, hops + 1);
      const callback = value.arguments[0] && unwrapExpression(value.arguments[0]);
      // `list.map((t) => t.replace("{ID}", id))`: what the callback returns, its parameter each element.
      if (method === "map" && callback && (isArrowFunction(callback) || isFunctionExpression(callback)))
        return this.returned(callback, depth);
      return undefined;
    }
    const module = this.reads.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
    if (!module) return undefined;
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      // `function refresh(urls) { urls.map((u) => ...) }`: the lists its calls pass.
      if (declaration && isParameter(declaration)) {
        if (this.visiting.has(declaration)) return undefined;
        const passed = this.reads.passed(declaration);
        if (!passed || passed.length === 0) return undefined;
        this.visiting.add(declaration);
        try {
          return this.reads.union(passed.map((p) => this.elements(p, depth, hops + 1)));
        } finally {
          this.visiting.delete(declaration);
        }
      }
      if (!declaration || !isVariableDeclaration(declaration) || !isIdentifier(declaration.name)) return undefined;
      if (this.visiting.has(declaration)) return undefined;
      // A constant, or a `let` with every list assigned to it (`let list = DEFAULTS; ... list = parsed`).
      const sources: ts.Expression[] = declaration.initializer ? [declaration.initializer] : [];
      if (!isConstDeclaration(declaration))
        for (const assignment of module.assignments.get(declaration.name.text) ?? [])
          if (
            assignment.operatorToken.kind === SyntaxKind.EqualsToken &&
            isIdentifier(assignment.left) &&
            declarationOf(assignment.left) === declaration
          )
            sources.push(assignment.right);
      if (sources.length === 0) return undefined;
      this.visiting.add(declaration);
      try {
        return this.reads.union(sources.map((s) => this.elements(s, depth, hops + 1)));
      } finally {
        this.visiting.delete(declaration);
      }
    }
    // `settings.resolvers` where `settings = loadSettings(env)` returns `{ resolvers, ... }`.
    if (isPropertyAccessExpression(value)) {
      const sources = this.reads.properties(value.expression, module, value.name.text, depth);
      return sources.length > 0 ? this.reads.union(sources.map((s) => this.elements(s, depth, hops + 1))) : undefined;
    }
    return undefined;
  }

  /** What a callback returns (its expression body, or each `return` of its block). */
  private returned(fn: ts.ArrowFunction | ts.FunctionExpression, depth: number): readonly string[] | undefined {
    if (this.visiting.has(fn)) return undefined;
    const body = fn.body;
    const results: ts.Expression[] = [];
    if (!ts.isBlock(body)) results.push(body);
    else {
      const visit = (node: ts.Node): void => {
        if (isFunctionLike(node)) return;
        if (isReturnStatement(node)) {
          if (node.expression) results.push(node.expression);
          return;
        }
        forEachChild(node, visit);
      };
      forEachChild(body, visit);
    }
    if (results.length === 0) return undefined;
    this.visiting.add(fn);
    try {
      return this.reads.union(results.map((r) => this.reads.strings(r, depth + 1)));
    } finally {
      this.visiting.delete(fn);
    }
  }
}

/**
 * `CACHE.get(key)` on a module's own memo map (`const CACHE = new Map()`, filled only with
 * `CACHE.set(key, value)` in that module): the values it is given, each as `read` finds it, or
 * undefined when it is no such map. A value that is the variable being read (`let u = CACHE.get(k);
 * if (!u) { u = new URL(k); CACHE.set(k, u); }`) adds nothing of its own: `cycle` tells it.
 */
export function memoMapValues(
  call: ts.CallExpression,
  module: ModuleFacts,
  read: (value: ts.Expression) => readonly string[] | undefined,
  cycle: (value: ts.Expression) => boolean,
): readonly (readonly string[] | undefined)[] | undefined {
  const callee = unwrapExpression(call.expression);
  if (!isPropertyAccessExpression(callee) || callee.name.text !== "get" || !isIdentifier(callee.expression)) return undefined;
  const declaration = declarationOf(callee.expression);
  if (!declaration || !isVariableDeclaration(declaration) || !isConstDeclaration(declaration) || !declaration.initializer) return undefined;
  const init = unwrapExpression(declaration.initializer);
  if (!ts.isNewExpression(init) || !isIdentifier(init.expression) || init.expression.text !== "Map" || (init.arguments?.length ?? 0) > 0)
    return undefined;
  if (!ts.isSourceFile(declaration.parent.parent.parent) || declaration.getSourceFile() !== module.sourceFile) return undefined;
  const parts: (readonly string[] | undefined)[] = [];
  let sets = 0;
  for (const other of module.calls) {
    if (!isCallExpression(other)) continue;
    const method = unwrapExpression(other.expression);
    if (!isPropertyAccessExpression(method) || !isIdentifier(method.expression) || declarationOf(method.expression) !== declaration)
      continue;
    const name = method.name.text;
    if (name === "get" || name === "has" || name === "delete" || name === "clear" || name === "forEach") continue;
    // Any other use (passed on, `set` with a computed value) is read as it is: one unknown value makes it unknown.
    if (name !== "set" || other.arguments.length !== 2) return undefined;
    sets++;
    const value = other.arguments[1]!;
    if (!cycle(value)) parts.push(read(value));
  }
  return sets > 0 ? parts : undefined;
}
