/**
 * The language server in a real VS Code: a SQL file with a hardcoded CREATE SECRET (written at test
 * time, keys from the seeded generator) gets diagnostics; "Store this secret in a credential
 * profile" saves the keys in SecretStorage and replaces the statement in one edit; Undo restores
 * it; storing again reuses the profile; no key reaches the log.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { CredentialFixtures } from '../support/credentialFixtures';
import { activateApi, readLog, waitFor } from './support';
import { ScriptedProfileUi } from './scriptedProfileUi';

describe('language server: hardcoded credentials', () => {
  const f = new CredentialFixtures(Date.now() % 100_000);
  const keyId = f.r2KeyId();
  const secret = f.r2Secret();
  const accountId = f.accountId();
  const label = `Lint Lake ${f.int(100_000)}`;
  let api: DuckDBSecretsApi;
  let file: string;
  let ui: ScriptedProfileUi;
  let restoreUi: { dispose(): void };

  before(async () => {
    api = await activateApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    file = path.join(folder, `lint-${f.int(1_000_000)}.sql`);
    const statement = ['CREATE SECRET lake (', '  TYPE r2,', `  KEY_ID '${keyId}',`, `  SECRET '${secret}',`, `  ACCOUNT_ID '${accountId}'`, ');'].join('\n');
    fs.writeFileSync(file, `SELECT 42;\n${statement}\nSELECT * FROM 'r2://lake/sales/';\n`);
    ui = new ScriptedProfileUi();
    restoreUi = api.profiles.ui.use(ui);
  });

  after(async () => {
    restoreUi.dispose();
    // Revert first: a dirty editor closed later would be saved back (auto-save) after the file is gone.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
  });

  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'duckdb-secrets');

  async function storeAction(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction> {
    let found: vscode.CodeAction | undefined;
    for (let i = 0; i < 200 && !found; i++) {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
      found = actions.find((a) => a.title === 'Store this secret in a credential profile');
      if (!found) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(found?.command, 'the store action is offered');
    return found;
  }

  it('shows the keys as diagnostics, stores them in a profile, and Undo restores the text', async () => {
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitFor(() => ours(uri).length === 2, 'two duckdb-secrets diagnostics');
    const diagnostics = ours(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code as string, d.severity, d.range.start.line]), [
      ['key_id', vscode.DiagnosticSeverity.Warning, 3],
      ['secret', vscode.DiagnosticSeverity.Warning, 4],
    ]);
    const original = document.getText();
    const profilesBefore = api.profiles.store.list().length;

    const action = await storeAction(uri, diagnostics[1]?.range ?? new vscode.Range(0, 0, 0, 0));
    if (profilesBefore > 0) ui.script('New credential profile…');
    ui.script(label);
    await vscode.commands.executeCommand(action.command?.command ?? '', ...((action.command?.arguments ?? []) as unknown[]));
    assert.deepEqual(ui.leftOver(), [], 'every scripted answer was used');

    const text = document.getText();
    assert.ok(!text.includes(keyId) && !text.includes(secret), 'the keys are gone from the file');
    assert.match(text, new RegExp(`-- R2 credentials are in credential profile '${label}': run "DuckDB Secrets: Create R2 Secret" to create lake`));
    const profile = api.profiles.store.findByLabel(label);
    assert.ok(profile, 'the profile was made');
    assert.equal(profile.accountId, accountId);
    const stored = await api.profiles.store.credentials(profile.id);
    assert.ok(stored.accessKeyId === keyId && stored.secretAccessKey === secret, 'SecretStorage holds both keys'); // no diff: it would print them
    await waitFor(() => ours(uri).length === 0, 'the diagnostics to clear');

    await vscode.commands.executeCommand('undo');
    await waitFor(() => document.getText() === original, 'Undo to restore the statement');
    await waitFor(() => ours(uri).length === 2, 'the diagnostics to come back');

    // Once more: the same keys are found in the profile, and nothing is stored twice.
    const again = await storeAction(uri, ours(uri)[0]?.range ?? new vscode.Range(0, 0, 0, 0));
    const count = api.profiles.store.list().length;
    await vscode.commands.executeCommand(again.command?.command ?? '', ...((again.command?.arguments ?? []) as unknown[]));
    assert.equal(api.profiles.store.list().length, count, 'no second profile');
    assert.ok(!document.getText().includes(secret));
  });

  it('wrote no key to the log or to a question', () => {
    const log = readLog(api);
    assert.ok(log.includes('Language server started'), 'the client logged its start');
    for (const value of [keyId, secret]) {
      assert.ok(!log.includes(value), 'a key reached the log');
      assert.ok(!ui.askedText().includes(value), 'a key reached a question');
    }
  });
});
