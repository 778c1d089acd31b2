import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

describe('DuckDBSession restart while statements are queued', () => {
  let session: DuckDBSession;
  beforeEach(() => {
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ threads: '1' }) }, new MemoryLogger());
  });
  afterEach(() => session.dispose());

  it('finishes earlier statements on the old instance and runs later ones on the new one, never on a closed connection', async () => {
    await session.query('SELECT 1');
    const threads = "SELECT current_setting('threads')::INTEGER AS threads";
    const before = session.query(`SELECT count(*)::INTEGER AS n FROM range(3000000) a, (${threads})`);
    const restarted = session.restart({ path: ':memory:', options: testDuckDBOptions({ threads: '2' }) });
    const after = session.query(threads);
    const results = await Promise.allSettled([before, restarted, after]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled'], JSON.stringify(results.map((r) => r.status === 'rejected' && String(r.reason))));
    assert.deepEqual(await after, [{ threads: 2 }]);
  });
});
