import type { TextDocument } from "vscode-languageserver-textdocument";
import type { TextDocuments } from "vscode-languageserver";
import type { DiagnosticsPublisher } from "./diagnostics";
import type { Workspace } from "./workspace";

/**
 * Decides what to re-analyse and when. Changes are coalesced: a burst of keystrokes queues the
 * affected configs and one pass runs on the next turn of the event loop, so newer document
 * versions supersede older ones without wasted passes. The workspace scan runs one config per
 * turn, so an edit to the open file is never stuck behind it.
 */
export class Scheduler {
  private readonly pending = new Set<string>();
  private flushQueued = false;
  private scanQueue: string[] | undefined;
  onAnalysed: () => void = () => undefined;
  /** Called once the first full scan of the workspace is done. */
  onScanComplete: (summary: { configs: number; files: number; ms: number }) => void = () => undefined;
  private scanStarted = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly diagnostics: DiagnosticsPublisher,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly logError: (message: string) => void,
  ) {}

  documentChanged(uri: string): void {
    const path = this.workspace.documentPath(uri);
    if (!path) return;
    this.queue(this.workspace.configsAffectedBy(path));
  }

  documentClosed(uri: string): void {
    const path = this.workspace.documentPath(uri);
    if (!path) return;
    this.diagnostics.clear(path);
    // The saved text may differ from the closed buffer: analyse what is on disk now.
    this.queue(this.workspace.configsAffectedBy(path));
  }

  fileChangedOnDisk(uri: string, deleted: boolean): void {
    if (this.documents.get(uri)) return; // the open buffer wins over the disk
    const path = this.workspace.documentPath(uri);
    if (!path) return;
    const affected = this.workspace.configsAffectedBy(path);
    if (deleted && this.workspace.isConfig(path)) this.diagnostics.clear(path);
    this.queue(affected);
  }

  reanalyzeEverything(): void {
    this.queue(this.workspace.allAnalyses().map((a) => a.config.file));
  }

  scanWorkspaceSoon(): void {
    setImmediate(() => {
      try {
        this.scanStarted = Date.now();
        this.workspace.scanWorkspace();
        this.scanQueue = this.workspace.pendingConfigs();
        this.scanStep();
      } catch (error) {
        this.logError(`workspace scan failed: ${String(error)}`);
      }
    });
  }

  private scanStep(): void {
    const next = this.scanQueue?.shift();
    if (next === undefined) {
      this.scanQueue = undefined;
      // A document opened during the scan has its analysis queued: the flush publishes it once
      // analysed, rather than an empty set now.
      if (!this.flushQueued) this.publishOpenDocuments();
      const analyses = this.workspace.allAnalyses();
      const files = new Set(analyses.flatMap((a) => [a.config.file, ...a.workers.flatMap((w) => w.analysis.files)]));
      this.onScanComplete({ configs: analyses.length, files: files.size, ms: Date.now() - this.scanStarted });
      return;
    }
    if (!this.workspace.analysis(next)) this.run(() => this.workspace.refresh([next]));
    setImmediate(() => this.scanStep());
  }

  private queue(configs: readonly string[]): void {
    for (const config of configs) this.pending.add(config);
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    const configs = [...this.pending];
    this.pending.clear();
    this.run(() => this.workspace.refresh(configs));
    this.publishOpenDocuments();
  }

  /** Publishes the diagnostics of every open document again (findings that do not come from an edit changed). */
  republish(): void {
    this.publishOpenDocuments();
  }

  private publishOpenDocuments(): void {
    for (const document of this.documents.all()) {
      const path = this.workspace.documentPath(document.uri);
      if (path) this.run(() => this.diagnostics.publish(path, document.version));
    }
    this.onAnalysed();
  }

  private run(step: () => unknown): void {
    try {
      step();
    } catch (error) {
      this.logError(`analysis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
