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
  let at = text.indexOf('://');
  while (at >= 0) {
    let schemeStart = at;
    while (schemeStart > 0 && schemeStart > at - 20 && /[A-Za-z0-9+.-]/.test(text[schemeStart - 1] ?? '')) schemeStart--;
    const scheme = text.slice(schemeStart, at).toLowerCase();
    const authorityStart = at + 3;
    let end = authorityStart;
    const limit = Math.min(text.length, authorityStart + 512);
    while (end < limit && !AUTHORITY_END.has(text[end] ?? '')) end++;
    const userInfoEnd = text.lastIndexOf('@', end - 1);
    if (SCHEMES.has(scheme.split('+')[0] ?? '') && userInfoEnd >= authorityStart) {
      const colon = text.indexOf(':', authorityStart);
      const user = text.slice(authorityStart, colon);
      if (colon >= 0 && colon < userInfoEnd && !/[?#@]/.test(user)) {
        out.push({
          role: 'password',
          valueStart: colon + 1,
          valueEnd: userInfoEnd,
          literalStart: colon + 1,
          literalEnd: userInfoEnd,
          quote: '',
          bare: false,
          bareCode: false,
          rule: 'url-password',
          contextKey: `${scheme}://`,
          where: `in a ${scheme}:// connection string (${scheme}://\u2026:\u2026@)`,
        });
      }
    }
    at = text.indexOf('://', Math.max(end, at + 3));
  }
  return out;
}
