import {
  CodeAction,
  CodeActionKind,
  Command,
  CreateFile,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  TextEdit,
  type CodeActionParams,
  type Diagnostic,
  type WorkspaceEdit,
} from "vscode-languageserver";
import { configFormatOf, parseConfigText } from "../core/config/model";
import type { Finding } from "../core/findings";
import { dirname, joinPath, relativePath } from "../core/fs";
import { ruleInfo, type RuleCode } from "../core/rules/catalogue";
import { disableRuleEdits, SETTINGS_FILE_NAMES } from "../core/settingsFile";
import { applyEdits, type TextEdit as CoreTextEdit } from "../core/text";
import { SHOW_DOCUMENTATION_COMMAND } from "./commands";
import { pathToUri, spanToRange } from "./convert";
import { toWorkspaceEdit } from "./edits";
import { estimateCodeActions } from "./estimate";
import type { Workspace } from "./workspace";

/** Applies every safe fix of a file at once (`editor.codeActionsOnSave`: `"source.fixAll.smartPlacement"`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.smartPlacement`;
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

/** Whether the request's `only` (if any) asks for actions of `kind`. */
function wanted(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((asked) => kind === asked || kind.startsWith(asked + "."));
}

/**
 * For the findings under the cursor/selection: their quick fixes (each linked to its diagnostic),
 * then "Show documentation" and "Disable ... for this Worker" once per code. Asked for
 * `source.fixAll`, the file's safe fixes in one action.
 */
export function provideCodeActions(workspace: Workspace, params: CodeActionParams): CodeAction[] {
  const path = workspace.documentPath(params.textDocument.uri);
  const lines = path ? workspace.lines(path) : undefined;
  if (!path || !lines) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  // Fix-all is a source action: offered only when asked for (on save, or "Fix all" in a menu).
  if (only && wanted(only, FIX_ALL_KIND)) {
    const fixAll = fixAllAction(workspace, path);
    if (fixAll) actions.push(fixAll);
  }
  if (!wanted(only, CodeActionKind.QuickFix)) return actions;
  const start = lines.offsetAt(params.range.start);
  const end = lines.offsetAt(params.range.end);
  const here = workspace.shownFindingsIn(path).filter(({ finding }) => finding.span.end >= start && finding.span.start <= end);
  const diagnosticOf = (finding: Finding): Diagnostic | undefined => {
    const range = spanToRange(lines, finding.span);
    return params.context.diagnostics.find(
      (d: Diagnostic) =>
        d.code === finding.code && d.range.start.line === range.start.line && d.range.start.character === range.start.character,
    );
  };
  for (const { finding } of here) {
    const diagnostic = diagnosticOf(finding);
    for (const fix of finding.fixes) {
      const edit = toWorkspaceEdit(workspace, fix);
      if (!edit) continue;
      const action = CodeAction.create(fix.title, edit, CodeActionKind.QuickFix);
      if (diagnostic) action.diagnostics = [diagnostic];
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  const codes = [...new Set(here.map(({ finding }) => finding.code))];
  for (const code of codes) {
    const diagnostics = here.filter(({ finding }) => finding.code === code).flatMap(({ finding }) => diagnosticOf(finding) ?? []);
    const disable = disableAction(workspace, path, code);
    if (disable) {
      if (diagnostics.length > 0) disable.diagnostics = diagnostics;
      actions.push(disable);
    }
  }
  for (const code of codes) {
    const show = CodeAction.create(
      `Show documentation for ${code}`,
      Command.create(`Show documentation for ${code}`, SHOW_DOCUMENTATION_COMMAND, code),
      CodeActionKind.QuickFix,
    );
    actions.push(show);
  }
  return [...actions, ...estimateCodeActions(workspace, path, start, end)];
}

/**
 * "Disable <code> for this Worker": sets the code to "off" in the shared settings file that
 * applies (comments and layout kept), or creates `.smart-placement.jsonc` beside the Worker's
 * config when there is none (if the editor can create files).
 */
function disableAction(workspace: Workspace, path: string, code: RuleCode): CodeAction | undefined {
  const config = workspace.isConfig(path) ? path : workspace.configsAffectedBy(path)[0];
  if (!config) return undefined;
  // A Pages project without a config is known by its folder.
  const workerDir = configFormatOf(config) ? dirname(config) : config;
  const settings = workspace.settingsFor(path);
  if (settings) {
    const text = workspace.text(settings.file);
    if (text === undefined) return undefined;
    const edits = disableRuleEdits(settings, text, code);
    const edit = toWorkspaceEdit(workspace, { title: "", edits: [{ file: settings.file, edits }] });
    if (!edit) return undefined;
    const where = dirname(settings.file) === workerDir ? "for this Worker" : `in ${relativePath(workerDir, settings.file)}`;
    return CodeAction.create(`Disable ${code} ${where}`, edit, CodeActionKind.QuickFix);
  }
  if (!workspace.canCreateFiles) return undefined;
  const file = joinPath(workerDir, SETTINGS_FILE_NAMES[0]);
  const uri = pathToUri(file);
  const [insert] = disableRuleEdits(undefined, undefined, code);
  const edit: WorkspaceEdit = {
    documentChanges: [
      CreateFile.create(uri, { ignoreIfExists: true }),
      TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), [
        TextEdit.insert({ line: 0, character: 0 }, insert!.newText),
      ]),
    ],
  };
  return CodeAction.create(`Disable ${code} for this Worker`, edit, CodeActionKind.QuickFix);
}

/**
 * The preferred fix of every shown finding in the file whose rule allows fixing unasked
 * (catalogue `fixAll`), edits within this file only, none overlapping; a config must still parse.
 */
function fixAllAction(workspace: Workspace, path: string): CodeAction | undefined {
  const text = workspace.text(path);
  if (text === undefined) return undefined;
  const chosen: CoreTextEdit[] = [];
  const candidates = workspace
    .shownFindingsIn(path)
    .filter(({ finding }) => ruleInfo(finding.code).fixAll === true)
    .sort((a, b) => a.finding.span.start - b.finding.span.start);
  for (const { finding } of candidates) {
    const fix = finding.fixes.find((f) => f.preferred);
    if (!fix || fix.edits.some((e) => e.file !== path)) continue;
    const edits = fix.edits.flatMap((e) => e.edits);
    const overlaps = (edit: CoreTextEdit, other: CoreTextEdit): boolean =>
      (edit.start < other.end && other.start < edit.end) || edit.start === other.start;
    if (edits.some((edit) => chosen.some((other) => overlaps(edit, other)))) continue;
    chosen.push(...edits);
  }
  if (chosen.length === 0) return undefined;
  const format = configFormatOf(path);
  if (format && !parseConfigText(applyEdits(text, chosen), format).root) return undefined;
  const edit = toWorkspaceEdit(workspace, { title: "", edits: [{ file: path, edits: chosen }] });
  return edit ? CodeAction.create("Fix all Smart Placement problems", edit, FIX_ALL_KIND) : undefined;
}
