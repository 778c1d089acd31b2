import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import { hashCredential } from '../../../../src/core/detect/knownCredentials';
import { CredentialFixtures } from '../../../support/credentialFixtures';

describe('detect: the entry point (detectCredentials)', () => {
  const f = new CredentialFixtures(4242);

  it('each finding in a CREATE SECRET carries its own statement; a finding after the statements carries none', () => {
    const statements = [0, 1, 2].map(() => `CREATE SECRET (TYPE r2, KEY_ID '${f.r2KeyId()}', SECRET '${f.r2Secret()}', ACCOUNT_ID 'acct');`);
    const text = `${statements.join('\n')}\nSET s3_secret_access_key='${f.r2Secret()}';\n`;
    const findings = detectCredentials(text, 'sql');
    assert.deepEqual(
      findings.map((x) => [x.kind, x.statement?.range.range.start.line]),
      [
        ['key_id', 0],
        ['secret', 0],
        ['key_id', 1],
        ['secret', 1],
        ['key_id', 2],
        ['secret', 2],
        ['legacy_set', undefined],
      ],
    );
    // Credential fields have no `text` (the value stays out of the statement); others have theirs.
    assert.deepEqual(
      findings[0]?.statement?.fields.map((field) => [field.key, 'text' in field ? field.text : 'none']),
      [
        ['type', 'r2'],
        ['key_id', 'none'],
        ['secret', 'none'],
        ['account_id', 'acct'],
      ],
    );
  });

  it('the statement TYPE names the provider; with no TYPE the value shape does', () => {
    const secret = f.awsSecret();
    const typed = detectCredentials(`CREATE SECRET s (TYPE gcs, KEY_ID 'id', SECRET '${secret}');\n`, 'sql');
    assert.deepEqual(
      typed.map((x) => [x.kind, x.provider]),
      [['secret', 'gcs']],
    );
    const untyped = detectCredentials(`CREATE SECRET s (KEY_ID 'id', SECRET '${secret}');\n`, 'sql');
    assert.deepEqual(
      untyped.map((x) => [x.kind, x.provider]),
      [['secret', 'aws']],
    );
  });

  it('a Python f-string with a { is an expression, not a value; a plain string with one is a value', () => {
    assert.deepEqual(detectCredentials('conn = db.connect(password=f"ab{c9!x")\n', 'python'), []);
    assert.deepEqual(
      detectCredentials('conn = db.connect(password="ab{c9!x")\n', 'python').map((x) => x.kind),
      ['password'],
    );
  });

  it('a plain `token` key: a MotherDuck JWT even where MotherDuck is not mentioned, another JWT only where it is', () => {
    const token = f.motherDuckToken();
    assert.deepEqual(
      detectCredentials(`token = "${token}"\n`, 'python').map((x) => [x.kind, x.provider]),
      [['motherduck_token', 'motherduck']],
    );
    assert.deepEqual(detectCredentials(`token = "${f.otherJwt()}"\n`, 'python'), []);
    assert.equal(detectCredentials(`# MotherDuck\ntoken = "${f.otherJwt()}"\n`, 'python').length, 1);
  });

  it('a bare word after a label in prose is no password; the key name as its value is none', () => {
    assert.deepEqual(detectCredentials('Password: sunflower\n', 'markdown'), []);
    assert.equal(detectCredentials('Password: sunflower7\n', 'markdown').length, 1);
    assert.deepEqual(detectCredentials('PGPASSWORD=PGPASSWORD\n', 'env'), []);
    assert.equal(detectCredentials('PGPASSWORD=PGPASSWORD2\n', 'env').length, 1);
  });

  it('a stored value without a provider is reported with provider unknown', () => {
    const salt = f.md5();
    const value = 'p@ss word! 42';
    const knownHashes = { salt, hashes: new Map([[hashCredential(value, salt), { role: 'password' as const, label: 'Warehouse' }]]) };
    const findings = detectCredentials(`connect('${value}')\n`, 'python', { knownHashes });
    assert.deepEqual(
      findings.map((x) => [x.kind, x.role, x.provider, x.rule, x.known?.label]),
      [['password', 'password', 'unknown', 'known', 'Warehouse']],
    );
  });

  it('of overlapping values the named rule wins and inherits the stored credential', () => {
    const salt = f.md5();
    const id = f.awsKeyId();
    const stored = `lake/${id}`;
    const knownHashes = { salt, hashes: new Map([[hashCredential(stored, salt), { role: 'key_id' as const, provider: 'aws' as const, label: 'Lake' }]]) };
    const text = `see ${stored} now\n`;
    const findings = detectCredentials(text, 'markdown', { knownHashes });
    assert.deepEqual(
      findings.map((x) => [x.rule, text.slice(x.start, x.end), x.known?.label]),
      [['shape', id, 'Lake']],
    );
  });

  it('of two equally named readings of one value, the one that read the provider word says what it is', () => {
    // `secret:` alone reads a GCS HMAC secret as AWS's (the same 40-character shape); `GCS secret:` knows better.
    for (const label of ['GCS secret', 'HMAC secret', 'gcs secret']) {
      const text = `${label}: ${f.gcsSecret()}\n`;
      const findings = detectCredentials(text, 'markdown');
      assert.deepEqual(
        findings.map((x) => [x.kind, x.provider, x.contextKey, x.message]),
        [['secret', 'gcs', label, `GCS HMAC secret hardcoded after '${label}:' …`]],
        label,
      );
    }
    const token = detectCredentials(`MotherDuck token: ${f.motherDuckToken()}\n`, 'markdown');
    assert.deepEqual(
      token.map((x) => [x.kind, x.contextKey, x.message]),
      [['motherduck_token', 'MotherDuck token', "MotherDuck token hardcoded after 'MotherDuck token:' …"]],
    );
    // The option rule keeps a value its key names better than a label does (`gcs_secret:` is longer than none).
    const keyed = detectCredentials(`gcs_secret: ${f.gcsSecret()}\n`, 'yaml');
    assert.deepEqual(keyed.map((x) => [x.provider, x.contextKey]), [['gcs', 'gcs_secret']]);
  });
});
