/**
 * Which DuckDB secret type a path needs, from its scheme, as DuckDB's secret manager matches them:
 * `which_secret(path, type)` only looks at secrets of the type it is given. No VS Code import.
 */

/** Each scheme DuckDB reads through a secret, and the secret type it looks up for it. */
export const SCHEME_SECRET_TYPES: Readonly<Record<string, string>> = {
  s3: 's3',
  s3a: 's3',
  s3n: 's3',
  r2: 'r2',
  gcs: 'gcs',
  gs: 'gcs',
  az: 'azure',
  azure: 'azure',
  abfss: 'azure',
  hf: 'huggingface',
  http: 'http',
  https: 'http',
};

/** The secret type for `path` (`s3://…` → `s3`), or undefined for a local path or an unknown scheme. */
export function secretTypeForPath(path: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(path.trim());
  if (!match) return undefined;
  const scheme = String(match[1]).toLowerCase();
  // Own keys only: `constructor://x` or `toString://x` must not find Object's methods.
  return Object.hasOwn(SCHEME_SECRET_TYPES, scheme) ? SCHEME_SECRET_TYPES[scheme] : undefined;
}

/** The schemes as users write them, for prompts and messages. */
export function knownSchemes(): string {
  return Object.keys(SCHEME_SECRET_TYPES)
    .map((s) => `${s}://`)
    .join(', ');
}
