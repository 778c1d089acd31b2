// The mutation score per core folder and over all of src/core, from one or more Stryker JSON
// reports (`npm run test:mutation` writes reports/mutation/mutation.json; the mutation workflow
// runs one folder per runner and merges theirs). `--check` exits 1 when the goal is missed:
// at least 90 % detected over src/core and no file under 85 %.
//   node scripts/mutation-summary.mjs [--check] report.json...
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
export const GOAL = { overall: 90, perFile: 85 };

/** Per file and per folder (relative to `root`): detected and counted mutants, from Stryker reports' `files`. */
export function summarize(reports, root) {
  const files = new Map();
  for (const report of reports) {
    for (const [file, { mutants }] of Object.entries(report.files)) {
      const name = path.relative(root, path.resolve(root, file));
      files.set(name, { detected: mutants.filter((m) => DETECTED.has(m.status)).length, total: mutants.filter((m) => COUNTED.has(m.status)).length });
    }
  }
  const folders = new Map();
  for (const [file, counts] of files) {
    const folder = path.dirname(file);
    const entry = folders.get(folder) ?? { detected: 0, total: 0, files: [] };
    entry.detected += counts.detected;
    entry.total += counts.total;
    entry.files.push({ file: path.basename(file), ...counts, score: score(counts) });
    folders.set(folder, entry);
  }
  const all = [...files.values()].reduce((sum, c) => ({ detected: sum.detected + c.detected, total: sum.total + c.total }), { detected: 0, total: 0 });
  return { files, folders, all };
}

const score = ({ detected, total }) => (total ? (100 * detected) / total : 100);

/** The markdown table the README and the workflow's summary show. */
export function table({ folders, all }) {
  const lines = ['| folder | detected | mutants | lowest file |', '|---|---|---|---|'];
  for (const [folder, entry] of [...folders].sort()) {
    const lowest = [...entry.files].sort((a, b) => a.score - b.score)[0];
    lines.push(`| ${folder} | ${score(entry).toFixed(1)} % | ${entry.total} | ${lowest.file} ${lowest.score.toFixed(1)} % |`);
  }
  lines.push(`| **src/core** | **${score(all).toFixed(1)} %** | ${all.total} | |`);
  return lines.join('\n');
}

/** What misses the goal, one line each; empty when it is met. */
export function misses({ files, all }) {
  const out = [];
  if (score(all) < GOAL.overall) out.push(`src/core: ${score(all).toFixed(1)} % detected, goal ${GOAL.overall} %`);
  for (const [file, counts] of [...files].sort()) if (score(counts) < GOAL.perFile) out.push(`${file}: ${score(counts).toFixed(1)} %, goal ${GOAL.perFile} %`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const paths = args.filter((a) => a !== '--check');
  if (paths.length === 0) {
    console.error('usage: node scripts/mutation-summary.mjs [--check] report.json...');
    process.exit(2);
  }
  const summary = summarize(paths.map((p) => JSON.parse(fs.readFileSync(p, 'utf8'))), process.cwd());
  console.log(table(summary));
  const missed = misses(summary);
  if (missed.length > 0) console.log(`\nBelow the goal (${GOAL.overall} % over src/core, no file under ${GOAL.perFile} %):\n${missed.map((m) => `- ${m}`).join('\n')}`);
  if (check && missed.length > 0) process.exit(1);
}
