/**
 * Live browsing sends exactly what it signed: a loopback front checks every request's signature
 * with AWS's own signer (@smithy/signature-v4), as R2 does, over keys with spaces, `+`, `%`, `#`,
 * `?`, `=` and unicode, for folder listings, continuation tokens, Open Bucket Path… and Copy Query.
 */
import * as assert from 'node:assert/strict';
import { AwsClient } from 'aws4fetch';
import { folderQueriesFor } from '../../../../src/core/bucket/folderDatasets';
import { parseBucketPath } from '../../../../src/core/bucket/bucketSource';
import { LiveListing } from '../../../../src/core/bucket/s3Listing';
import { UserFacingError } from '../../../../src/core/errors';
import { clearSecretValues } from '../../../../src/core/redaction';
import { S3Server, S3RVER_KEY } from '../../../support/s3Server';
import { S3SigningFront } from '../../../support/s3SigningFront';
import { s3rverCredentials } from '../../../support/testProfiles';

const AWKWARD = ['données/été 2024/', 'folder with spaces/', '100% folder/', '#hash folder/', 'plus+sign/', 'q?mark &amp/', 'eq=val ue/', 'only sub/inner dir/'];
const MANY = Array.from({ length: 23 }, (_, i) => `many items/k ${i} +%#?=é.parquet`);
const KEYS = [...AWKWARD.map((folder, i) => `${folder}part ${i}.parquet`), ...MANY, 'top level.csv'];

describe('live listing requests match their signatures (AWS signer on a loopback front)', () => {
  let server: S3Server;
  let front: S3SigningFront;
  const live = (rootPrefix = '', maxKeys?: number) =>
    new LiveListing({
      bucket: 'lake',
      rootPrefix,
      ...(maxKeys !== undefined ? { maxKeys } : {}),
      credentials: () => Promise.resolve(s3rverCredentials(server, S3RVER_KEY, { customEndpoint: front.endpoint })),
    });

  before(async () => {
    server = await S3Server.start({ buckets: ['lake'] });
    server.writeObjects('lake', KEYS.map((key) => ({ key, body: 'x' })));
    front = await S3SigningFront.start(server.port, new Map([[S3RVER_KEY.accessKeyId, S3RVER_KEY.secretAccessKey]]));
  });
  beforeEach(() => front.forget());
  after(async () => {
    await front.stop();
    await server.stop();
    clearSecretValues();
  });

  it('the front rejects a request whose query differs from what was signed (a space sent as +)', async () => {
    const client = new AwsClient({ ...S3RVER_KEY, service: 's3', region: 'auto', retries: 0 });
    const plus = `${front.endpoint}/lake?${new URLSearchParams({ 'list-type': '2', prefix: 'folder with spaces/', delimiter: '/' }).toString()}`;
    const answer = await client.fetch(plus, { method: 'GET' });
    assert.equal(answer.status, 403);
    assert.match(await answer.text(), /SignatureDoesNotMatch/);
    const encoded = `${front.endpoint}/lake?list-type=2&prefix=folder%20with%20spaces%2F&delimiter=%2F`;
    assert.equal((await client.fetch(encoded, { method: 'GET' })).status, 200, 'the same listing, sent as signed, passes');
  });

  it('browses every folder, however its name is spelled, and finds every key', async () => {
    const found: string[] = [];
    const folders = [''];
    for (let prefix = folders.shift(); prefix !== undefined; prefix = folders.shift()) {
      const page = await live().listPrefix(prefix);
      folders.push(...page.folders.map((f) => f.prefix));
      found.push(...page.objects.map((o) => o.key));
    }
    assert.deepEqual(found.sort(), [...KEYS].sort());
    assert.deepEqual(front.requests.filter((r) => !r.ok), [], 'no request was rejected');
    assert.ok(front.requests.some((r) => r.target.includes('prefix=folder%20with%20spaces%2F')), 'a space travels as %20');
  });

  it('pages with continuation tokens through a folder of awkward names', async () => {
    const keys: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await live('', 7).listPrefix('many items/', continuation);
      keys.push(...page.objects.map((o) => o.key));
      continuation = page.continuation;
      pages++;
    } while (continuation !== undefined);
    assert.equal(pages, 4);
    assert.deepEqual(keys, [...MANY].sort());
    assert.ok(front.requests.some((r) => r.target.includes('continuation-token=')));
    assert.deepEqual(front.requests.filter((r) => !r.ok), []);
  });

  for (const folder of AWKWARD) {
    // DuckDB reads `?` in a path as a query string (security model): such a folder is listed, and
    // Copy Query refuses it by name instead of writing a path that would redirect DuckDB.
    const pathSyntax = folder.includes('?');
    it(`Open Bucket Path… lists "${folder}", and Copy Query ${pathSyntax ? 'refuses it' : 'works'}`, async () => {
      const path = parseBucketPath(`r2://lake/${folder}`);
      assert.deepEqual(path, { bucket: 'lake', prefix: folder });
      const opened = live(path.prefix);
      const page = await opened.listPrefix(opened.rootPrefix);
      assert.equal(page.objects.length + page.folders.length, 1);
      if (pathSyntax) {
        await assert.rejects(folderQueriesFor(opened, folder), (error: unknown) => error instanceof UserFacingError && /Copy Query refuses/.test(error.message));
      } else {
        const [choice] = (await folderQueriesFor(opened, folder)).choices;
        assert.ok(choice?.query.includes('read_parquet('), choice?.query);
      }
      assert.deepEqual(front.requests.filter((r) => !r.ok), []);
    });
  }

  it('the front does check: a listing signed with a wrong secret is rejected', async () => {
    const wrong = new LiveListing({
      bucket: 'lake',
      credentials: () => Promise.resolve(s3rverCredentials(server, { ...S3RVER_KEY, secretAccessKey: 'not-the-secret' }, { customEndpoint: front.endpoint })),
    });
    await assert.rejects(wrong.listPrefix(''), (error: unknown) => error instanceof UserFacingError && /SignatureDoesNotMatch/.test(error.detail ?? ''));
  });
});
