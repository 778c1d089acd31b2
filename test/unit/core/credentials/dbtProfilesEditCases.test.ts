/**
 * addTargetSecret and dbtSecretEntry on the profiles.yml shapes people write by hand (and hostile
 * ones): other indentations, no final newline, odd secrets: values and items, entries that must
 * or must not be replaced. Each edit keeps every line that was there.
 */
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { addTargetSecret, dbtSecretEntry, envVarRef, yamlValue, type DbtSecretEntry } from '../../../../src/core/credentials/dbtProfilesEdit';
import { DEFAULT_ENV_NAMES } from '../../../../src/core/credentials/envImport';
import type { ProfileInfo } from '../../../../src/core/credentials/profiles';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

const profile = (overrides: Partial<ProfileInfo> = {}): ProfileInfo => ({ id: 'p1', label: 'lake', accountId: TEST_ACCOUNT_ID, bucket: 'lakehouse', jurisdiction: 'default', ...overrides });
const r2 = (overrides: Partial<ProfileInfo> = {}) => dbtSecretEntry(profile(overrides), DEFAULT_ENV_NAMES, 'r2');
const KEY_ID = `"{{ env_var('R2_ACCESS_KEY_ID') }}"`;
const SECRET = `"{{ env_var('R2_SECRET_KEY') }}"`;
const ACCOUNT = `"{{ env_var('CLOUDFLARE_ACCOUNT_ID') }}"`;

/** Every line of `before` is still in `after`, in order. */
function keepsEveryLine(before: string, after: string): void {
  const rest = after.split('\n');
  for (const line of before.split('\n').filter((l) => l !== '')) {
    const i = rest.indexOf(line);
    assert.notEqual(i, -1, `line lost: ${line}`);
    rest.splice(0, i + 1);
  }
}

const secretsOf = (text: string, target = 'dev') => (parse(text) as { p: { outputs: Record<string, { secrets: unknown[] }> } }).p.outputs[target]?.secrets;

describe('dbt secrets: entries for a profile', () => {
  it('writes the endpoint from the account variable for s3 on the default endpoint, and for r2 only off it', () => {
    assert.deepEqual(dbtSecretEntry(profile(), DEFAULT_ENV_NAMES, 's3').fields, [
      ['type', 's3'],
      ['key_id', KEY_ID],
      ['secret', SECRET],
      ['region', 'auto'],
      ['endpoint', `"{{ env_var('CLOUDFLARE_ACCOUNT_ID') }}.r2.cloudflarestorage.com"`],
      ['url_style', 'path'],
      ['scope', 's3://lakehouse'],
    ]);
    assert.deepEqual(r2().fields, [['type', 'r2'], ['key_id', KEY_ID], ['secret', SECRET], ['account_id', ACCOUNT], ['region', 'auto'], ['scope', 'r2://lakehouse']]);
    assert.deepEqual(r2({ jurisdiction: 'fedramp', bucket: undefined }).fields.slice(4), [
      ['region', 'auto'],
      ['endpoint', `"{{ env_var('CLOUDFLARE_ACCOUNT_ID') }}.fedramp.r2.cloudflarestorage.com"`],
      ['url_style', 'path'],
    ]);
  });

  it('says use_ssl: false only for a plain-http custom endpoint, and has no scope without a bucket', () => {
    const custom = (url: string) => dbtSecretEntry(profile({ jurisdiction: 'custom', customEndpoint: url, bucket: undefined }), DEFAULT_ENV_NAMES, 's3').fields;
    assert.deepEqual(custom('https://minio.example.test').slice(4), [['endpoint', `"{{ env_var('R2_ENDPOINT') }}"`], ['url_style', 'path']]);
    assert.deepEqual(custom('http://127.0.0.1:9000').slice(4), [['endpoint', `"{{ env_var('R2_ENDPOINT') }}"`], ['url_style', 'path'], ['use_ssl', 'false']]);
  });

  it('refuses a variable name that is not one, quoting at most 40 characters of it', () => {
    const hostile = `${'A'.repeat(60)}') }}{{ x`;
    assert.throws(
      () => envVarRef(hostile),
      (error: Error) => error.message.startsWith(`"${'A'.repeat(40)}" is not an environment variable name`),
    );
  });

  it('writes plain what reads back the same, and quotes the rest', () => {
    for (const plain of ['trueish', 'data-2024', '1st-bucket', 'r2://lake/2024']) assert.equal(yamlValue(plain), plain);
    for (const tricky of ['bucket #1', '-1', '+5', '2024', 'Off', '~']) {
      assert.notEqual(yamlValue(tricky), tricky, tricky);
      assert.equal((parse(`v: ${yamlValue(tricky)}`) as { v: unknown }).v, tricky, tricky);
    }
  });
});

describe('addTargetSecret on hand-written profiles.yml', () => {
  it('indents the new secrets: list as the file does, and adds it when the file has no final newline', async () => {
    const four = 'p:\n    outputs:\n        dev:\n            type: duckdb\n        ci:\n            type: duckdb\n';
    const { text } = await addTargetSecret(four, 'p', 'dev', r2({ bucket: undefined }));
    assert.equal(
      text,
      `p:\n    outputs:\n        dev:\n            type: duckdb\n            secrets:\n                - type: r2\n                  key_id: ${KEY_ID}\n                  secret: ${SECRET}\n                  account_id: ${ACCOUNT}\n                  region: auto\n        ci:\n            type: duckdb\n`,
    );
    const noNewline = 'p:\n  outputs:\n    dev:\n      type: duckdb';
    const added = await addTargetSecret(noNewline, 'p', 'dev', r2());
    assert.ok(added.text.startsWith(`${noNewline}\n      secrets:\n        - type: r2\n`), added.text);
    assert.equal(secretsOf(added.text)?.length, 1);
  });

  it('appends to a list that ends the file without a final newline', async () => {
    const input = 'p:\n  outputs:\n    dev:\n      type: duckdb\n      secrets:\n        - type: s3\n          provider: credential_chain';
    const { text, action } = await addTargetSecret(input, 'p', 'dev', r2());
    assert.equal(action, 'added');
    assert.ok(text.startsWith(`${input}\n        - type: r2\n          key_id: ${KEY_ID}\n`), text);
    assert.deepEqual(secretsOf(text)?.[0], { type: 's3', provider: 'credential_chain' });
  });

  it('keeps every other item: no type, empty, a string, a dash on its own line, another scope, a list scope, another type', async () => {
    const input = [
      'p:',
      '  outputs:',
      '    dev:',
      '      type: duckdb',
      '      secrets:',
      '        -',
      '          type: r2',
      '          scope: r2://archive',
      '        - name: no_type',
      '        -',
      '        - just a string',
      '        - type: r2',
      '          scope: [r2://lakehouse, r2://other]',
      '        - type: s3',
      '          scope: s3://lakehouse',
      '',
    ].join('\n');
    const { text, action } = await addTargetSecret(input, 'p', 'dev', r2());
    assert.equal(action, 'added');
    keepsEveryLine(input, text);
    const secrets = secretsOf(text) ?? [];
    assert.equal(secrets.length, 7);
    assert.deepEqual(secrets[6], { type: 'r2', key_id: KEY_ID.slice(1, -1), secret: SECRET.slice(1, -1), account_id: ACCOUNT.slice(1, -1), region: 'auto', scope: 'r2://lakehouse' });
  });

  it('replaces the entry of the same type (in any case) and scope, and an unscoped one only by an unscoped one', async () => {
    const list = (...items: string[]) => `p:\n  outputs:\n    dev:\n      type: duckdb\n      secrets:\n${items.join('')}`;
    const oldScoped = '        - type: R2\n          key_id: "{{ env_var(\'OLD\') }}"\n          scope: r2://lakehouse\n';
    const oldUnscoped = '        - type: r2\n          key_id: "{{ env_var(\'OLD\') }}"\n';
    const chain = '        - type: s3\n          provider: credential_chain\n';
    const listScoped = '        - type: r2\n          scope: [r2://a, r2://b]\n';

    const scoped = await addTargetSecret(list(oldScoped, chain), 'p', 'dev', r2());
    assert.equal(scoped.action, 'replaced');
    assert.equal(secretsOf(scoped.text)?.length, 2);
    assert.ok(!scoped.text.includes('OLD'));

    const unscoped = await addTargetSecret(list(chain, oldUnscoped), 'p', 'dev', r2({ bucket: undefined }));
    assert.equal(unscoped.action, 'replaced');
    assert.deepEqual(secretsOf(unscoped.text)?.[0], { type: 's3', provider: 'credential_chain' });
    assert.equal((secretsOf(unscoped.text)?.[1] as { key_id: string }).key_id, KEY_ID.slice(1, -1));

    for (const [input, entry] of [
      [list(oldUnscoped), r2()],
      [list(oldScoped), r2({ bucket: undefined })],
      [list(chain), r2({ bucket: undefined })],
      // Not "no scope": an entry whose scope is a list is never replaced by an unscoped one.
      [list(listScoped), r2({ bucket: undefined })],
    ] as const) {
      const { text, action } = await addTargetSecret(input, 'p', 'dev', entry);
      assert.equal(action, 'added', input);
      keepsEveryLine(input, text);
      assert.equal(secretsOf(text)?.length, 2);
    }
  });

  it('edits a target whose name YAML reads as a number', async () => {
    const { text, action } = await addTargetSecret('p:\n  outputs:\n    2024:\n      type: duckdb\n', 'p', '2024', r2());
    assert.equal(action, 'added');
    assert.equal(secretsOf(text, '2024')?.length, 1);
  });

  it('refuses what it cannot edit safely, naming the problem', async () => {
    const entry = r2();
    const dev = (body: string) => `p:\n  outputs:\n    dev:\n      type: duckdb\n${body}`;
    await assert.rejects(addTargetSecret('q:\n  outputs:\n    dev:\n      type: duckdb\n', 'p', 'dev', entry), /no outputs for profile "p"/);
    await assert.rejects(addTargetSecret('p:\n  outputs:\n    dev: duckdb\n', 'p', 'dev', entry), /no target "dev" in profile "p"/);
    await assert.rejects(addTargetSecret('p: [\n', 'p', 'dev', entry), /^Error: profiles\.yml is not valid YAML/);
    for (const empty of ['      secrets:\n', '      secrets: ~\n', '      ? secrets\n']) {
      await assert.rejects(addTargetSecret(dev(empty), 'p', 'dev', entry), /target "dev" has an empty secrets: key/, empty);
    }
    for (const notList of ['      secrets: r2\n', '      secrets: [{type: s3}]\n', '      secrets:\n        type: r2\n']) {
      await assert.rejects(addTargetSecret(dev(notList), 'p', 'dev', entry), /target "dev" has a secrets: value that is not a block list/, notList);
    }
  });

  it('never hands back an edit whose result does not hold the entry', async () => {
    // An entry whose rendered type is not its own: the edited text no longer holds "an r2 entry".
    const wrong: DbtSecretEntry = { type: 'r2', fields: [['type', 's3'], ...r2().fields.slice(1)] };
    await assert.rejects(addTargetSecret('p:\n  outputs:\n    dev:\n      type: duckdb\n', 'p', 'dev', wrong), /Editing profiles\.yml went wrong .*the file was left as it was/);
    // An entry whose value is not YAML: the edited text would not parse.
    const broken: DbtSecretEntry = { type: 'r2', fields: [...r2().fields, ['region', '[unclosed']] };
    await assert.rejects(addTargetSecret('p:\n  outputs:\n    dev:\n      type: duckdb\n', 'p', 'dev', broken), /^Error: the edited profiles\.yml is not valid YAML/);
  });
});
