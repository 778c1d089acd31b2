/**
 * The session bounds httpfs's waits (http_timeout, http_retries, from duckdbSecrets.duckdb.options
 * or the defaults) once httpfs is loaded: by a statement that names a URL, or by a start hook. Needs
 * a real httpfs: runs when DUCKDB_SECRETS_TEST_EXTENSION_DIR names an extension directory holding
 * one, and is skipped, saying why, otherwise. No statement here reaches a server.
 */
import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

describe('DuckDBSession bounds httpfs waits (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  let log: MemoryLogger;
  let session: DuckDBSession | undefined;

  before(function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory with httpfs for this version');
      this.skip();
    }
  });
  beforeEach(() => {
    log = new MemoryLogger();
  });
  afterEach(() => {
    session?.dispose();
    session = undefined;
  });

  const open = (options: Record<string, string> = {}): DuckDBSession => {
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ extension_directory: extensionDir ?? '', allow_unsigned_extensions: 'true', ...options }) }, log);
    return session;
  };
  const httpfsLoaded = async (s: DuckDBSession) => (await s.query("SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'httpfs'"))[0]?.loaded;
  const limits = (s: DuckDBSession) => s.query("SELECT current_setting('http_timeout') AS timeout, current_setting('http_retries') AS retries");
  const bounded = () => log.lines.filter((l) => l.startsWith('info httpfs loaded'));

  it('loads httpfs for a statement that names a URL, and sets the configured limits first', async () => {
    const s = open({ http_timeout: '7', http_retries: '0' });
    assert.deepEqual(await s.query('SELECT 1 AS one'), [{ one: 1 }]);
    assert.equal(await httpfsLoaded(s), false, 'a statement without a URL leaves httpfs alone');
    assert.deepEqual(await s.query("SELECT 'r2://lake/x.parquet' AS url"), [{ url: 'r2://lake/x.parquet' }]);
    assert.equal(await httpfsLoaded(s), true);
    assert.deepEqual(await limits(s), [{ timeout: '7', retries: '0' }]);
    assert.deepEqual(bounded(), ['info httpfs loaded: DuckDB waits at most 7 s per request and tries 1 time (http_timeout, http_retries in duckdbSecrets.duckdb.options)']);
  });

  it('sets the limits once per instance: a value a statement sets stays, a restart sets them again', async () => {
    const s = open();
    await s.query("SELECT 'https://example.invalid/' AS url");
    await s.run('SET GLOBAL http_timeout = 120');
    await s.query("SELECT 'https://example.invalid/' AS url");
    assert.deepEqual(await limits(s), [{ timeout: '120', retries: '1' }]);
    assert.equal(bounded().length, 1, log.lines.join('\n'));
    await s.restart();
    await s.query("SELECT 's3://bucket/key' AS url");
    assert.deepEqual(await limits(s), [{ timeout: '15', retries: '1' }], 'the defaults, in the new instance');
    assert.equal(bounded().length, 2, log.lines.join('\n'));
  });

  it('a start hook that loads httpfs gets the limits before the first statement', async () => {
    const s = open({ http_timeout: '9' });
    s.onStart(async (sql) => {
      await sql.run('LOAD httpfs');
    });
    assert.deepEqual(await limits(s), [{ timeout: '9', retries: '1' }]);
  });

  it('with extension autoloading off, a statement that names a URL still gets httpfs, bounded', async () => {
    const s = open({ autoload_known_extensions: 'false', http_timeout: '8' });
    await s.query("SELECT 's3://bucket/key' AS url");
    assert.equal(await httpfsLoaded(s), true);
    assert.deepEqual(await limits(s), [{ timeout: '8', retries: '1' }]);
  });

  it('a limit that is not a whole number is not set: the statement still runs and the log says why', async () => {
    const s = open({ http_timeout: 'soon' });
    assert.deepEqual(await s.query("SELECT 'r2://lake/' AS url"), [{ url: 'r2://lake/' }]);
    assert.ok(log.lines.includes('warn httpfs waits not bounded: The http_timeout option in duckdbSecrets.duckdb.options must be a whole number, not "soon".'), log.lines.join('\n'));
    assert.deepEqual(bounded(), []);
  });
});
