import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import { LineIndex } from '../../../../src/core/detect/lineIndex';
import { CredentialFixtures } from '../../../support/credentialFixtures';

describe('detect: offsets and LSP positions', () => {
  it('counts lines at \\n, \\r\\n and a lone \\r, and characters in UTF-16 units', () => {
    const text = 'a\r\nbc\rd\ne😀f';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(lines.positionAt(1), { line: 0, character: 1 }, 'the \\r of \\r\\n ends line 0');
    assert.deepEqual(lines.positionAt(3), { line: 1, character: 0 });
    assert.deepEqual(lines.positionAt(6), { line: 2, character: 0 }, 'after a lone \\r');
    assert.deepEqual(lines.positionAt(8), { line: 3, character: 0 });
    // The emoji is two UTF-16 units: `f` is at character 3 of line 3.
    assert.deepEqual(lines.positionAt(text.indexOf('f')), { line: 3, character: 3 });
    assert.deepEqual(lines.positionAt(text.length + 10), { line: 3, character: 4 }, 'clamped to the end');
    // Without any \r, and a line break first.
    const plain = new LineIndex('\nab\n\nc');
    assert.equal(plain.lineCount, 4);
    assert.deepEqual([plain.positionAt(0), plain.positionAt(1), plain.positionAt(4), plain.positionAt(5)], [
      { line: 0, character: 0 },
      { line: 1, character: 0 },
      { line: 2, character: 0 },
      { line: 3, character: 0 },
    ]);
  });

  it('reports the value range after a CRLF file and astral characters on the same line', () => {
    const f = new CredentialFixtures(11);
    const secret = f.r2Secret();
    const text = `-- 🦆 lake\r\nSELECT '😀'; CREATE SECRET (TYPE r2, SECRET '${secret}');\r\n`;
    const [finding] = detectCredentials(text, 'sql');
    assert.ok(finding);
    const start = text.indexOf(secret);
    assert.equal(finding.start, start);
    assert.equal(finding.end, start + 64);
    const character = start - (text.indexOf('\n') + 1);
    assert.deepEqual(finding.range, { start: { line: 1, character }, end: { line: 1, character: character + 64 } });
    assert.equal(text.slice(finding.literal.start, finding.literal.end), `'${secret}'`);
    assert.deepEqual(finding.literal.range.start, { line: 1, character: character - 1 });
  });
});
