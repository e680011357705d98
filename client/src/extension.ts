import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { registerCommands } from "./commands";
import { PlacementStatusItem } from "./statusItem";
import { PlatformAnswers } from "./statusText";
import { handWranglerTomlToTomlExtension } from "./tomlLanguage";
import { registerVerifyCommands } from "./verify";

let client: LanguageClient | undefined;

/**
 * Wrangler configs by name, whatever language the editor gives them (ours, or a TOML extension's
 * `toml`), and the JS/TS sources of Workers; other TOML/JSON files are left alone.
 */
export const DOCUMENT_SELECTOR = [
  { scheme: "file", pattern: "**/wrangler.{toml,json,jsonc}" },
  { scheme: "file", pattern: "**/wrangler.*.{toml,json,jsonc}" },
  // The shared settings: their mistakes are shown where they are.
  { scheme: "file", pattern: "**/.smart-placement.{json,jsonc}" },
  { scheme: "file", language: "typescript" },
  { scheme: "file", language: "javascript" },
  { scheme: "file", language: "typescriptreact" },
  { scheme: "file", language: "javascriptreact" },
  // Astro components: their frontmatter is server code of the page.
  { scheme: "file", pattern: "**/*.astro" },
];

/** What the extension hands to other extensions and to its tests. */
export interface SmartPlacementApi {
  /** What the language status item shows for the active file, or undefined when it is hidden. */
  readonly status: () => PlacementStatusItem["shown"];
  /** Fires when what the status item shows changes. */
  readonly onDidChangeStatus: vscode.Event<void>;
}

export async function activate(context: vscode.ExtensionContext): Promise<SmartPlacementApi> {
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
        vscode.workspace.createFileSystemWatcher("**/wrangler.*.{toml,json,jsonc}"),
        vscode.workspace.createFileSystemWatcher("**/package.json"),
        vscode.workspace.createFileSystemWatcher("**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts,astro,py}"),
      ],
    },
  };
  client = new LanguageClient("smartPlacement", "Smart Placement", serverOptions, clientOptions);
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? "dev");
  client.outputChannel.appendLine(`Smart Placement ${version}: starting the language server`);
  // A config's URI as the editor spells it, whichever side wrote it (the server's spelling may differ).
  const platform = new PlatformAnswers((uri) => vscode.Uri.parse(uri).toString());
  const status = new PlacementStatusItem(client, platform);
  context.subscriptions.push(
    status,
    ...registerCommands(client),
    handWranglerTomlToTomlExtension(),
    ...registerVerifyCommands(context, client, platform),
  );
  await client.start();
  status.start();
  return { status: () => status.shown, onDidChangeStatus: status.onDidChange };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
