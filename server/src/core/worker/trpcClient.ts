// A tRPC client (`createTRPCClient({ links: [httpBatchLink({ url, fetch })] })` of @trpc/client):
// each `query()` or `mutate()` on it is one HTTP request to the link's `url`, sent by the `fetch`
// the link is given when it is given one (a service binding's fetch, a wrapper that logs and
// calls `fetch`): then what that function does is the request. Only syntax and values are read
// here; the classifier (classify.ts) turns it into a client.
import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import type { FunctionRef } from "./syntax";

const {
  isArrayLiteralExpression,
  isCallExpression,
  isIdentifier,
  isObjectLiteralExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
} = ts;

export const TRPC_CLIENT_MODULE = "@trpc/client";
/** The functions of @trpc/client that make a client. */
export const TRPC_CLIENT_FACTORIES: ReadonlySet<string> = new Set(["createTRPCClient", "createTRPCProxyClient", "createTRPCUntypedClient"]);
/** The links that send over HTTP: their options hold `url` and, optionally, `fetch`. */
const HTTP_LINKS: ReadonlySet<string> = new Set([
  "httpBatchLink",
  "httpLink",
  "httpBatchStreamLink",
  "unstable_httpBatchStreamLink",
  "httpSubscriptionLink",
  "unstable_httpSubscriptionLink",
]);
/** The methods of a procedure that send it; everything before them only names it (`client.post.byId`). */
export const TRPC_SENDS: ReadonlySet<string> = new Set(["query", "mutate", "subscribe"]);

export interface TrpcLink {
  /** The link's `url` option. */
  readonly url?: { readonly expression: ts.Expression; readonly module: ModuleFacts };
  /** The function given as the link's `fetch` option, when it is one of the project's. */
  readonly fetch?: FunctionRef;
  /** Whether a `fetch` option was given that is not a function the analyser can read. */
  readonly unreadFetch?: true;
}

/**
 * The HTTP link of a tRPC client's options (`{ links: [loggerLink(), httpBatchLink({ url, fetch })] }`),
 * the last one in the list (the terminating link); undefined when none can be read.
 */
export function trpcLinkOf(ctx: AnalysisContext, options: ts.Expression | undefined, module: ModuleFacts): TrpcLink | undefined {
  const value = options ? unwrapExpression(options) : undefined;
  if (!value || !isObjectLiteralExpression(value)) return undefined;
  const links = property(value, "links");
  const list = links ? unwrapExpression(links) : undefined;
  if (!list || !isArrayLiteralExpression(list)) return undefined;
  for (let i = list.elements.length - 1; i >= 0; i--) {
    const element = unwrapExpression(list.elements[i]!);
    if (!isCallExpression(element)) continue;
    const callee = unwrapExpression(element.expression);
    const imported = isIdentifier(callee) ? module.imports.get(callee.text) : undefined;
    if (!imported || imported.module !== TRPC_CLIENT_MODULE || !HTTP_LINKS.has(imported.name)) continue;
    const linkOptions = element.arguments[0] ? unwrapExpression(element.arguments[0]) : undefined;
    if (!linkOptions || !isObjectLiteralExpression(linkOptions)) return {};
    const url = property(linkOptions, "url");
    const fetch = property(linkOptions, "fetch");
    const fn = fetch ? ctx.values.functionFrom(fetch, module) : undefined;
    return {
      ...(url ? { url: { expression: url, module } } : {}),
      ...(fn ? { fetch: fn } : fetch && !isGlobalFetchName(fetch) ? { unreadFetch: true as const } : {}),
    };
  }
  return undefined;
}

function isGlobalFetchName(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  return isIdentifier(value) && value.text === "fetch";
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const element of object.properties) {
    if (!element.name || !isIdentifier(element.name) || element.name.text !== name) continue;
    if (isPropertyAssignment(element)) return element.initializer;
    if (isShorthandPropertyAssignment(element)) return element.name;
    // `fetch(input, init) { ... }` written as a method.
    if (ts.isMethodDeclaration(element)) return undefined;
  }
  return undefined;
}
