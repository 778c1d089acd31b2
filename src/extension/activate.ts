/** Composes the services, registers commands and views, and returns the API tests use. */
import * as vscode from 'vscode';
import { bucketCommands } from './bucket/bucketCommands';
import { bucketTestCommands } from './bucket/bucketTestCommand';
import { BucketView } from './bucket/bucketView';
import { registerCommands, SHOW_LOG_COMMAND, type CommandSpec } from './commands';
import { affects, readSetting } from './config';
import { CredentialStore } from '../core/credentials/credentialStore';
import { databasePathProblem, DuckDBSession, type SessionConfig } from '../core/duckdb/duckdbSession';
import { errorText } from '../core/errors';
import { LocalSecrets } from '../core/secrets/localSecrets';
import { LintStarter } from './lint/lintActivation';
import { STORE_IN_PROFILE_COMMAND } from '../core/lsp/protocol';
import { storeInProfile } from './lint/storeInProfile';
import { ExtensionLog } from './log';
import { scrub } from '../core/redaction';
import { MotherDuckConnection } from '../core/motherduck/motherDuck';
import { motherDuckCommands } from './motherduck/motherDuckCommands';
import { MotherDuckSecrets } from '../core/secrets/motherDuckSecrets';
import { MotherDuckStatusBar } from './motherduck/motherDuckStatusBar';
import { PreviewPanels } from './bucket/previewPanel';
import { profileCommands } from './credentials/profileCommands';
import { ProfileStatusBar } from './credentials/profileStatusBar';
import { WelcomeContext } from './credentials/welcomeContext';
import { secretCommands } from './secrets/secretCommands';
import { plaintextCommands } from './secrets/plaintextCommands';
import { PlaintextMover } from '../core/secrets/moveToKeychain';
import { syncSecretsWithProfiles } from './secrets/profileSecretSync';
import { CommandUiHolder, windowMessages } from './commandUi';
import { SecretsTreeModel } from '../core/secrets/secretsTreeModel';
import { SecretsTreeProvider } from './secrets/secretsView';
import { SESSION_SECRETS_STATE_KEY, SessionSecretRecords } from '../core/secrets/sessionSecretRecords';
import { testApi, type DuckDBSecretsApi } from './testApi';
import { TerminalCredentials } from './terminals/terminalCredentials';
import { terminalCommands } from './terminals/terminalCommands';
import { dbtCommands } from './dbt/dbtCommands';
import { VsCodePrompter } from './vscodePrompter';

const loadedAt = performance.now();

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
    const welcome = new WelcomeContext(store, () => readSetting('env.accessKeyId').trim() || 'R2_ACCESS_KEY_ID');
    const bucketView = new BucketView(log);
    const previews = new PreviewPanels();
    const terminals = new TerminalCredentials(context.environmentVariableCollection, context.workspaceState, store, log);
    const dbt = { store, terminals, ui };
    const lint = new LintStarter(
      {
        serverModule: context.asAbsolutePath('dist/server.js'),
        store,
        secrets,
        bucket: bucketView.model,
        localSecrets,
        isDuckDBOpen: () => session.isOpen,
        log,
      },
      log,
    );
    const defaultSecretName = (): string => readSetting(readSetting('target') === 'prod' ? 'secretName.prod' : 'secretName.dev');

    const commands: CommandSpec[] = [
      { id: 'duckdbSecrets.refreshSecrets', run: () => secrets.refresh() },
      { id: SHOW_LOG_COMMAND, run: () => log.show() },
      { id: STORE_IN_PROFILE_COMMAND, run: (arg) => storeInProfile(arg, { store, prompter: ui.prompter, log, defaultSecretName }) },
      ...profileCommands(store, ui, log),
      ...secretCommands({ secrets: localSecrets, credentials: store, tree: secrets, ui, interrupt, motherDuck }),
      ...plaintextCommands({
        mover: new PlaintextMover({ sql: session, duckdbOptions: () => session.configuration.options, profiles: store, records: sessionSecrets, log }),
        sql: session,
        tree: secrets,
        ui,
      }),
      ...motherDuckCommands({ motherDuck, store, localSecrets, tree: secrets, ui, log, dbt }),
      ...terminalCommands(terminals, ui, log),
      ...dbtCommands(dbt),
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
      welcome,
      motherDuckStatus,
      bucketView,
      previews,
      terminals,
      lint,
      registerCommands(commands, log),
      syncSecretsWithProfiles(store, localSecrets, () => secrets.refresh(), log),
      vscode.workspace.onDidChangeConfiguration(async (event) => {
        if (!affects(event, 'duckdb.options', 'duckdb.databasePath')) return;
        log.info('DuckDB settings changed: restarting the session');
        warnRefusedDatabasePath();
        await session.restart(sessionConfig());
        await secrets.refresh();
      }),
    );

    warnRefusedDatabasePath();
    const activationMs = performance.now() - started;
    log.info(`Activated in ${activationMs.toFixed(1)} ms (module load to ready ${(performance.now() - loadedAt).toFixed(1)} ms)`);
    if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
    return testApi({ context, session, secrets, activationMs, store, ui, statusBar, welcome, bucketView, previews, localSecrets, secretsTree, motherDuck, motherDuckStatus, terminals, lint });
  } catch (error) {
    void vscode.window.showErrorMessage(`DuckDB Secrets failed to start: ${scrub(errorText(error))}`);
    log.error(`Activation failed: ${errorText(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** A `scheme:` database path (md:, http:, s3: …) is refused by the session; say so, naming the setting. */
function warnRefusedDatabasePath(): void {
  const problem = databasePathProblem(readSetting('duckdb.databasePath'));
  if (!problem) return;
  void vscode.window.showWarningMessage(problem, 'Open Settings').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'duckdbSecrets.duckdb.databasePath');
  });
}

function sessionConfig(): SessionConfig {
  const path = readSetting('duckdb.databasePath').trim();
  return { path: path || ':memory:', options: readSetting('duckdb.options') };
}
