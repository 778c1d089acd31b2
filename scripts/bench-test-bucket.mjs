// Benchmark of Test R2 Bucket's listing (not a test): 10,000 objects on a local s3rver, in the same
// run: the raw ListObjectsV2 floor (aws4fetch paging, keys and sizes parsed), DuckDB's `glob`,
// `read_blob` projecting filename, size and last_modified, and Test R2 Bucket itself (its direct
// listing and its DuckDB-only listing). Prints the median of each and its ratio to the floor, and
// the HTTP requests each DuckDB form issues.
//
//   DUCKDB_SECRETS_TEST_EXTENSION_DIR=/path/to/extensions node scripts/bench-test-bucket.mjs [--objects 10000] [--rounds 5]
//
// Needs a loadable httpfs for the bundled DuckDB in that extension directory (loaded with
// allow_unsigned_extensions); without the variable it says why and exits 0. Compiles with tsc into
// out/ first, like the unit tier.
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
const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
if (!extensionDir) {
  console.log('bench-test-bucket: skipped. Set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding httpfs for this DuckDB version (loaded unsigned).');
  process.exit(0);
}
const objects = arg('objects', 10_000);
const rounds = arg('rounds', 5);

const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) console.warn('tsc reported errors; benchmarking what it emitted');

const require = createRequire(import.meta.url);
const { DuckDBInstance } = require('@duckdb/node-api');
const { AwsClient } = require('aws4fetch');
const { DuckDBSession } = require(path.join(root, 'out/src/core/duckdb/duckdbSession.js'));
const { MemoryLogger } = require(path.join(root, 'out/src/core/logger.js'));
const { testBucket } = require(path.join(root, 'out/src/core/bucket/bucketTest.js'));
const { S3Server, S3RVER_KEY } = require(path.join(root, 'out/test/support/s3Server.js'));

const bucket = 'bench';
const options = { extension_directory: extensionDir, allow_unsigned_extensions: 'true' };
console.log(`bench-test-bucket: ${objects.toLocaleString('en-US')} objects, ${rounds} rounds (+1 warm-up), ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const server = await S3Server.start({ buckets: [bucket] });
const host = `127.0.0.1:${server.port}`;
// Sizes from 1 byte: a zero-byte object costs read_blob one GET each (measured), which would blur the comparison.
server.writeObjects(
  bucket,
  (function* () {
    for (let i = 0; i < objects; i++) yield { key: `table${i % 10}/year=${2020 + (i % 5)}/month=${String(1 + (i % 12)).padStart(2, '0')}/part-${i}.parquet`, body: 'x'.repeat(1 + (i % 200)) };
  })(),
  { folderMarkers: false },
);
const secretSql = `CREATE OR REPLACE SECRET bench (TYPE r2, KEY_ID '${S3RVER_KEY.accessKeyId}', SECRET '${S3RVER_KEY.secretAccessKey}', ACCOUNT_ID 'bench', ENDPOINT '${host}', USE_SSL false, URL_STYLE 'path')`;
const credentials = { id: 'bench', label: 'bench', accountId: 'bench', bucket, jurisdiction: 'custom', customEndpoint: `http://${host}`, ...S3RVER_KEY };

// Raw DuckDB forms run on their own instance and connection (no conversion to JS objects).
const instance = await DuckDBInstance.create(':memory:', options);
const connection = await instance.connect();
await connection.run(secretSql);
// Test R2 Bucket runs on the extension's session, as in the product.
const log = new MemoryLogger();
const session = new DuckDBSession({ path: ':memory:', options }, log);
await session.run(secretSql);
const deps = { db: session, interrupt: () => session.interrupt(), log };

// The floor: paging and signing only, names and sizes cut out of the XML with two regular expressions.
async function rawListing() {
  const client = new AwsClient({ ...S3RVER_KEY, service: 's3', region: 'auto' });
  let token;
  let count = 0;
  let bytes = 0;
  do {
    const url = new URL(`http://${host}/${bucket}`);
    url.searchParams.set('list-type', '2');
    if (token) url.searchParams.set('continuation-token', token);
    const response = await client.fetch(url.toString());
    const xml = await response.text();
    count += xml.match(/<Key>/g)?.length ?? 0;
    for (const size of xml.matchAll(/<Size>(\d+)<\/Size>/g)) bytes += Number(size[1]);
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? /<NextContinuationToken>([^<]*)</.exec(xml)?.[1] : undefined;
  } while (token);
  return `${count} objects, ${bytes} bytes`;
}
/** Runs `work` and measures the longest gap between 1 ms timer ticks: how long the event loop was held. */
const stalls = {};
async function probed(name, work) {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    (stalls[name] ??= []).push(Math.max(longest, performance.now() - last));
  }
}
const duck = (sql) => async () => `${(await connection.runAndReadAll(sql)).currentRowCount} rows`;
const GLOB = `SELECT file FROM glob('r2://${bucket}/**')`;
const READ_BLOB = `SELECT filename, size, last_modified FROM read_blob('r2://${bucket}/**')`;
const variants = {
  'raw ListObjectsV2 (floor)': rawListing,
  'DuckDB glob': duck(GLOB),
  'DuckDB read_blob (filename, size, last_modified)': duck(READ_BLOB),
  'Test R2 Bucket (direct listing, DuckDB reads meanwhile)': async () => {
    const r = await probed('direct', () => testBucket(deps, { root: `r2://${bucket}/`, credentials }));
    return `${r.method}, ${r.listing.objectCount} objects, list ${Math.round(r.listMs)} ms, read ${r.read.outcome}`;
  },
  'Test R2 Bucket (DuckDB-only listing)': async () => {
    const r = await probed('duckdb', () => testBucket(deps, { root: `r2://${bucket}/`, credentials, duckdbOnly: true }));
    return `${r.method}, ${r.listing.objectCount} objects, list ${Math.round(r.listMs)} ms, read ${r.read.outcome}`;
  },
};

const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round <= rounds; round++) {
  for (const [name, work] of Object.entries(variants)) {
    const started = performance.now();
    const note = await work();
    const elapsed = performance.now() - started;
    if (round > 0) times[name].push(elapsed);
    console.log(`  ${round === 0 ? 'warm-up' : `round ${round}`}  ${name}: ${Math.round(elapsed)} ms (${note})`);
  }
}

// Requests per DuckDB form, from DuckDB's own HTTP log (one untimed run each).
await connection.run(`CALL enable_logging('HTTP')`);
const requests = {};
for (const [name, sql] of [['DuckDB glob', GLOB], ['DuckDB read_blob (filename, size, last_modified)', READ_BLOB]]) {
  await connection.run('CALL truncate_duckdb_logs()');
  await connection.run(sql);
  const rows = (await connection.runAndReadAll(`SELECT request.type AS method, count(*)::INTEGER AS n FROM duckdb_logs_parsed('HTTP') GROUP BY ALL ORDER BY 1`)).getRowObjectsJson();
  requests[name] = rows.map((r) => `${r.n} ${r.method}`).join(', ');
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const floor = median(times['raw ListObjectsV2 (floor)']);
console.log(`\nMedian of ${rounds} rounds, ${objects.toLocaleString('en-US')} objects (load now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
for (const [name, list] of Object.entries(times)) {
  const m = median(list);
  console.log(`  ${name.padEnd(58)} ${String(Math.round(m)).padStart(6)} ms  ${(m / floor).toFixed(2)}×${requests[name] ? `  requests: ${requests[name]}` : ''}`);
}

// Includes garbage collection and the machine's own scheduling delays (on a loaded 2-core machine a gap can be the OS running something else).
const roundsOf = (list) => list.slice(1).map((n) => Math.round(n)).join(', ');
console.log(`  longest event-loop stall during Test R2 Bucket, per round: direct ${roundsOf(stalls.direct)} ms; DuckDB-only ${roundsOf(stalls.duckdb)} ms`);

session.dispose();
connection.closeSync();
instance.closeSync();
await server.stop();
