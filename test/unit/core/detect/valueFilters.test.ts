import * as assert from 'node:assert/strict';
import { entropy, isNameLike, isPlaceholder, lacksRandomness } from '../../../../src/core/detect/valueFilters';
import { CredentialFixtures } from '../../../support/credentialFixtures';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

describe('detect: what stands where a credential would (valueFilters)', () => {
  const f = new CredentialFixtures(2727);

  /** Random base62 with no two neighbours equal or one apart (so no run and no counting of its own). */
  function random(length: number): string {
    let out = '';
    while (out.length < length) {
      const c = f.pick([...BASE62]);
      const previous = out.length > 0 ? out.charCodeAt(out.length - 1) : -2;
      if (Math.abs(c.charCodeAt(0) - previous) > 1) out += c;
    }
    return out;
  }

  describe('masks and placeholders', () => {
    it('a value made only of mask marks (`*`, `x`, `•`, `#`, `.`, `-`, `_`, `=`, `0`, blanks) is a placeholder', () => {
      for (const mask of ['========', '-- --', '0000 0000', '••••', '._._', 'x-x-x']) assert.ok(isPlaceholder(mask), mask);
      for (const value of [`${'='.repeat(4)}7`, random(16), f.password()]) assert.ok(!isPlaceholder(value), value);
    });

    it('four mask marks in a row, mixed, make a value too regular', () => {
      const [head, tail] = [random(8), random(8)];
      assert.ok(!lacksRandomness(head + tail));
      for (const marks of ['x*x*', '#X#x', '*##*']) assert.ok(lacksRandomness(head + marks + tail), marks);
      assert.ok(!lacksRandomness(`${head}x*x${tail}`), 'three are not enough');
    });
  });

  describe('too regular to be random', () => {
    it('a run of six equal characters, in eight characters or more', () => {
      const [head, tail] = [random(10), random(10)];
      assert.ok(lacksRandomness(`${head}${'0'.repeat(6)}${tail}`));
      assert.ok(!lacksRandomness(`${head}${'0'.repeat(5)}${tail}`), 'five in a row happen in random values');
      assert.ok(lacksRandomness(`${'w'.repeat(6)}${head}`), 'at the start');
      assert.ok(lacksRandomness(`${head}${'w'.repeat(6)}`), 'at the end');
      assert.ok(lacksRandomness(`k9${'w'.repeat(6)}`), 'eight characters');
      assert.ok(!lacksRandomness(`k${'w'.repeat(6)}`), 'seven characters: too short to judge by runs');
    });

    it('a unit repeated, up to half the value', () => {
      const unit = random(10);
      assert.ok(!lacksRandomness(unit + random(10)));
      assert.ok(lacksRandomness(unit + unit), 'twice');
      assert.ok(lacksRandomness(unit + unit + unit.slice(0, 4)), 'twice and a bit');
      assert.ok(!lacksRandomness(unit + unit.slice(0, 9)), 'less than twice');
      const long = random(64);
      assert.ok(lacksRandomness(long + long), 'a period of 64');
      const longer = random(65);
      assert.ok(!lacksRandomness(longer + longer), 'a period over 64 is not looked for');
    });

    it('counting up or down for half the steps or more', () => {
      assert.ok(lacksRandomness('fedcba987654'), 'down');
      assert.ok(lacksRandomness('abcdefgh'), 'up');
      // Three steps of six: half.
      assert.ok(lacksRandomness('abcd!7Q'));
      assert.ok(lacksRandomness('Q7!dcba'));
      // Two of six: less.
      assert.ok(!lacksRandomness('abc!7Q9'));
      assert.ok(!lacksRandomness('7Q9!cba'));
    });

    it('entropy: bits per character', () => {
      assert.equal(entropy('aaaa'), 0);
      assert.equal(entropy('abab'), 1);
      assert.equal(entropy('abcdefgh'), 3);
    });
  });

  describe('names', () => {
    it('words, capitals, short numbers and short tags, split at `_ . - / :`', () => {
      for (const name of [
        'My_lakehouse_key', // one lower-case letter after a capital
        'Access_key_prod', // A
        'zone_prod_key', // z
        'Zurich_key', // Z
        'backup-2019', // 9
        'backup_v12', // a letter and two digits
        'db12', // half letters
        'CLOUDFLARE_key', // ten capitals: an acronym
        'warehouseprod_key', // a long lower-case run
        'keys//prod', // an empty segment
        'lake:key.prod/r2-db_io',
      ]) {
        assert.ok(isNameLike(name), name);
      }
    });

    it('not names: few letters, symbols, long numbers, long capitals, lone letters between others', () => {
      for (const other of [
        '',
        '2024-01', // no letters
        'ab_123', // under half letters
        'db@prod', // a symbol inside a segment
        'prod+key',
        'db~prod', // `~` is no letter
        'lakehouse_48213', // five digits
        'CLOUDFLARES_key', // eleven capitals
        'v123_key', // a letter and three digits
        'aBcDeFgH', // starts with a lone lower-case letter
        'key1ab2', // two numbers
      ]) {
        assert.ok(!isNameLike(other), other);
      }
      assert.ok(isNameLike('lakehouse_4821'), 'four digits');
    });
  });
});
