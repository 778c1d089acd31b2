import * as assert from 'node:assert/strict';
import { describeSnapshot, foldListing, ListingFolder, type ListingEntry } from '../../../../src/core/bucket/bucketFolding';
import { baseName, hivePartition, parseBucketPath, splitObjectUri, type BucketPage, type BucketSource } from '../../../../src/core/bucket/bucketSource';

const t = (iso: string) => Date.parse(iso);

const lakehouse: ListingEntry[] = [
  { key: 'README.md', size: 10, lastModified: t('2024-01-01T00:00:00Z') },
  { key: 'sales/_SUCCESS', size: 0, lastModified: t('2024-02-01T00:00:00Z') },
  { key: 'sales/year=2023/month=12/part-0.parquet', size: 1000, lastModified: t('2024-01-05T00:00:00Z') },
  { key: 'sales/year=2024/month=01/part-0.parquet', size: 2000, lastModified: t('2024-02-01T00:00:00Z') },
  { key: 'sales/year=2024/month=01/part-1.parquet', size: 3000, lastModified: t('2024-02-02T00:00:00Z') },
  { key: 'sales/year=2024/month=02/part-0.parquet', size: 4000, lastModified: t('2024-03-01T00:00:00Z') },
  { key: 'staging/', size: 0 },
  { key: 'staging/raw/a.csv', size: 5 },
];

async function everything(source: BucketSource, prefix: string): Promise<BucketPage> {
  const folders = [];
  const objects = [];
  let continuation: string | undefined;
  do {
    const page = await source.listPrefix(prefix, continuation);
    folders.push(...page.folders);
    objects.push(...page.objects);
    continuation = page.continuation;
  } while (continuation !== undefined);
  return { folders, objects };
}

describe('bucket folding', () => {
  it('folds a flat listing into folders with counts, sizes and newest times', async () => {
    const listing = await foldListing('lake', lakehouse, { label: 'Test result', takenAt: new Date(2024, 4, 1, 12, 3) });
    assert.equal(listing.kind, 'snapshot');
    assert.equal(listing.description, 'Test result · 7 objects · 12:03');
    assert.equal(listing.objectCount, 7);
    assert.equal(listing.totalSize, 10015);
    assert.equal(listing.folderCount, 8, 'sales, its 2 years and 3 months, staging, staging/raw');

    const root = await listing.listPrefix('');
    assert.deepEqual(root.folders.map((f) => [f.prefix, f.objectCount, f.totalSize]), [
      ['sales/', 5, 10000],
      ['staging/', 1, 5],
    ]);
    assert.equal(root.folders[0]?.lastModified?.toISOString(), '2024-03-01T00:00:00.000Z');
    assert.equal(root.folders[1]?.lastModified, undefined, 'no times known below staging/');
    assert.deepEqual(root.objects.map((o) => [o.key, o.size]), [['README.md', 10]]);

    const sales = await listing.listPrefix('sales/');
    assert.deepEqual(sales.folders.map((f) => [f.prefix, f.objectCount]), [
      ['sales/year=2023/', 1],
      ['sales/year=2024/', 3],
    ]);
    assert.deepEqual(sales.objects.map((o) => o.key), ['sales/_SUCCESS']);
    const jan = await listing.listPrefix('sales/year=2024/month=01/');
    assert.deepEqual(jan.objects.map((o) => [o.key, o.size, o.lastModified?.toISOString()]), [
      ['sales/year=2024/month=01/part-0.parquet', 2000, '2024-02-01T00:00:00.000Z'],
      ['sales/year=2024/month=01/part-1.parquet', 3000, '2024-02-02T00:00:00.000Z'],
    ]);
    assert.deepEqual(listing.folder('staging/'), { prefix: 'staging/', objectCount: 1, totalSize: 5 }, 'a folder marker is not an object');
    assert.deepEqual(await listing.listPrefix('nowhere/'), { folders: [], objects: [] });
  });

  it('gives the same tree for unsorted input, sorted', async () => {
    const shuffled = [...lakehouse].reverse();
    const [a, b] = await Promise.all([foldListing('lake', lakehouse), foldListing('lake', shuffled)]);
    for (const prefix of ['', 'sales/', 'sales/year=2024/', 'sales/year=2024/month=01/', 'staging/raw/']) {
      assert.deepEqual(await b.listPrefix(prefix), await a.listPrefix(prefix), prefix);
    }
  });

  it('sorts a large unsorted folder through the sliced merge sort', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `d/${String((i * 7919) % 10_000).padStart(5, '0')}`);
    const listing = await foldListing('b', keys.map((key) => ({ key, size: 1 })), { pageSize: 10_000 });
    const page = await listing.listPrefix('d/');
    assert.equal(page.objects.length, 10_000);
    assert.deepEqual(page.objects.map((o) => o.key), [...keys].sort());
  });

  it('pages a folder of more than 1,000 children, folders first', async () => {
    const entries: ListingEntry[] = [{ key: 'big/sub/x', size: 1 }];
    for (let i = 0; i < 2500; i++) entries.push({ key: `big/k${String(i).padStart(4, '0')}`, size: 2 });
    const listing = await foldListing('b', entries);
    const first = await listing.listPrefix('big/');
    assert.equal(first.folders.length, 1);
    assert.equal(first.objects.length, 999);
    assert.equal(first.continuation, '1000');
    const second = await listing.listPrefix('big/', first.continuation);
    assert.equal(second.folders.length, 0);
    assert.equal(second.objects[0]?.key, 'big/k0999');
    const all = await everything(listing, 'big/');
    assert.equal(all.objects.length, 2500);
    assert.equal(new Set(all.objects.map((o) => o.key)).size, 2500);
  });

  it('takes the listing in chunks, as an async iterable of pages', async () => {
    async function* pages(): AsyncIterable<ListingEntry[]> {
      yield lakehouse.slice(0, 3);
      await new Promise<void>((resolve) => setImmediate(resolve));
      yield lakehouse.slice(3);
    }
    const listing = await foldListing('lake', pages());
    assert.equal(listing.objectCount, 7);
    const folder = new ListingFolder();
    await folder.add(lakehouse.slice(0, 4));
    await folder.add(lakehouse.slice(4));
    assert.equal((await folder.finish('lake')).totalSize, 10015);
  });

  it('yields to the event loop while folding a large listing, and stops when aborted', async () => {
    const n = 200_000;
    function* keys(): Iterable<ListingEntry> {
      for (let i = 0; i < n; i++) yield { key: `p${i % 100}/f${i}.parquet`, size: 1 };
    }
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const listing = await foldListing('b', keys(), { sliceMs: 5 });
      assert.equal(listing.objectCount, n);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'timers ran while folding');

    // Abort half-way through, from inside the listing: only the check between slices can stop it.
    const controller = new AbortController();
    let read = 0;
    function* abortingKeys(): Iterable<ListingEntry> {
      for (const entry of keys()) {
        if (++read === n / 2) controller.abort();
        yield entry;
      }
    }
    await assert.rejects(foldListing('b', abortingKeys(), { sliceMs: 1, signal: controller.signal }), { name: 'AbortError' });
    assert.ok(read < n, `folding went on to the end (${read} of ${n}) after the abort`);
  });

  it('picks the smallest non-empty object for the read check', async () => {
    const listing = await foldListing('lake', lakehouse);
    assert.equal(listing.smallestObject()?.key, 'staging/raw/a.csv');
    assert.equal((await foldListing('b', [])).smallestObject(), undefined);
  });
});

describe('bucket paths and partitions', () => {
  it('detects Hive partition folders', () => {
    assert.deepEqual(hivePartition('sales/year=2024/'), { key: 'year', value: '2024' });
    assert.deepEqual(hivePartition('sales/year=2024/month=01/'), { key: 'month', value: '01' });
    assert.deepEqual(hivePartition('dt=2024-01-01/'), { key: 'dt', value: '2024-01-01' });
    assert.deepEqual(hivePartition('x/region=/'), { key: 'region', value: '' });
    assert.equal(hivePartition('sales/'), undefined);
    assert.equal(hivePartition('a=b=c/x/'), undefined);
    assert.equal(hivePartition('=x/'), undefined);
  });

  it('parses r2:// paths', () => {
    assert.deepEqual(parseBucketPath('r2://lake/sales/year=2024'), { bucket: 'lake', prefix: 'sales/year=2024/' });
    assert.deepEqual(parseBucketPath('r2://lake/'), { bucket: 'lake', prefix: '' });
    assert.deepEqual(parseBucketPath('lake'), { bucket: 'lake', prefix: '' });
    assert.deepEqual(parseBucketPath(' s3://eo_pv_lakehouse/a/ '), { bucket: 'eo_pv_lakehouse', prefix: 'a/' });
    assert.equal(parseBucketPath('https://example.com/x'), undefined);
    assert.equal(parseBucketPath(''), undefined);
    assert.deepEqual(splitObjectUri('r2://lake/a/b.csv'), { bucket: 'lake', key: 'a/b.csv' });
    assert.equal(baseName('a/b/'), 'b');
    assert.equal(baseName('a/b.csv'), 'b.csv');
  });

  it('describes a snapshot with the count and the time', () => {
    assert.equal(describeSnapshot('Test result', 10_000, new Date(2024, 0, 1, 9, 5)), 'Test result · 10,000 objects · 09:05');
    assert.equal(describeSnapshot('Test result', 1, new Date(2024, 0, 1, 23, 59)), 'Test result · 1 object · 23:59');
  });
});
