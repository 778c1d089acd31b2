import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'duckdb-secrets.duckdb-secrets';

describe('activation', () => {
  it('activates when "DuckDB Secrets: Refresh Secrets" runs', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    const wasActive = extension.isActive;
    const started = performance.now();
    await vscode.commands.executeCommand('duckdbSecrets.refreshSecrets');
    const elapsed = Math.round(performance.now() - started);
    assert.equal(extension.isActive, true);
    console.log(`      ${wasActive ? 'was already active' : `activated and refreshed in ${elapsed} ms`}`);
  });
});
