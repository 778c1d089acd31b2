/**
 * signedList against a scripted HTTP server on 127.0.0.1: answers S3 would not give on request
 * (busy, oversized, streamed in pieces) to check what the listing decides from them.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { clearSecretValues } from '../../../../src/core/redaction';
import { LiveListing, signedList } from '../../../../src/core/bucket/s3Listing';
import { seededR2Keys } from '../../../support/seededKeys';

type Script = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const HEAD = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>lake</Name><Prefix></Prefix>';
const TOKEN_PART = '<IsTruncated>true</IsTruncated><NextContinuationToken>next-1</NextContinuationToken>';
const entries = (n: number) => Array.from({ length: n }, (_, i) => `<Contents><Key>k${String(i).padStart(5, '0')}.csv</Key><Size>1</Size></Contents>`).join('');

describe('signed listing against scripted answers', () => {
  let server: http.Server;
  let script: Script = (_req, res) => res.end();
  let requests = 0;
  let endpoint = '';

  const credentials = (): Credentials => ({
    id: 'profile-1',
    label: 'Scripted',
    accountId: '0123456789abcdef0123456789abcdef',
    bucket: 'lake',
    jurisdiction: 'custom',
    customEndpoint: endpoint,
    ...seededR2Keys(16),
  });

  before(async () => {
    server = http.createServer((req, res) => {
      requests++;
      script(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    requests = 0;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    clearSecretValues();
  });

  it('follows the retry policy it was given for a failing server', async () => {
    script = (_req, res) => res.writeHead(500).end('<Error><Code>InternalError</Code></Error>');
    const listing = new LiveListing({ bucket: 'lake', credentials: () => Promise.resolve(credentials()), retry: { attempts: 2, baseMs: 1, slowDownBaseMs: 1, maxDelayMs: 1 } });
    await assert.rejects(listing.listPrefix(''), (e) => e instanceof UserFacingError && /HTTP 500 InternalError.*Tried 2 times\./.test(e.message));
    assert.equal(requests, 2);
  });

  it('stops at once when cancelled while waiting to retry a busy server', async () => {
    script = (_req, res) => res.writeHead(503).end('<Error><Code>SlowDown</Code></Error>');
    const controller = new AbortController();
    const slow = { attempts: 3, baseMs: 600_000, slowDownBaseMs: 600_000, maxDelayMs: 600_000, random: () => 1 };
    const listing = signedList(credentials(), { bucket: 'lake', prefix: '', retry: slow, signal: controller.signal, onRetry: () => controller.abort() });
    await assert.rejects(listing, CancelledError);
    assert.equal(requests, 1);
  });

  it('refuses an answer declared longer than a listing page can be, with its own message', async () => {
    script = (_req, res) => {
      res.writeHead(200, { 'content-length': String(9 * 1024 * 1024) });
      res.write('<ListBucketResult>');
    };
    await assert.rejects(
      signedList(credentials(), { bucket: 'lake', prefix: 'a/', retry: { attempts: 1, baseMs: 1, slowDownBaseMs: 1, maxDelayMs: 1 } }),
      (e) => e instanceof UserFacingError && /^127\.0\.0\.1:\d+ answered the listing of r2:\/\/lake\/a\/ with more than 8 MB, which is not an S3 listing page/.test(e.message),
    );
  });

  it('reports the next page token once, as soon as the head names it, while the rest still streams', async () => {
    let reported: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (reported = resolve));
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write(HEAD + TOKEN_PART);
      void seen.then(() => {
        res.write(entries(500));
        res.end('</ListBucketResult>');
      });
    };
    const tokens: string[] = [];
    const page = await signedList(credentials(), { bucket: 'lake', prefix: '', onContinuation: (t) => (tokens.push(t), reported()) });
    assert.deepEqual(tokens, ['next-1']);
    assert.equal(page.continuation, 'next-1');
    assert.equal(page.objects.length, 500);
  });

  it('finds the token in a later piece of the head, and stops looking past 64 KB of head', async () => {
    const paced = (first: string, rest: string): Script => (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write(first);
      setTimeout(() => res.end(rest), 100); // pacing only, so the two parts arrive apart
    };
    const tokensOf = async (first: string, rest: string) => {
      script = paced(first, rest);
      const tokens: string[] = [];
      const page = await signedList(credentials(), { bucket: 'lake', prefix: '', onContinuation: (t) => tokens.push(t) });
      assert.equal(page.continuation, 'next-1', 'the page still carries the token');
      return tokens;
    };
    assert.deepEqual(await tokensOf(HEAD, TOKEN_PART + entries(3) + '</ListBucketResult>'), ['next-1']);
    const padding = ' '.repeat(70_000);
    assert.deepEqual(await tokensOf(HEAD + padding, TOKEN_PART + entries(3) + '</ListBucketResult>'), [], 'a head this long is not a listing head');
  });
});
