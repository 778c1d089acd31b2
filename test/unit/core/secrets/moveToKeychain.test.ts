/**
 * Move to Keychain, every step, against the real DuckDB with a temporary `secret_directory`, a real
 * CredentialStore over the in-memory SecretStorage, and DuckDB's built-in `http` type standing in
 * for r2/s3 (HTTP_KIND: proxy user name as key id, proxy password as secret). Failures are injected
 * through the fake keychain and a SqlRunner seam over the real session; each must leave the file
 * and the keychain as they were.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { Row, SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { LocalSecrets } from '../../../../src/core/secrets/localSecrets';
import { PlaintextMover, type MoveReport } from '../../../../src/core/secrets/moveToKeychain';
import { assertNoCanary as assertNoCanaryIn, keyPairCanaries } from '../../../support/canary';
import { sqlString } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords } from '../../../../src/core/secrets/sessionSecretRecords';
import { generatedKeyPair } from '../../../support/generatedKeys';
import { HTTP_KIND } from '../../../support/httpKind';
import { outsideTheKeychain, storeOnFakes, type StoreOnFakes } from '../../../support/fakes/storeOnFakes';

/** The window's session with statements that fail on demand, matched by their `describe` label. */
class FailingRunner implements SqlRunner {
  failOn: RegExp | undefined;
  constructor(private readonly inner: SqlRunner) {}
  run(sql: string, describe?: string): Promise<void> {
    if (this.failOn && describe && this.failOn.test(describe)) return Promise.reject(new Error(`Injected failure: ${describe}`));
    return this.inner.run(sql, describe);
  }
  query(sql: string, describe?: string): Promise<Row[]> {
    return this.inner.query(sql, describe);
  }
}

describe('Move to Keychain', () => {
  let dir: string;
  let session: DuckDBSession;
  let runner: FailingRunner;
  let fakes: StoreOnFakes;
  let records: SessionSecretRecords;
  let mover: PlaintextMover;
  const keys = generatedKeyPair(31);
  const other = generatedKeyPair(32);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-move-'));
    fakes = storeOnFakes();
    session = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, fakes.log);
    runner = new FailingRunner(session);
    records = new SessionSecretRecords(new MemoryRecordStorage());
    reports = [];
    mover = new PlaintextMover({ sql: runner, duckdbOptions: () => session.configuration.options, profiles: fakes.store, records, log: fakes.log, kinds: [HTTP_KIND] });
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const persist = (name: string, pair = keys, scope = "'https://data.test/lake'") =>
    session.run(
      `CREATE PERSISTENT SECRET ${name} IN local_file (TYPE http, HTTP_PROXY 'http://proxy.test:3128', ` +
        `HTTP_PROXY_USERNAME ${sqlString(pair.accessKeyId, 'u')}, HTTP_PROXY_PASSWORD ${sqlString(pair.secretAccessKey, 'p')}${scope ? `, SCOPE ${scope}` : ''})`,
    );
  const file = (name: string) => path.join(dir, `${name}.duckdb_secret`);
  const listing = async () => (await session.query('SELECT name, storage, secret_string FROM duckdb_secrets() ORDER BY name, storage')).map((r) => `${String(r.name)}@${String(r.storage)}`);
  const which = async (p: string) => (await session.query(`SELECT name, storage FROM which_secret('${p}', 'http')`))[0];
  const keychainValues = () => [...fakes.secrets.data.values()];
  /** Every report a move gave: what the Move to Keychain summaries are written from. */
  let reports: MoveReport[] = [];
  const move = async (names: readonly string[]): Promise<MoveReport> => {
    const report = await mover.move(names);
    reports.push(report);
    return report;
  };
  const assertNoCanary = () =>
    assertNoCanaryIn({ 'log and globalState': outsideTheKeychain(fakes), 'move reports': JSON.stringify(reports) }, [...keyPairCanaries(keys), ...keyPairCanaries(other, 'other')]);
  /** Nothing changed: the file is there, listed only as persistent, and no profile, key or record was added. */
  const assertUntouched = async (report: MoveReport, reason: RegExp) => {
    assert.deepEqual(report.moved, []);
    assert.equal(report.stayed.length, 1);
    assert.match(report.stayed[0]?.reason ?? '', reason);
    assert.ok(fs.existsSync(file('proxy_dev')), 'the file is still there');
    assert.deepEqual(await listing(), ['proxy_dev@local_file']);
    assert.deepEqual(fakes.store.list(), [], 'no credential profile left behind');
    assert.ok(!keychainValues().includes(keys.secretAccessKey), 'the keychain holds no copy');
    assert.deepEqual(records.all(), []);
    assertNoCanary();
  };

  it('moves a secret: key pair into a new profile, the same secret in the session, the file gone', async () => {
    await persist('proxy_dev');
    assert.deepEqual(await which('https://data.test/lake/x'), { name: 'proxy_dev', storage: 'local_file' });
    const [before] = await session.query("SELECT secret_string FROM duckdb_secrets() WHERE name = 'proxy_dev'");

    const report = await move(['proxy_dev']);

    assert.equal(report.directory, dir, 'says which directory was read');
    assert.deepEqual(report.stayed, []);
    assert.deepEqual(report.moved, [{ name: 'proxy_dev', type: 'http', file: file('proxy_dev'), profile: 'proxy_dev', profileCreated: true, fileLeft: false }]);
    assert.ok(!fs.existsSync(file('proxy_dev')), 'the plaintext file is gone');
    assert.deepEqual(fs.readdirSync(dir), [], 'and so is the round-trip check folder');
    assert.deepEqual(await listing(), ['proxy_dev@memory']);
    const [after] = await session.query("SELECT secret_string FROM duckdb_secrets() WHERE name = 'proxy_dev'");
    assert.equal(after?.secret_string, before?.secret_string, 'same type, scope and parameters (redacted listing)');
    assert.deepEqual(await which('https://data.test/lake/x'), { name: 'proxy_dev', storage: 'memory' });

    const [profile] = fakes.store.list();
    assert.ok(profile);
    assert.deepEqual({ ...profile, id: '' }, { id: '', label: 'proxy_dev', accountId: '', bucket: 'data.test', jurisdiction: 'custom', customEndpoint: 'http://proxy.test:3128' });
    const stored = await fakes.store.credentials(profile.id);
    assert.ok(stored.accessKeyId === keys.accessKeyId && stored.secretAccessKey === keys.secretAccessKey, 'the key pair is in the keychain');
    assert.equal(fakes.store.activeProfile(), undefined, 'the active profile is not changed');
    assert.deepEqual(records.all(), [
      {
        name: 'proxy_dev',
        profileId: profile.id,
        scope: ['https://data.test/lake'],
        definition: { type: 'http', keyIdParam: 'http_proxy_username', secretParam: 'http_proxy_password', parameters: [{ key: 'http_proxy', value: 'http://proxy.test:3128' }] },
      },
    ]);
    assertNoCanary();

    // The next session re-creates it from the keychain, as it was.
    await session.restart();
    assert.deepEqual(await listing(), [], 'a fresh session has neither file nor session secret');
    const local = new LocalSecrets(session, fakes.log, records);
    const recreated = await local.recreateSessionSecrets(session, { credentialsFor: (id) => fakes.store.credentials(id) });
    assert.deepEqual(recreated.recreated, ['proxy_dev']);
    const [again] = await session.query("SELECT secret_string FROM duckdb_secrets() WHERE name = 'proxy_dev'");
    assert.equal(again?.secret_string, before?.secret_string);
    assertNoCanary();
  });

  it('reuses the profile holding the same key id, and moves two secrets sharing a key pair into one profile', async () => {
    const existing = await fakes.store.save(undefined, { label: 'proxy', accountId: '', bucket: '', jurisdiction: 'default' }, keys, { activate: false });
    await persist('proxy_dev');
    await persist('"Proxy-Two"', keys, "'https://other.test'");
    const stores = () => fakes.secrets.calls.filter((c) => c.operation === 'store' && !c.key.endsWith('revision')).length;
    const storedBefore = stores();

    const report = await move(['proxy_dev', 'proxy-two']);

    assert.deepEqual(report.stayed, []);
    assert.deepEqual(report.moved.map((m) => [m.name, m.profile, m.profileCreated]), [
      ['proxy_dev', 'proxy', false],
      ['proxy-two', 'proxy', false],
    ]);
    assert.equal(stores(), storedBefore, 'no key written again');
    assert.deepEqual(fakes.store.list().map((p) => p.id), [existing.id]);
    assert.deepEqual(await listing(), ['proxy-two@memory', 'proxy_dev@memory']);
    assert.deepEqual(records.all().map((r) => r.profileId), [existing.id, existing.id]);
  });

  it('two new secrets with one key pair make one new profile', async () => {
    await persist('proxy_dev');
    await persist('proxy_b', keys, "'https://b.test'");
    const report = await move(['proxy_b', 'proxy_dev']);
    assert.deepEqual(report.moved.map((m) => [m.name, m.profileCreated]), [
      ['proxy_b', true],
      ['proxy_dev', false],
    ]);
    assert.equal(fakes.store.list().length, 1);
    assert.equal(keychainValues().filter((v) => v === keys.secretAccessKey).length, 1, 'stored once');
  });

  it('a profile with the same key id but another secret: stays, naming the profile', async () => {
    await fakes.store.save(undefined, { label: 'stale', accountId: '', bucket: '', jurisdiction: 'default' }, { accessKeyId: keys.accessKeyId, secretAccessKey: other.secretAccessKey });
    await persist('proxy_dev');
    const report = await move(['proxy_dev']);
    assert.match(report.stayed[0]?.reason ?? '', /profile "stale" holds the same key id with a different secret/);
    assert.ok(fs.existsSync(file('proxy_dev')));
    assert.equal(fakes.store.list().length, 1);
    assertNoCanary();
  });

  it('the keychain fails to store: the file and the keychain stay as they were', async () => {
    await persist('proxy_dev');
    fakes.secrets.failWhen = (operation) => operation === 'store';
    await assertUntouched(await move(['proxy_dev']), /OS keychain failed/);
  });

  it('the session secret cannot be created: the new profile is removed again', async () => {
    await persist('proxy_dev');
    runner.failOn = /^create http secret/;
    await assertUntouched(await move(['proxy_dev']), /session secret could not be created/);
  });

  it('the drop fails: session secret, record and new profile are undone, the file stays', async () => {
    await persist('proxy_dev');
    runner.failOn = /^drop secret proxy_dev from local_file/;
    await assertUntouched(await move(['proxy_dev']), /persistent secret could not be dropped/);
  });

  it('which_secret would answer differently: nothing moves', async () => {
    // Two persistent secrets tie on the scope; DuckDB picks by name, so aaa_other applies. A session
    // copy of proxy_dev would outrank both and take the scope over.
    await persist('proxy_dev');
    await session.run("CREATE PERSISTENT SECRET aaa_other IN local_file (TYPE http, HTTP_PROXY 'http://x.test', SCOPE 'https://data.test/lake')");
    const report = await move(['proxy_dev']);
    assert.match(report.stayed[0]?.reason ?? '', /which_secret would answer differently for https:\/\/data\.test\/lake \(aaa_other in local_file before, proxy_dev in memory after\)/);
    assert.ok(fs.existsSync(file('proxy_dev')));
    assert.deepEqual(await listing(), ['aaa_other@local_file', 'proxy_dev@local_file']);
    assert.deepEqual(fakes.store.list(), []);
    assert.deepEqual(records.all(), []);
  });

  it('an ambiguous value stays, with the reason and no value in it', async () => {
    await persist('proxy_dev', { accessKeyId: keys.accessKeyId, secretAccessKey: `${keys.secretAccessKey};http_proxy=x` });
    const report = await move(['proxy_dev']);
    assert.match(report.stayed[0]?.reason ?? '', /cannot be read back without ambiguity/);
    assert.ok(fs.existsSync(file('proxy_dev')));
    assert.deepEqual(fakes.store.list(), []);
    assertNoCanary();
  });

  it('types that do not move, unknown names and names taken in the session stay, with the reason', async () => {
    await persist('proxy_dev');
    await session.run("CREATE PERSISTENT SECRET token_only IN local_file (TYPE http, BEARER_TOKEN 'tok-canary')");
    await session.run("CREATE SECRET token_only (TYPE http, BEARER_TOKEN 'session')");
    const product = new PlaintextMover({ sql: runner, duckdbOptions: () => ({}), profiles: fakes.store, records, log: fakes.log });
    const productReport = await product.move(['proxy_dev']);
    assert.match(productReport.stayed[0]?.reason ?? '', /http secret holds a bearer token or proxy credentials.*only r2, s3, gcs secrets move/);

    const report = await move(['token_only', 'nothing_here']);
    assert.deepEqual(report.stayed.map((s) => s.name), ['token_only', 'nothing_here']);
    assert.match(report.stayed[0]?.reason ?? '', /session secret of the same name exists/);
    assert.match(report.stayed[1]?.reason ?? '', /no local persistent secret of that name/);
    assert.ok(fs.existsSync(file('proxy_dev')) && fs.existsSync(file('token_only')));
    assert.deepEqual(fakes.store.list(), []);
  });

  it('a secret without scope is probed with the empty path and moves', async () => {
    await persist('proxy_dev', keys, '');
    const report = await move(['proxy_dev']);
    assert.deepEqual(report.stayed, []);
    assert.deepEqual(await which('https://anything.test/'), { name: 'proxy_dev', storage: 'memory' });
  });

  it('session-secret records with a malformed definition are skipped (globalState is not trusted)', async () => {
    const storage = new MemoryRecordStorage();
    const good = { name: 'a', profileId: 'p', scope: [], definition: { type: 'http', keyIdParam: 'k', secretParam: 's', parameters: [{ key: 'x', value: true }] } };
    await storage.update([
      good,
      { name: 'b', profileId: 'p', scope: [], definition: { type: 'http', keyIdParam: 'k', secretParam: 's', parameters: [{ key: 'x', value: 1 }] } } as never,
      { name: 'c', profileId: 'p', scope: [], definition: 'CREATE SECRET' } as never,
    ]);
    assert.deepEqual(new SessionSecretRecords(storage).all(), [good]);
  });
});
