import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CodeLensRequest,
  ExecuteCommandRequest,
  HoverRequest,
  LogMessageNotification,
  LogTraceNotification,
  SetTraceNotification,
  ShowMessageNotification,
  type MarkupContent,
} from "vscode-languageserver-protocol/node";
import { LspTestClient, uriOf } from "./client";

const ROUTER = `import { Hono } from "hono";

const app = new Hono();

app.get("/health", (c) => c.text("ok"));

app.get("/users", async (c) => {
  const a = await fetch("https://db.example.com/a");
  const b = await fetch("https://db.example.com/b");
  return c.json({ a: a.status, b: b.status });
});

export default app;
`;
const HANDLER = `export default {
  async fetch(request: Request): Promise<Response> {
    const a = await fetch("https://db.example.com/a");
    const b = await fetch("https://db.example.com/b");
    return new Response(String(a.status + b.status));
  },
};
`;

/** Messages of one kind the server sent, and a way to wait for one (no sleeps). */
class Inbox<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];
  push(item: T): void {
    this.items.push(item);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
  async first(accept: (item: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.items.find(accept);
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`never received ${what}; got ${JSON.stringify(this.items)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

describe("the shared words over stdio: code lenses, hovers, the status request, notifications and the log", () => {
  let root: string;
  let client: LspTestClient;
  const logs = new Inbox<string>();
  const traces = new Inbox<string>();
  const shown = new Inbox<{ type: number; message: string }>();
  const file = (relative: string): string => path.join(root, relative);

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-words-"));
    for (const dir of ["router/src", "plain/src", "bad/src", "broken"]) mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(file("router/wrangler.toml"), 'name = "router"\nmain = "src/index.ts"\n\n[env.staging]\nname = "router-staging"\n');
    writeFileSync(file("router/src/index.ts"), ROUTER);
    writeFileSync(file("plain/wrangler.toml"), 'name = "plain"\nmain = "src/index.ts"\n');
    writeFileSync(file("plain/src/index.ts"), HANDLER);
    writeFileSync(file("bad/wrangler.toml"), 'name = "bad"\nmain = "src/index.ts"\n\n[placement]\nmode = "smrt"\n');
    writeFileSync(file("bad/src/index.ts"), HANDLER);
    writeFileSync(file("broken/wrangler.toml"), 'name = "broken"\n[placement\n');
    client = new LspTestClient();
    client.connection.onNotification(LogMessageNotification.type, (params) => logs.push(params.message));
    client.connection.onNotification(LogTraceNotification.type, (params) => traces.push(params.message));
    client.connection.onNotification(ShowMessageNotification.type, (params) => shown.push(params));
    await client.initialize(root);
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("the log starts with the server's version; a line per analysed file only when traced, with a relative path", async () => {
    const started = await logs.first((m) => m.startsWith("Smart Placement language server "), "the start line");
    assert.match(started, /^Smart Placement language server \S+ started \(Node v\d+/);
    assert.equal(logs.items[0], started);
    await client.open(file("plain/wrangler.toml"), 'name = "plain"\nmain = "src/index.ts"\n', "toml");
    await client.diagnostics(file("plain/wrangler.toml"));
    assert.ok(!logs.items.some((m) => m.startsWith("analysed ")), JSON.stringify(logs.items));
    assert.deepEqual(traces.items, []);
    await client.connection.sendNotification(SetTraceNotification.type, { value: "verbose" });
    await client.edit(file("plain/wrangler.toml"), [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: "# traced\n" },
    ]);
    // The workspace scan may still be tracing other configs: wait for the edited one.
    const traced = await traces.first((m) => m.startsWith("analysed plain/"), "a traced analysis line");
    assert.match(traced, /^analysed plain\/wrangler\.toml in \d+ ms$/);
    await client.connection.sendNotification(SetTraceNotification.type, { value: "off" });
  });

  it("a router: each route's own round trips, the Worker's line and one Enable once in the file", async () => {
    await client.open(file("router/src/index.ts"), ROUTER, "typescript");
    await client.diagnostics(file("router/src/index.ts"));
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: uriOf(file("router/src/index.ts")) },
    }))!;
    const titles = lenses.map((l) => `${l.range.start.line}: ${l.command!.title}`);
    assert.deepEqual(titles, [
      "4: Smart Placement: Off · would help: 2 sequential round trips to db.example.com",
      // Where the back end is, asked once in the file (not per environment or route).
      "4: Estimate: where is db.example.com?",
      "4: Enable Smart Placement",
      "4: GET /health: no round trips to back ends",
      "6: GET /users: 2 sequential round trips to back ends",
      "4: Smart Placement (env staging): Off · would help: 2 sequential round trips to db.example.com",
    ]);
  });

  it("a config: the Worker's line and its Enable on each environment", async () => {
    const config = file("router/wrangler.toml");
    await client.open(config, 'name = "router"\nmain = "src/index.ts"\n\n[env.staging]\nname = "router-staging"\n', "toml");
    await client.diagnostics(config);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(config) } }))!;
    assert.deepEqual(
      lenses.map((l) => l.command!.title),
      [
        "Smart Placement: Off · would help: 2 sequential round trips to db.example.com",
        "Estimate: where is db.example.com?",
        "Enable Smart Placement",
        "Smart Placement (env staging): Off · would help: 2 sequential round trips to db.example.com",
        "Enable Smart Placement (env staging)",
      ],
    );
    // The lens opens the config where the placement goes (here: `main`).
    assert.deepEqual(lenses[0]!.command!.arguments, [
      uriOf(config),
      null,
      { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } },
    ]);
  });

  it("an invalid config is never a success headline", async () => {
    await client.open(file("bad/src/index.ts"), HANDLER, "typescript");
    await client.diagnostics(file("bad/src/index.ts"));
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(file("bad/src/index.ts")) } }))!;
    assert.deepEqual(
      lenses.map((l) => l.command!.title),
      [
        "Smart Placement: Invalid config · would help: 2 sequential round trips to db.example.com",
        "Estimate: where is db.example.com?",
        "Enable Smart Placement",
      ],
    );
  });

  it("hover on a fetch call: one short line that adds to the language's own hover", async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(file("bad/src/index.ts")) },
      position: { line: 3, character: 22 },
    });
    assert.equal(
      (hover!.contents as MarkupContent).value,
      "**Smart Placement:** round trip 2 of the longest path to db\\.example\\.com (db\\.example\\.com is a single\\-homed back end).",
    );
  });

  it("hover on the handler: the Worker's line once, then the evidence, with no count repeated", async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(file("bad/src/index.ts")) },
      position: { line: 1, character: 9 },
    });
    const text = (hover!.contents as MarkupContent).value;
    assert.equal(text.split("\n")[0], "**Smart Placement**: Invalid config · would help\\: 2 sequential round trips to db\\.example\\.com");
    assert.equal(text.match(/2 sequential round trips/g)?.length, 1, text);
    assert.match(text, /Round trips of the Worker's longest path, in order:\n1\. fetch → db\\\.example\\\.com \(line 3\)\n2\. /);
    assert.doesNotMatch(text, /SUCCESS/);
  });

  it("hover on a route: each Worker's line once, then the route's own count", async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(file("router/src/index.ts")) },
      position: { line: 4, character: 5 },
    });
    const text = (hover!.contents as MarkupContent).value;
    assert.match(
      text,
      /^\*\*Smart Placement\*\*: Off · would help\\: 2 sequential round trips to db\\\.example\\\.com\n\n\*\*Smart Placement\*\* \(env staging\)/,
    );
    assert.match(text, /\n---\n\n\*\*GET \\\/health\*\* \(export default app \\\(router\\\)\): no round trips on its longest path\.\n/);
  });

  it("the status request lists every Worker of the file in the shared words", async () => {
    const summary = (await client.connection.sendRequest("smartPlacement/prediction", { uri: uriOf(file("router/src/index.ts")) })) as {
      configured: string;
      verdict: string;
      workers: Array<{ env: string | null; headline: string; severity: string; status: string }>;
    };
    assert.deepEqual([summary.configured, summary.verdict], ["Off", "would help"]);
    assert.deepEqual(
      summary.workers.map((w) => [w.env, w.headline, w.severity, w.status]),
      [
        [null, "Off · would help: 2 sequential round trips to db.example.com", "information", "SUCCESS"],
        ["staging", "Off · would help: 2 sequential round trips to db.example.com", "information", "SUCCESS"],
      ],
    );
    const bad = (await client.connection.sendRequest("smartPlacement/prediction", { uri: uriOf(file("bad/wrangler.toml")) })) as {
      headline: string;
      severity: string;
      range: unknown;
    };
    assert.deepEqual([bad.headline, bad.severity], ["Invalid config · would help: 2 sequential round trips to db.example.com", "error"]);
    assert.deepEqual(bad.range, { start: { line: 3, character: 1 }, end: { line: 3, character: 10 } });
    await client.open(file("broken/wrangler.toml"), 'name = "broken"\n[placement\n', "toml");
    await client.diagnostics(file("broken/wrangler.toml"), (d) => d.length > 0);
    const broken = (await client.connection.sendRequest("smartPlacement/prediction", { uri: uriOf(file("broken/wrangler.toml")) })) as {
      headline: string;
      severity: string;
    };
    assert.deepEqual([broken.headline, broken.severity], ["Invalid config · cannot tell: the config does not parse", "error"]);
  });

  it("Enable says what changed as a notification, and says so when it was already enabled", async () => {
    const config = file("plain/wrangler.toml");
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: "smartPlacement.enable", arguments: [uriOf(config)] });
    const enabled = await shown.first((m) => m.message.startsWith("Smart Placement enabled"), "the enabled notification");
    assert.deepEqual(enabled, { type: 3, message: 'Smart Placement enabled in plain/wrangler.toml: added placement with mode = "smart".' });
    const text = client.text(config);
    assert.match(text, /\[placement\]\nmode = "smart"\n/);
    // The editor saves the edit and tells the server about the new text.
    await client.close(config);
    await client.open(config, text, "toml");
    await client.diagnostics(config);
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: "smartPlacement.enable", arguments: [uriOf(config)] });
    const again = await shown.first((m) => m.message.includes("already"), "the already-enabled notification");
    assert.deepEqual(again, { type: 3, message: "Smart Placement is already enabled in plain/wrangler.toml; nothing changed." });
  });
});
