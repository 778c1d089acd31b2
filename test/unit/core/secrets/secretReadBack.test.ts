/**
 * Reading persistent secrets back in full through a short-lived unredacted instance, parsing
 * `secret_string`, and the round trip that refuses what cannot be read back exactly. Real DuckDB,
 * temporary `secret_directory`, DuckDB's built-in `http` type (no httpfs).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import type { SqlRunner } from '../../../../src/core/duckdb/sqlRunner';
import { MemoryLogger } from '../../../../src/core/logger';
import { MOVABLE_KINDS } from '../../../../src/core/secrets/plaintextSecrets';
import {
  AMBIGUOUS,
  parseUnredacted,
  readUnredactedLocalSecrets,
  verifyRoundTrip,
  withShortLivedDuckDB,
  type ParsedSecret,
  type UnredactedSecret,
} from '../../../../src/core/secrets/secretReadBack';
import { sqlString } from '../../../../src/core/secrets/secretSql';
import { generatedKeyPair } from '../../../support/generatedKeys';
import { HTTP_KIND } from '../../../support/httpKind';

describe('reading plaintext secrets back', () => {
  let dir: string;
  let session: DuckDBSession;
  const keys = generatedKeyPair(21);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-readback-'));
    session = new DuckDBSession({ path: ':memory:', options: { secret_directory: dir } }, new MemoryLogger());
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const persist = (name: string, user: string, password: string, extra = '') =>
    session.run(
      `CREATE PERSISTENT SECRET ${name} IN local_file (TYPE http, HTTP_PROXY_USERNAME ${sqlString(user, 'u')}, HTTP_PROXY_PASSWORD ${sqlString(password, 'p')}${extra})`,
    );

  const readAndParse = async (name: string) => {
    const row = (await readUnredactedLocalSecrets(dir, {}, [name])).find((r) => r.name === name);
    assert.ok(row, `${name} read back`);
    return parseUnredacted(row, HTTP_KIND);
  };

  it("reads values in full through a separate instance, while the window's session stays redacted", async () => {
    await persist('proxy_dev', keys.accessKeyId, keys.secretAccessKey, ", HTTP_PROXY 'http://proxy.test:3128', SCOPE ['https://a.test/x', 'https://b.test']");
    const windowListing = JSON.stringify(await session.query('SELECT secret_string FROM duckdb_secrets()'));
    assert.ok(!windowListing.includes(keys.secretAccessKey), 'the window session redacts');

    const parsed = await readAndParse('proxy_dev');
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.equal(parsed.secret.keyId, keys.accessKeyId);
    assert.ok(parsed.secret.secret === keys.secretAccessKey, 'the secret read back in full');
    assert.deepEqual(parsed.secret.scope, ['https://a.test/x', 'https://b.test']);
    assert.deepEqual(parsed.secret.parameters, [{ key: 'http_proxy', value: 'http://proxy.test:3128' }]);
    await persist('not_asked_for', 'someone', 'another-value');
    assert.deepEqual((await readUnredactedLocalSecrets(dir, {}, ['proxy_dev'])).map((r) => r.name), ['proxy_dev'], 'only the secrets asked for are read');
    // The window's session still refuses to show values: redaction is a start-up option.
    await assert.rejects(session.run('SET allow_unredacted_secrets = true'), /Cannot change allow_unredacted_secrets/);
  });

  it('closes the short-lived instance when its work is done, and when it fails', async () => {
    let kept: SqlRunner | undefined;
    await withShortLivedDuckDB({}, async (sql) => {
      kept = sql;
      await sql.query('SELECT 1');
    });
    await assert.rejects(kept!.query('SELECT 1'), 'the connection is closed afterwards');
    await assert.rejects(
      withShortLivedDuckDB({}, async (sql) => {
        kept = sql;
        await sql.query('SELECT nope');
      }),
      /nope/,
    );
    await assert.rejects(kept!.query('SELECT 1'), 'closed after a failure too');
  });

  it('round-trips values holding "=", quotes, backslashes and unicode', async () => {
    const password = `${keys.secretAccessKey}==a'b\\c=é🦆`;
    await persist('odd_values', 'user=name', password);
    const parsed = await readAndParse('odd_values');
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.ok(parsed.secret.secret === password && parsed.secret.keyId === 'user=name');
    const refused = await verifyRoundTrip([parsed.secret], [HTTP_KIND], dir, {});
    assert.deepEqual([...refused], [], 'the re-created file is byte for byte the original');
    assert.deepEqual(fs.readdirSync(dir), ['odd_values.duckdb_secret'], 'the check folder is gone');
  });

  it('refuses a value holding ";" that splits into a plausible field: the parse looks fine, the round trip does not', async () => {
    // DuckDB prints "http_proxy_password=<pw>;http_proxy=x" for this password: a split reads a proxy that is not there.
    await persist('semicolon', keys.accessKeyId, `${keys.secretAccessKey};http_proxy=x`);
    const parsed = await readAndParse('semicolon');
    assert.ok(parsed.ok, 'indistinguishable by the text alone');
    assert.deepEqual(parsed.secret.parameters, [{ key: 'http_proxy', value: 'x' }]);
    const refused = await verifyRoundTrip([parsed.secret], [HTTP_KIND], dir, {});
    assert.equal(refused.get('semicolon'), AMBIGUOUS);
    assert.ok(!AMBIGUOUS.includes(keys.secretAccessKey));
  });

  it('refuses a value holding ";" that leaves a fragment, without quoting it', async () => {
    await persist('fragment', keys.accessKeyId, `${keys.secretAccessKey};tail`);
    const parsed = await readAndParse('fragment');
    assert.ok(!parsed.ok);
    assert.equal(parsed.reason, AMBIGUOUS);
  });

  it('refuses parameters a profile cannot keep, unknown fields and a missing key, naming no value', () => {
    const row = (rest: string): UnredactedSecret => ({
      name: 'n',
      type: 'http',
      provider: 'config',
      scope: [],
      secretString: `name=n;type=http;provider=config;serializable=true;scope${rest}`,
    });
    const reason = (rest: string) => {
      const result = parseUnredacted(row(rest), HTTP_KIND);
      return result.ok ? 'ok' : result.reason;
    };
    assert.equal(reason(';bearer_token=t;http_proxy_password=p;http_proxy_username=u'), 'it holds a bearer token');
    assert.match(reason(';http_proxy_password=p;http_proxy_username=u;mystery=1'), /field this version does not move/);
    assert.doesNotMatch(reason(';http_proxy_password=p;http_proxy_username=u;mystery=1'), /mystery/);
    assert.match(reason(';http_proxy_password=p'), /no key id/);
    assert.match(reason(';http_proxy_username=u'), /no secret/);
    assert.equal(reason(';http_proxy_password=p;http_proxy_username=u;http_proxy_username=v'), AMBIGUOUS);
    const otherForm = parseUnredacted({ ...row(''), secretString: 'name=n;type=http;provider=config;serializable=false;scope' }, HTTP_KIND);
    assert.match(otherForm.ok ? '' : otherForm.reason, /form this version does not read/);
    const s3 = MOVABLE_KINDS.find((k) => k.type === 's3');
    assert.ok(s3);
    const s3Row = (rest: string): UnredactedSecret => ({
      ...row(''),
      type: 's3',
      scope: ['s3://b'],
      secretString: `name=n;type=s3;provider=config;serializable=true;scope=s3://b${rest}`,
    });
    assert.match((parseUnredacted(s3Row(';key_id=k;secret=s;session_token=t'), s3) as { reason: string }).reason, /temporary session token/);
    assert.equal((parseUnredacted(s3Row(';key_id=k;secret=s;use_ssl=maybe'), s3) as { reason: string }).reason, AMBIGUOUS);
    const parsed = parseUnredacted(s3Row(';endpoint=e;key_id=k;region=r;secret=s;use_ssl=false'), s3);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.secret.parameters, [
      { key: 'endpoint', value: 'e' },
      { key: 'region', value: 'r' },
      { key: 'use_ssl', value: false },
    ]);
  });

  it('reads the rest of secret_string only after the listed scope ends exactly, and refuses an empty key', () => {
    const secret = (scope: string[], secretString: string): UnredactedSecret => ({ name: 'n', type: 'http', provider: 'config', scope, secretString });
    const reason = (result: ReturnType<typeof parseUnredacted>) => (result.ok ? 'ok' : result.reason);
    const head = 'name=n;type=http;provider=config;serializable=true;scope';
    // A scope value that runs on past the listed one (it held a ";" or "="): the rest cannot be placed.
    assert.equal(reason(parseUnredacted(secret(['https://a'], `${head}=https://axhttp_proxy_password=p;http_proxy_username=u`), HTTP_KIND)), AMBIGUOUS);
    // No fields at all: nothing ambiguous, just no key pair.
    assert.match(reason(parseUnredacted(secret([], head), HTTP_KIND)), /^it has no key id, so there is no key pair to keep$/);
    // A field with an empty name is a split gone wrong, not an unknown field.
    assert.equal(reason(parseUnredacted(secret([], `${head};=x;http_proxy_password=p;http_proxy_username=u`), HTTP_KIND)), AMBIGUOUS);
  });

  it('reads boolean parameters as booleans, both ways', () => {
    const s3 = MOVABLE_KINDS.find((k) => k.type === 's3');
    assert.ok(s3);
    const parse = (useSsl: string) =>
      parseUnredacted({ name: 'n', type: 's3', provider: 'config', scope: [], secretString: `name=n;type=s3;provider=config;serializable=true;scope;key_id=k;secret=s;use_ssl=${useSsl}` }, s3);
    for (const [text, value] of [['true', true], ['false', false]] as const) {
      const parsed = parse(text);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      assert.deepEqual(parsed.secret.parameters, [{ key: 'use_ssl', value }]);
    }
    const empty = parse('');
    assert.equal(empty.ok ? 'ok' : empty.reason, AMBIGUOUS);
  });

  it('round-trips each secret with its own kind, and refuses a type no kind moves or a secret whose file is gone', async () => {
    await persist('proxy_ok', keys.accessKeyId, keys.secretAccessKey);
    const parsed = await readAndParse('proxy_ok');
    assert.ok(parsed.ok);
    const s3 = MOVABLE_KINDS.find((k) => k.type === 's3');
    assert.ok(s3);
    assert.deepEqual([...(await verifyRoundTrip([parsed.secret], [s3, HTTP_KIND], dir, {}))], [], 'the http kind, not the first one');
    assert.deepEqual([...(await verifyRoundTrip([parsed.secret], [s3], dir, {}))], [['proxy_ok', 'its type http does not move']]);
    fs.rmSync(path.join(dir, 'proxy_ok.duckdb_secret'));
    assert.deepEqual([...(await verifyRoundTrip([parsed.secret], [HTTP_KIND], dir, {}))], [['proxy_ok', AMBIGUOUS]], 'no original to compare with');
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('refuses a secret DuckDB will not re-create from the values read, and removes the check folder', async () => {
    const bogus: ParsedSecret = { name: 'bogus', type: 'http', scope: [], keyId: 'u', secret: 'p', parameters: [{ key: 'no_such_param', value: 'x' }] };
    const refused = await verifyRoundTrip([bogus], [HTTP_KIND], dir, {});
    const reason = refused.get('bogus') ?? '';
    assert.match(reason, /^DuckDB would not re-create it from the values read \(.*no_such_param.*\)$/, "DuckDB's first line, in the reason");
    assert.ok(!reason.includes('\n') && !reason.includes('CREATE'), 'one line, no statement echo');
    assert.deepEqual(fs.readdirSync(dir), []);
    const long: ParsedSecret = { ...bogus, name: 'long', parameters: [{ key: `no_such_${'param_'.repeat(60)}`, value: 'x' }] };
    const longReason = (await verifyRoundTrip([long], [HTTP_KIND], dir, {})).get('long') ?? '';
    assert.match(longReason, /^DuckDB would not re-create it from the values read \(.{200}\)$/, 'at most 200 characters of it');
  });
});
