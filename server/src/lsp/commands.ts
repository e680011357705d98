import type { Connection, ExecuteCommandParams } from "vscode-languageserver";
import { enableSmartPlacement } from "../core/fixes/configEdits";
import { singleFileFix } from "../core/findings";
import { getEntryAt } from "../core/config/tree";
import { configuredWords } from "../core/predict/words";
import { isRuleCode, ruleDocsUrl } from "../core/rules/catalogue";
import { toWorkspaceEdit } from "./edits";
import type { Workspace } from "./workspace";

export const ENABLE_COMMAND = "smartPlacement.enable";
/** `smartPlacement.showDocumentation <code>`: opens the rule's page (in the browser). */
export const SHOW_DOCUMENTATION_COMMAND = "smartPlacement.showDocumentation";
export const SERVER_COMMANDS = [ENABLE_COMMAND, SHOW_DOCUMENTATION_COMMAND];

async function showDocumentation(connection: Connection, code: unknown): Promise<string> {
  if (typeof code !== "string" || !isRuleCode(code)) return `There is no rule ${String(code)}.`;
  const uri = ruleDocsUrl(code);
  try {
    const result = await connection.window.showDocument({ uri, external: true });
    return result.success ? `Opened the documentation for ${code}.` : `The documentation for ${code} is at ${uri}`;
  } catch {
    // Editors without window/showDocument: the answer says where it is.
    return `The documentation for ${code} is at ${uri}`;
  }
}

/** What a command did, said as the editor's notification: information, or a warning when nothing changed for a reason to fix. */
export interface CommandMessage {
  readonly kind: "information" | "warning";
  readonly text: string;
}

const info = (text: string): CommandMessage => ({ kind: "information", text });
const warning = (text: string): CommandMessage => ({ kind: "warning", text });

/**
 * `smartPlacement.enable [uri] [env]`: adds or switches on `placement` with mode "smart" in the
 * config of `uri` (a config, or a Worker source file whose config is found), for `env` (default:
 * top level). Answers with a sentence saying what changed, or why nothing did.
 */
export async function executeCommand(connection: Connection, workspace: Workspace, params: ExecuteCommandParams): Promise<CommandMessage> {
  if (params.command === SHOW_DOCUMENTATION_COMMAND) return info(await showDocumentation(connection, params.arguments?.[0]));
  if (params.command !== ENABLE_COMMAND) return warning(`Unknown command ${params.command}.`);
  const [uri, env] = params.arguments ?? [];
  const path = typeof uri === "string" ? workspace.documentPath(uri) : undefined;
  if (!path) return warning("Open a wrangler config or a Worker source file first.");
  const configFile = workspace.isConfig(path) ? path : workspace.configsAffectedBy(path)[0];
  if (!configFile) return warning("No wrangler.toml, wrangler.json or wrangler.jsonc was found for this file.");
  workspace.refresh([configFile]);
  const analysis = workspace.analysis(configFile);
  const shown = workspace.displayPath(configFile);
  if (!analysis?.config.root) return warning(`${shown} does not parse; fix its syntax first.`);
  const envName = typeof env === "string" && env !== "" ? env : null;
  const where = envName ? `${shown} (env ${envName})` : shown;
  const worker = analysis.workers.find((w) => w.env.name === envName);
  if (worker?.effectivePlacement?.mode === "smart") return info(`Smart Placement is already enabled in ${where}; nothing changed.`);
  if (worker?.effectivePlacement?.mode === "targeted")
    return warning(
      `Smart Placement was not enabled: ${where} places the Worker near a target (${configuredWords(worker, false)}); remove the target first to let Smart Placement decide.`,
    );
  const envPath = envName ? ["env", envName] : [];
  const placementPath = [...envPath, "placement"];
  const existing = getEntryAt(analysis.config.root, placementPath);
  const edits = enableSmartPlacement(analysis.config, envPath);
  if (!edits || edits.length === 0)
    return warning(`Smart Placement could not be enabled automatically in ${where}: "${placementPath.join(".")}" is not a table.`);
  const edit = toWorkspaceEdit(workspace, singleFileFix("Enable Smart Placement", configFile, edits));
  if (!edit) return warning(`Cannot read ${shown}.`);
  const result = await connection.workspace.applyEdit({ label: "Enable Smart Placement", edit });
  if (!result.applied) return warning(`The editor did not apply the edit${result.failureReason ? `: ${result.failureReason}` : "."}`);
  const change =
    existing && existing.value.kind === "table" && existing.value.entries.has("mode")
      ? `set ${placementPath.join(".")}.mode to "smart"`
      : existing
        ? `added mode = "smart" to ${placementPath.join(".")}`
        : `added ${placementPath.join(".")} with mode = "smart"`;
  return info(`Smart Placement enabled in ${where}: ${change}.`);
}
