import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectEnv, DEFAULT_ENV_NAMES, describeSources, endpointConcerns, missingMessage, processEnvSource, readDotEnv, validateEnvProfile, type EnvSource } from '../../../../src/core/credentials/envImport';

const account = '0123456789abcdef0123456789abcdef';
const names = DEFAULT_ENV_NAMES;

describe('import from environment', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-env-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  const env = (values: Record<string, string>): EnvSource => processEnvSource(values);
  const writeDotEnv = async (text: string): Promise<EnvSource> => {
    fs.writeFileSync(path.join(folder, '.env'), text);
    const source = await readDotEnv(folder);
    assert.ok(source);
    return source;
  };

  it('reads a .env file with dotenv: quotes, comments, export, CRLF', async () => {
    const dotenv = await writeDotEnv(
      [
        '# R2 for the lakehouse',
        `export CLOUDFLARE_ACCOUNT_ID=${account}`,
        'R2_ACCESS_KEY_ID="AKID 1"',
        "R2_SECRET_KEY='sec#ret'",
        'DUCKLAKE_NAME=my-lake # the bucket',
        '',
      ].join('\r\n'),
    );
    assert.equal(dotenv.description, path.join(folder, '.env'));
    assert.deepEqual(
      { ...dotenv.values },
      { CLOUDFLARE_ACCOUNT_ID: account, R2_ACCESS_KEY_ID: 'AKID 1', R2_SECRET_KEY: 'sec#ret', DUCKLAKE_NAME: 'my-lake' },
    );
  });

  it('has no source when the folder has no .env', async () => {
    assert.equal(await readDotEnv(folder), undefined);
  });

  it('takes each name from the first source that sets it: the environment before .env', async () => {
    const dotenv = await writeDotEnv(`R2_ACCESS_KEY_ID=from-file\nR2_SECRET_KEY=file-secret\nCLOUDFLARE_ACCOUNT_ID=${account}\n`);
    const result = collectEnv(names, [env({ R2_ACCESS_KEY_ID: 'from-env', R2_SECRET_KEY: '' }), dotenv]);
    assert.equal(result.input.accessKeyId, 'from-env');
    assert.equal(result.input.secretAccessKey, 'file-secret', 'an empty variable counts as not set');
    assert.deepEqual(Object.fromEntries(result.found), {
      R2_ACCESS_KEY_ID: "the extension host's environment",
      R2_SECRET_KEY: dotenv.description,
      CLOUDFLARE_ACCOUNT_ID: dotenv.description,
    });
    assert.deepEqual(result.missing, []);
  });

  it('uses the bucket eo_pv_lakehouse when DUCKLAKE_NAME is absent', () => {
    const result = collectEnv(names, [env({ R2_ACCESS_KEY_ID: 'a', R2_SECRET_KEY: 'b', CLOUDFLARE_ACCOUNT_ID: account })]);
    assert.equal(result.defaultBucket, true);
    const valid = validateEnvProfile(names, { ...result.input, label: 'dev' });
    assert.equal(valid.info.bucket, 'eo_pv_lakehouse');
    assert.equal(valid.info.jurisdiction, 'default');
    assert.match(valid.warnings.join(' '), /^DUCKLAKE_NAME "eo_pv_lakehouse" does not follow R2's naming rule/);
  });

  it('names every missing variable in one message', () => {
    const result = collectEnv(names, [env({ R2_ACCESS_KEY_ID: 'a' }), { description: '/work/project/.env', kind: 'file', values: { DUCKLAKE_NAME: 'lake' } }]);
    assert.deepEqual(result.missing, ['R2_SECRET_KEY', 'CLOUDFLARE_ACCOUNT_ID']);
    assert.equal(
      missingMessage(result),
      "Missing R2 credentials: R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID (looked in the extension host's environment and /work/project/.env).",
    );
  });

  it('reads the variable names it is given (the settings)', () => {
    const custom = { ...names, accessKeyId: 'MY_KEY', secretKey: 'MY_SECRET' };
    const result = collectEnv(custom, [env({ MY_KEY: 'a', MY_SECRET: 'b', R2_ACCESS_KEY_ID: 'ignored' })]);
    assert.equal(result.input.accessKeyId, 'a');
    assert.deepEqual(result.missing, ['CLOUDFLARE_ACCOUNT_ID']);
  });

  it("reads R2_ENDPOINT: Cloudflare's EU endpoint becomes the EU jurisdiction, and supplies a missing account id", () => {
    const result = collectEnv(names, [env({ R2_ACCESS_KEY_ID: 'a', R2_SECRET_KEY: 'b', R2_ENDPOINT: `https://${account}.eu.r2.cloudflarestorage.com` })]);
    assert.deepEqual(result.missing, []);
    assert.equal(result.input.accountId, account);
    assert.equal(result.input.jurisdiction, 'eu');
    assert.equal(result.input.customEndpoint, undefined);
  });

  it('reads R2_ENDPOINT for other servers as a custom endpoint', () => {
    const result = collectEnv(names, [env({ R2_ACCESS_KEY_ID: 'a', R2_SECRET_KEY: 'b', CLOUDFLARE_ACCOUNT_ID: account, R2_ENDPOINT: '127.0.0.1:9000' })]);
    const valid = validateEnvProfile(names, { ...result.input, label: 'local' });
    assert.equal(valid.info.jurisdiction, 'custom');
    assert.equal(valid.info.customEndpoint, 'https://127.0.0.1:9000');
  });

  it('reports a bad R2_ENDPOINT or one for another account, naming the variables', () => {
    const doubled = collectEnv(names, [env({ R2_ENDPOINT: `https://https://${account}.r2.cloudflarestorage.com` })]);
    assert.match(doubled.problems.join(' '), /^R2_ENDPOINT has its scheme twice/);
    const other = 'f'.repeat(32);
    const mismatch = collectEnv(names, [env({ CLOUDFLARE_ACCOUNT_ID: account, R2_ENDPOINT: `https://${other}.r2.cloudflarestorage.com` })]);
    assert.deepEqual(mismatch.problems, ['R2_ENDPOINT points at a different Cloudflare account than CLOUDFLARE_ACCOUNT_ID: make them agree.']);
  });

  it('validates what it found with messages naming the variables, never the values', async () => {
    const dotenv = await writeDotEnv(`R2_ACCESS_KEY_ID=AKIDVALUE\nR2_SECRET_KEY="two words"\nCLOUDFLARE_ACCOUNT_ID=nothex\n`);
    const result = collectEnv(names, [dotenv]);
    assert.throws(
      () => validateEnvProfile(names, { ...result.input, label: 'dev' }),
      (e: Error) => {
        assert.match(e.message, /CLOUDFLARE_ACCOUNT_ID must be 32 hexadecimal characters/);
        assert.match(e.message, /R2_SECRET_KEY contains a space or line break/);
        assert.ok(!/two words|nothex|AKIDVALUE/.test(e.message), e.message);
        return true;
      },
    );
  });

  it('trims a trailing newline in a quoted .env value and says so', async () => {
    const dotenv = await writeDotEnv(`R2_ACCESS_KEY_ID=a1b2c3d4\nR2_SECRET_KEY="s3cr3tvalue\\n"\nCLOUDFLARE_ACCOUNT_ID=${account}\n`);
    const valid = validateEnvProfile(names, { ...collectEnv(names, [dotenv]).input, label: 'dev' });
    assert.equal(valid.secrets.secretAccessKey, 's3cr3tvalue');
    assert.deepEqual(valid.notes, ['R2_SECRET_KEY: removed a line break around the pasted value.']);
  });

  it('leaves process.env alone (dotenv.parse, not config)', async () => {
    const before = process.env.R2_SECRET_KEY;
    const dotenv = await writeDotEnv('R2_SECRET_KEY=should-not-leak-into-process-env\n');
    collectEnv(names, [dotenv]);
    assert.equal(process.env.R2_SECRET_KEY, before);
  });

  describe('an endpoint from another place than the keys (issue 19, item 3)', () => {
    const hostKeys = { R2_ACCESS_KEY_ID: 'AKIDhost000000', R2_SECRET_KEY: 'host-secret', CLOUDFLARE_ACCOUNT_ID: account };

    it('keys from the host environment and R2_ENDPOINT from a workspace .env: a concern naming the file and the host', async () => {
      const dotenv = await writeDotEnv('R2_ENDPOINT=http://127.0.0.1:9999\n');
      const found = collectEnv(names, [env(hostKeys), dotenv]);
      assert.deepEqual(found.missing, []);
      const concerns = endpointConcerns(names, found);
      assert.equal(concerns.length, 2, concerns.join('\n'));
      assert.equal(concerns[0], `The endpoint (R2_ENDPOINT) comes from ${dotenv.description}, while the keys come from the extension host's environment.`);
      assert.match(concerns[1] ?? '', /^R2_ENDPOINT names 127\.0\.0\.1:9999, which is not a Cloudflare R2 host/);
      assert.ok(!concerns.join(' ').includes('host-secret'));
    });

    it('a Cloudflare jurisdiction endpoint from another place is still a concern; keys typed in too', async () => {
      const dotenv = await writeDotEnv(`R2_ENDPOINT=https://${account}.eu.r2.cloudflarestorage.com\n`);
      const found = collectEnv(names, [env(hostKeys), dotenv]);
      assert.equal(endpointConcerns(names, found).length, 1);
      const typed = collectEnv(names, [env({ CLOUDFLARE_ACCOUNT_ID: account }), dotenv]);
      assert.match(endpointConcerns(names, typed, true)[0] ?? '', /while the keys were typed in\.$/);
    });

    it('everything from one place and a Cloudflare endpoint: no concern; a custom endpoint always is one', async () => {
      const dotenv = await writeDotEnv(`R2_ACCESS_KEY_ID=AKIDfile000000\nR2_SECRET_KEY=s\nCLOUDFLARE_ACCOUNT_ID=${account}\nR2_ENDPOINT=https://${account}.eu.r2.cloudflarestorage.com\n`);
      assert.deepEqual(endpointConcerns(names, collectEnv(names, [env({}), dotenv])), []);
      assert.deepEqual(endpointConcerns(names, collectEnv(names, [env(hostKeys)])), [], 'no endpoint at all');
      const custom = collectEnv(names, [env({ ...hostKeys, R2_ENDPOINT: 'https://minio.internal:9000' })]);
      assert.deepEqual(endpointConcerns(names, custom), [
        'R2_ENDPOINT names minio.internal:9000, which is not a Cloudflare R2 host: listings, previews and DuckDB reads send requests signed with these keys there.',
      ]);
    });

    it('keys found nowhere (typed in later) and an endpoint from a file: the keys were typed in', async () => {
      const dotenv = await writeDotEnv(`R2_ENDPOINT=https://${account}.r2.cloudflarestorage.com\n`);
      assert.deepEqual(endpointConcerns(names, collectEnv(names, [env({}), dotenv])), [
        `The endpoint (R2_ENDPOINT) comes from ${dotenv.description}, while the keys were typed in.`,
      ]);
    });

    it('names the host of a custom endpoint however it was written', () => {
      const concern = (customEndpoint: unknown) =>
        endpointConcerns(names, { found: new Map([[names.endpoint, 'x']]), input: { jurisdiction: 'custom', customEndpoint } }, true)[1] ?? '';
      assert.match(concern('minio.internal:9000'), /^R2_ENDPOINT names minio\.internal:9000, which/);
      assert.match(concern('minio.internal:9000/a://b'), /^R2_ENDPOINT names minio\.internal:9000, which/);
      assert.match(concern('http://[::1'), /^R2_ENDPOINT names http:\/\/\[::1, which/, 'not a URL: the text as it is');
      assert.ok(!concern(undefined).includes('undefined'));
    });
  });

  it('tells the host environment from a workspace file', async () => {
    assert.equal(processEnvSource({}).kind, 'host');
    assert.equal(processEnvSource({}).description, "the extension host's environment");
    assert.equal((await writeDotEnv('A=1\n')).kind, 'file');
  });

  it('a blank value counts as not set; a set DUCKLAKE_NAME is no default bucket', () => {
    const result = collectEnv(names, [env({ R2_SECRET_KEY: ' \t ', DUCKLAKE_NAME: 'lake' }), env({ R2_SECRET_KEY: 'from-second' })]);
    assert.equal(result.input.secretAccessKey, 'from-second');
    assert.equal(result.defaultBucket, false);
    assert.equal(result.input.bucket, 'lake');
  });

  it('lists the places it looked in words', () => {
    const at = (description: string): EnvSource => ({ description, kind: 'file', values: {} });
    assert.equal(describeSources([]), 'nowhere');
    assert.equal(describeSources([at('/a/.env')]), '/a/.env');
    assert.equal(describeSources([at('/a/.env'), at('/b/.env'), at('/c/.env')]), '/a/.env, /b/.env and /c/.env');
  });
});
