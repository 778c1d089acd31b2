/**
 * How live browsing fails, against real sockets where one can be made to fail (a server that never
 * answers, one that resets the connection, s3rver with a wrong secret) and with Node's own error
 * shapes where it cannot (DNS, certificates). Key-shaped values are generated.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { AwsV4Signer } from 'aws4fetch';
import { UserFacingError } from '../../../../src/core/errors';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { clearSecretValues, scrub } from '../../../../src/core/redaction';
import { LiveListing, signedList, translateNetworkError, translateS3Error, type RequestContext } from '../../../../src/core/bucket/s3Listing';
import { parseListing } from '../../../../src/core/bucket/s3ListingXml';
import { S3Server } from '../../../support/s3Server';
import { seededR2Keys } from '../../../support/seededKeys';
import { s3rverCredentials } from '../../../support/testProfiles';

const keys = seededR2Keys(1616);
const wrongSecret = seededR2Keys(1617).secretAccessKey;

async function failure(promise: Promise<unknown>): Promise<UserFacingError> {
  return await promise.then(
    () => assert.fail('the listing should fail'),
    (e: unknown) => {
      assert.ok(e instanceof UserFacingError, String(e));
      return e;
    },
  );
}

/** A TCP server on 127.0.0.1 that does `onSocket` with every connection. */
async function rawServer(onSocket: (socket: net.Socket) => void): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An S3 endpoint that answers a listing only when its SigV4 signature is right for `secret`. */
async function sigV4Server(accessKeyId: string, secretAccessKey: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const date = String(req.headers['x-amz-date'] ?? '');
      const signer = new AwsV4Signer({
        method: req.method ?? 'GET',
        url: `http://${req.headers.host ?? ''}${req.url ?? ''}`,
        headers: { 'x-amz-content-sha256': String(req.headers['x-amz-content-sha256'] ?? '') },
        accessKeyId,
        secretAccessKey,
        service: 's3',
        region: 'auto',
        datetime: date,
      });
      const expected = (await signer.sign()).headers.get('authorization');
      if (date && expected === req.headers.authorization) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>signed.csv</Key><Size>1</Size></Contents></ListBucketResult>');
      } else {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('live S3 listing failures', () => {
  let server: S3Server;
  const profile = (overrides: Partial<Credentials> = {}): Credentials => s3rverCredentials(server, keys, overrides);

  before(async () => {
    server = await S3Server.start({ buckets: ['lake'], accessKeys: [[keys.accessKeyId, keys.secretAccessKey]] });
    server.writeObjects('lake', [{ key: 'a.csv', body: 'a' }]);
  });
  after(async () => {
    await server.stop();
    clearSecretValues();
  });

  it('signs again when only the secret key changed: a wrong secret fails, the right one works again', async () => {
    // s3rver does not check SigV4 signatures; this server does, with the one secret it knows.
    const verifier = await sigV4Server(keys.accessKeyId, keys.secretAccessKey);
    try {
      const list = (secretAccessKey: string) => signedList(profile({ customEndpoint: verifier.endpoint, secretAccessKey }), { bucket: 'lake', prefix: '' });
      assert.deepEqual(await list(keys.secretAccessKey), { folders: [], objects: [{ key: 'signed.csv', size: 1 }] });
      const error = await failure(list(wrongSecret));
      assert.match(error.message, /^The secret access key of profile "Local lake" does not match its access key id \(HTTP 403 SignatureDoesNotMatch\)/);
      const shown = scrub(`${error.message} ${error.detail ?? ''}`);
      assert.ok(!shown.includes(wrongSecret) && !shown.includes(keys.accessKeyId), shown);
      assert.deepEqual(await list(keys.secretAccessKey), { folders: [], objects: [{ key: 'signed.csv', size: 1 }] });
    } finally {
      await verifier.close();
    }
  });

  it('gives up on a server that never answers, saying so', async () => {
    const silent = await rawServer(() => undefined);
    try {
      const listing = new LiveListing({ bucket: 'lake', rootPrefix: 'a/', credentials: () => Promise.resolve(profile({ customEndpoint: silent.endpoint })), timeoutMs: 200 });
      assert.equal(listing.rootPrefix, 'a/');
      const error = await failure(listing.listPrefix('a/'));
      assert.match(error.message, /^127\.0\.0\.1:\d+ did not answer in time listing r2:\/\/lake\/a\/ \(no answer within 0\.2 s\)\. Check the network or a proxy/);
      assert.match(error.detail ?? '', /\(listing r2:\/\/lake\/a\/ at 127\.0\.0\.1:\d+\)$/);
      assert.deepEqual(error.actions, []);
    } finally {
      await silent.close();
    }
  });

  it('tells a connection that was cut from one that was refused', async () => {
    const reset = await rawServer((socket) => socket.resetAndDestroy());
    try {
      const error = await failure(signedList(profile({ customEndpoint: reset.endpoint }), { bucket: 'lake', prefix: '' }));
      assert.match(error.message, /^The connection to 127\.0\.0\.1:\d+ failed listing r2:\/\/lake\/ \(.+\)\. Check the network or a proxy, then try again\.( Tried \d+ times\.)?$/);
    } finally {
      await reset.close();
    }
  });

  it('asks for one page of at most 1,000 keys', async () => {
    server.writeObjects('lake', Array.from({ length: 1002 }, (_, i) => ({ key: `many/${String(i).padStart(4, '0')}`, body: '' })), { folderMarkers: false });
    const big = await new LiveListing({ bucket: 'lake', credentials: () => Promise.resolve(profile()), maxKeys: 5000 }).listPrefix('many/');
    assert.equal(big.objects.length, 1000);
    assert.equal(typeof big.continuation, 'string');
    const small = await new LiveListing({ bucket: 'lake', credentials: () => Promise.resolve(profile()), maxKeys: 2 }).listPrefix('many/');
    assert.deepEqual(small.objects.map((o) => o.key), ['many/0000', 'many/0001']);
    const next = await new LiveListing({ bucket: 'lake', credentials: () => Promise.resolve(profile()), maxKeys: 2 }).listPrefix('many/', small.continuation);
    assert.deepEqual(next.objects.map((o) => o.key), ['many/0002', 'many/0003']);
  });
});

describe('S3 listing failure wording', () => {
  const context: RequestContext = { profileId: 'p1', profile: 'Prod', host: 'acc.r2.cloudflarestorage.com', bucket: 'lake', prefix: 'a/', useSsl: true };
  const plain: RequestContext = { ...context, host: '127.0.0.1:9000', useSsl: false };
  const fetchFailed = (code: string | undefined, message: string) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(message), code === undefined ? {} : { code }) });

  it('classifies socket errors by their code', () => {
    const cases: [string | undefined, string, RegExp][] = [
      ['ETIMEDOUT', 'connect ETIMEDOUT', /^acc\.r2\.cloudflarestorage\.com did not answer in time listing r2:\/\/lake\/a\/ \(ETIMEDOUT\)\./],
      ['ECONNRESET', 'read ECONNRESET', /^The connection to acc\.r2\.cloudflarestorage\.com failed listing r2:\/\/lake\/a\/ \(ECONNRESET\)\./],
      ['UND_ERR_SOCKET', 'other side closed', /^The connection to .* \(UND_ERR_SOCKET\)\./],
      ['CERT_HAS_EXPIRED', 'certificate has expired', /^The TLS certificate of acc\.r2\.cloudflarestorage\.com is not trusted \(CERT_HAS_EXPIRED\)\. A proxy may be intercepting TLS/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', /is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', /is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/],
      ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN', /^The host acc\.r2\.cloudflarestorage\.com was not found listing/],
      ['ECONNREFUSED', 'connect ECONNREFUSED', /^Nothing answers at acc\.r2\.cloudflarestorage\.com \(connection refused\)\. Check the endpoint of profile "Prod"/],
      ['EPROTO', 'write EPROTO', /speaks plain HTTP\. Write the profile's endpoint as http:\/\/acc\.r2\.cloudflarestorage\.com\.$/],
      [undefined, 'SSL routines:ssl3_get_record:wrong version number', /speaks plain HTTP/],
      [undefined, 'packet length too long', /speaks plain HTTP/],
      ['EHOSTUNREACH', 'connect EHOSTUNREACH', /^The request to acc\.r2\.cloudflarestorage\.com failed listing r2:\/\/lake\/a\/: EHOSTUNREACH\.$/],
      [undefined, 'socket hang up', /^The request to .* failed listing r2:\/\/lake\/a\/: fetch failed: socket hang up\.$/],
    ];
    for (const [code, message, expected] of cases) {
      assert.match(translateNetworkError(fetchFailed(code, message), context).message, expected, `${code}: ${message}`);
    }
  });

  it('keeps the code and the client text for the log, and offers the credentials where the endpoint may be wrong', () => {
    const refused = translateNetworkError(fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9000'), plain);
    assert.equal(refused.detail, 'fetch failed: connect ECONNREFUSED 127.0.0.1:9000 [ECONNREFUSED] (listing r2://lake/a/ at 127.0.0.1:9000)');
    assert.deepEqual(refused.actions, [{ title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials', args: ['p1'] }]);
    const bare = translateNetworkError(new Error('boom'), context);
    assert.equal(bare.detail, 'boom (listing r2://lake/a/ at acc.r2.cloudflarestorage.com)');
    assert.deepEqual(translateNetworkError(fetchFailed('CERT_HAS_EXPIRED', 'x'), context).actions, []);
    assert.deepEqual(translateNetworkError(fetchFailed('ECONNRESET', 'x'), context).actions, []);
    assert.match(translateNetworkError(fetchFailed(undefined, 'x'), context).detail ?? '', /^fetch failed: x \(listing/);
  });

  it('tells a plain-HTTP profile whose server wants HTTPS to write https://', () => {
    const body = '<Error><Code>BadRequest</Code><Message>Use HTTPS</Message></Error>';
    const error = translateS3Error(400, body, plain);
    assert.equal(error.message, '127.0.0.1:9000 expects HTTPS: write the endpoint of profile "Prod" as https://127.0.0.1:9000.');
    assert.equal(error.detail, 'HTTP 400 BadRequest: Use HTTPS (listing r2://lake/a/ at 127.0.0.1:9000)');
    assert.doesNotMatch(translateS3Error(400, body, context).message, /expects HTTPS/, 'already on https: not the advice');
    assert.doesNotMatch(translateS3Error(400, '<Error><Code>BadRequest</Code></Error>', plain).message, /expects HTTPS/);
    assert.doesNotMatch(translateS3Error(500, body, plain).message, /expects HTTPS/);
  });

  it('words an answer it has no advice for with its status, code and message', () => {
    assert.equal(translateS3Error(409, '<Error><Code>OperationAborted</Code><Message>Try later</Message></Error>', context).message, 'Listing r2://lake/a/ failed: HTTP 409 OperationAborted (Try later).');
    // A busy server (503 SlowDown) is one the retries gave up on: the message says to wait.
    assert.equal(
      translateS3Error(503, '<Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>', context).message,
      'Listing r2://lake/a/ failed: HTTP 503 SlowDown (Reduce your rate). acc.r2.cloudflarestorage.com is failing or busy: try again in a minute.',
    );
    const bare = translateS3Error(418, "I'm a teapot", context);
    assert.equal(bare.message, 'Listing r2://lake/a/ failed: HTTP 418.');
    assert.equal(bare.detail, 'HTTP 418 (listing r2://lake/a/ at acc.r2.cloudflarestorage.com)');
    assert.equal(translateS3Error(502, 'Bad Gateway', context).message, 'Listing r2://lake/a/ failed: HTTP 502. acc.r2.cloudflarestorage.com is failing or busy: try again in a minute.');
    const invalid = translateS3Error(400, '<Error><Code>InvalidBucketName</Code></Error>', { ...context, bucket: 'Lake_1' });
    assert.equal(invalid.message, '"Lake_1" is not a valid bucket name. Check the profile\'s default bucket or the path you opened.');
    assert.equal(invalid.detail, 'HTTP 400 InvalidBucketName (listing r2://Lake_1/a/ at acc.r2.cloudflarestorage.com)');
  });

  it('a 401 or 403 without a code is access denied, offering to open a narrower path', () => {
    const error = translateS3Error(401, '', context);
    assert.match(error.message, /^Access denied listing r2:\/\/lake\/a\/ \(HTTP 401\)\. .*; a token limited to a prefix can browse it with Open Bucket Path…\.$/);
    assert.deepEqual(error.actions, [{ title: 'Open Bucket Path…', command: 'duckdbSecrets.openBucketPath' }]);
  });

  it('keeps keys, prefixes and tokens that look like numbers as text', async () => {
    const page = await parseListing(
      '<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>0012</NextContinuationToken>' +
        '<Contents><Key>007</Key><Size>3</Size><LastModified>not a date</LastModified></Contents>' +
        '<Contents><Key>1e3</Key></Contents>' +
        '<CommonPrefixes><Prefix>010/</Prefix></CommonPrefixes><CommonPrefixes><Prefix></Prefix></CommonPrefixes></ListBucketResult>',
      '',
    );
    assert.deepEqual(page, { folders: [{ prefix: '010/' }], objects: [{ key: '007', size: 3 }, { key: '1e3', size: 0 }], continuation: '0012' });
  });

  it('a truncated page without a token, or a finished one with a token, has no continuation', async () => {
    const wrap = (head: string) => `<ListBucketResult>${head}<Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>`;
    assert.deepEqual(await parseListing(wrap('<IsTruncated>true</IsTruncated>'), ''), { folders: [], objects: [{ key: 'k', size: 1 }] });
    assert.deepEqual(await parseListing(wrap('<IsTruncated>false</IsTruncated><NextContinuationToken>t</NextContinuationToken>'), ''), { folders: [], objects: [{ key: 'k', size: 1 }] });
  });

  it('parses a page of many entries across slices in order', async () => {
    const entries = Array.from({ length: 250 }, (_, i) => `<Contents><Key>k${i}</Key><Size>${i}</Size></Contents>`).join('');
    const page = await parseListing(`<ListBucketResult><IsTruncated>false</IsTruncated>${entries}</ListBucketResult>`, '');
    assert.equal(page.objects.length, 250);
    assert.deepEqual(page.objects[249], { key: 'k249', size: 249 });
  });
});
