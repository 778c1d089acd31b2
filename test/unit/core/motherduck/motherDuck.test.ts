import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { MotherDuckConnection, setTokenStatement, tokenFromEnv, translateMotherDuckError } from '../../../../src/core/motherduck/motherDuck';
import { clearSecretValues, scrub } from '../../../../src/core/redaction';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { fakeMotherDuckToken } from '../../../support/fakeTokens';

const CANARY = fakeMotherDuckToken('motherDuck.test', 'md-connection-canary');

describe('MotherDuck connection', () => {
  afterEach(() => clearSecretValues());

  it('reads the token from motherduck_token, then MOTHERDUCK_TOKEN, trimmed', () => {
    assert.equal(tokenFromEnv({ motherduck_token: ' a ', MOTHERDUCK_TOKEN: 'b' }), 'a');
    assert.equal(tokenFromEnv({ MOTHERDUCK_TOKEN: 'b\n' }), 'b');
    assert.equal(tokenFromEnv({ motherduck_token: '  ' }), undefined);
  });

  it('builds the token statement with the one escaping function and logs no token', () => {
    const s = setTokenStatement("it's");
    assert.equal(s.sql, "SET motherduck_token = 'it''s'");
    assert.equal(s.describe, 'set motherduck token', 'the log names the step, never the value');
  });

  it('fails offline with the extension-download reason, and the local session keeps working', async function () {
    this.timeout(120_000);
    const log = new MemoryLogger();
    const session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
    try {
      await session.run("CREATE SECRET keep (TYPE http, BEARER_TOKEN 'x')");
      const md = new MotherDuckConnection(log);
      const states: string[] = [];
      md.onDidChange(() => states.push(md.state.kind));
      const error = await md.connect(session, CANARY).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof UserFacingError, String(error));
      assert.match(error.message, /could not download its MotherDuck extension/);
      assert.deepEqual(states, ['connecting', 'failed']);
      assert.ok(!md.isConnected);
      assert.deepEqual(await session.query('SELECT name FROM duckdb_secrets()'), [{ name: 'keep' }]);
      for (const line of log.lines) assert.ok(!line.includes(CANARY), line);
      assert.ok(!error.message.includes(CANARY) && !(error.detail ?? '').includes(CANARY));
      assert.equal(scrub(`x ${CANARY} y`), 'x •••••• y', 'the token is registered for scrubbing');
    } finally {
      session.dispose();
    }
  });

  it('tells a rejected token from an unreachable network', () => {
    const token = translateMotherDuckError(new Error('IO Error: Failed to attach md: UNAUTHENTICATED: invalid token'));
    assert.match(token.message, /rejected the token/);
    assert.equal(token.actions[0]?.command, 'duckdbSecrets.setMotherDuckToken');
    const net = translateMotherDuckError(new Error('IO Error: Could not establish connection to api.motherduck.com: UNAVAILABLE'));
    assert.match(net.message, /network unreachable/);
  });

  describe('the connected account (issue 19, item 1)', () => {
    /** MotherDuck cannot be reached here: this runner plays its part (statements succeed, md_user() answers or fails). */
    class AnsweringRunner {
      readonly statements: string[] = [];
      constructor(private readonly account: () => unknown) {}
      run(sql: string): Promise<void> {
        this.statements.push(sql);
        return Promise.resolve();
      }
      query(sql: string): Promise<Record<string, unknown>[]> {
        this.statements.push(sql);
        return new Promise((resolve) => resolve([{ account: this.account() }])); // a throw becomes a rejection
      }
    }

    it('connects with SET motherduck_token and ATTACH \'md:\' only, then reads the account the token belongs to', async () => {
      const connection = new MotherDuckConnection(new MemoryLogger());
      const runner = new AnsweringRunner(() => 'duck@example.com');
      await connection.connect(runner, CANARY);
      assert.deepEqual(runner.statements, ['LOAD motherduck', `SET motherduck_token = '${CANARY}'`, "ATTACH 'md:'", 'SELECT md_user() AS account']);
      assert.equal(connection.state.kind === 'connected' ? connection.state.account : undefined, 'duck@example.com');
    });

    it('a failing or empty account query still connects, without an account', async () => {
      for (const account of [() => { throw new Error('Catalog Error: md_user does not exist'); }, () => null, () => '  ']) {
        const connection = new MotherDuckConnection(new MemoryLogger());
        const runner = new AnsweringRunner(account);
        await connection.connect(runner, CANARY);
        assert.equal(connection.state.kind, 'connected');
        assert.equal(connection.state.kind === 'connected' ? connection.state.account : 'x', undefined);
      }
    });
  });
});
