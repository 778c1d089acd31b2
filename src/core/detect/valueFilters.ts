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

export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (PLACEHOLDER.test(value)) return true;
  if (/^[*x•#.\-_=0 ]+$/i.test(value)) return true;
  return false;
}

/** The longest run of one repeated character. */
function longestRun(value: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    run = i > 0 && value[i] === value[i - 1] ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/** A short unit repeated (`abcdabcd…`, `0123456789abcdef0123456789abcdef`). */
function isPeriodic(value: string): boolean {
  const max = Math.min(64, value.length >> 1);
  for (let period = 1; period <= max; period++) {
    let i = period;
    while (i < value.length && value[i] === value[i - period]) i++;
    if (i === value.length) return true;
  }
  return false;
}

/** Mostly counting up or down (`0123456789abcdef`, `abcdef123456`). */
function isSequential(value: string): boolean {
  let steps = 0;
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
  if (value.length >= 8 && longestRun(value) >= 6) return true;
  if (/[xX*#]{4}/.test(value)) return true;
  return isPeriodic(value) || isSequential(value);
}

type CharClass = 'upper' | 'lower' | 'digit' | 'sep' | 'other';

function charClass(code: number): CharClass {
  if (code >= 65 && code <= 90) return 'upper';
  if (code >= 97 && code <= 122) return 'lower';
  if (code >= 48 && code <= 57) return 'digit';
  if (code === 95 || code === 45 || code === 46 || code === 47 || code === 58) return 'sep';
  return 'other';
}

/**
 * Reads as words: `r2_prod_secret`, `lakehouse-key-2024`, `myCloudflareSecret`, `keys/prod/r2`.
 * Random keys have lone lower-case letters between digits or symbols, or long digit runs.
 */
export function isNameLike(value: string): boolean {
  let previous: CharClass | undefined;
  let runClass: CharClass | undefined;
  let runLength = 0;
  let letters = 0;
  const closeRun = (): boolean => {
    if (runClass === 'lower' && runLength < 2 && previous !== 'upper') return false;
    if (runClass === 'digit' && runLength > 4) return false;
    if (runClass === 'other') return false;
    return true;
  };
  for (let i = 0; i < value.length; i++) {
    const cls = charClass(value.charCodeAt(i));
    if (cls === 'upper' || cls === 'lower') letters++;
    if (cls === runClass) {
      runLength++;
      continue;
    }
    if (runClass !== undefined && !closeRun()) return false;
    previous = runClass;
    runClass = cls;
    runLength = 1;
  }
  if (runClass !== undefined && !closeRun()) return false;
  return letters * 2 >= value.length;
}
