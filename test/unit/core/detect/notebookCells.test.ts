import * as assert from 'node:assert/strict';
import { detectCredentials, secretStatementsIn } from '../../../../src/core/detect/detectCredentials';
import { CredentialFixtures } from '../../../support/credentialFixtures';
import { notebook } from '../../../support/detectCorpusDocs';

interface Cell {
  readonly type: 'code' | 'markdown' | 'raw';
  readonly source: string;
  readonly output?: string;
}

/** A notebook as Jupyter writes it, raw cells too; each source a list of lines. */
function ipynb(cells: readonly Cell[]): string {
  const lines = (text: string): string[] => text.split(/(?<=\n)/);
  const json = {
    cells: cells.map((cell) => ({
      cell_type: cell.type,
      metadata: {},
      ...(cell.type === 'code' ? { outputs: cell.output ? [{ name: 'stdout', output_type: 'stream', text: lines(cell.output) }] : [] } : {}),
      source: lines(cell.source),
    })),
    metadata: {},
    nbformat: 4,
  };
  return JSON.stringify(json, null, 1) + '\n';
}

/** Each finding as [kind, syntax, 0-based line of the file]. */
const where = (text: string): [string, string, number][] => detectCredentials(text, 'notebook').map((x) => [x.kind, x.syntax, x.range.start.line]);

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

describe('detect: notebooks (cells, outputs, escapes)', () => {
  const f = new CredentialFixtures(717);

  it('each cell in its language: code as Python, %%sql and %sql as SQL, Markdown, raw cells and outputs as prose', () => {
    const secret = f.r2Secret();
    const text = ipynb([
      { type: 'code', source: `x = 1\n%sql SELECT 1\nR2_SECRET_KEY = "${secret}"\n# password=lakehouse\n`, output: 'password=lakehouse\n' },
      { type: 'code', source: `%%sql\nSET s3_secret_access_key='${secret}';\n-- password=lakehouse\n` },
      { type: 'code', source: `  %sql SET s3_secret_access_key='${secret}'\n` },
      { type: 'markdown', source: `Use R2_SECRET_KEY=${secret}\npassword=lakehouse\n` },
      { type: 'raw', source: `R2_SECRET_KEY=${secret}\npassword=lakehouse\n` },
    ]);
    const lines = text.split('\n');
    const at = (needle: string, from = 0): number => lines.findIndex((line, i) => i >= from && line.includes(needle));
    // A bare word is a password in code comments, not in prose (Markdown, raw cells, outputs).
    assert.deepEqual(where(text), [
      ['secret', 'python', at('R2_SECRET_KEY')],
      ['password', 'python', at('# password')],
      ['legacy_set', 'sql', at('SET s3_')],
      ['password', 'sql', at('-- password')],
      ['legacy_set', 'sql', at('%sql SET')],
      ['secret', 'text', at('Use R2_SECRET_KEY')],
      ['secret', 'text', at('R2_SECRET_KEY=', at('Use R2_SECRET_KEY') + 1)],
    ]);
  });

  it("an execute result's text/plain is read as prose, its key escaped or not", () => {
    const secret = f.r2Secret();
    const result = { output_type: 'execute_result', data: { 'text/plain': [`R2_SECRET_KEY=${secret}\n`, 'password=lakehouse\n'] } };
    const text = JSON.stringify({ cells: [{ cell_type: 'code', source: ['print(env)\n'], outputs: [result] }] }, null, 1);
    for (const written of [text, text.replace('"text/plain"', '"text\\/plain"')]) {
      assert.deepEqual(where(written), [['secret', 'text', lineOf(written, secret)]]);
    }
  });

  it('JSON whitespace before the notebook is fine; a text that merely holds a brace is text', () => {
    const secret = f.r2Secret();
    const cell = notebook([{ type: 'code', source: `R2_SECRET_KEY = "${secret}"\n` }]);
    const [finding] = detectCredentials(`\n  ${cell}`, 'notebook');
    assert.deepEqual([finding?.syntax, finding?.jsonEscaped], ['python', true]);
    const notJson = `Draft {not yet a notebook}\nR2_SECRET_KEY=${secret}\n`;
    assert.deepEqual(where(notJson), [['secret', 'text', 1]]);
  });

  it('a value written with \\u escapes: found decoded, its range over the escapes in the file', () => {
    const secret = f.r2Secret();
    const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    const written = `${escape(secret.slice(0, 1))}${secret.slice(1, -1)}${escape(secret.slice(-1))}`;
    const text = notebook([{ type: 'code', source: `s = 'caf\u00e9'; R2_SECRET_KEY = "${secret}"\n` }])
      .replace(secret, written)
      .replace('"cell_type"', '"cell\\u005ftype"');
    const [finding] = detectCredentials(text, 'notebook');
    assert.ok(finding, 'found through the escapes');
    assert.equal(text.slice(finding.start, finding.end), written);
    assert.equal(text.slice(finding.literal.start, finding.literal.end), `\\"${written}\\"`);
    assert.equal(finding.syntax, 'python');
    // What the value is comes from the decoded text: 32 hex under `R2_KEY` is a key id.
    const id = f.r2KeyId();
    const keyText = notebook([{ type: 'code', source: `R2_KEY = "${id}"\n` }]).replace(id, `${escape(id.slice(0, 1))}${id.slice(1)}`);
    assert.deepEqual(where(keyText), [['key_id', 'python', lineOf(keyText, id.slice(1))]]);
  });

  it('an empty field of a statement in a cell maps to the spot between its quotes', () => {
    const id = f.r2KeyId();
    const text = notebook([{ type: 'code', source: `%%sql\nCREATE SECRET lake (TYPE r2, KEY_ID '${id}', SECRET '');\n` }]);
    const [statement] = secretStatementsIn(text, 'notebook');
    const empty = statement?.fields.find((field) => field.key === 'secret');
    assert.ok(empty);
    const spot = text.indexOf("SECRET ''") + "SECRET '".length;
    assert.deepEqual([empty.value.start, empty.value.end], [spot, spot]);
    assert.equal(text.slice(empty.literal.start, empty.literal.end), "''");
  });

  it('text after the notebook and a notebook cut off in a string: the cells before are still read', () => {
    const [a, b] = [f.r2Secret(), f.r2Secret()];
    const first = notebook([{ type: 'code', source: `R2_SECRET_KEY = "${a}"\n` }]);
    const trailing = `${first}}\n"merge", ["left"], [["right"]], {"source": 1}\n`;
    assert.deepEqual(where(trailing), [['secret', 'python', lineOf(trailing, a)]]);
    const two = notebook([
      { type: 'code', source: `R2_SECRET_KEY = "${a}"\n` },
      { type: 'code', source: `R2_SECRET_KEY = "${b}"\n` },
    ]);
    const cut = two.slice(0, two.indexOf(b));
    assert.deepEqual(where(cut), [['secret', 'python', lineOf(cut, a)]]);
    // A raw line break ends a JSON string: what follows is not read as the string going on.
    const broken = two.replace(`${b}\\"`, `${b}\\"\n`);
    assert.deepEqual(where(broken), [['secret', 'python', lineOf(broken, a)]]);
  });
});
