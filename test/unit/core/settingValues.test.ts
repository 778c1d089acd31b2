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
});
