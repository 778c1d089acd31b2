/**
 * The main rule: a credential-ish name followed by its value. One shape covers SQL secret options
 * (`KEY_ID '…'`), `SET s3_secret_access_key='…'`, `.env` and shell (`export R2_SECRET_KEY=…`,
 * fish `set -gx X …`, `--secret-access-key …`), YAML and JSON (`secret: …`, `"key_id": "…"`),
 * Python kwargs and dicts (`aws_access_key_id="…"`, `'s3_secret_access_key': '…'`), libpq and
 * MotherDuck connection strings (`password=…`, `md:?motherduck_token=…`), Azure `AccountKey=…`,
 * and shell defaults `${R2_SECRET_KEY:-…}`.
 */
import { elided, type Candidate, type ScanText } from './candidate';
import { hasKeyShape } from './valueShape';
import { classifyKey, KEY_HINT } from './contextKeys';
import { BRACE_END, isCodeOnLine, lineStartOf, readBare, readQuoted, skipBlanks, type Literal } from './literals';

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
  // Stryker disable next-line ArrayDeclaration: a stray non-candidate has no role, and judgeValue drops a value without one
  const out: Candidate[] = [];
  const hint = new RegExp(KEY_HINT.source, KEY_HINT.flags);
  let match: RegExpExecArray | null;
  while ((match = hint.exec(text)) !== null) {
    let start = match.index;
    let end = start + match[0].length;
    // Past either end of the text charCodeAt gives NaN, no key character; the hint's letters stop the trims.
    while (isKeyChar(text.charCodeAt(start - 1))) start--;
    while (isKeyChar(text.charCodeAt(end))) end++;
    hint.lastIndex = end;
    while (isEdgeSeparator(text[start])) start++;
    while (isEdgeSeparator(text[end - 1])) end--;
    if (end - start > 100) continue;
    const candidate = readOption(scan, start, end);
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
function separatorAt(text: string, pos: number, keyEnd: number, prose: boolean): Separator | undefined {
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
  // A fallback after a lookup: `process.env.R2_SECRET_KEY || "…"`, `os.environ.get("X") or "…"`.
  if ((c === 124 && d === 124) || (c === 63 && d === 63)) return { display: ` ${text.slice(pos, pos + 2)} `, end: pos + 2 };
  if (c === 111 && d === 114 && (text[pos + 2] === ' ' || text[pos + 2] === '\t')) return { display: ' or ', end: pos + 2 };
  // A Markdown table row: `| KEY_ID | 3f9a… |`.
  if (prose && c === 124) return { display: ' | ', end: pos + 1 };
  if (pos > keyEnd) return { display: ' ', end: pos };
  return undefined;
}

const SET_BEFORE = /\bSET[ \t]+(?:(?:GLOBAL|SESSION|LOCAL)[ \t]+)?$/i;
/** fish `set -gx NAME value`, `aws configure set NAME value`. */
const SHELL_SET_BEFORE = /\bset[ \t]+(?:-{1,2}[A-Za-z]+[ \t]+)*$/;
/** Python annotation before the value: `secret: str = "…"`, `token: Optional[str] = "…"`. */
const ANNOTATION = /^[A-Za-z_][\w.]*(?:\[[\w., ]*\])?(?:[ \t]*\|[ \t]*None)?[ \t]*=(?!=)[ \t]*/;

function readOption(scan: ScanText, keyStart: number, keyEnd: number): Candidate | undefined {
  const { text, kind } = scan;
  let p = keyEnd;
  const opening = text[keyStart - 1];
  const keyQuoted = (opening === '"' || opening === "'" || opening === '`') && text[p] === opening;
  if (keyQuoted) p++;
  // Markdown emphasis around a key in prose: `**KEY_ID**: …`, `__R2_SECRET_KEY__ …`, `*secret* …`.
  else if (scan.prose && (opening === '*' || opening === '_')) while (text[p] === opening) p++;
  const closed = text[p] === ']' || text[p] === ')';
  if (closed) p++;
  const dollarDefault = text.startsWith('${', keyStart - 2) && (text.startsWith(':-', p) || text.startsWith(':=', p));
  const afterBlanks = dollarDefault ? p : skipBlanks(text, p);
  const separator = dollarDefault ? undefined : separatorAt(text, afterBlanks, keyEnd, scan.prose);
  if (!dollarDefault && !separator) return undefined;
  // Classified only now: most names the hint finds have no value after them.
  const name = text.slice(keyStart, keyEnd);
  const context = classifyKey(name);
  if (!context) return undefined;
  const fallback = separator !== undefined && (separator.display === ' or ' || separator.display === ' || ' || separator.display === ' ?? ');
  // `get("X")` then `or`: a fallback; `get("X") = …` or `("X") …` is no assignment to X.
  if (text[p - 1] === ')' && closed && !fallback) return undefined;
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
    if (separator.display === ' TO ') return undefined;
    value = readBare(text, p);
    if (!value) return undefined;
    if (separator.display === ' ') {
      // Blanks then a bare value: a command's argument (`set -gx KEY value`, `--secret value`), or
      // a value with a key's own shape (`-- secret 3f9a…` in a comment).
      const before = text.slice(nearStart, keyStart);
      const argument = (kind === 'shell' || kind === 'text' || kind === 'env') && (SHELL_SET_BEFORE.test(before) || before.endsWith('--'));
      if (!argument && !hasKeyShape(text.slice(value.valueStart, value.valueEnd))) return undefined;
    }
  }
  const bare = value.quote === '';
  const previous = text[keyStart - 1];
  const inUrlQuery = context.role === 'motherduck_token' && (previous === '?' || previous === '&');
  const setBefore = SET_BEFORE.test(text.slice(nearStart, keyStart));
  const where = setBefore
    ? `in SET ${name}${separator.display}${elided(value.quote)}`
    : inUrlQuery
      ? `in a MotherDuck connection string (${name}=\u2026)`
      : fallback
        ? `as the fallback of ${name}${separator.display}${elided(value.quote)}`
        : `in ${name}${separator.display}${elided(value.quote)}`;
  // A quoted key (`{"secret": …}`) is a dict or JSON key: where it stands is where its quote opens.
  const keyAt = keyQuoted ? keyStart - 1 : keyStart;
  const codeKind = bare && !BARE_KINDS.has(kind);
  const digit = /\d/.test(text.slice(value.valueStart, value.valueEnd));
  // In code, a bare word without a digit is a variable (`secret=secret_name`), never a random key.
  if (codeKind && !digit && context.role !== 'password') return undefined;
  // A bare password in code (`password=pw2`) is an expression: judgeValue drops it for bareCode.
  const bareCode = codeKind && isCodeOnLine(text, kind, lineStartOf(text, keyAt), keyAt);
  return make(value, {
    bare,
    bareCode,
    rule: 'option',
    where,
    kind: inUrlQuery ? 'password' : undefined,
  });
}
