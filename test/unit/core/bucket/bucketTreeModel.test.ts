/**
 * The state behind the Bucket view (BucketTreeModel): pages of a folder and "Load more", what a
 * filter lets through, failures and cancellations, and which source it shows. The source here is an
 * in-memory BucketSource whose requests wait until the test answers them, so every answer arrives
 * exactly when the test says; s3Listing.test.ts browses a real server, bucketPrefetch.test.ts covers
 * listing ahead of a click.
 */
import * as assert from 'node:assert/strict';
import { compileFilter } from '../../../../src/core/bucket/bucketFilter';
import { FailedSource, type BucketPage, type BucketSource } from '../../../../src/core/bucket/bucketSource';
import { BucketTreeModel } from '../../../../src/core/bucket/bucketTreeModel';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';

interface Call {
  readonly prefix: string;
  readonly continuation: string | undefined;
  answer(page: BucketPage): void;
  fail(error: unknown): void;
}

/** A live source whose requests wait until the test answers them. */
class ScriptedSource implements BucketSource {
  readonly kind = 'live';
  readonly description = 'Live';
  readonly rootPrefix = '';
  readonly calls: Call[] = [];
  disposed = 0;

  constructor(readonly bucket = 'lake') {}

  listPrefix(prefix: string, continuation?: string): Promise<BucketPage> {
    return new Promise((answer, fail) => this.calls.push({ prefix, continuation, answer, fail }));
  }

  dispose(): void {
    this.disposed++;
  }

  /** What was asked: `prefix` for a first page, `prefix@token` for a next one. */
  get asked(): string[] {
    return this.calls.map((c) => (c.continuation === undefined ? c.prefix : `${c.prefix}@${c.continuation}`));
  }

  get last(): Call {
    const call = this.calls.at(-1);
    assert.ok(call, 'a request was made');
    return call;
  }
}

const page = (folders: string[], keys: string[], continuation?: string): BucketPage => ({
  folders: folders.map((prefix) => ({ prefix })),
  objects: keys.map((key) => ({ key, size: 1 })),
  ...(continuation === undefined ? {} : { continuation }),
});
const folderRows = (...prefixes: string[]) => prefixes.map((prefix) => ({ prefix }));
const objectRows = (...keys: string[]) => keys.map((key) => ({ key, size: 1 }));

/** Opens a folder and answers its request with `answer`. */
async function open(model: BucketTreeModel, source: ScriptedSource, prefix: string, answer: BucketPage) {
  const opening = model.children(prefix);
  source.last.answer(answer);
  return opening;
}

describe('the Bucket view model', () => {
  let log: MemoryLogger;
  let model: BucketTreeModel;
  let source: ScriptedSource;

  beforeEach(() => {
    log = new MemoryLogger();
    model = new BucketTreeModel(log);
    source = new ScriptedSource();
    model.show(source);
  });
  afterEach(() => model.dispose());

  it('lists a folder page by page on "Load more", a folder the server repeats shown once', async () => {
    const changed: (string | undefined)[] = [];
    model.onDidChange((prefix) => changed.push(prefix));
    const first = await open(model, source, 'sales/', page(['sales/a/', 'sales/b/'], ['sales/1.csv'], 't1'));
    assert.deepEqual(first, { kind: 'loaded', folders: folderRows('sales/a/', 'sales/b/'), objects: objectRows('sales/1.csv'), continuation: 't1' });
    assert.deepEqual(model.visible('sales/'), { folders: folderRows('sales/a/', 'sales/b/'), objects: objectRows('sales/1.csv'), listed: 3, hiddenObjects: 0, hiddenFolders: 0, hasMore: true });

    const more = model.loadMore('sales/');
    const again = model.loadMore('sales/');
    assert.deepEqual(source.asked, ['sales/', 'sales/@t1'], 'a second click while the page loads waits for it');
    source.last.answer(page(['sales/b/', 'sales/c/'], ['sales/2.csv']));
    const complete = { kind: 'loaded', folders: folderRows('sales/a/', 'sales/b/', 'sales/c/'), objects: objectRows('sales/1.csv', 'sales/2.csv') };
    assert.deepEqual(await more, complete);
    assert.deepEqual(await again, complete);
    assert.deepEqual(model.visible('sales/'), { folders: complete.folders, objects: complete.objects, listed: 5, hiddenObjects: 0, hiddenFolders: 0, hasMore: false });
    assert.deepEqual(changed, ['sales/'], 'only the folder that grew is refreshed');

    const past = model.loadMore('sales/');
    const unlisted = model.loadMore('other/');
    assert.deepEqual(source.asked, ['sales/', 'sales/@t1'], 'a complete folder has no next page, nor has a folder never listed');
    assert.deepEqual(await past, complete);
    assert.deepEqual(await unlisted, { kind: 'loading' });
  });

  it('with a filter: shows the matches, counts what it hid, and keeps "Load more" and a failed page', async () => {
    const filter = compileFilter('a/*.parquet');
    model.setFilter(filter);
    assert.equal(model.filter, filter);
    await open(model, source, '', page(['a/', 'b/'], ['x.parquet']));
    assert.deepEqual(model.visible(''), { folders: folderRows('a/'), objects: [], listed: 3, hiddenObjects: 1, hiddenFolders: 1, hasMore: false });

    model.setFilter(compileFilter('*.parquet'));
    await open(model, source, 'a/', page([], ['a/1.parquet', 'a/2.csv', 'a/3.parquet'], 't1'));
    const firstPage = { folders: [], objects: objectRows('a/1.parquet', 'a/3.parquet'), listed: 3, hiddenObjects: 1, hiddenFolders: 0, hasMore: true };
    assert.deepEqual(model.visible('a/'), firstPage);

    const failing = model.loadMore('a/');
    source.last.fail(new UserFacingError('R2 answered HTTP 500 InternalError. Tried 4 times.', 'HTTP 500 InternalError'));
    await assert.rejects(failing, /HTTP 500 InternalError\. Tried 4 times/);
    assert.deepEqual(model.visible('a/'), { ...firstPage, incomplete: 'R2 answered HTTP 500 InternalError. Tried 4 times.' }, 'the rows so far stay, marked incomplete');
    assert.deepEqual(log.lines, ['error Listing r2://lake/a/ failed: R2 answered HTTP 500 InternalError. Tried 4 times. | HTTP 500 InternalError']);

    const retrying = model.loadMore('a/');
    source.last.answer(page([], ['a/4.parquet']));
    await retrying;
    assert.deepEqual(model.visible('a/'), { folders: [], objects: objectRows('a/1.parquet', 'a/3.parquet', 'a/4.parquet'), listed: 4, hiddenObjects: 1, hiddenFolders: 0, hasMore: false });
    model.setFilter(undefined);
    assert.equal(model.filter, undefined);
  });

  it('keeps a failed listing as the folder state, logged once with the detail the error carries', async () => {
    const failures: [string, unknown][] = [
      ['a/', new UserFacingError('Access denied listing r2://lake/a/', 'HTTP 403 AccessDenied')],
      ['b/', new Error('socket hang up')],
      ['c/', Object.assign(new Error('odd error'), { detail: 42 })],
      ['d/', Object.assign(new Error('empty detail'), { detail: '' })],
    ];
    for (const [prefix, error] of failures) {
      const opening = model.children(prefix);
      source.last.fail(error);
      assert.equal((await opening).kind, 'failed');
    }
    assert.deepEqual(await model.children('a/'), { kind: 'failed', message: 'Access denied listing r2://lake/a/' }, 'not asked again on every expand');
    assert.equal(source.calls.length, 4);
    assert.deepEqual(log.lines, [
      'error Listing r2://lake/a/ failed: Access denied listing r2://lake/a/ | HTTP 403 AccessDenied',
      'error Listing r2://lake/b/ failed: socket hang up',
      'error Listing r2://lake/c/ failed: odd error',
      'error Listing r2://lake/d/ failed: empty detail',
    ]);
  });

  it('does not log again the failure of a Test R2 Bucket it shows', async () => {
    model.show(new FailedSource('lake', '', new UserFacingError('Bucket "lake" not found.')));
    assert.deepEqual(await model.children(''), { kind: 'failed', message: 'Bucket "lake" not found.' });
    assert.deepEqual(log.lines, []);
  });

  it('a listing the source cancels leaves the folder as it was, unlogged', async () => {
    const opening = model.children('a/');
    source.last.fail(new CancelledError());
    assert.deepEqual(await opening, { kind: 'loading' });
    assert.equal(model.visible('a/'), undefined);
    const listed = await open(model, source, 'a/', page([], ['a/1.csv'], 't1'));
    assert.deepEqual(source.asked, ['a/', 'a/'], 'opened again, listed again');

    const more = model.loadMore('a/');
    source.last.fail(new CancelledError());
    assert.equal(await more, listed, 'the pages listed so far, not marked incomplete');
    assert.equal(model.visible('a/')?.incomplete, undefined);
    assert.equal(model.visible('a/')?.hasMore, true);
    assert.deepEqual(log.lines, []);
  });

  it('lists every listed folder with its children for path completion, not those failed or loading', async () => {
    await open(model, source, '', page(['a/', 'b/'], ['top.csv']));
    await open(model, source, 'a/', page([], ['a/x.csv']));
    const failing = model.children('b/');
    source.last.fail(new Error('socket hang up'));
    await failing;
    void model.children('c/');
    assert.deepEqual(model.listedFolders(), [
      { prefix: '', folders: folderRows('a/', 'b/'), objects: objectRows('top.csv') },
      { prefix: 'a/', folders: [], objects: objectRows('a/x.csv') },
    ]);
  });

  it('refresh forgets the folder and every folder below it, nothing else', async () => {
    for (const prefix of ['', 'x/', 'x/y/', 'a/x/']) await open(model, source, prefix, page([], [`${prefix}k.csv`]));
    const changed: (string | undefined)[] = [];
    model.onDidChange((prefix) => changed.push(prefix));
    const refreshing = model.refresh('x/');
    source.last.answer(page([], ['x/k.csv', 'x/new.csv']));
    await refreshing;
    assert.deepEqual(source.asked.slice(4), ['x/']);
    assert.deepEqual(model.visible('x/')?.objects, objectRows('x/k.csv', 'x/new.csv'));
    assert.equal(model.visible('x/y/'), undefined, 'listed again when opened');
    assert.ok(model.visible('a/x/') && model.visible(''), 'other folders stay listed');
    assert.deepEqual(changed, ['x/']);
  });

  it('drops answers that arrive for a source no longer shown', async () => {
    const opening = model.children('a/');
    const failing = model.children('b/');
    const next = new ScriptedSource();
    model.show(next);
    const reopening = model.children('a/');
    source.calls[0]?.answer(page([], ['a/old.csv']));
    source.calls[1]?.fail(new Error('aborted'));
    assert.deepEqual(await opening, { kind: 'loading' });
    assert.deepEqual(await failing, { kind: 'loading' });
    assert.equal(model.visible('a/'), undefined);
    assert.deepEqual(log.lines, [], 'a listing cancelled by the switch is no failure');

    const again = model.children('a/');
    assert.deepEqual(next.asked, ['a/'], 'the new listing of a/ is still awaited, not repeated');
    next.last.answer(page([], ['a/new.csv']));
    assert.deepEqual(await again, await reopening);
    assert.deepEqual(model.visible('a/')?.objects, objectRows('a/new.csv'));
  });

  it('releases a source when it shows another or is disposed, and stops telling listeners', () => {
    const heard: (string | undefined)[] = [];
    const others: (string | undefined)[] = [];
    const subscription = model.onDidChange((prefix) => heard.push(prefix));
    model.onDidChange((prefix) => others.push(prefix));
    model.show(source);
    assert.equal(source.disposed, 0, 'showing the same source again keeps it');
    model.setFilter(compileFilter('*.csv'));
    assert.deepEqual(heard, [undefined, undefined]);
    subscription.dispose();
    const next = new ScriptedSource();
    model.show(next);
    assert.equal(source.disposed, 1);
    assert.deepEqual(heard, [undefined, undefined], 'unsubscribed');
    assert.deepEqual(others, [undefined, undefined, undefined]);
    model.dispose();
    assert.equal(next.disposed, 1);
    model.setFilter(undefined);
    assert.equal(others.length, 3, 'a disposed model tells no one');
  });
});

describe('the Bucket view model with nothing shown', () => {
  it('shows an empty folder, lists nothing ahead and disposes quietly', async () => {
    const model = new BucketTreeModel(new MemoryLogger());
    assert.deepEqual(await model.children(''), { kind: 'loaded', folders: [], objects: [] });
    assert.equal(model.visible(''), undefined);
    model.prefetch(['a/'], 2);
    model.show(undefined);
    model.prefetch(['a/'], 2);
    assert.deepEqual(model.listedFolders(), []);
    model.dispose();
  });
});
