import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { DEFAULT_HTTP_LIMITS, describeHttpLimits, httpLimits, mayUseHttpfs, setHttpLimitStatements, splitHttpLimits } from '../../../../src/core/duckdb/httpLimits';
import { MemoryLogger } from '../../../../src/core/logger';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

describe('httpfs wait limits', () => {
  it('takes http_timeout and http_retries out of the instance options, defaulting both', () => {
    assert.deepEqual(splitHttpLimits({ threads: '2' }), { instanceOptions: { threads: '2' }, limits: DEFAULT_HTTP_LIMITS });
    assert.deepEqual(splitHttpLimits({ HTTP_TIMEOUT: '60', threads: '2' }), { instanceOptions: { threads: '2' }, limits: { http_timeout: '60', http_retries: '1' } });
  });

  it('sets only whole numbers, so an option value cannot run a statement', () => {
    assert.deepEqual(setHttpLimitStatements({ http_timeout: ' 20 ', http_retries: '0' }), ['SET GLOBAL http_timeout = 20', 'SET GLOBAL http_retries = 0']);
    assert.throws(() => setHttpLimitStatements({ http_timeout: '1; DROP SECRET x', http_retries: '1' }), /http_timeout option in duckdbSecrets\.duckdb\.options must be a whole number/);
    assert.throws(() => setHttpLimitStatements({ http_timeout: '15', http_retries: '0; SET x = 1' }), /http_retries option .* must be a whole number, not "0; SET x = 1"\.$/);
    assert.throws(() => setHttpLimitStatements({ http_timeout: 'ten, then everything after it', http_retries: '1' }), /must be a whole number, not "ten, then everything"\.$/, 'the value is cut short in the message');
  });

  it('describes the bound for messages, with a refused value read as the default', () => {
    assert.equal(describeHttpLimits(httpLimits({})), 'DuckDB waits at most 15 s per request and tries 2 times (http_timeout, http_retries in duckdbSecrets.duckdb.options)');
    assert.deepEqual(httpLimits({ http_timeout: 'soon', http_retries: '0' }), { timeoutSeconds: 15, retries: 0 });
    assert.deepEqual(httpLimits({ http_timeout: '2.5', http_retries: '-1' }), { timeoutSeconds: 15, retries: 1 }, 'neither a fraction nor a negative count');
    assert.equal(describeHttpLimits({ timeoutSeconds: 5, retries: 0 }), 'DuckDB waits at most 5 s per request and tries 1 time (http_timeout, http_retries in duckdbSecrets.duckdb.options)');
  });

  it('knows which statements may reach a server', () => {
    assert.equal(mayUseHttpfs("FROM glob('r2://bucket/**')"), true);
    assert.equal(mayUseHttpfs("SELECT * FROM read_parquet('https://host/x.parquet')"), true);
    assert.equal(mayUseHttpfs('SELECT name FROM duckdb_secrets()'), false);
  });

  it('a session whose options name http_timeout opens without httpfs (DuckDB itself refuses it as an instance option)', async () => {
    const log = new MemoryLogger();
    const session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ http_timeout: '5', http_retries: '0' }) }, log);
    try {
      assert.deepEqual(await session.query('SELECT 1 AS one'), [{ one: 1 }]);
      assert.ok(!log.lines.some((l) => /with options .*http_timeout/.test(l)), log.lines.join('\n'));
    } finally {
      session.dispose();
    }
  });

  it('an option DuckDB refuses names the setting, never the value', async () => {
    const value = 'canary-option-value-0123';
    const session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ no_such_option: value }) }, new MemoryLogger());
    try {
      const error = await session.query('SELECT 1').then(
        () => assert.fail('opened'),
        (e: unknown) => e as Error & { detail?: string },
      );
      assert.match(error.message, /^DuckDB failed to start with the no_such_option option in the duckdbSecrets\.duckdb\.options setting: The following options were not recognized: no_such_option/);
      assert.ok(!`${error.message}\n${error.detail ?? ''}`.includes(value));
    } finally {
      session.dispose();
    }
    const bad = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ threads: 'lots-of-them' }) }, new MemoryLogger());
    try {
      await assert.rejects(bad.query('SELECT 1'), (e: Error) => /^DuckDB failed to start with the threads option in the duckdbSecrets\.duckdb\.options setting: Failed to set config/.test(e.message) && !e.message.includes('lots-of-them'));
    } finally {
      bad.dispose();
    }
  });
});
