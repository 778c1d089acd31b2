/** The concurrent listing's gate (bounded, adaptive to SlowDown) and S3's key order. */
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
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

  it('refuses at once when the signal is already aborted, whether the gate is free or full', async () => {
    const gate = new ConcurrencyGate(1);
    const aborted = AbortSignal.abort();
    await assert.rejects(gate.acquire(aborted), CancelledError, 'free gate');
    assert.equal(gate.inFlight, 0, 'a refused caller holds nothing');
    await gate.acquire();
    await assert.rejects(gate.acquire(aborted), CancelledError, 'full gate: no wait for an abort that already happened');
    assert.equal(gate.inFlight, 1);
  });

  it('serves waiters first come, first served, and a waiter that gave up never takes a slot', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const wait = (name: string, signal?: AbortSignal) => gate.acquire(signal).then(() => order.push(name));
    const b = wait('b');
    const a = wait('a', controller.signal);
    const c = wait('c');
    await settle();
    controller.abort();
    await assert.rejects(a, CancelledError);
    gate.release();
    await b;
    gate.release();
    await c;
    assert.deepEqual(order, ['b', 'c']);
    assert.equal(gate.inFlight, 1);
  });

  it('serves a queue longer than the limit in arrival order as slots free up one by one', async () => {
    const gate = new ConcurrencyGate(2);
    await gate.acquire();
    await gate.acquire();
    const order: string[] = [];
    const names = ['a', 'b', 'c', 'd'];
    const waits = names.map((name) => gate.acquire().then(() => order.push(name)));
    await settle();
    for (let i = 0; i < names.length; i++) {
      gate.release();
      await waits[i];
      await settle();
      assert.deepEqual(order, names.slice(0, i + 1), 'one slot freed, the next in line served');
      assert.equal(gate.inFlight, 2);
    }
  });

  it('keeps the queue order when a SlowDown leaves no free slot on release', async () => {
    const gate = new ConcurrencyGate(4);
    for (let i = 0; i < 4; i++) await gate.acquire();
    const order: string[] = [];
    const wait = (name: string) => gate.acquire().then(() => order.push(name));
    const a = wait('a');
    const b = wait('b');
    await settle();
    gate.slowDown();
    gate.release();
    gate.release();
    await settle();
    assert.deepEqual(order, [], '2 held of a limit of 2: nobody is served');
    gate.release();
    await a;
    await settle();
    assert.deepEqual(order, ['a']);
    gate.release();
    await b;
    assert.deepEqual(order, ['a', 'b']);
  });

  it('leaves no listener on the caller\'s signal after waiting or giving up', async () => {
    const gate = new ConcurrencyGate(1);
    const controller = new AbortController();
    await gate.acquire();
    for (let i = 0; i < 12; i++) {
      const next = gate.acquire(controller.signal);
      gate.release();
      await next;
    }
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'a listing of many pages shares one signal');
    const waiting = gate.acquire(controller.signal);
    await settle();
    controller.abort();
    await assert.rejects(waiting, CancelledError);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('orders keys by code point, as S3 orders UTF-8 bytes', () => {
    assert.ok(compareKeys('a.csv', 'a/') < 0);
    assert.ok(compareKeys('\u{1F600}', '\uFF01') > 0, 'an emoji (above U+FFFF) sorts after U+FF01');
    assert.ok('\u{1F600}' < '\uFF01', "JavaScript's own order says the opposite");
    assert.equal(compareKeys('abc', 'abc'), 0);
    assert.ok(compareKeys('ab', 'abc') < 0);
    assert.ok(compareKeys('\uD7FF', '\uE000') < 0, 'below the surrogates sorts before U+E000');
    assert.ok(compareKeys('\uE000', '\uE001') < 0, 'U+E000 keeps its place among its neighbours');
    assert.ok(compareKeys('\u{10000}', '\uE000') > 0, 'the first character above U+FFFF sorts after U+E000');
    assert.ok(compareKeys('\u{10000}', '\uFFFF') > 0);
    assert.ok(compareKeys('\u{10400}', '\u{10000}') > 0);
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

  it('stays at the top level when it holds half the ranges wanted or more, or more folders than one page names', async () => {
    const folders = (names: string[], continuation?: string) => ({ folders: names.map((prefix) => ({ prefix })), ...(continuation ? { continuation } : {}) });
    const asked: string[] = [];
    const planned = (wanted: number, top: ReturnType<typeof folders>) =>
      planRanges('', wanted, (prefix) => {
        asked.push(prefix);
        return Promise.resolve(prefix === '' ? top : folders([`${prefix}x/`]));
      });
    // 4 of 8 wanted: half, no deeper.
    assert.deepEqual(await planned(8, folders(['a/', 'b/', 'c/', 'd/'])), [{ until: 'b/' }, { from: 'b/', until: 'c/' }, { from: 'c/', until: 'd/' }, { from: 'd/' }]);
    assert.deepEqual(asked, ['']);
    // 3 of 8 wanted but the top has more pages: its folders are not all known, no deeper.
    asked.length = 0;
    assert.deepEqual(await planned(8, folders(['a/', 'b/', 'c/'], 'more')), [{ until: 'b/' }, { from: 'b/', until: 'c/' }, { from: 'c/' }]);
    assert.deepEqual(asked, ['']);
    // 3 of 8 wanted: one level deeper.
    asked.length = 0;
    assert.equal((await planned(8, folders(['a/', 'b/', 'c/']))).length, 6);
    assert.deepEqual(asked, ['', 'a/', 'b/', 'c/']);
  });

  it('cuts two folders into two ranges, many folders into the ranges wanted, evenly spread, and one range when one is wanted', async () => {
    const top = (names: string[]) => () => Promise.resolve({ folders: names.map((prefix) => ({ prefix })), continuation: 'more' });
    assert.deepEqual(await planRanges('', 8, top(['a/', 'b/'])), [{ until: 'b/' }, { from: 'b/' }]);
    const twenty = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}/`);
    const ranges = await planRanges('', 8, top(twenty));
    assert.deepEqual(
      ranges.map((r) => r.until),
      ['f02/', 'f05/', 'f07/', 'f10/', 'f12/', 'f15/', 'f17/', undefined],
      'every 2.5 folders',
    );
    for (const [i, range] of ranges.entries()) assert.equal(range.from, ranges[i - 1]?.until, 'each range starts where the one before ends');
    assert.deepEqual((await planRanges('', 1, top(['a/', 'b/']))).length, 1);
  });

  it('cuts only at folders inside the prefix, never at the prefix itself, whatever the server names', async () => {
    const hostile = ['p/', 'q/', 'p/b/', 'x/p/', 'p/a/', 'p/b/', 'o/'];
    const ranges = await planRanges('p/', 8, () => Promise.resolve({ folders: hostile.map((prefix) => ({ prefix })), continuation: 'more' }));
    assert.deepEqual(ranges, [{ until: 'p/b/' }, { from: 'p/b/' }]);
  });

  it('never cuts a range\'s prefix inside a character written as a surrogate pair', () => {
    // U+1F600 and U+1F601 share their high surrogate; so do U+10000/U+10001 (0xD800) and U+10FC00/U+10FC01 (0xDBFF).
    assert.equal(rangePrefix('', { from: 'x/\u{1F600}/', until: 'x/\u{1F601}/' }), 'x/');
    assert.equal(rangePrefix('', { from: '\u{10000}/', until: '\u{10001}/' }), '');
    assert.equal(rangePrefix('', { from: '\u{10FC00}/', until: '\u{10FC01}/' }), '');
    assert.equal(rangePrefix('', { from: 'x/\u{1F600}a/', until: 'x/\u{1F600}b/' }), 'x/\u{1F600}', 'a whole pair is kept');
    assert.equal(rangePrefix('', { from: 'x/\uE000a/', until: 'x/\uE000b/' }), 'x/\uE000', 'a character above the surrogates is kept');
    assert.equal(rangePrefix('', { from: 'a/', until: 'a/b/' }), 'a/', 'one boundary inside the other');
  });

  it('lists a range under the longest prefix its boundaries share', () => {
    assert.equal(rangePrefix('', { from: 'y=1/m=1/', until: 'y=1/m=2/' }), 'y=1/m=');
    assert.equal(rangePrefix('y=1/', { from: 'y=1/a/', until: 'y=2/' }), 'y=1/', 'never wider than the listed prefix');
    assert.equal(rangePrefix('', { from: 'a/' }), '', 'an open range keeps the prefix');
  });
});

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
