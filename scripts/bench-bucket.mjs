// Benchmark of the Bucket view's data paths (not a test): folding flat listings of 100k and 1M
// synthetic keys (time, heap, longest event-loop stall), and live browsing of one folder of a
// 100,000-object bucket on a local s3rver. Prints a table.
//
//   node scripts/bench-bucket.mjs [--keys 100000,1000000] [--bucket-objects 100000] [--no-fold] [--no-live]
//
// Compiles with tsc into out/ first (like the unit tier), and re-runs itself with --expose-gc so
// heap figures are measured after a full collection.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

if (typeof globalThis.gc !== 'function') {
  const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) console.warn('tsc reported errors; benchmarking what it emitted');
  const self = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(self.status ?? 1);
}

const require = createRequire(import.meta.url);
const { foldListing } = require(path.join(root, 'out/src/core/bucket/bucketFolding.js'));
const { LiveListing } = require(path.join(root, 'out/src/core/bucket/s3Listing.js'));
const { S3Server } = require(path.join(root, 'out/test/support/s3Server.js'));
const { AwsClient } = require('aws4fetch');

const rows = [];
const stall = (run) => `${run.maxGap.toFixed(1)} ms (CPU in it ${run.maxGapCpu.toFixed(1)} ms)`;
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;

/** Runs `work` while probing the event loop: the longest gap between 1 ms timer ticks, and the histogram's max. */
async function probed(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let maxGap = 0;
  let maxGapCpu = 0;
  // CPU the process used during the longest gap: far below the gap means the OS ran something
  // else (a loaded machine), close to it means this process was busy (work, GC, JIT).
  const tick = () => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    if (now - last > maxGap) {
      maxGap = now - last;
      maxGapCpu = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    }
    last = now;
    lastCpu = cpu;
  };
  const timer = setInterval(tick, 1);
  let peak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await work();
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  tick();
  clearInterval(timer);
  clearInterval(sampler);
  histogram.disable();
  return { result, elapsed, cpuMs: (cpu.user + cpu.system) / 1000, maxGap, maxGapCpu, histogramMax: histogram.max / 1e6, peak };
}

/** A full collection after a macrotask: finished async frames release what they held only then. */
async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 50));
  globalThis.gc();
}

const flat = (text) => Buffer.from(text).toString();

/** Lakehouse-shaped keys: 20 tables, Hive partitions by year and month, many parts per month. */
function syntheticKeys(n) {
  const keys = new Array(n);
  for (let i = 0; i < n; i++) {
    const table = i % 20;
    const month = Math.floor(i / 20) % 12;
    const year = 2015 + (Math.floor(i / 240) % 10);
    // Buffer round trip: a flat string, as keys coming from a native listing are (not a lazy concatenation).
    keys[i] = { key: flat(`lake/table_${table}/year=${year}/month=${String(month + 1).padStart(2, '0')}/part-${String(i).padStart(8, '0')}.parquet`), size: 1000 + (i % 5000), lastModified: 1714550400000 + i };
  }
  return keys;
}

async function benchFold(n, sorted) {
  let entries = syntheticKeys(n);
  if (sorted) entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  await settle();
  const before = process.memoryUsage().heapUsed;
  const run = await probed(() => foldListing('bench', entries, { label: 'Bench' }));
  await settle();
  const retained = process.memoryUsage().heapUsed - before;
  const listing = run.result;
  if (listing.objectCount !== n) throw new Error(`folded ${listing.objectCount} of ${n}`);
  rows.push({
    case: `fold ${n.toLocaleString('en-US')} keys (${sorted ? 'sorted' : 'unsorted'} input)`,
    time: `${ms(run.elapsed)} (CPU ${ms(run.cpuMs)})`,
    'max stall': stall(run),
    heap: `+${mb(retained)} retained, peak ${mb(run.peak - before)} over input (input ${mb(before)})`,
    notes: `${listing.folderCount.toLocaleString('en-US')} folders`,
  });
  entries = undefined;
}

async function benchLive(objects) {
  const server = await S3Server.start({ buckets: ['bench'] });
  try {
    const perFolder = 1000;
    const folders = Math.ceil(objects / perFolder);
    const seedStart = performance.now();
    const seeded = server.writeObjects('bench', (function* () {
      for (let i = 0; i < objects; i++) {
        const day = String(Math.floor(i / perFolder)).padStart(3, '0');
        yield { key: `events/day=${day}/part-${String(i % perFolder).padStart(4, '0')}.parquet`, body: 'x' };
      }
    })());
    const seedMs = performance.now() - seedStart;
    await settle(); // collect the seeding's garbage before measuring
    const profile = {
      id: 'bench', label: 'Bench', accountId: '0'.repeat(32), bucket: 'bench', jurisdiction: 'custom',
      customEndpoint: server.endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER',
    };
    const live = new LiveListing({ bucket: 'bench', credentials: async () => profile });
    const timeIt = async (name, work, notes) => {
      const run = await probed(work);
      rows.push({ case: name, time: `${ms(run.elapsed)} (CPU ${ms(run.cpuMs)})`, 'max stall': stall(run), heap: '', notes: notes(run.result) });
      return run.result;
    };
    const n = objects.toLocaleString('en-US');
    await timeIt('first fetch in the process (loads undici), signing, s3rver bucket list', async () => {
      const client = new AwsClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', service: 's3', region: 'auto', retries: 0 });
      return (await client.fetch(`${server.endpoint}/`)).status;
    }, (status) => `HTTP ${status}`);
    await timeIt(`live: bucket root of a ${n}-object bucket (1 request)`, () => live.listPrefix(''), (p) => `${p.folders.length} folder(s)`);
    await timeIt(`live: events/ (${folders} partition folders, 1 request)`, () => live.listPrefix('events/'), (p) => `${p.folders.length} folders, more: ${p.continuation !== undefined}`);
    await timeIt('live: one folder of 1,000 objects, cold (s3rver hashes each file once)', () => live.listPrefix('events/day=007/'), (p) => `${p.objects.length} objects`);
    await timeIt('live: the same folder, warm', () => live.listPrefix('events/day=007/'), (p) => `${p.objects.length} objects`);
    // What a listing without delimiter (DuckDB's glob) needs for the same level: every key below it.
    const client = new AwsClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', service: 's3', region: 'auto', retries: 0 });
    const rawLimit = Math.min(objects, 10_000);
    await timeIt(
      `raw ListObjectsV2 without delimiter, first ${rawLimit.toLocaleString('en-US')} keys (what a glob pages through)`,
      async () => {
        let token;
        let keys = 0;
        let requests = 0;
        do {
          const url = new URL(`${server.endpoint}/bench`);
          url.searchParams.set('list-type', '2');
          url.searchParams.set('max-keys', '1000');
          if (token) url.searchParams.set('continuation-token', token);
          const body = await (await client.fetch(url.toString())).text();
          requests++;
          keys += (body.match(/<Key>/g) ?? []).length;
          token = /<NextContinuationToken>([^<]*)</.exec(body)?.[1];
        } while (token && keys < rawLimit);
        return { keys, requests };
      },
      (r) => `${r.keys.toLocaleString('en-US')} keys in ${r.requests} requests`,
    );
    rows.push({ case: `seed ${seeded.toLocaleString('en-US')} objects on disk`, time: ms(seedMs), 'max stall': '', heap: '', notes: 's3rver on-disk layout, with folder markers' });
  } finally {
    await server.stop();
  }
}

const keyCounts = arg('keys', '100000,1000000').split(',').map(Number);
if (!process.argv.includes('--no-fold')) {
  for (const n of keyCounts) {
    await benchFold(n, true);
    await settle();
  }
  await benchFold(keyCounts[0], false);
  await settle();
}
if (!process.argv.includes('--no-live')) await benchLive(Number(arg('bucket-objects', '100000')));

const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`\nBucket benchmark · Node ${process.version} · ${process.platform} ${process.arch} · ${os.cpus().length} CPUs · load average ${load}`);
console.log('Max stall: the longest wall-clock gap between 1 ms timer ticks, with the CPU time this process used in it');
console.log('(on a loaded machine a gap with little CPU in it is time the OS gave to other processes).\n');
const columns = ['case', 'time', 'max stall', 'heap', 'notes'];
const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
console.log(line(columns));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(columns.map((c) => r[c])));
