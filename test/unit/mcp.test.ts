import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { analyzeWorker, createAnalysisCache } from "../../server/src/core/worker/analyze";
import { analyse, NO_BINDINGS, statusOf } from "./helpers/analyse";

/** The official MCP TypeScript SDK served in a Worker: each registered callback is a request path. */

const TWO_CALLS = `await fetch("https://db.example.com/1"); await fetch("https://db.example.com/2");`;
const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

const SERVER = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";`;

describe("MCP SDK: McpServer with a transport", () => {
  it("transport.handleRequest(request): each tool is a path, the worst counts; connect and the transport are no round trips", () => {
    const a = analyse({
      "src/index.ts": `${SERVER}
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("one", {}, async () => { await fetch("https://db.example.com/q"); return { content: [] }; });
server.registerTool("two", { description: "" }, async () => { ${TWO_CALLS} return { content: [] }; });
export default { async fetch(request: Request) {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  return transport.handleRequest(request);
} };`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [["POST /mcp tool two", 2]]);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a factory in another module (JavaScript): the server it returns, tools, resources and prompts registered inside it, served in a Hono route", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createMcpServer } from "./mcp/server.js";
const app = new Hono();
app.post("/api/mcp", async (c) => {
  const server = createMcpServer(c.env);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(c.req.raw);
});
export default app;`,
        "src/mcp/server.js": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export function createMcpServer(env) {
  const server = new McpServer({ name: "notes", version: "0.1.0" });
  server.resource("notes", "notes://all", async () => { await fetch("https://db.example.com/notes"); return { contents: [] }; });
  server.registerPrompt("summarise", { title: "Summarise" }, async () => { ${TWO_CALLS} ${TWO_CALLS} return { messages: [] }; });
  server.tool("save", "Saves a note", {}, async () => { ${TWO_CALLS} await fetch("https://db.example.com/3"); return { content: [] }; });
  return server;
}`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    // Registering runs nothing: the factory's callbacks are not counted when the route calls it.
    assert.deepEqual(routes(a), [["POST /api/mcp prompt summarise", 4]]);
    assert.equal(a.roundTrips, 4);
  });

  it("createMcpHandler(server) of agents/mcp, called with the request and as the fetch handler itself, with its route option", () => {
    const called = analyse({
      "src/index.ts": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createMcpHandler } from "agents/mcp";
function build() {
  const server = new McpServer({ name: "calc", version: "1.0.0" });
  server.registerTool("add", { inputSchema: {} }, async () => { ${TWO_CALLS} return { content: [] }; });
  server.registerTool("noop", { inputSchema: {} }, async () => ({ content: [] }));
  return server;
}
export default { fetch(request: Request, env: unknown, ctx: ExecutionContext) { return createMcpHandler(build())(request, env, ctx); } };`,
    });
    assert.deepEqual(called.unknowns, []);
    assert.deepEqual(routes(called), [["POST /mcp tool add", 2]]);
    const held = analyse({
      "src/index.ts": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createMcpHandler } from "agents/mcp";
const server = new McpServer({ name: "calc", version: "1.0.0" });
server.tool("one", async () => { await fetch("https://db.example.com/1"); return { content: [] }; });
export default { fetch: createMcpHandler(server, { route: "/rpc" }) };`,
    });
    assert.deepEqual(held.unknowns, []);
    assert.deepEqual(routes(held), [["POST /rpc tool one", 1]]);
    assert.equal(statusOf(held), "INSUFFICIENT_SUBREQUESTS");
  });

  it("agents' WorkerTransport, connected without await, and a server made per request by a factory", () => {
    const a = analyse({
      "src/index.ts": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WorkerTransport } from "agents/mcp";
function createServer() {
  const server = new McpServer({ name: "hello", version: "1.0.0" });
  server.tool("hello", "Greets", {}, async () => { ${TWO_CALLS} await fetch("https://db.example.com/3"); return { content: [] }; });
  return server;
}
export default { async fetch(request: Request) {
  const transport = new WorkerTransport();
  const server = createServer();
  server.connect(transport);
  return transport.handleRequest(request);
} };`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [["POST /mcp tool hello", 3]]);
  });

  it("tools registered by a registrar function of another module given the server, and analysed again after an edit (kept summaries) as fresh", () => {
    const files: Record<string, string> = {
      "/w/src/index.ts": `import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createMcpServer } from "./server";
export default { async fetch(request: Request) {
  const server = createMcpServer();
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  return transport.handleRequest(request);
} };`,
      "/w/src/server.ts": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerNotes } from "./tools/notes";
export function createMcpServer() {
  const server = new McpServer({ name: "n", version: "1" });
  server.tool("ping", async () => { await fetch("https://db.example.com/ping"); return { content: [] }; });
  registerNotes(server);
  return server;
}`,
      "/w/src/tools/notes.ts": `import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export function registerNotes(server: McpServer) {
  server.tool("notes", async () => { ${TWO_CALLS} return { content: [] }; });
}`,
    };
    const fs = new MemoryFileSystem(files);
    const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO_BINDINGS };
    const cache = createAnalysisCache();
    const first = analyzeWorker(input, cache);
    assert.deepEqual(first.unknowns, []);
    assert.deepEqual(routes(first), [["POST /mcp tool notes", 2]]);
    analyzeWorker(input, cache);
    fs.set(
      "/w/src/tools/notes.ts",
      files["/w/src/tools/notes.ts"]!.replace(TWO_CALLS, `${TWO_CALLS} await fetch("https://db.example.com/3");`),
    );
    const again = analyzeWorker(input, cache);
    const fresh = analyzeWorker(input, createAnalysisCache());
    assert.equal(JSON.stringify(again), JSON.stringify(fresh));
    assert.deepEqual(routes(again), [["POST /mcp tool notes", 3]]);
    fs.set("/w/src/index.ts", files["/w/src/index.ts"] + "\n// edited\n");
    const third = analyzeWorker(input, cache);
    assert.equal(JSON.stringify(third), JSON.stringify(analyzeWorker(input, createAnalysisCache())));
    assert.equal(third.roundTrips, 3);
  });

  it("a registrar called at module level with an exported server served by createMcpHandler (JavaScript)", () => {
    const a = analyse(
      {
        "src/index.js": `import { createMcpHandler } from "agents/mcp";\nimport { server } from "./server.js";\nexport default { fetch: createMcpHandler(server) };`,
        "src/server.js": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { registerSearch } from "./search.js";
export const server = new McpServer({ name: "s", version: "1" });
server.tool("ping", async () => ({ content: [] }));
registerSearch(server, 10);`,
        "src/search.js": `export const registerSearch = (mcp, limit) => {
  mcp.registerTool("search", {}, async () => { await fetch("https://search.example.com/a?n=" + limit); await fetch("https://search.example.com/b"); return { content: [] }; });
};`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    // Served as the fetch handler itself: each callback is a handler of its own.
    assert.deepEqual(routes(a), [
      ["POST /mcp tool ping", 0],
      ["POST /mcp tool search", 2],
    ]);
    assert.equal(a.roundTrips, 2);
  });

  it("@hono/mcp's StreamableHTTPTransport in a Hono route, named by the route; a low-level Server's request handlers are paths", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { StreamableHTTPTransport } from "@hono/mcp";
const mcpServer = new McpServer({ name: "h", version: "1" });
mcpServer.tool("t", async () => { ${TWO_CALLS} return { content: [] }; });
const app = new Hono();
app.all("/mcp", async (c) => { const transport = new StreamableHTTPTransport(); await mcpServer.connect(transport); return transport.handleRequest(c); });
app.all("/low", async (c) => {
  const s = new Server({ name: "x", version: "1" }, {});
  s.oninitialized = async () => { await fetch("https://registry.example.com/latest"); };
  s.setRequestHandler(CallToolRequestSchema, async () => { await fetch("https://api.example.com/one"); return { content: [] }; });
  const transport = new StreamableHTTPTransport(); await s.connect(transport); return transport.handleRequest(c);
});
export default app;`,
    });
    assert.deepEqual(routes(a), [
      ["ALL /mcp tool t", 2],
      ["ALL /low request CallToolRequestSchema", 1],
    ]);
    assert.deepEqual(a.unknowns, []);
    // The listener set on `oninitialized` runs after the initialized notification: listed, on no path.
    const listener = a.subrequests.find((s) => s.target === "registry.example.com");
    assert.deepEqual([listener?.criticalPath, listener?.waitUntil], [false, false]);
  });

  it("a server whose registrations cannot be found is unknown, naming the MCP server, never zero", () => {
    const none = analyse({
      "src/index.ts": `${SERVER}
import { registerAll } from "mcp-tool-pack";
const server = new McpServer({ name: "demo", version: "1.0.0" });
registerAll(server);
export default { async fetch(request: Request) {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  return transport.handleRequest(request);
} };`,
    });
    assert.equal(statusOf(none), "UNKNOWN");
    assert.deepEqual(none.unknowns, [
      "MCP: the tools, resources and prompts of the MCP server McpServer (index.ts) could not be found: they are the request paths",
    ]);
    const unconnected = analyse({
      "src/index.ts": `${SERVER}
export default { async fetch(request: Request) {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  return transport.handleRequest(request);
} };`,
    });
    assert.equal(statusOf(unconnected), "UNKNOWN");
    assert.deepEqual(unconnected.unknowns, [
      "MCP: the MCP server connected to transport could not be found: its tools are the request paths",
    ]);
  });

  it("the SDK's client is not taken for local work: an awaited call on it is a round trip by assumption, unknown when strict", () => {
    const files = {
      "src/index.ts": `import { Client } from "@modelcontextprotocol/sdk/client/index.js";
export default { async fetch() { const client = new Client({ name: "c", version: "1" }); await client.listTools(); return new Response(); } };`,
    };
    const likely = analyse(files);
    assert.deepEqual([statusOf(likely), likely.roundTrips, likely.unknowns.length], ["INSUFFICIENT_SUBREQUESTS", 1, 0]);
    const a = analyse(files, { assume: "strict" });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.equal(a.unknowns.length, 1);
  });
});

describe("mcp-lite: McpServer bound to StreamableHttpTransport", () => {
  const LITE = `import { McpServer, StreamableHttpTransport } from "mcp-lite";
const mcp = new McpServer({ name: "demo", version: "1.0.0" });
mcp.tool("one", { description: "", handler: async () => { await fetch("https://db.example.com/q"); return { content: [] }; } });
mcp.tool("two", { description: "", async handler() { ${TWO_CALLS} return { content: [] }; } });
mcp.prompt("three", { handler: () => ({ messages: [] }) });
mcp.resource("demo://r", { name: "r" }, async (uri) => ({ contents: [{ uri: uri.href, text: "r" }] }));`;

  it("a handler imported into a Hono route: each registered callback is a path, the worst counts", () => {
    const a = analyse({
      "src/mcp.ts": `${LITE}
export const handle = new StreamableHttpTransport().bind(mcp);`,
      "src/index.ts": `import { Hono } from "hono";
import { handle } from "./mcp";
const app = new Hono();
app.all("/mcp", (c) => handle(c.req.raw));
export default app;`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [["ALL /mcp tool two", 2]]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("bound and called in the fetch handler (JavaScript)", () => {
    const a = analyse(
      {
        "src/index.js": `${LITE}
const transport = new StreamableHttpTransport();
export default { async fetch(request) { return transport.bind(mcp)(request); } };`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [["POST /mcp tool two", 2]]);
  });

  it("a server that cannot be resolved is unknown, named", () => {
    const a = analyse({
      "src/index.ts": `import { StreamableHttpTransport } from "mcp-lite";
import { server } from "some-mcp-kit";
const handle = new StreamableHttpTransport().bind(server);
export default { async fetch(request: Request) { return handle(request); } };`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.deepEqual(a.unknowns, [
      "MCP: the MCP server bound to the mcp-lite transport could not be resolved: its tools are the request paths",
    ]);
  });
});
