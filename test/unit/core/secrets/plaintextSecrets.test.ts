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
import { listPlaintextSecrets, MOVABLE_KINDS, notMovableReason, secretFile } from '../../../../src/core/secrets/plaintextSecrets';
import type { SecretInfo } from '../../../../src/core/secrets/secretsModel';
import { generatedKeyPair } from '../../../support/generatedKeys';

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
});
