// The mocha suite (test/editors/vscode/suite) inside code-server's extension host, against the
// extension installed from the .vsix. Results come back through the smoke-test driver's hooks.
import path from "node:path";
import util from "node:util";
import { launchBrowser, prepareProfile, removeProfile, ROOT, startCodeServer } from "./codeServer.mjs";

export async function runVsCodeSuite() {
  const profile = prepareProfile(path.join(ROOT, "test/editors/workspace"));
  const server = await startCodeServer(profile);
  const browser = await launchBrowser();
  const lines = [];
  try {
    const remote = (p) => `vscode-remote://${server.authority}${p}`;
    const payload = [
      ["extensionDevelopmentPath", remote(path.join(ROOT, "test/editors/vscode/runner-extension"))],
      ["extensionTestsPath", remote(path.join(ROOT, "test/editors/vscode/suite/index.js"))],
    ];
    const page = await browser.newPage();
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
    return { ok: code === 0, code, lines };
  } finally {
    await browser.close();
    server.stop();
    removeProfile(profile);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runVsCodeSuite();
  console.log(result.ok ? "VS CODE SUITE PASS" : `VS CODE SUITE FAIL (${result.code})`);
  process.exit(result.ok ? 0 : 1);
}
