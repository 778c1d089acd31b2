/**
 * Reads local persistent secrets back in full, for Move to Keychain. DuckDB shows values only to an
 * instance opened with `allow_unredacted_secrets = true`, which cannot be switched on while a
 * database runs: so the values are read through a short-lived separate instance on the same
 * `secret_directory`, closed right after; the window's session keeps its redaction.
 *
 * `secret_string` is `name=…;type=…;provider=…;serializable=true;scope=…;key=value;…` with nothing
 * escaped, so a value holding `;` (or `=`) can be split wrongly, and a wrong split can even print the
 * same text. `verifyRoundTrip` settles it: it writes the parsed secret as DuckDB would, into a
 * throw-away folder, and compares that file with the original byte for byte (DuckDB's file format is
 * length-prefixed, so a wrong split cannot produce the same bytes). No VS Code import.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Row, SqlRunner } from '../duckdb/sqlRunner';
import { errorText } from '../errors';
import { registerSecretValue, scrub } from '../redaction';
import { stripStatementEcho } from '../duckdb/duckdbErrors';
import { secretFile, type MovableKind } from './plaintextSecrets';
import { createSecretWithParameters, listUnredactedLocalSecrets, type SecretParameter } from './secretSql';

/** A local persistent secret as the unredacted listing gives it. `secretString` holds values in clear: never log it. */
export interface UnredactedSecret {
  readonly name: string;
  readonly type: string;
  readonly provider: string;
  readonly scope: readonly string[];
  readonly secretString: string;
}

/** A secret split into what the keychain takes and what stays a plain parameter. */
export interface ParsedSecret {
  readonly name: string;
  readonly type: string;
  readonly scope: readonly string[];
  readonly keyId: string;
  readonly secret: string;
  /** Every other parameter, as DuckDB stored it, in its order. Not secret (the kind refuses those). */
  readonly parameters: readonly SecretParameter[];
}

export type ParseResult = { readonly ok: true; readonly secret: ParsedSecret } | { readonly ok: false; readonly reason: string };

export const AMBIGUOUS = 'its values cannot be read back without ambiguity (a value holds ";" or "=", which DuckDB does not escape)';

/** DuckDB options for a short-lived instance: the window's own (extension directory…), on `directory`. */
export function shortLivedOptions(base: Readonly<Record<string, string>>, directory: string, unredacted: boolean): Record<string, string> {
  return { ...base, secret_directory: directory, allow_unredacted_secrets: unredacted ? 'true' : 'false' };
}

/** Opens a separate in-memory DuckDB with `options`, runs `work`, and closes it whatever happens. */
export async function withShortLivedDuckDB<T>(options: Readonly<Record<string, string>>, work: (sql: SqlRunner) => Promise<T>): Promise<T> {
  const duckdb = await import('@duckdb/node-api');
  // Stryker disable next-line StringLiteral: DuckDB opens an in-memory database for "" as for ":memory:"
  const instance = await duckdb.DuckDBInstance.create(':memory:', { ...options });
  try {
    const connection = await instance.connect();
    try {
      return await work(new ConnectionRunner(connection));
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * The named local persistent secrets in `directory`, values included, read through a short-lived
 * instance opened with `allow_unredacted_secrets` (and `base`'s other options, so httpfs loads as in
 * the window). `parseUnredacted` registers the key pair with the scrubber.
 */
export async function readUnredactedLocalSecrets(directory: string, base: Readonly<Record<string, string>>, names: readonly string[]): Promise<UnredactedSecret[]> {
  const statement = listUnredactedLocalSecrets(names);
  const rows = await withShortLivedDuckDB(shortLivedOptions(base, directory, true), (sql) => sql.query(statement.sql, statement.describe));
  return rows.map(toUnredacted);
}

function toUnredacted(row: Row): UnredactedSecret {
  return {
    name: String(row.name),
    type: String(row.type),
    provider: String(row.provider),
    // Stryker disable next-line ArrayDeclaration: duckdb_secrets() always lists scope as a list; the fallback only narrows the type
    scope: Array.isArray(row.scope) ? row.scope.map(String) : [],
    // Stryker disable next-line ConditionalExpression,StringLiteral: duckdb_secrets() always gives secret_string as text; the check and its '' only narrow the type
    secretString: typeof row.secret_string === 'string' ? row.secret_string : '',
  };
}

/**
 * Splits `secret_string` into the key pair and the other parameters, for `kind`. Refuses, with a
 * reason that never quotes a value or a field name (a "name" may be part of a value), anything it
 * cannot take: a refused parameter, a value of the wrong form, an unknown field, a missing key.
 */
export function parseUnredacted(secret: UnredactedSecret, kind: MovableKind): ParseResult {
  const refuse = (reason: string): ParseResult => ({ ok: false, reason });
  const prefix = `name=${secret.name};type=${secret.type};provider=${secret.provider};serializable=true;scope${secret.scope.length ? `=${secret.scope.join(',')}` : ''}`;
  if (!secret.secretString.startsWith(prefix)) return refuse('DuckDB listed it in a form this version does not read');
  const rest = secret.secretString.slice(prefix.length);
  if (rest !== '' && !rest.startsWith(';')) return refuse(AMBIGUOUS);
  const seen = new Set<string>();
  let keyId: string | undefined;
  let value: string | undefined;
  const parameters: SecretParameter[] = [];
  for (const token of rest === '' ? [] : rest.slice(1).split(';')) {
    const eq = token.indexOf('=');
    if (eq <= 0) return refuse(AMBIGUOUS);
    const key = token.slice(0, eq);
    const text = token.slice(eq + 1);
    if (seen.has(key)) return refuse(AMBIGUOUS);
    seen.add(key);
    const refused = kind.refused[key];
    if (refused !== undefined) return refuse(refused);
    if (key === kind.keyIdParam) keyId = text;
    else if (key === kind.secretParam) value = text;
    else {
      const type = kind.parameters[key];
      if (type === undefined) return refuse(`it has a field this version does not move, or ${AMBIGUOUS}`);
      if (type === 'boolean' && text !== 'true' && text !== 'false') return refuse(AMBIGUOUS);
      parameters.push({ key, value: type === 'boolean' ? text === 'true' : text });
    }
  }
  registerSecretValue(keyId);
  registerSecretValue(value);
  if (!keyId || !value) return refuse(`it has no ${!keyId ? 'key id' : 'secret'}, so there is no key pair to keep`);
  return { ok: true, secret: { name: secret.name, type: secret.type, scope: secret.scope, keyId, secret: value, parameters } };
}

/** The parameters of `parsed` in the order `CREATE SECRET` takes them: the key pair first. */
export function allParameters(parsed: ParsedSecret, kind: MovableKind): SecretParameter[] {
  return [{ key: kind.keyIdParam, value: parsed.keyId }, { key: kind.secretParam, value: parsed.secret }, ...parsed.parameters];
}

/**
 * Proves each parse exact: re-creates every parsed secret as a persistent secret in a fresh folder
 * inside `directory` (0700, beside the originals, so no copy lands anywhere the plaintext was not
 * already), compares the files byte for byte, and removes the folder at once. Returns the reason
 * each failing secret is refused; absent names passed.
 */
export async function verifyRoundTrip(
  parsed: readonly ParsedSecret[],
  kinds: readonly MovableKind[],
  directory: string,
  base: Readonly<Record<string, string>>,
): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  // Stryker disable next-line ConditionalExpression: with nothing to check the loop adds nothing either; the early return only skips opening an instance
  if (parsed.length === 0) return refused;
  const checkDir = fs.mkdtempSync(path.join(directory, '.move-check-'));
  try {
    fs.chmodSync(checkDir, 0o700);
    // Stryker disable next-line BooleanLiteral: the check instance only writes files, which redaction does not touch; unredacted is off as a precaution
    await withShortLivedDuckDB(shortLivedOptions(base, checkDir, false), async (sql) => {
      for (const secret of parsed) {
        const kind = kinds.find((k) => k.type === secret.type);
        if (!kind) {
          refused.set(secret.name, `its type ${secret.type} does not move`);
          continue;
        }
        try {
          const statement = createSecretWithParameters(secret.type, allParameters(secret, kind), {
            name: secret.name,
            persistence: 'persistent',
            storage: 'local_file',
            // Stryker disable next-line BooleanLiteral: the check folder is fresh and listed names are unique, so there is never anything to replace
            replace: false,
            scope: secret.scope,
          });
          await sql.run(statement.sql, statement.describe);
        } catch (error) {
          refused.set(secret.name, `DuckDB would not re-create it from the values read (${firstLine(errorText(error))})`);
          continue;
        }
        if (!sameBytes(secretFile(directory, secret.name), secretFile(checkDir, secret.name))) refused.set(secret.name, AMBIGUOUS);
      }
    });
  } finally {
    fs.rmSync(checkDir, {
      recursive: true,
      // Stryker disable next-line BooleanLiteral: the folder was made above and nothing else removes it, so force never matters; kept for safety
      force: true,
    });
  }
  return refused;
}

function sameBytes(a: string, b: string): boolean {
  try {
    return fs.readFileSync(a).equals(fs.readFileSync(b));
    // Stryker disable next-line BlockStatement: an empty catch returns undefined, which the only caller reads as false too
  } catch {
    return false;
  }
}

/** DuckDB's error without an echoed statement (which may hold a value), scrubbed: its first line. */
function firstLine(text: string): string {
  const first = stripStatementEcho(text).split('\n')[0];
  // Stryker disable next-line StringLiteral: split always gives a first element; the fallback only narrows the type
  return scrub(first ?? '').slice(0, 200);
}

class ConnectionRunner implements SqlRunner {
  constructor(private readonly connection: DuckDBConnection) {}
  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }
  async query(sql: string): Promise<Row[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJson();
  }
}
