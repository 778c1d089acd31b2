/**
 * Passwords in a URL's user info: `postgresql://user:…@host/db`, `mysql://…`, `https://user:…@…`,
 * also inside DuckLake's `ATTACH 'ducklake:postgres:postgresql://…'`. `r2://bucket/path` has no
 * user info and is never one.
 */
import type { Candidate, ScanText } from './candidate';

const SCHEMES = new Set([
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'clickhouse',
  'snowflake',
  'ftp',
  'sftp',
  'http',
  'https',
  'ducklake',
]);

/** Ends a URL's authority; `?` and `#` end it too, unless they stand in an unescaped password (checked below). */
const AUTHORITY_END = new Set(['/', ' ', '\t', '\n', '\r', "'", '"', '`', '<', '>', ',', ';', ')']);

export function urlPasswordCandidates(scan: ScanText): Candidate[] {
  const { text } = scan;
  const out: Candidate[] = [];
  for (let found = text.indexOf('://'); found >= 0; ) {
    let schemeStart = found;
    // Long enough for SQLAlchemy's dialect+driver schemes (`postgresql+psycopg2cffi`).
    while (schemeStart > found - 40 && /[A-Za-z0-9+.-]/.test(text.charAt(schemeStart - 1))) schemeStart--;
    const scheme = text.slice(schemeStart, found).toLowerCase();
    const authorityStart = found + 3;
    let end = authorityStart;
    const limit = Math.min(text.length, authorityStart + 512);
    while (end < limit && !AUTHORITY_END.has(text.charAt(end))) end++;
    const authority = text.slice(authorityStart, end);
    const at = authority.lastIndexOf('@');
    const userInfoEnd = Math.max(at, 0);
    // Stryker disable next-line MethodExpression: a `:` after the last `@` has an `@` before it, which the check below refuses
    const colon = authority.slice(0, userInfoEnd).indexOf(':');
    if (SCHEMES.has(scheme.split('+')[0] ?? '') && colon >= 0 && !/[?#@]/.test(authority.slice(0, colon))) {
      const valueStart = authorityStart + colon + 1;
      const valueEnd = authorityStart + at;
      out.push({
        role: 'password',
        valueStart,
        valueEnd,
        literalStart: valueStart,
        literalEnd: valueEnd,
        quote: '',
        bare: false,
        bareCode: false,
        rule: 'url-password',
        contextKey: `${scheme}://`,
        where: `in a ${scheme}:// connection string (${scheme}://\u2026:\u2026@)`,
      });
    }
    found = text.indexOf('://', end);
  }
  return out;
}
