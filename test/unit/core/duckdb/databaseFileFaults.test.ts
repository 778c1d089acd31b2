/**
 * A `duckdbSecrets.duckdb.databasePath` that cannot be read: no permission (chmod 000), not a DuckDB
 * file, missing, a folder. The session still answers, in memory, and logs once why, naming the
 * setting. Root reads a chmod 000 file anyway, so under root the permission case runs in a child
 * process as the `nobody` user.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';

const sessionModule = path.resolve(__dirname, '../../../../src/core/duckdb/duckdbSession.js');
const loggerModule = path.resolve(__dirname, '../../../../src/core/logger.js');

/** Runs one statement with a session on `file` in a child process (as `uid` when given); returns its answer and log. */
function sessionInChild(file: string, dir: string, uid?: number): { answer: unknown; lines: string[] } {
  const script = `
    const { DuckDBSession } = require(${JSON.stringify(sessionModule)});
    const { MemoryLogger } = require(${JSON.stringify(loggerModule)});
    (async () => {
      const log = new MemoryLogger();
      const session = new DuckDBSession({ path: ${JSON.stringify(file)}, options: { secret_directory: ${JSON.stringify(path.join(dir, 'secrets'))} } }, log);
      const answer = await session.query('SELECT 42 AS answer');
      session.dispose();
      process.stdout.write(JSON.stringify({ answer, lines: log.lines }));
    })().catch((error) => { process.stdout.write(JSON.stringify({ error: String(error.message) })); });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir },
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { answer: unknown; lines: string[] };
}

describe('DuckDBSession with a database file it cannot read', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-dbfault-'));
    fs.chmodSync(dir, 0o777);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const expectInMemory = (lines: readonly string[], file: string, reason: RegExp) => {
    const warnings = lines.filter((l) => l.startsWith('warn Database file'));
    assert.equal(warnings.length, 1, lines.join('\n'));
    assert.ok(warnings[0]?.startsWith(`warn Database file ${file} (duckdbSecrets.duckdb.databasePath) not attached, running in memory: `), warnings[0]);
    assert.match(warnings[0] ?? '', reason);
  };

  it('no permission to read it (chmod 000)', function () {
    const file = path.join(dir, 'locked.duckdb');
    const made = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(require.resolve('@duckdb/node-api'))}).DuckDBInstance.create(${JSON.stringify(file)}).then(i => i.closeSync())`]);
    assert.equal(made.status, 0);
    fs.chmodSync(file, 0o000);
    const asNobody = process.getuid?.() === 0 ? 65534 : undefined;
    if (asNobody !== undefined) {
      // The compiled modules must be readable by `nobody`: not so inside a private sandbox (Stryker's).
      const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(sessionModule)})`], { uid: asNobody, gid: asNobody });
      if (probe.status !== 0) {
        console.log(`      (skipped: ${sessionModule} is not readable by the nobody user this test runs as)`);
        this.skip();
      }
    }
    const { answer, lines } = sessionInChild(file, dir, asNobody);
    assert.deepEqual(answer, [{ answer: 42 }]);
    expectInMemory(lines, file, /Cannot open file ".*": Permission denied$/);
  });

  it('not a DuckDB file, missing, or a folder', async () => {
    const junk = path.join(dir, 'junk.duckdb');
    fs.writeFileSync(junk, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256)));
    const folder = path.join(dir, 'folder.duckdb');
    fs.mkdirSync(folder);
    for (const [file, reason] of [
      [junk, /exists, but it is not a valid DuckDB database file/],
      [path.join(dir, 'missing.duckdb'), /in read-only mode: database does not exist/],
      [folder, /Is a directory/],
    ] as const) {
      const log = new MemoryLogger();
      const session = new DuckDBSession({ path: file, options: { secret_directory: path.join(dir, 'secrets') } }, log);
      try {
        assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }], file);
        assert.deepEqual(await session.query('SELECT 43 AS answer'), [{ answer: 43 }], file);
        expectInMemory(log.lines, file, reason);
      } finally {
        session.dispose();
      }
      assert.ok(!fs.existsSync(path.join(dir, 'missing.duckdb')), 'a missing file is never created');
    }
  });
});
