/** Composes the services, registers commands and views, and returns the API tests use. */
import * as vscode from 'vscode';
import { bucketCommands } from './bucketCommands';
import { bucketTestCommands } from './bucketTestCommand';
import type { BucketSource } from './bucketSource';
import { BucketView } from './bucketView';
import { registerCommands, SHOW_LOG_COMMAND, type CommandSpec } from './commands';
import { affects, readSetting } from './config';
import { CredentialStore } from './credentialStore';
import { DuckDBSession, type SessionConfig, type SqlRunner } from './duckdbSession';
import { errorText } from './errors';
import { LocalSecrets } from './localSecrets';
import { ExtensionLog } from './log';
import { scrub } from './redaction';
import { MotherDuckConnection } from './motherDuck';
import { motherDuckCommands } from './motherDuckCommands';
import { MotherDuckSecrets } from './motherDuckSecrets';
import { MotherDuckStatusBar } from './motherDuckStatusBar';
import { PreviewPanels } from './previewPanel';
import { profileCommands } from './profileCommands';
import type { CredentialSource } from './profiles';
import { ProfileStatusBar } from './profileStatusBar';
import { secretCommands } from './secretCommands';
import { CommandUiHolder, windowMessages } from './commandUi';
import { SecretsTreeModel } from './secretsTreeModel';
import { SecretsTreeProvider } from './secretsView';
import { SESSION_SECRETS_STATE_KEY, SessionSecretRecords } from './sessionSecretRecords';
import { VsCodePrompter } from './vscodePrompter';

const loadedAt = performance.now();

export interface DuckDBSecretsApi {
  /** The window's DuckDB session (for tests and other extensions that share it). */
  readonly sql: SqlRunner;
  readonly secrets: SecretsTreeModel;
  /** True once the DuckDB native library has been loaded. */
  isDuckDBLoaded(): boolean;
  readonly activationMs: number;
  /** The active R2 profile with its keys, read from the keychain on each call. */
  readonly credentials: CredentialSource;
  /** For the integration tests: the profile store, the UI seam of its commands, and where state and logs live. */
  readonly profiles: ProfilesTestApi;
  /** The Bucket view: Test R2 Bucket shows its folded listing with `bucket.show(listing)`. */
  readonly bucket: BucketApi;
  /** The secret commands' service, their UI seam, and the Secrets tree (its nodes are what menus pass). */
  readonly localSecrets: LocalSecretsApi;
  /** MotherDuck on demand: the service (connect, secrets), its connection state, and its status bar item. */
  readonly motherDuck: MotherDuckApi;
}

export interface MotherDuckApi {
  readonly service: MotherDuckSecrets;
  readonly connection: MotherDuckConnection;
  readonly statusBar: MotherDuckStatusBar;
}

export interface LocalSecretsApi {
  readonly service: LocalSecrets;
  readonly ui: CommandUiHolder;
  readonly tree: SecretsTreeProvider;
}

export interface BucketApi {
  /** Shows a listing (folded or live) in the Bucket view and, unless `reveal: false`, focuses the view. */
  show(source: BucketSource, options?: { reveal?: boolean }): Promise<void>;
  /** For the integration tests: the view with its model, and the open previews. */
  readonly view: BucketView;
  readonly previews: PreviewPanels;
}

export interface ProfilesTestApi {
  readonly store: CredentialStore;
  readonly ui: CommandUiHolder;
  readonly statusBar: ProfileStatusBar;
  readonly secretStorage: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  /** The folder holding the "DuckDB Secrets" log file (`DuckDB Secrets.log`). */
  readonly logUri: vscode.Uri;
  readonly globalStorageUri: vscode.Uri;
}

/**
 * Returns the test API only when VS Code runs the extension for tests or development (F5): it
 * reaches the keychain, so an installed extension hands it to no other extension.
 */
export function activate(context: vscode.ExtensionContext): DuckDBSecretsApi | undefined {
  const started = performance.now();
  const log = new ExtensionLog();
  try {
    const session = new DuckDBSession(sessionConfig(), log);
    const secrets = new SecretsTreeModel(session, log);
    const secretsTree = new SecretsTreeProvider(secrets);
    const secretsView = vscode.window.createTreeView('duckdbSecrets.secrets', {
      treeDataProvider: secretsTree,
      showCollapseAll: true,
    });

    const store = new CredentialStore(context.secrets, context.globalState, log);
    const sessionSecrets = new SessionSecretRecords({
      get: () => context.globalState.get(SESSION_SECRETS_STATE_KEY),
      update: (records) => context.globalState.update(SESSION_SECRETS_STATE_KEY, records),
    });
    const localSecrets = new LocalSecrets(session, log, sessionSecrets);
    session.onStart(async (sql) => {
      if (!readSetting('recreateSessionSecrets')) return;
      await localSecrets.recreateSessionSecrets(sql, { credentialsFor: async (id) => (store.get(id) ? store.credentials(id) : undefined) });
    });
    const motherDuck = new MotherDuckSecrets(session, new MotherDuckConnection(log), store, log);
    session.onStart((sql) => motherDuck.onSessionStart(sql, readSetting('motherduck.connectOnStart')));
    const motherDuckStatus = new MotherDuckStatusBar(motherDuck.connection, store);
    const ui = new CommandUiHolder({ prompter: new VsCodePrompter(), messages: windowMessages });
    const interrupt = (): void => session.interrupt();
    const statusBar = new ProfileStatusBar(store);
    const bucketView = new BucketView(log);
    const previews = new PreviewPanels();

    const commands: CommandSpec[] = [
      { id: 'duckdbSecrets.refreshSecrets', run: () => secrets.refresh() },
      { id: SHOW_LOG_COMMAND, run: () => log.show() },
      ...profileCommands(store, ui, log),
      ...secretCommands({ secrets: localSecrets, credentials: store, tree: secrets, ui, interrupt, motherDuck }),
      ...motherDuckCommands({ motherDuck, store, localSecrets, tree: secrets, ui, log }),
      ...bucketCommands({
        view: bucketView,
        profiles: store,
        prompter: ui.prompter,
        sql: session,
        interrupt,
        previews,
      }),
      ...bucketTestCommands({
        sql: session,
        interrupt,
        log,
        credentials: store,
        show: (source) => bucketView.show(source),
        prompter: ui.prompter,
        motherDuckAttached: () => motherDuck.connection.isConnected,
        connectMotherDuck: () => motherDuck.ensureConnected(),
      }),
    ];

    context.subscriptions.push(
      log,
      { dispose: () => session.dispose() },
      secretsTree,
      secretsView,
      store,
      statusBar,
      motherDuckStatus,
      bucketView,
      previews,
      registerCommands(commands, log),
      vscode.workspace.onDidChangeConfiguration(async (event) => {
        if (!affects(event, 'duckdb.options', 'duckdb.databasePath')) return;
        log.info('DuckDB settings changed: restarting the session');
        await session.restart(sessionConfig());
        await secrets.refresh();
      }),
    );

    const activationMs = performance.now() - started;
    log.info(`Activated in ${activationMs.toFixed(1)} ms (module load to ready ${(performance.now() - loadedAt).toFixed(1)} ms)`);
    const profiles: ProfilesTestApi = {
      store,
      ui,
      statusBar,
      secretStorage: context.secrets,
      globalState: context.globalState,
      logUri: context.logUri,
      globalStorageUri: context.globalStorageUri,
    };
    const bucket: BucketApi = { show: (source, options) => bucketView.show(source, options), view: bucketView, previews };
    const localSecretsApi: LocalSecretsApi = { service: localSecrets, ui, tree: secretsTree };
    const motherDuckApi: MotherDuckApi = { service: motherDuck, connection: motherDuck.connection, statusBar: motherDuckStatus };
    if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
    return {
      sql: session,
      secrets,
      isDuckDBLoaded: () => session.isOpen,
      activationMs,
      credentials: store,
      profiles,
      bucket,
      localSecrets: localSecretsApi,
      motherDuck: motherDuckApi,
    };
  } catch (error) {
    void vscode.window.showErrorMessage(`DuckDB Secrets failed to start: ${scrub(errorText(error))}`);
    log.error(`Activation failed: ${errorText(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function sessionConfig(): SessionConfig {
  const path = readSetting('duckdb.databasePath').trim();
  return { path: path || ':memory:', options: readSetting('duckdb.options') };
}
