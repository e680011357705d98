// `npm run demo` stopped with Ctrl+C leaves nothing behind: code-server is gone and the temporary
// profile (user data, extensions, the copy of examples/) is deleted.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { ROOT } from "./codeServer.mjs";

const listening = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

export async function runDemoCleanup() {
  const results = [];
  const check = (name, ok, detail = "") => results.push(`${ok ? "PASS" : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
  const demo = spawn(process.execPath, [path.join(ROOT, "test/editors/demo.mjs"), "--reuse-vsix"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => demo.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(output);
      if (match && output.includes("Press Ctrl+C")) resolve(new URL(match[1]));
    };
    demo.stdout.on("data", onData);
    demo.stderr.on("data", onData);
    void exited.then(() => resolve(undefined));
  });
  if (!url) {
    check("the demo starts", false, output.slice(-500));
    return results;
  }
  const profileDir = path.dirname(url.searchParams.get("folder"));
  const port = Number(url.port);
  check("the demo starts with a temporary profile", existsSync(profileDir) && (await listening(port)), profileDir);
  // What a terminal's Ctrl+C sends to the foreground process.
  demo.kill("SIGINT");
  const { code } = await exited;
  check("Ctrl+C stops the demo cleanly", code === 0, `exit ${code}: ${output.slice(-300)}`);
  check("Ctrl+C deletes the temporary profile", !existsSync(profileDir), profileDir);
  check("Ctrl+C stops code-server", !(await listening(port)), `port ${port} still open`);
  // The copy links the project's node_modules; deleting it must not follow the link.
  check("the project's node_modules is untouched", existsSync(path.join(ROOT, "node_modules/typescript/package.json")));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runDemoCleanup();
  for (const line of results) console.log(line);
  process.exit(results.some((l) => l.startsWith("FAIL")) ? 1 : 0);
}
