import { spawn, type ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  FileChangeType,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";

export const SERVER_JS = path.resolve(__dirname, "../../dist/server.js");

export const uriOf = (file: string): string => pathToFileURL(file).toString();

/**
 * How long a test waits for the server to settle (start-up and scan, a settings change, which
 * re-analyses every Worker of the workspace): seconds, and far longer on a loaded machine. Waits are
 * event-driven, so this is only the limit for a server that never answers.
 */
export const SETTLE_TIMEOUT_MS = 180_000;

/** The server's `smartPlacement/stats` request: answered in order, after every message sent before it. */
const STATS_REQUEST = "smartPlacement/stats";

/**
 * A real LSP client over the server's stdio: keeps document texts, applies `workspace/applyEdit`,
 * answers configuration requests, and lets tests wait for diagnostics events (never sleeps).
 */
export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  private readonly documents = new Map<string, TextDocument>();
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private waiters: Array<() => void> = [];
  settings: Record<string, unknown> = {};
  /** Called for every publishDiagnostics (benchmarks match versions). */
  onPublish: (params: PublishDiagnosticsParams) => void = () => undefined;
  readonly stderr: string[] = [];
  appliedEdits = 0;
  /** Analysis passes the server finished: it asks for fresh code lenses after each (`workspace/codeLens/refresh`). */
  private passes = 0;
  private passWaiters: Array<() => void> = [];
  /** Whether `initialize` told the server this client takes `workspace/codeLens/refresh` (what `configure` waits for). */
  private refreshAnnounced = false;
  /** Resolves when the server says its first scan of the workspace is done (`smartPlacement/scanComplete`). */
  readonly scanned: Promise<void>;

  constructor(args: string[] = ["--stdio"], nodeFlags: string[] = []) {
    this.child = spawn(process.execPath, [...nodeFlags, SERVER_JS, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr!.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, params);
      this.onPublish(params);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
    let scanDone: () => void = () => undefined;
    this.scanned = new Promise<void>((resolve) => (scanDone = resolve));
    this.connection.onNotification("smartPlacement/scanComplete", () => scanDone());
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest("workspace/codeLens/refresh", () => {
      this.passes++;
      const waiters = this.passWaiters;
      this.passWaiters = [];
      for (const wake of waiters) wake();
      return null;
    });
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      this.applyWorkspaceEdit(params.edit);
      this.appliedEdits++;
      return { applied: true };
    });
    this.connection.listen();
  }

  async initialize(rootDir: string): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(rootDir),
      workspaceFolders: [{ uri: uriOf(rootDir), name: "test" }],
      capabilities: {
        workspace: { configuration: true, applyEdit: true, codeLens: { refreshSupport: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    this.refreshAnnounced = true;
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  async open(file: string, text: string, languageId: string): Promise<void> {
    const uri = uriOf(file);
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  text(file: string): string {
    return this.documents.get(uriOf(file))!.getText();
  }

  /** Sends the change as incremental edits, like an editor does. */
  async edit(file: string, edits: TextEdit[]): Promise<void> {
    const uri = uriOf(file);
    const document = this.documents.get(uri)!;
    const version = document.version + 1;
    const updated = TextDocument.update(
      document,
      edits.map((e) => ({ range: e.range, text: e.newText })),
      version,
    );
    this.documents.set(uri, updated);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
  }

  /**
   * Changes the `smartPlacement` settings, pushed as an editor does when the user edits them, and
   * resolves once the server has applied them: the re-analysis they start has finished and the
   * diagnostics of every open document were published again under them.
   *
   * How that is known without sleeping: a request sent after the notification is answered after
   * the server handled it (messages are handled in order, and the pushed settings are applied and
   * the re-analysis queued before the next message). Any analysis pass that ends after that answer
   * ran with the new settings, and the server ends each pass by asking for fresh code lenses (its
   * request reaches the client after the answer, in the order the server wrote them).
   */
  async configure(settings: Record<string, unknown>, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    if (!this.refreshAnnounced) throw new Error("configure() waits for workspace/codeLens/refresh: initialize with initialize()");
    // While the first scan runs, its last step publishes analyses made before the change: wait it out.
    await this.untilScanned(timeoutMs);
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { smartPlacement: settings } });
    await this.withTimeout(this.connection.sendRequest(STATS_REQUEST), timeoutMs, "the server did not answer after a settings change");
    // The re-analysis may have run before that answer: a change to a file of no Worker (it need not
    // exist) makes sure one more (cheap) pass runs after it; whichever comes first counts.
    const seen = this.passes;
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(path.join(tmpdir(), "sp-test-no-worker", "barrier.ts")), type: FileChangeType.Changed }],
    });
    await this.nextAnalysisPass(timeoutMs, seen);
  }

  /**
   * Resolves once the server's first workspace scan is done. The server reads its settings (a
   * `workspace/configuration` round trip) before it scans, so from then on they apply.
   */
  async untilScanned(timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    await this.withTimeout(this.scanned, timeoutMs, "the server did not finish its workspace scan");
  }

  /** How many analysis passes the server has finished so far. */
  get analysisPasses(): number {
    return this.passes;
  }

  /** Resolves when the server has finished more analysis passes than `seen` (by default: one more from now). */
  async nextAnalysisPass(timeoutMs = SETTLE_TIMEOUT_MS, seen = this.passes): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.passes === seen) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`the server finished no analysis pass in ${timeoutMs} ms\n${this.stderr.join("")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.passWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Whether the server process is still running (a crashed one is replaced between fixtures). */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private async withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${message} (${timeoutMs} ms)\n${this.stderr.join("")}`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(file: string): Promise<void> {
    const uri = uriOf(file);
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  applyWorkspaceEdit(edit: WorkspaceEdit): void {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const document = this.documents.get(uri);
      if (!document) throw new Error(`edit for a document that is not open: ${uri}`);
      this.documents.set(uri, TextDocument.create(uri, document.languageId, document.version, TextDocument.applyEdits(document, edits)));
    }
  }

  /** Applies a workspace edit and tells the server, as an editor would. */
  async applyAndSync(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      await this.edit(new URL(uri).pathname, edits);
    }
  }

  /** Resolves with the first diagnostics for `file` (current or future) that satisfy `accept`. */
  async diagnostics(file: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.latest.get(uri);
      if (current && accept(current.diagnostics)) return current.diagnostics;
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(
          `no matching diagnostics for ${file}; last: ${JSON.stringify(current?.diagnostics ?? null)}\n${this.stderr.join("")}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  forgetDiagnostics(file: string): void {
    this.latest.delete(uriOf(file));
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the server may already be gone
    }
    this.connection.dispose();
    this.child.kill();
  }
}
