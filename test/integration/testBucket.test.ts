/**
 * Test R2 Bucket in the real VS Code, against a real s3rver on 127.0.0.1: the command creates the
 * secret from the active profile when asked, lists and reads through the extension's DuckDB session,
 * and fills the Bucket view. Needs httpfs: runs only with DUCKDB_SECRETS_TEST_EXTENSION_DIR set (the
 * extension host inherits it), pointing the session's extension_directory there.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestBucketOutcome } from '../../src/extension/bucket/bucketTestCommand';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { S3rverProfile } from './s3rverProfile';
import { activateApi, waitForAsync } from './support';

describe('Test R2 Bucket (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  let api: DuckDBSecretsApi;
  let lake: S3rverProfile | undefined;
  const config = () => vscode.workspace.getConfiguration('duckdbSecrets');

  before(async function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory with httpfs for this version');
      this.skip();
    }
    api = await activateApi();
    lake = await S3rverProfile.start(api, 'test-bucket');
    await config().update('duckdb.options', { extension_directory: extensionDir, allow_unsigned_extensions: 'true' }, vscode.ConfigurationTarget.Global);
    const restarted = async () => (await api.sql.query("SELECT current_setting('extension_directory') AS d"))[0]?.d === extensionDir;
    await waitForAsync(() => restarted().catch(() => false), 'the session to restart');
  });

  after(async () => {
    if (!api) return;
    await vscode.commands.executeCommand('duckdbSecrets.deleteSecret', { name: 'r2_dev_secret', storage: 'memory', confirmed: true });
    await config().update('duckdb.options', undefined, vscode.ConfigurationTarget.Global);
    await lake?.stop();
  });

  it('creates the secret when asked, lists and reads the bucket, and shows the listing in the Bucket view', async () => {
    const outcome = await vscode.commands.executeCommand<TestBucketOutcome | undefined>('duckdbSecrets.testBucket', { createSecret: true });
    assert.ok(outcome, 'the command finished');
    assert.equal(outcome.root, 'r2://lake/');
    assert.equal(outcome.method, 'direct');
    assert.equal(outcome.objectCount, 1102);
    assert.deepEqual(outcome.secret, { name: 'r2_dev_secret', storage: 'memory' });
    assert.deepEqual(outcome.read, { outcome: 'ok', key: 'logs/l0000.csv', what: 'object', bytes: 2 });
    assert.match(outcome.summary, /^list ✓ read ✓ · 1,102 objects · 2\.2 KB · \d+\.\d s · secret r2_dev_secret \(Session \(memory\)\) · profile "test-bucket-\d+" ✓$/);
    assert.match(api.bucket.view.treeView.description ?? '', /^Test result · 1,102 objects · \d\d:\d\d$/);

    const again = await vscode.commands.executeCommand<TestBucketOutcome | undefined>('duckdbSecrets.testBucket', { path: 'r2://lake/sales/', duckdbOnly: true, createSecret: false });
    assert.equal(again?.method, 'duckdb');
    assert.equal(again?.objectCount, 1);
    assert.equal(again?.read.outcome, 'ok');
  });
});
