/**
 * Issue 11's fault suite (network part) and issue 18's concurrent listing, against a real s3rver
 * on 127.0.0.1 behind the fault-injecting proxy (test/support/faultProxy.ts). Behaviour only, never
 * wall time: the same key set, retries counted, requests in flight bounded, every request closed
 * on cancel, one clear message for a broken answer.
 */
import * as assert from 'node:assert/strict';
import type { BucketObject } from '../../../../src/core/bucket/bucketSource';
import { BucketTreeModel } from '../../../../src/core/bucket/bucketTreeModel';
import { MemoryLogger } from '../../../../src/core/logger';
import { isLoopbackHost, listAll, type FullListingRequest, type ListingProgress } from '../../../../src/core/bucket/listingEngine';
import { DEFAULT_RETRY, type RetryPolicy } from '../../../../src/core/bucket/retry';
import { LiveListing } from '../../../../src/core/bucket/s3Listing';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { clearSecretValues } from '../../../../src/core/redaction';
import { FaultProxy, nonLoopbackAddress } from '../../../support/faultProxy';
import { S3RVER_KEY, S3Server } from '../../../support/s3Server';
import { s3rverCredentials } from '../../../support/testProfiles';

/** Retries without the waiting, so the suite stays quick. */
const QUICK: RetryPolicy = { ...DEFAULT_RETRY, baseMs: 1, slowDownBaseMs: 2, maxDelayMs: 5 };

/** 3 years × 12 months × 12 parts, root files, folder markers and awkward names. */
function lakeKeys(): string[] {
  // No key like `year=2021.csv` beside a folder `year=2021/`: s3rver walks the folder first and then pages past the file (S3 sorts `.` before `/`).
  const keys = ['README.md', 'zzz-last.csv', 'données/été 2024/x.csv', 'a b+c/100%.csv', 'year=2021x.csv'];
  for (let y = 2020; y <= 2022; y++) for (let m = 1; m <= 12; m++) for (let p = 0; p < 12; p++) keys.push(`year=${y}/month=${String(m).padStart(2, '0')}/part-${p}.parquet`);
  return keys;
}

describe('listing through a faulty network (fault proxy in front of s3rver)', function () {
  this.timeout(60_000);
  let server: S3Server;
  let proxy: FaultProxy;
  const expected = lakeKeys();

  const credentials = () => s3rverCredentials(server, S3RVER_KEY, { customEndpoint: proxy.endpoint });
  const listKeys = async (options: Partial<FullListingRequest> = {}) => {
    const keys: string[] = [];
    const stats = await listAll({
      credentials: credentials(),
      bucket: 'lake',
      prefix: '',
      maxKeys: 50,
      retry: QUICK,
      onObjects: (objects: readonly BucketObject[]) => void keys.push(...objects.map((o) => o.key)),
      ...options,
    });
    return { keys, stats };
  };
  const failure = (work: Promise<unknown>) =>
    work.then(
      () => assert.fail('the listing should fail'),
      (error: unknown) => error,
    );

  before(async () => {
    server = await S3Server.start({ buckets: ['lake', 'flat'] });
    server.writeObjects('lake', lakeKeys().map((key) => ({ key, body: 'x' })), { folderMarkers: true });
    server.writeObjects('flat', Array.from({ length: 230 }, (_, i) => ({ key: `k${String(i).padStart(4, '0')}.csv`, body: 'x' })));
    proxy = await FaultProxy.start(server.port);
  });
  beforeEach(() => proxy.reset());
  after(async () => {
    await proxy.stop();
    await server.stop();
    clearSecretValues();
  });

  it('lists concurrently in key ranges with exactly the keys of a sequential listing, requests in flight bounded', async () => {
    const sequential = await listKeys({ concurrency: 1 });
    assert.equal(sequential.stats.strategy, 'sequential');
    assert.equal(proxy.maxOpenRequests <= 2, true, `sequential paging keeps at most the next page in flight, saw ${proxy.maxOpenRequests}`);
    const markers = sequential.keys.filter((k) => k.endsWith('/'));
    assert.ok(markers.length > 0, 'folder markers are part of the full listing');
    assert.deepEqual([...sequential.keys].filter((k) => !k.endsWith('/')).sort(), [...expected].sort());

    proxy.reset();
    // A server on loopback is near: listed sequentially unless told it is far.
    const near = await listKeys({ concurrency: 4 });
    assert.equal(near.stats.strategy, 'sequential');
    assert.deepEqual([...near.keys].sort(), [...sequential.keys].sort());
    proxy.reset();
    const concurrent = await listKeys({ concurrency: 4, far: true });
    assert.equal(concurrent.stats.strategy, 'ranges');
    assert.ok(concurrent.stats.ranges > 4, `ranges: ${concurrent.stats.ranges}`);
    assert.equal(concurrent.keys.length, new Set(concurrent.keys).size, 'no key twice');
    assert.deepEqual([...concurrent.keys].sort(), [...sequential.keys].sort(), 'the same key set, markers included');
    assert.ok(proxy.maxOpenRequests <= 4, `at most 4 requests open at once, saw ${proxy.maxOpenRequests}`);
    assert.ok(concurrent.stats.maxInFlight > 1, 'the ranges did run concurrently');
    const pages = proxy.requests.filter((r) => !r.query.has('delimiter')).length;
    assert.ok(pages <= sequential.stats.requests + 2 * concurrent.stats.ranges, `each range starts at its boundary: ${pages} pages for ${sequential.stats.requests} sequential`);
    assert.ok(proxy.requests.some((r) => r.query.has('start-after')), 'ranges start after their boundary');
  });

  it('near or far: a server on this machine is paged sequentially whatever its latency; one elsewhere that answers slowly gets key ranges', async () => {
    // s3rver answering 60 ms late on loopback: the time is the server's, and ranges would only add requests.
    proxy.latencyMs = 60;
    try {
      const slowHere = await listKeys({ concurrency: 4 });
      assert.equal(slowHere.stats.strategy, 'sequential');
      assert.equal(proxy.requests.filter((r) => r.query.has('delimiter')).length, 0, 'no folder discovery for a server on this machine');
      const elsewhere = nonLoopbackAddress();
      if (!elsewhere) {
        console.log('      (this machine has no IPv4 address besides loopback: the far half is not checked)');
        return;
      }
      const far = await FaultProxy.start(server.port, elsewhere);
      far.latencyMs = 60;
      try {
        const keys: string[] = [];
        const stats = await listAll({
          credentials: s3rverCredentials(server, S3RVER_KEY, { customEndpoint: far.endpoint }),
          bucket: 'lake',
          prefix: '',
          maxKeys: 50,
          retry: QUICK,
          concurrency: 4,
          onObjects: (objects: readonly BucketObject[]) => void keys.push(...objects.map((o) => o.key)),
        });
        assert.equal(stats.strategy, 'ranges', `${far.endpoint} answers in 60 ms: far`);
        assert.deepEqual(keys.filter((k) => !k.endsWith('/')).sort(), [...expected].sort());
        far.latencyMs = 0;
        const quick = await listAll({
          credentials: s3rverCredentials(server, S3RVER_KEY, { customEndpoint: far.endpoint }),
          bucket: 'lake',
          prefix: '',
          maxKeys: 50,
          concurrency: 4,
          nearbyMs: 10_000,
          onObjects: () => undefined,
        });
        assert.equal(quick.strategy, 'sequential', 'answering within nearbyMs: near');
      } finally {
        await far.stop();
      }
    } finally {
      proxy.latencyMs = 0;
    }
  });

  it('tells endpoints on this machine by their host', () => {
    for (const host of ['localhost', 'LOCALHOST:9000', 'minio.localhost:9000', '127.0.0.1:4566', '127.8.9.10', '127.100.200.1', '[::1]:9000', '[::1]', '::1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['abc.r2.cloudflarestorage.com', '192.0.2.2:9000', '10.0.0.5', 'localhost.example.com', '127.0.0.1.nip.io:9000', '[fd00::2]:9000', '1270.0.0.1', '10.127.0.0.1', 'local:9host', '127.0.0:1.1']) assert.equal(isLoopbackHost(host), false, host);
  });

  it('pages a bucket without folders plainly, and asks for the next page while this one still streams', async () => {
    let first = true;
    proxy.rule = (r) => {
      if (!r.query.has('continuation-token') && !r.query.has('delimiter') && first) {
        first = false;
        return { kind: 'stall-body', headBytes: 400, ms: 300 };
      }
      return undefined;
    };
    const { keys, stats } = await listKeys({ bucket: 'flat' });
    assert.equal(stats.strategy, 'sequential');
    assert.equal(keys.length, 230);
    const listings = proxy.requests.filter((r) => !r.query.has('delimiter'));
    const [page1, page2] = listings;
    assert.ok(page1 && page2);
    assert.ok(page2.started < (page1.ended ?? Infinity), 'page 2 was requested before page 1 had finished arriving');
  });

  for (const fault of [
    { name: '500', make: () => ({ kind: 'status', status: 500 }) as const },
    { name: '503 SlowDown', make: () => ({ kind: 'status', status: 503, code: 'SlowDown', retryAfter: '0' }) as const },
    { name: 'a connection reset mid-body', make: () => ({ kind: 'reset-mid-body' }) as const },
  ]) {
    it(`retries ${fault.name} and still lists every key`, async () => {
      let injected = 0;
      proxy.rule = (r) => (r.query.has('continuation-token') && injected++ < 2 ? fault.make() : undefined);
      const { keys, stats } = await listKeys({ concurrency: 1 });
      assert.equal(injected >= 2, true);
      assert.equal(stats.retries, 2, 'each fault retried once');
      assert.deepEqual(keys.filter((k) => !k.endsWith('/')).sort(), [...expected].sort());
    });
  }

  it('gives up on a server that keeps failing after the bounded attempts, with one message', async () => {
    proxy.rule = () => ({ kind: 'status', status: 503, code: 'SlowDown' });
    const error = await failure(listKeys({ concurrency: 1 }));
    assert.ok(error instanceof UserFacingError);
    assert.match(error.message, /HTTP 503 SlowDown .*try again in a minute\. Tried 4 times\./);
    assert.equal(proxy.requests.length, QUICK.attempts, 'exactly the bounded number of attempts');
  });

  for (const code of ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled']) {
    it(`reports 403 ${code} at once, never retried`, async () => {
      proxy.rule = () => ({ kind: 'status', status: 403, code });
      const error = await failure(new LiveListing({ bucket: 'lake', credentials: () => Promise.resolve(credentials()), retry: QUICK }).listPrefix(''));
      assert.ok(error instanceof UserFacingError);
      assert.match(error.message, code === 'SignatureDoesNotMatch' ? /secret access key .* does not match/ : code === 'InvalidAccessKeyId' ? /does not know the access key id/ : /Access denied listing r2:\/\/lake\//);
      assert.equal(proxy.requests.length, 1);
    });
  }

  for (const broken of [
    { name: 'malformed XML', fault: { kind: 'body', body: '<html><body>captive portal</body></html>' } as const, message: /not an S3 listing/ },
    { name: 'a body cut short', fault: { kind: 'truncate' } as const, message: /not an S3 listing/ },
  ]) {
    it(`ends ${broken.name} with one clear message, not a hang or a shorter listing`, async () => {
      proxy.rule = (r) => (r.query.has('continuation-token') ? broken.fault : undefined);
      const error = await failure(listKeys({ concurrency: 1 }));
      assert.ok(error instanceof UserFacingError);
      assert.match(error.message, broken.message);
    });
  }

  it('stops a continuation token that loops', async () => {
    const page = '<?xml version="1.0"?><ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>LOOP</NextContinuationToken><Contents><Key>a.csv</Key><Size>1</Size></Contents></ListBucketResult>';
    proxy.rule = () => ({ kind: 'body', body: page });
    const error = await failure(listKeys({ concurrency: 1 }));
    assert.ok(error instanceof UserFacingError);
    assert.match(error.message, /sent the same continuation token twice .* the listing is incomplete/);
    assert.ok(proxy.requests.length <= 3, `stopped after ${proxy.requests.length} requests`);
  });

  it('keeps reporting progress while no answer comes, and Cancel closes every open request', async () => {
    proxy.rule = (r) => (r.index > 1 ? { kind: 'hang' } : undefined);
    const controller = new AbortController();
    const progress: ListingProgress[] = [];
    const listing = listKeys({ concurrency: 8, far: true, signal: controller.signal, progressMs: 10, onProgress: (p) => progress.push(p) });
    await proxy.waitForOpen(3);
    const seen = progress.length;
    while (progress.length < seen + 3) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok((progress.at(-1)?.inFlight ?? 0) >= 3, 'progress names the requests waiting');
    controller.abort();
    await assert.rejects(listing, CancelledError);
    await proxy.waitForNoneOpen();
    assert.equal(proxy.openRequests, 0, 'every request was aborted, none left hanging');
  });

  it('times out a request that gets no answer once, without retrying it', async () => {
    proxy.rule = () => ({ kind: 'hang' });
    const error = await failure(listKeys({ concurrency: 1, timeoutMs: 200 }));
    assert.ok(error instanceof UserFacingError);
    assert.match(error.message, /did not answer in time .*no answer within 0\.2 s/);
    assert.equal(proxy.requests.length, 1);
  });

  it('browses a folder live through a 503 and a reset', async () => {
    let n = 0;
    proxy.rule = () => (n++ === 0 ? { kind: 'status', status: 503, code: 'SlowDown' } : n === 2 ? { kind: 'reset-mid-body' } : undefined);
    const page = await new LiveListing({ bucket: 'lake', credentials: () => Promise.resolve(credentials()), retry: QUICK }).listPrefix('year=2020/');
    assert.equal(page.folders.length, 12);
    assert.equal(proxy.requests.length, 3);
  });

  it('marks a live folder incomplete when its next page fails after retries, and completes it on Retry', async () => {
    const model = new BucketTreeModel(new MemoryLogger());
    model.show(new LiveListing({ bucket: 'flat', credentials: () => Promise.resolve(credentials()), retry: QUICK, maxKeys: 100 }));
    assert.equal((await model.children('')).kind, 'loaded');
    proxy.rule = () => ({ kind: 'status', status: 500 });
    await assert.rejects(model.loadMore(''), /HTTP 500 .*Tried 4 times/);
    const shown = model.visible('');
    assert.equal(shown?.objects.length, 100, 'the pages listed so far stay');
    assert.match(shown?.incomplete ?? '', /HTTP 500/, 'and the folder says it is incomplete');
    proxy.rule = undefined;
    await model.loadMore('');
    await model.loadMore('');
    assert.equal(model.visible('')?.objects.length, 230);
    assert.equal(model.visible('')?.incomplete, undefined);
    model.dispose();
  });
});
