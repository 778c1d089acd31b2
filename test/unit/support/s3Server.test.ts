/**
 * The test S3 server must list folders as S3 and R2 do, or live-browsing tests cannot catch a
 * missing folder: every `delimiter=/` listing is checked against one computed from the full listing.
 */
import * as assert from 'node:assert/strict';
import { DEFAULT_RETRY } from '../../../src/core/bucket/retry';
import { signedList } from '../../../src/core/bucket/s3Listing';
import { clearSecretValues } from '../../../src/core/redaction';
import { MemoryS3 } from '../../support/memoryS3';
import { S3SigningFront } from '../../support/s3SigningFront';
import { S3Server, S3RVER_KEY } from '../../support/s3Server';
import { s3rverCredentials } from '../../support/testProfiles';

const KEYS = [
  'top.txt',
  'has-file/y.txt',
  'only-subfolders/inner/x.txt',
  'deep/a/b/c/d.txt',
  'deep/a/sibling.txt',
  'mixed/file.csv',
  'mixed/sub/one/two.parquet',
  'folder with spaces/only/inside.txt',
  'données/été 2024/part.parquet',
];

/** What S3 answers for `prefix` with `delimiter=/`, from the full list of keys. */
function expectedLevel(keys: readonly string[], prefix: string): { folders: string[]; objects: string[] } {
  const folders = new Set<string>();
  const objects: string[] = [];
  for (const key of keys.filter((k) => k.startsWith(prefix))) {
    const slash = key.indexOf('/', prefix.length);
    if (slash === -1) objects.push(key);
    else folders.add(key.slice(0, slash + 1));
  }
  return { folders: [...folders].sort(), objects: objects.sort() };
}

describe('the test S3 server (s3rver) lists folders as S3 does', () => {
  let server: S3Server;
  const credentials = () => s3rverCredentials(server, S3RVER_KEY);

  before(async () => {
    server = await S3Server.start({ buckets: ['plain', 'signed'] });
    server.writeObjects('plain', KEYS.map((key) => ({ key, body: 'x' })));
    for (const key of KEYS) await server.put('signed', key, 'x');
  });
  after(async () => {
    await server.stop();
    clearSecretValues();
  });

  for (const bucket of ['plain', 'signed']) {
    it(`every delimiter listing of "${bucket}" matches its full listing, folders holding only sub-folders included`, async () => {
      const full = await signedList(credentials(), { bucket, prefix: '' });
      const keys = full.objects.map((o) => o.key);
      assert.deepEqual([...keys].sort(), [...KEYS].sort(), 'the full listing holds every key');

      const prefixes = new Set<string>(['', 'de', 'only-', 'mixed/s']);
      for (const key of keys) for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) prefixes.add(key.slice(0, i + 1));
      for (const prefix of prefixes) {
        const level = await signedList(credentials(), { bucket, prefix, delimiter: '/' });
        assert.deepEqual(
          { folders: level.folders.map((f) => f.prefix), objects: level.objects.map((o) => o.key).sort() },
          expectedLevel(keys, prefix),
          `prefix "${prefix}"`,
        );
      }
    });
  }
});

describe('the in-memory store (MemoryS3) lists as s3rver does', () => {
  let server: S3Server;
  let memory: MemoryS3;

  before(async () => {
    server = await S3Server.start({ buckets: ['lake'] });
    server.writeObjects('lake', KEYS.map((key) => ({ key, body: 'x' })));
    memory = await MemoryS3.start({ lake: [...KEYS], big: ['b/1.csv', 'b/2.csv', 'c.csv'] });
  });
  after(async () => {
    await memory.stop();
    await server.stop();
    clearSecretValues();
  });

  /** Every page of a listing, `maxKeys` at a time: keys and folders in the order they came. */
  async function pages(on: Pick<S3Server, 'endpoint'>, prefix: string, delimiter: string | undefined, maxKeys: number): Promise<string[]> {
    const seen: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await signedList(s3rverCredentials(on, S3RVER_KEY), { bucket: 'lake', prefix, maxKeys, ...(delimiter ? { delimiter } : {}), ...(continuation ? { continuation } : {}) });
      seen.push(...page.objects.map((o) => o.key), ...page.folders.map((f) => `folder ${f.prefix}`));
      continuation = page.continuation;
    } while (continuation);
    return seen.sort();
  }

  for (const [prefix, delimiter] of [['', '/'], ['', undefined], ['de', '/'], ['deep/', '/'], ['deep/', undefined], ['mixed/s', '/'], ['nothing/', '/']] as const) {
    it(`prefix "${prefix}"${delimiter ? ' with delimiter /' : ''}: the same keys and folders, whole and two at a time`, async () => {
      const expected = await pages(server, prefix, delimiter, 1000);
      assert.deepEqual(await pages(memory, prefix, delimiter, 1000), expected);
      assert.deepEqual(await pages(memory, prefix, delimiter, 2), expected, 'paged two at a time, continuation tokens included');
      if (prefix === '' && !delimiter) assert.equal(expected.length, KEYS.length);
    });
  }

  it('sits behind the signing front for the buckets routed to it, signatures still checked', async () => {
    const front = await S3SigningFront.start(server.port, new Map([[S3RVER_KEY.accessKeyId, S3RVER_KEY.secretAccessKey]]), new Map([['big', memory.port]]));
    try {
      const big = await signedList(s3rverCredentials(front, S3RVER_KEY), { bucket: 'big', prefix: '', delimiter: '/' });
      assert.deepEqual({ folders: big.folders.map((f) => f.prefix), objects: big.objects.map((o) => o.key) }, { folders: ['b/'], objects: ['c.csv'] });
      const lake = await signedList(s3rverCredentials(front, S3RVER_KEY), { bucket: 'lake', prefix: 'deep/a/', delimiter: '/' });
      assert.deepEqual(lake.objects.map((o) => o.key), ['deep/a/sibling.txt'], 'an unrouted bucket is still s3rver’s');
      const wrong = { ...S3RVER_KEY, secretAccessKey: `${S3RVER_KEY.secretAccessKey}x` };
      await assert.rejects(signedList(s3rverCredentials(front, wrong), { bucket: 'big', prefix: '', retry: { ...DEFAULT_RETRY, attempts: 1 } }), /secret|signature/i);
      assert.deepEqual(front.requests.map((r) => r.ok), [true, true, false]);
    } finally {
      await front.stop();
    }
  });

  it('answers a bucket it does not hold with NoSuchBucket, as S3 does', async () => {
    await assert.rejects(signedList(s3rverCredentials(memory, S3RVER_KEY), { bucket: 'other', prefix: '' }), /NoSuchBucket|does not exist|not found/i);
  });
});
