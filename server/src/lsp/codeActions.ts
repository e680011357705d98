import { CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic } from "vscode-languageserver";
import { spanToRange } from "./convert";
import { toWorkspaceEdit } from "./edits";
import { estimateCodeActions } from "./estimate";
import type { Workspace } from "./workspace";

/** Quick fixes of the findings under the cursor/selection, each linked to its diagnostic. */
export function provideCodeActions(workspace: Workspace, params: CodeActionParams): CodeAction[] {
  const path = workspace.documentPath(params.textDocument.uri);
  const lines = path ? workspace.lines(path) : undefined;
  if (!path || !lines) return [];
  if (params.context.only && !params.context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const start = lines.offsetAt(params.range.start);
  const end = lines.offsetAt(params.range.end);
  const actions: CodeAction[] = [];
  for (const finding of workspace.findingsIn(path)) {
    if (finding.fixes.length === 0 || finding.span.end < start || finding.span.start > end) continue;
    const range = spanToRange(lines, finding.span);
    const diagnostic = params.context.diagnostics.find(
      (d: Diagnostic) =>
        d.code === finding.code && d.range.start.line === range.start.line && d.range.start.character === range.start.character,
    );
    for (const fix of finding.fixes) {
      const edit = toWorkspaceEdit(workspace, fix);
      if (!edit) continue;
      const action = CodeAction.create(fix.title, edit, CodeActionKind.QuickFix);
      if (diagnostic) action.diagnostics = [diagnostic];
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return [...actions, ...estimateCodeActions(workspace, path, start, end)];
}
