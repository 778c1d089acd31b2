/**
 * MotherDuck-shaped tokens for tests, generated at test time from a seed so no credential-looking
 * literal is committed (secret scanners must never flag this repository). They have a JWT's shape
 * (a JSON header, a JSON payload, a signature; base64url) and belong to no account.
 */
import { createHash } from 'node:crypto';

/** A JWT-shaped token, the same for the same seed; `label` ends up in the payload for canary searches. */
export function fakeMotherDuckToken(seed: string, label = 'canary'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const digest = createHash('sha256').update(`duckdb-secrets test token ${seed}`).digest();
  const payload = { sub: `test-${label}-${digest.subarray(0, 6).toString('hex')}`, iss: 'duckdb-secrets-tests' };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.${digest.toString('base64url')}`;
}
