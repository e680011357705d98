import * as vscode from "vscode";

/** Our language for wrangler.toml and wrangler.<name>.toml, coloured by our own grammar. */
export const WRANGLER_TOML = "wrangler-toml";
/** The language a TOML extension (Even Better TOML and others) contributes; VS Code has none built in. */
export const TOML = "toml";

/**
 * VS Code gives wrangler configs our language (a file name beats the `.toml` extension), so they
 * are coloured without any TOML extension. When one is installed, it should keep serving them
 * (formatting, schema completion), so each wrangler config is handed to its `toml` language once
 * when it opens. Our language server follows the file name, not the language, so it gets the
 * document either way. A user who maps a file to `wrangler-toml` in `files.associations`, or picks
 * it by hand afterwards, keeps it.
 */
export function handWranglerTomlToTomlExtension(): vscode.Disposable {
  const handedOff = new Set<string>();

  async function handOff(document: vscode.TextDocument): Promise<void> {
    if (document.languageId !== WRANGLER_TOML) return;
    const key = document.uri.toString();
    if (handedOff.has(key) || chosenByUser()) return;
    if (!(await vscode.languages.getLanguages()).includes(TOML)) return;
    handedOff.add(key);
    if (document.isClosed) return;
    await vscode.languages.setTextDocumentLanguage(document, TOML);
  }

  const onError = (error: unknown): void => console.error(`handing a wrangler config to the TOML language failed: ${String(error)}`);
  for (const document of vscode.workspace.textDocuments) handOff(document).catch(onError);
  return vscode.workspace.onDidOpenTextDocument((document) => handOff(document).catch(onError));
}

/** Whether `files.associations` maps anything to our language: then that is what the user wants. */
function chosenByUser(): boolean {
  const associations = vscode.workspace.getConfiguration("files").get<Record<string, string>>("associations") ?? {};
  return Object.values(associations).includes(WRANGLER_TOML);
}
