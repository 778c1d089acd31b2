/**
 * MotherDuck on demand for the extension's DuckDB session: connects when a MotherDuck action needs
 * it (or at session start when the setting asks), disconnects by restarting the session, and
 * creates, lists and drops the R2 secrets MotherDuck keeps. The token is read from the keychain
 * just before connecting and goes nowhere else. No VS Code import.
 */
import { missingCredentialsError, missingR2Fields, translateDuckDBError } from '../duckdb/duckdbErrors';
import type { SqlRunner } from '../duckdb/sqlRunner';
import { UserFacingError, errorText } from '../errors';
import type { SecretRef } from './localSecrets';
import type { Logger } from '../logger';
import { MOTHERDUCK_STATEMENTS, type MotherDuckConnection } from '../motherduck/motherDuck';
import type { Credentials } from '../credentials/profiles';
import { listSecrets, type SecretInfo } from './secretsModel';
import { createMotherDuckR2Secret, MOTHERDUCK_STORAGE, secretName } from './secretSql';

/** The session MotherDuck attaches to: statements, plus a restart (Disconnect). */
export interface RestartableSession extends SqlRunner {
  restart(): Promise<void>;
}

/** Where the token comes from (CredentialStore). */
export interface MotherDuckTokens {
  /** Cheap: no keychain read. */
  hasMotherDuckToken(): boolean;
  /** Read fresh from the keychain. */
  motherDuckToken(): Promise<string | undefined>;
}

export const SET_TOKEN_COMMAND = 'duckdbSecrets.setMotherDuckToken';

export interface MotherDuckSecretOptions {
  readonly name: string;
  /** `r2://bucket[/prefix]` values; empty or missing means DuckDB's default scope. */
  readonly scope?: readonly string[];
}

export class MotherDuckSecrets {
  private connecting: Promise<boolean> | undefined;
  /** Off after Disconnect, so connect-at-start does not undo it; on again after Connect. */
  private autoConnect = true;

  constructor(
    private readonly session: RestartableSession,
    readonly connection: MotherDuckConnection,
    private readonly tokens: MotherDuckTokens,
    private readonly log: Logger,
  ) {}

  /**
   * True when MotherDuck is attached to the session as it is now. The query opens the session if
   * needed, so start hooks have run (a restarted session has shed MotherDuck by then).
   */
  async isAttached(): Promise<boolean> {
    const rows = await this.session.query(MOTHERDUCK_STATEMENTS.attached.sql, MOTHERDUCK_STATEMENTS.attached.describe);
    // Stryker disable next-line OptionalChaining: count(*) always returns one row; the ?. only narrows the type
    const attached = Number(rows[0]?.n ?? 0) > 0;
    if (!attached) {
      if (this.connection.isConnected) this.connection.markDisconnected();
    } else if (!this.connection.isConnected) {
      this.connection.markConnected();
    }
    return attached;
  }

  /**
   * Connects with the stored token unless MotherDuck is attached already: every MotherDuck action
   * calls this first. Resolves true when it connected now, false when it was attached before.
   * Concurrent calls share one attempt.
   */
  ensureConnected(): Promise<boolean> {
    this.connecting ??= (async () => {
      if (await this.isAttached()) return false;
      await this.attach(this.session);
      return true;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Connect to MotherDuck (the command): as `ensureConnected`, and lifts a Disconnect's hold on connect-at-start. */
  connect(): Promise<boolean> {
    this.autoConnect = true;
    return this.ensureConnected();
  }

  /** Restarts the session without MotherDuck; keychain-backed session secrets are re-created by their start hook. */
  async disconnect(): Promise<void> {
    this.autoConnect = false;
    await this.connecting?.catch(() => undefined);
    await this.session.restart();
    this.connection.markDisconnected();
    this.log.info('Disconnected from MotherDuck: the DuckDB session restarted without it');
  }

  /**
   * The session start hook: a new DuckDB instance has nothing attached. With `connectOnStart` (and
   * a stored token, and no Disconnect in this window) it connects; a failure is logged and shown
   * by the status bar, and the session opens anyway.
   */
  async onSessionStart(runner: SqlRunner, connectOnStart: boolean): Promise<void> {
    if (this.connection.state.kind === 'connected') this.connection.markDisconnected();
    if (!connectOnStart || !this.autoConnect || !this.tokens.hasMotherDuckToken()) return;
    let token: string | undefined;
    try {
      token = await this.tokens.motherDuckToken();
    } catch (error) {
      this.log.warn(`MotherDuck was not connected at session start: ${errorText(error)}`);
      return;
    }
    if (!token) return;
    // A failure is logged by connect() and shown by the status bar; the session opens anyway.
    await this.connection.connect(runner, token).catch(() => undefined);
  }

  /** `CREATE OR REPLACE SECRET name IN MOTHERDUCK (TYPE r2, …)` from the credentials, connecting first. */
  async create(credentials: Credentials | undefined, options: MotherDuckSecretOptions): Promise<SecretRef> {
    const missing = missingR2Fields(credentials);
    if (!credentials || missing.length > 0) throw missingCredentialsError(missing, !credentials);
    const name = secretName(options.name);
    await this.ensureConnected();
    const statement = createMotherDuckR2Secret(credentials, { name, scope: options.scope });
    try {
      await this.session.run(statement.sql, statement.describe);
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'create', type: 'r2', name, persistent: true });
    }
    this.log.info(`Created r2 secret ${name} in MotherDuck from profile ${credentials.label}`);
    return { name, storage: MOTHERDUCK_STORAGE };
  }

  /** The secrets MotherDuck keeps for this user, connecting first. */
  async list(): Promise<SecretInfo[]> {
    await this.ensureConnected();
    try {
      return (await listSecrets(this.session)).filter((s) => s.storage === MOTHERDUCK_STORAGE);
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'query', what: 'list MotherDuck secrets' });
    }
  }

  private async attach(runner: SqlRunner): Promise<void> {
    const token = await this.tokens.motherDuckToken();
    if (!token) {
      throw new UserFacingError(
        'No MotherDuck token is stored. Run "Set MotherDuck Token", or "Import R2 Credentials from Environment" with motherduck_token set.',
        undefined,
        [{ title: 'Set MotherDuck Token', command: SET_TOKEN_COMMAND }],
      );
    }
    await this.connection.connect(runner, token);
  }
}
