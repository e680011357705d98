// Value resolution, the shared part: what ValueResolver (values.ts) is made of. The resolver answers
// what names, fields, parameters and calls hold; each job has its own part, layered into one class
// only because TypeScript composes a class that way:
//   valuesArguments.ts  names, variables and returns; parameters, callbacks, the arguments calls pass
//   valuesInstances.ts  instances, fields and factories: which project class a value is
//   valuesNames.ts      what a name or callee refers to: classes, exports, functions, env bindings
//   valuesStrings.ts    strings, URLs and hosts; literals, templates, [vars]
//   valuesObjects.ts    object literals and their properties
// Each part calls the others through `this`. This file holds what more than one part uses: the
// value types, the state they share, small syntax helpers, and the declarations of what a part
// calls in a part layered above it.
import ts from "typescript";
import { type AnalysisContext } from "./context";
import { unwrapExpression, type ExportBinding, type ModuleFacts } from "./module";
import { type FunctionRef, declarationOf, findAncestor } from "./syntax";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  getModifiers,
  isArrowFunction,
  isAwaitExpression,
  isCallExpression,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isMethodDeclaration,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isSpreadElement,
  isStringLiteralLike,
} = ts;

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

/** The text of a property name written as an identifier or a string. */
export function getNameText(name: ts.PropertyName): string | undefined {
  return isIdentifier(name) || isStringLiteralLike(name) ? name.text : undefined;
}

/**
 * What a value gives when awaited, as far as it can be read where it is written: `await x` and the
 * global `Promise.resolve(x)` both give `x` (a promise made ready at once, often kept in a variable
 * so the value is made once: `cached = Promise.resolve({ repo: new Repo(env) })`). Any other
 * expression is returned as it is (parentheses and casts removed).
 */
export function settledValue(expression: ts.Expression, module: ModuleFacts): ts.Expression {
  let value = unwrapExpression(expression);
  for (let step = 0; step < 8; step++) {
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    else if (isPromiseResolve(value, module)) value = unwrapExpression(value.arguments[0]!);
    else break;
  }
  return value;
}

/** `Promise.resolve(x)` of the global Promise (not one declared or imported in the module), given one plain argument. */
function isPromiseResolve(value: ts.Expression, module: ModuleFacts): value is ts.CallExpression {
  if (!isCallExpression(value) || value.arguments.length !== 1 || isSpreadElement(value.arguments[0]!)) return false;
  const callee = unwrapExpression(value.expression);
  if (!isPropertyAccessExpression(callee) || callee.name.text !== "resolve") return false;
  const receiver = unwrapExpression(callee.expression);
  return isIdentifier(receiver) && receiver.text === "Promise" && !declarationOf(receiver) && !module.imports.has("Promise");
}

/** The object literal whose method (or function-valued property) `this.x` is read in, when it is one. */
export function objectOfMethod(access: ts.Node): ts.ObjectLiteralExpression | undefined {
  const fn = findAncestor(access, (n) => isFunctionLike(n) && !isArrowFunction(n));
  if (!fn) return undefined;
  if (isMethodDeclaration(fn) && isObjectLiteralExpression(fn.parent)) return fn.parent;
  if (isFunctionExpression(fn) && isPropertyAssignment(fn.parent) && isObjectLiteralExpression(fn.parent.parent)) return fn.parent.parent;
  return undefined;
}

/**
 * A class's method with a body, or a field holding a function (`read = async (k) => {...}`, which
 * is called like a method); only static ones when `onlyStatic` (`Cache.probe()`).
 */
export function memberFunction(cls: ts.ClassLikeDeclaration, name: string, onlyStatic = false): ts.FunctionLikeDeclaration | undefined {
  for (const member of cls.members) {
    // (`async #request() {...}`, a private method, is read as `this.#request`: named with its `#`.)
    if (!member.name || !(isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) || member.name.text !== name) continue;
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

export abstract class ValueResolverCore {
  /** Whether evaluateString may use the arguments passed for parameters (see urlHosts). */
  protected readingArguments = false;
  /** Parameters evaluateString met without reading their arguments: a second look may help. */
  protected parameterHoles = 0;
  /** What the call being walked passes for its callee's parameters (see withCallArguments). */
  protected readonly callBindings = new Map<ts.ParameterDeclaration, ts.Expression>();
  /** Functions a URL read a parameter of through the call being walked: their round trips depend on the call. */
  readonly readThroughCall = new Set<ts.Node>();
  /** Whether parameters read what the call being walked passes (see urlHosts). */
  protected readingCallArguments = false;
  /** Parameters read by objectLiterals so far (see parameterLiterals): an answer that read one is not cached. */
  protected parameterReads = 0;
  /** How deep objectLiterals is, across calledFunction (see objectLiterals). */
  protected literalDepth = 0;
  /** Variables and functions whose strings are being worked out (see evaluateStrings): not followed round again. */
  protected readonly evaluating = new Set<ts.Node>();
  /** What frameworks pass functions they run, by parameter (see noteFrameworkArgument), per analysis. */
  protected readonly frameworkArguments = new Map<ts.ParameterDeclaration, Map<string, ValueRef[]>>();
  /**
   * Times the arguments met so far were asked for (see argumentsPassedFor), found or not: more
   * calls may be met later, so an answer that asked may change in the analysis (see calledFunction).
   */
  protected argumentLookups = 0;

  constructor(protected readonly ctx: AnalysisContext) {}

  /**
   * Whether a question is in progress that may cut an answer short (a value being evaluated, an
   * argument bound): an answer had now may differ from one had from the top (see calledFunction).
   */
  protected busy(): boolean {
    return this.literalDepth > 0 || this.evaluating.size > 0;
  }

  // What a part calls in a part layered above it (see the note at the top).
  abstract classNamed(name: string, module: ModuleFacts, depth?: number): { cls: ts.ClassLikeDeclaration; module: ModuleFacts } | undefined;

  abstract exportOf(name: string, module: ModuleFacts, depth?: number): { binding: ExportBinding; module: ModuleFacts } | undefined;

  abstract functionFrom(
    expression: ts.Expression,
    module: ModuleFacts,
    depth?: number,
    members?: boolean,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined;

  abstract calledFunction(callee: ts.Expression, module: ModuleFacts): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined;

  abstract objectLiterals(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }>;

  protected abstract objectMembers(
    expression: ts.Expression,
    name: string,
    module: ModuleFacts,
    depth: number,
  ): Array<{ method?: FunctionRef; value?: ValueRef }>;

  protected abstract destructuredValues(element: ts.BindingElement, module: ModuleFacts, depth: number): ValueRef[];

  protected abstract propertyValues(source: ValueRef, name: string, depth: number): ValueRef[];

  abstract fieldValues(access: ts.PropertyAccessExpression, module: ModuleFacts): ValueRef[];
}
