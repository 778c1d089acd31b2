/**
 * `list`, `which`, `drop`, `cleanup` and `create`: the Secrets view's work from a terminal, through
 * the core's LocalSecrets (and MotherDuck when a token is set).
 */
import { createInterface } from 'node:readline/promises';
import { readDbtProfiles, profilesCandidates } from '../core/credentials/dbtProfiles';
import { MotherDuckConnection } from '../core/motherduck/motherDuck';
import type { SecretRef } from '../core/secrets/localSecrets';
import { MotherDuckSecrets } from '../core/secrets/motherDuckSecrets';
import { groupByStorage, storageLabel, type SecretInfo } from '../core/secrets/secretsModel';
import { findTarget, targetSecrets, type TargetStorage } from '../core/secrets/targetSecrets';
import { SETTINGS } from '../core/settings';
import type { CliContext } from './cliContext';
import { CliError, EXIT, forTerminal, usageError, type ExitCode } from './cliErrors';

/** Enough of an access key id to tell keys apart, not enough to use one (as the Secrets view's tooltip). */
export function maskKeyId(keyId: string | undefined): string {
  if (!keyId) return '';
  return keyId.length < 16 ? '••••' : `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
}

function secretJson(s: SecretInfo) {
  return {
    name: s.name,
    type: s.type,
    provider: s.provider,
    storage: s.storage,
    persistent: s.persistent,
    scope: s.scope,
    keyId: maskKeyId(s.fields.get('key_id')) || undefined,
    endpoint: s.fields.get('endpoint'),
  };
}

/** Attaches MotherDuck when a token is set. Returns a warning when that failed (the local part still works). */
async function withMotherDuck(ctx: CliContext): Promise<MotherDuckSecrets | undefined> {
  const found = await ctx.motherDuckToken();
  if (!found) return undefined;
  const connection = new MotherDuckConnection(ctx.terminal.logger());
  const md = new MotherDuckSecrets(ctx.session, connection, { hasMotherDuckToken: () => true, motherDuckToken: () => Promise.resolve(found.token) }, ctx.terminal.logger());
  await md.connect();
  return md;
}

export async function listCommand(ctx: CliContext, options: { json?: boolean }): Promise<ExitCode> {
  const t = ctx.terminal;
  let exit: ExitCode = EXIT.ok;
  let motherDuck: string | undefined;
  try {
    await withMotherDuck(ctx);
  } catch (error) {
    motherDuck = forTerminal(error instanceof Error ? error.message : String(error));
    t.warn(`MotherDuck secrets not listed: ${motherDuck}`);
    exit = EXIT.network;
  }
  const secrets = await ctx.localSecrets().list();
  if (options.json) {
    t.json({ secrets: secrets.map(secretJson), ...(motherDuck ? { motherDuckError: motherDuck } : {}) });
    return exit;
  }
  if (secrets.length === 0) {
    t.out('No secrets. (Persistent secrets are read from secret_directory; pass --duckdb-option secret_directory=… for another folder.)');
    return exit;
  }
  for (const group of groupByStorage(secrets)) {
    t.out(t.style('bold', `${group.label} (${group.secrets.length})`));
    const rows = group.secrets.map((s) => [s.name, s.type, s.scope.join(', ') || '(default)', maskKeyId(s.fields.get('key_id'))]);
    for (const line of table([['NAME', 'TYPE', 'SCOPE', 'KEY ID'], ...rows])) t.out(`  ${line}`);
  }
  return exit;
}

export async function whichCommand(ctx: CliContext, target: string, options: { type: string; json?: boolean }): Promise<ExitCode> {
  await withMotherDuck(ctx).catch((error: unknown) => ctx.terminal.warn(`MotherDuck not attached: ${forTerminal(String((error as Error).message))}`));
  const applied = await ctx.localSecrets().which(target, options.type);
  if (options.json) {
    ctx.terminal.json({ path: target, secret: applied ?? null });
    return applied ? EXIT.ok : EXIT.notFound;
  }
  if (!applied) throw new CliError(`No ${options.type} secret applies to ${target}.`, EXIT.notFound);
  ctx.terminal.out(`${applied.name}\t${storageLabel(applied.storage)}`);
  return EXIT.ok;
}

export async function dropCommand(ctx: CliContext, name: string, options: { storage?: string }): Promise<ExitCode> {
  if (options.storage === 'motherduck') await withMotherDuck(ctx);
  const secrets = ctx.localSecrets();
  const matches = (await secrets.find(name)).filter((s) => !options.storage || s.storage === options.storage);
  if (matches.length === 0) throw new CliError(`Secret "${name}" does not exist${options.storage ? ` in ${storageLabel(options.storage)}` : ''}. Run duckdb-secrets list to see what is there.`, EXIT.notFound);
  if (matches.length > 1) {
    throw usageError(`Secret "${name}" exists in ${matches.map((m) => `${storageLabel(m.storage)} (--storage ${m.storage})`).join(' and ')}: pass --storage to choose.`);
  }
  const [secret] = matches as [SecretInfo];
  await secrets.drop(secret);
  ctx.terminal.out(`Dropped ${secret.name} from ${storageLabel(secret.storage)}.`);
  return EXIT.ok;
}

export async function cleanupCommand(ctx: CliContext, options: { yes?: boolean; json?: boolean; input?: NodeJS.ReadableStream & { isTTY?: boolean } }): Promise<ExitCode> {
  const t = ctx.terminal;
  await withMotherDuck(ctx).catch((error: unknown) => t.warn(`MotherDuck secrets not included: ${forTerminal(String((error as Error).message))}`));
  const secrets = ctx.localSecrets();
  const r2 = await secrets.r2Secrets();
  if (r2.length === 0) {
    if (options.json) t.json({ dropped: [], failed: [] });
    else t.out('No R2 secrets to clean up.');
    return EXIT.ok;
  }
  const input = options.input ?? process.stdin;
  if (!options.yes) {
    t.note(`These R2 secrets would be dropped:`);
    for (const s of r2) t.note(`  ${s.name}  ${storageLabel(s.storage)}`);
    if (input.isTTY !== true || t.stderr.isTTY !== true) throw usageError('Not dropping anything without a question answered: pass --yes to drop them from a script.');
    const rl = createInterface({ input, output: t.stderr as NodeJS.WritableStream });
    const answer = await rl.question(`Drop ${r2.length} secret${r2.length === 1 ? '' : 's'}? [y/N] `).finally(() => rl.close());
    if (!/^y(es)?$/i.test(answer.trim())) {
      t.note('Nothing dropped.');
      return EXIT.ok;
    }
  }
  const report = await secrets.dropAll(r2.map((s): SecretRef => ({ name: s.name, storage: s.storage })));
  if (options.json) {
    t.json({ dropped: report.dropped, failed: report.failed.map((f) => ({ ...f.secret, message: forTerminal(f.message) })) });
  } else {
    for (const d of report.dropped) t.out(`Dropped ${d.name} from ${storageLabel(d.storage)}.`);
    for (const f of report.failed) t.error(`${f.secret.name} (${storageLabel(f.secret.storage)}): ${forTerminal(f.message)}`);
  }
  return report.failed.length > 0 ? EXIT.failed : EXIT.ok;
}

export interface CreateOptions {
  readonly name?: string;
  readonly persistent?: boolean;
  readonly motherduck?: boolean;
  readonly target?: string;
  readonly scope?: readonly string[];
  readonly replace?: boolean;
}

export async function createCommand(ctx: CliContext, options: CreateOptions): Promise<ExitCode> {
  const t = ctx.terminal;
  if (options.persistent && options.motherduck) throw usageError('Choose one of --persistent and --motherduck.');
  let storage: TargetStorage | 'local_file' | undefined = options.persistent ? 'local_file' : options.motherduck ? 'motherduck' : undefined;
  let name = options.name;
  if (options.target !== undefined) {
    // As dbt looks: DBT_PROFILES_DIR, then the current folder (a dbt project), then ~/.dbt.
    const file = await readDbtProfiles((await profilesCandidates({ workspaceFolders: [ctx.cwd], projectDirs: [ctx.cwd] })).map((c) => c.file));
    const targets = targetSecrets(file, { target: SETTINGS.target, devName: SETTINGS['secretName.dev'], prodName: SETTINGS['secretName.prod'] });
    const target = findTarget(targets, options.target);
    if (!target) throw usageError(`No dbt target "${options.target}"${file ? ` in ${file.file}` : ''}: choose one of ${targets.map((x) => x.target).join(', ')}.`);
    name ??= target.name;
    storage ??= target.storage === 'motherduck' ? 'motherduck' : undefined;
  }
  if (storage === undefined) {
    throw usageError(
      'A session secret lives only as long as the process that creates it, so `create` makes a persistent one: pass --persistent (a local file, unencrypted) ' +
        'or --motherduck. To check credentials and a bucket with a session secret, run duckdb-secrets test.',
    );
  }
  const { credentials } = await ctx.credentials();
  const scope = options.scope ?? [];
  if (storage === 'motherduck') {
    name ??= SETTINGS['secretName.prod'];
    const md = await withMotherDuck(ctx);
    if (!md) throw new CliError('--motherduck needs a MotherDuck token in motherduck_token or MOTHERDUCK_TOKEN (environment or .env).', EXIT.credentials);
    const made = await md.create(credentials, { name, scope });
    t.out(`Created ${made.name} in MotherDuck.`);
    return EXIT.ok;
  }
  name ??= SETTINGS['secretName.dev'];
  const secrets = ctx.localSecrets();
  const directory = await secrets.secretDirectory();
  t.warn(`DuckDB stores persistent secrets unencrypted: the keys will be in plain text in ${directory || 'secret_directory'}.`);
  const made = await secrets.create(credentials, { name, persistent: true, replace: options.replace ?? false, scope });
  t.out(`Created ${made.name} in ${storageLabel(made.storage)} (${directory}).`);
  return EXIT.ok;
}

/** Left-aligned columns, two spaces apart; trailing blanks trimmed. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}
