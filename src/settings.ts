/**
 * Every setting the extension reads, with its default. A unit test checks this table against
 * `contributes.configuration` in package.json, both ways. Keys are relative to `duckdbSecrets.`.
 */
export const SETTINGS = {
  'duckdb.databasePath': '',
  'duckdb.options': {} as Record<string, string>,
} as const satisfies Record<string, unknown>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends string
  ? string
  : (typeof SETTINGS)[K] extends boolean
    ? boolean
    : (typeof SETTINGS)[K];

export const SETTINGS_SECTION = 'duckdbSecrets';
