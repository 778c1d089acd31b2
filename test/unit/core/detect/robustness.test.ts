/**
 * Hostile and random input: the detector never throws, every range lies in the text and matches its
 * line/character form, every literal holds its value, and no message holds a value. Seeded; the
 * seed is printed and DUCKDB_SECRETS_DETECT_SEED replays it. (No timing here: bench-detect.mjs.)
 */
import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import type { Finding } from '../../../../src/core/detect/finding';
import { LineIndex } from '../../../../src/core/detect/lineIndex';
import { CredentialFixtures } from '../../../support/credentialFixtures';

const KINDS: FileKind[] = ['sql', 'python', 'yaml', 'dbt-profiles', 'env', 'shell', 'markdown', 'notebook', 'text'];

function checkFindings(text: string, findings: readonly Finding[], context: string): void {
  const lines = new LineIndex(text);
  for (const finding of findings) {
    assert.ok(finding.start >= 0 && finding.start < finding.end && finding.end <= text.length, `${context}: range ${finding.start}-${finding.end}`);
    assert.deepEqual(finding.range, lines.rangeOf(finding.start, finding.end), context);
    assert.ok(finding.literal.start <= finding.start && finding.end <= finding.literal.end, `${context}: literal holds the value`);
    const value = text.slice(finding.start, finding.end);
    if (value.length >= 6) assert.ok(!finding.message.includes(value), `${context}: message holds the value`);
  }
}

describe('detect: robustness', function () {
  this.timeout(60_000);
  const seed = Number(process.env.DUCKDB_SECRETS_DETECT_SEED ?? Math.floor(Math.random() * 2 ** 32));
  before(() => console.log(`      seed ${seed} (replay with DUCKDB_SECRETS_DETECT_SEED=${seed})`));

  it('random mixes of keys, values, quotes, separators and line breaks', () => {
    const f = new CredentialFixtures(seed);
    const fragments = [
      () => f.r2KeyId(),
      () => f.r2Secret(),
      () => f.awsKeyId(),
      () => f.awsSecret(),
      () => f.motherDuckToken(),
      () => f.password(),
      () => f.pick(['KEY_ID', 'SECRET', 'R2_SECRET_KEY', 'password', 'token', 's3_access_key_id', 'motherduck_token', 'AccountKey', 'env_var(', 'getenv(', 'CREATE SECRET (', '${X:-']),
      () => f.pick(["'", '"', '`', "'''", '"""', '=', ': ', ' ', '\n', '\r\n', '\r', ',', ';', '(', ')', '{{', '}}', '{#', '#}', '--', '#', '/*', '*/', '\\', '?', '&', '://', '@', 'md:', '😀', '\u2026']),
      () => f.pick(['\n```sql\n', '\n```\n', '{"cells": [{"cell_type": "code", "source": ["', '"]}]}', 'duckdb-secrets: ignore']),
    ];
    for (let run = 0; run < 300; run++) {
      let text = '';
      const parts = 1 + f.int(60);
      for (let i = 0; i < parts; i++) text += f.pick(fragments)();
      for (const kind of KINDS) checkFindings(text, detectCredentials(text, kind), `seed ${seed} run ${run} ${kind}`);
    }
  });

  it('pathological inputs finish with sane results', () => {
    const f = new CredentialFixtures(seed ^ 0x5a5a);
    const inputs = [
      "KEY_ID '".repeat(20_000),
      `SECRET '${f.blob(1 << 20)}`,
      '"""'.repeat(5000) + 'SECRET = """',
      '='.repeat(200_000),
      `${'a'.repeat(100_000)}password=${'b'.repeat(100_000)}`,
      '{'.repeat(50_000) + '"source": [' + '"x",'.repeat(10_000),
      'CREATE SECRET ('.repeat(5000),
      `${'postgresql://u:p'.repeat(10_000)}@`,
      'eyJ'.repeat(50_000),
      `token=${'\u2026'.repeat(50_000)}`,
    ];
    for (const text of inputs) {
      for (const kind of KINDS) checkFindings(text, detectCredentials(text, kind), `${kind} ${text.slice(0, 20)}`);
    }
  });

  it('the same text gives the same findings (no state kept between calls)', () => {
    const f = new CredentialFixtures(seed ^ 0x1234);
    const text = `KEY_ID '${f.r2KeyId()}'\nR2_SECRET_KEY=${f.r2Secret()}\n`;
    assert.deepEqual(detectCredentials(text, 'sql'), detectCredentials(text, 'sql'));
  });
});
