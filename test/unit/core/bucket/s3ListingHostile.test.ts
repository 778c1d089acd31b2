/**
 * Issue 19, item 6: a hostile (or broken) endpoint's answer to ListObjectsV2 must not block or
 * fill the extension host. The "endpoint" is a loopback HTTP server; the parser is fed an
 * 800 KB answer full of `<Contents>` tags that are never closed, which a lazy regex rescans from
 * every tag (9.4 s in the issue) and the one-pass scan rejects after reading it once.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ANSWER_BYTES, signedList } from '../../../../src/core/bucket/s3Listing';
import { parseListing, splitEntries } from '../../../../src/core/bucket/s3ListingXml';
import type { Credentials } from '../../../../src/core/credentials/profiles';

const UNCLOSED = /not an S3 listing \(an entry is never closed\)/;

function credentialsFor(port: number): Credentials {
  return {
    id: 'hostile-endpoint',
    label: 'hostile',
    accountId: '0123456789abcdef0123456789abcdef',
    bucket: 'lake',
    jurisdiction: 'custom',
    customEndpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'AKIDhostiletest',
    secretAccessKey: 'not-a-real-secret-for-tests',
  };
}

describe('S3 listing answers from a hostile endpoint (issue 19, item 6)', () => {
  it('an 800 KB answer of unclosed <Contents> tags is rejected as not a listing', async () => {
    const body = `<?xml version="1.0"?><ListBucketResult>${'<Contents><Key>a</Key>'.repeat(37_000)}</ListBucketResult>`;
    assert.ok(body.length > 800_000, String(body.length));
    await assert.rejects(parseListing(body, ''), UNCLOSED);
  });

  it('cuts entries in one pass: closed entries come out whole, the rest is kept, a late unclosed one fails', () => {
    const xml = '<L><Name>b</Name><Contents><Key>x</Key></Contents><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes><ContentsX/><IsTruncated>false</IsTruncated></L>';
    assert.deepEqual(splitEntries(xml), {
      entries: ['<Contents><Key>x</Key></Contents>', '<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>'],
      rest: '<L><Name>b</Name><ContentsX/><IsTruncated>false</IsTruncated></L>',
    });
    assert.throws(() => splitEntries(`${xml}<CommonPrefixes><Prefix>q/</Prefix>`), UNCLOSED);
  });

  describe('answer size', () => {
    let server: http.Server;
    let port: number;
    let answer: (res: http.ServerResponse) => void;
    let closedEarly = 0;

    before(async () => {
      server = http.createServer((req, res) => {
        req.resume();
        res.on('close', () => {
          if (!res.writableFinished) closedEarly++;
        });
        answer(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('a streamed answer longer than the cap is refused, and the rest is not read', async () => {
      const chunk = Buffer.alloc(256 * 1024, 'x');
      const chunks = Math.ceil((MAX_ANSWER_BYTES * 4) / chunk.length);
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        let sent = 0;
        const pump = () => {
          while (sent < chunks) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      };
      await assert.rejects(signedList(credentialsFor(port), { bucket: 'lake', prefix: '' }), (error: unknown) => {
        assert.match(String(error), /answered the listing of r2:\/\/lake\/ with more than 8 MB, which is not an S3 listing page: stopped reading/);
        assert.ok(!String(error).includes('not-a-real-secret'));
        return true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(closedEarly, 1, 'the client read the whole answer');
    });

    it('a declared Content-Length over the cap is refused before reading', async () => {
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': String(MAX_ANSWER_BYTES + 1) });
        res.write('<ListBucketResult>');
      };
      await assert.rejects(signedList(credentialsFor(port), { bucket: 'lake', prefix: '' }), /more than 8 MB/);
    });

    it('an ordinary answer still lists', async () => {
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0"?><ListBucketResult><Contents><Key>a.csv</Key><Size>3</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>');
      };
      const page = await signedList(credentialsFor(port), { bucket: 'lake', prefix: '' });
      assert.deepEqual(page.objects.map((o) => [o.key, o.size]), [['a.csv', 3]]);
    });
  });
});
