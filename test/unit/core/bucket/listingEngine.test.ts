/**
 * The full listing (listingEngine.ts) as its callers see it: what it reports (counts, progress,
 * retries), how it stops (cancel, a failing range, a looping token) and what the key ranges send
 * and keep. A real s3rver behind the fault proxy; where a test needs answers s3rver cannot give
 * (a token written at the end, keys just below a boundary), the proxy answers from a scripted
 * listing. Behaviour only, never wall time.
 */
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import type { BucketObject } from '../../../../src/core/bucket/bucketSource';
import { listAll, type FullListingRequest, type ListingProgress } from '../../../../src/core/bucket/listingEngine';
import { compareKeys } from '../../../../src/core/bucket/listingGate';
import { DEFAULT_RETRY, type RetryPolicy } from '../../../../src/core/bucket/retry';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { clearSecretValues } from '../../../../src/core/redaction';
import { FaultProxy, nonLoopbackAddress, type Fault, type ProxiedRequest } from '../../../support/faultProxy';
import { S3RVER_KEY, S3Server } from '../../../support/s3Server';
import { s3rverCredentials } from '../../../support/testProfiles';

/** Retries without the waiting, so the suite stays quick. */
const QUICK: RetryPolicy = { ...DEFAULT_RETRY, baseMs: 1, slowDownBaseMs: 2, maxDelayMs: 5 };
/** A retry wait that lasts until the test cancels it. */
const LONG_WAIT: RetryPolicy = { ...DEFAULT_RETRY, baseMs: 600_000, slowDownBaseMs: 600_000, maxDelayMs: 600_000, random: () => 1 };

/** Five folders of 60 keys each, plus a file at the top. */
const FOLDERS = ['a', 'b', 'c', 'd', 'e'];
const folderKeys = () => ['top.csv', ...FOLDERS.flatMap((f) => Array.from({ length: 60 }, (_, i) => `${f}/part-${String(i).padStart(2, '0')}.csv`))];

/**
 * A ListObjectsV2 answer for `keys` as S3 gives it (prefix, delimiter, start-after, continuation
 * token, max-keys; the token is the last key listed). `tokenAtEnd` writes the token after the
 * entries, where the head watcher does not see it; `extraFolders` are named at the top as well.
 */
function scriptedListing(keys: readonly string[], options: { tokenAtEnd?: boolean; extraFolders?: readonly string[] } = {}): (request: ProxiedRequest) => Fault {
  const sorted = [...keys].sort(compareKeys);
  return (request) => {
    const q = request.query;
    const prefix = q.get('prefix') ?? '';
    const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
    const inside = sorted.filter((k) => k.startsWith(prefix) && compareKeys(k, after) > 0);
    let entries: string[];
    let token: string | undefined;
    if (q.get('delimiter') === '/') {
      const folders = [...new Set(inside.map((k) => k.slice(0, k.indexOf('/', prefix.length) + 1)).filter((f) => f !== ''))];
      if (prefix === '') folders.push(...(options.extraFolders ?? []));
      entries = [...inside.filter((k) => k.indexOf('/', prefix.length) === -1).map(content), ...folders.map((f) => `<CommonPrefixes><Prefix>${f}</Prefix></CommonPrefixes>`)];
    } else {
      const page = inside.slice(0, Number(q.get('max-keys') ?? 1000));
      token = page.length < inside.length ? page.at(-1) : undefined;
      entries = page.map(content);
    }
    const next = token === undefined ? '<IsTruncated>false</IsTruncated>' : `<IsTruncated>true</IsTruncated><NextContinuationToken>${token}</NextContinuationToken>`;
    const head = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>lake</Name><Prefix>${prefix}</Prefix>`;
    return { kind: 'body', body: options.tokenAtEnd ? `${head}${entries.join('')}${next}</ListBucketResult>` : `${head}${next}${entries.join('')}</ListBucketResult>` };
  };
}
const content = (key: string) => `<Contents><Key>${key}</Key><Size>1</Size></Contents>`;

describe('the full listing: counts, progress, stopping and key ranges', function () {
  this.timeout(60_000);
  let server: S3Server;
  let proxy: FaultProxy;

  const credentials = () => s3rverCredentials(server, S3RVER_KEY, { customEndpoint: proxy.endpoint });
  const list = async (options: Partial<FullListingRequest> = {}) => {
    const keys: string[] = [];
    const stats = await listAll({
      credentials: credentials(),
      bucket: 'lake',
      prefix: '',
      maxKeys: 25,
      retry: QUICK,
      onObjects: (objects: readonly BucketObject[]) => void keys.push(...objects.map((o) => o.key)),
      ...options,
    });
    return { keys, stats };
  };
  /** Resolves once `progress` has grown by `count` reports. */
  const reports = async (progress: readonly ListingProgress[], count: number) => {
    const seen = progress.length;
    while (progress.length < seen + count) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  before(async () => {
    server = await S3Server.start({ buckets: ['lake', 'flat'] });
    server.writeObjects('lake', folderKeys().map((key) => ({ key, body: 'x' })), { folderMarkers: true });
    server.writeObjects('flat', Array.from({ length: 120 }, (_, i) => ({ key: `k${String(i).padStart(4, '0')}.csv`, body: 'x' })));
    proxy = await FaultProxy.start(server.port);
  });
  beforeEach(() => proxy.reset());
  after(async () => {
    await proxy.stop();
    await server.stop();
    clearSecretValues();
  });

  it('refuses at once when cancelled before it starts, sending nothing', async () => {
    await assert.rejects(list({ signal: AbortSignal.abort() }), CancelledError);
    assert.equal(proxy.requests.length, 0);
  });

  it('counts the objects it delivered and the requests it sent', async () => {
    const { keys, stats } = await list({ bucket: 'flat', concurrency: 1 });
    assert.equal(keys.length, 120);
    assert.deepEqual(stats, { strategy: 'sequential', ranges: 1, requests: 5, retries: 0, maxInFlight: 1, objects: 120 });
    assert.equal(proxy.requests.length, 5, 'one request per page of 25');
  });

  it('keeps the folder marker of the prefix it lists, as a full listing should', async () => {
    const { keys } = await list({ prefix: 'b/', concurrency: 1 });
    assert.equal(keys.length, 61);
    assert.ok(keys.includes('b/'), 'the marker object `b/` itself');
  });

  it('pages sequentially at a concurrency of 1 even when told the server is far', async () => {
    const { keys, stats } = await list({ concurrency: 1, far: true });
    assert.equal(stats.strategy, 'sequential');
    assert.equal(proxy.requests.filter((r) => r.query.has('delimiter')).length, 0, 'no folder discovery');
    assert.equal(keys.length, new Set(keys).size);
  });

  it('leaves no listener on the caller\'s signal, and reports no progress once it has returned', async () => {
    const controller = new AbortController();
    const progress: ListingProgress[] = [];
    await list({ bucket: 'flat', signal: controller.signal, progressMs: 1, onProgress: (p) => progress.push(p) });
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    const after = progress.length;
    // A later timer: any interval still running at 1 ms would have fired before it.
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(progress.length, after, 'the progress timer stopped with the listing');
  });

  it('reports progress while a page is awaited: the objects so far, never a wait longer than the listing', async () => {
    proxy.rule = (r) => (r.index > 1 ? { kind: 'hang' } : undefined);
    const controller = new AbortController();
    const progress: ListingProgress[] = [];
    const began = performance.now();
    const listing = list({ bucket: 'flat', concurrency: 1, signal: controller.signal, progressMs: 5, onProgress: (p) => progress.push(p) });
    while (proxy.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await reports(progress, 3);
    const elapsed = performance.now() - began;
    const last = progress.at(-1);
    assert.equal(last?.objects, 25, 'the first page');
    assert.equal(last?.inFlight, 1, 'the second page, awaited');
    assert.ok(progress.every((p) => p.waitingMs >= 0 && p.waitingMs <= elapsed), 'waiting since the last page, at most since the start');
    assert.equal(last?.retry, undefined);
    controller.abort();
    await assert.rejects(listing, CancelledError);
  });

  it('names the retry in its progress while the retry waits', async () => {
    proxy.rule = (r) => (r.index === 1 ? { kind: 'status', status: 503, code: 'SlowDown' } : undefined);
    const controller = new AbortController();
    const progress: ListingProgress[] = [];
    const listing = list({ bucket: 'flat', concurrency: 1, retry: LONG_WAIT, signal: controller.signal, progressMs: 5, onProgress: (p) => progress.push(p) });
    while (proxy.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await reports(progress, 3);
    const retry = progress.at(-1)?.retry;
    assert.ok(retry, 'the last report names the retry');
    assert.equal(retry.attempt, 1);
    assert.ok(retry.delayMs >= 300_000, 'the wait asked for');
    controller.abort();
    await assert.rejects(listing, CancelledError);
    assert.equal(proxy.requests.length, 1, 'Cancel ended the wait: no second attempt');
  });

  it('stops naming a retry once its wait is over', async () => {
    proxy.rule = (r) => (r.index === 1 ? { kind: 'status', status: 500 } : r.index > 2 ? { kind: 'hang' } : undefined);
    const controller = new AbortController();
    const progress: ListingProgress[] = [];
    const listing = list({ bucket: 'flat', concurrency: 1, signal: controller.signal, progressMs: 5, onProgress: (p) => progress.push(p) });
    while (proxy.requests.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await reports(progress, 3);
    assert.equal(progress.at(-1)?.objects, 25, 'the retried first page arrived');
    assert.equal(progress.at(-1)?.retry, undefined, 'the retry is over');
    controller.abort();
    await assert.rejects(listing, CancelledError);
  });

  for (const fault of [
    { name: 'a 503 SlowDown halves', status: 503, code: 'SlowDown', inFlight: 4 },
    { name: 'a 500 leaves', status: 500, code: 'InternalError', inFlight: 5 },
  ]) {
    it(`${fault.name} the requests allowed in flight`, async () => {
      // The folder listing of the top fails once; the five folders' listings then hang.
      proxy.rule = (r) => (r.index === 1 ? { kind: 'status', status: fault.status, code: fault.code } : r.query.get('prefix') !== '' ? { kind: 'hang' } : undefined);
      const controller = new AbortController();
      const progress: ListingProgress[] = [];
      const listing = list({ concurrency: 8, far: true, signal: controller.signal, progressMs: 5, onProgress: (p) => progress.push(p) });
      await proxy.waitForOpen(4);
      await reports(progress, 3);
      assert.equal(progress.at(-1)?.inFlight, fault.inFlight);
      controller.abort();
      await assert.rejects(listing, CancelledError);
      await proxy.waitForNoneOpen();
    });
  }

  it('Cancel aborts the key ranges\' requests in flight', async () => {
    proxy.rule = (r) => (r.query.has('delimiter') ? undefined : { kind: 'hang' });
    const controller = new AbortController();
    const listing = list({ concurrency: 4, far: true, signal: controller.signal });
    await proxy.waitForOpen(4);
    controller.abort();
    await assert.rejects(listing, CancelledError);
    await proxy.waitForNoneOpen();
    assert.equal(proxy.openRequests, 0);
  });

  it('reports a failing range\'s own error, not the cancellation of the ranges it stopped', async () => {
    // The first range waits; a later one is refused.
    proxy.rule = (r) => (r.query.has('delimiter') ? undefined : r.query.get('start-after') === 'd.' ? { kind: 'status', status: 403, code: 'AccessDenied' } : r.query.has('start-after') ? undefined : { kind: 'hang' });
    const error = await list({ concurrency: 2, far: true }).then(
      () => assert.fail('the listing should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UserFacingError && !(error instanceof CancelledError), String(error));
    assert.match(error.message, /Access denied/);
    await proxy.waitForNoneOpen();
  });

  it('ends cancelled when the caller\'s page handler cancels, and when Cancel comes during the last page', async () => {
    await assert.rejects(
      list({
        onObjects: () => {
          throw new CancelledError();
        },
      }),
      CancelledError,
    );
    const controller = new AbortController();
    let received = 0;
    const listing = list({
      bucket: 'flat',
      concurrency: 1,
      signal: controller.signal,
      onObjects: async (objects) => {
        received += objects.length;
        if (received === 120) {
          controller.abort();
          // Whatever the handler throws on its way out, the listing ends cancelled.
          await Promise.resolve();
          throw new Error('the handler gave up');
        }
      },
    });
    await assert.rejects(listing, CancelledError);
    const quiet = new AbortController();
    let delivered = 0;
    const last = list({
      bucket: 'flat',
      concurrency: 1,
      signal: quiet.signal,
      onObjects: (objects) => {
        delivered += objects.length;
        if (delivered === 120) quiet.abort();
      },
    });
    await assert.rejects(last, CancelledError, 'cancelled while the last page was handed over: not a complete listing');
  });

  it('names how many pages it listed when the continuation token loops', async () => {
    const pages: Record<string, string> = { '': 'A', A: 'B', B: 'A' };
    proxy.rule = (r) => {
      const token = pages[r.query.get('continuation-token') ?? ''] ?? 'A';
      return { kind: 'body', body: `<?xml version="1.0"?><ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>${token}</NextContinuationToken>${content(`k${r.index}.csv`)}</ListBucketResult>` };
    };
    const error = await list({ concurrency: 1 }).then(
      () => assert.fail('the listing should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UserFacingError);
    assert.match(error.message, /same continuation token twice listing r2:\/\/lake\/: .*Stopped after 3 pages; the listing is incomplete\./);
  });

  it('pages to the end a server that writes the continuation token after the entries', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(3, '0')}.csv`);
    proxy.rule = scriptedListing(keys, { tokenAtEnd: true });
    const listed = await list({ concurrency: 1 });
    assert.deepEqual(listed.keys, keys);
  });

  it('keeps every key exactly once across ranges, a key just below a boundary included, each range starting just below its boundary', async () => {
    // `b.csv` sorts after `b.` (where the range of `b/` starts) and before `b/`: the range before keeps it.
    const keys = [...folderKeys(), 'b.csv', 'c.txt'];
    proxy.rule = scriptedListing(keys);
    const sequential = await list({ concurrency: 1 });
    assert.deepEqual(sequential.keys, [...keys].sort(compareKeys));
    proxy.reset();
    proxy.rule = scriptedListing(keys);
    const ranged = await list({ concurrency: 2, far: true });
    assert.equal(ranged.stats.strategy, 'ranges');
    assert.equal(ranged.stats.ranges, 5, 'cut at b/, c/, d/ and e/');
    assert.deepEqual([...ranged.keys].sort(compareKeys), sequential.keys);
    const startAfter = proxy.requests.map((r) => r.query.get('start-after')).filter((s) => s !== null);
    assert.deepEqual(startAfter.sort(), ['b.', 'c.', 'd.', 'e.']);
  });

  it('loses no key and stops cleanly at folders the server names that hold nothing (deleted meanwhile) or lack their slash', async () => {
    const keys = [...folderKeys(), 'y'];
    // Ranges [x/, y), [y, z/), [z/, zz/) and [zz/, …): the last two get an empty page.
    proxy.rule = scriptedListing(keys, { extraFolders: ['x/', 'y', 'z/', 'zz/'] });
    const ranged = await list({ concurrency: 3, far: true });
    assert.equal(ranged.stats.ranges, 9);
    assert.deepEqual([...ranged.keys].sort(compareKeys), [...keys].sort(compareKeys));
    const startAfter = proxy.requests.filter((r) => !r.query.has('delimiter')).map((r) => r.query.get('start-after'));
    assert.deepEqual(startAfter.filter((s) => s !== null).sort(), ['', 'b.', 'c.', 'd.', 'e.', 'x.', 'z.', 'zz.'], 'a boundary without its slash is listed from the start and filtered');
  });

  it('ends a range on the page that reaches its boundary, without waiting for the page after it', async () => {
    // Page 2 of the first range ends exactly at its boundary, the marker `b/`; the page after it would never come.
    const keys = [...Array.from({ length: 49 }, (_, i) => `a/part-${String(i).padStart(2, '0')}`), 'b/', ...Array.from({ length: 60 }, (_, i) => `b/part-${String(i).padStart(2, '0')}`), 'c/part-00'];
    const answer = scriptedListing(keys);
    proxy.rule = (r) => (r.query.get('continuation-token') === 'b/' ? { kind: 'hang' } : answer(r));
    const ranged = await list({ concurrency: 2, far: true, timeoutMs: 10_000 });
    assert.equal(ranged.stats.ranges, 3);
    assert.deepEqual([...ranged.keys].sort(compareKeys), keys);
    await proxy.waitForNoneOpen();
  });

  it('ends with the message of a broken folder listing rather than change its plan', async () => {
    proxy.rule = (r) => (r.query.has('delimiter') ? { kind: 'body', body: '<html><body>captive portal</body></html>' } : undefined);
    await assert.rejects(list({ concurrency: 2, far: true }), /not an S3 listing/);
    assert.equal(proxy.requests.filter((r) => !r.query.has('delimiter')).length, 0, 'no page listed');
  });

  it('lists ranges of several pages each, against s3rver, with the keys of a sequential listing', async () => {
    const sequential = await list({ concurrency: 1 });
    assert.equal(sequential.keys.length, 1 + 5 * 61, 'the files and the folder markers');
    proxy.reset();
    const ranged = await list({ concurrency: 2, far: true });
    assert.equal(ranged.stats.ranges, 5);
    assert.deepEqual([...ranged.keys].sort(), [...sequential.keys].sort());
    assert.equal(ranged.stats.objects, ranged.keys.length);
  });

  it('tells a near server from a far one by the time its first folder listing takes', async function () {
    const elsewhere = nonLoopbackAddress();
    if (!elsewhere) return this.skip();
    const far = await FaultProxy.start(server.port, elsewhere);
    const at = (options: Partial<FullListingRequest>) => list({ credentials: s3rverCredentials(server, S3RVER_KEY, { customEndpoint: far.endpoint }), concurrency: 4, ...options });
    try {
      far.latencyMs = 60;
      const near = await at({ nearbyMs: 60_000 });
      assert.equal(near.stats.strategy, 'sequential', 'answering within nearbyMs: near');
      assert.equal(near.keys.length, 1 + 5 * 61, 'and listed whole');
      const slow = await at({});
      assert.equal(slow.stats.strategy, 'ranges', '60 ms is more than the default 25 ms: far');
      assert.equal(slow.keys.length, 1 + 5 * 61);
      // Only the first folder listing is timed: quick answers after a slow first one leave it far.
      far.latencyMs = 0;
      far.reset();
      far.rule = (r) => (r.index === 1 ? { kind: 'delay', ms: 1200 } : undefined);
      const slowFirst = await at({ nearbyMs: 1000 });
      assert.equal(slowFirst.stats.strategy, 'ranges');
      assert.ok(far.requests.filter((r) => r.query.has('delimiter')).length > 1, 'the folders were listed too');
    } finally {
      await far.stop();
    }
  });
});
