/**
 * The retry arithmetic on its own: how long a failed S3 request waits before the next attempt,
 * what `Retry-After` asks for, and what the user reads after the last attempt. (listingFaults.test.ts
 * drives the same logic through a live listing against failing servers.) The jitter source is
 * fixed, so every wait here is exact; nothing is timed.
 */
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { S3RequestError, backoffMs, retryAfterMs, sleep, withRetry, type RetryPolicy } from '../../../../src/core/bucket/retry';
import { CancelledError } from '../../../../src/core/errors';

const POLICY: RetryPolicy = { attempts: 4, baseMs: 100, slowDownBaseMs: 1000, maxDelayMs: 8000, random: () => 0.5 };
const busy = (failure: Partial<S3RequestError['failure']> = {}) =>
  new S3RequestError('lake.example answered HTTP 500 listing r2://lake/.', 'detail', [], { status: 500, transient: true, ...failure });

describe('retrying S3 requests', () => {
  describe('the wait before the next attempt', () => {
    it('doubles with each failure, jittered below the ceiling', () => {
      assert.deepEqual([1, 2, 3, 4].map((failed) => backoffMs(POLICY, failed, busy())), [50, 100, 200, 400]);
      assert.equal(backoffMs({ ...POLICY, random: () => 0 }, 3, busy()), 0);
      assert.equal(backoffMs({ ...POLICY, random: () => 1 }, 3, busy()), 400);
    });

    it('after SlowDown: a longer base, and never less than half the ceiling', () => {
      const slow = busy({ status: 503, slowDown: true });
      assert.equal(backoffMs({ ...POLICY, random: () => 0 }, 1, slow), 500);
      assert.equal(backoffMs(POLICY, 1, slow), 750);
      assert.equal(backoffMs({ ...POLICY, random: () => 1 }, 2, slow), 2000);
    });

    it('waits as long as Retry-After asks, and never longer than the longest wait', () => {
      assert.equal(backoffMs(POLICY, 1, busy({ retryAfterMs: 3000 })), 3000);
      assert.equal(backoffMs(POLICY, 1, busy({ retryAfterMs: 60_000 })), 8000);
      assert.equal(backoffMs(POLICY, 10, busy()), 4000, 'the ceiling stops at maxDelayMs');
      assert.equal(backoffMs(POLICY, 3, busy({ retryAfterMs: 0 })), 200, 'Retry-After: 0 does not shorten the backoff');
    });
  });

  describe('Retry-After', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');

    it('in seconds, whatever the clock says', () => {
      for (const clock of [now, 0]) {
        assert.equal(retryAfterMs('120', clock), 120_000);
        assert.equal(retryAfterMs('1.5', clock), 1500);
        assert.equal(retryAfterMs('0', clock), 0);
      }
    });

    it('as an HTTP date: the time left, or no wait once it has passed', () => {
      assert.equal(retryAfterMs('Sun, 01 Mar 2026 12:00:30 GMT', now), 30_000);
      assert.equal(retryAfterMs('Sun, 01 Mar 2026 11:59:00 GMT', now), 0);
    });

    it('absent or unreadable: no wait asked for, and never a negative one', () => {
      assert.equal(retryAfterMs(null, now), undefined);
      assert.equal(retryAfterMs('', now), undefined);
      assert.equal(retryAfterMs('soon', now), undefined);
      const negative = retryAfterMs('-5', now);
      assert.ok(negative === undefined || negative === 0, String(negative));
    });
  });

  describe('the last failure', () => {
    it('says how often it was tried, only when it was tried more than once', () => {
      const error = busy();
      assert.equal(error.withAttempts(1).message, 'lake.example answered HTTP 500 listing r2://lake/.');
      assert.equal(error.withAttempts(3).message, 'lake.example answered HTTP 500 listing r2://lake/. Tried 3 times.');
      assert.equal(String(error.withAttempts(3)), 'S3RequestError: lake.example answered HTTP 500 listing r2://lake/. Tried 3 times.');
    });

    it('is reported after the attempts are spent, each retry announced with its wait', async () => {
      const events: string[] = [];
      const attempts: number[] = [];
      const quick: RetryPolicy = { ...POLICY, attempts: 3, baseMs: 1, random: () => 0 };
      await assert.rejects(
        withRetry(
          (n) => {
            attempts.push(n);
            return Promise.reject(busy());
          },
          { policy: quick, onRetry: (e) => events.push(`${e.attempt}/${e.attempts} ${e.delayMs}`) },
        ),
        /HTTP 500 listing r2:\/\/lake\/\. Tried 3 times\.$/,
      );
      assert.deepEqual(attempts, [1, 2, 3]);
      assert.deepEqual(events, ['1/3 0', '2/3 0']);
    });
  });

  describe('sleeping between attempts', () => {
    it('ends at once with a cancellation when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(sleep(50, controller.signal), CancelledError);
    });

    it('ends with a cancellation as soon as the signal aborts, and leaves no listener behind', async () => {
      const controller = new AbortController();
      const waiting = sleep(1000, controller.signal);
      controller.abort();
      await assert.rejects(waiting, CancelledError);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });

    it('leaves no listener on a long-lived signal once each wait is over', async () => {
      const controller = new AbortController();
      for (let i = 0; i < 3; i++) await sleep(0, controller.signal);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });
  });
});
