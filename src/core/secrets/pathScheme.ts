/**
 * Which scheme this workspace reads a bucket through, for Copy Query: `s3` when an R2-backed
 * `TYPE s3` secret (Create R2 Secret with an `s3://` scope, or one a dbt project made) covers
 * `s3://bucket/`, else `r2`. The secret in use is the workspace's own statement of how it reads
 * the bucket, and it is cheap to learn (one `duckdb_secrets()` listing, which never loads an
 * extension); scanning dbt models for `s3://` would be slower and would guess. No VS Code import.
 */
import type { SqlRunner } from '../duckdb/sqlRunner';
import { isR2Backed, listSecrets, type SecretInfo } from './secretsModel';

export type BucketScheme = 'r2' | 's3';

/** The scheme from a listing: `s3` when an R2-backed s3 secret's scope (or its default `s3://`) covers the bucket. */
export function schemeFromSecrets(secrets: readonly SecretInfo[], bucket: string): BucketScheme {
  const path = `s3://${bucket}/`;
  // DuckDB matches scopes by prefix; the default scope covers every s3:// path.
  const covers = (s: SecretInfo) => s.scope.length === 0 || s.scope.some((scope) => path.startsWith(scope));
  return secrets.some((s) => s.type === 's3' && isR2Backed(s) && covers(s)) ? 's3' : 'r2';
}

/** The scheme for `bucket` from the session's secrets; `r2` when they cannot be read. */
export async function bucketScheme(db: SqlRunner, bucket: string): Promise<BucketScheme> {
  try {
    return schemeFromSecrets(await listSecrets(db), bucket);
  } catch {
    return 'r2';
  }
}
