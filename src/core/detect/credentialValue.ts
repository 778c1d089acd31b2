/**
 * Judges a value a rule found: is it a credential of the role its context says, and whose? Context
 * says "this should be a secret"; the value must then also look like one (random enough, the right
 * characters and length) and be none of the things that stand in for one (references,
 * placeholders, masked values, names, UUIDs, paths).
 */
import type { CredentialRole, Provider } from './finding';
import { entropy, isNameLike, isPlaceholder, isReference, lacksRandomness } from './valueFilters';
import { AWS_KEY_ID, AWS_SECRET, AZURE_ACCOUNT_KEY, GCS_HMAC_ID, JWT, providerOfValue, R2_KEY_ID, R2_SECRET, UUID } from './valueShape';

export interface ValueContext {
  readonly role: CredentialRole | 'either';
  /** Unquoted in SQL or Python code: an expression, so never a password. */
  readonly bareCode: boolean;
  /** Unquoted in free text: a password needs a digit or a symbol to be one. */
  readonly bareProse: boolean;
  /** The key's name without case or separators (`R2_SECRET_KEY=R2_SECRET_KEY` is no value). */
  readonly keyNormalized?: string;
  /** The provider the context names (key prefix, statement TYPE). */
  readonly provider?: Provider;
}

export interface Judged {
  readonly role: CredentialRole;
  readonly provider: Provider;
}

/** No blanks and no `:`, so no URLs: every shape below is made of these too. */
const TOKEN_CHARS = /^[A-Za-z0-9+/=_\-.~]+$/;

/** Random-looking: no placeholder, no name, enough entropy, a digit (or long and mixed case). */
function looksRandom(value: string, min: number, max: number): boolean {
  if (value.length < min || value.length > max || !TOKEN_CHARS.test(value)) return false;
  if (lacksRandomness(value) || isNameLike(value)) return false;
  const digit = /\d/.test(value);
  const mixed = /[a-z]/.test(value) && /[A-Z]/.test(value);
  if (!digit && !(mixed && value.length >= 24)) return false;
  return entropy(value) >= 3;
}

/** 32 or 64 hex digits (the caller has matched the shape) random enough to be a key. */
function isRandomHex(value: string): boolean {
  // Stryker disable next-line MethodExpression: upper- or lower-casing folds the same pairs of hex digits
  return !lacksRandomness(value) && new Set(value.toLowerCase()).size >= 6;
}

function judgePassword(value: string, context: ValueContext): boolean {
  if (context.bareCode) return false;
  if (value.length < 4 || value.length > 256 || /[\r\n]/.test(value)) return false;
  if (lacksRandomness(value)) return false;
  if (context.bareProse) {
    if (!/[\d\W_]/.test(value) || /\s/.test(value)) return false;
    if (isNameLike(value) && !/\d/.test(value)) return false;
    // A member access in code-like text: `config.db_password`, `vault.read`.
    if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false;
  }
  return true;
}

/** The role a value's shape says, for keys that may hold either (`R2_KEY=…`). */
function roleOfShape(value: string): CredentialRole {
  return R2_KEY_ID.test(value) || AWS_KEY_ID.test(value) || GCS_HMAC_ID.test(value) ? 'key_id' : 'secret';
}

export function judgeValue(value: string, context: ValueContext): Judged | undefined {
  // (The empty value is a placeholder.)
  if (value.length > 4096) return undefined;
  if (isReference(value) || isPlaceholder(value) || UUID.test(value)) return undefined;
  if (context.keyNormalized && value.toLowerCase().replace(/[^a-z0-9]/g, '') === context.keyNormalized) return undefined;
  const role = context.role === 'either' ? roleOfShape(value) : context.role;
  if (role === 'password') return judgePassword(value, context) ? { role, provider: context.provider ?? 'unknown' } : undefined;
  // Blanks and URLs fail every shape and TOKEN_CHARS; paths (`keys/r2/prod`) read as words (isNameLike).
  const shape = providerOfValue(value);
  const provider: Provider = shape?.strong ? shape.provider : (context.provider ?? shape?.provider ?? 'unknown');
  const accepted = (ok: boolean): Judged | undefined => (ok ? { role, provider } : undefined);
  switch (role) {
    case 'account_id':
      return R2_KEY_ID.test(value) && isRandomHex(value) ? { role, provider: 'r2' } : undefined;
    case 'key_id':
      if (AWS_KEY_ID.test(value) || GCS_HMAC_ID.test(value)) return accepted(!lacksRandomness(value.slice(4)));
      if (R2_KEY_ID.test(value)) return accepted(isRandomHex(value));
      return accepted(looksRandom(value, 16, 128));
    case 'secret':
      if (R2_SECRET.test(value)) return accepted(isRandomHex(value));
      if (AZURE_ACCOUNT_KEY.test(value)) return accepted(!lacksRandomness(value.slice(0, 86)));
      // Stryker disable next-line EqualityOperator: 40 characters never have exactly 4 bits each (that takes 16 equally frequent ones)
      if (AWS_SECRET.test(value)) return accepted(looksRandom(value, 40, 40) || (!lacksRandomness(value) && entropy(value) >= 4));
      return accepted(looksRandom(value, 16, 512));
    case 'session_token':
      return accepted(looksRandom(value, 16, 4096));
    case 'motherduck_token':
      if (JWT.test(value)) return { role, provider: 'motherduck' };
      return looksRandom(value, 20, 4096) ? { role, provider: 'motherduck' } : undefined;
  }
}
