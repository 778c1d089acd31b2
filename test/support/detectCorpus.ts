/**
 * The labelled corpus for the detector, built at test time from templates and a seed: positives in
 * every file kind the issue names and the hard negatives. Each template runs in a few variants
 * (quotes, spacing, providers) with fresh values, so the same shape is never tested on one value.
 */
import { CredentialFixtures } from './credentialFixtures';
import { PYTHON_POSITIVES, SQL_POSITIVES } from './detectCorpusCode';
import { ENV_POSITIVES, SHELL_POSITIVES, YAML_POSITIVES } from './detectCorpusConfig';
import { DOC_POSITIVES } from './detectCorpusDocs';
import { NEGATIVES } from './detectCorpusNegatives';
import type { LabelledCase } from './labelledCase';

export const DEFAULT_CORPUS_SEED = 0x5eed_d1c7;

const POSITIVE_SETS = [SQL_POSITIVES, PYTHON_POSITIVES, YAML_POSITIVES, ENV_POSITIVES, SHELL_POSITIVES, DOC_POSITIVES];

/** Every template in `variants` variants; positives and negatives alike. */
export function buildCorpus(seed = DEFAULT_CORPUS_SEED, variants = 2): LabelledCase[] {
  const fixtures = new CredentialFixtures(seed);
  const cases: LabelledCase[] = [];
  for (const set of [...POSITIVE_SETS, NEGATIVES]) {
    for (const [name, template] of Object.entries(set)) {
      for (let variant = 0; variant < variants; variant++) {
        const body = template(fixtures, variant);
        cases.push({ ...body, name: `${name} #${variant + 1}`, expected: body.expected ?? [] });
      }
    }
  }
  return cases;
}
