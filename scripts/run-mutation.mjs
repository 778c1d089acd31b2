// `npm run test:mutation`: StrykerJS over src/core with the unit tier (mocha runner, per-test
// coverage, incremental), HOME isolated as in the unit tier, then a score per core folder from
// reports/mutation/mutation.json. Takes tens of minutes on 2 cores: a benchmark-style job, not
// part of `npm test`. Extra arguments go to `stryker run` (e.g. `-- --mutate src/core/bucket/**/*.ts`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { isolatedHome } from './isolatedHome.mjs';

const home = await isolatedHome();
const run = spawnSync('npx', ['stryker', 'run', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...home.env } });
home.remove();

const report = path.join(repoRoot, 'reports', 'mutation', 'mutation.json');
if (fs.existsSync(report)) {
  const { files } = JSON.parse(fs.readFileSync(report, 'utf8'));
  const detected = new Set(['Killed', 'Timeout']);
  const counted = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
  const byFolder = new Map();
  for (const [file, { mutants }] of Object.entries(files)) {
    const folder = path.dirname(path.relative(repoRoot, path.resolve(repoRoot, file)));
    const entry = byFolder.get(folder) ?? { detected: 0, total: 0, files: [] };
    const fileDetected = mutants.filter((m) => detected.has(m.status)).length;
    const fileTotal = mutants.filter((m) => counted.has(m.status)).length;
    entry.detected += fileDetected;
    entry.total += fileTotal;
    entry.files.push({ file: path.basename(file), score: fileTotal ? (100 * fileDetected) / fileTotal : 100, fileTotal });
    byFolder.set(folder, entry);
  }
  let all = 0;
  let allTotal = 0;
  console.log('\nfolder | detected | mutants | lowest file');
  for (const [folder, entry] of [...byFolder].sort()) {
    all += entry.detected;
    allTotal += entry.total;
    const lowest = entry.files.sort((a, b) => a.score - b.score)[0];
    console.log(`${folder} | ${((100 * entry.detected) / entry.total).toFixed(1)} % | ${entry.total} | ${lowest.file} ${lowest.score.toFixed(1)} %`);
  }
  console.log(`src/core | ${((100 * all) / allTotal).toFixed(1)} % | ${allTotal} |`);
}
process.exit(run.status ?? 1);
