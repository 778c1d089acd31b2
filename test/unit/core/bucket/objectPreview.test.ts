/**
 * Preview and Copy Query against a real in-memory DuckDB reading local files: DuckDB reads local
 * paths the way it reads r2:// ones (those need httpfs, which this tier does not have).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldListing } from '../../../../src/core/bucket/bucketFolding';
import { folderQuery, objectQuery, previewStatements, readFunctionFor } from '../../../../src/core/bucket/bucketQueries';
import { folderQueriesFor } from '../../../../src/core/bucket/folderDatasets';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { loadPreview, previewHtml } from '../../../../src/core/bucket/objectPreview';

describe('object preview (local files, real DuckDB)', () => {
  let session: DuckDBSession;
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-preview-'));
    session = new DuckDBSession({ path: ':memory:', options: {} }, new MemoryLogger());
    await session.run(
      `COPY (SELECT range AS id, 'name ' || range AS name, CASE WHEN range % 3 = 0 THEN NULL ELSE range * 1.5 END::DOUBLE AS score, [range, range + 1] AS pair
             FROM range(250)) TO '${file('data.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 100)`,
    );
    fs.writeFileSync(file('small.csv'), 'city,people\n"Zürich",436000\n"<b>Bern</b>",134000\n');
    fs.writeFileSync(file('events.ndjson'), '{"kind":"a","n":1}\n{"kind":"b","n":2,"extra":{"x":true}}\n');
    fs.mkdirSync(file('sales/year=2024/month=01'), { recursive: true });
    await session.run(`COPY (SELECT 1 AS amount) TO '${file('sales/year=2024/month=01/part-0.parquet')}' (FORMAT parquet)`);
  });
  after(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the schema and the first 100 rows of a Parquet file', async () => {
    const preview = await loadPreview(session, file('data.parquet'));
    assert.equal(preview.reader, 'read_parquet');
    assert.deepEqual(preview.columns, [
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'pair', type: 'BIGINT[]' },
    ]);
    assert.equal(preview.rows.length, 100);
    assert.deepEqual(preview.rows[0], ['0', 'name 0', null, '["0","1"]']);
    assert.deepEqual(preview.rows[1], ['1', 'name 1', '1.5', '["1","2"]']);
  });

  it('reads CSV and newline-delimited JSON', async () => {
    const csv = await loadPreview(session, file('small.csv'));
    assert.deepEqual(csv.columns.map((c) => c.name), ['city', 'people']);
    assert.deepEqual(csv.rows, [
      ['Zürich', '436000'],
      ['<b>Bern</b>', '134000'],
    ]);
    const json = await loadPreview(session, file('events.ndjson'));
    assert.equal(json.reader, 'read_json');
    assert.deepEqual(json.rows.map((r) => r[0]), ['a', 'b']);
    assert.equal(json.columns.length, 3);
  });

  it('renders a themed, script-free page that escapes cell text', async () => {
    const html = previewHtml(await loadPreview(session, file('small.csv')), 'NONCE123', 'vscode-resource:');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'nonce-NONCE123'/);
    assert.ok(!/<script/i.test(html));
    assert.ok(html.includes('&#60;b&#62;Bern&#60;/b&#62;'), 'cell HTML is escaped');
    assert.ok(!html.includes('<b>Bern'));
    assert.match(html, /var\(--vscode-editor-background\)/);
    assert.match(html, /2 columns · 2 rows · read_csv/);
  });

  it('refuses files it cannot preview, and translates DuckDB failures', async () => {
    await assert.rejects(loadPreview(session, file('notes.txt')), (e) => e instanceof UserFacingError && /notes\.txt is none of these/.test(e.message));
    await assert.rejects(loadPreview(session, file('missing.parquet')), (e) => e instanceof UserFacingError && /DuckDB failed to preview .*missing\.parquet/.test(e.message));
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }], 'the session stays usable');
  });

  it('builds copy queries that DuckDB runs, with Hive partitions as columns', async () => {
    const local = (q: string) => q.replace('r2://lake/', `${dir}/`);
    const listing = await foldListing('lake', [
      { key: 'data.parquet', size: 1 },
      { key: 'sales/year=2024/month=01/part-0.parquet', size: 1 },
      { key: 'sales/year=2024/month=01/_SUCCESS', size: 0 },
    ]);
    const query = (await folderQueriesFor(listing, 'sales/')).choices[0]?.query ?? '';
    assert.equal(query, "FROM read_parquet('r2://lake/sales/**/*.parquet', hive_partitioning = true);");
    assert.deepEqual(await session.query(`SELECT amount, year, month ${local(query).replace(/;$/, '')}`), [{ amount: 1, year: '2024', month: '01' }]);

    assert.equal(objectQuery('lake', 'data.parquet'), "FROM read_parquet('r2://lake/data.parquet');");
    const rows = await session.query(`SELECT count(*) AS n ${local(objectQuery('lake', 'data.parquet')).replace(/;$/, '')}`);
    assert.deepEqual(rows, [{ n: '250' }]);

    assert.equal(folderQuery('lake', 'logs/', 'logs/a.csv.gz', false), "FROM read_csv('r2://lake/logs/**/*.csv.gz');");
    assert.equal(folderQuery('lake', "it's/", undefined, false), "SELECT * FROM glob('r2://lake/it''s/**/*');");
    assert.equal(readFunctionFor('a/b.NDJSON'), 'read_json');
    assert.equal(readFunctionFor('a/b.txt'), undefined);
    assert.equal(previewStatements("/tmp/o'k.csv", 'read_csv', 100).rows, "SELECT * FROM read_csv('/tmp/o''k.csv') LIMIT 100");
  });
});
