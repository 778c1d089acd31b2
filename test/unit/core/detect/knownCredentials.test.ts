import * as assert from 'node:assert/strict';
import crypto, { createHash } from 'node:crypto';
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

  it('hashes the same on a Node without crypto.hash (before 20.12)', () => {
    const value = f.r2Secret();
    const expected = hashCredential(value, salt);
    const original = Object.getOwnPropertyDescriptor(crypto, 'hash');
    Reflect.set(crypto, 'hash', undefined);
    try {
      assert.equal(hashCredential(value, salt), expected);
    } finally {
      if (original) Object.defineProperty(crypto, 'hash', original);
    }
  });

  it('finds the value in any quotes, bare after = or :, with the literal around it', () => {
    const odd = 'p@ss word! 42';
    const stored = known([[odd, { role: 'password', label: 'Warehouse' }]]);
    for (const quote of ["'", '"', '`']) {
      const text = `connect(${quote}${odd}${quote})\n`;
      const [finding, ...rest] = detectCredentials(text, 'python', { knownHashes: stored });
      assert.equal(rest.length, 0, quote);
      assert.deepEqual([finding?.start, finding?.end, finding?.quote], [9, 9 + odd.length, quote], quote);
      assert.deepEqual([finding?.literal.start, finding?.literal.end], [8, 10 + odd.length], quote);
    }
    const [bare, run] = ['p@ss!word#42', 'lake-house_prod9'];
    const text = `PASSWORD=${bare}\nother: ${bare}\nsee ${run} there\n`;
    const findings = detectCredentials(text, 'text', {
      knownHashes: known([
        [bare, { role: 'password' }],
        [run, { role: 'secret' }],
      ]),
    });
    assert.deepEqual(
      findings.map((x) => [text.slice(x.start, x.end), text.slice(x.literal.start, x.literal.end), x.quote]),
      [
        [bare, bare, ''],
        [bare, bare, ''],
        [run, run, ''],
      ],
    );
  });

  it('trims a trailing period, `=` or `:` only, and only down to 8 characters', () => {
    // An Azure key keeps its `==` padding when a sentence's period follows it.
    const azure = f.azureAccountKey();
    const padded = detectCredentials(`Use ${azure}.\n`, 'markdown', { knownHashes: known([[azure, { role: 'secret', provider: 'azure' }]]) });
    assert.deepEqual(
      padded.map((x) => [x.start, x.end, x.rule]),
      [[4, 4 + azure.length, 'known']],
    );
    assert.equal(padded[0]?.known?.role, 'secret');
    const name = 'r2.lake.key9';
    assert.equal(detectCredentials(`see ${name}.\n`, 'markdown', { knownHashes: known([[name, { role: 'secret' }]]) }).length, 1);
    assert.deepEqual(detectCredentials(`see ${name}Z\n`, 'markdown', { knownHashes: known([[name, { role: 'secret' }]]) }), [], 'a longer token');
    // Seven characters and a period: never trimmed to a stored seven-character value.
    assert.deepEqual(detectCredentials('see ab12cd3.\n', 'markdown', { knownHashes: known([['ab12cd3', { role: 'secret' }]]) }), []);
  });

  it('looks up values of up to 4096 characters', () => {
    const long = f.blob(4096).replace(/[+/]/g, 'q');
    const longest = known([[long, { role: 'secret' }]]);
    assert.equal(detectCredentials(`${long}\n`, 'text', { knownHashes: longest }).length, 1);
    const over = `${f.blob(4095).replace(/[+/]/g, 'q')}==`;
    assert.deepEqual(detectCredentials(`${over}\n`, 'text', { knownHashes: known([[over, { role: 'secret' }]]) }), []);
  });

  it('an empty set of stored values changes nothing', () => {
    const text = `R2_SECRET_KEY=${f.r2Secret()}\n`;
    assert.deepEqual(detectCredentials(text, 'env', { knownHashes: { salt, hashes: new Map() } }), detectCredentials(text, 'env'));
    assert.deepEqual(detectCredentials('nothing here\n', 'env', { knownHashes: { salt, hashes: new Map() } }), []);
  });
});
