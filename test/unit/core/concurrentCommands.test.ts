/**
 * Two commands at once, on the real parts: a live listing of a local S3 server, the DuckDB session,
 * the credential store over the in-memory SecretStorage. Either both complete, or one says why, and
 * what the views are built from (secrets, records of keychain-backed secrets, profiles, keys) ends
 * consistent.
 */
import * as assert from 'node:assert/strict';
import { SECRET_KEYS } from '../../../src/core/credentials/credentialStore';
import { LiveListing } from '../../../src/core/bucket/s3Listing';
import { DuckDBSession } from '../../../src/core/duckdb/duckdbSession';
import { clearSecretValues } from '../../../src/core/redaction';
import { LocalSecrets, type SecretStatementBuilder } from '../../../src/core/secrets/localSecrets';
import { createHttpSecret } from '../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords } from '../../../src/core/secrets/sessionSecretRecords';
import { testDuckDBOptions } from '../../support/duckdbOptions';
import { storeOnFakes, type StoreOnFakes } from '../../support/fakes/storeOnFakes';
import { S3Server } from '../../support/s3Server';
import { seededR2Keys } from '../../support/seededKeys';
import { s3rverProfileInfo } from '../../support/testProfiles';

/** DuckDB's built-in http secret type stands in for r2 (which needs httpfs); the statements' path is the same. */
const httpBuilder: SecretStatementBuilder = (c, options) => createHttpSecret({ bearerToken: c.secretAccessKey, httpProxyUsername: c.label }, options);
const keys = seededR2Keys(0xc0_c0a1);
const OBJECTS = 2500;

describe('Two commands at once', function () {
  this.timeout(60_000);
  let server: S3Server;
  let fakes: StoreOnFakes;
  let session: DuckDBSession;
  let records: SessionSecretRecords;
  let secrets: LocalSecrets;

  before(async () => {
    server = await S3Server.start({ buckets: ['lake'], accessKeys: [[keys.accessKeyId, keys.secretAccessKey]] });
    server.writeObjects('lake', Array.from({ length: OBJECTS }, (_, i) => ({ key: `sales/part-${String(i).padStart(5, '0')}.csv`, body: 'a\n1\n' })));
  });
  after(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    clearSecretValues();
    fakes = storeOnFakes();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, fakes.log);
    records = new SessionSecretRecords(new MemoryRecordStorage());
    secrets = new LocalSecrets(session, fakes.log, records, httpBuilder, 'http');
  });
  afterEach(() => {
    session.dispose();
    fakes.store.dispose();
  });

  /** Lists `sales/` page by page (100 keys a page), as the Bucket view's "Load more" does; `between` runs after the first page. */
  async function listAll(listing: LiveListing, between?: () => Promise<unknown>): Promise<{ objects: number; pages: number; error?: Error }> {
    let objects = 0;
    let pages = 0;
    let continuation: string | undefined;
    let pending: Promise<unknown> | undefined;
    try {
      do {
        const page = await listing.listPrefix('sales/', continuation);
        objects += page.objects.length;
        pages++;
        continuation = page.continuation;
        if (pages === 1 && between) pending = between();
      } while (continuation !== undefined);
    } catch (error) {
      await pending;
      return { objects, pages, error: error as Error };
    }
    await pending;
    return { objects, pages };
  }

  const sessionSecretNames = async () => (await session.query("SELECT name FROM duckdb_secrets() WHERE type = 'http' ORDER BY name")).map((r) => String(r.name));

  it('create a secret while a listing runs: both complete, the secret is listed and re-created from the keychain', async () => {
    const profile = await fakes.store.save(undefined, s3rverProfileInfo(server, 'lake'), keys);
    const listing = new LiveListing({ bucket: 'lake', credentials: () => fakes.store.credentials(profile.id), maxKeys: 100 });
    const [listed, created] = await Promise.all([
      listAll(listing),
      (async () => secrets.create(await fakes.store.credentials(profile.id), { name: 'lake_http', persistent: false }))(),
    ]);
    assert.equal(listed.error, undefined);
    assert.equal(listed.objects, OBJECTS, 'the listing is complete');
    assert.equal(created.name, 'lake_http');
    assert.deepEqual(await sessionSecretNames(), ['lake_http']);
    assert.deepEqual(records.all().map((r) => [r.name, r.profileId]), [['lake_http', profile.id]]);
    await session.restart();
    const report = await secrets.recreateSessionSecrets(session, { credentialsFor: async (id) => (fakes.store.get(id) ? fakes.store.credentials(id) : undefined) });
    assert.deepEqual(report.recreated, ['lake_http']);
  });

  it('delete a profile while a listing uses it: the listing stops with why, the profile\'s keys and records are gone, nothing half-kept', async () => {
    const profile = await fakes.store.save(undefined, s3rverProfileInfo(server, 'lake'), keys);
    await secrets.create(await fakes.store.credentials(profile.id), { name: 'lake_http', persistent: false });
    const listing = new LiveListing({ bucket: 'lake', credentials: () => fakes.store.credentials(profile.id), maxKeys: 100 });
    const listed = await listAll(listing, () => fakes.store.delete(profile.id));
    assert.equal(listed.pages >= 1 && listed.pages < OBJECTS / 100, true, `stopped after ${listed.pages} pages`);
    assert.match(listed.error?.message ?? '', /That R2 profile no longer exists/);
    assert.deepEqual(fakes.store.list(), []);
    assert.deepEqual([...fakes.secrets.data.keys()].filter((k) => k !== SECRET_KEYS.revision), [], 'no key of the deleted profile is left in the keychain');
    // The session secret made from it stays for this session; at the next start it is forgotten, not half re-created.
    assert.deepEqual(await sessionSecretNames(), ['lake_http']);
    await session.restart();
    const report = await secrets.recreateSessionSecrets(session, { credentialsFor: async (id) => (fakes.store.get(id) ? fakes.store.credentials(id) : undefined) });
    assert.deepEqual([report.recreated, report.forgotten, records.all()], [[], ['lake_http'], []]);
    assert.deepEqual(await sessionSecretNames(), []);
  });

  it('save new keys and delete the same profile at once: one order or the other, never keys without a profile', async () => {
    const other = seededR2Keys(0xc0_c0a2);
    for (let round = 0; round < 10; round++) {
      const profile = await fakes.store.save(undefined, s3rverProfileInfo(server, `p${round}`), keys);
      const [saved, deleted] = await Promise.allSettled([
        round % 2 ? fakes.store.delete(profile.id) : fakes.store.save(profile.id, s3rverProfileInfo(server, `p${round}`), other),
        round % 2 ? fakes.store.save(profile.id, s3rverProfileInfo(server, `p${round}`), other) : fakes.store.delete(profile.id),
      ]);
      const outcomes = [saved.status, deleted.status].join(',');
      assert.ok(outcomes === 'fulfilled,fulfilled' || outcomes === 'fulfilled,rejected', `round ${round}: ${outcomes}`);
      const rejected = [saved, deleted].find((r) => r.status === 'rejected');
      if (rejected?.status === 'rejected') assert.match(String(rejected.reason), /was deleted meanwhile/);
      assert.equal(fakes.store.get(profile.id), undefined, `round ${round}: the delete won in the end`);
      const left = [...fakes.secrets.data.keys()].filter((k) => k.includes(profile.id));
      assert.deepEqual(left, [], `round ${round}: no key without a profile`);
    }
  });
});
