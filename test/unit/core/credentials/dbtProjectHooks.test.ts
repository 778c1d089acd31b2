/**
 * Legacy `SET s3_*` hooks in a dbt_project.yml, one shape at a time: how a hook's SQL is split into
 * statements (quotes, Jinja), how values are read, which fields the `secrets:` entry gets, and how
 * each YAML shape of a hook (list item, block scalar, flow list, anchor) is taken out of the text so
 * that what is left is the same YAML minus the hook. dbt_project.yml comes from the workspace, so
 * hostile shapes are refused with a message naming the file. The golden-file tests are in
 * dbtProfilesEdit.test.ts.
 */
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { MAX_CONFIG_BYTES } from '../../../../src/core/credentials/configText';
import { findS3Hooks, removeS3Hooks, type S3HooksMigration } from '../../../../src/core/credentials/dbtProjectHooks';
import type { EnvNames } from '../../../../src/core/credentials/envImport';
import { generatedKeyPair } from '../../../support/generatedKeys';

const NAMES: EnvNames = { accessKeyId: 'MY_KEY_ID', secretKey: 'MY_SECRET', accountId: 'MY_ACCOUNT', bucket: 'MY_BUCKET', endpoint: 'MY_ENDPOINT' };

async function find(text: string): Promise<S3HooksMigration> {
  const migration = await findS3Hooks(text, NAMES);
  assert.ok(migration, 'the text has SET s3_* hooks');
  return migration;
}

/** The statements of one hook `on-run-start: - <sql>` (the SQL as a YAML double-quoted string). */
async function hookOf(sql: string): Promise<{ settings: Record<string, string>; rest: readonly string[] }> {
  const [hook, ...others] = (await find(`on-run-start:\n  - ${JSON.stringify(sql)}\n`)).hooks;
  assert.ok(hook);
  assert.equal(others.length, 0);
  return { settings: Object.fromEntries(hook.settings), rest: hook.rest };
}

/** The text after the migration, which must still be YAML. */
async function removed(text: string): Promise<string> {
  const next = removeS3Hooks(text, await find(text));
  parse(next);
  return next;
}

describe('dbt_project.yml SET s3_* hooks: statements and values', () => {
  it('splits at ; outside quotes, keeps the other statements trimmed and drops empty ones', async () => {
    assert.deepEqual(await hookOf(" ; SET s3_region='auto';; SELECT 'a;b', \"c;d\" AS x ;  "), {
      settings: { region: 'auto' },
      rest: ["SELECT 'a;b', \"c;d\" AS x"],
    });
    assert.deepEqual(await hookOf("SET s3_region='auto';"), { settings: { region: 'auto' }, rest: [] });
  });

  it('does not split inside Jinja, whose quotes do not open SQL quotes', async () => {
    assert.deepEqual(await hookOf('SET s3_endpoint={{ var("the host\'s name") }}; SET s3_url_style=\'path\''), {
      settings: { endpoint: '{{ var("the host\'s name") }}', url_style: 'path' },
      rest: [],
    });
    assert.deepEqual(await hookOf("SET s3_region='{{ env_var('R2_REGION', 'a;b') }}'; INSTALL httpfs"), {
      settings: { region: "{{ env_var('R2_REGION', 'a;b') }}" },
      rest: ['INSTALL httpfs'],
    });
  });

  it('a }} outside Jinja is plain text', async () => {
    assert.deepEqual(await hookOf("SELECT '}}' AS x; SET s3_region='auto'"), { settings: { region: 'auto' }, rest: ["SELECT '}}' AS x"] });
  });

  it('reads SET with a scope, TO, either quote, doubled quotes and unquoted values; a lone or unmatched quote stays', async () => {
    const cases: [string, string][] = [
      ["SET GLOBAL s3_region TO 'auto'", 'auto'],
      ['SET s3_region="eu"', 'eu'],
      ['SET s3_region=weur', 'weur'],
      ["SET s3_region='it''s'", "it's"],
      ["SET s3_region=''", ''],
      ['SET s3_region=""', ''],
      ["SET s3_region='", "'"],
      ['SET s3_region="', '"'],
      ["SET s3_region='auto", "'auto"],
      ["SET s3_region=auto'", "auto'"],
      ['SET s3_region="auto', '"auto'],
      ['SET s3_region=auto"', 'auto"'],
    ];
    for (const [sql, value] of cases) assert.deepEqual((await hookOf(sql)).settings, { region: value }, sql);
  });
});

describe('dbt_project.yml SET s3_* hooks: the secrets entry', () => {
  it('reads env_var() however it is spaced, with a default, and copies other values as written', async () => {
    const migration = await find(
      [
        'profile: lake',
        'on-run-start:',
        `  - "SET s3_access_key_id='{{env_var( 'CI_KEY_ID' , 'none')}}'"`,
        `  - "SET s3_endpoint='https://{{ env_var('R2_ENDPOINT_HOST') }}'"`,
        `  - "SET s3_region='{{ env_var('R2_REGION') }}-1'"`,
        '',
      ].join('\n'),
    );
    assert.deepEqual(migration.entry.fields, [
      ['type', 's3'],
      ['key_id', "\"{{ env_var('CI_KEY_ID') }}\""],
      ['region', JSON.stringify("{{ env_var('R2_REGION') }}-1")],
      ['endpoint', JSON.stringify("https://{{ env_var('R2_ENDPOINT_HOST') }}")],
    ]);
    assert.deepEqual(migration.literalKeys, []);
    assert.equal(migration.profile, 'lake');
  });

  it('a literal key id, secret or session token is never copied: each key field reads its own variable, the token is left out', async () => {
    const keys = generatedKeyPair(41);
    const only = async (setting: string, value: string) => find(`on-run-end: "SET s3_${setting}='${value}'"\n`);
    const keyId = await only('access_key_id', keys.accessKeyId);
    assert.deepEqual(keyId.entry.fields, [['type', 's3'], ['key_id', "\"{{ env_var('MY_KEY_ID') }}\""]]);
    assert.deepEqual(keyId.literalKeys, ['s3_access_key_id']);
    const secret = await only('secret_access_key', keys.secretAccessKey);
    assert.deepEqual(secret.entry.fields, [['type', 's3'], ['secret', "\"{{ env_var('MY_SECRET') }}\""]]);
    assert.deepEqual(secret.literalKeys, ['s3_secret_access_key']);
    const token = await only('session_token', keys.secretAccessKey);
    assert.deepEqual(token.entry.fields, [['type', 's3']]);
    assert.deepEqual(token.literalKeys, ['s3_session_token']);
    for (const m of [keyId, secret, token]) {
      const written = JSON.stringify(m.entry);
      assert.ok(!written.includes(keys.accessKeyId) && !written.includes(keys.secretAccessKey), 'no key in the entry');
    }
  });

  it('names the profile only when profile: is a string', async () => {
    for (const text of ['', 'profile: {name: lake}\n', 'profile: [lake]\n']) {
      const migration = await find(`${text}on-run-start: "SET s3_region='auto'"\n`);
      assert.equal('profile' in migration, false, text);
    }
  });
});

describe('dbt_project.yml SET s3_* hooks: hostile files', () => {
  it('refuses invalid YAML, NUL bytes, duplicate keys and a huge file, naming dbt_project.yml', async () => {
    await assert.rejects(findS3Hooks('on-run-start: ["SET s3_region=\'auto\'"\nname: x\n', NAMES), /^Error: dbt_project\.yml is not valid YAML: \S[^\n]*$/);
    await assert.rejects(findS3Hooks('name: x\0\n', NAMES), /^Error: dbt_project\.yml is not a text file/);
    await assert.rejects(
      findS3Hooks("on-run-start: \"SET s3_region='auto'\"\non-run-start: \"SET s3_region='weur'\"\n", NAMES),
      /^Error: dbt_project\.yml is not valid YAML: the key "on-run-start" appears twice in one mapping \(line 2\)$/,
    );
    await assert.rejects(findS3Hooks(`name: x\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`, NAMES), /^Error: dbt_project\.yml is 1\.0 MB, larger than/);
  });

  it('skips hooks that are not strings: empty items, numbers, lists, mappings, nested lists', async () => {
    const text = "on-run-start:\n  -\n  - 42\n  - [\"SET s3_region='a'\"]\n  - {sql: \"SET s3_region='b'\"}\n  - - \"SET s3_region='c'\"\n  - \"SET s3_region='auto'\"\non-run-end: null\n";
    const migration = await find(text);
    assert.deepEqual(
      migration.hooks.map((h) => [h.key, Object.fromEntries(h.settings)]),
      [['on-run-start', { region: 'auto' }]],
    );
    assert.equal(await findS3Hooks('on-run-start: 7\non-run-end: ~\n', NAMES), undefined);
  });
});

describe('dbt_project.yml SET s3_* hooks: taking them out of the text', () => {
  it('a list item goes with its line and its comment, however it is spaced; the next item stays', async () => {
    const text = "on-run-start:\n  - \"SET s3_region='auto'\"   # legacy\n  -   \"SET s3_url_style='path'\"\n  - \"CREATE SCHEMA raw\"\nname: x\n";
    assert.equal(await removed(text), 'on-run-start:\n  - "CREATE SCHEMA raw"\nname: x\n');
    assert.equal(await removed("name: x\non-run-end:   \"SET s3_region='auto'\"\n"), 'name: x\n');
  });

  it('a block scalar or a quoted string over several lines goes whole, and the item after it stays', async () => {
    const block = "on-run-start:\n  - |\n    SET s3_region='auto';\n    SET s3_url_style='path'\n  - \"CREATE SCHEMA raw\"\nname: x\n";
    assert.equal(await removed(block), 'on-run-start:\n  - "CREATE SCHEMA raw"\nname: x\n');
    const quoted = "on-run-start:\n  - \"\n    SET s3_region='auto'\"\n  - \"CREATE SCHEMA raw\"\n";
    assert.equal(await removed(quoted), 'on-run-start:\n  - "CREATE SCHEMA raw"\n');
  });

  it('a hook that is its key\'s only value takes the key along, with or without a line break at the end', async () => {
    assert.equal(await removed("name: x\non-run-start: |\n  SET s3_region='auto'\nmodels: {}\n"), 'name: x\nmodels: {}\n');
    assert.equal(await removed("name: x\non-run-end: \"SET s3_region='auto'\""), 'name: x\n');
  });

  it('a mixed hook keeps its other statements, joined by "; "', async () => {
    const text = "on-run-start: \"SET s3_region='auto'; INSTALL httpfs; LOAD httpfs\"\n";
    assert.equal(await removed(text), 'on-run-start: "INSTALL httpfs; LOAD httpfs"\n');
  });

  it('in a flow list the item goes with the comma next to it, on one line or several, and the rest of the file stays', async () => {
    const vars = 'vars: {a: 1,b: 2, c: 3}\n';
    const cases: [string, string][] = [
      [`on-run-start: ["SET s3_region='auto'" , "INSTALL httpfs"]\n${vars}`, `on-run-start: ["INSTALL httpfs"]\n${vars}`],
      [`${vars}on-run-start: ["INSTALL httpfs" , "SET s3_region='auto'"]\nseeds: {d: 4, e: 5}\n`, `${vars}on-run-start: ["INSTALL httpfs"]\nseeds: {d: 4, e: 5}\n`],
      [`on-run-start: ["SET s3_region='auto'", "SET s3_url_style='path'"]\n${vars}`, `on-run-start: []\n${vars}`],
      [`on-run-start: [\n  "SET s3_region='auto'",\n  "INSTALL httpfs"\n]\n`, 'on-run-start: [\n  "INSTALL httpfs"\n]\n'],
      [`on-run-start: [\n  "INSTALL httpfs",\n  "SET s3_region='auto'"\n]\n`, 'on-run-start: [\n  "INSTALL httpfs"\n]\n'],
    ];
    for (const [text, expected] of cases) assert.equal(await removed(text), expected, text);
  });

  it('after an anchor or a tag, or in a flow mapping, the value becomes "" and the rest of the line stays', async () => {
    const cases: [string, string][] = [
      ["on-run-start: &h \"SET s3_region='auto'\" # legacy\nname: x\n", 'on-run-start: &h "" # legacy\nname: x\n'],
      ["on-run-start:\n  - &h \"SET s3_region='auto'\"\n", 'on-run-start:\n  - &h ""\n'],
      ["on-run-start: !!str |\n  SET s3_region='auto'\nname: x\n", 'on-run-start: !!str ""\nname: x\n'],
      ["{name: x, on-run-start: \"SET s3_region='auto'\"}\n", '{name: x, on-run-start: ""}\n'],
      ["{on-run-start: \"SET s3_region='auto'\", name: x}\n", '{on-run-start: "", name: x}\n'],
    ];
    for (const [text, expected] of cases) assert.equal(await removed(text), expected, text);
  });
});
