/**
 * One wrapper for every command: it logs the failure once, shows one error message with a
 * "Show Log" action, and treats cancellation as silence.
 */
import * as vscode from 'vscode';
import { CancelledError, UserFacingError, errorText } from '../core/errors';
import type { Logger } from '../core/logger';
import { scrub } from '../core/redaction';

export interface CommandSpec {
  readonly id: string;
  readonly run: (...args: unknown[]) => unknown;
}

export const SHOW_LOG_COMMAND = 'duckdbSecrets.showLog';

export function registerCommands(specs: readonly CommandSpec[], log: Logger): vscode.Disposable {
  return vscode.Disposable.from(
    ...specs.map((spec) =>
      vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
        try {
          return await spec.run(...args);
        } catch (error) {
          await reportFailure(spec.id, error, log);
          return undefined;
        }
      }),
    ),
  );
}

/** Shows a failure the way every command does. Exported for work that runs outside a command. */
export async function reportFailure(source: string, error: unknown, log: Logger): Promise<void> {
  if (error instanceof CancelledError || error instanceof vscode.CancellationError) return;
  const message = scrub(errorText(error));
  if (error instanceof UserFacingError) {
    log.error(`${source}: ${message}${error.detail ? ` | ${scrub(error.detail)}` : ''}`);
    const titles = [...error.actions.map((a) => a.title), 'Show Log'];
    const picked = await vscode.window.showErrorMessage(message, ...titles);
    const action = error.actions.find((a) => a.title === picked);
    if (picked === 'Show Log') await vscode.commands.executeCommand(SHOW_LOG_COMMAND);
    else if (action?.command) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
    else if (action?.url) await vscode.env.openExternal(vscode.Uri.parse(action.url));
    return;
  }
  log.error(`${source}: ${message}`);
  const picked = await vscode.window.showErrorMessage(`DuckDB Secrets: ${message}`, 'Show Log');
  if (picked === 'Show Log') await vscode.commands.executeCommand(SHOW_LOG_COMMAND);
}
