/**
 * The direct listing (Test R2 Bucket's fast path, the CLI's `test` without httpfs) against s3rver on
 * 127.0.0.1, through a loopback proxy that can hold a request: folder markers are not counted, the
 * progress people read (also while the server is silent, and what a retry or a slow server means),
 * which failures are a refusal of the profile's keys, and cancelling. Key-shaped values are generated.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listDirect, listingProgressText, refusedCredentials } from '../../../../src/core/bucket/directListing';
import { S3RequestError } from '../../../../src/core/bucket/retry';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { S3Server } from '../../../support/s3Server';
import { seededR2Keys } from '../../../support/seededKeys';
import { s3rverCredentials } from '../../../support/testProfiles';

const keys = seededR2Keys(4711);
const stranger = seededR2Keys(4712);

function s3Failure(status: number | undefined, slowDown = false): S3RequestError {
  return new S3RequestError('failed', undefined, [], { ...(status !== undefined ? { status } : {}), transient: true, slowDown });
}

describe('direct listing: progress text and refusals', () => {
  const at = (objects: number, waitingMs: number, inFlight = 1) => ({ objects, inFlight, waitingMs });

  it('says how many objects were listed, and what a silent server is doing after 2 s', () => {
    assert.equal(listingProgressText(3000, at(3000, 0)), 'Listed 3,000 objects…');
    assert.equal(listingProgressText(3000, at(3000, 1999)), 'Listed 3,000 objects…');
    assert.equal(listingProgressText(3000, at(3000, 2000)), 'Listed 3,000 objects · waiting for the server (2 s, 1 request)…');
    assert.equal(listingProgressText(12, at(12, 4600, 3)), 'Listed 12 objects · waiting for the server (5 s, 3 requests)…');
  });

  it('says why it waits while a retry is pending: the status, slow down, or a lost connection', () => {
    const retry = (error: S3RequestError, delayMs: number, attempt: number) => ({ ...at(1000, 5000, 2), retry: { attempt, attempts: 4, delayMs, error } });
    assert.equal(listingProgressText(1000, retry(s3Failure(503, true), 1500, 1)), 'Listed 1,000 objects · server busy (HTTP 503, slow down), retrying in 1.5 s (attempt 2 of 4)…');
    assert.equal(listingProgressText(1000, retry(s3Failure(500), 250, 2)), 'Listed 1,000 objects · server busy (HTTP 500), retrying in 0.3 s (attempt 3 of 4)…');
    assert.equal(listingProgressText(1000, retry(s3Failure(undefined), 2000, 3)), 'Listed 1,000 objects · server busy (connection lost), retrying in 2.0 s (attempt 4 of 4)…');
  });

  it('only a 401 or 403 from the server is a refusal of the keys', () => {
    assert.equal(refusedCredentials(s3Failure(401)), true);
    assert.equal(refusedCredentials(s3Failure(403)), true);
    for (const other of [s3Failure(404), s3Failure(500), s3Failure(undefined), new UserFacingError('HTTP 403'), new Error('403'), undefined]) {
      assert.equal(refusedCredentials(other), false, String(other));
    }
  });
});

describe('direct listing against s3rver', function () {
  let server: S3Server;
  let proxy: http.Server;
  /** Called for each request the proxy forwards; may answer (or hold) it itself by returning true. */
  let intercept: (req: http.IncomingMessage, res: http.ServerResponse) => boolean = () => false;
  const held: (() => void)[] = [];
  const objects = 1200;

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const viaProxy = (overrides: Partial<Credentials> = {}) => s3rverCredentials(server, keys, { customEndpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, ...overrides });

  before(async () => {
    server = await S3Server.start({ buckets: ['lake'], accessKeys: [[keys.accessKeyId, keys.secretAccessKey]] });
    // 1,200 objects in three folders, each folder with its zero-byte marker (`a/`, `b/`, `c/`), as S3 consoles make them.
    server.writeObjects('lake', Array.from({ length: objects }, (_, i) => ({ key: `${'abc'[i % 3]}/k${String(i).padStart(5, '0')}.csv`, body: 'x'.repeat(1 + (i % 4)) })), { folderMarkers: true });
    proxy = http.createServer((req, res) => {
      if (!intercept(req, res)) forward(req, res);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => {
    intercept = () => false;
    for (const release of held.splice(0)) release();
  });
  after(async () => {
    proxy?.close();
    await server?.stop();
  });

  it('lists every object, folder markers left out of the count, in pages as they arrive', async () => {
    const progress: string[] = [];
    const pages: string[][] = [];
    const listing = await listDirect(viaProxy(), 'lake', '', { onProgress: (m) => progress.push(m), onObjects: (page) => pages.push(page.map((o) => o.key)) });
    assert.equal(listing.objectCount, objects);
    assert.equal(progress.at(-1), `Listed 1,200 objects…`, progress.join(' | '));
    assert.match(listing.description, /^Test result · 1,200 objects · /);
    const keysSeen = pages.flat();
    assert.ok(pages.length >= 2, 'more than one page');
    assert.equal(keysSeen.length, objects + 3, 'every key, the three folder markers too');
    assert.ok(['a/', 'b/', 'c/'].every((marker) => keysSeen.includes(marker)), 'the markers are listed');
    const a = await listing.listPrefix('a/');
    assert.equal(a.objects.length, 400);
  });

  it('needs no callbacks: a folder listed with nothing but the keys', async () => {
    const listing = await listDirect(viaProxy(), 'lake', 'b/');
    assert.equal(listing.objectCount, 400);
    assert.equal(listing.totalSize, Array.from({ length: objects }, (_, i) => i).filter((i) => i % 3 === 1).reduce((sum, i) => sum + 1 + (i % 4), 0));
  });

  it('reports progress while the server is silent, before any page has come', async () => {
    const progress: string[] = [];
    let first = true;
    intercept = (req, res) => {
      if (!first) return false;
      first = false;
      // The first request is answered once progress has been reported (or after 5 s, so a broken build fails instead of hanging).
      const timer = setTimeout(() => forward(req, res), 5000);
      held.push(() => {
        clearTimeout(timer);
        forward(req, res);
      });
      return true;
    };
    const listing = await listDirect(viaProxy(), 'lake', 'c/', {
      onProgress: (m) => {
        progress.push(m);
        for (const release of held.splice(0)) release();
      },
    });
    assert.equal(listing.objectCount, 400);
    assert.equal(progress[0], 'Listed 0 objects…', progress.join(' | '));
    assert.equal(progress.at(-1), 'Listed 400 objects…');
  });

  it('a refusal of the keys is a 403 the caller can tell from other failures', async () => {
    const error = await listDirect(viaProxy({ accessKeyId: stranger.accessKeyId }), 'lake', '').then(
      () => assert.fail('the listing should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UserFacingError, String(error));
    assert.equal(refusedCredentials(error), true, error.message);
    assert.ok(!error.message.includes(stranger.accessKeyId) && !error.message.includes(keys.secretAccessKey), error.message);
  });

  it('a failure part way says the listing is incomplete and how far it got', async () => {
    intercept = (req, res) => {
      if (!req.url?.includes('continuation-token')) return false;
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>');
      return true;
    };
    await assert.rejects(listDirect(viaProxy(), 'lake', '', { onProgress: () => undefined }), (error: unknown) => {
      assert.ok(error instanceof UserFacingError, String(error));
      // The first page held 1,000 keys, three of them folder markers.
      assert.match(error.message, /^Listing incomplete \(997 objects listed before it stopped\): .*HTTP 500/);
      assert.equal(refusedCredentials(error), false);
      return true;
    });
  });

  it('cancelled while a request is out, or between pages: CancelledError, never an incomplete listing', async () => {
    const waiting = new AbortController();
    intercept = (_req, res) => {
      held.push(() => res.destroy());
      waiting.abort();
      return true;
    };
    await assert.rejects(listDirect(viaProxy(), 'lake', '', { signal: waiting.signal }), (error: unknown) => error instanceof CancelledError);
    intercept = () => false;
    const paging = new AbortController();
    await assert.rejects(
      listDirect(viaProxy(), 'lake', '', { signal: paging.signal, onObjects: () => paging.abort() }),
      (error: unknown) => error instanceof CancelledError,
    );
  });
});
