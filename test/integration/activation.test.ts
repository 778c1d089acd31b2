import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';

const extensionId = 'duckdb-secrets.duckdb-secrets';

interface Manifest {
  contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
}

describe('activation', () => {
  it('activates without loading DuckDB, and loads it on first use', async () => {
    const extension = vscode.extensions.getExtension<DuckDBSecretsApi | undefined>(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    assert.equal(extension.isActive, false, 'this suite runs first, before anything activates the extension');
    const api = await extension.activate();
    assert.ok(api, 'the test API is returned in test mode');
    assert.equal(api.isDuckDBLoaded(), false, 'activation must not load the DuckDB native library');
    assert.equal(api.isFeaturesLoaded(), false, 'activation must not load dist/features.js (handlers load on first use)');
    // Read by scripts/bench-activation.mjs; not asserted (timing belongs in the benchmark).
    console.log(`      BENCH activationMs=${api.activationMs.toFixed(2)}`);
    const started = performance.now();
    await vscode.commands.executeCommand('duckdbSecrets.refreshSecrets');
    assert.equal(api.isDuckDBLoaded(), true, 'the first refresh opens the DuckDB session');
    console.log(`      BENCH firstRefreshMs=${(performance.now() - started).toFixed(2)}`);
  });

  it('registers exactly the commands package.json declares', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    const manifest = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.json'), 'utf8')) as Manifest;
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    // VS Code adds focus/toggle commands for each view and container; those are not ours to register.
    const viewIds = Object.values(manifest.contributes.views).flat().map((v) => v.id);
    const generated = (id: string) => viewIds.some((view) => id.startsWith(`${view}.`)) || id.startsWith('workbench.view.extension.');
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('duckdbSecrets.') && !generated(id)).sort();
    assert.deepEqual(registered, declared);
    // Registered at activation from the manifest; each must have a handler in dist/features.js (Show Log is the shell's own).
    const api = extension.exports as DuckDBSecretsApi;
    assert.deepEqual([...api.commandHandlers(), 'duckdbSecrets.showLog'].sort(), declared, 'every declared command has exactly one handler');
  });
});
