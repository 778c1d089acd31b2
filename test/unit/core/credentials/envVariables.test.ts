import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEFAULT_ENV_NAMES } from '../../../../src/core/credentials/envImport';
import { compareDotEnv, describeDotEnv, profileVariables } from '../../../../src/core/credentials/envVariables';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

/** Generated per run: fixtures shaped like keys are never committed. */
const keyId = randomBytes(16).toString('hex');
const secret = randomBytes(32).toString('hex');
const token = `md-${randomBytes(12).toString('hex')}`;

const credentials = (overrides: Partial<Credentials> = {}): Credentials => ({
  id: 'p1',
  label: 'lake',
  accountId: TEST_ACCOUNT_ID,
  bucket: 'lakehouse',
  jurisdiction: 'default',
  accessKeyId: keyId,
  secretAccessKey: secret,
  ...overrides,
});

describe('environment variables for terminals', () => {
  it('names come from the settings; the endpoint only when it is not the default; both token spellings', () => {
    const plain = profileVariables(credentials(), DEFAULT_ENV_NAMES);
    assert.deepEqual(plain.map((v) => [v.name, v.secret]), [
      ['R2_ACCESS_KEY_ID', true],
      ['R2_SECRET_KEY', true],
      ['CLOUDFLARE_ACCOUNT_ID', false],
      ['DUCKLAKE_NAME', false],
    ]);
    assert.equal(plain[1]?.value, secret);
    const eu = profileVariables(credentials({ jurisdiction: 'eu' }), { ...DEFAULT_ENV_NAMES, accessKeyId: 'MY_KEY' }, token);
    assert.deepEqual(eu.map((v) => v.name), ['MY_KEY', 'R2_SECRET_KEY', 'CLOUDFLARE_ACCOUNT_ID', 'DUCKLAKE_NAME', 'R2_ENDPOINT', 'MOTHERDUCK_TOKEN', 'motherduck_token']);
    assert.equal(eu.find((v) => v.name === 'R2_ENDPOINT')?.value, `${TEST_ACCOUNT_ID}.eu.r2.cloudflarestorage.com`);
    const custom = profileVariables(credentials({ jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' }), DEFAULT_ENV_NAMES);
    assert.equal(custom.find((v) => v.name === 'R2_ENDPOINT')?.value, '127.0.0.1:9000');
    const clash = profileVariables(credentials(), { ...DEFAULT_ENV_NAMES, secretKey: 'R2_ACCESS_KEY_ID' });
    assert.deepEqual(clash.filter((v) => v.name === 'R2_ACCESS_KEY_ID').map((v) => v.value === keyId), [true], 'the first setting wins a shared name');
  });

  it('a .env is compared by value and reported by name only', () => {
    const variables = profileVariables(credentials(), DEFAULT_ENV_NAMES);
    const source = { description: '/w/.env', kind: 'file' as const, values: { R2_ACCESS_KEY_ID: ` ${keyId} `, R2_SECRET_KEY: `${secret}x`, OTHER: 'x', DUCKLAKE_NAME: '' } };
    const comparison = compareDotEnv(source, variables);
    assert.deepEqual(comparison, { file: '/w/.env', same: ['R2_ACCESS_KEY_ID'], different: ['R2_SECRET_KEY'] });
    const text = describeDotEnv(comparison);
    assert.match(text, /^\/w\/\.env holds the same value for R2_ACCESS_KEY_ID and a different value for R2_SECRET_KEY\. /);
    assert.ok(!text.includes(keyId) && !text.includes(secret));
    assert.equal(compareDotEnv({ description: 'x', kind: 'file', values: { OTHER: '1' } }, variables), undefined);
    assert.match(describeDotEnv({ file: 'f', same: ['A', 'B'], different: [] }), /the same values for A, B\. Terminals get them from the keychain now, so you can delete them/);
  });
});
