/**
 * What the language server (src/server) and its VS Code client (src/extension/lint) say to each
 * other beyond LSP itself. Both import this module; nothing here carries a credential value: the
 * client sends salted hashes, names and listings, and the server sends locations.
 */
import type { CredentialRole, DetectEnvNames, LspRange, Provider } from '../detect/finding';

/** The diagnostics' `source`. */
export const LINT_SOURCE = 'duckdb-secrets';

export type LintSeverity = 'error' | 'warning' | 'information' | 'hint';

/** The `duckdbSecrets` section a client sends (initializationOptions.settings or didChangeConfiguration). */
export interface LintSettings {
  readonly enable: boolean;
  readonly severity: LintSeverity;
  /** Globs of files not to lint, matched against the workspace-relative path (`test/fixtures/**`); a glob without `/` matches a file name anywhere (`*.md`). */
  readonly exclude: readonly string[];
  readonly envNames: DetectEnvNames;
}

export const DEFAULT_LINT_SETTINGS: LintSettings = {
  enable: true,
  severity: 'warning',
  exclude: [],
  envNames: { accessKeyId: 'R2_ACCESS_KEY_ID', secretKey: 'R2_SECRET_KEY', accountId: 'CLOUDFLARE_ACCOUNT_ID' },
};

/** `initializationOptions`: the settings, and what the client can answer (other editors answer nothing). */
export interface LintInitializationOptions {
  readonly settings?: unknown;
  /** The client answers WHICH_SECRET_REQUEST and runs STORE_IN_PROFILE_COMMAND / IMPORT_ENV_COMMAND. */
  readonly duckdbSecretsClient?: boolean;
}

/** Client → server: salted hashes of every stored key id, secret and MotherDuck token. Replaces the last set. */
export const KNOWN_CREDENTIALS_NOTIFICATION = 'duckdbSecrets/knownCredentials';
export interface KnownCredentialEntry {
  /** `hashCredential(value, salt)` (src/core/detect/knownCredentials.ts). */
  readonly hash: string;
  readonly role: Exclude<CredentialRole, 'account_id'>;
  readonly provider?: Provider;
  /** The profile's label, shown in the message. */
  readonly label?: string;
}
export interface KnownCredentialsParams {
  /** Random per window. */
  readonly salt: string;
  readonly entries: readonly KnownCredentialEntry[];
}

/** Client → server: the names in `duckdb_secrets()` of the window's DuckDB session. Replaces the last set. */
export const SECRET_NAMES_NOTIFICATION = 'duckdbSecrets/secretNames';
export interface SecretNamesParams {
  readonly names: readonly string[];
}

/** Client → server: folders and objects the window has listed (Test R2 Bucket, Browse Bucket). Replaces the last set. */
export const BUCKET_LISTING_NOTIFICATION = 'duckdbSecrets/bucketListing';
export interface BucketEntry {
  /** `r2://bucket/prefix/` for a folder, `r2://bucket/key` for an object. */
  readonly uri: string;
  readonly kind: 'folder' | 'object';
  readonly size?: number;
  /** ISO 8601. */
  readonly modified?: string;
}
export interface BucketListingParams {
  readonly entries: readonly BucketEntry[];
}

/** Server → client: which secret DuckDB applies to an `r2://` path (`which_secret`) in the window's session. */
export const WHICH_SECRET_REQUEST = 'duckdbSecrets/whichSecret';
export interface WhichSecretParams {
  readonly path: string;
}
export type WhichSecretResult =
  | { readonly kind: 'secret'; readonly name: string; readonly storage: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** A client command a code action runs: stores values read from the document in a credential profile. */
export const STORE_IN_PROFILE_COMMAND = 'duckdbSecrets.storeInProfile';
export interface StoredValueLocation {
  readonly role: CredentialRole;
  readonly provider: Provider;
  readonly range: LspRange;
}
export interface StoreInProfileArgs {
  readonly uri: string;
  /** The document version the ranges belong to: the client refuses a document that changed since. */
  readonly version: number;
  /** Where the values are; the client reads them from its own copy of the document. */
  readonly values: readonly StoredValueLocation[];
  /** What is replaced once the values are stored: a whole `CREATE SECRET` statement, or one literal. */
  readonly replace: LspRange;
  /** `statement`: replaced by a comment; `literal`: replaced by `reference` (or left when none). */
  readonly replaceWith: { readonly kind: 'statement'; readonly secretName?: string; readonly commentPrefix: string } | { readonly kind: 'literal'; readonly reference?: string };
}

/** The existing "Import R2 Credentials from Environment" command, offered on `.env` findings. */
export const IMPORT_ENV_COMMAND = 'duckdbSecrets.importCredentialsFromEnv';

/** The comment a stored `CREATE SECRET` statement becomes. Names no value. */
export function storedStatementComment(commentPrefix: string, profileLabel: string, secretName: string): string {
  return `${commentPrefix} R2 credentials are in credential profile '${profileLabel}': run "DuckDB Secrets: Create R2 Secret" to create ${secretName}`;
}
