import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { setBackendLocation, showEstimate } from "./estimateView";

/** A range as the server sends it (0-based lines and characters). */
interface LspRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

/** Palette commands; the server's own `smartPlacement.enable` is registered by the language client. */
export function registerCommands(client: LanguageClient): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("smartPlacement.enableSmartPlacement", async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showWarningMessage("Open a wrangler config or a Worker source file first.");
        return;
      }
      // The server says what changed (or that nothing had to) as a notification.
      await client.sendRequest(ExecuteCommandRequest.type, {
        command: "smartPlacement.enable",
        arguments: [target.toString()],
      });
    }),
    vscode.commands.registerCommand("smartPlacement.showPrediction", async (configUri?: string, _env?: string | null, at?: LspRange) => {
      if (!configUri) return;
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(configUri));
      const range = at ? new vscode.Range(at.start.line, at.start.character, at.end.line, at.end.character) : undefined;
      await vscode.window.showTextDocument(document, range ? { selection: range } : {});
    }),
    vscode.commands.registerCommand("smartPlacement.showEstimate", (uri?: string | vscode.Uri, env?: string | null) =>
      showEstimate(client, uri === undefined ? undefined : String(uri), env),
    ),
    vscode.commands.registerCommand("smartPlacement.setBackendLocation", (host?: string) => setBackendLocation(host)),
    vscode.commands.registerCommand("smartPlacement.restartServer", async () => {
      await client.restart();
    }),
    vscode.commands.registerCommand("smartPlacement.showOutput", () => {
      client.outputChannel.show(true);
    }),
  ];
}
