import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { plainSegment } from '../../../../src/core/detect/segments';
import { urlPasswordCandidates } from '../../../../src/core/detect/urlPasswordRule';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** [value, message, envVar] of each finding. */
function found(text: string, kind: FileKind = 'text'): [string, string, string | undefined][] {
  return detectCredentials(text, kind).map((x) => [text.slice(x.start, x.end), x.message, x.envVar]);
}

describe('detect: passwords in URLs (url-password rule)', () => {
  const f = new CredentialFixtures(1605);

  it('SQLAlchemy dialect+driver schemes, also long ones', () => {
    const [a, b] = [f.password(), f.password()];
    const text = `a = create_engine("postgresql+psycopg2cffi://etl:${a}@db:5432/dw")\nb = create_engine("mysql+mysqlconnector://etl:${b}@db/dw")\n`;
    assert.deepEqual(found(text, 'python'), [
      [a, 'Password hardcoded in a postgresql+psycopg2cffi:// connection string (postgresql+psycopg2cffi://…:…@)', 'PGPASSWORD'],
      [b, 'Password hardcoded in a mysql+mysqlconnector:// connection string (mysql+mysqlconnector://…:…@)', undefined],
    ]);
  });

  it('the password between the first `:` and the last `@`; an empty user (redis://:…@) too', () => {
    const [a, b] = [f.password(), f.password()];
    assert.deepEqual(found(`redis://:${a}@cache:6379/0\n`), [[a, 'Password hardcoded in a redis:// connection string (redis://…:…@)', undefined]]);
    assert.deepEqual(found(`https://bot:${b}@git.example.org:8443/repo.git\n`).map(([value]) => value), [b]);
  });

  it('a password in prose needs no digit or symbol: the URL says what it is', () => {
    const text = 'connect with postgresql://etl:tundrameadow@db/dw today\n';
    assert.deepEqual(found(text).map(([value]) => value), ['tundrameadow']);
  });

  it('no password: a user alone, a port, another scheme, a `?` or `#` before the colon', () => {
    const pw = f.password();
    const text = [
      'https://deploy2024bot@host/x',
      'postgresql://db.internal:5432/dw',
      `myapp://user:${pw}@screen`,
      `https://host/search?q=a:${pw}@x`,
      `https://host#a:${pw}@x`,
      'r2://bucket/path',
      '',
    ].join('\n');
    assert.deepEqual(found(text), []);
  });

  it('keeps scanning after a stray `://` at the very start', () => {
    const pw = f.password();
    assert.deepEqual(found(`://x then postgresql://u:${pw}@h\n`).map(([value]) => value), [pw]);
  });

  it('reads at most 512 characters of a URL authority', () => {
    const pw = f.password();
    const url = (user: string): string => `https://${user}:${pw}@host/x\n`;
    const fits = 'u'.repeat(511 - pw.length - 1);
    assert.deepEqual(found(url(fits)).map(([value]) => value), [pw], 'the `@` is the 512th character');
    assert.deepEqual(found(url(`${fits}u`)), [], 'the `@` is the 513th');
  });

  it('hands the judge the password, unquoted but not a bare word; nothing for text without URLs', () => {
    const pw = f.password();
    const text = `mysql://root:${pw}@localhost/app`;
    const start = text.indexOf(pw);
    assert.deepEqual(urlPasswordCandidates(plainSegment(text, 'text', true)), [
      {
        role: 'password',
        valueStart: start,
        valueEnd: start + pw.length,
        literalStart: start,
        literalEnd: start + pw.length,
        quote: '',
        bare: false,
        bareCode: false,
        rule: 'url-password',
        contextKey: 'mysql://',
        where: 'in a mysql:// connection string (mysql://…:…@)',
      },
    ]);
    assert.deepEqual(urlPasswordCandidates(plainSegment('no links here\n', 'text', true)), []);
    assert.deepEqual(urlPasswordCandidates(plainSegment('postgresql://db.internal:5432/dw https://deploy2024bot@host/x\n', 'text', true)), [], 'no user info with a password');
  });
});
