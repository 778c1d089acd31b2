import * as assert from 'node:assert/strict';
import { judgeValue, type ValueContext } from '../../../../src/core/detect/credentialValue';
import { CredentialFixtures } from '../../../support/credentialFixtures';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Words people put where a value goes: a generated value must not contain one by chance. */
const WORDY = /your|example|placeholder|replace|change|todo|fixme|dummy|sample|redacted|insert|xxx|here|fake|mock|lorem|test|demo/i;

const as = (role: ValueContext['role'], more: Partial<ValueContext> = {}): ValueContext => ({ role, bareCode: false, bareProse: false, ...more });
const prose = (more: Partial<ValueContext> = {}): ValueContext => as('password', { bareProse: true, ...more });

describe('detect: judging a value (credentialValue)', () => {
  const f = new CredentialFixtures(1616);

  /** Random characters of `alphabet`, with no run of three, no placeholder word, and every `must` pattern present. */
  function draw(alphabet: string, length: number, ...must: RegExp[]): string {
    for (;;) {
      const value = f.chars(alphabet, length);
      if (!/(.)\1\1/.test(value) && !WORDY.test(value) && must.every((re) => re.test(value))) return value;
    }
  }
  /** A token of no known shape: letters of both cases and digits. */
  const token = (length: number): string => draw(UPPER + LOWER + DIGITS, length, /\d/, /[a-z]/, /[A-Z]/);
  /** `length` hex digits drawn from `digits` only, each of them present (no two of them count up or down). */
  /** The characters of `chars` in a random order. */
  const shuffled = (chars: string): string => {
    const out = [...chars];
    for (let i = out.length - 1; i > 0; i--) {
      const j = f.int(i + 1);
      [out[i], out[j]] = [out[j] ?? '', out[i] ?? ''];
    }
    return out.join('');
  };
  const hexOf = (digits: string, length: number): string => draw(digits, length, ...[...digits].map((d) => new RegExp(d)));

  describe('a value of no known shape (key ids, secrets, session and MotherDuck tokens)', () => {
    it('a key id is 16 to 128 token characters, a secret up to 512, a session token up to 4096; the context names the provider', () => {
      assert.deepEqual(judgeValue(token(16), as('key_id')), { role: 'key_id', provider: 'unknown' });
      assert.equal(judgeValue(token(15), as('key_id')), undefined, 'too short for a key id');
      assert.deepEqual(judgeValue(token(128), as('key_id', { provider: 'gcs' })), { role: 'key_id', provider: 'gcs' });
      assert.equal(judgeValue(token(129), as('key_id')), undefined, 'too long for a key id');
      assert.deepEqual(judgeValue(token(512), as('secret')), { role: 'secret', provider: 'unknown' });
      assert.equal(judgeValue(token(513), as('secret')), undefined, 'too long for a secret');
      assert.deepEqual(judgeValue(token(4096), as('session_token', { provider: 'aws' })), { role: 'session_token', provider: 'aws' });
      assert.equal(judgeValue(token(4097), as('session_token')), undefined, 'too long for anything');
    });

    it('only token characters: a value with `@` or a blank in it is no key', () => {
      const [a, b] = [token(12), token(12)];
      assert.ok(judgeValue(a + b, as('secret')), 'the two halves together are one');
      assert.equal(judgeValue(`${a}@${b}`, as('secret')), undefined);
      assert.equal(judgeValue(`${a} ${b}`, as('secret')), undefined);
      assert.equal(judgeValue(`${a}=${b}`.replace('=', '://'), as('key_id')), undefined);
    });

    it('needs a digit, or mixed case and 24 characters', () => {
      // (Starting with one lower-case letter, so that it does not read as CamelCase words.)
      const mixed = (length: number) => draw(UPPER + LOWER, length, /^[a-z][A-Z]/);
      assert.deepEqual(judgeValue(mixed(24), as('secret')), { role: 'secret', provider: 'unknown' });
      assert.equal(judgeValue(mixed(23), as('secret')), undefined, 'no digit and shorter than 24');
      assert.equal(judgeValue(draw(`${LOWER}+`, 30, /\+/), as('secret')), undefined, 'lower case only, no digit');
      assert.equal(judgeValue(draw(`${UPPER}/`, 30, /\//), as('secret')), undefined, 'upper case only, no digit');
      assert.deepEqual(judgeValue(draw(LOWER + DIGITS, 20, /\d/, /\d\D|\D\d/), as('key_id')), { role: 'key_id', provider: 'unknown' }, 'one case and digits');
    });

    it('regular, wordy or low-entropy values are none', () => {
      const unit = draw(UPPER + LOWER + DIGITS, 10, /\d/, /[a-z]/, /[A-Z]/);
      assert.equal(judgeValue(unit.repeat(2), as('secret')), undefined, 'a period');
      assert.equal(judgeValue('lakehouse_prod_r2_2024', as('secret')), undefined, 'a name');
      assert.equal(judgeValue(draw('a7Q', 20, /a/, /7/, /Q/), as('key_id')), undefined, 'three characters: under 3 bits');
      // Eight characters twice each, in two orders: exactly 3 bits a character, enough.
      const eight = draw(UPPER + LOWER + DIGITS, 8, /\d/, /[a-z]/, /[A-Z]/, /^(?!.*(.).*\1)/);
      const twice = eight + eight.slice(3) + eight.slice(0, 3);
      assert.deepEqual(judgeValue(twice, as('key_id')), { role: 'key_id', provider: 'unknown' });
    });

    it('an account id is only ever 32 random hex digits', () => {
      assert.deepEqual(judgeValue(f.accountId(), as('account_id', { provider: 'aws' })), { role: 'account_id', provider: 'r2' });
      assert.equal(judgeValue(token(32), as('account_id')), undefined, 'not hex');
      assert.equal(judgeValue(f.md5().slice(0, 8).repeat(4), as('account_id')), undefined, 'hex, but a period');
      assert.equal(judgeValue(f.r2Secret(), as('account_id')), undefined, '64 hex digits');
    });

    it('a MotherDuck token: a JWT by its shape alone, else 20 random characters', () => {
      assert.deepEqual(judgeValue(token(20), as('motherduck_token')), { role: 'motherduck_token', provider: 'motherduck' });
      assert.equal(judgeValue(token(19), as('motherduck_token')), undefined);
      // A signature with zero bytes in it reads as a run of `A`s: still a token.
      const jwt = f.motherDuckToken();
      const zeroed = `${jwt.slice(0, -16)}AAAAAAAA${jwt.slice(-8)}`;
      assert.deepEqual(judgeValue(zeroed, as('motherduck_token')), { role: 'motherduck_token', provider: 'motherduck' });
      const long = `${jwt}${draw(UPPER + LOWER + DIGITS, 4096 - jwt.length)}`;
      assert.deepEqual(judgeValue(long, as('motherduck_token')), { role: 'motherduck_token', provider: 'motherduck' }, '4096 characters');
      assert.equal(judgeValue(`${long}x`, as('motherduck_token')), undefined, 'over 4096 characters');
    });
  });

  describe('values of a known shape', () => {
    it('hex keys need six distinct digits, not the entropy of other tokens', () => {
      // Six distinct digits (about 2.6 bits each) pass as hex; five do not.
      assert.deepEqual(judgeValue(hexOf('02468a', 32), as('key_id')), { role: 'key_id', provider: 'r2' });
      assert.equal(judgeValue(hexOf('02468', 32), as('key_id')), undefined);
      assert.deepEqual(judgeValue(hexOf('02468A', 64), as('secret', { provider: 'aws' })), { role: 'secret', provider: 'r2' });
      assert.equal(judgeValue(hexOf('2468a', 64), as('secret')), undefined);
      assert.deepEqual(judgeValue(hexOf('02468a', 32), as('account_id')), { role: 'account_id', provider: 'r2' });
      assert.equal(judgeValue(hexOf('02468', 32), as('account_id')), undefined);
    });

    it('hex digits in both cases count once: aA is one digit', () => {
      // a, c, e, 0, 2, 4 in both cases: six digits, however written.
      const mixedCase = hexOf('024aceACE', 32);
      assert.deepEqual(judgeValue(mixedCase, as('key_id')), { role: 'key_id', provider: 'r2' });
      // a, c, e, 0, 2 in both cases: five.
      assert.equal(judgeValue(hexOf('02aceACE', 32), as('key_id')), undefined);
    });

    it('AWS and GCS ids: the part after the prefix must be random', () => {
      const tail = f.awsKeyId().slice(4, 8);
      assert.equal(judgeValue(`AKIA${tail.repeat(4)}`, as('key_id')), undefined);
      assert.deepEqual(judgeValue(`AKIA${draw(BASE32, 16)}`, as('key_id')), { role: 'key_id', provider: 'aws' });
    });

    it('an Azure account key with a repeated half is none', () => {
      const half = f.azureAccountKey().slice(0, 43);
      assert.equal(judgeValue(`${half}${half}==`, as('secret')), undefined);
      assert.deepEqual(judgeValue(f.azureAccountKey(), as('secret', { provider: 'aws' })), { role: 'secret', provider: 'azure' });
    });

    it('40 base64 characters: random enough by the usual test, or by 4 bits a character', () => {
      const aws = (value: string) => judgeValue(value, as('secret'));
      // Every lower-case letter, `+` and `/`, then twelve more: well over 4 bits.
      assert.deepEqual(aws(shuffled(`${LOWER}+/`) + draw(LOWER, 12)), { role: 'secret', provider: 'aws' }, 'no digit, but over 4 bits');
      assert.equal(aws(draw('acegikm/', 40, /\//)), undefined, 'no digit and under 4 bits');
      const twenty = shuffled(LOWER).slice(0, 20);
      assert.equal(aws(twenty + twenty), undefined, 'a period, however many bits');
      assert.deepEqual(aws(draw('bdfhBDFH2468', 40, /\d/, /[a-z]/, /[A-Z]/)), { role: 'secret', provider: 'aws' }, 'under 4 bits, but a digit and 3 bits');
      assert.equal(judgeValue(draw(`${LOWER}+`, 30, /\+/), as('secret')), undefined, 'not 40: no second chance');
    });
  });

  describe('passwords', () => {
    it('4 to 256 characters on one line, not too regular', () => {
      const pw = (value: string) => judgeValue(value, as('password'));
      assert.deepEqual(pw('k9#w'), { role: 'password', provider: 'unknown' });
      assert.deepEqual(judgeValue(f.password(), as('password', { provider: 'r2' })), { role: 'password', provider: 'r2' });
      assert.equal(pw('k9#'), undefined);
      assert.ok(pw(f.blob(256)));
      assert.equal(pw(f.blob(257)), undefined);
      assert.equal(pw(`${f.password()}\n${f.password()}`), undefined);
      assert.equal(pw('aaaaaaaa'), undefined, 'one letter');
      assert.equal(pw('1234'), undefined, 'counting');
    });

    it('bare in prose: a digit or a symbol, no blank, no plain name, no member access', () => {
      assert.equal(judgeValue('qUaRtZ', prose()), undefined, 'letters only');
      assert.equal(judgeValue('Tundra Copper9', prose()), undefined, 'two words');
      assert.ok(judgeValue('Tundra Copper9', as('password')), 'quoted, a blank is fine');
      assert.ok(judgeValue('9!#%7', prose()), 'digits and symbols only');
      assert.ok(judgeValue('q!W#e', prose()), 'symbols, no digit, no name');
      assert.equal(judgeValue('db_password', prose()), undefined, 'a name');
      assert.ok(judgeValue('prod_db_2024', prose()), 'a name with a number');
      for (const member of ['config.db2', 'vault.kv.read2', '$cfg.pw_2']) assert.equal(judgeValue(member, prose()), undefined, member);
      for (const other of ['9x.y2', 'cfg.pw!9']) assert.ok(judgeValue(other, prose()), other);
    });

    it('never bare in code: an expression', () => {
      assert.equal(judgeValue(f.password(), as('password', { bareCode: true })), undefined);
    });
  });

  describe('any role', () => {
    it('the key name as its own value is none, compared without case or separators', () => {
      assert.ok(judgeValue('PGPASSWORD', as('password')));
      assert.equal(judgeValue('PGPASSWORD', as('password', { keyNormalized: 'pgpassword' })), undefined);
      assert.equal(judgeValue('Db_Pass-2', as('password', { keyNormalized: 'dbpass2' })), undefined);
      assert.ok(judgeValue('Db_Pass-2', as('password', { keyNormalized: 'dbpass' })));
    });

    it('empty, over 4096 characters, a reference, a placeholder or a UUID is none', () => {
      for (const role of ['key_id', 'secret', 'password', 'session_token', 'motherduck_token', 'either'] as const) {
        assert.equal(judgeValue('', as(role)), undefined, role);
        assert.equal(judgeValue('${R2_SECRET}', as(role)), undefined, role);
        assert.equal(judgeValue('<secret>', as(role)), undefined, role);
        assert.equal(judgeValue(f.uuid(), as(role)), undefined, role);
      }
      assert.equal(judgeValue(f.blob(4097), as('password')), undefined);
    });

    it('either role: the shape says which', () => {
      assert.deepEqual(judgeValue(f.awsKeyId(), as('either')), { role: 'key_id', provider: 'aws' });
      assert.deepEqual(judgeValue(f.gcsHmacId(), as('either')), { role: 'key_id', provider: 'gcs' });
      assert.deepEqual(judgeValue(f.awsSecret(), as('either', { provider: 'gcs' })), { role: 'secret', provider: 'gcs' });
      assert.deepEqual(judgeValue(token(20), as('either')), { role: 'secret', provider: 'unknown' });
    });
  });
});
