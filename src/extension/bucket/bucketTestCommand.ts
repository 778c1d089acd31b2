/**
 * Test R2 Bucket (`duckdbSecrets.testBucket`): makes sure an R2 secret applies to the bucket in the
 * window's DuckDB session (offering to create one from the active profile), lists the bucket and
 * reads one object through DuckDB in a cancellable progress notification, shows the listing in the
 * Bucket view and the result in a message. The work itself is in bucketTest.ts.
 *
 * Arguments: a Secrets tree node (context menu: tests the bucket its scope names), an `r2://bucket/prefix`
 * string, or `{ path?, bucket?, prefix?, readObject?, createSecret?, duckdbOnly?, runIn? }` so tests
 * drive it without prompts; from the palette it tests the active profile's bucket.
 *
 * When MotherDuck is attached it asks where to run (or takes `runIn`). In MotherDuck it connects
 * first, needs a MotherDuck-stored secret (offering "Create Persistent R2 Secret in MotherDuck", never
 * a session secret), and the result message says which part ran where.
 */
import * as vscode from 'vscode';
import { translateBucketError } from '../../core/bucket/bucketErrors';
import { FailedSource, parseBucketPath, r2Uri, type BucketSource } from '../../core/bucket/bucketSource';
import { credentialReport } from '../../core/bucket/credentialCheck';
import { SET_CREDENTIALS_COMMAND } from '../../core/credentials/credentialStore';
import { appliedSecret, summarize, testBucket, type AppliedSecret, type BucketTestResult } from '../../core/bucket/bucketTest';
import type { CommandSpec } from '../commands';
import { readSetting } from '../config';
import { missingCredentialsError, noCredentialsError } from '../../core/duckdb/duckdbErrors';
import type { SqlRunner } from '../../core/duckdb/sqlRunner';
import { CancelledError, UserFacingError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { CredentialSource, Credentials } from '../../core/credentials/profiles';
import type { Prompter } from '../../core/prompts';
import { scrub } from '../../core/redaction';
import { CREATE_MOTHERDUCK_SECRET_ACTION, CREATE_MOTHERDUCK_SECRET_COMMAND, chooseRunLocation, describeRun, isRunLocation, motherDuckSecretProblem, requireMotherDuckSecret, type RunLocation } from '../../core/motherduck/runLocation';
import { hasSecretOfType, storageLabel } from '../../core/secrets/secretsModel';
import { SecretNode } from '../secrets/secretsView';

export const TEST_BUCKET_COMMAND = 'duckdbSecrets.testBucket';
const CREATE_SECRET_COMMAND = 'duckdbSecrets.createLocalSecret';

export interface BucketTestCommandDeps {
  readonly sql: SqlRunner;
  /** Interrupts the DuckDB statement now running (the session's interrupt). */
  readonly interrupt: () => void;
  readonly log: Logger;
  readonly credentials: CredentialSource;
  /** Shows a listing in the Bucket view. */
  readonly show: (source: BucketSource) => Promise<void>;
  readonly prompter: Prompter;
  /** True while MotherDuck is attached to the session: then the user chooses where to run. */
  readonly motherDuckAttached: () => boolean;
  /** Attaches MotherDuck unless it is attached (fails with the translated MotherDuck error). */
  readonly connectMotherDuck: () => Promise<unknown>;
}

/** `executeCommand` arguments besides a tree node or an `r2://` string. */
export interface TestBucketArgs {
  readonly path?: string;
  readonly bucket?: string;
  readonly prefix?: string;
  /** Key to read for the read check; overrides the duckdbSecrets.testBucket.readObject setting. */
  readonly readObject?: string;
  /** When no secret applies: true creates one from the active profile without asking, false stops. */
  readonly createSecret?: boolean;
  /** List through DuckDB even when the profile's credentials could list directly. */
  readonly duckdbOnly?: boolean;
  /** Where to run, without asking: `local` (this window's DuckDB) or `motherduck` (MD_RUN = REMOTE, MotherDuck-stored secrets only). */
  readonly runIn?: RunLocation;
}

/** What the command returns to `executeCommand` callers (tests): no secret values. */
export interface TestBucketOutcome {
  readonly summary: string;
  readonly root: string;
  readonly method: BucketTestResult['method'];
  readonly objectCount: number;
  readonly totalSize: number;
  readonly read: BucketTestResult['read'];
  readonly secret?: { readonly name: string; readonly storage: string };
  readonly runIn: RunLocation;
  /** Which part ran where, as the message says it. */
  readonly where: string;
  /** Which credentials the test proved, and which failed (the secret DuckDB picked; the profile's own keys). */
  readonly proven: readonly string[];
  readonly failed: readonly string[];
}

export function bucketTestCommands(deps: BucketTestCommandDeps): CommandSpec[] {
  return [{ id: TEST_BUCKET_COMMAND, run: (arg) => runTestBucket(deps, arg) }];
}

async function runTestBucket(deps: BucketTestCommandDeps, arg: unknown): Promise<TestBucketOutcome> {
  const args = toArgs(arg);
  const chosen = arg instanceof SecretNode ? arg.secret : undefined;
  const credentials = await deps.credentials.activeCredentials();
  // First contact: with no profile and no path given, say credentials are missing before asking for a path.
  if (!credentials && !chosen && !args.path && !args.bucket && !(await hasSecretOfType(deps.sql, 'r2'))) throw noCredentialsError();
  const { bucket, prefix, scheme } = await target(deps, args, chosen?.scope ?? [], credentials);
  try {
    return await testOnce(deps, args, chosen, credentials, bucket, prefix, scheme);
  } catch (error) {
    // A failed test replaces the previous listing, so the view never shows an older success as current.
    if (!(error instanceof CancelledError)) {
      // Retry runs the same test again on the same path.
      const retry = { command: TEST_BUCKET_COMMAND, args: [{ ...args, path: `${scheme}://${bucket}/${prefix}` }] };
      await deps.show(new FailedSource(bucket, prefix, error, 'Test failed', new Date(), retry));
    }
    throw error;
  }
}

async function testOnce(
  deps: BucketTestCommandDeps,
  args: TestBucketArgs,
  chosen: SecretNode['secret'] | undefined,
  credentials: Credentials | undefined,
  bucket: string,
  prefix: string,
  scheme: string,
): Promise<TestBucketOutcome> {
  // s3:// paths on R2 keep their scheme: DuckDB applies the R2-backed TYPE s3 secrets to them.
  const root = `${scheme}${r2Uri(bucket, prefix).slice('r2'.length)}`;
  const location = await chooseRunLocation(deps.prompter, deps.motherDuckAttached(), args.runIn);
  if (location === 'motherduck') await deps.connectMotherDuck();

  const secret = location === 'motherduck' ? await ensureMotherDuckSecret(deps, root, args, credentials) : await ensureSecret(deps, root, args, credentials);
  const readObject = args.readObject ?? (readSetting('testBucket.readObject').trim() || undefined);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Test R2 Bucket ${root}${location === 'motherduck' ? ' in MotherDuck' : ''}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        return await testBucket(
          { db: deps.sql, interrupt: deps.interrupt, log: deps.log },
          {
            root,
            ...(readObject !== undefined ? { readObject } : {}),
            ...(credentials ? { credentials } : {}),
            ...(args.duckdbOnly ? { duckdbOnly: true } : {}),
            secret,
            location,
            signal: controller.signal,
            onProgress: (message) => progress.report({ message }),
          },
        );
      } finally {
        subscription.dispose();
      }
    },
  );

  await deps.show(result.listing);
  const summary = summarize(result);
  const other = chosen && (chosen.name !== secret.name || chosen.storage !== secret.storage) ? ` DuckDB applies ${secret.name}, not ${chosen.name}, to this path.` : '';
  const where = describeRun(location, result.readRanIn, result.read.outcome === 'skipped' ? undefined : result.read.key);
  deps.log.info(`Test R2 Bucket ${root}: ${summary} (${result.method} listing, list ${Math.round(result.listMs)} ms; ${where})`);
  const secretLabel = result.secret ? `${result.secret.name} (${storageLabel(result.secret.storage)})` : undefined;
  const report = credentialReport(secretLabel, result.read.outcome === 'ok', result.profile);
  const credentialsText = report.failed.length > 0 ? ` Proven: ${report.proven.join('; ') || 'nothing'}. Failed: ${report.failed.join('; ')}` : '';
  if (result.read.outcome === 'failed' || report.failed.length > 0) {
    const readText = result.read.outcome === 'failed' ? ` ${result.read.message}` : '';
    const fix = result.profile?.outcome === 'failed' ? [{ title: 'Set R2 Credentials', command: SET_CREDENTIALS_COMMAND, args: [result.profile.profileId] }] : [];
    void vscode.window.showWarningMessage(scrub(`Test R2 Bucket ${root}: ${summary}.${readText}${credentialsText}${other} (${where})`), ...fix.map((a) => a.title)).then((picked) => {
      const action = fix.find((a) => a.title === picked);
      if (action) void vscode.commands.executeCommand(action.command, ...action.args);
    });
  } else {
    const note = result.read.outcome === 'ok' && result.read.note ? ` (${result.read.key}: ${result.read.note})` : '';
    void vscode.window.showInformationMessage(scrub(`Test R2 Bucket ${root}: ${summary}.${note}${other} (${where})`));
  }
  return {
    summary,
    root,
    method: result.method,
    objectCount: result.listing.objectCount,
    totalSize: result.listing.totalSize,
    read: result.read,
    ...(result.secret ? { secret: { name: result.secret.name, storage: result.secret.storage } } : {}),
    runIn: location,
    where,
    proven: report.proven,
    failed: report.failed,
  };
}

function toArgs(arg: unknown): TestBucketArgs {
  if (typeof arg === 'string') return { path: arg };
  if (typeof arg !== 'object' || arg === null || arg instanceof SecretNode) return {};
  const a = arg as Record<string, unknown>;
  const text = (key: string) => (typeof a[key] === 'string' ? { [key]: a[key] } : {});
  const flag = (key: string) => (typeof a[key] === 'boolean' ? { [key]: a[key] } : {});
  return {
    ...text('path'),
    ...text('bucket'),
    ...text('prefix'),
    ...text('readObject'),
    ...flag('createSecret'),
    ...flag('duckdbOnly'),
    ...(isRunLocation(a.runIn) ? { runIn: a.runIn } : {}),
  };
}

/** The bucket and folder to test: from the arguments, a chosen secret's scope, the active profile, or a prompt. */
async function target(
  deps: BucketTestCommandDeps,
  args: TestBucketArgs,
  scope: readonly string[],
  credentials: Credentials | undefined,
): Promise<{ bucket: string; prefix: string; scheme: 'r2' | 's3' }> {
  const fromText = (text: string) => {
    const parsed = parseBucketPath(text);
    if (!parsed) throw new UserFacingError(`"${text}" is not a bucket path: write it as r2://bucket/ or r2://bucket/prefix/ (or s3://…).`);
    return { ...parsed, scheme: /^\s*s3:\/\//i.test(text) ? ('s3' as const) : ('r2' as const) };
  };
  if (args.path) return fromText(args.path);
  if (args.bucket) return fromText(`r2://${args.bucket}/${args.prefix ?? ''}`);
  const scoped = scope.find((s) => /^(r2|s3):\/\/[^/]+/.test(s));
  if (scoped) return fromText(scoped);
  if (credentials?.bucket) return { bucket: credentials.bucket, prefix: '', scheme: 'r2' };
  const text = await deps.prompter.input({
    title: 'Test R2 Bucket',
    prompt: 'The bucket (or a folder in it) to list and read through DuckDB',
    placeHolder: 'r2://bucket/prefix/',
    validate: (value) => (parseBucketPath(value) ? undefined : 'Write it as r2://bucket/ or r2://bucket/prefix/'),
  });
  return fromText(text);
}

/** `which_secret` for `root`, its errors translated. */
function lookupSecret(deps: BucketTestCommandDeps, root: string): Promise<AppliedSecret | undefined> {
  const parsed = parseBucketPath(root);
  return appliedSecret(deps.sql, root).catch((error: unknown) => {
    throw translateBucketError(error, { stage: 'list', bucket: parsed?.bucket ?? root, prefix: parsed?.prefix ?? '' });
  });
}

/** The secret DuckDB applies to `root`; when none does, offers to create one from the active profile. */
async function ensureSecret(deps: BucketTestCommandDeps, root: string, args: TestBucketArgs, credentials: Credentials | undefined): Promise<AppliedSecret> {
  const lookup = () => lookupSecret(deps, root);
  const found = await lookup();
  if (found) return found;
  if (!credentials) throw missingCredentialsError(['account id', 'access key id', 'secret access key'], true);
  const create =
    args.createSecret ??
    (await deps.prompter.confirm(`No R2 secret applies to ${root} in this window's DuckDB session. Create one from profile "${credentials.label}"?`, 'Create R2 Secret', {
      detail: 'Test R2 Bucket lists and reads the bucket through DuckDB with the secret DuckDB picks for the path (which_secret).',
    }));
  if (!create) throw new CancelledError();
  // With an arguments object the create command asks nothing (default name, no scope, or the
  // bucket's s3:// scope for an s3:// root); without, it asks.
  const s3Bucket = /^s3:\/\/([^/]+)/.exec(root)?.[1];
  await vscode.commands.executeCommand(CREATE_SECRET_COMMAND, args.createSecret ? (s3Bucket ? { scope: `s3://${s3Bucket}` } : {}) : undefined);
  const created = await lookup();
  // The create command reports its own failure or cancellation; stop quietly then.
  if (!created) throw new CancelledError();
  deps.log.info(`Test R2 Bucket: created secret ${created.name} (${storageLabel(created.storage)}) for ${root}`);
  return created;
}

/**
 * For a run in MotherDuck: the secret DuckDB applies to `root`, which must be stored in MotherDuck.
 * When it is not (none, or a local one), offers "Create Persistent R2 Secret in MotherDuck"; with
 * `createSecret: false` it fails with the reason and that action.
 */
async function ensureMotherDuckSecret(deps: BucketTestCommandDeps, root: string, args: TestBucketArgs, credentials: Credentials | undefined): Promise<AppliedSecret> {
  const found = await lookupSecret(deps, root);
  const problem = motherDuckSecretProblem(found, root);
  if (found && !problem) return found;
  if (args.createSecret === false) requireMotherDuckSecret(found, root);
  const from = credentials ? ` from profile "${credentials.label}"` : '';
  const create =
    args.createSecret ??
    (await deps.prompter.confirm(`${problem ?? ''} Create a persistent R2 secret in MotherDuck${from}?`, CREATE_MOTHERDUCK_SECRET_ACTION.title, {
      detail: 'In MotherDuck, Test R2 Bucket lists and reads with the secret DuckDB picks for the path (which_secret); only one stored in MotherDuck applies there.',
    }));
  if (!create) throw new CancelledError();
  // With an arguments object the create command asks nothing (default name, no scope); without, it asks.
  const made = await vscode.commands.executeCommand(CREATE_MOTHERDUCK_SECRET_COMMAND, args.createSecret ? {} : undefined);
  // The create command reports its own failure or cancellation; stop quietly then.
  if (made === undefined) throw new CancelledError();
  // Fails when a local secret with a narrower scope still wins in this window.
  const created = requireMotherDuckSecret(await lookupSecret(deps, root), root);
  deps.log.info(`Test R2 Bucket: created secret ${created.name} in MotherDuck for ${root}`);
  return created;
}
