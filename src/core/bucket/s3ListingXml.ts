/**
 * Reading a ListObjectsV2 answer: one forward scan over the text, no XML library. An answer is
 * hostile until checked: every search starts where the last one ended (linear in the answer's
 * length whatever the endpoint sent), an entry that is never closed or an answer that never ends
 * is "not an S3 listing", and nothing here grows beyond the answer itself (capped at 8 MB by the
 * reader in s3Listing.ts).
 *
 * A hand scan rather than fast-xml-parser: S3's listing is a flat, fixed shape, and the library took
 * 50–170 ms for a 1,000-key page (measured), which sat between one page and the next request. This
 * reads the same page in about a millisecond. No VS Code import.
 */
import type { BucketFolder, BucketObject, BucketPage } from './bucketSource';
import { UserFacingError } from '../errors';

/** Entries read before yielding to the event loop (a 1,000-key page is read in one go). */
const ENTRIES_PER_SLICE = 2000;

export interface ParseOptions {
  /** Entries read between yields to the event loop. */
  readonly entriesPerSlice?: number;
  /** Keep the object whose key is the prefix itself (a folder marker); the view leaves it out, a full listing keeps it. */
  readonly keepPrefixMarker?: boolean;
}

function notAListing(xml: string, why?: string): UserFacingError {
  return new UserFacingError(`The endpoint answered the listing with something that is not an S3 listing${why ? ` (${why})` : ''}.`, xml.slice(0, 300));
}

/**
 * Parses a ListObjectsV2 answer into one page. By default the folder marker object (key == prefix)
 * is left out. An answer cut short (no closing `</ListBucketResult>`) is refused, never read as a
 * shorter listing.
 */
export async function parseListing(xml: string, prefix: string, options: ParseOptions | number = {}): Promise<BucketPage> {
  const { entriesPerSlice = ENTRIES_PER_SLICE, keepPrefixMarker = false } = typeof options === 'number' ? { entriesPerSlice: options } : options;
  const { entries, rest } = splitEntries(xml);
  if (!/<ListBucketResult[\s>]/.test(rest)) throw notAListing(xml);
  // On the whole answer, not `rest`: an entry glued after the listing's end is cut out of `rest`.
  if (!xml.trimEnd().endsWith('</ListBucketResult>')) throw notAListing(xml, 'the answer ends before the listing does');
  const objects: BucketObject[] = [];
  const folders: BucketFolder[] = [];
  for (const [i, entry] of entries.entries()) {
    if (i > 0 && i % entriesPerSlice === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (entry.startsWith('<CommonPrefixes>')) {
      const folder = field(entry, 'Prefix');
      if (folder) folders.push({ prefix: folder });
      continue;
    }
    const key = field(entry, 'Key');
    if (key === undefined || (key === prefix && !keepPrefixMarker)) continue;
    const sizeText = field(entry, 'Size');
    const size = sizeText === undefined ? 0 : Number(sizeText);
    if (!Number.isFinite(size)) throw notAListing(xml, `the size of ${JSON.stringify(key.slice(0, 80))} is not a number`);
    const modified = field(entry, 'LastModified');
    const time = modified ? new Date(modified) : undefined;
    // Stryker disable next-line UnaryOperator: -time is NaN exactly when +time is
    objects.push(time && !Number.isNaN(+time) ? { key, size, lastModified: time } : { key, size });
  }
  const more = field(rest, 'IsTruncated') === 'true' ? field(rest, 'NextContinuationToken') : undefined;
  return more ? { folders, objects, continuation: more } : { folders, objects };
}

/** The decoded text of the first `<name>…</name>` in `xml`; `<name/>` is the empty string. */
function field(xml: string, name: string): string | undefined {
  const open = `<${name}>`;
  const start = xml.indexOf(open);
  if (start === -1) return xml.includes(`<${name}/>`) ? '' : undefined;
  // Stryker disable next-line ArithmeticOperator: the close tag starts with `<`, so it can neither overlap the open tag nor start inside it: any search start from start - open.length on finds the same one
  const end = xml.indexOf(`</${name}>`, start + open.length);
  return end === -1 ? undefined : decodeXml(xml.slice(start + open.length, end));
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five named entities and numeric character references; anything else is kept as written. */
export function decodeXml(text: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path; without '&' the replace below finds nothing
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The continuation token from the head of an answer still arriving: S3 (and s3rver) write
 * `<NextContinuationToken>` before the entries, so the next page can be requested while this one
 * streams. Looks only before the first entry; undefined when the head says nothing (yet).
 */
export function earlyContinuation(head: string): string | undefined {
  const firstEntry = head.search(/<(Contents|CommonPrefixes)>/);
  const scope = firstEntry === -1 ? head : head.slice(0, firstEntry);
  if (/<IsTruncated>false<\/IsTruncated>/.test(scope)) return undefined;
  const match = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(scope);
  return match?.[1] ? decodeXml(match[1]) : undefined;
}

const ENTRY_TAGS = ['Contents', 'CommonPrefixes'] as const;

/**
 * Cuts the `<Contents>` and `<CommonPrefixes>` entries out of a listing in one pass: each search
 * starts where the last one ended, so the work is linear in the answer's length, whatever the
 * endpoint sent. An entry that is never closed makes the answer "not an S3 listing" (a lazy regex
 * would rescan the rest of the text from every unclosed tag: quadratic).
 */
export function splitEntries(xml: string): { entries: string[]; rest: string } {
  const entries: string[] = [];
  const kept: string[] = [];
  let at = 0;
  for (;;) {
    const open = nextEntryOpen(xml, at);
    if (!open) break;
    const closeTag = `</${open.tag}>`;
    // Stryker disable next-line ArithmeticOperator: where the search starts only skips the open tag; the close tag starts with `<`, so it cannot overlap it
    const close = xml.indexOf(closeTag, open.index + open.tag.length + 2);
    if (close === -1) throw notAListing(xml, 'an entry is never closed');
    kept.push(xml.slice(at, open.index));
    at = close + closeTag.length;
    entries.push(xml.slice(open.index, at));
  }
  kept.push(xml.slice(at));
  return { entries, rest: kept.join('') };
}

/** The next `<Contents>` or `<CommonPrefixes>` at or after `from`; one forward scan of `<`. */
function nextEntryOpen(xml: string, from: number): { index: number; tag: (typeof ENTRY_TAGS)[number] } | undefined {
  for (let i = xml.indexOf('<', from); i !== -1; i = xml.indexOf('<', i + 1)) {
    for (const tag of ENTRY_TAGS) {
      if (xml.startsWith(tag, i + 1) && xml.charCodeAt(i + 1 + tag.length) === 62 /* > */) return { index: i, tag };
    }
  }
  return undefined;
}
