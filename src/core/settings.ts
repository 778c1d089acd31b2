/**
 * Every setting the extension reads, with its default. A unit test checks this table against
 * `contributes.configuration` in package.json, both ways. Keys are relative to `duckdbSecrets.`.
 */
/** The default of `duckdb.options`, typed so readers get `Record<string, string>`. */
const NO_OPTIONS: Readonly<Record<string, string>> = {};
/** The default of `lint.exclude`, typed so readers get `readonly string[]`. */
const NO_GLOBS: readonly string[] = [];

export const SETTINGS = {
  'duckdb.databasePath': '',
  'duckdb.options': NO_OPTIONS,
  /** The dbt target the secret commands default to: `dev` (session secrets) or `prod`. */
  target: 'dev',
  'secretName.dev': 'r2_dev_secret',
  'secretName.prod': 'r2_prod_secret',
  /** Re-create the session secrets made from stored profiles whenever the DuckDB session starts. */
  recreateSessionSecrets: true,
  /** Attach MotherDuck (with the keychain's token) whenever the DuckDB session starts. */
  'motherduck.connectOnStart': false,
  /** Sub-folders of a live folder whose first page is listed ahead of a click; 0 turns it off. */
  'bucket.prefetchFolders': 8,
  /** Key Test R2 Bucket reads to check read access; empty: the smallest listed object. */
  'testBucket.readObject': '',
  'env.accessKeyId': 'R2_ACCESS_KEY_ID',
  'env.secretKey': 'R2_SECRET_KEY',
  'env.accountId': 'CLOUDFLARE_ACCOUNT_ID',
  'env.bucket': 'DUCKLAKE_NAME',
  'env.endpoint': 'R2_ENDPOINT',
  /** The language server: lint files for hardcoded credentials. */
  'lint.enable': true,
  /** `error`, `warning`, `information` or `hint`; a `.env` file git ignores gets at most `information`. */
  'lint.severity': 'warning',
  /** Globs of files the language server does not lint. */
  'lint.exclude': NO_GLOBS,
} as const satisfies Record<string, unknown>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends string
  ? string
  : (typeof SETTINGS)[K] extends boolean
    ? boolean
    : (typeof SETTINGS)[K] extends number
      ? number
      : (typeof SETTINGS)[K];

export const SETTINGS_SECTION = 'duckdbSecrets';
