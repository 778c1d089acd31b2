import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../src/core/logger';

/**
 * The unit tier runs with HOME in a temporary folder where a persistent secret is planted in
 * DuckDB's default secret directory (scripts/isolatedHome.mjs). These checks prove the plant is
 * there for every other test to trip over, and that it is not the developer's real home.
 */
describe('test isolation', () => {
  const planted = process.env.DUCKDB_SECRETS_TEST_PLANTED_SECRET;

  it('runs with a temporary HOME holding a planted persistent secret', async function () {
    if (!planted) this.skip(); // mocha started by hand, not through npm run test:unit
    assert.ok(os.homedir().startsWith(os.tmpdir()), `HOME is ${os.homedir()}`);
    const session = new DuckDBSession({ path: ':memory:', options: {} }, new MemoryLogger());
    try {
      const rows = await session.query(
        "SELECT name, persistent, storage FROM duckdb_secrets() WHERE name = '" + planted + "'",
      );
      assert.deepEqual(rows, [{ name: planted, persistent: true, storage: 'local_file' }]);
      const [dir] = await session.query("SELECT current_setting('secret_directory') AS d");
      assert.equal(dir?.d, path.join(os.homedir(), '.duckdb', 'stored_secrets'));
    } finally {
      session.dispose();
    }
  });
});
