import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { literalGlob, statusContent, workerLabel, type PlatformAnswers, type PredictionSummary, type WorkerSummary } from "./statusText";

const SEVERITY: Record<WorkerSummary["severity"], vscode.LanguageStatusSeverity> = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

/**
 * The "Smart Placement" language status item: what is configured and the short verdict for the
 * active file's Worker, its detail the prediction of every Worker the file belongs to, its action
 * opening the config at `[placement]`. Shown only for files that belong to a Worker. After "Check
 * Deployed Worker", the detail (the item's tooltip) also says what the platform answered.
 */
export class PlacementStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem("smartPlacement.status", []);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires whenever what is shown changes (tests wait on it). */
  readonly onDidChange = this.changed.event;
  /** What is shown, for tests. */
  shown: { uri: string; text: string; detail: string; severity: string } | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly platform: PlatformAnswers,
  ) {
    this.item.name = "Smart Placement";
  }

  start(): void {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics(() => this.updateSoon()),
      this.platform.onDidChange(() => this.update()),
    );
    this.update();
  }

  private updateSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 200);
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.uri.scheme !== "file") return this.hide();
    this.client.sendRequest<PredictionSummary | null>("smartPlacement/prediction", { uri: document.uri.toString() }).then(
      (summary) => this.render(document, summary),
      () => this.hide(),
    );
  }

  private hide(): void {
    this.item.selector = [];
    this.shown = undefined;
    this.changed.fire();
  }

  private render(document: vscode.TextDocument, summary: PredictionSummary | null): void {
    if (!summary) return this.hide();
    const { text, detail, severity } = statusContent(summary, (w) => this.platform.get(w.config, w.env));
    this.item.text = text;
    this.item.detail = detail;
    this.item.severity = SEVERITY[severity];
    this.item.command = {
      title: "Open config",
      tooltip: `Open the config of ${workerLabel(summary)} at its placement`,
      command: "smartPlacement.showPrediction",
      arguments: [summary.config, summary.env, summary.range],
    };
    // A language status item shows for the documents its selector matches: this one document.
    const folder = vscode.Uri.joinPath(document.uri, "..");
    const base = document.uri.path.slice(document.uri.path.lastIndexOf("/") + 1);
    this.item.selector = { language: document.languageId, pattern: new vscode.RelativePattern(folder, literalGlob(base)) };
    this.shown = { uri: document.uri.toString(), text, detail, severity };
    this.changed.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.item.dispose();
  }
}
