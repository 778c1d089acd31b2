/**
 * `.env` and `profiles.yml` from a hostile or broken workspace: binary junk, huge files, YAML bombs,
 * deep nesting, duplicate keys. Each ends in one clear message naming the file, or is read as far as
 * it makes sense, and never stalls: parsing is linear (the YAML library's own unique-key check is
 * quadratic, and took 9 s on 20,000 targets).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_CONFIG_BYTES } from '../../../../src/core/credentials/configText';
import { parseDbtProfiles, readDbtProfiles } from '../../../../src/core/credentials/dbtProfiles';
import { addTargetSecret, dbtSecretEntry } from '../../../../src/core/credentials/dbtProfilesEdit';
import { DEFAULT_ENV_NAMES, readDotEnv } from '../../../../src/core/credentials/envImport';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

/** Deterministic bytes of every value, as a binary file would hold. */
function junk(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7919 + 13) % 256));
}

/** Ten levels of anchors, each alias list nine times the previous: 9^10 strings once expanded. */
function yamlBomb(): string {
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  lines.push('p:', '  outputs:', '    dev:', '      type: duckdb', '      extra: *l9');
  return `${lines.join('\n')}\n`;
}

const PROFILES = 'lake:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n';
const ENTRY = dbtSecretEntry({ id: 'p1', label: 'dev', accountId: TEST_ACCOUNT_ID, bucket: 'lake', jurisdiction: 'default' }, DEFAULT_ENV_NAMES, 'r2');

describe('Malformed .env and profiles.yml', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-malformed-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('profiles.yml', () => {
    it('a YAML bomb fails at once with a message naming the file', async () => {
      await assert.rejects(parseDbtProfiles(yamlBomb(), '/w/profiles.yml'), /^Error: \/w\/profiles\.yml is not valid YAML: Excessive alias count/);
    });

    it('duplicate keys are named with their line, in linear time', async () => {
      const text = `${PROFILES}    dev:\n      type: duckdb\n`;
      await assert.rejects(parseDbtProfiles(text, 'profiles.yml'), /profiles\.yml is not valid YAML: the key "dev" appears twice in one mapping \(line 7\)/);
      await assert.rejects(addTargetSecret(text, 'lake', 'dev', ENTRY), /the key "dev" appears twice/);
      assert.equal((await addTargetSecret(PROFILES, 'lake', 'dev', ENTRY)).action, 'added', 'the same edit on the file without the duplicate works');
      const many = `p:\n  outputs:\n${Array.from({ length: 20_000 }, (_, i) => `    t${i}:\n      type: duckdb\n`).join('')}`;
      assert.equal((await parseDbtProfiles(many)).length, 20_000, 'twenty thousand targets, each read once');
    });

    it('merge keys and anchors work as in dbt (PyYAML)', async () => {
      const text = 'defaults: &defaults\n  type: duckdb\n  threads: 4\nlake:\n  outputs:\n    dev:\n      <<: *defaults\n      path: dev.duckdb\n    prod: *defaults\n';
      assert.deepEqual(
        (await parseDbtProfiles(text)).map((t) => [t.target, t.path]),
        [['dev', 'dev.duckdb'], ['prod', undefined]],
      );
    });

    it('binary junk and NUL bytes: not a text file', async () => {
      const file = path.join(dir, 'profiles.yml');
      fs.writeFileSync(file, junk(4096));
      await assert.rejects(readDbtProfiles([file]), new RegExp(`^Error: ${file.replace(/[.\\/]/g, '\\$&')} is not a text file \\(it holds NUL bytes\\)`));
      await assert.rejects(parseDbtProfiles('lake:\n  outputs: {}\n\0', 'p.yml'), /p\.yml is not a text file/);
    });

    it('a huge file is refused before it is read', async () => {
      const file = path.join(dir, 'profiles.yml');
      fs.writeFileSync(file, `${PROFILES}#${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
      await assert.rejects(readDbtProfiles([file]), /profiles\.yml is 1\.0 MB, larger than the 1\.0 MB read from a configuration file; nothing was read from it/);
      await assert.rejects(addTargetSecret(fs.readFileSync(file, 'utf8'), 'lake', 'dev', ENTRY), /larger than the 1\.0 MB/);
    });

    it('deep nesting does not overflow the stack', async () => {
      const depth = 5000;
      const text = `lake:\n  outputs:\n    dev:\n      type: duckdb\n      deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      const result = await parseDbtProfiles(text).then(
        (targets) => targets.length,
        (error: Error) => error.message,
      );
      assert.ok(result === 1 || /is not valid YAML/.test(String(result)), String(result));
    });

    it('a file that is a list, a scalar or empty has no targets', async () => {
      for (const text of ['- a\n- b\n', 'just text\n', '', '~\n']) assert.deepEqual(await parseDbtProfiles(text), [], JSON.stringify(text));
    });
  });

  describe('.env', () => {
    it('binary junk: not a text file, named', async () => {
      fs.writeFileSync(path.join(dir, '.env'), junk(4096));
      await assert.rejects(readDotEnv(dir), /\.env is not a text file \(it holds NUL bytes\)/);
    });

    it('a huge file is refused before it is read', async () => {
      fs.writeFileSync(path.join(dir, '.env'), `R2_ACCESS_KEY_ID=x\n#${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
      await assert.rejects(readDotEnv(dir), /\.env is 1\.0 MB, larger than the 1\.0 MB read/);
    });

    it('a folder named .env, or one that cannot be read, says which and why', async () => {
      fs.mkdirSync(path.join(dir, '.env'));
      await assert.rejects(readDotEnv(dir), /Could not read .*\.env: EISDIR/);
    });

    it('a name set twice: the last one wins, as in a shell', async () => {
      fs.writeFileSync(path.join(dir, '.env'), 'R2_ACCESS_KEY_ID=first\nR2_ACCESS_KEY_ID=second\n');
      assert.equal((await readDotEnv(dir))?.values.R2_ACCESS_KEY_ID, 'second');
    });
  });
});
