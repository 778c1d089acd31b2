/**
 * The main rule: a credential-ish name followed by its value. One shape covers SQL secret options
 * (`KEY_ID '…'`), `SET s3_secret_access_key='…'`, `.env` and shell (`export R2_SECRET_KEY=…`,
 * fish `set -gx X …`, `--secret-access-key …`), YAML and JSON (`secret: …`, `"key_id": "…"`),
 * Python kwargs and dicts (`aws_access_key_id="…"`, `'s3_secret_access_key': '…'`), libpq and
 * MotherDuck connection strings (`password=…`, `md:?motherduck_token=…`), Azure `AccountKey=…`,
 * and shell defaults `${R2_SECRET_KEY:-…}`.
 */
import { elided, type Candidate, type ScanText } from './candidate';
import { classifyKey, KEY_HINT, type KeyContext } from './contextKeys';
import { BRACE_END, lineStartOf, placeOnLine, readBare, readQuoted, skipBlanks, type Literal } from './literals';

function isKeyChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 45 || code === 46
  );
}

function isEdgeSeparator(c: string | undefined): boolean {
  return c === '-' || c === '.' || c === '_';
}

/** Kinds whose syntax writes values bare: `KEY=value`, `key: value`. */
const BARE_KINDS = new Set(['env', 'yaml', 'dbt-profiles', 'dbt-project', 'shell', 'text']);

export function optionCandidates(scan: ScanText): Candidate[] {
  const { text } = scan;
  const out: Candidate[] = [];
  const hint = new RegExp(KEY_HINT.source, KEY_HINT.flags);
  let match: RegExpExecArray | null;
  while ((match = hint.exec(text)) !== null) {
    let start = match.index;
    let end = start + match[0].length;
    while (start > 0 && isKeyChar(text.charCodeAt(start - 1))) start--;
    while (end < text.length && isKeyChar(text.charCodeAt(end))) end++;
    hint.lastIndex = end;
    while (start < end && isEdgeSeparator(text[start])) start++;
    while (end > start && isEdgeSeparator(text[end - 1])) end--;
    if (end - start > 100) continue;
    const name = text.slice(start, end);
    const context = classifyKey(name);
    if (!context) continue;
    const candidate = readOption(scan, start, end, name, context);
    if (candidate) out.push(candidate);
  }
  return out;
}

interface Separator {
  readonly display: string;
  readonly end: number;
}

const EQUALS: Separator = { display: '=', end: 1 };
const COLON: Separator = { display: ': ', end: 1 };

/** What follows the key: `=`, `:`, `=>`, `:=`, `==`, SQL `TO`, or blanks before a value. No allocation on a miss. */
function separatorAt(text: string, pos: number, keyEnd: number): Separator | undefined {
  const c = text.charCodeAt(pos);
  const d = text.charCodeAt(pos + 1);
  if (c === 61 /* = */) {
    if (d === 61 || d === 62) return { display: ` =${String.fromCharCode(d)} `, end: pos + 2 };
    return { ...EQUALS, end: pos + 1 };
  }
  if (c === 58 /* : */) {
    if (d === 58) return undefined;
    if (d === 61) return { display: ' := ', end: pos + 2 };
    return { ...COLON, end: pos + 1 };
  }
  if ((c === 116 || c === 84) && (d === 111 || d === 79) && (text[pos + 2] === ' ' || text[pos + 2] === '\t')) return { display: ' TO ', end: pos + 2 };
  if (pos > keyEnd) return { display: ' ', end: pos };
  return undefined;
}

const SET_BEFORE = /\bSET[ \t]+(?:(?:GLOBAL|SESSION|LOCAL)[ \t]+)?$/i;
/** fish `set -gx NAME value`, `aws configure set NAME value`. */
const SHELL_SET_BEFORE = /\bset[ \t]+(?:-{1,2}[A-Za-z]+[ \t]+)*$/;
/** Python annotation before the value: `secret: str = "…"`, `token: Optional[str] = "…"`. */
const ANNOTATION = /^[A-Za-z_][\w.]*(?:\[[\w., ]*\])?(?:[ \t]*\|[ \t]*None)?[ \t]*=(?!=)[ \t]*/;

function readOption(scan: ScanText, keyStart: number, keyEnd: number, name: string, context: KeyContext): Candidate | undefined {
  const { text, kind } = scan;
  let p = keyEnd;
  const opening = text[keyStart - 1];
  const keyQuoted = (opening === '"' || opening === "'" || opening === '`') && text[p] === opening;
  if (keyQuoted) p++;
  if (text[p] === ']') p++;
  const dollarDefault = text.startsWith('${', keyStart - 2) && (text.startsWith(':-', p) || text.startsWith(':=', p));
  const afterBlanks = dollarDefault ? p : skipBlanks(text, p);
  const separator = dollarDefault ? undefined : separatorAt(text, afterBlanks, keyEnd);
  if (!dollarDefault && !separator) return undefined;
  /** At most 40 characters back on the key's line: enough to see `SET`, `set -gx`, `--`. */
  const nearStart = lineStartOf(text, keyStart, 40);
  // One object shape for every candidate (optional fields present as undefined): spreads of
  // varying shapes were the detector's hottest spot.
  const make = (value: Literal, fields: { bare: boolean; bareCode: boolean; rule: Candidate['rule']; where: string; kind: Candidate['kind'] }): Candidate => ({
    role: context.role,
    kind: fields.kind ?? (context.legacy ? 'legacy_set' : undefined),
    provider: context.provider,
    valueStart: value.valueStart,
    valueEnd: value.valueEnd,
    literalStart: value.literalStart,
    literalEnd: value.literalEnd,
    quote: value.quote,
    bare: fields.bare,
    bareCode: fields.bareCode,
    rule: fields.rule,
    contextKey: name,
    where: fields.where,
    needsMotherDuck: context.needsMotherDuck,
    keyNormalized: context.normalized,
    fString: value.fString,
  });

  // ${R2_SECRET_KEY:-…}: the default is in the file.
  if (!separator) {
    const value = readBare(text, p + 2, BRACE_END);
    if (!value || text[value.literalEnd] !== '}') return undefined;
    return make(value, { bare: true, bareCode: false, rule: 'env-default', where: `as the default of \${${name}:-\u2026}`, kind: undefined });
  }

  p = skipBlanks(text, separator.end);
  if (separator.display === ': ' && kind === 'python') {
    const annotation = ANNOTATION.exec(text.slice(p, p + 80));
    if (annotation && !/^(?:None|True|False)\b/.test(annotation[0])) p += annotation[0].length;
  }
  const python = kind === 'python' || kind === 'text';
  let value: Literal | undefined = readQuoted(text, p, python);
  if (!value) {
    if (separator.display === ' ') {
      // Blanks then a bare value only as a command's argument: `set -gx KEY value`, `--secret value`.
      const before = text.slice(nearStart, keyStart);
      const argument = (kind === 'shell' || kind === 'text' || kind === 'env') && (SHELL_SET_BEFORE.test(before) || before.endsWith('--'));
      if (!argument) return undefined;
    }
    if (separator.display === ' TO ') return undefined;
    value = readBare(text, p);
    if (!value) return undefined;
  }
  const bare = value.quote === '';
  const previous = text[keyStart - 1];
  const inUrlQuery = context.role === 'motherduck_token' && (previous === '?' || previous === '&');
  const setBefore = SET_BEFORE.test(text.slice(nearStart, keyStart));
  const where = setBefore
    ? `in SET ${name}${separator.display}${elided(value.quote)}`
    : inUrlQuery
      ? `in a MotherDuck connection string (${name}=\u2026)`
      : `in ${name}${separator.display}${elided(value.quote)}`;
  // A quoted key (`{"secret": …}`) is a dict or JSON key: where it stands is where its quote opens.
  const keyAt = keyQuoted ? keyStart - 1 : keyStart;
  const bareCode = bare && !BARE_KINDS.has(kind) && placeOnLine(text, kind, lineStartOf(text, keyAt), keyAt) === 'code';
  // In code, a bare word without a digit is a variable (`secret=secret_name`), never a random key.
  if (bareCode && !/\d/.test(text.slice(value.valueStart, value.valueEnd))) return undefined;
  return make(value, {
    bare,
    bareCode,
    rule: 'option',
    where,
    kind: inUrlQuery ? 'password' : undefined,
  });
}
