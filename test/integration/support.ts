/**
 * What the integration suites share: the extension's API, its commands, polling, the extension's
 * log file, a command expected to fail, and an active profile on the test account.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import type { ProfileInfo, ProfileSecrets } from '../../src/core/credentials/profiles';
import { TEST_ACCOUNT_ID } from '../support/testProfiles';

export const EXTENSION_ID = 'duckdb-secrets.duckdb-secrets';

/** Activates the extension (once per window) and returns its API. */
export async function activateApi(): Promise<DuckDBSecretsApi> {
  const extension = vscode.extensions.getExtension<DuckDBSecretsApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api, 'the test API is returned in test mode');
  return api;
}

/** Runs `duckdbSecrets.<command>` as a menu or another extension would. */
export function runCommand<T>(command: string, ...args: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(`duckdbSecrets.${command}`, ...args);
}

/** Polls `condition` every 25 ms; fails the test after 800 tries (20 s) without it. */
export async function waitForAsync(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`gave up waiting for ${what}`);
}

export function waitFor(condition: () => boolean, what: string): Promise<void> {
  return waitForAsync(() => Promise.resolve(condition()), what);
}

/** The extension's log file as written so far ('' before its first line). */
export function readLog(api: DuckDBSecretsApi): string {
  const file = path.join(api.profiles.logUri.fsPath, 'DuckDB Secrets.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/**
 * Runs a command that fails, waits for a new line in the log matching `logLine` (one more than
 * before it started), then dismisses the error notification the command awaits.
 */
export async function failing(api: DuckDBSecretsApi, start: () => Thenable<unknown>, logLine: RegExp): Promise<void> {
  const everywhere = new RegExp(logLine.source, logLine.flags.includes('g') ? logLine.flags : `${logLine.flags}g`);
  const count = () => readLog(api).match(everywhere)?.length ?? 0;
  const before = count();
  let settled = false;
  const done = Promise.resolve(start()).finally(() => (settled = true));
  await waitFor(() => count() > before, `a new log line matching ${logLine}`);
  await waitFor(() => {
    void vscode.commands.executeCommand('notifications.clearAll');
    return settled;
  }, 'the error notification to close');
  await done;
}

/** What Set R2 Credentials takes to save a profile without asking: on the test account, bucket `lakehouse`. */
export function profileArgument(label: string, keys: ProfileSecrets, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { label, accountId: TEST_ACCOUNT_ID, ...keys, bucket: 'lakehouse', jurisdiction: 'default', ...overrides };
}

/** Saves a profile through Set R2 Credentials and checks it became the active one, keys included. */
export async function setProfile(api: DuckDBSecretsApi, label: string, keys: ProfileSecrets): Promise<ProfileInfo> {
  const saved = await runCommand<ProfileInfo | undefined>('setCredentials', profileArgument(label, keys));
  assert.ok(saved, `Set R2 Credentials saved "${label}"`);
  const active = await api.credentials.activeCredentials();
  assert.equal(active?.label, label, 'the profile is active');
  assert.ok(active?.secretAccessKey === keys.secretAccessKey, 'the active profile has the keys just set'); // no diff: it would print the key
  return saved;
}

/**
 * The MotherDuck suites prove what happens when the extension cannot be downloaded; where it is
 * already installed, connecting would go to the network instead, so they skip and say why.
 */
export async function skipWhenMotherDuckInstalled(api: DuckDBSecretsApi, suite: Mocha.Context): Promise<void> {
  const installed = await api.sql.query("SELECT installed FROM duckdb_extensions() WHERE extension_name = 'motherduck'");
  if (installed[0]?.installed === true) {
    console.log('      skipped: the MotherDuck extension is installed here, so connecting does not fail offline');
    suite.skip();
  }
}
