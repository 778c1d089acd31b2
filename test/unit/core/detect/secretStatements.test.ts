import * as assert from 'node:assert/strict';
import { detectCredentials, secretStatementsIn } from '../../../../src/core/detect/detectCredentials';
import type { SecretStatement } from '../../../../src/core/detect/finding';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** The one statement of `text`, failing when there is none or more. */
function only(text: string): SecretStatement {
  const statements = secretStatementsIn(text, 'sql');
  assert.equal(statements.length, 1, `one statement in ${JSON.stringify(text.slice(0, 80))}`);
  return statements[0] as SecretStatement;
}

/** Each field as [name, text, value as written, literal as written]. */
function fieldsOf(text: string, statement: SecretStatement): (string | undefined)[][] {
  return statement.fields.map((f) => [f.name, f.text, text.slice(f.value.start, f.value.end), text.slice(f.literal.start, f.literal.end)]);
}

describe('detect: CREATE SECRET statements', () => {
  const f = new CredentialFixtures(4242);

  it('reads bare, quoted, called and bracketed values, keeping the text of non-credential fields', () => {
    const text = `CREATE SECRET if_pg (TYPE postgres, HOST 'db', PORT 5432, REGION 1a, SCOPE list_value('a', 'b'), PASSWORD 'pw', MODE map)`;
    assert.deepEqual(fieldsOf(text, only(text)), [
      ['TYPE', 'postgres', 'postgres', 'postgres'],
      ['HOST', 'db', 'db', "'db'"],
      ['PORT', '5432', '5432', '5432'],
      ['REGION', '1a', '1a', '1a'],
      ['SCOPE', 'list_value', 'list_value', "list_value('a', 'b')"],
      ['PASSWORD', undefined, 'pw', "'pw'"],
      ['MODE', 'map', 'map', 'map'],
    ]);
    assert.equal(only(text).name, 'if_pg', 'IF only as a word of its own');
  });

  it("keeps a doubled quote inside a value and reads '' as an empty value", () => {
    const text = `CREATE SECRET (SCOPE 's3://it''s', REGION '', ENDPOINT "a""b")`;
    assert.deepEqual(fieldsOf(text, only(text)), [
      ['SCOPE', "s3://it''s", "s3://it''s", "'s3://it''s'"],
      ['REGION', '', '', "''"],
      ['ENDPOINT', 'a""b', 'a""b', '"a""b"'],
    ]);
  });

  it('skips lists, tuples, maps and Jinja expressions as values, brackets and quotes nested', () => {
    const id = f.r2KeyId();
    const text =
      `CREATE SECRET (\n  TYPE r2,\n  SCOPE ['r2://a)]', ["r2://b']"]],\n  CHAIN ('env', 'config'),\n` +
      `  EXTRA_HTTP_HEADERS MAP {'Authorization': 'Bearer {x}'},\n  SECRET {{ env_var("R2_SECRET_KEY") }},\n  KEY_ID '${id}'\n);`;
    const statement = only(text);
    assert.deepEqual(fieldsOf(text, statement), [
      ['TYPE', 'r2', 'r2', 'r2'],
      ['KEY_ID', undefined, id, `'${id}'`],
    ]);
    assert.equal(text.slice(statement.range.start, statement.range.end), text);
  });

  it('reads `--` comments between fields, also one that ends the text', () => {
    const text = `CREATE SECRET (\n  TYPE r2, -- the bucket's\n  -- REGION 'x',\n  REGION 'auto' -- last\n);`;
    assert.deepEqual(fieldsOf(text, only(text)), [
      ['TYPE', 'r2', 'r2', 'r2'],
      ['REGION', 'auto', 'auto', "'auto'"],
    ]);
    // Cut off by a comment that runs to the end: nothing to read, and nothing earlier read instead.
    assert.deepEqual(secretStatementsIn(`x (TYPE r2);\nCREATE SECRET -- unfinished`, 'sql'), []);
  });

  it('reads the name (bare or quoted), storage, persistence and OR REPLACE', () => {
    const text =
      `CREATE TEMPORARY SECRET a (TYPE aws);\nCREATE TEMP SECRET "my lake" (TYPE gcp);\n` +
      `create or replace persistent secret if not exists b in MotherDuck (type S3);\nCREATE SECRET c IN (TYPE r2);\nCREATE SECRET (TYPE r2);`;
    const statements = secretStatementsIn(text, 'sql');
    assert.deepEqual(
      statements.map((s) => [s.name, s.storage, s.persistence, s.orReplace, s.type, s.provider]),
      [
        ['a', undefined, 'temporary', false, 'aws', 'aws'],
        ['my lake', undefined, 'temporary', false, 'gcp', 'gcs'],
        ['b', 'motherduck', 'persistent', true, 's3', 'aws'],
        ['c', undefined, undefined, false, 'r2', 'r2'],
        [undefined, undefined, undefined, false, 'r2', 'r2'],
      ],
    );
  });

  it('takes TYPE wherever it stands, and the provider from an R2 endpoint', () => {
    assert.deepEqual([only(`CREATE SECRET (KEY_ID 'k', TYPE R2)`).type, only(`CREATE SECRET (KEY_ID 'k', TYPE R2)`).provider], ['r2', 'r2']);
    const endpoint = `CREATE SECRET (TYPE s3, ENDPOINT 'acct.R2.cloudflarestorage.com')`;
    assert.deepEqual([only(endpoint).type, only(endpoint).provider], ['s3', 'r2']);
    assert.equal(only(`CREATE SECRET (TYPE s3, REGION 'r2.cloudflarestorage.com')`).provider, 'aws', 'only the endpoint names R2');
    const untyped = only(`CREATE SECRET (KEY_ID 'k', ENDPOINT 'minio.local')`);
    assert.deepEqual([untyped.type, untyped.provider], [undefined, 'unknown']);
    assert.deepEqual([only(`CREATE SECRET empty ()`).fields, only(`CREATE SECRET empty ()`).provider], [[], 'unknown']);
  });

  it('ends a statement at its `;`, or at its parenthesis when none follows', () => {
    const text = `CREATE SECRET (TYPE r2)\nSELECT 1;\nCREATE SECRET (TYPE r2)  ;\n`;
    assert.deepEqual(
      secretStatementsIn(text, 'sql').map((s) => text.slice(s.range.start, s.range.end)),
      ['CREATE SECRET (TYPE r2)', 'CREATE SECRET (TYPE r2)  ;'],
    );
  });

  it('is no statement when malformed: no parenthesis, a field without name, value or comma, an open call', () => {
    for (const text of [
      `CREATE SECRET lake\n  TYPE r2, KEY_ID 'x');`,
      `CREATE SECRET (TYPE r2, 'x')`,
      `CREATE SECRET (TYPE, KEY_ID 'x')`,
      `CREATE SECRET (TYPE r2 KEY_ID 'x')`,
      `CREATE SECRET (TYPE r2, SCOPE list_value('a', 'b')`,
      `CREATE SECRET (TYPE r2, SCOPE ['a', 'b')`,
      `CREATE SECRET (TYPE r2, SCOPE ['a, 'b'])`,
      `CREATE SECRET (TYPE r2, KEY_ID 'x`,
      `CREATE SECRET (TYPE r2, HEADERS MAP {'a': 'b')`,
      `CREATE SECRET (TYPE r2, HEADERS NOT_A_MAP {'a': 'b'})`,
      `CREATE SECRET IF EXISTS x (TYPE r2)`,
      `CREATE SECRET IF NOT x (TYPE r2)`,
      `CREATE SECRET 'x' (TYPE r2)`,
      `CREATE SECRET "x (TYPE r2)`,
      `CREATE SECRET x INTO (TYPE r2)`,
      `CREATE SECRET (TYPE r2, SCOPE ['a)`,
      `CREATE SECRET (TYPE r2, SCOPE ("a)`,
    ]) {
      assert.deepEqual(secretStatementsIn(text, 'sql'), [], text);
    }
  });

  it('reads at most 8000 characters of a statement', () => {
    // `CREATE SECRET (` is 15 characters: blanks up to offset 7999, then `TYPE=r2` (a bare value) at 8000.
    assert.equal(only(`CREATE SECRET (${' '.repeat(8000 - 15)}TYPE=r2);`).fields[0]?.text, '=r2');
    assert.deepEqual(secretStatementsIn(`CREATE SECRET (${' '.repeat(8000 - 14)}TYPE=r2);`, 'sql'), [], 'a blank at 8000');
    // The value's closing quote or bracket at 7999 is read, at 8000 it is not.
    assert.equal(only(`CREATE SECRET (TYPE r2, SCOPE '${'a'.repeat(8000 - 32)}')`).fields.length, 2);
    assert.equal(only(`CREATE SECRET (TYPE r2, SCOPE [${'a'.repeat(8000 - 32)}])`).fields.length, 1);
    assert.deepEqual(secretStatementsIn(`CREATE SECRET (TYPE r2, SCOPE '${'a'.repeat(8000 - 31)}')`, 'sql'), []);
    assert.deepEqual(secretStatementsIn(`CREATE SECRET (TYPE r2, SCOPE [${'a'.repeat(8000 - 31)}])`, 'sql'), []);
    assert.deepEqual(secretStatementsIn(`CREATE SECRET (TYPE r2, SCOPE [${'a'.repeat(8000 - 31)})`, 'sql'), [], 'a list left open');
  });
});

describe('detect: fields of a CREATE SECRET with the value on another line', () => {
  const f = new CredentialFixtures(4343);
  /** `CREATE SECRET (…)` with `field` alone on its line and its value quoted on the next. */
  const statement = (head: string, field: string, value: string): string => `CREATE SECRET (\n  ${head}${field}\n    '${value}'\n);`;
  const found = (text: string, kind: 'sql' | 'markdown' = 'sql', accountIdHints = false) =>
    detectCredentials(text, kind, { accountIdHints }).map((x) => [x.kind, x.provider, x.rule, x.quote, text.slice(x.start, x.end)]);

  it('gives the account id as a hint in an R2 or untyped statement, never in another type', () => {
    const account = f.accountId();
    assert.deepEqual(found(statement('TYPE r2,\n  ', 'ACCOUNT_ID', account), 'sql', true), [['account_id', 'r2', 'statement', "'", account]]);
    assert.deepEqual(found(statement('', 'ACCOUNT_ID', account), 'sql', true), [['account_id', 'r2', 'statement', "'", account]]);
    assert.deepEqual(found(statement('TYPE s3,\n  ', 'ACCOUNT_ID', account), 'sql', true), []);
    assert.deepEqual(found(statement('TYPE r2,\n  ', 'ACCOUNT_ID', account)), [], 'a hint only when asked');
  });

  it("takes the provider from TYPE, else from the value's shape", () => {
    const secret = f.gcsSecret();
    assert.deepEqual(found(statement('TYPE gcs,\n  ', 'SECRET', secret)), [['secret', 'gcs', 'statement', "'", secret]]);
    assert.deepEqual(found(statement('', 'SECRET', secret)), [['secret', 'aws', 'statement', "'", secret]]);
    const id = f.awsKeyId();
    assert.deepEqual(found(statement('', 'KEY_ID', id)), [['key_id', 'aws', 'statement', "'", id]]);
    // A key naming its provider does not override the statement's TYPE.
    assert.deepEqual(found(statement('TYPE gcs,\n  ', 'AWS_SECRET_ACCESS_KEY', secret)), [['secret', 'gcs', 'statement', "'", secret]]);
    assert.deepEqual(found(statement('', 'R2_SECRET', secret)), [['secret', 'r2', 'statement', "'", secret]], 'else the key does');
    const message = detectCredentials(statement('TYPE gcs,\n  ', 'SECRET', secret), 'sql')[0]?.message;
    assert.equal(message, "GCS HMAC secret hardcoded in SECRET '…'");
  });

  it('takes a plain TOKEN as a MotherDuck token only in a MotherDuck statement or for a MotherDuck JWT', () => {
    const [jwt, mdJwt, random] = [f.otherJwt(), f.motherDuckToken(), f.awsSecret()];
    assert.deepEqual(found(statement('TYPE huggingface,\n  ', 'TOKEN', jwt)), []);
    assert.deepEqual(found(statement('TYPE huggingface,\n  ', 'TOKEN', mdJwt)), [['motherduck_token', 'motherduck', 'statement', "'", mdJwt]]);
    assert.deepEqual(found(statement('TYPE motherduck,\n  ', 'TOKEN', random)), [['motherduck_token', 'motherduck', 'statement', "'", random]]);
  });

  it('judges a quoted password as written in SQL, in a Markdown page too', () => {
    assert.deepEqual(found(statement('TYPE postgres,\n  ', 'PASSWORD', 'correct-horse')), [['password', 'unknown', 'statement', "'", 'correct-horse']]);
    const page = `Connect with:\n\n${statement('TYPE postgres,\n  ', 'PASSWORD', 'correcthorse')}\n`;
    assert.deepEqual(found(page, 'markdown'), [['password', 'unknown', 'statement', "'", 'correcthorse']]);
  });

  it('takes quoted values only: an unquoted word on the next line is no SQL string', () => {
    const text = `CREATE SECRET (\n  TYPE r2,\n  SECRET\n    ${f.r2Secret()}\n);`;
    assert.deepEqual(found(text), []);
  });
});
