// Benchmark of the listing engine (not a test), issue 18 goals 2 and 3 in plain Node:
// - a partitioned bucket (year=/month=, 100,000 objects by default) behind a latency proxy that
//   holds every answer 100 ms (a far-away server), served by an in-memory ListObjectsV2 store (and
//   s3rver with --with-s3rver); the proxy listens on this machine's non-loopback address, since the
//   engine pages a loopback endpoint sequentially (nothing to hide there), and decides near or far
//   by what the server's first answer takes: the sequential floor (raw
//   ListObjectsV2 paging with aws4fetch, keys counted by regex) against the engine (key ranges,
//   8 requests in flight), with the key sets compared;
// - live browsing (no added latency): one folder of 1,000 objects against one raw request of it;
//   the root of the big bucket against the root of a 10-object bucket (one delimiter request each),
//   on s3rver (which walks its whole store per request) and on the in-memory store with 1,000,000
//   objects (indexed, as R2 is).
// Each figure is the median of --runs runs (default 5) with min–max, the floor measured in the same
// run, alternating; the machine's load is printed.
//
//   node scripts/bench-listing.mjs [--objects 100000] [--runs 5] [--latency 100] [--with-s3rver]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const objects = arg('objects', 100_000);
const runs = arg('runs', 5);
const latency = arg('latency', 100);

const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) console.warn('tsc reported errors; benchmarking what it emitted');
const require = createRequire(import.meta.url);
const { AwsClient } = require('aws4fetch');
const { listAll } = require(path.join(root, 'out/src/core/bucket/listingEngine.js'));
const { LiveListing } = require(path.join(root, 'out/src/core/bucket/s3Listing.js'));
const { S3Server, S3RVER_KEY } = require(path.join(root, 'out/test/support/s3Server.js'));
const { FaultProxy, nonLoopbackAddress } = require(path.join(root, 'out/test/support/faultProxy.js'));
const { MemoryS3 } = require(path.join(root, 'out/test/support/memoryS3.js'));

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs) => `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
const client = new AwsClient({ ...S3RVER_KEY, service: 's3', region: 'auto', retries: 0 });
const credentials = (endpoint) => ({ id: 'bench', label: 'bench', accountId: '0'.repeat(32), bucket: 'part', jurisdiction: 'custom', customEndpoint: endpoint, ...S3RVER_KEY });
const timed = async (work) => {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
};

/** Raw sequential paging: what any client without our engine does (and DuckDB's glob). */
async function rawPaging(endpoint, bucket) {
  const keys = [];
  let token;
  let requests = 0;
  do {
    const query = `list-type=2&max-keys=1000&prefix=${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
    const body = await (await client.fetch(`${endpoint}/${bucket}?${query}`)).text();
    requests++;
    for (const m of body.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(m[1]);
    token = /<IsTruncated>true<\/IsTruncated>/.test(body) ? /<NextContinuationToken>([^<]*)</.exec(body)?.[1] : undefined;
  } while (token);
  return { keys, requests };
}

async function engine(endpoint, bucket, far = false) {
  const keys = [];
  const stats = await listAll({ credentials: credentials(endpoint), bucket, prefix: '', concurrency: 8, ...(far ? { far } : {}), onObjects: (page) => void keys.push(...page.map((o) => o.key)) });
  return { keys, stats };
}

console.log(`bench-listing: ${objects.toLocaleString('en-US')} objects, ${runs} runs, latency ${latency} ms, ${os.cpus().length} CPUs, load ${load()}`);
const server = await S3Server.start({ buckets: ['part', 'small'] });
const proxy = await FaultProxy.start(server.port);
try {
  const seeded = performance.now();
  server.writeObjects('part', (function* () {
    for (let i = 0; i < objects; i++) {
      const folder = i % 120;
      yield { key: `year=${2015 + Math.floor(folder / 12)}/month=${String(1 + (folder % 12)).padStart(2, '0')}/part-${String(i).padStart(6, '0')}.parquet`, body: 'x' };
    }
    for (let i = 0; i < 1000; i++) yield { key: `browse/part-${String(i).padStart(4, '0')}.parquet`, body: 'x' };
  })());
  server.writeObjects('small', Array.from({ length: 10 }, (_, i) => ({ key: `f${i}.csv`, body: 'x' })));
  console.log(`seeded in ${ms(performance.now() - seeded)}`);

  // Goal 2: the whole partitioned bucket through the latency proxy, in front of s3rver and of the in-memory store.
  const memoryKeys = [];
  for (let i = 0; i < objects; i++) {
    const folder = i % 120;
    memoryKeys.push(`year=${2015 + Math.floor(folder / 12)}/month=${String(1 + (folder % 12)).padStart(2, '0')}/part-${String(i).padStart(6, '0')}.parquet`);
  }
  const memory = await MemoryS3.start({ part: memoryKeys });
  // Off loopback, so the engine judges the server by its answers, as it would R2.
  const elsewhere = nonLoopbackAddress();
  if (!elsewhere) console.log('(no IPv4 address besides loopback here: the engine is told the proxy is far)');
  const memoryProxy = await FaultProxy.start(memory.port, elsewhere ?? '127.0.0.1');
  try {
    // s3rver walks the whole bucket on one thread for every request, so it, not latency, bounds a
    // concurrent listing there (and its paging is quadratic in the bucket's size): --with-s3rver adds it.
    const fronts = [['in-memory store', memoryProxy], ...(process.argv.includes('--with-s3rver') ? [['s3rver', proxy]] : [])];
    for (const [name, front] of fronts) {
      front.latencyMs = latency;
      const floor = [];
      const ours = [];
      let checked = '';
      for (let run = 0; run <= runs; run++) {
        const raw = await timed(() => rawPaging(front.endpoint, 'part'));
        const fast = await timed(() => engine(front.endpoint, 'part', !elsewhere || front === proxy));
        if (run === 0) {
          // Warm-up run, and the check that both list the same keys.
          const a = new Set(raw.result.keys);
          const b = new Set(fast.result.keys);
          const same = a.size === b.size && [...a].every((k) => b.has(k));
          checked = `${a.size.toLocaleString('en-US')} keys, same set: ${same}; raw ${raw.result.requests} requests, engine ${fast.result.stats.requests} (${fast.result.stats.ranges} ranges, at most ${fast.result.stats.maxInFlight} in flight)`;
          if (!same) process.exitCode = 1;
          continue;
        }
        floor.push(raw.ms);
        ours.push(fast.ms);
      }
      console.log(`\nGoal 2 — ${name}, every answer held ${latency} ms (${checked}); load ${load()}`);
      console.log(`| sequential floor (raw paging) | ${summary(floor)} |`);
      console.log(`| listing engine (8 in flight)  | ${summary(ours)} | ${(median(ours) / median(floor)).toFixed(2)}× the floor |`);
      front.latencyMs = 0;
    }
  } finally {
    await memoryProxy.stop();
    await memory.stop();
  }

  // Goal 3: live browsing on loopback (no added latency).
  const live = new LiveListing({ bucket: 'part', credentials: async () => credentials(server.endpoint) });
  const small = new LiveListing({ bucket: 'small', credentials: async () => credentials(server.endpoint) });
  const oneRaw = [];
  const oneLive = [];
  const rootBig = [];
  const rootSmall = [];
  for (let run = 0; run <= runs; run++) {
    const raw = await timed(async () => (await client.fetch(`${server.endpoint}/part?list-type=2&prefix=browse%2F&delimiter=%2F&max-keys=1000`)).text());
    const view = await timed(() => live.listPrefix('browse/'));
    const big = await timed(() => live.listPrefix(''));
    const tiny = await timed(() => small.listPrefix(''));
    if (view.result.objects.length !== 1000) throw new Error(`browse/ listed ${view.result.objects.length}`);
    if (run === 0) continue;
    oneRaw.push(raw.ms);
    oneLive.push(view.ms);
    rootBig.push(big.ms);
    rootSmall.push(tiny.ms);
  }
  console.log(`\nGoal 3 — live browsing on loopback; load ${load()}`);
  console.log(`| one raw request of a 1,000-object folder | ${summary(oneRaw)} |`);
  console.log(`| Browse: the same folder (parsed)          | ${summary(oneLive)} | ${(median(oneLive) / median(oneRaw)).toFixed(2)}× |`);
  console.log(`| root of a 10-object bucket               | ${summary(rootSmall)} |`);
  console.log(`| root of the ${objects.toLocaleString('en-US')}-object bucket       | ${summary(rootBig)} | ${(median(rootBig) / median(rootSmall)).toFixed(2)}× |`);

  // The root of a 1,000,000-object bucket on an indexed store (as R2 is), against a 10-object one.
  const millionKeys = [];
  for (let i = 0; i < 1_000_000; i++) millionKeys.push(`year=${2015 + Math.floor((i % 120) / 12)}/month=${String(1 + (i % 12)).padStart(2, '0')}/part-${String(i).padStart(7, '0')}.parquet`);
  const million = await MemoryS3.start({ part: millionKeys });
  const ten = await MemoryS3.start({ part: Array.from({ length: 10 }, (_, i) => `f${i}.csv`) });
  try {
    const big1m = new LiveListing({ bucket: 'part', credentials: async () => credentials(million.endpoint) });
    const tiny10 = new LiveListing({ bucket: 'part', credentials: async () => credentials(ten.endpoint) });
    const bigMs = [];
    const tinyMs = [];
    for (let run = 0; run <= runs; run++) {
      const b = await timed(() => big1m.listPrefix(''));
      const t = await timed(() => tiny10.listPrefix(''));
      if (b.result.folders.length !== 10) throw new Error(`the 1M root listed ${b.result.folders.length} folders`);
      if (run === 0) continue;
      bigMs.push(b.ms);
      tinyMs.push(t.ms);
    }
    console.log(`| root of a 10-object bucket (in-memory store)        | ${summary(tinyMs)} |`);
    console.log(`| root of a 1,000,000-object bucket (in-memory store) | ${summary(bigMs)} | ${(median(bigMs) / median(tinyMs)).toFixed(2)}× |`);
  } finally {
    await million.stop();
    await ten.stop();
  }
} finally {
  await proxy.stop();
  await server.stop();
}
