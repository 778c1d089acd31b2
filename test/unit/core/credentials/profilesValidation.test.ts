import * as assert from 'node:assert/strict';
import {
  checkAccountId,
  checkBucket,
  checkKey,
  checkLabel,
  inputValidator,
  parseEndpoint,
  ProfileValidationError,
  validateProfile,
  type FieldCheck,
} from '../../../../src/core/credentials/profileValidation';
import { UserFacingError } from '../../../../src/core/errors';

const account = '0123456789abcdef0123456789abcdef';

function value(check: FieldCheck): string {
  assert.ok(check.ok, check.ok ? '' : check.error);
  return check.value;
}
function accepted(check: FieldCheck): { value: string; note?: string; warning?: string } {
  assert.ok(check.ok, check.ok ? '' : check.error);
  return check;
}
function error(check: FieldCheck): string {
  assert.ok(!check.ok, `expected an error, got ${JSON.stringify(check)}`);
  return check.error;
}

describe('profile validation', () => {
  describe('account id', () => {
    it('takes 32 hex characters, trimmed and lowercased', () => {
      assert.equal(value(checkAccountId(` ${account.toUpperCase()}\n`)), account);
    });

    it('names the field and says what is wrong, without echoing the value', () => {
      const short = error(checkAccountId(account.slice(1)));
      assert.match(short, /^Account id must be 32 hexadecimal characters .*it has 31\.$/);
      const secretLike = 'Zk9' + 'q'.repeat(40);
      const wrong = error(checkAccountId(secretLike));
      assert.match(wrong, /characters other than 0-9 and a-f/);
      assert.ok(!wrong.includes(secretLike));
      assert.match(error(checkAccountId('  ')), /^Account id is empty/);
    });

    it('takes the account id out of a pasted endpoint URL, and says so', () => {
      const check = checkAccountId(`https://${account}.eu.r2.cloudflarestorage.com/`);
      assert.ok(check.ok);
      assert.equal(check.value, account);
      assert.match(check.note ?? '', /took the account id from the endpoint URL/);
    });
  });

  describe('keys', () => {
    it('trims a pasted newline or spaces and says so, never echoing the key', () => {
      const key = 'abcdef0123456789';
      const withNewline = checkKey(`${key}\n`, 'Secret access key');
      assert.ok(withNewline.ok);
      assert.equal(withNewline.value, key);
      assert.equal(withNewline.note, 'Secret access key: removed a line break around the pasted value.');
      const withSpaces = checkKey(`  ${key} `, 'Access key id');
      assert.ok(withSpaces.ok);
      assert.equal(withSpaces.note, 'Access key id: removed spaces around the pasted value.');
      assert.equal(accepted(checkKey(key, 'Access key id')).note, undefined);
    });

    it('rejects empty keys and keys with whitespace inside, naming the field', () => {
      assert.equal(error(checkKey(' \n', 'Access key id')), 'Access key id is empty.');
      const inner = error(checkKey('abcd\nefgh', 'Secret access key'));
      assert.match(inner, /^Secret access key contains a space or line break inside it/);
      assert.ok(!inner.includes('abcd'));
    });
  });

  describe('bucket', () => {
    it("warns with R2's rule about eo_pv_lakehouse but keeps it", () => {
      const check = checkBucket('eo_pv_lakehouse');
      assert.ok(check.ok);
      assert.equal(check.value, 'eo_pv_lakehouse');
      assert.match(check.warning ?? '', /Bucket "eo_pv_lakehouse" does not follow R2's naming rule \(3–63 characters of lowercase letters a-z, digits 0-9 and hyphens.*\): it contains "_"/);
    });

    it('accepts names that follow the rule without a warning', () => {
      const check = checkBucket('eo-pv-lakehouse');
      assert.deepEqual(check, { ok: true, value: 'eo-pv-lakehouse' });
    });

    it('lists every rule a name breaks', () => {
      const check = checkBucket('-AB');
      assert.ok(check.ok);
      assert.match(check.warning ?? '', /it contains "A" "B", it starts or ends with a hyphen/);
      const long = checkBucket('a'.repeat(64));
      assert.ok(long.ok);
      assert.match(long.warning ?? '', /it has 64 characters/);
      assert.match(accepted(checkBucket('ab')).warning ?? '', /it has 2 characters/);
    });

    it('rejects what cannot be a bucket name at all', () => {
      assert.match(error(checkBucket('r2://my-bucket')), /^Bucket: enter the bucket's name only, without r2:\/\//);
      assert.match(error(checkBucket('my-bucket/data')), /without a path/);
      assert.match(error(checkBucket('')), /^Bucket is empty/);
    });
  });

  describe('endpoint', () => {
    it('takes host, host:port, https and http URLs, normalized to scheme://host[:port]', () => {
      assert.equal(value(parseEndpoint('s3.example.com')), 'https://s3.example.com');
      assert.equal(value(parseEndpoint('localhost:9000')), 'https://localhost:9000');
      assert.equal(value(parseEndpoint('http://127.0.0.1:9000/')), 'http://127.0.0.1:9000');
      assert.equal(value(parseEndpoint(' HTTPS://S3.Example.com:443 ')), 'https://s3.example.com');
    });

    it('rejects a doubled scheme, naming the field', () => {
      assert.match(error(parseEndpoint('https://https://abc.r2.cloudflarestorage.com')), /^Endpoint has its scheme twice \("https:\/\/https:\/\/…"\)/);
      assert.match(error(parseEndpoint('http://https://host')), /scheme twice/);
    });

    it('rejects a path, query or credentials, and other schemes', () => {
      assert.match(error(parseEndpoint('https://host/my-bucket')), /^Endpoint must be a host and optional port without a path \("\/my-bucket" found\)/);
      assert.match(error(parseEndpoint('https://host?x=1')), /without a path/);
      const withUser = error(parseEndpoint('https://key:secretvalue@host'));
      assert.match(withUser, /must not contain a user name or password/);
      assert.ok(!withUser.includes('secretvalue'));
      assert.match(error(parseEndpoint('s3://host')), /must start with https:\/\/ or http:\/\//);
      assert.match(error(parseEndpoint('http://')), /Endpoint/);
      assert.match(error(parseEndpoint('')), /^Endpoint is empty/);
    });

    it('uses the name it is given, e.g. the environment variable', () => {
      assert.match(error(parseEndpoint('https://https://x', 'R2_ENDPOINT')), /^R2_ENDPOINT has its scheme twice/);
    });
  });

  it('checks labels', () => {
    assert.equal(value(checkLabel('  prod ')), 'prod');
    assert.match(error(checkLabel('')), /^Profile name is empty/);
    assert.match(error(checkLabel('x'.repeat(65))), /longer than 64/);
  });

  it('adapts a check to an input box validator', () => {
    const validate = inputValidator(checkAccountId);
    assert.equal(validate(account), undefined);
    assert.match(validate('nope') ?? '', /^Account id must be/);
  });

  describe('whole profile', () => {
    const complete = {
      label: 'dev',
      accountId: account,
      accessKeyId: 'AKID0123456789',
      secretAccessKey: 'SECRET0123456789\n',
      bucket: 'eo_pv_lakehouse',
      jurisdiction: 'eu',
    };

    it('returns the non-secret fields, the secrets, notes and warnings apart', () => {
      const valid = validateProfile(complete);
      assert.deepEqual(valid.info, { label: 'dev', accountId: account, bucket: 'eo_pv_lakehouse', jurisdiction: 'eu' });
      assert.deepEqual(valid.secrets, { accessKeyId: 'AKID0123456789', secretAccessKey: 'SECRET0123456789' });
      assert.equal(valid.notes.length, 1);
      assert.equal(valid.warnings.length, 1);
    });

    it('defaults the bucket to eo_pv_lakehouse and the jurisdiction from the endpoint', () => {
      const valid = validateProfile({ ...complete, bucket: undefined, jurisdiction: undefined, customEndpoint: 'http://127.0.0.1:9000' });
      assert.equal(valid.info.bucket, 'eo_pv_lakehouse');
      assert.equal(valid.info.jurisdiction, 'custom');
      assert.equal(valid.info.customEndpoint, 'http://127.0.0.1:9000');
      assert.equal(validateProfile({ ...complete, jurisdiction: undefined }).info.jurisdiction, 'default');
    });

    it('lists every problem in one UserFacingError, naming fields and never the secret values', () => {
      const bad = { ...complete, accountId: 'xyz', secretAccessKey: 'SEC RET', jurisdiction: 'custom', customEndpoint: 'https://https://h' };
      const thrown = (() => {
        try {
          validateProfile(bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(thrown instanceof ProfileValidationError && thrown instanceof UserFacingError);
      assert.equal(thrown.problems.length, 3);
      assert.match(thrown.message, /^R2 profile has 3 problems: Account id .* Secret access key .* Endpoint has its scheme twice/);
      assert.ok(!thrown.message.includes('SEC RET'));
    });

    it('refuses a key in a field that is stored and shown (e.g. an env name pointing at the wrong variable)', () => {
      const keyId = '0123456789abcdef0123456789abcdef'; // a key id looks like an account id
      assert.throws(() => validateProfile({ ...complete, accountId: keyId, accessKeyId: keyId }), /Account id holds one of the keys/);
      assert.throws(() => validateProfile({ ...complete, bucket: 'SECRET0123456789' }), /Bucket.* holds one of the keys/);
      assert.throws(
        () => validateProfile({ ...complete, jurisdiction: 'custom', customEndpoint: 'https://AKID0123456789.example.com' }),
        /holds one of the keys/,
      );
    });

    it('rejects values that are not text and unknown jurisdictions', () => {
      assert.throws(() => validateProfile({ ...complete, accessKeyId: 42 }), /^ProfileValidationError: Access key id must be text\.$/);
      assert.throws(() => validateProfile({ ...complete, jurisdiction: 'mars' }), /Jurisdiction must be one of default, eu, fedramp, custom/);
    });

    it('lets an edit keep the stored keys, but a new profile needs both', () => {
      const edit = validateProfile({ ...complete, accessKeyId: '', secretAccessKey: undefined }, { keepSecrets: true });
      assert.deepEqual(edit.secrets, {});
      assert.throws(() => validateProfile({ ...complete, accessKeyId: '' }), /Access key id is empty/);
    });

    it('names the environment variables when asked to', () => {
      assert.throws(() => validateProfile({ ...complete, accountId: '' }, { names: { accountId: 'CLOUDFLARE_ACCOUNT_ID' } }), /^ProfileValidationError: CLOUDFLARE_ACCOUNT_ID is empty/);
    });
  });
});
