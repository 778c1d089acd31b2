/**
 * A new user's first steps in the real VS Code: the Secrets welcome's context keys follow a `.env`
 * file in the workspace folder and the saved profiles, and Test R2 Bucket with no profile and no R2
 * secret says credentials are missing before it asks for a path.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { ScriptedProfileUi } from './scriptedProfileUi';
import { activateApi, failing, runCommand as run, setProfile, waitFor } from './support';

describe('First contact: the welcome and Test R2 Bucket without credentials', () => {
  let api: DuckDBSecretsApi;
  let ui: ScriptedProfileUi;
  let restore: { dispose(): void };
  let dotEnvPath: string;

  const deleteProfiles = async () => {
    for (const p of api.profiles.store.list()) await api.profiles.store.delete(p.id);
  };

  before(async () => {
    api = await activateApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace folder');
    dotEnvPath = path.join(folder.uri.fsPath, '.env');
  });

  beforeEach(async () => {
    ui = new ScriptedProfileUi();
    restore = api.profiles.ui.use(ui);
    fs.rmSync(dotEnvPath, { force: true });
    await deleteProfiles();
  });

  afterEach(async () => {
    restore.dispose();
    fs.rmSync(dotEnvPath, { force: true });
    await deleteProfiles();
    assert.deepEqual(ui.unexpected, [], 'every question was scripted');
    assert.deepEqual(ui.leftOver(), []);
  });

  it('offers the import while a .env sits in the workspace folder, Set R2 Credentials otherwise, Create R2 Secret once a profile exists', async () => {
    const welcome = api.profiles.welcome;
    await waitFor(() => !welcome.state.envCredentialsFound && !welcome.state.hasProfile, 'no .env and no profile');
    fs.writeFileSync(dotEnvPath, 'DUCKLAKE_NAME=lake\n');
    await waitFor(() => welcome.state.envCredentialsFound, 'the .env to be noticed');
    fs.rmSync(dotEnvPath);
    await waitFor(() => !welcome.state.envCredentialsFound, 'the removed .env to be noticed');
    await setProfile(api, 'first', { accessKeyId: 'AKIDfirst0000', secretAccessKey: 'SECRETfirst0000' });
    assert.equal(welcome.state.hasProfile, true);
  });

  it('Test R2 Bucket with no profile and no R2 secret says so before asking for a path', async () => {
    await failing(api, () => run('testBucket'), /testBucket: Test R2 Bucket needs R2 credentials: no credential profile is set up and no R2 secret exists/);
    assert.deepEqual(ui.asked, [], 'no path was asked for');
  });
});
