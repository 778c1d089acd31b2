/**
 * State behind the Bucket view, kept apart from its TreeDataProvider: which source it shows, the
 * filter, and per folder the pages listed so far ("Load more…" fetches the next). Listeners hear
 * which folder changed, so the view refreshes only that node. No VS Code import.
 */
import type { BucketFilter } from './bucketFilter';
import { FailedSource, type BucketFolder, type BucketObject, type BucketSource } from './bucketSource';
import { CancelledError, errorText } from '../errors';
import type { Logger } from '../logger';

export type FolderState =
  | { readonly kind: 'loading' }
  | {
      readonly kind: 'loaded';
      readonly folders: readonly BucketFolder[];
      readonly objects: readonly BucketObject[];
      /** More children follow: a "Load more…" node fetches them. */
      readonly continuation?: string;
      /** Fetching the next page failed (after retries): the folder is incomplete, and says so with a Retry. */
      readonly incomplete?: string;
    }
  | { readonly kind: 'failed'; readonly message: string };

/** What one folder shows once the filter is applied. */
export interface VisibleChildren {
  readonly folders: readonly BucketFolder[];
  readonly objects: readonly BucketObject[];
  /** Listed so far, before the filter. */
  readonly listed: number;
  /** Listed objects the filter hides. */
  readonly hiddenObjects: number;
  /** Listed folders the filter hides: on a snapshot those holding no match; on a live listing only those the pattern's path excludes. */
  readonly hiddenFolders: number;
  readonly hasMore: boolean;
  /** Why the folder is incomplete: its next page failed. */
  readonly incomplete?: string;
}

/** `undefined` means everything changed (a new source or filter). */
export type ChangeListener = (prefix: string | undefined) => void;

/** Folders listed ahead of a click at once, at most. */
const PREFETCH_IN_FLIGHT = 2;
/** A folder listed ahead but not opened within this long is listed again when opened. */
export const PREFETCH_FRESH_MS = 60_000;

export class BucketTreeModel {
  private current: BucketSource | undefined;
  private currentFilter: BucketFilter | undefined;
  /** On a snapshot with a filter: the folders holding a match, computed on first use. */
  private matchingFolders: ReadonlySet<string> | undefined;
  private readonly states = new Map<string, FolderState>();
  private readonly pending = new Map<string, Promise<FolderState>>();
  /** Folders listed ahead of a click and not opened yet, with when they were listed. */
  private readonly prefetched = new Map<string, number>();
  /** Folders being listed ahead that nobody has opened yet. */
  private readonly prefetchRunning = new Set<string>();
  // Stryker disable next-line ArrayDeclaration: show() empties the queue before anything can be queued (prefetch needs a live source shown)
  private prefetchQueue: string[] = [];
  private generation = new AbortController();
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly log: Logger) {}

  get source(): BucketSource | undefined {
    return this.current;
  }

  get filter(): BucketFilter | undefined {
    return this.currentFilter;
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Shows another source; listings still running for the previous one are cancelled. */
  show(source: BucketSource | undefined): void {
    if (this.current !== source) this.current?.dispose?.();
    this.generation.abort();
    this.generation = new AbortController();
    this.current = source;
    this.matchingFolders = undefined;
    this.states.clear();
    this.pending.clear();
    this.prefetched.clear();
    this.prefetchRunning.clear();
    this.prefetchQueue = [];
    this.fire(undefined);
  }

  setFilter(filter: BucketFilter | undefined): void {
    this.currentFilter = filter;
    this.matchingFolders = undefined;
    this.fire(undefined);
  }

  /** The folder's state, listing its first page when it was not listed yet (or was listed ahead too long ago). */
  async children(prefix: string): Promise<FolderState> {
    this.prefetchRunning.delete(prefix); // opened while being listed ahead: its answer is the folder's
    const ahead = this.prefetched.get(prefix);
    // Stryker disable next-line ConditionalExpression: without an entry, now() - undefined is NaN, never older than PREFETCH_FRESH_MS, and there is nothing to delete
    if (ahead !== undefined) {
      this.prefetched.delete(prefix);
      if (this.now() - ahead > PREFETCH_FRESH_MS) this.states.delete(prefix);
    }
    return this.states.get(prefix) ?? this.list(prefix, false);
  }

  /**
   * Lists the first page of up to `limit` of these folders (sub-folders just shown) ahead of a
   * click, so opening one shows its rows without waiting for the server: live sources only, two
   * requests at a time, folders listed or being listed skipped. A folder that fails is forgotten
   * (opening it lists again and shows the failure); one not opened within a minute is listed again
   * when opened. A new source or a refresh drops what is queued.
   */
  prefetch(prefixes: readonly string[], limit: number): void {
    if (this.current?.kind !== 'live' || limit <= 0) return;
    const queued = new Set(this.prefetchQueue);
    const fresh = prefixes.filter((p) => !this.states.has(p) && !this.pending.has(p) && !queued.has(p)).slice(0, limit);
    this.prefetchQueue.push(...fresh);
    this.drainPrefetch();
  }

  /** Fetches the folder's next page and appends it. */
  async loadMore(prefix: string): Promise<FolderState> {
    return this.list(prefix, true);
  }

  /**
   * Forgets what was listed below `prefix` (the folder and its sub-folders) and lists it again. A
   * listing of that folder already running is awaited, not repeated.
   */
  async refresh(prefix: string): Promise<FolderState> {
    for (const key of [...this.states.keys()]) if (key.startsWith(prefix)) this.states.delete(key);
    this.prefetchQueue = this.prefetchQueue.filter((p) => !p.startsWith(prefix));
    const state = this.list(prefix, false);
    this.fire(prefix);
    return state;
  }

  /** The folder's children the filter lets through; undefined while not listed. */
  visible(prefix: string): VisibleChildren | undefined {
    const state = this.states.get(prefix);
    if (state?.kind !== 'loaded') return undefined;
    const filter = this.currentFilter;
    const incomplete = state.incomplete !== undefined ? { incomplete: state.incomplete } : {};
    if (!filter) return { folders: state.folders, objects: state.objects, listed: state.folders.length + state.objects.length, hiddenObjects: 0, hiddenFolders: 0, hasMore: state.continuation !== undefined, ...incomplete };
    const holding = this.foldersHoldingMatches(filter);
    const folders = state.folders.filter((f) => filter.mayContainMatches(f.prefix) && (holding?.has(f.prefix) ?? true));
    const objects = state.objects.filter((o) => filter.matchesObject(o.key));
    return {
      folders,
      objects,
      listed: state.folders.length + state.objects.length,
      hiddenObjects: state.objects.length - objects.length,
      hiddenFolders: state.folders.length - folders.length,
      hasMore: state.continuation !== undefined,
      ...incomplete,
    };
  }

  /** Every folder listed so far with its children, unfiltered (the language server completes paths from them). */
  listedFolders(): { readonly prefix: string; readonly folders: readonly BucketFolder[]; readonly objects: readonly BucketObject[] }[] {
    return [...this.states].flatMap(([prefix, state]) => (state.kind === 'loaded' ? [{ prefix, folders: state.folders, objects: state.objects }] : []));
  }

  /**
   * A snapshot knows every key, so a folder without a match below it is hidden; a live listing
   * cannot know before listing the folder, so its folders stay until the path excludes them.
   */
  private foldersHoldingMatches(filter: BucketFilter): ReadonlySet<string> | undefined {
    const source = this.current;
    // Stryker disable next-line OptionalChaining: only reached for a listed folder, and a folder is listed only while a source is shown
    if (!source?.foldersHolding) return undefined;
    this.matchingFolders ??= source.foldersHolding((key) => filter.matchesObject(key));
    return this.matchingFolders;
  }

  dispose(): void {
    this.generation.abort();
    this.current?.dispose?.();
    this.listeners.clear();
  }

  /** The clock prefetched folders age by (tests replace it). */
  protected now(): number {
    return performance.now();
  }

  private drainPrefetch(): void {
    while (this.prefetchRunning.size < PREFETCH_IN_FLIGHT && this.prefetchQueue.length > 0) {
      const prefix = this.prefetchQueue.shift() as string;
      if (this.states.has(prefix) || this.pending.has(prefix)) continue;
      const source = this.current;
      this.prefetchRunning.add(prefix);
      void this.list(prefix, false).then((state) => {
        // An answer for a source no longer shown: show() has already forgotten it (and the same folder may be listed ahead for the new one).
        if (source !== this.current) return;
        const unopened = this.prefetchRunning.delete(prefix);
        if (unopened && this.states.get(prefix) === state) {
          // A failure ahead of a click is not the folder's answer: opening it lists again.
          if (state.kind === 'failed') this.states.delete(prefix);
          else this.prefetched.set(prefix, this.now());
        }
        this.drainPrefetch();
      });
    }
  }

  private list(prefix: string, more: boolean): Promise<FolderState> {
    const running = this.pending.get(prefix);
    if (running) return running;
    const source = this.current;
    if (!source) return Promise.resolve({ kind: 'loaded', folders: [], objects: [] });
    let after: Extract<FolderState, { kind: 'loaded' }> | undefined;
    if (more) {
      // "Load more" only where a next page is: otherwise the folder stays as it is.
      const before = this.states.get(prefix);
      if (before?.kind !== 'loaded' || before.continuation === undefined) return Promise.resolve(before ?? { kind: 'loading' });
      after = before;
    }
    const signal = this.generation.signal;
    const work = this.fetch(source, prefix, after, signal).finally(() => {
      if (this.pending.get(prefix) === work) this.pending.delete(prefix);
    });
    this.pending.set(prefix, work);
    return work;
  }

  private async fetch(
    source: BucketSource,
    prefix: string,
    after: Extract<FolderState, { kind: 'loaded' }> | undefined,
    signal: AbortSignal,
  ): Promise<FolderState> {
    let state: FolderState;
    try {
      const page = await source.listPrefix(prefix, after?.continuation, signal);
      const seen = new Set(after?.folders.map((f) => f.prefix));
      state = {
        kind: 'loaded',
        // A server may repeat a common prefix on the next page; show it once.
        folders: [...(after?.folders ?? []), ...page.folders.filter((f) => !seen.has(f.prefix))],
        objects: [...(after?.objects ?? []), ...page.objects],
        ...(page.continuation !== undefined ? { continuation: page.continuation } : {}),
      };
    } catch (error) {
      if (signal.aborted || error instanceof CancelledError) return this.states.get(prefix) ?? { kind: 'loading' };
      const message = errorText(error);
      // A failed test's source only repeats the failure the command has already logged.
      if (!(source instanceof FailedSource)) this.log.error(`Listing r2://${source.bucket}/${prefix} failed: ${message}${detailOf(error)}`);
      if (after) {
        // The folder keeps the pages it has, marked incomplete (never shown as if it ended there); the command reports the failure.
        this.states.set(prefix, { ...after, incomplete: message });
        this.fire(prefix);
        throw error;
      }
      state = { kind: 'failed', message };
    }
    if (signal.aborted) return { kind: 'loading' };
    this.states.set(prefix, state);
    if (after) this.fire(prefix);
    return state;
  }

  private fire(prefix: string | undefined): void {
    for (const listener of this.listeners) listener(prefix);
  }
}

function detailOf(error: unknown): string {
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail ? ` | ${detail}` : '';
}
