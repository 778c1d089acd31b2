/** Composes the services, registers commands and views, and returns the API tests use. */
import * as vscode from 'vscode';
import { registerCommands, SHOW_LOG_COMMAND, type CommandSpec } from './commands';
import { affects, readSetting } from './config';
import { DuckDBSession, type SessionConfig, type SqlRunner } from './duckdbSession';
import { errorText } from './errors';
import { ExtensionLog } from './log';
import { SecretsTreeModel } from './secretsTreeModel';
import { SecretsTreeProvider } from './secretsView';

const loadedAt = performance.now();

export interface DuckDBSecretsApi {
  /** The window's DuckDB session (for tests and other extensions that share it). */
  readonly sql: SqlRunner;
  readonly secrets: SecretsTreeModel;
  /** True once the DuckDB native library has been loaded. */
  isDuckDBLoaded(): boolean;
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): DuckDBSecretsApi {
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

    const commands: CommandSpec[] = [
      { id: 'duckdbSecrets.refreshSecrets', run: () => secrets.refresh() },
      { id: SHOW_LOG_COMMAND, run: () => log.show() },
    ];

    context.subscriptions.push(
      log,
      { dispose: () => session.dispose() },
      secretsTree,
      secretsView,
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
    return { sql: session, secrets, isDuckDBLoaded: () => session.isOpen, activationMs };
  } catch (error) {
    void vscode.window.showErrorMessage(`DuckDB Secrets failed to start: ${errorText(error)}`);
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
