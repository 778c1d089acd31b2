// Unit tier: compiles src/ and test/ with tsc, then runs mocha in plain Node (no VS Code): the
// compiled TypeScript tests, and the .mjs tests of the release scripts in test/unit/release/.
// HOME is a temporary folder holding a planted persistent secret (scripts/isolatedHome.mjs).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { isolatedHome } from './isolatedHome.mjs';

const run = (cmd, args, env) => {
  // npx is npx.cmd on Windows, which Node starts only through a shell.
  const result = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, ...env } });
  return result.status ?? 1;
};

rmSync('out', { recursive: true, force: true });
if (run('npx', ['tsc', '-p', '.']) !== 0) process.exit(1);
const home = await isolatedHome();
const extra = process.argv.slice(2);
const status = run('npx', ['mocha', '--recursive', '--timeout', '60000', 'out/test/unit/**/*.test.js', 'test/unit/release/**/*.test.mjs', ...extra], home.env);
const problems = home.check();
home.remove();
for (const problem of problems) console.error(`[unit] ${problem}`);
process.exit(status !== 0 ? status : problems.length ? 1 : 0);
