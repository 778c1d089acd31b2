/**
 * Lists every object under a prefix (Test R2 Bucket's listing, the CLI's `test`), faster than
 * sequential paging where the server is far away (a near one, on this machine or answering within
 * 25 ms, is paged sequentially, pipelined):
 *
 * - Pipelined paging: the next page is requested as soon as its continuation token is known,
 *   which S3 writes at the head of the answer, so parsing and folding this page overlap the next
 *   request instead of sitting between them.
 * - Key ranges in parallel: a `delimiter=/` listing of the prefix (and, when it holds few folders,
 *   of each of them) names folder prefixes; a few of them become boundaries that cut the key space
 *   into ranges, and each range is paged on its own (`start-after` the boundary, stopping once a
 *   page passes the next boundary), at most `concurrency` requests in flight. Every key is kept
 *   by exactly one range (keys are checked against the boundaries here, in S3's byte order), so
 *   the result is exactly the set a sequential listing gives, whatever the server's delimiter
 *   listing says. A bucket without folders is paged plainly.
 * - Adaptive: a 503/SlowDown or 429 halves the requests allowed in flight; successes raise it
 *   again slowly.
 *
 * Cancelling (the signal) aborts every request in flight and every wait. A repeated continuation
 * token ends the listing with a message instead of looping. No VS Code import.
 */
import { setMaxListeners } from 'node:events';
import type { BucketObject } from './bucketSource';
import { resolveEndpoint, type Credentials } from '../credentials/profiles';
import { CancelledError, UserFacingError } from '../errors';
import type { RetryEvent, RetryPolicy } from './retry';
import { signedList } from './s3Listing';
import { ConcurrencyGate, compareKeys } from './listingGate';

export interface FullListingRequest {
  readonly credentials: Credentials;
  readonly bucket: string;
  /** `''` or ending in `/`. */
  readonly prefix: string;
  readonly signal?: AbortSignal;
  /** Requests in flight at most. Default 8; 1 pages sequentially (still pipelined). */
  readonly concurrency?: number;
  /**
   * A server on this machine (a loopback endpoint) or whose first folder listing answers within
   * this many milliseconds (a LAN MinIO) is near: no network latency stands between its pages, so
   * what bounds the listing is the server's own work per request, which ranges listed at once only
   * add to; its pages are listed sequentially (pipelined). Farther servers (R2 answers in
   * 100–300 ms) get the concurrent key ranges. Default 25.
   */
  readonly nearbyMs?: number;
  /** List as from a far server whatever the endpoint and its latency (tests of the key ranges against loopback servers). */
  readonly far?: boolean;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  /** Keys per page (S3's maximum, 1,000, unless a test asks for fewer). */
  readonly maxKeys?: number;
  /** Receives each page's objects, one call at a time, in arrival order (not key order). */
  readonly onObjects: (objects: readonly BucketObject[]) => Promise<void> | void;
  /** Called at most every `progressMs`, also while no answer comes. */
  readonly onProgress?: (progress: ListingProgress) => void;
  readonly progressMs?: number;
}

export interface ListingProgress {
  readonly objects: number;
  readonly inFlight: number;
  /** Milliseconds since the last page arrived (or since the start). */
  readonly waitingMs: number;
  /** The last retry, while its wait lasts. */
  readonly retry?: RetryEvent;
}

export interface ListingStats {
  readonly strategy: 'sequential' | 'ranges';
  readonly ranges: number;
  readonly requests: number;
  readonly retries: number;
  readonly maxInFlight: number;
  readonly objects: number;
}

/** Ranges aimed for per request in flight: enough that a slow range does not hold the rest up. */
const RANGES_PER_SLOT = 4;

interface Range {
  /** First key of the range (inclusive); undefined from the prefix's start. */
  readonly from?: string;
  /** First key of the next range (exclusive); undefined to the end. */
  readonly until?: string;
}

export async function listAll(request: FullListingRequest): Promise<ListingStats> {
  const concurrency = Math.max(1, Math.floor(request.concurrency ?? 8));
  const stop = new AbortController();
  // Every range and request listens to it: dozens of listeners are expected here, not a leak.
  setMaxListeners(0, stop.signal);
  const outer = request.signal;
  const onOuterAbort = () => stop.abort();
  if (outer?.aborted) throw new CancelledError();
  outer?.addEventListener('abort', onOuterAbort);
  const gate = new ConcurrencyGate(concurrency);
  const counts = { requests: 0, retries: 0, objects: 0 };
  let lastPage = performance.now();
  let lastRetry: { event: RetryEvent; until: number } | undefined;
  let sink = Promise.resolve();
  const emit = (objects: readonly BucketObject[]) => {
    counts.objects += objects.length;
    lastPage = performance.now();
    sink = sink.then(() => request.onObjects(objects));
    return sink;
  };
  const onProgress = request.onProgress;
  const ticker = onProgress
    ? setInterval(
        () =>
          onProgress({
            objects: counts.objects,
            inFlight: gate.inFlight,
            waitingMs: performance.now() - lastPage,
            ...(lastRetry && lastRetry.until > performance.now() ? { retry: lastRetry.event } : {}),
          }),
        request.progressMs ?? 250,
      )
    : undefined;
  ticker?.unref();

  /** One request through the gate, counted, with SlowDown feeding the gate. */
  const fetchPage = async (prefix: string, options: { delimiter?: string; continuation?: string; startAfter?: string; onContinuation?: (token: string) => void }, signal: AbortSignal) => {
    await gate.acquire(signal);
    counts.requests++;
    try {
      const page = await signedList(request.credentials, {
        bucket: request.bucket,
        prefix,
        maxKeys: request.maxKeys ?? 1000,
        keepPrefixMarker: true,
        signal,
        ...options,
        ...(request.retry ? { retry: request.retry } : {}),
        timeoutMs: request.timeoutMs,
        onRetry: (event) => {
          counts.retries++;
          if (event.error.failure.slowDown) gate.slowDown();
          lastRetry = { event, until: performance.now() + event.delayMs };
        },
      });
      gate.succeeded();
      return page;
    } finally {
      gate.release();
    }
  };

  /** Pages one range, pipelined; keeps only keys inside it. */
  const listRange = async (range: Range): Promise<void> => {
    // Aborted when the range ends (its pages past the boundary are not needed) or the listing stops.
    const chain = new AbortController();
    const signal = AbortSignal.any([stop.signal, chain.signal]);
    // A page started once the range has ended is refused by the aborted signal and ends quietly.
    const startAfter = range.from !== undefined ? justBefore(range.from) : undefined;
    const seen = new Set<string>();
    // Stryker disable next-line ArrayDeclaration: a non-promise element is awaited at once, so a list starting with one settles as this one does
    const pages: Promise<void>[] = [];
    let loop: UserFacingError | undefined;
    const start = (token: string | undefined) => {
      if (token !== undefined) {
        if (seen.has(token)) {
          loop = new UserFacingError(
            `The endpoint sent the same continuation token twice listing r2://${request.bucket}/${request.prefix}: its listing would never end. Stopped after ${seen.size + 1} pages; the listing is incomplete.`,
          );
          chain.abort();
          return;
        }
        seen.add(token);
      }
      pages.push(page(token));
    };
    const page = async (token: string | undefined): Promise<void> => {
      let next = false;
      const startNext = (t: string) => {
        if (next) return;
        next = true;
        start(t);
      };
      let result;
      try {
        // The server reads `start-after` only without a continuation token: on the range's first page.
        result = await fetchPage(rangePrefix(request.prefix, range), { continuation: token, startAfter, onContinuation: startNext }, signal);
      } catch (error) {
        if (chain.signal.aborted && !stop.signal.aborted) return; // the range ended before this page was needed
        throw error;
      }
      const objects = result.objects.filter((o) => (range.from === undefined || compareKeys(o.key, range.from) >= 0) && (range.until === undefined || compareKeys(o.key, range.until) < 0));
      const last = result.objects.at(-1)?.key;
      if (range.until !== undefined && last !== undefined && compareKeys(last, range.until) >= 0) chain.abort();
      else if (result.continuation !== undefined) startNext(result.continuation);
      await emit(objects);
    };
    start(undefined);
    await settleGrowing(pages);
    if (loop) throw loop;
  };

  try {
    const ranges = concurrency > 1 ? await rangesFor(request, concurrency, (prefix) => fetchPage(prefix, { delimiter: '/' }, stop.signal)) : [{}];
    const running = ranges.map((range) =>
      listRange(range).catch((error: unknown) => {
        stop.abort();
        throw error;
      }),
    );
    const outcomes = await Promise.allSettled(running);
    await sink;
    if (outer?.aborted) throw new CancelledError();
    // A failing range stops the others: its own error is the one to report, not their cancellation.
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    if (failures.length > 0) throw failures.find((e) => !(e instanceof CancelledError)) ?? failures[0];
    return { strategy: ranges.length > 1 ? 'ranges' : 'sequential', ranges: ranges.length, requests: counts.requests, retries: counts.retries, maxInFlight: gate.maxInFlight, objects: counts.objects };
  } catch (error) {
    if (outer?.aborted) throw new CancelledError();
    throw error;
  } finally {
    stop.abort();
    clearInterval(ticker);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

/** Awaits every promise of a list that grows while it is awaited; throws the first failure once all have settled. */
async function settleGrowing(promises: Promise<void>[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  // The array iterator reads the length at every step, so promises added meanwhile are awaited too.
  for (const promise of promises) {
    try {
      await promise;
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

/** True for an endpoint host (`host[:port]`) on this machine: `localhost`, `127.x.x.x`, `::1`. */
export function isLoopbackHost(host: string): boolean {
  const bracketed = host.startsWith('[');
  // `[::1]:9000` from a URL; a bare IPv6 address has more than one colon and no port.
  const name = (bracketed ? host.slice(1, host.indexOf(']')) : host.split(':').length > 2 ? host : host.replace(/:\d*$/, '')).toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Stops planning ranges: the server is near, so one sequential range serves best. */
class NearbyServer extends Error {}

/** Key ranges for a far server; one range (sequential, pipelined) for a near one (`nearbyMs`). */
async function rangesFor(request: FullListingRequest, concurrency: number, listFolders: (prefix: string) => Promise<{ folders: readonly { prefix: string }[]; continuation?: string }>): Promise<Range[]> {
  if (!request.far && isLoopbackHost(resolveEndpoint(request.credentials).host)) return [{}];
  const nearbyMs = request.far ? 0 : (request.nearbyMs ?? 25);
  let timed = false;
  try {
    return await planRanges(request.prefix, concurrency * RANGES_PER_SLOT, async (prefix) => {
      const started = performance.now();
      const page = await listFolders(prefix);
      if (!timed && performance.now() - started < nearbyMs) throw new NearbyServer();
      timed = true;
      return page;
    });
  } catch (error) {
    if (error instanceof NearbyServer) return [{}];
    throw error;
  }
}

/**
 * The ranges to list: one when the prefix holds no folders (or a single one), else cut at folder
 * prefixes found with `delimiter=/` (one level, or two when the first holds fewer than half the
 * ranges wanted), at most `wanted` of them, evenly spread.
 */
export async function planRanges(prefix: string, wanted: number, listFolders: (prefix: string) => Promise<{ folders: readonly { prefix: string }[]; continuation?: string }>): Promise<Range[]> {
  const top = await listFolders(prefix);
  let folders = top.folders.map((f) => f.prefix);
  if (folders.length < wanted / 2 && top.continuation === undefined) {
    const below = await Promise.all(folders.map(listFolders));
    folders = [...folders, ...below.flatMap((page) => page.folders.map((f) => f.prefix))];
  }
  const sorted = [...new Set(folders)].filter((f) => f.startsWith(prefix) && f !== prefix).sort(compareKeys);
  if (sorted.length < 2) return [{}];
  const step = Math.max(1, sorted.length / wanted);
  // `step` is at least 1, so each boundary is a different folder; none when fewer than 2 ranges are wanted.
  const boundaries: string[] = [];
  for (let i = step; i < sorted.length; i += step) boundaries.push(sorted[Math.floor(i)]!);
  const ranges: Range[] = boundaries.map((until, i) => ({ ...(i > 0 ? { from: boundaries[i - 1] } : {}), until }));
  return [...ranges, { from: boundaries.at(-1) }];
}

/**
 * The narrowest prefix holding every key of the range: keys between two strings share their common
 * beginning. A narrower prefix costs the server less (s3rver walks only that part of the bucket).
 */
export function rangePrefix(prefix: string, range: Range): string {
  if (range.from === undefined || range.until === undefined) return prefix;
  let n = 0;
  // Past either end charCodeAt is NaN, which equals nothing: the loop stops there.
  while (range.from.charCodeAt(n) === range.until.charCodeAt(n)) n++;
  // Never cut a surrogate pair in two (at n = 0 the code is NaN: no cut).
  if (range.from.charCodeAt(n - 1) >= 0xd800 && range.from.charCodeAt(n - 1) <= 0xdbff) n--;
  // Both boundaries start with the prefix (planRanges keeps only such folders).
  return range.from.slice(0, Math.max(n, prefix.length));
}

/**
 * A `start-after` key just below `key` (a folder prefix ending in `/`): the same text ending in
 * `.`, which sorts right before `/`. Keys between the two belong to the range before and are
 * dropped by this range's check.
 */
function justBefore(key: string): string {
  return key.endsWith('/') ? `${key.slice(0, -1)}.` : key.slice(0, -1);
}
