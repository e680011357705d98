// `npm run test:vscode-desktop`: the same mocha suite in desktop VS Code, downloaded by
// @vscode/test-electron. Needs access to VS Code's download servers (CI here has none and uses
// code-server through `npm run test:editors` instead).
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from "@vscode/test-electron";
import { spawnSync } from "node:child_process";
import { ROOT, VSIX } from "./codeServer.mjs";

if (spawnSync("npm", ["run", "--silent", "package"], { cwd: ROOT, stdio: "inherit" }).status !== 0) process.exit(1);
const workspace = path.join(mkdtempSync(path.join(tmpdir(), "sp-desktop-")), "ws");
cpSync(path.join(ROOT, "test/editors/workspace"), workspace, { recursive: true });
const executable = await downloadAndUnzipVSCode("stable");
const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
spawnSync(cli, [...cliArgs, "--install-extension", VSIX], { stdio: "inherit" });
await runTests({
  vscodeExecutablePath: executable,
  extensionDevelopmentPath: path.join(ROOT, "test/editors/vscode/runner-extension"),
  extensionTestsPath: path.join(ROOT, "test/editors/vscode/suite/index.js"),
  launchArgs: [workspace, "--disable-workspace-trust"],
});
