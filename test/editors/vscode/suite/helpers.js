// Helpers shared by the extension-host suites. Every wait is on an event (diagnostics changing, a
// document opening or changing), never a fixed sleep.
const assert = require("node:assert/strict");
const path = require("node:path");
const vscode = require("vscode");

const root = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const uriOf = (relative) => vscode.Uri.file(path.join(root(), relative));

/** Resolves when the diagnostics of `uri` satisfy `accept` (now or after a change). */
function diagnostics(uri, accept, timeoutMs = 30000) {
  const current = vscode.languages.getDiagnostics(uri);
  if (accept(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(
        new Error(
          `diagnostics of ${uri.fsPath} never matched; last: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.code, d.message]))}`,
        ),
      );
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      const now = vscode.languages.getDiagnostics(uri);
      if (accept(now)) {
        clearTimeout(timer);
        listener.dispose();
        resolve(now);
      }
    });
  });
}

/** Resolves when the document's text satisfies `accept`. */
function documentText(document, accept, timeoutMs = 30000) {
  if (accept(document.getText())) return Promise.resolve(document.getText());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`text never matched: ${document.getText()}`));
    }, timeoutMs);
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== document || !accept(document.getText())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(document.getText());
    });
  });
}

const codeOf = (d) => (typeof d.code === "object" ? d.code.value : d.code);
const hasCode = (code) => (list) => list.some((d) => codeOf(d) === code);

async function open(relative) {
  const document = await vscode.workspace.openTextDocument(uriOf(relative));
  await vscode.window.showTextDocument(document);
  return document;
}

/** The next diagnostics change of `uri` (or a bounded wait when none comes). */
function nextDiagnosticsChange(uri, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve();
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}

async function applyFix(document, diagnostic, title) {
  let actions = [];
  // The first request can reach the server before the language client has synced the document;
  // the next diagnostics event means the server has seen it.
  for (let attempt = 0; attempt < 3; attempt++) {
    actions = await vscode.commands.executeCommand("vscode.executeCodeActionProvider", document.uri, diagnostic.range);
    if (actions.some((a) => a.title === title)) break;
    await nextDiagnosticsChange(document.uri);
  }
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no action "${title}" in ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  return action;
}

/** Resolves with the open document of `uri` once its language is `languageId` (now or after a change). */
function languageOf(uri, languageId, timeoutMs = 30000) {
  const find = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === languageId);
  if (find()) return Promise.resolve(find());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      const now = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      reject(new Error(`${uri.fsPath} never became ${languageId}; it is ${now ? now.languageId : "closed"}`));
    }, timeoutMs);
    const listener = vscode.workspace.onDidOpenTextDocument(() => {
      const document = find();
      if (!document) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(document);
    });
  });
}

const EXTENSION_ID = "smart-placement.smart-placement";

module.exports = {
  root,
  uriOf,
  diagnostics,
  documentText,
  codeOf,
  hasCode,
  open,
  nextDiagnosticsChange,
  applyFix,
  languageOf,
  EXTENSION_ID,
};
