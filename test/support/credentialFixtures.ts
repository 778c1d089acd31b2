/**
 * Key-shaped test values, generated from a seed at test time so that nothing credential-shaped is
 * ever committed (secret scanners must never flag this repository). Each value has the shape of
 * the real thing: R2 key ids (32 hex) and secrets (64 hex), AWS ids (AKIA/ASIA + 16 base32) and
 * secrets (40 base64), STS session tokens, GCS HMAC ids (GOOG1…), Azure account keys (88 base64),
 * MotherDuck tokens (JWTs with an `md_pat` issuer). None of them belongs to anyone.
 */

import { seededRandom as prng } from './seededKeys';

const HEX = '0123456789abcdef';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const WORDS = ['tundra', 'Copper', 'falcon', 'Meadow', 'quartz', 'Harbor', 'ember', 'Violet', 'glacier', 'Summit'];
/** Symbols that need no escaping in a URL's user info or a libpq string. */
const SYMBOLS = '!*-_+.~';

function base64url(json: unknown): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

export class CredentialFixtures {
  private readonly random: () => number;

  constructor(readonly seed: number) {
    this.random = prng(seed);
  }

  int(below: number): number {
    return Math.floor(this.random() * below);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** Like `chars`, but never with a run of 4 equal characters or 4 counting up (so never read as padding). */
  private randomChars(alphabet: string, length: number): string {
    for (;;) {
      const value = this.chars(alphabet, length);
      if (!/(.)\1\1\1/.test(value) && !/[xX*#]{3}/.test(value) && !/example|your|test|todo|fake|mock|demo|here/i.test(value)) return value;
    }
  }

  r2KeyId(): string {
    return this.randomChars(HEX, 32);
  }

  r2Secret(): string {
    return this.randomChars(HEX, 64);
  }

  /** A Cloudflare account id: 32 hex, like an R2 key id, and not a secret. */
  accountId(): string {
    return this.randomChars(HEX, 32);
  }

  awsKeyId(prefix: 'AKIA' | 'ASIA' = 'AKIA'): string {
    return prefix + this.randomChars(BASE32, 16);
  }

  awsSecret(): string {
    for (;;) {
      const value = this.randomChars(BASE64, 40);
      if (/\d/.test(value)) return value;
    }
  }

  /** An STS session token: the fixed base64 header real ones start with, then random base64. */
  awsSessionToken(): string {
    const header = Buffer.from([0x21, 0x0a, 0x09]).toString('base64') + Buffer.from('origin_ec', 'utf8').toString('base64').slice(0, 12);
    return header + this.randomChars(BASE64, 280 + this.int(80)) + this.pick(['', '=', '==']);
  }

  gcsHmacId(): string {
    return 'GOOG1E' + this.randomChars(UPPER_DIGITS, 55);
  }

  gcsSecret(): string {
    return this.awsSecret();
  }

  azureAccountKey(): string {
    return this.randomChars(BASE64, 86) + '==';
  }

  uuid(): string {
    const h = this.chars(HEX, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  motherDuckToken(): string {
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const payload = base64url({
      session: `user${this.int(1000)}.example.org`,
      email: `user${this.int(1000)}@example.org`,
      userId: this.uuid(),
      iat: 1700000000 + this.int(10_000_000),
      iss: 'md_pat',
    });
    return `${header}.${payload}.${this.randomChars(BASE64URL, 43)}`;
  }

  /** A JWT of some other service (no MotherDuck issuer). */
  otherJwt(): string {
    const header = base64url({ alg: 'RS256', typ: 'JWT', kid: this.chars(HEX, 8) });
    const payload = base64url({ sub: this.uuid(), iss: 'https://auth.example.org', aud: 'api', exp: 1800000000 + this.int(1000) });
    return `${header}.${payload}.${this.randomChars(BASE64URL, 86)}`;
  }

  /** A human-made password: words, digits and a symbol. */
  password(): string {
    return `${this.pick(WORDS)}${this.chars(SYMBOLS, 1)}${this.pick(WORDS)}${this.int(9000) + 1000}`;
  }

  /** 32 hex of an MD5, 40 of a git SHA, 64 of a SHA-256: the same alphabet as keys, and no secret. */
  md5(): string {
    return this.chars(HEX, 32);
  }

  gitSha(): string {
    return this.chars(HEX, 40);
  }

  sha256(): string {
    return this.chars(HEX, 64);
  }

  /** Base64 that is content (an image, a blob), not a credential. */
  blob(length: number): string {
    return this.chars(BASE64, length);
  }
}
