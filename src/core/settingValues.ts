/**
 * Checks a setting's raw value (whatever settings.json holds: a number where text belongs, an array
 * for an object) against the shape its default has in settings.ts. A wrong value never reaches the
 * code that reads it: it falls back to the default, or drops the part that is wrong, and the problem
 * is worded for the user, naming the setting. No VS Code import.
 */
import { SETTINGS, SETTINGS_SECTION, type SettingKey, type SettingValue } from './settings';

export interface CheckedSetting<K extends SettingKey> {
  readonly value: SettingValue<K>;
  /** What was wrong and what is used instead; undefined for a good value. */
  readonly problem?: string;
}

const CHOICES: Partial<Record<SettingKey, readonly string[]>> = {
  target: ['dev', 'prod'],
  'lint.severity': ['error', 'warning', 'information', 'hint'],
};
/** Whole-number settings: the smallest and largest value taken. */
const RANGES: Partial<Record<SettingKey, readonly [number, number]>> = {
  'bucket.prefetchFolders': [0, 32],
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const OPTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function checkSetting<K extends SettingKey>(key: K, raw: unknown): CheckedSetting<K> {
  const fallback = SETTINGS[key] as SettingValue<K>;
  const name = `${SETTINGS_SECTION}.${key}`;
  if (raw === undefined) return { value: fallback };
  const refuse = (why: string): CheckedSetting<K> => ({ value: fallback, problem: `The ${name} setting ${why}; the default ${JSON.stringify(fallback)} is used.` });
  const got = describe(raw);

  if (typeof fallback === 'boolean') return typeof raw === 'boolean' ? { value: raw as SettingValue<K> } : refuse(`must be true or false, not ${got}`);
  if (typeof fallback === 'number') {
    // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything not a number; the typeof check is there for the compiler.
    if (typeof raw !== 'number' || !Number.isInteger(raw)) return refuse(`must be a whole number, not ${typeof raw === 'number' ? String(raw) : got}`);
    // Stryker disable next-line ArrayDeclaration: every whole-number setting has a range today; the fallback is for one added without.
    const [min, max] = RANGES[key] ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    if (raw < min || raw > max) return refuse(`must be between ${min} and ${max}, not ${raw}`);
    return { value: raw as SettingValue<K> };
  }
  if (typeof fallback === 'string') {
    if (typeof raw !== 'string') return refuse(`must be text, not ${got}`);
    const choices = CHOICES[key];
    if (choices && !choices.includes(raw)) return refuse(`must be one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    if (key.startsWith('env.') && raw.trim() !== '' && !ENV_NAME.test(raw.trim())) return refuse('must be the name of an environment variable (letters, digits and _, not starting with a digit), not a value');
    return { value: raw as SettingValue<K> };
  }
  if (Array.isArray(fallback)) {
    if (!Array.isArray(raw)) return refuse(`must be a list of text, not ${got}`);
    const kept = raw.filter((item): item is string => typeof item === 'string');
    const dropped = raw.length - kept.length;
    return dropped
      ? { value: kept as unknown as SettingValue<K>, problem: `The ${name} setting holds ${dropped} entr${dropped === 1 ? 'y' : 'ies'} that ${dropped === 1 ? 'is' : 'are'} not text; ignored.` }
      : { value: kept as unknown as SettingValue<K> };
  }
  return checkOptions(name, raw) as CheckedSetting<K>;
}

/**
 * `duckdb.options`: an object of DuckDB option names to values. Numbers and booleans are what people
 * write for `threads` or `allow_unsigned_extensions`, so they become text; anything else is dropped
 * with the option named. Names DuckDB does not know are left to DuckDB, whose refusal names the setting.
 */
function checkOptions(name: string, raw: unknown): CheckedSetting<'duckdb.options'> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { value: {}, problem: `The ${name} setting must be an object of DuckDB option names and values, not ${describe(raw)}; DuckDB starts without options.` };
  }
  const value: Record<string, string> = {};
  const wrong: string[] = [];
  for (const [option, setting] of Object.entries(raw as Record<string, unknown>)) {
    if (!OPTION_NAME.test(option)) wrong.push('an entry whose name is not a DuckDB option name (letters, digits and _)');
    else if (/^http_(timeout|retries)$/i.test(option) && !/^\s*\d{1,9}\s*$/.test(String(setting))) wrong.push(`${option} must be a whole number (seconds, tries)`);
    else if (typeof setting === 'string') value[option] = setting;
    else if (typeof setting === 'number' || typeof setting === 'boolean') value[option] = String(setting);
    else wrong.push(`${option} must be text, a number or true/false, not ${describe(setting)}`);
  }
  return wrong.length ? { value, problem: `The ${name} setting: ${wrong.join('; ')}. Ignored; the other options apply.` } : { value };
}

/** The kind of a JSON value, for messages; never the value itself (it may be a key pasted in the wrong place). */
function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'an object';
  if (typeof raw === 'string') return 'text';
  return `a ${typeof raw}`;
}
