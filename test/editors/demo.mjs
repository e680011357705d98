// `npm run demo`: VS Code in the browser (code-server) on examples/ with the packaged extension.
// Ctrl+C (or SIGTERM, or closing the terminal) stops code-server and deletes the temporary profile.
// `--reuse-vsix` skips set-up and packaging (the editor suite uses it after packaging once).
import { spawnSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import path from "node:path";
import { prepareProfile, removeProfile, ROOT, startCodeServer } from "./codeServer.mjs";

if (!process.argv.includes("--reuse-vsix")) {
  for (const [command, args] of [
    ["bash", [path.join(ROOT, "scripts/editors/setup.sh")]],
    ["npm", ["run", "--silent", "package"]],
  ]) {
    if (spawnSync(command, args, { cwd: ROOT, stdio: "inherit" }).status !== 0) process.exit(1);
  }
}
const profile = prepareProfile(path.join(ROOT, "examples"));
// The copy's TypeScript finds the Workers runtime types and Hono in the project's node_modules.
// (Deleting the profile removes the link, not what it points to.)
symlinkSync(path.join(ROOT, "node_modules"), path.join(profile.workspace, "node_modules"), "dir");
let server;
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server?.stop();
  removeProfile(profile);
  console.log("\nStopped; the temporary profile is deleted.");
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void stop());
try {
  server = await startCodeServer(profile);
} catch (error) {
  removeProfile(profile);
  throw error;
}
console.log(`\nVS Code with smart-placement on a copy of examples/: ${server.url}/?folder=${encodeURIComponent(profile.workspace)}`);
console.log("Press Ctrl+C to stop.");
await new Promise(() => undefined);
