/**
 * The DuckDB queries the Bucket view hands out (Copy Query) and runs (Preview Object), and Test R2
 * Bucket's read check (locally or in MotherDuck). String values go through `sqlString`, the one
 * escaping function. No VS Code import.
 */
import { r2Uri } from './bucketSource';
import { mdRunParameter, type RunLocation } from '../motherduck/runLocation';
import { sqlString } from '../secrets/secretSql';
import { refusePathSyntax } from './keyPathSyntax';

export type ReadFunction = 'read_parquet' | 'read_csv' | 'read_json';

/** The DuckDB reader for a key, by its extension (compressed `.csv.gz`, `.ndjson.zst` … included). */
export function readFunctionFor(key: string): ReadFunction | undefined {
  // Stryker disable next-line MethodExpression: every test below is anchored at the end, which the whole key shares with its name
  const base = key.slice(key.lastIndexOf('/') + 1);
  const name = base.toLowerCase().replace(/\.(gz|zst)$/, '');
  if (/\.parquet$/.test(name)) return 'read_parquet';
  if (/\.(csv|tsv)$/.test(name)) return 'read_csv';
  if (/\.(json|ndjson|jsonl)$/.test(name)) return 'read_json';
  return undefined;
}

/** The glob that matches a sample file's kind: `*.parquet`, `*.csv.gz`. */
export function extensionGlob(sampleKey: string): string {
  // Stryker disable next-line MethodExpression: the extension is matched at the end and cannot hold a `/`, so the whole key gives the same
  const name = sampleKey.slice(sampleKey.lastIndexOf('/') + 1);
  const ext = /(\.[A-Za-z0-9]+(?:\.(?:gz|zst))?)$/.exec(name)?.[1];
  return ext ? `*${ext}` : '*';
}

/** `FROM read_parquet('r2://b/key')` for one object (a format DuckDB knows, else a bare path). */
export function objectQuery(bucket: string, key: string, scheme: 'r2' | 's3' = 'r2'): string {
  refusePathSyntax(key, 'Copy Query');
  const reader = readFunctionFor(key);
  const path = sqlString(r2Uri(bucket, key, scheme), 'The object path');
  return reader ? `FROM ${reader}(${path});` : `FROM ${path};`;
}

/**
 * `FROM read_parquet('r2://b/p/**\/*.parquet', hive_partitioning = true)` for a folder, reading the
 * files of the same kind as `sampleKey` below it; `hive_partitioning` when the folder is or holds
 * `key=value/` partitions.
 */
export function folderQuery(bucket: string, prefix: string, sampleKey: string | undefined, partitioned: boolean, scheme: 'r2' | 's3' = 'r2'): string {
  refusePathSyntax(prefix, 'Copy Query');
  const reader = sampleKey ? readFunctionFor(sampleKey) : undefined;
  const glob = `${prefix}**/${sampleKey ? extensionGlob(sampleKey) : '*'}`;
  const path = sqlString(r2Uri(bucket, glob, scheme), 'The folder path');
  if (!reader) return `SELECT * FROM glob(${path});`;
  return `FROM ${reader}(${path}${partitioned ? ', hive_partitioning = true' : ''});`;
}

/**
 * The statements behind a preview of one file: its schema, its first rows, and (Parquet only, from
 * the footer's metadata, no data read) its row count. `nested` names the columns whose values are
 * STRUCT, LIST, MAP or ARRAY: they are turned into JSON text by DuckDB (`to_json`), so numbers
 * inside stay numbers; the client API would give them back as strings.
 */
export function previewStatements(path: string, reader: ReadFunction, limit: number, nested: readonly string[] = []): { schema: string; rows: string; count?: string } {
  const literal = sqlString(path, 'The object path');
  const source = `${reader}(${literal})`;
  const projection = nested.length === 0 ? '*' : `* REPLACE (${nested.map((c) => `to_json(${quoteIdentifier(c)})::VARCHAR AS ${quoteIdentifier(c)}`).join(', ')})`;
  return {
    schema: `DESCRIBE SELECT * FROM ${source}`,
    rows: `SELECT ${projection} FROM ${source} LIMIT ${Math.max(0, Math.floor(limit))}`,
    ...(reader === 'read_parquet' ? { count: `SELECT sum(num_rows)::DOUBLE AS n FROM parquet_file_metadata(${literal})` } : {}),
  };
}

/** True for DuckDB types whose values are nested: `STRUCT(…)`, `MAP(…)`, `UNION(…)`, `T[]`, `T[3]`. */
export function isNestedType(type: string): boolean {
  return /^(STRUCT|MAP|UNION)\(/i.test(type) || /\]$/.test(type);
}

/** A column name as a SQL identifier: in double quotes, inner quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The read check of Test R2 Bucket for one object: the statement, what it reads, and where it runs. */
export interface ReadCheckStatement {
  readonly sql: string;
  readonly describe: string;
  readonly what: 'object' | 'parquet footer';
  /** Where the statement runs: MotherDuck only through a reader that takes MD_RUN. */
  readonly ranIn: RunLocation;
  /** The reader parses what it reads, so an error may mean "bytes came back, not that format". */
  readonly parses: boolean;
}

/**
 * Reads one object (`path`) to check read access. Locally: a Parquet footer (`parquet_schema`), or the
 * object's bytes (`read_blob`). In MotherDuck: `read_parquet`, `read_csv` or `read_json` with
 * `MD_RUN = REMOTE` (counting a Parquet file's rows reads only its footer); `read_blob`,
 * `parquet_schema` and `glob` take no MD_RUN, so other objects are read locally.
 */
export function readCheckStatement(path: string, location: RunLocation): ReadCheckStatement {
  const literal = sqlString(path, 'The object path');
  const reader = readFunctionFor(path);
  if (location === 'motherduck' && reader) {
    return {
      sql: `SELECT count(*)::DOUBLE AS n FROM ${reader}(${literal}, ${mdRunParameter(location)})`,
      describe: `read check in MotherDuck (${reader}, MD_RUN = REMOTE)`,
      what: reader === 'read_parquet' ? 'parquet footer' : 'object',
      ranIn: 'motherduck',
      parses: true,
    };
  }
  if (/\.parquet$/i.test(path)) {
    return { sql: `SELECT count(*)::INTEGER AS n FROM parquet_schema(${literal})`, describe: 'read parquet footer', what: 'parquet footer', ranIn: 'local', parses: true };
  }
  return { sql: `SELECT octet_length(content)::DOUBLE AS bytes FROM read_blob(${literal})`, describe: 'read object', what: 'object', ranIn: 'local', parses: false };
}
