/**
 * The context keys the Secrets view's welcome chooses its buttons by: `duckdbSecrets.hasProfile`
 * (a credential profile is saved) and `duckdbSecrets.envCredentialsFound` (a `.env` file sits in a
 * workspace folder, or the extension host's environment has the access key variable). Cheap on
 * purpose: the profile list is globalState, the `.env` check is a file-existence check run after
 * activation returns, and no value is read (the import reads the file when the user asks).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CredentialStore } from '../../core/credentials/credentialStore';

export const HAS_PROFILE_CONTEXT = 'duckdbSecrets.hasProfile';
export const ENV_CREDENTIALS_CONTEXT = 'duckdbSecrets.envCredentialsFound';

export interface WelcomeState {
  readonly hasProfile: boolean;
  readonly envCredentialsFound: boolean;
}

export class WelcomeContext implements vscode.Disposable {
  private current: WelcomeState = { hasProfile: false, envCredentialsFound: false };
  private readonly disposables: vscode.Disposable[] = [];
  private checking: Promise<void> = Promise.resolve();

  /** `accessKeyVariable` is the name the import looks for (`R2_ACCESS_KEY_ID` unless set otherwise). */
  constructor(
    private readonly store: CredentialStore,
    private readonly accessKeyVariable: () => string,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.env', false, true, false);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.checkEnv()),
      watcher.onDidDelete(() => this.checkEnv()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.checkEnv()),
      store.onDidChange(() => this.set({ hasProfile: store.list().length > 0 })),
    );
    this.set({ hasProfile: store.list().length > 0 });
    this.checkEnv();
  }

  /** The state last set, for tests. */
  get state(): WelcomeState {
    return this.current;
  }

  /** Resolves once the `.env` check running now (if any) has set its key. */
  settled(): Promise<void> {
    return this.checking;
  }

  private checkEnv(): void {
    this.checking = this.checking.then(async () => this.set({ envCredentialsFound: await this.envCredentialsFound() }));
  }

  private async envCredentialsFound(): Promise<boolean> {
    if (process.env[this.accessKeyVariable()] !== undefined) return true;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const found = await Promise.all(
      folders.map((f) =>
        fs.stat(path.join(f.uri.fsPath, '.env')).then(
          (s) => s.isFile(),
          () => false,
        ),
      ),
    );
    return found.includes(true);
  }

  private set(change: Partial<WelcomeState>): void {
    this.current = { ...this.current, ...change };
    if (change.hasProfile !== undefined) void vscode.commands.executeCommand('setContext', HAS_PROFILE_CONTEXT, change.hasProfile);
    if (change.envCredentialsFound !== undefined) void vscode.commands.executeCommand('setContext', ENV_CREDENTIALS_CONTEXT, change.envCredentialsFound);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
