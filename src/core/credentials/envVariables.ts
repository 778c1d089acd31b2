/**
 * The environment variables terminals and tasks get from the active profile (the opt-in "Use R2
 * Credentials in Terminals"): the names of the `duckdbSecrets.env.*` settings, plus
 * `MOTHERDUCK_TOKEN` and `motherduck_token` when a token is stored. Also compares them with a
 * workspace `.env`, so the user learns the file holds the same (or stale) values and can delete
 * it. No VS Code import; nothing here logs, shows or returns a value in a message.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { resolveEndpoint, type Credentials } from './profiles';
import type { EnvNames, EnvSource } from './envImport';

/** Both spellings tools read: dbt-duckdb and the DuckDB CLI take the lower-case one, others the upper. */
export const MOTHERDUCK_TOKEN_VARIABLES = ['MOTHERDUCK_TOKEN', 'motherduck_token'] as const;

/** One variable handed to terminals; `secret` marks the values never to show. */
export interface EnvVariable {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
}

/**
 * The variables for `credentials`, in settings order. The endpoint variable holds `host[:port]`,
 * what DuckDB's `ENDPOINT` and dbt-duckdb's `endpoint` take; it is set only when the profile's
 * endpoint is not R2's default (which DuckDB derives from the account id).
 */
export function profileVariables(credentials: Credentials, names: EnvNames, motherDuckToken?: string): EnvVariable[] {
  const endpoint = resolveEndpoint(credentials);
  const variables: EnvVariable[] = [
    { name: names.accessKeyId, value: credentials.accessKeyId, secret: true },
    { name: names.secretKey, value: credentials.secretAccessKey, secret: true },
    { name: names.accountId, value: credentials.accountId, secret: false },
    { name: names.bucket, value: credentials.bucket, secret: false },
  ];
  if (!endpoint.isDefault) variables.push({ name: names.endpoint, value: endpoint.host, secret: false });
  if (motherDuckToken) for (const name of MOTHERDUCK_TOKEN_VARIABLES) variables.push({ name, value: motherDuckToken, secret: true });
  const seen = new Set<string>();
  // Two settings naming the same variable: the first one wins, as the import reads them.
  return variables.filter((v) => v.name.trim() !== '' && !seen.has(v.name) && seen.add(v.name));
}

/** "R2_ACCESS_KEY_ID, R2_SECRET_KEY, …": the names only, for descriptions and messages. */
export function variableNames(variables: readonly EnvVariable[]): string {
  return variables.map((v) => v.name).join(', ');
}

/** How a `.env` file's variables compare with the ones terminals get. Names only. */
export interface DotEnvComparison {
  readonly file: string;
  readonly same: readonly string[];
  readonly different: readonly string[];
}

/** Compares in constant time over digests, so not even timing tells how much of a value matched. */
function sameValue(a: string, b: string): boolean {
  // A string goes in as UTF-8.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Which of `variables` the `.env` source also sets, with the same or a different value; undefined when it sets none. */
export function compareDotEnv(source: EnvSource, variables: readonly EnvVariable[]): DotEnvComparison | undefined {
  const same: string[] = [];
  const different: string[] = [];
  for (const variable of variables) {
    const value = source.values[variable.name];
    if (value === undefined || value.trim() === '') continue;
    (sameValue(value.trim(), variable.value) ? same : different).push(variable.name);
  }
  if (same.length === 0 && different.length === 0) return undefined;
  return { file: source.description, same, different };
}

/** The sentence Use R2 Credentials in Terminals shows for a `.env` that holds some of the variables. */
export function describeDotEnv(comparison: DotEnvComparison): string {
  const parts: string[] = [];
  if (comparison.same.length > 0) parts.push(`the same value${comparison.same.length === 1 ? '' : 's'} for ${comparison.same.join(', ')}`);
  if (comparison.different.length > 0) {
    parts.push(`${comparison.different.length === 1 ? 'a different value' : 'different values'} for ${comparison.different.join(', ')}`);
  }
  const advice =
    comparison.different.length > 0
      ? 'Tools that load .env themselves may use its values instead of the keychain\'s: delete them from the file once you have checked which is right.'
      : 'Terminals get them from the keychain now, so you can delete them from the file.';
  return `${comparison.file} holds ${parts.join(' and ')}. ${advice}`;
}

