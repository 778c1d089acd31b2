import * as assert from 'node:assert/strict';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { groupByStorage, hasSecretOfType, isR2Backed, listSecrets, parseSecretString } from '../../../../src/core/secrets/secretsModel';
import { SecretsTreeModel } from '../../../../src/core/secrets/secretsTreeModel';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

const LIST = 'SELECT name, type, provider, persistent, storage, scope, secret_string FROM duckdb_secrets()';

describe('secrets model', () => {
  let session: DuckDBSession;

  beforeEach(() => {
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, new MemoryLogger());
  });
  afterEach(() => {
    session.dispose();
  });

  it('lists http secrets from both storages, redacted, grouped memory first', async () => {
    await session.run("CREATE PERSISTENT SECRET zeta (TYPE http, BEARER_TOKEN 'tok1', SCOPE 'https://a.example')");
    await session.run("CREATE SECRET alpha (TYPE http, BEARER_TOKEN 'tok2', HTTP_PROXY 'proxy.local:3128')");
    const secrets = await listSecrets(session);
    assert.deepEqual(
      secrets.map((s) => [s.name, s.type, s.storage, s.persistent, s.scope]),
      [
        ['alpha', 'http', 'memory', false, []],
        ['zeta', 'http', 'local_file', true, ['https://a.example']],
      ],
    );
    const alpha = secrets[0];
    assert.equal(alpha?.fields.get('http_proxy'), 'proxy.local:3128');
    assert.equal(alpha?.fields.has('bearer_token'), false, 'redacted fields are dropped');
    assert.ok(JSON.stringify([...(alpha?.fields ?? [])]).indexOf('tok2') === -1);

    const groups = groupByStorage(secrets);
    assert.deepEqual(groups.map((g) => [g.label, g.secrets.length]), [
      ['Session (memory)', 1],
      ['Local file (persistent)', 1],
    ]);
  });

  it('orders unknown storages after the known ones', () => {
    const mk = (name: string, storage: string) => ({ name, type: 'r2', provider: 'config', persistent: true, storage, scope: [], fields: new Map() });
    const groups = groupByStorage([mk('a', 'zzz'), mk('b', 'motherduck'), mk('c', 'memory'), mk('d', 'aaa')]);
    assert.deepEqual(groups.map((g) => g.storage), ['memory', 'motherduck', 'aaa', 'zzz']);
  });

  it('parses secret_string fields and leaves out redacted ones', () => {
    const fields = parseSecretString('name=s;type=r2;provider=config;serializable=true;scope=r2://b;account_id=abc;key_id=K1;secret=redacted;endpoint=abc.r2.cloudflarestorage.com');
    assert.deepEqual(Object.fromEntries(fields), {
      scope: 'r2://b',
      account_id: 'abc',
      key_id: 'K1',
      endpoint: 'abc.r2.cloudflarestorage.com',
    });
  });

  it('tells whether a secret of a type exists, among others', async () => {
    assert.equal(await hasSecretOfType(session, 'http'), false, 'none yet');
    await session.run("CREATE SECRET one (TYPE http, BEARER_TOKEN 't')");
    assert.equal(await hasSecretOfType(session, 'http'), true);
    assert.equal(await hasSecretOfType(session, 'r2'), false);
    const mixed = { run: () => Promise.resolve(), query: async () => [...(await session.query(LIST)), { name: 'two', type: 'r2', storage: 'memory' }] };
    assert.equal(await hasSecretOfType(mixed, 'http'), true, 'one of several types is enough');
  });

  it('reads a listing row with no scope list and no secret_string as empty ones', async () => {
    const odd = { run: () => Promise.resolve(), query: () => Promise.resolve([{ name: 'n', type: 'r2', provider: 'config', persistent: true, storage: 'motherduck', scope: null, secret_string: null }]) };
    const [secret] = await listSecrets(odd);
    assert.deepEqual(secret?.scope, []);
    assert.equal(secret?.fields.size, 0);
  });

  it('skips secret_string parts without a field name', () => {
    assert.deepEqual(Object.fromEntries(parseSecretString('name=s;loose;=orphan;region=auto')), { region: 'auto' });
  });

  it('tells R2-backed secrets: the r2 type, or s3 with an R2 endpoint or region auto; nothing else', () => {
    const secret = (type: string, fields: Record<string, string>) => ({ type, fields: new Map(Object.entries(fields)) });
    assert.equal(isR2Backed(secret('r2', {})), true);
    assert.equal(isR2Backed(secret('s3', { endpoint: 'abc.r2.cloudflarestorage.com', region: 'us-east-1' })), true);
    assert.equal(isR2Backed(secret('s3', { endpoint: 'abc.eu.r2.cloudflarestorage.com:443' })), true);
    assert.equal(isR2Backed(secret('s3', { region: 'auto' })), true);
    assert.equal(isR2Backed(secret('s3', { region: 'eu-west-1' })), false);
    assert.equal(isR2Backed(secret('gcs', { endpoint: 'abc.r2.cloudflarestorage.com', region: 'auto' })), false);
    assert.equal(isR2Backed(secret('http', {})), false);
  });

  it('tree model reports a failure as state and recovers on refresh', async () => {
    const log = new MemoryLogger();
    let fail = true;
    const flaky = {
      run: () => Promise.resolve(),
      query: (sql: string) => (fail ? Promise.reject(new Error('Catalog Error: boom')) : session.query(sql)),
    };
    const model = new SecretsTreeModel(flaky, log);
    let changes = 0;
    model.onDidChange(() => changes++);
    const failed = await model.ensureLoaded();
    assert.deepEqual(failed, { kind: 'failed', message: 'Catalog Error: boom' });
    assert.match(log.lines.join('\n'), /Listing secrets failed: Catalog Error: boom/);
    fail = false;
    await session.run("CREATE SECRET one (TYPE http, BEARER_TOKEN 't')");
    const loaded = await model.refresh();
    assert.equal(loaded.kind, 'loaded');
    assert.equal(loaded.kind === 'loaded' && loaded.secrets[0]?.name, 'one');
    assert.equal(changes, 2);
  });

  it('shares one query between concurrent refreshes', async () => {
    let queries = 0;
    const counting = { run: () => Promise.resolve(), query: (sql: string) => (queries++, session.query(sql)) };
    const model = new SecretsTreeModel(counting, new MemoryLogger());
    await Promise.all([model.refresh(), model.refresh(), model.refresh()]);
    assert.equal(queries, 1);
  });
});
