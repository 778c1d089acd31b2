/**
 * One DuckDB instance and connection per window, loaded on first use. Statements run one at a time
 * in submission order; the running one can be cancelled. No VS Code import: the unit tier drives
 * this against a real in-memory DuckDB.
 *
 * Cancel interrupts DuckDB. A native call that does not return (httpfs waiting on a server that
 * accepted the connection and never answers, a read blocked in the kernel) ignores the interrupt:
 * after a grace period the session leaves that instance behind, the statement's promise rejects at
 * once so the queue moves on, and the next statement opens a fresh instance, whose start hooks
 * re-create the keychain-backed secrets. The abandoned instance is closed when its call returns.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as path from 'node:path';
import { errorText } from '../errors';
import type { Logger } from '../logger';
import { attachReadOnly, detach } from '../secrets/secretSql';
import { optionsRefusedError, refusedOption } from './duckdbErrors';
import { describeHttpLimits, httpLimits, mayUseHttpfs, setHttpLimitStatements, splitHttpLimits } from './httpLimits';
import type { Row, SqlRunner } from './sqlRunner';

export const DATABASE_PATH_SETTING = 'duckdbSecrets.duckdb.databasePath';

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

export interface SessionTuning {
  /** How long Cancel waits for DuckDB to honour the interrupt before leaving the instance behind. */
  readonly cancelGraceMs?: number;
}

/** What Cancel did: nothing ran, DuckDB stopped in time, or the instance was left behind. */
export type CancelOutcome = 'idle' | 'interrupted' | 'abandoned';

/** Runs after the instance opens and before any queued statement (e.g. re-creating keychain-backed secrets). */
export type StartHook = (sql: SqlRunner) => Promise<void>;

interface Open {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
}

/** The statement now running: settles when its native call returns; `abandon` rejects its caller's promise now. */
interface Running {
  readonly settled: Promise<void>;
  readonly abandon: (error: Error) => void;
  readonly started: number;
}

export const DEFAULT_CANCEL_GRACE_MS = 1000;

export class DuckDBSession implements SqlRunner {
  private open: Promise<Open> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private current: Open | undefined;
  private running: Running | undefined;
  /** Replaced whenever the instance is left behind, restarted or disposed: an opening that started in an earlier epoch is stale. */
  private epoch: object = {};
  /** True once httpfs is loaded in the current instance and its waits are bounded (reset as each instance opens). */
  private httpBounded: boolean | undefined;
  private readonly startHooks: StartHook[] = [];
  private readonly cancelGraceMs: number;
  private disposed = false;
  /** The last reason the database file could not be attached, so it is logged once. */
  private attachFailure: string | undefined;

  constructor(
    private config: SessionConfig,
    private readonly log: Logger,
    tuning: SessionTuning = {},
  ) {
    this.cancelGraceMs = tuning.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  }

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
    }, describe ?? firstWords(sql), sql);
  }

  /** Runs a query and returns its rows as JSON-friendly objects (BIGINT as string, LIST as array). */
  async query(sql: string, describe?: string): Promise<Row[]> {
    return this.enqueue(async (c) => {
      const reader = await c.runAndReadAll(sql);
      return reader.getRowObjectsJson();
    }, describe ?? firstWords(sql), sql);
  }

  /** Cancels the statement now running, if any (see `cancel`); the session stays usable. */
  interrupt(): void {
    void this.cancel();
  }

  /**
   * Interrupts the running statement; when DuckDB has not returned within the grace period, leaves
   * the instance behind: the statement's promise rejects (as an interrupt) and the next statement
   * opens a fresh instance. Resolves with what happened, within the grace period.
   */
  async cancel(): Promise<CancelOutcome> {
    const running = this.running;
    if (!running) return 'idle';
    this.current?.connection.interrupt();
    await settledOrTimeUp(running.settled, this.cancelGraceMs);
    // No longer running: DuckDB returned (its `settled` handler, subscribed first, cleared `running`),
    // or another Cancel already left it behind.
    if (this.running !== running) return 'interrupted';
    this.abandon(running);
    return 'abandoned';
  }

  /** Closes the instance; the next statement opens a new one with the given configuration. */
  async restart(config?: SessionConfig): Promise<void> {
    if (config) this.config = config;
    // Closing takes its turn in the queue: statements submitted before it finish on the old
    // instance, statements submitted after it open the new one (never a closed connection).
    const close = () => {
      this.epoch = {};
      this.closeCurrent();
      this.open = undefined;
    };
    const closed = this.tail.then(close, close);
    this.tail = closed.catch(() => undefined);
    await closed;
  }

  dispose(): void {
    this.disposed = true;
    this.epoch = {};
    const running = this.running;
    if (running) {
      // Closing a connection while a native call still uses it is not safe: close once it returns.
      const open = this.current;
      this.current = undefined;
      running.abandon(new Error('The DuckDB session was closed.'));
      void running.settled.then(() => closeQuietly(open));
    } else {
      this.closeCurrent();
    }
    this.open = undefined;
  }

  private enqueue<T>(work: (c: DuckDBConnection) => Promise<T>, describe: string, sql: string): Promise<T> {
    const next = this.tail.then(
      () => this.execute(work, describe, sql),
      () => this.execute(work, describe, sql),
    );
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Runs one statement; its promise settles when DuckDB returns, or at once when Cancel leaves it behind. */
  private execute<T>(work: (c: DuckDBConnection) => Promise<T>, describe: string, sql: string): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('The DuckDB session was closed.'));
    let abandon: (error: Error) => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      abandon = reject;
    });
    const job = this.runStatement(work, describe, sql);
    const running: Running = { settled: job.then(noop, noop), abandon, started: performance.now() };
    this.running = running;
    void running.settled.then(() => {
      if (this.running === running) this.running = undefined;
    });
    return Promise.race([job, abandoned]);
  }

  private async runStatement<T>(work: (c: DuckDBConnection) => Promise<T>, describe: string, sql: string): Promise<T> {
    const { connection } = await this.ensureOpen();
    const started = performance.now();
    if (mayUseHttpfs(sql)) await this.boundHttp(connection, true);
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

  /** Leaves the instance of a statement that ignored the interrupt behind; closes it once the call returns. */
  private abandon(running: Running): void {
    const stale = this.current;
    this.epoch = {};
    this.current = undefined;
    this.open = undefined;
    this.running = undefined;
    const waited = Math.round(performance.now() - running.started);
    running.abandon(new Error(`INTERRUPT Error: Interrupted! DuckDB did not stop within ${this.cancelGraceMs} ms of Cancel; the session starts afresh.`));
    this.log.warn(
      `DuckDB did not stop within ${this.cancelGraceMs} ms of Cancel (statement running for ${waited} ms): left that instance behind; ` +
        'the next statement opens a fresh one and re-creates the keychain-backed secrets',
    );
    void running.settled.then(() => {
      closeQuietly(stale);
      this.log.info(`The DuckDB call left behind by Cancel returned after ${Math.round(performance.now() - running.started)} ms; its instance is closed`);
    });
  }

  /**
   * Sets http_timeout and http_retries once httpfs is loaded (they do not exist before). With
   * `load`, loads an installed httpfs first, so the statement about to reach a server is bounded.
   * A failure is logged: the statement itself then reports the httpfs problem.
   */
  private async boundHttp(connection: DuckDBConnection, load: boolean): Promise<void> {
    if (this.httpBounded) return;
    try {
      const reader = await connection.runAndReadAll("SELECT installed, loaded FROM duckdb_extensions() WHERE extension_name = 'httpfs'");
      const row = reader.getRowObjectsJson()[0];
      // Stryker disable next-line OptionalChaining: duckdb_extensions() lists httpfs, a known extension, whether installed or not: there is always a row
      if (!row?.loaded && !(load && row?.installed)) return;
      // Loading a loaded extension does nothing: no need to tell the two apart.
      await connection.run('LOAD httpfs');
      for (const statement of setHttpLimitStatements(splitHttpLimits(this.config.options).limits)) await connection.run(statement);
      this.httpBounded = true;
      this.log.info(`httpfs loaded: ${describeHttpLimits(httpLimits(this.config.options))}`);
    } catch (error) {
      this.log.warn(`httpfs waits not bounded: ${errorText(error).split('\n')[0]!}`);
    }
  }

  /**
   * Attaches the configured database file read-only (never as the default catalog), returning what
   * undoes that. When the file cannot be attached (a dbt run holds its write lock, it does not
   * exist or cannot be read) the statement runs in memory; the reason is logged once, naming the setting.
   */
  private async attachDatabaseFile(connection: DuckDBConnection): Promise<(() => Promise<void>) | undefined> {
    const file = databaseFile(this.config.path);
    if (!file) return undefined;
    const alias = databaseAlias(file);
    try {
      await connection.run(attachReadOnly(file, alias));
      this.attachFailure = undefined;
    } catch (error) {
      const reason = errorText(error).split('\n')[0]!;
      if (reason !== this.attachFailure) this.log.warn(`Database file ${file} (${DATABASE_PATH_SETTING}) not attached, running in memory: ${reason}`);
      this.attachFailure = reason;
      await connection.run(detach(alias)).catch(() => undefined);
      return undefined;
    }
    return async () => {
      await connection.run(detach(alias));
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
    const epoch = this.epoch;
    const started = performance.now();
    const duckdb = await import('@duckdb/node-api');
    const loaded = performance.now();
    const file = databaseFile(this.config.path);
    const refused = databasePathProblem(this.config.path);
    if (refused) this.log.warn(refused);
    const { instanceOptions } = splitHttpLimits(this.config.options);
    // Always in memory: a connection string (md:…?motherduck_token=…, https://…/x.duckdb) never reaches DuckDB.
    let instance: DuckDBInstance;
    try {
      // Stryker disable next-line StringLiteral: DuckDB opens an empty path in memory too
      instance = await duckdb.DuckDBInstance.create(':memory:', { ...instanceOptions });
    } catch (error) {
      // Stryker disable next-line StringLiteral: DuckDB opens an empty path in memory too
      const culprit = await refusedOption(instanceOptions, async (one) => (await duckdb.DuckDBInstance.create(':memory:', one)).closeSync());
      throw optionsRefusedError(error, instanceOptions, culprit);
    }
    const connection = await instance.connect();
    const open = { instance, connection };
    if (epoch !== this.epoch) {
      closeQuietly(open);
      // Stryker disable next-line StringLiteral: never seen: the statement that opened was already rejected by the dispose or Cancel that made it stale
      throw new Error('INTERRUPT Error: Interrupted! The DuckDB session was restarted while it opened.');
    }
    this.current = open;
    this.httpBounded = false;
    const optionNames = Object.keys(instanceOptions);
    this.log.info(
      `DuckDB ${duckdb.version()} opened ${file ? `in memory, attaching ${file} read-only per statement` : 'in memory'}` +
        `${optionNames.length ? ` with options ${optionNames.join(', ')}` : ''}` +
        ` (library ${Math.round(loaded - started)} ms, instance ${Math.round(performance.now() - loaded)} ms)`,
    );
    for (const hook of this.startHooks) {
      await hook(new DirectRunner(connection, this.log));
    }
    // Start hooks that re-create R2 secrets load httpfs: bound its waits before the first statement.
    await this.boundHttp(connection, false);
    return open;
  }

  private closeCurrent(): void {
    const open = this.current;
    this.current = undefined;
    closeQuietly(open);
  }
}

function noop(): void {}

function closeQuietly(open: Open | undefined): void {
  if (!open) return;
  try {
    open.connection.closeSync();
    open.instance.closeSync();
  } catch {
    // Already closed, or the process is shutting down: nothing to keep.
  }
}

/** Resolves when `promise` settles or `ms` have passed, whichever comes first; the timer never keeps the process alive. */
async function settledOrTimeUp(promise: Promise<void>, ms: number): Promise<void> {
  const timeUp = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  await Promise.race([promise, timeUp]);
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
