import { fork } from "node:child_process";
import * as path from "node:path";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { showEstimate } from "./estimateView";
import { answersFromStatus, type PlatformAnswers } from "./statusText";

/** Where the API token is kept: VS Code's secret storage, never settings, logs or output. */
const TOKEN_KEY = "smartPlacement.cloudflareApiToken";
const ACCOUNT_KEY = "smartPlacement.cloudflareAccountId";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled command line (the same code as `smart-placement`), cancellable. */
function runCli(
  context: vscode.ExtensionContext,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  token: vscode.CancellationToken,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = fork(context.asAbsolutePath(path.join("dist", "cli.js")), args, { cwd, env, silent: true });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const cancel = token.onCancellationRequested(() => child.kill("SIGTERM"));
    child.on("error", (error) => {
      cancel.dispose();
      resolve({ code: null, stdout, stderr: stderr + error.message });
    });
    child.on("exit", (code) => {
      cancel.dispose();
      resolve({ code, stdout, stderr });
    });
  });
}

/** The wrangler config to use: the active one, else the only one, else the user's pick. */
async function pickConfig(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /^wrangler\.(toml|json|jsonc)$/.test(path.basename(active.fsPath))) return active;
  const found = await vscode.workspace.findFiles("**/wrangler.{toml,json,jsonc}", "**/node_modules/**", 200);
  if (found.length <= 1) {
    if (found.length === 0) void vscode.window.showWarningMessage("No wrangler.toml, wrangler.json or wrangler.jsonc in this workspace.");
    return found[0];
  }
  const choice = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: "Which Worker?" },
  );
  return choice?.uri;
}

interface TraceReport {
  workers: Array<{
    config: string;
    name: string | null;
    error: string | null;
    notTraced: Array<{ file: string; line: number; kind: string; reason: string }>;
    requests: Array<{
      method: string;
      path: string;
      status: number | null;
      subrequests: Array<{
        method: string;
        url: string | null;
        target: string;
        startMs: number;
        endMs: number;
        wave: number | null;
        afterResponse: boolean;
      }>;
      agreement: string;
      explanation: string;
    }>;
  }>;
  summary: { requests: number; agree: number; disagree: number; errors: number };
}

function showTrace(output: vscode.OutputChannel, report: TraceReport): void {
  for (const worker of report.workers) {
    output.appendLine(`${worker.config}: ${worker.name ?? "(unnamed)"}`);
    for (const request of worker.requests) {
      output.appendLine(`  ${request.method} ${request.path} → ${request.status ?? "no answer"}`);
      for (const s of request.subrequests)
        output.appendLine(
          `    ${(s.wave !== null ? `wave ${s.wave}` : s.afterResponse ? "after" : "").padEnd(7)} ${Math.round(s.startMs)}–${Math.round(s.endMs)} ms  ${s.method} ${s.url ?? s.target}`,
        );
      output.appendLine(`    ${request.agreement}: ${request.explanation}`);
    }
    for (const n of worker.notTraced) output.appendLine(`  not traced: ${n.file}:${n.line} ${n.kind}: ${n.reason}`);
    if (worker.error) output.appendLine(`  error: ${worker.error}`);
  }
}

/**
 * Hands a trace's results to the language server (`smartPlacement/traceResults`): it shows each
 * disagreement on the handler (`trace-disagrees`) and the waterfall in the estimate picture, which
 * opens beside the editor when a request was traced.
 */
async function handOverTrace(client: LanguageClient, config: vscode.Uri, report: TraceReport): Promise<void> {
  try {
    await client.sendRequest("smartPlacement/traceResults", { uri: config.toString(), report });
  } catch {
    return; // the server is restarting: the output and the message still say what happened
  }
  if (report.workers.some((w) => w.requests.length > 0)) await showEstimate(client, config.toString());
}

export function registerVerifyCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  platform: PlatformAnswers,
): vscode.Disposable[] {
  const output = vscode.window.createOutputChannel("Smart Placement: Trace and Status");
  return [
    output,
    vscode.commands.registerCommand("smartPlacement.traceLocally", async (uri?: vscode.Uri): Promise<TraceReport | undefined> => {
      // Tracing runs the workspace's code: never in Restricted Mode.
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage("Trace Locally runs the Worker's code, so it is available in trusted workspaces only.");
        return undefined;
      }
      const config = uri ?? (await pickConfig());
      if (!config) return undefined;
      // The trace runs what is on disk, as a debug session does: unsaved changes in the Worker's
      // folder are saved first, so the results describe the code on screen.
      const folder = path.dirname(config.fsPath) + path.sep;
      await Promise.all(
        vscode.workspace.textDocuments
          .filter((d) => d.isDirty && d.uri.scheme === "file" && d.uri.fsPath.startsWith(folder))
          .map((d) => d.save()),
      );
      const cwd = vscode.workspace.getWorkspaceFolder(config)?.uri.fsPath ?? path.dirname(config.fsPath);
      const env = { ...process.env };
      delete env.CLOUDFLARE_API_TOKEN;
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: "Smart Placement: tracing the Worker in local workerd…",
          cancellable: true,
        },
        (_, token) => runCli(context, ["trace", config.fsPath, "--format", "json"], cwd, env, token),
      );
      output.clear();
      let report: TraceReport | undefined;
      try {
        report = JSON.parse(result.stdout) as TraceReport;
      } catch {
        report = undefined;
      }
      if (report) {
        showTrace(output, report);
        await handOverTrace(client, config, report);
      }
      if (result.stderr.trim()) output.appendLine(result.stderr.trim());
      const summary = report
        ? `Trace: ${report.summary.agree} of ${report.summary.requests} requests agree with the prediction` +
          (report.summary.disagree ? `, ${report.summary.disagree} disagree` : "") +
          (report.summary.errors ? `, ${report.summary.errors} could not be traced` : "") +
          "."
        : `Trace failed: ${result.stderr.trim().split("\n")[0] ?? "no output"}`;
      // Not awaited: the message stays until dismissed, the command answers now.
      void (result.code === 0 ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(summary, "Show Output").then(
        (show) => {
          if (show) output.show(true);
        },
      );
      return report;
    }),
    vscode.commands.registerCommand("smartPlacement.checkDeployedWorker", async (uri?: vscode.Uri) => {
      const config = uri ?? (await pickConfig());
      if (!config) return;
      // The stored token, else the one Wrangler would use from the environment (not stored), else ask.
      let token = (await context.secrets.get(TOKEN_KEY)) ?? process.env.CLOUDFLARE_API_TOKEN;
      if (!token) {
        token = await vscode.window.showInputBox({
          prompt: "A Cloudflare API token with Workers Scripts Read (kept in VS Code's secret storage)",
          password: true,
          ignoreFocusOut: true,
        });
        if (!token) return;
        await context.secrets.store(TOKEN_KEY, token.trim());
      }
      let account = process.env.CLOUDFLARE_ACCOUNT_ID ?? context.globalState.get<string>(ACCOUNT_KEY);
      if (!account) {
        account = await vscode.window.showInputBox({
          prompt: "The Cloudflare account ID (Workers & Pages, right column)",
          ignoreFocusOut: true,
        });
        if (!account) return;
        await context.globalState.update(ACCOUNT_KEY, account.trim());
      }
      const cwd = vscode.workspace.getWorkspaceFolder(config)?.uri.fsPath ?? path.dirname(config.fsPath);
      // The token goes to the command line through its environment, never its arguments.
      const env = { ...process.env, CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: account.trim() };
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: "Smart Placement: asking Cloudflare…", cancellable: true },
        (_, cancel) => runCli(context, ["status", config.fsPath, "--format", "json"], cwd, env, cancel),
      );
      let answer: { workers: Array<{ name: string | null; explanation: string }> } | undefined;
      try {
        answer = JSON.parse(result.stdout) as typeof answer;
      } catch {
        answer = undefined;
      }
      // The status item's tooltip says what the platform answered, per Worker, for the session.
      if (answer)
        for (const { env: worker, answer: said } of answersFromStatus(answer, new Date())) platform.set(config.toString(), worker, said);
      const text =
        answer?.workers.map((w) => `${w.name ?? "(unnamed)"}: ${w.explanation}`).join("\n") ??
        result.stderr.trim().replace(/^smart-placement: /, "");
      if (result.code === 2 && /refused the token|CLOUDFLARE_API_TOKEN/.test(result.stderr)) {
        const forget = await vscode.window.showErrorMessage(text, "Forget Token");
        if (forget) await context.secrets.delete(TOKEN_KEY);
        return;
      }
      if (result.code === 0) void vscode.window.showInformationMessage(text);
      else void vscode.window.showWarningMessage(text);
    }),
  ];
}
