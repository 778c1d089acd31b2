/**
 * Test R2 Bucket names which credentials it proved and which failed: the profile's own keys are
 * checked against a real S3 server (s3rver), the report and summary are plain text.
 */
import * as assert from 'node:assert/strict';
import { foldListing } from '../../../../src/core/bucket/bucketFolding';
import { summarize, type BucketTestResult } from '../../../../src/core/bucket/bucketTest';
import { checkProfile, credentialReport } from '../../../../src/core/bucket/credentialCheck';
import { CancelledError } from '../../../../src/core/errors';
import { clearSecretValues } from '../../../../src/core/redaction';
import { S3Server, S3RVER_KEY } from '../../../support/s3Server';
import { S3SigningFront } from '../../../support/s3SigningFront';
import { s3rverCredentials } from '../../../support/testProfiles';

describe('which credentials Test R2 Bucket proved', () => {
  let server: S3Server;
  let front: S3SigningFront;
  before(async () => {
    server = await S3Server.start({ buckets: ['lake'] });
    server.writeObjects('lake', [{ key: 'a/b.csv', body: 'x' }]);
    // s3rver does not check signatures; the front does, as R2 does.
    front = await S3SigningFront.start(server.port, new Map([[S3RVER_KEY.accessKeyId, S3RVER_KEY.secretAccessKey]]));
  });
  after(async () => {
    await front.stop();
    await server.stop();
    clearSecretValues();
  });

  it('checks the profile\'s own keys with one listing request', async () => {
    const good = s3rverCredentials(server, S3RVER_KEY, { customEndpoint: front.endpoint });
    assert.deepEqual(await checkProfile(good, 'lake', ''), { outcome: 'ok', profileId: good.id, profile: good.label });
    const wrong = await checkProfile(s3rverCredentials(server, { ...S3RVER_KEY, secretAccessKey: 'wrong-secret-canary' }, { customEndpoint: front.endpoint }), 'lake', '');
    assert.equal(wrong.outcome, 'failed');
    assert.ok(wrong.outcome === 'failed' && /SignatureDoesNotMatch|secret access key/.test(wrong.message), JSON.stringify(wrong));
    assert.ok(!JSON.stringify(wrong).includes('wrong-secret-canary'));
  });

  it('asks what Browse Bucket asks first: one listing of the folder, by "/", for at most one key', async () => {
    const before = front.requests.length;
    const good = s3rverCredentials(server, S3RVER_KEY, { customEndpoint: front.endpoint });
    assert.equal((await checkProfile(good, 'lake', 'a/')).outcome, 'ok');
    const asked = front.requests.slice(before).map((r) => new URL(r.target, front.endpoint).searchParams);
    assert.equal(asked.length, 1);
    assert.deepEqual([asked[0]?.get('prefix'), asked[0]?.get('delimiter'), asked[0]?.get('max-keys')], ['a/', '/', '1']);
  });

  it('a check whose signal is aborted is a cancellation, not a failed profile', async () => {
    const controller = new AbortController();
    controller.abort();
    const good = s3rverCredentials(server, S3RVER_KEY, { customEndpoint: front.endpoint });
    await assert.rejects(checkProfile(good, 'lake', '', controller.signal), CancelledError);
  });

  it('a local folder with no profile checked: nothing proven, nothing failed', () => {
    assert.deepEqual(credentialReport(undefined, false, undefined), { proven: [], failed: [] });
    assert.deepEqual(credentialReport(undefined, true, { outcome: 'ok', profileId: 'p', profile: 'dev' }), { proven: ['profile "dev" lists with its own keys'], failed: [] });
  });

  it('names what was proven and what failed', () => {
    assert.deepEqual(credentialReport('r2_persist (Local file)', true, { outcome: 'failed', profileId: 'p', profile: 'dev', message: 'HTTP 403' }), {
      proven: ['secret r2_persist (Local file) lists and reads'],
      failed: ['profile "dev" with its own keys (used by Browse Bucket): HTTP 403'],
    });
    assert.deepEqual(credentialReport('r2_dev (Session)', false, { outcome: 'ok', profileId: 'p', profile: 'dev' }), {
      proven: ['secret r2_dev (Session) lists', 'profile "dev" lists with its own keys'],
      failed: [],
    });
  });

  it('the summary marks the profile ✓ or ✗', async () => {
    const listing = await foldListing('lake', [{ key: 'a.csv', size: 3 }]);
    const result: BucketTestResult = {
      root: 'r2://lake/', listing, secret: { name: 'r2_persist', storage: 'local_file', persistent: true, fields: new Map() }, method: 'duckdb',
      read: { outcome: 'ok', key: 'a.csv', what: 'object' }, location: 'local', readRanIn: 'local', listMs: 1, elapsedMs: 100,
      profile: { outcome: 'failed', profileId: 'p', profile: 'dev', message: 'HTTP 403' },
    };
    assert.match(summarize(result), /^list ✓ read ✓ · 1 object · 3 B · 0\.1 s · secret r2_persist \(.*\) · profile "dev" ✗$/);
  });
});
