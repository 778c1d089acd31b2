/**
 * Move to Keychain: takes local persistent secrets (plaintext files in `secret_directory`) into the
 * OS keychain. For each secret, in order, and only while every step succeeds:
 *
 * 1. read its values through a short-lived separate DuckDB opened with `allow_unredacted_secrets`
 *    on the same `secret_directory` (never the window's session), closed right after;
 * 2. parse `secret_string` and prove the parse exact by a round trip (secretReadBack.ts);
 * 3. keep the key pair as a credential profile in SecretStorage, or reuse the profile holding the
 *    same key id (never a second copy);
 * 4. create the keychain-backed session secret with the same name, type, scope and parameters, and
 *    remember it so it is re-created from the keychain when the session starts;
 * 5. check `which_secret` answers the same for each of its scopes;
 * 6. only then drop the persistent secret, which deletes its file.
 *
 * A failure before the drop undoes what this secret's move did (session secret, record, a profile it
 * created), so the file and the keychain are as they were. No VS Code import.
 */
import * as fs from 'node:fs';
import { translateDuckDBError } from '../duckdb/duckdbErrors';
import type { SqlRunner } from '../duckdb/sqlRunner';
import { errorText, UserFacingError } from '../errors';
import type { Logger } from '../logger';
import { KeychainError } from '../credentials/credentialStore';
import type { Credentials, ProfileInfo, ProfileSecrets } from '../credentials/profiles';
import { kindFor, LOCAL_FILE_STORAGE, MOVABLE_KINDS, notMovableReason, readSecretDirectory, secretFile, type MovableKind } from './plaintextSecrets';
import { parseUnredacted, readUnredactedLocalSecrets, verifyRoundTrip, type ParsedSecret } from './secretReadBack';
import { listSecrets, type SecretInfo } from './secretsModel';
import type { SessionSecretRecord, SessionSecretRecords } from './sessionSecretRecords';
import * as sql from './secretSql';

/** The part of CredentialStore a move needs (CredentialStore satisfies it). */
export interface KeychainProfiles {
  list(): readonly ProfileInfo[];
  credentials(profileId: string): Promise<Credentials>;
  save(id: string | undefined, info: Omit<ProfileInfo, 'id'>, secrets: Partial<ProfileSecrets>, options?: { activate?: boolean }): Promise<ProfileInfo>;
  delete(profileId: string): Promise<void>;
}

export interface MoveDeps {
  /** The window's DuckDB session: lists, creates the session secret, asks which_secret, drops. Redaction stays on. */
  readonly sql: SqlRunner;
  /** The session's DuckDB options (extension_directory…), reused by the short-lived instances. */
  readonly duckdbOptions: () => Readonly<Record<string, string>>;
  readonly profiles: KeychainProfiles;
  readonly records: SessionSecretRecords;
  readonly log: Logger;
  /** The types that move; r2, s3 and gcs unless a test passes its own. */
  readonly kinds?: readonly MovableKind[];
}

export interface MovedSecret {
  readonly name: string;
  readonly type: string;
  /** The file that held it, now deleted. */
  readonly file: string;
  /** The credential profile holding its key pair. */
  readonly profile: string;
  /** False when a profile with the same key id and secret already held them. */
  readonly profileCreated: boolean;
  /** True if DuckDB dropped the secret but its file is still there (delete it by hand). */
  readonly fileLeft: boolean;
}

export interface StayedSecret {
  readonly name: string;
  readonly type?: string;
  readonly reason: string;
}

export interface MoveReport {
  /** The directory read: the window session's `current_setting('secret_directory')`. */
  readonly directory: string;
  readonly moved: readonly MovedSecret[];
  readonly stayed: readonly StayedSecret[];
}

interface Applied {
  readonly name: string;
  readonly storage: string;
}

interface KeyHolder {
  readonly profile: ProfileInfo;
  readonly secret: string;
}

export class PlaintextMover {
  private readonly kinds: readonly MovableKind[];

  constructor(private readonly deps: MoveDeps) {
    this.kinds = deps.kinds ?? MOVABLE_KINDS;
  }

  /** Moves the named local persistent secrets, one after another; one failure does not stop the others. */
  async move(names: readonly string[]): Promise<MoveReport> {
    const { log } = this.deps;
    const directory = await this.query('read secret_directory', () => readSecretDirectory(this.deps.sql));
    const listed = await this.query('list secrets', () => listSecrets(this.deps.sql));
    const moved: MovedSecret[] = [];
    const stayed: StayedSecret[] = [];
    const stay = (name: string, type: string | undefined, reason: string) => {
      stayed.push({ name, ...(type !== undefined && { type }), reason });
      log.warn(`Move to Keychain: ${name} stays in ${secretFile(directory, name)}: ${reason}`);
    };

    const candidates: SecretInfo[] = [];
    for (const name of [...new Set(names)]) {
      const secret = listed.find((s) => s.name === name && s.storage === LOCAL_FILE_STORAGE);
      if (!secret) {
        stay(name, undefined, `there is no local persistent secret of that name in ${directory}`);
        continue;
      }
      const inSession = listed.some((s) => s.name === name && s.storage === 'memory');
      const reason = notMovableReason(secret, this.kinds) ?? (inSession ? 'a session secret of the same name exists; delete or rename it first' : undefined);
      if (reason) stay(name, secret.type, reason);
      else candidates.push(secret);
    }
    if (candidates.length === 0) return { directory, moved, stayed };

    // shortLivedOptions sets secret_directory and allow_unredacted_secrets over these.
    const base = this.deps.duckdbOptions();
    const parsed: ParsedSecret[] = [];
    try {
      const unredacted = await readUnredactedLocalSecrets(directory, base, candidates.map((s) => s.name));
      log.info(`Move to Keychain: read ${candidates.map((s) => s.name).join(', ')} from ${directory} through a separate DuckDB instance (allow_unredacted_secrets), now closed`);
      for (const secret of candidates) {
        const row = unredacted.find((u) => u.name === secret.name);
        const kind = kindFor(secret.type, this.kinds);
        const result = row && kind ? parseUnredacted(row, kind) : { ok: false as const, reason: 'the separate DuckDB instance did not find it' };
        if (result.ok) parsed.push(result.secret);
        else stay(secret.name, secret.type, result.reason);
      }
    } catch (error) {
      for (const secret of candidates) stay(secret.name, secret.type, `its values could not be read back: ${duckdbMessage(error)}`);
      return { directory, moved, stayed };
    }

    let refused: Map<string, string>;
    try {
      refused = await verifyRoundTrip(parsed, this.kinds, directory, base);
    } catch (error) {
      for (const secret of parsed) stay(secret.name, secret.type, `the round-trip check could not run: ${duckdbMessage(error)}`);
      return { directory, moved, stayed };
    }

    let holders: Map<string, KeyHolder>;
    try {
      holders = await this.keyHolders();
    } catch (error) {
      for (const secret of parsed) stay(secret.name, secret.type, errorText(error));
      return { directory, moved, stayed };
    }
    for (const secret of parsed) {
      const reason = refused.get(secret.name);
      if (reason) {
        stay(secret.name, secret.type, reason);
        continue;
      }
      try {
        moved.push(await this.moveOne(secret, directory, holders));
      } catch (error) {
        stay(secret.name, secret.type, errorText(error));
      }
    }
    return { directory, moved, stayed };
  }

  private async moveOne(secret: ParsedSecret, directory: string, holders: Map<string, KeyHolder>): Promise<MovedSecret> {
    const { log, records } = this.deps;
    const kind = kindFor(secret.type, this.kinds);
    // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable, move() keeps only secrets of this.kinds (notMovableReason); the guard narrows the type
    if (!kind) throw new UserFacingError(`its type ${secret.type} does not move`);
    const probes = secret.scope.length > 0 ? secret.scope : [''];
    const before = await this.whichAll(probes, secret.type);

    const holder = holders.get(secret.keyId);
    if (holder && holder.secret !== secret.secret) {
      throw new UserFacingError(`credential profile "${holder.profile.label}" holds the same key id with a different secret; update that profile or this secret first`);
    }
    let profile = holder?.profile;
    const undo: { what: string; run: () => Promise<void> }[] = [];
    if (!profile) {
      profile = await this.deps.profiles.save(undefined, this.profileInfo(secret, kind), { accessKeyId: secret.keyId, secretAccessKey: secret.secret }, { activate: false });
      const created = profile;
      holders.set(secret.keyId, { profile: created, secret: secret.secret });
      undo.push({
        what: `delete credential profile "${created.label}"`,
        run: async () => {
          holders.delete(secret.keyId);
          await this.deps.profiles.delete(created.id);
        },
      });
    }
    const profileCreated = holder === undefined;

    try {
      const definition = { type: secret.type, keyIdParam: kind.keyIdParam, secretParam: kind.secretParam, parameters: secret.parameters };
      // Stryker disable next-line StringLiteral,BooleanLiteral: '' is a session secret too, and replace cannot matter: a same-name session secret already kept this one out
      const create = sql.createDefinedSecret(definition, secret.keyId, secret.secret, { name: secret.name, persistence: 'session', replace: false, scope: secret.scope });
      // Stryker disable next-line BooleanLiteral: translateDuckDBError's create message does not depend on persistent
      await this.run(create, { kind: 'create', type: secret.type, name: secret.name, persistent: false }, 'the session secret could not be created');
      const drop = sql.dropSecret(secret.name, 'memory');
      undo.push({ what: 'drop the session secret', run: () => this.deps.sql.run(drop.sql, drop.describe) });

      const previous = records.all().find((r) => r.name === secret.name);
      await records.remember({ name: secret.name, profileId: profile.id, scope: [...secret.scope], definition });
      undo.push({ what: 'forget the session secret record', run: () => restoreRecord(records, secret.name, previous) });

      const after = await this.whichAll(probes, secret.type);
      for (const probe of probes) {
        const expected = movedAnswer(before.get(probe), secret.name);
        const got = after.get(probe);
        if (!sameAnswer(expected, got)) {
          throw new UserFacingError(`which_secret would answer differently for ${probe || 'paths outside any scope'} (${describe(expected)} before, ${describe(got)} after), so nothing moved`);
        }
      }

      const dropFile = sql.dropSecret(secret.name, LOCAL_FILE_STORAGE);
      await this.run(dropFile, { kind: 'drop', name: secret.name, storage: LOCAL_FILE_STORAGE }, 'the persistent secret could not be dropped');
    } catch (error) {
      const failures = await rollBack(undo, log);
      throw new UserFacingError(`${errorText(error)}${failures.length ? `; undoing failed too (${failures.join('; ')}), see the log` : ''}`);
    }

    const file = secretFile(directory, secret.name);
    const fileLeft = fs.existsSync(file);
    log.info(
      `Moved secret ${secret.name} (${secret.type}) from ${file} to the keychain: credential profile "${profile.label}" (${profileCreated ? 'new' : 'reused'}) and a session secret re-created from it at session start` +
        (fileLeft ? '; DuckDB dropped it but the file is still there' : ''),
    );
    return { name: secret.name, type: secret.type, file, profile: profile.label, profileCreated, fileLeft };
  }

  /** Every profile's key id with its secret, read once per move, so a key pair is never stored twice. */
  private async keyHolders(): Promise<Map<string, KeyHolder>> {
    const holders = new Map<string, KeyHolder>();
    for (const profile of this.deps.profiles.list()) {
      try {
        const credentials = await this.deps.profiles.credentials(profile.id);
        if (!holders.has(credentials.accessKeyId)) holders.set(credentials.accessKeyId, { profile, secret: credentials.secretAccessKey });
      } catch (error) {
        // A profile without keys holds no key id; a keychain that cannot be read stops every move.
        if (error instanceof KeychainError) throw error;
      }
    }
    return holders;
  }

  private profileInfo(secret: ParsedSecret, kind: MovableKind): Omit<ProfileInfo, 'id'> {
    const parameters = new Map(secret.parameters.map((p) => [p.key, p.value]));
    const taken = new Set(this.deps.profiles.list().map((p) => p.label.toLowerCase()));
    let label = secret.name;
    for (let n = 2; taken.has(label.toLowerCase()); n++) label = `${secret.name} (${n})`;
    const bucket = /^[a-z0-9]+:\/\/([^/]+)/i.exec(secret.scope[0] ?? '')?.[1] ?? '';
    return { label, bucket, ...kind.location(parameters) };
  }

  private async whichAll(probes: readonly string[], type: string): Promise<Map<string, Applied | undefined>> {
    const answers = new Map<string, Applied | undefined>();
    for (const probe of probes) {
      const statement = sql.whichSecret(probe, type);
      let rows;
      try {
        rows = await this.deps.sql.query(statement.sql, statement.describe);
      } catch (error) {
        throw translateDuckDBError(error, { kind: 'which', path: probe });
      }
      const row = rows[0];
      answers.set(probe, row ? { name: String(row.name), storage: String(row.storage) } : undefined);
    }
    return answers;
  }

  private async run(statement: sql.Statement, action: Parameters<typeof translateDuckDBError>[1], what: string): Promise<void> {
    try {
      await this.deps.sql.run(statement.sql, statement.describe);
    } catch (error) {
      throw new UserFacingError(`${what}: ${translateDuckDBError(error, action).message}`);
    }
  }

  private async query<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateDuckDBError(error, { kind: 'query', what });
    }
  }
}

/** What which_secret should answer once the secret moved: the session copy where the file answered. */
function movedAnswer(before: Applied | undefined, name: string): Applied | undefined {
  if (before?.name !== name) return before;
  // Stryker disable next-line ConditionalExpression: before the move only the file can answer with this name (a same-name session secret kept it out)
  return before.storage === LOCAL_FILE_STORAGE ? { name, storage: 'memory' } : before;
}

function sameAnswer(a: Applied | undefined, b: Applied | undefined): boolean {
  return a?.name === b?.name && a?.storage === b?.storage;
}

function describe(answer: Applied | undefined): string {
  return answer ? `${answer.name} in ${answer.storage}` : 'no secret';
}

async function restoreRecord(records: SessionSecretRecords, name: string, previous: SessionSecretRecord | undefined): Promise<void> {
  if (previous) await records.remember(previous);
  else await records.forget(name);
}

/** Undoes in reverse order; returns what could not be undone (each failure logged once). */
async function rollBack(undo: readonly { what: string; run: () => Promise<void> }[], log: Logger): Promise<string[]> {
  const failures: string[] = [];
  for (const step of [...undo].reverse()) {
    try {
      await step.run();
    } catch (error) {
      log.error(`Move to Keychain: could not ${step.what}: ${errorText(error)}`);
      failures.push(step.what);
    }
  }
  return failures;
}

function duckdbMessage(error: unknown): string {
  return translateDuckDBError(error, { kind: 'query', what: 'read the secrets back' }).message;
}
