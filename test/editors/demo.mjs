// `npm run demo`: VS Code in the browser (code-server) on examples/ with the packaged extension.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { prepareProfile, ROOT, startCodeServer } from "./codeServer.mjs";

for (const [command, args] of [
  ["bash", [path.join(ROOT, "scripts/editors/setup.sh")]],
  ["npm", ["run", "--silent", "package"]],
]) {
  if (spawnSync(command, args, { cwd: ROOT, stdio: "inherit" }).status !== 0) process.exit(1);
}
const profile = prepareProfile(path.join(ROOT, "examples"));
const server = await startCodeServer(profile);
console.log(`\nVS Code with smart-placement on a copy of examples/: ${server.url}/?folder=${encodeURIComponent(profile.workspace)}`);
console.log("Press Ctrl+C to stop.");
process.on("SIGINT", () => {
  server.stop();
  process.exit(0);
});
await new Promise(() => undefined);
