/**
 * DuckDB's local persistent secrets are files in `secret_directory` holding their values in clear.
 * This module names them (for the Secrets view's mark, and for the CLI's `doctor`) and says which of
 * them Move to Keychain can take: names, types and files only, never a value. No VS Code import.
 */
import * as path from 'node:path';
import type { SqlRunner } from '../duckdb/sqlRunner';
import type { ProfileInfo } from '../credentials/profiles';
import { listSecrets, type SecretInfo } from './secretsModel';
import { SECRET_DIRECTORY } from './secretSql';

/** The storage DuckDB keeps persistent secrets in on this machine. */
export const LOCAL_FILE_STORAGE = 'local_file';
export const SECRET_FILE_SUFFIX = '.duckdb_secret';

/** DuckDB's value type for a parameter, as `CREATE SECRET` takes it. */
export type ParameterType = 'string' | 'boolean';

/** How a secret type maps onto a keychain credential profile (an access key pair plus where it points). */
export interface MovableKind {
  readonly type: string;
  /** The parameters holding the two values the profile keeps in the keychain. */
  readonly keyIdParam: string;
  readonly secretParam: string;
  /** Non-secret parameters re-created as they were (kept with the session-secret record). */
  readonly parameters: Readonly<Record<string, ParameterType>>;
  /** Parameters the profile cannot keep, with the reason a secret using one stays where it is. */
  readonly refused: Readonly<Record<string, string>>;
  /** Where the profile says the keys point, from the secret's non-secret parameters. */
  readonly location: (parameters: ReadonlyMap<string, string | boolean>) => Pick<ProfileInfo, 'accountId' | 'jurisdiction' | 'customEndpoint'>;
}

const S3_PARAMETERS: Readonly<Record<string, ParameterType>> = {
  region: 'string',
  endpoint: 'string',
  url_style: 'string',
  use_ssl: 'boolean',
  verify_ssl: 'boolean',
  kms_key_id: 'string',
  url_compatibility_mode: 'boolean',
  requester_pays: 'boolean',
  http_proxy: 'string',
  http_proxy_username: 'string',
};

const S3_REFUSED: Readonly<Record<string, string>> = {
  session_token: 'it holds a temporary session token, which expires and which a keychain profile does not keep',
  http_proxy_password: 'it holds an HTTP proxy password, a second secret a keychain profile does not keep',
  bearer_token: 'it holds an OAuth bearer token, not an HMAC key pair',
  refresh: 'it refreshes its keys from a credential chain',
  refresh_info: 'it refreshes its keys from a credential chain',
  extra_http_headers: 'it sends extra HTTP headers, which may carry credentials and cannot be read back exactly',
};

const R2_ENDPOINT = /^([0-9a-f]{32})\.(?:(eu|fedramp)\.)?r2\.cloudflarestorage\.com$/i;

function endpointUrl(parameters: ReadonlyMap<string, string | boolean>, fallback: string): string {
  const endpoint = parameters.get('endpoint');
  const host = typeof endpoint === 'string' && endpoint ? endpoint : fallback;
  if (/^https?:\/\//i.test(host)) return host;
  return `${parameters.get('use_ssl') === false ? 'http' : 'https'}://${host}`;
}

/** The types Move to Keychain takes: R2 and S3 key pairs, and GCS HMAC keys (all from httpfs). */
export const MOVABLE_KINDS: readonly MovableKind[] = [
  {
    type: 'r2',
    keyIdParam: 'key_id',
    secretParam: 'secret',
    parameters: S3_PARAMETERS,
    refused: S3_REFUSED,
    location: (parameters) => {
      const endpoint = parameters.get('endpoint');
      if (typeof endpoint !== 'string' || !endpoint) return { accountId: '', jurisdiction: 'default' };
      const cloudflare = R2_ENDPOINT.exec(endpoint);
      if (cloudflare?.[1] && parameters.get('use_ssl') !== false) {
        const jurisdiction = cloudflare[2]?.toLowerCase();
        return { accountId: cloudflare[1].toLowerCase(), jurisdiction: jurisdiction === 'eu' ? 'eu' : jurisdiction === 'fedramp' ? 'fedramp' : 'default' };
      }
      return { accountId: '', jurisdiction: 'custom', customEndpoint: endpointUrl(parameters, endpoint) };
    },
  },
  {
    type: 's3',
    keyIdParam: 'key_id',
    secretParam: 'secret',
    parameters: S3_PARAMETERS,
    refused: S3_REFUSED,
    location: (parameters) => ({ accountId: '', jurisdiction: 'custom', customEndpoint: endpointUrl(parameters, 's3.amazonaws.com') }),
  },
  {
    type: 'gcs',
    keyIdParam: 'key_id',
    secretParam: 'secret',
    parameters: S3_PARAMETERS,
    refused: S3_REFUSED,
    location: (parameters) => ({ accountId: '', jurisdiction: 'custom', customEndpoint: endpointUrl(parameters, 'storage.googleapis.com') }),
  },
];

/** Why types other than r2/s3/gcs stay on disk, in words for the tooltip and the summary. */
const TYPE_REASONS: Readonly<Record<string, string>> = {
  http: 'an http secret holds a bearer token or proxy credentials, not an access key pair',
  huggingface: 'a huggingface secret holds a token, not an access key pair',
  azure: 'an azure secret holds a connection string or service principal, not an access key pair',
};

/** A local persistent secret: where its plaintext file is, and whether Move to Keychain can take it. */
export interface PlaintextSecret {
  readonly name: string;
  readonly type: string;
  /** `secret_directory/<name>.duckdb_secret`. */
  readonly file: string;
  readonly scope: readonly string[];
  /** Undefined when Move to Keychain can take it; otherwise why it stays. */
  readonly notMovable?: string;
}

export interface PlaintextSecretsReport {
  /** The directory read: `current_setting('secret_directory')` of the session asked. */
  readonly directory: string;
  readonly secrets: readonly PlaintextSecret[];
}

/** The file DuckDB keeps a local persistent secret in. */
export function secretFile(directory: string, name: string): string {
  return path.join(directory, `${name}${SECRET_FILE_SUFFIX}`);
}

export function kindFor(type: string, kinds: readonly MovableKind[] = MOVABLE_KINDS): MovableKind | undefined {
  return kinds.find((k) => k.type === type);
}

/**
 * Why Move to Keychain leaves a listed secret alone, or undefined when it can try (the values,
 * read later, may still refuse it). From the redacted listing: type, provider and field names.
 */
export function notMovableReason(secret: SecretInfo, kinds: readonly MovableKind[] = MOVABLE_KINDS): string | undefined {
  if (secret.storage !== LOCAL_FILE_STORAGE) return `it is not a local persistent secret (storage ${secret.storage})`;
  const kind = kindFor(secret.type, kinds);
  if (!kind) {
    const why = TYPE_REASONS[secret.type] ?? `a ${secret.type} secret is not an access key pair`;
    return `${why}; only ${kinds.map((k) => k.type).join(', ')} secrets move to the keychain`;
  }
  if (secret.provider !== 'config') return `its provider is ${secret.provider}: DuckDB fetches its keys, so there is no fixed key pair to move`;
  return undefined;
}

/** Where this session's DuckDB keeps persistent secrets: `current_setting('secret_directory')`. */
export async function readSecretDirectory(sql: SqlRunner): Promise<string> {
  const rows = await sql.query(SECRET_DIRECTORY.sql, SECRET_DIRECTORY.describe);
  const directory = rows[0]?.secret_directory;
  return typeof directory === 'string' ? directory : '';
}

/** The plaintext entry for a listed secret, or undefined when it is not a local persistent one. */
export function plaintextSecret(secret: SecretInfo, directory: string, kinds: readonly MovableKind[] = MOVABLE_KINDS): PlaintextSecret | undefined {
  if (secret.storage !== LOCAL_FILE_STORAGE) return undefined;
  const notMovable = notMovableReason(secret, kinds);
  return { name: secret.name, type: secret.type, file: secretFile(directory, secret.name), scope: secret.scope, ...(notMovable !== undefined && { notMovable }) };
}

/** The plaintext entries for secrets already listed, given the directory they were read from. */
export function plaintextSecrets(listed: readonly SecretInfo[], directory: string, kinds: readonly MovableKind[] = MOVABLE_KINDS): PlaintextSecret[] {
  return listed.flatMap((s) => plaintextSecret(s, directory, kinds) ?? []);
}

/**
 * Every local persistent secret `sql`'s DuckDB sees, with its file, in the directory that session
 * really uses. Reads only the redacted listing. For the Secrets view and the CLI's `doctor`.
 */
export async function listPlaintextSecrets(sql: SqlRunner, kinds: readonly MovableKind[] = MOVABLE_KINDS): Promise<PlaintextSecretsReport> {
  const directory = await readSecretDirectory(sql);
  return { directory, secrets: plaintextSecrets(await listSecrets(sql), directory, kinds) };
}
