/**
 * The Bucket view's filter: a glob pattern that narrows which objects are shown. No VS Code import.
 *
 * `*` any characters but `/`; `**` any characters including `/` (`**\/` also matches no folder);
 * `?` one character but `/`; `[abc]`, `[a-z]`, `[!abc]`/`[^abc]` character classes; `{a,b}`
 * alternatives; `\` escapes. A pattern without `/` matches the object's name in any folder
 * (`*.parquet`); a pattern with `/` matches the whole key from the bucket's root
 * (`sales/year=2024/**\/*.parquet`). Node's `path.matchesGlob` is experimental (it warns on first
 * use) and skips dot-files, so the extension carries this small matcher instead.
 */
import { UserFacingError } from '../errors';

export interface BucketFilter {
  readonly pattern: string;
  /** True when the object with this key is shown. */
  matchesObject(key: string): boolean;
  /** False when no object below this folder prefix can match, so the folder can be hidden. */
  mayContainMatches(folderPrefix: string): boolean;
}

export function compileFilter(pattern: string): BucketFilter {
  const trimmed = pattern.trim().replace(/^\/+/, '');
  if (trimmed === '') throw new UserFacingError('The filter is empty: type a pattern such as *.parquet or sales/**/*.csv.');
  const byName = !trimmed.includes('/');
  const whole = globToRegExp(trimmed);
  const segments = byName ? [] : trimmed.split('/').map(segmentMatcher);
  return {
    pattern: trimmed,
    matchesObject: (key) => whole.test(byName ? key.slice(key.lastIndexOf('/') + 1) : key),
    mayContainMatches: (folderPrefix) => {
      if (byName) return true;
      const folders = folderPrefix.split('/').slice(0, -1);
      for (let i = 0; i < folders.length; i++) {
        if (i >= segments.length - 1) return segments.slice(0, i + 1).some((s) => s === undefined);
        const segment = segments[i];
        if (segment === undefined) return true; // `**` from here on matches anything
        if (!segment.test(folders[i]!)) return false;
      }
      return true;
    },
  };
}

/** One folder level of a pattern; undefined where it may match across levels (`**`, or braces holding `/`). */
function segmentMatcher(segment: string): RegExp | undefined {
  if (segment.includes('**')) return undefined;
  try {
    return globToRegExp(segment);
  } catch {
    return undefined;
  }
}

/** `No object here matches *.parquet (2 objects hidden)`: what the filter hid in a folder left empty. */
export function noMatchText(pattern: string, objects: number, folders: number): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const hidden = [objects ? plural(objects, 'object') : '', folders ? plural(folders, 'folder') : ''].filter(Boolean).join(', ');
  return `No object here matches ${pattern} (${hidden} hidden)`;
}

/** Compiles a glob to an anchored RegExp. Throws a UserFacingError for an unclosed `[` or `{`. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') {
      i++;
      out += escapeRegExp(glob[i] ?? '\\');
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        i++;
        while (glob[i + 1] === '*') i++;
        if (atStart && glob[i + 1] === '/') {
          i++;
          out += '(?:[^/]*/)*'; // `**/`: zero or more folders
        } else {
          out += '.*';
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = classEnd(glob, i);
      if (end < 0) throw invalid(glob, 'a "[" is not closed');
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/\\(.)/g, '$1').replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else {
      out += escapeRegExp(c);
    }
  }
  if (braces > 0) throw invalid(glob, 'a "{" is not closed');
  return new RegExp(`^${out}$`, 's');
}

/** Index of the `]` closing the class that opens at `start`, or -1. A `]` right after `[` or `[!` is literal. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++;
  for (; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === ']') return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function invalid(glob: string, why: string): UserFacingError {
  return new UserFacingError(`"${glob}" is not a valid filter pattern: ${why}.`);
}
