/**
 * The edges of profile validation that a wrong paste hits: a secret key in the account id or label
 * box, credentials inside an endpoint URL, a bucket name with a space, the exact length bounds, and
 * an R2_ENDPOINT whose account id must agree with the one given. Key-shaped values are generated.
 */
import * as assert from 'node:assert/strict';
import {
  checkAccountId,
  checkBucket,
  checkKey,
  checkLabel,
  endpointLocation,
  parseEndpoint,
  ProfileValidationError,
  validateProfile,
  type FieldCheck,
} from '../../../../src/core/credentials/profileValidation';
import { seededR2Keys } from '../../../support/seededKeys';

const keys = seededR2Keys(16);
const account = seededR2Keys(1601).accessKeyId; // 32 hex, like an account id

function rejected(check: FieldCheck): string {
  assert.ok(!check.ok, `expected an error, got ${JSON.stringify(check)}`);
  return check.error;
}
function accepted(check: FieldCheck): { value: string; note?: string; warning?: string } {
  assert.ok(check.ok, check.ok ? '' : check.error);
  return check;
}
function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ProfileValidationError, String(e));
    return e.problems;
  }
  return assert.fail('expected a ProfileValidationError');
}

describe('profile validation: wrong pastes and exact bounds', () => {
  describe('account id', () => {
    it('refuses a 64-hex secret key pasted as account id, without echoing it', () => {
      const message = rejected(checkAccountId(keys.secretAccessKey));
      assert.equal(message, 'Account id must be 32 hexadecimal characters (0-9, a-f); it has 64.');
      assert.ok(!message.includes(keys.secretAccessKey));
    });

    it('refuses 33 hex characters and an account id with text after it', () => {
      assert.match(rejected(checkAccountId(`${account}0`)), /it has 33\.$/);
      assert.match(rejected(checkAccountId(`x${account}`)), /characters other than 0-9 and a-f\.$/);
      assert.match(rejected(checkAccountId(`${account} x`)), /characters other than 0-9 and a-f\.$/);
    });

    it('takes the id from every Cloudflare endpoint form, and only from those', () => {
      for (const url of [
        `${account}.r2.cloudflarestorage.com`,
        `http://${account}.r2.cloudflarestorage.com`,
        `https://${account.toUpperCase()}.fedramp.r2.cloudflarestorage.com`,
      ]) {
        const check = accepted(checkAccountId(url));
        assert.equal(check.value, account, url);
        assert.equal(check.note, 'Account id: took the account id from the endpoint URL that was entered.');
      }
      for (const url of [
        `https://${account}.r2.cloudflarestorage.com/lake`,
        `https://${account}.r2.cloudflarestorage.com.evil.example`,
        `https://x${account}.r2.cloudflarestorage.com`,
        `https://${account}.us.r2.cloudflarestorage.com`,
        `ftp://${account}.r2.cloudflarestorage.com`,
      ]) {
        assert.match(rejected(checkAccountId(url)), /^Account id must be 32 hexadecimal characters/, url);
      }
    });

    it('uses the name it is given', () => {
      assert.match(rejected(checkAccountId('', 'CLOUDFLARE_ACCOUNT_ID')), /^CLOUDFLARE_ACCOUNT_ID is empty: copy it from the Cloudflare dashboard/);
      assert.match(accepted(checkAccountId(`https://${account}.r2.cloudflarestorage.com`, 'R2_ACCOUNT')).note ?? '', /^R2_ACCOUNT: took/);
    });
  });

  describe('label', () => {
    it('takes exactly 64 characters and refuses 65, and a label on two lines', () => {
      assert.equal(accepted(checkLabel('x'.repeat(64))).value, 'x'.repeat(64));
      assert.equal(rejected(checkLabel('x'.repeat(65))), 'Profile name is longer than 64 characters.');
      assert.equal(rejected(checkLabel('dev\nprod')), 'Profile name must be on one line.');
      assert.equal(rejected(checkLabel('dev\tprod')), 'Profile name must be on one line.');
      assert.equal(rejected(checkLabel('dev\rprod')), 'Profile name must be on one line.');
      assert.equal(rejected(checkLabel(' ', 'R2_PROFILE')), 'R2_PROFILE is empty: give the profile a short name such as dev or prod.');
    });

    it('refuses a key pasted into the profile name, naming the field and not the key', () => {
      const problems = problemsOf(() =>
        validateProfile({ label: `prod ${keys.accessKeyId}`, accountId: account, ...keys, bucket: 'lake' }),
      );
      assert.deepEqual(problems, ['Profile name holds one of the keys: keys go only in the access key id and secret key fields.']);
      const upper = problemsOf(() => validateProfile({ label: keys.secretAccessKey.toUpperCase(), accountId: account, ...keys, bucket: 'lake' }));
      assert.deepEqual(upper, ['Profile name holds one of the keys: keys go only in the access key id and secret key fields.'], 'found whatever its case');
    });

    it('looks for keys of 8 characters and more, not shorter ones', () => {
      const short = { accessKeyId: 'abcdefg', secretAccessKey: 'abcdefgh' };
      const valid = validateProfile({ label: 'abcdefg-dev', accountId: account, ...short, bucket: 'lake' });
      assert.equal(valid.info.label, 'abcdefg-dev', 'a 7-character key is in too many words to be looked for');
      assert.throws(() => validateProfile({ label: 'abcdefgh-dev', accountId: account, ...short, bucket: 'lake' }), /^ProfileValidationError: Profile name holds one of the keys/);
    });
  });

  describe('keys', () => {
    it('refuses a control character inside a key', () => {
      assert.equal(rejected(checkKey('abc\u0000def', 'Access key id')), 'Access key id contains a control character: paste the key again from its source.');
      assert.equal(rejected(checkKey('abc\u007fdef', 'Secret access key')), 'Secret access key contains a control character: paste the key again from its source.');
    });

    it('says "a line break" for a trailing carriage return', () => {
      assert.equal(accepted(checkKey(`${keys.accessKeyId}\r`, 'Access key id')).note, 'Access key id: removed a line break around the pasted value.');
    });
  });

  describe('bucket', () => {
    it('refuses a name with a space inside', () => {
      assert.equal(rejected(checkBucket('my lake')), 'Bucket must not contain spaces.');
      assert.equal(rejected(checkBucket('my\tlake', 'R2_BUCKET')), 'R2_BUCKET must not contain spaces.');
    });

    it('takes 3 and 63 characters without a warning, warns at 2 and 64', () => {
      assert.deepEqual(checkBucket('abc'), { ok: true, value: 'abc' });
      assert.deepEqual(checkBucket('a'.repeat(63)), { ok: true, value: 'a'.repeat(63) });
      assert.match(accepted(checkBucket('ab')).warning ?? '', /: it has 2 characters\. Keep it only if the bucket really has this name\.$/);
      assert.match(accepted(checkBucket('a'.repeat(64))).warning ?? '', /: it has 64 characters\./);
    });

    it('names a hyphen at either end, and each odd character once', () => {
      assert.match(accepted(checkBucket('lake-')).warning ?? '', /\): it starts or ends with a hyphen\./);
      assert.match(accepted(checkBucket('-lake')).warning ?? '', /\): it starts or ends with a hyphen\./);
      assert.equal(accepted(checkBucket('la-ke')).warning, undefined);
      assert.match(accepted(checkBucket('a.b.c_d')).warning ?? '', /\): it contains "\." "_"\./);
    });

    it('trims spaces around a name, and refuses any scheme, short or long', () => {
      assert.deepEqual(checkBucket(' lake\n'), { ok: true, value: 'lake' });
      assert.equal(rejected(checkBucket('https://lake')), "Bucket: enter the bucket's name only, without https://.");
      assert.equal(rejected(checkBucket('1s3://lake')), 'Bucket: enter the bucket\'s name only, without a path ("/").', 'a scheme starts with a letter');
    });

    it('names the scheme it found and refuses it whatever its case', () => {
      assert.equal(rejected(checkBucket('S3://lake')), "Bucket: enter the bucket's name only, without S3://.");
      assert.equal(rejected(checkBucket('lake/')), 'Bucket: enter the bucket\'s name only, without a path ("/").');
    });
  });

  describe('endpoint', () => {
    it('refuses a user name, with or without a password, never echoing them', () => {
      for (const url of ['https://user@s3.example.com', `https://user:${keys.secretAccessKey}@s3.example.com`, `${keys.accessKeyId}@s3.example.com:9000`]) {
        const message = rejected(parseEndpoint(url));
        assert.equal(message, 'Endpoint must not contain a user name or password: keys go in their own fields.', url);
      }
    });

    it('refuses a fragment and names what it found', () => {
      assert.equal(
        rejected(parseEndpoint('https://host#x')),
        'Endpoint must be a host and optional port without a path ("/#x" found): the bucket goes in the Bucket field.',
      );
      assert.match(rejected(parseEndpoint('https://host/a?b=1')), /\("\/a\?b=1" found\)/);
    });

    it('names the other scheme, and a doubled one with slashes left out', () => {
      assert.equal(rejected(parseEndpoint('S3://host')), 'Endpoint must start with https:// or http:// (or be just host:port), not s3://.');
      assert.equal(rejected(parseEndpoint('https:https://host')), 'Endpoint has its scheme twice ("https:https://…"): keep one, e.g. https://host.');
    });

    it('refuses what is not a host at all', () => {
      assert.equal(rejected(parseEndpoint('http://exa mple.com')), 'Endpoint is not a host name or URL: enter host:port, https://host or http://host:port.');
    });

    it('a scheme-like text inside the path is a path, not a scheme', () => {
      assert.match(rejected(parseEndpoint('host/a:https://x')), /^Endpoint must be a host and optional port without a path/);
    });

    it('keeps the scheme and port that were written', () => {
      assert.equal(accepted(parseEndpoint('http://h:9000')).value, 'http://h:9000');
      assert.equal(accepted(parseEndpoint('HTTP://H')).value, 'http://h');
    });
  });

  describe('R2_ENDPOINT as a location', () => {
    const names = { endpoint: 'R2_ENDPOINT', accountId: 'R2_ACCOUNT_ID' };

    it('takes the jurisdiction and account id from a Cloudflare host', () => {
      assert.deepEqual(endpointLocation(`https://${account}.eu.r2.cloudflarestorage.com`, undefined, names), { ok: true, jurisdiction: 'eu', accountId: account });
    });

    it('agrees with the same account id written another way', () => {
      const location = endpointLocation(`https://${account}.r2.cloudflarestorage.com`, ` ${account.toUpperCase()} `, names);
      assert.deepEqual(location, { ok: true, jurisdiction: 'default', accountId: account });
    });

    it('refuses an endpoint of another account, naming both variables', () => {
      const other = seededR2Keys(1602).accessKeyId;
      assert.deepEqual(endpointLocation(`https://${other}.r2.cloudflarestorage.com`, account, names), {
        ok: false,
        error: 'R2_ENDPOINT points at a different Cloudflare account than R2_ACCOUNT_ID: make them agree.',
      });
    });

    it('takes any other host as a custom endpoint, whatever account id is given', () => {
      assert.deepEqual(endpointLocation('http://127.0.0.1:9000', account, names), { ok: true, jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' });
      assert.deepEqual(endpointLocation('https://https://x', account, names), { ok: false, error: 'R2_ENDPOINT has its scheme twice ("https://https://…"): keep one, e.g. https://host.' });
    });
  });

  describe('whole profile', () => {
    const complete = { label: 'dev', accountId: account, ...keys, bucket: 'lake' };

    it('one problem is the message itself; a custom jurisdiction needs an endpoint', () => {
      assert.throws(() => validateProfile({ ...complete, jurisdiction: 'custom' }), /^ProfileValidationError: Endpoint is empty: enter host:port/);
      assert.throws(() => validateProfile({ ...complete, customEndpoint: 42 }), /^ProfileValidationError: Endpoint must be text\.$/);
      assert.throws(() => validateProfile({ ...complete, label: 7 }), /^ProfileValidationError: Profile name must be text\.$/);
    });

    it('an absent name is empty, not "not text"; messages use the names given for every field', () => {
      assert.throws(() => validateProfile({ ...complete, label: undefined }), /^ProfileValidationError: Profile name is empty/);
      assert.throws(() => validateProfile({ ...complete, jurisdiction: 'custom' }, { names: { customEndpoint: 'R2_ENDPOINT' } }), /^ProfileValidationError: R2_ENDPOINT is empty/);
      assert.throws(
        () => validateProfile({ ...complete, jurisdiction: 'custom', customEndpoint: `https://${keys.accessKeyId}.example.com` }),
        /^ProfileValidationError: Endpoint holds one of the keys: keys go only in the access key id and secret key fields\.$/,
      );
    });

    it('an empty endpoint with no jurisdiction means the default one', () => {
      assert.deepEqual(validateProfile({ ...complete, customEndpoint: '' }).info, { label: 'dev', accountId: account, bucket: 'lake', jurisdiction: 'default' });
      assert.equal(validateProfile({ ...complete, bucket: '' }).info.bucket, 'eo_pv_lakehouse');
    });

    it('an edit may change one key and keep the other', () => {
      const edit = validateProfile({ ...complete, accessKeyId: undefined, secretAccessKey: ` ${keys.secretAccessKey}` }, { keepSecrets: true });
      assert.deepEqual(edit.secrets, { secretAccessKey: keys.secretAccessKey });
      assert.deepEqual(edit.notes, ['Secret access key: removed spaces around the pasted value.']);
      assert.deepEqual(validateProfile({ ...complete, secretAccessKey: '' }, { keepSecrets: true }).secrets, { accessKeyId: keys.accessKeyId });
    });

    it('warnings and notes are kept apart and in field order', () => {
      const valid = validateProfile({ ...complete, label: ' dev ', bucket: 'Lake', accessKeyId: `${keys.accessKeyId} ` });
      assert.deepEqual(valid.notes, ['Access key id: removed spaces around the pasted value.']);
      assert.equal(valid.warnings.length, 1);
      assert.match(valid.warnings[0] ?? '', /^Bucket "Lake" does not follow/);
    });
  });
});
