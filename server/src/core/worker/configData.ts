// Data the Worker reads from its configuration: `[vars]` entries that are not strings (a list of
// tables, a table, which `env` holds as JSON values) and JSON kept in a string var
// (`JSON.parse(env.SUBS)`). A property path into one (`env.SUBS[id].url`, `cfg.items[i].endpoint`
// with `const cfg = JSON.parse(env.CONFIG)`, `for (const s of env.SUBS) fetch(s.url)`) holds any of
// the values found at that place in the config: a URL read so is one of those URLs. Part of the
// string values (valuesStrings.ts), which asks it only where a module may read such data.
import ts from "typescript";
import { type AnalysisContext, MAX_VALUE_DEPTH } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, isConstDeclaration, isEnvLike, printNode, truncate } from "./syntax";

const {
  SyntaxKind,
  isArrayBindingPattern,
  isArrowFunction,
  isBindingElement,
  isCallExpression,
  isElementAccessExpression,
  isForOfStatement,
  isFunctionExpression,
  isIdentifier,
  isNumericLiteral,
  isObjectBindingPattern,
  isParameter,
  isPropertyAccessExpression,
  isStringLiteralLike,
  isVariableDeclaration,
  isVariableDeclarationList,
} = ts;

/** Most values one place may hold: a longer list is not read (the URL stays unresolved). */
const MAX_VALUES = 256;

/** Array methods whose result is one of the elements. */
const ELEMENT_METHODS = new Set(["find", "findLast", "at", "pop", "shift"]);
/** Array methods whose result is (a part of) the same list. */
const LIST_METHODS = new Set(["filter", "slice", "toSorted", "toReversed", "sort", "reverse"]);
/** Array methods that call their callback with each element as its first parameter. */
const CALLBACK_METHODS = new Set(["map", "flatMap", "forEach", "find", "findLast", "findIndex", "filter", "some", "every"]);

/** Where configured data was read from, for reasons: `[vars] SUBS`, `JSON in [vars] CONFIG`. */
export interface ConfigDataSource {
  readonly name: string;
  readonly parsed: boolean;
}

interface Found {
  readonly values: readonly unknown[];
  readonly source: ConfigDataSource;
}

export class ConfigData {
  /** Whether a module calls `JSON.parse` anywhere, by module (read once per analysis). */
  private readonly parses = new Map<ModuleFacts, boolean>();
  private readonly visiting = new Set<ts.Node>();

  constructor(
    private readonly ctx: AnalysisContext,
    /** The strings an expression may evaluate to (valuesStrings' evaluateStrings). */
    private readonly strings: (expression: ts.Expression, depth: number) => readonly string[] | undefined,
  ) {}

  /** Whether code of `module` may read configured data: the config has structured vars, or the module parses JSON. */
  mayRead(module: ModuleFacts | undefined): boolean {
    const structured = this.ctx.input.structuredVars;
    if (structured && Object.keys(structured).length > 0) return true;
    if (!module) return false;
    let parses = this.parses.get(module);
    if (parses === undefined) {
      parses = module.calls.some((call) => isCallExpression(call) && isJsonParse(call.expression));
      this.parses.set(module, parses);
    }
    return parses;
  }

  /**
   * The strings at the place an expression reads in configured data, with where they come from;
   * undefined when it reads no configured data, or a place that holds something else than strings.
   */
  stringsAt(expression: ts.Expression, depth: number): { texts: readonly string[]; source: ConfigDataSource } | undefined {
    const found = this.valuesOf(expression, depth);
    if (!found || found.values.length === 0) return undefined;
    const texts = new Set<string>();
    for (const value of found.values) {
      if (typeof value !== "string") return undefined;
      texts.add(value);
    }
    return { texts: [...texts], source: found.source };
  }

  /** The strings in the lists an expression holds when read from configured data (`JSON.parse(env.RESOLVERS)`), or undefined. */
  elementStringsAt(expression: ts.Expression, depth: number): readonly string[] | undefined {
    const found = this.valuesOf(expression, depth);
    if (!found || found.values.length === 0 || !found.values.every((v) => Array.isArray(v))) return undefined;
    const texts = new Set<string>();
    for (const value of elements(found.values)) {
      if (typeof value !== "string") return undefined;
      texts.add(value);
    }
    return texts.size > 0 ? [...texts] : undefined;
  }

  /** The configured values an expression may hold, or undefined when it is not read from configured data. */
  private valuesOf(expression: ts.Expression, depth: number): Found | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isPropertyAccessExpression(value) || isElementAccessExpression(value)) {
      const key = keyOf(value);
      if (key !== undefined && isEnvLike(value.expression)) {
        const root = this.structured(key);
        if (root) return root;
      }
      const base = this.valuesOf(value.expression, depth + 1);
      return base && limited({ values: step(base.values, key), source: base.source });
    }
    if (isCallExpression(value)) {
      if (isJsonParse(value.expression) && value.arguments[0]) return this.parsed(value.arguments[0], depth);
      const callee = unwrapExpression(value.expression);
      if (!isPropertyAccessExpression(callee)) return undefined;
      const method = callee.name.text;
      if (!ELEMENT_METHODS.has(method) && !LIST_METHODS.has(method)) return undefined;
      const base = this.valuesOf(callee.expression, depth + 1);
      if (!base) return undefined;
      const lists = base.values.filter((v) => Array.isArray(v));
      return limited({ values: ELEMENT_METHODS.has(method) ? elements(lists) : lists, source: base.source });
    }
    if (isIdentifier(value)) return this.nameValues(value, depth);
    return undefined;
  }

  /** A structured `[vars]` entry. */
  private structured(name: string): Found | undefined {
    const vars = this.ctx.input.structuredVars;
    return vars && Object.hasOwn(vars, name) ? { values: [vars[name]], source: { name, parsed: false } } : undefined;
  }

  /** `JSON.parse(text)` where the text is known: what it parses to. */
  private parsed(argument: ts.Expression, depth: number): Found | undefined {
    const arg = unwrapExpression(argument);
    // Which var the text comes from, for reasons: `env.CONFIG`, or a name holding it.
    const name = isPropertyAccessExpression(arg) && isEnvLike(arg.expression) ? arg.name.text : truncate(printNode(arg));
    const texts = this.strings(arg, depth + 1);
    if (!texts || texts.length !== 1) return undefined;
    try {
      return { values: [JSON.parse(texts[0]!) as unknown], source: { name, parsed: true } };
    } catch {
      return undefined;
    }
  }

  private nameValues(identifier: ts.Identifier, depth: number): Found | undefined {
    const declaration = declarationOf(identifier);
    if (!declaration) {
      // Service-worker syntax: `[vars]` entries are globals.
      const module = this.ctx.loader.moduleBySourceFile.get(identifier.getSourceFile());
      return module && !module.imports.has(identifier.text) ? this.structured(identifier.text) : undefined;
    }
    if (this.visiting.has(declaration)) return undefined;
    this.visiting.add(declaration);
    try {
      if (isVariableDeclaration(declaration)) return this.variableValues(declaration, depth);
      if (isBindingElement(declaration)) return this.elementValues(declaration, depth);
      if (isParameter(declaration)) return this.parameterValues(declaration, depth);
      return undefined;
    } finally {
      this.visiting.delete(declaration);
    }
  }

  /**
   * A variable: its initializer, and every value a `let` is assigned (`null`, `undefined` left out:
   * reading a property of them throws, so no URL comes from there); a `for...of` variable: each element.
   */
  private variableValues(declaration: ts.VariableDeclaration, depth: number): Found | undefined {
    const list = declaration.parent;
    if (isVariableDeclarationList(list) && isForOfStatement(list.parent) && list.parent.initializer === list) {
      const base = this.valuesOf(list.parent.expression, depth + 1);
      return base && limited({ values: elements(base.values), source: base.source });
    }
    const sources: ts.Expression[] = declaration.initializer ? [declaration.initializer] : [];
    if (!isConstDeclaration(declaration) && isIdentifier(declaration.name)) {
      const module = this.ctx.loader.moduleBySourceFile.get(declaration.getSourceFile());
      const own = (module?.assignments.get(declaration.name.text) ?? []).filter(
        (a) => a.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(a.left) && declarationOf(a.left) === declaration,
      );
      sources.push(...own.map((a) => a.right));
    }
    const read = sources.filter((s) => !isNothing(s));
    if (read.length === 0) return undefined;
    let source: ConfigDataSource | undefined;
    const values: unknown[] = [];
    for (const expression of read) {
      const found = this.valuesOf(expression, depth + 1);
      // One value that is not configured data: the variable may hold anything.
      if (!found) return undefined;
      if (source && source.name !== found.source.name) return undefined;
      source = found.source;
      values.push(...found.values);
    }
    return source && limited({ values, source });
  }

  /** `const { url } = env.SUBS[0]`, `const [first] = env.SUBS`, `({ url }) => ...` over a list: that part of what is destructured. */
  private elementValues(element: ts.BindingElement, depth: number): Found | undefined {
    const pattern = element.parent;
    let key: string | undefined;
    if (isObjectBindingPattern(pattern)) {
      const name = element.propertyName ?? element.name;
      if (element.dotDotDotToken || !(isIdentifier(name) || isStringLiteralLike(name))) return undefined;
      key = name.text;
    } else if (isArrayBindingPattern(pattern)) {
      if (element.dotDotDotToken) return undefined;
      key = String(pattern.elements.indexOf(element));
    } else return undefined;
    const holder = pattern.parent;
    let base: Found | undefined;
    if (isVariableDeclaration(holder)) {
      if (holder.initializer && isObjectBindingPattern(pattern) && isEnvLike(holder.initializer)) return this.structured(key);
      base = holder.initializer ? this.valuesOf(holder.initializer, depth + 1) : undefined;
    } else if (isBindingElement(holder)) base = this.elementValues(holder, depth + 1);
    else if (isParameter(holder)) base = this.parameterValues(holder, depth + 1);
    return base && limited({ values: step(base.values, key), source: base.source });
  }

  /** The first parameter of a callback an array method runs (`env.SUBS.map((s) => s.url)`): each element. */
  private parameterValues(parameter: ts.ParameterDeclaration, depth: number): Found | undefined {
    const fn = parameter.parent;
    if (!(isArrowFunction(fn) || isFunctionExpression(fn)) || fn.parameters[0] !== parameter) return undefined;
    const call = fn.parent;
    if (!isCallExpression(call) || call.arguments[0] !== fn) return undefined;
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || !CALLBACK_METHODS.has(callee.name.text)) return undefined;
    const base = this.valuesOf(callee.expression, depth + 1);
    return base && limited({ values: elements(base.values.filter((v) => Array.isArray(v))), source: base.source });
  }
}

/** `JSON.parse` (the global). */
function isJsonParse(callee: ts.Expression): boolean {
  const value = unwrapExpression(callee);
  return (
    isPropertyAccessExpression(value) &&
    value.name.text === "parse" &&
    isIdentifier(value.expression) &&
    value.expression.text === "JSON" &&
    !declarationOf(value.expression)
  );
}

/** `null` or `undefined`, written so. */
function isNothing(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  return value.kind === SyntaxKind.NullKeyword || (isIdentifier(value) && value.text === "undefined" && !declarationOf(value));
}

/** The key a property access reads: its name, a literal key, or undefined for a key known only at run time. */
function keyOf(access: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (isPropertyAccessExpression(access)) return access.name.text;
  const argument = unwrapExpression(access.argumentExpression);
  return isStringLiteralLike(argument) || isNumericLiteral(argument) ? argument.text : undefined;
}

/** What each value holds at `key` (every element or entry when the key is known only at run time). */
function step(values: readonly unknown[], key: string | undefined): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (value === null || typeof value !== "object") continue;
    if (key === undefined) out.push(...(Array.isArray(value) ? value : Object.values(value)));
    else if (Object.hasOwn(value, key)) {
      const held = (value as Record<string, unknown>)[key];
      if (held !== undefined) out.push(held);
    }
  }
  return out;
}

/** The elements of the lists among the values. */
function elements(values: readonly unknown[]): unknown[] {
  return values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : []));
}

function limited(found: Found): Found | undefined {
  return found.values.length <= MAX_VALUES ? found : undefined;
}
