/**
 * DuckDB options for a test's session: a fresh temporary `secret_directory`, so a test never reads
 * or writes persistent secrets anywhere else (the unit tier also runs with a temporary HOME; see
 * scripts/isolatedHome.mjs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function testDuckDBOptions(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { secret_directory: fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-test-secrets-')), ...extra };
}
