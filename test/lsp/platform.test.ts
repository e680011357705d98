import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { HoverRequest, type MarkupContent } from "vscode-languageserver-protocol";
import { LspTestClient, uriOf } from "./client";

const CONFIG = `name = "d1"
main = "src/index.ts"

[[d1_databases]]
binding = "DB"
database_name = "main"
database_id = "x"

[placement]
mode = "smart"
`;
const SOURCE = `export default {
  async fetch(request: Request, env: { DB: D1Database }) {
    await env.DB.prepare("select 1").first();
    return new Response("ok");
  },
};
`;

/** The `platformRules` setting: today's platform by default, the 2024 rules (D1 pinning) on request. */
describe("platform rules over stdio", () => {
  let client: LspTestClient;
  let root: string;
  let config: string;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-rules-"));
    mkdirSync(path.join(root, "src"));
    config = path.join(root, "wrangler.toml");
    writeFileSync(config, CONFIG);
    writeFileSync(path.join(root, "src/index.ts"), SOURCE);
    client = new LspTestClient();
    await client.initialize(root);
    await client.open(config, CONFIG, "toml");
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const hover = async (line: number, character: number): Promise<string> => {
    const answer = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(config) },
      position: { line, character },
    });
    return (answer?.contents as MarkupContent | undefined)?.value ?? "";
  };

  it("today: a D1 query is one round trip to the database, and the hover on the binding says D1 no longer pins", async () => {
    const diagnostics = await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-insufficient-subrequests"));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["placement-insufficient-subrequests"],
    );
    assert.match(
      await hover(4, 3),
      /^Since 2025-02-13 a D1 binding no longer pins the Worker: each query on DB is a round trip to the database/,
    );
  });

  it('with "platformRules": "2024" the binding pins the Worker, and the hover says so', async () => {
    try {
      await client.configure({ platformRules: "2024" });
      const diagnostics = await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-d1-pinned"));
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ["placement-d1-pinned"],
      );
      assert.match(await hover(4, 3), /^Under the 2024 rules a D1 binding pins the Worker near its database \(DB\)/);
      assert.match(await hover(8, 3), /D1_PINNED/);
    } finally {
      await client.configure({});
    }
    await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-insufficient-subrequests"));
  });
});
