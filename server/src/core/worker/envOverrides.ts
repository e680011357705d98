// A Worker that hands its app a different env: `app.fetch(request, { ...env, DB: db }, ctx)` with a
// client made in the fetch handler (`db = drizzle(postgres(env.HYPERDRIVE.connectionString))`).
// Routes then read `c.env.DB`, which is no binding: what the handed env's field holds is.
import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { type ValueRef } from "./valuesCore";

/**
 * The values an env field that is no binding may hold: the property of that name in the object
 * literal a `*.fetch(request, { ...env, NAME: value }, ctx)` call of the project hands as env.
 * Empty when no such call gives one.
 */
export function handedEnvValues(modules: Iterable<ModuleFacts>, name: string): ValueRef[] {
  const out: ValueRef[] = [];
  for (const module of modules)
    for (const call of module.calls) {
      if (!ts.isCallExpression(call) || call.arguments.length < 2) continue;
      const callee = unwrapExpression(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "fetch") continue;
      const env = unwrapExpression(call.arguments[1]!);
      if (!ts.isObjectLiteralExpression(env) || !env.properties.some(ts.isSpreadAssignment)) continue;
      for (const property of env.properties) {
        if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name))) continue;
        if (property.name.text !== name) continue;
        if (ts.isPropertyAssignment(property)) out.push({ expression: property.initializer, module });
        else if (ts.isShorthandPropertyAssignment(property)) out.push({ expression: property.name, module });
      }
    }
  return out;
}
