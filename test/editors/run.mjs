// `npm run test:editors`: installs what it needs (cached in .cache/editors), packages the .vsix, and
// runs the editor suites: mocha inside code-server (alone, next to a TOML extension, on a workspace
// without a Worker, in Restricted Mode), the workbench UI, the demo's clean-up, and headless Neovim.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./codeServer.mjs";
import { runDemoCleanup } from "./demoCleanup.mjs";
import { runNeovim } from "./neovim.mjs";
import { runUi, runUiWithTomlExtension } from "./ui.mjs";
import { RUNS, runVsCodeSuite } from "./vscodeSuite.mjs";

const step = (name) => console.log(`\n== ${name}`);
const started = Date.now();
function sh(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(" ")} failed`);
    process.exit(1);
  }
}

step("set-up (cached after the first run)");
sh("bash", [path.join(ROOT, "scripts/editors/setup.sh")]);
step("package the .vsix");
sh("npm", ["run", "--silent", "package"]);

let passed = 0;
let failed = 0;
const tally = (lines) => {
  for (const line of lines) {
    console.log(`  ${line}`);
    if (line.startsWith("PASS")) passed++;
    else failed++;
  }
};

const suites = [
  ["main", "mocha suite inside VS Code (code-server), extension installed from the .vsix"],
  ["tomlExtension", "the same next to a TOML extension (contributes `toml` and `source.toml` as Even Better TOML does)"],
  ["noWorker", "a workspace without a Worker (Cargo.toml), next to the TOML extension"],
  ["restricted", "Restricted Mode (workspace trust on, folder not trusted)"],
  ["examples", "the bundled examples as `npm run demo` opens them (runtime types resolve)"],
];
for (const [name, title] of suites) {
  step(title);
  const suite = await runVsCodeSuite(RUNS[name]);
  // Mocha's own summary ("10 passing", "1 failing"), colour codes stripped (CI=true turns them on).
  const summary = suite.lines.join("\n").replace(/\u001b\[[0-9;]*m/g, "");
  const mochaPassed = Number(/(\d+) passing/.exec(summary)?.[1] ?? 0);
  const mochaFailed = Number(/(\d+) failing/.exec(summary)?.[1] ?? (suite.ok ? 0 : 1));
  passed += mochaPassed;
  failed += mochaFailed + (suite.ok || mochaFailed > 0 ? 0 : 1);
  console.log(`  mocha (${name}): ${mochaPassed} passing, ${mochaFailed} failing (exit ${suite.code})`);
  const overwritten = suite.workbenchConsole.filter((line) => line.includes("Overwriting grammar scope name"));
  tally([
    `${overwritten.length === 0 ? "PASS" : "FAIL"} no grammar overwritten (${name})${overwritten.length ? `: ${overwritten[0]}` : ""}`,
  ]);
}

step("workbench UI in Chromium (playwright-core)");
tally(await runUi());
tally(await runUiWithTomlExtension());

step("npm run demo, stopped with Ctrl+C");
tally(await runDemoCleanup());

step("language server in headless Neovim");
tally(runNeovim());

console.log(`\neditor tests took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
