/**
 * Copy Query on a folder of several datasets: one query per dataset (sub-folder, format), or all
 * of a format together with union_by_name. The queries run against the real DuckDB over local files
 * laid out like the bucket (DuckDB reads local paths as it reads r2:// ones).
 */
import * as assert from 'node:assert/strict';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldListing } from '../../../../src/core/bucket/bucketFolding';
import type { BucketSource } from '../../../../src/core/bucket/bucketSource';
import { folderQueriesFor } from '../../../../src/core/bucket/folderDatasets';
import { UserFacingError } from '../../../../src/core/errors';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';

describe('Copy Query on a folder of several datasets (local files, real DuckDB)', () => {
  let session: DuckDBSession;
  let dir: string;
  const KEYS = ['curated/sites/part-0.parquet', 'curated/weather/year=2024/part-0.parquet', 'curated/notes/n.csv', 'curated/readme.md', 'mixed/a.parquet', 'mixed/b.csv', 'one/year=2024/p.parquet', 'one/year=2025/p.parquet'];
  const local = (query: string) => query.replaceAll('r2://lake/', `${dir}/`).replace(/;$/, '');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-datasets-'));
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, new MemoryLogger());
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
  describe('the choices for folders laid out in other ways (listing only)', () => {
    /** A snapshot of `keys` in bucket `lake`, and the prefixes it was asked to list. */
    async function bucketOf(keys: readonly string[], bucket = 'lake'): Promise<{ source: BucketSource; listed: string[] }> {
      const inner = await foldListing(bucket, keys.map((key) => ({ key, size: 1 })));
      const listed: string[] = [];
      const source: BucketSource = {
        kind: inner.kind,
        description: inner.description,
        bucket: inner.bucket,
        rootPrefix: inner.rootPrefix,
        listPrefix: (prefix, continuation, signal) => {
          listed.push(prefix);
          return inner.listPrefix(prefix, continuation, signal);
        },
      };
      return { source, listed };
    }
    const choicesOf = async (keys: readonly string[], prefix: string, bucket?: string) => folderQueriesFor((await bucketOf(keys, bucket)).source, prefix);

    it('one dataset: the whole folder, named after it (the bucket at its root)', async () => {
      assert.deepEqual(await choicesOf(['plain/x.parquet', 'plain/y.parquet'], 'plain/'), {
        choices: [{ label: 'plain', description: 'the whole folder', query: "FROM read_parquet('r2://lake/plain/**/*.parquet');" }],
      });
      assert.deepEqual(await choicesOf(['data/a.parquet'], '', 'solo'), {
        choices: [{ label: 'solo', description: 'the whole folder', query: "FROM read_parquet('r2://solo/**/*.parquet');" }],
      });
    });

    it('a folder that is itself a Hive partition reads its partition column', async () => {
      const found = await choicesOf(['sales/year=2024/a.parquet', 'sales/year=2024/_logs/run.txt'], 'sales/year=2024/');
      assert.deepEqual(found.choices.map((c) => c.query), ["FROM read_parquet('r2://lake/sales/year=2024/**/*.parquet', hive_partitioning = true);"]);
    });

    it('files next to sub-folders: the files are a dataset of their own, read without going down', async () => {
      const found = await choicesOf(['m/a.parquet', 'm/sub/b.parquet', 'm/sub2/c.json', 'm/sub3/d.csv', 'm/sub3/e.csv'], 'm/');
      assert.equal(found.summary, '4 datasets (3 folders; parquet, json and csv)');
      assert.deepEqual(found.choices, [
        {
          label: 'All 2 parquet datasets together',
          description: 'union_by_name = true: columns matched by name, missing ones NULL',
          query: "FROM read_parquet('r2://lake/m/**/*.parquet', union_by_name = true);",
        },
        { label: 'files in this folder (parquet)', description: '', query: "FROM read_parquet('r2://lake/m/*.parquet');" },
        { label: 'sub/ (parquet)', description: '', query: "FROM read_parquet('r2://lake/m/sub/**/*.parquet');" },
        { label: 'sub2/ (json)', description: '', query: "FROM read_json('r2://lake/m/sub2/**/*.json');" },
        { label: 'sub3/ (csv)', description: '', query: "FROM read_csv('r2://lake/m/sub3/**/*.csv');" },
      ]);
    });

    it('only files of two formats, the sub-folders holding nothing readable: no folder counted', async () => {
      const found = await choicesOf(['docs/a.parquet', 'docs/b.csv', 'docs/img/x.png'], 'docs/');
      assert.equal(found.summary, '2 datasets (parquet and csv)');
      assert.deepEqual(found.choices.map((c) => c.label), ['files in this folder (parquet)', 'files in this folder (csv)']);
    });

    it('a partition folder next to an ordinary one reads its partition columns; all-partitioned ones are read together with them', async () => {
      const mixed = await choicesOf(['mix/raw/a.csv', 'mix/year=2024/b.parquet'], 'mix/');
      assert.equal(mixed.summary, '2 datasets (2 folders; csv and parquet)');
      assert.deepEqual(mixed.choices, [
        { label: 'raw/ (csv)', description: '', query: "FROM read_csv('r2://lake/mix/raw/**/*.csv');" },
        { label: 'year=2024/ (parquet)', description: 'Hive partitions as columns', query: "FROM read_parquet('r2://lake/mix/year=2024/**/*.parquet', hive_partitioning = true);" },
      ]);
      const partitioned = await choicesOf(['hv/a/year=1/x.parquet', 'hv/b/year=2/y.parquet'], 'hv/');
      assert.equal(partitioned.choices[0]?.query, "FROM read_parquet('r2://lake/hv/**/*.parquet', hive_partitioning = true, union_by_name = true);");
    });

    it('a sub-folder whose name DuckDB reads as path syntax is left out', async () => {
      const found = await choicesOf(['odd/ok/y.parquet', 'odd/we[1]/x.parquet'], 'odd/');
      assert.deepEqual(found, { choices: [{ label: 'odd', description: 'the whole folder', query: "FROM read_parquet('r2://lake/odd/**/*.parquet');" }] });
    });

    it('a folder name DuckDB cannot take in SQL text is refused, naming the folder path', async () => {
      await assert.rejects(choicesOf(['sur/a\uD800/x.parquet', 'sur/b/y.csv'], 'sur/'), (e) => {
        assert.ok(e instanceof UserFacingError);
        assert.match(e.message, /^The folder path contains an unpaired UTF-16 surrogate/);
        return true;
      });
    });

    it('goes down at most 8 levels of single sub-folders to find the files', async () => {
      const eight = await bucketOf(['deep/a/b/c/d/e/f/g/h/x.parquet']);
      assert.deepEqual((await folderQueriesFor(eight.source, 'deep/')).choices.map((c) => c.query), ["FROM read_parquet('r2://lake/deep/**/*.parquet');"]);
      assert.equal(eight.listed.length, 9);
      const nine = await bucketOf(['deep/a/b/c/d/e/f/g/h/i/x.parquet']);
      assert.deepEqual((await folderQueriesFor(nine.source, 'deep/')).choices.map((c) => c.query), ["SELECT * FROM glob('r2://lake/deep/**/*');"]);
      assert.equal(nine.listed.length, 9);
      const empty = await bucketOf(['deep/a/b/c/notes.txt']);
      assert.deepEqual((await folderQueriesFor(empty.source, 'deep/')).choices.map((c) => c.query), ["SELECT * FROM glob('r2://lake/deep/**/*');"]);
    });

    it('stops at the first level with files', async () => {
      const found = await choicesOf(['top/a/x.parquet', 'top/a/more/y.csv'], 'top/');
      assert.deepEqual(found.choices.map((c) => c.query), ["FROM read_parquet('r2://lake/top/**/*.parquet');"]);
    });

    it('lists a Hive-partitioned folder once, then its first partition', async () => {
      const one = await bucketOf(KEYS);
      await folderQueriesFor(one.source, 'one/');
      assert.deepEqual(one.listed, ['one/', 'one/year=2024/']);
    });

    it('lists at most 40 pages to survey a folder of many sub-folders', async () => {
      const wide = await bucketOf(Array.from({ length: 50 }, (_, i) => `wide/f${String(i).padStart(2, '0')}/x.parquet`));
      const found = await folderQueriesFor(wide.source, 'wide/');
      assert.equal(wide.listed.length, 40);
      assert.equal(found.summary, '39 datasets (39 folders; parquet)');
      assert.equal(found.choices[0]?.label, 'All 39 parquet datasets together');
      assert.equal(found.choices.at(-1)?.label, 'f38/ (parquet)');
    });
  });
});
