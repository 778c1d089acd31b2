/**
 * `test`: Test R2 Bucket from a terminal. Makes a session secret from the credentials, lets the
 * core list the bucket and read one object through DuckDB, and prints the summary (or JSON).
 * Without httpfs DuckDB cannot use an R2 secret at all: the bucket is then listed with the
 * credentials' own S3 client so the credentials and bucket are still checked, and the command
 * ends with exit code 6 and what to do about httpfs.
 */
import { isExtensionFailure } from '../core/bucket/bucketErrors';
import type { FoldedListing } from '../core/bucket/bucketFolding';
import { parseBucketPath, formatBytes } from '../core/bucket/bucketSource';
import { summarize, testBucket, type BucketTestResult } from '../core/bucket/bucketTest';
import { listDirect } from '../core/bucket/directListing';
import { checkBucket } from '../core/credentials/profileValidation';
import { CancelledError, UserFacingError } from '../core/errors';
import { SETTINGS } from '../core/settings';
import type { CliContext } from './cliContext';
import { CliError, EXIT, forTerminal, usageError, type ExitCode } from './cliErrors';
import { table } from './secretCommands';

export interface TestOptions {
  readonly read?: string;
  readonly name?: string;
  readonly json?: boolean;
  readonly signal?: AbortSignal;
}

/** `bucket`, `bucket/prefix` or `r2://bucket/prefix` → `{ bucket, prefix }` (prefix '' or ending in `/`). */
export function parseTarget(target: string): { bucket: string; prefix: string } {
  const text = /^r2:\/\//i.test(target) ? target : `r2://${target}`;
  const parsed = parseBucketPath(text);
  if (!parsed) throw usageError(`Give a bucket as NAME or r2://NAME/prefix; got "${target.slice(0, 80)}".`);
  const checked = checkBucket(parsed.bucket);
  if (!checked.ok) throw usageError(checked.error);
  return parsed;
}

interface FolderRow {
  readonly prefix: string;
  readonly objects: number;
  readonly bytes: number;
}

async function topFolders(listing: FoldedListing, prefix: string): Promise<FolderRow[]> {
  const rows: FolderRow[] = [];
  let continuation: string | undefined;
  do {
    const page = await listing.listPrefix(prefix, continuation);
    for (const f of page.folders) rows.push({ prefix: f.prefix, objects: f.objectCount ?? 0, bytes: f.totalSize ?? 0 });
    continuation = page.continuation;
  } while (continuation !== undefined);
  return rows;
}

/** Progress on stderr with the time so far; the listing reports at most four times a second, also while the server is slow. */
function progressReporter(ctx: CliContext): (message: string) => void {
  const started = performance.now();
  return (message) => {
    const elapsed = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    ctx.terminal.progress(`${message.replace(/…$/, '')} · ${elapsed}`);
  };
}

export async function testCommand(ctx: CliContext, target: string | undefined, options: TestOptions): Promise<ExitCode> {
  const t = ctx.terminal;
  const found = await ctx.credentials();
  for (const warning of found.warnings) t.warn(warning);
  const { credentials } = found;
  const { bucket, prefix } = parseTarget(target ?? credentials.bucket);
  const root = `r2://${bucket}/${prefix}`;
  const name = options.name ?? SETTINGS['secretName.dev'];
  const onProgress = progressReporter(ctx);

  try {
    await ctx.localSecrets().create(credentials, { name, persistent: false, scope: [`r2://${bucket}`] });
  } catch (error) {
    if (!(error instanceof UserFacingError) || !isExtensionFailure(error.detail ?? '')) throw error;
    return await withoutHttpfs(ctx, error, { bucket, prefix, root, json: options.json, onProgress, signal: options.signal });
  }

  const result = await testBucket(
    { db: ctx.session, interrupt: () => ctx.session.interrupt(), log: t.logger() },
    { root, credentials, readObject: options.read, signal: options.signal, onProgress },
  );
  t.clearProgress();
  const folders = await topFolders(result.listing, prefix);
  const exit = readExit(result);
  if (options.json) {
    t.json({ ok: exit === EXIT.ok, ...resultJson(result, folders) });
  } else {
    t.out(summarize(result));
    if (result.read.outcome === 'failed') t.out(`read check: ${forTerminal(result.read.message)}`);
    if (result.read.outcome === 'ok' && result.read.note) t.out(`read check: ${result.read.key} came back, but ${result.read.note}`);
    printFolders(ctx, folders);
  }
  return exit;
}

function readExit(result: BucketTestResult): ExitCode {
  if (result.read.outcome !== 'failed') return EXIT.ok;
  if (result.read.status === 401 || result.read.status === 403) return EXIT.accessDenied;
  if (result.read.status === 404) return EXIT.notFound;
  return EXIT.failed;
}

function resultJson(result: BucketTestResult, folders: readonly FolderRow[]) {
  const read = result.read;
  return {
    root: result.root,
    method: result.method,
    secret: result.secret ? { name: result.secret.name, storage: result.secret.storage, persistent: result.secret.persistent } : null,
    objects: result.listing.objectCount,
    bytes: result.listing.totalSize,
    folders,
    read:
      read.outcome === 'failed'
        ? { outcome: read.outcome, key: read.key, status: read.status ?? null, message: forTerminal(read.message) }
        : read.outcome === 'ok'
          ? { outcome: read.outcome, key: read.key, what: read.what, ...(read.note ? { note: read.note } : {}) }
          : { outcome: read.outcome, message: read.message },
    listMs: Math.round(result.listMs),
    elapsedMs: Math.round(result.elapsedMs),
  };
}

function printFolders(ctx: CliContext, folders: readonly FolderRow[]): void {
  if (folders.length === 0) return;
  const rows = folders.map((f) => [f.prefix, f.objects.toLocaleString('en-US'), formatBytes(f.bytes)]);
  for (const line of table([['FOLDER', 'OBJECTS', 'SIZE'], ...rows])) ctx.terminal.out(`  ${line}`);
}

interface FallbackRequest {
  readonly bucket: string;
  readonly prefix: string;
  readonly root: string;
  readonly json?: boolean;
  readonly onProgress: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** httpfs is missing: list with the credentials' own S3 client, then fail with the httpfs advice (exit 6). */
async function withoutHttpfs(ctx: CliContext, httpfs: UserFacingError, request: FallbackRequest): Promise<ExitCode> {
  const t = ctx.terminal;
  const { credentials } = await ctx.credentials();
  const advice = forTerminal(httpfs.message);
  let listing: FoldedListing;
  try {
    listing = await listDirect(credentials, request.bucket, request.prefix, { onProgress: request.onProgress, ...(request.signal ? { signal: request.signal } : {}) });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    t.clearProgress();
    t.warn(`DuckDB could not be checked either: ${advice}`);
    t.detail(`DuckDB said: ${httpfs.detail ?? ''}`);
    throw error;
  }
  t.clearProgress();
  const folders = await topFolders(listing, request.prefix);
  const count = listing.objectCount;
  if (request.json) {
    t.json({ ok: false, root: request.root, method: 'direct', secret: null, objects: count, bytes: listing.totalSize, folders, read: { outcome: 'skipped', message: 'httpfs is not available' }, error: advice });
  } else {
    t.out(`list ✓ (with the credentials' S3 client, not DuckDB) · ${count.toLocaleString('en-US')} object${count === 1 ? '' : 's'} · ${formatBytes(listing.totalSize)} · DuckDB ✗ (httpfs not available)`);
    printFolders(ctx, folders);
  }
  throw new CliError(`The credentials list ${request.root}, but DuckDB could not be checked: ${advice}`, EXIT.network, httpfs.detail);
}
