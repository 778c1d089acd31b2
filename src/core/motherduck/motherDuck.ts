/**
 * Attaching MotherDuck to the extension's DuckDB session, on demand, with a token read from
 * SecretStorage. The token goes into the session with `SET motherduck_token` (built by secretSql's
 * one escaping function) and never into a connection string, a log line or an error text.
 * No VS Code import.
 */
import type { SqlRunner } from '../duckdb/sqlRunner';
import type { EnvSource } from '../credentials/envImport';
import { UserFacingError, errorText, type ErrorAction } from '../errors';
import type { Logger } from '../logger';
import { registerSecretValue } from '../redaction';
import { sqlString, type Statement } from '../secrets/secretSql';
import { OPEN_OPTIONS_SETTING, stripStatementEcho } from '../duckdb/duckdbErrors';

export type MotherDuckState =
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected'; readonly since: Date; /** The MotherDuck user the token belongs to (`md_user()`), when it could be read. */ readonly account?: string }
  | { readonly kind: 'failed'; readonly message: string };

export const MOTHERDUCK_STATEMENTS = {
  load: { sql: 'LOAD motherduck', describe: 'load motherduck extension' } satisfies Statement,
  attach: { sql: "ATTACH 'md:'", describe: 'attach motherduck' } satisfies Statement,
  attached: {
    sql: "SELECT count(*)::INTEGER AS n FROM system.main.duckdb_databases() WHERE type = 'motherduck' OR path LIKE 'md:%'",
    describe: 'motherduck attached?',
  } satisfies Statement,
  /** The MotherDuck user name (MotherDuck's `md_user()`; `current_user` is its alias there). */
  account: { sql: 'SELECT md_user() AS account', describe: 'motherduck account' } satisfies Statement,
};

export function setTokenStatement(token: string): Statement {
  return { sql: `SET motherduck_token = ${sqlString(token, 'The MotherDuck token')}`, describe: 'set motherduck token' };
}

/** Environment variables MotherDuck's own clients read the token from, in order. */
export const TOKEN_ENV_NAMES = ['motherduck_token', 'MOTHERDUCK_TOKEN'] as const;

export function tokenFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return tokenVariable(env)?.token;
}

function tokenVariable(env: Readonly<Record<string, string | undefined>>): { name: string; token: string } | undefined {
  for (const name of TOKEN_ENV_NAMES) {
    const value = env[name]?.trim();
    if (value) return { name, token: value };
  }
  return undefined;
}

/** A token found in the environment: the variable's name and where it was set (never the value in messages). */
export interface FoundToken {
  readonly token: string;
  readonly name: string;
  readonly source: string;
}

/** The first source (in order) that sets `motherduck_token` or `MOTHERDUCK_TOKEN`; undefined when none does. */
export function findTokenInSources(sources: readonly EnvSource[]): FoundToken | undefined {
  for (const source of sources) {
    const found = tokenVariable(source.values);
    if (found) return { ...found, source: source.description };
  }
  return undefined;
}

export type TokenCheck = { readonly ok: true; readonly token: string; readonly notes: readonly string[] } | { readonly ok: false; readonly error: string };

/**
 * Checks a token typed or pasted in: surrounding whitespace is trimmed (with a note), and an empty
 * token, one with whitespace inside, or a whole connection string is refused. Messages never
 * repeat the value.
 */
export function checkMotherDuckToken(raw: string): TokenCheck {
  const token = raw.trim();
  if (!token) return { ok: false, error: 'Enter a MotherDuck token (MotherDuck → Settings → Access Tokens).' };
  if (/\s/.test(token)) return { ok: false, error: 'A MotherDuck token has no spaces or line breaks inside: copy it again from MotherDuck.' };
  if (/^(md|motherduck):|motherduck_token=/i.test(token)) {
    return { ok: false, error: 'Paste only the token, not a connection string (md:…?motherduck_token=…).' };
  }
  if (token.includes('\0')) return { ok: false, error: 'The token contains a NUL character: copy it again from MotherDuck.' };
  return { ok: true, token, notes: token === raw ? [] : ['Removed the whitespace around the token.'] };
}

/** Where `importMotherDuckToken` stores the token (CredentialStore). */
export interface TokenStore {
  setMotherDuckToken(token: string): Promise<void>;
}

/** Stores a token found in the environment; returns the sentence to add to the import's message. */
export async function importMotherDuckToken(store: TokenStore, found: FoundToken): Promise<string> {
  const checked = checkMotherDuckToken(found.token);
  if (!checked.ok) return `${found.name} (in ${found.source}) was not imported: ${checked.error}`;
  await store.setMotherDuckToken(checked.token);
  return `Imported the MotherDuck token from ${found.name} (${found.source}) into the OS keychain.`;
}

/** Tracks the MotherDuck attachment of one session; the status bar and commands read its state. */
export class MotherDuckConnection {
  private current: MotherDuckState = { kind: 'disconnected' };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly log: Logger) {}

  get state(): MotherDuckState {
    return this.current;
  }

  get isConnected(): boolean {
    return this.current.kind === 'connected';
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Loads the MotherDuck extension, hands it the token and attaches `md:`. On failure the state
   * says why and the local session keeps working (nothing else in it changed).
   */
  async connect(sql: SqlRunner, token: string): Promise<void> {
    registerSecretValue(token);
    this.set({ kind: 'connecting' });
    try {
      await sql.run(MOTHERDUCK_STATEMENTS.load.sql, MOTHERDUCK_STATEMENTS.load.describe);
      const set = setTokenStatement(token);
      await sql.run(set.sql, set.describe);
      await sql.run(MOTHERDUCK_STATEMENTS.attach.sql, MOTHERDUCK_STATEMENTS.attach.describe);
    } catch (error) {
      const translated = translateMotherDuckError(error);
      this.log.error(`MotherDuck: ${translated.message} | ${translated.detail ?? ''}`);
      this.set({ kind: 'failed', message: translated.message });
      throw translated;
    }
    const account = await connectedAccount(sql);
    this.log.info(`MotherDuck attached${account ? ` as ${account}` : ''}`);
    this.set({ kind: 'connected', since: new Date(), ...(account ? { account } : {}) });
  }

  /** Another path (a start hook, a script) attached MotherDuck to the session. */
  markConnected(): void {
    if (this.current.kind !== 'connected') this.set({ kind: 'connected', since: new Date() });
  }

  /** The session was restarted without MotherDuck (Disconnect, or a settings change). */
  markDisconnected(): void {
    if (this.current.kind !== 'disconnected') this.set({ kind: 'disconnected' });
  }

  private set(state: MotherDuckState): void {
    this.current = state;
    for (const listener of this.listeners) listener();
  }
}

/** The account the session is connected as, or undefined when MotherDuck does not say (never fails the connect). */
async function connectedAccount(sql: SqlRunner): Promise<string | undefined> {
  try {
    const value = (await sql.query(MOTHERDUCK_STATEMENTS.account.sql, MOTHERDUCK_STATEMENTS.account.describe))[0]?.account;
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

const SET_TOKEN: ErrorAction = { title: 'Set MotherDuck Token', command: 'duckdbSecrets.setMotherDuckToken' };

/** Says which of the three usual failures it was: extension download, token, network. */
export function translateMotherDuckError(error: unknown): UserFacingError {
  if (error instanceof UserFacingError) return error;
  const detail = stripStatementEcho(errorText(error));
  if (/Failed to download extension "motherduck"|Extension Autoloading Error[\s\S]*motherduck|motherduck\.duckdb_extension/i.test(detail)) {
    return new UserFacingError(
      'Could not connect to MotherDuck: DuckDB could not download its MotherDuck extension (no connection to extensions.duckdb.org). ' +
        'Check your network or proxy; on an air-gapped machine, install the extension into an extension_directory and set it in the duckdbSecrets.duckdb.options setting. The local session keeps working.',
      detail,
      [OPEN_OPTIONS_SETTING],
    );
  }
  if (/unauthenticated|not authenticated|invalid (access )?token|token (is )?(invalid|expired)|jwt|401|unauthorized/i.test(detail)) {
    return new UserFacingError(
      'MotherDuck rejected the token. Create a new access token in MotherDuck (Settings → Access Tokens) and run "Set MotherDuck Token". The local session keeps working.',
      detail,
      [SET_TOKEN],
    );
  }
  if (/could not (establish|resolve)|connection (refused|reset|timed out)|unavailable|network|deadline exceeded|name resolution|failed to connect/i.test(detail)) {
    return new UserFacingError(
      'Could not reach MotherDuck (network unreachable). Check your connection or proxy and try again; the local session keeps working.',
      detail,
    );
  }
  return new UserFacingError(`Could not connect to MotherDuck: ${detail.split('\n')[0] ?? detail}. The local session keeps working.`, detail);
}
