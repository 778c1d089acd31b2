/**
 * A filter in the Bucket view: on a snapshot (Test R2 Bucket's listing) folders without a match are
 * hidden; on a live listing, which cannot know before listing a folder, a folder left empty says
 * what the filter hid.
 */
import * as assert from 'node:assert/strict';
import { compileFilter, noMatchText } from '../../../../src/core/bucket/bucketFilter';
import { foldListing } from '../../../../src/core/bucket/bucketFolding';
import { FailedSource, type BucketSource } from '../../../../src/core/bucket/bucketSource';
import { UserFacingError } from '../../../../src/core/errors';
import { BucketTreeModel } from '../../../../src/core/bucket/bucketTreeModel';
import { MemoryLogger } from '../../../../src/core/logger';

const KEYS = ['top.csv', 'a/x.parquet', 'b/y.csv', 'b/z.json', 'c/d/z.parquet', 'c/e/w.csv', 'c/e/deeper/v.csv'];

async function modelOf(live: boolean): Promise<BucketTreeModel> {
  const folded = await foldListing('lake', KEYS.map((key) => ({ key, size: 1 })));
  // What a live listing offers: pages only, no knowledge of keys below a folder.
  const source: BucketSource = live
    ? { kind: 'live', description: 'Live', bucket: 'lake', rootPrefix: '', listPrefix: (p, c, s) => folded.listPrefix(p, c, s) }
    : folded;
  const model = new BucketTreeModel(new MemoryLogger());
  model.show(source);
  model.setFilter(compileFilter('*.parquet'));
  return model;
}

const shown = (model: BucketTreeModel, prefix: string) => {
  const v = model.visible(prefix);
  return v && { folders: v.folders.map((f) => f.prefix), objects: v.objects.map((o) => o.key), hiddenObjects: v.hiddenObjects, hiddenFolders: v.hiddenFolders };
};

describe('the Bucket view filter', () => {
  it('hides the folders of a snapshot that hold no match, at every level', async () => {
    const model = await modelOf(false);
    for (const prefix of ['', 'b/', 'c/', 'c/e/']) await model.children(prefix);
    assert.deepEqual(shown(model, ''), { folders: ['a/', 'c/'], objects: [], hiddenObjects: 1, hiddenFolders: 1 });
    assert.deepEqual(shown(model, 'c/'), { folders: ['c/d/'], objects: [], hiddenObjects: 0, hiddenFolders: 1 });
    model.setFilter(compileFilter('*.json'));
    assert.deepEqual(shown(model, '')?.folders, ['b/'], 'a new filter recomputes the folders');
    model.setFilter(undefined);
    assert.deepEqual(shown(model, '')?.folders, ['a/', 'b/', 'c/']);
  });

  it('keeps live folders (they are not listed yet) and says what it hid in one that holds no match', async () => {
    const model = await modelOf(true);
    await model.children('');
    await model.children('b/');
    assert.deepEqual(shown(model, '')?.folders, ['a/', 'b/', 'c/']);
    const b = shown(model, 'b/');
    assert.deepEqual(b, { folders: [], objects: [], hiddenObjects: 2, hiddenFolders: 0 });
    assert.equal(noMatchText('*.parquet', b.hiddenObjects, b.hiddenFolders), 'No object here matches *.parquet (2 objects hidden)');
    assert.equal(noMatchText('x/*.csv', 1, 3), 'No object here matches x/*.csv (1 object, 3 folders hidden)');
  });
});

describe('a failed Test R2 Bucket in the Bucket view', () => {
  it('replaces the previous listing: the root lists as the failure', async () => {
    const model = new BucketTreeModel(new MemoryLogger());
    model.show(await foldListing('lake', [{ key: 'a/x.parquet', size: 1 }]));
    assert.equal((await model.children('')).kind, 'loaded');
    model.show(new FailedSource('other', '', new UserFacingError('Bucket "other" not found.'), 'Test failed', new Date(2024, 0, 1, 3, 48)));
    assert.equal(model.source?.description, 'Test failed · 03:48');
    assert.deepEqual(await model.children(''), { kind: 'failed', message: 'Bucket "other" not found.' });
  });
});
