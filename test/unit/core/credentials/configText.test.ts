/**
 * The checks every configuration file from the workspace goes through (configText.ts): the size cap
 * at its exact edge, in characters for a text and in bytes for a file, and the YAML checks: one
 * line of the parser's message, duplicate keys wherever the mapping sits, keys that are not scalars.
 * malformedConfig.test.ts has the same files through the readers (bombs, junk, deep nesting).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configTextProblem, MAX_CONFIG_BYTES, parseYaml, parseYamlDocument, readConfigText } from '../../../../src/core/credentials/configText';

describe('configuration text checks', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-text-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a text of exactly the cap is read; one character more is refused, with both sizes', () => {
    assert.equal(configTextProblem('a'.repeat(MAX_CONFIG_BYTES), '.env'), undefined);
    assert.equal(
      configTextProblem('a'.repeat(MAX_CONFIG_BYTES + 1), '.env'),
      '.env is 1.0 MB, larger than the 1.0 MB read from a configuration file; nothing was read from it.',
    );
  });

  it('a file is measured in bytes before it is read: exactly the cap is read, a file of fewer characters but more bytes is not', async () => {
    const atCap = path.join(dir, 'at-cap.env');
    fs.writeFileSync(atCap, 'a'.repeat(MAX_CONFIG_BYTES));
    assert.equal((await readConfigText(atCap)).length, MAX_CONFIG_BYTES);
    const wide = path.join(dir, 'wide.env');
    fs.writeFileSync(wide, 'é'.repeat(MAX_CONFIG_BYTES / 2 + 1));
    await assert.rejects(readConfigText(wide), (error: Error) => {
      assert.equal(error.message, `${wide} is 1.0 MB, larger than the 1.0 MB read from a configuration file; nothing was read from it.`);
      return true;
    });
  });

  it('a syntax error is named by the first line of the parser\'s message', async () => {
    await assert.rejects(parseYamlDocument('a: [1, 2\nb: 3\n', 'profiles.yml'), (error: Error) => {
      assert.match(error.message, /^profiles\.yml is not valid YAML: \S{2,}.*\S$/);
      assert.ok(!error.message.includes('\n'), 'one line');
      return true;
    });
  });

  it('finds a duplicate key in a mapping inside a list, and names a long key by its first 60 characters', async () => {
    await assert.rejects(parseYaml('hooks:\n  - sql: a\n    sql: b\n', 'x.yml'), /^Error: x\.yml is not valid YAML: the key "sql" appears twice in one mapping \(line 3\)$/);
    const long = 'k'.repeat(200);
    await assert.rejects(parseYaml(`${long}: 1\n${long}: 2\n`, 'x.yml'), (error: Error) => {
      assert.equal(error.message, `x.yml is not valid YAML: the key "${'k'.repeat(60)}" appears twice in one mapping (line 2)`);
      return true;
    });
  });

  it('keys that are lists are not compared as text: two different ones are fine', async () => {
    const doc = await parseYamlDocument('? [a]\n: 1\n? [b]\n: 2\n', 'x.yml');
    assert.equal(doc.errors.length, 0);
  });
});
