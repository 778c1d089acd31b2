/**
 * State behind the Secrets view, kept apart from the TreeDataProvider: the last listing of
 * `duckdb_secrets()` grouped by storage, or the error that listing gave. No VS Code import.
 */
import type { SqlRunner } from '../duckdb/sqlRunner';
import { stripStatementEcho } from '../duckdb/duckdbErrors';
import { errorText } from '../errors';
import type { Logger } from '../logger';
import { LOCAL_FILE_STORAGE, readSecretDirectory } from './plaintextSecrets';
import { groupByStorage, listSecrets, type SecretInfo, type StorageGroup } from './secretsModel';

export type SecretsState =
  | { readonly kind: 'unloaded' }
  | {
      readonly kind: 'loaded';
      readonly groups: readonly StorageGroup[];
      readonly secrets: readonly SecretInfo[];
      /** `current_setting('secret_directory')`, read when a local persistent secret is listed: where its plaintext file is. */
      readonly secretDirectory?: string;
    }
  | { readonly kind: 'failed'; readonly message: string };

/** The secret `which_secret` chose for a path, marked in the tree until the next answer. */
export interface SecretMark {
  readonly name: string;
  readonly storage: string;
  readonly path: string;
}

export class SecretsTreeModel {
  private current: SecretsState = { kind: 'unloaded' };
  private marked: SecretMark | undefined;
  private loading: Promise<SecretsState> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly sql: SqlRunner,
    private readonly log: Logger,
  ) {}

  get state(): SecretsState {
    return this.current;
  }

  get mark(): SecretMark | undefined {
    return this.marked;
  }

  /** Marks the secret that applies to a path (or clears the mark) and redraws. */
  setMark(mark: SecretMark | undefined): void {
    this.marked = mark;
    this.notify();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Loads once; later calls return the last state until `refresh`. */
  async ensureLoaded(): Promise<SecretsState> {
    if (this.current.kind !== 'unloaded') return this.current;
    return this.refresh();
  }

  /** Re-reads the secret manager. Concurrent calls share one query. */
  refresh(): Promise<SecretsState> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<SecretsState> {
    try {
      const secrets = await listSecrets(this.sql);
      const secretDirectory = secrets.some((s) => s.storage === LOCAL_FILE_STORAGE) ? await readSecretDirectory(this.sql) : undefined;
      this.current = { kind: 'loaded', groups: groupByStorage(secrets), secrets, ...(secretDirectory !== undefined && { secretDirectory }) };
    } catch (error) {
      const message = stripStatementEcho(errorText(error));
      this.log.error(`Listing secrets failed: ${message}`);
      this.current = { kind: 'failed', message };
    }
    this.notify();
    return this.current;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
