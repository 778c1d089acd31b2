// `npm run test:package`: packages the extension for every release target (or the targets named)
// and checks each VSIX (check-vsix.mjs); loads DuckDB from the VSIX of this machine's platform;
// and checks that a binding version missing from the npm registry stops packaging with a
// message. Bindings of other platforms come from the npm registry (20-40 MB each).
//   node scripts/test-package.mjs [darwin-arm64 ...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { fetchBinding, RELEASE_TARGETS, requiredBindingVersion, targetInfo } from './duckdbBinding.mjs';
import { packageVsix } from './package.mjs';
import { smokeVsix } from './smoke-vsix.mjs';

const targets = process.argv.length > 2 ? process.argv.slice(2) : RELEASE_TARGETS;
targets.forEach(targetInfo); // unknown names fail before any work
const host = `${process.platform}-${process.arch}`;
const rows = [];
let failed = 0;

function unpublishedBindingStops() {
  const { binding } = requiredBindingVersion(repoRoot);
  const missing = `${binding}-unpublished.0`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-binding-missing-'));
  try {
    fetchBinding(targets[0], missing, path.join(dir, 'binding'));
  } catch (error) {
    if (!error.message.includes(`is not published on the npm registry`)) throw error;
    if (fs.existsSync(path.join(dir, 'binding', 'duckdb.node'))) throw new Error('a binding was left behind');
    return error.message;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(`fetching version ${missing} did not fail`);
}

try {
  console.log(`[test-package] ok   unpublished binding: ${unpublishedBindingStops()}`);
} catch (error) {
  failed++;
  console.error(`[test-package] FAIL unpublished binding: ${error.message}`);
}

for (const target of targets) {
  const started = performance.now();
  try {
    const { vsix, files, summary } = await packageVsix(target);
    const seconds = (performance.now() - started) / 1000;
    const loads = target === host ? `DuckDB ${(await smokeVsix(vsix)).version} loads from it` : `not loaded (this is ${host})`;
    rows.push({ target, seconds, megabytes: fs.statSync(vsix).size / 1024 / 1024, files: files.length, note: loads });
    console.log(`[test-package] ok   ${summary}; ${loads}`);
  } catch (error) {
    failed++;
    rows.push({ target, seconds: (performance.now() - started) / 1000, note: 'FAILED' });
    console.error(`[test-package] FAIL ${target}: ${error.message}`);
  }
}

console.log('\ntarget        time     VSIX      files');
for (const { target, seconds, megabytes, files, note } of rows) {
  const size = megabytes === undefined ? '' : `${megabytes.toFixed(1)} MB`;
  console.log(`${target.padEnd(13)} ${`${seconds.toFixed(1)} s`.padStart(7)}  ${size.padStart(8)}  ${String(files ?? '').padStart(5)}  ${note}`);
}
console.log(`${targets.length + 1 - failed} passed, ${failed} failed (the unpublished-binding check and ${targets.length} target(s))`);
process.exitCode = failed > 0 ? 1 : 0;
