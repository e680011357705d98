// The mocha suites (test/editors/vscode/suite) inside code-server's extension host, against the
// extension installed from the .vsix. Results come back through the smoke-test driver's hooks.
import { symlinkSync } from "node:fs";
import path from "node:path";
import util from "node:util";
import { launchBrowser, prepareProfile, removeProfile, ROOT, startCodeServer } from "./codeServer.mjs";

/** A run of the suite: which folder, which entry file, which other extensions, whether trust is on. */
export const RUNS = {
  main: { workspace: "test/editors/workspace", entry: "index.js" },
  // Even Better TOML cannot be installed offline; a stand-in contributes TOML the same way.
  tomlExtension: { workspace: "test/editors/workspace", entry: "tomlExtension.js", withTomlExtension: true },
  noWorker: { workspace: "test/editors/workspace-plain", entry: "noWorker.js", withTomlExtension: true },
  // What `npm run demo` opens: the examples, with the project's node_modules linked in.
  examples: { workspace: "examples", entry: "examples.js", linkNodeModules: true },
  restricted: {
    workspace: "test/editors/workspace",
    entry: "restricted.js",
    workspaceTrust: true,
    settings: { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never" },
  },
};

export async function runVsCodeSuite(run = RUNS.main) {
  const profile = prepareProfile(path.join(ROOT, run.workspace), run.settings);
  if (run.linkNodeModules) symlinkSync(path.join(ROOT, "node_modules"), path.join(profile.workspace, "node_modules"), "dir");
  const server = await startCodeServer(profile, { workspaceTrust: run.workspaceTrust === true });
  const browser = await launchBrowser();
  const lines = [];
  // The workbench's own console (grammar registration warnings are logged there).
  const workbenchConsole = [];
  try {
    const remote = (p) => `vscode-remote://${server.authority}${p}`;
    const payload = [
      ["extensionDevelopmentPath", remote(path.join(ROOT, "test/editors/vscode/runner-extension"))],
      ...(run.withTomlExtension ? [["extensionDevelopmentPath", remote(path.join(ROOT, "test/editors/vscode/toml-extension"))]] : []),
      ["extensionTestsPath", remote(path.join(ROOT, "test/editors/vscode/suite", run.entry))],
    ];
    const page = await browser.newPage();
    page.on("console", (message) => workbenchConsole.push(message.text()));
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction("codeAutomationLog", (_level, args) => {
      const message = util.format(...args);
      if (/ENOTFOUND|ChatModel|^\s+at /.test(message)) return;
      lines.push(message);
      console.log(`  ${message}`);
    });
    await page.exposeFunction("codeAutomationExit", (code) => finish(code));
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(profile.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const timer = setTimeout(() => finish("timeout"), 180_000);
    const code = await exited;
    clearTimeout(timer);
    return { ok: code === 0, code, lines, workbenchConsole };
  } finally {
    await browser.close();
    await server.stop();
    removeProfile(profile);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2] ?? "main";
  const result = await runVsCodeSuite(RUNS[name]);
  for (const line of result.workbenchConsole.filter((l) => /grammar|Overwriting/i.test(l))) console.log(`  workbench: ${line}`);
  console.log(result.ok ? `VS CODE SUITE (${name}) PASS` : `VS CODE SUITE (${name}) FAIL (${result.code})`);
  process.exit(result.ok ? 0 : 1);
}
