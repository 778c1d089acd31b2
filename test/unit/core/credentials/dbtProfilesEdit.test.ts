/**
 * profiles.yml and dbt_project.yml edits against golden files (test/fixtures/dbt/*.golden.yml):
 * each input is edited and must equal its golden byte for byte, so comments, blank lines, quoting
 * and indentation outside the edit are kept. `UPDATE_GOLDENS=1` rewrites the goldens (review the
 * diff). The goldens are committed, so they are also checked to hold only env_var() references
 * where keys go, and nothing shaped like a key or an account id.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { addTargetSecret, dbtSecretEntry, envVarRef, yamlValue } from '../../../../src/core/credentials/dbtProfilesEdit';
import { findS3Hooks, removeS3Hooks } from '../../../../src/core/credentials/dbtProjectHooks';
import { DEFAULT_ENV_NAMES } from '../../../../src/core/credentials/envImport';
import type { ProfileInfo } from '../../../../src/core/credentials/profiles';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

const fixtures = path.resolve(__dirname, '../../../../../test/fixtures/dbt');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

function golden(name: string, actual: string): void {
  const file = path.join(fixtures, name);
  if (process.env.UPDATE_GOLDENS === '1' || !fs.existsSync(file)) fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDENS=1 rewrites it)`);
}

const profile = (overrides: Partial<ProfileInfo> = {}): ProfileInfo => ({
  id: 'p1',
  label: 'lake',
  accountId: TEST_ACCOUNT_ID,
  bucket: 'lakehouse',
  jurisdiction: 'default',
  ...overrides,
});

/** Lines of `a` that are not in `b`, in order: what an edit added. */
function linesOnlyIn(a: string, b: string): string[] {
  const rest = b.split('\n');
  return a.split('\n').filter((line) => {
    const i = rest.indexOf(line);
    if (i === -1) return true;
    rest.splice(i, 1);
    return false;
  });
}

describe('dbt profiles.yml edits (golden files)', () => {
  it('adds an r2 entry to a target with comments, keeping every other line', async () => {
    const input = read('comments.profiles.yml');
    const { text, action } = await addTargetSecret(input, 'lakehouse', 'dev', dbtSecretEntry(profile(), DEFAULT_ENV_NAMES, 'r2'));
    assert.equal(action, 'added');
    golden('comments.r2.golden.yml', text);
    assert.deepEqual(linesOnlyIn(input, text), [], 'no line of the input is lost or changed');
    const parsed = parse(text) as { lakehouse: { outputs: { dev: { secrets: unknown[]; threads: number }; prod: { secrets?: unknown } } } };
    assert.deepEqual(parsed.lakehouse.outputs.dev.secrets, [
      {
        type: 'r2',
        key_id: "{{ env_var('R2_ACCESS_KEY_ID') }}",
        secret: "{{ env_var('R2_SECRET_KEY') }}",
        account_id: "{{ env_var('CLOUDFLARE_ACCOUNT_ID') }}",
        region: 'auto',
        scope: 'r2://lakehouse',
      },
    ]);
    assert.equal(parsed.lakehouse.outputs.prod.secrets, undefined, 'other targets are untouched');
  });

  it('appends an s3 entry (EU endpoint) to an existing list in a four-space file', async () => {
    const input = read('four-spaces.profiles.yml');
    const entry = dbtSecretEntry(profile({ jurisdiction: 'eu' }), DEFAULT_ENV_NAMES, 's3');
    const { text, action } = await addTargetSecret(input, 'lakehouse', 'dev', entry);
    assert.equal(action, 'added');
    golden('four-spaces.s3-eu.golden.yml', text);
    assert.deepEqual(linesOnlyIn(input, text), []);
    const dev = (parse(text) as { lakehouse: { outputs: { dev: { secrets: Record<string, unknown>[] } } } }).lakehouse.outputs.dev;
    assert.equal(dev.secrets.length, 2);
    assert.deepEqual(dev.secrets[1], {
      type: 's3',
      key_id: "{{ env_var('R2_ACCESS_KEY_ID') }}",
      secret: "{{ env_var('R2_SECRET_KEY') }}",
      region: 'auto',
      endpoint: "{{ env_var('CLOUDFLARE_ACCOUNT_ID') }}.eu.r2.cloudflarestorage.com",
      url_style: 'path',
      scope: 's3://lakehouse',
    });
    // Adding it again changes nothing.
    const again = await addTargetSecret(text, 'lakehouse', 'dev', entry);
    assert.deepEqual(again, { text, action: 'unchanged' });
  });

  it('replaces the entry of the same type and scope, leaving the others and the comments', async () => {
    const input = read('replace.profiles.yml');
    const custom = profile({ jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' });
    const { text, action } = await addTargetSecret(input, 'lakehouse', 'dev', dbtSecretEntry(custom, DEFAULT_ENV_NAMES, 'r2'));
    assert.equal(action, 'replaced');
    golden('replace.r2-custom.golden.yml', text);
    const dev = (parse(text) as { lakehouse: { outputs: { dev: { secrets: Record<string, unknown>[]; settings: unknown } } } }).lakehouse.outputs.dev;
    assert.equal(dev.secrets.length, 2);
    assert.equal(dev.secrets[0]?.endpoint, "{{ env_var('R2_ENDPOINT') }}");
    assert.equal(dev.secrets[0]?.use_ssl, false);
    assert.deepEqual(dev.secrets[1], { type: 's3', provider: 'credential_chain' });
    assert.deepEqual(dev.settings, { memory_limit: '2GB' });
  });

  it('refuses unknown targets, flow mappings and invalid YAML, naming the problem', async () => {
    const entry = dbtSecretEntry(profile(), DEFAULT_ENV_NAMES, 'r2');
    await assert.rejects(addTargetSecret(read('comments.profiles.yml'), 'lakehouse', 'staging', entry), /no target "staging" in profile "lakehouse"/);
    await assert.rejects(addTargetSecret('p:\n  outputs:\n    dev: {type: duckdb}\n', 'p', 'dev', entry), /flow mapping/);
    await assert.rejects(addTargetSecret('p: [\n', 'p', 'dev', entry), /not valid YAML/);
  });

  it('quotes what YAML would read as something else, and validates variable names', () => {
    assert.equal(yamlValue('auto'), 'auto');
    assert.equal(yamlValue('r2://bucket/x'), 'r2://bucket/x');
    for (const tricky of ['true', 'no', '1.5', 'a: b', 'has space', "it's", '#x']) assert.equal((parse(`v: ${yamlValue(tricky)}`) as { v: unknown }).v, tricky, tricky);
    assert.throws(() => envVarRef("X') }}{{ 1"), /not an environment variable name/);
  });
});

describe('legacy SET s3_* hooks in dbt_project.yml (golden files)', () => {
  it('turns the hooks into one s3 entry and removes them, keeping the other hooks and comments', async () => {
    const input = read('project-hooks.dbt_project.yml');
    const migration = await findS3Hooks(input, DEFAULT_ENV_NAMES);
    assert.ok(migration);
    assert.equal(migration.profile, 'lakehouse');
    assert.deepEqual(migration.literalKeys, []);
    assert.deepEqual(migration.entry.fields, [
      ['type', 's3'],
      ['key_id', "\"{{ env_var('R2_ACCESS_KEY_ID') }}\""],
      ['secret', "\"{{ env_var('R2_SECRET_KEY') }}\""],
      ['region', 'auto'],
      ['endpoint', "\"{{ env_var('R2_ENDPOINT') }}\""],
      ['url_style', 'path'],
    ]);
    const text = removeS3Hooks(input, migration);
    golden('project-hooks.golden.yml', text);
    assert.deepEqual((parse(text) as { 'on-run-start': unknown })['on-run-start'], ['CREATE SCHEMA IF NOT EXISTS raw']);
    const profiles = await addTargetSecret(read('comments.profiles.yml'), 'lakehouse', 'dev', migration.entry);
    golden('comments.from-hooks.golden.yml', profiles.text);
  });

  it('keeps the other statements of a mixed hook and drops a hook key left empty', async () => {
    const input = read('project-mixed.dbt_project.yml');
    const migration = await findS3Hooks(input, DEFAULT_ENV_NAMES);
    assert.ok(migration);
    const text = removeS3Hooks(input, migration);
    golden('project-mixed.golden.yml', text);
    const parsed = parse(text) as Record<string, unknown>;
    assert.equal(parsed['on-run-start'], 'INSTALL httpfs');
    assert.equal('on-run-end' in parsed, false);
  });

  it('never copies a literal key: the entry refers to the key variables and says which settings held one', async () => {
    const literal = `profile: p\non-run-start:\n  - "SET s3_access_key_id='${'k'.repeat(20)}'"\n  - "SET s3_secret_access_key='${'s'.repeat(40)}'"\n`;
    const migration = await findS3Hooks(literal, DEFAULT_ENV_NAMES);
    assert.ok(migration);
    assert.deepEqual(migration.literalKeys, ['s3_access_key_id', 's3_secret_access_key']);
    assert.ok(!JSON.stringify(migration.entry).includes('kkkk') && !JSON.stringify(migration.entry).includes('ssss'));
    assert.equal(await findS3Hooks('name: x\non-run-start:\n  - "CREATE SCHEMA s"\n', DEFAULT_ENV_NAMES), undefined);
  });

  it('the committed goldens hold env_var() references for keys, and nothing shaped like a key or an account id', () => {
    const goldens = fs.readdirSync(fixtures).filter((f) => f.endsWith('.yml'));
    assert.ok(goldens.filter((f) => f.includes('.golden.')).length >= 6);
    for (const file of goldens) {
      const text = read(file);
      assert.ok(!/\b[0-9a-f]{32}\b|\b[0-9a-f]{64}\b|AKIA[0-9A-Z]{12,}|eyJ[\w-]+\.[\w-]+/i.test(text), `${file} holds a key-shaped string`);
      for (const match of text.matchAll(/^\s*-?\s*(key_id|secret|session_token|account_id):\s*(.*)$/gm)) {
        assert.match(match[2] ?? '', /^"\{\{ env_var\('[A-Za-z_][A-Za-z0-9_]*'\) \}\}"$/, `${file}: ${match[1]} is not an env_var() reference`);
      }
    }
  });
});
