/**
 * Preview and Copy Query against a real in-memory DuckDB reading local files: DuckDB reads local
 * paths the way it reads r2:// ones (those need httpfs, which this tier does not have).
 */
import * as assert from 'node:assert/strict';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldListing } from '../../../../src/core/bucket/bucketFolding';
import { folderQuery, objectQuery, previewStatements, readFunctionFor } from '../../../../src/core/bucket/bucketQueries';
import { folderQueriesFor } from '../../../../src/core/bucket/folderDatasets';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { cellText, loadPreview, loadRawObject, previewHtml, type ObjectPreview } from '../../../../src/core/bucket/objectPreview';

describe('object preview (local files, real DuckDB)', () => {
  let session: DuckDBSession;
  let log: MemoryLogger;
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-preview-'));
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
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
    assert.deepEqual(preview.rows[0], ['0', 'name 0', null, '[0,1]']);
    assert.deepEqual(preview.rows[1], ['1', 'name 1', '1.5', '[1,2]']);
    assert.equal(preview.totalRows, 250, 'from the Parquet metadata');
    assert.match(previewHtml(preview, 'N', 'c'), /first 100 of 250 rows/);
  });

  it('shows numbers inside STRUCT, LIST and MAP values as numbers', async () => {
    await session.run(
      `COPY (SELECT {'a': 0, 'b': 'x', 'c': 1.5} AS s, [0, 0, NULL]::BIGINT[] AS l, MAP {'k': 7} AS m, [1, 2]::INTEGER[2] AS fixed, 'it"s' AS "odd ""name""")
             TO '${file('nested.parquet')}' (FORMAT parquet)`,
    );
    const preview = await loadPreview(session, file('nested.parquet'));
    assert.deepEqual(preview.rows[0], ['{"a":0,"b":"x","c":1.5}', '[0,0,null]', '{"k":7}', '[1,2]', 'it"s']);
    assert.equal(preview.totalRows, 1);
    assert.match(previewHtml(preview, 'N', 'c'), / · 1 row · /);
  });

  it('cuts long cells (whole text on hover) and keeps the row number column in view', async () => {
    const long = 'word '.repeat(200).trim();
    fs.writeFileSync(file('long.csv'), `id,text\n1,"${long}"\n2,"two\nlines"\n`);
    const html = previewHtml(await loadPreview(session, file('long.csv')), 'N', 'c');
    assert.ok(html.includes(`title="${long}"`), 'the whole text is the tooltip');
    assert.match(html, /<td class="cut" title="[^"]+">(word ){24}…<\/td>/);
    assert.match(html, /<td class="cut" title="two\nlines">two↵lines<\/td>/);
    assert.match(html, /\.n \{ position: sticky; left: 0;/);
    assert.match(html, /<th scope="col" class="n">#<\/th>/);
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
    fs.writeFileSync(file('fake.parquet'), 'this is not parquet at all, just text');
    await assert.rejects(loadPreview(session, file('fake.parquet')), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.match(e.message, /^fake\.parquet is not a Parquet file: it does not start and end with Parquet's magic bytes\./);
      assert.deepEqual(e.actions.map((a) => [a.command, a.args]), [['duckdbSecrets.openRawObject', [file('fake.parquet')]]]);
      return true;
    });
    fs.writeFileSync(file('dup.json'), '{"a": 1, "a": 2}\n');
    await assert.rejects(loadPreview(session, file('dup.json')), (e) => e instanceof UserFacingError && /^dup\.json is not JSON that DuckDB can read as rows\./.test(e.message));
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }], 'the session stays usable');
  });

  it('opens the raw object: UTF-8 as it is, other bytes escaped, large ones refused before download', async () => {
    fs.writeFileSync(file('bad.json'), '{"a": 1, "a": 2} été\n');
    assert.deepEqual(await loadRawObject(session, file('bad.json')), { path: file('bad.json'), text: '{"a": 1, "a": 2} été\n', size: 23, utf8: true });
    fs.writeFileSync(file('bin.parquet'), Buffer.from([0x50, 0x41, 0xff, 0x00, 0x31]));
    const binary = await loadRawObject(session, file('bin.parquet'));
    assert.equal(binary.utf8, false);
    assert.match(binary.text, /^PA\\xFF\\x001$/);
    await assert.rejects(loadRawObject(session, file('data.parquet'), 100), (e) => e instanceof UserFacingError && /data\.parquet is .* too large to open as text here/.test(e.message));
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
  it('names only the file in what it refuses, and says which step refuses a key with path syntax', async () => {
    await assert.rejects(loadPreview(session, file('notes.txt')), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.equal(e.message, 'Preview shows .parquet, .csv, .json and .ndjson files; notes.txt is none of these.');
      return true;
    });
    await assert.rejects(loadPreview(session, 'r2://lake/a.parquet?s3_endpoint=evil.example'), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.match(e.message, /^Preview refuses this object: its key contains "\?"/);
      return true;
    });
  });

  it('the log names each step of a preview and of opening a raw object', async () => {
    log.lines.length = 0;
    await loadPreview(session, file('data.parquet'), 5);
    await loadPreview(session, file('small.csv'));
    await loadRawObject(session, file('small.csv'));
    fs.writeFileSync(file('latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await loadRawObject(session, file('latin1.txt'));
    const steps = log.lines.map((line) => /^trace duckdb: (.*) \(\d+ ms\)$/.exec(line)?.[1]).filter((step) => step !== undefined);
    assert.deepEqual(steps, [
      'preview schema (read_parquet)',
      'preview rows (read_parquet)',
      'preview row count (parquet metadata)',
      'preview schema (read_csv)',
      'preview rows (read_csv)',
      'raw object size',
      'raw object (text)',
      'raw object size',
      'raw object (bytes)',
    ]);
  });

  it('gives a CSV\'s row count only when it read fewer rows than the limit', async () => {
    fs.writeFileSync(file('five.csv'), 'n\n1\n2\n3\n4\n5\n');
    const before = performance.now();
    const cut = await loadPreview(session, file('five.csv'), 2);
    const took = performance.now() - before;
    const { elapsedMs, ...rest } = cut;
    assert.ok(elapsedMs >= 0 && elapsedMs <= took, `${elapsedMs} ms within the ${took} ms the call took`);
    assert.deepEqual(rest, { path: file('five.csv'), reader: 'read_csv', columns: [{ name: 'n', type: 'BIGINT' }], rows: [['1'], ['2']], limit: 2 });
    assert.match(previewHtml(cut, 'N', 'c'), / · first 2 of more rows · /);
    assert.equal((await loadPreview(session, file('five.csv'), 5)).totalRows, undefined, 'as many rows as the limit: there may be more');
    const whole = await loadPreview(session, file('five.csv'), 6);
    assert.equal(whole.totalRows, 5);
    assert.match(previewHtml(whole, 'N', 'c'), /1 column · 5 rows · read_csv · \d+ ms/);
  });

  it('renders the header, the schema, numbered rows and NULL cells', async () => {
    fs.writeFileSync(file('nulls.csv'), 'city,people\nBern,\nZürich,436000\n');
    const html = previewHtml(await loadPreview(session, file('nulls.csv')), 'N', 'c');
    assert.ok(html.includes('<title>nulls.csv</title>'));
    assert.ok(html.includes(`<h1>${file('nulls.csv')}</h1>`));
    assert.ok(
      html.includes(
        '<thead><tr><th scope="col" class="n">#</th><th scope="col" title="VARCHAR">city<span class="type">VARCHAR</span></th><th scope="col" title="BIGINT">people<span class="type">BIGINT</span></th></tr></thead>',
      ),
      html,
    );
    assert.ok(html.includes('<ul><li><code>city</code> <span class="type">VARCHAR</span></li><li><code>people</code> <span class="type">BIGINT</span></li></ul>'), html);
    assert.ok(html.includes('<tbody>\n<tr><td class="n">1</td><td>Bern</td><td class="null">NULL</td></tr>\n<tr><td class="n">2</td><td>Zürich</td><td>436000</td></tr>\n</tbody>'), html);
  });

  it('says how many columns and rows it shows, out of how many', () => {
    const preview: ObjectPreview = { path: 'r2://lake/a/one.csv', reader: 'read_csv', columns: [{ name: 'only', type: 'VARCHAR' }], rows: [['x']], limit: 1, elapsedMs: 7.4 };
    const summary = (p: ObjectPreview) => /<div class="summary">(.*)<\/div>/.exec(previewHtml(p, 'N', 'c'))?.[1];
    assert.equal(summary(preview), '1 column · first 1 of more rows · read_csv · 7 ms');
    assert.equal(summary({ ...preview, totalRows: 1 }), '1 column · 1 row · read_csv · 7 ms');
    assert.equal(summary({ ...preview, totalRows: 1234567, elapsedMs: 1500.5 }), '1 column · first 1 of 1,234,567 rows · read_csv · 1501 ms');
    assert.equal(summary({ ...preview, rows: [], totalRows: 0 }), '1 column · 0 rows · read_csv · 7 ms');
    assert.match(previewHtml(preview, 'N', 'c'), /<title>one\.csv<\/title>/);
  });

  it('shows a cell of up to 120 characters on one line whole, and cuts a longer or multi-line one', () => {
    const html = (text: string) => {
      const preview: ObjectPreview = { path: '/t.csv', reader: 'read_csv', columns: [{ name: 't', type: 'VARCHAR' }], rows: [[text]], limit: 100, elapsedMs: 1 };
      return /<td class="n">1<\/td>(.*)<\/tr>/s.exec(previewHtml(preview, 'N', 'c'))?.[1];
    };
    const fits = 'a'.repeat(120);
    assert.equal(html(fits), `<td>${fits}</td>`);
    assert.equal(html(`${fits}b`), `<td class="cut" title="${fits}b">${fits}…</td>`);
    const twoLines = `${'a'.repeat(59)}\r\n${'b'.repeat(60)}`;
    assert.equal(html(twoLines), `<td class="cut" title="${twoLines}">${'a'.repeat(59)}↵${'b'.repeat(60)}</td>`);
    assert.equal(html('<i>&"\''), '<td>&#60;i&#62;&#38;&#34;&#39;</td>');
  });

  it('turns cell values into text: NULL stays null, NaN stays NaN, long text is cut at 10,000 characters', () => {
    assert.equal(cellText(null), null);
    assert.equal(cellText(undefined), null);
    assert.equal(cellText('x'), 'x');
    assert.equal(cellText(1.5), '1.5');
    assert.equal(cellText(Number.NaN), 'NaN');
    assert.equal(cellText(-Infinity), '-Infinity');
    assert.equal(cellText(false), 'false');
    assert.equal(cellText({ a: [1, null] }), '{"a":[1,null]}');
    const full = 'x'.repeat(10_000);
    assert.equal(cellText(full), full);
    assert.equal(cellText(`${full}yz`), `${full}…`);
  });

  it('opens a raw object up to the limit, says when it is missing, too large, or its path cannot be SQL', async () => {
    fs.writeFileSync(file('exact.json'), '{"a": 1}\n');
    assert.deepEqual(await loadRawObject(session, file('exact.json'), 9), { path: file('exact.json'), text: '{"a": 1}\n', size: 9, utf8: true });
    await assert.rejects(loadRawObject(session, file('exact.json'), 8), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.equal(e.message, 'exact.json is 9 B: too large to open as text here (the limit is 8 B). Query it, or download it.');
      return true;
    });
    await assert.rejects(loadRawObject(session, file('gone.json')), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.equal(e.message, `${file('gone.json')} was not found.`);
      return true;
    });
    await assert.rejects(loadRawObject(session, file('nul\0.json')), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.match(e.message, /^The object path contains a NUL character/);
      return true;
    });
  });
  it('a raw object that fails to load gets the preview\'s advice, without offering to open itself', async () => {
    // r2:// reads need httpfs, which this tier does not have: a runner fails the way httpfs does.
    const failing = (text: string): SqlRunner => ({
      run: () => Promise.reject(new Error(text)),
      query: () => Promise.reject(new Error(text)),
    });
    const path = 'r2://lake/data/x.json';
    const denied = failing(`HTTP Error: HTTP GET error reading '${path}' in region '' (HTTP 403 Forbidden)`);
    const previewError = await loadPreview(denied, path).catch((e: unknown) => e);
    const rawError = await loadRawObject(denied, path).catch((e: unknown) => e);
    assert.ok(previewError instanceof UserFacingError && rawError instanceof UserFacingError);
    assert.match(rawError.message, /^Access denied reading r2:\/\/lake\/data\/x\.json \(HTTP 403\)/);
    assert.equal(rawError.message, previewError.message);
    assert.ok(previewError.actions.some((a) => a.command === 'duckdbSecrets.openRawObject'));
    assert.deepEqual(rawError.actions, [{ title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials', args: [] }]);
    await assert.rejects(loadRawObject(failing('INTERRUPT Error: Interrupted!'), path), (e) => e instanceof CancelledError);
  });
});
