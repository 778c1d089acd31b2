/**
 * Child-process entry for test/support/s3Server.ts: runs s3rver on 127.0.0.1 with a random port.
 * Started with `--openssl-legacy-provider` because s3rver's continuation tokens use DES, which
 * Node 20's OpenSSL 3 only offers through the legacy provider (listing > 1,000 keys needs them).
 * Input: one JSON argument `{ directory, buckets, accessKeys }`. Output: one line `{"port": n}`.
 */
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
interface AccountModule {
  readonly DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const S3rver = require('s3rver') as S3rverClass;
  const account = require('s3rver/lib/models/account') as AccountModule;
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

main().catch((error: unknown) => {
  process.stderr.write(`s3rver child failed: ${String(error)}\n`);
  process.exit(1);
});
