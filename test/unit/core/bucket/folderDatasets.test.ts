/**
 * Copy Query on a folder of several datasets: one query per dataset (sub-folder, format), or all
 * of a format together with union_by_name. The queries run against the real DuckDB over local files
 * laid out like the bucket (DuckDB reads local paths as it reads r2:// ones).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldListing } from '../../../../src/core/bucket/bucketFolding';
import { folderQueriesFor } from '../../../../src/core/bucket/folderDatasets';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';

describe('Copy Query on a folder of several datasets (local files, real DuckDB)', () => {
  let session: DuckDBSession;
  let dir: string;
  const KEYS = ['curated/sites/part-0.parquet', 'curated/weather/year=2024/part-0.parquet', 'curated/notes/n.csv', 'curated/readme.md', 'mixed/a.parquet', 'mixed/b.csv', 'one/year=2024/p.parquet', 'one/year=2025/p.parquet'];
  const local = (query: string) => query.replaceAll('r2://lake/', `${dir}/`).replace(/;$/, '');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-datasets-'));
    session = new DuckDBSession({ path: ':memory:', options: {} }, new MemoryLogger());
    for (const key of KEYS) fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    const write = (key: string, select: string) => session.run(`COPY (${select}) TO '${path.join(dir, key)}' (FORMAT parquet)`);
    await write('curated/sites/part-0.parquet', "SELECT 1 AS site_id, 'Bern' AS city");
    await write('curated/weather/year=2024/part-0.parquet', 'SELECT 1 AS site_id, 21.5 AS temperature');
    await write('mixed/a.parquet', 'SELECT 1 AS x');
    await write('one/year=2024/p.parquet', 'SELECT 1 AS v');
    await write('one/year=2025/p.parquet', 'SELECT 2 AS v');
    fs.writeFileSync(path.join(dir, 'curated/notes/n.csv'), 'note\nhello\n');
    fs.writeFileSync(path.join(dir, 'curated/readme.md'), '# hi\n');
    fs.writeFileSync(path.join(dir, 'mixed/b.csv'), 'y\n2\n');
  });
  after(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const listing = () => foldListing('lake', KEYS.map((key) => ({ key, size: 1 })));

  it('the usual glob over sub-folders with different columns fails in DuckDB (why this exists)', async () => {
    await assert.rejects(session.query(`SELECT * FROM read_parquet('${dir}/curated/**/*.parquet')`));
  });

  it('offers all of a format together with union_by_name, and one query per sub-folder, and says so', async () => {
    const found = await folderQueriesFor(await listing(), 'curated/');
    assert.equal(found.summary, '3 datasets (3 folders; csv and parquet)');
    assert.deepEqual(found.choices.map((c) => [c.label, c.query]), [
      ['All 2 parquet datasets together', "FROM read_parquet('r2://lake/curated/**/*.parquet', hive_partitioning = false, union_by_name = true);"],
      ['notes/ (csv)', "FROM read_csv('r2://lake/curated/notes/**/*.csv');"],
      ['sites/ (parquet)', "FROM read_parquet('r2://lake/curated/sites/**/*.parquet');"],
      ['weather/ (parquet)', "FROM read_parquet('r2://lake/curated/weather/**/*.parquet', hive_partitioning = true);"],
    ]);
    const together = await session.query(`SELECT site_id, city, temperature ${local(found.choices[0]!.query)} ORDER BY city NULLS LAST`);
    assert.deepEqual(together, [
      { site_id: 1, city: 'Bern', temperature: null },
      { site_id: 1, city: null, temperature: '21.5' },
    ]);
    for (const choice of found.choices.slice(1)) assert.ok((await session.query(`SELECT count(*) AS n ${local(choice.query)}`)).length === 1, choice.query);
  });

  it('parquet and csv side by side: one query per format, the csv is not dropped', async () => {
    const found = await folderQueriesFor(await listing(), 'mixed/');
    assert.deepEqual(found.choices.map((c) => c.query), ["FROM read_parquet('r2://lake/mixed/**/*.parquet');", "FROM read_csv('r2://lake/mixed/**/*.csv');"]);
    assert.equal(found.summary, '2 datasets (1 folder; parquet and csv)');
  });

  it('one dataset in Hive partitions: the one usual query', async () => {
    const found = await folderQueriesFor(await listing(), 'one/');
    assert.deepEqual(found.choices.map((c) => c.query), ["FROM read_parquet('r2://lake/one/**/*.parquet', hive_partitioning = true);"]);
    assert.equal(found.summary, undefined);
    assert.deepEqual(await session.query(`SELECT sum(v)::INTEGER AS s ${local(found.choices[0]!.query)}`), [{ s: 3 }]);
  });
});
