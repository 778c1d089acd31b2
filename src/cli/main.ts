/**
 * The `duckdb-secrets` command line: one commander program, thin over src/core. Results go to
 * stdout, progress and errors to stderr; every line is scrubbed of registered secret values.
 * The exit codes are in cliErrors.ts and in --help.
 */
import { Command, CommanderError, Option } from 'commander';
import { errorText, UserFacingError } from '../core/errors';
import { CliContext, ENV_NAME_DEFAULTS, type GlobalOptions } from './cliContext';
import { EXIT, EXIT_CODES_HELP, exitCodeFor, forTerminal, type ExitCode } from './cliErrors';
import { doctorCommand } from './doctorCommand';
import { scanCommand } from './scanCommand';
import { loadDetector } from './scanEngine';
import { cleanupCommand, createCommand, dropCommand, listCommand, whichCommand } from './secretCommands';
import { Terminal, type Stream } from './terminal';
import { testCommand } from './testCommand';

declare const DUCKDB_SECRETS_VERSION: string | undefined;
/** Set by esbuild from package.json; `dev` when run from tsc's output. */
export const VERSION = typeof DUCKDB_SECRETS_VERSION === 'string' ? DUCKDB_SECRETS_VERSION : 'dev';

export interface CliIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly signal?: AbortSignal;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const DESCRIPTION = `Check and manage the R2 secrets DuckDB uses, from a terminal, CI job or pre-commit hook.

Credentials come from the environment, then from .env in the current folder (or --dotenv),
under the same names as the VS Code extension. Their values are never printed.`;

const EXAMPLES = `
Examples:
  $ duckdb-secrets test                        list and read the bucket in ${ENV_NAME_DEFAULTS.bucketVar}
  $ duckdb-secrets test r2://lake/sales/ --json
  $ duckdb-secrets doctor --duckdb-option extension_directory=/opt/duckdb/extensions
  $ duckdb-secrets scan --staged               in a pre-commit hook
  $ duckdb-secrets scan --format sarif > duckdb-secrets.sarif`;

export function buildProgram(io: CliIo, run: (work: (ctx: CliContext) => Promise<ExitCode>, command: Command) => Promise<void>): Command {
  const program = new Command('duckdb-secrets')
    .description(DESCRIPTION)
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .configureHelp({ helpWidth: 100, sortSubcommands: false, showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError('(duckdb-secrets --help lists the commands and options)')
    // Not --env-file: Node 20 reads a script's `--env-file` argument as its own option (nodejs/node#54232).
    .option('--dotenv <path>', 'read variables from this .env file instead of ./.env')
    .option('--access-key-id-var <name>', 'variable holding the R2 access key id', ENV_NAME_DEFAULTS.accessKeyIdVar)
    .option('--secret-key-var <name>', 'variable holding the R2 secret access key', ENV_NAME_DEFAULTS.secretKeyVar)
    .option('--account-id-var <name>', 'variable holding the Cloudflare account id', ENV_NAME_DEFAULTS.accountIdVar)
    .option('--bucket-var <name>', 'variable holding the default bucket', ENV_NAME_DEFAULTS.bucketVar)
    .option('--endpoint-var <name>', 'variable holding an optional endpoint (host[:port] or URL)', ENV_NAME_DEFAULTS.endpointVar)
    .addOption(
      new Option('--duckdb-option <key=value>', 'DuckDB option, repeatable (extension_directory, allow_unsigned_extensions, secret_directory, …)')
        .argParser(collect)
        .default([], 'none'),
    )
    .option('--verbose', "add DuckDB's original error text and the session log (scrubbed) on stderr")
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .addHelpText('after', EXAMPLES)
    .addHelpText('afterAll', `\n${EXIT_CODES_HELP}`);

  program
    .command('list')
    .description("every secret DuckDB knows (duckdb_secrets()), grouped by storage; MotherDuck's too when motherduck_token is set")
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }, cmd: Command) => run((ctx) => listCommand(ctx, options), cmd));

  program
    .command('test')
    .description('Test R2 Bucket: make a session secret from the credentials, list the bucket, read one object, say which secret applied')
    .argument('[bucket]', `NAME or r2://NAME/prefix (default: ${ENV_NAME_DEFAULTS.bucketVar})`)
    .option('--read <key>', 'object to read for the read check (default: the smallest listed)')
    .option('--name <name>', 'name of the session secret', 'r2_dev_secret')
    .option('--json', 'print the listing summary and per-folder counts as JSON')
    .action((bucket: string | undefined, options: { read?: string; name?: string; json?: boolean }, cmd: Command) =>
      run((ctx) => testCommand(ctx, bucket, { ...options, ...(io.signal ? { signal: io.signal } : {}) }), cmd),
    );

  program
    .command('create')
    .description('create a persistent R2 secret from the credentials: a local file (--persistent) or MotherDuck (--motherduck)')
    .option('--name <name>', 'secret name (default: r2_dev_secret, r2_prod_secret for MotherDuck, or the --target one)')
    .addOption(new Option('--persistent', 'in secret_directory (DuckDB writes it unencrypted)').conflicts('motherduck'))
    .option('--motherduck', 'in MotherDuck (needs motherduck_token)')
    .option('--target <target>', 'dev, prod or a DuckDB target of the dbt profiles.yml (name and storage)')
    .addOption(new Option('--scope <prefix>', 'r2://bucket[/prefix] the secret applies to, repeatable').argParser(collect).default([], 'all of r2://'))
    .option('--replace', 'replace a secret of that name')
    .action((options: { name?: string; persistent?: boolean; motherduck?: boolean; target?: string; scope: string[]; replace?: boolean }, cmd: Command) =>
      run((ctx) => createCommand(ctx, options), cmd),
    );

  program
    .command('which')
    .description('the secret DuckDB would use for a path (which_secret)')
    .argument('<path>', 'e.g. r2://lake/sales/2024.parquet')
    .option('--type <type>', 'secret type', 'r2')
    .option('--json', 'print JSON')
    .action((path: string, options: { type: string; json?: boolean }, cmd: Command) => run((ctx) => whichCommand(ctx, path, options), cmd));

  program
    .command('drop')
    .description('drop one secret from the storage it lives in')
    .argument('<name>', 'secret name')
    .addOption(new Option('--storage <storage>', 'where, when the name is in several').choices(['memory', 'local_file', 'motherduck']))
    .action((name: string, options: { storage?: string }, cmd: Command) => run((ctx) => dropCommand(ctx, name, options), cmd));

  program
    .command('cleanup')
    .description('drop every R2 secret: lists them and asks on a terminal; --yes for scripts; never drops without one of the two')
    .option('-y, --yes', 'drop without asking')
    .option('--json', 'print what was dropped as JSON')
    .action((options: { yes?: boolean; json?: boolean }, cmd: Command) => run((ctx) => cleanupCommand(ctx, options), cmd));

  program
    .command('scan')
    .description('look for hardcoded credentials in files (git-tracked files by default); exit 1 when something is found')
    .argument('[paths...]', 'files or folders to scan instead of the git-tracked files')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--staged', "scan what is staged for the next commit (git's index), for a pre-commit hook")
    .action((paths: string[], options: { format: string; staged?: boolean }, cmd: Command) =>
      run((ctx) => scanCommand(ctx, loadDetector(ctx.names), paths, { ...options, version: VERSION }), cmd),
    );

  program
    .command('doctor')
    .description('check, in order: credentials, their shapes, DuckDB, httpfs, a secret, the bucket, MotherDuck, plaintext secrets')
    .option('--json', 'print the checks as JSON')
    .action((options: { json?: boolean }, cmd: Command) => run((ctx) => doctorCommand(ctx, options), cmd));

  return program;
}

/** Runs the command line; resolves with the exit code (never calls process.exit). */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exit: ExitCode = EXIT.ok;
  let terminal = new Terminal(io.stdout, io.stderr, {}, io.env);
  const run = async (work: (ctx: CliContext) => Promise<ExitCode>, command: Command): Promise<void> => {
    const options = command.optsWithGlobals<GlobalOptions>();
    terminal = new Terminal(io.stdout, io.stderr, { color: options.color !== false, verbose: options.verbose === true }, io.env);
    const ctx = new CliContext(options, terminal, io.cwd, io.env);
    try {
      exit = await work(ctx);
    } finally {
      ctx.dispose();
    }
  };
  const program = buildProgram(io, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? EXIT.ok : EXIT.usage;
    }
    terminal.clearProgress();
    const code = exitCodeFor(error);
    if (code === EXIT.interrupted) {
      terminal.note('Interrupted.');
      return code;
    }
    terminal.error(forTerminal(errorText(error)));
    const detail = error instanceof UserFacingError || (error instanceof Error && 'detail' in error) ? (error as { detail?: string }).detail : undefined;
    if (detail) terminal.detail(`DuckDB said: ${detail}`);
    else if (!(error instanceof UserFacingError) && error instanceof Error && error.name !== 'CliError') terminal.detail(error.stack ?? '');
    return code;
  }
}
