import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, findAncestor } from "./syntax";

const {
  SyntaxKind,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isClassLike,
  isConditionalExpression,
  isIdentifier,
  isParameter,
  isPropertyAccessExpression,
  isPropertyDeclaration,
  isVariableDeclaration,
} = ts;

/** The globals whose `fetch` is the global fetch. */
const GLOBAL_OBJECTS = new Set(["globalThis", "self", "window"]);

/** How many values one question follows: the chains are short (a default, a field, an alias). */
const MAX_HOLDER_STEPS = 40;
/** How deep a value is followed to tell that it is always a function (see alwaysFunction). */
const MAX_FUNCTION_DEPTH = 8;

/**
 * Whether a callee may be the global `fetch` held in a variable, a field or a parameter: `const f =
 * fetch`, `const fetchFn = options?.fetch || globalThis.fetch`, `this.fetchImpl = opts.fetch ??
 * fetch`, `globalThis.fetch.bind(globalThis)`, a parameter defaulting to it (`fetchFn =
 * globalThis.fetch`, `{ fetch: f = fetch }`), typed `typeof fetch`, or given it by the calls met so
 * far, a helper that returns it (`defaultFetch()`). Any value that may be the global fetch makes
 * the call a fetch: a custom fetch handed in instead is the exception a reader cannot see either.
 */
export function mayHoldGlobalFetch(ctx: AnalysisContext, callee: ts.Expression, module: ModuleFacts): boolean {
  const seen = new Set<ts.Node>();
  let steps = 0;

  const holds = (expression: ts.Expression, module: ModuleFacts): boolean => {
    const value = unwrapExpression(expression);
    if (seen.has(value) || ++steps > MAX_HOLDER_STEPS) return false;
    seen.add(value);
    if (isIdentifier(value)) return identifierHolds(value, module);
    if (isPropertyAccessExpression(value)) {
      const receiver = unwrapExpression(value.expression);
      if (value.name.text === "fetch" && isIdentifier(receiver) && GLOBAL_OBJECTS.has(receiver.text) && !declarationOf(receiver))
        return true;
      // `upstream(env).fetch(url)`, `const f = pick(); f.fetch(url)`: a helper that returns
      // `globalThis` (or a service binding when one is configured, which the default path skips).
      if (value.name.text === "fetch" && (isIdentifier(receiver) || isCallExpression(receiver)) && globalObject(receiver, module))
        return true;
      if (receiver.kind === SyntaxKind.ThisKeyword)
        return ctx.values.thisMemberValues(value, module).some((v) => holds(v.expression, v.module));
      // `deps.fetch(url)` where `deps` is a parameter (`deps = { fetch: fetch.bind(globalThis) }`, or
      // given `{ fetch: globalThis.fetch }` by the calls met so far): what that property holds.
      const parameter = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
      // (Only a property named for fetch: asking what a parameter was given keeps the walk from being kept.)
      if (parameter && isParameter(parameter) && /fetch/i.test(value.name.text))
        return ctx.values.fieldValues(value, module).some((v) => holds(v.expression, v.module));
      const instance = ctx.values.classOfInstance(receiver, module);
      if (!instance) return false;
      for (let current: typeof instance | undefined = instance, depth = 0; current && depth < 8; depth++) {
        const fields = ctx.values.memberValues(current.cls, value.name.text, current.module);
        if (fields.length > 0) return fields.some((v) => holds(v.expression, v.module));
        current = ctx.values.baseClassOf(current);
      }
      return false;
    }
    // `options.fetch || globalThis.fetch`, `opts.fetch ?? fetch`: either side; `a && fetch`: the right.
    // Not the right when the left is always a function of the project (`config.customFetch ?? fetch`
    // where every caller passes `customFetch: env.API ? (input, init) => env.API.fetch(...) : undefined`
    // with the service binding configured): the global fetch is then never called.
    if (isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.QuestionQuestionToken)
        return holds(value.left, module) || (!alwaysFunction(value.left, module, 0) && holds(value.right, module));
      if (operator === SyntaxKind.AmpersandAmpersandToken) return holds(value.right, module);
      if (operator === SyntaxKind.EqualsToken || operator === SyntaxKind.QuestionQuestionEqualsToken) return holds(value.right, module);
      return false;
    }
    if (isConditionalExpression(value)) return holds(value.whenTrue, module) || holds(value.whenFalse, module);
    if (isCallExpression(value)) {
      const target = unwrapExpression(value.expression);
      // `globalThis.fetch.bind(globalThis)`: the same function.
      if (isPropertyAccessExpression(target) && target.name.text === "bind") return holds(target.expression, module);
      // `defaultFetch()`: what a project helper returns.
      const helper = ctx.values.calledFunction(target, module);
      return !!helper && ctx.values.returnedValues(helper.fn, helper.module).some((v) => holds(v.expression, v.module));
    }
    return false;
  };

  /** Whether a value may be a global object (`globalThis`, `self`), whose `fetch` is the global fetch. */
  const globalObject = (expression: ts.Expression, module: ModuleFacts): boolean => {
    const value = unwrapExpression(expression);
    if (seen.has(value) || ++steps > MAX_HOLDER_STEPS) return false;
    seen.add(value);
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (!declaration) return GLOBAL_OBJECTS.has(value.text);
      return isVariableDeclaration(declaration) && ctx.values.valuesOf(value, module).some((v) => globalObject(v.expression, v.module));
    }
    if (isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.QuestionQuestionToken)
        return globalObject(value.left, module) || globalObject(value.right, module);
      return false;
    }
    if (isConditionalExpression(value)) return globalObject(value.whenTrue, module) || globalObject(value.whenFalse, module);
    if (isCallExpression(value)) {
      const helper = ctx.values.calledFunction(unwrapExpression(value.expression), module);
      return !!helper && ctx.values.returnedValues(helper.fn, helper.module).some((v) => globalObject(v.expression, v.module));
    }
    return false;
  };

  /**
   * Whether a value is always a function of the project, never nullish: a function written there, a
   * name or a field every value of which is one (what the calls met so far pass, for a parameter's
   * field named for fetch), `binding ? fn : undefined` on a binding the config declares, `a ?? b`
   * where either side always is.
   */
  const alwaysFunction = (expression: ts.Expression, module: ModuleFacts, depth: number): boolean => {
    const value = unwrapExpression(expression);
    if (depth > MAX_FUNCTION_DEPTH) return false;
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return true;
    if (isConditionalExpression(value)) {
      if (ctx.values.bindingOf(unwrapExpression(value.condition))) return alwaysFunction(value.whenTrue, module, depth + 1);
      return alwaysFunction(value.whenTrue, module, depth + 1) && alwaysFunction(value.whenFalse, module, depth + 1);
    }
    if (isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (operator === SyntaxKind.BarBarToken || operator === SyntaxKind.QuestionQuestionToken)
        return alwaysFunction(value.left, module, depth + 1) || alwaysFunction(value.right, module, depth + 1);
      return false;
    }
    let values: ReadonlyArray<{ expression: ts.Expression; module: ModuleFacts }> = [];
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (!declaration || !isVariableDeclaration(declaration)) return false;
      values = ctx.values.valuesOf(value, module);
    } else if (isPropertyAccessExpression(value)) {
      const receiver = unwrapExpression(value.expression);
      const parameter = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
      // (Only a property named for fetch, as above: asking what a parameter was given keeps the walk from being kept.)
      if (!parameter || !isParameter(parameter) || !/fetch/i.test(value.name.text)) return false;
      values = ctx.values.fieldValues(value, module);
    }
    return values.length > 0 && values.every((v) => alwaysFunction(v.expression, v.module, depth + 1));
  };

  const identifierHolds = (identifier: ts.Identifier, module: ModuleFacts): boolean => {
    const declaration = declarationOf(identifier);
    if (!declaration) return identifier.text === "fetch" && !module.imports.has("fetch");
    if (isVariableDeclaration(declaration) || isBindingElement(declaration)) {
      // `const { fetch: f = globalThis.fetch } = options`: the default.
      if (isBindingElement(declaration) && declaration.initializer && holds(declaration.initializer, module)) return true;
      return ctx.values.valuesOf(identifier, module).some((v) => holds(v.expression, v.module));
    }
    if (isParameter(declaration)) {
      if (declaration.initializer && holds(declaration.initializer, module)) return true;
      const type = declaration.type;
      if (type && ts.isTypeQueryNode(type) && isIdentifier(type.exprName) && type.exprName.text === "fetch") return true;
      // A constructor's parameter property (`constructor(private fetchFn = fetch)`) is read as a field.
      return ctx.values.argumentsPassedFor(declaration).some((v) => holds(v.expression, v.module));
    }
    return false;
  };

  return holds(callee, module);
}

/** Whether a callee is worth asking about: a name, or a field of `this` or of an object (never a method call on a global). */
export function mayBeFetchHolder(callee: ts.Expression): boolean {
  const value = unwrapExpression(callee);
  if (isIdentifier(value)) return true;
  if (!isPropertyAccessExpression(value)) return false;
  // A class's own method named like a field is not a field: only fields and assignments are read.
  const cls = value.expression.kind === SyntaxKind.ThisKeyword ? findAncestor(value, isClassLike) : undefined;
  if (cls && cls.members.some((m) => !isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === value.name.text))
    return false;
  return true;
}
