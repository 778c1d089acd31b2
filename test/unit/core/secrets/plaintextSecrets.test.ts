/**
 * Naming the plaintext secrets, against the real DuckDB with a temporary `secret_directory`:
 * persistent `http` secrets (built in, no httpfs) are listed with their files and never a value.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import type { Row, SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { listPlaintextSecrets, MOVABLE_KINDS, notMovableReason, readSecretDirectory, secretFile } from '../../../../src/core/secrets/plaintextSecrets';
import type { SecretInfo } from '../../../../src/core/secrets/secretsModel';
import { generatedKeyPair } from '../../../support/generatedKeys';
import { HTTP_KIND } from '../../../support/httpKind';

describe('plaintext secrets: listing and marking', () => {
  let dir: string;
  let session: DuckDBSession;
  const keys = generatedKeyPair(11);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-plain-'));
    session = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, new MemoryLogger());
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists each local persistent secret with its file in the directory the session really uses, and no value', async () => {
    await session.run(`CREATE PERSISTENT SECRET proxy_dev IN local_file (TYPE http, HTTP_PROXY_USERNAME '${keys.accessKeyId}', HTTP_PROXY_PASSWORD '${keys.secretAccessKey}')`);
    await session.run(`CREATE PERSISTENT SECRET "Odd-Name" IN local_file (TYPE http, BEARER_TOKEN '${keys.secretAccessKey}', SCOPE 'https://x.test')`);
    await session.run(`CREATE SECRET in_memory (TYPE http, BEARER_TOKEN 'not-on-disk')`);

    const report = await listPlaintextSecrets(session);
    assert.equal(report.directory, dir, "current_setting('secret_directory') of the session");
    assert.deepEqual(
      report.secrets.map((s) => [s.name, s.type, s.file]),
      [
        ['odd-name', 'http', path.join(dir, 'odd-name.duckdb_secret')],
        ['proxy_dev', 'http', path.join(dir, 'proxy_dev.duckdb_secret')],
      ],
    );
    for (const s of report.secrets) assert.ok(fs.existsSync(s.file), `${s.file} is the file DuckDB wrote`);
    assert.match(report.secrets[0]?.notMovable ?? '', /http secret holds a bearer token.*only r2, s3, gcs/);
    const text = JSON.stringify(report);
    assert.ok(!text.includes(keys.secretAccessKey) && !text.includes(keys.accessKeyId), 'names and files only');
  });

  it('reports the default directory when none is configured (the CLI doctor case)', async () => {
    const plain = new DuckDBSession({ path: ':memory:', options: {} }, new MemoryLogger());
    try {
      const report = await listPlaintextSecrets(plain);
      assert.match(report.directory, /stored_secrets$/);
    } finally {
      plain.dispose();
    }
  });

  const listed = (over: Partial<SecretInfo>): SecretInfo => ({
    name: 's',
    type: 'r2',
    provider: 'config',
    persistent: true,
    storage: 'local_file',
    scope: [],
    fields: new Map(),
    ...over,
  });

  it('r2, s3 and gcs key pairs move; other types, fetched keys and other storages stay, with the reason', () => {
    for (const type of ['r2', 's3', 'gcs']) assert.equal(notMovableReason(listed({ type })), undefined, type);
    assert.match(notMovableReason(listed({ type: 'huggingface' })) ?? '', /huggingface secret holds a token/);
    assert.match(notMovableReason(listed({ type: 'azure' })) ?? '', /azure secret/);
    assert.equal(notMovableReason(listed({ type: 'mysql' })), 'a mysql secret is not an access key pair; only r2, s3, gcs secrets move to the keychain');
    assert.match(notMovableReason(listed({ type: 's3', provider: 'credential_chain' })) ?? '', /provider is credential_chain/);
    assert.match(notMovableReason(listed({ storage: 'memory' })) ?? '', /not a local persistent secret/);
    assert.equal(secretFile('/d', 'x'), path.join('/d', 'x.duckdb_secret'));
  });

  it('an r2 endpoint gives the profile its account id and jurisdiction; others become custom endpoints', () => {
    const r2 = MOVABLE_KINDS.find((k) => k.type === 'r2');
    const s3 = MOVABLE_KINDS.find((k) => k.type === 's3');
    assert.ok(r2 && s3);
    const account = 'ab'.repeat(16);
    assert.deepEqual(r2.location(new Map([['endpoint', `${account}.r2.cloudflarestorage.com`]])), { accountId: account, jurisdiction: 'default' });
    assert.deepEqual(r2.location(new Map([['endpoint', `${account}.eu.r2.cloudflarestorage.com`]])), { accountId: account, jurisdiction: 'eu' });
    assert.deepEqual(r2.location(new Map<string, string | boolean>([['endpoint', '127.0.0.1:9000'], ['use_ssl', false]])), {
      accountId: '',
      jurisdiction: 'custom',
      customEndpoint: 'http://127.0.0.1:9000',
    });
    assert.deepEqual(s3.location(new Map()), { accountId: '', jurisdiction: 'custom', customEndpoint: 'https://s3.amazonaws.com' });
  });
  it('a movable secret is listed with its file and scope, and no notMovable at all', async () => {
    await session.run(`CREATE PERSISTENT SECRET proxy_dev IN local_file (TYPE http, HTTP_PROXY_USERNAME '${keys.accessKeyId}', HTTP_PROXY_PASSWORD '${keys.secretAccessKey}', SCOPE 'https://x.test')`);
    const report = await listPlaintextSecrets(session, [HTTP_KIND]);
    assert.deepEqual(report.secrets, [{ name: 'proxy_dev', type: 'http', file: path.join(dir, 'proxy_dev.duckdb_secret'), scope: ['https://x.test'] }]);
  });

  it('a session that answers no directory, or not a text, gives an empty directory rather than a wrong path', async () => {
    const answering = (rows: Row[]): SqlRunner => ({ run: () => Promise.resolve(), query: () => Promise.resolve(rows) });
    assert.equal(await readSecretDirectory(answering([])), '');
    assert.equal(await readSecretDirectory(answering([{ secret_directory: null }])), '');
  });

  it('r2 endpoints: jurisdictions in any case, plain http and other hosts become custom endpoints, no endpoint is the default', () => {
    const r2 = MOVABLE_KINDS.find((k) => k.type === 'r2');
    assert.ok(r2);
    const account = 'cd'.repeat(16);
    const at = (endpoint: string, more: [string, string | boolean][] = []) => r2.location(new Map<string, string | boolean>([['endpoint', endpoint], ...more]));
    assert.deepEqual(r2.location(new Map()), { accountId: '', jurisdiction: 'default' });
    assert.deepEqual(at(''), { accountId: '', jurisdiction: 'default' });
    assert.deepEqual(at(`${account.toUpperCase()}.FEDRAMP.r2.cloudflarestorage.com`), { accountId: account, jurisdiction: 'fedramp' });
    assert.deepEqual(at(`${account}.EU.r2.cloudflarestorage.com`), { accountId: account, jurisdiction: 'eu' });
    assert.deepEqual(at(`${account}.r2.cloudflarestorage.com`, [['use_ssl', false]]), {
      accountId: '',
      jurisdiction: 'custom',
      customEndpoint: `http://${account}.r2.cloudflarestorage.com`,
    });
    assert.deepEqual(at('minio.test:9000'), { accountId: '', jurisdiction: 'custom', customEndpoint: 'https://minio.test:9000' });
  });

  it('s3 and gcs endpoints: a URL is kept as written, a host gets https (http without SSL), none is the provider default', () => {
    const s3 = MOVABLE_KINDS.find((k) => k.type === 's3');
    const gcs = MOVABLE_KINDS.find((k) => k.type === 'gcs');
    assert.ok(s3 && gcs);
    const endpoint = (kind: typeof s3, value: string, useSsl?: boolean) =>
      kind.location(new Map<string, string | boolean>([['endpoint', value], ...(useSsl === undefined ? [] : [['use_ssl', useSsl] as [string, boolean]])])).customEndpoint;
    assert.equal(endpoint(s3, ''), 'https://s3.amazonaws.com');
    assert.equal(endpoint(s3, 'HTTP://minio.test:9000'), 'HTTP://minio.test:9000');
    assert.equal(endpoint(s3, 'http://minio.test:9000', true), 'http://minio.test:9000');
    assert.equal(endpoint(s3, 'gateway.test/http://inner'), 'https://gateway.test/http://inner');
    assert.equal(endpoint(s3, 'minio.test', false), 'http://minio.test');
    assert.deepEqual(gcs.location(new Map()), { accountId: '', jurisdiction: 'custom', customEndpoint: 'https://storage.googleapis.com' });
    assert.equal(endpoint(gcs, 'gcs.test'), 'https://gcs.test');
  });
});
