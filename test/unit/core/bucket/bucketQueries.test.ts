/**
 * The SQL the Bucket view hands out and runs, as text: which reader a key gets, the glob of a
 * folder's files, refusals of keys DuckDB would misread or cannot take, and the read check of Test
 * R2 Bucket. That DuckDB runs these is shown in objectPreview.test.ts and folderDatasets.test.ts.
 */
import * as assert from 'node:assert/strict';
import { extensionGlob, folderQuery, isNestedType, objectQuery, previewStatements, quoteIdentifier, readCheckStatement, readFunctionFor } from '../../../../src/core/bucket/bucketQueries';
import { UserFacingError } from '../../../../src/core/errors';

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof UserFacingError, String(error));
    return error.message;
  }
  assert.fail('nothing was refused');
}

describe('bucket queries (bucketQueries)', () => {
  it('a reader by the last extension only, compressed or not', () => {
    const readers = ['a.parquet', 'd/a.PARQUET', 'a.csv.gz', 'a.tsv', 'a.ndjson.zst', 'a.jsonl', 'a.json', 'backup/t.gz.parquet.gz', 'a.parquet.bak', 'a.csv.old', 'a.json.tmp', 'a.gz', 'parquet'].map(
      (key) => [key, readFunctionFor(key)],
    );
    assert.deepEqual(readers, [
      ['a.parquet', 'read_parquet'],
      ['d/a.PARQUET', 'read_parquet'],
      ['a.csv.gz', 'read_csv'],
      ['a.tsv', 'read_csv'],
      ['a.ndjson.zst', 'read_json'],
      ['a.jsonl', 'read_json'],
      ['a.json', 'read_json'],
      ['backup/t.gz.parquet.gz', 'read_parquet'],
      ['a.parquet.bak', undefined],
      ['a.csv.old', undefined],
      ['a.json.tmp', undefined],
      ['a.gz', undefined],
      ['parquet', undefined],
    ]);
  });

  it('the glob of a file\'s kind is its last extension (with .gz or .zst), else everything', () => {
    assert.equal(extensionGlob('a.parquet'), '*.parquet');
    assert.equal(extensionGlob('logs/archive.v1.csv'), '*.csv');
    assert.equal(extensionGlob('logs/a.csv.gz'), '*.csv.gz');
    assert.equal(extensionGlob('x.v2/README'), '*');
    assert.equal(extensionGlob('README'), '*');
  });

  it('object and folder queries: a bare path for an unknown kind, refusals naming Copy Query and the path', () => {
    assert.equal(objectQuery('lake', 'docs/README.md'), "FROM 'r2://lake/docs/README.md';");
    assert.equal(objectQuery('lake', 'a.csv', 's3'), "FROM read_csv('s3://lake/a.csv');");
    assert.match(refusal(() => objectQuery('lake', 'a?x-id=1.csv')), /^Copy Query refuses this object: its key contains "\?"/);
    assert.match(refusal(() => objectQuery('lake', 'a\0.csv')), /^The object path contains a NUL character/);
    assert.match(refusal(() => folderQuery('lake', 'b\uDC00/', 'b/x.csv', false)), /^The folder path contains an unpaired UTF-16 surrogate/);
    assert.match(refusal(() => folderQuery('lake', 'b*/', 'b/x.csv', false)), /^Copy Query refuses this object: its key contains "\*"/);
    assert.equal(folderQuery('lake', 'p/', 'p/x.json', true, 's3'), "FROM read_json('s3://lake/p/**/*.json', hive_partitioning = true);");
  });

  it('a preview and a read check refuse a path DuckDB cannot take in SQL text', () => {
    assert.match(refusal(() => previewStatements('/tmp/a\0.csv', 'read_csv', 10)), /^The object path contains a NUL character/);
    assert.match(refusal(() => readCheckStatement('r2://lake/a\0.csv', 'local')), /^The object path contains a NUL character/);
  });

  it('nested types are STRUCT, MAP, UNION and lists or arrays, not an ENUM whose values look like them', () => {
    const types = ['STRUCT(a INTEGER)', 'map(VARCHAR, INTEGER)', 'UNION(n INTEGER, s VARCHAR)', 'BIGINT[]', 'INTEGER[3]', 'VARCHAR', "ENUM('[draft]', 'final')", "ENUM('MAP(', 'x')", 'DECIMAL(18,3)'];
    assert.deepEqual(
      types.filter((t) => isNestedType(t)),
      ['STRUCT(a INTEGER)', 'map(VARCHAR, INTEGER)', 'UNION(n INTEGER, s VARCHAR)', 'BIGINT[]', 'INTEGER[3]'],
    );
  });

  it('a column name is quoted with its quotes doubled', () => {
    assert.equal(quoteIdentifier('odd "name"'), '"odd ""name"""');
    assert.equal(quoteIdentifier('plain'), '"plain"');
  });

  it('the local read check reads a Parquet footer or the bytes, named for the log', () => {
    assert.deepEqual(readCheckStatement('r2://lake/p.PARQUET', 'local'), {
      sql: "SELECT count(*)::INTEGER AS n FROM parquet_schema('r2://lake/p.PARQUET')",
      describe: 'read parquet footer',
      what: 'parquet footer',
      ranIn: 'local',
      parses: true,
    });
    assert.deepEqual(readCheckStatement('r2://lake/p.parquet.bak', 'local'), {
      sql: "SELECT octet_length(content)::DOUBLE AS bytes FROM read_blob('r2://lake/p.parquet.bak')",
      describe: 'read object',
      what: 'object',
      ranIn: 'local',
      parses: false,
    });
  });
});
