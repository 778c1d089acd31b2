/**
 * The `duckdb-secrets` executable (bundled to dist/cli.js). Ctrl-C cancels the running command
 * (interrupting DuckDB); a second one exits at once.
 */
import { main } from './main';

// A reader that stops early (`| head`) closes the pipe: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  if (++interrupts > 1) process.exit(130);
  controller.abort();
});

void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
  },
);
