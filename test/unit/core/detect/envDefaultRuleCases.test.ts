import * as assert from 'node:assert/strict';
import type { Candidate } from '../../../../src/core/detect/candidate';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import { envDefaultCandidates } from '../../../../src/core/detect/envDefaultRule';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { plainSegment } from '../../../../src/core/detect/segments';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** [kind, provider, value, message] of each finding. */
function found(text: string, kind: FileKind = 'python'): [string, string, string, string][] {
  return detectCredentials(text, kind).map((x) => [x.kind, x.provider, text.slice(x.start, x.end), x.message]);
}

describe('detect: defaults of lookups and values of setters (env-default rule)', () => {
  const f = new CredentialFixtures(1604);

  it('hands the judge the default with its literal, the name as written and normalized', () => {
    const secret = f.r2Secret();
    const text = `KEY = os.getenv("R2_SECRET_KEY", '${secret}')\n`;
    const start = text.indexOf(secret);
    const expected: Candidate = {
      role: 'secret',
      provider: 'r2',
      valueStart: start,
      valueEnd: start + secret.length,
      literalStart: start - 1,
      literalEnd: start + secret.length + 1,
      quote: "'",
      bare: false,
      bareCode: false,
      rule: 'env-default',
      contextKey: 'R2_SECRET_KEY',
      keyNormalized: 'r2secretkey',
      where: 'as the default of getenv("R2_SECRET_KEY", \'…\')',
    };
    assert.deepEqual(envDefaultCandidates(plainSegment(text, 'python', false)), [expected]);
    assert.deepEqual(envDefaultCandidates(plainSegment('print(os.getenv("HOME"))\n', 'python', false)), []);
  });

  it('lookups say "as the default of", setters say "in"', () => {
    const [a, b, c, d] = [f.r2Secret(), f.awsSecret(), f.r2Secret(), f.awsSecret()];
    const text = [
      `KEY = os.getenv("R2_SECRET_KEY", "${a}")`,
      `os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "${b}")`,
      `spark.conf.set(\n    "fs.s3a.secret.key",\n    "${c}",\n)`,
      `m.put('aws_secret_access_key', '${d}')`,
      '',
    ].join('\n');
    assert.deepEqual(found(text), [
      ['secret', 'r2', a, 'R2 secret access key hardcoded as the default of getenv("R2_SECRET_KEY", "…")'],
      ['secret', 'aws', b, 'AWS secret access key hardcoded in setdefault("AWS_SECRET_ACCESS_KEY", "…")'],
      ['secret', 'r2', c, 'R2 secret access key hardcoded in set("fs.s3a.secret.key", "…")'],
      ['secret', 'aws', d, "AWS secret access key hardcoded in put('aws_secret_access_key', '…')"],
    ]);
  });

  it('keyword defaults (`default=`, `default_var =`) and blanks around them', () => {
    const [a, b] = [f.r2Secret(), f.r2Secret()];
    const text = `a = os.environ.get('R2_SECRET_KEY', default = '${a}')\nb = Variable.get('R2_SECRET_KEY', default_var='${b}')\n`;
    assert.deepEqual(
      found(text).map(([kind, , value]) => [kind, value]),
      [
        ['secret', a],
        ['secret', b],
      ],
    );
  });

  it('Python string prefixes: a raw default is read, an f-string with a {…} part is code', () => {
    const [secret, pw] = [f.r2Secret(), f.password()];
    const text = `a = os.getenv("R2_SECRET_KEY", r"${secret}")\nb = os.getenv("DB_PASSWORD", f"{ user }-${pw}")\nc = os.getenv("DB_PASSWORD", f"${pw}")\n`;
    assert.deepEqual(found(text), [
      ['secret', 'r2', secret, 'R2 secret access key hardcoded as the default of getenv("R2_SECRET_KEY", "…")'],
      ['password', 'unknown', pw, 'Password hardcoded as the default of getenv("DB_PASSWORD", "…")'],
    ]);
  });

  it('a name built in an f-string or written raw still names the default', () => {
    const [a, b] = [f.r2Secret(), f.awsSecret()];
    const text = `a = os.getenv(f"{STAGE}_R2_SECRET_KEY", "${a}")\nb = os.environ.get(r'AWS_SECRET_ACCESS_KEY', '${b}')\n`;
    assert.deepEqual(found(text), [
      ['secret', 'r2', a, 'R2 secret access key hardcoded as the default of getenv("{STAGE}_R2_SECRET_KEY", "…")'],
      ['secret', 'aws', b, "AWS secret access key hardcoded as the default of get('AWS_SECRET_ACCESS_KEY', '…')"],
    ]);
  });

  it("the name's context: legacy settings, the provider, and a plain token only as a MotherDuck JWT", () => {
    const [secret, gcs, loose, md] = [f.r2Secret(), f.gcsSecret(), f.awsSecret(), f.motherDuckToken()];
    assert.deepEqual(found(`a = config.get('s3_secret_access_key', '${secret}')\n`), [
      ['legacy_set', 'r2', secret, "R2 secret access key hardcoded as the default of get('s3_secret_access_key', '…') (legacy S3 setting; use a secret made from a credential profile)"],
    ]);
    assert.deepEqual(found(`a = os.getenv("GCS_SECRET", "${gcs}")\n`), [['secret', 'gcs', gcs, 'GCS HMAC secret hardcoded as the default of getenv("GCS_SECRET", "…")']]);
    assert.deepEqual(found(`b = os.getenv("MD_ACCESS_TOKEN", "${loose}")\n`), []);
    assert.deepEqual(found(`c = os.getenv("TOKEN", "${md}")\n`), [['motherduck_token', 'motherduck', md, 'MotherDuck token hardcoded as the default of getenv("TOKEN", "…")']]);
  });

  it('no default, a variable as default, or a name that is no credential: nothing', () => {
    const secret = f.r2Secret();
    assert.deepEqual(found(`a = os.getenv("R2_SECRET_KEY", fallback)\nb = os.getenv("R2_SECRET_KEY")\nc = os.getenv("HOME", "${secret}")\n`), []);
  });

  it('arguments on their own lines are read, but not past 200 blanks', () => {
    const secret = f.r2Secret();
    const call = (gap: string): string => `a = os.getenv(${gap}"R2_SECRET_KEY",${gap}"${secret}")\n`;
    assert.deepEqual(found(call(`\n${' '.repeat(199)}`)).map(([, , value]) => value), [secret]);
    assert.deepEqual(found(call(' '.repeat(201))), []);
  });
});
