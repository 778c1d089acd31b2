/**
 * MotherDuck secrets once MotherDuck is attached. MotherDuck is unreachable here, so a thin stand-in
 * plays only its part — "attached", and the `motherduck` secret storage — over a real DuckDB
 * session that runs everything else (the local secrets listed beside the MotherDuck ones are real).
 */
import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { Row } from '../../../../src/core/duckdb/sqlRunner';
import { UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { MOTHERDUCK_STATEMENTS, MotherDuckConnection } from '../../../../src/core/motherduck/motherDuck';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { clearSecretValues } from '../../../../src/core/redaction';
import { MotherDuckSecrets, type MotherDuckTokens, type RestartableSession } from '../../../../src/core/secrets/motherDuckSecrets';
import { LIST_SECRETS_SQL } from '../../../../src/core/secrets/secretsModel';
import { createHttpSecret } from '../../../../src/core/secrets/secretSql';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { fakeMotherDuckToken } from '../../../support/fakeTokens';
import { generatedKeyPair } from '../../../support/generatedKeys';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

/** A real session with MotherDuck's part simulated: attached or not, and its secret storage. */
class SimulatedMotherDuck implements RestartableSession {
  attached = true;
  /** What the `motherduck` storage answers a CREATE with: undefined stores the secret. */
  createFailure: Error | undefined;
  listFailure: Error | undefined;
  readonly created: string[] = [];
  private readonly stored: Row[] = [];

  constructor(readonly inner: DuckDBSession) {}

  async run(sql: string, describe?: string): Promise<void> {
    const create = /^CREATE OR REPLACE SECRET (\w+) IN MOTHERDUCK \(/.exec(sql);
    if (!create) return this.inner.run(sql, describe);
    if (this.createFailure) throw this.createFailure;
    this.created.push(sql);
    const scope = [...sql.matchAll(/'(r2:\/\/[^']*)'/g)].map((m) => m[1] ?? '');
    this.stored.push({ name: create[1] ?? '', type: 'r2', provider: 'config', persistent: true, storage: 'motherduck', scope, secret_string: '' });
  }

  async query(sql: string, describe?: string): Promise<Row[]> {
    if (sql === MOTHERDUCK_STATEMENTS.attached.sql) return [{ n: this.attached ? 1 : 0 }];
    const rows = await this.inner.query(sql, describe);
    if (sql !== LIST_SECRETS_SQL) return rows;
    if (this.listFailure) throw this.listFailure;
    return [...rows, ...this.stored];
  }

  restart(): Promise<void> {
    return this.inner.restart();
  }
}

class Tokens implements MotherDuckTokens {
  reads = 0;
  constructor(private readonly token: string | undefined) {}
  hasMotherDuckToken(): boolean {
    return this.token !== undefined;
  }
  motherDuckToken(): Promise<string | undefined> {
    this.reads++;
    return Promise.resolve(this.token);
  }
}

describe('MotherDuck secrets once MotherDuck is attached (simulated attachment, real DuckDB)', function () {
  this.timeout(60_000);
  const keys = generatedKeyPair(73);
  const token = fakeMotherDuckToken('md-attached');
  const credentials: Credentials = {
    id: 'profile-prod',
    label: 'prod',
    accountId: TEST_ACCOUNT_ID,
    bucket: 'eo_pv_lakehouse',
    jurisdiction: 'default',
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
  };
  let log: MemoryLogger;
  let inner: DuckDBSession;
  let session: SimulatedMotherDuck;
  let connection: MotherDuckConnection;
  let tokens: Tokens;
  let service: MotherDuckSecrets;
  let states: string[];

  beforeEach(() => {
    log = new MemoryLogger();
    inner = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
    session = new SimulatedMotherDuck(inner);
    connection = new MotherDuckConnection(log);
    states = [];
    connection.onDidChange(() => states.push(connection.state.kind));
    tokens = new Tokens(token);
    service = new MotherDuckSecrets(session, connection, tokens, log);
  });
  afterEach(() => {
    inner.dispose();
    clearSecretValues();
  });

  const noKeys = () => {
    for (const line of log.lines) {
      for (const canary of [token, keys.accessKeyId, keys.secretAccessKey]) assert.ok(!line.includes(canary), 'a value leaked into the log');
    }
  };

  it('isAttached follows the session both ways: attached marks connected, and a connected state stays', async () => {
    assert.equal(await service.isAttached(), true);
    assert.equal(connection.state.kind, 'connected');
    assert.equal(await service.isAttached(), true);
    assert.deepEqual(states, ['connected'], 'no flip-flop while attached');
    session.attached = false;
    assert.equal(await service.isAttached(), false);
    assert.deepEqual(states, ['connected', 'disconnected']);
  });

  it('ensureConnected does nothing when attached, and asks the session again on the next call', async () => {
    assert.equal(await service.ensureConnected(), false);
    assert.equal(tokens.reads, 0, 'the keychain is not read when MotherDuck is attached');
    session.attached = false;
    await assert.rejects(service.ensureConnected(), /could not download its MotherDuck extension/);
    assert.equal(tokens.reads, 1);
  });

  it('create sends the scoped statement to MotherDuck, logs it without values, and returns the MotherDuck secret', async () => {
    const ref = await service.create(credentials, { name: 'r2_prod_secret', scope: ['r2://eo_pv_lakehouse/raw'] });
    assert.deepEqual(ref, { name: 'r2_prod_secret', storage: 'motherduck' });
    assert.equal(session.created.length, 1);
    assert.match(session.created[0] ?? '', /^CREATE OR REPLACE SECRET r2_prod_secret IN MOTHERDUCK \(\n {4}TYPE r2,[\s\S]*SCOPE 'r2:\/\/eo_pv_lakehouse\/raw'\n\)$/);
    assert.ok(log.lines.includes('info Created r2 secret r2_prod_secret in MotherDuck from profile prod'));
    noKeys();
  });

  it("create reports MotherDuck's refusal as a failed R2 secret, offering Set Credentials", async () => {
    session.createFailure = new Error('Invalid Input Error: MotherDuck refused the secret');
    const error = await service.create(credentials, { name: 'r2_prod_secret' }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UserFacingError);
    assert.equal(error.message, 'Failed to create R2 SECRET r2_prod_secret: MotherDuck refused the secret');
    assert.equal(error.actions.length, 1);
    assert.ok(!log.lines.some((l) => l.includes('Created r2 secret')));
  });

  it('list shows only the secrets MotherDuck keeps, not the local ones beside them', async () => {
    await inner.run(createHttpSecret({ bearerToken: 'x' }, { name: 'a_local_one', persistence: 'session', replace: true }).sql);
    assert.deepEqual(await service.list(), []);
    await service.create(credentials, { name: 'r2_prod_secret', scope: ['r2://eo_pv_lakehouse'] });
    const listed = await service.list();
    assert.deepEqual(listed.map((s) => [s.name, s.storage, s.scope]), [['r2_prod_secret', 'motherduck', ['r2://eo_pv_lakehouse']]]);
  });

  it('a failing listing is translated and names what failed', async () => {
    session.listFailure = new Error('IO Error: connection to MotherDuck lost\nLINE 1: SELECT');
    await assert.rejects(service.list(), /^UserFacingError: DuckDB failed to list MotherDuck secrets: connection to MotherDuck lost$/);
  });
});

describe('MotherDuck secrets: the session start hook and the token checks', function () {
  this.timeout(60_000);
  let log: MemoryLogger;
  let session: DuckDBSession;
  let connection: MotherDuckConnection;
  let states: string[];

  const kind = () => connection.state.kind;

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

  it('a new session sheds a "connected" state, but keeps a failure for the status bar', async () => {
    const service = new MotherDuckSecrets(session, connection, new Tokens(undefined), log);
    session.onStart((sql) => service.onSessionStart(sql, false));
    connection.markConnected();
    await session.query('SELECT 1');
    assert.equal(kind(), 'disconnected');

    const tokens = new Tokens(fakeMotherDuckToken('md-start'));
    const failing = new MotherDuckSecrets(session, connection, tokens, log);
    await assert.rejects(failing.ensureConnected());
    assert.equal(kind(), 'failed');
    await session.restart();
    await session.query('SELECT 1');
    assert.equal(kind(), 'failed', 'the failure stays shown after a restart');
    assert.equal(await failing.isAttached(), false);
    assert.equal(kind(), 'failed', 'isAttached keeps the failure too');
  });

  it('connect-at-start with a token that reads back empty makes no attempt', async () => {
    const empty: MotherDuckTokens = { hasMotherDuckToken: () => true, motherDuckToken: () => Promise.resolve(undefined) };
    const service = new MotherDuckSecrets(session, connection, empty, log);
    session.onStart((sql) => service.onSessionStart(sql, true));
    assert.deepEqual(await session.query('SELECT 5 AS n'), [{ n: 5 }]);
    assert.deepEqual(states, []);
  });

  it('incomplete credentials fail before anything else, naming what is missing', async () => {
    const service = new MotherDuckSecrets(session, connection, new Tokens(undefined), log);
    const keys = generatedKeyPair(74);
    const partial: Credentials = { id: 'p', label: 'p', accountId: TEST_ACCOUNT_ID, bucket: 'b', jurisdiction: 'default', accessKeyId: keys.accessKeyId, secretAccessKey: '' };
    await assert.rejects(service.create(partial, { name: 'r2_prod_secret' }), /^UserFacingError: Missing R2 credentials: secret access key/);
  });

  it('without a token the error offers Set MotherDuck Token', async () => {
    const service = new MotherDuckSecrets(session, connection, new Tokens(undefined), log);
    const error = await service.ensureConnected().then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UserFacingError);
    assert.deepEqual(error.actions, [{ title: 'Set MotherDuck Token', command: 'duckdbSecrets.setMotherDuckToken' }]);
  });

  it('disconnect says so in the log', async () => {
    const service = new MotherDuckSecrets(session, connection, new Tokens(undefined), log);
    await service.disconnect();
    assert.ok(log.lines.includes('info Disconnected from MotherDuck: the DuckDB session restarted without it'));
  });
});
