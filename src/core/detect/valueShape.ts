/**
 * The shapes credentials take, per provider. A shape alone convicts only values no other string
 * has (AKIA…/ASIA…, GOOG1…, AWS session tokens, Azure `AccountKey=`); 32 and 64 hex digits or 40
 * base64 characters are everywhere (MD5, SHA-256, git) and need a key name around them.
 */
import type { Provider } from './finding';

export const R2_KEY_ID = /^[0-9a-f]{32}$/i;
export const R2_SECRET = /^[0-9a-f]{64}$/i;
export const AWS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;
export const AWS_SECRET = /^[A-Za-z0-9/+]{40}$/;
export const GCS_HMAC_ID = /^GOOG[A-Z0-9]{20,70}$/;
export const AZURE_ACCOUNT_KEY = /^[A-Za-z0-9+/]{86}==$/;
export const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/;
/** STS session tokens start with the base64 of a fixed header. */
export const AWS_SESSION_TOKEN = /^(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+]{80,}={0,2}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The globally searchable shapes (sticky-free, linear: fixed prefixes, one character class each). */
export const AWS_KEY_ID_ANYWHERE = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
export const GCS_HMAC_ID_ANYWHERE = /(?<![A-Za-z0-9])GOOG1[A-Z0-9]{20,70}(?![A-Za-z0-9])/g;
export const AWS_SESSION_TOKEN_ANYWHERE = /(?<![A-Za-z0-9/+])(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+]{80,}={0,2}/g;
export const JWT_ANYWHERE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/** Has one of the shapes keys come in (so a bare word after a key name, with no `=` or `:`, is one). */
export function hasKeyShape(value: string): boolean {
  if (R2_KEY_ID.test(value) || R2_SECRET.test(value) || AWS_KEY_ID.test(value) || GCS_HMAC_ID.test(value)) return true;
  if (AZURE_ACCOUNT_KEY.test(value) || JWT.test(value) || AWS_SESSION_TOKEN.test(value)) return true;
  return AWS_SECRET.test(value) && /\d/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value);
}

/** The provider a value's shape tells, and whether that beats what the context says. */
export function providerOfValue(value: string): { provider: Provider; strong: boolean } | undefined {
  if (AWS_KEY_ID.test(value) || AWS_SESSION_TOKEN.test(value)) return { provider: 'aws', strong: true };
  if (GCS_HMAC_ID.test(value)) return { provider: 'gcs', strong: true };
  if (AZURE_ACCOUNT_KEY.test(value)) return { provider: 'azure', strong: true };
  if (JWT.test(value)) return { provider: 'motherduck', strong: true };
  // AWS and GCS never issue hex keys; R2 does (also when a tool names them aws_access_key_id).
  if (R2_KEY_ID.test(value) || R2_SECRET.test(value)) return { provider: 'r2', strong: true };
  // 40 base64 characters: AWS or a GCS HMAC secret; the context tells.
  if (AWS_SECRET.test(value)) return { provider: 'aws', strong: false };
  return undefined;
}

/** The JSON payload of a JWT mentions MotherDuck (`"iss":"md_pat"`, a motherduck.com issuer…). */
export function isMotherDuckJwt(token: string): boolean {
  // (Decoding base64url never throws: stray characters are skipped.)
  // Stryker disable next-line StringLiteral: for the types; callers pass JWTs, which have a payload
  const payload = token.split('.')[1] ?? '';
  return /md_pat|motherduck/i.test(Buffer.from(payload, 'base64url').toString('utf8'));
}
