/**
 * Credentials the keychain holds, found by equality whatever their shape. The client hashes each
 * stored key id, secret and token with a salt that is random per window and sends only the hashes;
 * the detector hashes the file's quoted strings, assigned values and key-like tokens the same way.
 */
import * as crypto from 'node:crypto';
import type { Candidate, ScanText } from './candidate';
import type { KnownCredential, KnownHashes, QuoteStyle } from './finding';

/** Stored keys are 8 characters or more (profile validation refuses shorter ones). */
export const KNOWN_MIN_LENGTH = 8;
const MAX_LENGTH = 4096;

/** The salted hash the client sends for a stored value: hex SHA-256 of salt, NUL, value (UTF-8, a string's default). */
export function hashCredential(value: string, salt: string): string {
  const data = `${salt}\u0000${value}`;
  // crypto.hash (Node 20.12+) is several times faster than a Hash object for short inputs.
  const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;
  return oneShot ? oneShot('sha256', data) : crypto.createHash('sha256').update(data).digest('hex');
}

/** Key-like runs (base64, hex, JWT, `-`/`_`/`.`/`~`), with `=` padding. */
const RUN = /[A-Za-z0-9+/_\-.~]{8,4096}={0,2}/g;
/** Quoted strings on one line, whatever they hold (`'p@ss word!'`). */
const QUOTED = /'([^'\n\r]{8,512})'|"([^"\n\r]{8,512})"|`([^`\n\r]{8,512})`/g;
/** A value after `=` or `:` up to a blank or a quote (`PASSWORD=p@ss!word`). */
const ASSIGNED = /[=:][ \t]*([^\s'"`,;&|]{8,512})/g;

/**
 * Hash results per `KnownHashes` object: a server that keeps the object while the window's salt
 * lives hashes each distinct string once across edits, not once per scan. Bounded.
 */
const caches = new WeakMap<KnownHashes, Map<string, KnownCredential | null>>();
const MAX_CACHED = 200_000;

function cacheFor(known: KnownHashes): Map<string, KnownCredential | null> {
  let cache = caches.get(known);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a cache; when it is dropped changes no answer, only the time
  if (!cache || cache.size > MAX_CACHED) {
    cache = new Map();
    caches.set(known, cache);
  }
  return cache;
}

/** A candidate of the known-credentials rule: its role and credential are the stored one's. */
export type KnownCandidate = Candidate & { readonly role: KnownCredential['role']; readonly known: KnownCredential };

export function knownCandidates(scan: ScanText, known: KnownHashes): KnownCandidate[] {
  // Stryker disable next-line ConditionalExpression: a shortcut; with no hashes no lookup can hit anyway
  if (known.hashes.size === 0) return [];
  const cache = cacheFor(known);
  const { text } = scan;
  const out: KnownCandidate[] = [];
  const lookup = (value: string): KnownCredential | undefined => {
    // (Never shorter than KNOWN_MIN_LENGTH: every pattern and the trimming below keep to it.)
    if (value.length > MAX_LENGTH) return undefined;
    let hit = cache.get(value);
    // Stryker disable next-line ConditionalExpression: a cache; hashing again gives the same hit
    if (hit === undefined) {
      hit = known.hashes.get(hashCredential(value, known.salt)) ?? null;
      cache.set(value, hit);
    }
    return hit ?? undefined;
  };
  const push = (start: number, end: number, credential: KnownCredential, quote: QuoteStyle): void => {
    out.push({
      role: credential.role,
      ...(credential.provider ? { provider: credential.provider } : {}),
      valueStart: start,
      valueEnd: end,
      literalStart: start - quote.length,
      literalEnd: end + quote.length,
      quote,
      // Known candidates are never judged (detectCredentials takes them as they are): only judgeValue reads these two.
      // Stryker disable next-line all: see above
      bare: quote === '',
      // Stryker disable next-line all: see above
      bareCode: false,
      rule: 'known',
      where: '',
      known: credential,
    });
  };
  const scanWith = (pattern: RegExp, group: (m: RegExpExecArray) => { value: string; start: number; quote: QuoteStyle }): void => {
    const re = new RegExp(pattern.source, pattern.flags);
    let match: RegExpExecArray | null;
    while ((match = re.exec(text)) !== null) {
      const found = group(match);
      let credential = lookup(found.value);
      let value = found.value;
      // A trailing `.` or `=` may belong to the sentence or the syntax, not the value.
      while (!credential && value.length > KNOWN_MIN_LENGTH && /[.=:]$/.test(value)) {
        value = value.slice(0, -1);
        credential = lookup(value);
      }
      if (credential) push(found.start, found.start + value.length, credential, found.quote);
    }
  };
  scanWith(RUN, (m) => ({ value: m[0], start: m.index, quote: '' }));
  scanWith(QUOTED, (m) => ({
    // Stryker disable next-line StringLiteral: for the types; one of the three groups always matched
    value: m[1] ?? m[2] ?? m[3] ?? '',
    start: m.index + 1,
    quote: m[0][0] as QuoteStyle,
  }));
  scanWith(ASSIGNED, (m) => {
    // Stryker disable next-line StringLiteral: for the types; the group always matched
    const value = m[1] ?? '';
    return { value, start: m.index + m[0].length - value.length, quote: '' };
  });
  return out;
}
