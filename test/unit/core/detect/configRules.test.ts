import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** [kind, value, quote, envVar] of each finding, the value read back from the text by its offsets. */
function summary(text: string, kind: FileKind): [string, string, string, string | undefined][] {
  return detectCredentials(text, kind).map((x) => [x.kind, text.slice(x.start, x.end), x.quote, x.envVar]);
}

describe('detect: .env, YAML and shell', () => {
  const f = new CredentialFixtures(202);

  it('.env: bare, quoted and exported values; comments and the account id are no findings', () => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    const text = `# R2\nCLOUDFLARE_ACCOUNT_ID=${account}\nexport R2_ACCESS_KEY_ID=${id} # from the dashboard\nR2_SECRET_KEY="${secret}"\nDUCKLAKE_NAME=lake\n`;
    assert.deepEqual(summary(text, 'env'), [
      ['key_id', id, '', 'R2_ACCESS_KEY_ID'],
      ['secret', secret, '"', 'R2_SECRET_KEY'],
    ]);
    const [first] = detectCredentials(text, 'env');
    assert.equal(first?.message, 'R2 access key id hardcoded in R2_ACCESS_KEY_ID=…');
    assert.deepEqual(first?.range.start, { line: 2, character: 24 });
  });

  it('.env: AWS keys, a session token and a MotherDuck token', () => {
    const [id, secret, token, md] = [f.awsKeyId('ASIA'), f.awsSecret(), f.awsSessionToken(), f.motherDuckToken()];
    const text = `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\nAWS_SESSION_TOKEN=${token}\nMOTHERDUCK_TOKEN=${md}\n`;
    assert.deepEqual(summary(text, 'env'), [
      ['key_id', id, '', 'AWS_ACCESS_KEY_ID'],
      ['secret', secret, '', 'AWS_SECRET_ACCESS_KEY'],
      ['session_token', token, '', 'AWS_SESSION_TOKEN'],
      ['motherduck_token', md, '', 'MOTHERDUCK_TOKEN'],
    ]);
  });

  it('.env: references, placeholders, empty and masked values are no findings', () => {
    const text = 'R2_ACCESS_KEY_ID=\nR2_SECRET_KEY=${VAULT_SECRET}\nAWS_SECRET_ACCESS_KEY=$R2_SECRET_KEY\nMOTHERDUCK_TOKEN=<token>\nAWS_ACCESS_KEY_ID=AKIA****************\nPGPASSWORD=changeme\n';
    assert.deepEqual(summary(text, 'env'), []);
  });

  it('dbt profiles: settings s3_… are legacy_set, secrets entries are key_id/secret, env_var() is none', () => {
    const [id, secret, id2, secret2] = [f.r2KeyId(), f.r2Secret(), f.r2KeyId(), f.r2Secret()];
    const text = [
      'lake:',
      '  outputs:',
      '    dev:',
      '      settings:',
      `        s3_access_key_id: ${id}`,
      `        s3_secret_access_key: "${secret}"`,
      `        s3_region: "{{ env_var('R2_REGION') }}"`,
      '      secrets:',
      '        - type: r2',
      `          key_id: '${id2}'`,
      `          secret: ${secret2}`,
      `          account_id: "{{ env_var('CLOUDFLARE_ACCOUNT_ID') }}"`,
      '',
    ].join('\n');
    assert.deepEqual(summary(text, 'dbt-profiles'), [
      ['legacy_set', id, '', 'R2_ACCESS_KEY_ID'],
      ['legacy_set', secret, '"', 'R2_SECRET_KEY'],
      ['key_id', id2, "'", 'R2_ACCESS_KEY_ID'],
      ['secret', secret2, '', 'R2_SECRET_KEY'],
    ]);
  });

  it('YAML: a MotherDuck path with a token is a password finding; md: alone and a token key outside MotherDuck are none', () => {
    const token = f.motherDuckToken();
    const text = `      path: "md:analytics?motherduck_token=${token}"\n      other: "md:analytics"\n`;
    const [finding] = detectCredentials(text, 'dbt-profiles');
    assert.deepEqual([finding?.kind, finding?.provider, finding?.envVar, text.slice(finding?.start, finding?.end)], ['password', 'motherduck', 'MOTHERDUCK_TOKEN', token]);
    assert.equal(finding?.message, 'MotherDuck token hardcoded in a MotherDuck connection string (motherduck_token=…)');
    assert.deepEqual(detectCredentials(`api:\n  token: ${f.otherJwt()}\n`, 'yaml'), []);
  });

  it('YAML: a plain `token` key holds a MotherDuck token where MotherDuck is mentioned', () => {
    const token = f.motherDuckToken();
    assert.deepEqual(summary(`# motherduck\ntoken: ${token}\n`, 'yaml'), [['motherduck_token', token, '', 'MOTHERDUCK_TOKEN']]);
  });

  it('shell: export, fish set -gx, aws configure set, --flags, ${X:-default}, inline env', () => {
    const [a, b, c, d, e, g] = [f.awsKeyId(), f.awsSecret(), f.r2Secret(), f.r2Secret(), f.r2Secret(), f.r2KeyId()];
    const text = [
      `export AWS_ACCESS_KEY_ID=${a}`,
      `aws configure set aws_secret_access_key ${b}`,
      `set -gx R2_SECRET_KEY ${c}`,
      `rclone ls r2: --s3-secret-access-key ${d} --s3-access-key-id=${g}`,
      `R2_SECRET_KEY="\${R2_SECRET_KEY:-${e}}" dbt run`,
      '',
    ].join('\n');
    assert.deepEqual(
      detectCredentials(text, 'shell').map((x) => [x.kind, text.slice(x.start, x.end), x.rule]),
      [
        ['key_id', a, 'option'],
        ['secret', b, 'option'],
        ['secret', c, 'option'],
        ['secret', d, 'option'],
        ['key_id', g, 'option'],
        ['secret', e, 'env-default'],
      ],
    );
  });

  it('shell: command substitution, variables and prompts are no findings', () => {
    const text = 'export R2_SECRET_KEY=$(pass show r2)\nexport AWS_SECRET_ACCESS_KEY="$R2_SECRET_KEY"\nread -rs R2_SECRET_KEY\nexport R2_ACCESS_KEY_ID=`vault read -field=id r2`\n';
    assert.deepEqual(summary(text, 'shell'), []);
  });
});
