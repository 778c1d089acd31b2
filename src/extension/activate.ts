/**
 * Activation: the shell that must exist before anything is used (the log, the profile store, the
 * status bar items, the welcome's context keys, terminal credentials, the two views and every
 * declared command), and nothing else. The handlers, the DuckDB session and the views' rows live
 * in dist/features.js, required on first use; the language client in dist/lintClient.js, required
 * when the first file to lint opens. `npm run bench` reports what VS Code measures for this.
 */
import * as vscode from 'vscode';
import { registerCommands, SHOW_LOG_COMMAND } from './commands';
import { affects, readSetting } from './config';
import { CredentialStore } from '../core/credentials/credentialStore';
import { databasePathProblem, type SessionConfig } from '../core/duckdb/duckdbSession';
import { DeferredTree } from './deferredTree';
import { errorText } from '../core/errors';
import type { Features } from './features';
import { LintStarter } from './lint/lintActivation';
import { ExtensionLog } from './log';
import { scrub } from '../core/redaction';
import { MotherDuckStateRelay } from './motherduck/motherDuckStateRelay';
import { MotherDuckStatusBar } from './motherduck/motherDuckStatusBar';
import { ProfileStatusBar } from './credentials/profileStatusBar';
import { WelcomeContext } from './credentials/welcomeContext';
import { testApi, type DuckDBSecretsApi } from './testApi';
import { TerminalCredentials } from './terminals/terminalCredentials';

const loadedAt = performance.now();

/**
 * Returns the test API only when VS Code runs the extension for tests or development (F5): it
 * reaches the keychain, so an installed extension hands it to no other extension.
 */
export function activate(context: vscode.ExtensionContext): DuckDBSecretsApi | undefined {
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  const log = new ExtensionLog();
  try {
    const store = new CredentialStore(context.secrets, context.globalState, log);
    const statusBar = new ProfileStatusBar(store);
    const welcome = new WelcomeContext(store, () => readSetting('env.accessKeyId').trim() || 'R2_ACCESS_KEY_ID');
    const motherDuckState = new MotherDuckStateRelay();
    const motherDuckStatus = new MotherDuckStatusBar(motherDuckState, store);
    const terminals = new TerminalCredentials(context.environmentVariableCollection, context.workspaceState, store, log);

    let features: Features | undefined;
    const load = (): Features => {
      if (features) return features;
      const loadStarted = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- dist/features.js, bundled apart and required on first use
      const { createFeatures } = require('./features') as typeof import('./features');
      features = createFeatures({ context, log, store, terminals, motherDuckState, secretsTree, bucketTree, sessionConfig });
      log.info(`Loaded the features module in ${(performance.now() - loadStarted).toFixed(1)} ms`);
      return features;
    };
    const secretsTree = new DeferredTree<import('./secrets/secretsView').SecretsTreeNode>('duckdbSecrets.secrets', load, (ms) =>
      log.info(`Secrets view: first rows ${ms.toFixed(0)} ms after it asked for them`),
    );
    // Opening the Secrets view is what loads DuckDB: start as soon as the view is shown, before it asks for rows.
    const prewarm = secretsTree.view.onDidChangeVisibility((event) => {
      if (!event.visible || features?.session.isOpen) return;
      Promise.resolve()
        .then(() => load().secrets.ensureLoaded())
        .catch((error: unknown) => log.error(`Loading the Secrets view failed: ${errorText(error)}`));
    });
    const bucketTree = new DeferredTree<import('./bucket/bucketView').BucketTreeNode>('duckdbSecrets.bucket');
    const lint = new LintStarter(() => {
      const f = load();
      return {
        serverModule: context.asAbsolutePath('dist/server.js'),
        store,
        secrets: f.secrets,
        bucket: f.bucketView.model,
        localSecrets: f.localSecrets,
        isDuckDBOpen: () => f.session.isOpen,
        log,
      };
    }, log);

    // Every command package.json declares is registered now (VS Code shows them at once); its handler loads on first run.
    const declared = (context.extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const commands = declared.map((id) => ({
      id,
      run: id === SHOW_LOG_COMMAND ? () => log.show() : (...args: unknown[]) => handler(load(), id)(...args),
    }));

    context.subscriptions.push(
      log,
      {
        dispose: () => {
          features?.dispose();
        },
      },
      secretsTree,
      prewarm,
      bucketTree,
      store,
      statusBar,
      welcome,
      motherDuckStatus,
      terminals,
      lint,
      registerCommands(commands, log),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, 'duckdb.databasePath')) warnRefusedDatabasePath();
      }),
    );

    warnRefusedDatabasePath();
    const activationMs = performance.now() - started;
    const cpu = process.cpuUsage(startedCpu);
    log.info(`Activated in ${activationMs.toFixed(1)} ms, ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms of CPU (module load to ready ${(performance.now() - loadedAt).toFixed(1)} ms${codeLoading(context.extension.id)})`);
    if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
    return testApi({ context, features: load, isFeaturesLoaded: () => features !== undefined, activationMs, store, statusBar, welcome, motherDuckStatus, terminals, lint });
  } catch (error) {
    void vscode.window.showErrorMessage(`DuckDB Secrets failed to start: ${scrub(errorText(error))}`);
    log.error(`Activation failed: ${errorText(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function handler(features: Features, id: string): (...args: unknown[]) => unknown {
  const run = features.handlers.get(id);
  if (!run) throw new Error(`${id} is declared in package.json but has no handler`);
  return run;
}

/** A `scheme:` database path (md:, http:, s3: …) is refused by the session; say so, naming the setting. */
function warnRefusedDatabasePath(): void {
  const problem = databasePathProblem(readSetting('duckdb.databasePath'));
  if (!problem) return;
  void vscode.window.showWarningMessage(problem, 'Open Settings').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'duckdbSecrets.duckdb.databasePath');
  });
}

/**
 * The extension host's own marks around loading this module (what Running Extensions counts as
 * code loading), read from VS Code's performance marks when the host exposes them; for the log.
 */
function codeLoading(extensionId: string): string {
  const marks = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks?.getMarks();
  const at = (what: string) => marks?.find((m) => m.name === `code/extHost/${what}/${extensionId}`)?.startTime;
  const [will, did] = [at('willLoadExtensionCode'), at('didLoadExtensionCode')];
  return will !== undefined && did !== undefined ? `; the host's marks: code loaded in ${Math.round(did - will)} ms` : '';
}

function sessionConfig(): SessionConfig {
  const path = readSetting('duckdb.databasePath').trim();
  return { path: path || ':memory:', options: readSetting('duckdb.options') };
}
