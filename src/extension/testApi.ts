/**
 * The API `activate()` returns when VS Code runs the extension for tests or development (F5). It
 * reaches the keychain, so the packaged extension returns none (see activate.ts).
 */
import type * as vscode from 'vscode';
import type { BucketSource } from '../core/bucket/bucketSource';
import type { CredentialStore } from '../core/credentials/credentialStore';
import type { CredentialSource } from '../core/credentials/profiles';
import type { SqlRunner } from '../core/duckdb/sqlRunner';
import type { MotherDuckConnection } from '../core/motherduck/motherDuck';
import type { Features } from './features';
import type { LocalSecrets } from '../core/secrets/localSecrets';
import type { MotherDuckSecrets } from '../core/secrets/motherDuckSecrets';
import type { SecretsTreeModel } from '../core/secrets/secretsTreeModel';
import type { PreviewPanels } from './bucket/previewPanel';
import type { BucketView } from './bucket/bucketView';
import type { CommandUiHolder } from './commandUi';
import type { ProfileStatusBar } from './credentials/profileStatusBar';
import type { WelcomeContext } from './credentials/welcomeContext';
import type { MotherDuckStatusBar } from './motherduck/motherDuckStatusBar';
import type { SecretsTreeProvider } from './secrets/secretsView';
import type { TerminalCredentials } from './terminals/terminalCredentials';
import type { LintStarter } from './lint/lintActivation';

export interface DuckDBSecretsApi {
  /** The window's DuckDB session (for tests and other extensions that share it). */
  readonly sql: SqlRunner;
  readonly secrets: SecretsTreeModel;
  /** True once the DuckDB native library has been loaded. */
  isDuckDBLoaded(): boolean;
  /** True once dist/features.js (handlers, session, models) has been loaded: not at activation. */
  isFeaturesLoaded(): boolean;
  /** The ids of the features module's command handlers (loads it); with Show Log, they are the declared commands. */
  commandHandlers(): string[];
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
  /** R2 credentials in terminals: the opt-in, its state, and the environment variable collection it fills. */
  readonly terminals: TerminalsApi;
  /** The language client, started when the first file to lint opens (undefined before, or when disabled). */
  readonly lint: LintStarter;
}

export interface TerminalsApi {
  readonly service: TerminalCredentials;
  readonly collection: vscode.GlobalEnvironmentVariableCollection;
  readonly workspaceState: vscode.Memento;
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
  /** The context keys the Secrets view's welcome picks its buttons by. */
  readonly welcome: WelcomeContext;
  readonly secretStorage: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  /** The folder holding the "DuckDB Secrets" log file (`DuckDB Secrets.log`). */
  readonly logUri: vscode.Uri;
  readonly globalStorageUri: vscode.Uri;
}

/** What activate() built, handed over to assemble the test API. */
export interface TestApiParts {
  readonly context: vscode.ExtensionContext;
  /** The features module (dist/features.js), loaded on the first call: a getter below that needs it loads it, as a command would. */
  readonly features: () => Features;
  readonly isFeaturesLoaded: () => boolean;
  readonly activationMs: number;
  readonly store: CredentialStore;
  readonly statusBar: ProfileStatusBar;
  readonly welcome: WelcomeContext;
  readonly motherDuckStatus: MotherDuckStatusBar;
  readonly terminals: TerminalCredentials;
  readonly lint: LintStarter;
}

export function testApi(p: TestApiParts): DuckDBSecretsApi {
  const f = p.features;
  return {
    get sql() {
      return f().session;
    },
    get secrets() {
      return f().secrets;
    },
    isDuckDBLoaded: () => p.isFeaturesLoaded() && f().session.isOpen,
    isFeaturesLoaded: p.isFeaturesLoaded,
    commandHandlers: () => [...f().handlers.keys()],
    activationMs: p.activationMs,
    credentials: p.store,
    profiles: {
      store: p.store,
      get ui() {
        return f().ui;
      },
      statusBar: p.statusBar,
      welcome: p.welcome,
      secretStorage: p.context.secrets,
      globalState: p.context.globalState,
      logUri: p.context.logUri,
      globalStorageUri: p.context.globalStorageUri,
    },
    bucket: {
      show: (source, options) => f().bucketView.show(source, options),
      get view() {
        return f().bucketView;
      },
      get previews() {
        return f().previews;
      },
    },
    localSecrets: {
      get service() {
        return f().localSecrets;
      },
      get ui() {
        return f().ui;
      },
      get tree() {
        return f().secretsTree;
      },
    },
    motherDuck: {
      get service() {
        return f().motherDuck;
      },
      get connection() {
        return f().motherDuck.connection;
      },
      statusBar: p.motherDuckStatus,
    },
    terminals: { service: p.terminals, collection: p.context.environmentVariableCollection, workspaceState: p.context.workspaceState },
    lint: p.lint,
  };
}
