/**
 * Bounds on how long DuckDB's httpfs waits for a server. `http_timeout` and `http_retries` are
 * httpfs settings: they exist only once httpfs is loaded, and DuckDB 1.5 refuses them as instance
 * options unless it can autoload httpfs right then ("To set the http_timeout setting, the httpfs
 * extension needs to be loaded"), which fails offline. So they are taken out of the instance's
 * options and set with `SET GLOBAL` once httpfs is loaded. Without them a server that accepts the
 * connection and never answers holds a statement for 30 s × 4 tries. No VS Code import.
 */

/** What this module sets unless `duckdbSecrets.duckdb.options` names the setting itself. */
export const DEFAULT_HTTP_LIMITS: Readonly<Record<HttpLimitName, string>> = {
  http_timeout: '15',
  http_retries: '1',
};

export type HttpLimitName = 'http_timeout' | 'http_retries';
const LIMIT_NAMES: readonly string[] = ['http_timeout', 'http_retries'];

export interface HttpLimits {
  /** Seconds httpfs waits for one request. */
  readonly timeoutSeconds: number;
  /** Further tries after a failed request. */
  readonly retries: number;
}

/** The instance options without the httpfs limits, and the limits to set once httpfs is loaded. */
export function splitHttpLimits(options: Readonly<Record<string, string>>): {
  readonly instanceOptions: Record<string, string>;
  readonly limits: Readonly<Record<HttpLimitName, string>>;
} {
  const instanceOptions: Record<string, string> = {};
  const limits: Record<HttpLimitName, string> = { ...DEFAULT_HTTP_LIMITS };
  for (const [name, value] of Object.entries(options)) {
    const lower = name.toLowerCase();
    if (LIMIT_NAMES.includes(lower)) limits[lower as HttpLimitName] = value;
    else instanceOptions[name] = value;
  }
  return { instanceOptions, limits };
}

/** The limits as numbers, for messages; a value DuckDB will refuse falls back to the default. */
export function httpLimits(options: Readonly<Record<string, string>>): HttpLimits {
  const { limits } = splitHttpLimits(options);
  const number = (name: HttpLimitName) => {
    const parsed = Number(limits[name]);
    return Number.isInteger(parsed) && parsed >= 0 ? parsed : Number(DEFAULT_HTTP_LIMITS[name]);
  };
  return { timeoutSeconds: number('http_timeout'), retries: number('http_retries') };
}

/** "DuckDB waits at most 15 s per request and tries 2 times (http_timeout, http_retries)". */
export function describeHttpLimits(limits: HttpLimits): string {
  const tries = limits.retries + 1;
  return `DuckDB waits at most ${limits.timeoutSeconds} s per request and tries ${tries} time${tries === 1 ? '' : 's'} (http_timeout, http_retries in duckdbSecrets.duckdb.options)`;
}

/** A URL in a statement (`r2://`, `s3://`, `https://` …): the statement may reach a server through httpfs. */
export function mayUseHttpfs(sql: string): boolean {
  return /\b[a-z][a-z0-9+.-]*:\/\//i.test(sql);
}

/** `SET GLOBAL …` statements for the limits; values are validated so nothing else can be run. */
export function setHttpLimitStatements(limits: Readonly<Record<HttpLimitName, string>>): string[] {
  return (Object.keys(limits) as HttpLimitName[]).map((name) => {
    const value = limits[name].trim();
    if (!/^\d{1,9}$/.test(value)) {
      throw new Error(`The ${name} option in duckdbSecrets.duckdb.options must be a whole number, not "${value.slice(0, 20)}".`);
    }
    return `SET GLOBAL ${name} = ${value}`;
  });
}
