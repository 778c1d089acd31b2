/**
 * Attaching MotherDuck to the extension's DuckDB session, on demand, with a token read from
 * SecretStorage. The token goes into the session with `SET motherduck_token` (built by secretSql's
 * one escaping function) and never into a connection string, a log line or an error text.
 * No VS Code import.
 */
import type { Row, SqlRunner } from '../duckdb/sqlRunner';
import type { EnvSource } from '../credentials/envImport';
import { UserFacingError, errorText, type ErrorAction } from '../errors';
import type { Prompter } from '../prompts';
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
  /** Set in a workspace file (`.env`), not the extension host's own environment. */
  readonly workspaceFile: boolean;
}

/** The first source (in order) that sets `motherduck_token` or `MOTHERDUCK_TOKEN`; undefined when none does. */
export function findTokenInSources(sources: readonly EnvSource[]): FoundToken | undefined {
  for (const source of sources) {
    const found = tokenVariable(source.values);
    if (found) return { ...found, source: source.description, workspaceFile: source.kind === 'file' };
  }
  return undefined;
}

export type TokenCheck = { readonly ok: true; readonly token: string; readonly notes: readonly string[] } | { readonly ok: false; readonly error: string };

const BASE64URL_PART = /^[A-Za-z0-9_-]+$/;
/** Words of the placeholders `.env.template` files carry (`your-motherduck-jwt-token`, `<token>`, `xxx`). */
const PLACEHOLDER = /your|token|here|change.?me|placeholder|example|x{3,}|<|>|\.\.\./i;

/** True for a JWT's shape: three base64url parts, the first a JSON header naming its algorithm. */
function isJwtShaped(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL_PART.test(p))) return false;
  let header: { alg?: unknown } | null; // any JSON: a string or a number has no alg either
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown } | null;
  } catch {
    return false;
  }
  return header !== null && typeof header.alg === 'string';
}

/**
 * Checks a token typed, pasted, passed or imported: surrounding whitespace is trimmed (with a
 * note); an empty token, one with whitespace inside, a whole connection string, a placeholder or
 * anything not shaped like a JWT is refused. Messages name the problem, never the value.
 */
export function checkMotherDuckToken(raw: string): TokenCheck {
  const token = raw.trim();
  if (!token) return { ok: false, error: 'Enter a MotherDuck token (MotherDuck → Settings → Access Tokens).' };
  if (/\s/.test(token)) return { ok: false, error: 'A MotherDuck token has no spaces or line breaks inside: copy it again from MotherDuck.' };
  if (/^(md|motherduck):|motherduck_token=/i.test(token)) {
    return { ok: false, error: 'Paste only the token, not a connection string (md:…?motherduck_token=…).' };
  }
  if (token.includes('\0')) return { ok: false, error: 'The token contains a NUL character: copy it again from MotherDuck.' };
  if (!isJwtShaped(token)) {
    const placeholder = !token.includes('.') && PLACEHOLDER.test(token);
    return {
      ok: false,
      error: placeholder
        ? 'This looks like a placeholder from a template, not a MotherDuck token. A token is a JWT (three base64url parts separated by dots, starting with eyJ): create one in MotherDuck → Settings → Access Tokens.'
        : 'This is not a MotherDuck token: a token is a JWT, three base64url parts separated by dots (starting with eyJ). Copy it again from MotherDuck → Settings → Access Tokens.',
    };
  }
  return { ok: true, token, notes: token === raw ? [] : ['Removed the whitespace around the token.'] };
}

/** Where `storeMotherDuckToken` keeps the token (CredentialStore). */
export interface TokenStore {
  hasMotherDuckToken(): boolean;
  motherDuckToken(): Promise<string | undefined>;
  setMotherDuckToken(token: string): Promise<void>;
}

/** Where a token to store came from: typed into Set MotherDuck Token, passed by a command's caller, or found in an environment. */
export type TokenOrigin =
  | { readonly kind: 'typed' }
  | { readonly kind: 'argument' }
  | { readonly kind: 'environment'; readonly name: string; readonly source: string; readonly workspaceFile: boolean };

/** The modal question to ask before storing, or undefined to store without asking. */
export interface TokenQuestion {
  readonly message: string;
  readonly detail: string;
  readonly confirmLabel: string;
}

const EVERY_WINDOW =
  'The token is kept in the OS keychain for every window: Connect to MotherDuck, Create Persistent R2 Secret in MotherDuck and the prod target then use its account, and R2 keys you store in MotherDuck go to that account.';

/**
 * Whether storing `next` needs the user's yes. Replacing a stored token always does (whoever asks),
 * and so does a first token that a workspace file or a command's caller chose. Only a token the
 * user typed, or one from the extension host's own environment with none stored, is stored
 * without a question. The same token as the stored one is no change: nothing is asked or stored.
 */
export function tokenQuestion(origin: TokenOrigin, stored: string | undefined, next: string): TokenQuestion | 'same' | undefined {
  if (stored === next) return 'same';
  if (origin.kind === 'typed') return undefined;
  const from = origin.kind === 'environment' ? ` from ${origin.name} in ${origin.source}` : ' given by a command (another extension, a link or a script)';
  if (stored !== undefined) {
    return { message: `Replace the stored MotherDuck token with the one${from}?`, detail: EVERY_WINDOW, confirmLabel: 'Replace Token' };
  }
  if (origin.kind === 'argument' || origin.workspaceFile) {
    return { message: `Store the MotherDuck token${from} in the OS keychain?`, detail: `${EVERY_WINDOW} Store it only if it is your own token.`, confirmLabel: 'Store Token' };
  }
  return undefined;
}

export type TokenStoreOutcome = 'stored' | 'same' | 'declined';

/** Stores a checked token after asking what `tokenQuestion` says to ask. */
export async function storeMotherDuckToken(
  store: TokenStore,
  confirm: Pick<Prompter, 'confirm'>,
  token: string,
  origin: TokenOrigin,
): Promise<TokenStoreOutcome> {
  registerSecretValue(token);
  const stored = store.hasMotherDuckToken() ? await store.motherDuckToken() : undefined;
  const question = tokenQuestion(origin, stored, token);
  if (question === 'same') return 'same';
  if (question && !(await confirm.confirm(question.message, question.confirmLabel, { modal: true, detail: question.detail }))) return 'declined';
  await store.setMotherDuckToken(token);
  return 'stored';
}

/**
 * Imports a token found in the environment, asking first when a workspace file chose it or a
 * stored token would be replaced; returns the sentence to add to the import's message.
 */
export async function importMotherDuckToken(store: TokenStore, confirm: Pick<Prompter, 'confirm'>, found: FoundToken): Promise<string> {
  const where = `${found.name} (${found.source})`;
  const checked = checkMotherDuckToken(found.token);
  if (!checked.ok) return `${found.name} (in ${found.source}) was not imported: ${checked.error}`;
  const outcome = await storeMotherDuckToken(store, confirm, checked.token, {
    kind: 'environment',
    name: found.name,
    source: found.source,
    workspaceFile: found.workspaceFile,
  });
  if (outcome === 'same') return `The MotherDuck token in ${where} is the one already stored.`;
  if (outcome === 'declined') return `The MotherDuck token in ${where} was not imported.`;
  return `Imported the MotherDuck token from ${where} into the OS keychain.`;
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
      this.log.error(`MotherDuck: ${translated.message}${translated.detail ? ` | ${translated.detail}` : ''}`);
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
  let rows: Row[];
  try {
    rows = await sql.query(MOTHERDUCK_STATEMENTS.account.sql, MOTHERDUCK_STATEMENTS.account.describe);
  } catch {
    return undefined;
  }
  const value = rows[0]?.account;
  const account = typeof value === 'string' ? value.trim().slice(0, 200) : '';
  return account || undefined;
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
