/**
 * "Store in a credential profile" (the language server's fix) when the OS keychain fails: the file
 * is left exactly as it was (text, not dirty), no profile and no token is saved, and the failure is
 * reported once. SecretStorage cannot be made to fail in code-server, so its `store` is replaced on
 * the extension's own SecretStorage object for the test and put back after.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { assertNoCanary, idCanary, secretCanary, tokenCanaries } from '../support/canary';
import { CredentialFixtures } from '../support/credentialFixtures';
import { fakeMotherDuckToken } from '../support/fakeTokens';
import { activateApi, readLog, waitFor } from './support';
import { ScriptedProfileUi } from './scriptedProfileUi';

describe('Store in a credential profile while the keychain fails', () => {
  const f = new CredentialFixtures((Date.now() + 7) % 100_000);
  const keyId = f.r2KeyId();
  const secret = f.r2Secret();
  const token = fakeMotherDuckToken(`store-fault-${f.int(100_000)}`);
  const label = `Faulty Lake ${f.int(100_000)}`;
  let api: DuckDBSecretsApi;
  let folder: string;
  let ui: ScriptedProfileUi;
  let restoreUi: { dispose(): void };
  const files: string[] = [];

  before(async () => {
    api = await activateApi();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'a workspace folder is open');
    folder = root;
    ui = new ScriptedProfileUi();
    restoreUi = api.profiles.ui.use(ui);
  });

  after(async () => {
    restoreUi.dispose();
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of files) fs.rmSync(file, { force: true });
  });

  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'duckdb-secrets');

  /** Writes `text` to a new file, opens it, waits for a finding, and returns the store action there. */
  async function openWithFinding(name: string, text: string): Promise<{ document: vscode.TextDocument; action: vscode.CodeAction }> {
    const file = path.join(folder, name);
    files.push(file);
    fs.writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitFor(() => ours(uri).length > 0, `a finding in ${name}`);
    let action: vscode.CodeAction | undefined;
    for (let i = 0; i < 200 && !action; i++) {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, ours(uri)[0]?.range ?? new vscode.Range(0, 0, 0, 0));
      action = actions.find((a) => a.command?.command !== undefined && /^Store /.test(a.title));
      if (!action) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(action?.command, `a store action is offered in ${name}`);
    return { document, action };
  }

  /** Runs the action with SecretStorage's `store` failing; the command's error notification is cleared, not awaited. */
  async function runWithFailingKeychain(action: vscode.CodeAction, logLine: RegExp): Promise<void> {
    const storage = api.profiles.secretStorage as vscode.SecretStorage & { store: vscode.SecretStorage['store'] };
    const own = Object.getOwnPropertyDescriptor(storage, 'store');
    storage.store = () => Promise.reject(new Error('Cannot get password: The name org.freedesktop.secrets was not provided by any .service files'));
    try {
      void vscode.commands.executeCommand(action.command?.command ?? '', ...((action.command?.arguments ?? []) as unknown[]));
      await waitFor(() => logLine.test(readLog(api)), 'the failure in the log');
    } finally {
      if (own) Object.defineProperty(storage, 'store', own);
      else delete (storage as { store?: unknown }).store;
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  }

  it('R2 keys in a SQL file: the statement stays, the file is not dirty, no profile is made', async () => {
    const statement = ['CREATE SECRET lake (', '  TYPE r2,', `  KEY_ID '${keyId}',`, `  SECRET '${secret}',`, `  ACCOUNT_ID '${f.accountId()}'`, ');'].join('\n');
    const { document, action } = await openWithFinding(`fault-${f.int(1_000_000)}.sql`, `SELECT 1;\n${statement}\n`);
    const original = document.getText();
    const profiles = api.profiles.store.list().length;
    if (profiles > 0) ui.script('New credential profile…');
    ui.script(label);
    await runWithFailingKeychain(action, /The OS keychain failed while saving the keys of R2 profile/);
    assert.deepEqual(ui.leftOver(), [], 'the profile was named before the keychain failed');
    assert.equal(document.getText(), original, 'the text is unchanged');
    assert.equal(document.isDirty, false, 'no edit was applied');
    assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), original, 'the file on disk is unchanged');
    assert.equal(api.profiles.store.findByLabel(label), undefined, 'no profile without its keys');
    assert.equal(api.profiles.store.list().length, profiles);
  });

  it('a MotherDuck token in a .env-style file: the line stays, no token is stored', async () => {
    const had = api.profiles.store.hasMotherDuckToken();
    const before = had ? await api.profiles.store.motherDuckToken() : undefined;
    const { document, action } = await openWithFinding(`fault-${f.int(1_000_000)}.env`, `motherduck_token=${token}\n`);
    const original = document.getText();
    await runWithFailingKeychain(action, /The OS keychain failed while saving the MotherDuck token/);
    assert.equal(document.getText(), original);
    assert.equal(document.isDirty, false);
    assert.equal(api.profiles.store.hasMotherDuckToken(), had);
    assert.ok((had ? await api.profiles.store.motherDuckToken() : undefined) === before, 'the stored token, if any, is the one from before');
  });

  it('no key or token reached the log or a question', () => {
    assertNoCanary({ log: readLog(api), questions: ui.askedText(), shown: ui.shown.join('\n') }, [idCanary('R2 access key id', keyId), secretCanary('R2 secret key', secret), ...tokenCanaries('MotherDuck token', token)]);
  });
});
