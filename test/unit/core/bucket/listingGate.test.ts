/** The concurrent listing's gate (bounded, adaptive to SlowDown) and S3's key order. */
import * as assert from 'node:assert/strict';
import { ConcurrencyGate, compareKeys } from '../../../../src/core/bucket/listingGate';
import { planRanges, rangePrefix } from '../../../../src/core/bucket/listingEngine';
import { CancelledError } from '../../../../src/core/errors';

describe('listing gate and ranges', () => {
  it('holds at most the limit, halves it on SlowDown and grows back after successes', async () => {
    const gate = new ConcurrencyGate(8);
    for (let i = 0; i < 8; i++) await gate.acquire();
    let ninth = false;
    const waiting = gate.acquire().then(() => (ninth = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ninth, false, 'the ninth waits');
    gate.slowDown();
    assert.equal(gate.currentLimit, 4);
    for (let i = 0; i < 4; i++) gate.release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ninth, false, '4 held of a limit of 4: the ninth still waits');
    gate.release();
    await waiting;
    assert.equal(gate.inFlight, 4);
    for (let i = 0; i < 8; i++) gate.succeeded();
    assert.equal(gate.currentLimit, 5, 'one more after twice the limit of successes');
    assert.equal(gate.maxInFlight, 8);
  });

  it('gives up waiting when the signal aborts', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire();
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort();
    await assert.rejects(waiting, CancelledError);
    gate.release();
    assert.equal(gate.inFlight, 0);
  });

  it('orders keys by code point, as S3 orders UTF-8 bytes', () => {
    assert.ok(compareKeys('a.csv', 'a/') < 0);
    assert.ok(compareKeys('\u{1F600}', '\uFF01') > 0, 'an emoji (above U+FFFF) sorts after U+FF01');
    assert.ok('\u{1F600}' < '\uFF01', "JavaScript's own order says the opposite");
    assert.equal(compareKeys('abc', 'abc'), 0);
    assert.ok(compareKeys('ab', 'abc') < 0);
  });

  it('cuts the key space at folder prefixes, going one level deeper when there are few', async () => {
    const folders: Record<string, string[]> = { '': ['y=1/', 'y=2/'], 'y=1/': ['y=1/m=1/', 'y=1/m=2/'], 'y=2/': ['y=2/m=1/'] };
    const asked: string[] = [];
    const ranges = await planRanges('', 8, (prefix) => {
      asked.push(prefix);
      return Promise.resolve({ folders: (folders[prefix] ?? []).map((p) => ({ prefix: p })) });
    });
    assert.deepEqual(asked, ['', 'y=1/', 'y=2/']);
    assert.deepEqual(ranges, [{ until: 'y=1/m=1/' }, { from: 'y=1/m=1/', until: 'y=1/m=2/' }, { from: 'y=1/m=2/', until: 'y=2/' }, { from: 'y=2/', until: 'y=2/m=1/' }, { from: 'y=2/m=1/' }]);
    assert.deepEqual(await planRanges('', 8, () => Promise.resolve({ folders: [] })), [{}], 'no folders: one range, plain paging');
  });

  it('lists a range under the longest prefix its boundaries share', () => {
    assert.equal(rangePrefix('', { from: 'y=1/m=1/', until: 'y=1/m=2/' }), 'y=1/m=');
    assert.equal(rangePrefix('y=1/', { from: 'y=1/a/', until: 'y=2/' }), 'y=1/', 'never wider than the listed prefix');
    assert.equal(rangePrefix('', { from: 'a/' }), '', 'an open range keeps the prefix');
  });
});
