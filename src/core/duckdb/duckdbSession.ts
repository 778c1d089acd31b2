/**
 * One DuckDB instance and connection per window, loaded on first use. Statements run one at a time
 * in submission order; the running one can be interrupted. No VS Code import: the unit tier drives
 * this against a real in-memory DuckDB.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as path from 'node:path';
import { errorText } from '../errors';
import type { Logger } from '../logger';
import { attachReadOnly, detach } from '../secrets/secretSql';
import type { Row, SqlRunner } from './sqlRunner';

export interface SessionConfig {
  /**
   * ':memory:' or a local database file path. The instance itself always lives in memory; a file
   * is attached read-only for each statement and detached after it, because DuckDB locks a file
   * for as long as any instance has it attached (even read-only), which would lock a dbt run out.
   * The file is never made the default catalog (no `USE`): its macros could otherwise shadow
   * `duckdb_secrets()`, `which_secret` or `current_setting`; its tables are `<file stem>.<table>`.
   * Anything with a scheme (`md:`, `http:`, `s3:` …) is refused: see `databasePathProblem`.
   */
  readonly path: string;
  /** DuckDB configuration options applied when the instance is created (extension_directory, …). */
  readonly options: Readonly<Record<string, string>>;
}

/** Runs after the instance opens and before any queued statement (e.g. re-creating keychain-backed secrets). */
export type StartHook = (sql: SqlRunner) => Promise<void>;

interface Open {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
}

export class DuckDBSession implements SqlRunner {
  private open: Promise<Open> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private current: Open | undefined;
  private readonly startHooks: StartHook[] = [];
  private disposed = false;
  /** The last reason the database file could not be attached, so it is logged once. */
  private attachFailure: string | undefined;

  constructor(
    private config: SessionConfig,
    private readonly log: Logger,
  ) {}

  /** True once the native library has been loaded and the instance opened. */
  get isOpen(): boolean {
    return this.current !== undefined;
  }

  get configuration(): SessionConfig {
    return this.config;
  }

  onStart(hook: StartHook): void {
    this.startHooks.push(hook);
  }

  /** Runs a statement that returns nothing of interest. */
  async run(sql: string, describe?: string): Promise<void> {
    await this.enqueue(async (c) => {
      await c.run(sql);
    }, describe ?? firstWords(sql));
  }

  /** Runs a query and returns its rows as JSON-friendly objects (BIGINT as string, LIST as array). */
  async query(sql: string, describe?: string): Promise<Row[]> {
    return this.enqueue(async (c) => {
      const reader = await c.runAndReadAll(sql);
      return reader.getRowObjectsJson();
    }, describe ?? firstWords(sql));
  }

  /** Interrupts the statement now running, if any; the session stays usable. */
  interrupt(): void {
    this.current?.connection.interrupt();
  }

  /** Closes the instance; the next statement opens a new one with the given configuration. */
  async restart(config?: SessionConfig): Promise<void> {
    if (config) this.config = config;
    // Closing takes its turn in the queue: statements submitted before it finish on the old
    // instance, statements submitted after it open the new one (never a closed connection).
    const close = () => {
      this.closeCurrent();
      this.open = undefined;
    };
    const closed = this.tail.then(close, close);
    this.tail = closed.catch(() => undefined);
    await closed;
  }

  dispose(): void {
    this.disposed = true;
    this.closeCurrent();
    this.open = undefined;
  }

  private enqueue<T>(work: (c: DuckDBConnection) => Promise<T>, describe: string): Promise<T> {
    const next = this.tail.then(
      () => this.execute(work, describe),
      () => this.execute(work, describe),
    );
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async execute<T>(work: (c: DuckDBConnection) => Promise<T>, describe: string): Promise<T> {
    if (this.disposed) throw new Error('The DuckDB session was closed.');
    const { connection } = await this.ensureOpen();
    const started = performance.now();
    const detachFile = await this.attachDatabaseFile(connection);
    try {
      const result = await work(connection);
      this.log.trace(`duckdb: ${describe} (${Math.round(performance.now() - started)} ms)`);
      return result;
    } catch (error) {
      this.log.trace(`duckdb: ${describe} failed after ${Math.round(performance.now() - started)} ms`);
      throw error;
    } finally {
      await detachFile?.();
    }
  }

  /**
   * Attaches the configured database file read-only (never as the default catalog), returning what
   * undoes that. When the file cannot be attached (a dbt run holds its write lock, or it does not
   * exist) the statement runs in memory; the reason is logged once.
   */
  private async attachDatabaseFile(connection: DuckDBConnection): Promise<(() => Promise<void>) | undefined> {
    const file = databaseFile(this.config.path);
    if (!file) return undefined;
    const alias = databaseAlias(file);
    try {
      await connection.run(attachReadOnly(file, alias).sql);
      this.attachFailure = undefined;
    } catch (error) {
      const reason = errorText(error).split('\n')[0] ?? '';
      if (reason !== this.attachFailure) this.log.warn(`Database file ${file} not attached, running in memory: ${reason}`);
      this.attachFailure = reason;
      await connection.run(detach(alias).sql).catch(() => undefined);
      return undefined;
    }
    return async () => {
      await connection.run(detach(alias).sql);
    };
  }

  private ensureOpen(): Promise<Open> {
    this.open ??= this.openInstance().catch((error: unknown) => {
      this.open = undefined;
      throw error;
    });
    return this.open;
  }

  private async openInstance(): Promise<Open> {
    const started = performance.now();
    const duckdb = await import('@duckdb/node-api');
    const loaded = performance.now();
    const file = databaseFile(this.config.path);
    const refused = databasePathProblem(this.config.path);
    if (refused) this.log.warn(refused);
    // Always in memory: a connection string (md:…?motherduck_token=…, https://…/x.duckdb) never reaches DuckDB.
    const instance = await duckdb.DuckDBInstance.create(':memory:', { ...this.config.options });
    const connection = await instance.connect();
    this.current = { instance, connection };
    const optionNames = Object.keys(this.config.options);
    this.log.info(
      `DuckDB ${duckdb.version()} opened ${file ? `in memory, attaching ${file} read-only per statement` : 'in memory'}` +
        `${optionNames.length ? ` with options ${optionNames.join(', ')}` : ''}` +
        ` (library ${Math.round(loaded - started)} ms, instance ${Math.round(performance.now() - loaded)} ms)`,
    );
    for (const hook of this.startHooks) {
      await hook(new DirectRunner(connection, this.log));
    }
    return this.current;
  }

  private closeCurrent(): void {
    const open = this.current;
    this.current = undefined;
    if (!open) return;
    open.connection.closeSync();
    open.instance.closeSync();
  }
}

/** The session seen by start hooks: runs directly on the opening connection, outside the queue. */
class DirectRunner implements SqlRunner {
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly log: Logger,
  ) {}
  async run(sql: string, describe?: string): Promise<void> {
    await this.connection.run(sql);
    this.log.trace(`duckdb: ${describe ?? firstWords(sql)} (start)`);
  }
  async query(sql: string, _describe?: string): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson();
  }
}

/** A URI scheme or connection-string prefix (`md:`, `http:`, `s3:`); two letters at least, so `C:\\…` stays a path. */
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/**
 * Why `duckdbSecrets.duckdb.databasePath` cannot be used, or undefined when it is empty,
 * `:memory:` or a local file path. A scheme is refused: `md:…?motherduck_token=…` would open the
 * session in someone else's MotherDuck account, and a remote file's macros would shadow DuckDB's
 * own functions. MotherDuck is attached by Connect to MotherDuck, with the keychain's token.
 */
export function databasePathProblem(configured: string): string | undefined {
  const trimmed = configured.trim();
  if (trimmed === '' || trimmed === ':memory:') return undefined;
  const scheme = SCHEME.exec(trimmed)?.[0];
  if (scheme) {
    return (
      `The duckdbSecrets.duckdb.databasePath setting must be a local database file path; "${scheme.toLowerCase()}" paths are refused, ` +
      `so the session runs in memory. ${/^(md|motherduck):/i.test(scheme) ? 'Use Connect to MotherDuck (with the token from Set MotherDuck Token) instead.' : 'Download the file and point the setting at the copy.'}`
    );
  }
  if (trimmed.includes('\0')) return 'The duckdbSecrets.duckdb.databasePath setting contains a NUL character; the session runs in memory.';
  return undefined;
}

/** The local database file a path names, or undefined for ':memory:', empty, and refused paths. */
function databaseFile(configured: string): string | undefined {
  const trimmed = configured.trim();
  if (trimmed === '' || trimmed === ':memory:' || databasePathProblem(trimmed)) return undefined;
  return trimmed;
}

/** The catalog name for an attached file: its stem, as DuckDB would pick, kept clear of built-in names. */
function databaseAlias(file: string): string {
  const stem = path.basename(file).replace(/\.[^.]*$/, '') || 'database';
  return ['memory', 'system', 'temp', 'main'].includes(stem.toLowerCase()) ? `${stem}_file` : stem;
}

/** The statement's leading words, for logs. Never the whole text: it may hold a secret literal. */
function firstWords(sql: string): string {
  return sql.trim().split(/[\s(]+/, 3).join(' ');
}
