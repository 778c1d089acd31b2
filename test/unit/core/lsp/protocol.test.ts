import * as assert from 'node:assert/strict';
import { storedStatementComment } from '../../../../src/core/lsp/protocol';

describe('lsp: protocol', () => {
  it('a stored CREATE SECRET becomes a comment naming the profile, the secret and the command to run', () => {
    assert.equal(
      storedStatementComment('--', 'Lake (prod)', 'lake_r2'),
      `-- R2 credentials are in credential profile 'Lake (prod)': run "DuckDB Secrets: Create R2 Secret" to create lake_r2`,
    );
    assert.match(storedStatementComment('#', 'Lake', 'lake_r2'), /^# R2 credentials/);
  });
});
