/**
 * Test R2 Bucket in MotherDuck, in the real VS Code, as far as this offline machine allows: asked to
 * run in MotherDuck (`runIn: 'motherduck'`), the command connects first and fails with the clear
 * MotherDuck message (no token stored; then the MotherDuck extension cannot be downloaded), never
 * listing or reading locally instead; the local session keeps working, and the token stays out of
 * the log.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { activateApi, failing, readLog, runCommand as run, skipWhenMotherDuckInstalled } from './support';
import { fakeMotherDuckToken } from '../support/fakeTokens';

const DOWNLOAD_FAILURE = /Could not connect to MotherDuck: DuckDB could not download its MotherDuck extension \(no connection to extensions\.duckdb\.org\)\./;
/** The line a finished test logs: none may appear for a run meant for MotherDuck. */
const RESULT_LINE = /Test R2 Bucket r2:\/\/lake\/: list/g;

describe('Test R2 Bucket in MotherDuck (offline)', function () {
  this.timeout(120_000);
  let api: DuckDBSecretsApi;
  const token = fakeMotherDuckToken(randomUUID(), 'testbucket');
  const results = () => readLog(api).match(RESULT_LINE)?.length ?? 0;

  before(async function () {
    api = await activateApi();
    await skipWhenMotherDuckInstalled(api, this);
    await api.profiles.store.clearMotherDuckToken();
  });

  after(async () => {
    if (!api) return;
    await api.profiles.store.clearMotherDuckToken();
    api.motherDuck.connection.markDisconnected();
  });

  it('without a stored token: says to set one, and runs nothing locally', async () => {
    const before = results();
    await failing(
      api,
      () => run('testBucket', { path: 'r2://lake/', runIn: 'motherduck', createSecret: false }),
      /testBucket: No MotherDuck token is stored\. Run "Set MotherDuck Token"/,
    );
    assert.equal(results(), before, 'no listing ran');
    assert.notEqual(api.motherDuck.connection.state.kind, 'connected');
  });

  it('with a token, offline: the translated MotherDuck failure; the local session keeps working; the token is not logged', async () => {
    await api.profiles.store.setMotherDuckToken(token);
    const before = results();
    await failing(api, () => run('testBucket', { path: 'r2://lake/', runIn: 'motherduck', createSecret: false }), new RegExp(`testBucket: ${DOWNLOAD_FAILURE.source}`));
    assert.equal(results(), before, 'no listing ran');
    assert.equal(api.motherDuck.connection.state.kind, 'failed');
    assert.deepEqual(await api.sql.query('SELECT 42 AS answer'), [{ answer: 42 }]);
    assert.ok(!readLog(api).includes(token), 'the token is in the log');
  });
});
