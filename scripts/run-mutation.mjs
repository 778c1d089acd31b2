// `npm run test:mutation`: StrykerJS over src/core with the unit tier (mocha runner, per-test
// coverage, incremental), HOME isolated as in the unit tier, then a score per core folder from
// reports/mutation/mutation.json (scripts/mutation-summary.mjs). The whole core takes hours on
// 2 cores: .github/workflows/mutation.yml runs one folder per runner. Takes tens of minutes on 2 cores: a benchmark-style job, not
// part of `npm test`. Extra arguments go to `stryker run` (e.g. `-- --mutate src/core/bucket/**/*.ts`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { isolatedHome } from './isolatedHome.mjs';
import { summarize, table } from './mutation-summary.mjs';

const home = await isolatedHome();
// The detector's random-input tests take a seed (printed, random by default): one fixed seed makes
// every mutant meet the same inputs as the initial run, so a score does not move between runs.
const seed = { DUCKDB_SECRETS_DETECT_SEED: process.env.DUCKDB_SECRETS_DETECT_SEED ?? '12345' };
const run = spawnSync('npx', ['stryker', 'run', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...home.env, ...seed } });
home.remove();

const report = path.join(repoRoot, 'reports', 'mutation', 'mutation.json');
if (fs.existsSync(report)) console.log(`\n${table(summarize([JSON.parse(fs.readFileSync(report, 'utf8'))], repoRoot))}`);
process.exit(run.status ?? 1);
