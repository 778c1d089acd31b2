/**
 * Cancel frees the session even when DuckDB is stuck in a native call that ignores its interrupt,
 * as httpfs is while a server accepts the connection and never answers. The stuck call here is
 * real: DuckDB reading a named pipe (FIFO) that no one writes blocks in open(2), outside any
 * interrupt check, until a writer comes. The test plays that writer at the end, so the abandoned
 * call returns and its instance is closed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { eventually, loggedMilliseconds, makeFifo, releaseFifo } from './sessionHarness';

describe('DuckDBSession cancel', () => {
  let dir: string;
  let fifo: string;
  let log: MemoryLogger;
  let session: DuckDBSession;
  let starts: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-cancel-'));
    fifo = makeFifo(dir);
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ threads: '1' }) }, log, { cancelGraceMs: 300 });
    starts = 0;
    session.onStart(async (sql) => {
      starts++;
      await sql.run("CREATE SECRET from_keychain (TYPE http, BEARER_TOKEN 'x')");
    });
  });
  afterEach(() => {
    releaseFifo(fifo);
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('does nothing when no statement runs', async () => {
    assert.equal(await session.cancel(), 'idle');
    await session.query('SELECT 1');
    assert.equal(await session.cancel(), 'idle');
  });

  it('interrupts a statement that honours the interrupt and keeps the instance and its state', async () => {
    await session.run("CREATE SECRET made_here (TYPE http, BEARER_TOKEN 'y')");
    const long = session.query('SELECT count(*) FROM range(10000000000) a, range(10) b');
    await eventually(() => log.lines.some((l) => l.includes('CREATE SECRET')), 'the secret statement ran');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await session.cancel(), 'interrupted');
    await assert.rejects(long, /INTERRUPT/);
    const names = (await session.query('SELECT name FROM duckdb_secrets() ORDER BY name')).map((r) => r.name);
    assert.deepEqual(names, ['from_keychain', 'made_here'], 'same instance: a secret made in the session survives');
    assert.equal(starts, 1);
  });

  it('leaves a call that ignores the interrupt behind: the statement rejects, the queue moves on, a fresh instance answers with the start hooks\' secrets', async () => {
    const began = performance.now();
    await session.run("CREATE SECRET made_here (TYPE http, BEARER_TOKEN 'y')");
    const stuck = session.query(`SELECT * FROM read_csv('${fifo}')`);
    const queued = session.query('SELECT 42 AS answer');
    let stuckSettled = false;
    void stuck.then(
      () => (stuckSettled = true),
      () => (stuckSettled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(stuckSettled, false, 'the FIFO read blocks');

    assert.equal(await session.cancel(), 'abandoned');
    await assert.rejects(stuck, /INTERRUPT Error: Interrupted! DuckDB did not stop within 300 ms of Cancel/);
    assert.deepEqual(await queued, [{ answer: 42 }], 'the statement queued behind the stuck one runs');
    const names = (await session.query('SELECT name FROM duckdb_secrets() ORDER BY name')).map((r) => r.name);
    assert.deepEqual(names, ['from_keychain'], 'a fresh instance: start hooks ran again, session-only state is gone');
    assert.equal(starts, 2);
    const warning = /^warn DuckDB did not stop within 300 ms of Cancel \(statement running for \d+ ms\): left that instance behind; the next statement opens a fresh one and re-creates the keychain-backed secrets$/;
    assert.ok(log.lines.some((l) => warning.test(l)), log.lines.join('\n'));

    releaseFifo(fifo);
    await eventually(() => log.lines.some((l) => l.includes('left behind by Cancel returned')), 'the abandoned instance is closed once its call returns');
    assert.deepEqual(await session.query('SELECT 1 AS one'), [{ one: 1 }]);
    const took = performance.now() - began;
    const reported = loggedMilliseconds(log.lines.filter((l) => l.includes('Cancel')));
    assert.ok(reported.length >= 3 && reported.every((ms) => ms <= took + 1), `${took} ms in all, the log says: ${log.lines.join('\n')}`);
  });

  it('two Cancels of one stuck call leave its instance behind once', async () => {
    const stuck = session.query(`SELECT * FROM read_csv('${fifo}')`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rejected = assert.rejects(stuck, /INTERRUPT/);
    assert.deepEqual(await Promise.all([session.cancel(), session.cancel()]), ['abandoned', 'interrupted']);
    await rejected;
    assert.equal(log.lines.filter((l) => l.startsWith('warn DuckDB did not stop')).length, 1, log.lines.join('\n'));
    assert.deepEqual(await session.query('SELECT 7 AS seven'), [{ seven: 7 }]);
    assert.equal(starts, 2, 'one fresh instance');
  });

  it('interrupt() cancels the same way (the callers\' entry point)', async () => {
    const stuck = session.query(`SELECT * FROM read_csv('${fifo}')`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    session.interrupt();
    await assert.rejects(stuck, /INTERRUPT/);
    assert.deepEqual(await session.query('SELECT 7 AS seven'), [{ seven: 7 }]);
    releaseFifo(fifo);
  });

  it('dispose while a call is stuck rejects it and closes the instance only after the call returns', async () => {
    const stuck = session.query(`SELECT * FROM read_csv('${fifo}')`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    session.dispose();
    await assert.rejects(stuck, /session was closed/);
    await assert.rejects(session.query('SELECT 1'), /session was closed/);
    releaseFifo(fifo);
  });
});
