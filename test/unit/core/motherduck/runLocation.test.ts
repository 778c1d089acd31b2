/**
 * Test R2 Bucket with MotherDuck attached: the choice of where to run, the read check's statements
 * with MD_RUN (parsed by the real DuckDB, and refused by it without MotherDuck, so a run meant for
 * MotherDuck never runs locally), the wording of which part ran where, and the rule that a run in
 * MotherDuck needs a MotherDuck-stored secret, checked through the real DuckDB offline (no
 * MotherDuck here: no secret of storage `motherduck` can exist). With DUCKDB_SECRETS_TEST_EXTENSION_DIR
 * (httpfs), also with a session R2 secret that applies but is not MotherDuck's.
 */
import * as assert from 'node:assert/strict';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListingFolder } from '../../../../src/core/bucket/bucketFolding';
import { readCheckStatement, readFunctionFor } from '../../../../src/core/bucket/bucketQueries';
import { appliedSecret, testBucket, type BucketTestDeps } from '../../../../src/core/bucket/bucketTest';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { UserFacingError, errorText } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import type { Credentials } from '../../../../src/core/credentials/profiles';
import type { PickItem, PickOptions, Prompter } from '../../../../src/core/prompts';
import {
  chooseRunLocation,
  describeRun,
  describeRunLocation,
  mdRunParameter,
  motherDuckSecretProblem,
  requireMotherDuckSecret,
  translateRemoteRunError,
} from '../../../../src/core/motherduck/runLocation';
import { createR2Secret, sqlString } from '../../../../src/core/secrets/secretSql';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

const LISTING_TABLE_LEFT = "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'duckdb_secrets_bucket_test'";

/** Asserts `work` fails with a UserFacingError whose message matches and which offers Create Persistent R2 Secret in MotherDuck. */
async function rejectsNeedingMotherDuckSecret(work: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof UserFacingError, String(error));
    assert.match(error.message, message);
    assert.deepEqual(error.actions, [{ title: 'Create Persistent R2 Secret in MotherDuck', command: 'duckdbSecrets.createMotherDuckSecret' }]);
    return true;
  });
}

describe('Test R2 Bucket: where the listing runs', () => {
  /** Answers the one pick with the item whose label contains `answer`; records what was asked. */
  class OnePick implements Prompter {
    readonly asked: string[] = [];
    readonly shown: { title: string | undefined; items: string[] }[] = [];
    constructor(private readonly answer: string) {}
    pick<T extends PickItem>(items: readonly T[], options: PickOptions): Promise<T> {
      this.asked.push(`${options.placeHolder ?? ''}: ${items.map((i) => i.label).join(' | ')}`);
      this.shown.push({ title: options.title, items: items.map((i) => `${i.label} — ${i.description ?? ''} — ${i.detail ?? ''}`) });
      const item = items.find((i) => i.label.includes(this.answer));
      return item ? Promise.resolve(item) : Promise.reject(new Error(`no ${this.answer}`));
    }
    input(): Promise<string> {
      return Promise.reject(new Error('unexpected input'));
    }
    pickMany<T extends PickItem>(): Promise<T[]> {
      return Promise.reject(new Error('unexpected pickMany'));
    }
    confirm(): Promise<boolean> {
      return Promise.reject(new Error('unexpected confirm'));
    }
  }

  it('runs locally without a question when MotherDuck is not attached', async () => {
    const prompter = new OnePick('MotherDuck');
    assert.equal(await chooseRunLocation(prompter, false), 'local');
    assert.deepEqual(prompter.asked, []);
  });

  it('asks when MotherDuck is attached, unless told', async () => {
    const prompter = new OnePick('In MotherDuck');
    assert.equal(await chooseRunLocation(prompter, true), 'motherduck');
    assert.deepEqual(prompter.asked, ['MotherDuck is attached: where should the listing run?: $(vm) Locally | $(cloud) In MotherDuck']);
    assert.equal(await chooseRunLocation(prompter, true, 'local'), 'local');
    assert.equal(prompter.asked.length, 1);
  });

  it('the question says, for each choice, which DuckDB runs and which secrets apply', async () => {
    const prompter = new OnePick('Locally');
    assert.equal(await chooseRunLocation(prompter, true), 'local');
    assert.deepEqual(prompter.shown, [
      {
        title: 'Test R2 Bucket',
        items: [
          "$(vm) Locally — this window's DuckDB — Session, local-file and MotherDuck secrets apply.",
          '$(cloud) In MotherDuck — remote (MD_RUN = REMOTE) — Only secrets stored in MotherDuck apply.',
        ],
      },
    ]);
  });

  it('says which ran, and gives MotherDuck\'s MD_RUN argument', () => {
    assert.equal(mdRunParameter('motherduck'), 'MD_RUN = REMOTE');
    assert.equal(mdRunParameter('local'), 'MD_RUN = LOCAL');
    assert.match(describeRunLocation('motherduck'), /^ran in MotherDuck \(only MotherDuck-stored secrets apply\)$/);
    assert.match(describeRunLocation('local'), /^ran locally/);
  });

  it('takes a given location without asking, attached or not; anything else is asked about when attached', async () => {
    const prompter = new OnePick('Locally');
    assert.equal(await chooseRunLocation(prompter, false, 'motherduck'), 'motherduck');
    assert.equal(await chooseRunLocation(prompter, true, 'motherduck'), 'motherduck');
    assert.equal(await chooseRunLocation(prompter, false, 'remote'), 'local');
    assert.deepEqual(prompter.asked, []);
    assert.equal(await chooseRunLocation(prompter, true, 'remote'), 'local');
    assert.equal(prompter.asked.length, 1);
  });

  it('says which part ran where', () => {
    assert.equal(describeRun('local', 'local', 'a.csv'), "ran locally in this window's DuckDB");
    assert.equal(
      describeRun('motherduck', 'motherduck', 'a.parquet'),
      "listing: this window's DuckDB with the MotherDuck secret (read_blob takes no MD_RUN); read check: MotherDuck (MD_RUN = REMOTE)",
    );
    assert.equal(
      describeRun('motherduck', 'local', 'README.md'),
      "listing: this window's DuckDB with the MotherDuck secret (read_blob takes no MD_RUN); read check: this window's DuckDB too (README.md is not Parquet, CSV or JSON, the only reads MD_RUN = REMOTE sends to MotherDuck)",
    );
    assert.match(describeRun('motherduck', undefined), /; read check: none \(nothing to read\)$/);
    assert.match(describeRun('motherduck', 'local'), /; read check: this window's DuckDB too \(no object read was Parquet, CSV or JSON, /);
  });
});

describe('Test R2 Bucket read check statements (MD_RUN)', () => {
  let session: DuckDBSession;
  before(() => {
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, new MemoryLogger());
  });
  after(() => session.dispose());

  it('in MotherDuck: read_parquet, read_csv and read_json with MD_RUN = REMOTE; other objects locally; escaped once', () => {
    assert.deepEqual(readCheckStatement("r2://lake/it's/part-0.parquet", 'motherduck'), {
      sql: "SELECT count(*)::DOUBLE AS n FROM read_parquet('r2://lake/it''s/part-0.parquet', MD_RUN = REMOTE)",
      describe: 'read check in MotherDuck (read_parquet, MD_RUN = REMOTE)',
      what: 'parquet footer',
      ranIn: 'motherduck',
      parses: true,
    });
    const csv = readCheckStatement('r2://lake/logs/a.csv.gz', 'motherduck');
    assert.equal(csv.sql, "SELECT count(*)::DOUBLE AS n FROM read_csv('r2://lake/logs/a.csv.gz', MD_RUN = REMOTE)");
    assert.deepEqual([csv.what, csv.ranIn], ['object', 'motherduck']);
    assert.equal(readCheckStatement('r2://lake/e.ndjson', 'motherduck').sql, "SELECT count(*)::DOUBLE AS n FROM read_json('r2://lake/e.ndjson', MD_RUN = REMOTE)");
    const readme = readCheckStatement('r2://lake/README.md', 'motherduck');
    assert.equal(readme.sql, "SELECT octet_length(content)::DOUBLE AS bytes FROM read_blob('r2://lake/README.md')");
    assert.equal(readme.ranIn, 'local');
  });

  it('in MotherDuck the default object to read is the smallest one MD_RUN can read', async () => {
    const folder = new ListingFolder();
    await folder.add([
      { key: 'README.md', size: 3 },
      { key: 'sales/part-0.parquet', size: 900 },
      { key: 'logs/a.csv.gz', size: 40 },
    ]);
    const listing = await folder.finish('lake');
    assert.equal(listing.smallestObject()?.key, 'README.md');
    assert.equal(listing.smallestObject((key) => readFunctionFor(key) !== undefined)?.key, 'logs/a.csv.gz');
    assert.equal(listing.smallestObject((key) => key.endsWith('.json')), undefined);
  });

  it('locally: no MD_RUN, the Parquet footer through parquet_schema and other objects through read_blob', () => {
    const parquet = readCheckStatement('r2://lake/p.parquet', 'local');
    assert.equal(parquet.sql, "SELECT count(*)::INTEGER AS n FROM parquet_schema('r2://lake/p.parquet')");
    assert.deepEqual([parquet.what, parquet.ranIn, parquet.parses], ['parquet footer', 'local', true]);
    const csv = readCheckStatement('r2://lake/a.csv', 'local');
    assert.equal(csv.sql, "SELECT octet_length(content)::DOUBLE AS bytes FROM read_blob('r2://lake/a.csv')");
    assert.deepEqual([csv.what, csv.ranIn, csv.parses], ['object', 'local', false]);
  });

  it('DuckDB parses the MD_RUN statements, and without MotherDuck refuses to run them: nothing runs locally instead', async () => {
    for (const file of ['p.parquet', 'a.csv', 'e.json']) {
      const statement = readCheckStatement(`r2://lake/${file}`, 'motherduck');
      const parsed = await session.query(`SELECT json_extract(json_serialize_sql(${sqlString(statement.sql, 'The statement')}), '$.error')::VARCHAR AS error`);
      assert.deepEqual(parsed, [{ error: 'false' }], statement.sql);
      const refused = await session.query(statement.sql).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(refused !== undefined, `${statement.sql} ran without MotherDuck`);
      const translated = translateRemoteRunError(refused);
      assert.ok(translated, errorText(refused));
      assert.match(translated.message, /^MotherDuck did not run the read check: MD_RUN needs MotherDuck attached to this DuckDB session\./);
      assert.match(translated.detail ?? '', /Invalid named parameter "MD_RUN"/);
      assert.deepEqual(translated.actions, [{ title: 'Connect to MotherDuck', command: 'duckdbSecrets.connectMotherDuck' }]);
    }
    assert.equal(translateRemoteRunError(new Error('HTTP Error: HTTP GET error on ... (HTTP 403)')), undefined);
    const unquoted = translateRemoteRunError(new Error('Binder Error: Invalid named parameter MD_RUN for function read_csv\nCandidates: ...'));
    assert.equal(unquoted?.detail, 'Binder Error: Invalid named parameter MD_RUN for function read_csv', 'a DuckDB that does not quote the name');
  });
});

describe('Test R2 Bucket in MotherDuck needs a MotherDuck-stored secret', () => {
  let session: DuckDBSession;
  let log: MemoryLogger;
  let deps: BucketTestDeps;
  let dir: string;

  before(() => {
    log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
    deps = { db: session, interrupt: () => session.interrupt(), log };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-run-location-'));
    fs.writeFileSync(path.join(dir, 'a.csv'), 'a,b\n1,2\n');
  });
  after(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the rule: only storage motherduck will do, and the reason names the secret that applies instead', () => {
    assert.equal(motherDuckSecretProblem({ name: 'r2_prod_secret', storage: 'motherduck' }, 'r2://lake/'), undefined);
    assert.deepEqual(requireMotherDuckSecret({ name: 'r2_prod_secret', storage: 'motherduck' }, 'r2://lake/'), { name: 'r2_prod_secret', storage: 'motherduck' });
    assert.equal(motherDuckSecretProblem(undefined, 'r2://lake/'), 'No MotherDuck secret applies to r2://lake/: in MotherDuck only secrets stored in MotherDuck apply.');
    assert.match(
      motherDuckSecretProblem({ name: 'r2_dev_secret', storage: 'local_file' }, 'r2://lake/sales/') ?? '',
      /^DuckDB applies secret "r2_dev_secret" \(Local file \(persistent\)\) to r2:\/\/lake\/sales\/, and it is not stored in MotherDuck: in MotherDuck only MotherDuck-stored secrets apply\./,
    );
  });

  it('real DuckDB offline: the MotherDuck run fails with "No MotherDuck secret applies" before listing anything', async () => {
    await rejectsNeedingMotherDuckSecret(testBucket(deps, { root: 'r2://lake/', location: 'motherduck' }), /^No MotherDuck secret applies to r2:\/\/lake\/: /);
    // A local folder has no secret at all: never listed or read locally instead.
    await rejectsNeedingMotherDuckSecret(testBucket(deps, { root: `${dir}/`, location: 'motherduck' }), /^No MotherDuck secret applies to /);
    assert.deepEqual(await session.query(LISTING_TABLE_LEFT), [{ n: 0 }]);
    // The same folder, run locally, lists and reads.
    const local = await testBucket(deps, { root: `${dir}/` });
    assert.deepEqual([local.location, local.readRanIn, local.listing.objectCount, local.read.outcome], ['local', 'local', 1, 'ok']);
  });
});

describe('Test R2 Bucket in MotherDuck with a session R2 secret (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  let session: DuckDBSession;

  before(function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory with httpfs for this version');
      this.skip();
    }
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions({ extension_directory: extensionDir ?? '', allow_unsigned_extensions: 'true' }) }, new MemoryLogger());
  });
  after(() => session?.dispose());

  it('a session secret applies to the bucket: the MotherDuck run refuses it and offers the MotherDuck secret; locally it is the one', async () => {
    const credentials: Credentials = {
      id: 'p',
      label: 'Lake',
      accountId: TEST_ACCOUNT_ID,
      bucket: 'lake',
      jurisdiction: 'default',
      accessKeyId: 'AKIDrunlocation0',
      secretAccessKey: 'secret-run-location-canary',
    };
    await session.run(createR2Secret(credentials, { name: 'r2_dev_secret', persistence: 'session', replace: true, scope: ['r2://lake'] }).sql);
    const deps: BucketTestDeps = { db: session, interrupt: () => session.interrupt(), log: new MemoryLogger() };
    await rejectsNeedingMotherDuckSecret(
      testBucket(deps, { root: 'r2://lake/', location: 'motherduck', credentials }),
      /^DuckDB applies secret "r2_dev_secret" \(Session \(memory\)\) to r2:\/\/lake\/, and it is not stored in MotherDuck: .* Create one in MotherDuck scoped to r2:\/\/lake\/ \(or drop the local one\), or test locally\.$/,
    );
    assert.deepEqual(await session.query(LISTING_TABLE_LEFT), [{ n: 0 }]);
    assert.deepEqual(await appliedSecret(session, 'r2://lake/').then((s) => s && [s.name, s.storage]), ['r2_dev_secret', 'memory']);
  });
});
