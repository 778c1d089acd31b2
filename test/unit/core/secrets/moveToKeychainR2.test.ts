/**
 * Move to Keychain with the real types, r2 and s3, which need DuckDB's httpfs extension: set
 * DUCKDB_SECRETS_TEST_EXTENSION_DIR to an extension directory holding httpfs for the bundled DuckDB
 * (see localSecretsR2.test.ts); otherwise these are skipped, saying why. The http-typed tests in
 * moveToKeychain.test.ts run every step offline; what only these exercise is httpfs's own
 * parameters (key_id/secret, the account id turned into an endpoint, booleans such as use_ssl),
 * the short-lived instances loading httpfs with the window's options, and the profile's location.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { LocalSecrets } from '../../../../src/core/secrets/localSecrets';
import { PlaintextMover } from '../../../../src/core/secrets/moveToKeychain';
import { sqlString } from '../../../../src/core/secrets/secretSql';
import { MemoryRecordStorage, SessionSecretRecords } from '../../../../src/core/secrets/sessionSecretRecords';
import { generatedKeyPair } from '../../../support/generatedKeys';
import { outsideTheKeychain, storeOnFakes, type StoreOnFakes } from '../../../support/fakes/storeOnFakes';

const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;

describe('Move to Keychain with r2 and s3 (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  this.timeout(120_000);
  let dir: string;
  let session: DuckDBSession;
  let fakes: StoreOnFakes;
  let records: SessionSecretRecords;
  const r2Keys = generatedKeyPair(41);
  const s3Keys = generatedKeyPair(42);
  const account = generatedKeyPair(43).accessKeyId;

  before(function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory holding httpfs to move r2/s3 secrets');
      this.skip();
    }
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-move-r2-'));
    fakes = storeOnFakes();
    const options = { secret_directory: dir, extension_directory: extensionDir ?? '', allow_unsigned_extensions: 'true' };
    session = new DuckDBSession({ path: ':memory:', options }, fakes.log);
    records = new SessionSecretRecords(new MemoryRecordStorage());
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const redacted = async (name: string) => (await session.query(`SELECT type, scope, secret_string FROM duckdb_secrets() WHERE name = '${name}'`))[0];

  it('moves an r2 and an s3 secret with every parameter, and the next session re-creates them from the keychain', async () => {
    await session.run(
      `CREATE PERSISTENT SECRET r2_files IN local_file (TYPE r2, KEY_ID ${sqlString(r2Keys.accessKeyId, 'k')}, SECRET ${sqlString(r2Keys.secretAccessKey, 's')}, ` +
        `ACCOUNT_ID '${account}', SCOPE 'r2://lakehouse')`,
    );
    await session.run(
      `CREATE PERSISTENT SECRET s3_files IN local_file (TYPE s3, KEY_ID ${sqlString(s3Keys.accessKeyId, 'k')}, SECRET ${sqlString(s3Keys.secretAccessKey, 's')}, ` +
        `REGION 'eu-west-1', ENDPOINT '127.0.0.1:9000', URL_STYLE 'path', USE_SSL false)`,
    );
    const before = { r2: await redacted('r2_files'), s3: await redacted('s3_files') };

    const mover = new PlaintextMover({ sql: session, duckdbOptions: () => session.configuration.options, profiles: fakes.store, records, log: fakes.log });
    const report = await mover.move(['r2_files', 's3_files']);

    assert.deepEqual(report.stayed, []);
    assert.deepEqual(report.moved.map((m) => m.name), ['r2_files', 's3_files']);
    assert.deepEqual(fs.readdirSync(dir), [], 'both files are gone');
    assert.deepEqual(await redacted('r2_files'), before.r2);
    assert.deepEqual(await redacted('s3_files'), before.s3);
    assert.deepEqual((await session.query("SELECT name, storage FROM which_secret('r2://lakehouse/x', 'r2')"))[0], { name: 'r2_files', storage: 'memory' });

    const profiles = fakes.store.list();
    assert.deepEqual(
      profiles.map((p) => [p.label, p.accountId, p.jurisdiction, p.customEndpoint, p.bucket]),
      [
        ['r2_files', account, 'default', undefined, 'lakehouse'],
        ['s3_files', '', 'custom', 'http://127.0.0.1:9000', ''],
      ],
    );
    assert.ok(!outsideTheKeychain(fakes).includes(r2Keys.secretAccessKey) && !outsideTheKeychain(fakes).includes(s3Keys.secretAccessKey));

    await session.restart();
    const local = new LocalSecrets(session, fakes.log, records);
    const recreated = await local.recreateSessionSecrets(session, { credentialsFor: (id) => fakes.store.credentials(id) });
    assert.deepEqual([...recreated.recreated].sort(), ['r2_files', 's3_files']);
    assert.deepEqual(await redacted('r2_files'), before.r2);
    assert.deepEqual(await redacted('s3_files'), before.s3);
  });

  it('an s3 secret with a session token stays, with the reason', async () => {
    await session.run(
      `CREATE PERSISTENT SECRET temp_creds IN local_file (TYPE s3, KEY_ID ${sqlString(s3Keys.accessKeyId, 'k')}, SECRET ${sqlString(s3Keys.secretAccessKey, 's')}, SESSION_TOKEN 'tok')`,
    );
    const mover = new PlaintextMover({ sql: session, duckdbOptions: () => session.configuration.options, profiles: fakes.store, records, log: fakes.log });
    const report = await mover.move(['temp_creds']);
    assert.match(report.stayed[0]?.reason ?? '', /temporary session token/);
    assert.ok(fs.existsSync(path.join(dir, 'temp_creds.duckdb_secret')));
  });
});
