import ts from "typescript";
import type { HostCategoryOverrides } from "../hosts";
import { moduleVariable, unwrapExpression, type ExportBinding, type ModuleFacts } from "../module";
import { spanOf, type FunctionRef } from "../syntax";
import { hostTrip, type LibraryTrip } from "./types";

/**
 * nuxt-auth-utils' OAuth route handlers (`defineOAuthGitHubEventHandler({ config, onSuccess })`),
 * auto-imported in a Nuxt server route. On the callback request (the provider sent a `code`) the
 * handler exchanges the code for a token, then reads the user, then runs the app's `onSuccess`;
 * the first request (no code) only redirects to the provider, with no subrequest. So the route's
 * worst path is the callback's: the provider's round trips, then `onSuccess`.
 */
const HANDLER_NAME = /^defineOAuth([A-Z][A-Za-z0-9]*)EventHandler$/;

/** Where nuxt-auth-utils' handlers are imported from when a module imports them rather than using the auto-import. */
const HANDLER_MODULES = new Set(["nuxt-auth-utils", "#imports", "#auth-utils"]);

/**
 * The hosts of each provider's callback requests, in order (nuxt-auth-utils'
 * `src/runtime/server/lib/oauth/<provider>.ts`): the token request (`requestAccessToken`), then
 * the user-info request (`$fetch` of the user URL). Providers whose hosts come from the app's
 * configuration (a tenant domain: Auth0, Keycloak, Cognito, ...) are not listed: unknown, named.
 */
const PROVIDERS: Readonly<Record<string, readonly [token: string, user: string]>> = {
  Line: ["api.line.me", "api.line.me"],
  GitHub: ["github.com", "api.github.com"],
  Google: ["oauth2.googleapis.com", "www.googleapis.com"],
  Discord: ["discord.com", "discord.com"],
  Facebook: ["graph.facebook.com", "graph.facebook.com"],
  GitLab: ["gitlab.com", "gitlab.com"],
  Twitch: ["id.twitch.tv", "api.twitch.tv"],
  Spotify: ["accounts.spotify.com", "api.spotify.com"],
  LinkedIn: ["www.linkedin.com", "api.linkedin.com"],
  Microsoft: ["login.microsoftonline.com", "graph.microsoft.com"],
  X: ["api.x.com", "api.x.com"],
  Slack: ["slack.com", "slack.com"],
};

/** A nuxt-auth-utils OAuth handler call: the provider named by the factory, its options literal. */
export interface NuxtOAuthHandler {
  readonly call: ts.CallExpression;
  readonly provider: string;
  readonly options: ts.ObjectLiteralExpression | undefined;
}

/** `defineOAuth<Provider>EventHandler({...})`, auto-imported or imported from nuxt-auth-utils; else undefined. */
export function nuxtOAuthHandlerCall(expression: ts.Expression, module: ModuleFacts): NuxtOAuthHandler | undefined {
  const value = unwrapExpression(expression);
  if (!ts.isCallExpression(value)) return undefined;
  const callee = unwrapExpression(value.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const provider = HANDLER_NAME.exec(callee.text)?.[1];
  if (!provider) return undefined;
  const imported = module.imports.get(callee.text);
  if (imported ? !HANDLER_MODULES.has(imported.module) : module.functions.has(callee.text) || moduleVariable(module, callee.text))
    return undefined;
  const first = value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
  return { call: value, provider, options: first && ts.isObjectLiteralExpression(first) ? first : undefined };
}

/** The handler an export is, when it is a nuxt-auth-utils OAuth handler. */
export function nuxtOAuthHandlerOf(binding: ExportBinding, module: ModuleFacts): NuxtOAuthHandler | undefined {
  const value = binding.expression ?? (binding.local ? (moduleVariable(module, binding.local)?.initializer ?? undefined) : undefined);
  return value ? nuxtOAuthHandlerCall(value, module) : undefined;
}

/** The named property of an object literal, as a property assignment's value or a method. */
function member(literal: ts.ObjectLiteralExpression | undefined, name: string): ts.ObjectLiteralElementLike | undefined {
  return literal?.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text === name);
}

/** The app's `onSuccess` callback, run after the provider's round trips (a method, or a function held by the property). */
export function onSuccessOf(
  handler: NuxtOAuthHandler,
  module: ModuleFacts,
  functionFrom: (expression: ts.Expression, module: ModuleFacts) => FunctionRef | undefined,
): FunctionRef | undefined {
  const property = member(handler.options, "onSuccess");
  if (!property) return undefined;
  if (ts.isMethodDeclaration(property)) return { fn: property, module };
  if (ts.isPropertyAssignment(property)) return functionFrom(property.initializer, module);
  if (ts.isShorthandPropertyAssignment(property)) return functionFrom(property.name, module);
  return undefined;
}

/**
 * Whether the GitHub handler also reads `/user/emails`: it does when the profile shows no public
 * address and `emailRequired` is set. Read from the handler's `config` literal; a value set in the
 * app's runtime config is not read.
 */
function emailRequired(handler: NuxtOAuthHandler): boolean {
  const config = member(handler.options, "config");
  const literal = config && ts.isPropertyAssignment(config) ? unwrapExpression(config.initializer) : undefined;
  const required = literal && ts.isObjectLiteralExpression(literal) ? member(literal, "emailRequired") : undefined;
  return !!required && ts.isPropertyAssignment(required) && required.initializer.kind === ts.SyntaxKind.TrueKeyword;
}

/** The round trips of the callback request before `onSuccess` runs, in order, listed at the handler call. */
export function nuxtOAuthTrips(
  handler: NuxtOAuthHandler,
  module: ModuleFacts,
  hostCategories: HostCategoryOverrides | undefined,
): LibraryTrip[] {
  const factory = `nuxt-auth-utils defineOAuth${handler.provider}EventHandler`;
  const hosts = PROVIDERS[handler.provider];
  if (!hosts) {
    const node = handler.call.expression;
    return [
      {
        node,
        module,
        steps: ["once"],
        subrequest: {
          file: module.path,
          span: spanOf(node, module.sourceFile),
          kind: "sdk",
          target: null,
          category: "unknown",
          note: `${factory}: on the OAuth callback it exchanges the code and reads the user at a provider the analyser does not know (its hosts come from the app's configuration): counted as two round trips and reported unknown`,
          unresolved: true,
          roundTrips: 2,
        },
      },
    ];
  }
  const [token, user] = hosts;
  // Listed at distinct places so each stays its own entry: the token request at the handler's
  // name, the user read at its options.
  const userNode = handler.call.arguments[0] ?? handler.call;
  const trips = [
    hostTrip(
      token,
      hostCategories,
      handler.call.expression,
      module,
      `${factory}: on the OAuth callback, the code exchanged for a token at ${token}`,
      ["once"],
    ),
    hostTrip(user, hostCategories, userNode, module, `${factory}: then the user read at ${user}, before onSuccess`, ["once"]),
  ];
  if (handler.provider === "GitHub" && emailRequired(handler)) {
    const config = member(handler.options, "config") ?? handler.call;
    trips.push(
      hostTrip(
        user,
        hostCategories,
        config,
        module,
        `${factory}: then, with emailRequired and no public address, the user's e-mail addresses read at ${user}`,
        ["once"],
      ),
    );
  }
  return trips;
}
