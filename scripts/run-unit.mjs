// Unit tier: compiles src/ and test/ with tsc, then runs mocha in plain Node (no VS Code): the
// compiled TypeScript tests, and the .mjs tests of the release scripts in test/unit/release/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (cmd, args) => {
  // npx is npx.cmd on Windows, which Node starts only through a shell.
  const result = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

rmSync('out', { recursive: true, force: true });
run('npx', ['tsc', '-p', '.']);
const extra = process.argv.slice(2);
run('npx', ['mocha', '--recursive', '--timeout', '60000', 'out/test/unit/**/*.test.js', 'test/unit/release/**/*.test.mjs', ...extra]);
