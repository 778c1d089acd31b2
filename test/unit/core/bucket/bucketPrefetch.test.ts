/**
 * Live browsing lists the sub-folders just shown ahead of a click (BucketTreeModel.prefetch), so
 * opening one shows its rows without waiting for the server. The source here is an in-memory
 * BucketSource whose answers the test releases, to pin down what is requested, when, and how many
 * at once; s3Listing.test.ts browses the real server.
 */
import * as assert from 'node:assert/strict';
import type { BucketPage, BucketSource } from '../../../../src/core/bucket/bucketSource';
import { BucketTreeModel, PREFETCH_FRESH_MS } from '../../../../src/core/bucket/bucketTreeModel';
import { UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';

/** A source whose answers wait until released; records every request. */
class HeldSource implements BucketSource {
  readonly description = 'Live';
  readonly rootPrefix = '';
  readonly requests: string[] = [];
  readonly failing = new Set<string>();
  inFlight = 0;
  mostInFlight = 0;
  private readonly held: (() => void)[] = [];

  constructor(
    readonly bucket: string,
    readonly kind: 'live' | 'snapshot' = 'live',
  ) {}

  listPrefix(prefix: string): Promise<BucketPage> {
    this.requests.push(prefix);
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      this.held.push(() => {
        this.inFlight--;
        if (this.failing.has(prefix)) reject(new UserFacingError(`Access denied listing r2://${this.bucket}/${prefix} (HTTP 403 AccessDenied)`));
        else resolve({ folders: [], objects: [{ key: `${prefix}part-0.parquet`, size: prefix.length }] });
      });
    });
  }

  /** Answers every request waiting now; resolves once the model has seen the answers. */
  async release(): Promise<void> {
    for (const answer of this.held.splice(0)) answer();
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
    model.prefetch(['a/', 'b/'], 8);
    await source.drain();
    model.clock += PREFETCH_FRESH_MS - 1;
    await model.children('a/');
    assert.deepEqual(source.requests, ['a/', 'b/'], 'fresh enough');
    model.clock += 2;
    const opening = model.children('b/');
    await source.release();
    assert.equal((await opening).kind, 'loaded');
    assert.deepEqual(source.requests, ['a/', 'b/', 'b/'], 'stale: listed again');
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
});
