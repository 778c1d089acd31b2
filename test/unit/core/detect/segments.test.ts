import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** Each finding as [kind, syntax, 0-based line], checking its range is the value's own. */
function read(text: string, kind: FileKind, values: readonly string[]): [string, string, number][] {
  return detectCredentials(text, kind).map((x) => {
    const value = text.slice(x.start, x.end);
    assert.ok(values.includes(value), `a finding over ${JSON.stringify(value.slice(0, 12))}… is no value of the text`);
    return [x.kind, x.syntax, x.range.start.line];
  });
}

describe('detect: Markdown fences and plain files (segments)', () => {
  const f = new CredentialFixtures(818);

  it('a fence in braces names its language too: {python}, {.sql}, {python, echo=FALSE}; attributes after it are fine', () => {
    const [a, b, c, d] = [f.r2Secret(), f.r2Secret(), f.r2Secret(), f.r2Secret()];
    const text = [
      '```{python}',
      `R2_SECRET_KEY = "${a}"`,
      '```',
      '``` {.sql}',
      `SET s3_secret_access_key = '${b}';`,
      '```',
      '```{python, echo=FALSE}',
      `R2_SECRET_KEY = "${c}"`,
      '```',
      '```python title="lake.py"',
      `R2_SECRET_KEY = "${d}"`,
      '```',
      '',
    ].join('\n');
    assert.deepEqual(read(text, 'markdown', [a, b, c, d]), [
      ['secret', 'python', 1],
      ['legacy_set', 'sql', 4],
      ['secret', 'python', 7],
      ['secret', 'python', 10],
    ]);
  });

  it('a fence closes only with its own character, at least as long, and nothing else on the line', () => {
    const [a, b, c] = [f.r2Secret(), f.r2Secret(), f.r2Secret()];
    const text = [
      '````sql',
      '```',
      '~~~~',
      `SET s3_secret_access_key = '${a}';`,
      '````sql',
      '  ````  ',
      `R2_SECRET_KEY=${b}`,
      '~~~env',
      `R2_SECRET_KEY=${c}`,
      '',
    ].join('\n');
    // The last fence is never closed: it runs to the end of the file.
    assert.deepEqual(read(text, 'markdown', [a, b, c]), [
      ['legacy_set', 'sql', 3],
      ['secret', 'text', 6],
      ['secret', 'env', 8],
    ]);
  });

  it('a fence starts a line: three backticks inside a sentence open nothing', () => {
    const secret = f.r2Secret();
    const text = `Wrap code in \`\`\`sql fences.\nR2_SECRET_KEY=${secret}\n`;
    assert.deepEqual(read(text, 'markdown', [secret]), [['secret', 'text', 1]]);
  });

  it('the first line of a block is read whole, in LF and CRLF files; prose after a block keeps its offsets', () => {
    const [a, b, c] = [f.r2Secret(), f.r2Secret(), f.r2Secret()];
    for (const eol of ['\n', '\r\n']) {
      const text = ['~~~env', `R2_SECRET_KEY=${a}`, '~~~', `Then R2_SECRET_KEY=${b} in prose.`, '```sh', `export R2_SECRET_KEY=${c}`, '```', ''].join(eol);
      const findings = detectCredentials(text, 'markdown');
      assert.deepEqual(read(text, 'markdown', [a, b, c]), [
        ['secret', 'env', 1],
        ['secret', 'text', 3],
        ['secret', 'shell', 5],
      ]);
      assert.equal(findings[0]?.message, 'R2 secret access key hardcoded in R2_SECRET_KEY=…', JSON.stringify(eol));
    }
  });

  it('prose and plain text need a digit or a symbol in a bare password; code blocks and code files do not', () => {
    const text = '```sql\n-- password=lakehouse\n```\npassword=lakehouse\n';
    assert.deepEqual(read(text, 'markdown', ['lakehouse']), [['password', 'sql', 1]]);
    assert.deepEqual(read('password=lakehouse\n', 'text', []), []);
    assert.deepEqual(read('password=lakehouse\n', 'env', ['lakehouse']), [['password', 'env', 0]]);
    assert.deepEqual(read('# password=lakehouse\n', 'python', ['lakehouse']), [['password', 'python', 0]]);
    // A notebook that is no JSON yet is plain text: prose, with its own syntax.
    const secret = f.r2Secret();
    assert.deepEqual(read(`not json yet\npassword=lakehouse\nR2_SECRET_KEY=${secret}\n`, 'notebook', [secret]), [['secret', 'text', 2]]);
  });
});
