import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

/** One panel, reused: showing the estimate again refreshes it. */
let panel: vscode.WebviewPanel | undefined;

/**
 * "Smart Placement: Show Estimate": a webview with the estimate's map and bar chart for the Worker
 * of `uri` (a config or source file; default: the active editor's), rendered by the server. No
 * scripts, no network: the page's one style block carries this nonce.
 */
export async function showEstimate(client: LanguageClient, uri?: string, env?: string | null): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!target) {
    void vscode.window.showWarningMessage("Open a wrangler config or a Worker source file first.");
    return;
  }
  if (!panel) {
    panel = vscode.window.createWebviewPanel("smartPlacement.estimate", "Smart Placement Estimate", vscode.ViewColumn.Beside, {
      enableScripts: false,
      localResourceRoots: [],
    });
    panel.onDidDispose(() => (panel = undefined));
  }
  const html = await client.sendRequest<string>("smartPlacement/estimatePicture", {
    uri: target,
    ...(env !== undefined ? { env } : {}),
    nonce: randomBytes(16).toString("base64"),
    cspSource: panel.webview.cspSource,
  });
  panel.webview.html = html;
  panel.reveal(undefined, true);
}

/**
 * Asks where a back end is and writes it to `smartPlacement.backends` (the workspace's settings
 * when a folder is open): the estimate then has numbers for the paths that reach it.
 */
export async function setBackendLocation(host?: string): Promise<void> {
  const name =
    host ??
    (await vscode.window.showInputBox({ title: "Smart Placement: back end", prompt: "Host name of the back end", ignoreFocusOut: true }));
  if (!name) return;
  const location = await vscode.window.showInputBox({
    title: `Where is ${name}?`,
    prompt: "A cloud region (aws:us-east-1, gcp:europe-west3, azure:westeurope), a Cloudflare location code (FRA) or a city",
    placeHolder: "aws:us-east-1",
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === "" ? "Write a region, a location code or a city." : undefined),
  });
  if (!location) return;
  const config = vscode.workspace.getConfiguration("smartPlacement");
  const current = config.get<Record<string, string>>("backends") ?? {};
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update("backends", { ...current, [name]: location.trim() }, target);
}
