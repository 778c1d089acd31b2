import * as assert from 'node:assert/strict';
import { compileFilter, globToRegExp, noMatchText } from '../../../../src/core/bucket/bucketFilter';
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

  it('treats a run of three or more stars as ** and keeps a ** inside a name from skipping a folder', () => {
    assert.ok(matches('***/x.csv', 'x.csv'), '***/ at the start also matches no folder');
    assert.ok(matches('***/x.csv', 'a/b/x.csv'));
    assert.ok(!matches('***/x.csv', 'a/y.csv'));
    assert.ok(!matches('a**z', 'a/b/q'), 'the character after ** still has to match');
    assert.ok(!matches('a**/b', 'ab'), '**/ after a name is not optional: the / must be there');
    assert.ok(matches('a**/b', 'ax/y/b'));
    assert.ok(matches('**', 'a/line\nbreak'), 'keys holding a line break still match');
    assert.ok(matches('*.csv', 'line\nbreak.csv'));
  });

  it('reads class bodies as characters: a leading ! or ^ negates, ] first and escaped ] are members', () => {
    assert.ok(matches('x[!a]', 'x!'), 'the ! that negates is not itself excluded');
    assert.ok(matches('x[^a]', 'x^'));
    assert.ok(!matches('x[!a]', 'xa'));
    assert.ok(!matches('[ab]', 'e'), 'a plain class holds only its own characters');
    assert.ok(!matches('[ab]', '/'));
    assert.ok(matches('[!]a]', 'x'), '] right after [! is a member');
    assert.ok(!matches('[!]a]', ']'));
    assert.ok(matches('[^]a]', 'x'));
    assert.ok(!matches('[^]a]', 'a'));
    assert.ok(matches('[\\]x]', ']'), 'an escaped ] inside a class is a member');
    assert.ok(matches('[\\]x]', 'x'));
    assert.ok(!matches('[\\]x]', '\\'));
    assert.ok(matches('[\\a]', 'a'));
    assert.throws(() => globToRegExp('[\\]'), (e) => e instanceof UserFacingError && /"\[" is not closed/.test(e.message));
  });

  it('keeps }, , and a trailing \\ literal outside braces', () => {
    assert.ok(matches('a}', 'a}'));
    assert.ok(matches('a,b', 'a,b'));
    assert.ok(!matches('a,b', 'a'));
    assert.ok(!matches('a,b', 'b'));
    assert.ok(matches('a\\', 'a\\'), 'a trailing backslash matches itself');
    assert.ok(!matches('a\\', 'a'));
  });

  it('says what to type when the filter is empty, and strips every leading /', () => {
    assert.throws(
      () => compileFilter(' / '),
      (e) => e instanceof UserFacingError && e.message === 'The filter is empty: type a pattern such as *.parquet or sales/**/*.csv.',
    );
    const filter = compileFilter('//sales/*.csv');
    assert.equal(filter.pattern, 'sales/*.csv');
    assert.ok(filter.matchesObject('sales/a.csv'));
  });

  it('hides a folder one level too deep for the last segment even when its name would match it', () => {
    const filter = compileFilter('raw/*');
    assert.ok(filter.mayContainMatches('raw/'));
    assert.ok(!filter.mayContainMatches('raw/old/'), 'raw/old/x is not matched by raw/*');
    const deep = compileFilter('raw/**');
    assert.ok(deep.mayContainMatches('raw/old/'));
    assert.ok(deep.mayContainMatches('raw/old/older/'));
  });

  it('keeps folders under alternatives that span levels, which one segment cannot judge', () => {
    const filter = compileFilter('data/{x,y/z}/*.csv');
    assert.ok(filter.matchesObject('data/y/z/a.csv'));
    assert.ok(filter.matchesObject('data/x/a.csv'));
    assert.ok(filter.mayContainMatches('data/y/'));
    assert.ok(filter.mayContainMatches('data/y/z/'));
    assert.ok(!filter.mayContainMatches('other/'));
  });

  it('names only the kinds of entries it hid', () => {
    assert.equal(noMatchText('x/*.csv', 0, 3), 'No object here matches x/*.csv (3 folders hidden)');
    assert.equal(noMatchText('*.csv', 1, 0), 'No object here matches *.csv (1 object hidden)');
    assert.equal(noMatchText('*.csv', 1234, 1), 'No object here matches *.csv (1,234 objects, 1 folder hidden)');
  });
});
