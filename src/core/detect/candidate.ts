/**
 * What each rule hands the detector before the value is judged: where the value is (offsets in the
 * text the rule scanned), what the context says it should be, and how the message names the place.
 */
import type { FileKind } from './fileKind';
import type { CredentialRole, KnownCredential, Provider, QuoteStyle, RuleId } from './finding';

/** One stretch of a file scanned in one syntax (a whole SQL file, a notebook cell, a Markdown fence). */
export interface ScanText {
  readonly text: string;
  readonly kind: FileKind;
  /** Markdown prose and unknown files: free text, where a bare password needs a digit or a symbol. */
  readonly prose: boolean;
}

/** A stretch that maps its offsets back to the file's. */
export interface Segment extends ScanText {
  /** The file offsets of [start, end) in this segment's text. */
  toFile(start: number, end: number): { start: number; end: number };
  /** The text sits inside a JSON string in the file (a notebook cell). */
  readonly jsonEscaped: boolean;
}

export interface Candidate {
  readonly role: CredentialRole | 'either';
  /** Overrides the kind the role gives: `legacy_set` (SET s3_…), `password` (md:?motherduck_token=…). */
  readonly kind?: 'legacy_set' | 'password';
  readonly provider?: Provider;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly literalStart: number;
  readonly literalEnd: number;
  readonly quote: QuoteStyle;
  /** Unquoted: `.env`, YAML, shell, a connection string. */
  readonly bare: boolean;
  /** Unquoted in SQL or Python code, outside strings and comments: `password=pw` is an expression. */
  readonly bareCode: boolean;
  readonly rule: RuleId;
  readonly contextKey?: string;
  /** How the message names the place, after "hardcoded": `in SECRET '…'` (may be empty). Never the value. */
  readonly where: string;
  /** A plain `token` key: only a JWT where MotherDuck is mentioned. */
  readonly needsMotherDuck?: boolean;
  /** The key without case or separators, so `R2_SECRET_KEY=R2_SECRET_KEY` is no finding. */
  readonly keyNormalized?: string;
  readonly fString?: boolean;
  /** Set by the known-credentials rule: the stored credential the value equals. */
  readonly known?: KnownCredential;
}

/** `'…'`, `"…"` or `…`: the literal as the message shows it. */
export function elided(quote: QuoteStyle): string {
  return `${quote}\u2026${quote}`;
}
