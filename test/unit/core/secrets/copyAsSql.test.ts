/**
 * "Copy as SQL" for a listed R2 secret: every non-secret field it had comes back as DuckDB lists it
 * (a region other than auto, the URL style and TLS of a custom endpoint), and what it did not have
 * is not made up. (localSecretsR2.test.ts runs a copied text against the real DuckDB.)
 */
import * as assert from 'node:assert/strict';
import { KEY_ID_PLACEHOLDER, SECRET_PLACEHOLDER, copyListedSecret, copyR2Secret, createR2Secret } from '../../../../src/core/secrets/secretSql';
import type { SecretInfo } from '../../../../src/core/secrets/secretsModel';
import { seededR2Keys } from '../../../support/seededKeys';

const account = seededR2Keys(1660).accessKeyId;
const listed = (fields: [string, string][], overrides: Partial<SecretInfo> = {}): SecretInfo => ({
  name: 'r2_copy',
  type: 'r2',
  provider: 'config',
  persistent: false,
  storage: 'memory',
  scope: ['r2://'],
  fields: new Map(fields),
  ...overrides,
});
/** The parameter lines of a copied statement, without the comment and the CREATE line. */
const params = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('    '))
    .map((line) => line.trim().replace(/,$/, ''));

describe('Copy as SQL: the fields of a listed R2 secret', () => {
  it('keeps a region other than auto, and writes auto when there is none', () => {
    assert.ok(params(copyListedSecret(listed([['endpoint', `${account}.r2.cloudflarestorage.com`], ['region', 'us-east-1']]))).includes("REGION 'us-east-1'"));
    assert.ok(params(copyListedSecret(listed([['endpoint', `${account}.r2.cloudflarestorage.com`], ['region', '']]))).includes("REGION 'auto'"));
    assert.ok(params(copyListedSecret(listed([]))).includes("REGION 'auto'"));
  });

  it('a listing without an endpoint gives no endpoint and no account id', () => {
    assert.deepEqual(params(copyListedSecret(listed([]))), ['TYPE r2', `KEY_ID '${KEY_ID_PLACEHOLDER}'`, `SECRET '${SECRET_PLACEHOLDER}'`, "REGION 'auto'"]);
  });

  it('a custom endpoint keeps its URL style and TLS as listed', () => {
    assert.deepEqual(params(copyListedSecret(listed([['endpoint', 's3.example.com'], ['url_style', 'vhost'], ['use_ssl', 'true']]))), [
      'TYPE r2',
      `KEY_ID '${KEY_ID_PLACEHOLDER}'`,
      `SECRET '${SECRET_PLACEHOLDER}'`,
      "REGION 'auto'",
      "ENDPOINT 's3.example.com'",
      "URL_STYLE 'vhost'",
      'USE_SSL true',
    ]);
  });

  it('leaves out a URL style or TLS flag the listing does not have, or one that is not a boolean', () => {
    assert.deepEqual(params(copyListedSecret(listed([['endpoint', 's3.example.com'], ['url_style', ''], ['use_ssl', 'maybe']]))).slice(3), ["REGION 'auto'", "ENDPOINT 's3.example.com'"]);
  });

  it('a Cloudflare host reached without TLS is a custom endpoint: no account id is made up', () => {
    const text = copyListedSecret(listed([['endpoint', `${account}.r2.cloudflarestorage.com`], ['use_ssl', 'false']]));
    assert.ok(!text.includes('ACCOUNT_ID'), text);
    assert.ok(params(text).includes(`ENDPOINT '${account}.r2.cloudflarestorage.com'`));
    assert.ok(params(text).includes('USE_SSL false'));
  });

  it('an endpoint DuckDB took that is no URL host is copied as the custom endpoint it is', () => {
    for (const endpoint of ['minio host:9000', 'host:99999', '[::1']) {
      const lines = params(copyListedSecret(listed([['endpoint', endpoint], ['use_ssl', 'true']])));
      assert.deepEqual(lines.slice(3), ["REGION 'auto'", `ENDPOINT '${endpoint}'`, 'USE_SSL true'], endpoint);
    }
  });

  it('a FedRAMP host gives the account id and keeps the endpoint', () => {
    const lines = params(copyListedSecret(listed([['endpoint', `${account}.fedramp.r2.cloudflarestorage.com`]])));
    assert.ok(lines.includes(`ACCOUNT_ID '${account}'`) && lines.includes(`ENDPOINT '${account}.fedramp.r2.cloudflarestorage.com'`), lines.join('\n'));
  });

  it('keeps several scopes, and leaves out the default r2:// one', () => {
    const text = copyListedSecret(listed([], { scope: ['r2://', 'r2://a', 'r2://b'] }));
    assert.ok(params(text).includes("SCOPE ['r2://a', 'r2://b']"), text);
  });

  it('a profile with a custom https endpoint copies its URL style and TLS, and no account id', () => {
    const text = copyR2Secret(
      { id: 'p-minio', label: 'minio', accountId: account, bucket: 'lake', jurisdiction: 'custom', customEndpoint: 'https://s3.example.com:9443' },
      { name: 'r2_minio', persistence: 'session', replace: true },
    );
    assert.deepEqual(params(text).slice(3), ["REGION 'auto'", "ENDPOINT 's3.example.com:9443'", "URL_STYLE 'path'", 'USE_SSL true']);
  });

  it('a listed field DuckDB could not take back is named in the refusal, never shown', () => {
    const r2Host: [string, string] = ['endpoint', `${account}.r2.cloudflarestorage.com`];
    // An s3 secret is R2-backed by an R2 host or by region auto.
    const cases: [string, [string, string][], RegExp][] = [
      ['r2', [['region', 'eu\0canary']], /^The region contains a NUL/],
      ['s3', [r2Host, ['region', 'eu\0canary']], /^The region contains a NUL/],
      ['r2', [['endpoint', 's3.example\0canary']], /^The endpoint contains a NUL/],
      ['s3', [['region', 'auto'], ['endpoint', 's3.example\0canary']], /^The endpoint contains a NUL/],
      ['r2', [['endpoint', 's3.example.com'], ['url_style', 'path\uD800canary']], /^The URL style contains an unpaired UTF-16 surrogate/],
      ['s3', [r2Host, ['url_style', 'path\uD800canary']], /^The URL style contains an unpaired UTF-16 surrogate/],
    ];
    for (const [type, fields, expected] of cases) {
      assert.throws(() => copyListedSecret(listed(fields, { type })), (error: Error) => expected.test(error.message) && !error.message.includes('canary'), `${type} ${expected}`);
    }
  });

  it('an account id DuckDB could not take is refused in the s3:// form as the endpoint it makes', () => {
    const profile = { id: 'p', label: 'p', accountId: 'acc\0canary', bucket: 'lake', jurisdiction: 'default', accessKeyId: 'k', secretAccessKey: 's' } as const;
    assert.throws(() => createR2Secret(profile, { name: 'r2_s3', persistence: 'session', replace: true, scope: ['s3://lake'] }), /^UserFacingError: The endpoint contains a NUL/);
  });
});

describe('Copy as SQL: the fields of a listed R2-backed s3 secret', () => {
  const host = `${account}.r2.cloudflarestorage.com`;
  const s3 = (fields: [string, string][], overrides: Partial<SecretInfo> = {}) => listed(fields, { type: 's3', name: 'r2_s3', scope: ['s3://'], ...overrides });

  it('keeps a region other than auto, and writes auto when there is none', () => {
    assert.ok(params(copyListedSecret(s3([['endpoint', host], ['region', 'us-east-1']]))).includes("REGION 'us-east-1'"));
    assert.ok(params(copyListedSecret(s3([['endpoint', host]]))).includes("REGION 'auto'"));
    assert.ok(params(copyListedSecret(s3([['endpoint', host], ['region', '']]))).includes("REGION 'auto'"));
  });

  it('keeps the URL style and TLS as listed, writes path style when there is none, and no TLS flag that is not a boolean', () => {
    assert.deepEqual(params(copyListedSecret(s3([['endpoint', '127.0.0.1:9000'], ['region', 'auto'], ['url_style', 'vhost'], ['use_ssl', 'false']]))), [
      'TYPE s3',
      `KEY_ID '${KEY_ID_PLACEHOLDER}'`,
      `SECRET '${SECRET_PLACEHOLDER}'`,
      "REGION 'auto'",
      "ENDPOINT '127.0.0.1:9000'",
      "URL_STYLE 'vhost'",
      'USE_SSL false',
    ]);
    assert.deepEqual(params(copyListedSecret(s3([['endpoint', host], ['use_ssl', 'maybe']]))).slice(4), [`ENDPOINT '${host}'`, "URL_STYLE 'path'"]);
    assert.deepEqual(params(copyListedSecret(s3([['endpoint', host], ['url_style', ''], ['use_ssl', 'true']]))).slice(4), [`ENDPOINT '${host}'`, "URL_STYLE 'path'", 'USE_SSL true']);
  });

  it('makes up no endpoint when the listing has none', () => {
    assert.deepEqual(params(copyListedSecret(s3([['region', 'auto']]))).slice(3), ["REGION 'auto'", "URL_STYLE 'path'"]);
  });

  it('replaces the secret where it lives, with its scopes but the default s3:// one', () => {
    const text = copyListedSecret(s3([['endpoint', host]], { persistent: true, storage: 'local_file', scope: ['s3://', 's3://lake'] }));
    assert.match(text, /\nCREATE OR REPLACE PERSISTENT SECRET r2_s3 IN local_file \(\n/);
    assert.ok(params(text).includes("SCOPE 's3://lake'"), text);
    const session = copyListedSecret(s3([['endpoint', host]]));
    assert.match(session, /\nCREATE OR REPLACE SECRET r2_s3 \(\n/);
    assert.ok(!session.includes('SCOPE'), session);
  });
});
