/**
 * Create R2 Secret for Target finds dbt's profiles.yml as dbt does, in the real VS Code: next to a
 * dbt_project.yml in a sub-folder of the workspace, and its quick pick names the file; with none, it
 * says where it looked. The pick is escaped, so no secret is created (that needs httpfs).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { ScriptedProfileUi } from './scriptedProfileUi';
import { activateApi, runCommand as run } from './support';

describe('Create R2 Secret for Target: where profiles.yml is found', () => {
  let api: DuckDBSecretsApi;
  let ui: ScriptedProfileUi;
  let restore: { dispose(): void };
  let project: string;

  before(async () => {
    api = await activateApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    project = path.join(folder.uri.fsPath, 'it-dbt', 'transform');
  });
  beforeEach(() => {
    ui = new ScriptedProfileUi();
    restore = api.localSecrets.ui.use(ui);
  });
  afterEach(() => {
    restore.dispose();
    fs.rmSync(path.dirname(project), { recursive: true, force: true });
    assert.deepEqual(ui.unexpected, []);
  });

  it('offers the targets of the profiles.yml next to a dbt_project.yml in a sub-folder, naming the file', async () => {
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(project, 'dbt_project.yml'), "name: lakehouse\nprofile: lakehouse\n");
    fs.writeFileSync(path.join(project, 'profiles.yml'), 'lakehouse:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n    prod:\n      type: duckdb\n      path: "md:lakehouse"\n');
    ui.script(ScriptedProfileUi.ESCAPE);
    await run('createSecretForTarget');
    const pick = ui.asked[0];
    assert.equal(pick?.kind, 'pick');
    assert.equal(pick?.options.placeHolder, `dbt targets in ${path.join(project, 'profiles.yml')}`);
    assert.deepEqual(pick?.items?.map((i) => i.label), ['$(vm) dev', '$(cloud) prod']);
  });

  it('says where it looked when there is no profiles.yml', async function () {
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(project, 'dbt_project.yml'), "name: lakehouse\nprofile: lakehouse\n");
    ui.script(ScriptedProfileUi.ESCAPE);
    await run('createSecretForTarget');
    const placeHolder = ui.asked[0]?.options.placeHolder ?? '';
    if (placeHolder.startsWith('dbt targets in ')) {
      console.log(`      skipped: this machine has a profiles.yml (${placeHolder})`);
      this.skip();
    }
    assert.match(placeHolder, /^No profiles\.yml found \(looked in .*\): dev and prod from settings$/);
    assert.ok(placeHolder.includes(path.join(project, 'profiles.yml')), placeHolder);
    assert.ok(placeHolder.includes(path.join('.dbt', 'profiles.yml')), placeHolder);
  });
});
