/**
 * The CLI tier: the built dist/cli.js as a child process against a real DuckDB and s3rver on
 * 127.0.0.1. Tests that need httpfs (DuckDB's R2 secret type) run when
 * DUCKDB_SECRETS_TEST_EXTENSION_DIR names an extension directory holding it, and are skipped with
 * a printed reason otherwise; the offline behaviour (what `test` and `doctor` say without httpfs)
 * is tested when it is not set.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoCanary, keyPairCanaries } from '../support/canary';
import type { S3Server } from '../support/s3Server';
import { seededR2Keys } from '../support/seededKeys';
import { TEST_ACCOUNT_ID } from '../support/testProfiles';
import { CliSandbox, startCliLake, KEY_SHAPED, extensionDir, repoRoot, type Run } from './cliSupport';

const keys = seededR2Keys(0x5eed_c11);
const SKIP_REASON = 'skipped: needs httpfs; set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding it';

function needsHttpfs(context: Mocha.Context): void {
  if (!extensionDir) {
    console.log(`      ${SKIP_REASON}`);
    context.skip();
  }
}

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T;

describe('duckdb-secrets CLI (dist/cli.js)', function () {
  this.timeout(60_000);
  let server: S3Server;
  let sandbox: CliSandbox;
  let env: Record<string, string>;

  before(async () => {
    assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'cli.js')), 'dist/cli.js is built (npm run build)');
    ({ server, env } = await startCliLake(keys, ['lake', 'other']));
    sandbox = new CliSandbox();
  });

  after(async () => {
    // The canary: no run printed either key, whatever it was asked.
    if (sandbox) assertNoCanary(sandbox.transcript, keyPairCanaries(keys));
    sandbox?.remove();
    await server?.stop();
  });

  describe('help, version and usage', () => {
    it('--help matches the golden file and holds nothing key-shaped', () => {
      const run = sandbox.run(['--help'], {}, { duckdb: false });
      assert.equal(run.status, 0);
      const golden = path.join(repoRoot, 'test', 'cli', 'golden', 'help.txt');
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, run.stdout);
      assert.equal(run.stdout, fs.readFileSync(golden, 'utf8'));
      assert.doesNotMatch(run.stdout, KEY_SHAPED);
      for (const code of ['0  ok', '2  usage', '3  missing or invalid credentials', '4  access denied', '5  not found', '6  network or extension download']) {
        assert.ok(run.stdout.includes(code), code);
      }
    });

    it('each command has its own --help with the exit codes', () => {
      const run = sandbox.run(['test', '--help'], {}, { duckdb: false });
      assert.equal(run.status, 0);
      assert.match(run.stdout, /Usage: duckdb-secrets test \[options\] \[bucket\]/);
      assert.match(run.stdout, /--read <key>/);
      assert.match(run.stdout, /Exit codes:/);
    });

    it('--version prints the package version', () => {
      const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      const run = sandbox.run(['--version'], {}, { duckdb: false });
      assert.equal(run.status, 0);
      assert.equal(run.stdout.trim(), version);
    });

    it('usage errors exit 2: unknown command, bad --duckdb-option, create without a storage', () => {
      assert.equal(sandbox.run(['frobnicate'], {}, { duckdb: false }).status, 2);
      const bad = sandbox.run(['list', '--duckdb-option', 'no_equals_sign']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--duckdb-option takes key=value/);
      const create = sandbox.run(['create'], env);
      assert.equal(create.status, 2);
      assert.match(create.stderr, /--persistent .*--motherduck.*duckdb-secrets test/s);
      const option = sandbox.run(['list', '--duckdb-option', 'no_such_option=1']);
      assert.equal(option.status, 2, option.stderr);
    });
  });

  describe('credentials', () => {
    it('missing credentials exit 3 and name every missing variable', () => {
      const run = sandbox.run(['test'], {});
      assert.equal(run.status, 3);
      assert.match(run.stderr, /Missing R2 credentials: R2_ACCESS_KEY_ID, R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID \(looked in the environment\)/);
    });

    it('an invalid account id exits 3 with the extension\'s message, naming the variable, never the value', () => {
      const run = sandbox.run(['test'], { ...env, R2_ENDPOINT: '', CLOUDFLARE_ACCOUNT_ID: keys.secretAccessKey.slice(0, 40) });
      assert.equal(run.status, 3);
      assert.match(run.stderr, /CLOUDFLARE_ACCOUNT_ID must be 32 hexadecimal characters \(0-9, a-f\); it has 40\./);
    });

    it('reads ./.env, --dotenv and the variable-name flags', () => {
      const dotenv = Object.entries({ ...env, DUCKLAKE_NAME: 'nope' }).map(([k, v]) => `${k}=${v}`).join('\n');
      fs.writeFileSync(path.join(sandbox.cwd, '.env'), dotenv);
      try {
        const fromDotEnv = sandbox.run(['doctor', '--json'], { DUCKLAKE_NAME: 'lake' });
        const checks = json<{ checks: { check: string; status: string; message: string }[] }>(fromDotEnv).checks;
        assert.match(checks.find((c) => c.check === 'credentials')?.message ?? '', /R2_ACCESS_KEY_ID, R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID, R2_ENDPOINT from \.\/\.env; DUCKLAKE_NAME from the environment/);
        // The environment wins over .env (DUCKLAKE_NAME=lake from the environment).
        const shapes = checks.find((c) => c.check === 'shapes')?.message ?? '';
        assert.match(shapes, /bucket lake/);
      } finally {
        fs.rmSync(path.join(sandbox.cwd, '.env'));
      }
      const file = path.join(sandbox.dir, 'ci.env');
      fs.writeFileSync(file, `MY_KEY=${keys.accessKeyId}\nMY_SECRET=${keys.secretAccessKey}\nMY_ACCOUNT=${TEST_ACCOUNT_ID}\nMY_ENDPOINT=${server.endpoint}\n`);
      const run = sandbox.run(
        ['doctor', '--json', '--dotenv', file, '--access-key-id-var', 'MY_KEY', '--secret-key-var', 'MY_SECRET', '--account-id-var', 'MY_ACCOUNT', '--endpoint-var', 'MY_ENDPOINT'],
        { DUCKLAKE_NAME: 'lake' },
      );
      const found = json<{ checks: { check: string; status: string; message: string }[] }>(run).checks;
      assert.equal(found.find((c) => c.check === 'credentials')?.status, 'ok');
      assert.equal(found.find((c) => c.check === 'bucket')?.status, 'ok', JSON.stringify(found));
      const missing = sandbox.run(['test', '--dotenv', path.join(sandbox.dir, 'nope.env')], {});
      assert.equal(missing.status, 3);
      assert.match(missing.stderr, /Could not read .*nope\.env: ENOENT/);
    });
  });

  describe('secrets', () => {
    it('list: empty storage, text and --json', () => {
      const text = sandbox.run(['list']);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /No secrets/);
      const run = sandbox.run(['list', '--json']);
      assert.deepEqual(json(run), { secrets: [] });
    });

    it('which: no secret applies → exit 5; drop of a missing secret → exit 5', () => {
      const which = sandbox.run(['which', 'https://example.invalid/x', '--type', 'http']);
      assert.equal(which.status, 5, which.stderr);
      assert.match(which.stderr, /No http secret applies to https:\/\/example\.invalid\/x/);
      const drop = sandbox.run(['drop', 'nothing_here']);
      assert.equal(drop.status, 5);
      assert.match(drop.stderr, /Secret "nothing_here" does not exist/);
    });

    it('cleanup never drops without --yes or a terminal, and says when there is nothing', () => {
      const run = sandbox.run(['cleanup']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /No R2 secrets to clean up/);
    });

    it('create --persistent writes into the temporary secret_directory; list, which, cleanup --yes', function () {
      needsHttpfs(this);
      const create = sandbox.run(['create', '--persistent', '--name', 'r2_cli_test'], env);
      assert.equal(create.status, 0, create.stderr);
      assert.match(create.stderr, /unencrypted/);
      assert.ok(fs.existsSync(path.join(sandbox.secretDir, 'r2_cli_test.duckdb_secret')));
      const listed = json<{ secrets: { name: string; storage: string; keyId?: string }[] }>(sandbox.run(['list', '--json']));
      assert.deepEqual(listed.secrets.map((s) => [s.name, s.storage]), [['r2_cli_test', 'local_file']]);
      assert.equal(listed.secrets[0]?.keyId, `${keys.accessKeyId.slice(0, 4)}…${keys.accessKeyId.slice(-4)}`);
      const which = sandbox.run(['which', 'r2://lake/sales/x.csv']);
      assert.equal(which.status, 0, which.stderr);
      assert.match(which.stdout, /^r2_cli_test\tLocal file \(persistent\)/);
      const refused = sandbox.run(['cleanup']);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /r2_cli_test[\s\S]*--yes/);
      assert.ok(fs.existsSync(path.join(sandbox.secretDir, 'r2_cli_test.duckdb_secret')));
      const cleanup = sandbox.run(['cleanup', '--yes', '--json']);
      assert.equal(cleanup.status, 0, cleanup.stderr);
      assert.deepEqual(json(cleanup), { dropped: [{ name: 'r2_cli_test', storage: 'local_file' }], failed: [] });
      assert.ok(!fs.existsSync(path.join(sandbox.secretDir, 'r2_cli_test.duckdb_secret')));
    });

    it('create --persistent without httpfs exits 6 and says how to give DuckDB httpfs', function () {
      if (extensionDir) this.skip();
      const run = sandbox.run(['create', '--persistent'], env);
      assert.equal(run.status, 6);
      assert.match(run.stderr, /httpfs/);
      assert.match(run.stderr, /--duckdb-option extension_directory=/);
      assert.doesNotMatch(run.stderr, /duckdbSecrets\.duckdb\.options/);
    });
  });
});
