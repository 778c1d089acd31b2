/**
 * The small glob dialect of `duckdbSecrets.lint.exclude`: `**` (any folders), `*` and `?` (within
 * one path segment), `{a,b}` and `[abc]`. A glob without `/` matches a file name in any folder.
 * Paths use `/`. Plain Node, no dependency.
 */

export function globToRegExp(glob: string): RegExp {
  const pattern = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const anywhere = !pattern.includes('/');
  let out = '';
  let braces = 0;
  // Stryker disable next-line EqualityOperator: `<=` adds one pass over charAt(length), '' — which appends nothing
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^');
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[.+^$()|]/g, '\\$&'); // no backslash is left: each became `/` above
  }
  while (braces-- > 0) out += ')';
  return new RegExp(`^${anywhere ? '(?:.*/)?' : ''}${out}$`);
}

/** True when `path` (workspace-relative or absolute, `/` or `\`) matches one of `globs`. */
export function matchesAnyGlob(path: string, globs: readonly RegExp[]): boolean {
  const normalized = path.replace(/\\/g, '/');
  return globs.some((glob) => glob.test(normalized));
}
