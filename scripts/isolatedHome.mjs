// Test isolation: the test tiers run with HOME set to a fresh temporary folder, so no DuckDB a test
// opens reads or writes the developer's own ~/.duckdb (persistent secrets, extensions). A
// persistent secret is planted where DuckDB looks by default; a test that depends on the default
// secret directory sees it (and fails), and `check()` fails the tier when a test wrote anything
// there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const PLANTED_SECRET = 'planted_home_secret';

export async function isolatedHome() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-test-home-'));
  const secretDirectory = path.join(home, '.duckdb', 'stored_secrets');
  fs.mkdirSync(secretDirectory, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { secret_directory: secretDirectory });
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE PERSISTENT SECRET ${PLANTED_SECRET} (TYPE http, BEARER_TOKEN 'planted-not-a-secret', SCOPE 'https://planted.invalid')`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const planted = fs.readdirSync(secretDirectory).sort();
  return {
    home,
    env: { HOME: home, USERPROFILE: home, DUCKDB_SECRETS_TEST_PLANTED_SECRET: PLANTED_SECRET },
    /** Problems found: files a test added to or removed from the default secret directory. */
    check() {
      const now = fs.readdirSync(secretDirectory).sort();
      return JSON.stringify(now) === JSON.stringify(planted)
        ? []
        : [`a test changed the default secret directory (${secretDirectory}): ${JSON.stringify(planted)} became ${JSON.stringify(now)}`];
    },
    remove() {
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
