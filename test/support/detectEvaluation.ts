/**
 * Scores the detector on a labelled corpus: each expected value (every occurrence of it) must be
 * covered by a finding of the expected kind; every other finding is a false alarm. Recall and
 * precision overall and per kind, plus the misses and false alarms by case name and position (never
 * by value), for the unit test, `scripts/detect-eval.mjs` and the README.
 */
import { detectCredentials } from '../../src/core/detect/detectCredentials';
import { fileKindOf } from '../../src/core/detect/fileKind';
import type { Finding, FindingKind } from '../../src/core/detect/finding';
import type { LabelledCase } from './labelledCase';

export interface Score {
  expected: number;
  found: number;
  truePositives: number;
  /** Findings of this kind that matched (counted on the finding side, for precision). */
  correctFindings: number;
}

export interface Problem {
  readonly caseName: string;
  readonly kind: FindingKind;
  readonly line: number;
  readonly detail: string;
}

export interface Evaluation {
  readonly cases: number;
  readonly positiveCases: number;
  readonly negativeCases: number;
  readonly total: Score;
  readonly byKind: ReadonlyMap<FindingKind, Score>;
  readonly misses: readonly Problem[];
  readonly falseAlarms: readonly Problem[];
  /** Values found, but with a range that is not exactly the value's (the squiggle and the fix would be off). */
  readonly offRange: readonly Problem[];
}

const emptyScore = (): Score => ({ expected: 0, found: 0, truePositives: 0, correctFindings: 0 });

export const recall = (s: Score): number => (s.expected === 0 ? 1 : s.truePositives / s.expected);
export const precision = (s: Score): number => (s.found === 0 ? 1 : s.correctFindings / s.found);

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function evaluate(cases: readonly LabelledCase[], detect = detectCredentials): Evaluation {
  const byKind = new Map<FindingKind, Score>();
  const scoreOf = (kind: FindingKind): Score => {
    let score = byKind.get(kind);
    if (!score) byKind.set(kind, (score = emptyScore()));
    return score;
  };
  const total = emptyScore();
  const misses: Problem[] = [];
  const falseAlarms: Problem[] = [];
  const offRange: Problem[] = [];
  for (const labelled of cases) {
    const findings: Finding[] = detect(labelled.text, fileKindOf(labelled.fileName));
    const matched = new Set<Finding>();
    for (const [kind, value] of labelled.expected) {
      for (let at = labelled.text.indexOf(value); at >= 0; at = labelled.text.indexOf(value, at + value.length)) {
        const end = at + value.length;
        const hit = findings.find((f) => f.kind === kind && f.start < end && at < f.end);
        scoreOf(kind).expected++;
        total.expected++;
        if (hit) {
          matched.add(hit);
          if (hit.start !== at || hit.end !== end) offRange.push({ caseName: labelled.name, kind, line: lineOf(labelled.text, at), detail: `${hit.start}-${hit.end} for ${at}-${end}` });
          scoreOf(kind).truePositives++;
          total.truePositives++;
        } else {
          const other = findings.find((f) => f.start < end && at < f.end);
          misses.push({ caseName: labelled.name, kind, line: lineOf(labelled.text, at), detail: other ? `found as ${other.kind}` : 'not found' });
        }
      }
    }
    for (const finding of findings) {
      scoreOf(finding.kind).found++;
      total.found++;
      if (matched.has(finding)) {
        scoreOf(finding.kind).correctFindings++;
        total.correctFindings++;
      } else {
        falseAlarms.push({ caseName: labelled.name, kind: finding.kind, line: finding.range.start.line, detail: `${finding.rule}: ${finding.message}` });
      }
    }
  }
  return {
    cases: cases.length,
    positiveCases: cases.filter((c) => c.expected.length > 0).length,
    negativeCases: cases.filter((c) => c.expected.length === 0).length,
    total,
    byKind,
    misses,
    falseAlarms,
    offRange,
  };
}

const percent = (n: number): string => `${(n * 100).toFixed(1)} %`;

/** A Markdown table: kind, expected, found, recall, precision; then the total. */
export function formatEvaluation(evaluation: Evaluation): string {
  const rows = [...evaluation.byKind.entries()].sort(([a], [b]) => a.localeCompare(b));
  const lines = [
    `${evaluation.cases} cases (${evaluation.positiveCases} with credentials, ${evaluation.negativeCases} hard negatives)`,
    '',
    '| kind | expected | found | recall | precision |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(([kind, s]) => `| ${kind} | ${s.expected} | ${s.found} | ${percent(recall(s))} | ${percent(precision(s))} |`),
    `| **all** | ${evaluation.total.expected} | ${evaluation.total.found} | ${percent(recall(evaluation.total))} | ${percent(precision(evaluation.total))} |`,
  ];
  for (const miss of evaluation.misses) lines.push(`miss: ${miss.caseName} (${miss.kind}, line ${miss.line + 1}): ${miss.detail}`);
  for (const alarm of evaluation.falseAlarms) lines.push(`false alarm: ${alarm.caseName} (${alarm.kind}, line ${alarm.line + 1}): ${alarm.detail}`);
  for (const off of evaluation.offRange) lines.push(`off range: ${off.caseName} (${off.kind}, line ${off.line + 1}): ${off.detail}`);
  return lines.join('\n');
}
