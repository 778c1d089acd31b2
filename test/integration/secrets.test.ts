/**
 * DuckDB secrets in the real VS Code: the secret commands driven through executeCommand, with tree
 * nodes taken from the Secrets view's own provider (what the context menu passes) and a scripted
 * Prompter put in through the extension's API. TYPE r2 needs the httpfs extension, which this
 * machine cannot download: Create R2 Secret is checked to fail with the translated offline error
 * and change nothing; the create → tree → which secret → delete path runs with DuckDB's built-in
 * `http` secret type, created through the API's SqlRunner.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import type { SecretRef } from '../../src/core/secrets/localSecrets';
import { createHttpSecret } from '../../src/core/secrets/secretSql';
import type { SecretsTreeNode } from '../../src/extension/secrets/secretsView';
import { ScriptedProfileUi } from './scriptedProfileUi';
import { activateApi, failing, readLog, runCommand as run, setProfile, waitForAsync } from './support';

const SESSION_RECORDS_KEY = 'duckdbSecrets.sessionSecrets';

describe('DuckDB secrets: create, see, which, delete', () => {
  let api: DuckDBSecretsApi;
  let ui: ScriptedProfileUi;
  let restore: { dispose(): void }[];
  const canary = `CANARY${randomUUID().replace(/-/g, '')}`;
  const canaryKeyId = `AKID${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const devKeys = { accessKeyId: canaryKeyId, secretAccessKey: canary };

  before(async () => {
    api = await activateApi();
  });

  beforeEach(async () => {
    ui = new ScriptedProfileUi();
    restore = [api.localSecrets.ui.use(ui), api.profiles.ui.use(ui)];
    await dropAll();
  });

  afterEach(async () => {
    for (const r of restore) r.dispose();
    assert.deepEqual(ui.unexpected, [], 'every question was scripted and every answer valid');
    assert.deepEqual(ui.leftOver(), [], 'every scripted answer was asked for');
    await dropAll();
  });

  const listing = async () => (await api.sql.query('SELECT name, type, storage FROM duckdb_secrets() ORDER BY name, storage')).map((r) => `${r.name as string}:${r.type as string}@${r.storage as string}`);

  /** Drops this window's session secrets only: persistent ones may be the machine's own. */
  async function dropAll(): Promise<void> {
    for (const secret of await api.localSecrets.service.list()) {
      if (secret.storage === 'memory') await api.localSecrets.service.drop(secret);
    }
    const profile = api.profiles.store.findByLabel('it-dev');
    if (profile) await api.profiles.store.delete(profile.id);
    await api.secrets.refresh();
  }

  /** The Secrets view's nodes, as VS Code gets them from the provider: storage groups, then secrets. */
  async function secretNodes(): Promise<SecretsTreeNode[]> {
    const groups = await api.localSecrets.tree.getChildren();
    const children = await Promise.all(groups.map((g) => api.localSecrets.tree.getChildren(g)));
    return children.flat();
  }
  async function nodeFor(name: string, storage: string): Promise<SecretsTreeNode> {
    const nodes = await secretNodes();
    const node = nodes.find((n) => 'secret' in n && n.secret.name === name && n.secret.storage === storage);
    assert.ok(node, `no tree node for ${name}@${storage} among ${nodes.map((n) => n.toTreeItem().label as string).join(', ')}`);
    return node;
  }

  it('Create R2 Secret without httpfs shows the offline error, pointing to the setting, and changes nothing', async function () {
    const httpfs = await api.sql.query("SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'");
    if (httpfs[0]?.installed === true) {
      console.log('      skipped: httpfs is installed here, so Create R2 Secret does not fail offline');
      this.skip();
    }
    await setProfile(api, 'it-dev', devKeys);
    await api.sql.run(createHttpSecret({ bearerToken: 'x' }, { name: 'bystander', persistence: 'session', replace: true }).sql);
    const before = await listing();
    const records = JSON.stringify(api.profiles.globalState.get(SESSION_RECORDS_KEY) ?? []);

    await failing(api, () => run('createLocalSecret', { name: 'r2_dev_secret' }), /createLocalSecret: DuckDB needs its httpfs extension for R2 secrets .* duckdbSecrets\.duckdb\.options setting, or run INSTALL httpfs/);
    assert.match(readLog(api), /\| Extension Autoloading Error: .*httpfs/, 'DuckDB\'s own text is in the log');
    assert.deepEqual(await listing(), before);
    assert.equal(JSON.stringify(api.profiles.globalState.get(SESSION_RECORDS_KEY) ?? []), records, 'no session secret was recorded');
    assert.ok(!readLog(api).includes(canary) && !readLog(api).includes(canaryKeyId), 'no key in the log');
  });

  it('from the palette, Enter through the prompts offers the target\'s name and no scope', async function () {
    const httpfs = await api.sql.query("SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'");
    if (httpfs[0]?.installed === true) this.skip();
    await setProfile(api, 'it-dev', devKeys);
    ui.script('r2_dev_secret', 'No scope');
    await failing(api, () => run('createLocalSecret'), /createLocalSecret: DuckDB needs its httpfs extension/);
    const [name, scope] = ui.asked;
    assert.equal(name?.kind, 'input');
    assert.equal(name?.options.value, 'r2_dev_secret');
    assert.equal(scope?.kind, 'pick');
    assert.deepEqual(scope?.items?.map((i) => i.label), ['No scope', 'r2://lakehouse', 's3://lakehouse', 'Other prefix…']);
    assert.ok(!ui.askedText().includes(canary));
  });

  it('create → see in the tree → which secret → delete from the context menu', async () => {
    await api.sql.run(createHttpSecret({ bearerToken: canary, httpProxy: 'proxy.it:3128' }, { name: 'it_http', persistence: 'session', replace: true, scope: ['https://it.example/lake'] }).sql);
    await run('refreshSecrets');
    const node = await nodeFor('it_http', 'memory');
    const item = node.toTreeItem();
    assert.equal(item.label, 'it_http');
    assert.equal(item.description, 'http · https://it.example/lake');
    assert.equal(item.contextValue, 'secret:http+memory');
    assert.ok(!JSON.stringify(item.tooltip).includes(canary), 'the tooltip never shows the secret');

    // Which Secret Applies… with a typed path (palette with arguments).
    const answer = await run<{ path: string; secret?: SecretRef }>('whichSecret', { path: 'https://it.example/lake/data.csv', type: 'http' });
    assert.deepEqual(answer, { path: 'https://it.example/lake/data.csv', secret: { name: 'it_http', storage: 'memory' } });
    assert.match(ui.shown.at(-1) ?? '', /^https:\/\/it\.example\/lake\/data\.csv uses secret it_http \(Session \(memory\)\)\.$/);
    const marked = (await nodeFor('it_http', 'memory')).toTreeItem();
    assert.match(String(marked.description), /applies to https:\/\/it\.example\/lake\/data\.csv$/);
    assert.equal((marked.iconPath as vscode.ThemeIcon).id, 'target');

    // From the palette without a type: the https:// scheme names the http type, not r2.
    const byScheme = await run<{ path: string; secret?: SecretRef }>('whichSecret', { path: 'https://it.example/lake/data.csv' });
    assert.deepEqual(byScheme?.secret, { name: 'it_http', storage: 'memory' });

    // The same from the context menu: the path prompt starts from the secret's scope.
    ui.script('https://it.example/lake/other.parquet');
    const fromMenu = await run<{ secret?: SecretRef }>('whichSecret', await nodeFor('it_http', 'memory'));
    assert.equal(ui.asked.at(-1)?.options.value, 'https://it.example/lake');
    assert.deepEqual(fromMenu?.secret, { name: 'it_http', storage: 'memory' });

    // Delete Secret on the tree node asks first; No keeps it, Yes drops it and refreshes the tree.
    ui.script(false);
    assert.equal(await run('deleteSecret', await nodeFor('it_http', 'memory')), undefined);
    assert.deepEqual(await listing(), ['it_http:http@memory']);
    ui.script(true);
    assert.deepEqual(await run('deleteSecret', await nodeFor('it_http', 'memory')), { name: 'it_http', storage: 'memory' });
    assert.match(ui.asked.at(-1)?.options.message ?? '', /^Delete secret "it_http" from Session \(memory\)\?$/);
    assert.deepEqual(await listing(), []);
    assert.deepEqual((await secretNodes()).map((n) => n.toTreeItem().label), [], 'the tree was refreshed');
    assert.ok(!ui.askedText().includes(canary) && !ui.shown.join('\n').includes(canary) && !readLog(api).includes(canary));
  });

  it('a name in two storages: Delete Secret asks which one; the session restarts with a new secret_directory', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-it-'));
    const config = vscode.workspace.getConfiguration('duckdbSecrets');
    try {
      await config.update('duckdb.options', { secret_directory: directory }, vscode.ConfigurationTarget.Global);
      await waitForAsync(async () => (await api.sql.query("SELECT current_setting('secret_directory') AS d"))[0]?.d === directory, 'the session to restart');
      await api.sql.run(createHttpSecret({ bearerToken: 'a' }, { name: 'twin', persistence: 'session', replace: true }).sql);
      await api.sql.run(createHttpSecret({ bearerToken: 'b' }, { name: 'twin', persistence: 'persistent', replace: true }).sql);
      assert.ok(fs.existsSync(path.join(directory, 'twin.duckdb_secret')));
      ui.script('Session (memory)', true);
      assert.deepEqual(await run('deleteSecret', { name: 'twin' }), { name: 'twin', storage: 'memory' });
      assert.deepEqual(ui.asked[0]?.items?.map((i) => i.label).sort(), ['Local file (persistent)', 'Session (memory)']);
      assert.match(ui.asked[0]?.options.title ?? '', /"twin" is in 2 storages/);
      assert.deepEqual(await listing(), ['twin:http@local_file']);
      assert.deepEqual(await run('deleteSecret', { name: 'twin', storage: 'local_file', confirmed: true }), { name: 'twin', storage: 'local_file' });
      assert.equal(fs.existsSync(path.join(directory, 'twin.duckdb_secret')), false);

      // Create Persistent Local R2 Secret warns about the unencrypted file in the actual secret_directory.
      await setProfile(api, 'it-dev', devKeys);
      ui.script('r2_dev_secret', 'r2://lakehouse', false);
      assert.equal(await run('createPersistentLocalSecret'), undefined, 'declining the warning creates nothing');
      const warning = ui.asked.at(-1);
      assert.equal(warning?.kind, 'confirm');
      assert.equal(warning?.options.message, `DuckDB stores persistent secrets unencrypted on disk. Write "r2_dev_secret" to ${directory}?`);
      assert.equal(warning?.options.modal, true);
      assert.match(warning?.options.detail ?? '', new RegExp(`written in plain form to ${directory.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/r2_dev_secret\\.duckdb_secret`));
      assert.deepEqual(fs.readdirSync(directory), []);
    } finally {
      try {
        await config.update('duckdb.options', undefined, vscode.ConfigurationTarget.Global);
        await waitForAsync(async () => (await api.sql.query("SELECT current_setting('secret_directory') AS d"))[0]?.d !== directory, 'the session to restart');
      } finally {
        fs.rmSync(directory, { recursive: true, force: true });
      }
    }
  });

  it('Clean Up R2 Secrets says when there is nothing to clean up; Copy as SQL never copies a key', async () => {
    await setProfile(api, 'it-dev', devKeys);
    assert.deepEqual(await run('cleanupSecrets'), { dropped: [], failed: [] });
    assert.equal(ui.shown.at(-1), 'There are no R2 secrets to clean up.');
    const text = await run<string>('copySecretAsSql', { scope: 'r2://lakehouse' });
    assert.match(text ?? '', /CREATE OR REPLACE SECRET r2_dev_secret \(\n {4}TYPE r2,\n {4}KEY_ID '<R2_ACCESS_KEY_ID>',\n {4}SECRET '<R2_SECRET_KEY>',/);
    assert.equal(await vscode.env.clipboard.readText(), text);
    assert.ok(!text?.includes(canary) && !text?.includes(canaryKeyId));

    // Delete Secret with nothing to delete says so, as Clean Up does, instead of an error.
    assert.equal(await run('deleteSecret'), undefined);
    assert.equal(ui.shown.at(-1), 'There are no DuckDB secrets to delete.');
  });

  it('Copy as SQL from the palette asks which R2 secret when several exist, and copies what the tree copies', async function () {
    const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
    const config = vscode.workspace.getConfiguration('duckdbSecrets');
    const httpfs = await api.sql.query("SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'");
    if (httpfs[0]?.installed !== true && !extensionDir) {
      console.log('      skipped: R2 secrets need httpfs; set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding it');
      this.skip();
    }
    if (extensionDir) {
      await config.update('duckdb.options', { extension_directory: extensionDir, allow_unsigned_extensions: 'true' }, vscode.ConfigurationTarget.Global);
      await waitForAsync(async () => (await api.sql.query("SELECT current_setting('extension_directory') AS d"))[0]?.d === extensionDir, 'the session to restart');
    }
    try {
      await copyFromPaletteAndTree();
    } finally {
      if (extensionDir) {
        await config.update('duckdb.options', undefined, vscode.ConfigurationTarget.Global);
        await waitForAsync(async () => (await api.sql.query("SELECT current_setting('extension_directory') AS d"))[0]?.d !== extensionDir, 'the session to restart');
      }
    }
  });

  async function copyFromPaletteAndTree(): Promise<void> {
    await setProfile(api, 'it-dev', devKeys);
    await run('createLocalSecret', { name: 'it_copy_a' });
    await run('createLocalSecret', { name: 'it_copy_b', scope: 'r2://lakehouse' });
    ui.script('it_copy_b');
    const fromPalette = await run<string>('copySecretAsSql');
    assert.equal(ui.asked.at(-1)?.kind, 'pick');
    assert.deepEqual(ui.asked.at(-1)?.items?.map((i) => i.label).sort(), ['it_copy_a', 'it_copy_b']);
    const fromTree = await run<string>('copySecretAsSql', await nodeFor('it_copy_b', 'memory'));
    assert.equal(fromPalette, fromTree);
    assert.ok(!fromTree?.includes(canary) && !fromTree?.includes(canaryKeyId));
    for (const name of ['it_copy_a', 'it_copy_b']) await run('deleteSecret', { name, storage: 'memory', confirmed: true });
  }
});
