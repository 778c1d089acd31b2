/**
 * Error translation, fed with the exact texts the real DuckDB produces here: the httpfs failures
 * come from a real `CREATE SECRET (TYPE r2 …)` on this offline machine, the secret-manager
 * failures from the built-in `http` type.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  OPEN_OPTIONS_SETTING,
  missingCredentialsError,
  missingR2Fields,
  stripStatementEcho,
  translateDuckDBError,
  type DuckDBAction,
} from '../../../../src/core/duckdb/duckdbErrors';
import { UserFacingError } from '../../../../src/core/errors';
import type { Credentials } from '../../../../src/core/credentials/profiles';

const CANARY_KEY = 'AKIDcanary7c1';
const CANARY_SECRET = 'secret-canary-5e2a';
const R2 = `CREATE SECRET r2_dev_secret (TYPE r2, KEY_ID '${CANARY_KEY}', SECRET '${CANARY_SECRET}', ACCOUNT_ID '0123456789abcdef0123456789abcdef')`;
const createR2: DuckDBAction = { kind: 'create', type: 'r2', name: 'r2_dev_secret', persistent: false };
const createHttp: DuckDBAction = { kind: 'create', type: 'http', name: 's', persistent: true };

/** The error DuckDB gives for `statements` (run in order; the last must fail) in a fresh instance. */
async function duckdbError(statements: readonly string[], options: Record<string, string> = {}): Promise<Error> {
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  try {
    for (const [i, sql] of statements.entries()) {
      try {
        await connection.run(sql);
      } catch (error) {
        assert.equal(i, statements.length - 1, `statement ${i} failed early: ${String(error)}`);
        return error as Error;
      }
    }
    return assert.fail('the last statement did not fail');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function assertNoCanary(error: UserFacingError): void {
  for (const text of [error.message, error.detail ?? '']) {
    assert.ok(!text.includes(CANARY_KEY) && !text.includes(CANARY_SECRET), text);
  }
}

const httpfsAvailable = Boolean(process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR);

describe('DuckDB error translation', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-errors-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const secrets = () => ({ secret_directory: path.join(dir, 'secrets') });

  describe('httpfs that cannot be loaded', function () {
    it('offline download: explains, points to the options setting and INSTALL httpfs, offers to open it', async function () {
      if (httpfsAvailable) {
        console.log('      skipped: DUCKDB_SECRETS_TEST_EXTENSION_DIR is set, so this machine may reach the extension repository');
        this.skip();
      }
      const raw = await duckdbError([R2], { ...secrets(), extension_directory: path.join(dir, 'ext') });
      assert.match(raw.message, /^Extension Autoloading Error: .*'httpfs':\nFailed to download extension "httpfs"/s);
      const error = translateDuckDBError(raw, createR2);
      assert.match(error.message, /^DuckDB needs its httpfs extension for R2 secrets and r2:\/\/ paths, and could not download it from extensions\.duckdb\.org \(offline/);
      assert.match(error.message, /extension_directory .*allow_unsigned_extensions.* duckdbSecrets\.duckdb\.options setting, or run INSTALL httpfs/);
      assert.deepEqual(error.actions, [OPEN_OPTIONS_SETTING]);
      assert.deepEqual(OPEN_OPTIONS_SETTING.args, ['duckdbSecrets.duckdb.options']);
      assert.match(error.detail ?? '', /Failed to download extension "httpfs" at URL "http:\/\/extensions\.duckdb\.org\//);
      assertNoCanary(error);
    });

    it('a custom repository that is unreachable is named', async () => {
      const raw = await duckdbError([R2], { ...secrets(), extension_directory: path.join(dir, 'ext'), custom_extension_repository: 'http://127.0.0.1:9/repo' });
      assert.match(translateDuckDBError(raw, createR2).message, /could not download it from 127\.0\.0\.1:9 /);
    });

    it('a damaged file in the extension directory', async () => {
      const version = (await duckdbError(['SELECT error(version())'], secrets())).message.replace(/^.*Error: /, '').trim();
      const folder = path.join(dir, 'ext', version, 'linux_amd64');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'httpfs.duckdb_extension'), Buffer.alloc(4096, 7));
      const raw = await duckdbError([R2], { ...secrets(), extension_directory: path.join(dir, 'ext'), allow_unsigned_extensions: 'true' });
      assert.match(raw.message, /The file is not a DuckDB extension/);
      assert.match(translateDuckDBError(raw, createR2).message, /the httpfs file in its extension directory is not a valid DuckDB extension/);
    });

    it('automatic install or load turned off', async () => {
      const noInstall = await duckdbError([R2], { ...secrets(), extension_directory: path.join(dir, 'ext'), autoinstall_known_extensions: 'false' });
      assert.match(noInstall.message, /Install it first using "INSTALL httpfs"/);
      assert.match(
        translateDuckDBError(noInstall, createR2).message,
        / and it is not installed \(automatic installation is off\)\. Put httpfs where DuckDB finds it: set extension_directory \(plus allow_unsigned_extensions "true" for a self-built one\) in the duckdbSecrets\.duckdb\.options setting, or run INSTALL httpfs once on a connection to the internet\.$/,
      );
      const noLoad = await duckdbError([R2], { ...secrets(), autoload_known_extensions: 'false' });
      assert.match(noLoad.message, /Secret type 'r2' does not exist, but it exists in the httpfs extension/);
      const error = translateDuckDBError(noLoad, createR2);
      assert.match(error.message, /automatic extension loading is turned off \(autoload_known_extensions\)/);
      assert.deepEqual(error.actions, [OPEN_OPTIONS_SETTING]);
    });
  });

  it('an HTTP error from httpfs (its text links to the httpfs docs) is not taken for a missing extension', () => {
    const text =
      "HTTP Error: HTTP GET error reading 'r2://lakehouse/x.parquet' in region 'auto' (HTTP 403 Forbidden)\n\n" +
      'Authentication Failure - this is usually caused by invalid or missing credentials.\n' +
      '* Learn more at https://duckdb.org/docs/stable/core_extensions/httpfs/s3api.html';
    const error = translateDuckDBError(new Error(text), { kind: 'query', what: 'read r2://lakehouse/x.parquet' });
    assert.doesNotMatch(error.message, /needs its httpfs extension/);
  });

  it('persistent secrets disabled: names allow_persistent_secrets and the setting', async () => {
    const raw = await duckdbError(["CREATE PERSISTENT SECRET s (TYPE http, BEARER_TOKEN 'x')"], { ...secrets(), allow_persistent_secrets: 'false' });
    assert.match(raw.message, /^Invalid Input Error: Persistent secrets are disabled/);
    const error = translateDuckDBError(raw, createHttp);
    assert.match(error.message, /Persistent secrets are disabled .*allow_persistent_secrets is false\)\. Remove allow_persistent_secrets from the duckdbSecrets\.duckdb\.options setting/);
    assert.deepEqual(error.actions, [OPEN_OPTIONS_SETTING]);
  });

  it('a persistent secret that already exists', async () => {
    const create = "CREATE PERSISTENT SECRET s (TYPE http, BEARER_TOKEN 'x')";
    const raw = await duckdbError([create, create], secrets());
    assert.equal(raw.message, "Invalid Input Error: Persistent secret with name 's' already exists in secret storage 'local_file'!");
    const error = translateDuckDBError(raw, createHttp);
    assert.equal(error.message, 'A secret named "s" already exists in Local file (persistent). Delete it first (Delete Secret), or choose another name.');
    assert.equal(error.detail, raw.message);
  });

  it('a session secret that already exists', async () => {
    const create = "CREATE SECRET s (TYPE http, BEARER_TOKEN 'x')";
    const raw = await duckdbError([create, create], secrets());
    assert.match(translateDuckDBError(raw, createHttp).message, /^A secret named "s" already exists in Session \(memory\)\./);
  });

  it('an ambiguous name on delete', async () => {
    const raw = await duckdbError(
      ["CREATE SECRET twin (TYPE http, BEARER_TOKEN 'x')", "CREATE PERSISTENT SECRET twin (TYPE http, BEARER_TOKEN 'x')", 'DROP SECRET twin'],
      secrets(),
    );
    assert.match(raw.message, /Ambiguity found for secret name 'twin', secret occurs in multiple storages: \[local_file,memory\]/);
    assert.equal(
      translateDuckDBError(raw, { kind: 'drop', name: 'twin' }).message,
      'Secret "twin" exists in Local file (persistent) and Session (memory). Choose which one to delete.',
    );
  });

  it('a secret that is not there (any more)', async () => {
    const raw = await duckdbError(['DROP PERSISTENT SECRET gone FROM local_file'], secrets());
    assert.equal(raw.message, "Invalid Input Error: Failed to remove non-existent persistent secret 'gone' in secret storage 'local_file'");
    assert.match(translateDuckDBError(raw, { kind: 'drop', name: 'gone', storage: 'local_file' }).message, /^Secret "gone" does not exist in Local file \(persistent\) \(any more\)\. Refresh/);
    const temporary = await duckdbError(['DROP SECRET gone FROM memory'], secrets());
    assert.match(translateDuckDBError(temporary, { kind: 'drop', name: 'gone', storage: 'memory' }).message, /^Secret "gone" does not exist in Session/);
    const unnamed = await duckdbError(['DROP SECRET gone'], secrets());
    assert.equal(unnamed.message, "Invalid Input Error: Failed to remove non-existent secret with name 'gone'");
    assert.match(translateDuckDBError(unnamed, { kind: 'drop', name: 'gone' }).message, /^Secret "gone" does not exist \(any more\)/);
  });

  it('a storage that is not attached (MotherDuck)', async () => {
    const raw = await duckdbError(["CREATE SECRET s IN motherduck (TYPE http, BEARER_TOKEN 'x')"], secrets());
    assert.match(translateDuckDBError(raw, createHttp).message, /The secret storage "motherduck" is not available in this DuckDB session\. Connect to MotherDuck first\./);
  });

  it('a secret directory that cannot be created', async () => {
    const raw = await duckdbError(["CREATE PERSISTENT SECRET s (TYPE http, BEARER_TOKEN 'x')"], { secret_directory: '/proc/no/such/dir' });
    const error = translateDuckDBError(raw, createHttp);
    assert.match(error.message, /DuckDB cannot create its secret directory .*Set secret_directory to a writable folder/);
  });

  it('any other create failure keeps DuckDB\'s reason after "Failed to create … SECRET"', async () => {
    const raw = await duckdbError([`CREATE SECRET s (TYPE http, BOGUS '${CANARY_SECRET}')`], secrets());
    const error = translateDuckDBError(raw, createHttp);
    assert.equal(error.message, "Failed to create HTTP SECRET s: Unknown parameter 'bogus' for secret type 'http' with default provider 'config'");
    assertNoCanary(error);
  });

  it('a parser error never carries the statement echo (which may hold a key) into message or detail', async () => {
    const raw = await duckdbError([`CREATE SECRET s (TYPE http, BEARER_TOKEN '${CANARY_KEY}'${CANARY_SECRET}')`], secrets());
    assert.ok(raw.message.includes(CANARY_SECRET), 'DuckDB echoes the statement');
    assert.match(raw.message, /\nLINE 1: /);
    const error = translateDuckDBError(raw, createHttp);
    assertNoCanary(error);
    assert.equal(error.detail, 'Parser Error: syntax error at or near "…"');
    assert.equal(stripStatementEcho('Binder Error: x\n\nLINE 1: SELECT \'k\'\n       ^'), 'Binder Error: x');
  });

  it('a database file locked by another process (a dbt run)', async () => {
    const file = path.join(dir, 'dbt.duckdb');
    const holder = spawn(process.execPath, ['-e', lockHolderScript(file, path.join(dir, 'holder-secrets'))], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
      const raw = await duckdbError([`ATTACH '${file}' AS f (READ_ONLY)`], secrets());
      assert.match(raw.message, /Could not set lock on file/);
      assert.match(translateDuckDBError(raw, { kind: 'query', what: 'list secrets' }).message, /locked by another process \(a dbt run\?\)/);
    } finally {
      holder.kill();
    }
  });

  it('passes a UserFacingError through unchanged', () => {
    const original = new UserFacingError('already explained');
    assert.equal(translateDuckDBError(original, createR2), original);
  });

  describe('Missing R2 credentials', () => {
    const full: Credentials = {
      id: 'p',
      label: 'dev',
      accountId: '0123456789abcdef0123456789abcdef',
      bucket: 'b',
      jurisdiction: 'default',
      accessKeyId: 'k',
      secretAccessKey: 's',
    };

    it('names each missing field, or every field when there is no profile', () => {
      assert.deepEqual(missingR2Fields(full), []);
      assert.deepEqual(missingR2Fields({ ...full, accessKeyId: ' ', secretAccessKey: '' }), ['access key id', 'secret access key']);
      assert.deepEqual(missingR2Fields({ ...full, jurisdiction: 'custom' }), ['custom endpoint']);
      assert.deepEqual(missingR2Fields(undefined), ['account id', 'access key id', 'secret access key']);
    });

    it('reads "Missing R2 credentials: <fields>" and offers to set them', () => {
      const error = missingCredentialsError(['access key id', 'secret access key']);
      assert.equal(error.message, 'Missing R2 credentials: access key id, secret access key.');
      assert.deepEqual(error.actions.map((a) => a.command), ['duckdbSecrets.setCredentials']);
      assert.equal(missingCredentialsError(['account id'], true).message, 'Missing R2 credentials: account id (no credential profile is set up).');
    });
  });
});

/** A child process that opens `file` read-write (as dbt does), says so, and holds it until killed. */
function lockHolderScript(file: string, secretDirectory: string): string {
  const api = require.resolve('@duckdb/node-api');
  return `
    const { DuckDBInstance } = require(${JSON.stringify(api)});
    (async () => {
      const instance = await DuckDBInstance.create(${JSON.stringify(file)}, { secret_directory: ${JSON.stringify(secretDirectory)} });
      const connection = await instance.connect();
      await connection.run('CREATE TABLE IF NOT EXISTS model AS SELECT 1 AS x');
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    })();`;
}
