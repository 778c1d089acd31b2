import * as assert from 'node:assert/strict';
import { compileFilter, globToRegExp } from '../../../../src/core/bucket/bucketFilter';
import { UserFacingError } from '../../../../src/core/errors';

const matches = (glob: string, text: string) => globToRegExp(glob).test(text);

describe('bucket filter', () => {
  it('matches * within one level and ? as one character', () => {
    assert.ok(matches('*.parquet', 'part-0.parquet'));
    assert.ok(!matches('*.parquet', 'a/part-0.parquet'));
    assert.ok(!matches('*.parquet', 'part-0.parquet.tmp'));
    assert.ok(matches('part-?.csv', 'part-7.csv'));
    assert.ok(!matches('part-?.csv', 'part-17.csv'));
    assert.ok(!matches('a?b', 'a/b'));
    assert.ok(matches('.*', '.hidden'), 'dot-files are not special');
  });

  it('matches ** across levels, including none', () => {
    assert.ok(matches('sales/**/*.parquet', 'sales/year=2024/month=01/p.parquet'));
    assert.ok(matches('sales/**/*.parquet', 'sales/p.parquet'));
    assert.ok(!matches('sales/**/*.parquet', 'other/p.parquet'));
    assert.ok(matches('**/*.csv', 'x.csv'));
    assert.ok(matches('**', 'a/b/c'));
    assert.ok(matches('a/**', 'a/b/c'));
    assert.ok(matches('a**z', 'a/b/z'));
  });

  it('matches character classes, negated classes, alternatives and escapes', () => {
    assert.ok(matches('part-[0-3].csv', 'part-2.csv'));
    assert.ok(!matches('part-[0-3].csv', 'part-5.csv'));
    assert.ok(matches('part-[!0-3].csv', 'part-5.csv'));
    assert.ok(matches('part-[^0-3].csv', 'part-5.csv'));
    assert.ok(!matches('x[!a]y', 'x/y'), 'a negated class does not match /');
    assert.ok(matches('[]]', ']'));
    assert.ok(matches('*.{csv,json}', 'a.json'));
    assert.ok(!matches('*.{csv,json}', 'a.parquet'));
    assert.ok(matches('a\\*b', 'a*b'));
    assert.ok(!matches('a\\*b', 'axb'));
    assert.ok(matches('(x)+.csv', '(x)+.csv'), 'regex characters are literal');
    assert.ok(!matches('(x)+.csv', 'xx.csv'));
  });

  it('rejects unclosed classes and braces with a message', () => {
    assert.throws(() => globToRegExp('part-[0-3.csv'), (e) => e instanceof UserFacingError && /"\[" is not closed/.test(e.message));
    assert.throws(() => globToRegExp('*.{csv'), (e) => e instanceof UserFacingError && /"\{" is not closed/.test(e.message));
    assert.throws(() => compileFilter('  '), UserFacingError);
  });

  it('matches a pattern without / against names in any folder, with / against whole keys', () => {
    const byName = compileFilter('*.parquet');
    assert.ok(byName.matchesObject('sales/year=2024/p.parquet'));
    assert.ok(byName.matchesObject('p.parquet'));
    assert.ok(!byName.matchesObject('sales/p.csv'));
    assert.ok(byName.mayContainMatches('anything/at/all/'));

    const byKey = compileFilter('/sales/year=2024/**/*.parquet');
    assert.equal(byKey.pattern, 'sales/year=2024/**/*.parquet');
    assert.ok(byKey.matchesObject('sales/year=2024/month=01/p.parquet'));
    assert.ok(!byKey.matchesObject('sales/year=2023/month=01/p.parquet'));
    assert.ok(byKey.mayContainMatches('sales/'));
    assert.ok(byKey.mayContainMatches('sales/year=2024/'));
    assert.ok(byKey.mayContainMatches('sales/year=2024/month=01/deeper/'));
    assert.ok(!byKey.mayContainMatches('sales/year=2023/'));
    assert.ok(!byKey.mayContainMatches('staging/'));

    const flat = compileFilter('raw/*.csv');
    assert.ok(flat.mayContainMatches('raw/'));
    assert.ok(!flat.mayContainMatches('raw/old/'), 'objects below raw/old/ have one level too many');
  });
});
