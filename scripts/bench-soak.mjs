// Soak (a benchmark, not a test; issue 11): 200 alternating Test R2 Bucket listings (the profile's
// own S3 listing, folded, as Test R2 Bucket lists when the secret is the profile's) and live folder
// browses (the Bucket view's model over a LiveListing) against a local S3 server, in plain Node
// with the core, plus a DuckDB session that answers a query each round and restarts every 50.
// Reports heap after a forced GC (goal: grows < 20 MB), open handles (goal: none left once idle
// keep-alive sockets close) and whether the DuckDB session is closed. Writes .bench/soak.json.
//   node scripts/bench-soak.mjs [--rounds 200] [--objects 2000]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

if (typeof globalThis.gc !== 'function') {
  const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) console.warn('tsc reported errors; soaking what it emitted');
  const self = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(self.status ?? 1);
}

const require = createRequire(import.meta.url);
const { listDirect } = require(path.join(root, 'out/src/core/bucket/directListing.js'));
const { LiveListing } = require(path.join(root, 'out/src/core/bucket/s3Listing.js'));
const { BucketTreeModel } = require(path.join(root, 'out/src/core/bucket/bucketTreeModel.js'));
const { DuckDBSession } = require(path.join(root, 'out/src/core/duckdb/duckdbSession.js'));
const { S3Server } = require(path.join(root, 'out/test/support/s3Server.js'));

const rounds = arg('rounds', 200);
const objects = arg('objects', 2000);
const quiet = { trace() {}, info() {}, warn() {}, error: (m) => console.error(m) };
const mb = (bytes) => (bytes / 1048576).toFixed(1);

/** A full collection after the pending macrotasks: finished async frames release what they held only then. */
async function heapAfterGc() {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    globalThis.gc();
  }
  return process.memoryUsage().heapUsed;
}

const describe = (h) => {
  const name = h.constructor?.name ?? typeof h;
  return name === 'Socket' && h.remotePort ? `${name} to ${h.remoteAddress}:${h.remotePort}` : name;
};
const handleNames = () => process._getActiveHandles().map(describe);
const count = (names) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map());
/** Handles now beyond those in `baseline`, by kind. */
function extraHandles(baseline) {
  const now = count(handleNames());
  const base = count(baseline);
  return [...now].map(([name, n]) => [name, n - (base.get(name) ?? 0)]).filter(([, n]) => n > 0);
}

// process.stdout/stderr are created on first use: make them now, so they are part of the baseline.
void process.stdout;
void process.stderr;

const accessKeyId = 'SOAKKEY';
const secretAccessKey = 'soak-secret';
const server = await S3Server.start({ buckets: ['soak'], accessKeys: [[accessKeyId, secretAccessKey]] });
const baseline = handleNames(); // the server child's pipes and the like, before any request
const session = new DuckDBSession({ path: ':memory:', options: {} }, quiet);
let result;
try {
  server.writeObjects(
    'soak',
    (function* () {
      for (let i = 0; i < objects; i++) yield { key: `events/day=${String(Math.floor(i / 1000)).padStart(3, '0')}/part-${String(i % 1000).padStart(4, '0')}.parquet`, body: 'x' };
    })(),
    { folderMarkers: false },
  );
  const credentials = { id: 'soak', label: 'Soak', accountId: '0'.repeat(32), bucket: 'soak', jurisdiction: 'custom', customEndpoint: server.endpoint, accessKeyId, secretAccessKey };
  const model = new BucketTreeModel(quiet);
  const listing = async () => {
    const folded = await listDirect(credentials, 'soak', '');
    if (folded.objectCount !== objects) throw new Error(`listed ${folded.objectCount} of ${objects} objects`);
  };
  const browse = async () => {
    model.show(new LiveListing({ bucket: 'soak', credentials: async () => credentials }));
    const state = await model.children('events/day=000/');
    if (state.kind === 'failed') throw new Error(state.message);
    const visible = model.visible('events/day=000/');
    if (visible?.objects.length !== 1000) throw new Error(`browsed ${visible?.objects.length} of 1000 objects`);
  };
  const round = async (i) => {
    await (i % 2 === 0 ? listing() : browse());
    await session.query('SELECT count(*) AS n FROM duckdb_secrets()');
    if (i % 50 === 49) await session.restart();
  };

  for (let i = 0; i < 10; i++) await round(i); // warm-up: JIT, DuckDB loaded, connection pool filled
  const heapBefore = await heapAfterGc();
  const started = performance.now();
  for (let i = 0; i < rounds; i++) await round(i);
  const elapsed = performance.now() - started;
  const heapAfter = await heapAfterGc();
  model.dispose();
  session.dispose();
  const sessionClosed = !session.isOpen;
  // Idle keep-alive sockets close on their own (undici's keep-alive timeout); wait up to 10 s for them.
  let left = extraHandles(baseline);
  for (let waited = 0; left.length > 0 && waited < 10_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = extraHandles(baseline);
  }
  const requests = process._getActiveRequests().length;
  result = {
    rounds,
    objects,
    elapsedMs: Math.round(elapsed),
    heapBeforeMB: Number(mb(heapBefore)),
    heapAfterMB: Number(mb(heapAfter)),
    heapGrowthMB: Number(mb(heapAfter - heapBefore)),
    handlesLeft: Object.fromEntries(left),
    requestsLeft: requests,
    duckdbSessionClosed: sessionClosed,
    loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    at: new Date().toISOString(),
  };
} finally {
  session.dispose();
  await server.stop();
}

fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
fs.writeFileSync(path.join(root, '.bench', 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
const ok = (pass) => (pass ? 'ok' : '**over**');
console.log(`\nSoak: ${rounds} rounds alternating Test R2 Bucket's listing (${objects.toLocaleString('en-US')} objects, folded) and a live browse of a 1,000-object folder, a DuckDB query each round, a session restart every 50 · ${(result.elapsedMs / 1000).toFixed(1)} s · load average ${result.loadavg.join(' ')}\n`);
console.log('| check | result | goal |\n|---|---|---|');
console.log(`| heap after forced GC | ${result.heapBeforeMB} → ${result.heapAfterMB} MB (${result.heapGrowthMB >= 0 ? '+' : ''}${result.heapGrowthMB} MB) | < 20 MB growth: ${ok(result.heapGrowthMB < 20)} |`);
const leftText = Object.entries(result.handlesLeft).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
console.log(`| open handles left (process._getActiveHandles, beyond the baseline) | ${leftText}; ${result.requestsLeft} active requests | none: ${ok(leftText === 'none' && result.requestsLeft === 0)} |`);
console.log(`| DuckDB session closed after dispose | ${result.duckdbSessionClosed ? 'yes' : 'no'} | yes: ${ok(result.duckdbSessionClosed)} |`);
if (!(result.heapGrowthMB < 20 && leftText === 'none' && result.requestsLeft === 0 && result.duckdbSessionClosed)) process.exitCode = 1;
