/**
 * Test R2 Bucket on a local folder (DuckDB globs and reads local paths as it does r2:// ones; no
 * httpfs needed): the progress people see, which object is read and what a missed read says,
 * refusals of path syntax, cancelling as the listing ends, and what a finished test leaves behind
 * on the caller's signal. Plus the pure parts: the summary line, the secret lookup's fields, the
 * endpoint and key checks.
 */
import * as assert from 'node:assert/strict';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import { getEventListeners } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appliedSecret, bucketErrorContext, listWithDuckDB, madeFrom, smallestReadable, summarize, testBucket, type AppliedSecret, type BucketTestDeps, type BucketTestResult } from '../../../../src/core/bucket/bucketTest';
import { foldListing } from '../../../../src/core/bucket/bucketFolding';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { Row, SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { seededR2Keys } from '../../../support/seededKeys';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

const keys = seededR2Keys(90210);

/** A profile whose endpoint nobody answers on (port 9, discard): anything that tried it would fail. */
const unreachable: Credentials = { id: 'p', label: 'Nowhere', accountId: TEST_ACCOUNT_ID, bucket: 'lake', jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9', ...keys };

describe('Test R2 Bucket on a local folder: progress, the read, refusals, cancel', () => {
  let dir: string;
  let session: DuckDBSession;
  let log: MemoryLogger;
  let deps: BucketTestDeps;
  let interrupts = 0;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-bucket-test-local-'));
    const files: Record<string, string> = { 'README.md': 'lakehouse!', 'staging/raw/a.csv': 'x,y\n', 'tiny.txt': 'ab', '_SUCCESS': '' };
    for (const [key, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
      fs.writeFileSync(path.join(dir, key), body);
    }
    fs.mkdirSync(path.join(dir, 'empty'));
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
    deps = {
      db: session,
      interrupt: () => {
        interrupts++;
        session.interrupt();
      },
      log,
    };
  });
  beforeEach(() => {
    interrupts = 0;
  });
  after(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says what it does, in order; a root without its slash gets one; times are of this run', async () => {
    const progress: string[] = [];
    const controller = new AbortController();
    const lines = log.lines.length;
    const before = performance.now();
    const result = await testBucket(deps, { root: dir, signal: controller.signal, onProgress: (m) => progress.push(m) });
    const wall = performance.now() - before;
    assert.equal(result.root, `${dir}/`);
    assert.deepEqual(progress, [`Listing ${dir}/ through DuckDB…`, 'Read 4 of 4 objects…', 'Checking read access…']);
    assert.deepEqual(result.read, { outcome: 'ok', key: 'tiny.txt', what: 'object', bytes: 2 });
    assert.ok(result.listMs >= 0 && result.listMs <= result.elapsedMs && result.elapsedMs <= wall, `${result.listMs} ≤ ${result.elapsedMs} ≤ ${wall}`);
    assert.equal(result.profile, undefined);
    assert.ok(!log.lines.slice(lines).some((l) => /which_secret/.test(l)), 'no secret is looked up for a local folder');
    // Done: cancelling now interrupts nothing, and nothing was left listening on the caller's signal.
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    controller.abort();
    assert.equal(interrupts, 0);
  });

  it('the DuckDB listing of a folder given without its slash: keys relative to the folder', async () => {
    const listing = await listWithDuckDB(deps, `${dir}/staging`);
    assert.deepEqual((await listing.listPrefix('raw/')).objects.map((o) => o.key), ['raw/a.csv']);
  });

  it('a profile given for a local folder is not tried: its keys prove nothing about a folder', async () => {
    const result = await testBucket(deps, { root: `${dir}/`, credentials: unreachable });
    assert.equal(result.method, 'duckdb');
    assert.equal(result.profile, undefined);
    assert.equal(result.listing.objectCount, 4);
  });

  it('the chosen object: spaces around it and leading slashes do not count; a blank one is none', async () => {
    for (const readObject of ['  staging/raw/a.csv  ', '//staging/raw/a.csv', '/staging/raw/a.csv', `${dir}/staging/raw/a.csv`]) {
      const result = await testBucket(deps, { root: `${dir}/`, readObject });
      assert.deepEqual(result.read, { outcome: 'ok', key: 'staging/raw/a.csv', what: 'object', bytes: 4 }, readObject);
    }
    const blank = await testBucket(deps, { root: `${dir}/`, readObject: '   ' });
    assert.equal(blank.read.outcome === 'ok' && blank.read.key, 'tiny.txt');
  });

  it('what a missed read says: the object not found, an empty folder', async () => {
    const missing = await testBucket(deps, { root: `${dir}/`, readObject: 'nope.txt' });
    assert.deepEqual(missing.read, { outcome: 'failed', key: 'nope.txt', status: 404, message: `${dir}/nope.txt was not found.` });
    const empty = await testBucket(deps, { root: `${dir}/empty/` });
    assert.deepEqual(empty.read, { outcome: 'skipped', message: 'The listing is empty: there is no object to read.' });
  });

  it('path syntax in the folder tested or the object chosen is refused, naming who refuses', async () => {
    await assert.rejects(testBucket(deps, { root: 'r2://lake/odd?x=1/' }), (error: unknown) => error instanceof UserFacingError && /^Test R2 Bucket refuses this object: its key contains "\?"/.test(error.message));
    await assert.rejects(
      testBucket(deps, { root: `${dir}/`, readObject: 'staging/*.csv' }),
      (error: unknown) => error instanceof UserFacingError && /^The read check \(duckdbSecrets\.testBucket\.readObject\) refuses this object: its key contains "\*"/.test(error.message),
    );
  });

  it('cancelled as the last page comes in: CancelledError, and no read check is started', async () => {
    const controller = new AbortController();
    const progress: string[] = [];
    const onProgress = (m: string) => {
      progress.push(m);
      if (m === 'Read 4 of 4 objects…') controller.abort();
    };
    await assert.rejects(testBucket(deps, { root: `${dir}/`, signal: controller.signal, onProgress }), (error: unknown) => error instanceof CancelledError);
    assert.equal(progress.at(-1), 'Read 4 of 4 objects…');
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
  });
});

describe('Test R2 Bucket: the summary line and the checks behind the direct listing', () => {
  const result = async (read: BucketTestResult['read'], objects: number): Promise<BucketTestResult> => ({
    root: 'r2://lake/',
    listing: await foldListing('lake', Array.from({ length: objects }, (_, i) => ({ key: `k${i}`, size: 1000 }))),
    secret: undefined,
    method: 'duckdb',
    read,
    location: 'local',
    readRanIn: 'local',
    listMs: 1000,
    elapsedMs: 2345,
  });

  it('a read that failed without an HTTP status, and a single object', async () => {
    assert.equal(summarize(await result({ outcome: 'failed', key: 'k0', message: 'connection refused' }, 1)), 'list ✓ read ✗ (failed) · 1 object · 1.0 KB · 2.3 s · no secret applies');
  });

  it('the object read while listing: an empty first object gives way to one with bytes', () => {
    assert.equal(smallestReadable([{ key: '_SUCCESS', size: 0 }, { key: 'data.csv', size: 5 }, { key: 'more.csv', size: 7 }]), 'data.csv');
  });

  it('a profile whose custom endpoint is no URL made no secret', () => {
    const secret: AppliedSecret = { name: 's', storage: 'memory', persistent: false, fields: new Map([['key_id', keys.accessKeyId], ['endpoint', '127.0.0.1:9']]) };
    assert.equal(madeFrom(secret, { ...unreachable, customEndpoint: 'not a url' }), false);
    assert.equal(madeFrom(secret, { ...unreachable, customEndpoint: undefined }), false);
  });

  it('only <account>.r2.cloudflarestorage.com itself is the default endpoint', () => {
    const secret = (endpoint: string): AppliedSecret => ({ name: 's', storage: 'memory', persistent: false, fields: new Map([['endpoint', endpoint]]) });
    assert.equal(bucketErrorContext('r2://lake/', secret(`${TEST_ACCOUNT_ID}.r2.cloudflarestorage.com`), undefined).defaultEndpoint, true);
    assert.equal(bucketErrorContext('r2://lake/', secret(`${TEST_ACCOUNT_ID}.r2.cloudflarestorage.com.example.net`), undefined).defaultEndpoint, false);
  });

  it('a secret dropped between which_secret and the listing of secrets: named, with no fields', async () => {
    const db: SqlRunner = {
      run: () => Promise.resolve(),
      query: (sql: string): Promise<Row[]> => Promise.resolve(sql.includes('which_secret') ? [{ name: 'gone', storage: 'memory', persistent: 'TEMPORARY' }] : []),
    };
    const secret = await appliedSecret(db, 'r2://lake/');
    assert.deepEqual(secret && [secret.name, secret.storage, secret.persistent, secret.fields.size], ['gone', 'memory', false, 0]);
  });
});
