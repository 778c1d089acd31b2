/**
 * Names that say "the value next to me is a credential": DuckDB secret options (`KEY_ID`,
 * `SECRET`), environment variables (`R2_SECRET_KEY`, `AWS_SESSION_TOKEN`), DuckDB's legacy S3
 * settings (`s3_access_key_id`), boto/dbt/Spark keys (`aws_secret_access_key`, `fs.s3a.secret.key`),
 * camelCase SDK options (`secretAccessKey`). Names are compared without case and separators.
 */
import type { CredentialRole, Provider } from './finding';

export interface KeyContext {
  /** `either`: a key id or a secret, as the value's shape says (`R2_KEY=…`). */
  readonly role: CredentialRole | 'either';
  readonly provider?: Provider;
  /** DuckDB's `s3_*` settings: a `legacy_set` finding. */
  readonly legacy: boolean;
  /** Plain `token`: only a JWT where MotherDuck is mentioned is a MotherDuck token. */
  readonly needsMotherDuck: boolean;
  /** The name without case or separators, to reject `R2_SECRET_KEY=R2_SECRET_KEY`. */
  readonly normalized: string;
}

/**
 * Finds where a credential-ish name may be: a cheap literal search, after which the whole name is
 * read around the match and classified. Linear: fixed alternatives, no nested quantifiers.
 */
export const KEY_HINT = /key|secret|token|pass|pwd|account/gi;

const LEGACY: Readonly<Record<string, CredentialRole>> = {
  s3accesskeyid: 'key_id',
  s3secretaccesskey: 'secret',
  s3sessiontoken: 'session_token',
};

const GENERIC_TOKENS = new Set(['token', 'accesstoken', 'authtoken', 'apitoken', 'bearertoken', 'mdtoken']);

/** `name` as written (`R2_SECRET_KEY`, `aws-access-key-id`, `accessKeyId`, `fs.s3a.secret.key`). */
export function classifyKey(name: string): KeyContext | undefined {
  const lower = name.toLowerCase();
  const normalized = lower.replace(/[^a-z0-9]/g, '');
  if (normalized.length > 80) return undefined;
  const provider = providerOfKey(lower, normalized);
  const context = (role: KeyContext['role'], extra: Partial<KeyContext> = {}): KeyContext => ({
    role,
    legacy: false,
    needsMotherDuck: false,
    normalized,
    ...(provider ? { provider } : {}),
    ...extra,
  });
  // DuckDB's settings are spelt with underscores; `--s3-access-key-id` is another tool's flag.
  const legacy = /^s3_[a-z_]+$/.test(lower) ? LEGACY[normalized] : undefined;
  if (legacy) return context(legacy, { legacy: true });
  if (normalized.endsWith('token')) {
    if (normalized.includes('motherduck') || normalized === 'mdtoken') return context('motherduck_token', { provider: 'motherduck' });
    if (normalized.endsWith('sessiontoken') || normalized.endsWith('securitytoken')) return context('session_token');
    // Only a JWT passes (see needsMotherDuck), and a JWT's shape names its provider.
    if (GENERIC_TOKENS.has(normalized) || provider === 'motherduck') return context('motherduck_token', { needsMotherDuck: true });
    return undefined;
  }
  if (/(?:secretaccesskey|secretkey|secret|accountkey|storagekey|sharedkey)$/.test(normalized)) {
    // `keysecret`, `secretsecret` and similar are names of something else (a secret's name).
    if (/(?:name|type|id|path|file|arn|ref|manager)secret$/.test(normalized)) return undefined;
    if (!provider && /(?:accountkey|storagekey|sharedkey)$/.test(normalized)) return context('secret', { provider: 'azure' });
    return context('secret');
  }
  if (/(?:accesskeyid|keyid|accessid|accesskey)$/.test(normalized)) {
    if (/(?:kms|ssh|gpg|pgp|sign|signing|api|public|partition|sort|primary|foreign|cache)keyid$/.test(normalized)) return undefined;
    return context('key_id');
  }
  if (/(?:password|passwd|pwd)$/.test(normalized) || /(?:^|[_.-])pass$/.test(lower)) return context('password');
  if (normalized.endsWith('accountid')) {
    if (provider && provider !== 'r2') return undefined;
    return context('account_id');
  }
  if (normalized.endsWith('key') && provider !== undefined && provider !== 'motherduck') return context('either');
  if (/(?:^|[_.-])(?:s3|hmac|minio)[_.-]?key$/.test(lower)) return context('either');
  return undefined;
}

function providerOfKey(lower: string, normalized: string): Provider | undefined {
  if (normalized.includes('motherduck') || /(?:^|[_.-])md[_.-]/.test(lower)) return 'motherduck';
  if (normalized.includes('cloudflare') || /(?:^|[^a-z0-9])(?:r2|cf)[^a-z0-9]/.test(lower) || /^r2[a-z]/.test(lower)) return 'r2';
  if (/(?:^|[^a-z0-9])aws/.test(lower)) return 'aws';
  if (/(?:^|[^a-z0-9])(?:gcs|gcp|google)/.test(lower)) return 'gcs';
  if (normalized.includes('azure')) return 'azure';
  return undefined;
}
