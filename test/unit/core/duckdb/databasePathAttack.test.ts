/**
 * Issue 19, item 1: `duckdbSecrets.duckdb.databasePath` must never open the session somewhere the
 * user did not choose, and a database file must never fake DuckDB's own answers. The "attacker"
 * is a loopback HTTP server that records every request, and a real database file whose macros are
 * named like the system functions the extension calls.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { databasePathProblem, DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { LocalSecrets } from '../../../../src/core/secrets/localSecrets';
import { SessionSecretRecords } from '../../../../src/core/secrets/sessionSecretRecords';
import { listSecrets } from '../../../../src/core/secrets/secretsModel';
import { MOTHERDUCK_STATEMENTS } from '../../../../src/core/motherduck/motherDuck';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

/** A database file whose macros impersonate duckdb_secrets(), which_secret, current_setting and duckdb_databases(). */
async function writeImpostor(file: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  for (const statement of [
    "CREATE MACRO duckdb_secrets() AS TABLE SELECT 'fake' AS name, 'r2' AS type, 'config' AS provider, true AS persistent, 'local_file' AS storage, ['r2://'] AS scope, 'name=fake' AS secret_string",
    "CREATE MACRO which_secret(p, t) AS TABLE SELECT 'fake' AS name, 'PERSISTENT' AS persistent, 'local_file' AS storage",
    "CREATE MACRO current_setting(x) AS '/attacker/chosen'",
    "CREATE MACRO duckdb_databases() AS TABLE SELECT 'motherduck' AS type, 'md:' AS path",
  ]) {
    await connection.run(statement);
  }
  connection.closeSync();
  instance.closeSync();
}

describe('databasePath: what a configured path can do (issue 19, item 1)', () => {
  let dir: string;
  let log: MemoryLogger;
  let session: DuckDBSession | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-dbpath-'));
    log = new MemoryLogger();
  });
  afterEach(() => {
    session?.dispose();
    session = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses every scheme, naming the setting, and accepts local paths', () => {
    for (const refused of ['md:x?motherduck_token=abc', 'MD:', 'motherduck:db', 'http://127.0.0.1:9/evil.duckdb', 'https://example.com/evil.duckdb', 's3://b/evil.duckdb', 'r2://b/x.duckdb', 'gcs://b/x', 'hf://datasets/x']) {
      const problem = databasePathProblem(refused);
      assert.ok(problem, refused);
      assert.match(problem, /duckdbSecrets\.duckdb\.databasePath/);
      assert.ok(!problem.includes('abc'), 'the message never repeats a token');
    }
    assert.match(databasePathProblem('md:x') ?? '', /Connect to MotherDuck/);
    assert.match(databasePathProblem('  md:x') ?? '', /"md:" paths are refused/, 'surrounding spaces do not hide a scheme');
    for (const download of ['cmd:x', 'https://example.com/md:x']) {
      assert.match(databasePathProblem(download) ?? '', /so the session runs in memory\. Download the file and point the setting at the copy\.$/, download);
    }
    assert.equal(databasePathProblem('/data/dev\0.duckdb'), 'The duckdbSecrets.duckdb.databasePath setting contains a NUL character; the session runs in memory.');
    for (const accepted of ['', ':memory:', '/home/me/warehouse.duckdb', 'relative/dev.duckdb', 'C:\\data\\dev.duckdb', '~/x.duckdb']) {
      assert.equal(databasePathProblem(accepted), undefined, accepted);
    }
  });

  it('an http:// database path makes no request and the session runs in memory', async () => {
    const requests: string[] = [];
    const attacker = http.createServer((req, res) => {
      requests.push(`${req.method ?? '?'} ${req.url ?? ''}`);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = attacker.address() as AddressInfo;
      session = new DuckDBSession({ path: `http://127.0.0.1:${port}/evil.duckdb`, options: testDuckDBOptions() }, log);
      assert.deepEqual(await session.query('SELECT current_database() AS db, 42 AS answer'), [{ db: 'memory', answer: 42 }]);
      assert.deepEqual(await session.query("SELECT count(*)::INTEGER AS n FROM system.main.duckdb_databases() WHERE NOT internal AND database_name <> 'memory'"), [{ n: 0 }]);
      assert.deepEqual(requests, [], 'DuckDB fetched the attacker\'s file');
      assert.ok(log.lines.some((l) => /^warn .*databasePath.*"http:" paths are refused/.test(l)), log.lines.join('\n'));
    } finally {
      await new Promise((resolve) => attacker.close(resolve));
    }
  });

  it('an md: path with someone else\'s token never reaches DuckDB (nothing attached, no MotherDuck loaded)', async () => {
    session = new DuckDBSession({ path: 'md:evil?motherduck_token=not-yours', options: testDuckDBOptions() }, log);
    const rows = await session.query(MOTHERDUCK_STATEMENTS.attached.sql);
    assert.deepEqual(rows, [{ n: 0 }]);
    assert.deepEqual(await session.query("SELECT count(*)::INTEGER AS n FROM duckdb_extensions() WHERE extension_name = 'motherduck' AND loaded"), [{ n: 0 }]);
    assert.ok(!log.lines.join('\n').includes('not-yours'), 'the token was logged');
  });

  it('a database file cannot fake the secrets list, which_secret, secret_directory or the MotherDuck check', async () => {
    const file = path.join(dir, 'warehouse.duckdb');
    await writeImpostor(file);
    const secretDirectory = path.join(dir, 'secrets');
    session = new DuckDBSession({ path: file, options: { secret_directory: secretDirectory } }, log);
    await session.run("CREATE SECRET real_one (TYPE http, BEARER_TOKEN 't', SCOPE 'https://example.com')");
    // The file is attached for this statement: its macros are there to be found, qualified.
    assert.deepEqual(await session.query('SELECT name FROM warehouse.duckdb_secrets()'), [{ name: 'fake' }], 'the impostor file is attached');

    assert.deepEqual((await listSecrets(session)).map((s) => s.name), ['real_one']);
    let records: unknown;
    const local = new LocalSecrets(session, log, new SessionSecretRecords({ get: () => records, update: (r) => { records = r; return Promise.resolve(); } }));
    assert.equal(await local.secretDirectory(), secretDirectory);
    assert.equal((await local.which('https://example.com/x', 'http'))?.name, 'real_one');
    assert.equal(await local.which('r2://bucket/x', 'r2'), undefined);
    assert.deepEqual(await session.query(MOTHERDUCK_STATEMENTS.attached.sql), [{ n: 0 }]);
    // Unqualified names resolve to DuckDB's own functions too: the file is never the default catalog.
    assert.deepEqual(await session.query("SELECT current_setting('secret_directory') AS d"), [{ d: secretDirectory }]);
  });
});
