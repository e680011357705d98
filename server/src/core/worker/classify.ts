import ts from "typescript";
import { classifyHost } from "./hosts";
import { D1_PINNING_ENDED } from "../platform";
import type { AnalysisContext } from "./context";
import type { ValueRef } from "./values";
import { unwrapExpression, type ModuleFacts } from "./module";
import { DRIZZLE_MODULE_PREFIX, sdkFor } from "./sdks";
import type { ClassifiedSubrequest } from "./summaries";
import type { BindingNames, SubrequestCategory, SubrequestKind } from "./types";
import {
  spanOf,
  truncate,
  printNode,
  rootImport,
  preparedOn,
  isEnvLike,
  isChainTop,
  isFactory,
  localFunction,
  declarationOf,
} from "./syntax";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  isAwaitExpression,
  isCallExpression,
  isElementAccessExpression,
  isIdentifier,
  isNewExpression,
  isNumericLiteral,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isStringLiteralLike,
  isTaggedTemplateExpression,
} = ts;

const KV_METHODS = new Set(["get", "getWithMetadata", "put", "delete", "list"]);
const R2_METHODS = new Set(["get", "put", "head", "list", "delete", "createMultipartUpload", "resumeMultipartUpload"]);
const D1_TERMINALS = new Set(["first", "all", "run", "raw"]);

type MakeSubrequest = (kind: SubrequestKind, target: string | null, category: SubrequestCategory, note: string) => ClassifiedSubrequest;

/** A value that makes subrequests when called on: an SDK or Drizzle client, a D1 session, a DO stub. */
interface ClientKind {
  readonly kind: SubrequestKind;
  readonly target: string | null;
  readonly category: SubrequestCategory;
  readonly note: string;
}

/** What a call is: which subrequest (a fetch, a binding, a database client's query), if any. */
export class CallClassifier {
  /** Client kinds by declaration: most calls are on plain values, asked about again and again. */
  private readonly clients = new Map<ts.Node, ClientKind | null>();

  constructor(private readonly ctx: AnalysisContext) {}

  /** What a call is: a subrequest, "skip" (not one and nothing to follow), or undefined (look further). */
  classify(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    callee: ts.Expression,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): ClassifiedSubrequest | "skip" | undefined {
    const file = module.path;
    const span = spanOf(node, module.sourceFile);
    const make: MakeSubrequest = (kind, target, category, note) => ({ file, span, kind, target, category, note });

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
      return this.classifyFetch(args[0], make);
    }

    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      const binding = this.ctx.values.bindingOf(receiver);
      if (binding) return this.classifyBindingCall(binding, method, make);

      // D1: env.DB.prepare(...).bind(...).first() and sessions.
      const database =
        D1_TERMINALS.has(method) && (isCallExpression(receiver) || isIdentifier(receiver)) ? preparedOn(receiver) : undefined;
      if (database) {
        const client = isIdentifier(database) ? this.clientKind(database, module, 0) : undefined;
        const name = this.ctx.values.bindingOf(database)?.name ?? client?.target ?? printNode(database);
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

      // A binding chosen at run time: `env[name].fetch(request)`.
      if (isElementAccessExpression(receiver) && isEnvLike(receiver.expression) && !isLiteralKey(receiver.argumentExpression)) {
        const kinds = new Set(this.ctx.bindingKinds.values());
        if (kinds.size === 1 && kinds.has("services") && method === "fetch")
          return make(
            "service",
            null,
            "binding",
            `${truncate(printNode(callee))}(...): one of the Worker's service bindings, chosen at run time`,
          );
        return {
          ...make("other", null, "unknown", `${truncate(printNode(callee))}(...) calls a binding chosen at run time`),
          unresolved: true,
        };
      }
    }

    // A dynamic call: `handlers[name](request)`.
    if (isElementAccessExpression(callee) && !isLiteralKey(callee.argumentExpression)) {
      return {
        ...make("other", null, "unknown", `${truncate(printNode(callee))}(...) is a dynamic call whose target cannot be resolved`),
        unresolved: true,
      };
    }

    // Clients: SDKs, Drizzle, DO stubs and D1 sessions held in variables, fields, context variables.
    if (isChainTop(node)) {
      const client = this.clientOfChain(isTaggedTemplateExpression(node) ? node.tag : callee, module);
      if (client) return make(client.kind, client.target, client.category, client.note);
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
          return make(
            "socket",
            target,
            target ? classifyHost(target, this.ctx.input.hostCategories).category : "unknown",
            `TCP socket to ${target ?? "an unresolved address"}`,
          );
        }
      }
    }
    return undefined;
  }

  private classifyFetch(url: ts.Expression | undefined, make: MakeSubrequest): ClassifiedSubrequest {
    if (!url) return make("fetch", null, "unknown", "fetch without a URL");
    if (this.ctx.values.isIncomingRequest(url))
      return make("fetch", "origin", "backend", "passes the incoming request on to the origin server");
    const host = this.ctx.values.urlHost(url);
    if (!host) return make("fetch", null, "unknown", `the URL ${truncate(printNode(url))} cannot be resolved to a host`);
    const classification = classifyHost(host, this.ctx.input.hostCategories);
    return make("fetch", host, classification.category, classification.note);
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
          ...make("other", name, "binding", `static assets through the ${name} binding: served from where the Worker runs`),
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

  /** D1 is a back end like any other today; under the 2024 rules it is a binding that pins the Worker. */
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
   * `this.db` in a class, `c.var.db` / `c.get("db")` from the request context, `getDb(env)`.
   */
  private clientOfChain(expression: ts.Expression, module: ModuleFacts): ClientKind | undefined {
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
      if (isIdentifier(link)) client = this.clientKind(link, module, 0);
      else if (isPropertyAccessExpression(link) || isCallExpression(link)) {
        if (this.isTraceable(link)) client = this.clientOfValue(link, module, 0);
      }
      if (client) return client;
    }
    return undefined;
  }

  /** Links worth resolving as values: `this.x`, context reads, and calls of plain functions (`getDb(env)`). */
  private isTraceable(link: ts.PropertyAccessExpression | ts.CallExpression): boolean {
    if (isPropertyAccessExpression(link))
      return link.expression.kind === SyntaxKind.ThisKeyword || this.ctx.values.contextKey(link) !== undefined;
    const callee = unwrapExpression(link.expression);
    return isIdentifier(callee) || this.ctx.values.contextKey(link) !== undefined;
  }

  /** A value known to make subrequests when used: SDK clients, Drizzle, D1 sessions, DO stubs. */
  private clientKind(identifier: ts.Identifier, module: ModuleFacts, depth: number): ClientKind | undefined {
    if (depth > 8) return undefined;
    const declaration = declarationOf(identifier);
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
    // An imported ready-made client (`import { sql } from "@vercel/postgres"`).
    if (!declaration) {
      const imported = module.imports.get(identifier.text);
      if (!imported) return undefined;
      const sdk = sdkFor(imported.module);
      if (sdk && isFactory(sdk.factories, imported.name)) return undefined; // making a client is not a round trip
      if (sdk) return this.sdkClient(sdk.name, sdk.host, sdk.global === true, undefined);
    }
    for (const source of this.ctx.values.valuesOf(identifier, module, depth)) {
      const kind = this.clientOfValue(source.expression, source.module, depth + 1);
      if (kind) return kind;
    }
    // A client handed to a helper (`listUsers(supabase)`): what the calls met so far pass.
    if (declaration && isParameter(declaration)) return this.firstClient(this.ctx.values.argumentsPassedFor(declaration), depth);
    return undefined;
  }

  /** The client an expression evaluates to: made by an SDK, Drizzle, a binding, or a project function. */
  private clientOfValue(expression: ts.Expression, module: ModuleFacts, depth: number): ClientKind | undefined {
    if (depth > 8) return undefined;
    let init = unwrapExpression(expression);
    if (isAwaitExpression(init)) init = unwrapExpression(init.expression);
    if (isIdentifier(init)) return this.clientKind(init, module, depth + 1);
    const key = this.ctx.values.contextKey(init);
    if (key !== undefined) return this.firstClient(this.ctx.values.contextValues(key), depth);
    if (isPropertyAccessExpression(init) && init.expression.kind === SyntaxKind.ThisKeyword)
      return this.firstClient(this.ctx.values.thisMemberValues(init, module), depth);
    if (!isCallExpression(init) && !isNewExpression(init)) return undefined;
    const callee = unwrapExpression(init.expression);
    const args = init.arguments ?? [];
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
    const root = rootImport(callee, module);
    if (root?.module.startsWith(DRIZZLE_MODULE_PREFIX)) {
      const driver = args[0] ? unwrapExpression(args[0]) : undefined;
      const binding = driver ? this.ctx.values.bindingOf(driver) : undefined;
      if (binding?.kind === "d1")
        return { kind: "d1", target: binding.name, category: this.d1Category(), note: this.d1Note(`Drizzle over D1 ${binding.name}`) };
      if (driver && isIdentifier(driver))
        return (
          this.clientKind(driver, module, depth + 1) ?? {
            kind: "sdk",
            target: null,
            category: "unknown",
            note: "Drizzle over a driver the analyser cannot resolve",
          }
        );
      if (driver && isObjectLiteralExpression(driver))
        return { kind: "sdk", target: null, category: "unknown", note: "Drizzle with a connection the analyser cannot resolve" };
      return { kind: "sdk", target: null, category: "unknown", note: "Drizzle over an unresolved driver" };
    }
    const sdk = root ? sdkFor(root.module) : undefined;
    if (sdk) return this.sdkClient(sdk.name, sdk.host, sdk.global === true, args[0]);
    // A function of the project that returns a client: `getDb(env)`.
    if (isCallExpression(init)) {
      const fn = this.ctx.values.calledFunction(callee, module);
      if (fn) return this.firstClient(this.ctx.values.returnedValues(fn.fn, fn.module), depth);
    }
    return undefined;
  }

  private firstClient(sources: readonly ValueRef[], depth: number): ClientKind | undefined {
    for (const source of sources) {
      const kind = this.clientOfValue(source.expression, source.module, depth + 1);
      if (kind) return kind;
    }
    return undefined;
  }

  private sdkClient(name: string, fixedHost: string | null, global: boolean, urlArgument: ts.Expression | undefined): ClientKind {
    if (fixedHost) return { kind: "sdk", target: fixedHost, category: global ? "global" : "backend", note: `${name} API at ${fixedHost}` };
    const url = urlArgument ? this.ctx.values.connectionTarget(urlArgument) : undefined;
    if (url)
      return {
        kind: "sdk",
        target: url,
        category: classifyHost(url, this.ctx.input.hostCategories).category,
        note: `${name} client for ${url}`,
      };
    // A database client whose address is a secret: a single-homed back end, host unknown.
    return {
      kind: "sdk",
      target: name.toLowerCase().split(" ")[0]!,
      category: "backend",
      note: `${name} client: each query is a round trip to the database`,
    };
  }
}

/** `obj["name"]`, `list[0]`: a key known without running the code. */
function isLiteralKey(expression: ts.Expression): boolean {
  return isStringLiteralLike(expression) || isNumericLiteral(expression);
}
