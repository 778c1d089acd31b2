/**
 * Hands the active profile's credentials to terminals and tasks as environment variables, as
 * `aws-vault exec` or `op run` do for one process: through `context.environmentVariableCollection`
 * with `persistent = false`, so VS Code never writes the values to workspace storage, and only while
 * the user has opted in for this workspace. The opt-in is a `true` flag in workspaceState — never a
 * value. When the profile, its keys, the MotherDuck token or the variable names change, the
 * collection is rebuilt and VS Code marks open terminals as stale (relaunch to pick it up). A status
 * bar item says it is on.
 */
import * as vscode from 'vscode';
import { readSetting } from '../config';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import type { EnvNames } from '../../core/credentials/envImport';
import { profileVariables, variableNames, type EnvVariable } from '../../core/credentials/envVariables';
import { errorText } from '../../core/errors';
import type { Logger } from '../../core/logger';

/** workspaceState key of the opt-in: `true` while on. */
export const TERMINALS_STATE_KEY = 'duckdbSecrets.terminals.enabled';
/** Context key for menus and the palette. */
export const TERMINALS_CONTEXT_KEY = 'duckdbSecrets.terminalCredentials';
export const STOP_TERMINALS_COMMAND = 'duckdbSecrets.stopCredentialsInTerminals';

/** The `duckdbSecrets.env.*` settings: the names the variables get. */
export function envNames(): EnvNames {
  return {
    accessKeyId: readSetting('env.accessKeyId'),
    secretKey: readSetting('env.secretKey'),
    accountId: readSetting('env.accountId'),
    bucket: readSetting('env.bucket'),
    endpoint: readSetting('env.endpoint'),
  };
}

export type TerminalState =
  | { readonly kind: 'off' }
  | { readonly kind: 'on'; readonly profile: string; readonly names: readonly string[] }
  /** On, but nothing to hand out (no active profile, or the keychain failed). */
  | { readonly kind: 'unavailable'; readonly reason: string };

export class TerminalCredentials implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('duckdbSecrets.terminals', vscode.StatusBarAlignment.Left, 48);
  private readonly subscriptions: { dispose(): unknown }[];
  private current: TerminalState = { kind: 'off' };
  /** Rebuilds run one after another; a newer one supersedes what an older one would apply. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly workspaceState: vscode.Memento,
    private readonly store: CredentialStore,
    private readonly log: Logger,
  ) {
    collection.persistent = false;
    this.item.name = 'DuckDB Secrets: R2 Credentials in Terminals';
    this.item.command = STOP_TERMINALS_COMMAND;
    this.subscriptions = [
      store.onDidChange(() => void this.refresh()),
      store.onDidChangeMotherDuckToken(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('duckdbSecrets.env')) void this.refresh();
      }),
    ];
    void this.refresh();
  }

  /** True while this workspace has opted in. */
  get enabled(): boolean {
    return this.workspaceState.get<unknown>(TERMINALS_STATE_KEY) === true;
  }

  get state(): TerminalState {
    return this.current;
  }

  /** What the status bar item shows, for tests. */
  get statusText(): string | undefined {
    return this.current.kind === 'off' ? undefined : this.item.text;
  }

  async enable(): Promise<TerminalState> {
    await this.workspaceState.update(TERMINALS_STATE_KEY, true);
    return this.refresh();
  }

  async disable(): Promise<TerminalState> {
    await this.workspaceState.update(TERMINALS_STATE_KEY, undefined);
    return this.refresh();
  }

  /** The variables the active profile gives now (values read fresh from the keychain), or undefined without one. */
  async variables(): Promise<{ profile: string; variables: EnvVariable[] } | undefined> {
    const credentials = await this.store.activeCredentials();
    if (!credentials) return undefined;
    const token = this.store.hasMotherDuckToken() ? await this.store.motherDuckToken() : undefined;
    return { profile: credentials.label, variables: profileVariables(credentials, envNames(), token) };
  }

  /** Rebuilds the collection from the opt-in and the active profile. Never throws: a failure is logged and shown in the status bar. */
  refresh(): Promise<TerminalState> {
    const run = this.queue.then(() => this.rebuild());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async rebuild(): Promise<TerminalState> {
    if (!this.enabled) {
      this.collection.clear();
      return this.show({ kind: 'off' });
    }
    let found;
    try {
      found = await this.variables();
    } catch (error) {
      this.collection.clear();
      this.log.warn(`R2 credentials in terminals: ${errorText(error)}`);
      return this.show({ kind: 'unavailable', reason: errorText(error) });
    }
    this.collection.clear();
    if (!found) return this.show({ kind: 'unavailable', reason: 'No R2 credential profile is active.' });
    for (const variable of found.variables) this.collection.replace(variable.name, variable.value);
    const names = found.variables.map((v) => v.name);
    this.collection.description = new vscode.MarkdownString(
      `DuckDB Secrets: credentials of R2 profile "${found.profile}" from the OS keychain (${variableNames(found.variables)}). ` +
        'Turn off with "Stop Using R2 Credentials in Terminals".',
    );
    this.log.info(`R2 credentials in terminals: ${names.length} variables from profile "${found.profile}" (${names.join(', ')})`);
    return this.show({ kind: 'on', profile: found.profile, names });
  }

  private show(state: TerminalState): TerminalState {
    this.current = state;
    void vscode.commands.executeCommand('setContext', TERMINALS_CONTEXT_KEY, state.kind !== 'off');
    if (state.kind === 'off') {
      this.item.hide();
      return state;
    }
    if (state.kind === 'on') {
      this.item.text = '$(terminal) R2 env';
      this.item.tooltip = `New terminals and tasks get the credentials of R2 profile "${state.profile}" (${state.names.join(', ')}) from the OS keychain. Click to stop.`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = '$(terminal) R2 env: none';
      this.item.tooltip = `R2 credentials in terminals are on, but none are handed out: ${state.reason} Click to stop.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.item.accessibilityInformation = { label: `R2 credentials in terminals: ${state.kind === 'on' ? `profile ${state.profile}` : 'none available'}. Click to stop.` };
    this.item.show();
    return state;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
