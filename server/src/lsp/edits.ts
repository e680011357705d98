import { TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import type { Fix } from "../core/findings";
import { pathToUri, spanToRange } from "./convert";
import type { Workspace } from "./workspace";

/** A core fix (offset edits by path) as an LSP WorkspaceEdit; undefined if a file cannot be read. */
export function toWorkspaceEdit(workspace: Workspace, fix: Fix): WorkspaceEdit | undefined {
  const changes: Record<string, TextEdit[]> = {};
  for (const { file, edits } of fix.edits) {
    const lines = workspace.lines(file);
    if (!lines) return undefined;
    changes[pathToUri(file)] = edits.map((edit) => TextEdit.replace(spanToRange(lines, edit), edit.newText));
  }
  return { changes };
}
