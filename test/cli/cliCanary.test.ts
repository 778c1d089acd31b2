/**
 * Canary over every CLI command's error paths: a run with canary R2 keys and a canary MotherDuck
 * token in the environment, in ./.env and in files, each command made to fail in the ways it can
 * (bad credentials, a server that refuses, a key the server does not know, a missing bucket or
 * secret, no httpfs, MotherDuck unreachable, usage errors), in text, --json and --verbose, and
 * scan's text, JSON and SARIF. No output holds a key, the token, or a piece of the secret key.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { assertNoCanary, keyPairCanaries, tokenCanaries } from '../support/canary';
import { fakeMotherDuckToken } from '../support/fakeTokens';
import { S3Server } from '../support/s3Server';
import { seededR2Keys } from '../support/seededKeys';
import { TEST_ACCOUNT_ID } from '../support/testProfiles';
import { CliSandbox, type Run } from './cliSupport';

const keys = seededR2Keys(0xca_4a21);
const unknown = seededR2Keys(0xca_4a22);
const token = fakeMotherDuckToken('cli-canary');
const canaries = [...keyPairCanaries(keys), ...keyPairCanaries(unknown, 'unknown R2'), ...tokenCanaries('MotherDuck token', token)];

describe('duckdb-secrets CLI: no credential in any output, error paths included', function () {
  this.timeout(120_000);
  let server: S3Server;
  let sandbox: CliSandbox;
  const outputs: Record<string, string> = {};

  const record = (label: string, run: Run): Run => {
    outputs[`${label} (stdout)`] = run.stdout;
    outputs[`${label} (stderr)`] = run.stderr;
    return run;
  };

  before(async () => {
    server = await S3Server.start({ buckets: ['lake'], accessKeys: [[keys.accessKeyId, keys.secretAccessKey]] });
    server.writeObjects('lake', [{ key: 'a.csv', body: 'a\n1\n' }]);
    sandbox = new CliSandbox();
    fs.writeFileSync(path.join(sandbox.cwd, '.env'), `R2_ACCESS_KEY_ID=${keys.accessKeyId}\nR2_SECRET_KEY=${keys.secretAccessKey}\nCLOUDFLARE_ACCOUNT_ID=${TEST_ACCOUNT_ID}\nR2_ENDPOINT=${server.endpoint}\nDUCKLAKE_NAME=lake\nmotherduck_token=${token}\n`);
    fs.writeFileSync(path.join(sandbox.cwd, 'setup.sql'), `CREATE SECRET r2 (TYPE r2, KEY_ID '${keys.accessKeyId}', SECRET '${keys.secretAccessKey}', ACCOUNT_ID 'x');\nATTACH 'md:?motherduck_token=${token}';\n`);
    fs.writeFileSync(path.join(sandbox.cwd, 'profiles.yml'), `lake:\n  outputs:\n    dev:\n      type: duckdb\n      path: "md:lake?motherduck_token=${token}"\n`);
    const git = (...args: string[]) => assert.equal(spawnSync('git', args, { cwd: sandbox.cwd }).status, 0, args.join(' '));
    git('init', '-q');
    git('add', 'setup.sql', 'profiles.yml');
  });

  after(async () => {
    sandbox?.remove();
    await server?.stop();
  });

  const wrongKeys = () => ({ R2_ACCESS_KEY_ID: unknown.accessKeyId, R2_SECRET_KEY: unknown.secretAccessKey });

  it('every command, failing every way it can, in text, --json and --verbose', function () {
    const cases: [string, string[], Record<string, string>][] = [
      ['list', ['list'], {}],
      ['list --json', ['list', '--json'], {}],
      ['test, unknown key', ['test', '--json'], wrongKeys()],
      ['test, unknown key, verbose', ['--verbose', 'test'], wrongKeys()],
      ['test, refused', ['--verbose', 'test'], { R2_ENDPOINT: 'http://127.0.0.1:1' }],
      ['test, missing bucket', ['test', 'r2://no-such-bucket/'], {}],
      ['test, invalid account id', ['test'], { CLOUDFLARE_ACCOUNT_ID: `x${keys.accessKeyId}` }],
      ['test, key id where the account id belongs', ['--verbose', 'test', '--json'], { CLOUDFLARE_ACCOUNT_ID: keys.secretAccessKey }],
      ['create --persistent (no httpfs)', ['--verbose', 'create', '--persistent'], {}],
      ['create --motherduck (unreachable)', ['--verbose', 'create', '--motherduck'], {}],
      ['which', ['which', 'r2://lake/sales/'], {}],
      ['which --json verbose', ['--verbose', 'which', '--json', 'r2://lake/x'], {}],
      ['drop missing', ['--verbose', 'drop', 'no_such_secret'], {}],
      ['cleanup without --yes', ['cleanup'], {}],
      ['doctor', ['doctor'], {}],
      ['doctor --json verbose, unknown key', ['--verbose', 'doctor', '--json'], wrongKeys()],
      ['usage: bad option value', ['--duckdb-option', `s3_secret_access_key=${keys.secretAccessKey}`, 'list'], {}],
      ['usage: unknown command', ['nope', keys.secretAccessKey], {}],
      ['scan text', ['scan'], {}],
      ['scan json', ['scan', '--format', 'json'], {}],
      ['scan sarif', ['scan', '--format', 'sarif'], {}],
      ['scan explicit paths', ['scan', '.env', 'setup.sql', '--format', 'sarif'], {}],
    ];
    const statuses: number[] = [];
    for (const [label, args, env] of cases) {
      const run = record(label, sandbox.run(args, { PATH: process.env.PATH ?? '', ...env }));
      statuses.push(run.status ?? -1);
    }
    // Each case failed (cleanup without --yes only declines), so each error path was taken. The exact
    // codes depend on whether httpfs and MotherDuck's extension can be had (offline: 6).
    const failed = (label: string) => statuses[cases.findIndex(([l]) => l === label)];
    // With httpfs (DUCKDB_SECRETS_TEST_EXTENSION_DIR) a persistent secret can be created and which_secret
    // answers, so those take their success paths; the canary check below covers them all the same.
    const succeedWithHttpfs = new Set(['create --persistent (no httpfs)', 'which', 'which --json verbose']);
    const mayPass = (label: string | undefined) =>
      label === 'cleanup without --yes' || (Boolean(process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR) && label !== undefined && succeedWithHttpfs.has(label));
    assert.deepEqual(statuses.map((s, i) => mayPass(cases[i]?.[0]) || s > 0), cases.map(() => true), statuses.join(' '));
    assert.equal(failed('test, invalid account id'), 3);
    assert.equal(failed('drop missing'), 5);
    assert.equal(failed('usage: unknown command'), 2);
    assert.equal(failed('scan sarif'), 1);
    assert.ok(outputs['scan sarif (stdout)']?.includes('"version": "2.1.0"') || outputs['scan sarif (stdout)']?.includes('"version":"2.1.0"'), 'SARIF was written');
    assertNoCanary(outputs, canaries);
  });
});
