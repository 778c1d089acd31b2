// Benchmark of Cancel on the DuckDB session (not a test): how long after Cancel the caller's
// statement rejects and the next statement answers, for a statement that honours DuckDB's
// interrupt (a long range scan) and for a native call that ignores it (a read blocked on a FIFO,
// standing in for httpfs waiting on a server that never answers). Default grace 1,000 ms.
//
//   node scripts/bench-cancel.mjs [--runs 5]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
if (spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' }).status !== 0) console.warn('tsc reported errors; benchmarking what it emitted');

const require = createRequire(import.meta.url);
const { DuckDBSession } = require(path.join(root, 'out/src/core/duckdb/duckdbSession.js'));
const { MemoryLogger } = require(path.join(root, 'out/src/core/logger.js'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-bench-cancel-'));
const fifo = path.join(dir, 'never.csv');
execFileSync('mkfifo', [fifo]);
const release = () => {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // no reader waiting
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(sql) {
  const session = new DuckDBSession({ path: ':memory:', options: { threads: '1', secret_directory: path.join(dir, 'secrets') } }, new MemoryLogger());
  session.onStart(async (runner) => runner.run("CREATE SECRET from_keychain (TYPE http, BEARER_TOKEN 'x')"));
  await session.query('SELECT 1');
  const statement = session.query(sql).catch(() => undefined);
  await sleep(300);
  const t0 = performance.now();
  const outcome = await session.cancel();
  await statement;
  const rejected = performance.now() - t0;
  await session.query('SELECT count(*) FROM duckdb_secrets()');
  const answered = performance.now() - t0;
  release();
  session.dispose();
  return { outcome, rejected, answered };
}

const rows = [];
for (const [label, sql] of [
  ['honours interrupt (range scan)', 'SELECT count(*) FROM range(10000000000) a, range(10) b'],
  ['ignores interrupt (FIFO read)', `SELECT * FROM read_csv('${fifo}')`],
]) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(sql));
  const median = (key) => results.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
  const max = (key) => Math.max(...results.map((r) => r[key]));
  rows.push({ statement: label, outcome: results[0].outcome, 'rejects (median/max ms)': `${Math.round(median('rejected'))} / ${Math.round(max('rejected'))}`, 'next answers (median/max ms)': `${Math.round(median('answered'))} / ${Math.round(max('answered'))}` });
}
console.table(rows);
fs.rmSync(dir, { recursive: true, force: true });
