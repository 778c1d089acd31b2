/**
 * The advice for failed S3 requests, as the bucket test (credentials through a DuckDB secret) and
 * the live listing (credentials straight from a profile) word it: what each answer tells the user
 * to do, and which button it offers.
 */
import * as assert from 'node:assert/strict';
import { s3AnswerError, transportError, type S3AdviceContext, type TransportFailure } from '../../../../src/core/bucket/s3Advice';
import type { ErrorAction } from '../../../../src/core/errors';

const fixCredentials: ErrorAction = { title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials', args: ['p1'] };
const openNarrower: ErrorAction = { title: 'Open Bucket Path…', command: 'duckdbSecrets.openBucketPath' };
const viaProfile: S3AdviceContext = {
  host: 'acc.r2.cloudflarestorage.com',
  bucket: 'lake',
  doing: 'listing r2://lake/a/',
  holder: 'profile "Prod"',
  viaSecret: false,
  fixCredentials,
  openNarrower,
};
const viaSecret: S3AdviceContext = { ...viaProfile, doing: 'reading r2://lake/a/x.csv', holder: 'secret "r2_main"', viaSecret: true, openNarrower: undefined };

function answer(status: number, code: string | undefined, c: S3AdviceContext) {
  const error = s3AnswerError(status, code, c, 'the detail');
  assert.ok(error, `no advice for ${status} ${code ?? ''}`);
  assert.equal(error.detail, 'the detail');
  return error;
}

describe('S3 advice', () => {
  describe('answers with a known code', () => {
    it('an unknown access key id: create a token, update the credentials, and the secret when there is one', () => {
      const profile = answer(403, 'InvalidAccessKeyId', viaProfile);
      assert.equal(
        profile.message,
        'acc.r2.cloudflarestorage.com does not know the access key id of profile "Prod" (HTTP 403 InvalidAccessKeyId). The API token may have been deleted, ' +
          "or belong to another Cloudflare account: create an API token, update the profile's credentials.",
      );
      assert.deepEqual(profile.actions, [fixCredentials]);
      assert.match(answer(403, 'InvalidAccessKeyId', viaSecret).message, /of secret "r2_main" .*update the profile's credentials, and create the secret again\.$/);
    });

    it('a signature mismatch: the secret key is wrong', () => {
      const profile = answer(403, 'SignatureDoesNotMatch', viaProfile);
      assert.match(profile.message, /^The secret access key of profile "Prod" does not match its access key id \(HTTP 403 SignatureDoesNotMatch\): the secret key is wrong\. /);
      assert.match(profile.message, /Re-enter the secret access key shown when the API token was created\.$/);
      assert.deepEqual(profile.actions, [fixCredentials]);
      assert.match(answer(403, 'SignatureDoesNotMatch', viaSecret).message, /was created, and create the secret again\.$/);
    });

    it('a missing bucket: the jurisdiction hint only where the default endpoint was used', () => {
      const unknown = answer(404, 'NoSuchBucket', viaProfile);
      assert.match(unknown.message, /^Bucket "lake" not found at acc\.r2\.cloudflarestorage\.com \(HTTP 404 NoSuchBucket\)\. Check the bucket name; a bucket in the EU or FedRAMP jurisdiction/);
      assert.match(unknown.message, /set the profile's jurisdiction\.$/);
      assert.deepEqual(unknown.actions, [fixCredentials]);
      assert.match(answer(404, 'NoSuchBucket', { ...viaSecret, defaultEndpoint: true }).message, /jurisdiction, and create the secret again\.$/);
      const custom = answer(404, 'NoSuchBucket', { ...viaProfile, host: '127.0.0.1:9000', defaultEndpoint: false });
      assert.equal(custom.message, 'Bucket "lake" not found at 127.0.0.1:9000 (HTTP 404 NoSuchBucket). Check the bucket name.');
      assert.deepEqual(custom.actions, []);
    });
  });

  describe('access denied', () => {
    it('names the permission and offers a narrower path where one can be opened', () => {
      const denied = answer(403, 'AccessDenied', viaProfile);
      assert.equal(
        denied.message,
        'Access denied listing r2://lake/a/ (HTTP 403 AccessDenied). Check that the API token behind profile "Prod" has Object Read permission for ' +
          'bucket "lake" (Cloudflare dashboard: R2, Manage API tokens); a token limited to a prefix can browse it with Open Bucket Path….',
      );
      assert.deepEqual(denied.actions, [openNarrower]);
    });

    it('without a narrower path, offers the credentials and ends the sentence', () => {
      const denied = answer(403, 'AccessDenied', viaSecret);
      assert.match(denied.message, /^Access denied reading r2:\/\/lake\/a\/x\.csv \(HTTP 403 AccessDenied\)\. Check that the API token behind secret "r2_main" /);
      assert.match(denied.message, /Manage API tokens\)\.$/);
      assert.deepEqual(denied.actions, [fixCredentials]);
    });

    it('a 401 or 403 without a code, or the AccessDenied code with any status', () => {
      assert.match(answer(401, undefined, viaProfile).message, /^Access denied listing r2:\/\/lake\/a\/ \(HTTP 401\)\. /);
      assert.match(answer(403, undefined, viaProfile).message, /^Access denied listing r2:\/\/lake\/a\/ \(HTTP 403\)\. /);
      assert.match(answer(403, 'SomethingNew', viaProfile).message, /^Access denied .* \(HTTP 403 SomethingNew\)\. /);
      assert.match(answer(400, 'AccessDenied', viaProfile).message, /^Access denied .* \(HTTP 400 AccessDenied\)\. /);
    });

    it('has no advice for other answers: the caller words them', () => {
      assert.equal(s3AnswerError(500, 'InternalError', viaProfile, 'd'), undefined);
      assert.equal(s3AnswerError(400, undefined, viaProfile, 'd'), undefined);
      assert.equal(s3AnswerError(404, undefined, viaProfile, 'd'), undefined);
    });
  });

  describe('no answer at all', () => {
    const failed = (failure: TransportFailure, c: S3AdviceContext = viaProfile) => transportError(failure, 'the words', c, 'the detail');

    it('says what to check for each cause, and offers the credentials where the endpoint may be wrong', () => {
      const expected: [TransportFailure, string, ErrorAction[]][] = [
        ['refused', 'Nothing answers at acc.r2.cloudflarestorage.com (the words). Check the endpoint of profile "Prod", that the server runs, and the network or proxy.', [fixCredentials]],
        [
          'unknown-host',
          'The host acc.r2.cloudflarestorage.com was not found listing r2://lake/a/. Check the account id or endpoint of profile "Prod", and that this machine is online (or has a proxy set).',
          [fixCredentials],
        ],
        [
          'plain-http-server',
          'The TLS handshake with acc.r2.cloudflarestorage.com failed listing r2://lake/a/: the endpoint of profile "Prod" speaks plain HTTP. Write the profile\'s endpoint as http://acc.r2.cloudflarestorage.com.',
          [fixCredentials],
        ],
        ['untrusted-certificate', "The TLS certificate of acc.r2.cloudflarestorage.com is not trusted (the words). A proxy may be intercepting TLS: add its certificate to the system's trust store.", []],
        ['timeout', 'acc.r2.cloudflarestorage.com did not answer in time listing r2://lake/a/ (the words). Check the network or a proxy, then try again.', []],
        ['connection-lost', 'The connection to acc.r2.cloudflarestorage.com failed listing r2://lake/a/ (the words). Check the network or a proxy, then try again.', []],
        ['other', 'The request to acc.r2.cloudflarestorage.com failed listing r2://lake/a/: the words.', []],
      ];
      for (const [failure, message, actions] of expected) {
        const error = failed(failure);
        assert.equal(error.message, message, failure);
        assert.deepEqual(error.actions, actions, failure);
        assert.equal(error.detail, 'the detail');
      }
    });

    it('a plain-HTTP endpoint behind a secret: the secret gets USE_SSL false and must be created again', () => {
      assert.match(failed('plain-http-server', viaSecret).message, /as http:\/\/acc\.r2\.cloudflarestorage\.com \(the secret then gets USE_SSL false\) and create the secret again\.$/);
    });
  });
});
