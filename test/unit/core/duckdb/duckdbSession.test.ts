import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { loggedMilliseconds } from './sessionHarness';

describe('DuckDBSession', () => {
  let session: DuckDBSession;
  let log: MemoryLogger;

  beforeEach(() => {
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
  });
  afterEach(() => session.dispose());

  it('does not open DuckDB until the first statement', async () => {
    assert.equal(session.isOpen, false);
    const rows = await session.query('SELECT 42 AS answer');
    assert.equal(session.isOpen, true);
    assert.deepEqual(rows, [{ answer: 42 }]);
  });

  it('runs statements one at a time in submission order', async () => {
    await session.run('CREATE TABLE t (i INTEGER)');
    const inserts = Array.from({ length: 20 }, (_, i) => session.run(`INSERT INTO t VALUES (${i})`));
    const count = session.query('SELECT count(*)::INTEGER AS n, max(i) AS top FROM t');
    await Promise.all(inserts);
    assert.deepEqual(await count, [{ n: 20, top: 19 }]);
  });

  it('keeps working after a failed statement', async () => {
    await assert.rejects(session.run('SELECT * FROM no_such_table'), /no_such_table/);
    assert.deepEqual(await session.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  it('passes configuration options to the instance', async () => {
    session.dispose();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ threads: '1', allow_persistent_secrets: 'false' }) }, log);
    const rows = await session.query("SELECT current_setting('threads')::INTEGER AS threads, current_setting('allow_persistent_secrets') AS persistent");
    assert.deepEqual(rows, [{ threads: 1, persistent: false }]);
  });

  it('rejects an unknown option with DuckDB\'s message and opens on the next try once fixed', async () => {
    session.dispose();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ no_such_option: 'x' }) }, log);
    await assert.rejects(session.query('SELECT 1'), /no_such_option/);
    await session.restart({ path: ':memory:', options: testDuckDBOptions() });
    assert.deepEqual(await session.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  it('restart drops session state and applies the new configuration', async () => {
    await session.run("CREATE SECRET s (TYPE http, BEARER_TOKEN 'x')");
    await session.restart({ path: ':memory:', options: testDuckDBOptions({ threads: '2' }) });
    assert.equal(session.isOpen, false, 'the next statement opens the new instance');
    assert.equal(session.configuration.options.threads, '2');
    const rows = await session.query('SELECT count(*)::INTEGER AS n FROM duckdb_secrets()');
    assert.deepEqual(rows, [{ n: 0 }]);
  });

  it('runs start hooks before queued statements, on every start', async () => {
    let starts = 0;
    const seen: unknown[] = [];
    session.onStart(async (sql) => {
      starts++;
      await sql.run("CREATE SECRET from_hook (TYPE http, BEARER_TOKEN 'x')");
      await sql.run("CREATE SECRET described (TYPE http, BEARER_TOKEN 'x')", 'the keychain secret');
      seen.push(...(await sql.query('SELECT count(*)::INTEGER AS n FROM duckdb_secrets()')));
    });
    const names = async () => (await session.query('SELECT name FROM duckdb_secrets() ORDER BY name')).map((r) => r.name);
    assert.deepEqual(await names(), ['described', 'from_hook']);
    await session.restart();
    assert.deepEqual(await names(), ['described', 'from_hook']);
    assert.equal(starts, 2);
    assert.deepEqual(seen, [{ n: 2 }, { n: 2 }], 'a hook reads its own statements\' results');
    const hookLines = log.lines.filter((l) => l.endsWith('(start)'));
    assert.deepEqual(hookLines.slice(0, 2), ['trace duckdb: CREATE SECRET from_hook (start)', 'trace duckdb: the keychain secret (start)']);
  });

  it('logs how DuckDB opened, and durations no longer than the calls took', async () => {
    session.dispose();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ threads: '1' }) }, log);
    const began = performance.now();
    await session.query('SELECT 1');
    await assert.rejects(session.run('SELECT * FROM no_such_table', 'read the missing table'));
    const took = performance.now() - began;
    const opened = log.lines.filter((l) => l.includes(' opened '));
    assert.equal(opened.length, 1, log.lines.join('\n'));
    assert.match(opened[0] ?? '', /^info DuckDB v\d+\.\d+\.\d+\S* opened in memory with options secret_directory, threads \(library \d+ ms, instance \d+ ms\)$/);
    const failed = log.lines.filter((l) => l.startsWith('trace duckdb: read the missing table'));
    assert.match(failed.join('\n'), /^trace duckdb: read the missing table failed after \d+ ms$/);
    const reported = loggedMilliseconds([...opened, ...failed]);
    assert.ok(reported.length === 3 && reported.every((ms) => ms <= took + 1), `${took} ms in all, the log says: ${log.lines.join('\n')}`);
  });

  it('interrupt stops a long statement and leaves the session usable', async () => {
    const long = session.query('SELECT count(*) FROM range(10000000000) a');
    await new Promise((resolve) => setTimeout(resolve, 200));
    session.interrupt();
    await assert.rejects(long, /INTERRUPT/i);
    assert.deepEqual(await session.query('SELECT 2 AS two'), [{ two: 2 }]);
  });

  it('logs statement names, never their literals', async () => {
    await session.run("CREATE SECRET s (TYPE http, BEARER_TOKEN 'canary-token-value')");
    assert.ok(log.lines.length > 0);
    assert.ok(log.lines.every((line) => !line.includes('canary-token-value')), log.lines.join('\n'));
  });
});
