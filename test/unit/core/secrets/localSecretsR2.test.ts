/**
 * TYPE r2 secrets for real. They need DuckDB's httpfs extension, which cannot be downloaded on an
 * offline machine: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to an extension directory holding httpfs
 * for the bundled DuckDB version (laid out as DuckDB installs it, `<dir>/v<version>/<platform>/
 * httpfs.duckdb_extension`); it is loaded with `allow_unsigned_extensions`. Otherwise every test
 * here is skipped, saying why. Reads go to s3rver on 127.0.0.1 through a custom http:// endpoint.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { LocalSecrets, type CredentialLookup } from '../../../../src/core/secrets/localSecrets';
import { MemoryLogger } from '../../../../src/core/logger';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { KEY_ID_PLACEHOLDER, SECRET_PLACEHOLDER, copyListedSecret } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords } from '../../../../src/core/secrets/sessionSecretRecords';
import { S3RVER_KEY, S3Server } from '../../../support/s3Server';

const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
const ACCOUNT = '0123456789abcdef0123456789abcdef';

describe('R2 secrets with httpfs (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  this.timeout(120_000);
  let dir: string;
  let log: MemoryLogger;
  let session: DuckDBSession;
  let records: SessionSecretRecords;
  let secrets: LocalSecrets;

  before(function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding httpfs to run the TYPE r2 tests');
      this.skip();
    }
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-r2-'));
    log = new MemoryLogger();
    const options = { secret_directory: dir, extension_directory: extensionDir ?? '', allow_unsigned_extensions: 'true' };
    session = new DuckDBSession({ path: ':memory:', options }, log);
    records = new SessionSecretRecords(new MemoryRecordStorage());
    secrets = new LocalSecrets(session, log, records);
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const profile = (overrides: Partial<Credentials> = {}): Credentials => ({
    id: 'p1',
    label: 'dev',
    accountId: ACCOUNT,
    bucket: 'lakehouse',
    jurisdiction: 'default',
    accessKeyId: 'AKIDr2test0001',
    secretAccessKey: 'r2-secret-canary-77',
    ...overrides,
  });

  it('the default endpoint comes from ACCOUNT_ID; the secret is redacted in the listing', async () => {
    await secrets.create(profile(), { name: 'r2_dev_secret', persistent: false, scope: ['r2://lakehouse'] });
    const [secret] = await secrets.r2Secrets();
    assert.equal(secret?.type, 'r2');
    assert.deepEqual(secret?.scope, ['r2://lakehouse']);
    assert.equal(secret?.fields.get('endpoint'), `${ACCOUNT}.r2.cloudflarestorage.com`);
    assert.equal(secret?.fields.get('region'), 'auto');
    const listed = JSON.stringify(await session.query('SELECT secret_string FROM duckdb_secrets()'));
    assert.ok(!listed.includes('r2-secret-canary-77'), listed);
    assert.deepEqual(await secrets.which('r2://lakehouse/x.parquet'), { name: 'r2_dev_secret', storage: 'memory', persistent: false });
    assert.equal(await secrets.which('r2://other/x.parquet'), undefined);
  });

  it('EU sets its endpoint with path style and TLS', async () => {
    await secrets.create(profile({ jurisdiction: 'eu' }), { name: 'r2_eu', persistent: false });
    const [secret] = await secrets.r2Secrets();
    assert.equal(secret?.fields.get('endpoint'), `${ACCOUNT}.eu.r2.cloudflarestorage.com`);
    assert.equal(secret?.fields.get('url_style'), 'path');
    assert.equal(secret?.fields.get('use_ssl'), 'true');
  });

  it('Copy as SQL of a listed secret, keys filled back in, re-creates the same secret', async () => {
    await secrets.create(profile({ jurisdiction: 'fedramp' }), { name: 'r2_copy', persistent: false, scope: ['r2://lakehouse/part'] });
    const shown = async () => (await session.query('SELECT secret_string FROM duckdb_secrets()'))[0]?.secret_string;
    const original = await shown();
    const [listed] = await secrets.r2Secrets();
    assert.ok(listed);
    const text = copyListedSecret(listed).replace(/^--.*\n/, '').replace(KEY_ID_PLACEHOLDER, 'AKIDr2test0001').replace(SECRET_PLACEHOLDER, 'r2-secret-canary-77');
    await secrets.drop({ name: 'r2_copy', storage: 'memory' });
    await session.run(text);
    assert.equal(await shown(), original);
  });

  it('a custom http:// endpoint reads from an S3-compatible server (USE_SSL false, path style)', async () => {
    const server = await S3Server.start({ buckets: ['lakehouse'] });
    try {
      await server.put('lakehouse', 'sales/2024.csv', 'x\n1\n');
      const credentials = profile({ jurisdiction: 'custom', customEndpoint: server.endpoint, ...S3RVER_KEY });
      await secrets.create(credentials, { name: 'r2_local', persistent: false });
      const rows = await session.query("SELECT file FROM glob('r2://lakehouse/**/*.csv')");
      assert.deepEqual(rows, [{ file: 'r2://lakehouse/sales/2024.csv' }]);
    } finally {
      await server.stop();
    }
  });

  it('persistent R2 secrets go to secret_directory; session ones are re-created on start', async () => {
    await secrets.create(profile(), { name: 'r2_disk', persistent: true });
    assert.ok(fs.existsSync(path.join(dir, 'r2_disk.duckdb_secret')));
    await secrets.create(profile(), { name: 'r2_dev_secret', persistent: false });
    const lookup: CredentialLookup = { credentialsFor: (id) => Promise.resolve(id === 'p1' ? profile() : undefined) };
    session.onStart((runner) => secrets.recreateSessionSecrets(runner, lookup).then(() => undefined));
    await session.restart();
    const names = (await secrets.r2Secrets()).map((s) => `${s.name}@${s.storage}`).sort();
    assert.deepEqual(names, ['r2_dev_secret@memory', 'r2_disk@local_file']);
  });
});
