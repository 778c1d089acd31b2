import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { KnownCredential, KnownHashes } from '../../../../src/core/detect/finding';
import { hashCredential } from '../../../../src/core/detect/knownCredentials';
import { CredentialFixtures } from '../../../support/credentialFixtures';

describe('detect: credentials stored in the keychain (salted hashes)', () => {
  const f = new CredentialFixtures(505);
  const salt = f.md5();
  const known = (entries: [string, KnownCredential][]): KnownHashes => ({ salt, hashes: new Map(entries.map(([value, info]) => [hashCredential(value, salt), info])) });

  it('hashCredential is SHA-256 of salt, NUL, value: stable, salted, hex', () => {
    const value = f.r2Secret();
    const expected = createHash('sha256').update(`${salt}\u0000${value}`, 'utf8').digest('hex');
    assert.equal(hashCredential(value, salt), expected);
    assert.match(expected, /^[0-9a-f]{64}$/);
    assert.notEqual(hashCredential(value, `${salt}x`), expected, 'another salt, another hash');
    assert.notEqual(hashCredential(`${value}x`, salt), expected);
  });

  it('flags a stored value whatever its shape: quoted with spaces, bare after =, a plain word', () => {
    const odd = 'p@ss word! 42';
    const word = 'lakehouseprod';
    const stored = known([
      [odd, { role: 'password', label: 'Warehouse' }],
      [word, { role: 'secret', provider: 'r2', label: 'Lake' }],
    ]);
    const text = `connect('${odd}')\nX=${word}\nthe ${word}.\nnot ${word}s\n`;
    const findings = detectCredentials(text, 'python', { knownHashes: stored });
    assert.deepEqual(
      findings.map((x) => [x.kind, text.slice(x.start, x.end), x.rule, x.range.start.line]),
      [
        ['password', odd, 'known', 0],
        ['secret', word, 'known', 1],
        ['secret', word, 'known', 2],
      ],
    );
    assert.equal(findings[1]?.message, "R2 secret access key of profile 'Lake' hardcoded");
    assert.deepEqual(detectCredentials(text, 'python'), [], 'none of these has a credential shape');
  });

  it('marks a context finding that is also a stored value as known, once', () => {
    const secret = f.r2Secret();
    const text = `CREATE SECRET (TYPE r2, SECRET '${secret}');`;
    const findings = detectCredentials(text, 'sql', { knownHashes: known([[secret, { role: 'secret', provider: 'r2', label: 'Lake' }]]) });
    assert.equal(findings.length, 1);
    assert.deepEqual([findings[0]?.rule, findings[0]?.known?.label], ['option', 'Lake']);
    assert.equal(findings[0]?.message, "R2 secret access key of profile 'Lake' hardcoded in SECRET '…'");
  });

  it('ignores values shorter than 8 characters and other values', () => {
    const text = "x = 'short'\ny = 'something-else-entirely'\n";
    const stored = known([
      ['short', { role: 'secret' }],
      ['not-in-the-file', { role: 'secret' }],
    ]);
    assert.deepEqual(detectCredentials(text, 'python', { knownHashes: stored }), []);
  });

  it('gives the same answer when the same KnownHashes object is reused (cached hashes)', () => {
    const secret = f.awsSecret();
    const stored = known([[secret, { role: 'secret', provider: 'aws' }]]);
    const text = `value: "${secret}"`;
    const first = detectCredentials(text, 'yaml', { knownHashes: stored });
    const second = detectCredentials(text, 'yaml', { knownHashes: stored });
    assert.equal(first.length, 1);
    assert.deepEqual(second, first);
  });
});
