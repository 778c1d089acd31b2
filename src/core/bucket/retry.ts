/**
 * Retrying S3 requests that failed for a passing reason: HTTP 500/502/503/504, 429 or 503
 * `SlowDown`, a connection reset. A bounded number of attempts, exponential backoff with full
 * jitter (so clients that failed together do not come back together), a longer wait on SlowDown
 * and `Retry-After` honoured up to a cap; then the last failure is reported with how often it was
 * tried. A timeout is never retried: the user waited once already, and the next message must
 * come now, not after a second slow path. Waiting ends at once when the signal aborts.
 * No VS Code import.
 */
import { CancelledError, UserFacingError } from '../errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Backoff base: attempt n waits a random time up to `baseMs · 2^(n-1)`. */
  readonly baseMs: number;
  /** Base after a SlowDown or 429: the server asked for less. */
  readonly slowDownBaseMs: number;
  /** Longest single wait, `Retry-After` included. */
  readonly maxDelayMs: number;
  /** The jitter source (tests pass a fixed one). */
  readonly random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 250, slowDownBaseMs: 1000, maxDelayMs: 8000 };

/** A failed S3 request, worded for the user, with what the retry logic needs to know. */
export class S3RequestError extends UserFacingError {
  constructor(
    message: string,
    detail: string | undefined,
    actions: UserFacingError['actions'],
    readonly failure: {
      /** The HTTP status, when the server answered. */
      readonly status?: number;
      /** Worth another attempt: 5xx, 429, a connection lost mid-request. */
      readonly transient: boolean;
      /** The server asked to slow down (503 SlowDown or 429): fewer requests at once from here on. */
      readonly slowDown?: boolean;
      /** From the `Retry-After` header. */
      readonly retryAfterMs?: number;
    },
  ) {
    super(message, detail, actions);
    this.name = 'S3RequestError';
  }

  /** The same failure, its message saying how often it was tried. */
  withAttempts(attempts: number): S3RequestError {
    if (attempts <= 1) return this;
    return new S3RequestError(`${this.message} Tried ${attempts} times.`, this.detail, this.actions, this.failure);
  }
}

/** What a retry reports (for progress: "server busy, retrying…"). */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly attempts: number;
  readonly delayMs: number;
  readonly error: S3RequestError;
}

/** `Retry-After` in milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before attempt `failed + 1`. */
export function backoffMs(policy: RetryPolicy, failed: number, error: S3RequestError): number {
  const random = policy.random ?? Math.random;
  const base = error.failure.slowDown ? policy.slowDownBaseMs : policy.baseMs;
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** (failed - 1));
  // SlowDown waits at least half the ceiling: full jitter could come straight back.
  const jittered = error.failure.slowDown ? ceiling / 2 + (random() * ceiling) / 2 : random() * ceiling;
  return Math.min(policy.maxDelayMs, Math.max(jittered, error.failure.retryAfterMs ?? 0));
}

/** Runs `attempt` until it succeeds, fails for good, or the attempts are spent. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  options: { readonly policy?: RetryPolicy; readonly signal?: AbortSignal; readonly onRetry?: (event: RetryEvent) => void } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof S3RequestError) || !error.failure.transient || options.signal?.aborted) throw error;
      if (n >= policy.attempts) throw error.withAttempts(n);
      const delayMs = backoffMs(policy, n, error);
      options.onRetry?.({ attempt: n, attempts: policy.attempts, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}

/** Waits `ms`, or throws a CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new CancelledError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
