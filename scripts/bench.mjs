// `npm run bench`: every benchmark in turn (none of them is a test; they print tables for the README).
//   activation (code-server), bucket folding and live listing (s3rver), the listing engine behind a
//   100 ms latency proxy (bench-listing.mjs), Test R2 Bucket (needs
//   DUCKDB_SECRETS_TEST_EXTENSION_DIR with httpfs; says why it skips otherwise), language server
//   diagnostics after an edit of a 10,000-line SQL file (dist/server.js over stdio), Cancel freeing the
//   DuckDB session (interruptible and stuck statements), the real UI (packaged VSIX in code-server:
//   activation as VS Code reports it, Secrets view cold, live browsing of a 1,000-object folder
//   against one raw request) and the soak (200 listings and browses).
import { spawnSync } from 'node:child_process';
import { repoRoot } from './codeServer.mjs';

for (const script of ['bench-activation.mjs', 'bench-bucket.mjs', 'bench-listing.mjs', 'bench-test-bucket.mjs', 'bench-lsp.mjs', 'bench-cancel.mjs', 'bench-ui.mjs', 'bench-soak.mjs']) {
  console.log(`\n=== ${script}`);
  const result = spawnSync('node', [`scripts/${script}`], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exitCode = 1;
}
