/**
 * The one interface the Bucket view reads from. Two sources implement it: a live S3 listing
 * (`s3Listing.ts`, one folder per request with `delimiter=/`) and a flat listing folded into
 * folders in memory (`bucketFolding.ts`, e.g. the result of Test R2 Bucket). No VS Code import.
 */

/** One object. `key` is the full key inside the bucket, e.g. `sales/year=2024/part-0.parquet`. */
export interface BucketObject {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  readonly lastModified?: Date;
}

/** One folder (common prefix) directly under the listed prefix. */
export interface BucketFolder {
  /** Full prefix ending in `/`, e.g. `sales/year=2024/`. */
  readonly prefix: string;
  /** Objects anywhere below this folder; only a folded listing knows it. */
  readonly objectCount?: number;
  /** Bytes of all objects below this folder; only a folded listing knows it. */
  readonly totalSize?: number;
  /** Newest object below this folder; only a folded listing knows it. */
  readonly lastModified?: Date;
}

/** One page of a prefix's direct children. */
export interface BucketPage {
  readonly folders: readonly BucketFolder[];
  readonly objects: readonly BucketObject[];
  /** Present when more children follow: pass it back to `listPrefix` for the next page. */
  readonly continuation?: string;
}

export interface BucketSource {
  /** `live` lists the bucket on every request; `snapshot` answers from a listing held in memory. */
  readonly kind: 'live' | 'snapshot';
  /** What the view says it shows: `Live` or `Test result · 10,000 objects · 12:03`. */
  readonly description: string;
  readonly bucket: string;
  /** Where browsing starts: `''` for the whole bucket, or e.g. `team/` for a token limited to a prefix. */
  readonly rootPrefix: string;
  /**
   * The folders and objects directly under `prefix` (`''` or ending in `/`). Folders and objects
   * each come sorted by key. Rejects with a UserFacingError the user can act on.
   */
  listPrefix(prefix: string, continuation?: string, signal?: AbortSignal): Promise<BucketPage>;
  /** Only a source holding every key (a snapshot): the folder prefixes with an object below them that `matches` takes. */
  foldersHolding?(matches: (key: string) => boolean): ReadonlySet<string>;
  /** Releases what the source keeps (a live listing's credentials) once the view shows another. */
  dispose?(): void;
}

/**
 * What the Bucket view shows after a failed Test R2 Bucket, in place of the previous listing: the
 * root folder, whose listing is the failure (the view shows it as an error row).
 */
export class FailedSource implements BucketSource {
  readonly kind = 'snapshot';
  readonly description: string;

  constructor(
    readonly bucket: string,
    readonly rootPrefix: string,
    private readonly error: unknown,
    label = 'Test failed',
    at = new Date(),
    /** What runs the failed work again (the view shows it as a Retry row). */
    readonly retry?: { readonly command: string; readonly args: readonly unknown[] },
  ) {
    this.description = `${label} · ${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  }

  listPrefix(): Promise<BucketPage> {
    return Promise.reject(this.error instanceof Error ? this.error : new Error(String(this.error)));
  }
}

/** `r2://bucket/key`: the form DuckDB reads once an R2 secret exists (`s3://…` with an R2-backed s3 secret). */
export function r2Uri(bucket: string, key = '', scheme: 'r2' | 's3' = 'r2'): string {
  return `${scheme}://${bucket}/${key}`;
}

/** Splits `r2://bucket/prefix` (or `s3://`, or a bare `bucket/prefix`) into bucket and folder prefix. */
export function parseBucketPath(text: string): { bucket: string; prefix: string } | undefined {
  const match = /^(?:(?:r2|s3):\/\/)?([^/\s]+)(?:\/(.*))?$/.exec(text.trim());
  const bucket = match?.[1];
  if (bucket === undefined || !/^[a-z0-9][a-z0-9._-]{1,62}$/i.test(bucket)) {
    return undefined;
  }
  // Stryker disable next-line OptionalChaining: match is set here: its bucket was just checked
  const rest = match?.[2] ?? '';
  return { bucket, prefix: rest === '' || rest.endsWith('/') ? rest : `${rest}/` };
}

/** The last path segment of a folder prefix or key: `a/b/` → `b`, `a/b.csv` → `b.csv`. */
export function baseName(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** `key=value` of a Hive partition folder, or undefined for an ordinary folder. */
export function hivePartition(folderPrefix: string): { key: string; value: string } | undefined {
  // Stryker disable next-line Regex: a base name holds no `/`, so `[^/]*` always reaches its end
  const match = /^([A-Za-z_][A-Za-z0-9_ -]*)=([^/]*)$/.exec(baseName(folderPrefix));
  return match?.[1] !== undefined &&
    // Stryker disable next-line ConditionalExpression: `([^/]*)` takes part in every match, so it is never undefined (the check is for the type)
    match[2] !== undefined
    ? { key: match[1], value: match[2] }
    : undefined;
}

/** `r2://bucket/some/key` → `{ bucket, key: 'some/key' }`; undefined for anything else. */
export function splitObjectUri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^(?:r2|s3):\/\/([^/]+)\/(.*)$/.exec(uri);
  return match?.[1] !== undefined &&
    // Stryker disable next-line ConditionalExpression: `(.*)` takes part in every match, so it is never undefined (the check is for the type)
    match[2] !== undefined
    ? { bucket: match[1], key: match[2] }
    : undefined;
}

/** Bytes for people: `0 B`, `999 B`, `1.2 KB`, `3.4 GB` (powers of 1,000, like Cloudflare's dashboard). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = -1;
  // 999.5 and up rounds to 1000: the next unit shows it as 1.0.
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
