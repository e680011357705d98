import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { runtimeConfigPath, runtimeConfigValue } from "./runtimeConfig";
import { declarationOf, isEnvLike } from "./syntax";

const {
  SyntaxKind,
  isBinaryExpression,
  isBindingElement,
  isElementAccessExpression,
  isIdentifier,
  isNewExpression,
  isObjectBindingPattern,
  isParameter,
  isPropertyAccessExpression,
  isStringLiteralLike,
  isTemplateExpression,
  isVariableDeclaration,
  isCallExpression,
  isAwaitExpression,
} = ts;

const MAX_DEPTH = 8;
const SCHEME_ONLY = /^[a-z][a-z0-9+.-]*:\/\/$/i;

/**
 * Where the host of a URL that cannot be resolved comes from, when it comes from the Worker's
 * configuration: a variable or secret that `[vars]` does not define, read as `env.API_BASE`
 * (`c.env`, `this.env`, `context.cloudflare.env`, `process.env`), also through a constant, a
 * destructured name, a class field set from it in the constructor, or a parameter every call
 * passes it for. The answer names the source (`env.API_BASE`); undefined when the host is made
 * of anything else (the request, a computed value, a library's result) or of several sources.
 *
 * Only the host part counts: `${env.API_BASE}/users`, `https://${env.HOST}/x`,
 * `env.API_BASE + "/x"`, `new URL("/x", env.API_BASE)`, `new Request(url)`, the URL itself.
 * `https://${tenant}.${env.SUFFIX}` is not configured: part of its host comes from elsewhere.
 *
 * This reads values through the value-flow API (values.ts) without changing how it resolves them.
 */
export function configuredHostSource(ctx: AnalysisContext, expression: ts.Expression, module: ModuleFacts, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const value = unwrapExpression(expression);
  if (isTemplateExpression(value)) {
    const first = value.templateSpans[0];
    if (!first || !(value.head.text === "" || SCHEME_ONLY.test(value.head.text))) return undefined;
    // The host must end where the span does: `https://${env.HOST}/x`, not `https://${env.SUB}.example.com`.
    if (SCHEME_ONLY.test(value.head.text) && !/^([/?#:]|$)/.test(first.literal.text)) return undefined;
    return sourceName(ctx, first.expression, module, depth + 1);
  }
  if (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken)
    return configuredHostSource(ctx, value.left, module, depth + 1);
  if (isNewExpression(value) && isIdentifier(value.expression)) {
    const [first, second] = value.arguments ?? [];
    if (value.expression.text === "Request" && first) return configuredHostSource(ctx, first, module, depth + 1);
    if (value.expression.text === "URL" && first) {
      const path = ctx.values.evaluateString(first, 0);
      if (second && (path === undefined || !path.includes("://"))) return configuredHostSource(ctx, second, module, depth + 1);
      return configuredHostSource(ctx, first, module, depth + 1);
    }
    return undefined;
  }
  if (isPropertyAccessExpression(value) && (value.name.text === "href" || value.name.text === "origin"))
    if (!isEnvLike(value.expression)) return configuredHostSource(ctx, value.expression, module, depth + 1);
  if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "toString")
    return configuredHostSource(ctx, value.expression.expression, module, depth + 1);
  return sourceName(ctx, value, module, depth + 1);
}

/** The configuration value an expression holds, by name (`env.API_BASE`), when it is one and the same everywhere. */
function sourceName(ctx: AnalysisContext, expression: ts.Expression, module: ModuleFacts, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let value = unwrapExpression(expression);
  const stored = kvSource(ctx, value);
  if (stored) return stored;
  if (isAwaitExpression(value)) return undefined;
  // `env.API_BASE || ""`, `env.API_BASE ?? DEFAULT`: the configured value is what is used when it is set.
  // `(key && process.env[key]) || process.env.SLACK_WEBHOOK_URL`: a variable chosen at run time, else
  // the named one: that one names the source (both are configuration).
  while (
    isBinaryExpression(value) &&
    (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken)
  ) {
    if (isDynamicEnvRead(value.left)) {
      value = unwrapExpression(value.right);
      continue;
    }
    value = unwrapExpression(value.left);
  }
  // Nuxt / Nitro `useRuntimeConfig(event).dohUrl` left empty in nuxt.config: set from `NUXT_*` variables at run time.
  const runtimePath = runtimeConfigPath(value, module);
  if (runtimePath?.length) return runtimeConfigValue(ctx, runtimePath) === null ? `runtimeConfig.${runtimePath.join(".")}` : undefined;
  if (isPropertyAccessExpression(value) && isEnvLike(value.expression)) return envName(ctx, value.name.text);
  if (isElementAccessExpression(value) && isEnvLike(value.expression) && isStringLiteralLike(value.argumentExpression))
    return envName(ctx, value.argumentExpression.text);
  // A URL built from one (`const base = \`${env.API}/v1\``): its host is the same source.
  if (isTemplateExpression(value) || (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken))
    return configuredHostSource(ctx, value, module, depth + 1);
  if (isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword)
    return agreed(ctx.values.thisMemberValues(value, module).map((s) => sourceName(ctx, s.expression, s.module, depth + 1)));
  // A field of a configuration object kept in KV (`config.apiUrl` with `config = await env.CONFIG.get("app", "json")`).
  if (isPropertyAccessExpression(value) && isIdentifier(value.expression)) {
    const holder = declarationOf(value.expression);
    if (holder && isVariableDeclaration(holder)) {
      const sources = ctx.values.valuesOf(value.expression, module, depth).map((s) => kvSource(ctx, unwrapExpression(s.expression)));
      return agreed(sources);
    }
    return undefined;
  }
  if (!isIdentifier(value)) return undefined;
  const declaration = declarationOf(value);
  if (declaration && isBindingElement(declaration) && isObjectBindingPattern(declaration.parent)) {
    const holder = declaration.parent.parent;
    const source = isVariableDeclaration(holder) ? holder.initializer : undefined;
    if (source && isEnvLike(source)) {
      const key = declaration.propertyName ?? declaration.name;
      return isIdentifier(key) || isStringLiteralLike(key) ? envName(ctx, key.text) : undefined;
    }
    return undefined;
  }
  if (declaration && isParameter(declaration))
    return agreed(ctx.values.argumentsPassedFor(declaration).map((s) => sourceName(ctx, s.expression, s.module, depth + 1)));
  if (!declaration || !isVariableDeclaration(declaration)) return undefined;
  return agreed(ctx.values.valuesOf(value, module, depth).map((s) => sourceName(ctx, s.expression, s.module, depth + 1)));
}

/** `env[key]`, `process.env[name]` with a key known only at run time, also behind a guard (`key && env[key]`). */
function isDynamicEnvRead(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) return isDynamicEnvRead(value.right);
  return isElementAccessExpression(value) && isEnvLike(value.expression) && !isStringLiteralLike(value.argumentExpression);
}

/**
 * A value read from a KV namespace the Worker configures itself with: `await env.CONFIG.get("endpoint")`,
 * also as JSON (`get(key, "json")`, `JSON.parse(await ...)`). Named `kv:CONFIG/endpoint`.
 */
function kvSource(ctx: AnalysisContext, value: ts.Expression): string | undefined {
  let current = value;
  if (isAwaitExpression(current)) current = unwrapExpression(current.expression);
  // `JSON.parse(await env.CONFIG.get("app"))`
  if (
    isCallExpression(current) &&
    isPropertyAccessExpression(current.expression) &&
    isIdentifier(current.expression.expression) &&
    current.expression.expression.text === "JSON" &&
    current.expression.name.text === "parse" &&
    current.arguments[0]
  )
    return kvSource(ctx, unwrapExpression(current.arguments[0]));
  if (!isCallExpression(current) || !isPropertyAccessExpression(current.expression) || current.expression.name.text !== "get")
    return undefined;
  const key = current.arguments[0];
  const binding = ctx.values.bindingOf(unwrapExpression(current.expression.expression));
  if (binding?.kind !== "kv" || !key || !isStringLiteralLike(key)) return undefined;
  return `kv:${binding.name}/${key.text}`;
}

/** A variable or secret the Worker's `[vars]` does not define (one it defines resolves to its value). */
function envName(ctx: AnalysisContext, name: string): string | undefined {
  if (name in ctx.input.vars || ctx.bindingKinds.has(name)) return undefined;
  return `env.${name}`;
}

function agreed(names: ReadonlyArray<string | undefined>): string | undefined {
  const set = new Set(names);
  const [only] = set;
  return set.size === 1 ? only : undefined;
}

/** The reason line for a host taken from configuration, assumed to be a back end. */
export function configuredHostNote(source: string, what: string): string {
  const origin = source.startsWith("kv:")
    ? "a value the Worker keeps in KV"
    : source.startsWith("runtimeConfig.")
      ? "a Nuxt / Nitro runtime config value nuxt.config leaves empty (set from a NUXT_* or NITRO_* variable at run time)"
      : "a variable or secret not in [vars]";
  return `${what}: the host comes from ${source}, ${origin}: assumed to be the app's own back end (list "${source}" in the hosts.global or hosts.analytics setting if it is not)`;
}
