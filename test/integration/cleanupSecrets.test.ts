/**
 * Clean Up R2 Secrets in the real VS Code: the multi-pick starts with nothing ticked, Enter alone
 * drops nothing, and a modal names what will be dropped and which secrets are persistent (a file
 * deleted) before anything is. R2 secrets need httpfs, which this machine cannot download, so the
 * command's own handler runs over DuckDB's built-in `http` type (the same code, another type
 * filter) in the extension's real DuckDB session, with a temporary secret_directory.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { CommandUiHolder } from '../../src/extension/commandUi';
import { secretCommands } from '../../src/extension/secrets/secretCommands';
import { CancelledError } from '../../src/core/errors';
import { MemoryLogger } from '../../src/core/logger';
import { LocalSecrets, type CleanupReport } from '../../src/core/secrets/localSecrets';
import { createHttpSecret } from '../../src/core/secrets/secretSql';
import { SessionSecretRecords, type SessionSecretRecord } from '../../src/core/secrets/sessionSecretRecords';
import { ScriptedProfileUi } from './scriptedProfileUi';
import { activateApi, waitForAsync } from './support';

describe('Clean Up R2 Secrets: nothing ticked, then a modal naming what is dropped', () => {
  let api: DuckDBSecretsApi;
  let directory: string;
  let ui: ScriptedProfileUi;
  const config = () => vscode.workspace.getConfiguration('duckdbSecrets');
  const secretDirectory = async () => (await api.sql.query("SELECT current_setting('secret_directory') AS d"))[0]?.d;
  const names = async () => (await api.sql.query("SELECT name, storage FROM duckdb_secrets() WHERE name LIKE 'it_clean_%' ORDER BY name")).map((r) => `${r.name as string}@${r.storage as string}`);

  before(async () => {
    api = await activateApi();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-cleanup-'));
    await config().update('duckdb.options', { secret_directory: directory }, vscode.ConfigurationTarget.Global);
    await waitForAsync(async () => (await secretDirectory()) === directory, 'the session to restart');
  });

  after(async () => {
    try {
      await config().update('duckdb.options', undefined, vscode.ConfigurationTarget.Global);
      await waitForAsync(async () => (await secretDirectory()) !== directory, 'the session to restart');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  /** The Clean Up handler as the extension registers it, its type filter set to `http`. */
  function cleanup(): () => Promise<CleanupReport> {
    let records: readonly SessionSecretRecord[] = [];
    const service = new LocalSecrets(
      api.sql,
      new MemoryLogger(),
      new SessionSecretRecords({ get: () => records, update: (r) => Promise.resolve(void (records = r)) }),
      (credentials, options) => createHttpSecret({ bearerToken: credentials.secretAccessKey }, options),
      'http',
    );
    ui = new ScriptedProfileUi();
    const specs = secretCommands({ secrets: service, credentials: api.credentials, tree: api.secrets, ui: new CommandUiHolder(ui), interrupt: () => undefined });
    const spec = specs.find((s) => s.id === 'duckdbSecrets.cleanupSecrets');
    assert.ok(spec);
    return () => spec.run() as Promise<CleanupReport>;
  }

  it('starts with none ticked, confirms with the persistent one named, and drops only after Drop', async () => {
    await api.sql.run(createHttpSecret({ bearerToken: 'a' }, { name: 'it_clean_session', persistence: 'session', replace: true }).sql);
    await api.sql.run(createHttpSecret({ bearerToken: 'b' }, { name: 'it_clean_file', persistence: 'persistent', replace: true }).sql);
    await api.sql.run(createHttpSecret({ bearerToken: 'c' }, { name: 'it_clean_keep', persistence: 'session', replace: true }).sql);
    const file = path.join(directory, 'it_clean_file.duckdb_secret');
    assert.ok(fs.existsSync(file));
    const all = ['it_clean_file@local_file', 'it_clean_keep@memory', 'it_clean_session@memory'];
    assert.deepEqual(await names(), all);
    const run = cleanup();

    // Enter on the list as it opens drops nothing and asks nothing more.
    ui.script([]);
    await assert.rejects(run(), CancelledError);
    const list = ui.asked[0];
    assert.equal(list?.kind, 'pickMany');
    assert.deepEqual(list?.items?.filter((i) => i.picked).map((i) => i.label), [], 'nothing is ticked when the list opens');
    assert.match(list?.items?.find((i) => i.label === 'it_clean_file')?.detail ?? '', /persistent: dropping deletes its file/);
    assert.match(list?.options.placeHolder ?? '', /none is ticked/);
    assert.equal(ui.asked.length, 1);
    assert.deepEqual(await names(), all);

    // Ticking two asks in a modal that names both and says which one is a file; No keeps them.
    ui.script(['it_clean_session', 'it_clean_file'], false);
    await assert.rejects(run(), CancelledError);
    const confirm = ui.asked[2];
    assert.equal(confirm?.kind, 'confirm');
    assert.equal(confirm?.options.modal, true);
    assert.equal(confirm?.options.message, 'Drop 2 R2 secrets? 1 of them is persistent.');
    assert.equal(
      confirm?.options.detail,
      `• it_clean_file (Local file (persistent)): persistent: its file ${directory}/it_clean_file.duckdb_secret is deleted\n` +
        "• it_clean_session (Session (memory)): dropped from this window's session",
    );
    assert.deepEqual(await names(), all);
    assert.ok(fs.existsSync(file));

    // Drop drops exactly the ticked ones; the file goes with the persistent one.
    ui.script(['it_clean_session', 'it_clean_file'], true);
    const report = await run();
    assert.deepEqual(report.dropped.map((s) => s.name).sort(), ['it_clean_file', 'it_clean_session']);
    assert.deepEqual(await names(), ['it_clean_keep@memory']);
    assert.equal(fs.existsSync(file), false);
    assert.match(ui.shown.at(-1) ?? '', /^Clean Up R2 Secrets: Dropped 2: /);
    assert.deepEqual(ui.unexpected, []);
    assert.deepEqual(ui.leftOver(), []);
    await api.sql.run("DROP TEMPORARY SECRET it_clean_keep");
  });
});
