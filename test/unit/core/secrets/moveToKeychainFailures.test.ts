/**
 * Move to Keychain when things go wrong, against the real DuckDB with a temporary
 * `secret_directory` and a real CredentialStore over the in-memory SecretStorage (the `http` type
 * stands in for r2/s3, as in moveToKeychain.test.ts). Whatever fails, no credential is lost: the
 * plaintext file stays until its keychain copy answers the same, and no value reaches a message,
 * the report or the log.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { Row, SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { PlaintextMover, type MoveReport } from '../../../../src/core/secrets/moveToKeychain';
import { sqlString } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords, type SessionSecretRecord } from '../../../../src/core/secrets/sessionSecretRecords';
import { assertNoCanary as assertNoCanaryIn, keyPairCanaries } from '../../../support/canary';
import { generatedKeyPair } from '../../../support/generatedKeys';
import { HTTP_KIND } from '../../../support/httpKind';
import { outsideTheKeychain, storeOnFakes, type StoreOnFakes } from '../../../support/fakes/storeOnFakes';

/** The window's session with statements that fail, or silently do nothing, matched by their `describe` label. */
class SeamRunner implements SqlRunner {
  failOn: RegExp | undefined;
  skipOn: RegExp | undefined;
  beforeRun: ((describe: string) => void) | undefined;
  afterRun: ((describe: string) => void) | undefined;
  constructor(private readonly inner: SqlRunner) {}
  async run(sql: string, describe?: string): Promise<void> {
    if (describe) this.beforeRun?.(describe);
    if (this.failOn && describe && this.failOn.test(describe)) throw new Error(`Injected failure: ${describe}`);
    if (this.skipOn && describe && this.skipOn.test(describe)) return;
    await this.inner.run(sql, describe);
    if (describe) this.afterRun?.(describe);
  }
  query(sql: string, describe?: string): Promise<Row[]> {
    if (this.failOn && this.failOn.test(describe ?? sql)) return Promise.reject(new Error(`Injected failure: ${describe ?? 'query'}`));
    return this.inner.query(sql, describe);
  }
}

/** Session-secret records whose writes fail once `failing` is set. */
class FlakyRecordStorage extends MemoryRecordStorage {
  failing = false;
  override update(records: readonly SessionSecretRecord[]): Promise<void> {
    return this.failing ? Promise.reject(new Error('record storage is read-only')) : super.update(records);
  }
}

describe('Move to Keychain: failures lose nothing', () => {
  let dir: string;
  let session: DuckDBSession;
  let runner: SeamRunner;
  let fakes: StoreOnFakes;
  let storage: FlakyRecordStorage;
  let records: SessionSecretRecords;
  let options: () => Readonly<Record<string, string>>;
  let reports: MoveReport[];
  const keys = generatedKeyPair(51);
  const other = generatedKeyPair(52);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-move-fail-'));
    fakes = storeOnFakes();
    session = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, fakes.log);
    runner = new SeamRunner(session);
    storage = new FlakyRecordStorage();
    records = new SessionSecretRecords(storage);
    options = () => session.configuration.options;
    reports = [];
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const move = async (names: readonly string[]): Promise<MoveReport> => {
    const mover = new PlaintextMover({ sql: runner, duckdbOptions: () => options(), profiles: fakes.store, records, log: fakes.log, kinds: [HTTP_KIND] });
    const report = await mover.move(names);
    reports.push(report);
    return report;
  };
  const persist = (name: string, { pair = keys, scope = "'https://data.test/lake'", proxy = true } = {}) =>
    session.run(
      `CREATE PERSISTENT SECRET ${name} IN local_file (TYPE http${proxy ? ", HTTP_PROXY 'http://proxy.test:3128'" : ''}, ` +
        `HTTP_PROXY_USERNAME ${sqlString(pair.accessKeyId, 'u')}, HTTP_PROXY_PASSWORD ${sqlString(pair.secretAccessKey, 'p')}${scope ? `, SCOPE ${scope}` : ''})`,
    );
  const file = (name: string) => path.join(dir, `${name}.duckdb_secret`);
  const logLines = (level: string) => fakes.log.lines.filter((l) => l.startsWith(`${level} `));
  const assertNoCanary = () =>
    assertNoCanaryIn({ 'log and globalState': outsideTheKeychain(fakes), 'move reports': JSON.stringify(reports) }, [...keyPairCanaries(keys), ...keyPairCanaries(other, 'other')]);
  /** The credential is where it was: its file on disk, nothing of it in the keychain. */
  const assertKeptOnDisk = (name: string) => {
    assert.ok(fs.existsSync(file(name)), `${name}'s file is still there`);
    assert.ok(![...fakes.secrets.data.values()].includes(keys.secretAccessKey), 'the keychain holds no copy');
  };

  it('every stay is reported with its type (none for an unknown name) and logged with the file it stays in', async () => {
    await persist('proxy_dev');
    await session.run("CREATE SECRET zzz_other (TYPE http, HTTP_PROXY 'http://x.test', SCOPE 'https://elsewhere.test')");
    const report = await move(['ghost', 'zzz_other']);
    assert.deepEqual(report.stayed, [
      { name: 'ghost', reason: `there is no local persistent secret of that name in ${dir}` },
      { name: 'zzz_other', reason: `there is no local persistent secret of that name in ${dir}` },
    ]);
    assert.deepEqual(logLines('warn'), [
      `warn Move to Keychain: ghost stays in ${file('ghost')}: there is no local persistent secret of that name in ${dir}`,
      `warn Move to Keychain: zzz_other stays in ${file('zzz_other')}: there is no local persistent secret of that name in ${dir}`,
    ]);
    assert.ok(!fakes.log.lines.some((l) => l.includes('allow_unredacted_secrets')), 'nothing to move: no values were read');

    // A session secret of another name does not hold this one back; the read is logged.
    const moved = await move(['proxy_dev']);
    assert.deepEqual(moved.stayed, []);
    assert.deepEqual(moved.moved.map((m) => m.name), ['proxy_dev']);
    assert.ok(logLines('info').includes(`info Move to Keychain: read proxy_dev from ${dir} through a separate DuckDB instance (allow_unredacted_secrets), now closed`));
    assert.ok(
      logLines('info').includes(
        `info Moved secret proxy_dev (http) from ${file('proxy_dev')} to the keychain: credential profile "proxy_dev" (new) and a session secret re-created from it at session start`,
      ),
    );
    assertNoCanary();
  });

  it('the window session cannot say its secret directory or list its secrets: the move fails with what it was doing', async () => {
    runner.failOn = /^read secret_directory/;
    await assert.rejects(move(['proxy_dev']), /DuckDB failed to read secret_directory: Injected failure/);
    runner.failOn = /^list secrets/;
    await assert.rejects(move(['proxy_dev']), /DuckDB failed to list secrets: Injected failure/);
  });

  it('the separate DuckDB cannot open: every candidate stays, with the reason and its type', async () => {
    await persist('proxy_dev');
    await persist('proxy_b', { scope: "'https://b.test'" });
    options = () => ({ ...session.configuration.options, no_such_option_here: 'x' });
    const report = await move(['proxy_dev', 'proxy_b']);
    assert.deepEqual(report.moved, []);
    assert.deepEqual(report.stayed.map((s) => [s.name, s.type]), [
      ['proxy_dev', 'http'],
      ['proxy_b', 'http'],
    ]);
    for (const s of report.stayed) assert.match(s.reason, /^its values could not be read back: DuckDB failed to read the secrets back: .*no_such_option_here/);
    assertKeptOnDisk('proxy_dev');
    assertKeptOnDisk('proxy_b');
    assertNoCanary();
  });

  it('a secret the separate DuckDB does not find stays; the others still move', async () => {
    await persist('proxy_dev');
    await persist('proxy_b', { pair: other, scope: "'https://b.test'" });
    // The window's session still lists proxy_b, but its file is gone: the separate instance cannot read it.
    fs.rmSync(file('proxy_b'));
    const report = await move(['proxy_b', 'proxy_dev']);
    assert.deepEqual(report.stayed, [{ name: 'proxy_b', type: 'http', reason: 'the separate DuckDB instance did not find it' }]);
    assert.deepEqual(report.moved.map((m) => m.name), ['proxy_dev']);
    assert.ok(logLines('info').some((l) => l.startsWith('info Move to Keychain: read proxy_b, proxy_dev from ')));
    assertNoCanary();
  });

  it('a value that parses but does not round-trip exactly stays; the file is untouched', async () => {
    // The password prints as "...;http_proxy=x": the split reads a proxy that is not there.
    await persist('proxy_dev', { pair: { accessKeyId: keys.accessKeyId, secretAccessKey: `${keys.secretAccessKey};http_proxy=x` }, proxy: false });
    const before = fs.readFileSync(file('proxy_dev'));
    const report = await move(['proxy_dev']);
    assert.deepEqual(report.moved, []);
    assert.deepEqual(report.stayed.map((s) => [s.name, s.type]), [['proxy_dev', 'http']]);
    assert.match(report.stayed[0]?.reason ?? '', /cannot be read back without ambiguity/);
    assert.deepEqual(fs.readFileSync(file('proxy_dev')), before);
    assert.deepEqual(fakes.store.list(), []);
    assertNoCanary();
  });

  it('a keychain that cannot be read stops every move; a profile without keys is just skipped', async () => {
    await persist('proxy_dev');
    const lost = generatedKeyPair(54);
    await fakes.store.save(undefined, { label: 'keyless', accountId: '', bucket: '', jurisdiction: 'default' }, lost, { activate: false });
    // Its keys were removed from the keychain by hand.
    for (const [key, value] of fakes.secrets.data) if (value === lost.secretAccessKey) fakes.secrets.data.delete(key);
    const moved = await move(['proxy_dev']);
    assert.deepEqual(moved.stayed, [], 'a profile without keys holds no key id');

    await persist('proxy_b', { pair: other, scope: "'https://b.test'" });
    fakes.secrets.failWhen = (operation) => operation === 'get';
    const report = await move(['proxy_b']);
    assert.deepEqual(report.moved, []);
    assert.deepEqual(report.stayed.map((s) => [s.name, s.type]), [['proxy_b', 'http']]);
    assert.match(report.stayed[0]?.reason ?? '', /keychain/i);
    assert.ok(fs.existsSync(file('proxy_b')));
    assertNoCanary();
  });

  it('which_secret cannot be asked: nothing moves, and the new profile is removed again', async () => {
    await persist('proxy_dev');
    runner.failOn = /^which/;
    const report = await move(['proxy_dev']);
    assert.match(report.stayed[0]?.reason ?? '', /^Could not tell which secret applies to https:\/\/data\.test\/lake: Injected failure/);
    assertKeptOnDisk('proxy_dev');
    assert.deepEqual(fakes.store.list(), []);
  });

  it('every undo step failing too: the file stays, and the message names each step, last first', async () => {
    await persist('proxy_dev');
    runner.failOn = /^drop secret proxy_dev/;
    runner.beforeRun = (describe) => {
      if (describe.startsWith('drop secret proxy_dev from local_file')) {
        storage.failing = true;
        fakes.secrets.failWhen = (operation) => operation === 'delete';
      }
    };
    const report = await move(['proxy_dev']);
    const reason = report.stayed[0]?.reason ?? '';
    assert.match(reason, /^the persistent secret could not be dropped: Failed to delete secret proxy_dev: Injected failure: drop secret proxy_dev from local_file/);
    assert.ok(
      reason.endsWith('; undoing failed too (forget the session secret record; drop the session secret; delete credential profile "proxy_dev"), see the log'),
      reason,
    );
    assert.equal(logLines('error').length, 3);
    assert.match(logLines('error')[0] ?? '', /^error Move to Keychain: could not forget the session secret record: record storage is read-only/);
    assert.ok(fs.existsSync(file('proxy_dev')), 'the plaintext file, the one complete copy, stays');
    assertNoCanary();
  });

  it('a failed move puts back the session-secret record it replaced, and says nothing of undoing when undoing worked', async () => {
    await persist('proxy_dev');
    const previous: SessionSecretRecord = {
      name: 'proxy_dev',
      profileId: 'earlier',
      scope: [],
      definition: { type: 'http', keyIdParam: 'http_proxy_username', secretParam: 'http_proxy_password', parameters: [] },
    };
    const unrelated: SessionSecretRecord = { ...previous, name: 'unrelated', profileId: 'u' };
    await records.remember(unrelated);
    await records.remember(previous);
    runner.failOn = /^drop secret proxy_dev from local_file/;
    const report = await move(['proxy_dev']);
    assert.equal(
      report.stayed[0]?.reason,
      'the persistent secret could not be dropped: Failed to delete secret proxy_dev: Injected failure: drop secret proxy_dev from local_file',
    );
    assert.deepEqual(
      [...records.all()].sort((a, b) => a.name.localeCompare(b.name)),
      [previous, unrelated],
    );
    assertKeptOnDisk('proxy_dev');
  });

  it('a scope-less secret is checked for paths outside any scope', async () => {
    // Two scope-less persistent secrets tie; DuckDB picks aaa_other by name. A session copy would take over.
    await persist('proxy_dev', { scope: '' });
    await session.run("CREATE PERSISTENT SECRET aaa_other IN local_file (TYPE http, HTTP_PROXY 'http://x.test')");
    const report = await move(['proxy_dev']);
    assert.equal(
      report.stayed[0]?.reason,
      'which_secret would answer differently for paths outside any scope (aaa_other in local_file before, proxy_dev in memory after), so nothing moved',
    );
    assertKeptOnDisk('proxy_dev');
  });

  it('a session secret covering the same scope would lose it to the moved copy: nothing moves', async () => {
    await persist('proxy_dev');
    await session.run("CREATE SECRET zzz_other (TYPE http, HTTP_PROXY 'http://x.test', SCOPE 'https://data.test/lake')");
    const report = await move(['proxy_dev']);
    assert.match(report.stayed[0]?.reason ?? '', /\(zzz_other in memory before, proxy_dev in memory after\)/);
    assertKeptOnDisk('proxy_dev');
  });

  it('a session secret that did not take effect: which_secret still answers the file, so the file stays', async () => {
    await persist('proxy_dev');
    runner.skipOn = /^create http secret/;
    const report = await move(['proxy_dev']);
    assert.match(report.stayed[0]?.reason ?? '', /\(proxy_dev in memory before, proxy_dev in local_file after\)/);
    assertKeptOnDisk('proxy_dev');
    assert.deepEqual(records.all(), []);
  });

  it('DuckDB drops the secret but its file stays: reported and logged, so it can be deleted by hand', async () => {
    await persist('proxy_dev');
    const contents = fs.readFileSync(file('proxy_dev'));
    runner.afterRun = (describe) => {
      if (describe.startsWith('drop secret proxy_dev from local_file')) fs.writeFileSync(file('proxy_dev'), contents);
    };
    const report = await move(['proxy_dev']);
    assert.deepEqual(report.moved.map((m) => [m.name, m.fileLeft]), [['proxy_dev', true]]);
    assert.ok(logLines('info').some((l) => l.endsWith('at session start; DuckDB dropped it but the file is still there')));
  });

  it('the first profile holding a key id is the one reused', async () => {
    await fakes.store.save(undefined, { label: 'first', accountId: '', bucket: '', jurisdiction: 'default' }, keys, { activate: false });
    await fakes.store.save(undefined, { label: 'second', accountId: '', bucket: '', jurisdiction: 'default' }, { accessKeyId: keys.accessKeyId, secretAccessKey: other.secretAccessKey }, { activate: false });
    await persist('proxy_dev');
    const report = await move(['proxy_dev']);
    assert.deepEqual(report.moved.map((m) => [m.profile, m.profileCreated]), [['first', false]]);
    assert.ok(logLines('info').some((l) => l.includes('credential profile "first" (reused)')));
  });

  it('a new profile gets a label no other profile has, whatever its case', async () => {
    await fakes.store.save(undefined, { label: 'PROXY_DEV', accountId: '', bucket: '', jurisdiction: 'default' }, other, { activate: false });
    await fakes.store.save(undefined, { label: 'Proxy_Dev (2)', accountId: '', bucket: '', jurisdiction: 'default' }, generatedKeyPair(53), { activate: false });
    await persist('proxy_dev');
    const report = await move(['proxy_dev']);
    assert.deepEqual(report.moved.map((m) => [m.profile, m.profileCreated]), [['proxy_dev (3)', true]]);
  });
});
