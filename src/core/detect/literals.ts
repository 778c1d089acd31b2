/**
 * Reading one value where a rule expects it: a quoted literal (SQL, Python with its `r`/`b`/`f`
 * prefixes and triple quotes, YAML, shell) or a bare token (`.env`, YAML, shell, connection
 * strings). Each read is bounded, so a missing closing quote costs at most one line.
 */
import type { QuoteStyle } from './finding';

export interface Literal {
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly literalStart: number;
  readonly literalEnd: number;
  readonly quote: QuoteStyle;
  /** A Python f-string (`f"…"`): its `{…}` parts are code, not text. */
  readonly fString: boolean;
}

/** Longest value read; credentials are far shorter, and anything longer is not one. */
export const MAX_VALUE = 4096;

export function isQuote(c: string | undefined): c is "'" | '"' | '`' {
  return c === "'" || c === '"' || c === '`';
}

/** Spaces and tabs only: values sit on the key's line. */
export function skipBlanks(text: string, pos: number): number {
  let p = pos;
  while (text[p] === ' ' || text[p] === '\t') p++;
  return p;
}

/** A quoted literal at `pos` (at its quote; with `python`, also at a string prefix or triple quote). */
export function readQuoted(text: string, pos: number, python: boolean): Literal | undefined {
  let p = pos;
  let fString = false;
  if (python) {
    const prefix = /^[rRbBuUfF]{1,2}(?=['"])/.exec(text.slice(p, p + 3));
    if (prefix) {
      fString = /f/i.test(prefix[0]);
      p += prefix[0].length;
    }
  }
  const q = text[p];
  if (!isQuote(q)) return undefined;
  const triple = python && q !== '`' && text[p + 1] === q && text[p + 2] === q;
  if (triple) {
    const inner = text.slice(p + 3, p + 3 + MAX_VALUE + 3).indexOf(q + q + q);
    if (inner < 0) return undefined;
    const close = p + 3 + inner;
    return { valueStart: p + 3, valueEnd: close, literalStart: pos, literalEnd: close + 3, quote: (q + q + q) as QuoteStyle, fString };
  }
  const start = p + 1;
  const limit = Math.min(text.length, start + MAX_VALUE);
  for (let i = start; i < limit; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return undefined;
    if (c === '\\' && q !== '`') {
      i++;
      continue;
    }
    if (c === q) return { valueStart: start, valueEnd: i, literalStart: pos, literalEnd: i + 1, quote: q, fString };
  }
  return undefined;
}

/** Characters that end a bare value: blanks, quotes, list and statement punctuation. */
const BARE_END = new Set([' ', '\t', '\n', '\r', "'", '"', '`', ',', ';', '(', ')', ']', '}', '&', '|']);

/** A bare value starting at `pos`, or undefined when there is none or it is a call (`secret()`). */
export function readBare(text: string, pos: number, end: ReadonlySet<string> = BARE_END): Literal | undefined {
  const limit = Math.min(text.length, pos + MAX_VALUE);
  let i = pos;
  while (i < limit && !end.has(text.charAt(i))) i++;
  if (i - pos >= MAX_VALUE) return undefined;
  if (text[i] === '(') return undefined;
  // A trailing `.` or `:` ends a sentence or a YAML key, not a value.
  let valueEnd = i;
  while (valueEnd > pos && (text[valueEnd - 1] === '.' || text[valueEnd - 1] === ':')) valueEnd--;
  // Stryker disable next-line ConditionalExpression: an empty literal is no value either (every caller judges it, and an empty value is never a credential)
  if (valueEnd === pos) return undefined;
  return { valueStart: pos, valueEnd, literalStart: pos, literalEnd: valueEnd, quote: '', fString: false };
}

/** `}` alone ends the default of `${NAME:-default}`. */
export const BRACE_END: ReadonlySet<string> = new Set(['}', '\n', '\r']);

/** SQL (with Jinja) comments; Python's `#`. Only these two kinds ask: elsewhere a bare value is a value, not code. */
const SQL_COMMENTS: readonly string[] = ['--', '{#', '/*'];
const PYTHON_COMMENTS: readonly string[] = ['#'];

/**
 * Whether `pos` is in code on its line, not in a quoted string or after a line comment: counts the
 * quotes before it and watches for a comment outside them. Cheap and good enough: values sit on one
 * line. (A block comment or docstring opened on an earlier line reads as code; the value checks for
 * code are the strict ones, so that errs on the safe side.)
 */
export function isCodeOnLine(text: string, kind: string, lineStart: number, pos: number): boolean {
  const marks = kind === 'sql' ? SQL_COMMENTS : PYTHON_COMMENTS;
  let open: string | undefined;
  for (let i = Math.max(lineStart, pos - LINE_WINDOW); i < pos; i++) {
    const c = text.charAt(i);
    if (open) {
      if (c === '\\') i++;
      else if (c === open) open = undefined;
      continue;
    }
    if (isQuote(c)) {
      open = c;
      continue;
    }
    for (const mark of marks) if (text.startsWith(mark, i)) return false;
  }
  return open === undefined;
}

/** How far back a rule looks on one line (minified files have megabyte lines). */
export const LINE_WINDOW = 4096;

/** Where the line holding `pos` starts, or `pos - window` on a longer line. */
export function lineStartOf(text: string, pos: number, window = LINE_WINDOW): number {
  let i = pos;
  const stop = Math.max(0, pos - window);
  while (i > stop) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}
