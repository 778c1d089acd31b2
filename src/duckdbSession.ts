/**
 * One DuckDB instance and connection per window, loaded on first use. Statements run one at a time
 * in submission order; the running one can be interrupted. No VS Code import: the unit tier drives
 * this against a real in-memory DuckDB.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Logger } from './logger';

export type Row = Record<string, unknown>;

/** What code that only runs SQL needs; the session and the start-hook runner both provide it. */
export interface SqlRunner {
  run(sql: string, describe?: string): Promise<void>;
  query(sql: string, describe?: string): Promise<Row[]>;
}

export interface SessionConfig {
  /** ':memory:' or a database file path. */
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
      return reader.getRowObjectsJson() as Row[];
    }, describe ?? firstWords(sql));
  }

  /** Interrupts the statement now running, if any; the session stays usable. */
  interrupt(): void {
    this.current?.connection.interrupt();
  }

  /** Closes the instance; the next statement opens a new one with the given configuration. */
  async restart(config?: SessionConfig): Promise<void> {
    const pending = this.tail;
    if (config) this.config = config;
    await pending.catch(() => undefined);
    this.closeCurrent();
    this.open = undefined;
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
    try {
      const result = await work(connection);
      this.log.trace(`duckdb: ${describe} (${Math.round(performance.now() - started)} ms)`);
      return result;
    } catch (error) {
      this.log.trace(`duckdb: ${describe} failed after ${Math.round(performance.now() - started)} ms`);
      throw error;
    }
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
    const instance = await duckdb.DuckDBInstance.create(this.config.path, { ...this.config.options });
    const connection = await instance.connect();
    this.current = { instance, connection };
    const optionNames = Object.keys(this.config.options);
    this.log.info(
      `DuckDB ${duckdb.version()} opened ${this.config.path === ':memory:' ? 'in memory' : this.config.path}` +
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
    return reader.getRowObjectsJson() as Row[];
  }
}

/** The statement's leading words, for logs. Never the whole text: it may hold a secret literal. */
function firstWords(sql: string): string {
  return sql.trim().split(/[\s(]+/, 3).join(' ');
}
