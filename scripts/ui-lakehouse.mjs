// The world the UI journey (scripts/ui-journey.mjs) runs in, set up before code-server starts:
// a real S3 server (s3rver, through the compiled test/support/s3Server helper) on 127.0.0.1, behind
// a front that checks every request's signature with AWS's signer (test/support/s3SigningFront), with
// a small lakehouse bucket of real Parquet, CSV and NDJSON files, a DuckDB secret_directory
// holding a persistent `http` secret made by a real DuckDB, and the user settings pointing the
// extension at that directory (and at a self-built httpfs, when DUCKDB_SECRETS_TEST_EXTENSION_DIR
// names one).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { repoRoot } from './codeServer.mjs';

export const BUCKET = 'lakehouse';

/** What the person types; the two keys are canaries no view or notification may ever show. */
export const PROFILE = {
  label: 'dev',
  accountId: '3f9d2c41a7b84e0c9d51f2a6b8c7e013',
  accessKeyId: 'UIJOURNEYKEY7Q2M',
  secretAccessKey: 'ui-journey-secret-k9X4vT7wQ2',
};
/** The bearer token of the persistent `http` secret: also a canary. */
export const HTTP_SECRET = { name: 'corp_api', token: 'ui-journey-bearer-T0k3n', scope: 'https://api.corp.example' };

const supportSources = ['s3Server', 's3ServerChild', 's3SigningFront', 'memoryS3'].map((name) => path.join(repoRoot, 'test', 'support', `${name}.ts`));
const supportOut = path.join(repoRoot, 'out', 'test', 'support');

/** Compiles test/support's S3 server helper when out/ lacks it or is older than its source. */
function s3ServerHelper() {
  const stale = supportSources.some((source) => {
    const compiled = path.join(supportOut, `${path.basename(source, '.ts')}.js`);
    return !fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(source).mtimeMs;
  });
  if (stale) {
    // The options of tsconfig.json that matter here (tsc takes no project and a file list at once).
    const args = ['tsc', '--outDir', supportOut, '--target', 'ES2022', '--lib', 'ES2022', '--module', 'commonjs', '--moduleResolution', 'node'];
    args.push('--esModuleInterop', '--skipLibCheck', '--strict', '--sourceMap', '--types', 'node', ...supportSources);
    const result = spawnSync('npx', args, { cwd: repoRoot, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`compiling test/support/s3Server.ts failed:\n${result.stdout}${result.stderr}`);
  }
  const load = createRequire(import.meta.url);
  return { ...load(path.join(supportOut, 's3Server.js')), ...load(path.join(supportOut, 's3SigningFront.js')), ...load(path.join(supportOut, 'memoryS3.js')) };
}

/** ~20 objects shaped like a dbt/DuckDB lakehouse: Hive-partitioned Parquet, CSV seeds, raw NDJSON. */
async function lakehouseObjects(connection, work) {
  // Partition columns (year, month) live in the paths only, as Hive-partitioned writers leave them.
  const parquet = async (name, rows) => {
    const file = path.join(work, name.replaceAll('/', '_'));
    await connection.run(
      `COPY (SELECT range AS order_id, TIMESTAMP '2024-01-01' + INTERVAL (range) MINUTE AS ordered_at,
                    round(random() * 500, 2) AS amount, 'store-' || (range % 7) AS store
             FROM range(${rows})) TO '${file}' (FORMAT parquet)`,
    );
    return { key: name, body: fs.readFileSync(file) };
  };
  const csv = (rows) => rows.map((row) => row.join(',')).join('\n') + '\n';
  const events = (day) => Array.from({ length: 40 + day * 15 }, (_, i) => JSON.stringify({ day, i, kind: i % 3 ? 'view' : 'buy' })).join('\n') + '\n';
  return [
    await parquet('sales/year=2023/month=11/part-0.parquet', 900),
    await parquet('sales/year=2023/month=12/part-0.parquet', 1400),
    await parquet('sales/year=2024/month=01/part-0.parquet', 2000),
    await parquet('sales/year=2024/month=01/part-1.parquet', 700),
    await parquet('sales/year=2024/month=02/part-0.parquet', 1800),
    await parquet('sales/year=2024/month=02/part-1.parquet', 300),
    await parquet('sales/year=2024/month=03/part-0.parquet', 2400),
    await parquet('products/products.parquet', 120),
    { key: 'customers/customers.csv', body: csv([['id', 'name', 'segment'], ...Array.from({ length: 60 }, (_, i) => [i, `Customer ${i}`, i % 4])]) },
    { key: 'customers/segments.csv', body: csv([['segment', 'label'], [0, 'retail'], [1, 'wholesale'], [2, 'online'], [3, 'partner']]) },
    { key: 'products/categories.csv', body: csv([['id', 'category'], [1, 'coffee'], [2, 'tea'], [3, 'cups']]) },
    ...[1, 2, 3, 4].map((day) => ({ key: `raw/events/2024-01-0${day}.ndjson`, body: events(day) })),
    { key: 'exports/daily_revenue.csv', body: csv([['day', 'revenue'], ...Array.from({ length: 31 }, (_, i) => [`2024-01-${String(i + 1).padStart(2, '0')}`, 1000 + i * 37])]) },
    { key: 'exports/monthly_revenue.csv', body: csv([['month', 'revenue'], ['2024-01', 41230], ['2024-02', 39877], ['2024-03', 45012]]) },
    { key: 'dbt/manifest.json', body: JSON.stringify({ metadata: { dbt_version: '1.8.0' }, nodes: {} }) },
    { key: 'README.md', body: '# lakehouse\nSales partitions by year and month, seeds in customers/ and products/.\n' },
    // Awkward names, as DuckDB writes them: a space, unicode, `%`, `#`, and a folder holding only sub-folders.
    await parquet('données/été 2024/part-0.parquet', 50),
    { key: 'folder with spaces/100% done #1.csv', body: csv([['a', 'b'], [1, 2]]) },
    { key: 'staging/only sub/inner/x.csv', body: csv([['x'], [1]]) },
  ];
}

/** Names real lakehouses hold and tools trip on: spaces, accents, `%`, `#`, `+`, `=`. */
function awkwardObjects() {
  const csv = 'id,label\n1,one\n2,two\n';
  return [
    'données/été 2024/ventes.csv',
    'folder with spaces/a file.csv',
    '100% folder/report.csv',
    '#hash folder/notes.csv',
    'plus+sign/c++.csv',
    'sales/year=2024/month=03/extra=a b/part-0.csv',
  ].map((key) => ({ key, body: csv }));
}

/**
 * Starts the S3 server with the lakehouse bucket (plus `extraObjects`, e.g. the benchmark's big
 * folder) and makes the secret directory; `memoryBuckets` (name → keys) are served from memory
 * (test/support/memoryS3: lists only, but a million keys) behind the same signing front. Returns what
 * the journey needs, the user settings to write, and `stop()`.
 */
export async function setUpLakehouse({ profile = PROFILE, awkwardNames = false, extraObjects = [], memoryBuckets = {} } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-ui-lakehouse-'));
  const { S3Server, S3SigningFront, MemoryS3 } = s3ServerHelper();
  const server = await S3Server.start({ buckets: [BUCKET], accessKeys: [[profile.accessKeyId, profile.secretAccessKey]] });
  const memory = await MemoryS3.start(memoryBuckets);
  const routes = new Map(Object.keys(memoryBuckets).map((bucket) => [bucket, memory.port]));
  const front = await S3SigningFront.start(server.port, new Map([[profile.accessKeyId, profile.secretAccessKey]]), routes);
  try {
    const secretDirectory = path.join(work, 'secrets');
    fs.mkdirSync(secretDirectory);
    const instance = await DuckDBInstance.create(':memory:', { secret_directory: secretDirectory });
    const connection = await instance.connect();
    let objects;
    try {
      await connection.run(
        `CREATE PERSISTENT SECRET ${HTTP_SECRET.name} (TYPE http, BEARER_TOKEN '${HTTP_SECRET.token}', ` +
          `HTTP_PROXY 'http://proxy.corp.example:3128', SCOPE '${HTTP_SECRET.scope}')`,
      );
      objects = await lakehouseObjects(connection, work);
      if (awkwardNames) objects.push(...awkwardObjects());
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const count = server.writeObjects(BUCKET, [...objects, ...extraObjects]);

    const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
    const options = { secret_directory: secretDirectory };
    if (extensionDir) Object.assign(options, { extension_directory: extensionDir, allow_unsigned_extensions: 'true' });
    return {
      endpoint: front.endpoint,
      /** Requests the front refused because they differ from what was signed. */
      rejected: () => front.requests.filter((r) => !r.ok).map((r) => r.target),
      /** Every request the front saw, with when it arrived and when its answer ended (this process's clock). */
      requests: () => front.requests,
      objectCount: count,
      secretDirectory,
      httpfs: Boolean(extensionDir),
      settings: { 'duckdbSecrets.duckdb.options': options },
      async stop() {
        await front.stop();
        await memory.stop();
        await server.stop();
        fs.rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await front.stop();
    await memory.stop();
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
