/**
 * What closing the session releases. A statement can ATTACH a database file itself; DuckDB then
 * holds the file's lock until its instance closes, so "dbt" (a real DuckDB in another process) can
 * tell whether restart, dispose and Cancel really closed the instance, and when.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { dbtWrite, eventually, makeFifo, releaseFifo } from './sessionHarness';

const LOCKED = /^failed: IO Error: Could not set lock on file/;

describe('DuckDBSession lifecycle: closing releases the instance', () => {
  let dir: string;
  let file: string;
  let fifo: string;
  let log: MemoryLogger;
  let session: DuckDBSession;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-lifecycle-'));
    file = path.join(dir, 'warehouse.duckdb');
    assert.equal(dbtWrite(file, 1), 'ok');
    fifo = makeFifo(dir);
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ threads: '1' }) }, log, { cancelGraceMs: 300 });
  });
  afterEach(() => {
    releaseFifo(fifo);
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const attachByHand = async () => {
    await session.run(`ATTACH '${file}' AS w`);
    assert.match(dbtWrite(file, 2), LOCKED, 'attached by a statement, the file is locked');
  };

  it('restart closes the instance: a file a statement attached is free for dbt, and the next statement opens afresh', async () => {
    await attachByHand();
    await session.restart();
    assert.equal(session.isOpen, false);
    assert.equal(dbtWrite(file, 2), 'ok');
    assert.deepEqual(await session.query("SELECT count(*)::INTEGER AS n FROM duckdb_databases() WHERE database_name = 'w'"), [{ n: 0 }]);
    assert.equal(session.isOpen, true);
  });

  it('dispose closes the instance', async () => {
    await attachByHand();
    session.dispose();
    assert.equal(session.isOpen, false);
    assert.equal(dbtWrite(file, 2), 'ok');
  });

  it('dispose while a call is stuck closes the instance only once the call returns', async () => {
    await attachByHand();
    const stuck = session.query(`SELECT * FROM read_csv('${fifo}')`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    session.dispose();
    await assert.rejects(stuck, /session was closed/);
    assert.equal(session.isOpen, false);
    assert.match(dbtWrite(file, 2), LOCKED, 'still open: the native call uses its connection');
    releaseFifo(fifo);
    await eventually(() => dbtWrite(file, 2) === 'ok', 'the instance is closed once its call returns', 40);
  });

  it('Cancel that leaves a stuck call behind closes its instance once the call returns', async () => {
    await attachByHand();
    const stuck = session.query(`SELECT * FROM read_csv('${fifo}')`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rejected = assert.rejects(stuck, /INTERRUPT/);
    assert.equal(await session.cancel(), 'abandoned');
    await rejected;
    assert.match(dbtWrite(file, 2), LOCKED, 'still open: the native call uses its connection');
    releaseFifo(fifo);
    await eventually(() => dbtWrite(file, 2) === 'ok', 'the instance is closed once its call returns', 40);
  });

  it('dispose while DuckDB opens: the instance being opened never becomes the session\'s, and no start hook runs on it', async () => {
    session.dispose();
    // A grace longer than any opening: Cancel below then waits for the opening to return.
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log, { cancelGraceMs: 600_000 });
    let starts = 0;
    session.onStart(() => {
      starts++;
      return Promise.resolve();
    });
    const first = session.query('SELECT 1 AS one');
    await Promise.resolve(); // the statement has started opening DuckDB, whose native calls take a turn of the event loop
    session.dispose();
    await assert.rejects(first, /session was closed/);
    await session.cancel();
    assert.equal(session.isOpen, false);
    assert.equal(starts, 0);
    assert.ok(!log.lines.some((l) => l.includes(' opened ')), log.lines.join('\n'));
  });
});
