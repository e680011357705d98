import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { hostOf, type FunctionRef } from "./syntax";
import { ownEntry } from "../tables";

const { isCallExpression, isIdentifier, isNewExpression, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment } = ts;

/**
 * What a remix-auth strategy does in `authenticator.authenticate(name, request)` on its callback
 * request, before it calls the app's verify function: `trips` sequential requests to `host`
 * (an OAuth2 strategy exchanges the code at the provider's token URL, then, for a provider's own
 * strategy, reads the user's profile); `tokenOption`: the option that names the token URL when the
 * host is the app's (the generic OAuth2 strategy). The request that starts a sign-in (no `code`)
 * only redirects: no round trip, so the callback is the worst case.
 */
interface StrategyModel {
  /** The name `authenticate` is called with when `use(strategy)` gives none. */
  readonly name: string;
  readonly host: string | null;
  readonly trips: number;
  readonly tokenOptions?: readonly string[];
  readonly what: string;
}

const DISCORD: StrategyModel = {
  name: "discord",
  host: "discord.com",
  trips: 2,
  what: "exchanges the code at discord.com's token URL, then reads the user (/users/@me)",
};

/** Strategy packages and their classes. */
const STRATEGIES: Readonly<Record<string, Readonly<Record<string, StrategyModel>>>> = {
  "remix-auth-discord": { DiscordStrategy: DISCORD },
  "remix-auth-socials": { DiscordStrategy: DISCORD },
  "remix-auth-oauth2": {
    OAuth2Strategy: {
      name: "oauth2",
      host: null,
      trips: 1,
      tokenOptions: ["tokenURL", "tokenEndpoint"],
      what: "exchanges the code at its token URL (the profile is the app's to read)",
    },
  },
  "remix-auth-form": { FormStrategy: { name: "form", host: null, trips: 0, what: "reads the form: nothing sent" } },
};

/** A strategy registered on an authenticator (`auth.use(new DiscordStrategy(options, verify), name?)`). */
export interface RemixAuthStrategy {
  readonly name: string;
  readonly className: string;
  readonly module: string;
  /** The table's model, or undefined for a strategy of a package the table does not list. */
  readonly model: StrategyModel | undefined;
  /** The host its requests go to (the model's, or the token URL's), when known. */
  readonly host: string | null;
  /** The app's verify function, run after the strategy's requests. */
  readonly verify: FunctionRef | undefined;
}

/** Whether a package is a remix-auth strategy package (listed, or named like one). */
function isStrategyPackage(name: string): boolean {
  return ownEntry(STRATEGIES, name) !== undefined || name.startsWith("remix-auth-") || name.startsWith("@nichtsam/remix-auth-");
}

/**
 * The strategies registered on remix-auth authenticators anywhere in the loaded modules (`use(new
 * S(options, verify), name?)` with S from a strategy package). They are read beyond the walked
 * function's imports (the authenticator is often made in a load context or a module of its own),
 * so the walk is not kept.
 */
export function remixAuthStrategies(ctx: AnalysisContext): RemixAuthStrategy[] {
  ctx.walker.cutWalk();
  const found: RemixAuthStrategy[] = [];
  for (const module of ctx.loader.modules.values()) {
    for (const call of module.calls) {
      if (!isCallExpression(call) || call.arguments.length === 0) continue;
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee) || callee.name.text !== "use") continue;
      const made = strategyMade(ctx, call.arguments[0]!, module);
      if (!made) continue;
      const named = call.arguments[1] ? ctx.values.evaluateString(call.arguments[1], 0) : undefined;
      const model = ownEntry(STRATEGIES, made.module)?.[made.className];
      // The verify function is the strategy's last argument (`new DiscordStrategy(options, verify)`,
      // `new FormStrategy(verify)`); the options come first.
      const given = made.node.arguments ?? [];
      const options = given.length > 1 ? given[0] : undefined;
      const verify = given[given.length - 1];
      found.push({
        name: named ?? model?.name ?? made.className.replace(/Strategy$/, "").toLowerCase(),
        className: made.className,
        module: made.module,
        model,
        host: model?.host ?? (model?.tokenOptions && options ? tokenHost(ctx, options, model.tokenOptions) : null),
        verify: verify ? ctx.values.functionFrom(verify, made.at) : undefined,
      });
    }
  }
  return found;
}

/** `new DiscordStrategy(...)`, written in place or held in a name: its class, package and node. */
function strategyMade(
  ctx: AnalysisContext,
  expression: ts.Expression,
  module: ModuleFacts,
): { node: ts.NewExpression; className: string; module: string; at: ModuleFacts } | undefined {
  let value = unwrapExpression(expression);
  let at = module;
  if (isIdentifier(value)) {
    const held = ctx.values.valuesOf(value, module).find((v) => isNewExpression(unwrapExpression(v.expression)));
    if (!held) return undefined;
    value = unwrapExpression(held.expression);
    at = held.module;
  }
  if (!isNewExpression(value)) return undefined;
  const callee = unwrapExpression(value.expression);
  if (!isIdentifier(callee)) return undefined;
  const imported = at.imports.get(callee.text);
  if (!imported || !isStrategyPackage(imported.module)) return undefined;
  return { node: value, className: imported.name === "default" ? callee.text : imported.name, module: imported.module, at };
}

/** The host of the token URL an options object names (`tokenURL: "https://id.example.com/token"`). */
function tokenHost(ctx: AnalysisContext, options: ts.Expression, names: readonly string[]): string | null {
  const literal = unwrapExpression(options);
  if (!isObjectLiteralExpression(literal)) return null;
  for (const property of literal.properties) {
    if (!isPropertyAssignment(property) || !property.name || !isIdentifier(property.name) || !names.includes(property.name.text)) continue;
    const text = ctx.values.evaluateString(property.initializer, 0);
    const host = text ? hostOf(text) : undefined;
    if (host) return host;
  }
  return null;
}
