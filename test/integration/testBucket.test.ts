/**
 * Test R2 Bucket in the real VS Code, against a real s3rver on 127.0.0.1: the command creates the
 * secret from the active profile when asked, lists and reads through the extension's DuckDB session,
 * and fills the Bucket view. Needs httpfs: runs only with DUCKDB_SECRETS_TEST_EXTENSION_DIR set (the
 * extension host inherits it), pointing the session's extension_directory there.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestBucketOutcome } from '../../src/bucketTestCommand';
import type { DuckDBSecretsApi } from '../../src/extension';
import type { ProfileInfo } from '../../src/profiles';
import { S3Server, S3RVER_KEY } from '../support/s3Server';

describe('Test R2 Bucket (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  let api: DuckDBSecretsApi;
  let server: S3Server;
  let profile: ProfileInfo;
  let previousActive: ProfileInfo | undefined;
  const config = () => vscode.workspace.getConfiguration('duckdbSecrets');

  async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await condition().catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`gave up waiting for ${what}`);
  }

  before(async function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory with httpfs for this version');
      this.skip();
    }
    const extension = vscode.extensions.getExtension<DuckDBSecretsApi>('duckdb-secrets.duckdb-secrets');
    assert.ok(extension);
    api = await extension.activate();
    server = await S3Server.start({ buckets: ['lake'] });
    server.writeObjects('lake', [
      { key: 'README.md', body: 'lakehouse!' },
      { key: 'sales/year=2024/month=01/part-0.parquet', body: 'x'.repeat(10) },
      ...Array.from({ length: 1100 }, (_, i) => ({ key: `logs/l${String(i).padStart(4, '0')}.csv`, body: 'a\n' })),
    ]);
    previousActive = api.profiles.store.activeProfile();
    profile = await api.profiles.store.save(
      undefined,
      { label: `test-bucket-${Date.now()}`, accountId: '0123456789abcdef0123456789abcdef', bucket: 'lake', jurisdiction: 'custom', customEndpoint: server.endpoint },
      S3RVER_KEY,
      { activate: true },
    );
    await config().update('duckdb.options', { extension_directory: extensionDir, allow_unsigned_extensions: 'true' }, vscode.ConfigurationTarget.Global);
    await until(async () => (await api.sql.query("SELECT current_setting('extension_directory') AS d"))[0]?.d === extensionDir, 'the session to restart');
  });

  after(async () => {
    if (!api) return;
    await vscode.commands.executeCommand('duckdbSecrets.deleteSecret', { name: 'r2_dev_secret', storage: 'memory', confirmed: true });
    await api.profiles.store.delete(profile.id);
    if (previousActive) await api.profiles.store.setActive(previousActive.id);
    await config().update('duckdb.options', undefined, vscode.ConfigurationTarget.Global);
    await server.stop();
  });

  it('creates the secret when asked, lists and reads the bucket, and shows the listing in the Bucket view', async () => {
    const outcome = await vscode.commands.executeCommand<TestBucketOutcome | undefined>('duckdbSecrets.testBucket', { createSecret: true });
    assert.ok(outcome, 'the command finished');
    assert.equal(outcome.root, 'r2://lake/');
    assert.equal(outcome.method, 'direct');
    assert.equal(outcome.objectCount, 1102);
    assert.deepEqual(outcome.secret, { name: 'r2_dev_secret', storage: 'memory' });
    assert.deepEqual(outcome.read, { outcome: 'ok', key: 'logs/l0000.csv', what: 'object', bytes: 2 });
    assert.match(outcome.summary, /^list ✓ read ✓ · 1,102 objects · 2\.2 KB · \d+\.\d s · secret r2_dev_secret \(Session \(memory\)\)$/);
    assert.match(api.bucket.view.treeView.description ?? '', /^Test result · 1,102 objects · \d\d:\d\d$/);

    const again = await vscode.commands.executeCommand<TestBucketOutcome | undefined>('duckdbSecrets.testBucket', { path: 'r2://lake/sales/', duckdbOnly: true, createSecret: false });
    assert.equal(again?.method, 'duckdb');
    assert.equal(again?.objectCount, 1);
    assert.equal(again?.read.outcome, 'ok');
  });
});
