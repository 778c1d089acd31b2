/**
 * Test R2 Bucket's listing and read check. The DuckDB listing runs against local folders (DuckDB
 * globs local paths the same way), always. With DUCKDB_SECRETS_TEST_EXTENSION_DIR naming an
 * extension directory with httpfs, the whole test runs against s3rver on 127.0.0.1: nested objects,
 * Hive partitions, a Parquet file written by DuckDB, 1,500 keys in one folder; 403, missing bucket,
 * read denied, cancel.
 */
import * as assert from 'node:assert/strict';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { appliedSecret, bucketErrorContext, listWithDuckDB, madeFrom, smallestReadable, summarize, testBucket, type AppliedSecret, type BucketTestDeps } from '../../../../src/core/bucket/bucketTest';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { createR2Secret } from '../../../../src/core/secrets/secretSql';
import { S3Server } from '../../../support/s3Server';
import { S3SigningFront } from '../../../support/s3SigningFront';
import { s3rverCredentials } from '../../../support/testProfiles';

const LISTING_TABLE_LEFT = "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'duckdb_secrets_bucket_test'";

async function writeParquet(session: DuckDBSession, file: string): Promise<void> {
  await session.run(`COPY (SELECT range AS id, 'row ' || range AS name FROM range(100)) TO '${file}' (FORMAT parquet)`);
}

async function rejectsCancelled(work: Promise<unknown>): Promise<void> {
  await assert.rejects(work, (error: unknown) => error instanceof CancelledError);
}

describe('Test R2 Bucket on local folders (no httpfs)', () => {
  let dir: string;
  let root: string;
  let session: DuckDBSession;
  let deps: BucketTestDeps;
  let expectedBytes = 0;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-bucket-test-'));
    root = `${dir}/`;
    const log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
    deps = { db: session, interrupt: () => session.interrupt(), log };
    const files: Record<string, string> = {
      'README.md': 'lakehouse!',
      'sales/_SUCCESS': '',
      'sales/year=2024/month=01/part-0.csv': 'a,b\n1,2\n',
      'staging/raw/a.csv': 'x,y\n',
      'not-parquet.parquet': 'this is not parquet',
      ...Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`many/k${String(i).padStart(3, '0')}.txt`, 'k'.repeat(i + 2)])),
    };
    for (const [key, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
      fs.writeFileSync(path.join(dir, key), body);
    }
    fs.mkdirSync(path.join(dir, 'sales/year=2023/month=12'), { recursive: true });
    await writeParquet(session, path.join(dir, 'sales/year=2023/month=12/part-0.parquet'));
    for (const key of [...Object.keys(files), 'sales/year=2023/month=12/part-0.parquet']) expectedBytes += fs.statSync(path.join(dir, key)).size;
  });
  after(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every file under a root with sizes and times, keys relative to it, read back a page at a time', async () => {
    const progress: string[] = [];
    const listing = await listWithDuckDB(deps, root, { pageRows: 7, onProgress: (m) => progress.push(m) });
    assert.equal(listing.objectCount, 31);
    assert.equal(listing.totalSize, expectedBytes);
    assert.deepEqual(progress, ['Read 7 of 31 objects…', 'Read 14 of 31 objects…', 'Read 21 of 31 objects…', 'Read 28 of 31 objects…', 'Read 31 of 31 objects…']);
    const top = await listing.listPrefix('');
    assert.deepEqual(top.folders.map((f) => [f.prefix, f.objectCount]), [['many/', 25], ['sales/', 3], ['staging/', 1]]);
    assert.deepEqual(top.objects.map((o) => o.key), ['README.md', 'not-parquet.parquet']);
    const readme = top.objects[0]!;
    assert.equal(readme.size, 10);
    const mtime = fs.statSync(path.join(dir, 'README.md')).mtimeMs;
    assert.ok(readme.lastModified && Math.abs(+readme.lastModified - mtime) < 2000, `${readme.lastModified?.toISOString()} vs ${new Date(mtime).toISOString()}`);
    const sales = await listing.listPrefix('sales/');
    assert.deepEqual(sales.folders.map((f) => f.prefix), ['sales/year=2023/', 'sales/year=2024/']);
    assert.deepEqual(sales.objects.map((o) => [o.key, o.size]), [['sales/_SUCCESS', 0]]);
    assert.deepEqual(await session.query(LISTING_TABLE_LEFT), [{ n: 0 }]);
  });

  it('Test R2 Bucket on a local root: lists, then reads the smallest non-empty object', async () => {
    const result = await testBucket(deps, { root });
    assert.equal(result.method, 'duckdb');
    assert.equal(result.secret, undefined);
    assert.equal(result.listing.objectCount, 31);
    assert.deepEqual(result.read, { outcome: 'ok', key: 'many/k000.txt', what: 'object', bytes: 2 });
    assert.match(summarize(result), /^list ✓ read ✓ · 31 objects · \d+(\.\d)? (B|KB) · \d+\.\d s · no secret applies$/);
  });

  it('reads the chosen object; a Parquet file only to its footer', async () => {
    const csv = await testBucket(deps, { root, readObject: 'staging/raw/a.csv' });
    assert.deepEqual(csv.read, { outcome: 'ok', key: 'staging/raw/a.csv', what: 'object', bytes: 4 });
    const parquet = await testBucket(deps, { root, readObject: `${root}sales/year=2023/month=12/part-0.parquet` });
    assert.deepEqual(parquet.read, { outcome: 'ok', key: 'sales/year=2023/month=12/part-0.parquet', what: 'parquet footer' });
  });

  it('a .parquet name that is not Parquet: read ✓ (the bytes came back) with a note', async () => {
    const result = await testBucket(deps, { root, readObject: 'not-parquet.parquet' });
    assert.equal(result.read.outcome, 'ok');
    assert.ok(result.read.outcome === 'ok' && result.read.note && /not-parquet\.parquet/.test(result.read.note), JSON.stringify(result.read));
  });

  it('a chosen object that is not there: read ✗, the listing still stands', async () => {
    const result = await testBucket(deps, { root, readObject: 'nope.txt' });
    assert.equal(result.listing.objectCount, 31);
    assert.equal(result.read.outcome, 'failed');
    assert.match(summarize(result), /^list ✓ read ✗ \(404\) · 31 objects/);
  });

  it('an empty folder: list ✓, nothing to read', async () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    const result = await testBucket(deps, { root: `${root}empty/` });
    assert.equal(result.listing.objectCount, 0);
    assert.equal(result.read.outcome, 'skipped');
    assert.match(summarize(result), /^list ✓ read – \(nothing to read\) · 0 objects · 0 B/);
  });

  it('cancelled before it starts, or between pages: CancelledError, the session stays usable and clean', async () => {
    const before = new AbortController();
    before.abort();
    await rejectsCancelled(testBucket(deps, { root, signal: before.signal }));
    const during = new AbortController();
    await rejectsCancelled(listWithDuckDB(deps, root, { pageRows: 5, signal: during.signal, onProgress: () => during.abort() }));
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
    assert.deepEqual(await session.query(LISTING_TABLE_LEFT), [{ n: 0 }]);
  });

  it('the object read while listing: the smallest non-empty plain key of the page', () => {
    const o = (key: string, size: number) => ({ key, size });
    assert.equal(smallestReadable([o('a/', 0), o('b.csv', 9), o('c?.csv', 1), o('d.csv', 0), o('e.csv', 3), o('f[1].csv', 1)]), 'e.csv');
    assert.equal(smallestReadable([o('a/', 0), o('empty.csv', 0), o('also-empty.csv', 0)]), 'empty.csv', 'all empty: an empty one');
    assert.equal(smallestReadable([o('a/', 0), o('x*.csv', 5)]), undefined, 'nothing DuckDB reads as a plain path');
    assert.equal(smallestReadable([]), undefined);
  });

  it('lists directly only with a secret made from the same key id and endpoint', () => {
    const credentials: Credentials = {
      id: 'p',
      label: 'Local',
      accountId: '0123456789abcdef0123456789abcdef',
      bucket: 'lake',
      jurisdiction: 'custom',
      customEndpoint: 'http://127.0.0.1:9000',
      accessKeyId: 'AKID1',
      secretAccessKey: 'S',
    };
    const secret = (fields: Record<string, string>): AppliedSecret => ({ name: 's', storage: 'memory', persistent: false, fields: new Map(Object.entries(fields)) });
    assert.equal(madeFrom(secret({ key_id: 'AKID1', endpoint: '127.0.0.1:9000', use_ssl: 'false' }), credentials), true);
    assert.equal(madeFrom(secret({ key_id: 'AKID2', endpoint: '127.0.0.1:9000', use_ssl: 'false' }), credentials), false);
    assert.equal(madeFrom(secret({ key_id: 'AKID1', endpoint: '127.0.0.1:9001', use_ssl: 'false' }), credentials), false);
    assert.equal(madeFrom(secret({ key_id: 'AKID1', endpoint: '127.0.0.1:9000' }), credentials), false, 'use_ssl defaults to true');
    const cloudflare = { ...credentials, jurisdiction: 'default' as const };
    assert.equal(madeFrom(secret({ key_id: 'AKID1', endpoint: '0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com' }), cloudflare), true);
  });

  it('error context: the secret, its endpoint, whether that is the default one, the profile behind it', () => {
    const secret = (endpoint: string, keyId = 'AKID1'): AppliedSecret => ({ name: 'r2_dev_secret', storage: 'memory', persistent: false, fields: new Map([['endpoint', endpoint], ['key_id', keyId]]) });
    const profile = { id: 'p', label: 'L', accountId: 'a', bucket: 'lake', jurisdiction: 'default' as const, accessKeyId: 'AKID1', secretAccessKey: 'S' };
    assert.deepEqual(bucketErrorContext('r2://lake/sales/', secret('0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com'), profile), {
      stage: 'list',
      bucket: 'lake',
      prefix: 'sales/',
      secretName: 'r2_dev_secret',
      endpoint: '0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com',
      defaultEndpoint: true,
      profileId: 'p',
    });
    const eu = bucketErrorContext('r2://lake/', secret('0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com', 'AKID2'), profile);
    assert.equal(eu.defaultEndpoint, false);
    assert.equal(eu.profileId, undefined, 'a secret with another key id was not made from the profile');
  });
});

describe('Test R2 Bucket against s3rver with httpfs (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  const KEY_ID = 'AKIDcanary0b7e41';
  const SECRET = 'secret-canary-55c9d1e0';
  let server: S3Server;
  let proxy: http.Server;
  /** Checks SigV4 signatures, as R2 does (s3rver takes any signature of a known key id). */
  let front: S3SigningFront;
  /** Called for each request the proxy forwards; may answer itself by returning true. */
  let intercept: (req: http.IncomingMessage, res: http.ServerResponse) => boolean = () => false;
  let session: DuckDBSession;
  let log: MemoryLogger;
  let deps: BucketTestDeps;
  let tmp: string;
  let totalBytes = 0;
  const objects = 1504;

  const credentials = (overrides: Partial<Credentials> = {}) => s3rverCredentials(server, { accessKeyId: KEY_ID, secretAccessKey: SECRET }, overrides);
  const createSecret = (c: Credentials) => session.run(createR2Secret(c, { name: 'r2_dev_secret', persistence: 'session', replace: true }).sql);

  before(async function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory with httpfs for this version');
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-bucket-test-'));
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ extension_directory: extensionDir, allow_unsigned_extensions: 'true' }) }, log);
    deps = { db: session, interrupt: () => session.interrupt(), log };
    await writeParquet(session, path.join(tmp, 'part.parquet'));
    const parquet = fs.readFileSync(path.join(tmp, 'part.parquet'));
    server = await S3Server.start({ buckets: ['lake', 'empty'], accessKeys: [[KEY_ID, SECRET]] });
    const seeded = [
      { key: 'README.md', body: 'lakehouse!' },
      { key: 'sales/year=2023/month=12/part-0.parquet', body: parquet },
      { key: 'sales/year=2024/month=01/part-0.parquet', body: parquet },
      { key: 'staging/raw/a.csv', body: 'a,b\n1,2\n' },
      ...Array.from({ length: 1500 }, (_, i) => ({ key: `big/k${String(i).padStart(5, '0')}.csv`, body: 'x'.repeat(1 + (i % 10)) })),
    ];
    totalBytes = seeded.reduce((sum, o) => sum + (typeof o.body === 'string' ? Buffer.byteLength(o.body) : o.body.length), 0);
    server.writeObjects('lake', seeded);
    // A loopback proxy in front of s3rver, so a test can hold or refuse single requests.
    proxy = http.createServer((req, res) => {
      if (intercept(req, res)) return;
      const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    front = await S3SigningFront.start(server.port, new Map([[KEY_ID, SECRET]]));
    await createSecret(credentials());
  });
  afterEach(async () => {
    intercept = () => false;
    if (session) await createSecret(credentials());
  });
  after(async () => {
    session?.dispose();
    proxy?.close();
    await front?.stop();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const viaProxy = () => credentials({ customEndpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
  const viaFront = (overrides: Partial<Credentials> = {}) => credentials({ customEndpoint: front.endpoint, ...overrides });

  it('Test R2 Bucket: lists with the profile\'s credentials, DuckDB lists and reads with its secret', async () => {
    const progress: string[] = [];
    const result = await testBucket(deps, { root: 'r2://lake/', credentials: credentials(), onProgress: (m) => progress.push(m) });
    assert.equal(result.method, 'direct');
    assert.equal(result.secret?.name, 'r2_dev_secret');
    assert.equal(result.listing.objectCount, objects);
    assert.equal(result.listing.totalSize, totalBytes);
    assert.deepEqual(result.read, { outcome: 'ok', key: 'big/k00000.csv', what: 'object', bytes: 1 });
    // Progress comes on a timer (a few times a second, also while the server is silent): the counts
    // never go down, and the last one is the whole listing.
    const counts = progress.filter((m) => m.startsWith('Listed')).map((m) => Number(/Listed ([\d,]+)/.exec(m)?.[1]?.replaceAll(',', '')));
    assert.ok(counts.length > 0 && counts.every((n, i) => i === 0 || n >= (counts[i - 1] ?? 0)), progress.join(' | '));
    assert.equal(progress.filter((m) => m.startsWith('Listed')).at(-1), 'Listed 1,504 objects…', progress.join(' | '));
    const sales = await result.listing.listPrefix('sales/');
    assert.deepEqual(sales.folders.map((f) => [f.prefix, f.objectCount]), [['sales/year=2023/', 1], ['sales/year=2024/', 1]]);
    assert.match(summarize(result), /^list ✓ read ✓ · 1,504 objects · \d+(\.\d)? KB · \d+\.\d s · secret r2_dev_secret \(Session \(memory\)\) · profile "Local lake" ✓$/);
  });

  it('the DuckDB-only listing finds the same objects, sizes and folders', async () => {
    const direct = await testBucket(deps, { root: 'r2://lake/', credentials: credentials() });
    const duck = await testBucket(deps, { root: 'r2://lake/', credentials: credentials(), duckdbOnly: true });
    assert.equal(duck.method, 'duckdb');
    assert.equal(duck.listing.objectCount, direct.listing.objectCount);
    assert.equal(duck.listing.totalSize, direct.listing.totalSize);
    for (const prefix of ['', 'sales/', 'sales/year=2024/month=01/']) {
      const [a, b] = [await direct.listing.listPrefix(prefix), await duck.listing.listPrefix(prefix)];
      assert.deepEqual(b.folders.map((f) => [f.prefix, f.objectCount, f.totalSize]), a.folders.map((f) => [f.prefix, f.objectCount, f.totalSize]));
      assert.deepEqual(b.objects.map((o) => [o.key, o.size]), a.objects.map((o) => [o.key, o.size]));
    }
    const big = await duck.listing.listPrefix('big/');
    assert.equal(big.objects.length, 1000);
    assert.equal(big.continuation, '1000');
  });

  it('a folder only, and a chosen Parquet file read to its footer', async () => {
    const result = await testBucket(deps, { root: 'r2://lake/sales/', credentials: credentials(), readObject: 'sales/year=2023/month=12/part-0.parquet' });
    assert.equal(result.listing.objectCount, 2);
    assert.deepEqual(result.read, { outcome: 'ok', key: 'sales/year=2023/month=12/part-0.parquet', what: 'parquet footer' });
  });

  it('a secret made from other credentials is listed through DuckDB', async () => {
    const result = await testBucket(deps, { root: 'r2://lake/', credentials: credentials({ accessKeyId: 'AKIDsomeoneelse' }) });
    assert.equal(result.method, 'duckdb');
    assert.equal(result.listing.objectCount, objects);
  });

  it('says when the profile\'s own keys fail although the secret DuckDB picks passes', async () => {
    // Same key id as the secret, wrong secret key: the direct listing fails, DuckDB's listing passes.
    // Behind the signing front: s3rver alone never checks a SigV4 signature, so a wrong secret key lists there.
    await createSecret(viaFront());
    front.forget();
    const wrongSecret = await testBucket(deps, { root: 'r2://lake/', credentials: viaFront({ secretAccessKey: 'secret-canary-wrong-0000' }) });
    assert.equal(wrongSecret.method, 'duckdb');
    assert.ok(front.requests.some((r) => !r.ok), 'the profile\'s listing was refused for its signature');
    assert.ok(front.requests.some((r) => r.ok), 'DuckDB\'s own requests were signed right');
    assert.equal(wrongSecret.listing.objectCount, objects);
    assert.equal(wrongSecret.profile?.outcome, 'failed');
    assert.match(summarize(wrongSecret), /secret r2_dev_secret .* · profile "Local lake" ✗$/);
    // Another key id altogether: the secret is not the profile's, and the profile is checked on its own.
    const unknown = await testBucket(deps, { root: 'r2://lake/', credentials: credentials({ accessKeyId: 'AKIDunknown7f0e1' }) });
    assert.equal(unknown.profile?.outcome, 'failed');
    assert.ok(unknown.profile?.outcome === 'failed' && /does not know the access key id/.test(unknown.profile.message));
    const fine = await testBucket(deps, { root: 'r2://lake/', credentials: credentials() });
    assert.equal(fine.profile?.outcome, 'ok');
  });

  it('403 for an unknown access key id: DuckDB\'s own failure, translated, without the key', async () => {
    const unknown = credentials({ accessKeyId: 'AKIDunknown9d2c0' });
    await createSecret(unknown);
    for (const duckdbOnly of [false, true]) {
      await assert.rejects(testBucket(deps, { root: 'r2://lake/', credentials: unknown, duckdbOnly }), (error: unknown) => {
        assert.ok(error instanceof UserFacingError, String(error));
        assert.match(error.message, /^127\.0\.0\.1:\d+ does not know the access key id of secret "r2_dev_secret" \(HTTP 403 InvalidAccessKeyId\)/);
        assert.deepEqual(error.actions[0]?.args, ['profile-1']);
        for (const text of [error.message, error.detail ?? '']) assert.ok(!text.includes('AKIDunknown9d2c0') && !text.includes(SECRET), text);
        return true;
      });
    }
    for (const line of log.lines) assert.ok(!line.includes('AKIDunknown9d2c0') && !line.includes(SECRET), line);
  });

  it('a missing bucket', async () => {
    await assert.rejects(
      testBucket(deps, { root: 'r2://nobucket/', credentials: credentials() }),
      (error: unknown) => error instanceof UserFacingError && /^Bucket "nobucket" not found at 127\.0\.0\.1:\d+ \(HTTP 404 NoSuchBucket\)/.test(error.message),
    );
  });

  it('list ✓ read ✗ (403) when the token may list but not read', async () => {
    await createSecret(viaProxy());
    intercept = (req, res) => {
      if (req.url?.includes('?')) return false;
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      return true;
    };
    const result = await testBucket(deps, { root: 'r2://lake/', credentials: viaProxy() });
    assert.equal(result.read.outcome, 'failed');
    assert.ok(result.read.outcome === 'failed' && /^Access denied reading r2:\/\/lake\/big\/k00000\.csv \(HTTP 403/.test(result.read.message), JSON.stringify(result.read));
    assert.match(summarize(result), /^list ✓ read ✗ \(403\) · 1,504 objects/);
  });

  it('a direct test that reads through DuckDB makes no second listing: DuckDB only reads', async () => {
    await createSecret(viaProxy());
    const seen: { agent: string; target: string }[] = [];
    intercept = (req) => {
      seen.push({ agent: String(req.headers['user-agent'] ?? ''), target: req.url ?? '' });
      return false;
    };
    const result = await testBucket(deps, { root: 'r2://lake/', credentials: viaProxy() });
    assert.equal(result.method, 'direct');
    assert.equal(result.read.outcome, 'ok');
    const duckdb = seen.filter((r) => /duckdb/i.test(r.agent));
    assert.ok(duckdb.length > 0, `DuckDB read the object: ${JSON.stringify(seen)}`);
    assert.deepEqual(duckdb.filter((r) => r.target.includes('list-type')), [], 'DuckDB made no list request');
    assert.ok(seen.filter((r) => r.target.includes('list-type')).length >= 2, 'the profile\'s listing paged the 1,504 objects');
  });

  it('DuckDB reads while the profile\'s keys list: the read starts on the first page, before the last page ends', async () => {
    await createSecret(viaProxy());
    const events: string[] = [];
    let duckdbArrived: () => void = () => undefined;
    const duckdbSeen = new Promise<void>((resolve) => (duckdbArrived = resolve));
    intercept = (req, res) => {
      const fromDuckDB = /duckdb/i.test(String(req.headers['user-agent'] ?? ''));
      if (fromDuckDB) {
        events.push(`duckdb ${req.method}`);
        duckdbArrived();
        return false;
      }
      if (!req.url?.includes('continuation-token')) return false;
      // The last page is held until DuckDB's read arrives (5 s at most): a read started only
      // after the listing would come after it.
      void Promise.race([duckdbSeen, new Promise((resolve) => setTimeout(resolve, 5000))]).then(() => {
        events.push('last page answered');
        const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        req.pipe(upstream);
      });
      return true;
    };
    const result = await testBucket(deps, { root: 'r2://lake/', credentials: viaProxy() });
    assert.equal(result.method, 'direct');
    assert.deepEqual(result.read, { outcome: 'ok', key: 'big/k00000.csv', what: 'object', bytes: 1 });
    assert.ok(events.indexOf('last page answered') > events.findIndex((e) => e.startsWith('duckdb')), events.join(' → '));
    assert.ok(events.indexOf('last page answered') >= 0, events.join(' → '));
  });

  it('a listing that fails while DuckDB reads ahead: the failure is reported, and DuckDB is free again', async () => {
    await createSecret(viaProxy());
    intercept = (req, res) => {
      if (!req.url?.includes('continuation-token')) return false;
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>');
      return true;
    };
    await assert.rejects(testBucket(deps, { root: 'r2://lake/', credentials: viaProxy() }), (error: unknown) => error instanceof UserFacingError && /^Listing incomplete \(1,000 objects listed/.test(error.message));
    assert.deepEqual(await session.query('SELECT 42 AS n', 'after'), [{ n: 42 }]);
  });

  it('when DuckDB cannot read the object the profile listed, it lists once and says it does not see it', async () => {
    await createSecret(viaProxy());
    const duckdbLists: string[] = [];
    intercept = (req, res) => {
      if (!/duckdb/i.test(String(req.headers['user-agent'] ?? ''))) return false;
      if (req.url?.includes('list-type')) {
        duckdbLists.push(req.url);
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>lake</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>');
        return true;
      }
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return true;
    };
    await assert.rejects(
      testBucket(deps, { root: 'r2://lake/', credentials: viaProxy() }),
      (error: unknown) => error instanceof UserFacingError && /^DuckDB does not see r2:\/\/lake\/big\/k00000\.csv, which the profile's credentials list\. Check the endpoint and URL style of secret "r2_dev_secret"/.test(error.message),
    );
    assert.equal(duckdbLists.length, 1, duckdbLists.join('\n'));
  });

  it('cancel during the direct listing: after the first page', async () => {
    const controller = new AbortController();
    await rejectsCancelled(testBucket(deps, { root: 'r2://lake/', credentials: credentials(), signal: controller.signal, onProgress: (m) => m.startsWith('Listed') && controller.abort() }));
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
  });

  it('cancel during the DuckDB listing: interrupts the statement, the session stays usable', async () => {
    await createSecret(viaProxy());
    const controller = new AbortController();
    // The second list page is held until the test has cancelled, so the interrupt lands mid-statement.
    intercept = (req) => {
      if (req.url?.includes('continuation-token') && !controller.signal.aborted) controller.abort();
      return false;
    };
    const lines = log.lines.length;
    await rejectsCancelled(testBucket(deps, { root: 'r2://lake/', credentials: viaProxy(), duckdbOnly: true, signal: controller.signal }));
    assert.ok(
      log.lines.slice(lines).some((l) => /duckdb: list objects \(read_blob\) failed after/.test(l)),
      'the listing statement itself was interrupted, not left to finish',
    );
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
    assert.deepEqual(await session.query(LISTING_TABLE_LEFT), [{ n: 0 }]);
    const again = await testBucket(deps, { root: 'r2://lake/', credentials: viaProxy(), duckdbOnly: true });
    assert.equal(again.listing.objectCount, objects);
  });

  it('which_secret picks the secret the result names', async () => {
    const secret = await appliedSecret(session, 'r2://lake/');
    assert.equal(secret?.name, 'r2_dev_secret');
    assert.equal(secret?.fields.get('url_style'), 'path');
    assert.equal(secret?.fields.get('use_ssl'), 'false');
  });
});
