/**
 * Which scheme Copy Query writes for a bucket: from a listing (pure) and from the real session's
 * secrets, falling back to `r2://` when the secrets cannot be read.
 */
import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { bucketScheme, schemeFromSecrets } from '../../../../src/core/secrets/pathScheme';
import type { SecretInfo } from '../../../../src/core/secrets/secretsModel';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;

const secret = (type: string, scope: string[], region = 'auto'): SecretInfo => ({
  name: `${type}_secret`,
  type,
  provider: 'config',
  persistent: false,
  storage: 'memory',
  scope,
  fields: new Map([['region', region]]),
});

describe('pathScheme', () => {
  it('one covering scope among several is enough for s3://', () => {
    assert.equal(schemeFromSecrets([secret('s3', ['s3://other', 's3://lake'])], 'lake'), 's3');
    assert.equal(schemeFromSecrets([secret('s3', ['s3://lake', 's3://other'])], 'lake'), 's3');
  });

  it('a scope is a prefix: the bucket with or without its slash, or a wider prefix, covers it', () => {
    assert.equal(schemeFromSecrets([secret('s3', ['s3://lake/'])], 'lake'), 's3');
    assert.equal(schemeFromSecrets([secret('s3', ['s3://'])], 'lake'), 's3');
    assert.equal(schemeFromSecrets([secret('s3', ['s3://lakehouse'])], 'lake'), 'r2', 'a longer bucket name is another bucket');
    assert.equal(schemeFromSecrets([secret('s3', ['r2://lake'])], 'lake'), 'r2');
  });

  it('an r2 secret, even with the default scope, never makes the bucket s3://', () => {
    assert.equal(schemeFromSecrets([secret('r2', [])], 'lake'), 'r2');
    assert.equal(schemeFromSecrets([secret('r2', []), secret('s3', ['s3://lake'], 'us-east-1')], 'lake'), 'r2');
  });

  describe('bucketScheme against the session', () => {
    let session: DuckDBSession;
    beforeEach(() => {
      const options = testDuckDBOptions(extensionDir ? { extension_directory: extensionDir, allow_unsigned_extensions: 'true' } : {});
      session = new DuckDBSession({ path: ':memory:', options }, new MemoryLogger());
    });
    afterEach(() => session.dispose());

    it('is r2:// with no secrets, and r2:// when the secrets cannot be read', async () => {
      assert.equal(await bucketScheme(session, 'lake'), 'r2');
      session.dispose();
      await assert.rejects(session.query('SELECT 1'));
      assert.equal(await bucketScheme(session, 'lake'), 'r2');
    });

    it('is s3:// when the session holds an R2-backed s3 secret for the bucket (httpfs)', async function () {
      if (!extensionDir) this.skip();
      // Non-secret placeholders: the key pair is never used, the listing redacts it.
      await session.run("CREATE SECRET lake_s3 (TYPE s3, KEY_ID 'placeholder-id', SECRET 'placeholder-secret', REGION 'auto', SCOPE 's3://lake')");
      assert.equal(await bucketScheme(session, 'lake'), 's3');
      assert.equal(await bucketScheme(session, 'other'), 'r2');
    });
  });
});
