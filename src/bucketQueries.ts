/**
 * The DuckDB queries the Bucket view hands out (Copy Query) and runs (Preview Object). String
 * values go through `sqlString`, the one escaping function. No VS Code import.
 */
import { hivePartition, r2Uri, type BucketSource } from './bucketSource';
import { sqlString } from './secretSql';

export type ReadFunction = 'read_parquet' | 'read_csv' | 'read_json';

/** The DuckDB reader for a key, by its extension (compressed `.csv.gz`, `.ndjson.zst` … included). */
export function readFunctionFor(key: string): ReadFunction | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1).toLowerCase().replace(/\.(gz|zst)$/, '');
  if (/\.parquet$/.test(name)) return 'read_parquet';
  if (/\.(csv|tsv)$/.test(name)) return 'read_csv';
  if (/\.(json|ndjson|jsonl)$/.test(name)) return 'read_json';
  return undefined;
}

/** The glob that matches a sample file's kind: `*.parquet`, `*.csv.gz`. */
function extensionGlob(sampleKey: string): string {
  const name = sampleKey.slice(sampleKey.lastIndexOf('/') + 1);
  const ext = /(\.[A-Za-z0-9]+(?:\.(?:gz|zst))?)$/.exec(name)?.[1];
  return ext ? `*${ext}` : '*';
}

/** `FROM read_parquet('r2://b/key')` for one object (a format DuckDB knows, else a bare path). */
export function objectQuery(bucket: string, key: string): string {
  const reader = readFunctionFor(key);
  const path = sqlString(r2Uri(bucket, key), 'The object path');
  return reader ? `FROM ${reader}(${path});` : `FROM ${path};`;
}

/**
 * `FROM read_parquet('r2://b/p/**\/*.parquet', hive_partitioning = true)` for a folder, reading the
 * files of the same kind as `sampleKey` below it; `hive_partitioning` when the folder is or holds
 * `key=value/` partitions.
 */
export function folderQuery(bucket: string, prefix: string, sampleKey: string | undefined, partitioned: boolean): string {
  const reader = sampleKey ? readFunctionFor(sampleKey) : undefined;
  const glob = `${prefix}**/${sampleKey ? extensionGlob(sampleKey) : '*'}`;
  const path = sqlString(r2Uri(bucket, glob), 'The folder path');
  if (!reader) return `SELECT * FROM glob(${path});`;
  return `FROM ${reader}(${path}${partitioned ? ', hive_partitioning = true' : ''});`;
}

/**
 * The Copy Query text for a folder of any source: looks down the folder (first page of each level,
 * first sub-folder, at most `maxDepth` levels) for a file DuckDB reads, noting Hive partitions on
 * the way. On a live source that is one list request per level.
 */
export async function folderQueryFor(source: BucketSource, prefix: string, signal?: AbortSignal, maxDepth = 8): Promise<string> {
  let partitioned = hivePartition(prefix) !== undefined;
  let current = prefix;
  let sample: string | undefined;
  for (let depth = 0; depth < maxDepth && sample === undefined; depth++) {
    const page = await source.listPrefix(current, undefined, signal);
    partitioned ||= page.folders.some((f) => hivePartition(f.prefix) !== undefined);
    sample = page.objects.find((o) => readFunctionFor(o.key) !== undefined)?.key;
    const next = page.folders[0];
    if (!next) break;
    current = next.prefix;
  }
  return folderQuery(source.bucket, prefix, sample, partitioned);
}

/** The statements behind a preview of one file: its schema, and its first rows. */
export function previewStatements(path: string, reader: ReadFunction, limit: number): { schema: string; rows: string } {
  const source = `${reader}(${sqlString(path, 'The object path')})`;
  return {
    schema: `DESCRIBE SELECT * FROM ${source}`,
    rows: `SELECT * FROM ${source} LIMIT ${Math.max(0, Math.floor(limit))}`,
  };
}
