import * as assert from 'node:assert/strict';
import { classifyKey } from '../../../../src/core/detect/contextKeys';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** role/provider/legacy/needsMotherDuck of a name, `none` when it names no credential. */
function context(name: string): string {
  const c = classifyKey(name);
  if (!c) return 'none';
  return [c.role, c.provider ?? '-', c.legacy ? 'legacy' : '', c.needsMotherDuck ? 'needs-md' : ''].filter((x) => x !== '').join(' ');
}

/** [kind, provider, value, message, envVar] of each finding in a .env file. */
function envFindings(text: string): [string, string, string, string, string | undefined][] {
  return detectCredentials(text, 'env').map((x) => [x.kind, x.provider, text.slice(x.start, x.end), x.message, x.envVar]);
}

describe('detect: key names (contextKeys)', () => {
  const f = new CredentialFixtures(1602);

  it('names the provider from a word in the name, not from letters inside another word', () => {
    const cases: [string, string][] = [
      ['MOTHERDUCK_PASSWORD', 'password motherduck'],
      ['MD_PASSWORD', 'password motherduck'],
      ['DUCKDB_MD_PASSWORD', 'password motherduck'],
      ['PROD_R2_KEY', 'either r2'],
      ['R2KEY', 'either r2'],
      ['cf_key', 'either r2'],
      ['PROD_AWS_KEY', 'either aws'],
      ['awsKey', 'either aws'],
      ['PROD_GCS_KEY', 'either gcs'],
      ['AZURE_KEY', 'either azure'],
      ['CMD_PASSWORD', 'password -'],
      ['LAWS_KEY', 'none'],
    ];
    for (const [name, expected] of cases) assert.equal(context(name), expected, name);
  });

  it('tokens: MotherDuck by name, session and security tokens, generic ones only as JWTs where MotherDuck is meant', () => {
    const cases: [string, string][] = [
      ['MOTHERDUCK_TOKEN', 'motherduck_token motherduck'],
      ['MDTOKEN', 'motherduck_token motherduck'],
      ['MD_ACCESS_TOKEN', 'motherduck_token motherduck needs-md'],
      ['AWS_SECURITY_TOKEN', 'session_token aws'],
      ['x-amz-security-token', 'session_token -'],
      ['ACCESS_TOKEN', 'motherduck_token - needs-md'],
      ['GITLAB_TOKEN', 'none'],
      ['s3_session_token', 'session_token - legacy'],
    ];
    for (const [name, expected] of cases) assert.equal(context(name), expected, name);
  });

  it('secrets and key ids: the name must end so; names of secrets, and account keys with a provider, are told apart', () => {
    const cases: [string, string][] = [
      ['ANDROID_SECRET_KEY', 'secret -'],
      ['aws_secretsmanager_secret', 'none'],
      ['CLIENT_ID_SECRET', 'none'],
      ['ACCOUNT_KEY', 'secret azure'],
      ['sharedKey', 'secret azure'],
      ['AWS_ACCOUNT_KEY', 'secret aws'],
      ['STORAGE_KEY_SECRET', 'secret -'],
      ['ACCESS_KEY_PASSWORD', 'password -'],
      ['SECRET_STORE_PASSWORD', 'password -'],
      ['PASSWORD_HASH_KEY', 'none'],
      ['DB_PASS_HASH_KEY', 'none'],
      ['pass', 'password -'],
      ['db.pass', 'password -'],
      ['SIGNING_KEY_ID', 'none'],
      ['S3_SECRET_NAME', 'none'],
    ];
    for (const [name, expected] of cases) assert.equal(context(name), expected, name);
  });

  it('a bare `key` needs a provider (not MotherDuck) or an s3/hmac/minio word right before it', () => {
    const cases: [string, string][] = [
      ['S3_KEY', 'either -'],
      ['S3KEY', 'either -'],
      ['minioKey', 'either -'],
      ['BACKUP_S3_KEY', 'either -'],
      ['hmac.key', 'either -'],
      ['S3_KEY_FILE', 'none'],
      ['R2_BUCKET', 'none'],
      ['MOTHERDUCK_KEY', 'none'],
      ['MD_KEY', 'none'],
      ['SORT_KEY', 'none'],
    ];
    for (const [name, expected] of cases) assert.equal(context(name), expected, name);
  });

  it("legacy: only DuckDB's own underscore spelling of the s3_ settings", () => {
    assert.equal(context('s3_access_key_id'), 'key_id - legacy');
    assert.equal(context('--s3_access_key_id'), 'key_id -', 'a flag');
    assert.equal(context('s3_access-key_id'), 'key_id -', 'mixed separators');
    assert.equal(context('S3_ACCESS_KEY_ID'), 'key_id - legacy');
  });

  it('names longer than 80 letters and digits are no key names', () => {
    assert.equal(context(`${'x'.repeat(74)}_secret`), 'secret -');
    assert.equal(context(`${'x'.repeat(75)}_secret`), 'none');
  });

  it('what the provider of a name changes in a finding: message, provider and variable', () => {
    const [pw, loose, gcs, token] = [f.password(), f.awsSecret(), f.gcsSecret(), f.awsSecret().slice(0, 30)];
    assert.deepEqual(envFindings(`MOTHERDUCK_PASSWORD=${pw}\n`), [['password', 'motherduck', pw, 'MotherDuck token hardcoded in MOTHERDUCK_PASSWORD=…', 'MOTHERDUCK_TOKEN']]);
    assert.deepEqual(envFindings(`ACCOUNT_KEY=${loose}\n`), [['secret', 'azure', loose, 'Azure storage account key hardcoded in ACCOUNT_KEY=…', 'AZURE_STORAGE_KEY']]);
    assert.deepEqual(envFindings(`PROD_GCS_KEY=${gcs}\n`), [['secret', 'gcs', gcs, 'GCS HMAC secret hardcoded in PROD_GCS_KEY=…', 'GCS_SECRET']]);
    assert.deepEqual(envFindings(`MDTOKEN=${token}\n`), [['motherduck_token', 'motherduck', token, 'MotherDuck token hardcoded in MDTOKEN=…', 'MOTHERDUCK_TOKEN']]);
    assert.deepEqual(envFindings(`MOTHERDUCK_TOKEN=${token}\n`), [['motherduck_token', 'motherduck', token, 'MotherDuck token hardcoded in MOTHERDUCK_TOKEN=…', 'MOTHERDUCK_TOKEN']]);
    assert.deepEqual(envFindings(`MD_ACCESS_TOKEN=${token}\nMOTHERDUCK_KEY=${loose}\n`), [], 'a generic token must be a JWT; a MotherDuck key is no R2/S3 key');
  });
});
