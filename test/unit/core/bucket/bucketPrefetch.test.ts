/**
 * Live browsing lists the sub-folders just shown ahead of a click (BucketTreeModel.prefetch), so
 * opening one shows its rows without waiting for the server. The source here is an in-memory
 * BucketSource whose answers the test releases, to pin down what is requested, when, and how many
 * at once; s3Listing.test.ts browses the real server.
 */
import * as assert from 'node:assert/strict';
import type { BucketPage, BucketSource } from '../../../../src/core/bucket/bucketSource';
import { BucketTreeModel, PREFETCH_FRESH_MS } from '../../../../src/core/bucket/bucketTreeModel';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';

/** A source whose answers wait until released; records every request. */
class HeldSource implements BucketSource {
  readonly description = 'Live';
  readonly rootPrefix = '';
  readonly requests: string[] = [];
  readonly failing = new Set<string>();
  /** Folders whose listing the source cancels by itself (as a listing gate does). */
  readonly cancelling = new Set<string>();
  inFlight = 0;
  mostInFlight = 0;
  private held: { readonly prefix: string; readonly answer: () => void }[] = [];

  constructor(
    readonly bucket: string,
    readonly kind: 'live' | 'snapshot' = 'live',
  ) {}

  listPrefix(prefix: string): Promise<BucketPage> {
    this.requests.push(prefix);
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      this.held.push({
        prefix,
        answer: () => {
          this.inFlight--;
          if (this.failing.has(prefix)) reject(new UserFacingError(`Access denied listing r2://${this.bucket}/${prefix} (HTTP 403 AccessDenied)`));
          else if (this.cancelling.has(prefix)) reject(new CancelledError());
          else resolve({ folders: [], objects: [{ key: `${prefix}part-0.parquet`, size: prefix.length }] });
        },
      });
    });
  }

  /** Answers every request waiting now (or only those for `prefix`); resolves once the model has seen the answers. */
  async release(prefix?: string): Promise<void> {
    const answering = this.held.filter((h) => prefix === undefined || h.prefix === prefix);
    this.held = this.held.filter((h) => !answering.includes(h));
    for (const { answer } of answering) answer();
    await settle();
  }

  /** Answers until nothing waits (prefetches start more as earlier ones end). */
  async drain(): Promise<void> {
    while (this.held.length > 0) await this.release();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const folders = (n: number) => Array.from({ length: n }, (_, i) => `f${i}/`);

/** A model whose clock the test moves. */
class ClockedModel extends BucketTreeModel {
  clock = 0;
  protected override now(): number {
    return this.clock;
  }
}

describe('live browsing lists shown sub-folders ahead of a click', () => {
  let log: MemoryLogger;
  let model: ClockedModel;
  let source: HeldSource;

  beforeEach(() => {
    log = new MemoryLogger();
    model = new ClockedModel(log);
    source = new HeldSource('lake');
    model.show(source);
  });
  afterEach(() => model.dispose());

  it('lists at most `limit` folders, in the order shown, two at a time; opening one asks nothing more', async () => {
    model.prefetch(folders(12), 5);
    await settle();
    assert.deepEqual(source.requests, ['f0/', 'f1/'], 'two at once');
    await source.drain();
    assert.deepEqual(source.requests, ['f0/', 'f1/', 'f2/', 'f3/', 'f4/']);
    assert.equal(source.mostInFlight, 2);

    const opened = await model.children('f3/');
    assert.equal(opened.kind, 'loaded');
    assert.deepEqual(model.visible('f3/')?.objects.map((o) => o.key), ['f3/part-0.parquet']);
    assert.equal(source.requests.length, 5, 'the folder listed ahead answers the click');
    const beyond = model.children('f7/');
    await source.release();
    assert.equal((await beyond).kind, 'loaded');
    assert.deepEqual(source.requests.slice(5), ['f7/'], 'a folder beyond the limit is listed when opened');
  });

  it('never for a snapshot, nor with a limit of 0, nor twice for a folder listed or queued', async () => {
    model.prefetch(folders(3), 0);
    const snapshot = new HeldSource('lake', 'snapshot');
    const other = new ClockedModel(log);
    other.show(snapshot);
    other.prefetch(folders(3), 8);
    await settle();
    assert.deepEqual(source.requests, []);
    assert.deepEqual(snapshot.requests, []);
    other.dispose();

    model.prefetch(['a/', 'b/', 'c/'], 8);
    model.prefetch(['b/', 'c/', 'd/'], 8);
    await source.drain();
    assert.deepEqual(source.requests, ['a/', 'b/', 'c/', 'd/']);
    model.prefetch(['a/', 'd/'], 8);
    await settle();
    assert.equal(source.requests.length, 4, 'listed folders are not listed again');
  });

  it('opening a folder while it is listed ahead waits for that request, not a second one', async () => {
    model.prefetch(['a/', 'b/'], 8);
    await settle();
    const opening = model.children('b/');
    await source.release();
    const state = await opening;
    assert.equal(state.kind, 'loaded');
    assert.deepEqual(source.requests, ['a/', 'b/']);
    // Opened while listed ahead: it is the folder's listing now, kept however long ago it came.
    model.clock += PREFETCH_FRESH_MS + 1;
    await model.children('b/');
    assert.deepEqual(source.requests, ['a/', 'b/']);
  });

  it('a failure ahead of the click is forgotten: opening lists again and shows that failure', async () => {
    source.failing.add('a/');
    model.prefetch(['a/'], 8);
    await source.drain();
    assert.equal(model.visible('a/'), undefined);
    const opening = model.children('a/');
    await source.release();
    const state = await opening;
    assert.equal(state.kind, 'failed');
    assert.match(state.kind === 'failed' ? state.message : '', /^Access denied listing r2:\/\/lake\/a\//);
    assert.deepEqual(source.requests, ['a/', 'a/']);
  });

  it('a folder listed ahead but not opened within a minute is listed again when opened', async () => {
    model.clock = 5 * PREFETCH_FRESH_MS;
    model.prefetch(['a/', 'b/'], 8);
    await source.drain();
    model.clock += PREFETCH_FRESH_MS;
    const fresh = model.children('a/');
    await settle();
    assert.deepEqual(source.requests, ['a/', 'b/'], 'a minute old: fresh enough');
    assert.equal((await fresh).kind, 'loaded');
    model.clock += 1;
    const opening = model.children('b/');
    await source.release();
    assert.equal((await opening).kind, 'loaded');
    assert.deepEqual(source.requests, ['a/', 'b/', 'b/'], 'older: listed again');
  });

  it('a new source or a refresh drops the folders still queued', async () => {
    model.prefetch(folders(6), 8);
    await settle();
    assert.deepEqual(source.requests, ['f0/', 'f1/']);
    const next = new HeldSource('other');
    model.show(next);
    await source.drain();
    await settle();
    assert.deepEqual(source.requests, ['f0/', 'f1/'], 'nothing more for the old source');
    assert.deepEqual(next.requests, []);
    assert.equal(model.visible('f0/'), undefined, 'the old answers are not kept');

    model.prefetch(['x/a/', 'x/b/', 'x/c/', 'y/'], 8);
    await settle();
    assert.deepEqual(next.requests, ['x/a/', 'x/b/']);
    const refreshing = model.refresh('x/');
    await next.drain();
    await refreshing;
    assert.deepEqual(next.requests, ['x/a/', 'x/b/', 'x/', 'y/'], 'x/c/ was dropped by the refresh of x/');
  });
  it('skips folders listed, being listed or queued, and fills the limit with the others', async () => {
    const opened = model.children('g/');
    await source.release();
    await opened;
    model.prefetch(['a/', 'b/', 'c/'], 8);
    await settle();
    assert.deepEqual(source.requests, ['g/', 'a/', 'b/'], 'c/ waits its turn');
    model.prefetch(['g/', 'a/', 'c/', 'd/'], 1);
    await source.drain();
    assert.deepEqual(source.requests, ['g/', 'a/', 'b/', 'c/', 'd/']);
  });

  it('a folder opened before its turn is not listed again, nor aged as if listed ahead', async () => {
    model.prefetch(['a/', 'b/', 'c/', 'd/', 'e/'], 8);
    await settle();
    const c = model.children('c/');
    await source.release('c/');
    assert.equal((await c).kind, 'loaded');
    const d = model.children('d/');
    await settle();
    await source.release('a/');
    assert.deepEqual(source.requests, ['a/', 'b/', 'c/', 'd/', 'e/'], 'a/ answered: its turn goes to e/, c/ and d/ being opened already');
    await source.drain();
    assert.equal((await d).kind, 'loaded');
    model.clock += PREFETCH_FRESH_MS + 1;
    const reopened = [model.children('c/'), model.children('d/')];
    await settle();
    assert.equal(source.requests.length, 5, 'opened folders keep their listing');
    await Promise.all(reopened);
  });

  it('with a limit of 0 or less (turned off) lists nothing more, not even a folder queued before', async () => {
    model.prefetch(['a/', 'b/', 'c/'], 8);
    await settle();
    const opening = model.children('b/');
    model.prefetch(['d/'], 0);
    model.prefetch(['d/', 'e/'], -1);
    await settle();
    assert.deepEqual(source.requests, ['a/', 'b/']);
    await source.drain();
    await opening;
    assert.deepEqual(source.requests, ['a/', 'b/', 'c/']);
  });

  it('answers for a source no longer shown do not count against the new one', async () => {
    model.prefetch(['f0/'], 8);
    await settle();
    const next = new HeldSource('lake');
    model.show(next);
    model.prefetch(['f0/', 'f1/', 'f2/'], 8);
    await settle();
    await source.release();
    model.prefetch(['f3/'], 8);
    await settle();
    assert.deepEqual(next.requests, ['f0/', 'f1/'], 'still two at a time');
    await next.drain();
    assert.deepEqual(next.requests, ['f0/', 'f1/', 'f2/', 'f3/']);
    assert.equal(next.mostInFlight, 2);
    model.clock += PREFETCH_FRESH_MS + 1;
    const opening = model.children('f0/');
    await settle();
    assert.deepEqual(next.requests.slice(4), ['f0/'], 'f0/ was listed ahead for the new source: it ages like the others');
    await next.release();
    await opening;
  });

  it('a listing ahead that the source cancels leaves nothing behind: a later refresh of the folder is its listing', async () => {
    source.cancelling.add('a/');
    model.prefetch(['a/'], 8);
    await source.drain();
    assert.equal(model.visible('a/'), undefined);
    assert.deepEqual(log.lines, []);
    source.cancelling.delete('a/');
    const refreshing = model.refresh('a/');
    await source.release();
    assert.equal((await refreshing).kind, 'loaded');
    model.clock += PREFETCH_FRESH_MS + 1;
    const opening = model.children('a/');
    await settle();
    assert.deepEqual(source.requests, ['a/', 'a/']);
    await opening;
  });

  it('ages folders listed ahead by the process clock unless told otherwise', async () => {
    const plain = new BucketTreeModel(log);
    const live = new HeldSource('lake');
    plain.show(live);
    const realNow = performance.now.bind(performance);
    let later = 0;
    Object.defineProperty(performance, 'now', { value: () => realNow() + later, configurable: true });
    try {
      plain.prefetch(['a/', 'b/'], 8);
      await live.drain();
      const fresh = plain.children('a/');
      await settle();
      assert.deepEqual(live.requests, ['a/', 'b/']);
      later = PREFETCH_FRESH_MS + 1;
      const stale = plain.children('b/');
      await settle();
      assert.deepEqual(live.requests, ['a/', 'b/', 'b/']);
      await live.drain();
      await Promise.all([fresh, stale]);
    } finally {
      delete (performance as { now?: unknown }).now;
      plain.dispose();
    }
  });
});
