/**
 * The secret service against the real DuckDB. Offline, DuckDB's built-in `http` type stands in for
 * `r2` (same secret manager, same storages); the R2 tests run when DUCKDB_SECRETS_TEST_EXTENSION_DIR
 * points at a directory holding httpfs for this DuckDB version.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { UserFacingError } from '../../../../src/core/errors';
import { LocalSecrets, type CredentialLookup, type SecretStatementBuilder } from '../../../../src/core/secrets/localSecrets';
import { MemoryLogger } from '../../../../src/core/logger';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { createHttpSecret } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords } from '../../../../src/core/secrets/sessionSecretRecords';

const KEY_ID = 'AKIDcanary31f0';
const SECRET = 'canary-secret-8b2d';

const profile: Credentials = {
  id: 'profile-dev',
  label: 'dev',
  accountId: '0123456789abcdef0123456789abcdef',
  bucket: 'eo_pv_lakehouse',
  jurisdiction: 'default',
  accessKeyId: KEY_ID,
  secretAccessKey: SECRET,
};

/** Builds an `http` secret from credentials: the secret key becomes the (redacted) bearer token. */
const httpBuilder: SecretStatementBuilder = (c, options) => createHttpSecret({ bearerToken: c.secretAccessKey, httpProxyUsername: c.label }, options);

class Lookup implements CredentialLookup {
  readonly profiles = new Map<string, Credentials>([[profile.id, profile]]);
  reads = 0;
  credentialsFor(profileId: string): Promise<Credentials | undefined> {
    this.reads++;
    return Promise.resolve(this.profiles.get(profileId));
  }
}

describe('LocalSecrets', () => {
  let dir: string;
  let log: MemoryLogger;
  let session: DuckDBSession;
  let records: SessionSecretRecords;
  let secrets: LocalSecrets;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-local-'));
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, log);
    records = new SessionSecretRecords(new MemoryRecordStorage());
    secrets = new LocalSecrets(session, log, records, httpBuilder, 'http');
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const listed = async () => (await secrets.list()).map((s) => `${s.name}@${s.storage}`);
  const assertNoCanaryInLog = () => {
    const text = log.lines.join('\n');
    assert.ok(!text.includes(KEY_ID) && !text.includes(SECRET), text);
  };

  it('creates a session secret from credentials and remembers which profile it came from', async () => {
    const ref = await secrets.create(profile, { name: 'R2_Dev_Secret', persistent: false, scope: ['https://example.test/b'] });
    assert.deepEqual(ref, { name: 'r2_dev_secret', storage: 'memory' });
    const [secret] = await secrets.list();
    assert.equal(secret?.name, 'r2_dev_secret');
    assert.deepEqual(secret?.scope, ['https://example.test/b']);
    assert.equal(secret?.fields.get('http_proxy_username'), 'dev');
    assert.equal(secret?.fields.has('bearer_token'), false, 'the secret is redacted in the listing');
    assert.deepEqual(records.all(), [{ name: 'r2_dev_secret', profileId: 'profile-dev', scope: ['https://example.test/b'] }]);
    // Session secrets are OR REPLACE: Enter through the prompts twice still works.
    await secrets.create(profile, { name: 'r2_dev_secret', persistent: false });
    assert.deepEqual(await listed(), ['r2_dev_secret@memory']);
    assert.deepEqual(records.all(), [{ name: 'r2_dev_secret', profileId: 'profile-dev', scope: [] }]);
    assertNoCanaryInLog();
  });

  it('refuses to start without credentials and creates nothing', async () => {
    await assert.rejects(secrets.create(undefined, { name: 's', persistent: false }), /^UserFacingError: Missing R2 credentials: account id, access key id, secret access key \(no credential profile/);
    await assert.rejects(secrets.create({ ...profile, secretAccessKey: '' }, { name: 's', persistent: false }), /Missing R2 credentials: secret access key\./);
    assert.deepEqual(await listed(), []);
    assert.deepEqual(records.all(), []);
  });

  it('refuses an invalid name before DuckDB sees it', async () => {
    await assert.rejects(secrets.create(profile, { name: "x'; DROP", persistent: false }), /Invalid secret name/);
    assert.deepEqual(await listed(), []);
  });

  it('persistent secrets land in secret_directory, are not remembered, and are not silently replaced', async () => {
    assert.equal(await secrets.secretDirectory(), dir);
    await secrets.create(profile, { name: 'p', persistent: true });
    assert.ok(fs.existsSync(path.join(dir, 'p.duckdb_secret')));
    assert.deepEqual(records.all(), []);
    await assert.rejects(secrets.create(profile, { name: 'p', persistent: true }), (error: UserFacingError) => {
      assert.equal(error.message, 'A secret named "p" already exists in Local file (persistent). Delete it first (Delete Secret), or choose another name.');
      return true;
    });
    await secrets.create(profile, { name: 'p', persistent: true, replace: true });

    // A new session (new instance) sees the persistent secret, not the session one.
    await secrets.create(profile, { name: 's', persistent: false });
    await session.restart();
    assert.deepEqual(await listed(), ['p@local_file']);
    assertNoCanaryInLog();
  });

  it('drops from each storage, a name in two storages one at a time, and forgets dropped session secrets', async () => {
    await secrets.create(profile, { name: 'twin', persistent: false });
    await secrets.create(profile, { name: 'twin', persistent: true });
    await secrets.create(profile, { name: 'solo', persistent: false });
    assert.deepEqual((await secrets.find('TWIN')).map((s) => s.storage).sort(), ['local_file', 'memory']);

    await secrets.drop({ name: 'twin', storage: 'local_file' });
    assert.deepEqual(await listed(), ['solo@memory', 'twin@memory']);
    assert.equal(fs.existsSync(path.join(dir, 'twin.duckdb_secret')), false);
    assert.deepEqual(records.all().map((r) => r.name).sort(), ['solo', 'twin'], 'the session twin is still remembered');

    await secrets.drop({ name: 'twin', storage: 'memory' });
    assert.deepEqual(await listed(), ['solo@memory']);
    assert.deepEqual(records.all().map((r) => r.name), ['solo']);
  });

  it('a drop of something already gone is a clear error', async () => {
    await assert.rejects(secrets.drop({ name: 'gone', storage: 'memory' }), /Secret "gone" does not exist in Session \(memory\) \(any more\)/);
  });

  it('clean-up drops each ticked secret and reports what was dropped and what failed', async () => {
    await secrets.create(profile, { name: 'a', persistent: false });
    await secrets.create(profile, { name: 'b', persistent: true });
    const candidates = await secrets.r2Secrets();
    assert.deepEqual(await new LocalSecrets(session, log, records).r2Secrets(), [], 'only secrets of the service type are offered');
    assert.deepEqual(candidates.map((s) => `${s.name}@${s.storage}`), ['a@memory', 'b@local_file']);
    const report = await secrets.dropAll([...candidates, { name: 'ghost', storage: 'memory' }]);
    assert.deepEqual(report.dropped, candidates.map((s) => s));
    assert.deepEqual(report.failed.map((f) => [f.secret.name, f.message]), [['ghost', 'Secret "ghost" does not exist in Session (memory) (any more). Refresh the Secrets view to see what is there.']]);
    assert.deepEqual(await listed(), []);
  });

  it('which_secret answers with the secret that applies, or nothing', async () => {
    await secrets.create(profile, { name: 'wide', persistent: false, scope: ['https://host'] });
    await secrets.create(profile, { name: 'narrow', persistent: true, scope: ['https://host/lake'] });
    assert.deepEqual(await secrets.which('https://host/lake/x.parquet'), { name: 'narrow', storage: 'local_file', persistent: true });
    assert.deepEqual(await secrets.which('https://host/other'), { name: 'wide', storage: 'memory', persistent: false });
    assert.equal(await secrets.which('https://elsewhere/x'), undefined);
  });

  it('Copy as SQL holds placeholders, never the keys', () => {
    const text = secrets.copyAsSql(profile, { name: 'r2_dev_secret', persistent: false, scope: ['r2://eo_pv_lakehouse'] });
    assert.ok(!text.includes(KEY_ID) && !text.includes(SECRET));
    assert.match(text, /TYPE r2,\n {4}KEY_ID '<R2_ACCESS_KEY_ID>',\n {4}SECRET '<R2_SECRET_KEY>'/);
  });

  describe('keychain-backed session secrets', () => {
    let lookup: Lookup;
    beforeEach(() => {
      lookup = new Lookup();
      session.onStart((runner) => secrets.recreateSessionSecrets(runner, lookup).then(() => undefined));
    });

    it('are re-created from the keychain whenever the session starts', async () => {
      await secrets.create(profile, { name: 'r2_dev_secret', persistent: false, scope: ['https://host/b'] });
      await session.restart();
      const reads = lookup.reads;
      const [again] = await secrets.list();
      assert.deepEqual([again?.name, again?.storage, again?.scope], ['r2_dev_secret', 'memory', ['https://host/b']]);
      assert.equal(lookup.reads, reads + 1, 'credentials are read when the session starts');
      assert.match(log.lines.join('\n'), /Re-created session secrets from the keychain: r2_dev_secret/);
      assertNoCanaryInLog();
    });

    it('a record whose profile is gone is forgotten; one that fails is logged and the session still opens', async () => {
      await secrets.create(profile, { name: 'keep', persistent: false });
      await secrets.create({ ...profile, id: 'deleted-profile' }, { name: 'orphan', persistent: false });
      await records.remember({ name: 'broken', profileId: 'broken-profile', scope: [] });
      lookup.profiles.set('broken-profile', { ...profile, id: 'broken-profile', accessKeyId: '' });
      await session.restart();
      assert.deepEqual(await listed(), ['keep@memory']);
      assert.deepEqual(records.all().map((r) => r.name).sort(), ['broken', 'keep']);
      assert.match(log.lines.join('\n'), /warn Re-creating session secret broken failed: Missing R2 credentials: access key id\./);
      assert.match(log.lines.join('\n'), /Session secret orphan: its credential profile is gone/);
    });

    it('are re-created when their profile\'s keys or account change, and only those', async () => {
      // This stand-in shows the account id (not secret) as the proxy user name, so the re-made secret can be told apart.
      const byAccount = new LocalSecrets(session, log, records, (c, o) => createHttpSecret({ bearerToken: c.secretAccessKey, httpProxyUsername: c.accountId }, o), 'http');
      await byAccount.create(profile, { name: 'from_dev', persistent: false });
      const other: Credentials = { ...profile, id: 'profile-other', label: 'other' };
      lookup.profiles.set(other.id, other);
      await byAccount.create(other, { name: 'from_other', persistent: false });
      assert.deepEqual(await byAccount.recreateChanged(lookup), { recreated: [], failed: [], forgotten: [] }, 'nothing changed');

      lookup.profiles.set(profile.id, { ...profile, secretAccessKey: 'canary-fixed-secret-11aa' });
      assert.deepEqual((await byAccount.recreateChanged(lookup)).recreated, ['from_dev'], 'a new secret key');
      assert.deepEqual((await byAccount.recreateChanged(lookup)).recreated, [], 'done once');

      lookup.profiles.set(profile.id, { ...profile, accountId: 'fedcba9876543210fedcba9876543210' });
      assert.deepEqual((await byAccount.recreateChanged(lookup)).recreated, ['from_dev'], 'a new account id');
      const rows = await session.query("SELECT name, secret_string FROM duckdb_secrets() WHERE name LIKE 'from_%' ORDER BY name");
      assert.match(String(rows[0]?.secret_string), /fedcba9876543210fedcba9876543210/, 'from_dev was made again');
      assert.match(String(rows[1]?.secret_string), /0123456789abcdef0123456789abcdef/, 'from_other was left alone');
      assert.ok(!log.lines.join('\n').includes('canary-fixed-secret-11aa'));
    });

    it('a failing keychain read does not stop the session', async () => {
      await secrets.create(profile, { name: 'keep', persistent: false });
      const failing: CredentialLookup = { credentialsFor: () => Promise.reject(new Error('OS keyring unavailable')) };
      const other = new LocalSecrets(session, log, records, httpBuilder, 'http');
      const fresh = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, log);
      try {
        fresh.onStart((runner) => other.recreateSessionSecrets(runner, failing).then(() => undefined));
        assert.deepEqual(await fresh.query('SELECT 1 AS one'), [{ one: 1 }]);
        assert.match(log.lines.join('\n'), /Re-creating session secret keep failed: OS keyring unavailable/);
      } finally {
        fresh.dispose();
      }
    });
  });

  describe('TYPE r2 without httpfs (offline)', function () {
    before(function () {
      if (process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR) {
        console.log('      skipped: DUCKDB_SECRETS_TEST_EXTENSION_DIR is set, so httpfs is not missing here');
        this.skip();
      }
    });

    it('create fails with the translated offline error and changes nothing', async () => {
      const r2 = new LocalSecrets(session, log, records);
      await r2.create(profile, { name: 'other', persistent: false }).catch(() => undefined);
      const before = await listed();
      await assert.rejects(r2.create(profile, { name: 'r2_dev_secret', persistent: false }), (error: UserFacingError) => {
        assert.match(error.message, /DuckDB needs its httpfs extension .* could not download it/);
        assert.match(error.detail ?? '', /^Extension Autoloading Error/);
        return true;
      });
      assert.deepEqual(await listed(), before);
      assert.deepEqual(records.all(), []);
      assertNoCanaryInLog();
    });
  });
});
