/**
 * `scan` from dist/cli.js over a temporary git repository: git-tracked files by default, the
 * staged blob with --staged (not the working copy), explicit paths, text/JSON/SARIF 2.1.0 output,
 * exit 1 on findings, and never the value itself.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededR2Keys } from '../support/seededKeys';
import { CliSandbox, type Run } from './cliSupport';

const keys = seededR2Keys(0x5ca_7ed);
const staged = seededR2Keys(0x5ca_7ee);

interface SarifRun {
  tool: { driver: { name: string; rules: { id: string }[] } };
  results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
}

describe('duckdb-secrets scan (dist/cli.js, a git repository)', function () {
  this.timeout(60_000);
  let sandbox: CliSandbox;
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: sandbox.cwd, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  };
  const scan = (...args: string[]): Run => sandbox.run(['scan', ...args], {}, { duckdb: false });

  before(() => {
    sandbox = new CliSandbox();
    git('init', '-q');
    git('config', 'user.email', 'cli@test.invalid');
    git('config', 'user.name', 'CLI test');
    fs.mkdirSync(path.join(sandbox.cwd, 'models'));
    const sql = ["-- a model", `CREATE SECRET r2 (TYPE r2, KEY_ID '${keys.accessKeyId}', SECRET '${keys.secretAccessKey}', ACCOUNT_ID 'x');`, ''].join('\n');
    fs.writeFileSync(path.join(sandbox.cwd, 'models', 'setup.sql'), sql);
    fs.writeFileSync(path.join(sandbox.cwd, 'clean.sql'), "CREATE SECRET r2 (TYPE r2, KEY_ID getenv('R2_ACCESS_KEY_ID'));\n");
    fs.writeFileSync(path.join(sandbox.cwd, 'untracked.sql'), sql);
    git('add', 'models/setup.sql', 'clean.sql');
    git('commit', '-q', '-m', 'seed');
  });
  after(() => {
    const all = sandbox?.transcript.join('\n') ?? '';
    assert.ok(all.length > 0);
    for (const value of [keys.accessKeyId, keys.secretAccessKey, staged.accessKeyId, staged.secretAccessKey]) assert.ok(!all.includes(value), 'no value in the output');
    sandbox?.remove();
  });

  it('text: git-tracked files only, file:line:col kind message, exit 1', () => {
    const run = scan();
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 2, run.stdout);
    assert.match(lines[0] ?? '', /^models\/setup\.sql:2:\d+ {2}key_id {2}\S/);
    assert.match(lines[1] ?? '', /^models\/setup\.sql:2:\d+ {2}secret {2}\S/);
    assert.doesNotMatch(run.stdout, /untracked\.sql/);
    assert.match(run.stderr, /2 findings in 2 files scanned\./);
  });

  it('JSON and SARIF 2.1.0: ruleId is the finding kind, 1-based positions', () => {
    const found = JSON.parse(scan('--format', 'json').stdout) as { files: number; findings: { path: string; line: number; column: number; kind: string }[] };
    assert.equal(found.files, 2);
    assert.deepEqual(found.findings.map((f) => [f.path, f.line, f.kind]), [['models/setup.sql', 2, 'key_id'], ['models/setup.sql', 2, 'secret']]);
    const line = `CREATE SECRET r2 (TYPE r2, KEY_ID '${keys.accessKeyId}'`;
    assert.equal(found.findings[0]?.column, line.indexOf(keys.accessKeyId) + 1);

    const run = scan('--format', 'sarif');
    assert.equal(run.status, 1);
    const sarif = JSON.parse(run.stdout) as { version: string; $schema: string; runs: SarifRun[] };
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const [sarifRun] = sarif.runs;
    assert.equal(sarifRun?.tool.driver.name, 'duckdb-secrets');
    assert.deepEqual(sarifRun?.tool.driver.rules.map((r) => r.id), ['key_id', 'secret']);
    assert.deepEqual(sarifRun?.results.map((r) => r.ruleId), ['key_id', 'secret']);
    const location = sarifRun?.results[0]?.locations[0]?.physicalLocation;
    assert.equal(location?.artifactLocation.uri, 'models/setup.sql');
    assert.deepEqual(location?.region && [location.region.startLine, location.region.startColumn], [2, line.indexOf(keys.accessKeyId) + 1]);
  });

  it('--staged reads the staged blob, not the working copy', () => {
    const file = path.join(sandbox.cwd, 'clean.sql');
    fs.writeFileSync(file, `SET s3_secret_access_key = '${staged.secretAccessKey}';\n`);
    git('add', 'clean.sql');
    fs.writeFileSync(file, '-- fixed in the working copy, not yet staged\n');
    const run = scan('--staged', '--format', 'json');
    assert.equal(run.status, 1, run.stderr);
    const found = JSON.parse(run.stdout) as { files: number; findings: { path: string; kind: string }[] };
    assert.equal(found.files, 1);
    assert.deepEqual(found.findings.map((f) => f.path), ['clean.sql']);
    git('reset', '-q', 'clean.sql');
    git('checkout', '-q', '--', 'clean.sql');
    const none = scan('--staged');
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stderr, /0 findings in 0 files scanned\./);
  });

  it('explicit paths: a clean file exits 0, an untracked one is scanned when named', () => {
    const clean = scan('clean.sql');
    assert.equal(clean.status, 0, clean.stdout);
    assert.equal(clean.stdout, '');
    const named = scan('untracked.sql', '--format', 'json');
    assert.equal(named.status, 1);
    assert.equal((JSON.parse(named.stdout) as { findings: unknown[] }).findings.length, 2);
    assert.equal(scan('no-such-file.sql').status, 2);
    assert.equal(scan('--format', 'xml').status, 2);
  });
});
