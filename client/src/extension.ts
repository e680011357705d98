import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { registerCommands } from "./commands";
import { PlacementStatusItem } from "./statusItem";
import { registerVerifyCommands } from "./verify";

let client: LanguageClient | undefined;

/** Wrangler configs by name, and the JS/TS sources of Workers; other TOML/JSON files are left alone. */
export const DOCUMENT_SELECTOR = [
  { scheme: "file", pattern: "**/wrangler.toml" },
  { scheme: "file", pattern: "**/wrangler.json" },
  { scheme: "file", pattern: "**/wrangler.jsonc" },
  { scheme: "file", language: "typescript" },
  { scheme: "file", language: "javascript" },
  { scheme: "file", language: "typescriptreact" },
  { scheme: "file", language: "javascriptreact" },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join("dist", "server.js"));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6011"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: {
      configurationSection: "smartPlacement",
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/wrangler.{toml,json,jsonc}"),
        vscode.workspace.createFileSystemWatcher("**/package.json"),
        vscode.workspace.createFileSystemWatcher("**/*.{ts,js,mjs,cjs,mts,cts}"),
      ],
    },
  };
  client = new LanguageClient("smartPlacement", "Smart Placement", serverOptions, clientOptions);
  const status = new PlacementStatusItem(client);
  context.subscriptions.push(status, ...registerCommands(client), ...registerVerifyCommands(context));
  await client.start();
  status.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
