// Benchmark of the credential detector (not a test): detectCredentials over generated 10,000-line
// files (DuckDB/dbt SQL with a few hardcoded keys, the same with known-credential hashes, Python,
// YAML) and two hostile inputs (one 1 MB line, 20,000 unclosed quotes). Prints median/min/max.
//
//   node scripts/bench-detect.mjs [--runs 20] [--lines 10000]
//
// Bundles src/core/detect and the seeded test fixtures with esbuild into a temporary file first,
// so it needs no tsc run and measures the same code the language server bundles.
import os from 'node:os';
import { requireTs } from './requireTs.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = Math.max(5, arg('runs', 20));
const lineCount = arg('lines', 10_000);

const { detectCredentials, hashCredential, CredentialFixtures } = await requireTs([
  "export { detectCredentials } from './src/core/detect/detectCredentials';",
  "export { hashCredential } from './src/core/detect/knownCredentials';",
  "export { CredentialFixtures } from './test/support/credentialFixtures';",
]);

const f = new CredentialFixtures(20240601);

/** Realistic DuckDB/dbt SQL: CTEs, Jinja, comments, checksums, r2:// paths; a CREATE SECRET every 500 lines. */
function sqlFile(lines) {
  const out = [];
  let keys = 0;
  while (out.length < lines) {
    const n = out.length;
    if (n % 500 === 0) {
      keys++;
      out.push('CREATE OR REPLACE SECRET r2_lake (', '  TYPE r2,', `  KEY_ID '${f.r2KeyId()}',`, `  SECRET '${f.r2Secret()}',`, `  ACCOUNT_ID '${f.accountId()}'`, ');');
      continue;
    }
    out.push(
      f.pick([
        `-- model ${n}: orders joined to customers, see ticket ${f.int(9999)}`,
        `with orders_${n} as (select * from {{ ref('stg_orders') }} where order_date >= '2024-01-01'),`,
        `select o.order_id, c.customer_id, md5(o.payload) = '${f.md5()}' as unchanged from orders o`,
        `left join read_parquet('r2://lake/orders/${f.md5()}/part-${n}.parquet', hive_partitioning = true) p using (order_id)`,
        `  , coalesce(c.email, 'unknown') as email, sum(o.amount) over (partition by c.customer_id) as lifetime_value`,
        `where c.secret_hash <> '${f.sha256()}' and o.status in ('paid', 'shipped', 'refunded')`,
        `{% if is_incremental() %} and updated_at > (select max(updated_at) from {{ this }}) {% endif %}`,
        `SET s3_region = 'auto'; SELECT which_secret('r2://lake/x${n}', 'r2');`,
        `group by all order by 1 limit ${f.int(1000)};`,
      ]),
    );
  }
  return { text: out.slice(0, lines).join('\n') + '\n', keys };
}

function pythonFile(lines) {
  const out = [];
  while (out.length < lines) {
    const n = out.length;
    if (n % 500 === 0) out.push(`s3 = boto3.client("s3", aws_access_key_id="${f.awsKeyId()}", aws_secret_access_key="${f.awsSecret()}")`);
    else
      out.push(
        f.pick([
          `def step_${n}(con, key: str = os.getenv("R2_ACCESS_KEY_ID")) -> None:`,
          `    df = con.sql(f"FROM read_parquet('r2://lake/{table}/*.parquet')").df()  # ${f.gitSha()}`,
          `    result[${n}] = {"id": "${f.uuid()}", "checksum": "${f.md5()}", "secret": secret_name}`,
          `    logger.info("loaded %s rows into %s", len(df), "orders_${n}")`,
        ]),
      );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function yamlFile(lines) {
  const out = ['lake:', '  outputs:'];
  while (out.length < lines) {
    const n = out.length;
    out.push(
      `    target_${n}:`,
      '      type: duckdb',
      `      path: "md:analytics_${n}"`,
      '      settings:',
      n % 500 < 6 ? `        s3_secret_access_key: ${f.r2Secret()}` : `        s3_secret_access_key: "{{ env_var('R2_SECRET_KEY') }}"`,
      `      threads: ${f.int(16)}`,
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

const sql = sqlFile(lineCount);
const storedSecret = f.r2Secret();
const salt = f.md5();
const known = {
  salt,
  hashes: new Map([
    [hashCredential(storedSecret, salt), { role: 'secret', provider: 'r2', label: 'Lakehouse' }],
    [hashCredential(f.r2KeyId(), salt), { role: 'key_id', provider: 'r2', label: 'Lakehouse' }],
    [hashCredential(f.motherDuckToken(), salt), { role: 'motherduck_token' }],
  ]),
};
const cases = [
  { name: `SQL, ${lineCount.toLocaleString('en-US')} lines`, text: sql.text, kind: 'sql' },
  // A fresh KnownHashes object each run: every distinct string hashed (the first scan after a salt).
  { name: 'SQL, same, 3 known hashes, first scan', text: sql.text, kind: 'sql', options: () => ({ knownHashes: { ...known } }) },
  // The same object across runs, as a server keeps it while the salt lives: hashes are cached.
  { name: 'SQL, same, 3 known hashes, next scans', text: sql.text, kind: 'sql', options: () => ({ knownHashes: known }) },
  { name: `Python, ${lineCount.toLocaleString('en-US')} lines`, text: pythonFile(lineCount), kind: 'python' },
  { name: `YAML, ${lineCount.toLocaleString('en-US')} lines`, text: yamlFile(lineCount), kind: 'dbt-profiles' },
  { name: 'one 1 MB line of base64', text: `SECRET '${f.blob(1 << 20)}`, kind: 'sql' },
  { name: '20,000 unclosed quotes and keys', text: "KEY_ID '".repeat(20_000), kind: 'sql' },
];

const ms = (n) => `${n.toFixed(1)} ms`;
const median = (sorted) => (sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
console.log(`detectCredentials, ${runs} runs after 3 warm-up runs (node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)})`);
console.log('Wall time, and the process CPU time of the same runs (steadier on a shared machine).\n');
console.log('| input | size | findings | median | min | max | CPU median |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const c of cases) {
  const options = () => (typeof c.options === 'function' ? c.options() : c.options);
  for (let i = 0; i < 3; i++) detectCredentials(c.text, c.kind, options());
  const wall = [];
  const cpu = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const opts = options();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    findings = detectCredentials(c.text, c.kind, opts).length;
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const kib = `${(Buffer.byteLength(c.text) / 1024).toFixed(0)} KiB`;
  console.log(`| ${c.name} | ${kib} | ${findings} | ${ms(median(wall))} | ${ms(wall[0])} | ${ms(wall[wall.length - 1])} | ${ms(median(cpu))} |`);
}
