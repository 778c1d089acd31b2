/**
 * Child-process entry for test/support/s3Server.ts: runs s3rver on 127.0.0.1 with a random port.
 * Started with `--openssl-legacy-provider` because s3rver's continuation tokens use DES, which
 * Node 20's OpenSSL 3 only offers through the legacy provider (listing > 1,000 keys needs them).
 * Input: one JSON argument `{ directory, buckets, accessKeys }`. Output: one line `{"port": n}`.
 *
 * s3rver 3.7.1's delimiter listing is wrong, and this child corrects it (see `withNestedFolders`):
 * its directory walk skips every directory beneath a common prefix before looking inside, so a
 * folder holding only sub-folders (`only-subfolders/inner/x.txt`) is left out of `CommonPrefixes`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */

interface ChildConfig {
  readonly directory: string;
  readonly buckets: readonly string[];
  /** [accessKeyId, secretAccessKey] pairs s3rver accepts besides its built-in S3RVER key. */
  readonly accessKeys: readonly (readonly [string, string])[];
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
interface ListOptions {
  readonly delimiter?: string;
  readonly prefix?: string;
  readonly startAfter?: string;
}
interface ListResult {
  readonly objects: readonly { readonly key: string }[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
}
interface FilesystemStoreClass {
  prototype: {
    rootDirectory: string;
    listObjects(bucket: string, options: ListOptions): Promise<ListResult>;
  };
}
interface AccountModule {
  readonly DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const S3rver = require('s3rver') as S3rverClass;
  const account = require('s3rver/lib/models/account') as AccountModule;
  withNestedFolders((require('s3rver/lib/stores/filesystem') as FilesystemStoreClass).prototype);
  for (const [id, secret] of config.accessKeys) account.DUMMY_ACCOUNT.createKeyPair(id, secret);
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: config.directory,
    configureBuckets: config.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.on('SIGTERM', () => {
    void server.close().finally(() => process.exit(0));
  });
}

const OBJECT_SUFFIX = '._S3rver_object';

/**
 * Adds to a `delimiter=/` listing the common prefixes s3rver misses: every directory under the
 * prefix's parent whose name continues the prefix and whose subtree holds an object. Keys are file
 * paths as they are on Linux and macOS (s3rver encodes them only on Windows). On a truncated page,
 * only prefixes before the page's last key belong to it; after `startAfter` only later ones.
 */
function withNestedFolders(store: FilesystemStoreClass['prototype']): void {
  const original = Object.getOwnPropertyDescriptor(store, 'listObjects')?.value as FilesystemStoreClass['prototype']['listObjects'];
  store.listObjects = async function (this: FilesystemStoreClass['prototype'], bucket, options) {
    const result = await original.call(this, bucket, options);
    if (options.delimiter !== '/') return result;
    const prefix = options.prefix ?? '';
    const parent = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const start = prefix.slice(parent.length);
    const directory = path.join(this.rootDirectory, bucket, parent);
    const last = result.isTruncated ? result.objects[result.objects.length - 1]?.key : undefined;
    const found = new Set(result.commonPrefixes);
    for (const entry of fs.existsSync(directory) ? fs.readdirSync(directory, { withFileTypes: true }) : []) {
      if (!entry.isDirectory() || !entry.name.startsWith(start)) continue;
      const folder = `${parent}${entry.name}/`;
      if (folder <= (options.startAfter ?? '') || (last !== undefined && folder > last)) continue;
      if (holdsObject(path.join(directory, entry.name))) found.add(folder);
    }
    return { ...result, commonPrefixes: [...found].sort() };
  };
}

function holdsObject(directory: string): boolean {
  return fs.readdirSync(directory, { withFileTypes: true }).some((entry) =>
    entry.isDirectory() ? holdsObject(path.join(directory, entry.name)) : entry.name.endsWith(OBJECT_SUFFIX),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`s3rver child failed: ${String(error)}\n`);
  process.exit(1);
});
