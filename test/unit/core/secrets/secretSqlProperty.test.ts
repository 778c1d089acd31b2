/**
 * Property test of the SQL builders against the real DuckDB parser, with the built-in `http`
 * secret type (no extension needed). Random strings full of quotes, backslashes, semicolons,
 * comment markers, newlines, unicode and NUL go into every field; each must either be stored
 * exactly or be rejected by our builder with a clear message, and no statement may ever turn into
 * two. Seeded: the seed is printed, and DUCKDB_SECRETS_PROPERTY_SEED=<n> replays a run.
 */
import * as assert from 'node:assert/strict';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserFacingError } from '../../../../src/core/errors';
import { MAX_NAME_LENGTH, RESERVED_NAMES, createHttpSecret, dropSecret, secretName, type HttpSecretFields, type Statement } from '../../../../src/core/secrets/secretSql';
import { openTestDuckDB, type TestDuckDB } from '../../../support/duckdbOptions';
import { seededRandom as prng } from '../../../support/seededKeys';

const RUNS = Number(process.env.DUCKDB_SECRETS_PROPERTY_RUNS ?? 10_000);
const BATCH = 500;

const FRAGMENTS = [
  "'", "''", "'''", '\\', "\\'", ';', '--', '/*', '*/', '"', '$$', "E'", "U&'", '\n', '\r\n', '\t', '\0', '(', ')', ',', ' ',
  "'; DROP TABLE canary; --", "', HTTP_PROXY 'injected", "'); CREATE SECRET injected (TYPE http); --", ' SCOPE ',
  '\u2028', '\u0085', '\uFEFF', '\u00A0', 'é', 'e\u0301', '🦆', '\uD83E', '\uDD86', 'ß', 'İ', '中文', '\u202E',
];

function randomString(random: () => number): string {
  const parts: string[] = [];
  const length = random() < 0.9 ? Math.floor(random() * 12) : Math.floor(random() * 80);
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.45) parts.push(FRAGMENTS[Math.floor(random() * FRAGMENTS.length)] ?? '');
    else if (r < 0.8) parts.push(String.fromCharCode(0x20 + Math.floor(random() * 0x5f)));
    else if (r < 0.9) parts.push(String.fromCharCode(Math.floor(random() * 0x20)));
    else if (r < 0.97) parts.push(String.fromCharCode(Math.floor(random() * 0x10000)));
    else parts.push(String.fromCodePoint(0x10000 + Math.floor(random() * 0xfffff)));
  }
  return parts.join('');
}

/** Independent oracle for what cannot round-trip: NUL, or anything UTF-8 cannot carry. */
function unstorable(value: string): boolean {
  return value.includes('\0') || new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(value)) !== value;
}

/** The fields in the order DuckDB writes them into `secret_string` (alphabetical). */
const FIELDS = ['bearer_token', 'http_proxy', 'http_proxy_password', 'http_proxy_username'] as const;
type Field = (typeof FIELDS)[number];
const REDACTED: ReadonlySet<Field> = new Set(['bearer_token', 'http_proxy_password']);

function httpFields(values: Partial<Record<Field, string>>): HttpSecretFields {
  return {
    bearerToken: values.bearer_token,
    httpProxy: values.http_proxy,
    httpProxyPassword: values.http_proxy_password,
    httpProxyUsername: values.http_proxy_username,
  };
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

describe('secretSql property: random values through the real DuckDB parser', function () {
  this.timeout(600_000);
  const seed = Number(process.env.DUCKDB_SECRETS_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 32));
  let opened: TestDuckDB;
  let db: DuckDBConnection;

  before(() => console.log(`      seed ${seed} (replay with DUCKDB_SECRETS_PROPERTY_SEED=${seed}), ${RUNS} values per field`));
  beforeEach(async () => {
    // A test-only instance may read secrets unredacted, so redacted fields are checked exactly too.
    opened = await openTestDuckDB({ allow_unredacted_secrets: 'true', allow_persistent_secrets: 'false' });
    db = opened.connection;
    await db.run('CREATE TABLE canary AS SELECT 42 AS v');
  });
  afterEach(() => {
    opened.close();
  });

  const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

  /** How many statements the real parser sees in `sql`; a parse failure fails the test with the seed. */
  async function statementCount(sql: string, input: string): Promise<number> {
    try {
      return (await db.extractStatements(sql)).count;
    } catch (error) {
      return assert.fail(`seed ${seed}: ${input} does not parse: ${String(error)}`);
    }
  }

  async function assertNothingElseHappened(): Promise<void> {
    assert.deepEqual(await rows('SELECT count(*)::INTEGER AS n FROM duckdb_secrets()'), [{ n: 0 }]);
    assert.deepEqual(await rows('SELECT table_name FROM duckdb_tables()'), [{ table_name: 'canary' }]);
    assert.deepEqual(await rows('SELECT v FROM canary'), [{ v: 42 }]);
  }

  /** Runs accepted statements in one script; on failure finds the culprit and reports it with the seed. */
  async function runBatch(batch: readonly { statement: Statement; value: string }[], what: string): Promise<void> {
    try {
      await db.run(batch.map((b) => b.statement.sql).join(';\n'));
    } catch {
      for (const { statement, value } of batch) {
        try {
          await db.run(statement.sql);
        } catch (error) {
          assert.fail(`seed ${seed}: ${what} value ${JSON.stringify(value)} was accepted but DuckDB failed: ${String(error)}`);
        }
      }
    }
  }

  it('every field: each value stored exactly or rejected with a clear message, never a second statement', async () => {
    const random = prng(seed);
    const counts = { stored: 0, rejected: 0 };
    for (let start = 0; start < RUNS; start += BATCH) {
      const batch: { statement: Statement; name: string; values: Partial<Record<Field, string>>; scope?: string }[] = [];
      for (let i = start; i < Math.min(RUNS, start + BATCH); i++) {
        const name = `slot_${i - start}`;
        const values: Partial<Record<Field, string>> = {};
        let scope: string | undefined;
        for (const field of [...FIELDS, 'scope'] as const) {
          const value = randomString(random);
          const show = `seed ${seed}: ${field} ${JSON.stringify(value)}`;
          if (!unstorable(value)) {
            if (field === 'scope') scope = value;
            else values[field] = value;
            counts.stored++;
            continue;
          }
          // Alone in a statement, the unstorable value must be refused by the builder, by field name.
          const options = { name, persistence: 'session', replace: true, scope: field === 'scope' ? [value] : undefined } as const;
          assert.throws(() => createHttpSecret(field === 'scope' ? {} : httpFields({ [field]: value }), options), (error: unknown) => {
            assert.ok(error instanceof UserFacingError, show);
            assert.match(error.message, /^The [A-Za-z ]+ contains (a NUL character|an unpaired UTF-16 surrogate)/, show);
            if (value.length >= 8) assert.ok(!error.message.includes(value), `${show}: the message shows the value`);
            return true;
          }, show);
          counts.rejected++;
        }
        const statement = createHttpSecret(httpFields(values), { name, persistence: 'session', replace: true, scope: scope === undefined ? undefined : [scope] });
        const count = await statementCount(statement.sql, JSON.stringify({ values, scope }));
        assert.equal(count, 1, `seed ${seed}: ${JSON.stringify({ values, scope })} gave ${count} statements`);
        batch.push({ statement, name, values, scope });
      }
      await runBatch(batch.map((b) => ({ statement: b.statement, value: JSON.stringify({ values: b.values, scope: b.scope }) })), 'field');

      const listed = await rows('SELECT name, len(u.scope) AS scopes, hex(u.scope[1]) AS scope_hex, hex(u.secret_string) AS exact, hex(s.secret_string) AS shown FROM duckdb_secrets(redact := false) u JOIN duckdb_secrets() s USING (name)');
      assert.equal(listed.length, batch.length, `seed ${seed}: ${listed.length} secrets after a batch of ${batch.length}`);
      const byName = new Map(listed.map((r) => [r.name as string, r]));
      for (const { name, values, scope } of batch) {
        const row = byName.get(name);
        const show = `seed ${seed}: ${JSON.stringify({ values, scope })}`;
        const head = `name=${name};type=http;provider=config;serializable=true;${scope === undefined ? 'scope' : `scope=${scope}`};`;
        const present = FIELDS.filter((f) => values[f] !== undefined);
        const exact = head + present.map((f) => `${f}=${values[f]}`).join(';');
        const shown = head + present.map((f) => `${f}=${REDACTED.has(f) ? 'redacted' : values[f]}`).join(';');
        assert.equal(row?.exact, hex(exact), show);
        assert.equal(row?.shown, hex(shown), `${show} (redacted listing)`);
        if (scope !== undefined) {
          assert.equal(row?.scopes, '1', show);
          assert.equal(row?.scope_hex, hex(scope), show);
        }
      }
      await db.run(batch.map((b) => dropSecret(b.name, 'memory').sql).join(';\n'));
      await assertNothingElseHappened();
    }
    assert.equal(counts.stored + counts.rejected, RUNS * 5);
    assert.ok(counts.stored > RUNS * 5 * 0.5, `only ${counts.stored} values were storable; the generator is off`);
    console.log(`        ${RUNS} values per field (5 fields): ${counts.stored} stored exactly, ${counts.rejected} rejected (NUL or unpaired surrogate)`);
  });

  it('names: a valid identifier creates exactly that secret, anything else is rejected with the rule', async () => {
    const random = prng(seed ^ 0x51ed27);
    const nameChars = 'abcXYZ_0189';
    let accepted = 0;
    for (let start = 0; start < RUNS; start += BATCH) {
      const batch: { statement: Statement; value: string; name: string }[] = [];
      const names = new Set<string>();
      for (let i = start; i < Math.min(RUNS, start + BATCH); i++) {
        const r = random();
        const raw =
          r < 0.5 ? Array.from({ length: 1 + Math.floor(random() * 20) }, () => nameChars[Math.floor(random() * nameChars.length)]).join('')
          : r < 0.55 ? [...RESERVED_NAMES][Math.floor(random() * RESERVED_NAMES.size)] ?? ''
          : r < 0.6 ? 'n'.repeat(MAX_NAME_LENGTH - 2 + Math.floor(random() * 4))
          : randomString(random);
        const valid = /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw) && raw.length <= MAX_NAME_LENGTH && !RESERVED_NAMES.has(raw.toLowerCase());
        let name: string;
        try {
          name = secretName(raw);
        } catch (error) {
          assert.ok(!valid, `seed ${seed}: rejected valid name ${JSON.stringify(raw)}`);
          assert.match(String(error), /Invalid secret name: (Enter a secret name|A secret name (has at most|uses letters)|".*" is a reserved SQL word)/s);
          continue;
        }
        assert.ok(valid, `seed ${seed}: accepted invalid name ${JSON.stringify(raw)}`);
        if (names.has(name)) continue;
        names.add(name);
        const statement = createHttpSecret({ bearerToken: 't' }, { name, persistence: 'session', replace: true });
        assert.equal(await statementCount(statement.sql, JSON.stringify(raw)), 1);
        batch.push({ statement, value: raw, name });
      }
      await runBatch(batch, 'name');
      const listed = (await rows('SELECT name FROM duckdb_secrets()')).map((r) => r.name as string).sort();
      assert.deepEqual(listed, [...names].sort(), `seed ${seed}`);
      accepted += batch.length;
      if (batch.length > 0) await db.run(batch.map((b) => dropSecret(b.name, 'memory').sql).join(';\n'));
      await assertNothingElseHappened();
    }
    assert.ok(accepted > RUNS * 0.3, `only ${accepted} names accepted; the generator is off`);
  });
});
