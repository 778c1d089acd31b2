/**
 * Starts the language client when the first file it lints is open, never at activation: until then
 * the only cost is this listener. The client module (vscode-languageclient, dist/lintClient.js) is
 * required on that first need; DuckDB is not touched.
 */
import * as vscode from 'vscode';
import { affects, readSetting } from '../config';
import type { Logger } from '../../core/logger';
import { errorText } from '../../core/errors';
import type { LintClientDeps, LintClientHandle, LintFilter } from './lintClient';

/** Files the server lints, by name first (any language id), then by language for untitled documents and notebook cells. */
export const LINT_SELECTOR: LintFilter[] = [
  { scheme: 'file', pattern: '**/*.{sql,py,pyi,yml,yaml,md,markdown,sh,bash,zsh,fish,ipynb,env}' },
  { scheme: 'file', pattern: '**/{.env,.env.*,.envrc}' },
  ...['sql', 'jinja-sql', 'python', 'yaml', 'dotenv', 'shellscript', 'markdown'].flatMap((language) => [
    { scheme: 'untitled', language },
    { scheme: 'vscode-notebook-cell', language },
  ]),
];

export class LintStarter implements vscode.Disposable {
  private handle: LintClientHandle | undefined;
  private starting: Promise<LintClientHandle | undefined> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    /** Called when the client starts (it may load the features module; nothing at activation). */
    private readonly deps: () => Omit<LintClientDeps, 'selector'>,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => this.consider(document)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, 'lint.enable') && readSetting('lint.enable')) this.considerOpen();
      }),
    );
    this.considerOpen();
  }

  /** The running client, starting it when a matching file is open; for tests. */
  get client(): Promise<LintClientHandle | undefined> {
    return this.starting ?? Promise.resolve(this.handle);
  }

  private considerOpen(): void {
    for (const document of vscode.workspace.textDocuments) this.consider(document);
  }

  private consider(document: vscode.TextDocument): void {
    if (this.starting || !readSetting('lint.enable')) return;
    if (vscode.languages.match(LINT_SELECTOR, document) === 0) return;
    this.starting = this.start();
  }

  private async start(): Promise<LintClientHandle | undefined> {
    try {
      const { startLintClient } = await import('./lintClient');
      this.handle = await startLintClient({ ...this.deps(), selector: LINT_SELECTOR });
      return this.handle;
    } catch (error) {
      this.log.error(`The DuckDB Secrets language server did not start: ${errorText(error)}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    void this.handle?.dispose();
  }
}
