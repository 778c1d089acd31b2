/**
 * `doctor`: the checks in order, each with what to fix. Credential values are never printed, only
 * the names of the variables and where they were found.
 */
import { isExtensionFailure } from '../core/bucket/bucketErrors';
import { describeLocation, resolveEndpoint } from '../core/credentials/profiles';
import { translateDuckDBError } from '../core/duckdb/duckdbErrors';
import { MotherDuckConnection } from '../core/motherduck/motherDuck';
import { listPlaintextSecrets } from '../core/secrets/plaintextSecrets';
import { SETTINGS } from '../core/settings';
import type { CliContext, FoundCredentials } from './cliContext';
import { EXIT, exitCodeFor, forTerminal, type ExitCode } from './cliErrors';

type Status = 'ok' | 'failed' | 'skipped' | 'warning';

interface Check {
  readonly check: string;
  readonly status: Status;
  readonly message: string;
  readonly exitCode?: ExitCode;
}

const MARK: Readonly<Record<Status, string>> = { ok: '✓', failed: '✗', skipped: '–', warning: '!' };

const message = (error: unknown): string => forTerminal(error instanceof Error ? error.message : String(error));

export async function doctorCommand(ctx: CliContext, options: { json?: boolean }): Promise<ExitCode> {
  const checks: Check[] = [];
  const add = (check: Check) => {
    checks.push(check);
    if (!options.json) print(ctx, check);
  };
  const failed = (check: string, error: unknown): Check => ({ check, status: 'failed', message: message(error), exitCode: exitCodeFor(error) });

  // 1–2. Credentials: names and where they were found, then their shapes.
  let found: FoundCredentials | undefined;
  try {
    found = await ctx.credentials();
    const where = new Map<string, string[]>();
    for (const [name, source] of found.found) where.set(source, [...(where.get(source) ?? []), name]);
    add({ check: 'credentials', status: 'ok', message: [...where].map(([source, names]) => `${names.join(', ')} from ${source}`).join('; ') });
    const c = found.credentials;
    const endpoint = resolveEndpoint(c);
    const shape = `account id 32 hex · endpoint ${endpoint.url}${c.jurisdiction === 'custom' ? ' (custom)' : ` (${describeLocation(c)})`} · bucket ${c.bucket}${found.defaultBucket ? ` (default: ${ctx.names.bucket} not set)` : ''}`;
    add({ check: 'shapes', status: found.warnings.length ? 'warning' : 'ok', message: [shape, ...found.warnings, ...found.notes].join(' · ') });
  } catch (error) {
    add(failed('credentials', error));
    add({ check: 'shapes', status: 'skipped', message: 'no credentials to check' });
  }

  // 3. DuckDB itself.
  let duckdb = false;
  try {
    const rows = await ctx.session.query("SELECT library_version AS v FROM pragma_version()", 'duckdb version');
    const version = rows[0]?.v;
    add({ check: 'duckdb', status: 'ok', message: `DuckDB ${typeof version === 'string' ? version : '?'}${optionNames(ctx)}` });
    duckdb = true;
  } catch (error) {
    add(failed('duckdb', error));
  }

  // 4. httpfs: installed in extension_directory, or downloadable; then loadable.
  let httpfs = false;
  if (duckdb) {
    try {
      const rows = await ctx.session.query("SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'", 'httpfs installed?');
      if (rows[0]?.installed !== true) await ctx.session.run('INSTALL httpfs', 'install httpfs');
      await ctx.session.run('LOAD httpfs', 'load httpfs');
      httpfs = true;
      add({ check: 'httpfs', status: 'ok', message: 'loaded' });
    } catch (error) {
      const translated = translateDuckDBError(error, { kind: 'query', what: 'load httpfs' });
      const offline = isExtensionFailure(translated.detail ?? '') || /httpfs/.test(translated.message);
      ctx.terminal.detail(translated.detail ?? '');
      add({
        check: 'httpfs',
        status: 'failed',
        exitCode: EXIT.network,
        message: offline
          ? `not available. ${forTerminal(translated.message)}`
          : message(translated),
      });
    }
  } else add({ check: 'httpfs', status: 'skipped', message: 'DuckDB did not start' });

  // 5. A session secret from the credentials.
  if (found && httpfs) {
    try {
      await ctx.localSecrets().create(found.credentials, { name: SETTINGS['secretName.dev'], persistent: false, scope: [`r2://${found.credentials.bucket}`] });
      add({ check: 'secret', status: 'ok', message: `session secret ${SETTINGS['secretName.dev']} created (TYPE r2)` });
    } catch (error) {
      add(failed('secret', error));
    }
  } else add({ check: 'secret', status: 'skipped', message: !found ? 'no credentials' : 'needs httpfs' });

  // 6. The bucket lists, with the credentials' own S3 client (works without httpfs).
  if (found) {
    const c = found.credentials;
    try {
      const { signedList } = await import('../core/bucket/s3Listing');
      const page = await signedList(c, { bucket: c.bucket, prefix: '', maxKeys: 10, timeoutMs: 15_000 });
      const n = page.objects.length;
      add({ check: 'bucket', status: 'ok', message: `r2://${c.bucket}/ lists (${n}${page.continuation ? '+' : ''} object${n === 1 ? '' : 's'} in the first page)` });
    } catch (error) {
      add(failed('bucket', error));
    }
  } else add({ check: 'bucket', status: 'skipped', message: 'no credentials' });

  // 7. MotherDuck, when a token is set.
  try {
    const token = await ctx.motherDuckToken();
    if (!token) add({ check: 'motherduck', status: 'skipped', message: 'no token set (motherduck_token or MOTHERDUCK_TOKEN)' });
    else {
      await new MotherDuckConnection(ctx.terminal.logger()).connect(ctx.session, token.token);
      add({ check: 'motherduck', status: 'ok', message: `attached md: with ${token.name} from ${token.source}` });
    }
  } catch (error) {
    add(failed('motherduck', error));
  }

  // 8. Persistent secrets DuckDB keeps in plain text.
  if (duckdb) add(await plaintextSecrets(ctx));

  if (options.json) ctx.terminal.json({ checks });
  return checks.find((c) => c.status === 'failed')?.exitCode ?? EXIT.ok;
}

function optionNames(ctx: CliContext): string {
  const names = Object.keys(ctx.duckdbOptions);
  return names.length ? ` (options ${names.join(', ')})` : '';
}

/** The local persistent secrets this session's DuckDB lists, by name and file (core's listing), never their values. */
async function plaintextSecrets(ctx: CliContext): Promise<Check> {
  try {
    const { directory, secrets } = await listPlaintextSecrets(ctx.session);
    if (secrets.length === 0) return { check: 'plaintext', status: 'ok', message: `no persistent secrets in ${directory}` };
    const list = secrets.map((s) => `${s.name} (${s.file}${s.notMovable ? '; stays: ' + s.notMovable : ''})`).join(', ');
    return { check: 'plaintext', status: 'warning', message: `${secrets.length} persistent secret${secrets.length === 1 ? '' : 's'} stored unencrypted: ${list}` };
  } catch (error) {
    return { check: 'plaintext', status: 'skipped', message: message(error) };
  }
}

function print(ctx: CliContext, check: Check): void {
  const t = ctx.terminal;
  const style = check.status === 'ok' ? 'green' : check.status === 'failed' ? 'red' : check.status === 'warning' ? 'yellow' : 'dim';
  t.out(`${t.style(style, MARK[check.status])} ${check.check.padEnd(11)} ${check.message}`);
}
