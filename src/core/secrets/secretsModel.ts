/**
 * Reads DuckDB's secret manager (`duckdb_secrets()`) into plain objects and groups them by storage.
 * DuckDB redacts secret fields in that function; we never enable `allow_unredacted_secrets`.
 */
import type { Row, SqlRunner } from '../duckdb/sqlRunner';

export interface SecretInfo {
  readonly name: string;
  readonly type: string;
  readonly provider: string;
  readonly persistent: boolean;
  /** 'memory', 'local_file', 'motherduck', or another storage a DuckDB extension adds. */
  readonly storage: string;
  readonly scope: readonly string[];
  /** Non-secret fields parsed from `secret_string` (redacted ones are left out). */
  readonly fields: ReadonlyMap<string, string>;
}

export interface StorageGroup {
  readonly storage: string;
  readonly label: string;
  readonly secrets: readonly SecretInfo[];
}

const STORAGE_LABELS: Readonly<Record<string, string>> = {
  memory: 'Session (memory)',
  local_file: 'Local file (persistent)',
  motherduck: 'MotherDuck',
};

/** The storages always shown, in this order; others follow alphabetically. */
const STORAGE_ORDER = ['memory', 'local_file', 'motherduck'];

export const LIST_SECRETS_SQL =
  'SELECT name, type, provider, persistent, storage, scope, secret_string FROM system.main.duckdb_secrets() ORDER BY name';

export async function listSecrets(sql: SqlRunner): Promise<SecretInfo[]> {
  const rows = await sql.query(LIST_SECRETS_SQL, 'list secrets');
  return rows.map(toSecretInfo);
}

/** True when DuckDB lists at least one secret of `type` (in any storage it knows). */
export async function hasSecretOfType(sql: SqlRunner, type: string): Promise<boolean> {
  return (await listSecrets(sql)).some((s) => s.type === type);
}

export function storageLabel(storage: string): string {
  return STORAGE_LABELS[storage] ?? storage;
}

/** Groups secrets by storage; groups without secrets are left out. */
export function groupByStorage(secrets: readonly SecretInfo[]): StorageGroup[] {
  const byStorage = new Map<string, SecretInfo[]>();
  for (const secret of secrets) {
    const list = byStorage.get(secret.storage) ?? [];
    list.push(secret);
    byStorage.set(secret.storage, list);
  }
  const rank = (storage: string): number => {
    const index = STORAGE_ORDER.indexOf(storage);
    return index === -1 ? STORAGE_ORDER.length : index;
  };
  return [...byStorage.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([storage, list]) => ({ storage, label: storageLabel(storage), secrets: list }));
}

function toSecretInfo(row: Row): SecretInfo {
  const scope = Array.isArray(row.scope) ? row.scope.map(String) : [];
  return {
    name: String(row.name),
    type: String(row.type),
    provider: String(row.provider),
    persistent: row.persistent === true,
    storage: String(row.storage),
    scope,
    fields: parseSecretString(
      typeof row.secret_string === 'string' ? row.secret_string
        // Stryker disable next-line StringLiteral: any text without "=" parses to no fields, as "" does
        : '',
    ),
  };
}

/**
 * Parses DuckDB's `secret_string` (`name=x;type=r2;…;secret=redacted`) into its non-secret fields.
 * DuckDB does not escape `;` in values, so a value holding one is cut there: the result is for
 * display only, never for rebuilding a secret.
 */
export function parseSecretString(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (value === 'redacted') continue;
    fields.set(key, value);
  }
  for (const own of ['name', 'type', 'provider', 'serializable']) fields.delete(own);
  return fields;
}

const CLOUDFLARE_R2_HOST = /(^|\.)r2\.cloudflarestorage\.com(:\d+)?$/i;

/**
 * True for a secret that reads R2: DuckDB's `r2` type, or a `TYPE s3` secret pointed at R2 — a
 * Cloudflare R2 endpoint, or R2's region `auto` (the form Create R2 Secret makes for `s3://`
 * scopes, which a custom endpoint such as a local test server shares). Display and menus only.
 */
export function isR2Backed(secret: Pick<SecretInfo, 'type' | 'fields'>): boolean {
  if (secret.type === 'r2') return true;
  if (secret.type !== 's3') return false;
  const endpoint =
    secret.fields.get('endpoint') ??
    // Stryker disable next-line StringLiteral: no text without an R2 host matches the pattern, so any fallback reads as "not R2" like ""
    '';
  return CLOUDFLARE_R2_HOST.test(endpoint) || secret.fields.get('region') === 'auto';
}
