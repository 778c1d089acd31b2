/**
 * DuckDB's failure texts, translated into what the user should do next. The original text goes
 * into `detail` (for the log) after the statement echo is cut off: DuckDB's parser and binder
 * errors quote the statement (`LINE 1: CREATE SECRET … SECRET '…'`), which may hold a secret.
 * No VS Code import.
 */
import { UserFacingError, errorText, urlHost, type ErrorAction } from '../errors';
import type { Credentials } from '../credentials/profiles';
import { storageLabel } from '../secrets/secretsModel';

/** What was being done when DuckDB failed; decides the wording. */
export type DuckDBAction =
  | { readonly kind: 'create'; readonly type: string; readonly name: string; readonly persistent: boolean }
  | { readonly kind: 'drop'; readonly name: string; readonly storage?: string }
  | { readonly kind: 'which'; readonly path: string }
  | { readonly kind: 'query'; readonly what: string };

export const OPTIONS_SETTING = 'duckdbSecrets.duckdb.options';

export const OPEN_OPTIONS_SETTING: ErrorAction = {
  title: 'Open Setting',
  command: 'workbench.action.openSettings',
  args: [OPTIONS_SETTING],
};

const SET_CREDENTIALS: ErrorAction = { title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials' };

/**
 * DuckDB's text without the statement it echoes: everything from the first `LINE n:` on, and the
 * token quoted in `at or near "…"` (a fragment of the statement).
 */
export function stripStatementEcho(text: string): string {
  const echo = /\n\s*LINE \d+:/.exec(text);
  const cut = echo ? text.slice(0, echo.index) : text;
  return cut.replace(/ at or near "(?:[^"]|"")*"/g, ' at or near "…"').trim();
}

export function translateDuckDBError(error: unknown, action: DuckDBAction): UserFacingError {
  if (error instanceof UserFacingError) return error;
  const detail = stripStatementEcho(errorText(error));
  const firstLine = detail.split('\n')[0]!.replace(/^[A-Za-z ]+ Error: /, '');
  const fail = (message: string, actions: readonly ErrorAction[] = []) => new UserFacingError(message, detail, actions);

  const extension = extensionProblem(detail);
  if (extension) return fail(extension, [OPEN_OPTIONS_SETTING]);

  if (/Persistent secrets are disabled/.test(detail)) {
    return fail(
      `Persistent secrets are disabled in the extension's DuckDB session (allow_persistent_secrets is false). ` +
        `Remove allow_persistent_secrets from the ${OPTIONS_SETTING} setting (or set it to "true"); the session restarts by itself.`,
      [OPEN_OPTIONS_SETTING],
    );
  }
  if (/Failed to initialize persistent storage directory/.test(detail)) {
    return fail(
      `DuckDB cannot create its secret directory for persistent secrets (${firstLine}). ` +
        `Set secret_directory to a writable folder in the ${OPTIONS_SETTING} setting.`,
      [OPEN_OPTIONS_SETTING],
    );
  }
  const exists = /(Persistent|Temporary) secret with name '((?:[^']|'')*)' already exists(?: in secret storage '([^']*)')?/.exec(detail);
  if (exists) {
    const where = exists[1] === 'Persistent' ? storageLabel(exists[3] ?? 'local_file') : storageLabel('memory');
    return fail(
      `A secret named "${exists[2]}" already exists in ${where}. Delete it first (Delete Secret), or choose another name.`,
    );
  }
  const ambiguous = /Ambiguity found for secret name '((?:[^']|'')*)', secret occurs in multiple storages: \[([^\]]*)\]/.exec(detail);
  if (ambiguous) {
    const storages = ambiguous[2]!.split(',').map((s) => storageLabel(s.trim()));
    return fail(`Secret "${ambiguous[1]}" exists in ${storages.join(' and ')}. Choose which one to delete.`);
  }
  const missing = /Failed to remove non-existent (?:(?:temporary|persistent) )?secret (?:with name )?'((?:[^']|'')*)'/.exec(detail);
  if (missing) {
    // Stryker disable next-line ConditionalExpression: only a drop action has a storage, so `true && action.storage` is the same (the `false` mutants are killed)
    const where = action.kind === 'drop' && action.storage ? ` in ${storageLabel(action.storage)}` : '';
    return fail(`Secret "${missing[1]}" does not exist${where} (any more). Refresh the Secrets view to see what is there.`);
  }
  const noStorage = /Secret storage '([^']*)' not found/.exec(detail) ?? /Unknown storage type found for drop secret: '([^']*)'/.exec(detail);
  if (noStorage) {
    const hint = noStorage[1] === 'motherduck' ? ' Connect to MotherDuck first.' : '';
    return fail(`The secret storage "${noStorage[1]}" is not available in this DuckDB session.${hint}`);
  }
  if (/Could not set lock on file/.test(detail)) {
    return fail(
      `The database file is locked by another process (a dbt run?). Try again when it has finished, or clear the duckdbSecrets.duckdb.databasePath setting.`,
    );
  }

  switch (action.kind) {
    case 'create':
      return fail(
        `Failed to create ${action.type.toUpperCase()} SECRET ${action.name}: ${firstLine}`,
        action.type === 'r2' ? [SET_CREDENTIALS] : [],
      );
    case 'drop':
      return fail(`Failed to delete secret ${action.name}: ${firstLine}`);
    case 'which':
      return fail(`Could not tell which secret applies to ${action.path}: ${firstLine}`);
    case 'query':
      return fail(`DuckDB failed to ${action.what}: ${firstLine}`);
  }
}

/** The user-facing explanation for a missing or unloadable httpfs extension, or undefined. */
function extensionProblem(fullText: string): string | undefined {
  // httpfs's own HTTP errors link to its docs (…/extensions/httpfs/s3api.html): links do not count.
  // Stryker disable next-line StringLiteral: any replacement without "httpfs" is the same; the cleaned text is only searched, never shown
  const detail = fullText.replace(/https?:\/\/\S+/g, '');
  if (!/httpfs/.test(detail)) return undefined;
  const why = 'DuckDB needs its httpfs extension for R2 secrets and r2:// paths';
  const where =
    `Put httpfs where DuckDB finds it: set extension_directory (plus allow_unsigned_extensions "true" for a self-built one) ` +
    `in the ${OPTIONS_SETTING} setting, or run INSTALL httpfs once on a connection to the internet.`;
  const download = /Failed to download extension "httpfs" at URL "([^"]*)"/.exec(fullText);
  if (download) {
    const host = urlHost(download[1]);
    return `${why}, and could not download it${host ? ` from ${host}` : ''} (offline, or the extension repository is blocked). ${where}`;
  }
  if (/not a DuckDB extension|metadata at the end of the file is invalid/.test(detail)) {
    return `${why}, but the httpfs file in its extension directory is not a valid DuckDB extension. Replace it with a build for this DuckDB version. ${where}`;
  }
  if (/signature/i.test(detail)) {
    return `${why}, but refused the httpfs file it found: it is not signed by DuckDB. For a self-built extension set allow_unsigned_extensions to "true" in the ${OPTIONS_SETTING} setting.`;
  }
  if (/built (?:specifically )?for DuckDB version|version mismatch/i.test(detail)) {
    return `${why}, but the httpfs file it found was built for another DuckDB version. Install one built for this version. ${where}`;
  }
  if (/exists in the httpfs extension/.test(detail)) {
    return `${why}, and automatic extension loading is turned off (autoload_known_extensions). Remove that option from the ${OPTIONS_SETTING} setting. ${where}`;
  }
  if (/Install it first|not found/.test(detail)) {
    return `${why}, and it is not installed (automatic installation is off). ${where}`;
  }
  return `${why}, and it could not be loaded. ${where}`;
}

/**
 * DuckDB refused `duckdbSecrets.duckdb.options` when the instance was created: translated as any
 * failure (an httpfs setting gets the httpfs advice), worded to name the setting. Option values are
 * cut out first, since a value may be a key someone put there.
 */
export function optionsRefusedError(error: unknown, options: Readonly<Record<string, string>>, culprit?: string): UserFacingError {
  let text = errorText(error);
  for (const value of Object.values(options)) {
    if (value.length >= 4) text = text.split(value).join('…');
  }
  const what = culprit ? `start with the ${culprit} option in the ${OPTIONS_SETTING} setting` : `start with the ${OPTIONS_SETTING} setting`;
  const translated = translateDuckDBError(new Error(text), { kind: 'query', what });
  // A query's translation offers either nothing or this same button.
  return new UserFacingError(translated.message, translated.detail, [OPEN_OPTIONS_SETTING]);
}

/**
 * Which option DuckDB refused, found by opening with each alone: DuckDB says only "Failed to set
 * config" for a value it cannot convert. Runs on the failure path only.
 */
export async function refusedOption(options: Readonly<Record<string, string>>, tryOpen: (options: Record<string, string>) => Promise<void>): Promise<string | undefined> {
  for (const [name, value] of Object.entries(options)) {
    try {
      await tryOpen({ [name]: value });
    } catch {
      return name;
    }
  }
  return undefined;
}

/** The credential fields an R2 secret needs that are empty, by their names in messages. */
export function missingR2Fields(credentials: Credentials | undefined): string[] {
  if (!credentials) return ['account id', 'access key id', 'secret access key'];
  const missing: string[] = [];
  if (!credentials.accountId.trim()) missing.push('account id');
  if (!credentials.accessKeyId.trim()) missing.push('access key id');
  if (!credentials.secretAccessKey.trim()) missing.push('secret access key');
  if (credentials.jurisdiction === 'custom' && !credentials.customEndpoint?.trim()) missing.push('custom endpoint');
  return missing;
}

/** "Missing R2 credentials: <fields>", with a button to set them. */
/** No profile and no R2 secret: what Test R2 Bucket says before asking for a path. */
export function noCredentialsError(): UserFacingError {
  return new UserFacingError(
    'Test R2 Bucket needs R2 credentials: no credential profile is set up and no R2 secret exists in this session. Set R2 credentials, or import them from a .env file.',
    undefined,
    [SET_CREDENTIALS, { title: 'Import from Environment', command: 'duckdbSecrets.importCredentialsFromEnv' }],
  );
}

export function missingCredentialsError(fields: readonly string[], noProfile = false): UserFacingError {
  const suffix = noProfile ? ' (no credential profile is set up)' : '';
  return new UserFacingError(`Missing R2 credentials: ${fields.join(', ')}${suffix}.`, undefined, [SET_CREDENTIALS]);
}
