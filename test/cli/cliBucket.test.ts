/**
 * `test` and `doctor` from dist/cli.js against s3rver on 127.0.0.1: a listing that works, a wrong
 * secret key (403), a missing bucket (404), the JSON shapes, and what both say without httpfs.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { S3Server } from '../support/s3Server';
import { seededR2Keys } from '../support/seededKeys';
import { CliSandbox, startCliLake, extensionDir, type Run } from './cliSupport';

const keys = seededR2Keys(0x5eed_b0c);
// s3rver does not check signatures, so the 403 comes from a key id it does not know.
const unknownKeyId = seededR2Keys(0x0bad_b0c).accessKeyId;
/** A loopback port nothing listens on (one the system just handed out and took back). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T;

interface TestJson {
  ok: boolean;
  root: string;
  method: string;
  secret: { name: string; storage: string; persistent: boolean } | null;
  objects: number;
  bytes: number;
  folders: { prefix: string; objects: number; bytes: number }[];
  read: { outcome: string };
}

describe('duckdb-secrets test and doctor (dist/cli.js, s3rver)', function () {
  this.timeout(60_000);
  let server: S3Server;
  let sandbox: CliSandbox;
  let env: Record<string, string>;

  before(async () => {
    ({ server, env } = await startCliLake(keys));
    sandbox = new CliSandbox();
  });

  after(async () => {
    const all = sandbox?.transcript.join('\n') ?? '';
    assert.ok(all.length > 0);
    for (const value of [keys.accessKeyId, keys.secretAccessKey, unknownKeyId]) assert.ok(!all.includes(value), 'no key in stdout/stderr');
    sandbox?.remove();
    await server?.stop();
  });

  describe('with httpfs (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', () => {
    before(function () {
      if (!extensionDir) {
        console.log('      skipped: needs httpfs; set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding it');
        this.skip();
      }
    });

    it('test: lists, reads, names the secret; text and --json', () => {
      const text = sandbox.run(['test'], env);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /^list ✓ read ✓ · 4 objects · .* · secret r2_dev_secret \(Session \(memory\)\)/);
      assert.match(text.stdout, /sales\/\s+2/);
      const run = sandbox.run(['test', 'r2://lake/sales/', '--json'], env);
      assert.equal(run.status, 0, run.stderr);
      const result = json<TestJson>(run);
      assert.equal(result.ok, true);
      assert.equal(result.root, 'r2://lake/sales/');
      assert.equal(result.method, 'direct');
      assert.deepEqual(result.secret, { name: 'r2_dev_secret', storage: 'memory', persistent: false });
      assert.equal(result.objects, 2);
      assert.deepEqual(result.folders.map((f) => [f.prefix, f.objects]), [['sales/year=2024/', 2]]);
      assert.equal(result.read.outcome, 'ok');
    });

    it('test: an unknown access key id exits 4, a missing bucket 5', () => {
      const denied = sandbox.run(['test'], { ...env, R2_ACCESS_KEY_ID: unknownKeyId });
      assert.equal(denied.status, 4, denied.stderr);
      // With httpfs the direct listing's failure falls back to DuckDB's listing, so the error is DuckDB's own: it names the secret `test` made.
      assert.match(denied.stderr, /does not know the access key id of secret "r2_dev_secret" \(HTTP 403 InvalidAccessKeyId\).* update the credentials in the environment or \.env/);
      const missing = sandbox.run(['test', 'no-such-bucket'], env);
      assert.equal(missing.status, 5, missing.stderr);
      assert.match(missing.stderr, /Bucket "no-such-bucket" not found/);
    });

    it('doctor: every check passes against s3rver', () => {
      const run = sandbox.run(['doctor', '--json'], env);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      const checks = json<{ checks: { check: string; status: string }[] }>(run).checks;
      assert.deepEqual(checks.filter((c) => c.status === 'failed'), []);
    });
  });

  describe('without httpfs (offline)', () => {
    before(function () {
      if (extensionDir) this.skip();
    });

    it('test lists with the credentials, then exits 6 saying how to give DuckDB httpfs', () => {
      const run = sandbox.run(['test'], env);
      assert.equal(run.status, 6, run.stderr);
      assert.match(run.stdout, /^list ✓ \(with the credentials' S3 client, not DuckDB\) · 4 objects .*DuckDB ✗ \(httpfs not available\)/);
      assert.match(run.stderr, /could not download it .*--duckdb-option extension_directory=/);
      const result = json<TestJson>(sandbox.run(['test', '--json'], env));
      assert.equal(result.ok, false);
      assert.equal(result.method, 'direct');
      assert.equal(result.objects, 4);
      assert.deepEqual(result.folders.map((f) => [f.prefix, f.objects]), [['sales/', 2], ['staging/', 1]]);
    });

    it('test: an unknown access key id exits 4, a missing bucket 5, a dead endpoint 6', async () => {
      const denied = sandbox.run(['test'], { ...env, R2_ACCESS_KEY_ID: unknownKeyId });
      assert.equal(denied.status, 4, denied.stderr);
      assert.match(denied.stderr, /does not know the access key id of the credentials from the environment \(HTTP 403 InvalidAccessKeyId\)/);
      const missing = sandbox.run(['test', 'r2://no-such-bucket/'], env);
      assert.equal(missing.status, 5, missing.stderr);
      assert.match(missing.stderr, /Bucket "no-such-bucket" not found/);
      const port = await closedPort();
      const dead = sandbox.run(['test'], { ...env, R2_ENDPOINT: `http://127.0.0.1:${port}` });
      assert.equal(dead.status, 6, dead.stderr);
      assert.match(dead.stderr, new RegExp(`Nothing answers at 127\\.0\\.0\\.1:${port}`));
    });

    it('--verbose adds DuckDB\'s own text, scrubbed', () => {
      const run = sandbox.run(['test', '--verbose'], env);
      assert.equal(run.status, 6);
      assert.match(run.stderr, /Failed to download extension "httpfs"/);
    });

    it('doctor: names the variables, DuckDB\'s version, httpfs missing with the hint, the bucket lists', () => {
      const text = sandbox.run(['doctor'], env);
      assert.equal(text.status, 6, text.stderr);
      assert.match(text.stdout, /✓ credentials +R2_ACCESS_KEY_ID, R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID, DUCKLAKE_NAME, R2_ENDPOINT from the environment/);
      assert.match(text.stdout, /✓ duckdb +DuckDB v\d+\.\d+\.\d+/);
      assert.match(text.stdout, /✗ httpfs +not available\. DuckDB needs its httpfs extension.*--duckdb-option extension_directory=/);
      assert.match(text.stdout, /– secret +skipped|– secret +needs httpfs/);
      assert.match(text.stdout, /✓ bucket +r2:\/\/lake\/ lists/);
      assert.match(text.stdout, /– motherduck +no token set/);
      const checks = json<{ checks: { check: string; status: string }[] }>(sandbox.run(['doctor', '--json'], env)).checks;
      assert.deepEqual(
        checks.map((c) => [c.check, c.status]),
        [['credentials', 'ok'], ['shapes', 'ok'], ['duckdb', 'ok'], ['httpfs', 'failed'], ['secret', 'skipped'], ['bucket', 'ok'], ['motherduck', 'skipped'], ['plaintext', 'ok']],
      );
    });
  });
});
