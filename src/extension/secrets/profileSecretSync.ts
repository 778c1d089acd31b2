/**
 * When a credential profile changes (its keys fixed, its endpoint moved), the session secrets made
 * from it in this window are made again from the new values, so Test R2 Bucket and DuckDB queries
 * stop using the old keys. Only while `duckdbSecrets.recreateSessionSecrets` is on (the same
 * setting that re-creates them when the session starts); the Secrets view is refreshed and the
 * status bar says which were re-made.
 */
import * as vscode from 'vscode';
import { readSetting } from '../config';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import type { LocalSecrets } from '../../core/secrets/localSecrets';
import type { Logger } from '../../core/logger';
import { errorText } from '../../core/errors';
import { scrub } from '../../core/redaction';

export function syncSecretsWithProfiles(store: CredentialStore, secrets: LocalSecrets, refresh: () => Promise<unknown>, log: Logger): vscode.Disposable {
  let running = Promise.resolve();
  const subscription = store.onDidChange(() => {
    running = running.then(async () => {
      if (!readSetting('recreateSessionSecrets')) return;
      const report = await secrets.recreateChanged({ credentialsFor: async (id) => (store.get(id) ? store.credentials(id) : undefined) });
      if (report.recreated.length === 0 && report.failed.length === 0) return;
      if (report.recreated.length > 0) {
        log.info(`Profile changed: re-created session secrets ${report.recreated.join(', ')} from its new values`);
        vscode.window.setStatusBarMessage(`$(key) Re-created ${report.recreated.join(', ')} from the changed profile`, 5000);
      }
      for (const f of report.failed) void vscode.window.showWarningMessage(scrub(`Secret ${f.name} still holds the profile's old values: ${f.message}`));
      await refresh();
    }).catch((error: unknown) => log.warn(`Re-creating session secrets after a profile change failed: ${errorText(error)}`));
  });
  return { dispose: () => subscription.dispose() };
}
