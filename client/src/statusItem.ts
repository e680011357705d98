import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

interface PredictionSummary {
  readonly env: string | null;
  readonly name: string | null;
  readonly status: string;
  readonly roundTrips: number | null;
  readonly backends: ReadonlyArray<{ host: string; roundTrips: number }>;
  readonly placement: string;
}

/** Shows the active Worker's prediction in the status bar; hidden for unrelated files. */
export class PlacementStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("smartPlacement.status", vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: LanguageClient) {
    this.item.name = "Smart Placement";
    this.item.command = "smartPlacement.showOutput";
  }

  start(): void {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics(() => this.updateSoon()),
    );
    this.update();
  }

  private updateSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 200);
  }

  private update(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== "file") {
      this.item.hide();
      return;
    }
    this.client.sendRequest<PredictionSummary | null>("smartPlacement/prediction", { uri: uri.toString() }).then(
      (summary) => this.render(summary),
      () => this.item.hide(),
    );
  }

  private render(summary: PredictionSummary | null): void {
    if (!summary) {
      this.item.hide();
      return;
    }
    const trips = summary.roundTrips === null ? "" : ` · ${summary.roundTrips} RT`;
    this.item.text = `$(globe) ${summary.status}${trips}`;
    this.item.tooltip = `Smart Placement prediction for ${summary.name ?? "this Worker"}${summary.env ? ` (env ${summary.env})` : ""}: ${summary.status}. Placement: ${summary.placement}.${
      summary.backends.length ? ` Back ends: ${summary.backends.map((b) => `${b.host} (${b.roundTrips})`).join(", ")}.` : ""
    }`;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
