/**
 * Translation of DuckDB's httpfs failures while testing a bucket, fed with the exact texts DuckDB
 * v1.5.6 with httpfs (curl client, its default) produced here against servers on 127.0.0.1:
 * s3rver for the unknown access key id, the missing bucket and the missing object; plain TCP/TLS
 * servers for refused, plain-HTTP, untrusted certificate and timeout; and, because s3rver does not
 * check signatures, a loopback server answering 403 with S3's SignatureDoesNotMatch / AccessDenied
 * error XML (the text around it is httpfs's own: s3fs.cpp `GetS3Error`, `ParseS3Error`,
 * `GetS3AuthError`). With DUCKDB_SECRETS_TEST_EXTENSION_DIR set, the texts are produced again from
 * the real httpfs and compared.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  cleanDetail,
  isExtensionFailure,
  parseHttpfsError,
  translateBucketError,
  type BucketErrorContext,
} from '../../../../src/core/bucket/bucketErrors';
import { OPEN_OPTIONS_SETTING } from '../../../../src/core/duckdb/duckdbErrors';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';
import { openTestDuckDB, type TestDuckDB } from '../../../support/duckdbOptions';
import { S3Server } from '../../../support/s3Server';

const AUTH_FAILURE =
  '\n\nAuthentication Failure - this is usually caused by invalid or missing credentials.\n* Credentials are provided, but they did not work.\n* See https://duckdb.org/docs/stable/extensions/httpfs/s3api.html';
const echo = (sql: string, caret: number) => `\n\nLINE 1: ${sql}\n${' '.repeat(caret)}^`;
const GLOB_ECHO = echo("FROM glob('r2://b/**')", 13);
const LIST_QUERY = '/b/?encoding-type=url&list-type=2&prefix=';

const TEXTS = {
  unknownKeyList:
    "HTTP Error: HTTP GET error reading 'r2://b' in region '' (HTTP 403 Forbidden)\n\nInvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.\nInvalid Access Key: \"UNKNOWNKEY\"" +
    AUTH_FAILURE +
    GLOB_ECHO,
  unknownKeyRead:
    "HTTP Error: HTTP GET error reading 'http://127.0.0.1:38197/b/top.txt' in region '' (HTTP 403 Forbidden)\n\nInvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.\nInvalid Access Key: \"UNKNOWNKEY\"" +
    AUTH_FAILURE +
    AUTH_FAILURE,
  signatureList:
    "HTTP Error: HTTP GET error reading 'r2://b' in region '' (HTTP 403 Forbidden)\n\nSignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your key and signing method." +
    AUTH_FAILURE +
    GLOB_ECHO,
  accessDeniedRead: "HTTP Error: HTTP GET error reading 'http://127.0.0.1:39861/b/x.txt' in region '' (HTTP 403 Forbidden)\n\nAccessDenied: Access Denied" + AUTH_FAILURE + AUTH_FAILURE,
  noBucket:
    "HTTP Error: HTTP GET error reading 'r2://nobucket' in region '' (HTTP 404 Not Found)\n\nNoSuchBucket: The specified bucket does not exist" +
    echo("FROM glob('r2://nobucket/**')", 13),
  missingObject: "HTTP Error: HTTP GET error reading 'r2://b/missing.txt' in region '' (HTTP 404 Not Found)",
  doubledHttps: `IO Error: Couldn't resolve host name error for HTTP GET to 'https://https://https://127.0.0.1:38197${LIST_QUERY}'${GLOB_ECHO}`,
  doubledHttp: `IO Error: Couldn't resolve host name error for HTTP GET to 'http://https://127.0.0.1:39861${LIST_QUERY}'${GLOB_ECHO}`,
  tlsToPlainHttp: `IO Error: SSL connect error error for HTTP GET to 'https://127.0.0.1:38197${LIST_QUERY}'${GLOB_ECHO}`,
  untrustedCertificate: `IO Error: SSL peer certificate or SSH remote key was not OK error for HTTP GET to 'https://localhost:38743${LIST_QUERY}'${GLOB_ECHO}`,
  refused: `IO Error: Couldn't connect to server error for HTTP GET to 'http://127.0.0.1:1${LIST_QUERY}'${GLOB_ECHO}`,
  unknownHost: `IO Error: Couldn't resolve host name error for HTTP GET to 'https://no-such-host.invalid${LIST_QUERY}'${GLOB_ECHO}`,
  timeout: `IO Error: Timeout was reached error for HTTP GET to 'http://127.0.0.1:42341${LIST_QUERY}'${GLOB_ECHO}`,
  // Without httpfs, offline (the download attempt fails), and with autoinstall_known_extensions off.
  extensionDownload:
    "Extension Autoloading Error: An error occurred while trying to automatically install the required extension 'httpfs':\nFailed to download extension \"httpfs\" at URL \"http://extensions.duckdb.org/v1.5.6/linux_amd64/httpfs.duckdb_extension.gz\"\nExtension \"httpfs\" is an existing extension.\n\nFor more info, visit https://duckdb.org/docs/stable/extensions/troubleshooting?version=v1.5.6&platform=linux_amd64&extension=httpfs (ERROR Could not establish connection)" +
    GLOB_ECHO,
  extensionNotInstalled:
    "Extension Autoloading Error: An error occurred while trying to automatically install the required extension 'httpfs':\nExtension \"/root/.duckdb/extensions/v1.5.6/linux_amd64/httpfs.duckdb_extension\" not found.\nExtension \"httpfs\" is an existing extension.\n\nInstall it first using \"INSTALL httpfs\"." +
    GLOB_ECHO,
  interrupted: 'INTERRUPT Error: Interrupted!',
} as const;

const list: BucketErrorContext = { stage: 'list', bucket: 'b', prefix: '', secretName: 'r2_dev_secret', endpoint: '127.0.0.1:38197', profileId: 'profile-1' };
const read: BucketErrorContext = { ...list, stage: 'read', key: 'top.txt' };
const onDefault: BucketErrorContext = { ...list, endpoint: '0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com', defaultEndpoint: true };

function translated(text: string, context: BucketErrorContext = list): UserFacingError {
  const error = translateBucketError(new Error(text), context);
  assert.ok(error instanceof UserFacingError, `expected a UserFacingError for ${text}`);
  return error;
}

describe('bucket error translation (DuckDB httpfs texts)', () => {
  it('parses the HTTP and transport shapes', () => {
    assert.deepEqual(parseHttpfsError(TEXTS.unknownKeyList), { status: 403, code: 'InvalidAccessKeyId', url: 'r2://b' });
    assert.deepEqual(parseHttpfsError(TEXTS.missingObject), { status: 404, url: 'r2://b/missing.txt' });
    assert.deepEqual(parseHttpfsError(TEXTS.refused), { transport: "Couldn't connect to server", url: `http://127.0.0.1:1${LIST_QUERY}` });
    assert.deepEqual(parseHttpfsError('Binder Error: nothing of the kind'), {});
  });

  it('403 with an unknown access key id: says so, offers Set R2 Credentials, never repeats the key id', () => {
    for (const [text, context] of [
      [TEXTS.unknownKeyList, list],
      [TEXTS.unknownKeyRead, read],
    ] as const) {
      const error = translated(text, context);
      assert.match(error.message, /does not know the access key id of secret "r2_dev_secret" \(HTTP 403 InvalidAccessKeyId\)\. The API token may have been deleted/);
      assert.deepEqual(error.actions.map((a) => [a.title, a.command, a.args]), [['Set R2 Credentials', 'duckdbSecrets.setCredentials', ['profile-1']]]);
      for (const shown of [error.message, error.detail ?? '']) assert.ok(!shown.includes('UNKNOWNKEY'), shown);
      assert.match(error.detail ?? '', /Invalid Access Key: "…"/);
      assert.ok(!(error.detail ?? '').includes('LINE 1'), 'the statement echo is cut off');
    }
  });

  it('403 signature mismatch: the secret key is wrong (distinct from an unknown key id)', () => {
    const error = translated(TEXTS.signatureList);
    assert.match(error.message, /^The secret access key of secret "r2_dev_secret" does not match its access key id \(HTTP 403 SignatureDoesNotMatch\): the secret key is wrong\./);
    assert.doesNotMatch(error.message, /does not know the access key id/);
  });

  it('403 access denied: check the token permissions for the bucket', () => {
    const error = translated(TEXTS.accessDeniedRead, { ...read, key: 'x.txt' });
    assert.match(error.message, /^Access denied reading r2:\/\/b\/x\.txt \(HTTP 403 AccessDenied\)\. Check that the API token behind secret "r2_dev_secret" has Object Read permission for bucket "b"/);
  });

  it('bucket not found: the name, or an EU/FedRAMP bucket through the default endpoint', () => {
    const plain = translated(TEXTS.noBucket, { ...list, bucket: 'nobucket', defaultEndpoint: false });
    assert.equal(plain.message, 'Bucket "nobucket" not found at 127.0.0.1:38197 (HTTP 404 NoSuchBucket). Check the bucket name.');
    const viaDefault = translated(TEXTS.noBucket, { ...onDefault, bucket: 'nobucket' });
    assert.match(viaDefault.message, /^Bucket "nobucket" not found at 0123456789abcdef0123456789abcdef\.r2\.cloudflarestorage\.com .*a bucket in the EU or FedRAMP jurisdiction is not found through the default endpoint/);
  });

  it('an object that is not there (read check)', () => {
    assert.match(translated(TEXTS.missingObject, { ...read, key: 'missing.txt' }).message, /^r2:\/\/b\/missing\.txt was not found \(HTTP 404\)\. Check the duckdbSecrets\.testBucket\.readObject setting\./);
  });

  it('an endpoint written with its scheme: DuckDB doubles it', () => {
    for (const [text, shown] of [
      [TEXTS.doubledHttps, 'https://https://https://'],
      [TEXTS.doubledHttp, 'http://https://'],
    ] as const) {
      const error = translated(text);
      assert.match(error.message, /^The endpoint of secret "r2_dev_secret" is written with its scheme/);
      assert.ok(error.message.includes(`(DuckDB requested ${shown}…)`), error.message);
      assert.match(error.message, /ENDPOINT takes host\[:port\] only, without https:\/\/ or http:\/\//);
    }
  });

  it('TLS against a plain-HTTP endpoint, and an untrusted certificate', () => {
    assert.match(translated(TEXTS.tlsToPlainHttp).message, /^The TLS handshake with 127\.0\.0\.1:38197 failed listing r2:\/\/b\/: the endpoint of secret "r2_dev_secret" speaks plain HTTP\. Write the profile's endpoint as http:\/\/127\.0\.0\.1:38197/);
    assert.match(translated(TEXTS.untrustedCertificate).message, /^The TLS certificate of localhost:38743 is not trusted/);
  });

  it('unreachable host: refused, unknown name, timeout', () => {
    assert.match(translated(TEXTS.refused).message, /^Nothing answers at 127\.0\.0\.1:1 \(Couldn't connect to server\)/);
    assert.match(translated(TEXTS.unknownHost).message, /^The host no-such-host\.invalid was not found listing r2:\/\/b\/\. Check the account id or endpoint/);
    assert.match(translated(TEXTS.timeout).message, /^127\.0\.0\.1:42341 did not answer in time listing r2:\/\/b\/ \(Timeout was reached; DuckDB waits at most 15 s per request and tries 2 times \(http_timeout, http_retries in duckdbSecrets\.duckdb\.options\)\)/);
  });

  it('httpfs missing: left to the DuckDB translation, which points at the options setting', () => {
    for (const text of [TEXTS.extensionDownload, TEXTS.extensionNotInstalled]) {
      assert.ok(isExtensionFailure(text));
      const error = translated(text);
      assert.match(error.message, /^DuckDB needs its httpfs extension for R2 secrets and r2:\/\/ paths/);
      assert.deepEqual(error.actions, [OPEN_OPTIONS_SETTING]);
    }
    assert.match(translated(TEXTS.extensionDownload).message, /could not download it from extensions\.duckdb\.org/);
  });

  it('403 texts link to httpfs docs but are not extension failures', () => {
    for (const text of [TEXTS.unknownKeyList, TEXTS.signatureList, TEXTS.accessDeniedRead, TEXTS.noBucket]) assert.equal(isExtensionFailure(text), false, text);
  });

  it('an interrupted statement is a cancellation, not an error', () => {
    assert.ok(translateBucketError(new Error(TEXTS.interrupted), list) instanceof CancelledError);
  });

  it('cleanDetail cuts the statement echo and the echoed key id', () => {
    assert.equal(cleanDetail(TEXTS.unknownKeyList).includes('UNKNOWNKEY'), false);
    assert.equal(cleanDetail(TEXTS.noBucket), "HTTP Error: HTTP GET error reading 'r2://nobucket' in region '' (HTTP 404 Not Found)\n\nNoSuchBucket: The specified bucket does not exist");
  });
});

describe('bucket error translation: the rarer answers', () => {
  const bare: BucketErrorContext = { stage: 'list', bucket: 'b', prefix: 'a/' };
  const httpError = (url: string, status: string, code = '') => `HTTP Error: HTTP GET error reading '${url}' in region '' (HTTP ${status})${code ? `\n\n${code}: text` : ''}`;

  it('an error already translated, or a cancellation, passes through unchanged', () => {
    const translatedBefore = new UserFacingError('Already worded.');
    assert.equal(translateBucketError(translatedBefore, list), translatedBefore);
    const cancelled = new CancelledError();
    assert.equal(translateBucketError(cancelled, list), cancelled);
  });

  it('a key that spells "INTERRUPT Error" is not a cancellation', () => {
    const error = translated(httpError('r2://b/INTERRUPT Error.csv', '404 Not Found'), { ...read, key: 'INTERRUPT Error.csv' });
    assert.match(error.message, /^r2:\/\/b\/INTERRUPT Error\.csv was not found/);
  });

  it('another extension that cannot load: DuckDB\'s words, naming what was listed or read', () => {
    const text = "Extension Autoloading Error: An error occurred while trying to automatically install the required extension 'json':\nFailed to download extension";
    assert.equal(translated(text, bare).message, "DuckDB failed to list r2://b/a/: An error occurred while trying to automatically install the required extension 'json':");
    assert.match(translated(text, { ...bare, stage: 'read', key: 'a/x.json' }).message, /^DuckDB failed to read r2:\/\/b\/a\/x\.json: An error occurred/);
    assert.match(translated(text, { ...bare, stage: 'read' }).message, /^DuckDB failed to read r2:\/\/b\/a\/: /);
  });

  it('an httpfs file that DuckDB cannot find, whatever its name, is an extension failure', () => {
    for (const name of ['httpfs', '/opt/duckdb/httpfs-custom.so']) {
      const text = `IO Error: Extension "${name}" not found.`;
      assert.ok(isExtensionFailure(text), text);
      assert.match(translated(text).message, /^DuckDB needs its httpfs extension .* it is not installed/);
    }
    assert.equal(isExtensionFailure('IO Error: Extension "json" not found.'), false);
  });

  it('Set R2 Credentials without a known profile opens the profile picker', () => {
    const error = translated(TEXTS.signatureList, bare);
    assert.match(error.message, /^The secret access key of the R2 secret does not match .*, and create the secret again\.$/);
    assert.deepEqual(error.actions, [{ title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials', args: [] }]);
  });

  it('without an http URL or a known endpoint, the host is "the endpoint"', () => {
    assert.match(translated(TEXTS.noBucket, { ...bare, bucket: 'nobucket' }).message, /^Bucket "nobucket" not found at the endpoint \(HTTP 404 NoSuchBucket\)/);
  });

  it('a doubled scheme: the endpoint must be fixed, with Set R2 Credentials', () => {
    const error = translated(`IO Error: Couldn't resolve host name error for HTTP GET to 'http://http://127.0.0.1:9000${LIST_QUERY}'`);
    assert.match(error.message, /\(DuckDB requested http:\/\/http:\/\/…\)\..*: fix the profile's endpoint and create the secret again\.$/);
    assert.deepEqual(error.actions.map((a) => a.title), ['Set R2 Credentials']);
    const inKey = translated(httpError('http://127.0.0.1:9000/b/http://https://x', '404 Not Found'), { ...read, key: 'http://https://x' });
    assert.match(inKey.message, /^r2:\/\/b\/http:\/\/https:\/\/x was not found \(HTTP 404\)/);
  });

  it('a missing object by its S3 code, with the caller\'s hint or the readObject setting', () => {
    const text = httpError('r2://b/gone.txt', '404 Not Found', 'NoSuchKey');
    const error = translated(text, { ...read, key: 'gone.txt' });
    assert.equal(error.message, 'r2://b/gone.txt does not exist (HTTP 404 NoSuchKey). Check the duckdbSecrets.testBucket.readObject setting.');
    assert.deepEqual(error.actions, []);
    assert.match(translated(text, { ...read, key: 'gone.txt', notFoundHint: 'Refresh its folder.' }).message, /NoSuchKey\)\. Refresh its folder\.$/);
  });

  it('a listing answered 404 without a code: the bucket or the endpoint is wrong', () => {
    assert.equal(translated(httpError('r2://b', '404 Not Found')).message, 'Bucket "b" not found at 127.0.0.1:38197 (HTTP 404). Check the bucket name and the profile\'s endpoint.');
  });

  it('400: the endpoint or jurisdiction; other statuses: try again later', () => {
    assert.equal(
      translated(httpError('r2://b', '400 Bad Request')).message,
      "127.0.0.1:38197 rejected the request listing r2://b/ (HTTP 400). Check the profile's endpoint and jurisdiction.",
    );
    assert.match(translated(httpError('r2://b', '400 Bad Request', 'InvalidRegionName')).message, /\(HTTP 400 InvalidRegionName\)\. Check/);
    assert.equal(translated(httpError('r2://b', '503 Service Unavailable', 'SlowDown')).message, '127.0.0.1:38197 answered HTTP 503 SlowDown listing r2://b/. Try again later; if it persists, check the endpoint.');
    assert.equal(translated(httpError('r2://b', '500 Internal Server Error'), read).message, '127.0.0.1:38197 answered HTTP 500 reading r2://b/top.txt. Try again later; if it persists, check the endpoint.');
  });

  it('an HTTP error with a region, or without one (older httpfs)', () => {
    const code = '\n\nAccessDenied: Access Denied';
    assert.deepEqual(parseHttpfsError(`HTTP Error: HTTP GET error reading 'r2://b' in region 'auto' (HTTP 403 Forbidden)${code}`), { status: 403, code: 'AccessDenied', url: 'r2://b' });
    assert.deepEqual(parseHttpfsError("HTTP Error: HTTP HEAD error on 'https://b.example/x.csv' (HTTP 404)"), { status: 404, url: 'https://b.example/x.csv' });
  });

  it('a status DuckDB names in another shape', () => {
    const text = 'HTTP Error: Unable to read the answer (HTTP 502 Bad Gateway)';
    assert.deepEqual(parseHttpfsError(text), { status: 502 });
    assert.match(translated(text).message, /^127\.0\.0\.1:38197 answered HTTP 502 listing r2:\/\/b\/\./);
  });

  it('a transport failure of no known kind: the client\'s words', () => {
    const error = translated(`IO Error: Send failure: Broken pipe error for HTTP GET to 'http://127.0.0.1:9000${LIST_QUERY}'`);
    assert.equal(error.message, 'The request to 127.0.0.1:9000 failed listing r2://b/: Send failure: Broken pipe.');
  });

  it('anything else: DuckDB\'s first line, without its error class', () => {
    assert.equal(translated('Binder Error: no such function\nmore lines', bare).message, 'DuckDB failed listing r2://b/a/: no such function');
    assert.equal(translated('Unexpected answer: IO Error: reset', bare).message, 'DuckDB failed listing r2://b/a/: Unexpected answer: IO Error: reset');
  });
});

/** The same texts, produced again by the real httpfs, with the varying port put back to the recorded one. */
describe('bucket error texts from the real httpfs (DUCKDB_SECRETS_TEST_EXTENSION_DIR)', function () {
  const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;
  let server: S3Server;
  let fake: http.Server;
  let silent: net.Server;
  let db: TestDuckDB | undefined;
  let connection: DuckDBConnection;

  before(async function () {
    if (!extensionDir) {
      console.log('      skipped: set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a DuckDB extension directory with httpfs for this version');
      this.skip();
    }
    server = await S3Server.start({ buckets: ['b'] });
    server.writeObjects('b', [{ key: 'top.txt', body: 'top' }]);
    const denied = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    fake = http.createServer((req, res) => {
      res.writeHead(403, { 'content-type': 'application/xml' });
      const body = req.url?.startsWith('/b/?')
        ? denied('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.')
        : denied('AccessDenied', 'Access Denied');
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    silent = net.createServer(() => undefined);
    await Promise.all([fake, silent].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
    db = await openTestDuckDB({ extension_directory: extensionDir, allow_unsigned_extensions: 'true' });
    connection = db.connection;
  });
  after(async () => {
    db?.close();
    fake?.close();
    silent?.close();
    await server?.stop();
  });

  const portOf = (s: net.Server | http.Server) => (s.address() as AddressInfo).port;
  async function failure(endpoint: string, statement: string, extra = ', USE_SSL false'): Promise<string> {
    await connection.run(`CREATE OR REPLACE SECRET r2_dev_secret (TYPE r2, KEY_ID 'UNKNOWNKEY', SECRET 'S3RVER', ACCOUNT_ID 'acc', ENDPOINT '${endpoint}', URL_STYLE 'path'${extra})`);
    try {
      await connection.run(statement);
    } catch (error) {
      return (error as Error).message;
    }
    return assert.fail(`${statement} did not fail`);
  }
  const withPort = (text: string, actual: number, recorded: number) => text.split(`127.0.0.1:${actual}`).join(`127.0.0.1:${recorded}`);

  it('unknown access key id (s3rver), listing and reading', async () => {
    const host = `127.0.0.1:${server.port}`;
    assert.equal(await failure(host, "FROM glob('r2://b/**')"), TEXTS.unknownKeyList);
    assert.equal(withPort(await failure(host, "SELECT content FROM read_blob('r2://b/top.txt')"), server.port, 38197), TEXTS.unknownKeyRead);
  });

  it('signature mismatch and access denied (403 answers from a loopback server)', async () => {
    const host = `127.0.0.1:${portOf(fake)}`;
    assert.equal(await failure(host, "FROM glob('r2://b/**')"), TEXTS.signatureList);
    assert.equal(withPort(await failure(host, "SELECT content FROM read_blob('r2://b/x.txt')"), portOf(fake), 39861), TEXTS.accessDeniedRead);
  });

  it('missing bucket and missing object (s3rver, known key)', async () => {
    await connection.run(`CREATE OR REPLACE SECRET ok (TYPE r2, KEY_ID 'S3RVER', SECRET 'S3RVER', ACCOUNT_ID 'acc', ENDPOINT '127.0.0.1:${server.port}', URL_STYLE 'path', USE_SSL false)`);
    await connection.run('DROP SECRET r2_dev_secret').catch(() => undefined);
    const run = async (sql: string) => connection.run(sql).then(() => assert.fail(`${sql} did not fail`), (e: Error) => e.message);
    assert.equal(await run("FROM glob('r2://nobucket/**')"), TEXTS.noBucket);
    assert.equal(await run("SELECT content FROM read_blob('r2://b/missing.txt')"), TEXTS.missingObject);
    await connection.run('DROP SECRET ok');
  });

  it('doubled scheme, TLS against plain HTTP, refused, timeout', async () => {
    const host = `127.0.0.1:${server.port}`;
    assert.equal(withPort(await failure(`https://https://${host}`, "FROM glob('r2://b/**')", ''), server.port, 38197), TEXTS.doubledHttps);
    assert.equal(withPort(await failure(`https://${host}`, "FROM glob('r2://b/**')"), server.port, 39861), TEXTS.doubledHttp);
    assert.equal(withPort(await failure(host, "FROM glob('r2://b/**')", ''), server.port, 38197), TEXTS.tlsToPlainHttp);
    assert.equal(await failure('127.0.0.1:1', "FROM glob('r2://b/**')"), TEXTS.refused);
    await connection.run('SET http_timeout = 1');
    await connection.run('SET http_retries = 0');
    assert.equal(withPort(await failure(`127.0.0.1:${portOf(silent)}`, "FROM glob('r2://b/**')"), portOf(silent), 42341), TEXTS.timeout);
    await connection.run('RESET http_timeout');
    await connection.run('RESET http_retries');
  });
});
