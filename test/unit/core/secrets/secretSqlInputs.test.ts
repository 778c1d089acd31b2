/**
 * What the SQL builders refuse, and how they say so: a value DuckDB cannot take is named by its
 * field (never shown), an identifier that is not one is refused with a bounded quote of it. And
 * the statements Move to Keychain and Show Secret Values build (re-created parameters, the
 * unredacted listing), against the real DuckDB.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { UserFacingError } from '../../../../src/core/errors';
import {
  SECRET_DIRECTORY,
  attachReadOnly,
  createDefinedSecret,
  createR2Secret,
  createHttpSecret,
  createSecretWithParameters,
  detach,
  dropSecret,
  existingName,
  listUnredactedLocalSecrets,
  secretNameProblem,
  whichSecret,
} from '../../../../src/core/secrets/secretSql';

const session = { persistence: 'session', replace: false } as const;

/** The message of the UserFacingError `build` throws. */
function refusal(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof UserFacingError, String(error));
    return error.message;
  }
  assert.fail('expected a refusal');
}

describe('secretSql: refused inputs and re-created secrets', () => {
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  let secretDir: string;

  before(async () => {
    secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-sql-inputs-'));
    instance = await DuckDBInstance.create(':memory:', { secret_directory: secretDir, allow_unredacted_secrets: 'true' });
    db = await instance.connect();
  });
  after(() => {
    db.closeSync();
    instance.closeSync();
    fs.rmSync(secretDir, { recursive: true, force: true });
  });

  const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

  describe('values DuckDB cannot take name their field, never the value', () => {
    it('a listed secret name, a scope, a database path', () => {
      assert.match(refusal(() => existingName('odd\0name')), /^The secret name contains a NUL character/);
      assert.match(refusal(() => dropSecret('odd\uD800', 'memory')), /^The secret name contains an unpaired UTF-16 surrogate/);
      assert.match(refusal(() => listUnredactedLocalSecrets(['ok', 'bad\0'])), /^The secret name contains a NUL character/);
      assert.match(refusal(() => createHttpSecret({}, { name: 's', ...session, scope: ['https://a', 'https://b\0'] })), /^The scope contains a NUL character/);
      assert.match(refusal(() => attachReadOnly('/tmp/a\0.duckdb', 'lake')), /^The database path contains a NUL character/);
      assert.match(refusal(() => whichSecret('r2://lake/\0', 'r2')), /^The path contains a NUL character/);
    });

    it("a profile's key pair and account id", () => {
      const profile = { id: 'p', label: 'p', accountId: 'acc', bucket: 'lake', jurisdiction: 'eu', accessKeyId: 'kid', secretAccessKey: 'sec' } as const;
      const options = { name: 'r2_x', ...session };
      assert.match(refusal(() => createR2Secret({ ...profile, accessKeyId: 'kid\0canary' }, options)), /^The access key id contains a NUL character/);
      assert.match(refusal(() => createR2Secret({ ...profile, secretAccessKey: '\uDC00canary' }, options)), /^The secret access key contains an unpaired UTF-16 surrogate/);
      assert.match(refusal(() => createR2Secret({ ...profile, accountId: 'acc\0canary' }, options)), /^The account id contains a NUL character/);
    });

    it('a re-created parameter is named by its key', () => {
      const message = refusal(() => createSecretWithParameters('s3', [{ key: 'region', value: 'eu\0-canary' }], { name: 's', ...session }));
      assert.match(message, /^The region value contains a NUL character/);
      assert.ok(!message.includes('canary'), message);
    });
  });

  describe('identifiers that are not plain names are refused, quoting at most 40 characters', () => {
    const long = `local_file; DROP TABLE t; -- ${'x'.repeat(60)}`;

    it('a storage', () => {
      const message = refusal(() => dropSecret('s', long));
      assert.equal(message, `Invalid secret storage "${long.slice(0, 40)}": expected a name like local_file.`);
      assert.equal(refusal(() => createHttpSecret({}, { name: 's', persistence: 'persistent', storage: 'Local_File', replace: false })), 'Invalid secret storage "Local_File": expected a name like local_file.');
    });

    it('a secret type, for which_secret and for a re-created secret', () => {
      assert.equal(refusal(() => whichSecret('r2://b', long)), `Invalid secret type "${long.slice(0, 40)}".`);
      for (const bad of ["'; drop_all", "s3'", 'S3', '']) {
        assert.equal(refusal(() => createSecretWithParameters(bad, [], { name: 's', ...session })), `Invalid secret type "${bad}".`, bad);
      }
      assert.equal(refusal(() => createSecretWithParameters(long, [], { name: 's', ...session })), `Invalid secret type "${long.slice(0, 40)}".`);
    });

    it('a parameter key', () => {
      for (const bad of ['1region', 'region)', "x'; drop_all", 'Region', '']) {
        assert.equal(refusal(() => createSecretWithParameters('s3', [{ key: bad, value: 'v' }], { name: 's', ...session })), `Invalid secret parameter "${bad}".`, bad);
      }
      const longKey = `key_${'k'.repeat(60)}-`;
      assert.equal(refusal(() => createSecretWithParameters('s3', [{ key: longKey, value: 'v' }], { name: 's', ...session })), `Invalid secret parameter "${longKey.slice(0, 40)}".`);
    });
  });

  describe('a secret re-created from its listed parameters (Move to Keychain)', () => {
    it('writes upper-case keys, escaped strings and bare booleans, under the listed (quoted) name', async () => {
      const statement = createSecretWithParameters(
        'http',
        [
          { key: 'bearer_token', value: "tok'en" },
          { key: 'verify_ssl', value: false },
        ],
        { name: 'moved-secret', ...session, scope: ['https://host'] },
      );
      assert.equal(
        statement.sql,
        ['CREATE SECRET "moved-secret" (', '    TYPE http,', "    BEARER_TOKEN 'tok''en',", '    VERIFY_SSL false,', "    SCOPE 'https://host'", ')'].join('\n'),
      );
      assert.equal(statement.describe, 'create http secret "moved-secret" (session, scoped)');
      await db.run(statement.sql);
      assert.deepEqual(await rows(`SELECT name, scope FROM duckdb_secrets() WHERE name = 'moved-secret'`), [{ name: 'moved-secret', scope: ['https://host'] }]);
      await db.run(dropSecret('moved-secret', 'memory').sql);
    });

    it('puts the key pair into the parameters the definition names', () => {
      const statement = createDefinedSecret({ type: 'r2', keyIdParam: 'key_id', secretParam: 'secret', parameters: [{ key: 'region', value: 'auto' }] }, 'kid', 'sec', {
        name: 'r2_moved',
        ...session,
      });
      assert.equal(statement.sql, ['CREATE SECRET r2_moved (', '    TYPE r2,', "    KEY_ID 'kid',", "    SECRET 'sec',", "    REGION 'auto'", ')'].join('\n'));
    });
  });

  it('an empty secret name is asked for, not explained as a rule', () => {
    assert.equal(secretNameProblem(''), 'Enter a secret name.');
  });

  it('attaches a database file read-only under a quoted alias, and detaches it (twice is harmless)', async () => {
    const file = path.join(secretDir, "it's.duckdb");
    const writer = await DuckDBInstance.create(file);
    const setup = await writer.connect();
    await setup.run('CREATE TABLE t AS SELECT 42 AS answer');
    setup.closeSync();
    writer.closeSync();
    await db.run(attachReadOnly(file, 'my-lake'));
    assert.deepEqual(await rows('SELECT answer FROM "my-lake".t'), [{ answer: 42 }]);
    await assert.rejects(db.run('INSERT INTO "my-lake".t VALUES (1)'), /read-only/);
    await db.run(detach('my-lake'));
    await db.run(detach('my-lake'));
    assert.deepEqual(await rows("SELECT database_name FROM duckdb_databases() WHERE database_name = 'my-lake'"), []);
  });

  describe('statements for reading secrets', () => {
    it('the unredacted listing reads only the named local secrets, and none for no names', async () => {
      await db.run(createHttpSecret({ bearerToken: 'ta' }, { name: 'kept_a', persistence: 'persistent', replace: true }).sql);
      await db.run(createHttpSecret({ bearerToken: 'tb' }, { name: 'kept_b', persistence: 'persistent', replace: true }).sql);
      await db.run(createHttpSecret({ bearerToken: 'tc' }, { name: 'kept_a', ...session }).sql);
      try {
        const some = listUnredactedLocalSecrets(['kept_a', "o'ther"]);
        assert.equal(some.describe, 'list local persistent secrets (unredacted)');
        const listed = await rows(some.sql);
        assert.deepEqual(
          listed.map((r) => [r.name, r.type]),
          [['kept_a', 'http']],
        );
        assert.match(listed[0]?.secret_string as string, /bearer_token=ta/);
        assert.deepEqual(await rows(listUnredactedLocalSecrets([]).sql), []);
      } finally {
        await db.run(dropSecret('kept_a', 'memory').sql);
        await db.run(dropSecret('kept_a', 'local_file').sql);
        await db.run(dropSecret('kept_b', 'local_file').sql);
      }
    });

    it('labels each statement for the log by what it does', async () => {
      assert.equal(SECRET_DIRECTORY.describe, 'read secret_directory');
      assert.deepEqual(await rows(SECRET_DIRECTORY.sql), [{ secret_directory: secretDir }]);
      assert.deepEqual(dropSecret('my-secret', 'memory'), { sql: 'DROP TEMPORARY SECRET "my-secret"', describe: 'drop secret "my-secret" from memory' });
      assert.equal(dropSecret('s', 'local_file').describe, 'drop secret s from local_file');
    });
  });
});
