import { TRPC_CLIENT_FACTORIES, TRPC_CLIENT_MODULE, TRPC_SENDS, trpcLinkOf } from "./trpcClient";
import { firstAnswer, getNameText } from "./valuesCore";
import ts from "typescript";
import { classifyHost } from "./hosts";
import { D1_PINNING_ENDED } from "../platform";
import { dirname } from "../fs";
import type { AnalysisContext } from "./context";
import { nearestManifest, SVELTEKIT_AUTH_ROUTE } from "./handlers/frameworks";
import type { ValueRef } from "./values";
import { hostProvenance, provenanceNote } from "./provenance";
import { mayBeFetchHolder, mayHoldGlobalFetch } from "./fetchHolders";
import { UPDATE_CONTEXT_LOCAL } from "./handlers/telegram";
import { remoteKeySetOf } from "./remoteJwks";
import { aliasedType, declaredFieldType, declaredPropertyType, returnTypeSource } from "./returnTypes";
import { unresolvedDrizzleQuery } from "./drizzleChains";
import { joinedByDefault, prismaRelationQueries } from "./prismaRelations";
import { CLERK_JWKS_HOST, clerkJwksFetch } from "./clerkJwks";
import { remixAuthStrategies, type RemixAuthStrategy } from "./remixAuth";
import { isAccessCertsUrl, isOwnZoneEdgePath } from "./accessCerts";
import { endpointHostSuffix } from "./endpointHost";
import { smtpCallNote, smtpTransport } from "./smtp";
import { authJsAdapterCost } from "./authJsAdapters";
import { authorizationServerUrl } from "./authorizationServer";
import { isNonNetworkGlobalCall } from "./plainValues";
import { dynamicBindingCall, keyedBindingName } from "./dynamicBindings";
import { unwrapExpression, type ImportBinding, type ModuleFacts } from "./module";
import { isFileScoped } from "./scopes";
import {
  AUTHJS_FRAMEWORKS,
  AUTHJS_EMAIL_LOOKUPS,
  AUTHJS_PROVIDERS,
  DRIZZLE_DRIVERS,
  DRIZZLE_MODULE_PREFIX,
  isKnownLibraryModule,
  isLocalWorkPackage,
  libraryFor,
  clientWrapper,
  type Library,
  isFreeMethodPath,
  methodPathCount,
  transactionMethod,
} from "./sdks";
import type { ClassifiedSubrequest } from "./summaries";
import type { LibraryTrip } from "./handlers/types";
import type { BindingNames, SubrequestCategory, SubrequestKind } from "./types";
import {
  spanOf,
  hostOf,
  truncate,
  printNode,
  preparedOn,
  isEnvLike,
  isChainTop,
  localFunction,
  declarationOf,
  findAncestor,
  isAsync,
  isFactory,
  isConstDeclaration,
  isBareSpecifier,
  type FunctionRef,
  propertyInitializer,
  isPrimitiveType,
  rootImport,
} from "./syntax";
import { handedEnvValues } from "./envOverrides";
import { ownEntry } from "../tables";
import { mountFor, STORAGE_SENDS, storageDriverClass } from "./nitroStorage";
import { normalizeStorageBase } from "./handlers/nitroConfig";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  isArrayLiteralExpression,
  isArrowFunction,
  isAsExpression,
  isAwaitExpression,
  isBindingElement,
  isCallExpression,
  isElementAccessExpression,
  isFunctionExpression,
  isIdentifier,
  isNewExpression,
  isNonNullExpression,
  isNumericLiteral,
  isMethodDeclaration,
  isObjectLiteralExpression,
  isParameter,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isShorthandPropertyAssignment,
  isStringLiteralLike,
  isTaggedTemplateExpression,
  isTemplateSpan,
  isVariableDeclaration,
} = ts;

export const CATEGORY_WORDS: Record<SubrequestCategory, string> = {
  backend: "a back end",
  analytics: "analytics",
  global: "globally distributed",
  binding: "a binding",
  unknown: "unknown",
};

const KV_METHODS = new Set(["get", "getWithMetadata", "put", "delete", "list"]);
const R2_METHODS = new Set(["get", "put", "head", "list", "delete", "createMultipartUpload", "resumeMultipartUpload"]);
/** Where a library's round trips go when what it is given (its database, its adapter) cannot be followed. */
const UNRESOLVED_BACKEND = "its back end, which the analyser cannot find in what it is given";

/** Operators whose value is one of their operands (`a ?? b`, `a || b`, `a && b`). */
const BACKEND_ALTERNATIVES: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.QuestionQuestionToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.AmpersandAmpersandToken,
]);

/**
 * How deep a client is looked for through values, factories and adapters (`betterAuth({ database:
 * drizzleAdapter(drizzle(postgres(url))) })`), and through the helpers a binding is handed down
 * (`setupAuth(database)` calling `makeAuth(db)`, where `database` is a Kysely over a D1 dialect
 * made from `context.locals.runtime.env.DB`: a binding seventeen steps from the auth call).
 */
const MAX_CLIENT_DEPTH = 20;
const D1_TERMINALS = new Set(["first", "all", "run", "raw"]);
/** A D1 database's methods that are round trips themselves (see classifyBindingCall). */
const D1_DATABASE_METHODS = new Set(["batch", "exec", "dump"]);

type MakeSubrequest = (kind: SubrequestKind, target: string | null, category: SubrequestCategory, note: string) => ClassifiedSubrequest;

/** A value that makes subrequests when called on: an SDK or Drizzle client, a D1 session, a DO stub. */
interface ClientKind {
  readonly kind: SubrequestKind;
  readonly target: string | null;
  readonly category: SubrequestCategory;
  readonly note: string;
  /** The library's entry in the table (sdks.ts): what its calls cost. */
  readonly library?: Library;
  /** Only these methods send (a pipeline: `exec`); otherwise the library's own rule. */
  readonly sends?: readonly string[];
  /** Made by a library the analyser does not know that was given a database client: its calls are unknown. */
  readonly unresolved?: true;
  /** An object of a class from a package the table does not know: only its awaited calls are unknown. */
  readonly unknownClass?: true;
  /**
   * What an awaited call on such an object gave (`const source = await app.resolver.fromSource(req)`):
   * a client of the same service, whose awaited calls count too, but not a response's body readers.
   */
  readonly fromResult?: true;
  /** Made by a function of such a library (`makeApp(key)`): calling it itself is not a call on it (see madeByPackage). */
  readonly madeByCall?: true;
  /** What the "likely" assumption counts its awaited calls as (see ClassifiedSubrequest.assumption). */
  readonly assumption?: string;
  /** An unknown package's object, as said: `MOSProxyBuilder from "@monetizationos/proxy"` (see handsRequest). */
  readonly madeFrom?: string;
  /**
   * Methods known to page or recurse through the service (CLIENT_WRAPPERS), each with what its
   * calls are counted as: a loop of round trips.
   */
  readonly loops?: Readonly<Record<string, string>>;
  /** An HTTP client's base URL (`prefixUrl`, `baseURL`, `wretch(url)`), when it was given one. */
  readonly baseUrl?: ValueRef;
  /** Where the library's CDN reads go (Sanity with `useCdn`), when they go to one. */
  readonly cdnTarget?: string;
  /**
   * The context of an update a Telegram bot handles (see TelegramBotAdapter): only a method called
   * on it (`ctx.reply()`) or on its `api` / `telegram` sends; reading the update does not.
   */
  readonly updateContext?: true;
  /**
   * A tRPC client (trpcClient.ts): only `query()`, `mutate()` and `subscribe()` send; `trpcFetch` is
   * the project's function its link sends with, whose walk is the request.
   */
  readonly trpc?: true;
  readonly trpcFetch?: FunctionRef;
  /** Its options keep sessions in a Workers KV `secondaryStorage` (better-auth): Library.kvSessionCounts apply. */
  readonly kvSessions?: true;
  /**
   * Drizzle over a driver without interactive transactions (neon-http, D1): `transaction(cb)` fails
   * after this many round trips, its callback never runs (see DRIZZLE_DRIVERS).
   */
  readonly failedTransaction?: number;
  /**
   * A library function remade with other options (`graphql.defaults({ headers })` of @octokit/graphql):
   * calling the value itself costs what the library function costs (see functionClientOf).
   */
  readonly functionCost?: number | "route";
  /** The options its factory was given, where the app's store objects are (Library.storeSequences). */
  readonly storeOptions?: ValueRef;
}

/** A client found in a call chain, and the methods called on it from the client to the end of the chain. */
interface ClientCall {
  readonly client: ClientKind;
  readonly methods: readonly string[];
  /** Where the client is in the chain (`api` in `api.post("x").json()`). */
  readonly link: ts.Expression;
}

/** How a Hyperdrive binding is named as a subrequest's target: `hyperdrive:HD`. */
const HYPERDRIVE_TARGET = "hyperdrive:";

/** A call that runs the functions it is given on the spot (a transaction's callback): the walk follows them. */
export const RUNS_CALLBACKS = "callbacks";

/** What a call is: which subrequest (a fetch, a binding, a database client's query), if any. */
export class CallClassifier {
  /** Client kinds by declaration: most calls are on plain values, asked about again and again. */
  private readonly clients = new Map<ts.Node, ClientKind | null>();
  /**
   * Client kinds of names imported from the project's own modules, by importing module and name
   * (two levels of maps: a key made by joining the path and the name cost a new string per lookup).
   */
  private readonly importedClients = new Map<string, Map<string, ClientKind | null>>();
  /** Values clientOfValue is working out: a chain can lead back to one of them. */
  private readonly valuesInProgress = new Set<ts.Node>();

  /** Auth.js handler factories standing for their OAuth callback route (see authJsSites), with the route's base path. */
  readonly authCallbacks = new Map<ts.CallExpression, string>();
  /**
   * Middleware factory calls of a library that does round trips itself (OAuth sign-in), found in a
   * route's registration: walked as the route runs them, not where they are written (see isRouteMiddlewareCall).
   */
  readonly routeMiddlewareCalls = new Set<ts.Node>();

  /** `githubAuth({ scope })`: a route middleware of a library whose own round trips the route pays (sdks.ts `oauthMiddleware`). */
  isRouteMiddlewareCall(call: ts.CallExpression, module: ModuleFacts): boolean {
    const member = importedMember(unwrapExpression(call.expression), module);
    const library = member ? libraryFor(member.module) : undefined;
    if (!member || !library) return false;
    if (library.oauthMiddleware?.[member.name] !== undefined) return true;
    // Hono's `clerkMiddleware()` without jwtKey: the JWKS read from Clerk's Backend API (see clerkJwks.ts).
    return member.name === "clerkMiddleware" && library.name === "Clerk" && !!clerkJwksFetch(member.module, member.name, call.arguments);
  }

  constructor(private readonly ctx: AnalysisContext) {}

  /** What a call is: a subrequest, "skip" (not one and nothing to follow), or undefined (look further). */
  classify(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    callee: ts.Expression,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): ClassifiedSubrequest | "skip" | typeof RUNS_CALLBACKS | undefined {
    const file = module.path;
    // A library function a framework calls (`mount(auth.handler)`, see HandlerSite.calls) is
    // located at the function, not at the registration around it.
    const registered = isCallExpression(node) && unwrapExpression(node.expression) !== callee;
    // Most calls are no subrequest: where one is in the file is worked out only for those that are.
    const make: MakeSubrequest = (kind, target, category, note) => ({
      file,
      span: spanOf(registered ? callee : node, module.sourceFile),
      kind,
      target,
      category,
      note,
    });

    // `webhookCallback(bot)` of a grammY bot made per request without `botInfo`: `bot.init()` asks the
    // Bot API for the bot's identity first (walked as HandlerSite.callsBefore, see TelegramBotAdapter).
    if (registered && isCallExpression(node) && this.ctx.handlers.telegram.asksGetMe(node, callee)) {
      const library = libraryFor("grammy");
      const host = "api.telegram.org";
      return {
        ...make(
          "sdk",
          host,
          classifyHost(host, this.ctx.input.hostCategories).category,
          "Telegram Bot API (grammY): getMe, which webhookCallback runs (bot.init()) for a bot made on every request without botInfo",
        ),
        ...(library ? { library } : {}),
      };
    }
    // Nuxt's `useFetch(url, { baseURL })` (a composable: `$fetch` of the URL during server
    // rendering) and `$fetch(path, { baseURL })`: a request to the base URL's host.
    if (isIdentifier(callee) && !localFunction(callee) && (isNuxtFetchComposable(callee, module) || isNitroFetch(callee, module))) {
      // `useFetch(url, { server: false })`: fetched in the browser after hydration, never while the server renders.
      if (callee.text === "useFetch" && args[1] && serverOff(this.ctx.values.optionValues(args[1], module, "server"))) return "skip";
      const baseUrl = args[1] ? this.ctx.values.optionValues(args[1], module, "baseURL")[0] : undefined;
      // A whole URL ignores the base; a path, or a URL with no host to be found (a parameter given paths), goes to it.
      if (baseUrl && args[0] && (isRelativePath(leadingText(args[0])) || this.ctx.values.urlHosts(args[0]) === undefined))
        return this.classifyFetch(baseUrl.expression, baseUrl.module, make);
      if (callee.text === "useFetch") return this.classifyFetch(args[0], module, make);
    }
    // Nuxt's `useAsyncData` whose handler the walk did not run (`{ server: false }`: it runs in the browser).
    if (isIdentifier(callee) && callee.text === "useAsyncData" && !localFunction(callee) && !module.imports.has(callee.text)) return "skip";
    // Global fetch (and `$fetch`, the fetch Nuxt and Nitro provide as a global).
    if (
      (isIdentifier(callee) &&
        (callee.text === "fetch" || callee.text === "$fetch") &&
        !localFunction(callee) &&
        !module.imports.has(callee.text)) ||
      (isPropertyAccessExpression(callee) &&
        callee.name.text === "fetch" &&
        isIdentifier(callee.expression) &&
        ["globalThis", "self", "window"].includes(callee.expression.text))
    ) {
      return this.classifyFetch(args[0], module, make);
    }
    // h3's `proxyRequest(event, target)` and `sendProxy(event, target)` (auto-imported in a Nitro
    // server, or imported from h3): a fetch of the target, whose response is the answer.
    if (isIdentifier(callee) && H3_PROXIES.has(callee.text) && !localFunction(callee) && isH3Name(callee, module))
      return this.classifyFetch(args[1], module, make);
    // A fetch handed to a helper (`getDoc(fetch, id)` in a SvelteKit load, `f: typeof fetch`).
    if (isIdentifier(callee) && this.isFetchParameter(callee)) return this.classifyFetch(args[0], module, make);
    // `import fetch from "node-fetch"` and the like: on Workers they are the global fetch.
    if (isIdentifier(callee) && isFetchPackageImport(callee, module)) return this.classifyFetch(args[0], module, make);

    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      const binding =
        this.ctx.values.bindingOf(receiver) ??
        // `this.db.batch([...])`, `db.exec(sql)` on a field or a parameter that holds a D1 binding
        // (a repository class made with `new Repo(env.DB)`): traced only for D1's own methods.
        (D1_DATABASE_METHODS.has(method) && !isCallExpression(receiver) ? this.heldD1(receiver, module) : undefined);
      if (binding) return this.classifyBindingCall(binding, method, make);

      // D1: env.DB.prepare(...).bind(...).first() and sessions.
      const database =
        D1_TERMINALS.has(method) && (isCallExpression(receiver) || isIdentifier(receiver))
          ? (preparedOn(receiver) ?? this.preparedByHelper(receiver, module))
          : undefined;
      if (database) {
        const client = isIdentifier(database) ? this.clientKind(database, module, 0) : undefined;
        // `this.db` of a repository class made with `new UserRepo(env.DB)`, a helper's `db`
        // parameter: the binding it holds when that can be traced.
        const held = client ? undefined : this.ctx.values.heldBinding(database, module);
        const name =
          this.ctx.values.bindingOf(database)?.name ??
          keyedBindingName(this.ctx, database, module, "d1") ??
          client?.target ??
          (held?.kind === "d1" ? held.name : undefined) ??
          (this.isHubDatabase(database, module) ? this.nuxtHubD1() : undefined) ??
          this.returnedD1(database, module) ??
          printNode(database);
        return make("d1", name, this.d1Category(), this.d1Note(`D1 query on ${name ?? "a database"}`));
      }

      // A Durable Object stub: env.NS.get(id).fetch() / .method(), or a stub held in a variable.
      if (
        isCallExpression(receiver) &&
        isPropertyAccessExpression(receiver.expression) &&
        ["get", "getByName", "idFromName"].includes(receiver.expression.name.text)
      ) {
        const ns = this.ctx.values.bindingOf(unwrapExpression(receiver.expression.expression));
        if (ns?.kind === "durableObjects")
          return make(
            "durable-object",
            ns.name,
            "binding",
            `Durable Object ${ns.name}: runs where the object lives, not a back-end round trip`,
          );
      }

      // A binding chosen at run time: `env[name].fetch(request)` (`env[name].trim()` is a variable's text).
      if (
        isElementAccessExpression(receiver) &&
        isEnvLike(receiver.expression) &&
        !isLiteralKey(receiver.argumentExpression) &&
        !STRING_METHODS.has(method)
      ) {
        const said = truncate(printNode(callee));
        const dynamic = dynamicBindingCall(this.ctx, receiver, method, module, said);
        if (dynamic.kind === "named") return this.namedBindingCall(dynamic.bindings, method, make, dynamic.why);
        if (dynamic.kind === "binding")
          return dynamic.allServices
            ? make("service", null, "binding", `${said}(...): one of the Worker's service bindings, chosen at run time`)
            : make("other", null, "binding", dynamic.why);
        return { ...make("other", null, "unknown", dynamic.why), unresolved: true };
      }
    }

    // A dynamic call: `handlers[name](request)`.
    if (isElementAccessExpression(callee) && !isLiteralKey(callee.argumentExpression)) {
      // `console[level](...)`, `Math[op](a, b)`: a global that works in the Worker, whatever the method.
      if (isNonNetworkGlobalCall(callee, module)) return "skip";
      // `this.router[method](path, handler)` with `method` a route method's name at every call: a registration.
      if (this.ctx.handlers.apps.isComputedRegistration(callee, module)) return "skip";
      // `octokit[namespace][method](params)`: whichever method it is, a call on an API client whose
      // every call is one round trip is one round trip.
      const found = this.clientOfChain(callee, module);
      const library = found?.client.library;
      if (found && library && !found.client.unresolved && everyCallSends(library))
        return make(
          found.client.kind,
          found.client.target,
          found.client.category,
          `${found.client.note}; ${truncate(printNode(callee))}(...) chooses the method at run time: each of ${library.name}'s calls is one round trip`,
        );
      return {
        ...make("other", null, "unknown", `${truncate(printNode(callee))}(...) is a dynamic call whose target cannot be resolved`),
        unresolved: true,
      };
    }

    // jose's `jwtVerify(token, jwks)` with a remote key set: its first use fetches the JWKS. A set kept
    // at module level fetches it on an isolate's first request only, counted as Clerk's cached key set
    // is: the worst path is an isolate's first request.
    if (isCallExpression(node)) {
      const keySet = remoteKeySetOf(this.ctx, node, module);
      if (keySet) {
        const sent = this.classifyFetch(keySet.url, keySet.module, make);
        const how = keySet.cached
          ? "a key set kept at module level (createRemoteJWKSet) fetches its JWKS on an isolate's first request"
          : "a key set made per request (createRemoteJWKSet) fetches its JWKS at its first use";
        return { ...sent, note: `${how}: ${sent.note}` };
      }
    }

    // Clients: SDKs, Drizzle, DO stubs and D1 sessions held in variables, fields, context variables.
    // (A callee that is not the node's own is a library function a framework calls, located at its
    // registration: `mount(auth.handler)`, see HandlerSite.calls.)
    if (isChainTop(node) || registered) {
      const found = this.clientOfChain(isTaggedTemplateExpression(node) ? node.tag : callee, module);
      // `router.handle(request)` on a router of a package not listed (see AppAdapter): a hand-off, followed by the walk.
      if (found?.client.unknownClass && isPropertyAccessExpression(callee) && this.ctx.handlers.apps.isApp(callee.expression, module))
        return undefined;
      // (`await toLatin(text)`, the function a package's factory made, called itself: see madeByPackage in the walk.)
      // (`makeWorker(env).fetch(request, env, ctx)`: the request handed to what the package made, a hand-off, not a call on a client.)
      const handedOn =
        found?.client.madeByCall &&
        HANDOFF_METHODS.has(found.methods[found.methods.length - 1] ?? "") &&
        args.some((a) => isIncomingRequest(a));
      // `decode(html).replace(...)`, `const s = slugify(t); s.slice(1)`: what an unknown package's
      // function gave is used as a string or a list, so it is a plain value, not a client.
      const plainResult = found?.client.madeByCall && PLAIN_VALUE_METHODS.has(found.methods[0] ?? "");
      if (found && !handedOn && !plainResult && !(found.client.madeByCall && found.methods.length === 0))
        return this.callOnClient(node, args, found, module, make);
      const auth = isCallExpression(node) ? this.authJsCall(node, callee, args, module, make) : undefined;
      if (auth) return auth;
      // `await c.db.select().from(t).where(...)` where `c` is a parameter no call was seen to fill:
      // a Drizzle query on a database the analysis cannot name, a round trip by assumption.
      const drizzleOn = !found && isCallExpression(node) ? unresolvedDrizzleQuery(node, module) : undefined;
      if (drizzleOn !== undefined) {
        const query = truncate(printNode((node as ts.CallExpression).expression));
        return {
          ...make(
            "sdk",
            null,
            "unknown",
            `${query}(...) is a Drizzle query on \`${truncate(drizzleOn)}\`, which the analyser cannot resolve to a client: its database cannot be told`,
          ),
          unresolved: true,
          unknownClient: true,
          assumption: `the Drizzle query on \`${truncate(drizzleOn)}\`, whose client the analyser cannot resolve, counted as a round trip to its database`,
        };
      }
      const library = this.libraryCall(node, callee, args, module, make);
      if (library) return library;
      if (isCallExpression(node) && isIdentifier(callee)) {
        const imported = module.imports.get(callee.text);
        // Cloudflare Agents: the request is routed to an agent's Durable Object.
        if (imported?.module === "agents" && (imported.name === "routeAgentRequest" || imported.name === "getAgentByName"))
          return make(
            "durable-object",
            null,
            "binding",
            `${imported.name}: routes to an agent's Durable Object, not a back-end round trip`,
          );
        if (imported?.module === "cloudflare:sockets" && imported.name === "connect") {
          const target = this.ctx.values.socketTarget(args[0]);
          const socket = make(
            "socket",
            target,
            target ? classifyHost(target, this.ctx.input.hostCategories).category : "unknown",
            `TCP socket to ${target ?? "an unresolved address"}`,
          );
          return target
            ? socket
            : { ...socket, assumption: unresolvedHostAssumption(`the address of ${args[0] ? truncate(printNode(args[0])) : "a socket"}`) };
        }
      }
    }
    // The global fetch held in a variable, a field or a parameter (`const fetchFn = options?.fetch ||
    // globalThis.fetch`, `this.fetchImpl = init.fetch ?? fetch`): a fetch like any other.
    if (isCallExpression(node) && mayBeFetchHolder(callee) && mayHoldGlobalFetch(this.ctx, callee, module))
      return this.classifyFetch(args[0], module, make);
    return undefined;
  }

  private classifyFetch(url: ts.Expression | undefined, module: ModuleFacts, make: MakeSubrequest): ClassifiedSubrequest {
    if (!url) return make("fetch", null, "unknown", "fetch without a URL");
    if (this.ctx.values.isIncomingRequest(url))
      return make("fetch", "origin", "backend", "passes the incoming request on to the origin server");
    const hosts = this.ctx.values.urlHosts(url);
    // Cloudflare Access's key set (`https://${team}.cloudflareaccess.com/cdn-cgi/access/certs`,
    // `${env.TEAM_DOMAIN}/cdn-cgi/access/certs`): answered by Cloudflare's nearest data centre.
    if (isAccessCertsUrl(this.ctx.values.evaluateStrings(url, 0))) {
      const found = hosts?.length === 1 ? undefined : hostProvenance(this.ctx, url, module);
      const target =
        hosts?.length === 1 ? hosts[0]! : found && "kind" in found && found.kind !== "origin" ? found.target : "cloudflareaccess.com";
      return make(
        "fetch",
        target,
        "global",
        "Cloudflare Access's signing keys (/cdn-cgi/access/certs on a team domain): Cloudflare's own service, answered by the nearest data centre, not a back end",
      );
    }
    if (!hosts) {
      const found = this.provenanceTarget(url, module, make, "fetch", "fetch");
      if ("kind" in found) return found;
      return {
        ...make(
          "fetch",
          null,
          "unknown",
          `the URL ${truncate(printNode(url))} cannot be resolved to a host${found.why ? `: it is ${found.why}` : ""}`,
        ),
        assumption: unresolvedHostAssumption(`the host of ${truncate(printNode(url))}`, found.why),
      };
    }
    return this.toHosts(hosts, make, "fetch", this.ctx.values.configuredSource(url));
  }

  /**
   * A request to one of `hosts`: the host when there is one; when it is one of a few chosen at run
   * time (`env.STAGE === "prod" ? A : B`, `HOSTS[region]`), counted with the worst of them, a back
   * end if any is one, and the others listed as candidates.
   */
  private toHosts(hosts: readonly string[], make: MakeSubrequest, kind: SubrequestKind, what?: string): ClassifiedSubrequest {
    const prefix = what ? `${what}: ` : "";
    const classified = hosts.map((host) => ({ host, ...classifyHost(host, this.ctx.input.hostCategories) }));
    if (classified.length === 1) return make(kind, classified[0]!.host, classified[0]!.category, `${prefix}${classified[0]!.note}`);
    const counted = classified.find((c) => c.category === "backend") ?? classified[0]!;
    const mixed = new Set(classified.map((c) => c.category)).size > 1;
    const note = mixed
      ? `the URL is one of ${classified.map((c) => `${c.host} (${CATEGORY_WORDS[c.category]})`).join(", ")}, chosen at run time: counted as ${counted.host}, the worst case`
      : `the URL is one of ${hosts.join(", ")}, chosen at run time: ${counted.note}`;
    return {
      ...make(kind, counted.host, counted.category, `${prefix}${note}`),
      candidates: classified.map((c) => ({ host: c.host, category: c.category })),
    };
  }

  /**
   * A URL whose host has a provenance (provenance.ts): taken from the Worker's configuration (a
   * variable or secret not in `[vars]`, named after its source: `env.API_BASE`), chosen per request
   * (`request`) or taken from an earlier response (`response`): a round trip to a back end named so,
   * unless the hosts settings name it (README, "Hosts from configuration"); the incoming request's own
   * URL is the origin. Otherwise what hides the host, when it is known (`{ why }`).
   */
  private provenanceTarget(
    url: ts.Expression,
    module: ModuleFacts,
    make: MakeSubrequest,
    kind: SubrequestKind,
    what: string,
  ): ClassifiedSubrequest | { readonly why?: string } {
    const found = hostProvenance(this.ctx, url, module);
    if (!("kind" in found)) return { why: found.unknown };
    if (found.kind === "origin")
      return isOwnZoneEdgePath(this.ctx.values.evaluateStrings(url, 0))
        ? make(
            kind,
            "origin",
            "global",
            "a /cdn-cgi/ path on the incoming request's own origin (Access identity, trace): Cloudflare's edge answers it, not the zone's back end",
          )
        : make(kind, "origin", "backend", provenanceNote(found, what));
    const classification = classifyHost(found.target, this.ctx.input.hostCategories);
    const fromSettings = classification.note.endsWith("(settings)");
    return make(kind, found.target, classification.category, fromSettings ? classification.note : provenanceNote(found, what));
  }

  /** The D1 binding a field or a parameter holds (see heldBinding), if it holds one. */
  private heldD1(receiver: ts.Expression, module: ModuleFacts): { name: string; kind: keyof BindingNames } | undefined {
    if (!isIdentifier(receiver) && !isPropertyAccessExpression(receiver)) return undefined;
    const held = this.ctx.values.heldBinding(receiver, module);
    return held?.kind === "d1" ? held : undefined;
  }

  /**
   * `env[key].method(...)` with a key that names bindings (dynamicBindings.ts): the call on the one
   * of them that costs most (a back end before a binding), said with what the key is.
   */
  private namedBindingCall(
    bindings: ReadonlyArray<{ name: string; kind: keyof BindingNames }>,
    method: string,
    make: MakeSubrequest,
    why: string,
  ): ClassifiedSubrequest | "skip" {
    const rank = (c: ClassifiedSubrequest | "skip"): number =>
      c === "skip" ? 0 : c.category === "backend" ? 3 : c.category === "unknown" ? 2 : 1;
    let worst: ClassifiedSubrequest | "skip" = "skip";
    for (const binding of bindings) {
      const classified = this.classifyBindingCall(binding, method, make);
      if (rank(classified) > rank(worst)) worst = classified;
    }
    return worst === "skip" ? worst : { ...worst, note: `${why}: ${worst.note ?? ""}` };
  }

  private classifyBindingCall(
    binding: { name: string; kind: keyof BindingNames },
    method: string,
    make: MakeSubrequest,
  ): ClassifiedSubrequest | "skip" {
    const { name, kind } = binding;
    switch (kind) {
      case "d1":
        if (method === "batch")
          return make("d1", name, this.d1Category(), this.d1Note(`D1 batch on ${name}: one round trip for all its statements`));
        if (method === "exec" || method === "dump") return make("d1", name, this.d1Category(), this.d1Note(`D1 ${method} on ${name}`));
        return "skip"; // prepare(), withSession(): the query runs at first()/all()/run()/raw()
      case "kv":
        return KV_METHODS.has(method)
          ? make("kv", name, "binding", `Workers KV ${name}.${method}: a Cloudflare binding, not a back-end round trip`)
          : "skip";
      case "r2":
        return R2_METHODS.has(method)
          ? make("r2", name, "binding", `R2 ${name}.${method}: a Cloudflare binding, not a back-end round trip`)
          : "skip";
      case "services":
        return make("service", name, "binding", `service binding ${name}.${method}: another Worker, not a back-end round trip`);
      case "queues":
        return method === "send" || method === "sendBatch"
          ? make("queue", name, "binding", `queue ${name}.${method}: a Cloudflare binding`)
          : "skip";
      case "ai":
        return method === "run" ? make("ai", name, "binding", `Workers AI ${name}.run: runs on Cloudflare's network`) : "skip";
      case "assets":
        if (method !== "fetch") return "skip";
        return {
          ...make(
            "other",
            name,
            "binding",
            this.ctx.bindingKinds.has(name)
              ? `static assets through the ${name} binding: served from where the Worker runs`
              : `static assets through ${name}, a binding the config does not name: Pages gives it to every project (a Worker without it fails the call), never a back end`,
          ),
          servesAssets: true,
        };
      case "hyperdrive":
        return method === "connect"
          ? make("socket", `hyperdrive:${name}`, "backend", `Hyperdrive ${name}: a connection to the database behind it`)
          : "skip";
      case "durableObjects":
        return "skip"; // get()/idFromName(): the stub's own calls are the round trips
      default:
        return make("other", name, "binding", `binding ${name}.${method}`);
    }
  }

  /** A parameter that holds `fetch`: typed `typeof fetch`, or given `fetch` by the calls met so far. */
  private isFetchParameter(callee: ts.Identifier): boolean {
    const declaration = declarationOf(callee);
    if (!declaration || !isParameter(declaration)) return false;
    const type = declaration.type;
    if (type && ts.isTypeQueryNode(type) && isIdentifier(type.exprName) && type.exprName.text === "fetch") return true;
    return this.ctx.values.argumentsPassedFor(declaration).some((passed) => {
      const value = unwrapExpression(passed.expression);
      return isIdentifier(value) && value.text === "fetch";
    });
  }

  /** D1 is a back end like any other today; under the 2024 rules it is a binding that pins the Worker. */
  /**
   * A statement a project function prepares and returns (`this.findStatement(where).all()` over
   * `findStatement() { return this.client.prepare(sql).bind(...) }`): the database it is prepared on.
   */
  private preparedByHelper(receiver: ts.Expression, module: ModuleFacts): ts.Expression | undefined {
    if (!isCallExpression(receiver)) return undefined;
    const helper = this.ctx.values.calledFunction(unwrapExpression(receiver.expression), module);
    if (!helper) return undefined;
    for (const returned of this.ctx.values.returnedValues(helper.fn, helper.module)) {
      const value = unwrapExpression(returned.expression);
      const database = isCallExpression(value) ? preparedOn(value) : undefined;
      if (database) return database;
    }
    return undefined;
  }

  /**
   * `db().prepare(sql).first()` where a project function returns the binding (`const db = () =>
   * getCloudflareContext().env.DB`): the D1 binding every return of it is, for the label.
   */
  private returnedD1(database: ts.Expression, module: ModuleFacts): string | undefined {
    const value = unwrapExpression(database);
    if (!isCallExpression(value)) return undefined;
    const helper = this.ctx.values.calledFunction(unwrapExpression(value.expression), module);
    if (!helper) return undefined;
    let name: string | undefined;
    for (const returned of this.ctx.values.returnedValues(helper.fn, helper.module)) {
      const binding = this.ctx.values.bindingOf(returned.expression);
      if (binding?.kind !== "d1" || (name !== undefined && name !== binding.name)) return undefined;
      name = binding.name;
    }
    return name;
  }

  private d1Category(): SubrequestCategory {
    return this.ctx.input.platformRules === "2024" ? "binding" : "backend";
  }

  private d1Note(what: string): string {
    return this.ctx.input.platformRules === "2024"
      ? `${what}: D1 pins the Worker near the database (2024 rules)`
      : `${what}: a round trip to the database (D1 no longer pins Workers since ${D1_PINNING_ENDED})`;
  }

  /**
   * The client a call chain is made on, tried from its root outwards: `db` in `db.select()...`,
   * `this.db` in a class, `c.var.db` / `c.get("db")` from the request context, `getDb(env)`; with
   * the methods called on it after it.
   */
  private clientOfChain(expression: ts.Expression, module: ModuleFacts): ClientCall | undefined {
    const links: ts.Expression[] = [];
    let current = unwrapExpression(expression);
    for (let i = 0; i < 64; i++) {
      links.push(current);
      if (isPropertyAccessExpression(current) || isElementAccessExpression(current) || isCallExpression(current))
        current = unwrapExpression(current.expression);
      else break;
    }
    for (let i = links.length - 1; i >= 0; i--) {
      const link = links[i]!;
      // The method of a call (`db.select` in `db.select()`) is not a value of its own.
      const isMethod = i > 0 && isCallExpression(links[i - 1]!) && i < links.length - 1 && isPropertyAccessExpression(link);
      if (isMethod && i !== 0) continue;
      if (i === 0 && expression !== link && isPropertyAccessExpression(link) && isCallExpression(link.parent)) continue;
      let client: ClientKind | undefined;
      if (isIdentifier(link)) client = this.clientKind(link, module, 0) ?? this.passedClient(link, expression, module);
      // A client made and used in one expression: `new Octokit({ auth }).rest.users.getAuthenticated()`.
      else if (isNewExpression(link)) client = this.clientOfValue(link, module, 0);
      else if (isPropertyAccessExpression(link) || isCallExpression(link)) {
        if (this.isTraceable(link, module)) client = this.clientOfValue(link, module, 0);
        // `deps.sql\`...\``, `this.deps.sql.unsafe(q)`: a field of an object a helper or a class was given.
        else if (isPropertyAccessExpression(link) && looksLikeQuery(expression))
          client = this.firstClient(this.ctx.values.fieldValues(link, module), 0);
      }
      // `(await getRandom(env.APP, 3)).fetch(request)`: a binding's stub awaited in place.
      else if (isAwaitExpression(link) && this.ctx.values.bindingStubOf(link)) client = this.clientOfValue(link, module, 0);
      if (client) {
        const methods: string[] = [];
        for (let j = i - 1; j >= 0; j--) {
          const above = links[j]!;
          if (isPropertyAccessExpression(above)) methods.push(above.name.text);
        }
        return { client, methods, link };
      }
    }
    return undefined;
  }

  /**
   * What a call that runs the app's store methods between its own round trips does, in order
   * (see Library.storeSequences): a number is that many of the library's round trips, a function
   * the app's store method, walked there.
   */
  private readonly storeSteps = new Map<ts.Node, ReadonlyArray<number | FunctionRef>>();

  /** The order of a library call's own round trips and the app's store methods it runs, if it runs any. */
  storeStepsOf(node: ts.Node): ReadonlyArray<number | FunctionRef> | undefined {
    return this.storeSteps.get(node);
  }

  /**
   * `await client.authorize(handle)` of @atproto/oauth-client: the library's round trips, and the
   * methods of the `stateStore` / `sessionStore` objects of the client's options where it awaits
   * them. A store method that cannot be read is counted as one round trip and reported unknown,
   * named: what the app's store does is not taken as nothing.
   */
  private storeSequenceCall(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    library: Library,
    method: string,
    sequence: ReadonlyArray<number | string>,
    client: ClientKind,
    base: ClassifiedSubrequest,
  ): ClassifiedSubrequest {
    const steps: Array<number | FunctionRef> = [];
    const unread: string[] = [];
    let own = 0;
    for (const step of sequence) {
      if (typeof step === "number") {
        own += step;
        steps.push(step);
        continue;
      }
      const [option = "", name = ""] = step.split(".");
      const fn = client.storeOptions ? this.storeMethod(client.storeOptions, option, name) : undefined;
      if (fn) steps.push(fn);
      else {
        unread.push(step);
        own += 1;
        steps.push(1);
      }
    }
    this.storeSteps.set(node, steps);
    const target = client.target ?? UNRESOLVED_BACKEND;
    const stores = sequence.filter((s): s is string => typeof s === "string");
    const followed = stores.filter((s) => !unread.includes(s));
    return {
      ...base,
      note: `${library.name} ${method}(): ${own} sequential round trips to ${target}${
        followed.length > 0 ? `, around the app's ${followed.join(", ")}` : ""
      }${unread.length > 0 ? `; the app's ${unread.join(", ")} could not be read, counted as one round trip each` : ""}`,
      roundTrips: own,
      ...(unread.length > 0 ? { unresolved: true as const } : {}),
    };
  }

  /** The `name` method of the store object an options property holds (`stateStore: new StateStore(db)`, or an object literal). */
  private storeMethod(options: ValueRef, option: string, name: string): FunctionRef | undefined {
    for (const literal of this.objectLiterals(options, 0)) {
      for (const property of literal.literal.properties) {
        const key = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : "";
        if (key !== option) continue;
        const value = isShorthandPropertyAssignment(property) ? property.name : propertyInitializer(property);
        if (!value) continue;
        const instance = this.ctx.values.classOfInstance(value, literal.module);
        const method = instance ? this.ctx.values.methodOf(instance, name) : undefined;
        if (method) return method;
        for (const store of this.objectLiterals({ expression: value, module: literal.module }, 0)) {
          const member = store.literal.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === name);
          if (!member) continue;
          if (ts.isMethodDeclaration(member)) return { fn: member, module: store.module };
          const held = isPropertyAssignment(member) ? this.ctx.values.functionFrom(member.initializer, store.module) : undefined;
          if (held) return held;
        }
      }
    }
    return undefined;
  }

  /** Functions a classified call runs after its round trips (remix-auth's verify function), by call. */
  private readonly runAfter = new Map<ts.Node, FunctionRef[]>();

  /** The project's functions a call classified as a library call runs after its own round trips (see strategyCall). */
  callbacksAfter(node: ts.Node): readonly FunctionRef[] {
    return this.runAfter.get(node) ?? [];
  }

  /**
   * remix-auth's `authenticate(name, request)`: the strategy registered under that name (else the
   * worst registered), what it sends on its callback request (see remixAuth.ts), then the app's
   * verify function (run after, see callbacksAfter).
   */
  private strategyCall(node: ts.CallExpression, args: readonly ts.Expression[], make: MakeSubrequest): ClassifiedSubrequest | "skip" {
    const all = remixAuthStrategies(this.ctx);
    const name = args[0] ? this.ctx.values.evaluateString(args[0], 0) : undefined;
    const named = all.filter((s) => s.name === name);
    const candidates = named.length > 0 ? named : all;
    let chosen: RemixAuthStrategy | undefined;
    for (const strategy of candidates) if (!chosen || (strategy.model?.trips ?? 1) > (chosen.model?.trips ?? 1)) chosen = strategy;
    if (!chosen)
      return {
        ...make("other", null, "unknown", ""),
        note: `remix-auth authenticate(${name !== undefined ? JSON.stringify(name) : "..."}): no strategy registered on the authenticator was found, so what it sends cannot be counted`,
        unresolved: true,
      };
    this.runAfter.set(node, chosen.verify ? [chosen.verify] : []);
    const model = chosen.model;
    if (!model)
      return {
        ...make("other", null, "unknown", ""),
        note: `remix-auth ${chosen.className} from "${chosen.module}" is a strategy the analyser does not know: what it sends cannot be counted`,
        unresolved: true,
      };
    if (model.trips === 0) return "skip";
    const target = chosen.host ?? "the OAuth provider";
    const category = chosen.host ? classifyHost(chosen.host, this.ctx.input.hostCategories).category : "backend";
    return {
      ...make(
        "sdk",
        target,
        category,
        `remix-auth ${chosen.className} (authenticate ${JSON.stringify(chosen.name)}) ${model.what}: ${model.trips > 1 ? `${model.trips} sequential round trips` : "one round trip"} to ${target}, then the app's verify function`,
      ),
      ...(model.trips > 1 ? { roundTrips: model.trips } : {}),
    };
  }

  /**
   * `generateText({ tools: { search: tool({ execute: async (...) => ... }) } })`: the tools' `execute`
   * functions, which run during the call after the model answers, and whether the model is asked
   * again after them (`maxSteps`, `stopWhen`). Tools may be inline, `tool({...})`, or made by project
   * functions (`createSearchTool(db)`).
   */
  toolsRunBy(node: ts.CallExpression, module: ModuleFacts): { tools: FunctionRef[]; followUp: boolean } | undefined {
    const member = importedMember(node.expression, module);
    const library = member ? libraryFor(member.module) : undefined;
    if (!member || !library?.runsTools?.includes(member.name) || !node.arguments[0]) return undefined;
    return this.toolsIn(node.arguments[0], module);
  }

  /**
   * The `execute` functions of the `tools` an options object gives (`generateText({ tools })`, a
   * Mastra agent's `new Agent({ tools })`), and whether it allows more steps (`maxSteps`, `stopWhen`).
   */
  toolsIn(argument: ts.Expression, module: ModuleFacts): { tools: FunctionRef[]; followUp: boolean } {
    const tools: FunctionRef[] = [];
    let followUp = false;
    for (const options of this.objectLiterals({ expression: argument, module }, 0)) {
      for (const property of options.literal.properties) {
        const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : "";
        if (name === "maxSteps" || name === "stopWhen") followUp = true;
        if (name !== "tools") continue;
        const value = propertyInitializer(property);
        if (!value) continue;
        for (const table of this.objectLiterals({ expression: value, module: options.module }, 0))
          for (const entry of table.literal.properties) {
            const tool = propertyInitializer(entry);
            if (!tool) continue;
            for (const definition of this.objectLiterals({ expression: tool, module: table.module }, 0)) {
              const execute = definition.literal.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === "execute");
              const fn = !execute
                ? undefined
                : ts.isMethodDeclaration(execute)
                  ? { fn: execute, module: definition.module }
                  : isPropertyAssignment(execute)
                    ? this.ctx.values.functionFrom(execute.initializer, definition.module)
                    : undefined;
              if (fn) tools.push(fn);
            }
          }
      }
    }
    return { tools, followUp };
  }

  /**
   * The provider of the `model` an options object names (a Mastra agent's `new Agent({ model })`),
   * as the Vercel AI SDK's calls are classified (see modelProvider); a model that cannot be traced
   * keeps the AI SDK's unknown target.
   */
  modelClient(
    options: ts.Expression,
    module: ModuleFacts,
  ): { kind: SubrequestKind; target: string | null; category: SubrequestCategory; note: string } {
    const library = libraryFor("ai")!;
    // Mastra routes a string model id itself (handlers/mastra.ts), not through the AI SDK's default provider.
    return this.modelProvider(library, options, module, { stringIds: false }) ?? this.sdkClient(library, undefined);
  }

  /**
   * `generateText({ model: openai("gpt-4o") })`: the provider the model option's value is made by,
   * as a client of its API (`openai`, `openai.chat(...)`, `createOpenAI({ baseURL })(...)`, a model
   * wrapped by `wrapLanguageModel({ model })`, a registry's `registry.languageModel("openai/...")`,
   * a string id through the default provider), or of the binding it runs over (Workers AI).
   * A model handed to a helper as a parameter is what its callers pass (the worst of them).
   * Undefined when the model cannot be traced to one provider. With `asModel`, `options` is the
   * model itself; `stringIds: false` leaves a string id untraced (a caller that routes ids itself).
   */
  private modelProvider(
    library: Library,
    options: ts.Expression,
    module: ModuleFacts,
    how: { asModel?: boolean; stringIds?: boolean; parameters?: ReadonlySet<ts.ParameterDeclaration> } = {},
  ): ClientKind | undefined {
    const parameters = how.parameters ?? new Set<ts.ParameterDeclaration>();
    const models = library.models!;
    const found = new Map<string, ClientKind>();
    const seen = new Set<ts.Node>();
    // A caller's argument that could not be traced: the model is not known.
    let unresolved = false;
    const providerAt = (host: string, from: string): ClientKind => ({
      kind: library.kind ?? "sdk",
      target: host,
      category: classifyHost(host, this.ctx.input.hostCategories).category,
      note: `${library.name} model from ${from} at ${host}`,
      library,
    });
    // A provider value: an imported provider (`openai`), or what a provider factory returns (`createOpenAI({...})`).
    const provider = (expression: ts.Expression, from: ModuleFacts, depth: number): ClientKind | null => {
      const value = unwrapExpression(expression);
      if (depth > 6 || seen.has(value)) return null;
      seen.add(value);
      const member = importedMember(value, from);
      const own = isIdentifier(value) && !member ? this.ctx.values.valuesOf(value, from, depth) : [];
      if (own.length === 1) return provider(own[0]!.expression, own[0]!.module, depth + 1);
      const factoryCall = isCallExpression(value) ? importedMember(value.expression, from) : undefined;
      const imported = member ?? factoryCall;
      if (!imported) return null;
      const binding = ownEntry(models.bindings, imported.module);
      if (binding !== undefined) {
        // `createWorkersAI({ binding: env.AI })`: a call of the binding.
        const options = isCallExpression(value) && value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
        const property =
          options && isObjectLiteralExpression(options)
            ? options.properties.find((p) => p.name && isIdentifier(p.name) && p.name.text === "binding")
            : undefined;
        const bound = property ? propertyInitializer(property) : undefined;
        const name = bound ? this.ctx.values.bindingOf(unwrapExpression(bound))?.name : undefined;
        return { kind: binding, target: name ?? "AI", category: "binding", note: `${library.name} model on Workers AI`, library };
      }
      // `gateway` / `createGateway(...)` of the library itself: the default provider's host.
      const gateway =
        models.defaultProvider && library.packages.includes(imported.module) && models.defaultProvider.exports.includes(imported.name);
      let host: string | undefined = gateway ? models.defaultProvider!.host : ownEntry(models.hosts, imported.module);
      // `createOpenAI({ baseURL: "https://gateway.example.com/v1" })`: the base URL wins.
      const options = factoryCall && isCallExpression(value) && value.arguments[0] ? unwrapExpression(value.arguments[0]) : undefined;
      if (options && isObjectLiteralExpression(options)) {
        const property = options.properties.find(
          (p) => p.name && isIdentifier(p.name) && (p.name.text === "baseURL" || p.name.text === "baseUrl"),
        );
        const base = property ? propertyInitializer(property) : undefined;
        if (base) {
          const hosts = this.ctx.values.urlHosts(base);
          host = hosts?.length === 1 ? hosts[0] : undefined;
        }
      }
      if (!host) return null;
      return providerAt(host, imported.module);
    };
    // `registry.languageModel("google/gemini-2.5-pro")`: the registry's provider under the id's prefix.
    const registered = (call: ts.CallExpression, from: ModuleFacts, depth: number): ClientKind | null => {
      const callee = unwrapExpression(call.expression);
      const registries = models.registries;
      if (!registries || !isPropertyAccessExpression(callee) || !registries.methods.includes(callee.name.text)) return null;
      const id = call.arguments[0] ? this.ctx.values.evaluateString(call.arguments[0], 0) : undefined;
      if (id === undefined) return null;
      const registry = this.providerRegistry(library, callee.expression, from, depth + 1);
      const separator = registry?.separator ?? registries.separator;
      const cut = id.indexOf(separator);
      if (cut <= 0) return null;
      const key = id.slice(0, cut);
      if (!registry) {
        const host = ownEntry(registries.prefixes, key);
        return host ? providerAt(host, `the "${key}" provider of a registry`) : null;
      }
      for (const property of registry.providers.literal.properties) {
        if (!property.name || getNameText(property.name) !== key) continue;
        const held = isShorthandPropertyAssignment(property) ? property.name : propertyInitializer(property);
        return held ? provider(held, registry.providers.module, depth + 1) : null;
      }
      return null;
    };
    // A string model id (AI SDK 5 and later): the global default provider the Worker sets, else the gateway.
    const defaultProvider = (): ClientKind | null => {
      const fallback = models.defaultProvider;
      if (!fallback || how.stringIds === false) return null;
      const slot = `globalThis.${fallback.global}`;
      // The setting may be made (or not) in any module, not only those the walked function imports: not kept.
      this.ctx.walker.cutWalk();
      const assigned: ValueRef[] = [];
      for (const loaded of this.ctx.loader.modules.values())
        for (const assignment of loaded.assignments.get(slot) ?? []) assigned.push({ expression: assignment.right, module: loaded });
      if (assigned.length === 0) return providerAt(fallback.host, `${library.packages[0]}'s default provider`);
      const made = assigned.map((source) => provider(source.expression, source.module, 1));
      return made.length === 1 ? made[0]! : null;
    };
    // A model value: `provider("id")`, `provider.chat("id")`, a name holding one, `wrapLanguageModel({ model })`.
    const model = (expression: ts.Expression, from: ModuleFacts, depth: number): void => {
      const value = unwrapExpression(expression);
      if (depth > 6 || found.size > 1) return;
      if (isIdentifier(value)) {
        const held = this.ctx.values.valuesOf(value, from, depth);
        for (const source of held) model(source.expression, source.module, depth + 1);
        const declaration = held.length === 0 ? declarationOf(value) : undefined;
        if (declaration && isParameter(declaration)) fromCallers(declaration);
        return;
      }
      if (isStringLiteralLike(value) || ts.isTemplateExpression(value)) {
        const made = this.ctx.values.evaluateString(value, 0) !== undefined ? defaultProvider() : null;
        if (made) found.set(made.target ?? "", made);
        return;
      }
      if (!isCallExpression(value)) return;
      const callee = unwrapExpression(value.expression);
      const made =
        provider(isPropertyAccessExpression(callee) ? callee.expression : callee, from, depth + 1) ??
        provider(callee, from, depth + 1) ??
        registered(value, from, depth);
      if (made) {
        found.set(made.target ?? "", made);
        return;
      }
      if (value.arguments[0]) inner(value.arguments[0], from, depth + 1);
    };
    // `quickReplies(text, google("gemini-2.0-flash"))`: the model a helper is given is what every caller passes.
    const fromCallers = (parameter: ts.ParameterDeclaration): void => {
      if (parameters.has(parameter)) return;
      const callers = this.ctx.values.argumentsAtCallSites(parameter);
      const within = new Set(parameters).add(parameter);
      const made = callers.map((source) =>
        this.modelProvider(library, source.expression, source.module, { ...how, asModel: true, parameters: within }),
      );
      if (made.length === 0 || made.some((m) => !m)) {
        unresolved = true;
        return;
      }
      const worst = worstModel(made as ClientKind[]);
      found.set(worst.target ?? "", worst);
    };
    const inner = (expression: ts.Expression, from: ModuleFacts, depth: number): void => {
      for (const literal of this.objectLiterals({ expression, module: from }, depth))
        for (const property of literal.literal.properties) {
          if (!property.name || !isIdentifier(property.name) || property.name.text !== models.option) continue;
          const value = isShorthandPropertyAssignment(property) ? property.name : propertyInitializer(property);
          if (value) model(value, literal.module, depth + 1);
        }
    };
    if (how.asModel) model(options, module, 0);
    else inner(options, module, 0);
    return found.size === 1 && !unresolved ? [...found.values()][0] : undefined;
  }

  /**
   * The `createProviderRegistry({ google, openai }, { separator })` a value holds (through names,
   * imports, and a request context's variable `c.var.registry`): its providers' object literal and
   * the separator of its ids.
   */
  private providerRegistry(
    library: Library,
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { providers: { literal: ts.ObjectLiteralExpression; module: ModuleFacts }; separator: string } | undefined {
    const registries = library.models?.registries;
    if (!registries || depth > 8) return undefined;
    const value = unwrapExpression(expression);
    if (isIdentifier(value))
      return firstAnswer(this.ctx.values.valuesOf(value, module, depth), (source) =>
        this.providerRegistry(library, source.expression, source.module, depth + 1),
      );
    const key = this.ctx.values.contextKey(value);
    if (key !== undefined)
      return firstAnswer(this.ctx.values.contextValues(key), (source) =>
        this.providerRegistry(library, source.expression, source.module, depth + 1),
      );
    if (!isCallExpression(value)) return undefined;
    const factory = importedMember(value.expression, module);
    if (!factory || !library.packages.includes(factory.module) || !registries.factories.includes(factory.name)) return undefined;
    const providers = value.arguments[0] ? this.objectLiterals({ expression: value.arguments[0], module }, depth + 1) : [];
    if (providers.length !== 1) return undefined;
    let separator = registries.separator;
    const options = value.arguments[1] ? unwrapExpression(value.arguments[1]) : undefined;
    if (options && isObjectLiteralExpression(options))
      for (const property of options.properties) {
        if (!property.name || getNameText(property.name) !== registries.separatorOption) continue;
        const held = propertyInitializer(property);
        const text = held ? this.ctx.values.evaluateString(held, 0) : undefined;
        if (text === undefined || text === "") return undefined;
        separator = text;
      }
    return { providers: providers[0]!, separator };
  }

  /** The object literals a value may be: itself, what a name holds, the argument of `tool({...})`, what a project function returns. */
  private objectLiterals(source: ValueRef, depth: number): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    if (depth > 6) return [];
    let value = unwrapExpression(source.expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isObjectLiteralExpression(value)) return [{ literal: value, module: source.module }];
    if (isIdentifier(value)) return this.ctx.values.valuesOf(value, source.module, depth).flatMap((s) => this.objectLiterals(s, depth + 1));
    if (isCallExpression(value)) {
      const fn = this.ctx.values.calledFunction(unwrapExpression(value.expression), source.module);
      if (fn) return this.ctx.values.returnedValues(fn.fn, fn.module).flatMap((s) => this.objectLiterals(s, depth + 1));
      // A library's wrapper around a definition (`tool({...})`): the definition.
      const first = value.arguments[0];
      return first ? this.objectLiterals({ expression: first, module: source.module }, depth + 1) : [];
    }
    return [];
  }

  /**
   * A call returned (`return f()`, an arrow's body) by a function that is not async and whose
   * callers do not wait for what it gives: declared to return something other than a promise, or
   * called only where its value is used as it is (`headers: { "set-cookie": session.set(id) }`).
   * Such a call cannot be a round trip the response waits for. The callers are found by the
   * function's name in the modules read; none found, or one that waits (or returns it on): false.
   */
  private returnedUnawaited(node: ts.Node): boolean {
    let current: ts.Node = node;
    while (
      current.parent &&
      (isParenthesizedExpression(current.parent) || isAsExpression(current.parent) || isNonNullExpression(current.parent))
    )
      current = current.parent;
    const parent = current.parent;
    const fn = parent && isReturnStatement(parent) ? findAncestor(parent, ts.isFunctionLike) : isArrowFunction(parent) ? parent : undefined;
    if (!fn || !("body" in fn) || ts.isConstructorDeclaration(fn)) return false;
    const declared = fn as ts.FunctionLikeDeclaration;
    if (declared.type) return !mayReturnPromise(declared);
    if (isAsync(declared)) return false;
    const name = calledName(declared);
    if (!name) return false;
    // The callers are read in modules beyond this one's imports: a walk that read them is not kept.
    this.ctx.walker.cutWalk();
    let callers = 0;
    for (const facts of this.ctx.loader.modules.values())
      for (const call of facts.calls) {
        if (!isCallExpression(call)) continue;
        const callee = unwrapExpression(call.expression);
        const called = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        // (The function's own calls, the returned one among them, are not its callers.)
        if (called !== name || (call.getSourceFile() === declared.getSourceFile() && call.pos >= declared.pos && call.end <= declared.end))
          continue;
        if (isAwaitedHere(call) || isAwaitedTogether(call) || waitedForLater(call)) return false;
        callers++;
      }
    return callers > 0;
  }

  /**
   * `~/lib/auth`, `@/db`: a path alias (tsconfig `paths`) to a module of the same package, which
   * the analysis reads like a relative import. (A workspace package is another package: a library
   * to this one.)
   */
  private isOwnModule(specifier: string, module: ModuleFacts): boolean {
    const target = this.ctx.loader.moduleFor(specifier, module);
    if (!target) return false;
    const own = nearestManifest(this.ctx.input.fs, dirname(module.path));
    const theirs = nearestManifest(this.ctx.input.fs, dirname(target.path));
    return own?.file === theirs?.file;
  }

  /** A binding, or an object literal with a binding among its properties: `env.DB`, `{ namespace: env.STORE }`. */
  private givesBinding(expression: ts.Expression): boolean {
    const value = unwrapExpression(expression);
    if (this.ctx.values.bindingOf(value)) return true;
    return (
      isObjectLiteralExpression(value) &&
      value.properties.some((p) => isPropertyAssignment(p) && this.ctx.values.bindingOf(unwrapExpression(p.initializer)) !== undefined)
    );
  }

  /** Whether a tagged template is a query of a client of `library` (`sql\`...\`` around a fragment). */
  private isQueryOf(query: ts.TaggedTemplateExpression, library: Library): boolean {
    const module = this.ctx.loader.moduleBySourceFile.get(query.getSourceFile());
    return !!module && this.clientOfChain(query.tag, module)?.client.library === library;
  }

  /** A call on a client: what the library's table entry says it costs. */
  private callOnClient(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    args: readonly ts.Expression[],
    found: ClientCall,
    module: ModuleFacts,
    make: MakeSubrequest,
  ): ClassifiedSubrequest | "skip" | typeof RUNS_CALLBACKS {
    const { client, methods } = found;
    const library = client.library;
    const base = make(client.kind, client.target, client.category, client.note);
    // `await api.post.byId.query(id)`: one request, by the link's fetch function when it has one.
    if (client.trpc) {
      if (!isCallExpression(node) || !TRPC_SENDS.has(methods[methods.length - 1] ?? "")) return "skip";
      if (!client.trpcFetch) return base;
      this.runAfter.set(node, [client.trpcFetch]);
      return "skip";
    }
    if (client.unknownClass && (isTaggedTemplateExpression(node) || !(isAwaitedHere(node) || isAwaitedTogether(node)))) return "skip";
    // `const res = await api.get(id); await res.json()`: reading what came back sends nothing.
    if (client.fromResult && methods.length > 0 && BODY_READERS.has(methods[methods.length - 1]!)) return "skip";
    if (client.unresolved) {
      const looping = client.loops?.[methods[methods.length - 1] ?? ""];
      const assumption = looping ?? client.assumption;
      // `return proxy.handle(request)`: the incoming request handed to the package's object, which
      // does the request handling (fetches the origin, calls its service): what the path sends is the
      // package's, which the analyser does not read. Still counted by assumption (one), but never a
      // confident answer below two (see handsRequest).
      const handsRequest =
        client.madeFrom && isCallExpression(node) && args.some((a) => this.ctx.values.isIncomingRequest(a))
          ? `${truncate(printNode(node.expression))}(...) hands the request to ${client.madeFrom}, which the analyser does not read: what it sends cannot be counted`
          : undefined;
      return {
        ...base,
        ...(handsRequest ? { note: handsRequest, handsRequest } : {}),
        unresolved: true,
        ...(client.unknownClass ? { unknownClient: true as const } : {}),
        ...(assumption ? { assumption } : {}),
        ...(looping ? { loop: true as const } : {}),
      };
    }
    if (!library) return base;
    // `await gql(query)` with `gql = graphql.defaults(...)`: the library function, as its entry counts it.
    if (client.functionCost !== undefined && methods.length === 0 && isCallExpression(node)) {
      if (client.functionCost === "route")
        return { ...base, note: `${client.note}: its round trips depend on the request, counted as one`, unresolved: true };
      return client.functionCost > 1
        ? { ...base, note: `${client.note}: ${client.functionCost} sequential round trips`, roundTrips: client.functionCost }
        : base;
    }
    if (client.updateContext && !isUpdateContextCall(methods)) return "skip";
    const last = methods[methods.length - 1] ?? "";
    // Clerk's `authenticateRequest(request)` without `jwtKey`: the JWKS from its Backend API (see clerkJwks.ts).
    const jwks = library.name === "Clerk" && isCallExpression(node) ? clerkJwksFetch("", last, args, found.link) : undefined;
    if (jwks) return make(client.kind, CLERK_JWKS_HOST, "backend", jwks);
    if (isFreeMethodPath(library, methods)) return "skip";
    if (library.strategies && last === "authenticate" && isCallExpression(node)) return this.strategyCall(node, args, make);
    // A fragment inside another query (`sql\`... ${sql\`and x\`}\``, postgres.js' `${sql.unsafe(column)}`)
    // is part of that query.
    if (isTaggedTemplateExpression(node) || library.selfCallFree) {
      const span = findAncestor(node, isTemplateSpan);
      const outer = span?.parent.parent;
      if (outer && isTaggedTemplateExpression(outer) && (isTaggedTemplateExpression(node) || this.isQueryOf(outer, library))) return "skip";
    }
    if (!isTaggedTemplateExpression(node) && last === "" && library.selfCallFree) return "skip";
    const transaction = transactionMethod(library, methods);
    if (transaction !== undefined && args.some((a) => isFunctionValue(a))) {
      // D1 has no interactive transactions: Prisma rejects `$transaction(cb)` over its D1 adapter, and
      // Kysely's D1 dialect its `transaction()`, before anything is sent or the callback runs.
      const failsAfter = client.failedTransaction ?? (client.kind === "d1" ? 0 : undefined);
      if (failsAfter !== undefined)
        return failsAfter > 0
          ? { ...base, note: `${client.note}: the transaction is rejected, its callback never runs`, roundTrips: failsAfter }
          : "skip";
      const own = library.transactions![transaction]!;
      if (own === 0) return RUNS_CALLBACKS;
      return {
        ...base,
        note: `${client.note}: an interactive transaction, ${own} round trips of its own (its start before the callback's queries, its commit after them)`,
        roundTrips: own,
        aroundCallbacks: true,
      };
    }
    // Over Hyperdrive, connecting reaches Hyperdrive's pool in the Worker's own location (it keeps
    // warm connections to the database): only the queries travel to the database.
    if (methods.length === 1 && library.connections?.includes(last) && client.target?.startsWith(HYPERDRIVE_TARGET))
      return make(
        client.kind,
        client.target,
        "binding",
        `Hyperdrive ${client.target.slice(HYPERDRIVE_TARGET.length)}: connecting reaches Hyperdrive's pool near the Worker, not the database; each query is a round trip`,
      );
    const pipeline = methods.findIndex((m) => library.pipelines?.includes(m));
    const sends = pipeline >= 0 ? ["exec"] : (client.sends ?? library.sends);
    if (sends ? !sends.includes(last) : library.builders?.includes(last)) return "skip";
    if (library.http) return this.httpCall(found, module, make);
    if (client.cdnTarget && library.cdn?.methods.includes(methods[0] ?? ""))
      return make(client.kind, client.cdnTarget, "global", `${library.name} ${methods[0]}(): ${library.cdn.why}`);
    const storeSequence = isCallExpression(node) && library.storeSequences ? ownEntry(library.storeSequences, last) : undefined;
    if (storeSequence) return this.storeSequenceCall(node, library, last, storeSequence, client, base);
    const counted =
      (client.kvSessions ? methodPathCount(library.kvSessionCounts, methods) : undefined) ?? methodPathCount(library.counts, methods);
    if (counted === 0) return "skip";
    // `prisma.post.findMany({ include: { author: true } })`: the posts, then their authors.
    const relations = library.relationQueries && methods.length === 2 && isCallExpression(node) ? prismaRelationQueries(args[0]) : [];
    if (counted === undefined && relations.length > 0 && !this.relationsJoined(client.kind, args[0], module)) {
      const roundTrips = 1 + relations.length;
      return {
        ...base,
        note: `${library.name} ${last}(): ${roundTrips} sequential round trips to ${client.target ?? UNRESOLVED_BACKEND} (its query, then one for each included relation: ${relations.join(", ")})`,
        roundTrips,
      };
    }
    if (counted !== undefined)
      return {
        ...base,
        note: `${library.name} ${last}(): ${counted} sequential round trips to ${client.target ?? UNRESOLVED_BACKEND}${library.smtp ? ` (${smtpCallNote(counted, last)})` : ""}`,
        roundTrips: counted,
      };
    if (library.routeDependent && (library.routeDependent.includes("*") || library.routeDependent.includes(last)))
      return {
        ...base,
        note: `${library.name} ${last || "call"}(...): its round trips depend on the request, counted as one`,
        unresolved: true,
      };
    return base;
  }

  /**
   * Whether a Prisma call's relations are joined in the database by default: the schema nearest the
   * calling file enables `relationJoins` for PostgreSQL or MySQL (never D1, which is SQLite).
   */
  private relationsJoined(kind: SubrequestKind, argument: ts.Expression | undefined, module: ModuleFacts): boolean {
    if (kind === "d1") return false;
    // The schema is not in the walked function's import closure: a walk that read it is not kept.
    this.ctx.walker.cutWalk();
    return joinedByDefault(argument, this.ctx.loader.prismaSchemasNear(module.path));
  }

  /**
   * A call of a library function that is not a client's method: a function that is a round trip
   * (Firestore's `getDoc`), a factory that connects (mysql2's `createConnection`), or an unknown
   * library given a database client (its round trips cannot be counted).
   */
  private libraryCall(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    callee: ts.Expression,
    args: readonly ts.Expression[],
    module: ModuleFacts,
    make: MakeSubrequest,
  ): ClassifiedSubrequest | "skip" | typeof RUNS_CALLBACKS | undefined {
    if (!isCallExpression(node)) return undefined;
    const member = importedMember(callee, module);
    if (!member) return undefined;
    const library = libraryFor(member.module);
    if (library) {
      const provider = library.oauthMiddleware?.[member.name];
      if (provider !== undefined) return this.oauthMiddlewareCall(library, member.name, provider, make);
      // Clerk's `verifyToken(token, opts)`, Hono's `clerkMiddleware()`, without `jwtKey`: the JWKS (see clerkJwks.ts).
      const jwks = library.name === "Clerk" ? clerkJwksFetch(member.module, member.name, args) : undefined;
      if (jwks) return make(library.kind ?? "sdk", CLERK_JWKS_HOST, "backend", jwks);
      // Work done in the Worker (Clerk's `getAuth`): nothing sent; a callback it is given runs.
      if (library.local?.includes(member.name)) return args.some((a) => isFunctionValue(a)) ? RUNS_CALLBACKS : "skip";
      // `svelteKitHandler(...)` in the handle hook: the auth handler on its own route (see frameworks.ts),
      // the app's route (resolve) on every other.
      // (Outside a route, a hook the framework's routes were not read for: counted as the handler.)
      const route = library.routeFunctions?.includes(member.name) ? this.ctx.walker.currentRoute() : undefined;
      if (route !== undefined && route !== SVELTEKIT_AUTH_ROUTE) return "skip";
      const cost = library.functions?.[member.name];
      // `graphql.defaults({ headers })`: a method of the library's function that only makes another.
      const called = unwrapExpression(callee);
      if (cost !== undefined && isPropertyAccessExpression(called) && library.free?.includes(called.name.text)) return "skip";
      if (cost !== undefined) {
        const backend = library.configAdapter
          ? this.configAdapterBackend(library, args[0], module)
          : library.wrapsBackend
            ? this.backendIn(args, module, 0)
            : undefined;
        if (backend?.unresolved)
          return {
            ...make(backend.kind, null, "unknown", ""),
            note: backend.note,
            unresolved: true,
            ...(typeof cost === "number" && cost > 1 ? { roundTrips: cost } : {}),
          };
        const model = library.models && args[0] ? this.modelProvider(library, args[0], module) : undefined;
        const client =
          backend ?? model ?? this.authorizationServerClient(library, member.name, args, module) ?? this.sdkClient(library, undefined);
        if (cost === "route")
          return {
            ...make(client.kind, backend ? client.target : null, backend ? client.category : "unknown", ""),
            note: `${library.name} ${member.name}(...): its round trips depend on the request, counted as one`,
            unresolved: true,
          };
        return {
          ...make(
            client.kind,
            client.target,
            client.category,
            cost > 1
              ? `${library.name} ${member.name}(): ${cost} sequential round trips to ${client.target ?? UNRESOLVED_BACKEND}`
              : `${library.name} ${member.name}()`,
          ),
          ...(cost > 1 ? { roundTrips: cost } : {}),
        };
      }
      // `WorkerMailer.send(options, email)`: a static call that connects and sends.
      const staticMethod = isPropertyAccessExpression(called) ? called.name.text : undefined;
      const staticCost = library.smtp?.staticCalls && staticMethod ? ownEntry(library.smtp.staticCalls, staticMethod) : undefined;
      if (staticCost !== undefined) {
        const client = this.smtpClient(library, args[0], module);
        if (client.unresolved) return { ...make(client.kind, client.target, client.category, client.note), unresolved: true };
        if (client.sends) return "skip";
        const method = `${member.name}.${staticMethod}`;
        return {
          ...make(
            client.kind,
            client.target,
            client.category,
            `${library.name} ${method}(): ${staticCost} sequential round trips to ${client.target ?? UNRESOLVED_BACKEND} (${smtpCallNote(staticCost, staticMethod!)})`,
          ),
          roundTrips: staticCost,
        };
      }
      if (library.paginators?.includes(member.name)) return this.paginatorCall(library, member.name, args, module, make);
      if (library.connects?.includes(member.name)) {
        const client = this.sdkClient(library, args[0]);
        // Over Hyperdrive the handshake is with Hyperdrive's pool near the Worker, as pg's `connect()`.
        if (client.target?.startsWith(HYPERDRIVE_TARGET))
          return make(
            client.kind,
            client.target,
            "binding",
            `Hyperdrive ${client.target.slice(HYPERDRIVE_TARGET.length)}: connecting reaches Hyperdrive's pool near the Worker, not the database; each query is a round trip`,
          );
        return make(client.kind, client.target, client.category, `${library.name} ${member.name}(): connecting is a round trip`);
      }
      return undefined;
    }
    if (!isAwaitedHere(node) || !isUnknownPackage(member.module) || this.isOwnModule(member.module, module)) return undefined;
    // `set(v) { return cookie.serialize(name, v) }`: returned by a function whose callers do not wait for it.
    if (this.returnedUnawaited(node)) return undefined;
    // A function of a workspace package whose source is read is the project's own code: walked.
    if (this.ctx.values.calledFunction(callee, module)) return undefined;
    const backend = this.backendIn(args, module, 0);
    // `await exchangeCode("https://id.twitch.tv/oauth2/token", code)`: a function of an unknown
    // package given an http(s) URL most likely requests it; never taken as nothing.
    const given = backend ? undefined : this.httpUrlGiven(args);
    if (given && !isLocalWorkPackage(member.module) && !member.module.includes(":") && !this.ctx.loader.moduleFor(member.module, module))
      return {
        ...make(
          "other",
          null,
          "unknown",
          `${truncate(printNode(callee))}(...) from "${member.module}", a library the analyser does not know, is given the URL ${truncate(given.url)}: it may make round trips to ${given.host}`,
        ),
        unresolved: true,
      };
    // `await request("GET /repos/{owner}/{repo}/releases", params)`: a function of an unknown package
    // given an HTTP request line (a method, then a path) sends that request to its API; never nothing.
    const line = backend || given ? undefined : requestLineGiven(args[0]);
    if (line && !isLocalWorkPackage(member.module) && !member.module.includes(":") && !this.ctx.loader.moduleFor(member.module, module))
      return {
        ...make(
          "other",
          null,
          "unknown",
          `${truncate(printNode(callee))}(...) from "${member.module}", a library the analyser does not know, is given the HTTP request ${truncate(line)}: it sends it to a service whose host cannot be told`,
        ),
        unresolved: true,
      };
    if (!backend) {
      // `await wtf.fetch("Page")`, `await api.get(id)`: an awaited method of an unknown package's
      // default export or namespace may well be a round trip (a wrapper of a remote API); never
      // taken as nothing. Packages known to work in the Worker (zod, jose, ...) are not flagged.
      const value = unwrapExpression(callee);
      const root =
        isPropertyAccessExpression(value) && isIdentifier(value.expression) ? module.imports.get(value.expression.text) : undefined;
      if (
        !root ||
        (root.name !== "default" && root.name !== "*") ||
        isLocalWorkPackage(member.module) ||
        member.module.includes(":") ||
        this.ctx.loader.moduleFor(member.module, module) ||
        // `handler.fetch(request, env, ctx)`: the request handed on to a framework's handler, which
        // the handler adapters read (or report as a framework they do not follow).
        args.some((a) => isIncomingRequest(a))
      )
        return undefined;
      return {
        ...make(
          "other",
          null,
          "unknown",
          `${truncate(printNode(callee))}(...) from "${member.module}" is a function of a library the analyser does not know: it may make round trips`,
        ),
        unresolved: true,
      };
    }
    // `await notionToHtml(notion, id)`: a function given a client of a known service talks to that service.
    const wrapping = this.wrapperOf(`${truncate(printNode(callee))}(...)`, member.module, backend);
    if (wrapping) {
      const looping = wrapping.loops?.[member.name];
      return {
        ...make(wrapping.kind, wrapping.target, wrapping.category, wrapping.note),
        ...(wrapping.unresolved ? { unresolved: true as const } : {}),
        ...(looping
          ? { assumption: looping, loop: true as const }
          : wrapping.assumption
            ? {
                assumption: `${truncate(printNode(callee))}(...) from "${member.module}", a library the analyser does not know, given a ${backend.library?.name ?? "known"} client: counted as a round trip to ${wrapping.target}`,
              }
            : {}),
      };
    }
    return {
      ...make(
        "other",
        null,
        "unknown",
        `${truncate(printNode(callee))}(...) from "${member.module}" is given ${backendPhrase(backend)}: its round trips cannot be counted`,
      ),
      unresolved: true,
    };
  }

  /**
   * What a library the table does not know (`made`, from `moduleName`) does when it is given a client
   * of a service the table knows by its host (`new NotionToMarkdown({ notionClient })`,
   * `new Ledger({ client: stripe })`): its awaited calls go to that service, each counted as one
   * round trip by assumption ("likely"); a library known to page or recurse through it
   * (CLIENT_WRAPPERS) makes a loop of them in its listed methods. A globally distributed service is
   * no back end, assumed or not. Undefined for any other client (a database's stays unknown).
   */
  private wrapperOf(made: string, moduleName: string, given: ClientKind | undefined): ClientKind | undefined {
    const library = given?.library;
    if (!given || !library || library.host === null || given.unresolved || given.target === null) return undefined;
    const service = given.target;
    const phrase = `${made} from "${moduleName}", given a ${library.name} client`;
    if (given.category === "global")
      return { kind: given.kind, target: service, category: "global", note: `${phrase}: its calls go to ${service}`, unknownClass: true };
    if (given.category !== "backend") return undefined;
    const wrapper = clientWrapper(moduleName, library);
    const loops = wrapper
      ? Object.fromEntries(
          wrapper.loops.map((method) => [
            method,
            `${method}(...) of ${phrase}, ${wrapper.why}: counted as a loop of round trips to ${service}`,
          ]),
        )
      : undefined;
    return {
      kind: given.kind,
      target: service,
      category: "unknown",
      note: `${phrase}: its awaited calls may be round trips to ${service}, which the analyser cannot count`,
      unresolved: true,
      unknownClass: true,
      assumption: `awaited calls on ${made} from "${moduleName}", a library the analyser does not know, given a ${library.name} client: counted as round trips to ${service}`,
      ...(loops ? { loops } : {}),
    };
  }

  /**
   * `iteratePaginatedAPI(notion.blocks.children.list, { block_id })`: a library function that calls
   * the client method it is given once per page, until the last: a loop of round trips to the
   * method's service (the library's own when the method's client cannot be told).
   */
  private paginatorCall(
    library: Library,
    name: string,
    args: readonly ts.Expression[],
    module: ModuleFacts,
    make: MakeSubrequest,
  ): ClassifiedSubrequest {
    const method = args[0] ? unwrapExpression(args[0]) : undefined;
    const found = method && (isPropertyAccessExpression(method) || isIdentifier(method)) ? this.clientOfChain(method, module) : undefined;
    const client = found && !found.client.unresolved && found.client.library ? found.client : this.sdkClient(library, undefined);
    const given = method ? truncate(printNode(method)) : "a method";
    return {
      ...make(
        client.kind,
        client.target,
        client.category,
        `${library.name} ${name}(${given}, ...) calls ${given} once per page, until the last: a loop of round trips to ${client.target ?? "its back end"}`,
      ),
      loop: true,
    };
  }

  /**
   * The queries in a batch call's array (`prisma.$transaction([...])`, `db.batch([...])`,
   * `sql.transaction([...])`): they are sent by the batch, in one round trip, not one by one.
   */
  batchedElements(node: ts.CallExpression | ts.TaggedTemplateExpression, module: ModuleFacts): readonly ts.Expression[] | undefined {
    if (!isCallExpression(node) || !isChainTop(node)) return undefined;
    const list = node.arguments[0] ? unwrapExpression(node.arguments[0]) : undefined;
    if (!list || !isArrayLiteralExpression(list)) return undefined;
    const found = this.clientOfChain(unwrapExpression(node.expression), module);
    const last = found?.methods[found.methods.length - 1];
    if (!found || !last || !found.client.library?.batches?.includes(last)) return undefined;
    return list.elements.map((e) => unwrapExpression(e));
  }

  /** Links worth resolving as values: `this.x`, context reads, and calls of plain functions (`getDb(env)`). */
  private isTraceable(link: ts.PropertyAccessExpression | ts.CallExpression, module: ModuleFacts): boolean {
    if (isPropertyAccessExpression(link))
      return (
        link.expression.kind === SyntaxKind.ThisKeyword ||
        this.ctx.values.contextKey(link) !== undefined ||
        this.ctx.values.frameworkProperty(link) !== undefined ||
        this.ctx.values.parameterPropertyValues(link).length > 0 ||
        this.declaredPropertyClient(link, module) !== undefined
      );
    const callee = unwrapExpression(link.expression);
    return isIdentifier(callee) || this.ctx.values.contextKey(link) !== undefined;
  }

  /**
   * `c.db` on a parameter declared `c: OperationContext`, whose type (a project interface or type
   * literal) declares `db: StoreDb`: the client that type names (see clientOfType).
   */
  private declaredPropertyClient(access: ts.PropertyAccessExpression, module: ModuleFacts): ClientKind | undefined {
    const holder = unwrapExpression(access.expression);
    const declaration = isIdentifier(holder) ? declarationOf(holder) : undefined;
    if (!declaration || !isParameter(declaration) || !declaration.type) return undefined;
    const property = declaredPropertyType(declaration.type, access.name.text, module, (specifier, from) =>
      this.ctx.loader.moduleFor(specifier, from),
    );
    return property ? this.clientOfType(property.type, property.module) : undefined;
  }

  /** A value known to make subrequests when used: SDK clients, Drizzle, D1 sessions, DO stubs. */
  /** Whether a name holds a client of a library in the table (sdks.ts): `auth` made by `betterAuth(...)`. */
  isLibraryClient(identifier: ts.Identifier, module: ModuleFacts): boolean {
    return this.clientKind(identifier, module, 0)?.library !== undefined;
  }

  /** As isLibraryClient, for any value: `conn.db` of `const conn = openStore(env)` too. */
  isLibraryClientValue(expression: ts.Expression, module: ModuleFacts): boolean {
    return this.clientOfValue(expression, module, 0)?.library !== undefined;
  }

  private clientKind(identifier: ts.Identifier, module: ModuleFacts, depth: number): ClientKind | undefined {
    if (depth > MAX_CLIENT_DEPTH) return undefined;
    const declaration = declarationOf(identifier);
    // `ctx` in a Telegram bot's handler: a Bot API client of the update (asked before the cache: the
    // bot's handlers are known once a webhook hands it a request).
    if (declaration && isParameter(declaration) && this.ctx.handlers.telegram.isUpdateContext(declaration)) {
      const library = libraryFor("grammy");
      if (library)
        return {
          ...this.sdkClient(library, undefined),
          note: `${library.name}: a Bot API call on the update's context`,
          updateContext: true,
        };
    }
    // `c` in a discord-hono handler: only its REST calls (`c.rest(...)`, `c.followup(...)`) send;
    // its answers (`c.res()`, `c.resDefer()`) are the HTTP response.
    if (declaration && isParameter(declaration) && this.ctx.handlers.discordHono.isInteractionContext(declaration)) {
      const library = libraryFor("discord-hono");
      if (library) return { ...this.sdkClient(library, undefined), note: `${library.name}: a REST call on the interaction's context` };
    }
    // `context` (or the whole request) a slack-edge listener is given: `context.client.*`,
    // `context.say()`, `context.respond()` are Web API calls.
    if (declaration && this.ctx.handlers.slackEdge.isListenerArgument(declaration)) {
      const library = libraryFor("slack-edge");
      if (library) return { ...this.sdkClient(library, undefined), note: `${library.name}: a Web API call in a listener` };
    }
    if (declaration && depth === 0) {
      const known = this.clients.get(declaration);
      if (known !== undefined) return known ?? undefined;
      this.clients.set(declaration, null); // a value defined through itself is no client
      const kind = this.clientKindOf(identifier, declaration, module, depth);
      this.clients.set(declaration, kind ?? null);
      return kind;
    }
    return this.clientKindOf(identifier, declaration, module, depth);
  }

  private clientKindOf(
    identifier: ts.Identifier,
    declaration: ts.Node | undefined,
    module: ModuleFacts,
    depth: number,
  ): ClientKind | undefined {
    // An imported ready-made client (`import { sql } from "@vercel/postgres"`); a namespace or a
    // factory is not one.
    if (!declaration) {
      const imported = module.imports.get(identifier.text);
      // NuxtHub's `db`: auto-imported, or imported from its virtual module `hub:db`.
      if (
        identifier.text === "db" &&
        (imported ? imported.module === "hub:db" && imported.name === "db" : this.ctx.walker.nitro.isNuxtHub(module))
      )
        return this.nuxtHubDb();
      if (!imported) {
        // A constant exported from a Nitro server's utils/, used without an import.
        const auto = this.ctx.walker.nitro.valueNamed(identifier.text, module);
        return auto ? this.clientOfValue(auto.expression, auto.module, depth + 1) : undefined;
      }
      const library = libraryFor(imported.module);
      if (library?.clients?.includes(imported.name))
        return library.http ? this.httpClient(library, undefined, module) : this.sdkClient(library, undefined);
      // A client made in another module of the project (`export const client = createClient(...)`).
      if (library || imported.name === "*" || !this.ctx.loader.moduleFor(imported.module, module)) return undefined;
      let byName = this.importedClients.get(module.path);
      if (!byName) this.importedClients.set(module.path, (byName = new Map()));
      const known = byName.get(identifier.text);
      if (known !== undefined) return known ?? undefined;
      byName.set(identifier.text, null);
      let found: ClientKind | undefined;
      for (const source of this.ctx.values.valuesOf(identifier, module, depth)) {
        found = this.clientOfValue(source.expression, source.module, depth + 1);
        if (found) break;
      }
      byName.set(identifier.text, found ?? null);
      return found;
    }
    // A transaction's client: `prisma.$transaction(async (tx) => ...)`, `sql.begin(async (sql) => ...)`.
    if (isParameter(declaration)) {
      const transaction = this.transactionClient(declaration, module);
      if (transaction) return transaction;
    }
    // (Of the values it may hold, the one whose back end is known: see firstClient.)
    const kind = this.firstClient(this.ctx.values.valuesOf(identifier, module, depth), depth);
    if (kind) return kind;
    // A value handed on through a helper's parameter (`createServer(db)` building `{ db }`): what
    // the calls met so far pass for it, when it is asked about as a value (chain roots: passedClient).
    if (depth > 0 && isParameter(declaration)) return this.firstClient(this.ctx.values.argumentsPassedFor(declaration), depth);
    return undefined;
  }

  /**
   * A client handed to a helper (`listUsers(supabase)`): what the calls met so far pass for the
   * parameter a query chain starts from. Asked only for chains that look like queries: reading
   * other modules' calls means the walk is not kept, and most method calls on parameters
   * (`request.json()`, `c.text()`) are nothing of the kind.
   */
  private passedClient(root: ts.Identifier, chain: ts.Expression, module: ModuleFacts): ClientKind | undefined {
    const declaration = declarationOf(root);
    if (!declaration) return undefined;
    // What callers pass may itself be a destructured parameter of theirs (`runAgent({ supabase })`
    // handing `supabase` on): read with the arguments passed for it too.
    // An awaited call on it (`await githubCli.repos.get()`) is asked about too: a method of a value
    // handed in is sent when the caller waits for it.
    const asked =
      looksLikeQuery(chain) || (isCallExpression(chain.parent) && chain.parent.expression === chain && isAwaitedHere(chain.parent));
    if (isParameter(declaration)) {
      // `path: string` holds no client (and asking what callers pass would keep the walk from being kept).
      if (!asked || (declaration.type && isPrimitiveType(declaration.type))) return undefined;
      return (
        this.ctx.values.withArguments(() => this.firstClient(this.ctx.values.argumentsPassedFor(declaration), 0)) ??
        this.typedClient(declaration, module)
      );
    }
    // `async function list({ db })`: the `db` of what the calls pass.
    if (isBindingElement(declaration) && isParameter(declaration.parent.parent) && asked)
      return this.firstClient(
        this.ctx.values.withArguments(() => this.ctx.values.valuesOf(root, module)),
        0,
      );
    return undefined;
  }

  /**
   * A parameter typed with a client type of a database library (`sql: Sql` or `sql: postgres.Sql`
   * from "postgres", `pool: Pool` from "pg"): a client of that library even where no call passing
   * it has been met, its address unknown (the library's name stands for it).
   */
  private typedClient(parameter: ts.ParameterDeclaration, module: ModuleFacts): ClientKind | undefined {
    return this.clientOfType(parameter.type, module) ?? this.handlerParameterClient(parameter, module);
  }

  /**
   * The first parameter of a method a library's framework calls with a client (Carbon's
   * `run(interaction)` in a class extending its `Command`), typed or not (JavaScript).
   */
  private handlerParameterClient(parameter: ts.ParameterDeclaration, module: ModuleFacts): ClientKind | undefined {
    const method = parameter.parent;
    if (!isMethodDeclaration(method) || method.parameters[0] !== parameter || !isIdentifier(method.name)) return undefined;
    const cls = method.parent;
    if (!ts.isClassLike(cls)) return undefined;
    const base = cls.heritageClauses?.find((c) => c.token === SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const root = base ? rootImport(base, module) : undefined;
    const library = root ? libraryFor(root.module) : undefined;
    const given = library?.handlerParameters;
    if (!library || !given || !given.methods.includes(method.name.text) || !given.bases.includes(root!.name)) return undefined;
    return this.sdkClient(library, undefined);
  }

  /**
   * A type naming a client type of a database library (`Sql`, `Promise<Pool>`), as typedClient;
   * with `orms`, of an ORM too (a function declared to return a `PrismaClient` returns one).
   */
  private clientOfType(node: ts.TypeNode | undefined, module: ModuleFacts, orms = false, depth = 0): ClientKind | undefined {
    let type = node;
    if (type && ts.isTypeReferenceNode(type) && isIdentifier(type.typeName) && type.typeName.text === "Promise")
      type = type.typeArguments?.[0];
    if (!type || !ts.isTypeReferenceNode(type)) return undefined;
    // `db: Db` with `type Db = ReturnType<typeof createDb>`: the client that project function returns.
    const source = returnTypeSource(type, module, (specifier, from) => this.ctx.loader.moduleFor(specifier, from));
    if (source) {
      const fn = this.ctx.values.calledFunction(source.name, source.module);
      return fn ? this.firstClient(this.ctx.values.returnedValues(fn.fn, fn.module), 0) : undefined;
    }
    const name = type.typeName;
    const root = ts.isQualifiedName(name) ? name.left : name;
    if (!isIdentifier(root)) return undefined;
    // `db: StoreDb` with `type StoreDb = PostgresJsDatabase<typeof schema>` in a project module: the type it stands for.
    const aliased =
      depth < MAX_CLIENT_DEPTH ? aliasedType(type, module, (specifier, from) => this.ctx.loader.moduleFor(specifier, from)) : undefined;
    if (aliased) return this.clientOfType(aliased.type, aliased.module, orms, depth + 1);
    const imported = module.imports.get(root.text);
    if (!imported) return undefined;
    const library = libraryFor(imported.module);
    if (!library) return undefined;
    // A type the library's clients are declared with (Carbon's `interaction: CommandInteraction`).
    if (library.clientTypes) {
      const typeName = imported.name === "*" && ts.isQualifiedName(name) ? name.right.text : imported.name;
      return library.clientTypes.includes(typeName) ? this.sdkClient(library, undefined) : undefined;
    }
    // `db: DrizzleD1Database` from "drizzle-orm/d1", `LibSQLDatabase` from "drizzle-orm/libsql": a
    // Drizzle client over that driver (D1: the Worker's only D1 database when it has one).
    if (library.name === "Drizzle" && ownEntry(DRIZZLE_DRIVERS, imported.module)) return this.drizzleClient(imported.module, [], module, 0);
    if (library.family !== "database" && library.family !== "cache" && !(orms && library.family === "orm")) return undefined;
    return this.sdkClient(library, undefined);
  }

  /** The first parameter of a callback given to a client's transaction method is a client too. */
  private transactionClient(parameter: ts.ParameterDeclaration, module: ModuleFacts): ClientKind | undefined {
    const fn = parameter.parent;
    if (!(isArrowFunction(fn) || isFunctionExpression(fn)) || fn.parameters[0] !== parameter) return undefined;
    const call = fn.parent;
    if (!isCallExpression(call) || !call.arguments.includes(fn)) return undefined;
    const found = this.clientOfChain(unwrapExpression(call.expression), module);
    const library = found?.client.library;
    if (!found || !library || transactionMethod(library, found.methods) === undefined) return undefined;
    return found.client;
  }

  /** The client an expression evaluates to: made by an SDK, Drizzle, a binding, or a project function. */
  /**
   * A Nitro storage (`useStorage(base)`, `prefixStorage(storage, prefix)` from unstorage): what a
   * call on it reaches is the driver the config mounts at its base (nitroStorage.ts). `client` is
   * undefined for a storage that stays in the isolate (memory, an unmounted base). Undefined when
   * the value is no such storage.
   */
  private nitroStorageClient(init: ts.CallExpression, module: ModuleFacts, depth: number): { client: ClientKind | undefined } | undefined {
    const base = this.nitroStorageBase(init, module, depth);
    if (base === undefined) return undefined;
    const config = this.ctx.walker.nitro.storageMountsOf(module);
    if (!config) return { client: undefined };
    const described = base === null ? "a storage whose base cannot be resolved" : `useStorage(${JSON.stringify(base)})`;
    const unknownStorage = (why: string): { client: ClientKind } => ({
      client: {
        kind: "other",
        target: null,
        category: "unknown",
        note: `${described}: ${why}`,
        library: NITRO_STORAGE,
        unresolved: true,
        assumption: `calls on ${described} counted as round trips to its storage driver's service`,
      },
    });
    // (Every mount in the isolate: whatever the base, nothing leaves the Worker.)
    const drivers = config.mounts.map(storageDriverClass);
    if (config.complete && drivers.every((d) => d.kind === "in-process")) return { client: undefined };
    if (base === null) return unknownStorage("which of the config's storage mounts it uses cannot be told");
    const mount = mountFor(config.mounts, base);
    if (!mount)
      return config.complete
        ? { client: undefined }
        : unknownStorage("an entry of the config's `storage` cannot be read, so its driver cannot be told");
    const driver = storageDriverClass(mount);
    const mounted = `${described}, mounted with the ${driver.driver ?? "unresolved"} driver`;
    switch (driver.kind) {
      case "in-process":
        return { client: undefined };
      case "unknown":
        return unknownStorage("the config's driver for its mount is not a literal");
      case "kv":
      case "r2":
        return {
          client: {
            kind: driver.kind,
            target: driver.binding,
            category: "binding",
            note: `${mounted} (${driver.kind === "kv" ? "Workers KV" : "R2"} ${driver.binding}): a Cloudflare binding, not a back-end round trip`,
            library: NITRO_STORAGE,
          },
        };
      case "remote": {
        const category = driver.host ? classifyHost(driver.host, this.ctx.input.hostCategories).category : "backend";
        return {
          client: {
            kind: "sdk",
            target: driver.target,
            category,
            note: `${mounted}: each storage call is a round trip to ${driver.target}`,
            library: NITRO_STORAGE,
          },
        };
      }
    }
  }

  /**
   * The base of a Nitro storage: `useStorage("db")` (a Nitro global, or imported from Nitro's
   * runtime), `prefixStorage(storage, "page")` from unstorage, or a name holding one. Null when it
   * is one whose base cannot be resolved; undefined when it is none.
   */
  private nitroStorageBase(expression: ts.Expression, module: ModuleFacts, depth: number): string | null | undefined {
    if (depth > MAX_CLIENT_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      for (const source of this.ctx.values.valuesOf(value, module, depth)) {
        const base = this.nitroStorageBase(source.expression, source.module, depth + 1);
        if (base !== undefined) return base;
      }
      return undefined;
    }
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (!isIdentifier(callee)) return undefined;
    const imported = module.imports.get(callee.text);
    const segment = (argument: ts.Expression | undefined): string | null => {
      if (!argument) return "";
      const text = this.ctx.values.evaluateString(argument, 0);
      return text === undefined ? null : normalizeStorageBase(text);
    };
    if (callee.text === "useStorage" && !declarationOf(callee) && (!imported || NITRO_RUNTIME_MODULES.has(imported.module))) {
      if (!this.ctx.walker.nitro.serverDirOf(module)) return undefined;
      return segment(value.arguments[0]);
    }
    if (imported?.module === "unstorage" && imported.name === "prefixStorage" && value.arguments[0]) {
      const inner = this.nitroStorageBase(value.arguments[0], module, depth + 1);
      if (inner === undefined) return undefined;
      const prefix = segment(value.arguments[1]);
      if (inner === null || prefix === null) return null;
      return [inner, prefix].filter((s) => s !== "").join(":");
    }
    return undefined;
  }

  private clientOfValue(expression: ts.Expression, module: ModuleFacts, depth: number): ClientKind | undefined {
    // A value asked about again while it is being worked out (`this.api = this.api.extend(...)`,
    // reached through a chain that starts over at depth 0): nothing more to learn from it.
    if (this.valuesInProgress.has(expression)) return undefined;
    this.valuesInProgress.add(expression);
    try {
      return this.clientOfValueOnce(expression, module, depth);
    } finally {
      this.valuesInProgress.delete(expression);
    }
  }

  private clientOfValueOnce(expression: ts.Expression, module: ModuleFacts, depth: number): ClientKind | undefined {
    if (depth > MAX_CLIENT_DEPTH) return undefined;
    let init = unwrapExpression(expression);
    const awaited = isAwaitExpression(init);
    if (isAwaitExpression(init)) init = unwrapExpression(init.expression);
    if (isIdentifier(init)) return this.clientKind(init, module, depth + 1);
    // `cache.prisma ?? new PrismaClient()`, `env.LOCAL ? mock : client`: the client either side holds.
    if (
      ts.isBinaryExpression(init) &&
      (init.operatorToken.kind === SyntaxKind.QuestionQuestionToken || init.operatorToken.kind === SyntaxKind.BarBarToken)
    )
      return this.clientOfValue(init.left, module, depth + 1) ?? this.clientOfValue(init.right, module, depth + 1);
    if (ts.isConditionalExpression(init))
      return this.clientOfValue(init.whenTrue, module, depth + 1) ?? this.clientOfValue(init.whenFalse, module, depth + 1);
    // `return (client ??= graphql.defaults(...))`: a getter that keeps what it makes gives the held value or the new one.
    if (ts.isBinaryExpression(init) && LAZY_ASSIGNMENTS.has(init.operatorToken.kind))
      return this.clientOfValue(init.right, module, depth + 1) ?? this.clientOfValue(init.left, module, depth + 1);
    const made = functionClientOf(init, module);
    if (made)
      return {
        ...this.sdkClient(made.library, undefined),
        functionCost: made.cost,
        note: `${made.library.name} ${made.name}() made by ${made.name}.${made.method}()`,
      };
    const key = this.ctx.values.contextKey(init);
    if (key !== undefined) return this.firstClient(this.ctx.values.contextValues(key), depth);
    // (A field whose value cannot be followed, `constructor(private db: Db)` given by a `new` the
    // analysis did not meet: the client its declared type names, `pg`'s `Pool` or `ReturnType<typeof createDb>`.)
    if (isPropertyAccessExpression(init) && init.expression.kind === SyntaxKind.ThisKeyword)
      return this.firstClient(this.ctx.values.thisMemberValues(init, module), depth) ?? this.clientOfType(declaredFieldType(init), module);
    // `c.env.DB` that is no binding, the Worker handing its app `{ ...env, DB: db }`: that client.
    if (isPropertyAccessExpression(init) && isEnvLike(init.expression) && !this.ctx.bindingKinds.has(init.name.text)) {
      const handed = handedEnvValues(this.ctx.loader.modules.values(), init.name.text);
      if (handed.length > 0) return this.firstClient(handed, depth);
    }
    // `ctx.db` in a tRPC procedure: what the framework passes (createContext's value).
    const given = this.ctx.values.frameworkProperty(init);
    if (given) return this.firstClient(given, depth);
    // `opts.db` handed on by a helper given `{ db }` (`check(opts.db)`): what the calls pass for it.
    if (isPropertyAccessExpression(init) && isIdentifier(unwrapExpression(init.expression))) {
      // `c.db` with `c: OperationContext` declaring `db: StoreDb`, where what the calls passing `c`
      // hold cannot be told (a handler looked up in a registry): the client the property's type names.
      const declared = (): ClientKind | undefined => this.declaredPropertyClient(init, module);
      const fields = this.ctx.values.fieldValues(init, module);
      if (fields.length > 0) return this.firstClient(fields, depth) ?? declared();
      // `env.db` set by a router's middleware (`env.db = store.openSession()`): what it puts there.
      const written = this.ctx.values.parameterPropertyValues(init);
      if (written.length > 0) return this.firstClient(written, depth);
      const typed = declared();
      if (typed) return typed;
    }
    // `base.$extends({...})`: a call that gives back the client it is made on, extended.
    if (isCallExpression(init) && isPropertyAccessExpression(unwrapExpression(init.expression))) {
      const callee = unwrapExpression(init.expression) as ts.PropertyAccessExpression;
      if (callee.name.text.startsWith("$")) {
        // (On a parameter, `function extend(base: PrismaClient)`: what the calls pass, else its type.)
        const receiver = unwrapExpression(callee.expression);
        const parameter = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
        const base =
          parameter && isParameter(parameter)
            ? (this.ctx.values.withArguments(() => this.firstClient(this.ctx.values.argumentsPassedFor(parameter), 0)) ??
              this.clientOfType(parameter.type, module, true))
            : this.clientOfValue(receiver, module, depth + 1);
        if (base?.library?.extends?.includes(callee.name.text)) return base;
      }
    }
    // A sub-object of an SDK client kept on its own (`const gh = new Octokit({ auth }).rest`,
    // `const users = prisma.user`): calls on it are calls on the client.
    if (isPropertyAccessExpression(init) && !awaited) {
      const base = this.clientOfValue(init.expression, module, depth + 1);
      if (base?.library && !base.library.http) return base;
      // `const byId = trpc.orders.byId`: a procedure of a tRPC client, sent by `byId.query()`.
      if (base?.trpc) return base;
      return undefined;
    }
    if (!isCallExpression(init) && !isNewExpression(init)) return undefined;
    const callee = unwrapExpression(init.expression);
    if (isNewExpression(init) && isIdentifier(callee) && callee.text === "Proxy" && !declarationOf(callee) && !module.imports.has("Proxy"))
      return this.proxiedClient(init, module, depth);
    // env.DB.withSession() -> a D1 session; env.NS.get(id) -> a Durable Object stub.
    if (isPropertyAccessExpression(callee)) {
      const binding = this.ctx.values.bindingOf(unwrapExpression(callee.expression));
      if (binding?.kind === "d1" && callee.name.text === "withSession")
        return { kind: "d1", target: binding.name, category: this.d1Category(), note: this.d1Note(`D1 session on ${binding.name}`) };
      if (binding?.kind === "durableObjects" && ["get", "getByName"].includes(callee.name.text))
        return {
          kind: "durable-object",
          target: binding.name,
          category: "binding",
          note: `Durable Object ${binding.name}: not a back-end round trip`,
        };
      if (binding?.kind === "d1") return undefined;
    }
    // Nitro's `useStorage("db")` and unstorage's `prefixStorage(storage, "page")` over it: the driver
    // the app's config mounts there (none: a storage in the Worker's memory).
    const storage = isCallExpression(init) ? this.nitroStorageClient(init, module, depth) : undefined;
    if (storage) return storage.client;
    const factory = factoryCall(init, module);
    if (factory) {
      const { member, call } = factory;
      const factoryArgs = call.arguments ?? [];
      // `getContainer(env.APP, "main")`: a stub of the binding's Durable Object, as `env.APP.get(id)` gives.
      const stubLibrary = libraryFor(member.module);
      if (stubLibrary?.bindingStubs && isFactory(stubLibrary.factories, member.name)) {
        const binding = factoryArgs[0] ? this.ctx.values.bindingOf(unwrapExpression(factoryArgs[0])) : undefined;
        const target = binding?.kind === "durableObjects" ? binding.name : null;
        return {
          kind: "durable-object",
          target,
          category: "binding",
          note: `${member.name}(...) of ${stubLibrary.name}: a stub of the Durable Object ${target ?? "the binding it is given"}, not a back-end round trip`,
        };
      }
      if (member.module === DRIZZLE_MODULE_PREFIX || member.module.startsWith(DRIZZLE_MODULE_PREFIX + "/")) {
        // Only `drizzle(...)` makes a client: the schema builders of drizzle-orm/sqlite-core,
        // pg-core, ... (`sqliteTable("users", {...})`, `integer("id")`) make table definitions.
        if (!isFactory(libraryFor("drizzle-orm/d1")!.factories, member.name)) return undefined;
        return this.drizzleClient(member.module, factoryArgs, module, depth);
      }
      // `createTRPCClient({ links: [httpBatchLink({ url, fetch })] })`: requests to its url, sent by its fetch.
      if (member.module === TRPC_CLIENT_MODULE && TRPC_CLIENT_FACTORIES.has(member.name)) {
        const trpc = this.trpcClient(factoryArgs[0], module);
        if (trpc) return trpc;
      }
      const library = libraryFor(member.module);
      // What an HTTP client's awaited call gives is a response or its data, not a client.
      if (library?.http && awaited) return undefined;
      // `new GitHub(...)`, `new Bungie(...)` of arctic: any provider class is a client, of its host
      // when the table lists it, else of the library's fallback (a provider's token endpoint).
      if (library?.factoryHosts && isNewExpression(call) && /^[A-Z]/.test(member.name))
        return this.providerClient(library, member.name, ownEntry(library.factoryHosts, member.name), factoryArgs[0]);
      if (library && isFactory(library.factories, member.name)) {
        if (library.http) return this.httpClient(library, factoryArgs[0], module);
        if (library.cdn) return this.cdnClient(library, factoryArgs[0]);
        if (library.smtp) return this.smtpClient(library, factoryArgs[0], module);
        if (library.storeSequences)
          return {
            ...this.sdkClient(library, factoryArgs[0]),
            ...(factoryArgs[0] ? { storeOptions: { expression: factoryArgs[0], module } } : {}),
          };
        if (!library.wrapsBackend) return this.sdkClient(library, factoryArgs[0]);
        const backend = this.backendIn(factoryArgs, module, depth + 1);
        const kvSessions = library.kvSessionCounts && this.keepsSessionsInKv(factoryArgs[0], module) ? ({ kvSessions: true } as const) : {};
        if (backend) return { ...backend, library, note: `${library.name} over ${backend.note}`, ...kvSessions };
        const dialect = library.dialects ? this.dialectBackend(library, factoryArgs[0], module) : undefined;
        if (dialect) return { ...dialect, library, note: `${library.name} over ${dialect.note}` };
        if (library.ownConnection) return this.sdkClient(library, undefined);
        const driver = library.driverOption ? this.driverTarget(library, factoryArgs[0], module) : undefined;
        if (driver) return driver;
        return {
          kind: "sdk",
          target: null,
          category: "unknown",
          note: `${library.name} over a back end the analyser cannot resolve`,
          library,
        };
      }
      // `new DataClient(key)` from a package the table does not know: a client of a remote service.
      // (A package of the workspace whose source is read is code of the project: its methods are walked.)
      if (
        isNewExpression(init) &&
        call === init &&
        isUnknownPackage(member.module) &&
        !isLocalWorkPackage(member.module) &&
        !this.isOwnModule(member.module, module) &&
        !this.ctx.loader.moduleFor(member.module, module)
      ) {
        // `new Surreal()` then `db.connect("mem://")`: an engine in the Worker, not a remote service.
        if (inProcessAddress(init, module)) return undefined;
        const made = truncate(printNode(init.expression));
        // `new NotionToMarkdown({ notionClient })`: made with a client of a known service, it talks to that service.
        const wrapping = this.wrapperOf(made, member.module, this.backendIn(factoryArgs, module, depth + 1));
        if (wrapping) return wrapping;
        return {
          kind: "other",
          target: null,
          category: "unknown",
          note: `${made} from "${member.module}" is a client of a library the analyser does not know: its awaited calls may be round trips`,
          unresolved: true,
          unknownClass: true,
          madeFrom: `${made} from "${member.module}"`,
          assumption: `awaited calls on ${made} from "${member.module}", a library the analyser does not know, counted as round trips to its service`,
        };
      }
      // `const app = makeApp(secret)` from a package the table does not know, not awaited and given
      // no database client (see below): an object of that library, as `new App(secret)` is.
      if (
        isCallExpression(init) &&
        call === init &&
        !awaited &&
        isPackageFunction(callee, module) &&
        // (Given nothing, it reads what the framework holds: `getRequestInfo()`; given a binding, it
        // works over the platform's own service: `createDb(env.DATABASE)` over a Durable Object.)
        factoryArgs.length > 0 &&
        !factoryArgs.some((a) => this.givesBinding(a)) &&
        isUnknownPackage(member.module) &&
        !isLocalWorkPackage(member.module) &&
        !member.module.includes(":") &&
        !this.isOwnModule(member.module, module) &&
        !this.ctx.loader.moduleFor(member.module, module) &&
        !this.ctx.values.calledFunction(callee, module) &&
        // (Given functions, it is a framework that runs them: `createServer({ resolvers })`.)
        !factoryArgs.some((a) => givesFunctions(a)) &&
        !this.backendIn(factoryArgs, module, depth + 1)
      ) {
        const made = `${truncate(printNode(init.expression))}(...)`;
        return {
          kind: "other",
          target: null,
          category: "unknown",
          note: `${made} from "${member.module}" makes a client of a library the analyser does not know: its awaited calls may be round trips`,
          unresolved: true,
          unknownClass: true,
          madeByCall: true,
          madeFrom: `what ${made} from "${member.module}" makes`,
          assumption: `awaited calls on what ${made} from "${member.module}" makes, a library the analyser does not know, counted as round trips to its service`,
        };
      }
      // `new Store(db)` from a file of the project's own that is not there (build output such as a
      // generated client, a file left out of the commit): what its methods do is unknown, never nothing.
      if (
        isNewExpression(init) &&
        call === init &&
        (member.module.startsWith(".") || member.module.startsWith("/")) &&
        !this.ctx.loader.moduleFor(member.module, module)
      ) {
        const made = truncate(printNode(init.expression));
        return {
          kind: "other",
          target: null,
          category: "unknown",
          note: `${made} comes from "${member.module}", which the analyser could not find in the project: its awaited calls may be round trips`,
          unresolved: true,
          unknownClass: true,
        };
      }
      // (A function of a workspace package whose source is read is followed below, as the project's own;
      // so are the methods of a class it exports: `new UserRepo(env.DB)` from the workspace's database package.)
      if (
        !awaited &&
        isUnknownPackage(member.module) &&
        !this.isOwnModule(member.module, module) &&
        !(isCallExpression(init) && this.ctx.values.calledFunction(callee, module)) &&
        !(isNewExpression(init) && isIdentifier(callee) && this.ctx.values.classNamed(callee.text, module))
      ) {
        const backend = this.backendIn(factoryArgs, module, depth + 1);
        const wrapping = this.wrapperOf(`${truncate(printNode(call.expression))}(...)`, member.module, backend);
        if (wrapping) return wrapping;
        if (backend)
          return {
            kind: "other",
            target: null,
            category: "unknown",
            note: `${truncate(printNode(call.expression))}(...) from "${member.module}" is given ${backendPhrase(backend)}: its round trips cannot be counted`,
            unresolved: true,
          };
      }
    }
    // `new issuer.Client({...})` (openid-client 5): a class the client holds, whose instances send to the same server.
    if (isNewExpression(init) && isPropertyAccessExpression(callee)) {
      const found = this.clientOfChain(callee, module);
      const last = found?.methods[found.methods.length - 1] ?? "";
      if (found?.client.library?.connections?.includes(last)) return found.client;
    }
    // A builder made on a client (`db.selectFrom("t")`, `redis.pipeline()`): still the client.
    if (isCallExpression(init) && isPropertyAccessExpression(callee)) {
      const found = this.clientOfChain(callee, module);
      const library = found?.client.library;
      // What an awaited call on an object of an unknown library gives (`await app.resolver.fromSource(req)`):
      // most often another object of its service (a context with an HTTP client): its awaited calls count.
      if (found && awaited && found.client.unknownClass) return { ...found.client, fromResult: true };
      // Not awaited (`store.openSession()`, `client.database("x")`): a session or sub-client of the same
      // library, made on the spot; its awaited calls are round trips to that service, never nothing.
      if (found && !awaited && found.client.unknownClass) return found.client;
      if (found && library) {
        const last = found.methods[found.methods.length - 1] ?? "";
        // `const client = await pool.connect()`: a connection of the same database.
        if (library.connections?.includes(last)) return found.client;
      }
      if (found && library && !awaited) {
        const last = found.methods[found.methods.length - 1] ?? "";
        if (library.pipelines?.includes(last)) return { ...found.client, sends: ["exec"] };
        const sends = found.client.sends ?? library.sends;
        if (sends ? !sends.includes(last) : library.builders?.includes(last)) return found.client;
      }
    }
    // A function of the project that returns a client: `getDb(env)`; else what its declared
    // return type says (`getPrismaClient(): PrismaClient`, returning a field the analysis cannot follow).
    // `export const db = (() => { if (!instance) instance = connect(url); return instance })()`: a
    // function called where it is written (a lazily made module-level client): what it returns.
    if (isCallExpression(init) && (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)))
      return this.firstClient(this.ctx.values.returnedValues(callee, module), depth);
    if (isCallExpression(init)) {
      const fn = this.ctx.values.calledFunction(callee, module);
      if (fn) {
        // What this call passes is what the function's parameters hold (`extend(new PrismaClient())`).
        this.ctx.values.noteArguments(fn, init.arguments, module);
        return this.firstClient(this.ctx.values.returnedValues(fn.fn, fn.module), depth) ?? this.clientOfType(fn.fn.type, fn.module, true);
      }
    }
    return undefined;
  }

  /**
   * `new Proxy({} as PrismaClient, { get(_, prop) { const c = getClient(); ... } })`, a lazily made
   * client behind a Proxy: the client its handler reads (a call in the handler that gives one), else
   * a client of the library whose class the target is cast to (its back end then unknown).
   */
  private proxiedClient(init: ts.NewExpression, module: ModuleFacts, depth: number): ClientKind | undefined {
    const [target, handler] = init.arguments ?? [];
    if (!target) return undefined;
    const direct = this.clientOfValue(target, module, depth + 1);
    if (direct) return direct;
    const methods = handler ? unwrapExpression(handler) : undefined;
    if (methods && isObjectLiteralExpression(methods))
      for (const property of methods.properties) {
        const fn = isMethodDeclaration(property)
          ? property
          : isPropertyAssignment(property)
            ? this.ctx.values.functionFrom(property.initializer, module)?.fn
            : undefined;
        if (!fn?.body) continue;
        let found: ClientKind | undefined;
        const visit = (node: ts.Node): void => {
          if (found) return;
          if (isCallExpression(node) && !isPropertyAccessExpression(unwrapExpression(node.expression)))
            found = this.clientOfValue(node, module, depth + 1);
          if (!found) ts.forEachChild(node, visit);
        };
        visit(fn.body);
        if (found) return found;
      }
    // The type the target is cast to: `{} as PrismaClient`, `<PrismaClient>{}`.
    let cast: ts.Expression = target;
    while (ts.isParenthesizedExpression(cast)) cast = cast.expression;
    const type = ts.isAsExpression(cast) || ts.isTypeAssertionExpression(cast) ? cast.type : undefined;
    if (!type || !ts.isTypeReferenceNode(type) || !isIdentifier(type.typeName)) return undefined;
    const imported = module.imports.get(type.typeName.text);
    const library = imported ? libraryFor(imported.module) : undefined;
    if (!library || !imported || !isFactory(library.factories, imported.name)) return undefined;
    if (library.http) return this.httpClient(library, undefined, module);
    return this.sdkClient(library, undefined);
  }

  /**
   * Drizzle over its driver, in every form: `drizzle(env.DB)`, `drizzle(client)`, `drizzle(neon(url))`,
   * `drizzle(url)`, `drizzle({ client })`, `drizzle({ connection: url | { url } })`.
   */
  private drizzleClient(moduleName: string, args: readonly ts.Expression[], module: ModuleFacts, depth: number): ClientKind {
    const client = this.drizzleDriverClient(moduleName, args, module, depth);
    const failedTransaction = ownEntry(DRIZZLE_DRIVERS, moduleName)?.failedTransaction;
    return failedTransaction !== undefined ? { ...client, failedTransaction } : client;
  }

  private drizzleDriverClient(moduleName: string, args: readonly ts.Expression[], module: ModuleFacts, depth: number): ClientKind {
    const drizzle = libraryFor("drizzle-orm/d1")!;
    const driver = ownEntry(DRIZZLE_DRIVERS, moduleName);
    const backend = this.backendIn(args.slice(0, 1), module, depth + 1);
    if (backend) return { ...backend, library: drizzle, note: `Drizzle over ${backend.note}` };
    const driverLibrary = driver && !driver.d1 ? libraryFor(driver.driver) : undefined;
    if (driverLibrary) {
      const client = this.sdkClient(driverLibrary, undefined);
      return { ...client, library: drizzle, note: `Drizzle over ${driverLibrary.name}: each query is a round trip to the database` };
    }
    // `drizzle(database)` from drizzle-orm/d1 is over a D1 database whatever the value is (a
    // constructor's parameter kept in `this.db`): its queries are D1 queries, on the Worker's only
    // D1 binding when it has one.
    if (driver?.d1) {
      const only = this.ctx.input.bindings.d1.length === 1 ? this.ctx.input.bindings.d1[0]! : null;
      return {
        kind: "d1",
        target: only,
        category: this.d1Category(),
        note: this.d1Note(only ? `Drizzle over D1 ${only} (the Worker's only D1 database)` : "Drizzle over a D1 database"),
        library: drizzle,
      };
    }
    return { kind: "sdk", target: null, category: "unknown", note: "Drizzle over a driver the analyser cannot resolve", library: drizzle };
  }

  /**
   * `new Agent({ service: "https://api.example.com" })` from a package the table does not know,
   * handed straight on (a call's argument, a property of an object passed somewhere): a client of
   * a remote service whose calls are made where the analysis cannot see them. A sentence saying so,
   * or undefined. (Kept in a variable, its awaited calls are what is flagged instead.)
   */
  unknownClientHandedOn(node: ts.NewExpression, module: ModuleFacts): string | undefined {
    let current: ts.Node = node;
    while (current.parent && (isParenthesizedExpression(current.parent) || isAsExpression(current.parent))) current = current.parent;
    const parent = current.parent;
    const handedOn =
      parent !== undefined &&
      ((isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) ||
        (isPropertyAssignment(parent) && parent.initializer === current));
    if (!handedOn) return undefined;
    const member = factoryCall(node, module)?.member;
    if (
      !member ||
      !isUnknownPackage(member.module) ||
      isLocalWorkPackage(member.module) ||
      this.isOwnModule(member.module, module) ||
      this.ctx.loader.moduleFor(member.module, module)
    )
      return undefined;
    const url = urlLiteralIn(node.arguments ?? []);
    if (!url) return undefined;
    return `${truncate(printNode(node.expression))} from "${member.module}" is a client of a library the analyser does not know, made for ${url} and handed on: its round trips cannot be seen`;
  }

  /**
   * An absolute http(s) URL among a call's arguments or the properties of an options object given
   * to it: a literal, or a value the analysis evaluates to one (a constant, a `[vars]` entry).
   */
  private httpUrlGiven(args: readonly ts.Expression[]): { url: string; host: string } | undefined {
    for (const arg of args) {
      const value = unwrapExpression(arg);
      const candidates = isObjectLiteralExpression(value)
        ? value.properties.filter(isPropertyAssignment).map((p) => unwrapExpression(p.initializer))
        : [value];
      for (const candidate of candidates) {
        if (isFunctionValue(candidate)) continue;
        const text = isStringLiteralLike(candidate) ? candidate.text : this.ctx.values.evaluateString(candidate, 0);
        if (!text || !/^https?:\/\//i.test(text)) continue;
        const host = hostOf(text);
        if (host) return { url: text, host };
      }
    }
    return undefined;
  }

  /** NuxtHub's D1 database: its `DB` binding, else the Worker's only D1 binding. */
  private nuxtHubD1(): string | null {
    const d1 = this.ctx.input.bindings.d1;
    return d1.includes("DB") ? "DB" : d1.length === 1 ? d1[0]! : null;
  }

  /** NuxtHub's `db`: Drizzle over the app's D1 database. */
  private nuxtHubDb(): ClientKind {
    const target = this.nuxtHubD1();
    return {
      kind: "d1",
      target,
      category: this.d1Category(),
      note: this.d1Note(`NuxtHub's db: Drizzle over D1${target ? ` ${target}` : ""}`),
      library: libraryFor("drizzle-orm/d1")!,
    };
  }

  /** `hubDatabase()` in a NuxtHub app's server code: its D1 database. */
  private isHubDatabase(expression: ts.Expression, module: ModuleFacts): boolean {
    const value = unwrapExpression(expression);
    if (!isCallExpression(value)) return false;
    const callee = unwrapExpression(value.expression);
    return (
      isIdentifier(callee) &&
      callee.text === "hubDatabase" &&
      declarationOf(callee) === undefined &&
      !module.imports.has(callee.text) &&
      this.ctx.walker.nitro.isNuxtHub(module)
    );
  }

  /**
   * The back end a library is given, searched in its arguments: a D1 or Hyperdrive binding, a
   * client of the table, a connection URL, also inside options objects and adapters
   * (`{ adapter: new PrismaD1(env.DB) }`, `drizzleAdapter(db, ...)`, `new PostgresDialect({ pool })`).
   */
  private backendIn(args: readonly ts.Expression[], module: ModuleFacts, depth: number): ClientKind | undefined {
    if (depth > MAX_CLIENT_DEPTH) return undefined;
    for (const arg of args) {
      const value = unwrapExpression(arg);
      const binding = this.ctx.values.bindingOf(value);
      if (binding?.kind === "d1")
        return { kind: "d1", target: binding.name, category: this.d1Category(), note: this.d1Note(`D1 ${binding.name}`) };
      if (this.isHubDatabase(value, module)) {
        const target = this.nuxtHubD1();
        return { kind: "d1", target, category: this.d1Category(), note: this.d1Note(`NuxtHub's D1 database${target ? ` ${target}` : ""}`) };
      }
      if (binding) continue;
      // `drizzleAdapter(database ?? db, ...)`, `cli ? stub : db`: the back end of either side.
      if (ts.isBinaryExpression(value) && BACKEND_ALTERNATIVES.has(value.operatorToken.kind)) {
        const inner = this.backendIn([value.left, value.right], module, depth + 1);
        if (inner) return inner;
        continue;
      }
      if (ts.isConditionalExpression(value)) {
        const inner = this.backendIn([value.whenTrue, value.whenFalse], module, depth + 1);
        if (inner) return inner;
        continue;
      }
      if (isObjectLiteralExpression(value)) {
        const values: ts.Expression[] = [];
        for (const property of value.properties) {
          if (isPropertyAssignment(property)) values.push(property.initializer);
          else if (isShorthandPropertyAssignment(property)) values.push(property.name);
          // `betterAuth({ ...withCloudflare({ d1: { db } }, options) })`: what a wrapper spreads in.
          else if (ts.isSpreadAssignment(property)) {
            const spread = unwrapExpression(property.expression);
            if (!isIdentifier(spread)) values.push(spread);
            // `...options` of `const options = withCloudflare(...)`: what the name holds.
            else
              for (const source of this.ctx.values.valuesOf(spread, module, depth)) {
                const inner = this.backendIn([source.expression], source.module, depth + 1);
                if (inner) return inner;
              }
          }
        }
        const inner = this.backendIn(values, module, depth + 1);
        if (inner) return inner;
        continue;
      }
      const url = this.connectionUrl(value);
      if (url) return url;
      if (isIdentifier(value) || isCallExpression(value) || isNewExpression(value) || isPropertyAccessExpression(value)) {
        const client = this.clientOfValue(value, module, depth + 1);
        if (client && !client.unresolved) return client;
        // An adapter or dialect around a client: `new PrismaD1(env.DB)`, `drizzleAdapter(db, {...})`.
        if ((isCallExpression(value) || isNewExpression(value)) && value.arguments) {
          const inner = this.backendIn(value.arguments, module, depth + 1);
          if (inner) return inner;
        }
        // (A client the table cannot place, `const dialect = new D1Dialect({ database: env.DB })`, is read on
        // as the same value written in place would be.)
        if (isIdentifier(value) && (!client || client.unresolved)) {
          // A helper's parameter (`createAuth(db)` making `new Lucia(new DrizzleSQLiteAdapter(db, ...))`):
          // what its callers pass.
          const declaration = declarationOf(value);
          const sources = this.ctx.values.valuesOf(value, module, depth);
          if (sources.length === 0 && declaration && isParameter(declaration)) {
            sources.push(...this.ctx.values.argumentsPassedFor(declaration));
            // Not met yet on this walk (the factory is asked about before the middleware that calls
            // it, `setupAuth(database)`): what every call of the factory in the loaded modules passes.
            if (sources.length === 0) sources.push(...this.ctx.values.argumentsAtCallSites(declaration));
          }
          // `({ secret, db }) => betterAuth({ database: drizzleAdapter(db, ...) })`: the property of
          // what the factory's calls pass (`getAuth({ secret, db: c.get("db") })`).
          if (sources.length === 0 && declaration && isBindingElement(declaration))
            sources.push(...(this.ctx.values.parameterArguments(value) ?? []));
          for (const source of sources) {
            const inner = this.backendIn([source.expression], source.module, depth + 1);
            if (inner) return inner;
          }
        }
      }
    }
    return undefined;
  }

  /**
   * The database a framework's config reaches through its adapter (Payload: `buildConfig({ db:
   * sqliteD1Adapter({ binding: env.D1 }) })`, the config given to `REST_GET(config)`): what the
   * adapter's arguments hold (a binding, a URL, a client), else the back end of the library the
   * table maps the adapter's package to; an adapter it does not list, or a config that cannot be
   * read, is unknown, named.
   */
  private configAdapterBackend(library: Library, config: ts.Expression | undefined, module: ModuleFacts): ClientKind {
    const { factory, option, adapters } = library.configAdapter!;
    const unknown = (why: string): ClientKind => ({ kind: "other", target: null, category: "unknown", note: why, unresolved: true });
    const built = config ? this.configCall(config, module, factory, 0) : undefined;
    if (!built) return unknown(`${library.name}: the config given to its route handlers could not be read, so its database is unknown`);
    let adapter: ts.Expression | undefined;
    for (const literal of built.call.arguments[0]
      ? this.objectLiterals({ expression: built.call.arguments[0], module: built.module }, 0)
      : [])
      for (const property of literal.literal.properties) {
        const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : "";
        if (name === option && isPropertyAssignment(property)) adapter = property.initializer;
      }
    const made = adapter ? unwrapExpression(adapter) : undefined;
    const root = made && isCallExpression(made) ? importedMember(made.expression, built.module) : undefined;
    if (!made || !isCallExpression(made) || !root)
      return unknown(`${library.name}: the \`${option}\` adapter of its config could not be read, so its database is unknown`);
    const reached = Object.prototype.hasOwnProperty.call(adapters, root.module) ? adapters[root.module]! : undefined;
    if (reached === undefined)
      return unknown(`${library.name}: its database adapter ${root.name}(...) from "${root.module}" is not one the analyser knows`);
    const given = this.backendIn(made.arguments, built.module, 0);
    if (given) return given;
    if (reached === "d1") {
      const d1 = this.ctx.input.bindings.d1;
      const target = d1.length === 1 ? d1[0]! : "D1";
      return { kind: "d1", target, category: this.d1Category(), note: this.d1Note(`D1 ${target} through ${root.name}(...)`) };
    }
    const database = libraryFor(reached);
    return database
      ? this.sdkClient(database, undefined)
      : unknown(`${library.name}: its database adapter ${root.name}(...) could not be followed`);
  }

  /**
   * The database a query builder reaches through the dialect its options name (Kysely's `{ dialect:
   * new LibsqlDialect({ url }) }`, also a dialect held in a name first), by the table's `dialects`:
   * that library's back end, its host unnamed (the arguments were searched before this). With a
   * nested option, the option may instead hold an options object whose that key is the dialect
   * (better-auth's `database: { dialect, type: "sqlite" }`). A dialect the table does not list, or
   * options that cannot be read, give nothing: unresolved, as before.
   */
  private dialectBackend(library: Library, options: ts.Expression | undefined, module: ModuleFacts): ClientKind | undefined {
    const { option, nestedOption, classes } = library.dialects!;
    if (!options) return undefined;
    const optionValues = (holder: ValueRef, key: string): ValueRef[] => {
      const values: ValueRef[] = [];
      for (const { literal, module: literalModule } of this.objectLiterals(holder, 0))
        for (const property of literal.properties) {
          const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : "";
          if (name !== key) continue;
          const given = isPropertyAssignment(property)
            ? property.initializer
            : isShorthandPropertyAssignment(property)
              ? property.name
              : undefined;
          if (!given) continue;
          const held = unwrapExpression(given);
          if (isIdentifier(held)) values.push(...this.ctx.values.valuesOf(held, literalModule));
          else values.push({ expression: given, module: literalModule });
        }
      return values;
    };
    const dialectOf = (value: ValueRef): ClientKind | undefined => {
      const made = unwrapExpression(value.expression);
      const member = isNewExpression(made) ? importedMember(made.expression, value.module) : undefined;
      const entry = member ? classes.find((c) => c.module === member.module && c.names.includes(member.name)) : undefined;
      if (!member || !entry) return undefined;
      if (entry.reaches === "d1") {
        const d1 = this.ctx.input.bindings.d1;
        const target = d1.length === 1 ? d1[0]! : "D1";
        return { kind: "d1", target, category: this.d1Category(), note: this.d1Note(`D1 ${target} through ${member.name}`) };
      }
      const database = libraryFor(entry.reaches);
      return database ? { ...this.sdkClient(database, undefined), note: `${database.name} through ${member.name}` } : undefined;
    };
    for (const value of optionValues({ expression: options, module }, option)) {
      const direct = dialectOf(value);
      if (direct) return direct;
      if (!nestedOption) continue;
      for (const inner of optionValues(value, nestedOption)) {
        const nested = dialectOf(inner);
        if (nested) return nested;
      }
    }
    return undefined;
  }

  /** The `factory(...)` call (Payload's `buildConfig({...})`) a config value holds, through names, imports and `await`. */
  private configCall(
    expression: ts.Expression,
    module: ModuleFacts,
    factory: string,
    depth: number,
  ): { call: ts.CallExpression; module: ModuleFacts } | undefined {
    if (depth > MAX_CLIENT_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isCallExpression(value)) {
      const member = importedMember(value.expression, module);
      return member?.name === factory ? { call: value, module } : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    for (const source of this.ctx.values.valuesOf(value, module)) {
      const found = this.configCall(source.expression, source.module, factory, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The back end an ORM's options name by their driver (`new DataSource({ type: "postgres", url:
   * env.DATABASE_URL })` with the URL a secret): a single-homed database named after the driver.
   */
  /**
   * Whether a client's options keep sessions in a `secondaryStorage` whose `get` reads a Workers KV
   * binding (`secondaryStorage: { get: (key) => env.SESSIONS.get(key), ... }`).
   */
  private keepsSessionsInKv(options: ts.Expression | undefined, module: ModuleFacts): boolean {
    if (!options) return false;
    for (const { literal, module: owner } of this.objectLiterals({ expression: options, module }, 0))
      for (const property of literal.properties) {
        if (!isPropertyAssignment(property) || (property.name && getNameText(property.name)) !== "secondaryStorage") continue;
        for (const storage of this.objectLiterals({ expression: property.initializer, module: owner }, 0))
          for (const member of storage.literal.properties) {
            if ((member.name && getNameText(member.name)) !== "get") continue;
            const body = isMethodDeclaration(member)
              ? member.body
              : isPropertyAssignment(member)
                ? unwrapExpression(member.initializer)
                : undefined;
            if (body && this.readsKv(body)) return true;
          }
      }
    return false;
  }

  /** Whether a function reads a KV binding (`env.SESSIONS.get(key)`). */
  private readsKv(node: ts.Node): boolean {
    if (
      isCallExpression(node) &&
      isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "get" &&
      this.ctx.values.bindingOf(unwrapExpression(node.expression.expression))?.kind === "kv"
    )
      return true;
    return ts.forEachChild(node, (child) => this.readsKv(child) || undefined) ?? false;
  }

  private driverTarget(library: Library, options: ts.Expression | undefined, module: ModuleFacts): ClientKind | undefined {
    const { option, targets } = library.driverOption!;
    for (const literal of options ? this.objectLiterals({ expression: options, module }, 0) : []) {
      for (const property of literal.literal.properties) {
        const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : "";
        if (name !== option || !isPropertyAssignment(property)) continue;
        const type = this.ctx.values.evaluateString(property.initializer, 0);
        if (type === undefined) return undefined;
        const target = Object.prototype.hasOwnProperty.call(targets, type) ? targets[type]! : type;
        return {
          kind: "sdk",
          target,
          category: "backend",
          note: `${library.name} over ${type}: each query is a round trip to the database`,
          library,
        };
      }
    }
    return undefined;
  }

  // ---- Auth.js through its framework integrations ----

  /**
   * A call of Auth.js: the handler factory walked as its OAuth callback route (authCallbacks), or a
   * session read: `auth()` made by `NextAuth(config)`, `locals.auth()` / `locals.getSession()` with
   * `SvelteKitAuth`, `getSession(request, config)`, `getServerSession(config)`.
   */
  private authJsCall(
    node: ts.CallExpression,
    callee: ts.Expression,
    args: readonly ts.Expression[],
    module: ModuleFacts,
    make: MakeSubrequest,
  ): ClassifiedSubrequest | "skip" | undefined {
    const basePath = this.authCallbacks.get(node);
    if (basePath !== undefined) return this.authJsCallback(node, module, make, basePath);
    const member = importedMember(callee, module);
    const framework = member ? ownEntry(AUTHJS_FRAMEWORKS, member.module) : undefined;
    if (member && framework?.sessions.includes(member.name)) {
      let configs = args.flatMap((a) => this.authJsConfigs(a, module));
      // `getAuthUser(c)` (@hono/auth-js): the config is the one `initAuthConfig` was given.
      if (configs.length === 0)
        for (const setup of this.authJsSetups().filter((f) => f.module === member.module)) {
          if (setup.facts !== module) this.ctx.walker.cutWalk();
          configs = [...configs, ...this.authJsConfigs(setup.call.arguments[0], setup.facts)];
        }
      return this.authJsSession(configs, `${member.name}()`, make);
    }
    if (framework) return undefined;
    // `auth()` destructured from `NextAuth(config)` (here or in a module of the project).
    if (isIdentifier(callee)) {
      const factory = this.authJsFactoryOf(callee.text, module);
      if (factory && (factory.name === "auth" || factory.name === "getSession"))
        return this.authJsSession(this.authJsConfigs(factory.call.arguments[0], factory.module), `${callee.text}()`, make);
      return undefined;
    }
    // SvelteKit: `event.locals.auth()`, `locals.getSession()` once `SvelteKitAuth` made the handle hook.
    if (isPropertyAccessExpression(callee) && (callee.name.text === "auth" || callee.name.text === "getSession")) {
      const receiver = unwrapExpression(callee.expression);
      const isLocals =
        (isIdentifier(receiver) && receiver.text === "locals") || (isPropertyAccessExpression(receiver) && receiver.name.text === "locals");
      const setup = isLocals ? this.authJsSetups().find((f) => f.module === "@auth/sveltekit") : undefined;
      if (setup) {
        // The setup is read from hooks.server, outside this function's import closure.
        if (setup.facts !== module) this.ctx.walker.cutWalk();
        return this.authJsSession(this.authJsConfigs(setup.call.arguments[0], setup.facts), `locals.${callee.name.text}()`, make);
      }
    }
    return undefined;
  }

  /**
   * The Auth.js handler factories of the loaded modules (`SvelteKitAuth(...)`, `NextAuth(...)`):
   * each call, its package, and the module it is in.
   */
  authJsSetups(): Array<{ call: ts.CallExpression; module: string; name: string; facts: ModuleFacts }> {
    const found: Array<{ call: ts.CallExpression; module: string; name: string; facts: ModuleFacts }> = [];
    for (const facts of this.ctx.loader.modules.values()) {
      if (![...facts.imports.values()].some((i) => ownEntry(AUTHJS_FRAMEWORKS, i.module))) continue;
      for (const call of facts.calls) {
        if (!isCallExpression(call)) continue;
        const member = importedMember(call.expression, facts);
        const framework = member ? ownEntry(AUTHJS_FRAMEWORKS, member.module) : undefined;
        if (member && framework?.factories.includes(member.name)) found.push({ call, module: member.module, name: member.name, facts });
      }
    }
    return found;
  }

  /** `name` destructured from an Auth.js factory's result, here or in the module it is imported from. */
  private authJsFactoryOf(
    name: string,
    module: ModuleFacts,
    depth = 0,
  ): { call: ts.CallExpression; module: ModuleFacts; name: string } | undefined {
    if (depth > 4) return undefined;
    const imported = module.imports.get(name);
    if (imported) {
      if (imported.name === "*" || isBareSpecifier(imported.module)) return undefined;
      const target = this.ctx.loader.moduleFor(imported.module, module);
      if (!target) return undefined;
      // `export const { auth } = NextAuth(config)` is found below, in the statements of its module.
      const exported = this.ctx.values.exportOf(imported.name, target);
      return this.authJsFactoryOf(exported?.binding.local ?? imported.name, exported?.module ?? target, depth + 1);
    }
    const found = authJsDestructured(module).get(name);
    return found && { call: found.call, module, name: found.property };
  }

  /** The config objects an Auth.js factory is given: a literal, a name, or a function that returns one (per request). */
  private authJsConfigs(
    arg: ts.Expression | undefined,
    module: ModuleFacts,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    if (!arg) return [];
    const value = unwrapExpression(arg);
    if (isArrowFunction(value) || ts.isFunctionExpression(value))
      return this.ctx.values.returnedValues(value, module).flatMap((r) => this.objectLiterals(r, 0));
    return this.objectLiterals({ expression: arg, module }, 0);
  }

  private static property(literal: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
    for (const property of literal.properties) {
      const key = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : "";
      if (key !== name) continue;
      if (isPropertyAssignment(property)) return property.initializer;
      if (isShorthandPropertyAssignment(property)) return property.name;
    }
    return undefined;
  }

  /**
   * The OAuth callback route of an Auth.js handler: the code is exchanged for a token at the
   * provider, then the user's profile is fetched from it: two round trips (the provider of the
   * config that costs most). A provider not in the table, or a config that cannot be read, is unknown.
   */
  private authJsCallback(node: ts.CallExpression, module: ModuleFacts, make: MakeSubrequest, basePath: string): ClassifiedSubrequest {
    const factory = `Auth.js ${truncate(printNode(node.expression))}(...)`;
    const providers: string[] = [];
    let unread = false;
    const configs = this.authJsConfigs(node.arguments[0], module);
    for (const config of configs) {
      const list = CallClassifier.property(config.literal, "providers");
      const array = list ? unwrapExpression(list) : undefined;
      if (!array || !isArrayLiteralExpression(array)) {
        unread = true;
        continue;
      }
      for (const element of array.elements) {
        const value = unwrapExpression(element);
        const head = isCallExpression(value) ? unwrapExpression(value.expression) : value;
        const imported = isIdentifier(head) ? config.module.imports.get(head.text) : undefined;
        const id = isStringLiteralLike(value)
          ? value.text
          : imported && imported.module.includes("/providers/")
            ? imported.module.slice(imported.module.lastIndexOf("/") + 1)
            : undefined;
        if (id) providers.push(id.toLowerCase());
        else unread = true;
      }
    }
    const known = providers.filter((p) => AUTHJS_PROVIDERS[p]).map((p) => ({ id: p, hosts: AUTHJS_PROVIDERS[p]! }));
    const classified = known.map((p) => ({ ...p, category: classifyHost(p.hosts[0], this.ctx.input.hostCategories).category }));
    const worstProvider = classified.find((p) => p.category === "backend") ?? classified[0];
    if (!worstProvider || unread || known.length < providers.length) {
      const others = providers.filter((p) => !AUTHJS_PROVIDERS[p]);
      return {
        ...make(
          "sdk",
          worstProvider?.hosts[0] ?? null,
          worstProvider?.category ?? "unknown",
          `${factory}: the OAuth callback route (${basePath}/callback/...) exchanges the code and reads the user at the provider, ${
            others.length
              ? `and the provider${others.length > 1 ? "s" : ""} ${others.join(", ")} ${others.length > 1 ? "are" : "is"} not known`
              : "and the providers could not be read"
          }: its round trips cannot be counted`,
        ),
        ...(worstProvider ? { roundTrips: 2 } : {}),
        unresolved: true,
      };
    }
    const [token, user] = worstProvider.hosts;
    const emails = AUTHJS_EMAIL_LOOKUPS.has(worstProvider.id);
    return {
      ...make(
        "sdk",
        token,
        worstProvider.category,
        `${factory}: the OAuth callback route (${basePath}/callback/${worstProvider.id}) exchanges the code at ${token}, then reads the user at ${user}${
          emails ? ", and the user's e-mail addresses there when the profile shows none: three round trips" : ": two round trips"
        }`,
      ),
      roundTrips: emails ? 3 : 2,
    };
  }

  /**
   * OAuth route middleware of a library (`githubAuth({ scope })` from @hono/oauth-providers), walked
   * where the route runs it (see AppAdapter.handlerFunctions): on the callback request it exchanges
   * the code for a token at the provider, then fetches the user: two round trips.
   */
  private oauthMiddlewareCall(library: Library, name: string, provider: string, make: MakeSubrequest): ClassifiedSubrequest {
    const hosts = AUTHJS_PROVIDERS[provider];
    if (!hosts)
      return {
        ...make(
          "sdk",
          null,
          "unknown",
          `${library.name} ${name}(): the OAuth callback exchanges the code and reads the user at a provider the analyser does not know`,
        ),
        roundTrips: 2,
        unresolved: true,
      };
    const [token, user] = hosts;
    return {
      ...make(
        "sdk",
        token,
        classifyHost(token, this.ctx.input.hostCategories).category,
        `${library.name} ${name}(): on the OAuth callback it exchanges the code at ${token}, then reads the user at ${user}, before the handler: two round trips`,
      ),
      roundTrips: 2,
    };
  }

  /**
   * A session read: with JWT sessions (the default without an adapter) the cookie is decoded in the
   * Worker, no round trip; with database sessions, one to the adapter's database.
   */
  private authJsSession(
    configs: ReadonlyArray<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }>,
    what: string,
    make: MakeSubrequest,
  ): ClassifiedSubrequest | "skip" {
    if (configs.length === 0)
      return {
        ...make(
          "sdk",
          null,
          "unknown",
          `Auth.js ${what}: its config could not be read, so whether sessions are JWT (read in the Worker) or kept in a database (one round trip) cannot be told`,
        ),
        unresolved: true,
      };
    for (const config of configs) {
      const adapter = CallClassifier.property(config.literal, "adapter");
      const session = CallClassifier.property(config.literal, "session");
      const sessionLiteral = session ? unwrapExpression(session) : undefined;
      const strategyValue =
        sessionLiteral && isObjectLiteralExpression(sessionLiteral) ? CallClassifier.property(sessionLiteral, "strategy") : undefined;
      const strategy = strategyValue ? this.ctx.values.evaluateString(strategyValue, 0) : undefined;
      if (strategyValue && strategy === undefined)
        return { ...make("sdk", null, "unknown", `Auth.js ${what}: the session strategy cannot be read`), unresolved: true };
      if (!adapter || strategy === "jwt") continue;
      const backend = this.backendIn([adapter], config.module, 0);
      if (!backend)
        return {
          ...make(
            "sdk",
            null,
            "unknown",
            `Auth.js ${what}: database sessions through an adapter whose database the analyser cannot resolve`,
          ),
          unresolved: true,
        };
      const trips = authJsAdapterCost(this.authJsAdapterModule(adapter, config.module)).session;
      if (trips === 1)
        return make(
          backend.kind,
          backend.target,
          backend.category,
          `Auth.js ${what}: database sessions, one round trip to ${backend.note}`,
        );
      return {
        ...make(
          backend.kind,
          backend.target,
          backend.category,
          `Auth.js ${what}: database sessions, ${trips} sequential round trips to ${backend.note} (the adapter reads the session, then its user)`,
        ),
        roundTrips: trips,
      };
    }
    return "skip";
  }

  /** The package whose function made an Auth.js adapter (`D1Adapter(env.DB)` of "@auth/d1-adapter"). */
  private authJsAdapterModule(adapter: ts.Expression, module: ModuleFacts): string | undefined {
    const value = unwrapExpression(adapter);
    const head = isCallExpression(value) ? unwrapExpression(value.expression) : undefined;
    return head && isIdentifier(head) ? module.imports.get(head.text)?.module : undefined;
  }

  /**
   * The adapter's round trips on the OAuth callback route of an Auth.js handler (authJsSites), after
   * the provider's: every sign-in looks the user up by the provider's account and, with database
   * sessions, stores the session (see authJsAdapters.ts; a first sign-in's writes are not counted).
   * Nothing when the config has no adapter or its database is not a resolved back end.
   */
  authJsAdapterTrip(call: ts.CallExpression, module: ModuleFacts): LibraryTrip | undefined {
    for (const config of this.authJsConfigs(call.arguments[0], module)) {
      const adapter = CallClassifier.property(config.literal, "adapter");
      if (!adapter) continue;
      const backend = this.backendIn([adapter], config.module, 0);
      if (!backend || backend.category !== "backend") return undefined;
      const session = CallClassifier.property(config.literal, "session");
      const sessionLiteral = session ? unwrapExpression(session) : undefined;
      const strategyValue =
        sessionLiteral && isObjectLiteralExpression(sessionLiteral) ? CallClassifier.property(sessionLiteral, "strategy") : undefined;
      const strategy = strategyValue ? this.ctx.values.evaluateString(strategyValue, 0) : undefined;
      const cost = authJsAdapterCost(this.authJsAdapterModule(adapter, config.module));
      const database = strategy !== "jwt";
      const trips = cost.userByAccount + (database ? cost.createSession : 0);
      const subrequest: ClassifiedSubrequest = {
        file: config.module.path,
        span: spanOf(adapter, config.module.sourceFile),
        kind: backend.kind,
        target: backend.target,
        category: backend.category,
        note: `Auth.js adapter on the OAuth callback: getUserByAccount${database ? ", then createSession" : ""}: ${
          trips === 1 ? "one round trip" : `${trips} sequential round trips`
        } to ${backend.note}`,
        roundTrips: trips,
      };
      return { node: adapter, module: config.module, subrequest, steps: Array.from({ length: trips }, () => "once" as const) };
    }
    return undefined;
  }

  /** A connection URL given as a value: a database URL string, Hyperdrive's connection string. */
  private connectionUrl(value: ts.Expression): ClientKind | undefined {
    const hyperdrive = this.ctx.values.hyperdriveFieldOf(unwrapExpression(value));
    if (hyperdrive) return { kind: "sdk", target: `hyperdrive:${hyperdrive}`, category: "backend", note: `Hyperdrive ${hyperdrive}` };
    const text = this.ctx.values.evaluateString(value, 0);
    const scheme = text?.slice(0, Math.max(0, text.indexOf("://")));
    if (text === undefined || !scheme || !DATABASE_SCHEMES.has(scheme.toLowerCase())) return undefined;
    const host = hostOf(text);
    if (!host) return { kind: "sdk", target: null, category: "backend", note: `a ${scheme} database` };
    return {
      kind: "sdk",
      target: host,
      category: classifyHost(host, this.ctx.input.hostCategories).category,
      note: `a ${scheme} database at ${host}`,
    };
  }

  private firstClient(sources: readonly ValueRef[], depth: number): ClientKind | undefined {
    // Of several values a variable may hold, a client whose back end cannot be told (Drizzle over
    // better-sqlite3, a file of a Node server) gives way to one whose back end is known, and one
    // over a D1 binding of the Worker's config comes first: `getDb()` falling back to a Node
    // client after the handler's `setDb(drizzle(env.DB))` runs its queries on D1 in the Worker.
    let unresolved: ClientKind | undefined;
    let first: ClientKind | undefined;
    for (const source of sources) {
      const kind = this.clientOfValue(source.expression, source.module, depth + 1);
      if (!kind) continue;
      if (sources.length === 1) return kind;
      if (kind.target === null && kind.category === "unknown" && !kind.unresolved) {
        unresolved ??= kind;
        continue;
      }
      if (kind.kind === "d1" && kind.target !== null) return kind;
      first ??= kind;
    }
    return first ?? unresolved;
  }

  /**
   * An HTTP client (ky, axios, ofetch, ...): the library's ready-made client, or one made with a
   * base URL (`ky.create({ prefixUrl })`, `axios.create({ baseURL })`, `wretch(url)`). Its target
   * is the base URL's host when known; each call resolves its own URL against it (httpCall).
   */
  /**
   * A tRPC client whose HTTP link can be read (see trpcLinkOf): sending through the project's fetch
   * function when the link is given one, else a request to the host of its url. Undefined when
   * neither can be told (the client is then one of a library the analyser does not know).
   */
  private trpcClient(options: ts.Expression | undefined, module: ModuleFacts): ClientKind | undefined {
    const link = trpcLinkOf(this.ctx, options, module);
    if (!link || link.unreadFetch) return undefined;
    const hosts = link.url ? this.ctx.values.urlHosts(link.url.expression) : undefined;
    const host = hosts?.find((h) => classifyHost(h, this.ctx.input.hostCategories).category === "backend") ?? hosts?.[0];
    if (link.fetch)
      return {
        kind: "fetch",
        target: host ?? null,
        category: host ? classifyHost(host, this.ctx.input.hostCategories).category : "unknown",
        note: "tRPC client: each query or mutation is sent by the fetch function its link is given",
        trpc: true,
        trpcFetch: link.fetch,
      };
    if (!host) return undefined;
    return {
      kind: "fetch",
      target: host,
      category: classifyHost(host, this.ctx.input.hostCategories).category,
      note: `tRPC client for ${host}: each query or mutation is one request`,
      trpc: true,
    };
  }

  private httpClient(library: Library, options: ts.Expression | undefined, module: ModuleFacts): ClientKind {
    const kind = library.kind ?? "fetch";
    let base: ts.Expression | undefined;
    const value = options ? unwrapExpression(options) : undefined;
    if (value && isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : "";
        if (!library.http!.baseOptions.includes(name)) continue;
        if (isPropertyAssignment(property)) base = property.initializer;
        else if (isShorthandPropertyAssignment(property)) base = property.name;
      }
    } else if (value && !(isIdentifier(value) && value.text === "fetch")) base = value;
    const baseUrl = base ? { expression: base, module } : undefined;
    // A base URL chosen at run time among a few: the client is counted against the worst of them.
    const hosts = base ? this.ctx.values.urlHosts(base) : undefined;
    const host = hosts?.find((h) => classifyHost(h, this.ctx.input.hostCategories).category === "backend") ?? hosts?.[0];
    if (host) {
      const classification = classifyHost(host, this.ctx.input.hostCategories);
      return { kind, target: host, category: classification.category, note: `${library.name} client for ${host}`, library, baseUrl };
    }
    return { kind, target: null, category: "unknown", note: `${library.name} client`, library, ...(baseUrl ? { baseUrl } : {}) };
  }

  /**
   * One request of an HTTP client: to the host of the URL the call is given when it is absolute,
   * else to the client's base URL; a host taken from configuration is named after its source;
   * otherwise an unknown subrequest naming the library.
   */
  private httpCall(found: ClientCall, module: ModuleFacts, make: MakeSubrequest): ClassifiedSubrequest {
    const { link } = found;
    let client = found.client;
    const library = client.library!;
    let call = callAbove(link);
    // Builders in the same chain (`ky.create({ prefixUrl }).post("x")`, `api.extend({...}).get("y")`):
    // the request is the first call after them, against the base URL they set.
    for (let i = 0; call && i < 16; i++) {
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee) || !library.builders?.includes(callee.name.text)) break;
      const options = call.arguments[0] ? unwrapExpression(call.arguments[0]) : undefined;
      if (options && isObjectLiteralExpression(options)) {
        const made = this.httpClient(library, options, module);
        if (made.baseUrl) client = made;
      }
      call = callAbove(call);
    }
    const first = call?.arguments[0] ? unwrapExpression(call.arguments[0]) : undefined;
    // `axios({ url, method })`, `axios.request({ url })`: the URL is an option.
    let url: ts.Expression | undefined = first;
    if (first && isObjectLiteralExpression(first)) {
      url = undefined;
      for (const property of first.properties)
        if (property.name && isIdentifier(property.name) && property.name.text === "url") url = propertyInitializer(property);
    }
    const requestCallee = call ? unwrapExpression(call.expression) : undefined;
    const method = requestCallee && isPropertyAccessExpression(requestCallee) ? requestCallee.name.text : "";
    const what = `${library.name} ${method ? `${method}(...)` : "call"}`;
    const hosts = url ? this.ctx.values.urlHosts(url) : undefined;
    if (hosts) return this.toHosts(hosts, make, client.kind, what);
    if (client.target) return make(client.kind, client.target, client.category, `${what}: ${client.note}`);
    // With a base URL the call's URL is a path: the host is the base's.
    const shown = client.baseUrl?.expression ?? url;
    const provenance = shown
      ? this.provenanceTarget(shown, client.baseUrl?.module ?? module, make, client.kind, what)
      : ({} as { readonly why?: string });
    if ("kind" in provenance) return provenance;
    return {
      ...make(
        client.kind,
        null,
        "unknown",
        `${what}: the URL${shown ? ` ${truncate(printNode(shown))}` : ""} cannot be resolved to a host${provenance.why ? `: it is ${provenance.why}` : ""}`,
      ),
      unresolved: true,
      httpClient: library.name,
      assumption: unresolvedHostAssumption(
        `the host of ${shown ? `${truncate(printNode(shown))} (${what})` : `a ${what}`}`,
        provenance.why,
      ),
    };
  }

  /**
   * A client whose reads may go to a CDN (Sanity): the API host and, unless the `useCdn` option is
   * `false`, the CDN host, each prefixed by the project id when it is known.
   */
  private cdnClient(library: Library, options: ts.Expression | undefined): ClientKind {
    const cdn = library.cdn!;
    const value = options ? unwrapExpression(options) : undefined;
    let useCdn = true;
    let prefix: string | undefined;
    if (value && isObjectLiteralExpression(value))
      for (const property of value.properties) {
        if (!isPropertyAssignment(property) || !property.name || !(isIdentifier(property.name) || isStringLiteralLike(property.name)))
          continue;
        if (property.name.text === cdn.option && unwrapExpression(property.initializer).kind === SyntaxKind.FalseKeyword) useCdn = false;
        if (property.name.text === cdn.prefixOption) {
          const text = this.ctx.values.evaluateString(property.initializer, 0);
          if (text && /^[a-z0-9-]+$/i.test(text)) prefix = text.toLowerCase();
        }
      }
    const host = prefix ? `${prefix}.${library.host}` : library.host!;
    const client = this.sdkClient(library, undefined);
    return {
      ...client,
      target: host,
      note: `${library.name} API at ${host}`,
      ...(useCdn ? { cdnTarget: prefix ? `${prefix}.${cdn.host}` : cdn.host } : {}),
    };
  }

  /**
   * An OAuth client library's call (oauth4webapi, openid-client 6) sent to the authorization server
   * its first argument names (the issuer's URL, or metadata made from it), or a resource server's request
   * to the URL it is given; undefined when it cannot be told.
   */
  private authorizationServerClient(
    library: Library,
    name: string,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): ClientKind | undefined {
    const spec = library.authorizationServer;
    if (!spec) return undefined;
    const memberOf = (callee: ts.Expression): string | undefined => {
      const member = importedMember(callee, module);
      return member && libraryFor(member.module) === library ? member.name : undefined;
    };
    const url = authorizationServerUrl(spec, name, args, memberOf);
    const host = url ? this.ctx.values.connectionTarget(url) : undefined;
    if (!host) return undefined;
    return {
      kind: library.kind ?? "sdk",
      target: host,
      category: classifyHost(host, this.ctx.input.hostCategories).category,
      note: `${library.name}: the authorization server at ${host}`,
      library,
    };
  }

  /** A client of a library of the table, its target the fixed host, the URL it is given, or the library's name. */
  private sdkClient(library: Library, urlArgument: ts.Expression | undefined): ClientKind {
    const { name, host } = library;
    const category = library.distribution === "global" ? "global" : "backend";
    // A fixed service a client can be pointed elsewhere (an S3 client's `endpoint`): that address first.
    const endpoint = host && urlArgument && library.urlOptions ? this.urlOption(library.urlOptions, urlArgument) : undefined;
    const endpointUrl = endpoint
      ? (this.ctx.values.connectionTarget(endpoint) ?? endpointHostSuffix(this.ctx.values.evaluateStrings(endpoint, 0)))
      : undefined;
    // A client pointed at an address it was given (an option, its argument, a var): that address's host.
    const clientFor = (address: string): ClientKind => ({
      kind: library.kind ?? "sdk",
      target: address,
      category: classifyHost(address, this.ctx.input.hostCategories).category,
      note: `${name} client for ${address}`,
      library,
    });
    if (endpointUrl) return clientFor(endpointUrl);
    if (host) return { kind: library.kind ?? "sdk", target: host, category, note: `${name} API at ${host}`, library };
    const fromVars = library.urlVar ? ownEntry(this.ctx.input.vars, library.urlVar) : undefined;
    const option = urlArgument && library.urlOptions ? this.urlOption(library.urlOptions, urlArgument) : undefined;
    const url =
      ((option ?? urlArgument) ? this.ctx.values.connectionTarget(option ?? urlArgument!) : undefined) ??
      (fromVars ? hostOf(fromVars) : undefined);
    if (url) return clientFor(url);
    // A database client whose address is a secret: a single-homed back end, host unknown.
    return {
      kind: library.kind ?? "sdk",
      target: library.fallbackTarget,
      category,
      note:
        library.family === "api"
          ? `${name} client: each call is a round trip to its service`
          : `${name} client: each query is a round trip to the database`,
      library,
    };
  }

  /**
   * A client of one of a library's providers (arctic's `new GitHub(...)`): the provider's fixed
   * host, or the one its first argument names (`new Auth0(domain, ...)`), else (a provider the
   * table does not list, a domain held in a secret) the library's fallback target.
   */
  private providerClient(
    library: Library,
    factory: string,
    fixed: string | null | undefined,
    first: ts.Expression | undefined,
  ): ClientKind {
    const host = fixed === null ? (first ? this.ctx.values.connectionTarget(first) : undefined) : fixed;
    if (!host) return this.sdkClient(library, undefined);
    return {
      kind: library.kind ?? "sdk",
      target: host,
      category: classifyHost(host, this.ctx.input.hostCategories).category,
      note: `${library.name} ${factory}: its token endpoint at ${host}`,
      library,
    };
  }

  /**
   * A client of an SMTP sender (smtp.ts): the SMTP server its transport options name, its host
   * resolved as a connection's is (a literal, a var); a well-known service's host; the library's
   * fallback when the host is a secret. A transport that sends nothing gives a client none of whose
   * calls send; one the analyser does not know, a client whose calls are unknown.
   */
  private smtpClient(library: Library, options: ts.Expression | undefined, module: ModuleFacts): ClientKind {
    const transport = smtpTransport(
      options,
      library.smtp!,
      (expression) => this.ctx.values.evaluateString(expression, 0),
      (expression) => this.ctx.values.objectLiterals(expression, module, 0).map((found) => found.literal),
    );
    if (transport.kind === "local")
      return {
        ...this.sdkClient(library, undefined),
        note: `${library.name} \`${transport.option}\` transport: nothing is sent`,
        sends: [],
      };
    if (transport.kind === "other")
      return {
        kind: library.kind ?? "sdk",
        target: null,
        category: "unknown",
        note: `${library.name} over a transport the analyser does not know (${transport.construct}): its round trips cannot be counted`,
        library,
        unresolved: true,
        // Only its awaited calls may send (`transporter.use(...)` registers a plugin).
        unknownClass: true,
        assumption: `awaited calls on a ${library.name} transport over ${transport.construct}, which the analyser does not know, counted as round trips to its service`,
      };
    if (transport.serviceHost) return this.sdkClientFor(library, transport.serviceHost);
    const host = transport.address ? this.ctx.values.connectionTarget(transport.address) : undefined;
    return host ? this.sdkClientFor(library, host) : this.sdkClient(library, undefined);
  }

  /** A client of a library pointed at a host it was given. */
  private sdkClientFor(library: Library, host: string): ClientKind {
    return {
      kind: library.kind ?? "sdk",
      target: host,
      category: classifyHost(host, this.ctx.input.hostCategories).category,
      note: `${library.name} client for ${host}`,
      library,
    };
  }

  /** The value of the first of `names` in an options object literal (`{ service: "https://bsky.social" }`). */
  private urlOption(names: readonly string[], argument: ts.Expression): ts.Expression | undefined {
    const value = unwrapExpression(argument);
    if (!isObjectLiteralExpression(value)) return undefined;
    for (const property of value.properties)
      if (isPropertyAssignment(property) && property.name && isIdentifier(property.name) && names.includes(property.name.text))
        return property.initializer;
    return undefined;
  }
}

const DATABASE_SCHEMES = new Set([
  "postgres",
  "postgresql",
  "mysql",
  "libsql",
  "mongodb",
  "mongodb+srv",
  "redis",
  "rediss",
  "prisma",
  "prisma+postgres",
]);

/**
 * The names a module's top-level statements destructure from an Auth.js factory's result
 * (`export const { auth, handlers } = NextAuth(config)`), each with its factory call and the
 * property it reads; the first such declaration of a name counts. Asked for every call of a plain
 * function: read once per module, as it depends on the module's tree and imports alone, which
 * never change (an edit makes new facts).
 */
function authJsDestructured(module: ModuleFacts): ReadonlyMap<string, { call: ts.CallExpression; property: string }> {
  const known = authJsNames.get(module);
  if (known) return known;
  const names = new Map<string, { call: ts.CallExpression; property: string }>();
  for (const statement of module.sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
      const init = unwrapExpression(declaration.initializer);
      if (!isCallExpression(init)) continue;
      const member = importedMember(init.expression, module);
      if (!member || !ownEntry(AUTHJS_FRAMEWORKS, member.module)?.factories.includes(member.name)) continue;
      for (const element of declaration.name.elements) {
        // The first element of that name in the declaration, as a search by name finds it.
        if (!isIdentifier(element.name) || names.has(element.name.text)) continue;
        const property = element.propertyName && isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
        names.set(element.name.text, { call: init, property });
      }
    }
  }
  authJsNames.set(module, names);
  return names;
}

const authJsNames = new WeakMap<ModuleFacts, ReadonlyMap<string, { call: ts.CallExpression; property: string }>>();

/** `fn` imported from a package, or `ns.fn` on a namespace or default import: the package and the exported name. */
/** How much a model's provider weighs on placement: a single-homed back end most, then one not known. */
const MODEL_WEIGHT: Readonly<Record<SubrequestCategory, number>> = { backend: 4, unknown: 3, binding: 2, analytics: 1, global: 0 };

/** The worst of the providers callers pass for a model (the first of equals, by target, so the answer is stable). */
function worstModel(made: readonly ClientKind[]): ClientKind {
  return [...made].sort(
    (a, b) => MODEL_WEIGHT[b.category] - MODEL_WEIGHT[a.category] || (a.target ?? "").localeCompare(b.target ?? ""),
  )[0]!;
}

/**
 * The import a name written in the code stands for: none when a function's or block's own
 * declaration of the name is in scope there (a handler's `const query = ...` shadows an imported
 * `query` inside that handler only), else the module's import of it (a module-level `const x =
 * require("x")` is one).
 */
function importOf(name: ts.Identifier, module: ModuleFacts): ImportBinding | undefined {
  const imported = module.imports.get(name.text);
  if (!imported) return undefined;
  const declaration = declarationOf(name);
  return !declaration || isFileScoped(declaration) ? imported : undefined;
}

function importedMember(callee: ts.Expression, module: ModuleFacts): { module: string; name: string } | undefined {
  const value = unwrapExpression(callee);
  if (isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (!declaration || isFileScoped(declaration)) {
      const imported = module.imports.get(value.text);
      if (imported) return imported;
    }
    if (!declaration) return isNitroFetch(value, module) ? NITRO_FETCH : undefined;
    // A class extended by a static call (`const MyOctokit = Octokit.plugin(retry)`): the same library.
    const init =
      isVariableDeclaration(declaration) && declaration.initializer && isConstDeclaration(declaration)
        ? unwrapExpression(declaration.initializer)
        : undefined;
    const base = init && isCallExpression(init) ? unwrapExpression(init.expression) : undefined;
    return base && isPropertyAccessExpression(base) && isIdentifier(base.expression) ? importOf(base.expression, module) : undefined;
  }
  if (isPropertyAccessExpression(value) && isIdentifier(value.expression)) {
    const imported = importOf(value.expression, module);
    if (imported && (imported.name === "*" || imported.name === "default")) return { module: imported.module, name: value.name.text };
    // A static factory of an imported class: `Redis.fromEnv(env)`.
    if (imported) return imported;
    // `$fetch.create({ baseURL })`: Nitro's global `$fetch` is ofetch's.
    if (isNitroFetch(value.expression, module)) return NITRO_FETCH;
  }
  return undefined;
}

/** Assignments whose value is the right side when it is assigned: `a ??= b`, `a ||= b`, `a = b`. */
const LAZY_ASSIGNMENTS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.QuestionQuestionEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.EqualsToken,
]);

/**
 * A library function remade with other options: `graphql.defaults({ headers })`, `request.defaults(...)`
 * (@octokit/graphql, @octokit/request): a function of the table's `functions` with a method it lists
 * as free (the method sends nothing; what it makes sends like the function).
 */
function functionClientOf(
  init: ts.Expression,
  module: ModuleFacts,
): { library: Library; name: string; method: string; cost: number | "route" } | undefined {
  if (!isCallExpression(init)) return undefined;
  const callee = unwrapExpression(init.expression);
  if (!isPropertyAccessExpression(callee)) return undefined;
  const receiver = unwrapExpression(callee.expression);
  const imported = isIdentifier(receiver) ? module.imports.get(receiver.text) : undefined;
  const library = imported ? libraryFor(imported.module) : undefined;
  const cost = library && imported ? library.functions?.[imported.name] : undefined;
  if (!library || !imported || cost === undefined || !library.free?.includes(callee.name.text)) return undefined;
  return { library, name: imported.name, method: callee.name.text, cost };
}

/**
 * A call on a Telegram update's context that sends: `ctx.reply(...)`, `ctx.api.sendMessage(...)`,
 * `ctx.telegram.sendMessage(...)` (a promise's `then`/`catch`/`finally` after it changes nothing);
 * not `ctx.message.text.trim()` nor the context's local checks (`ctx.hasCommand(...)`).
 */
function isUpdateContextCall(methods: readonly string[]): boolean {
  let end = methods.length;
  while (end > 0 && PROMISE_METHODS.has(methods[end - 1]!)) end--;
  if (end === 1) return !UPDATE_CONTEXT_LOCAL.has(methods[0]!);
  return end === 2 && (methods[0] === "api" || methods[0] === "telegram");
}

const PROMISE_METHODS = new Set(["then", "catch", "finally"]);

/** An http(s) URL written as a literal in arguments or in the properties of an options object. */
function urlLiteralIn(args: readonly ts.Expression[]): string | undefined {
  for (const arg of args) {
    const value = unwrapExpression(arg);
    const candidates = isObjectLiteralExpression(value)
      ? value.properties.filter(isPropertyAssignment).map((p) => unwrapExpression(p.initializer))
      : [value];
    for (const candidate of candidates) if (isStringLiteralLike(candidate) && /^https?:\/\//.test(candidate.text)) return candidate.text;
  }
  return undefined;
}

/** h3's functions that proxy the request to a target URL (one fetch each). */
const H3_PROXIES = new Set(["proxyRequest", "sendProxy"]);

/** A name h3 provides: imported from h3 (or Nitro's runtime), or free (Nitro's auto-import). */
function isH3Name(identifier: ts.Identifier, module: ModuleFacts): boolean {
  const imported = module.imports.get(identifier.text);
  if (imported) return /^(h3|nitro|nitropack|#imports)(\/|$)/.test(imported.module) && imported.name === identifier.text;
  return declarationOf(identifier) === undefined;
}

/** Whether an option is `false` (Nuxt's `server: false`). */
function serverOff(values: readonly ValueRef[]): boolean {
  return values.length > 0 && values.every((v) => unwrapExpression(v.expression).kind === SyntaxKind.FalseKeyword);
}

/** Nuxt's `useFetch`: auto-imported (a free name) or imported from Nuxt's own modules. */
function isNuxtFetchComposable(identifier: ts.Identifier, module: ModuleFacts): boolean {
  if (identifier.text !== "useFetch") return false;
  const imported = module.imports.get(identifier.text);
  if (imported) return ["#app", "#imports", "nuxt/app"].includes(imported.module) && imported.name === "useFetch";
  return declarationOf(identifier) === undefined;
}

/**
 * Whether the strings a URL may be are all paths (`/articles/1`, `articles`): what `baseURL` is put
 * before. Unknown (no strings) counts as not: the URL may be whole.
 */
function isRelativePath(strings: readonly string[] | undefined): boolean {
  return strings !== undefined && strings.length > 0 && strings.every((s) => !/^[a-z][a-z0-9+.-]*:/i.test(s) && !s.startsWith("//"));
}

/** The text a URL written in place starts with (`/articles/${id}` -> "/articles/"), when it starts with text. */
function leadingText(expression: ts.Expression): string[] | undefined {
  const url = unwrapExpression(expression);
  if (isStringLiteralLike(url)) return [url.text];
  if (ts.isTemplateExpression(url) && url.head.text !== "") return [url.head.text];
  if (ts.isBinaryExpression(url) && url.operatorToken.kind === SyntaxKind.PlusToken) return leadingText(url.left);
  return undefined;
}

/** Nitro's (and Nuxt's) global `$fetch`: ofetch's `$fetch`, used without an import. */
const NITRO_FETCH = { module: "ofetch", name: "$fetch" } as const;

function isNitroFetch(identifier: ts.Identifier, module: ModuleFacts): boolean {
  return identifier.text === "$fetch" && !module.imports.has("$fetch") && declarationOf(identifier) === undefined;
}

/**
 * The call that made a client, under the calls made on it afterwards: `new PrismaClient(...)` in
 * `new PrismaClient(...).$extends(...)`; with the package member it calls.
 */
/** Where Nitro's `useStorage` may be imported from when it is not used as a global. */
const NITRO_RUNTIME_MODULES = new Set(["#imports", "nitropack/runtime", "nitro/runtime", "#internal/nitro"]);

/** Nitro's storage (unstorage), whose back end is the driver mounted at a base (see nitroStorageClient). */
const NITRO_STORAGE: Library = {
  name: "Nitro storage",
  family: "cache",
  packages: [],
  factories: [],
  host: null,
  fallbackTarget: "storage driver",
  distribution: "single-homed",
  why: "the driver the app's config mounts at the storage's base",
  cost: "each item call (`getItem()`, `setItem()`, `getKeys()`, ...): one round trip to the mounted driver's service; none for an in-memory mount",
  sends: STORAGE_SENDS,
};

function factoryCall(
  init: ts.CallExpression | ts.NewExpression,
  module: ModuleFacts,
): { member: { module: string; name: string }; call: ts.CallExpression | ts.NewExpression } | undefined {
  let current: ts.Expression = init;
  for (let i = 0; i < 32; i++) {
    if (!isCallExpression(current) && !isNewExpression(current)) return undefined;
    const callee = unwrapExpression(current.expression);
    const member = importedMember(callee, module);
    if (member) return { member, call: current };
    if (!isPropertyAccessExpression(callee)) return undefined;
    current = unwrapExpression(callee.expression);
  }
  return undefined;
}

/** The call made right on a client: `api.post(...)` above `api`, or the client called itself (`ky(url)`). */
function callAbove(link: ts.Expression): ts.CallExpression | undefined {
  let current: ts.Node = link;
  while (
    current.parent &&
    (isParenthesizedExpression(current.parent) || isNonNullExpression(current.parent) || isAsExpression(current.parent))
  )
    current = current.parent;
  const parent = current.parent;
  if (parent && isCallExpression(parent) && parent.expression === current) return parent;
  if (parent && isPropertyAccessExpression(parent) && parent.expression === current) {
    const call = parent.parent;
    if (call && isCallExpression(call) && call.expression === parent) return call;
  }
  return undefined;
}

/** Methods that hand the incoming request to a handler (`worker.fetch(request, env, ctx)`). */
const HANDOFF_METHODS = new Set(["fetch", "handle", "handleRequest", "serve"]);

/** Methods that read a response or request body already received: no round trip. */
const BODY_READERS = new Set(["json", "text", "arrayBuffer", "blob", "formData", "bytes", "clone"]);

/** Methods of strings: on `env[name]` they read a variable, they call no binding. */
const STRING_METHODS = new Set([
  "trim",
  "trimStart",
  "trimEnd",
  "toLowerCase",
  "toUpperCase",
  "split",
  "startsWith",
  "endsWith",
  "includes",
  "replace",
  "replaceAll",
  "slice",
  "substring",
  "indexOf",
  "match",
  "padStart",
  "padEnd",
  "charAt",
  "at",
  "toString",
  "localeCompare",
  "normalize",
]);

/**
 * Methods of strings and arrays (and numbers' formatting): the first method called on what a
 * function of an unknown package gave says it is a plain value (`decode(html).replace(...)`), not
 * a client of a service.
 */
const PLAIN_VALUE_METHODS = new Set([
  ...STRING_METHODS,
  "substr",
  "repeat",
  "charCodeAt",
  "codePointAt",
  "lastIndexOf",
  "join",
  "map",
  "filter",
  "reduce",
  "forEach",
  "some",
  "every",
  "flat",
  "flatMap",
  "reverse",
  "toFixed",
  "toPrecision",
]);

/** `async`, or declared to return a promise (`(): Promise<string>`), or with no declared type: it may give its caller a promise. */
function mayReturnPromise(fn: ts.FunctionLikeDeclaration): boolean {
  if (isAsync(fn) || !fn.type) return true;
  const type = fn.type;
  const parts = ts.isUnionTypeNode(type) ? type.types : [type];
  return parts.some(
    (part) =>
      part.kind === ts.SyntaxKind.AnyKeyword ||
      part.kind === ts.SyntaxKind.UnknownKeyword ||
      (ts.isTypeReferenceNode(part) && isIdentifier(part.typeName) && /Promise/.test(part.typeName.text)),
  );
}

/**
 * `const p = store.get(key); ...; await p` (also `p.then(...)`, `return p`, `[p, q]` for Promise.all):
 * a call kept in a variable that is waited for later.
 */
function waitedForLater(call: ts.CallExpression): boolean {
  let current: ts.Node = call;
  while (
    current.parent &&
    (isParenthesizedExpression(current.parent) || isAsExpression(current.parent) || isNonNullExpression(current.parent))
  )
    current = current.parent;
  const declaration = current.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== current) return false;
  if (!isIdentifier(declaration.name)) return false;
  const scope = findAncestor(declaration, ts.isFunctionLike) ?? declaration.getSourceFile();
  let waited = false;
  const visit = (node: ts.Node): void => {
    if (waited) return;
    if (isIdentifier(node) && node !== declaration.name && declarationOf(node) === declaration) {
      const parent = node.parent;
      waited =
        isAwaitExpression(parent) ||
        isReturnStatement(parent) ||
        isArrayLiteralExpression(parent) ||
        (isPropertyAccessExpression(parent) && parent.expression === node && ["then", "catch", "finally"].includes(parent.name.text));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return waited;
}

/** The name a function is called by: `f` of `function f()`, `const f = () => ...`, a method or property `set(v) {...}`. */
function calledName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && isIdentifier(fn.name)) return fn.name.text;
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || isPropertyAssignment(holder)) && holder.initializer === fn && isIdentifier(holder.name))
    return holder.name.text;
  return undefined;
}

/** `Promise.all([client.a(), client.b()])`: the calls in the list are waited for together. */
function isAwaitedTogether(node: ts.Node): boolean {
  const list = node.parent;
  const call = list?.parent;
  if (!list || !isArrayLiteralExpression(list) || !call || !isCallExpression(call)) return false;
  const callee = unwrapExpression(call.expression);
  return (
    isPropertyAccessExpression(callee) &&
    isIdentifier(callee.expression) &&
    callee.expression.text === "Promise" &&
    ["all", "allSettled", "race", "any"].includes(callee.name.text)
  );
}

/** Whether a call's value is waited for where it is written (awaited, returned). */
function isAwaitedHere(node: ts.Node): boolean {
  let parent = node.parent;
  let current: ts.Node = node;
  while (parent && (isParenthesizedExpression(parent) || isAsExpression(parent) || isNonNullExpression(parent))) {
    current = parent;
    parent = parent.parent;
  }
  return !!parent && (isAwaitExpression(parent) || isReturnStatement(parent) || (isArrowFunction(parent) && parent.body === current));
}

/** A handler's own request, passed on: a parameter typed `Request` or named `request`/`req`. */
function isIncomingRequest(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (!isIdentifier(value)) return false;
  const declaration = declarationOf(value);
  if (!declaration || !ts.isParameter(declaration)) return false;
  const type = declaration.type;
  if (type && ts.isTypeReferenceNode(type) && isIdentifier(type.typeName) && type.typeName.text === "Request") return true;
  return value.text === "request" || value.text === "req";
}

/** What the "likely" assumption says of a call whose host could not be resolved (`what`: "the host of url"). */
function unresolvedHostAssumption(what: string, why?: string): string {
  return `${what} could not be resolved${why ? ` (it is ${why})` : ""}: counted as a back end (computed hosts are usually configured or the origin)`;
}

/**
 * Addresses of databases that run inside the Worker (an in-memory or embedded engine, as
 * SurrealDB's `mem://` with its WASM engine, SQLite's `:memory:`): a client given one makes no
 * round trip.
 */
const IN_PROCESS_SCHEMES = ["mem://", "memory://", "memory:", ":memory:", "indxdb://", "surrealkv://", "rocksdb://", "file:"];

function isInProcessAddress(node: ts.Node): boolean {
  const value = unwrapExpression(node as ts.Expression);
  return isStringLiteralLike(value) && IN_PROCESS_SCHEMES.some((scheme) => value.text.startsWith(scheme));
}

/**
 * Whether a client made from an unknown package (`new Surreal(...)`) is given an in-process address:
 * as an argument (or an option's value) of the constructor, or by a `connect(address)` call in the
 * function that makes it (the module, at the top level) on the name it is kept in.
 */
function inProcessAddress(made: ts.NewExpression, module: ModuleFacts): boolean {
  for (const arg of made.arguments ?? []) {
    const value = unwrapExpression(arg);
    if (isInProcessAddress(value)) return true;
    if (isObjectLiteralExpression(value))
      for (const property of value.properties) if (isPropertyAssignment(property) && isInProcessAddress(property.initializer)) return true;
  }
  let holder: ts.Node = made;
  while (holder.parent && (isParenthesizedExpression(holder.parent) || isAsExpression(holder.parent) || isAwaitExpression(holder.parent)))
    holder = holder.parent;
  const parent = holder.parent;
  const name =
    parent && ts.isVariableDeclaration(parent) && isIdentifier(parent.name)
      ? parent.name.text
      : parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(parent.left)
        ? parent.left.text
        : undefined;
  if (!name) return false;
  const scope = findAncestor(made, ts.isFunctionLike) ?? module.sourceFile;
  return module.calls.some((call) => {
    if (!isCallExpression(call) || call.pos < scope.pos || call.end > scope.end) return false;
    const callee = unwrapExpression(call.expression);
    return (
      isPropertyAccessExpression(callee) &&
      callee.name.text === "connect" &&
      isIdentifier(unwrapExpression(callee.expression)) &&
      (unwrapExpression(callee.expression) as ts.Identifier).text === name &&
      call.arguments[0] !== undefined &&
      isInProcessAddress(call.arguments[0])
    );
  });
}

/** A package the table does not know (not the project's own code, not the platform's). */
function isUnknownPackage(moduleName: string): boolean {
  return (
    !moduleName.startsWith(".") &&
    !moduleName.startsWith("/") &&
    !moduleName.startsWith("cloudflare:") &&
    !moduleName.startsWith("node:") &&
    !isKnownLibraryModule(moduleName)
  );
}

function backendPhrase(backend: ClientKind): string {
  if (backend.kind === "d1") return `the D1 database ${backend.target}`;
  return `${backend.library?.family === "api" ? "an API client" : "a database client"} (${backend.note})`;
}

/**
 * `makeApp` imported by name, or `sdk.makeApp` of a namespace or default import: a function of the
 * package itself, not a method of one of its objects (`initTRPC.create()`).
 */
function isPackageFunction(callee: ts.Expression, module: ModuleFacts): boolean {
  if (isIdentifier(callee)) return module.imports.has(callee.text);
  if (!isPropertyAccessExpression(callee) || !isIdentifier(callee.expression)) return false;
  const root = module.imports.get(callee.expression.text);
  return root !== undefined && (root.name === "*" || root.name === "default");
}

/** A function, or an object literal with a function among its properties (one level deep): what a framework is given. */
function givesFunctions(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (isFunctionValue(value)) return true;
  if (!isObjectLiteralExpression(value)) return false;
  return value.properties.some(
    (p) =>
      isMethodDeclaration(p) ||
      (isPropertyAssignment(p) &&
        (isFunctionValue(p.initializer) ||
          (isObjectLiteralExpression(unwrapExpression(p.initializer)) &&
            (unwrapExpression(p.initializer) as ts.ObjectLiteralExpression).properties.some(
              (q) => isMethodDeclaration(q) || (isPropertyAssignment(q) && isFunctionValue(q.initializer)),
            )))),
  );
}

function isFunctionValue(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  return isArrowFunction(value) || isFunctionExpression(value);
}

/** `obj["name"]`, `list[0]`: a key known without running the code. */
function isLiteralKey(expression: ts.Expression): boolean {
  return isStringLiteralLike(expression) || isNumericLiteral(expression);
}

/** Methods that send a query on the clients of the library table's families; a tagged template is one too. */
const QUERY_METHODS = new Set([
  "query",
  "execute",
  "executeTakeFirst",
  "executeTakeFirstOrThrow",
  "select",
  "selectFrom",
  "insert",
  "insertInto",
  "update",
  "updateTable",
  "delete",
  "deleteFrom",
  "from",
  "rpc",
  "findMany",
  "findFirst",
  "findUnique",
  "upsert",
  "$queryRaw",
  "$executeRaw",
  "$transaction",
  "prepare",
  "batch",
  "transaction",
  "sql",
  // postgres.js: `sql.unsafe(query)`, `sql.begin(async (sql) => ...)`, `sql.reserve()`, `sql.file(path)`.
  "unsafe",
  "begin",
  "reserve",
  "file",
]);

/** Whether a call chain (or a tagged template's tag) reads like a database query. */
function looksLikeQuery(chain: ts.Expression): boolean {
  if (isTaggedTemplateExpression(chain.parent)) return true;
  for (let current: ts.Expression = unwrapExpression(chain), i = 0; i < 64; i++) {
    if (isPropertyAccessExpression(current)) {
      if (QUERY_METHODS.has(current.name.text)) return true;
      current = unwrapExpression(current.expression);
    } else if (isCallExpression(current) || isElementAccessExpression(current)) current = unwrapExpression(current.expression);
    else return false;
  }
  return false;
}

/** An API client whose every method is one round trip (no builders, free helpers or special counts). */
function everyCallSends(library: Library): boolean {
  return (
    library.family === "api" &&
    !library.sends &&
    !library.builders &&
    !library.free &&
    !library.counts &&
    !library.routeDependent &&
    !library.selfCallFree &&
    !library.pipelines
  );
}

/** Packages whose `fetch` (default or named export) is the platform's fetch on Workers. */
const FETCH_PACKAGES = new Set([
  "node-fetch",
  "cross-fetch",
  "isomorphic-fetch",
  "undici",
  "@whatwg-node/fetch",
  "isomorphic-unfetch",
  "unfetch",
]);

/** `fetch(...)` where `fetch` (any local name) is imported from a fetch package (`import fetch from "node-fetch"`). */
function isFetchPackageImport(callee: ts.Identifier, module: ModuleFacts): boolean {
  if (localFunction(callee)) return false;
  const imported = module.imports.get(callee.text);
  return imported !== undefined && FETCH_PACKAGES.has(imported.module) && (imported.name === "default" || imported.name === "fetch");
}

/** HTTP methods that open a request line (`"GET /repos/{owner}/{repo}"`, as @octokit/request and its kind take it). */
const REQUEST_LINE_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** A string literal argument that is an HTTP request line: a method, a space, then a path. */
function requestLineGiven(arg: ts.Expression | undefined): string | undefined {
  const value = arg ? unwrapExpression(arg) : undefined;
  if (!value || !isStringLiteralLike(value)) return undefined;
  const space = value.text.indexOf(" ");
  if (space <= 0 || !REQUEST_LINE_METHODS.has(value.text.slice(0, space))) return undefined;
  return value.text.charAt(space + 1) === "/" ? value.text : undefined;
}
