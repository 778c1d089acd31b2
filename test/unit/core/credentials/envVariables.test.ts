import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEFAULT_ENV_NAMES } from '../../../../src/core/credentials/envImport';
import { compareDotEnv, describeDotEnv, profileVariables, variableNames } from '../../../../src/core/credentials/envVariables';
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

  it('marks the keys and the token secret, the rest not; names them for messages', () => {
    const variables = profileVariables(credentials({ jurisdiction: 'fedramp' }), DEFAULT_ENV_NAMES, token);
    assert.deepEqual(variables.map((v) => [v.name, v.secret]), [
      ['R2_ACCESS_KEY_ID', true],
      ['R2_SECRET_KEY', true],
      ['CLOUDFLARE_ACCOUNT_ID', false],
      ['DUCKLAKE_NAME', false],
      ['R2_ENDPOINT', false],
      ['MOTHERDUCK_TOKEN', true],
      ['motherduck_token', true],
    ]);
    assert.equal(variableNames(variables.slice(0, 3)), 'R2_ACCESS_KEY_ID, R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID');
    assert.equal(variableNames([]), '');
  });

  it('a setting left empty or blank sets no variable', () => {
    const variables = profileVariables(credentials({ jurisdiction: 'eu' }), { ...DEFAULT_ENV_NAMES, bucket: '', endpoint: '  ' });
    assert.deepEqual(variables.map((v) => v.name), ['R2_ACCESS_KEY_ID', 'R2_SECRET_KEY', 'CLOUDFLARE_ACCOUNT_ID']);
  });

  it('a .env with only the same values, or only different ones, or blank ones', () => {
    const variables = profileVariables(credentials(), DEFAULT_ENV_NAMES);
    const dotEnv = (values: Record<string, string>) => ({ description: '/w/.env', kind: 'file' as const, values });
    const same = compareDotEnv(dotEnv({ R2_ACCESS_KEY_ID: keyId, R2_SECRET_KEY: ' \t' }), variables);
    assert.deepEqual(same, { file: '/w/.env', same: ['R2_ACCESS_KEY_ID'], different: [] });
    assert.equal(describeDotEnv(same), '/w/.env holds the same value for R2_ACCESS_KEY_ID. Terminals get them from the keychain now, so you can delete them from the file.');
    const different = compareDotEnv(dotEnv({ R2_ACCESS_KEY_ID: `${keyId}0`, R2_SECRET_KEY: 'stale' }), variables);
    assert.deepEqual(different, { file: '/w/.env', same: [], different: ['R2_ACCESS_KEY_ID', 'R2_SECRET_KEY'] });
    assert.equal(
      describeDotEnv(different),
      "/w/.env holds different values for R2_ACCESS_KEY_ID, R2_SECRET_KEY. Tools that load .env themselves may use its values instead of the keychain's: delete them from the file once you have checked which is right.",
    );
    assert.equal(compareDotEnv(dotEnv({ R2_ACCESS_KEY_ID: '   ' }), variables), undefined, 'a blank value is no value');
  });
});
