import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CodeActionRequest,
  CodeLensRequest,
  HoverRequest,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type MarkupContent,
} from "vscode-languageserver-protocol/node";
import { LspTestClient, SETTLE_TIMEOUT_MS, uriOf } from "./client";

const TOML = 'name = "orders"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\n';
const SOURCE = `export default {
  async fetch(request: Request): Promise<Response> {
    const user = await fetch("https://db.example.com/user");
    const cart = await fetch("https://db.example.com/cart");
    const stock = await fetch("https://db.example.com/stock");
    return new Response(String(user.status + cart.status + stock.status));
  },
};
`;

describe("the estimate in the editor (server over stdio)", () => {
  let root: string;
  let client: LspTestClient;
  let toml: string;
  let source: string;

  /** Asks again after each analysis pass (no sleeping) until the answer is accepted or the server settles without it. */
  async function until<T>(ask: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const seen = client.analysisPasses;
      const value = await ask();
      if (accept(value)) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return value;
      try {
        await client.nextAnalysisPass(remaining, seen);
      } catch {
        return value; // the caller's assertion says what was expected and what came
      }
    }
  }

  const lenses = async (): Promise<CodeLens[]> =>
    (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(source) } })) ?? [];
  const estimateLens = async (accept: (title: string) => boolean): Promise<string> => {
    const found = await until(lenses, (ls) => ls.some((l) => l.command?.title.startsWith("Estimate: ") && accept(l.command.title)));
    return found.find((l) => l.command?.title.startsWith("Estimate: "))?.command?.title ?? "(no estimate lens)";
  };
  const hover = async (): Promise<string> => {
    const answer = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(source) },
      position: { line: 1, character: 9 },
    });
    return (answer?.contents as MarkupContent | undefined)?.value ?? "";
  };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-estimate-"));
    mkdirSync(path.join(root, "src"), { recursive: true });
    toml = path.join(root, "wrangler.toml");
    source = path.join(root, "src/index.ts");
    writeFileSync(toml, TOML);
    writeFileSync(source, SOURCE);
    client = new LspTestClient();
    client.settings = { userLocations: ["Sydney", "Frankfurt"] };
    await client.initialize(root);
    await client.open(source, SOURCE, "typescript");
    await client.open(toml, TOML, "toml");
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("an unknown back end: the lens asks where it is, the call offers to say it", async () => {
    const title = await estimateLens((t) => t.includes("where is"));
    assert.equal(title, "Estimate: where is db.example.com?");
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(source) },
      range: { start: { line: 2, character: 30 }, end: { line: 2, character: 30 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    const say = actions.find((a) => a.title === "Say where db.example.com is (smartPlacement.backends)");
    assert.deepEqual(say?.command?.arguments, ["db.example.com"]);
    assert.equal(say?.command?.command, "smartPlacement.setBackendLocation");
    assert.match(await hover(), /No numbers: location of db\\\.example\\\.com unknown/);
  });

  const located = { userLocations: ["Sydney", "Frankfurt"], backends: { "db.example.com": "aws:eu-central-1" } };

  it("follows an edit of smartPlacement.backends: the lens and hover have the numbers", async () => {
    await client.configure(located);
    assert.equal(await estimateLens((t) => t.includes("Sydney")), "Estimate: \u2212473 ms for users in Sydney, ±0 ms in Frankfurt");
    const text = await hover();
    assert.match(text, /\| users in \| default \| placed \| change \|/);
    assert.match(text, /\| Sydney \| 737 ms \| 264 ms \| −473 ms \|/);
    assert.match(text, /\| Frankfurt \| 20 ms \| 20 ms \| ±0 ms \|/);
    assert.match(text, /Placed at Frankfurt \\\(FRA\\\)/);
  });

  it("follows an edit of the hint: placed near it, a warning that it is far, and a fix", async () => {
    const far = (d: Diagnostic[]): boolean => d.some((x) => x.code === "placement-target-far");
    // Its own settings (the same as the test before sets), so it does not depend on that test passing.
    await client.configure(located);
    await client.edit(toml, [
      { range: { start: { line: 4, character: 14 }, end: { line: 4, character: 14 } }, newText: '\nhint = "aws:us-east-1"' },
    ]);
    const diagnostics = await client.diagnostics(toml, far);
    const warning = diagnostics.find((d) => d.code === "placement-target-far")!;
    assert.equal(warning.range.start.line, 5);
    assert.match(
      String(warning.message),
      /^"hint" is "aws:us-east-1", about 6,500 km from db\.example\.com \(aws:eu-central-1 \(Frankfurt, Germany\), from setting\)/,
    );
    // Placed in Virginia, three round trips cross the Atlantic: slower for Frankfurt.
    assert.equal(
      await estimateLens((t) => t.includes("in Frankfurt") && !t.includes("±0")),
      "Estimate: \u2212200 ms for users in Sydney, +385 ms in Frankfurt",
    );
    assert.match(await hover(), /Placed at Ashburn \\\(IAD\\\): placement hint \\"aws\\:us\\-east\\-1\\"/);

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(toml) },
      range: warning.range,
      context: { diagnostics: [warning] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Change hint to "aws:eu-central-1"');
    assert.ok(fix?.edit);
    await client.applyAndSync(fix.edit);
    assert.equal(client.text(toml), 'name = "orders"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\nhint = "aws:eu-central-1"\n');
    await client.diagnostics(toml, (d) => !far(d));
    assert.equal(
      await estimateLens((t) => t.includes("±0 ms in Frankfurt")),
      "Estimate: \u2212473 ms for users in Sydney, ±0 ms in Frankfurt",
    );
  });
});
