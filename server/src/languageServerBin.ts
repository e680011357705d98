import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "./server";

// `smart-placement-language-server --stdio` for editors other than VS Code (Neovim, Helix, Zed, ...).
if (!process.argv.some((arg) => arg === "--stdio" || arg === "--node-ipc" || arg.startsWith("--socket") || arg.startsWith("--pipe"))) {
  process.argv.push("--stdio");
}
startServer(createConnection(ProposedFeatures.all));
