/**
 * A session configured with a database file must not lock a dbt run out. DuckDB takes a file lock
 * for as long as an instance has the file attached, read-only included (a shared lock, which still
 * refuses a writer), so the session keeps its instance in memory and attaches the file read-only
 * per statement. These tests use a real second DuckDB in a child process as "dbt".
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { dbtWrite } from './sessionHarness';

const api = require.resolve('@duckdb/node-api');

describe('DuckDBSession with a database file', () => {
  let dir: string;
  let file: string;
  let log: MemoryLogger;
  let session: DuckDBSession;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-dbfile-'));
    file = path.join(dir, 'warehouse.duckdb');
    assert.equal(dbtWrite(file, 1), 'ok');
    log = new MemoryLogger();
    session = new DuckDBSession({ path: file, options: { secret_directory: path.join(dir, 'secrets') } }, log);
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the file, yet a dbt run can write it between statements', async () => {
    assert.deepEqual(await session.query('SELECT x FROM warehouse.model'), [{ x: 1 }]);
    assert.equal(session.isOpen, true);
    assert.equal(dbtWrite(file, 2), 'ok', 'the writer was locked out');
    assert.deepEqual(await session.query('SELECT x FROM warehouse.model'), [{ x: 2 }], 'the next statement sees what dbt wrote');
    assert.deepEqual(await session.query('SELECT current_database() AS db'), [{ db: 'memory' }], 'the file is never the default catalog');
  });

  it('logs that it opens in memory and attaches the file per statement', async () => {
    await session.query('SELECT 1');
    const opened = log.lines.filter((l) => l.includes(' opened '));
    assert.equal(opened.length, 1, log.lines.join('\n'));
    const expected = `opened in memory, attaching ${file} read-only per statement with options secret_directory (library `;
    assert.ok(opened[0]?.startsWith('info DuckDB v') && opened[0].includes(expected), opened[0]);
  });

  it('names the catalog after the file\'s stem, clear of DuckDB\'s own catalog names', async () => {
    const cases = [
      ['dev.2024.duckdb', '"dev.2024"'],
      ['.duckdb', 'database'],
      ['memory.duckdb', 'memory_file'],
      ['System.duckdb', 'System_file'],
      ['temp.db', 'temp_file'],
      ['main', 'main_file'],
    ] as const;
    for (const [name, catalog] of cases) {
      const other = path.join(dir, name);
      // Written under a plain name: DuckDB itself will not open a file named like a catalog of its own.
      const written = path.join(dir, 'written.duckdb');
      const writer = await DuckDBInstance.create(written, { secret_directory: path.join(dir, 'secrets') });
      const connection = await writer.connect();
      await connection.run('CREATE TABLE model AS SELECT 5 AS x');
      connection.closeSync();
      writer.closeSync();
      fs.renameSync(written, other);
      const named = new DuckDBSession({ path: other, options: { secret_directory: path.join(dir, 'secrets') } }, log);
      try {
        assert.deepEqual(await named.query(`SELECT x FROM ${catalog}.model`), [{ x: 5 }], name);
      } finally {
        named.dispose();
      }
    }
    assert.ok(!log.lines.some((l) => l.startsWith('warn')), log.lines.join('\n'));
  });

  it('cannot write the file, and keeps secrets (they belong to the instance, not the file)', async () => {
    await assert.rejects(session.run('CREATE TABLE warehouse.mine AS SELECT 1'), /read-only/i);
    await session.run("CREATE SECRET s (TYPE http, BEARER_TOKEN 't')");
    assert.deepEqual(await session.query('SELECT name FROM duckdb_secrets()'), [{ name: 's' }]);
  });

  it('while dbt holds the file, statements run in memory and the reason is logged once', async () => {
    const holder = spawn(process.execPath, ['-e', `
      const { DuckDBInstance } = require(${JSON.stringify(api)});
      (async () => {
        const instance = await DuckDBInstance.create(${JSON.stringify(file)}, { secret_directory: ${JSON.stringify(path.join(dir, 'holder-secrets'))} });
        await instance.connect();
        process.stdout.write('ready\\n');
        setInterval(() => {}, 1000);
      })();`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
      await session.run("CREATE SECRET during_dbt (TYPE http, BEARER_TOKEN 't')");
      assert.deepEqual(await session.query('SELECT 43 AS answer'), [{ answer: 43 }]);
      const warnings = log.lines.filter((l) => l.startsWith('warn Database file'));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0] ?? '', /not attached, running in memory: IO Error: Could not set lock on file/);
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    assert.deepEqual(await session.query('SELECT x FROM warehouse.model'), [{ x: 1 }], 'attached again once dbt is done');
  });

  it('for the record: an instance that keeps the file attached read-only locks the writer out', async () => {
    const instance = await DuckDBInstance.create(':memory:', { secret_directory: path.join(dir, 'secrets') });
    const connection = await instance.connect();
    try {
      await connection.run(`ATTACH '${file}' AS w (READ_ONLY)`);
      assert.match(dbtWrite(file, 3), /^failed: IO Error: Could not set lock on file .*Conflicting lock is held/);
      await connection.run('DETACH w');
      assert.equal(dbtWrite(file, 3), 'ok');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
