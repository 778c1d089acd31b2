/**
 * `CREATE [OR REPLACE] [PERSISTENT|TEMPORARY] SECRET [IF NOT EXISTS] [name] [IN storage] (…)`:
 * the statement's range and its fields, so "Store in a credential profile" can take a whole
 * statement (key id, secret and account id make a profile) and replace it. Values of credential
 * fields are located, never copied; other fields (type, region, account id, scope…) keep their text.
 */
import { elided, type Candidate, type ScanText } from './candidate';
import { classifyKey } from './contextKeys';
import type { Provider, QuoteStyle, SecretStatement } from './finding';

export interface ParsedField {
  readonly name: string;
  readonly key: string;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly literalStart: number;
  readonly literalEnd: number;
  readonly quote: QuoteStyle;
  readonly text?: string;
}

/** A SecretStatement before its offsets become spans (finding.ts). */
export interface ParsedStatement extends Omit<SecretStatement, 'range' | 'fields'> {
  readonly start: number;
  readonly end: number;
  readonly fields: readonly ParsedField[];
}

const CREATE_SECRET = /\bCREATE\s+(OR\s+REPLACE\s+)?(?:(PERSISTENT|TEMPORARY|TEMP)\s+)?SECRET\b/gi;
const CREDENTIAL_FIELDS = new Set([
  'key_id',
  'secret',
  'session_token',
  'token',
  'password',
  'client_secret',
  'connection_string',
  'account_key',
  'motherduck_token',
  'refresh_token',
  'bearer_token',
]);
const MAX_STATEMENT = 8000;

class Reader {
  constructor(
    readonly text: string,
    public pos: number,
    readonly limit: number,
  ) {}

  /** Blanks, line breaks and `--` comments. */
  skip(): void {
    for (;;) {
      while (this.pos < this.limit && /\s/.test(this.text.charAt(this.pos))) this.pos++;
      if (!this.text.startsWith('--', this.pos)) return;
      const eol = this.text.indexOf('\n', this.pos);
      // Stryker disable next-line EqualityOperator: the comment starts past offset 0, so its line break is never at 0
      this.pos = eol < 0 ? this.limit : eol + 1;
    }
  }

  word(): string | undefined {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos, this.pos + 128));
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  keyword(word: string): boolean {
    const here = this.text.slice(this.pos, this.pos + word.length + 1);
    if (here.slice(0, word.length).toUpperCase() !== word || /[A-Za-z0-9_]/.test(here.charAt(word.length))) return false;
    this.pos += word.length;
    return true;
  }

  /** A SQL string: `'…'` with `''` inside, or a `"…"` identifier. */
  quoted(): { start: number; end: number; quote: QuoteStyle } | undefined {
    const q = this.text[this.pos];
    if (q !== "'" && q !== '"') return undefined;
    let i = this.pos + 1;
    while (i < this.limit) {
      if (this.text[i] === q) {
        if (this.text[i + 1] === q) {
          i += 2;
          continue;
        }
        const result = { start: this.pos + 1, end: i, quote: q as QuoteStyle };
        this.pos = i + 1;
        return result;
      }
      i++;
    }
    return undefined;
  }

  /** Skips a balanced `(…)`, `{…}` or `[…]` (a list, a MAP, a Jinja expression), quotes respected. */
  balanced(): boolean {
    const open = this.text[this.pos];
    const close = open === '(' ? ')' : open === '{' ? '}' : open === '[' ? ']' : undefined;
    if (!close) return false;
    let depth = 0;
    while (this.pos < this.limit) {
      const c = this.text[this.pos];
      if (c === "'" || c === '"') {
        // Stryker disable next-line BooleanLiteral: stopped at a quote left open, the caller finds no `,` or `)` next and gives up alike
        if (!this.quoted()) return false;
        continue;
      }
      if (c === open) depth++;
      else if (c === close && --depth === 0) {
        this.pos++;
        return true;
      }
      this.pos++;
    }
    return false;
  }
}

export function findSecretStatements(scan: ScanText): ParsedStatement[] {
  const { text } = scan;
  const out: ParsedStatement[] = [];
  const create = new RegExp(CREATE_SECRET.source, CREATE_SECRET.flags);
  let match: RegExpExecArray | null;
  while ((match = create.exec(text)) !== null) {
    const statement = parseStatement(text, match);
    if (statement) {
      out.push(statement);
      create.lastIndex = statement.end;
    }
  }
  return out;
}

function parseStatement(text: string, match: RegExpExecArray): ParsedStatement | undefined {
  const start = match.index;
  const r = new Reader(text, start + match[0].length, Math.min(text.length, start + MAX_STATEMENT));
  r.skip();
  if (r.keyword('IF')) {
    r.skip();
    if (!r.keyword('NOT')) return undefined;
    r.skip();
    if (!r.keyword('EXISTS')) return undefined;
    r.skip();
  }
  let name: string | undefined;
  if (text[r.pos] === '"') {
    const q = r.quoted();
    if (q) name = text.slice(q.start, q.end);
  } else name = r.word();
  r.skip();
  let storage: string | undefined;
  if (r.keyword('IN')) {
    r.skip();
    storage = r.word()?.toLowerCase();
    r.skip();
  }
  if (text[r.pos] !== '(') return undefined;
  r.pos++;
  const fields: ParsedField[] = [];
  for (;;) {
    r.skip();
    if (text[r.pos] === ')') break;
    const key = r.word();
    if (!key) return undefined;
    r.skip();
    const valueAt = r.pos;
    const q = r.quoted();
    if (q) {
      const lower = key.toLowerCase();
      const field = { name: key, key: lower, valueStart: q.start, valueEnd: q.end, literalStart: valueAt, literalEnd: r.pos, quote: q.quote };
      fields.push(CREDENTIAL_FIELDS.has(lower) ? field : { ...field, text: text.slice(q.start, q.end) });
    } else if (r.balanced()) {
      // A list, a MAP or a Jinja expression: no single value to show.
    } else {
      // A value that starts with a quote or a bracket is one left open: no statement.
      const word = r.word() ?? /^[^\s,()'"[\]{}]+/.exec(text.slice(r.pos, r.pos + 256))?.[0];
      if (!word) return undefined;
      r.pos = valueAt + word.length;
      const end = r.pos;
      if (text[r.pos] === '(' && !r.balanced()) return undefined;
      const literalEnd = r.pos;
      r.skip();
      // `MAP {'Authorization': '…'}`: a map, no single value to show either.
      if (word.toUpperCase() === 'MAP' && text[r.pos] === '{') {
        if (!r.balanced()) return undefined;
      } else fields.push({ name: key, key: key.toLowerCase(), valueStart: valueAt, valueEnd: end, literalStart: valueAt, literalEnd, quote: '', text: word });
    }
    r.skip();
    if (text[r.pos] === ',') {
      r.pos++;
      continue;
    }
    if (text[r.pos] === ')') break;
    return undefined;
  }
  r.pos++;
  const afterParen = r.pos;
  r.skip();
  const end = text[r.pos] === ';' ? r.pos + 1 : afterParen;
  const persistenceWord = match[2]?.toLowerCase();
  // Stryker disable next-line OptionalChaining: a TYPE field, never a credential field, always keeps its text
  const type = fields.find((f) => f.key === 'type')?.text?.toLowerCase();
  return {
    start,
    end,
    ...(name ? { name } : {}),
    ...(storage ? { storage } : {}),
    ...(persistenceWord ? { persistence: persistenceWord === 'persistent' ? ('persistent' as const) : ('temporary' as const) } : {}),
    orReplace: match[1] !== undefined,
    ...(type ? { type } : {}),
    provider: providerOf(type, fields),
    fields,
  };
}

function providerOf(type: string | undefined, fields: readonly ParsedField[]): Provider {
  // Stryker disable next-line StringLiteral: any text without the R2 host does as the default
  const endpoint = fields.find((f) => f.key === 'endpoint')?.text ?? '';
  if (type === 'r2' || /r2\.cloudflarestorage\.com/i.test(endpoint)) return 'r2';
  if (type === 's3' || type === 'aws') return 'aws';
  if (type === 'gcs' || type === 'gcp') return 'gcs';
  if (type === 'azure') return 'azure';
  if (type === 'motherduck') return 'motherduck';
  return 'unknown';
}

/** Credential fields as candidates, for values the line-based rules cannot see (on another line). */
export function statementCandidates(statements: readonly ParsedStatement[]): Candidate[] {
  // Stryker disable next-line ArrayDeclaration: a stray non-candidate has no role, and judgeValue drops a value without one
  const out: Candidate[] = [];
  for (const statement of statements) {
    for (const field of statement.fields) {
      if (field.quote === '') continue;
      const context = classifyKey(field.name);
      if (!context || (context.role === 'account_id' && statement.provider !== 'r2' && statement.provider !== 'unknown')) continue;
      out.push({
        role: context.role,
        // The statement's TYPE, else what the key says (values of either shape may belong to several providers).
        provider: statement.provider !== 'unknown' ? statement.provider : context.provider,
        needsMotherDuck: context.needsMotherDuck && statement.provider !== 'motherduck',
        valueStart: field.valueStart,
        valueEnd: field.valueEnd,
        literalStart: field.literalStart,
        literalEnd: field.literalEnd,
        quote: field.quote,
        bare: false,
        bareCode: false,
        rule: 'statement',
        contextKey: field.name,
        keyNormalized: context.normalized,
        where: `in ${field.name} ${elided(field.quote)}`,
      });
    }
  }
  return out;
}
