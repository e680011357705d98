import type { Connection, Diagnostic } from "vscode-languageserver";
import { pathToUri, toDiagnostic } from "./convert";
import type { Workspace } from "./workspace";

/**
 * Push diagnostics (they work in every client) for open documents. Every publish sends the full,
 * possibly empty, set so that fixed problems never linger on screen.
 */
export class DiagnosticsPublisher {
  private readonly published = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
  ) {}

  compute(path: string): Diagnostic[] {
    const lines = this.workspace.lines(path);
    if (!lines) return [];
    return this.workspace
      .shownFindingsIn(path)
      .map(({ finding, severity }) => toDiagnostic(finding, severity, lines, (file) => this.workspace.lines(file)));
  }

  publish(path: string, version?: number): void {
    const diagnostics = this.compute(path);
    this.published.set(path, diagnostics.length);
    void this.connection.sendDiagnostics({ uri: pathToUri(path), diagnostics, ...(version === undefined ? {} : { version }) });
  }

  clear(path: string): void {
    if (!this.published.has(path)) return;
    this.published.delete(path);
    void this.connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: [] });
  }
}
