/**
 * The R2-backed `TYPE s3` form Create R2 Secret makes for `s3://` scopes, against the real DuckDB
 * parser: one statement, every value escaped. Without httpfs DuckDB's binder then names the missing
 * `s3` type (proof the parser accepted the text); with DUCKDB_SECRETS_TEST_EXTENSION_DIR the secret
 * is created and listed, and a local S3 server is listed through `s3://`.
 */
import * as assert from 'node:assert/strict';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { isR2Backed, parseSecretString, type SecretInfo } from '../../../../src/core/secrets/secretsModel';
import { KEY_ID_PLACEHOLDER, SECRET_PLACEHOLDER, copyListedSecret, copyR2Secret, createR2Secret, r2SecretKind } from '../../../../src/core/secrets/secretSql';
import { schemeFromSecrets } from '../../../../src/core/secrets/pathScheme';
import { objectQuery } from '../../../../src/core/bucket/bucketQueries';
import { openTestDuckDB, type TestDuckDB } from '../../../support/duckdbOptions';
import { S3RVER_KEY, S3Server } from '../../../support/s3Server';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
const session = { persistence: 'session', replace: true } as const;

function credentials(overrides: Partial<Credentials> = {}): Credentials {
  return { id: 'p', label: 'lake', accountId: TEST_ACCOUNT_ID, bucket: 'eo-pv-lakehouse', jurisdiction: 'default', accessKeyId: 'AKIDs3form01', secretAccessKey: "sk'; DROP TABLE t; --", ...overrides };
}

describe('R2-backed s3:// secrets (TYPE s3 with the R2 endpoint)', () => {
  let opened: TestDuckDB;
  let db: DuckDBConnection;

  before(async () => {
    opened = await openTestDuckDB({
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      ...(extensionDir ? { extension_directory: extensionDir, allow_unsigned_extensions: 'true' } : {}),
    });
    db = opened.connection;
  });
  after(() => {
    opened.close();
  });

  it('s3:// scopes give TYPE s3 with ENDPOINT, URL_STYLE path, REGION auto; r2:// and none stay TYPE r2; both are refused', () => {
    assert.equal(r2SecretKind(undefined), 'r2');
    assert.equal(r2SecretKind(['r2://a']), 'r2');
    assert.equal(r2SecretKind(['s3://a', 'S3://b/c']), 's3');
    assert.equal(r2SecretKind([' s3://a ']), 's3', 'a scope is judged as the prompt checks it, trimmed');
    assert.equal(r2SecretKind(['r2://a/s3://b']), 'r2', 'the scheme is where the scope starts');
    assert.throws(() => r2SecretKind(['r2://a', 's3://a']), /cannot apply to both r2:\/\/ and s3:\/\//);
    const statement = createR2Secret(credentials(), { name: 'r2_s3', ...session, scope: ['s3://eo-pv-lakehouse'] });
    assert.equal(
      statement.sql,
      [
        'CREATE OR REPLACE SECRET r2_s3 (',
        '    TYPE s3,',
        "    KEY_ID 'AKIDs3form01',",
        "    SECRET 'sk''; DROP TABLE t; --',",
        "    REGION 'auto',",
        `    ENDPOINT '${TEST_ACCOUNT_ID}.r2.cloudflarestorage.com',`,
        "    URL_STYLE 'path',",
        '    USE_SSL true,',
        "    SCOPE 's3://eo-pv-lakehouse'",
        ')',
      ].join('\n'),
    );
    assert.equal(statement.describe, 'create s3 secret r2_s3 (session, scoped)');
    const eu = createR2Secret(credentials({ jurisdiction: 'eu' }), { name: 's', ...session, scope: ['s3://b'] }).sql;
    assert.match(eu, new RegExp(`ENDPOINT '${TEST_ACCOUNT_ID}\\.eu\\.r2\\.cloudflarestorage\\.com'`));
    const fedramp = createR2Secret(credentials({ jurisdiction: 'fedramp' }), { name: 's', ...session, scope: ['s3://b'] }).sql;
    assert.match(fedramp, /\.fedramp\.r2\.cloudflarestorage\.com'/);
    const custom = createR2Secret(credentials({ jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' }), { name: 's', ...session, scope: ['s3://b'] }).sql;
    assert.match(custom, /ENDPOINT '127\.0\.0\.1:9000',\n {4}URL_STYLE 'path',\n {4}USE_SSL false/);
    assert.match(createR2Secret(credentials(), { name: 's', ...session, scope: ['r2://b'] }).sql, /TYPE r2,/);
  });

  it('is one statement the real parser accepts; without httpfs the binder names the missing s3 type', async function () {
    const statement = createR2Secret(credentials(), { name: 'r2_s3', ...session, scope: ["s3://b'c"] });
    assert.equal((await db.extractStatements(statement.sql)).count, 1);
    const copied = copyR2Secret(credentials(), { name: 'r2_s3', ...session, scope: ['s3://b'] });
    assert.equal((await db.extractStatements(copied)).count, 1);
    assert.ok(copied.includes(`KEY_ID '${KEY_ID_PLACEHOLDER}'`) && copied.includes(`SECRET '${SECRET_PLACEHOLDER}'`) && copied.includes('TYPE s3'));
    // Autoloading is off in this instance: with httpfs at hand, load it as the session would.
    if (extensionDir) await db.run('LOAD httpfs');
    try {
      await db.run(statement.sql);
    } catch (error) {
      const message = (error as Error).message;
      assert.doesNotMatch(message, /Parser Error/);
      assert.match(message, /Secret type 's3' does not exist/);
      assert.ok(!extensionDir, `with httpfs the secret is created: ${message}`);
      return;
    }
    assert.ok(extensionDir, 'only with httpfs does TYPE s3 exist');
    const rows = (await db.runAndReadAll("SELECT type, secret_string FROM duckdb_secrets() WHERE name = 'r2_s3'")).getRowObjectsJson();
    const listed = { type: rows[0]?.type as string, fields: parseSecretString(rows[0]?.secret_string as string) };
    assert.equal(listed.type, 's3');
    assert.ok(listed && isR2Backed(listed));
  });

  it('the tree tells R2-backed s3 secrets from other s3 ones; Copy as SQL rebuilds them', async () => {
    const listed: SecretInfo = {
      name: 'r2_s3',
      type: 's3',
      provider: 'config',
      persistent: false,
      storage: 'memory',
      scope: ['s3://lake'],
      fields: new Map([
        ['endpoint', `${TEST_ACCOUNT_ID}.r2.cloudflarestorage.com`],
        ['region', 'auto'],
        ['url_style', 'path'],
        ['use_ssl', 'true'],
      ]),
    };
    assert.equal(isR2Backed(listed), true);
    assert.equal(isR2Backed({ ...listed, fields: new Map([['endpoint', '127.0.0.1:9000'], ['region', 'auto']]) }), true, "R2's region auto marks a custom endpoint");
    assert.equal(isR2Backed({ ...listed, fields: new Map([['endpoint', 's3.amazonaws.com'], ['region', 'eu-west-1']]) }), false);
    const text = copyListedSecret(listed);
    assert.match(text, /TYPE s3,\n {4}KEY_ID '<R2_ACCESS_KEY_ID>',\n {4}SECRET '<R2_SECRET_KEY>',\n {4}REGION 'auto',\n {4}ENDPOINT '0123456789abcdef0123456789abcdef\.r2\.cloudflarestorage\.com',\n {4}URL_STYLE 'path',\n {4}USE_SSL true,\n {4}SCOPE 's3:\/\/lake'/);
    assert.equal((await db.extractStatements(text)).count, 1);
    assert.throws(() => copyListedSecret({ ...listed, fields: new Map([['region', 'us-east-1']]) }), /Copy as SQL works for R2 secrets/);
  });

  it('Copy Query writes s3:// when an R2-backed s3 secret covers the bucket, else r2://', () => {
    const secret = (type: string, scope: string[], region = 'auto'): SecretInfo => ({
      name: `${type}_${scope.join('_')}`,
      type,
      provider: 'config',
      persistent: false,
      storage: 'memory',
      scope,
      fields: new Map([['region', region]]),
    });
    assert.equal(schemeFromSecrets([], 'lake'), 'r2');
    assert.equal(schemeFromSecrets([secret('r2', ['r2://lake'])], 'lake'), 'r2');
    assert.equal(schemeFromSecrets([secret('s3', ['s3://lake'])], 'lake'), 's3');
    assert.equal(schemeFromSecrets([secret('s3', ['s3://lake/part/'])], 'lake'), 'r2', 'a narrower scope does not cover the bucket');
    assert.equal(schemeFromSecrets([secret('s3', ['s3://other'])], 'lake'), 'r2');
    assert.equal(schemeFromSecrets([secret('s3', [])], 'lake'), 's3', "the default scope is every s3:// path");
    assert.equal(schemeFromSecrets([secret('s3', ['s3://lake'], 'eu-west-1')], 'lake'), 'r2', 'an AWS secret is not R2');
    assert.equal(objectQuery('lake', 'a/b.parquet', 's3'), "FROM read_parquet('s3://lake/a/b.parquet');");
  });

  it('lists a local S3 server through s3:// with the R2-backed form (needs httpfs)', async function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding httpfs to list through s3://');
      this.skip();
    }
    const server = await S3Server.start({ buckets: ['lake'] });
    try {
      await server.put('lake', 'sales/2024.csv', 'x\n1\n');
      const local = credentials({ jurisdiction: 'custom', customEndpoint: server.endpoint, bucket: 'lake', ...S3RVER_KEY });
      await db.run('LOAD httpfs');
      await db.run(createR2Secret(local, { name: 'r2_s3_local', ...session, scope: ['s3://lake'] }).sql);
      const rows = (await db.runAndReadAll("SELECT file FROM glob('s3://lake/**/*.csv')")).getRowObjectsJson();
      assert.deepEqual(rows, [{ file: 's3://lake/sales/2024.csv' }]);
    } finally {
      await server.stop();
    }
  });
});
