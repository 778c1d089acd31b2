/**
 * Runs the built `dist/cli.js` as a child process, the way a shell or CI job does: its own
 * temporary HOME (so the real ~/.duckdb is never read or written), a temporary secret_directory,
 * and an extension_directory that is DUCKDB_SECRETS_TEST_EXTENSION_DIR when set (httpfs), else an
 * empty temporary one (offline: httpfs cannot be had).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Server } from '../support/s3Server';
import { TEST_ACCOUNT_ID } from '../support/testProfiles';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');
export const extensionDir = process.env.DUCKDB_SECRETS_TEST_EXTENSION_DIR;

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class CliSandbox {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-cli-'));
  readonly home = path.join(this.dir, 'home');
  readonly cwd = path.join(this.dir, 'work');
  readonly secretDir = path.join(this.dir, 'secrets');
  readonly extensionDir = extensionDir ?? path.join(this.dir, 'extensions');
  /** Every output of every run, for the canary check. */
  readonly transcript: string[] = [];

  constructor() {
    for (const d of [this.home, this.cwd, this.secretDir, this.extensionDir]) fs.mkdirSync(d, { recursive: true });
  }

  /** The --duckdb-option flags every run gets. */
  get duckdbOptions(): string[] {
    const options = [`secret_directory=${this.secretDir}`, `extension_directory=${this.extensionDir}`];
    if (extensionDir) options.push('allow_unsigned_extensions=true');
    return options.flatMap((o) => ['--duckdb-option', o]);
  }

  run(args: readonly string[], env: Record<string, string> = {}, options: { duckdb?: boolean; input?: string } = {}): Run {
    const argv = [...args, ...(options.duckdb === false ? [] : this.duckdbOptions)];
    const result = spawnSync(process.execPath, [cliPath, ...argv], {
      cwd: this.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: this.home, ...env },
      encoding: 'utf8',
      input: options.input ?? '',
      timeout: 60_000,
    });
    const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
    this.transcript.push(run.stdout, run.stderr);
    return run;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Strings that look like credentials: R2 key ids and secrets, AWS key ids, JWTs. */
export const KEY_SHAPED = /\b[0-9a-f]{32}\b|\b[0-9a-f]{64}\b|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\beyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/i;

/**
 * A local S3 server holding the small `lake` bucket the CLI tests list, and the environment that
 * points the CLI at it with `keys` (the names the extension reads by default).
 */
export async function startCliLake(keys: { accessKeyId: string; secretAccessKey: string }, buckets: readonly string[] = ['lake']): Promise<{ server: S3Server; env: Record<string, string> }> {
  const server = await S3Server.start({ buckets, accessKeys: [[keys.accessKeyId, keys.secretAccessKey]] });
  server.writeObjects('lake', [
    { key: 'README.md', body: 'lakehouse!' },
    { key: 'sales/year=2024/a.csv', body: 'a,b\n1,2\n' },
    { key: 'sales/year=2024/b.csv', body: 'a,b\n3,4\n' },
    { key: 'staging/raw.json', body: '{"a":1}\n' },
  ]);
  const env = {
    R2_ACCESS_KEY_ID: keys.accessKeyId,
    R2_SECRET_KEY: keys.secretAccessKey,
    CLOUDFLARE_ACCOUNT_ID: TEST_ACCOUNT_ID,
    R2_ENDPOINT: server.endpoint,
    DUCKLAKE_NAME: 'lake',
  };
  return { server, env };
}
