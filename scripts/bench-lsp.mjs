// Benchmark of the language server (not a test): diagnostics latency after an edit of a
// 10,000-line SQL file, over the real protocol — `node dist/server.js --stdio`, incremental
// didChange, timed until publishDiagnostics for that version arrives. Prints median/min/max.
//
//   node scripts/bench-lsp.mjs [--runs 20] [--lines 10000]
//
// Builds dist/ with esbuild.config.mjs first; the SQL's keys come from the seeded test fixtures.
import { requireTs } from './requireTs.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = Math.max(5, arg('runs', 20));
const lineCount = arg('lines', 10_000);

if (spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const { CredentialFixtures } = await requireTs(["export { CredentialFixtures } from './test/support/credentialFixtures';"]);
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-lsp-'));
const f = new CredentialFixtures(20261129);

function sqlFile(lines) {
  const out = [];
  while (out.length < lines) {
    const n = out.length;
    if (n % 500 === 0) {
      out.push('CREATE OR REPLACE SECRET r2_lake (', '  TYPE r2,', `  KEY_ID '${f.r2KeyId()}',`, `  SECRET '${f.r2Secret()}',`, `  ACCOUNT_ID '${f.accountId()}'`, ');');
      continue;
    }
    out.push(
      n % 7 === 0
        ? `-- checksum ${f.md5()} for r2://lake/sales/year=2024/part-${n}.parquet`
        : `SELECT region, sum(amount) AS total_${n} FROM read_parquet('r2://lake/sales/*.parquet') WHERE id = '${f.uuid()}' GROUP BY region;`,
    );
  }
  return out.slice(0, lines).join('\n');
}

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter, PublishDiagnosticsNotification } = require(path.join(root, 'node_modules/vscode-languageserver/node.js'));
const child = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiting = new Map();
connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
  const resolve = waiting.get(params.version);
  if (resolve) {
    waiting.delete(params.version);
    resolve(params.diagnostics.length);
  }
});
connection.listen();

const uri = pathToFileURL(path.join(dir, 'big.sql')).toString();
await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).toString(), capabilities: {}, initializationOptions: { duckdbSecretsClient: false } });
await connection.sendNotification('initialized', {});

const diagnosticsFor = (version) => new Promise((resolve) => waiting.set(version, resolve));
let version = 1;
const text = sqlFile(lineCount);
const opened = diagnosticsFor(version);
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
const found = await opened;

const times = [];
for (let i = 0; i < runs; i++) {
  version++;
  const line = Math.floor(lineCount / 2) + i;
  const next = diagnosticsFor(version);
  const started = performance.now();
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '-- edited\n' }],
  });
  const count = await next;
  times.push(performance.now() - started);
  if (count !== found) console.warn(`[bench-lsp] run ${i}: ${count} diagnostics, expected ${found}`);
}

await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
rmSync(dir, { recursive: true, force: true });

const sorted = [...times].sort((a, b) => a - b);
const ms = (v) => `${v.toFixed(1)} ms`;
console.log(`language server: ${lineCount.toLocaleString('en')}-line SQL file, ${found} diagnostics, diagnostics after an edit over ${runs} runs`);
console.log(`  median ${ms(sorted[Math.floor(sorted.length / 2)])}, min ${ms(sorted[0])}, max ${ms(sorted[sorted.length - 1])}`);
