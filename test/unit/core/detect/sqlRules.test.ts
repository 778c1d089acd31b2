import * as assert from 'node:assert/strict';
import { detectCredentials, secretStatementsIn } from '../../../../src/core/detect/detectCredentials';
import type { Finding } from '../../../../src/core/detect/finding';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** The finding whose value is exactly `value` (by offsets), failing when there is none. */
function findingFor(findings: readonly Finding[], text: string, value: string): Finding {
  const start = text.indexOf(value);
  const found = findings.find((f) => f.start === start && f.end === start + value.length);
  return found ?? assert.fail(`no finding at ${start}; found ${findings.map((f) => `${f.kind}@${f.start}`).join(', ')}`);
}

describe('detect: SQL', () => {
  const f = new CredentialFixtures(101);

  it('finds key id and secret of a CREATE SECRET, with exact ranges, quotes and env names', () => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    const text = `CREATE OR REPLACE SECRET r2_lake (\n    TYPE r2,\n    KEY_ID '${id}',\n    SECRET "${secret}",\n    ACCOUNT_ID '${account}'\n);\nFROM 'r2://lake/x.parquet';\n`;
    const findings = detectCredentials(text, 'sql');
    assert.deepEqual(
      findings.map((x) => [x.kind, x.provider, x.contextKey, x.envVar, x.quote]),
      [
        ['key_id', 'r2', 'KEY_ID', 'R2_ACCESS_KEY_ID', "'"],
        ['secret', 'r2', 'SECRET', 'R2_SECRET_KEY', '"'],
      ],
    );
    const [keyId, secretFinding] = findings as [Finding, Finding];
    assert.deepEqual(keyId.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 44 } });
    assert.deepEqual(keyId.literal.range, { start: { line: 2, character: 11 }, end: { line: 2, character: 45 } });
    assert.deepEqual(secretFinding.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 76 } });
    assert.equal(keyId.message, "R2 access key id hardcoded in KEY_ID '…'");
    assert.equal(secretFinding.message, 'R2 secret access key hardcoded in SECRET "…"');
    assert.equal(keyId.severity, 'warning');
    assert.equal(keyId.syntax, 'sql');
  });

  it('groups a statement: one shared object with its range, name, type and fields', () => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    const statementText = `CREATE PERSISTENT SECRET IF NOT EXISTS lake IN local_file (\n  TYPE r2, KEY_ID '${id}', SECRET '${secret}',\n  ACCOUNT_ID '${account}', SCOPE ['r2://a', 'r2://b']\n);`;
    const text = `SELECT 1;\n${statementText}\nSELECT 2;\n`;
    const findings = detectCredentials(text, 'sql');
    assert.equal(findings.length, 2);
    const statement = findings[0]?.statement;
    assert.ok(statement);
    assert.equal(findings[1]?.statement, statement, 'the same object for each finding of the statement');
    assert.equal(text.slice(statement.range.start, statement.range.end), statementText);
    assert.deepEqual(statement.range.range.start, { line: 1, character: 0 });
    assert.deepEqual(
      [statement.name, statement.storage, statement.persistence, statement.orReplace, statement.type, statement.provider],
      ['lake', 'local_file', 'persistent', false, 'r2', 'r2'],
    );
    assert.deepEqual(
      statement.fields.map((field) => [field.key, field.text]),
      [
        ['type', 'r2'],
        ['key_id', undefined],
        ['secret', undefined],
        ['account_id', account],
      ],
    );
    const keyField = statement.fields.find((field) => field.key === 'key_id');
    assert.equal(keyField && text.slice(keyField.value.start, keyField.value.end), id);
    assert.deepEqual(secretStatementsIn(text, 'sql'), [statement]);
  });

  it('gives the account id as an Information hint only when asked, and never alone as a warning', () => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    const text = `CREATE SECRET (TYPE r2, KEY_ID '${id}', SECRET '${secret}', ACCOUNT_ID '${account}');`;
    assert.equal(detectCredentials(text, 'sql').length, 2);
    const hint = findingFor(detectCredentials(text, 'sql', { accountIdHints: true }), text, account);
    assert.deepEqual([hint.kind, hint.severity, hint.envVar], ['account_id', 'information', 'CLOUDFLARE_ACCOUNT_ID']);
    assert.deepEqual(detectCredentials(`CREATE SECRET (TYPE r2, PROVIDER credential_chain, ACCOUNT_ID '${account}');`, 'sql'), []);
  });

  it('reports SET s3_… and SET GLOBAL s3_… as legacy_set, keeping the role', () => {
    const [id, secret, token] = [f.awsKeyId(), f.awsSecret(), f.awsSessionToken()];
    const text = `SET s3_access_key_id='${id}';\nSET GLOBAL s3_secret_access_key = '${secret}';\nset s3_session_token to '${token}';\n`;
    const findings = detectCredentials(text, 'sql');
    assert.deepEqual(
      findings.map((x) => [x.kind, x.role, x.provider]),
      [
        ['legacy_set', 'key_id', 'aws'],
        ['legacy_set', 'secret', 'aws'],
        ['legacy_set', 'session_token', 'aws'],
      ],
    );
    assert.match(findingFor(findings, text, secret).message, /^AWS secret access key hardcoded in SET s3_secret_access_key='…' \(legacy S3 setting/);
  });

  it('finds values in comments, Jinja comments, block comments and env_var defaults', () => {
    const [a, b, c, d] = [f.r2KeyId(), f.r2Secret(), f.r2Secret(), f.r2Secret()];
    const text = `{# KEY_ID '${a}' #}\n-- SECRET '${b}',\n/*\n  SECRET '${c}'\n*/\nselect '{{ env_var("R2_SECRET_KEY", "${d}") }}'\n`;
    const findings = detectCredentials(text, 'sql');
    assert.deepEqual(
      findings.map((x) => [x.kind, x.rule]),
      [
        ['key_id', 'option'],
        ['secret', 'option'],
        ['secret', 'option'],
        ['secret', 'env-default'],
      ],
    );
    assert.equal(findingFor(findings, text, d).message, `R2 secret access key hardcoded as the default of env_var("R2_SECRET_KEY", "…")`);
  });

  it('finds a value on the line after its option through the statement', () => {
    const id = f.r2KeyId();
    const text = `CREATE SECRET wrapped (\n  TYPE r2,\n  KEY_ID\n    '${id}'\n);`;
    const finding = findingFor(detectCredentials(text, 'sql'), text, id);
    assert.deepEqual([finding.kind, finding.rule, finding.range.start.line], ['key_id', 'statement', 3]);
  });

  it('takes the provider from TYPE, or from the value when its shape says so', () => {
    const [gcsId, gcsSecret, r2Id] = [f.gcsHmacId(), f.gcsSecret(), f.r2KeyId()];
    const gcs = `CREATE SECRET (TYPE gcs, KEY_ID '${gcsId}', SECRET '${gcsSecret}');`;
    assert.deepEqual(detectCredentials(gcs, 'sql').map((x) => [x.kind, x.provider, x.envVar]), [
      ['key_id', 'gcs', 'GCS_ACCESS_KEY_ID'],
      ['secret', 'gcs', 'GCS_SECRET'],
    ]);
    const s3WithR2Key = `CREATE SECRET (TYPE s3, KEY_ID '${r2Id}', ENDPOINT 'x.r2.cloudflarestorage.com');`;
    assert.equal(detectCredentials(s3WithR2Key, 'sql')[0]?.provider, 'r2');
  });

  it('uses the env names the settings give', () => {
    const secret = f.r2Secret();
    const [finding] = detectCredentials(`SECRET '${secret}'`, 'sql', { envNames: { secretKey: 'LAKE_R2_SECRET' } });
    assert.equal(finding?.envVar, 'LAKE_R2_SECRET');
  });

  it('suppresses findings on a line with `duckdb-secrets: ignore` and on the line after it', () => {
    const [a, b, c] = [f.r2Secret(), f.r2Secret(), f.r2Secret()];
    const text = `SELECT '${a}' AS x, SECRET '${a}'; -- duckdb-secrets: ignore\n-- duckdb-secrets:ignore\nCREATE SECRET (TYPE r2, SECRET '${b}');\n\nCREATE SECRET (TYPE r2, SECRET '${c}');\n`;
    const findings = detectCredentials(text, 'sql');
    assert.deepEqual(findings.map((x) => x.range.start.line), [4]);
  });

  it('never puts the value, or a piece of it, in a message', () => {
    const values = [f.r2KeyId(), f.r2Secret(), f.awsKeyId(), f.awsSecret(), f.motherDuckToken(), f.password()];
    const text = values.map((v, i) => [`KEY_ID '${v}'`, `SECRET '${v}'`, `SET s3_secret_access_key='${v}'`, `AKIA`, `TOKEN '${v}' -- motherduck`, `ATTACH 'postgres://u:${v}@h/db'`][i]).join('\n');
    const findings = detectCredentials(text, 'sql');
    assert.ok(findings.length >= 5);
    for (const finding of findings) {
      for (const value of values) {
        for (let i = 0; i + 6 <= value.length; i++) assert.ok(!finding.message.includes(value.slice(i, i + 6)), finding.message);
      }
    }
  });
});
