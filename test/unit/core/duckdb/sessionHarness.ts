/**
 * What the DuckDB session tests share: "dbt" (a real second DuckDB in a child process, which a file
 * lock keeps out), a FIFO whose read blocks DuckDB in a native call until the test plays its writer,
 * and a bounded poll for something that happens once a native call returns.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const api = require.resolve('@duckdb/node-api');

/** Opens `file` read-write in another process, as dbt does (its secrets in a folder next to the file), writes a table, and closes: 'ok' or 'failed: <reason>'. */
export function dbtWrite(file: string, value: number): string {
  const script = `
    const { DuckDBInstance } = require(${JSON.stringify(api)});
    (async () => {
      try {
        const instance = await DuckDBInstance.create(${JSON.stringify(file)}, { secret_directory: ${JSON.stringify(path.join(path.dirname(file), 'dbt-secrets'))} });
        const connection = await instance.connect();
        await connection.run('CREATE OR REPLACE TABLE model AS SELECT ${value} AS x');
        connection.closeSync();
        instance.closeSync();
        console.log('ok');
      } catch (error) {
        console.log('failed: ' + String(error.message).split('\\n')[0]);
      }
    })();`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout.trim();
}

/** A named pipe in `dir`: DuckDB reading it blocks in open(2), outside any interrupt check, until a writer comes. */
export function makeFifo(dir: string): string {
  const fifo = path.join(dir, 'never-answers.csv');
  execFileSync('mkfifo', [fifo]);
  return fifo;
}

/** Lets the writer end of the FIFO open and close, so a reader blocked in open(2) gets EOF. Quiet when no reader waits. */
export function releaseFifo(fifo: string): void {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader is blocked on it.
  }
}

/** Resolves once `predicate` holds, polling the event loop; fails the test after `tries` polls. */
export async function eventually(predicate: () => boolean, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`never happened: ${what}`);
}

/** Every "<n> ms" a log line reports. */
export function loggedMilliseconds(lines: readonly string[]): number[] {
  return lines.flatMap((line) => [...line.matchAll(/(\d+) ms\b/g)].map((m) => Number(m[1])));
}
