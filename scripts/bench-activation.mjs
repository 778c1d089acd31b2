// Benchmark (not a test): what activating the extension costs.
//  1. Loading the production bundle: require('dist/extension.js') in plain Node, `vscode` answered
//     by an inert stand-in (only module evaluation is timed; activate() is not called here).
//  2. activate() and the first Secrets refresh (which opens DuckDB) inside a real VS Code
//     (code-server), read from the BENCH lines test/integration/activation.test.ts prints.
//   node scripts/bench-activation.mjs [runs=3]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';

const runs = Number(process.argv[2] ?? 3);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function requireTimes() {
  spawnSync('node', ['esbuild.config.mjs', '--production'], { cwd: repoRoot, stdio: 'inherit' });
  const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-activation-')), 'probe.cjs');
  fs.writeFileSync(
    probe,
    `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? __filename : resolve.call(this, request, ...rest); };
if (require.main !== module) return;
const started = performance.now();
require(${JSON.stringify(path.join(repoRoot, 'dist', 'extension.js'))});
const ms = performance.now() - started;
const duckdb = Object.keys(require.cache).some((file) => file.includes('@duckdb'));
console.log(JSON.stringify({ ms, duckdb }));`,
  );
  const samples = [];
  for (let i = 0; i < 10; i++) {
    const out = spawnSync('node', [probe], { encoding: 'utf8' });
    const sample = JSON.parse(out.stdout.trim());
    if (sample.duckdb) throw new Error('loading the bundle loaded DuckDB');
    samples.push(sample.ms);
  }
  fs.rmSync(path.dirname(probe), { recursive: true, force: true });
  return samples;
}

function inVsCode() {
  const activation = [];
  const firstRefresh = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync('node', ['scripts/run-integration.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, DUCKDB_SECRETS_TEST_GREP: 'activation' },
    });
    const a = /BENCH activationMs=([\d.]+)/.exec(out.stdout);
    const r = /BENCH firstRefreshMs=([\d.]+)/.exec(out.stdout);
    if (out.status !== 0 || !a || !r) throw new Error(`integration run failed:\n${out.stdout}\n${out.stderr}`);
    activation.push(Number(a[1]));
    firstRefresh.push(Number(r[1]));
  }
  return { activation, firstRefresh };
}

const load = requireTimes();
// What activation parses: dist/extension.js and the dist/shared/ modules it requires (not dist/features.js).
const shared = fs.readdirSync(path.join(repoRoot, 'dist', 'shared')).filter((name) => name.endsWith('.js')).map((name) => path.join('shared', name));
const bundleBytes = ['extension.js', ...shared].reduce((sum, file) => sum + fs.statSync(path.join(repoRoot, 'dist', file)).size, 0);
const { activation, firstRefresh } = inVsCode();
const row = (name, values) => `| ${name} | ${median(values).toFixed(1)} ms | ${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)} ms | ${values.length} |`;
console.log(`\nParsed at activation (dist/extension.js + dist/shared/*.js, production): ${(bundleBytes / 1024).toFixed(1)} KiB; DuckDB not loaded by it.`);
console.log('| step | median | range | runs |\n|---|---|---|---|');
console.log(row('load the bundle (plain Node)', load));
console.log(row('activate() in code-server', activation));
console.log(row('first Secrets refresh (loads DuckDB, opens the session)', firstRefresh));
