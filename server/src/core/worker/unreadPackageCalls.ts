// Calls into a package of the repository whose source is not there to read (a workspace package
// not installed, or a Wrangler `alias` whose target is outside the checkout). What such a call
// sends cannot be read, so it is an unknown, except where what it is given bounds what it can
// reach (under the "likely" assumption, said in the reasons):
// - given only plain data (literals, values read from the request or a response body, constants)
//   and not awaited where it is written (its result used as a value: `return failure(400, "no")`,
//   `const parsed = validate(schema, body)`): nothing it is given names a back end, a client or a
//   binding, and the code treats it as synchronous, so it is taken to do its work in the Worker (an
//   error-response builder, a health payload). `await loadSettings()` may fetch a host fixed in
//   the package: unknown;
// - given one service binding, with plain data and at most the env (whose back-end-capable
//   entries, a Hyperdrive binding or a URL in [vars], there are none of): taken to reach that
//   binding only, another Worker (a service binding is no back end).
// Anything else it is given (the request handed on, a client, a URL, a callback, a D1 binding)
// keeps the call unknown.
import ts from "typescript";
import type { AnalysisContext } from "./context";
import type { ModuleFacts } from "./module";
import { unwrapExpression } from "./module";
import { arePlainValues } from "./plainValues";
import { isEnvLike } from "./syntax";

/** What a call into an unread package of the repository is taken to do, or undefined (an unknown). */
export function unreadPackageAssumption(
  ctx: AnalysisContext,
  call: ts.Node,
  args: readonly ts.Expression[],
  module: ModuleFacts,
): { readonly kind: "local" } | { readonly kind: "service"; readonly binding: string } | undefined {
  if (ctx.input.assume === "strict") return undefined;
  if (args.some((a) => ts.isSpreadElement(a))) return undefined;
  if (!writtenAwaited(call) && arePlainValues(ctx, args, module)) return { kind: "local" };
  let service: string | undefined;
  let env = false;
  for (const arg of args) {
    const value = unwrapExpression(arg);
    const binding = ctx.values.bindingOf(value);
    if (binding?.kind === "services") {
      if (service !== undefined && service !== binding.name) return undefined;
      service = binding.name;
      continue;
    }
    if (isEnvLike(value)) {
      env = true;
      continue;
    }
    if (!arePlainValues(ctx, [arg], module)) return undefined;
  }
  if (service === undefined) return undefined;
  if (env && !envReachesNoBackend(ctx)) return undefined;
  return { kind: "service", binding: service };
}

/** Whether a call is the operand of an `await` where it is written (through parentheses). */
function writtenAwaited(call: ts.Node): boolean {
  let node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return ts.isAwaitExpression(node.parent);
}

/** Whether the env holds nothing that names a back end: no Hyperdrive binding, no URL among [vars]. */
function envReachesNoBackend(ctx: AnalysisContext): boolean {
  const { bindings, vars } = ctx.input;
  if (bindings.hyperdrive.length > 0) return false;
  return Object.values(vars).every((value) => !value.includes("://"));
}
