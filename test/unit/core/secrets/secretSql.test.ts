import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { resolveEndpoint, type Credentials } from '../../../../src/core/credentials/profiles';
import type { SecretInfo } from '../../../../src/core/secrets/secretsModel';
import {
  KEY_ID_PLACEHOLDER,
  MAX_NAME_LENGTH,
  RESERVED_NAMES,
  SECRET_PLACEHOLDER,
  copyListedSecret,
  copyR2Secret,
  createHttpSecret,
  createR2Secret,
  dropSecret,
  existingName,
  secretName,
  secretNameProblem,
  sqlString,
  whichSecret,
} from '../../../../src/core/secrets/secretSql';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const KEY_ID = 'AKID-canary-4d1e';
const SECRET = 'sk-canary-9f3b';

function credentials(overrides: Partial<Credentials> = {}): Credentials {
  return {
    id: 'profile-1',
    label: 'dev',
    accountId: ACCOUNT,
    bucket: 'eo_pv_lakehouse',
    jurisdiction: 'default',
    accessKeyId: KEY_ID,
    secretAccessKey: SECRET,
    ...overrides,
  };
}

const session = { persistence: 'session', replace: true } as const;

describe('secretSql', () => {
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  let secretDir: string;

  before(async () => {
    secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-sql-'));
    instance = await DuckDBInstance.create(':memory:', { secret_directory: secretDir });
    db = await instance.connect();
  });
  after(() => {
    db.closeSync();
    instance.closeSync();
    fs.rmSync(secretDir, { recursive: true, force: true });
  });

  const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
  const statementCount = async (sql: string) => (await db.extractStatements(sql)).count;

  describe('secret names', () => {
    it('accepts identifiers and lower-cases them as DuckDB does', () => {
      assert.equal(secretName('r2_dev_secret'), 'r2_dev_secret');
      assert.equal(secretName('R2_Dev'), 'r2_dev');
      assert.equal(secretName('_x9'), '_x9');
      assert.equal(secretName('a'.repeat(MAX_NAME_LENGTH)), 'a'.repeat(MAX_NAME_LENGTH));
    });

    it('rejects other names with a message naming the rule', () => {
      for (const bad of ['', '9lives', 'has space', 'dash-name', 'quote"', "it's", 'semi;colon', 'é', 'a'.repeat(MAX_NAME_LENGTH + 1)]) {
        assert.ok(secretNameProblem(bad), bad);
        assert.throws(() => secretName(bad), /Invalid secret name: /, bad);
      }
      assert.match(secretNameProblem('dash-name') ?? '', /letters, digits and underscores/);
      assert.match(secretNameProblem('a'.repeat(64)) ?? '', /at most 63 characters \(this one has 64\)/);
      assert.match(secretNameProblem('SELECT') ?? '', /reserved SQL word/);
    });

    it('reserves exactly the keywords the real parser rejects as a secret name', async () => {
      const keywords = (await rows('SELECT keyword_name FROM duckdb_keywords()')).map((r) => r.keyword_name as string);
      const rejected: string[] = [];
      for (const word of keywords) {
        try {
          await db.run(`CREATE SECRET ${word} (TYPE http)`);
          await db.run(`DROP TEMPORARY SECRET ${word}`);
        } catch {
          rejected.push(word);
        }
      }
      assert.ok(rejected.length > 50, `only ${rejected.length} keywords rejected`);
      assert.deepEqual([...RESERVED_NAMES].sort(), rejected.sort());
    });

    it('a name at the length limit works for a persistent secret (its file name)', async () => {
      const name = secretName('p'.repeat(MAX_NAME_LENGTH));
      const statement = createHttpSecret({ bearerToken: 't' }, { name, persistence: 'persistent', replace: true });
      await db.run(statement.sql);
      assert.ok(fs.existsSync(path.join(secretDir, `${name}.duckdb_secret`)));
      await db.run(dropSecret(name, 'local_file').sql);
      assert.equal(fs.existsSync(path.join(secretDir, `${name}.duckdb_secret`)), false);
    });

    it('quotes listed names that are not plain identifiers, so they can still be dropped', async () => {
      assert.equal(existingName('plain'), 'plain');
      assert.equal(existingName('select'), '"select"');
      assert.equal(existingName('x y"z'), '"x y""z"');
      await db.run(`CREATE PERSISTENT SECRET "x y""z" (TYPE http)`);
      await db.run(`CREATE SECRET "select" (TYPE http)`);
      const before = (await rows('SELECT name, storage FROM duckdb_secrets() ORDER BY name')).map((r) => `${r.name as string}@${r.storage as string}`);
      assert.deepEqual(before, ['select@memory', 'x y"z@local_file']);
      await db.run(dropSecret('x y"z', 'local_file').sql);
      await db.run(dropSecret('select', 'memory').sql);
      assert.deepEqual(await rows('SELECT name FROM duckdb_secrets()'), []);
    });
  });

  describe('string literals', () => {
    it('round-trip quotes, backslashes and comment markers through the real parser', async () => {
      const values = ["it's", "''", '\\', "\\'", 'a\\nb', "x'; DROP TABLE t; --", '/* c */', '$$d$$', 'line1\nline2', 'tab\there', '🦆 ünïcødé', ''];
      for (const value of values) {
        const sql = `SELECT ${sqlString(value, 'v')} AS v`;
        assert.equal(await statementCount(sql), 1, value);
        assert.deepEqual(await rows(sql), [{ v: value }], value);
      }
    });

    it('rejects NUL and unpaired surrogates, naming the field and never the value', () => {
      assert.throws(() => sqlString('abc\0def-canary', 'The secret access key'), (error: Error) => {
        assert.match(error.message, /^The secret access key contains a NUL character/);
        assert.ok(!error.message.includes('canary'));
        return true;
      });
      assert.throws(() => sqlString('x\uD800canary', 'The bearer token'), /The bearer token contains an unpaired UTF-16 surrogate/);
      assert.throws(() => sqlString('\uDC00', 'f'), /unpaired/);
      assert.equal(sqlString('\uD83E\uDD86', 'f'), "'\uD83E\uDD86'");
    });
  });

  describe('CREATE SECRET (TYPE r2)', () => {
    it('default endpoint: DuckDB derives it from ACCOUNT_ID', () => {
      const statement = createR2Secret(credentials(), { name: 'r2_dev_secret', ...session });
      assert.equal(
        statement.sql,
        [
          'CREATE OR REPLACE SECRET r2_dev_secret (',
          '    TYPE r2,',
          `    KEY_ID '${KEY_ID}',`,
          `    SECRET '${SECRET}',`,
          `    ACCOUNT_ID '${ACCOUNT}',`,
          "    REGION 'auto'",
          ')',
        ].join('\n'),
      );
      assert.equal(statement.describe, 'create r2 secret r2_dev_secret (session)');
    });

    it('EU and FedRAMP set ENDPOINT, URL_STYLE and USE_SSL', () => {
      const eu = createR2Secret(credentials({ jurisdiction: 'eu' }), { name: 's', ...session }).sql;
      assert.match(eu, new RegExp(`ENDPOINT '${ACCOUNT}\\.eu\\.r2\\.cloudflarestorage\\.com',\\n    URL_STYLE 'path',\\n    USE_SSL true\\n\\)$`));
      const fedramp = createR2Secret(credentials({ jurisdiction: 'fedramp' }), { name: 's', ...session }).sql;
      assert.match(fedramp, new RegExp(`ENDPOINT '${ACCOUNT}\\.fedramp\\.r2\\.cloudflarestorage\\.com'`));
    });

    it('a custom http:// endpoint means USE_SSL false and path style', () => {
      const sql = createR2Secret(credentials({ jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' }), { name: 's', ...session }).sql;
      assert.match(sql, /ENDPOINT '127\.0\.0\.1:9000',\n {4}URL_STYLE 'path',\n {4}USE_SSL false/);
      const https = createR2Secret(credentials({ jurisdiction: 'custom', customEndpoint: 'https://minio.example:8443' }), { name: 's', ...session }).sql;
      assert.match(https, /ENDPOINT 'minio\.example:8443',\n {4}URL_STYLE 'path',\n {4}USE_SSL true/);
    });

    it('persistent secrets name their storage, scopes are single or a list', () => {
      const one = createR2Secret(credentials(), { name: 'p', persistence: 'persistent', replace: false, scope: ['r2://eo_pv_lakehouse'] });
      assert.match(one.sql, /^CREATE PERSISTENT SECRET p IN local_file \(/);
      assert.match(one.sql, /SCOPE 'r2:\/\/eo_pv_lakehouse'\n\)$/);
      assert.equal(one.describe, 'create r2 secret p (persistent in local_file, scoped)');
      const two = createR2Secret(credentials(), { name: 'p', ...session, scope: ['r2://a', 'r2://b'] });
      assert.match(two.sql, /SCOPE \['r2:\/\/a', 'r2:\/\/b'\]\n\)$/);
    });

    it('escapes every value and is one statement to the real parser, whatever the keys hold', async () => {
      const nasty = credentials({ accessKeyId: "AK'); DROP TABLE t; --", secretAccessKey: "s'/*\\'\n--" });
      const statement = createR2Secret(nasty, { name: 'x', ...session, scope: ["r2://b'c"] });
      assert.equal(await statementCount(statement.sql), 1);
      assert.ok(statement.sql.includes(`KEY_ID 'AK''); DROP TABLE t; --'`));
      assert.ok(!statement.describe.includes('AK') && !statement.describe.includes("s'"));
    });

    it('the describe label never holds a key', () => {
      for (const jurisdiction of ['default', 'eu', 'fedramp'] as const) {
        const { describe } = createR2Secret(credentials({ jurisdiction }), { name: 'x', ...session, scope: ['r2://b'] });
        assert.ok(!describe.includes(KEY_ID) && !describe.includes(SECRET), describe);
      }
    });
  });

  describe('Copy as SQL', () => {
    it('writes placeholders instead of both keys', async () => {
      const text = copyR2Secret(credentials({ jurisdiction: 'eu' }), { name: 'r2_dev_secret', ...session, scope: ['r2://eo_pv_lakehouse'] });
      assert.ok(!text.includes(KEY_ID) && !text.includes(SECRET));
      assert.ok(text.includes(`KEY_ID '${KEY_ID_PLACEHOLDER}'`) && text.includes(`SECRET '${SECRET_PLACEHOLDER}'`));
      assert.match(text, /^-- Replace .*\nCREATE OR REPLACE SECRET r2_dev_secret \(\n/);
      assert.match(text, /\n\);\n$/);
      assert.equal(await statementCount(text), 1);
    });

    it('copies the same statement from the profile (palette) as from the secret DuckDB lists for it (tree)', () => {
      const locations: Partial<Credentials>[] = [
        { jurisdiction: 'default' },
        { jurisdiction: 'eu' },
        { jurisdiction: 'fedramp' },
        { jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' },
        { jurisdiction: 'custom', customEndpoint: 'https://s3.example.com' },
      ];
      for (const location of locations) {
        const profile = credentials(location);
        const fromProfile = copyR2Secret(profile, { name: 'r2_dev_secret', ...session, scope: ['r2://eo_pv_lakehouse'] });
        // What duckdb_secrets() shows for the secret createR2Secret makes: the endpoint DuckDB keeps
        // (ACCOUNT_ID becomes its host), region, URL style and TLS; never the account id itself.
        const endpoint = resolveEndpoint(profile);
        const listed: SecretInfo = {
          name: 'r2_dev_secret',
          type: 'r2',
          provider: 'config',
          persistent: false,
          storage: 'memory',
          scope: ['r2://eo_pv_lakehouse'],
          fields: new Map([
            ['endpoint', endpoint.host],
            ['region', 'auto'],
            ['url_style', endpoint.urlStyle],
            ['use_ssl', String(endpoint.useSsl)],
          ]),
        };
        assert.equal(copyListedSecret(listed), fromProfile, `${location.jurisdiction} ${location.customEndpoint ?? ''}`);
        assert.equal(fromProfile.includes('ACCOUNT_ID'), location.jurisdiction !== 'custom', 'ACCOUNT_ID only for Cloudflare endpoints');
      }
    });

    it('rebuilds a listed R2 secret from its non-secret fields', async () => {
      const listed: SecretInfo = {
        name: 'r2_eu',
        type: 'r2',
        provider: 'config',
        persistent: true,
        storage: 'local_file',
        scope: ['r2://bucket'],
        // As duckdb_secrets() lists it: no account_id field, the endpoint carries the account.
        fields: new Map([
          ['endpoint', `${ACCOUNT}.eu.r2.cloudflarestorage.com`],
          ['region', 'auto'],
          ['url_style', 'path'],
          ['use_ssl', 'true'],
          ['key_id', KEY_ID],
        ]),
      };
      const text = copyListedSecret(listed);
      assert.ok(!text.includes(KEY_ID));
      assert.match(text, new RegExp(`ACCOUNT_ID '${ACCOUNT}'`));
      assert.match(text, /CREATE OR REPLACE PERSISTENT SECRET r2_eu IN local_file \(/);
      assert.match(text, /ENDPOINT '0123456789abcdef0123456789abcdef\.eu\.r2\.cloudflarestorage\.com',\n {4}URL_STYLE 'path',\n {4}USE_SSL true,\n {4}SCOPE 'r2:\/\/bucket'/);
      assert.equal(await statementCount(text), 1);

      const defaultEndpoint = copyListedSecret({ ...listed, persistent: false, storage: 'memory', scope: ['r2://'], fields: new Map([['endpoint', `${ACCOUNT}.r2.cloudflarestorage.com`]]) });
      assert.ok(!defaultEndpoint.includes('ENDPOINT') && !defaultEndpoint.includes('SCOPE'), defaultEndpoint);
      assert.match(defaultEndpoint, new RegExp(`ACCOUNT_ID '${ACCOUNT}'`));

      const custom = copyListedSecret({ ...listed, fields: new Map([['endpoint', '127.0.0.1:9000'], ['use_ssl', 'false'], ['url_style', 'path']]) });
      assert.ok(!custom.includes('ACCOUNT_ID'), custom);
      assert.match(custom, /ENDPOINT '127\.0\.0\.1:9000',\n {4}URL_STYLE 'path',\n {4}USE_SSL false/);
      assert.throws(() => copyListedSecret({ ...listed, type: 'http' }), /Copy as SQL works for R2 secrets/);
    });
  });

  describe('DROP and which_secret', () => {
    it('drops from the named storage, so a name in two storages is never ambiguous', async () => {
      assert.equal(dropSecret('s', 'memory').sql, 'DROP TEMPORARY SECRET s');
      assert.equal(dropSecret('s', 'local_file').sql, 'DROP PERSISTENT SECRET s FROM local_file');
      assert.equal(dropSecret('s', 'motherduck').sql, 'DROP SECRET s FROM motherduck');
      assert.throws(() => dropSecret('s', 'local_file; DROP TABLE t'), /Invalid secret storage/);

      await db.run(createHttpSecret({ bearerToken: 'a' }, { name: 'twin', ...session }).sql);
      await db.run(createHttpSecret({ bearerToken: 'b' }, { name: 'twin', persistence: 'persistent', replace: true }).sql);
      await assert.rejects(db.run('DROP SECRET twin'), /Ambiguity found/);
      await db.run(dropSecret('twin', 'memory').sql);
      assert.deepEqual(await rows("SELECT storage FROM duckdb_secrets() WHERE name = 'twin'"), [{ storage: 'local_file' }]);
      await db.run(dropSecret('twin', 'local_file').sql);
      assert.deepEqual(await rows("SELECT storage FROM duckdb_secrets() WHERE name = 'twin'"), []);
    });

    it('which_secret picks the longest matching scope', async () => {
      await db.run(createHttpSecret({}, { name: 'wide', ...session, scope: ['https://host'] }).sql);
      await db.run(createHttpSecret({}, { name: 'narrow', ...session, scope: ["https://host/it's"] }).sql);
      const statement = whichSecret("https://host/it's/file.csv", 'http');
      assert.equal(statement.describe, 'which_secret (http)');
      assert.deepEqual(await rows(statement.sql), [{ name: 'narrow', persistent: 'TEMPORARY', storage: 'memory' }]);
      assert.deepEqual(await rows(whichSecret('https://host/other', 'http').sql), [{ name: 'wide', persistent: 'TEMPORARY', storage: 'memory' }]);
      assert.throws(() => whichSecret('x', "r2'"), /Invalid secret type/);
      await db.run(dropSecret('wide', 'memory').sql);
      await db.run(dropSecret('narrow', 'memory').sql);
    });
  });
});
