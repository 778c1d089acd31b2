/**
 * `duckdbSecrets.lint.exclude`: which files a glob keeps the language server from linting. The
 * server matches each glob against the file's absolute path and its workspace-relative paths
 * (src/server/lintServer.ts `excluded`), so these tests ask the same question it does.
 */
import * as assert from 'node:assert/strict';
import { globToRegExp, matchesAnyGlob } from '../../../../src/core/lsp/globMatch';

/** Whether the exclude setting `globs` leaves `path` unlinted. */
function excluded(path: string, ...globs: string[]): boolean {
  return matchesAnyGlob(path, globs.map(globToRegExp));
}

function assertExcluded(globs: string | readonly string[], paths: readonly string[]): void {
  const list = typeof globs === 'string' ? [globs] : [...globs];
  for (const path of paths) assert.equal(excluded(path, ...list), true, `${list.join(' ')} excludes ${path}`);
}

function assertLinted(globs: string | readonly string[], paths: readonly string[]): void {
  const list = typeof globs === 'string' ? [globs] : [...globs];
  for (const path of paths) assert.equal(excluded(path, ...list), false, `${list.join(' ')} leaves ${path} linted`);
}

describe('lsp: the lint.exclude globs', () => {
  it('a folder glob excludes everything below that folder of the workspace, and nothing beside it', () => {
    assertExcluded('fixtures/**', ['fixtures/sample.sql', 'fixtures/dbt/models/stg.sql', 'fixtures/']);
    assertLinted('fixtures/**', ['fixtures', 'fixtures2/sample.sql', 'test/fixtures/sample.sql', 'src/fixtures.sql']);
  });

  it('**/ stands for any folders, none included', () => {
    assertExcluded('**/secrets/*.sql', ['secrets/lake.sql', 'warehouse/secrets/lake.sql', 'a/b/c/secrets/lake.sql']);
    assertLinted('**/secrets/*.sql', ['secrets/old/lake.sql', 'mysecrets/lake.sql', 'secrets/lake.py']);
    assertExcluded('test/**/fixtures/*.env', ['test/fixtures/a.env', 'test/unit/deep/fixtures/b.env']);
    assertLinted('test/**/fixtures/*.env', ['test/fixtures.env', 'test/unitfixtures/a.env', 'src/test/fixtures/a.env']);
  });

  it('** without a slash after it matches across folders within the rest of the name', () => {
    assertExcluded('docs/**.md', ['docs/guide.md', 'docs/a/b/setup.md']);
    assertLinted('docs/**.md', ['docs/guide.mdx', 'other/docs/guide.md']);
  });

  it('a glob without a slash matches a file name in any folder', () => {
    assertExcluded('*.md', ['README.md', 'docs/setup/r2.md', '/home/me/project/CHANGELOG.md']);
    assertLinted('*.md', ['notes.mdx', 'README.md.bak', 'docs/README_md', 'md']);
    assertExcluded('.env.example', ['.env.example', 'deploy/.env.example']);
    assertLinted('.env.example', ['.env', 'deploy/.env.examples', 'x.env.example']);
  });

  it('* and ? stay within one folder', () => {
    assertExcluded('scratch/*.sql', ['scratch/a.sql', 'scratch/.sql']);
    assertLinted('scratch/*.sql', ['scratch/old/a.sql', 'scratch/a.py']);
    assertExcluded('logs/run?.sh', ['logs/run1.sh', 'logs/runX.sh']);
    assertLinted('logs/run?.sh', ['logs/run.sh', 'logs/run12.sh', 'logs/run/.sh']);
  });

  it('{a,b} offers alternatives; a comma or brace outside one is an ordinary character', () => {
    assertExcluded('*.{sql,py}', ['models/stg.sql', 'load.py']);
    assertLinted('*.{sql,py}', ['run.sh', 'load.pyc', 'stg.sql,py']);
    assertExcluded('{seeds,snapshots}/**', ['seeds/a.csv', 'snapshots/b.sql']);
    assertLinted('{seeds,snapshots}/**', ['models/a.sql', 'seeds,snapshots/a.sql']);
    assertExcluded('notes,old.md', ['notes,old.md']);
    assertLinted('notes,old.md', ['old.md', 'notes']);
    assertExcluded('draft}.sql', ['draft}.sql']);
    assertLinted('draft}.sql', ['draft.sql']);
    assertExcluded('{a,{b,c}}.sql', ['a.sql', 'b.sql', 'c.sql']);
    assertLinted('{a,{b,c}}.sql', ['d.sql', 'a,b.sql']);
  });

  it('an unclosed { still gives a glob: the alternatives run to its end', () => {
    assertExcluded('*.{sql,py', ['stg.sql', 'load.py']);
    assertLinted('*.{sql,py', ['run.sh']);
  });

  it('[…] matches one character of a set, [!…] one outside it; an unclosed [ is literal', () => {
    assertExcluded('log[0-9].txt', ['log1.txt', 'run/log7.txt']);
    assertLinted('log[0-9].txt', ['logg.txt', 'log12.txt', 'logs.txt', 'log[0-9].txt']);
    assertExcluded('log[!0-9].txt', ['logs.txt']);
    assertLinted('log[!0-9].txt', ['log1.txt']);
    assertExcluded('draft[_!].md', ['draft!.md', 'draft_.md']);
    assertLinted('draft[_!].md', ['drafts.md']);
    assertExcluded('notes[1.md', ['notes[1.md']);
    assertLinted('notes[1.md', ['notes1.md']);
    assertExcluded('x][ab].sql', ['x]a.sql', 'x]b.sql']);
    assertLinted('x][ab].sql', ['x]c.sql', 'xa.sql']);
  });

  it('regular-expression characters in a glob are literal', () => {
    assertExcluded('a+b.sql', ['a+b.sql']);
    assertLinted('a+b.sql', ['aab.sql', 'a+bxsql']);
    assertExcluded('(old)|new$^.sql', ['(old)|new$^.sql']);
    assertLinted('(old)|new$^.sql', ['old', 'new.sql', 'old|new.sql']);
  });

  it('ignores blanks around the glob, a leading ./ and Windows separators', () => {
    assertExcluded('  fixtures/**  ', ['fixtures/a.sql']);
    assertExcluded('./fixtures/**', ['fixtures/a.sql']);
    assertExcluded('fixtures\\**\\*.sql', ['fixtures/deep/a.sql']);
    assertLinted('fixtures\\**\\*.sql', ['other/a.sql']);
    assertExcluded('.\\fixtures\\*.sql', ['fixtures/a.sql']);
  });

  it('matches Windows paths as well as / ones', () => {
    assertExcluded('docs/*.md', ['docs\\guide.md']);
    assertExcluded('*.md', ['C:\\work\\lake\\docs\\guide.md']);
    assertLinted('docs/*.md', ['docs\\old\\guide.md']);
  });

  it('a file is excluded when any one of the globs matches it, and by none when there are none', () => {
    assertExcluded(['*.md', 'fixtures/**'], ['README.md', 'fixtures/a.sql']);
    assertLinted(['*.md', 'fixtures/**'], ['models/a.sql']);
    assertLinted([], ['README.md']);
  });
});
