import { runServer } from "./connection";

// `smart-placement-language-server --stdio` for editors other than VS Code (Neovim, Helix, Zed, ...).
// One server per process: this file starts it, nothing it imports does.
if (!process.argv.some((arg) => arg === "--stdio" || arg === "--node-ipc" || arg.startsWith("--socket") || arg.startsWith("--pipe"))) {
  process.argv.push("--stdio");
}
runServer();
