/**
 * The secret commands: Create R2 Secret, Create Persistent Local R2 Secret, Which Secret Applies…,
 * Copy as SQL, Delete Secret and Clean Up R2 Secrets. Each takes a Secrets tree node (context menu)
 * or an arguments object (`executeCommand`, scripts and tests: anything left out takes its default
 * without a question) and otherwise asks through the Prompter. The work itself is in localSecrets.ts.
 */
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands';
import type { CommandUi, CommandUiHolder } from '../commandUi';
import { readSetting } from '../config';
import { missingCredentialsError, missingR2Fields } from '../../core/duckdb/duckdbErrors';
import { CancelledError, UserFacingError } from '../../core/errors';
import type { CleanupReport, LocalSecrets, SecretRef } from '../../core/secrets/localSecrets';
import type { CredentialSource, Credentials } from '../../core/credentials/profiles';
import type { PickItem, Prompter } from '../../core/prompts';
import { storageLabel, type SecretInfo } from '../../core/secrets/secretsModel';
import { knownSchemes, secretTypeForPath } from '../../core/secrets/secretTypes';
import type { SecretsTreeModel } from '../../core/secrets/secretsTreeModel';
import { SecretNode } from './secretsView';
import { copyListedSecret, MOTHERDUCK_STORAGE, r2SecretKind, secretNameProblem } from '../../core/secrets/secretSql';

/** Where the commands ask and tell; tests put a scripted prompter and a recording sink in. */
export interface SecretCommandDeps {
  readonly secrets: LocalSecrets;
  readonly credentials: CredentialSource;
  readonly tree: SecretsTreeModel;
  readonly ui: CommandUiHolder;
  /** Interrupts the DuckDB statement now running (cancelling a slow create). */
  readonly interrupt: () => void;
  /** Connects MotherDuck before a secret stored there is dropped (motherDuckSecrets.ts). */
  readonly motherDuck?: { ensureConnected(): Promise<unknown> };
}

/** `executeCommand` arguments for the two create commands and Copy as SQL. */
export interface CreateArgs {
  readonly name?: string;
  /** `r2://bucket[/prefix]`; empty or missing for DuckDB's default scope. */
  readonly scope?: string;
  /** Persistent create only: skips the unencrypted-on-disk warning (the caller has shown it). */
  readonly confirmed?: boolean;
  /** Persistent create only: replace a local persistent secret of the same name. */
  readonly replace?: boolean;
}

export interface DeleteArgs {
  readonly name: string;
  /** `memory`, `local_file`, …; needed only when the name is in more than one storage. */
  readonly storage?: string;
  readonly confirmed?: boolean;
}

export interface CleanupArgs {
  /** Drop these without asking; `all: true` drops every R2 secret listed. */
  readonly secrets?: readonly SecretRef[];
  readonly all?: boolean;
}

export function secretCommands(deps: SecretCommandDeps): CommandSpec[] {
  const handlers = new SecretCommandHandlers(deps);
  return [
    { id: 'duckdbSecrets.createLocalSecret', run: (arg) => handlers.create(arg, false) },
    { id: 'duckdbSecrets.createPersistentLocalSecret', run: (arg) => handlers.create(arg, true) },
    { id: 'duckdbSecrets.whichSecret', run: (arg) => handlers.which(arg) },
    { id: 'duckdbSecrets.copySecretAsSql', run: (arg) => handlers.copyAsSql(arg) },
    { id: 'duckdbSecrets.deleteSecret', run: (arg) => handlers.delete(arg) },
    { id: 'duckdbSecrets.cleanupSecrets', run: (arg) => handlers.cleanup(arg) },
  ];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

class SecretCommandHandlers {
  constructor(private readonly deps: SecretCommandDeps) {}

  private get prompter(): Prompter {
    return this.deps.ui.ui.prompter;
  }
  private get messages(): CommandUi['messages'] {
    return this.deps.ui.ui.messages;
  }

  async create(arg: unknown, persistent: boolean): Promise<SecretRef> {
    const credentials = await this.activeCredentials();
    const args: CreateArgs | undefined = isObject(arg) && !(arg instanceof SecretNode) ? arg : undefined;
    const kind = persistent ? 'Persistent Local R2 Secret' : 'R2 Secret';
    let scope = args ? args.scope?.trim() || undefined : undefined;
    const name = args ? (args.name ?? defaultSecretName(scope)) : await this.askName(`Create ${kind} (1/2)`);
    if (!args) scope = await askR2Scope(this.prompter, `Create ${kind} (2/2)`, credentials);

    let replace = args?.replace ?? false;
    if (persistent) {
      const existing = (await this.deps.secrets.find(name)).find((s) => s.storage === 'local_file');
      if (existing && !replace) {
        replace = await this.prompter.confirm(`A persistent secret named "${existing.name}" already exists in DuckDB's secret directory. Replace it?`, 'Replace', { modal: true });
        if (!replace) throw new CancelledError();
      }
      if (!args?.confirmed) await this.confirmUnencrypted(name);
    }

    const created = await this.withSlowProgress(`Creating ${persistent ? 'persistent ' : ''}R2 secret ${name}…`, () =>
      this.deps.secrets.create(credentials, { name, persistent, scope: scope ? [scope] : [], replace }),
    );
    await this.deps.tree.refresh();
    const where = persistent ? 'saved in DuckDB\'s secret directory' : 'in this window\'s DuckDB session';
    const recreated = !persistent && readSetting('recreateSessionSecrets') ? ' It is re-created from the keychain whenever the session restarts.' : '';
    const form = scope && r2SecretKind([scope]) === 's3' ? ' as an R2-backed TYPE s3 secret' : '';
    void this.messages.info(`Created R2 secret ${created.name}${form} from profile "${credentials.label}" (${scope ?? 'all r2:// paths'}), ${where}.${recreated}`);
    return created;
  }

  async which(arg: unknown): Promise<{ path: string; secret?: SecretRef } | undefined> {
    let path: string | undefined;
    // An explicit `type` wins; otherwise the path's scheme decides (s3:// → s3, gs:// → gcs, …).
    let given: string | undefined;
    if (typeof arg === 'string') path = arg;
    else if (isObject(arg) && !(arg instanceof SecretNode)) {
      if (typeof arg.path === 'string') path = arg.path;
      else if (typeof arg.uri === 'string') path = arg.uri; // a Bucket view folder or object
      if (typeof arg.type === 'string') given = arg.type;
    }
    if (path === undefined) {
      const credentials = await this.deps.credentials.activeCredentials().catch(() => undefined);
      const suggestion = arg instanceof SecretNode ? arg.secret.scope[0] : credentials && `r2://${credentials.bucket}/`;
      path = await this.prompter.input({
        title: 'Which Secret Applies…',
        prompt: 'A path DuckDB would read, e.g. r2://bucket/folder/file.parquet or s3://…: shows the secret which_secret picks for it (the scheme decides the secret type)',
        value: suggestion,
        validate: (value) => (!value.trim() ? 'Enter a path.' : given || secretTypeForPath(value) ? undefined : `DuckDB uses secrets for ${knownSchemes()} paths only.`),
      });
    }
    path = path.trim();
    const type = given ?? secretTypeForPath(path);
    if (!type) throw new UserFacingError(`DuckDB uses no secret for ${path}: secrets apply to ${knownSchemes()} paths.`);
    const secret = await this.deps.secrets.which(path, type);
    if (!secret) {
      this.deps.tree.setMark(undefined);
      void this.messages.info(`No ${type} secret applies to ${path}: DuckDB would read it without credentials.`);
      return { path };
    }
    await this.deps.tree.ensureLoaded();
    this.deps.tree.setMark({ name: secret.name, storage: secret.storage, path });
    void this.messages.info(`${path} uses secret ${secret.name} (${storageLabel(secret.storage)}).`);
    return { path, secret: { name: secret.name, storage: secret.storage } };
  }

  /**
   * From the tree: the node's secret. From the palette: the R2 secret listed (asking which when
   * there are several), or, with none yet or with `{ name, scope }` arguments, the statement Create
   * R2 Secret would run for the active profile. Both go through the same rules, so a secret copied
   * before and after it is created reads the same (ACCOUNT_ID only where the endpoint is Cloudflare's).
   */
  async copyAsSql(arg: unknown): Promise<string> {
    let text: string;
    let name: string;
    const listed = arg instanceof SecretNode ? arg.secret : isObject(arg) ? undefined : await this.pickSecretToCopy();
    if (listed) {
      text = copyListedSecret(listed);
      name = listed.name;
    } else {
      const credentials = await this.activeCredentials();
      const args = isObject(arg) ? (arg as CreateArgs) : {};
      const scope = args.scope?.trim();
      name = args.name ?? defaultSecretName(scope);
      text = this.deps.secrets.copyAsSql(credentials, { name, persistent: false, scope: scope ? [scope] : [] });
    }
    await vscode.env.clipboard.writeText(text);
    void this.messages.info(`Copied CREATE SECRET ${name} as SQL, with placeholders instead of the keys.`);
    return text;
  }

  /** The R2 secret to copy from the palette: the only one, one picked among several, or none. */
  private async pickSecretToCopy(): Promise<SecretInfo | undefined> {
    const candidates = await this.deps.secrets.r2Secrets();
    if (candidates.length <= 1) return candidates[0];
    const picked = await this.prompter.pick(candidates.map(secretPick), { title: 'Copy as SQL', placeHolder: 'Which R2 secret to copy (keys become placeholders)' });
    return picked.secret;
  }

  async delete(arg: unknown): Promise<SecretRef | undefined> {
    let target: SecretRef;
    let confirmed = false;
    if (arg instanceof SecretNode) {
      target = { name: arg.secret.name, storage: arg.secret.storage };
    } else if (isObject(arg) && typeof arg.name === 'string') {
      const args = arg as unknown as DeleteArgs;
      confirmed = args.confirmed === true;
      target = args.storage ? { name: args.name, storage: args.storage } : await this.pickStorage(args.name);
    } else {
      const all = await this.deps.secrets.list();
      if (all.length === 0) {
        void this.messages.info('There are no DuckDB secrets to delete.');
        return undefined;
      }
      const picked = await this.prompter.pick(all.map(secretPick), { title: 'Delete Secret', placeHolder: 'The secret to delete' });
      target = { name: picked.secret.name, storage: picked.secret.storage };
    }
    if (!confirmed) {
      const ok = await this.prompter.confirm(`Delete secret "${target.name}" from ${storageLabel(target.storage)}?`, 'Delete', {
        modal: true,
        detail: target.storage === 'memory' ? 'It is dropped from this window\'s DuckDB session.' : 'It is dropped from its storage for every DuckDB that uses it.',
      });
      if (!ok) throw new CancelledError();
    }
    try {
      if (target.storage === MOTHERDUCK_STORAGE) await this.deps.motherDuck?.ensureConnected();
      await this.deps.secrets.drop(target);
    } finally {
      await this.deps.tree.refresh();
    }
    void this.messages.info(`Deleted secret ${target.name} from ${storageLabel(target.storage)}.`);
    return target;
  }

  async cleanup(arg: unknown): Promise<CleanupReport> {
    const args = isObject(arg) ? (arg as CleanupArgs) : {};
    let chosen: readonly SecretRef[];
    if (args.secrets) {
      chosen = args.secrets;
    } else {
      const candidates = await this.deps.secrets.r2Secrets();
      if (candidates.length === 0) {
        void this.messages.info('There are no R2 secrets to clean up.');
        return { dropped: [], failed: [] };
      }
      if (args.all) chosen = candidates;
      else {
        // Nothing is ticked: Enter alone never drops a secret, and what is ticked is confirmed below.
        const picked = await this.prompter.pickMany(candidates.map(cleanupPick), {
          title: 'Clean Up R2 Secrets',
          placeHolder: 'Tick the secrets to drop (none is ticked); you confirm before anything is dropped',
        });
        if (picked.length === 0) throw new CancelledError();
        chosen = picked.map((p) => p.secret);
        await this.confirmCleanup(picked.map((p) => p.secret));
      }
      if (chosen.length === 0) throw new CancelledError();
    }
    if (chosen.some((s) => s.storage === MOTHERDUCK_STORAGE)) await this.deps.motherDuck?.ensureConnected();
    const report = await this.deps.secrets.dropAll(chosen.map((s) => ({ name: s.name, storage: s.storage })));
    await this.deps.tree.refresh();
    const list = (refs: readonly SecretRef[]) => refs.map((s) => `${s.name} (${storageLabel(s.storage)})`).join(', ');
    const dropped = report.dropped.length > 0 ? `Dropped ${report.dropped.length}: ${list(report.dropped)}.` : 'Dropped none.';
    if (report.failed.length === 0) void this.messages.info(`Clean Up R2 Secrets: ${dropped}`);
    else {
      const failed = report.failed.map((f) => `${f.secret.name} (${storageLabel(f.secret.storage)}): ${f.message}`).join('; ');
      void this.messages.warning(`Clean Up R2 Secrets: ${dropped} Failed ${report.failed.length}: ${failed}`);
    }
    return report;
  }

  /** A modal naming every secret to drop, persistent ones (a file deleted, or MotherDuck's copy) apart. */
  private async confirmCleanup(secrets: readonly SecretInfo[]): Promise<void> {
    const directory = secrets.some((s) => s.storage === 'local_file') ? await this.deps.secrets.secretDirectory() : '';
    const lines = secrets.map((s) => `• ${s.name} (${storageLabel(s.storage)}): ${dropConsequence(s, directory)}`);
    const persistent = secrets.filter((s) => s.storage !== 'memory').length;
    const count = secrets.length === 1 ? `R2 secret "${secrets[0]?.name ?? ''}"` : `${secrets.length} R2 secrets`;
    const note = persistent === 0 ? '' : persistent === secrets.length ? ' All are persistent.' : ` ${persistent} of them ${persistent === 1 ? 'is' : 'are'} persistent.`;
    const ok = await this.prompter.confirm(`Drop ${count}?${note}`, 'Drop', { modal: true, detail: lines.join('\n') });
    if (!ok) throw new CancelledError();
  }

  private async activeCredentials(): Promise<Credentials> {
    const credentials = await this.deps.credentials.activeCredentials();
    const missing = missingR2Fields(credentials);
    if (!credentials || missing.length > 0) throw missingCredentialsError(missing, !credentials);
    return credentials;
  }

  private askName(title: string): Promise<string> {
    const target = readSetting('target');
    return this.prompter.input({
      title,
      prompt: `Secret name (the ${target === 'prod' ? 'prod' : 'dev'} target's name by default; dbt models refer to it)`,
      value: defaultSecretName(),
      validate: secretNameProblem,
    });
  }

  private async confirmUnencrypted(name: string): Promise<void> {
    const directory = await this.deps.secrets.secretDirectory();
    const ok = await this.prompter.confirm(
      `DuckDB stores persistent secrets unencrypted on disk. Write "${name}" to ${directory}?`,
      'Create Persistent Secret',
      {
        modal: true,
        detail:
          `The R2 secret key is written in plain form to ${directory}/${name}.duckdb_secret (DuckDB's secret_directory), ` +
          'readable by anyone who can read that folder or its backups. A session secret ("Create R2 Secret") stays in memory and is re-created from the keychain instead.',
      },
    );
    if (!ok) throw new CancelledError();
  }

  private async pickStorage(name: string): Promise<SecretRef> {
    const found = await this.deps.secrets.find(name);
    if (found.length === 0) throw new UserFacingError(`There is no secret named "${name}". Refresh the Secrets view to see what is there.`);
    if (found.length === 1 && found[0]) return { name: found[0].name, storage: found[0].storage };
    const items = found.map((secret) => ({ label: storageLabel(secret.storage), description: secret.type, detail: secretPick(secret).detail, secret }));
    const picked = await this.prompter.pick(items, {
      title: `Delete Secret: "${name}" is in ${found.length} storages`,
      placeHolder: 'Which one to delete',
    });
    return { name: picked.secret.name, storage: picked.secret.storage };
  }

  /** Runs `work`; if it takes more than half a second, shows a cancellable progress notification. */
  private async withSlowProgress<T>(title: string, work: () => Promise<T>): Promise<T> {
    const running = work();
    let cancelled = false;
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
        token.onCancellationRequested(() => {
          cancelled = true;
          this.deps.interrupt();
        });
        return running.catch(() => undefined);
      });
    }, 500);
    try {
      return await running;
    } catch (error) {
      if (cancelled) throw new CancelledError();
      throw error;
    } finally {
      settled = true;
      clearTimeout(timer);
    }
  }
}

/**
 * Asks which paths a new secret applies to: none (all r2://), the profile's bucket as r2:// or as
 * s3:// (repositories that read s3:// from R2 get the R2-backed TYPE s3 form), or a typed prefix.
 */
export async function askR2Scope(prompter: Prompter, title: string, credentials: Credentials): Promise<string | undefined> {
  interface ScopePick extends PickItem {
    readonly scope?: string;
    readonly other?: boolean;
  }
  const items: ScopePick[] = [
    { label: 'No scope', description: 'applies to every r2:// path' },
    { label: `r2://${credentials.bucket}`, description: `only the profile's bucket`, scope: `r2://${credentials.bucket}` },
    { label: `s3://${credentials.bucket}`, description: 'the bucket through s3:// paths (a TYPE s3 secret with the R2 endpoint)', scope: `s3://${credentials.bucket}` },
    { label: 'Other prefix…', other: true },
  ];
  const picked = await prompter.pick(items, { title, placeHolder: 'Scope: which r2:// or s3:// paths the secret applies to' });
  if (!picked.other) return picked.scope;
  const typed = await prompter.input({
    title,
    prompt: 'Scope: the r2:// (or s3://) prefix the secret applies to',
    value: `r2://${credentials.bucket}/`,
    validate: (value) => (/^(r2|s3):\/\//.test(value.trim()) ? undefined : 'An R2 scope starts with r2:// or s3:// (e.g. r2://bucket/folder).'),
  });
  return typed.trim();
}

/** The target's secret name; for an s3:// scope `…_s3_secret`, so it never replaces the r2:// one. */
function defaultSecretName(scope?: string): string {
  const name = readSetting('target') === 'prod' ? readSetting('secretName.prod') : readSetting('secretName.dev');
  if (!scope || r2SecretKind([scope]) !== 's3') return name;
  const s3Name = `${name.replace(/_secret$/, '')}_s3_secret`;
  return secretNameProblem(s3Name) ? name : s3Name;
}

/** What dropping `secret` does, for the clean-up confirmation. */
function dropConsequence(secret: SecretInfo, directory: string): string {
  if (secret.storage === 'memory') return "dropped from this window's session";
  if (secret.storage === 'local_file') return `persistent: its file ${directory ? `${directory}/` : ''}${secret.name}.duckdb_secret is deleted`;
  if (secret.storage === MOTHERDUCK_STORAGE) return 'persistent: deleted from MotherDuck for every session';
  return `persistent: deleted from ${secret.storage}`;
}

function cleanupPick(secret: SecretInfo): PickItem & { readonly secret: SecretInfo } {
  const pick = secretPick(secret);
  const persistent = secret.storage === 'memory' ? undefined : secret.storage === 'local_file' ? 'persistent: dropping deletes its file' : 'persistent';
  const detail = [pick.detail, persistent].filter(Boolean).join(' · ');
  return { ...pick, picked: false, ...(detail ? { detail } : {}) };
}

function secretPick(secret: SecretInfo): PickItem & { readonly secret: SecretInfo } {
  return {
    label: secret.name,
    description: `${secret.type} · ${storageLabel(secret.storage)}`,
    detail: secret.scope.length ? `scope ${secret.scope.join(', ')}` : undefined,
    secret,
  };
}
