/**
 * The detector: every rule over every stretch of the file, each value judged, overlaps resolved
 * (a named context beats a bare shape), `duckdb-secrets: ignore` applied, offsets turned into LSP
 * positions. Plain Node, no editor: the language server and `duckdb-secrets scan` both call it.
 */
import type { Candidate, Segment } from './candidate';
import { judgeValue } from './credentialValue';
import { envDefaultCandidates } from './envDefaultRule';
import type { FileKind } from './fileKind';
import {
  DEFAULT_DETECT_ENV_NAMES,
  type CredentialRole,
  type DetectOptions,
  type Finding,
  type FindingKind,
  type KnownCredential,
  type Provider,
  type RuleId,
  type SecretStatement,
} from './finding';
import { envVarFor, findingMessage } from './findingText';
import { knownCandidates } from './knownCredentials';
import { labelCandidates } from './labelRule';
import { LineIndex } from './lineIndex';
import { optionCandidates } from './optionRule';
import { findSecretStatements, statementCandidates, type ParsedStatement } from './secretStatements';
import { segmentsOf } from './segments';
import { mentionsMotherDuck, shapeCandidates } from './shapeRule';
import { urlPasswordCandidates } from './urlPasswordRule';
import { JWT, isMotherDuckJwt } from './valueShape';

interface Item {
  readonly candidate: Candidate;
  readonly segment: Segment;
  readonly role: CredentialRole;
  readonly provider: Provider;
  readonly kind: FindingKind;
  known?: KnownCredential;
  /** File offsets of the value, for ordering, overlaps and ignore comments. */
  readonly start: number;
  readonly end: number;
}

/** A named context beats a value's shape alone, which beats equality with a stored value. */
const PRIORITY: Readonly<Record<RuleId, number>> = { option: 3, 'env-default': 3, 'url-password': 3, statement: 2, shape: 1, known: 0 };

const IGNORE = /duckdb-secrets:[ \t]*ignore/gi;

export function detectCredentials(text: string, fileKind: FileKind, options: DetectOptions = {}): Finding[] {
  const segments = segmentsOf(text, fileKind);
  let mentions: boolean | undefined;
  const motherDuck = (): boolean => (mentions ??= mentionsMotherDuck(text));
  const items: Item[] = [];
  const statements = new Map<Segment, ParsedStatement[]>();
  for (const segment of segments) {
    const parsed = findSecretStatements(segment);
    statements.set(segment, parsed);
    const candidates = [
      ...optionCandidates(segment),
      ...labelCandidates(segment),
      ...envDefaultCandidates(segment),
      ...urlPasswordCandidates(segment),
      ...statementCandidates(parsed),
      ...shapeCandidates(segment, motherDuck),
    ];
    for (const candidate of candidates) {
      const item = judge(candidate, segment, statementAt(parsed, candidate.valueStart), motherDuck, options.accountIdHints === true);
      if (item) items.push(item);
    }
    if (options.knownHashes) {
      for (const candidate of knownCandidates(segment, options.knownHashes)) {
        const { start, end } = segment.toFile(candidate.valueStart, candidate.valueEnd);
        const { role, known } = candidate;
        items.push({ candidate, segment, role, provider: candidate.provider ?? 'unknown', kind: role, known, start, end });
      }
    }
  }
  // Stryker disable next-line ConditionalExpression: a shortcut; with no items the steps below give [] too
  if (items.length === 0) return [];
  const lines = new LineIndex(text);
  const ignored = ignoredLines(text, lines);
  const kept = resolveOverlaps(items).filter((item) => !ignored.has(lines.lineAt(item.start)));
  const names = { ...DEFAULT_DETECT_ENV_NAMES, ...options.envNames };
  const shared = new Map<ParsedStatement, SecretStatement>();
  return kept.map((item) => {
    const { candidate, segment } = item;
    const literal = segment.toFile(candidate.literalStart, candidate.literalEnd);
    // Stryker disable next-line ArrayDeclaration: for the types; every segment's statements were stored above
    const parsed = statementAt(statements.get(segment) ?? [], candidate.valueStart);
    const statement = parsed ? statementSpan(parsed, segment, lines, shared) : undefined;
    const known = item.known;
    const message = findingMessage({ kind: item.kind, role: item.role, provider: item.provider, where: candidate.where, ...(known ? { known } : {}) });
    const envVar = envVarFor(item.role, item.provider, candidate.contextKey, names);
    return {
      kind: item.kind,
      role: item.role,
      provider: item.provider,
      severity: item.kind === 'account_id' ? 'information' : 'warning',
      message,
      start: item.start,
      end: item.end,
      range: lines.rangeOf(item.start, item.end),
      literal: lines.span(literal.start, literal.end),
      quote: candidate.quote,
      syntax: segment.kind,
      ...(candidate.contextKey ? { contextKey: candidate.contextKey } : {}),
      ...(envVar ? { envVar } : {}),
      rule: candidate.rule,
      ...(known ? { known } : {}),
      ...(statement ? { statement } : {}),
      ...(segment.jsonEscaped ? { jsonEscaped: true } : {}),
    };
  });
}

/** The statement holding `offset`, by binary search (statements come in text order, never nested). */
function statementAt(statements: readonly ParsedStatement[], offset: number): ParsedStatement | undefined {
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const statement = statements[mid];
    // Stryker disable next-line ConditionalExpression: for the types; mid is always within the array
    if (!statement) return undefined;
    if (offset < statement.start) high = mid - 1;
    else if (offset >= statement.end) low = mid + 1;
    else return statement;
  }
  return undefined;
}

function judge(candidate: Candidate, segment: Segment, statement: ParsedStatement | undefined, motherDuck: () => boolean, accountIdHints: boolean): Item | undefined {
  const value = segment.text.slice(candidate.valueStart, candidate.valueEnd);
  if (candidate.fString && value.includes('{')) return undefined;
  if (candidate.needsMotherDuck && !(JWT.test(value) && (isMotherDuckJwt(value) || motherDuck()))) return undefined;
  const judged = judgeValue(value, {
    role: candidate.role,
    bareCode: candidate.bareCode,
    bareProse: candidate.bare && segment.prose,
    ...(candidate.keyNormalized ? { keyNormalized: candidate.keyNormalized } : {}),
    // The key's provider (`R2_SECRET_KEY`), else the statement's TYPE (`SECRET` in a `TYPE gcs` secret).
    ...(candidate.provider ? { provider: candidate.provider } : statement && statement.provider !== 'unknown' ? { provider: statement.provider } : {}),
  });
  if (!judged) return undefined;
  if (judged.role === 'account_id' && !accountIdHints) return undefined;
  const kind: FindingKind = candidate.kind ?? judged.role;
  const { start, end } = segment.toFile(candidate.valueStart, candidate.valueEnd);
  return { candidate, segment, role: judged.role, provider: judged.provider, kind, start, end };
}

/** Every `CREATE SECRET (…)` statement in the file, with or without a finding in it. */
export function secretStatementsIn(text: string, fileKind: FileKind): SecretStatement[] {
  const lines = new LineIndex(text);
  const shared = new Map<ParsedStatement, SecretStatement>();
  return segmentsOf(text, fileKind).flatMap((segment) => findSecretStatements(segment).map((parsed) => statementSpan(parsed, segment, lines, shared)));
}

/**
 * Of two rules of the same priority the one that read more of the key name says more: `GCS secret:`
 * (the label rule) names the provider where `secret:` (the option rule) leaves it to the value's shape.
 */
function outranks(a: Item, b: Item): boolean {
  const byRule = PRIORITY[a.candidate.rule] - PRIORITY[b.candidate.rule];
  return byRule > 0 || (byRule === 0 && (a.candidate.contextKey?.length ?? 0) > (b.candidate.contextKey?.length ?? 0));
}

/** Sorted by position; of overlapping items the one that outranks the other stays and inherits `known`. */
function resolveOverlaps(items: Item[]): Item[] {
  const sorted = [...items].sort((a, b) => a.start - b.start || PRIORITY[b.candidate.rule] - PRIORITY[a.candidate.rule] || b.end - a.end);
  const kept: Item[] = [];
  for (const item of sorted) {
    const previous = kept[kept.length - 1];
    if (!previous || item.start >= previous.end) {
      kept.push(item);
      continue;
    }
    const winner = outranks(item, previous) ? item : previous;
    const loser = winner === item ? previous : item;
    if (loser.known && !winner.known) winner.known = loser.known;
    kept[kept.length - 1] = winner;
  }
  return kept;
}

/** Lines with a `duckdb-secrets: ignore` comment, and the lines right after them. */
function ignoredLines(text: string, lines: LineIndex): Set<number> {
  const out = new Set<number>();
  const re = new RegExp(IGNORE.source, IGNORE.flags);
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    const line = lines.lineAt(match.index);
    out.add(line);
    out.add(line + 1);
  }
  return out;
}

function statementSpan(parsed: ParsedStatement, segment: Segment, lines: LineIndex, shared: Map<ParsedStatement, SecretStatement>): SecretStatement {
  const existing = shared.get(parsed);
  if (existing) return existing;
  const span = (start: number, end: number) => {
    const file = segment.toFile(start, end);
    return lines.span(file.start, file.end);
  };
  const statement: SecretStatement = {
    range: span(parsed.start, parsed.end),
    ...(parsed.name ? { name: parsed.name } : {}),
    ...(parsed.storage ? { storage: parsed.storage } : {}),
    ...(parsed.persistence ? { persistence: parsed.persistence } : {}),
    orReplace: parsed.orReplace,
    ...(parsed.type ? { type: parsed.type } : {}),
    provider: parsed.provider,
    fields: parsed.fields.map((field) => ({
      name: field.name,
      key: field.key,
      value: span(field.valueStart, field.valueEnd),
      literal: span(field.literalStart, field.literalEnd),
      quote: field.quote,
      ...(field.text !== undefined ? { text: field.text } : {}),
    })),
  };
  shared.set(parsed, statement);
  return statement;
}
