/**
 * The small parts every bucket view and message shares: what a failed Test R2 Bucket leaves in the
 * view, the r2:// paths the user types or is shown, Hive partition folders, and sizes for people.
 */
import * as assert from 'node:assert/strict';
import { FailedSource, formatBytes, hivePartition, parseBucketPath, r2Uri, splitObjectUri } from '../../../../src/core/bucket/bucketSource';

describe('bucket sources and paths (bucketSource)', () => {
  it('a failed test leaves a snapshot that says when it failed and fails to list with the error', async () => {
    const failure = new Error('Access denied listing r2://lake/');
    const failed = new FailedSource('lake', '', failure, undefined, new Date(2024, 0, 2, 9, 5));
    assert.equal(failed.kind, 'snapshot');
    assert.equal(failed.description, 'Test failed · 09:05');
    await assert.rejects(failed.listPrefix(), (e) => e === failure);
    const retried = new FailedSource('lake', 'team/', 'no route to host', 'Listing failed', new Date(2024, 0, 2, 23, 59));
    assert.equal(retried.description, 'Listing failed · 23:59');
    await assert.rejects(retried.listPrefix(), (e) => e instanceof Error && e.message === 'no route to host');
  });

  it('r2:// paths: the bucket root by default, s3:// on request', () => {
    assert.equal(r2Uri('lake'), 'r2://lake/');
    assert.equal(r2Uri('lake', 'a/b.csv'), 'r2://lake/a/b.csv');
    assert.equal(r2Uri('lake', 'a/', 's3'), 's3://lake/a/');
  });

  it('a typed bucket path: only one line, only a valid bucket name', () => {
    assert.deepEqual(parseBucketPath('lake/a'), { bucket: 'lake', prefix: 'a/' });
    assert.equal(parseBucketPath('lake/a\nb'), undefined);
    assert.equal(parseBucketPath('notes\nlake/a'), undefined);
    assert.equal(parseBucketPath('-lake/a'), undefined);
    assert.equal(parseBucketPath('r2://.lake'), undefined);
  });

  it('a Hive partition folder is key=value, the key starting with a letter or underscore', () => {
    assert.deepEqual(hivePartition('sales/year=2024/'), { key: 'year', value: '2024' });
    assert.deepEqual(hivePartition('_k=/'), { key: '_k', value: '' });
    assert.equal(hivePartition('sales/1year=2024/'), undefined);
    assert.equal(hivePartition('sales/-x=1/'), undefined);
    assert.equal(hivePartition('sales/plain/'), undefined);
  });

  it('an object URI is the whole text, starting with r2:// or s3://', () => {
    assert.deepEqual(splitObjectUri('r2://lake/a/b.csv'), { bucket: 'lake', key: 'a/b.csv' });
    assert.deepEqual(splitObjectUri('s3://lake/'), { bucket: 'lake', key: '' });
    assert.equal(splitObjectUri('see r2://lake/a.csv'), undefined);
    assert.equal(splitObjectUri('r2://lake/a.csv\nr2://other/b.csv'), undefined);
    assert.equal(splitObjectUri('/tmp/lake/a.csv'), undefined);
  });

  it('sizes in powers of 1,000: one decimal below 10, never "1000" of a unit, up to PB', () => {
    const cases: [number, string][] = [
      [0, '0 B'],
      [999, '999 B'],
      [1000, '1.0 KB'],
      [1234, '1.2 KB'],
      [9_949, '9.9 KB'],
      [9_950, '10 KB'],
      [999_499, '999 KB'],
      [999_500, '1.0 MB'],
      [3_400_000, '3.4 MB'],
      [5_600_000_000, '5.6 GB'],
      [78_000_000_000_000, '78 TB'],
      [9_100_000_000_000_000, '9.1 PB'],
      [2e18, '2000 PB'],
    ];
    assert.deepEqual(
      cases.map(([bytes]) => [bytes, formatBytes(bytes)]),
      cases,
    );
  });
});
