/**
 * Plaintext secrets in the real VS Code, with a temporary `secret_directory` set through
 * `duckdbSecrets.duckdb.options` (never the machine's ~/.duckdb): the Secrets view marks a local
 * persistent secret (DuckDB's built-in `http` type, no httpfs needed) and names its file; Move to
 * Keychain leaves an `http` secret alone with the reason. Moving a real `r2` secret needs httpfs:
 * it runs when DUCKDB_SECRETS_TEST_EXTENSION_DIR is set and is skipped, saying why, otherwise.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import type { MoveReport } from '../../src/core/secrets/moveToKeychain';
import { createHttpSecret, sqlString } from '../../src/core/secrets/secretSql';
import type { SecretsTreeNode } from '../../src/extension/secrets/secretsView';
import { generatedKeyPair } from '../support/generatedKeys';
import { ScriptedProfileUi } from './scriptedProfileUi';
import { activateApi, readLog, runCommand as run, waitForAsync } from './support';

describe('Plaintext secrets: marked in the tree, moved to the keychain', function () {
  this.timeout(120_000);
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  let api: DuckDBSecretsApi;
  let ui: ScriptedProfileUi;
  let restore: { dispose(): void }[];
  let directory: string;
  const config = () => vscode.workspace.getConfiguration('duckdbSecrets');
  const keys = generatedKeyPair(51);

  const useOptions = async (options: Record<string, string> | undefined, expected: (d: unknown) => boolean) => {
    await config().update('duckdb.options', options, vscode.ConfigurationTarget.Global);
    await waitForAsync(async () => expected((await api.sql.query("SELECT current_setting('secret_directory') AS d"))[0]?.d), 'the session to restart');
  };

  before(async () => {
    api = await activateApi();
  });

  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-it-plain-'));
    ui = new ScriptedProfileUi();
    restore = [api.localSecrets.ui.use(ui)];
    const httpfs: Record<string, string> = extensionDir ? { extension_directory: extensionDir, allow_unsigned_extensions: 'true' } : {};
    await useOptions({ secret_directory: directory, ...httpfs }, (d) => d === directory);
  });

  afterEach(async () => {
    for (const r of restore) r.dispose();
    assert.deepEqual(ui.unexpected, [], 'every question was scripted');
    assert.deepEqual(ui.leftOver(), [], 'every scripted answer was asked for');
    try {
      for (const secret of await api.localSecrets.service.list()) if (secret.storage === 'memory') await api.localSecrets.service.drop(secret);
      const profile = api.profiles.store.findByLabel('r2_files');
      if (profile) await api.profiles.store.delete(profile.id);
      await useOptions(undefined, (d) => d !== directory);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  async function nodeFor(name: string, storage: string): Promise<SecretsTreeNode & { secret: { name: string } }> {
    await api.secrets.refresh();
    const groups = await api.localSecrets.tree.getChildren();
    const nodes = (await Promise.all(groups.map((g) => api.localSecrets.tree.getChildren(g)))).flat();
    const node = nodes.find((n) => 'secret' in n && n.secret.name === name && n.secret.storage === storage);
    assert.ok(node && 'secret' in node, `no tree node for ${name}@${storage}`);
    return node;
  }

  it('marks a local persistent secret as plaintext, naming its file in the directory the session uses', async () => {
    await api.sql.run(createHttpSecret({ bearerToken: keys.secretAccessKey }, { name: 'proxy_token', persistence: 'persistent', replace: false }).sql);
    await api.sql.run(createHttpSecret({ bearerToken: 'in-memory' }, { name: 'session_only', persistence: 'session', replace: true }).sql);

    const item = (await nodeFor('proxy_token', 'local_file')).toTreeItem();
    const file = path.join(directory, 'proxy_token.duckdb_secret');
    assert.ok(fs.existsSync(file));
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'unlock');
    assert.match(String(item.description), /plaintext/);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes(`**Stored in plaintext** (unencrypted) in \`${file}\``), tooltip);
    assert.match(tooltip, /current_setting\('secret_directory'\)/);
    assert.match(tooltip, /Stays on disk: an http secret holds a bearer token/);
    assert.ok(!tooltip.includes(keys.secretAccessKey));
    const session = (await nodeFor('session_only', 'memory')).toTreeItem();
    assert.equal((session.iconPath as vscode.ThemeIcon).id, 'key', 'a session secret is not marked');

    // Move to Keychain leaves it alone, saying why; Move All finds nothing that can move.
    const report = await run<MoveReport>('moveSecretToKeychain', await nodeFor('proxy_token', 'local_file'));
    assert.deepEqual(report?.moved, []);
    assert.match(ui.shown.at(-1) ?? '', new RegExp(`proxy_token stays in .*proxy_token\\.duckdb_secret: an http secret`));
    await run('movePlaintextSecretsToKeychain');
    assert.match(ui.shown.at(-1) ?? '', /No plaintext secret in .* can move to the keychain\. Left alone: proxy_token \(an http secret/);
    assert.ok(fs.existsSync(file));
  });

  it('moves an r2 secret: file gone, the tree shows it in the session group, the key in no log', async function () {
    if (!extensionDir) {
      console.log('      skipped: moving an r2 secret needs httpfs; set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding it');
      this.skip();
    }
    const account = generatedKeyPair(7).accessKeyId;
    await api.sql.run(
      `CREATE PERSISTENT SECRET r2_files IN local_file (TYPE r2, KEY_ID ${sqlString(keys.accessKeyId, 'k')}, SECRET ${sqlString(keys.secretAccessKey, 's')}, ACCOUNT_ID '${account}', SCOPE 'r2://lakehouse')`,
    );
    const file = path.join(directory, 'r2_files.duckdb_secret');
    assert.ok(fs.existsSync(file));

    ui.script(true);
    const report = await run<MoveReport>('moveSecretToKeychain', await nodeFor('r2_files', 'local_file'));
    assert.deepEqual(report?.stayed, []);
    assert.deepEqual(report?.moved.map((m) => m.name), ['r2_files']);
    const confirm = ui.asked.at(-1);
    assert.equal(confirm?.options.modal, true);
    assert.match(confirm?.options.message ?? '', /Move secret r2_files to the keychain\?/);
    assert.ok((confirm?.options.detail ?? '').includes(file), 'the modal names the file that goes');

    assert.equal(fs.existsSync(file), false, 'the plaintext file is gone');
    const moved = (await nodeFor('r2_files', 'memory')).toTreeItem();
    assert.equal((moved.iconPath as vscode.ThemeIcon).id, 'key');
    const profile = api.profiles.store.findByLabel('r2_files');
    assert.ok(profile, 'a credential profile holds the key pair');
    assert.equal(profile.accountId, account);
    const everywhere = [readLog(api), ...ui.shown, ui.askedText(), JSON.stringify(api.profiles.globalState.get('duckdbSecrets.sessionSecrets'))].join('\n');
    assert.ok(!everywhere.includes(keys.secretAccessKey), 'the secret key is in no log, message or state');
  });
});
