// Recall and precision of the credential detector per kind, for the README (not a test; the unit
// test corpus.test.ts asserts the same numbers). Scores the labelled corpus (test/support/detect*)
// and the held-out set, with the generated values of one seed.
//
//   node scripts/detect-eval.mjs [--seed 1592644039] [--variants 2] [--details]
//
// Bundles src/core/detect and test/support with esbuild into a temporary file first (no tsc run).
import { requireTs } from './requireTs.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const { buildCorpus, DEFAULT_CORPUS_SEED, evaluate, formatEvaluation, HELD_OUT, CredentialFixtures } = await requireTs([
  "export { buildCorpus, DEFAULT_CORPUS_SEED } from './test/support/detectCorpus';",
  "export { evaluate, formatEvaluation } from './test/support/detectEvaluation';",
  "export { HELD_OUT } from './test/support/detectHeldOut';",
  "export { CredentialFixtures } from './test/support/credentialFixtures';",
]);

const seed = Number(arg('seed') ?? DEFAULT_CORPUS_SEED);
const variants = Number(arg('variants') ?? 2);
const details = process.argv.includes('--details');
const show = (title, cases) => {
  const text = formatEvaluation(evaluate(cases));
  const lines = text.split('\n');
  console.log(`### ${title}\n`);
  console.log((details ? lines : lines.filter((line) => !/^(miss|false alarm):/.test(line))).join('\n'));
  const problems = lines.filter((line) => /^(miss|false alarm):/.test(line)).length;
  if (!details && problems > 0) console.log(`\n(${problems} misses and false alarms; --details lists them)`);
  console.log('');
};

show(`Labelled corpus, seed ${seed}, ${variants} variants per template`, buildCorpus(seed, variants));
const fixtures = new CredentialFixtures(seed);
const heldOut = Object.entries(HELD_OUT).flatMap(([name, template]) =>
  Array.from({ length: variants }, (_, variant) => {
    const body = template(fixtures, variant);
    return { ...body, name: `${name} #${variant + 1}`, expected: body.expected ?? [] };
  }),
);
show('Held-out set (written after the rules)', heldOut);
