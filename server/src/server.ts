import {
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeError,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CODE_ACTION_KINDS, provideCodeActions } from "./lsp/codeActions";
import { provideCodeLenses } from "./lsp/codeLens";
import { executeCommand, SERVER_COMMANDS } from "./lsp/commands";
import { provideCompletion } from "./lsp/completion";
import { DiagnosticsPublisher } from "./lsp/diagnostics";
import { ESTIMATE_PICTURE_REQUEST, ESTIMATE_REQUEST, provideEstimate, provideEstimatePicture } from "./lsp/estimate";
import { provideHover } from "./lsp/hover";
import { PREDICTION_REQUEST, providePrediction, SCAN_COMPLETE_NOTIFICATION, STATS_REQUEST } from "./lsp/prediction";
import { normalizeSettings } from "./lsp/settings";
import { acceptTraceResults, TRACE_RESULTS_REQUEST, type TraceResultsParams } from "./lsp/trace";
import { Workspace } from "./lsp/workspace";
import { Scheduler } from "./lsp/scheduler";
import { SETTINGS_FILE_NAMES } from "./core/settingsFile";

declare const PACKAGE_VERSION: string | undefined;
const SERVER_VERSION = typeof PACKAGE_VERSION === "string" ? PACKAGE_VERSION : "dev";

/** Where the server is in the LSP lifecycle: requests are served only while it runs. */
export type Lifecycle = "new" | "running" | "shutdown";

/** An error answer for a request that arrives before `initialize` or after `shutdown`. */
export function lifecycleError(state: Lifecycle): ResponseError<void> | undefined {
  if (state === "new") return new ResponseError(ErrorCodes.ServerNotInitialized, "The server has not been initialized.");
  if (state === "shutdown") return new ResponseError(ErrorCodes.InvalidRequest, "The server is shutting down.");
  return undefined;
}

/**
 * Wires the capabilities to one Workspace. Each handler is guarded: a failure is logged, never
 * fatal, and nothing is served before `initialize` or after `shutdown`.
 */
export function startServer(connection: Connection, lifecycle: { state: Lifecycle } = { state: "new" }): void {
  const documents = new TextDocuments(TextDocument);
  // Problems and summaries for everyone; a line per analysed file only when the client traces.
  const workspace = new Workspace(
    documents,
    (message) => connection.console.log(message),
    undefined,
    (message) => connection.tracer.log(message),
  );
  const diagnostics = new DiagnosticsPublisher(connection, workspace);
  const scheduler = new Scheduler(workspace, diagnostics, documents, (message) => connection.console.error(message));
  let canPullConfiguration = false;
  let canRefreshCodeLens = false;

  const guard =
    <P, R>(name: string, fallback: R, handler: (params: P) => R) =>
    (params: P): R | ResponseError<void> => {
      const refused = lifecycleError(lifecycle.state);
      if (refused) return refused;
      try {
        return handler(params);
      } catch (error) {
        connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fallback;
      }
    };

  let canWatchFolders = false;
  let canRegisterWatchers = false;
  connection.onInitialize((params): InitializeResult | ResponseError<InitializeError> => {
    if (lifecycle.state !== "new")
      return new ResponseError(ErrorCodes.InvalidRequest, "The server is already initialized.", { retry: false });
    lifecycle.state = "running";
    canWatchFolders = params.capabilities.workspace?.workspaceFolders === true;
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshCodeLens = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canRegisterWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    workspace.canCreateFiles = params.capabilities.workspace?.workspaceEdit?.resourceOperations?.includes("create") === true;
    // Source edits change the lenses of other files (a config's, another module's): ask for fresh ones.
    scheduler.onAnalysed = () => {
      if (canRefreshCodeLens) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    };
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setRoots(folders);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', "=", " ", ":"] },
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: SERVER_COMMANDS },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "smart-placement", version: SERVER_VERSION },
    };
  });

  connection.onShutdown(() => {
    lifecycle.state = "shutdown";
  });

  connection.onInitialized(() => {
    if (lifecycle.state !== "running") return;
    connection.console.info(`Smart Placement language server ${SERVER_VERSION} started (Node ${process.version})`);
    if (canWatchFolders) {
      // Folders added later are searched for Workers too; removed ones are forgotten.
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        workspace.changeRoots(
          event.added.map((f) => f.uri),
          event.removed.map((f) => f.uri),
        );
        scheduler.scanWorkspaceSoon();
      });
    }
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: "smartPlacement" }).catch(() => undefined);
    }
    if (canRegisterWatchers) {
      // The shared settings apply to every Worker below them: their changes re-analyse those Workers.
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: SETTINGS_FILE_NAMES.map((name) => ({ globPattern: `**/${name}` })) })
        .catch(() => undefined);
    }
    void loadSettings().then(() => scheduler.scanWorkspaceSoon());
  });

  async function loadSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    try {
      const raw: unknown = await connection.workspace.getConfiguration("smartPlacement");
      workspace.settings = normalizeSettings(raw);
    } catch (error) {
      connection.console.warn(`could not read settings: ${String(error)}`);
    }
  }

  connection.onDidChangeConfiguration((change) => {
    if (lifecycle.state !== "running") return;
    const pushed = (change.settings as Record<string, unknown> | null)?.["smartPlacement"];
    const reload = pushed !== undefined ? Promise.resolve((workspace.settings = normalizeSettings(pushed))) : loadSettings();
    void reload.then(() => scheduler.reanalyzeEverything());
  });

  const running = (): boolean => lifecycle.state === "running";
  documents.onDidOpen((event) => running() && scheduler.documentChanged(event.document.uri));
  documents.onDidChangeContent((event) => running() && scheduler.documentChanged(event.document.uri));
  documents.onDidClose((event) => running() && scheduler.documentClosed(event.document.uri));
  connection.onDidChangeWatchedFiles((params) => {
    if (!running()) return;
    for (const change of params.changes) scheduler.fileChangedOnDisk(change.uri, change.type === FileChangeType.Deleted);
  });

  connection.onHover(guard("hover", null, (params) => provideHover(workspace, params)));
  connection.onCompletion(guard("completion", [], (params) => provideCompletion(workspace, params)));
  connection.onCodeAction(guard("codeAction", [], (params) => provideCodeActions(workspace, params)));
  connection.onCodeLens(guard("codeLens", [], (params) => provideCodeLenses(workspace, params)));
  connection.onExecuteCommand(async (params) => {
    const refused = lifecycleError(lifecycle.state);
    if (refused) return refused;
    try {
      const message = await executeCommand(connection, workspace, params);
      connection.console.log(message.text);
      // Said where the developer looks, whichever way the command was run (lens, palette, another editor).
      void connection.sendNotification(ShowMessageNotification.type, {
        type: message.kind === "warning" ? MessageType.Warning : MessageType.Info,
        message: message.text,
      });
      return message.text;
    } catch (error) {
      connection.console.error(`executeCommand failed: ${String(error)}`);
      return `Failed: ${String(error)}`;
    }
  });
  scheduler.onScanComplete = (summary) => {
    connection.console.log(`workspace scan: ${summary.configs} configs, ${summary.files} files in ${summary.ms} ms`);
    void connection.sendNotification(SCAN_COMPLETE_NOTIFICATION, summary);
  };
  connection.onRequest(STATS_REQUEST, () => {
    const refused = lifecycleError(lifecycle.state);
    if (refused) return refused;
    // With --expose-gc (benchmarks), measure what is retained rather than what is not yet collected.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    const memory = process.memoryUsage();
    const { kept, replayed } = workspace.summaryStats();
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      configs: workspace.allAnalyses().length,
      summariesKept: kept,
      summariesReplayed: replayed,
    };
  });
  connection.onRequest(
    PREDICTION_REQUEST,
    guard("prediction", null, (params: { uri: string }) => providePrediction(workspace, params)),
  );

  connection.onRequest(
    ESTIMATE_REQUEST,
    guard("estimate", [], (params: { uri: string; env?: string | null }) => provideEstimate(workspace, params)),
  );
  connection.onRequest(
    ESTIMATE_PICTURE_REQUEST,
    guard("estimatePicture", "", (params: { uri: string; env?: string | null; nonce: string; cspSource: string }) =>
      provideEstimatePicture(workspace, params),
    ),
  );

  connection.onRequest(
    TRACE_RESULTS_REQUEST,
    guard("traceResults", { workers: 0, findings: 0 }, (params: TraceResultsParams) => {
      const answer = acceptTraceResults(workspace, params);
      scheduler.republish();
      return answer;
    }),
  );

  documents.listen(connection);
  connection.listen();
}
