/**
 * Everything behind the commands and the views' rows: the DuckDB session, the secret and bucket
 * models, MotherDuck, and every command's handler. Bundled on its own (dist/features.js) and
 * required on first use (a command runs, the Secrets view asks for rows, the language client
 * starts), so activation parses only the shell in activate.ts.
 */
import * as vscode from 'vscode';
import { bucketCommands } from './bucket/bucketCommands';
import { bucketTestCommands } from './bucket/bucketTestCommand';
import { BucketView, type BucketTreeNode } from './bucket/bucketView';
import type { CommandSpec } from './commands';
import { affects, readSetting } from './config';
import type { CredentialStore } from '../core/credentials/credentialStore';
import { DuckDBSession, type SessionConfig } from '../core/duckdb/duckdbSession';
import type { DeferredTree } from './deferredTree';
import { LocalSecrets } from '../core/secrets/localSecrets';
import { syncSecretsWithProfiles } from './secrets/profileSecretSync';
import { STORE_IN_PROFILE_COMMAND } from '../core/lsp/protocol';
import { storeInProfile } from './lint/storeInProfile';
import type { ExtensionLog } from './log';
import { MotherDuckConnection } from '../core/motherduck/motherDuck';
import { motherDuckCommands } from './motherduck/motherDuckCommands';
import { MotherDuckSecrets } from '../core/secrets/motherDuckSecrets';
import type { MotherDuckStateRelay } from './motherduck/motherDuckStateRelay';
import { PreviewPanels } from './bucket/previewPanel';
import { profileCommands } from './credentials/profileCommands';
import { secretCommands } from './secrets/secretCommands';
import { plaintextCommands } from './secrets/plaintextCommands';
import { PlaintextMover } from '../core/secrets/moveToKeychain';
import { CommandUiHolder, windowMessages } from './commandUi';
import { SecretsTreeModel } from '../core/secrets/secretsTreeModel';
import { SecretsTreeProvider, type SecretsTreeNode } from './secrets/secretsView';
import { SESSION_SECRETS_STATE_KEY, SessionSecretRecords } from '../core/secrets/sessionSecretRecords';
import type { TerminalCredentials } from './terminals/terminalCredentials';
import { terminalCommands } from './terminals/terminalCommands';
import { dbtCommands } from './dbt/dbtCommands';
import { VsCodePrompter } from './vscodePrompter';

/** What activation built and hands over: the parts that must exist before any feature is used. */
export interface FeatureShell {
  readonly context: vscode.ExtensionContext;
  readonly log: ExtensionLog;
  readonly store: CredentialStore;
  readonly terminals: TerminalCredentials;
  readonly motherDuckState: MotherDuckStateRelay;
  readonly secretsTree: DeferredTree<SecretsTreeNode>;
  readonly bucketTree: DeferredTree<BucketTreeNode>;
  sessionConfig(): SessionConfig;
}

export interface Features extends vscode.Disposable {
  readonly session: DuckDBSession;
  readonly secrets: SecretsTreeModel;
  readonly secretsTree: SecretsTreeProvider;
  readonly localSecrets: LocalSecrets;
  readonly motherDuck: MotherDuckSecrets;
  readonly bucketView: BucketView;
  readonly previews: PreviewPanels;
  readonly ui: CommandUiHolder;
  /** Each command's handler by id (every declared command but Show Log, which the shell answers). */
  readonly handlers: ReadonlyMap<string, CommandSpec['run']>;
}

export function createFeatures(shell: FeatureShell): Features {
  const { context, log, store, terminals } = shell;
  const session = new DuckDBSession(shell.sessionConfig(), log);
  const secrets = new SecretsTreeModel(session, log);
  const secretsTree = new SecretsTreeProvider(secrets);
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
  const ui = new CommandUiHolder({ prompter: new VsCodePrompter(), messages: windowMessages });
  const interrupt = (): void => session.interrupt();
  const bucketView = new BucketView(log, shell.bucketTree.view);
  const previews = new PreviewPanels();
  const dbt = { store, terminals, ui };
  const defaultSecretName = (): string => readSetting(readSetting('target') === 'prod' ? 'secretName.prod' : 'secretName.dev');

  const commands: CommandSpec[] = [
    { id: 'duckdbSecrets.refreshSecrets', run: () => secrets.refresh() },
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
    ...bucketCommands({ view: bucketView, profiles: store, prompter: ui.prompter, sql: session, interrupt, previews }),
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

  const disposables: vscode.Disposable[] = [
    { dispose: () => session.dispose() },
    secretsTree,
    bucketView,
    previews,
    // Session secrets made from a profile follow its keys, account and endpoint.
    syncSecretsWithProfiles(store, localSecrets, () => secrets.refresh(), log),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!affects(event, 'duckdb.options', 'duckdb.databasePath')) return;
      log.info('DuckDB settings changed: restarting the session');
      await session.restart(shell.sessionConfig());
      await secrets.refresh();
    }),
  ];
  shell.motherDuckState.attach(motherDuck.connection);
  shell.secretsTree.connect(secretsTree);
  shell.bucketTree.connect(bucketView.provider);
  return {
    session,
    secrets,
    secretsTree,
    localSecrets,
    motherDuck,
    bucketView,
    previews,
    ui,
    handlers: new Map(commands.map((c) => [c.id, c.run])),
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}
