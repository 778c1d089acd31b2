/**
 * Credential-shaped test values made at test time from a seed, never written into the repository
 * as literals (secret scanners must never flag it): a 32-hex key id and a 64-hex secret, as R2
 * API tokens have, and a canary marker so log searches cannot match by accident.
 */

/** mulberry32: small and reproducible from one 32-bit seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
