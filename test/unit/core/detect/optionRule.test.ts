import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** Each finding as [kind, provider, rule, the key as written, the value as written, message]. */
function found(text: string, kind: FileKind): (string | undefined)[][] {
  return detectCredentials(text, kind).map((x) => [x.kind, x.provider, x.rule, x.contextKey, text.slice(x.start, x.end), x.message]);
}

describe('detect: a key name, a separator, a value', () => {
  const f = new CredentialFixtures(5151);

  it('reads the whole key name: letters of both cases, digits, `_`, `-` and `.`', () => {
    const [azure, hex] = [f.azureAccountKey(), f.r2Secret()];
    const text = `AZURE_STORAGE_KEY=${azure}\nazure_secret=${hex}\nBACKUP0_SECRET_KEY=${hex}\nB9_SECRET_KEY=${hex}\nspark.hadoop.fs.s3a.secret.key=${hex}\n`;
    assert.deepEqual(
      detectCredentials(text, 'text').map((x) => [x.provider, x.contextKey, x.message]),
      [
        ['azure', 'AZURE_STORAGE_KEY', 'Azure storage account key hardcoded in AZURE_STORAGE_KEY=…'],
        ['r2', 'azure_secret', 'R2 secret access key hardcoded in azure_secret=…'],
        ['r2', 'BACKUP0_SECRET_KEY', 'R2 secret access key hardcoded in BACKUP0_SECRET_KEY=…'],
        ['r2', 'B9_SECRET_KEY', 'R2 secret access key hardcoded in B9_SECRET_KEY=…'],
        ['r2', 'spark.hadoop.fs.s3a.secret.key', 'R2 secret access key hardcoded in spark.hadoop.fs.s3a.secret.key=…'],
      ],
    );
  });

  it('drops the dashes of a flag, the underscores before a name and the dot that ends a sentence', () => {
    const value = `${f.r2KeyId().slice(0, 20)}Xy`;
    const text = `rclone copy --s3-secret-access-key ${value} src dst\n`;
    assert.deepEqual(found(text, 'shell'), [['secret', 'unknown', 'option', 's3-secret-access-key', value, 'Secret access key hardcoded in s3-secret-access-key …']]);
    assert.deepEqual(
      detectCredentials(`_r2_secret = "${f.r2Secret()}"\n`, 'python').map((x) => [x.contextKey, x.message]),
      [['r2_secret', 'R2 secret access key hardcoded in r2_secret="…"']],
    );
    assert.deepEqual(found(`It is checked against the secret. ${f.r2Secret()} is its checksum.\n`, 'markdown'), []);
  });

  it('ignores a key name longer than 100 characters', () => {
    const hex = f.r2Secret();
    const name = (length: number) => `R2${'_'.repeat(length - 12)}SECRET_KEY`;
    assert.equal(found(`${name(100)}=${hex}\n`, 'env').length, 1);
    assert.deepEqual(found(`${name(101)}=${hex}\n`, 'env'), []);
  });

  it('knows `=>`, `==`, `:=`, SQL TO and blanks as separators, and `::` as none', () => {
    const [hex, aws] = [f.r2Secret(), f.awsSecret()];
    const text = `$h = { 'secret' => '${hex}' };\nif secret == "${hex}": pass\nsecret := "${hex}"\nlet cost = auth::password::Argon2::DEFAULT_COST;\n`;
    assert.deepEqual(
      detectCredentials(text, 'text').map((x) => [x.range.start.line, x.message]),
      [
        [0, "R2 secret access key hardcoded in secret => '…'"],
        [1, 'R2 secret access key hardcoded in secret == "…"'],
        [2, 'R2 secret access key hardcoded in secret := "…"'],
      ],
    );
    const set = `SET s3_secret_access_key TO\t'${aws}';\nSET s3_access_key_id TO ${f.awsKeyId()};\n`;
    assert.deepEqual(
      detectCredentials(set, 'sql').map((x) => [x.kind, x.range.start.line, x.message.replace(/ \(legacy.*/, '')]),
      [
        ['legacy_set', 0, "AWS secret access key hardcoded in SET s3_secret_access_key TO '…'"],
        ['key_id', 1, 'AWS access key id hardcoded in the text (its AWS key id shape)'],
      ],
      'TO takes a quoted value only (the bare key id is found by its shape alone)',
    );
  });

  it('reads a fallback after a lookup: `||`, `??`, Python `or`', () => {
    const hex = f.r2Secret();
    assert.equal(found(`k = os.getenv("R2_SECRET_KEY") or\t"${hex}"\n`, 'python')[0]?.[5], 'R2 secret access key hardcoded as the fallback of R2_SECRET_KEY or "…"');
    const js = `const k = process.env.R2_SECRET_KEY || "${hex}";\nconst j = process.env.R2_SECRET_KEY ?? "${hex}";\n`;
    assert.deepEqual(
      detectCredentials(js, 'text').map((x) => x.message),
      [
        'R2 secret access key hardcoded as the fallback of process.env.R2_SECRET_KEY || "…"',
        'R2 secret access key hardcoded as the fallback of process.env.R2_SECRET_KEY ?? "…"',
      ],
    );
    const py = `k = os.environ.get("R2_SECRET_KEY") or "${hex}"\nif os.getenv("R2_SECRET_KEY") == "${hex}": pass\nsettings["secret"] = "${hex}"\n`;
    assert.deepEqual(
      detectCredentials(py, 'python').map((x) => [x.range.start.line, x.message]),
      [
        [0, 'R2 secret access key hardcoded as the fallback of R2_SECRET_KEY or "…"'],
        [2, 'R2 secret access key hardcoded in secret="…"'],
      ],
      'a call compared with a value is no assignment; an item assigned is',
    );
  });

  it('reads a key in backticks, bold or italics in Markdown prose', () => {
    const hex = f.r2Secret();
    for (const [open, close] of [
      ['`', '`'],
      ['**', '**'],
      ['__', '__'],
      ['*', '*'],
    ]) {
      const text = `Set ${open}R2_SECRET_KEY${close}: ${hex}\n`;
      assert.deepEqual(found(text, 'markdown'), [['secret', 'r2', 'option', 'R2_SECRET_KEY', hex, 'R2 secret access key hardcoded in R2_SECRET_KEY: …']], text);
    }
    assert.deepEqual(found(`x = a*R2_SECRET_KEY* ${hex}\n`, 'python'), [], 'a product in code is no emphasis');
  });

  it('reads shell defaults `${X:-…}` and `${X:=…}` only when closed', () => {
    const hex = f.r2Secret();
    const text = `a=\${R2_SECRET_KEY:=${hex}}\nb=\${R2_SECRET_KEY:-${hex}\nc=\${R2_SECRET_KEY:-}\nd=\${DB_PASSWORD:-correcthorse}\n`;
    assert.deepEqual(
      detectCredentials(text, 'shell').map((x) => [x.kind, x.rule, x.range.start.line, x.message]),
      [
        ['secret', 'env-default', 0, 'R2 secret access key hardcoded as the default of ${R2_SECRET_KEY:-…}'],
        ['password', 'env-default', 3, 'Password hardcoded as the default of ${DB_PASSWORD:-…}'],
      ],
    );
    assert.deepEqual(found('Run with `${DB_PASSWORD:-correcthorse}` set.\n', 'markdown'), [], 'bare in prose: a password needs a digit or a symbol');
  });

  it('reads Python annotations, string prefixes, and the `r"…"` of plain text', () => {
    const hex = f.r2Secret();
    const py = `secret: str = "${hex}"\nsecret_key: str | None = "${hex}"\ntoken: Optional[str] = None\nr2_secret = rb'${hex}'\n`;
    assert.deepEqual(
      detectCredentials(py, 'python').map((x) => [x.range.start.line, x.quote, x.message]),
      [
        [0, '"', 'R2 secret access key hardcoded in secret: "…"'],
        [1, '"', 'R2 secret access key hardcoded in secret_key: "…"'],
        [3, "'", "R2 secret access key hardcoded in r2_secret='…'"],
      ],
    );
    const yaml = `signing_secret: v1=${hex}\n`;
    assert.deepEqual(found(yaml, 'yaml').map((x) => x[4]), [`v1=${hex}`], 'an annotation is Python only: in YAML the whole value');
    assert.deepEqual(found(`SECRET = r"${hex}"\n`, 'text'), [['secret', 'r2', 'option', 'SECRET', hex, 'R2 secret access key hardcoded in SECRET="…"']]);
  });

  it('takes an argument of a set command or a flag in shell, .env and text, as any value that looks random', () => {
    const value = `${f.r2KeyId().slice(0, 20)}Xy`;
    for (const kind of ['shell', 'env', 'text'] as const) {
      const text = `set -gx R2_SECRET_KEY ${value}\n`;
      assert.deepEqual(found(text, kind), [['secret', 'r2', 'option', 'R2_SECRET_KEY', value, 'R2 secret access key hardcoded in R2_SECRET_KEY …']], kind);
    }
    assert.deepEqual(found(`echo R2_SECRET_KEY ${value}\n`, 'shell'), [], 'no command that sets it');
    assert.deepEqual(found(`-- set -gx R2_SECRET_KEY ${value}\n`, 'sql'), [], 'no shell in SQL');
  });

  it('takes a bare value without a digit in a code file for a name, in a comment too', () => {
    const letters = f.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 40);
    assert.deepEqual(found(`# aws_secret_access_key=${letters}\nretries = 3\n`, 'python'), []);
    assert.equal(found(`# aws_secret_access_key=${letters}\n`, 'env').length, 1, 'a .env value is bare by nature');
  });

  it('takes no bare variable in code as a password, except in a comment', () => {
    const text = `psycopg2.connect(host=h, password=db_password)\nconfig = {"password": db_pass2}\n# password=hunterx\n`;
    assert.deepEqual(
      detectCredentials(text, 'python').map((x) => [x.kind, x.range.start.line, x.message]),
      [['password', 2, 'Password hardcoded in password=…']],
    );
  });

  it('reads a MotherDuck token in a connection string, and no other query parameter as one', () => {
    const [a, b] = [f.motherDuckToken(), f.motherDuckToken()];
    const text = `md:my_db?motherduck_token=${a}\nmd:?x=1&motherduck_token=${b}\npostgres://h/db?sslmode=require&password=Tundra7Copper\n`;
    assert.deepEqual(
      detectCredentials(text, 'text').map((x) => [x.kind, x.provider, x.message]),
      [
        ['password', 'motherduck', 'MotherDuck token hardcoded in a MotherDuck connection string (motherduck_token=…)'],
        ['password', 'motherduck', 'MotherDuck token hardcoded in a MotherDuck connection string (motherduck_token=…)'],
        ['password', 'unknown', 'Password hardcoded in password=…'],
      ],
    );
  });
});
