/**
 * The work behind the secret commands, against the extension's DuckDB session: create R2 secrets
 * from a profile's credentials (session or persistent), drop from the right storage, list R2
 * secrets for clean-up, `which_secret`, "Copy as SQL", and re-create keychain-backed session
 * secrets when the session starts. No VS Code import.
 */
import { createHash } from 'node:crypto';
import { missingCredentialsError, missingR2Fields, translateDuckDBError } from '../duckdb/duckdbErrors';
import type { SqlRunner } from '../duckdb/sqlRunner';
import { UserFacingError, errorText } from '../errors';
import type { Logger } from '../logger';
import type { Credentials, ProfileInfo } from '../credentials/profiles';
import { listSecrets, type SecretInfo } from './secretsModel';
import * as sql from './secretSql';
import { readSecretDirectory } from './plaintextSecrets';
import type { SessionSecretRecord, SessionSecretRecords } from './sessionSecretRecords';

export interface SecretRef {
  readonly name: string;
  readonly storage: string;
}

export interface AppliedSecret extends SecretRef {
  readonly persistent: boolean;
}

export interface CreateR2Options {
  readonly name: string;
  /** `r2://bucket[/prefix]` values; empty or missing means DuckDB's default scope. */
  readonly scope?: readonly string[];
  readonly persistent: boolean;
  /** Only for persistent secrets (session secrets are always `OR REPLACE`). */
  readonly replace?: boolean;
}

/** Hands out a profile's credentials by id, read fresh from SecretStorage. */
export interface CredentialLookup {
  credentialsFor(profileId: string): Promise<Credentials | undefined>;
}

/** Builds the CREATE statement from credentials. The product uses `createR2Secret`; tests pass an `http` builder. */
export type SecretStatementBuilder = (credentials: Credentials, options: sql.CreateSecretOptions) => sql.Statement;

export interface CleanupReport {
  readonly dropped: readonly SecretRef[];
  readonly failed: readonly { readonly secret: SecretRef; readonly message: string }[];
}

export interface RecreateReport {
  readonly recreated: readonly string[];
  readonly failed: readonly { readonly name: string; readonly message: string }[];
  /** Records whose profile no longer exists; they are forgotten. */
  readonly forgotten: readonly string[];
}

export class LocalSecrets {
  /** Session secrets made (or re-made) from a profile in this session: name → hash of the credentials used. Never the values. */
  private readonly madeWith = new Map<string, string>();

  constructor(
    private readonly db: SqlRunner,
    private readonly log: Logger,
    private readonly records: SessionSecretRecords,
    private readonly build: SecretStatementBuilder = sql.createR2Secret,
    private readonly secretType = 'r2',
  ) {}

  /**
   * Creates a secret from `credentials`. A session secret is `CREATE OR REPLACE` and is remembered
   * (name, profile id, scope) so it can be re-created when the session starts again.
   */
  async create(credentials: Credentials | undefined, options: CreateR2Options): Promise<SecretRef> {
    const missing = missingR2Fields(credentials);
    if (!credentials || missing.length > 0) throw missingCredentialsError(missing, !credentials);
    const name = sql.secretName(options.name);
    const statement = this.build(credentials, {
      name,
      // Stryker disable next-line StringLiteral: the statement builders test for 'persistent' only, so any other text is a session secret
      persistence: options.persistent ? 'persistent' : 'session',
      storage: options.persistent ? 'local_file' : undefined,
      replace: options.persistent ? (options.replace ?? false) : true,
      scope: options.scope,
    });
    try {
      await this.db.run(statement.sql, statement.describe);
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'create', type: this.secretType, name, persistent: options.persistent });
    }
    const storage = options.persistent ? 'local_file' : 'memory';
    if (!options.persistent) {
      await this.records.remember({ name, profileId: credentials.id, scope: [...(options.scope ?? [])] });
      this.madeWith.set(name, fingerprint(credentials));
    }
    this.log.info(`Created ${this.secretType} secret ${name} in ${storage} from profile ${credentials.label}`);
    return { name, storage };
  }

  /** The statement `create` would run for `profile`, with placeholders for the keys. */
  copyAsSql(profile: ProfileInfo, options: CreateR2Options): string {
    return sql.copyR2Secret(profile, {
      name: sql.secretName(options.name),
      // Stryker disable next-line StringLiteral: the statement builders test for 'persistent' only, so any other text is a session secret
      persistence: options.persistent ? 'persistent' : 'session',
      storage: options.persistent ? 'local_file' : undefined,
      replace: true,
      scope: options.scope,
    });
  }

  async list(): Promise<SecretInfo[]> {
    try {
      return await listSecrets(this.db);
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'query', what: 'list secrets' });
    }
  }

  /** Every R2 secret in every storage DuckDB knows (session, local files, MotherDuck when attached). */
  async r2Secrets(): Promise<SecretInfo[]> {
    return (await this.list()).filter((s) => s.type === this.secretType);
  }

  /** The secrets named `name` (DuckDB folds names to lower case), one per storage holding it. */
  async find(name: string): Promise<SecretInfo[]> {
    const wanted = name.toLowerCase();
    return (await this.list()).filter((s) => s.name === wanted);
  }

  /** Drops one secret from the storage it lives in; a session secret is no longer re-created. */
  async drop(secret: SecretRef): Promise<void> {
    const statement = sql.dropSecret(secret.name, secret.storage);
    try {
      await this.db.run(statement.sql, statement.describe);
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'drop', name: secret.name, storage: secret.storage });
    }
    if (secret.storage === 'memory') {
      await this.records.forget(secret.name);
      this.madeWith.delete(secret.name);
    }
    this.log.info(`Dropped secret ${secret.name} from ${secret.storage}`);
  }

  /** Drops each secret in turn; one failure does not stop the others. */
  async dropAll(secrets: readonly SecretRef[]): Promise<CleanupReport> {
    const dropped: SecretRef[] = [];
    const failed: { secret: SecretRef; message: string }[] = [];
    for (const secret of secrets) {
      try {
        await this.drop(secret);
        dropped.push(secret);
      } catch (error) {
        const message = errorText(error);
        this.log.warn(`Dropping ${secret.name} from ${secret.storage} failed: ${message}`);
        failed.push({ secret, message });
      }
    }
    return { dropped, failed };
  }

  /** The secret DuckDB would use for `path`, or undefined when none applies. */
  async which(path: string, type = this.secretType): Promise<AppliedSecret | undefined> {
    const statement = sql.whichSecret(path, type);
    let rows;
    try {
      rows = await this.db.query(statement.sql, statement.describe);
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'which', path });
    }
    const row = rows[0];
    if (!row) return undefined;
    return { name: String(row.name), storage: String(row.storage), persistent: row.persistent === 'PERSISTENT' };
  }

  /** Where DuckDB writes persistent secrets (`current_setting('secret_directory')`). */
  async secretDirectory(): Promise<string> {
    try {
      return await readSecretDirectory(this.db);
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'query', what: 'read secret_directory' });
    }
  }

  /**
   * The session start hook: re-creates each remembered session secret from its profile's
   * credentials (read from SecretStorage now, never written to disk). Never throws: a secret that
   * cannot be re-created is logged and the session opens anyway.
   */
  async recreateSessionSecrets(runner: SqlRunner, lookup: CredentialLookup): Promise<RecreateReport> {
    this.madeWith.clear();
    return this.recreate(runner, lookup, () => true);
  }

  /**
   * After profiles changed: re-creates the session secrets made in this session from a profile
   * whose keys, account or endpoint are no longer those the secret was made with, so a fixed
   * profile fixes its secrets too. Secrets not made in this session (the session was restarted
   * without re-creating) are left alone. Never throws.
   */
  async recreateChanged(lookup: CredentialLookup): Promise<RecreateReport> {
    const made = new Map(this.madeWith);
    const changed = new Set<string>();
    for (const record of this.records.all()) {
      const before = made.get(record.name);
      if (before === undefined) continue;
      const now = await lookup.credentialsFor(record.profileId).catch(() => undefined);
      if (now && fingerprint(now) !== before) changed.add(record.name);
    }
    return this.recreate(this.db, lookup, (name) => changed.has(name));
  }

  private async recreate(runner: SqlRunner, lookup: CredentialLookup, wanted: (name: string) => boolean): Promise<RecreateReport> {
    const recreated: string[] = [];
    const failed: { name: string; message: string }[] = [];
    const forgotten: string[] = [];
    for (const record of this.records.all()) {
      if (!wanted(record.name)) continue;
      try {
        const credentials = await lookup.credentialsFor(record.profileId);
        if (!credentials) {
          forgotten.push(record.name);
          await this.records.forget(record.name);
          this.log.info(`Session secret ${record.name}: its credential profile is gone, so it is no longer re-created`);
          continue;
        }
        const statement = this.sessionStatement(record, credentials);
        try {
          await runner.run(statement.sql, statement.describe);
        } catch (error) {
          // Stryker disable next-line BooleanLiteral: translateDuckDBError does not read `persistent`
          throw translateDuckDBError(error, { kind: 'create', type: record.definition?.type ?? this.secretType, name: record.name, persistent: false });
        }
        recreated.push(record.name);
        this.madeWith.set(record.name, fingerprint(credentials));
      } catch (error) {
        const message = errorText(error);
        const detail = error instanceof UserFacingError && error.detail ? ` | ${error.detail}` : '';
        this.log.warn(`Re-creating session secret ${record.name} failed: ${message}${detail}`);
        failed.push({ name: record.name, message });
      }
    }
    if (recreated.length > 0) this.log.info(`Re-created session secrets from the keychain: ${recreated.join(', ')}`);
    return { recreated, failed, forgotten };
  }

  /** A remembered secret's statement: from its stored definition (moved from a file), or from the profile alone. */
  private sessionStatement(record: SessionSecretRecord, credentials: Credentials): sql.Statement {
    // Stryker disable next-line StringLiteral: the statement builders test for 'persistent' only, so any other text is a session secret
    const options: sql.CreateSecretOptions = { name: record.name, persistence: 'session', replace: true, scope: record.scope };
    if (record.definition) {
      const missing = missingR2Fields(credentials).filter((field) => field === 'access key id' || field === 'secret access key');
      if (missing.length > 0) throw missingCredentialsError(missing);
      return sql.createDefinedSecret(record.definition, credentials.accessKeyId, credentials.secretAccessKey, options);
    }
    const missing = missingR2Fields(credentials);
    if (missing.length > 0) throw missingCredentialsError(missing);
    return this.build(credentials, options);
  }
}

/** What a secret made from a profile depends on, hashed: the values never leave this function. */
function fingerprint(c: Credentials): string {
  return createHash('sha256')
    .update(JSON.stringify([c.accessKeyId, c.secretAccessKey, c.accountId, c.jurisdiction, c.customEndpoint]))
    .digest('hex');
}
