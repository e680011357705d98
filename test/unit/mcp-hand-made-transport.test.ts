import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** An MCP server given a transport object the project writes itself, then called through its `onmessage`. */

const routes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

const TRANSPORT = `const transport = {
    onmessage: (_message: unknown) => {},
    start: async () => {},
    close: async () => {},
    send: async (_message: unknown) => {},
  };`;

describe("MCP: a hand-made transport's onmessage", () => {
  it("mcp.server.connect(transport) then transport.onmessage(body): each tool is a path, not the placeholder", () => {
    const a = analyse({
      "src/index.ts": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const mcp = new McpServer({ name: "demo", version: "1.0.0" });
mcp.registerTool("one", { description: "" }, async () => { await fetch("https://db.example.com/1"); return { content: [] }; });
mcp.registerTool("two", { description: "" }, async () => {
  await fetch("https://db.example.com/1");
  await fetch("https://db.example.com/2");
  return { content: [] };
});
export default { async fetch(request: Request) {
  ${TRANSPORT}
  await mcp.server.connect(transport);
  transport.onmessage(await request.json());
  return new Response("ok");
} };`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(routes(a), [["POST /mcp tool two", 2]]);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a connected server that cannot be resolved: unknown naming it, never zero", () => {
    const a = analyse({
      "src/index.ts": `import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { McpServer as Made } from "@modelcontextprotocol/sdk/server/mcp.js";
export const made = new Made({ name: "demo", version: "1.0.0" });
export default { async fetch(request: Request) {
  const server = Reflect.get(globalThis, "mcp") as McpServer;
  ${TRANSPORT}
  await server.connect(transport);
  transport.onmessage(await request.json());
  return new Response("ok");
} };`,
    });
    assert.equal(statusOf(a), "UNKNOWN");
    assert.ok(
      a.unknowns.includes(
        "MCP: transport.onmessage(...) runs what server.connect(transport) installed, an MCP server the analyser could not resolve: its tools are the request paths",
      ),
      a.unknowns.join("\n"),
    );
  });

  it("onmessage on an object given to a connect of no MCP server (no MCP import anywhere): the function written runs", () => {
    const a = analyse({
      "src/index.ts": `import { connect } from "./socket";
export default { async fetch(request: Request) {
  const socket = connect();
  const handlers = { onmessage: async (_m: unknown) => { await fetch("https://api.example.com/a"); } };
  socket.connect(handlers);
  await handlers.onmessage(await request.text());
  return new Response("ok");
} };`,
      "src/socket.ts": `export function connect() { return { connect(_h: unknown) {} }; }`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 1);
  });
});

describe("class memo-map fields", () => {
  it("this.clients.get(key)! after this.clients.set(key, new Client(key)): an instance of Client", () => {
    const a = analyse({
      "src/index.ts": `class Client {
  constructor(private readonly key: string) {}
  async get(path: string) { return (await fetch(\`https://api.example.com/\${this.key}\${path}\`)).json(); }
}
class Pool {
  private clients = new Map<string, Client>();
  private client(key: string): Client {
    if (!this.clients.has(key)) this.clients.set(key, new Client(key));
    return this.clients.get(key)!;
  }
  async twice(key: string) { await this.client(key).get("/a"); return this.client(key).get("/b"); }
}
const pool = new Pool();
export default { async fetch(request: Request) { return Response.json(await pool.twice(request.url)); } };`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });
});
