import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { RequestType, RequestType0, type TextEdit } from "vscode-languageserver-protocol/node";
import { LspTestClient, uriOf } from "./client";

const ENTRY = `import { loadUser } from "./service";
export default {
  async fetch(request: Request): Promise<Response> {
    return Response.json(await loadUser(new URL(request.url).pathname));
  },
};
`;
const SERVICE = `export async function loadUser(id: string) {
  const user = await fetch("https://db.example.com/users/" + id);
  const orders = await fetch("https://db.example.com/orders/" + id);
  return { user: await user.json(), orders: await orders.json() };
}
`;

// The server's own request types are built on its copy of vscode-jsonrpc: the client needs its own.
const PREDICTION = new RequestType<{ uri: string }, { roundTrips: number | null } | null, void>("smartPlacement/prediction");
const STATS = new RequestType0<{ summariesKept: number; summariesReplayed: number }, void>("smartPlacement/stats");

/** Inserts a comment line at the top: a change that leaves the analysis as it was. */
const comment = (n: number): TextEdit[] => [
  { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `// ${n}\n` },
];

describe("function summaries kept by the server", () => {
  let root: string;
  let client: LspTestClient;
  let entry: string;
  let service: string;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-summaries-"));
    mkdirSync(path.join(root, "src"));
    writeFileSync(path.join(root, "wrangler.toml"), 'name = "users"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\n');
    entry = path.join(root, "src/index.ts");
    service = path.join(root, "src/service.ts");
    writeFileSync(entry, ENTRY);
    writeFileSync(service, SERVICE);
    client = new LspTestClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Sends the edit and waits for the server to publish the file's diagnostics again. */
  async function editAndWait(file: string, edits: TextEdit[]): Promise<void> {
    client.forgetDiagnostics(file);
    await client.edit(file, edits);
    await client.diagnostics(file);
  }

  const roundTrips = async (): Promise<number | null | undefined> =>
    (await client.connection.sendRequest(PREDICTION, { uri: uriOf(entry) }))?.roundTrips;

  it("edits to the entry replay the unchanged helper's summary; an edit to the helper is seen", async () => {
    await client.open(entry, ENTRY, "typescript");
    await client.diagnostics(entry);
    for (let n = 0; n < 3; n++) await editAndWait(entry, comment(n));
    assert.equal(await roundTrips(), 2);
    const { summariesKept, summariesReplayed } = await client.connection.sendRequest(STATS);
    assert.ok(summariesKept >= 1, `kept ${summariesKept}`);
    assert.ok(summariesReplayed >= 1, `replayed ${summariesReplayed}`);

    // The helper changes in the editor: its kept summary must not be replayed any more.
    await client.open(service, SERVICE, "typescript");
    await client.diagnostics(service);
    await editAndWait(service, [
      {
        range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
        newText: '  await fetch("https://db.example.com/audit");\n',
      },
    ]);
    assert.equal(await roundTrips(), 3);
    await editAndWait(entry, comment(3));
    assert.equal(await roundTrips(), 3);
  });
});
