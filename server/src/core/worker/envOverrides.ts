// A Worker that hands its app a different env: `app.fetch(request, { ...env, DB: db }, ctx)` with a
// client made in the fetch handler (`db = drizzle(postgres(env.HYPERDRIVE.connectionString))`).
// Routes then read `c.env.DB`, which is no binding: what the handed env's field holds is.
import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { type ValueRef } from "./valuesCore";

/**
 * Each module's handed env fields by name, read once: a module's calls never change once parsed,
 * and the question is asked for every `c.env.X` that is no binding (a large API asked it tens of
 * thousands of times, each time over every call of every module).
 */
const handedByModule = new WeakMap<ModuleFacts, ReadonlyMap<string, readonly ValueRef[]>>();

/**
 * The values an env field that is no binding may hold: the property of that name in the object
 * literal a `*.fetch(request, { ...env, NAME: value }, ctx)` call of the project hands as env.
 * Empty when no such call gives one.
 */
export function handedEnvValues(modules: Iterable<ModuleFacts>, name: string): ValueRef[] {
  const out: ValueRef[] = [];
  for (const module of modules) {
    const found = handedFields(module).get(name);
    if (found) out.push(...found);
  }
  return out;
}

function handedFields(module: ModuleFacts): ReadonlyMap<string, readonly ValueRef[]> {
  let fields = handedByModule.get(module);
  if (fields) return fields;
  const byName = new Map<string, ValueRef[]>();
  for (const call of module.calls) {
    if (!ts.isCallExpression(call) || call.arguments.length < 2) continue;
    const callee = unwrapExpression(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "fetch") continue;
    const env = unwrapExpression(call.arguments[1]!);
    if (!ts.isObjectLiteralExpression(env) || !env.properties.some(ts.isSpreadAssignment)) continue;
    for (const property of env.properties) {
      if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name))) continue;
      const value: ValueRef | undefined = ts.isPropertyAssignment(property)
        ? { expression: property.initializer, module }
        : ts.isShorthandPropertyAssignment(property)
          ? { expression: property.name, module }
          : undefined;
      if (!value) continue;
      const list = byName.get(property.name.text) ?? [];
      list.push(value);
      byName.set(property.name.text, list);
    }
  }
  fields = byName;
  handedByModule.set(module, fields);
  return fields;
}
