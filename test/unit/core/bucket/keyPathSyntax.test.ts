/**
 * Issue 19, item 4: a bucket's object keys never reach DuckDB as path syntax. httpfs reads
 * `?s3_endpoint=…&s3_use_ssl=false` in an r2:// path as settings that override the secret, so a
 * key like that, picked by the read check, previewed or copied into a query, would send a signed
 * request to the uploader's host. These tests need no httpfs: the choice and the refusals happen
 * before DuckDB, and a loopback "attacker" records any request that gets through.
 */
import * as assert from 'node:assert/strict';
import { testDuckDBOptions } from '../../../support/duckdbOptions';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { folderQuery, objectQuery } from '../../../../src/core/bucket/bucketQueries';
import { testBucket, type BucketTestDeps } from '../../../../src/core/bucket/bucketTest';
import { hasPathSyntax, keyOfRemotePath, pathSyntaxIn, pathSyntaxProblem } from '../../../../src/core/bucket/keyPathSyntax';
import { loadPreview } from '../../../../src/core/bucket/objectPreview';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';

const REFUSED = /refuses this object: its key contains "\?".*query string that can change the endpoint/;

describe('object keys with path syntax (issue 19, item 4)', () => {
  let attacker: http.Server;
  const requests: string[] = [];
  let hostileKey: string;
  let dir: string;
  let session: DuckDBSession;
  let deps: BucketTestDeps;

  before(async () => {
    attacker = http.createServer((req, res) => {
      requests.push(`${req.method ?? '?'} ${req.url ?? ''}`);
      res.writeHead(403).end();
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const { port } = attacker.address() as AddressInfo;
    hostileKey = `a?s3_endpoint=127.0.0.1:${port}&s3_use_ssl=false&s3_region=x.parquet`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-key-syntax-'));
    const log = new MemoryLogger();
    session = new DuckDBSession({ path: ':memory:', options: testDuckDBOptions() }, log);
    deps = { db: session, interrupt: () => session.interrupt(), log };
  });
  after(async () => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => attacker.close(resolve));
  });
  afterEach(() => assert.deepEqual(requests, [], 'a request reached the attacker'));

  it('finds "?", "*", "[" and "{" and nothing else', () => {
    assert.deepEqual(pathSyntaxIn('a?b*c[d]{e}?'), ['?', '*', '[', '{']);
    for (const plain of ['sales/year=2024/part-0.parquet', 'données/été 2024/x.csv', '100% folder/#hash+plus=eq.json', 'a]b}c']) assert.equal(hasPathSyntax(plain), false, plain);
    assert.equal(keyOfRemotePath('r2://lake/a?b.parquet'), 'a?b.parquet');
    assert.equal(keyOfRemotePath('s3://lake'), '');
    assert.equal(keyOfRemotePath('/tmp/a?b.parquet'), undefined);
    assert.equal(keyOfRemotePath('gcs://lake/a{b}.csv'), 'a{b}.csv');
    assert.equal(keyOfRemotePath('https://host.example/lake/a*.csv'), 'lake/a*.csv');
    assert.equal(keyOfRemotePath('/data/exports/s3://lake/a.csv'), undefined, 'a local file whose path spells a scheme');
  });

  it('the refusal names each character once and what to do, and explains "?" only when it is there', () => {
    assert.equal(
      pathSyntaxProblem('a*b[1]*', 'Preview'),
      'Preview refuses this object: its key contains "*", "[", which DuckDB reads as path syntax, not as part of the name. Rename the object, or read it with another S3 client.',
    );
    assert.equal(
      pathSyntaxProblem('a?x=1', 'Copy Query'),
      'Copy Query refuses this object: its key contains "?", which DuckDB reads as path syntax ("?" starts a query string that can change the endpoint and credentials DuckDB uses), ' +
        'not as part of the name. Rename the object, or read it with another S3 client.',
    );
    assert.equal(pathSyntaxProblem('plain/key.csv', 'Preview'), undefined);
  });

  it('the read check never picks such a key as the smallest object', async () => {
    const root = path.join(dir, 'pick');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, hostileKey), 'x'); // the smallest non-empty object
    fs.writeFileSync(path.join(root, 'glob[1].csv'), 'y');
    fs.writeFileSync(path.join(root, 'plain.csv'), 'a,b\n1,2\n');
    const result = await testBucket(deps, { root: `${root}/` });
    assert.equal(result.listing.objectCount, 3);
    assert.deepEqual(result.read.outcome === 'ok' ? result.read.key : result.read, 'plain.csv');
  });

  it('with only such keys, the read check reads nothing and says why', async () => {
    const root = path.join(dir, 'only');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, hostileKey), 'x');
    const result = await testBucket(deps, { root: `${root}/` });
    assert.equal(result.read.outcome, 'skipped');
    assert.match(result.read.outcome === 'skipped' ? result.read.message : '', /Every listed key contains "\?", "\*", "\[" or "\{"/);
  });

  it('an explicit read object (the readObject setting) with such a key is refused, naming the setting', async () => {
    const root = path.join(dir, 'pick');
    await assert.rejects(testBucket(deps, { root: `${root}/`, readObject: hostileKey }), (error: unknown) => {
      assert.match(String(error), /The read check \(duckdbSecrets\.testBucket\.readObject\) refuses this object/);
      assert.ok(!String(error).includes('s3_endpoint'), 'the message repeats the key');
      return true;
    });
  });

  it('Preview refuses an r2:// object whose key carries a query string, before DuckDB sees it', async () => {
    await assert.rejects(loadPreview(session, `r2://lake/${hostileKey}`), REFUSED);
    await assert.rejects(loadPreview(session, 'r2://lake/part-*.parquet'), /its key contains "\*"/);
  });

  it('Copy Query refuses such an object or folder', () => {
    assert.throws(() => objectQuery('lake', hostileKey), REFUSED);
    assert.throws(() => folderQuery('lake', 'weird{a,b}/', 'weird{a,b}/x.parquet', false), /Copy Query refuses this object: its key contains "\{"/);
    assert.equal(objectQuery('lake', 'sales/x.parquet'), "FROM read_parquet('r2://lake/sales/x.parquet');");
  });
});
