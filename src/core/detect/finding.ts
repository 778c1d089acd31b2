/**
 * What the credential detector reports. Shared by the language server (diagnostics, code actions)
 * and the `duckdb-secrets scan` CLI. A finding never holds the credential itself: it holds where
 * it is (offsets and LSP positions), what it is, and what a code action needs to replace it. Read
 * the value from the document text with `text.slice(finding.start, finding.end)` when an action
 * really needs it (storing it in a profile), and never put it in a message, a log or LSP data.
 */

import type { FileKind } from './fileKind';

/** The diagnostic `code`. `legacy_set` is a credential in `SET s3_…` or dbt `settings: s3_…`. */
export type FindingKind =
  | 'key_id'
  | 'secret'
  | 'session_token'
  | 'motherduck_token'
  | 'legacy_set'
  | 'password'
  | 'account_id';

/** What the value is, whatever statement holds it (a `legacy_set` finding is still a key id or a secret). */
export type CredentialRole = 'key_id' | 'secret' | 'session_token' | 'motherduck_token' | 'password' | 'account_id';

export type Provider = 'r2' | 'aws' | 'gcs' | 'azure' | 'motherduck' | 'unknown';

/** How the literal is quoted in the file: `''` for a bare value (`.env`, YAML, shell). */
export type QuoteStyle = '' | "'" | '"' | '`' | "'''" | '"""';

/** 0-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface LspRange {
  readonly start: Position;
  readonly end: Position;
}

/** A stretch of the document: UTF-16 offsets (end exclusive) and the same stretch as an LSP range. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly range: LspRange;
}

/** Which rule found the value (for tests, `--json` output and telemetry-free debugging). */
export type RuleId =
  | 'option' // KEY_ID '…', key_id: …, R2_SECRET_KEY=…, aws_access_key_id="…"
  | 'env-default' // os.getenv('X', '…'), env_var('X', '…'), ${X:-…}
  | 'url-password' // postgresql://user:…@host
  | 'shape' // AKIA…, GOOG1…, a session token, a MotherDuck JWT, found without a key name
  | 'statement' // a field of CREATE SECRET (…) the other rules did not see (value on another line)
  | 'known'; // equal to a credential stored in the keychain (by salted hash)

/** What the client says about one stored credential, keyed by its salted hash. No value, ever. */
export interface KnownCredential {
  readonly role: Exclude<CredentialRole, 'account_id'>;
  readonly provider?: Provider;
  /** The profile's label, for the message ("… stored in profile 'Lakehouse'"). */
  readonly label?: string;
}

/** One field of a `CREATE SECRET (…)` statement. */
export interface SecretField {
  /** As written, e.g. `KEY_ID`. */
  readonly name: string;
  /** Lower case, e.g. `key_id`. */
  readonly key: string;
  /** The value without its quotes (what a profile would store). */
  readonly value: Span;
  /** The value with its quotes. */
  readonly literal: Span;
  readonly quote: QuoteStyle;
  /** The text of the value, only for fields that are not credentials (type, region, account_id, scope…). */
  readonly text?: string;
}

/** A whole `CREATE [OR REPLACE] [PERSISTENT|TEMPORARY] SECRET [IF NOT EXISTS] [name] [IN storage] (…)[;]`. */
export interface SecretStatement {
  /** From `CREATE` to the closing parenthesis, and the `;` right after it when there is one. */
  readonly range: Span;
  readonly name?: string;
  /** `IN motherduck`, `IN local_file`, lower case. */
  readonly storage?: string;
  readonly persistence?: 'persistent' | 'temporary';
  readonly orReplace: boolean;
  /** The TYPE field, lower case (`r2`, `s3`, `gcs`, `azure`, `motherduck`…). */
  readonly type?: string;
  readonly provider: Provider;
  readonly fields: readonly SecretField[];
}

export interface Finding {
  readonly kind: FindingKind;
  readonly role: CredentialRole;
  readonly provider: Provider;
  /** The detector's default; the server may lower it (a git-ignored `.env`) or apply a setting. */
  readonly severity: 'warning' | 'information';
  /** Says what and where, never the value: "R2 secret access key hardcoded in SECRET '…'". */
  readonly message: string;
  /** The value, without quotes: the diagnostic range. */
  readonly start: number;
  readonly end: number;
  readonly range: LspRange;
  /** The value with its quotes: what "replace with a reference" replaces in Python or shell. */
  readonly literal: Span;
  readonly quote: QuoteStyle;
  /** The syntax the value was read in: the file's kind, or a notebook cell's or Markdown fence's language. */
  readonly syntax: FileKind;
  /** The key name that gave the value away, as written: `SECRET`, `R2_SECRET_KEY`, `s3_secret_access_key`. */
  readonly contextKey?: string;
  /** The environment variable to refer to instead, from the extension's `duckdbSecrets.env.*` names. */
  readonly envVar?: string;
  readonly rule: RuleId;
  /** Set when the value equals a credential stored in the keychain. */
  readonly known?: KnownCredential;
  /** The `CREATE SECRET` statement the value is a field of (the same object for each of its findings). */
  readonly statement?: SecretStatement;
  /** The text sits inside a JSON string (a notebook cell): escape any replacement as JSON. */
  readonly jsonEscaped?: boolean;
}

/** Environment variable names, as the `duckdbSecrets.env.*` settings name them. */
export interface DetectEnvNames {
  readonly accessKeyId: string;
  readonly secretKey: string;
  readonly accountId: string;
}

export const DEFAULT_DETECT_ENV_NAMES: DetectEnvNames = {
  accessKeyId: 'R2_ACCESS_KEY_ID',
  secretKey: 'R2_SECRET_KEY',
  accountId: 'CLOUDFLARE_ACCOUNT_ID',
};

export interface KnownHashes {
  /** The salt the client hashed with (random per window). */
  readonly salt: string;
  /** `hashCredential(value, salt)` of each stored value, with what it is. */
  readonly hashes: ReadonlyMap<string, KnownCredential>;
}

export interface DetectOptions {
  readonly knownHashes?: KnownHashes;
  /** Also report Cloudflare account ids next to credentials, as `account_id` Information hints. */
  readonly accountIdHints?: boolean;
  readonly envNames?: Partial<DetectEnvNames>;
}
