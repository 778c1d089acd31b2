/**
 * Use R2 Credentials in Terminals / Stop Using R2 Credentials in Terminals. Turning it on also
 * compares a workspace `.env` with the variables terminals now get and says which hold the same or
 * a different value (names only), so the file can be deleted.
 */
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands';
import type { CommandUiHolder } from '../commandUi';
import { compareDotEnv, describeDotEnv, type DotEnvComparison } from '../../core/credentials/envVariables';
import { readDotEnv } from '../../core/credentials/envImport';
import { errorText } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { STOP_TERMINALS_COMMAND, type TerminalCredentials, type TerminalState } from './terminalCredentials';

export const USE_TERMINALS_COMMAND = 'duckdbSecrets.useCredentialsInTerminals';

/** What Use R2 Credentials in Terminals returns to `executeCommand` callers (tests): names, never values. */
export interface TerminalsOutcome {
  readonly state: TerminalState;
  readonly dotEnv: readonly DotEnvComparison[];
}

export function terminalCommands(terminals: TerminalCredentials, ui: CommandUiHolder, log: Logger): CommandSpec[] {
  return [
    { id: USE_TERMINALS_COMMAND, run: () => useInTerminals(terminals, ui, log) },
    {
      id: STOP_TERMINALS_COMMAND,
      run: async (): Promise<TerminalsOutcome> => {
        const wasOn = terminals.enabled;
        const state = await terminals.disable();
        void ui.ui.messages.info(
          wasOn
            ? 'New terminals and tasks in this workspace no longer get R2 credentials. Open terminals are marked to relaunch.'
            : 'R2 credentials were not handed to terminals in this workspace.',
        );
        return { state, dotEnv: [] };
      },
    },
  ];
}

async function useInTerminals(terminals: TerminalCredentials, ui: CommandUiHolder, log: Logger): Promise<TerminalsOutcome> {
  const state = await terminals.enable();
  if (state.kind !== 'on') {
    void ui.ui.messages.warning(
      `R2 credentials in terminals are on for this workspace, but none can be handed out yet: ${state.kind === 'unavailable' ? state.reason : ''} Set R2 Credentials or select a profile; terminals get them then.`,
    );
    return { state, dotEnv: [] };
  }
  void ui.ui.messages.info(
    `New terminals and tasks in this workspace get ${state.names.join(', ')} from R2 profile "${state.profile}" (OS keychain; never written to disk). ` +
      'Open terminals are marked to relaunch. Remembered for this workspace.',
  );
  const dotEnv = await compareWorkspaceDotEnv(terminals, log);
  for (const comparison of dotEnv) void ui.ui.messages.warning(describeDotEnv(comparison));
  return { state, dotEnv };
}

/** Each workspace folder's `.env` that sets some of the variables, compared by value (never shown). */
async function compareWorkspaceDotEnv(terminals: TerminalCredentials, log: Logger): Promise<DotEnvComparison[]> {
  const found = await terminals.variables().catch(() => undefined);
  if (!found) return [];
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const comparisons: DotEnvComparison[] = [];
  for (const folder of folders) {
    try {
      const source = await readDotEnv(folder.uri.fsPath);
      const comparison = source && compareDotEnv(source, found.variables);
      if (comparison) comparisons.push(comparison);
    } catch (error) {
      log.warn(`Comparing ${folder.name}/.env with the terminal variables: ${errorText(error)}`);
    }
  }
  return comparisons;
}
