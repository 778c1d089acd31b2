/**
 * Recall and precision of the detector on the labelled corpus (positives in every file kind and
 * the hard negatives), printed as the README's table. The default seed always runs; a second seed,
 * random unless DUCKDB_SECRETS_DETECT_SEED is set, runs the same templates on fresh values.
 */
import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import { fileKindOf } from '../../../../src/core/detect/fileKind';
import { CredentialFixtures } from '../../../support/credentialFixtures';
import { buildCorpus, DEFAULT_CORPUS_SEED } from '../../../support/detectCorpus';
import { evaluate, formatEvaluation, precision, recall } from '../../../support/detectEvaluation';
import { HELD_OUT } from '../../../support/detectHeldOut';
import type { LabelledCase } from '../../../support/labelledCase';

const MIN_RECALL = 0.95;
const MIN_PRECISION = 0.95;

/**
 * On the fixed corpus (the default seed and the held-out set) the detector is exact: every value
 * found with a range that is the value's own, no false alarm. Fresh random values are held to the
 * scores only, since a rare value may fall on a rule's edge.
 */
function assertScores(cases: readonly LabelledCase[], label: string, exact = false): void {
  const evaluation = evaluate(cases);
  console.log(`      ${label}\n${formatEvaluation(evaluation).replace(/^/gm, '      ')}`);
  assert.ok(recall(evaluation.total) >= MIN_RECALL, `${label}: recall ${recall(evaluation.total)}`);
  assert.ok(precision(evaluation.total) >= MIN_PRECISION, `${label}: precision ${precision(evaluation.total)}`);
  for (const [kind, score] of evaluation.byKind) {
    assert.ok(recall(score) >= 0.9, `${label}: recall of ${kind} ${recall(score)}`);
    assert.ok(precision(score) >= 0.9, `${label}: precision of ${kind} ${precision(score)}`);
  }
  if (exact) {
    const problems = formatEvaluation(evaluation).split('\n').filter((line) => /^(miss|false alarm|off range): /.test(line));
    assert.deepEqual(problems, [], `${label}: every labelled value found exactly, nothing else`);
  }
}

describe('detect: labelled corpus', function () {
  this.timeout(60_000);

  it('has at least 150 cases over every file kind, with positives of every kind and hard negatives', () => {
    const cases = buildCorpus();
    assert.ok(cases.length >= 150, `${cases.length} cases`);
    const kinds = new Set(cases.map((c) => fileKindOf(c.fileName)));
    for (const kind of ['sql', 'python', 'yaml', 'dbt-profiles', 'dbt-project', 'env', 'shell', 'markdown', 'notebook', 'text']) assert.ok(kinds.has(kind as never), kind);
    const expectedKinds = new Set(cases.flatMap((c) => c.expected.map(([kind]) => kind)));
    assert.deepEqual([...expectedKinds].sort(), ['key_id', 'legacy_set', 'motherduck_token', 'password', 'secret', 'session_token']);
    assert.ok(cases.filter((c) => c.expected.length === 0).length >= 60, 'hard negatives');
  });

  it(`finds every labelled value with its exact range and nothing else (seed ${DEFAULT_CORPUS_SEED})`, () => {
    assertScores(buildCorpus(DEFAULT_CORPUS_SEED, 2), `seed ${DEFAULT_CORPUS_SEED}`, true);
  });

  it('scores the same on fresh values (another seed, printed for replay)', () => {
    const seed = Number(process.env.DUCKDB_SECRETS_DETECT_SEED ?? Math.floor(Math.random() * 2 ** 32));
    assertScores(buildCorpus(seed, 3), `seed ${seed} (replay with DUCKDB_SECRETS_DETECT_SEED=${seed})`);
  });

  it('finds every value of the held-out set, written after the rules, exactly and nothing else', () => {
    const fixtures = new CredentialFixtures(777);
    const cases = Object.entries(HELD_OUT).flatMap(([name, template]) =>
      [0, 1].map((variant): LabelledCase => {
        const body = template(fixtures, variant);
        return { ...body, name: `${name} #${variant + 1}`, expected: body.expected ?? [] };
      }),
    );
    assertScores(cases, 'held-out set', true);
  });

  it('a negative case really is one: the evaluation counts a finding on it as a false alarm', () => {
    const negative: LabelledCase = { name: 'planted', fileName: '.env', text: `R2_SECRET_KEY=${new CredentialFixtures(1).r2Secret()}\n`, expected: [] };
    const evaluation = evaluate([negative]);
    assert.equal(evaluation.falseAlarms.length, 1);
    assert.equal(precision(evaluation.total), 0);
  });

  it('a value found with a range wider than the value is reported off range', () => {
    const value = new CredentialFixtures(2).r2Secret();
    const text = `R2_SECRET_KEY=${value}\n`;
    const at = text.indexOf(value);
    const wide = (t: string, kind: Parameters<typeof detectCredentials>[1]) => detectCredentials(t, kind).map((f) => ({ ...f, start: f.start - 1 }));
    const evaluation = evaluate([{ name: 'wide', fileName: '.env', text, expected: [['secret', value]] }], wide);
    assert.deepEqual(evaluation.offRange.map((p) => p.detail), [`${at - 1}-${at + value.length} for ${at}-${at + value.length}`]);
    assert.equal(evaluation.misses.length, 0);
  });
});
