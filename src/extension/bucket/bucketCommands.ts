/**
 * The Bucket view's commands. Each takes a tree node when run from the view, or an argument from
 * `executeCommand` (an `r2://` string or a small options object, so tests drive them without
 * prompts), and falls back to the view's selection or a prompt when run from the palette.
 */
import * as vscode from 'vscode';
import { compileFilter } from '../../core/bucket/bucketFilter';
import { objectQuery } from '../../core/bucket/bucketQueries';
import { folderQueriesFor } from '../../core/bucket/folderDatasets';
import { bucketScheme } from '../../core/secrets/pathScheme';
import { parseBucketPath, r2Uri, splitObjectUri, type BucketSource } from '../../core/bucket/bucketSource';
import { BUCKET_VIEW_ID, BucketFolderNode, BucketObjectNode, LOAD_MORE_COMMAND, LoadMoreNode, PREVIEW_OBJECT_COMMAND, REFRESH_FOLDER_COMMAND, type BucketView } from './bucketView';
import type { CommandSpec } from '../commands';
import { SET_CREDENTIALS_COMMAND } from '../../core/credentials/credentialStore';
import type { SqlRunner } from '../../core/duckdb/sqlRunner';
import { CancelledError, UserFacingError } from '../../core/errors';
import { loadPreview, loadRawObject, type ObjectPreview } from '../../core/bucket/objectPreview';
import { OPEN_RAW_OBJECT_COMMAND } from '../../core/bucket/previewErrors';
import { KEEP_PREVIEW_OPEN_COMMAND, type PreviewPanels } from './previewPanel';
import type { Credentials, ProfileInfo } from '../../core/credentials/profiles';
import type { Prompter } from '../../core/prompts';

/** What the bucket commands need of the profile store (CredentialStore provides it). */
export interface BucketProfiles {
  activeProfile(): ProfileInfo | undefined;
  /** The profile with its keys, read fresh from the keychain. */
  credentials(profileId: string): Promise<Credentials>;
  /** Fires when a profile or its keys change (in this window or another). */
  onDidChange(listener: () => void): { dispose(): void };
}

export interface BucketCommandDeps {
  readonly view: BucketView;
  readonly profiles: BucketProfiles;
  readonly prompter: Prompter;
  readonly sql: SqlRunner;
  /** Interrupts the DuckDB statement now running (cancelling a preview). */
  readonly interrupt: () => void;
  readonly previews: PreviewPanels;
}

/** `executeCommand` arguments besides tree nodes. */
export type PathArg = string | { readonly path?: string; readonly bucket?: string; readonly prefix?: string; readonly key?: string };

export function bucketCommands(deps: BucketCommandDeps): CommandSpec[] {
  const { view, prompter } = deps;
  const model = view.model;

  const requireSource = (): BucketSource => {
    const source = model.source;
    if (!source) throw new UserFacingError('The Bucket view shows nothing yet: run Test R2 Bucket, Browse Bucket or Open Bucket Path… first.');
    return source;
  };

  return [
    {
      id: 'duckdbSecrets.browseBucket',
      run: async () => {
        const profile = activeProfile(deps.profiles);
        if (!profile.bucket) return vscode.commands.executeCommand('duckdbSecrets.openBucketPath');
        await view.show(await liveSource(deps.profiles, profile, profile.bucket, ''));
        return undefined;
      },
    },
    {
      id: 'duckdbSecrets.openBucketPath',
      run: async (arg?: unknown) => {
        const profile = activeProfile(deps.profiles);
        const text =
          pathText(arg) ??
          (await prompter.input({
            title: 'Open Bucket Path',
            prompt: 'A bucket, or a folder in it, to browse live (for API tokens that may only list a prefix)',
            value: `r2://${profile.bucket}/`,
            placeHolder: 'r2://bucket/prefix/',
            validate: (value) => (parseBucketPath(value) ? undefined : 'Write it as r2://bucket/prefix/'),
          }));
        const path = parseBucketPath(text);
        if (!path) throw new UserFacingError(`"${text}" is not a bucket path: write it as r2://bucket/prefix/.`);
        await view.show(await liveSource(deps.profiles, profile, path.bucket, path.prefix));
      },
    },
    {
      id: REFRESH_FOLDER_COMMAND,
      run: async (arg?: unknown) => {
        const source = requireSource();
        const prefix = arg instanceof BucketFolderNode ? arg.prefix : (folderPrefix(arg) ?? selectedFolder(view) ?? source.rootPrefix);
        const state = await inView(() => model.refresh(prefix));
        if (state.kind === 'failed') throw new UserFacingError(state.message);
      },
    },
    {
      id: LOAD_MORE_COMMAND,
      run: async (arg?: unknown) => {
        const prefix = arg instanceof LoadMoreNode ? arg.prefix : folderPrefix(arg);
        if (prefix === undefined) return;
        await inView(() => model.loadMore(prefix));
      },
    },
    {
      id: 'duckdbSecrets.filterBucket',
      run: async (arg?: unknown) => {
        requireSource();
        const given = typeof arg === 'string' ? arg : (arg as { pattern?: unknown } | undefined)?.pattern;
        const pattern =
          typeof given === 'string'
            ? given
            : await prompter.input({
                title: 'Filter Bucket',
                prompt: 'Glob pattern: *.parquet matches names in any folder; sales/**/*.csv matches whole keys. Empty clears the filter.',
                value: model.filter?.pattern ?? '',
                placeHolder: '*.parquet',
                validate: filterProblem,
              });
        model.setFilter(pattern.trim() ? compileFilter(pattern) : undefined);
      },
    },
    { id: 'duckdbSecrets.clearBucketFilter', run: () => model.setFilter(undefined) },
    {
      id: 'duckdbSecrets.copyBucketUri',
      run: async (arg?: unknown) => {
        const target = targetOf(arg, view);
        const uri = target.key !== undefined ? r2Uri(target.bucket, target.key) : r2Uri(target.bucket, target.prefix ?? '');
        await copy(uri, 'URI');
        return uri;
      },
    },
    {
      id: 'duckdbSecrets.copyBucketQuery',
      run: async (arg?: unknown) => {
        const target = targetOf(arg, view);
        // The scheme of the secret the workspace reads the bucket with (pathScheme.ts).
        const scheme = await bucketScheme(deps.sql, target.bucket);
        let query: string;
        if (target.key !== undefined) {
          query = objectQuery(target.bucket, target.key, scheme);
        } else {
          const source = model.source?.bucket === target.bucket ? model.source : undefined;
          if (!source) throw new UserFacingError(`Bucket ${target.bucket} is not shown in the Bucket view: open it first.`);
          const prefix = target.prefix ?? '';
          const found = await inView(() => folderQueriesFor(source, prefix, undefined, scheme));
          const [first] = found.choices;
          if (!first) throw new UserFacingError(`Nothing to query in ${r2Uri(target.bucket, prefix)}.`);
          const chosen =
            found.choices.length === 1
              ? first
              : await prompter.pick(
                  found.choices.map((c) => ({ ...c, detail: c.query })),
                  {
                    title: `Copy Query: ${r2Uri(target.bucket, prefix)} holds ${found.summary ?? 'several datasets'}`,
                    placeHolder: 'One reader over all of them fails when their columns differ: pick one dataset, or all together by column name',
                  },
                );
          query = chosen.query;
          if (found.choices.length > 1) {
            await copy(query, `query for ${chosen.label}`);
            return query;
          }
        }
        await copy(query, 'query');
        return query;
      },
    },
    {
      id: PREVIEW_OBJECT_COMMAND,
      run: async (arg?: unknown): Promise<ObjectPreview> => {
        const path =
          arg instanceof BucketObjectNode
            ? arg.uri
            : (objectPath(arg) ??
              selectedObject(view) ??
              (await prompter.input({
                title: 'Preview Object',
                prompt: 'A .parquet, .csv, .json or .ndjson file: r2://bucket/key (needs the httpfs extension) or a local path',
                placeHolder: 'r2://bucket/folder/file.parquet',
              })));
        const name = path.slice(path.lastIndexOf('/') + 1);
        // A second click on the same object right after the first keeps its tab, as a double-click does in the explorer.
        const keep = deps.previews.requested(path);
        const preview = await withCancellableProgress(`Previewing ${name}`, deps.interrupt, () => loadPreview(deps.sql, path));
        deps.previews.show(preview, { keep });
        return preview;
      },
    },
    { id: KEEP_PREVIEW_OPEN_COMMAND, run: () => deps.previews.keep() },
    {
      id: OPEN_RAW_OBJECT_COMMAND,
      run: async (arg?: unknown) => {
        const path = arg instanceof BucketObjectNode ? arg.uri : (objectPath(arg) ?? selectedObject(view));
        if (!path) throw new UserFacingError('Select an object in the Bucket view first.');
        const name = path.slice(path.lastIndexOf('/') + 1);
        const raw = await withCancellableProgress(`Opening ${name}`, deps.interrupt, () => loadRawObject(deps.sql, path));
        const language = /\.(json|ndjson|jsonl)$/i.test(name) ? 'json' : /\.csv$/i.test(name) ? 'csv' : 'plaintext';
        const document = await vscode.workspace.openTextDocument({ content: raw.text, language });
        await vscode.window.showTextDocument(document, { preview: true });
        vscode.window.setStatusBarMessage(`${path}: ${raw.size.toLocaleString('en-US')} bytes${raw.utf8 ? '' : ', not UTF-8: other bytes shown as \\xNN'}`, 6000);
        return raw.size;
      },
    },
  ];
}

function activeProfile(profiles: BucketProfiles): ProfileInfo {
  const profile = profiles.activeProfile();
  if (!profile) {
    throw new UserFacingError('No R2 profile is set up yet: set R2 credentials first, then browse the bucket.', undefined, [
      { title: 'Set R2 Credentials', command: SET_CREDENTIALS_COMMAND },
    ]);
  }
  return profile;
}

/**
 * A live listing signed with this profile's keys: read from the keychain once, and again after the
 * profiles change; dropped when the view shows another source.
 */
async function liveSource(profiles: BucketProfiles, profile: ProfileInfo, bucket: string, prefix: string): Promise<BucketSource> {
  const { LiveListing } = await import('../../core/bucket/s3Listing');
  return new LiveListing({ bucket, rootPrefix: prefix, credentials: () => profiles.credentials(profile.id), credentialsChanged: (listener) => profiles.onDidChange(listener) });
}

function pathText(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const a = arg as Exclude<PathArg, string>;
    if (typeof a.path === 'string') return a.path;
    if (typeof a.bucket === 'string') return r2Uri(a.bucket, a.prefix ?? '');
  }
  return undefined;
}

function folderPrefix(arg: unknown): string | undefined {
  if (arg && typeof arg === 'object' && typeof (arg as { prefix?: unknown }).prefix === 'string') return (arg as { prefix: string }).prefix;
  if (typeof arg === 'string') return parseBucketPath(arg)?.prefix;
  return undefined;
}

function objectPath(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const a = arg as Exclude<PathArg, string>;
    if (typeof a.path === 'string') return a.path;
    if (typeof a.bucket === 'string' && typeof a.key === 'string') return r2Uri(a.bucket, a.key);
  }
  return undefined;
}

function selectedFolder(view: BucketView): string | undefined {
  const node = view.selected();
  return node instanceof BucketFolderNode ? node.prefix : undefined;
}

function selectedObject(view: BucketView): string | undefined {
  const node = view.selected();
  return node instanceof BucketObjectNode ? node.uri : undefined;
}

/** A folder (`prefix`) or an object (`key`) in a bucket, from a node, an argument, or the selection. */
function targetOf(arg: unknown, view: BucketView): { bucket: string; prefix?: string; key?: string } {
  const node = arg ?? view.selected();
  if (node instanceof BucketFolderNode) return { bucket: node.bucket, prefix: node.prefix };
  if (node instanceof BucketObjectNode) return { bucket: node.bucket, key: node.object.key };
  if (typeof node === 'string') {
    if (node.endsWith('/')) {
      const folder = parseBucketPath(node);
      if (folder) return folder;
    }
    const object = splitObjectUri(node);
    if (object) return object;
  }
  if (node && typeof node === 'object') {
    const a = node as Exclude<PathArg, string>;
    if (typeof a.bucket === 'string') return typeof a.key === 'string' ? { bucket: a.bucket, key: a.key } : { bucket: a.bucket, prefix: a.prefix ?? '' };
  }
  throw new UserFacingError('Select a folder or an object in the Bucket view first.');
}

function filterProblem(value: string): string | undefined {
  if (!value.trim()) return undefined;
  try {
    compileFilter(value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function copy(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${what}: ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`, 4000);
}

/** Runs DuckDB work in a cancellable notification; cancelling interrupts the statement. */
function withCancellableProgress<T>(title: string, interrupt: () => void, work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const subscription = token.onCancellationRequested(() => interrupt());
    try {
      return await work();
    } catch (error) {
      if (token.isCancellationRequested) throw new CancelledError();
      throw error;
    } finally {
      subscription.dispose();
    }
  });
}

/** Work with the Bucket view's progress bar. */
function inView<T>(work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: { viewId: BUCKET_VIEW_ID } }, work);
}
