// Build steps shared by the test and start scripts.
import { spawnSync } from 'node:child_process';
import { repoRoot } from './codeServer.mjs';

/**
 * Runs a command in the repo root with inherited output; throws when it fails. On Windows npm and
 * npx are .cmd files, which Node starts only through a shell (the arguments here need no quoting).
 */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32', ...options });
  if (result.status !== 0) {
    throw new Error(`\`${[command, ...args].join(' ')}\` failed (${result.status ?? result.signal ?? result.error?.message})`);
  }
}

/** dist/extension.js (esbuild) and out/ (tsc: src and tests, incl. out/test/integration). */
export function buildForTests() {
  run('npm', ['run', '--silent', 'build']);
  run('npx', ['tsc', '-p', '.']);
}
