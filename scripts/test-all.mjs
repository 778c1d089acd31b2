// `npm test`: every tier in order, stopping at the first failure. The last line is the summary
// CI reads: "N passed, N failed" (", N skipped" when a tier could not run here), tiers counted.
import { spawnSync } from 'node:child_process';
import { repoRoot } from './codeServer.mjs';

const SKIPPED = 77; // exit code a tier uses, when asked, to say it could not run here

const tiers = [
  { name: 'typecheck', command: ['npx', 'tsc', '-p', '.', '--noEmit'] },
  { name: 'lint (eslint, architecture, workflows)', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'unit', command: ['node', 'scripts/run-unit.mjs'] },
  { name: 'cli', command: ['node', 'scripts/run-cli-tests.mjs'] },
  // One cross-platform VSIX, its binding fetched from the npm registry (`npm run test:package` does all five).
  { name: 'package (darwin-arm64)', command: ['node', 'scripts/test-package.mjs', 'darwin-arm64'] },
  { name: 'integration (code-server)', command: ['node', 'scripts/run-integration.mjs'] },
  { name: 'ui smoke (packaged VSIX)', command: ['node', 'scripts/run-ui-smoke.mjs'] },
  { name: 'integration (desktop VS Code)', command: ['node', 'scripts/run-electron.mjs'], env: { TEST_TIER_SKIP_CODE: String(SKIPPED) } },
];

const results = [];
for (const tier of tiers) {
  console.log(`\n=== ${tier.name}: ${tier.command.join(' ')}`);
  const started = Date.now();
  const [command, ...args] = tier.command;
  const run = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...tier.env } });
  const seconds = (Date.now() - started) / 1000;
  const outcome = run.status === 0 ? 'passed' : run.status === SKIPPED && tier.env?.TEST_TIER_SKIP_CODE ? 'skipped' : 'failed';
  results.push({ name: tier.name, outcome, seconds });
  if (outcome === 'failed') break;
}

console.log('\n=== summary');
for (const { name, outcome, seconds } of results) {
  console.log(`${outcome.padEnd(8)} ${seconds.toFixed(1).padStart(6)} s  ${name}`);
}
for (const { name } of tiers.slice(results.length)) console.log(`not run            ${name}`);
const count = (outcome) => results.filter((result) => result.outcome === outcome).length;
const skipped = count('skipped');
console.log(`${count('passed')} passed, ${count('failed')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = count('failed') > 0 ? 1 : 0;
