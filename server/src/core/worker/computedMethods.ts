// A method chosen at run time on a known object: `logger[level]("sent", data)` with `level` one of
// "info" | "warn" | "error" and `logger` an object literal (or what a project factory returns) or an
// instance of a project class. Each method the key may name is a path; the walk counts the worst.
// Undefined (the call stays a dynamic call whose target is unknown) unless every candidate is a
// function the walk can read.
import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { type FunctionRef, HOLE } from "./syntax";
import { type ValueResolver } from "./values";

/** Keys and entries read at most: a computed call on a larger object is left unknown. */
const MAX_CANDIDATES = 16;

export function computedMethodTargets(
  values: ValueResolver,
  callee: ts.ElementAccessExpression,
  module: ModuleFacts,
): FunctionRef[] | undefined {
  const receiver = unwrapExpression(callee.expression);
  const texts = values.evaluateStrings(callee.argumentExpression, 0);
  const keys = texts && texts.length > 0 && texts.every((t) => !t.includes(HOLE)) ? [...new Set(texts)] : undefined;
  if (keys && keys.length > MAX_CANDIDATES) return undefined;

  const literals = values.objectLiterals(receiver, module, 0);
  if (literals.length > 0) {
    const found: FunctionRef[] = [];
    for (const { literal, module: home } of literals) {
      const functions = literalMethods(values, literal, home, keys);
      if (!functions) return undefined;
      found.push(...functions);
    }
    return found.length > 0 ? found : undefined;
  }

  // An instance of a project class: only with the keys known (a class's every member is no table).
  if (!keys) return undefined;
  const instance = values.classOfInstance(receiver, module);
  if (!instance) return undefined;
  const found: FunctionRef[] = [];
  for (const key of keys) {
    const method = values.methodOf(instance, key);
    if (!method) return undefined;
    found.push(method);
  }
  return found;
}

/** The functions of an object literal a key may name (every property when the key is unknown); undefined when one is not a function read. */
function literalMethods(
  values: ValueResolver,
  literal: ts.ObjectLiteralExpression,
  module: ModuleFacts,
  keys: readonly string[] | undefined,
): FunctionRef[] | undefined {
  const named = new Map<string, ts.ObjectLiteralElementLike>();
  for (const property of literal.properties) {
    // A spread or computed name: what the object holds is not all written here.
    if (!property.name || ts.isComputedPropertyName(property.name) || ts.isSpreadAssignment(property)) return undefined;
    const name = ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name) ? property.name.text : undefined;
    if (name === undefined) return undefined;
    named.set(name, property);
  }
  if (!keys && named.size > MAX_CANDIDATES) return undefined;
  const out: FunctionRef[] = [];
  for (const key of keys ?? [...named.keys()]) {
    const property = named.get(key);
    const fn = !property
      ? undefined
      : ts.isMethodDeclaration(property)
        ? { fn: property, module }
        : ts.isPropertyAssignment(property)
          ? values.functionFrom(property.initializer, module)
          : ts.isShorthandPropertyAssignment(property)
            ? values.functionFrom(property.name, module)
            : undefined;
    if (!fn) return undefined;
    out.push(fn);
  }
  return out;
}
