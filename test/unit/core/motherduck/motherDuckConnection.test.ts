/**
 * The MotherDuck connection up to the network: its state and who hears of a change, the
 * statements a connect runs and what it logs, and how a failure is worded. MotherDuck cannot be
 * reached here: a scripted runner plays DuckDB's part (each statement succeeds or fails as told).
 * The token (generated, JSON-Web-Token-shaped) is in no log line, state or message.
 */
import * as assert from 'node:assert/strict';
import { OPEN_OPTIONS_SETTING } from '../../../../src/core/duckdb/duckdbErrors';
import type { Row, SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { MotherDuckConnection, translateMotherDuckError } from '../../../../src/core/motherduck/motherDuck';
import { clearSecretValues } from '../../../../src/core/redaction';
import { fakeMotherDuckToken } from '../../../support/fakeTokens';

const TOKEN = fakeMotherDuckToken('motherDuckConnection.test', 'md-connection');
const SET_TOKEN = { title: 'Set MotherDuck Token', command: 'duckdbSecrets.setMotherDuckToken' };

/** Plays DuckDB: records each statement with the words the session logs for it; `fail` rejects the statement that starts with a key. */
class ScriptedRunner implements SqlRunner {
  readonly steps: { sql: string; describe: string | undefined }[] = [];
  constructor(
    private readonly accountRows: () => Row[] = () => [{ account: 'duck@example.com' }],
    private readonly fail: Readonly<Record<string, Error>> = {},
  ) {}
  run(sql: string, describe?: string): Promise<void> {
    return this.answer(sql, describe).then(() => undefined);
  }
  query(sql: string, describe?: string): Promise<Row[]> {
    return this.answer(sql, describe).then(() => this.accountRows());
  }
  private answer(sql: string, describe: string | undefined): Promise<void> {
    this.steps.push({ sql, describe });
    const failure = Object.entries(this.fail).find(([start]) => sql.startsWith(start));
    return failure ? Promise.reject(failure[1]) : Promise.resolve();
  }
}

/** Connects and returns the error it failed with (or fails the test). */
async function failedConnect(connection: MotherDuckConnection, runner: SqlRunner, token = TOKEN): Promise<UserFacingError> {
  const error = await connection.connect(runner, token).then(
    () => assert.fail('expected the connect to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UserFacingError, String(error));
  return error;
}

describe('MotherDuck connection: state and listeners', () => {
  it('starts disconnected; marking tells listeners only of a change; a disposed listener hears nothing', () => {
    const connection = new MotherDuckConnection(new MemoryLogger());
    assert.deepEqual(connection.state, { kind: 'disconnected' });
    assert.equal(connection.isConnected, false);
    const heard: string[] = [];
    const listening = connection.onDidChange(() => heard.push(connection.state.kind));

    connection.markDisconnected();
    assert.deepEqual(heard, [], 'already disconnected');
    connection.markConnected();
    const since = connection.state.kind === 'connected' ? connection.state.since : undefined;
    assert.ok(since instanceof Date);
    assert.equal(connection.isConnected, true);
    connection.markConnected();
    assert.equal(connection.state.kind === 'connected' ? connection.state.since : undefined, since, 'already connected: since is kept');
    connection.markDisconnected();
    connection.markDisconnected();
    assert.deepEqual(heard, ['connected', 'disconnected']);
    assert.deepEqual(connection.state, { kind: 'disconnected' });

    listening.dispose();
    connection.markConnected();
    assert.deepEqual(heard, ['connected', 'disconnected']);
    assert.equal(connection.isConnected, true);
  });
});

describe('MotherDuck connection: connecting', () => {
  afterEach(() => clearSecretValues());

  it('runs LOAD, SET motherduck_token and ATTACH, each logged by what it does, never by the token; logs the account', async () => {
    const log = new MemoryLogger();
    const connection = new MotherDuckConnection(log);
    const heard: string[] = [];
    connection.onDidChange(() => heard.push(connection.state.kind));
    const runner = new ScriptedRunner(() => [{ account: '  duck@example.com \n' }]);
    await connection.connect(runner, TOKEN);
    assert.deepEqual(
      runner.steps.map((s) => s.describe),
      ['load motherduck extension', 'set motherduck token', 'attach motherduck', 'motherduck account'],
    );
    assert.equal(runner.steps[1]?.sql, `SET motherduck_token = '${TOKEN}'`);
    assert.deepEqual(heard, ['connecting', 'connected']);
    assert.equal(connection.state.kind === 'connected' ? connection.state.account : undefined, 'duck@example.com');
    assert.deepEqual(log.lines, ['info MotherDuck attached as duck@example.com']);
  });

  it('keeps at most 200 characters of an account name', async () => {
    const connection = new MotherDuckConnection(new MemoryLogger());
    await connection.connect(new ScriptedRunner(() => [{ account: `${'d'.repeat(250)}` }]), TOKEN);
    assert.equal(connection.state.kind === 'connected' ? connection.state.account : undefined, 'd'.repeat(200));
  });

  it('connects without an account when md_user() answers no row, no text or blanks, and logs just "attached"', async () => {
    for (const rows of [[], [{ account: null }], [{ account: 42 }], [{}], [{ account: ' ' }]]) {
      const log = new MemoryLogger();
      const connection = new MotherDuckConnection(log);
      await connection.connect(new ScriptedRunner(() => rows), TOKEN);
      assert.deepEqual(connection.state.kind === 'connected' && Object.keys(connection.state), ['kind', 'since'], JSON.stringify(rows));
      assert.deepEqual(log.lines, ['info MotherDuck attached'], JSON.stringify(rows));
    }
  });

  it('a failing ATTACH: state failed with the reason, the log has the reason and DuckDB\'s text, and neither has the token', async () => {
    const log = new MemoryLogger();
    const connection = new MotherDuckConnection(log);
    const heard: string[] = [];
    connection.onDidChange(() => heard.push(connection.state.kind));
    // DuckDB echoes the statement it could not run: the echo (with the token) is cut off.
    const duckdb = new Error(`IO Error: Failed to attach md: Token expired at or near "'${TOKEN}'"\n\nLINE 1: SET motherduck_token = '${TOKEN}'`);
    const error = await failedConnect(connection, new ScriptedRunner(undefined, { ATTACH: duckdb }));
    assert.match(error.message, /^MotherDuck rejected the token\./);
    assert.deepEqual(connection.state, { kind: 'failed', message: error.message });
    assert.deepEqual(heard, ['connecting', 'failed']);
    assert.deepEqual(log.lines, [`error MotherDuck: ${error.message} | IO Error: Failed to attach md: Token expired at or near "…"`]);
    for (const text of [...log.lines, error.message, error.detail ?? '']) assert.ok(!text.includes(TOKEN), text);
  });

  it('a token DuckDB cannot take (NUL) fails with that reason before it reaches DuckDB, logged once without a detail', async () => {
    const log = new MemoryLogger();
    const connection = new MotherDuckConnection(log);
    const runner = new ScriptedRunner();
    const error = await failedConnect(connection, runner, `${TOKEN}\0`);
    assert.equal(error.message, 'The MotherDuck token contains a NUL character (U+0000), which DuckDB cannot take in SQL text. Remove it and try again.');
    assert.deepEqual(runner.steps.map((s) => s.sql), ['LOAD motherduck']);
    assert.deepEqual(log.lines, [`error MotherDuck: ${error.message}`]);
    assert.deepEqual(connection.state, { kind: 'failed', message: error.message });
  });
});

describe('MotherDuck connection: what a failure says', () => {
  const translated = (text: string) => translateMotherDuckError(new Error(text));
  const DOWNLOAD = /^Could not connect to MotherDuck: DuckDB could not download its MotherDuck extension \(no connection to extensions\.duckdb\.org\)\. /;

  it('the MotherDuck extension could not be downloaded or found: points to extension_directory in the options setting', () => {
    for (const text of [
      'IO Error: Failed to download extension "motherduck" at URL "http://extensions.duckdb.org/v1.2.0/linux_amd64/motherduck.duckdb_extension.gz"',
      // Autoloading first, the cause on a later line (here a network one: the download is what failed).
      "Extension Autoloading Error: An error occurred while trying to automatically install the required extension 'MotherDuck':\nCould not establish connection",
      'IO Error: Extension "/home/u/.duckdb/extensions/v1.2.0/linux_amd64/motherduck.duckdb_extension" not found.',
    ]) {
      const error = translated(text);
      assert.match(error.message, DOWNLOAD, text);
      assert.match(error.message, /install the extension into an extension_directory and set it in the duckdbSecrets\.duckdb\.options setting\. The local session keeps working\.$/);
      assert.deepEqual(error.actions, [OPEN_OPTIONS_SETTING]);
      assert.equal(error.detail, text);
    }
  });

  it('a rejected token, however MotherDuck words it, offers Set MotherDuck Token', () => {
    for (const text of ['UNAUTHENTICATED', 'not authenticated', 'Invalid token', 'invalid access token', 'token invalid', 'Token is expired', 'Token expired', 'JWT malformed', 'HTTP 401', 'Unauthorized']) {
      const error = translated(`IO Error: ${text}`);
      assert.match(error.message, /^MotherDuck rejected the token\. Create a new access token in MotherDuck \(Settings → Access Tokens\) and run "Set MotherDuck Token"\./, text);
      assert.deepEqual(error.actions, [SET_TOKEN], text);
    }
  });

  it('an unreachable network, with nothing to set', () => {
    for (const text of ['Could not resolve host api.motherduck.com', 'Connection refused', 'connection timed out', 'UNAVAILABLE', 'Deadline Exceeded', 'Temporary failure in name resolution', 'failed to connect to all addresses']) {
      const error = translated(`IO Error: ${text}`);
      assert.equal(error.message, 'Could not reach MotherDuck (network unreachable). Check your connection or proxy and try again; the local session keeps working.', text);
      assert.deepEqual(error.actions, [], text);
    }
  });

  it('anything else: the first line of DuckDB\'s text, the whole text as the detail', () => {
    const error = translated('Binder Error: Catalog "md" does not exist\nDid you mean "memory"?');
    assert.equal(error.message, 'Could not connect to MotherDuck: Binder Error: Catalog "md" does not exist. The local session keeps working.');
    assert.equal(error.detail, 'Binder Error: Catalog "md" does not exist\nDid you mean "memory"?');
    assert.deepEqual(error.actions, []);
    assert.equal(translateMotherDuckError('plain text thrown').message, 'Could not connect to MotherDuck: plain text thrown. The local session keeps working.');
  });

  it('an error already worded for the user is passed on as it is', () => {
    const worded = new UserFacingError('Could not reach the token store.', 'keyring: locked', [SET_TOKEN]);
    assert.equal(translateMotherDuckError(worded), worded);
  });
});
