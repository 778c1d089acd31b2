/**
 * LocalSecrets against the real DuckDB, the parts the main suite leaves out: what the log and the
 * reports say, the errors when DuckDB fails, re-creating secrets moved from a file (a stored
 * definition), and which profile changes re-create a session secret. Offline: `http` stands in for `r2`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { LocalSecrets, type CredentialLookup, type SecretStatementBuilder } from '../../../../src/core/secrets/localSecrets';
import { createHttpSecret } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords, type SessionSecretRecord } from '../../../../src/core/secrets/sessionSecretRecords';
import { CredentialFixtures } from '../../../support/credentialFixtures';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

const fixtures = new CredentialFixtures(0x5ec2);
const profile: Credentials = {
  id: 'profile-dev',
  label: 'dev',
  accountId: TEST_ACCOUNT_ID,
  bucket: 'lake',
  jurisdiction: 'default',
  accessKeyId: fixtures.r2KeyId(),
  secretAccessKey: fixtures.r2Secret(),
};

/** The proxy user name shows the account id and endpoint (not secret), so a re-made secret can be told apart. */
const httpBuilder: SecretStatementBuilder = (c, o) =>
  createHttpSecret({ bearerToken: c.secretAccessKey, httpProxyUsername: `${c.accountId}@${c.customEndpoint ?? 'none'}` }, o);

/** A moved `http` secret: the key pair goes to the proxy user name (not redacted) and the bearer token. */
const movedRecord = (name: string, parameters: { key: string; value: string | boolean }[]): SessionSecretRecord => ({
  name,
  profileId: profile.id,
  scope: [],
  definition: { type: 'http', keyIdParam: 'http_proxy_username', secretParam: 'bearer_token', parameters },
});

class Lookup implements CredentialLookup {
  readonly profiles = new Map<string, Credentials>([[profile.id, profile]]);
  credentialsFor(profileId: string): Promise<Credentials | undefined> {
    return Promise.resolve(this.profiles.get(profileId));
  }
}

describe('LocalSecrets reports, logs and errors', () => {
  let dir: string;
  let log: MemoryLogger;
  let session: DuckDBSession;
  let records: SessionSecretRecords;
  let secrets: LocalSecrets;
  let lookup: Lookup;

  beforeEach(() => {
    const options = testDuckDBOptions();
    dir = options.secret_directory ?? '';
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options }, log);
    records = new SessionSecretRecords(new MemoryRecordStorage());
    secrets = new LocalSecrets(session, log, records, httpBuilder, 'http');
    lookup = new Lookup();
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const assertNoKeysInLog = () => {
    const text = log.lines.join('\n');
    assert.ok(!text.includes(profile.accessKeyId) && !text.includes(profile.secretAccessKey));
  };
  const proxyUser = async (name: string) => {
    const [secret] = (await secrets.list()).filter((s) => s.name === name && s.storage === 'memory');
    return secret?.fields.get('http_proxy_username');
  };

  it('logs what it created and dropped, and where', async () => {
    assert.deepEqual(await secrets.create(profile, { name: 'kept', persistent: true }), { name: 'kept', storage: 'local_file' });
    await secrets.create(profile, { name: 'gone', persistent: false });
    await secrets.dropAll([{ name: 'gone', storage: 'memory' }, { name: 'ghost', storage: 'memory' }]);
    assert.deepEqual(log.lines.filter((l) => /Created|Dropp/.test(l)), [
      'info Created http secret kept in local_file from profile dev',
      'info Created http secret gone in memory from profile dev',
      'info Dropped secret gone from memory',
      'warn Dropping ghost from memory failed: Secret "ghost" does not exist in Session (memory) (any more). Refresh the Secrets view to see what is there.',
    ]);
    assertNoKeysInLog();
  });

  it('a CREATE DuckDB refuses is a clear error naming the type and the secret', async () => {
    const refused = new LocalSecrets(session, log, records, () => ({ sql: 'CREATE SECRET bad (TYPE http, NO_SUCH_PARAM 1)', describe: 'create bad' }), 'http');
    await assert.rejects(refused.create(profile, { name: 'bad', persistent: false }), /^UserFacingError: Failed to create HTTP SECRET bad: /);
    assert.deepEqual(records.all(), [], 'a secret that was not made is not remembered');
  });

  it('Copy as SQL of a persistent secret replaces it in the local file', () => {
    const text = secrets.copyAsSql(profile, { name: 'p', persistent: true, scope: ['r2://lake'] });
    assert.match(text, /^CREATE OR REPLACE PERSISTENT SECRET p IN local_file \(/m);
    assert.ok(!text.includes(profile.accessKeyId) && !text.includes(profile.secretAccessKey));
  });

  it('listing, which_secret and secret_directory say what failed when the session is gone', async () => {
    session.dispose();
    await assert.rejects(secrets.list(), /^UserFacingError: DuckDB failed to list secrets: /);
    await assert.rejects(secrets.which('https://host/x'), /^UserFacingError: Could not tell which secret applies to https:\/\/host\/x: /);
    await assert.rejects(secrets.secretDirectory(), /^UserFacingError: DuckDB failed to read secret_directory: /);
  });

  it('re-creates a moved secret from its definition and the profile key pair; the account id is not needed', async () => {
    await records.remember(movedRecord('moved', [{ key: 'http_proxy', value: 'localhost:3128' }]));
    await records.remember(movedRecord('moved_bare', []));
    lookup.profiles.set(profile.id, { ...profile, accountId: '' });
    const report = await secrets.recreateSessionSecrets(session, lookup);
    assert.deepEqual(report, { recreated: ['moved', 'moved_bare'], failed: [], forgotten: [] });
    assert.ok(log.lines.includes('info Re-created session secrets from the keychain: moved, moved_bare'), log.lines.join('\n'));
    assert.equal(await proxyUser('moved_bare'), profile.accessKeyId, 'the key id went to the defined parameter');
  });

  it('a moved secret without its key pair is not re-created, and the log says which key is missing', async () => {
    await records.remember(movedRecord('moved', []));
    lookup.profiles.set(profile.id, { ...profile, accessKeyId: '' });
    const report = await secrets.recreateSessionSecrets(session, lookup);
    assert.deepEqual(report, { recreated: [], failed: [{ name: 'moved', message: 'Missing R2 credentials: access key id.' }], forgotten: [] });
    assert.deepEqual(log.lines.filter((l) => l.startsWith('warn') || /Re-created/.test(l)), ['warn Re-creating session secret moved failed: Missing R2 credentials: access key id.']);
    lookup.profiles.set(profile.id, { ...profile, secretAccessKey: '' });
    assert.deepEqual((await secrets.recreateSessionSecrets(session, lookup)).failed, [{ name: 'moved', message: 'Missing R2 credentials: secret access key.' }]);
  });

  it('a re-create DuckDB refuses names the defined type and logs DuckDB\'s own text after a bar', async () => {
    const r2 = new LocalSecrets(session, log, records);
    await records.remember(movedRecord('moved', [{ key: 'no_such_param', value: 'x' }]));
    const report = await r2.recreateSessionSecrets(session, lookup);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0]?.message ?? '', /^Failed to create HTTP SECRET moved: /);
    assert.match(log.lines.join('\n'), /warn Re-creating session secret moved failed: Failed to create HTTP SECRET moved: .* \| .*no_such_param/i);
    assert.ok(!log.lines.some((l) => l.includes('Re-created session secrets')), 'nothing re-created, nothing claimed');
  });

  it('a remembered secret made from the profile alone that DuckDB refuses is reported with the service type', async () => {
    await secrets.create(profile, { name: 'plain', persistent: false });
    const closed = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, log);
    closed.dispose();
    const report = await secrets.recreateSessionSecrets(closed, lookup);
    assert.deepEqual(report.recreated, []);
    assert.match(report.failed[0]?.message ?? '', /^Failed to create HTTP SECRET plain: /);
  });

  it('a plain keychain error is logged as it is', async () => {
    await secrets.create(profile, { name: 'plain', persistent: false });
    const failing: CredentialLookup = { credentialsFor: () => Promise.reject(new Error('OS keyring unavailable')) };
    const report = await secrets.recreateSessionSecrets(session, failing);
    assert.deepEqual(report, { recreated: [], failed: [{ name: 'plain', message: 'OS keyring unavailable' }], forgotten: [] });
    assert.deepEqual(log.lines.filter((l) => l.startsWith('warn')), ['warn Re-creating session secret plain failed: OS keyring unavailable']);
  });

  describe('after a profile changed', () => {
    it('re-creates when its custom endpoint changed', async () => {
      await secrets.create(profile, { name: 'plain', persistent: false });
      lookup.profiles.set(profile.id, { ...profile, customEndpoint: 'http://127.0.0.1:9000' });
      assert.deepEqual(await secrets.recreateChanged(lookup), { recreated: ['plain'], failed: [], forgotten: [] });
      assert.equal(await proxyUser('plain'), `${TEST_ACCOUNT_ID}@http://127.0.0.1:9000`);
    });

    it('leaves alone the secrets not made in this session', async () => {
      await records.remember({ name: 'earlier', profileId: profile.id, scope: [] });
      lookup.profiles.set(profile.id, { ...profile, secretAccessKey: fixtures.r2Secret() });
      assert.deepEqual(await secrets.recreateChanged(lookup), { recreated: [], failed: [], forgotten: [] });
      assert.deepEqual(await secrets.list(), [], 'nothing was created');
    });

    it('still re-creates a session secret that has a persistent twin of the same name', async () => {
      await secrets.create(profile, { name: 'twin', persistent: false });
      await secrets.create(profile, { name: 'twin', persistent: true });
      lookup.profiles.set(profile.id, { ...profile, accountId: 'fedcba9876543210fedcba9876543210' });
      assert.deepEqual((await secrets.recreateChanged(lookup)).recreated, ['twin']);
      assert.equal(await proxyUser('twin'), 'fedcba9876543210fedcba9876543210@none', 'the session twin has the fixed profile');
    });
  });
});
