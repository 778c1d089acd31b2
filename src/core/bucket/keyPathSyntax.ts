/**
 * Object keys that DuckDB would not read as they are written. In an `r2://`/`s3://` path httpfs
 * takes everything after `?` as a query string whose `s3_endpoint`, `s3_use_ssl`, `s3_region`,
 * `s3_access_key_id` … override the secret (unless `s3_url_compatibility_mode` is on, and that
 * setting exists only once httpfs is loaded), and `*`, `?`, `[`, `{` are glob syntax. A bucket's
 * keys are chosen by whoever can write to it, so such keys never reach DuckDB as a path: the read
 * check skips them, and preview, Copy Query and an explicit read object refuse them with a
 * message. Messages name the characters, never the key (it may carry markdown or a link).
 * No VS Code import.
 */
import { UserFacingError } from '../errors';

const PATH_SYNTAX = /[?*[{]/g;

/** The path-syntax characters in `key`, each once, in the order they first appear. */
export function pathSyntaxIn(key: string): string[] {
  return [...new Set(key.match(PATH_SYNTAX) ?? [])];
}

/** True when DuckDB would read part of `key` as a query string or a glob. */
export function hasPathSyntax(key: string): boolean {
  return pathSyntaxIn(key).length > 0;
}

/** Why `doing` refuses `key`, or undefined when DuckDB reads the key as written. */
export function pathSyntaxProblem(key: string, doing: string): string | undefined {
  const found = pathSyntaxIn(key);
  if (found.length === 0) return undefined;
  const chars = found.map((c) => `"${c}"`).join(', ');
  const query = found.includes('?') ? ' ("?" starts a query string that can change the endpoint and credentials DuckDB uses)' : '';
  return (
    `${doing} refuses this object: its key contains ${chars}, which DuckDB reads as path syntax${query}, not as part of the name. ` +
    'Rename the object, or read it with another S3 client.'
  );
}

/** Throws the refusal when `key` carries path syntax. */
export function refusePathSyntax(key: string, doing: string): void {
  const problem = pathSyntaxProblem(key, doing);
  if (problem) throw new UserFacingError(problem);
}

/** The key part of `scheme://bucket/key`; undefined for a local path. */
export function keyOfRemotePath(path: string): string | undefined {
  // `(.*)` with the s flag takes the rest of the text, empty or not, so no `$` and no fallback for the group.
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/?(.*)/is.exec(path)?.[1];
}
