import type { SubrequestKind } from "./types";
import type { AuthorizationServerArgument } from "./authorizationServer";
import { SMTP_EXCHANGE, SMTP_GREETING, type SmtpSpec } from "./smtp";

/**
 * Client libraries that make round trips, as data: what one call costs on the response path.
 *
 * A client is a value made by one of a library's `factories` (called or constructed), or one of
 * its ready-made `clients`. A call on it is one round trip to the library's back end, counted once
 * at the call that sends it: the outermost call of a chain (`supabase.from("t").select().eq()`,
 * an awaited Drizzle chain), or, for query builders that say so (`sends`), only the call that
 * ends the query (Kysely's `execute()`). The rest of the fields refine that:
 *
 * - `builders`: methods that only build (the value they return is still the client, and a chain
 *   that ends in one sends nothing), `free`: methods that never send (listeners, local helpers);
 * - `batches`: methods that send the queries in their array argument in one round trip (Prisma's
 *   `$transaction([...])`, Drizzle's `batch([...])`): the queries in the array are not counted;
 * - `transactions`: methods that run a callback with a transaction client (Prisma's
 *   `$transaction(async (tx) => ...)`), with the round trips the transaction makes itself: each
 *   call on the transaction client is counted, and the transaction's own (BEGIN before the
 *   callback, COMMIT after it) around them;
 * - `connects`: factories whose call is itself a round trip (mysql2's `createConnection`);
 * - `counts`: methods known to make more than one sequential round trip;
 * - `routeDependent`: methods whose round trips depend on what the request asks (an auth
 *   library's request handler): counted once and reported as unknown, so the status says so;
 * - `functions`: exported functions that are round trips themselves (Firestore's `getDoc`);
 * - `wrapsBackend`: the library talks to the back end it is given (an ORM over a driver, an auth
 *   server over a database): its target is that back end, found in its arguments.
 *
 * `distribution` says whether Smart Placement counts the back end: a single-homed service lives
 * in one region (a database, most APIs) and is a back end; a globally distributed one answers
 * near the Worker wherever it runs, and is ignored (`why` gives the reason for each).
 *
 * A library that is not in the table but receives a database client or a connection URL is
 * reported as unknown, with its name: its round trips cannot be counted, and are never taken as 0.
 * The README's "Libraries that make round trips" section documents this table.
 */
export interface Library {
  readonly name: string;
  readonly family: "database" | "orm" | "cache" | "api" | "auth" | "http";
  /** Package specifiers, exact. */
  readonly packages: readonly string[];
  /** Exported names that make a client; "*" when the default export (or the namespace) is the factory. */
  readonly factories: readonly string[];
  /** Exported names that are clients ready to use (`import { sql } from "@vercel/postgres"`). */
  readonly clients?: readonly string[];
  /**
   * Exported types whose values are clients (Carbon's `CommandInteraction`): a parameter declared
   * with one is a client of the library wherever no call passing it has been met.
   */
  readonly clientTypes?: readonly string[];
  /**
   * Methods the library's framework calls with a client as their first parameter, in classes that
   * extend one of its exported `bases` (Carbon's `run(interaction)` in a `Command`): typed or not.
   */
  readonly handlerParameters?: { readonly bases: readonly string[]; readonly methods: readonly string[] };
  /** The service's host when it is fixed (an API); null when it is the user's (a database URL). */
  readonly host: string | null;
  /** The target named when the address cannot be resolved (a database URL held in a secret). */
  readonly fallbackTarget: string;
  readonly distribution: "single-homed" | "global";
  /** Why the back end is single-homed or globally distributed. */
  readonly why: string;
  /** What one call costs, in words (the README table). */
  readonly cost: string;
  readonly sends?: readonly string[];
  readonly builders?: readonly string[];
  /**
   * Methods that send nothing (they work in the Worker or only build). A dotted entry names the end
   * of a method path (`"webhooks.verify"`: `resend.webhooks.verify(...)`, not `resend.domains.verify(...)`).
   */
  readonly free?: readonly string[];
  /** Calling the client itself is a helper, not a query (postgres.js: `sql(rows)` inside a query). */
  readonly selfCallFree?: true;
  /** Calls that give back the client they are made on, extended (`prisma.$extends({...})`). */
  readonly extends?: readonly string[];
  readonly batches?: readonly string[];
  /**
   * Interactive transaction methods, by the round trips the transaction makes around its callback's
   * queries: the first before the callback runs (BEGIN, or the request that starts it), the rest
   * after it (COMMIT). A driver whose transaction fails instead says so (DRIZZLE_DRIVERS).
   */
  readonly transactions?: Readonly<Record<string, number>>;
  readonly connects?: readonly string[];
  /**
   * A model call's included relations are each read with a query of their own after it (Prisma's
   * query engine, run in the Worker over a driver adapter: see prismaRelations.ts).
   */
  readonly relationQueries?: true;
  /** Round trips of a method, by its name or a dotted end of its path (`"receiving.forward"`). */
  readonly counts?: Readonly<Record<string, number>>;
  /**
   * Counts that replace `counts` when the client's options keep sessions in a Workers KV
   * `secondaryStorage` (better-auth): the session reads and writes go to KV, not the database.
   */
  readonly kvSessionCounts?: Readonly<Record<string, number>>;
  /** Methods whose round trips depend on the request; "*" for every method not in `counts` or `free`. */
  readonly routeDependent?: readonly string[];
  readonly functions?: Readonly<Record<string, number | "route">>;
  /**
   * Functions of `functions` that serve the library's routes from a framework's hook and hand every
   * other request on (better-auth's `svelteKitHandler`): counted on the library's route only.
   */
  readonly routeFunctions?: readonly string[];
  /** `authenticate(name, request)` runs a registered strategy, then the app's verify function (remix-auth, see remixAuth.ts). */
  readonly strategies?: true;
  /**
   * Methods that call store objects the app gives the factory's options (@atproto/oauth-client's
   * `stateStore` and `sessionStore`), in the order the library awaits them: a number is that many of
   * the library's own sequential round trips, `"option.method"` the app's method, walked where it is
   * called. The method's `counts` entry is the sum of the numbers.
   */
  readonly storeSequences?: Readonly<Record<string, ReadonlyArray<number | string>>>;
  /**
   * An SMTP sender (smtp.ts): its client's host is the one its transport options name (`host`, an
   * `smtp://` URL, or a well-known `service`), options that make a transport sending nothing make
   * calls that are no round trips, and a transport it does not know makes them unknown.
   * `staticCalls`: round trips of `Class.method(...)` calls on its exported class
   * (`WorkerMailer.send(options, email)`), which connect and send in one call.
   */
  readonly smtp?: SmtpSpec & { readonly staticCalls?: Readonly<Record<string, number>> };
  readonly wrapsBackend?: true;
  /** Without a back end in its arguments it still connects by itself (Prisma's engine to its DATABASE_URL). */
  readonly ownConnection?: true;
  /** Properties of the factory's options object that hold the service's URL (`new AtpAgent({ service })`). */
  readonly urlOptions?: readonly string[];
  /** The `[vars]` entry the client reads its URL from when it is not given one (`Redis.fromEnv(env)`). */
  readonly urlVar?: string;
  /** Methods whose result is a connection of the same back end (`await pool.connect()`). */
  readonly connections?: readonly string[];
  /** Methods that start a pipeline: the commands queued on it are sent together by `exec()`. */
  readonly pipelines?: readonly string[];
  /** Package prefixes of adapters made for this library: they take a client, and are not unknown libraries. */
  readonly adapters?: readonly string[];
  /**
   * An ORM whose options name the driver (TypeORM's `new DataSource({ type: "postgres" })`): the
   * option, and the back end each driver reaches (named like the driver library's fallback target).
   * A URL, a client or a binding in the options is used first; a driver not listed is named by
   * its own `type` string.
   */
  readonly driverOption?: { readonly option: string; readonly targets: Readonly<Record<string, string>> };
  /**
   * A framework whose back end is the database adapter its config names (Payload's `buildConfig({
   * db: sqliteD1Adapter({ binding }) })`): the config's `option`, and for each adapter package the
   * library whose back end it reaches when its arguments do not say (a URL, a client or a binding in
   * them is used first). An adapter not listed is unknown, named.
   */
  readonly configAdapter?: { readonly factory: string; readonly option: string; readonly adapters: Readonly<Record<string, string>> };
  /**
   * A query builder whose back end is the dialect its options name (Kysely's `new Kysely({ dialect:
   * new LibsqlDialect({ url }) })`): the option, and for each dialect class (by package and exported
   * name) the library whose back end it reaches, or "d1" for a D1 binding. Used when the dialect's
   * arguments do not say more (a URL, a client or a binding in them is used first), so a dialect
   * given its URL from a secret or a parameter is still that database, its host unnamed.
   */
  readonly dialects?: {
    readonly option: string;
    /**
     * The key under which the option's value holds the dialect when that value is an options
     * object rather than a dialect (better-auth's `database: { dialect, type: "sqlite" }`).
     */
    readonly nestedOption?: string;
    readonly classes: ReadonlyArray<{ readonly module: string; readonly names: readonly string[]; readonly reaches: string }>;
  };
  /** The subrequest kind of its calls (default "sdk"). */
  readonly kind?: SubrequestKind;
  /**
   * Its factories are given a Durable Object namespace binding (their first argument) and give back
   * one of its stubs (`getContainer(env.APP, "main")` of `@cloudflare/containers`): calls on the
   * stub are calls on that binding's Durable Object, not back-end round trips.
   */
  readonly bindingStubs?: true;
  /**
   * Functions that run the `execute` functions of the `tools` they are given during the call, after
   * the model answers (the worst tool counts; `maxSteps` / `stopWhen` ask the model once more).
   */
  readonly runsTools?: readonly string[];
  /**
   * The option naming the model a call uses (`model: openai("gpt-4o")`) and the hosts of the
   * provider packages that make models: the call goes to the provider's API (a `baseURL` option
   * of the provider's factory, `createOpenAI({ baseURL })`, wins); `bindings` are providers over
   * a binding (Workers AI), whose calls are binding calls. A model that cannot be traced to a
   * provider keeps the entry's `fallbackTarget`.
   */
  readonly models?: {
    readonly option: string;
    readonly hosts: Readonly<Record<string, string>>;
    readonly bindings: Readonly<Record<string, SubrequestKind>>;
    /**
     * The provider a plain string model id goes to (`model: "openai/gpt-4o"`), unless the Worker
     * sets `globalThis.<defaultProvider.global>` to a provider: `host`, also reached through the
     * library's own `exports` that make it (`gateway("openai/gpt-4o")`).
     */
    readonly defaultProvider?: { readonly host: string; readonly global: string; readonly exports: readonly string[] };
    /**
     * A registry of providers (`createProviderRegistry({ google, openai })`, one of `factories`),
     * whose `methods` take a `"provider/model"` id (`registry.languageModel("google/gemini-2.5-pro")`):
     * the provider is the key before the separator (`separatorOption` of the registry's options,
     * else `separator`). When the registry cannot be read, a well-known key of `prefixes` names the host.
     */
    readonly registries?: {
      readonly factories: readonly string[];
      readonly methods: readonly string[];
      readonly separator: string;
      readonly separatorOption: string;
      readonly prefixes: Readonly<Record<string, string>>;
    };
  };
  /**
   * A general HTTP client (ky, axios, ofetch): each call sends one request to the URL it is given
   * (its first argument, or the `url` of an options object), resolved against the base URL the
   * client was made with (one of these option names, or the factory's string argument); the
   * target is that URL's host, classified like a fetch's. A URL that cannot be resolved makes an
   * unknown subrequest naming the library, never nothing.
   */
  readonly http?: { readonly baseOptions: readonly string[] };
  /**
   * Exported functions that call the client method they are given as a value (not called, their
   * first argument) once per page until the last (`iteratePaginatedAPI(notion.blocks.children.list,
   * { block_id })`): a loop of round trips to the client's back end.
   */
  readonly paginators?: readonly string[];
  /** How its `functions` name the authorization server they send to (oauth4webapi, openid-client 6). */
  readonly authorizationServer?: AuthorizationServerArgument;
  /** Exported functions that do their work in the Worker (Clerk's `getAuth`, which verifies a JWT): never round trips. */
  readonly local?: readonly string[];
  /**
   * Route middleware factories that sign a user in with an OAuth provider (@hono/oauth-providers'
   * `githubAuth(options)`), by the provider each speaks to (a key of AUTHJS_PROVIDERS): on the
   * callback request the middleware exchanges the code for a token, then fetches the user, before
   * the route's handler runs: two sequential round trips.
   */
  readonly oauthMiddleware?: Readonly<Record<string, string>>;
  /**
   * Factories that each make a client of a different service (arctic's provider classes: `new
   * GitHub(...)`, `new Google(...)`), by the host their calls reach; null when the factory's first
   * argument names it (a tenant's domain or base URL: `new Auth0(domain, ...)`). Overrides `host`.
   */
  readonly factoryHosts?: Readonly<Record<string, string | null>>;
  /**
   * A client whose reads may go to a CDN (Sanity's `useCdn`): unless the factory's `option` is
   * `false`, the `methods` go to `host`, globally distributed; everything else to the entry's
   * `host`. `prefixOption` names the option whose value prefixes both hosts (`projectId`).
   */
  readonly cdn?: {
    readonly option: string;
    readonly host: string;
    readonly methods: readonly string[];
    readonly prefixOption?: string;
    readonly why: string;
  };
}

/** Whether a method path (`["webhooks", "verify"]`) ends with an entry's dotted path (`"webhooks.verify"`). */
function endsWithPath(methods: readonly string[], dotted: string): boolean {
  const parts = dotted.split(".");
  if (parts.length > methods.length) return false;
  const offset = methods.length - parts.length;
  return parts.every((part, i) => methods[offset + i] === part);
}

/** Whether a call along this method path sends nothing: one of its methods is free, or its path ends with a dotted free entry. */
export function isFreeMethodPath(library: Library, methods: readonly string[]): boolean {
  return (library.free ?? []).some((entry) => (entry.includes(".") ? endsWithPath(methods, entry) : methods.includes(entry)));
}

/** The round trips a table gives a method path: a dotted key matching the path's end first, then its last method's name. */
export function methodPathCount(table: Readonly<Record<string, number>> | undefined, methods: readonly string[]): number | undefined {
  if (!table) return undefined;
  for (const [key, count] of Object.entries(table)) if (key.includes(".") && endsWithPath(methods, key)) return count;
  const last = methods[methods.length - 1] ?? "";
  return Object.prototype.hasOwnProperty.call(table, last) ? table[last] : undefined;
}

/** The interactive transaction method along a method path (`["transaction", "execute"]`: Kysely's), if any. */
export function transactionMethod(library: Library, methods: readonly string[]): string | undefined {
  const transactions = library.transactions;
  return transactions ? methods.find((m) => Object.prototype.hasOwnProperty.call(transactions, m)) : undefined;
}

const REGIONAL_DATABASE = "a database lives in the region it was created in";

const SMTP_SERVER = "an SMTP server is one host where it is hosted, in one region";

/**
 * nodemailer's well-known services (its `lib/well-known/services.json`), the common ones, by the
 * name, alias or mail domain it accepts (normalized: see serviceKey), and their SMTP hosts.
 */
const NODEMAILER_SERVICES: Readonly<Record<string, string>> = {
  gmail: "smtp.gmail.com",
  googlemail: "smtp.gmail.com",
  "gmail.com": "smtp.gmail.com",
  "googlemail.com": "smtp.gmail.com",
  hotmail: "smtp-mail.outlook.com",
  outlook: "smtp-mail.outlook.com",
  "outlook.com": "smtp-mail.outlook.com",
  "hotmail.com": "smtp-mail.outlook.com",
  outlook365: "smtp.office365.com",
  yahoo: "smtp.mail.yahoo.com",
  "yahoo.com": "smtp.mail.yahoo.com",
  icloud: "smtp.mail.me.com",
  zoho: "smtp.zoho.com",
  fastmail: "smtp.fastmail.com",
  sendgrid: "smtp.sendgrid.net",
  mailgun: "smtp.mailgun.org",
  postmark: "smtp.postmarkapp.com",
  postmarkapp: "smtp.postmarkapp.com",
  sendinblue: "smtp-relay.brevo.com",
  brevo: "smtp-relay.brevo.com",
  mailjet: "in.mailjet.com",
  resend: "smtp.resend.com",
  ses: "email-smtp.us-east-1.amazonaws.com",
  mailtrap: "live.smtp.mailtrap.io",
};

/**
 * Auth.js's framework integrations: the functions that make its request handler from a config
 * (whose result serves the auth routes under `basePath`), and the functions that read the session.
 */
export const AUTHJS_FRAMEWORKS: Readonly<
  Record<string, { readonly factories: readonly string[]; readonly basePath: string; readonly sessions: readonly string[] }>
> = {
  "@auth/sveltekit": { factories: ["SvelteKitAuth"], basePath: "/auth", sessions: [] },
  "next-auth": { factories: ["NextAuth", "default"], basePath: "/api/auth", sessions: ["getServerSession"] },
  "next-auth/next": { factories: ["NextAuth", "default"], basePath: "/api/auth", sessions: ["getServerSession"] },
  "@auth/nextjs": { factories: ["NextAuth", "default"], basePath: "/api/auth", sessions: [] },
  "@auth/qwik": { factories: ["QwikAuth$"], basePath: "/auth", sessions: [] },
  "@auth/solid-start": { factories: ["SolidAuth"], basePath: "/api/auth", sessions: ["getSession"] },
  "@hono/auth-js": { factories: ["initAuthConfig"], basePath: "/api/auth", sessions: ["getAuthUser"] },
};

/**
 * OAuth providers by the name of their module (`@auth/core/providers/github`): the hosts an OAuth
 * callback reaches, the token exchange first, then the user's profile.
 */
export const AUTHJS_PROVIDERS: Readonly<Record<string, readonly [string, string]>> = {
  github: ["github.com", "api.github.com"],
  google: ["oauth2.googleapis.com", "openidconnect.googleapis.com"],
  discord: ["discord.com", "discord.com"],
  gitlab: ["gitlab.com", "gitlab.com"],
  facebook: ["graph.facebook.com", "graph.facebook.com"],
  slack: ["slack.com", "slack.com"],
  spotify: ["accounts.spotify.com", "api.spotify.com"],
  twitch: ["id.twitch.tv", "id.twitch.tv"],
  linkedin: ["www.linkedin.com", "api.linkedin.com"],
  x: ["api.x.com", "api.x.com"],
  msentra: ["login.microsoftonline.com", "graph.microsoft.com"],
};

/**
 * Auth.js providers whose profile read may ask once more: the GitHub provider reads `/user/emails`
 * at the same host when the user's profile has no public e-mail address (its `userinfo.request`).
 */
export const AUTHJS_EMAIL_LOOKUPS: ReadonlySet<string> = new Set(["github"]);

/**
 * arctic's provider classes and the host of their token endpoint (arctic's sources); null: the
 * domain or base URL the constructor is given first (a tenant of a hosted identity service).
 */
const ARCTIC_PROVIDERS: Readonly<Record<string, string | null>> = {
  GitHub: "github.com",
  Google: "oauth2.googleapis.com",
  Discord: "discord.com",
  Twitch: "id.twitch.tv",
  Spotify: "accounts.spotify.com",
  GitLab: "gitlab.com",
  Facebook: "graph.facebook.com",
  Slack: "slack.com",
  LinkedIn: "www.linkedin.com",
  MicrosoftEntraId: "login.microsoftonline.com",
  Apple: "appleid.apple.com",
  Reddit: "www.reddit.com",
  Auth0: null,
  Okta: null,
  KeyCloak: null,
  Authentik: null,
  AmazonCognito: null,
  Gitea: null,
  Zitadel: null,
};

/**
 * Kysely's dialect classes (by package and exported name) and the library whose back end each
 * reaches, or "d1" for a D1 binding: read for Kysely's `dialect` and better-auth's `database`.
 */
const KYSELY_DIALECTS: NonNullable<Library["dialects"]>["classes"] = [
  { module: "kysely", names: ["PostgresDialect"], reaches: "pg" },
  { module: "kysely", names: ["MysqlDialect"], reaches: "mysql2" },
  { module: "@libsql/kysely-libsql", names: ["LibsqlDialect"], reaches: "@libsql/client" },
  { module: "kysely-libsql", names: ["LibsqlDialect"], reaches: "@libsql/client" },
  { module: "kysely-d1", names: ["D1Dialect"], reaches: "d1" },
  { module: "kysely-neon", names: ["NeonDialect", "NeonHTTPDialect"], reaches: "@neondatabase/serverless" },
  { module: "kysely-planetscale", names: ["PlanetScaleDialect"], reaches: "@planetscale/database" },
  { module: "kysely-postgres-js", names: ["PostgresJSDialect"], reaches: "postgres" },
];

export const LIBRARIES: readonly Library[] = [
  // ---- databases over the network ----
  {
    name: "PostgreSQL (pg)",
    family: "database",
    packages: ["pg"],
    factories: ["Client", "Pool"],
    host: null,
    fallbackTarget: "postgresql",
    distribution: "single-homed",
    why: REGIONAL_DATABASE,
    cost: "each query, `connect()` and `pool.connect()`: one round trip (over Hyperdrive, connecting reaches Hyperdrive's pool near the Worker: not counted); `end()` (closing): none",
    // `end()` closes the connection: it sends Terminate, which the server does not answer (it closes
    // the socket), so it is no request and response the Worker waits on.
    free: ["on", "once", "off", "release", "removeListener", "escapeLiteral", "escapeIdentifier", "end"],
    connections: ["connect"],
  },
  {
    name: "PostgreSQL (postgres.js)",
    family: "database",
    packages: ["postgres"],
    factories: ["*"],
    host: null,
    fallbackTarget: "postgresql",
    distribution: "single-homed",
    why: REGIONAL_DATABASE,
    cost: "each tagged template query (`` sql`...` ``) or `sql.unsafe()`: one round trip; `sql(rows)` helpers and fragments nested in a query: none; `sql.begin(async (sql) => ...)`: each query in it, and two more (BEGIN, awaited before the callback runs, and COMMIT after it); `sql.end()` (closing): none",
    selfCallFree: true,
    // `sql.end()` closes the connections (Terminate, which the server does not answer): no round trip.
    free: ["json", "array", "typed", "end"],
    // postgres.js `begin()`: `begin` is awaited on a reserved connection, then the callback, then `commit`.
    transactions: { begin: 2 },
  },
  {
    name: "Neon",
    family: "database",
    packages: ["@neondatabase/serverless"],
    factories: ["neon", "Pool", "Client"],
    host: null,
    fallbackTarget: "neon",
    distribution: "single-homed",
    why: "a Neon project lives in one region",
    cost: "each query (`` sql`...` ``, `sql.query()`, `pool.query()`): one round trip; `sql.transaction([...])`: one",
    free: ["on", "release"],
    connections: ["connect"],
    batches: ["transaction"],
  },
  {
    name: "Vercel Postgres",
    family: "database",
    packages: ["@vercel/postgres"],
    factories: ["createClient", "createPool"],
    clients: ["sql", "db"],
    host: null,
    fallbackTarget: "postgresql",
    distribution: "single-homed",
    why: "a Neon database underneath, in one region",
    cost: "each query: one round trip",
  },
  {
    name: "MySQL (mysql2)",
    family: "database",
    packages: ["mysql2", "mysql2/promise"],
    factories: ["createConnection", "createPool", "createPoolCluster"],
    host: null,
    fallbackTarget: "mysql",
    distribution: "single-homed",
    why: REGIONAL_DATABASE,
    cost: "`createConnection()` itself (the handshake) and each `query()`/`execute()`: one round trip (over Hyperdrive, `createConnection()` and `pool.getConnection()` reach Hyperdrive's pool near the Worker: not counted)",
    connects: ["createConnection"],
    free: ["on", "once", "release", "format", "escape", "escapeId"],
    connections: ["getConnection"],
  },
  {
    name: "PlanetScale",
    family: "database",
    packages: ["@planetscale/database"],
    factories: ["connect", "Client"],
    host: null,
    fallbackTarget: "planetscale",
    distribution: "single-homed",
    why: "a database's primary lives in one region",
    cost: "each `execute()`: one round trip; `transaction(async (tx) => ...)`: each query in it, and two more (its `BEGIN` and `COMMIT` are HTTP requests of their own)",
    builders: ["connection"],
    // The serverless driver's `transaction(fn)` executes `BEGIN` on a new session, then fn, then `COMMIT`.
    transactions: { transaction: 2 },
  },
  {
    name: "libSQL/Turso",
    family: "database",
    packages: ["@libsql/client", "@libsql/client/web", "@libsql/client/http"],
    factories: ["createClient"],
    host: null,
    fallbackTarget: "libsql",
    distribution: "single-homed",
    why: "a Turso database has one primary location (edge replicas are deprecated; embedded replicas need a file system)",
    cost: "each `execute()`, `batch([...])` (one for the batch) and `migrate()`: one round trip; `transaction()`: one, then each `execute()`, `commit()` and `rollback()` on the transaction one more",
    free: ["close"],
    // `const tx = await client.transaction("write")`: an interactive transaction, one stream of the
    // same database; each statement on it waits for the database's answer (HTTP included).
    connections: ["transaction"],
  },
  {
    name: "RavenDB",
    family: "database",
    packages: ["ravendb"],
    factories: ["DocumentStore"],
    host: null,
    fallbackTarget: "ravendb",
    distribution: "single-homed",
    why: "a RavenDB cluster (self-hosted or RavenDB Cloud) runs its nodes in one region",
    cost: "each `load()`, `saveChanges()`, query result (`query(...).all()`, `first()`, `count()`, ...), `maintenance.send()` and `operations.send()`: one round trip to the configured node; `openSession()`, `store()`, `delete()` and query building stay in the Worker",
    sends: [
      "load",
      "loadStartingWith",
      "loadIntoStream",
      "exists",
      "refresh",
      "saveChanges",
      "all",
      "first",
      "firstOrNull",
      "single",
      "singleOrNull",
      "count",
      "longCount",
      "any",
      "stream",
      "send",
      "get",
    ],
    free: ["initialize", "openSession", "store", "delete", "dispose", "addEventListener", "removeEventListener"],
  },
  {
    name: "MongoDB",
    family: "database",
    packages: ["mongodb"],
    factories: ["MongoClient"],
    host: null,
    fallbackTarget: "mongodb",
    distribution: "single-homed",
    why: "an Atlas cluster lives in one region (global clusters are opt-in)",
    cost: "each operation (`findOne()`, `insertOne()`, `find().toArray()`, ...): one round trip; `db()`, `collection()`, `find()` only build",
    sends: [
      "connect",
      "command",
      "toArray",
      "next",
      "hasNext",
      "tryNext",
      "forEach",
      "findOne",
      "insertOne",
      "insertMany",
      "updateOne",
      "updateMany",
      "replaceOne",
      "deleteOne",
      "deleteMany",
      "countDocuments",
      "estimatedDocumentCount",
      "distinct",
      "findOneAndUpdate",
      "findOneAndDelete",
      "findOneAndReplace",
      "bulkWrite",
      "createIndex",
      "drop",
    ],
  },
  {
    // realm-web (App.ts, Authenticator.ts, User.ts): `logIn` asks the app's location once per App
    // instance (a new App per request asks every time), then sends the login, then fetches the
    // user's profile (`fetchProfile`, on by default); reusing an anonymous user of the same App
    // skips the login, never the profile. The worst case counts.
    name: "Atlas App Services (realm-web)",
    family: "database",
    packages: ["realm-web"],
    factories: ["App"],
    host: "services.cloud.mongodb.com",
    fallbackTarget: "services.cloud.mongodb.com",
    distribution: "single-homed",
    why: "the app's location request names the region it is deployed in; we assume a single-region deployment (the default): a global deployment answers near the user",
    cost: "`app.logIn(credentials)`: three sequential round trips (the app's location, the login, the user's profile); each call of a collection of `user.mongoClient(service).db(name).collection(name)` (`find()`, `insertOne()`, ...), of `user.functions.X()` or `user.callFunction()`: one; `mongoClient()`, `db()`, `collection()` only build; `app.currentUser` and `Credentials.*()` send nothing",
    counts: { logIn: 3 },
    // The user `logIn` gives back makes the calls: `user.mongoClient(...)...find()`, `user.functions.f()`.
    connections: ["logIn"],
    builders: ["mongoClient", "db", "collection"],
    free: ["switchUser"],
  },
  {
    name: "Upstash Redis",
    family: "cache",
    packages: ["@upstash/redis", "@upstash/redis/cloudflare"],
    factories: ["Redis"],
    host: null,
    fallbackTarget: "upstash",
    distribution: "single-homed",
    why: "REST calls to one database; we assume a regional database (the default): a global database replicates reads near users, but writes go to its primary region",
    cost: "each command: one round trip; `pipeline()`/`multi()` then `exec()`: one",
    pipelines: ["pipeline", "multi"],
    urlVar: "UPSTASH_REDIS_REST_URL",
  },
  {
    name: "Upstash Vector",
    family: "database",
    packages: ["@upstash/vector"],
    factories: ["Index"],
    host: null,
    fallbackTarget: "upstash-vector",
    distribution: "single-homed",
    why: "REST calls to one index, which lives in the region it was created in",
    cost: "each call (`query()`, `upsert()`, `fetch()`, `delete()`, `range()`, `info()`, ...): one round trip to the index's region; `namespace()` only builds",
    builders: ["namespace"],
    urlVar: "UPSTASH_VECTOR_REST_URL",
  },
  {
    name: "Vercel KV",
    family: "cache",
    packages: ["@vercel/kv"],
    factories: ["createClient"],
    clients: ["kv"],
    host: null,
    fallbackTarget: "upstash",
    distribution: "single-homed",
    why: "Upstash Redis underneath, assumed regional",
    cost: "each command: one round trip",
  },
  {
    name: "Supabase",
    family: "database",
    packages: ["@supabase/supabase-js", "@supabase/ssr"],
    factories: ["createClient", "createServerClient", "createBrowserClient"],
    host: null,
    fallbackTarget: "supabase",
    distribution: "single-homed",
    why: "a Supabase project (Postgres, Auth, Storage) lives in one region",
    cost: "each query chain (`from().select()...`), `rpc()`, `auth.getUser()`, storage call, and in 1.x `auth.api.getUser()`, `auth.signIn()`, `auth.signOut()`: one round trip to the project's region; `from()`/`schema()` alone, `channel()`, `auth.getSession()`, `getPublicUrl()`, `functions.setAuth()`, and in 1.x `auth.setAuth()`, `auth.session()`, `auth.user()`, the `auth.api` cookie and provider URL helpers: none",
    builders: ["from", "schema"],
    free: [
      "channel",
      "removeChannel",
      "removeAllChannels",
      "getChannels",
      "onAuthStateChange",
      "getSession",
      "getPublicUrl",
      // Only set the Authorization header the functions client sends with its next invoke().
      "functions.setAuth",
      // supabase-js 1.x (gotrue-js 1.x): `setAuth(token)` only stores the token in the client's
      // session (the header later requests carry), `session()`/`user()` read that session, and these
      // `auth.api` helpers build a URL or read and write cookies on the objects they are given.
      "auth.setAuth",
      "auth.session",
      "auth.user",
      "api.getUrlForProvider",
      "api.setAuthCookie",
      "api.deleteAuthCookie",
      "api.getAuthCookieString",
      // 1.x realtime subscriptions: the WebSocket, like `channel()`/`removeChannel()` in 2.x.
      "getSubscriptions",
      "removeSubscription",
      "removeAllSubscriptions",
    ],
  },
  // ---- ORMs and query builders over a driver ----
  {
    name: "Drizzle",
    family: "orm",
    packages: [
      "drizzle-orm/node-postgres",
      "drizzle-orm/postgres-js",
      "drizzle-orm/neon-http",
      "drizzle-orm/neon-serverless",
      "drizzle-orm/libsql",
      "drizzle-orm/planetscale-serverless",
      "drizzle-orm/mysql2",
      "drizzle-orm/d1",
      "drizzle-orm/vercel-postgres",
    ],
    factories: ["drizzle"],
    host: null,
    fallbackTarget: "drizzle",
    distribution: "single-homed",
    why: "the driver's database (D1 is a binding)",
    cost: "each awaited query chain (`db.select().from(t).where(...)`, `db.query.t.findMany()`, `db.execute()`): one round trip to the driver's database; `db.batch([...])`: one; `db.transaction(async (tx) => ...)`: each query in it, and two more (BEGIN before the callback, COMMIT after it; over libSQL the transaction's start and its commit); over neon-http none at all (its `transaction` throws before the callback runs), over D1 one (its `begin` is rejected, the callback never runs)",
    wrapsBackend: true,
    free: ["$with", "as", "toSQL", "getSQL"],
    builders: ["$dynamic", "prepare"],
    batches: ["batch"],
    // Every session's `transaction()` (node-postgres, postgres-js, neon-serverless, mysql2,
    // planetscale-serverless, libsql, vercel-postgres) runs `begin`, the callback, then `commit`.
    transactions: { transaction: 2 },
  },
  {
    name: "Prisma",
    family: "orm",
    // `/wasm` is the build Workers import with a driver adapter (Remix, React Router templates).
    packages: ["@prisma/client", "@prisma/client/wasm"],
    factories: ["PrismaClient"],
    host: null,
    fallbackTarget: "prisma",
    distribution: "single-homed",
    why: "the database behind the driver adapter (D1 is a binding)",
    cost: 'each model call (`prisma.user.findMany()`), `$queryRaw`/`$executeRaw`: one round trip, and one more after it for each relation it includes (`include: { author: true }`, or a relation chosen in `select` with an object), nested ones after those (unless `relationLoadStrategy: "join"`, or `relationJoins` in the schema on PostgreSQL or MySQL); `$transaction([...])`: one; `$transaction(async (tx) => ...)`: each awaited call on `tx`, and two more (the transaction started, then committed); over D1 none (Prisma rejects interactive transactions on D1 before the callback runs)',
    wrapsBackend: true,
    ownConnection: true,
    relationQueries: true,
    adapters: ["@prisma/adapter-", "@prisma/extension-"],
    // Opening and closing the client are not queries (a connection is made with the first one).
    free: ["$extends", "$on", "$use", "$connect", "$disconnect"],
    extends: ["$extends"],
    batches: ["$transaction"],
    // An interactive transaction: the adapter's BEGIN before the callback, COMMIT after it.
    transactions: { $transaction: 2 },
  },
  {
    name: "Prisma Accelerate",
    family: "orm",
    packages: ["@prisma/client/edge"],
    factories: ["PrismaClient"],
    host: "accelerate.prisma-data.net",
    fallbackTarget: "accelerate.prisma-data.net",
    distribution: "single-homed",
    why: "Accelerate's pool runs next to the database, in its region",
    cost: "as Prisma, over HTTP to Accelerate (an interactive `$transaction`: a request that starts it and one that commits it, around the calls on `tx`)",
    free: ["$extends", "$on", "$use"],
    batches: ["$transaction"],
    transactions: { $transaction: 2 },
  },
  {
    name: "Kysely",
    family: "orm",
    packages: ["kysely"],
    factories: ["Kysely"],
    host: null,
    fallbackTarget: "kysely",
    distribution: "single-homed",
    why: "the dialect's database (D1 is a binding)",
    cost: "`execute()`, `executeTakeFirst()`, `executeTakeFirstOrThrow()` end a query: one round trip; the builder calls before them: none; `transaction().execute(async (trx) => ...)`: each query in it, and two more (the dialect's BEGIN and COMMIT); over D1 none (the D1 dialect rejects transactions before the callback runs)",
    wrapsBackend: true,
    adapters: ["kysely-", "@libsql/kysely-libsql"],
    dialects: {
      option: "dialect",
      classes: KYSELY_DIALECTS,
    },
    sends: ["execute", "executeTakeFirst", "executeTakeFirstOrThrow", "stream"],
    transactions: { transaction: 2 },
  },
  {
    name: "Cloudflare Containers",
    family: "api",
    packages: ["@cloudflare/containers"],
    factories: ["getContainer", "getRandom", "loadBalance"],
    host: null,
    fallbackTarget: "container",
    distribution: "single-homed",
    why: "a container runs behind a Durable Object of the Worker's own (a binding), where that object lives: not a back end",
    cost: "`getContainer(binding, name)`, `getRandom(binding, n)` and `loadBalance(binding, n)` give a stub of the container's Durable Object (as `binding.get(id)` does): its calls (`fetch(request)`, `startAndWaitForPorts()`) are calls on that Durable Object, a binding, not back-end round trips",
    bindingStubs: true,
  },
  {
    name: "remult",
    family: "orm",
    packages: ["remult"],
    factories: ["repo"],
    clients: ["remult"],
    host: null,
    fallbackTarget: "remult",
    distribution: "single-homed",
    why: "the data provider's database (`createD1DataProvider(env.DB)`: D1, a binding)",
    cost: "each repository call (`repo(Task).find()`, `remult.repo(Task).findFirst()`, `insert()`, `save()`, `update()`, `delete()`, `count()`): one round trip to the data provider's database; `upsert()`: two (a find, then an insert or an update); `repo()`, `create()`, `getEntityRef()`, `metadata`: none",
    adapters: ["remult/remult-", "@nerdfolio/remult-better-auth"],
    builders: ["repo", "relations"],
    free: [
      "create",
      "getEntityRef",
      "fromJson",
      "toJson",
      "validate",
      "addEventListener",
      "liveQuery",
      "authenticated",
      "isAllowed",
      "clearAllCache",
      "useFetch",
    ],
    counts: { upsert: 2 },
  },
  {
    name: "TypeORM",
    family: "orm",
    packages: ["typeorm"],
    factories: ["DataSource"],
    host: null,
    fallbackTarget: "typeorm",
    distribution: "single-homed",
    why: "the driver's database, named by `type` (D1 is a binding)",
    cost: "`initialize()` (connecting), each repository or manager call (`find*()`, `insert()`, `query()`, `manager.*`): one round trip to the driver's database; `save()` and `remove()`: three (they run in a transaction of their own: start, the statement, commit); `getRepository()`, `createQueryBuilder()` and the builder calls: none, then the query builder's `getMany()`/`getOne()`/`execute()`: one; `create()`/`merge()` (entities in memory): none; `transaction(async (m) => ...)`: each query in it, and two more (start and commit, as `save()`'s own)",
    wrapsBackend: true,
    counts: { save: 3, remove: 3, softRemove: 3, recover: 3 },
    driverOption: {
      option: "type",
      targets: {
        postgres: "postgresql",
        "aurora-postgres": "postgresql",
        cockroachdb: "postgresql",
        mysql: "mysql",
        mariadb: "mysql",
        "aurora-mysql": "mysql",
        "planetscale-serverless": "planetscale",
        mongodb: "mongodb",
        mssql: "mssql",
        oracle: "oracle",
      },
    },
    builders: [
      "getRepository",
      "getTreeRepository",
      "getMongoRepository",
      "withRepository",
      "createQueryBuilder",
      "select",
      "addSelect",
      "from",
      "where",
      "andWhere",
      "orWhere",
      "leftJoin",
      "leftJoinAndSelect",
      "innerJoin",
      "innerJoinAndSelect",
      "orderBy",
      "addOrderBy",
      "groupBy",
      "having",
      "skip",
      "take",
      "limit",
      "offset",
      "setParameter",
      "setParameters",
      "into",
      "values",
      "returning",
    ],
    // `manager` and `repository.metadata` are properties, not calls; `create()`/`merge()` make entities in memory.
    free: ["create", "merge", "hasId", "getId", "destroy", "getMetadata", "hasMetadata"],
    transactions: { transaction: 2 },
  },
  // ---- auth servers that hide round trips ----
  {
    name: "Hono OAuth providers",
    family: "auth",
    packages: ["@hono/oauth-providers"],
    factories: [],
    host: null,
    fallbackTarget: "the OAuth provider",
    distribution: "single-homed",
    why: "the provider's token and user endpoints (Google's are globally distributed)",
    cost: "route middleware `githubAuth(options)`, `googleAuth`, `discordAuth`, ...: on the OAuth callback, two sequential round trips before the handler (the code exchanged for a token, then the user fetched); a provider the table does not know is counted as two and reported unknown",
    oauthMiddleware: {
      githubAuth: "github",
      googleAuth: "google",
      discordAuth: "discord",
      facebookAuth: "facebook",
      linkedinAuth: "linkedin",
      twitchAuth: "twitch",
      xAuth: "x",
      msentraAuth: "msentra",
    },
  },
  {
    name: "better-auth",
    family: "auth",
    packages: ["better-auth"],
    factories: ["betterAuth"],
    host: null,
    fallbackTarget: "better-auth",
    distribution: "single-homed",
    why: "its database (D1 is a binding)",
    cost: "`handler(request)` (also the route handlers `toNextJsHandler(auth)` makes): four, the worst of its common endpoints, which it serves at one URL: an email sign-up (user lookup by email, user insert, account insert, session insert) or a first OAuth sign-in (at least as many: state lookup, user and account lookups, inserts, session insert, besides the provider's token and profile calls); `api.getSession()` (and GET /get-session): two (the session, then its user); `api.signInEmail()`: three (user by email, its accounts, session insert); `api.signUpEmail()`: four; `api.signOut()`: one (session delete); with `secondaryStorage` over a Workers KV namespace the sessions live in KV (not a back end): `getSession()` and `signOut()` none, `handler` and `signUpEmail()` three, `signInEmail()` two; other endpoints: depend on the route, counted once and reported unknown",
    wrapsBackend: true,
    adapters: ["better-auth/"],
    // better-auth 1.x internal adapter: findSession reads the session then its user; findUserByEmail
    // with accounts reads the user then its accounts; createUser, linkAccount and createSession are
    // one insert each. A sign-up runs findUserByEmail, createUser, linkAccount, createSession.
    counts: { handler: 4, getSession: 2, signInEmail: 3, signUpEmail: 4, signOut: 1 },
    // With `secondaryStorage` over a KV namespace, findSession reads the session (with its user) from
    // KV and createSession / deleteSession write there: the database keeps the user and account work.
    kvSessionCounts: { handler: 3, getSession: 0, signInEmail: 2, signUpEmail: 3, signOut: 0 },
    // `export const { GET, POST } = toNextJsHandler(auth)` (better-auth/next-js): the same handler, per request.
    // `svelteKitHandler({ event, resolve, auth })` (better-auth/svelte-kit) in the handle hook: the
    // handler for the auth routes, else the app's own route (resolve); counted as the handler.
    functions: { toNextJsHandler: 4, svelteKitHandler: 4 },
    routeFunctions: ["svelteKitHandler"],
    routeDependent: ["*"],
    // `database: new LibsqlDialect({ url })` or `database: { dialect, type: "sqlite" }`: a Kysely
    // dialect, its database that of the dialect (better-auth runs its queries through Kysely).
    dialects: { option: "database", nestedOption: "dialect", classes: KYSELY_DIALECTS },
  },
  {
    name: "Payload",
    family: "orm",
    packages: ["@payloadcms/next/routes"],
    factories: [],
    host: null,
    fallbackTarget: "payload",
    distribution: "single-homed",
    why: "the database its config's `db` adapter reaches (D1 is a binding)",
    cost: "each REST or GraphQL request its route handlers serve (`REST_GET(config)`, `REST_POST`, `REST_PATCH`, `REST_PUT`, `REST_DELETE`, `GRAPHQL_POST`): three, the common case: the user the request's token names is read (the JWT strategy), then a paginated `find` counts its matches and reads the page (the drizzle adapters await the count before the rows; a login reads the user then updates it); `REST_OPTIONS`: none (CORS headers)",
    // payload 3: handleEndpoints answers OPTIONS before authenticating; otherwise executeAuthStrategies
    // (JWT: findByID of the user), then the operation: find's findMany awaits countDistinct, then the rows.
    functions: { REST_GET: 3, REST_POST: 3, REST_PATCH: 3, REST_PUT: 3, REST_DELETE: 3, GRAPHQL_POST: 3 },
    local: ["REST_OPTIONS", "GRAPHQL_PLAYGROUND_GET"],
    configAdapter: {
      factory: "buildConfig",
      option: "db",
      adapters: {
        "@payloadcms/db-d1-sqlite": "d1",
        "@payloadcms/db-postgres": "pg",
        "@payloadcms/db-vercel-postgres": "@vercel/postgres",
        "@payloadcms/db-sqlite": "@libsql/client",
        "@payloadcms/db-mongodb": "mongodb",
      },
    },
  },
  {
    name: "Lucia",
    family: "auth",
    packages: ["lucia"],
    factories: ["Lucia"],
    host: null,
    fallbackTarget: "lucia",
    distribution: "single-homed",
    why: "its adapter's database (D1 is a binding)",
    cost: "`validateSession()`, `createSession()`, `invalidateSession()`, ...: one round trip; cookie helpers: none",
    wrapsBackend: true,
    adapters: ["@lucia-auth/adapter-"],
    free: ["createSessionCookie", "createBlankSessionCookie", "readSessionCookie", "readBearerToken", "generateId"],
  },
  {
    name: "Auth.js",
    family: "auth",
    packages: ["@auth/core", ...Object.keys(AUTHJS_FRAMEWORKS)],
    factories: [],
    functions: { Auth: "route" },
    host: null,
    fallbackTarget: "auth.js",
    distribution: "single-homed",
    why: "its adapter's database; the OAuth provider's hosts for a sign-in",
    cost: "`Auth(request, config)`: depends on the route (sign-in, callback, session), counted once and reported unknown. The framework integrations (`SvelteKitAuth`, `NextAuth`, `QwikAuth$`, `SolidAuth`, `@hono/auth-js`'s `initAuthConfig`) serve an OAuth callback route (`GET <base>/callback/<provider>`): the token exchange, then the user's profile, two round trips to the provider (three with GitHub, which also reads the user's e-mail addresses when the profile shows none); a session read (`auth()`, `locals.auth()`, `getSession()`, `getServerSession()`): none with JWT sessions (the default without an adapter: the cookie is read in the Worker), one to the adapter's database with database sessions (two with the D1, MongoDB and Firebase adapters: the session, then its user); with an adapter the callback also looks the user up by the account and, with database sessions, stores the session (D1: INSERT then SELECT), a first sign-in's user and account writes not counted; a provider or a session strategy that cannot be told is reported unknown, naming Auth.js",
    wrapsBackend: true,
    adapters: ["@auth/"],
  },
  {
    // oauth4webapi: each `*Request` function sends one request to the authorization server and
    // hands back the Response; the `process*Response` functions only read it (the ID token of a
    // token response is checked without its signature: it came straight from the token endpoint).
    // The functions that check a JWS signature (`validateJwtAccessToken`, JARM, hybrid and
    // application-level signatures) fetch the server's `jwks_uri`, cached per metadata object for
    // five minutes: one round trip for metadata made in the request.
    name: "oauth4webapi",
    family: "auth",
    packages: ["oauth4webapi"],
    factories: [],
    functions: {
      discoveryRequest: 1,
      resourceDiscoveryRequest: 1,
      authorizationCodeGrantRequest: 1,
      refreshTokenGrantRequest: 1,
      clientCredentialsGrantRequest: 1,
      genericTokenEndpointRequest: 1,
      deviceAuthorizationRequest: 1,
      deviceCodeGrantRequest: 1,
      backchannelAuthenticationRequest: 1,
      backchannelAuthenticationGrantRequest: 1,
      pushedAuthorizationRequest: 1,
      dynamicClientRegistrationRequest: 1,
      userInfoRequest: 1,
      introspectionRequest: 1,
      revocationRequest: 1,
      protectedResourceRequest: 1,
      validateJwtAccessToken: 1,
      validateApplicationLevelSignature: 1,
      validateIdTokenSignature: 1,
      validateJwtAuthResponse: 1,
      validateDetachedSignatureResponse: 1,
      validateCodeIdTokenResponse: 1,
    },
    authorizationServer: {
      urls: ["discoveryRequest", "resourceDiscoveryRequest"],
      metadata: ["processDiscoveryResponse"],
      options: ["issuer", "token_endpoint"],
      resources: { protectedResourceRequest: 2 },
    },
    local: [
      "processDiscoveryResponse",
      "processResourceDiscoveryResponse",
      "processAuthorizationCodeResponse",
      "processAuthorizationCodeOpenIDResponse",
      "processAuthorizationCodeOAuth2Response",
      "processRefreshTokenResponse",
      "processClientCredentialsResponse",
      "processGenericTokenEndpointResponse",
      "processDeviceAuthorizationResponse",
      "processDeviceCodeResponse",
      "processBackchannelAuthenticationResponse",
      "processBackchannelAuthenticationGrantResponse",
      "processPushedAuthorizationResponse",
      "processDynamicClientRegistrationResponse",
      "processUserInfoResponse",
      "processIntrospectionResponse",
      "processRevocationResponse",
      "calculatePKCECodeChallenge",
      "generateRandomCodeVerifier",
      "generateRandomState",
      "generateRandomNonce",
      "generateKeyPair",
      "getValidatedIdTokenClaims",
      "validateAuthResponse",
      "issueRequestObject",
      "formPostResponse",
      "ClientSecretPost",
      "ClientSecretBasic",
      "ClientSecretJwt",
      "PrivateKeyJwt",
      "TlsClientAuth",
      "None",
      "DPoP",
      "isDPoPNonceError",
      "parseWwwAuthenticateChallenges",
      "isOAuth2Error",
      "checkProtocol",
      "resolveEndpoint",
      "getContentType",
    ],
    host: null,
    fallbackTarget: "the authorization server",
    distribution: "single-homed",
    why: "an OAuth or OpenID Connect server answers from where it is hosted (a tenant's region, the project's own server)",
    cost: "each `*Request` function (`discoveryRequest`, `authorizationCodeGrantRequest`, `refreshTokenGrantRequest`, `userInfoRequest`, `introspectionRequest`, `revocationRequest`, ...): one round trip, to the issuer given to `discoveryRequest` (or to `processDiscoveryResponse` for the metadata it makes, or an object literal's `issuer`); `protectedResourceRequest(token, method, url)`: one, to `url`'s host; `validateJwtAccessToken`, `validateApplicationLevelSignature`, `validateJwtAuthResponse`, `validateDetachedSignatureResponse`, `validateCodeIdTokenResponse`: one (the server's `jwks_uri`, cached per metadata object); `process*Response`, `calculatePKCECodeChallenge`, `generateRandom*`, `validateAuthResponse`, `getValidatedIdTokenClaims`: none",
  },
  {
    // @atproto/oauth-client (the core under -node): every step is awaited in turn, and a client made
    // per request starts with empty in-memory caches. `authorize(handle)`: the handle resolved (DNS
    // TXT and HTTPS well-known together), the DID document, the PDS's protected-resource metadata,
    // the authorization server's metadata, then `stateStore.set`, then the pushed authorization
    // request. `callback(params)`: `stateStore.get` and `del`, the server's metadata (`fromIssuer`),
    // the token request, then the `sub` DID checked against the issuer (its document and the PDS's
    // metadata; the server's metadata is cached by then), then `sessionStore.set`. `restore(did)`:
    // `sessionStore.get`, then the server's metadata (a token refresh near expiry adds the token
    // request, the DID check and `sessionStore.set`: not counted). `revoke(did)`: `sessionStore.get`,
    // the metadata, the revocation request, then `sessionStore.del`. A DPoP nonce retry is not counted.
    name: "AT Protocol OAuth",
    family: "auth",
    packages: ["@atproto/oauth-client-node", "@atproto/oauth-client"],
    factories: ["NodeOAuthClient", "OAuthClient"],
    host: null,
    fallbackTarget: "bsky.social",
    distribution: "single-homed",
    why: "the account's PDS and authorization server (bsky.social's for most Bluesky users) are served from one region, and plc.directory, which holds DID documents, is one service",
    cost: "`authorize(handle)`: five (the handle resolved, the DID document at plc.directory, the PDS's protected-resource metadata, the authorization server's metadata; then the app's `stateStore.set`; then the pushed authorization request); `callback(params)`: the app's `stateStore.get` and `stateStore.del`, then four (the authorization server's metadata, the token request, the DID document and the PDS's metadata to check the issuer), then the app's `sessionStore.set`; `restore(did)`: the app's `sessionStore.get`, then one (the server's metadata; a token refresh near expiry is not counted); `revoke(did)`: `sessionStore.get`, two (metadata, revocation), then `sessionStore.del`. The app's store methods are followed where the library calls them",
    counts: { authorize: 5, callback: 4, restore: 1, revoke: 2 },
    storeSequences: {
      authorize: [4, "stateStore.set", 1],
      callback: ["stateStore.get", "stateStore.del", 4, "sessionStore.set"],
      restore: ["sessionStore.get", 1],
      revoke: ["sessionStore.get", 2, "sessionStore.del"],
    },
    free: ["addEventListener", "removeEventListener", "dispatchEvent"],
  },
  {
    // openid-client 6 is built on oauth4webapi: `discovery(server, clientId)` fetches the metadata
    // once and makes the Configuration every other function takes; `authorizationCodeGrant` sends
    // the token request only (its ID token signature is checked against the `jwks_uri`, one more
    // request, only after `enableNonRepudiationChecks(config)`, JARM or a hybrid response type).
    // openid-client 5: `Issuer.discover(url)` fetches the metadata; a client made by `new issuer.Client()`
    // sends `callback()` (the token request, then the issuer's JWKS to check the ID token's
    // signature, kept per Issuer), `userinfo()`, `refresh()`, ... one each.
    name: "openid-client",
    family: "auth",
    packages: ["openid-client"],
    functions: {
      discovery: 1,
      dynamicClientRegistration: 1,
      authorizationCodeGrant: 1,
      refreshTokenGrant: 1,
      clientCredentialsGrant: 1,
      genericGrantRequest: 1,
      initiateDeviceAuthorization: 1,
      initiateBackchannelAuthentication: 1,
      buildAuthorizationUrlWithPAR: 1,
      implicitAuthentication: 1,
      fetchUserInfo: 1,
      tokenIntrospection: 1,
      tokenRevocation: 1,
      fetchProtectedResource: 1,
    },
    authorizationServer: {
      urls: ["discovery", "dynamicClientRegistration"],
      metadata: ["discovery", "dynamicClientRegistration"],
      options: ["issuer"],
      resources: { fetchProtectedResource: 2 },
    },
    // openid-client 5: `Issuer.discover(url)` (the class's static call) is the round trip that makes
    // the issuer; calls on it and on the clients it makes (`new issuer.Client(...)`) are counted.
    factories: ["Issuer"],
    connects: ["Issuer"],
    counts: { callback: 2 },
    connections: ["Client", "FAPI1Client", "FAPI2Client"],
    free: ["callbackParams", "authorizationUrl", "endSessionUrl"],
    local: [
      "buildAuthorizationUrl",
      "buildAuthorizationUrlWithJAR",
      "buildEndSessionUrl",
      "randomPKCECodeVerifier",
      "calculatePKCECodeChallenge",
      "randomState",
      "randomNonce",
      "randomDPoPKeyPair",
      "getDPoPHandle",
      "ClientSecretPost",
      "ClientSecretBasic",
      "ClientSecretJwt",
      "PrivateKeyJwt",
      "TlsClientAuth",
      "None",
      "allowInsecureRequests",
      "setJwksCache",
      "getJwksCache",
      "enableNonRepudiationChecks",
      "useJwtResponseMode",
      "enableDetachedSignatureResponseChecks",
      "useCodeIdTokenResponseType",
      "useIdTokenResponseType",
      "enableDecryptingResponses",
    ],
    host: null,
    fallbackTarget: "the authorization server",
    distribution: "single-homed",
    why: "an OAuth or OpenID Connect server answers from where it is hosted (a tenant's region, the project's own server)",
    cost: "openid-client 6: `discovery(server, clientId)`, `authorizationCodeGrant()`, `refreshTokenGrant()`, `clientCredentialsGrant()`, `fetchUserInfo()`, `tokenIntrospection()`, `tokenRevocation()`: one round trip each, to the server given to `discovery` (`fetchProtectedResource(config, token, url)`: one, to `url`'s host) (the ID token's signature is not fetched for unless non-repudiation checks are enabled); `buildAuthorizationUrl()`, `randomPKCECodeVerifier()`, `calculatePKCECodeChallenge()`, `randomState()`: none. openid-client 5: `Issuer.discover(url)`: one; `client.callback()`: two (the token request, then the issuer's JWKS for the ID token, fetched once per Issuer); `client.oauthCallback()`, `client.userinfo()`, `client.refresh()`, `client.introspect()`, `client.revoke()`: one each; `client.authorizationUrl()`: none",
  },
  {
    // openauth's client.ts: `createClient({ clientID, issuer })` keeps the issuer's metadata and key
    // set in maps of that client; `verify` reads `<issuer>/.well-known/oauth-authorization-server`,
    // then its `jwks_uri`, each once per client, then checks the token in the Worker.
    name: "OpenAuth client",
    family: "auth",
    packages: ["@openauthjs/openauth/client"],
    factories: ["createClient"],
    host: null,
    urlOptions: ["issuer"],
    fallbackTarget: "the OpenAuth issuer",
    distribution: "single-homed",
    why: "the issuer is a Worker or server of the project's own (most often in one place, with its storage)",
    cost: "`verify(subjects, token)`: two, the issuer's metadata then its key set (`jwks_uri`), fetched once per client (a client made per request fetches them each time); an expired token with `refresh`: one more (the token endpoint); `exchange()`, `refresh()`, `revoke()`: one each (the issuer's token or revoke endpoint); `authorize()`, `pkce()`: none (a URL made in the Worker)",
    counts: { verify: 2 },
    free: ["authorize", "pkce"],
  },
  {
    // remix-auth 3: `new Authenticator(sessionStorage)`, strategies registered with `use(strategy, name?)`;
    // `authenticate(name, request)` runs the named strategy (see remixAuth.ts for what each sends),
    // then the app's verify function, then writes the session (a cookie or KV: no back end).
    name: "remix-auth",
    family: "auth",
    packages: ["remix-auth"],
    factories: ["Authenticator"],
    host: null,
    fallbackTarget: "the OAuth provider",
    distribution: "single-homed",
    why: "the provider's token and profile endpoints; the verify function's own back ends",
    cost: "`authenticate(name, request)`: what the named strategy sends on its callback request (an OAuth2 strategy exchanges the code at the provider's token URL, one; a provider's strategy then reads the user's profile, one more: Discord's two to discord.com; a form strategy none), then the app's verify function, followed; a strategy the analyser does not know: unknown, named; `isAuthenticated()`, `logout()`, `use()`, `unuse()`: none (the session storage)",
    free: ["isAuthenticated", "logout", "use", "unuse"],
    strategies: true,
  },
  {
    name: "Clerk",
    family: "auth",
    packages: [
      "@clerk/backend",
      "@clerk/remix/ssr.server",
      "@clerk/remix/api.server",
      "@clerk/react-router/ssr.server",
      "@clerk/react-router/server",
      "@clerk/react-router/api.server",
      "@clerk/nextjs/server",
      "@clerk/astro/server",
      "@clerk/tanstack-react-start/server",
      "@hono/clerk-auth",
    ],
    factories: ["createClerkClient", "Clerk", "clerkClient"],
    clients: ["clerkClient"],
    selfCallFree: true,
    functions: { currentUser: 1 },
    // Session checks verify the session JWT in the Worker: with `jwtKey` no network at all,
    // otherwise against Clerk's JWKS from the Backend API, one round trip (see clerkJwks.ts).
    local: [
      "verifyToken",
      "getAuth",
      "rootAuthLoader",
      "clerkMiddleware",
      "authenticateRequest",
      "auth",
      "verifyWebhook",
      "createRouteMatcher",
    ],
    free: ["authenticateRequest", "verifyToken"],
    host: "api.clerk.com",
    fallbackTarget: "api.clerk.com",
    distribution: "single-homed",
    why: "Clerk's Backend API is served from its own region, not from the edge; session checks verify the session JWT in the Worker, with `jwtKey` without any network, otherwise against Clerk's JWKS, read from the Backend API and cached in the isolate for five minutes",
    cost: "each Backend API call (`users.getUser()`, `currentUser()`, ...): one round trip; `authenticateRequest()`, `verifyToken()` and `@hono/clerk-auth`'s `clerkMiddleware()`: one (the JWKS read from api.clerk.com, cached in the isolate for five minutes) without `jwtKey` in their options or the client's, none with it; `getAuth()`, `rootAuthLoader()`, a framework's `clerkMiddleware()`: none (local JWT verification)",
  },
  {
    name: "WorkOS",
    family: "auth",
    packages: ["@workos-inc/node"],
    factories: ["WorkOS"],
    host: "api.workos.com",
    fallbackTarget: "api.workos.com",
    distribution: "single-homed",
    why: "an API served from one region",
    cost: "each call: one round trip",
  },
  // ---- general HTTP clients: the back end is the URL they are given ----
  {
    name: "ky",
    family: "http",
    packages: ["ky"],
    clients: ["default"],
    factories: ["create"],
    builders: ["create", "extend"],
    http: { baseOptions: ["prefixUrl", "prefix"] },
    kind: "fetch",
    host: null,
    fallbackTarget: "ky",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "`ky(url)`, `ky.get/post/...(url)` and calls on `ky.create({ prefixUrl })` / `.extend(...)`: one round trip each (`.json()` after it is the same request); `create()`/`extend()`: none",
  },
  {
    name: "axios",
    family: "http",
    packages: ["axios"],
    clients: ["default", "axios"],
    factories: ["create"],
    builders: ["create"],
    free: ["interceptors", "isAxiosError", "isCancel", "getUri", "mergeConfig", "toFormData", "formToJSON", "spread"],
    http: { baseOptions: ["baseURL"] },
    kind: "fetch",
    host: null,
    fallbackTarget: "axios",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "`axios(config)`, `axios.get/post/request/...(url)` and calls on `axios.create({ baseURL })`: one round trip each; interceptors and helpers: none",
  },
  {
    name: "redaxios",
    family: "http",
    packages: ["redaxios"],
    clients: ["default"],
    factories: ["create"],
    builders: ["create"],
    http: { baseOptions: ["baseURL"] },
    kind: "fetch",
    host: null,
    fallbackTarget: "redaxios",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "as axios: each request, one round trip",
  },
  {
    name: "ofetch",
    family: "http",
    packages: ["ofetch"],
    clients: ["ofetch", "$fetch"],
    factories: ["ofetch", "$fetch", "createFetch"],
    builders: ["create"],
    http: { baseOptions: ["baseURL", "baseUrl"] },
    kind: "fetch",
    host: null,
    fallbackTarget: "ofetch",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "`ofetch(url)` / `$fetch(url)`, `ofetch.raw(url)` and calls on `ofetch.create({ baseURL })`: one round trip each",
  },
  {
    name: "openapi-fetch",
    family: "http",
    packages: ["openapi-fetch"],
    factories: ["default", "createClient"],
    free: ["use", "eject"],
    http: { baseOptions: ["baseUrl"] },
    kind: "fetch",
    host: null,
    fallbackTarget: "openapi-fetch",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "`client.GET/POST/PUT/PATCH/DELETE/...(path)` on `createClient({ baseUrl })`: one round trip each; `use`/`eject` (middleware): none",
  },
  {
    name: "wretch",
    family: "http",
    packages: ["wretch"],
    factories: ["*"],
    builders: [
      "url",
      "headers",
      "auth",
      "options",
      "query",
      "content",
      "accept",
      "errorType",
      "addon",
      "catcher",
      "middlewares",
      "defer",
      "signal",
      "resolve",
    ],
    http: { baseOptions: [] },
    kind: "fetch",
    host: null,
    fallbackTarget: "wretch",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "`wretch(url).get().json()` and the other verbs (`post`, `put`, `delete`, ...): one round trip per chain; `headers()`/`auth()`/`url()` and the other builders: none",
  },
  {
    name: "up-fetch",
    family: "http",
    packages: ["up-fetch"],
    factories: ["up"],
    http: { baseOptions: ["baseUrl"] },
    kind: "fetch",
    host: null,
    fallbackTarget: "up-fetch",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "each call of the function `up(fetch, ...)` makes: one round trip",
  },
  {
    name: "got",
    family: "http",
    packages: ["got"],
    clients: ["default", "got"],
    factories: ["extend"],
    builders: ["extend"],
    http: { baseOptions: ["prefixUrl"] },
    kind: "fetch",
    host: null,
    fallbackTarget: "got",
    distribution: "single-homed",
    why: "the host of the URL, classified like a fetch's (a back end unless it is analytics or globally distributed)",
    cost: "`got(url)`, `got.get/post/...(url)` and calls on `got.extend({ prefixUrl })`: one round trip each",
  },
  {
    name: "Sanity",
    family: "api",
    packages: ["@sanity/client", "next-sanity"],
    factories: ["createClient", "SanityClient"],
    builders: ["withConfig", "patch", "transaction"],
    free: ["config", "getUrl", "getDataUrl", "listen", "observable"],
    cdn: {
      option: "useCdn",
      host: "apicdn.sanity.io",
      methods: ["fetch", "getDocument", "getDocuments"],
      prefixOption: "projectId",
      why: "with `useCdn` (the default since @sanity/client 6) reads are answered by Sanity's global API CDN",
    },
    host: "api.sanity.io",
    fallbackTarget: "api.sanity.io",
    distribution: "single-homed",
    why: "without the CDN, queries and every mutation go to the project's API, which is hosted in one region",
    cost: "each `fetch()`/`getDocument()`: one request, to `<projectId>.apicdn.sanity.io` (global: ignored) unless `useCdn: false`, then to `<projectId>.api.sanity.io`; mutations (`create()`, `patch().commit()`, `delete()`, ...): one round trip to the API",
  },
  // ---- Google: globally distributed ----
  {
    name: "Firestore",
    family: "database",
    packages: ["firebase/firestore", "firebase/firestore/lite", "@firebase/firestore"],
    factories: ["getFirestore", "initializeFirestore"],
    functions: {
      getDoc: 1,
      getDocs: 1,
      setDoc: 1,
      addDoc: 1,
      updateDoc: 1,
      deleteDoc: 1,
      getCountFromServer: 1,
      getAggregateFromServer: 1,
      runTransaction: 1,
    },
    host: "firestore.googleapis.com",
    fallbackTarget: "firestore.googleapis.com",
    distribution: "global",
    why: "Google APIs are reached through Google's global front end (the Smart Placement docs)",
    cost: "each read or write (`getDoc`, `getDocs`, `setDoc`, ...): one round trip, to a globally distributed host",
  },
  {
    name: "Firebase Admin",
    family: "database",
    packages: ["firebase-admin/firestore", "firebase-admin/auth", "firebase-admin"],
    factories: ["getFirestore", "getAuth", "firestore", "auth"],
    host: "firestore.googleapis.com",
    fallbackTarget: "firestore.googleapis.com",
    distribution: "global",
    why: "Google APIs are reached through Google's global front end (the Smart Placement docs)",
    cost: "each read or write (`get()`, `set()`, `verifyIdToken()`, ...): one round trip, to a globally distributed host; `collection()`/`doc()`/`where()` only build",
    sends: [
      "get",
      "set",
      "update",
      "delete",
      "add",
      "create",
      "getAll",
      "runTransaction",
      "commit",
      "listDocuments",
      "verifyIdToken",
      "getUser",
    ],
  },
  {
    name: "Google APIs",
    family: "api",
    packages: ["googleapis"],
    factories: ["google", "*"],
    host: "googleapis.com",
    fallbackTarget: "googleapis.com",
    distribution: "global",
    why: "Google APIs are reached through Google's global front end (the Smart Placement docs)",
    cost: "each call: one round trip, to a globally distributed host",
  },
  {
    // arctic: one class per OAuth provider; each call below posts to the provider's token endpoint
    // (the user's profile is read by the app itself, with fetch). `createAuthorizationURL` is local.
    name: "arctic",
    family: "auth",
    packages: ["arctic"],
    factories: Object.keys(ARCTIC_PROVIDERS),
    factoryHosts: ARCTIC_PROVIDERS,
    sends: ["validateAuthorizationCode", "refreshAccessToken", "revokeToken", "getUser"],
    host: null,
    fallbackTarget: "oauth-provider",
    distribution: "single-homed",
    why: "the provider's token endpoint (Google's `oauth2.googleapis.com` is globally distributed; a tenant's domain is its own)",
    cost: "`validateAuthorizationCode()`, `refreshAccessToken()`, `revokeToken()`: one round trip to the provider's token endpoint (`GitHub`: github.com, `Google`: oauth2.googleapis.com, `Discord`: discord.com, `Twitch`: id.twitch.tv, `Spotify`: accounts.spotify.com, ...; `Auth0`, `Okta`, `KeyCloak`, ...: the domain they are given); `createAuthorizationURL()`: none",
  },
  {
    // A scraper of Google Images' result page: `search(query)` fetches www.google.com/search once
    // and parses the HTML; `searchRandom(query)` is `search` then a random pick.
    name: "free-google-images",
    family: "api",
    packages: ["free-google-images"],
    factories: [],
    functions: { search: 1, searchRandom: 1 },
    host: "www.google.com",
    fallbackTarget: "www.google.com",
    distribution: "global",
    why: "Google Search is served by Google's global front end, near the Worker wherever it runs",
    cost: "`search(query)`, `searchRandom(query)`: one request to www.google.com (the result page, scraped), to a globally distributed host",
  },
  // ---- API SDKs: single-homed unless said otherwise ----
  {
    name: "Stripe",
    family: "api",
    packages: ["stripe"],
    factories: ["*", "Stripe"],
    host: "api.stripe.com",
    fallbackTarget: "api.stripe.com",
    distribution: "single-homed",
    why: "Stripe's API is served from its US regions; requests from elsewhere travel there",
    cost: "each call: one round trip; webhook signature checks (`webhooks.constructEvent(Async)`, `webhooks.signature.verifyHeader(Async)`) and the static `createFetchHttpClient()` / `createSubtleCryptoProvider()`: none (they run in the Worker)",
    // From the SDK's source: a webhook event is verified with an HMAC of the payload (Web Crypto in
    // the Async forms), never by asking Stripe.
    free: [
      "constructEvent",
      "constructEventAsync",
      "generateTestHeaderString",
      "generateTestHeaderStringAsync",
      "verifyHeader",
      "verifyHeaderAsync",
      "createFetchHttpClient",
      "createSubtleCryptoProvider",
      "createNodeHttpClient",
      "createNodeCryptoProvider",
    ],
  },
  {
    name: "OpenAI",
    family: "api",
    packages: ["openai"],
    factories: ["*", "OpenAI"],
    host: "api.openai.com",
    fallbackTarget: "api.openai.com",
    distribution: "single-homed",
    why: "inference runs in OpenAI's US data centres; the edge in front only forwards",
    cost: "each call: one round trip",
  },
  {
    name: "Vercel AI SDK",
    family: "api",
    packages: ["ai"],
    factories: [],
    functions: { generateText: 1, generateObject: 1, streamText: 1, streamObject: 1, embed: 1, embedMany: 1 },
    // `streamText` runs the tools and the follow-up steps as `generateText` does, while it streams.
    runsTools: ["generateText", "streamText"],
    models: {
      option: "model",
      hosts: {
        "@ai-sdk/openai": "api.openai.com",
        "@ai-sdk/anthropic": "api.anthropic.com",
        "@ai-sdk/groq": "api.groq.com",
        "@ai-sdk/mistral": "api.mistral.ai",
        "@ai-sdk/google": "generativelanguage.googleapis.com",
        "@ai-sdk/cohere": "api.cohere.com",
        "@ai-sdk/deepseek": "api.deepseek.com",
        "@ai-sdk/xai": "api.x.ai",
        "@ai-sdk/perplexity": "api.perplexity.ai",
        "@ai-sdk/togetherai": "api.together.xyz",
        "@ai-sdk/fireworks": "api.fireworks.ai",
        "@ai-sdk/cerebras": "api.cerebras.ai",
        "@openrouter/ai-sdk-provider": "openrouter.ai",
        "@ai-sdk/gateway": "ai-gateway.vercel.sh",
      },
      bindings: { "workers-ai-provider": "ai" },
      // AI SDK 5 and later: a string model id goes through the Vercel AI Gateway, the default global provider.
      defaultProvider: { host: "ai-gateway.vercel.sh", global: "AI_SDK_DEFAULT_PROVIDER", exports: ["gateway", "createGateway"] },
      registries: {
        factories: ["createProviderRegistry", "experimental_createProviderRegistry"],
        methods: [
          "languageModel",
          "textEmbeddingModel",
          "embeddingModel",
          "imageModel",
          "speechModel",
          "transcriptionModel",
          "rerankingModel",
        ],
        separator: "/",
        separatorOption: "separator",
        prefixes: {
          openai: "api.openai.com",
          anthropic: "api.anthropic.com",
          google: "generativelanguage.googleapis.com",
          mistral: "api.mistral.ai",
          groq: "api.groq.com",
          xai: "api.x.ai",
          cohere: "api.cohere.com",
          deepseek: "api.deepseek.com",
          perplexity: "api.perplexity.ai",
          togetherai: "api.together.xyz",
          fireworks: "api.fireworks.ai",
          cerebras: "api.cerebras.ai",
          openrouter: "openrouter.ai",
        },
      },
    },
    host: null,
    fallbackTarget: "ai-sdk",
    distribution: "single-homed",
    why: "each call goes to the model provider's API (OpenAI, Anthropic, ...), which runs inference in its own regions",
    cost: "each `generateText`/`streamText`/`generateObject`/`embed` call: one round trip to the provider; `generateText` and `streamText` then run the `execute` of the tool the model picks (the worst tool counts) and, with `maxSteps`/`stopWhen`, asks the model once more",
  },
  {
    name: "Anthropic",
    family: "api",
    packages: ["@anthropic-ai/sdk"],
    factories: ["*", "Anthropic"],
    host: "api.anthropic.com",
    fallbackTarget: "api.anthropic.com",
    distribution: "single-homed",
    why: "inference runs in Anthropic's US regions",
    cost: "each call: one round trip",
  },
  {
    name: "Cloudflare API",
    family: "api",
    packages: ["cloudflare"],
    factories: ["*", "Cloudflare"],
    host: "api.cloudflare.com",
    fallbackTarget: "api.cloudflare.com",
    distribution: "single-homed",
    why: "the account API (zones, DNS records, Workers scripts, ...) is Cloudflare's control plane: the edge in front forwards each request to the core data centres where it runs, nothing is answered near the Worker",
    cost: "each call (`zones.list()`, `dns.records.create()`, `workersForPlatforms.dispatch.namespaces.scripts.get()`, ...): one round trip; `for await` over a list's pages counts as one (the pages after the first are not counted)",
  },
  {
    name: "LangChain OpenAI",
    family: "api",
    packages: ["@langchain/openai"],
    factories: ["ChatOpenAI", "OpenAI", "OpenAIEmbeddings", "AzureChatOpenAI", "AzureOpenAIEmbeddings"],
    host: "api.openai.com",
    fallbackTarget: "api.openai.com",
    distribution: "single-homed",
    why: "inference runs in OpenAI's US data centres; the edge in front only forwards",
    cost: "`invoke`/`stream`/`batch`/`embedQuery`/`embedDocuments`: one round trip; `bindTools`, `withStructuredOutput`, `pipe`: none",
    sends: ["invoke", "stream", "batch", "call", "predict", "generate", "embedQuery", "embedDocuments"],
  },
  {
    name: "LangChain Anthropic",
    family: "api",
    packages: ["@langchain/anthropic"],
    factories: ["ChatAnthropic"],
    host: "api.anthropic.com",
    fallbackTarget: "api.anthropic.com",
    distribution: "single-homed",
    why: "inference runs in Anthropic's US regions",
    cost: "`invoke`/`stream`/`batch`: one round trip; `bindTools`, `withStructuredOutput`, `pipe`: none",
    sends: ["invoke", "stream", "batch", "call", "predict", "generate", "embedQuery", "embedDocuments"],
  },
  {
    // @langchain/cloudflare: a Vectorize store and Workers AI embeddings over the bindings they are
    // given, a KV cache over a KV binding, and Workers AI chat models (the binding, or Workers AI's
    // REST API on Cloudflare's own edge): Cloudflare's own services, none of them a back end.
    name: "LangChain Cloudflare",
    family: "api",
    packages: ["@langchain/cloudflare"],
    factories: [
      "CloudflareVectorizeStore",
      "CloudflareWorkersAIEmbeddings",
      "CloudflareKVCache",
      "ChatCloudflareWorkersAI",
      "CloudflareWorkersAI",
    ],
    host: null,
    fallbackTarget: "workers-ai",
    distribution: "global",
    why: "Vectorize, Workers AI and Workers KV are Cloudflare's own services, answered on its network wherever the Worker runs: not back ends Smart Placement moves near",
    cost: "`addDocuments()`, `similaritySearch()`, `embedQuery()`, `invoke()`, ...: calls of Vectorize / Workers AI / KV, not back ends; `asRetriever()`: none",
    free: ["asRetriever"],
  },
  {
    name: "LangChain Supabase vector store",
    family: "database",
    packages: ["@langchain/community/vectorstores/supabase", "@langchain/community/retrievers/supabase"],
    factories: ["SupabaseVectorStore", "SupabaseHybridSearch"],
    host: null,
    fallbackTarget: "supabase",
    distribution: "single-homed",
    why: REGIONAL_DATABASE,
    cost: "a search (`similaritySearch`, `invoke`, ...) or `addDocuments`: two (the embedding of the text, then the database); `asRetriever`: none",
    free: ["asRetriever"],
    counts: {
      similaritySearch: 2,
      similaritySearchWithScore: 2,
      maxMarginalRelevanceSearch: 2,
      addDocuments: 2,
      invoke: 2,
      getRelevantDocuments: 2,
    },
  },
  {
    name: "GitHub",
    family: "api",
    packages: ["octokit", "@octokit/rest", "@octokit/core"],
    factories: ["Octokit", "App"],
    host: "api.github.com",
    fallbackTarget: "api.github.com",
    distribution: "single-homed",
    why: "GitHub's API is served from its US data centres",
    cost: "each call: one round trip; `app.getInstallationOctokit(id)`: one (the installation token, fetched before the first call of the client it gives)",
    // A GitHub App's installation client: its first request first fetches an installation token
    // (`POST /app/installations/{id}/access_tokens`), counted at the call that makes the client.
    connections: ["getInstallationOctokit"],
  },
  {
    name: "GitHub request",
    family: "api",
    packages: ["@octokit/request", "@octokit/graphql"],
    factories: [],
    // `request("GET /repos/{owner}/{repo}/releases", params)`, `graphql(query, params)`.
    functions: { request: 1, graphql: 1 },
    host: "api.github.com",
    fallbackTarget: "api.github.com",
    distribution: "single-homed",
    why: "GitHub's API is served from its US data centres",
    cost: "each awaited `request(route, params)` or `graphql(query, params)`: one round trip; `defaults(options)`, `endpoint(...)`: none",
    // `graphql.defaults({ headers })` makes another function; `request.endpoint(...)` only builds the options.
    free: ["defaults", "endpoint", "parse", "merge"],
  },
  {
    name: "GitHub App",
    family: "api",
    packages: ["@octokit/app"],
    factories: ["App"],
    host: "api.github.com",
    fallbackTarget: "api.github.com",
    distribution: "single-homed",
    why: "GitHub's API is served from its US data centres",
    cost: "`app.getInstallationOctokit(id)` and `app.webhooks.receive(...)`: one (the installation token); each call on the installation client: one round trip",
    connections: ["getInstallationOctokit"],
    // `app.webhooks.on(event, handler)` registers a handler, run by `app.webhooks.receive(...)` (see eventRun in the walk).
    free: ["on", "onAny", "onError", "removeListener"],
  },
  {
    name: "Webflow",
    family: "api",
    packages: ["webflow-api"],
    factories: ["WebflowClient", "Webflow"],
    host: "api.webflow.com",
    fallbackTarget: "api.webflow.com",
    distribution: "single-homed",
    why: "Webflow's Data API answers from its US region; the CDN in front forwards API calls uncached",
    cost: "each awaited call (`sites.list()`, `collections.items.listItems()`, ...): one round trip",
  },
  {
    name: "Resend",
    family: "api",
    packages: ["resend"],
    factories: ["Resend"],
    host: "api.resend.com",
    fallbackTarget: "api.resend.com",
    distribution: "single-homed",
    why: "an API served from one AWS region",
    cost: "each call: one round trip; `emails.receiving.forward(...)`: three (it gets the received email, downloads its raw content from the signed URL it names, then sends); `webhooks.verify(...)`: none (it checks the signature in the Worker)",
    // From the SDK's source: `webhooks.verify` checks a Standard Webhooks (Svix) signature locally and
    // returns the payload; `domains.verify(id)` is a POST, so only the dotted path is free.
    free: ["webhooks.verify"],
    counts: { "receiving.forward": 3 },
  },
  {
    name: "Pinata",
    family: "api",
    packages: ["pinata", "pinata-web3", "@pinata/sdk"],
    factories: ["PinataSDK"],
    host: "api.pinata.cloud",
    fallbackTarget: "api.pinata.cloud",
    distribution: "single-homed",
    why: "Pinata's API (uploads, file listings, signed upload URLs) is served from one region",
    cost: "each call (`upload.public.file()`, `upload.public.createSignedURL()`, `files.public.list()`): one round trip",
    free: ["convert"],
  },
  {
    name: "Twilio",
    family: "api",
    packages: ["twilio"],
    factories: ["*", "Twilio"],
    host: "api.twilio.com",
    fallbackTarget: "api.twilio.com",
    distribution: "single-homed",
    why: "the default US1 region serves the API",
    cost: "each call: one round trip",
  },
  {
    name: "DynamoDB",
    family: "database",
    packages: ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"],
    factories: ["DynamoDBClient", "DynamoDB", "DynamoDBDocumentClient", "DynamoDBDocument"],
    host: "dynamodb.amazonaws.com",
    fallbackTarget: "dynamodb.amazonaws.com",
    distribution: "single-homed",
    why: "a table lives in the region its client names",
    cost: "each `send()` or command: one round trip",
  },
  {
    name: "Amazon S3",
    family: "api",
    packages: ["@aws-sdk/client-s3"],
    factories: ["S3Client", "S3"],
    host: "s3.amazonaws.com",
    fallbackTarget: "s3.amazonaws.com",
    distribution: "single-homed",
    why: "a bucket lives in one region",
    cost: "each `send()` or command: one round trip, to the client's `endpoint` when it names one (an S3-compatible store: R2's `<account>.r2.cloudflarestorage.com` is Cloudflare's own storage, not a back end); `getSignedUrl()` of `@aws-sdk/s3-request-presigner`: none (it signs in the Worker)",
    urlOptions: ["endpoint"],
    adapters: ["@aws-sdk/s3-request-presigner"],
  },
  {
    name: "Amazon SES, SQS, Lambda",
    family: "api",
    packages: ["@aws-sdk/client-ses", "@aws-sdk/client-sesv2", "@aws-sdk/client-sqs", "@aws-sdk/client-lambda"],
    factories: ["SESClient", "SES", "SESv2Client", "SESv2", "SQSClient", "SQS", "LambdaClient", "Lambda"],
    host: "amazonaws.com",
    fallbackTarget: "amazonaws.com",
    distribution: "single-homed",
    why: "an AWS service endpoint is in the region its client names",
    cost: "each `send()` or command: one round trip",
  },
  // ---- search and vector databases ----
  {
    name: "Pinecone",
    family: "database",
    packages: ["@pinecone-database/pinecone"],
    factories: ["Pinecone", "PineconeClient"],
    host: "pinecone.io",
    fallbackTarget: "pinecone.io",
    distribution: "single-homed",
    why: "an index is served from the cloud region it was created in (`<index>.svc.<region>.pinecone.io`)",
    cost: "each call (`query()`, `upsert()`, `fetch()`, `describeIndex()`, ...; the v0 `PineconeClient`'s `init()`): one round trip; `index()`/`Index()`/`namespace()`: none (they only build)",
    builders: ["index", "Index", "namespace"],
  },
  {
    name: "Qdrant",
    family: "database",
    packages: ["@qdrant/js-client-rest"],
    factories: ["QdrantClient"],
    host: null,
    fallbackTarget: "qdrant",
    distribution: "single-homed",
    why: "a Qdrant cluster (self-hosted or Qdrant Cloud) lives in one region",
    cost: "each call (`search()`, `query()`, `upsert()`, `retrieve()`, ...): one round trip",
  },
  {
    name: "Meilisearch",
    family: "database",
    packages: ["meilisearch"],
    factories: ["MeiliSearch", "Meilisearch"],
    host: null,
    fallbackTarget: "meilisearch",
    distribution: "single-homed",
    why: "a Meilisearch instance (self-hosted or Meilisearch Cloud) lives in one region",
    cost: "each call (`search()`, `addDocuments()`, `getDocument()`, ...): one round trip; `index()`: none (it only builds)",
    builders: ["index"],
  },
  {
    name: "Typesense",
    family: "database",
    packages: ["typesense"],
    factories: ["*", "Client", "SearchClient"],
    host: null,
    fallbackTarget: "typesense",
    distribution: "single-homed",
    why: "a Typesense cluster lives in the region it was created in (multi-region clusters are opt-in)",
    cost: 'each chain that ends in a request (`collections("c").documents().search(...)`, `.create()`, `.retrieve()`): one round trip; `collections()`/`documents()` alone: none',
    builders: ["collections", "documents", "keys", "aliases", "synonyms", "overrides", "multiSearch"],
  },
  {
    name: "Algolia",
    family: "api",
    packages: ["algoliasearch", "algoliasearch/lite", "@algolia/client-search"],
    factories: ["*", "algoliasearch", "liteClient", "searchClient"],
    host: "algolia.net",
    fallbackTarget: "algolia.net",
    distribution: "single-homed",
    why: "an application is hosted on a cluster in the region chosen at its creation; the Distributed Search Network (`<app>-dsn.algolia.net`) replicates search to other regions only on plans that buy it, so by default search is answered by that one cluster",
    cost: "each call (`search()`, `searchSingleIndex()`, `saveObject()`, ...): one round trip; `initIndex()`: none (it only builds)",
    builders: ["initIndex"],
  },
  // ---- AI model APIs ----
  {
    name: "Groq",
    family: "api",
    packages: ["groq-sdk"],
    factories: ["*", "Groq"],
    host: "api.groq.com",
    fallbackTarget: "api.groq.com",
    distribution: "single-homed",
    why: "inference runs in GroqCloud's own data centres, not near the Worker; the edge in front only forwards",
    cost: "each call (`chat.completions.create()`, ...): one round trip",
  },
  {
    name: "Mistral AI",
    family: "api",
    packages: ["@mistralai/mistralai"],
    factories: ["Mistral", "MistralClient", "*"],
    host: "api.mistral.ai",
    fallbackTarget: "api.mistral.ai",
    distribution: "single-homed",
    why: "inference runs in Mistral's EU data centres",
    cost: "each call (`chat.complete()`, `embeddings.create()`, ...): one round trip",
  },
  {
    name: "Cohere",
    family: "api",
    packages: ["cohere-ai"],
    factories: ["CohereClient", "CohereClientV2"],
    host: "api.cohere.com",
    fallbackTarget: "api.cohere.com",
    distribution: "single-homed",
    why: "inference runs in Cohere's own regions, not near the Worker",
    cost: "each call (`chat()`, `embed()`, `rerank()`, ...): one round trip",
  },
  {
    name: "Replicate",
    family: "api",
    packages: ["replicate"],
    factories: ["*", "Replicate"],
    host: "api.replicate.com",
    fallbackTarget: "api.replicate.com",
    distribution: "single-homed",
    why: "predictions run on Replicate's GPUs in its own regions",
    cost: "each call (`run()`, `predictions.create()`, ...): one round trip (`run()` waits for the prediction in that request; a prediction longer than its wait is polled again, not counted)",
  },
  {
    name: "Google Gemini",
    family: "api",
    packages: ["@google/generative-ai", "@google/genai"],
    factories: ["GoogleGenerativeAI", "GoogleGenAI"],
    host: "generativelanguage.googleapis.com",
    fallbackTarget: "generativelanguage.googleapis.com",
    distribution: "global",
    why: "Google APIs are reached through Google's global front end (the Smart Placement docs)",
    cost: "each call (`generateContent()`, `models.generateContent()`, `sendMessage()`, ...): one round trip, to a globally distributed host; `getGenerativeModel()`/`startChat()`: none (they only build)",
    builders: ["getGenerativeModel", "getGenerativeModelFromCachedContent", "startChat"],
  },
  {
    name: "Hugging Face Inference",
    family: "api",
    packages: ["@huggingface/inference"],
    factories: ["HfInference", "InferenceClient"],
    host: "router.huggingface.co",
    fallbackTarget: "router.huggingface.co",
    distribution: "single-homed",
    why: "the inference router runs in Hugging Face's US infrastructure and forwards to the provider's",
    cost: "each call (`textGeneration()`, `chatCompletion()`, `featureExtraction()`, ...): one round trip; `endpoint()`: none (it only builds)",
    builders: ["endpoint"],
  },
  // ---- content, commerce and productivity APIs ----
  {
    name: "Notion",
    family: "api",
    packages: ["@notionhq/client"],
    factories: ["Client"],
    host: "api.notion.com",
    fallbackTarget: "api.notion.com",
    distribution: "single-homed",
    why: "Notion's API is served from its US (AWS) region; the edge in front forwards it uncached",
    cost: "each awaited call (`databases.query()`, `pages.create()`, `blocks.children.list()`, ...): one round trip; `iteratePaginatedAPI(method, args)`, `collectPaginatedAPI(method, args)`: the method once per page, a loop",
    paginators: ["iteratePaginatedAPI", "collectPaginatedAPI"],
  },
  {
    name: "Airtable",
    family: "api",
    packages: ["airtable"],
    factories: ["*", "Airtable"],
    host: "api.airtable.com",
    fallbackTarget: "api.airtable.com",
    distribution: "single-homed",
    why: "Airtable's API is served from its US region",
    cost: "each request (`select().firstPage()`, `select().all()`, `find()`, `create()`, `update()`, ...): one round trip; `base()`, `table()`, `select()` alone: none (they only build)",
    selfCallFree: true,
    builders: ["base", "table", "select"],
  },
  {
    name: "Contentful",
    family: "api",
    packages: ["contentful"],
    factories: ["createClient", "*"],
    host: "cdn.contentful.com",
    fallbackTarget: "cdn.contentful.com",
    distribution: "global",
    why: "the Content Delivery API is served by a CDN that caches responses near users",
    cost: "each call (`getEntries()`, `getEntry()`, ...): one round trip, to a globally distributed host",
  },
  {
    name: "Shopify",
    family: "api",
    packages: ["@shopify/admin-api-client", "@shopify/storefront-api-client", "@shopify/shopify-api"],
    factories: ["createAdminApiClient", "createAdminRestApiClient", "createStorefrontApiClient", "shopifyApi"],
    host: "myshopify.com",
    fallbackTarget: "myshopify.com",
    distribution: "single-homed",
    why: "a shop's data lives in one Shopify pod, in one region; the edge in front forwards API calls",
    cost: "each `request()`, `fetch()`, `get()`/`post()` (REST): one round trip",
  },
  {
    name: "Linear",
    family: "api",
    packages: ["@linear/sdk"],
    factories: ["LinearClient"],
    host: "api.linear.app",
    fallbackTarget: "api.linear.app",
    distribution: "single-homed",
    why: "Linear's API is served from its own region (US or EU, by workspace)",
    cost: "each awaited call (`issues()`, `issue(id)`, `createIssue()`, ...): one round trip",
  },
  // ---- messaging and mail APIs ----
  {
    name: "Slack",
    family: "api",
    packages: ["@slack/web-api"],
    factories: ["WebClient"],
    host: "slack.com",
    fallbackTarget: "slack.com",
    distribution: "single-homed",
    why: "Slack's Web API is served from its US region",
    cost: "each call (`chat.postMessage()`, `users.info()`, ...): one round trip",
  },
  {
    // slack-edge's Web API client (`SlackAPIClient`, from slack-web-api-client) POSTs to
    // https://slack.com/api/<method>; in a listener, `context.client.*`, `context.say()` (a
    // chat.postMessage) and `context.respond()` (a POST to the response_url on hooks.slack.com)
    // send. What runs before the ack (the default authorize's `auth.test`) and which listeners run
    // in `waitUntil` is handlers/slackEdge.ts.
    name: "slack-edge",
    family: "api",
    packages: ["slack-edge", "slack-cloudflare-workers", "slack-web-api-client"],
    factories: ["SlackAPIClient"],
    host: "slack.com",
    fallbackTarget: "slack.com",
    distribution: "single-homed",
    why: "Slack's Web API is served from its US region",
    cost: "each awaited call (`client.chat.postMessage()`, `client.views.open()`, `context.say()`, `context.respond()`): one round trip to slack.com; behind the app (`new SlackApp({ env }).command(name, ack, lazy)`, `.event(type, lazy)`, ...) the default authorize's `auth.test` runs before each ack, ack handlers are on the response path and lazy listeners run in `ctx.waitUntil`",
  },
  {
    name: "LINE Messaging API",
    family: "api",
    packages: ["@line/bot-sdk"],
    factories: ["messagingApi", "MessagingApiClient", "Client"],
    host: "api.line.me",
    fallbackTarget: "api.line.me",
    distribution: "single-homed",
    why: "LINE's API is served from its data centres in Japan",
    cost: "each call (`replyMessage()`, `pushMessage()`, `getProfile()`, ...): one round trip; `validateSignature()`: none",
    local: ["validateSignature", "middleware"],
  },
  {
    name: "Telegram Bot API (grammY, Telegraf)",
    family: "api",
    packages: ["grammy", "telegraf", "grammy/web"],
    // A `Composer` holds handlers like a bot: registering on it sends nothing either.
    factories: ["Bot", "Api", "Telegraf", "Telegram", "Composer"],
    host: "api.telegram.org",
    fallbackTarget: "api.telegram.org",
    distribution: "single-homed",
    why: "the Bot API is served from Telegram's data centre in one region",
    cost: "each Bot API call (`bot.api.sendMessage()`, `bot.telegram.sendMessage()`, ...): one round trip; registering handlers (`on()`, `command()`, `use()`, ...): none; behind `webhookCallback(bot)` or `bot.handleUpdate()` each handler is a path, its `ctx.reply()`/`ctx.api.*` calls one round trip each",
    free: ["on", "command", "hears", "use", "callbackQuery", "catch", "filter", "action", "start", "help", "launch", "stop"],
  },
  {
    name: "Discord REST",
    family: "api",
    packages: ["@discordjs/rest"],
    factories: ["REST"],
    host: "discord.com",
    fallbackTarget: "discord.com",
    distribution: "single-homed",
    why: "Discord's API requests are not cached at the edge: they go on to its back end, in one region",
    cost: "each request (`get()`, `post()`, `put()`, `patch()`, `delete()`): one round trip; `setToken()`: none",
    builders: ["setToken"],
  },
  {
    // Carbon's interactions reply over REST, never in the HTTP response: `reply()` POSTs to
    // discord.com's `/interactions/{id}/{token}/callback` (a PATCH of `@original` once deferred),
    // `defer()`, `showModal()`, `update()`, `acknowledge()` and `respond()` POST to the same
    // endpoint, `followUp()` to the application's webhook (packages/carbon/src/abstracts/
    // BaseInteraction.ts, BaseComponentInteraction.ts, internals/AutocompleteInteraction.ts; the
    // client's RequestClient sends to https://discord.com/api). The handler that runs them, and
    // when it runs in waitUntil, is handlers/carbon.ts.
    name: "Carbon (Discord)",
    family: "api",
    packages: ["@buape/carbon"],
    factories: ["Client"],
    clientTypes: [
      "BaseInteraction",
      "BaseComponentInteraction",
      "CommandInteraction",
      "ButtonInteraction",
      "ModalInteraction",
      "AutocompleteInteraction",
      "StringSelectMenuInteraction",
      "UserSelectMenuInteraction",
      "RoleSelectMenuInteraction",
      "MentionableSelectMenuInteraction",
      "ChannelSelectMenuInteraction",
      "Client",
    ],
    handlerParameters: {
      bases: [
        "Command",
        "CommandWithSubcommands",
        "CommandWithSubcommandGroups",
        "EntryPointCommand",
        "Button",
        "LinkButton",
        "StringSelectMenu",
        "UserSelectMenu",
        "RoleSelectMenu",
        "MentionableSelectMenu",
        "ChannelSelectMenu",
        "Modal",
      ],
      methods: ["run", "preCheck", "autocomplete"],
    },
    host: "discord.com",
    fallbackTarget: "discord.com",
    distribution: "single-homed",
    why: "Discord's API requests are not cached at the edge: they go on to its back end, in one region",
    cost: "each awaited call on an interaction (`reply()`, `defer()`, `followUp()`, `update()`, `showModal()`, `acknowledge()`, `respond()`: REST requests to discord.com, not the HTTP response) or on the client (`client.rest.post()`, `fetchUser()`): one round trip; `createHandler(client)` answers `202` and runs the command in `ctx.waitUntil` when its context has one",
    free: ["setDefaultEphemeral", "getFocused", "getPlugin", "registerComponent"],
  },
  {
    // discord-hono answers an interaction in the HTTP response (`c.res()`, `c.resModal()`,
    // `c.resDefer()`: Response.json(...), src/context.ts); its REST helper is a fetch to
    // https://discord.com/api (src/rest/rest.ts): `c.rest(...)`, `c.followup()` (a PATCH or DELETE
    // of the original response through it) and the function `createRest(token)` returns. The
    // handlers an interaction runs are handlers/discordHono.ts.
    name: "discord-hono",
    family: "api",
    packages: ["discord-hono"],
    factories: ["createRest"],
    host: "discord.com",
    fallbackTarget: "discord.com",
    distribution: "single-homed",
    why: "Discord's API requests are not cached at the edge: they go on to its back end, in one region",
    cost: "each awaited REST call (`c.rest(method, path, ...)`, `c.followup(...)`, `rest(...)` of `createRest(token)`): one round trip to discord.com; the context's answers (`c.res()`, `c.resModal()`, `c.resDefer()`, ...) are the HTTP response, and `c.resDefer(handler)` runs its handler in `waitUntil`; behind the app (`new DiscordHono().command(name, handler)`, `.component()`, `.modal()`, `.autocomplete()`) each registered handler is a path",
    sends: ["", "rest", "followup"],
  },
  {
    name: "X (twitter-api-v2)",
    family: "api",
    packages: ["twitter-api-v2"],
    factories: ["TwitterApi"],
    host: "api.x.com",
    fallbackTarget: "api.x.com",
    distribution: "single-homed",
    why: "X's API is served from its US data centres",
    cost: "each call (`v2.tweet()`, `v2.me()`, `v2.userTimeline()`, ...): one round trip; `generateOAuth2AuthLink()`: none",
    free: ["generateOAuth2AuthLink"],
  },
  {
    name: "AT Protocol (@atproto/api)",
    family: "api",
    packages: ["@atproto/api"],
    factories: ["AtpAgent", "BskyAgent", "Agent", "CredentialSession"],
    host: null,
    urlOptions: ["service"],
    fallbackTarget: "bsky.social",
    distribution: "single-homed",
    why: "an account's PDS (bsky.social's for most Bluesky users) and the AppView behind it are served from one region",
    cost: "each call (`login()`, `getTimeline()`, `post()`, `getProfile()`, `api.app.bsky.feed.getTimeline()`, `com.atproto.repo.createRecord()`, ...): one round trip to the service the agent was made for (`service`, else the account's PDS); header and proxy settings: none",
    free: [
      "setHeader",
      "unsetHeader",
      "clearHeaders",
      "configureProxy",
      "configureLabelers",
      "configureProxyHeader",
      "configureLabelersHeader",
      "withProxy",
      "clone",
      "assertAuthenticated",
      "assertDid",
    ],
  },
  {
    name: "SendGrid",
    family: "api",
    packages: ["@sendgrid/mail"],
    factories: ["MailService"],
    clients: ["default"],
    host: "api.sendgrid.com",
    fallbackTarget: "api.sendgrid.com",
    distribution: "single-homed",
    why: "SendGrid's API is served from its US region",
    cost: "each `send()`/`sendMultiple()`: one round trip; `setApiKey()` and the other setters: none",
    free: ["setApiKey", "setClient", "setSubstitutionWrappers", "setTimeout", "setDataResidency"],
  },
  {
    name: "Mailgun",
    family: "api",
    packages: ["mailgun.js", "mailgun-js"],
    factories: ["*", "Mailgun"],
    host: "api.mailgun.net",
    fallbackTarget: "api.mailgun.net",
    distribution: "single-homed",
    why: "the API is served from the account's region (US by default, `api.eu.mailgun.net` for EU)",
    cost: "each request (`messages.create()`, `messages().send()`, ...): one round trip; `client()` and `messages()`: none (they only build)",
    builders: ["client", "messages", "lists", "members"],
  },
  {
    name: "Postmark",
    family: "api",
    packages: ["postmark"],
    factories: ["ServerClient", "AccountClient", "Client"],
    host: "api.postmarkapp.com",
    fallbackTarget: "api.postmarkapp.com",
    distribution: "single-homed",
    why: "Postmark's API is served from its US region",
    cost: "each call (`sendEmail()`, `sendEmailWithTemplate()`, ...): one round trip",
  },
  {
    name: "Mailchimp Marketing",
    family: "api",
    packages: ["@mailchimp/mailchimp_marketing"],
    factories: [],
    clients: ["default"],
    host: "api.mailchimp.com",
    fallbackTarget: "api.mailchimp.com",
    distribution: "single-homed",
    why: "the account's data centre (`<dc>.api.mailchimp.com`) is in the US",
    cost: "each call (`lists.addListMember()`, `ping.get()`, ...): one round trip; `setConfig()`: none",
    free: ["setConfig"],
  },
  {
    name: "wtf_wikipedia",
    family: "api",
    packages: ["wtf_wikipedia"],
    factories: [],
    functions: { fetch: 1 },
    host: "wikipedia.org",
    fallbackTarget: "wikipedia.org",
    distribution: "single-homed",
    why: "`wtf.fetch()` calls the MediaWiki API (`<lang>.wikipedia.org/w/api.php`), answered by Wikimedia's application servers in its primary data centre; the edge caches serve page views, not API calls",
    cost: "`wtf.fetch(title)`: one round trip; parsing (`wtf(text)`, `.infobox()`, `.json()`): none",
  },
  // ---- caches over TCP ----
  {
    name: "Redis (ioredis, node-redis)",
    family: "cache",
    packages: ["ioredis", "redis", "@redis/client"],
    factories: ["*", "Redis", "Cluster", "createClient"],
    host: null,
    fallbackTarget: "redis",
    distribution: "single-homed",
    why: "a Redis server lives where it is hosted, in one region (over TCP: needs `node:net` from the nodejs_compat flag)",
    cost: "each command: one round trip; `connect()`: one; `pipeline()`/`multi()` then `exec()`: one; listeners: none",
    free: ["on", "once", "off", "duplicate", "disconnect", "removeListener"],
    pipelines: ["pipeline", "multi"],
  },
  // ---- mail over SMTP ----
  {
    name: "nodemailer",
    family: "api",
    packages: ["nodemailer"],
    factories: ["createTransport"],
    host: null,
    fallbackTarget: "smtp",
    distribution: "single-homed",
    why: SMTP_SERVER,
    cost: `\`transporter.sendMail()\` over SMTP (\`host\`, an \`smtp://\` URL or a well-known \`service\`): ${SMTP_EXCHANGE} sequential round trips to the SMTP host (an SMTP exchange: greeting, EHLO, the envelope, the message); \`verify()\`: ${SMTP_GREETING}; \`jsonTransport\`, \`streamTransport\`, \`sendmail\` transports: none (nothing is sent); a transport from another package: unknown`,
    counts: { sendMail: SMTP_EXCHANGE, verify: SMTP_GREETING },
    free: ["use", "on", "once", "off", "removeListener", "close", "isIdle", "set", "getVersionString"],
    smtp: { localTransports: ["jsonTransport", "streamTransport", "sendmail"], services: NODEMAILER_SERVICES },
  },
  {
    name: "worker-mailer",
    family: "api",
    packages: ["worker-mailer"],
    factories: ["WorkerMailer"],
    host: null,
    fallbackTarget: "smtp",
    distribution: "single-homed",
    why: SMTP_SERVER + " (over `cloudflare:sockets`)",
    cost: `\`WorkerMailer.connect(options)\`: ${SMTP_GREETING} sequential round trips to the SMTP host (its greeting, EHLO); \`mailer.send(email)\`: ${SMTP_EXCHANGE - SMTP_GREETING} (the envelope, the message); \`WorkerMailer.send(options, email)\`: ${SMTP_EXCHANGE} (an SMTP exchange); \`close()\`: none`,
    counts: { send: SMTP_EXCHANGE - SMTP_GREETING },
    free: ["close"],
    smtp: { staticCalls: { connect: SMTP_GREETING, send: SMTP_EXCHANGE } },
  },
];

/**
 * Drizzle's drivers: the library each `drizzle-orm/<driver>` talks through, for its fallback target.
 *
 * `failedTransaction`: the driver has no interactive transactions; `db.transaction(cb)` fails after
 * this many round trips and its callback never runs, so the callback's queries are never sent
 * (neon-http throws at once: "No transactions support in neon-http driver"; over D1 the `begin`
 * statement is sent, and D1 rejects it).
 */
export const DRIZZLE_DRIVERS: Readonly<
  Record<string, { readonly driver: string; readonly d1?: true; readonly failedTransaction?: number }>
> = {
  "drizzle-orm/node-postgres": { driver: "pg" },
  "drizzle-orm/postgres-js": { driver: "postgres" },
  "drizzle-orm/neon-http": { driver: "@neondatabase/serverless", failedTransaction: 0 },
  "drizzle-orm/neon-serverless": { driver: "@neondatabase/serverless" },
  "drizzle-orm/libsql": { driver: "@libsql/client" },
  "drizzle-orm/planetscale-serverless": { driver: "@planetscale/database" },
  "drizzle-orm/mysql2": { driver: "mysql2" },
  "drizzle-orm/vercel-postgres": { driver: "@vercel/postgres" },
  "drizzle-orm/d1": { driver: "d1", d1: true, failedTransaction: 1 },
};

/** Drizzle's packages: any `drizzle-orm/<driver>` (the table lists the drivers it knows). */
export const DRIZZLE_MODULE_PREFIX = "drizzle-orm";

const BY_PACKAGE = new Map<string, Library>(LIBRARIES.flatMap((library) => library.packages.map((p) => [p, library] as const)));

/** The package a module specifier belongs to: `stripe/lib` is `stripe`, `@scope/pkg/sub` is `@scope/pkg`. */
export function packageOf(moduleName: string): string {
  const parts = moduleName.split("/");
  return moduleName.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * The library a module specifier is, if it is in the table: its own entry, else the entry of its
 * package (a subpath entry point, `better-auth/minimal`, `openai/resources`, is the same library
 * unless the subpath has an entry of its own, like `@prisma/client/edge`).
 */
export function libraryFor(moduleName: string): Library | undefined {
  return BY_PACKAGE.get(moduleName) ?? (moduleName.startsWith(".") ? undefined : BY_PACKAGE.get(packageOf(moduleName)));
}

/**
 * The Prisma package a project's generated client stands for, when a specifier names one:
 * Prisma's generator writes the client into the project (`output = "../src/generated/prisma"`,
 * required from Prisma 7) and the code imports it by path (`../generated/prisma`,
 * `@/generated/prisma/client`, `./generated/prisma/edge`). The folder is build output, most often
 * not committed: read as a missing file its queries would go unseen. A path whose last folder is
 * `prisma` under a `generated` folder (or Prisma's old default, `.prisma/client`), with a trailing
 * `client`/`index` file allowed, is the client; `/edge` is the edge build (`@prisma/client/edge`),
 * `/wasm` the Wasm build.
 */
export function generatedPrismaModule(specifier: string): string | undefined {
  if (!specifier.startsWith(".") && !specifier.startsWith("@/") && !specifier.startsWith("~/") && !specifier.startsWith("#"))
    return undefined;
  const segments = specifier
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => segment.replace(/\.(?:[cm]?js|[cm]?ts|d\.ts)$/, ""));
  let build = "";
  const last = segments[segments.length - 1];
  if (last === "edge" || last === "wasm") {
    build = "/" + last;
    segments.pop();
  }
  const tail = (): string => segments.slice(-2).join("/");
  if (tail() === ".prisma/client") return "@prisma/client" + build;
  if (["client", "index", "default"].includes(segments[segments.length - 1] ?? "")) segments.pop();
  return tail() === "generated/prisma" ? "@prisma/client" + build : undefined;
}

/** Whether a module belongs to a known library or one of its adapters (not an unknown library). */
export function isKnownLibraryModule(moduleName: string): boolean {
  // Asked for every call on a value a package made: the answer depends on the name and the table
  // alone (both fixed), so it is worked out once per name (bounded: the table of answers is
  // started again past 10,000 names).
  let known = knownModules.get(moduleName);
  if (known === undefined) {
    known =
      libraryFor(moduleName) !== undefined ||
      moduleName === DRIZZLE_MODULE_PREFIX ||
      moduleName.startsWith(DRIZZLE_MODULE_PREFIX + "/") ||
      LIBRARIES.some((library) => library.adapters?.some((prefix) => moduleName.startsWith(prefix)));
    if (knownModules.size >= 10_000) knownModules.clear();
    knownModules.set(moduleName, known);
  }
  return known;
}

const knownModules = new Map<string, boolean>();

/**
 * Packages whose objects do their work in the Worker (routers, validation, parsing, crypto, dates,
 * rendering): an awaited method of an object made from one of their classes is not a round trip.
 * An object made from any other package the table does not know is taken for a client of a remote
 * service (`new SomeClient(key).getLatest()`): its awaited calls are unknown, never nothing.
 */
const LOCAL_WORK_PACKAGES = [
  "hono",
  "@hono/",
  "itty-router",
  "elysia",
  "chanfana",
  "agents",
  // Node servers and GraphQL servers served in the Worker: `app.listen()`, `apollo.start()` are local.
  "express",
  "@apollo/server",
  "graphql-yoga",
  // The MCP SDK's server side: the server, its transports and `connect` work in the Worker; the
  // tools it runs are the project's code (handlers/mcp.ts). Its client (`sdk/client/...`) is not here.
  "@modelcontextprotocol/sdk/server/",
  "@modelcontextprotocol/server",
  // React Router's server runtime: its request context (`new RouterContextProvider()`) and session
  // helpers are in-memory; the loaders and actions it runs are the project's (handlers/frameworks.ts).
  "react-router",
  "@react-router/",
  // Remix (its predecessor): the same runtime, the same in-memory and cookie session helpers.
  "@remix-run/",
  "zod",
  "valibot",
  "ajv",
  "yup",
  "jose",
  "@tsndr/cloudflare-worker-jwt",
  "bcryptjs",
  "@noble/",
  "crypto-js",
  "uuid",
  "nanoid",
  "date-fns",
  "dayjs",
  "luxon",
  "decimal.js",
  "big.js",
  "bignumber.js",
  "marked",
  "cheerio",
  "htmlparser2",
  "linkedom",
  "satori",
  "@resvg/",
  "yaml",
  "js-yaml",
  "papaparse",
  "fast-xml-parser",
  "superjson",
  "pdf-lib",
  "qrcode",
  // Sanity's image URL builder: `builder.image(src).width(800).url()` only builds a CDN URL string.
  "@sanity/image-url",
  "lru-cache",
  "workers-og",
  "@cloudflare/",
  "wrangler",
  // rendering, parsing and utilities whose awaited functions run in the Worker
  "react",
  "react-dom",
  "preact",
  "preact-render-to-string",
  "vue",
  "@vue/",
  "svelte",
  "solid-js",
  "lodash",
  "lodash-es",
  "effect",
  "@effect/",
  "immer",
  "yjs",
  "postal-mime",
  "mimetext",
  "mime",
  "markdown-it",
  "unified",
  "remark",
  "rehype",
  "shiki",
  "jsonwebtoken",
  "bcrypt-ts",
  "@oslojs/",
  "oslo",
  "fflate",
  "pako",
  // Zip archives read and written in memory: `await JSZip.loadAsync(bytes)`, `zip.generateAsync()`.
  "jszip",
  "@zip.js/zip.js",
  "sanitize-html",
  "isomorphic-dompurify",
  "dompurify",
  // string and HTML utilities: text in, text out
  "entities",
  "he",
  "html-entities",
  "escape-html",
  "striptags",
  "html-to-text",
  "turndown",
  "xss",
  "slugify",
  "@sindresorhus/slugify",
  "change-case",
  "pluralize",
  "qs",
  "query-string",
  "ms",
  "semver",
  "validator",
  "ulid",
  "@paralleldrive/cuid2",
  "js-base64",
  "handlebars",
  "mustache",
  "@sinclair/typebox",
  "superstruct",
  "cookie",
  "cookie-es",
  "set-cookie-parser",
  // telemetry: what it sends is logging, which Smart Placement's answer does not weigh
  "@sentry/",
  "toucan-js",
  "@opentelemetry/",
  "@microlabs/otel-cf-workers",
  // Concurrency limiters: `await queue.onIdle()` waits for the tasks it was given (counted where
  // they were added, see callbackPackages.ts), it sends nothing itself.
  "p-queue",
  "p-limit",
  // Next.js's request and response objects (`NextRequest`, `NextResponse`): `await req.json()` reads the body.
  "next/server",
  // LangChain's text splitters (`new RecursiveCharacterTextSplitter(...).createDocuments([text])`):
  // they cut text in the Worker. Only the splitter modules: LangChain's models and stores do send.
  "langchain/text_splitter",
  "@langchain/textsplitters",
];

export function isLocalWorkPackage(moduleName: string): boolean {
  return LOCAL_WORK_PACKAGES.some((p) => (p.endsWith("/") ? moduleName.startsWith(p) : moduleName === p || moduleName.startsWith(p + "/")));
}

/** Kept for callers that ask by the old name. */
export const sdkFor = libraryFor;

/**
 * Libraries known to make network round trips that cannot be counted from the outside, for calls
 * the table does not describe (a function of the package that is not a client's method): an
 * awaited call on them makes the count unknown.
 */
export const OPAQUE_LIBRARIES: ReadonlyArray<{ prefix: string; name: string }> = [
  { prefix: "better-auth", name: "better-auth" },
  { prefix: "@auth/", name: "Auth.js" },
  { prefix: "next-auth", name: "NextAuth" },
  { prefix: "lucia", name: "Lucia" },
  { prefix: "@clerk/", name: "Clerk" },
  { prefix: "@workos-inc/", name: "WorkOS" },
  { prefix: "firebase-admin", name: "Firebase Admin" },
  { prefix: "firebase", name: "Firebase" },
  { prefix: "@cloudflare/workers-oauth-provider", name: "OAuth provider" },
  // `fetchRequestHandler({ req, router, createContext })`: the procedures run in the router's code.
  { prefix: "@trpc/server", name: "tRPC" },
];

/** `betterAuth(options)`, `new Stripe(key)`: an exported name that makes a client of a known library (no round trip of its own). */
export function isClientFactory(moduleName: string, exportName: string): boolean {
  const library = libraryFor(moduleName);
  return !!library && (library.factories.includes(exportName) || (exportName === "default" && library.factories.includes("*")));
}

export function opaqueLibrary(moduleName: string): string | undefined {
  return OPAQUE_LIBRARIES.find((lib) => moduleName === lib.prefix || moduleName.startsWith(lib.prefix))?.name;
}

/**
 * URL constants exported by well-known packages, for Workers whose checkout has no node_modules
 * (or whose package ships CommonJS, `exports.RouteBases = {...}`, which the analyser does not read
 * as exports): `fetch(RouteBases.api + Routes.oauth2TokenExchange())` then has a host. Each entry
 * names the package modules that export it, the export, its properties' values, and the source of
 * the values. What Smart Placement makes of the host is the host table's call (hosts.ts): an entry
 * here only says what the URL is.
 *
 * Discord: `discord.com/api` is the REST API of Discord's own servers. Cloudflare fronts the
 * domain, but API requests are not cached: they go on to Discord's back end, which runs in one
 * region, so the host is a back end. `cdn.discordapp.com` serves cached media from the edge: a
 * global host (hosts.ts).
 */
export const PACKAGE_URL_CONSTANTS: ReadonlyArray<{
  readonly modules: readonly string[];
  readonly name: string;
  readonly values: Readonly<Record<string, string>>;
  readonly source: string;
}> = [
  ...(["10", "9"] as const).map((version) => ({
    modules: [`discord-api-types/v${version}`, `discord-api-types/rest/v${version}`],
    name: "RouteBases",
    values: {
      api: `https://discord.com/api/v${version}`,
      cdn: "https://cdn.discordapp.com",
      invite: "https://discord.gg",
      template: "https://discord.new",
      gift: "https://discord.gift",
      scheduledEvent: "https://discord.com/events",
    },
    source: `discord-api-types, rest/v${version}/index.ts: \`RouteBases\` (api is \`https://discord.com/api/v\${APIVersion}\`)`,
  })),
  ...(["10", "9"] as const).map((version) => ({
    modules: [`discord-api-types/v${version}`, `discord-api-types/rest/v${version}`],
    name: "OAuth2Routes",
    values: {
      authorizationURL: `https://discord.com/api/v${version}/oauth2/authorize`,
      tokenURL: `https://discord.com/api/v${version}/oauth2/token`,
      tokenRevocationURL: `https://discord.com/api/v${version}/oauth2/token/revoke`,
    },
    source: `discord-api-types, rest/v${version}/index.ts: \`OAuth2Routes\`, built on \`RouteBases.api\``,
  })),
];

/** The value of `name.property` exported by a well-known package module (see PACKAGE_URL_CONSTANTS). */
export function packageUrlConstant(moduleName: string, name: string, property: string): string | undefined {
  const entry = PACKAGE_URL_CONSTANTS.find((c) => c.name === name && c.modules.includes(moduleName));
  return entry && Object.prototype.hasOwnProperty.call(entry.values, property) ? entry.values[property] : undefined;
}

/**
 * Libraries the table does not list that work through a client of a library it does: made with
 * that client (`new NotionToMarkdown({ notionClient })`), their awaited calls are round trips to the
 * client's service. Any such library's awaited call counts one by assumption; these are known to
 * page or recurse through the client's API in the `loops` methods (a loop of round trips: counted
 * as a loop of unknown length, twice), `why` says how.
 */
export const CLIENT_WRAPPERS: ReadonlyArray<{
  readonly package: string;
  /** The library (its `name` in LIBRARIES) whose client it is given. */
  readonly over: string;
  readonly loops: readonly string[];
  readonly why: string;
}> = [
  {
    package: "notion-to-md",
    over: "Notion",
    loops: ["pageToMarkdown", "blocksToMarkdown"],
    why: "lists a page's child blocks page by page, then the children of every nested block",
  },
];

/** The wrapper entry of a package made with a client of `library` (see CLIENT_WRAPPERS). */
export function clientWrapper(moduleName: string, library: Library): (typeof CLIENT_WRAPPERS)[number] | undefined {
  const pkg = packageOf(moduleName);
  return CLIENT_WRAPPERS.find((w) => w.package === pkg && w.over === library.name);
}
