import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import { CredentialFixtures } from '../../../support/credentialFixtures';

const summary = (text: string): [string, string, string][] => detectCredentials(text, 'python').map((x) => [x.kind, text.slice(x.start, x.end), x.quote]);

describe('detect: Python', () => {
  const f = new CredentialFixtures(303);

  it('keyword arguments and dict entries, with the literal span a reference would replace', () => {
    const [id, secret, id2, secret2] = [f.awsKeyId(), f.awsSecret(), f.r2KeyId(), f.r2Secret()];
    const text = `s3 = boto3.client("s3", aws_access_key_id="${id}", aws_secret_access_key='${secret}')\ncfg = {'s3_access_key_id': '${id2}', "s3_secret_access_key": "${secret2}"}\n`;
    assert.deepEqual(summary(text), [
      ['key_id', id, '"'],
      ['secret', secret, "'"],
      ['legacy_set', id2, "'"],
      ['legacy_set', secret2, '"'],
    ]);
    const [first] = detectCredentials(text, 'python');
    assert.equal(first && text.slice(first.literal.start, first.literal.end), `"${id}"`);
    assert.equal(first?.envVar, 'AWS_ACCESS_KEY_ID');
  });

  it('defaults of os.getenv / os.environ.get, setdefault, Spark conf.set, fallbacks after `or`', () => {
    const [a, b, c, d, e] = [f.r2KeyId(), f.r2Secret(), f.r2Secret(), f.r2Secret(), f.r2Secret()];
    const text = [
      `KEY = os.getenv("R2_ACCESS_KEY_ID", "${a}")`,
      `SECRET = os.environ.get('R2_SECRET_KEY', default='${b}')`,
      `os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "${c}")`,
      `spark.conf.set("fs.s3a.secret.key", "${d}")`,
      `secret = os.environ.get("R2_SECRET_KEY") or "${e}"`,
      '',
    ].join('\n');
    assert.deepEqual(
      detectCredentials(text, 'python').map((x) => [x.kind, text.slice(x.start, x.end), x.rule]),
      [
        ['key_id', a, 'env-default'],
        ['secret', b, 'env-default'],
        ['secret', c, 'env-default'],
        ['secret', d, 'env-default'],
        ['secret', e, 'option'],
      ],
    );
  });

  it('module constants, annotated assignments, os.environ assignment, docstrings and comments', () => {
    const [a, b, c, d, e] = [f.r2KeyId(), f.r2Secret(), f.r2Secret(), f.r2Secret(), f.awsSecret()];
    const text = `R2_ACCESS_KEY_ID = "${a}"\nR2_SECRET_KEY: str = '${b}'\nos.environ["R2_SECRET_KEY"] = "${c}"\n"""\nExample:\n    R2_SECRET_KEY=${d}\n"""\n# aws_secret_access_key = "${e}"\n`;
    assert.deepEqual(
      summary(text).map(([kind, value]) => [kind, value]),
      [
        ['key_id', a],
        ['secret', b],
        ['secret', c],
        ['secret', d],
        ['secret', e],
      ],
    );
  });

  it('connection strings: libpq, SQLAlchemy URL, MotherDuck md:?motherduck_token=', () => {
    const [p1, p2, token] = [f.password(), f.password(), f.motherDuckToken()];
    const text = `a = psycopg2.connect("host=db dbname=dw user=etl password=${p1} sslmode=require")\nb = create_engine("postgresql+psycopg2://etl:${p2}@db:5432/dw")\nc = duckdb.connect("md:my_db?motherduck_token=${token}")\n`;
    const findings = detectCredentials(text, 'python');
    assert.deepEqual(
      findings.map((x) => [x.kind, text.slice(x.start, x.end), x.provider, x.envVar]),
      [
        ['password', p1, 'unknown', undefined],
        ['password', p2, 'unknown', 'PGPASSWORD'],
        ['password', token, 'motherduck', 'MOTHERDUCK_TOKEN'],
      ],
    );
    assert.equal(findings[1]?.message, 'Password hardcoded in a postgresql+psycopg2:// connection string (postgresql+psycopg2://…:…@)');
  });

  it('references, f-string variables, variables and calls are no findings', () => {
    const text = [
      'client = boto3.client("s3", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key=os.getenv("AWS_SECRET_ACCESS_KEY"))',
      `con.sql(f"SET s3_secret_access_key='{secret}'")`,
      `con.sql(f"CREATE SECRET (TYPE r2, KEY_ID '{key_id}', SECRET '{cfg.secret}')")`,
      'password = password',
      'conn = connect(host=h, password=get_password(), user=u)',
      'secret = args.secret',
      'token: Optional[str] = None',
      'def f(secret_key: str = None, password=pw): ...',
      'motherduck_token = os.environ["motherduck_token"]',
      `key_id = "{key_id}".format(key_id=k)`,
      '',
    ].join('\n');
    assert.deepEqual(summary(text), []);
  });

  it('a bare name with digits in code is still judged as a key, never as a password', () => {
    assert.deepEqual(summary('conn = connect(password=pw2)\nsecret = secret_v2\n'), []);
  });
});
