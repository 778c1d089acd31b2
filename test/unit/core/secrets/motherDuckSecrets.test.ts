/**
 * MotherDuck secrets up to the network: the statements (and that DuckDB's parser takes them), the
 * storage rules once MotherDuck is attached, and the service against the real DuckDB, whose attempt
 * to download the MotherDuck extension fails on this offline machine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { Row, SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { translateDuckDBError } from '../../../../src/core/duckdb/duckdbErrors';
import { UserFacingError } from '../../../../src/core/errors';
import { LocalSecrets } from '../../../../src/core/secrets/localSecrets';
import { MemoryLogger } from '../../../../src/core/logger';
import { MotherDuckConnection } from '../../../../src/core/motherduck/motherDuck';
import { MotherDuckSecrets, type MotherDuckTokens } from '../../../../src/core/secrets/motherDuckSecrets';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { clearSecretValues } from '../../../../src/core/redaction';
import type { SecretInfo } from '../../../../src/core/secrets/secretsModel';
import { copyListedSecret, createHttpSecret, createMotherDuckR2Secret, createR2Secret, dropSecret } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords } from '../../../../src/core/secrets/sessionSecretRecords';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const KEY_ID = 'AKID-md-canary-61c2';
const SECRET = 'sk-md-canary-0e7d';
const TOKEN = 'md-token-canary-93b1f0';

const credentials: Credentials = {
  id: 'profile-prod',
  label: 'prod',
  accountId: ACCOUNT,
  bucket: 'eo_pv_lakehouse',
  jurisdiction: 'default',
  accessKeyId: KEY_ID,
  secretAccessKey: SECRET,
};

/** Records statements instead of running them: for checking the exact text a service sends. */
class RecordingRunner implements SqlRunner {
  readonly statements: string[] = [];
  run(sql: string): Promise<void> {
    this.statements.push(sql);
    return Promise.resolve();
  }
  query(sql: string): Promise<Row[]> {
    this.statements.push(sql);
    return Promise.resolve([]);
  }
}

class Tokens implements MotherDuckTokens {
  reads = 0;
  constructor(private token: string | undefined) {}
  hasMotherDuckToken(): boolean {
    return this.token !== undefined;
  }
  motherDuckToken(): Promise<string | undefined> {
    this.reads++;
    return Promise.resolve(this.token);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected a failure'),
    (error: unknown) => error,
  );
}

describe('MotherDuck secrets: statements', () => {
  it('creates the R2 secret IN MOTHERDUCK, replacing, without PERSISTENT', () => {
    const statement = createMotherDuckR2Secret(credentials, { name: 'r2_prod_secret' });
    assert.equal(
      statement.sql,
      `CREATE OR REPLACE SECRET r2_prod_secret IN MOTHERDUCK (\n    TYPE r2,\n    KEY_ID '${KEY_ID}',\n    SECRET '${SECRET}',\n    ACCOUNT_ID '${ACCOUNT}',\n    REGION 'auto'\n)`,
    );
    assert.equal(statement.describe, 'create r2 secret r2_prod_secret (in motherduck)');
    const scoped = createMotherDuckR2Secret(credentials, { name: 'p', scope: ['r2://eo_pv_lakehouse'] });
    assert.match(scoped.sql, /SCOPE 'r2:\/\/eo_pv_lakehouse'\n\)$/);
    assert.equal(scoped.describe, 'create r2 secret p (in motherduck, scoped)');
  });

  it('validates the name like any secret', () => {
    assert.throws(() => createMotherDuckR2Secret(credentials, { name: 'bad-name' }), /Invalid secret name/);
  });

  it('Copy as SQL of a listed MotherDuck secret recreates it in MotherDuck, keys as placeholders', () => {
    const listed: SecretInfo = {
      name: 'r2_prod_secret',
      type: 'r2',
      provider: 'config',
      persistent: true,
      storage: 'motherduck',
      scope: ['r2://'],
      fields: new Map([['endpoint', `${ACCOUNT}.r2.cloudflarestorage.com`], ['region', 'auto']]),
    };
    const text = copyListedSecret(listed);
    assert.match(text, /^-- Replace <R2_ACCESS_KEY_ID> and <R2_SECRET_KEY>.*\nCREATE OR REPLACE SECRET r2_prod_secret IN MOTHERDUCK \(\n {4}TYPE r2,/);
  });

  describe('storage rules once MotherDuck is attached (PERSISTENT alone would mean MotherDuck)', () => {
    it('a local persistent secret always names local_file', () => {
      for (const replace of [false, true]) {
        const r2 = createR2Secret(credentials, { name: 'r2_local', persistence: 'persistent', replace });
        assert.match(r2.sql, new RegExp(`^CREATE ${replace ? 'OR REPLACE ' : ''}PERSISTENT SECRET r2_local IN local_file \\(`));
        const http = createHttpSecret({ bearerToken: 'x' }, { name: 'h', persistence: 'persistent', replace });
        assert.match(http.sql, /PERSISTENT SECRET h IN local_file \(/);
      }
    });

    it('session secrets name no storage and are never PERSISTENT', () => {
      const session = createR2Secret(credentials, { name: 'r2_dev_secret', persistence: 'session', replace: true });
      assert.match(session.sql, /^CREATE OR REPLACE SECRET r2_dev_secret \(/);
    });

    it('Create Persistent Local R2 Secret sends PERSISTENT … IN local_file', async () => {
      const runner = new RecordingRunner();
      const local = new LocalSecrets(runner, new MemoryLogger(), new SessionSecretRecords(new MemoryRecordStorage()));
      await local.create(credentials, { name: 'r2_local', persistent: true });
      assert.match(runner.statements[0] ?? '', /^CREATE PERSISTENT SECRET r2_local IN local_file \(/);
    });

    it('deleting names the storage: memory, local_file and motherduck each their own way', async () => {
      assert.equal(dropSecret('r2_prod_secret', 'motherduck').sql, 'DROP SECRET r2_prod_secret FROM motherduck');
      assert.equal(dropSecret('r2_local', 'local_file').sql, 'DROP PERSISTENT SECRET r2_local FROM local_file');
      assert.equal(dropSecret('r2_dev_secret', 'memory').sql, 'DROP TEMPORARY SECRET r2_dev_secret');
      const runner = new RecordingRunner();
      const local = new LocalSecrets(runner, new MemoryLogger(), new SessionSecretRecords(new MemoryRecordStorage()));
      await local.drop({ name: 'r2_prod_secret', storage: 'motherduck' });
      assert.deepEqual(runner.statements, ['DROP SECRET r2_prod_secret FROM motherduck']);
    });
  });

  describe('DuckDB takes the statements (its parser, offline)', () => {
    let dir: string;
    let session: DuckDBSession;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-md-'));
      session = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, new MemoryLogger());
    });
    afterEach(() => {
      session.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('CREATE … IN MOTHERDUCK parses, and without MotherDuck fails on the storage, translated', async () => {
      const sql = createHttpSecret({ bearerToken: SECRET }, { name: 'h', persistence: 'persistent', storage: 'motherduck', replace: true }).sql;
      assert.match(sql, /^CREATE OR REPLACE SECRET h IN MOTHERDUCK \(/);
      const error = await rejection(session.run(sql));
      assert.match(String(error), /Secret storage 'motherduck' not found/);
      const translated = translateDuckDBError(error, { kind: 'create', type: 'r2', name: 'h', persistent: true });
      assert.equal(translated.message, 'The secret storage "motherduck" is not available in this DuckDB session. Connect to MotherDuck first.');
      assert.ok(!translated.message.includes(SECRET) && !(translated.detail ?? '').includes(SECRET));
    });

    it('DROP SECRET … FROM motherduck parses, and without MotherDuck says to connect', async () => {
      const error = await rejection(session.run(dropSecret('r2_prod_secret', 'motherduck').sql));
      const translated = translateDuckDBError(error, { kind: 'drop', name: 'r2_prod_secret', storage: 'motherduck' });
      assert.match(translated.message, /storage "motherduck" is not available .* Connect to MotherDuck first\.$/);
    });

    it('a persistent secret made with IN local_file lands in local_file, and its drop removes the file', async () => {
      await session.run(createHttpSecret({ bearerToken: 'b' }, { name: 'keep_local', persistence: 'persistent', replace: false }).sql);
      assert.deepEqual(await session.query("SELECT name, storage, persistent FROM duckdb_secrets() WHERE name = 'keep_local'"), [
        { name: 'keep_local', storage: 'local_file', persistent: true },
      ]);
      assert.ok(fs.existsSync(path.join(dir, 'keep_local.duckdb_secret')));
      await session.run(dropSecret('keep_local', 'local_file').sql);
      assert.equal(fs.existsSync(path.join(dir, 'keep_local.duckdb_secret')), false);
    });
  });
});

describe('MotherDuck secrets: the service against the real DuckDB (offline)', function () {
  this.timeout(120_000);
  let log: MemoryLogger;
  let session: DuckDBSession;
  let connection: MotherDuckConnection;
  let states: string[];

  beforeEach(() => {
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
    connection = new MotherDuckConnection(log);
    states = [];
    connection.onDidChange(() => states.push(connection.state.kind));
  });
  afterEach(() => {
    session.dispose();
    clearSecretValues();
  });

  const noCanary = (...texts: string[]) => {
    for (const text of [...texts, ...log.lines]) {
      for (const canary of [TOKEN, SECRET, KEY_ID]) assert.ok(!text.includes(canary), `${canary} leaked: ${text}`);
    }
  };

  it('create connects first; offline that fails with the download reason, creates nothing, and the local session keeps working', async () => {
    const service = new MotherDuckSecrets(session, connection, new Tokens(TOKEN), log);
    await session.run(createHttpSecret({ bearerToken: 'x' }, { name: 'bystander', persistence: 'session', replace: true }).sql);
    const error = await rejection(service.create(credentials, { name: 'r2_prod_secret' }));
    assert.ok(error instanceof UserFacingError);
    assert.match(error.message, /^Could not connect to MotherDuck: DuckDB could not download its MotherDuck extension/);
    assert.match(error.detail ?? '', /Failed to download extension "motherduck"/);
    assert.deepEqual(states, ['connecting', 'failed']);
    assert.deepEqual(await session.query('SELECT name, storage FROM duckdb_secrets()'), [{ name: 'bystander', storage: 'memory' }]);
    assert.ok(!log.lines.some((l) => l.includes('Created r2 secret')));
    noCanary(error.message, error.detail ?? '', connection.state.kind === 'failed' ? connection.state.message : '');
  });

  it('missing credentials or a missing token fail before any connection attempt', async () => {
    const noToken = new MotherDuckSecrets(session, connection, new Tokens(undefined), log);
    await assert.rejects(noToken.create(undefined, { name: 'r2_prod_secret' }), /^UserFacingError: Missing R2 credentials: account id, access key id, secret access key \(no credential profile is set up\)\.$/);
    const error = await rejection(noToken.create(credentials, { name: 'r2_prod_secret' }));
    assert.ok(error instanceof UserFacingError);
    assert.match(error.message, /^No MotherDuck token is stored\. Run "Set MotherDuck Token"/);
    assert.deepEqual(error.actions.map((a) => a.command), ['duckdbSecrets.setMotherDuckToken']);
    assert.deepEqual(states, [], 'no connection was attempted');
  });

  it('concurrent MotherDuck actions share one connection attempt', async () => {
    const tokens = new Tokens(TOKEN);
    const service = new MotherDuckSecrets(session, connection, tokens, log);
    const results = await Promise.allSettled([service.ensureConnected(), service.ensureConnected(), service.list()]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
    assert.equal(tokens.reads, 1, 'the token was read once');
    assert.deepEqual(states, ['connecting', 'failed']);
  });

  it('isAttached reads the session as it is: a stale "connected" becomes disconnected', async () => {
    const service = new MotherDuckSecrets(session, connection, new Tokens(TOKEN), log);
    connection.markConnected();
    assert.equal(await service.isAttached(), false);
    assert.equal(connection.state.kind, 'disconnected');
  });

  it('connect-at-start: tries in the start hook, the session opens anyway; off, the keychain is not read', async () => {
    const tokens = new Tokens(TOKEN);
    const service = new MotherDuckSecrets(session, connection, tokens, log);
    let connectOnStart = false;
    session.onStart((sql) => service.onSessionStart(sql, connectOnStart));
    assert.deepEqual(await session.query('SELECT 42 AS n'), [{ n: 42 }]);
    assert.equal(tokens.reads, 0);
    assert.deepEqual(states, []);

    connectOnStart = true;
    await session.restart();
    assert.deepEqual(await session.query('SELECT 43 AS n'), [{ n: 43 }], 'the session opened although MotherDuck failed');
    assert.equal(tokens.reads, 1);
    assert.deepEqual(states, ['connecting', 'failed']);
    assert.ok(log.lines.some((l) => /^error MotherDuck: Could not connect to MotherDuck/.test(l)));
    noCanary();
  });

  it('connect-at-start with a failing keychain: one warning, no attempt, the session opens', async () => {
    const broken: MotherDuckTokens = {
      hasMotherDuckToken: () => true,
      motherDuckToken: () => Promise.reject(new Error('Cannot get password: no keyring')),
    };
    const service = new MotherDuckSecrets(session, connection, broken, log);
    session.onStart((sql) => service.onSessionStart(sql, true));
    assert.deepEqual(await session.query('SELECT 7 AS n'), [{ n: 7 }]);
    assert.deepEqual(states, []);
    assert.deepEqual(log.lines.filter((l) => l.startsWith('warn')), ['warn MotherDuck was not connected at session start: Cannot get password: no keyring']);
  });

  it('disconnect restarts the session without MotherDuck and holds off connect-at-start until Connect', async () => {
    const tokens = new Tokens(TOKEN);
    const service = new MotherDuckSecrets(session, connection, tokens, log);
    session.onStart((sql) => service.onSessionStart(sql, true));
    await session.query('SELECT 1');
    assert.equal(tokens.reads, 1);
    await session.run(createHttpSecret({ bearerToken: 'x' }, { name: 'gone_after_restart', persistence: 'session', replace: true }).sql);

    await service.disconnect();
    assert.equal(connection.state.kind, 'disconnected');
    assert.deepEqual(await session.query('SELECT name FROM duckdb_secrets()'), [], 'a new session');
    assert.equal(tokens.reads, 1, 'connect-at-start stays off after Disconnect');

    await assert.rejects(service.connect(), /could not download its MotherDuck extension/);
    await session.restart();
    await session.query('SELECT 1');
    assert.equal(tokens.reads, 3, 'Connect lifted the hold: the next start connects again');
  });
});
