// CLI tier: builds dist/cli.js (esbuild) and the tests (tsc), then runs the built CLI as a child
// process against a real DuckDB and s3rver on 127.0.0.1 (mocha over out/test/cli).
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run('npm', ['run', '--silent', 'build']);
run('npx', ['tsc', '-p', '.']);
run('npx', ['mocha', '--timeout', '60000', 'out/test/cli/**/*.test.js', ...process.argv.slice(2)]);
