/**
 * A flat listing (every key of a bucket, e.g. what Test R2 Bucket got from DuckDB's `glob`) folded
 * into folders in memory, with object counts, total size and newest time per folder, served through
 * the same BucketSource interface as a live listing. No VS Code import.
 *
 * Scale: a lakehouse bucket may hold 1,000,000 keys. Folding works in slices and yields to the event
 * loop (setImmediate) whenever a slice has run for `sliceMs`, so the extension host never stalls
 * for long. Memory stays proportional to the listing: the caller's key strings are kept as they are,
 * sizes and times as plain numbers, each folder prefix exists once (interned in one map), and
 * BucketObject records are built only for the page being shown.
 */
import type { BucketFolder, BucketObject, BucketPage, BucketSource } from './bucketSource';

/** One row of a flat listing. `lastModified` as a Date or epoch milliseconds. */
export interface ListingEntry {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: Date | number;
}

export interface FoldOptions {
  /** Shown first in the view's description, e.g. `Test result`. */
  readonly label?: string;
  /** When the listing was taken; shown as HH:MM. Defaults to now. */
  readonly takenAt?: Date;
  /** Children per page in `listPrefix`. Default 1,000, like S3. */
  readonly pageSize?: number;
  /** Longest run of synchronous work before yielding to the event loop. Default 10 ms. */
  readonly sliceMs?: number;
  readonly signal?: AbortSignal;
}

interface Folder {
  /** The interned prefix, e.g. `sales/year=2024/`; `''` for the bucket's root. */
  readonly prefix: string;
  readonly parent: Folder | undefined;
  children: Folder[];
  /** Indices into the listing's parallel arrays, in key order once folding is done. */
  objects: number[];
  count: number;
  size: number;
  /** Epoch ms of the newest object below, or NaN when no time is known. */
  newest: number;
}

/** Cooperative scheduling: `due()` is cheap to call per item; `pause()` yields when the slice is spent. */
class Slicer {
  private started = performance.now();
  private work = 0;
  constructor(
    private readonly sliceMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}
  /** Counts `units` of work done (roughly one per item) and says whether it is time to yield. */
  due(units = 1): boolean {
    this.work += units;
    if (this.work < 1024) return false;
    this.work = 0;
    return performance.now() - this.started >= this.sliceMs;
  }
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.signal?.throwIfAborted();
    this.started = performance.now();
  }
}

/** Folds entries (an array, any iterable, or an async iterable of pages or rows) into a FoldedListing. */
export async function foldListing(
  bucket: string,
  entries: Iterable<ListingEntry> | AsyncIterable<ListingEntry | readonly ListingEntry[]>,
  options: FoldOptions = {},
): Promise<FoldedListing> {
  const folder = new ListingFolder(options);
  if (Symbol.asyncIterator in entries) {
    for await (const item of entries) {
      await folder.add(isEntryArray(item) ? item : [item]);
    }
  } else {
    await folder.add(entries);
  }
  return folder.finish(bucket);
}

function isEntryArray(item: ListingEntry | readonly ListingEntry[]): item is readonly ListingEntry[] {
  return Array.isArray(item);
}

/** Incremental folding, for a caller that receives the listing in chunks (e.g. DuckDB result chunks). */
export class ListingFolder {
  private readonly keys: string[] = [];
  private readonly sizes: number[] = [];
  private readonly times: number[] = [];
  private readonly folders = new Map<string, Folder>();
  private readonly root: Folder = newFolder('', undefined);
  private readonly slicer: Slicer;
  private last: Folder;
  private previousKey = '';
  private sorted = true;
  private finished = false;

  constructor(private readonly options: FoldOptions = {}) {
    this.slicer = new Slicer(options.sliceMs ?? 10, options.signal);
    this.folders.set('', this.root);
    this.last = this.root;
  }

  /** Adds entries, yielding to the event loop between slices. */
  async add(entries: Iterable<ListingEntry>): Promise<void> {
    if (this.finished) throw new Error('ListingFolder.add after finish');
    this.options.signal?.throwIfAborted();
    for (const entry of entries) {
      this.addOne(entry);
      if (this.slicer.due()) await this.slicer.pause();
    }
  }

  /** Sorts where the input was not in key order, sums the folders up, and returns the listing. */
  async finish(bucket: string): Promise<FoldedListing> {
    this.finished = true;
    const all = [...this.folders.values()];
    if (!this.sorted) await this.sortEverything(all);
    // Parents were created before their children, so walking backwards sums children first.
    for (let i = all.length - 1; i > 0; i--) {
      const folder = all[i]!;
      const parent = folder.parent!;
      parent.count += folder.count;
      parent.size += folder.size;
      if (!(parent.newest >= folder.newest)) parent.newest = Number.isNaN(parent.newest) ? folder.newest : Math.max(parent.newest, folder.newest);
      if (this.slicer.due()) await this.slicer.pause();
    }
    return new FoldedListing(bucket, this.keys, this.sizes, this.times, this.folders, this.options);
  }

  private addOne(entry: ListingEntry): void {
    const key = entry.key;
    if (key < this.previousKey) this.sorted = false;
    this.previousKey = key;
    if (key.endsWith('/')) {
      this.folderOf(key); // a folder marker object: the folder exists, nothing to count
      return;
    }
    let folder = this.last;
    if (!(key.startsWith(folder.prefix) && key.indexOf('/', folder.prefix.length) === -1)) {
      folder = this.folderOf(key.slice(0, key.lastIndexOf('/') + 1));
      this.last = folder;
    }
    const time = entry.lastModified === undefined ? NaN : +entry.lastModified;
    folder.objects.push(this.keys.length);
    folder.count++;
    folder.size += entry.size;
    if (!(folder.newest >= time)) folder.newest = Number.isNaN(folder.newest) ? time : Math.max(folder.newest, time);
    this.keys.push(key);
    this.sizes.push(entry.size);
    this.times.push(time);
  }

  private folderOf(prefix: string): Folder {
    const known = this.folders.get(prefix);
    if (known) return known;
    const parentPrefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
    const parent = this.folderOf(parentPrefix);
    const folder = newFolder(prefix, parent);
    parent.children.push(folder);
    this.folders.set(prefix, folder);
    return folder;
  }

  private async sortEverything(all: Folder[]): Promise<void> {
    const indices: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      indices.push(i);
      if (this.slicer.due()) await this.slicer.pause();
    }
    const order = await sortChunked(
      indices,
      (a, b) => compareKeys(this.keys[a]!, this.keys[b]!),
      this.slicer,
    );
    for (const folder of all) folder.objects = [];
    let folder = this.root;
    for (const index of order) {
      const key = this.keys[index]!;
      if (!(key.startsWith(folder.prefix) && key.indexOf('/', folder.prefix.length) === -1)) {
        folder = this.folders.get(key.slice(0, key.lastIndexOf('/') + 1))!;
      }
      folder.objects.push(index);
      if (this.slicer.due()) await this.slicer.pause();
    }
    for (const f of all) {
      if (f.children.length < 2) continue;
      f.children = await sortChunked(f.children, (a, b) => compareKeys(a.prefix, b.prefix), this.slicer);
    }
  }
}

function newFolder(prefix: string, parent: Folder | undefined): Folder {
  return { prefix, parent, children: [], objects: [], count: 0, size: 0, newest: NaN };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Bottom-up merge sort that yields between slices. Reorders `items` and returns the sorted array (maybe `items`). */
export async function sortChunked<T>(items: T[], compare: (a: T, b: T) => number, slicer: { due(units?: number): boolean; pause(): Promise<void> }): Promise<T[]> {
  const n = items.length;
  const run = 2048;
  let src = items;
  for (let lo = 0; lo < n; lo += run) {
    const sortedRun = src.slice(lo, lo + run).sort(compare);
    for (let i = 0; i < sortedRun.length; i++) src[lo + i] = sortedRun[i]!;
    if (slicer.due(run * 12)) await slicer.pause();
  }
  let dst: T[] = new Array<T>(n);
  for (let width = run; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        dst[k] = i < mid && (j >= hi || compare(src[i]!, src[j]!) <= 0) ? src[i++]! : src[j++]!;
        if (slicer.due()) await slicer.pause();
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** The folded listing: a BucketSource answering from memory, plus totals for the summary. */
export class FoldedListing implements BucketSource {
  readonly kind = 'snapshot';
  readonly rootPrefix = '';
  readonly description: string;
  private readonly pageSize: number;

  constructor(
    readonly bucket: string,
    private readonly keys: readonly string[],
    private readonly sizes: readonly number[],
    private readonly times: readonly number[],
    private readonly folders: ReadonlyMap<string, Folder>,
    options: FoldOptions,
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.description = describeSnapshot(options.label ?? 'Listing', this.objectCount, options.takenAt ?? new Date());
  }

  get objectCount(): number {
    return this.keys.length;
  }

  get totalSize(): number {
    return this.folders.get('')?.size ?? 0;
  }

  /** Folders anywhere in the bucket, the root not counted. */
  get folderCount(): number {
    return this.folders.size - 1;
  }

  /** Counts for one folder, or undefined when the listing has no such folder. */
  folder(prefix: string): BucketFolder | undefined {
    const folder = this.folders.get(prefix);
    return folder && toBucketFolder(folder);
  }

  /** The smallest object with at least one byte (else the smallest of all): a cheap read check. Only keys `accept` takes, when given. */
  smallestObject(accept?: (key: string) => boolean): BucketObject | undefined {
    let best = -1;
    for (let i = 0; i < this.sizes.length; i++) {
      if (accept && !accept(this.keys[i]!)) continue;
      const size = this.sizes[i]!;
      const bestSize = best < 0 ? Infinity : this.sizes[best]!;
      if ((size > 0 && (bestSize === 0 || size < bestSize)) || best < 0) best = i;
    }
    return best < 0 ? undefined : this.object(best);
  }

  /** Every folder prefix (the root `''` included) with at least one object below it whose key `matches` takes. */
  foldersHolding(matches: (key: string) => boolean): ReadonlySet<string> {
    const found = new Set<string>();
    for (const key of this.keys) {
      if (!matches(key)) continue;
      for (let end = key.lastIndexOf('/'); ; end = key.lastIndexOf('/', end - 1)) {
        const prefix = end < 0 ? '' : key.slice(0, end + 1);
        if (found.has(prefix)) break;
        found.add(prefix);
        if (end <= 0) {
          found.add('');
          break;
        }
      }
    }
    return found;
  }

  listPrefix(prefix: string, continuation?: string, signal?: AbortSignal): Promise<BucketPage> {
    signal?.throwIfAborted();
    const folder = this.folders.get(prefix);
    if (!folder) return Promise.resolve({ folders: [], objects: [] });
    const start = continuation === undefined ? 0 : Number(continuation);
    const end = start + this.pageSize;
    const childCount = folder.children.length;
    const folders = folder.children.slice(start, end).map(toBucketFolder);
    const objects = folder.objects.slice(Math.max(0, start - childCount), Math.max(0, end - childCount)).map((i) => this.object(i));
    const more = end < childCount + folder.objects.length;
    return Promise.resolve(more ? { folders, objects, continuation: String(end) } : { folders, objects });
  }

  private object(index: number): BucketObject {
    const time = this.times[index]!;
    const key = this.keys[index]!;
    const size = this.sizes[index]!;
    return Number.isNaN(time) ? { key, size } : { key, size, lastModified: new Date(time) };
  }
}

function toBucketFolder(folder: Folder): BucketFolder {
  const base = { prefix: folder.prefix, objectCount: folder.count, totalSize: folder.size };
  return Number.isNaN(folder.newest) ? base : { ...base, lastModified: new Date(folder.newest) };
}

/** `Test result · 10,000 objects · 12:03`. */
export function describeSnapshot(label: string, objects: number, at: Date): string {
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  return `${label} · ${objects.toLocaleString('en-US')} object${objects === 1 ? '' : 's'} · ${time}`;
}
