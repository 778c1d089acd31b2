import * as assert from 'node:assert/strict';
import { checkSetting } from '../../../src/core/settingValues';
import { SETTINGS, type SettingKey } from '../../../src/core/settings';

const CANARY = 'canary-setting-value-7f3a';
const keys = Object.keys(SETTINGS) as SettingKey[];

/** Values of every JSON kind, one of which is always the wrong kind for any setting. */
const WRONG_KINDS: readonly unknown[] = [42, true, null, [CANARY], { [CANARY]: { nested: CANARY } }, CANARY];

describe('Setting values from settings.json', () => {
  it('every setting: a value of the wrong kind falls back to the default and names the setting, never the value', () => {
    for (const key of keys) {
      const expected = typeof SETTINGS[key];
      const wrongs = WRONG_KINDS.filter((raw) => {
        if (Array.isArray(SETTINGS[key])) return !Array.isArray(raw);
        if (expected === 'object') return typeof raw !== 'object' || raw === null || Array.isArray(raw);
        return typeof raw !== expected;
      });
      assert.ok(wrongs.length >= 4, key);
      for (const raw of wrongs) {
        const checked = checkSetting(key, raw);
        assert.deepEqual(checked.value, SETTINGS[key], `${key} ← ${JSON.stringify(raw)}`);
        assert.match(checked.problem ?? '', new RegExp(`^The duckdbSecrets\\.${key.replace('.', '\\.')} setting`), `${key} ← ${JSON.stringify(raw)}`);
        assert.ok(!checked.problem?.includes(CANARY), checked.problem);
      }
    }
  });

  it('every setting: its default and an absent value pass without a problem', () => {
    for (const key of keys) {
      assert.deepEqual(checkSetting(key, SETTINGS[key]), { value: SETTINGS[key] }, key);
      assert.deepEqual(checkSetting(key, undefined), { value: SETTINGS[key] }, key);
    }
  });

  it('choices: target and lint.severity', () => {
    assert.deepEqual(checkSetting('target', 'prod'), { value: 'prod' });
    assert.match(checkSetting('target', 'production').problem ?? '', /duckdbSecrets\.target setting must be one of "dev", "prod"; the default "dev" is used/);
    assert.equal(checkSetting('lint.severity', 'fatal').value, 'warning');
  });

  it('env names: a key pasted where the variable name belongs is refused without being repeated', () => {
    const checked = checkSetting('env.accessKeyId', `0${CANARY}`);
    assert.equal(checked.value, 'R2_ACCESS_KEY_ID');
    assert.match(checked.problem ?? '', /name of an environment variable/);
    assert.ok(!checked.problem?.includes(CANARY));
    assert.deepEqual(checkSetting('env.accessKeyId', 'MY_KEY_ID'), { value: 'MY_KEY_ID' });
  });

  it('bucket.prefetchFolders: a whole number from 0 to 32; anything else is the default, named', () => {
    assert.deepEqual(checkSetting('bucket.prefetchFolders', 0), { value: 0 });
    assert.deepEqual(checkSetting('bucket.prefetchFolders', 32), { value: 32 });
    assert.match(checkSetting('bucket.prefetchFolders', 33).problem ?? '', /^The duckdbSecrets\.bucket\.prefetchFolders setting must be between 0 and 32, not 33; the default 8 is used\.$/);
    assert.match(checkSetting('bucket.prefetchFolders', -1).problem ?? '', /must be between 0 and 32, not -1/);
    assert.match(checkSetting('bucket.prefetchFolders', 2.5).problem ?? '', /must be a whole number, not 2\.5/);
    assert.equal(checkSetting('bucket.prefetchFolders', 1000).value, 8);
  });

  it('lint.exclude keeps the text entries and says how many were not', () => {
    const checked = checkSetting('lint.exclude', ['**/fixtures/**', 3, null]);
    assert.deepEqual(checked.value, ['**/fixtures/**']);
    assert.match(checked.problem ?? '', /lint\.exclude setting holds 2 entries that are not text/);
  });

  it('duckdb.options: numbers and booleans become text; nested values and bad names are dropped, named, never echoed', () => {
    assert.deepEqual(checkSetting('duckdb.options', { threads: 4, allow_unsigned_extensions: true, extension_directory: '/x' }), {
      value: { threads: '4', allow_unsigned_extensions: 'true', extension_directory: '/x' },
    });
    const checked = checkSetting('duckdb.options', { threads: 2, secret_directory: { path: CANARY }, [`x; ${CANARY}`]: 'y' });
    assert.deepEqual(checked.value, { threads: '2' });
    assert.match(checked.problem ?? '', /duckdb\.options setting: .*secret_directory must be text, a number or true\/false, not an object/);
    assert.match(checked.problem ?? '', /not a DuckDB option name/);
    assert.ok(!checked.problem?.includes(CANARY));
    const limits = checkSetting('duckdb.options', { http_timeout: 'soon', http_retries: 2 });
    assert.deepEqual(limits.value, { http_retries: '2' });
    assert.match(limits.problem ?? '', /http_timeout must be a whole number/);
  });

  it('says what kind of value it found, in the setting\'s own words', () => {
    const problem = (key: SettingKey, raw: unknown) => checkSetting(key, raw).problem;
    assert.equal(problem('lint.enable', 'yes'), 'The duckdbSecrets.lint.enable setting must be true or false, not text; the default true is used.');
    assert.equal(problem('lint.enable', null), 'The duckdbSecrets.lint.enable setting must be true or false, not null; the default true is used.');
    assert.equal(problem('lint.enable', [true]), 'The duckdbSecrets.lint.enable setting must be true or false, not a list; the default true is used.');
    assert.equal(problem('lint.enable', {}), 'The duckdbSecrets.lint.enable setting must be true or false, not an object; the default true is used.');
    assert.equal(problem('lint.enable', 1), 'The duckdbSecrets.lint.enable setting must be true or false, not a number; the default true is used.');
    assert.equal(problem('target', false), 'The duckdbSecrets.target setting must be text, not a boolean; the default "dev" is used.');
    assert.equal(problem('bucket.prefetchFolders', '4'), 'The duckdbSecrets.bucket.prefetchFolders setting must be a whole number, not text; the default 8 is used.');
    assert.equal(problem('lint.exclude', 'a/**'), 'The duckdbSecrets.lint.exclude setting must be a list of text, not text; the default [] is used.');
    assert.equal(problem('duckdb.options', [1]), 'The duckdbSecrets.duckdb.options setting must be an object of DuckDB option names and values, not a list; DuckDB starts without options.');
  });

  it('env names: surrounding spaces and an empty name pass; only env.* settings are held to the name pattern', () => {
    assert.deepEqual(checkSetting('env.bucket', '  LAKE_BUCKET '), { value: '  LAKE_BUCKET ' });
    assert.deepEqual(checkSetting('env.bucket', ''), { value: '' });
    assert.deepEqual(checkSetting('env.bucket', '   '), { value: '   ' });
    assert.match(checkSetting('env.bucket', 'LAKE BUCKET').problem ?? '', /^The duckdbSecrets\.env\.bucket setting must be the name of an environment variable \(letters, digits and _, not starting with a digit\), not a value; the default "DUCKLAKE_NAME" is used\.$/);
    assert.match(checkSetting('env.bucket', '9LIVES').problem ?? '', /name of an environment variable/);
    // Not an env.* setting: any text is a secret name or path, the name rule does not apply.
    assert.deepEqual(checkSetting('secretName.dev', 'my secret 9'), { value: 'my secret 9' });
    assert.deepEqual(checkSetting('testBucket.readObject', 'dir/9 file.csv'), { value: 'dir/9 file.csv' });
  });

  it('lint.exclude: one entry that is not text is named in the singular', () => {
    const checked = checkSetting('lint.exclude', ['a/**', 7]);
    assert.deepEqual(checked.value, ['a/**']);
    assert.equal(checked.problem, 'The duckdbSecrets.lint.exclude setting holds 1 entry that is not text; ignored.');
    assert.equal(checkSetting('lint.exclude', [1, 2]).problem, 'The duckdbSecrets.lint.exclude setting holds 2 entries that are not text; ignored.');
  });

  it('a whole-number setting outside any range is taken as is, a fraction named with its value', () => {
    assert.equal(checkSetting('bucket.prefetchFolders', 1.5).problem, 'The duckdbSecrets.bucket.prefetchFolders setting must be a whole number, not 1.5; the default 8 is used.');
  });

  it('duckdb.options: http_timeout and http_retries take digits only, padded or not; other options take any text', () => {
    assert.deepEqual(checkSetting('duckdb.options', { http_timeout: ' 30 ', HTTP_RETRIES: 123456789 }), { value: { http_timeout: ' 30 ', HTTP_RETRIES: '123456789' } });
    for (const wrong of ['30s', 's30', '3 0', '1234567890', '-1', '', 'x 30']) {
      const checked = checkSetting('duckdb.options', { http_timeout: wrong });
      assert.deepEqual(checked.value, {}, JSON.stringify(wrong));
      assert.equal(checked.problem, 'The duckdbSecrets.duckdb.options setting: http_timeout must be a whole number (seconds, tries). Ignored; the other options apply.', JSON.stringify(wrong));
    }
    const two = checkSetting('duckdb.options', { http_timeout: 'soon', threads: [4] });
    assert.equal(two.problem, 'The duckdbSecrets.duckdb.options setting: http_timeout must be a whole number (seconds, tries); threads must be text, a number or true/false, not a list. Ignored; the other options apply.');
    // Only the exact option names: a longer name is another option, left to DuckDB.
    assert.deepEqual(checkSetting('duckdb.options', { http_timeout_ms: 'soon', my_http_retries: 'x' }), { value: { http_timeout_ms: 'soon', my_http_retries: 'x' } });
  });
});

