/**
 * The httpfs file DuckDB finds but refuses (unsigned, built for another version), made real: a
 * file with a well-formed extension footer is put in a temporary extension directory and the real
 * DuckDB is asked to autoload it. Plus the wording of the failures no test above reaches: echoes,
 * storages, generic failures per action, and the pre-flight for empty credentials.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  OPEN_OPTIONS_SETTING,
  missingR2Fields,
  noCredentialsError,
  optionsRefusedError,
  stripStatementEcho,
  translateDuckDBError,
  type DuckDBAction,
} from '../../../../src/core/duckdb/duckdbErrors';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import { openTestDuckDB } from '../../../support/duckdbOptions';

const SET_CREDENTIALS = { title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials' };
const createR2: DuckDBAction = { kind: 'create', type: 'r2', name: 'r2_dev', persistent: false };
const query: DuckDBAction = { kind: 'query', what: 'list the secrets' };

/** Runs `sql` in a fresh in-memory DuckDB with `options` and returns its error text. */
async function duckdbErrorText(sql: string, options: Record<string, string>): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  try {
    await connection.run(sql);
    return assert.fail(`did not fail: ${sql}`);
  } catch (error) {
    return (error as Error).message;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function scalar(sql: string): Promise<string> {
  const db = await openTestDuckDB();
  try {
    return String((await db.connection.runAndReadAll(sql)).getRows()[0]?.[0]);
  } finally {
    db.close();
  }
}

/** An httpfs file whose footer (8 × 32-byte fields, last first, then 256 bytes of signature) says it was built for `version`. */
function fakeHttpfs(platform: string, version: string): Buffer {
  const field = (text: string) => {
    const bytes = Buffer.alloc(32);
    bytes.write(text);
    return bytes;
  };
  const footer = [field(''), field(''), field(''), field('CPP'), field('v0.0.1'), field(version), field(platform), field('4')];
  return Buffer.concat([Buffer.alloc(4096, 7), ...footer, Buffer.alloc(256)]);
}

describe('DuckDB error translation: refused httpfs files and the remaining wordings', () => {
  let dir: string;
  let version: string;
  let platform: string;
  before(async () => {
    version = await scalar('SELECT version()');
    platform = await scalar('PRAGMA platform');
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-httpfs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const withHttpfs = (built: string, options: Record<string, string> = {}) => {
    const folder = path.join(dir, 'ext', version, platform);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'httpfs.duckdb_extension'), fakeHttpfs(platform, built));
    return duckdbErrorText("CREATE SECRET r2_dev (TYPE r2, KEY_ID 'k', SECRET 's', ACCOUNT_ID 'a')", {
      extension_directory: path.join(dir, 'ext'),
      secret_directory: path.join(dir, 'secrets'),
      ...options,
    });
  };

  it('an unsigned httpfs: names allow_unsigned_extensions and the setting', async () => {
    const raw = await withHttpfs(version);
    assert.match(raw, /could not be loaded because its signature is either missing or invalid/);
    const error = translateDuckDBError(new Error(raw), createR2);
    assert.equal(
      error.message,
      'DuckDB needs its httpfs extension for R2 secrets and r2:// paths, but refused the httpfs file it found: it is not signed by DuckDB. ' +
        'For a self-built extension set allow_unsigned_extensions to "true" in the duckdbSecrets.duckdb.options setting.',
    );
    assert.deepEqual(error.actions, [{ title: 'Open Setting', command: 'workbench.action.openSettings', args: ['duckdbSecrets.duckdb.options'] }]);
  });

  it('an httpfs built for another DuckDB version says so (fixed: DuckDB writes "built specifically for")', async () => {
    const raw = await withHttpfs('v0.9.0', { allow_unsigned_extensions: 'true' });
    assert.match(raw, /built specifically for DuckDB version 'v0\.9\.0'/);
    const error = translateDuckDBError(new Error(raw), createR2);
    assert.match(error.message, /^DuckDB needs its httpfs extension for R2 secrets and r2:\/\/ paths, but the httpfs file it found was built for another DuckDB version\. Install one built for this version\. Put httpfs where/);
    assert.deepEqual(error.actions, [OPEN_OPTIONS_SETTING]);
    assert.match(translateDuckDBError(new Error('IO Error: httpfs: version mismatch'), createR2).message, /built for another DuckDB version/);
    const older = "IO Error: Extension httpfs: The file was built for DuckDB version 'v0.9.0', but we can only load extensions built for DuckDB version 'v0.10.0'.";
    assert.match(translateDuckDBError(new Error(older), createR2).message, /built for another DuckDB version/, "an older DuckDB's wording");
  });

  it('any other httpfs failure: could not be loaded; a download URL without a host names none', () => {
    assert.match(translateDuckDBError(new Error('IO Error: Extension httpfs: permission denied'), createR2).message, /^DuckDB needs its httpfs extension .*, and it could not be loaded\. Put httpfs where/);
    const download = translateDuckDBError(new Error('Failed to download extension "httpfs" at URL ""'), createR2).message;
    assert.match(download, /, and could not download it \(offline, or the extension repository is blocked\)/);
    assert.match(translateDuckDBError(new Error('IO Error: Extension "httpfs" not found.'), createR2).message, /it is not installed \(automatic installation is off\)/);
  });

  it('options DuckDB refused: the setting (and the option) named, values of four characters or more cut out, the setting offered', () => {
    const text = 'Invalid Input Error: Failed to set config: "four" and "lots-of-them" for threads=1 abc';
    const options = { threads: 'lots-of-them', memory_limit: 'four', x: '1', y: 'abc' };
    const named = optionsRefusedError(new Error(text), options, 'threads');
    assert.equal(named.message, 'DuckDB failed to start with the threads option in the duckdbSecrets.duckdb.options setting: Failed to set config: "…" and "…" for threads=1 abc');
    assert.deepEqual(named.actions, [OPEN_OPTIONS_SETTING]);
    const unnamed = optionsRefusedError(new Error('Invalid Input Error: something odd'), {});
    assert.equal(unnamed.message, 'DuckDB failed to start with the duckdbSecrets.duckdb.options setting: something odd');
    assert.deepEqual(unnamed.actions, [OPEN_OPTIONS_SETTING]);
  });

  it('a link to the httpfs docs, http or https, is not taken for a missing extension', () => {
    const text = "HTTP Error: HTTP GET error on 'r2://lake/x' (HTTP 404)\nLearn more at http://duckdb.org/docs/extensions/httpfs/s3api.html";
    assert.equal(translateDuckDBError(new Error(text), query).message, "DuckDB failed to list the secrets: HTTP GET error on 'r2://lake/x' (HTTP 404)");
  });

  it('cuts the statement echo after any line number and indentation, and the quoted token', () => {
    assert.equal(stripStatementEcho("Parser Error: syntax error at or near \"'k'\"\nLINE 12: CREATE SECRET x (SECRET 'k')"), 'Parser Error: syntax error at or near "…"');
    assert.equal(stripStatementEcho('Binder Error: bad  \n    LINE 1: SELECT 1'), 'Binder Error: bad');
    assert.equal(stripStatementEcho('Binder Error: no echo LINE 1: here'), 'Binder Error: no echo LINE 1: here');
  });

  it('keeps the whole first line when it does not start with an error class', () => {
    assert.equal(translateDuckDBError(new Error('disk full: Catalog Error: x'), query).message, 'DuckDB failed to list the secrets: disk full: Catalog Error: x');
    assert.equal(translateDuckDBError(new Error('Catalog Error: x\nmore'), query).message, 'DuckDB failed to list the secrets: x');
  });

  it('words a failure by what was being done, offering credentials only for an R2 secret', () => {
    const raw = new Error('Invalid Input Error: something odd');
    assert.equal(translateDuckDBError(raw, { kind: 'drop', name: 's1' }).message, 'Failed to delete secret s1: something odd');
    assert.equal(translateDuckDBError(raw, { kind: 'which', path: 'r2://lake/x' }).message, 'Could not tell which secret applies to r2://lake/x: something odd');
    const r2 = translateDuckDBError(raw, createR2);
    assert.equal(r2.message, 'Failed to create R2 SECRET r2_dev: something odd');
    assert.deepEqual(r2.actions, [SET_CREDENTIALS]);
    assert.deepEqual(translateDuckDBError(raw, { kind: 'create', type: 'http', name: 'h', persistent: false }).actions, []);
    assert.deepEqual(translateDuckDBError(raw, { kind: 'drop', name: 's1' }).actions, []);
  });

  it('names the storage a name is taken in, and where an older DuckDB does not say, the local file', () => {
    const taken = translateDuckDBError(new Error("Invalid Input Error: Persistent secret with name 'r2_main' already exists in secret storage 'motherduck'!"), createR2);
    assert.equal(taken.message, 'A secret named "r2_main" already exists in MotherDuck. Delete it first (Delete Secret), or choose another name.');
    assert.deepEqual(taken.actions, []);
    assert.match(translateDuckDBError(new Error("Persistent secret with name 'r2_dev' already exists!"), createR2).message, /^A secret named "r2_dev" already exists in Local file \(persistent\)\./);
  });

  it('names every storage of an ambiguous name, spaces or not', () => {
    const error = translateDuckDBError(new Error("Ambiguity found for secret name 'twin', secret occurs in multiple storages: [local_file, memory, motherduck]"), { kind: 'drop', name: 'twin' });
    assert.equal(error.message, 'Secret "twin" exists in Local file (persistent) and Session (memory) and MotherDuck. Choose which one to delete.');
  });

  it('a storage that is not attached: the MotherDuck hint only for MotherDuck', () => {
    assert.equal(translateDuckDBError(new Error("Secret storage 'vault' not found"), query).message, 'The secret storage "vault" is not available in this DuckDB session.');
    assert.equal(
      translateDuckDBError(new Error("Unknown storage type found for drop secret: 'motherduck'"), { kind: 'drop', name: 'x' }).message,
      'The secret storage "motherduck" is not available in this DuckDB session. Connect to MotherDuck first.',
    );
  });

  it('a secret directory that cannot be created offers the setting', () => {
    const error = translateDuckDBError(new Error('IO Error: Failed to initialize persistent storage directory: /nope'), createR2);
    assert.match(error.message, /^DuckDB cannot create its secret directory for persistent secrets \(Failed to initialize persistent storage directory: \/nope\)\./);
    assert.deepEqual(error.actions, [OPEN_OPTIONS_SETTING]);
  });

  describe('pre-flight for empty credentials', () => {
    const full: Credentials = { id: 'p', label: 'dev', accountId: 'a'.repeat(32), bucket: 'lake', jurisdiction: 'default', accessKeyId: 'k'.repeat(32), secretAccessKey: 's'.repeat(64) };

    it('an account id or key of spaces only is missing, and a custom endpoint of spaces', () => {
      assert.deepEqual(missingR2Fields({ ...full, accountId: '  ' }), ['account id']);
      assert.deepEqual(missingR2Fields({ ...full, accountId: '' }), ['account id']);
      assert.deepEqual(missingR2Fields({ ...full, secretAccessKey: ' \n' }), ['secret access key']);
      assert.deepEqual(missingR2Fields({ ...full, jurisdiction: 'custom', customEndpoint: '  ' }), ['custom endpoint']);
      assert.deepEqual(missingR2Fields({ ...full, jurisdiction: 'custom', customEndpoint: 'http://h:9000' }), []);
      assert.deepEqual(missingR2Fields({ ...full, customEndpoint: '' }), [], 'an endpoint only matters for a custom jurisdiction');
    });

    it('no profile and no R2 secret: offers to set credentials or import them', () => {
      const error = noCredentialsError();
      assert.match(error.message, /^Test R2 Bucket needs R2 credentials: no credential profile is set up and no R2 secret exists in this session\./);
      assert.deepEqual(error.actions, [SET_CREDENTIALS, { title: 'Import from Environment', command: 'duckdbSecrets.importCredentialsFromEnv' }]);
    });
  });
});
