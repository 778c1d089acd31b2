import * as assert from 'node:assert/strict';
import { classifyKey } from '../../../../src/core/detect/contextKeys';
import { judgeValue, type ValueContext } from '../../../../src/core/detect/credentialValue';
import { isNameLike, isPlaceholder, isReference, lacksRandomness } from '../../../../src/core/detect/valueFilters';
import { CredentialFixtures } from '../../../support/credentialFixtures';

const as = (role: ValueContext['role']): ValueContext => ({ role, bareCode: false, bareProse: false });

describe('detect: value checks', () => {
  const f = new CredentialFixtures(606);

  it('references', () => {
    for (const value of ['${R2_SECRET_KEY}', '$R2_SECRET_KEY', "{{ env_var('X') }}", '{% raw %}', '$(pass show r2)', '{secret}', '{cfg.secret}', '%(secret)s', '%s', '?', ':secret', '%SECRET%', "env_var('X')", 'os.environ["X"]', 'process.env.X', '!env_var X']) {
      assert.ok(isReference(value), value);
    }
    for (const value of [f.r2Secret(), f.awsSecret(), f.motherDuckToken(), f.password()]) assert.ok(!isReference(value));
  });

  it('placeholders and masked or truncated values', () => {
    const prefix = f.r2KeyId().slice(0, 4);
    for (const value of ['your_access_key_id', '<KEY>', '<YOUR_SECRET>', 'xxx', 'XXXXXXXXXXXXXXXX', '…', '...', `${prefix}…`, `${prefix}...${prefix}`, '****', `${prefix}****`, 'REPLACE_ME', 'changeme', 'TODO', 'secret', 'password123', 'example-key', 'insert-key-here', 'null', 'credential_chain', '']) {
      assert.ok(isPlaceholder(value) || lacksRandomness(value), value);
    }
    for (const value of [f.r2KeyId(), f.r2Secret(), f.awsKeyId(), f.awsSecret(), f.gcsHmacId(), f.azureAccountKey()]) assert.ok(!isPlaceholder(value), value);
  });

  it('regular strings: one character repeated, a period, counting up', () => {
    for (const value of ['0'.repeat(32), 'a'.repeat(64), '0123456789abcdef'.repeat(2), 'abcdabcdabcdabcd', 'abcdef123456', 'deadbeef'.repeat(4)]) assert.ok(lacksRandomness(value), value);
    for (let i = 0; i < 50; i++) {
      for (const value of [f.r2KeyId(), f.r2Secret(), f.awsSecret()]) assert.ok(!lacksRandomness(value), value);
    }
  });

  it('names read as words; random keys do not', () => {
    for (const value of ['r2_prod_secret', 'lakehouse-key-2024', 'myCloudflareSecretKey', 'keys/prod/r2', 'config.db_password', 'R2_SECRET_KEY']) assert.ok(isNameLike(value), value);
    for (let i = 0; i < 50; i++) {
      // (AKIA ids can read as capitals and a number; their shape decides them before this check.)
      for (const value of [f.r2KeyId(), f.r2Secret(), f.awsSecret(), f.azureAccountKey(), f.gcsHmacId()]) assert.ok(!isNameLike(value), value);
    }
  });

  it('judges by role: shapes, UUIDs, hashes in a key context, the key name as value', () => {
    assert.deepEqual(judgeValue(f.r2KeyId(), as('key_id')), { role: 'key_id', provider: 'r2' });
    assert.deepEqual(judgeValue(f.awsKeyId(), as('key_id')), { role: 'key_id', provider: 'aws' });
    assert.deepEqual(judgeValue(f.gcsHmacId(), as('key_id')), { role: 'key_id', provider: 'gcs' });
    assert.deepEqual(judgeValue(f.r2Secret(), as('secret')), { role: 'secret', provider: 'r2' });
    assert.deepEqual(judgeValue(f.awsSecret(), { ...as('secret'), provider: 'gcs' }), { role: 'secret', provider: 'gcs' }, '40 base64: the context tells');
    assert.deepEqual(judgeValue(f.azureAccountKey(), as('secret')), { role: 'secret', provider: 'azure' });
    assert.deepEqual(judgeValue(f.r2KeyId(), as('either')), { role: 'key_id', provider: 'r2' });
    assert.deepEqual(judgeValue(f.r2Secret(), as('either')), { role: 'secret', provider: 'r2' });
    assert.equal(judgeValue(f.uuid(), as('key_id')), undefined);
    assert.equal(judgeValue('R2_SECRET_KEY', { ...as('secret'), keyNormalized: 'r2secretkey' }), undefined);
    assert.equal(judgeValue('r2://lake/' + f.md5(), as('secret')), undefined);
    assert.equal(judgeValue('short1', as('secret')), undefined);
    assert.equal(judgeValue(f.otherJwt().slice(0, 10), as('motherduck_token')), undefined);
  });

  it('passwords: anything real, but no bare word in code and a digit or symbol in prose', () => {
    assert.deepEqual(judgeValue('postgres', as('password')), { role: 'password', provider: 'unknown' });
    assert.equal(judgeValue('pw2', as('password')), undefined, 'too short');
    assert.equal(judgeValue('hunter22', { ...as('password'), bareCode: true }), undefined);
    assert.equal(judgeValue('below', { ...as('password'), bareProse: true }), undefined);
    assert.ok(judgeValue('Tundra!Copper9', { ...as('password'), bareProse: true }));
  });

  it('classifies key names without case or separators, and refuses names of other things', () => {
    const role = (name: string) => classifyKey(name)?.role;
    assert.equal(role('KEY_ID'), 'key_id');
    assert.equal(role('accessKeyId'), 'key_id');
    assert.equal(role('fs.s3a.access.key'), 'key_id');
    assert.equal(role('aws-secret-access-key'), 'secret');
    assert.equal(role('R2_SECRET_KEY'), 'secret');
    assert.equal(role('AccountKey'), 'secret');
    assert.equal(role('SESSION_TOKEN'), 'session_token');
    assert.equal(role('MOTHERDUCK_TOKEN'), 'motherduck_token');
    assert.equal(role('PGPASSWORD'), 'password');
    assert.equal(role('DB_PASS'), 'password');
    assert.equal(role('CLOUDFLARE_ACCOUNT_ID'), 'account_id');
    assert.equal(role('R2_KEY'), 'either');
    assert.equal(classifyKey('s3_secret_access_key')?.legacy, true);
    assert.equal(classifyKey('s3-secret-access-key')?.legacy, false, 'a CLI flag, not the DuckDB setting');
    assert.equal(classifyKey('token')?.needsMotherDuck, true);
    for (const other of ['secret_name', 'secret_hash', 'kms_key_id', 'partition_key', 'primary_key', 'GITHUB_TOKEN', 'aws_account_id', 'cache_key', 'bypass', 'compass']) {
      assert.equal(classifyKey(other), undefined, other);
    }
  });
});
