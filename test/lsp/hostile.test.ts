import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DidChangeWorkspaceFoldersNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  NotificationType,
  RequestType0,
  type MarkupContent,
} from "vscode-languageserver-protocol/node";
import { LspTestClient, SERVER_JS, uriOf } from "./client";

const BIN_JS = path.resolve(__dirname, "../../dist/language-server.js");
const SCAN_COMPLETE = new NotificationType<{ configs: number; files: number; ms: number }>("smartPlacement/scanComplete");
const STATS = new RequestType0<{ configs: number }, void>("smartPlacement/stats");

const frame = (message: object): string => {
  const body = JSON.stringify({ jsonrpc: "2.0", ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

/**
 * Runs a server process on raw stdin bytes until it exits: its messages (parsed), exit code and
 * stderr. With `exitAfter`, sends `exit` once the response with that id has arrived.
 */
function runRaw(
  script: string,
  input: string,
  options: { args?: string[]; exitAfter?: number } = {},
): Promise<{ messages: Array<Record<string, unknown>>; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...(options.args ?? ["--stdio"])], { stdio: ["pipe", "pipe", "pipe"] });
    const messages: Array<Record<string, unknown>> = [];
    let pending = Buffer.alloc(0);
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const headerEnd = pending.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/.exec(pending.subarray(0, headerEnd).toString())![1]);
        if (pending.length < headerEnd + 4 + length) return;
        const message = JSON.parse(pending.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Record<string, unknown>;
        pending = pending.subarray(headerEnd + 4 + length);
        messages.push(message);
        if (options.exitAfter !== undefined && message.id === options.exitAfter && !("method" in message))
          child.stdin.write(frame({ method: "exit" }));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`server did not exit; stderr: ${stderr}`));
    }, 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ messages, code, stderr });
    });
    child.stdin.write(input);
  });
}

const INITIALIZE = frame({ id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
const responses = (messages: Array<Record<string, unknown>>, id: number) => messages.filter((m) => m.id === id && !("method" in m));

describe("a misbehaving client", () => {
  it("the smart-placement-language-server bin runs one server: one answer per request", async () => {
    const { messages, code } = await runRaw(BIN_JS, INITIALIZE + frame({ id: 2, method: "shutdown" }), { args: [], exitAfter: 2 });
    assert.equal(responses(messages, 1).length, 1);
    assert.equal(responses(messages, 2).length, 1);
    assert.equal(code, 0);
  });

  it("requests before initialize and after shutdown are refused with the LSP error codes", async () => {
    const hover = (id: number) =>
      frame({
        id,
        method: "textDocument/hover",
        params: { textDocument: { uri: "file:///x/wrangler.toml" }, position: { line: 0, character: 0 } },
      });
    const { messages, code } = await runRaw(
      SERVER_JS,
      hover(1) +
        frame({ id: 2, method: "smartPlacement/stats" }) +
        INITIALIZE.replace('"id":1', '"id":3') +
        frame({ method: "initialized", params: {} }) +
        frame({ id: 4, method: "shutdown" }) +
        hover(5),
      { exitAfter: 5 },
    );
    assert.deepEqual(
      [1, 2, 5].map((id) => (responses(messages, id)[0]?.error as { code: number } | undefined)?.code),
      [-32002, -32002, -32600],
    );
    assert.ok(responses(messages, 3)[0]?.result, "initialize is answered");
    assert.equal(responses(messages, 4)[0]?.result, null);
    assert.equal(code, 0);
  });

  it("a frame whose header cannot be read ends the server with a message, instead of leaving it deaf", async () => {
    const { code, stderr } = await runRaw(SERVER_JS, INITIALIZE + "Content-Length: many\r\n\r\n{}");
    assert.equal(code, 1);
    assert.match(stderr, /^smart-placement: unreadable message frame \(Content-Length value must be a number\. Got many\); exiting\n/m);
  });

  it("a body that is not JSON is skipped; the next request is answered", async () => {
    const { messages, code } = await runRaw(
      SERVER_JS,
      INITIALIZE + "Content-Length: 5\r\n\r\n{oops" + frame({ id: 2, method: "shutdown" }),
      { exitAfter: 2 },
    );
    assert.equal(responses(messages, 2).length, 1);
    assert.equal(code, 0);
  });
});

describe("a hostile workspace, over stdio", () => {
  let root: string;
  let later: string;
  let elsewhere: string;
  let client: LspTestClient;
  const scans: Array<{ configs: number }> = [];
  let scanWaiters: Array<() => void> = [];
  const nextScan = (): Promise<void> => new Promise((resolve) => scanWaiters.push(resolve));
  const CONFIG =
    'name = "w"\nmain = "src/index.ts"\n\n[placement]\nconstructor = "x"\n\n[env."*bold* [link](http://e)"]\nname = "w2"\nmain = "src/index.ts"\n';

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-hostile-"));
    later = mkdtempSync(path.join(tmpdir(), "sp-hostile-later-"));
    elsewhere = mkdtempSync(path.join(tmpdir(), "sp-hostile-elsewhere-"));
    mkdirSync(path.join(root, "src"));
    writeFileSync(path.join(root, "wrangler.toml"), CONFIG);
    writeFileSync(path.join(root, "src/index.ts"), "export default { fetch() { return new Response(); } };\n");
    writeFileSync(path.join(later, "wrangler.toml"), 'name = "later"\n');
    // Another project, reachable only through a symlink out of the workspace: never scanned.
    writeFileSync(path.join(elsewhere, "wrangler.toml"), 'name = "elsewhere"\n');
    symlinkSync(elsewhere, path.join(root, "out"));
    symlinkSync("/", path.join(root, "slash"));
    client = new LspTestClient();
    client.connection.onNotification(SCAN_COMPLETE, (summary) => {
      scans.push(summary);
      const waiters = scanWaiters;
      scanWaiters = [];
      for (const wake of waiters) wake();
    });
    const first = nextScan();
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: "root" }],
      capabilities: { workspace: { workspaceFolders: true } },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    await first;
  });

  after(async () => {
    await client.stop();
    for (const dir of [root, later, elsewhere]) rmSync(dir, { recursive: true, force: true });
  });

  it("symlinks out of the workspace folder are not followed", async () => {
    assert.deepEqual(scans, [{ ...scans[0], configs: 1 }]);
    assert.equal((await client.connection.sendRequest(STATS)).configs, 1);
  });

  it("a workspace folder added later is scanned", async () => {
    const scanned = nextScan();
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: uriOf(later), name: "later" }], removed: [] },
    });
    await scanned;
    assert.equal(scans.at(-1)!.configs, 2);
    const removed = nextScan();
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [], removed: [{ uri: uriOf(later), name: "later" }] },
    });
    await removed;
    assert.equal(scans.at(-1)!.configs, 1);
  });

  it("hovers on keys like constructor are valid answers, and environment names are escaped", async () => {
    const config = path.join(root, "wrangler.toml");
    await client.open(config, CONFIG, "toml");
    await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-unknown-key"));
    const onKey = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(config) },
      position: { line: 4, character: 2 },
    });
    assert.equal(onKey, null);
    const onValue = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(config) },
      position: { line: 4, character: 17 },
    });
    assert.equal(onValue, null);
    const onMain = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(config) },
      position: { line: 1, character: 2 },
    });
    assert.match(
      (onMain!.contents as MarkupContent).value,
      /^\*\*Smart Placement\*\*: Invalid config · would not help\\: no subrequests to back ends\n/,
    );
    const onEnvMain = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: uriOf(config) },
      position: { line: 8, character: 2 },
    });
    assert.equal(
      (onEnvMain!.contents as MarkupContent).value.split("\n")[0],
      "**Smart Placement** (env \\*bold\\* \\[link\\]\\(http\\:\\/\\/e\\)): Invalid config · would not help\\: no subrequests to back ends",
    );
  });
});
