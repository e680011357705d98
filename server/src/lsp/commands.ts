import type { Connection, ExecuteCommandParams } from "vscode-languageserver";
import { enableSmartPlacement } from "../core/fixes/configEdits";
import { singleFileFix } from "../core/findings";
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

/**
 * `smartPlacement.enable [uri] [env]`: adds or switches on `placement` with mode "smart" in the
 * config of `uri` (a config, or a Worker source file whose config is found), for `env` (default:
 * top level). Answers with a sentence saying what happened.
 */
export async function executeCommand(connection: Connection, workspace: Workspace, params: ExecuteCommandParams): Promise<string> {
  if (params.command === SHOW_DOCUMENTATION_COMMAND) return showDocumentation(connection, params.arguments?.[0]);
  if (params.command !== ENABLE_COMMAND) return `Unknown command ${params.command}.`;
  const [uri, env] = params.arguments ?? [];
  const path = typeof uri === "string" ? workspace.documentPath(uri) : undefined;
  if (!path) return "Open a wrangler config or a Worker source file first.";
  const configFile = workspace.isConfig(path) ? path : workspace.configsAffectedBy(path)[0];
  if (!configFile) return "No wrangler.toml, wrangler.json or wrangler.jsonc was found for this file.";
  workspace.refresh([configFile]);
  const analysis = workspace.analysis(configFile);
  if (!analysis?.config.root) return `${configFile} does not parse; fix its syntax first.`;
  const envPath = typeof env === "string" && env !== "" ? ["env", env] : [];
  const edits = enableSmartPlacement(analysis.config, envPath);
  if (!edits || edits.length === 0) return "Smart Placement could not be enabled automatically here: placement is not a table.";
  const edit = toWorkspaceEdit(workspace, singleFileFix("Enable Smart Placement", configFile, edits));
  if (!edit) return `Cannot read ${configFile}.`;
  const result = await connection.workspace.applyEdit({ label: "Enable Smart Placement", edit });
  return result.applied
    ? `Smart Placement enabled in ${configFile}.`
    : `The editor did not apply the edit${result.failureReason ? `: ${result.failureReason}` : "."}`;
}
