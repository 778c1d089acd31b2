/**
 * Every DuckDB a test opens gets a fresh temporary `secret_directory`, so a test never reads or
 * writes persistent secrets anywhere else (the unit tier also runs with a temporary HOME; see
 * scripts/isolatedHome.mjs). The directories made here are removed when the test process exits;
 * `openTestDuckDB` removes its own on close.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const made = new Set<string>();
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function temporarySecretDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-test-secrets-'));
  made.add(dir);
  return dir;
}

/** Options for a test's DuckDB: `extra`, and a fresh temporary `secret_directory`. */
export function testDuckDBOptions(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { secret_directory: temporarySecretDirectory(), ...extra };
}

export interface TestDuckDB {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  /** Closes the connection and the instance, and removes the secret directory. */
  close(): void;
}

/** An in-memory DuckDB instance and one connection, opened with `testDuckDBOptions(extra)`. */
export async function openTestDuckDB(extra: Readonly<Record<string, string>> = {}): Promise<TestDuckDB> {
  const options = testDuckDBOptions(extra);
  const dir = options.secret_directory ?? '';
  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
      fs.rmSync(dir, { recursive: true, force: true });
      made.delete(dir);
    },
  };
}
