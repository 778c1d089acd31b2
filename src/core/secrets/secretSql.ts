/**
 * Every SQL text the extension builds around secrets, in one place. Names are validated
 * identifiers; string values go through `sqlString`, the one escaping function, which a property
 * test drives through the real DuckDB parser. No VS Code import.
 *
 * Each builder returns the text and a `describe` label for logs: logs get the label, never the
 * text, because the text may hold a secret literal.
 */
import { UserFacingError } from '../errors';
import { locateEndpoint, resolveEndpoint, type Credentials, type ProfileInfo } from '../credentials/profiles';
import { isR2Backed, type SecretInfo } from './secretsModel';

export interface Statement {
  readonly sql: string;
  /** What the statement does, for logs: names and types only. */
  readonly describe: string;
}

/** What a secret name must look like, in words, for error messages and prompts. */
export const SECRET_NAME_RULE =
  'letters, digits and underscores, starting with a letter or underscore (A-Z, a-z, 0-9, _), at most 63 characters, and not a reserved SQL word';
export const MAX_NAME_LENGTH = 63;
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Words DuckDB's parser rejects as an unquoted secret name (its `reserved` and `type_function`
 * keywords). A unit test checks this list against `duckdb_keywords()` and the parser itself.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(
  ('all analyse analyze and anti any array as asc asof asymmetric at authorization binary both by case cast check ' +
    'collate collation column concurrently constraint create cross default deferrable desc describe distinct do else ' +
    'end except false fetch for foreign freeze from full glob group having ilike in initially inner intersect into is ' +
    'isnull join lambda lateral leading left like limit natural not notnull null offset on only or order outer overlaps ' +
    'pivot pivot_longer pivot_wider placing positional primary qualify references returning right select semi show ' +
    'similar some summarize symmetric table tablesample then to trailing true union unique unpack unpivot using ' +
    'variadic verbose when where window with').split(' '),
);

/** Why `name` cannot name a new secret, or undefined when it can. For prompt validation. */
export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a secret name.';
  if (name.length > MAX_NAME_LENGTH) return `A secret name has at most ${MAX_NAME_LENGTH} characters (this one has ${name.length}).`;
  if (!NAME_PATTERN.test(name)) return `A secret name uses ${SECRET_NAME_RULE}.`;
  if (RESERVED_NAMES.has(name.toLowerCase())) return `"${name}" is a reserved SQL word; choose another secret name.`;
  return undefined;
}

/**
 * A validated name for a new secret, lower-cased as DuckDB stores it (it folds secret names to
 * lower case, quoted or not). Persistent secrets become files named after it, so nothing but the
 * plain identifier form is accepted.
 */
export function secretName(name: string): string {
  const problem = secretNameProblem(name);
  if (problem) throw new UserFacingError(`Invalid secret name: ${problem}`);
  return name.toLowerCase();
}

/**
 * An existing secret's name as DuckDB listed it, which may be any quoted identifier someone else
 * created (`"my-secret"`): plain names stay bare, others are double-quoted.
 */
export function existingName(name: string): string {
  rejectUnstorable(name, 'The secret name');
  if (NAME_PATTERN.test(name) && !RESERVED_NAMES.has(name.toLowerCase())) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A secret storage as DuckDB names it: `memory`, `local_file`, `motherduck`. */
function storageName(storage: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(storage)) throw new UserFacingError(`Invalid secret storage "${storage.slice(0, 40)}": expected a name like local_file.`);
  return storage;
}

/**
 * The one string-literal escaping function. DuckDB's single-quoted strings are standard
 * conforming: a backslash is an ordinary character and a quote is written twice. Two things cannot
 * round-trip and are rejected, naming the field but never showing the value: a NUL character
 * (DuckDB's parser ends the statement text there) and an unpaired UTF-16 surrogate (it has no
 * UTF-8 form; DuckDB would store U+FFFD instead).
 */
export function sqlString(value: string, field: string): string {
  rejectUnstorable(value, field);
  return `'${value.replace(/'/g, "''")}'`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function rejectUnstorable(value: string, field: string): void {
  if (value.includes('\0')) {
    throw new UserFacingError(`${field} contains a NUL character (U+0000), which DuckDB cannot take in SQL text. Remove it and try again.`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw new UserFacingError(`${field} contains an unpaired UTF-16 surrogate, which has no UTF-8 form and would not be stored as given. Re-enter it.`);
  }
}

export interface CreateSecretOptions {
  /** A validated name (see `secretName`). */
  readonly name: string;
  /**
   * `session` → temporary (memory); `persistent` → `PERSISTENT … IN local_file`, or
   * `… IN MOTHERDUCK` for storage `motherduck`. The storage is always named: once MotherDuck is
   * attached, `PERSISTENT` alone would mean MotherDuck.
   */
  readonly persistence: 'session' | 'persistent';
  /** Storage for a persistent secret; `local_file` unless given. */
  readonly storage?: string;
  /** `CREATE OR REPLACE` instead of failing when the name exists in that storage. */
  readonly replace: boolean;
  /**
   * Path prefixes the secret applies to, e.g. `r2://bucket`; none means DuckDB's default (all
   * `r2://`). `s3://` prefixes make an R2 secret the R2-backed `TYPE s3` form (see `r2SecretKind`).
   */
  readonly scope?: readonly string[];
}

/** The placeholders "Copy as SQL" writes instead of key values (named after the team's env variables). */
export const KEY_ID_PLACEHOLDER = '<R2_ACCESS_KEY_ID>';
export const SECRET_PLACEHOLDER = '<R2_SECRET_KEY>';

interface Param {
  readonly key: string;
  /** Already SQL text: an escaped literal, a boolean or a type name. */
  readonly sql: string;
}

/**
 * Which form an R2 secret takes for these scopes: `r2` (DuckDB's R2 type, for `r2://` paths and
 * the default scope) or `s3`, a `TYPE s3` secret pointed at the R2 endpoint, for repositories that
 * read `s3://bucket/…` from R2. Scopes of both schemes in one secret are refused: one secret has
 * one type, so it could never apply to both.
 */
export function r2SecretKind(scope: readonly string[] | undefined): 'r2' | 's3' {
  const isS3 = (s: string) => /^s3:\/\//i.test(s.trim());
  if (!scope?.some(isS3)) return 'r2';
  if (!scope.every(isS3)) {
    throw new UserFacingError('One secret cannot apply to both r2:// and s3:// paths (it has one type). Create one secret for each scheme.');
  }
  return 's3';
}

/**
 * `CREATE [OR REPLACE] [PERSISTENT] SECRET name [IN storage] (TYPE r2, …)` from a profile's
 * credentials; with `s3://` scopes, the R2-backed `TYPE s3` form instead (`r2SecretKind`).
 */
export function createR2Secret(credentials: Credentials, options: CreateSecretOptions): Statement {
  const keyId = sqlString(credentials.accessKeyId, 'The access key id');
  const secret = sqlString(credentials.secretAccessKey, 'The secret access key');
  if (r2SecretKind(options.scope) === 's3') return createSecret('s3', r2BackedS3Params(credentials, keyId, secret), options);
  return createSecret('r2', r2Params(credentials, keyId, secret), options);
}

/** The storage MotherDuck registers in DuckDB's secret manager once it is attached. */
export const MOTHERDUCK_STORAGE = 'motherduck';

/**
 * `CREATE OR REPLACE SECRET name IN MOTHERDUCK (TYPE r2, …)`: a persistent secret kept (encrypted)
 * in MotherDuck for the user who creates it, which MotherDuck's own runtimes can use too.
 */
export function createMotherDuckR2Secret(credentials: Credentials, options: { readonly name: string; readonly scope?: readonly string[] }): Statement {
  return createR2Secret(credentials, { name: options.name, persistence: 'persistent', storage: MOTHERDUCK_STORAGE, replace: true, scope: options.scope });
}

/**
 * "Copy as SQL": the statement `createR2Secret` would run, with placeholders instead of the access
 * key id and secret key, ending in a semicolon and preceded by a comment saying so.
 */
export function copyR2Secret(profile: ProfileInfo, options: CreateSecretOptions): string {
  const keyId = `'${KEY_ID_PLACEHOLDER}'`;
  const secret = `'${SECRET_PLACEHOLDER}'`;
  if (r2SecretKind(options.scope) === 's3') return withPlaceholderNote(createSecret('s3', r2BackedS3Params(profile, keyId, secret), options).sql);
  // DuckDB keeps no ACCOUNT_ID, only the endpoint it makes of it; with a custom ENDPOINT the account
  // id plays no part. Leaving it out there copies the same statement as the listed secret does.
  const params = r2Params(profile, keyId, secret).filter((p) => p.key !== 'ACCOUNT_ID' || profile.jurisdiction !== 'custom');
  return withPlaceholderNote(createSecret('r2', params, options).sql);
}

/**
 * The R2-backed `TYPE s3` form: DuckDB's s3 type knows no ACCOUNT_ID, so the endpoint is always
 * spelled out (`<account>.r2.cloudflarestorage.com`, the EU or FedRAMP host, or the custom one),
 * with path-style URLs and R2's region `auto`.
 */
function r2BackedS3Params(profile: ProfileInfo, keyId: string, secret: string): Param[] {
  const endpoint = resolveEndpoint(profile);
  return [
    { key: 'KEY_ID', sql: keyId },
    { key: 'SECRET', sql: secret },
    { key: 'REGION', sql: `'auto'` },
    { key: 'ENDPOINT', sql: sqlString(endpoint.host, 'The endpoint') },
    { key: 'URL_STYLE', sql: `'path'` },
    { key: 'USE_SSL', sql: endpoint.useSsl ? 'true' : 'false' },
  ];
}

function r2Params(profile: ProfileInfo, keyId: string, secret: string): Param[] {
  const params: Param[] = [
    { key: 'KEY_ID', sql: keyId },
    { key: 'SECRET', sql: secret },
    { key: 'ACCOUNT_ID', sql: sqlString(profile.accountId, 'The account id') },
    { key: 'REGION', sql: `'auto'` },
  ];
  const endpoint = resolveEndpoint(profile);
  if (!endpoint.isDefault) {
    // Stryker disable next-line StringLiteral: the host is a parsed URL's or holds the account id checked above: never NUL or a lone surrogate
    const host = sqlString(endpoint.host, 'The endpoint');
    // Stryker disable next-line StringLiteral: resolveEndpoint's URL style is always 'path'
    const urlStyle = sqlString(endpoint.urlStyle, 'The URL style');
    params.push({ key: 'ENDPOINT', sql: host }, { key: 'URL_STYLE', sql: urlStyle }, { key: 'USE_SSL', sql: endpoint.useSsl ? 'true' : 'false' });
  }
  return params;
}

/**
 * "Copy as SQL" for an R2 secret as `duckdb_secrets()` lists it: its non-secret fields (read from
 * the redacted listing, display quality) and placeholders for the keys. Other types are refused.
 */
export function copyListedSecret(secret: SecretInfo): string {
  if (secret.type === 's3' && isR2Backed(secret)) return copyListedS3Secret(secret);
  if (secret.type !== 'r2') {
    throw new UserFacingError(`Copy as SQL works for R2 secrets (and R2-backed s3 ones); "${secret.name}" is of type ${secret.type}.`);
  }
  const f = secret.fields;
  // DuckDB keeps no account id for an R2 secret: it turns ACCOUNT_ID into the endpoint host. It
  // takes any ENDPOINT text, so one that is no URL host (`minio host:9000`) is a custom endpoint too.
  const endpoint = f.get('endpoint') ?? '';
  const cloudflare = endpoint && f.get('use_ssl') !== 'false' && URL.canParse(`https://${endpoint}`) ? locateEndpoint(`https://${endpoint}`) : undefined;
  const params: Param[] = [
    { key: 'KEY_ID', sql: `'${KEY_ID_PLACEHOLDER}'` },
    { key: 'SECRET', sql: `'${SECRET_PLACEHOLDER}'` },
  ];
  if (cloudflare?.accountId) {
    // Stryker disable next-line StringLiteral: the account id is 32 hex digits (locateEndpoint's pattern), so sqlString never names the field
    const accountId = sqlString(cloudflare.accountId, 'The account id');
    params.push({ key: 'ACCOUNT_ID', sql: accountId });
  }
  params.push({ key: 'REGION', sql: sqlString(f.get('region') || 'auto', 'The region') });
  if (endpoint && cloudflare?.jurisdiction !== 'default') {
    params.push({ key: 'ENDPOINT', sql: sqlString(endpoint, 'The endpoint') });
    const urlStyle = f.get('url_style');
    if (urlStyle) params.push({ key: 'URL_STYLE', sql: sqlString(urlStyle, 'The URL style') });
    const useSsl = f.get('use_ssl');
    if (useSsl === 'true' || useSsl === 'false') params.push({ key: 'USE_SSL', sql: useSsl });
  }
  return withPlaceholderNote(createSecret('r2', params, listedOptions(secret, 'r2://'), existingName(secret.name)).sql);
}

/** Copy as SQL of an R2-backed `TYPE s3` secret: its endpoint, region, URL style and scope as listed. */
function copyListedS3Secret(secret: SecretInfo): string {
  const f = secret.fields;
  const params: Param[] = [
    { key: 'KEY_ID', sql: `'${KEY_ID_PLACEHOLDER}'` },
    { key: 'SECRET', sql: `'${SECRET_PLACEHOLDER}'` },
    { key: 'REGION', sql: sqlString(f.get('region') || 'auto', 'The region') },
  ];
  const endpoint = f.get('endpoint');
  if (endpoint) params.push({ key: 'ENDPOINT', sql: sqlString(endpoint, 'The endpoint') });
  params.push({ key: 'URL_STYLE', sql: sqlString(f.get('url_style') || 'path', 'The URL style') });
  const useSsl = f.get('use_ssl');
  if (useSsl === 'true' || useSsl === 'false') params.push({ key: 'USE_SSL', sql: useSsl });
  return withPlaceholderNote(createSecret('s3', params, listedOptions(secret, 's3://'), existingName(secret.name)).sql);
}

/** A listed secret re-created where it lives, replacing it; its type's default scope is left out. */
function listedOptions(secret: SecretInfo, defaultScope: string): CreateSecretOptions {
  return {
    name: secret.name,
    persistence: secret.persistent
      ? 'persistent'
      : // Stryker disable next-line StringLiteral: createSecret only asks whether persistence is 'persistent'
        'session',
    storage: secret.persistent ? secret.storage : undefined,
    replace: true,
    scope: secret.scope.filter((s) => s !== defaultScope),
  };
}

function withPlaceholderNote(sql: string): string {
  return `-- Replace ${KEY_ID_PLACEHOLDER} and ${SECRET_PLACEHOLDER} with your R2 API token's keys.\n${sql};\n`;
}

/** The fields of DuckDB's built-in `http` secret type, which works offline (tests use it). */
export interface HttpSecretFields {
  readonly bearerToken?: string;
  readonly httpProxy?: string;
  readonly httpProxyUsername?: string;
  readonly httpProxyPassword?: string;
}

export function createHttpSecret(fields: HttpSecretFields, options: CreateSecretOptions): Statement {
  const params: Param[] = [];
  const add = (key: string, value: string | undefined, label: string) => {
    if (value !== undefined) params.push({ key, sql: sqlString(value, label) });
  };
  add('BEARER_TOKEN', fields.bearerToken, 'The bearer token');
  add('HTTP_PROXY', fields.httpProxy, 'The HTTP proxy');
  add('HTTP_PROXY_USERNAME', fields.httpProxyUsername, 'The HTTP proxy user name');
  add('HTTP_PROXY_PASSWORD', fields.httpProxyPassword, 'The HTTP proxy password');
  return createSecret('http', params, options);
}

/** One parameter of a secret re-created from what DuckDB stored: a string literal or a boolean. */
export interface SecretParameter {
  /** DuckDB's parameter name, lower case (`key_id`, `region`, `use_ssl`). */
  readonly key: string;
  readonly value: string | boolean;
}

/**
 * `CREATE [PERSISTENT] SECRET name (TYPE type, KEY value, …, SCOPE …)` for a secret re-created with
 * exactly the parameters and scope DuckDB listed for it (Move to Keychain). `options.name` is an
 * existing name, quoted when it must be; the statement never replaces a secret of that name.
 */
export function createSecretWithParameters(type: string, parameters: readonly SecretParameter[], options: CreateSecretOptions): Statement {
  if (!/^[a-z0-9_]+$/.test(type)) throw new UserFacingError(`Invalid secret type "${type.slice(0, 40)}".`);
  const params = parameters.map((p): Param => {
    if (!/^[a-z_][a-z0-9_]*$/.test(p.key)) throw new UserFacingError(`Invalid secret parameter "${p.key.slice(0, 40)}".`);
    return { key: p.key.toUpperCase(), sql: typeof p.value === 'boolean' ? String(p.value) : sqlString(p.value, `The ${p.key} value`) };
  });
  return createSecret(type, params, options, existingName(options.name));
}

/** A secret's type and non-secret parameters, and which parameters take the key pair (sessionSecretRecords.ts). */
export interface DefinedSecret {
  readonly type: string;
  readonly keyIdParam: string;
  readonly secretParam: string;
  readonly parameters: readonly SecretParameter[];
}

/** Re-creates a secret moved to the keychain: its stored definition with the profile's key pair. */
export function createDefinedSecret(definition: DefinedSecret, keyId: string, secret: string, options: CreateSecretOptions): Statement {
  const parameters = [{ key: definition.keyIdParam, value: keyId }, { key: definition.secretParam, value: secret }, ...definition.parameters];
  return createSecretWithParameters(definition.type, parameters, options);
}

/**
 * The named local persistent secrets with their values in clear. DuckDB answers this only in an
 * instance opened with `allow_unredacted_secrets = true` (a start-up option): never the window's
 * session. Only the secrets asked for are read.
 */
export function listUnredactedLocalSecrets(names: readonly string[]): Statement {
  const wanted = names.length ? names.map((n) => sqlString(n, 'The secret name')).join(', ') : 'NULL';
  return {
    sql: `SELECT name, type, provider, scope, secret_string FROM duckdb_secrets(redact = false) WHERE storage = 'local_file' AND name IN (${wanted}) ORDER BY name`,
    describe: 'list local persistent secrets (unredacted)',
  };
}

function createSecret(type: string, params: readonly Param[], options: CreateSecretOptions, quotedName?: string): Statement {
  const name = quotedName ?? secretName(options.name);
  const persistent = options.persistence === 'persistent';
  const storage = persistent ? storageName(options.storage ?? 'local_file') : undefined;
  const all: Param[] = [{ key: 'TYPE', sql: type }, ...params];
  const scope = (options.scope ?? []).map((s) => sqlString(s, 'The scope'));
  const [onlyScope, ...moreScopes] = scope;
  // Repeating SCOPE keeps only the last one; several scopes go in one list.
  if (onlyScope !== undefined) all.push({ key: 'SCOPE', sql: moreScopes.length ? `[${scope.join(', ')}]` : onlyScope });
  // MotherDuck documents `SECRET name IN MOTHERDUCK`; a local persistent secret always names
  // local_file, because `PERSISTENT` alone means MotherDuck while it is attached.
  const inMotherDuck = storage === MOTHERDUCK_STORAGE;
  const head = [
    'CREATE',
    options.replace ? 'OR REPLACE' : undefined,
    persistent && !inMotherDuck ? 'PERSISTENT' : undefined,
    'SECRET',
    name,
    storage ? `IN ${inMotherDuck ? 'MOTHERDUCK' : storage}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const sql = `${head} (\n${all.map((p) => `    ${p.key} ${p.sql}`).join(',\n')}\n)`;
  const where = inMotherDuck ? 'in motherduck' : storage ? `persistent in ${storage}` : 'session';
  return { sql, describe: `create ${type} secret ${name} (${where}${scope.length ? ', scoped' : ''})` };
}

/**
 * Drops a secret from the storage it lives in, so a name present in two storages is never
 * ambiguous: `DROP TEMPORARY SECRET name` for the session (DuckDB refuses `FROM` together with
 * TEMPORARY), `DROP SECRET name FROM motherduck` (the form MotherDuck documents) and
 * `DROP PERSISTENT SECRET name FROM storage` for any other storage.
 */
export function dropSecret(name: string, storage: string): Statement {
  const quoted = existingName(name);
  if (storage === 'memory') return { sql: `DROP TEMPORARY SECRET ${quoted}`, describe: `drop secret ${quoted} from memory` };
  const from = storageName(storage);
  const describe = `drop secret ${quoted} from ${from}`;
  if (from === MOTHERDUCK_STORAGE) return { sql: `DROP SECRET ${quoted} FROM ${from}`, describe };
  return { sql: `DROP PERSISTENT SECRET ${quoted} FROM ${from}`, describe };
}

/** The secret DuckDB would use for `path` (`which_secret` is a table function: zero or one row). */
export function whichSecret(path: string, type: string): Statement {
  if (!/^[a-z0-9_]+$/.test(type)) throw new UserFacingError(`Invalid secret type "${type.slice(0, 40)}".`);
  // Stryker disable next-line StringLiteral: the type matched [a-z0-9_]+ above, so sqlString never names the field
  const quotedType = sqlString(type, 'The secret type');
  return {
    sql: `SELECT name, persistent, storage FROM system.main.which_secret(${sqlString(path, 'The path')}, ${quotedType})`,
    describe: `which_secret (${type})`,
  };
}

export const SECRET_DIRECTORY: Statement = {
  sql: "SELECT system.main.current_setting('secret_directory') AS secret_directory",
  describe: 'read secret_directory',
};

/**
 * Opens a database file without write access under `alias`, for one statement's duration. The
 * session runs this and `detach` around a statement without logging them, so both are bare SQL.
 */
export function attachReadOnly(path: string, alias: string): string {
  return `ATTACH ${sqlString(path, 'The database path')} AS ${existingName(alias)} (READ_ONLY)`;
}

export function detach(alias: string): string {
  return `DETACH DATABASE IF EXISTS ${existingName(alias)}`;
}
