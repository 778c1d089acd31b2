/**
 * Values that stand where a credential would but are not one: references to where the real value
 * lives, placeholders, masked or truncated values, names, and strings too regular to be random.
 * Every check is linear in the value's length (values are capped by the callers).
 */

/** `${VAR}`, `$VAR`, `{{ … }}`, `{% … %}`, `$(cmd)`, f-string `{var}`, `%(name)s`, `env_var(…)`, YAML tags… */
const REFERENCE =
  /\$\{|\$\(|\{\{|\{%|\{#|^\$[A-Za-z_]|^%[A-Za-z_]+%$|%\([A-Za-z_]\w*\)[sdr]|^%s$|^\?$|^:[A-Za-z_]\w*$|^@[A-Za-z_]|^!|env_var\s*\(|getenv\s*\(|environ\b|process\.env|\{[A-Za-z_][\w.]*(?:\[[^\]{}]*\])?(?:![rsa])?(?::[^{}]*)?\}|^<%|%\{[A-Za-z_]/;

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** Words and marks people put where the real value goes. */
const PLACEHOLDER =
  /your|example|placeholder|replace|change_?me|change_?it|todo|fixme|dummy|sample|redacted|insert|xxx|<|>|\u2026|\.\.\.|\*\*\*|\u2022|#{3}|not[-_ ]?set|here\b|_here|[-_]here|fake|mock|lorem|foo_?bar|^(?:test|demo)[-_]?/i;

const PLACEHOLDER_WORDS = new Set([
  '',
  'none',
  'null',
  'nil',
  'true',
  'false',
  'undefined',
  'empty',
  'secret',
  'secrets',
  'password',
  'passwd',
  'pass',
  'token',
  'key',
  'key_id',
  'keyid',
  'auto',
  'default',
  'config',
  'env',
  'credential_chain',
  'chain',
  'required',
  'optional',
  'string',
  'str',
  'value',
  'abc',
  'abc123',
  'test',
  'changeit',
]);

/** A placeholder word with a number: `password123`, `secret1`, `test_2`. */
const NUMBERED_WORD = /^(?:password|passwd|pass|secret|test|changeme|example|sample|dummy|token|key)[-_]?\d{0,4}$/i;

export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower) || NUMBERED_WORD.test(value)) return true;
  if (PLACEHOLDER.test(value)) return true;
  if (/^[*x•#.\-_=0 ]+$/i.test(value)) return true;
  return false;
}

/** One character six times in a row (linear: one character, then five back-references). */
const RUN_OF_SIX = /([\s\S])\1{5}/;

/** A short unit repeated (`abcdabcd…`, `0123456789abcdef` twice): the value shifted by the period is itself. */
function isPeriodic(value: string): boolean {
  const max = Math.min(64, value.length >> 1);
  for (let period = 1; period <= max; period++) if (value.slice(period) === value.slice(0, value.length - period)) return true;
  return false;
}

/** Mostly counting up or down (`0123456789abcdef`, `abcdef123456`). */
function isSequential(value: string): boolean {
  let steps = 0;
  // Stryker disable next-line EqualityOperator: one step further reads NaN, never a step
  for (let i = 1; i < value.length; i++) {
    const d = value.charCodeAt(i) - value.charCodeAt(i - 1);
    if (d === 1 || d === -1) steps++;
  }
  return steps * 2 >= value.length - 1;
}

export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Too regular to have come from a random generator: one digit repeated, a period, a count, padding. */
export function lacksRandomness(value: string): boolean {
  if (value.length >= 8 && RUN_OF_SIX.test(value)) return true;
  if (/[xX*#]{4}/.test(value)) return true;
  return isPeriodic(value) || isSequential(value);
}

type CharClass = 'upper' | 'lower' | 'digit' | 'other';

function charClass(code: number): CharClass {
  if (code >= 65 && code <= 90) return 'upper';
  if (code >= 97 && code <= 122) return 'lower';
  if (code >= 48 && code <= 57) return 'digit';
  return 'other';
}

/**
 * One segment reads as words: runs of two or more lower-case letters (or one after a capital, as in
 * `My`), capitals, one short number. Random keys have lone lower-case letters between digits or
 * symbols, long digit runs, or digits here and there.
 */
function isWordish(segment: string): boolean {
  let previous: CharClass | undefined;
  let runClass: CharClass | undefined;
  let runLength = 0;
  let digitRuns = 0;
  // (Before the first character, and for an empty segment, there is no run: wordish.)
  const runIsWordish = (): boolean => {
    // Letters and digits taking turns (`AKIAOR5YQ4MC`) are random, not a name.
    if (runClass === 'digit' && ++digitRuns > 1) return false;
    if (runClass === 'lower' && runLength < 2 && previous !== 'upper') return false;
    if (runClass === 'digit' && runLength > 4) return false;
    // Acronyms are short; twelve capitals in a row are a key's.
    if (runClass === 'upper' && runLength > 10) return false;
    return runClass !== 'other';
  };
  for (let i = 0; i < segment.length; i++) {
    const cls = charClass(segment.charCodeAt(i));
    if (cls === runClass) {
      runLength++;
      continue;
    }
    if (!runIsWordish()) return false;
    previous = runClass;
    runClass = cls;
    runLength = 1;
  }
  return runIsWordish();
}

/**
 * Reads as a name: `r2_prod_secret`, `lakehouse-key-2024`, `myCloudflareSecret`, `keys/prod/r2`,
 * `config.db_password`. Short tags like `r2`, `s3`, `v2` count as words.
 */
export function isNameLike(value: string): boolean {
  const letters = value.replace(/[^A-Za-z]/g, '').length;
  if (letters === 0 || letters * 2 < value.length) return false;
  // (Empty segments, between two separators, are wordish.)
  return value.split(/[_.\-/:]/).every((segment) => /^[a-z]\d{1,2}$/i.test(segment) || isWordish(segment));
}
