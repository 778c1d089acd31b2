/**
 * Credential-shaped test values made at test time from a seed, never written into the repository
 * as literals (secret scanners must never flag it): a 32-hex key id and a 64-hex secret, as R2
 * API tokens have, and a canary marker so log searches cannot match by accident.
 */

import { seededRandom as prng } from './seededKeys';

function hex(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(next() * 16).toString(16);
  return out;
}

export interface GeneratedKeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A key pair for `seed`: the same seed gives the same pair, different seeds different pairs. */
export function generatedKeyPair(seed: number): GeneratedKeyPair {
  const next = prng(seed);
  return { accessKeyId: hex(next, 32), secretAccessKey: hex(next, 64) };
}
