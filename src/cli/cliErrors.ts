/**
 * Exit codes, and the core's user-facing messages reworded for a terminal: the core names the
 * extension's settings and commands ("the duckdbSecrets.duckdb.options setting", "Delete Secret"),
 * which a shell user reaches through flags and sub-commands instead.
 */
import { isExtensionFailure, parseHttpfsError } from '../core/bucket/bucketErrors';
import { CancelledError, UserFacingError, errorText } from '../core/errors';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  credentials: 3,
  accessDenied: 4,
  notFound: 5,
  network: 6,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  findings (scan), a failed check (test, doctor) or a secret that could not be dropped
  2  usage: unknown command or option, a missing argument, or a question only --yes can answer
  3  missing or invalid credentials (nothing was sent anywhere)
  4  access denied (HTTP 401/403: unknown key id, wrong secret key, or no permission)
  5  not found (bucket, object or secret)
  6  network or extension download (httpfs, MotherDuck unreachable)`;

/** A failure the CLI itself detects, with the exit code it means. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

/** The exit code an error means, from what it says happened (HTTP status, transport, extension). */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof CancelledError) return EXIT.interrupted;
  const message = errorText(error);
  const detail = error instanceof UserFacingError ? (error.detail ?? '') : message;
  const all = `${message}\n${detail}`;
  if (error instanceof UserFacingError && error.name === 'ProfileValidationError') return EXIT.credentials;
  if (/^Missing R2 credentials/.test(message)) return EXIT.credentials;
  if (/Unrecognized configuration (property|parameter)|options were not recognized|Could not set option/i.test(all)) return EXIT.usage;
  if (isExtensionFailure(detail) || /needs its httpfs extension|download its MotherDuck extension|Could not reach MotherDuck/.test(message)) return EXIT.network;
  const http = parseHttpfsError(detail);
  const status = http.status ?? Number(/\bHTTP (\d{3})\b/.exec(all)?.[1] ?? NaN);
  if (status === 401 || status === 403) return EXIT.accessDenied;
  if (status === 404 || /does not exist|not found/i.test(message)) return EXIT.notFound;
  if (
    http.transport !== undefined ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|fetch failed|Could not establish connection|Nothing answers at|did not answer in time|was not found .*online/.test(all)
  ) {
    return EXIT.network;
  }
  return EXIT.failed;
}

const REWORDING: readonly (readonly [RegExp, string])[] = [
  [/^DuckDB failed to [^:]*: The following options were not recognized: (.*)$/s, 'DuckDB does not know the --duckdb-option $1.'],
  [/^DuckDB failed to start with the duckdbSecrets\.duckdb\.options setting: /, 'DuckDB did not start with the --duckdb-option values given: '],
  [/^DuckDB failed to start with the (\w+) option in the duckdbSecrets\.duckdb\.options setting: /, 'DuckDB refused --duckdb-option $1: '],
  [
    /set extension_directory \(plus allow_unsigned_extensions "true" for a self-built one\) in the duckdbSecrets\.duckdb\.options setting/g,
    'pass --duckdb-option extension_directory=/path/to/extensions (plus --duckdb-option allow_unsigned_extensions=true for a self-built one)',
  ],
  [/set it in the duckdbSecrets\.duckdb\.options setting/g, 'pass it with --duckdb-option extension_directory=/path/to/extensions'],
  [/set allow_unsigned_extensions to "true" in the duckdbSecrets\.duckdb\.options setting/g, 'pass --duckdb-option allow_unsigned_extensions=true'],
  [/Remove allow_persistent_secrets from the duckdbSecrets\.duckdb\.options setting \(or set it to "true"\); the session restarts by itself\./g, 'Drop --duckdb-option allow_persistent_secrets=false (or pass =true).'],
  [/Remove that option from the duckdbSecrets\.duckdb\.options setting\./g, 'Drop that --duckdb-option.'],
  [/in the duckdbSecrets\.duckdb\.options setting/g, 'with --duckdb-option key=value'],
  [/the extension's DuckDB session/g, "this command's DuckDB session"],
  [/Check the duckdbSecrets\.testBucket\.readObject setting\./g, 'Check the key given to --read.'],
  [/Refresh the Secrets view to see what is there\./g, 'Run duckdb-secrets list to see what is there.'],
  [/Delete it first \(Delete Secret\)/g, 'Drop it first (duckdb-secrets drop NAME), pass --replace'],
  [/Choose which one to delete\./g, 'Pass --storage to choose which one to drop.'],
  [/Connect to MotherDuck first\./g, 'Set motherduck_token to reach MotherDuck.'],
  [/and run "Set MotherDuck Token"/g, 'and set it in motherduck_token'],
  [/clear the duckdbSecrets\.duckdb\.databasePath setting/g, 'run without a database file'],
  [/profile "environment"/g, 'the credentials from the environment'],
  [/update the profile's credentials/g, 'update the credentials in the environment or .env'],
  [/the profile's /g, 'the credentials\' '],
  [/ The local session keeps working\./g, ''],
];

/** A core message in a terminal's words. */
export function forTerminal(message: string): string {
  let out = message;
  for (const [pattern, replacement] of REWORDING) out = out.replace(pattern, replacement);
  return out;
}
