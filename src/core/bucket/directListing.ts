/**
 * The direct listing of a whole bucket or folder with a profile's own keys (Test R2 Bucket's fast
 * path, the CLI's `test` without httpfs): the listing engine's pages folded for the Bucket view,
 * with progress for people. No VS Code import.
 */
import { ListingFolder, type FoldedListing } from './bucketFolding';
import type { BucketObject } from './bucketSource';
import type { ListingProgress } from './listingEngine';
import { S3RequestError } from './retry';
import type { Credentials } from '../credentials/profiles';
import { UserFacingError } from '../errors';

interface DirectOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
  /** Each page's objects as they arrive (after folding), e.g. to start work on the first page. */
  readonly onObjects?: (objects: readonly BucketObject[]) => void;
}

/** True when the server refused these credentials (401/403): DuckDB's secret may still hold other ones. */
export function refusedCredentials(error: unknown): boolean {
  const status = error instanceof S3RequestError ? error.failure.status : undefined;
  return status === 401 || status === 403;
}

/**
 * Lists `prefix` of `bucket` in full, signed with `credentials` against their endpoint: the
 * requests DuckDB's glob makes, without its per-object cost, pipelined and split into key ranges
 * listed concurrently (listingEngine.ts). Progress at most four times a second. A failure part way
 * says the listing is incomplete and how far it got. Loads the S3 client only when called.
 */
export async function listDirect(credentials: Credentials, bucket: string, prefix: string, options: DirectOptions = {}): Promise<FoldedListing> {
  const { listAll } = await import('./listingEngine');
  const { signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const folder = new ListingFolder({ label: 'Test result', signal });
  let count = 0;
  try {
    await listAll({
      credentials,
      bucket,
      prefix,
      signal,
      onObjects: async (objects) => {
        await folder.add(objects);
        for (const o of objects) if (!o.key.endsWith('/')) count++; // folder markers are not objects
        options.onObjects?.(objects);
      },
      onProgress: (p) => progress(listingProgressText(count, p)),
    });
  } catch (error) {
    // A cancel comes out of listAll as a CancelledError (whatever failed after it), which is not a
    // UserFacingError: incomplete() passes it through.
    throw incomplete(error, count);
  }
  progress(`Listed ${count.toLocaleString('en-US')} objects…`);
  return folder.finish(bucket);
}

/** `Listed 3,000 objects…`, with what the server is doing when it is slow or busy. */
export function listingProgressText(count: number, p: ListingProgress): string {
  const listed = `Listed ${count.toLocaleString('en-US')} objects`;
  if (p.retry) {
    const status = p.retry.error.failure.status;
    const why = status !== undefined ? `HTTP ${status}${p.retry.error.failure.slowDown ? ', slow down' : ''}` : 'connection lost';
    return `${listed} · server busy (${why}), retrying in ${(p.retry.delayMs / 1000).toFixed(1)} s (attempt ${p.retry.attempt + 1} of ${p.retry.attempts})…`;
  }
  if (p.waitingMs >= 2000) return `${listed} · waiting for the server (${Math.round(p.waitingMs / 1000)} s, ${p.inFlight} request${p.inFlight === 1 ? '' : 's'})…`;
  return `${listed}…`;
}

/** The listing's failure, saying it is incomplete (never shown as a shorter listing). */
function incomplete(error: unknown, listed: number): unknown {
  if (!(error instanceof UserFacingError) || listed === 0) return error;
  return new UserFacingError(`Listing incomplete (${listed.toLocaleString('en-US')} objects listed before it stopped): ${error.message}`, error.detail, error.actions);
}
