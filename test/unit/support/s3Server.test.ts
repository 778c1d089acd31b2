/**
 * The test S3 server must list folders as S3 and R2 do, or live-browsing tests cannot catch a
 * missing folder: every `delimiter=/` listing is checked against one computed from the full listing.
 */
import * as assert from 'node:assert/strict';
import { signedList } from '../../../src/core/bucket/s3Listing';
import { clearSecretValues } from '../../../src/core/redaction';
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
