/**
 * Test R2 Bucket without VS Code: which secret DuckDB applies, a listing of the bucket (names, sizes,
 * times) folded for the Bucket view, and a read of one small object (or one Parquet footer) through
 * DuckDB to check the token may read, not only list. Cancellable through an AbortSignal, which
 * interrupts the running DuckDB statement and leaves the session usable.
 *
 * Two ways to list, measured in scripts/bench-test-bucket.mjs (10,000 objects on a loopback S3 server):
 * - `duckdb`: `read_blob('<root>**')` projecting only filename, size and last_modified, which issues
 *   only ListObjectsV2 requests (plus one GET per zero-byte object) but costs DuckDB ~0.1 ms of CPU per
 *   object (a reader per file), about 3× the raw listing. Used for local folders, and whenever the
 *   applied secret is not the active profile's.
 * - `direct`: when the secret `which_secret` picks carries the active profile's access key id and
 *   endpoint, the bucket is listed with those credentials (listingEngine.ts: pipelined, key ranges
 *   in parallel), and DuckDB itself proves its secret reads (the read check; the same key id with
 *   a signature that holds may list as the profile did), started while the listing runs (the
 *   chosen object at once, else the smallest object of the first page). When that read fails or
 *   finds nothing to read, DuckDB also lists once (`glob` of a listed key) to say whether it sees
 *   the bucket. Only a refusal of the profile's keys (401/403) falls back to the
 *   DuckDB listing (the secret may hold another secret key); a timeout or a failing server is
 *   reported at once, never retried through a second slow path.
 *
 * In MotherDuck (`location: 'motherduck'`), the secret `which_secret` picks must be stored in
 * MotherDuck, the listing goes through DuckDB (never direct: the profile's keys prove nothing about
 * MotherDuck), and the read check runs with `MD_RUN = REMOTE` where its reader takes it.
 *
 * No VS Code import.
 */
import { checkProfile, profileFailed, profileOk, type ProfileCheck } from './credentialCheck';
import { cleanDetail, isExtensionFailure, parseHttpfsError, translateBucketError, type BucketErrorContext } from './bucketErrors';
import { ListingFolder, type FoldedListing } from './bucketFolding';
import { readCheckStatement, readFunctionFor } from './bucketQueries';
import { hasPathSyntax, refusePathSyntax } from './keyPathSyntax';
import { formatBytes, type BucketObject } from './bucketSource';
import { listDirect, refusedCredentials } from './directListing';
import type { SqlRunner } from '../duckdb/sqlRunner';
import { CancelledError, UserFacingError, errorText } from '../errors';
import type { Logger } from '../logger';
import { resolveEndpoint, type Credentials } from '../credentials/profiles';
import { requireMotherDuckSecret, translateRemoteRunError, type RunLocation } from '../motherduck/runLocation';
import { listSecrets, storageLabel } from '../secrets/secretsModel';
import { r2SecretKind, sqlString, whichSecret } from '../secrets/secretSql';

export interface BucketTestDeps {
  readonly db: SqlRunner;
  /** Interrupts the DuckDB statement now running (the session's interrupt). */
  readonly interrupt: () => void;
  readonly log: Logger;
}

export interface BucketTestRequest {
  /** What to list: `r2://bucket/`, `r2://bucket/prefix/`, or a local folder such as `/tmp/x/` (for tests). */
  readonly root: string;
  /** Object to read for the read check: a key in the bucket (or under a local root), or a full path. Default: the smallest listed object. */
  readonly readObject?: string;
  /** The active profile with its keys: allows the direct listing when the applied secret was made from them. */
  readonly credentials?: Credentials;
  /** Never list directly (benchmarks and tests of the DuckDB path). */
  readonly duckdbOnly?: boolean;
  /** `motherduck`: needs a MotherDuck-stored secret, lists through DuckDB, reads with MD_RUN = REMOTE. Default `local`. */
  readonly location?: RunLocation;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
  /** Rows converted per DuckDB statement while reading the listing back. Default 2,000 (about 20 ms). */
  readonly pageRows?: number;
  /** The secret `which_secret` gave for `root` just before (the caller's lookup): not asked again. */
  readonly secret?: AppliedSecret;
}

/** The secret `which_secret` picked, with its non-secret fields from `duckdb_secrets()`. */
export interface AppliedSecret {
  readonly name: string;
  readonly storage: string;
  readonly persistent: boolean;
  readonly fields: ReadonlyMap<string, string>;
}

export type ReadCheck =
  | {
      readonly outcome: 'ok';
      readonly key: string;
      readonly what: 'object' | 'parquet footer';
      readonly bytes?: number;
      /** Set when the bytes came back but DuckDB could not use them (e.g. not a Parquet file). */
      readonly note?: string;
    }
  | { readonly outcome: 'failed'; readonly key: string; readonly status?: number; readonly message: string }
  | { readonly outcome: 'skipped'; readonly message: string };

export interface BucketTestResult {
  readonly root: string;
  readonly listing: FoldedListing;
  readonly secret: AppliedSecret | undefined;
  readonly method: 'direct' | 'duckdb';
  readonly read: ReadCheck;
  readonly location: RunLocation;
  /** Where the read check ran (undefined when there was nothing to read). */
  readonly readRanIn: RunLocation | undefined;
  readonly listMs: number;
  readonly elapsedMs: number;
  /** What the active profile's own keys did (locally, on a bucket, with a profile): they may fail where the secret passes. */
  readonly profile?: ProfileCheck;
}

/** The temporary table a DuckDB listing is read back from, page by page. */
const LISTING_NAME = 'duckdb_secrets_bucket_test';
const LISTING_TABLE = `temp.main.${LISTING_NAME}`;

export async function testBucket(deps: BucketTestDeps, request: BucketTestRequest): Promise<BucketTestResult> {
  const started = performance.now();
  const root = request.root.endsWith('/') ? request.root : `${request.root}/`;
  const place = locate(root);
  refusePathSyntax(place.prefix, 'Test R2 Bucket');
  const signal = request.signal;
  const progress = request.onProgress ?? (() => undefined);
  const location = request.location ?? 'local';
  // A blank read object (an empty setting, `--read ""`) is none: the smallest object is read.
  const chosen = request.readObject?.trim() || undefined;
  const secret = place.bucket === undefined ? undefined : (request.secret ?? (await cancellable(deps, signal, () => appliedSecret(deps.db, root))));
  if (location === 'motherduck') requireMotherDuckSecret(secret, root);
  const context: BucketErrorContext = errorContext(place, secret, request.credentials);

  let listing: FoldedListing | undefined;
  let method: BucketTestResult['method'] = 'duckdb';
  let profile: ProfileCheck | undefined;
  const credentials = request.credentials;
  const checkOwnKeys = location === 'local' && !request.duckdbOnly && credentials !== undefined && place.bucket !== undefined;
  let readAhead: ReadAhead | undefined;
  if (checkOwnKeys && secret && madeFrom(secret, credentials)) {
    // DuckDB reads while the profile's keys list (the listing does not use DuckDB): the chosen
    // object at once, else the smallest object of the first page that arrives.
    const ahead = new ReadAhead(deps, place.base, location, signal, context);
    readAhead = ahead;
    if (chosen !== undefined) ahead.start({ chosen });
    try {
      progress(`Listing ${root}…`);
      listing = await listDirect(credentials, place.bucket, place.prefix, { signal, onProgress: progress, onObjects: (objects) => ahead.fromPage(objects) });
      method = 'direct';
      profile = profileOk(credentials);
    } catch (error) {
      await ahead.abandon();
      readAhead = undefined;
      // Only a refusal of these keys may differ for DuckDB's secret (same key id, another secret
      // key). A timeout, a server failing after retries or a broken answer would fail DuckDB the
      // same way, only later: report it now rather than take a second slow path. A cancel
      // (listDirect's CancelledError) is no refusal either: rethrown as it is.
      if (!refusedCredentials(error)) throw error;
      profile = profileFailed(credentials, error);
      deps.log.info(`Test R2 Bucket: listing ${root} with the profile's credentials failed (${errorText(error)}); listing through DuckDB instead`);
    }
  } else if (checkOwnKeys) {
    progress(`Checking profile "${credentials.label}"…`);
    profile = await checkProfile(credentials, place.bucket, place.prefix, signal);
    if (profile.outcome === 'failed') deps.log.info(`Test R2 Bucket: profile "${credentials.label}" cannot list ${root} with its own keys (${profile.message})`);
  }
  if (!listing) {
    progress(`Listing ${root} through DuckDB…`);
    listing = await listWithDuckDB(deps, root, { signal, onProgress: progress, pageRows: request.pageRows, errorContext: context });
  }
  const listMs = performance.now() - started;
  if (signal?.aborted) {
    await readAhead?.abandon();
    throw new CancelledError(); // cancelled as the last page came in
  }

  progress('Checking read access…');
  const { read, ranIn } = (await readAhead?.result()) ?? (await checkRead(deps, { base: place.base, listing, chosen, location }, signal, context));
  // The direct listing proved the profile's keys may list. When DuckDB's secret (the same key id)
  // then read an object, its signature holds too, and S3 grants listing to the key, not to the
  // client: DuckDB's own list request would only repeat a listing request. Otherwise DuckDB lists
  // once, so a secret that cannot see the bucket (endpoint, URL style) says so.
  if (method === 'direct' && read.outcome !== 'ok') await probeList(deps, place.base, root, listing, signal, context);
  return { root, listing, secret, method, read, location, readRanIn: ranIn, listMs, elapsedMs: performance.now() - started, ...(profile ? { profile } : {}) };
}

/** `list ✓ read ✓ · 10,000 objects · 1.2 GB · 3.4 s · secret r2_main (Session (memory))`. */
export function summarize(result: BucketTestResult): string {
  const read =
    result.read.outcome === 'ok' ? 'read ✓' : result.read.outcome === 'failed' ? `read ✗ (${result.read.status ?? 'failed'})` : 'read – (nothing to read)';
  const count = result.listing.objectCount;
  const secret = result.secret ? `secret ${result.secret.name} (${storageLabel(result.secret.storage)})` : 'no secret applies';
  const profile = result.profile && `profile "${result.profile.profile}" ${result.profile.outcome === 'ok' ? '✓' : '✗'}`;
  return [
    `list ✓ ${read}`,
    `${count.toLocaleString('en-US')} object${count === 1 ? '' : 's'}`,
    formatBytes(result.listing.totalSize),
    `${(result.elapsedMs / 1000).toFixed(1)} s`,
    secret,
    ...(profile ? [profile] : []),
  ].join(' · ');
}

/**
 * The secret DuckDB applies to `path` (`which_secret`), with its listed fields; undefined when none
 * does. The type follows the scheme: `s3` for `s3://` paths (R2-backed TYPE s3 secrets), else `r2`.
 */
export async function appliedSecret(db: SqlRunner, path: string, type: string = r2SecretKind([path])): Promise<AppliedSecret | undefined> {
  const which = whichSecret(path, type);
  const row = (await db.query(which.sql, which.describe))[0];
  if (!row) return undefined;
  const name = String(row.name);
  const storage = String(row.storage);
  const listed = (await listSecrets(db)).find((s) => s.name === name && s.storage === storage);
  return { name, storage, persistent: row.persistent === 'PERSISTENT', fields: listed?.fields ?? new Map<string, string>() };
}

/** True when the secret carries these credentials' access key id and points at their endpoint. */
export function madeFrom(secret: AppliedSecret, credentials: Credentials): boolean {
  let endpoint;
  try {
    endpoint = resolveEndpoint(credentials);
  } catch {
    return false;
  }
  const f = secret.fields;
  return f.get('key_id') === credentials.accessKeyId && f.get('endpoint') === endpoint.host && (f.get('use_ssl') ?? 'true') === String(endpoint.useSsl);
}

interface Place {
  /** What listed paths start with: `r2://bucket/`, or the local root itself. */
  readonly base: string;
  readonly bucket?: string;
  /** The folder inside the bucket (`''` or ending in `/`). */
  readonly prefix: string;
}

function locate(root: string): Place {
  const match = /^(r2|s3):\/\/([^/]+)\/(.*)$/.exec(root);
  if (match?.[2] === undefined) return { base: root, prefix: '' };
  const base = `${match[1]}://${match[2]}/`;
  return { base, bucket: match[2], prefix: root.slice(base.length) };
}

/** What error messages may name about a test of `root` (bucket, folder, secret, endpoint); no secret values. */
export function bucketErrorContext(root: string, secret: AppliedSecret | undefined, credentials: Credentials | undefined): BucketErrorContext {
  return errorContext(locate(root), secret, credentials);
}

function errorContext(place: Place, secret: AppliedSecret | undefined, credentials: Credentials | undefined): BucketErrorContext {
  const endpoint = secret?.fields.get('endpoint');
  const fromProfile = secret && credentials && secret.fields.get('key_id') === credentials.accessKeyId ? credentials.id : undefined;
  return {
    stage: 'list',
    bucket: place.bucket ?? place.base,
    prefix: place.prefix,
    ...(secret ? { secretName: secret.name } : {}),
    ...(endpoint ? { endpoint } : {}),
    // `duckdb_secrets()` lists no account id for r2 secrets: the default endpoint is `<account>.r2.cloudflarestorage.com`.
    ...(endpoint ? { defaultEndpoint: /^[^.]+\.r2\.cloudflarestorage\.com$/.test(endpoint) } : {}),
    ...(fromProfile ? { profileId: fromProfile } : {}),
  };
}

/** Runs DuckDB work so that aborting `signal` interrupts it; an interrupted statement becomes a CancelledError. */
async function cancellable<T>(deps: BucketTestDeps, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw new CancelledError();
  const onAbort = () => deps.interrupt();
  signal?.addEventListener('abort', onAbort);
  try {
    const result = await work();
    if (signal?.aborted) throw new CancelledError();
    return result;
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

export interface DuckDBListingOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
  readonly pageRows?: number;
  readonly errorContext?: BucketErrorContext;
}

/**
 * Lists every object under `root` (`r2://bucket/prefix/` or a local folder) through DuckDB:
 * `read_blob` projecting only filename, size and last_modified into a temporary table, read back a
 * page of rows at a time so no single conversion holds the event loop long. Keys are relative to
 * the bucket (or to a local root).
 */
export async function listWithDuckDB(deps: BucketTestDeps, root: string, options: DuckDBListingOptions = {}): Promise<FoldedListing> {
  const place = locate(root.endsWith('/') ? root : `${root}/`);
  const { signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const context = options.errorContext ?? errorContext(place, undefined, undefined);
  const pattern = sqlString(`${place.base}${place.prefix}**`, 'The listing path');
  const pageRows = Math.max(1, Math.floor(options.pageRows ?? 2000));
  const run = <T>(work: () => Promise<T>): Promise<T> =>
    cancellable(deps, signal, work).catch((error: unknown) => {
      throw translateBucketError(error, context);
    });
  try {
    await run(() =>
      deps.db.run(
        `CREATE OR REPLACE TEMP TABLE ${LISTING_NAME} AS SELECT filename, size::DOUBLE AS size, epoch_ms(last_modified)::DOUBLE AS modified FROM read_blob(${pattern})`,
        'list objects (read_blob)',
      ),
    );
    const total = Number((await run(() => deps.db.query(`SELECT count(*)::DOUBLE AS n FROM ${LISTING_TABLE}`, 'count listed objects')))[0]?.n ?? 0);
    const folder = new ListingFolder({ label: 'Test result', signal });
    for (let from = 0; from < total; from += pageRows) {
      const rows = await run(() =>
        deps.db.query(`SELECT filename, size, modified FROM ${LISTING_TABLE} WHERE rowid >= ${from} AND rowid < ${from + pageRows}`, 'read listed objects'),
      );
      await folder.add(rows.map((r) => ({ key: String(r.filename).slice(place.base.length), size: Number(r.size), lastModified: r.modified === null ? undefined : Number(r.modified) })));
      progress(`Read ${Math.min(from + pageRows, total).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} objects…`);
    }
    return await folder.finish(place.bucket ?? place.base);
  } catch (error) {
    if (signal?.aborted || error instanceof CancelledError) throw new CancelledError();
    throw error;
  } finally {
    await deps.db.run(`DROP TABLE IF EXISTS ${LISTING_TABLE}`, 'drop listing table').catch(() => undefined);
  }
}

/** Keys DuckDB's glob and S3 paths take literally: no wildcard, no `?` (DuckDB reads it as a query string). */
function isPlainKey(key: string): boolean {
  return !/[*?[\]{}\\]/.test(key);
}

/**
 * After a direct listing, DuckDB lists too, with its own secret, in one request: `glob` of a listed
 * key with `*` appended (DuckDB lists from the text before the first wildcard). An empty listing is
 * globbed whole, which is one request as well.
 */
async function probeList(deps: BucketTestDeps, base: string, root: string, listing: FoldedListing, signal: AbortSignal | undefined, context: BucketErrorContext): Promise<void> {
  const candidate = listing.smallestObject();
  const key = candidate && isPlainKey(candidate.key) ? candidate.key : undefined;
  const pattern = key === undefined ? `${root}**` : `${base}${key}*`;
  const rows = await cancellable(deps, signal, () => deps.db.query(`SELECT count(*)::INTEGER AS n FROM glob(${sqlString(pattern, 'The listing path')})`, 'list probe (glob)')).catch(
    (error: unknown) => {
      throw translateBucketError(error, context);
    },
  );
  // Stryker disable next-line OptionalChaining: count(*) always answers one row
  if (key !== undefined && Number(rows[0]?.n ?? 0) === 0) {
    throw new UserFacingError(
      `DuckDB does not see ${base}${key}, which the profile's credentials list. Check the endpoint and URL style of secret "${context.secretName ?? '?'}".`,
    );
  }
}

/**
 * The read check started while the direct listing runs: the chosen object at once, else the
 * smallest readable object of the first page that arrives (as small as the whole listing's
 * smallest, in practice, and read one round trip sooner). Abandoned (interrupted, awaited) when
 * the listing fails, so DuckDB is free for whatever comes next.
 */
class ReadAhead {
  private running: Promise<{ read: ReadCheck; ranIn: RunLocation | undefined }> | undefined;
  private readonly stop = new AbortController();
  private readonly onAbort = () => this.stop.abort();

  constructor(
    private readonly deps: BucketTestDeps,
    private readonly base: string,
    private readonly location: RunLocation,
    private readonly signal: AbortSignal | undefined,
    private readonly context: BucketErrorContext,
  ) {
    signal?.addEventListener('abort', this.onAbort);
  }

  /** Starts the read (once: by the caller with the chosen object, else by fromPage). */
  start(target: { chosen?: string; picked?: string }): void {
    this.running = checkRead(this.deps, { base: this.base, location: this.location, chosen: target.chosen, picked: target.picked }, this.stop.signal, this.context);
    this.running.catch(() => undefined); // awaited by result() or abandon()
  }

  /** Starts the read on the smallest readable object of a page, unless one is running. */
  fromPage(objects: readonly BucketObject[]): void {
    if (this.running) return;
    const key = smallestReadable(objects);
    if (key !== undefined) this.start({ picked: key });
  }

  /** The read's outcome; undefined when none was started (the caller reads after the listing). */
  async result(): Promise<{ read: ReadCheck; ranIn: RunLocation | undefined } | undefined> {
    try {
      const outcome = await this.running;
      if (this.signal?.aborted) throw new CancelledError();
      return outcome;
    } catch (error) {
      if (this.signal?.aborted) throw new CancelledError();
      throw error;
    } finally {
      this.signal?.removeEventListener('abort', this.onAbort);
    }
  }

  async abandon(): Promise<void> {
    this.stop.abort();
    await this.running?.catch(() => undefined);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** The smallest non-empty object of a page whose key DuckDB reads as a plain path (an empty one if all are empty); folder markers are not objects. */
export function smallestReadable(objects: readonly BucketObject[]): string | undefined {
  let best: BucketObject | undefined;
  for (const o of objects) {
    if (o.key.endsWith('/') || hasPathSyntax(o.key)) continue;
    if (best === undefined || (o.size > 0 && (best.size === 0 || o.size < best.size))) best = o;
  }
  return best?.key;
}

interface ReadTarget {
  readonly base: string;
  /** What was listed: its smallest readable object is read when nothing was chosen or picked. */
  readonly listing?: FoldedListing;
  /** A key picked from the listing's first page (ReadAhead). */
  readonly picked?: string | undefined;
  /** The key (or full path) to read, not blank; default the smallest object (in MotherDuck: the smallest one MD_RUN can read). */
  readonly chosen: string | undefined;
  readonly location: RunLocation;
}

/** The key of a chosen object (a key, or a full path under `base`); refused when DuckDB would read part of it as path syntax. */
function chosenKey(chosen: string, base: string): string {
  const key = chosen.startsWith(base) ? chosen.slice(base.length) : chosen.replace(/^\/+/, '');
  refusePathSyntax(key, 'The read check (duckdbSecrets.testBucket.readObject)');
  return key;
}

/** A parse error, not an access error: the bytes came back (for reads in MotherDuck, whose errors are less known). */
const FORMAT_ERROR = /Invalid Input Error|Conversion Error|sniff|magic bytes|too small to be a Parquet|not a parquet file|Malformed JSON/i;

/** Reads one object through DuckDB: the chosen one, else the smallest; a Parquet file's footer only. */
async function checkRead(
  deps: BucketTestDeps,
  target: ReadTarget,
  signal: AbortSignal | undefined,
  context: BucketErrorContext,
): Promise<{ read: ReadCheck; ranIn: RunLocation | undefined }> {
  const { base, listing, chosen } = target;
  const remote = target.location === 'motherduck';
  // Keys with `?`, `*`, `[`, `{` are never picked: DuckDB would read them as a query string (which can redirect the request) or a glob.
  const plain = (k: string) => !hasPathSyntax(k);
  const smallest =
    target.picked !== undefined ? { key: target.picked } : ((remote ? listing?.smallestObject((k) => plain(k) && readFunctionFor(k) !== undefined) : undefined) ?? listing?.smallestObject(plain));
  const key = chosen !== undefined ? chosenKey(chosen, base) : smallest?.key;
  if (key === undefined) {
    // Stryker disable next-line OptionalChaining: a read without a listing (ReadAhead) always has a chosen or picked key
    const message = listing?.smallestObject() ? 'Every listed key contains "?", "*", "[" or "{", which DuckDB reads as path syntax: no object was read.' : 'The listing is empty: there is no object to read.';
    return { read: { outcome: 'skipped', message }, ranIn: undefined };
  }
  const statement = readCheckStatement(`${base}${key}`, target.location);
  const done = (read: ReadCheck) => ({ read, ranIn: statement.ranIn });
  try {
    const rows = await cancellable(deps, signal, () => deps.db.query(statement.sql, statement.describe));
    if (statement.what === 'parquet footer') return done({ outcome: 'ok', key, what: 'parquet footer' });
    const bytes = rows[0]?.bytes;
    if (rows.length === 0) return done({ outcome: 'failed', key, status: 404, message: `${base}${key} was not found.` });
    return done({ outcome: 'ok', key, what: 'object', ...(typeof bytes === 'number' ? { bytes } : {}) });
  } catch (error) {
    // MD_RUN refused: MotherDuck is not attached, and nothing ran anywhere. Never fall back to a local read.
    const notRemote = statement.ranIn === 'motherduck' ? translateRemoteRunError(error) : undefined;
    if (notRemote) throw notRemote;
    const translated = translateBucketError(error, { ...context, stage: 'read', key });
    if (translated instanceof CancelledError) throw translated;
    const text = errorText(error);
    const failure = parseHttpfsError(text);
    const formatOnly = statement.ranIn === 'motherduck' ? FORMAT_ERROR.test(text) : true;
    if (statement.parses && formatOnly && failure.status === undefined && failure.transport === undefined && !isExtensionFailure(text)) {
      // The bytes were fetched (read access is fine) but are not what the reader expects.
      return done({ outcome: 'ok', key, what: statement.what, note: cleanDetail(text).split('\n')[0] ?? '' });
    }
    // Stryker disable next-line StringLiteral: any fallback text without "(HTTP nnn" gives no status, as '' does
    const status = /\(HTTP (\d{3})/.exec(translated.detail ?? '')?.[1];
    return done({ outcome: 'failed', key, ...(status ? { status: Number(status) } : {}), message: translated.message });
  }
}
