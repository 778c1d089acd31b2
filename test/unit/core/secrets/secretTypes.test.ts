import * as assert from 'node:assert/strict';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { LocalSecrets } from '../../../../src/core/secrets/localSecrets';
import { createHttpSecret, dropSecret } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords } from '../../../../src/core/secrets/sessionSecretRecords';
import { knownSchemes, secretTypeForPath } from '../../../../src/core/secrets/secretTypes';

describe('secretTypeForPath', () => {
  it('maps each scheme DuckDB reads through a secret to the type which_secret needs', () => {
    const table: [string, string | undefined][] = [
      ['s3://eo-pv-lakehouse/curated/x.parquet', 's3'],
      ['s3a://bucket/x', 's3'],
      ['s3n://bucket/x', 's3'],
      ['r2://eo_pv_lakehouse/x', 'r2'],
      ['gcs://bucket/x', 'gcs'],
      ['gs://bucket/x', 'gcs'],
      ['az://container/x', 'azure'],
      ['azure://container/x', 'azure'],
      ['abfss://container@account.dfs.core.windows.net/x', 'azure'],
      ['hf://datasets/org/name/x.parquet', 'huggingface'],
      ['http://host/x.csv', 'http'],
      ['https://host/x.csv', 'http'],
      ['  S3://Bucket/x', 's3'],
      ['/home/me/data.parquet', undefined],
      ['data/x.parquet', undefined],
      ['ftp://host/x', undefined],
      ['md:analytics', undefined],
      ['local/s3://not-a-scheme', undefined],
      ['constructor://x', undefined],
      ['toString://x', undefined],
      ['__proto__://x', undefined],
    ];
    assert.deepEqual(
      table.map(([path]) => [path, secretTypeForPath(path)]),
      table,
    );
    assert.match(knownSchemes(), /^s3:\/\/, s3a:\/\/, .*hf:\/\/, http:\/\/, https:\/\/$/);
  });

  describe('with which_secret in a real DuckDB (built-in http type)', () => {
    let session: DuckDBSession;
    let secrets: LocalSecrets;

    before(() => {
      session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, new MemoryLogger());
      secrets = new LocalSecrets(session, new MemoryLogger(), new SessionSecretRecords(new MemoryRecordStorage()));
    });
    after(() => session.dispose());
    const db = { run: (sql: string) => session.run(sql) };

    it('finds the secret whose type the scheme names, which an r2 lookup misses', async () => {
      await db.run(createHttpSecret({ bearerToken: 't' }, { name: 'lake_http', persistence: 'session', replace: true, scope: ['https://lake.example/curated'] }).sql);
      await db.run(createHttpSecret({ bearerToken: 'p' }, { name: 'plain_http', persistence: 'session', replace: true, scope: ['http://plain.example'] }).sql);
      const path = 'https://lake.example/curated/pv/data.parquet';
      assert.equal(await secrets.which(path, 'r2'), undefined, 'the type the palette used to ask about');
      assert.deepEqual(await secrets.which(path, secretTypeForPath(path)), { name: 'lake_http', storage: 'memory', persistent: false });
      const plain = 'http://plain.example/x.csv';
      assert.equal((await secrets.which(plain, secretTypeForPath(plain)))?.name, 'plain_http');
      await db.run(dropSecret('lake_http', 'memory').sql);
      await db.run(dropSecret('plain_http', 'memory').sql);
    });
  });
});
