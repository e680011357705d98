import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, printNode, propertyInitializer, rootImport, spanOf, truncate, type FunctionRef } from "../syntax";
import { firstAnswer } from "../values";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";
import { ownEntry } from "../../tables";

const {
  isAwaitExpression,
  isCallExpression,
  isIdentifier,
  isNewExpression,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
} = ts;

const MAX_DEPTH = 10;
/** Methods of an `McpServer` that register what a request may run, and what each registers. */
const REGISTRATIONS: Readonly<Record<string, string>> = {
  tool: "tool",
  registerTool: "tool",
  resource: "resource",
  registerResource: "resource",
  prompt: "prompt",
  registerPrompt: "prompt",
  // The low-level `Server`: one handler per request method (`tools/call`, `tools/list`), named by its schema.
  setRequestHandler: "request",
};
/** mcp-lite: its `McpServer`, and the transport whose `bind(server)` makes the request handler. */
const LITE_MODULE = "mcp-lite";
const LITE_TRANSPORT = "StreamableHttpTransport";
/** The route MCP servers are conventionally served at, when the request's route is not known. */
const DEFAULT_ENDPOINT = "/mcp";

/** The server side of the official MCP TypeScript SDK (`@modelcontextprotocol/sdk/server/...`). */
export function isMcpServerModule(name: string): boolean {
  return (
    name === "@modelcontextprotocol/sdk/server" ||
    name.startsWith("@modelcontextprotocol/sdk/server/") ||
    name === "@modelcontextprotocol/server" ||
    name === LITE_MODULE
  );
}

function isAgentsMcpModule(name: string): boolean {
  return name === "agents/mcp" || name === "agents";
}

type NodeRef<T extends ts.Node> = { readonly node: T; readonly module: ModuleFacts };

/**
 * The official MCP TypeScript SDK used directly in a Worker: `new McpServer(...)`, its tools,
 * resources and prompts registered with `server.tool(name, ..., cb)` / `registerTool(name, config,
 * cb)` (and `resource`, `registerResource`, `prompt`, `registerPrompt`), or the low-level `new
 * Server(...)` with its request handlers (`server.setRequestHandler(CallToolRequestSchema, fn)`),
 * connected to a transport
 * (`await server.connect(transport)`) that answers the request (`transport.handleRequest(request)`),
 * or served by `createMcpHandler(server)` of Cloudflare's `agents/mcp` (stateless, in the Worker).
 * Constructing the server and the transport and connecting them are no round trips; the request
 * runs one registered callback, so each callback is a request path (the worst one counts), named
 * `POST <route> tool <name>`. The server may be made in a factory (`createMcpServer()`, whose tools
 * are registered inside) in any module. mcp-lite's `new McpServer(...)` registers the same way, its
 * callback the `handler` of the definition (`mcp.tool(name, { handler })`), and is served by the
 * function `new StreamableHttpTransport().bind(mcp)` returns, called with the request.
 */
export class McpAdapter implements HandlerAdapter {
  readonly name = "MCP TypeScript SDK: McpServer with a transport, agents/mcp createMcpHandler";
  private readonly byServer = new Map<ts.Node, HandlerSite[]>();
  private readonly mcpModules = new WeakMap<ModuleFacts, boolean>();

  constructor(private readonly ctx: AnalysisContext) {}

  /** `export default { fetch: createMcpHandler(server) }` and the like. */
  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value) || !this.isCreateMcpHandler(value, module)) return undefined;
    return this.handlerSites(value, module, `${context.form} createMcpHandler`);
  }

  /**
   * `transport.handleRequest(request)` on an MCP transport, `createMcpHandler(server)(request, env,
   * ctx)` or `handler(request, env, ctx)` with `handler = createMcpHandler(server)` (or mcp-lite's
   * `handler = transport.bind(server)`): the server's registered callbacks.
   */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (isPropertyAccessExpression(callee) && callee.name.text === "handleRequest") {
      const transport = this.transportOf(callee.expression, module, 0);
      if (!transport) return undefined;
      const label = `handleRequest MCP ${truncate(printNode(transport.node.expression))}`;
      const server = this.connectedServer(transport);
      if (!server)
        return this.opaque(
          label,
          transport.module,
          transport.node,
          `the MCP server connected to ${truncate(printNode(callee.expression))} could not be found: its tools are the request paths`,
        );
      return this.registered(server, label);
    }
    const handler = this.handlerCallOf(callee, module, 0);
    if (!handler) return undefined;
    if (this.isCreateMcpHandler(handler.node, handler.module)) return this.handlerSites(handler.node, handler.module, "createMcpHandler");
    const label = `mcp-lite ${truncate(printNode(handler.node))}`;
    const given = handler.node.arguments[0];
    const server = given ? this.serverOf(given, handler.module, 0) : undefined;
    if (!server)
      return this.opaque(
        label,
        handler.module,
        handler.node,
        `the MCP server bound to the mcp-lite transport could not be resolved: its tools are the request paths`,
      );
    return this.registered(server, label);
  }

  /**
   * `transport.onmessage(message)` on an object the project made and gave to an MCP server's
   * `connect(transport)`: the SDK's `connect` replaces `onmessage` with the server's dispatcher, so
   * the call runs the tool the message names, not the function the object was written with. Each
   * registered callback is a path; a server that cannot be resolved is unknown, never nothing.
   */
  messageSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "onmessage") return undefined;
    const transport = unwrapExpression(callee.expression);
    const held = isIdentifier(transport) ? declarationOf(transport) : undefined;
    if (!held) return undefined;
    for (const connect of module.calls) {
      if (!isCallExpression(connect) || connect.arguments.length === 0) continue;
      const method = unwrapExpression(connect.expression);
      if (!isPropertyAccessExpression(method) || method.name.text !== "connect") continue;
      const given = unwrapExpression(connect.arguments[0]!);
      if (!isIdentifier(given) || declarationOf(given) !== held) continue;
      const label = `MCP ${truncate(printNode(callee))}`;
      const server = this.serverOf(method.expression, module, 0);
      if (server) return this.registered(server, label);
      // `connect` on something else (a database client) given the same object is no MCP server.
      if (!this.importsMcp(module) && !this.anyModuleImportsMcp()) return undefined;
      return this.opaque(
        label,
        module,
        call,
        `${truncate(printNode(callee))}(...) runs what ${truncate(printNode(method.expression))}.connect(${truncate(printNode(transport))}) installed, an MCP server the analyser could not resolve: its tools are the request paths`,
      );
    }
    return undefined;
  }

  /** mcp-lite's `transport.bind(server)` on a `new StreamableHttpTransport(...)`: the request handler it returns. */
  private isLiteBind(call: ts.CallExpression, module: ModuleFacts): boolean {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "bind" || call.arguments.length !== 1) return false;
    const transport = this.transportOf(callee.expression, module, 0);
    if (!transport) return false;
    const root = rootImport(transport.node.expression, transport.module);
    return root?.module === LITE_MODULE;
  }

  private isCreateMcpHandler(call: ts.CallExpression, module: ModuleFacts): boolean {
    const root = rootImport(call.expression, module);
    return !!root && isAgentsMcpModule(root.module) && root.name === "createMcpHandler" && isIdentifier(unwrapExpression(call.expression));
  }

  /** The `createMcpHandler(server)` (or mcp-lite `transport.bind(server)`) call a callee is or holds. */
  private handlerCallOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.CallExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isCallExpression(value))
      return this.isCreateMcpHandler(value, module) || this.isLiteBind(value, module) ? { node: value, module } : undefined;
    // The handler may be made in another module and imported (`import { mcpHandler } from "./mcp"`).
    if (!isIdentifier(value) || !(this.importsMcp(module) || this.anyModuleImportsMcp())) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
      this.handlerCallOf(source.expression, source.module, depth + 1),
    );
  }

  /** Whether any loaded module imports the MCP SDK's server or agents' MCP handler (no search without). */
  private anyModuleImportsMcp(): boolean {
    // Asked for every call the walk cannot classify: answered again only when more modules are loaded.
    const loaded = this.ctx.loader.modules.size;
    if (this.anyMcp?.loaded === loaded) return this.anyMcp.imports;
    let imports = false;
    for (const module of this.ctx.loader.modules.values()) if (this.importsMcp(module)) imports = true;
    this.anyMcp = { loaded, imports };
    return imports;
  }
  private anyMcp: { loaded: number; imports: boolean } | undefined;

  /** Whether the module imports the MCP SDK's server or agents' MCP handler (a cheap first check). */
  private importsMcp(module: ModuleFacts): boolean {
    let known = this.mcpModules.get(module);
    if (known === undefined) {
      known = false;
      for (const imported of module.imports.values())
        if (isMcpServerModule(imported.module) || isAgentsMcpModule(imported.module)) known = true;
      this.mcpModules.set(module, known);
    }
    return known;
  }

  private handlerSites(call: ts.CallExpression, module: ModuleFacts, label: string): HandlerSite[] {
    const server = call.arguments[0] ? this.serverOf(call.arguments[0], module, 0) : undefined;
    if (!server)
      return this.opaque(
        label,
        module,
        call,
        `the MCP server given to createMcpHandler(...) could not be resolved: its tools are the request paths`,
      );
    const options = call.arguments[1] ? unwrapExpression(call.arguments[1]) : undefined;
    let endpoint = DEFAULT_ENDPOINT;
    if (options && isObjectLiteralExpression(options))
      for (const property of options.properties) {
        if (property.name && isIdentifier(property.name) && property.name.text === "route") {
          const held = propertyInitializer(property);
          endpoint = (held ? this.ctx.values.evaluateString(held, 0) : undefined) ?? "*";
        }
      }
    return this.registered(server, label, endpoint);
  }

  /**
   * The `new XTransport(...)` of the MCP SDK a value holds, or of the packages that make one for a
   * platform: agents' `WorkerTransport`, `@hono/mcp`'s `StreamableHTTPTransport` (given Hono's context).
   */
  private transportOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.NewExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      const transport =
        root &&
        (isMcpServerModule(root.module) ||
          (isAgentsMcpModule(root.module) && root.name === "WorkerTransport") ||
          (root.module === "@hono/mcp" && root.name === "StreamableHTTPTransport") ||
          (root.module === LITE_MODULE && root.name === LITE_TRANSPORT));
      return transport ? { node: value, module } : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.transportOf(source.expression, source.module, depth + 1));
  }

  /** The `new McpServer(...)` a value holds: through names, imports and factories of the project. */
  private serverOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.NewExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      // `McpServer`, or the low-level `Server` whose request handlers are set with `setRequestHandler(schema, fn)`.
      return root && isMcpServerModule(root.module) && (root.name === "McpServer" || root.name === "Server")
        ? { node: value, module }
        : undefined;
    }
    // `mcp.server`: the low-level `Server` an `McpServer` wraps, which holds the same registrations.
    if (isPropertyAccessExpression(value) && value.name.text === "server") return this.serverOf(value.expression, module, depth + 1);
    if (isIdentifier(value)) {
      const found = firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.serverOf(source.expression, source.module, depth + 1),
      );
      if (found) return found;
      // A registrar given the server (`registerNotes(server)`): what the calls met so far pass it.
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) {
        const passed = this.ctx.values.argumentsPassedFor(declaration);
        const sources = passed.length > 0 ? passed : this.anyModuleImportsMcp() ? this.ctx.values.argumentsAtCallSites(declaration) : [];
        for (const source of sources) {
          const found = this.serverOf(source.expression, source.module, depth + 1);
          if (found) return found;
        }
      }
      return undefined;
    }
    if (isCallExpression(value)) {
      const factory = this.ctx.values.calledFunction(unwrapExpression(value.expression), module);
      if (!factory) return undefined;
      const found = firstAnswer(this.ctx.values.returnedValues(factory.fn, factory.module), (returned) =>
        this.serverOf(returned.expression, returned.module, depth + 1),
      );
      if (found) return found;
    }
    return undefined;
  }

  /** The server of `server.connect(transport)`, found among the calls of the modules that hold either. */
  private connectedServer(transport: NodeRef<ts.NewExpression>): NodeRef<ts.NewExpression> | undefined {
    this.ctx.walker.cutWalk();
    for (const module of this.ctx.loader.modules.values()) {
      if (!this.importsMcp(module) && module !== transport.module) continue;
      for (const call of module.calls) {
        if (!isCallExpression(call) || call.arguments.length === 0) continue;
        const callee = unwrapExpression(call.expression);
        if (!isPropertyAccessExpression(callee) || callee.name.text !== "connect") continue;
        if (this.transportOf(call.arguments[0]!, module, 0)?.node !== transport.node) continue;
        const server = this.serverOf(callee.expression, module, 0);
        if (server) return server;
      }
    }
    return undefined;
  }

  private opaque(label: string, module: ModuleFacts, node: ts.Node, why: string): HandlerSite[] {
    return [
      { kind: "fetch", form: label, module, span: spanOf(node), functions: [], route: `POST ${DEFAULT_ENDPOINT}`, opaque: `MCP: ${why}` },
    ];
  }

  /**
   * The callbacks registered on a server, in every loaded module (a server made in a factory
   * registers its tools inside it; modules may register on an exported server for their effect):
   * read beyond the walked function's imports, so the walk is not kept.
   */
  private registered(server: NodeRef<ts.NewExpression>, label: string, endpoint?: string): HandlerSite[] {
    const route = endpoint !== undefined ? `POST ${endpoint}` : this.currentRoute();
    const key = server.node;
    const cached = endpoint === undefined ? undefined : this.byServer.get(key);
    if (cached) return cached;
    this.ctx.walker.cutWalk();
    const found: Array<{ what: string; name: string; fn: FunctionRef; span: ts.Node }> = [];
    for (const module of this.ctx.loader.modules.values()) {
      if (!this.importsMcp(module) && module !== server.module) {
        // A module that registers on a server it imports or is given need not import the SDK itself.
        if (!module.calls.some((c) => isCallExpression(c) && this.registrationOf(c) !== undefined)) continue;
      }
      for (const call of module.calls) {
        if (!isCallExpression(call)) continue;
        const what = this.registrationOf(call);
        if (!what) continue;
        const callee = call.expression as ts.PropertyAccessExpression;
        if (this.serverOf(callee.expression, module, 0)?.node !== server.node) continue;
        const last = call.arguments[call.arguments.length - 1];
        const fn = last ? this.registeredCallback(last, module) : undefined;
        if (!fn) continue;
        const first = call.arguments[0];
        const name = (first ? this.ctx.values.evaluateString(first, 0) : undefined) ?? (first ? truncate(printNode(first)) : "?");
        found.push({ what, name, fn, span: first ?? call });
      }
    }
    const serverName = truncate(printNode(server.node.expression));
    const sites: HandlerSite[] =
      found.length === 0
        ? [
            {
              kind: "fetch",
              form: label,
              module: server.module,
              span: spanOf(server.node),
              functions: [],
              route,
              opaque: `MCP: the tools, resources and prompts of the MCP server ${serverName} (${server.module.path.split("/").pop()}) could not be found: they are the request paths`,
            },
          ]
        : found.map((r) => ({
            kind: "fetch",
            form: `${label} ${r.what}`,
            module: r.fn.module,
            span: spanOf(r.span),
            functions: [r.fn],
            route: `${route} ${r.what} ${r.name}`,
          }));
    if (endpoint !== undefined) this.byServer.set(key, sites);
    return sites;
  }

  /** The callback a registration's last argument gives: a function, or the `handler` of mcp-lite's definition object. */
  private registeredCallback(last: ts.Expression, module: ModuleFacts): FunctionRef | undefined {
    const direct = this.ctx.values.functionFrom(last, module);
    if (direct) return direct;
    const definition = unwrapExpression(last);
    if (!isObjectLiteralExpression(definition)) return undefined;
    for (const property of definition.properties) {
      if (!property.name || !isIdentifier(property.name) || property.name.text !== "handler") continue;
      // `handler(args) { ... }` written as a method is the function itself.
      if (ts.isMethodDeclaration(property)) return { fn: property, module };
      const held = propertyInitializer(property);
      return held ? this.ctx.values.functionFrom(held, module) : undefined;
    }
    return undefined;
  }

  /** The kind of callback a call registers on a server (`server.tool(...)`), by its method's name. */
  private registrationOf(call: ts.CallExpression): string | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || call.arguments.length < 2) return undefined;
    return ownEntry(REGISTRATIONS, callee.name.text);
  }

  /** Whether a call registers a callback on an MCP server (the walk does not run it there). */
  isRegistration(call: ts.CallExpression, module: ModuleFacts): boolean {
    if (!this.registrationOf(call)) return false;
    return this.serverOf((unwrapExpression(call.expression) as ts.PropertyAccessExpression).expression, module, 0) !== undefined;
  }

  /** The route being walked (`POST /api/mcp`, `ALL /mcp`), else the conventional `POST /mcp`. */
  private currentRoute(): string {
    const route = this.ctx.walker.currentRoute();
    return route !== undefined && route.includes(" /") ? route : `POST ${DEFAULT_ENDPOINT}`;
  }
}
