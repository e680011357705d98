import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { setBackendLocation, showEstimate } from "./estimateView";

/** Palette commands; the server's own `smartPlacement.enable` is registered by the language client. */
export function registerCommands(client: LanguageClient): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("smartPlacement.enableSmartPlacement", async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showWarningMessage("Open a wrangler config or a Worker source file first.");
        return;
      }
      const message: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: "smartPlacement.enable",
        arguments: [target.toString()],
      });
      if (typeof message === "string") void vscode.window.setStatusBarMessage(message, 5000);
    }),
    vscode.commands.registerCommand("smartPlacement.showPrediction", async (configUri?: string) => {
      if (!configUri) return;
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(configUri));
      await vscode.window.showTextDocument(document);
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
