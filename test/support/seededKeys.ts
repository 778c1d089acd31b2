/**
 * Credential-shaped test values, generated at test time from a seed (never committed as
 * literals, so secret scanners have nothing to flag): an R2 access key id (32 hex) and secret
 * access key (64 hex).
 */

/** mulberry32: small and reproducible from one 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededHex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** A key pair shaped like R2's. */
export function seededR2Keys(seed: number): { accessKeyId: string; secretAccessKey: string } {
  const random = seededRandom(seed);
  return { accessKeyId: seededHex(random, 32), secretAccessKey: seededHex(random, 64) };
}
