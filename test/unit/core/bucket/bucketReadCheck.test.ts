/**
 * Which object Test R2 Bucket reads to check read access: the smallest with at least one byte, an
 * empty one only when nothing else is there, and only among the keys the caller accepts.
 */
import * as assert from 'node:assert/strict';
import { foldListing, type ListingEntry } from '../../../../src/core/bucket/bucketFolding';

const at = Date.parse('2024-05-01T10:00:00Z');

async function pick(entries: ListingEntry[], accept?: (key: string) => boolean): Promise<string | undefined> {
  return (await foldListing('lake', entries)).smallestObject(accept)?.key;
}

describe('bucket folding: the object the read check reads', () => {
  it('the smallest object that has bytes, wherever the empty ones are', async () => {
    assert.equal(await pick([{ key: 'a/_SUCCESS', size: 0 }, { key: 'b.csv', size: 7 }, { key: 'c.csv', size: 3 }, { key: 'd/', size: 0 }]), 'c.csv');
    assert.equal(await pick([{ key: 'big.parquet', size: 900 }, { key: 'empty', size: 0 }]), 'big.parquet');
    assert.equal(await pick([{ key: 'small', size: 1 }, { key: 'x/empty', size: 0 }, { key: 'y/bigger', size: 2 }]), 'small');
  });

  it('of two objects of the same size, the first listed', async () => {
    assert.equal(await pick([{ key: 'b', size: 5 }, { key: 'a', size: 5 }]), 'b');
  });

  it('a bucket of empty objects: an empty one still shows that reading works', async () => {
    const listing = await foldListing('lake', [{ key: 'x/_SUCCESS', size: 0, lastModified: at }, { key: 'y/.keep', size: 0 }]);
    assert.deepEqual(listing.smallestObject(), { key: 'x/_SUCCESS', size: 0, lastModified: new Date(at) });
  });

  it('only among the keys accepted, and none when none is', async () => {
    const entries: ListingEntry[] = [{ key: 'tiny.bin', size: 1 }, { key: 'data.csv', size: 50 }, { key: 'more.csv', size: 20 }];
    assert.equal(await pick(entries, (key) => key.endsWith('.csv')), 'more.csv');
    assert.equal(await pick(entries, () => false), undefined);
    assert.equal(await pick([]), undefined);
  });
});
