/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 with a random port and a temporary directory,
 * run in a child process with `--openssl-legacy-provider` (see s3ServerChild.ts). Objects are
 * seeded either through signed PUTs (the real path) or, for bulk, straight into s3rver's on-disk
 * layout (`<dir>/<bucket>/<key>._S3rver_object`), which it lists like any other object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsClient } from 'aws4fetch';

/** s3rver's built-in key pair. */
export const S3RVER_KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3ServerOptions {
  readonly buckets: readonly string[];
  /** Extra key pairs the server accepts. An id not listed here (nor S3RVER) gets 403 InvalidAccessKeyId. */
  readonly accessKeys?: readonly (readonly [string, string])[];
}

export class S3Server {
  private constructor(
    private readonly child: ChildProcess,
    readonly directory: string,
    readonly port: number,
  ) {}

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: S3ServerOptions): Promise<S3Server> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-s3rver-'));
    const config = { directory, buckets: options.buckets, accessKeys: options.accessKeys ?? [] };
    // Inside Electron (desktop VS Code's extension host) execPath is Electron, whose BoringSSL has no
    // legacy provider: use the `node` on PATH there.
    const node = process.versions.electron ? 'node' : process.execPath;
    const child = spawn(node, ['--openssl-legacy-provider', path.join(__dirname, 's3ServerChild.js'), JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = /^(\{.*\})\n/m.exec(out)?.[1];
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${err}`)));
      child.once('error', reject);
    });
    return new S3Server(child, directory, port);
  }

  /** Stores an object through a signed PUT, like any S3 client. */
  async put(bucket: string, key: string, body: string | Uint8Array): Promise<void> {
    const client = new AwsClient({ ...S3RVER_KEY, service: 's3', region: 'auto', retries: 0 });
    const url = `${this.endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const response = await client.fetch(url, { method: 'PUT', body });
    if (!response.ok) throw new Error(`PUT ${key}: HTTP ${response.status} ${await response.text()}`);
  }

  /**
   * Writes objects straight into s3rver's directory: fast enough for 100,000 keys.
   * `folderMarkers` also writes a zero-byte folder marker object per folder (`sales/`), as S3
   * consoles create them; listings leave the marker out of a folder's objects. Not needed for
   * folders to be listed: the child corrects s3rver's delimiter listing (s3ServerChild.ts).
   */
  writeObjects(bucket: string, objects: Iterable<{ key: string; body: string | Uint8Array }>, options: { folderMarkers?: boolean } = {}): number {
    const markers = options.folderMarkers ?? false;
    const made = new Set<string>();
    let count = 0;
    for (const { key, body } of objects) {
      const parts = key.split('/');
      const name = parts.pop() ?? '';
      const dir = path.join(this.directory, bucket, ...parts);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
        for (let depth = 1; markers && depth <= parts.length; depth++) {
          const marker = path.join(this.directory, bucket, ...parts.slice(0, depth), '._S3rver_object');
          if (!fs.existsSync(marker)) fs.writeFileSync(marker, '');
        }
      }
      fs.writeFileSync(path.join(dir, `${name}._S3rver_object`), body);
      count++;
    }
    return count;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}
