import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { dependenciesNear, mayBeUnreadCode } from "../../server/src/core/worker/serverReach";
import { analyse, criticalTargets, statusOf } from "./helpers/analyse";

/** Remote MCP servers behind `new OAuthProvider(...)`: its options' handlers, and the agent's tools. */

const AGENT = `import { McpAgent } from "agents/mcp";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export class Notes extends McpAgent {
  server = new McpServer({ name: "notes", version: "1.0.0" });
  async init() {
    this.server.tool("list", {}, async () => { await fetch("https://notes.example.com/all"); return { content: [] }; });
  }
}`;

const CALLBACK = `export const login = async (c: any) => c.redirect("https://id.example.com/authorize");
export const callback = async (c: any) => {
  await fetch("https://id.example.com/.well-known/openid-configuration");
  await fetch("https://id.example.com/token", { method: "POST" });
  await fetch("https://id.example.com/userinfo");
  return c.text("ok");
};`;

const provider = (defaultHandler: string, api: string): string => `import { Hono } from "hono";
import { OAuthProvider } from "@cloudflare/workers-oauth-provider";
import { Notes } from "./agent";
import { login, callback } from "./auth";
export { Notes };
export default new OAuthProvider({
  authorizeEndpoint: "/authorize",
  tokenEndpoint: "/token",
  defaultHandler: ${defaultHandler},
  ${api}
});`;

const CHAINED = `new Hono().get("/authorize", login).get("/callback", callback) as any`;
const API_HANDLERS = `apiHandlers: { "/sse": Notes.serveSSE("/sse"), "/mcp": Notes.serve("/mcp") },`;

const run = (index: string) =>
  analyse({ "src/index.ts": index, "src/agent.ts": AGENT, "src/auth.ts": CALLBACK }, { bindings: { durableObjects: ["MCP_OBJECT"] } });

describe("OAuthProvider options built in place", () => {
  it("defaultHandler: a Hono app chained in place and cast: GET /callback's three sequential round trips are the fetch path", () => {
    const a = run(provider(CHAINED, API_HANDLERS));
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(criticalTargets(a), ["id.example.com", "id.example.com", "id.example.com"]);
    const fetchRoutes = a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
    assert.deepEqual(fetchRoutes, [
      ["GET /authorize", 0],
      ["GET /callback", 3],
      [undefined, 0],
      [undefined, 0],
    ]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("apiHandlers: each agent's serve call hands requests to its Durable Object: the tool's fetch is off the fetch path", () => {
    const a = run(provider(CHAINED, API_HANDLERS));
    const tool = a.subrequests.find((s) => s.target === "notes.example.com");
    assert.equal(tool?.criticalPath, false);
    const agentForms = a.handlers.filter((h) => h.form.includes("Durable Object")).map((h) => h.roundTrips);
    assert.deepEqual(agentForms, [0, 0]);
  });

  it("without the cast, and with the single apiHandler form, the chained app is still followed", () => {
    const a = run(provider(CHAINED.replace(" as any", ""), `apiRoute: "/sse", apiHandler: Notes.mount("/sse") as any,`));
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 3);
  });

  it("a helper's result in place (a store) is still no handler: the provider stays a handler whose round trips cannot be seen", () => {
    const a = run(
      provider(`makeStore({ ttl: 60 })`, "").replace(`import { Hono } from "hono";`, `import { makeStore } from "some-store";`),
    );
    assert.equal(a.roundTrips, 0);
    assert.equal(a.unknowns.length > 0, true);
    assert.match(
      a.unknowns.join("\n"),
      /the fetch handler is made by new OAuthProvider\(\.\.\.\) from "@cloudflare\/workers-oauth-provider"/,
    );
  });
});

describe("imports of a package's own files are not unread project code", () => {
  it("a subpath of a dependency (`@modelcontextprotocol/sdk/server/mcp.js`) is the package's", () => {
    const dependencies = new Set(["@modelcontextprotocol/sdk", "lodash"]);
    assert.equal(mayBeUnreadCode("@modelcontextprotocol/sdk/server/mcp.js", new Set(), dependencies), false);
    assert.equal(mayBeUnreadCode("lodash/get.js", new Set(), dependencies), false);
  });

  it("a relative import that did not resolve, or a subpath of a package the project does not list, may still be unread code", () => {
    const dependencies = new Set(["@modelcontextprotocol/sdk"]);
    assert.equal(mayBeUnreadCode("./missing.js", new Set(), dependencies), true);
    assert.equal(mayBeUnreadCode("@acme/shared/src/db.ts", new Set(), dependencies), true);
    assert.equal(mayBeUnreadCode("@modelcontextprotocol/sdk/server/mcp.js", new Set(), undefined), true);
  });

  it("a package of the same repository (`workspace:*`, `file:`) is project code: its files may be unread code", () => {
    const fs = new MemoryFileSystem({
      "/w/package.json": JSON.stringify({
        dependencies: { "@acme/db": "workspace:*", "@acme/ui": "file:../ui", "@modelcontextprotocol/sdk": "^1.0.0" },
      }),
    });
    const dependencies = dependenciesNear(fs, "/w/src/index.ts");
    assert.deepEqual([...(dependencies ?? [])], ["@modelcontextprotocol/sdk"]);
    assert.equal(mayBeUnreadCode("@acme/db/src/client.ts", new Set(), dependencies), true);
    assert.equal(mayBeUnreadCode("@modelcontextprotocol/sdk/server/mcp.js", new Set(), dependencies), false);
  });

  it("an MCP tool helper nothing registers, next to such an import, is not counted: no UNKNOWN", () => {
    const a = analyse(
      {
        "package.json": JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.0.0", agents: "^0.0.1" } }),
        "src/index.ts": `import { McpAgent } from "agents/mcp";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as tools from "./tools";
export class Search extends McpAgent {
  server = new McpServer({ name: "s", version: "1" });
  async init() { tools.searchTool(this.server); }
}
export default { fetch: (request: Request, env: any, ctx: any) => Search.serve("/mcp").fetch(request, env, ctx) };`,
        "src/tools/index.ts": `export * from "./search";\nexport * from "./billing";`,
        "src/tools/search.ts": `import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export function searchTool(server: McpServer) { server.tool("s", {}, async () => { await fetch("https://search.example.com/q"); return { content: [] }; }); }`,
        "src/tools/billing.ts": `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export function billingTool(server: McpServer) { server.tool("b", {}, async () => { await fetch("https://billing.example.com/i"); return { content: [] }; }); }`,
      },
      { bindings: { durableObjects: ["MCP_OBJECT"] } },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 0);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
});
