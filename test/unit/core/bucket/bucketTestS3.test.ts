/**
 * Test R2 Bucket against s3rver with httpfs (DUCKDB_SECRETS_TEST_EXTENSION_DIR), through a loopback
 * proxy that can refuse, break or hold DuckDB's own requests: which object is read and what a failed
 * read says, the probe listing after a direct listing, the profile's own keys, cancelling a read,
 * the MotherDuck read check (MotherDuck itself cannot run here: its MD_RUN statements are answered
 * by the test), and which secret applies. Key-shaped values are generated.
 */
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { appliedSecret, testBucket, type AppliedSecret, type BucketTestDeps, type BucketTestRequest } from '../../../../src/core/bucket/bucketTest';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import { createR2Secret } from '../../../../src/core/secrets/secretSql';
import { S3Server } from '../../../support/s3Server';
import { S3SigningFront } from '../../../support/s3SigningFront';
import { seededR2Keys } from '../../../support/seededKeys';
import { s3rverCredentials } from '../../../support/testProfiles';

const keys = seededR2Keys(31337);
const other = seededR2Keys(31338);
const wrong = seededR2Keys(31339);

type Intercept = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
const fromDuckDB = (req: http.IncomingMessage) => /duckdb/i.test(String(req.headers['user-agent'] ?? ''));
const isList = (req: http.IncomingMessage) => (req.url ?? '').includes('list-type');

function answer(res: http.ServerResponse, req: http.IncomingMessage, status: number, code?: string): true {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(req.method === 'HEAD' || code === undefined ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  return true;
}

describe('Test R2 Bucket against s3rver: reads, probes, profiles, cancel, MotherDuck (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  let server: S3Server;
  let front: S3SigningFront;
  let proxy: http.Server;
  let intercept: Intercept = () => false;
  const held: (() => void)[] = [];
  let session: DuckDBSession;
  let log: MemoryLogger;
  let deps: BucketTestDeps;
  let interrupts = 0;
  let tmp: string;

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  /** Holds a request until the test releases it (afterEach at the latest). */
  const hold = (req: http.IncomingMessage, res: http.ServerResponse): true => {
    held.push(() => forward(req, res));
    return true;
  };
  const release = () => {
    for (const go of held.splice(0)) go();
  };
  const viaProxy = (overrides: Partial<Credentials> = {}) => s3rverCredentials(server, keys, { customEndpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, ...overrides });
  const createSecret = (c: Credentials, scope?: string[]) => session.run(createR2Secret(c, { name: 'r2_dev_secret', persistence: 'session', replace: true, ...(scope ? { scope } : {}) }).sql);
  const run = (request: BucketTestRequest, on: BucketTestDeps = deps) => testBucket(on, request);

  before(async function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory with httpfs for this version');
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-bucket-test-s3-'));
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: { extension_directory: extensionDir ?? '', allow_unsigned_extensions: 'true', secret_directory: path.join(tmp, 'secrets') } }, log);
    deps = {
      db: session,
      interrupt: () => {
        interrupts++;
        session.interrupt();
      },
      log,
    };
    await session.run(`COPY (SELECT range AS id FROM range(50)) TO '${path.join(tmp, 'p.parquet')}' (FORMAT parquet)`);
    server = await S3Server.start({ buckets: ['lake', 'empty', 'odd'], accessKeys: [[keys.accessKeyId, keys.secretAccessKey], [other.accessKeyId, other.secretAccessKey]] });
    server.writeObjects('lake', [
      { key: 'tiny.txt', body: 't' },
      { key: 'README.md', body: 'lakehouse!' },
      { key: 'data/a.csv', body: 'a,b\n1,2\n' },
      { key: 'data/p.parquet', body: fs.readFileSync(path.join(tmp, 'p.parquet')) },
      // A second page of keys, each bigger than the objects above.
      ...Array.from({ length: 1100 }, (_, i) => ({ key: `big/k${String(i).padStart(5, '0')}.csv`, body: 'x'.repeat(100) })),
    ]);
    server.writeObjects('odd', [{ key: 'x[1].csv', body: 'x' }, { key: 'y?.csv', body: 'yy' }]);
    proxy = http.createServer((req, res) => {
      if (!intercept(req, res)) forward(req, res);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    front = await S3SigningFront.start(server.port, new Map([[keys.accessKeyId, keys.secretAccessKey]]));
  });
  beforeEach(async () => {
    interrupts = 0;
    await createSecret(viaProxy());
  });
  afterEach(() => {
    intercept = () => false;
    release();
  });
  after(async () => {
    session?.dispose();
    proxy?.close();
    await front?.stop();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('direct: says what it does; reads the chosen object even when later pages come; a blank choice is none', async () => {
    const progress: string[] = [];
    const controller = new AbortController();
    const duckdbLists: string[] = [];
    intercept = (req) => {
      if (fromDuckDB(req) && isList(req)) duckdbLists.push(req.url ?? '');
      return false;
    };
    const chosen = await run({ root: 'r2://lake/', credentials: viaProxy(), readObject: 'data/a.csv', signal: controller.signal, onProgress: (m) => progress.push(m) });
    assert.equal(chosen.method, 'direct');
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'nothing left listening on the caller\'s signal');
    assert.equal(progress[0], 'Listing r2://lake/…');
    assert.equal(progress.at(-1), 'Checking read access…');
    assert.deepEqual(chosen.read, { outcome: 'ok', key: 'data/a.csv', what: 'object', bytes: 8 });
    assert.deepEqual(duckdbLists, [], 'DuckDB read, so it did not list');
    // Nothing chosen: the smallest object of the first page (`tiny.txt`, smaller still, comes on the second).
    const blank = await run({ root: 'r2://lake/', credentials: viaProxy(), readObject: ' ' });
    assert.deepEqual(blank.read, { outcome: 'ok', key: 'README.md', what: 'object', bytes: 10 });
  });

  it('without a profile: listed through DuckDB, no profile result', async () => {
    const progress: string[] = [];
    const result = await run({ root: 'r2://lake/data/', onProgress: (m) => progress.push(m) });
    assert.deepEqual([result.method, result.profile, result.listing.objectCount], ['duckdb', undefined, 2]);
    assert.deepEqual(progress, ['Listing r2://lake/data/ through DuckDB…', 'Read 2 of 2 objects…', 'Checking read access…']);
  });

  it('the profile\'s own keys: checked and logged when the secret is another key\'s, logged when refused', async () => {
    const progress: string[] = [];
    // The secret holds `other`'s keys: the profile's keys are checked on their own, and pass.
    await createSecret(viaProxy(other));
    let lines = log.lines.length;
    const fine = await run({ root: 'r2://lake/data/', credentials: viaProxy(), onProgress: (m) => progress.push(m) });
    assert.equal(fine.profile?.outcome, 'ok');
    assert.equal(progress[0], 'Checking profile "Local lake"…');
    assert.ok(!log.lines.slice(lines).some((l) => l.includes('cannot list')), log.lines.slice(lines).join('\n'));
    // A key id the server does not know: the check fails, and the log says so.
    lines = log.lines.length;
    const unknown = await run({ root: 'r2://lake/data/', credentials: viaProxy({ accessKeyId: wrong.accessKeyId }) });
    assert.equal(unknown.profile?.outcome, 'failed');
    assert.ok(log.lines.slice(lines).some((l) => /Test R2 Bucket: profile "Local lake" cannot list r2:\/\/lake\/data\/ with its own keys \(.*\)/.test(l)), log.lines.slice(lines).join('\n'));
    // Same key id as the secret, another secret key: the direct listing is refused, DuckDB lists instead.
    await createSecret(s3rverCredentials(server, keys, { customEndpoint: front.endpoint }));
    lines = log.lines.length;
    const refused = await run({ root: 'r2://lake/data/', credentials: s3rverCredentials(server, { ...keys, secretAccessKey: wrong.secretAccessKey }, { customEndpoint: front.endpoint }) });
    assert.deepEqual([refused.method, refused.profile?.outcome, refused.read.outcome], ['duckdb', 'failed', 'ok']);
    assert.ok(log.lines.slice(lines).some((l) => /Test R2 Bucket: listing r2:\/\/lake\/data\/ with the profile's credentials failed \(.*\); listing through DuckDB instead/.test(l)), log.lines.slice(lines).join('\n'));
    for (const line of log.lines) assert.ok(!line.includes(keys.secretAccessKey) && !line.includes(wrong.secretAccessKey), line);
  });

  it('direct: cancelled as the listing ends, CancelledError, no read check reported, DuckDB free', async () => {
    const controller = new AbortController();
    const progress: string[] = [];
    const onProgress = (m: string) => {
      progress.push(m);
      if (m === 'Listed 1,104 objects…') controller.abort();
    };
    await assert.rejects(run({ root: 'r2://lake/', credentials: viaProxy(), signal: controller.signal, onProgress }), (error: unknown) => error instanceof CancelledError);
    assert.ok(!progress.includes('Checking read access…'), progress.join(' | '));
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
  });

  it('direct: a chosen key with path syntax is refused, though the listing ran alongside', async () => {
    await assert.rejects(
      run({ root: 'r2://lake/data/', credentials: viaProxy(), readObject: 'data/*.csv' }),
      (error: unknown) => error instanceof UserFacingError && /^The read check \(duckdbSecrets\.testBucket\.readObject\) refuses this object/.test(error.message),
    );
  });

  it('the listing fails while DuckDB reads ahead: the read is interrupted, nothing is left listening', async () => {
    const controller = new AbortController();
    let reading: () => void = () => undefined;
    const readArrived = new Promise<void>((resolve) => (reading = resolve));
    intercept = (req, res) => {
      if (fromDuckDB(req)) {
        reading();
        return hold(req, res);
      }
      if (!(req.url ?? '').includes('continuation-token')) return false;
      // The second page fails once DuckDB's read is out (and held).
      void readArrived.then(() => answer(res, req, 404, 'NoSuchBucket'));
      return true;
    };
    const interrupting: BucketTestDeps = {
      ...deps,
      interrupt: () => {
        deps.interrupt();
        release();
      },
    };
    await assert.rejects(run({ root: 'r2://lake/', credentials: viaProxy(), signal: controller.signal }, interrupting), (error: unknown) => error instanceof UserFacingError && /^Listing incomplete/.test(error.message));
    assert.ok(interrupts > 0, 'the read ahead was interrupted');
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
  });

  it('an empty bucket, listed directly: nothing to read, and DuckDB lists the bucket once to see it', async () => {
    const lists: string[] = [];
    intercept = (req) => {
      if (fromDuckDB(req) && isList(req)) lists.push(new URL(req.url ?? '', 'http://x').searchParams.get('prefix') ?? '');
      return false;
    };
    const result = await run({ root: 'r2://empty/', credentials: viaProxy() });
    assert.equal(result.method, 'direct');
    assert.deepEqual(result.read, { outcome: 'skipped', message: 'The listing is empty: there is no object to read.' });
    assert.deepEqual(lists, [''], 'one list request, of the whole bucket');
  });

  it('a bucket of path-syntax keys only: nothing read, and DuckDB\'s listing of the bucket sees it', async () => {
    const result = await run({ root: 'r2://odd/', credentials: viaProxy() });
    assert.equal(result.method, 'direct');
    assert.equal(result.listing.objectCount, 2);
    assert.deepEqual(result.read, { outcome: 'skipped', message: 'Every listed key contains "?", "*", "[" or "{", which DuckDB reads as path syntax: no object was read.' });
  });

  it('DuckDB may list but not read: read ✗ (403), then one list request, from a listed key', async () => {
    const lists: string[] = [];
    intercept = (req, res) => {
      if (!fromDuckDB(req)) return false;
      if (isList(req)) {
        lists.push(new URL(req.url ?? '', 'http://x').searchParams.get('prefix') ?? '');
        return false;
      }
      return answer(res, req, 403, 'AccessDenied');
    };
    const result = await run({ root: 'r2://lake/', credentials: viaProxy(), readObject: 'data/p.parquet' });
    assert.equal(result.read.outcome, 'failed');
    assert.ok(result.read.outcome === 'failed' && result.read.status === 403 && /^Access denied reading r2:\/\/lake\/data\/p\.parquet \(HTTP 403/.test(result.read.message), JSON.stringify(result.read));
    assert.deepEqual(lists, ['tiny.txt']);
  });

  it('a read answered 404 without a body, the key still listed by DuckDB: read ✗ (404), the object not found', async () => {
    intercept = (req, res) => fromDuckDB(req) && !isList(req) && answer(res, req, 404);
    const result = await run({ root: 'r2://lake/', credentials: viaProxy(), readObject: 'data/a.csv' });
    assert.equal(result.read.outcome, 'failed');
    assert.ok(result.read.outcome === 'failed' && result.read.status === 404 && /^r2:\/\/lake\/data\/a\.csv was not found \(HTTP 404\)/.test(result.read.message), JSON.stringify(result.read));
  });

  it('a Parquet read whose connection breaks: read ✗, not a format note', async () => {
    intercept = (req, res) => {
      if (!fromDuckDB(req) || isList(req)) return false;
      res.destroy();
      return true;
    };
    const result = await run({ root: 'r2://lake/data/', readObject: 'data/p.parquet' });
    assert.equal(result.read.outcome, 'failed', JSON.stringify(result.read));
    assert.ok(result.read.outcome === 'failed' && result.read.status === undefined, JSON.stringify(result.read));
  });

  it('DuckDB\'s probe listing refused: the translated failure, not a crash', async () => {
    intercept = (req, res) => fromDuckDB(req) && answer(res, req, 403, 'AccessDenied');
    await assert.rejects(run({ root: 'r2://lake/', credentials: viaProxy() }), (error: unknown) => {
      assert.ok(error instanceof UserFacingError, String(error));
      assert.match(error.message, /^Access denied listing r2:\/\/lake\/ \(HTTP 403/);
      return true;
    });
    assert.ok(log.lines.some((l) => l.includes('list probe (glob) failed')));
  });

  it('cancel while DuckDB reads ahead, or reads after a DuckDB listing: the read is interrupted, CancelledError', async () => {
    for (const request of [{ credentials: viaProxy() }, { duckdbOnly: true }]) {
      const controller = new AbortController();
      let reading = false;
      let checking = false;
      const maybeAbort = () => reading && checking && !controller.signal.aborted && controller.abort();
      controller.signal.addEventListener('abort', release);
      intercept = (req, res) => {
        if (!fromDuckDB(req) || isList(req)) return false;
        reading = true;
        hold(req, res);
        maybeAbort();
        return true;
      };
      const onProgress = (m: string) => {
        checking ||= m === 'Checking read access…';
        maybeAbort();
      };
      interrupts = 0;
      await assert.rejects(run({ root: 'r2://lake/data/', readObject: 'data/a.csv', signal: controller.signal, onProgress, ...request }), (error: unknown) => error instanceof CancelledError);
      assert.ok(interrupts > 0, `DuckDB's read was interrupted (${JSON.stringify(request)})`);
    }
    assert.deepEqual(await session.query('SELECT 42 AS answer'), [{ answer: 42 }]);
  });

  describe('in MotherDuck', () => {
    /** The session, with MotherDuck's MD_RUN statements answered by `remote` (MotherDuck cannot run here). */
    const motherDuck = (remote: (sql: string) => Promise<Record<string, unknown>[]>): BucketTestDeps => {
      const db: SqlRunner = { run: (sql, describe) => session.run(sql, describe), query: (sql, describe) => (sql.includes('MD_RUN') ? remote(sql) : session.query(sql, describe)) };
      return { ...deps, db };
    };
    const mdSecret = (): AppliedSecret => ({ name: 'md_r2', storage: 'motherduck', persistent: true, fields: new Map([['key_id', keys.accessKeyId], ['endpoint', new URL(viaProxy().customEndpoint ?? '').host], ['use_ssl', 'false']]) });

    it('lists through DuckDB, never directly, and without MotherDuck attached refuses to read anywhere', async () => {
      const progress: string[] = [];
      await assert.rejects(
        run({ root: 'r2://lake/data/', location: 'motherduck', secret: mdSecret(), credentials: viaProxy(), onProgress: (m) => progress.push(m) }),
        (error: unknown) => error instanceof UserFacingError && /^MotherDuck did not run the read check/.test(error.message),
      );
      assert.equal(progress[0], 'Listing r2://lake/data/ through DuckDB…');
    });

    it('reads the smallest object MD_RUN can read, remotely; a format error is a note, another error a failure', async () => {
      const statements: string[] = [];
      const ok = await run({ root: 'r2://lake/', location: 'motherduck', secret: mdSecret() }, motherDuck((sql) => (statements.push(sql), Promise.resolve([{ n: 2 }]))));
      assert.deepEqual([ok.read, ok.readRanIn], [{ outcome: 'ok', key: 'data/a.csv', what: 'object' }, 'motherduck']);
      assert.match(statements.join('\n'), /read_csv\('r2:\/\/lake\/data\/a\.csv', MD_RUN = REMOTE\)/);
      const sniffed = await run({ root: 'r2://lake/', location: 'motherduck', secret: mdSecret() }, motherDuck(() => Promise.reject(new Error('Invalid Input Error: Error when sniffing file "r2://lake/data/a.csv".'))));
      assert.ok(sniffed.read.outcome === 'ok' && sniffed.read.note?.startsWith('Invalid Input Error'), JSON.stringify(sniffed.read));
      const failed = await run({ root: 'r2://lake/', location: 'motherduck', secret: mdSecret() }, motherDuck(() => Promise.reject(new Error('Catalog Error: Table with name lake does not exist!'))));
      assert.equal(failed.read.outcome, 'failed', JSON.stringify(failed.read));
    });
  });

  it('which secret applies: by scheme, by scope, with the fields and storage of that one', async () => {
    await session.run(createR2Secret(viaProxy(other), { name: 'aa_elsewhere', persistence: 'session', replace: true, scope: ['r2://elsewhere'] }).sql);
    await session.run(createR2Secret(viaProxy(), { name: 'zz_lake', persistence: 'session', replace: true, scope: ['r2://lake/data'] }).sql);
    await session.run(createR2Secret(viaProxy(other), { name: 'zz_lake', persistence: 'persistent', replace: true, scope: ['r2://lake/keep'] }).sql);
    await session.run(createR2Secret(viaProxy(), { name: 's3_lake', persistence: 'session', replace: true, scope: ['s3://lake'] }).sql);
    try {
      const data = await appliedSecret(session, 'r2://lake/data/');
      assert.deepEqual(data && [data.name, data.storage, data.persistent, data.fields.get('key_id')], ['zz_lake', 'memory', false, keys.accessKeyId]);
      const kept = await appliedSecret(session, 'r2://lake/keep/');
      assert.deepEqual(kept && [kept.name, kept.storage, kept.persistent, kept.fields.get('key_id')], ['zz_lake', 'local_file', true, other.accessKeyId]);
      const s3 = await appliedSecret(session, 's3://lake/');
      assert.equal(s3?.name, 's3_lake');
    } finally {
      for (const drop of ['DROP SECRET IF EXISTS aa_elsewhere', 'DROP TEMPORARY SECRET IF EXISTS zz_lake', 'DROP PERSISTENT SECRET IF EXISTS zz_lake', 'DROP SECRET IF EXISTS s3_lake']) await session.run(drop);
    }
  });
});
