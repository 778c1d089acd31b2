/**
 * What every command shares: the global options, the credentials from the environment and a
 * `.env` file (read the way the extension's import reads them, with its validation messages), the
 * MotherDuck token, and one DuckDB session opened with the --duckdb-option values.
 */
import { parse } from 'dotenv';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { collectEnv, describeSources, missingMessage, validateEnvProfile, type EnvNames, type EnvSource } from '../core/credentials/envImport';
import type { Credentials } from '../core/credentials/profiles';
import { DuckDBSession } from '../core/duckdb/duckdbSession';
import { findTokenInSources, checkMotherDuckToken } from '../core/motherduck/motherDuck';
import { registerSecretValue } from '../core/redaction';
import { LocalSecrets } from '../core/secrets/localSecrets';
import { MemoryRecordStorage, SessionSecretRecords } from '../core/secrets/sessionSecretRecords';
import { SETTINGS } from '../core/settings';
import { CliError, EXIT, usageError } from './cliErrors';
import type { Terminal } from './terminal';

/** The options every command takes (commander's `optsWithGlobals()`). */
export interface GlobalOptions {
  readonly dotenv?: string;
  readonly accessKeyIdVar: string;
  readonly secretKeyVar: string;
  readonly accountIdVar: string;
  readonly bucketVar: string;
  readonly endpointVar: string;
  readonly duckdbOption: readonly string[];
  readonly verbose?: boolean;
  readonly color?: boolean;
}

/** Defaults of the variable-name flags: the extension's `duckdbSecrets.env.*` settings. */
export const ENV_NAME_DEFAULTS = {
  accessKeyIdVar: SETTINGS['env.accessKeyId'],
  secretKeyVar: SETTINGS['env.secretKey'],
  accountIdVar: SETTINGS['env.accountId'],
  bucketVar: SETTINGS['env.bucket'],
  endpointVar: SETTINGS['env.endpoint'],
} as const;

/** `key=value` pairs from repeated --duckdb-option flags. */
export function parseDuckDBOptions(pairs: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw usageError(`--duckdb-option takes key=value (e.g. extension_directory=/opt/duckdb/extensions); got "${pair.slice(0, 60)}".`);
    options[key] = pair.slice(eq + 1);
  }
  return options;
}

export interface FoundCredentials {
  readonly credentials: Credentials;
  readonly names: EnvNames;
  /** Variable name → where it was set (the environment, or the .env file's path). */
  readonly found: ReadonlyMap<string, string>;
  readonly sources: readonly EnvSource[];
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  readonly defaultBucket: boolean;
}

export class CliContext {
  private sessionInstance: DuckDBSession | undefined;
  private sourcesRead: Promise<EnvSource[]> | undefined;
  readonly names: EnvNames;
  readonly duckdbOptions: Readonly<Record<string, string>>;

  constructor(
    readonly options: GlobalOptions,
    readonly terminal: Terminal,
    readonly cwd: string = process.cwd(),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.names = {
      accessKeyId: options.accessKeyIdVar,
      secretKey: options.secretKeyVar,
      accountId: options.accountIdVar,
      bucket: options.bucketVar,
      endpoint: options.endpointVar,
    };
    this.duckdbOptions = parseDuckDBOptions(options.duckdbOption);
  }

  /** The environment first, then the .env file (--dotenv, or `.env` in the current folder when there is one). */
  sources(): Promise<EnvSource[]> {
    this.sourcesRead ??= (async () => {
      const sources: EnvSource[] = [{ description: 'the environment', kind: 'host', values: this.env }];
      const explicit = this.options.dotenv !== undefined;
      const file = path.resolve(this.cwd, this.options.dotenv ?? '.env');
      let text: string | undefined;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'read error';
        if (explicit || code !== 'ENOENT') throw new CliError(`Could not read ${file}: ${code}.`, EXIT.credentials);
      }
      if (text !== undefined) sources.push({ description: path.relative(this.cwd, file).startsWith('..') ? file : `./${path.relative(this.cwd, file)}`, kind: 'file', values: parse(text) });
      return sources;
    })();
    return this.sourcesRead;
  }

  /**
   * The R2 credentials, validated with the extension's messages (naming the variables). Missing or
   * invalid ones end the command with exit code 3. Both keys are registered with the scrubber.
   */
  async credentials(): Promise<FoundCredentials> {
    const sources = await this.sources();
    const result = collectEnv(this.names, sources);
    for (const value of [result.input.accessKeyId, result.input.secretAccessKey]) if (typeof value === 'string') registerSecretValue(value.trim());
    if (result.missing.length > 0) throw new CliError(missingMessage(result), EXIT.credentials);
    if (result.problems.length > 0) throw new CliError(result.problems.join(' '), EXIT.credentials);
    let valid;
    try {
      valid = validateEnvProfile(this.names, { ...result.input, label: 'environment' });
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error), EXIT.credentials);
    }
    const { accessKeyId, secretAccessKey } = valid.secrets;
    if (accessKeyId === undefined || secretAccessKey === undefined) throw new CliError(missingMessage({ missing: [this.names.accessKeyId, this.names.secretKey], sources }), EXIT.credentials);
    return {
      credentials: { id: 'environment', ...valid.info, accessKeyId, secretAccessKey },
      names: this.names,
      found: result.found,
      sources,
      notes: valid.notes,
      warnings: valid.warnings,
      defaultBucket: result.defaultBucket,
    };
  }

  /** The MotherDuck token from `motherduck_token` / `MOTHERDUCK_TOKEN`, checked; undefined when none is set. */
  async motherDuckToken(): Promise<{ token: string; name: string; source: string } | undefined> {
    const found = findTokenInSources(await this.sources());
    if (!found) return undefined;
    registerSecretValue(found.token);
    const checked = checkMotherDuckToken(found.token);
    if (!checked.ok) throw new CliError(`${found.name} (in ${found.source}): ${checked.error}`, EXIT.credentials);
    registerSecretValue(checked.token);
    return { token: checked.token, name: found.name, source: found.source };
  }

  describeSources(sources: readonly EnvSource[]): string {
    return describeSources(sources);
  }

  /** One in-memory DuckDB session for the command, opened on first use. */
  get session(): DuckDBSession {
    this.sessionInstance ??= new DuckDBSession({ path: ':memory:', options: this.duckdbOptions }, this.terminal.logger());
    return this.sessionInstance;
  }

  localSecrets(): LocalSecrets {
    return new LocalSecrets(this.session, this.terminal.logger(), new SessionSecretRecords(new MemoryRecordStorage()));
  }

  dispose(): void {
    this.sessionInstance?.dispose();
  }
}
