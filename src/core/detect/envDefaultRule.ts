/**
 * Defaults of lookups: `os.getenv('R2_SECRET_KEY', '…')`, `os.environ.get("X", "…")`,
 * `{{ env_var('R2_SECRET_KEY', '…') }}`, `{{ var('r2_secret', '…') }}`, `config.get('secret_key', '…')`,
 * `getenv('X', default='…')`; and setters with a credential name (`spark.conf.set("fs.s3a.secret.key", "…")`).
 * The reference is fine; the default (or the value set) is a value in the file.
 */
import { elided, type Candidate, type ScanText } from './candidate';
import { classifyKey } from './contextKeys';
import { readQuoted } from './literals';

const LOOKUP = /(?<![\w$])(getenv|env_var|var|get|setdefault|getEnv|get_env|set|put)[ \t]*\(/g;
/** Calls that set the value rather than fall back to it. */
const SETTERS: ReadonlySet<string> = new Set(['set', 'put', 'setdefault']);

/** Blanks including line breaks, but not too many (arguments on their own lines). */
function skipSpace(text: string, pos: number): number {
  let p = pos;
  const limit = Math.min(text.length, pos + 200);
  while (p < limit && /\s/.test(text.charAt(p))) p++;
  return p;
}

export function envDefaultCandidates(scan: ScanText): Candidate[] {
  const { text } = scan;
  /** Python's string prefixes: `os.getenv(f"{STAGE}_SECRET_KEY", r"…")`. */
  const python = scan.kind === 'python';
  const out: Candidate[] = [];
  const lookup = new RegExp(LOOKUP.source, LOOKUP.flags);
  let match: RegExpExecArray | null;
  while ((match = lookup.exec(text)) !== null) {
    // Stryker disable next-line StringLiteral: group 1 is not optional, so it is there on every match
    const call = match[1] ?? '';
    const nameLiteral = readQuoted(text, skipSpace(text, match.index + match[0].length), python);
    if (!nameLiteral) continue;
    const name = text.slice(nameLiteral.valueStart, nameLiteral.valueEnd);
    const context = classifyKey(name);
    if (!context) continue;
    let p = skipSpace(text, nameLiteral.literalEnd);
    if (text[p] !== ',') continue;
    p = skipSpace(text, p + 1);
    const keyword = /^(?:default|default_var)[ \t]*=[ \t]*/.exec(text.slice(p, p + 24));
    if (keyword) p += keyword[0].length;
    const value = readQuoted(text, p, python);
    if (!value) continue;
    const q = nameLiteral.quote;
    out.push({
      role: context.role,
      ...(context.legacy ? { kind: 'legacy_set' as const } : {}),
      ...(context.provider ? { provider: context.provider } : {}),
      ...(context.needsMotherDuck ? { needsMotherDuck: true } : {}),
      valueStart: value.valueStart,
      valueEnd: value.valueEnd,
      literalStart: value.literalStart,
      literalEnd: value.literalEnd,
      quote: value.quote,
      bare: false,
      bareCode: false,
      rule: 'env-default',
      contextKey: name,
      keyNormalized: context.normalized,
      where: `${SETTERS.has(call) ? 'in' : 'as the default of'} ${call}(${q}${name}${q}, ${elided(value.quote)})`,
      ...(value.fString ? { fString: true } : {}),
    });
    lookup.lastIndex = value.literalEnd;
  }
  return out;
}
