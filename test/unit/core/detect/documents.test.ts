import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import { CredentialFixtures } from '../../../support/credentialFixtures';
import { notebook } from '../../../support/detectCorpusDocs';

describe('detect: Markdown, notebooks and other text', () => {
  const f = new CredentialFixtures(404);

  it('Markdown: each fence in its language, prose and inline code as text, ranges in the file', () => {
    const [id, secret, py, env] = [f.r2KeyId(), f.r2Secret(), f.awsSecret(), f.r2Secret()];
    const text = [
      '# Lake',
      `Run \`SET s3_access_key_id = '${id}'\` first.`,
      '```sql',
      `CREATE SECRET (TYPE r2, SECRET '${secret}');`,
      '```',
      '~~~python',
      `boto3.client("s3", aws_secret_access_key="${py}", aws_access_key_id=key_id_2)`,
      '~~~',
      '```',
      `R2_SECRET_KEY=${env}`,
      '```',
      '',
    ].join('\n');
    const findings = detectCredentials(text, 'markdown');
    assert.deepEqual(
      findings.map((x) => [x.kind, text.slice(x.start, x.end), x.syntax, x.range.start.line]),
      [
        ['legacy_set', id, 'text', 1],
        ['secret', secret, 'sql', 3],
        ['secret', py, 'python', 6],
        ['secret', env, 'text', 9],
      ],
    );
  });

  it('Markdown: placeholders in docs and a password in prose words are no findings', () => {
    const text = "Set `KEY_ID '<your key id>'` and `SECRET '...'`.\nPassword: the one you chose.\n```sql\nCREATE SECRET (TYPE r2, KEY_ID 'your_access_key_id', SECRET 'xxxx');\n```\n";
    assert.deepEqual(detectCredentials(text, 'markdown'), []);
  });

  it('notebook: cells decoded from JSON, ranges mapped back through the escapes', () => {
    const [id, secret, md] = [f.r2KeyId(), f.r2Secret(), f.awsKeyId()];
    const text = notebook([
      { type: 'markdown', source: `Ask for ${md} in "Slack".\n` },
      { type: 'code', source: `con.sql("CREATE SECRET (TYPE r2, KEY_ID '${id}')")\nconfig = {"aws_secret_access_key": "${secret}"}\n` },
      { type: 'code', source: `%%sql\nSET s3_secret_access_key='${secret}';\n` },
    ]);
    const findings = detectCredentials(text, 'notebook');
    assert.deepEqual(
      findings.map((x) => [x.kind, text.slice(x.start, x.end), x.syntax, x.jsonEscaped]),
      [
        ['key_id', md, 'text', true],
        ['key_id', id, 'python', true],
        ['secret', secret, 'python', true],
        ['legacy_set', secret, 'sql', true],
      ],
    );
    // The literal in the file is the JSON-escaped one: \"…\".
    const third = findings[2];
    assert.equal(third && text.slice(third.literal.start, third.literal.end), `\\"${secret}\\"`);
    const line = text.split('\n').findIndex((l) => l.includes(secret));
    assert.equal(third?.range.start.line, line);
  });

  it('notebook: an ignore comment in a cell suppresses the next line there', () => {
    const secret = f.r2Secret();
    const text = notebook([{ type: 'code', source: `# duckdb-secrets: ignore\nR2_SECRET_KEY = "${secret}"\n` }]);
    assert.deepEqual(detectCredentials(text, 'notebook'), []);
  });

  it('notebook: text that is not JSON is scanned as text', () => {
    const id = f.awsKeyId();
    const [finding] = detectCredentials(`not json yet ${id}`, 'notebook');
    assert.equal(finding?.kind, 'key_id');
  });

  it('other text: INI, HCL, JSON and TypeScript', () => {
    const [a, b, c, d] = [f.r2KeyId(), f.r2Secret(), f.awsKeyId(), f.awsSecret()];
    const ini = `[r2]\naws_access_key_id = ${a}\naws_secret_access_key = ${b}\n`;
    assert.deepEqual(detectCredentials(ini, 'text').map((x) => [x.kind, x.provider]), [
      ['key_id', 'r2'],
      ['secret', 'r2'],
    ]);
    const hcl = `provider "aws" {\n  access_key = "${c}"\n  secret_key = "${d}"\n  token = var.token\n}\n`;
    assert.deepEqual(detectCredentials(hcl, 'text').map((x) => [x.kind, x.provider]), [
      ['key_id', 'aws'],
      ['secret', 'aws'],
    ]);
    const ts = `new S3Client({ credentials: { accessKeyId: '${a}', secretAccessKey: config.secretAccessKey } })`;
    assert.deepEqual(detectCredentials(ts, 'text').map((x) => x.kind), ['key_id']);
  });

  it('shapes alone: AKIA/ASIA, GOOG1, STS tokens, Azure AccountKey; JWTs only where MotherDuck is meant', () => {
    const [aws, gcs, sts, azure, md, other] = [f.awsKeyId('ASIA'), f.gcsHmacId(), f.awsSessionToken(), f.azureAccountKey(), f.motherDuckToken(), f.otherJwt()];
    const text = `log: ${aws} ${gcs}\n# ${sts}\nconn=DefaultEndpointsProtocol=https;AccountKey=${azure};EndpointSuffix=x\n${other}\n`;
    assert.deepEqual(
      detectCredentials(text, 'sql').map((x) => [x.kind, x.provider]),
      [
        ['key_id', 'aws'],
        ['key_id', 'gcs'],
        ['session_token', 'aws'],
        ['secret', 'azure'],
      ],
    );
    // The payload of a MotherDuck token names its issuer; another JWT needs a MotherDuck file.
    assert.deepEqual(detectCredentials(`paste: ${md}`, 'text').map((x) => x.kind), ['motherduck_token']);
    assert.deepEqual(detectCredentials(`paste: ${other}`, 'text'), []);
    assert.deepEqual(detectCredentials(`-- MotherDuck\npaste: ${other}`, 'sql').map((x) => x.kind), ['motherduck_token']);
  });
});
