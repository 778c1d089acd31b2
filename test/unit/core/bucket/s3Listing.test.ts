/**
 * Live browsing against a real S3-compatible server (s3rver) on 127.0.0.1: always runs, no httpfs.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { compileFilter } from '../../../../src/core/bucket/bucketFilter';
import type { BucketPage } from '../../../../src/core/bucket/bucketSource';
import { BucketTreeModel } from '../../../../src/core/bucket/bucketTreeModel';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import type { Credentials, Endpoint } from '../../../../src/core/credentials/profiles';
import { clearSecretValues, scrub } from '../../../../src/core/redaction';
import { LiveListing, listUrl, readCapped, signedList, translateNetworkError, translateS3Error, type RequestContext } from '../../../../src/core/bucket/s3Listing';
import { parseListing } from '../../../../src/core/bucket/s3ListingXml';
import { S3Server } from '../../../support/s3Server';
import { s3rverCredentials } from '../../../support/testProfiles';

const KEY_ID = 'AKIDCANARY7f3a91';
const SECRET = 'secretCANARY-0b5e2d77c4';

describe('live S3 listing (s3rver on 127.0.0.1)', () => {
  let server: S3Server;

  const profile = (overrides: Partial<Credentials> = {}) => s3rverCredentials(server, { accessKeyId: KEY_ID, secretAccessKey: SECRET }, overrides);
  const live = (bucket = 'lake', overrides: Partial<Credentials> = {}) =>
    new LiveListing({ bucket, credentials: () => Promise.resolve(profile(overrides)) });

  before(async () => {
    server = await S3Server.start({ buckets: ['lake', 'empty'], accessKeys: [[KEY_ID, SECRET]] });
    server.writeObjects('lake', [
      { key: 'README.md', body: 'hello' },
      { key: 'sales/year=2023/month=12/part-0.parquet', body: 'x'.repeat(100) },
      { key: 'sales/year=2024/month=01/part-0.parquet', body: 'x'.repeat(200) },
      { key: 'staging/raw/a.csv', body: 'a,b\n1,2\n' },
      ...Array.from({ length: 1500 }, (_, i) => ({ key: `big/k${String(i).padStart(5, '0')}.csv`, body: 'x' })),
    ]);
    await server.put('lake', 'sales/year=2024/month=01/part-1.parquet', 'y'.repeat(300));
  });
  after(async () => {
    await server.stop();
    clearSecretValues();
  });

  it('lists one level with delimiter=/: folders as common prefixes, objects with size and time', async () => {
    const root = await live().listPrefix('');
    assert.deepEqual(root.folders.map((f) => f.prefix), ['big/', 'sales/', 'staging/']);
    assert.deepEqual(root.objects.map((o) => [o.key, o.size]), [['README.md', 5]]);
    assert.ok(root.objects[0]?.lastModified instanceof Date && !Number.isNaN(+root.objects[0].lastModified));
    assert.equal(root.continuation, undefined);

    const sales = await live().listPrefix('sales/');
    assert.deepEqual(sales.folders.map((f) => f.prefix), ['sales/year=2023/', 'sales/year=2024/']);
    assert.deepEqual(sales.objects, [], 'the folder marker is not shown as an object');

    const month = await live().listPrefix('sales/year=2024/month=01/');
    assert.deepEqual(month.objects.map((o) => [o.key, o.size]), [
      ['sales/year=2024/month=01/part-0.parquet', 200],
      ['sales/year=2024/month=01/part-1.parquet', 300],
    ]);
  });

  it('pages a folder of more than 1,000 keys with continuation tokens', async () => {
    const pages: BucketPage[] = [];
    let continuation: string | undefined;
    do {
      const page = await live().listPrefix('big/', continuation);
      pages.push(page);
      continuation = page.continuation;
    } while (continuation !== undefined);
    assert.equal(pages.length, 2);
    const keys = pages.flatMap((p) => p.objects.map((o) => o.key));
    assert.equal(keys.length, 1500);
    assert.equal(new Set(keys).size, 1500);
    assert.deepEqual(keys, [...keys].sort());
  });

  it('shows "Load more" until the folder is complete, in the tree model', async () => {
    const model = new BucketTreeModel(new MemoryLogger());
    const changed: (string | undefined)[] = [];
    model.onDidChange((prefix) => changed.push(prefix));
    model.show(live());
    const first = await model.children('big/');
    assert.equal(first.kind, 'loaded');
    assert.equal(model.visible('big/')?.hasMore, true);
    const firstCount = model.visible('big/')?.objects.length ?? 0;
    assert.ok(firstCount >= 999 && firstCount <= 1000, `first page ${firstCount}`);
    await model.loadMore('big/');
    assert.equal(model.visible('big/')?.objects.length, 1500);
    assert.equal(model.visible('big/')?.hasMore, false);
    assert.deepEqual(changed, [undefined, 'big/'], 'only the folder that grew is refreshed');

    model.setFilter(compileFilter('k0000?.csv'));
    assert.equal(model.visible('big/')?.objects.length, 10);
    assert.equal(model.visible('big/')?.listed, 1500);
    model.dispose();
  });

  it('re-lists one folder on refresh, and keeps a failed listing as state with the reason logged once', async () => {
    const log = new MemoryLogger();
    const model = new BucketTreeModel(log);
    model.show(live());
    await model.children('');
    await model.children('staging/raw/');
    const changed: (string | undefined)[] = [];
    model.onDidChange((prefix) => changed.push(prefix));
    await server.put('lake', 'staging/raw/b.csv', 'c,d\n');
    assert.equal(model.visible('staging/raw/')?.objects.length, 1, 'the listing is kept until refreshed');
    const state = await model.refresh('staging/raw/');
    assert.equal(state.kind, 'loaded');
    assert.deepEqual(model.visible('staging/raw/')?.objects.map((o) => o.key), ['staging/raw/a.csv', 'staging/raw/b.csv']);
    assert.deepEqual(changed, ['staging/raw/']);
    assert.ok(model.visible(''), 'other folders stay listed');

    model.show(live('no-such-bucket'));
    const failed = await model.children('');
    assert.equal(failed.kind, 'failed');
    assert.match(failed.kind === 'failed' ? failed.message : '', /Bucket "no-such-bucket" not found/);
    assert.equal(log.lines.filter((l) => l.startsWith('error Listing r2://no-such-bucket/')).length, 1);
    assert.match(log.lines.at(-1) ?? '', /\| HTTP 404 NoSuchBucket/);
    assert.equal((await model.children('')).kind, 'failed', 'the failure is kept, not retried on every expand');
    model.dispose();
  });

  it('keeps the keys between folders when told of profile changes: read again after a change, a failed read or a new source', async () => {
    let reads = 0;
    let failNext = false;
    const listeners = new Set<() => void>();
    const changed = () => [...listeners].forEach((l) => l());
    const listing = new LiveListing({
      bucket: 'lake',
      credentials: () => {
        reads++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new UserFacingError('R2 profile "Local lake" has no keys in the keychain: set its credentials again.'));
        }
        return Promise.resolve(profile());
      },
      credentialsChanged: (listener) => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
    });
    await listing.listPrefix('');
    await listing.listPrefix('sales/');
    await listing.listPrefix('staging/');
    assert.equal(reads, 1, 'one keychain read for three folders');
    changed();
    await listing.listPrefix('');
    assert.equal(reads, 2, 'read again after the profiles changed');
    changed();
    failNext = true;
    await assert.rejects(listing.listPrefix(''), /has no keys in the keychain/);
    assert.equal((await listing.listPrefix('sales/')).folders.length, 2, 'a failed read is not kept');
    assert.equal(reads, 4);

    const model = new BucketTreeModel(new MemoryLogger());
    model.show(listing);
    assert.equal(listeners.size, 1);
    model.show(live());
    assert.equal(listeners.size, 0, 'the view showing another source drops the keys and the subscription');
    model.dispose();

    // Without a change subscription the keys are read for every request, and never kept.
    let fresh = 0;
    const uncached = new LiveListing({ bucket: 'lake', credentials: () => (fresh++, Promise.resolve(profile())) });
    await uncached.listPrefix('');
    await uncached.listPrefix('sales/');
    assert.equal(fresh, 2);
  });

  it('translates an unknown access key id (403 InvalidAccessKeyId), without the key in the message', async () => {
    const error = await live('lake', { accessKeyId: 'AKIDUNKNOWN000000' }).listPrefix('').then(
      () => assert.fail('listing should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UserFacingError);
    assert.match(error.message, /does not know the access key id of profile "Local lake" \(HTTP 403 InvalidAccessKeyId\)/);
    assert.match(error.detail ?? '', /HTTP 403 InvalidAccessKeyId/);
    assert.deepEqual(error.actions.map((a) => [a.command, a.args]), [['duckdbSecrets.setCredentials', ['profile-1']]]);
    const shown = scrub(`${error.message} ${error.detail}`);
    assert.ok(!shown.includes(SECRET) && !shown.includes('AKIDUNKNOWN000000'), shown);
  });

  it('translates a missing bucket (404 NoSuchBucket), with no jurisdiction hint on a custom endpoint', async () => {
    await assert.rejects(live('no-such-bucket').listPrefix(''), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.match(e.message, /Bucket "no-such-bucket" not found at 127\.0\.0\.1:\d+ \(HTTP 404 NoSuchBucket\)\. Check the bucket name\./);
      assert.doesNotMatch(e.message, /EU|FedRAMP|jurisdiction/);
      return true;
    });
    assert.deepEqual(await live('empty').listPrefix(''), { folders: [], objects: [] });
  });

  it('translates TLS spoken to a plain-HTTP endpoint', async () => {
    await assert.rejects(live('lake', { customEndpoint: server.endpoint.replace('http:', 'https:') }).listPrefix(''), (e) => {
      assert.ok(e instanceof UserFacingError);
      assert.match(e.message, /speaks plain HTTP\. Write the profile's endpoint as http:\/\/127\.0\.0\.1:\d+\./);
      return true;
    });
  });

  it('translates a refused connection', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await assert.rejects(live('lake', { customEndpoint: `http://127.0.0.1:${port}` }).listPrefix(''), /Nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('rejects an endpoint with the scheme written twice before any request', async () => {
    await assert.rejects(live('lake', { customEndpoint: 'https://https://example.invalid' }).listPrefix(''), /has the scheme twice/);
  });

  it('says it is live and starts at the bucket root unless told otherwise', () => {
    assert.equal(live().kind, 'live', 'the tree keeps unlisted sub-folders of a live source');
    assert.equal(live().description, 'Live');
    assert.equal(live().rootPrefix, '');
    assert.equal(new LiveListing({ bucket: 'lake', rootPrefix: 'sales/', credentials: () => Promise.resolve(profile()) }).rootPrefix, 'sales/');
  });

  it('does not show a folder marker object as a file of its own folder', async () => {
    await server.put('lake', 'markers/', '');
    await server.put('lake', 'markers/a.csv', 'a');
    const page = await live().listPrefix('markers/');
    assert.deepEqual(page.objects.map((o) => o.key), ['markers/a.csv']);
    const full = await signedList(profile(), { bucket: 'lake', prefix: 'markers/', keepPrefixMarker: true });
    assert.deepEqual(full.objects.map((o) => o.key), ['markers/', 'markers/a.csv'], 'a full listing counts the marker');
  });

  it('names the endpoint it cannot use: written with spaces around a doubled scheme, not a URL, or missing', async () => {
    await assert.rejects(
      live('lake', { customEndpoint: '  https://https://example.invalid ' }).listPrefix(''),
      (e) => e instanceof UserFacingError && e.message === 'The endpoint of profile "Local lake" has the scheme twice (https://https://example.invalid). Write it once, e.g. https://host or http://host:port.',
    );
    await assert.rejects(
      live('lake', { customEndpoint: 'example host' }).listPrefix(''),
      (e) => e instanceof UserFacingError && e.message === 'The endpoint of profile "Local lake" is not a URL: "example host". Write it as https://host or http://host:port.',
    );
    await assert.rejects(
      live('lake', { customEndpoint: undefined }).listPrefix(''),
      (e) => e instanceof UserFacingError && e.message.startsWith('The endpoint of profile "Local lake" is not a URL: "".') && /has none set/.test(e.detail ?? ''),
    );
  });

  it('turns an abort into a quiet cancellation', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(live().listPrefix('', undefined, controller.signal), CancelledError);
  });
});

describe('S3 listing pieces', () => {
  const context: RequestContext = { profileId: 'p', profile: 'Prod', host: 'acc.r2.cloudflarestorage.com', bucket: 'lake', prefix: 'a/', useSsl: true };
  const s3Error = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

  it('tells a signature mismatch (wrong secret) from missing permissions', () => {
    const mismatch = translateS3Error(403, s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match'), context);
    assert.match(mismatch.message, /secret access key of profile "Prod" does not match its access key id/);
    const denied = translateS3Error(403, s3Error('AccessDenied', 'Access Denied'), context);
    assert.match(denied.message, /Access denied listing r2:\/\/lake\/a\/ \(HTTP 403 AccessDenied\)\. Check that the API token .* Object Read/);
    assert.deepEqual(denied.actions.map((a) => a.command), ['duckdbSecrets.openBucketPath']);
    assert.match(translateS3Error(500, 'oops', context).message, /failed: HTTP 500/);
  });

  it('suggests the EU or FedRAMP jurisdiction for a missing bucket only on the default endpoint', () => {
    const missing = s3Error('NoSuchBucket', 'The specified bucket does not exist');
    assert.match(translateS3Error(404, missing, { ...context, defaultEndpoint: true }).message, /EU or FedRAMP jurisdiction/);
    assert.doesNotMatch(translateS3Error(404, missing, { ...context, host: 'acc.eu.r2.cloudflarestorage.com', defaultEndpoint: false }).message, /EU or FedRAMP/);
  });

  it('translates DNS and certificate failures', () => {
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND acc.r2.cloudflarestorage.com'), { code: 'ENOTFOUND' }) });
    assert.match(translateNetworkError(dns, context).message, /host acc\.r2\.cloudflarestorage\.com was not found listing r2:\/\/lake\/a\/\. Check the account id/);
    const cert = new TypeError('fetch failed', { cause: Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }) });
    assert.match(translateNetworkError(cert, context).message, /certificate .* not trusted/);
    const tls = new TypeError('fetch failed', { cause: Object.assign(new Error('ssl3_get_record failed'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }) });
    assert.match(translateNetworkError(tls, context).message, /speaks plain HTTP/, 'told by the code alone');
  });

  it('marks only busy answers as worth a retry, and SlowDown, 429 and 503 as asking for fewer requests', () => {
    assert.deepEqual(translateS3Error(503, s3Error('SlowDown', 'Reduce your request rate'), context, '2').failure, { status: 503, transient: true, slowDown: true, retryAfterMs: 2000 });
    assert.deepEqual(translateS3Error(429, 'busy', context).failure, { status: 429, transient: true, slowDown: true });
    assert.deepEqual(translateS3Error(503, 'unavailable', context).failure, { status: 503, transient: true, slowDown: true });
    assert.deepEqual(translateS3Error(400, s3Error('SlowDown', 'Please slow down'), context).failure, { status: 400, transient: false, slowDown: true }, 'the code alone asks to slow down');
    const failed = translateS3Error(500, 'oops', context);
    assert.deepEqual(failed.failure, { status: 500, transient: true, slowDown: false });
    assert.equal(failed.message, 'Listing r2://lake/a/ failed: HTTP 500. acc.r2.cloudflarestorage.com is failing or busy: try again in a minute.');
    assert.deepEqual(failed.actions, [], 'nothing to click for a server failure');
    assert.deepEqual(translateS3Error(400, s3Error('InvalidBucketName', 'bad'), context).actions, []);
  });

  it('marks a connection lost mid-answer as worth a retry, with the status it had answered', () => {
    const lost = (code: string, message = 'other side closed') =>
      new TypeError('terminated', { cause: Object.assign(new Error(message), { code }) });
    const cut = translateNetworkError(lost('UND_ERR_SOCKET'), context, 200);
    assert.deepEqual(cut.failure, { transient: true, status: 200 });
    assert.match(cut.detail ?? '', /^terminated: other side closed \[UND_ERR_SOCKET\] after HTTP 200 \(listing r2:\/\/lake\/a\/ at acc\.r2\.cloudflarestorage\.com\)$/);
    assert.equal(translateNetworkError(lost('EPIPE', 'write EPIPE'), context).failure.transient, true);
    assert.equal(translateNetworkError(lost('ECONNRESET', 'read ECONNRESET'), context).failure.transient, true);
    assert.equal(translateNetworkError(lost('UND_ERR_CLOSED', 'closed'), context).failure.transient, true);
    assert.equal(translateNetworkError(new TypeError('terminated'), context).failure.transient, true, 'undici\'s bare "terminated"');
    const refused = translateNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), context);
    assert.deepEqual(refused.failure, { transient: false });
    assert.match(refused.detail ?? '', /\[ECONNREFUSED\] \(listing/);
    const odd = translateNetworkError(undefined, context);
    assert.equal(odd.failure.transient, false, 'a rejection without an error is still worded, not a crash');
    assert.match(odd.detail ?? '', /^undefined \(listing r2:\/\/lake\/a\/ at /);
  });

  it('reads an answer up to the limit, refuses a longer one, and reads an empty one as empty', async () => {
    const where = { host: 'h', bucket: 'lake', prefix: 'a/' };
    assert.equal(await readCapped(new Response('abcd'), 4, where), 'abcd', 'exactly the limit is fine');
    await assert.rejects(readCapped(new Response('abcde'), 4, where), (e) => e instanceof UserFacingError && /^h answered the listing of r2:\/\/lake\/a\/ with more than 0 MB/.test(e.message));
    assert.equal(await readCapped(new Response(null), 4, where), '');
    const euro = new TextEncoder().encode('k€.csv');
    const split = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(euro.slice(0, 2));
        controller.enqueue(euro.slice(2));
        controller.close();
      },
    });
    assert.equal(await readCapped(new Response(split), 100, where), 'k€.csv', 'a character split across two pieces is read whole');
    assert.equal(await readCapped(new Response('abcd', { headers: { 'content-length': '4' } }), 4, where), 'abcd', 'a declared length of exactly the limit is read');
    await assert.rejects(
      readCapped(new Response(null, { headers: { 'content-length': '99' } }), 4, where),
      (e) => e instanceof UserFacingError && /not an S3 listing page: stopped reading/.test(e.message),
      'a declared length over the limit is refused even without a body',
    );
  });

  it("encodes the characters encodeURIComponent leaves alone, as SigV4 signs them", () => {
    const endpoint: Endpoint = { host: 'h', useSsl: true, url: 'https://h', urlStyle: 'path', isDefault: false };
    assert.equal(listUrl(endpoint, { bucket: 'lake', prefix: "it's (a)*!/" }), 'https://h/lake?list-type=2&prefix=it%27s%20%28a%29%2A%21%2F&max-keys=1000');
  });

  it('builds path-style and virtual-host URLs', () => {
    const endpoint: Endpoint = { host: 'h:9000', useSsl: false, url: 'http://h:9000', urlStyle: 'path', isDefault: false };
    assert.equal(listUrl(endpoint, { bucket: 'lake', prefix: 'a b/', delimiter: '/', maxKeys: 1000 }), 'http://h:9000/lake?list-type=2&prefix=a%20b%2F&delimiter=%2F&max-keys=1000');
    assert.equal(
      listUrl({ ...endpoint, urlStyle: 'vhost' }, { bucket: 'lake', prefix: '', delimiter: '/', maxKeys: 10, continuation: 'tok/+=' }),
      'http://lake.h:9000/?list-type=2&prefix=&delimiter=%2F&max-keys=10&continuation-token=tok%2F%2B%3D',
    );
    assert.equal(listUrl(endpoint, { bucket: 'lake', prefix: 'a/' }), 'http://h:9000/lake?list-type=2&prefix=a%2F&max-keys=1000', 'no delimiter: every key under the prefix');
  });

  it('parses keys with XML entities and keeps them as strings, a slice of entries at a time', async () => {
    const page = await parseListing(
      '<ListBucketResult><Prefix>a/</Prefix><IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken>' +
        '<Contents><Key>a/</Key><Size>0</Size></Contents>' +
        '<Contents><Key>a/0012 &amp; &lt;x&gt;.csv</Key><Size>42</Size><LastModified>2024-05-01T10:00:00.000Z</LastModified></Contents>' +
        '<CommonPrefixes><Prefix>a/b/</Prefix></CommonPrefixes></ListBucketResult>',
      'a/',
      1,
    );
    assert.deepEqual(page, {
      folders: [{ prefix: 'a/b/' }],
      objects: [{ key: 'a/0012 & <x>.csv', size: 42, lastModified: new Date('2024-05-01T10:00:00.000Z') }],
      continuation: 't1',
    });
    await assert.rejects(parseListing('<html>captive portal</html>', ''), /not an S3 listing/);
  });
});
